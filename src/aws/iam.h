// iam.h: the IAM operations aws-vault calls (login: GetUser; rotate: ListAccessKeys,
// CreateAccessKey, DeleteAccessKey), over the Query protocol (spec §4.3, §8).
#pragma once

#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "aws/query.h"
#include "aws/responses.h"
#include "base/result.h"

namespace av::aws {

// kIamVersion: the IAM API version of every request.
inline constexpr std::string_view kIamVersion = "2010-05-08";

// IamClient: IAM at one endpoint (resolve_endpoint(Service::Iam)). Borrows `client`.
// `user_name` arguments may be empty: IAM then acts on the signing user.
// Errors: QueryClient::call's and the response parser's.
class IamClient {
 public:
  IamClient(QueryClient& client, Endpoint endpoint);

  [[nodiscard]] Result<IamUser> get_user(const Credentials& signer, std::string_view user_name = {});
  [[nodiscard]] Result<AccessKeyList> list_access_keys(const Credentials& signer,
                                                       std::string_view user_name = {});
  [[nodiscard]] Result<NewAccessKey> create_access_key(const Credentials& signer,
                                                       std::string_view user_name = {});
  // delete_access_key returns the request id.
  [[nodiscard]] Result<std::string> delete_access_key(const Credentials& signer,
                                                      std::string_view access_key_id,
                                                      std::string_view user_name = {});

 private:
  QueryClient& client_;
  Endpoint endpoint_;
};

}  // namespace av::aws
