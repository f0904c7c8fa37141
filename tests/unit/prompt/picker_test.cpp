// Tests for prompt::Picker: filtering, wrap-around, paging with more than kPageSize options,
// Enter with no match, Ctrl-C, rendering and escaping.
#include "prompt/picker.h"

#include "base/limits.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace av::prompt {
namespace {

constexpr const char* kTitle = "Choose AWS profile:";

Key k(KeyKind kind) { return Key{kind, 0}; }

void type(Picker& picker, std::string_view text) {
  for (char c : text) picker.feed(Key{KeyKind::Char, static_cast<std::uint8_t>(c)});
}

std::vector<std::string> numbered(int count) {
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) names.push_back("p" + std::to_string(i));
  return names;
}

TEST_CASE("the first frame shows the header and every option with the cursor on the first",
          "[prompt][vector]") {
  Picker picker(kTitle, {"dev", "prod", "ci"});
  CHECK(picker.render() == std::vector<std::string>{
                               "? Choose AWS profile:  [Use arrows to move, type to filter]",
                               "> dev", "  prod", "  ci"});
}

TEST_CASE("down and up move the cursor and wrap around at both ends", "[prompt][vector]") {
  Picker picker(kTitle, {"a", "b", "c"});
  CHECK(picker.feed(k(KeyKind::Down)) == PickerStep::Continue);
  CHECK(picker.cursor() == 1);
  picker.feed(k(KeyKind::Down));
  picker.feed(k(KeyKind::Down));
  CHECK(picker.cursor() == 0);
  picker.feed(k(KeyKind::Up));
  CHECK(picker.cursor() == 2);
  CHECK(picker.feed(k(KeyKind::Enter)) == PickerStep::Chosen);
  CHECK(picker.chosen() == "c");
  CHECK(picker.answer_line() == "? Choose AWS profile: c");
}

TEST_CASE("typing filters by case-insensitive substring and resets the cursor",
          "[prompt][vector]") {
  Picker picker(kTitle, {"Dev-EU", "prod", "dev-us", "ci"});
  picker.feed(k(KeyKind::Down));
  type(picker, "DEV");
  CHECK(picker.filter() == "DEV");
  CHECK(picker.matches() == std::vector<std::size_t>{0, 2});
  CHECK(picker.cursor() == 0);
  CHECK(picker.render() == std::vector<std::string>{
                               "? Choose AWS profile: DEV [Use arrows to move, type to filter]",
                               "> Dev-EU", "  dev-us"});
  picker.feed(k(KeyKind::Down));
  picker.feed(k(KeyKind::Enter));
  CHECK(picker.chosen() == "dev-us");
}

TEST_CASE("backspace shortens the filter by one code point and refilters", "[prompt][vector]") {
  Picker picker(kTitle, {"caf\xc3\xa9", "cafe", "x"});
  type(picker, "caf\xc3\xa9");
  CHECK(picker.matches() == std::vector<std::size_t>{0});
  picker.feed(k(KeyKind::Backspace));
  CHECK(picker.filter() == "caf");
  CHECK(picker.matches() == std::vector<std::size_t>{0, 1});
  picker.feed(k(KeyKind::Backspace));
  picker.feed(k(KeyKind::Backspace));
  picker.feed(k(KeyKind::Backspace));
  picker.feed(k(KeyKind::Backspace));  // on an empty filter: nothing happens
  CHECK(picker.filter().empty());
  CHECK(picker.matches().size() == 3);
}

TEST_CASE("with no match, enter and arrows do nothing and only the header is drawn",
          "[prompt][error]") {
  Picker picker(kTitle, {"dev", "prod"});
  type(picker, "zz");
  CHECK(picker.matches().empty());
  CHECK(picker.feed(k(KeyKind::Down)) == PickerStep::Continue);
  CHECK(picker.feed(k(KeyKind::Up)) == PickerStep::Continue);
  CHECK(picker.feed(k(KeyKind::Enter)) == PickerStep::Continue);
  CHECK(picker.chosen().empty());
  CHECK(picker.render().size() == 1);
  picker.feed(k(KeyKind::Backspace));
  picker.feed(k(KeyKind::Backspace));
  CHECK(picker.feed(k(KeyKind::Enter)) == PickerStep::Chosen);
  CHECK(picker.chosen() == "dev");
}

