// Fuzz target: platform::parse_key_description (KEYCTL_DESCRIBE output "type;uid;gid;perm;desc").
// Invariant: a parsed description is a suffix of the input, so nothing is invented or lost.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"
#include "platform/keyctl.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = av::as_chars(av::ByteSpan(data, size));
  auto parsed = av::platform::keyctl::parse_key_description(text);
  if (!parsed) return 0;
  AV_CHECK(parsed->description.size() <= text.size());
  AV_CHECK(text.substr(text.size() - parsed->description.size()) == parsed->description);
  return 0;
}
