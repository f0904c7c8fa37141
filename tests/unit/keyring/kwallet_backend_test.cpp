// kwallet_backend_test.cpp: the kwallet backend against a real kwalletd5 on a private dbus-daemon
// (TEST-ENVIRONMENT.md "Keystores, headless"). Needs the Debian packages dbus and
// libkf5wallet-bin; a missing one fails the test (never skips).
#include "keyring/backends/kwallet/kwallet_keyring.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "keyring/item_json.h"
#include "platform/process.h"
#include "unit/dbus/private_bus.h"

namespace av::keyring::kwallet {
namespace {

using dbus::Value;
constexpr dbus::Timeout kTimeout{5000};

// KWalletd: a private bus with kwalletd5 (offscreen Qt) and a kwalletrc that never prompts.
class KWalletd {
 public:
  KWalletd() {
    REQUIRE(bus_.error().empty());
    std::ofstream(bus_.dir() + "/config/kwalletrc")
        << "[Wallet]\nFirst Use=false\nEnabled=true\nUse One Wallet=true\nPrompt on Open=false\n"
           "Close When Idle=false\n\n[Auto Allow]\naws-vault=aws-vault\nkdewallet=aws-vault\n";
    auto env = env_with_qt();
    auto pid = platform::capture_output({"sh", "-c", "kwalletd5 >/dev/null 2>&1 & echo $!"}, env);
    REQUIRE(pid.has_value());
    int daemon_pid = 0;
    const std::string_view text = pid->reveal();
    std::from_chars(text.data(), text.data() + text.size(), daemon_pid);
    REQUIRE(daemon_pid > 0);
    bus_.adopt_pid(daemon_pid);
    auto conn = dbus::Connection::open(bus_.address(), kTimeout);
    REQUIRE(conn.has_value());
    connection_.emplace(std::move(*conn));
    wait_for_daemon();
  }

  // create_wallet creates and opens `wallet` without a dialog (kwalletd's pamOpen).
  void create_wallet(const std::string& wallet) {
    std::vector<Value> args;
    args.push_back(Value::string(wallet));
    args.push_back(Value::bytes(secure::SecretBytes::copy_of(as_bytes(std::string(56, 'k')))));
    args.push_back(Value::int32(0));
    auto reply = connection_->call(kwallet_call("pamOpen", std::move(args)), kTimeout);
    REQUIRE(reply.has_value());
  }

  KWalletOptions options() const {
    KWalletOptions options;
    options.env = env_with_qt();
    options.open_timeout = dbus::Timeout{3000};
    return options;
  }

 private:
  platform::Environment env_with_qt() const {
    auto env = bus_.env();
    env.set("QT_QPA_PLATFORM", "offscreen");
    return env;
  }
  static dbus::Message kwallet_call(std::string member, std::vector<Value> body) {
    return dbus::method_call("org.kde.kwalletd5", "/modules/kwalletd5", "org.kde.KWallet",
                             std::move(member), std::move(body));
  }
  void wait_for_daemon() {
    for (int attempt = 0; attempt < 200; ++attempt) {
      std::vector<Value> args;
      args.push_back(Value::string("org.kde.kwalletd5"));
      auto reply = connection_->call(
          dbus::method_call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                            "NameHasOwner", std::move(args)),
          kTimeout);
      REQUIRE(reply.has_value());
      if (reply->body.at(0).as_bool().value()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("kwalletd5 never took org.kde.kwalletd5 (apt-get install libkf5wallet-bin)");
  }

  testing::PrivateBus bus_;
  std::optional<dbus::Connection> connection_;
};

Item make_item(std::string key, std::string_view data) {
  Item item;
  item.key = std::move(key);
  item.data = secure::SecretBytes::copy_of(as_bytes(data));
  item.label = "aws-vault (" + item.key + ")";
  return item;
}

}  // namespace

TEST_CASE("kwallet: set, get, keys and remove against kwalletd5", "[kwallet][integration]") {
  KWalletd daemon;
  daemon.create_wallet("aws-vault");
  auto keyring = KWalletKeyring::open(daemon.options());
  INFO((keyring.has_value() ? std::string() : std::string(keyring.error().message())));
  REQUIRE(keyring.has_value());
  auto& kr = **keyring;

  CHECK(kr.keys().value().empty());
  CHECK(is_not_found(kr.get("dev").error()));
  REQUIRE(kr.set(make_item("dev", R"({"AccessKeyID":"AKIAEXAMPLE"})")).has_value());
  REQUIRE(kr.set(make_item("oidc:https://x.awsapps.com/start", "{}")).has_value());
  auto item = kr.get("dev");
  REQUIRE(item.has_value());
  CHECK(item->key == "dev");
  CHECK(item->label == "aws-vault (dev)");
  CHECK(std::string(as_chars(item->data.reveal())) == R"({"AccessKeyID":"AKIAEXAMPLE"})");

  auto keys = kr.keys().value();
  std::sort(keys.begin(), keys.end());
  CHECK(keys == std::vector<std::string>{"dev", "oidc:https://x.awsapps.com/start"});
  CHECK(kr.get_metadata("dev").error().code() == Errc::Keyring);
  REQUIRE(kr.remove("dev").has_value());
  CHECK(is_not_found(kr.get("dev").error()));
  CHECK(kr.remove("dev").has_value());  // upstream: missing entries remove successfully
}

TEST_CASE("kwallet: open fails clearly without kwalletd or a session bus", "[kwallet][error]") {
  SECTION("no session bus") {
    auto keyring = KWalletKeyring::open(KWalletOptions{});
    REQUIRE_FALSE(keyring.has_value());
    CHECK(keyring.error().message().find("no session bus") != std::string_view::npos);
  }
  SECTION("a bus without kwalletd") {
    testing::PrivateBus bus;
    REQUIRE(bus.error().empty());
    KWalletOptions options;
    options.env = bus.env();
    auto keyring = KWalletKeyring::open(std::move(options));
    REQUIRE_FALSE(keyring.has_value());
    CHECK(keyring.error().code() == Errc::Keyring);
    CHECK(keyring.error().message().find("kwalletd is not running") != std::string_view::npos);
  }
}

}  // namespace av::keyring::kwallet
