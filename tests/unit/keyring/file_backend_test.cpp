// file_backend_test.cpp: the `file` keyring backend and its file naming (backends.md §2.1).
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "codec/base64.h"
#include "keyring/backends/file/file_keyring.h"
#include "keyring/backends/file/file_name.h"

namespace fs = std::filesystem;
using av::Errc;
using av::keyring::Item;
using av::keyring::file::FileKeyring;
using av::keyring::file::FileKeyringOptions;

namespace {

constexpr std::uint32_t kFastIterations = 1000;

struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("av-file-kr-" + std::to_string(rd()) + std::to_string(rd()));
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string str() const { return path.string(); }
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// fixture_token returns the `token =` line of the first tokens.txt block whose name has `needle`.
std::string fixture_token(const std::string& needle) {
  const char* root = std::getenv("AV_TEST_VECTORS");
  std::ifstream in(std::string(root != nullptr ? root : "tests/vectors") + "/jwe/tokens.txt");
  REQUIRE(in.good());
  std::string line;
  bool in_block = false;
  while (std::getline(in, line)) {
    if (line.rfind("name = ", 0) == 0) in_block = line.find(needle) != std::string::npos;
    if (in_block && line.rfind("token = ", 0) == 0) return line.substr(8);
  }
  FAIL("no such fixture");
  return {};
}

int passphrase_calls = 0;

std::unique_ptr<FileKeyring> open_store(const std::string& dir, std::string passphrase) {
  FileKeyringOptions options;
  options.dir = dir;
  options.credential_iterations = kFastIterations;
  options.session_iterations = kFastIterations;
  options.passphrase = [passphrase]() -> av::Result<av::secure::SecretString> {
    ++passphrase_calls;
    return av::secure::SecretString::copy_of(passphrase);
  };
  auto store = FileKeyring::open(std::move(options));
  REQUIRE(store);
  return std::move(store).value();
}

Item make_item(const std::string& key, const std::string& data) {
  Item item;
  item.key = key;
  item.data = av::secure::SecretBytes::copy_of(av::as_bytes(data));
  item.label = "aws-vault (" + key + ")";
  return item;
}

std::string reveal(const Item& item) { return std::string(av::as_chars(item.data.reveal())); }

}  // namespace

TEST_CASE("file names escape only slash and percent, as upstream", "[keyring][vector]") {
  using av::keyring::file::escape_file_name;
  CHECK(escape_file_name("abc/.././123") == "abc%2F..%2F.%2F123");
  CHECK(escape_file_name("oidc:https://x.awsapps.com/start") == "oidc:https:%2F%2Fx.awsapps.com%2Fstart");
  CHECK(escape_file_name("a%2Fb") == "a%252Fb");
  CHECK(escape_file_name("100%") == "100%25");
  CHECK(escape_file_name("\xC3\xA9/\xC3\xBC") == "\xC3\xA9%2F\xC3\xBC");
  CHECK(escape_file_name("sts.GetSessionToken,ZGV2,,1700000000") ==
        "sts.GetSessionToken,ZGV2,,1700000000");
  CHECK(escape_file_name("a\xFFz") == "a\xEF\xBF\xBDz");
}

TEST_CASE("file names unescape leniently and foreign names are recognised", "[keyring][error]") {
  using av::keyring::file::decode_file_name;
  using av::keyring::file::unescape_file_name;
  CHECK(unescape_file_name("a%2fb%zz%") == "a/b%zz%");
  CHECK(decode_file_name("abc%2F..%2F.%2F123") == std::optional<std::string>("abc/.././123"));
  CHECK_FALSE(decode_file_name("a%2fb"));  // lower-case escape: not written by us
  CHECK_FALSE(decode_file_name("x%zz"));
  CHECK_FALSE(decode_file_name(".dev.tmp123456"));
  CHECK_FALSE(decode_file_name(".."));
  CHECK_FALSE(decode_file_name("bad\xFF"));
}

