// chunked.h: an incremental decoder for the HTTP/1.1 chunked transfer coding (RFC 9112 §7.1).
//
// Pure (no I/O). The caller hands it whatever bytes have arrived; each step either consumes
// framing (chunk-size lines, CRLFs, trailer lines; buffered internally when split across calls)
// or returns a run of body bytes as a view into the caller's input, so body bytes (which may be
// secrets) are never copied here. Every line must end in CRLF. Chunk extensions are ignored
// (but must be free of control characters); trailer fields are ignored, bounded in size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/bytes.h"
#include "base/limits.h"
#include "base/result.h"

namespace av::net {

// ChunkedStep: what one ChunkedDecoder::step used and produced.
struct ChunkedStep {
  std::size_t consumed = 0;  // bytes of the input used (framing and data)
  ByteSpan data;             // body bytes: a sub-span of the step's input (may be empty)
};

class ChunkedDecoder {
 public:
  // ChunkedDecoder refuses bodies whose decoded size exceeds `max_body_bytes`.
  explicit ChunkedDecoder(std::size_t max_body_bytes = limits::kMaxHttpBodyBytes) noexcept
      : max_body_bytes_(max_body_bytes) {}

  // step decodes from the front of `input`. Unless done() or `input` is empty, it consumes at
  // least one byte. Errors (the decoder is then unusable): Errc::Parse "malformed chunked body:
  // <what>" (bad hex, bad CRLF, control characters, obs-fold in trailers); Errc::TooLarge when a
  // chunk-size line exceeds limits::kMaxHttpChunkLineBytes, the trailers exceed
  // limits::kMaxHttpTrailerBytes, or the body would exceed max_body_bytes.
  [[nodiscard]] Result<ChunkedStep> step(ByteSpan input);
  // done: the last chunk and the trailer section (ended by an empty line) have been consumed.
  bool done() const noexcept { return phase_ == Phase::Done; }
  // body_bytes: decoded body bytes so far.
  std::size_t body_bytes() const noexcept { return body_bytes_; }

 private:
  enum class Phase : std::uint8_t { SizeLine, Data, DataCrlf, Trailer, Done, Failed };

  Result<ChunkedStep> step_line(ByteSpan input);
  Status finish_size_line();
  Status finish_trailer_line();
  Result<ChunkedStep> fail(Error error);

  std::size_t max_body_bytes_;
  Phase phase_ = Phase::SizeLine;
  std::string line_;  // the current framing line, without CRLF
  std::size_t chunk_remaining_ = 0;
  std::size_t body_bytes_ = 0;
  std::size_t trailer_bytes_ = 0;
};

}  // namespace av::net
