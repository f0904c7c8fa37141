// sso.cpp: the SSO-OIDC and SSO portal clients, their JSON requests and response parsers, the
// error mapping and PKCE (see sso.h). Wire facts (paths, member names, error types and statuses)
// come from AWS's public API references for SSO OIDC and SSO (2019-06-10); the
// authorization-code parameters follow the AWS CLI v2 and RFC 7636.
#include "aws/sso.h"

#include <array>
#include <cstdint>
#include <utility>

#include "base/ascii.h"
#include "base/limits.h"
#include "codec/base64.h"
#include "codec/json/reader.h"
#include "codec/json/writer.h"
#include "codec/percent.h"
#include "crypto/secret_codec.h"
#include "crypto/sha256.h"
#include "net/url.h"

namespace av::aws {

namespace {

namespace json = codec::json;

constexpr std::string_view kOidcService = "SSO OIDC";
constexpr std::string_view kPortalService = "SSO";
constexpr std::string_view kDeviceGrant = "urn:ietf:params:oauth:grant-type:device_code";
constexpr std::string_view kJsonContentType = "application/json";

// Integer bounds: durations fit an int32 (the API's ExpirationInSeconds/IntervalInSeconds);
// timestamps stop at 2200-01-01, well inside what system_clock (int64 nanoseconds) can hold.
constexpr std::int64_t kMaxSeconds = 2'147'483'647;
constexpr std::int64_t kMaxEpochSeconds = 7'258'118'400;
constexpr std::int64_t kMaxEpochMillis = kMaxEpochSeconds * 1000;

constexpr std::size_t kPkceVerifierBytes = 64;
constexpr std::size_t kPkceStateBytes = 32;
constexpr std::size_t kMaxErrorTypeChars = 128;

// The members whose string values are secrets wherever they appear in a response.
const json::SecretFields& secret_fields() {
  static const json::SecretFields fields{"clientSecret", "deviceCode", "accessToken",
                                         "refreshToken", "idToken",    "secretAccessKey",
                                         "sessionToken"};
  return fields;
}

// ---- response parsing ----------------------------------------------------------------------

enum class Presence : std::uint8_t { Required, Optional };

// Members reads the members of one response object, naming the operation in every error.
class Members {
 public:
  Members(std::string_view operation, json::Value& object)
      : operation_(operation), object_(object) {}

  Result<std::string> text(std::string_view key, Presence presence) {
    AV_TRY_ASSIGN(const json::Value* v, present(key, presence));
    if (v == nullptr) return std::string();
    if (v->kind() != json::Value::Kind::String) return fail(key, "expected a string");
    AV_TRY_ASSIGN(const std::string_view s, v->as_string());
    if (s.empty() && presence == Presence::Required) return fail(key, "empty");
    return std::string(s);
  }

  Result<secure::SecretString> secret(std::string_view key, Presence presence) {
    AV_TRY_ASSIGN(const json::Value* found, present(key, presence));
    if (found == nullptr) return secure::SecretString();
    json::Value* v = object_.find(key);
    if (v->kind() != json::Value::Kind::Secret) return fail(key, "expected a string");
    AV_TRY_ASSIGN(secure::SecretString s, v->take_secret());
    if (s.empty() && presence == Presence::Required) return fail(key, "empty");
    return s;
  }

  // integer returns 0 for an absent optional member.
  Result<std::int64_t> integer(std::string_view key, Presence presence, std::int64_t max) {
    AV_TRY_ASSIGN(const json::Value* v, present(key, presence));
    if (v == nullptr) return std::int64_t{0};
    if (v->kind() != json::Value::Kind::Number) return fail(key, "expected an integer");
    Result<std::int64_t> n = v->as_int64();
    if (!n) return fail(key, "expected an integer");
    if (*n < 0 || *n > max) return fail(key, "out of range");
    return *n;
  }

  Result<std::chrono::seconds> seconds(std::string_view key, Presence presence) {
    AV_TRY_ASSIGN(const std::int64_t n, integer(key, presence, kMaxSeconds));
    return std::chrono::seconds(n);
  }

