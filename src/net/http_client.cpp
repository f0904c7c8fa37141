// http_client.cpp: the default HttpClient: one connection per request, response read through
// ResponseParser with the caller's body bound.
//
// Response bytes pass through a buffer in locked memory (bodies carry credentials), and the
// parser appends them to the Response's SecretBytes; nothing of the body is kept elsewhere.
#include "net/http_client.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/ascii.h"
#include "net/http_request.h"
#include "net/proxy_env.h"
#include "net/tls/ca_store.h"

namespace av::net {
namespace {

// Socket reads per call; a TLS record is at most 16 KiB of plaintext.
constexpr std::size_t kReadChunkBytes = 16 * limits::kKiB;

// The variables proxy_for reads; proxy URLs may carry passwords and stay in locked memory.

// go_method renders the method as Go's net/http errors do ("Get", "Post").
std::string go_method(std::string_view method) {
  std::string out = ascii::lower(method);
  if (!out.empty()) out[0] = ascii::to_upper(out[0]);
  return out;
}

// absolute_target is the absolute-form request target for a proxy (no userinfo).
std::string absolute_target(const Url& url) {
  return url.scheme + "://" + url.authority_for_host_header() + url.target;
}

Result<Response> read_response(Connection& connection, bool head_request,
                               const ClientOptions& options) {
  ResponseLimits limits;
  limits.max_body_bytes = options.max_body;
  ResponseParser parser(limits, head_request);
  secure::SecretBytes buffer = secure::SecretBytes::zeroed(kReadChunkBytes);
  while (!parser.done()) {
    AV_TRY_ASSIGN(std::size_t n, connection.read_some(buffer.reveal_mutable(), options.read));
    if (n == 0) {
      AV_TRY(parser.finish());
      break;
    }
    AV_TRY_ASSIGN(std::size_t used, parser.feed(buffer.reveal().first(n)));
    (void)used;  // one request per connection: bytes after the response are ignored
  }
  return parser.take();
}

class DefaultHttpClient final : public HttpClient {
 public:
  DefaultHttpClient(ClientOptions options, platform::Environment env) noexcept
      : options_(std::move(options)), env_(std::move(env)) {}

  Result<Response> send(const Url& url, Request request) override {
    const std::string method = go_method(request.method);
    auto response = exchange(url, std::move(request));
    if (!response) {
      return std::move(response).error().with_context(method + " \"" + url.redacted() + "\"");
    }
    return response;
  }

 private:
  Result<Response> exchange(const Url& url, Request request) {
    AV_TRY_ASSIGN(std::optional<Url> proxy, proxy_for(url, env_));
    AV_TRY_ASSIGN(std::unique_ptr<Connection> connection,
                  open_connection(url, proxy ? &*proxy : nullptr, options_));
    request.target = url.target;
    if (connection->uses_absolute_form()) {
      request.target = absolute_target(url);
      if (proxy->has_credentials()) {
        AV_TRY_ASSIGN(secure::SecretString auth, proxy_authorization(*proxy));
        request.secret_headers.emplace_back("Proxy-Authorization", std::move(auth));
      }
    }
    AV_TRY_ASSIGN(secure::SecretBytes wire, serialize_request(request, url));
    AV_TRY(connection->write_all(wire.reveal(), options_.read));
    return read_response(*connection, request.method == "HEAD", options_);
  }

  ClientOptions options_;
  platform::Environment env_;
};

}  // namespace

HttpClient::~HttpClient() = default;

Result<std::unique_ptr<HttpClient>> make_http_client(ClientOptions options,
                                                     const platform::Environment& env) {
  if (options.connect <= Timeout::zero() || options.handshake <= Timeout::zero() ||
      options.read <= Timeout::zero()) {
    return Error(Errc::Config, "http client: timeouts must be positive");
  }
  if (options.max_body == 0) return Error(Errc::Config, "http client: max_body must be positive");
  if (!options.ca_bundle.empty()) {
    AV_TRY(tls::ca_store_from_file(options.ca_bundle));
  }
  AV_TRY_ASSIGN(platform::Environment proxies, copy_proxy_environment(env));
  return std::make_unique<DefaultHttpClient>(std::move(options), std::move(proxies));
}

}  // namespace av::net
