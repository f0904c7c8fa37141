// query.h: calling an AWS Query-protocol API (STS, IAM): a form-encoded POST to "/", signed with
// SigV4 (or unsigned), retried in the SDKs' standard mode, the error document turned into an
// Errc::AwsApi error (spec §1.2, §4.3, §4.7).
//
// Secret parameters (MFA codes, web identity tokens) are encoded straight into the request body,
// which lives in locked memory; the 2xx body comes back in locked memory too.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "aws/retry.h"
#include "aws/sigv4.h"
#include "base/result.h"
#include "crypto/random.h"
#include "net/http_client.h"
#include "platform/clock.h"
#include "secure/secret.h"

namespace av::aws {

// SecretParam: a request parameter whose value is a secret.
struct SecretParam {
  std::string name;
  secure::SecretString value;
};

// QueryRequest: one operation. Parameters are sent in the order given, after Action and Version.
struct QueryRequest {
  std::string_view service_name;  // "STS", "IAM": used in error messages
  std::string_view action;        // "AssumeRole"
  std::string_view version;       // "2011-06-15"
  std::vector<QueryParam> params;
  std::vector<SecretParam> secret_params;
};

// encode_query_body renders Action, Version and the parameters as
// application/x-www-form-urlencoded (RFC 3986 unreserved characters kept, space as '+',
// everything else %XX),
// in locked memory. Errc::TooLarge beyond limits::kMaxHttpBodyBytes.
[[nodiscard]] Result<secure::SecretBytes> encode_query_body(const QueryRequest& request);

// Sleeper waits between attempts; tests substitute a recorder.
using Sleeper = std::function<void(std::chrono::milliseconds)>;

// QueryClient sends Query-protocol requests through an HttpClient. It owns the signing-key cache
// and the retry quota, so one client should serve a whole command. Not thread-safe. Borrows
// `http`, `clock` and `random` for its lifetime.
class QueryClient {
 public:
  QueryClient(net::HttpClient& http, const platform::Clock& clock, crypto::RandomSource& random,
              Sleeper sleep = {}, RetryPolicy policy = {});

  // call sends `request` to `endpoint` (its URL plus "/"), signed for endpoint.signing_region /
  // signing_name with `credentials`, or unsigned when `credentials` is nullptr. Retries
  // throttling, 5xx and connection failures (standard mode); returns the 2xx body. Errors:
  // Errc::AwsApi "operation error <Service>: <Action>, https response error StatusCode: ...,
  // RequestID: ..., api error <Code>: <Message>" (api_code() set), the transport's errors with the
  // same "operation error" prefix, Errc::Config from the signer or an unparseable endpoint URL.
  [[nodiscard]] Result<secure::SecretBytes> call(const Endpoint& endpoint,
                                                 const QueryRequest& request,
                                                 const Credentials* credentials);

  // attempts_made: attempts sent by the last call() (for tests and debug lines).
  int attempts_made() const noexcept { return attempts_; }

 private:
  Result<net::Response> attempt(const net::Url& url, const Endpoint& endpoint,
                                const secure::SecretBytes& body, const Credentials* credentials);

  net::HttpClient& http_;
  const platform::Clock& clock_;
  Signer signer_;
  Retrier retrier_;
  Sleeper sleep_;
  int attempts_ = 0;
};

}  // namespace av::aws
