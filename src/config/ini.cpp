#include "config/ini.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <numeric>
#include <string>
#include <utility>

#include "base/ascii.h"
#include "base/limits.h"
#include "base/text_reader.h"

namespace av::config {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kTripleQuote = R"(""")";

std::string_view trim_left(std::string_view text) noexcept {
  while (!text.empty() && ascii::is_space(text.front())) text.remove_prefix(1);
  return text;
}

// compare_key_names orders an (already lower-case) stored name against a query that is
// lower-cased on the fly, so lookups need no allocation.
int compare_key_names(std::string_view stored, std::string_view query) noexcept {
  const std::size_t n = std::min(stored.size(), query.size());
  for (std::size_t i = 0; i < n; ++i) {
    const char a = stored[i];
    const char b = ascii::to_lower(query[i]);
    if (a != b) return static_cast<unsigned char>(a) < static_cast<unsigned char>(b) ? -1 : 1;
  }
  if (stored.size() == query.size()) return 0;
  return stored.size() < query.size() ? -1 : 1;
}

// has_surrounding_quote: ini.v1 strips one pair of `q` only when `q` occurs nowhere else.
bool has_surrounding_quote(std::string_view v, char q) noexcept {
  return v.size() >= 2 && v.front() == q && v.back() == q && v.find(q, 1) == v.size() - 1;
}

// strip_inline_comment: quirk kept from ini.v1's SpaceBeforeInlineComment option. A comment
// starts at the first " #" (or, when there is none, the first " ;"); a `#` without a space
// before it (`https://x/start#/`) is part of the value.
std::string_view strip_inline_comment(std::string_view v) noexcept {
  std::size_t at = v.find(" #");
  if (at == std::string_view::npos) at = v.find(" ;");
  if (at == std::string_view::npos) return v;
  return ascii::trim(v.substr(0, at));
}

std::string line_prefix(std::size_t line) { return "line " + std::to_string(line) + ": "; }

// first_bare_cr: the offset of the first CR not followed by LF, or npos.
std::size_t first_bare_cr(std::string_view text) noexcept {
  for (std::size_t at = text.find('\r'); at != std::string_view::npos; at = text.find('\r', at + 1)) {
    if (at + 1 == text.size() || text[at + 1] != '\n') return at;
  }
  return std::string_view::npos;
}

// count_char counts `c` in `text` with one library search per occurrence (fast for rare `c`).
std::size_t count_char(std::string_view text, char c) noexcept {
  std::size_t count = 0;
  for (std::size_t at = text.find(c); at != std::string_view::npos; at = text.find(c, at + 1)) ++count;
  return count;
}

}  // namespace

namespace detail {

IniLineValue read_line_value(std::string_view after_delimiter) noexcept {
  std::string_view v = trim_left(after_delimiter);
  if (v.starts_with(kTripleQuote)) {
    const std::string_view rest = v.substr(kTripleQuote.size());
    const std::size_t close = rest.rfind(kTripleQuote);
    if (close == std::string_view::npos) return {IniValueForm::TripleQuoted, rest};
    return {IniValueForm::Complete, rest.substr(0, close)};
  }
  if (v.starts_with('`')) {
    const std::string_view rest = v.substr(1);
    const std::size_t close = rest.rfind('`');
    if (close == std::string_view::npos) return {IniValueForm::Backticked, rest};
    return {IniValueForm::Complete, rest.substr(0, close)};
  }
  v = ascii::trim(v);
  if (v.ends_with('\\')) return {IniValueForm::Continued, v.substr(0, v.size() - 1)};
  v = strip_inline_comment(v);
  if (has_surrounding_quote(v, '\'') || has_surrounding_quote(v, '"')) {
    v = v.substr(1, v.size() - 2);
  }
  return {IniValueForm::Complete, v};
}

}  // namespace detail

// IniParser: one pass over the lines of the text, building IniDocument::occurrences_.
class IniParser {
 public:
  explicit IniParser(std::string_view text) : text_(text), reader_(text) {}
  Result<IniDocument> run();

 private:
  struct Line {
    std::string_view text;  // without its line break
    std::size_t number = 0;
    std::size_t begin = 0;
    std::size_t end = 0;  // after the line break
  };

