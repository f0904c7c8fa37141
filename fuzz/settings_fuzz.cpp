// Fuzz target: config::parse_settings (and through it the codec/toml wrapper and toml++) over
// arbitrary bytes. Invariants: it never crashes; on success every value names a schema key and
// has a line inside the input; on failure the message is non-empty; warnings name a line too.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "base/check.h"
#include "config/settings.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = av::as_chars({data, size});
  const av::config::SettingsChoices choices{{"keyctl", "pass", "file"}, {"terminal", "ykman"}};
  auto settings = av::config::parse_settings(text, "/f/config.toml", choices);
  if (!settings) {
    AV_CHECK(!settings.error().message().empty());
    return 0;
  }
  std::size_t lines = 1;
  for (const char c : text) lines += c == '\n' ? 1U : 0U;
  for (const av::config::Setting& s : settings->values) {
    AV_CHECK(av::config::find_setting_spec(s.table, s.name) != nullptr);
    AV_CHECK(s.line >= 1 && s.line <= lines);
  }
  for (const std::string& w : settings->warnings) AV_CHECK(w.rfind("/f/config.toml:", 0) == 0);
  return 0;
}
