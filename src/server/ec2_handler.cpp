// ec2_handler.cpp: EC2 instance-metadata emulation (spec §6.5, ec2_handler.h).
//
// Order of checks: the §6.5 filter (loopback peer, then Host: 401 with Go http.Error bodies);
// then PUT /latest/api/token (IMDSv2 session tokens); then the session token of every other
// request (401 when present but not live, or absent under require_imdsv2); then Go ServeMux
// routing (301/404); then the method; then the route.
//
// Decisions (docs/COMPATIBILITY.md):
// * IMDSv2: upstream has none (its mux answers 404 to PUT /latest/api/token, so SDKs fall back
//   to IMDSv1). We implement the token flow as real IMDS does, so SDKs configured to require
//   IMDSv2 work. Tokens are 32 random bytes in unpadded base64url, held in locked memory, compared
//   with ct::equal against every live token (all are 43 characters, so the length-dependent time
//   of ct::equal reveals nothing); expired tokens are dropped, and beyond kMaxImdsTokens the oldest
//   goes first.
// * Methods: upstream's mux serves any method. Real IMDS answers 405 to anything but GET/HEAD on
//   metadata paths (and to anything but PUT on the token path); we do the same, with an Allow
//   header, so the emulation does not accept what the real service refuses. Unknown paths are 404
//   whatever the method, as with Go's mux.
// * Timestamps: upstream formats Expiration and LastUpdated in the zone the time.Time carries
//   (LastUpdated is local time); we write both in UTC as the spec says (same instant, RFC 3339).
// * The Host in `Access denied for host '<host>'` is escaped (control characters, invalid UTF-8)
//   and cut at kMaxEchoedHostBytes; upstream echoes it raw.
// * The region document JSON-escapes the region (identical for every real region name).
//
// Credentials reply: locked memory is expensive to allocate (mmap, mlock, guard pages), so the
// JSON is rendered into it once per credentials generation (CredentialCache::serve) with an empty
// LastUpdated, and each request copies the two halves into the connection's reusable locked body
// buffer around the current time: the same bytes as rendering per request, with no allocation
// and no copy of the credentials.
#include "server/ec2_handler.h"

#include <array>
#include <optional>
#include <utility>

#include "base/ascii.h"
#include "base/log.h"
#include "base/text_reader.h"
#include "codec/go_duration.h"
#include "codec/iso8601.h"
#include "codec/json/writer.h"
#include "crypto/random.h"
#include "crypto/secret_codec.h"
#include "secure/ct.h"
#include "server/mux.h"

