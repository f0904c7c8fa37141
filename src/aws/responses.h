// responses.h: typed results of the STS and IAM query-API responses aws-vault reads (spec §4.3,
// §8), and the AWS error document (spec §1.2).
//
// Every parser reads the document through codec::xml::Reader (limits and refused constructs are
// documented there) straight from the caller's bytes, which may live in secure memory: the
// document is never copied into a std::string, and SecretAccessKey / SessionToken are decoded
// straight into secure::SecretString. Elements are matched by local name (namespace prefixes are
// ignored) at their documented path below the root `<Operation>Response`; unknown elements are
// skipped, so new fields AWS adds do not break us. A known leaf that appears twice, a missing
// required field, a wrong root element or an invalid timestamp is Errc::Parse; XML errors keep the
// reader's code (Parse, Truncated, TooLarge, Unsupported). Messages start with
// "<Operation> response: " and never contain secret text.
//
// All functions are pure (no I/O, logging or clock).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"
#include "base/bytes.h"
#include "base/result.h"

namespace av::aws {

using Timestamp = std::chrono::system_clock::time_point;

// StsCredentialsResponse: the Credentials one of the four credential-issuing STS calls returned,
// plus the extra fields each returns (empty / nullopt when the response lacks them).
struct StsCredentialsResponse {
  Credentials credentials;  // all four fields present; expiration always set
  // AssumeRole, AssumeRoleWithWebIdentity: AssumedRoleUser/Arn and AssumedRoleUser/AssumedRoleId.
  std::string assumed_role_arn;
  std::string assumed_role_id;
  // GetFederationToken: FederatedUser/Arn and FederatedUser/FederatedUserId.
  std::string federated_user_arn;
  std::string federated_user_id;
  // AssumeRoleWithWebIdentity: SubjectFromWebIdentityToken, Audience, Provider.
  std::string subject_from_web_identity_token;
  std::string audience;
  std::string provider;
  // AssumeRole, AssumeRoleWithWebIdentity: SourceIdentity.
  std::string source_identity;
  // PackedPolicySize (percent of the allowed size), when present.
  std::optional<std::uint32_t> packed_policy_size;
  // ResponseMetadata/RequestId (empty if absent).
  std::string request_id;
};

// parse_sts_credentials reads the response of `operation`, one of "GetSessionToken",
// "AssumeRole", "AssumeRoleWithWebIdentity", "GetFederationToken" (anything else is
// Errc::Unsupported). Requires Credentials/AccessKeyId, SecretAccessKey and SessionToken
// (non-empty) and Expiration (RFC 3339); the secret and token go straight to locked memory.
[[nodiscard]] Result<StsCredentialsResponse> parse_sts_credentials(std::string_view operation,
                                                                   ByteSpan xml);

// CallerIdentity: STS GetCallerIdentity (Account, Arn and UserId are all required).
struct CallerIdentity {
  std::string account;
  std::string arn;
  std::string user_id;
  std::string request_id;
};
[[nodiscard]] Result<CallerIdentity> parse_get_caller_identity(ByteSpan xml);

// IamUser: IAM GetUser. GetUserResult/User is required; its fields may be empty (the root user
// has no UserName, so spec §4.3 falls back to the Arn).
struct IamUser {
  std::string user_name;
  std::string user_id;
  std::string arn;
  std::string path;
  std::optional<Timestamp> create_date;
  std::string request_id;
};
[[nodiscard]] Result<IamUser> parse_get_user(ByteSpan xml);

// AccessKeyMetadata: one member of ListAccessKeys (AccessKeyId required, the rest optional).
struct AccessKeyMetadata {
  std::string user_name;
  std::string access_key_id;
  std::string status;  // "Active" or "Inactive" as AWS sent it
  std::optional<Timestamp> create_date;
};

// AccessKeyList: one page of IAM ListAccessKeys. At most limits::kMaxAwsListMembers members
// (Errc::TooLarge beyond). IsTruncated, when present, must be "true" or "false".
struct AccessKeyList {
  std::vector<AccessKeyMetadata> keys;
  bool is_truncated = false;
  std::string marker;  // pass back as Marker for the next page when is_truncated
  std::string request_id;
};
[[nodiscard]] Result<AccessKeyList> parse_list_access_keys(ByteSpan xml);

// NewAccessKey: IAM CreateAccessKey. `credentials` holds AccessKeyId and SecretAccessKey (both
// required and non-empty; the secret in locked memory), no session token and no expiration.
struct NewAccessKey {
  Credentials credentials;
  std::string user_name;
  std::string status;
  std::optional<Timestamp> create_date;
  std::string request_id;
};
[[nodiscard]] Result<NewAccessKey> parse_create_access_key(ByteSpan xml);

// parse_delete_access_key checks that `xml` is a DeleteAccessKeyResponse (which carries only
// ResponseMetadata) and returns its request id (empty if absent).
[[nodiscard]] Result<std::string> parse_delete_access_key(ByteSpan xml);

// parse_aws_error turns a non-2xx query-API response into Errc::AwsApi. It reads both
// `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>` (STS, IAM)
// and `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>` (the
// first Error wins). The message follows the Go SDK's rendering (spec §1.2) without its
// "operation error <Service>: <Operation>, " prefix, which the caller adds as context:
//   https response error StatusCode: 403, RequestID: <id>, api error <Code>: <Message>
// and api_code() is the Code. The request id is `request_id_header` (x-amzn-RequestId) when
// non-empty, else the document's. Untrusted text is escaped with ascii::escape_for_terminal. A
// body that is empty or not such a document still gives Errc::AwsApi, with no api_code and
//   https response error StatusCode: 503, RequestID: <id>, unreadable error response: <reason>
[[nodiscard]] Error parse_aws_error(int http_status, ByteSpan body,
                                    std::string_view request_id_header);

}  // namespace av::aws
