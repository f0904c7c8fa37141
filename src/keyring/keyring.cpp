// keyring.cpp: Item copies and the sentinel errors of keyring.h.
#include "keyring/keyring.h"

#include <string>

namespace av::keyring {

Item Item::clone() const {
  Item out;
  out.key = key;
  out.data = data.clone();
  out.label = label;
  out.description = description;
  out.keychain_not_trust_application = keychain_not_trust_application;
  out.keychain_not_synchronizable = keychain_not_synchronizable;
  return out;
}

Error not_found_error() { return Error(Errc::NotFound, std::string(kNotFoundMessage)); }

Error no_backend_error() { return Error(Errc::Keyring, std::string(kNoBackendMessage)); }

Error metadata_needs_credentials_error() {
  return Error(Errc::Keyring, std::string(kMetadataNeedsCredentialsMessage));
}

Error metadata_unsupported_error() {
  return Error(Errc::Unsupported, std::string(kMetadataUnsupportedMessage));
}

bool is_not_found(const Error& error) noexcept { return error.code() == Errc::NotFound; }

}  // namespace av::keyring
