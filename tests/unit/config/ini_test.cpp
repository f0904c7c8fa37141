// Tests for config/ini.h: the fixture table in tests/vectors/ini/ (every rule of spec §3.2 and the
// upstream samples of §12 items 15-17, 21, 24), one test per error, limits, lossless spans,
// deterministic mutation, and the quirks decided in docs/COMPATIBILITY.md.
#include "config/ini.h"

#include <catch2/catch.hpp>
#include <string>

#include "base/limits.h"
#include "ini_fixtures.h"

namespace av::config {
namespace {

using test::dump_result;
using test::fixture_names;
using test::read_ini_vector;

Error parse_error(std::string_view text) {
  auto parsed = parse_ini(text);
  REQUIRE_FALSE(parsed);
  return std::move(parsed).error();
}

IniDocument parse_ok(std::string_view text) {
  auto parsed = parse_ini(text);
  if (!parsed) FAIL(parsed.error().message());
  return std::move(parsed).value();
}

}  // namespace

TEST_CASE("ini: every fixture parses to its recorded dump", "[config][vector]") {
  const auto names = fixture_names();
  REQUIRE(names.size() >= 30);
  for (const std::string& name : names) {
    CAPTURE(name);
    const std::string text = read_ini_vector(name + ".ini");
    CHECK(dump_result(parse_ini(text)) == read_ini_vector(name + ".expected"));
  }
}

TEST_CASE("ini: key names are case-insensitive and unknown keys are kept (item 15)", "[config][vector]") {
  const IniDocument doc = parse_ok(read_ini_vector("upstream_example.ini"));
  const auto mfa = doc.find_section("profile withMFA");
  REQUIRE(mfa);
  CHECK(mfa->value("mfa_serial") == "arn:aws:iam::1234513441:mfa/blah");
  CHECK(mfa->value("MFA_SERIAL") == "arn:aws:iam::1234513441:mfa/blah");
  CHECK(mfa->value("role_arn") == "arn:aws:iam::4451234513441615400570:role/aws_admin");
  CHECK(mfa->value("duration_seconds") == "1200");
  CHECK(mfa->value("sts_regional_endpoints") == "legacy");
  CHECK(doc.find_section("profile user2")->value("Region") == "us-east-1");
  CHECK(doc.find_section("profile user2")->value("output") == "text");
  CHECK(doc.find_section("profile withendpointurl")->value("endpoint_url") == "https://localhost:1234");
  CHECK_FALSE(doc.find_section("profile nopenotthere"));
  CHECK_FALSE(mfa->value("regio"));
  CHECK_FALSE(mfa->value("region_"));
}

TEST_CASE("ini: sections come in file order, sso-session sections included (items 16-17)",
          "[config][vector]") {
  const IniDocument doc = parse_ok(read_ini_vector("upstream_example.ini"));
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i < doc.num_sections(); ++i) names.push_back(doc.section(i).name());
  const std::vector<std::string_view> expected = {
      "DEFAULT", "default", "profile user2", "profile withsource", "profile withMFA",
      "profile withendpointurl", "profile testincludeprofile1", "profile testincludeprofile2",
      "profile with-sso-session", "sso-session moon-sso"};
  CHECK(names == expected);
}

TEST_CASE("ini: an inline comment after a space is stripped (item 21)", "[config][vector]") {
  const IniDocument doc = parse_ok(read_ini_vector("upstream_example.ini"));
  CHECK(doc.find_section("profile with-sso-session")->value("region") == "moon-1");
  CHECK(doc.find_section("sso-session moon-sso")->value("sso_region") == "moon-2");
}

TEST_CASE("ini: [DEFAULT] is its own section, distinct from [default] (item 24)", "[config][vector]") {
  const IniDocument doc = parse_ok(read_ini_vector("upstream_default_upper.ini"));
  CHECK(doc.find_section("DEFAULT")->value("region") == "us-east-1");
  CHECK(doc.find_section("default")->value("region") == "us-west-2");
}

