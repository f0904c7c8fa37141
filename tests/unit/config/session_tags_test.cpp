// Tests for config/session_tags.h: the session_tags / transitive_session_tags syntax of spec
// cli.md §3.4 (§12 item 26) with upstream's exact error text.
#include "config/session_tags.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace av::config {

TEST_CASE("session tags: elements split at commas and the first '=', trimmed (item 26)",
          "[config][vector]") {
  const auto tags = parse_session_tags(" tagA = valueA ,  tagB  =  valueB ");
  REQUIRE(tags);
  CHECK(*tags == SessionTags{{"tagA", "valueA"}, {"tagB", "valueB"}});
  const auto with_eq = parse_session_tags("url=a=b,empty=");
  REQUIRE(with_eq);
  CHECK(*with_eq == SessionTags{{"empty", ""}, {"url", "a=b"}});
}

TEST_CASE("session tags: a repeated key keeps its last value", "[config][vector]") {
  const auto tags = parse_session_tags("k=1,k=2");
  REQUIRE(tags);
  CHECK(*tags == SessionTags{{"k", "2"}});
}

TEST_CASE("session tags: an element without '=' is the upstream error (item 26)", "[config][error]") {
  const char* inputs[] = {"tag1=value1,", "tagA=valueA,tagB", "", ",", "tag", "a=1,,b=2"};
  for (const char* input : inputs) {
    CAPTURE(input);
    const auto tags = parse_session_tags(input);
    REQUIRE_FALSE(tags);
    CHECK(tags.error().code() == Errc::Config);
    CHECK(tags.error().message() ==
          "session tags string must be <key1>=<value1>,[<key2>=<value2>[,...]]");
  }
}

TEST_CASE("session tags: an empty key is refused with the same text", "[config][error]") {
  const auto tags = parse_session_tags(" = value");
  REQUIRE_FALSE(tags);
  CHECK(tags.error().message() == kSessionTagsSyntaxError);
}

TEST_CASE("transitive tags: split, trimmed, empty elements dropped (item 26)", "[config][vector]") {
  using Keys = std::vector<std::string>;
  CHECK(parse_transitive_tags("tag1,") == Keys{"tag1"});
  CHECK(parse_transitive_tags(",tagA") == Keys{"tagA"});
  CHECK(parse_transitive_tags(" a , b ,, c") == Keys{"a", "b", "c"});
  CHECK(parse_transitive_tags("").empty());
  CHECK(parse_transitive_tags(",").empty());
  CHECK(parse_transitive_tags(" , \t").empty());
}

TEST_CASE("session tags: truncating a valid list never crashes", "[config][mutation]") {
  const std::string text = " a = 1 ,b=2,c = 3";
  for (std::size_t len = 0; len <= text.size(); ++len) {
    const auto tags = parse_session_tags(std::string_view(text).substr(0, len));
    if (tags) CHECK_FALSE(tags->empty());
    (void)parse_transitive_tags(std::string_view(text).substr(0, len));
  }
}

}  // namespace av::config
