// session_cache.h (internal to vault/): cached STS/SSO/process sessions in the keyring (spec
// §4.4, key and item formats of §5.3).
//
// Every lookup and store first purges legacy-format session keys and current-format keys whose
// encoded expiry is in the past (deletion errors ignored, as upstream). A lookup reuses the first
// key in keyring order that starts with `<type>,<b64(profile)>,<b64(serial)>,` when its JSON
// decodes and at least `min_ttl` of validity remain; anything else is a miss. A store replaces
// the item under the same prefix.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "base/result.h"
#include "keyring/keyring.h"
#include "platform/clock.h"
#include "secure/secret.h"

namespace av::vault::detail {

// CacheSlot: what a cached session is filed under (the key minus its expiry).
struct CacheSlot {
  std::string_view type;  // keyring::kSessionType...
  std::string profile;
  std::string serial;  // MFA serial, SSO start URL, or empty
  // prefix is the lookup prefix `<type>,<b64(profile)>,<b64(serial)>,`.
  std::string prefix() const;
};

// serialize_session_json writes {"AccessKeyId","Expiration","SecretAccessKey","SessionToken"}
// compactly in that order, Expiration in RFC 3339 (UTC, nanoseconds when non-zero), into locked
// memory. Errc::Parse when `creds` has no expiration; Errc::TooLarge past kMaxSecretItemBytes.
[[nodiscard]] Result<secure::SecretString> serialize_session_json(const aws::Credentials& creds);

// parse_session_json reads the same document (field names in any letter case; unknown fields
// ignored). Errc::Parse for invalid JSON, a field of the wrong type, or a missing or invalid
// Expiration; the JSON reader's limits apply. Messages never contain secret values.
[[nodiscard]] Result<aws::Credentials> parse_session_json(std::string_view json);

// session_label is `aws-vault session for <profile> (expires <RFC 3339 seconds, UTC>)`.
std::string session_label(std::string_view profile,
                          std::chrono::system_clock::time_point expiration);

// mask_access_key renders an access key id for display: 16 '*' and its last four characters.
std::string mask_access_key(std::string_view access_key_id);

// SessionCache: the cache over one keyring. Borrows `keyring` and `clock`; not thread-safe
// (serialise callers through the keyring, as the single-flight lock does across processes).
class SessionCache {
 public:
  SessionCache(keyring::Keyring& keyring, const platform::Clock& clock,
               std::chrono::nanoseconds min_ttl) noexcept
      : keyring_(keyring), clock_(clock), min_ttl_(min_ttl) {}

  // purge deletes legacy session keys and expired current-format session keys, ignoring
  // deletion errors, and returns the keys that remain. Errors: the keyring's keys() errors.
  [[nodiscard]] Result<std::vector<std::string>> purge();

  // lookup returns the cached credentials for `slot`, or nullopt on a miss (none, undecodable,
  // unreadable, or expiring within min_ttl). Errors: keys() errors from purge.
  [[nodiscard]] Result<std::optional<aws::Credentials>> lookup(const CacheSlot& slot);

  // store files `creds` (which must carry an expiration) under `slot`, replacing any key with
  // the same prefix. Errors: the keyring's set/keys errors, serialisation errors.
  [[nodiscard]] Status store(const CacheSlot& slot, const aws::Credentials& creds);

 private:
  keyring::Keyring& keyring_;
  const platform::Clock& clock_;
  std::chrono::nanoseconds min_ttl_;
};

}  // namespace av::vault::detail
