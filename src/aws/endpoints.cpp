// endpoints.cpp: partitions, default endpoints, override precedence and sign-in endpoints.
//
// Facts (partition suffixes and region patterns, IAM's global endpoint per partition, STS's
// aws-global endpoint) are the AWS SDKs' endpoint rule sets; the legacy STS region list and the
// sign-in table are spec §4.6 and §7.2.
#include "aws/endpoints.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "base/ascii.h"
#include "base/limits.h"

namespace av::aws {
namespace {

// PartitionRules: how a region is recognised and where IAM lives, parallel to kPartitions.
struct PartitionRules {
  std::array<std::string_view, 9> prefixes;  // region = <prefix>-<word>-<digits>
  std::string_view global_region;            // the exact-name pseudo-region, "" if none
  std::string_view iam_url;
};

constexpr std::array<Partition, 8> kPartitions = {{
    {"aws", "amazonaws.com", "us-east-1"},
    {"aws-cn", "amazonaws.com.cn", "cn-northwest-1"},
    {"aws-us-gov", "amazonaws.com", "us-gov-west-1"},
    {"aws-iso", "c2s.ic.gov", "us-iso-east-1"},
    {"aws-iso-b", "sc2s.sgov.gov", "us-isob-east-1"},
    {"aws-iso-e", "cloud.adc-e.uk", "eu-isoe-west-1"},
    {"aws-iso-f", "csp.hci.ic.gov", "us-isof-south-1"},
    {"aws-eusc", "amazonaws.eu", "eusc-de-east-1"},
}};

// IAM is global per partition: one endpoint each, signed for the region in kIamSigningRegions
// (the region in the URL, or us-east-1 / us-gov-west-1 where the URL names none).
constexpr std::array<PartitionRules, 8> kRules = {{
    {{"us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"},
     "aws-global",
     "https://iam.amazonaws.com"},
    {{"cn"}, "aws-cn-global", "https://iam.cn-north-1.amazonaws.com.cn"},
    {{"us-gov"}, "aws-us-gov-global", "https://iam.us-gov.amazonaws.com"},
    {{"us-iso"}, "aws-iso-global", "https://iam.us-iso-east-1.c2s.ic.gov"},
    {{"us-isob"}, "aws-iso-b-global", "https://iam.us-isob-east-1.sc2s.sgov.gov"},
    {{"eu-isoe"}, "aws-iso-e-global", "https://iam.eu-isoe-west-1.cloud.adc-e.uk"},
    {{"us-isof"}, "aws-iso-f-global", "https://iam.us-isof-south-1.csp.hci.ic.gov"},
    {{"eusc-de"}, "", "https://iam.eusc-de-east-1.amazonaws.eu"},
}};

constexpr std::array<std::string_view, 8> kIamSigningRegions = {
    "us-east-1",      "cn-north-1",     "us-gov-west-1",   "us-iso-east-1",
    "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "eusc-de-east-1"};

// Spec §4.6: the regions for which sts_regional_endpoints = legacy means sts.amazonaws.com.
constexpr std::array<std::string_view, 16> kLegacyStsRegions = {
    "ap-northeast-1", "ap-south-1",   "ap-southeast-1", "ap-southeast-2",
    "aws-global",     "ca-central-1", "eu-central-1",   "eu-north-1",
    "eu-west-1",      "eu-west-2",    "eu-west-3",      "sa-east-1",
    "us-east-1",      "us-east-2",    "us-west-1",      "us-west-2"};

constexpr std::string_view kGlobalSts = "https://sts.amazonaws.com";

bool is_word_char(char c) { return ascii::is_alnum(c) || c == '_'; }

// matches_region_pattern: `region` is "<prefix>-<\w+>-<\d+>" (the SDKs' regionRegex shape).
bool matches_region_pattern(std::string_view region, std::string_view prefix) {
  if (prefix.empty() || !region.starts_with(prefix) || region.size() <= prefix.size() ||
      region[prefix.size()] != '-') {
    return false;
  }
  const std::string_view rest = region.substr(prefix.size() + 1);
  const std::size_t dash = rest.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == rest.size()) return false;
  const std::string_view word = rest.substr(0, dash);
  const std::string_view digits = rest.substr(dash + 1);
  return std::all_of(word.begin(), word.end(), is_word_char) &&
         std::all_of(digits.begin(), digits.end(), ascii::is_digit);
}

std::size_t partition_index(std::string_view region) {
  for (std::size_t i = 0; i < kRules.size(); ++i) {
    if (!kRules[i].global_region.empty() && region == kRules[i].global_region) return i;
  }
  for (std::size_t i = 0; i < kRules.size(); ++i) {
    for (const auto prefix : kRules[i].prefixes) {
      if (matches_region_pattern(region, prefix)) return i;
    }
  }
  return 0;  // aws, as the SDKs default
}

bool is_host_label(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return ascii::is_digit(c) || (c >= 'a' && c <= 'z') || c == '-';
  });
}

