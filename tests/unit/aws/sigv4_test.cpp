// sigv4_test.cpp: the AWS SigV4 test suite (tests/vectors/sigv4/) and the signer's own contracts.
#include "aws/sigv4.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "support/mutation.h"

namespace av::aws {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kAccessKey = "AKIDEXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
// 2015-08-30T12:36:00Z, the suite's time.
const auto kSuiteTime = std::chrono::sys_days{std::chrono::year{2015} / 8 / 30} + 12h + 36min;

std::string read_vector(const std::string& relative) {
  const char* root = std::getenv("AV_TEST_VECTORS");
  REQUIRE(root != nullptr);
  std::ifstream in(std::string(root) + "/sigv4/" + relative, std::ios::binary);
  INFO("vector file " << relative);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Credentials make_credentials(std::string_view token = {}) {
  Credentials credentials;
  credentials.access_key_id = std::string(kAccessKey);
  credentials.secret_access_key = secure::SecretString::copy_of(kSecret);
  credentials.session_token = secure::SecretString::copy_of(token);
  return credentials;
}

// SuiteRequest: a .req file read into the signer's input. The Host, X-Amz-Date and
// X-Amz-Security-Token lines become the signer's own inputs.
struct SuiteRequest {
  SigningRequest request;
  std::string head;  // the request line and header lines, as in the file
  std::string body;
  std::string token;
};

void add_query(SigningRequest& request, std::string_view query) {
  while (!query.empty()) {
    const std::size_t amp = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, amp);
    const std::size_t eq = std::min(pair.find('='), pair.size());
    request.query.push_back({std::string(pair.substr(0, eq)),
                             std::string(eq < pair.size() ? pair.substr(eq + 1) : "")});
    query.remove_prefix(std::min(amp + 1, query.size()));
  }
}

void add_header_line(SuiteRequest& out, std::string_view line) {
  auto& headers = out.request.headers;
  if (line.front() == ' ' || line.front() == '\t') {  // folded line: another value (see README)
    REQUIRE(!headers.empty());
    headers.push_back({headers.back().name, std::string(line)});
    return;
  }
  const std::size_t colon = line.find(':');
  REQUIRE(colon != std::string_view::npos);
  const std::string name(line.substr(0, colon));
  const std::string value(line.substr(colon + 1));
  if (name == "Host") {
    out.request.host = value;
  } else if (name == "X-Amz-Date") {
    REQUIRE(value == "20150830T123600Z");
  } else if (name == "X-Amz-Security-Token") {
    out.token = value;
  } else {
    headers.push_back({name, value});
  }
}

SuiteRequest parse_req(const std::string& text) {
  SuiteRequest out;
  const std::size_t blank = text.find("\n\n");
  out.head = text.substr(0, blank);
  if (blank != std::string::npos) out.body = text.substr(blank + 2);
  std::istringstream lines(out.head);
  std::string line;
  std::getline(lines, line);
  const std::size_t first = line.find(' ');
  const std::size_t last = line.rfind(' ');
  out.request.method = line.substr(0, first);
  const std::string uri = line.substr(first + 1, last - first - 1);  // may contain spaces
  const std::size_t question = uri.find('?');
  out.request.path = uri.substr(0, question);
  if (question != std::string::npos)
    add_query(out.request, std::string_view(uri).substr(question + 1));
  while (std::getline(lines, line)) add_header_line(out, line);
  out.request.service = "service";
  out.request.region = "us-east-1";
  out.request.time = kSuiteTime;
  return out;
}

const std::vector<std::string> kSuiteCases = {
    "get-header-key-duplicate",
    "get-header-value-multiline",
    "get-header-value-order",
    "get-header-value-trim",
    "get-unreserved",
    "get-utf8",
    "get-vanilla",
    "get-vanilla-empty-query-key",
    "get-vanilla-query",
    "get-vanilla-query-order-key",
    "get-vanilla-query-order-key-case",
    "get-vanilla-query-order-value",
    "get-vanilla-query-unreserved",
    "get-vanilla-utf8-query",
    "normalize-path/get-relative",
    "normalize-path/get-relative-relative",
    "normalize-path/get-slash",
    "normalize-path/get-slash-dot-slash",
    "normalize-path/get-slash-pointless-dot",
    "normalize-path/get-slashes",
    "normalize-path/get-space",
    "post-header-key-case",
    "post-header-key-sort",
    "post-header-value-case",
    "post-sts-token/post-sts-header-after",
    "post-sts-token/post-sts-header-before",
    "post-vanilla",
    "post-vanilla-empty-query-value",
    "post-vanilla-query",
    "post-x-www-form-urlencoded",
    "post-x-www-form-urlencoded-parameters",
};

std::string base_name(const std::string& name) {
  const std::size_t slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

SigningRequest vanilla_request() {
  SigningRequest request;
  request.method = "GET";
  request.host = "example.amazonaws.com";
  request.service = "service";
  request.region = "us-east-1";
  request.time = kSuiteTime;
  return request;
}

}  // namespace

TEST_CASE("SigV4: every case of the AWS test suite signs exactly as published", "[aws][vector]") {
  CHECK(kSuiteCases.size() == 31);
  for (const auto& name : kSuiteCases) {
    CAPTURE(name);
    const std::string prefix = name + "/" + base_name(name);
    SuiteRequest suite = parse_req(read_vector(prefix + ".req"));
    suite.request.body = as_bytes(suite.body);
    const bool token_after = name.find("post-sts-header-after") != std::string::npos;
    // post-sts-header-after sends the same token as -before, added after signing.
    const std::string token =
        token_after
            ? parse_req(
                  read_vector("post-sts-token/post-sts-header-before/post-sts-header-before.req"))
                  .token
            : suite.token;
    SigningOptions options;
    if (token_after) options.token = TokenPlacement::AppendedAfterSigning;
    Signer signer;
    auto signed_request = signer.sign(suite.request, make_credentials(token), options);
    REQUIRE(signed_request.has_value());
    CHECK(signed_request->canonical_request.reveal() == read_vector(prefix + ".creq"));
    CHECK(signed_request->string_to_sign == read_vector(prefix + ".sts"));
    CHECK(signed_request->authorization == read_vector(prefix + ".authz"));
    CHECK(signed_request->amz_date == "20150830T123600Z");
    CHECK(signed_request->security_token.reveal() == token);
    std::string sreq = suite.head;
    if (token_after)
      sreq += "\nX-Amz-Security-Token:" + std::string(signed_request->security_token.reveal());
    sreq += "\nAuthorization: " + signed_request->authorization;
    if (!suite.body.empty()) sreq += "\n\n" + suite.body;
    CHECK(sreq == read_vector(prefix + ".sreq"));
  }
}

TEST_CASE("SigV4: the signing key is derived once per date, region, service and key",
          "[aws][vector]") {
  Signer signer;
  SigningRequest request = vanilla_request();
  const Credentials credentials = make_credentials();
  REQUIRE(signer.sign(request, credentials).has_value());
  REQUIRE(signer.sign(request, credentials).has_value());
  CHECK(signer.derivation_count() == 1);
  request.time += 1h;  // same day: the cached key still applies
  const auto same_day = signer.sign(request, credentials);
  REQUIRE(same_day.has_value());
  CHECK(signer.derivation_count() == 1);
  request.time += 24h;
  REQUIRE(signer.sign(request, credentials).has_value());
  CHECK(signer.derivation_count() == 2);
  request.region = "eu-west-1";
  REQUIRE(signer.sign(request, credentials).has_value());
  CHECK(signer.derivation_count() == 3);
  request.service = "sts";
  REQUIRE(signer.sign(request, credentials).has_value());
  CHECK(signer.derivation_count() == 4);
}

TEST_CASE("SigV4: a changed secret under the same key id is not served from the cache",
          "[aws][vector]") {
  Signer signer;
  const SigningRequest request = vanilla_request();
  const auto first = signer.sign(request, make_credentials());
  Credentials other = make_credentials();
  other.secret_access_key = secure::SecretString::copy_of("another-secret");
  const auto second = signer.sign(request, other);
  REQUIRE(first.has_value());
  REQUIRE(second.has_value());
  CHECK(signer.derivation_count() == 2);
  CHECK(first->authorization != second->authorization);
  const auto third = signer.sign(request, make_credentials());
  REQUIRE(third.has_value());
  CHECK(third->authorization == first->authorization);
}

TEST_CASE("SigV4: an STS Query POST signs its form body and content type", "[aws][vector]") {
  // The shape sts.cpp sends: POST / with a form body; the signature must cover the body.
  SigningRequest request;
  request.method = "POST";
  request.host = "sts.eu-west-1.amazonaws.com";
  request.service = "sts";
  request.region = "eu-west-1";
  request.time = kSuiteTime;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  const std::string body = "Action=GetSessionToken&DurationSeconds=3600&Version=2011-06-15";
  request.body = as_bytes(body);
  Signer signer;
  const auto signed_request = signer.sign(request, make_credentials("token/+="));
  REQUIRE(signed_request.has_value());
  CHECK(signed_request->signed_headers == "content-type;host;x-amz-date;x-amz-security-token");
  const std::string creq(signed_request->canonical_request.reveal());
  CHECK(creq.find("x-amz-security-token:token/+=\n") != std::string::npos);
  CHECK(creq.substr(creq.rfind('\n') + 1).size() == 64);
  CHECK(signed_request->authorization.find("/20150830/eu-west-1/sts/aws4_request, ") !=
        std::string::npos);
  const std::string other_body = body + "&SerialNumber=x";
  request.body = as_bytes(other_body);
  const auto changed = signer.sign(request, make_credentials("token/+="));
  REQUIRE(changed.has_value());
  CHECK(changed->authorization != signed_request->authorization);
}

TEST_CASE("SigV4: a JSON-protocol POST signs its target header and body", "[aws][vector]") {
  SigningRequest request = vanilla_request();
  request.method = "POST";
  request.headers = {{"X-Amz-Target", "AWSSecurityTokenServiceV20110615.GetCallerIdentity"},
                     {"Content-Type", "application/x-amz-json-1.1"}};
  const std::string body = "{}";
  request.body = as_bytes(body);
  Signer signer;
  const auto signed_request = signer.sign(request, make_credentials());
  REQUIRE(signed_request.has_value());
  CHECK(signed_request->signed_headers == "content-type;host;x-amz-date;x-amz-target");
  // SHA-256("{}")
  CHECK(std::string(signed_request->canonical_request.reveal())
            .ends_with("\n44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"));
  request.method = "PO ST";
  CHECK(signer.sign(request, make_credentials()).error().code() == Errc::Internal);
}

TEST_CASE("SigV4: X-Amz-Content-Sha256 and precomputed payload hashes", "[aws][vector]") {
  SigningRequest request = vanilla_request();
  request.payload_hash = "UNSIGNED-PAYLOAD";
  SigningOptions options;
  options.content_sha256_header = true;
  Signer signer;
  const auto signed_request = signer.sign(request, make_credentials(), options);
  REQUIRE(signed_request.has_value());
  CHECK(signed_request->content_sha256 == "UNSIGNED-PAYLOAD");
  CHECK(signed_request->signed_headers == "host;x-amz-content-sha256;x-amz-date");
  CHECK(std::string(signed_request->canonical_request.reveal())
            .ends_with("\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:20150830T123600Z\n\n"
                       "host;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD"));
}

TEST_CASE("SigV4: attach_signature puts the token among the secret headers", "[aws][vector]") {
  Signer signer;
  SigningRequest request = vanilla_request();
  SigningOptions options;
  options.content_sha256_header = true;
  auto signed_request = signer.sign(request, make_credentials("tok"), options);
  REQUIRE(signed_request.has_value());
  const std::string authorization = signed_request->authorization;
  net::Request http;
  attach_signature(std::move(*signed_request), http);
  CHECK(net::find_header(http.headers, "x-amz-date") == "20150830T123600Z");
  CHECK(net::find_header(http.headers, "authorization") == authorization);
  CHECK(net::find_header(http.headers, "x-amz-content-sha256").has_value());
  CHECK_FALSE(net::find_header(http.headers, "x-amz-security-token").has_value());
  REQUIRE(http.secret_headers.size() == 1);
  CHECK(http.secret_headers[0].first == "X-Amz-Security-Token");
  CHECK(http.secret_headers[0].second.reveal() == "tok");
}

TEST_CASE("SigV4: path normalisation follows RFC 3986 dot-segment removal", "[aws][vector]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/", "/"},     {"//", "/"},     {"/./", "/"},    {"/a/b/../c", "/a/c"}, {"/a/./b/", "/a/b/"},
      {"/a/..", "/"}, {"/../a", "/a"}, {"/a/.", "/a/"}, {"//a//b", "/a/b"},    {"/a/b/..", "/a/"},
  };
  for (const auto& [in, want] : cases) {
    CAPTURE(in);
    CHECK(normalize_uri_path(in) == want);
  }
}

