// server_run.cpp: exec's ECS credential server mode (spec §6.1 step 8, §6.3, §6.4) and what it
// shares with the EC2 mode: the profile's credential chain and per-ARN AssumeRole as server
// fetchers, and the command run as a subprocess whose exit status becomes ours.
//
// Sequence of run_ecs_mode: harden the process (a long-running server must not be dumpable),
// listen on 127.0.0.1:0, make the token, fetch the credentials once on this thread unless --lazy
// (MFA and SSO prompts happen here, before the child owns the terminal and long before an SDK
// times out), start the server thread, run the child with the endpoint and token in its
// environment, then stop and join the server. The server thread is joined on every path, so the
// handler and caches it borrows (all on this stack frame) outlive it.
//
// The token is a secret: it stays in locked memory (secure::SecretString, and
// Environment::set_secret for the child's environment block). execve copies it into the child's
// environment, readable by the same user through /proc/<pid>/environ, as upstream does. With
// --ecs-token-file the child instead gets AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE naming a 0600
// file in a private directory, removed when the server stops, on every path.
//
// Deliberate differences from upstream (docs/COMPATIBILITY.md): a failed initial fetch is
// reported like exec's default mode (`Failed to get credentials for NAME: <err>`), not as
// `Retrieving creds: <err>`; the child's inherited AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and
// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE are removed, because SDKs prefer them over the variables
// set here; connections from other users' sockets are refused where the OS tells us the owner.
#include "cli/server_run.h"

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "aws/endpoints.h"
#include "aws/query.h"
#include "aws/sts.h"
#include "base/ascii.h"
#include "base/check.h"
#include "base/log.h"
#include "codec/hex.h"
#include "cli/credentials_access.h"
#include "crypto/random.h"
#include "net/http_client.h"
#include "platform/paths.h"
#include "platform/privileges.h"
#include "platform/process.h"
#include "platform/process_hardening.h"
#include "platform/secure_file.h"
#include "platform/socket.h"
#include "platform/tcp_owner.h"
#include "server/http_server.h"

namespace av::cli {
namespace {

constexpr std::string_view kEcsHelp =
    "Starting a local ECS credential server; your app's AWS sdk must support "
    "AWS_CONTAINER_CREDENTIALS_FULL_URI.";
// A child killed by a signal makes us exit 255 (upstream passes -1 to os.Exit), spec §6.3.
constexpr int kSignalledExitCode = 255;
// Random bytes in a token file's name (hex): names never repeat, so nothing is overwritten.
constexpr std::size_t kTokenFileNameBytes = 12;

// Variables the SDKs prefer over FULL_URI / AUTHORIZATION_TOKEN: an inherited one would send the
// child's SDK elsewhere or with the wrong token.
constexpr std::array<std::string_view, 2> kShadowingVariables = {
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"};

// help_message writes an exec hint to stderr when hints are enabled, else to the debug log.
Status help_message(const ServerRun& run, std::string_view message) {
  if (run.hints) return run.in.ctx.err.write(std::string(message) + "\n");
  log::debug(message);
  return ok();
}

std::optional<std::int64_t> whole_seconds(std::chrono::nanoseconds d) {
  return std::chrono::duration_cast<std::chrono::seconds>(d).count();
}

// session_name: the current time in nanoseconds since the epoch, as upstream names the sessions
// of its role providers.
std::string session_name(const platform::Clock& clock) {
  const auto since_epoch = clock.now().time_since_epoch();
  return std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count());
}

// assume_role is one /role-arn/ fetch: AssumeRole of `role_arn` signed with the base
// credentials, no MFA, external id or tags (spec §6.4).
Result<aws::Credentials> assume_role(const ServerRun& run, server::CredentialCache& base,
                                     const std::string& role_arn) {
  AV_TRY_ASSIGN(const aws::Credentials source, base.get());
  const platform::Environment& env = run.in.ctx.env;
  AV_TRY_ASSIGN(aws::Endpoint endpoint, vault::sts_endpoint(run.profile, env, "AssumeRole"));
  net::ClientOptions options;
  options.ca_bundle = ca_bundle_for(run.config, run.profile.name, env);
  AV_TRY_ASSIGN(const std::unique_ptr<net::HttpClient> http,
                net::make_http_client(std::move(options), env));
  aws::QueryClient query(*http, run.in.ctx.clock, crypto::system_random());
  aws::StsClient sts(query, std::move(endpoint));
  aws::AssumeRoleInput input;
  input.role_arn = role_arn;
  input.role_session_name = session_name(run.in.ctx.clock);
  input.duration_seconds = whole_seconds(run.profile.durations.assume_role);
  AV_TRY_ASSIGN(aws::StsCredentialsResponse response, sts.assume_role(source, input));
  log::debug("Generated credentials for " + ascii::escape_for_terminal(role_arn) +
             " using AssumeRole");
  return std::move(response.credentials);
}

// TokenFile is the private file holding the server token for --ecs-token-file; the destructor
// removes it, so no path (error or success) leaves the token on disk.
class TokenFile {
 public:
  TokenFile() = default;
  ~TokenFile() { remove(); }
  TokenFile(const TokenFile&) = delete;
  TokenFile& operator=(const TokenFile&) = delete;