  Error fail(std::string_view key, std::string_view what) const {
    return Error(Errc::Parse, std::string(operation_) + " response: " + std::string(key) + ": " +
                                  std::string(what));
  }

 private:
  // present returns the member, nullptr when absent or null and optional.
  Result<const json::Value*> present(std::string_view key, Presence presence) {
    const json::Value* v = object_.find(key);
    if (v != nullptr && !v->is_null()) return v;
    if (presence == Presence::Required) return fail(key, "missing");
    return static_cast<const json::Value*>(nullptr);
  }

  std::string_view operation_;
  json::Value& object_;
};

// parse_object parses `body` as one JSON object, secrets into locked memory.
Result<json::Value> parse_object(std::string_view operation, ByteSpan body) {
  Result<json::Value> doc = json::parse(as_chars(body), secret_fields());
  if (!doc) {
    return std::move(doc).error().with_context(std::string(operation) + " response");
  }
  if (doc->kind() != json::Value::Kind::Object) {
    return Error(Errc::Parse, std::string(operation) + " response: not a JSON object");
  }
  return doc;
}

std::chrono::system_clock::time_point from_epoch_seconds(std::int64_t seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

std::chrono::system_clock::time_point from_epoch_millis(std::int64_t millis) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(millis));
}

// ---- errors -----------------------------------------------------------------------------------

struct OauthCode {
  std::string_view code;
  std::string_view type;
};

// The OAuth "error" codes SSO-OIDC puts in its error bodies, and the exception each belongs to.
constexpr std::array<OauthCode, 13> kOauthCodes = {{
    {"access_denied", "AccessDeniedException"},
    {"authorization_pending", "AuthorizationPendingException"},
    {"expired_token", "ExpiredTokenException"},
    {"invalid_client", "InvalidClientException"},
    {"invalid_client_metadata", "InvalidClientMetadataException"},
    {"invalid_grant", "InvalidGrantException"},
    {"invalid_redirect_uri", "InvalidRedirectUriException"},
    {"invalid_request", "InvalidRequestException"},
    {"invalid_scope", "InvalidScopeException"},
    {"server_error", "InternalServerException"},
    {"slow_down", "SlowDownException"},
    {"unauthorized_client", "UnauthorizedClientException"},
    {"unsupported_grant_type", "UnsupportedGrantTypeException"},
}};

bool valid_type(std::string_view type) noexcept {
  if (type.empty() || type.size() > kMaxErrorTypeChars) return false;
  for (const char c : type) {
    if (!ascii::is_alnum(c) && c != '_' && c != '.') return false;
  }
  return true;
}

// header_type: x-amzn-ErrorType is "<Type>" or "<Type>:<namespace URL>".
std::string_view header_type(std::string_view header) noexcept {
  return ascii::trim(header.substr(0, header.find(':')));
}

// body_type: "__type"/"code" may be "<namespace>#<Type>"; also drop a ':' suffix.
std::string_view body_type(std::string_view value) noexcept {
  const std::size_t hash = value.find('#');
  if (hash != std::string_view::npos) value.remove_prefix(hash + 1);
  return header_type(value);
}

std::string_view string_member(const json::Value& doc, std::string_view key) noexcept {
  const json::Value* v = doc.find(key);
  if (v == nullptr || v->kind() != json::Value::Kind::String) return {};
  Result<std::string_view> s = v->as_string();
  return s ? *s : std::string_view();
}

// type_from_body reads "__type", "code", then the OAuth "error" code.
std::string type_from_body(const json::Value& doc) {
  for (const std::string_view key : {"__type", "code"}) {
    const std::string_view type = body_type(string_member(doc, key));
    if (valid_type(type)) return std::string(type);
  }
  const std::string_view code = string_member(doc, "error");
  for (const OauthCode& known : kOauthCodes) {
    if (known.code == code) return std::string(known.type);
  }
  return valid_type(code) ? std::string(code) : std::string();
}

std::string description_from_body(const json::Value& doc) {
  for (const std::string_view key : {"error_description", "message", "Message"}) {
    const std::string_view text = string_member(doc, key);
    if (!text.empty()) return ascii::escape_for_terminal(text);
  }
  return {};
}

std::string operation_prefix(std::string_view service, std::string_view operation) {
  return "operation error " + std::string(service) + ": " + std::string(operation);
}

// with_operation renders the Go SDK's "operation error SSO: GetRoleCredentials, <cause>",
// keeping the error code and the AWS error type.
Error with_operation(std::string_view service, std::string_view operation, const Error& cause) {
  Error e(cause.code(), operation_prefix(service, operation) + ", " + std::string(cause.message()));
  if (!cause.api_code().empty()) return std::move(e).with_api_code(std::string(cause.api_code()));
  return e;
}

// ---- requests ---------------------------------------------------------------------------------

// Call: one REST-JSON request of an operation.
struct Call {
  std::string_view service;
  std::string_view operation;
  std::string_view fallback_401;  // the error type an untyped 401 means
};

// join_target appends `path` (with query) to the endpoint's own path, if it has one.
std::string join_target(const net::Url& url, std::string_view path) {
  std::string target = url.target;
  while (!target.empty() && target.back() == '/') target.pop_back();
  return target + std::string(path);
}

// send issues `request` to `endpoint` + `path` and returns the 2xx body; other statuses become
// parse_sso_error's error, everything with the operation prefix.
Result<secure::SecretBytes> send(net::HttpClient& http, std::string_view endpoint,
                                 std::string_view path, net::Request request, const Call& call) {
  Result<net::Url> url = net::parse_url(endpoint);
  if (!url) return with_operation(call.service, call.operation, url.error());
  url->target = join_target(*url, path);
  Result<net::Response> response = http.send(*url, std::move(request));
  if (!response) return with_operation(call.service, call.operation, response.error());
  if (response->status >= 200 && response->status < 300) return std::move(response->body);
  const std::string_view fallback = response->status == 401 ? call.fallback_401 : "";
  const Error failure = parse_sso_error(
      response->status, response->body.reveal(), response->header("x-amzn-ErrorType").value_or(""),
      response->header("x-amzn-RequestId").value_or(""), fallback);
  return with_operation(call.service, call.operation, failure);
}

// Field: one request member, plain text or a secret.
struct Field {
  std::string_view key;
  std::string_view text;
  const secure::SecretString* secret = nullptr;
};

// json_body writes the members in the order given (alphabetical, as the Go SDK serialises
// them) in locked memory, sized for the worst-case escaping of every value.
Result<secure::SecretBytes> json_body(std::initializer_list<Field> fields) {
  std::size_t budget = 2;
  for (const Field& f : fields) {
    budget += 6 * (f.key.size() + (f.secret != nullptr ? f.secret->size() : f.text.size())) + 6;
  }
  json::SecretWriter w(json::Style::Compact, budget);
  AV_TRY(w.begin_object());
  for (const Field& f : fields) {
    AV_TRY(w.key(f.key));
    AV_TRY(f.secret != nullptr ? w.value_secret(*f.secret) : w.value_string(f.text));
  }
  AV_TRY(w.end_object());
  const secure::SecretString text = std::move(w).finish();
  return secure::SecretBytes::copy_of(text.reveal_bytes());
}

net::Request json_post(secure::SecretBytes body) {
  net::Request request;
  request.method = "POST";
  request.headers.push_back({"Content-Type", std::string(kJsonContentType)});
  request.body = std::move(body);
  return request;
}

Status write_string_list(json::Writer& w, std::string_view key,
                         const std::vector<std::string>& values) {
  if (values.empty()) return ok();
  AV_TRY(w.key(key));
  AV_TRY(w.begin_array());
  for (const std::string& v : values) AV_TRY(w.value_string(v));
  return w.end_array();
}

Status write_member(json::Writer& w, std::string_view key, std::string_view value) {
  AV_TRY(w.key(key));
  return w.value_string(value);
}

// register_budget bounds the RegisterClient body: every character escaped as \u00XX.
std::size_t register_budget(const RegisterRequest& r) {
  std::size_t budget = 128 + 6 * (r.client_name.size() + r.issuer_url.size());
  for (const auto* list : {&r.scopes, &r.grant_types, &r.redirect_uris}) {
    for (const std::string& v : *list) budget += 6 * v.size() + 3;
  }
  return budget;
}

// register_body: RegisterClient's members in alphabetical order; optional ones only when set.
Result<std::string> register_body(const RegisterRequest& r) {
  json::Writer w(json::Style::Compact, register_budget(r));
  AV_TRY(w.begin_object());
  AV_TRY(write_member(w, "clientName", r.client_name));
  AV_TRY(write_member(w, "clientType", "public"));
  AV_TRY(write_string_list(w, "grantTypes", r.grant_types));
  if (!r.issuer_url.empty()) AV_TRY(write_member(w, "issuerUrl", r.issuer_url));
  AV_TRY(write_string_list(w, "redirectUris", r.redirect_uris));
  AV_TRY(write_string_list(w, "scopes", r.scopes));
  AV_TRY(w.end_object());
  return std::move(w).finish();
}

constexpr Call kRegisterClient{kOidcService, "RegisterClient", ""};
constexpr Call kStartDeviceAuthorization{kOidcService, "StartDeviceAuthorization",
                                         "InvalidClientException"};
constexpr Call kCreateToken{kOidcService, "CreateToken", "InvalidClientException"};
constexpr Call kGetRoleCredentials{kPortalService, "GetRoleCredentials", "UnauthorizedException"};

Result<OidcToken> create_token(net::HttpClient& http, std::string_view endpoint,
                               Result<secure::SecretBytes> body) {
  if (!body) return with_operation(kCreateToken.service, kCreateToken.operation, body.error());
  AV_TRY_ASSIGN(const secure::SecretBytes reply,
                send(http, endpoint, "/token", json_post(std::move(body).value()), kCreateToken));
  return parse_create_token(reply.reveal());
}

}  // namespace

