// bench_file_keyring: issue 4 "make bench". Time to read one item through the file backend, as
// `exec` does for a cached session (written with kSessionIterations, 8,192) and when it mints a new
// session from long-term credentials (kCredentialIterations, 600,000). Baseline: the session read,
// so the ratio is the cost of the stronger count. Each read uses a fresh FileKeyring, as a new
// process would.
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "bench.h"
#include "keyring/backends/file/file_keyring.h"

namespace {

using av::keyring::file::FileKeyring;
using av::keyring::file::FileKeyringOptions;

FileKeyringOptions options_for(const std::string& dir) {
  FileKeyringOptions options;
  options.dir = dir;
  options.passphrase = []() -> av::Result<av::secure::SecretString> {
    return av::secure::SecretString::copy_of("bench passphrase");
  };
  return options;
}

bool store(const std::string& dir, const std::string& key) {
  auto ring = FileKeyring::open(options_for(dir));
  if (!ring) return false;
  av::keyring::Item item;
  item.key = key;
  item.data = av::secure::SecretBytes::copy_of(
      av::as_bytes(R"({"AccessKeyID":"AKIAEXAMPLE","SecretAccessKey":"s","SessionToken":"t"})"));
  return (*ring)->set(item).has_value();
}

bool read(const std::string& dir, const std::string& key) {
  auto ring = FileKeyring::open(options_for(dir));
  return ring && (*ring)->get(key).has_value();
}

}  // namespace

int main() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "av-bench-keys-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return 1;
  const std::string dir = tmpl;
  const std::string session = "session,ZGV2,,4102444800";  // classified as a cached session
  const std::string credential = "dev";                     // a long-term credential
  if (!store(dir, session) || !store(dir, credential)) {
    std::fprintf(stderr, "bench_file_keyring: could not write the items\n");
    return 1;
  }
  const double session_ns = av::bench::median_ns([&] { (void)read(dir, session); }, 15, 1);
  const double credential_ns = av::bench::median_ns([&] { (void)read(dir, credential); }, 5, 1);
  av::bench::report("file backend: read session item, p2c 8192", session_ns, session_ns);
  av::bench::report("file backend: read credential item, p2c 600000 (vs session)", credential_ns,
                    session_ns);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}
