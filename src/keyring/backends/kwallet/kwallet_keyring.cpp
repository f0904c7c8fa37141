// kwallet_keyring.cpp: the KWallet backend over dbus::Connection.
#include "keyring/backends/kwallet/kwallet_keyring.h"

#include <string>
#include <utility>

#include "base/ascii.h"
#include "keyring/item_json.h"

namespace av::keyring::kwallet {
namespace {

using dbus::Value;

constexpr std::string_view kBusName = "org.kde.kwalletd5";
constexpr std::string_view kObjectPath = "/modules/kwalletd5";
constexpr std::string_view kInterface = "org.kde.KWallet";

// backend_error adds context and makes sure no D-Bus failure reads as "item not found".
Error backend_error(const Error& error, std::string_view context) {
  const Errc code = error.code() == Errc::NotFound ? Errc::Keyring : error.code();
  if (context.empty()) return Error{code, "kwallet: " + std::string(error.message())};
  return Error{code, "kwallet: " + std::string(context) + ": " + std::string(error.message())};
}

// ensure_service: kwalletd owns its name, or the bus can start it.
Status ensure_service(dbus::Connection& connection, dbus::Timeout timeout) {
  std::vector<Value> name;
  name.push_back(Value::string(std::string(kBusName)));
  auto owned =
      connection.call(dbus::method_call("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                        "org.freedesktop.DBus", "NameHasOwner", std::move(name)),
                      timeout);
  if (!owned) return backend_error(owned.error(), "NameHasOwner");
  if (owned->body_signature() == "b" && owned->body[0].number_bits() != 0) return ok();
  std::vector<Value> start;
  start.push_back(Value::string(std::string(kBusName)));
  start.push_back(Value::uint32(0));
  auto started = connection.call(
      dbus::method_call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                        "StartServiceByName", std::move(start)),
      timeout);
  if (!started) return backend_error(started.error(), "kwalletd is not running");
  return ok();
}

}  // namespace

Result<std::unique_ptr<KWalletKeyring>> KWalletKeyring::open(KWalletOptions options) {
  if (options.wallet.empty() || options.app_id.empty() || options.folder.empty()) {
    return Error{Errc::Parse, "kwallet: empty wallet, app id or folder"};
  }
  auto connection = dbus::open_session_bus(options.env, options.call_timeout);
  if (!connection) return backend_error(connection.error(), {});
  AV_TRY(ensure_service(*connection, options.call_timeout));
  // The constructor is private (open is the only way in), so make_unique cannot reach it.
  std::unique_ptr<KWalletKeyring> keyring(
      new KWalletKeyring(std::move(*connection), std::move(options)));
  AV_TRY(keyring->ensure_open());
  return keyring;
}

KWalletKeyring::~KWalletKeyring() {
  if (!opened_) return;
  std::vector<Value> args;
  args.push_back(Value::int32(handle_));
  args.push_back(Value::boolean(false));
  args.push_back(Value::string(options_.app_id));
  (void)call("close", std::move(args), "i", options_.call_timeout);
}

Result<dbus::Message> KWalletKeyring::call(std::string_view member, std::vector<Value> body,
                                           std::string_view expected_signature,
                                           dbus::Timeout timeout) {
  auto reply = connection_.call(
      dbus::method_call(std::string(kBusName), std::string(kObjectPath), std::string(kInterface),
                        std::string(member), std::move(body)),
      timeout);
  if (!reply) return backend_error(reply.error(), member);
  if (reply->body_signature() != expected_signature) {
    return Error{Errc::Parse, "kwallet: unexpected reply to " + std::string(member) + ": " +
                                  ascii::quote_for_terminal(reply->body_signature())};
  }
  return std::move(reply).value();
}

Status KWalletKeyring::ensure_open() {
  std::vector<Value> probe;
  probe.push_back(Value::int32(handle_));
  AV_TRY_ASSIGN(dbus::Message is_open,
                call("isOpen", std::move(probe), "b", options_.call_timeout));
  if (is_open.body[0].number_bits() != 0) return ok();
  std::vector<Value> args;
  args.push_back(Value::string(options_.wallet));
  args.push_back(Value::int64(0));  // window id
  args.push_back(Value::string(options_.app_id));
  AV_TRY_ASSIGN(dbus::Message opened, call("open", std::move(args), "i", options_.open_timeout));
  const auto handle = static_cast<std::int32_t>(opened.body[0].number_bits());
  if (handle < 0) {
    return Error{Errc::Cancelled, "kwallet: opening wallet " +
                                      ascii::quote_for_terminal(options_.wallet) +
                                      " was refused or cancelled"};
  }
  handle_ = handle;
  opened_ = true;
  return ok();
}

Result<Item> KWalletKeyring::get(std::string_view key) {
  AV_TRY(ensure_open());
  std::vector<Value> args;
  args.push_back(Value::int32(handle_));
  args.push_back(Value::string(options_.folder));
  args.push_back(Value::string(std::string(key)));
  args.push_back(Value::string(options_.app_id));
  AV_TRY_ASSIGN(dbus::Message reply,
                call("readEntry", std::move(args), "ay", options_.call_timeout));
  const secure::SecretBytes& value = reply.body[0].secret_bytes();
  if (value.empty()) return not_found_error();
  auto parsed = parse_item_json(as_chars(value.reveal()));
  if (!parsed) {
    return Error{parsed.error().code(), "kwallet: entry " + ascii::quote_for_terminal(key) + ": " +
                                            std::string(parsed.error().message())};
  }
  return std::move(parsed).value();
}

Result<Metadata> KWalletKeyring::get_metadata(std::string_view /*key*/) {
  return metadata_needs_credentials_error();
}

Status KWalletKeyring::set(const Item& item) {
  AV_TRY(ensure_open());
  AV_TRY_ASSIGN(secure::SecretString json, serialize_item_json(item));
  std::vector<Value> args;
  args.push_back(Value::int32(handle_));
  args.push_back(Value::string(options_.folder));
  args.push_back(Value::string(item.key));
  args.push_back(Value::bytes(secure::SecretBytes::copy_of(json.reveal_bytes())));
  args.push_back(Value::string(options_.app_id));
  AV_TRY_ASSIGN(dbus::Message reply,
                call("writeEntry", std::move(args), "i", options_.call_timeout));
  if (reply.body[0].number_bits() != 0) {
    return Error{Errc::Keyring,
                 "kwallet: writing entry " + ascii::quote_for_terminal(item.key) + " failed"};
  }
  return ok();
}

Status KWalletKeyring::remove(std::string_view key) {
  AV_TRY(ensure_open());
  std::vector<Value> args;
  args.push_back(Value::int32(handle_));
  args.push_back(Value::string(options_.folder));
  args.push_back(Value::string(std::string(key)));
  args.push_back(Value::string(options_.app_id));
  AV_TRY(call("removeEntry", std::move(args), "i", options_.call_timeout));
  return ok();  // upstream ignores the result: a missing entry removes successfully
}

Result<std::vector<std::string>> KWalletKeyring::keys() {
  AV_TRY(ensure_open());
  std::vector<Value> args;
  args.push_back(Value::int32(handle_));
  args.push_back(Value::string(options_.folder));
  args.push_back(Value::string(options_.app_id));
  AV_TRY_ASSIGN(dbus::Message reply,
                call("entryList", std::move(args), "as", options_.call_timeout));
  std::vector<std::string> keys;
  for (const Value& entry : reply.body[0].children()) keys.push_back(entry.text());
  return keys;
}

}  // namespace av::keyring::kwallet
