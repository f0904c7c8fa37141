// responses.cpp: STS/IAM response documents (contract in responses.h).
//
// One small walker serves every document: it follows the element path below the root (local
// names joined by '/') and hands each start tag to a FieldSet, which claims the leaves it knows
// and reads their text (secrets with read_secret_text). Unclaimed elements are walked through;
// an unclaimed SecretAccessKey or SessionToken anywhere is still read into (and dropped from)
// locked memory, so a secret at an unexpected place never passes through std::string.
#include "aws/responses.h"

#include <string>
#include <utility>
#include <vector>

#include "base/ascii.h"
#include "base/limits.h"
#include "base/text_reader.h"
#include "codec/iso8601.h"
#include "codec/xml/xml_reader.h"

namespace av::aws {
namespace {

using codec::xml::EventKind;
using codec::xml::Reader;

bool is_secret_name(std::string_view local_name) {
  return local_name == "SecretAccessKey" || local_name == "SessionToken";
}

// FieldSet: the leaves one document (or one list member) stores, by path below its start.
class FieldSet {
 public:
  void text(std::string path, std::string* out) { fields_.push_back({std::move(path), out, nullptr}); }
  void secret(std::string path, secure::SecretString* out) {
    fields_.push_back({std::move(path), nullptr, out});
  }
  // on_start reads a claimed leaf and reports whether it consumed the element.
  Result<bool> on_start(std::string_view path, Reader& reader) {
    for (Field& f : fields_) {
      if (f.path != path) continue;
      if (f.seen) return Error{Errc::Parse, "duplicate " + f.path};
      f.seen = true;
      if (f.secret != nullptr) {
        AV_TRY_ASSIGN(*f.secret, reader.read_secret_text());
      } else {
        AV_TRY_ASSIGN(*f.text, reader.read_text());
      }
      return true;
    }
    return false;
  }
  // require fails unless each of `paths` was present with non-empty text.
  Status require(std::initializer_list<std::string_view> paths) const {
    for (std::string_view path : paths) {
      for (const Field& f : fields_) {
        if (f.path != path) continue;
        const bool empty = f.secret != nullptr ? f.secret->empty() : f.text->empty();
        if (!f.seen || empty) return Error{Errc::Parse, "missing " + f.path};
      }
    }
    return ok();
  }

