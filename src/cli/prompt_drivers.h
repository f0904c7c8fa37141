// prompt_drivers.h: the MFA prompt drivers `--prompt` accepts (spec §1.7) and its validation.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "cli/context.h"

namespace av::cli {

// find_on_path reports whether `name` is an executable in one of the ':'-separated directories
// of `path_var` (empty entries mean ".", as in Go's exec.LookPath), asking `exists` per candidate.
bool find_on_path(std::string_view path_var, std::string_view name, ExecutableExists exists);

// available_prompt_drivers returns, sorted alphabetically, "terminal" plus each of osascript,
// zenity, kdialog and ykman found on the environment's PATH.
std::vector<std::string> available_prompt_drivers(std::string_view path_var,
                                                  ExecutableExists exists);

// PromptCheck tells the reporter which error shape a failed validation uses.
enum class PromptCheck : std::uint8_t { Ok, RemovedPass, NotAvailable };

// check_prompt_driver validates a non-empty `--prompt` value: "pass" is RemovedPass, a value not
// in `available` is NotAvailable. An empty value is Ok (automatic choice).
PromptCheck check_prompt_driver(std::string_view value, const std::vector<std::string>& available);

// prompt_driver_error renders the spec §1.7 message for a failed check (Errc::Usage).
Error prompt_driver_error(PromptCheck check, std::string_view value,
                          const std::vector<std::string>& available);

}  // namespace av::cli
