// retry.h: the AWS SDKs' "standard" retry mode as a pure policy (spec §4.7). The HTTP layer runs
// the attempts and sleeps; this file only classifies outcomes and computes delays.
//
// Standard mode (AWS SDKs and Tools reference guide, "Retry behavior"; aws-sdk-go-v2
// aws/retry/standard.go, which upstream aws-vault uses):
//   * at most 3 attempts;
//   * retry throttling error codes, transient error codes, HTTP 500/502/503/504 and connection
//     failures; never authentication or validation errors;
//   * back-off with full jitter: delay = r * 2^n seconds for the n-th failed attempt, r uniform in
//     [0, 1), capped at 20 s (aws-sdk-go-v2 aws/retry/jitter_backoff.go, DefaultMaxBackoff);
//   * a retry quota (token bucket of 500; a retry costs 5, a retry after a timeout 10; a success
//     returns the cost of the retry that led to it, a first-try success adds 1).
// Our addition: a total wall-clock budget for one operation, so retries never stretch a command
// beyond it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "base/error.h"
#include "crypto/random.h"

namespace av::aws {

// RetryClass: what an attempt's failure means for retrying.
enum class RetryClass : std::uint8_t {
  NotRetryable,  // success, or an error that a retry cannot fix (auth, validation, 4xx)
  Throttling,    // the service asked us to slow down
  Transient,     // 5xx, transient error code, connection failure
  Timeout,       // the attempt timed out (a transient failure with a higher quota cost)
};

// AttemptOutcome: what one attempt produced. `error_code` is the AWS error code from the response
// body ("Throttling"), empty when there is none; borrowed for the classify() call.
struct AttemptOutcome {
  enum class Kind : std::uint8_t { Response, ConnectionFailed, TimedOut };
  Kind kind = Kind::Response;
  int http_status = 0;
  std::string_view error_code;
};

// is_throttling_code: the standard mode's throttling error codes (aws-sdk-go-v2
// DefaultThrottleErrorCodes). Case-sensitive, as AWS codes are.
bool is_throttling_code(std::string_view code) noexcept;

// is_transient_code: RequestTimeout, RequestTimeoutException (the SDKs' defaults), InternalError,
// InternalFailure, ServiceUnavailable and STS's IDPCommunicationError (spec §4.7).
bool is_transient_code(std::string_view code) noexcept;

// is_never_retried_code: authentication, authorisation and validation codes (AccessDenied,
// ExpiredToken, SignatureDoesNotMatch, ValidationError, ...). These win over the HTTP status.
bool is_never_retried_code(std::string_view code) noexcept;

// classify decides the RetryClass of one outcome: connection failures and timeouts are retried;
// then the error code decides (never-retried, throttling, transient); then the status (429
// throttling; 500, 502, 503, 504 transient); everything else is NotRetryable.
RetryClass classify(const AttemptOutcome& outcome) noexcept;

// classify_error maps an av::Error from the HTTP/AWS layers: Errc::Network is a connection failure,
// Errc::AwsApi is classified by api_code(), anything else is NotRetryable.
RetryClass classify_error(const Error& error) noexcept;

// kDefaultRetryBudget: the wall-clock limit for one operation including back-off.
inline constexpr std::chrono::milliseconds kDefaultRetryBudget{std::chrono::seconds(60)};

// RetryPolicy: the standard mode's parameters (defaults as the SDKs).
struct RetryPolicy {
  int max_attempts = 3;
  std::chrono::milliseconds max_backoff{std::chrono::seconds(20)};
  std::chrono::milliseconds total_budget = kDefaultRetryBudget;
};

// backoff_delay computes min(unit_random * 2^attempt seconds, max_backoff) for the `attempt`-th
// failed attempt (1-based); `unit_random` is clamped into [0, 1]. Never fails.
std::chrono::milliseconds backoff_delay(int attempt, double unit_random,
                                        std::chrono::milliseconds max_backoff) noexcept;

// Retrier: the standard-mode state for a client (its retry quota) plus the decision per failure.
// Not thread-safe: one per client, or lock around it. Borrows `random` for its lifetime.
class Retrier {
 public:
  // kQuotaMax / kRetryCost / kTimeoutRetryCost / kNoRetryIncrement: the SDKs' quota constants.
  static constexpr unsigned kQuotaMax = 500;
  static constexpr unsigned kRetryCost = 5;
  static constexpr unsigned kTimeoutRetryCost = 10;
  static constexpr unsigned kNoRetryIncrement = 1;

  explicit Retrier(crypto::RandomSource& random, RetryPolicy policy = {}) noexcept;

  // after_failure returns the delay before the next attempt, or nullopt to give up: when `klass`
  // is NotRetryable, `attempt` (1-based number of the attempt that failed) reached
  // max_attempts, the quota is exhausted, or `elapsed` (since the operation began) plus the delay
  // would exceed total_budget. A failing random source gives the full, unjittered delay.
  std::optional<std::chrono::milliseconds> after_failure(int attempt, RetryClass klass,
                                                         std::chrono::milliseconds elapsed);

  // after_success refunds the quota: the last retry's cost when `attempt` > 1, else
  // kNoRetryIncrement (capped at kQuotaMax).
  void after_success(int attempt) noexcept;

  // quota: the tokens left (for tests).
  unsigned quota() const noexcept { return quota_; }

 private:
  double unit_random();

  crypto::RandomSource& random_;
  RetryPolicy policy_;
  unsigned quota_ = kQuotaMax;
  unsigned last_cost_ = 0;
};

}  // namespace av::aws
