// external_test.cpp: credential_process output and web identity tokens (spec §4.3), driven by
// real /bin/sh scripts written into a private temporary directory.
#include "vault/external.h"

#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>

#include "base/limits.h"
#include "codec/iso8601.h"

namespace av::vault::detail {
// Defined in src/vault/external.cpp: the public functions with the timeout as a parameter.
Result<aws::Credentials> run_credential_process(std::string_view command,
                                                const platform::Environment& env,
                                                std::chrono::milliseconds timeout);
Result<secure::SecretString> web_identity_token(const config::ResolvedProfile& profile,
                                                const platform::Environment& env,
                                                std::chrono::milliseconds timeout);
}  // namespace av::vault::detail

namespace av::vault {
namespace {

using namespace std::chrono_literals;

// Scratch: a private temporary directory, removed with its contents afterwards.
class Scratch {
 public:
  Scratch() {
    std::string pattern = "/tmp/av-external-test-XXXXXX";
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~Scratch() { ::nftw(path_.c_str(), &remove_entry, 16, FTW_DEPTH | FTW_PHYS); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }

  // write creates file `name` holding exactly `content`; returns its path.
  std::string write(std::string_view name, std::string_view content) const {
    std::string p = file(name);
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    REQUIRE(out.good());
    return p;
  }

  // script writes an executable /bin/sh script that prints `stdout_text` exactly and then runs
  // `tail` (e.g. "exit 3"); returns its path, usable as a command.
  std::string script(std::string_view name, std::string_view stdout_text,
                     std::string_view tail = "") const {
    std::string data = write(std::string(name) + ".out", stdout_text);
    std::string p = write(name, "#!/bin/sh\ncat '" + data + "'\n" + std::string(tail) + "\n");
    REQUIRE(::chmod(p.c_str(), 0700) == 0);
    return p;
  }

 private:
  static int remove_entry(const char* p, const struct stat*, int, struct FTW*) {
    std::remove(p);
    return 0;
  }
  std::string path_;
};

platform::Environment test_env() {
  return platform::Environment::from_pairs({{"PATH", "/usr/bin:/bin"}, {"AV_KEY", "AKIAENV"}});
}

Result<aws::Credentials> run(std::string_view command) {
  return run_credential_process(command, test_env());
}

std::chrono::system_clock::time_point at(std::string_view rfc3339) {
  auto t = codec::parse_rfc3339(rfc3339);
  REQUIRE(t.has_value());
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(*t);
}

std::string message_of(const Result<aws::Credentials>& r) {
  REQUIRE_FALSE(r.has_value());
  return std::string(r.error().message());
}

}  // namespace

TEST_CASE("credential_process: reads the SDK JSON with Version and extra fields",
          "[vault][vector]") {
  Scratch dir;
  auto cmd = dir.script("good", R"({"Version": 1, "AccessKeyId": "ASIAPROCESS",
    "SecretAccessKey": "c2VjcmV0", "SessionToken": "dG9rZW4=",
    "Expiration": "2030-01-02T03:04:05Z", "Extra": {"SessionToken": ["ignored"]}, "n": null})");
  auto creds = run(cmd);
  REQUIRE(creds.has_value());
  CHECK(creds->access_key_id == "ASIAPROCESS");
  CHECK(creds->secret_access_key.reveal() == "c2VjcmV0");
  CHECK(creds->session_token.reveal() == "dG9rZW4=");
  REQUIRE(creds->expiration.has_value());
  CHECK(*creds->expiration == at("2030-01-02T03:04:05Z"));
}

TEST_CASE("credential_process: matches field names in any letter case", "[vault][vector]") {
  Scratch dir;
  auto cmd = dir.script("cases", R"({"accesskeyid":"ASIALOWER","SECRETACCESSKEY":"S",
    "sessionToken":"T","EXPIRATION":"2030-01-02T13:04:05.123456789+10:00","version":2})");
  auto creds = run(cmd);
  REQUIRE(creds.has_value());
  CHECK(creds->access_key_id == "ASIALOWER");
  CHECK(creds->secret_access_key.reveal() == "S");
  CHECK(creds->session_token.reveal() == "T");
  REQUIRE(creds->expiration.has_value());
  CHECK(*creds->expiration == at("2030-01-02T03:04:05.123456789Z"));
}

