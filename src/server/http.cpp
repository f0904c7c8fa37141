// http.cpp: the small helpers of server/http.h (header lookup, path, reason phrases).
#include "server/http.h"

#include "base/ascii.h"

namespace av::server {

std::optional<std::string_view> RequestView::header(std::string_view name) const noexcept {
  for (const HeaderView& h : headers) {
    if (ascii::iequals(h.name, name)) return h.value;
  }
  return std::nullopt;
}

std::string_view RequestView::path() const noexcept { return target.substr(0, target.find('?')); }

std::string_view status_reason(int status) noexcept {
  // RFC 9110 §15 reason phrases (the ones Go's net/http StatusText also uses).
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 411:
      return "Length Required";
    case 413:
      return "Request Entity Too Large";
    case 414:
      return "Request URI Too Long";
    case 417:
      return "Expectation Failed";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

}  // namespace av::server
