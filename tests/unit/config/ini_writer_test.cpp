// Tests for config/ini_writer.h: upstream's byte-exact `add` test (spec §12 item 19), line-break
// and empty-file handling, value encoding, one test per refusal, and the round trip over every
// fixture: the original bytes stay, the old sections read the same, the new section is there.
#include "config/ini_writer.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "base/limits.h"
#include "ini_fixtures.h"

namespace av::config {
namespace {

using test::dump;
using test::fixture_names;
using test::read_ini_vector;

std::string append(std::string_view original, std::string_view name, const std::vector<IniEntry>& entries) {
  const auto doc = parse_ini(original);
  REQUIRE(doc);
  auto out = append_section(original, *doc, name, entries);
  if (!out) FAIL(out.error().message());
  return std::move(out).value();
}

Error append_error(std::string_view original, std::string_view name, const std::vector<IniEntry>& entries) {
  const auto doc = parse_ini(original);
  REQUIRE(doc);
  auto out = append_section(original, *doc, name, entries);
  REQUIRE_FALSE(out);
  return std::move(out).error();
}

const std::vector<IniEntry> kLlamas = {{"mfa_serial", "testserial"}, {"region", "us-east-1"}};

}  // namespace

TEST_CASE("ini_writer: add to the nested-values config gives upstream's exact bytes (item 19)",
          "[config][vector]") {
  const std::string original = read_ini_vector("upstream_nested.ini");
  CHECK(append(original, "profile llamas", kLlamas) ==
        original + "\n[profile llamas]\nmfa_serial=testserial\nregion=us-east-1\n");
}

TEST_CASE("ini_writer: an added section comes last in the enumeration (item 18)", "[config][vector]") {
  const std::string out = append(read_ini_vector("upstream_example.ini"), "profile llamas", kLlamas);
  const auto doc = parse_ini(out);
  REQUIRE(doc);
  const IniSectionView last = doc->section(doc->num_sections() - 1);
  CHECK(last.name() == "profile llamas");
  CHECK(last.value("mfa_serial") == "testserial");
}

TEST_CASE("ini_writer: line breaks and empty files", "[config][vector]") {
  CHECK(append("", "profile x", {{"mfa_serial", "arn"}}) == "[profile x]\nmfa_serial=arn\n");
  CHECK(append("\xEF\xBB\xBF", "profile x", {}) == "\xEF\xBB\xBF[profile x]\n");
  CHECK(append("[a]\nk=v", "profile x", {}) == "[a]\nk=v\n\n[profile x]\n");
  CHECK(append("[a]\r\nk=v\r\n", "b", {{"k", "v"}}) == "[a]\r\nk=v\r\n\r\n[b]\r\nk=v\r\n");
  CHECK(append("[a]\r\nk=v", "b", {}) == "[a]\r\nk=v\r\n\r\n[b]\r\n");
  CHECK(append("# only a comment", "b", {}) == "# only a comment\n\n[b]\n");
}

TEST_CASE("ini_writer: the blank line ends a trailing continuation or nested value", "[config][vector]") {
  for (const std::string_view original : {"[a]\nk = v\\", "[a]\nk = v\\\n", "[a]\ns3 =\n  x = 1", "[a]\nk ="}) {
    CAPTURE(original);
    const std::string out = append(original, "b", {{"k", "w"}});
    const auto before = parse_ini(original);
    const auto after = parse_ini(out);
    REQUIRE(after);
    CHECK(after->find_section("a")->value("k") == before->find_section("a")->value("k"));
    CHECK(after->find_section("b")->value("k") == "w");
  }
}

TEST_CASE("ini_writer: values are quoted only when needed", "[config][vector]") {
  const struct {
    const char* value;
    const char* written;
  } kCases[] = {
      {"arn:aws:iam::111111111111:mfa/me", "arn:aws:iam::111111111111:mfa/me"},
      {"https://x.awsapps.com/start#/", "https://x.awsapps.com/start#/"},
      {"a=b;c", "a=b;c"},
      {"", ""},
      {"tab\tinside", "tab\tinside"},
      {"\xff\xfe", "\xff\xfe"},
      {" padded ", "\" padded \""},
      {"a #b", "`a #b`"},
      {"a ;b", "`a ;b`"},
      {"\"q\"", "`\"q\"`"},
      {"'q'", "\"'q'\""},
      {"ends\\", "\"ends\\\""},
      {"`tick", "\"`tick\""},
      {"\"\"\"x", "`\"\"\"x`"},
      {"say \"a #b\"", "`say \"a #b\"`"},
      {"`a #b`", "``a #b``"},
      {"` #\"", "`` #\"`"},
      {"\"\"\"", "`\"\"\"`"},
  };
  for (const auto& c : kCases) {
    CAPTURE(c.value);
    const auto written = encode_ini_value(c.value);
    REQUIRE(written);
    CHECK(*written == c.written);
    const auto doc = parse_ini(std::string("[s]\nk=") + *written + "\n");
    REQUIRE(doc);
    CHECK(doc->find_section("s")->value("k") == c.value);
  }
}

TEST_CASE("ini_writer error: values with line breaks or NUL are refused", "[config][error]") {
  for (const std::string& value : {std::string("a\nb"), std::string("a\rb"), std::string("a\0b", 3)}) {
    const auto written = encode_ini_value(value);
    REQUIRE_FALSE(written);
    CHECK(written.error().code() == Errc::Config);
  }
  CHECK(append_error("", "s", {{"k", "x\ny"}}).code() == Errc::Config);
}

TEST_CASE("ini_writer error: an existing section is not appended again", "[config][error]") {
  const Error e = append_error("[profile x]\n", "profile x", {});
  CHECK(e.code() == Errc::Config);
  CHECK(e.message() == "section already exists: \"profile x\"");
  CHECK(append_error("", "DEFAULT", {}).code() == Errc::Config);
}

TEST_CASE("ini_writer error: section names that cannot be read back", "[config][error]") {
  CHECK(append_error("", "", {}).message() == "empty section name");
  CHECK(append_error("", "a\nb", {}).code() == Errc::Config);
  CHECK(append_error("", std::string("a\0b", 3), {}).code() == Errc::Config);
  CHECK(append_error("", std::string(limits::kMaxLineBytes, 'x'), {}).code() == Errc::Config);
}

TEST_CASE("ini_writer error: keys that cannot be read back", "[config][error]") {
  for (const std::string_view key : {"", "Region", " region", "region ", "a=b", "a:b", "#k", ";k", "[k", "a\nb"}) {
    CAPTURE(key);
    const Error e = append_error("", "s", {{std::string(key), "v"}});
    CHECK(e.code() == Errc::Config);
  }
  CHECK(append_error("", "s", {{"k", "1"}, {"k", "2"}}).message() == "key given twice: \"k\"");
}

TEST_CASE("ini_writer roundtrip: every fixture keeps its bytes and sections plus the new one",
          "[config][roundtrip]") {
  const std::vector<IniEntry> entries = {
      {"mfa_serial", "arn:aws:iam::1:mfa/x"}, {"region", " needs quotes # "}, {"empty", ""}};
  for (const std::string& name : fixture_names()) {
    const std::string original = read_ini_vector(name + ".ini");
    const auto before = parse_ini(original);
    if (!before) continue;
    CAPTURE(name);
    auto out = append_section(original, *before, "profile roundtrip-new", entries);
    REQUIRE(out);
    CHECK(out->substr(0, original.size()) == original);
    const auto after = parse_ini(*out);
    REQUIRE(after);
    const IniSectionView added = after->section(after->num_sections() - 1);
    CHECK(added.name() == "profile roundtrip-new");
    CHECK(added.num_keys() == 3);
    CHECK(added.value("region") == " needs quotes # ");
    // The old sections read exactly as before: the dump of `after` is the dump of `before`
    // followed by the new section's lines.
    CHECK(dump(*after).starts_with(dump(*before)));
  }
}

}  // namespace av::config
