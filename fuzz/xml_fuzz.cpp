// Fuzz target: codec::xml::Reader over arbitrary bytes. Invariants: reading never crashes and
// always terminates (every event consumes input or closes an element); reading secret-named
// elements with read_secret_text accepts a document only if the plain event walk accepts it too.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "base/check.h"
#include "codec/xml/xml_reader.h"
#include "fuzz_target.h"

namespace {

// walk drains the document; with `secrets`, SessionToken/SecretAccessKey are read as secrets.
bool walk(std::string_view doc, bool secrets) {
  av::codec::xml::Reader reader(doc);
  // Each event consumes at least one byte except EndElement after a self-closing tag.
  for (std::size_t i = 0; i <= 2 * doc.size() + 2; ++i) {
    auto event = reader.next();
    if (!event) return false;
    if (event->kind == av::codec::xml::EventKind::EndOfDocument) return true;
    if (!secrets || event->kind != av::codec::xml::EventKind::StartElement) continue;
    const std::string_view name = event->local_name();
    if (name == "SessionToken" || name == "SecretAccessKey") {
      auto secret = reader.read_secret_text();
      if (!secret) return false;
    }
  }
  AV_CHECK(false);  // no termination within the bound
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view doc = av::as_chars({data, size});
  const bool plain = walk(doc, false);
  const bool secret = walk(doc, true);
  AV_CHECK(plain || !secret);
  return 0;
}