TEST_CASE("an item set into the file store reads back unchanged", "[keyring][roundtrip]") {
  TempDir dir;
  auto store = open_store(dir.str(), "pass");
  REQUIRE(store->set(make_item("dev", "{\"AccessKeyID\":\"AKIA\"}")));
  REQUIRE(store->set(make_item("oidc:https://x/start", "{}")));
  auto got = store->get("dev");
  REQUIRE(got);
  CHECK(got.value().key == "dev");
  CHECK(reveal(got.value()) == "{\"AccessKeyID\":\"AKIA\"}");
  CHECK(got.value().label == "aws-vault (dev)");
  CHECK(fs::exists(dir.path / "oidc:https:%2F%2Fx%2Fstart"));
  auto keys = store->keys();
  REQUIRE(keys);
  CHECK(keys.value() == std::vector<std::string>{"dev", "oidc:https://x/start"});
  CHECK(store->get_metadata("dev"));
  CHECK(store->get_metadata("nope").error().code() == Errc::NotFound);
  // A second process (new store object) reads with the same passphrase.
  auto other = open_store(dir.str(), "pass");
  CHECK(other->get("oidc:https://x/start"));
  auto dotdot = store->set(make_item("..", "x"));
  REQUIRE_FALSE(dotdot);
  INFO(dotdot.error().message());
  CHECK(dotdot.error().code() == Errc::Parse);
  CHECK(store->get(".").error().code() == Errc::Parse);
  CHECK(store->remove("").error().code() == Errc::Parse);
}

TEST_CASE("the passphrase is asked once and never for keys or remove", "[keyring][integration]") {
  TempDir dir;
  passphrase_calls = 0;
  auto store = open_store(dir.str(), "pass");
  REQUIRE(store->keys());
  CHECK(passphrase_calls == 0);
  CHECK(store->get("missing").error().code() == Errc::NotFound);
  CHECK(passphrase_calls == 0);
  REQUIRE(store->set(make_item("a", "1")));
  REQUIRE(store->set(make_item("b", "2")));
  REQUIRE(store->get("a"));
  CHECK(passphrase_calls == 1);
  auto fresh = open_store(dir.str(), "pass");
  REQUIRE(fresh->remove("a"));
  CHECK(fresh->remove("a").error().code() == Errc::NotFound);
  CHECK(passphrase_calls == 1);
}

TEST_CASE("the Go-written aws-vault fixture reads through the backend", "[keyring][vector]") {
  TempDir dir;
  auto store = open_store(dir.str(), "correct horse battery staple");
  write_text(dir.path / "dev", fixture_token("aws-vault file-backend fixture"));
  auto got = store->get("dev");
  REQUIRE(got);
  CHECK(got.value().key == "dev");
  CHECK(got.value().label == "aws-vault (dev)");
  CHECK(got.value().keychain_not_trust_application);
  CHECK(reveal(got.value()).find("\"AccessKeyID\":\"AKIAEXAMPLE\"") != std::string::npos);
}

TEST_CASE("a wrong passphrase fails to read and writes nothing", "[keyring][error]") {
  TempDir dir;
  REQUIRE(open_store(dir.str(), "right")->set(make_item("dev", "x")));
  const std::string before = read_text(dir.path / "dev");
  auto wrong = open_store(dir.str(), "wrong");
  CHECK(wrong->get("dev").error().code() == Errc::AuthFailed);
  auto status = wrong->set(make_item("other", "y"));
  REQUIRE_FALSE(status);
  CHECK(status.error().code() == Errc::AuthFailed);
  CHECK_FALSE(fs::exists(dir.path / "other"));
  CHECK(wrong->set(make_item("dev", "z")).error().code() == Errc::AuthFailed);
  CHECK(read_text(dir.path / "dev") == before);
}

TEST_CASE("foreign, empty and truncated files are skipped or reported, never deleted",
          "[keyring][error]") {
  TempDir dir;
  auto store = open_store(dir.str(), "pass");
  REQUIRE(store->set(make_item("dev", "x")));
  write_text(dir.path / "a%2fb", "junk");
  write_text(dir.path / ".dev.tmp42", "junk");
  write_text(dir.path / "empty", "");
  const std::string token = read_text(dir.path / "dev");
  write_text(dir.path / "cut", token.substr(0, token.size() / 2));
  auto keys = store->keys();
  REQUIRE(keys);
  CHECK(keys.value() == std::vector<std::string>{"cut", "dev", "empty"});
  auto empty = store->get("empty");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().code() == Errc::Truncated);
  CHECK_FALSE(store->get("cut"));
  CHECK(fs::exists(dir.path / "cut"));
  CHECK(fs::exists(dir.path / "empty"));
  CHECK(fs::exists(dir.path / "a%2fb"));
  // Corrupt files do not block the passphrase check of a new store.
  auto fresh = open_store(dir.str(), "pass");
  CHECK(fresh->set(make_item("new", "n")));
}

