// providers.cpp: provider selection (spec §4.2). Execution is in vault.cpp.
#include "vault/providers.h"

#include <optional>
#include <utility>

#include "base/ascii.h"
#include "base/log.h"
#include "codec/go_duration.h"
#include "keyring/keys.h"

namespace av::vault::detail {
namespace {

using config::ResolvedProfile;
using NodePtr = std::unique_ptr<ProviderNode>;

constexpr std::chrono::nanoseconds kRoleChainingMax = std::chrono::hours(1);

std::string name_of(const ResolvedProfile& r) { return ascii::escape_for_terminal(r.name); }

void note(const ResolvedProfile& r, std::string_view text) {
  if (log::debug_enabled()) log::debug("profile " + name_of(r) + ": " + std::string(text));
}

// mfa_detail is the `<detail>` of the "using ..." lines.
std::string_view mfa_detail(bool chained, std::string_view serial) {
  if (chained) return "(chained MFA)";
  return serial.empty() ? "" : "(with MFA)";
}

class Planner {
 public:
  Planner(const std::vector<std::string>& keys, const ChainOptions& options)
      : keys_(keys), options_(options) {}

  Result<NodePtr> provider_for(const ResolvedProfile& r);

 private:
  Result<NodePtr> with_session(const ResolvedProfile& r, bool stored);
  std::pair<NodePtr, bool> prime(const ResolvedProfile& r, NodePtr src);
  bool keeps_full_duration() const;
  std::optional<std::string> session_token_refusal(const ResolvedProfile& r) const;
  NodePtr leaf(ProviderKind kind, const ResolvedProfile& r, std::string_view cache_type,
               std::string cache_serial) const;
  std::chrono::nanoseconds capped_duration(const ProviderNode& src, const ResolvedProfile& r) const;

  // parent: the profile `r` (the top of path_) is the source of, or nullptr for the target.
  const ResolvedProfile* parent() const {
    return path_.size() >= 2 ? path_[path_.size() - 2] : nullptr;
  }
  bool stored(const ResolvedProfile& r) const {
    for (const auto& key : keys_) {
      if (key == r.name) return true;
    }
    return false;
  }

