// keyctl_keyring.cpp: the `keyctl` backend over platform/keyctl.h (see the header for the
// decisions that differ from upstream).
#include "keyring/backends/keyctl/keyctl_keyring.h"

#include <array>
#include <utility>

#include "base/ascii.h"
#include "base/log.h"

namespace av::keyring::keyctl {
namespace kc = platform::keyctl;
namespace {

using kc::KeySerial;
using kc::SpecialKeyring;

struct ScopeName {
  std::string_view name;
  KeyctlScope scope;
};

constexpr std::array<ScopeName, 6> kScopes = {{
    {"user", KeyctlScope::User},
    {"usersession", KeyctlScope::UserSession},
    {"session", KeyctlScope::Session},
    {"process", KeyctlScope::Process},
    {"thread", KeyctlScope::Thread},
    {"persistent", KeyctlScope::Persistent},
}};

std::string scope_prefix(std::string_view name) {
  return "accessing " + ascii::quote_for_terminal(name) + " keyring failed";
}

SpecialKeyring special_for(KeyctlScope scope) noexcept {
  switch (scope) {
    case KeyctlScope::User:
      return SpecialKeyring::User;
    case KeyctlScope::UserSession:
      return SpecialKeyring::UserSession;
    case KeyctlScope::Session:
      return SpecialKeyring::Session;
    case KeyctlScope::Process:
      return SpecialKeyring::Process;
    case KeyctlScope::Thread:
      return SpecialKeyring::Thread;
    case KeyctlScope::Persistent:
      break;
  }
  return SpecialKeyring::Process;  // not reached for Persistent (resolved separately)
}

// resolve_scope returns the scope keyring, possessed by this process (header decision 2).
Result<KeySerial> resolve_scope(KeyctlScope scope) {
  AV_TRY_ASSIGN(KeySerial process, kc::resolve_keyring(SpecialKeyring::Process, true));
  if (scope == KeyctlScope::Persistent) return kc::get_persistent_keyring(process);
  AV_TRY_ASSIGN(KeySerial parent, kc::resolve_keyring(special_for(scope), true));
  if (scope == KeyctlScope::User || scope == KeyctlScope::UserSession) {
    AV_TRY(kc::link(parent, process));
    log::debug("keyctl: linked keyring " + std::to_string(parent) +
               " into the process keyring so this process possesses it");
  }
  return parent;
}

// with_hint adds what a refused or missing key service usually means.
Error with_hint(Error error) {
  if (error.code() != Errc::PermissionDenied && error.code() != Errc::Unsupported) return error;
  std::string message(error.message());
  message.append(
      " (is the kernel key retention service disabled or blocked, e.g. by a "
      "container's seccomp profile?)");
  return Error(error.code(), std::move(message));
}

// find_or_create_ring implements backends.md §2.2.2 step 2.
Result<KeySerial> find_or_create_ring(KeySerial parent, const KeyctlOptions& options) {
  auto found = kc::search(parent, "keyring", options.keyring_name);
  if (found) return *found;
  if (found.error().code() != Errc::NotFound) return std::move(found).error();
  AV_TRY_ASSIGN(KeySerial ring, kc::add_keyring(options.keyring_name, parent));
  log::debug("keyctl: created keyring " + ascii::quote_for_terminal(options.keyring_name) + " (" +
             std::to_string(ring) + ")");
  if (options.perm != 0) AV_TRY(kc::set_perm(ring, options.perm));
  return ring;
}

}  // namespace

Result<KeyctlScope> parse_keyctl_scope(std::string_view name) {
  if (name.empty()) name = kDefaultScope;
  for (const ScopeName& entry : kScopes) {
    if (entry.name == name) return entry.scope;
  }
  if (name == "group")
    return Error(Errc::Unsupported, scope_prefix(name) + ": not yet implemented");
  return Error(Errc::Config,
               scope_prefix(name) + ": unknown scope " + ascii::quote_for_terminal(name));
}

Result<std::unique_ptr<KeyctlKeyring>> KeyctlKeyring::open(KeyctlOptions options) {
  AV_TRY_ASSIGN(KeyctlScope scope, parse_keyctl_scope(options.scope));
  std::string_view scope_name = options.scope.empty() ? kDefaultScope : options.scope;
  auto parent = resolve_scope(scope);
  if (!parent) return with_hint(std::move(parent).error().with_context(scope_prefix(scope_name)));
  KeySerial ring = *parent;
  if (!options.keyring_name.empty()) {
    auto named = find_or_create_ring(ring, options);
    if (!named) {
      return std::move(named).error().with_context(
          "opening keyring " + ascii::quote_for_terminal(options.keyring_name) + " in the " +
          ascii::quote_for_terminal(scope_name) + " keyring");
    }
    ring = *named;
  }
  return std::unique_ptr<KeyctlKeyring>(new KeyctlKeyring(std::move(options), ring));
}

Result<KeySerial> KeyctlKeyring::find_item(std::string_view key) const {
  if (key.empty()) return not_found_error();  // the kernel cannot hold such a key
  auto found = kc::search(ring_, "user", key);
  if (!found && found.error().code() == Errc::NotFound) return not_found_error();
  return found;
}

Result<Item> KeyctlKeyring::get(std::string_view key) {
  AV_TRY_ASSIGN(KeySerial serial, find_item(key));
  auto data = kc::read_payload(serial);
  if (!data) {
    if (data.error().code() == Errc::NotFound) return not_found_error();  // revoked meanwhile
    return std::move(data).error().with_context("reading " + ascii::quote_for_terminal(key));
  }
  Item item;
  item.key = std::string(key);
  item.data = std::move(*data);
  return item;
}

Result<Metadata> KeyctlKeyring::get_metadata(std::string_view /*key*/) {
  return metadata_unsupported_error();
}

Status KeyctlKeyring::set(const Item& item) {
  auto serial = kc::add_user_key(item.key, item.data.reveal(), ring_);
  if (!serial) {
    return std::move(serial).error().with_context("storing " + ascii::quote_for_terminal(item.key));
  }
  if (options_.perm != 0) AV_TRY(kc::set_perm(*serial, options_.perm));
  return ok();
}

Status KeyctlKeyring::remove(std::string_view key) {
  AV_TRY_ASSIGN(KeySerial serial, find_item(key));
  auto unlinked = kc::unlink(serial, ring_);
  if (!unlinked) {
    return std::move(unlinked).error().with_context("removing " + ascii::quote_for_terminal(key));
  }
  return ok();
}

Result<std::vector<std::string>> KeyctlKeyring::keys() {
  AV_TRY_ASSIGN(std::vector<KeySerial> serials, kc::list_keyring(ring_));
  std::vector<std::string> out;
  for (KeySerial serial : serials) {
    auto described = kc::describe(serial);
    if (!described) {
      if (described.error().code() == Errc::NotFound) continue;  // unlinked meanwhile
      return std::move(described).error().with_context("listing keys");
    }
    if (described->type == "user") out.push_back(std::move(described->description));
  }
  return out;
}

}  // namespace av::keyring::keyctl
