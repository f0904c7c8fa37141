// ini_fixtures.h: loading tests/vectors/ini/ fixtures and rendering an IniDocument as text, shared
// by the parser and writer tests.
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "base/ascii.h"
#include "config/ini.h"

namespace av::config::test {

inline std::string ini_vector_path(const std::string& name) {
  const char* root = std::getenv("AV_TEST_VECTORS");  // set by ctest (cmake/AvTargets.cmake)
  return std::string(root != nullptr ? root : "tests/vectors") + "/ini/" + name;
}

inline std::string read_ini_vector(const std::string& name) {
  std::ifstream in(ini_vector_path(name), std::ios::binary);
  REQUIRE(in.good());
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// fixture_names lists tests/vectors/ini/cases.txt.
inline std::vector<std::string> fixture_names() {
  std::istringstream manifest(read_ini_vector("cases.txt"));
  std::vector<std::string> names;
  std::string line;
  while (std::getline(manifest, line)) {
    if (!line.empty() && line[0] != '#') names.push_back(line);
  }
  return names;
}

inline std::string render_lines(const IniSpan& span) {
  if (span.last_line <= span.first_line) return "@" + std::to_string(span.first_line);
  return "@" + std::to_string(span.first_line) + "-" + std::to_string(span.last_line);
}

// dump renders the merged view: one `section "name" @<header lines>` line per section (0 for the
// implicit one), then `  "key" = "value" @<lines>` and `    | "nested"` lines.
inline std::string dump(const IniDocument& doc) {
  std::string out;
  for (std::size_t i = 0; i < doc.num_sections(); ++i) {
    const IniSectionView section = doc.section(i);
    out += "section " + ascii::quote_for_terminal(section.name()) + " @";
    for (std::size_t n = 0; n < section.occurrences().size(); ++n) {
      const IniSection& occ = doc.occurrences()[section.occurrences()[n]];
      out += (n == 0 ? "" : ",") + std::to_string(occ.implicit ? 0 : occ.span.first_line);
    }
    out += "\n";
    for (std::size_t k = 0; k < section.num_keys(); ++k) {
      const IniKey& key = section.key(k);
      out += "  " + ascii::quote_for_terminal(key.name) + " = " + ascii::quote_for_terminal(key.value) +
             " " + render_lines(key.span) + "\n";
      for (const std::string& nested : key.nested) out += "    | " + ascii::quote_for_terminal(nested) + "\n";
    }
  }
  return out;
}

inline std::string dump_result(const Result<IniDocument>& parsed) {
  if (parsed) return dump(*parsed);
  return "error: " + std::string(errc_name(parsed.error().code())) + ": " +
         std::string(parsed.error().message()) + "\n";
}

}  // namespace av::config::test
