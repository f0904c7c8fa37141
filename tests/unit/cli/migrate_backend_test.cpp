// migrate-backend (spec §2.9) through the Context keyring seam: two MemoryKeyrings stand for the
// source and destination backends, picked by name.
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "cli/context.h"
#include "cli_test_support.h"
#include "cli/run.h"
#include "keyring/credentials.h"
#include "keyring/keys.h"
#include "keyring/memory_keyring.h"

namespace {

using av::cli::testing::FixedClock;
using av::cli::testing::no_executables;


// SetCorrupting stores something other than what it was given (a backend that mangles data).
class SetCorrupting final : public av::keyring::Keyring {
 public:
  av::Result<av::keyring::Item> get(std::string_view key) override { return inner.get(key); }
  av::Result<av::keyring::Metadata> get_metadata(std::string_view key) override {
    return inner.get_metadata(key);
  }
  av::Status set(const av::keyring::Item& item) override {
    av::keyring::Item changed = item.clone();
    const std::string json =
        R"({"AccessKeyID":"AKIAOTHER","SecretAccessKey":"s","SessionToken":""})";
    changed.data = av::secure::SecretBytes::copy_of(av::as_bytes(json));
    return inner.set(changed);
  }
  av::Status remove(std::string_view key) override { return inner.remove(key); }
  av::Result<std::vector<std::string>> keys() override { return inner.keys(); }
  av::keyring::MemoryKeyring inner;
};

void put_credentials(av::keyring::Keyring& ring, const std::string& profile,
                     const std::string& id) {
  av::keyring::LongTermCredentials creds;
  creds.access_key_id = id;
  creds.secret_access_key = av::secure::SecretString::copy_of("secret-" + id);
  const auto json = av::keyring::serialize_credentials_json(creds);
  REQUIRE(json.has_value());
  av::keyring::Item item;
  item.key = profile;
  item.data = av::secure::SecretBytes::copy_of(json->reveal_bytes());
  REQUIRE(ring.set(item).has_value());
}

std::string stored_id(av::keyring::Keyring& ring, const std::string& profile) {
  const auto item = ring.get(profile);
  REQUIRE(item.has_value());
  const auto creds = av::keyring::parse_credentials_json(av::as_chars(item->data.reveal()));
  REQUIRE(creds.has_value());
  return creds->access_key_id;
}

struct Harness {
  std::map<std::string, av::keyring::Keyring*> rings;
  av::keyring::MemoryKeyring source;
  av::keyring::MemoryKeyring dest;
  av::cli::StringWriter out;
  av::cli::StringWriter err;
  Harness() : rings{{"file", &source}, {"pass", &dest}} {}
  int run(std::vector<std::string_view> args) {
    args.insert(args.begin(), {"aws-vault", "migrate-backend", "--from=file", "--to=pass"});
    const auto env = av::platform::Environment::from_pairs({{"AWS_CONFIG_FILE", "/nonexistent"}});
    FixedClock clock;
    av::cli::Context ctx{env, out, err, clock, "aws-vault", std::nullopt, &no_executables};
    ctx.open_keyring = [this](std::string_view name) -> av::Result<av::keyring::Keyring*> {
      const auto it = rings.find(std::string(name));
      if (it == rings.end()) return av::Error(av::Errc::Unsupported, "not available in this build");
      return it->second;
    };
    return av::cli::run(args, ctx);
  }
};

}  // namespace

TEST_CASE("migrate-backend copies each credential, verifies it and prints the summary",
          "[cli][roundtrip]") {
  Harness h;
  put_credentials(h.source, "beta", "AKIAB");
  put_credentials(h.source, "alpha", "AKIAA");
  put_credentials(h.source, av::keyring::format_session_key({"sts.GetSessionToken", "alpha", "", 1800000000}).value(), "AKIAS");
  REQUIRE(h.run({}) == 0);
  CHECK(h.out.text() ==
        "Migrating alpha... copied, verified\nMigrating beta... copied, verified\n\n"
        "Migration summary:\n  copied: 2\n  overwritten: 0\n  skipped: 0\n"
        "  deleted from source: 0\n");
  CHECK(stored_id(h.dest, "alpha") == "AKIAA");
  CHECK(stored_id(h.dest, "beta") == "AKIAB");
  CHECK(h.dest.keys()->size() == 2);  // the session stays behind
  CHECK(h.dest.get("alpha")->label == "aws-vault (alpha)");
  CHECK(h.source.keys()->size() == 3);
}

