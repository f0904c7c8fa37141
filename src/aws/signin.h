// signin.h: AWS console federation (spec §7.2): the getSigninToken request to the sign-in
// federation endpoint, its response, and the console login URL that carries the token.
//
// Protocol (IAM User Guide, "Enable custom identity broker access to the AWS console"):
//   GET <federation>?Action=getSigninToken&Session=<form-escaped JSON>
//     JSON = {"sessionId":"<access key id>","sessionKey":"<secret>","sessionToken":"<token>"}
//   200 {"SigninToken":"<token>"}
//   <federation>?Action=login&Issuer=aws-vault&Destination=<escaped>&SigninToken=<escaped>
// Form escaping is Go's url.QueryEscape: RFC 3986 unreserved characters kept, space as '+',
// every other byte %XX (upper-case hex).
//
// Secrets: the Session JSON (secret key, session token), the request URL that carries it and
// the sign-in token are built and kept in locked memory. Two copies leave it, both unavoidable
// with today's interfaces: net::Url::target is a std::string (the request URL has to be parsed
// into one to be sent), and the login URL is the command's output. Errors never contain them:
// a transport error's `Get "<url>"` prefix is replaced by the federation URL without the query.
//
// Test hook: AWS_ENDPOINT_URL_SIGNIN (read by the CLI, passed here as `override_url`) replaces
// the sign-in host for both the federation and the logout URL. Plain http is accepted only for
// loopback hosts, because the request carries the secret key.
#pragma once

#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "base/bytes.h"
#include "base/result.h"
#include "net/http_client.h"
#include "secure/secret.h"

namespace av::aws {

// kSigninLogoutUrl: where --auto-logout sends the browser first (spec §7.2: always the
// commercial partition's host).
inline constexpr std::string_view kSigninLogoutUrl = "https://us-east-1.signin.aws.amazon.com/oauth";

// SigninUrls: the federation endpoint and the logout endpoint for one login.
struct SigninUrls {
  std::string federation;  // "https://signin.amazonaws.cn/federation", ...
  std::string logout;      // kSigninLogoutUrl, or "<override>/oauth"
  bool overridden = false;
};

// signin_urls picks the endpoints for `region` (resolve_signin, spec §7.2), or, when
// `override_url` is not empty, "<override_url>/federation" and "<override_url>/oauth" (one
// trailing '/' of the override is dropped). Errc::Config when the override is not an http(s) URL
// with a host and no query or fragment, is plain http to a host that is not loopback (127.0.0.0/8,
// ::1, localhost), or exceeds limits::kMaxUrlBytes.
[[nodiscard]] Result<SigninUrls> signin_urls(std::string_view region,
                                             std::string_view override_url);

// append_query_escaped appends `text` to `out` escaped as Go's url.QueryEscape, byte by byte (so
// a secret never exists escaped outside locked memory). Errc::TooLarge when `out` lacks capacity
// (its content is then unspecified).
Status append_query_escaped(secure::SecretString& out, std::string_view text);

// query_escaped_size is the length of `text` after append_query_escaped.
std::size_t query_escaped_size(std::string_view text) noexcept;

// make_session_json renders the Session document compactly, in this key order, with Go
// encoding/json escaping (an empty token is written as ""). Errc::TooLarge past
// limits::kMaxSigninSessionBytes.
[[nodiscard]] Result<secure::SecretString> make_session_json(const Credentials& credentials);

// make_signin_token_url renders "<federation>?Action=getSigninToken&Session=<escaped JSON>".
// Errc::TooLarge past limits::kMaxUrlBytes (the HTTP layer's URL bound).
[[nodiscard]] Result<secure::SecretString> make_signin_token_url(
    std::string_view federation_url, const Credentials& credentials);

// parse_signin_token_response reads the body of a 200 answer: a JSON object whose "SigninToken"
// member (matched ASCII case-insensitively, as Go's encoding/json does) is a non-empty string.
// The token goes straight to locked memory. Errors: the JSON reader's (Errc::Parse, Truncated,
// TooLarge; the token is bounded by limits::kMaxSecretBytes), Errc::Parse
// "Expected a response with SigninToken" when the member is missing, empty or not a string.
[[nodiscard]] Result<secure::SecretString> parse_signin_token_response(ByteSpan body);

// request_signin_token sends the getSigninToken GET through `http` and returns the token.
// Errors: Errc::Parse/TooLarge from building the URL; the transport's errors (code kept) as
// `Get "<federation_url>": <cause>`; Errc::AwsApi "Call to getSigninToken failed with <status>
// <reason>" for any status but 200 (the body goes to the debug log only, escaped and cut);
// parse_signin_token_response's.
[[nodiscard]] Result<secure::SecretString> request_signin_token(net::HttpClient& http,
                                                                std::string_view federation_url,
                                                                const Credentials& credentials);

// make_login_url renders the console URL (spec §7.2), QE = append_query_escaped:
//   default:      <federation>?Action=login&Issuer=aws-vault&Destination=QE(dest)&SigninToken=QE(tok)
//   auto_logout:  <logout>?Action=logout&redirect_uri=QE(<the default URL above>)
// With auto_logout the redirect URL is escaped once more as a whole, so its Destination and
// SigninToken are escaped twice in the result: the fix for upstream's quirk A.20, which
// embedded them unescaped. Errc::TooLarge past limits::kMaxLoginUrlBytes.
[[nodiscard]] Result<secure::SecretString> make_login_url(const SigninUrls& urls,
                                                          std::string_view destination,
                                                          const secure::SecretString& token,
                                                          bool auto_logout);

}  // namespace av::aws
