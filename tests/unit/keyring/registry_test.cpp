// The backend registry (backends.md §1.6 and our fallback policy in keyring/registry.h).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "../platform/temp_dir.h"
#include "base/log.h"
#include "keyring/registry.h"

namespace {

using av::keyring::available_backends;
using av::platform::Environment;

av::keyring::BackendSettings file_settings(const std::string& dir) {
  av::keyring::BackendSettings s;
  s.env = Environment::from_pairs({{"HOME", dir}});
  s.file_dir = dir + "/keys";
  s.file_passphrase = [] {
    return av::Result<av::secure::SecretString>(av::secure::SecretString::copy_of("pw"));
  };
  return s;
}

// DebugCapture collects log::debug lines for one test.
struct DebugCapture {
  static std::vector<std::string>& lines() {
    static std::vector<std::string> captured;
    return captured;
  }
  DebugCapture() {
    lines().clear();
    av::log::set_debug_sink([](std::string_view line) { lines().emplace_back(line); });
  }
  ~DebugCapture() { av::log::set_debug_sink(nullptr); }
  DebugCapture(const DebugCapture&) = delete;
  DebugCapture& operator=(const DebugCapture&) = delete;
};

}  // namespace

TEST_CASE("known backends follow upstream's priority order", "[keyring][vector]") {
  const std::vector<std::string_view> expected = {
      "wincred", "winhello", "keychain", "secret-service", "kwallet", "keyctl",
      "pass",    "passage",  "file",     "op-connect",     "op",      "op-desktop"};
  CHECK(av::keyring::known_backends() == expected);
}

TEST_CASE("D-Bus backends are available only with a session bus, kwallet not when disabled",
          "[keyring][vector]") {
  const std::vector<std::string> headless = {"keyctl", "pass", "passage", "file",
                                             "op-connect", "op", "op-desktop"};
  CHECK(available_backends(Environment::from_pairs({})) == headless);
  CHECK(available_backends(Environment::from_pairs({{"DBUS_SESSION_BUS_ADDRESS", ""}})) ==
        headless);
  const auto bus = available_backends(
      Environment::from_pairs({{"DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1/bus"}}));
  REQUIRE(bus.size() == headless.size() + 2);
  CHECK(bus[0] == "secret-service");
  CHECK(bus[1] == "kwallet");
  const auto no_kwallet = available_backends(Environment::from_pairs(
      {{"DBUS_SESSION_BUS_ADDRESS", "unix:path=/x"}, {"DISABLE_KWALLET", "1"}}));
  CHECK(no_kwallet.size() == headless.size() + 1);
  CHECK(no_kwallet[1] == "keyctl");
}

TEST_CASE("opening an unknown or unbuilt backend names the reason", "[keyring][error]") {
  av::platform::testing::TempDir dir;
  const auto unknown = av::keyring::open_backend("nope", file_settings(dir.path()));
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().code() == av::Errc::Unsupported);
  CHECK(unknown.error().message() == "not available in this build");
}

TEST_CASE("a backend's opener error reaches the caller unchanged", "[keyring][error]") {
  av::platform::testing::TempDir dir;
  auto settings = file_settings(dir.path());
  settings.file_dir = "";
  const auto opened = av::keyring::open_backend("file", settings);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().message() == "no directory provided");
}

TEST_CASE("automatic selection skips keyctl and failing backends, logging each, and opens the next",
          "[keyring][integration]") {
  av::platform::testing::TempDir dir;
  DebugCapture debug;
  auto opened = av::keyring::open_first_available({"op", "keyctl", "file", "pass"},
                                                  file_settings(dir.path()));
  REQUIRE(opened.has_value());
  CHECK(opened->name == "file");
  REQUIRE(opened->keyring != nullptr);
  CHECK(opened->keyring->keys().value().empty());
  const std::vector<std::string> expected = {
      "keyring: cannot open op: not available in this build; trying the next backend",
      "keyring: skipping keyctl: chosen only explicitly (kernel keys are lost at logout)",
      "keyring: using backend file"};
  CHECK(DebugCapture::lines() == expected);
}

TEST_CASE("automatic selection fails with every cause when nothing opens", "[keyring][error]") {
  av::platform::testing::TempDir dir;
  auto settings = file_settings(dir.path());
  settings.file_dir = "";
  const auto opened = av::keyring::open_first_available({"op", "keyctl", "file"}, settings);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().code() == av::Errc::Keyring);
  CHECK(opened.error().message() ==
        "no keyring backend could be opened (op: not available in this build; file: no "
        "directory provided)");
}

TEST_CASE("the file backend warns through the settings when its directory is too open",
          "[keyring][error]") {
  av::platform::testing::TempDir dir;
  auto settings = file_settings(dir.path());
  REQUIRE(::mkdir((dir.path() + "/keys").c_str(), 0755) == 0);
  std::vector<std::string> warnings;
  settings.warn = [&warnings](std::string_view w) { warnings.emplace_back(w); };
  REQUIRE(av::keyring::open_backend("file", settings).has_value());
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == "\"" + dir.path() + "/keys\" is accessible by group or others");
}
