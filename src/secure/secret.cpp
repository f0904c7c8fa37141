// secret.cpp: libsodium-backed storage for secrets. Only the memory functions of libsodium are
// used here (sodium_malloc, sodium_free, sodium_memzero, sodium_memcmp, sodium_mlock is implied).
#include "secure/secret.h"

#include <sodium.h>

#include <atomic>
#include <cstring>
#include <string>
#include <utility>

#include "base/check.h"

namespace av::secure {
namespace {

std::atomic<testing::ReleaseObserver> g_release_observer{nullptr};

// ensure_sodium: sodium_init is idempotent and thread-safe; it must precede sodium_malloc.
void ensure_sodium() {
  static const int kInitResult = sodium_init();
  AV_CHECK(kInitResult >= 0);
}

}  // namespace

void wipe(MutableByteSpan bytes) noexcept {
  if (!bytes.empty()) sodium_memzero(bytes.data(), bytes.size());
}

namespace detail {

SecretBuffer::SecretBuffer(std::size_t capacity) : capacity_(capacity) {
  if (capacity == 0) return;
  ensure_sodium();
  data_ = static_cast<std::uint8_t*>(sodium_malloc(capacity));
  AV_CHECK(data_ != nullptr);  // out of memory (or of mlock-able pages) is fatal
  sodium_memzero(data_, capacity);
}

SecretBuffer::~SecretBuffer() { release(); }

SecretBuffer::SecretBuffer(SecretBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)) {}

SecretBuffer& SecretBuffer::operator=(SecretBuffer&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
  }
  return *this;
}

void SecretBuffer::release() noexcept {
  if (data_ == nullptr) return;
  sodium_memzero(data_, capacity_);
  if (auto observer = g_release_observer.load()) observer({data_, capacity_});
  sodium_free(data_);
  data_ = nullptr;
  size_ = 0;
  capacity_ = 0;
}

void SecretBuffer::resize(std::size_t len) noexcept {
  AV_CHECK(len <= capacity_);
  if (len < size_) sodium_memzero(data_ + len, size_ - len);
  size_ = len;
}

Status SecretBuffer::append(ByteSpan bytes) {
  if (bytes.size() > capacity_ - size_) {
    return Error{Errc::TooLarge, "secret longer than " + std::to_string(capacity_) + " bytes"};
  }
  if (!bytes.empty()) std::memcpy(data_ + size_, bytes.data(), bytes.size());
  size_ += bytes.size();
  return ok();
}

SecretBuffer SecretBuffer::clone() const {
  SecretBuffer out(capacity_);
  if (size_ > 0) std::memcpy(out.data_, data_, size_);
  out.size_ = size_;
  return out;
}

}  // namespace detail

SecretBytes SecretBytes::copy_of(ByteSpan bytes) {
  SecretBytes out(bytes.size());
  AV_CHECK(out.append(bytes).has_value());
  return out;
}

SecretBytes SecretBytes::zeroed(std::size_t len) {
  SecretBytes out(len);
  out.resize(len);
  return out;
}

SecretBytes SecretBytes::clone() const {
  SecretBytes out;
  out.buffer_ = buffer_.clone();
  return out;
}

SecretString SecretString::copy_of(std::string_view text) {
  SecretString out(text.size());
  AV_CHECK(out.append(text).has_value());
  return out;
}

SecretString SecretString::clone() const {
  SecretString out;
  out.buffer_ = buffer_.clone();
  return out;
}

namespace testing {
void set_release_observer(ReleaseObserver observer) noexcept { g_release_observer.store(observer); }
}  // namespace testing

}  // namespace av::secure
