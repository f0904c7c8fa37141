// prompt_drivers.cpp: spec §1.7.
#include "cli/prompt_drivers.h"

#include <algorithm>

#include "base/ascii.h"

namespace av::cli {

bool find_on_path(std::string_view path_var, std::string_view name, ExecutableExists exists) {
  if (exists == nullptr || name.empty()) return false;
  for (;;) {
    const std::size_t colon = path_var.find(':');
    std::string_view dir = path_var.substr(0, colon);
    std::string candidate = dir.empty() ? std::string(".") : std::string(dir);
    candidate += '/';
    candidate += name;
    if (exists(candidate)) return true;
    if (colon == std::string_view::npos) return false;
    path_var.remove_prefix(colon + 1);
  }
}

std::vector<std::string> available_prompt_drivers(std::string_view path_var,
                                                  ExecutableExists exists) {
  std::vector<std::string> out{"terminal"};
  for (const char* name : {"osascript", "zenity", "kdialog", "ykman"}) {
    if (find_on_path(path_var, name, exists)) out.emplace_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

PromptCheck check_prompt_driver(std::string_view value, const std::vector<std::string>& available) {
  if (value.empty()) return PromptCheck::Ok;
  if (value == "pass") return PromptCheck::RemovedPass;
  if (std::find(available.begin(), available.end(), value) == available.end()) {
    return PromptCheck::NotAvailable;
  }
  return PromptCheck::Ok;
}

Error prompt_driver_error(PromptCheck check, std::string_view value,
                          const std::vector<std::string>& available) {
  if (check == PromptCheck::RemovedPass) {
    return Error(Errc::Usage,
                 "--prompt=pass (or AWS_VAULT_PROMPT=pass) has been removed from aws-vault as "
                 "using TOTPs without a dedicated device goes against security best practices. "
                 "If you wish to continue using pass, add `mfa_process = pass otp <your "
                 "mfa_serial>` to profiles in your ~/.aws/config file.");
  }
  std::string list;
  for (const std::string& d : available) {
    if (!list.empty()) list += ',';
    list += d;
  }
  return Error(Errc::Usage, "--prompt value must be one of " + list + ", got '" +
                                ascii::escape_for_terminal(value) + "'");
}

}  // namespace av::cli
