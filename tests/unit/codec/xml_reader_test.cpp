// Tests for codec/xml/xml_reader.h: vectors for every construct of the accepted subset, one test
// per error (and per refused construct), the named limits, secret text, and deterministic
// mutation of an STS response.
#include "codec/xml/xml_reader.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "base/limits.h"
#include "support/mutation.h"

namespace av::codec::xml {
namespace {

// trace renders every event of `doc` compactly: S(name a=v) T(text) E(name), or the error.
std::string trace(std::string_view doc) {
  Reader reader(doc);
  std::string out;
  for (int i = 0; i < 10'000; ++i) {
    auto event = reader.next();
    if (!event) return out + "!" + std::string(errc_name(event.error().code()));
    switch (event->kind) {
      case EventKind::StartElement:
        out += "S(" + std::string(event->name);
        for (const auto& a : event->attributes) out += " " + std::string(a.name) + "=" + a.value;
        out += ")";
        break;
      case EventKind::EndElement: out += "E(" + std::string(event->name) + ")"; break;
      case EventKind::Text: out += "T(" + event->text + ")"; break;
      case EventKind::EndOfDocument: return out;
    }
  }
  FAIL("reader did not terminate");
  return out;
}

Errc error_code(std::string_view doc) {
  const std::string t = trace(doc);
  const auto bang = t.rfind('!');
  REQUIRE(bang != std::string::npos);
  CAPTURE(t);
  for (Errc code : {Errc::Parse, Errc::Truncated, Errc::TooLarge, Errc::Unsupported}) {
    if (t.substr(bang + 1) == errc_name(code)) return code;
  }
  FAIL("unexpected error code " << t);
  return Errc::Internal;
}

// first_text reads the first element's text with read_text.
Result<std::string> first_text(std::string_view doc) {
  Reader reader(doc);
  AV_TRY_ASSIGN(auto start, reader.next());
  REQUIRE(start.kind == EventKind::StartElement);
  return reader.read_text();
}

constexpr std::string_view kSts =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<GetSessionTokenResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
    "  <GetSessionTokenResult>\n"
    "    <Credentials>\n"
    "      <SessionToken>AQoE+/=&amp;<![CDATA[x<y]]></SessionToken>\n"
    "      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>\n"
    "      <Expiration>2011-07-11T19:55:29.611Z</Expiration>\n"
    "      <AccessKeyId>AKIAIOSFODNN7EXAMPLE</AccessKeyId>\n"
    "    </Credentials>\n"
    "  </GetSessionTokenResult>\n"
    "  <!-- metadata -->\n"
    "  <ResponseMetadata><RequestId>58c5dbae-abef-11e0-8cfe-09039844ac7d</RequestId>"
    "</ResponseMetadata>\n"
    "</GetSessionTokenResponse>\n";

TEST_CASE("xml: a self-closing root yields start, end and end of document", "[codec][vector]") {
  CHECK(trace("<a/>") == "S(a)E(a)");
  CHECK(trace("<a></a>") == "S(a)E(a)");
  CHECK(trace("<a />") == "S(a)E(a)");
}

TEST_CASE("xml: declaration, comments and whitespace surround the root", "[codec][vector]") {
  CHECK(trace("<?xml version=\"1.0\"?><a/>") == "S(a)E(a)");
  CHECK(trace("<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<!-- c -->\n<a/>\n<!---->\n") ==
        "S(a)E(a)");
  CHECK(trace("\xEF\xBB\xBF<a/>") == "S(a)E(a)");
  CHECK(trace("<?xml version=\"1.1\"?><a/>") == "S(a)E(a)");
}

TEST_CASE("xml: attributes are decoded and normalised", "[codec][vector]") {
  CHECK(trace("<a x=\"1\" y='&lt;&quot;&apos;' z = \"t\ta\r\nb\"/>") ==
        "S(a x=1 y=<\"' z=t a b)E(a)");
  Reader reader("<s:a xmlns:s=\"urn:x\" s:k=\"v\"/>");
  auto event = reader.next();
  REQUIRE(event);
  CHECK(event->name == "s:a");
  CHECK(event->local_name() == "a");
  REQUIRE(event->attribute("xmlns:s") != nullptr);
  CHECK(*event->attribute("xmlns:s") == "urn:x");
  CHECK(event->attribute("k") == nullptr);
}

TEST_CASE("xml: text decodes entities, character references and CDATA", "[codec][vector]") {
  CHECK(trace("<a>&lt;&gt;&amp;&apos;&quot;</a>") == "S(a)T(<>&'\")E(a)");
  CHECK(trace("<a>&#65;&#x42;&#x10FFFF;&#233;</a>") == "S(a)T(AB\xF4\x8F\xBF\xBF\xC3\xA9)E(a)");
  CHECK(trace("<a><![CDATA[<b>&amp;]]]></a>") == "S(a)T(<b>&amp;])E(a)");
  CHECK(trace("<a>x<!-- c -->y</a>") == "S(a)T(x)T(y)E(a)");
  CHECK(trace("<a>caf\xC3\xA9 ] ]> \xF0\x9F\x94\x91</a>") == "S(a)T(caf\xC3\xA9 ] ]> \xF0\x9F\x94\x91)E(a)");
  CHECK(trace("<a>l1\r\nl2\rl3</a>") == "S(a)T(l1\nl2\nl3)E(a)");
  CHECK(trace("<\xC3\xA9l\xC3\xA9ment/>") == "S(\xC3\xA9l\xC3\xA9ment)E(\xC3\xA9l\xC3\xA9ment)");
}

TEST_CASE("xml: nested elements keep document order", "[codec][vector]") {
  CHECK(trace("<a><b>1</b><c/><b>2</b></a>") == "S(a)S(b)T(1)E(b)S(c)E(c)S(b)T(2)E(b)E(a)");
  CHECK(trace("<a>\n  <b/>\n</a>") == "S(a)T(\n  )S(b)E(b)T(\n)E(a)");
}

TEST_CASE("xml: read_text concatenates text and CDATA and consumes the end tag", "[codec][vector]") {
  auto text = first_text("<a>x&amp;<!-- c --><![CDATA[<y>]]>z</a>");
  REQUIRE(text);
  CHECK(*text == "x&<y>z");
  auto empty = first_text("<a/>");
  REQUIRE(empty);
  CHECK(empty->empty());
  Reader reader("<r><a>1</a><b/></r>");
  REQUIRE(reader.next());
  REQUIRE(reader.next());
  CHECK(reader.read_text().value() == "1");
  CHECK(reader.depth() == 1);
  CHECK(reader.next()->name == "b");
}

TEST_CASE("xml: read_secret_text matches read_text without a std::string", "[codec][vector]") {
  Reader reader(kSts);
  std::string plain;
  secure::SecretString secret;
  for (auto event = reader.next(); event && event->kind != EventKind::EndOfDocument;
       event = reader.next()) {
    if (event->kind != EventKind::StartElement || event->name != "SessionToken") continue;
    auto got = reader.read_secret_text();
    REQUIRE(got);
    secret = std::move(*got);
  }
  CHECK(secret.reveal() == "AQoE+/=&x<y");
  CHECK(secret.capacity() == secret.size());
  Reader self_closing("<a/>");
  REQUIRE(self_closing.next());
  auto empty = self_closing.read_secret_text();
  REQUIRE(empty);
  CHECK(empty->empty());
  CHECK(self_closing.next()->kind == EventKind::EndOfDocument);
}

TEST_CASE("xml: skip_element consumes a whole subtree", "[codec][vector]") {
  Reader reader("<r><skip><x a='1'>t<y/></x></skip><keep/></r>");
  REQUIRE(reader.next());
  REQUIRE(reader.next()->name == "skip");
  REQUIRE(reader.skip_element());
  CHECK(reader.depth() == 1);
  CHECK(reader.next()->name == "keep");
  Reader leaf("<r><s/><k/></r>");
  REQUIRE(leaf.next());
  REQUIRE(leaf.next());
  REQUIRE(leaf.skip_element());
  CHECK(leaf.next()->name == "k");
}

TEST_CASE("xml: each malformed document fails with its error code", "[codec][error]") {
  using Row = std::tuple<const char*, std::string_view, Errc>;
  auto [name, doc, code] = GENERATE(table<const char*, std::string_view, Errc>({
      Row{"empty", "", Errc::Truncated},
      Row{"only whitespace", "  \n", Errc::Truncated},
      Row{"text before root", "hi<a/>", Errc::Parse},
      Row{"end tag as root", "</a>", Errc::Parse},
      Row{"cdata as root", "<![CDATA[x]]>", Errc::Parse},
      Row{"bad version", "<?xml version=\"2.0\"?><a/>", Errc::Parse},
      Row{"no version", "<?xml encoding=\"UTF-8\"?><a/>", Errc::Parse},
      Row{"bad standalone", "<?xml version=\"1.0\" standalone=\"maybe\"?><a/>", Errc::Parse},
      Row{"unterminated declaration", "<?xml version=\"1.0\"", Errc::Truncated},
      Row{"unknown entity", "<a>&foo;</a>", Errc::Parse},
      Row{"entity without semicolon", "<a>&amp</a>", Errc::Parse},
      Row{"entity cut", "<a>&lt", Errc::Truncated},
      Row{"empty char ref", "<a>&#;</a>", Errc::Parse},
      Row{"char ref nul", "<a>&#0;</a>", Errc::Parse},
      Row{"char ref control", "<a>&#x1;</a>", Errc::Parse},
      Row{"char ref surrogate", "<a>&#xD800;</a>", Errc::Parse},
      Row{"char ref fffe", "<a>&#xFFFE;</a>", Errc::Parse},
      Row{"char ref too big", "<a>&#x110000;</a>", Errc::Parse},
      Row{"char ref huge", "<a>&#99999999999999999999;</a>", Errc::Parse},
      Row{"control char", "<a>\x01</a>", Errc::Parse},
      Row{"invalid utf-8", "<a>\xFF</a>", Errc::Parse},
      Row{"overlong utf-8", "<a>\xC0\xAF</a>", Errc::Parse},
      Row{"utf-8 non-character", "<a>\xEF\xBF\xBE</a>", Errc::Parse},
      Row{"cut utf-8", "<a>\xC3", Errc::Truncated},
      Row{"cdata end in text", "<a>]]></a>", Errc::Parse},
      Row{"double dash comment", "<a><!-- x -- y --></a>", Errc::Parse},
      Row{"unterminated comment", "<a><!-- x", Errc::Truncated},
      Row{"cut comment open", "<a><!-", Errc::Truncated},
      Row{"unterminated cdata", "<a><![CDATA[x</a>", Errc::Truncated},
      Row{"mismatched end tag", "<a></b>", Errc::Parse},
      Row{"unclosed root", "<a>", Errc::Truncated},
      Row{"unclosed start tag", "<a", Errc::Truncated},
      Row{"lone angle", "<a><", Errc::Truncated},
      Row{"duplicate attribute", "<a x='1' x='2'/>", Errc::Parse},
      Row{"attribute without space", "<a x='1'y='2'/>", Errc::Parse},
      Row{"angle in attribute", "<a x='<'/>", Errc::Parse},
      Row{"unquoted attribute", "<a x=1/>", Errc::Parse},
      Row{"attribute without value", "<a x/>", Errc::Parse},
      Row{"unterminated attribute", "<a x='1", Errc::Truncated},
      Row{"slash space", "<a/ >", Errc::Parse},
      Row{"two roots", "<a/><b/>", Errc::Parse},
      Row{"text after root", "<a/>text", Errc::Parse},
      Row{"name starts with digit", "<1a/>", Errc::Parse},
      Row{"invalid utf-8 name", "<a\xFF/>", Errc::Parse},
      Row{"end tag with garbage", "<a></a x>", Errc::Parse},
      Row{"doctype", "<!DOCTYPE a><a/>", Errc::Unsupported},
      Row{"internal subset entity",
          "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>", Errc::Unsupported},
      Row{"billion laughs",
          "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aa\"><!ENTITY b \"&a;&a;\">]><l>&b;</l>",
          Errc::Unsupported},
      Row{"entity declaration in body", "<a><!ENTITY x 'y'></a>", Errc::Unsupported},
      Row{"doctype after root", "<a/><!DOCTYPE a>", Errc::Unsupported},
      Row{"stylesheet pi", "<?xml-stylesheet href='a'?><a/>", Errc::Unsupported},
      Row{"pi in body", "<a><?pi x?></a>", Errc::Unsupported},
      Row{"pi after root", "<a/><?pi?>", Errc::Unsupported},
      Row{"late declaration", " <?xml version=\"1.0\"?><a/>", Errc::Unsupported},
      Row{"latin-1 encoding", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>",
          Errc::Unsupported},
  }));
  CAPTURE(name);
  CHECK(error_code(doc) == code);
}

TEST_CASE("xml: error messages carry line and column", "[codec][error]") {
  Reader reader("<a>\n  <b></c>\n</a>");
  Result<Event> event = Event{};
  while ((event = reader.next()) && event->kind != EventKind::EndOfDocument) {
  }
  REQUIRE_FALSE(event);
  CHECK(event.error().code() == Errc::Parse);
  CHECK(event.error().message() == "xml: line 2 col 6: end tag \"c\" does not match \"b\"");
}

TEST_CASE("xml: messages never quote text content", "[codec][error]") {
  auto text = first_text("<SessionToken>SECRETSECRET&bogus;</SessionToken>");
  REQUIRE_FALSE(text);
  CHECK(text.error().message().find("SECRET") == std::string_view::npos);
  CHECK(text.error().message().find("bogus") == std::string_view::npos);
}

TEST_CASE("xml: read_text refuses a child element", "[codec][error]") {
  auto text = first_text("<a>x<b/></a>");
  REQUIRE_FALSE(text);
  CHECK(text.error().code() == Errc::Parse);
  Reader reader("<a><!DOCTYPE x></a>");
  REQUIRE(reader.next());
  CHECK(reader.read_text().error().code() == Errc::Unsupported);
}

TEST_CASE("xml: a failed reader keeps returning its error", "[codec][error]") {
  Reader reader("<a></b><c/>");
  REQUIRE(reader.next());
  auto first = reader.next();
  REQUIRE_FALSE(first);
  auto again = reader.next();
  REQUIRE_FALSE(again);
  CHECK(again.error().message() == first.error().message());
}

TEST_CASE("xml: nesting is bounded by kMaxXmlDepth", "[codec][error]") {
  const auto nest = [](std::size_t depth) {
    std::string doc;
    for (std::size_t i = 0; i < depth; ++i) doc += "<e>";
    for (std::size_t i = 0; i < depth; ++i) doc += "</e>";
    return doc;
  };
  CHECK(trace(nest(limits::kMaxXmlDepth)).find('!') == std::string::npos);
  CHECK(error_code(nest(limits::kMaxXmlDepth + 1)) == Errc::TooLarge);
  CHECK(error_code(nest(100'000)) == Errc::TooLarge);
}

TEST_CASE("xml: names, attributes and text are bounded", "[codec][error]") {
  const std::string name(limits::kMaxXmlNameBytes, 'n');
  CHECK(trace("<" + name + "/>").find('!') == std::string::npos);
  CHECK(error_code("<" + name + "n/>") == Errc::TooLarge);
  std::string attrs;
  for (std::size_t i = 0; i < limits::kMaxXmlAttributes; ++i) attrs += " a" + std::to_string(i) + "=''";
  CHECK(trace("<a" + attrs + "/>").find('!') == std::string::npos);
  CHECK(error_code("<a" + attrs + " z=''/>") == Errc::TooLarge);
  const std::string text(limits::kMaxXmlTextBytes, 't');
  CHECK(first_text("<a>" + text + "</a>").has_value());
  CHECK(first_text("<a>" + text + "t</a>").error().code() == Errc::TooLarge);
  CHECK(first_text("<a>" + text + "<![CDATA[t]]></a>").error().code() == Errc::TooLarge);
  CHECK(error_code("<a x='" + text + "t'/>") == Errc::TooLarge);
}

TEST_CASE("xml: the document size is bounded by kMaxXmlBytes", "[codec][error]") {
  std::string doc = "<a><!--" + std::string(limits::kMaxXmlBytes - 14, ' ') + "--></a>";
  CHECK(doc.size() == limits::kMaxXmlBytes);
  CHECK(trace(doc).find('!') == std::string::npos);
  doc.insert(3, " ");
  CHECK(error_code(doc) == Errc::TooLarge);
}

TEST_CASE("xml: secret text is bounded by kMaxSecretBytes", "[codec][error]") {
  const std::string at_limit = "<a>" + std::string(limits::kMaxSecretBytes, 's') + "</a>";
  Reader ok_reader(at_limit);
  REQUIRE(ok_reader.next());
  auto secret = ok_reader.read_secret_text();
  REQUIRE(secret);
  CHECK(secret->size() == limits::kMaxSecretBytes);
  const std::string over = "<a>" + std::string(limits::kMaxSecretBytes + 1, 's') + "</a>";
  Reader reader(over);
  REQUIRE(reader.next());
  CHECK(reader.read_secret_text().error().code() == Errc::TooLarge);
}

// walk drains `doc`, reading SessionToken as a secret and other leaves' text with read_text when
// `use_text` is set; it returns whether the document was accepted.
bool walk(std::string_view doc, bool use_text) {
  Reader reader(doc);
  for (int i = 0; i < 100'000; ++i) {
    auto event = reader.next();
    if (!event) return false;
    if (event->kind == EventKind::EndOfDocument) return true;
    if (event->kind != EventKind::StartElement) continue;
    if (event->local_name() == "SessionToken") {
      if (!reader.read_secret_text()) return false;
    } else if (use_text && event->local_name() == "Expiration") {
      if (!reader.read_text()) return false;
    }
  }
  FAIL("walk did not terminate");
  return false;
}

TEST_CASE("xml: truncations and bit flips of an STS response never crash", "[codec][mutation]") {
  REQUIRE(walk(kSts, true));
  std::size_t accepted = 0;
  av::testing::for_each_mutation(kSts, [&](const std::string& mutant) {
    const bool plain = walk(mutant, false);
    const bool with_text = walk(mutant, true);
    // read_text accepts exactly what the event stream accepts for a text-only element.
    if (plain != with_text) FAIL_CHECK("walks disagree on: " << mutant);
    if (plain) ++accepted;
  });
  CHECK(accepted > 0);
}

}  // namespace
}  // namespace av::codec::xml
