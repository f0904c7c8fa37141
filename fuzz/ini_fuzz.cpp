// Fuzz target: config::parse_ini over arbitrary bytes, then the lossless append. Invariants: parsing
// never crashes; an accepted file plus an appended section parses again, keeps the original bytes
// as its prefix, reads every old section exactly as before, and holds the new section last.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/check.h"
#include "config/ini.h"
#include "config/ini_writer.h"
#include "fuzz_target.h"

namespace {

bool same_section(const av::config::IniSectionView& a, const av::config::IniSectionView& b) {
  if (a.name() != b.name() || a.num_keys() != b.num_keys()) return false;
  for (std::size_t i = 0; i < a.num_keys(); ++i) {
    const auto& ka = a.key(i);
    const auto& kb = b.key(i);
    if (ka.name != kb.name || ka.value != kb.value || ka.nested != kb.nested) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = av::as_chars({data, size});
  const auto doc = av::config::parse_ini(text);
  if (!doc) {
    AV_CHECK(!doc.error().message().empty());
    return 0;
  }
  const std::vector<av::config::IniEntry> entries = {{"mfa_serial", "arn:aws:iam::1:mfa/f"},
                                                     {"region", " a #b\\"}};
  const auto out = av::config::append_section(text, *doc, "profile fuzz\x01new", entries);
  if (!out) return 0;  // the section exists already, or a limit would be passed
  AV_CHECK(out->compare(0, text.size(), text) == 0);
  const auto again = av::config::parse_ini(*out);
  AV_CHECK(again.has_value());
  AV_CHECK(again->num_sections() == doc->num_sections() + 1);
  for (std::size_t i = 0; i < doc->num_sections(); ++i) {
    AV_CHECK(same_section(doc->section(i), again->section(i)));
  }
  const auto added = again->section(doc->num_sections());
  AV_CHECK(added.name() == "profile fuzz\x01new");
  AV_CHECK(added.value("region") == " a #b\\");
  return 0;
}
