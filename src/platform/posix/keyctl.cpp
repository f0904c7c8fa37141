// keyctl.cpp: the key retention service syscalls (keyctl(2), add_key(2)) without libkeyutils.
//
// Every string passed to the kernel is copied into a NUL-terminated std::string first (the
// kernel reads C strings); payloads are passed as (pointer, length) and never copied.
#include "platform/keyctl.h"

#include <linux/keyctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <type_traits>

#include "base/ascii.h"
#include "base/limits.h"
#include "platform/posix/os_error.h"

namespace av::platform::keyctl {
namespace {

// kMaxTypeBytes: the kernel's limit on a key type name (32 including the NUL).
constexpr std::size_t kMaxTypeBytes = 31;
// kMaxReadAttempts: size-probe/read rounds before giving up on a payload that keeps growing.
constexpr int kMaxReadAttempts = 4;

// syscall_arg widens integers to the `long` syscall(2) reads; pointers pass unchanged.
template <class T>
auto syscall_arg(T value) noexcept {
  if constexpr (std::is_pointer_v<T> || std::is_null_pointer_v<T>) {
    return value;
  } else {
    return static_cast<long>(value);
  }
}

// sys_keyctl and sys_add_key are the only variadic calls: syscall(2) is the only way in
// without libkeyutils. They return the raw result; errno is set on -1.
template <class... Args>
long sys_keyctl(int cmd, Args... args) noexcept {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-vararg)
  return ::syscall(SYS_keyctl, cmd, syscall_arg(args)...);
}

template <class... Args>
long sys_add_key(Args... args) noexcept {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-vararg)
  return ::syscall(SYS_add_key, syscall_arg(args)...);
}

Errc errc_for_key_errno(int err) noexcept {
  switch (err) {
    case ENOKEY:
    case EKEYEXPIRED:
    case EKEYREVOKED:
      return Errc::NotFound;
    case EDQUOT:
      return Errc::TooLarge;
    case ENOSYS:
    case EOPNOTSUPP:
      return Errc::Unsupported;
    default:
      return detail::errc_for_errno(err);
  }
}

// key_error builds "keyctl <what>: <reason>" from the errno of the failed syscall.
Error key_error(std::string_view what, int err) {
  std::string message = "keyctl ";
  message.append(what).append(": ").append(detail::errno_text(err));
  if (err == EDQUOT) message.append(" (the per-user key quota, see /proc/sys/kernel/keys)");
  return Error(errc_for_key_errno(err), std::move(message));
}

std::string ring_name(KeySerial ring) {
  switch (ring) {
    case KEY_SPEC_THREAD_KEYRING:
      return "keyring @t";
    case KEY_SPEC_PROCESS_KEYRING:
      return "keyring @p";
    case KEY_SPEC_SESSION_KEYRING:
      return "keyring @s";
    case KEY_SPEC_USER_KEYRING:
      return "keyring @u";
    case KEY_SPEC_USER_SESSION_KEYRING:
      return "keyring @us";
    default:
      return "keyring " + std::to_string(ring);
  }
}

// c_string validates a type or description and returns it NUL-terminated.
Result<std::string> c_string(std::string_view what, std::string_view text, std::size_t max_len) {
  if (text.empty()) return Error(Errc::Parse, "keyctl: empty " + std::string(what));
  if (text.size() > max_len) {
    return Error(Errc::Parse, "keyctl: " + std::string(what) + " longer than " +
                                  std::to_string(max_len) + " bytes");
  }
  if (text.find('\0') != std::string_view::npos) {
    return Error(Errc::Parse, "keyctl: " + std::string(what) + " contains a NUL byte");
  }
  return std::string(text);
}

Result<KeySerial> serial_result(long rc, std::string_view what) {
  if (rc < 0) return key_error(what, errno);
  return static_cast<KeySerial>(rc);
}

Status status_result(long rc, std::string_view what) {
  if (rc < 0) return key_error(what, errno);
  return ok();
}

// read_size asks KEYCTL_READ for the payload length without a buffer.
Result<std::size_t> read_size(KeySerial key, std::string_view what) {
  long rc = sys_keyctl(KEYCTL_READ, key, nullptr, 0L);
  if (rc < 0) return key_error(what, errno);
  return static_cast<std::size_t>(rc);
}

