// external.cpp: credentials and tokens from other programs and files (spec §4.3).
//
// Deliberate difference from upstream (spec §4.3 "⚠ quirk"): upstream requires all four of
// AccessKeyId, SecretAccessKey, SessionToken and Expiration, so a credential_process that hands
// out long-term keys (the AWS SDKs' "Version 1" format, where SessionToken and Expiration are
// optional) is rejected by aws-vault although the AWS CLI and SDKs accept it. Only AccessKeyId and
// SecretAccessKey are required here (an empty one counts as missing: it cannot sign anything);
// without Expiration the credentials have no expiration, and without SessionToken none.
#include "vault/external.h"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>

#include "base/ascii.h"
#include "base/bytes.h"
#include "base/limits.h"
#include "codec/iso8601.h"
#include "codec/json/reader.h"
#include "platform/process.h"
#include "platform/secure_file.h"

namespace av::vault {
namespace detail {

// run_credential_process is the public function with the command timeout as a parameter (tests
// pass a short one).
Result<aws::Credentials> run_credential_process(std::string_view command,
                                                const platform::Environment& env,
                                                std::chrono::milliseconds timeout);
// web_identity_token is the public function with the command timeout as a parameter.
Result<secure::SecretString> web_identity_token(const config::ResolvedProfile& profile,
                                                const platform::Environment& env,
                                                std::chrono::milliseconds timeout);

}  // namespace detail

namespace {

using codec::json::Value;

// The fields of credential_process output, in the order upstream lists missing ones.
enum class Field : std::size_t { AccessKeyId, Expiration, SecretAccessKey, SessionToken, Count };
constexpr std::array<std::string_view, static_cast<std::size_t>(Field::Count)> kFieldNames = {
    "AccessKeyId", "Expiration", "SecretAccessKey", "SessionToken"};

const codec::json::SecretFields& secret_fields() {
  // Matched in any ASCII letter case, so no spelling of a secret lands in a std::string.
  static const codec::json::SecretFields kFields = {"SecretAccessKey", "SessionToken"};
  return kFields;
}

std::string quoted(std::string_view command) { return ascii::quote_for_terminal(command); }

// run_command runs `/bin/sh -c command` with stdin from /dev/null (run_program offers no
// inherited stdin), stderr inherited, stdout captured (at most max_len bytes) within `timeout`.
// Errors: `running command "<cmd>": <reason>`, with run_program's code, or Errc::Io for a child
// that fails ("exit status 3", "signal: killed").
Result<secure::SecretBytes> run_command(std::string_view command,
                                        const platform::Environment& env, std::size_t max_len,
                                        std::chrono::milliseconds timeout) {
  platform::RunRequest request;
  request.argv = {"/bin/sh", "-c", std::string(command)};
  request.env = &env;
  request.max_stdout_len = max_len;
  request.stderr_mode = platform::StderrMode::Inherit;
  request.timeout = timeout;
  const std::string context = "running command " + quoted(command);
  auto run = platform::run_program(request);
  if (!run) return std::move(run).error().with_context(context);
  if (!run->status.success()) return Error(Errc::Io, context + ": " + run->status.describe());
  return std::move(run->stdout_data);
}

// Found: the recognised members of one credential_process document.
struct Found {
  std::array<bool, static_cast<std::size_t>(Field::Count)> seen{};
  aws::Credentials creds;
};

std::optional<Field> field_named(std::string_view key) {
  for (std::size_t i = 0; i < kFieldNames.size(); ++i) {
    if (ascii::iequals(key, kFieldNames[i])) return static_cast<Field>(i);
  }
  return std::nullopt;
}

Error not_a_string(Field field) {
  return Error(Errc::Parse, "json: field \"" +
                                std::string(kFieldNames[static_cast<std::size_t>(field)]) +
                                "\" must be a string");
}

// take_text reads a non-secret string member.
Result<std::string> take_text(Field field, const Value& value) {
  auto text = value.as_string();
  if (!text) return not_a_string(field);
  return std::string(*text);
}

// take_secret moves a secret member out of the document.
Result<secure::SecretString> take_secret(Field field, Value& value) {
  if (value.kind() == Value::Kind::Secret) return value.take_secret();
  return not_a_string(field);
}

// apply stores one recognised, non-null member into `found`.
Status apply(Field field, Value& value, Found& found) {
  switch (field) {
    case Field::AccessKeyId: {
      AV_TRY_ASSIGN(found.creds.access_key_id, take_text(field, value));
      break;
    }
    case Field::SecretAccessKey: {
      AV_TRY_ASSIGN(found.creds.secret_access_key, take_secret(field, value));
      break;
    }
    case Field::SessionToken: {
      AV_TRY_ASSIGN(found.creds.session_token, take_secret(field, value));
      break;
    }
    case Field::Expiration: {
      AV_TRY_ASSIGN(std::string text, take_text(field, value));
      auto when = codec::parse_rfc3339(text);
      if (!when) return std::move(when).error().with_context("parsing Expiration");
      found.creds.expiration =
          std::chrono::time_point_cast<std::chrono::system_clock::duration>(*when);
      break;
    }
    case Field::Count:
      break;
  }
  return ok();
}

// read_members parses `json` and collects the four fields (any letter case; null = absent;
// others ignored). Errors are the reader's, or Errc::Parse for a non-object, a repeated field
// (in any letter case) or a field of the wrong type.
Result<Found> read_members(std::string_view json) {
  AV_TRY_ASSIGN(Value doc, codec::json::parse(json, secret_fields()));
  if (doc.kind() != Value::Kind::Object) {
    return Error(Errc::Parse, "json: credentials must be a JSON object");
  }
  Found found;
  // members() is const; the secrets are moved out through find() on the same key.
  for (const auto& member : doc.members()) {
    auto field = field_named(member.key);
    if (!field) continue;
    const auto i = static_cast<std::size_t>(*field);
    if (found.seen[i]) {
      return Error(Errc::Parse, "json: field \"" + std::string(kFieldNames[i]) + "\" repeated");
    }
    found.seen[i] = true;
    Value* value = doc.find(member.key);
    if (value == nullptr || value->is_null()) continue;  // null means absent, as in Go
    AV_TRY(apply(*field, *value, found));
  }
  return found;
}

// missing_fields lists the required fields that are absent, null or empty, in upstream's order,
// as Go prints a []string: "[AccessKeyId SecretAccessKey]"; empty when none is missing.
std::string missing_fields(const aws::Credentials& creds) {
  std::string names;
  auto add = [&names](std::string_view name) {
    names += names.empty() ? "" : " ";
    names += name;
  };
  if (creds.access_key_id.empty()) add("AccessKeyId");
  if (creds.secret_access_key.empty()) add("SecretAccessKey");
  return names.empty() ? names : "[" + names + "]";
}

// parse_output turns a credential_process's stdout into credentials (spec §4.3 messages).
Result<aws::Credentials> parse_output(std::string_view command, std::string_view json) {
  auto found = read_members(json);
  if (!found) {
    return std::move(found).error().with_context("invalid JSON format from command " +
                                                 quoted(command));
  }
  std::string missing = missing_fields(found->creds);
  if (!missing.empty()) {
    return Error(Errc::Parse, "JSON credential from command " + quoted(command) +
                                  " missing the following fields: " + missing);
  }
  return std::move(found->creds);
}

}  // namespace

namespace detail {

Result<aws::Credentials> run_credential_process(std::string_view command,
                                                const platform::Environment& env,
                                                std::chrono::milliseconds timeout) {
  AV_TRY_ASSIGN(secure::SecretBytes output,
                run_command(command, env, kCredentialProcessMaxOutput, timeout));
  return parse_output(command, as_chars(output.reveal()));
}

Result<secure::SecretString> web_identity_token(const config::ResolvedProfile& profile,
                                                const platform::Environment& env,
                                                std::chrono::milliseconds timeout) {
  constexpr std::size_t kMax = limits::kMaxWebIdentityTokenBytes;
  if (!profile.web_identity_token_file.empty()) {
    const std::string& path = profile.web_identity_token_file;
    // Symlinks are followed: Kubernetes projects service-account tokens through symlinks.
    auto bytes = platform::read_secret_file(path, kMax, platform::Follow::Symlinks);
    if (!bytes) {
      return std::move(bytes).error().with_context("unable to read file at " +
                                                   ascii::escape_for_terminal(path));
    }
    return secure::SecretString::copy_of(as_chars(bytes->reveal()));
  }
  if (profile.web_identity_token_process.empty()) {
    return Error(Errc::Config, "profile " + ascii::quote_for_terminal(profile.name) +
                                   ": no web_identity_token_file or web_identity_token_process");
  }
  AV_TRY_ASSIGN(secure::SecretBytes output,
                run_command(profile.web_identity_token_process, env, kMax, timeout));
  return secure::SecretString::copy_of(as_chars(output.reveal()));
}

}  // namespace detail

Result<aws::Credentials> run_credential_process(std::string_view command,
                                                const platform::Environment& env) {
  return detail::run_credential_process(command, env, kExternalCommandTimeout);
}

Result<secure::SecretString> web_identity_token(const config::ResolvedProfile& profile,
                                                const platform::Environment& env) {
  return detail::web_identity_token(profile, env, kExternalCommandTimeout);
}

}  // namespace av::vault