  const std::vector<std::string>& keys_;
  const ChainOptions& options_;
  std::vector<const ResolvedProfile*> path_;  // target first, the profile being planned last
  std::string chained_mfa_;  // the serial of the last GetSessionToken planned
};

NodePtr Planner::leaf(ProviderKind kind, const ResolvedProfile& r, std::string_view cache_type,
                      std::string cache_serial) const {
  auto node = std::make_unique<ProviderNode>();
  node->kind = kind;
  node->profile = &r;
  node->duration = r.durations.assume_role;
  if (!options_.cache_disabled) {
    node->cache_type = cache_type;
    node->cache_serial = std::move(cache_serial);
  }
  return node;
}

Result<NodePtr> Planner::provider_for(const ResolvedProfile& r) {
  path_.push_back(&r);
  struct Pop {
    std::vector<const ResolvedProfile*>& path;
    ~Pop() { path.pop_back(); }
  } pop{path_};
  const bool has_keys = stored(r);
  if (has_keys || r.source != nullptr) return with_session(r, has_keys);
  if (r.has_sso()) {
    note(r, "using SSO role credentials");
    return leaf(ProviderKind::Sso, r, keyring::kSessionTypeSsoGetRoleCredentials, r.sso_start_url);
  }
  if (r.has_web_identity()) {
    note(r, "using web identity");
    return leaf(ProviderKind::WebIdentity, r, keyring::kSessionTypeAssumeRoleWithWebIdentity, "");
  }
  if (!r.credential_process.empty()) {
    note(r, "using credential process");
    return leaf(ProviderKind::CredentialProcess, r, keyring::kSessionTypeCredentialProcess, "");
  }
  return Error(Errc::NotFound, "profile " + name_of(r) + ": credentials missing");
}

Result<NodePtr> Planner::with_session(const ResolvedProfile& r, bool has_keys) {
  NodePtr src;
  if (has_keys) {
    note(r, "using stored credentials");
    src = leaf(ProviderKind::Master, r, "", "");
  } else {
    note(r, "sourcing credentials from profile " + ascii::escape_for_terminal(r.source->name));
    AV_TRY_ASSIGN(src, provider_for(*r.source));
  }
  auto [primed, assume] = prime(r, std::move(src));
  if (!assume || !r.has_role()) return std::move(primed);
  const std::chrono::nanoseconds duration = capped_duration(*primed, r);
  const bool chained = r.has_mfa() && r.mfa_serial == chained_mfa_;
  const std::string serial = chained ? std::string() : r.mfa_serial;
  note(r, "using AssumeRole " + std::string(mfa_detail(chained, serial)));
  NodePtr node = leaf(ProviderKind::AssumeRole, r, keyring::kSessionTypeAssumeRole, serial);
  if (serial.empty()) node->cache_type = {};  // roles without their own MFA are not cached
  node->mfa_serial = serial;
  node->duration = duration;
  node->source = std::move(primed);
  return node;
}

std::pair<NodePtr, bool> Planner::prime(const ResolvedProfile& r, NodePtr src) {
  const ResolvedProfile* from = parent();
  const bool source_for_role = from != nullptr && from->has_role();
  const bool want = (!r.has_role() || source_for_role) && !keeps_full_duration();
  if (!want || src->kind != ProviderKind::Master) return {std::move(src), true};
  if (auto reason = session_token_refusal(r)) {
    note(r, "skipping GetSessionToken because " + *reason);
    return {std::move(src), r.has_role()};
  }
  chained_mfa_ = r.mfa_serial;
  note(r, "using GetSessionToken " + std::string(mfa_detail(false, r.mfa_serial)));
  NodePtr node = leaf(ProviderKind::SessionToken, r, keyring::kSessionTypeGetSessionToken,
                      r.mfa_serial);
  node->mfa_serial = r.mfa_serial;
  node->duration = from != nullptr ? r.durations.chained_session_token
                                   : r.durations.non_chained_session_token;
  node->source = std::move(src);
  return {std::move(node), r.has_role()};
}

// keeps_full_duration: exactly one role on the walk from the profile being planned to the target,
// asking for more than an hour (spec §4.2).
bool Planner::keeps_full_duration() const {
  const ResolvedProfile* role = nullptr;
  int roles = 0;
  for (const ResolvedProfile* p : path_) {
    if (!p->has_role()) continue;
    ++roles;
    role = p;
  }
  return roles == 1 && role->durations.assume_role > kRoleChainingMax;
}

std::optional<std::string> Planner::session_token_refusal(const ResolvedProfile& r) const {
  if (options_.sessions_disabled) return "sessions are disabled";
  if (options_.sessions_disabled_for_profile == r.name) {
    return "sessions are disabled for this profile";
  }
  const ResolvedProfile* from = parent();
  if (from == nullptr) return std::nullopt;
  if (!from->has_mfa()) return "profile '" + name_of(*from) + "' has no MFA serial defined";
  if (!r.has_mfa()) return "profile '" + name_of(r) + "' has no MFA serial defined";
  if (from->mfa_serial != r.mfa_serial) {
    return "MFA serial doesn't match profile '" + name_of(*from) + "'";
  }
  return std::nullopt;
}

// capped_duration applies cap_if_chained: role chaining (a source that is itself a session or a
// role) limits AssumeRole to one hour. Deliberate fix (docs/COMPATIBILITY.md): web identity and
// SSO role credentials are role sessions too, so they are capped as well; upstream sends the
// longer duration and AWS refuses it.
std::chrono::nanoseconds Planner::capped_duration(const ProviderNode& src,
                                                  const ResolvedProfile& r) const {
  const std::chrono::nanoseconds wanted = r.durations.assume_role;
  const bool chained_source =
      src.kind == ProviderKind::SessionToken || src.kind == ProviderKind::AssumeRole ||
      src.kind == ProviderKind::WebIdentity || src.kind == ProviderKind::Sso;
  if (!chained_source || wanted <= kRoleChainingMax) return wanted;
  note(r, "capping AssumeRole duration from " + codec::format_go_duration(wanted) +
              " to AWS maximum 1h0m0s for role chaining");
  return kRoleChainingMax;
}

}  // namespace

Result<std::unique_ptr<ProviderNode>> plan_providers(const config::ResolvedProfile& target,
                                                     const std::vector<std::string>& keyring_keys,
                                                     const ChainOptions& options) {
  Planner planner(keyring_keys, options);
  return planner.provider_for(target);
}

}  // namespace av::vault::detail
