// sigv4.cpp: AWS Signature Version 4, header form.
//
// Invariants: the session token never enters a std::string (the canonical request that contains it
// is assembled in a SecretString); kSecret and the derived keys live in SecretBytes/SecretArray;
// the cache holds one kSigning and the secret it came from, both in locked memory.
#include "aws/sigv4.h"

#include <algorithm>
#include <array>
#include <utility>

#include "base/ascii.h"
#include "base/check.h"
#include "codec/hex.h"
#include "codec/percent.h"
#include "crypto/hmac_sha256.h"
#include "crypto/sha256.h"
#include "secure/ct.h"

namespace av::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kTerminator = "aws4_request";
constexpr std::string_view kTokenHeader = "x-amz-security-token";
// Headers the signer writes itself; a caller listing one would be signed twice.
constexpr std::array<std::string_view, 5> kSignerOwned = {
    "host", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256", "authorization"};

struct HeaderEntry {
  std::string name;   // lower case
  std::string value;  // trimmed, runs of blanks collapsed, repeated values joined with ','
};

void append_digits(std::string& out, long value, int width) {
  std::array<char, 8> digits{};
  for (int i = width - 1; i >= 0; --i) {
    digits[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(digits.data(), static_cast<std::size_t>(width));
}

bool is_token_char(char c) {
  constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return ascii::is_alnum(c) || kSymbols.find(c) != std::string_view::npos;
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// SigV4 "Trimall": trim both ends, turn every run of blanks into one space. Control characters
// other than tab are refused: a CR or LF would forge extra canonical header lines.
Result<std::string> trim_all(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (is_blank(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (byte < 0x20 || byte == 0x7F)
      return Error(Errc::Parse, "header value has a control character");
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

Result<std::vector<HeaderEntry>> merge_headers(std::span<const SigningHeader> headers) {
  std::vector<HeaderEntry> entries;
  entries.reserve(headers.size());
  for (const auto& header : headers) {
    if (header.name.empty() ||
        !std::all_of(header.name.begin(), header.name.end(), is_token_char)) {
      return Error(Errc::Parse,
                   "header name " + ascii::quote_for_terminal(header.name) + " is not a token");
    }
    AV_TRY_ASSIGN(std::string value, trim_all(header.value));
    entries.push_back({ascii::lower(header.name), std::move(value)});
  }
  // Stable: repeated headers keep the order they were given in (get-header-value-order).
  std::stable_sort(entries.begin(), entries.end(),
                   [](const HeaderEntry& a, const HeaderEntry& b) { return a.name < b.name; });
  std::vector<HeaderEntry> merged;
  for (auto& entry : entries) {
    if (!merged.empty() && merged.back().name == entry.name) {
      merged.back().value += ',';
      merged.back().value += entry.value;
    } else {
      merged.push_back(std::move(entry));
    }
  }
  return merged;
}

// A session token is base64 text; anything else (blanks, CR, LF) would change the canonical form.
bool is_valid_token(std::string_view token) {
  return std::all_of(token.begin(), token.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte < 0x7F;
  });
}

Status check_path_chars(std::string_view path) {
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F || c == '?' || c == '#') {
      return Error(Errc::Parse, "request path has a character that must be encoded");
    }
  }
  return ok();
}

// Access key ids go into the Credential= field verbatim; separators would change its meaning.
bool is_valid_access_key_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte < 0x7F && c != '/' && c != ',' && c != '=';
  });
}

bool is_scope_part(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return ascii::is_digit(c) || (c >= 'a' && c <= 'z') || c == '-';
  });
}

Status check_signing_inputs(const SigningRequest& request, const Credentials& credentials) {
  if (request.region.empty()) {
    return Error(Errc::Config, "an AWS region is required, but was not found");
  }
  if (!is_scope_part(request.region)) {
    return Error(Errc::Config, "invalid region " + ascii::quote_for_terminal(request.region));
  }
  if (request.method.empty() ||
      !std::all_of(request.method.begin(), request.method.end(), is_token_char)) {
    return Error(Errc::Internal, "request method is not a token");
  }
  if (!is_scope_part(request.service)) {
    return Error(Errc::Config,
                 "invalid signing service " + ascii::quote_for_terminal(request.service));
  }
  if (!is_valid_access_key_id(credentials.access_key_id)) {
    return Error(Errc::Config, "missing or malformed access key id");
  }
  if (credentials.secret_access_key.empty()) {
    return Error(Errc::Config, "missing secret access key");
  }
  if (!is_valid_token(credentials.session_token.reveal())) {
    return Error(Errc::Config, "session token has an invalid character");
  }
  for (const auto& header : request.headers) {
    const std::string lower = ascii::lower(header.name);
    if (std::find(kSignerOwned.begin(), kSignerOwned.end(), lower) != kSignerOwned.end()) {
      return Error(Errc::Internal, "header " + lower + " is set by the signer");
    }
  }
  return ok();
}

