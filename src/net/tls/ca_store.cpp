// ca_store.cpp: PEM bundle parsing and the process-wide bundle cache.
//
// The cache maps a path to its parsed CaStore; entries are never removed, so the pointers handed
// out stay valid until exit. Failures are not cached: a missing file may appear later.
#include "net/tls/ca_store.h"

#include <array>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "base/limits.h"
#include "net/tls/ca_store_internal.h"
#include "platform/secure_file.h"

namespace av::net::tls {
namespace {

// Search order: Debian/Ubuntu/Gentoo/Arch, Fedora/RHEL, openSUSE, OpenELEC, CentOS/RHEL 7,
// Alpine and macOS, FreeBSD, the other BSDs (the list Go's crypto/x509 searches).
constexpr std::array<std::string_view, 9> kSystemBundles = {
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
    "/usr/local/etc/ssl/cert.pem",
    "/usr/local/share/certs/ca-root-nss.crt",
    "/etc/openssl/certs/ca-certificates.crt",
};

struct Cache {
  std::mutex mutex;
  std::vector<std::pair<std::string, std::unique_ptr<CaStore>>> entries;
};

Cache& cache() {
  static Cache instance;
  return instance;
}

std::size_t count_certs(const mbedtls_x509_crt& head) noexcept {
  std::size_t n = 0;
  for (const mbedtls_x509_crt* p = &head; p != nullptr && p->version != 0; p = p->next) ++n;
  return n;
}

}  // namespace

CaStore::CaStore(std::unique_ptr<detail::CaChain> chain, std::string source,
                 std::size_t num_certs) noexcept
    : chain_(std::move(chain)), source_(std::move(source)), num_certs_(num_certs) {}
CaStore::~CaStore() = default;
CaStore::CaStore(CaStore&&) noexcept = default;
CaStore& CaStore::operator=(CaStore&&) noexcept = default;

Result<std::unique_ptr<CaStore>> parse_ca_bundle(ByteSpan pem, std::string_view source) {
  const std::string name = source.empty() ? std::string("CA bundle") : std::string(source);
  if (pem.size() > limits::kMaxCaBundleBytes) {
    return Error(Errc::TooLarge, name + ": more than " +
                                     std::to_string(limits::kMaxCaBundleBytes) + " bytes");
  }
  // mbedTLS parses PEM only from a NUL-terminated buffer whose length counts the NUL.
  std::string text(as_chars(pem));
  text.push_back('\0');
  auto chain = std::make_unique<detail::CaChain>();
  const int rc = mbedtls_x509_crt_parse(&chain->crt, as_bytes(text).data(), text.size());
  const std::size_t num = count_certs(chain->crt);
  if (rc < 0 || num == 0) {
    return Error(Errc::Parse, "no certificates found in " + name);
  }
  return std::make_unique<CaStore>(std::move(chain), std::string(source), num);
}

Result<const CaStore*> ca_store_from_file(std::string_view path) {
  Cache& c = cache();
  std::lock_guard lock(c.mutex);
  for (const auto& [cached_path, store] : c.entries) {
    if (cached_path == path) return static_cast<const CaStore*>(store.get());
  }
  const std::string context = "loading CA bundle " + std::string(path);
  auto pem = platform::read_file(path, limits::kMaxCaBundleBytes);
  if (!pem) return std::move(pem).error().with_context(context);
  auto store = parse_ca_bundle(as_bytes(*pem), path);
  if (!store) return std::move(store).error().with_context(context);
  const CaStore* out = store->get();
  c.entries.emplace_back(std::string(path), std::move(store).value());
  return out;
}

std::span<const std::string_view> system_ca_bundle_paths() noexcept { return kSystemBundles; }

Result<const CaStore*> system_ca_store() {
  for (std::string_view path : kSystemBundles) {
    AV_TRY_ASSIGN(bool exists, platform::file_exists(path));
    if (exists) return ca_store_from_file(path);
  }
  std::string searched;
  for (std::string_view path : kSystemBundles) {
    searched.append(searched.empty() ? "" : ", ").append(path);
  }
  return Error(Errc::NotFound, "no system CA bundle found (searched " + searched + ")");
}

}  // namespace av::net::tls
