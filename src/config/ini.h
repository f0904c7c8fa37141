// ini.h: the AWS config INI dialect (spec cli.md §3.2) parsed into a lossless document model.
//
// parse_ini reads the dialect upstream aws-vault reads through gopkg.in/ini.v1, with the
// differences recorded in docs/COMPATIBILITY.md (no `[a.b]` -> `[a]` key inheritance, no
// `%(x)s` interpolation, NUL and bare CR rejected, quoted keys taken literally). The parser is
// pure: text in, IniDocument out; no I/O, no logging.
//
// The document keeps every section header occurrence in file order with its line span and byte
// span in the original text, so a writer can edit without touching other bytes (ini_writer.h).
// On top of the occurrences it offers the merged view callers normally want: repeated sections
// merged at the position of their first occurrence, repeated keys collapsed to the last value at
// the position of their first appearance, lookups by section name and (case-insensitive) key.
//
//   AV_TRY_ASSIGN(auto doc, config::parse_ini(text));
//   if (auto section = doc.find_section("profile dev")) {
//     if (auto region = section->value("region")) use(*region);
//   }
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace av::config {

// The name of the implicit section holding keys before the first header (ini.v1's DEFAULT).
inline constexpr std::string_view kIniDefaultSection = "DEFAULT";

// IniSpan: where something sits in the original text. Lines are 1-based and inclusive; bytes
// are offsets into the original text, [begin, end), the end including the last line break.
// An empty span (the implicit section of a file that starts with a header) has
// last_line == first_line - 1 and begin == end.
struct IniSpan {
  std::size_t first_line = 1;
  std::size_t last_line = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
};

// IniKey: one key line (with the lines its value or nested values took).
struct IniKey {
  std::string name;                 // trimmed, ASCII lower-cased; never empty
  std::string value;                // after the value rules of spec §3.2 (bytes, maybe not UTF-8)
  std::vector<std::string> nested;  // indented lines after an empty value, trimmed, opaque
  IniSpan span;
};

// IniSection: one section header occurrence and the key lines up to the next header.
struct IniSection {
  std::string name;  // verbatim text between `[` and the last `]` (not trimmed, case kept)
  bool implicit = false;  // the headerless DEFAULT section before the first header
  IniSpan span;           // header line (first line of the file if implicit) .. next header
  std::vector<IniKey> keys;  // every key line in file order, repeated keys kept
};

class IniDocument;

// IniSectionView: the merged view of every occurrence of one section name. A cheap handle that
// borrows its IniDocument, which must outlive it and stay unmodified.
class IniSectionView {
 public:
  std::string_view name() const noexcept;
  // occurrences lists indices into IniDocument::occurrences(), ascending (file order).
  std::span<const std::size_t> occurrences() const noexcept;
  // num_keys counts distinct key names; key(i) for i < num_keys() is the last definition of the
  // i-th distinct key, in order of the key's first appearance. i out of range is a bug (AV_CHECK).
  std::size_t num_keys() const noexcept;
  const IniKey& key(std::size_t i) const;
  // find_key looks `name` up ASCII case-insensitively; nullptr when absent. Never consults
  // another section (no `[a.b]` -> `[a]` fallback, no DEFAULT fallback).
  const IniKey* find_key(std::string_view name) const noexcept;
  // value is find_key(name)->value, or nullopt when the key is absent.
  std::optional<std::string_view> value(std::string_view name) const noexcept;

 private:
  friend class IniDocument;
  IniSectionView(const IniDocument* doc, std::size_t index) noexcept : doc_(doc), index_(index) {}
  const IniDocument* doc_;
  std::size_t index_;
};

// IniDocument: a parsed config file. Copyable and movable; holds no pointer into the text.
class IniDocument {
 public:
  // occurrences returns every section occurrence in file order; index 0 is always the implicit
  // DEFAULT section (possibly empty).
  const std::vector<IniSection>& occurrences() const noexcept { return occurrences_; }
  // num_sections counts distinct section names (the merged DEFAULT included, always first);
  // section(i) for i < num_sections() in order of first occurrence (out of range: AV_CHECK).
  std::size_t num_sections() const noexcept { return merged_.size(); }
  IniSectionView section(std::size_t i) const;
  // find_section looks a section up by exact (case-sensitive) name in O(1) expected time.
  std::optional<IniSectionView> find_section(std::string_view name) const noexcept;
  // source_size is the byte length of the text this document was parsed from.
  std::size_t source_size() const noexcept { return source_size_; }
  // content_begin is the offset after a skipped UTF-8 byte order mark (0 or 3).
  std::size_t content_begin() const noexcept { return content_begin_; }
  // num_key_lines counts key lines plus nested-value lines (the quantity limits::kMaxIniKeys caps).
  std::size_t num_key_lines() const noexcept { return num_key_lines_; }
  // line_break is "\r\n" when the text's first line ends with CRLF, else "\n".
  std::string_view line_break() const noexcept { return crlf_ ? "\r\n" : "\n"; }

 private:
  friend class IniSectionView;
  friend class IniParser;
  // The merged view is stored flat (a few vectors for the whole document, not a few per
  // section), so building it costs O(total lines) with a handful of allocations.
  struct KeyRef {
    std::size_t occurrence;
    std::size_t key;
  };
  struct Range {  // [begin, begin + size) of one of the flat vectors below
    std::size_t begin = 0;
    std::size_t size = 0;
  };
  struct Merged {
    Range occurrences;   // into occurrence_lists_, ascending
    Range keys;          // into merged_keys_: winners, in order of first appearance
    Range keys_by_name;  // into keys_by_name_ (offsets into `keys`, sorted by name); empty
                         // when the section has few keys (find_key then scans linearly)
  };
  struct MergeScratch;  // buffers reused across sections while building the merged view
  const IniKey& key_at(KeyRef ref) const { return occurrences_[ref.occurrence].keys[ref.key]; }
  std::string_view merged_name(std::size_t i) const {
    return occurrences_[occurrence_lists_[merged_[i].occurrences.begin]].name;
  }
  std::size_t find_merged(std::string_view name) const noexcept;
  void build_merged_view();
  void group_sections();
  void merge_keys(Merged& merged, MergeScratch& scratch);
  void merge_keys_linear(Merged& merged);
  void merge_keys_sorted(Merged& merged, MergeScratch& scratch);

  std::vector<IniSection> occurrences_;
  std::vector<Merged> merged_;                  // in order of first occurrence
  std::vector<std::size_t> occurrence_lists_;   // Merged::occurrences ranges
  std::vector<KeyRef> merged_keys_;             // Merged::keys ranges
  std::vector<std::size_t> keys_by_name_;       // Merged::keys_by_name ranges
  // Open-addressing hash table of section names (linear probing, power-of-two size): each slot
  // holds merged index + 1, 0 when empty.
  std::vector<std::size_t> section_slots_;
  std::size_t source_size_ = 0;
  std::size_t content_begin_ = 0;
  std::size_t num_key_lines_ = 0;
  bool crlf_ = false;
};

// parse_ini parses `text` (the whole AWS config file) as the dialect of spec §3.2.
// Errors name the 1-based line: Errc::Config for dialect errors (`line 7: unclosed section:
// "[profile x"`, `key-value delimiter not found`, `empty key name`, `empty section name`,
// unterminated `"""`/backtick values, NUL bytes, a CR not followed by LF, a UTF-16 byte order
// mark); Errc::TooLarge past limits::kMaxConfigFileBytes (no line), kMaxLineBytes,
// kMaxIniSections, kMaxIniKeys or kMaxIniValueBytes. Non-UTF-8 bytes are passed through.
Result<IniDocument> parse_ini(std::string_view text);

namespace detail {

// How the text after a key's delimiter is read when it fits on its line; shared by the parser
// and the writer (which checks that a value it writes reads back unchanged). Not for other modules.
enum class IniValueForm { Complete, TripleQuoted, Backticked, Continued };
struct IniLineValue {
  IniValueForm form = IniValueForm::Complete;
  // Complete: the final value. Otherwise: the part on this line (multi-line forms continue on
  // the next lines; Continued has its trailing backslash removed).
  std::string_view text;
};
// read_line_value applies spec §3.2's value rules to `after_delimiter` (one line, no line break).
IniLineValue read_line_value(std::string_view after_delimiter) noexcept;

}  // namespace detail

}  // namespace av::config
