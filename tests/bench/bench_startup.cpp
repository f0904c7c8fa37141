// bench_startup: the cost of starting aws-vault, which matters because credential_process runs it
// on every AWS SDK call. Baseline: /bin/true, spawned the same way in the same run.
#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <vector>

#include "bench.h"

extern char** environ;

namespace {

void spawn_and_wait(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", 1, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", 1, 0);
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0) {
    int status = 0;
    waitpid(pid, &status, 0);
  }
  posix_spawn_file_actions_destroy(&actions);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_startup <aws-vault binary>\n");
    return 2;
  }
  const std::string binary = argv[1];
  const int runs = 200;
  const double baseline = av::bench::median_ns([] { spawn_and_wait({"/bin/true"}); }, runs);
  const double version = av::bench::median_ns([&] { spawn_and_wait({binary, "--version"}); }, runs);
  const double help = av::bench::median_ns([&] { spawn_and_wait({binary, "--help"}); }, runs);
  av::bench::report("startup: aws-vault --version (vs /bin/true)", version, baseline);
  av::bench::report("startup: aws-vault --help (vs /bin/true)", help, baseline);
  return 0;
}
