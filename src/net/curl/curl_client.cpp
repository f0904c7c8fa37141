// curl_client.cpp: the optional libcurl HttpClient (AV_WITH_CURL). One easy handle per request
// (so one connection per request, as our client), response bytes written by the callbacks
// straight into the Response's locked body buffer, and curl's failures reshaped into the errors
// our client gives (curl_client.h lists where they differ).
#include "net/curl/curl_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/ascii.h"
#include "base/checked_math.h"
#include "net/http_request.h"
#include "net/proxy_env.h"
#include "net/tls/ca_store.h"

namespace av::net {
namespace {

// First allocation for a body without Content-Length; grown by doubling up to max_body.
constexpr std::size_t kInitialBodyCapacity = 16 * limits::kKiB;

// The variables the client reads; proxy URLs may carry passwords and stay in locked memory.
// Never proxied, as proxy_for (net/proxy_env.h) decides for our client.
constexpr std::string_view kLoopbackNoProxy = "localhost,127.0.0.0/8,::1";

// OpenSSL verify results (X509_V_ERR_*) that mean "no trusted chain", and a host name mismatch.
constexpr std::array<long, 5> kUnknownAuthority = {2, 18, 19, 20, 21};
constexpr long kHostnameMismatch = 62;

// go_method renders the method as Go's net/http errors do ("Get", "Post").
std::string go_method(std::string_view method) {
  std::string out = ascii::lower(method);
  if (!out.empty()) out[0] = ascii::to_upper(out[0]);
  return out;
}

// c_string copies `text` plus a NUL into locked memory, for options that take a C string.
Result<secure::SecretString> c_string(std::string_view text) {
  secure::SecretString out(text.size() + 1);
  AV_TRY(out.append(text));
  AV_TRY(out.append(std::string_view("\0", 1)));
  return out;
}

struct EasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

// HeaderList owns a curl_slist of request header lines and wipes them before freeing: they
// include secret headers (X-Amz-Security-Token), which curl_slist_append copied to the heap.
class HeaderList {
 public:
  HeaderList() = default;
  ~HeaderList() {
    for (curl_slist* node = list_; node != nullptr; node = node->next) {
      secure::wipe(as_writable_bytes(node->data, std::strlen(node->data)));
    }
    curl_slist_free_all(list_);
  }
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;

