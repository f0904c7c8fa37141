// exec_ec2.cpp: exec's EC2 metadata mode, `exec --ec2-server` (spec §6.1 step 8, §6.3, §6.5).
//
// Sequence: refuse when something already answers on 169.254.169.254:80; listen on
// 127.0.0.1:9099 (a bind failure ends exec with status 1, the reason only in the debug log, as
// upstream); make a 32-byte proxy secret and write it to a 0600 file in a fresh 0700 directory;
// fetch the credentials once (errors ignored, as upstream, but MFA and SSO prompts happen here,
// before the child owns the terminal); run the credential server on its own thread; start the
// privileged proxy (`sudo -b <this executable> proxy --token-file <file>`, or directly when we
// are root) and wait until 169.254.169.254:80 answers; run the child; then stop the proxy (GET
// /stop), the server and its thread, and remove the secret file, on every path.
//
// Why a secret: the server's port is fixed and on loopback, so any local user could reach it.
// It serves only connections that begin with the proxy's preamble carrying the secret
// (server/proxy_preamble.h), and only sockets of our own user where the OS tells socket owners;
// the proxy in turn serves only local clients of our user. Nothing extra goes into the child's
// environment: SDKs find the instance metadata endpoint by default.
//
// Deliberate differences from upstream (docs/COMPATIBILITY.md): sudo is given this executable's
// absolute path (upstream's inverted check always passed argv[0]); exec waits (up to 5 s) for
// the proxy to answer before starting the child instead of racing it; the proxy secret above.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/log.h"
#include "cli/server_run.h"
#include "crypto/random.h"
#include "crypto/secret_codec.h"
#include "platform/paths.h"
#include "platform/privileges.h"
#include "platform/process.h"
#include "platform/process_hardening.h"
#include "platform/secure_file.h"
#include "platform/socket.h"
#include "platform/tcp_owner.h"
#include "server/ec2_handler.h"
#include "server/http_server.h"
#include "server/proxy.h"

namespace av::cli {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kEc2Warning =
    "Warning: Starting a local EC2 credential server on 169.254.169.254:80; AWS credentials will "
    "be accessible to any process while it is running";
constexpr std::string_view kProxyNotRunning =
    "The EC2 Instance Metadata endpoint proxy server isn't running. Run `aws-vault proxy` as "
    "Administrator or root in the background and then try this command again";
constexpr platform::Timeout kBusyProbe{10};  // spec §6.1: a 10 ms connect probe
constexpr platform::Timeout kReadyProbe{200};
constexpr auto kProxyStartLimit = 5s;
constexpr auto kProxyStopLimit = 5s;
constexpr auto kProbeInterval = 50ms;
constexpr std::size_t kSecretBytes = 32;
// The system directories the root-started proxy (and `ip`) are looked up in.
constexpr std::string_view kSystemPath = "/usr/sbin:/usr/bin:/sbin:/bin";

Status help_message(const ServerRun& run, std::string_view message) {
  if (run.hints) return run.in.ctx.err.write(std::string(message) + "\n");
  log::debug(message);
  return ok();
}

bool metadata_endpoint_answers(platform::Timeout timeout) {
  return platform::connect_tcp(server::kMetadataAddress, server::kMetadataPort, timeout)
      .has_value();
}

// make_proxy_secret: 32 random bytes as 43 characters of unpadded base64url.
Result<secure::SecretString> make_proxy_secret() {
  secure::SecretBytes raw = secure::SecretBytes::zeroed(kSecretBytes);
  AV_TRY(crypto::fill_random(raw.reveal_mutable()));
  return crypto::encode_base64_secret(raw.reveal(), crypto::Base64Variant::UrlUnpadded);
}

// SecretFile: the proxy secret in `<dir>/proxy-secret`, `<dir>` a fresh 0700 directory under
// $XDG_RUNTIME_DIR (a per-user tmpfs), $TMPDIR or /tmp. The destructor removes both.
class SecretFile {
 public:
  SecretFile() = default;
  ~SecretFile() { remove(); }
  SecretFile(const SecretFile&) = delete;
  SecretFile& operator=(const SecretFile&) = delete;