// ---- parsers ----------------------------------------------------------------------------------

Result<OidcClient> parse_register_client(ByteSpan body) {
  AV_TRY_ASSIGN(json::Value doc, parse_object("RegisterClient", body));
  Members m("RegisterClient", doc);
  OidcClient client;
  AV_TRY_ASSIGN(client.client_id, m.text("clientId", Presence::Required));
  AV_TRY_ASSIGN(client.client_secret, m.secret("clientSecret", Presence::Required));
  AV_TRY_ASSIGN(const std::int64_t expires,
                m.integer("clientSecretExpiresAt", Presence::Required, kMaxEpochSeconds));
  AV_TRY(m.integer("clientIdIssuedAt", Presence::Optional, kMaxEpochSeconds));
  client.expires_at = from_epoch_seconds(expires);
  return client;
}

Result<DeviceAuthorization> parse_device_authorization(ByteSpan body) {
  AV_TRY_ASSIGN(json::Value doc, parse_object("StartDeviceAuthorization", body));
  Members m("StartDeviceAuthorization", doc);
  DeviceAuthorization d;
  AV_TRY_ASSIGN(d.device_code, m.secret("deviceCode", Presence::Required));
  AV_TRY_ASSIGN(d.user_code, m.text("userCode", Presence::Required));
  AV_TRY_ASSIGN(d.verification_uri, m.text("verificationUri", Presence::Optional));
  AV_TRY_ASSIGN(d.verification_uri_complete, m.text("verificationUriComplete", Presence::Required));
  AV_TRY_ASSIGN(d.expires_in, m.seconds("expiresIn", Presence::Optional));
  AV_TRY_ASSIGN(d.interval, m.seconds("interval", Presence::Optional));
  return d;
}

