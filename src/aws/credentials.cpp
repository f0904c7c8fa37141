// credentials.cpp: Credentials::clone.
#include "aws/credentials.h"

namespace av::aws {

Credentials Credentials::clone() const {
  Credentials copy;
  copy.access_key_id = access_key_id;
  copy.secret_access_key = secret_access_key.clone();
  copy.session_token = session_token.clone();
  copy.expiration = expiration;
  return copy;
}

}  // namespace av::aws
