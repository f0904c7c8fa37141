// keyctl.h: a thin typed wrapper over the Linux key retention service syscalls (keyctl(2),
// add_key(2)), called directly through syscall(2); no libkeyutils. Only what the `keyctl`
// keyring backend and its tests need.
//
// Errors name the operation and carry the kernel's reason, e.g.
// `keyctl search for user key "dev" in keyring 12345: required key not available`. errno maps
// to Errc as follows: ENOKEY, EKEYEXPIRED, EKEYREVOKED and ENOENT -> NotFound; EACCES, EPERM ->
// PermissionDenied; EDQUOT -> TooLarge (the per-user key quota); ENOSYS, EOPNOTSUPP ->
// Unsupported (kernel built without keys, or blocked by a seccomp filter that says so);
// anything else -> Io. Argument checks made before any syscall: Errc::Parse for a description
// or type that is empty, too long (limits::kMaxKeyctlDescriptionBytes) or contains a NUL byte;
// Errc::TooLarge / Unsupported for a `user` payload the kernel would refuse.
//
// Secrets: payloads go in as a borrowed span and come out in secure::SecretBytes; no payload
// byte is ever copied to ordinary memory or put in a message. Descriptions are not secret.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/result.h"
#include "secure/secret.h"

namespace av::platform::keyctl {

// KeySerial: a kernel key or keyring id (key_serial_t). Negative values name special keyrings.
using KeySerial = std::int32_t;

// SpecialKeyring: the per-thread/process/session/user keyrings (KEY_SPEC_* values).
enum class SpecialKeyring : std::int32_t {
  Thread = -1,       // @t
  Process = -2,      // @p
  Session = -3,      // @s
  User = -4,         // @u
  UserSession = -5,  // @us
};

// special_serial is the KEY_SPEC_* id of `which`, usable wherever a KeySerial is expected.
constexpr KeySerial special_serial(SpecialKeyring which) noexcept {
  return static_cast<KeySerial>(which);
}

// KeyDescription: the parsed KEYCTL_DESCRIBE text `type;uid;gid;perm;description`.
struct KeyDescription {
  std::string type;
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::uint32_t perm = 0;   // the KEY_POS/USR/GRP/OTH mask, e.g. 0x3f010000
  std::string description;  // everything after the 4th ';' (may itself contain ';')
};

// parse_key_description parses describe output from the left, so a description containing ';'
// is kept whole. Pure. Errc::Parse when a field is missing or uid/gid (decimal) or perm
// (hexadecimal) is not a number.
[[nodiscard]] Result<KeyDescription> parse_key_description(std::string_view text);

// resolve_keyring returns the real serial of a special keyring; `create` makes it if the kernel
// creates such keyrings on demand (thread, process, user...), otherwise a missing one is NotFound.
[[nodiscard]] Result<KeySerial> resolve_keyring(SpecialKeyring which, bool create);

// get_persistent_keyring returns this user's persistent keyring (KEYCTL_GET_PERSISTENT) and
// links it into `link_into` (which must be writable). Unsupported when the kernel lacks
// CONFIG_PERSISTENT_KEYRINGS.
[[nodiscard]] Result<KeySerial> get_persistent_keyring(KeySerial link_into);

// search looks for a key of `type` with exactly `description` in `ring` and, recursively, the
// keyrings nested in it (KEYCTL_SEARCH, no link made). NotFound when nothing matches.
[[nodiscard]] Result<KeySerial> search(KeySerial ring, std::string_view type,
                                       std::string_view description);

// add_keyring creates a new empty keyring named `name` linked into `parent` (add_key
// "keyring"); a same-named keyring linked directly in `parent` is displaced (unlinked), not
// reused, so search first.
[[nodiscard]] Result<KeySerial> add_keyring(std::string_view name, KeySerial parent);

// add_user_key creates a `user` key in `ring`, or replaces the payload of the same-description
// `user` key already linked there (keeping its serial and permissions). The payload must be 1 to
// limits::kMaxKeyctlUserPayloadBytes bytes: TooLarge above, Unsupported when empty (the kernel
// refuses both). `payload` is borrowed and not retained.
[[nodiscard]] Result<KeySerial> add_user_key(std::string_view description, ByteSpan payload,
                                             KeySerial ring);

// read_payload reads a key's payload straight into secure memory with the two-call KEYCTL_READ
// protocol (size probe, then read; retried if the payload grew meanwhile). TooLarge above
// limits::kMaxKeyctlReadBytes. Buffers of failed attempts are wiped.
[[nodiscard]] Result<secure::SecretBytes> read_payload(KeySerial key);

// list_keyring returns the serials linked directly in `ring` (KEYCTL_READ on a keyring), in the
// kernel's order. Errc::Parse if the kernel's answer is not a multiple of 4 bytes.
[[nodiscard]] Result<std::vector<KeySerial>> list_keyring(KeySerial ring);

// describe returns the parsed KEYCTL_DESCRIBE of `key` (needs view permission).
[[nodiscard]] Result<KeyDescription> describe(KeySerial key);

// link adds a link to `key` in `ring`, displacing a same-type same-description key there.
[[nodiscard]] Status link(KeySerial key, KeySerial ring);

// unlink removes the link to `key` from `ring`; the key is destroyed once no link remains.
// NotFound when `key` is not linked directly in `ring`.
[[nodiscard]] Status unlink(KeySerial key, KeySerial ring);

// invalidate marks `key` invalid: it disappears from every keyring at once and is destroyed.
[[nodiscard]] Status invalidate(KeySerial key);

// set_perm replaces the permission mask of `key` (needs setattr permission, in practice
// possession, and ownership).
[[nodiscard]] Status set_perm(KeySerial key, std::uint32_t perm);

// join_anonymous_session_keyring gives this process a new, empty, unnamed session keyring
// (KEYCTL_JOIN_SESSION_KEYRING with no name) and returns its serial. For tests: keys created
// afterwards in @s never reach the caller's login session.
[[nodiscard]] Result<KeySerial> join_anonymous_session_keyring();

}  // namespace av::platform::keyctl
