// oidc_cache.cpp: the OIDC token item (spec §5.4 plus our client registration) and the AWS CLI
// SSO cache file (§10.4).
#include "vault/oidc_cache.h"

#include <cstdint>
#include <limits>
#include <utility>

#include "base/ascii.h"
#include "base/limits.h"
#include "base/log.h"
#include "codec/hex.h"
#include "codec/iso8601.h"
#include "codec/json/reader.h"
#include "codec/json/writer.h"
#include "crypto/sha1.h"
#include "keyring/keys.h"
#include "platform/paths.h"
#include "platform/secure_file.h"

namespace av::vault {
namespace {

namespace json = codec::json;
using std::chrono::system_clock;
using Kind = json::Value::Kind;

constexpr std::string_view kItemDescription = "aws-vault oidc token";

const json::SecretFields& secret_fields() {
  static const json::SecretFields fields{"AccessToken", "RefreshToken", "IdToken",
                                         "ClientSecret"};
  return fields;
}

Error item_error(std::string_view what) {
  return Error(Errc::Parse, "oidc item: " + std::string(what));
}

codec::SysNanoseconds to_sys_ns(system_clock::time_point t) {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(t);
}

// Each read_* accepts null as "absent" (Go leaves the field at its zero value).
Status read_text(const json::Value& v, std::string_view name, std::string& out) {
  if (v.is_null()) return ok();
  auto text = v.as_string();
  if (!text) return item_error(std::string(name) + " is not a string");
  out.assign(*text);
  return ok();
}

Status read_secret(json::Value& v, std::string_view name, secure::SecretString& out) {
  if (v.is_null()) return ok();
  auto secret = v.take_secret();
  if (!secret) return item_error(std::string(name) + " is not a string");
  out = std::move(secret).value();
  return ok();
}

Status read_time(const json::Value& v, std::string_view name,
                 std::optional<system_clock::time_point>& out) {
  if (v.is_null()) return ok();
  auto text = v.as_string();
  if (!text) return item_error(std::string(name) + " is not a string");
  auto instant = codec::parse_rfc3339(*text);
  if (!instant) return item_error(std::string(name) + " is not an RFC 3339 time");
  out = system_clock::time_point(
      std::chrono::duration_cast<system_clock::duration>(instant->time_since_epoch()));
  return ok();
}

Status read_strings(const json::Value& v, std::string_view name, std::vector<std::string>& out) {
  out.clear();
  if (v.is_null()) return ok();
  if (v.kind() != Kind::Array) return item_error(std::string(name) + " is not an array");
  if (v.elements().size() > limits::kMaxOidcScopes) {
    return Error(Errc::TooLarge, "oidc item: " + std::string(name) + " has more than " +
                                     std::to_string(limits::kMaxOidcScopes) + " entries");
  }
  for (const json::Value& element : v.elements()) {
    auto text = element.as_string();
    if (!text) return item_error(std::string(name) + " holds a value that is not a string");
    out.emplace_back(*text);
  }
  return ok();
}

Status read_expires_in(const json::Value& v, std::chrono::seconds& out) {
  if (v.is_null()) return ok();
  auto n = v.as_int64();
  if (!n || *n < std::numeric_limits<std::int32_t>::min() ||
      *n > std::numeric_limits<std::int32_t>::max()) {
    return item_error("ExpiresIn is not a 32-bit integer");
  }
  out = std::chrono::seconds(*n);
  return ok();
}

// for_each_member calls `read(name, value)` for every member of `object`, in document order,
// with mutable access so that secrets can be moved out. Exact duplicate keys are already
// rejected by the reader, so find() returns the member being visited.
template <class Read>
Status for_each_member(json::Value& object, Read read) {
  for (std::size_t i = 0; i < object.members().size(); ++i) {
    const std::string name = object.members()[i].key;
    AV_TRY(read(std::string_view(name), *object.find(name)));
  }
  return ok();
}

Result<aws::OidcToken> read_token(json::Value& v) {
  if (v.is_null()) return item_error("missing Token");
  if (v.kind() != Kind::Object) return item_error("Token is not an object");
  aws::OidcToken token;
  AV_TRY(for_each_member(v, [&token](std::string_view name, json::Value& member) -> Status {
    if (ascii::iequals(name, "AccessToken")) return read_secret(member, name, token.access_token);
    if (ascii::iequals(name, "RefreshToken")) {
      return read_secret(member, name, token.refresh_token);
    }
    if (ascii::iequals(name, "IdToken")) return read_secret(member, name, token.id_token);
    if (ascii::iequals(name, "TokenType")) return read_text(member, name, token.token_type);
    if (ascii::iequals(name, "ExpiresIn")) return read_expires_in(member, token.expires_in);
    return ok();  // ResultMetadata and members newer SDKs add
  }));
  if (token.access_token.empty()) return item_error("Token has no AccessToken");
  return token;
}

Result<CachedOidcClient> read_client(json::Value& v) {
  if (v.kind() != Kind::Object) return item_error("Client is not an object");
  CachedOidcClient c;
  std::optional<system_clock::time_point> expires_at;
  AV_TRY(for_each_member(v, [&](std::string_view name, json::Value& member) -> Status {
    if (ascii::iequals(name, "ClientId")) return read_text(member, name, c.client.client_id);
    if (ascii::iequals(name, "ClientSecret")) {
      return read_secret(member, name, c.client.client_secret);
    }
    if (ascii::iequals(name, "ExpiresAt")) return read_time(member, name, expires_at);
    if (ascii::iequals(name, "Region")) return read_text(member, name, c.region);
    if (ascii::iequals(name, "Scopes")) return read_strings(member, name, c.scopes);
    if (ascii::iequals(name, "GrantTypes")) return read_strings(member, name, c.grant_types);
    return ok();
  }));
  if (c.client.client_id.empty()) return item_error("Client has no ClientId");
  if (c.client.client_secret.empty()) return item_error("Client has no ClientSecret");
  if (!expires_at) return item_error("Client has no ExpiresAt");
  c.client.expires_at = *expires_at;
  return c;
}

// The writer's helpers: empty strings are written as null, as upstream writes absent pointers.
Status write_secret_or_null(json::SecretWriter& w, std::string_view key,
                            const secure::SecretString& value) {
  AV_TRY(w.key(key));
  return value.empty() ? w.value_null() : w.value_secret(value);
}

Status write_text_or_null(json::SecretWriter& w, std::string_view key, std::string_view value) {
  AV_TRY(w.key(key));
  return value.empty() ? w.value_null() : w.value_string(value);
}

Status write_strings(json::SecretWriter& w, std::string_view key,
                     const std::vector<std::string>& values) {
  AV_TRY(w.key(key));
  AV_TRY(w.begin_array());
  for (const std::string& value : values) AV_TRY(w.value_string(value));
  return w.end_array();
}

Status write_token(json::SecretWriter& w, const aws::OidcToken& token) {
  AV_TRY(w.key("Token"));
  AV_TRY(w.begin_object());
  AV_TRY(write_secret_or_null(w, "AccessToken", token.access_token));
  AV_TRY(w.key("ExpiresIn"));
  AV_TRY(w.value_int(token.expires_in.count()));
  AV_TRY(write_secret_or_null(w, "IdToken", token.id_token));
  AV_TRY(write_secret_or_null(w, "RefreshToken", token.refresh_token));
  AV_TRY(write_text_or_null(w, "TokenType", token.token_type));
  AV_TRY(w.key("ResultMetadata"));
  AV_TRY(w.begin_object());
  AV_TRY(w.end_object());
  return w.end_object();
}

Status write_client(json::SecretWriter& w, const CachedOidcClient& c) {
  AV_TRY(w.key("Client"));
  AV_TRY(w.begin_object());
  AV_TRY(w.key("ClientId"));
  AV_TRY(w.value_string(c.client.client_id));
  AV_TRY(w.key("ClientSecret"));
  AV_TRY(w.value_secret(c.client.client_secret));
  AV_TRY(w.key("ExpiresAt"));
  AV_TRY(w.value_string(codec::format_rfc3339_nano(to_sys_ns(c.client.expires_at))));
  AV_TRY(w.key("Region"));
  AV_TRY(w.value_string(c.region));
  AV_TRY(write_strings(w, "Scopes", c.scopes));
  AV_TRY(write_strings(w, "GrantTypes", c.grant_types));
  return w.end_object();
}

std::string escaped_url(std::string_view start_url) {
  return ascii::escape_for_terminal(start_url);
}

}  // namespace

Result<OidcItem> parse_oidc_item(std::string_view text) {
  Result<json::Value> parsed = json::parse(text, secret_fields());
  if (!parsed) return std::move(parsed).error().with_context("oidc item");
  json::Value& doc = *parsed;
  if (doc.kind() != Kind::Object) return item_error("not a JSON object");
  std::optional<aws::OidcToken> token;
  std::optional<system_clock::time_point> expiration;
  std::optional<CachedOidcClient> client;
  AV_TRY(for_each_member(doc, [&](std::string_view name, json::Value& member) -> Status {
    if (ascii::iequals(name, "Token")) {
      AV_TRY_ASSIGN(token, read_token(member));
    } else if (ascii::iequals(name, "Expiration")) {
      return read_time(member, name, expiration);
    } else if (ascii::iequals(name, "Client") && !member.is_null()) {
      AV_TRY_ASSIGN(client, read_client(member));
    }
    return ok();
  }));
  if (!token) return item_error("missing Token");
  if (!expiration) return item_error("missing Expiration");
  return OidcItem{std::move(*token), *expiration, std::move(client)};
}

Result<secure::SecretString> serialize_oidc_item(const OidcItem& item) {
  json::SecretWriter w(json::Style::Compact, limits::kMaxSecretItemBytes);
  AV_TRY(w.begin_object());
  AV_TRY(write_token(w, item.token));
  AV_TRY(w.key("Expiration"));
  AV_TRY(w.value_string(codec::format_rfc3339_nano(to_sys_ns(item.expiration))));
  if (item.client) AV_TRY(write_client(w, *item.client));
  AV_TRY(w.end_object());
  return std::move(w).finish();
}

std::string oidc_item_label(std::string_view start_url, system_clock::time_point expiration) {
  return "aws-vault oidc token for " + std::string(start_url) + " (expires " +
         codec::format_rfc3339(to_sys_ns(expiration)) + ")";
}

Result<std::optional<OidcItem>> OidcTokenStore::load(std::string_view start_url) {
  Result<keyring::Item> item = keyring_.get(keyring::oidc_token_key(start_url));
  if (!item) {
    if (keyring::is_not_found(item.error())) return std::optional<OidcItem>{};
    return std::move(item).error();
  }
  Result<OidcItem> parsed = parse_oidc_item(as_chars(item->data.reveal()));
  if (!parsed) {
    log::debug("OIDC token for '" + escaped_url(start_url) + "' does not decode (" +
               ascii::escape_for_terminal(parsed.error().message()) + "), ignoring it");
    return std::optional<OidcItem>{};
  }
  return std::optional<OidcItem>(std::move(parsed).value());
}

Status OidcTokenStore::store(std::string_view start_url, const OidcItem& item) {
  AV_TRY_ASSIGN(const secure::SecretString json, serialize_oidc_item(item));
  keyring::Item out;
  out.key = keyring::oidc_token_key(start_url);
  out.data = secure::SecretBytes::copy_of(json.reveal_bytes());
  out.label = oidc_item_label(start_url, item.expiration);
  out.description = std::string(kItemDescription);
  out.keychain_not_trust_application = false;
  return keyring_.set(out);
}

Status OidcTokenStore::remove(std::string_view start_url) {
  Status removed = keyring_.remove(keyring::oidc_token_key(start_url));
  if (!removed && keyring::is_not_found(removed.error())) return ok();
  return removed;
}

Result<std::string> aws_cli_sso_cache_path(const config::ResolvedProfile& profile,
                                           const platform::Environment& env) {
  AV_TRY_ASSIGN(const std::string home, platform::home_dir(env));
  const std::string_view key =
      profile.sso_session.empty() ? profile.sso_start_url : profile.sso_session;
  const std::string name = codec::encode_hex(crypto::sha1(as_bytes(key))) + ".json";
  return platform::join_path(platform::join_path(home, ".aws/sso/cache"), name);
}

Result<secure::SecretString> serialize_aws_cli_sso_cache(const OidcItem& item,
                                                         system_clock::time_point now) {
  // As upstream: the whole seconds left (ExpiresIn recomputed), added to now.
  const auto left = std::chrono::duration_cast<std::chrono::seconds>(item.expiration - now);
  const system_clock::time_point expires_at = now + left;
  json::SecretWriter w(json::Style::Compact, limits::kMaxSecretItemBytes);
  AV_TRY(w.begin_object());
  AV_TRY(w.key("accessToken"));
  AV_TRY(w.value_secret(item.token.access_token));
  AV_TRY(w.key("expiresAt"));
  AV_TRY(w.value_string(codec::format_rfc3339_utc(to_sys_ns(expires_at))));
  if (!item.token.refresh_token.empty()) {
    AV_TRY(w.key("refreshToken"));
    AV_TRY(w.value_secret(item.token.refresh_token));
  }
  AV_TRY(w.end_object());
  return std::move(w).finish();
}

Status write_aws_cli_sso_cache(keyring::Keyring& keyring, const config::ResolvedProfile& profile,
                               const platform::Environment& env, const platform::Clock& clock) {
  const std::string url = profile.sso_start_url;
  const auto not_found = [&url](std::string_view why) {
    return Error(Errc::NotFound,
                 "OIDC token not found in keyring for " + escaped_url(url) + ": " + std::string(why));
  };
  OidcTokenStore store(keyring);
  Result<std::optional<OidcItem>> loaded = store.load(url);
  if (!loaded) {
    return Error(loaded.error().code(), "OIDC token not found in keyring for " + escaped_url(url) +
                                            ": " + std::string(loaded.error().message()));
  }
  if (!*loaded) return not_found(keyring::kNotFoundMessage);
  const auto now = clock.now();
  if ((*loaded)->expiration <= now) return not_found("the token has expired");
  AV_TRY_ASSIGN(const std::string path, aws_cli_sso_cache_path(profile, env));
  AV_TRY(platform::ensure_private_dir(platform::parent_dir(path)));
  AV_TRY_ASSIGN(const secure::SecretString text, serialize_aws_cli_sso_cache(**loaded, now));
  return platform::write_file_atomic(path, text, platform::kPrivateFile);
}

}  // namespace av::vault
