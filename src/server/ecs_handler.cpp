// ecs_handler.cpp: the ECS container-credentials endpoint (spec §6.4, ecs_handler.h).
//
// Order of checks, as upstream wraps its router in the token check: Authorization first (403),
// then Go ServeMux routing (301 for unclean paths and for "/role-arn"), then the credentials.
//
// Authorization: the presented value and the token are both hashed with SHA-256 and the 32-byte
// digests compared with ct::equal. ct::equal is constant time only for equal lengths, and the
// presented value can have any length; comparing digests makes the comparison independent of
// both the token's bytes and its length (hashing the presented value takes time depending only
// on its own, attacker-known, length). Equal digests mean equal strings (SHA-256 collision
// resistance).
//
// Bodies: the success JSON carries the secret access key and session token, so it is rendered
// by the secret JSON writer into locked memory (mux::render_json_line); no std::string ever holds
// it. Locked memory is expensive to allocate (mmap, mlock, guard pages), so the rendered body is
// kept per cache and re-rendered only when the cache fetched new credentials (its generation
// changed); a request just copies it into the connection's reusable locked body buffer, with no
// allocation and no copy of the credentials. The Expiration in it depends only on the
// credentials, so the kept body is exactly what rendering per request would give. Error texts
// (fetcher errors) never contain secrets (STYLE.md §3.4).
//
// Role caches: one CredentialCache per decoded ARN, created on the first request for it and kept
// only if that first fetch succeeds (so failing ARNs cannot fill the table). Once
// kMaxEcsRoleCaches ARNs are cached, a new ARN is answered with 500 rather than evicting one:
// eviction would let a client cycle ARNs into unbounded AssumeRole calls, and 64 distinct roles
// in one exec session is far beyond real use (docs/COMPATIBILITY.md).
#include "server/ecs_handler.h"

#include <algorithm>
#include <array>
#include <utility>

#include "codec/iso8601.h"
#include "codec/json/writer.h"
#include "crypto/random.h"
#include "crypto/secret_codec.h"
#include "crypto/sha256.h"
#include "secure/ct.h"
#include "server/mux.h"

