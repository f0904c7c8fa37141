// cli::run end to end with injected writers, environment and clock (spec §1.2-§1.4, §1.7).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cli/context.h"
#include "cli_test_support.h"
#include "cli/report.h"
#include "cli/run.h"
#include "cli/version.h"

namespace {

using av::cli::testing::FixedClock;
using av::cli::testing::no_executables;

bool only_zenity(std::string_view path) { return path == "/opt/bin/zenity"; }

using Vars = std::vector<std::pair<std::string, std::string>>;

struct Harness {
  av::platform::Environment env;
  av::cli::StringWriter out;
  av::cli::StringWriter err;
  FixedClock clock;

  explicit Harness(std::vector<std::pair<std::string, std::string>> vars = {})
      : env(av::platform::Environment::from_pairs(std::move(vars))) {}

  int run(std::vector<std::string_view> argv) {
    av::cli::Context ctx{env, out, err, clock, "", std::nullopt, &only_zenity};
    return av::cli::run(argv, ctx);
  }
};

}  // namespace

TEST_CASE("run: version goes to stdout, --version to stderr", "[cli][integration]") {
  const std::string expected = std::string(av::cli::version()) + "\n";
  Harness h;
  CHECK(h.run({"aws-vault", "version"}) == 0);
  CHECK(h.out.text() == expected);
  Harness v;
  CHECK(v.run({"aws-vault", "-v"}) == 0);
  CHECK(v.err.text() == expected);
  CHECK(v.out.text().empty());
}

TEST_CASE("run: usage errors use the basename of argv[0]", "[cli][error]") {
  Harness h;
  CHECK(h.run({"/usr/local/bin/my-vault", "--nope"}) == 1);
  CHECK(h.err.text() == "my-vault: error: unknown long flag '--nope', try --help\n");
}

TEST_CASE("run: command errors use shape 1", "[cli][error]") {
  Harness h;
  CHECK(h.run({"aws-vault", "proxy"}) == 1);
  CHECK(h.err.text() ==
        "aws-vault: error: proxy: --token-file is required: exec --ec2-server starts the proxy "
        "with it\n");
}

TEST_CASE("run: --debug writes a timestamped first line", "[cli][integration]") {
  Harness h;
  CHECK(h.run({"aws-vault", "version", "--debug"}) == 0);
  const std::string& e = h.err.text();
  REQUIRE(e.size() > 20);
  CHECK(e[4] == '/');
  CHECK(e[7] == '/');
  CHECK(e.substr(19) == " aws-vault " + std::string(av::cli::version()) + "\n");
}

TEST_CASE("run: prompt drivers found on PATH are accepted, others rejected", "[cli][error]") {
  Harness ok_case({{"PATH", "/usr/bin:/opt/bin"}, {"AWS_VAULT_PROMPT", "zenity"}});
  CHECK(ok_case.run({"aws-vault", "version"}) == 0);
  Harness bad(Vars{{"PATH", "/usr/bin:/opt/bin"}});
  CHECK(bad.run({"aws-vault", "--prompt", "kdialog", "version"}) == 1);
  CHECK(bad.err.text() ==
        "aws-vault: error: --prompt value must be one of terminal,zenity, got 'kdialog', try "
        "--help\n");
}

TEST_CASE("run: the backend list follows the session bus and DISABLE_KWALLET", "[cli][vector]") {
  Harness h({{"DBUS_SESSION_BUS_ADDRESS", "unix:path=/x"}, {"DISABLE_KWALLET", "1"}});
  CHECK(h.run({"aws-vault", "--backend=nope", "version"}) == 1);
  CHECK(h.err.text() ==
        "aws-vault: error: enum value must be one of secret-service,keyctl,pass,passage,file,"
        "op-connect,op,op-desktop, got 'nope', try --help\n");
}

TEST_CASE("report: control characters never reach the terminal", "[cli][error]") {
  const av::Error e(av::Errc::Io, "bad\x1b[2Jthing\n");
  CHECK(av::cli::format_error("aws-vault", av::cli::ErrorShape::Command, "exec", e) ==
        "aws-vault: error: exec: bad\\x1b[2Jthing\\x0a\n");
  CHECK(av::cli::format_error("x\x07", av::cli::ErrorShape::UsageNoHint, "", e) ==
        "x\\x07: error: bad\\x1b[2Jthing\\x0a\n");
}