namespace av::server {
namespace {

using TimePoint = std::chrono::system_clock::time_point;

constexpr std::string_view kTextPlain = "text/plain; charset=utf-8";
constexpr std::string_view kImdsHost = "169.254.169.254";
constexpr std::string_view kImdsHostPort = "169.254.169.254:80";
constexpr std::string_view kTokenHeader = "X-aws-ec2-metadata-token";
constexpr std::string_view kTtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";
// Real IMDS accepts session-token TTLs from 1 second to 6 hours.
constexpr std::uint64_t kMaxImdsTokenTtlSeconds = 21'600;
constexpr std::size_t kImdsTokenBytes = 32;
// The untrusted Host echoed in a 401 body is cut at this many bytes before escaping.
constexpr std::size_t kMaxEchoedHostBytes = 256;
constexpr std::string_view kZeroTime = "0001-01-01T00:00:00Z";

constexpr std::array<std::string_view, 6> kRoutes = {
    "/latest/meta-data/iam/security-credentials/",
    "/latest/meta-data/iam/security-credentials/local-credentials",
    "/latest/meta-data/instance-id/",
    "/latest/meta-data/iam/info/",
    "/latest/dynamic/instance-identity/document",
    "/latest/api/token",
};
constexpr std::size_t kCredentialsListRoute = 0;
constexpr std::size_t kCredentialsRoute = 1;
constexpr std::size_t kInstanceIdRoute = 2;
constexpr std::size_t kIamInfoRoute = 3;
constexpr std::size_t kIdentityDocumentRoute = 4;
constexpr std::size_t kTokenRoute = 5;

void write_text(std::string_view text, Reply& reply, secure::SecretBytes& body) {
  reply.status = 200;
  reply.content_type = kTextPlain;
  body.resize(0);
  if (!mux::append_body(body, text)) {
    mux::write_text_error(500, "reply does not fit in the reply buffer", reply, body);
  }
}

void write_method_not_allowed(std::string_view allow, Reply& reply, secure::SecretBytes& body) {
  reply.headers.emplace_back("Allow", std::string(allow));
  mux::write_text_error(405, "Method Not Allowed", reply, body);
}

std::string escaped_host(std::string_view host) {
  if (host.size() <= kMaxEchoedHostBytes) return ascii::escape_for_terminal(host);
  return ascii::escape_for_terminal(host.substr(0, kMaxEchoedHostBytes)) + "...";
}

// parse_ttl reads the TTL header: decimal digits only, 1..21600.
std::optional<std::uint64_t> parse_ttl(std::optional<std::string_view> text) {
  if (!text) return std::nullopt;
  TextReader reader(*text);
  const Result<std::uint64_t> ttl = reader.read_uint(kMaxImdsTokenTtlSeconds);
  if (!ttl || !reader.expect_end() || *ttl == 0) return std::nullopt;
  return *ttl;
}

std::string format_time(std::optional<TimePoint> t) {
  return t ? codec::format_rfc3339_utc(*t) : std::string(kZeroTime);
}

// log_serving is upstream's debug line, with the access key id masked.
void log_serving(const aws::Credentials& creds, TimePoint now) {
  if (!log::debug_enabled()) return;
  const std::string_view id = creds.access_key_id;
  std::string line = "Serving credentials via http ****************" +
                     std::string(id.size() >= 4 ? id.substr(id.size() - 4) : std::string_view{}) +
                     ", expiration of " + format_time(creds.expiration);
  if (creds.expiration) line += " (" + codec::format_go_duration(*creds.expiration - now) + ")";
  log::debug(line);
}

}  // namespace

Ec2Handler::Ec2Handler(CredentialCache& credentials, Ec2Options options,
                       const platform::Clock& clock)
    : credentials_(credentials), options_(std::move(options)), clock_(clock) {}

void Ec2Handler::handle(const RequestView& request, const Peer& peer, Reply& reply,
                        secure::SecretBytes& body) {
  // §6.5 filter: other hosts on the segment could route to 169.254.169.254 through us, and a
  // DNS-rebound page would send its own Host.
  if (!peer.loopback) {
    return mux::write_text_error(401, "Access denied from non-localhost address", reply, body);
  }
  const std::string_view host = request.header("Host").value_or(std::string_view{});
  if (host != kImdsHost && host != kImdsHostPort) {
    return mux::write_text_error(401, "Access denied for host '" + escaped_host(host) + "'", reply,
                                 body);
  }

  const mux::Resolution resolution = mux::resolve(kRoutes, request.target);
  const bool matched = resolution.outcome == mux::Outcome::Matched;
  if (matched && resolution.route == kTokenRoute) return issue_token(request, reply, body);

  const Session session = check_session(request);
  if (session == Session::Invalid) {
    return mux::write_text_error(401, "invalid or expired X-aws-ec2-metadata-token", reply, body);
  }
  if (session == Session::Absent && options_.require_imdsv2) {
    return mux::write_text_error(401, "missing X-aws-ec2-metadata-token: IMDSv2 is required", reply,
                                 body);
  }

  if (resolution.outcome == mux::Outcome::Redirect) {
    return mux::write_redirect(request, resolution.location, reply, body);
  }
  if (!matched) return mux::write_not_found(reply, body);
  if (request.method != "GET" && request.method != "HEAD") {
    return write_method_not_allowed("GET, HEAD", reply, body);
  }
  serve_route(resolution.route, reply, body);
}

void Ec2Handler::serve_route(std::size_t route, Reply& reply, secure::SecretBytes& body) {
  switch (route) {
    case kCredentialsListRoute:
      return write_text("local-credentials", reply, body);
    case kCredentialsRoute:
      return serve_credentials(reply, body);
    case kInstanceIdRoute:
      return write_text("aws-vault", reply, body);
    case kIamInfoRoute:
      return write_text(R"({"Code" : "Success"})", reply, body);
    case kIdentityDocumentRoute: {
      codec::json::Writer quoted(codec::json::Style::Compact, 6 * options_.region.size() + 16);
      AV_CHECK(quoted.value_string(options_.region).has_value());
      return write_text("{\"region\": " + std::move(quoted).finish() + "}", reply, body);
    }
    default:
      AV_CHECK(false);  // every other route is handled before serve_route
  }
}

void Ec2Handler::serve_credentials(Reply& reply, secure::SecretBytes& body) {
  // What precedes LastUpdated's value in the rendered JSON. It can only be the key: inside a
  // string value every '"' is escaped, so `":"` cannot occur there.
  static constexpr std::string_view kLastUpdatedKey = "\"LastUpdated\":\"";
  const TimePoint now = clock_.now();
  const std::string last_updated = format_time(now);
  Status copied = ok();
  const Status served = credentials_.serve([&](const aws::Credentials& creds,
                                               std::uint64_t generation) {
    log_serving(creds, now);
    if (rendered_.generation != generation) {
      rendered_.generation = 0;  // a failed render is retried on the next request
      const std::string expiration = format_time(creds.expiration);
      // Go's sorted-map key order.
      const std::array<mux::JsonField, 7> fields = {{
          {"AccessKeyId", creds.access_key_id},
          {"Code", "Success"},
          {"Expiration", expiration},
          {"LastUpdated", ""},
          {"SecretAccessKey", {}, &creds.secret_access_key},
          {"Token", {}, &creds.session_token},
          {"Type", "AWS-HMAC"},
      }};
      Result<secure::SecretBytes> json = mux::render_json_line(fields);
      if (!json) {
        copied = std::move(json).error();
        return;
      }
      const std::string_view text = as_chars(json->reveal());
      const std::size_t key = text.find(kLastUpdatedKey);
      AV_CHECK(key != std::string_view::npos);
      rendered_.split = key + kLastUpdatedKey.size();
      rendered_.json = std::move(json).value();
      rendered_.generation = generation;
    }
    const ByteSpan json = rendered_.json.reveal();
    body.resize(0);
    if (!body.append(json.first(rendered_.split)) || !mux::append_body(body, last_updated) ||
        !body.append(json.subspan(rendered_.split))) {
      body.resize(0);
      copied = Error(Errc::TooLarge, "credentials do not fit in the reply buffer");
    }
  });
  // Upstream answers a failed retrieval with 504 and the error text.
  if (!served) return mux::write_text_error(504, served.error().message(), reply, body);
  if (!copied) return mux::write_text_error(500, copied.error().message(), reply, body);
  reply.status = 200;
  reply.content_type = kTextPlain;
}

void Ec2Handler::issue_token(const RequestView& request, Reply& reply, secure::SecretBytes& body) {
  if (request.method != "PUT") return write_method_not_allowed("PUT", reply, body);
  // Real IMDS refuses token requests that went through a proxy (X-Forwarded-For present).
  if (request.header("X-Forwarded-For"))
    return mux::write_text_error(403, "Forbidden", reply, body);
  const std::optional<std::uint64_t> ttl = parse_ttl(request.header(kTtlHeader));
  if (!ttl) {
    return mux::write_text_error(400, "X-aws-ec2-metadata-token-ttl-seconds must be 1 to 21600",
                                 reply, body);
  }
  secure::SecretArray<kImdsTokenBytes> raw;
  if (const Status filled = crypto::system_random().fill(raw.reveal_mutable()); !filled) {
    return mux::write_text_error(500, filled.error().message(), reply, body);
  }
  secure::SecretString token =
      crypto::encode_base64_secret(raw.reveal(), crypto::Base64Variant::UrlUnpadded);
  body.resize(0);
  if (!body.append(token.reveal_bytes())) {
    return mux::write_text_error(500, "token does not fit in the reply buffer", reply, body);
  }
  const TimePoint now = clock_.now();
  {
    const std::lock_guard<std::mutex> lock(tokens_mutex_);
    drop_expired(now);
    while (tokens_.size() >= kMaxImdsTokens) tokens_.pop_front();
    tokens_.push_back({std::move(token), now + std::chrono::seconds(*ttl)});
  }
  reply.status = 200;
  reply.content_type = "text/plain";  // what real IMDS sends
  reply.headers.emplace_back(std::string(kTtlHeader), std::to_string(*ttl));
}

Ec2Handler::Session Ec2Handler::check_session(const RequestView& request) {
  const std::optional<std::string_view> presented = request.header(kTokenHeader);
  if (!presented) return Session::Absent;
  const std::lock_guard<std::mutex> lock(tokens_mutex_);
  drop_expired(clock_.now());
  bool live = false;
  // Every live token is compared, so the time does not depend on which one matched.
  for (const ImdsToken& token : tokens_) {
    live = ct::equal(as_bytes(*presented), token.value.reveal_bytes()) || live;
  }
  return live ? Session::Valid : Session::Invalid;
}

void Ec2Handler::drop_expired(TimePoint now) {
  std::erase_if(tokens_, [now](const ImdsToken& token) { return now >= token.expires; });
}

}  // namespace av::server
