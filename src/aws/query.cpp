// query.cpp: the Query-protocol caller (see query.h).
#include "aws/query.h"

#include <thread>

#include "aws/responses.h"
#include "base/limits.h"
#include "base/log.h"

namespace av::aws {

namespace {

constexpr std::string_view kFormContentType = "application/x-www-form-urlencoded; charset=utf-8";

bool is_unreserved(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::size_t encoded_size(std::string_view text) noexcept {
  std::size_t n = 0;
  for (const char c : text) n += is_unreserved(c) || c == ' ' ? std::size_t{1} : std::size_t{3};
  return n;
}

// append_encoded writes `text` form-encoded into `out` one byte at a time, so a secret value never
// exists encoded outside locked memory: unreserved characters as they are, space as '+', every
// other byte as %XX (what the AWS SDKs and botocore send; moto re-encodes the body this way when
// it checks a signature). Capacity was reserved by the caller.
Status append_encoded(secure::SecretBytes& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : text) {
    if (is_unreserved(c) || c == ' ') {
      const char plain = c == ' ' ? '+' : c;
      AV_TRY(out.append(as_bytes(std::string_view(&plain, 1))));
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    const char escaped[3] = {'%', kHex[byte >> 4U], kHex[byte & 0x0FU]};
    AV_TRY(out.append(as_bytes(std::string_view(escaped, 3))));
  }
  return ok();
}

// Field: one name/value view; values of secret parameters are views into locked memory.
using Field = std::pair<std::string_view, std::string_view>;

std::vector<Field> fields_of(const QueryRequest& request) {
  std::vector<Field> fields = {{"Action", request.action}, {"Version", request.version}};
  for (const QueryParam& p : request.params) fields.emplace_back(p.name, p.value);
  for (const SecretParam& p : request.secret_params) fields.emplace_back(p.name, p.value.reveal());
  return fields;
}

void default_sleep(std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); }

std::string operation_prefix(const QueryRequest& request) {
  return "operation error " + std::string(request.service_name) + ": " +
         std::string(request.action);
}

// with_operation renders the Go SDK's "operation error STS: AssumeRole, <cause>", keeping the
// code and the AWS error code.
Error with_operation(const QueryRequest& request, const Error& cause) {
  Error e(cause.code(), operation_prefix(request) + ", " + std::string(cause.message()));
  if (!cause.api_code().empty()) return std::move(e).with_api_code(std::string(cause.api_code()));
  return e;
}

}  // namespace

Result<secure::SecretBytes> encode_query_body(const QueryRequest& request) {
  const std::vector<Field> fields = fields_of(request);
  std::size_t total = 0;
  for (const Field& f : fields) total += encoded_size(f.first) + encoded_size(f.second) + 2;
  if (total > limits::kMaxHttpBodyBytes) {
    return Error(Errc::TooLarge, "query request body exceeds " +
                                     std::to_string(limits::kMaxHttpBodyBytes) + " bytes");
  }
  secure::SecretBytes body(total);
  bool first = true;
  for (const Field& f : fields) {
    if (!first) AV_TRY(body.append(as_bytes("&")));
    first = false;
    AV_TRY(append_encoded(body, f.first));
    AV_TRY(body.append(as_bytes("=")));
    AV_TRY(append_encoded(body, f.second));
  }
  return body;
}

QueryClient::QueryClient(net::HttpClient& http, const platform::Clock& clock,
                         crypto::RandomSource& random, Sleeper sleep, RetryPolicy policy)
    : http_(http),
      clock_(clock),
      retrier_(random, policy),
      sleep_(sleep ? std::move(sleep) : Sleeper(&default_sleep)) {}

Result<net::Response> QueryClient::attempt(const net::Url& url, const Endpoint& endpoint,
                                           const secure::SecretBytes& body,
                                           const Credentials* credentials) {
  net::Request request;
  request.method = "POST";
  request.target = "/";
  request.headers.push_back({"Content-Type", std::string(kFormContentType)});
  if (credentials != nullptr) {
    SigningRequest to_sign;
    to_sign.host = url.authority_for_host_header();
    to_sign.path = "/";
    to_sign.headers.push_back({"Content-Type", std::string(kFormContentType)});
    to_sign.body = body.reveal();
    to_sign.service = std::string(endpoint.signing_name);
    to_sign.region = endpoint.signing_region;
    to_sign.time = clock_.now();
    AV_TRY_ASSIGN(SignedRequest signed_request, signer_.sign(to_sign, *credentials));
    attach_signature(std::move(signed_request), request);
  }
  request.body = body.clone();
  return http_.send(url, std::move(request));
}

// size-waiver: one retry loop; splitting it would scatter the attempt/decision pairing.
Result<secure::SecretBytes> QueryClient::call(const Endpoint& endpoint,
                                              const QueryRequest& request,
                                              const Credentials* credentials) {
  AV_TRY_ASSIGN(net::Url url, net::parse_url(endpoint.url));
  url.target = "/";
  AV_TRY_ASSIGN(const secure::SecretBytes body, encode_query_body(request));
  const auto started = std::chrono::steady_clock::now();
  for (attempts_ = 1;; ++attempts_) {
    Result<net::Response> response = attempt(url, endpoint, body, credentials);
    if (response && response->status >= 200 && response->status < 300) {
      retrier_.after_success(attempts_);
      return std::move(response->body);
    }
    Error failure = response ? parse_aws_error(response->status, response->body.reveal(),
                                               response->header("x-amzn-RequestId").value_or(""))
                             : std::move(response).error();
    const RetryClass klass =
        response ? classify({AttemptOutcome::Kind::Response, response->status, failure.api_code()})
                 : classify_error(failure);
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    const auto delay = retrier_.after_failure(attempts_, klass, elapsed);
    if (!delay) return with_operation(request, failure);
    log::debug(operation_prefix(request) + ": attempt " + std::to_string(attempts_) +
               " failed (" + std::string(failure.message()) + "), retrying in " +
               std::to_string(delay->count()) + "ms");
    sleep_(*delay);
  }
}

}  // namespace av::aws