TEST_CASE("SigV4: canonical URIs encode once more and S3 mode keeps the path", "[aws][vector]") {
  CHECK(canonical_uri("", true).value() == "/");
  CHECK(canonical_uri("/example%20space/", true).value() == "/example%2520space/");
  CHECK(canonical_uri("//example//", false).value() == "//example//");
  CHECK(canonical_uri("/a/../b", false).value() == "/a/../b");
  CHECK(canonical_uri("/a+b*c", true).value() == "/a%2Bb%2Ac");
}

TEST_CASE("SigV4: canonical query strings encode and sort by encoded name", "[aws][vector]") {
  const std::vector<QueryParam> query = {
      {"b", "x y"}, {"a", "1/2"}, {"a", "+"}, {"A", ""}, {"~", "*"}};
  CHECK(canonical_query_string(query) == "A=&a=%2B&a=1%2F2&b=x%20y&~=%2A");
  CHECK(canonical_query_string({}).empty());
}

TEST_CASE("SigV4: canonical headers trim, collapse, lowercase and merge", "[aws][vector]") {
  const std::vector<SigningHeader> headers = {
      {"X-B", "  a \t  b  "}, {"x-a", "1"}, {"X-A", " 2"}, {"Y", ""}};
  const auto canonical = canonical_headers(headers);
  REQUIRE(canonical.has_value());
  CHECK(canonical->block == "x-a:1,2\nx-b:a b\ny:\n");
  CHECK(canonical->signed_names == "x-a;x-b;y");
}

