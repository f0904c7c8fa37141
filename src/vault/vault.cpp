// vault.cpp: running the provider tree (spec §4.3-4.6): keyring reads, STS calls, SSO role
// credentials (vault/sso.h), the session cache and the single-flight lock.
#include "vault/vault.h"

#include <string>
#include <utility>

#include "aws/sts.h"
#include "base/ascii.h"
#include "base/log.h"
#include "codec/go_duration.h"
#include "keyring/credentials.h"
#include "platform/paths.h"
#include "vault/external.h"
#include "vault/providers.h"
#include "vault/session_cache.h"
#include "vault/single_flight.h"
#include "vault/sso.h"

namespace av::vault {
namespace detail {
namespace {

using config::ResolvedProfile;

std::optional<std::int64_t> whole_seconds(std::chrono::nanoseconds d) {
  return std::chrono::duration_cast<std::chrono::seconds>(d).count();
}

std::string env_value(const platform::Environment& env, std::string_view name) {
  return std::string(env.get_nonempty(name).value_or(""));
}

}  // namespace
}  // namespace detail

std::string_view service_display_name(aws::Service service) noexcept {
  switch (service) {
    case aws::Service::Sts: return "STS";
    case aws::Service::Iam: return "IAM";
    case aws::Service::Sso: return "SSO";
    case aws::Service::SsoOidc: return "SSO OIDC";
  }
  return "AWS";
}

Result<aws::Endpoint> service_endpoint(aws::Service service, const config::ResolvedProfile& r,
                                       const platform::Environment& env,
                                       std::string_view operation) {
  const bool sso = service == aws::Service::Sso || service == aws::Service::SsoOidc;
  aws::EndpointRequest request;
  request.service = service;
  request.region = sso ? r.sso_region : r.region;
  request.sts_endpoints = aws::parse_sts_endpoints(r.sts_regional_endpoints);
  request.overrides.service_env = detail::env_value(env, aws::endpoint_env_var(service));
  request.overrides.global_env = detail::env_value(env, "AWS_ENDPOINT_URL");
  request.overrides.profile = r.endpoint_url;
  request.overrides.ignore_configured =
      ascii::iequals(detail::env_value(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true");
  auto endpoint = aws::resolve_endpoint(request);
  if (endpoint) return endpoint;
  return Error(endpoint.error().code(), "operation error " +
                                            std::string(service_display_name(service)) + ": " +
                                            std::string(operation) +
                                            ", failed to resolve service endpoint, " +
                                            std::string(endpoint.error().message()));
}

Result<aws::Endpoint> sts_endpoint(const config::ResolvedProfile& r,
                                   const platform::Environment& env, std::string_view action) {
  auto endpoint = service_endpoint(aws::Service::Sts, r, env, action);
  if (!endpoint) return endpoint;
  if (endpoint->source == aws::EndpointSource::LegacyGlobal) {
    log::debug("Using legacy STS endpoint sts.amazonaws.com");
  } else if (endpoint->source != aws::EndpointSource::Default) {
    log::debug("Using custom STS endpoint " + endpoint->url);
  }
  return endpoint;
}

namespace detail {
namespace {

class Runner {
 public:
  Runner(Services& services, const ChainOptions& options)
      : services_(services),
        options_(options),
        cache_(services.keyring, services.clock, options.min_ttl) {}

  Result<aws::Credentials> retrieve(const ProviderNode& node) {
    if (node.cache_type.empty()) return fetch(node);
    return retrieve_cached(node);
  }
  std::vector<std::string> take_calls() { return std::move(calls_); }

 private:
  Result<aws::Credentials> retrieve_cached(const ProviderNode& node);
  Result<aws::Credentials> fetch(const ProviderNode& node);
  Result<aws::Credentials> master(const ResolvedProfile& r);
  Result<aws::Credentials> session_token(const ProviderNode& node);
  Result<aws::Credentials> assume_role(const ProviderNode& node);
  Result<aws::Credentials> web_identity(const ProviderNode& node);
  Result<aws::Credentials> sso(const ResolvedProfile& r);
  Result<aws::Credentials> generated(std::string_view action,
                                     Result<aws::StsCredentialsResponse> response);
  Result<aws::StsClient> sts(const ResolvedProfile& r, std::string_view action);
  Result<aws::MfaInput> mfa_input(const ProviderNode& node);
  std::string session_name(const ResolvedProfile& r) const;

  Services& services_;
  const ChainOptions& options_;
  SessionCache cache_;
  std::vector<std::string> calls_;
};

Result<aws::Credentials> Runner::retrieve_cached(const ProviderNode& node) {
  const CacheSlot slot{node.cache_type, node.profile->name, node.cache_serial};
  AV_TRY_ASSIGN(auto cached, cache_.lookup(slot));
  if (cached) return std::move(*cached);
  std::string dir = options_.lock_dir;
  if (dir.empty()) {
    AV_TRY_ASSIGN(dir, default_lock_dir(services_.env));
  }
  AV_TRY_ASSIGN(platform::FileLock lock,
                acquire_refresh_lock(dir, slot.prefix(), options_.lock_timeout));
  // Another process may have refreshed the session while this one waited for the lock.
  AV_TRY_ASSIGN(cached, cache_.lookup(slot));
  if (cached) return std::move(*cached);
  AV_TRY_ASSIGN(aws::Credentials fresh, fetch(node));
  AV_TRY(cache_.store(slot, fresh));
  return fresh;
}

Result<aws::Credentials> Runner::fetch(const ProviderNode& node) {
  const ResolvedProfile& r = *node.profile;
  switch (node.kind) {
    case ProviderKind::Master:
      return master(r);
    case ProviderKind::SessionToken:
      return session_token(node);
    case ProviderKind::AssumeRole:
      return assume_role(node);
    case ProviderKind::WebIdentity:
      return web_identity(node);
    case ProviderKind::CredentialProcess:
      return run_credential_process(r.credential_process, services_.env);
    case ProviderKind::Sso:
      return sso(r);
  }
  return Error(Errc::Internal, "unknown provider kind");
}

Result<aws::Credentials> Runner::sso(const ResolvedProfile& r) {
  AV_TRY_ASSIGN(aws::Credentials creds, sso_role_credentials(r, services_, options_));
  calls_.emplace_back("GetRoleCredentials");
  return creds;
}

Result<aws::Credentials> Runner::master(const ResolvedProfile& r) {
  log::debug("Looking up keyring for '" + ascii::escape_for_terminal(r.name) + "'");
  AV_TRY_ASSIGN(keyring::Item item, services_.keyring.get(r.name));
  auto parsed = keyring::parse_credentials_json(as_chars(item.data.reveal()));
  if (!parsed) {
    return Error(parsed.error().code(),
                 "Invalid data in keyring: " + std::string(parsed.error().message()));
  }
  aws::Credentials creds;
  creds.access_key_id = std::move(parsed->access_key_id);
  creds.secret_access_key = std::move(parsed->secret_access_key);
  creds.session_token = std::move(parsed->session_token);
  return creds;
}

Result<aws::StsClient> Runner::sts(const ResolvedProfile& r, std::string_view action) {
  AV_TRY_ASSIGN(aws::Endpoint endpoint, sts_endpoint(r, services_.env, action));
  return aws::StsClient(services_.query, std::move(endpoint));
}

Result<aws::MfaInput> Runner::mfa_input(const ProviderNode& node) {
  aws::MfaInput mfa;
  if (node.mfa_serial.empty()) return mfa;
  mfa.serial_number = node.mfa_serial;
  AV_TRY_ASSIGN(mfa.token_code, services_.mfa.token(*node.profile));
  return mfa;
}

Result<aws::Credentials> Runner::generated(std::string_view action,
                                           Result<aws::StsCredentialsResponse> response) {
  if (!response) return std::move(response).error();
  calls_.emplace_back(action);
  aws::Credentials creds = std::move(response->credentials);
  if (log::debug_enabled() && creds.expiration) {
    const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(
        *creds.expiration - services_.clock.now());
    log::debug("Generated credentials " + mask_access_key(creds.access_key_id) + " using " +
               std::string(action) + ", expires in " + codec::format_go_duration(left));
  }
  return creds;
}

Result<aws::Credentials> Runner::session_token(const ProviderNode& node) {
  AV_TRY_ASSIGN(aws::Credentials source, retrieve(*node.source));
  aws::GetSessionTokenInput in;
  in.duration_seconds = whole_seconds(node.duration);
  AV_TRY_ASSIGN(aws::StsClient client, sts(*node.profile, "GetSessionToken"));
  AV_TRY_ASSIGN(in.mfa, mfa_input(node));
  return generated("GetSessionToken", client.get_session_token(source, in));
}

std::string Runner::session_name(const ResolvedProfile& r) const {
  if (!r.role_session_name.empty()) return r.role_session_name;
  const auto since_epoch = services_.clock.now().time_since_epoch();
  return std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count());
}

Result<aws::Credentials> Runner::assume_role(const ProviderNode& node) {
  const ResolvedProfile& r = *node.profile;
  AV_TRY_ASSIGN(aws::Credentials source, retrieve(*node.source));
  aws::AssumeRoleInput in;
  in.role_arn = r.role_arn;
  in.role_session_name = session_name(r);
  in.duration_seconds = whole_seconds(node.duration);
  in.external_id = r.external_id;
  for (const auto& [key, value] : r.session_tags) in.tags.emplace_back(key, value);
  in.transitive_tag_keys = r.transitive_session_tags;
  in.source_identity = r.source_identity;
  AV_TRY_ASSIGN(aws::StsClient client, sts(r, "AssumeRole"));
  AV_TRY_ASSIGN(in.mfa, mfa_input(node));
  return generated("AssumeRole", client.assume_role(source, in));
}

Result<aws::Credentials> Runner::web_identity(const ProviderNode& node) {
  const ResolvedProfile& r = *node.profile;
  aws::AssumeRoleWithWebIdentityInput in;
  in.role_arn = r.role_arn;
  in.role_session_name = session_name(r);
  in.duration_seconds = whole_seconds(node.duration);
  AV_TRY_ASSIGN(in.web_identity_token, web_identity_token(r, services_.env));
  AV_TRY_ASSIGN(aws::StsClient client, sts(r, "AssumeRoleWithWebIdentity"));
  return generated("AssumeRoleWithWebIdentity", client.assume_role_with_web_identity(in));
}

}  // namespace

Result<Issued> run_providers(const ProviderNode& root, Services& services,
                             const ChainOptions& options) {
  Runner runner(services, options);
  AV_TRY_ASSIGN(aws::Credentials creds, runner.retrieve(root));
  Issued issued;
  issued.can_expire = root.kind != ProviderKind::Master;
  issued.credentials = std::move(creds);
  issued.calls = runner.take_calls();
  return issued;
}

}  // namespace detail

Result<Issued> get_credentials(const config::ResolvedProfile& target, Services& services,
                               const ChainOptions& options) {
  AV_TRY_ASSIGN(std::vector<std::string> keys, services.keyring.keys());
  AV_TRY_ASSIGN(auto root, detail::plan_providers(target, keys, options));
  return detail::run_providers(*root, services, options);
}

}  // namespace av::vault
