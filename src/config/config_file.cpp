// config_file.cpp: the one writer of ~/.aws/config. Reads, checks, appends, replaces atomically.
#include "config/config_file.h"

#include <string>

#include "base/limits.h"
#include "config/aws_config.h"
#include "platform/secure_file.h"

namespace av::config {

Result<bool> add_profile_section(std::string_view path, std::string_view profile,
                                 std::span<const IniEntry> entries) {
  AV_TRY_ASSIGN(const std::string target, platform::resolve_symlinks(path));
  std::string original;
  auto contents = platform::read_file(target, limits::kMaxConfigFileBytes);
  if (contents) {
    original = std::move(*contents);
  } else if (contents.error().code() != Errc::NotFound) {
    return std::move(contents).error();
  }
  // Parse before writing: a file we cannot read must not be touched (nothing is lost).
  AV_TRY_ASSIGN(const AwsConfig config, parse_aws_config(original, std::string(path)));
  if (config.find_profile(profile)) return false;
  const std::string section =
      profile == kDefaultProfile ? std::string(kDefaultProfile) : "profile " + std::string(profile);
  AV_TRY_ASSIGN(const std::string updated,
                append_section(original, config.document(), section, entries));
  AV_TRY(platform::write_file_atomic(target, as_bytes(updated),
                                     platform::FileMode::keep_existing_or(0600)));
  return true;
}

}  // namespace av::config
