// signin.cpp: console federation requests and URLs (see signin.h).
#include "aws/signin.h"

#include <algorithm>
#include <utility>

#include "aws/endpoints.h"
#include "base/ascii.h"
#include "base/limits.h"
#include "base/log.h"
#include "codec/json/reader.h"
#include "codec/json/writer.h"
#include "net/url.h"

namespace av::aws {
namespace {

constexpr std::string_view kFederationPath = "/federation";
constexpr std::string_view kLogoutPath = "/oauth";
constexpr std::string_view kTokenQuery = "?Action=getSigninToken&Session=";
constexpr std::string_view kLoginQuery = "?Action=login&Issuer=aws-vault&Destination=";
constexpr std::string_view kTokenParam = "&SigninToken=";
constexpr std::string_view kLogoutQuery = "?Action=logout&redirect_uri=";
// How much of a refused answer's body the debug log shows.
constexpr std::size_t kLoggedBodyBytes = 512;

bool is_unreserved(char c) noexcept {
  return ascii::is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

bool is_loopback_host(const net::Url& url) {
  if (url.host == "localhost") return true;
  const std::optional<net::IpAddress> ip = net::parse_ip(url.host);
  return ip && ip->is_loopback();
}

Error bad_override(std::string_view why) {
  return Error(Errc::Config, "invalid AWS_ENDPOINT_URL_SIGNIN: " + std::string(why));
}

Result<SigninUrls> overridden_urls(std::string_view override_url) {
  if (override_url.size() > limits::kMaxUrlBytes) return bad_override("too long");
  if (override_url.find_first_of("?#") != std::string_view::npos) {
    return bad_override("a query or fragment is not allowed");
  }
  auto parsed = net::parse_url(override_url);
  if (!parsed) return bad_override(parsed.error().message());
  if (parsed->has_credentials()) return bad_override("user information is not allowed");
  if (parsed->scheme != "https" && !is_loopback_host(*parsed)) {
    return bad_override("plain http is allowed for loopback hosts only");
  }
  std::string base(override_url);
  if (base.ends_with('/')) base.pop_back();
  return SigninUrls{base + std::string(kFederationPath), base + std::string(kLogoutPath), true};
}

// transport_error replaces the client's `Get "<url>"` prefix, whose URL carries the Session
// query, by the federation URL alone; the cause is kept.
Error transport_error(const Error& error, const net::Url& url, std::string_view federation_url) {
  const std::string prefix = "Get \"" + url.redacted() + "\": ";
  std::string_view cause = error.message();
  if (cause.starts_with(prefix)) {
    cause.remove_prefix(prefix.size());
  } else {
    cause = "request failed";  // an unexpected shape could quote the URL: say nothing of it
  }
  Error out(error.code(), "Get \"" + std::string(federation_url) + "\": " + std::string(cause));
  if (error.api_code().empty()) return out;
  return std::move(out).with_api_code(std::string(error.api_code()));
}

// status_text is Go's Response.Status: "400 Bad Request".
std::string status_text(const net::Response& response) {
  std::string text = std::to_string(response.status);
  if (!response.reason.empty()) text += " " + ascii::escape_for_terminal(response.reason);
  return text;
}

// login_url_size is the exact length of the default login URL.
std::size_t login_url_size(std::string_view federation, std::string_view destination,
                           std::string_view token) noexcept {
  return federation.size() + kLoginQuery.size() + query_escaped_size(destination) +
         kTokenParam.size() + query_escaped_size(token);
}

Status append_login_url(secure::SecretString& out, std::string_view federation,
                        std::string_view destination, std::string_view token) {
  AV_TRY(out.append(federation));
  AV_TRY(out.append(kLoginQuery));
  AV_TRY(append_query_escaped(out, destination));
  AV_TRY(out.append(kTokenParam));
  return append_query_escaped(out, token);
}

Error too_large(std::string_view what, std::size_t limit) {
  return Error(Errc::TooLarge, std::string(what) + " exceeds " + std::to_string(limit) + " bytes");
}

}  // namespace

Result<SigninUrls> signin_urls(std::string_view region, std::string_view override_url) {
  if (!override_url.empty()) return overridden_urls(override_url);
  const SigninEndpoint endpoint = resolve_signin(region);
  return SigninUrls{std::string(endpoint.federation_url), std::string(kSigninLogoutUrl), false};
}

std::size_t query_escaped_size(std::string_view text) noexcept {
  std::size_t n = 0;
  for (const char c : text) n += is_unreserved(c) || c == ' ' ? std::size_t{1} : std::size_t{3};
  return n;
}

Status append_query_escaped(secure::SecretString& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : text) {
    if (is_unreserved(c)) {
      AV_TRY(out.push_back(c));
    } else if (c == ' ') {
      AV_TRY(out.push_back('+'));
    } else {
      const auto byte = static_cast<unsigned char>(c);
      const char escaped[3] = {'%', kHex[byte >> 4U], kHex[byte & 0x0FU]};
      AV_TRY(out.append(std::string_view(escaped, 3)));
    }
  }
  return ok();
}

Result<secure::SecretString> make_session_json(const Credentials& credentials) {
  codec::json::SecretWriter w(codec::json::Style::Compact, limits::kMaxSigninSessionBytes);
  const auto too_big = [](const Error&) {
    return too_large("getSigninToken session", limits::kMaxSigninSessionBytes);
  };
  Status written = w.begin_object();
  if (written) written = w.key("sessionId");
  if (written) written = w.value_string(credentials.access_key_id);
  if (written) written = w.key("sessionKey");
  if (written) written = w.value_secret(credentials.secret_access_key);
  if (written) written = w.key("sessionToken");
  if (written) written = w.value_secret(credentials.session_token);
  if (written) written = w.end_object();
  if (!written) return too_big(written.error());
  return std::move(w).finish();
}

Result<secure::SecretString> make_signin_token_url(std::string_view federation_url,
                                                   const Credentials& credentials) {
  AV_TRY_ASSIGN(const secure::SecretString session, make_session_json(credentials));
  const std::size_t total =
      federation_url.size() + kTokenQuery.size() + query_escaped_size(session.reveal());
  if (total > limits::kMaxUrlBytes) {
    return too_large("getSigninToken request URL", limits::kMaxUrlBytes);
  }
  secure::SecretString url(total);
  AV_TRY(url.append(federation_url));
  AV_TRY(url.append(kTokenQuery));
  AV_TRY(append_query_escaped(url, session.reveal()));
  return url;
}

Result<secure::SecretString> parse_signin_token_response(ByteSpan body) {
  if (body.size() > limits::kMaxSigninResponseBytes) {
    return too_large("getSigninToken response", limits::kMaxSigninResponseBytes);
  }
  const codec::json::SecretFields secret_fields{"SigninToken"};
  AV_TRY_ASSIGN(codec::json::Value doc, codec::json::parse(as_chars(body), secret_fields));
  const Error missing(Errc::Parse, "Expected a response with SigninToken");
  if (doc.kind() != codec::json::Value::Kind::Object) return missing;
  // Go's encoding/json takes the last of several members whose names match case-insensitively;
  // the reader refuses exact duplicates, and a case variant is one more way to be ambiguous.
  const secure::SecretString* token = nullptr;
  bool found = false;
  for (const codec::json::Member& m : doc.members()) {
    if (!ascii::iequals(m.key, "SigninToken")) continue;
    if (found) return Error(Errc::Parse, "getSigninToken response: SigninToken repeated");
    found = true;
    token = m.value.as_secret();
  }
  if (token == nullptr || token->empty()) return missing;
  secure::SecretString out = token->clone();
  return out;
}

Result<secure::SecretString> request_signin_token(net::HttpClient& http,
                                                  std::string_view federation_url,
                                                  const Credentials& credentials) {
  AV_TRY_ASSIGN(const secure::SecretString target, make_signin_token_url(federation_url, credentials));
  // Limitation (signin.h): net::Url keeps the target, and so the Session, in a std::string.
  AV_TRY_ASSIGN(const net::Url url, net::parse_url(target.reveal()));
  net::Request request;
  request.method = "GET";
  request.headers.push_back({"Accept", "application/json"});
  Result<net::Response> response = http.send(url, std::move(request));
  if (!response) return transport_error(response.error(), url, federation_url);
  if (response->status != 200) {
    if (log::debug_enabled()) {
      const std::string_view body = as_chars(response->body.reveal());
      log::debug("getSigninToken response body: " +
                 ascii::quote_for_terminal(body.substr(0, std::min(body.size(), kLoggedBodyBytes))));
    }
    return Error(Errc::AwsApi, "Call to getSigninToken failed with " + status_text(*response));
  }
  return parse_signin_token_response(response->body.reveal());
}

Result<secure::SecretString> make_login_url(const SigninUrls& urls, std::string_view destination,
                                            const secure::SecretString& token, bool auto_logout) {
  const std::size_t inner = login_url_size(urls.federation, destination, token.reveal());
  if (inner > limits::kMaxLoginUrlBytes) return too_large("login URL", limits::kMaxLoginUrlBytes);
  secure::SecretString login(inner);
  AV_TRY(append_login_url(login, urls.federation, destination, token.reveal()));
  if (!auto_logout) return login;
  const std::size_t total = urls.logout.size() + kLogoutQuery.size() +
                            query_escaped_size(login.reveal());
  if (total > limits::kMaxLoginUrlBytes) return too_large("login URL", limits::kMaxLoginUrlBytes);
  secure::SecretString out(total);
  AV_TRY(out.append(urls.logout));
  AV_TRY(out.append(kLogoutQuery));
  AV_TRY(append_query_escaped(out, login.reveal()));
  return out;
}

}  // namespace av::aws
