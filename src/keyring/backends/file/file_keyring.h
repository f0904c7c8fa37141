// file_keyring.h: the `file` backend (backends.md §2.1): one JWE compact file per item in a
// private directory, each holding the Item JSON encrypted under a passphrase
// (PBES2-HS256+A128KW + A256GCM, jose/jwe_file.h), readable by the Go tool and vice versa.
//
// Differences from upstream, all hardening: files are written atomically (temp, fsync, rename,
// directory fsync) with mode 0600 under an exclusive flock on the directory; long-term
// credentials are written with 600,000 PBKDF2 iterations; the passphrase is checked against an
// existing item before the first write into a non-empty store (Errc::AuthFailed, nothing
// written); keys() skips names this backend would never write instead of listing them; a
// missing item on remove() is not_found_error(); the keys "", "." and ".." are refused
// (Errc::Parse) by every operation. docs/design/FILE-BACKEND.md has the reasons.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "crypto/random.h"
#include "keyring/keyring.h"
#include "platform/env.h"
#include "secure/secret.h"

namespace av::keyring::file {

// kDefaultFileDir: upstream's directory, before '~' expansion.
inline constexpr std::string_view kDefaultFileDir = "~/.awsvault/keys/";
// kCredentialIterations: PBKDF2 iterations written for long-term credentials (OWASP 2023).
inline constexpr std::uint32_t kCredentialIterations = 600'000;
// kSessionIterations: iterations written for cached sessions and OIDC tokens (jose2go's default,
// what the Go tool writes for every item; these items expire within hours).
inline constexpr std::uint32_t kSessionIterations = 8'192;

// PassphraseFn supplies the passphrase (AWS_VAULT_FILE_PASSPHRASE or a prompt). Called at most
// once per FileKeyring on success (the result is cached); again after it failed or after the
// cached passphrase was rejected by an item.
using PassphraseFn = std::function<Result<secure::SecretString>()>;

// FileKeyringOptions: how to open the store. `dir` is used as given ('~' already expanded;
// see resolve_file_dir). `random` defaults to crypto::system_random().
struct FileKeyringOptions {
  std::string dir;
  PassphraseFn passphrase;
  std::uint32_t credential_iterations = kCredentialIterations;
  std::uint32_t session_iterations = kSessionIterations;
  crypto::RandomSource* random = nullptr;
};

// resolve_file_dir expands a leading "~/" of `dir`. Errc::Parse "no directory provided" for an
// empty value (as upstream); errors of platform::expand_home.
[[nodiscard]] Result<std::string> resolve_file_dir(std::string_view dir,
                                                   const platform::Environment& env);

// passphrase_prompt_text is upstream's prompt, `Enter passphrase to unlock "<dir>"` (%q quoting).
std::string passphrase_prompt_text(std::string_view dir);

// FileKeyring: the backend. Not thread-safe; several processes may share a directory.
class FileKeyring final : public Keyring {
 public:
  // open creates the directory (0700, parents too) if missing and records whether an existing
  // one is group/world accessible (directory_too_open()). Errc::Parse for an empty dir or an
  // iteration count outside [limits::kMinPbes2Iterations, limits::kMaxPbes2Iterations] or a
  // missing passphrase function; platform errors (Io, PermissionDenied) for the directory.
  [[nodiscard]] static Result<std::unique_ptr<FileKeyring>> open(FileKeyringOptions options);

  // directory_too_open: the directory existed with group/other permission bits (callers warn).
  bool directory_too_open() const noexcept { return too_open_; }
  const std::string& dir() const noexcept { return options_.dir; }

  // get: not_found_error() (no prompt) when the file is missing; Errc::AuthFailed for a wrong
  // passphrase or a tampered file; Errc::Parse / TooLarge / Unsupported for a corrupt or foreign
  // file (it is never deleted); errors of the passphrase function.
  Result<Item> get(std::string_view key) override;
  // get_metadata: the file's mtime, no Item (as upstream); not_found_error() when missing.
  Result<Metadata> get_metadata(std::string_view key) override;
  // set: encrypts and writes atomically under the directory lock. Errc::AuthFailed when the
  // passphrase does not open an existing item (checked once per FileKeyring, before the first
  // write); errors of serialize_item_json, encrypt_jwe and write_file_atomic.
  Status set(const Item& item) override;
  // remove: deletes the file under the lock, no passphrase; not_found_error() when missing.
  Status remove(std::string_view key) override;
  // keys: decoded names of the files this backend could have written, sorted by file name;
  // foreign names (file_name.h decode_file_name) are skipped, never deleted. No passphrase.
  Result<std::vector<std::string>> keys() override;

 private:
  explicit FileKeyring(FileKeyringOptions options, bool too_open)
      : options_(std::move(options)), too_open_(too_open) {}
  Result<std::string> path_for(std::string_view key) const;
  Result<const secure::SecretString*> unlock();
  void forget_passphrase() noexcept;
  Result<Item> decrypt_file(const std::string& path);
  Status verify_passphrase();
  std::uint32_t iterations_for(std::string_view key) const noexcept;

  FileKeyringOptions options_;
  bool too_open_ = false;
  bool verified_ = false;  // the cached passphrase opened an item, or the store was empty
  std::optional<secure::SecretString> passphrase_;
};

}  // namespace av::keyring::file
