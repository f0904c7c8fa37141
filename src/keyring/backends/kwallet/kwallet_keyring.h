// kwallet_keyring.h: the `kwallet` backend (backends.md §2.6): KDE Wallet (kwalletd5) over our
// own D-Bus client.
//
// Storage is upstream's exactly: entries of the folder `folder` in the wallet `wallet`, written
// with the 5-argument writeEntry (type Stream) holding the Item JSON; the entry name is the key.
// get() reads the entry (empty means not-found), keys() lists every entry of the folder,
// remove() of a missing entry succeeds. The wallet handle is (re)opened at open and before every
// operation when isOpen says it is not.
//
// Differences from upstream, all hardening: a negative handle from `open` (refused or cancelled)
// is an error instead of being used; writeEntry's result is checked; `open` is bounded by
// options.open_timeout (kwalletd may wait on an unlock dialog); the handle is closed (not forced)
// when the keyring is destroyed, so the wallet is not left open for other applications.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "dbus/connection.h"
#include "keyring/keyring.h"
#include "platform/env.h"

namespace av::keyring::kwallet {

// KWalletOptions: aws-vault's values by default (wallet "aws-vault", app id and folder
// "aws-vault"); the bus address comes from `env` (dbus::session_bus_address).
struct KWalletOptions {
  std::string wallet = "aws-vault";
  std::string app_id = "aws-vault";
  std::string folder = "aws-vault";
  platform::Environment env;
  dbus::Timeout call_timeout = dbus::kDefaultCallTimeout;
  dbus::Timeout open_timeout{120'000};
};

// KWalletKeyring: the backend. Holds one bus connection and the wallet handle; not thread-safe.
class KWalletKeyring final : public Keyring {
 public:
  // open connects to the session bus and opens the wallet. Errors: Errc::Keyring "no session
  // bus ..." / "cannot connect ..." / "kwalletd is not running ..." (no org.kde.kwalletd5
  // owner or activatable service); Errc::Cancelled when kwalletd refuses or the user cancels;
  // Errc::Parse for an empty wallet, app id or folder.
  [[nodiscard]] static Result<std::unique_ptr<KWalletKeyring>> open(KWalletOptions options);
  ~KWalletKeyring() override;
  KWalletKeyring(const KWalletKeyring&) = delete;
  KWalletKeyring& operator=(const KWalletKeyring&) = delete;

  // get: not_found_error() for a missing (or empty) entry; Errc::Parse / TooLarge for a
  // foreign value; D-Bus failures as Errc::Keyring / Network.
  Result<Item> get(std::string_view key) override;
  // get_metadata: metadata_needs_credentials_error(), as upstream.
  Result<Metadata> get_metadata(std::string_view key) override;
  // set: writeEntry of the Item JSON; Errc::Keyring when kwalletd reports failure.
  Status set(const Item& item) override;
  // remove: removeEntry; a missing entry is success (as upstream).
  Status remove(std::string_view key) override;
  // keys: every entry name of the folder.
  Result<std::vector<std::string>> keys() override;

 private:
  KWalletKeyring(dbus::Connection connection, KWalletOptions options) noexcept
      : connection_(std::move(connection)), options_(std::move(options)) {}
  Status ensure_open();
  Result<dbus::Message> call(std::string_view member, std::vector<dbus::Value> body,
                             std::string_view expected_signature, dbus::Timeout timeout);

  dbus::Connection connection_;
  KWalletOptions options_;
  std::int32_t handle_ = 0;  // upstream starts from 0 too
  bool opened_ = false;      // we obtained handle_ from `open` (close it when done)
};

}  // namespace av::keyring::kwallet
