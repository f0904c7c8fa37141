// mfa.h: where an MFA code comes from (spec §9): --mfa-token, then the profile's mfa_process,
// then the prompt driver (terminal, zenity, kdialog, osascript, ykman; wincredui on Windows).
//
// Codes are secrets: they go from the helper's stdout or the terminal straight into locked
// memory. Helpers and the terminal prompt use the controlling terminal (/dev/tty) for their
// stdin and stderr when it can be opened, so they work while aws-vault itself runs as a
// credential_process with stdout piped to an SDK.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "config/profile_resolver.h"
#include "platform/env.h"
#include "secure/secret.h"

namespace av::vault {

// MfaTokenSource: supplies a code for one MFA call. Implementations may prompt a person.
class MfaTokenSource {
 public:
  virtual ~MfaTokenSource() = default;
  // token returns the code to send with `profile.mfa_serial` for `profile` (its mfa_token,
  // mfa_process and prompt_driver fields decide the source, in that order). Errors: the helper's
  // failure (`process provider: exit status 1`, `ykman: ...`), the prompt's (Errc::Io,
  // Errc::Cancelled), Errc::Config for an unknown driver.
  [[nodiscard]] virtual Result<secure::SecretString> token(
      const config::ResolvedProfile& profile) = 0;
};

// MfaCounter observes each code actually requested (tests count prompts; debug logs).
using MfaObserver = std::function<void(std::string_view serial)>;

// make_mfa_source builds the real source: --mfa-token (profile.mfa_token), mfa_process via
// /bin/sh -c, the prompt drivers of §9.3 found in `env`'s PATH. `env` is copied.
std::unique_ptr<MfaTokenSource> make_mfa_source(const platform::Environment& env,
                                                MfaObserver observer = {});

}  // namespace av::vault
