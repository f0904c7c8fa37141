// memory_keyring.cpp: the in-memory test keyring.
#include "keyring/memory_keyring.h"

#include <algorithm>
#include <utility>

namespace av::keyring {

const Item* MemoryKeyring::find(std::string_view key) const noexcept {
  for (const Item& item : items_) {
    if (item.key == key) return &item;
  }
  return nullptr;
}

Result<Item> MemoryKeyring::get(std::string_view key) {
  if (failure_) return Error(*failure_);
  const Item* item = find(key);
  if (item == nullptr) return not_found_error();
  return item->clone();
}

Result<Metadata> MemoryKeyring::get_metadata(std::string_view key) {
  if (failure_) return Error(*failure_);
  const Item* item = find(key);
  if (item == nullptr) return not_found_error();
  Metadata meta;
  meta.item = item->clone();
  meta.item->data = secure::SecretBytes();
  return meta;
}

Status MemoryKeyring::set(const Item& item) {
  if (failure_) return Error(*failure_);
  for (Item& existing : items_) {
    if (existing.key == item.key) {
      existing = item.clone();
      return ok();
    }
  }
  items_.push_back(item.clone());
  return ok();
}

Status MemoryKeyring::remove(std::string_view key) {
  if (failure_) return Error(*failure_);
  auto it = std::find_if(items_.begin(), items_.end(),
                         [key](const Item& item) { return item.key == key; });
  if (it == items_.end()) return not_found_error();
  items_.erase(it);
  return ok();
}

Result<std::vector<std::string>> MemoryKeyring::keys() {
  if (failure_) return Error(*failure_);
  std::vector<std::string> out;
  out.reserve(items_.size());
  for (const Item& item : items_) out.push_back(item.key);
  return out;
}

}  // namespace av::keyring
