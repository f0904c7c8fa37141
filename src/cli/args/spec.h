// spec.h: the data a command line is parsed against (spec §1.1). The command table
// (cli/command_table.cpp) fills these structures; the parser (args/parser.h) only reads them.
//
// Everything here is plain data so the parser stays pure: no handlers, no environment, no I/O.
// Validators that need other layers (Go durations come from codec/) are passed in as function
// pointers, so this folder depends on av_base alone and can be fuzzed and tested in isolation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace av::cli::args {

// FlagKind decides how a flag's value is read and checked.
enum class FlagKind : std::uint8_t {
  Bool,      // no value; --name = true, --no-name = false; env value via Go strconv.ParseBool
  String,    // any value
  Enum,      // one of FlagSpec::enum_values
  Duration,  // checked by FlagSpec::check (Go duration with d/w units)
};

// ValueCheck validates a flag value; its error (Errc::Usage or Errc::Parse) is reported verbatim.
using ValueCheck = Status (*)(std::string_view value);

// FlagSpec describes one flag.
struct FlagSpec {
  std::string name{};                      // long name without "--"
  char short_name = '\0';                // '\0': none
  FlagKind kind = FlagKind::String;
  std::string env{};                       // env var supplying the default when non-empty
  std::string default_value{};             // used when neither command line nor env set it
  std::string placeholder{};               // usage text after '='; empty: derived (spec §1.3)
  std::string help{};
  bool hidden = false;                   // omitted from usage and completion
  bool required = false;                 // "required flag(s) ... not provided"
  bool pre_action = false;               // --help/--version style: wins over later parse errors
  std::vector<std::string> enum_values{};  // FlagKind::Enum only
  ValueCheck check = nullptr;            // FlagKind::Duration (or extra checks for String)
};

// ArgSpec describes one positional argument.
struct ArgSpec {
  std::string name{};
  std::string help{};
  std::string env{};        // env var supplying the value when not given (exec's AWS_PROFILE)
  bool required = false;  // "required argument '<name>' not provided"
  bool rest = false;      // a "strings" argument: swallows every remaining positional
};

// CommandSpec describes one command word.
struct CommandSpec {
  std::string name{};
  std::vector<std::string> aliases{};
  std::string help{};
  bool hidden = false;
  std::vector<FlagSpec> flags{};
  std::vector<ArgSpec> args{};
};

// AppSpec is the whole command line grammar: global flags valid everywhere, then commands.
struct AppSpec {
  std::string name{};  // "aws-vault"
  std::string help{};  // the app description line
  std::vector<FlagSpec> flags{};
  std::vector<CommandSpec> commands{};
};

// find_command returns the command whose name or alias is `word`, or nullptr.
const CommandSpec* find_command(const AppSpec& app, std::string_view word) noexcept;

}  // namespace av::cli::args
