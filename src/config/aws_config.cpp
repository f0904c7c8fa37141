// aws_config.cpp: sections -> profiles and SSO sessions (spec cli.md §3.3, §3.6).
//
// Invariants: every Entry has its first section (and any later ones with the same name); profiles_by_name_ / sessions_by_name_ hold
// each entry index once, sorted by name, so lookups are binary searches. The model keeps indices
// into doc_, never pointers, so copies and moves stay valid.
#include "config/aws_config.h"

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "base/ascii.h"
#include "base/check.h"

namespace av::config {
namespace {

constexpr std::string_view kProfilePrefix = "profile ";
constexpr std::string_view kSsoSessionPrefix = "sso-session ";

// trim_blanks removes spaces and tabs, the separators the AWS CLI's shlex.split drops around
// the name in `[profile NAME]` headers.
std::string_view trim_blanks(std::string_view text) noexcept {
  const std::size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  const std::size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

bool is_listed_default(const IniDocument& doc, const IniSectionView& section) {
  if (section.num_keys() > 0) return true;
  for (std::size_t occ : section.occurrences()) {
    if (!doc.occurrences()[occ].implicit) return true;
  }
  return false;
}

// rewrite_ini_error turns parse_ini's `line N: msg` into `<path>:N: msg`.
Error rewrite_ini_error(Error error, const std::string& path) {
  const std::string escaped = ascii::escape_for_terminal(path);
  std::string_view message = error.message();
  constexpr std::string_view kLine = "line ";
  if (message.substr(0, kLine.size()) == kLine) {
    const std::string_view rest = message.substr(kLine.size());
    std::size_t line = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), line);
    const std::size_t digits = static_cast<std::size_t>(end - rest.data());
    if (ec == std::errc{} && rest.substr(digits, 2) == ": ") {
      return Error{error.code(),
                   escaped + ":" + std::to_string(line) + ": " + std::string(rest.substr(digits + 2))};
    }
  }
  return Error{error.code(), escaped + ": " + std::string(message)};
}

}  // namespace

std::string_view ProfileView::name() const noexcept {
  return (sso_ ? config_->sessions_ : config_->profiles_)[entry_].name;
}

const IniKey* ProfileView::find_key(std::string_view key) const noexcept {
  const auto& entry = (sso_ ? config_->sessions_ : config_->profiles_)[entry_];
  for (auto it = entry.more_sections.rbegin(); it != entry.more_sections.rend(); ++it) {
    if (const IniKey* found = config_->doc_.section(*it).find_key(key)) return found;
  }
  return config_->doc_.section(entry.first_section).find_key(key);
}

std::optional<std::string_view> ProfileView::value(std::string_view key) const noexcept {
  const IniKey* found = find_key(key);
  if (found == nullptr) return std::nullopt;
  return std::string_view(found->value);
}

bool ProfileView::has_profile_settings() const noexcept {
  return std::any_of(kProfileKeys.begin(), kProfileKeys.end(), [this](std::string_view key) {
    const IniKey* found = find_key(key);
    return found != nullptr && !found->value.empty();
  });
}

std::size_t ProfileView::first_line() const noexcept {
  const auto& entry = (sso_ ? config_->sessions_ : config_->profiles_)[entry_];
  const IniSectionView section = config_->doc_.section(entry.first_section);
  return config_->doc_.occurrences()[section.occurrences().front()].span.first_line;
}

