// env.cpp: Environment snapshot and lookups. Only from_process touches the OS (environ).
#include "platform/env.h"

#include <unistd.h>

#include "base/limits.h"

extern "C" {
extern char** environ;  // POSIX: declared by <unistd.h> only with _GNU_SOURCE on glibc
}

namespace av::platform {
namespace {

// entry_name returns the NAME part of "NAME=VALUE" (the whole text if there is no '=').
std::string_view entry_name(std::string_view entry) noexcept {
  return entry.substr(0, entry.find('='));
}

bool entry_matches(std::string_view entry, std::string_view name) noexcept {
  return entry.size() > name.size() && entry[name.size()] == '=' && entry.starts_with(name);
}

}  // namespace

Environment Environment::from_process() {
  Environment env;
  for (char** p = environ; p != nullptr && *p != nullptr; ++p) {
    std::string_view entry(*p);
    if (entry.find('=') != std::string_view::npos) env.entries_.push_back(entry);
  }
  return env;
}

Environment Environment::from_pairs(std::vector<std::pair<std::string, std::string>> pairs) {
  Environment env;
  for (auto& [name, value] : pairs) {
    env.owned_.push_back(name + "=" + value);
    env.entries_.push_back(env.owned_.back());
  }
  return env;
}

Environment Environment::clone() const {
  Environment out;
  for (std::string_view entry : entries_) {
    bool secret = false;
    for (const auto& s : owned_secrets_) secret = secret || s.reveal().data() == entry.data();
    if (secret) {
      // Copy the trailing NUL too (see the invariant in env.h).
      std::string_view with_nul(entry.data(), entry.size() + 1);
      out.owned_secrets_.push_back(secure::SecretString::copy_of(with_nul));
      std::string_view text = out.owned_secrets_.back().reveal();
      out.entries_.push_back(text.substr(0, text.size() - 1));
    } else {
      out.owned_.emplace_back(entry);
      out.entries_.push_back(out.owned_.back());
    }
  }
  return out;
}

std::optional<std::string_view> Environment::get(std::string_view name) const {
  for (std::string_view entry : entries_) {
    if (entry_matches(entry, name)) return entry.substr(name.size() + 1);
  }
  return std::nullopt;
}

std::optional<std::string_view> Environment::get_nonempty(std::string_view name) const {
  auto value = get(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

Result<std::optional<secure::SecretString>> Environment::get_secret(std::string_view name) const {
  auto value = get(name);
  if (!value) return std::optional<secure::SecretString>();
  if (value->size() > limits::kMaxSecretBytes) {
    return Error(Errc::TooLarge, "environment variable " + std::string(name) + " is too large");
  }
  return std::optional<secure::SecretString>(secure::SecretString::copy_of(*value));
}

void Environment::unset(std::string_view name) {
  std::erase_if(entries_, [name](std::string_view e) { return entry_name(e) == name; });
}

void Environment::set(std::string_view name, std::string_view value) {
  unset(name);
  std::string entry;
  entry.reserve(name.size() + 1 + value.size());
  entry.append(name).append("=").append(value);
  owned_.push_back(std::move(entry));
  entries_.push_back(owned_.back());
}

Status Environment::set_secret(std::string_view name, const secure::SecretString& value) {
  if (value.size() > limits::kMaxSecretBytes) {
    return Error(Errc::TooLarge, "environment variable " + std::string(name) + " is too large");
  }
  unset(name);
  secure::SecretString entry(name.size() + value.size() + 2);
  AV_TRY(entry.append(name));
  AV_TRY(entry.append("="));
  AV_TRY(entry.append(value.reveal()));
  AV_TRY(entry.push_back('\0'));  // the NUL execve needs, inside the locked buffer
  owned_secrets_.push_back(std::move(entry));
  std::string_view text = owned_secrets_.back().reveal();
  entries_.push_back(text.substr(0, text.size() - 1));
  return ok();
}

}  // namespace av::platform
