// Fuzz target: the file backend's key <-> file-name mapping over arbitrary bytes. Invariants:
// escaping a decoded name gives the name back (decode_file_name accepts only canonical names),
// escaped names never contain '/', and escape then unescape is the identity on valid UTF-8 keys.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"
#include "keyring/backends/file/file_name.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = av::as_chars({data, size});
  const std::string name = av::keyring::file::escape_file_name(input);
  AV_CHECK(name.find('/') == std::string::npos);
  const std::string back = av::keyring::file::unescape_file_name(name);
  // Lossy only for invalid UTF-8, which becomes U+FFFD; then the result escapes to the same name.
  AV_CHECK(av::keyring::file::escape_file_name(back) == name);
  if (auto key = av::keyring::file::decode_file_name(input)) {
    AV_CHECK(av::keyring::file::escape_file_name(*key) == input);
  }
  (void)av::keyring::file::unescape_file_name(input);
  return 0;
}
