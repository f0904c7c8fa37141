// profile_resolver.cpp: spec cli.md §3.5 (the config loader) into the record of §4.1.
//
// Both walks are loops, not recursion: the include_profile/[default] walk of one profile, and the
// source_profile chain, each with a visited list that turns a repeat into a `profile cycle` error
// and a length cap (limits::kMaxProfileChainDepth) that also bounds the depth of the linked
// record chain (its destructor recurses). Nothing escapes on error: records are built in locals
// and moved into the Resolution at the end.
#include "config/profile_resolver.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <limits>

#include "base/ascii.h"
#include "base/limits.h"
#include "codec/go_duration.h"

namespace av::config {
namespace {

using Notes = std::vector<std::string>;
using std::chrono::nanoseconds;

// The environment after parsing: durations, tags (spec §3.5 step 2).
struct ParsedEnvironment {
  const ConfigEnvironment* raw = nullptr;
  ProfileDurations durations;
  SessionTags session_tags;
  std::vector<std::string> transitive_tags;
};

// One resolved link of a source_profile chain, with the line its source_profile came from.
struct Link {
  ResolvedProfile record;
  std::size_t source_line = 0;
};

struct StringKey {
  std::string_view key;
  std::string ResolvedProfile::*field;
};

// Keys copied into still-empty string fields (sso_start_url / sso_region come after sso_session).
constexpr std::array<StringKey, 14> kStringKeys = {{
    {"region", &ResolvedProfile::region},
    {"mfa_serial", &ResolvedProfile::mfa_serial},
    {"role_arn", &ResolvedProfile::role_arn},
    {"external_id", &ResolvedProfile::external_id},
    {"role_session_name", &ResolvedProfile::role_session_name},
    {"web_identity_token_file", &ResolvedProfile::web_identity_token_file},
    {"web_identity_token_process", &ResolvedProfile::web_identity_token_process},
    {"sts_regional_endpoints", &ResolvedProfile::sts_regional_endpoints},
    {"endpoint_url", &ResolvedProfile::endpoint_url},
    {"sso_account_id", &ResolvedProfile::sso_account_id},
    {"sso_role_name", &ResolvedProfile::sso_role_name},
    {"source_identity", &ResolvedProfile::source_identity},
    {"credential_process", &ResolvedProfile::credential_process},
    {"mfa_process", &ResolvedProfile::mfa_process},
}};

void fill(std::string& field, std::string_view value) {
  if (field.empty() && !value.empty()) field = value;
}

void fill(nanoseconds& field, nanoseconds value) {
  if (field.count() == 0) field = value;
}

std::string quoted(std::string_view name) { return "'" + ascii::escape_for_terminal(name) + "'"; }

Error key_error(const AwsConfig& config, const IniKey& key, Errc code, const std::string& message) {
  return Error{code, config.location(key.span.first_line) + ": " + message};
}

std::string cycle_text(const std::vector<std::string>& names, std::size_t from, std::string_view again) {
  std::string text = "profile cycle: ";
  for (std::size_t i = from; i < names.size(); ++i) text += ascii::escape_for_terminal(names[i]) + " -> ";
  return text + ascii::escape_for_terminal(again);
}

// env_duration parses one *_TTL variable; unparsable or non-positive values are ignored with a
// note, as upstream ignores them (spec §3.5 step 2).
nanoseconds env_duration(std::string_view variable, std::string_view text, Notes& notes) {
  if (text.empty()) return nanoseconds{0};
  auto parsed = codec::parse_go_duration(text, codec::DurationUnits::Go);
  if (!parsed) {
    notes.push_back("Ignoring " + std::string(variable) + ": " + std::string(parsed.error().message()));
    return nanoseconds{0};
  }
  if (parsed->count() <= 0) {
    notes.push_back("Ignoring " + std::string(variable) + ": duration is not positive");
    return nanoseconds{0};
  }
  return *parsed;
}

Result<ParsedEnvironment> parse_environment(const ConfigEnvironment& env, Notes& notes) {
  ParsedEnvironment out;
  out.raw = &env;
  out.durations.assume_role = env_duration("AWS_ASSUME_ROLE_TTL", env.aws_assume_role_ttl, notes);
  out.durations.non_chained_session_token =
      env_duration("AWS_SESSION_TOKEN_TTL", env.aws_session_token_ttl, notes);
  out.durations.chained_session_token =
      env_duration("AWS_CHAINED_SESSION_TOKEN_TTL", env.aws_chained_session_token_ttl, notes);
  out.durations.federation_token =
      env_duration("AWS_FEDERATION_TOKEN_TTL", env.aws_federation_token_ttl, notes);
  if (!env.aws_session_tags.empty()) {
    auto tags = parse_session_tags(env.aws_session_tags);
    if (!tags) {
      return Error{Errc::Config, "failed to parse AWS_SESSION_TAGS environment variable: " +
                                     std::string(tags.error().message())};
    }
    out.session_tags = std::move(tags).value();
  }
  out.transitive_tags = parse_transitive_tags(env.aws_transitive_tags);
  return out;
}

// start_record is spec §3.5 steps 1-2: the base config, then the environment.
ResolvedProfile start_record(std::string_view name, bool is_target, const BaseConfig& base,
                             const ParsedEnvironment& env) {
  ResolvedProfile rec;
  rec.name = name;
  rec.region = base.region;
  rec.mfa_token = base.mfa_token.clone();
  rec.prompt_driver = base.prompt_driver;
  rec.durations = base.durations;
  rec.sso_use_stdout = base.sso_use_stdout;
  const ConfigEnvironment& raw = *env.raw;
  fill(rec.region, raw.aws_region.empty() ? raw.aws_default_region : raw.aws_region);
  fill(rec.sts_regional_endpoints, raw.aws_sts_regional_endpoints);
  fill(rec.endpoint_url, raw.aws_endpoint_url);
  fill(rec.mfa_serial, raw.aws_mfa_serial);
  fill(rec.durations.assume_role, env.durations.assume_role);
  fill(rec.durations.non_chained_session_token, env.durations.non_chained_session_token);
  fill(rec.durations.chained_session_token, env.durations.chained_session_token);
  fill(rec.durations.federation_token, env.durations.federation_token);
  if (is_target) {
    fill(rec.role_arn, raw.aws_role_arn);
    fill(rec.role_session_name, raw.aws_role_session_name);
    rec.session_tags = env.session_tags;
    rec.transitive_session_tags = env.transitive_tags;
    fill(rec.source_identity, raw.aws_source_identity);
  }
  return rec;
}

// Walk state of one profile: the record being filled and where its source_profile came from.
struct Walk {
  const AwsConfig& config;
  ResolvedProfile& rec;
  Notes& notes;
  std::size_t source_line = 0;
};

Status read_duration_seconds(Walk& walk, const ProfileView& view) {
  const IniKey* key = view.find_key("duration_seconds");
  if (key == nullptr || key->value.empty()) return ok();
  auto seconds = parse_duration_seconds(key->value);
  if (!seconds) return key_error(walk.config, *key, Errc::Config, std::string(seconds.error().message()));
  fill(walk.rec.durations.assume_role, nanoseconds(*seconds));
  return ok();
}

Status read_tags(Walk& walk, const ProfileView& view) {
  if (const IniKey* key = view.find_key("session_tags"); key != nullptr && !key->value.empty()) {
    auto tags = parse_session_tags(key->value);
    if (!tags) {
      return key_error(walk.config, *key, Errc::Config,
                       "failed to parse session_tags profile setting: " +
                           std::string(tags.error().message()));
    }
    if (walk.rec.session_tags.empty()) walk.rec.session_tags = std::move(tags).value();
  }
  if (const IniKey* key = view.find_key("transitive_session_tags"); key != nullptr) {
    if (walk.rec.transitive_session_tags.empty()) {
      walk.rec.transitive_session_tags = parse_transitive_tags(key->value);
    }
  }
  return ok();
}

// read_sso sets sso_session and the session's values, then the inline values (spec §3.5 step 3,
// §3.6). A.12 fixed: a session named by a later (inherited) section does not override an inline
// sso_start_url an earlier, more specific section set.
void read_sso(Walk& walk, const ProfileView& view) {
  ResolvedProfile& rec = walk.rec;
  const std::string_view session_name = view.value("sso_session").value_or(std::string_view{});
  if (!session_name.empty() && rec.sso_session.empty()) {
    if (!rec.sso_start_url.empty()) {
      walk.notes.push_back("Profile " + quoted(rec.name) + ": ignoring sso_session " +
                           quoted(session_name) + " inherited from profile " + quoted(view.name()) +
                           " because sso_start_url is already set");
    } else {
      rec.sso_session = session_name;
      if (const auto session = walk.config.find_sso_session(session_name)) {
        const auto overwrite = [&session](std::string& field, std::string_view key) {
          const std::string_view value = session->value(key).value_or(std::string_view{});
          if (!value.empty()) field = value;
        };
        overwrite(rec.sso_start_url, "sso_start_url");
        overwrite(rec.sso_region, "sso_region");
        overwrite(rec.sso_registration_scopes, "sso_registration_scopes");
      } else {
        walk.notes.push_back("[sso-session] " + quoted(session_name) + " missing in config file");
      }
    }
  }
  fill(rec.sso_start_url, view.value("sso_start_url").value_or(std::string_view{}));
  fill(rec.sso_region, view.value("sso_region").value_or(std::string_view{}));
}

Status read_section(Walk& walk, const ProfileView& view) {
  for (const StringKey& entry : kStringKeys) {
    fill(walk.rec.*entry.field, view.value(entry.key).value_or(std::string_view{}));
  }
  const IniKey* source = view.find_key("source_profile");
  if (source != nullptr && !source->value.empty() && walk.rec.source_profile_name.empty()) {
    walk.rec.source_profile_name = source->value;
    walk.source_line = source->span.first_line;
  }
  AV_TRY(read_duration_seconds(walk, view));
  AV_TRY(read_tags(walk, view));
  read_sso(walk, view);
  if (view.find_key("parent_profile") != nullptr) {
    walk.notes.push_back("Profile " + quoted(view.name()) +
                         ": parent_profile is not supported and is ignored (use include_profile)");
  }
  return ok();
}

// walk_sections is spec §3.5 step 3: the profile's section, then include_profile or [default].
Status walk_sections(Walk& walk) {
  std::vector<std::string>& visited = walk.rec.walked;
  std::string current = walk.rec.name;
  const IniKey* last_include = nullptr;
  while (true) {
    const auto seen = std::find(visited.begin(), visited.end(), current);
    if (seen != visited.end()) {
      const auto from = static_cast<std::size_t>(seen - visited.begin());
      return key_error(walk.config, *last_include, Errc::Config, cycle_text(visited, from, current));
    }
    if (visited.size() >= limits::kMaxProfileChainDepth) {
      return key_error(walk.config, *last_include, Errc::TooLarge,
                       "include_profile chain longer than " +
                           std::to_string(limits::kMaxProfileChainDepth) + " profiles");
    }
    visited.push_back(current);
    const auto view = walk.config.find_profile(current);
    if (!view) walk.notes.push_back("Profile " + quoted(current) + " missing in config file");
    if (view) AV_TRY(read_section(walk, *view));
    const IniKey* include = view ? view->find_key("include_profile") : nullptr;
    if (include != nullptr && !include->value.empty()) {
      last_include = include;
      current = include->value;
    } else if (current != kDefaultProfile) {
      current = kDefaultProfile;
    } else {
      return ok();
    }
  }
}

void apply_default_durations(ProfileDurations& durations) {
  fill(durations.assume_role, std::chrono::hours(1));
  fill(durations.federation_token, std::chrono::hours(1));
  fill(durations.non_chained_session_token, std::chrono::hours(1));
  fill(durations.chained_session_token, std::chrono::hours(8));
}

Result<Link> resolve_one(const AwsConfig& config, std::string_view name, std::string_view target,
                         const BaseConfig& base, const ParsedEnvironment& env, Notes& notes) {
  Link link;
  link.record = start_record(name, name == target, base, env);
  Walk walk{config, link.record, notes};
  AV_TRY(walk_sections(walk));
  link.source_line = walk.source_line;
  if (link.record.source_profile_name == name) link.record.source_profile_name.clear();
  apply_default_durations(link.record.durations);
  return link;
}

// link_chain turns chain[0] <- chain[1] <- ... into records linked through `source` (spec §3.5
// step 5), passing mfa_process down from the deepest source that has one.
ResolvedProfile link_chain(std::vector<Link>& chain) {
  for (std::size_t i = chain.size() - 1; i > 0; --i) {
    ResolvedProfile& user = chain[i - 1].record;
    ResolvedProfile& source = chain[i].record;
    source.chained_from = user.name;
    if (user.mfa_process.empty()) user.mfa_process = source.mfa_process;
    user.source = std::make_unique<ResolvedProfile>(std::move(source));
  }
  return std::move(chain.front().record);
}

}  // namespace

ConfigEnvironment read_config_environment(const EnvLookup& lookup) {
  ConfigEnvironment env;
  const auto read = [&lookup](std::string_view name, std::string& out) {
    if (auto value = lookup(name)) out = std::move(*value);
  };
  read("AWS_REGION", env.aws_region);
  read("AWS_DEFAULT_REGION", env.aws_default_region);
  read("AWS_STS_REGIONAL_ENDPOINTS", env.aws_sts_regional_endpoints);
  read("AWS_ENDPOINT_URL", env.aws_endpoint_url);
  read("AWS_MFA_SERIAL", env.aws_mfa_serial);
  read("AWS_ROLE_ARN", env.aws_role_arn);
  read("AWS_ROLE_SESSION_NAME", env.aws_role_session_name);
  read("AWS_SESSION_TAGS", env.aws_session_tags);
  read("AWS_TRANSITIVE_TAGS", env.aws_transitive_tags);
  read("AWS_SOURCE_IDENTITY", env.aws_source_identity);
  read("AWS_ASSUME_ROLE_TTL", env.aws_assume_role_ttl);
  read("AWS_SESSION_TOKEN_TTL", env.aws_session_token_ttl);
  read("AWS_CHAINED_SESSION_TOKEN_TTL", env.aws_chained_session_token_ttl);
  read("AWS_FEDERATION_TOKEN_TTL", env.aws_federation_token_ttl);
  return env;
}

Result<Resolution> resolve_profile(const AwsConfig& config, std::string_view target,
                                   const BaseConfig& base, const ConfigEnvironment& env) {
  Notes notes;
  AV_TRY_ASSIGN(const ParsedEnvironment parsed, parse_environment(env, notes));
  std::vector<Link> chain;
  std::string current(target);
  while (true) {
    AV_TRY_ASSIGN(Link link, resolve_one(config, current, target, base, parsed, notes));
    chain.push_back(std::move(link));
    const Link& last = chain.back();
    const std::string& next = last.record.source_profile_name;
    if (next.empty()) break;
    for (std::size_t i = 0; i < chain.size(); ++i) {
      if (chain[i].record.name != next) continue;
      std::vector<std::string> names;
      for (const Link& l : chain) names.push_back(l.record.name);
      return Error{Errc::Config, config.location(last.source_line) + ": " + cycle_text(names, i, next)};
    }
    if (chain.size() >= limits::kMaxProfileChainDepth) {
      return Error{Errc::TooLarge, config.location(last.source_line) + ": source_profile chain longer than " +
                                       std::to_string(limits::kMaxProfileChainDepth) + " profiles"};
    }
    current = next;
  }
  return Resolution{link_chain(chain), std::move(notes)};
}

Result<std::chrono::seconds> parse_duration_seconds(std::string_view text) {
  int base = 10;
  std::string_view digits = text;
  const std::string_view prefix = text.substr(0, 2);
  if (prefix == "0x" || prefix == "0X") base = 16;
  if (prefix == "0o" || prefix == "0O") base = 8;
  if (prefix == "0b" || prefix == "0B") base = 2;
  if (base != 10) {
    digits = text.substr(2);
  } else if (text.size() > 1 && text[0] == '0') {
    base = 8;
    digits = text.substr(1);
  }
  constexpr std::uint64_t kMaxSeconds =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / 1'000'000'000);
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (!digits.empty() && ec == std::errc{} && end == digits.data() + digits.size() && value <= kMaxSeconds) {
    return std::chrono::seconds(static_cast<std::int64_t>(value));
  }
  std::string message = "invalid duration_seconds " + ascii::quote_for_terminal(text) +
                        ": expected a whole number of seconds";
  if (auto as_duration = codec::parse_go_duration(text, codec::DurationUnits::Go); as_duration) {
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(*as_duration).count();
    message += " (did you mean " + std::to_string(secs) + "?)";
  }
  return Error{Errc::Config, std::move(message)};
}

}  // namespace av::config
