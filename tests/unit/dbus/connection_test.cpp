// connection_test.cpp: bus address parsing, and calls against a real private dbus-daemon.
#include "dbus/connection.h"

#include <catch2/catch.hpp>

#include <string>

#include "unit/dbus/private_bus.h"

namespace av::dbus {
namespace {

constexpr Timeout kTimeout{5000};

Message bus_call(std::string member, std::vector<Value> body = {}) {
  return method_call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                     std::move(member), std::move(body));
}

}  // namespace

TEST_CASE("bus address: unix path and abstract entries are found", "[dbus][vector]") {
  CHECK(parse_bus_address("unix:path=/run/user/1000/bus").value() == "/run/user/1000/bus");
  CHECK(parse_bus_address("unix:abstract=/tmp/dbus-x,guid=00ff").value() == "@/tmp/dbus-x");
  CHECK(parse_bus_address("tcp:host=h,port=1;unix:path=/a%20b").value() == "/a b");
  CHECK(parse_bus_address("unix:guid=1,path=/p").value() == "/p");
}

TEST_CASE("bus address: unusable or malformed addresses fail", "[dbus][error]") {
  CHECK(parse_bus_address("tcp:host=h,port=1").error().code() == Errc::Unsupported);
  CHECK(parse_bus_address("").error().code() == Errc::Unsupported);
  CHECK(parse_bus_address("unix:tmpdir=/tmp").error().code() == Errc::Unsupported);
  CHECK(parse_bus_address("unix:path").error().code() == Errc::Parse);
  CHECK(parse_bus_address("unix:path=/a%2").error().code() == Errc::Parse);
  CHECK(parse_bus_address("unix:path=/a%zz").error().code() == Errc::Parse);
}

TEST_CASE("bus address: the environment or XDG_RUNTIME_DIR gives the session bus",
          "[dbus][vector]") {
  auto env = platform::Environment::from_pairs({{"XDG_RUNTIME_DIR", "/run/user/7"}});
  CHECK(session_bus_address(env).value() == "unix:path=/run/user/7/bus");
  env.set("DBUS_SESSION_BUS_ADDRESS", "unix:path=/x");
  CHECK(session_bus_address(env).value() == "unix:path=/x");
  CHECK(session_bus_address(platform::Environment{}).error().code() == Errc::NotFound);
}

TEST_CASE("connection: a missing socket is a network error", "[dbus][error]") {
  auto conn = Connection::open("unix:path=/nonexistent/av-dbus-test/bus", kTimeout);
  REQUIRE_FALSE(conn.has_value());
  CHECK(conn.error().code() == Errc::Network);
}

TEST_CASE("connection: talks to a real dbus-daemon", "[dbus][integration]") {
  av::testing::PrivateBus bus;
  REQUIRE(bus.error().empty());
  auto conn = Connection::open(bus.address(), kTimeout);
  REQUIRE(conn.has_value());
  CHECK(conn->unique_name().rfind(":1.", 0) == 0);

  auto id = conn->call(bus_call("GetId"), kTimeout);
  REQUIRE(id.has_value());
  REQUIRE(id->body.size() == 1);
  CHECK(id->body[0].text().size() == 32);

  auto names = conn->call(bus_call("ListNames"), kTimeout);
  REQUIRE(names.has_value());
  bool found_self = false;
  for (const Value& name : names->body.at(0).children()) {
    found_self = found_self || name.text() == conn->unique_name();
  }
  CHECK(found_self);

  std::vector<Value> args;
  args.push_back(Value::string("org.example.Nobody"));
  auto has_owner = conn->call(bus_call("NameHasOwner", std::move(args)), kTimeout);
  REQUIRE(has_owner.has_value());
  CHECK_FALSE(has_owner->body.at(0).as_bool().value());

  std::vector<Value> owner_args;
  owner_args.push_back(Value::string("org.example.Nobody"));
  auto owner = conn->call(bus_call("GetNameOwner", std::move(owner_args)), kTimeout);
  REQUIRE_FALSE(owner.has_value());
  CHECK(owner.error().code() == Errc::NotFound);
  CHECK(owner.error().message().find("NameHasNoOwner") != std::string_view::npos);
}

TEST_CASE("connection: signals are delivered after AddMatch", "[dbus][integration]") {
  av::testing::PrivateBus bus;
  REQUIRE(bus.error().empty());
  auto conn = Connection::open(bus.address(), kTimeout);
  REQUIRE(conn.has_value());
  std::vector<Value> rule;
  rule.push_back(Value::string("type='signal',member='NameAcquired'"));
  REQUIRE(conn->call(bus_call("AddMatch", std::move(rule)), kTimeout).has_value());
  std::vector<Value> req;
  req.push_back(Value::string("org.example.AvTest"));
  req.push_back(Value::uint32(0));
  auto reply = conn->call(bus_call("RequestName", std::move(req)), kTimeout);
  REQUIRE(reply.has_value());
  CHECK(reply->body.at(0).as_u32().value() == 1);  // DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER
  auto signal = conn->wait_for_signal("/org/freedesktop/DBus", "org.freedesktop.DBus",
                                      "NameAcquired", kTimeout);
  REQUIRE(signal.has_value());
  auto none = conn->wait_for_signal("/nowhere", "x.y", "Z", Timeout{200});
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().code() == Errc::Network);
}

}  // namespace av::dbus
