// config::add_profile_section: the only writer of the AWS config file (spec §3.7, issue 3):
// appends, keeps every other byte, keeps modes and symlinks, never touches a file it cannot parse.
#include "config/config_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "config/aws_config.h"

namespace av::config {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "av-cfgfile-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const fs::path& p, const std::string& text, mode_t mode) {
  std::ofstream(p, std::ios::binary) << text;
  REQUIRE(chmod(p.c_str(), mode) == 0);
}

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

const std::vector<IniEntry> kMfa = {{"mfa_serial", "arn:aws:iam::111111111111:mfa/jon"}};

}  // namespace

TEST_CASE("add_profile_section: a new file is 0600 in a new 0700 directory", "[config]") {
  TempDir tmp;
  const fs::path file = tmp.path / ".aws" / "config";
  REQUIRE(*add_profile_section(file.string(), "dev", kMfa));
  CHECK(slurp(file) == "[profile dev]\nmfa_serial=arn:aws:iam::111111111111:mfa/jon\n");
  CHECK(mode_of(file) == 0600);
  CHECK(mode_of(file.parent_path()) == 0700);
  REQUIRE(*add_profile_section(file.string(), "default", {}));
  CHECK(slurp(file).ends_with("\n\n[default]\n"));
}

TEST_CASE("add_profile_section: other bytes and the file mode are kept", "[config][roundtrip]") {
  TempDir tmp;
  const fs::path file = tmp.path / "config";
  const std::string original =
      "# my settings\n[default]\nRegion = eu-west-1   # inline\n\n[profile a]  ; c\n"
      "  role_arn: arn:aws:iam::1:role/x\nunknown_key=1";
  spit(file, original, 0644);
  REQUIRE(*add_profile_section(file.string(), "new", kMfa));
  const std::string after = slurp(file);
  CHECK(after.substr(0, original.size()) == original);
  CHECK(after.substr(original.size()) ==
        "\n\n[profile new]\nmfa_serial=arn:aws:iam::111111111111:mfa/jon\n");
  CHECK(mode_of(file) == 0644);
}

TEST_CASE("add_profile_section: an existing profile is left alone", "[config]") {
  TempDir tmp;
  const fs::path file = tmp.path / "config";
  spit(file, "[profile dev ]\nregion=x\n", 0600);
  CHECK_FALSE(*add_profile_section(file.string(), "dev", kMfa));
  CHECK(slurp(file) == "[profile dev ]\nregion=x\n");
}

TEST_CASE("add_profile_section: a symlinked config stays a symlink", "[config]") {
  TempDir tmp;
  const fs::path real = tmp.path / "dotfiles-config";
  const fs::path link = tmp.path / "config";
  spit(real, "[profile a]\n", 0640);
  fs::create_symlink(real, link);
  REQUIRE(*add_profile_section(link.string(), "b", {}));
  CHECK(fs::is_symlink(link));
  CHECK(slurp(real) == "[profile a]\n\n[profile b]\n");
  CHECK(mode_of(real) == 0640);
}

TEST_CASE("add_profile_section: a file that does not parse is not touched", "[config][error]") {
  TempDir tmp;
  const fs::path file = tmp.path / "config";
  spit(file, "[profile a\nregion=x\n", 0600);
  const auto added = add_profile_section(file.string(), "b", kMfa);
  REQUIRE_FALSE(added);
  CHECK(added.error().code() == Errc::Config);
  CHECK(slurp(file) == "[profile a\nregion=x\n");
  const std::vector<IniEntry> bad = {{"mfa_serial", "two\nlines"}};
  spit(file, "[profile a]\n", 0600);
  CHECK(add_profile_section(file.string(), "b", bad).error().code() == Errc::Config);
  CHECK(slurp(file) == "[profile a]\n");
}

TEST_CASE("add_profile_section: for every INI fixture only the added lines change",
          "[config][roundtrip]") {
  const char* vectors = std::getenv("AV_TEST_VECTORS");  // set by ctest
  REQUIRE(vectors != nullptr);
  TempDir tmp;
  std::size_t num_fixtures = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(vectors) / "ini")) {
    if (entry.path().extension() != ".ini") continue;
    const std::string original = slurp(entry.path());
    const fs::path file = tmp.path / entry.path().filename();
    spit(file, original, 0600);
    CAPTURE(entry.path().filename().string());
    const auto added = add_profile_section(file.string(), "av-added", kMfa);
    if (!added) {  // fixtures of parse errors: the file must be untouched
      CHECK(slurp(file) == original);
      continue;
    }
    ++num_fixtures;
    const std::string after = slurp(file);
    CHECK(after.substr(0, original.size()) == original);
    auto reparsed = parse_aws_config(after, file.string());
    REQUIRE(reparsed);
    const auto names = reparsed->profile_names();
    REQUIRE_FALSE(names.empty());
    CHECK(names.back() == "av-added");
  }
  CHECK(num_fixtures >= 10);
}

}  // namespace av::config
