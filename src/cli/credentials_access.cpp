// credentials_access.cpp: prompt driver, base config, existence guard, resolution and one call
// into the credential chain for exec and export (spec §1.7, §2.0, §3.5, §4).
#include "cli/credentials_access.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "aws/query.h"
#include "base/ascii.h"
#include "base/log.h"
#include "codec/go_duration.h"
#include "codec/iso8601.h"
#include "codec/json/writer.h"
#include "crypto/random.h"
#include "keyring/keys.h"
#include "net/http_client.h"
#include "platform/browser.h"
#include "platform/terminal.h"
#include "cli/prompt_drivers.h"
#include "vault/mfa.h"
#include "vault/oidc_cache.h"

namespace av::cli {
namespace {

constexpr std::string_view kTerminalDriver = "terminal";
constexpr std::string_view kCredentialsMissing = ": credentials missing";

// expiry_text is the RFC 3339 UTC expiry, or "" when the credentials cannot expire.
std::string expiry_text(const vault::Issued& issued) {
  if (!issued.can_expire || !issued.credentials.expiration) return {};
  return codec::format_rfc3339_utc(
      std::chrono::time_point_cast<std::chrono::nanoseconds>(*issued.credentials.expiration));
}

// output_capacity bounds the rendered text: every value could be escaped to six bytes per byte
// (JSON \u00XX), plus the fixed text.
std::size_t output_capacity(std::string_view profile, const vault::Issued& issued,
                            std::string_view region) {
  const aws::Credentials& c = issued.credentials;
  return 6 * (profile.size() + c.access_key_id.size() + c.secret_access_key.size() +
              c.session_token.size() + region.size()) +
         1024;
}

// EnvLine appends NAME=value lines, each prefixed for export-env.
struct EnvLines {
  secure::SecretString& out;
  std::string_view prefix;
  Status line(std::string_view name, std::string_view value) {
    AV_TRY(out.append(prefix));
    AV_TRY(out.append(name));
    AV_TRY(out.append("="));
    AV_TRY(out.append(value));
    return out.append("\n");
  }
};

Status render_env(secure::SecretString& out, std::string_view prefix, const vault::Issued& issued,
                  std::string_view region) {
  const aws::Credentials& c = issued.credentials;
  EnvLines lines{out, prefix};
  AV_TRY(lines.line("AWS_ACCESS_KEY_ID", c.access_key_id));
  AV_TRY(lines.line("AWS_SECRET_ACCESS_KEY", c.secret_access_key.reveal()));
  if (c.has_session_token()) AV_TRY(lines.line("AWS_SESSION_TOKEN", c.session_token.reveal()));
  const std::string expiry = expiry_text(issued);
  if (!expiry.empty()) AV_TRY(lines.line("AWS_CREDENTIAL_EXPIRATION", expiry));
  if (!region.empty()) {
    AV_TRY(lines.line("AWS_REGION", region));
    AV_TRY(lines.line("AWS_DEFAULT_REGION", region));
  }
  return ok();
}

Result<secure::SecretString> render_json(const vault::Issued& issued, std::size_t capacity) {
  const aws::Credentials& c = issued.credentials;
  codec::json::SecretWriter w(codec::json::Style::Indented, capacity);
  AV_TRY(w.begin_object());
  AV_TRY(w.key("Version"));
  AV_TRY(w.value_int(1));
  AV_TRY(w.key("AccessKeyId"));
  AV_TRY(w.value_string(c.access_key_id));
  AV_TRY(w.key("SecretAccessKey"));
  AV_TRY(w.value_secret(c.secret_access_key));
  if (c.has_session_token()) {
    AV_TRY(w.key("SessionToken"));
    AV_TRY(w.value_secret(c.session_token));
  }
  const std::string expiry = expiry_text(issued);
  if (!expiry.empty()) {
    AV_TRY(w.key("Expiration"));
    AV_TRY(w.value_string(expiry));
  }
  AV_TRY(w.end_object());
  secure::SecretString out = std::move(w).finish();
  AV_TRY(out.append("\n"));
  return out;
}

// ini_quote picks upstream's INI writer quoting for `value` (gopkg.in/ini.v1): """...""" for a
// line break or backtick, `...` for # or ;, "..." for leading or trailing whitespace.
std::string_view ini_quote(std::string_view value) noexcept {
  if (value.find_first_of("\n`") != std::string_view::npos) return "\"\"\"";
  if (value.find_first_of("#;") != std::string_view::npos) return "`";
  if (ascii::trim(value).size() != value.size()) return "\"";
  return "";
}

Status ini_line(secure::SecretString& out, std::string_view key, std::string_view value) {
  if (value.empty()) return ok();
  const std::string_view quote = ini_quote(value);
  AV_TRY(out.append(key));
  AV_TRY(out.append("="));
  AV_TRY(out.append(quote));
  AV_TRY(out.append(value));
  AV_TRY(out.append(quote));
  return out.append("\n");
}

Status render_ini(secure::SecretString& out, std::string_view profile,
                  const vault::Issued& issued, std::string_view region) {
  const aws::Credentials& c = issued.credentials;
  AV_TRY(out.append("["));
  AV_TRY(out.append(profile));
  AV_TRY(out.append("]\n"));
  AV_TRY(ini_line(out, "aws_access_key_id", c.access_key_id));
  AV_TRY(ini_line(out, "aws_secret_access_key", c.secret_access_key.reveal()));
  AV_TRY(ini_line(out, "aws_session_token", c.session_token.reveal()));
  AV_TRY(ini_line(out, "aws_credential_expiration", expiry_text(issued)));
  return ini_line(out, "region", region);
}

}  // namespace

std::string choose_prompt_driver(std::string_view given, std::span<const std::string> available,
                                 bool stdout_is_terminal, bool avoid_terminal) {
  if (!given.empty()) return std::string(given);
  if (stdout_is_terminal && !avoid_terminal) return std::string(kTerminalDriver);
  for (const std::string& driver : available) {
    if (driver != kTerminalDriver) return driver;
  }
  return std::string(kTerminalDriver);
}

std::string prompt_driver_for(const Invocation& in, bool avoid_terminal) {
  const std::vector<std::string> available = available_prompt_drivers(
      in.ctx.env.get("PATH").value_or(""), in.ctx.executable_exists);
  std::string driver =
      choose_prompt_driver(in.args.flag("prompt").value_or(""), available,
                           platform::is_terminal(platform::StdStream::Out), avoid_terminal);
  log::debug("Using prompt driver: " + driver);
  return driver;
}

Result<config::BaseConfig> base_config(const Invocation& in, std::string prompt_driver) {
  config::BaseConfig base;
  base.region = std::string(in.args.flag("region").value_or(""));
  base.mfa_token = secure::SecretString::copy_of(in.args.flag("mfa-token").value_or(""));
  base.prompt_driver = std::move(prompt_driver);
  const std::string_view duration = in.args.flag("duration").value_or("");
  if (!duration.empty()) {
    AV_TRY_ASSIGN(const std::chrono::nanoseconds d,
                  codec::parse_go_duration(duration, codec::DurationUnits::GoWithDaysWeeks));
    if (d != std::chrono::nanoseconds::zero()) {
      base.durations.assume_role = d;
      base.durations.non_chained_session_token = d;
      base.durations.chained_session_token = d;
    }
  }
  base.sso_use_stdout = in.args.flag_bool("stdout");
  return base;
}

Status check_profile_exists(const config::AwsConfig& config, keyring::Keyring& ring,
                            std::string_view name) {
  if (!name.empty()) {
    if (config.find_profile(name)) return ok();
    AV_TRY_ASSIGN(const std::vector<std::string> keys, ring.keys());
    for (const std::string& key : keys) {
      if (key == name && keyring::classify_key(key) == keyring::KeyKind::Credential) return ok();
    }
  }
  return Error(Errc::NotFound, "profile '" + ascii::escape_for_terminal(name) +
                                   "' not found in ~/.aws/config and no stored credentials "
                                   "exist for it");
}

Result<config::ResolvedProfile> resolve_for_command(const config::AwsConfig& config,
                                                    std::string_view name,
                                                    const config::BaseConfig& base,
                                                    const platform::Environment& env) {
  const config::ConfigEnvironment vars =
      config::read_config_environment([&env](std::string_view var) -> std::optional<std::string> {
        const std::optional<std::string_view> value = env.get(var);
        if (!value) return std::nullopt;
        return std::string(*value);
      });
  Result<config::Resolution> resolution = config::resolve_profile(config, name, base, vars);
  if (!resolution) {
    const Error& e = resolution.error();
    return Error(e.code(), "Error loading config: " + std::string(e.message()));
  }
  for (const std::string& note : resolution->notes) log::debug(note);
  return std::move(resolution->profile);
}

vault::ChainOptions chain_options(const Invocation& in) {
  vault::ChainOptions options;
  options.sessions_disabled = in.args.flag_bool("no-session");
  options.sso_use_device_code = in.args.flag_bool("use-device-code");
  const std::string_view min_ttl = in.ctx.env.get("AWS_MIN_TTL").value_or("");
  if (!min_ttl.empty()) {
    const Result<std::chrono::nanoseconds> parsed =
        codec::parse_go_duration(min_ttl, codec::DurationUnits::Go);
    if (parsed) options.min_ttl = *parsed;
  }
  return options;
}

std::string ca_bundle_for(const config::AwsConfig& config, std::string_view profile,
                          const platform::Environment& env) {
  if (const auto from_env = env.get_nonempty("AWS_CA_BUNDLE")) return std::string(*from_env);
  if (const auto section = config.find_profile(profile)) {
    if (const auto value = section->value("ca_bundle")) return std::string(*value);
  }
  return {};
}

Result<vault::Issued> retrieve_credentials(const Invocation& in, keyring::Keyring& ring,
                                           const config::AwsConfig& config,
                                           const config::ResolvedProfile& profile,
                                           const vault::ChainOptions& options) {
  if (in.ctx.get_credentials) return in.ctx.get_credentials(profile, options);
  net::ClientOptions client_options;
  client_options.ca_bundle = ca_bundle_for(config, profile.name, in.ctx.env);
  AV_TRY_ASSIGN(const std::unique_ptr<net::HttpClient> http,
                net::make_http_client(std::move(client_options), in.ctx.env));
  aws::QueryClient query(*http, in.ctx.clock, crypto::system_random());
  const std::unique_ptr<vault::MfaTokenSource> mfa = vault::make_mfa_source(in.ctx.env);
  vault::SsoServices sso = sso_services(in, *http);
  vault::Services services{ring, query, in.ctx.clock, in.ctx.env, *mfa, &sso};
  return vault::get_credentials(profile, services, options);
}

vault::SsoServices sso_services(const Invocation& in, net::HttpClient& http) {
  // The opener may outlive this call on its own thread (vault::SsoServices), so it owns a copy
  // of the environment.
  auto env = std::make_shared<const platform::Environment>(in.ctx.env.clone());
  Writer& err = in.ctx.err;
  return vault::SsoServices{
      http, crypto::system_random(), [&err](std::string_view text) { (void)err.write(text); },
      [env](std::string_view url) { return platform::open_url(url, *env); }, {}};
}

void sync_aws_cli_sso_cache(const Invocation& in, keyring::Keyring& ring,
                            const config::ResolvedProfile& profile) {
  if (!profile.has_sso()) return;
  const Status written = vault::write_aws_cli_sso_cache(ring, profile, in.ctx.env, in.ctx.clock);
  if (!written) {
    log::debug("Warning: failed to sync OIDC token to standard cache: " +
               std::string(written.error().message()));
  }
}

Error credentials_error(Error error, std::string_view name, ErrorWording wording) {
  const std::string_view message = error.message();
  std::string prefix;
  if (message.ends_with(kCredentialsMissing)) {
    prefix = "Error getting temporary credentials: ";
  } else {
    prefix = wording == ErrorWording::Standard ? "Failed" : "failed";
    prefix += " to get credentials for " + ascii::escape_for_terminal(name) + ": ";
  }
  Error wrapped(error.code(), prefix + std::string(message));
  if (error.api_code().empty()) return wrapped;
  return std::move(wrapped).with_api_code(std::string(error.api_code()));
}

bool mfa_prompt_needed(const config::ResolvedProfile& profile) noexcept {
  for (const config::ResolvedProfile* p = &profile; p != nullptr; p = p->source.get()) {
    if (p->has_mfa() && p->mfa_token.empty() && p->mfa_process.empty()) return true;
  }
  return false;
}

ExportFormat export_format_named(std::string_view name) noexcept {
  if (name == "export-env") return ExportFormat::ExportEnv;
  if (name == "json") return ExportFormat::Json;
  if (name == "ini") return ExportFormat::Ini;
  return ExportFormat::Env;
}

Result<secure::SecretString> format_credentials(ExportFormat format, std::string_view profile,
                                                const vault::Issued& issued,
                                                std::string_view region) {
  const std::size_t capacity = output_capacity(profile, issued, region);
  if (format == ExportFormat::Json) return render_json(issued, capacity);
  secure::SecretString out(capacity);
  if (format == ExportFormat::Ini) {
    AV_TRY(render_ini(out, profile, issued, region));
  } else {
    AV_TRY(render_env(out, format == ExportFormat::ExportEnv ? "export " : "", issued, region));
  }
  return out;
}

Status export_profile(const Invocation& in, const config::AwsConfig& config,
                      keyring::Keyring& ring, std::string_view name,
                      const config::BaseConfig& base, ExportFormat format) {
  if (in.ctx.env.get_nonempty("AWS_VAULT")) {
    return Error(Errc::Unsupported, std::string(kNestedExportMessage));
  }
  AV_TRY(check_profile_exists(config, ring, name));
  AV_TRY_ASSIGN(const config::ResolvedProfile profile,
                resolve_for_command(config, name, base, in.ctx.env));
  Result<vault::Issued> issued =
      retrieve_credentials(in, ring, config, profile, chain_options(in));
  if (!issued) return credentials_error(std::move(issued).error(), name, ErrorWording::Standard);
  AV_TRY_ASSIGN(const secure::SecretString text,
                format_credentials(format, name, *issued, profile.region));
  return in.ctx.out.write(text.reveal());
}

}  // namespace av::cli