AwsConfig AwsConfig::from_document(IniDocument doc, std::string path) {
  AwsConfig config;
  config.doc_ = std::move(doc);
  config.path_ = std::move(path);
  const IniDocument& d = config.doc_;
  std::unordered_map<std::string_view, std::size_t> profile_ids;
  std::unordered_map<std::string_view, std::size_t> session_ids;
  profile_ids.reserve(d.num_sections());
  for (std::size_t i = 0; i < d.num_sections(); ++i) {
    const IniSectionView section = d.section(i);
    const std::string_view name = section.name();
    std::string_view mapped;
    bool sso = false;
    if (name == kDefaultProfile) {
      mapped = kDefaultProfile;
    } else if (name.substr(0, kProfilePrefix.size()) == kProfilePrefix) {
      mapped = trim_blanks(name.substr(kProfilePrefix.size()));
    } else if (name.substr(0, kSsoSessionPrefix.size()) == kSsoSessionPrefix) {
      mapped = trim_blanks(name.substr(kSsoSessionPrefix.size()));
      sso = true;
    }
    if (mapped.empty()) {
      if (name != kIniDefaultSection || is_listed_default(d, section)) config.unrecognised_.emplace_back(name);
      continue;
    }
    auto& ids = sso ? session_ids : profile_ids;
    auto& entries = sso ? config.sessions_ : config.profiles_;
    const auto [it, inserted] = ids.try_emplace(mapped, entries.size());
    if (inserted) {
      entries.push_back(Entry{std::string(mapped), i, {}});
    } else {
      entries[it->second].more_sections.push_back(i);
    }
  }
  config.build_indexes();
  return config;
}

void AwsConfig::build_indexes() {
  const auto sort_by_name = [](const std::vector<Entry>& entries, std::vector<std::size_t>& out) {
    out.resize(entries.size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = i;
    std::sort(out.begin(), out.end(),
              [&entries](std::size_t a, std::size_t b) { return entries[a].name < entries[b].name; });
  };
  sort_by_name(profiles_, profiles_by_name_);
  sort_by_name(sessions_, sessions_by_name_);
}

ProfileView AwsConfig::profile(std::size_t i) const {
  AV_CHECK(i < profiles_.size());
  return ProfileView(this, i, false);
}

std::optional<ProfileView> AwsConfig::find(const std::vector<Entry>& entries,
                                           const std::vector<std::size_t>& sorted,
                                           std::string_view name, bool sso) const noexcept {
  const auto it = std::lower_bound(sorted.begin(), sorted.end(), name,
                                   [&entries](std::size_t index, std::string_view wanted) {
                                     return std::string_view(entries[index].name) < wanted;
                                   });
  if (it == sorted.end() || entries[*it].name != name) return std::nullopt;
  return ProfileView(this, *it, sso);
}

std::optional<ProfileView> AwsConfig::find_profile(std::string_view name) const noexcept {
  return find(profiles_, profiles_by_name_, name, false);
}

std::optional<ProfileView> AwsConfig::find_sso_session(std::string_view name) const noexcept {
  return find(sessions_, sessions_by_name_, name, true);
}

std::vector<std::string_view> AwsConfig::profile_names() const {
  std::vector<std::string_view> names;
  names.reserve(profiles_.size());
  for (std::size_t i = 0; i < profiles_.size(); ++i) {
    if (profiles_[i].name == kDefaultProfile && !profile(i).has_profile_settings()) continue;
    names.emplace_back(profiles_[i].name);
  }
  return names;
}

std::string AwsConfig::location(std::size_t line) const {
  return ascii::escape_for_terminal(path_) + ":" + std::to_string(line);
}

Result<AwsConfig> parse_aws_config(std::string_view text, std::string path) {
  auto doc = parse_ini(text);
  if (!doc) return rewrite_ini_error(std::move(doc).error(), path);
  return AwsConfig::from_document(std::move(doc).value(), std::move(path));
}

std::optional<std::string_view> sso_start_url_precedence(std::string_view session_url,
                                                         std::string_view inline_url) noexcept {
  if (!session_url.empty()) return session_url;
  if (!inline_url.empty()) return inline_url;
  return std::nullopt;
}

std::optional<std::string_view> profile_sso_start_url(const AwsConfig& config,
                                                      const ProfileView& profile) noexcept {
  std::string_view session_url;
  if (const auto session_name = profile.value("sso_session")) {
    if (const auto session = config.find_sso_session(*session_name)) {
      session_url = session->value("sso_start_url").value_or(std::string_view{});
    }
  }
  return sso_start_url_precedence(session_url, profile.value("sso_start_url").value_or(std::string_view{}));
}

}  // namespace av::config
