// credentials.h: the Data of a long-term credential item (cli.md §5.2, backends.md §1.8).
//
// Written exactly as Go marshals the AWS SDK credentials value, compact, in this field order:
//   {"AccessKeyID":"…","SecretAccessKey":"…","SessionToken":"","Source":"","CanExpire":false,
//    "Expires":"0001-01-01T00:00:00Z","AccountID":""}
// Read: keys match ASCII case-insensitively; unknown keys are ignored; missing keys (older items
// lack AccountID; upstream's tests store only the first two) and `null` leave the defaults.
// SecretAccessKey and SessionToken are decoded straight into secure memory when spelled exactly,
// in lowercase or in uppercase; any other letter case of those two names is refused (Errc::Parse)
// because the JSON reader could only hand it over as a plain string.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "secure/secret.h"

namespace av::keyring {

// The zero Go time.Time as encoding/json writes it.
inline constexpr std::string_view kGoZeroTime = "0001-01-01T00:00:00Z";

// LongTermCredentials: the SDK credentials value; Expires is kept as its RFC 3339 text.
struct LongTermCredentials {
  std::string access_key_id;
  secure::SecretString secret_access_key;
  secure::SecretString session_token;
  std::string source;
  bool can_expire = false;
  std::string expires = std::string(kGoZeroTime);
  std::string account_id;
};

// serialize_credentials_json writes `creds` in the layout above into secure memory.
// Errc::TooLarge past limits::kMaxSecretItemBytes. Borrows `creds`.
[[nodiscard]] Result<secure::SecretString> serialize_credentials_json(
    const LongTermCredentials& creds);

// parse_credentials_json reads a credential item's Data. Errc::Parse for invalid JSON, a
// non-object, a field of the wrong type or a repeated field (any case); Errc::TooLarge over
// limits::kMaxSecretItemBytes or a JSON reader limit. Messages never contain secret values.
[[nodiscard]] Result<LongTermCredentials> parse_credentials_json(std::string_view json);

}  // namespace av::keyring
