#include "base/error.h"

#include <utility>

namespace av {

std::string_view errc_name(Errc code) noexcept {
  switch (code) {
    case Errc::Usage: return "usage";
    case Errc::Config: return "config";
    case Errc::Parse: return "parse";
    case Errc::Truncated: return "truncated";
    case Errc::TooLarge: return "too-large";
    case Errc::Unsupported: return "unsupported";
    case Errc::Io: return "io";
    case Errc::NotFound: return "not-found";
    case Errc::PermissionDenied: return "permission-denied";
    case Errc::AuthFailed: return "auth-failed";
    case Errc::Crypto: return "crypto";
    case Errc::Keyring: return "keyring";
    case Errc::Network: return "network";
    case Errc::AwsApi: return "aws-api";
    case Errc::Cancelled: return "cancelled";
    case Errc::Internal: return "internal";
  }
  return "unknown";
}

Error Error::with_context(std::string_view what) && {
  std::string combined;
  combined.reserve(what.size() + 2 + message_.size());
  combined.append(what).append(": ").append(message_);
  message_ = std::move(combined);
  return std::move(*this);
}

Error Error::with_api_code(std::string code) && {
  api_code_ = std::move(code);
  return std::move(*this);
}

}  // namespace av
