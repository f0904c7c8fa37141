// jwe_compact.cpp: strict parsing and serialisation of the file backend's JWE compact tokens.
#include "jose/jwe_compact.h"

#include <algorithm>
#include <array>
#include <utility>

#include "base/error.h"
#include "base/limits.h"
#include "codec/base64.h"
#include "codec/json/reader.h"

namespace av::jose {
namespace {

constexpr std::size_t kPartCount = 5;
constexpr std::array<std::string_view, kPartCount> kPartNames = {
    "protected header", "encrypted key", "iv", "ciphertext", "tag"};

// split_parts cuts `token` at its four dots; any other count is Errc::Parse.
Result<std::array<std::string_view, kPartCount>> split_parts(std::string_view token) {
  if (std::count(token.begin(), token.end(), '.') != kPartCount - 1) {
    return Error(Errc::Parse, "jwe: expected 5 dot-separated parts");
  }
  std::array<std::string_view, kPartCount> parts;
  for (std::size_t i = 0; i + 1 < kPartCount; ++i) {
    const auto dot = token.find('.');
    parts[i] = token.substr(0, dot);
    token.remove_prefix(dot + 1);
  }
  parts[kPartCount - 1] = token;
  return parts;
}

// decode_part decodes one part; a non-canonical encoding is Errc::Parse naming the part.
Result<std::vector<std::uint8_t>> decode_part(std::string_view text, std::size_t index) {
  auto bytes = codec::decode_base64(text, codec::Base64Alphabet::Url);
  if (!bytes)
    return std::move(bytes).error().with_context("jwe: " + std::string(kPartNames[index]));
  return bytes;
}

// expect_size checks that a decoded part has its algorithm's fixed size.
Status expect_size(const std::vector<std::uint8_t>& bytes, std::size_t want, std::size_t index) {
  if (bytes.size() != want) {
    return Error(Errc::Parse, "jwe: " + std::string(kPartNames[index]) + " has " +
                                  std::to_string(bytes.size()) + " bytes, expected " +
                                  std::to_string(want));
  }
  return ok();
}

// required_string returns header member `name` as a string; absent or another type is Parse.
Result<std::string_view> required_string(const codec::json::Value& header, std::string_view name) {
  const auto* value = header.find(name);
  if (value == nullptr)
    return Error(Errc::Parse, "jwe header: missing \"" + std::string(name) + "\"");
  if (value->kind() != codec::json::Value::Kind::String) {
    return Error(Errc::Parse, "jwe header: \"" + std::string(name) + "\" is not a string");
  }
  return value->as_string();
}

// check_exact allows only the one algorithm name we implement.
Status check_exact(const codec::json::Value& header, std::string_view name,
                   std::string_view allowed) {
  AV_TRY_ASSIGN(const auto value, required_string(header, name));
  if (value != allowed) {
    return Error(Errc::Unsupported, "jwe header: \"" + std::string(name) + "\" must be \"" +
                                        std::string(allowed) + "\"");
  }
  return ok();
}

// read_p2c validates the iteration count before anyone can spend CPU on it.
Result<std::uint32_t> read_p2c(const codec::json::Value& header) {
  const auto* value = header.find("p2c");
  if (value == nullptr) return Error(Errc::Parse, "jwe header: missing \"p2c\"");
  if (value->kind() != codec::json::Value::Kind::Number || value->number_text().empty() ||
      value->number_text().front() == '-') {
    return Error(Errc::Parse, "jwe header: \"p2c\" is not a non-negative integer");
  }
  auto count = value->as_uint64();
  if (!count) {
    if (count.error().code() == Errc::TooLarge) {
      return Error(Errc::TooLarge, "jwe header: \"p2c\" exceeds the maximum iteration count");
    }
    return Error(Errc::Parse, "jwe header: \"p2c\" is not an integer");
  }
  if (*count > limits::kMaxPbes2Iterations) {
    return Error(Errc::TooLarge, "jwe header: \"p2c\" exceeds the maximum iteration count");
  }
  if (*count < limits::kMinPbes2Iterations) {
    return Error(Errc::Unsupported, "jwe header: \"p2c\" is below the minimum iteration count");
  }
  return static_cast<std::uint32_t>(*count);
}

// read_p2s decodes the salt input and bounds its length.
Result<std::vector<std::uint8_t>> read_p2s(const codec::json::Value& header) {
  AV_TRY_ASSIGN(const auto text, required_string(header, "p2s"));
  if (text.size() > limits::kMaxPbes2SaltBytes * 2) {
    return Error(Errc::TooLarge, "jwe header: \"p2s\" is too long");
  }
  auto salt = codec::decode_base64(text, codec::Base64Alphabet::Url);
  if (!salt) return std::move(salt).error().with_context("jwe header: \"p2s\"");
  if (salt->size() > limits::kMaxPbes2SaltBytes) {
    return Error(Errc::TooLarge, "jwe header: \"p2s\" is too long");
  }
  if (salt->size() < limits::kMinPbes2SaltBytes) {
    return Error(Errc::Parse, "jwe header: \"p2s\" is shorter than 8 bytes");
  }
  return salt;
}

// parse_header applies the header policy of jwe_compact.h to the decoded JSON text.
Status parse_header(JweCompact& jwe) {
  auto parsed = codec::json::parse(jwe.header_json);
  if (!parsed) {
    const Errc code = parsed.error().code() == Errc::TooLarge ? Errc::TooLarge : Errc::Parse;
    return Error(code, "jwe header: " + std::string(parsed.error().message()));
  }
  const codec::json::Value& header = *parsed;
  if (header.kind() != codec::json::Value::Kind::Object) {
    return Error(Errc::Parse, "jwe header: not a json object");
  }
  AV_TRY(check_exact(header, "alg", kAlgPbes2Hs256A128kw));
  AV_TRY(check_exact(header, "enc", kEncA256gcm));
  if (header.find("zip") != nullptr) {
    return Error(Errc::Unsupported, "jwe header: compression (\"zip\") is not supported");
  }
  if (header.find("crit") != nullptr) {
    return Error(Errc::Unsupported, "jwe header: critical extensions (\"crit\") are not supported");
  }
  AV_TRY_ASSIGN(jwe.p2c, read_p2c(header));
  AV_TRY_ASSIGN(jwe.p2s, read_p2s(header));
  return ok();
}

}  // namespace

Result<JweCompact> parse_jwe_compact(std::string_view token) {
  if (token.size() > limits::kMaxJweCompactBytes) {
    return Error(Errc::TooLarge,
                 "jwe: token exceeds " + std::to_string(limits::kMaxJweCompactBytes) + " bytes");
  }
  AV_TRY_ASSIGN(const auto parts, split_parts(token));
  JweCompact jwe;
  AV_TRY_ASSIGN(const auto header_bytes, decode_part(parts[0], 0));
  jwe.header_json.assign(header_bytes.begin(), header_bytes.end());
  AV_TRY_ASSIGN(jwe.encrypted_key, decode_part(parts[1], 1));
  AV_TRY(expect_size(jwe.encrypted_key, kEncryptedKeyLen, 1));
  AV_TRY_ASSIGN(jwe.iv, decode_part(parts[2], 2));
  AV_TRY(expect_size(jwe.iv, kIvLen, 2));
  AV_TRY_ASSIGN(jwe.ciphertext, decode_part(parts[3], 3));
  if (jwe.ciphertext.size() > limits::kMaxSecretItemBytes) {
    return Error(Errc::TooLarge, "jwe: ciphertext exceeds " +
                                     std::to_string(limits::kMaxSecretItemBytes) + " bytes");
  }
  AV_TRY_ASSIGN(jwe.tag, decode_part(parts[4], 4));
  AV_TRY(expect_size(jwe.tag, kTagLen, 4));
  AV_TRY(parse_header(jwe));
  return jwe;
}

std::string protected_header_b64(const JweCompact& jwe) {
  return codec::encode_base64(as_bytes(jwe.header_json), codec::Base64Alphabet::Url);
}

std::string serialize_jwe_compact(const JweCompact& jwe) {
  using codec::Base64Alphabet;
  std::string out = protected_header_b64(jwe);
  for (const auto* part : {&jwe.encrypted_key, &jwe.iv, &jwe.ciphertext, &jwe.tag}) {
    out += '.';
    out += codec::encode_base64(*part, Base64Alphabet::Url);
  }
  return out;
}

}  // namespace av::jose
