// mutation.h: deterministic mutation strategies for parser tests (STYLE.md §3.8, `[mutation]`):
// every truncation of a valid input, then every single-bit flip of it. The callback decides what
// must hold for each mutant (no crash always; for authenticated formats, never success).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace av::testing {

// for_each_mutation calls `check(mutant)` for each prefix of `valid` (lengths 0..size) and for
// each copy of `valid` with exactly one bit flipped (8 * size mutants).
template <class Check>
void for_each_mutation(std::string_view valid, Check&& check) {
  for (std::size_t len = 0; len <= valid.size(); ++len) check(std::string(valid.substr(0, len)));
  for (std::size_t i = 0; i < valid.size(); ++i) {
    for (unsigned bit = 0; bit < 8; ++bit) {
      std::string mutated(valid);
      mutated[i] = static_cast<char>(static_cast<unsigned char>(mutated[i]) ^ (1U << bit));
      check(mutated);
    }
  }
}

}  // namespace av::testing