Result<OidcToken> parse_create_token(ByteSpan body) {
  AV_TRY_ASSIGN(json::Value doc, parse_object("CreateToken", body));
  Members m("CreateToken", doc);
  OidcToken t;
  AV_TRY_ASSIGN(t.access_token, m.secret("accessToken", Presence::Required));
  AV_TRY_ASSIGN(t.refresh_token, m.secret("refreshToken", Presence::Optional));
  AV_TRY_ASSIGN(t.id_token, m.secret("idToken", Presence::Optional));
  AV_TRY_ASSIGN(t.token_type, m.text("tokenType", Presence::Optional));
  AV_TRY_ASSIGN(t.expires_in, m.seconds("expiresIn", Presence::Optional));
  return t;
}

Result<Credentials> parse_role_credentials(ByteSpan body) {
  AV_TRY_ASSIGN(json::Value doc, parse_object("GetRoleCredentials", body));
  json::Value* inner = doc.find("roleCredentials");
  if (inner == nullptr || inner->is_null()) {
    return Members("GetRoleCredentials", doc).fail("roleCredentials", "missing");
  }
  if (inner->kind() != json::Value::Kind::Object) {
    return Members("GetRoleCredentials", doc).fail("roleCredentials", "expected an object");
  }
  Members m("GetRoleCredentials", *inner);
  Credentials c;
  AV_TRY_ASSIGN(c.access_key_id, m.text("accessKeyId", Presence::Required));
  AV_TRY_ASSIGN(c.secret_access_key, m.secret("secretAccessKey", Presence::Required));
  AV_TRY_ASSIGN(c.session_token, m.secret("sessionToken", Presence::Required));
  AV_TRY_ASSIGN(const std::int64_t ms,
                m.integer("expiration", Presence::Required, kMaxEpochMillis));
  c.expiration = from_epoch_millis(ms);
  return c;
}

