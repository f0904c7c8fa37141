// keyring.h: the credential-store interface every backend implements (spec backends.md §1.1-1.4).
//
// An Item is one stored entry: a lookup key, the secret Data (always a JSON document in aws-vault,
// kept in secure memory) and non-secret attributes. Backends return the not-found error from
// not_found_error() (Errc::NotFound, upstream's exact message) when a key is absent, so callers
// test `error.code() == Errc::NotFound` instead of comparing messages.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "secure/secret.h"

namespace av::keyring {

// Item: the fields of backends §1.2, in the Go declaration order used by the Item JSON.
// Move-only because `data` is a secret; clone() is the explicit copy.
struct Item {
  std::string key;
  secure::SecretBytes data;  // the secret payload (credential / session / token JSON)
  std::string label;
  std::string description;
  bool keychain_not_trust_application = false;  // macOS keychain: prompt on every read
  bool keychain_not_synchronizable = false;     // macOS keychain: never synchronise

  // clone copies every field, the secret included (into new secure memory).
  Item clone() const;
};

// Metadata: the non-secret part of an item. `item`, when present, never carries data.
struct Metadata {
  std::optional<Item> item;
  std::chrono::system_clock::time_point modification_time{};
};

// Upstream's sentinel messages (backends §1.4), reproduced exactly.
inline constexpr std::string_view kNotFoundMessage =
    "the specified item could not be found in the keyring";
inline constexpr std::string_view kNoBackendMessage = "specified keyring backend not available";
inline constexpr std::string_view kMetadataNeedsCredentialsMessage =
    "the keyring backend requires credentials for metadata access";
inline constexpr std::string_view kMetadataUnsupportedMessage =
    "the keyring backend does not support metadata access";

// not_found_error: Errc::NotFound with kNotFoundMessage (returned by get, and remove where a
// backend reports missing keys).
Error not_found_error();
// no_backend_error: Errc::Keyring with kNoBackendMessage (no allowed backend could be opened).
Error no_backend_error();
// metadata_needs_credentials_error: Errc::Keyring with kMetadataNeedsCredentialsMessage.
Error metadata_needs_credentials_error();
// metadata_unsupported_error: Errc::Unsupported with kMetadataUnsupportedMessage.
Error metadata_unsupported_error();
// is_not_found reports whether `error` is the missing-item error (by code, not message).
bool is_not_found(const Error& error) noexcept;

// Keyring: one opened backend. Methods are non-const because backends may prompt, cache a
// passphrase or reconnect. Implementations are not required to be thread-safe.
class Keyring {
 public:
  virtual ~Keyring() = default;

  // get returns a copy of the item stored under `key`; not_found_error() if absent; other
  // failures as Errc::Keyring / Io / AuthFailed / Parse depending on the backend.
  virtual Result<Item> get(std::string_view key) = 0;
  // get_metadata returns the non-secret parts; metadata_unsupported_error() or
  // metadata_needs_credentials_error() where the backend cannot provide them.
  virtual Result<Metadata> get_metadata(std::string_view key) = 0;
  // set creates or replaces the item under item.key; borrows `item`.
  virtual Status set(const Item& item) = 0;
  // remove deletes the item under `key`; a missing key gives not_found_error() or another
  // backend-specific result (backends §1.5).
  virtual Status remove(std::string_view key) = 0;
  // keys lists every key the backend holds, in the backend's order.
  virtual Result<std::vector<std::string>> keys() = 0;
};

}  // namespace av::keyring
