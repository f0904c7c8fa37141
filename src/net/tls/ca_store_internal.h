// ca_store_internal.h (net/tls only): the mbedTLS certificate chain behind a CaStore. Includes
// mbedTLS, so only src/net/tls/*.cpp include it.
#pragma once

#include <mbedtls/x509_crt.h>

namespace av::net::tls::detail {

// CaChain owns an mbedtls_x509_crt list: initialised on construction, freed on destruction.
struct CaChain {
  CaChain() noexcept { mbedtls_x509_crt_init(&crt); }
  ~CaChain() { mbedtls_x509_crt_free(&crt); }
  CaChain(const CaChain&) = delete;
  CaChain& operator=(const CaChain&) = delete;
  CaChain(CaChain&&) = delete;
  CaChain& operator=(CaChain&&) = delete;

  mbedtls_x509_crt crt;
};

}  // namespace av::net::tls::detail
