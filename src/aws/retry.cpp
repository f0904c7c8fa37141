// retry.cpp: standard-mode retry classification, back-off and quota (see retry.h for sources).
#include "aws/retry.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace av::aws {
namespace {

// aws-sdk-go-v2 aws/retry/standard.go DefaultThrottleErrorCodes.
constexpr std::array<std::string_view, 14> kThrottlingCodes = {
    "Throttling",
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
    "EC2ThrottledException",
};

// DefaultRetryableErrorCodes, plus server-side failures some services report with a 4xx-less
// body, and STS's IDPCommunicationError (its API reference calls it retryable; spec §4.7).
constexpr std::array<std::string_view, 6> kTransientCodes = {
    "RequestTimeout",  "RequestTimeoutException", "InternalError",
    "InternalFailure", "ServiceUnavailable",      "IDPCommunicationError",
};

// Errors a retry cannot fix: credentials, signatures, permissions and malformed requests.
constexpr std::array<std::string_view, 24> kNeverRetriedCodes = {
    "AccessDenied",
    "AccessDeniedException",
    "AuthFailure",
    "ExpiredToken",
    "ExpiredTokenException",
    "IncompleteSignature",
    "InvalidAction",
    "InvalidClientTokenId",
    "InvalidIdentityToken",
    "InvalidParameterCombination",
    "InvalidParameterValue",
    "InvalidRequestException",
    "MalformedPolicyDocument",
    "MissingAuthenticationToken",
    "MissingParameter",
    "OptInRequired",
    "PackedPolicyTooLarge",
    "RegionDisabledException",
    "SignatureDoesNotMatch",
    "UnauthorizedException",
    "UnrecognizedClientException",
    "ValidationError",
    "ValidationException",
    "IDPRejectedClaim",
};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view code) {
  return !code.empty() && std::find(list.begin(), list.end(), code) != list.end();
}

}  // namespace

bool is_throttling_code(std::string_view code) noexcept { return contains(kThrottlingCodes, code); }

bool is_transient_code(std::string_view code) noexcept { return contains(kTransientCodes, code); }

bool is_never_retried_code(std::string_view code) noexcept {
  return contains(kNeverRetriedCodes, code);
}

RetryClass classify(const AttemptOutcome& outcome) noexcept {
  if (outcome.kind == AttemptOutcome::Kind::ConnectionFailed) return RetryClass::Transient;
  if (outcome.kind == AttemptOutcome::Kind::TimedOut) return RetryClass::Timeout;
  if (is_never_retried_code(outcome.error_code)) return RetryClass::NotRetryable;
  if (is_throttling_code(outcome.error_code)) return RetryClass::Throttling;
  if (is_transient_code(outcome.error_code)) return RetryClass::Transient;
  switch (outcome.http_status) {
    case 429:
      return RetryClass::Throttling;
    case 500:
    case 502:
    case 503:
    case 504:
      return RetryClass::Transient;
    default:
      return RetryClass::NotRetryable;
  }
}

RetryClass classify_error(const Error& error) noexcept {
  switch (error.code()) {
    case Errc::Network:
      return classify({AttemptOutcome::Kind::ConnectionFailed, 0, {}});
    case Errc::AwsApi:
      return classify({AttemptOutcome::Kind::Response, 0, error.api_code()});
    default:
      return RetryClass::NotRetryable;
  }
}

std::chrono::milliseconds backoff_delay(int attempt, double unit_random,
                                        std::chrono::milliseconds max_backoff) noexcept {
  const double unit = std::clamp(unit_random, 0.0, 1.0);
  // Past 2^30 s the cap has long applied; clamping the exponent keeps the shift defined.
  const int exponent = std::clamp(attempt, 0, 30);
  const double ceiling_ms = 1000.0 * static_cast<double>(std::uint64_t{1} << exponent);
  const double max_ms = static_cast<double>(max_backoff.count());
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::min(unit * ceiling_ms, max_ms)));
}

Retrier::Retrier(crypto::RandomSource& random, RetryPolicy policy) noexcept
    : random_(random), policy_(policy) {}

double Retrier::unit_random() {
  std::array<std::uint8_t, 8> bytes{};
  if (!random_.fill(bytes)) return 1.0;  // no randomness: the full delay is the safe side
  std::uint64_t value = 0;
  for (const auto byte : bytes) value = (value << 8U) | byte;
  // 53 random bits give a double uniform in [0, 1).
  return static_cast<double>(value >> 11U) * 0x1.0p-53;
}

std::optional<std::chrono::milliseconds> Retrier::after_failure(int attempt, RetryClass klass,
                                                                std::chrono::milliseconds elapsed) {
  if (klass == RetryClass::NotRetryable || attempt >= policy_.max_attempts) return std::nullopt;
  const unsigned cost = klass == RetryClass::Timeout ? kTimeoutRetryCost : kRetryCost;
  if (quota_ < cost) return std::nullopt;
  const auto delay = backoff_delay(attempt, unit_random(), policy_.max_backoff);
  if (elapsed + delay > policy_.total_budget) return std::nullopt;
  quota_ -= cost;
  last_cost_ = cost;
  return delay;
}

void Retrier::after_success(int attempt) noexcept {
  const unsigned refund = attempt > 1 ? last_cost_ : kNoRetryIncrement;
  quota_ = std::min(kQuotaMax, quota_ + refund);
  last_cost_ = 0;
}

}  // namespace av::aws
