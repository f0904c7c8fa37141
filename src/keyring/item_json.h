// item_json.h: the serialised Item of backends §1.3, byte-compatible with Go's encoding/json.
//
// Layout written (compact, keys always present, in this order):
//   {"Key":…,"Data":"<standard base64 with padding>","Label":…,"Description":…,
//    "KeychainNotTrustApplication":bool,"KeychainNotSynchronizable":bool}
// Strings use Go's escaping (codec/json/writer.h). Empty Data is written as "" (Go writes null
// only for a nil slice, which this model does not have; aws-vault never writes nil).
//
// Reading follows Go's decoder where that is safe and is stricter where Go is lax:
//   * keys match ASCII case-insensitively ("key", "DATA" …); unknown keys are ignored; missing
//     keys and `null` values leave the zero value;
//   * Data is canonical standard padded base64 (Go also accepts non-zero unused bits in the last
//     character; it never writes them); '\r' and '\n' inside it are skipped (as Go does); it is
//     decoded in constant time straight into secure memory;
//   * Errc::Parse: not a JSON object, a field of the wrong JSON type, two keys that match the
//     same field (Go lets the last win), bad base64, any JSON syntax error (codec/json/reader.h);
//   * Errc::TooLarge: the document over limits::kMaxItemJsonBytes, Key over kMaxKeyringKeyBytes,
//     Label or Description over kMaxKeyringLabelBytes, the base64 of Data over
//     limits::kMaxSecretBytes (the JSON reader's bound on a secret value; see kMaxItemDataBytes).
// Deviation: Go also folds a few non-ASCII letters (U+212A KELVIN SIGN matches 'k'); we do not.
// Error messages never contain Data.
#pragma once

#include <cstddef>
#include <string_view>

#include "base/limits.h"
#include "base/result.h"
#include "keyring/keyring.h"
#include "secure/secret.h"

namespace av::keyring {

// kMaxItemDataBytes: the largest Data serialize_item_json writes, so that everything written can
// be read back (its base64 fits the JSON reader's limits::kMaxSecretBytes).
inline constexpr std::size_t kMaxItemDataBytes = limits::kMaxSecretBytes / 4 * 3;

// parse_item_json parses one Item JSON document (see the file comment). Borrows `json` (which
// may itself be decrypted secret text) for the call only.
[[nodiscard]] Result<Item> parse_item_json(std::string_view json);

// serialize_item_json writes `item` in Go's exact layout into secure memory (the output contains
// the base64 of the secret data). Errc::TooLarge if a field exceeds the limits above (Data:
// kMaxItemDataBytes).
[[nodiscard]] Result<secure::SecretString> serialize_item_json(const Item& item);

}  // namespace av::keyring