TEST_CASE("ctrl-c cancels at any point", "[prompt][error]") {
  Picker picker(kTitle, {"dev"});
  type(picker, "d");
  CHECK(picker.feed(k(KeyKind::Interrupt)) == PickerStep::Cancelled);
  CHECK(picker.chosen().empty());
}

TEST_CASE("keys after a pick are ignored", "[prompt][error]") {
  Picker picker(kTitle, {"a", "b"});
  picker.feed(k(KeyKind::Enter));
  CHECK(picker.feed(k(KeyKind::Down)) == PickerStep::Chosen);
  CHECK(picker.feed(k(KeyKind::Interrupt)) == PickerStep::Chosen);
  CHECK(picker.chosen() == "a");
}

TEST_CASE("pages hold seven rows with the cursor centred except near the ends",
          "[prompt][vector]") {
  Picker picker(kTitle, numbered(12));
  // Expected page start for each cursor position 0..11 (survey's paginate).
  const std::size_t expected[] = {0, 0, 0, 0, 1, 2, 3, 4, 5, 5, 5, 5};
  for (std::size_t i = 0; i < 12; ++i) {
    CHECK(picker.cursor() == i);
    CHECK(picker.page_start() == expected[i]);
    auto lines = picker.render();
    REQUIRE(lines.size() == 1 + Picker::kPageSize);
    CHECK(lines[1 + i - expected[i]] == "> p" + std::to_string(i));
    picker.feed(k(KeyKind::Down));
  }
  CHECK(picker.cursor() == 0);  // wrapped to the first page
  picker.feed(k(KeyKind::Up));
  CHECK(picker.page_start() == 5);
  CHECK(picker.render().back() == "> p11");
}

TEST_CASE("exactly seven options fit on one page", "[prompt][vector]") {
  Picker picker(kTitle, numbered(7));
  for (int i = 0; i < 7; ++i) {
    CHECK(picker.page_start() == 0);
    picker.feed(k(KeyKind::Down));
  }
  CHECK(picker.render().size() == 8);
}

TEST_CASE("paging follows the filtered list", "[prompt][vector]") {
  Picker picker(kTitle, numbered(30));
  type(picker, "1");  // p1, p10..p19, p21 = 12 matches
  CHECK(picker.matches().size() == 12);
  for (int i = 0; i < 11; ++i) picker.feed(k(KeyKind::Down));
  CHECK(picker.page_start() == 5);
  CHECK(picker.render().back() == "> p21");
}

TEST_CASE("control bytes in names and filter are escaped when drawn", "[prompt][mutation]") {
  Picker picker(kTitle, {"evil\x1b[2J", "ok"});
  auto lines = picker.render();
  CHECK(lines[1] == "> evil\\x1b[2J");
  picker.feed(k(KeyKind::Enter));
  CHECK(picker.chosen() == "evil\x1b[2J");  // the returned name is the real one
  CHECK(picker.answer_line() == "? Choose AWS profile: evil\\x1b[2J");
  Picker filtered(kTitle, {"a"});
  filtered.feed(Key{KeyKind::Char, 0x9b});  // a lone C1/invalid UTF-8 byte
  CHECK(filtered.render()[0].find('\x9b') == std::string::npos);
}

TEST_CASE("the filter stops growing at its limit", "[prompt][error]") {
  Picker picker(kTitle, {"a"});
  type(picker, std::string(limits::kMaxPickerFilterBytes + 10, 'a'));
  CHECK(picker.filter().size() == limits::kMaxPickerFilterBytes);
}

}  // namespace
}  // namespace av::prompt