secure::SecretBytes derive_signing_key(std::string_view date, std::string_view region,
                                       std::string_view service,
                                       const secure::SecretString& secret) {
  secure::SecretBytes k_secret(4 + secret.size());
  AV_CHECK(k_secret.append(as_bytes("AWS4")).has_value());
  AV_CHECK(k_secret.append(secret.reveal_bytes()).has_value());
  const auto k_date = crypto::hmac_sha256(k_secret.reveal(), as_bytes(date));
  const auto k_region = crypto::hmac_sha256(k_date.reveal(), as_bytes(region));
  const auto k_service = crypto::hmac_sha256(k_region.reveal(), as_bytes(service));
  const auto k_signing = crypto::hmac_sha256(k_service.reveal(), as_bytes(kTerminator));
  return secure::SecretBytes::copy_of(k_signing.reveal());
}

std::vector<SigningHeader> public_headers(const SigningRequest& request, std::string_view amz_date,
                                          std::string_view content_sha256) {
  std::vector<SigningHeader> all = request.headers;
  all.push_back({"host", request.host});
  all.push_back({"x-amz-date", std::string(amz_date)});
  if (!content_sha256.empty()) all.push_back({"x-amz-content-sha256", std::string(content_sha256)});
  return all;
}

// assemble_canonical_request writes the canonical request into locked memory, placing the token
// line (when signed) at its sorted position among `entries`.
secure::SecretString assemble_canonical_request(const std::vector<std::string_view>& head,
                                                const std::vector<HeaderEntry>& entries,
                                                std::string_view token,
                                                std::string_view signed_names,
                                                std::string_view payload_hash) {
  std::vector<std::string_view> parts = head;
  bool token_pending = !token.empty();
  for (const auto& entry : entries) {
    if (token_pending && entry.name > kTokenHeader) {
      parts.insert(parts.end(), {kTokenHeader, ":", token, "\n"});
      token_pending = false;
    }
    parts.insert(parts.end(), {entry.name, ":", entry.value, "\n"});
  }
  if (token_pending) parts.insert(parts.end(), {kTokenHeader, ":", token, "\n"});
  parts.insert(parts.end(), {"\n", signed_names, "\n", payload_hash});
  std::size_t total = 0;
  for (const auto part : parts) total += part.size();
  secure::SecretString out(total);
  for (const auto part : parts) AV_CHECK(out.append(part).has_value());
  return out;
}

std::string signed_header_names(const std::vector<HeaderEntry>& entries, bool with_token) {
  std::vector<std::string_view> names;
  for (const auto& entry : entries) names.push_back(entry.name);
  if (with_token)
    names.insert(std::upper_bound(names.begin(), names.end(), kTokenHeader), kTokenHeader);
  std::string out;
  for (const auto name : names) {
    if (!out.empty()) out += ';';
    out += name;
  }
  return out;
}

}  // namespace

std::string format_amz_date(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(time);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const hh_mm_ss hms{secs - day};
  const int year = static_cast<int>(ymd.year());
  AV_CHECK(year >= 0 && year <= 9999);
  std::string out;
  out.reserve(16);
  append_digits(out, year, 4);
  append_digits(out, static_cast<long>(static_cast<unsigned>(ymd.month())), 2);
  append_digits(out, static_cast<long>(static_cast<unsigned>(ymd.day())), 2);
  out += 'T';
  append_digits(out, static_cast<long>(hms.hours().count()), 2);
  append_digits(out, static_cast<long>(hms.minutes().count()), 2);
  append_digits(out, static_cast<long>(hms.seconds().count()), 2);
  out += 'Z';
  return out;
}

std::string normalize_uri_path(std::string_view path) {
  AV_CHECK(!path.empty() && path.front() == '/');
  std::vector<std::string_view> segments;
  std::string_view last;
  std::size_t pos = 1;
  while (true) {
    const std::size_t end = std::min(path.find('/', pos), path.size());
    last = path.substr(pos, end - pos);
    if (last == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!last.empty() && last != ".") {
      segments.push_back(last);
    }
    if (end == path.size()) break;
    pos = end + 1;
  }
  std::string out;
  for (const auto segment : segments) {
    out += '/';
    out += segment;
  }
  // RFC 3986 §5.2.4: a path ending in "/", "/." or "/.." names a directory.
  if (out.empty() || last.empty() || last == "." || last == "..") out += '/';
  return out;
}

