// aws_config.h: the AWS config file as profiles and SSO sessions (spec cli.md §3.3, §3.6), built
// on the INI document of ini.h.
//
// Section mapping (decisions in docs/COMPATIBILITY.md):
//   [default]               -> profile `default`
//   [profile NAME]          -> profile NAME, NAME trimmed of spaces and tabs as the AWS CLI does
//                              (`[profile  dev ]` is `dev`); `[profile default]` is `default` too
//   [sso-session NAME]      -> SSO session NAME (trimmed the same way)
//   anything else           -> ignored, listed in unrecognised_sections() for the debug log
// Sections that map to the same name (`[profile a]` and `[profile a ]`, or a repeated header) are
// one profile: a key is read from the last of them that has it, as repeated sections merge in
// ini.h. The model is pure: no I/O, no logging.
//
//   AV_TRY_ASSIGN(auto config, config::parse_aws_config(text, path));
//   for (std::string_view name : config.profile_names()) print(name);
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/ini.h"

namespace av::config {

// kDefaultProfile is the name of the profile `[default]` holds.
inline constexpr std::string_view kDefaultProfile = "default";

// kProfileKeys lists the keys aws-vault reads from a profile section (spec §3.4). Every other
// key (output, parent_profile, cli_*, ...) is ignored.
inline constexpr std::array<std::string_view, 22> kProfileKeys = {
    "region",          "mfa_serial",          "role_arn",
    "external_id",     "role_session_name",   "duration_seconds",
    "source_profile",  "include_profile",     "sso_session",
    "sso_start_url",   "sso_region",          "sso_account_id",
    "sso_role_name",   "web_identity_token_file", "web_identity_token_process",
    "sts_regional_endpoints", "endpoint_url", "session_tags",
    "transitive_session_tags", "source_identity", "credential_process",
    "mfa_process"};

class AwsConfig;

// ProfileView: the sections that make up one profile (or SSO session). A cheap handle borrowing
// its AwsConfig, which must outlive it.
class ProfileView {
 public:
  std::string_view name() const noexcept;
  // find_key looks `key` up ASCII case-insensitively in the profile's sections, the last section
  // (in file order) holding the key winning; nullptr when absent. The IniKey carries the line.
  const IniKey* find_key(std::string_view key) const noexcept;
  // value is find_key(key)->value, or nullopt when absent.
  std::optional<std::string_view> value(std::string_view key) const noexcept;
  // has_profile_settings is true when some kProfileKeys key has a non-empty value (spec §3.3:
  // an empty `[default]` is left out of the enumeration).
  bool has_profile_settings() const noexcept;
  // first_line is the header line of the profile's first section.
  std::size_t first_line() const noexcept;

 private:
  friend class AwsConfig;
  ProfileView(const AwsConfig* config, std::size_t entry, bool sso) noexcept
      : config_(config), entry_(entry), sso_(sso) {}
  const AwsConfig* config_;
  std::size_t entry_;
  bool sso_;
};

// AwsConfig: the profile model of one parsed config file. Copyable and movable.
class AwsConfig {
 public:
  // from_document maps the sections of `doc` (taken by value) to profiles and SSO sessions.
  // `path` is used only in messages (`<path>:<line>: ...`). Total: never fails.
  static AwsConfig from_document(IniDocument doc, std::string path);

  const std::string& path() const noexcept { return path_; }
  const IniDocument& document() const noexcept { return doc_; }

  // num_profiles / profile(i): every profile in order of its first section (`default` included
  // even when empty); i out of range is a bug (AV_CHECK).
  std::size_t num_profiles() const noexcept { return profiles_.size(); }
  ProfileView profile(std::size_t i) const;
  // find_profile looks a profile up by exact name in O(log n); nullopt when it has no section.
  std::optional<ProfileView> find_profile(std::string_view name) const noexcept;
  // find_sso_session looks `[sso-session NAME]` up by exact name; nullopt when absent.
  std::optional<ProfileView> find_sso_session(std::string_view name) const noexcept;
  // profile_names is the enumeration of spec §3.3 (`list --profiles`, the picker, completion):
  // profiles in file order, `default` left out when it has no profile settings. The views borrow
  // this AwsConfig.
  std::vector<std::string_view> profile_names() const;
  // unrecognised_sections lists, in file order, the names of sections that are neither profiles
  // nor SSO sessions (for `Unrecognised ini file section: <name>`; escape before printing). The
  // implicit DEFAULT section is listed only when it holds keys or appears as `[DEFAULT]`.
  const std::vector<std::string>& unrecognised_sections() const noexcept { return unrecognised_; }
  // location renders `<path>:<line>` with the path escaped for a terminal.
  std::string location(std::size_t line) const;

 private:
  friend class ProfileView;
  struct Entry {
    std::string name;
    std::size_t first_section = 0;       // merged-section index of doc_
    std::vector<std::size_t> more_sections;  // later sections with the same name, file order
  };
  void add_section(std::size_t index, std::string_view name, bool sso);
  void build_indexes();
  std::optional<ProfileView> find(const std::vector<Entry>& entries,
                                  const std::vector<std::size_t>& sorted, std::string_view name,
                                  bool sso) const noexcept;

  IniDocument doc_;
  std::string path_;
  std::vector<Entry> profiles_;
  std::vector<Entry> sessions_;
  std::vector<std::size_t> profiles_by_name_;  // indices into profiles_, sorted by name
  std::vector<std::size_t> sessions_by_name_;  // indices into sessions_, sorted by name
  std::vector<std::string> unrecognised_;
};

// parse_aws_config parses `text` (the whole file) with parse_ini and builds the model. INI errors
// keep their Errc (Errc::Config, Errc::TooLarge) with the message rewritten from `line N: ...` to
// `<path>:N: ...` (`<path>: ...` when the error has no line).
Result<AwsConfig> parse_aws_config(std::string_view text, std::string path);

// sso_start_url_precedence is spec §3.6: the session's URL when non-empty, else the inline one
// when non-empty, else nullopt.
std::optional<std::string_view> sso_start_url_precedence(std::string_view session_url,
                                                         std::string_view inline_url) noexcept;

// profile_sso_start_url applies sso_start_url_precedence to one profile's own sections (no
// include_profile or [default] inheritance), as `list` and `clear` do: the URL of the
// `[sso-session]` its sso_session names (if that section exists), else its inline sso_start_url.
std::optional<std::string_view> profile_sso_start_url(const AwsConfig& config,
                                                      const ProfileView& profile) noexcept;

}  // namespace av::config