  // add appends "Name: value" ("Name;" for an empty value; "Name:" alone removes curl's own).
  Status add(std::string_view name, std::string_view value, bool remove = false) {
    secure::SecretString line(name.size() + value.size() + 3);
    AV_TRY(line.append(name));
    AV_TRY(line.append(remove ? ":" : value.empty() ? ";" : ": "));
    AV_TRY(line.append(value));
    AV_TRY_ASSIGN(secure::SecretString text, c_string(line.reveal()));
    curl_slist* grown = curl_slist_append(list_, text.reveal().data());
    if (grown == nullptr) return Error(Errc::Internal, "curl: out of memory");
    list_ = grown;
    return ok();
  }
  curl_slist* get() const noexcept { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

// Transfer: the state the callbacks share during one curl_easy_perform.
struct Transfer {
  CURL* handle = nullptr;
  std::size_t max_body = 0;
  Timeout idle{};
  Response response;
  std::size_t head_bytes = 0;
  bool head_done = false;
  bool body_too_large = false;
  bool head_too_large = false;
  bool idle_expired = false;
  curl_off_t last_down = 0;
  curl_off_t last_up = 0;
  std::chrono::steady_clock::time_point last_activity = std::chrono::steady_clock::now();
};

bool append_body(Transfer& t, ByteSpan bytes) {
  secure::SecretBytes& body = t.response.body;
  const auto needed = checked_add(body.size(), bytes.size());
  if (!needed || *needed > t.max_body) {
    t.body_too_large = true;
    return false;
  }
  if (*needed > body.capacity()) {
    const std::size_t doubled = std::max(body.capacity() * 2, kInitialBodyCapacity);
    secure::SecretBytes grown(std::max(*needed, std::min(doubled, t.max_body)));
    if (!grown.append(body.reveal())) return false;
    body = std::move(grown);  // the old buffer is wiped as it is released
  }
  return body.append(bytes).has_value();
}

// on_body: CURLOPT_WRITEFUNCTION. Returning less than given aborts with CURLE_WRITE_ERROR.
std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  const std::size_t n = size * count;  // size is always 1 (libcurl documentation)
  return append_body(t, as_bytes(std::string_view(data, n))) ? n : 0;
}

// start_response resets the state for a new status line: a 1xx interim response, or the
// response to a retry after proxy authentication, is followed by another.
void start_response(Transfer& t, std::string_view line) {
  t.response.headers.clear();
  t.response.body.resize(0);
  t.head_done = false;
  t.head_bytes = line.size();
  line = ascii::trim(line);
  const std::size_t version_end = line.find(' ');
  const std::string_view rest =
      version_end == std::string_view::npos ? std::string_view() : line.substr(version_end + 1);
  const std::size_t code_end = rest.find(' ');
  t.response.reason = std::string(code_end == std::string_view::npos ? std::string_view()
                                                                     : rest.substr(code_end + 1));
}

// on_header: CURLOPT_HEADERFUNCTION, called once per header line (status line and blank line
// included, trailers after a chunked body too). Enforces our header limits.
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  const std::string_view raw(data, n);
  if (raw.starts_with("HTTP/")) {
    start_response(t, raw);
    return n;
  }
  if (t.head_done) return n;  // trailers are dropped, as our parser does
  const std::string_view line = ascii::trim(raw);
  if (line.empty()) {
    t.head_done = true;
    return n;
  }
  t.head_bytes += n;
  if (t.head_bytes > limits::kMaxHttpHeaderBytes ||
      t.response.headers.size() >= limits::kMaxHttpHeaderCount) {
    t.head_too_large = true;
    return 0;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  t.response.headers.push_back({std::string(ascii::trim(line.substr(0, colon))),
                                std::string(ascii::trim(line.substr(colon + 1)))});
  return n;
}

// on_progress: CURLOPT_XFERINFOFUNCTION, our idle read timeout. Once connected (the pre-transfer
// time is known), a call with no new bytes either way after `idle` aborts the transfer.
int on_progress(void* user, curl_off_t, curl_off_t down, curl_off_t, curl_off_t up) {
  auto& t = *static_cast<Transfer*>(user);
  const auto now = std::chrono::steady_clock::now();
  curl_off_t connected_us = 0;
  (void)curl_easy_getinfo(t.handle, CURLINFO_PRETRANSFER_TIME_T, &connected_us);
  if (connected_us == 0 || down != t.last_down || up != t.last_up) {
    t.last_down = down;
    t.last_up = up;
    t.last_activity = now;
    return 0;
  }
  if (now - t.last_activity < t.idle) return 0;
  t.idle_expired = true;
  return 1;
}

// peer is "ip:port" of the last connection curl tried (the proxy when proxied), else `fallback`.
std::string peer(CURL* handle, const std::string& fallback) {
  char* ip = nullptr;
  long port = 0;
  if (curl_easy_getinfo(handle, CURLINFO_PRIMARY_IP, &ip) != CURLE_OK || ip == nullptr ||
      *ip == '\0' || curl_easy_getinfo(handle, CURLINFO_PRIMARY_PORT, &port) != CURLE_OK) {
    return fallback;
  }
  const std::string_view address(ip);
  const bool v6 = address.find(':') != std::string_view::npos;
  return (v6 ? "[" + std::string(address) + "]" : std::string(address)) + ":" +
         std::to_string(port);
}

// errno_text names the socket error of a failed connect as Go does, else curl's message.
std::string errno_text(CURL* handle, std::string_view detail) {
  long err = 0;
  (void)curl_easy_getinfo(handle, CURLINFO_OS_ERRNO, &err);
  switch (err) {
    case ECONNREFUSED:
      return "connection refused";
    case ETIMEDOUT:
      return "i/o timeout";
    case ENETUNREACH:
      return "network is unreachable";
    case EHOSTUNREACH:
      return "no route to host";
    default:
      return std::string(detail);
  }
}

// proxy_authority is "host:port" of a proxy URL ("scheme://user:pass@host:port/"), without the
// scheme, the credentials and any path, for messages.
std::string proxy_authority(std::string_view proxy) {
  const std::size_t scheme_end = proxy.find("://");
  if (scheme_end != std::string_view::npos) proxy.remove_prefix(scheme_end + 3);
  proxy = proxy.substr(0, proxy.find('/'));
  const std::size_t at = proxy.rfind('@');
  if (at != std::string_view::npos) proxy.remove_prefix(at + 1);
  return std::string(proxy);
}

// FailureContext: what the error mapping needs besides the curl code.
struct FailureContext {
  CURL* handle = nullptr;
  const Url* url = nullptr;
  bool proxied = false;
  std::string dial_target;  // the proxy's host:port when proxied, else the URL's
  std::string_view detail;  // curl's error buffer (never holds credentials)
};

Error dial_error(CURLcode code, const FailureContext& c) {
  const std::string prefix = c.proxied ? "proxyconnect tcp: " : "";
  const std::string& target = c.dial_target;
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return Error(Errc::Network,
                   "dial tcp " + c.url->host_port() + ": lookup " + c.url->host + ": no such host");
    case CURLE_COULDNT_RESOLVE_PROXY:
      return Error(Errc::Network, "proxyconnect tcp: " + std::string(c.detail));
    case CURLE_COULDNT_CONNECT:
      return Error(Errc::Network, prefix + "dial tcp " + peer(c.handle, target) + ": " +
                                      errno_text(c.handle, c.detail));
    case CURLE_OPERATION_TIMEDOUT:
      return Error(Errc::Network, prefix + "dial tcp " + peer(c.handle, target) + ": i/o timeout");
    default:
      return Error(Errc::Network, prefix + "curl: " + std::string(c.detail));
  }
}

Error tls_error(CURLcode code, const FailureContext& c) {
  long verify = 0;
  (void)curl_easy_getinfo(c.handle, CURLINFO_SSL_VERIFYRESULT, &verify);
  const std::string what = "tls handshake with " + c.url->host + ": ";
  if (std::find(kUnknownAuthority.begin(), kUnknownAuthority.end(), verify) !=
      kUnknownAuthority.end()) {
    return Error(Errc::AuthFailed, what + "x509: certificate signed by unknown authority");
  }
  // curl checks the name itself after a successful chain verification (verify result 0).
  if (code == CURLE_PEER_FAILED_VERIFICATION && (verify == 0 || verify == kHostnameMismatch)) {
    return Error(Errc::AuthFailed, what + "x509: certificate is not valid for " + c.url->host);
  }
  return Error(Errc::Network, what + std::string(c.detail));
}

Error transfer_error(CURLcode code, const Transfer& t, const FailureContext& c) {
  if (t.body_too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return Error(Errc::TooLarge,
                 "HTTP response body exceeds " + std::to_string(t.max_body) + " bytes");
  }
  if (t.head_too_large) return Error(Errc::TooLarge, "HTTP response header exceeds the limits");
  if (t.idle_expired) {
    return Error(Errc::Network, "read tcp " + peer(c.handle, c.url->host_port()) + ": i/o timeout");
  }
  long connect_code = 0;
  (void)curl_easy_getinfo(c.handle, CURLINFO_HTTP_CONNECTCODE, &connect_code);
  if (c.proxied && connect_code >= 300) {
    return Error(Errc::Network,
                 "proxy CONNECT " + c.url->host_port() + ": " + std::to_string(connect_code));
  }
  switch (code) {
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
      return Error(Errc::Truncated, "malformed HTTP response: unexpected EOF");
    case CURLE_WEIRD_SERVER_REPLY:
      return Error(Errc::Parse, "malformed HTTP response: " + std::string(c.detail));
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Error(Errc::Unsupported, "curl: " + std::string(c.detail));
    case CURLE_OUT_OF_MEMORY:
      return Error(Errc::Internal, "curl: out of memory");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
      return tls_error(code, c);
    default:
      return dial_error(code, c);
  }
}

// OptionSetter applies curl_easy_setopt calls until the first failure.
class OptionSetter {
 public:
  explicit OptionSetter(CURL* handle) noexcept : handle_(handle) {}
  template <class T>
  OptionSetter& set(CURLoption option, T value) {
    if (result_ == CURLE_OK) result_ = curl_easy_setopt(handle_, option, value);
    return *this;
  }
  Status status() const {
    if (result_ == CURLE_OK) return ok();
    return Error(Errc::Internal,
                 std::string("curl: setting options: ") + curl_easy_strerror(result_));
  }

