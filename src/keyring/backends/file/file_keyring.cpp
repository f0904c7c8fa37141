// file_keyring.cpp: the `file` keyring backend (see file_keyring.h).
#include "keyring/backends/file/file_keyring.h"

#include <algorithm>
#include <utility>

#include "base/ascii.h"
#include "base/limits.h"
#include "jose/jwe_file.h"
#include "keyring/backends/file/file_name.h"
#include "keyring/item_json.h"
#include "keyring/keys.h"
#include "platform/paths.h"
#include "platform/secure_file.h"

namespace av::keyring::file {
namespace {

bool iterations_in_range(std::uint32_t count) noexcept {
  return count >= limits::kMinPbes2Iterations && count <= limits::kMaxPbes2Iterations;
}

Error with_path(const Error& error, const std::string& path) {
  return Error(error.code(), path + ": " + std::string(error.message()));
}

}  // namespace

Result<std::string> resolve_file_dir(std::string_view dir, const platform::Environment& env) {
  if (dir.empty()) return Error(Errc::Parse, "no directory provided");
  return platform::expand_home(dir, env);
}

std::string passphrase_prompt_text(std::string_view dir) {
  return "Enter passphrase to unlock " + ascii::quote_for_terminal(dir);
}

Result<std::unique_ptr<FileKeyring>> FileKeyring::open(FileKeyringOptions options) {
  if (options.dir.empty()) return Error(Errc::Parse, "no directory provided");
  if (!options.passphrase) return Error(Errc::Parse, "file backend: no passphrase function");
  if (!iterations_in_range(options.credential_iterations) ||
      !iterations_in_range(options.session_iterations)) {
    return Error(Errc::Parse, "file backend: pbkdf2 iteration count out of range");
  }
  AV_TRY_ASSIGN(bool existed, platform::file_exists(options.dir));
  bool too_open = false;
  if (existed) {
    AV_TRY_ASSIGN(too_open, platform::is_group_or_world_accessible(options.dir));
  }
  AV_TRY(platform::ensure_private_dir(options.dir));
  if (options.random == nullptr) options.random = &crypto::system_random();
  return std::unique_ptr<FileKeyring>(new FileKeyring(std::move(options), too_open));
}

Result<std::string> FileKeyring::path_for(std::string_view key) const {
  if (key.empty() || key == "." || key == "..") {
    return Error(Errc::Parse, "file backend: key " + ascii::quote_for_terminal(key) +
                                  " cannot be stored as a file name");
  }
  return platform::join_path(options_.dir, escape_file_name(key));
}

std::uint32_t FileKeyring::iterations_for(std::string_view key) const noexcept {
  return classify_key(key) == KeyKind::Credential ? options_.credential_iterations
                                                   : options_.session_iterations;
}

Result<const secure::SecretString*> FileKeyring::unlock() {
  if (!passphrase_) {
    AV_TRY_ASSIGN(secure::SecretString entered, options_.passphrase());
    passphrase_.emplace(std::move(entered));
  }
  return &*passphrase_;
}

void FileKeyring::forget_passphrase() noexcept {
  passphrase_.reset();
  verified_ = false;
}

Result<Item> FileKeyring::decrypt_file(const std::string& path) {
  AV_TRY_ASSIGN(std::string token, platform::read_file(path, limits::kMaxJweCompactBytes,
                                                       platform::Follow::NoSymlinks));
  if (token.empty()) return Error(Errc::Truncated, path + ": empty file");
  AV_TRY_ASSIGN(const secure::SecretString* passphrase, unlock());
  auto plain = jose::decrypt_jwe(token, *passphrase);
  if (!plain) {
    // A rejected passphrase is not kept unless another item already proved it right.
    if (plain.error().code() == Errc::AuthFailed && !verified_) forget_passphrase();
    return with_path(plain.error(), path);
  }
  auto item = parse_item_json(as_chars(plain.value().reveal()));
  if (!item) return with_path(item.error(), path);
  verified_ = true;
  return std::move(item).value();
}

Result<Item> FileKeyring::get(std::string_view key) {
  AV_TRY_ASSIGN(const std::string path, path_for(key));
  AV_TRY_ASSIGN(bool exists, platform::file_exists(path));
  if (!exists) return not_found_error();
  return decrypt_file(path);
}

Result<Metadata> FileKeyring::get_metadata(std::string_view key) {
  AV_TRY_ASSIGN(const std::string path, path_for(key));
  auto mtime = platform::modification_time(path);
  if (!mtime) {
    if (mtime.error().code() == Errc::NotFound) return not_found_error();
    return std::move(mtime).error();
  }
  Metadata meta;
  meta.modification_time = mtime.value();
  return meta;
}

// verify_passphrase decrypts one existing item (session and OIDC items first: they are cheap)
// before the first write. Corrupt or foreign files are passed over; AuthFailed stops.
Status FileKeyring::verify_passphrase() {
  if (verified_) return ok();
  AV_TRY_ASSIGN(std::vector<std::string> names, keys());
  std::stable_partition(names.begin(), names.end(), [](const std::string& key) {
    return classify_key(key) != KeyKind::Credential;
  });
  for (const std::string& key : names) {
    AV_TRY_ASSIGN(const std::string path, path_for(key));
    auto item = decrypt_file(path);
    if (item) return ok();
    if (item.error().code() == Errc::AuthFailed) {
      return Error(Errc::AuthFailed, "passphrase does not unlock the existing items in " +
                                         ascii::quote_for_terminal(options_.dir) + "; nothing written");
    }
  }
  verified_ = true;  // nothing readable to compare against: the store is effectively empty
  return ok();
}

Status FileKeyring::set(const Item& item) {
  AV_TRY_ASSIGN(const std::string path, path_for(item.key));
  AV_TRY_ASSIGN(secure::SecretString json, serialize_item_json(item));
  AV_TRY(unlock());  // prompt before taking the lock
  AV_TRY_ASSIGN(platform::FileLock lock, platform::lock_file(options_.dir));
  AV_TRY(verify_passphrase());
  AV_TRY_ASSIGN(const secure::SecretString* passphrase, unlock());
  AV_TRY_ASSIGN(std::string token, jose::encrypt_jwe(json.reveal_bytes(), *passphrase,
                                                     iterations_for(item.key), *options_.random));
  return platform::write_file_atomic(path, as_bytes(token));
}

Status FileKeyring::remove(std::string_view key) {
  AV_TRY_ASSIGN(const std::string path, path_for(key));
  AV_TRY_ASSIGN(platform::FileLock lock, platform::lock_file(options_.dir));
  Status status = platform::remove_file(path);
  if (!status && status.error().code() == Errc::NotFound) return not_found_error();
  return status;
}

Result<std::vector<std::string>> FileKeyring::keys() {
  AV_TRY_ASSIGN(std::vector<std::string> names, platform::list_dir(options_.dir));
  std::vector<std::string> out;
  out.reserve(names.size());
  for (const std::string& name : names) {
    if (auto key = decode_file_name(name)) out.push_back(std::move(*key));
  }
  return out;
}

}  // namespace av::keyring::file
