// Fuzz target: config::parse_aws_config over arbitrary bytes, then resolve_profile for every
// profile (and one missing name) with a fixed environment. Invariants: nothing crashes or
// overflows the stack; every error names the file; every resolved record carries its name,
// non-zero durations, and a source chain whose links point back at their user.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "base/check.h"
#include "config/aws_config.h"
#include "config/profile_resolver.h"
#include "fuzz_target.h"

namespace {

void check_record(const av::config::ResolvedProfile& record) {
  AV_CHECK(record.durations.assume_role.count() > 0);
  AV_CHECK(record.durations.chained_session_token.count() > 0);
  AV_CHECK(record.source_profile_name != record.name);
  if (record.source) {
    AV_CHECK(record.source->name == record.source_profile_name);
    AV_CHECK(record.source->chained_from == record.name);
    check_record(*record.source);  // depth bounded by limits::kMaxProfileChainDepth
  }
}

void resolve_checked(const av::config::AwsConfig& config, std::string_view name,
                     const av::config::ConfigEnvironment& env) {
  const auto resolved = av::config::resolve_profile(config, name, av::config::BaseConfig{}, env);
  if (!resolved) {
    AV_CHECK(resolved.error().message().substr(0, 5) == "fuzz:");
    return;
  }
  AV_CHECK(resolved->profile.name == name);
  check_record(resolved->profile);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto config = av::config::parse_aws_config(av::as_chars({data, size}), "fuzz");
  if (!config) {
    AV_CHECK(config.error().message().substr(0, 5) == "fuzz:");
    return 0;
  }
  av::config::ConfigEnvironment env;
  env.aws_mfa_serial = "arn:aws:iam::1:mfa/env";
  env.aws_assume_role_ttl = "15m";
  for (std::size_t i = 0; i < config->num_profiles(); ++i) {
    resolve_checked(*config, config->profile(i).name(), env);
  }
  resolve_checked(*config, "fuzz-missing-profile", env);
  (void)config->profile_names();
  return 0;
}
