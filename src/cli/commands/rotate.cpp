// rotate.cpp: the `rotate` command (spec §2.4, §8): replace the long-term access key of a
// profile (or of its source profile) by a new one, in IAM and in the keyring.
//
// Order of operations, chosen so that an interruption or a failure at any step leaves the user
// with a stored key that works (docs/COMPATIBILITY.md lists the differences from upstream):
//   1. CreateAccessKey (nothing else has changed yet);
//   2. store the new key in place of the old one; if that fails, delete the new key in IAM again;
//   3. prove the new key works with sts:GetCallerIdentity, retrying (bounded) while IAM
//      propagates it; if it never works, put the old item back and delete the new key in IAM;
//   4. delete the cached sessions of the profile chain;
//   5. DeleteAccessKey(old), retried while IAM may still be propagating. With --no-session it is
//      signed with the new, verified key (upstream signs with the old one, quirk A.18); with a
//      session, with that session (it carries the MFA or role rights the bare key may lack).
// Every failure message names which key is stored and which keys are active in IAM.
//
// Also fixed: `rotate -n` uses the item actually rotated, so a profile that borrows its keys
// from its source_profile works (quirk A.17); for a role profile the IAM user name comes from
// sts:GetCallerIdentity with the stored key instead of iam:GetUser with the role session, which
// IAM refuses for role credentials (quirk A.16).
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "aws/iam.h"
#include "aws/retry.h"
#include "aws/sts.h"
#include "base/ascii.h"
#include "base/log.h"
#include "cli/commands/commands.h"
#include "cli/config_loader.h"
#include "cli/credentials_access.h"
#include "cli/keyring_access.h"
#include "cli/profile_choice.h"
#include "crypto/random.h"
#include "keyring/credentials.h"
#include "net/http_client.h"

namespace av::cli::commands {
namespace {

// masked_key renders an access key id as spec §4.3 shows keys: 16 '*' and its last four
// characters.
std::string masked_key(std::string_view access_key_id) {
  const std::size_t keep = std::min<std::size_t>(access_key_id.size(), 4);
  return std::string(16, '*') + std::string(access_key_id.substr(access_key_id.size() - keep));
}

using std::chrono::seconds;

// Verification waits 1, 2, 4, 8, 8, ... seconds between attempts, 30 s in total.
constexpr seconds kVerifyFirstDelay{1};
constexpr seconds kVerifyMaxDelay{8};
constexpr seconds kVerifyBudget{30};
// Deleting the old key is retried every 2 s for 20 s (upstream's numbers).
constexpr seconds kDeleteDelay{2};
constexpr seconds kDeleteBudget{20};

std::string quoted(std::string_view name) { return "'" + ascii::escape_for_terminal(name) + "'"; }

// Rotation: everything one run works with, in the order it is learned.
struct Rotation {
  Rotation(const Invocation& invocation, keyring::Keyring& keyring,
           const config::ResolvedProfile& profile)
      : in(invocation), ring(keyring), target(profile) {}

