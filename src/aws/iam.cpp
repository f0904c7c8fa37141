// iam.cpp: IAM requests (see iam.h).
#include "aws/iam.h"

namespace av::aws {

namespace {

QueryRequest iam_request(std::string_view action, std::string_view user_name) {
  QueryRequest r;
  r.service_name = "IAM";
  r.action = action;
  r.version = kIamVersion;
  if (!user_name.empty()) r.params.push_back({"UserName", std::string(user_name)});
  return r;
}

}  // namespace

IamClient::IamClient(QueryClient& client, Endpoint endpoint)
    : client_(client), endpoint_(std::move(endpoint)) {}

Result<IamUser> IamClient::get_user(const Credentials& signer, std::string_view user_name) {
  AV_TRY_ASSIGN(const secure::SecretBytes body,
                client_.call(endpoint_, iam_request("GetUser", user_name), &signer));
  return parse_get_user(body.reveal());
}

Result<AccessKeyList> IamClient::list_access_keys(const Credentials& signer,
                                                  std::string_view user_name) {
  AV_TRY_ASSIGN(const secure::SecretBytes body,
                client_.call(endpoint_, iam_request("ListAccessKeys", user_name), &signer));
  return parse_list_access_keys(body.reveal());
}

Result<NewAccessKey> IamClient::create_access_key(const Credentials& signer,
                                                  std::string_view user_name) {
  AV_TRY_ASSIGN(const secure::SecretBytes body,
                client_.call(endpoint_, iam_request("CreateAccessKey", user_name), &signer));
  return parse_create_access_key(body.reveal());
}

Result<std::string> IamClient::delete_access_key(const Credentials& signer,
                                                 std::string_view access_key_id,
                                                 std::string_view user_name) {
  QueryRequest r = iam_request("DeleteAccessKey", user_name);
  r.params.push_back({"AccessKeyId", std::string(access_key_id)});
  AV_TRY_ASSIGN(const secure::SecretBytes body, client_.call(endpoint_, r, &signer));
  return parse_delete_access_key(body.reveal());
}

}  // namespace av::aws