Result<std::string> canonical_uri(std::string_view path, bool normalize) {
  if (path.empty()) return std::string("/");
  if (path.front() != '/') return Error(Errc::Parse, "request path does not start with '/'");
  AV_TRY(check_path_chars(path));
  const std::string cleaned = normalize ? normalize_uri_path(path) : std::string(path);
  return codec::encode_percent_sigv4(cleaned, codec::SlashMode::Keep);
}

std::string canonical_query_string(std::span<const QueryParam> query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& param : query) {
    encoded.emplace_back(codec::encode_percent_sigv4(param.name, codec::SlashMode::Encode),
                         codec::encode_percent_sigv4(param.value, codec::SlashMode::Encode));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

Result<CanonicalHeaders> canonical_headers(std::span<const SigningHeader> headers) {
  AV_TRY_ASSIGN(const auto entries, merge_headers(headers));
  CanonicalHeaders out;
  for (const auto& entry : entries) {
    out.block += entry.name + ":" + entry.value + "\n";
  }
  out.signed_names = signed_header_names(entries, false);
  return out;
}

// SigV4 tasks 1-4 in order: canonical request, string to sign, signature, Authorization.
Result<SignedRequest> Signer::sign(const SigningRequest& request, const Credentials& credentials,
                                   const SigningOptions& options) {
  AV_TRY(check_signing_inputs(request, credentials));
  AV_TRY_ASSIGN(const std::string uri, canonical_uri(request.path, options.normalize_path));
  SignedRequest out;
  out.amz_date = format_amz_date(request.time);
  const std::string payload_hash = request.payload_hash.has_value()
                                       ? *request.payload_hash
                                       : codec::encode_hex(crypto::sha256(request.body));
  if (options.content_sha256_header) out.content_sha256 = payload_hash;
  AV_TRY_ASSIGN(const auto entries,
                merge_headers(public_headers(request, out.amz_date, out.content_sha256)));
  const bool sign_token =
      credentials.has_session_token() && options.token == TokenPlacement::Signed;
  if (credentials.has_session_token()) out.security_token = credentials.session_token.clone();
  out.signed_headers = signed_header_names(entries, sign_token);
  const std::string query = canonical_query_string(request.query);
  out.canonical_request = assemble_canonical_request(
      {request.method, "\n", uri, "\n", query, "\n"}, entries,
      sign_token ? credentials.session_token.reveal() : std::string_view(), out.signed_headers,
      payload_hash);
  const KeyScope key_scope{out.amz_date.substr(0, 8), request.region, request.service};
  const std::string scope = key_scope.date + "/" + key_scope.region + "/" + key_scope.service +
                            "/" + std::string(kTerminator);
  out.string_to_sign = std::string(kAlgorithm) + "\n" + out.amz_date + "\n" + scope + "\n" +
                       codec::encode_hex(crypto::sha256(out.canonical_request.reveal_bytes()));
  const std::string signature = signature_hex(key_scope, credentials, out.string_to_sign);
  out.authorization = std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" +
                      scope + ", SignedHeaders=" + out.signed_headers + ", Signature=" + signature;
  return out;
}

std::size_t Signer::derivation_count() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return derivations_;
}

std::string Signer::signature_hex(const KeyScope& scope, const Credentials& credentials,
                                  std::string_view string_to_sign) {
  const std::lock_guard<std::mutex> lock(mutex_);
  const bool hit =
      cache_.has_value() && cache_->scope.date == scope.date &&
      cache_->scope.region == scope.region && cache_->scope.service == scope.service &&
      cache_->access_key_id == credentials.access_key_id &&
      ct::equal(cache_->secret.reveal_bytes(), credentials.secret_access_key.reveal_bytes());
  if (!hit) {
    cache_ = CachedKey{
        scope, credentials.access_key_id, credentials.secret_access_key.clone(),
        derive_signing_key(scope.date, scope.region, scope.service, credentials.secret_access_key)};
    ++derivations_;
  }
  const auto mac = crypto::hmac_sha256_public(cache_->key.reveal(), as_bytes(string_to_sign));
  return codec::encode_hex(mac);
}

void attach_signature(SignedRequest&& signed_request, net::Request& request) {
  request.headers.push_back({"X-Amz-Date", std::move(signed_request.amz_date)});
  if (!signed_request.content_sha256.empty()) {
    request.headers.push_back({"X-Amz-Content-Sha256", std::move(signed_request.content_sha256)});
  }
  if (!signed_request.security_token.empty()) {
    request.secret_headers.emplace_back("X-Amz-Security-Token",
                                        std::move(signed_request.security_token));
  }
  request.headers.push_back({"Authorization", std::move(signed_request.authorization)});
}

}  // namespace av::aws