 private:
  CURL* handle_;
  CURLcode result_ = CURLE_OK;
};

// set_callbacks wires the three callbacks to `t`.
void set_callbacks(OptionSetter& set, Transfer& t) {
  set.set(CURLOPT_WRITEFUNCTION, &on_body)
      .set(CURLOPT_WRITEDATA, static_cast<void*>(&t))
      .set(CURLOPT_HEADERFUNCTION, &on_header)
      .set(CURLOPT_HEADERDATA, static_cast<void*>(&t))
      .set(CURLOPT_XFERINFOFUNCTION, &on_progress)
      .set(CURLOPT_XFERINFODATA, static_cast<void*>(&t))
      .set(CURLOPT_NOPROGRESS, 0L);
}

// set_policy applies the connection policy: protocols, HTTP/1.1 only, no redirects, no content
// decoding, timeouts, TLS 1.2+, the CA bundle and the body bound.
void set_policy(OptionSetter& set, const ClientOptions& options) {
  const auto connect_ms = (options.connect + options.handshake).count();
  const auto max_body = std::min<std::size_t>(
      options.max_body, static_cast<std::size_t>(std::numeric_limits<curl_off_t>::max()));
  set.set(CURLOPT_NOSIGNAL, 1L)
      .set(CURLOPT_PROTOCOLS_STR, "http,https")
      .set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1))
      .set(CURLOPT_FOLLOWLOCATION, 0L)
      .set(CURLOPT_PATH_AS_IS, 1L)
      .set(CURLOPT_HTTP_CONTENT_DECODING, 0L)
      .set(CURLOPT_FORBID_REUSE, 1L)
      .set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_ms))
      .set(CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2))
      .set(CURLOPT_SSL_VERIFYPEER, 1L)
      .set(CURLOPT_SSL_VERIFYHOST, 2L)
      .set(CURLOPT_PROXY_SSL_VERIFYPEER, 1L)
      .set(CURLOPT_PROXY_SSL_VERIFYHOST, 2L)
      .set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_body))
      .set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L)
      .set(CURLOPT_PROXYAUTH, static_cast<long>(CURLAUTH_ANY));
  if (!options.ca_bundle.empty()) {
    set.set(CURLOPT_CAINFO, options.ca_bundle.c_str())
        .set(CURLOPT_PROXY_CAINFO, options.ca_bundle.c_str());
  }
}

