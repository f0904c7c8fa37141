// session_cache.cpp: cached sessions in the keyring (spec §4.4, §5.3).
#include "vault/session_cache.h"

#include <array>
#include <utility>

#include "base/ascii.h"
#include "base/limits.h"
#include "base/log.h"
#include "codec/go_duration.h"
#include "codec/iso8601.h"
#include "codec/json/reader.h"
#include "codec/json/writer.h"
#include "keyring/keys.h"

namespace av::vault::detail {
namespace {

using std::chrono::system_clock;

codec::SysNanoseconds to_sys_ns(system_clock::time_point t) {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(t);
}

std::int64_t unix_seconds(system_clock::time_point t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

// read_text stores a string member (null: empty) into `out`.
Status read_text(const codec::json::Value& value, std::string_view name, std::string& out) {
  if (value.is_null()) return ok();
  auto text = value.as_string();
  if (!text) return Error(Errc::Parse, "session json: field " + std::string(name) + " is not a string");
  out.assign(*text);
  return ok();
}

// read_secret moves a secret member (null: empty) into `out`.
Status read_secret(codec::json::Value& value, std::string_view name, secure::SecretString& out) {
  if (value.is_null()) return ok();
  auto secret = value.take_secret();
  if (!secret) return Error(Errc::Parse, "session json: field " + std::string(name) + " is not a string");
  out = std::move(secret).value();
  return ok();
}

Status read_expiration(const codec::json::Value& value, aws::Credentials& out) {
  std::string text;
  AV_TRY(read_text(value, "Expiration", text));
  if (text.empty()) return ok();
  auto instant = codec::parse_rfc3339(text);
  if (!instant) return Error(Errc::Parse, "session json: field Expiration is not RFC 3339");
  out.expiration = system_clock::time_point(
      std::chrono::duration_cast<system_clock::duration>(instant->time_since_epoch()));
  return ok();
}

Status read_member(codec::json::Member& member, aws::Credentials& out) {
  const std::string_view key = member.key;
  if (ascii::iequals(key, "AccessKeyId")) return read_text(member.value, key, out.access_key_id);
  if (ascii::iequals(key, "SecretAccessKey")) {
    return read_secret(member.value, "SecretAccessKey", out.secret_access_key);
  }
  if (ascii::iequals(key, "SessionToken")) {
    return read_secret(member.value, "SessionToken", out.session_token);
  }
  if (ascii::iequals(key, "Expiration")) return read_expiration(member.value, out);
  return ok();
}

bool starts_with(std::string_view text, std::string_view prefix) noexcept {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::string CacheSlot::prefix() const {
  return keyring::session_key_prefix(type, profile, serial);
}

Result<secure::SecretString> serialize_session_json(const aws::Credentials& creds) {
  if (!creds.expiration) return Error(Errc::Parse, "session json: credentials without expiration");
  codec::json::SecretWriter writer(codec::json::Style::Compact, limits::kMaxSecretItemBytes);
  AV_TRY(writer.begin_object());
  AV_TRY(writer.key("AccessKeyId"));
  AV_TRY(writer.value_string(creds.access_key_id));
  AV_TRY(writer.key("Expiration"));
  AV_TRY(writer.value_string(codec::format_rfc3339_nano(to_sys_ns(*creds.expiration))));
  AV_TRY(writer.key("SecretAccessKey"));
  AV_TRY(writer.value_secret(creds.secret_access_key));
  AV_TRY(writer.key("SessionToken"));
  AV_TRY(writer.value_secret(creds.session_token));
  AV_TRY(writer.end_object());
  return std::move(writer).finish();
}

Result<aws::Credentials> parse_session_json(std::string_view json) {
  static const codec::json::SecretFields kSecrets = {"SecretAccessKey", "SessionToken"};
  AV_TRY_ASSIGN(codec::json::Value doc, codec::json::parse(json, kSecrets));
  if (doc.kind() != codec::json::Value::Kind::Object) {
    return Error(Errc::Parse, "session json: not an object");
  }
  aws::Credentials out;
  // members() is const; the secrets are moved out of a mutable copy of each member's value.
  for (std::size_t i = 0; i < doc.members().size(); ++i) {
    const std::string key = doc.members()[i].key;
    codec::json::Member member{key, std::move(*doc.find(key))};
    AV_TRY(read_member(member, out));
  }
  if (!out.expiration) return Error(Errc::Parse, "session json: missing Expiration");
  return out;
}

std::string session_label(std::string_view profile, system_clock::time_point expiration) {
  return "aws-vault session for " + std::string(profile) + " (expires " +
         codec::format_rfc3339(to_sys_ns(expiration)) + ")";
}

std::string mask_access_key(std::string_view access_key_id) {
  const std::size_t n = access_key_id.size();
  return std::string(16, '*') + std::string(access_key_id.substr(n > 4 ? n - 4 : 0));
}

Result<std::vector<std::string>> SessionCache::purge() {
  AV_TRY_ASSIGN(std::vector<std::string> keys, keyring_.keys());
  const std::int64_t now = unix_seconds(clock_.now());
  std::vector<std::string> kept;
  for (auto& key : keys) {
    bool drop = false;
    const keyring::KeyKind kind = keyring::classify_key(key);
    if (kind == keyring::KeyKind::LegacySession) drop = true;
    if (kind == keyring::KeyKind::Session) {
      auto parsed = keyring::parse_session_key(key);
      drop = parsed.has_value() && parsed->expiry_unix < now;
    }
    if (drop) {
      (void)keyring_.remove(key);  // errors ignored, as upstream
    } else {
      kept.push_back(std::move(key));
    }
  }
  return kept;
}

Result<std::optional<aws::Credentials>> SessionCache::lookup(const CacheSlot& slot) {
  AV_TRY_ASSIGN(std::vector<std::string> keys, purge());
  const std::string prefix = slot.prefix();
  for (const auto& key : keys) {
    if (!starts_with(key, prefix)) continue;
    auto item = keyring_.get(key);
    if (!item) return std::optional<aws::Credentials>{};
    auto creds = parse_session_json(as_chars(item->data.reveal()));
    if (!creds) return std::optional<aws::Credentials>{};
    const auto left = *creds->expiration - clock_.now();
    if (left < min_ttl_) return std::optional<aws::Credentials>{};
    if (log::debug_enabled()) {
      log::debug("Re-using cached credentials " + mask_access_key(creds->access_key_id) +
                 " from " + std::string(slot.type) + ", expires in " +
                 codec::format_go_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(left)));
    }
    return std::optional<aws::Credentials>(std::move(creds).value());
  }
  return std::optional<aws::Credentials>{};
}

Status SessionCache::store(const CacheSlot& slot, const aws::Credentials& creds) {
  if (!creds.expiration) return Error(Errc::Internal, "cannot cache credentials without expiry");
  AV_TRY_ASSIGN(std::vector<std::string> keys, purge());
  keyring::SessionKey key{std::string(slot.type), slot.profile, slot.serial,
                          unix_seconds(*creds.expiration)};
  AV_TRY_ASSIGN(std::string name, keyring::format_session_key(key));
  const std::string prefix = slot.prefix();
  for (const auto& existing : keys) {
    if (!starts_with(existing, prefix) || existing == name) continue;
    Status removed = keyring_.remove(existing);
    if (!removed && !keyring::is_not_found(removed.error())) return removed;
  }
  AV_TRY_ASSIGN(secure::SecretString json, serialize_session_json(creds));
  keyring::Item item;
  item.key = std::move(name);
  item.data = secure::SecretBytes::copy_of(json.reveal_bytes());
  item.label = session_label(slot.profile, *creds.expiration);
  item.description = "aws-vault session";
  item.keychain_not_trust_application = false;
  return keyring_.set(item);
}

}  // namespace av::vault::detail
