// checked_math.h: overflow-checked size arithmetic and narrowing (STYLE.md rule 24).
//
// Arithmetic on sizes derived from input goes through checked_add/checked_mul, which report
// overflow instead of wrapping. narrow<T>() is for conversions that cannot lose information unless
// there is a bug (it aborts); checked_narrow<T>() is for conversions of input (it reports).
#pragma once

#include <concepts>
#include <optional>
#include <utility>

#include "base/check.h"

namespace av {

// checked_add returns a + b, or nullopt if the sum does not fit in T.
template <std::integral T>
[[nodiscard]] constexpr std::optional<T> checked_add(T a, T b) noexcept {
  T out{};
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

// checked_sub returns a - b, or nullopt if the difference does not fit in T.
template <std::integral T>
[[nodiscard]] constexpr std::optional<T> checked_sub(T a, T b) noexcept {
  T out{};
  if (__builtin_sub_overflow(a, b, &out)) return std::nullopt;
  return out;
}

// checked_mul returns a * b, or nullopt if the product does not fit in T.
template <std::integral T>
[[nodiscard]] constexpr std::optional<T> checked_mul(T a, T b) noexcept {
  T out{};
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

// checked_narrow converts `value` to To, or returns nullopt if it is out of To's range.
template <std::integral To, std::integral From>
[[nodiscard]] constexpr std::optional<To> checked_narrow(From value) noexcept {
  if (!std::in_range<To>(value)) return std::nullopt;
  return static_cast<To>(value);
}

// narrow converts `value` to To; a value out of range is a bug and aborts.
template <std::integral To, std::integral From>
[[nodiscard]] constexpr To narrow(From value) noexcept {
  AV_CHECK(std::in_range<To>(value));
  return static_cast<To>(value);
}

}  // namespace av
