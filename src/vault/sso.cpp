// sso.cpp: SSO role credentials (spec §10, differences in sso.h): the token policy (cached,
// refreshed, or a new sign-in under the start URL's lock), the two sign-in flows, the loopback
// redirect listener, and GetRoleCredentials with the one retry of §10.2 step 4.
#include "vault/sso.h"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "aws/endpoints.h"
#include "aws/sso.h"
#include "base/ascii.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/text_reader.h"
#include "codec/go_duration.h"
#include "codec/iso8601.h"
#include "keyring/keys.h"
#include "platform/socket.h"
#include "secure/ct.h"
#include "vault/oidc_cache.h"
#include "vault/session_cache.h"
#include "vault/single_flight.h"
#include "vault/vault.h"

namespace av::vault::detail {
namespace {

using config::ResolvedProfile;
using std::chrono::seconds;
using std::chrono::system_clock;

constexpr std::string_view kDefaultScope = "sso:account:access";
constexpr std::string_view kCallbackPath = "/oauth/callback";
// The redirect URI registered with the client: any loopback port is accepted for it (RFC 8252
// §7.3), as for the AWS CLI's registration.
constexpr std::string_view kRegisteredRedirect = "http://127.0.0.1/oauth/callback";
constexpr std::string_view kGrantAuthorizationCode = "authorization_code";
constexpr std::string_view kGrantRefreshToken = "refresh_token";
constexpr std::string_view kGrantDeviceCode = "urn:ietf:params:oauth:grant-type:device_code";

constexpr seconds kDefaultPollInterval{5};  // spec §10.3 step 4
constexpr seconds kSlowDownStep{5};         // RFC 8628 §3.5
// A device authorization without an expiry (AWS always sends one) is abandoned after this.
constexpr seconds kDefaultDeviceExpiry{std::chrono::minutes(15)};
// A cached token with less than this left is refreshed when it can be (the AWS CLI refreshes 15
// minutes early; role credentials only need the token for one call).
constexpr seconds kRefreshWindow{std::chrono::minutes(5)};
// A cached registration is reused for a sign-in only if it outlives the sign-in.
constexpr seconds kClientMargin{std::chrono::minutes(15)};
// How long a process waits for another one's sign-in (a device code lives 10 minutes).
constexpr seconds kSignInLockWait{std::chrono::minutes(15)};
constexpr std::chrono::milliseconds kCallbackReadTimeout{10'000};
constexpr std::chrono::milliseconds kCallbackWriteTimeout{5'000};
constexpr std::chrono::milliseconds kOpenerGrace{2'000};
constexpr std::size_t kMaxShownErrorChars = 200;

// ---- small helpers ----------------------------------------------------------------------------

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string url_text(std::string_view url) { return ascii::escape_for_terminal(url); }

std::string whole_seconds_text(seconds s) { return std::to_string(s.count()) + "s"; }

// rewrap gives `e` a new code and a prefix, keeping the AWS error code for callers.
Error rewrap(Error e, Errc code, std::string_view prefix) {
  Error out(code, std::string(prefix) + std::string(e.message()));
  if (e.api_code().empty()) return out;
  return std::move(out).with_api_code(std::string(e.api_code()));
}

// shown_text bounds and escapes untrusted text (OAuth error fields) for a message.
std::string shown_text(std::string_view text) {
  return ascii::escape_for_terminal(text.substr(0, kMaxShownErrorChars));
}

// is_openable_url accepts what we hand to a browser or print: an http(s) URL of printable
// ASCII without spaces (the SSO-OIDC answer is untrusted input).
bool is_openable_url(std::string_view url) {
  if (!url.starts_with("https://") && !url.starts_with("http://")) return false;
  return std::all_of(url.begin(), url.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

Result<aws::Endpoint> sso_endpoint(const ResolvedProfile& r, const platform::Environment& env,
                                   aws::Service service, std::string_view operation) {
  auto endpoint = service_endpoint(service, r, env, operation);
  if (endpoint && endpoint->source != aws::EndpointSource::Default) {
    log::debug("Using custom " + std::string(service_display_name(service)) + " endpoint " +
               endpoint->url);
  }
  return endpoint;
}

// ---- the browser ------------------------------------------------------------------------------

// BrowserLaunch runs the opener on its own thread: a browser that is its own first instance
// blocks until it is closed, and the redirect listener must answer meanwhile. The destructor
// gives a running opener kOpenerGrace to finish (xdg-open and friends return at once), joins a
// finished one (logging its failure) and detaches one that still runs.
class BrowserLaunch {
 public:
  BrowserLaunch() = default;
  BrowserLaunch(const BrowserLaunch&) = delete;
  BrowserLaunch& operator=(const BrowserLaunch&) = delete;
  ~BrowserLaunch() {
    if (!thread_.joinable()) return;
    std::unique_lock<std::mutex> lock(shared_->mutex);
    if (!shared_->done_cv.wait_for(lock, kOpenerGrace, [this] { return shared_->done; })) {
      lock.unlock();
      thread_.detach();
      return;
    }
    const std::string error = shared_->error;
    lock.unlock();
    thread_.join();
    if (!error.empty()) log::debug("Failed to open browser: " + error);
  }

  void start(const std::function<Status(std::string_view)>& opener, std::string url) {
    if (!opener) return;
    shared_ = std::make_shared<Shared>();
    thread_ = std::thread([shared = shared_, opener, url = std::move(url)] {
      const Status opened = opener(url);
      const std::lock_guard<std::mutex> guard(shared->mutex);
      if (!opened) shared->error = ascii::escape_for_terminal(opened.error().message());
      shared->done = true;
      shared->done_cv.notify_all();
    });
  }

 private:
  struct Shared {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    std::string error;
  };
  std::shared_ptr<Shared> shared_;
  std::thread thread_;
};

// ---- the loopback redirect listener -----------------------------------------------------------

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// decode_form_value appends the application/x-www-form-urlencoded decoding of `text` ('+' is a
// space, %XX a byte) to `out`, whose capacity must be at least text.size().
template <class Out>
Status decode_form_value(std::string_view text, std::string_view name, Out& out) {
  TextReader reader(text);
  while (!reader.empty()) {
    AV_TRY_ASSIGN(const char c, reader.read_char());
    if (c != '%') {
      AV_TRY(out.push_back(c == '+' ? ' ' : c));
      continue;
    }
    auto digits = reader.read_exact(2);
    const int high = digits ? hex_value((*digits)[0]) : -1;
    const int low = digits ? hex_value((*digits)[1]) : -1;
    if (high < 0 || low < 0) {
      return Error(Errc::Parse, "callback request: bad %-escape in " + std::string(name));
    }
    AV_TRY(out.push_back(static_cast<char>(high * 16 + low)));
  }
  return ok();
}

// TextOut adapts std::string to decode_form_value (for values that are not secret).
struct TextOut {
  std::string& text;
  Status push_back(char c) {
    text.push_back(c);
    return ok();
  }
};

Status set_once(bool& seen, std::string_view name) {
  if (seen) return Error(Errc::Parse, "callback request: repeated parameter " + std::string(name));
  seen = true;
  return ok();
}

Status read_parameter(std::string_view pair, CallbackRequest& out, std::array<bool, 4>& seen) {
  const std::size_t eq = pair.find('=');
  const std::string_view name = pair.substr(0, eq);
  const std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
  if (name == "code") {
    AV_TRY(set_once(seen[0], name));
    out.code = secure::SecretString(value.size());
    return decode_form_value(value, name, out.code);
  }
  std::string* target = nullptr;
  std::string state;
  if (name == "state") {
    AV_TRY(set_once(seen[1], name));
    target = &state;
  } else if (name == "error") {
    AV_TRY(set_once(seen[2], name));
    target = &out.error;
  } else if (name == "error_description") {
    AV_TRY(set_once(seen[3], name));
    target = &out.error_description;
  } else {
    return ok();  // parameters we do not use
  }
  TextOut text{*target};
  AV_TRY(decode_form_value(value, name, text));
  if (target == &state) out.state = std::move(state);
  return ok();
}

bool head_complete(ByteSpan bytes) {
  return as_chars(bytes).find("\r\n\r\n") != std::string_view::npos;
}

using SteadyDeadline = std::chrono::steady_clock::time_point;

std::chrono::milliseconds until(SteadyDeadline deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                               std::chrono::steady_clock::now());
}

// read_request_head reads up to the blank line that ends an HTTP request head, into locked
// memory (the query carries the authorization code).
Result<secure::SecretBytes> read_request_head(platform::Socket& socket, SteadyDeadline deadline) {
  secure::SecretBytes buffer = secure::SecretBytes::zeroed(limits::kMaxSsoCallbackRequestBytes);
  std::size_t len = 0;
  while (!head_complete(buffer.reveal().first(len))) {
    if (len == buffer.size()) {
      return Error(Errc::TooLarge, "callback request: head exceeds " +
                                       std::to_string(limits::kMaxSsoCallbackRequestBytes) +
                                       " bytes");
    }
    const auto timeout = std::min(kCallbackReadTimeout, until(deadline));
    if (timeout.count() <= 0) return Error(Errc::Network, "callback request: i/o timeout");
    AV_TRY_ASSIGN(const std::size_t n,
                  socket.read_some(buffer.reveal_mutable().subspan(len), timeout));
    if (n == 0) return Error(Errc::Truncated, "callback request: connection closed early");
    len += n;
  }
  buffer.resize(len);
  return buffer;
}

// reply answers the browser with a small static page (nothing from the request is reflected).
void reply(platform::Socket& socket, std::string_view status, std::string_view message) {
  const std::string body =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>aws-vault</title></head>"
      "<body><p>" + std::string(message) + "</p></body></html>\n";
  const std::string response = "HTTP/1.1 " + std::string(status) +
                               "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
                               std::to_string(body.size()) +
                               "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n" + body;
  (void)socket.write_all(as_bytes(response), kCallbackWriteTimeout);  // the browser may be gone
  socket.shutdown_write();
}

using CallbackOutcome = std::optional<Result<secure::SecretString>>;  // nullopt: keep waiting

Result<secure::SecretString> callback_error(const CallbackRequest& request) {
  if (request.error == "access_denied") {
    return Error(Errc::Cancelled, "SSO sign-in was denied in the browser (access_denied)");
  }
  std::string message = "SSO sign-in failed in the browser: " + shown_text(request.error);
  if (!request.error_description.empty()) message += ": " + shown_text(request.error_description);
  return Error(Errc::AuthFailed, std::move(message));
}

// handle_connection serves one connection to the listener: a finished sign-in (code or error),
// or nullopt for requests that are not the redirect (a favicon, a malformed request).
CallbackOutcome handle_connection(platform::Socket& socket, std::string_view state,
                                  SteadyDeadline deadline) {
  Result<secure::SecretBytes> head = read_request_head(socket, deadline);
  if (!head) {
    log::debug("SSO redirect listener: ignoring a connection: " +
               std::string(head.error().message()));
    return std::nullopt;
  }
  Result<CallbackRequest> request = parse_callback_request(as_chars(head->reveal()));
  if (!request) {
    reply(socket, "400 Bad Request", "aws-vault could not read this request.");
    log::debug("SSO redirect listener: " + std::string(request.error().message()));
    return std::nullopt;
  }
  if (request->path != kCallbackPath) {
    reply(socket, "404 Not Found", "Not found.");
    return std::nullopt;
  }
  if (!request->state || !ct::equal(*request->state, state)) {
    reply(socket, "400 Bad Request",
          "aws-vault refused this sign-in: the answer does not belong to the sign-in it started. "
          "Close this tab and try again.");
    return Error(Errc::AuthFailed,
                 "SSO sign-in refused: the browser's redirect carries a state that does not match "
                 "this sign-in (possible cross-site request forgery)");
  }
  if (!request->error.empty()) {
    reply(socket, "200 OK", "The sign-in was not completed. You can close this tab.");
    return callback_error(*request);
  }
  if (request->code.empty()) {
    reply(socket, "400 Bad Request", "The answer carries no authorization code.");
    return Error(Errc::Parse, "SSO sign-in: the browser's redirect carries no authorization code");
  }
  reply(socket, "200 OK", "aws-vault is signed in. You can close this tab.");
  return Result<secure::SecretString>(std::move(request->code));
}

Error callback_timeout_error(std::chrono::milliseconds timeout) {
  return Error(Errc::Network, "timed out after " + codec::format_go_duration(timeout) +
                                  " waiting for the SSO sign-in to complete in the browser");
}

Result<secure::SecretString> await_callback(platform::Listener& listener, std::string_view state,
                                            std::chrono::milliseconds timeout) {
  const SteadyDeadline deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = until(deadline);
    if (left.count() <= 0) return callback_timeout_error(timeout);
    Result<platform::Socket> socket = listener.accept(left);
    if (!socket) {
      if (until(deadline).count() <= 0) return callback_timeout_error(timeout);
      return std::move(socket).error().with_context("SSO redirect listener");
    }
    CallbackOutcome outcome = handle_connection(*socket, state, deadline);
    if (outcome) return std::move(*outcome);
  }
}

// ---- the token policy and the sign-in flows ---------------------------------------------------

enum class Flow : std::uint8_t { Pkce, Device, Refresh };

struct AccessToken {
  secure::SecretString value;
  bool from_cache = false;  // read from the keyring as it was (so a 401 may mean it was revoked)
};

// Refusals of a refresh that a new sign-in can fix (a stale or revoked refresh token, a client
// that expired or was deleted); anything else (the network, a 5xx) is reported.
bool refresh_refused(std::string_view api_code) noexcept {
  return api_code == "InvalidGrantException" || api_code == "ExpiredTokenException" ||
         api_code == "InvalidClientException" || api_code == "UnauthorizedClientException" ||
         api_code == "AccessDeniedException" || api_code == "InvalidRequestException";
}

bool client_refused(std::string_view api_code) noexcept {
  return api_code == "InvalidClientException" || api_code == "UnauthorizedClientException";
}

class SignIn {
 public:
  SignIn(const ResolvedProfile& r, Services& services, SsoServices& sso,
         const ChainOptions& options, aws::SsoOidcClient& oidc)
      : r_(r),
        services_(services),
        sso_(sso),
        options_(options),
        oidc_(oidc),
        store_(services.keyring),
        scopes_(registration_scopes(r.sso_registration_scopes)) {}

  // token: a cached token with kRefreshWindow left, else (under the start URL's lock) a
  // refreshed one or a new sign-in.
  Result<AccessToken> token();
  // forget removes the cached token (spec §10.2 step 4).
  Status forget() { return store_.remove(r_.sso_start_url); }

 private:
  Result<AccessToken> token_locked();
  Result<std::optional<AccessToken>> refresh(OidcItem& item);
  Result<AccessToken> sign_in(std::optional<CachedOidcClient> cached);
  Result<CachedOidcClient> register_client(Flow flow);
  Result<aws::OidcToken> pkce(const CachedOidcClient& client);
  Result<aws::OidcToken> device(const CachedOidcClient& client);
  Result<aws::OidcToken> poll(const CachedOidcClient& client, const aws::DeviceAuthorization& auth);
  Status show(const std::string& url, BrowserLaunch& launch);
  Result<AccessToken> keep(aws::OidcToken token, CachedOidcClient client);
  bool fits(const CachedOidcClient& c, Flow flow, seconds margin) const;
  AccessToken cached(const OidcItem& item) const;
  seconds left(const OidcItem& item) const {
    return std::chrono::duration_cast<seconds>(item.expiration - services_.clock.now());
  }
  void sleep(seconds s) const {
    if (sso_.sleep) {
      sso_.sleep(s);
    } else {
      std::this_thread::sleep_for(s);
    }
  }

  const ResolvedProfile& r_;
  Services& services_;
  SsoServices& sso_;
  const ChainOptions& options_;
  aws::SsoOidcClient& oidc_;
  OidcTokenStore store_;
  std::vector<std::string> scopes_;
};

bool SignIn::fits(const CachedOidcClient& c, Flow flow, seconds margin) const {
  if (c.client.expires_at <= services_.clock.now() + margin) return false;
  if (c.region != r_.sso_region || c.scopes != scopes_) return false;
  switch (flow) {
    case Flow::Pkce:
      return contains(c.grant_types, kGrantAuthorizationCode);
    case Flow::Device:
      return c.grant_types.empty() || contains(c.grant_types, kGrantDeviceCode);
    case Flow::Refresh:
      return c.grant_types.empty() || contains(c.grant_types, kGrantRefreshToken);
  }
  return false;
}

AccessToken SignIn::cached(const OidcItem& item) const {
  log::debug("Using cached OIDC token for " + url_text(r_.sso_start_url) + " (expires in: " +
             whole_seconds_text(left(item)) + ")");
  return AccessToken{item.token.access_token.clone(), true};
}

Result<AccessToken> SignIn::token() {
  if (options_.cache_disabled) return sign_in(std::nullopt);
  AV_TRY_ASSIGN(std::optional<OidcItem> item, store_.load(r_.sso_start_url));
  if (item && left(*item) >= kRefreshWindow) return cached(*item);
  std::string dir = options_.lock_dir;
  if (dir.empty()) {
    AV_TRY_ASSIGN(dir, default_lock_dir(services_.env));
  }
  const auto wait = std::max<std::chrono::milliseconds>(options_.lock_timeout, kSignInLockWait);
  AV_TRY_ASSIGN(const platform::FileLock lock,
                acquire_refresh_lock(dir, keyring::oidc_token_key(r_.sso_start_url), wait));
  return token_locked();
}

Result<AccessToken> SignIn::token_locked() {
  // Another process may have signed in or refreshed while this one waited for the lock.
  AV_TRY_ASSIGN(std::optional<OidcItem> item, store_.load(r_.sso_start_url));
  if (!item) return sign_in(std::nullopt);
  if (left(*item) >= kRefreshWindow) return cached(*item);
  AV_TRY_ASSIGN(std::optional<AccessToken> refreshed, refresh(*item));
  if (refreshed) return std::move(*refreshed);
  if (item->expiration > services_.clock.now()) return cached(*item);
  const bool reusable = item->client && item->client->client.expires_at > services_.clock.now();
  if (!reusable) {
    // As upstream; an item that still holds a usable registration stays until it is replaced.
    log::debug("OIDC token for '" + url_text(r_.sso_start_url) + "' expired, removing");
    AV_TRY(store_.remove(r_.sso_start_url));
  }
  return sign_in(std::move(item->client));
}

// refresh uses the item's refresh token when it has one and a registration to use it with.
// nullopt: not refreshable, or refused in a way a new sign-in fixes (then item.client is
// dropped when the refusal was about the client).
Result<std::optional<AccessToken>> SignIn::refresh(OidcItem& item) {
  if (item.token.refresh_token.empty() || !item.client ||
      !fits(*item.client, Flow::Refresh, seconds(0))) {
    return std::optional<AccessToken>{};
  }
  Result<aws::OidcToken> fresh =
      oidc_.create_token_refresh(item.client->client, item.token.refresh_token);
  if (!fresh) {
    const std::string code(fresh.error().api_code());
    if (!refresh_refused(code)) return std::move(fresh).error();
    log::debug("OIDC refresh token for '" + url_text(r_.sso_start_url) + "' was refused (" +
               code + "), signing in again");
    if (client_refused(code)) item.client.reset();
    item.token.refresh_token = secure::SecretString();
    return std::optional<AccessToken>{};
  }
  // RFC 6749 §6: without a new refresh token the old one stays valid.
  if (fresh->refresh_token.empty()) fresh->refresh_token = std::move(item.token.refresh_token);
  log::debug("Refreshed OIDC access token for " + url_text(r_.sso_start_url) +
             " (expires in: " + whole_seconds_text(fresh->expires_in) + ")");
  CachedOidcClient client = std::move(*item.client);
  AV_TRY_ASSIGN(AccessToken token, keep(std::move(fresh).value(), std::move(client)));
  return std::optional<AccessToken>(std::move(token));
}

Result<AccessToken> SignIn::sign_in(std::optional<CachedOidcClient> cached) {
  const Flow flow = options_.sso_use_device_code ? Flow::Device : Flow::Pkce;
  std::optional<CachedOidcClient> client;
  if (cached && fits(*cached, flow, kClientMargin)) {
    log::debug("Re-using OIDC client (expires at: " +
               codec::format_rfc3339(std::chrono::time_point_cast<std::chrono::nanoseconds>(
                   cached->client.expires_at)) +
               ")");
    client = std::move(cached);
  } else {
    AV_TRY_ASSIGN(client, register_client(flow));
  }
  AV_TRY_ASSIGN(aws::OidcToken token, flow == Flow::Device ? device(*client) : pkce(*client));
  log::debug("Created new OIDC access token for " + url_text(r_.sso_start_url) +
             " (expires in: " + whole_seconds_text(token.expires_in) + ")");
  return keep(std::move(token), std::move(*client));
}

Result<CachedOidcClient> SignIn::register_client(Flow flow) {
  aws::RegisterRequest request;
  request.scopes = scopes_;
  if (flow == Flow::Pkce) {
    request.grant_types = {std::string(kGrantAuthorizationCode), std::string(kGrantRefreshToken)};
    request.redirect_uris = {std::string(kRegisteredRedirect)};
    request.issuer_url = r_.sso_start_url;
  }
  AV_TRY_ASSIGN(aws::OidcClient client, oidc_.register_client(request));
  log::debug("Created new OIDC client (expires at: " +
             codec::format_rfc3339(
                 std::chrono::time_point_cast<std::chrono::nanoseconds>(client.expires_at)) +
             ")");
  return CachedOidcClient{std::move(client), r_.sso_region, scopes_,
                          std::move(request.grant_types)};
}

Status SignIn::show(const std::string& url, BrowserLaunch& launch) {
  if (!is_openable_url(url)) {
    return Error(Errc::Parse, "SSO sign-in: refusing to show a sign-in URL that is not a plain "
                              "http(s) URL");
  }
  const auto tell = [this](const std::string& text) {
    if (sso_.tell_user) sso_.tell_user(text);
  };
  if (r_.sso_use_stdout) {
    tell("Open the SSO authorization page in a browser (use Ctrl-C to abort)\n" + url + "\n");
    return ok();
  }
  tell("Opening the SSO authorization page in your default browser (use Ctrl-C to abort)\n" +
       url + "\n");
  launch.start(sso_.open_browser, url);
  return ok();
}

Result<aws::OidcToken> SignIn::pkce(const CachedOidcClient& client) {
  AV_TRY_ASSIGN(platform::Listener listener, platform::listen_tcp("127.0.0.1", 0));
  const std::string redirect = "http://127.0.0.1:" + std::to_string(listener.port()) +
                               std::string(kCallbackPath);
  AV_TRY_ASSIGN(const aws::Pkce pair, aws::make_pkce(sso_.random));
  const std::string url = aws::authorize_url(oidc_.endpoint(), client.client.client_id, redirect,
                                             scopes_, pair.state, pair.challenge);
  BrowserLaunch launch;
  AV_TRY(show(url, launch));
  AV_TRY_ASSIGN(const secure::SecretString code,
                await_callback(listener, pair.state, options_.sso_callback_timeout));
  return oidc_.create_token_code(client.client, code, redirect, pair.verifier);
}

Result<aws::OidcToken> SignIn::device(const CachedOidcClient& client) {
  AV_TRY_ASSIGN(const aws::DeviceAuthorization auth,
                oidc_.start_device_authorization(client.client, r_.sso_start_url));
  log::debug("Created OIDC device code for " + url_text(r_.sso_start_url) +
             " (expires in: " + whole_seconds_text(auth.expires_in) + ")");
  BrowserLaunch launch;
  AV_TRY(show(auth.verification_uri_complete, launch));
  return poll(client, auth);
}

// poll asks for the token until the user decides (spec §10.3 step 4, with slow_down fixed:
// the interval grows by 5 s and polling goes on) or the device code expires.
Result<aws::OidcToken> SignIn::poll(const CachedOidcClient& client,
                                    const aws::DeviceAuthorization& auth) {
  seconds interval = auth.interval > seconds(0) ? auth.interval : kDefaultPollInterval;
  const seconds lifetime = auth.expires_in > seconds(0) ? auth.expires_in : kDefaultDeviceExpiry;
  const auto deadline = services_.clock.now() + lifetime;
  for (;;) {
    Result<aws::OidcToken> token = oidc_.create_token_device(client.client, auth.device_code);
    if (token) return token;
    const std::string_view code = token.error().api_code();
    if (code == "SlowDownException") {
      interval += kSlowDownStep;
      log::debug("SSO-OIDC asked to slow down; polling every " + whole_seconds_text(interval));
    } else if (code == "AccessDeniedException") {
      return rewrap(std::move(token).error(), Errc::Cancelled, "SSO sign-in was denied: ");
    } else if (code == "ExpiredTokenException") {
      return rewrap(std::move(token).error(), Errc::AuthFailed,
                    "the SSO device code expired before the sign-in was approved: ");
    } else if (code != "AuthorizationPendingException") {
      return std::move(token).error();
    }
    if (services_.clock.now() + interval >= deadline) {
      return Error(Errc::AuthFailed, "the SSO device code expired after " +
                                         whole_seconds_text(lifetime) +
                                         " before the sign-in was approved");
    }
    sleep(interval);
  }
}

// keep stores a new or refreshed token with its registration (when caching) and returns it.
Result<AccessToken> SignIn::keep(aws::OidcToken token, CachedOidcClient client) {
  AccessToken out{token.access_token.clone(), false};
  if (options_.cache_disabled) return out;
  const system_clock::time_point expiration = services_.clock.now() + token.expires_in;
  const OidcItem item{std::move(token), expiration, std::move(client)};
  AV_TRY(store_.store(r_.sso_start_url, item));
  return out;
}

}  // namespace

std::vector<std::string> registration_scopes(std::string_view text) {
  std::vector<std::string> scopes;
  while (!text.empty() && scopes.size() < limits::kMaxOidcScopes) {
    const std::size_t comma = text.find(',');
    const std::string_view scope = ascii::trim(text.substr(0, comma));
    if (!scope.empty()) scopes.emplace_back(scope);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (scopes.empty()) scopes.emplace_back(kDefaultScope);
  return scopes;
}

Result<CallbackRequest> parse_callback_request(std::string_view head) {
  if (head.size() > limits::kMaxSsoCallbackRequestBytes) {
    return Error(Errc::TooLarge, "callback request: head exceeds " +
                                     std::to_string(limits::kMaxSsoCallbackRequestBytes) +
                                     " bytes");
  }
  TextReader reader(head);
  Result<std::string_view> line = reader.read_line(limits::kMaxSsoCallbackRequestBytes);
  if (!line) return std::move(line).error().with_context("callback request: request line");
  TextReader request_line(*line);
  auto method = request_line.read_until(' ', 16);
  if (!method || *method != "GET") return Error(Errc::Parse, "callback request: not a GET");
  auto target = request_line.read_until(' ', limits::kMaxSsoCallbackRequestBytes);
  if (!target) return Error(Errc::Parse, "callback request: malformed request line");
  const std::string_view version = request_line.rest();
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    return Error(Errc::Parse, "callback request: unsupported HTTP version");
  }
  if (target->empty() || target->front() != '/') {
    return Error(Errc::Parse, "callback request: target is not a path");
  }
  CallbackRequest out;
  const std::size_t question = target->find('?');
  out.path = std::string(target->substr(0, question));
  std::string_view query = question == std::string_view::npos ? "" : target->substr(question + 1);
  std::array<bool, 4> seen{};
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    AV_TRY(read_parameter(query.substr(0, amp), out, seen));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

Result<aws::Credentials> sso_role_credentials(const ResolvedProfile& r, Services& services,
                                              const ChainOptions& options) {
  if (services.sso == nullptr) {
    return Error(Errc::Internal, "SSO sign-in is not available to this command");
  }
  SsoServices& sso = *services.sso;
  AV_TRY_ASSIGN(const aws::Endpoint oidc_endpoint,
                sso_endpoint(r, services.env, aws::Service::SsoOidc, "CreateToken"));
  AV_TRY_ASSIGN(const aws::Endpoint portal_endpoint,
                sso_endpoint(r, services.env, aws::Service::Sso, "GetRoleCredentials"));
  aws::SsoOidcClient oidc(sso.http, oidc_endpoint.url, services.clock);
  aws::SsoPortalClient portal(sso.http, portal_endpoint.url);
  SignIn sign_in(r, services, sso, options, oidc);
  AV_TRY_ASSIGN(AccessToken token, sign_in.token());
  Result<aws::Credentials> creds =
      portal.get_role_credentials(token.value, r.sso_account_id, r.sso_role_name);
  if (!creds && token.from_cache && creds.error().api_code() == "UnauthorizedException") {
    log::debug("OIDC token for '" + url_text(r.sso_start_url) +
               "' was rejected (UnauthorizedException), removing it");
    AV_TRY(sign_in.forget());
    AV_TRY_ASSIGN(token, sign_in.token());
    creds = portal.get_role_credentials(token.value, r.sso_account_id, r.sso_role_name);
  }
  if (!creds) return std::move(creds).error();
  if (log::debug_enabled() && creds->expiration) {
    const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(
        *creds->expiration - services.clock.now());
    log::debug("Got credentials " + mask_access_key(creds->access_key_id) + " for SSO role " +
               ascii::escape_for_terminal(r.sso_role_name) + " (account: " +
               ascii::escape_for_terminal(r.sso_account_id) + "), expires in " +
               codec::format_go_duration(left));
  }
  return creds;
}

}  // namespace av::vault::detail
