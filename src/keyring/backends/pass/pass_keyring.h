// pass_keyring.h: the `pass` (password-store, GPG) and `passage` (its age fork) backends
// (backends.md §2.3, §2.4). One implementation serves both; a small descriptor says which program,
// file extension and store-directory variable apply.
//
// Each item is the Item JSON of §1.3, stored by the tool as `<store>/<prefix>/<key>.<ext>`:
//   get     `<cmd> show <name>`            (stdout = the Item JSON, read into locked memory)
//   set     `<cmd> insert -m -f <name>`    (the Item JSON on stdin, no trailing newline)
//   remove  `<cmd> rm -f <name>`
// with the environment given at open() plus `PASSWORD_STORE_DIR=<store>` (`PASSAGE_DIR` for
// passage). Secrets go to the child on stdin only, never argv. `<name>` is `<prefix>/<key>`
// cleaned as Go's filepath.Join does (`//` collapses, `.` and `..` resolve), so items the Go tool
// wrote are found under the same names.
//
// Differences from upstream, all hardening (docs/COMPATIBILITY.md):
//   * a key whose cleaned name would leave the prefix (`../x`), names nothing (``, `.`, `a/..`),
//     contains NUL, or starts with '-' (the tool would read it as an option) is refused with
//     Errc::Parse before anything runs; a prefix that leaves the store is refused by open();
//   * open() also checks that the store exists (and, for pass, has a .gpg-id covering the
//     prefix; for passage, that the identities file exists), so the registry can say why;
//   * the child's stderr is captured and its last line quoted in the error instead of being
//     passed through (gpg prompts go through pinentry/gpg-agent, not our stderr);
//   * keys() bounds the walk (limits::kMaxPassStoreDepth / kMaxPassStoreEntries), skips
//     symlinks and entries with an empty name, and also works when the store itself is a symlink
//     and the prefix is empty;
//   * the tool's output is capped at limits::kMaxItemJsonBytes.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "keyring/keyring.h"
#include "platform/env.h"

namespace av::keyring::pass {

// PassTool: which program the backend drives.
enum class PassTool : int {
  Pass,     // password-store with GPG: `*.gpg`, $PASSWORD_STORE_DIR, ~/.password-store
  Passage,  // passage with age: `*.age`, $PASSAGE_DIR, ~/.passage/store
};

// PassOptions: how to open the store (aws-vault's --pass-dir, --pass-cmd, --pass-prefix).
struct PassOptions {
  PassTool tool = PassTool::Pass;
  // dir: the store; empty means $PASSWORD_STORE_DIR / $PASSAGE_DIR, then the tool's default.
  // A leading "~/" is expanded.
  std::string dir;
  // command: the program to run (looked up in env's PATH); empty means "pass" / "passage".
  std::string command;
  // prefix: the folder inside the store that holds the items (aws-vault's default is empty).
  std::string prefix;
  // env: the environment the tool runs with (usually Environment::from_process().clone()); the
  // store variable is added to it.
  platform::Environment env;
  // timeout: wall-clock limit for one tool invocation; zero (the default, as upstream) means
  // none, because gpg may wait for the user at a pinentry.
  std::chrono::milliseconds timeout{0};
};

// PassKeyring: the backend. Not thread-safe; the tool itself serialises nothing either.
class PassKeyring final : public Keyring {
 public:
  // open resolves the command and the store directory and checks them. Errors:
  // Errc::NotFound "the pass program is not available: <look_path reason>" (or passage);
  // Errc::NotFound "password store <dir> does not exist" / "passage store <dir> does not exist";
  // Errc::Config "<dir> is not a directory", "password store <dir> is not initialised (no
  // .gpg-id; run pass init)", "passage identities file <path> does not exist", "pass prefix <p>
  // leaves the store"; home_dir errors when "~" needs expanding.
  [[nodiscard]] static Result<std::unique_ptr<PassKeyring>> open(PassOptions options);

  // store_dir: the resolved store directory ("~" expanded).
  const std::string& store_dir() const noexcept { return dir_; }
  // program: the resolved path of the tool.
  const std::string& program() const noexcept { return program_; }

  // get: not_found_error() when `<store>/<name>.<ext>` does not exist (nothing runs); otherwise
  // runs `show`. Errc::Keyring "<tool> show <name>: exit status N: <last stderr line>" when the
  // tool fails (a corrupt entry is never deleted); parse_item_json's errors (Parse, TooLarge)
  // for output that is not an Item; the key errors above; run_program's errors.
  Result<Item> get(std::string_view key) override;
  // get_metadata: an empty Metadata and no error, as upstream (nothing is checked or run).
  Result<Metadata> get_metadata(std::string_view key) override;
  // set: runs `insert -m -f <name>` with the Item JSON on stdin (it replaces an existing entry).
  // Errc::Keyring when the tool fails; serialize_item_json's and the key errors.
  Status set(const Item& item) override;
  // remove: not_found_error() when the entry does not exist; otherwise runs `rm -f <name>`.
  Status remove(std::string_view key) override;
  // keys: the names of the regular `*.<ext>` files below `<store>/<prefix>`, relative to it,
  // without the extension, sorted. A missing prefix folder gives an empty list; one that is not a
  // directory, or an unreadable folder below it, is a platform error (Io, PermissionDenied);
  // Errc::TooLarge beyond the walk limits.
  Result<std::vector<std::string>> keys() override;

 private:
  PassKeyring() = default;
  Result<std::string> entry_name(std::string_view key) const;
  Result<std::string> entry_path(std::string_view key, std::string* out_name) const;
  Result<secure::SecretBytes> run_tool(std::vector<std::string> args,
                                       const secure::SecretString* input,
                                       std::size_t max_stdout_len);

  PassTool tool_ = PassTool::Pass;
  std::string program_;
  std::string dir_;
  std::string prefix_;  // cleaned, without leading or trailing '/'; may be empty
  platform::Environment env_;
  std::chrono::milliseconds timeout_{0};
};

}  // namespace av::keyring::pass
