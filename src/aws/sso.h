// sso.h: the two IAM Identity Center APIs aws-vault talks to (spec §10), both REST-JSON and
// unsigned: SSO-OIDC (`https://oidc.<region>.amazonaws.com`: RegisterClient,
// StartDeviceAuthorization, CreateToken for the device-code, authorization-code (PKCE) and
// refresh-token grants) and the SSO portal (`https://portal.sso.<region>.amazonaws.com`:
// GetRoleCredentials), plus the PKCE helpers.
//
// Tokens, client secrets, device codes, authorization codes and code verifiers are secrets: they
// stay in SecretString from the response body on, and never reach logs or error messages.
// Errors: Errc::AwsApi with api_code() set to the service's error type
// ("AuthorizationPendingException", "SlowDownException", "ExpiredTokenException",
// "AccessDeniedException", "InvalidGrantException", "InvalidClientException",
// "UnauthorizedException", ...) and the HTTP status in the message; transport errors as the HTTP
// client gives them; Errc::Parse naming the field for malformed responses.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"
#include "base/bytes.h"
#include "base/result.h"
#include "crypto/random.h"
#include "net/http_client.h"
#include "platform/clock.h"
#include "secure/secret.h"

namespace av::aws {

// OidcClient: a registered public OIDC client (RegisterClient's answer).
struct OidcClient {
  std::string client_id;
  secure::SecretString client_secret;
  std::chrono::system_clock::time_point expires_at;  // clientSecretExpiresAt
};

// RegisterRequest: RegisterClient's input. For the device flow only client_name/client_type
// (and scopes) are sent; the authorization-code flow adds grant types, redirect URIs and the
// issuer URL (the start URL), as the AWS CLI does.
struct RegisterRequest {
  std::string client_name = "aws-vault";
  std::vector<std::string> scopes;         // sso_registration_scopes; empty sends none
  std::vector<std::string> grant_types;    // e.g. {"authorization_code", "refresh_token"}
  std::vector<std::string> redirect_uris;  // e.g. {"http://127.0.0.1/oauth/callback"}
  std::string issuer_url;                  // the start URL, for the authorization-code flow
};

struct DeviceAuthorization {
  secure::SecretString device_code;
  std::string user_code;
  std::string verification_uri;
  std::string verification_uri_complete;
  std::chrono::seconds expires_in{0};
  std::chrono::seconds interval{0};  // 0 when absent (caller uses 5 s)
};

// OidcToken: CreateToken's answer. Absent strings are empty.
struct OidcToken {
  secure::SecretString access_token;
  secure::SecretString refresh_token;
  secure::SecretString id_token;
  std::string token_type;
  std::chrono::seconds expires_in{0};
};

class SsoOidcClient {
 public:
  // `endpoint` is the resolved SSO-OIDC base URL (aws/endpoints.h, Service::SsoOidc), e.g.
  // "https://oidc.eu-west-1.amazonaws.com" or a test fake's "http://127.0.0.1:PORT".
  SsoOidcClient(net::HttpClient& http, std::string endpoint, const platform::Clock& clock);

  Result<OidcClient> register_client(const RegisterRequest& request);
  Result<DeviceAuthorization> start_device_authorization(const OidcClient& client,
                                                         std::string_view start_url);
  // create_token_device polls once; "AuthorizationPendingException"/"SlowDownException" come
  // back as errors with that api_code for the caller's loop.
  Result<OidcToken> create_token_device(const OidcClient& client,
                                        const secure::SecretString& device_code);
  Result<OidcToken> create_token_code(const OidcClient& client, const secure::SecretString& code,
                                      std::string_view redirect_uri,
                                      const secure::SecretString& code_verifier);
  Result<OidcToken> create_token_refresh(const OidcClient& client,
                                         const secure::SecretString& refresh_token);

  const std::string& endpoint() const noexcept { return endpoint_; }

