// secret_service_backend_test.cpp: the secret-service backend against a real gnome-keyring-daemon
// on a private dbus-daemon (TEST-ENVIRONMENT.md "Keystores, headless"). Needs the Debian packages
// dbus, gnome-keyring and libsecret-tools; a missing one fails the test (never skips).
#include "keyring/backends/secret_service/secret_service_keyring.h"

#include <catch2/catch.hpp>

#include <charconv>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "base/log.h"
#include "keyring/item_json.h"
#include "platform/process.h"
#include "unit/dbus/private_bus.h"

namespace av::keyring::secret_service {
namespace {

using dbus::Value;
constexpr dbus::Timeout kTimeout{5000};
constexpr std::string_view kCollectionPath = "/org/freedesktop/secrets/collection/awsvault";

dbus::Message secrets_call(std::string path, std::string interface, std::string member,
                           std::vector<Value> body) {
  return dbus::method_call("org.freedesktop.secrets", std::move(path), std::move(interface),
                           std::move(member), std::move(body));
}

// GnomeKeyring: a private bus with gnome-keyring-daemon (login keyring unlocked with "pw") and
// an "awsvault" collection created through gnome-keyring's private, prompt-free interface.
class GnomeKeyring {
 public:
  GnomeKeyring() {
    REQUIRE(bus_.error().empty());
    auto started = platform::capture_output(
        {"sh", "-c",
         "printf pw | exec gnome-keyring-daemon --unlock --components=secrets --daemonize"},
        bus_.env());
    INFO("apt-get install --no-install-recommends gnome-keyring libsecret-tools dbus dbus-x11");
    REQUIRE(started.has_value());
    auto conn = dbus::Connection::open(bus_.address(), kTimeout);
    REQUIRE(conn.has_value());
    connection_.emplace(std::move(*conn));
    wait_for_provider();
  }

  dbus::Connection& connection() { return *connection_; }
  testing::PrivateBus& bus() { return bus_; }