TEST_CASE("migrate-backend skips existing items unless --overwrite, and --delete-source deletes",
          "[cli][roundtrip]") {
  Harness h;
  put_credentials(h.source, "alpha", "AKIANEW");
  put_credentials(h.dest, "alpha", "AKIAOLD");
  REQUIRE(h.run({}) == 0);
  CHECK(h.out.text().rfind("Migrating alpha... skipped, already exists in destination\n", 0) == 0);
  CHECK(h.out.text().find("  skipped: 1\n") != std::string::npos);
  CHECK(stored_id(h.dest, "alpha") == "AKIAOLD");

  Harness h2;
  put_credentials(h2.source, "alpha", "AKIANEW");
  put_credentials(h2.dest, "alpha", "AKIAOLD");
  REQUIRE(h2.run({"--overwrite", "--delete-source"}) == 0);
  CHECK(h2.out.text().rfind("Migrating alpha... overwritten, verified, deleted source\n", 0) == 0);
  CHECK(h2.out.text().find("  overwritten: 1\n  skipped: 0\n  deleted from source: 1\n") !=
        std::string::npos);
  CHECK(stored_id(h2.dest, "alpha") == "AKIANEW");
  CHECK(h2.source.keys()->empty());
}

TEST_CASE("migrate-backend --dry-run lists and writes nothing; --profile picks one", "[cli]") {
  Harness h;
  put_credentials(h.source, "alpha", "AKIAA");
  put_credentials(h.source, "beta", "AKIAB");
  REQUIRE(h.run({"--dry-run"}) == 0);
  CHECK(h.out.text() ==
        "Would migrate 2 credential profile(s) from file to pass:\n  alpha\n  beta\n\n"
        "No changes made.\n");
  CHECK(h.dest.keys()->empty());

  Harness h2;
  put_credentials(h2.source, "alpha", "AKIAA");
  put_credentials(h2.source, "beta", "AKIAB");
  REQUIRE(h2.run({"--profile=beta"}) == 0);
  CHECK(h2.dest.keys().value() == std::vector<std::string>{"beta"});
}

TEST_CASE("migrate-backend reports an empty source and an unknown --profile", "[cli][error]") {
  Harness h;
  REQUIRE(h.run({}) == 0);
  CHECK(h.out.text() == "No credentials found in source backend file.\n");

  Harness h2;
  put_credentials(h2.source, "alpha", "AKIAA");
  CHECK(h2.run({"--profile=nope"}) == 1);
  CHECK(h2.err.text() ==
        "aws-vault: error: migrate-backend: profile \"nope\" not found in source backend\n");
}

TEST_CASE("migrate-backend stops at a failing step and never deletes the failed source",
          "[cli][error]") {
  Harness h;
  put_credentials(h.source, "alpha", "AKIAA");
  h.dest.fail_with(av::Error(av::Errc::Keyring, "store is locked"));
  CHECK(h.run({"--delete-source"}) == 1);
  CHECK(h.out.text() ==
        "Migrating alpha... failed: check destination profile \"alpha\": store is locked\n"
        "Migration stopped. Source credentials were not deleted for the failed profile.\n");
  CHECK(h.err.text() == "aws-vault: error: migrate-backend: check destination profile "
                        "\"alpha\": store is locked\n");
  CHECK(h.source.keys()->size() == 1);
}

TEST_CASE("migrate-backend detects a destination that does not store what it was given",
          "[cli][error]") {
  Harness h;
  SetCorrupting corrupting;
  h.rings["pass"] = &corrupting;
  put_credentials(h.source, "alpha", "AKIAA");
  CHECK(h.run({"--delete-source"}) == 1);
  CHECK(h.err.text() == "aws-vault: error: migrate-backend: verify destination profile "
                        "\"alpha\": credential mismatch\n");
  CHECK(h.source.keys()->size() == 1);
}
