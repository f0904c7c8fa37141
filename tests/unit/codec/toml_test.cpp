#include "codec/toml/document.h"

#include <catch2/catch.hpp>
#include <string>

#include "base/limits.h"

namespace av::codec::toml {
namespace {

constexpr std::size_t kMax = 64 * 1024;

Node parse_ok(std::string_view text) {
  auto r = parse_document(text, "t.toml", kMax);
  INFO(std::string(r ? "" : r.error().message()));
  REQUIRE(r);
  return std::move(r).value();
}

Error parse_err(std::string_view text, std::size_t max_len = kMax) {
  auto r = parse_document(text, "t.toml", max_len);
  REQUIRE_FALSE(r);
  return std::move(r).error();
}

TEST_CASE("every scalar type comes back with its value and position", "[codec][vector]") {
  const Node root = parse_ok(
      "s = \"hi\\tthere\"\n"
      "i = -42\n"
      "f = 1.5\n"
      "b = true\n"
      "d = 1979-05-27\n"
      "t = 07:32:00\n"
      "dt = 1979-05-27T07:32:00Z\n");
  REQUIRE(root.type == NodeType::Table);
  REQUIRE(root.children.size() == 7);
  const Node* s = root.find("s");
  REQUIRE(s != nullptr);
  CHECK(s->type == NodeType::String);
  CHECK(s->text == "hi\tthere");
  CHECK(s->line == 1);
  CHECK(s->column == 1);
  CHECK(root.find("i")->integer == -42);
  CHECK(root.find("i")->line == 2);
  CHECK(root.find("f")->floating == 1.5);
  CHECK(root.find("b")->boolean);
  CHECK(root.find("d")->type == NodeType::Date);
  CHECK(root.find("t")->type == NodeType::Time);
  CHECK(root.find("dt")->type == NodeType::DateTime);
  CHECK(root.find("dt")->line == 7);
  CHECK(root.find("missing") == nullptr);
}

TEST_CASE("table members keep the order of the file, not key order", "[codec][vector]") {
  const Node root = parse_ok("zeta = 1\nalpha = 2\n[exec]\nz = 1\na = 2\n");
  REQUIRE(root.children.size() == 3);
  CHECK(root.children[0].key == "zeta");
  CHECK(root.children[1].key == "alpha");
  CHECK(root.children[2].key == "exec");
  const Node& exec = root.children[2];
  CHECK(exec.type == NodeType::Table);
  CHECK(exec.line == 3);
  REQUIRE(exec.children.size() == 2);
  CHECK(exec.children[0].key == "z");
  CHECK(exec.children[0].line == 4);
  CHECK(exec.children[1].key == "a");
  CHECK(exec.children[1].line == 5);
}

TEST_CASE("arrays, inline tables and dotted keys become nested nodes", "[codec][vector]") {
  const Node root = parse_ok("a = [1, \"x\", [true]]\nb = { c = 1 }\nd.e = \"f\"\n");
  const Node* a = root.find("a");
  REQUIRE(a != nullptr);
  CHECK(a->type == NodeType::Array);
  REQUIRE(a->children.size() == 3);
  CHECK(a->children[0].key.empty());
  CHECK(a->children[1].text == "x");
  CHECK(a->children[2].children.at(0).boolean);
  CHECK(root.find("b")->find("c")->integer == 1);
  CHECK(root.find("d")->type == NodeType::Table);
  CHECK(root.find("d")->find("e")->text == "f");
  CHECK(a->find("x") == nullptr);  // find on a non-table
}

TEST_CASE("an empty document and a BOM-prefixed document are empty tables", "[codec][vector]") {
  CHECK(parse_ok("").children.empty());
  CHECK(parse_ok("# only a comment\n\n").children.empty());
  CHECK(parse_ok("\xEF\xBB\xBFk = 1\n").find("k")->integer == 1);
}

TEST_CASE("CRLF line endings count lines like LF", "[codec][vector]") {
  const Node root = parse_ok("a = 1\r\n\r\nb = 2\r\n");
  CHECK(root.find("b")->line == 3);
}

TEST_CASE("syntax errors carry source, line and column", "[codec][error]") {
  const Error e = parse_err("ok = 1\nbad = \n");
  CHECK(e.code() == Errc::Parse);
  CHECK(std::string(e.message()).rfind("t.toml:2:", 0) == 0);
  const Error dup = parse_err("a = 1\na = 2\n");
  CHECK(dup.code() == Errc::Parse);
  CHECK(std::string(dup.message()).rfind("t.toml:2:", 0) == 0);
  const Error header = parse_err("[exec\n");
  CHECK(std::string(header.message()).rfind("t.toml:1:", 0) == 0);
}

TEST_CASE("invalid UTF-8 is a parse error", "[codec][error]") {
  const Error e = parse_err("a = \"\xff\"\n");
  CHECK(e.code() == Errc::Parse);
}

TEST_CASE("error messages escape control bytes from the input", "[codec][error]") {
  const Error e = parse_err("a = \x1b[31m\n");
  CHECK(std::string(e.message()).find('\x1b') == std::string::npos);
}

TEST_CASE("a document over max_len is refused before parsing", "[codec][error]") {
  const Error e = parse_err("a = 1\n", 5);
  CHECK(e.code() == Errc::TooLarge);
  CHECK(parse_document("a = 1\n", "t.toml", 6));
}

TEST_CASE("too many dots on one line is refused (dotted-key depth)", "[codec][error]") {
  std::string deep = "[";
  for (std::size_t i = 0; i < limits::kMaxTomlDotsPerLine + 1; ++i) deep += "a.";
  deep += "a]\n";
  const Error e = parse_err("x = 1\n" + deep);
  CHECK(e.code() == Errc::TooLarge);
  CHECK(std::string(e.message()).rfind("t.toml:2: ", 0) == 0);
}

TEST_CASE("nesting deeper than kMaxTomlDepth is refused with its position", "[codec][error]") {
  std::string at_limit = "k = " + std::string(limits::kMaxTomlDepth, '[') +
                         std::string(limits::kMaxTomlDepth, ']') + "\n";
  CHECK(parse_document(at_limit, "t.toml", kMax));
  std::string over = "k = " + std::string(limits::kMaxTomlDepth + 1, '[') +
                     std::string(limits::kMaxTomlDepth + 1, ']') + "\n";
  const Error e = parse_err(over);
  CHECK(e.code() == Errc::TooLarge);
  CHECK(std::string(e.message()).rfind("t.toml:1:", 0) == 0);
}

TEST_CASE("truncations and bit flips of a valid document never crash", "[codec][mutation]") {
  const std::string doc =
      "backend = \"file\"\ndebug = true\n[exec]\nduration = \"1h\"\nregion = 'eu-west-1'\n"
      "a = [1, 2.5, { b = \"c\" }]\n";
  for (std::size_t n = 0; n <= doc.size(); ++n) {
    auto r = parse_document(std::string_view(doc).substr(0, n), "t.toml", kMax);
    if (!r) CHECK_FALSE(r.error().message().empty());
  }
  for (std::size_t i = 0; i < doc.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string m = doc;
      m[i] = static_cast<char>(static_cast<unsigned char>(m[i]) ^ (1U << bit));
      auto r = parse_document(m, "t.toml", kMax);
      if (!r) CHECK_FALSE(r.error().message().empty());
    }
  }
}

TEST_CASE("inputs that hit toml++ 3.3.0 assertions are ordinary parse errors", "[codec][error]") {
  // parse_key()'s TOML_ASSERT_ASSUME: a table header starting with a non-key character.
  for (const std::string_view text : {"[%xec]\n", "[a.%]\n", "[[%]]\n", "a.%=1\n"}) {
    const Error e = parse_err(text);
    CHECK(e.code() == Errc::Parse);
    CHECK(std::string(e.message()).find("expected bare key") != std::string::npos);
  }
}

TEST_CASE("non-ASCII code points toml++ 3.3.0 misclassifies are handled", "[codec][vector]") {
  // is_non_ascii_horizontal_whitespace() reached __builtin_unreachable for these code points.
  const Node root = parse_ok("\"cl\xC3\xA9\" = \"caf\xC3\xA9\"\ns = \"\"\"a\\\n\xE2\xB4\x80\"\"\"\n");
  CHECK(root.find("cl\xC3\xA9")->text == "caf\xC3\xA9");
  CHECK(root.find("s")->text == "a\xE2\xB4\x80");
  const Error e = parse_err("a.b.c\xCC\x9B.e = 1\n");
  CHECK(e.code() == Errc::Parse);
  const Error ws = parse_err("a = 1 \xE3\x80\x80x\n");  // U+3000 really is whitespace
  CHECK(ws.code() == Errc::Parse);
}

TEST_CASE("type_name names every node type", "[codec][vector]") {
  CHECK(type_name(NodeType::Table) == "table");
  CHECK(type_name(NodeType::Array) == "array");
  CHECK(type_name(NodeType::String) == "string");
  CHECK(type_name(NodeType::Integer) == "integer");
  CHECK(type_name(NodeType::Float) == "float");
  CHECK(type_name(NodeType::Boolean) == "boolean");
  CHECK(type_name(NodeType::Date) == "date");
  CHECK(type_name(NodeType::Time) == "time");
  CHECK(type_name(NodeType::DateTime) == "date-time");
}

}  // namespace
}  // namespace av::codec::toml
