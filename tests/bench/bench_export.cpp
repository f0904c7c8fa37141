// bench_export: issue 6, aws-vault's hot path as a credential_process: `export --format=json <p>`
// answered from a cached session in the file backend (no network, no prompt), and
// `exec --no-session <p> -- true` (stored long-term keys, 600,000 PBKDF2 iterations by design).
// Baseline: /bin/true spawned the same way in the same run. Also prints the peak RSS of the
// export runs (ru_maxrss of the children).
#include <spawn.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "bench.h"
#include "keyring/backends/file/file_keyring.h"
#include "keyring/keys.h"

namespace {

long g_max_rss_kib = 0;  // the largest child RSS seen
int g_failures = 0;

void run(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", 1, 0);
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()) == 0) {
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++g_failures;
    if (args[0] != "/bin/true" && usage.ru_maxrss > g_max_rss_kib) g_max_rss_kib = usage.ru_maxrss;
  }
  posix_spawn_file_actions_destroy(&actions);
}

void put(av::keyring::Keyring& ring, const std::string& key, std::string_view json) {
  av::keyring::Item item;
  item.key = key;
  item.data = av::secure::SecretBytes::copy_of(av::as_bytes(json));
  if (!ring.set(item)) std::fprintf(stderr, "bench_export: storing %s failed\n", key.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_export <aws-vault binary>\n");
    return 2;
  }
  char tmpl[] = "/tmp/av-bench-export-XXXXXX";
  const std::string home = mkdtemp(tmpl);
  const std::string keys = home + "/keys";
  std::ofstream(home + "/config") << "[profile p]\nregion = us-east-1\n";
  av::keyring::file::FileKeyringOptions options;
  options.dir = keys;
  options.passphrase = [] {
    return av::Result<av::secure::SecretString>(av::secure::SecretString::copy_of("bench"));
  };
  auto ring = av::keyring::file::FileKeyring::open(std::move(options));
  // The long-term item (spec 5.2) and a cached GetSessionToken session (5.3) valid until 2099.
  put(**ring, "p", R"({"AccessKeyID":"AKIABENCHLONGTERM000","SecretAccessKey":"s","SessionToken":"",)"
                   R"("Source":"","CanExpire":false,"Expires":"0001-01-01T00:00:00Z","AccountID":""})");
  put(**ring, av::keyring::format_session_key({"sts.GetSessionToken", "p", "", 4070908800}).value(),
      R"({"AccessKeyId":"ASIABENCHSESSION0000","Expiration":"2099-01-01T00:00:00Z",)"
      R"("SecretAccessKey":"s","SessionToken":"t"})");
  const std::vector<std::string> env = {
      "HOME=" + home, "PATH=/usr/bin:/bin", "AWS_CONFIG_FILE=" + home + "/config",
      "AWS_VAULT_BACKEND=file", "AWS_VAULT_FILE_DIR=" + keys, "AWS_VAULT_FILE_PASSPHRASE=bench"};
  const std::string binary = argv[1];
  const double baseline = av::bench::median_ns([&] { run({"/bin/true"}, env); }, 100);
  const double exported = av::bench::median_ns(
      [&] { run({binary, "export", "--format=json", "p"}, env); }, 100);
  const long export_rss = g_max_rss_kib;
  const double exec_no_session = av::bench::median_ns(
      [&] { run({binary, "exec", "--no-session", "p", "--", "/bin/true"}, env); }, 5, 1);
  av::bench::report("export --format=json, cached session (vs true)", exported, baseline);
  av::bench::report("exec --no-session -- true, 600k PBKDF2 (vs true)", exec_no_session, baseline);
  std::printf("%-48s %9ld KiB\n", "export: peak RSS of the child", export_rss);
  std::printf("%-48s %9ld KiB\n", "peak RSS of any child (incl. exec)", g_max_rss_kib);
  if (g_failures != 0) std::printf("bench_export: %d runs exited non-zero\n", g_failures);
  if (std::getenv("AV_BENCH_KEEP") != nullptr) std::printf("kept %s\n", home.c_str());
  if (std::getenv("AV_BENCH_KEEP") == nullptr && std::system(("rm -rf '" + home + "'").c_str()) != 0) std::fprintf(stderr, "bench_export: cleanup failed\n");
  return 0;
}