TEST_CASE("credential_process: long-term keys without SessionToken or Expiration are accepted",
          "[vault][vector]") {
  Scratch dir;
  auto creds = run(dir.script("v1", R"({"Version":1,"AccessKeyId":"AKIALONG","SecretAccessKey":"S"})"));
  REQUIRE(creds.has_value());
  CHECK(creds->access_key_id == "AKIALONG");
  CHECK_FALSE(creds->has_session_token());
  CHECK_FALSE(creds->expiration.has_value());
  auto nulls = run(dir.script(
      "nulls", R"({"AccessKeyId":"AKIALONG","SecretAccessKey":"S","SessionToken":null,"Expiration":null})"));
  REQUIRE(nulls.has_value());
  CHECK_FALSE(nulls->has_session_token());
  CHECK_FALSE(nulls->expiration.has_value());
}

TEST_CASE("credential_process: runs through /bin/sh -c with the given environment",
          "[vault][vector]") {
  auto creds = run(R"(printf '{"AccessKeyId":"%s","SecretAccessKey":"S"}' "$AV_KEY")");
  REQUIRE(creds.has_value());
  CHECK(creds->access_key_id == "AKIAENV");
}

TEST_CASE("credential_process: missing fields are listed in upstream's order", "[vault][error]") {
  Scratch dir;
  auto empty = dir.script("empty", "{}");
  auto r = run(empty);
  CHECK(message_of(r) == "JSON credential from command \"" + empty +
                             "\" missing the following fields: [AccessKeyId SecretAccessKey]");
  CHECK(r.error().code() == Errc::Parse);
  auto no_secret = dir.script("nosecret", R"({"AccessKeyId":"A","SessionToken":"T",
      "Expiration":"2030-01-02T03:04:05Z","SecretAccessKey":null})");
  CHECK(message_of(run(no_secret)) ==
        "JSON credential from command \"" + no_secret +
            "\" missing the following fields: [SecretAccessKey]");
  auto blank = dir.script("blank", R"({"AccessKeyId":"","SecretAccessKey":"S"})");
  CHECK(message_of(run(blank)) == "JSON credential from command \"" + blank +
                                      "\" missing the following fields: [AccessKeyId]");
}