Status check_endpoint_url(std::string_view url, std::string_view origin) {
  const auto invalid = [&] {
    return Error(Errc::Config, "invalid endpoint url " + ascii::quote_for_terminal(url) + " from " +
                                   std::string(origin));
  };
  if (url.size() > limits::kMaxUrlBytes) return invalid();
  std::size_t scheme_len = 0;
  if (url.size() >= 8 && ascii::iequals(url.substr(0, 8), "https://")) scheme_len = 8;
  if (url.size() >= 7 && ascii::iequals(url.substr(0, 7), "http://")) scheme_len = 7;
  if (scheme_len == 0) return invalid();
  const std::size_t host_end = std::min(url.find_first_of("/?#", scheme_len), url.size());
  if (host_end == scheme_len) return invalid();
  for (const char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F) return invalid();
  }
  return ok();
}

std::string_view signing_name(Service service) {
  switch (service) {
    case Service::Sts:
      return "sts";
    case Service::Iam:
      return "iam";
    case Service::Sso:
      return "awsssoportal";
    case Service::SsoOidc:
      return "sso-oauth";
  }
  return "sts";
}

// configured_override returns the winning override and its source, or nothing.
std::optional<std::pair<std::string_view, EndpointSource>> configured_override(
    const EndpointOverrides& overrides) {
  if (overrides.ignore_configured) return std::nullopt;
  const std::array<std::pair<std::string_view, EndpointSource>, 4> ordered = {{
      {overrides.service_env, EndpointSource::ServiceEnv},
      {overrides.global_env, EndpointSource::GlobalEnv},
      {overrides.services_section, EndpointSource::ServicesSection},
      {overrides.profile, EndpointSource::Profile},
  }};
  for (const auto& candidate : ordered) {
    if (!candidate.first.empty()) return candidate;
  }
  return std::nullopt;
}

Endpoint default_endpoint(const EndpointRequest& request) {
  const std::size_t index = partition_index(request.region);
  const Partition& partition = kPartitions[index];
  const bool pseudo = request.region == kRules[index].global_region;
  // A "<partition>-global" pseudo-region addresses the partition's home region.
  const std::string region(pseudo ? partition.implicit_global_region : request.region);
  const std::string suffix(partition.dns_suffix);
  Endpoint out{"", region, signing_name(request.service), EndpointSource::Default};
  switch (request.service) {
    case Service::Sts:
      out.url = request.region == "aws-global" ? std::string(kGlobalSts)
                                               : "https://sts." + region + "." + suffix;
      break;
    case Service::Iam:
      out.url = std::string(kRules[index].iam_url);
      out.signing_region = std::string(kIamSigningRegions[index]);
      break;
    case Service::Sso:
      out.url = "https://portal.sso." + region + "." + suffix;
      break;
    case Service::SsoOidc:
      out.url = "https://oidc." + region + "." + suffix;
      break;
  }
  return out;
}

}  // namespace