  const Invocation& in;
  keyring::Keyring& ring;
  const config::ResolvedProfile& target;  // T
  std::string item;                       // C: the keyring item rotated
  keyring::Item old_item;                 // C as it was, to put back
  aws::Credentials old_key;
  aws::Credentials iam_signer;  // the old key (--no-session) or a fresh session
  std::string user_name;        // "" unless T has a role
  aws::Credentials new_key;
  std::unique_ptr<net::HttpClient> http;
  std::unique_ptr<aws::QueryClient> query;
};

Status say(const Rotation& r, std::string_view text) { return r.in.ctx.out.write(text); }

// service_endpoint resolves where T's STS or IAM calls go (spec §4.6), worded as the SDK.
Result<aws::Endpoint> service_endpoint(const Rotation& r, aws::Service service,
                                       std::string_view operation) {
  return vault::service_endpoint(service, r.target, r.in.ctx.env, operation);
}

Result<aws::IamClient> iam_client(const Rotation& r, std::string_view operation) {
  AV_TRY_ASSIGN(aws::Endpoint endpoint, service_endpoint(r, aws::Service::Iam, operation));
  return aws::IamClient(*r.query, std::move(endpoint));
}

Result<aws::StsClient> sts_client(const Rotation& r) {
  AV_TRY_ASSIGN(aws::Endpoint endpoint,
                service_endpoint(r, aws::Service::Sts, "GetCallerIdentity"));
  return aws::StsClient(*r.query, std::move(endpoint));
}

Error prefixed(const Error& error, std::string_view prefix) {
  Error out(error.code(), std::string(prefix) + std::string(error.message()));
  if (error.api_code().empty()) return out;
  return std::move(out).with_api_code(std::string(error.api_code()));
}

// credential_item is spec §8 step 2: T's own item, else its source_profile's (one level).
Result<std::string> credential_item(keyring::Keyring& ring, const config::ResolvedProfile& t) {
  AV_TRY_ASSIGN(const std::vector<std::string> keys, ring.keys());
  const auto stored = [&keys](std::string_view name) {
    for (const std::string& key : keys) {
      if (!name.empty() && key == name) return true;
    }
    return false;
  };
  if (stored(t.name)) return t.name;
  if (stored(t.source_profile_name)) return t.source_profile_name;
  return Error(Errc::NotFound, "Error determining credential name for " + quoted(t.name) +
                                   ": No master credentials found");
}

// load_old_key reads item C (spec §8 step 4), keeping the item itself for a restore.
Status load_old_key(Rotation& r) {
  const std::string prefix = "Error loading source credentials for " + quoted(r.item) + ": ";
  auto item = r.ring.get(r.item);
  if (!item) return prefixed(item.error(), prefix);
  auto parsed = keyring::parse_credentials_json(as_chars(item->data.reveal()));
  if (!parsed) return prefixed(parsed.error(), prefix);
  r.old_item = std::move(*item);
  r.old_key.access_key_id = std::move(parsed->access_key_id);
  r.old_key.secret_access_key = std::move(parsed->secret_access_key);
  r.old_key.session_token = std::move(parsed->session_token);
  return ok();
}

// load_iam_signer is spec §8 step 6: the old key itself with --no-session (the item rotated,
// not T's: quirk A.17 fixed), else the credential chain for T with caching off.
Status load_iam_signer(Rotation& r, const config::AwsConfig& config) {
  if (r.in.args.flag_bool("no-session")) {
    r.iam_signer = r.old_key.clone();
    return ok();
  }
  vault::ChainOptions options = chain_options(r.in);
  options.sessions_disabled = false;
  options.cache_disabled = true;
  auto issued = retrieve_credentials(r.in, r.ring, config, r.target, options);
  if (!issued) return prefixed(issued.error(), "Error getting temporary credentials: ");
  r.iam_signer = std::move(issued->credentials);
  return ok();
}

// load_user_name is spec §8 step 7 for a role profile: the IAM user owning the stored key,
// from sts:GetCallerIdentity signed with that key (needs no permission; quirk A.16 fixed).
Status load_user_name(Rotation& r) {
  if (!r.target.has_role()) return ok();
  const std::string_view prefix = "Error getting IAM username from session: ";
  auto sts = sts_client(r);
  if (!sts) return prefixed(sts.error(), prefix);
  auto identity = sts->get_caller_identity(r.old_key);
  if (!identity) return prefixed(identity.error(), prefix);
  const std::string& arn = identity->arn;
  const std::size_t colon = arn.rfind(':');
  const std::string_view resource =
      colon == std::string::npos ? std::string_view() : std::string_view(arn).substr(colon + 1);
  if (!resource.starts_with("user/")) {
    return Error(Errc::AwsApi, std::string(prefix) + "the stored key belongs to " +
                                   ascii::quote_for_terminal(arn) + ", not to an IAM user");
  }
  r.user_name = std::string(resource.substr(resource.rfind('/') + 1));
  return ok();
}

// delete_new_key removes the new key from IAM after a failed step; "" or why it failed.
std::string delete_new_key(Rotation& r) {
  auto iam = iam_client(r, "DeleteAccessKey");
  if (!iam) return std::string(iam.error().message());
  auto deleted = iam->delete_access_key(r.iam_signer, r.new_key.access_key_id, r.user_name);
  return deleted ? std::string() : std::string(deleted.error().message());
}

std::string new_key_cleanup_text(const Rotation& r, const std::string& failure) {
  if (failure.empty()) return "the new key " + masked_key(r.new_key.access_key_id) + " was deleted";
  return "deleting the new key " + masked_key(r.new_key.access_key_id) + " failed too (" + failure +
         "), delete it in IAM yourself";
}

// store_new_key is spec §8 step 9, undone in IAM when the keyring refuses the new key.
Status store_new_key(Rotation& r) {
  keyring::LongTermCredentials creds;
  creds.access_key_id = r.new_key.access_key_id;
  creds.secret_access_key = r.new_key.secret_access_key.clone();
  const Status stored = store_credentials(r.ring, r.item, creds);
  if (stored) return ok();
  const std::string cleanup = delete_new_key(r);
  return Error(stored.error().code(),
               "Error storing new access key " + masked_key(r.new_key.access_key_id) + ": " +
                   std::string(stored.error().message()) + "; " + new_key_cleanup_text(r, cleanup) +
                   "; the old key " + masked_key(r.old_key.access_key_id) +
                   " is still stored and active");
}

// is_propagating: IAM has not made a new key known everywhere yet.
bool is_propagating(const Error& error) {
  return error.api_code() == "InvalidClientTokenId" || error.api_code() == "AuthFailure";
}

// try_new_key calls GetCallerIdentity with the new key until it works, while the errors say
// the key is still propagating, at most kVerifyBudget of waiting.
Status try_new_key(Rotation& r) {
  AV_TRY_ASSIGN(aws::StsClient sts, sts_client(r));
  seconds delay = kVerifyFirstDelay;
  seconds waited{0};
  for (;;) {
    auto identity = sts.get_caller_identity(r.new_key);
    if (identity) return ok();
    if (!is_propagating(identity.error()) || waited >= kVerifyBudget) return identity.error();
    const seconds pause = std::min(delay, kVerifyBudget - waited);
    log::debug("Waiting " + std::to_string(pause.count()) +
               "s for the new access key to become active: " +
               std::string(identity.error().message()));
    std::this_thread::sleep_for(pause);
    waited += pause;
    delay = std::min(delay * 2, kVerifyMaxDelay);
  }
}

// verify_new_key is the check before the old key goes: on failure the old item is put back and
// the new key deleted in IAM (only once the old item is back: a user must keep a stored key).
Status verify_new_key(Rotation& r) {
  const Status works = try_new_key(r);
  if (works) return ok();
  std::string message = "Error verifying new access key " + masked_key(r.new_key.access_key_id) +
                        ": " + std::string(works.error().message()) + "; ";
  const Status restored = r.ring.set(r.old_item);
  if (!restored) {
    return Error(works.error().code(),
                 message + "putting the old key " + masked_key(r.old_key.access_key_id) +
                     " back failed (" + std::string(restored.error().message()) +
                     "): the new key is stored, and both keys are still active in IAM");
  }
  message += "the old key " + masked_key(r.old_key.access_key_id) + " is stored again and active; ";
  return Error(works.error().code(), message + new_key_cleanup_text(r, delete_new_key(r)));
}

// delete_sessions is spec §8 step 10, for T and each profile of its source chain. Failures
// only go to the debug log: the rotation itself has succeeded by then.
Status delete_sessions(const Rotation& r) {
  for (const config::ResolvedProfile* p = &r.target; p != nullptr; p = p->source.get()) {
    const Result<std::size_t> n = delete_profile_sessions(r.ring, p->name);
    if (!n) {
      log::debug("Deleting sessions for " + quoted(p->name) + ": " +
                 std::string(n.error().message()));
    } else if (*n > 0) {
      AV_TRY(say(r, "Deleted " + std::to_string(*n) + " sessions for " +
                        ascii::escape_for_terminal(p->name) + "\n"));
    }
  }
  return ok();
}

bool delete_retryable(const Error& error) {
  return is_propagating(error) || aws::classify_error(error) != aws::RetryClass::NotRetryable;
}

// delete_old_key is spec §8 step 11: DeleteAccessKey(old), retried every kDeleteDelay for
// kDeleteBudget while the error may go away. NoSuchEntity on a retry means an earlier attempt
// went through; on the first it means the key is already gone, which is the goal too.
Status delete_old_key(Rotation& r) {
  AV_TRY(say(r, "Deleting old access key " + masked_key(r.old_key.access_key_id) + "\n"));
  const bool with_new_key = r.in.args.flag_bool("no-session");
  const aws::Credentials& signer = with_new_key ? r.new_key : r.iam_signer;
  AV_TRY_ASSIGN(aws::IamClient iam, iam_client(r, "DeleteAccessKey"));
  int attempts = 0;
  for (seconds waited{0};; waited += kDeleteDelay) {
    ++attempts;
    auto deleted = iam.delete_access_key(signer, r.old_key.access_key_id, r.user_name);
    if (deleted || deleted.error().api_code() == "NoSuchEntity") break;
    if (!delete_retryable(deleted.error()) || waited + kDeleteDelay > kDeleteBudget) {
      return Error(deleted.error().code(),
                   "Can't delete old access key " + masked_key(r.old_key.access_key_id) + ": After " +
                       std::to_string(attempts) + " attempts, last error: " +
                       std::string(deleted.error().message()) + "; the new key " +
                       masked_key(r.new_key.access_key_id) +
                       " is stored and works, delete the old key in IAM yourself");
    }
    log::debug("Retrying after error: " + std::string(deleted.error().message()));
    std::this_thread::sleep_for(kDeleteDelay);
  }
  return say(r, "Deleted old access key " + masked_key(r.old_key.access_key_id) + "\n");
}

Status create_new_key(Rotation& r) {
  AV_TRY(say(r, "Creating a new access key\n"));
  auto iam = iam_client(r, "CreateAccessKey");
  if (!iam) return prefixed(iam.error(), "Error creating a new access key: ");
  auto created = iam->create_access_key(r.iam_signer, r.user_name);
  if (!created) return prefixed(created.error(), "Error creating a new access key: ");
  r.new_key = std::move(created->credentials);
  return say(r, "Created new access key " + masked_key(r.new_key.access_key_id) + "\n");
}

Status open_clients(Rotation& r, const config::AwsConfig& config) {
  net::ClientOptions options;
  options.ca_bundle = ca_bundle_for(config, r.target.name, r.in.ctx.env);
  AV_TRY_ASSIGN(r.http, net::make_http_client(std::move(options), r.in.ctx.env));
  r.query = std::make_unique<aws::QueryClient>(*r.http, r.in.ctx.clock, crypto::system_random());
  return ok();
}

Status rotate(Rotation& r, const config::AwsConfig& config) {
  AV_TRY_ASSIGN(r.item, credential_item(r.ring, r.target));
  const std::string how = r.in.args.flag_bool("no-session")
                              ? "master credentials"
                              : "a session from profile " + quoted(r.target.name);
  AV_TRY(say(r, "Rotating credentials stored for profile " + quoted(r.item) + " using " + how +
                    " (takes 10-20 seconds)\n"));
  AV_TRY(load_old_key(r));
  AV_TRY(open_clients(r, config));
  AV_TRY(load_iam_signer(r, config));
  AV_TRY(load_user_name(r));
  AV_TRY(create_new_key(r));
  AV_TRY(store_new_key(r));
  AV_TRY(verify_new_key(r));
  AV_TRY(delete_sessions(r));
  AV_TRY(delete_old_key(r));
  return say(r, "Finished rotating access key\n");
}

}  // namespace

Status run_rotate(const Invocation& in) {
  AV_TRY_ASSIGN(const config::BaseConfig base,
                base_config(in, prompt_driver_for(in, /*avoid_terminal=*/false)));
  AV_TRY_ASSIGN(const config::AwsConfig config, load_aws_config(in.ctx));
  AV_TRY_ASSIGN(keyring::Keyring* const ring, open_keyring(in));
  AV_TRY_ASSIGN(const std::string name,
                choose_profile(in.ctx, in.args.arg("profile"), PickerWording::Standard));
  AV_TRY(check_profile_exists(config, *ring, name));
  AV_TRY_ASSIGN(const config::ResolvedProfile target,
                resolve_for_command(config, name, base, in.ctx.env));
  Rotation r(in, *ring, target);
  return rotate(r, config);
}

}  // namespace av::cli::commands
