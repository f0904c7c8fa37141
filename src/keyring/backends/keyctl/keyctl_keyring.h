// keyctl_keyring.h: the `keyctl` backend (backends.md §2.2): items as `user` keys of the Linux
// kernel key retention service. Storage is upstream's: a key's description is the item Key and
// its payload is the raw item Data (no Item JSON, so Label and Description are dropped); items
// live in a keyring named after the service ("aws-vault") found by a recursive search under the
// scope's keyring, or created directly in it; keys() lists the `user` keys linked directly in
// that keyring; get_metadata is unsupported; remove of a missing key is not_found_error(). No
// key timeout is set. Kernel keys are volatile: they are gone after a reboot (or, for the
// session scope, at logout).
//
// Decisions where we differ from upstream (docs/COMPATIBILITY.md records them):
//  1. Scope. aws-vault never sets KeyCtlScope, so upstream always fails to open keyctl
//     (`accessing "" keyring failed: unknown scope ""`). Here an empty scope means "user"
//     (kDefaultScope): the per-user keyring @u, shared by every process of the user, which is
//     where upstream stores items when given scope "user". AWS_VAULT_KEYCTL_SCOPE (ours)
//     selects another. "group" is refused as upstream; any other unknown name is an error.
//  2. Possession. With the kernel's default permissions (possessor all, user view only) a key
//     in @u is readable only by a process that *possesses* @u, i.e. reaches it from its thread,
//     process or session keyring. pam_keyinit links @u into login sessions, but containers,
//     `su`, cron and some ssh setups do not, and then every read fails with "permission
//     denied". open() therefore links the scope keyring into this process's own process keyring
//     (@p) for the user, usersession and persistent scopes. @p is private to this process and
//     discarded at exit and exec, so nothing in the user's session keyring changes and no
//     permission is widened.
//  3. perm != 0. Upstream stages the key in the *session* keyring (add, setperm, link into the
//     ring, unlink from the session), which overwrites and then unlinks any unrelated
//     same-named key the user has there. Thanks to (2) we add the key in the ring and then set
//     its permissions; an existing key is updated in place rather than displaced.
//  4. Extension scope "persistent": the user's persistent keyring (survives logout, expires
//     after /proc/sys/kernel/keys/persistent_keyring_expiry seconds without use), linked into @p.
//  5. Hardening (§2.2.7): only "no such key" (ENOKEY, expired, revoked) is not-found; other
//     search errors are reported. Describe output is parsed from the left, so keys containing
//     ';' are listed correctly. A key that vanishes between listing and describing is skipped.
//     Payloads are checked before the syscall: more than 32,767 bytes is Errc::TooLarge (never
//     truncated), an empty payload Errc::Unsupported (the kernel refuses it). set("") is
//     Errc::Parse; get("") and remove("") are not_found_error() (no such key can exist).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "keyring/keyring.h"
#include "platform/keyctl.h"

namespace av::keyring::keyctl {

// kDefaultScope: the scope used when KeyctlOptions::scope is empty (decision 1 above).
inline constexpr std::string_view kDefaultScope = "user";
// kDefaultKeyringName: aws-vault's ServiceName, the named keyring holding the items.
inline constexpr std::string_view kDefaultKeyringName = "aws-vault";
// kDefaultPerm: 0 keeps the kernel's default permissions (0x3f010000, possessor all + user view).
inline constexpr std::uint32_t kDefaultPerm = 0;

// KeyctlScope: which kernel keyring holds the named keyring (backends.md §2.2.1).
enum class KeyctlScope { User, UserSession, Session, Process, Thread, Persistent };

// parse_keyctl_scope maps upstream's scope names ("user", "usersession", "session", "process",
// "thread") plus our "persistent"; "" gives kDefaultScope. Errc::Unsupported for "group"
// (`accessing "group" keyring failed: not yet implemented`, as upstream); Errc::Config for any
// other name (`accessing "x" keyring failed: unknown scope "x"`).
[[nodiscard]] Result<KeyctlScope> parse_keyctl_scope(std::string_view name);

// KeyctlOptions: the knobs of backends.md §2.2.1.
struct KeyctlOptions {
  std::string scope;  // KeyCtlScope; "" = kDefaultScope
  // ServiceName: the nested keyring holding the items; "" = the scope's keyring itself.
  std::string keyring_name = std::string(kDefaultKeyringName);
  // KeyCtlPerm: possessor<<24 | user<<16 | group<<8 | other, each view 0x01 read 0x02 write 0x04
  // search 0x08 link 0x10 setattr 0x20; applied to the created keyring and to every key set.
  std::uint32_t perm = kDefaultPerm;
};

// KeyctlKeyring: the backend. Not thread-safe; with the thread scope, use it from the thread
// that opened it.
class KeyctlKeyring final : public Keyring {
 public:
  // open resolves the scope keyring (creating it if the kernel does so on demand), links it into
  // the process keyring (decision 2), then finds or creates the named keyring (setting `perm` on
  // a new one). Every error says why: `accessing "<scope>" keyring failed: <reason>` for the
  // scope (Config / Unsupported / the platform::keyctl codes) and `opening keyring "<name>" in
  // the "<scope>" keyring: <reason>` for the named keyring; Errc::Parse for a bad name.
  [[nodiscard]] static Result<std::unique_ptr<KeyctlKeyring>> open(KeyctlOptions options);

  // ring: the serial of the keyring holding the items.
  platform::keyctl::KeySerial ring() const noexcept { return ring_; }

  // get: recursive search for a `user` key under ring(), then its payload. not_found_error()
  // when absent (or revoked/expired); other platform::keyctl errors with context.
  Result<Item> get(std::string_view key) override;
  // get_metadata: always metadata_unsupported_error() (as upstream).
  Result<Metadata> get_metadata(std::string_view key) override;
  // set: adds or updates the `user` key item.key in ring() with payload item.data, then applies
  // `perm` if non-zero. Errc::Parse for an empty or over-long key; TooLarge above 32,767 bytes
  // or over the user's key quota; Unsupported for empty data.
  Status set(const Item& item) override;
  // remove: search, then unlink from ring(). not_found_error() when absent.
  Status remove(std::string_view key) override;
  // keys: descriptions of the `user` keys linked directly in ring(), in the kernel's order.
  Result<std::vector<std::string>> keys() override;

 private:
  KeyctlKeyring(KeyctlOptions options, platform::keyctl::KeySerial ring)
      : options_(std::move(options)), ring_(ring) {}
  Result<platform::keyctl::KeySerial> find_item(std::string_view key) const;

  KeyctlOptions options_;
  platform::keyctl::KeySerial ring_;
};

}  // namespace av::keyring::keyctl
