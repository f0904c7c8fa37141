// chunked.cpp: RFC 9112 §7.1 chunked transfer coding, decoded incrementally.
//
//   chunked-body = *chunk last-chunk trailer-section CRLF
//   chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
//   last-chunk   = 1*("0") [ chunk-ext ] CRLF
// Invariant: once a step fails the decoder stays failed (phase_ == Failed).
#include "net/chunked.h"

#include <algorithm>

#include "base/ascii.h"
#include "base/checked_math.h"

namespace av::net {
namespace {

Error chunk_error(std::string_view what) {
  return Error{Errc::Parse, "malformed chunked body: " + std::string(what)};
}

int hex_digit_value(char c) noexcept {
  if (ascii::is_digit(c)) return c - '0';
  const char lower = ascii::to_lower(c);
  if (lower >= 'a' && lower <= 'f') return lower - 'a' + 10;
  return -1;
}

// check_line_chars: framing lines may hold HTAB and obs-text but no other control characters
// (a CR inside a line is a bare CR).
Status check_line_chars(std::string_view line) {
  for (const char c : line) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f)
      return chunk_error("control character in framing line");
  }
  return ok();
}

}  // namespace

Result<ChunkedStep> ChunkedDecoder::fail(Error error) {
  phase_ = Phase::Failed;
  line_.clear();
  return error;
}

Result<ChunkedStep> ChunkedDecoder::step(ByteSpan input) {
  if (phase_ == Phase::Failed) return chunk_error("decoder used after an error");
  if (phase_ == Phase::Done || input.empty()) return ChunkedStep{};
  if (phase_ == Phase::Data) {
    const std::size_t len = std::min(chunk_remaining_, input.size());
    chunk_remaining_ -= len;
    body_bytes_ += len;
    if (chunk_remaining_ == 0) phase_ = Phase::DataCrlf;
    return ChunkedStep{len, input.first(len)};
  }
  if (phase_ == Phase::DataCrlf) {
    // Exactly CRLF after the chunk data; checked byte by byte so an over-long chunk fails at once.
    const char c = static_cast<char>(input[0]);
    if (line_.empty()) {
      if (c != '\r') return fail(chunk_error("chunk data longer than its size"));
      line_.push_back(c);
    } else {
      if (c != '\n') return fail(chunk_error("chunk data not followed by CRLF"));
      line_.clear();
      phase_ = Phase::SizeLine;
    }
    return ChunkedStep{1, {}};
  }
  return step_line(input);
}

Result<ChunkedStep> ChunkedDecoder::step_line(ByteSpan input) {
  const std::string_view text = as_chars(input);
  const std::size_t lf = text.find('\n');
  const std::size_t take = lf == std::string_view::npos ? text.size() : lf;
  const bool trailer = phase_ == Phase::Trailer;
  const std::size_t budget =
      trailer ? limits::kMaxHttpTrailerBytes - trailer_bytes_ : limits::kMaxHttpChunkLineBytes;
  // +1 allows the CR that ends a line of exactly `budget` bytes.
  if (line_.size() + take > budget + 1) {
    return fail(Error{Errc::TooLarge,
                      trailer ? "chunked body trailers exceed " +
                                    std::to_string(limits::kMaxHttpTrailerBytes) + " bytes"
                              : "chunk-size line exceeds " +
                                    std::to_string(limits::kMaxHttpChunkLineBytes) + " bytes"});
  }
  line_.append(text.substr(0, take));
  if (lf == std::string_view::npos) return ChunkedStep{take, {}};
  if (line_.empty() || line_.back() != '\r')
    return fail(chunk_error("line not terminated by CRLF"));
  line_.pop_back();
  if (auto checked = check_line_chars(line_); !checked) return fail(std::move(checked).error());
  Status finished = trailer ? finish_trailer_line() : finish_size_line();
  line_.clear();
  if (!finished) return fail(std::move(finished).error());
  return ChunkedStep{take + 1, {}};
}

Status ChunkedDecoder::finish_size_line() {
  std::size_t pos = 0;
  std::size_t size = 0;
  while (pos < line_.size() && hex_digit_value(line_[pos]) >= 0) {
    const auto shifted = checked_mul<std::size_t>(size, 16);
    const auto next = shifted ? checked_add<std::size_t>(
                                    *shifted, static_cast<std::size_t>(hex_digit_value(line_[pos])))
                              : std::nullopt;
    if (!next) return Error{Errc::TooLarge, "malformed chunked body: chunk size overflows"};
    size = *next;
    ++pos;
  }
  if (pos == 0) return chunk_error("missing chunk size");
  // chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ): ignored after its ';'.
  while (pos < line_.size() && (line_[pos] == ' ' || line_[pos] == '\t')) ++pos;
  if (pos < line_.size() && line_[pos] != ';')
    return chunk_error("invalid character after chunk size");
  if (size == 0) {
    phase_ = Phase::Trailer;
    return ok();
  }
  const auto total = checked_add<std::size_t>(body_bytes_, size);
  if (!total || *total > max_body_bytes_) {
    return Error{Errc::TooLarge,
                 "chunked body exceeds " + std::to_string(max_body_bytes_) + " bytes"};
  }
  chunk_remaining_ = size;
  phase_ = Phase::Data;
  return ok();
}

Status ChunkedDecoder::finish_trailer_line() {
  if (line_.empty()) {
    phase_ = Phase::Done;
    return ok();
  }
  if (line_[0] == ' ' || line_[0] == '\t') return chunk_error("obsolete line folding in trailers");
  const std::size_t colon = line_.find(':');
  if (colon == 0 || colon == std::string::npos) return chunk_error("trailer field without a name");
  trailer_bytes_ += line_.size() + 2;
  if (trailer_bytes_ > limits::kMaxHttpTrailerBytes) {
    return Error{Errc::TooLarge, "chunked body trailers exceed " +
                                     std::to_string(limits::kMaxHttpTrailerBytes) + " bytes"};
  }
  return ok();
}

}  // namespace av::net