  // write creates the file in `dir` (made 0700 if missing; refused if others may write to it).
  Status write(const std::string& dir, const secure::SecretString& token) {
    AV_TRY(platform::ensure_private_dir(dir));
    AV_TRY_ASSIGN(const bool shared, platform::is_group_or_world_writable(dir));
    if (shared) {
      return Error(Errc::PermissionDenied,
                   "token directory " + ascii::quote_for_terminal(dir) +
                       " is writable by other users");
    }
    std::array<std::uint8_t, kTokenFileNameBytes> name{};
    AV_TRY(crypto::fill_random(name));
    std::string path = platform::join_path(dir, "ecs-token-" + codec::encode_hex(name));
    AV_TRY(platform::write_file_atomic(path, token, platform::kPrivateFile));
    path_ = std::move(path);
    return ok();
  }
  const std::string& path() const noexcept { return path_; }
  void remove() noexcept {
    if (path_.empty()) return;
    const Status removed = platform::remove_file(path_);
    if (!removed) {
      log::debug("removing the ECS token file: " + std::string(removed.error().message()));
    }
    path_.clear();
  }

 private:
  std::string path_;
};

// token_dir: $XDG_RUNTIME_DIR/aws-vault (a per-user tmpfs on systemd hosts), else
// ~/.awsvault/ecs, next to the lock files of the credential chain.
Result<std::string> token_dir(const platform::Environment& env) {
  if (const auto runtime = env.get_nonempty("XDG_RUNTIME_DIR")) {
    return platform::join_path(*runtime, "aws-vault");
  }
  AV_TRY_ASSIGN(const std::string home, platform::home_dir(env));
  return platform::join_path(home, ".awsvault/ecs");
}

// add_server_variables points the child's SDK at the server: the URL, and the token in the
// environment (locked memory on our side) or in `token_file`.
Status add_server_variables(ServerRun& run, std::uint16_t port, const secure::SecretString& token,
                            TokenFile& token_file) {
  platform::Environment& env = run.child_env;
  for (const std::string_view name : kShadowingVariables) env.unset(name);
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:" + std::to_string(port));
  if (!run.in.args.flag_bool("ecs-token-file")) {
    return env.set_secret("AWS_CONTAINER_AUTHORIZATION_TOKEN", token);
  }
  AV_TRY_ASSIGN(const std::string dir, token_dir(run.in.ctx.env));
  AV_TRY(token_file.write(dir, token));
  env.unset("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file.path());
  return ok();
}

}  // namespace

bool accept_same_user(const platform::Socket& socket) {
  const Result<std::uint32_t> uid = platform::tcp_peer_owner_uid(socket);
  if (!uid) {
    if (uid.error().code() == Errc::Unsupported) return true;
    log::debug("credential server: refused a connection: " + std::string(uid.error().message()));
    return false;
  }
  if (*uid == platform::effective_uid()) return true;
  log::debug("credential server: refused a connection from uid " + std::to_string(*uid));
  return false;
}

ServerThread::ServerThread(server::HttpServer& server)
    : server_(server), thread_([this] { status_ = server_.run(); }) {}

void ServerThread::stop() noexcept {
  if (!thread_.joinable()) return;
  server_.stop();
  thread_.join();
  if (!status_) log::debug("credential server: " + std::string(status_.error().message()));
}

server::Fetcher make_base_fetcher(ServerRun& run) {
  return [&run]() -> Result<aws::Credentials> {
    Result<vault::Issued> issued =
        retrieve_credentials(run.in, run.ring, run.config, run.profile, chain_options(run.in));
    if (!issued) {
      return credentials_error(std::move(issued).error(), run.profile.name,
                               ErrorWording::Standard);
    }
    return std::move(issued->credentials);
  };
}

server::RoleFetcherFactory make_role_fetchers(ServerRun& run, server::CredentialCache& base) {
  return [&run, &base](const std::string& role_arn) -> server::Fetcher {
    return [&run, &base, role_arn]() { return assume_role(run, base, role_arn); };
  };
}

Status run_child(ServerRun& run) {
  AV_CHECK(!run.argv.empty());
  if (run.in.args.arg("cmd").empty()) {
    AV_TRY(help_message(run, "Starting subshell " + run.argv.front() +
                                 ", use `exit` to exit the subshell"));
  }
  AV_TRY_ASSIGN(const platform::ExitStatus status,
                platform::spawn_and_wait(run.argv, run.child_env, platform::Signals::Forward));
  log::debug("Command finished: " + status.describe());
  run.in.ctx.exit_code = status.signalled() ? kSignalledExitCode : status.exit_code;
  return ok();
}

Status run_ecs_mode(ServerRun& run) {
  const Context& ctx = run.in.ctx;
  AV_TRY(help_message(run, kEcsHelp));
  AV_TRY(platform::harden_process(platform::HardeningMode::Required));
  AV_TRY_ASSIGN(platform::Listener listener, platform::listen_tcp("127.0.0.1", 0));
  const std::uint16_t port = listener.port();
  AV_TRY_ASSIGN(secure::SecretString token, server::make_ecs_token());
  server::CredentialCache base(make_base_fetcher(run), ctx.clock);
  if (!run.in.args.flag_bool("lazy")) AV_TRY(base.prefetch());
  server::EcsHandler handler(token.clone(), base, make_role_fetchers(run, base), ctx.clock);
  server::ServerOptions options;
  options.accept_filter = accept_same_user;
  AV_TRY_ASSIGN(const std::unique_ptr<server::HttpServer> server,
                server::HttpServer::create(std::move(listener), handler, std::move(options)));
  TokenFile token_file;  // declared before the thread: removed only after the server stopped
  AV_TRY(add_server_variables(run, port, token, token_file));
  log::debug("ECS credential server listening on http://127.0.0.1:" + std::to_string(port));
  ServerThread thread(*server);
  const Status ran = run_child(run);
  thread.stop();
  return ran;
}

}  // namespace av::cli