// set_method picks GET, HEAD, POST or a custom method, with the body (borrowed, not copied:
// it must outlive the transfer) when there is one or the method expects one.
void set_method(OptionSetter& set, const Request& request) {
  static constexpr char kEmpty[] = "";
  if (request.method == "HEAD") {
    set.set(CURLOPT_NOBODY, 1L);
    return;
  }
  const bool with_body = !request.body.empty() || request.method == "POST" ||
                         request.method == "PUT" || request.method == "PATCH";
  if (with_body) {
    const std::string_view body = as_chars(request.body.reveal());
    set.set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()))
        .set(CURLOPT_POSTFIELDS, body.empty() ? kEmpty : body.data());
  }
  if (request.method != (with_body ? "POST" : "GET")) {
    set.set(CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
}

// build_headers lists the caller's headers, then the secret ones, and removes the headers curl
// would add on its own (Accept, Expect, and a form Content-Type the caller did not ask for).
Status build_headers(const Request& request, HeaderList& list) {
  AV_TRY(list.add("Accept", "", true));
  AV_TRY(list.add("Expect", "", true));
  if (!find_header(request.headers, "Content-Type")) AV_TRY(list.add("Content-Type", "", true));
  for (const Header& header : request.headers) AV_TRY(list.add(header.name, header.value));
  for (const auto& [name, value] : request.secret_headers) AV_TRY(list.add(name, value.reveal()));
  return ok();
}

// no_proxy_list renders NO_PROXY (else no_proxy) for CURLOPT_NOPROXY, loopback added.
std::string no_proxy_list(const platform::Environment& env) {
  std::optional<std::string_view> value = env.get("NO_PROXY");
  if (!value || value->empty()) value = env.get("no_proxy");
  std::string out;
  std::string_view rest = value.value_or("");
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string_view entry = ascii::trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (entry == "*") return "*";
    if (entry.starts_with("*.")) entry.remove_prefix(1);
    if (!entry.empty()) out.append(entry).append(",");
  }
  return out.append(kLoopbackNoProxy);
}