namespace av::server {
namespace {

constexpr std::string_view kJsonContentType = "application/json; charset=utf-8";
// What Go's content sniffing picks for the JSON body upstream writes without a Content-Type.
constexpr std::string_view kSniffedContentType = "text/plain; charset=utf-8";
// Go's zero time.Time through iso8601.Format: the Expiration of credentials that never expire.
constexpr std::string_view kZeroTime = "0001-01-01T00:00:00Z";
// Error texts longer than this are cut before escaping (they are a few hundred bytes).
constexpr std::size_t kMaxMessageBytes = 4096;
constexpr std::size_t kEcsTokenBytes = 30;

constexpr std::array<std::string_view, 2> kRoutes = {"/", "/role-arn/"};
constexpr std::size_t kRoleRoute = 1;

// write_json_message answers `status` with `{"Message":"<message>"}\n` (upstream's
// writeErrorMessage).
void write_json_message(int status, std::string_view message, Reply& reply,
                        secure::SecretBytes& body) {
  message = message.substr(0, kMaxMessageBytes);
  codec::json::Writer writer(codec::json::Style::Compact, 6 * kMaxMessageBytes + 64);
  const bool written = writer.begin_object() && writer.key("Message") &&
                       writer.value_string(message) && writer.end_object();
  AV_CHECK(written);  // the maximum covers the worst-case escaping of the capped message
  const std::string json = std::move(writer).finish();
  reply.status = status;
  reply.content_type = kJsonContentType;
  body.resize(0);
  if (!mux::append_body(body, json) || !mux::append_body(body, "\n")) body.resize(0);
}

std::string format_expiration(const aws::Credentials& creds) {
  if (!creds.expiration) return std::string(kZeroTime);
  return codec::format_rfc3339_utc(*creds.expiration);
}

// render_credentials renders {"AccessKeyId","Expiration","SecretAccessKey","Token"} in that
// order (Go's json.Encoder sorts map keys).
Result<secure::SecretBytes> render_credentials(const aws::Credentials& creds) {
  const std::string expiration = format_expiration(creds);
  const std::array<mux::JsonField, 4> fields = {{
      {"AccessKeyId", creds.access_key_id},
      {"Expiration", expiration},
      {"SecretAccessKey", {}, &creds.secret_access_key},
      {"Token", {}, &creds.session_token},
  }};
  return mux::render_json_line(fields);
}

}  // namespace

EcsHandler::EcsHandler(secure::SecretString token, CredentialCache& base, RoleFetcherFactory roles,
                       const platform::Clock& clock)
    : token_(std::move(token)), base_(base), roles_(std::move(roles)), clock_(clock) {
  crypto::Sha256Digest digest = crypto::sha256(token_.reveal_bytes());
  std::copy(digest.begin(), digest.end(), token_digest_.reveal_mutable().begin());
  secure::wipe(digest);
}

bool EcsHandler::authorized(const RequestView& request) const {
  const std::optional<std::string_view> presented = request.header("Authorization");
  // An empty token would accept an empty header: fail closed (a bug, make_ecs_token never
  // returns one).
  if (!presented || token_.empty()) return false;
  const crypto::Sha256Digest digest = crypto::sha256(as_bytes(*presented));
  return ct::equal(ByteSpan(digest), ByteSpan(token_digest_.reveal()));
}

Status EcsHandler::serve_cached(CredentialCache& cache, RenderedReply& rendered, Reply& reply,
                                secure::SecretBytes& body) {
  Status copied = ok();
  const Status served = cache.serve([&](const aws::Credentials& creds, std::uint64_t generation) {
    if (rendered.generation != generation) {
      rendered.generation = 0;  // a failed render is retried on the next request
      Result<secure::SecretBytes> line = render_credentials(creds);
      if (!line) {
        copied = std::move(line).error();
        return;
      }
      rendered.body = std::move(line).value();
      rendered.generation = generation;
    }
    body.resize(0);
    if (!body.append(rendered.body.reveal())) {
      body.resize(0);
      copied = Error(Errc::TooLarge, "credentials do not fit in the reply buffer");
    }
  });
  if (!served) {
    write_json_message(500, served.error().message(), reply, body);
    return served;
  }
  if (!copied) {
    write_json_message(500, copied.error().message(), reply, body);
    return ok();
  }
  reply.status = 200;
  reply.content_type = kSniffedContentType;
  return ok();
}

void EcsHandler::serve_role(const std::string& role_arn, Reply& reply,
                            secure::SecretBytes& body) {
  // Held across the fetch: requests are served one at a time anyway (http_server.h), and the
  // lock keeps the table consistent should that change.
  const std::lock_guard<std::mutex> lock(roles_mutex_);
  const auto found = role_caches_.find(role_arn);
  if (found != role_caches_.end()) {
    (void)serve_cached(*found->second.cache, found->second.rendered, reply, body);
    return;
  }
  if (role_caches_.size() >= kMaxEcsRoleCaches) {
    return write_json_message(
        500, "too many role ARNs: this server serves at most " + std::to_string(kMaxEcsRoleCaches),
        reply, body);
  }
  RoleEntry entry{std::make_unique<CredentialCache>(roles_(role_arn), clock_), {}};
  if (serve_cached(*entry.cache, entry.rendered, reply, body)) {
    role_caches_.emplace(role_arn, std::move(entry));
  }
}

void EcsHandler::handle(const RequestView& request, const Peer& /*peer*/, Reply& reply,
                        secure::SecretBytes& body) {
  if (!authorized(request)) {
    return write_json_message(403, "invalid Authorization token", reply, body);
  }
  const mux::Resolution resolution = mux::resolve(kRoutes, request.target);
  if (resolution.outcome == mux::Outcome::Redirect) {
    return mux::write_redirect(request, resolution.location, reply, body);
  }
  if (resolution.outcome == mux::Outcome::NotFound) {
    return mux::write_not_found(reply, body);  // unreachable: "/" matches every clean path
  }
  if (resolution.route != kRoleRoute) {
    (void)serve_cached(base_, base_rendered_, reply, body);
    return;
  }

  // Upstream: strings.TrimPrefix(r.URL.Path, "/role-arn/"), Path being the decoded path.
  const Result<std::string> role_arn = mux::decode_remainder(request.path(), kRoutes[kRoleRoute]);
  if (!role_arn) return write_json_message(400, role_arn.error().message(), reply, body);
  serve_role(*role_arn, reply, body);
}

Result<secure::SecretString> make_ecs_token() {
  secure::SecretArray<kEcsTokenBytes> raw;
  AV_TRY(crypto::system_random().fill(raw.reveal_mutable()));
  // The constant-time encoder writes straight into locked memory (codec/base64 would go through
  // a std::string).
  return crypto::encode_base64_secret(raw.reveal(), crypto::Base64Variant::UrlUnpadded);
}

}  // namespace av::server
