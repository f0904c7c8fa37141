// document.h: a TOML 1.0 document as a small neutral tree (STYLE.md §3.4: toml++ with
// TOML_EXCEPTIONS=0). This wrapper is the only place that includes <toml++/toml.h>; nothing above
// codec/ sees toml++ types. Every node keeps its source line and column so callers can report
// "<file>:<line>: ..." for values that parse as TOML but mean nothing to them.
//
// Non-secret data only: the tree lives in ordinary std::string memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace av::codec::toml {

// NodeType is the TOML type of a node.
enum class NodeType : std::uint8_t { Table, Array, String, Integer, Float, Boolean, Date, Time, DateTime };

// type_name returns the lowercase TOML name of `type` ("table", "string", "date-time", ...).
std::string_view type_name(NodeType type) noexcept;

// Node is one table, array or value. Scalars fill the member of their type; dates and times keep
// only their type (nothing in aws-vault reads them).
struct Node {
  NodeType type = NodeType::Table;
  std::string key;          // key in the parent table; "" for the root and for array elements
  std::uint32_t line = 0;   // 1-based line of the key (of the value for array elements)
  std::uint32_t column = 0; // 1-based column of the same
  std::string text;         // String: the decoded value (valid UTF-8, may hold control characters)
  bool boolean = false;     // Boolean
  std::int64_t integer = 0; // Integer
  double floating = 0.0;    // Float
  std::vector<Node> children;  // Table: members in document order; Array: elements in order

  // find returns the member of this table named `name`, or nullptr (also for non-tables).
  const Node* find(std::string_view name) const noexcept;
};

// parse_document parses `text` as TOML 1.0 and returns the root table.
// `source_name` (usually the file path) only labels error messages.
// Errors:
//   Errc::TooLarge  text longer than `max_len`; more than limits::kMaxTomlDotsPerLine '.' bytes on
//                   one line ("<source>:<line>: ..."); nesting deeper than limits::kMaxTomlDepth
//                   ("<source>:<line>:<column>: ...")
//   Errc::Parse     syntax errors and invalid UTF-8, as "<source>:<line>:<column>: <description>"
//                   (toml++'s description, escaped for the terminal)
// Never throws; the result owns all its strings.
[[nodiscard]] Result<Node> parse_document(std::string_view text, std::string_view source_name,
                                          std::size_t max_len);

}  // namespace av::codec::toml