class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient(ClientOptions options, platform::Environment env)
      : options_(std::move(options)), env_(std::move(env)), no_proxy_(no_proxy_list(env_)) {}

  Result<Response> send(const Url& url, Request request) override {
    const std::string method = go_method(request.method);
    auto response = exchange(url, std::move(request));
    if (!response) {
      return std::move(response).error().with_context(method + " \"" + url.redacted() + "\"");
    }
    return response;
  }

 private:
  // proxy_url is the proxy for `url` as a C string ("" disables curl's own environment lookup).
  Result<secure::SecretString> proxy_url(const Url& url) const {
    const bool https = url.scheme == "https";
    const std::array<std::string_view, 2> names = {https ? "HTTPS_PROXY" : "HTTP_PROXY",
                                                   https ? "https_proxy" : "http_proxy"};
    for (std::string_view name : names) {
      AV_TRY_ASSIGN(std::optional<secure::SecretString> value, env_.get_secret(name));
      if (!value || value->empty()) continue;
      if (!https && env_.get("REQUEST_METHOD")) {
        return Error(Errc::Config, "refusing to use HTTP_PROXY value in CGI environment");
      }
      return c_string(value->reveal());
    }
    return c_string("");
  }

  Result<Response> exchange(const Url& url, Request request) {
    {
      // The same validation as our client (method, target, header names and values, sizes).
      AV_TRY_ASSIGN(secure::SecretBytes wire, serialize_request(request, url));
    }
    AV_TRY_ASSIGN(secure::SecretString proxy, proxy_url(url));
    EasyHandle handle(curl_easy_init());
    if (!handle) return Error(Errc::Internal, "curl: cannot create a handle");
    HeaderList headers;
    AV_TRY(build_headers(request, headers));
    Transfer t;
    t.handle = handle.get();
    t.max_body = options_.max_body;
    t.idle = options_.read;
    std::array<char, CURL_ERROR_SIZE> errors{};
    const std::string target = url.scheme + "://" + url.authority_for_host_header() + url.target;
    OptionSetter set(handle.get());
    set.set(CURLOPT_URL, target.c_str())
        .set(CURLOPT_ERRORBUFFER, errors.data())
        .set(CURLOPT_HTTPHEADER, headers.get())
        .set(CURLOPT_PROXY, proxy.reveal().data())
        .set(CURLOPT_NOPROXY, no_proxy_.c_str());
    set_policy(set, options_);
    set_callbacks(set, t);
    set_method(set, request);
    AV_TRY(set.status());
    const CURLcode result = curl_easy_perform(handle.get());
    if (result != CURLE_OK) {
      const bool proxied = proxy.size() > 1;  // more than the NUL
      const FailureContext context{
          handle.get(), &url, proxied,
          proxied ? proxy_authority(proxy.reveal().substr(0, proxy.size() - 1)) : url.host_port(),
          errors.data()};
      return transfer_error(result, t, context);
    }
    long status = 0;
    (void)curl_easy_getinfo(handle.get(), CURLINFO_RESPONSE_CODE, &status);
    t.response.status = static_cast<int>(status);
    return std::move(t.response);
  }

  ClientOptions options_;
  platform::Environment env_;
  std::string no_proxy_;
};

// global_init runs curl_global_init once per process.
Status global_init() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (result == CURLE_OK) return ok();
  return Error(Errc::Internal, std::string("curl: init: ") + curl_easy_strerror(result));
}

}  // namespace

Result<std::unique_ptr<HttpClient>> make_curl_http_client(ClientOptions options,
                                                          const platform::Environment& env) {
  if (options.connect <= Timeout::zero() || options.handshake <= Timeout::zero() ||
      options.read <= Timeout::zero()) {
    return Error(Errc::Config, "http client: timeouts must be positive");
  }
  if (options.max_body == 0) return Error(Errc::Config, "http client: max_body must be positive");
  if (!options.ca_bundle.empty()) {
    AV_TRY(tls::ca_store_from_file(options.ca_bundle));
  }
  AV_TRY(global_init());
  AV_TRY_ASSIGN(platform::Environment proxies, copy_proxy_environment(env));
  return std::make_unique<CurlHttpClient>(std::move(options), std::move(proxies));
}

}  // namespace av::net
