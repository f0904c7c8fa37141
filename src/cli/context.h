// context.h: the outside world as the CLI sees it (STYLE.md rule 3). Everything a command reads
// or writes beyond its arguments comes through here, so tests inject string writers, a fake
// environment and a fake clock, and nothing in cli/ reaches for globals.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "keyring/keyring.h"
#include "platform/clock.h"
#include "platform/env.h"
#include "platform/terminal.h"
#include "secure/secret.h"
#include "vault/vault.h"

namespace av::cli {

// Writer is an output stream (stdout or stderr). Never given secrets except by `export`.
class Writer {
 public:
  virtual ~Writer() = default;
  // write outputs `text` completely; Errc::Io on failure (e.g. a closed pipe).
  virtual Status write(std::string_view text) = 0;
};

// StringWriter collects output in memory (tests).
class StringWriter final : public Writer {
 public:
  Status write(std::string_view text) override {
    text_.append(text);
    return ok();
  }
  const std::string& text() const noexcept { return text_; }

 private:
  std::string text_;
};

// ExecutableExists reports whether `path` names an executable file (main wires
// platform::is_executable; tests inject fakes).
using ExecutableExists = bool (*)(std::string_view path);

// KeyringOpener opens the keyring backend named `backend` (the --backend value, spec §1.6) and
// returns it borrowed: the opener owns the backend for the rest of the run. This is the one seam
// through which commands reach a keyring (main wires the real backend selection; tests hand out a
// MemoryKeyring). Failures carry Errc::Usage (error shape 2, spec §2.0).
using KeyringOpener = std::function<Result<keyring::Keyring*>(std::string_view backend)>;

// LinePrompt reads one line from the terminal after writing `prompt` (spec §1.8), straight into
// secure memory. Unset means platform::prompt_tty_line; tests inject scripted answers.
using LinePrompt =
    std::function<Result<secure::SecretString>(std::string_view prompt, platform::Echo echo)>;

// Context borrows everything it refers to; the caller keeps them alive for the whole run.
struct Context {
  const platform::Environment& env;
  Writer& out;
  Writer& err;
  const platform::Clock& clock;
  std::string program_name;            // basename(argv[0]), for error shape 2 (spec §1.2)
  std::optional<int> stderr_columns;   // terminal width of stderr; nullopt if not a terminal
  ExecutableExists executable_exists;  // PATH lookups for prompt drivers (spec §1.7)
  KeyringOpener open_keyring = {};     // unset: the real backends (cli/keyring_access.cpp)
  LinePrompt prompt_line = {};         // unset: platform::prompt_tty_line
  // backend_chosen: --backend came from the command line, AWS_VAULT_BACKEND or the settings file,
  // so no other backend may replace it (keyring/registry.h). Set by run().
  bool backend_chosen = false;
  // opened_keyring owns the backend the real opener opened, for the rest of the run.
  std::unique_ptr<keyring::Keyring> opened_keyring = {};
  // get_credentials replaces the credential chain (vault::get_credentials with real HTTP, MFA
  // and keyring services) when set: tests return canned credentials or errors. Unset: the real
  // chain (cli/credentials_access.cpp).
  std::function<Result<vault::Issued>(const config::ResolvedProfile&, const vault::ChainOptions&)>
      get_credentials = {};
  // exit_code: set by a command that ran a child process to completion (exec with a server):
  // when the command succeeds, run() returns this instead of 0 (spec §6.3).
  std::optional<int> exit_code = std::nullopt;
};

// program_basename returns the last path component of argv[0] (Go filepath.Base), or
// "aws-vault" when argv[0] is empty or "/".
std::string program_basename(std::string_view argv0);

}  // namespace av::cli
