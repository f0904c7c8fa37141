// mux.cpp: Go http.ServeMux path cleaning, matching and redirects (mux.h).
//
// The pattern tables are a handful of fixed strings, so matching is a linear scan for the longest
// match. Paths are bounded by the request-line limit (limits::kMaxServerRequestLine), so the
// segment vector in clean_path is bounded too.
#include "server/mux.h"

#include <optional>
#include <vector>

#include "codec/json/writer.h"
#include "codec/percent.h"

namespace av::server::mux {
namespace {

constexpr std::string_view kTextPlain = "text/plain; charset=utf-8";
constexpr std::string_view kTextHtml = "text/html; charset=utf-8";

// longest_match returns the index of the longest pattern matching `path`, if any.
std::optional<std::size_t> longest_match(std::span<const std::string_view> patterns,
                                         std::string_view path) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    const std::string_view pattern = patterns[i];
    const bool subtree = !pattern.empty() && pattern.back() == '/';
    const bool hit = subtree ? path.starts_with(pattern) : path == pattern;
    if (hit && (!best || pattern.size() > patterns[*best].size())) best = i;
  }
  return best;
}

// with_query appends "?query" when the query is non-empty (Go's url.URL.String()).
std::string with_query(std::string path, std::string_view query) {
  if (!query.empty()) {
    path += '?';
    path += query;
  }
  return path;
}

// escape_location %XX-escapes bytes outside printable ASCII, so a Location header can carry
// neither a line break nor raw non-ASCII (Go's hexEscapeNonASCII; the parser already refuses
// control characters, this is defence in depth).
std::string escape_location(std::string_view location) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(location.size());
  for (const char c : location) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

// html_escape is Go's htmlEscape (the replacer in net/http/server.go).
std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&#34;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string clean_path(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> segments;
  std::size_t pos = 0;
  while (true) {
    const std::size_t slash = path.find('/', pos);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    const std::string_view segment = path.substr(pos, end - pos);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  std::string out;
  out.reserve(path.size() + 1);
  for (const std::string_view segment : segments) {
    out += '/';
    out += segment;
  }
  if (out.empty()) return "/";
  if (path.back() == '/') out += '/';
  return out;
}

Resolution resolve(std::span<const std::string_view> patterns, std::string_view target) {
  const std::size_t question = target.find('?');
  const std::string_view raw = target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
  const std::string cleaned = clean_path(raw);
  const std::optional<std::size_t> match = longest_match(patterns, cleaned);

  // Go's matchOrRedirect: "/tree" redirects to "/tree/" when that is exactly a subtree pattern
  // and "/tree" itself has no exact match (a subtree's own root counts as exact).
  const bool exact = match && patterns[*match] == cleaned;
  if (!exact && cleaned.back() != '/') {
    std::string slashed = cleaned + '/';
    const std::optional<std::size_t> slashed_match = longest_match(patterns, slashed);
    if (slashed_match && patterns[*slashed_match] == slashed) {
      return {Outcome::Redirect, 0, with_query(std::move(slashed), query)};
    }
  }
  if (cleaned != raw) return {Outcome::Redirect, 0, with_query(cleaned, query)};
  if (!match) return {Outcome::NotFound, 0, {}};
  return {Outcome::Matched, *match, {}};
}

Result<std::string> decode_remainder(std::string_view path, std::string_view pattern) {
  AV_CHECK(path.starts_with(pattern));
  auto decoded = codec::decode_percent(path.substr(pattern.size()), codec::PlusMode::Literal);
  if (!decoded) return std::move(decoded).error().with_context("decoding the path");
  return decoded;
}

void write_redirect(const RequestView& request, std::string_view location, Reply& reply,
                    secure::SecretBytes& body) {
  const std::string escaped = escape_location(location);
  reply.status = 301;
  reply.headers.emplace_back("Location", escaped);
  const bool get = request.method == "GET";
  if (get || request.method == "HEAD") reply.content_type = kTextHtml;
  if (get) {
    const std::string html = "<a href=\"" + html_escape(escaped) + "\">Moved Permanently</a>.\n\n";
    // A few hundred bytes at most; a body buffer too small for it is left empty.
    if (!append_body(body, html)) body.resize(0);
  }
}

void write_text_error(int status, std::string_view message, Reply& reply,
                      secure::SecretBytes& body) {
  reply.status = status;
  reply.content_type = kTextPlain;
  reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
  body.resize(0);
  if (!append_body(body, message) || !append_body(body, "\n")) body.resize(0);
}

void write_not_found(Reply& reply, secure::SecretBytes& body) {
  write_text_error(404, "404 page not found", reply, body);
}

bool append_body(secure::SecretBytes& body, std::string_view text) {
  return body.append(as_bytes(text)).has_value();
}

Result<secure::SecretBytes> render_json_line(std::span<const JsonField> fields) {
  // Go escapes one byte to at most six ("\u00XX", "\ufffd"); keys, quotes and separators fit
  // in the per-field slack.
  std::size_t max_len = 2;
  for (const JsonField& field : fields) {
    const std::size_t value_len = field.secret ? field.secret->size() : field.text.size();
    max_len += 6 * (field.key.size() + value_len) + 8;
  }
  codec::json::SecretWriter writer(codec::json::Style::Compact, max_len);
  AV_TRY(writer.begin_object());
  for (const JsonField& field : fields) {
    AV_TRY(writer.key(field.key));
    AV_TRY(field.secret ? writer.value_secret(*field.secret) : writer.value_string(field.text));
  }
  AV_TRY(writer.end_object());
  const secure::SecretString json = std::move(writer).finish();
  secure::SecretBytes line(json.size() + 1);
  AV_TRY(line.append(json.reveal_bytes()));
  AV_TRY(line.append(as_bytes(std::string_view("\n"))));
  return line;
}

Status write_json_line(std::span<const JsonField> fields, secure::SecretBytes& body) {
  AV_TRY_ASSIGN(const secure::SecretBytes line, render_json_line(fields));
  body.resize(0);
  if (!body.append(line.reveal())) {
    body.resize(0);
    return Error(Errc::TooLarge, "credentials do not fit in the reply buffer");
  }
  return ok();
}

}  // namespace av::server::mux
