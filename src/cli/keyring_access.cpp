// keyring_access.cpp: the keyring seam helpers shared by add, remove, list and clear.
#include "cli/keyring_access.h"

#include "base/ascii.h"
#include "base/check.h"
#include "keyring/backends/file/file_keyring.h"
#include "keyring/keys.h"
#include "keyring/registry.h"
#include "platform/terminal.h"

namespace av::cli {

keyring::BackendSettings backend_settings(const Invocation& in) {
  keyring::BackendSettings settings;
  settings.env = in.ctx.env.clone();
  settings.file_dir = std::string(in.args.flag("file-dir").value_or(keyring::file::kDefaultFileDir));
  settings.pass_dir = std::string(in.args.flag("pass-dir").value_or(""));
  settings.pass_cmd = std::string(in.args.flag("pass-cmd").value_or(""));
  settings.pass_prefix = std::string(in.args.flag("pass-prefix").value_or(""));
  settings.secret_service_collection =
      std::string(in.args.flag("secret-service-collection").value_or("awsvault"));
  settings.keyctl_scope = std::string(in.ctx.env.get("AWS_VAULT_KEYCTL_SCOPE").value_or(""));
  // The file passphrase: AWS_VAULT_FILE_PASSPHRASE when that variable exists (even empty), else
  // the passphrase prompt, asked only when an item is first read or written (spec §1.6).
  const platform::Environment& env = in.ctx.env;
  std::string dir = settings.file_dir;
  settings.file_passphrase = [&env, dir]() -> Result<secure::SecretString> {
    AV_TRY_ASSIGN(auto from_env, env.get_secret("AWS_VAULT_FILE_PASSPHRASE"));
    if (from_env) return std::move(*from_env);
    AV_TRY_ASSIGN(const std::string resolved, keyring::file::resolve_file_dir(dir, env));
    return platform::prompt_passphrase(keyring::file::passphrase_prompt_text(resolved));
  };
  Writer& err = in.ctx.err;
  settings.warn = [&err](std::string_view text) {
    (void)err.write("aws-vault: warning: " + std::string(text) + "\n");
  };
  return settings;
}

Result<std::unique_ptr<keyring::Keyring>> open_named_backend(const Invocation& in,
                                                             std::string_view name) {
  return keyring::open_backend(name, backend_settings(in));
}

Result<keyring::Keyring*> open_keyring(const Invocation& in) {
  const std::string_view backend = in.args.flag("backend").value_or("");
  if (in.ctx.open_keyring) {  // tests (and future embedders) inject their own
    AV_TRY_ASSIGN(keyring::Keyring* const ring, in.ctx.open_keyring(backend));
    AV_CHECK(ring != nullptr);
    return ring;
  }
  if (!in.ctx.opened_keyring) {
    if (in.ctx.backend_chosen) {
      auto opened = open_named_backend(in, backend);
      if (!opened) {
        return Error(Errc::Usage, "keyring backend " + ascii::quote_for_terminal(backend) + ": " +
                                      std::string(opened.error().message()));
      }
      in.ctx.opened_keyring = std::move(opened).value();
    } else {
      auto opened = keyring::open_first_available(keyring::available_backends(in.ctx.env),
                                                  backend_settings(in));
      if (!opened) return Error(Errc::Usage, std::string(opened.error().message()));
      in.ctx.opened_keyring = std::move(opened->keyring);
    }
  }
  return in.ctx.opened_keyring.get();
}

Result<secure::SecretString> prompt_line(const Invocation& in, std::string_view prompt,
                                         bool masked) {
  const platform::Echo echo = masked ? platform::Echo::Masked : platform::Echo::Visible;
  if (in.ctx.prompt_line) return in.ctx.prompt_line(prompt, echo);
  return platform::prompt_tty_line(prompt, echo);
}

Status store_credentials(keyring::Keyring& ring, std::string_view profile,
                         const keyring::LongTermCredentials& creds) {
  AV_TRY_ASSIGN(const secure::SecretString json, keyring::serialize_credentials_json(creds));
  keyring::Item item;
  item.key = std::string(profile);
  item.data = secure::SecretBytes::copy_of(json.reveal_bytes());
  item.label = keyring::credentials_label(profile);
  item.keychain_not_trust_application = true;
  return ring.set(item);
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
