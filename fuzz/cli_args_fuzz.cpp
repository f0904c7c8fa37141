// Fuzz target: the command line parser (cli::args::parse and scan) and bash completion over the
// real command table. The input is split on NUL bytes into argv; the environment supplies one
// variable from the first argument so env-default validation is reached too. Invariants: no
// crash, no hang, and a structural error from scan() is also an error from parse() unless a
// pre-action flag was given first.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/check.h"
#include "cli/args/parser.h"
#include "cli/command_table.h"
#include "cli/completion.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const av::cli::args::AppSpec app =
      av::cli::build_app_spec({{"secret-service", "keyctl", "file"}, {"terminal", "zenity"}});
  const std::string_view text = av::as_chars({data, size});
  std::vector<std::string> args;
  std::size_t start = 0;
  while (start <= text.size() && args.size() < 64) {
    const std::size_t nul = text.find('\0', start);
    args.emplace_back(text.substr(start, nul == std::string_view::npos ? text.npos : nul - start));
    if (nul == std::string_view::npos) break;
    start = nul + 1;
  }
  const std::string env_value = args.empty() ? std::string() : args.front();
  auto env = [&env_value](std::string_view name) -> std::optional<std::string_view> {
    if (name == "AWS_VAULT_STDOUT" || name == "AWS_VAULT_DURATION" || name == "AWS_PROFILE") {
      return std::string_view(env_value);
    }
    return std::nullopt;
  };
  const auto state = av::cli::args::scan(app, args);
  const auto parsed = av::cli::args::parse(app, args, env);
  if (state.error && parsed) AV_CHECK(parsed->pre_action != nullptr);
  const av::cli::ProfileNames profiles = []() -> av::Result<std::vector<std::string>> {
    return std::vector<std::string>{"dev"};
  };
  (void)av::cli::complete_bash(app, args, profiles);
  return 0;
}
