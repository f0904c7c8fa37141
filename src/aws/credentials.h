// credentials.h: a set of AWS credentials as the signing and STS layers see them.
//
// The access key id is not secret (it appears in CloudTrail and in `aws-vault list`); the secret
// access key and the session token are, so they live in locked memory. `expiration` is absent for
// long-term IAM user keys.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "secure/secret.h"

namespace av::aws {

struct Credentials {
  std::string access_key_id;
  secure::SecretString secret_access_key;
  secure::SecretString session_token;  // empty for long-term keys
  std::optional<std::chrono::system_clock::time_point> expiration;

  bool has_session_token() const noexcept { return !session_token.empty(); }
  // clone copies every field, the secrets into new locked memory.
  Credentials clone() const;
};

}  // namespace av::aws
