// retry_test.cpp: standard-mode classification, back-off, quota and the total-time budget.
#include "aws/retry.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace av::aws {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// FakeRandom: every fill() writes `byte` everywhere (0x00 -> r = 0, 0xFF -> r just below 1), or
// fails when `fail` is set.
class FakeRandom final : public crypto::RandomSource {
 public:
  explicit FakeRandom(std::uint8_t byte, bool fail = false) : byte_(byte), fail_(fail) {}
  Status fill(MutableByteSpan out) override {
    ++calls;
    if (fail_) return Error(Errc::Crypto, "no randomness");
    for (auto& b : out) b = byte_;
    return ok();
  }
  int calls = 0;

 private:
  std::uint8_t byte_;
  bool fail_;
};

AttemptOutcome response(int status, std::string_view code = {}) {
  return {AttemptOutcome::Kind::Response, status, code};
}

}  // namespace

TEST_CASE("Retry: throttling codes of the standard mode are throttling", "[aws][vector]") {
  const std::vector<std::string> codes = {"Throttling",
                                          "ThrottlingException",
                                          "ThrottledException",
                                          "RequestThrottledException",
                                          "TooManyRequestsException",
                                          "ProvisionedThroughputExceededException",
                                          "TransactionInProgressException",
                                          "RequestLimitExceeded",
                                          "BandwidthLimitExceeded",
                                          "LimitExceededException",
                                          "RequestThrottled",
                                          "SlowDown",
                                          "PriorRequestNotComplete",
                                          "EC2ThrottledException"};
  for (const auto& code : codes) {
    CAPTURE(code);
    CHECK(is_throttling_code(code));
    CHECK(classify(response(400, code)) == RetryClass::Throttling);
  }
  CHECK_FALSE(is_throttling_code("throttling"));  // codes are case-sensitive
  CHECK_FALSE(is_throttling_code(""));
}

TEST_CASE("Retry: transient codes, 5xx, 429 and connection failures are retried", "[aws][vector]") {
  for (const char* code :
       {"RequestTimeout", "RequestTimeoutException", "InternalError", "IDPCommunicationError"}) {
    CAPTURE(code);
    CHECK(classify(response(400, code)) == RetryClass::Transient);
  }
  for (const int status : {500, 502, 503, 504}) {
    CAPTURE(status);
    CHECK(classify(response(status)) == RetryClass::Transient);
  }
  CHECK(classify(response(429)) == RetryClass::Throttling);
  CHECK(classify({AttemptOutcome::Kind::ConnectionFailed, 0, {}}) == RetryClass::Transient);
  CHECK(classify({AttemptOutcome::Kind::TimedOut, 0, {}}) == RetryClass::Timeout);
}

TEST_CASE("Retry: validation and authentication errors are never retried", "[aws][vector]") {
  for (const char* code : {"AccessDenied", "ExpiredToken", "InvalidClientTokenId",
                           "SignatureDoesNotMatch", "ValidationError", "MissingParameter"}) {
    CAPTURE(code);
    CHECK(classify(response(403, code)) == RetryClass::NotRetryable);
    CHECK(classify(response(503, code)) == RetryClass::NotRetryable);  // the code wins
  }
  for (const int status : {200, 301, 400, 401, 403, 404, 501, 505}) {
    CAPTURE(status);
    CHECK(classify(response(status)) == RetryClass::NotRetryable);
  }
  CHECK(classify(response(400, "SomethingElse")) == RetryClass::NotRetryable);
}

TEST_CASE("Retry: av::Error values classify by Errc and API code", "[aws][vector]") {
  CHECK(classify_error(Error(Errc::Network, "connection refused")) == RetryClass::Transient);
  CHECK(classify_error(
            Error(Errc::AwsApi, "Throttling: Rate exceeded").with_api_code("Throttling")) ==
        RetryClass::Throttling);
  CHECK(classify_error(Error(Errc::AwsApi, "x").with_api_code("AccessDenied")) ==
        RetryClass::NotRetryable);
  CHECK(classify_error(Error(Errc::Parse, "bad xml")) == RetryClass::NotRetryable);
  CHECK(classify_error(Error(Errc::Cancelled, "interrupted")) == RetryClass::NotRetryable);
  // A refused certificate (net/tls: Errc::AuthFailed) is not retried: the next try is refused too.
  CHECK(classify_error(Error(Errc::AuthFailed, "tls handshake with sts.amazonaws.com: x509: "
                                               "certificate signed by unknown authority")) ==
        RetryClass::NotRetryable);
}