TEST_CASE("files are 0600 in a 0700 directory and a wide directory is flagged",
          "[keyring][integration]") {
  TempDir dir;
  const fs::path sub = dir.path / "keys";
  auto store = open_store(sub.string(), "pass");
  CHECK_FALSE(store->directory_too_open());
  REQUIRE(store->set(make_item("dev", "x")));
  CHECK((fs::status(sub).permissions() & fs::perms::all) == fs::perms::owner_all);
  CHECK((fs::status(sub / "dev").permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  fs::permissions(sub, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
  CHECK(open_store(sub.string(), "pass")->directory_too_open());
}

TEST_CASE("a file claiming 2^31 pbkdf2 iterations is rejected without deriving",
          "[keyring][error]") {
  TempDir dir;
  auto store = open_store(dir.str(), "pass");
  const std::string header =
      "{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A256GCM\",\"p2c\":2147483648,\"p2s\":\"AAAAAAAAAAAAAAAA\"}";
  const std::string token =
      av::codec::encode_base64(av::as_bytes(header), av::codec::Base64Alphabet::Url) +
      ".IQzH_3DwPnga8VJ7ZoiXTEXvno6PySWaExjKf0sQu0yfKAWTzIx-lw.rIHsCmBXIb6V9QM1.htWm.C43nOD5RFPF0uZYM65VBYg";
  write_text(dir.path / "dev", token);
  const auto start = std::chrono::steady_clock::now();
  auto got = store->get("dev");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
  REQUIRE_FALSE(got);
  CHECK(got.error().code() != Errc::AuthFailed);
}

TEST_CASE("credentials are written with the credential count and sessions with the session count",
          "[keyring][vector]") {
  TempDir dir;
  FileKeyringOptions options;
  options.dir = dir.str();
  options.credential_iterations = 2000;
  options.session_iterations = 1000;
  options.passphrase = [] { return av::Result<av::secure::SecretString>(av::secure::SecretString::copy_of("p")); };
  auto store = FileKeyring::open(std::move(options));
  REQUIRE(store);
  REQUIRE(store.value()->set(make_item("dev", "x")));
  REQUIRE(store.value()->set(make_item("sts.GetSessionToken,ZGV2,,1700000000", "y")));
  auto header_of = [&](const std::string& name) {
    const std::string token = read_text(dir.path / name);
    return token.substr(0, token.find('.'));
  };
  auto decode = [](const std::string& b64) {
    auto bytes = av::codec::decode_base64(b64, av::codec::Base64Alphabet::Url);
    REQUIRE(bytes);
    return std::string(bytes.value().begin(), bytes.value().end());
  };
  CHECK(decode(header_of("dev")).find("\"p2c\":2000") != std::string::npos);
  CHECK(decode(header_of("sts.GetSessionToken,ZGV2,,1700000000")).find("\"p2c\":1000") !=
        std::string::npos);
}

// Crash safety (issue 4): a writer killed with SIGKILL at arbitrary moments, over and over, must
// leave the item either at its old or at a new value, never torn, and never a stray key.
TEST_CASE("file backend: a writer killed at any moment leaves a whole item", "[keyring][integration]") {
  TempDir dir;
  {
    auto store = open_store(dir.str(), "pw");
    REQUIRE(store->set(make_item("dev", "v0")));
  }
  std::minstd_rand delays(20261129);  // deterministic kill times
  constexpr int kRounds = 25;
  for (int round = 0; round < kRounds; ++round) {
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      // Child: rewrite the item as fast as it can, telling the parent after the first write;
      // no Catch2 macros here.
      ::close(ready[0]);
      FileKeyringOptions options;
      options.dir = dir.str();
      options.credential_iterations = kFastIterations;
      options.session_iterations = kFastIterations;
      options.passphrase = []() -> av::Result<av::secure::SecretString> {
        return av::secure::SecretString::copy_of("pw");
      };
      auto store = FileKeyring::open(std::move(options));
      for (int i = 1; store && i < 100000; ++i) {
        const std::string value = "r" + std::to_string(round) + "-v" + std::to_string(i);
        if (!(*store)->set(make_item("dev", value))) ::_exit(1);
        if (i == 1) (void)!::write(ready[1], "x", 1);
      }
      ::_exit(0);
    }
    ::close(ready[1]);
    char byte = 0;
    const bool wrote_once = ::read(ready[0], &byte, 1) == 1;
    ::close(ready[0]);
    // Kill somewhere in the following writes (each takes about a millisecond).
    std::this_thread::sleep_for(std::chrono::microseconds(delays() % 5000));
    ::kill(pid, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(wrote_once);
    auto store = open_store(dir.str(), "pw");
    auto item = store->get("dev");
    REQUIRE(item);
    // Whole and from this round: the writer's first value at least, never a torn file.
    CHECK(reveal(*item).rfind("r" + std::to_string(round) + "-v", 0) == 0);
    auto keys = store->keys();
    REQUIRE(keys);
    CHECK(*keys == std::vector<std::string>{"dev"});
  }
}