std::span<const Partition> known_partitions() noexcept { return kPartitions; }

const Partition& partition_for_region(std::string_view region) noexcept {
  return kPartitions[partition_index(region)];
}

std::string_view endpoint_env_var(Service service) noexcept {
  switch (service) {
    case Service::Sts:
      return "AWS_ENDPOINT_URL_STS";
    case Service::Iam:
      return "AWS_ENDPOINT_URL_IAM";
    case Service::Sso:
      return "AWS_ENDPOINT_URL_SSO";
    case Service::SsoOidc:
      return "AWS_ENDPOINT_URL_SSO_OIDC";
  }
  return "AWS_ENDPOINT_URL";
}

std::string_view services_section_key(Service service) noexcept {
  switch (service) {
    case Service::Sts:
      return "sts";
    case Service::Iam:
      return "iam";
    case Service::Sso:
      return "sso";
    case Service::SsoOidc:
      return "sso_oidc";
  }
  return "sts";
}

StsEndpoints parse_sts_endpoints(std::string_view text) noexcept {
  return text == "legacy" ? StsEndpoints::Legacy : StsEndpoints::Regional;
}

std::string_view endpoint_source_name(EndpointSource source, Service service) noexcept {
  switch (source) {
    case EndpointSource::Default:
      return "default";
    case EndpointSource::LegacyGlobal:
      return "legacy";
    case EndpointSource::ServiceEnv:
      return endpoint_env_var(service);
    case EndpointSource::GlobalEnv:
      return "AWS_ENDPOINT_URL";
    case EndpointSource::ServicesSection:
      return "services section endpoint_url";
    case EndpointSource::Profile:
      return "profile endpoint_url";
  }
  return "default";
}

Result<Endpoint> resolve_endpoint(const EndpointRequest& request) {
  if (request.region.empty()) {
    return Error(Errc::Config, "an AWS region is required, but was not found");
  }
  if (!is_host_label(request.region)) {
    return Error(Errc::Config, "invalid region " + ascii::quote_for_terminal(request.region));
  }
  if (const auto chosen = configured_override(request.overrides)) {
    AV_TRY(
        check_endpoint_url(chosen->first, endpoint_source_name(chosen->second, request.service)));
    return Endpoint{std::string(chosen->first), std::string(request.region),
                    signing_name(request.service), chosen->second};
  }
  const bool legacy =
      request.service == Service::Sts && request.sts_endpoints == StsEndpoints::Legacy &&
      std::find(kLegacyStsRegions.begin(), kLegacyStsRegions.end(), request.region) !=
          kLegacyStsRegions.end();
  if (legacy) {
    // Spec §4.6 quirk, kept: the global endpoint is signed for the profile's own region.
    return Endpoint{std::string(kGlobalSts), std::string(request.region), "sts",
                    EndpointSource::LegacyGlobal};
  }
  return default_endpoint(request);
}

SigninEndpoint resolve_signin(std::string_view region) noexcept {
  if (region.starts_with("cn-")) {
    return {"https://signin.amazonaws.cn/federation", "console.amazonaws.cn"};
  }
  if (region.starts_with("us-gov-")) {
    return {"https://signin.amazonaws-us-gov.com/federation", "console.amazonaws-us-gov.com"};
  }
  if (region.starts_with("eusc-")) {
    return {"https://signin.amazonaws-eusc.eu/federation", "console.amazonaws-eusc.eu"};
  }
  return {"https://us-east-1.signin.aws.amazon.com/federation",
          region.empty() ? std::string_view() : std::string_view("console.aws.amazon.com")};
}

std::string signin_destination(std::string_view region, std::string_view path) {
  if (region.empty()) return "https://console.aws.amazon.com/";
  const std::string domain(resolve_signin(region).console_domain);
  const std::string target = path.empty() ? std::string("console/home") : std::string(path);
  return "https://" + std::string(region) + "." + domain + "/" + target +
         "?region=" + std::string(region);
}

}  // namespace av::aws
