// keyring_access.cpp: the keyring seam helpers shared by add, remove, list and clear.
#include "cli/keyring_access.h"

#include "base/ascii.h"
#include "base/check.h"
#include "keyring/backends/file/file_keyring.h"
#include "keyring/keys.h"
#include "platform/terminal.h"

namespace av::cli {

namespace {

// open_file_backend opens the `file` store named by --file-dir / AWS_VAULT_FILE_DIR (spec §1.6):
// the passphrase is AWS_VAULT_FILE_PASSPHRASE when that variable exists (even empty), else the
// passphrase prompt, asked only when an item is first read or written.
Result<std::unique_ptr<keyring::Keyring>> open_file_backend(const Invocation& in) {
  const std::string_view dir_flag =
      in.args.flag("file-dir").value_or(keyring::file::kDefaultFileDir);
  AV_TRY_ASSIGN(const std::string dir, keyring::file::resolve_file_dir(dir_flag, in.ctx.env));
  const platform::Environment& env = in.ctx.env;
  keyring::file::FileKeyringOptions options;
  options.dir = dir;
  options.passphrase = [&env, dir]() -> Result<secure::SecretString> {
    AV_TRY_ASSIGN(auto from_env, env.get_secret("AWS_VAULT_FILE_PASSPHRASE"));
    if (from_env) return std::move(*from_env);
    return platform::prompt_passphrase(keyring::file::passphrase_prompt_text(dir));
  };
  auto opened = keyring::file::FileKeyring::open(std::move(options));
  if (!opened) return Error(Errc::Usage, std::string(opened.error().message()));
  if ((*opened)->directory_too_open()) {
    (void)in.ctx.err.write("aws-vault: warning: " + ascii::quote_for_terminal(dir) +
                           " is accessible by group or others\n");
  }
  return std::unique_ptr<keyring::Keyring>(std::move(opened).value());
}

}  // namespace

Result<keyring::Keyring*> open_keyring(const Invocation& in) {
  const std::string_view backend = in.args.flag("backend").value_or("");
  if (in.ctx.open_keyring) {  // tests (and future embedders) inject their own
    AV_TRY_ASSIGN(keyring::Keyring* const ring, in.ctx.open_keyring(backend));
    AV_CHECK(ring != nullptr);
    return ring;
  }
  if (!in.ctx.opened_keyring) {
    // Only the file backend has landed; the others follow in issue 4's next steps.
    if (backend != "file") {
      return Error(Errc::Usage, "keyring backend " + ascii::quote_for_terminal(backend) +
                                    " is not available yet");
    }
    AV_TRY_ASSIGN(in.ctx.opened_keyring, open_file_backend(in));
  }
  return in.ctx.opened_keyring.get();
}

Result<secure::SecretString> prompt_line(const Invocation& in, std::string_view prompt,
                                         bool masked) {
  const platform::Echo echo = masked ? platform::Echo::Masked : platform::Echo::Visible;
  if (in.ctx.prompt_line) return in.ctx.prompt_line(prompt, echo);
  return platform::prompt_tty_line(prompt, echo);
}

Result<std::size_t> delete_profile_sessions(keyring::Keyring& ring, std::string_view profile) {
  AV_TRY_ASSIGN(const std::vector<std::string> keys, ring.keys());
  std::size_t deleted = 0;
  for (const std::string& key : keys) {
    if (keyring::classify_key(key) != keyring::KeyKind::Session) continue;
    const Result<keyring::SessionKey> session = keyring::parse_session_key(key);
    if (!session || session->profile != profile) continue;
    AV_TRY(ring.remove(key));
    ++deleted;
  }
  return deleted;
}

std::string_view url_host(std::string_view url) noexcept {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return {};
  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  const std::size_t at = rest.rfind('@');
  return at == std::string_view::npos ? rest : rest.substr(at + 1);
}

}  // namespace av::cli
