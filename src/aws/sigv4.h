// sigv4.h: AWS Signature Version 4 (header signing) over a transport-neutral request description.
//
// The signer builds the canonical request (method, canonical URI, canonical query string,
// canonical headers, signed headers, payload hash), the string to sign and the Authorization
// header, exactly as the AWS SigV4 test suite (tests/vectors/sigv4/) specifies. STS and IAM use it
// for their form-encoded Query-protocol POSTs, and JSON APIs use it the same way.
//
// Secrets: the secret access key is read through reveal() only to seed the key derivation; kSecret
// and every derived key (kDate -> kRegion -> kService -> kSigning) live in SecretBytes/SecretArray
// and are wiped. The final signature is a MAC that is sent anyway, so it is plain text. The session
// token is copied into the result as a SecretString (it is a bearer credential).
//
// Paths: `SigningRequest::path` is the path exactly as it goes on the wire (the caller has already
// percent-encoded it per RFC 3986). The canonical URI is that path, normalised (non-S3 services:
// RFC 3986 §5.2.4 dot segments removed, empty segments dropped) and then SigV4-encoded once more,
// which is the "double encoding" every service except S3 expects. STS and IAM always POST to "/".
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"
#include "base/bytes.h"
#include "base/result.h"
#include "net/http_message.h"
#include "secure/secret.h"

namespace av::aws {

// SigningHeader: a header to be signed and sent (name in any case; value untrimmed is fine).
struct SigningHeader {
  std::string name;
  std::string value;
};

// QueryParam: one query-string parameter, decoded (the signer encodes it).
struct QueryParam {
  std::string name;
  std::string value;
};

// SigningRequest: what the signer needs to know about a request. Borrowed for the sign() call.
struct SigningRequest {
  std::string method = "POST";
  std::string host;        // the Host header value (with ":port" when not the default)
  std::string path = "/";  // wire path, already RFC 3986 encoded (see file comment)
  std::vector<QueryParam> query;
  // Every header listed here is signed. Host, X-Amz-Date, X-Amz-Security-Token,
  // X-Amz-Content-Sha256 and Authorization are the signer's and must not appear.
  std::vector<SigningHeader> headers;
  ByteSpan body;                            // hashed with SHA-256 unless payload_hash is set
  std::optional<std::string> payload_hash;  // precomputed lower-case hex, or "UNSIGNED-PAYLOAD"
  std::string service;                      // signing name: "sts", "iam", ...
  std::string region;                       // signing region: "us-east-1", ...
  std::chrono::system_clock::time_point time;
};

// TokenPlacement: whether the session token is part of the signature.
enum class TokenPlacement : std::uint8_t {
  Signed,                // X-Amz-Security-Token is a signed header (every current service)
  AppendedAfterSigning,  // sent but not signed (old STS-style services; SigV4 suite case)
};

// SigningOptions: per-service variations of the algorithm.
struct SigningOptions {
  bool normalize_path = true;          // false only for S3
  bool content_sha256_header = false;  // add and sign X-Amz-Content-Sha256 (S3); STS/IAM: no
  TokenPlacement token = TokenPlacement::Signed;
};

// SignedRequest: the headers to add to the request, plus the intermediate texts for tests and
// debug logs (only the canonical request and the token hold a secret).
struct SignedRequest {
  std::string amz_date;                 // X-Amz-Date value, "20150830T123600Z"
  std::string authorization;            // Authorization value
  std::string content_sha256;           // X-Amz-Content-Sha256 value; empty unless requested
  secure::SecretString security_token;  // X-Amz-Security-Token value; empty for long-term keys
  // The canonical request contains the session token when it is signed, so it is locked memory.
  secure::SecretString canonical_request;
  std::string string_to_sign;
  std::string signed_headers;  // "host;x-amz-date"
};

// format_amz_date renders `time` (UTC, whole seconds) as the ISO 8601 basic form SigV4 uses,
// "YYYYMMDDTHHMMSSZ". Never fails for years 0-9999; other years abort (not reachable from a
// clock).
std::string format_amz_date(std::chrono::system_clock::time_point time);

// normalize_uri_path removes "." and ".." segments and empty segments from an absolute path
// ("//example//" -> "/example/", "/example/.." -> "/"). A trailing slash is kept when the input
// names a directory. `path` must start with '/'.
std::string normalize_uri_path(std::string_view path);

// canonical_uri returns the SigV4 canonical URI of the wire path `path`: "/" when empty,
// otherwise (normalised when `normalize`) SigV4-encoded with '/' kept. Errc::Parse when the path
// does not start with '/' or holds a control character, '?' or '#'.
[[nodiscard]] Result<std::string> canonical_uri(std::string_view path, bool normalize);

// canonical_query_string encodes every name and value with the SigV4 rule, sorts the pairs by
// encoded name then encoded value (byte order), and joins them as "a=b&c=d". Never fails.
std::string canonical_query_string(std::span<const QueryParam> query);

// CanonicalHeaders: the canonical headers block (each "name:value\n") and the signed header list.
struct CanonicalHeaders {
  std::string block;
  std::string signed_names;
};

// canonical_headers lowercases names, trims values and collapses runs of spaces and tabs to one
// space, joins repeated headers' values with ',' in the order given, and sorts by name.
// Errc::Parse when a name is not an RFC 9110 token or a value holds CR, LF, NUL or another control
// character (tab excepted).
[[nodiscard]] Result<CanonicalHeaders> canonical_headers(std::span<const SigningHeader> headers);

// Signer: signs requests, caching the derived signing key for the last (date, region, service,
// access key, secret) it saw, in locked memory. Thread-safe (an internal mutex guards the cache).
class Signer {
 public:
  Signer() = default;
  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;

  // sign computes the signature of `request` with `credentials`. Errc::Config when the access key
  // id, secret key, region or service is missing or malformed; Errc::Parse from canonical_uri /
  // canonical_headers; Errc::Internal when `request.headers` names a header the signer owns or the
  // method is not a token.
  // Borrows its arguments for the call only.
  [[nodiscard]] Result<SignedRequest> sign(const SigningRequest& request,
                                           const Credentials& credentials,
                                           const SigningOptions& options = {});

  // derivation_count: how many signing keys were derived so far (the cache is observable in tests).
  std::size_t derivation_count() const;

 private:
  struct KeyScope {
    std::string date;  // YYYYMMDD
    std::string region;
    std::string service;
  };
  struct CachedKey {
    KeyScope scope;
    std::string access_key_id;
    secure::SecretString secret;  // compared in constant time to detect a changed secret
    secure::SecretBytes key;      // kSigning
  };
  // signature_hex returns hex(HMAC(kSigning, string_to_sign)), deriving kSigning if needed.
  std::string signature_hex(const KeyScope& scope, const Credentials& credentials,
                            std::string_view string_to_sign);

  mutable std::mutex mutex_;
  std::optional<CachedKey> cache_;
  std::size_t derivations_ = 0;
};

// attach_signature adds X-Amz-Date, Authorization and (when set) X-Amz-Content-Sha256 to
// `request.headers`, and X-Amz-Security-Token to `request.secret_headers`. Consumes
// `signed_request` so the token moves instead of being copied.
void attach_signature(SignedRequest&& signed_request, net::Request& request);

}  // namespace av::aws