 private:
  struct Field {
    std::string path;
    std::string* text;
    secure::SecretString* secret;
    bool seen = false;
  };
  std::vector<Field> fields_;
};

// walk_children walks the content of the element whose StartElement `reader` just returned,
// through its end tag, calling on_start(path, reader) for each descendant start tag.
template <class OnStart>
Status walk_children(Reader& reader, OnStart&& on_start) {
  std::string path;
  std::vector<std::size_t> marks;
  while (true) {
    AV_TRY_ASSIGN(const codec::xml::Event event, reader.next());
    if (event.kind == EventKind::EndOfDocument) return Error{Errc::Internal, "xml: early end"};
    if (event.kind == EventKind::EndElement) {
      if (marks.empty()) return ok();
      path.resize(marks.back());
      marks.pop_back();
      continue;
    }
    if (event.kind != EventKind::StartElement) continue;
    marks.push_back(path.size());
    if (!path.empty()) path += '/';
    path += event.local_name();
    AV_TRY_ASSIGN(bool consumed, on_start(std::string_view(path), reader));
    if (!consumed && is_secret_name(event.local_name())) {
      AV_TRY(reader.read_secret_text());  // dropped: not a field of this document
      consumed = true;
    }
    if (consumed) {
      path.resize(marks.back());
      marks.pop_back();
    }
  }
}

// walk_document checks the root element's local name and walks the whole document.
template <class OnStart>
Status walk_document(ByteSpan xml, std::string_view root, OnStart&& on_start) {
  Reader reader(as_chars(xml));
  AV_TRY_ASSIGN(const codec::xml::Event first, reader.next());
  if (first.local_name() != root) {
    return Error{Errc::Parse, "root element is " + ascii::quote_for_terminal(first.name) +
                                  ", want " + std::string(root)};
  }
  AV_TRY(walk_children(reader, on_start));
  AV_TRY_ASSIGN(const codec::xml::Event end, reader.next());
  if (end.kind != EventKind::EndOfDocument) return Error{Errc::Internal, "xml: no end of document"};
  return ok();
}

Status walk_fields(ByteSpan xml, std::string_view root, FieldSet& fields) {
  return walk_document(xml, root, [&fields](std::string_view path, Reader& reader) {
    return fields.on_start(path, reader);
  });
}

// parse_timestamp reads an optional RFC 3339 field (empty text means absent).
Result<std::optional<Timestamp>> parse_timestamp(std::string_view name, std::string_view text) {
  if (text.empty()) return std::optional<Timestamp>{};
  auto instant = codec::parse_rfc3339(text);
  if (!instant) return std::move(instant).error().with_context(name);
  return std::optional<Timestamp>{
      std::chrono::time_point_cast<std::chrono::system_clock::duration>(*instant)};
}

// with_operation prefixes "<operation> response" to any error from `status`.
Status with_operation(std::string_view operation, Status status) {
  if (status) return status;
  return std::move(status).error().with_context(std::string(operation) + " response");
}

bool is_credentials_operation(std::string_view op) {
  return op == "GetSessionToken" || op == "AssumeRole" || op == "AssumeRoleWithWebIdentity" ||
         op == "GetFederationToken";
}

// StsText: the plain-text fields of a credentials response before conversion.
struct StsText {
  std::string expiration;
  std::string packed_policy_size;
};

void add_sts_fields(const std::string& result, StsCredentialsResponse& out, StsText& text,
                    FieldSet& fields) {
  const std::string creds = result + "/Credentials/";
  fields.text(creds + "AccessKeyId", &out.credentials.access_key_id);
  fields.secret(creds + "SecretAccessKey", &out.credentials.secret_access_key);
  fields.secret(creds + "SessionToken", &out.credentials.session_token);
  fields.text(creds + "Expiration", &text.expiration);
  fields.text(result + "/AssumedRoleUser/Arn", &out.assumed_role_arn);
  fields.text(result + "/AssumedRoleUser/AssumedRoleId", &out.assumed_role_id);
  fields.text(result + "/FederatedUser/Arn", &out.federated_user_arn);
  fields.text(result + "/FederatedUser/FederatedUserId", &out.federated_user_id);
  fields.text(result + "/SubjectFromWebIdentityToken", &out.subject_from_web_identity_token);
  fields.text(result + "/Audience", &out.audience);
  fields.text(result + "/Provider", &out.provider);
  fields.text(result + "/SourceIdentity", &out.source_identity);
  fields.text(result + "/PackedPolicySize", &text.packed_policy_size);
  fields.text("ResponseMetadata/RequestId", &out.request_id);
}

Status finish_sts(const std::string& result, const StsText& text, StsCredentialsResponse& out,
                  const FieldSet& fields) {
  const std::string creds = result + "/Credentials/";
  AV_TRY(fields.require({creds + "AccessKeyId", creds + "SecretAccessKey", creds + "SessionToken",
                         creds + "Expiration"}));
  AV_TRY_ASSIGN(out.credentials.expiration, parse_timestamp("Expiration", text.expiration));
  if (!text.packed_policy_size.empty()) {
    TextReader reader(text.packed_policy_size);
    auto size = reader.read_uint(UINT32_MAX);
    if (!size || !reader.empty()) return Error{Errc::Parse, "invalid PackedPolicySize"};
    out.packed_policy_size = static_cast<std::uint32_t>(*size);
  }
  return ok();
}

}  // namespace

Result<StsCredentialsResponse> parse_sts_credentials(std::string_view operation, ByteSpan xml) {
  if (!is_credentials_operation(operation)) {
    return Error{Errc::Unsupported, "sts: " + ascii::quote_for_terminal(operation) +
                                        " does not return credentials"};
  }
  const std::string result = std::string(operation) + "Result";
  StsCredentialsResponse out;
  StsText text;
  FieldSet fields;
  add_sts_fields(result, out, text, fields);
  AV_TRY(with_operation(operation, walk_fields(xml, std::string(operation) + "Response", fields)));
  AV_TRY(with_operation(operation, finish_sts(result, text, out, fields)));
  return out;
}

Result<CallerIdentity> parse_get_caller_identity(ByteSpan xml) {
  CallerIdentity out;
  FieldSet fields;
  fields.text("GetCallerIdentityResult/Account", &out.account);
  fields.text("GetCallerIdentityResult/Arn", &out.arn);
  fields.text("GetCallerIdentityResult/UserId", &out.user_id);
  fields.text("ResponseMetadata/RequestId", &out.request_id);
  AV_TRY(with_operation("GetCallerIdentity", walk_fields(xml, "GetCallerIdentityResponse", fields)));
  AV_TRY(with_operation("GetCallerIdentity",
                        fields.require({"GetCallerIdentityResult/Account",
                                        "GetCallerIdentityResult/Arn",
                                        "GetCallerIdentityResult/UserId"})));
  return out;
}

Result<IamUser> parse_get_user(ByteSpan xml) {
  IamUser out;
  std::string create_date;
  bool has_user = false;
  FieldSet fields;
  fields.text("GetUserResult/User/UserName", &out.user_name);
  fields.text("GetUserResult/User/UserId", &out.user_id);
  fields.text("GetUserResult/User/Arn", &out.arn);
  fields.text("GetUserResult/User/Path", &out.path);
  fields.text("GetUserResult/User/CreateDate", &create_date);
  fields.text("ResponseMetadata/RequestId", &out.request_id);
  const auto on_start = [&](std::string_view path, Reader& reader) -> Result<bool> {
    if (path == "GetUserResult/User") {
      if (has_user) return Error{Errc::Parse, "duplicate GetUserResult/User"};
      has_user = true;
    }
    return fields.on_start(path, reader);
  };
  AV_TRY(with_operation("GetUser", walk_document(xml, "GetUserResponse", on_start)));
  if (!has_user) return Error{Errc::Parse, "GetUser response: missing GetUserResult/User"};
  auto date = parse_timestamp("CreateDate", create_date);
  if (!date) return std::move(date).error().with_context("GetUser response");
  out.create_date = *date;
  return out;
}

namespace {

constexpr std::string_view kMemberPath = "ListAccessKeysResult/AccessKeyMetadata/member";

// read_key_member reads one ListAccessKeys member whose start tag was just read.
Result<AccessKeyMetadata> read_key_member(Reader& reader) {
  AccessKeyMetadata key;
  std::string create_date;
  FieldSet fields;
  fields.text("UserName", &key.user_name);
  fields.text("AccessKeyId", &key.access_key_id);
  fields.text("Status", &key.status);
  fields.text("CreateDate", &create_date);
  AV_TRY(walk_children(reader, [&fields](std::string_view path, Reader& r) {
    return fields.on_start(path, r);
  }));
  AV_TRY(fields.require({"AccessKeyId"}));
  AV_TRY_ASSIGN(key.create_date, parse_timestamp("CreateDate", create_date));
  return key;
}

Status finish_key_list(std::string_view is_truncated, AccessKeyList& out) {
  if (is_truncated == "true") {
    out.is_truncated = true;
  } else if (!is_truncated.empty() && is_truncated != "false") {
    return Error{Errc::Parse, "IsTruncated is neither true nor false"};
  }
  return ok();
}

}  // namespace

Result<AccessKeyList> parse_list_access_keys(ByteSpan xml) {
  AccessKeyList out;
  std::string is_truncated;
  FieldSet fields;
  fields.text("ListAccessKeysResult/IsTruncated", &is_truncated);
  fields.text("ListAccessKeysResult/Marker", &out.marker);
  fields.text("ResponseMetadata/RequestId", &out.request_id);
  const auto on_start = [&](std::string_view path, Reader& reader) -> Result<bool> {
    if (path != kMemberPath) return fields.on_start(path, reader);
    if (out.keys.size() >= limits::kMaxAwsListMembers) {
      return Error{Errc::TooLarge, "more than " + std::to_string(limits::kMaxAwsListMembers) +
                                       " access keys"};
    }
    AV_TRY_ASSIGN(AccessKeyMetadata key, read_key_member(reader));
    out.keys.push_back(std::move(key));
    return true;
  };
  AV_TRY(with_operation("ListAccessKeys", walk_document(xml, "ListAccessKeysResponse", on_start)));
  AV_TRY(with_operation("ListAccessKeys", finish_key_list(is_truncated, out)));
  return out;
}

Result<NewAccessKey> parse_create_access_key(ByteSpan xml) {
  NewAccessKey out;
  std::string create_date;
  FieldSet fields;
  fields.text("CreateAccessKeyResult/AccessKey/UserName", &out.user_name);
  fields.text("CreateAccessKeyResult/AccessKey/AccessKeyId", &out.credentials.access_key_id);
  fields.secret("CreateAccessKeyResult/AccessKey/SecretAccessKey",
                &out.credentials.secret_access_key);
  fields.text("CreateAccessKeyResult/AccessKey/Status", &out.status);
  fields.text("CreateAccessKeyResult/AccessKey/CreateDate", &create_date);
  fields.text("ResponseMetadata/RequestId", &out.request_id);
  AV_TRY(with_operation("CreateAccessKey", walk_fields(xml, "CreateAccessKeyResponse", fields)));
  AV_TRY(with_operation("CreateAccessKey",
                        fields.require({"CreateAccessKeyResult/AccessKey/AccessKeyId",
                                        "CreateAccessKeyResult/AccessKey/SecretAccessKey"})));
  auto date = parse_timestamp("CreateDate", create_date);
  if (!date) return std::move(date).error().with_context("CreateAccessKey response");
  out.create_date = *date;
  return out;
}

Result<std::string> parse_delete_access_key(ByteSpan xml) {
  std::string request_id;
  FieldSet fields;
  fields.text("ResponseMetadata/RequestId", &request_id);
  AV_TRY(with_operation("DeleteAccessKey", walk_fields(xml, "DeleteAccessKeyResponse", fields)));
  return request_id;
}

namespace {

struct ErrorDocument {
  std::string code;
  std::string message;
  std::string type;
  std::string request_id;
};

// read_error_document reads the error shapes AWS and moto send: root ErrorResponse or Response,
// the Error directly below it or inside Errors (the first Error wins), RequestId or RequestID.
Result<ErrorDocument> read_error_document(ByteSpan body) {
  Reader probe(as_chars(body));
  AV_TRY_ASSIGN(const codec::xml::Event root, probe.next());
  const std::string_view root_name = root.local_name() == "Response" ? "Response" : "ErrorResponse";
  ErrorDocument doc;
  FieldSet fields;
  for (const std::string_view error : {"Error/", "Errors/Error/"}) {
    fields.text(std::string(error) + "Code", &doc.code);
    fields.text(std::string(error) + "Message", &doc.message);
    fields.text(std::string(error) + "Type", &doc.type);
  }
  fields.text("RequestId", &doc.request_id);
  fields.text("RequestID", &doc.request_id);
  bool seen_error = false;
  const auto on_start = [&](std::string_view path, Reader& reader) -> Result<bool> {
    if (path != "Error" && path != "Errors/Error") return fields.on_start(path, reader);
    if (!seen_error) {
      seen_error = true;
      return false;
    }
    AV_TRY(reader.skip_element());
    return true;
  };
  AV_TRY(walk_document(body, root_name, on_start));
  if (doc.code.empty()) return Error{Errc::Parse, "no error code"};
  return doc;
}

}  // namespace

Error parse_aws_error(int http_status, ByteSpan body, std::string_view request_id_header) {
  auto doc = body.empty() ? Result<ErrorDocument>(Error{Errc::Parse, "empty body"})
                          : read_error_document(body);
  std::string request_id(request_id_header);
  if (request_id.empty() && doc) request_id = doc->request_id;
  std::string message = "https response error StatusCode: " + std::to_string(http_status) +
                        ", RequestID: " + ascii::escape_for_terminal(request_id) + ", ";
  if (!doc) {
    message += "unreadable error response: ";
    message += doc.error().message();
    return Error{Errc::AwsApi, std::move(message)};
  }
  std::string code = ascii::escape_for_terminal(doc->code);
  message += "api error " + code + ": " + ascii::escape_for_terminal(doc->message);
  return Error{Errc::AwsApi, std::move(message)}.with_api_code(std::move(code));
}

}  // namespace av::aws
