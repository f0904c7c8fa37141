// error.h: the error value every fallible function returns (STYLE.md §3.4).
//
// Errc is a closed set chosen for the caller's decisions (exit code, message shape, retry), not one
// value per failure site; the message carries the detail. Messages start lowercase, have no final
// period, never contain secret bytes, and quote untrusted text with ascii::quote_for_terminal().
// Errors are rendered to text in one place only: cli/report.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace av {

enum class Errc : std::uint8_t {
  Usage,             // command line: unknown flag, missing argument (error shape 2)
  Config,            // configuration file or settings are wrong
  Parse,             // input is malformed
  Truncated,         // input ended early
  TooLarge,          // input exceeds a named limit (base/limits.h)
  Unsupported,       // valid but not something we implement or allow
  Io,                // reading or writing a file, socket or terminal failed
  NotFound,          // a named thing does not exist
  PermissionDenied,  // the OS refused
  AuthFailed,        // a MAC, tag, signature or password did not verify
  Crypto,            // a cryptographic primitive failed for another reason
  Keyring,           // the credential store failed
  Network,           // connecting or talking to a server failed
  AwsApi,            // AWS answered with an error (code in api_code())
  Cancelled,         // the user declined or interrupted
  Internal,          // a failure that is our fault but not worth aborting for
};

// errc_name returns a stable lowercase name for `code` ("parse", "too-large", ...), used by test
// vectors (`expect: parse`) and debug logs.
std::string_view errc_name(Errc code) noexcept;

// Error: a code plus a human-readable message, built up with context at module boundaries.
class [[nodiscard]] Error {
 public:
  // Error takes ownership of `message`: lowercase, no final period, no secrets.
  Error(Errc code, std::string message) : code_(code), message_(std::move(message)) {}

  Errc code() const noexcept { return code_; }
  std::string_view message() const noexcept { return message_; }

  // with_context prepends "what: " to the message, producing chains such as
  // "loading profile 'dev': parsing config: line 12: unterminated section header".
  Error with_context(std::string_view what) &&;

  // api_code is the AWS error code ("ExpiredToken") for Errc::AwsApi, empty otherwise.
  std::string_view api_code() const noexcept { return api_code_; }
  Error with_api_code(std::string code) &&;

 private:
  Errc code_;
  std::string message_;
  std::string api_code_;
};

}  // namespace av