TEST_CASE("credential_process: output that is not the expected JSON is rejected",
          "[vault][error]") {
  Scratch dir;
  const std::string prefix = "invalid JSON format from command \"";
  struct Case {
    const char* name;
    const char* output;
    const char* reason;  // start of the text after the command
  };
  const Case cases[] = {
      {"garbage", "AccessKeyId=A\n", "json: "},
      {"nothing", "", "json: "},
      {"array", R"([{"AccessKeyId":"A","SecretAccessKey":"S"}])",
       "json: credentials must be a JSON object"},
      {"number", R"({"AccessKeyId":12,"SecretAccessKey":"S"})",
       "json: field \"AccessKeyId\" must be a string"},
      {"secretnum", R"({"AccessKeyId":"A","SecretAccessKey":7})",
       "json: field \"SecretAccessKey\" must be a string"},
      {"repeat", R"({"AccessKeyId":"A","accessKeyID":"B","SecretAccessKey":"S"})",
       "json: field \"AccessKeyId\" repeated"},
      {"exact-repeat", R"({"AccessKeyId":"A","AccessKeyId":"A","SecretAccessKey":"S"})", "json: "},
      {"trailing", R"({"AccessKeyId":"A","SecretAccessKey":"S"} x)", "json: "},
      {"expiration", R"({"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2030-01-02 03:04:05"})",
       "parsing Expiration: "},
      {"expnum", R"({"AccessKeyId":"A","SecretAccessKey":"S","Expiration":1700000000})",
       "json: field \"Expiration\" must be a string"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto cmd = dir.script(c.name, c.output);
    auto msg = message_of(run(cmd));
    CHECK(msg.starts_with(prefix + cmd + "\": " + c.reason));
    CHECK(msg.find("\"S\"") == std::string::npos);
  }
}

TEST_CASE("credential_process: Expiration accepts the RFC 3339 forms Go reads",
          "[vault][vector]") {
  Scratch dir;
  const std::pair<const char*, const char*> cases[] = {
      {"2030-01-02T03:04:05Z", "2030-01-02T03:04:05Z"},
      {"2030-01-02T03:04:05.5Z", "2030-01-02T03:04:05.5Z"},
      {"2030-01-01T22:04:05-05:00", "2030-01-02T03:04:05Z"},
      {"2030-01-02T03:04:05-00:00", "2030-01-02T03:04:05Z"},
  };
  int n = 0;
  for (const auto& [written, utc] : cases) {
    INFO(written);
    auto cmd = dir.script("exp" + std::to_string(n++),
                          std::string(R"({"AccessKeyId":"A","SecretAccessKey":"S","Expiration":")") +
                              written + "\"}");
    auto creds = run(cmd);
    REQUIRE(creds.has_value());
    REQUIRE(creds->expiration.has_value());
    CHECK(*creds->expiration == at(utc));
  }
  for (const char* bad : {"2030-01-02t03:04:05z", "2030-01-02T03:04:05", "2030-13-02T03:04:05Z",
                          "1700000000", ""}) {
    INFO(bad);
    auto cmd = dir.script("bad" + std::to_string(n++),
                          std::string(R"({"AccessKeyId":"A","SecretAccessKey":"S","Expiration":")") +
                              bad + "\"}");
    CHECK(message_of(run(cmd)).find("\": parsing Expiration: ") != std::string::npos);
  }
}

TEST_CASE("credential_process: a failing command is reported with its exit status",
          "[vault][error]") {
  Scratch dir;
  auto r = run("exit 3");
  CHECK(message_of(r) == "running command \"exit 3\": exit status 3");
  CHECK(r.error().code() == Errc::Io);
  // Valid output does not rescue a failing command.
  auto cmd = dir.script("fails", R"({"AccessKeyId":"A","SecretAccessKey":"S"})", "exit 1");
  CHECK(message_of(run(cmd)) == "running command \"" + cmd + "\": exit status 1");
  CHECK(message_of(run("kill -KILL $$")) == "running command \"kill -KILL $$\": signal: killed");
  // The command is quoted as Go's %q would: quotes and control characters are escaped.
  CHECK(message_of(run("echo \"x\"\texit 4; exit 4")) ==
        "running command \"echo \\\"x\\\"\\texit 4; exit 4\": exit status 4");
  auto missing = dir.file("no-such-script") + " 2>/dev/null";
  CHECK(message_of(run(missing)) == "running command \"" + missing + "\": exit status 127");
}

TEST_CASE("credential_process: output is capped at 8 KiB", "[vault][error]") {
  Scratch dir;
  const std::string body = R"({"AccessKeyId":"A","SecretAccessKey":"S"})";
  std::string exact = body + std::string(kCredentialProcessMaxOutput - body.size(), ' ');
  REQUIRE(exact.size() == 8192);
  CHECK(run(dir.script("exact", exact)).has_value());
  auto big = dir.script("big", exact + " ");
  auto r = run(big);
  CHECK(r.error().code() == Errc::TooLarge);
  CHECK(message_of(r) ==
        "running command \"" + big + "\": read /bin/sh stdout: more than 8192 bytes");
  auto endless = run("yes");
  CHECK(endless.error().code() == Errc::TooLarge);
}

TEST_CASE("credential_process: a command that hangs is killed at the timeout", "[vault][error]") {
  auto start = std::chrono::steady_clock::now();
  auto r = detail::run_credential_process("exec sleep 20", test_env(), 300ms);
  auto took = std::chrono::steady_clock::now() - start;
  CHECK(message_of(r) == "running command \"exec sleep 20\": timeout after 300ms");
  CHECK(r.error().code() == Errc::Io);
  CHECK(took < 10s);
  // Partial output before the hang changes nothing.
  auto partial = detail::run_credential_process(
      R"(printf '{"AccessKeyId":"A","SecretAccessKey":"S"}'; exec sleep 20)", test_env(), 1s);
  CHECK(message_of(partial).ends_with(": timeout after 1s"));
  CHECK(kExternalCommandTimeout == 60s);
}

TEST_CASE("web_identity_token: returns the token file's whole content, untrimmed",
          "[vault][vector]") {
  Scratch dir;
  config::ResolvedProfile profile;
  profile.name = "web";
  profile.web_identity_token_file = dir.write("token", "eyJ.token.sig\n");
  auto token = web_identity_token(profile, test_env());
  REQUIRE(token.has_value());
  CHECK(token->reveal() == "eyJ.token.sig\n");
  // Kubernetes projects tokens through symlinks: they are followed.
  std::string link = dir.file("link");
  REQUIRE(::symlink(profile.web_identity_token_file.c_str(), link.c_str()) == 0);
  profile.web_identity_token_file = link;
  auto linked = web_identity_token(profile, test_env());
  REQUIRE(linked.has_value());
  CHECK(linked->reveal() == "eyJ.token.sig\n");
}

TEST_CASE("web_identity_token: the file wins when both are set", "[vault][vector]") {
  Scratch dir;
  config::ResolvedProfile profile;
  profile.web_identity_token_file = dir.write("token", "from-file");
  std::string marker = dir.file("ran");
  profile.web_identity_token_process = "touch '" + marker + "'; printf from-process";
  auto token = web_identity_token(profile, test_env());
  REQUIRE(token.has_value());
  CHECK(token->reveal() == "from-file");
  CHECK(::access(marker.c_str(), F_OK) != 0);  // the process never ran
}

TEST_CASE("web_identity_token: otherwise returns the process's stdout, untrimmed",
          "[vault][vector]") {
  config::ResolvedProfile profile;
  profile.web_identity_token_process = "printf 'tok-%s\\n' \"$AV_KEY\"";
  auto token = web_identity_token(profile, test_env());
  REQUIRE(token.has_value());
  CHECK(token->reveal() == "tok-AKIAENV\n");
}

TEST_CASE("web_identity_token: unreadable files and failing processes are errors",
          "[vault][error]") {
  Scratch dir;
  config::ResolvedProfile profile;
  profile.name = "web";
  profile.web_identity_token_file = dir.file("absent");
  auto missing = web_identity_token(profile, test_env());
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code() == Errc::NotFound);
  CHECK(missing.error().message() == "unable to read file at " + profile.web_identity_token_file +
                                         ": open " + profile.web_identity_token_file +
                                         ": no such file or directory");
  profile.web_identity_token_file =
      dir.write("huge", std::string(limits::kMaxWebIdentityTokenBytes + 1, 'x'));
  auto huge = web_identity_token(profile, test_env());
  REQUIRE_FALSE(huge.has_value());
  CHECK(huge.error().code() == Errc::TooLarge);
  CHECK(huge.error().message().starts_with("unable to read file at " +
                                           profile.web_identity_token_file + ": "));
  profile.web_identity_token_file.clear();
  profile.web_identity_token_process = "printf partial; exit 2";
  auto failed = web_identity_token(profile, test_env());
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().message() == "running command \"printf partial; exit 2\": exit status 2");
  auto hung = detail::web_identity_token(
      [&] {
        config::ResolvedProfile p;
        p.web_identity_token_process = "exec sleep 20";
        return p;
      }(),
      test_env(), 200ms);
  REQUIRE_FALSE(hung.has_value());
  CHECK(hung.error().message() == "running command \"exec sleep 20\": timeout after 200ms");
  profile.web_identity_token_process.clear();
  auto neither = web_identity_token(profile, test_env());
  REQUIRE_FALSE(neither.has_value());
  CHECK(neither.error().code() == Errc::Config);
}

}  // namespace av::vault
