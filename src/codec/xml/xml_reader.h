// xml_reader.h: a bounded pull reader for the XML subset AWS query APIs (STS, IAM) return.
//
// Accepted (XML 1.0, UTF-8 only): an optional UTF-8 byte order mark, an optional XML declaration
// (version 1.x, encoding UTF-8 if given, standalone yes/no), comments and whitespace around exactly
// one root element, elements with attributes, character data, the five predefined entities
// (&lt; &gt; &amp; &apos; &quot;), numeric character references naming a valid XML Char (emitted
// as UTF-8), and CDATA sections. Line ends are normalised to LF; in attribute values tab, LF and CR
// become spaces (XML 1.0 §2.11, §3.3.3). Namespace prefixes are kept as written ("soap:Body");
// xmlns attributes are ordinary attributes; nothing is resolved.
//
// Refused, with Errc::Unsupported: DOCTYPE and every other markup declaration (<!ENTITY ...>, so
// no entity expansion of any kind), processing instructions other than the leading declaration,
// and declared encodings other than UTF-8.
// Refused, with Errc::Parse: anything else outside the grammar: invalid UTF-8, control characters,
// U+FFFE/U+FFFF, unknown entities, references to invalid code points, "]]>" in text, "--" inside a
// comment, mismatched or unclosed tags, duplicate attributes, text or a second element outside the
// root. Input that ends inside a construct is Errc::Truncated. Limits (Errc::TooLarge):
// kMaxXmlBytes for the document, kMaxXmlDepth for element nesting, kMaxXmlNameBytes per name,
// kMaxXmlAttributes per element, kMaxXmlTextBytes per decoded text or attribute value, and
// kMaxSecretBytes for text read with read_secret_text().
//
// Every error message reads `xml: line L col C: <what>` (1-based; columns count bytes) and never
// quotes document text other than element names (escaped with ascii::quote_for_terminal), so secret
// text cannot leak into a message. After an error the reader is spent: every later call returns
// the same error.
//
// The reader is pure (no I/O, logging or globals) and never recurses on input depth.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/text_reader.h"
#include "secure/secret.h"

namespace av::codec::xml {

// Attribute: one attribute of a start tag. `name` is borrowed from the document as written
// (prefix included); `value` is decoded.
struct Attribute {
  std::string_view name;
  std::string value;
};

enum class EventKind : std::uint8_t { StartElement, EndElement, Text, EndOfDocument };

// Event: what next() found. StartElement and EndElement carry `name` (borrowed from the document,
// prefix included); StartElement also carries its attributes in document order. Text carries one
// decoded run of character data or one CDATA section in `text` (adjacent runs separated by a
// comment arrive as separate events). A self-closing tag `<a/>` yields StartElement then
// EndElement.
struct Event {
  EventKind kind = EventKind::EndOfDocument;
  std::string_view name;
  std::vector<Attribute> attributes;
  std::string text;

  // local_name is `name` without its namespace prefix ("s:Body" -> "Body").
  std::string_view local_name() const noexcept;
  // attribute returns the value of the attribute named exactly `attr_name`, or nullptr.
  const std::string* attribute(std::string_view attr_name) const noexcept;
};

// Reader: pulls events from one document it borrows (the bytes may live in secure memory; the
// reader copies out only names' views and the text the caller asks for).
class Reader {
 public:
  // Reader borrows `document`, which must outlive the reader and every Event it returns.
  explicit Reader(std::string_view document) noexcept : doc_(document), in_(document) {}

  // next returns the next event; EndOfDocument (repeatedly) once the root element has closed and
  // only comments and whitespace followed. Errors as in the file comment.
  [[nodiscard]] Result<Event> next();

  // read_text must be called right after next() returned a StartElement (a bug otherwise). It
  // reads the element's whole content as decoded text (character data and CDATA concatenated,
  // comments skipped) and consumes its end tag. A child element is Errc::Parse; more than
  // kMaxXmlTextBytes of text is Errc::TooLarge.
  [[nodiscard]] Result<std::string> read_text();

  // read_secret_text is read_text into locked memory: the text is measured by a validating pass
  // that stores nothing, then decoded straight from the document into a SecretString of exactly
  // that capacity, so it never passes through std::string. Over kMaxSecretBytes is TooLarge.
  [[nodiscard]] Result<secure::SecretString> read_secret_text();

  // skip_element must be called right after next() returned a StartElement (a bug otherwise); it
  // consumes everything up to and including the matching end tag, validating it as next() does.
  [[nodiscard]] Status skip_element();

  // depth is the number of open elements.
  std::size_t depth() const noexcept { return open_.size(); }

 private:
  enum class State : std::uint8_t { Start, Body, Epilog, Failed };

  Result<Event> next_unchecked();
  Result<Event> next_in_body();
  Result<Event> read_start_tag();
  Result<Event> read_end_tag();
  Result<Event> read_epilog();
  Result<Event> read_prolog();
  void close_element();
  template <class Sink>
  Status read_content(Sink& sink);
  Error remember(Error error);

  std::string_view doc_;
  TextReader in_;
  State state_ = State::Start;
  std::vector<std::string_view> open_;
  bool pending_end_ = false;    // the last StartElement was self-closing
  bool after_start_ = false;    // the last event was a StartElement
  std::optional<Error> failure_;
};

}  // namespace av::codec::xml
