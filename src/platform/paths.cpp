// paths.cpp: path strings. No OS calls: every input comes from the Environment or the caller.
#include "platform/paths.h"

namespace av::platform {

Result<std::string> home_dir(const Environment& env) {
  auto home = env.get_nonempty(kHomeVariable);
  if (!home) return Error(Errc::NotFound, "$" + std::string(kHomeVariable) + " is not defined");
  return std::string(*home);
}

Result<std::string> expand_home(std::string_view path, const Environment& env) {
  // Upstream replaces the "~" of a "~/" prefix with the home directory verbatim.
  if (path != "~" && !path.starts_with("~/")) return std::string(path);
  AV_TRY_ASSIGN(std::string home, home_dir(env));
  home.append(path.substr(1));
  return home;
}

std::string join_path(std::string_view base, std::string_view rest) {
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  if (base.empty()) return std::string(rest);
  while (base.size() > 1 && base.back() == '/') base.remove_suffix(1);
  std::string out(base);
  if (rest.empty()) return out;
  if (out.back() != '/') out.push_back('/');
  out.append(rest);
  return out;
}

Result<std::string> config_home(const Environment& env) {
  auto xdg = env.get_nonempty("XDG_CONFIG_HOME");
  if (xdg && xdg->front() == '/') return std::string(*xdg);
  AV_TRY_ASSIGN(std::string home, home_dir(env));
  return join_path(home, ".config");
}

Result<std::string> aws_config_path(const Environment& env) {
  if (auto file = env.get_nonempty("AWS_CONFIG_FILE")) return std::string(*file);
  AV_TRY_ASSIGN(std::string home, home_dir(env));
  return join_path(home, ".aws/config");
}

std::string_view parent_dir(std::string_view path) noexcept {
  std::size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string_view program_basename(std::string_view argv0) noexcept {
  if (argv0.empty()) return ".";
  while (argv0.size() > 1 && argv0.back() == '/') argv0.remove_suffix(1);
  if (argv0 == "/") return argv0;
  std::size_t slash = argv0.rfind('/');
  return slash == std::string_view::npos ? argv0 : argv0.substr(slash + 1);
}

}  // namespace av::platform