  Status skip_byte_order_mark();
  Result<std::optional<Line>> next_line();
  Status check_line(const Line& line) const;
  Status parse_line(const Line& line);
  Status start_section(std::string_view trimmed, const Line& line);
  Status parse_key(std::string_view trimmed, const Line& line);
  Status add_nested_value(const Line& line);
  Result<std::string> read_value(std::string_view after_delimiter, const Line& line);
  Result<std::string> read_quoted(std::string_view first, std::string_view quote, const Line& line);
  Result<std::string> read_continued(std::string_view first, const Line& line);
  Status check_value_size(const std::string& value, const Line& line) const;
  Status count_key(const Line& line);
  void close_section(std::size_t last_line, std::size_t end);

  std::string_view text_;
  TextReader reader_;
  IniDocument doc_;
  // Offsets of the first NUL and the first CR not followed by LF in the text (npos if none),
  // found once up front rather than searched for in every line.
  std::size_t first_nul_ = std::string_view::npos;
  std::size_t first_bare_cr_ = std::string_view::npos;
  // The keys of the current section, moved into it (one exact allocation) when it closes.
  std::vector<IniKey> pending_keys_;
  std::size_t line_number_ = 0;
  std::size_t num_keys_ = 0;
  bool saw_line_break_ = false;
  bool last_value_empty_ = false;  // ini.v1: nested values may follow a key with an empty value
  // The last line that contributed to the value read_value returned (a blank line that ends a
  // continuation is consumed but not part of the value's span).
  std::size_t value_last_line_ = 0;
  std::size_t value_end_ = 0;
};

Status IniParser::skip_byte_order_mark() {
  // ini.v1 skips UTF-16 byte order marks and then reads NUL-riddled text; we refuse it clearly.
  if (text_.starts_with("\xFE\xFF") || text_.starts_with("\xFF\xFE")) {
    return Error{Errc::Config, "line 1: UTF-16 byte order mark: the config file must be UTF-8"};
  }
  if (reader_.consume_literal(kUtf8Bom)) doc_.content_begin_ = kUtf8Bom.size();
  return ok();
}

Status IniParser::check_line(const Line& line) const {
  const std::size_t number = line.number;
  if (line.text.size() > limits::kMaxLineBytes) {
    return Error{Errc::TooLarge, line_prefix(number) + "line longer than " +
                                     std::to_string(limits::kMaxLineBytes) + " bytes"};
  }
  const auto in_line = [&line](std::size_t at) { return at >= line.begin && at < line.end; };
  if (in_line(first_nul_)) {
    return Error{Errc::Config, line_prefix(number) + "NUL byte in the config file"};
  }
  if (in_line(first_bare_cr_)) {
    return Error{Errc::Config, line_prefix(number) + "carriage return not followed by a line feed"};
  }
  return ok();
}

Result<std::optional<IniParser::Line>> IniParser::next_line() {
  if (reader_.empty()) return std::optional<Line>{};
  Line line;
  line.begin = reader_.offset();
  line.number = ++line_number_;
  const std::size_t length = std::min(reader_.rest().find('\n'), reader_.remaining());
  AV_TRY_ASSIGN(line.text, reader_.read_exact(length));
  const bool has_break = reader_.consume_if('\n');
  line.end = reader_.offset();
  const bool crlf = has_break && line.text.ends_with('\r');
  if (crlf) line.text.remove_suffix(1);
  if (has_break && !saw_line_break_) {
    saw_line_break_ = true;
    doc_.crlf_ = crlf;
  }
  AV_TRY(check_line(line));
  return std::optional<Line>{line};
}

void IniParser::close_section(std::size_t last_line, std::size_t end) {
  IniSection& current = doc_.occurrences_.back();
  current.span.last_line = last_line;
  current.span.end = end;
  current.keys.reserve(pending_keys_.size());
  std::move(pending_keys_.begin(), pending_keys_.end(), std::back_inserter(current.keys));
  pending_keys_.clear();
}

