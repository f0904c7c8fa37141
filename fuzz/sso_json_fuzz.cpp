// Fuzz target: the IAM Identity Center response parsers of aws/sso.h (RegisterClient,
// StartDeviceAuthorization, CreateToken, GetRoleCredentials) and the SSO error mapping over the
// same bytes. The JSON reader beneath is fuzzed on its own (json); this covers the member
// mapping, required-member and range checks and the error-type extraction. Invariants: parser
// errors are Parse, Truncated or TooLarge; successes carry their required members; the error
// mapping always gives Errc::AwsApi, with an api_code of identifier characters only.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "aws/sso.h"
#include "base/ascii.h"
#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"

namespace {

template <class T>
void check_parse(const av::Result<T>& result) {
  if (result) return;
  const av::Errc code = result.error().code();
  AV_CHECK(code == av::Errc::Parse || code == av::Errc::Truncated || code == av::Errc::TooLarge);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const av::ByteSpan json(data, size);
  auto client = av::aws::parse_register_client(json);
  check_parse(client);
  if (client) AV_CHECK(!client->client_id.empty() && !client->client_secret.empty());
  auto device = av::aws::parse_device_authorization(json);
  check_parse(device);
  if (device) AV_CHECK(!device->device_code.empty() && !device->verification_uri_complete.empty());
  auto token = av::aws::parse_create_token(json);
  check_parse(token);
  if (token) AV_CHECK(!token->access_token.empty() && token->expires_in.count() >= 0);
  auto creds = av::aws::parse_role_credentials(json);
  check_parse(creds);
  if (creds) AV_CHECK(creds->expiration.has_value() && creds->has_session_token());
  // The same bytes as an error body, and (up to a newline) as the x-amzn-ErrorType header.
  const std::string_view text = av::as_chars(json);
  const std::string_view header = text.substr(0, text.find('\n'));
  for (const std::string_view h : {std::string_view(), header}) {
    const av::Error error = av::aws::parse_sso_error(400, json, h, "req-1", "");
    AV_CHECK(error.code() == av::Errc::AwsApi);
    for (const char c : error.api_code()) {
      AV_CHECK(av::ascii::is_alnum(c) || c == '_' || c == '.');
    }
  }
  return 0;
}
