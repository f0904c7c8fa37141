// sts.cpp: STS requests (see sts.h).
#include "aws/sts.h"

namespace av::aws {

namespace {

QueryRequest sts_request(std::string_view action) {
  QueryRequest r;
  r.service_name = "STS";
  r.action = action;
  r.version = kStsVersion;
  return r;
}

void add(QueryRequest& r, std::string name, std::string value) {
  r.params.push_back({std::move(name), std::move(value)});
}

void add_if(QueryRequest& r, std::string name, const std::string& value) {
  if (!value.empty()) add(r, std::move(name), value);
}

void add_duration(QueryRequest& r, const std::optional<std::int64_t>& seconds) {
  if (seconds) add(r, "DurationSeconds", std::to_string(*seconds));
}

void add_mfa(QueryRequest& r, const MfaInput& mfa) {
  if (mfa.serial_number.empty()) return;
  add(r, "SerialNumber", mfa.serial_number);
  r.secret_params.push_back({"TokenCode", mfa.token_code.clone()});
}

void add_policy(QueryRequest& r, const std::string& policy, const std::vector<std::string>& arns) {
  for (std::size_t i = 0; i < arns.size(); ++i) {
    add(r, "PolicyArns.member." + std::to_string(i + 1) + ".arn", arns[i]);
  }
  add_if(r, "Policy", policy);
}

}  // namespace

StsClient::StsClient(QueryClient& client, Endpoint endpoint)
    : client_(client), endpoint_(std::move(endpoint)) {}

Result<StsCredentialsResponse> StsClient::get_session_token(const Credentials& signer,
                                                            const GetSessionTokenInput& in) {
  QueryRequest r = sts_request("GetSessionToken");
  add_duration(r, in.duration_seconds);
  add_mfa(r, in.mfa);
  AV_TRY_ASSIGN(const secure::SecretBytes body, client_.call(endpoint_, r, &signer));
  return parse_sts_credentials("GetSessionToken", body.reveal());
}

Result<StsCredentialsResponse> StsClient::assume_role(const Credentials& signer,
                                                      const AssumeRoleInput& in) {
  QueryRequest r = sts_request("AssumeRole");
  add(r, "RoleArn", in.role_arn);
  add(r, "RoleSessionName", in.role_session_name);
  add_duration(r, in.duration_seconds);
  add_if(r, "ExternalId", in.external_id);
  add_mfa(r, in.mfa);
  for (std::size_t i = 0; i < in.tags.size(); ++i) {
    const std::string member = "Tags.member." + std::to_string(i + 1);
    add(r, member + ".Key", in.tags[i].first);
    add(r, member + ".Value", in.tags[i].second);
  }
  for (std::size_t i = 0; i < in.transitive_tag_keys.size(); ++i) {
    add(r, "TransitiveTagKeys.member." + std::to_string(i + 1), in.transitive_tag_keys[i]);
  }
  add_if(r, "SourceIdentity", in.source_identity);
  add_policy(r, in.policy, in.policy_arns);
  AV_TRY_ASSIGN(const secure::SecretBytes body, client_.call(endpoint_, r, &signer));
  return parse_sts_credentials("AssumeRole", body.reveal());
}

Result<StsCredentialsResponse> StsClient::assume_role_with_web_identity(
    const AssumeRoleWithWebIdentityInput& in) {
  QueryRequest r = sts_request("AssumeRoleWithWebIdentity");
  add(r, "RoleArn", in.role_arn);
  add(r, "RoleSessionName", in.role_session_name);
  add_duration(r, in.duration_seconds);
  add_policy(r, in.policy, in.policy_arns);
  r.secret_params.push_back({"WebIdentityToken", in.web_identity_token.clone()});
  AV_TRY_ASSIGN(const secure::SecretBytes body, client_.call(endpoint_, r, nullptr));
  return parse_sts_credentials("AssumeRoleWithWebIdentity", body.reveal());
}

Result<StsCredentialsResponse> StsClient::get_federation_token(const Credentials& signer,
                                                               const GetFederationTokenInput& in) {
  QueryRequest r = sts_request("GetFederationToken");
  add(r, "Name", in.name);
  add_duration(r, in.duration_seconds);
  add_if(r, "Policy", in.policy);
  AV_TRY_ASSIGN(const secure::SecretBytes body, client_.call(endpoint_, r, &signer));
  return parse_sts_credentials("GetFederationToken", body.reveal());
}

Result<CallerIdentity> StsClient::get_caller_identity(const Credentials& signer) {
  AV_TRY_ASSIGN(const secure::SecretBytes body,
                client_.call(endpoint_, sts_request("GetCallerIdentity"), &signer));
  return parse_get_caller_identity(body.reveal());
}

}  // namespace av::aws
