// Fuzz target: SigV4 canonicalisation over arbitrary bytes. The first line is a request path, the
// others "name:value" headers. Invariants: path normalisation is idempotent and yields an absolute
// path; a canonical header block has exactly one line per signed header (no injected lines).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "aws/sigv4.h"
#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = av::as_chars({data, size});
  const std::size_t newline = std::min(input.find('\n'), input.size());
  const std::string_view path = input.substr(0, newline);
  if (auto uri = av::aws::canonical_uri(path, true); uri && !path.empty()) {
    const std::string once = av::aws::normalize_uri_path(path);
    AV_CHECK(!once.empty() && once.front() == '/');
    AV_CHECK(av::aws::normalize_uri_path(once) == once);
  }
  std::vector<av::aws::SigningHeader> headers;
  input.remove_prefix(std::min(newline + 1, input.size()));
  while (!input.empty() && headers.size() < 64) {
    const std::size_t end = std::min(input.find('\n'), input.size());
    const std::string_view line = input.substr(0, end);
    const std::size_t colon = std::min(line.find(':'), line.size());
    headers.push_back({std::string(line.substr(0, colon)),
                       std::string(line.substr(std::min(colon + 1, line.size())))});
    input.remove_prefix(std::min(end + 1, input.size()));
  }
  if (auto canonical = av::aws::canonical_headers(headers)) {
    std::size_t lines = 0;
    for (const char c : canonical->block) lines += c == '\n' ? 1U : 0U;
    std::size_t names = canonical->signed_names.empty() ? 0U : 1U;
    for (const char c : canonical->signed_names) names += c == ';' ? 1U : 0U;
    AV_CHECK(lines == names);
  }
  return 0;
}
