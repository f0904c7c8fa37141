// remove.cpp: the `remove` command, alias `rm` (spec §2.2): delete a profile's long-term
// credentials after a confirmation, or (hidden --sessions-only) only its cached sessions.
#include <string>
#include <string_view>

#include "base/ascii.h"
#include "cli/commands/commands.h"
#include "cli/keyring_access.h"

namespace av::cli::commands {
namespace {

// confirmed asks the spec's question; only `y` / `yes` (any case, trimmed) proceed.
Result<bool> confirmed(const Invocation& in, std::string_view profile) {
  AV_TRY_ASSIGN(
      const secure::SecretString answer,
      prompt_line(
          in, "Delete credentials for profile " + ascii::quote_for_terminal(profile) + "? (y|N) ",
          false));
  const std::string_view text = ascii::trim(answer.reveal());
  return ascii::iequals(text, "y") || ascii::iequals(text, "yes");
}

}  // namespace

Status run_remove(const Invocation& in) {
  const std::string_view profile = in.args.arg("profile");
  AV_TRY_ASSIGN(keyring::Keyring* const ring, open_keyring(in));
  if (in.args.flag_bool("sessions-only")) {
    AV_TRY_ASSIGN(const std::size_t deleted, delete_profile_sessions(*ring, profile));
    return in.ctx.out.write("Deleted " + std::to_string(deleted) + " sessions.\n");
  }
  if (!in.args.flag_bool("force")) {
    AV_TRY_ASSIGN(const bool proceed, confirmed(in, profile));
    if (!proceed) return ok();
  }
  AV_TRY(ring->remove(profile));
  return in.ctx.out.write("Deleted credentials.\n");
}

}  // namespace av::cli::commands
