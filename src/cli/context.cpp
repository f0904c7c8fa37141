// context.cpp: small helpers for building the process Context.
#include "cli/context.h"

#include <filesystem>
#include <system_error>

namespace av::cli {

std::string program_basename(std::string_view argv0) {
  const std::size_t slash = argv0.find_last_of('/');
  std::string_view base = slash == std::string_view::npos ? argv0 : argv0.substr(slash + 1);
  return base.empty() ? std::string("aws-vault") : std::string(base);
}

bool filesystem_executable_exists(std::string_view path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(fs::path(path), ec);
  if (ec || !fs::is_regular_file(st)) return false;
  const fs::perms exec_bits = fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec;
  return (st.permissions() & exec_bits) != fs::perms::none;
}

}  // namespace av::cli
