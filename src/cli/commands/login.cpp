// login.cpp: the `login` command (spec §2.8, §7): credentials for a profile (or from the
// environment), turned into console-capable ones when needed (GetFederationToken for IAM users),
// exchanged for a sign-in token at the partition's federation endpoint, and rendered as a console
// login URL that is printed (--stdout) or opened in the browser without a shell.
//
// Deliberate differences from upstream (docs/COMPATIBILITY.md): the --auto-logout URL escapes
// the destination and token inside its redirect_uri (quirk A.20); a profile chosen in the picker
// is used for the region and the STS/IAM endpoints too (quirk A.19); AWS_ENDPOINT_URL_SIGNIN
// redirects the sign-in requests (tests; https only, except to loopback).
#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/iam.h"
#include "aws/signin.h"
#include "aws/sts.h"
#include "base/ascii.h"
#include "base/log.h"
#include "cli/commands/commands.h"
#include "cli/config_loader.h"
#include "cli/credentials_access.h"
#include "cli/keyring_access.h"
#include "cli/profile_choice.h"
#include "codec/go_duration.h"
#include "crypto/random.h"
#include "net/http_client.h"
#include "platform/browser.h"

namespace av::cli::commands {
namespace {

// masked_key renders an access key id as spec §4.3 shows keys: 16 '*' and its last four
// characters.
std::string masked_key(std::string_view access_key_id) {
  const std::size_t keep = std::min<std::size_t>(access_key_id.size(), 4);
  return std::string(16, '*') + std::string(access_key_id.substr(access_key_id.size() - keep));
}

constexpr std::string_view kSigninOverrideVar = "AWS_ENDPOINT_URL_SIGNIN";
// The GetFederationToken policy of spec §4.3: the federated user keeps the IAM user's rights.
constexpr std::string_view kFederationPolicy =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";
// GetFederationToken's Name is at most 32 characters.
constexpr std::size_t kMaxFederatedNameBytes = 32;

// Source: the credentials to sign in with and the resolved record whose region and endpoints
// the login uses.
struct Source {
  config::ResolvedProfile profile;
  aws::Credentials credentials;
  bool console_ready = false;  // role, SSO or web identity credentials: no federation needed
};

// Clients: one HTTP client and Query client for every AWS call of the command.
struct Clients {
  std::unique_ptr<net::HttpClient> http;
  std::unique_ptr<aws::QueryClient> query;
};

std::string env_value(const platform::Environment& env, std::string_view name) {
  return std::string(env.get_nonempty(name).value_or(""));
}

Result<Clients> make_clients(const Invocation& in, const config::AwsConfig& config,
                             std::string_view profile) {
  net::ClientOptions options;
  options.ca_bundle = ca_bundle_for(config, profile, in.ctx.env);
  Clients clients;
  AV_TRY_ASSIGN(clients.http, net::make_http_client(std::move(options), in.ctx.env));
  clients.query =
      std::make_unique<aws::QueryClient>(*clients.http, in.ctx.clock, crypto::system_random());
  return clients;
}

// login_base_config is base_config plus --duration for GetFederationToken (spec §2.8).
Result<config::BaseConfig> login_base_config(const Invocation& in) {
  AV_TRY_ASSIGN(config::BaseConfig base,
                base_config(in, prompt_driver_for(in, /*avoid_terminal=*/false)));
  base.durations.federation_token = base.durations.assume_role;
  return base;
}

// env_credentials reads the SDK's environment credentials (spec §7.1 step 2): nullopt unless
// both key parts are present.
Result<std::optional<aws::Credentials>> env_credentials(const platform::Environment& env) {
  const auto first_secret = [&env](std::string_view a, std::string_view b)
      -> Result<std::optional<secure::SecretString>> {
    AV_TRY_ASSIGN(std::optional<secure::SecretString> value, env.get_secret(a));
    if (value && !value->empty()) return value;
    AV_TRY_ASSIGN(value, env.get_secret(b));
    if (value && !value->empty()) return value;
    return std::optional<secure::SecretString>();
  };
  std::optional<std::string_view> id = env.get_nonempty("AWS_ACCESS_KEY_ID");
  if (!id) id = env.get_nonempty("AWS_ACCESS_KEY");
  AV_TRY_ASSIGN(std::optional<secure::SecretString> secret,
                first_secret("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY"));
  if (!id || !secret) return std::optional<aws::Credentials>();
  AV_TRY_ASSIGN(std::optional<secure::SecretString> token, env.get_secret("AWS_SESSION_TOKEN"));
  aws::Credentials creds;
  creds.access_key_id = std::string(*id);
  creds.secret_access_key = std::move(*secret);
  if (token) creds.session_token = std::move(*token);
  return std::optional<aws::Credentials>(std::move(creds));
}

// console_ready_provider: the provider planned for `p` (spec §4.2) is AssumeRole, SSO or web
// identity, whose credentials the console accepts as they are (spec §7.1 step 3).
bool console_ready_provider(const config::ResolvedProfile& p, const std::vector<std::string>& keys) {
  bool stored = false;
  for (const std::string& key : keys) stored = stored || key == p.name;
  if (stored || p.source != nullptr) return p.has_role();
  return p.has_sso() || p.has_web_identity();
}

// profile_error words a failure for a named profile as upstream: `profile <name>: <err>`.
Error profile_error(Error error, std::string_view name) {
  const std::string prefix = "profile " + ascii::escape_for_terminal(name) + ": ";
  if (error.message().starts_with(prefix)) return error;
  Error out(error.code(), prefix + std::string(error.message()));
  if (error.api_code().empty()) return out;
  return std::move(out).with_api_code(std::string(error.api_code()));
}

Result<Source> profile_source(const Invocation& in, const config::AwsConfig& config,
                              keyring::Keyring& ring, std::string_view name,
                              const config::BaseConfig& base) {
  AV_TRY(check_profile_exists(config, ring, name));
  Source source;
  AV_TRY_ASSIGN(source.profile, resolve_for_command(config, name, base, in.ctx.env));
  vault::ChainOptions options = chain_options(in);
  options.sessions_disabled_for_profile = std::string(name);
  AV_TRY_ASSIGN(const std::vector<std::string> keys, ring.keys());
  source.console_ready = console_ready_provider(source.profile, keys);
  auto issued = retrieve_credentials(in, ring, config, source.profile, options);
  if (!issued) return profile_error(std::move(issued).error(), name);
  source.credentials = std::move(issued->credentials);
  return source;
}

// arn_resource is the sixth ':'-separated field of `arn` (spec §7.1 step 3).
Result<std::string_view> arn_resource(std::string_view arn) {
  std::string_view rest = arn;
  for (int i = 0; i < 5; ++i) {
    const std::size_t colon = rest.find(':');
    if (colon == std::string_view::npos) {
      return Error(Errc::Parse, "unable to parse ARN: " + ascii::escape_for_terminal(arn));
    }
    rest.remove_prefix(colon + 1);
  }
  return rest.substr(0, rest.find(':'));
}

// federation_name: GetUser's UserName, else the last ':' field of its Arn (spec §4.3), cut to
// GetFederationToken's 32 bytes.
Result<std::string> federation_name(const aws::IamUser& user) {
  std::string name = user.user_name;
  if (name.empty() && !user.arn.empty()) name = user.arn.substr(user.arn.rfind(':') + 1);
  if (name.empty()) return Error(Errc::NotFound, "Couldn't determine current username");
  if (name.size() > kMaxFederatedNameBytes) name.resize(kMaxFederatedNameBytes);
  return name;
}

void log_generated(const Invocation& in, const aws::Credentials& creds, std::string_view how) {
  if (!log::debug_enabled() || !creds.expiration) return;
  const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(*creds.expiration -
                                                                         in.ctx.clock.now());
  log::debug("Generated credentials " + masked_key(creds.access_key_id) + " using " +
             std::string(how) + ", expires in " + codec::format_go_duration(left));
}

// federated makes console-capable credentials from `source` (spec §7.1 step 3, §4.3): kept as
// they are for an assumed role, else exchanged with GetFederationToken.
Result<aws::Credentials> federated(const Invocation& in, Clients& clients, Source source) {
  if (source.console_ready) return std::move(source.credentials);
  const config::ResolvedProfile& p = source.profile;
  AV_TRY_ASSIGN(aws::Endpoint sts_at,
                vault::service_endpoint(aws::Service::Sts, p, in.ctx.env, "GetCallerIdentity"));
  aws::StsClient sts(*clients.query, std::move(sts_at));
  AV_TRY_ASSIGN(const aws::CallerIdentity identity, sts.get_caller_identity(source.credentials));
  AV_TRY_ASSIGN(const std::string_view resource, arn_resource(identity.arn));
  if (resource.starts_with("assumed-role")) return std::move(source.credentials);
  log::debug("Creating a federated session");
  AV_TRY_ASSIGN(aws::Endpoint iam_at,
                vault::service_endpoint(aws::Service::Iam, p, in.ctx.env, "GetUser"));
  aws::IamClient iam(*clients.query, std::move(iam_at));
  AV_TRY_ASSIGN(const aws::IamUser user, iam.get_user(source.credentials));
  aws::GetFederationTokenInput input;
  AV_TRY_ASSIGN(input.name, federation_name(user));
  input.policy = std::string(kFederationPolicy);
  input.duration_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(p.durations.federation_token).count();
  AV_TRY_ASSIGN(aws::StsCredentialsResponse response,
                sts.get_federation_token(source.credentials, input));
  log_generated(in, response.credentials, "GetFederationToken");
  return std::move(response.credentials);
}

// choose_source picks the credentials of spec §7.1: the named profile, else the environment,
// else a profile from the picker.
Result<Source> choose_source(const Invocation& in, const config::AwsConfig& config,
                             keyring::Keyring& ring, const config::BaseConfig& base) {
  const std::string_view given = in.args.arg("profile");
  if (!given.empty()) return profile_source(in, config, ring, given, base);
  auto from_env = env_credentials(in.ctx.env);
  if (!from_env) {
    return Error(from_env.error().code(),
                 "unable to authenticate to AWS through your environment variables: " +
                     std::string(from_env.error().message()));
  }
  if (!*from_env) {
    AV_TRY_ASSIGN(const std::string picked, choose_profile(in.ctx, "", PickerWording::Login));
    return profile_source(in, config, ring, picked, base);
  }
  Source source;
  AV_TRY_ASSIGN(source.profile, resolve_for_command(config, "", base, in.ctx.env));
  source.credentials = std::move(**from_env);
  return source;
}

Status deliver(const Invocation& in, const secure::SecretString& url) {
  if (in.args.flag_bool("stdout")) {
    AV_TRY(in.ctx.out.write(url.reveal()));
    return in.ctx.out.write("\n");
  }
  const Status opened = platform::open_url(url.reveal(), in.ctx.env);
  if (opened) return ok();
  // Upstream's wording names the URL; it is the command's output, shown where the user can copy
  // it when no browser could open it.
  return Error(opened.error().code(), "Failed to open " + std::string(url.reveal()) + ": " +
                                          std::string(opened.error().message()));
}

}  // namespace

Status run_login(const Invocation& in) {
  AV_TRY_ASSIGN(const config::BaseConfig base, login_base_config(in));
  AV_TRY_ASSIGN(const config::AwsConfig config, load_aws_config(in.ctx));
  AV_TRY_ASSIGN(keyring::Keyring* const ring, open_keyring(in));
  AV_TRY_ASSIGN(Source source, choose_source(in, config, *ring, base));
  const std::string region = source.profile.region;
  AV_TRY_ASSIGN(Clients clients, make_clients(in, config, source.profile.name));
  AV_TRY_ASSIGN(const aws::Credentials creds, federated(in, clients, std::move(source)));
  AV_TRY_ASSIGN(const aws::SigninUrls urls,
                aws::signin_urls(region, env_value(in.ctx.env, kSigninOverrideVar)));
  if (log::debug_enabled() && creds.expiration) {
    log::debug("Requesting a signin token for session expiring in " +
               codec::format_go_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(
                   *creds.expiration - in.ctx.clock.now())));
  }
  AV_TRY_ASSIGN(const secure::SecretString token,
                aws::request_signin_token(*clients.http, urls.federation, creds));
  const std::string destination =
      aws::signin_destination(region, in.args.flag("path").value_or(""));
  AV_TRY_ASSIGN(const secure::SecretString url,
                aws::make_login_url(urls, destination, token, in.args.flag_bool("auto-logout")));
  return deliver(in, url);
}

}  // namespace av::cli::commands