Result<IniDocument> IniParser::run() {
  if (text_.size() > limits::kMaxConfigFileBytes) {
    return Error{Errc::TooLarge, "config file larger than " +
                                     std::to_string(limits::kMaxConfigFileBytes) + " bytes"};
  }
  AV_TRY(skip_byte_order_mark());
  doc_.source_size_ = text_.size();
  first_nul_ = text_.find('\0');
  first_bare_cr_ = first_bare_cr(text_);
  // Every header line holds a `[`: a cheap upper bound that spares the vector's regrowth.
  doc_.occurrences_.reserve(std::min(count_char(text_, '['), limits::kMaxIniSections) + 1);
  IniSection implicit;
  implicit.name = std::string(kIniDefaultSection);
  implicit.implicit = true;
  implicit.span = IniSpan{1, 0, reader_.offset(), reader_.offset()};
  doc_.occurrences_.push_back(std::move(implicit));
  for (;;) {
    AV_TRY_ASSIGN(const std::optional<Line> line, next_line());
    if (!line) break;
    AV_TRY(parse_line(*line));
  }
  close_section(line_number_, text_.size());
  doc_.num_key_lines_ = num_keys_;
  doc_.build_merged_view();
  return std::move(doc_);
}

Status IniParser::parse_line(const Line& line) {
  // Quirk kept from ini.v1's AllowNestedValues: after a key with an empty value, an indented
  // line (even a blank or comment-looking one) is an opaque nested value of that key.
  const bool indented = !line.text.empty() && (line.text[0] == ' ' || line.text[0] == '\t');
  if (last_value_empty_ && indented) return add_nested_value(line);
  const std::string_view trimmed = trim_left(line.text);
  if (trimmed.empty() || trimmed[0] == '#' || trimmed[0] == ';') return ok();
  if (trimmed[0] == '[') return start_section(trimmed, line);
  return parse_key(trimmed, line);
}

Status IniParser::add_nested_value(const Line& line) {
  AV_TRY(count_key(line));
  IniKey& key = pending_keys_.back();
  key.nested.emplace_back(ascii::trim(line.text));
  key.span.last_line = line.number;
  key.span.end = line.end;
  return ok();
}

Status IniParser::start_section(std::string_view trimmed, const Line& line) {
  const std::size_t close = trimmed.rfind(']');
  if (close == std::string_view::npos) {
    return Error{Errc::Config,
                 line_prefix(line.number) + "unclosed section: " + ascii::quote_for_terminal(trimmed)};
  }
  if (close == 1) return Error{Errc::Config, line_prefix(line.number) + "empty section name"};
  if (doc_.occurrences_.size() > limits::kMaxIniSections) {
    return Error{Errc::TooLarge, line_prefix(line.number) + "more than " +
                                     std::to_string(limits::kMaxIniSections) + " sections"};
  }
  close_section(line.number - 1, line.begin);
  IniSection section;
  section.name = std::string(trimmed.substr(1, close - 1));
  section.span = IniSpan{line.number, line.number, line.begin, line.end};
  doc_.occurrences_.push_back(std::move(section));
  last_value_empty_ = false;
  return ok();
}

Status IniParser::count_key(const Line& line) {
  if (++num_keys_ > limits::kMaxIniKeys) {
    return Error{Errc::TooLarge, line_prefix(line.number) + "more than " +
                                     std::to_string(limits::kMaxIniKeys) + " keys"};
  }
  return ok();
}

Status IniParser::parse_key(std::string_view trimmed, const Line& line) {
  // Both ini.v1 and the AWS CLI split at the first `=` or `:`. Quoted key names are taken
  // literally, as the AWS CLI does (docs/COMPATIBILITY.md).
  const std::size_t delimiter = trimmed.find_first_of("=:");
  if (delimiter == std::string_view::npos) {
    return Error{Errc::Config, line_prefix(line.number) + "key-value delimiter not found: " +
                                   ascii::quote_for_terminal(trimmed)};
  }
  if (delimiter == 0) {
    return Error{Errc::Config,
                 line_prefix(line.number) + "empty key name: " + ascii::quote_for_terminal(trimmed)};
  }
  AV_TRY(count_key(line));
  IniKey& key = pending_keys_.emplace_back();  // built in place (a failure fails the parse)
  key.name.assign(ascii::trim(trimmed.substr(0, delimiter)));
  for (char& c : key.name) c = ascii::to_lower(c);
  AV_TRY_ASSIGN(key.value, read_value(trimmed.substr(delimiter + 1), line));
  key.span = IniSpan{line.number, value_last_line_, line.begin, value_end_};
  last_value_empty_ = key.value.empty();
  return ok();
}