TEST_CASE("Retry: back-off is r * 2^n seconds capped at 20 s", "[aws][vector]") {
  CHECK(backoff_delay(1, 0.0, seconds(20)) == milliseconds(0));
  CHECK(backoff_delay(1, 0.5, seconds(20)) == milliseconds(1000));
  CHECK(backoff_delay(2, 0.5, seconds(20)) == milliseconds(2000));
  CHECK(backoff_delay(3, 0.999, seconds(20)) == milliseconds(7992));
  CHECK(backoff_delay(5, 0.999, seconds(20)) == milliseconds(20000));
  CHECK(backoff_delay(64, 0.5, seconds(20)) == milliseconds(20000));
  CHECK(backoff_delay(1, 7.0, seconds(20)) == milliseconds(2000));  // clamped to 1
  CHECK(backoff_delay(1, -1.0, seconds(20)) == milliseconds(0));    // clamped to 0
}

TEST_CASE("Retry: at most three attempts with jittered delays", "[aws][vector]") {
  FakeRandom random(0x80);  // r = 0x8080...p-64 = 0.50196...
  Retrier retrier(random);
  const auto first = retrier.after_failure(1, RetryClass::Throttling, milliseconds(0));
  REQUIRE(first.has_value());
  CHECK(*first == milliseconds(1003));  // floor(0.50196 * 2000)
  const auto second = retrier.after_failure(2, RetryClass::Transient, milliseconds(1500));
  REQUIRE(second.has_value());
  CHECK(*second == milliseconds(2007));  // floor(0.50196 * 4000)
  CHECK_FALSE(retrier.after_failure(3, RetryClass::Transient, milliseconds(4000)).has_value());
  CHECK(random.calls == 2);
}

TEST_CASE("Retry: non-retryable failures stop at once", "[aws][vector]") {
  FakeRandom random(0x00);
  Retrier retrier(random);
  CHECK_FALSE(retrier.after_failure(1, RetryClass::NotRetryable, milliseconds(0)).has_value());
  CHECK(retrier.quota() == Retrier::kQuotaMax);
  CHECK(random.calls == 0);
}

TEST_CASE("Retry: the total-time budget bounds the last retry", "[aws][vector]") {
  FakeRandom random(0xFF);  // r just below 1: delay just below 2^n s
  RetryPolicy policy;
  policy.total_budget = seconds(5);
  Retrier retrier(random, policy);
  CHECK(retrier.after_failure(1, RetryClass::Transient, milliseconds(3000)).has_value());
  CHECK_FALSE(retrier.after_failure(2, RetryClass::Transient, milliseconds(4500)).has_value());
  CHECK(kDefaultRetryBudget == seconds(60));
}

TEST_CASE("Retry: a failing random source gives the full delay", "[aws][error]") {
  FakeRandom random(0x00, true);
  Retrier retrier(random);
  const auto delay = retrier.after_failure(2, RetryClass::Transient, milliseconds(0));
  REQUIRE(delay.has_value());
  CHECK(*delay == milliseconds(4000));
}

TEST_CASE("Retry: the quota drains on retries and refills on success", "[aws][vector]") {
  FakeRandom random(0x00);
  RetryPolicy policy;
  policy.max_attempts = 1000;
  Retrier retrier(random, policy);
  int retries = 0;
  while (retrier.after_failure(1, RetryClass::Transient, milliseconds(0)).has_value()) ++retries;
  CHECK(retries == 100);  // 500 tokens / 5
  CHECK(retrier.quota() == 0);
  retrier.after_success(1);
  CHECK(retrier.quota() == 1);
  Retrier timeouts(random, policy);
  REQUIRE(timeouts.after_failure(1, RetryClass::Timeout, milliseconds(0)).has_value());
  CHECK(timeouts.quota() == Retrier::kQuotaMax - Retrier::kTimeoutRetryCost);
  timeouts.after_success(2);  // the retry succeeded: its cost comes back
  CHECK(timeouts.quota() == Retrier::kQuotaMax);
  timeouts.after_success(1);
  CHECK(timeouts.quota() == Retrier::kQuotaMax);  // capped
}

}  // namespace av::aws