Error parse_sso_error(int http_status, ByteSpan body, std::string_view error_type_header,
                      std::string_view request_id, std::string_view fallback_type) {
  std::string prefix = "https response error StatusCode: " + std::to_string(http_status) +
                       ", RequestID: " + ascii::escape_for_terminal(request_id) + ", ";
  std::string type(header_type(error_type_header));
  if (!valid_type(type)) type.clear();
  std::string description;
  Result<json::Value> doc = json::parse(as_chars(body), secret_fields());
  std::string unreadable = "empty body";
  if (doc && doc->kind() == json::Value::Kind::Object) {
    if (type.empty()) type = type_from_body(*doc);
    description = description_from_body(*doc);
  } else if (!body.empty()) {
    unreadable = doc ? std::string("not a JSON object") : std::string(doc.error().message());
  }
  if (type.empty() && valid_type(fallback_type)) type = std::string(fallback_type);
  if (type.empty()) {
    if (!description.empty()) unreadable = "no error type: " + description;
    return Error(Errc::AwsApi, prefix + "unreadable error response: " + unreadable);
  }
  return Error(Errc::AwsApi, prefix + "api error " + type + ": " + description).with_api_code(type);
}

// ---- PKCE -------------------------------------------------------------------------------------

std::string pkce_challenge(const secure::SecretString& verifier) {
  const crypto::Sha256Digest digest = crypto::sha256(verifier.reveal_bytes());
  return codec::encode_base64(digest, codec::Base64Alphabet::Url);
}

Result<Pkce> make_pkce(crypto::RandomSource& random) {
  secure::SecretBytes raw = secure::SecretBytes::zeroed(kPkceVerifierBytes);
  AV_TRY(random.fill(raw.reveal_mutable()));
  std::array<std::uint8_t, kPkceStateBytes> state{};
  AV_TRY(random.fill(state));
  Pkce pkce;
  pkce.verifier = crypto::encode_base64_secret(raw.reveal(), crypto::Base64Variant::UrlUnpadded);
  pkce.challenge = pkce_challenge(pkce.verifier);
  pkce.state = codec::encode_base64(state, codec::Base64Alphabet::Url);
  return pkce;
}

std::string authorize_url(std::string_view endpoint, std::string_view client_id,
                          std::string_view redirect_uri, std::span<const std::string> scopes,
                          std::string_view state, std::string_view code_challenge) {
  std::string joined;
  for (const std::string& scope : scopes) {
    if (!joined.empty()) joined += ',';
    joined += scope;
  }
  const std::array<codec::FormField, 7> fields = {{
      {"response_type", "code"},
      {"client_id", client_id},
      {"redirect_uri", redirect_uri},
      {"state", state},
      {"code_challenge_method", "S256"},
      {"scopes", joined},
      {"code_challenge", code_challenge},
  }};
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.remove_suffix(1);
  return std::string(endpoint) + "/authorize?" + codec::form_urlencode(fields);
}