TEST_CASE("SigV4: X-Amz-Date is UTC in ISO 8601 basic form", "[aws][vector]") {
  using std::chrono::sys_days;
  using std::chrono::year;
  CHECK(format_amz_date(std::chrono::system_clock::time_point{}) == "19700101T000000Z");
  CHECK(format_amz_date(sys_days{year{2024} / 2 / 29} + 23h + 59min + 59s + 999ms) ==
        "20240229T235959Z");
  CHECK(format_amz_date(kSuiteTime) == "20150830T123600Z");
}

TEST_CASE("SigV4: missing or malformed signing inputs are configuration errors", "[aws][error]") {
  Signer signer;
  SigningRequest request = vanilla_request();
  request.region = "";
  CHECK(signer.sign(request, make_credentials()).error().code() == Errc::Config);
  request.region = "us east/1";
  CHECK(signer.sign(request, make_credentials()).error().code() == Errc::Config);
  request = vanilla_request();
  request.service = "";
  CHECK(signer.sign(request, make_credentials()).error().code() == Errc::Config);
  request = vanilla_request();
  Credentials credentials = make_credentials();
  credentials.access_key_id = "AKID/EXAMPLE";
  CHECK(signer.sign(request, credentials).error().code() == Errc::Config);
  credentials = make_credentials();
  credentials.secret_access_key = secure::SecretString();
  CHECK(signer.sign(request, credentials).error().code() == Errc::Config);
  CHECK(signer.sign(request, make_credentials("tok\r\nX-Evil: 1")).error().code() == Errc::Config);
  CHECK(signer.derivation_count() == 0);
}