Result<std::string> IniParser::read_value(std::string_view after_delimiter, const Line& line) {
  const detail::IniLineValue first = detail::read_line_value(after_delimiter);
  value_last_line_ = line.number;
  value_end_ = line.end;
  switch (first.form) {
    case detail::IniValueForm::Complete:
      return std::string(first.text);
    case detail::IniValueForm::TripleQuoted:
      return read_quoted(first.text, kTripleQuote, line);
    case detail::IniValueForm::Backticked:
      return read_quoted(first.text, "`", line);
    case detail::IniValueForm::Continued:
      return read_continued(first.text, line);
  }
  AV_CHECK(false);
  return std::string();
}

Status IniParser::check_value_size(const std::string& value, const Line& line) const {
  if (value.size() <= limits::kMaxIniValueBytes) return ok();
  return Error{Errc::TooLarge, line_prefix(line.number) + "value longer than " +
                                   std::to_string(limits::kMaxIniValueBytes) + " bytes"};
}

// read_quoted: a `"""` or backtick value spanning lines runs to the last `quote` on the first
// line that has one; text after it is ignored (ini.v1 keeps it as a comment). Lines are joined
// with "\n" whatever the file's line breaks (ini.v1 would keep a CR in CRLF files).
Result<std::string> IniParser::read_quoted(std::string_view first, std::string_view quote,
                                           const Line& line) {
  std::string value(first);
  for (;;) {
    AV_TRY_ASSIGN(const std::optional<Line> next, next_line());
    if (!next) {
      return Error{Errc::Config, line_prefix(line.number) + "value opened with " + std::string(quote) +
                                     " is not closed before the end of the file"};
    }
    value += '\n';
    value_last_line_ = next->number;
    value_end_ = next->end;
    const std::size_t close = next->text.rfind(quote);
    value += next->text.substr(0, close);
    AV_TRY(check_value_size(value, line));
    if (close != std::string_view::npos) return value;
  }
}

// read_continued: quirk kept from ini.v1: a value ending in `\` continues with the next line
// (trimmed), for as long as the joined value ends in `\`; an empty line or the end of the file
// stops it. The joined value gets no comment or quote processing.
Result<std::string> IniParser::read_continued(std::string_view first, const Line& line) {
  std::string value(first);
  for (;;) {
    AV_TRY_ASSIGN(const std::optional<Line> next, next_line());
    if (!next) return value;
    const std::string_view piece = ascii::trim(next->text);
    if (piece.empty()) return value;
    value += piece;
    value_last_line_ = next->number;
    value_end_ = next->end;
    AV_TRY(check_value_size(value, line));
    if (!value.ends_with('\\')) return value;
    value.pop_back();
  }
}

Result<IniDocument> parse_ini(std::string_view text) { return IniParser(text).run(); }

// --- Merged view -----------------------------------------------------------------------------

namespace {

// Sections with at most this many key lines are merged, and looked up, by linear scan: cheaper
// than sorting for the few keys a profile has.
constexpr std::size_t kLinearKeyLimit = 16;
// A section-table slot: the high half of the name's hash over (merged index + 1) in the low half.
constexpr std::uint64_t kSlotIndexMask = 0xFFFF'FFFFu;
constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

std::uint64_t hash_section_name(std::string_view name) noexcept {
  return static_cast<std::uint64_t>(std::hash<std::string_view>{}(name));
}

// probe_slots finds `name` in the linear-probing table `slots`; `name_of(index)` gives a stored
// index's name. Returns the index, or kNotFound with *empty set to the free slot it stopped at.
template <class NameOf>
std::size_t probe_slots(const std::vector<std::uint64_t>& slots, std::string_view name,
                        std::uint64_t hash, NameOf name_of, std::size_t* empty) noexcept {
  const std::size_t mask = slots.size() - 1;
  const std::uint64_t tag = hash & ~kSlotIndexMask;
  for (auto slot = static_cast<std::size_t>(hash) & mask;; slot = (slot + 1) & mask) {
    const std::uint64_t entry = slots[slot];
    if (entry == 0) {
      if (empty != nullptr) *empty = slot;
      return kNotFound;
    }
    const auto index = static_cast<std::size_t>((entry & kSlotIndexMask) - 1);
    if ((entry & ~kSlotIndexMask) == tag && name_of(index) == name) return index;
  }
}

}  // namespace

