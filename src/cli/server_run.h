// server_run.h: what exec's two server modes share (spec §6.3–6.5): the profile's credentials
// as server fetchers, the child run as a subprocess with its exit status kept, and the entry
// points of the ECS mode (server_run.cpp) and the EC2 mode (exec_ec2.cpp).
//
//   ServerRun run{in, *ring, config, profile, std::move(child_env), argv, hints};
//   return servers.ecs ? run_ecs_mode(run) : run_ec2_mode(run);
#pragma once

#include <string>
#include <thread>
#include <vector>

#include "base/result.h"
#include "cli/command_table.h"
#include "config/aws_config.h"
#include "config/profile_resolver.h"
#include "keyring/keyring.h"
#include "platform/env.h"
#include "platform/socket.h"
#include "server/credential_cache.h"
#include "server/ecs_handler.h"
#include "server/http_server.h"

namespace av::cli {

struct ServerRun {
  const Invocation& in;
  keyring::Keyring& ring;
  const config::AwsConfig& config;
  const config::ResolvedProfile& profile;
  platform::Environment child_env;  // exec's child environment, without credentials
  std::vector<std::string> argv;    // the command (or the user's shell), argv[0] as typed
  bool hints = false;               // help messages go to stderr (spec §2.5 step 2)
};

// accept_same_user is both servers' ServerOptions::accept_filter: it refuses connections whose
// client socket belongs to another user (platform/tcp_owner.h), so the token or proxy secret is
// not the only fence on a shared host. Where the OS lists no socket owners (Errc::Unsupported,
// i.e. not Linux) it accepts, and the token is the only check.
bool accept_same_user(const platform::Socket& socket);

// ServerThread runs an HttpServer on its own thread; stop() (and the destructor) stops and joins
// it, so the handler and cache the server borrows must outlive it.
class ServerThread {
 public:
  explicit ServerThread(server::HttpServer& server);
  ~ServerThread() { stop(); }
  ServerThread(const ServerThread&) = delete;
  ServerThread& operator=(const ServerThread&) = delete;
  void stop() noexcept;

 private:
  server::HttpServer& server_;
  Status status_ = ok();
  std::thread thread_;
};

// make_base_fetcher: the profile's credential chain (retrieve_credentials) as a Fetcher.
server::Fetcher make_base_fetcher(ServerRun& run);
// make_role_fetchers: AssumeRole of an ARN with the base credentials, the profile's region,
// endpoints and assume-role duration, a random session name, no MFA (spec §6.4 /role-arn/).
server::RoleFetcherFactory make_role_fetchers(ServerRun& run, server::CredentialCache& base);

// run_child runs run.argv with run.child_env as a subprocess (spec §6.3 subprocess mode):
// inherited stdio, every signal forwarded, and the child's exit status (255 after a signal)
// stored in run.in.ctx.exit_code. Errors: starting it failed (`exec: "foo": executable file not
// found in $PATH`) or waiting failed.
Status run_child(ServerRun& run);

// run_ecs_mode: exec --ecs-server/--server [--lazy] (spec §6.4, server_run.cpp).
Status run_ecs_mode(ServerRun& run);
// run_ec2_mode: exec --ec2-server (spec §6.5, exec_ec2.cpp).
Status run_ec2_mode(ServerRun& run);

}  // namespace av::cli