TEST_CASE("ini: [profile a.b] does not inherit keys from [profile a] (quirk A.10 fixed)",
          "[config][vector]") {
  const IniDocument doc = parse_ok(read_ini_vector("quirks_fixed.ini"));
  const auto admin = doc.find_section("profile prod.admin");
  REQUIRE(admin);
  CHECK_FALSE(admin->find_key("region"));
  CHECK_FALSE(admin->find_key("mfa_serial"));
  CHECK(admin->value("greeting") == "%(region)s and %(missing)s");  // no interpolation
}

TEST_CASE("ini: repeated sections keep every occurrence and merge in the view", "[config][vector]") {
  const IniDocument doc = parse_ok(read_ini_vector("duplicates.ini"));
  REQUIRE(doc.occurrences().size() == 5);  // implicit DEFAULT, a, b, a, b
  CHECK(doc.occurrences()[1].keys.size() == 3);
  CHECK(doc.occurrences()[3].keys.size() == 2);
  CHECK(doc.occurrences()[4].keys.empty());
  const auto a = doc.find_section("profile a");
  REQUIRE(a);
  CHECK(a->occurrences().size() == 2);
  CHECK(a->value("region") == "three");
  CHECK(a->num_keys() == 3);
}

TEST_CASE("ini: section and key spans cover the original text losslessly", "[config][vector]") {
  for (const std::string& name : fixture_names()) {
    const std::string text = read_ini_vector(name + ".ini");
    const auto parsed = parse_ini(text);
    if (!parsed) continue;
    CAPTURE(name);
    std::string joined = text.substr(0, parsed->content_begin());
    for (const IniSection& section : parsed->occurrences()) {
      CHECK(section.span.begin == joined.size());
      joined += text.substr(section.span.begin, section.span.end - section.span.begin);
      for (const IniKey& key : section.keys) {
        CHECK(key.span.begin >= section.span.begin);
        CHECK(key.span.end <= section.span.end);
        CHECK(key.span.first_line <= key.span.last_line);
      }
    }
    CHECK(joined == text);
    CHECK(parsed->source_size() == text.size());
  }
}

TEST_CASE("ini: a key span is exactly its lines, so an editor can splice it", "[config][vector]") {
  const std::string text = "[a]\nk = v\ns3 =\n  x = 1\nz = 2\n";
  const IniDocument doc = parse_ok(text);
  const IniKey* s3 = doc.find_section("a")->find_key("s3");
  REQUIRE(s3);
  CHECK(text.substr(s3->span.begin, s3->span.end - s3->span.begin) == "s3 =\n  x = 1\n");
  CHECK(s3->span.first_line == 3);
  CHECK(s3->span.last_line == 4);
}

TEST_CASE("ini: CRLF files are detected and their line breaks never reach values", "[config][vector]") {
  const IniDocument crlf = parse_ok(read_ini_vector("crlf.ini"));
  CHECK(crlf.line_break() == "\r\n");
  CHECK(parse_ok("[a]\nk=v\r\n").line_break() == "\n");
  CHECK(parse_ok("").line_break() == "\n");
}

TEST_CASE("ini: a UTF-8 byte order mark is skipped and recorded", "[config][vector]") {
  CHECK(parse_ok(read_ini_vector("bom.ini")).content_begin() == 3);
  CHECK(parse_ok("[a]\n").content_begin() == 0);
}

