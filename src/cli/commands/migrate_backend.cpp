// migrate_backend.cpp: the `migrate-backend` command (spec §2.9): copy long-term credentials from
// one keyring backend to another, verify each copy by reading it back, and optionally delete the
// source item. Sessions and OIDC tokens are never migrated (they are re-created on demand).
#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/ascii.h"
#include "cli/commands/commands.h"
#include "cli/keyring_access.h"
#include "keyring/credentials.h"
#include "keyring/keys.h"
#include "secure/ct.h"

namespace av::cli::commands {
namespace {

struct Summary {
  std::size_t copied = 0;
  std::size_t overwritten = 0;
  std::size_t skipped = 0;
  std::size_t deleted = 0;
};

// Backend: an opened backend, owned here unless a test injected it through the Context seam.
struct Backend {
  std::unique_ptr<keyring::Keyring> owned;
  keyring::Keyring* ring = nullptr;
};

std::string open_label(std::string_view role, std::string_view name) {
  return "open " + std::string(role) + " backend " + ascii::quote_for_terminal(name);
}

Result<Backend> open_backend(const Invocation& in, std::string_view name, std::string_view role) {
  Backend b;
  if (in.ctx.open_keyring) {
    auto ring = in.ctx.open_keyring(name);
    if (!ring) return std::move(ring).error().with_context(open_label(role, name));
    b.ring = *ring;
    return b;
  }
  auto opened = open_named_backend(in, name);
  if (!opened) return std::move(opened).error().with_context(open_label(role, name));
  b.owned = std::move(opened).value();
  b.ring = b.owned.get();
  return b;
}

bool same_credentials(const keyring::LongTermCredentials& a,
                      const keyring::LongTermCredentials& b) noexcept {
  return a.access_key_id == b.access_key_id &&
         ct::equal(a.secret_access_key.reveal_bytes(), b.secret_access_key.reveal_bytes()) &&
         ct::equal(a.session_token.reveal_bytes(), b.session_token.reveal_bytes()) &&
         a.source == b.source && a.can_expire == b.can_expire && a.expires == b.expires &&
         a.account_id == b.account_id;
}

Result<keyring::LongTermCredentials> read_credentials(keyring::Keyring& ring,
                                                      std::string_view name) {
  AV_TRY_ASSIGN(const keyring::Item item, ring.get(name));
  return keyring::parse_credentials_json(as_chars(item.data.reveal()));
}

// exists_in reports whether `name` is stored in `ring` (a missing item is not an error).
Result<bool> exists_in(keyring::Keyring& ring, std::string_view name) {
  const Result<keyring::Item> item = ring.get(name);
  if (item) return true;
  if (keyring::is_not_found(item.error())) return false;
  return item.error();
}

std::string step_error(std::string_view step, std::string_view name, const Error& e) {
  return std::string(step) + " profile " + ascii::quote_for_terminal(name) + ": " +
         std::string(e.message());
}

// migrate_one copies one profile and returns the text after "Migrating <name>... ".
Result<std::string> migrate_one(const Invocation& in, keyring::Keyring& from, keyring::Keyring& to,
                                std::string_view name, Summary& summary) {
  const auto fail = [&](std::string_view step, const Error& e) {
    return Error(e.code(), step_error(step, name, e));
  };
  const Result<bool> existed = exists_in(to, name);
  if (!existed) return fail("check destination", existed.error());
  if (*existed && !in.args.flag_bool("overwrite")) {
    ++summary.skipped;
    return std::string("skipped, already exists in destination");
  }
  const Result<keyring::LongTermCredentials> creds = read_credentials(from, name);
  if (!creds) return fail("read source", creds.error());
  if (Status s = store_credentials(to, name, *creds); !s) return fail("write destination", s.error());
  const Result<keyring::LongTermCredentials> back = read_credentials(to, name);
  if (!back) return fail("verify destination", back.error());
  if (!same_credentials(*creds, *back)) {
    return Error(Errc::Keyring, step_error("verify destination", name,
                                           Error(Errc::Keyring, "credential mismatch")));
  }
  *existed ? ++summary.overwritten : ++summary.copied;
  return std::string(*existed ? "overwritten, verified" : "copied, verified");
}

Status migrate_all(const Invocation& in, keyring::Keyring& from, keyring::Keyring& to,
                   const std::vector<std::string>& names, Summary& summary) {
  Writer& out = in.ctx.out;
  for (const std::string& name : names) {
    AV_TRY(out.write("Migrating " + name + "... "));
    Result<std::string> done = migrate_one(in, from, to, name, summary);
    if (!done) {
      AV_TRY(out.write("failed: " + std::string(done.error().message()) + "\n"));
      AV_TRY(out.write("Migration stopped. Source credentials were not deleted for the failed "
                       "profile.\n"));
      return std::move(done).error();
    }
    const bool wrote = done->find("verified") != std::string::npos;
    if (wrote && in.args.flag_bool("delete-source")) {
      if (Status s = from.remove(name); !s) {
        AV_TRY(out.write("failed: " + std::string(s.error().message()) + "\n"));
        return Error(s.error().code(), step_error("delete source", name, s.error()));
      }
      ++summary.deleted;
      *done += ", deleted source";
    }
    AV_TRY(out.write(*done + "\n"));
  }
  return ok();
}

Status print_summary(Writer& out, const Summary& s) {
  return out.write("\nMigration summary:\n  copied: " + std::to_string(s.copied) +
                   "\n  overwritten: " + std::to_string(s.overwritten) +
                   "\n  skipped: " + std::to_string(s.skipped) +
                   "\n  deleted from source: " + std::to_string(s.deleted) + "\n");
}

// candidates: the source's long-term credential names, sorted; just --profile when given.
Result<std::vector<std::string>> candidates(const Invocation& in, keyring::Keyring& from) {
  AV_TRY_ASSIGN(const std::vector<std::string> keys, from.keys());
  std::vector<std::string> names = keyring::credential_keys(keys);
  std::sort(names.begin(), names.end());
  const std::string_view profile = in.args.flag("profile").value_or("");
  if (profile.empty()) return names;
  if (std::find(names.begin(), names.end(), profile) == names.end()) {
    return Error(Errc::NotFound, "profile " + ascii::quote_for_terminal(profile) +
                                     " not found in source backend");
  }
  return std::vector<std::string>{std::string(profile)};
}

Status print_dry_run(Writer& out, std::string_view from, std::string_view to,
                     const std::vector<std::string>& names) {
  std::string text = "Would migrate " + std::to_string(names.size()) +
                     " credential profile(s) from " + std::string(from) + " to " +
                     std::string(to) + ":\n";
  for (const std::string& name : names) text += "  " + name + "\n";
  return out.write(text + "\nNo changes made.\n");
}

}  // namespace

Status run_migrate_backend(const Invocation& in) {
  const std::string from_name(in.args.flag("from").value_or(""));
  const std::string to_name(in.args.flag("to").value_or(""));
  if (from_name == to_name) {
    return Error(Errc::Config, "source and destination backends must differ");
  }
  AV_TRY_ASSIGN(Backend from, open_backend(in, from_name, "source"));
  AV_TRY_ASSIGN(const std::vector<std::string> names, candidates(in, *from.ring));
  if (names.empty()) {
    return in.ctx.out.write("No credentials found in source backend " + from_name + ".\n");
  }
  if (in.args.flag_bool("dry-run")) return print_dry_run(in.ctx.out, from_name, to_name, names);
  AV_TRY_ASSIGN(Backend to, open_backend(in, to_name, "destination"));
  Summary summary;
  AV_TRY(migrate_all(in, *from.ring, *to.ring, names, summary));
  return print_summary(in.ctx.out, summary);
}

}  // namespace av::cli::commands
