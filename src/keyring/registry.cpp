// registry.cpp: backend names, availability and opening (see registry.h for the policy).
#include "keyring/registry.h"

#include <algorithm>
#include <array>

#include "base/ascii.h"
#include "base/log.h"
#include "keyring/backends/file/file_keyring.h"
#include "keyring/backends/keyctl/keyctl_keyring.h"
#include "keyring/backends/kwallet/kwallet_keyring.h"
#include "keyring/backends/pass/pass_keyring.h"
#include "keyring/backends/secret_service/secret_service_keyring.h"

namespace av::keyring {

namespace {

using Opener = Result<std::unique_ptr<Keyring>> (*)(const BackendSettings&);

Result<std::unique_ptr<Keyring>> open_file(const BackendSettings& settings) {
  AV_TRY_ASSIGN(std::string dir, file::resolve_file_dir(settings.file_dir, settings.env));
  file::FileKeyringOptions options;
  options.dir = std::move(dir);
  options.passphrase = settings.file_passphrase;
  AV_TRY_ASSIGN(auto ring, file::FileKeyring::open(std::move(options)));
  if (ring->directory_too_open() && settings.warn) {
    settings.warn(ascii::quote_for_terminal(ring->dir()) + " is accessible by group or others");
  }
  return std::unique_ptr<Keyring>(std::move(ring));
}

Result<std::unique_ptr<Keyring>> open_keyctl(const BackendSettings& settings) {
  keyctl::KeyctlOptions options;
  options.scope = settings.keyctl_scope;
  AV_TRY_ASSIGN(auto ring, keyctl::KeyctlKeyring::open(std::move(options)));
  return std::unique_ptr<Keyring>(std::move(ring));
}

Result<std::unique_ptr<Keyring>> open_pass_tool(const BackendSettings& settings,
                                                pass::PassTool tool) {
  pass::PassOptions options;
  options.tool = tool;
  options.dir = settings.pass_dir;
  options.command = settings.pass_cmd;
  options.prefix = settings.pass_prefix;
  options.env = settings.env.clone();
  AV_TRY_ASSIGN(auto ring, pass::PassKeyring::open(std::move(options)));
  return std::unique_ptr<Keyring>(std::move(ring));
}

Result<std::unique_ptr<Keyring>> open_pass(const BackendSettings& settings) {
  return open_pass_tool(settings, pass::PassTool::Pass);
}

Result<std::unique_ptr<Keyring>> open_passage(const BackendSettings& settings) {
  return open_pass_tool(settings, pass::PassTool::Passage);
}

Result<std::unique_ptr<Keyring>> open_secret_service(const BackendSettings& settings) {
  secret_service::SecretServiceOptions options;
  options.collection = settings.secret_service_collection;
  options.env = settings.env.clone();
  AV_TRY_ASSIGN(auto ring, secret_service::SecretServiceKeyring::open(std::move(options)));
  return std::unique_ptr<Keyring>(std::move(ring));
}

Result<std::unique_ptr<Keyring>> open_kwallet(const BackendSettings& settings) {
  kwallet::KWalletOptions options;
  options.env = settings.env.clone();
  AV_TRY_ASSIGN(auto ring, kwallet::KWalletKeyring::open(std::move(options)));
  return std::unique_ptr<Keyring>(std::move(ring));
}

struct Entry {
  std::string_view name;
  Opener open;  // nullptr: accepted by the CLI but not implemented in this build
};

// kEntries: upstream's priority order (backends.md §1.6), proton-pass left out (not shipped).
constexpr std::array kEntries = {
    Entry{"wincred", nullptr},      Entry{"winhello", nullptr},  Entry{"keychain", nullptr},
    Entry{"secret-service", &open_secret_service}, Entry{"kwallet", &open_kwallet}, Entry{"keyctl", &open_keyctl},
    Entry{"pass", &open_pass},      Entry{"passage", &open_passage},   Entry{"file", &open_file},
    Entry{"op-connect", nullptr},   Entry{"op", nullptr},        Entry{"op-desktop", nullptr},
};

const Entry* find_entry(std::string_view name) noexcept {
  const auto it = std::find_if(kEntries.begin(), kEntries.end(),
                               [name](const Entry& e) { return e.name == name; });
  return it == kEntries.end() ? nullptr : &*it;
}

}  // namespace

const std::vector<std::string_view>& known_backends() noexcept {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const Entry& e : kEntries) out.push_back(e.name);
    return out;
  }();
  return names;
}

std::vector<std::string> available_backends(const platform::Environment& env) {
  std::vector<std::string> out;
  if (env.get_nonempty("DBUS_SESSION_BUS_ADDRESS")) {
    out.emplace_back("secret-service");
    if (env.get("DISABLE_KWALLET").value_or("") != "1") out.emplace_back("kwallet");
  }
  for (const char* name : {"keyctl", "pass", "passage", "file", "op-connect", "op", "op-desktop"}) {
    out.emplace_back(name);
  }
  return out;
}

Result<std::unique_ptr<Keyring>> open_backend(std::string_view name,
                                              const BackendSettings& settings) {
  const Entry* entry = find_entry(name);
  if (entry == nullptr || entry->open == nullptr) {
    return Error(Errc::Unsupported, "not available in this build");
  }
  return entry->open(settings);
}

Result<OpenedBackend> open_first_available(const std::vector<std::string>& candidates,
                                           const BackendSettings& settings) {
  std::string causes;
  for (const std::string& name : candidates) {
    if (name == "keyctl") {
      log::debug("keyring: skipping keyctl: chosen only explicitly (kernel keys are lost at logout)");
      continue;
    }
    auto opened = open_backend(name, settings);
    if (opened) {
      log::debug("keyring: using backend " + name);
      return OpenedBackend{name, std::move(opened).value()};
    }
    const std::string cause = name + ": " + std::string(opened.error().message());
    log::debug("keyring: cannot open " + cause + "; trying the next backend");
    causes += (causes.empty() ? "" : "; ") + cause;
  }
  return Error(Errc::Keyring, "no keyring backend could be opened (" + causes + ")");
}

}  // namespace av::keyring
