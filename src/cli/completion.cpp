// completion.cpp: kingpin's completionOptions / FlagCompletion / CmdCompletion (spec §1.3).
#include "cli/completion.h"

#include <algorithm>
#include <array>

#include <vector>

#include "cli/args/parser.h"

namespace av::cli {
namespace {

using args::FlagKind;
using args::FlagSpec;

struct FlagMatch {
  std::vector<std::string> options;
  bool flag_matched = false;
  bool value_matched = false;
};

// flag_completion: the value options of flag `name` if it exists, else every visible --flag.
FlagMatch flag_completion(const std::vector<const FlagSpec*>& flags, std::string_view name,
                          std::string_view value) {
  FlagMatch m;
  for (const FlagSpec* f : flags) {
    if (f->name == name) {
      m.options = f->kind == FlagKind::Enum ? f->enum_values : std::vector<std::string>{};
      m.flag_matched = true;
      bool is_prefix = false;
      bool matched = m.options.empty();  // no options to choose from: assume a match
      for (const std::string& opt : m.options) {
        if (opt == value) {
          matched = true;
        } else if (opt.starts_with(value)) {
          is_prefix = true;
        }
      }
      m.value_matched = matched && !is_prefix;
      return m;
    }
    if (!f->hidden) m.options.push_back("--" + f->name);
  }
  return m;
}

// completes_profiles: the commands whose `profile` argument completes to profile names
// (spec §1.3; `add` is left out because it names a new profile).
bool completes_profiles(std::string_view command) {
  static constexpr std::array<std::string_view, 6> kCommands = {"remove", "rotate", "exec",
                                                                "export", "clear", "login"};
  return std::find(kCommands.begin(), kCommands.end(), command) != kCommands.end();
}

// wants_profile: no positional beyond the one being typed, so the cursor is on the profile.
// (Bash drops an empty current word from the unquoted word list, so both `exec` and `exec d`
// arrive here.)
bool wants_profile(const args::ScanState& st) {
  if (st.command == nullptr || !completes_profiles(st.command->name)) return false;
  std::size_t num_positionals = 0;
  for (const args::Element& e : st.elements) num_positionals += e.arg != nullptr ? 1 : 0;
  return num_positionals <= 1;
}

// command_completion: the profile names for a profile argument, nothing for other positionals,
// or the command names at the top level.
Result<std::vector<std::string>> command_completion(const args::AppSpec& app,
                                                    const args::ScanState& st,
                                                    const ProfileNames& profiles) {
  if (st.command != nullptr) {
    if (wants_profile(st)) return profiles();
    return std::vector<std::string>{};
  }
  std::vector<std::string> out;
  for (const args::CommandSpec& c : app.commands) {
    if (!c.hidden) out.push_back(c.name);
  }
  return out;
}

std::vector<const FlagSpec*> own_flags(const args::AppSpec& app, const args::ScanState& st) {
  std::vector<const FlagSpec*> out;
  if (st.command == nullptr) {
    for (const FlagSpec& f : app.flags) out.push_back(&f);
  } else {
    for (const FlagSpec& f : st.command->flags) out.push_back(&f);
  }
  return out;
}

Result<std::vector<std::string>> candidates(const args::AppSpec& app,
                                            std::span<const std::string> words,
                                            const ProfileNames& profiles) {
  const args::ScanState st = args::scan(app, words);
  const std::string_view curr = words.empty() ? std::string_view() : words.back();
  const std::string_view prev = words.size() < 2 ? std::string_view() : words[words.size() - 2];
  if (!curr.starts_with("--") && !prev.starts_with("--")) {
    return command_completion(app, st, profiles);
  }
  if (st.args_only) return std::vector<std::string>{};
  std::string_view name;
  std::string_view value;
  if (prev.starts_with("--") && !curr.starts_with("--")) {
    name = prev.substr(2);
    value = curr;
  } else {
    name = curr.substr(2);
  }
  FlagMatch m = flag_completion(own_flags(app, st), name, value);
  if (m.value_matched) return command_completion(app, st, profiles);
  if (st.command != nullptr && !m.flag_matched) {
    std::vector<const FlagSpec*> global;
    for (const FlagSpec& f : app.flags) global.push_back(&f);
    FlagMatch top = flag_completion(global, name, value);
    if (top.value_matched) return command_completion(app, st, profiles);
    if (top.flag_matched) return top.options;
    m.options.insert(m.options.end(), top.options.begin(), top.options.end());
  }
  return m.options;
}

}  // namespace

Result<std::string> complete_bash(const args::AppSpec& app, std::span<const std::string> words,
                                  const ProfileNames& profiles) {
  AV_TRY_ASSIGN(const std::vector<std::string> found, candidates(app, words, profiles));
  std::string out;
  for (const std::string& c : found) {
    if (!out.empty()) out += '\n';
    out += c;
  }
  return out;
}

}  // namespace av::cli