  Status write(const platform::Environment& env, const secure::SecretString& secret) {
    Result<std::string> dir = Error(Errc::NotFound, "no directory for the proxy secret");
    for (const std::string_view name : {"XDG_RUNTIME_DIR", "TMPDIR", ""}) {
      const std::string_view parent = name.empty() ? "/tmp" : env.get_nonempty(name).value_or("");
      if (!parent.starts_with('/')) continue;
      dir = platform::make_private_temp_dir(parent, "aws-vault-ec2-");
      if (dir) break;
    }
    AV_TRY(dir);
    dir_ = std::move(*dir);
    std::string path = platform::join_path(dir_, "proxy-secret");
    AV_TRY(platform::write_file_atomic(path, secret, platform::kPrivateFile));
    path_ = std::move(path);
    return ok();
  }
  const std::string& path() const noexcept { return path_; }

  void remove() noexcept {
    if (!path_.empty()) (void)platform::remove_file(path_);
    if (!dir_.empty()) {
      const Status removed = platform::remove_empty_dir(dir_);
      if (!removed) log::debug("removing the proxy secret: " + std::string(removed.error().message()));
    }
    path_.clear();
    dir_.clear();
  }

 private:
  std::string dir_;
  std::string path_;
};

// ProxyProcess starts the privileged proxy and, from the destructor on every path, stops it.
class ProxyProcess {
 public:
  ProxyProcess() = default;
  ~ProxyProcess() { stop(); }
  ProxyProcess(const ProxyProcess&) = delete;
  ProxyProcess& operator=(const ProxyProcess&) = delete;

  Status start(const ServerRun& run, const std::string& secret_path);
  Status wait_ready();
  void stop() noexcept;

 private:
  bool started_ = false;
  std::optional<platform::BackgroundProcess> child_;  // set when we started it ourselves (root)
};

// proxy_argv: this very executable (not argv[0], which sudo would look up in root's PATH).
Result<std::vector<std::string>> proxy_argv(const std::string& secret_path) {
  AV_TRY_ASSIGN(std::string self, platform::self_executable_path());
  std::vector<std::string> argv{std::move(self)};
  if (log::debug_enabled()) argv.emplace_back("--debug");
  argv.insert(argv.end(), {"proxy", "--token-file", secret_path});
  return argv;
}

// proxy_environment: what a proxy we start as root gets (sudo makes its own): no secrets.
platform::Environment proxy_environment(const platform::Environment& env) {
  std::vector<std::pair<std::string, std::string>> pairs{{"PATH", std::string(kSystemPath)}};
  for (const std::string_view name : {"HOME", "XDG_CONFIG_HOME", "LANG"}) {
    if (const auto value = env.get(name)) pairs.emplace_back(name, *value);
  }
  return platform::Environment::from_pairs(std::move(pairs));
}

Status ProxyProcess::start(const ServerRun& run, const std::string& secret_path) {
  AV_TRY_ASSIGN(std::vector<std::string> argv, proxy_argv(secret_path));
  if (platform::effective_uid() == 0) {
    AV_TRY_ASSIGN(platform::BackgroundProcess child,
                  platform::spawn_background(argv, proxy_environment(run.in.ctx.env)));
    child_ = std::move(child);
    started_ = true;
    return ok();
  }
  argv.insert(argv.begin(), {"sudo", "-b"});
  log::debug("Starting the EC2 metadata proxy with sudo");
  AV_TRY_ASSIGN(const platform::ExitStatus status, platform::spawn_and_wait(argv, run.in.ctx.env));
  if (!status.success()) return Error(Errc::Io, status.describe());  // as-is (spec §6.5)
  started_ = true;
  return ok();
}

// wait_ready waits until 169.254.169.254:80 accepts connections (the proxy added the address
// and listens), so the child's first SDK call cannot race the proxy's start.
Status ProxyProcess::wait_ready() {
  const auto deadline = std::chrono::steady_clock::now() + kProxyStartLimit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (metadata_endpoint_answers(kReadyProbe)) return ok();
    if (child_) {
      auto ended = child_->wait_for(platform::Timeout(0));
      if (ended && ended->has_value()) {
        log::debug("The EC2 metadata proxy ended: " + (*ended)->describe());
        child_.reset();
        break;
      }
    }
    std::this_thread::sleep_for(kProbeInterval);
  }
  return Error(Errc::Network, std::string(kProxyNotRunning));
}

