// secret_service_keyring.h: the `secret-service` backend (backends.md §2.5): the freedesktop
// Secret Service API (gnome-keyring, KeePassXC, ...) spoken over our own D-Bus client.
//
// Storage is upstream's exactly: one item per key in the collection whose object path is
// /org/freedesktop/secrets/collection/<name> once gnome-keyring's `_XX` escapes are decoded
// (§2.5.3); the item Label is item.key, its only attribute is {"profile": item.key}, the secret
// is the Item JSON with content type application/json (§2.5.5).
// keys() lists the Labels of every item in the collection; get() and remove() search by the
// `profile` attribute; remove() of a missing item succeeds; a missing collection is not-found for
// get() and remove() and an empty list for keys(); set() creates it (CreateCollection).
//
// Differences from upstream, all hardening, none visible in the stored data:
//   * sessions are encrypted (§2.5.7): OpenSession("dh-ietf1024-sha256-aes128-cbc-pkcs7") with a
//     fresh group-2 DH key pair per operation; secrets travel AES-128-CBC encrypted under the
//     HKDF-SHA-256 session key, each with a random IV in the Secret's `parameters`. Only when
//     the service answers org.freedesktop.DBus.Error.NotSupported do we fall back to `plain`
//     (as upstream always does), with a debug line saying so; any other failure is an error;
//   * prompts: a match rule for Completed is added, the wait is bounded (options.prompt_timeout;
//     on expiry the prompt is dismissed), and `dismissed` is honoured: Errc::Cancelled "the secret
//     service prompt was dismissed" (headless gnome-keyring dismisses every prompt at once);
//   * each operation's session is closed when the operation ends;
//   * D-Bus failures never surface as Errc::NotFound (which callers read as "no such item"):
//     they become Errc::Keyring, or Errc::Network for transport failures.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "dbus/connection.h"
#include "keyring/keyring.h"
#include "platform/env.h"
#include "secure/secret.h"

namespace av::keyring::secret_service {

// kDhSessionAlgorithm, kPlainSessionAlgorithm: the Secret Service session algorithms we speak.
inline constexpr std::string_view kDhSessionAlgorithm = "dh-ietf1024-sha256-aes128-cbc-pkcs7";
inline constexpr std::string_view kPlainSessionAlgorithm = "plain";

// kDefaultCollection: aws-vault's --secret-service-collection default.
inline constexpr std::string_view kDefaultCollection = "awsvault";
// kDefaultPromptTimeout: how long a Secret Service prompt may take (a person typing a password).
inline constexpr dbus::Timeout kDefaultPromptTimeout{120'000};

// SecretServiceOptions: how to open the backend. The bus address comes from `env`
// (dbus::session_bus_address: DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus).
struct SecretServiceOptions {
  std::string collection = std::string(kDefaultCollection);
  platform::Environment env;
  dbus::Timeout call_timeout = dbus::kDefaultCallTimeout;
  dbus::Timeout prompt_timeout = kDefaultPromptTimeout;
};

// decode_collection_path undoes gnome-keyring's object-path escaping: `_` followed by two hex
// digits is that byte ("keyring_2dtest" -> "keyring-test"). Any malformed escape returns `path`
// unchanged (as upstream).
std::string decode_collection_path(std::string_view path);

// SecretServiceKeyring: the backend. Holds one bus connection; not thread-safe.
class SecretServiceKeyring final : public Keyring {
 public:
  // open connects to the session bus, checks that org.freedesktop.secrets is owned (or can be
  // activated) and opens a session (DH, or plain after NotSupported), as upstream's opener does
  // (the collection may be missing). Every operation below opens and closes its own session;
  // a failed key exchange is Errc::Parse (malformed or out-of-range service public value) or
  // Errc::Crypto, and a service error other than NotSupported is returned, never downgraded.
  // Errors say why, never as Errc::NotFound: Errc::Keyring "secret-service: no session bus: ..."
  // (no address), Errc::Network "secret-service: cannot connect to the session bus ...",
  // Errc::Keyring "secret-service: no secret service provider on the session bus: ...",
  // Errc::Parse for an empty collection name.
  [[nodiscard]] static Result<std::unique_ptr<SecretServiceKeyring>> open(
      SecretServiceOptions options);

  // get: not_found_error() when the collection or the item is missing; Errc::Cancelled when an
  // unlock prompt is dismissed or times out; Errc::Parse / TooLarge for a foreign secret or an
  // IV that is not 16 bytes; Errc::AuthFailed when the secret does not decrypt (bad padding).
  Result<Item> get(std::string_view key) override;
  // get_metadata: metadata_needs_credentials_error(), as upstream.
  Result<Metadata> get_metadata(std::string_view key) override;
  // set: creates the collection (prompt) and unlocks it (prompt) when needed, then CreateItem
  // with replace=true. Errc::Cancelled for a dismissed or timed-out prompt; Errc::TooLarge for
  // an item Item JSON cannot hold.
  Status set(const Item& item) override;
  // remove: not_found_error() when the collection is missing; success when the item is.
  Status remove(std::string_view key) override;
  // keys: the Labels of the collection's items (unreadable labels skipped); empty when the
  // collection is missing.
  Result<std::vector<std::string>> keys() override;

  // session_algorithm: the algorithm of the most recently opened session (kDhSessionAlgorithm,
  // or kPlainSessionAlgorithm after a NotSupported fallback); empty before the first one.
  std::string_view session_algorithm() const noexcept { return session_algorithm_; }

 private:
  struct Secrets {
    std::string session;                    // the session's object path
    secure::SecretBytes key;                // AES-128 session key; empty in a plain session
    std::optional<std::string> collection;  // the collection's path when it exists
  };
  SecretServiceKeyring(dbus::Connection connection, SecretServiceOptions options) noexcept
      : connection_(std::move(connection)), options_(std::move(options)) {}

  Result<Secrets> open_session();
  Result<Secrets> open_plain_session();
  Result<Secrets> open_secrets();
  void close_session(const std::string& session);
  Result<dbus::Message> call(const std::string& path, std::string_view interface,
                             std::string_view member, std::vector<dbus::Value> body,
                             std::string_view expected_signature);
  Result<dbus::Value> read_property(const std::string& path, std::string_view interface,
                                    std::string_view name);
  Result<dbus::Value> run_prompt(const std::string& prompt);
  Status ensure_unlocked(const std::string& path, std::string_view interface);
  Result<std::optional<std::string>> find_item(const std::string& collection, std::string_view key);
  Result<std::string> create_collection();
  Result<Item> get_with(const Secrets& secrets, std::string_view key);
  Status set_with(const Secrets& secrets, const Item& item);
  Status remove_with(const Secrets& secrets, std::string_view key);
  Result<std::vector<std::string>> keys_with(const Secrets& secrets);

  dbus::Connection connection_;
  SecretServiceOptions options_;
  std::string_view session_algorithm_;
};

}  // namespace av::keyring::secret_service
