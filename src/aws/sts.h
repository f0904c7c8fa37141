// sts.h: the STS operations aws-vault calls (spec §4.3), over the Query protocol.
//
// Each call takes the credentials that sign it (AssumeRoleWithWebIdentity is unsigned) and its
// typed input, and returns the parsed response (responses.h). Secret inputs (MFA token codes,
// web identity tokens) stay in locked memory up to the request body.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "aws/query.h"
#include "aws/responses.h"
#include "base/result.h"
#include "secure/secret.h"

namespace av::aws {

// kStsVersion: the STS API version of every request.
inline constexpr std::string_view kStsVersion = "2011-06-15";

struct MfaInput {
  std::string serial_number;       // empty: no MFA
  secure::SecretString token_code;  // the one-time code
};

struct GetSessionTokenInput {
  std::optional<std::int64_t> duration_seconds;
  MfaInput mfa;
};

struct AssumeRoleInput {
  std::string role_arn;
  std::string role_session_name;
  std::optional<std::int64_t> duration_seconds;
  std::string external_id;
  MfaInput mfa;
  std::vector<std::pair<std::string, std::string>> tags;  // Tags.member.N.Key / .Value
  std::vector<std::string> transitive_tag_keys;           // TransitiveTagKeys.member.N
  std::string source_identity;
  std::string policy;                    // inline session policy JSON
  std::vector<std::string> policy_arns;  // PolicyArns.member.N.arn
};

struct AssumeRoleWithWebIdentityInput {
  std::string role_arn;
  std::string role_session_name;
  std::optional<std::int64_t> duration_seconds;
  secure::SecretString web_identity_token;
  std::string policy;
  std::vector<std::string> policy_arns;
};

struct GetFederationTokenInput {
  std::string name;
  std::string policy;
  std::optional<std::int64_t> duration_seconds;
};

// StsClient: STS at one endpoint (resolve it with resolve_endpoint(Service::Sts)). Borrows
// `client` for its lifetime.
class StsClient {
 public:
  StsClient(QueryClient& client, Endpoint endpoint);

  // Errors: QueryClient::call's (Errc::AwsApi with the AWS code, network errors) and the
  // response parser's (Errc::Parse ...).
  [[nodiscard]] Result<StsCredentialsResponse> get_session_token(const Credentials& signer,
                                                                 const GetSessionTokenInput& in);
  [[nodiscard]] Result<StsCredentialsResponse> assume_role(const Credentials& signer,
                                                           const AssumeRoleInput& in);
  [[nodiscard]] Result<StsCredentialsResponse> assume_role_with_web_identity(
      const AssumeRoleWithWebIdentityInput& in);
  [[nodiscard]] Result<StsCredentialsResponse> get_federation_token(
      const Credentials& signer, const GetFederationTokenInput& in);
  [[nodiscard]] Result<CallerIdentity> get_caller_identity(const Credentials& signer);

  const Endpoint& endpoint() const noexcept { return endpoint_; }

 private:
  QueryClient& client_;
  Endpoint endpoint_;
};

}  // namespace av::aws
