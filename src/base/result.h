// result.h: Result<T> and Status, errors as values (STYLE.md §3.4).
//
// Result<T> holds either a T or an av::Error. Member names follow C++23 std::expected
// (has_value, value, error, operator*, operator->, value_or), so the move to std::expected is
// mechanical. Accessing the wrong alternative is a bug and aborts through AV_CHECK; it never throws.
//
//   Result<int> parse_port(std::string_view text);
//   AV_TRY_ASSIGN(int port, parse_port(text));   // returns the error to our caller on failure
//   AV_TRY(write_file(path, bytes));             // same, for Status
#pragma once

#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "base/check.h"
#include "base/error.h"

namespace av {

template <class T>
class [[nodiscard]] Result {
  static_assert(!std::is_reference_v<T>, "Result<T&> is not supported");
  static_assert(!std::is_same_v<std::remove_cv_t<T>, Error>, "Result<Error> is ambiguous");

 public:
  // A value, or anything a T can be built from (implicit, like std::expected).
  template <class U = T>
    requires(std::is_constructible_v<T, U &&> &&
             !std::is_same_v<std::remove_cvref_t<U>, Result> &&
             !std::is_same_v<std::remove_cvref_t<U>, Error>)
  Result(U&& value)  // NOLINT(google-explicit-constructor): mirrors std::expected
      : storage_(std::in_place_index<0>, std::forward<U>(value)) {}

  // An error (implicit, so `return Error{...};` works in any Result-returning function).
  Result(Error error)  // NOLINT(google-explicit-constructor)
      : storage_(std::in_place_index<1>, std::move(error)) {}

  bool has_value() const noexcept { return storage_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & {
    AV_CHECK(has_value());
    return std::get<0>(storage_);
  }
  const T& value() const& {
    AV_CHECK(has_value());
    return std::get<0>(storage_);
  }
  T&& value() && {
    AV_CHECK(has_value());
    return std::get<0>(std::move(storage_));
  }

  const Error& error() const& {
    AV_CHECK(!has_value());
    return std::get<1>(storage_);
  }
  Error&& error() && {
    AV_CHECK(!has_value());
    return std::get<1>(std::move(storage_));
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(storage_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Error> storage_;
};

// Result<void>: success, or an error. Default-constructed is success.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error)  // NOLINT(google-explicit-constructor)
      : error_(std::move(error)) {}

  bool has_value() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  void value() const { AV_CHECK(has_value()); }

  const Error& error() const& {
    AV_CHECK(!has_value());
    return *error_;
  }
  Error&& error() && {
    AV_CHECK(!has_value());
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

// ok() is the success Status, for `return ok();`.
inline Status ok() { return Status{}; }

}  // namespace av

#define AV_CONCAT_INNER_(a, b) a##b
#define AV_CONCAT_(a, b) AV_CONCAT_INNER_(a, b)

// AV_TRY(expr): evaluate a Result/Status; on error, return the error from the enclosing function.
#define AV_TRY(expr)                                 \
  do {                                               \
    auto&& av_try_result_ = (expr);                  \
    if (!av_try_result_) [[unlikely]] {              \
      return std::move(av_try_result_).error();      \
    }                                                \
  } while (false)

// AV_TRY_ASSIGN(decl, expr): evaluate a Result<T>; on error return it, else move the value into
// `decl` (a declaration such as `auto x` or an existing lvalue). Expands to two statements, so
// do not use it as the body of an unbraced if/else.
#define AV_TRY_ASSIGN(decl, expr) AV_TRY_ASSIGN_IMPL_(AV_CONCAT_(av_try_tmp_, __LINE__), decl, expr)
#define AV_TRY_ASSIGN_IMPL_(tmp, decl, expr)  \
  auto tmp = (expr);                          \
  if (!tmp) [[unlikely]] {                    \
    return std::move(tmp).error();            \
  }                                           \
  decl = std::move(tmp).value()
