// Fuzz target: keyring::parse_item_json over arbitrary bytes. Invariants: no crash or leak, and
// whatever parses re-serialises to a document that parses to the same item and serialises to the
// same bytes (the writer is a fixed point after one round).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "base/check.h"
#include "fuzz_target.h"
#include "keyring/item_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto item = av::keyring::parse_item_json(av::as_chars({data, size}));
  if (!item) return 0;
  auto json = av::keyring::serialize_item_json(*item);
  if (!json) return 0;  // a parsed Data can exceed what the writer allows
  auto again = av::keyring::parse_item_json(json->reveal());
  AV_CHECK(again.has_value());
  AV_CHECK(again->key == item->key && again->label == item->label);
  AV_CHECK(again->description == item->description);
  AV_CHECK(again->data.size() == item->data.size());
  auto json2 = av::keyring::serialize_item_json(*again);
  AV_CHECK(json2.has_value() && json2->reveal() == json->reveal());
  return 0;
}