void ProxyProcess::stop() noexcept {
  if (!started_) return;
  started_ = false;
  const Status stopped = server::request_proxy_stop(server::kMetadataAddress,
                                                    server::kMetadataPort, kReadyProbe);
  if (!stopped) log::debug("Stopping the EC2 metadata proxy: " + std::string(stopped.error().message()));
  // Our own child: wait until it removed the address. Through sudo: until the port is closed.
  if (child_) {
    auto ended = child_->wait_for(kProxyStopLimit);
    if (!ended || !ended->has_value()) log::debug("The EC2 metadata proxy did not stop in time");
    child_.reset();
    return;
  }
  const auto deadline = std::chrono::steady_clock::now() + kProxyStopLimit;
  while (std::chrono::steady_clock::now() < deadline && metadata_endpoint_answers(kReadyProbe)) {
    std::this_thread::sleep_for(kProbeInterval);
  }
}

// start_server makes the server side: the credential cache (fetched once now), the handler and
// the server over `listener`, which only accepts connections from the proxy.
struct Ec2Server {
  server::CredentialCache credentials;
  server::Ec2Handler handler;
  std::unique_ptr<server::HttpServer> http;

  explicit Ec2Server(ServerRun& run)
      : credentials(make_base_fetcher(run), run.in.ctx.clock),
        handler(credentials, server::Ec2Options{.region = run.profile.region}, run.in.ctx.clock) {}
};

Status start_server(Ec2Server& ec2, platform::Listener listener,
                    const secure::SecretString& secret) {
  if (const Status fetched = ec2.credentials.prefetch(); !fetched) {
    log::debug("Initial credential fetch failed (ignored): " +
               std::string(fetched.error().message()));
  }
  server::ServerOptions options;
  options.proxy_secret = secret.clone();
  options.accept_filter = accept_same_user;
  AV_TRY_ASSIGN(ec2.http, server::HttpServer::create(std::move(listener), ec2.handler,
                                                     std::move(options)));
  return ok();
}

}  // namespace

Status run_ec2_mode(ServerRun& run) {
  if (metadata_endpoint_answers(kBusyProbe)) {
    return Error(Errc::Network, "Another process is already bound to 169.254.169.254:80");
  }
  AV_TRY(help_message(run, kEc2Warning));
  AV_TRY(platform::harden_process(platform::HardeningMode::Required));
  auto listener = platform::listen_tcp(server::kEc2ServerAddress, server::kEc2ServerPort);
  if (!listener) {
    // Upstream's server goroutine dies with log.Fatalln: status 1, text only under --debug.
    log::debug("Failed to start credential server: " + std::string(listener.error().message()));
    run.in.ctx.exit_code = 1;
    return ok();
  }
  AV_TRY_ASSIGN(const secure::SecretString secret, make_proxy_secret());
  Ec2Server ec2(run);
  AV_TRY(start_server(ec2, std::move(*listener), secret));
  SecretFile secret_file;
  AV_TRY(secret_file.write(run.in.ctx.env, secret));
  const ServerThread thread(*ec2.http);
  ProxyProcess proxy;
  AV_TRY(proxy.start(run, secret_file.path()));
  AV_TRY(proxy.wait_ready());
  log::debug("EC2 credential server listening on 127.0.0.1:" +
             std::to_string(server::kEc2ServerPort) + ", proxied from 169.254.169.254:80");
  const Status ran = run_child(run);
  proxy.stop();
  return ran;
}

}  // namespace av::cli
