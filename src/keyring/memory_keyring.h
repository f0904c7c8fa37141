// memory_keyring.h: an in-memory Keyring for tests of the layers above the backends.
//
// Keys are listed in insertion order (a replaced item keeps its place). get and remove of a
// missing key give not_found_error(). fail_with() makes every later call fail with a given error,
// to test callers' error paths. Items are held in secure memory like any other secret.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyring/keyring.h"

namespace av::keyring {

class MemoryKeyring final : public Keyring {
 public:
  Result<Item> get(std::string_view key) override;
  // get_metadata returns the item without data and a zero modification time.
  Result<Metadata> get_metadata(std::string_view key) override;
  Status set(const Item& item) override;
  Status remove(std::string_view key) override;
  Result<std::vector<std::string>> keys() override;

  // fail_with makes every operation return a copy of `error` until clear_failure().
  void fail_with(Error error) { failure_.emplace(std::move(error)); }
  void clear_failure() noexcept { failure_.reset(); }
  // size is the number of stored items.
  std::size_t size() const noexcept { return items_.size(); }

 private:
  const Item* find(std::string_view key) const noexcept;

  std::vector<Item> items_;
  std::optional<Error> failure_;
};

}  // namespace av::keyring
