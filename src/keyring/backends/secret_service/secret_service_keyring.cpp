// secret_service_keyring.cpp: the Secret Service backend over dbus::Connection.
#include "keyring/backends/secret_service/secret_service_keyring.h"

#include <string>
#include <utility>

#include "base/ascii.h"
#include "base/log.h"
#include "base/scope_exit.h"
#include "crypto/aes_cbc.h"
#include "crypto/dh_modp.h"
#include "crypto/hkdf.h"
#include "crypto/random.h"
#include "keyring/item_json.h"

namespace av::keyring::secret_service {
namespace {

using dbus::Value;

constexpr std::string_view kBusName = "org.freedesktop.secrets";
constexpr std::string_view kServicePath = "/org/freedesktop/secrets";
constexpr std::string_view kServiceInterface = "org.freedesktop.Secret.Service";
constexpr std::string_view kCollectionInterface = "org.freedesktop.Secret.Collection";
constexpr std::string_view kItemInterface = "org.freedesktop.Secret.Item";
constexpr std::string_view kPromptInterface = "org.freedesktop.Secret.Prompt";
constexpr std::string_view kSessionInterface = "org.freedesktop.Secret.Session";
constexpr std::string_view kPropertiesInterface = "org.freedesktop.DBus.Properties";
constexpr std::string_view kCollectionPrefix = "/org/freedesktop/secrets/collection/";
constexpr std::string_view kPromptPrefix = "/org/freedesktop/secrets/prompt/";
constexpr std::string_view kBusDaemon = "org.freedesktop.DBus";
constexpr std::string_view kNotSupported = "org.freedesktop.DBus.Error.NotSupported";
constexpr std::string_view kBusPath = "/org/freedesktop/DBus";

// backend_error adds context and makes sure no D-Bus failure reads as "item not found".
Error backend_error(const Error& error, std::string_view context) {
  const Errc code = error.code() == Errc::NotFound ? Errc::Keyring : error.code();
  if (context.empty()) return Error{code, "secret-service: " + std::string(error.message())};
  return Error{code,
               "secret-service: " + std::string(context) + ": " + std::string(error.message())};
}

bool is_prompt(std::string_view path) { return path.rfind(kPromptPrefix, 0) == 0; }

Value string_dict(std::string_view key, std::string_view value) {
  std::vector<Value> entries;
  entries.push_back(
      Value::dict_entry(Value::string(std::string(key)), Value::string(std::string(value))));
  return Value::array("{ss}", std::move(entries));
}

Value property(std::string_view name, Value value) {
  return Value::dict_entry(Value::string(std::string(name)), Value::variant(std::move(value)));
}

Value object_paths(const std::string& path) {
  std::vector<Value> paths;
  paths.push_back(Value::object_path(path));
  return Value::array("o", std::move(paths));
}

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

dbus::Message bus_call(std::string_view member, std::vector<Value> body) {
  return dbus::method_call(std::string(kBusDaemon), std::string(kBusPath), std::string(kBusDaemon),
                           std::string(member), std::move(body));
}

// ensure_provider: someone owns org.freedesktop.secrets, or the bus can activate it (dbus-daemon
// answers StartServiceByName from its .service files only, so a running owner is asked first).
Status ensure_provider(dbus::Connection& connection, dbus::Timeout timeout) {
  std::vector<Value> name;
  name.push_back(Value::string(std::string(kBusName)));
  auto owned = connection.call(bus_call("NameHasOwner", std::move(name)), timeout);
  if (!owned) return backend_error(owned.error(), "NameHasOwner");
  if (owned->body_signature() == "b" && owned->body[0].number_bits() != 0) return ok();
  std::vector<Value> start;
  start.push_back(Value::string(std::string(kBusName)));
  start.push_back(Value::uint32(0));
  auto started = connection.call(bus_call("StartServiceByName", std::move(start)), timeout);
  if (!started) {
    return backend_error(started.error(), "no secret service provider on the session bus");
  }
  return ok();
}

// is_not_supported: the service answered OpenSession with org.freedesktop.DBus.Error.NotSupported
// (call() renders D-Bus errors as "secret-service: OpenSession: <name>: <text>").
bool is_not_supported(const Error& error) {
  const std::string prefix = "secret-service: OpenSession: " + std::string(kNotSupported) + ":";
  return error.message().substr(0, prefix.size()) == prefix;
}

// session_key derives the AES-128 key from the service's public value (the OpenSession output,
// a variant holding ay): HKDF-SHA-256 over the left-padded DH secret, no salt, no info.
Result<secure::SecretBytes> session_key(const crypto::DhModp1024& dh, const Value& output) {
  if (output.children().empty() || output.children().front().signature() != "ay") {
    return Error{Errc::Parse, "secret-service: OpenSession output is not a byte array"};
  }
  auto shared = dh.shared_secret(output.children().front().secret_bytes().reveal());
  if (!shared) return backend_error(shared.error(), "session key exchange");
  auto key = crypto::hkdf_sha256({}, shared->reveal(), {}, crypto::kAes128KeyLen);
  if (!key) return backend_error(key.error(), "session key derivation");
  return key;
}

// encode_secret builds the Secret struct (o session, ay parameters, ay value, s content_type):
// in a DH session the value is AES-128-CBC ciphertext under a fresh random IV sent as the
// parameters; in a plain session the parameters are empty and the value is the plaintext.
Result<Value> encode_secret(const std::string& session, const secure::SecretBytes& key,
                            ByteSpan plaintext, std::string_view content_type) {
  std::vector<Value> secret;
  secret.push_back(Value::object_path(session));
  if (key.empty()) {
    secret.push_back(Value::bytes(secure::SecretBytes()));
    secret.push_back(Value::bytes(secure::SecretBytes::copy_of(plaintext)));
  } else {
    auto iv = secure::SecretBytes::zeroed(crypto::kAesBlockLen);
    AV_TRY(crypto::system_random().fill(iv.reveal_mutable()));
    auto sealed = crypto::aes128_cbc_encrypt(key.reveal(), iv.reveal(), plaintext);
    if (!sealed) return backend_error(sealed.error(), "encrypting the secret");
    secret.push_back(Value::bytes(std::move(iv)));
    secret.push_back(Value::bytes(secure::SecretBytes::copy_of(*sealed)));
  }
  secret.push_back(Value::string(std::string(content_type)));
  return Value::structure(std::move(secret));
}

// decode_secret returns the plaintext of a received Secret struct (see encode_secret).
Result<secure::SecretBytes> decode_secret(const secure::SecretBytes& key, const Value& secret) {
  const secure::SecretBytes& parameters = secret.children()[1].secret_bytes();
  const secure::SecretBytes& value = secret.children()[2].secret_bytes();
  if (key.empty()) return value.clone();
  if (parameters.size() != crypto::kAesBlockLen) {
    return Error{Errc::Parse, "secret-service: the secret's parameters are not a 16-byte IV"};
  }
  auto plaintext = crypto::aes128_cbc_decrypt(key.reveal(), parameters.reveal(), value.reveal());
  if (!plaintext) return backend_error(plaintext.error(), "decrypting the secret");
  return plaintext;
}

}  // namespace

std::string decode_collection_path(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '_') {
      out += path[i];
      continue;
    }
    if (i + 2 >= path.size()) return std::string(path);
    const int hi = hex_digit(path[i + 1]);
    const int lo = hex_digit(path[i + 2]);
    if (hi < 0 || lo < 0) return std::string(path);
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

Result<std::unique_ptr<SecretServiceKeyring>> SecretServiceKeyring::open(
    SecretServiceOptions options) {
  if (options.collection.empty()) {
    return Error{Errc::Parse, "secret-service: empty collection name"};
  }
  auto connection = dbus::open_session_bus(options.env, options.call_timeout);
  if (!connection) return backend_error(connection.error(), {});
  AV_TRY(ensure_provider(*connection, options.call_timeout));
  // The constructor is private (open is the only way in), so make_unique cannot reach it.
  std::unique_ptr<SecretServiceKeyring> keyring(
      new SecretServiceKeyring(std::move(*connection), std::move(options)));
  AV_TRY_ASSIGN(Secrets secrets, keyring->open_secrets());
  keyring->close_session(secrets.session);
  return keyring;
}

Result<dbus::Message> SecretServiceKeyring::call(const std::string& path,
                                                 std::string_view interface,
                                                 std::string_view member, std::vector<Value> body,
                                                 std::string_view expected_signature) {
  auto reply =
      connection_.call(dbus::method_call(std::string(kBusName), path, std::string(interface),
                                         std::string(member), std::move(body)),
                       options_.call_timeout);
  if (!reply) return backend_error(reply.error(), member);
  if (reply->body_signature() != expected_signature) {
    return Error{Errc::Parse, "secret-service: unexpected reply to " + std::string(member) + ": " +
                                  ascii::quote_for_terminal(reply->body_signature())};
  }
  return std::move(reply).value();
}

Result<Value> SecretServiceKeyring::read_property(const std::string& path,
                                                  std::string_view interface,
                                                  std::string_view name) {
  std::vector<Value> args;
  args.push_back(Value::string(std::string(interface)));
  args.push_back(Value::string(std::string(name)));
  AV_TRY_ASSIGN(dbus::Message reply, call(path, kPropertiesInterface, "Get", std::move(args), "v"));
  return reply.body[0].children().front().clone();
}

Result<SecretServiceKeyring::Secrets> SecretServiceKeyring::open_plain_session() {
  std::vector<Value> args;
  args.push_back(Value::string(std::string(kPlainSessionAlgorithm)));
  args.push_back(Value::variant(Value::string("")));
  AV_TRY_ASSIGN(dbus::Message opened, call(std::string(kServicePath), kServiceInterface,
                                           "OpenSession", std::move(args), "vo"));
  Secrets secrets;
  secrets.session = opened.body[1].text();
  session_algorithm_ = kPlainSessionAlgorithm;
  return secrets;
}

Result<SecretServiceKeyring::Secrets> SecretServiceKeyring::open_session() {
  auto dh = crypto::DhModp1024::generate(crypto::system_random());
  if (!dh) return backend_error(dh.error(), "session key pair");
  std::vector<Value> args;
  args.push_back(Value::string(std::string(kDhSessionAlgorithm)));
  args.push_back(Value::variant(Value::bytes(secure::SecretBytes::copy_of(dh->public_value()))));
  auto opened = call(std::string(kServicePath), kServiceInterface, "OpenSession", std::move(args),
                     "vo");
  if (!opened) {
    if (!is_not_supported(opened.error())) return std::move(opened).error();
    log::debug("secret-service: the service does not support " + std::string(kDhSessionAlgorithm) +
               " sessions; falling back to a plain session (secrets cross the bus unencrypted)");
    return open_plain_session();
  }
  Secrets secrets;
  secrets.session = opened->body[1].text();
  auto key = session_key(*dh, opened->body[0]);
  if (!key) {
    close_session(secrets.session);
    return std::move(key).error();
  }
  secrets.key = std::move(key).value();
  session_algorithm_ = kDhSessionAlgorithm;
  return secrets;
}

Result<SecretServiceKeyring::Secrets> SecretServiceKeyring::open_secrets() {
  AV_TRY_ASSIGN(Secrets secrets, open_session());
  auto collections = read_property(std::string(kServicePath), kServiceInterface, "Collections");
  if (!collections || collections->signature() != "ao") {
    close_session(secrets.session);
    if (!collections) return std::move(collections).error();
    return Error{Errc::Parse, "secret-service: Collections is not an object path array"};
  }
  const std::string wanted = std::string(kCollectionPrefix) + options_.collection;
  for (const Value& path : collections->children()) {
    if (decode_collection_path(path.text()) == wanted) {
      secrets.collection = path.text();
      break;
    }
  }
  return secrets;
}

void SecretServiceKeyring::close_session(const std::string& session) {
  (void)call(session, kSessionInterface, "Close", {}, "");
}

Result<Value> SecretServiceKeyring::run_prompt(const std::string& prompt) {
  const std::string rule = "type='signal',interface='" + std::string(kPromptInterface) +
                           "',member='Completed',path='" + prompt + "'";
  std::vector<Value> add;
  add.push_back(Value::string(rule));
  auto added = connection_.call(bus_call("AddMatch", std::move(add)), options_.call_timeout);
  if (!added) return backend_error(added.error(), "AddMatch");
  const ScopeExit remove_match([&] {
    std::vector<Value> remove;
    remove.push_back(Value::string(rule));
    (void)connection_.call(bus_call("RemoveMatch", std::move(remove)), options_.call_timeout);
  });
  std::vector<Value> window;
  window.push_back(Value::string(""));
  AV_TRY(call(prompt, kPromptInterface, "Prompt", std::move(window), ""));
  auto done =
      connection_.wait_for_signal(prompt, kPromptInterface, "Completed", options_.prompt_timeout);
  if (!done) {
    (void)call(prompt, kPromptInterface, "Dismiss", {}, "");
    return Error{Errc::Cancelled, "secret-service: no answer to the prompt in time: " +
                                      std::string(done.error().message())};
  }
  if (done->body_signature() != "bv") {
    return Error{Errc::Parse, "secret-service: malformed prompt completion"};
  }
  if (done->body[0].number_bits() != 0) {
    return Error{Errc::Cancelled, "secret-service: the prompt was dismissed"};
  }
  return done->body[1].children().front().clone();
}

Status SecretServiceKeyring::ensure_unlocked(const std::string& path, std::string_view interface) {
  AV_TRY_ASSIGN(Value locked, read_property(path, interface, "Locked"));
  AV_TRY_ASSIGN(bool is_locked, locked.as_bool());
  if (!is_locked) return ok();
  std::vector<Value> args;
  args.push_back(object_paths(path));
  AV_TRY_ASSIGN(dbus::Message reply, call(std::string(kServicePath), kServiceInterface, "Unlock",
                                          std::move(args), "aoo"));
  const std::string& prompt = reply.body[1].text();
  if (!is_prompt(prompt)) return ok();
  auto result = run_prompt(prompt);
  if (!result) {
    return Error{result.error().code(), "unlocking " + ascii::quote_for_terminal(path) + ": " +
                                            std::string(result.error().message())};
  }
  return ok();
}

Result<std::optional<std::string>> SecretServiceKeyring::find_item(const std::string& collection,
                                                                   std::string_view key) {
  std::vector<Value> args;
  args.push_back(string_dict("profile", key));
  AV_TRY_ASSIGN(dbus::Message reply,
                call(collection, kCollectionInterface, "SearchItems", std::move(args), "ao"));
  const auto& items = reply.body[0].children();
  if (items.empty()) return std::optional<std::string>();
  return std::optional<std::string>(items.front().text());
}

Result<std::string> SecretServiceKeyring::create_collection() {
  std::vector<Value> props;
  props.push_back(
      property("org.freedesktop.Secret.Collection.Label", Value::string(options_.collection)));
  std::vector<Value> args;
  args.push_back(Value::array("{sv}", std::move(props)));
  args.push_back(Value::string(""));
  AV_TRY_ASSIGN(dbus::Message reply, call(std::string(kServicePath), kServiceInterface,
                                          "CreateCollection", std::move(args), "oo"));
  std::string path = reply.body[0].text();
  if (is_prompt(reply.body[1].text())) {
    auto result = run_prompt(reply.body[1].text());
    if (!result) {
      return Error{result.error().code(), "creating collection " +
                                              ascii::quote_for_terminal(options_.collection) +
                                              ": " + std::string(result.error().message())};
    }
    if (result->type() != 'o') return Error{Errc::Parse, "secret-service: bad prompt result"};
    path = result->text();
  }
  if (path == "/") return Error{Errc::Keyring, "secret-service: the collection was not created"};
  return path;
}

Result<Item> SecretServiceKeyring::get_with(const Secrets& secrets, std::string_view key) {
  if (!secrets.collection) return not_found_error();
  AV_TRY_ASSIGN(auto item, find_item(*secrets.collection, key));
  if (!item) return not_found_error();
  AV_TRY(ensure_unlocked(*item, kItemInterface));
  std::vector<Value> args;
  args.push_back(Value::object_path(secrets.session));
  AV_TRY_ASSIGN(dbus::Message reply,
                call(*item, kItemInterface, "GetSecret", std::move(args), "(oayays)"));
  AV_TRY_ASSIGN(secure::SecretBytes value, decode_secret(secrets.key, reply.body[0]));
  auto parsed = parse_item_json(as_chars(value.reveal()));
  if (!parsed)
    return Error{parsed.error().code(), "secret-service: item " + ascii::quote_for_terminal(key) +
                                            ": " + std::string(parsed.error().message())};
  return std::move(parsed).value();
}

Status SecretServiceKeyring::set_with(const Secrets& secrets, const Item& item) {
  std::string collection;
  if (secrets.collection) {
    collection = *secrets.collection;
  } else {
    AV_TRY_ASSIGN(collection, create_collection());
  }
  AV_TRY(ensure_unlocked(collection, kCollectionInterface));
  AV_TRY_ASSIGN(secure::SecretString json, serialize_item_json(item));
  std::vector<Value> props;
  props.push_back(property("org.freedesktop.Secret.Item.Label", Value::string(item.key)));
  props.push_back(
      property("org.freedesktop.Secret.Item.Attributes", string_dict("profile", item.key)));
  AV_TRY_ASSIGN(Value secret,
                encode_secret(secrets.session, secrets.key, json.reveal_bytes(), "application/json"));
  std::vector<Value> args;
  args.push_back(Value::array("{sv}", std::move(props)));
  args.push_back(std::move(secret));
  args.push_back(Value::boolean(true));
  AV_TRY_ASSIGN(dbus::Message reply,
                call(collection, kCollectionInterface, "CreateItem", std::move(args), "oo"));
  if (is_prompt(reply.body[1].text())) AV_TRY(run_prompt(reply.body[1].text()));
  return ok();
}

Status SecretServiceKeyring::remove_with(const Secrets& secrets, std::string_view key) {
  if (!secrets.collection) return not_found_error();
  AV_TRY_ASSIGN(auto item, find_item(*secrets.collection, key));
  if (!item) return ok();  // upstream: removing a missing item succeeds
  AV_TRY(ensure_unlocked(*item, kItemInterface));
  AV_TRY_ASSIGN(dbus::Message reply, call(*item, kItemInterface, "Delete", {}, "o"));
  if (is_prompt(reply.body[0].text())) AV_TRY(run_prompt(reply.body[0].text()));
  return ok();
}

Result<std::vector<std::string>> SecretServiceKeyring::keys_with(const Secrets& secrets) {
  std::vector<std::string> keys;
  if (!secrets.collection) return keys;
  AV_TRY(ensure_unlocked(*secrets.collection, kCollectionInterface));
  AV_TRY_ASSIGN(Value items, read_property(*secrets.collection, kCollectionInterface, "Items"));
  if (items.signature() != "ao") return Error{Errc::Parse, "secret-service: Items is not ao"};
  for (const Value& item : items.children()) {
    auto label = read_property(item.text(), kItemInterface, "Label");
    if (!label || label->type() != 's') continue;  // upstream skips unreadable labels
    keys.push_back(label->text());
  }
  return keys;
}

Result<Item> SecretServiceKeyring::get(std::string_view key) {
  AV_TRY_ASSIGN(Secrets secrets, open_secrets());
  const ScopeExit close([&] { close_session(secrets.session); });
  return get_with(secrets, key);
}

Result<Metadata> SecretServiceKeyring::get_metadata(std::string_view /*key*/) {
  return metadata_needs_credentials_error();
}

Status SecretServiceKeyring::set(const Item& item) {
  AV_TRY_ASSIGN(Secrets secrets, open_secrets());
  const ScopeExit close([&] { close_session(secrets.session); });
  return set_with(secrets, item);
}

Status SecretServiceKeyring::remove(std::string_view key) {
  AV_TRY_ASSIGN(Secrets secrets, open_secrets());
  const ScopeExit close([&] { close_session(secrets.session); });
  return remove_with(secrets, key);
}

Result<std::vector<std::string>> SecretServiceKeyring::keys() {
  AV_TRY_ASSIGN(Secrets secrets, open_secrets());
  const ScopeExit close([&] { close_session(secrets.session); });
  return keys_with(secrets);
}

}  // namespace av::keyring::secret_service
