// mfa.cpp: the MFA code source (spec §9.1): --mfa-token, then mfa_process, then the prompt
// driver. Requests are serialised: two refreshes that need a code at the same time (the ECS
// server, single-flight groups) never put two prompts on one terminal at once.
#include "vault/mfa.h"

#include <mutex>
#include <utility>

#include "base/log.h"
#include "vault/mfa_drivers.h"

namespace av::vault {
namespace {

// The driver used when the profile names none (the CLI normally passes its automatic choice).
constexpr std::string_view kDefaultDriver = "terminal";

class MfaSource final : public MfaTokenSource {
 public:
  MfaSource(platform::Environment env, MfaObserver observer)
      : env_(std::move(env)), observer_(std::move(observer)) {}

  Result<secure::SecretString> token(const config::ResolvedProfile& profile) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (observer_) observer_(profile.mfa_serial);
    if (!profile.mfa_token.empty()) return profile.mfa_token.clone();
    if (!profile.mfa_process.empty()) {
      log::debug("Executing mfa_process");
      return detail::run_mfa_process(profile.mfa_process, env_);
    }
    std::string_view driver =
        profile.prompt_driver.empty() ? kDefaultDriver : std::string_view(profile.prompt_driver);
    return detail::prompt_with_driver(driver, profile.mfa_serial, env_);
  }

 private:
  std::mutex mutex_;
  platform::Environment env_;
  MfaObserver observer_;
};

}  // namespace

std::unique_ptr<MfaTokenSource> make_mfa_source(const platform::Environment& env,
                                                MfaObserver observer) {
  return std::make_unique<MfaSource>(env.clone(), std::move(observer));
}

}  // namespace av::vault