 private:
  net::HttpClient& http_;
  std::string endpoint_;
  const platform::Clock& clock_;
};

// Pkce: an RFC 7636 S256 pair plus the anti-CSRF state for one authorization.
struct Pkce {
  secure::SecretString verifier;  // 64 random bytes, unpadded base64url (86 characters)
  std::string challenge;          // base64url(SHA-256(verifier)), unpadded
  std::string state;              // 32 random bytes, unpadded base64url
};
Result<Pkce> make_pkce(crypto::RandomSource& random);
// pkce_challenge is the S256 code challenge of `verifier`: BASE64URL(SHA-256(ASCII(verifier))),
// unpadded (RFC 7636 §4.2). Never fails.
std::string pkce_challenge(const secure::SecretString& verifier);

// authorize_url is the browser URL of the authorization-code flow:
// <endpoint>/authorize?response_type=code&client_id=..&redirect_uri=..&state=..
// &code_challenge_method=S256&scopes=..&code_challenge=.. (every value percent-encoded).
std::string authorize_url(std::string_view endpoint, std::string_view client_id,
                          std::string_view redirect_uri, std::span<const std::string> scopes,
                          std::string_view state, std::string_view code_challenge);

class SsoPortalClient {
 public:
  // `endpoint`: the resolved SSO base URL (Service::Sso), e.g.
  // "https://portal.sso.eu-west-1.amazonaws.com".
  SsoPortalClient(net::HttpClient& http, std::string endpoint);

  // get_role_credentials: GET /federation/credentials?account_id=..&role_name=.. with
  // x-amz-sso_bearer_token. HTTP 401 → Errc::AwsApi api_code "UnauthorizedException".
  Result<Credentials> get_role_credentials(const secure::SecretString& access_token,
                                           std::string_view account_id, std::string_view role_name);

 private:
  net::HttpClient& http_;
  std::string endpoint_;
};

// The response parsers the clients use, exposed for tests and fuzzing. Each reads one JSON
// object (codec/json/reader.h limits); secret members (clientSecret, deviceCode, accessToken,
// refreshToken, idToken, secretAccessKey, sessionToken) are decoded straight into SecretString.
// Unknown members are ignored and null counts as absent. Errc::Parse (Truncated, TooLarge from
// the JSON reader) with a message "<Operation> response: <member>: <what>", e.g.
// "CreateToken response: accessToken: missing"; never secret text.
//   RegisterClient: clientId, clientSecret, clientSecretExpiresAt (epoch seconds) required.
//   StartDeviceAuthorization: deviceCode, userCode, verificationUriComplete required;
//     verificationUri, expiresIn, interval optional (0 / empty).
//   CreateToken: accessToken required; tokenType, expiresIn, refreshToken, idToken optional.
//   GetRoleCredentials: roleCredentials{accessKeyId, secretAccessKey, sessionToken, expiration
//     (ms since epoch)} all required.
// Integers must be JSON integers within range (seconds 0..2^31-1; timestamps 0..year 2200).
[[nodiscard]] Result<OidcClient> parse_register_client(ByteSpan json);
[[nodiscard]] Result<DeviceAuthorization> parse_device_authorization(ByteSpan json);
[[nodiscard]] Result<OidcToken> parse_create_token(ByteSpan json);
[[nodiscard]] Result<Credentials> parse_role_credentials(ByteSpan json);

// parse_sso_error turns a non-2xx SSO-OIDC or portal answer into Errc::AwsApi:
//   https response error StatusCode: 400, RequestID: <id>, api error <Type>: <description>
// with api_code() = <Type>. The type comes, in this order, from `error_type_header`
// (x-amzn-ErrorType, anything from ':' on dropped), the body's "__type" or "code" (anything up
// to '#' dropped), the body's OAuth "error" code ("authorization_pending" ->
// "AuthorizationPendingException", ...), else `fallback_type` (may be empty). A type is kept
// only if it is 1-128 characters of [A-Za-z0-9_.]. The description is the body's
// "error_description", "message" or "Message", escaped for the terminal. With no type at all:
//   https response error StatusCode: 502, RequestID: <id>, unreadable error response: <why>
// and no api_code. Pure; `body` may be anything.
[[nodiscard]] Error parse_sso_error(int http_status, ByteSpan body,
                                    std::string_view error_type_header, std::string_view request_id,
                                    std::string_view fallback_type);

}  // namespace av::aws
