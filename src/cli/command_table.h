// command_table.h: the command line grammar as data (STYLE.md rule 2, spec §1.5 and §2): every
// command in usage order with its flags, positionals, help line and handler.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "cli/args/parser.h"
#include "cli/args/spec.h"
#include "cli/context.h"

namespace av::cli {

// Invocation is what a command handler receives. All references outlive the handler call.
struct Invocation {
  Context& ctx;
  const args::AppSpec& app;
  const args::ParsedArgs& args;
};

// Handler runs one command. Errors become error shape 1 (`aws-vault: error: <cmd>: <msg>`),
// except Errc::Usage, which is shape 2 (`<prog>: error: <msg>, try --help`), spec §1.2.
using Handler = Status (*)(const Invocation&);

// TableInputs are the platform-dependent parts of the grammar.
struct TableInputs {
  std::vector<std::string> backends;        // --backend, migrate-backend --from/--to (§1.6)
  std::vector<std::string> prompt_drivers;  // listed in --prompt's help (§1.7)
};

// build_app_spec returns the full grammar: global flags (kingpin's built-ins first), then the
// commands help, add, remove, migrate-backend, list, rotate, exec, export, clear, login, proxy,
// version. Duration flags are checked with codec::parse_go_duration (GoWithDaysWeeks).
args::AppSpec build_app_spec(const TableInputs& inputs);

// find_handler returns the handler of the canonical command `name`, or nullptr.
Handler find_handler(std::string_view name) noexcept;

// kAppDescription is the description line of the usage text.
inline constexpr std::string_view kAppDescription =
    "A vault for securely storing and accessing AWS credentials in development environments.";

}  // namespace av::cli