  SecretServiceOptions options(std::string collection = "awsvault") const {
    SecretServiceOptions options;
    options.collection = std::move(collection);
    options.env = bus_.env();
    options.prompt_timeout = dbus::Timeout{10'000};
    return options;
  }

  // create_collection makes "awsvault" with master password "pw", without a prompt.
  void create_collection() {
    const std::string session = open_session();
    std::vector<Value> props;
    props.push_back(Value::dict_entry(Value::string("org.freedesktop.Secret.Collection.Label"),
                                      Value::variant(Value::string("awsvault"))));
    std::vector<Value> args;
    args.push_back(Value::array("{sv}", std::move(props)));
    args.push_back(master_password(session));
    auto reply =
        connection_->call(secrets_call("/org/freedesktop/secrets",
                                       "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                                       "CreateWithMasterPassword", std::move(args)),
                          kTimeout);
    REQUIRE(reply.has_value());
    REQUIRE(reply->body.at(0).text() == kCollectionPath);
  }

  void lock_collection() {
    std::vector<Value> paths;
    paths.push_back(Value::object_path(std::string(kCollectionPath)));
    std::vector<Value> args;
    args.push_back(Value::array("o", std::move(paths)));
    auto reply =
        connection_->call(secrets_call("/org/freedesktop/secrets", "org.freedesktop.Secret.Service",
                                       "Lock", std::move(args)),
                          kTimeout);
    REQUIRE(reply.has_value());
    REQUIRE(reply->body.at(1).text() == "/");  // locking needs no prompt
  }

 private:
  void wait_for_provider() {
    for (int attempt = 0; attempt < 100; ++attempt) {
      std::vector<Value> args;
      args.push_back(Value::string("org.freedesktop.secrets"));
      auto reply = connection_->call(
          dbus::method_call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                            "NameHasOwner", std::move(args)),
          kTimeout);
      REQUIRE(reply.has_value());
      if (reply->body.at(0).as_bool().value()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("gnome-keyring-daemon never took org.freedesktop.secrets");
  }
  std::string open_session() {
    std::vector<Value> args;
    args.push_back(Value::string("plain"));
    args.push_back(Value::variant(Value::string("")));
    auto reply =
        connection_->call(secrets_call("/org/freedesktop/secrets", "org.freedesktop.Secret.Service",
                                       "OpenSession", std::move(args)),
                          kTimeout);
    REQUIRE(reply.has_value());
    return reply->body.at(1).text();
  }
  static Value master_password(const std::string& session) {
    std::vector<Value> secret;
    secret.push_back(Value::object_path(session));
    secret.push_back(Value::bytes(secure::SecretBytes()));
    secret.push_back(Value::bytes(secure::SecretBytes::copy_of(as_bytes("pw"))));
    secret.push_back(Value::string("text/plain"));
    return Value::structure(std::move(secret));
  }

  testing::PrivateBus bus_;
  std::optional<dbus::Connection> connection_;
};

Item make_item(std::string key, std::string_view data) {
  Item item;
  item.key = std::move(key);
  item.data = secure::SecretBytes::copy_of(as_bytes(data));
  item.label = "aws-vault (" + item.key + ")";
  item.keychain_not_trust_application = true;
  return item;
}

std::string data_of(const Item& item) { return std::string(as_chars(item.data.reveal())); }

// DebugCapture collects av::log::debug lines while it lives (the sink is a plain function).
std::vector<std::string>& captured_debug() {
  static std::vector<std::string> lines;
  return lines;
}
class DebugCapture {
 public:
  DebugCapture() {
    captured_debug().clear();
    log::set_debug_sink([](std::string_view line) { captured_debug().emplace_back(line); });
  }
  ~DebugCapture() { log::set_debug_sink(nullptr); }
  DebugCapture(const DebugCapture&) = delete;
  DebugCapture& operator=(const DebugCapture&) = delete;
  bool mentions(std::string_view text) const {
    for (const auto& line : captured_debug()) {
      if (line.find(text) != std::string::npos) return true;
    }
    return false;
  }
};

// kFakeService: a minimal Secret Service (dbus-python, Debian's python3-dbus and python3-gi,
// run with /usr/bin/python3) with one item, that refuses every session algorithm but `plain`
// with the D-Bus error named in argv[1]. gnome-keyring always accepts DH, so the fallback path
// needs this stand-in.
constexpr std::string_view kFakeService = R"py(
import sys
import dbus, dbus.service, dbus.mainloop.glib
from gi.repository import GLib
ERROR = sys.argv[1]
P = "/org/freedesktop/secrets"
COLL = P + "/collection/awsvault"
ITEM = COLL + "/1"
JSON = (b'{"Key":"dev","Data":"eyJ4IjoxfQ==","Label":"aws-vault (dev)","Description":"",'
        b'"KeychainNotTrustApplication":true,"KeychainNotSynchronizable":false}')
S = "org.freedesktop.Secret."
class Refused(dbus.DBusException):
    _dbus_error_name = ERROR
class Fake(dbus.service.Object):
    @dbus.service.method(S + "Service", in_signature="sv", out_signature="vo")
    def OpenSession(self, algorithm, _input):
        if algorithm != "plain":
            raise Refused("algorithm not supported")
        return (dbus.String(""), dbus.ObjectPath(P + "/session/1"))
    @dbus.service.method("org.freedesktop.DBus.Properties", in_signature="ss", out_signature="v")
    def Get(self, _interface, name):
        if name == "Collections":
            return dbus.Array([dbus.ObjectPath(COLL)], signature="o")
        if name == "Locked":
            return dbus.Boolean(False)
        return dbus.String("dev")
    @dbus.service.method(S + "Collection", in_signature="a{ss}", out_signature="ao")
    def SearchItems(self, _attributes):
        return [dbus.ObjectPath(ITEM)]
    @dbus.service.method(S + "Item", in_signature="o", out_signature="(oayays)")
    def GetSecret(self, session):
        return (session, dbus.ByteArray(b""), dbus.ByteArray(JSON), "application/json")
    @dbus.service.method(S + "Session", in_signature="", out_signature="")
    def Close(self):
        pass
dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()
objects = [Fake(bus, path) for path in (P, COLL, ITEM, P + "/session/1")]
name = dbus.service.BusName("org.freedesktop.secrets", bus)
GLib.MainLoop().run()
)py";

// FakeSecretService runs kFakeService on a private bus until the bus goes away.
class FakeSecretService {
 public:
  explicit FakeSecretService(std::string_view refusal) {
    REQUIRE(bus_.error().empty());
    const std::string script = bus_.dir() + "/fake_secret_service.py";
    std::ofstream(script) << kFakeService;
    INFO("apt-get install python3-dbus python3-gi");
    auto pid = platform::capture_output(
        {"sh", "-c",
         "/usr/bin/python3 " + script + " " + std::string(refusal) + " >" + bus_.dir() +
             "/fake.log 2>&1 & echo $!"},
        bus_.env());
    REQUIRE(pid.has_value());
    int value = 0;
    const std::string_view text = pid->reveal();
    REQUIRE(std::from_chars(text.data(), text.data() + text.size(), value).ec == std::errc());
    bus_.adopt_pid(value);
    auto conn = dbus::Connection::open(bus_.address(), kTimeout);
    REQUIRE(conn.has_value());
    for (int attempt = 0; attempt < 200; ++attempt) {
      std::vector<Value> args;
      args.push_back(Value::string("org.freedesktop.secrets"));
      auto reply = conn->call(
          dbus::method_call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                            "NameHasOwner", std::move(args)),
          kTimeout);
      REQUIRE(reply.has_value());
      if (reply->body.at(0).as_bool().value()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("the fake secret service never took org.freedesktop.secrets");
  }

  SecretServiceOptions options() const {
    SecretServiceOptions options;
    options.env = bus_.env();
    return options;
  }

 private:
  testing::PrivateBus bus_;
};

}  // namespace

TEST_CASE("secret-service: gnome-keyring escapes decode as upstream's vectors",
          "[secret-service][vector]") {
  CHECK(decode_collection_path("keyring_2dtest") == "keyring-test");
  CHECK(decode_collection_path("keyring_2d_2dtest") == "keyring--test");
  CHECK(decode_collection_path("_2d_2dkeyring_2dtest_2d_2d") == "--keyring-test--");
  CHECK(decode_collection_path("bad_zzescape") == "bad_zzescape");
  CHECK(decode_collection_path("tail_2") == "tail_2");
}

TEST_CASE("secret-service: set, get, keys and remove against gnome-keyring",
          "[secret-service][integration]") {
  GnomeKeyring gk;
  gk.create_collection();
  auto keyring = SecretServiceKeyring::open(gk.options());
  INFO((keyring.has_value() ? std::string() : std::string(keyring.error().message())));
  REQUIRE(keyring.has_value());
  auto& kr = **keyring;

  CHECK(kr.keys().value().empty());
  CHECK(is_not_found(kr.get("dev").error()));
  REQUIRE(kr.set(make_item("dev", R"({"AccessKeyID":"AKIAEXAMPLE"})")).has_value());
  REQUIRE(kr.set(make_item("prod", "{}")).has_value());
  REQUIRE(kr.set(make_item("dev", R"({"AccessKeyID":"AKIAREPLACED"})")).has_value());  // replace

  auto item = kr.get("dev");
  REQUIRE(item.has_value());
  CHECK(item->key == "dev");
  CHECK(data_of(*item) == R"({"AccessKeyID":"AKIAREPLACED"})");
  CHECK(item->label == "aws-vault (dev)");
  CHECK(item->keychain_not_trust_application);

  auto keys = kr.keys();
  REQUIRE(keys.has_value());
  std::sort(keys->begin(), keys->end());
  CHECK(*keys == std::vector<std::string>{"dev", "prod"});

  CHECK(kr.get_metadata("dev").error().code() == Errc::Keyring);
  REQUIRE(kr.remove("dev").has_value());
  CHECK(is_not_found(kr.get("dev").error()));
  CHECK(kr.remove("dev").has_value());  // upstream: a missing item removes successfully
  CHECK(kr.keys().value() == std::vector<std::string>{"prod"});
}

TEST_CASE("secret-service: gnome-keyring sessions use dh-ietf1024-sha256-aes128-cbc-pkcs7",
          "[secret-service][integration]") {
  GnomeKeyring gk;
  gk.create_collection();
  const DebugCapture debug;
  auto keyring = SecretServiceKeyring::open(gk.options());
  INFO((keyring.has_value() ? std::string() : std::string(keyring.error().message())));
  REQUIRE(keyring.has_value());
  auto& kr = **keyring;
  CHECK(kr.session_algorithm() == kDhSessionAlgorithm);
  REQUIRE(kr.set(make_item("dev", R"({"AccessKeyID":"AKIAEXAMPLE"})")).has_value());
  CHECK(kr.session_algorithm() == kDhSessionAlgorithm);
  // Every operation opens a fresh DH session. About one shared secret in 256 has a leading
  // zero byte, so 300 sessions make a padding disagreement with gnome-keyring (which left-pads
  // the secret to 128 bytes before HKDF) show up as a decryption failure with p > 0.69.
  for (int round = 0; round < 300; ++round) {
    CAPTURE(round);
    auto item = kr.get("dev");
    REQUIRE(item.has_value());
    REQUIRE(data_of(*item) == R"({"AccessKeyID":"AKIAEXAMPLE"})");
  }
  CHECK(kr.session_algorithm() == kDhSessionAlgorithm);
  CHECK_FALSE(debug.mentions("plain"));
}

TEST_CASE("secret-service: a service that answers NotSupported to DH gets a plain session",
          "[secret-service][integration]") {
  FakeSecretService fake("org.freedesktop.DBus.Error.NotSupported");
  const DebugCapture debug;
  auto keyring = SecretServiceKeyring::open(fake.options());
  INFO((keyring.has_value() ? std::string() : std::string(keyring.error().message())));
  REQUIRE(keyring.has_value());
  CHECK((*keyring)->session_algorithm() == kPlainSessionAlgorithm);
  CHECK(debug.mentions("does not support dh-ietf1024-sha256-aes128-cbc-pkcs7"));
  CHECK(debug.mentions("falling back to a plain session"));
  auto item = (*keyring)->get("dev");
  REQUIRE(item.has_value());
  CHECK(data_of(*item) == R"({"x":1})");
}

TEST_CASE("secret-service: any other refusal of DH is an error, never a plain fallback",
          "[secret-service][error]") {
  FakeSecretService fake("org.freedesktop.DBus.Error.Failed");
  const DebugCapture debug;
  auto keyring = SecretServiceKeyring::open(fake.options());
  REQUIRE_FALSE(keyring.has_value());
  CHECK(keyring.error().message().find("OpenSession: org.freedesktop.DBus.Error.Failed") !=
        std::string_view::npos);
  CHECK_FALSE(is_not_found(keyring.error()));
  CHECK_FALSE(debug.mentions("plain"));
}

TEST_CASE("secret-service: items interoperate with secret-tool", "[secret-service][integration]") {
  GnomeKeyring gk;
  gk.create_collection();
  auto keyring = SecretServiceKeyring::open(gk.options());
  INFO((keyring.has_value() ? std::string() : std::string(keyring.error().message())));
  REQUIRE(keyring.has_value());
  const Item ours = make_item("dev", R"({"AccessKeyID":"AKIAEXAMPLE"})");
  REQUIRE((*keyring)->set(ours).has_value());
  // The item went over an encrypted session, and gnome-keyring decrypted it to exactly our JSON.
  CHECK((*keyring)->session_algorithm() == kDhSessionAlgorithm);

  // What we store is the Item JSON, found by secret-tool through the `profile` attribute.
  auto looked_up =
      platform::capture_output({"secret-tool", "lookup", "profile", "dev"}, gk.bus().env());
  REQUIRE(looked_up.has_value());
  CHECK(looked_up->reveal() == serialize_item_json(ours).value().reveal());

  // An item secret-tool stores in Go's Item JSON shape reads back through us.
  const std::string json =
      R"j({"Key":"other","Data":"eyJ4IjoxfQ==","Label":"aws-vault (other)","Description":"",)j"
      R"j("KeychainNotTrustApplication":true,"KeychainNotSynchronizable":false})j";
  const std::string file = gk.bus().dir() + "/other.json";
  std::ofstream(file) << json;
  auto stored = platform::capture_output(
      {"sh", "-c",
       "exec secret-tool store --label=other --collection=" + std::string(kCollectionPath) +
           " profile other < " + file},
      gk.bus().env());
  REQUIRE(stored.has_value());
  auto other = (*keyring)->get("other");
  REQUIRE(other.has_value());
  CHECK((*keyring)->session_algorithm() == kDhSessionAlgorithm);  // decrypted by us
  CHECK(other->key == "other");
  CHECK(data_of(*other) == R"({"x":1})");
  auto keys = (*keyring)->keys().value();
  CHECK(std::find(keys.begin(), keys.end(), "other") != keys.end());
}

TEST_CASE("secret-service: a locked collection gives a clear error, not a hang",
          "[secret-service][integration]") {
  GnomeKeyring gk;
  gk.create_collection();
  auto keyring = SecretServiceKeyring::open(gk.options());
  INFO((keyring.has_value() ? std::string() : std::string(keyring.error().message())));
  REQUIRE(keyring.has_value());
  REQUIRE((*keyring)->set(make_item("dev", "{}")).has_value());
  gk.lock_collection();

  const auto start = std::chrono::steady_clock::now();
  auto item = (*keyring)->get("dev");
  REQUIRE_FALSE(item.has_value());
  CHECK(item.error().code() == Errc::Cancelled);
  CHECK(item.error().message().find("dismissed") != std::string_view::npos);
  auto keys = (*keyring)->keys();
  REQUIRE_FALSE(keys.has_value());
  CHECK(keys.error().code() == Errc::Cancelled);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("secret-service: a missing collection and a dismissed CreateCollection prompt",
          "[secret-service][integration]") {
  GnomeKeyring gk;
  auto keyring = SecretServiceKeyring::open(gk.options("missing"));
  INFO((keyring.has_value() ? std::string() : std::string(keyring.error().message())));
  REQUIRE(keyring.has_value());
  auto& kr = **keyring;
  CHECK(is_not_found(kr.get("dev").error()));
  CHECK(is_not_found(kr.remove("dev").error()));
  CHECK(kr.keys().value().empty());
  auto set = kr.set(make_item("dev", "{}"));
  REQUIRE_FALSE(set.has_value());
  CHECK(set.error().code() == Errc::Cancelled);
  CHECK(set.error().message().find("creating collection") != std::string_view::npos);
}

TEST_CASE("secret-service: open says why it cannot open", "[secret-service][error]") {
  SECTION("no session bus address") {
    SecretServiceOptions options;
    auto keyring = SecretServiceKeyring::open(std::move(options));
    REQUIRE_FALSE(keyring.has_value());
    CHECK(keyring.error().message().find("no session bus") != std::string_view::npos);
    CHECK_FALSE(is_not_found(keyring.error()));
  }
  SECTION("a bus without a Secret Service provider") {
    testing::PrivateBus bus;
    REQUIRE(bus.error().empty());
    SecretServiceOptions options;
    options.env = bus.env();
    auto keyring = SecretServiceKeyring::open(std::move(options));
    REQUIRE_FALSE(keyring.has_value());
    CHECK(keyring.error().code() == Errc::Keyring);
    CHECK(keyring.error().message().find("no secret service provider") != std::string_view::npos);
  }
  SECTION("an empty collection name") {
    SecretServiceOptions options;
    options.collection.clear();
    CHECK(SecretServiceKeyring::open(std::move(options)).error().code() == Errc::Parse);
  }
}

}  // namespace av::keyring::secret_service
