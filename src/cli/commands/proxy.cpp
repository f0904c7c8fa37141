// proxy.cpp: the `proxy` command (spec §2.10, §6.5), normally started by `exec --ec2-server`
// through `sudo -b` (or directly when exec already runs as root).
//
// Privilege separation: as root we read the secret file (before anything else, and checked: a
// regular file, no group/other access, owned by the invoking user), add 169.254.169.254 to the
// loopback interface and bind 169.254.169.254:80; then we fork. The child drops to the invoking
// user for good (SUDO_UID/SUDO_GID; without sudo, the owner of the secret file, which may be
// root itself when exec ran as root) and does all the network work (server/proxy.h). The root
// parent only waits for it, forwarding SIGINT/SIGTERM/SIGHUP, and then removes the alias: exit 0,
// or 1 when removal fails. So code that handles untrusted bytes never runs as root.
//
// Deliberate differences from upstream (docs/COMPATIBILITY.md): `--token-file` is required,
// because the credential server only serves connections that start with the proxy preamble and
// its secret; an address already on the interface counts as added (any tool wording).
#include <string>

#include "base/ascii.h"
#include "base/log.h"
#include "base/text_reader.h"
#include "cli/commands/commands.h"
#include "cli/report.h"
#include "crypto/secret_codec.h"
#include "platform/privileges.h"
#include "platform/process_hardening.h"
#include "platform/socket.h"
#include "server/proxy.h"

