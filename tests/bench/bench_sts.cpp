// bench_sts: issue 5 "make bench", one STS call end to end: GetCallerIdentity through
// make_http_client + QueryClient (SigV4) + StsClient (XML reply parsed), over plain HTTP on
// loopback, one new connection per call as in production.
//  * against a canned server on a thread of this process (reads the request, answers a fixed
//    GetCallerIdentity document): isolates our client's cost. This is the baseline.
//  * against moto (tests/support/moto.h, SigV4 checked): the realistic local server, whose own
//    Python time dominates; the ratio shows how little of it is ours.
//  * with -DAV_WITH_CURL=ON, the same canned call through make_curl_http_client.
// The signing key is cached after the first call (one QueryClient per series), as in a command.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "aws/endpoints.h"
#include "aws/query.h"
#include "aws/sts.h"
#include "bench.h"
#include "net/http_client.h"
#include "platform/socket.h"
#include "support/moto.h"
#ifdef AV_WITH_CURL
#include "net/curl/curl_client.h"
#endif

namespace {

using namespace std::chrono_literals;

constexpr std::string_view kCannedReply =
    "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
    "  <GetCallerIdentityResult>\n"
    "    <Arn>arn:aws:iam::123456789012:user/bench</Arn>\n"
    "    <UserId>AIDAJQABLZS4A3QDU576Q</UserId>\n"
    "    <Account>123456789012</Account>\n"
    "  </GetCallerIdentityResult>\n"
    "  <ResponseMetadata>\n"
    "    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>\n"
    "  </ResponseMetadata>\n"
    "</GetCallerIdentityResponse>\n";

// CannedSts answers every connection with kCannedReply after reading the whole request.
class CannedSts {
 public:
  CannedSts() {
    auto listener = av::platform::listen_tcp("127.0.0.1", 0);
    if (listener) listener_ = std::move(listener).value();
    thread_ = std::thread([this] { serve(); });
  }
  ~CannedSts() {
    stop_ = true;
    thread_.join();
  }
  CannedSts(const CannedSts&) = delete;
  CannedSts& operator=(const CannedSts&) = delete;
  std::string url() const { return "http://127.0.0.1:" + std::to_string(listener_.port()); }

 private:
  static std::size_t content_length(const std::string& head) {
    std::string lower = head;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
    const std::size_t at = lower.find("\r\ncontent-length:");
    std::size_t n = 0;
    if (at == std::string::npos) return 0;
    std::size_t begin = at + 17;
    while (begin < lower.size() && lower[begin] == ' ') ++begin;
    (void)std::from_chars(lower.data() + begin, lower.data() + lower.size(), n);
    return n;
  }

  static void answer(av::platform::Socket& s) {
    std::string request;
    std::array<std::uint8_t, 8192> buf{};
    std::size_t head_end = std::string::npos;
    while (head_end == std::string::npos ||
           request.size() < head_end + 4 + content_length(request.substr(0, head_end))) {
      auto n = s.read_some(buf, 2000ms);
      if (!n || *n == 0) return;
      request.append(av::as_chars(av::ByteSpan(buf).first(*n)));
      head_end = request.find("\r\n\r\n");
    }
    const std::string reply = "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: " +
                              std::to_string(kCannedReply.size()) +
                              "\r\nConnection: close\r\n\r\n" + std::string(kCannedReply);
    (void)s.write_all(av::as_bytes(reply), 2000ms);
  }

  void serve() {
    while (!stop_) {
      auto s = listener_.accept(100ms);
      if (s) answer(*s);
    }
  }

  av::platform::Listener listener_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

using MakeClient = av::Result<std::unique_ptr<av::net::HttpClient>> (*)(
    av::net::ClientOptions, const av::platform::Environment&);

// median_call times GetCallerIdentity against `url` (0 on any failure, reported on stderr).
double median_call(MakeClient make, const std::string& url, const av::aws::Credentials& user,
                   int runs) {
  auto http = make({}, av::platform::Environment{});
  av::aws::EndpointRequest request;
  request.region = "us-east-1";
  request.overrides.service_env = url;
  auto endpoint = av::aws::resolve_endpoint(request);
  if (!http || !endpoint) return 0;
  av::aws::QueryClient query(**http, av::platform::system_clock(), av::crypto::system_random());
  av::aws::StsClient sts(query, *endpoint);
  bool failed = false;
  const double ns = av::bench::median_ns(
      [&] {
        auto identity = sts.get_caller_identity(user);
        if (!identity && !failed) {
          std::fprintf(stderr, "bench_sts: %s\n", std::string(identity.error().message()).c_str());
        }
        failed |= !identity.has_value();
      },
      runs, 3);
  return failed ? 0 : ns;
}

av::aws::Credentials credentials(const std::string& id, const std::string& secret) {
  av::aws::Credentials c;
  c.access_key_id = id;
  c.secret_access_key = av::secure::SecretString::copy_of(secret);
  return c;
}

// QuietStderr sends this process's stderr (and so moto's request log) to /dev/null while alive.
class QuietStderr {
 public:
  QuietStderr() : saved_(::dup(2)) {
    const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0) {
      ::dup2(null, 2);
      ::close(null);
    }
  }
  ~QuietStderr() {
    if (saved_ >= 0) {
      ::dup2(saved_, 2);
      ::close(saved_);
    }
  }
  QuietStderr(const QuietStderr&) = delete;
  QuietStderr& operator=(const QuietStderr&) = delete;

 private:
  int saved_;
};

}  // namespace

int main() {
  std::unique_ptr<av::testing::MotoServer> started;
  {
    QuietStderr quiet;  // moto inherits the silenced stderr
    started = std::make_unique<av::testing::MotoServer>();
  }
  const av::testing::MotoServer& moto = *started;
  if (!moto.error().empty()) {
    std::fprintf(stderr, "bench_sts: %s\n", moto.error().c_str());
    return 1;
  }
  CannedSts canned;
  const auto user = credentials(moto.access_key_id(), moto.secret_access_key());
  const double canned_ns = median_call(&av::net::make_http_client, canned.url(), user, 201);
  const double moto_ns = median_call(&av::net::make_http_client, moto.url(), user, 31);
  if (canned_ns == 0 || moto_ns == 0) return 1;
  av::bench::report("sts: GetCallerIdentity, ours -> canned server", canned_ns, canned_ns);
  av::bench::report("sts: GetCallerIdentity, ours -> moto (vs canned)", moto_ns, canned_ns);
#ifdef AV_WITH_CURL
  const double curl_ns = median_call(&av::net::make_curl_http_client, canned.url(), user, 201);
  if (curl_ns == 0) return 1;
  av::bench::report("sts: GetCallerIdentity, curl -> canned (vs ours)", curl_ns, canned_ns);
#endif
  return 0;
}
