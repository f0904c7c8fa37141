// ecs_handler.h: the ECS container-credentials endpoint (spec §6.4) as a Handler.
//
// Every request must carry `Authorization: <token>` exactly; the comparison is constant time
// (secure/ct.h). Routes: `/role-arn/<ARN>` → AssumeRole of the URL-decoded ARN (one cache per
// ARN, at most kMaxEcsRoleCaches); every other path → the profile's credentials. Unclean paths get
// Go ServeMux's 301 to the cleaned path. Bodies exactly as §6.4 (200 JSON with keys AccessKeyId,
// Expiration, SecretAccessKey, Token; 403/500 `{"Message":"..."}\n` with the JSON content type).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "platform/clock.h"
#include "secure/secret.h"
#include "server/credential_cache.h"
#include "server/http.h"

namespace av::server {

inline constexpr std::size_t kMaxEcsRoleCaches = 64;

// RoleFetcherFactory makes the fetcher for one role ARN (AssumeRole with the base credentials).
using RoleFetcherFactory = std::function<Fetcher(const std::string& role_arn)>;

class EcsHandler final : public Handler {
 public:
  // `token` is the 40-character Authorization value; `base` serves every path but /role-arn/.
  EcsHandler(secure::SecretString token, CredentialCache& base, RoleFetcherFactory roles,
             const platform::Clock& clock);

  void handle(const RequestView& request, const Peer& peer, Reply& reply,
              secure::SecretBytes& body) override;

 private:
  // RenderedReply: one cache's 200 body, rendered once per credentials generation
  // (CredentialCache::serve) and copied into each request's body. Touched only inside that
  // cache's serve() callback, so the cache's lock guards it.
  struct RenderedReply {
    std::uint64_t generation = 0;  // 0: nothing rendered
    secure::SecretBytes body;
  };
  struct RoleEntry {
    std::unique_ptr<CredentialCache> cache;
    RenderedReply rendered;
  };

  bool authorized(const RequestView& request) const;
  void serve_role(const std::string& role_arn, Reply& reply, secure::SecretBytes& body);
  // serve_cached answers with `cache`'s credentials (200) or its error (500); the status is the
  // cache's (whether credentials could be had), not whether they fit in `body`.
  static Status serve_cached(CredentialCache& cache, RenderedReply& rendered, Reply& reply,
                             secure::SecretBytes& body);

  secure::SecretString token_;
  // SHA-256 of token_: the Authorization check compares digests, so its time does not depend on
  // the token's length either (ecs_handler.cpp).
  secure::SecretArray<32> token_digest_;
  CredentialCache& base_;
  RenderedReply base_rendered_;
  RoleFetcherFactory roles_;
  const platform::Clock& clock_;
  std::mutex roles_mutex_;
  std::map<std::string, RoleEntry> role_caches_;
};

// make_ecs_token returns 30 random bytes as unpadded URL-safe base64 (40 characters), §6.4.
Result<secure::SecretString> make_ecs_token();

}  // namespace av::server