Error too_large_read(std::string_view what, std::size_t len) {
  return Error(Errc::TooLarge, "keyctl " + std::string(what) + ": " + std::to_string(len) +
                                   " bytes exceed the limit of " +
                                   std::to_string(limits::kMaxKeyctlReadBytes));
}

template <class T>
Result<T> parse_number(std::string_view field, int base, std::string_view name) {
  T value{};
  const char* end = field.data() + field.size();
  auto [ptr, ec] = std::from_chars(field.data(), end, value, base);
  if (field.empty() || ec != std::errc() || ptr != end) {
    return Error(Errc::Parse, "keyctl describe: bad " + std::string(name) + " field " +
                                  ascii::quote_for_terminal(field));
  }
  return value;
}

}  // namespace

Result<KeyDescription> parse_key_description(std::string_view text) {
  std::array<std::string_view, 4> fields;
  for (auto& field : fields) {
    std::size_t semi = text.find(';');
    if (semi == std::string_view::npos) {
      return Error(Errc::Parse, "keyctl describe: expected 5 ';'-separated fields");
    }
    field = text.substr(0, semi);
    text.remove_prefix(semi + 1);
  }
  KeyDescription out;
  out.type = std::string(fields[0]);
  AV_TRY_ASSIGN(out.uid, parse_number<std::uint32_t>(fields[1], 10, "uid"));
  AV_TRY_ASSIGN(out.gid, parse_number<std::uint32_t>(fields[2], 10, "gid"));
  AV_TRY_ASSIGN(out.perm, parse_number<std::uint32_t>(fields[3], 16, "perm"));
  out.description = std::string(text);
  return out;
}

Result<KeySerial> resolve_keyring(SpecialKeyring which, bool create) {
  KeySerial id = special_serial(which);
  long rc = sys_keyctl(KEYCTL_GET_KEYRING_ID, id, create ? 1L : 0L);
  return serial_result(rc, "resolve " + ring_name(id));
}

Result<KeySerial> get_persistent_keyring(KeySerial link_into) {
  long rc = sys_keyctl(KEYCTL_GET_PERSISTENT, -1L, link_into);
  return serial_result(rc, "get persistent keyring into " + ring_name(link_into));
}

Result<KeySerial> search(KeySerial ring, std::string_view type, std::string_view description) {
  AV_TRY_ASSIGN(std::string c_type, c_string("key type", type, kMaxTypeBytes));
  AV_TRY_ASSIGN(std::string c_desc,
                c_string("key description", description, limits::kMaxKeyctlDescriptionBytes));
  long rc = sys_keyctl(KEYCTL_SEARCH, ring, c_type.c_str(), c_desc.c_str(), 0L);
  return serial_result(rc, "search for " + c_type + " key " + ascii::quote_for_terminal(c_desc) +
                               " in " + ring_name(ring));
}

Result<KeySerial> add_keyring(std::string_view name, KeySerial parent) {
  AV_TRY_ASSIGN(std::string c_name,
                c_string("keyring name", name, limits::kMaxKeyctlDescriptionBytes));
  long rc = sys_add_key("keyring", c_name.c_str(), nullptr, 0L, parent);
  return serial_result(
      rc, "add keyring " + ascii::quote_for_terminal(c_name) + " to " + ring_name(parent));
}

Result<KeySerial> add_user_key(std::string_view description, ByteSpan payload, KeySerial ring) {
  AV_TRY_ASSIGN(std::string c_desc,
                c_string("key description", description, limits::kMaxKeyctlDescriptionBytes));
  std::string what = "add user key " + ascii::quote_for_terminal(c_desc) + " to " + ring_name(ring);
  if (payload.empty()) {
    return Error(Errc::Unsupported, "keyctl " + what + ": the kernel refuses an empty payload");
  }
  if (payload.size() > limits::kMaxKeyctlUserPayloadBytes) {
    return Error(Errc::TooLarge, "keyctl " + what + ": payload of " +
                                     std::to_string(payload.size()) +
                                     " bytes exceeds the kernel's limit of " +
                                     std::to_string(limits::kMaxKeyctlUserPayloadBytes));
  }
  long rc = sys_add_key("user", c_desc.c_str(), payload.data(),
                        static_cast<unsigned long>(payload.size()), ring);
  return serial_result(rc, what);
}