TEST_CASE("SigV4: malformed headers and paths are refused", "[aws][error]") {
  Signer signer;
  SigningRequest request = vanilla_request();
  request.headers = {{"Bad Name", "v"}};
  CHECK(signer.sign(request, make_credentials()).error().code() == Errc::Parse);
  request.headers = {{"X-Injected", "v\r\nHost: evil"}};
  CHECK(signer.sign(request, make_credentials()).error().code() == Errc::Parse);
  request.headers = {{"X-Nul", std::string("a\0b", 3)}};
  CHECK(signer.sign(request, make_credentials()).error().code() == Errc::Parse);
  request.headers = {{"Host", "evil.example"}};
  CHECK(signer.sign(request, make_credentials()).error().code() == Errc::Internal);
  request.headers = {{"x-amz-security-token", "t"}};
  CHECK(signer.sign(request, make_credentials()).error().code() == Errc::Internal);
  request.headers = {};
  for (const char* path : {"relative", "/a?b", "/a#b", "/a\nb"}) {
    CAPTURE(path);
    request.path = path;
    CHECK(signer.sign(request, make_credentials()).error().code() == Errc::Parse);
  }
}

TEST_CASE("SigV4: mutated header values and paths either sign or fail with Parse",
          "[aws][mutation]") {
  Signer signer;
  const Credentials credentials = make_credentials();
  testing::for_each_mutation("\"a   b   c\"", [&](const std::string& mutant) {
    SigningRequest request = vanilla_request();
    request.headers = {{"My-Header2", mutant}};
    const auto result = signer.sign(request, credentials);
    if (!result.has_value()) CHECK(result.error().code() == Errc::Parse);
  });
  testing::for_each_mutation("/example/../a b/", [&](const std::string& mutant) {
    SigningRequest request = vanilla_request();
    request.path = mutant;
    const auto result = signer.sign(request, credentials);
    if (!result.has_value()) CHECK(result.error().code() == Errc::Parse);
  });
  CHECK(signer.derivation_count() == 1);
}

namespace {
bool g_saw_unwiped = false;
std::size_t g_released = 0;
void observe_release(ByteSpan bytes) {
  ++g_released;
  for (const auto byte : bytes) g_saw_unwiped = g_saw_unwiped || byte != 0;
}
}  // namespace

TEST_CASE("SigV4: keys, cache and canonical request are wiped when released", "[aws][vector]") {
  g_saw_unwiped = false;
  g_released = 0;
  secure::testing::set_release_observer(observe_release);
  {
    Signer signer;
    SigningRequest request = vanilla_request();
    REQUIRE(signer.sign(request, make_credentials("tok")).has_value());
    request.region = "";
    REQUIRE_FALSE(signer.sign(request, make_credentials("tok")).has_value());
  }
  secure::testing::set_release_observer(nullptr);
  CHECK(g_released > 0);
  CHECK_FALSE(g_saw_unwiped);
}

}  // namespace av::aws