struct IniDocument::MergeScratch {
  std::vector<KeyRef> all;            // every key line of a section's occurrences, in file order
  std::vector<std::size_t> order;     // indices into `all`, stably sorted by name
  std::vector<std::pair<std::size_t, KeyRef>> winners;  // (first line, last definition), by name
  std::vector<std::size_t> by_position;                 // indices into winners, by first line
};

// group_sections assigns each occurrence to its merged section (hash table on the name) and
// lays the occurrence lists out flat, each ascending.
void IniDocument::group_sections() {
  const std::size_t n = occurrences_.size();
  std::size_t table_size = 16;
  while (table_size < 2 * n) table_size *= 2;
  section_slots_.assign(table_size, 0);
  merged_.clear();
  merged_.reserve(n);
  std::vector<std::size_t> group(n);
  // While grouping, Merged::occurrences.begin holds the section's first occurrence.
  const auto first_name = [this](std::size_t m) -> std::string_view {
    return occurrences_[merged_[m].occurrences.begin].name;
  };
  for (std::size_t occ = 0; occ < n; ++occ) {
    const std::string_view name = occurrences_[occ].name;
    const std::uint64_t hash = hash_section_name(name);
    std::size_t empty = 0;
    std::size_t m = probe_slots(section_slots_, name, hash, first_name, &empty);
    if (m == kNotFound) {
      m = merged_.size();
      merged_.push_back(Merged{Range{occ, 0}, {}, {}});
      section_slots_[empty] = (hash & ~kSlotIndexMask) | static_cast<std::uint64_t>(m + 1);
    }
    ++merged_[m].occurrences.size;
    group[occ] = m;
  }
  std::size_t offset = 0;
  for (Merged& merged : merged_) {
    merged.occurrences.begin = offset;
    offset += merged.occurrences.size;
    merged.occurrences.size = 0;
  }
  occurrence_lists_.resize(n);
  for (std::size_t occ = 0; occ < n; ++occ) {
    Range& range = merged_[group[occ]].occurrences;
    occurrence_lists_[range.begin + range.size++] = occ;
  }
}

// merge_keys_linear: repeated keys collapse onto the position of their first appearance by a
// scan of the winners so far (few keys: quadratic but tiny).
void IniDocument::merge_keys_linear(Merged& merged) {
  for (std::size_t o = 0; o < merged.occurrences.size; ++o) {
    const std::size_t occ = occurrence_lists_[merged.occurrences.begin + o];
    const std::vector<IniKey>& keys = occurrences_[occ].keys;
    for (std::size_t k = 0; k < keys.size(); ++k) {
      std::size_t i = merged.keys.begin;
      while (i < merged_keys_.size() && key_at(merged_keys_[i]).name != keys[k].name) ++i;
      if (i == merged_keys_.size()) {
        merged_keys_.push_back({occ, k});
      } else {
        merged_keys_[i] = {occ, k};
      }
    }
  }
  merged.keys.size = merged_keys_.size() - merged.keys.begin;
}

// merge_keys_sorted: stable sort of the key lines by name; each run of equal names gives the
// position of its first line and the value of its last. Also builds the by-name index.
void IniDocument::merge_keys_sorted(Merged& merged, MergeScratch& scratch) {
  auto& all = scratch.all;
  all.clear();
  for (std::size_t o = 0; o < merged.occurrences.size; ++o) {
    const std::size_t occ = occurrence_lists_[merged.occurrences.begin + o];
    for (std::size_t k = 0; k < occurrences_[occ].keys.size(); ++k) all.push_back({occ, k});
  }
  auto& order = scratch.order;
  order.resize(all.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return key_at(all[a]).name < key_at(all[b]).name;
  });
  auto& winners = scratch.winners;
  winners.clear();
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && key_at(all[order[j + 1]]).name == key_at(all[order[i]]).name) ++j;
    winners.emplace_back(order[i], all[order[j]]);
    i = j + 1;
  }
  auto& by_position = scratch.by_position;
  by_position.resize(winners.size());
  std::iota(by_position.begin(), by_position.end(), std::size_t{0});
  std::sort(by_position.begin(), by_position.end(),
            [&](std::size_t a, std::size_t b) { return winners[a].first < winners[b].first; });
  for (const std::size_t w : by_position) merged_keys_.push_back(winners[w].second);
  merged.keys.size = winners.size();
  if (winners.size() <= kLinearKeyLimit) return;
  merged.keys_by_name = Range{keys_by_name_.size(), winners.size()};
  keys_by_name_.resize(keys_by_name_.size() + winners.size());
  for (std::size_t pos = 0; pos < by_position.size(); ++pos) {
    keys_by_name_[merged.keys_by_name.begin + by_position[pos]] = pos;  // winners are by name
  }
}

