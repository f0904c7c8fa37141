// mux.h: the path semantics of Go's http.ServeMux, which upstream routes both credential servers
// with (spec §6.4, §6.5), for the fixed pattern tables of the ECS and EC2 handlers, plus the
// net/http reply shapes both handlers share (redirect, http.Error, JSON lines).
//
// A pattern ending in '/' matches its whole subtree ("/role-arn/" matches "/role-arn/x/y"); any
// other pattern matches only itself. The longest matching pattern wins. Before matching, the
// path is cleaned as Go's cleanPath does (path.Clean, keeping a trailing slash); a request is
// redirected (301) when
//   * the cleaned path does not match exactly but the cleaned path plus '/' is exactly a subtree
//     pattern ("/latest/meta-data/instance-id" → ".../instance-id/"), or
//   * the path as received is not clean ("//a/./b" → "/a/b").
// The query string is carried into the Location.
//
// Matching is on the path as received (percent-escapes undecoded); only the remainder of a
// subtree match is decoded, by the handler that wants it (decode_remainder). Go 1.22+ also
// unescapes each segment before comparing it with the pattern, so "/role%2Darn/x" reaches the
// /role-arn/ handler there and the default one here; no SDK escapes unreserved characters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "secure/secret.h"
#include "server/http.h"

namespace av::server::mux {

// clean_path returns `path` in Go's cleanPath form: rooted ("/" prepended if missing, "" → "/"),
// repeated slashes collapsed, "." segments dropped, each ".." dropping the segment before it
// (and nothing at the root), and a trailing slash kept when `path` had one. Never fails; the
// result is never longer than `path` plus one byte.
std::string clean_path(std::string_view path);

enum class Outcome : std::uint8_t { Matched, Redirect, NotFound };

// Resolution: what the mux decided for one request target.
struct Resolution {
  Outcome outcome = Outcome::NotFound;
  std::size_t route = 0;  // Matched: index into the pattern table
  std::string location;   // Redirect: where to (cleaned path, '?' and the query when non-empty)
};

// resolve applies the rules in the file comment to `target` (path plus optional "?query", as
// received) against `patterns`. A Matched target's path is exactly the path received (it was
// clean), so the handler may use RequestView::path() directly. Never fails.
Resolution resolve(std::span<const std::string_view> patterns, std::string_view target);

// decode_remainder returns the part of `path` after the subtree `pattern` (which `path` starts
// with), percent-decoded ('+' is a plus sign, as in a URL path). Errc::Parse when a '%' is not
// followed by two hex digits (Go refuses such a URL with 400 before any handler runs).
[[nodiscard]] Result<std::string> decode_remainder(std::string_view path, std::string_view pattern);

// write_redirect answers 301 with `Location: <location>`, as Go's http.Redirect does: for GET
// and HEAD `Content-Type: text/html; charset=utf-8`, for GET only the body
// `<a href="<location, HTML-escaped>">Moved Permanently</a>.\n\n` (Redirect's Fprintln adds the
// second newline), no body for other methods. Bytes outside printable ASCII in the location are
// sent %XX-escaped.
void write_redirect(const RequestView& request, std::string_view location, Reply& reply,
                    secure::SecretBytes& body);

// write_text_error answers like Go's http.Error: `status`, `Content-Type: text/plain;
// charset=utf-8`, `X-Content-Type-Options: nosniff`, body `message` plus "\n". `message` must
// not contain secrets.
void write_text_error(int status, std::string_view message, Reply& reply,
                      secure::SecretBytes& body);

// write_not_found is Go's NotFound handler: 404 with the body "404 page not found\n".
void write_not_found(Reply& reply, secure::SecretBytes& body);

// append_body appends `text` to the reply body; false if it does not fit (the caller then
// clears the body).
[[nodiscard]] bool append_body(secure::SecretBytes& body, std::string_view text);

// JsonField: one string member of a credentials object, plain text or a secret.
struct JsonField {
  std::string_view key;
  std::string_view text;                         // used when secret is null
  const secure::SecretString* secret = nullptr;  // borrowed for the call
};

// write_json_line renders `fields` in order as one compact JSON object followed by "\n", as Go's
// json.Encoder writes a map (HTML-safe escaping, codec/json/writer.h), into `body` (cleared
// first). The text is built in locked memory and never passes through a std::string. Errc::
// TooLarge (body left empty) when it does not fit in `body`.
[[nodiscard]] Status write_json_line(std::span<const JsonField> fields, secure::SecretBytes& body);

// render_json_line is write_json_line into a new locked buffer of exactly the line's size, for
// handlers that keep a rendered reply and copy it into each request's body. Errc::TooLarge only
// when the writer's bound is exceeded (it covers the worst-case escaping).
[[nodiscard]] Result<secure::SecretBytes> render_json_line(std::span<const JsonField> fields);

}  // namespace av::server::mux
