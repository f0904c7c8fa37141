// Fuzz target: every STS and IAM response mapping of aws/responses.h over the same bytes, plus
// the error-document parser. The XML reader beneath is fuzzed on its own (xml); this covers the
// field mapping, the required-field checks and the conversions (timestamps, booleans).
// Invariant: an error is always Errc::AwsApi from parse_aws_error, and never crashes elsewhere.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "aws/responses.h"
#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const av::ByteSpan xml(data, size);
  for (const std::string_view op :
       {"GetSessionToken", "AssumeRole", "AssumeRoleWithWebIdentity", "GetFederationToken"}) {
    (void)av::aws::parse_sts_credentials(op, xml);
  }
  (void)av::aws::parse_get_caller_identity(xml);
  (void)av::aws::parse_get_user(xml);
  (void)av::aws::parse_list_access_keys(xml);
  (void)av::aws::parse_create_access_key(xml);
  (void)av::aws::parse_delete_access_key(xml);
  const av::Error error = av::aws::parse_aws_error(400, xml, "req-1");
  AV_CHECK(error.code() == av::Errc::AwsApi);
  return 0;
}
