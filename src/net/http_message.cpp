// http_message.cpp: helpers on HTTP message values.
#include "net/http_message.h"

#include "base/ascii.h"

namespace av::net {

std::optional<std::string_view> find_header(const std::vector<Header>& headers,
                                            std::string_view name) noexcept {
  for (const Header& header : headers) {
    if (ascii::iequals(header.name, name)) return std::string_view(header.value);
  }
  return std::nullopt;
}

}  // namespace av::net