TEST_CASE("ini: read_line_value classifies multi-line starts", "[config][vector]") {
  using detail::IniValueForm;
  using detail::read_line_value;
  CHECK(read_line_value(R"( """abc)").form == IniValueForm::TripleQuoted);
  CHECK(read_line_value(R"( """abc)").text == "abc");
  CHECK(read_line_value(" `abc").form == IniValueForm::Backticked);
  CHECK(read_line_value(" abc \\ ").form == IniValueForm::Continued);
  CHECK(read_line_value(" abc \\ ").text == "abc ");
  CHECK(read_line_value("  'a b' ").text == "a b");
  CHECK(read_line_value("").text.empty());
}

// --- Errors: one test per failure ------------------------------------------------------------

TEST_CASE("ini error: unclosed section names the line and quotes it", "[config][error]") {
  const Error e = parse_error("[default]\n\n[profile x\x1b]x\n[profile y\n");
  CHECK(e.code() == Errc::Config);
  CHECK(e.message() == "line 4: unclosed section: \"[profile y\"");
}

TEST_CASE("ini error: empty section name", "[config][error]") {
  const Error e = parse_error("[a]\n[] # c\n");
  CHECK(e.code() == Errc::Config);
  CHECK(e.message() == "line 2: empty section name");
}

TEST_CASE("ini error: key-value delimiter not found escapes terminal controls", "[config][error]") {
  const Error e = parse_error("[a]\nk=v\n\x1b[31mred\n");
  CHECK(e.code() == Errc::Config);
  CHECK(e.message() == "line 3: key-value delimiter not found: \"\\x1b[31mred\"");
}

TEST_CASE("ini error: empty key name", "[config][error]") {
  const Error e = parse_error("[a]\n: v\n");
  CHECK(e.code() == Errc::Config);
  CHECK(e.message() == "line 2: empty key name: \": v\"");
}

TEST_CASE("ini error: NUL byte anywhere, even in a comment or a multi-line value", "[config][error]") {
  CHECK(parse_error(std::string("# c\0\n", 5)).message() == "line 1: NUL byte in the config file");
  const Error e = parse_error(std::string("[a]\nk=\"\"\"x\ny\0\"\"\"\n", 16));
  CHECK(e.code() == Errc::Config);
  CHECK(e.message() == "line 3: NUL byte in the config file");
}

TEST_CASE("ini error: carriage return not followed by a line feed", "[config][error]") {
  const Error e = parse_error("[a]\r\nk=v\r\nx=a\rb\r\n");
  CHECK(e.code() == Errc::Config);
  CHECK(e.message() == "line 3: carriage return not followed by a line feed");
}

TEST_CASE("ini error: UTF-16 byte order marks are refused", "[config][error]") {
  CHECK(parse_error("\xFE\xFF\0[").code() == Errc::Config);
  CHECK(parse_error("\xFF\xFE[\0").message().starts_with("line 1: UTF-16"));
}

TEST_CASE("ini error: unterminated triple-quoted and backtick values name their first line",
          "[config][error]") {
  CHECK(parse_error("[a]\n\nk = \"\"\"x\ny\n").message() ==
        "line 3: value opened with \"\"\" is not closed before the end of the file");
  CHECK(parse_error("k = `").message() ==
        "line 1: value opened with ` is not closed before the end of the file");
}

TEST_CASE("ini error: a file over kMaxConfigFileBytes", "[config][error]") {
  const std::string text(limits::kMaxConfigFileBytes + 1, '\n');
  CHECK(parse_error(text).code() == Errc::TooLarge);
  CHECK(parse_ini(std::string(limits::kMaxConfigFileBytes, '\n')));
}

TEST_CASE("ini error: a line over kMaxLineBytes", "[config][error]") {
  const std::string ok_line = "[a]\nk=" + std::string(limits::kMaxLineBytes - 2, 'x') + "\n";
  CHECK(parse_ini(ok_line));
  const std::string long_line = "[a]\n\n# " + std::string(limits::kMaxLineBytes, 'x') + "\n";
  const Error e = parse_error(long_line);
  CHECK(e.code() == Errc::TooLarge);
  CHECK(e.message() == "line 3: line longer than 65536 bytes");
}

TEST_CASE("ini error: more than kMaxIniSections sections", "[config][error]") {
  std::string text;
  for (std::size_t i = 0; i < limits::kMaxIniSections; ++i) text += "[s]\n";
  CHECK(parse_ini(text));
  text += "[s]\n";
  const Error e = parse_error(text);
  CHECK(e.code() == Errc::TooLarge);
  CHECK(e.message() == "line 250001: more than 250000 sections");
}

TEST_CASE("ini error: more than kMaxIniKeys keys, nested values included", "[config][error]") {
  std::string text = "[a]\ns=\n";
  for (std::size_t i = 1; i < limits::kMaxIniKeys; ++i) text += " n\n";
  CHECK(parse_ini(text));
  text += "k=v\n";
  const Error e = parse_error(text);
  CHECK(e.code() == Errc::TooLarge);
  CHECK(e.message().starts_with("line 1000002: more than 1000000 keys"));
}

TEST_CASE("ini error: a joined value over kMaxIniValueBytes", "[config][error]") {
  const std::string piece(1000, 'x');
  std::string text = "[a]\nk = a\\\n";
  for (std::size_t i = 0; i < 70; ++i) text += piece + "\\\n";
  const Error e = parse_error(text);
  CHECK(e.code() == Errc::TooLarge);
  CHECK(e.message() == "line 2: value longer than 65536 bytes");
  std::string quoted = "[a]\nk = `";
  for (std::size_t i = 0; i < 70; ++i) quoted += piece + "\n";
  CHECK(parse_error(quoted).code() == Errc::TooLarge);
}

// --- Mutation --------------------------------------------------------------------------------

namespace {

void check_outcome(std::string_view text) {
  const auto parsed = parse_ini(text);
  if (!parsed) {
    CAPTURE(parsed.error().message());
    CHECK(parsed.error().message().starts_with("line "));
    CHECK((parsed.error().code() == Errc::Config || parsed.error().code() == Errc::TooLarge));
    return;
  }
  CHECK(parsed->source_size() == text.size());
  CHECK(parsed->num_sections() >= 1);
  CHECK(parsed->section(0).name() == kIniDefaultSection);
}

}  // namespace

TEST_CASE("ini mutation: every truncation of every fixture parses or names a line", "[config][mutation]") {
  for (const std::string& name : fixture_names()) {
    CAPTURE(name);
    const std::string text = read_ini_vector(name + ".ini");
    for (std::size_t len = 0; len <= text.size(); ++len) check_outcome(std::string_view(text).substr(0, len));
  }
}

TEST_CASE("ini mutation: flipping any byte of any fixture parses or names a line", "[config][mutation]") {
  const char replacements[] = {'\0', '\n', '\r', '[', ']', '=', ':', '"', '`', '\\', ' ', '#', '\xff'};
  for (const std::string& name : fixture_names()) {
    CAPTURE(name);
    const std::string text = read_ini_vector(name + ".ini");
    for (std::size_t i = 0; i < text.size(); ++i) {
      std::string mutated = text;
      for (const char c : replacements) {
        mutated[i] = c;
        check_outcome(mutated);
      }
      mutated[i] = static_cast<char>(text[i] ^ 0x01);
      check_outcome(mutated);
    }
  }
}

TEST_CASE("ini: 10,000 profiles parse and a lookup finds the last one", "[config][vector]") {
  std::string text;
  for (int i = 0; i < 10000; ++i) {
    text += "[profile p" + std::to_string(i) + "]\nregion = us-east-1\nrole_arn = arn:aws:iam::1:role/r" +
            std::to_string(i) + "\nsource_profile = base\n\n";
  }
  const IniDocument doc = parse_ok(text);
  CHECK(doc.num_sections() == 10001);
  CHECK(doc.find_section("profile p9999")->value("role_arn") == "arn:aws:iam::1:role/r9999");
  CHECK_FALSE(doc.find_section("profile p10000"));
}

}  // namespace av::config