namespace av::cli::commands {
namespace {

constexpr platform::Timeout kStopTimeout{2000};
constexpr std::size_t kSecretBytes = 32;

// ProxySetup: what the privileged part hands to the unprivileged one.
struct ProxySetup {
  secure::SecretString secret;
  platform::UserIds serve_as;
};

// env_id reads a numeric id variable such as SUDO_UID; nullopt when unset or empty.
Result<std::optional<std::uint32_t>> env_id(const platform::Environment& env,
                                            std::string_view name) {
  const auto text = env.get_nonempty(name);
  if (!text) return std::optional<std::uint32_t>();
  TextReader reader(*text);
  auto value = reader.read_uint(0xffffffffU);
  if (!value || !reader.expect_end()) {
    return Error(Errc::Config, "$" + std::string(name) + " is not a numeric id");
  }
  return std::optional<std::uint32_t>(static_cast<std::uint32_t>(*value));
}

// serve_target: the user the proxy works for. Under sudo, the invoking user; as root without
// sudo, whoever wrote the secret file (exec, as that user); otherwise ourselves.
Result<platform::UserIds> serve_target(const platform::Environment& env,
                                       const platform::OwnedSecretFile& file) {
  AV_TRY_ASSIGN(const std::optional<std::uint32_t> uid, env_id(env, "SUDO_UID"));
  AV_TRY_ASSIGN(const std::optional<std::uint32_t> gid, env_id(env, "SUDO_GID"));
  if (uid) {
    if (!gid) return Error(Errc::Config, "$SUDO_UID is set but $SUDO_GID is not");
    return platform::UserIds{*uid, *gid};
  }
  if (platform::effective_uid() == 0) return platform::UserIds{file.owner_uid, file.owner_gid};
  return platform::real_user_ids();
}

// load_setup reads and checks the secret file; runs before anything else, as root.
Result<ProxySetup> load_setup(const platform::Environment& env, std::string_view path) {
  const std::string where = "token file " + ascii::quote_for_terminal(path);
  AV_TRY_ASSIGN(const platform::OwnedSecretFile file,
                platform::read_owned_secret_file(path, limits::kMaxProxyTokenFileBytes));
  AV_TRY_ASSIGN(const platform::UserIds serve_as, serve_target(env, file));
  if ((file.mode & 077U) != 0) {
    return Error(Errc::PermissionDenied, where + ": group or others may access it");
  }
  if (file.owner_uid != serve_as.uid) {
    return Error(Errc::PermissionDenied, where + ": owned by uid " +
                                             std::to_string(file.owner_uid) + ", not uid " +
                                             std::to_string(serve_as.uid));
  }
  const std::string_view text = as_chars(file.data.reveal());
  auto decoded = crypto::decode_base64_secret(text, crypto::Base64Variant::UrlUnpadded);
  if (!decoded || decoded->size() != kSecretBytes) {
    return Error(Errc::Parse, where + ": not a proxy secret");
  }
  return ProxySetup{secure::SecretString::copy_of(text), serve_as};
}

void stop_on_signal(void* proxy) noexcept { static_cast<server::Proxy*>(proxy)->stop(); }

// serve is the unprivileged child: drop to the served user, then relay until /stop or a signal.
Status serve(platform::Listener listener, ProxySetup setup) {
  AV_TRY(platform::drop_privileges(setup.serve_as));
  if (setup.serve_as.uid == 0) {
    log::debug("proxy: serving root's own exec, so the proxy stays root");
  }
  server::ProxyOptions options;
  options.secret = std::move(setup.secret);
  options.served_uid = setup.serve_as.uid;
  AV_TRY_ASSIGN(const std::unique_ptr<server::Proxy> proxy,
                server::Proxy::create(std::move(listener), std::move(options)));
  const platform::ShutdownSignals signals(stop_on_signal, proxy.get());
  log::debug("proxy: listening on " + std::string(server::kMetadataAddress) + ":" +
             std::to_string(server::kMetadataPort) + " as uid " +
             std::to_string(setup.serve_as.uid));
  AV_TRY(proxy->run());
  log::debug(proxy->stopped_by_request() ? "proxy: stopped by request"
                                         : "proxy: stopped by a signal");
  return ok();
}

// serve_in_child runs `serve` in a forked child; the parent closes its copy of the listener (so
// the port closes as soon as the child ends) and wipes its copy of the secret. Returns the
// child's exit code.
Result<int> serve_in_child(const Invocation& in, platform::Listener& listener, ProxySetup& setup) {
  AV_TRY_ASSIGN(const platform::ExitStatus status,
                platform::run_in_child_process(
                    [&]() -> int {
                      const Status served = serve(std::move(listener), std::move(setup));
                      if (served) return 0;
                      return report_error(in.ctx, ErrorShape::Command, "proxy", served.error());
                    },
                    [&listener, &setup] {
                      listener = platform::Listener();
                      setup.secret = secure::SecretString();  // the root parent keeps no secret
                    }));
  if (status.signalled()) log::debug("proxy: the unprivileged child ended: " + status.describe());
  return status.signalled() ? kExitFailure : status.exit_code;
}

Status run_proxy_server(const Invocation& in, std::string_view token_file) {
  AV_TRY_ASSIGN(ProxySetup setup, load_setup(in.ctx.env, token_file));
  AV_TRY(platform::harden_process(platform::HardeningMode::Required));
  AV_TRY(server::add_metadata_alias());
  auto listener = platform::listen_tcp(server::kMetadataAddress, server::kMetadataPort);
  Result<int> served = listener ? serve_in_child(in, *listener, setup)
                                : Result<int>(std::move(listener).error());
  Status removed = server::remove_metadata_alias();
  AV_TRY(served);
  if (!removed) return std::move(removed).error().with_context("removing the metadata address");
  if (*served != 0) in.ctx.exit_code = *served;  // the child reported its error itself
  return ok();
}

}  // namespace

Status run_proxy(const Invocation& in) {
  if (in.args.flag_bool("stop")) {
    const Status stopped =
        server::request_proxy_stop(server::kMetadataAddress, server::kMetadataPort, kStopTimeout);
    if (!stopped) log::debug("proxy --stop: " + std::string(stopped.error().message()));
    return ok();  // spec §2.10: errors are ignored
  }
  const std::string_view token_file = in.args.flag("token-file").value_or("");
  if (token_file.empty()) {
    return Error(Errc::Unsupported,
                 "--token-file is required: exec --ec2-server starts the proxy with it");
  }
  return run_proxy_server(in, token_file);
}

}  // namespace av::cli::commands
