// percent.h: percent-encoding as AWS Signature Version 4 specifies it, and a strict decoder.
//
// Encoding rule (AWS SigV4 "UriEncode", which is RFC 3986 §2.1/§2.3 applied byte-wise): the
// unreserved characters A-Z a-z 0-9 '-' '_' '.' '~' are kept; every other byte of the UTF-8 input
// (space, '+', '*', '%', non-ASCII bytes, ...) becomes %XX with UPPER-case hex. There is no
// '+' for space and no normalisation of the input. '/' is encoded too, except with
// SlashMode::Keep (canonical URI paths).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "base/result.h"

namespace av::codec {

enum class SlashMode : std::uint8_t {
  Encode,  // '/' -> %2F: query names and values, form bodies
  Keep,    // '/' kept: the canonical URI of a request path
};

// encode_percent_sigv4 applies the SigV4 UriEncode rule (file comment) to every byte of `text`.
// Never fails; the output is at most three times the input.
std::string encode_percent_sigv4(std::string_view text, SlashMode slash);

enum class PlusMode : std::uint8_t {
  Literal,  // '+' is a plus sign (RFC 3986; what SigV4 encoders send)
  Space,    // '+' is a space (application/x-www-form-urlencoded, as browsers send query strings)
};

// decode_percent decodes %XX escapes (hex digits of either case) in `text`, and '+' per `plus`;
// every other byte is copied unchanged (the decoder does not insist that reserved characters were
// encoded). Errc::Parse when a '%' is not followed by two hex digits; Errc::TooLarge above
// limits::kMaxEncodedBytes. The result is bytes: it is not checked to be UTF-8 and may contain NUL.
[[nodiscard]] Result<std::string> decode_percent(std::string_view text, PlusMode plus);

using FormField = std::pair<std::string_view, std::string_view>;

// form_urlencode renders `fields` as `name=value` pairs joined by '&', in the order given (the
// AWS query protocol does not require sorting; a SigV4 canonical query string is sorted by its
// builder). Names and values are encoded with encode_percent_sigv4(SlashMode::Encode), so a space
// is %20, never '+', and '/' is %2F. Never fails.
std::string form_urlencode(std::span<const FormField> fields);

}  // namespace av::codec
