// bench_sigv4: issue 5 "make bench", signatures per second. Signs the request every STS call
// makes (a form-encoded POST to "/" with a session token) with one Signer, whose derived signing
// key is cached after the first call (what a command does), and with a fresh Signer per call, which
// forces the four-HMAC key derivation each time. Baseline: the cached signer, so the ratio is the
// cost of re-deriving.
#include <chrono>
#include <cstdio>
#include <string>

#include "aws/sigv4.h"
#include "bench.h"

namespace {

using av::aws::Credentials;
using av::aws::Signer;
using av::aws::SigningRequest;

constexpr std::string_view kBody =
    "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2F"
    "admin&RoleSessionName=1700000000000000000&DurationSeconds=3600";

Credentials bench_credentials() {
  Credentials c;
  c.access_key_id = "AKIDEXAMPLE";
  c.secret_access_key =
      av::secure::SecretString::copy_of("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  c.session_token = av::secure::SecretString::copy_of(std::string(400, 't'));
  return c;
}

SigningRequest sts_request() {
  SigningRequest r;
  r.method = "POST";
  r.host = "sts.eu-west-1.amazonaws.com";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  r.body = av::as_bytes(kBody);
  r.service = "sts";
  r.region = "eu-west-1";
  r.time = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
  return r;
}

std::string per_second(double ns) {
  return std::to_string(static_cast<long long>(ns > 0 ? 1e9 / ns : 0)) + "/s";
}

}  // namespace

int main() {
  const Credentials credentials = bench_credentials();
  const SigningRequest request = sts_request();
  Signer cached;
  bool failed = false;
  const double cached_ns = av::bench::median_ns(
      [&] { failed |= !cached.sign(request, credentials).has_value(); }, 5001, 50);
  const double derive_ns = av::bench::median_ns(
      [&] {
        Signer fresh;
        failed |= !fresh.sign(request, credentials).has_value();
      },
      5001, 50);
  if (failed || cached.derivation_count() != 1) {
    std::fprintf(stderr, "bench_sigv4: signing failed or the key cache did not hold\n");
    return 1;
  }
  av::bench::report("sigv4: sign STS POST, cached key (" + per_second(cached_ns) + ")", cached_ns,
                    cached_ns);
  av::bench::report("sigv4: sign, key re-derived (" + per_second(derive_ns) + ")", derive_ns,
                    cached_ns);
  return 0;
}
