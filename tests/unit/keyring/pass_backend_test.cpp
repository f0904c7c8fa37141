// pass_backend_test.cpp: the pass backend against the real `pass` and `gpg`, and the passage
// flavour against tests/support/fake_passage over the real `age`. Every tool is required: a
// missing one fails the test loudly (Debian packages: pass, gnupg, age).
//
// Each fixture lives in a short /tmp directory (gpg-agent's socket path is limited to ~107
// bytes) with its own GNUPGHOME / HOME, and stops its gpg-agent on the way out.
#include "keyring/backends/pass/pass_keyring.h"

#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "keyring/item_json.h"
#include "platform/process.h"
#include "platform/secure_file.h"

namespace av::keyring::pass {
namespace {

constexpr const char* kPath = "/usr/local/bin:/usr/bin:/bin";
constexpr const char* kGpgUid = "AV Pass Test <av-pass-test@example.com>";
constexpr const char* kGpgEmail = "av-pass-test@example.com";

// A credential Item in the exact shape the Go encoder writes (backends §1.3); Data is the base64
// of {"AccessKeyID":"AKIAEXAMPLE","SecretAccessKey":"secret/with+chars",...}.
constexpr std::string_view kGoItemJson =
    R"({"Key":"go-dev","Data":"eyJBY2Nlc3NLZXlJRCI6IkFLSUFFWEFNUExFIiwiU2VjcmV0QWNjZXNzS2V5Ijoic2V)"
    R"(jcmV0L3dpdGgrY2hhcnMiLCJTZXNzaW9uVG9rZW4iOiIiLCJTb3VyY2UiOiIiLCJDYW5FeHBpcmUiOmZhbHNlLCJFeHB)"
    R"(pcmVzIjoiMDAwMS0wMS0wMVQwMDowMDowMFoiLCJBY2NvdW50SUQiOiIifQ==","Label":"aws-vault (go-dev))"
    R"(","Description":"","KeychainNotTrustApplication":true,"KeychainNotSynchronizable":false})";

std::string text_of(const secure::SecretBytes& bytes) {
  return std::string(as_chars(bytes.reveal()));
}

Item make_item(std::string key, std::string_view data) {
  Item item;
  item.key = std::move(key);
  item.data = secure::SecretBytes::copy_of(as_bytes(data));
  item.label = "aws-vault (" + item.key + ")";
  item.description = "desc <&>";
  item.keychain_not_trust_application = true;
  return item;
}

int remove_entry(const char* path, const struct stat*, int, struct FTW*) {
  ::chmod(path, 0700);
  std::remove(path);
  return 0;
}