Result<secure::SecretBytes> read_payload(KeySerial key) {
  std::string what = "read key " + std::to_string(key);
  AV_TRY_ASSIGN(std::size_t len, read_size(key, what));
  for (int attempt = 0; attempt < kMaxReadAttempts; ++attempt) {
    if (len > limits::kMaxKeyctlReadBytes) return too_large_read(what, len);
    if (len == 0) return secure::SecretBytes();
    secure::SecretBytes out = secure::SecretBytes::zeroed(len);
    MutableByteSpan buf = out.reveal_mutable();
    long rc = sys_keyctl(KEYCTL_READ, key, buf.data(), static_cast<unsigned long>(buf.size()));
    if (rc < 0) return key_error(what, errno);
    auto got = static_cast<std::size_t>(rc);
    if (got <= len) {
      out.resize(got);  // wipes any unused tail
      return out;
    }
    len = got;  // the payload grew between the calls; `out` is wiped as it goes out of scope
  }
  return Error(Errc::Io, "keyctl " + what + ": payload kept changing size");
}

Result<std::vector<KeySerial>> list_keyring(KeySerial ring) {
  std::string what = "list " + ring_name(ring);
  AV_TRY_ASSIGN(std::size_t len, read_size(ring, what));
  for (int attempt = 0; attempt < kMaxReadAttempts; ++attempt) {
    if (len > limits::kMaxKeyctlReadBytes) return too_large_read(what, len);
    if (len % sizeof(KeySerial) != 0) {
      return Error(Errc::Parse, "keyctl " + what + ": answer of " + std::to_string(len) +
                                    " bytes is not a list of 32-bit serials");
    }
    std::vector<KeySerial> serials(len / sizeof(KeySerial));
    long rc = sys_keyctl(KEYCTL_READ, ring, serials.data(), static_cast<unsigned long>(len));
    if (rc < 0) return key_error(what, errno);
    auto got = static_cast<std::size_t>(rc);
    if (got <= len && got % sizeof(KeySerial) == 0) {
      serials.resize(got / sizeof(KeySerial));
      return serials;
    }
    len = got;
  }
  return Error(Errc::Io, "keyctl " + what + ": keyring kept changing size");
}

Result<KeyDescription> describe(KeySerial key) {
  std::string what = "describe key " + std::to_string(key);
  long probe = sys_keyctl(KEYCTL_DESCRIBE, key, nullptr, 0L);
  for (int attempt = 0; attempt < kMaxReadAttempts; ++attempt) {
    if (probe < 0) return key_error(what, errno);
    auto len = static_cast<std::size_t>(probe);  // includes the terminating NUL
    if (len == 0 || len > limits::kMaxKeyctlDescriptionBytes + 64) {
      return Error(Errc::Parse, "keyctl " + what + ": unexpected length " + std::to_string(len));
    }
    std::string text(len, '\0');
    long rc = sys_keyctl(KEYCTL_DESCRIBE, key, text.data(), static_cast<unsigned long>(len));
    if (rc >= 0 && static_cast<std::size_t>(rc) <= len) {
      text.resize(static_cast<std::size_t>(rc) - 1);
      return parse_key_description(text);
    }
    probe = rc;
  }
  return Error(Errc::Io, "keyctl " + what + ": description kept changing size");
}

Status link(KeySerial key, KeySerial ring) {
  long rc = sys_keyctl(KEYCTL_LINK, key, ring);
  return status_result(rc, "link key " + std::to_string(key) + " into " + ring_name(ring));
}

Status unlink(KeySerial key, KeySerial ring) {
  long rc = sys_keyctl(KEYCTL_UNLINK, key, ring);
  return status_result(rc, "unlink key " + std::to_string(key) + " from " + ring_name(ring));
}

Status invalidate(KeySerial key) {
  long rc = sys_keyctl(KEYCTL_INVALIDATE, key);
  return status_result(rc, "invalidate key " + std::to_string(key));
}

Status set_perm(KeySerial key, std::uint32_t perm) {
  long rc = sys_keyctl(KEYCTL_SETPERM, key, static_cast<unsigned long>(perm));
  return status_result(rc, "set permissions of key " + std::to_string(key));
}

Result<KeySerial> join_anonymous_session_keyring() {
  long rc = sys_keyctl(KEYCTL_JOIN_SESSION_KEYRING, nullptr);
  return serial_result(rc, "join a new session keyring");
}

}  // namespace av::platform::keyctl
