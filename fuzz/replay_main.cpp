// replay_main.cpp: lets every fuzz target build without libFuzzer. Given files or directories, it
// feeds each file's bytes to LLVMFuzzerTestOneInput once, so ctest replays the committed corpus
// (and any crash reproducer) on every build, under the sanitizers when they are on.
//
// Test-only code: it may use iostreams and std::filesystem (with error_code overloads).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>
#include <algorithm>

#include "fuzz_target.h"

namespace {

bool replay_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot open %s\n", path.c_str());
    return false;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
  // A heap copy of exactly the file's size, so ASan catches reads past the end.
  auto exact = std::make_unique<std::uint8_t[]>(data.size() + (data.empty() ? 1 : 0));
  std::copy(data.begin(), data.end(), exact.get());
  LLVMFuzzerTestOneInput(exact.get(), data.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t num_inputs = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path root(argv[i]);
    std::error_code ec;
    if (std::filesystem::is_directory(root, ec)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(root, ec)) {
        if (!entry.is_regular_file(ec)) continue;
        if (!replay_file(entry.path())) return 1;
        ++num_inputs;
      }
    } else {
      if (!replay_file(root)) return 1;
      ++num_inputs;
    }
  }
  // An empty corpus means the target is not exercised at all: fail loudly.
  if (num_inputs == 0) {
    std::fprintf(stderr, "replay: no inputs found\n");
    return 1;
  }
  std::printf("replay: %zu inputs ok\n", num_inputs);
  return 0;
}
