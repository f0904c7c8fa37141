// clear.cpp: the `clear` command (spec §2.7): delete cached sessions and OIDC tokens, all of them
// or one profile's; long-term credentials are never touched.
#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands/commands.h"
#include "cli/config_loader.h"
#include "cli/keyring_access.h"
#include "keyring/keys.h"

namespace av::cli::commands {
namespace {

// expired_or_legacy is step (a): a legacy key, or a current one whose expiry is in the past.
bool expired_or_legacy(std::string_view key, std::int64_t now_unix) {
  const keyring::KeyKind kind = keyring::classify_key(key);
  if (kind == keyring::KeyKind::LegacySession) return true;
  if (kind != keyring::KeyKind::Session) return false;
  const Result<keyring::SessionKey> s = keyring::parse_session_key(key);
  return s && s->expiry_unix < now_unix;
}

// clear_all deletes (a) legacy and expired sessions, (b) the other sessions, (c) OIDC tokens.
Result<std::size_t> clear_all(keyring::Keyring& ring, std::int64_t now_unix) {
  AV_TRY_ASSIGN(const std::vector<std::string> keys, ring.keys());
  std::size_t count = 0;
  std::vector<std::string_view> later;
  for (const std::string& key : keys) {
    if (expired_or_legacy(key, now_unix)) {
      AV_TRY(ring.remove(key));
      ++count;
    } else {
      later.push_back(key);
    }
  }
  for (const keyring::KeyKind kind : {keyring::KeyKind::Session, keyring::KeyKind::OidcToken}) {
    for (std::string_view key : later) {
      if (keyring::classify_key(key) != kind) continue;
      AV_TRY(ring.remove(key));
      ++count;
    }
  }
  return count;
}

Result<std::size_t> clear_profile(keyring::Keyring& ring, const config::AwsConfig& config,
                                  std::string_view profile) {
  AV_TRY_ASSIGN(std::size_t count, delete_profile_sessions(ring, profile));
  const auto view = config.find_profile(profile);
  const auto url = view ? config::profile_sso_start_url(config, *view) : std::nullopt;
  if (!url || url->empty()) return count;
  AV_TRY_ASSIGN(const std::vector<std::string> keys, ring.keys());
  const std::string token_key = keyring::oidc_token_key(*url);
  if (std::find(keys.begin(), keys.end(), token_key) == keys.end()) return count;
  AV_TRY(ring.remove(token_key));
  return count + 1;
}

}  // namespace

Status run_clear(const Invocation& in) {
  AV_TRY_ASSIGN(keyring::Keyring* const ring, open_keyring(in));
  AV_TRY_ASSIGN(const config::AwsConfig config, load_aws_config(in.ctx));
  const std::string_view profile = in.args.arg("profile");
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(in.ctx.clock.now().time_since_epoch());
  AV_TRY_ASSIGN(const std::size_t count, profile.empty() ? clear_all(*ring, now.count())
                                                         : clear_profile(*ring, config, profile));
  return in.ctx.out.write("Cleared " + std::to_string(count) + " sessions.\n");
}

}  // namespace av::cli::commands
