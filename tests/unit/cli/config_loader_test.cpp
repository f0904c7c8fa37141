// cli::load_aws_config: the I/O around the pure config parser (spec §3.1, issue 3 warnings).
#include "cli/config_loader.h"
#include "cli_test_support.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <string>

namespace {

using av::cli::testing::FixedClock;
using av::cli::testing::no_executables;


// TempConfig: a config file in a fresh temporary directory, removed afterwards.
struct TempConfig {
  std::string dir;
  std::string path;
  explicit TempConfig(const std::string& text, mode_t mode) {
    std::string tmpl = "/tmp/av-cfgload-XXXXXX";
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    path = dir + "/config";
    std::ofstream(path) << text;
    REQUIRE(chmod(path.c_str(), mode) == 0);
  }
  ~TempConfig() {
    std::remove(path.c_str());
    rmdir(dir.c_str());
  }
  TempConfig(const TempConfig&) = delete;
  TempConfig& operator=(const TempConfig&) = delete;
};

struct Loaded {
  bool ok = false;
  std::string error;
  std::string err_text;
  std::size_t num_profiles = 0;
};

Loaded load(const std::string& config_path) {
  const auto env = av::platform::Environment::from_pairs({{"AWS_CONFIG_FILE", config_path}});
  av::cli::StringWriter out;
  av::cli::StringWriter err;
  FixedClock clock;
  const av::cli::Context ctx{env, out, err, clock, "aws-vault", std::nullopt, &no_executables};
  auto config = av::cli::load_aws_config(ctx);
  Loaded result;
  result.ok = config.has_value();
  if (config) result.num_profiles = config->profile_names().size();
  if (!config) result.error = std::string(config.error().message());
  if (!config) CHECK(config.error().code() == av::Errc::Usage);  // error shape 2
  result.err_text = err.text();
  return result;
}

}  // namespace

TEST_CASE("load_aws_config: warns when others can write the config", "[cli]") {
  TempConfig shared("[profile a]\ncredential_process = /bin/true\n", 0666);
  const Loaded loaded = load(shared.path);
  REQUIRE(loaded.ok);
  CHECK(loaded.num_profiles == 1);
  CHECK(loaded.err_text.find("aws-vault: warning: ") == 0);
  CHECK(loaded.err_text.find("is writable by group or others") != std::string::npos);
}

TEST_CASE("load_aws_config: a private config loads silently", "[cli]") {
  TempConfig mine("[profile a]\n[profile b]\n", 0600);
  const Loaded loaded = load(mine.path);
  REQUIRE(loaded.ok);
  CHECK(loaded.num_profiles == 2);
  CHECK(loaded.err_text.empty());
}

TEST_CASE("load_aws_config: missing file is empty, parse errors name file and line",
          "[cli][error]") {
  const Loaded missing = load("/nonexistent-av-dir/config");
  REQUIRE(missing.ok);
  CHECK(missing.num_profiles == 0);
  TempConfig bad("[profile a]\nno delimiter here\n", 0600);
  const Loaded broken = load(bad.path);
  REQUIRE_FALSE(broken.ok);
  CHECK(broken.error.find("Error parsing config file: ") == 0);
  CHECK(broken.error.find(bad.path + ":2: ") != std::string::npos);
}