void IniDocument::merge_keys(Merged& merged, MergeScratch& scratch) {
  std::size_t lines = 0;
  for (std::size_t o = 0; o < merged.occurrences.size; ++o) {
    lines += occurrences_[occurrence_lists_[merged.occurrences.begin + o]].keys.size();
  }
  merged.keys = Range{merged_keys_.size(), 0};
  merged.keys_by_name = Range{};
  if (lines <= kLinearKeyLimit) {
    merge_keys_linear(merged);
  } else {
    merge_keys_sorted(merged, scratch);
  }
}

void IniDocument::build_merged_view() {
  group_sections();
  merged_keys_.clear();
  merged_keys_.reserve(num_key_lines_);
  keys_by_name_.clear();
  MergeScratch scratch;
  for (Merged& merged : merged_) merge_keys(merged, scratch);
}

IniSectionView IniDocument::section(std::size_t i) const {
  AV_CHECK(i < merged_.size());
  return IniSectionView(this, i);
}

std::size_t IniDocument::find_merged(std::string_view name) const noexcept {
  if (section_slots_.empty()) return kNotFound;  // a default-constructed document
  return probe_slots(section_slots_, name, hash_section_name(name),
                     [this](std::size_t m) { return merged_name(m); }, nullptr);
}

std::optional<IniSectionView> IniDocument::find_section(std::string_view name) const noexcept {
  const std::size_t m = find_merged(name);
  if (m == kNotFound) return std::nullopt;
  return IniSectionView(this, m);
}

std::string_view IniSectionView::name() const noexcept { return doc_->merged_name(index_); }

std::span<const std::size_t> IniSectionView::occurrences() const noexcept {
  const auto& range = doc_->merged_[index_].occurrences;
  return std::span<const std::size_t>(doc_->occurrence_lists_).subspan(range.begin, range.size);
}

std::size_t IniSectionView::num_keys() const noexcept { return doc_->merged_[index_].keys.size; }

const IniKey& IniSectionView::key(std::size_t i) const {
  const auto& range = doc_->merged_[index_].keys;
  AV_CHECK(i < range.size);
  return doc_->key_at(doc_->merged_keys_[range.begin + i]);
}

const IniKey* IniSectionView::find_key(std::string_view name) const noexcept {
  const auto& merged = doc_->merged_[index_];
  const auto keys = std::span<const IniDocument::KeyRef>(doc_->merged_keys_)
                        .subspan(merged.keys.begin, merged.keys.size);
  if (merged.keys_by_name.size == 0) {  // few keys: a linear scan
    for (const IniDocument::KeyRef ref : keys) {
      const IniKey& key = doc_->key_at(ref);
      if (compare_key_names(key.name, name) == 0) return &key;
    }
    return nullptr;
  }
  const auto index = std::span<const std::size_t>(doc_->keys_by_name_)
                         .subspan(merged.keys_by_name.begin, merged.keys_by_name.size);
  const auto it = std::lower_bound(index.begin(), index.end(), name,
                                   [&](std::size_t i, std::string_view wanted) {
                                     return compare_key_names(doc_->key_at(keys[i]).name, wanted) < 0;
                                   });
  if (it == index.end()) return nullptr;
  const IniKey& found = doc_->key_at(keys[*it]);
  return compare_key_names(found.name, name) == 0 ? &found : nullptr;
}

std::optional<std::string_view> IniSectionView::value(std::string_view name) const noexcept {
  const IniKey* found = find_key(name);
  if (found == nullptr) return std::nullopt;
  return std::string_view(found->value);
}

}  // namespace av::config