// ---- clients ----------------------------------------------------------------------------------

SsoOidcClient::SsoOidcClient(net::HttpClient& http, std::string endpoint,
                             const platform::Clock& clock)
    : http_(http), endpoint_(std::move(endpoint)), clock_(clock) {
  (void)clock_;  // reserved: every time the API returns today is absolute or relative
}

Result<OidcClient> SsoOidcClient::register_client(const RegisterRequest& request) {
  Result<std::string> body = register_body(request);
  if (!body) return with_operation(kOidcService, "RegisterClient", body.error());
  AV_TRY_ASSIGN(const secure::SecretBytes reply,
                send(http_, endpoint_, "/client/register",
                     json_post(secure::SecretBytes::copy_of(as_bytes(*body))), kRegisterClient));
  return parse_register_client(reply.reveal());
}

Result<DeviceAuthorization> SsoOidcClient::start_device_authorization(const OidcClient& client,
                                                                      std::string_view start_url) {
  Result<secure::SecretBytes> body = json_body({{"clientId", client.client_id},
                                                {"clientSecret", {}, &client.client_secret},
                                                {"startUrl", start_url}});
  if (!body) return with_operation(kOidcService, "StartDeviceAuthorization", body.error());
  AV_TRY_ASSIGN(const secure::SecretBytes reply,
                send(http_, endpoint_, "/device_authorization", json_post(std::move(body).value()),
                     kStartDeviceAuthorization));
  return parse_device_authorization(reply.reveal());
}

Result<OidcToken> SsoOidcClient::create_token_device(const OidcClient& client,
                                                     const secure::SecretString& device_code) {
  return create_token(http_, endpoint_,
                      json_body({{"clientId", client.client_id},
                                 {"clientSecret", {}, &client.client_secret},
                                 {"deviceCode", {}, &device_code},
                                 {"grantType", kDeviceGrant}}));
}

Result<OidcToken> SsoOidcClient::create_token_code(const OidcClient& client,
                                                   const secure::SecretString& code,
                                                   std::string_view redirect_uri,
                                                   const secure::SecretString& code_verifier) {
  return create_token(http_, endpoint_,
                      json_body({{"clientId", client.client_id},
                                 {"clientSecret", {}, &client.client_secret},
                                 {"code", {}, &code},
                                 {"codeVerifier", {}, &code_verifier},
                                 {"grantType", "authorization_code"},
                                 {"redirectUri", redirect_uri}}));
}

Result<OidcToken> SsoOidcClient::create_token_refresh(const OidcClient& client,
                                                      const secure::SecretString& refresh_token) {
  return create_token(http_, endpoint_,
                      json_body({{"clientId", client.client_id},
                                 {"clientSecret", {}, &client.client_secret},
                                 {"grantType", "refresh_token"},
                                 {"refreshToken", {}, &refresh_token}}));
}

SsoPortalClient::SsoPortalClient(net::HttpClient& http, std::string endpoint)
    : http_(http), endpoint_(std::move(endpoint)) {}

Result<Credentials> SsoPortalClient::get_role_credentials(const secure::SecretString& access_token,
                                                          std::string_view account_id,
                                                          std::string_view role_name) {
  const std::array<codec::FormField, 2> query = {
      {{"account_id", account_id}, {"role_name", role_name}}};
  net::Request request;
  request.method = "GET";
  request.secret_headers.emplace_back("x-amz-sso_bearer_token", access_token.clone());
  AV_TRY_ASSIGN(const secure::SecretBytes reply,
                send(http_, endpoint_, "/federation/credentials?" + codec::form_urlencode(query),
                     std::move(request), kGetRoleCredentials));
  return parse_role_credentials(reply.reveal());
}

}  // namespace av::aws
