// ca_store.h: trusted root certificates for TLS server verification.
//
// A CaStore is a parsed PEM bundle. Bundles are parsed once per process per path and kept for the
// life of the program (ca_store_from_file / system_ca_store return pointers into a process-wide
// cache guarded by a mutex), so every HTTPS connection after the first costs no parsing. A CaStore
// is immutable after parsing and may be shared by concurrent handshakes.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/result.h"

namespace av::net::tls {

namespace detail {
struct CaChain;  // the mbedTLS certificate chain (ca_store_internal.h; net/tls only)
}  // namespace detail

// CaStore: a set of trusted CA certificates. Move-only; not copyable.
class CaStore {
 public:
  explicit CaStore(std::unique_ptr<detail::CaChain> chain, std::string source,
                   std::size_t num_certs) noexcept;
  ~CaStore();
  CaStore(CaStore&&) noexcept;
  CaStore& operator=(CaStore&&) noexcept;
  CaStore(const CaStore&) = delete;
  CaStore& operator=(const CaStore&) = delete;

  // source is the file the certificates came from ("" for an in-memory bundle).
  const std::string& source() const noexcept { return source_; }
  // num_certs is how many certificates were parsed (always >= 1).
  std::size_t num_certs() const noexcept { return num_certs_; }
  // chain is for tls_stream.cpp only: the mbedTLS chain, valid while *this lives.
  detail::CaChain& chain() const noexcept { return *chain_; }

 private:
  std::unique_ptr<detail::CaChain> chain_;
  std::string source_;
  std::size_t num_certs_ = 0;
};

// parse_ca_bundle parses PEM certificates from `pem` (not cached). Certificates that fail to
// parse are skipped, as Go's CertPool.AppendCertsFromPEM does; `source` names the bundle in
// errors. Errc::Parse "no certificates found in <source>" when none parses; Errc::TooLarge above
// limits::kMaxCaBundleBytes.
[[nodiscard]] Result<std::unique_ptr<CaStore>> parse_ca_bundle(ByteSpan pem,
                                                               std::string_view source);

// ca_store_from_file returns the bundle at `path` (AWS_CA_BUNDLE, the profile's ca_bundle),
// reading at most limits::kMaxCaBundleBytes and parsing it on first use only. The pointer is
// never null and stays valid for the rest of the program. Errors (not cached, so a later call
// retries): the read error (Errc::NotFound, Errc::PermissionDenied, Errc::Io, Errc::TooLarge) or
// the parse_ca_bundle error, each prefixed with "loading CA bundle <path>".
[[nodiscard]] Result<const CaStore*> ca_store_from_file(std::string_view path);

// system_ca_bundle_paths lists the well-known system bundle locations in search order (Linux
// distributions, the BSDs, macOS).
std::span<const std::string_view> system_ca_bundle_paths() noexcept;

// system_ca_store returns the first bundle among system_ca_bundle_paths() that exists, as
// ca_store_from_file. Errc::NotFound "no system CA bundle found (searched ...)" when none
// exists; a bundle that exists but cannot be read or parsed is an error (no silent fallback).
[[nodiscard]] Result<const CaStore*> system_ca_store();

}  // namespace av::net::tls
