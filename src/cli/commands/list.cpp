// list.cpp: the `list` command, alias `ls` (spec §2.3): credential names, profile names, session
// and OIDC labels, or the three-column table. Listing reads keys only, never item data.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands/commands.h"
#include "cli/config_loader.h"
#include "cli/keyring_access.h"
#include "cli/report.h"
#include "codec/go_duration.h"
#include "keyring/keys.h"

namespace av::cli::commands {
namespace {

constexpr std::string_view kSsoSessionPrefix = "sso-session ";
constexpr std::size_t kMinColumnWidth = 25;

// Listing: everything gathered before any output (spec §2.3).
struct Listing {
  std::vector<std::string> credentials;                       // keyring order
  std::vector<std::string> oidc_urls;                         // keyring order
  std::vector<std::pair<std::string, std::string>> sessions;  // (profile, label), keyring order
};

// remaining is expiry - now truncated to whole seconds, saturated as Go's Time.Sub saturates to
// the Duration range (a key may carry any int64 expiry).
std::chrono::nanoseconds remaining(std::int64_t expiry_unix,
                                   std::chrono::system_clock::time_point now) {
  constexpr std::int64_t kMaxSeconds = std::numeric_limits<std::int64_t>::max() / 1'000'000'000;
  const std::int64_t now_unix =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  // Both operands are clamped first, so the subtraction cannot overflow.
  const std::int64_t diff = std::clamp(expiry_unix, -kMaxSeconds * 2, kMaxSeconds * 2) -
                            std::clamp(now_unix, -kMaxSeconds * 2, kMaxSeconds * 2);
  return std::chrono::seconds(std::clamp(diff, -kMaxSeconds, kMaxSeconds));
}

Listing gather(const std::vector<std::string>& keys, std::chrono::system_clock::time_point now) {
  Listing l;
  l.credentials = keyring::credential_keys(keys);
  for (const std::string& key : keys) {
    if (const auto url = keyring::oidc_start_url(key)) l.oidc_urls.emplace_back(*url);
    if (keyring::classify_key(key) != keyring::KeyKind::Session) continue;
    const Result<keyring::SessionKey> s = keyring::parse_session_key(key);
    if (!s) continue;
    l.sessions.emplace_back(
        s->profile, s->type + ":" + codec::format_go_duration(remaining(s->expiry_unix, now)));
  }
  return l;
}

// oidc_label names a token by the [sso-session] holding its URL, else the URL's host, else the URL.
std::string oidc_label(const config::AwsConfig& config, std::string_view url) {
  const config::IniDocument& doc = config.document();
  for (std::size_t i = 0; i < doc.num_sections(); ++i) {
    const std::string_view section = doc.section(i).name();
    if (!section.starts_with(kSsoSessionPrefix)) continue;
    const auto session = config.find_sso_session(section.substr(kSsoSessionPrefix.size()));
    if (session && session->value("sso_start_url") == url)
      return "oidc:" + std::string(session->name());
  }
  const std::string_view host = url_host(url);
  return "oidc:" + std::string(host.empty() ? url : host);
}

std::vector<std::string> all_labels(const config::AwsConfig& config, const Listing& l) {
  std::vector<std::string> labels;
  for (const std::string& url : l.oidc_urls) labels.push_back(oidc_label(config, url));
  for (const auto& session : l.sessions) labels.push_back(session.second);
  return labels;
}

using Row = std::vector<std::string>;

// profile_sessions is the third cell of a profile row: its OIDC label, then its session labels.
std::vector<std::string> profile_sessions(const config::AwsConfig& config, std::string_view name,
                                          const Listing& l) {
  std::vector<std::string> cells;
  const auto view = config.find_profile(name);
  const auto url = view ? config::profile_sso_start_url(config, *view) : std::nullopt;
  if (url && std::find(l.oidc_urls.begin(), l.oidc_urls.end(), *url) != l.oidc_urls.end()) {
    cells.push_back(oidc_label(config, *url));
  }
  for (const auto& session : l.sessions) {
    if (session.first == name) cells.push_back(session.second);
  }
  return cells;
}

std::string join_or_dash(const std::vector<std::string>& cells) {
  if (cells.empty()) return "-";
  std::string out;
  for (const std::string& cell : cells) out += (out.empty() ? "" : ", ") + cell;
  return out;
}

std::vector<Row> table_rows(const config::AwsConfig& config, const Listing& l) {
  std::vector<Row> rows = {{"Profile", "Credentials", "Sessions"},
                           {"=======", "===========", "========"}};
  std::set<std::string, std::less<>> shown;
  const std::vector<std::string_view> profiles = config.profile_names();
  for (std::string_view name : profiles) {
    const bool has_creds =
        std::find(l.credentials.begin(), l.credentials.end(), name) != l.credentials.end();
    const std::vector<std::string> cells = profile_sessions(config, name, l);
    shown.insert(cells.begin(), cells.end());
    rows.push_back({std::string(name), has_creds ? std::string(name) : "-", join_or_dash(cells)});
  }
  for (const std::string& cred : l.credentials) {
    if (std::find(profiles.begin(), profiles.end(), cred) == profiles.end()) {
      rows.push_back({"-", cred, "-"});
    }
  }
  for (const std::string& label : all_labels(config, l)) {
    if (!shown.contains(label)) rows.push_back({"-", "-", label});
  }
  return rows;
}

// render pads every cell to its column's width, max(25, longest cell + 2), trailing spaces kept.
// Cells come from the config and the keyring: control bytes are neutralised first.
std::string render(std::vector<Row> rows) {
  for (Row& row : rows) {
    for (std::string& cell : row) cell = neutralize_controls(cell);
  }
  std::size_t widths[3] = {kMinColumnWidth, kMinColumnWidth, kMinColumnWidth};
  for (const Row& row : rows) {
    for (std::size_t c = 0; c < 3; ++c) widths[c] = std::max(widths[c], row[c].size() + 2);
  }
  std::string out;
  for (const Row& row : rows) {
    for (std::size_t c = 0; c < 3; ++c) out += row[c] + std::string(widths[c] - row[c].size(), ' ');
    out += '\n';
  }
  return out;
}

// lines writes one item per line, control bytes neutralised.
std::string lines(const std::vector<std::string_view>& items) {
  std::string out;
  for (std::string_view item : items) out += neutralize_controls(item) + '\n';
  return out;
}

}  // namespace

Status run_list(const Invocation& in) {
  // Precedence of the modes is spec §2.3's: --credentials, then --profiles, then --sessions.
  if (in.args.flag_bool("profiles") && !in.args.flag_bool("credentials")) {
    AV_TRY_ASSIGN(const config::AwsConfig config, load_aws_config(in.ctx));
    return in.ctx.out.write(lines(config.profile_names()));
  }
  AV_TRY_ASSIGN(keyring::Keyring* const ring, open_keyring(in));
  AV_TRY_ASSIGN(const config::AwsConfig config, load_aws_config(in.ctx));
  AV_TRY_ASSIGN(const std::vector<std::string> keys, ring->keys());
  const Listing l = gather(keys, in.ctx.clock.now());
  if (in.args.flag_bool("credentials")) {
    return in.ctx.out.write(lines({l.credentials.begin(), l.credentials.end()}));
  }
  if (in.args.flag_bool("sessions")) {
    const std::vector<std::string> labels = all_labels(config, l);
    return in.ctx.out.write(lines({labels.begin(), labels.end()}));
  }
  return in.ctx.out.write(render(table_rows(config, l)));
}

}  // namespace av::cli::commands
