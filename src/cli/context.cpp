// context.cpp: small helpers for building the process Context.
#include "cli/context.h"

#include "platform/paths.h"

namespace av::cli {

std::string program_basename(std::string_view argv0) {
  // Go's filepath.Base (platform::program_basename), except that a missing argv[0] still names us.
  const std::string_view base = platform::program_basename(argv0);
  return base == "." || base == "/" ? std::string("aws-vault") : std::string(base);
}

}  // namespace av::cli