void remove_tree(const std::string& root) {
  if (!root.empty()) ::nftw(root.c_str(), &remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void write_text(const std::string& path, std::string_view text) {
  REQUIRE(platform::write_file_atomic(path, as_bytes(text)));
}

// StoreFixture: a private HOME with a password store (pass + a fresh gpg key) or a passage
// store (age identity), torn down afterwards.
class StoreFixture {
 public:
  explicit StoreFixture(PassTool tool) : tool_(tool) {
    std::string pattern = "/tmp/avp-XXXXXX";  // short on purpose: gpg-agent socket length
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    root_ = pattern;
    home_ = root_ + "/h";
    REQUIRE(::mkdir(home_.c_str(), 0700) == 0);
    env_ = platform::Environment::from_pairs({{"PATH", kPath},
                                              {"HOME", home_},
                                              {"GNUPGHOME", root_ + "/g"},
                                              {"LC_ALL", "C"},
                                              {"GIT_AUTHOR_NAME", "av"},
                                              {"GIT_AUTHOR_EMAIL", "av@example.com"},
                                              {"GIT_COMMITTER_NAME", "av"},
                                              {"GIT_COMMITTER_EMAIL", "av@example.com"}});
    if (tool == PassTool::Pass) {
      store_ = home_ + "/.password-store";
      init_pass();
    } else {
      store_ = home_ + "/.passage/store";
      init_passage();
    }
  }
  ~StoreFixture() {
    if (tool_ == PassTool::Pass) {
      platform::RunRequest request;
      request.argv = {"gpgconf", "--kill", "gpg-agent"};
      request.env = &env_;
      (void)platform::run_program(request);
    }
    remove_tree(root_);
  }
  StoreFixture(const StoreFixture&) = delete;
  StoreFixture& operator=(const StoreFixture&) = delete;

  const std::string& store() const { return store_; }
  const std::string& home() const { return home_; }
  const platform::Environment& env() const { return env_; }

  // run executes a tool in the fixture's environment plus the store variable; must succeed.
  platform::RunResult run(std::vector<std::string> argv, std::string_view input = {},
                          bool feed_stdin = false) {
    auto child_env = env_.clone();
    child_env.set(tool_ == PassTool::Pass ? "PASSWORD_STORE_DIR" : "PASSAGE_DIR", store_);
    platform::RunRequest request;
    request.argv = std::move(argv);
    request.env = &child_env;
    if (feed_stdin) request.stdin_data = as_bytes(input);
    request.timeout = std::chrono::seconds(60);
    auto result = platform::run_program(request);
    INFO("running " << request.argv.front());
    REQUIRE(result.has_value());
    INFO("stderr: " << result->stderr_text);
    REQUIRE(result->status.success());
    return std::move(*result);
  }

  // options: what open() needs for this store, prefix "keyring" unless told otherwise.
  PassOptions options(std::string prefix = "keyring") const {
    PassOptions options;
    options.tool = tool_;
    options.dir = store_;
    options.prefix = std::move(prefix);
    options.env = env_.clone();
    if (tool_ == PassTool::Passage) options.command = fake_passage();
    options.timeout = std::chrono::seconds(60);
    return options;
  }

  std::unique_ptr<PassKeyring> open(std::string prefix = "keyring") const {
    auto keyring = PassKeyring::open(options(std::move(prefix)));
    INFO((keyring ? std::string() : std::string(keyring.error().message())));
    REQUIRE(keyring.has_value());
    return std::move(*keyring);
  }

  static std::string fake_passage() {
    const char* vectors = std::getenv("AV_TEST_VECTORS");  // set by ctest
    std::string path = vectors != nullptr ? std::string(vectors) + "/../support/fake_passage"
                                          : std::string("tests/support/fake_passage");
    INFO("fake_passage at " << path);
    REQUIRE(platform::is_executable(path));
    return path;
  }

 private:
  void init_pass() {
    REQUIRE(::mkdir((root_ + "/g").c_str(), 0700) == 0);
    run({"gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key",
         kGpgUid, "future-default", "default", "never"});
    run({"pass", "init", kGpgEmail});
  }
  void init_passage() {
    REQUIRE(::mkdir((home_ + "/.passage").c_str(), 0700) == 0);
    REQUIRE(::mkdir(store_.c_str(), 0700) == 0);
    run({"age-keygen", "-o", home_ + "/.passage/identities"});
  }

  PassTool tool_;
  std::string root_;
  std::string home_;
  std::string store_;
  platform::Environment env_;
};

void check_round_trip(StoreFixture& fixture) {
  auto keyring = fixture.open();
  CHECK(keyring->keys()->empty());
  Item item = make_item("dev", R"({"AccessKeyID":"AKIA1","SecretAccessKey":"s3cret"})");
  REQUIRE(keyring->set(item));
  auto got = keyring->get("dev");
  REQUIRE(got.has_value());
  CHECK(got->key == "dev");
  CHECK(text_of(got->data) == R"({"AccessKeyID":"AKIA1","SecretAccessKey":"s3cret"})");
  CHECK(got->label == "aws-vault (dev)");
  CHECK(got->description == "desc <&>");
  CHECK(got->keychain_not_trust_application);
  REQUIRE(keyring->set(make_item("africa/elephants", "{}")));
  CHECK(*keyring->keys() == std::vector<std::string>{"africa/elephants", "dev"});
  // Overwrite replaces the entry.
  REQUIRE(keyring->set(make_item("dev", R"({"v":2})")));
  CHECK(text_of(keyring->get("dev")->data) == R"({"v":2})");
  // get_metadata: empty value, no error (upstream), even for a missing key.
  auto metadata = keyring->get_metadata("nope");
  REQUIRE(metadata.has_value());
  CHECK_FALSE(metadata->item.has_value());
  REQUIRE(keyring->remove("dev"));
  CHECK(keyring->get("dev").error().code() == Errc::NotFound);
  CHECK(keyring->remove("dev").error().code() == Errc::NotFound);
  CHECK(*keyring->keys() == std::vector<std::string>{"africa/elephants"});
  REQUIRE(keyring->remove("africa/elephants"));
  CHECK(keyring->keys()->empty());
}

}  // namespace

TEST_CASE("pass: set, get, keys, overwrite and remove round trip", "[keyring][pass][roundtrip]") {
  StoreFixture fixture(PassTool::Pass);
  check_round_trip(fixture);
}

TEST_CASE("passage: set, get, keys, overwrite and remove round trip",
          "[keyring][pass][roundtrip]") {
  StoreFixture fixture(PassTool::Passage);
  check_round_trip(fixture);
  // The entry is an age file under the prefix.
  auto keyring = fixture.open();
  REQUIRE(keyring->set(make_item("prod", "{}")));
  auto file = platform::read_file(fixture.store() + "/keyring/prod.age");
  REQUIRE(file.has_value());
  CHECK(file->starts_with("age-encryption.org/v1\n"));
}

TEST_CASE("pass: our items read with pass show and Go-shaped items read through us",
          "[keyring][pass][vector]") {
  StoreFixture fixture(PassTool::Pass);
  auto keyring = fixture.open();
  Item item = make_item("dev", R"({"AccessKeyID":"AKIA1","SecretAccessKey":"s3cret"})");
  REQUIRE(keyring->set(item));
  // pass stores exactly the Item JSON: no trailing newline, Go's layout and escaping.
  auto shown = fixture.run({"pass", "show", "keyring/dev"});
  auto expected = serialize_item_json(item);
  REQUIRE(expected.has_value());
  CHECK(text_of(shown.stdout_data) == expected->reveal());
  CHECK(text_of(shown.stdout_data).find("\\u003c\\u0026\\u003e") != std::string::npos);
  REQUIRE(parse_item_json(as_chars(shown.stdout_data.reveal())).has_value());
  // An entry written by `pass insert -m` (as the Go tool does) reads back; so does one a person
  // typed, which ends in a newline.
  fixture.run({"pass", "insert", "-m", "keyring/go-dev"}, kGoItemJson, true);
  fixture.run({"pass", "insert", "-m", "keyring/typed"}, std::string(kGoItemJson) + "\n", true);
  for (const char* key : {"go-dev", "typed"}) {
    auto got = keyring->get(key);
    INFO(key);
    REQUIRE(got.has_value());
    CHECK(got->key == "go-dev");  // the Item as stored, whatever key it was found under
    CHECK(text_of(got->data).starts_with(R"({"AccessKeyID":"AKIAEXAMPLE","SecretAccessKey":)"));
    CHECK(got->label == "aws-vault (go-dev)");
    CHECK(got->keychain_not_trust_application);
  }
}

TEST_CASE("pass: a git-backed store commits each change and its chatter is ignored",
          "[keyring][pass][integration]") {
  StoreFixture fixture(PassTool::Pass);
  fixture.run({"pass", "git", "init"});
  auto keyring = fixture.open();
  REQUIRE(keyring->set(make_item("dev", R"({"k":1})")));
  REQUIRE(keyring->set(make_item("dev", R"({"k":2})")));
  CHECK(text_of(keyring->get("dev")->data) == R"({"k":2})");
  REQUIRE(keyring->remove("dev"));
  auto log = fixture.run({"git", "-C", fixture.store(), "log", "--oneline"});
  std::string history = text_of(log.stdout_data);
  CHECK(std::count(history.begin(), history.end(), '\n') >= 4);  // init, 2 x insert, rm
  CHECK(keyring->keys()->empty());  // .git is walked but holds no *.gpg files
}

TEST_CASE("pass: keys map to paths as Go's filepath.Join does", "[keyring][pass][vector]") {
  StoreFixture fixture(PassTool::Pass);
  auto keyring = fixture.open();
  // '//' collapses: an OIDC key lands three folders deep and lists in its cleaned form.
  REQUIRE(keyring->set(make_item("oidc:https://x.awsapps.com/start", "{}")));
  CHECK(*platform::file_exists(fixture.store() + "/keyring/oidc:https:/x.awsapps.com/start.gpg"));
  CHECK(keyring->get("oidc:https://x.awsapps.com/start").has_value());
  REQUIRE(keyring->set(make_item("a/./b//c", "{}")));
  CHECK(*platform::file_exists(fixture.store() + "/keyring/a/b/c.gpg"));
  CHECK(keyring->get("a/x/../b/c").has_value());
  CHECK(*keyring->keys() == std::vector<std::string>{"a/b/c", "oidc:https:/x.awsapps.com/start"});
  // The prefix is cleaned the same way.
  auto same = fixture.open("/keyring//./");
  CHECK(same->keys()->size() == 2);
}

TEST_CASE("pass: keys that escape the prefix or name nothing are refused before running",
          "[keyring][pass][error]") {
  StoreFixture fixture(PassTool::Pass);
  auto keyring = fixture.open();
  for (std::string key : {"../x", "a/../../x", "", ".", "a/..", "/"}) {
    INFO("key " << key);
    CHECK(keyring->set(make_item(key, "{}")).error().code() == Errc::Parse);
    CHECK(keyring->get(key).error().code() == Errc::Parse);
    CHECK(keyring->remove(key).error().code() == Errc::Parse);
  }
  CHECK(keyring->set(make_item(std::string("a\0b", 3), "{}")).error().code() == Errc::Parse);
  CHECK(keyring->get(std::string(5000, 'k')).error().code() == Errc::TooLarge);
  CHECK_FALSE(*platform::file_exists(fixture.store() + "/x.gpg"));
  // Without a prefix a leading '-' would reach pass as an option.
  auto bare = fixture.open("");
  CHECK(bare->set(make_item("-rf", "{}")).error().code() == Errc::Parse);
  CHECK(bare->get("--help").error().code() == Errc::Parse);
  REQUIRE(bare->set(make_item("top", "{}")));
  CHECK(bare->get("top").has_value());
  // A prefix outside the store is refused at open.
  auto outside = PassKeyring::open(fixture.options("../elsewhere"));
  REQUIRE_FALSE(outside.has_value());
  CHECK(outside.error().code() == Errc::Config);
}

TEST_CASE("pass: a corrupt entry is reported and never deleted", "[keyring][pass][error]") {
  StoreFixture fixture(PassTool::Pass);
  auto keyring = fixture.open();
  REQUIRE(keyring->set(make_item("good", "{}")));
  write_text(fixture.store() + "/keyring/garbage.gpg", "this is not an OpenPGP message\n");
  auto garbage = keyring->get("garbage");
  REQUIRE_FALSE(garbage.has_value());
  CHECK(garbage.error().code() == Errc::Keyring);
  CHECK(garbage.error().message().starts_with("pass show keyring/garbage: exit status "));
  CHECK(*platform::file_exists(fixture.store() + "/keyring/garbage.gpg"));
  // Decrypts fine but is not an Item: a parse error, entry kept.
  fixture.run({"pass", "insert", "-m", "keyring/notjson"}, "password123\nuser: me\n", true);
  auto notjson = keyring->get("notjson");
  REQUIRE_FALSE(notjson.has_value());
  CHECK(notjson.error().code() == Errc::Parse);
  CHECK(notjson.error().message().find("password123") == std::string::npos);
  CHECK(*platform::file_exists(fixture.store() + "/keyring/notjson.gpg"));
  CHECK(*keyring->keys() == std::vector<std::string>{"garbage", "good", "notjson"});
  CHECK(keyring->get("good").has_value());
}

TEST_CASE("pass: keys walks only regular entry files below the prefix",
          "[keyring][pass][vector]") {
  StoreFixture fixture(PassTool::Pass);
  auto keyring = fixture.open();
  CHECK(keyring->keys()->empty());  // the prefix folder does not exist yet
  REQUIRE(keyring->set(make_item("one", "{}")));
  const std::string dir = fixture.store() + "/keyring";
  write_text(dir + "/notes.txt", "x");
  write_text(dir + "/.gpg", "x");
  write_text(dir + "/.gpg-id", "someone\n");
  REQUIRE(::symlink((dir + "/one.gpg").c_str(), (dir + "/link.gpg").c_str()) == 0);
  REQUIRE(::mkdir((dir + "/folder.gpg").c_str(), 0700) == 0);
  REQUIRE(::symlink(dir.c_str(), (dir + "/loop").c_str()) == 0);
  CHECK(*keyring->keys() == std::vector<std::string>{"one"});
  // Everything in the store is listed without a prefix (upstream exposes the whole store).
  auto bare = fixture.open("");
  CHECK(*bare->keys() == std::vector<std::string>{"keyring/one"});
  // A store reached through a symlink lists the same, with or without a prefix.
  const std::string link = fixture.home() + "/store-link";
  REQUIRE(::symlink(fixture.store().c_str(), link.c_str()) == 0);
  auto options = fixture.options("");
  options.dir = link;
  auto linked = PassKeyring::open(std::move(options));
  REQUIRE(linked.has_value());
  CHECK(*(*linked)->keys() == std::vector<std::string>{"keyring/one"});
}

TEST_CASE("pass and passage: open explains why a store cannot be used",
          "[keyring][pass][error]") {
  StoreFixture fixture(PassTool::Pass);
  auto missing_program = fixture.options();
  missing_program.command = "no-such-pass-av";
  auto no_program = PassKeyring::open(std::move(missing_program));
  REQUIRE_FALSE(no_program.has_value());
  CHECK(no_program.error().code() == Errc::NotFound);
  CHECK(no_program.error().message().starts_with("the pass program is not available: "));
  auto missing_dir = fixture.options();
  missing_dir.dir = fixture.home() + "/nowhere";
  auto no_dir = PassKeyring::open(std::move(missing_dir));
  REQUIRE_FALSE(no_dir.has_value());
  CHECK(no_dir.error().code() == Errc::NotFound);
  CHECK(no_dir.error().message().find("does not exist") != std::string::npos);
  // A directory without .gpg-id is not an initialised store.
  REQUIRE(::mkdir((fixture.home() + "/empty").c_str(), 0700) == 0);
  auto uninit = fixture.options();
  uninit.dir = fixture.home() + "/empty";
  CHECK(PassKeyring::open(std::move(uninit)).error().code() == Errc::Config);
  // A file is not a store.
  write_text(fixture.home() + "/file", "x");
  auto file = fixture.options();
  file.dir = fixture.home() + "/file";
  CHECK(PassKeyring::open(std::move(file)).error().code() == Errc::Config);
  // passage without an identities file.
  auto passage = fixture.options();
  passage.tool = PassTool::Passage;
  passage.command = StoreFixture::fake_passage();
  passage.dir = fixture.store();
  auto no_identity = PassKeyring::open(std::move(passage));
  REQUIRE_FALSE(no_identity.has_value());
  CHECK(no_identity.error().message().starts_with("passage identities file "));
  passage = fixture.options();
  passage.tool = PassTool::Passage;
  passage.command = "no-such-passage-av";
  CHECK(PassKeyring::open(std::move(passage))
            .error()
            .message()
            .starts_with("the passage program is not available: "));
}

TEST_CASE("pass: the store directory falls back to the variable, then the default",
          "[keyring][pass][vector]") {
  StoreFixture fixture(PassTool::Pass);
  auto from_default = fixture.options();
  from_default.dir.clear();
  auto opened = PassKeyring::open(std::move(from_default));
  REQUIRE(opened.has_value());  // ~/.password-store is the fixture's store
  CHECK((*opened)->store_dir() == fixture.home() + "/.password-store");
  auto from_variable = fixture.options();
  from_variable.dir.clear();
  from_variable.env.set("PASSWORD_STORE_DIR", fixture.home() + "/other");
  auto other = PassKeyring::open(std::move(from_variable));
  REQUIRE_FALSE(other.has_value());
  CHECK(other.error().message().find(fixture.home() + "/other") != std::string::npos);
  auto tilde = fixture.options();
  tilde.dir = "~/.password-store";
  CHECK((*PassKeyring::open(std::move(tilde)))->store_dir() == fixture.home() + "/.password-store");
}

TEST_CASE("passage: .age-recipients decides who can read new entries",
          "[keyring][pass][integration]") {
  StoreFixture fixture(PassTool::Passage);
  auto keyring = fixture.open();
  // A recipients file naming someone else: we can write but no longer read our own entry.
  fixture.run({"age-keygen", "-o", fixture.home() + "/other-identity"});
  auto recipient = fixture.run({"age-keygen", "-y", fixture.home() + "/other-identity"});
  write_text(fixture.store() + "/.age-recipients", text_of(recipient.stdout_data));
  REQUIRE(keyring->set(make_item("foreign", "{}")));
  auto unreadable = keyring->get("foreign");
  REQUIRE_FALSE(unreadable.has_value());
  CHECK(unreadable.error().code() == Errc::Keyring);
  CHECK(unreadable.error().message().starts_with("passage show keyring/foreign: exit status 1"));
  CHECK(*keyring->keys() == std::vector<std::string>{"foreign"});
}

}  // namespace av::keyring::pass
