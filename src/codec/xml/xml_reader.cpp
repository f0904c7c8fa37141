// xml_reader.cpp: the bounded XML pull reader (contract in xml_reader.h).
//
// Text is decoded through a Sink (count, std::string or SecretString), so one decoder serves plain
// text, attribute values and the two passes of read_secret_text. The element stack is a vector
// bounded by kMaxXmlDepth; nothing recurses.
#include "codec/xml/xml_reader.h"

#include <string>
#include <utility>

#include "base/ascii.h"
#include "base/check.h"
#include "base/limits.h"
#include "codec/json/utf8.h"

namespace av::codec::xml {
namespace {

using json::detail::decode_utf8;
using json::detail::encode_utf8;
using json::detail::Utf8Bytes;
using json::detail::Utf8Status;

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kCdataOpen = "<![CDATA[";
constexpr std::string_view kCommentOpen = "<!--";
// Longest XML declaration we read (`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`).
constexpr std::size_t kMaxDeclarationChars = 256;

// Ctx: the document (for line/column numbers) and the cursor over it.
struct Ctx {
  std::string_view doc;
  TextReader& in;

  Error fail_at(std::size_t offset, Errc code, std::string_view what) const {
    std::size_t line = 1;
    std::size_t col = 1;
    for (std::size_t i = 0; i < offset && i < doc.size(); ++i) {
      if (doc[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return Error{code, "xml: line " + std::to_string(line) + " col " + std::to_string(col) + ": " +
                           std::string(what)};
  }
  Error fail(Errc code, std::string_view what) const { return fail_at(in.offset(), code, what); }
  // fail_short is Truncated at the end of input, else Parse.
  Error fail_short(std::string_view what) const {
    return fail(in.empty() ? Errc::Truncated : Errc::Parse, what);
  }
};

constexpr bool is_xml_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
constexpr bool is_high(char c) noexcept { return static_cast<unsigned char>(c) >= 0x80; }
// is_printable_ascii: 0x20..0x7F, the bytes that stand for themselves in text.
constexpr bool is_printable_ascii(char c) noexcept { return c >= 0x20 && !is_high(c); }
constexpr bool is_name_start(char c) noexcept {
  return ascii::is_alpha(c) || c == '_' || c == ':' || is_high(c);
}
constexpr bool is_name_char(char c) noexcept {
  return is_name_start(c) || ascii::is_digit(c) || c == '-' || c == '.';
}
constexpr bool is_xml_char(char32_t cp) noexcept {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

// Sinks receive decoded text; put returns false when the sink's limit would be exceeded.
class CountSink {
 public:
  explicit CountSink(std::size_t max_len) : max_len_(max_len) {}
  bool put(std::string_view text) noexcept {
    if (text.size() > max_len_ - len_) return false;
    len_ += text.size();
    return true;
  }
  std::size_t len() const noexcept { return len_; }
  std::size_t limit() const noexcept { return max_len_; }

 private:
  std::size_t len_ = 0;
  std::size_t max_len_;
};

class StringSink {
 public:
  StringSink(std::string& out, std::size_t max_len) : out_(out), max_len_(max_len) {}
  bool put(std::string_view text) {
    if (text.size() > max_len_ - out_.size()) return false;
    out_.append(text);
    return true;
  }
  std::size_t limit() const noexcept { return max_len_; }

 private:
  std::string& out_;
  std::size_t max_len_;
};

class SecretSink {
 public:
  explicit SecretSink(secure::SecretString& out) : out_(out) {}
  bool put(std::string_view text) { return out_.append(text).has_value(); }
  std::size_t limit() const noexcept { return out_.capacity(); }

 private:
  secure::SecretString& out_;
};

template <class Sink>
Status put(const Ctx& ctx, Sink& sink, std::string_view text) {
  if (sink.put(text)) return ok();
  return ctx.fail(Errc::TooLarge, "text longer than " + std::to_string(sink.limit()) + " bytes");
}

// read_name reads an XML Name (ASCII name characters, or any valid UTF-8 beyond ASCII).
Result<std::string_view> read_name(const Ctx& ctx) {
  const std::size_t start = ctx.in.offset();
  auto first = ctx.in.peek();
  if (!first) return ctx.fail(Errc::Truncated, "name expected");
  if (!is_name_start(*first)) return ctx.fail(Errc::Parse, "name expected");
  const std::string_view name = ctx.in.read_while(is_name_char);
  if (name.size() > limits::kMaxXmlNameBytes) {
    return ctx.fail_at(start, Errc::TooLarge,
                       "name longer than " + std::to_string(limits::kMaxXmlNameBytes) + " bytes");
  }
  TextReader check(name);
  while (!check.empty()) {
    if (decode_utf8(check).status != Utf8Status::Ok) {
      return ctx.fail_at(start, Errc::Parse, "invalid utf-8 in name");
    }
  }
  return name;
}

// read_char_ref reads the digits of `&#...;` / `&#x...;` (after "&#") as a valid XML Char.
Result<char32_t> read_char_ref(const Ctx& ctx, std::size_t start) {
  const bool hex = ctx.in.consume_if('x');
  const std::string_view digits =
      hex ? ctx.in.read_while(ascii::is_hex_digit) : ctx.in.read_while(ascii::is_digit);
  if (digits.empty()) return ctx.fail_short("malformed character reference");
  if (!ctx.in.consume_if(';')) return ctx.fail_short("character reference without ';'");
  char32_t value = 0;
  for (const char d : digits) {
    const char32_t digit = ascii::is_digit(d) ? static_cast<char32_t>(d - '0')
                                              : static_cast<char32_t>(ascii::to_lower(d) - 'a' + 10);
    value = value * (hex ? 16 : 10) + digit;
    if (value > 0x10FFFF) break;
  }
  if (!is_xml_char(value)) {
    return ctx.fail_at(start, Errc::Parse, "character reference to an invalid code point");
  }
  return value;
}

// read_reference decodes one reference starting at '&' into its UTF-8 bytes.
Result<Utf8Bytes> read_reference(const Ctx& ctx) {
  const std::size_t start = ctx.in.offset();
  (void)ctx.in.read_char();  // '&'
  if (ctx.in.consume_if('#')) {
    AV_TRY_ASSIGN(const char32_t cp, read_char_ref(ctx, start));
    return encode_utf8(cp);
  }
  const std::string_view name = ctx.in.read_while(is_name_char);
  if (!ctx.in.consume_if(';')) return ctx.fail_short("entity reference without ';'");
  char c = 0;
  if (name == "lt") c = '<';
  if (name == "gt") c = '>';
  if (name == "amp") c = '&';
  if (name == "apos") c = '\'';
  if (name == "quot") c = '"';
  if (c == 0) return ctx.fail_at(start, Errc::Parse, "unknown entity reference");
  return encode_utf8(static_cast<char32_t>(c));
}

// put_special decodes one character that is not plain ASCII text: CR (normalised), tab and LF
// (spaces in attribute values), other controls (refused) and multi-byte UTF-8.
template <class Sink>
Status put_special(const Ctx& ctx, Sink& sink, bool attribute) {
  const char c = *ctx.in.peek();
  if (c == '\r' || c == '\n' || c == '\t') {
    (void)ctx.in.read_char();
    if (c == '\r') (void)ctx.in.consume_if('\n');
    if (attribute) return put(ctx, sink, " ");
    return put(ctx, sink, c == '\t' ? "\t" : "\n");
  }
  if (!is_high(c)) return ctx.fail(Errc::Parse, "control character");
  const std::string_view before = ctx.in.rest();
  const auto u = decode_utf8(ctx.in);
  if (u.status == Utf8Status::Truncated) {
    return ctx.fail(Errc::Truncated, "input ends inside a utf-8 sequence");
  }
  if (u.status == Utf8Status::Invalid || !is_xml_char(u.code_point)) {
    return ctx.fail(Errc::Parse, "invalid utf-8 or non-character");
  }
  return put(ctx, sink, before.substr(0, before.size() - ctx.in.rest().size()));
}

// decode_run decodes character data up to '<' or end of input (quote == 0), or an attribute value
// up to its closing `quote` (not consumed).
template <class Sink>
Status decode_run(const Ctx& ctx, Sink& sink, char quote) {
  const bool attribute = quote != 0;
  const auto plain = [quote](char c) {
    return is_printable_ascii(c) && c != '<' && c != '&' && c != ']' && c != quote;
  };
  while (true) {
    auto c = ctx.in.peek();
    if (!c) return attribute ? ctx.fail(Errc::Truncated, "unterminated attribute value") : ok();
    if (attribute && *c == quote) return ok();
    if (*c == '<') return attribute ? ctx.fail(Errc::Parse, "'<' in attribute value") : ok();
    if (*c == '&') {
      AV_TRY_ASSIGN(const Utf8Bytes bytes, read_reference(ctx));
      AV_TRY(put(ctx, sink, bytes.view()));
    } else if (*c == ']') {
      if (!attribute && ctx.in.rest().starts_with("]]>")) {
        return ctx.fail(Errc::Parse, "']]>' in text");
      }
      (void)ctx.in.read_char();
      AV_TRY(put(ctx, sink, "]"));
    } else if (plain(*c)) {
      AV_TRY(put(ctx, sink, ctx.in.read_while(plain)));
    } else {
      AV_TRY(put_special(ctx, sink, attribute));
    }
  }
}

// decode_cdata decodes a CDATA section's content (after "<![CDATA[") through "]]>".
template <class Sink>
Status decode_cdata(const Ctx& ctx, Sink& sink) {
  const auto plain = [](char c) { return is_printable_ascii(c) && c != ']'; };
  while (!ctx.in.consume_literal("]]>")) {
    auto c = ctx.in.peek();
    if (!c) return ctx.fail(Errc::Truncated, "unterminated cdata section");
    if (*c == ']') {
      (void)ctx.in.read_char();
      AV_TRY(put(ctx, sink, "]"));
    } else if (plain(*c)) {
      AV_TRY(put(ctx, sink, ctx.in.read_while(plain)));
    } else {
      AV_TRY(put_special(ctx, sink, false));
    }
  }
  return ok();
}

// skip_comment consumes a comment whose "<!--" was already consumed.
Status skip_comment(const Ctx& ctx) {
  const std::size_t end = ctx.in.rest().find("--");
  if (end == std::string_view::npos) return ctx.fail(Errc::Truncated, "unterminated comment");
  (void)ctx.in.read_exact(end + 2);
  if (!ctx.in.consume_if('>')) return ctx.fail_short("'--' inside a comment");
  return ok();
}

enum class Markup : std::uint8_t { StartTag, EndTag, Comment, Cdata, Declaration, Pi, Cut };

// classify names the markup at the cursor, which is at '<'. Cut: input ends inside "<!--" or
// "<![CDATA[", or right after '<'.
Markup classify(std::string_view rest) {
  if (rest.size() < 2) return Markup::Cut;
  if (rest[1] == '/') return Markup::EndTag;
  if (rest[1] == '?') return Markup::Pi;
  if (rest[1] != '!') return Markup::StartTag;
  if (rest.starts_with(kCommentOpen)) return Markup::Comment;
  if (rest.starts_with(kCdataOpen)) return Markup::Cdata;
  if (kCommentOpen.starts_with(rest) || kCdataOpen.starts_with(rest)) return Markup::Cut;
  return Markup::Declaration;
}

// fail_markup is the error for markup that may not appear where it is.
Error fail_markup(const Ctx& ctx, Markup kind, std::string_view context) {
  switch (kind) {
    case Markup::Declaration:
      return ctx.fail(Errc::Unsupported, "markup declarations (doctype, entity) are not allowed");
    case Markup::Pi: return ctx.fail(Errc::Unsupported, "processing instructions are not allowed");
    case Markup::Cut: return ctx.fail(Errc::Truncated, "input ends inside markup");
    default: return ctx.fail(Errc::Parse, context);
  }
}

// read_end_tag_name reads `</name S? >` and returns the name.
Result<std::string_view> read_end_tag_name(const Ctx& ctx) {
  (void)ctx.in.read_exact(2);
  AV_TRY_ASSIGN(const std::string_view name, read_name(ctx));
  (void)ctx.in.read_while(is_xml_space);
  if (!ctx.in.consume_if('>')) return ctx.fail_short("expected '>' to close the end tag");
  return name;
}

// read_attribute reads `name S? = S? "value"` (the leading whitespace already consumed).
Status read_attribute(const Ctx& ctx, std::vector<Attribute>& attributes) {
  if (attributes.size() >= limits::kMaxXmlAttributes) {
    return ctx.fail(Errc::TooLarge, "more than " + std::to_string(limits::kMaxXmlAttributes) +
                                        " attributes on one element");
  }
  const std::size_t start = ctx.in.offset();
  AV_TRY_ASSIGN(const std::string_view name, read_name(ctx));
  for (const Attribute& a : attributes) {
    if (a.name == name) {
      return ctx.fail_at(start, Errc::Parse, "duplicate attribute " + ascii::quote_for_terminal(name));
    }
  }
  (void)ctx.in.read_while(is_xml_space);
  if (!ctx.in.consume_if('=')) return ctx.fail_short("expected '=' after an attribute name");
  (void)ctx.in.read_while(is_xml_space);
  const char quote = ctx.in.consume_if('"') ? '"' : (ctx.in.consume_if('\'') ? '\'' : '\0');
  if (quote == '\0') return ctx.fail_short("expected a quoted attribute value");
  Attribute attribute{name, {}};
  StringSink sink(attribute.value, limits::kMaxXmlTextBytes);
  AV_TRY(decode_run(ctx, sink, quote));
  (void)ctx.in.read_char();  // the closing quote
  attributes.push_back(std::move(attribute));
  return ok();
}

// read_attributes reads the rest of a start tag; true when it was self-closing ("/>").
Result<bool> read_attributes(const Ctx& ctx, std::vector<Attribute>& attributes) {
  while (true) {
    const bool spaced = !ctx.in.read_while(is_xml_space).empty();
    auto c = ctx.in.peek();
    if (!c) return ctx.fail(Errc::Truncated, "unterminated start tag");
    if (ctx.in.consume_if('>')) return false;
    if (ctx.in.consume_if('/')) {
      if (!ctx.in.consume_if('>')) return ctx.fail_short("expected '>' after '/'");
      return true;
    }
    if (!spaced) return ctx.fail(Errc::Parse, "expected whitespace before an attribute");
    AV_TRY(read_attribute(ctx, attributes));
  }
}

// read_pseudo_attribute reads ` name="value"` from an XML declaration, or nothing (nullopt) if
// the declaration does not continue with `name`.
Result<std::optional<std::string_view>> read_pseudo_attribute(const Ctx& ctx, TextReader& decl,
                                                              std::string_view name) {
  TextReader probe = decl;
  if (probe.read_while(is_xml_space).empty() || !probe.consume_literal(name)) {
    return std::optional<std::string_view>{};
  }
  (void)probe.read_while(is_xml_space);
  if (!probe.consume_if('=')) return ctx.fail(Errc::Parse, "malformed xml declaration");
  (void)probe.read_while(is_xml_space);
  auto quote = probe.read_char();
  if (!quote || (*quote != '"' && *quote != '\'')) {
    return ctx.fail(Errc::Parse, "malformed xml declaration");
  }
  auto value = probe.read_until(*quote, kMaxDeclarationChars);
  if (!value) return ctx.fail(Errc::Parse, "malformed xml declaration");
  decl = probe;
  return std::optional<std::string_view>{*value};
}

// read_declaration reads `<?xml version="1.x" [encoding="UTF-8"] [standalone="yes|no"] ?>`.
Status read_declaration(const Ctx& ctx) {
  const std::size_t end = ctx.in.rest().find("?>");
  if (end == std::string_view::npos) return ctx.fail(Errc::Truncated, "unterminated xml declaration");
  if (end > kMaxDeclarationChars) return ctx.fail(Errc::TooLarge, "xml declaration too long");
  TextReader decl(ctx.in.rest().substr(5, end - 5));  // after "<?xml"
  AV_TRY_ASSIGN(auto version, read_pseudo_attribute(ctx, decl, "version"));
  if (!version || version->size() < 3 || !version->starts_with("1.") ||
      version->find_first_not_of("0123456789", 2) != std::string_view::npos) {
    return ctx.fail(Errc::Parse, "xml declaration without a valid version");
  }
  AV_TRY_ASSIGN(auto encoding, read_pseudo_attribute(ctx, decl, "encoding"));
  if (encoding && !ascii::iequals(*encoding, "utf-8")) {
    return ctx.fail(Errc::Unsupported, "encoding " + ascii::quote_for_terminal(*encoding) +
                                           " is not supported (only utf-8)");
  }
  AV_TRY_ASSIGN(auto standalone, read_pseudo_attribute(ctx, decl, "standalone"));
  if (standalone && *standalone != "yes" && *standalone != "no") {
    return ctx.fail(Errc::Parse, "malformed xml declaration");
  }
  (void)decl.read_while(is_xml_space);
  if (!decl.empty()) return ctx.fail(Errc::Parse, "malformed xml declaration");
  (void)ctx.in.read_exact(end + 2);
  return ok();
}

}  // namespace

std::string_view Event::local_name() const noexcept {
  const std::size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

const std::string* Event::attribute(std::string_view attr_name) const noexcept {
  for (const Attribute& a : attributes) {
    if (a.name == attr_name) return &a.value;
  }
  return nullptr;
}

Error Reader::remember(Error error) {
  state_ = State::Failed;
  failure_ = error;
  return error;
}

void Reader::close_element() {
  open_.pop_back();
  if (open_.empty()) state_ = State::Epilog;
}

Result<Event> Reader::next() {
  if (failure_) return *failure_;
  after_start_ = false;
  auto event = next_unchecked();
  if (!event) return remember(std::move(event).error());
  after_start_ = event->kind == EventKind::StartElement;
  return event;
}

Result<Event> Reader::next_unchecked() {
  switch (state_) {
    case State::Start: return read_prolog();
    case State::Body: return next_in_body();
    case State::Epilog: return read_epilog();
    case State::Failed: break;
  }
  AV_CHECK(false);  // failure_ is set whenever state_ is Failed
  return Error{Errc::Internal, "xml: unreachable"};
}

Result<Event> Reader::read_prolog() {
  const Ctx ctx{doc_, in_};
  if (doc_.size() > limits::kMaxXmlBytes) {
    return ctx.fail(Errc::TooLarge,
                    "document larger than " + std::to_string(limits::kMaxXmlBytes) + " bytes");
  }
  (void)in_.consume_literal(kBom);
  const std::string_view rest = in_.rest();
  if (rest.starts_with("<?xml") && rest.size() > 5 && is_xml_space(rest[5])) {
    AV_TRY(read_declaration(ctx));
  }
  while (true) {
    (void)in_.read_while(is_xml_space);
    auto c = in_.peek();
    if (!c) return ctx.fail(Errc::Truncated, "no root element");
    if (*c != '<') return ctx.fail(Errc::Parse, "text before the root element");
    const Markup kind = classify(in_.rest());
    if (kind == Markup::StartTag) return read_start_tag();
    if (kind != Markup::Comment) return fail_markup(ctx, kind, "expected the root element");
    (void)in_.read_exact(kCommentOpen.size());
    AV_TRY(skip_comment(ctx));
  }
}

Result<Event> Reader::read_epilog() {
  const Ctx ctx{doc_, in_};
  while (true) {
    (void)in_.read_while(is_xml_space);
    if (in_.empty()) return Event{};
    if (*in_.peek() != '<') return ctx.fail(Errc::Parse, "text after the root element");
    const Markup kind = classify(in_.rest());
    if (kind != Markup::Comment) return fail_markup(ctx, kind, "content after the root element");
    (void)in_.read_exact(kCommentOpen.size());
    AV_TRY(skip_comment(ctx));
  }
}

Result<Event> Reader::next_in_body() {
  const Ctx ctx{doc_, in_};
  if (pending_end_) {
    pending_end_ = false;
    Event event{EventKind::EndElement, open_.back(), {}, {}};
    close_element();
    return event;
  }
  while (true) {
    auto c = in_.peek();
    if (!c) return ctx.fail(Errc::Truncated, "unclosed element " + ascii::quote_for_terminal(open_.back()));
    Event text{EventKind::Text, {}, {}, {}};
    StringSink sink(text.text, limits::kMaxXmlTextBytes);
    if (*c != '<') {
      AV_TRY(decode_run(ctx, sink, '\0'));
      return text;
    }
    const Markup kind = classify(in_.rest());
    if (kind == Markup::StartTag) return read_start_tag();
    if (kind == Markup::EndTag) return read_end_tag();
    if (kind == Markup::Cdata) {
      (void)in_.read_exact(kCdataOpen.size());
      AV_TRY(decode_cdata(ctx, sink));
      return text;
    }
    if (kind != Markup::Comment) return fail_markup(ctx, kind, "unexpected markup");
    (void)in_.read_exact(kCommentOpen.size());
    AV_TRY(skip_comment(ctx));
  }
}

Result<Event> Reader::read_start_tag() {
  const Ctx ctx{doc_, in_};
  const std::size_t start = in_.offset();
  (void)in_.read_char();  // '<'
  AV_TRY_ASSIGN(const std::string_view name, read_name(ctx));
  if (open_.size() >= limits::kMaxXmlDepth) {
    return ctx.fail_at(start, Errc::TooLarge, "elements nested deeper than " +
                                                  std::to_string(limits::kMaxXmlDepth));
  }
  Event event{EventKind::StartElement, name, {}, {}};
  AV_TRY_ASSIGN(pending_end_, read_attributes(ctx, event.attributes));
  open_.push_back(name);
  state_ = State::Body;
  return event;
}

Result<Event> Reader::read_end_tag() {
  const Ctx ctx{doc_, in_};
  const std::size_t start = in_.offset();
  AV_TRY_ASSIGN(const std::string_view name, read_end_tag_name(ctx));
  if (name != open_.back()) {
    return ctx.fail_at(start, Errc::Parse, "end tag " + ascii::quote_for_terminal(name) +
                                               " does not match " +
                                               ascii::quote_for_terminal(open_.back()));
  }
  Event event{EventKind::EndElement, name, {}, {}};
  close_element();
  return event;
}

template <class Sink>
Status Reader::read_content(Sink& sink) {
  const Ctx ctx{doc_, in_};
  while (true) {
    AV_TRY(decode_run(ctx, sink, '\0'));
    if (in_.empty()) {
      return ctx.fail(Errc::Truncated, "unclosed element " + ascii::quote_for_terminal(open_.back()));
    }
    const std::size_t start = in_.offset();
    const Markup kind = classify(in_.rest());
    if (kind == Markup::EndTag) {
      AV_TRY_ASSIGN(const std::string_view name, read_end_tag_name(ctx));
      if (name == open_.back()) return ok();
      return ctx.fail_at(start, Errc::Parse, "end tag " + ascii::quote_for_terminal(name) +
                                                 " does not match " +
                                                 ascii::quote_for_terminal(open_.back()));
    }
    if (kind == Markup::Comment) {
      (void)in_.read_exact(kCommentOpen.size());
      AV_TRY(skip_comment(ctx));
    } else if (kind == Markup::Cdata) {
      (void)in_.read_exact(kCdataOpen.size());
      AV_TRY(decode_cdata(ctx, sink));
    } else {
      return fail_markup(ctx, kind, "child element inside text-only element " +
                                        ascii::quote_for_terminal(open_.back()));
    }
  }
}

Result<std::string> Reader::read_text() {
  if (failure_) return *failure_;
  AV_CHECK(after_start_);
  after_start_ = false;
  std::string out;
  if (!pending_end_) {
    StringSink sink(out, limits::kMaxXmlTextBytes);
    auto status = read_content(sink);
    if (!status) return remember(std::move(status).error());
  }
  pending_end_ = false;
  close_element();
  return out;
}

Result<secure::SecretString> Reader::read_secret_text() {
  if (failure_) return *failure_;
  AV_CHECK(after_start_);
  after_start_ = false;
  if (pending_end_) {
    pending_end_ = false;
    close_element();
    return secure::SecretString{};
  }
  const TextReader saved = in_;
  CountSink count(limits::kMaxSecretBytes);
  auto measured = read_content(count);
  if (!measured) return remember(std::move(measured).error());
  in_ = saved;
  secure::SecretString secret(count.len());
  SecretSink sink(secret);
  auto decoded = read_content(sink);
  AV_CHECK(decoded.has_value());  // the same bytes passed the measuring pass
  close_element();
  return secret;
}

Status Reader::skip_element() {
  if (failure_) return *failure_;
  AV_CHECK(after_start_);
  const std::size_t outer = open_.size() - 1;
  while (open_.size() > outer) {
    auto event = next();
    if (!event) return std::move(event).error();
  }
  return ok();
}

}  // namespace av::codec::xml
