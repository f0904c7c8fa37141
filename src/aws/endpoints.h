// endpoints.h: which URL an AWS call goes to and which region signs it (spec §4.6, §7.2).
//
// Pure: the caller passes the region, the STS endpoint mode and every configured override as plain
// strings (config/ reads the files and the environment); nothing here reads either.
//
// Partitions are the ones the AWS SDKs' partitions.json knows (aws-sdk-go-v2
// internal/endpoints/awsrulesfn/partitions.json and the same file in the other SDKs): aws,
// aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc. A region is matched
// first by exact name (including the "<partition>-global" pseudo-regions), then by each
// partition's region pattern, and falls back to aws, as the SDKs do.
//
// Override precedence (AWS SDKs "service-specific endpoints"): AWS_ENDPOINT_URL_<SERVICE> >
// AWS_ENDPOINT_URL > endpoint_url in the profile's [services] section for the service >
// endpoint_url in the profile > the default; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS /
// ignore_configured_endpoint_urls = true disables all four.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"

namespace av::aws {

// Partition: one AWS partition's facts.
struct Partition {
  std::string_view id;                      // "aws", "aws-cn", ...
  std::string_view dns_suffix;              // "amazonaws.com", "amazonaws.com.cn", ...
  std::string_view implicit_global_region;  // where its global services live and sign
};

// known_partitions lists every partition, in the SDKs' order. Static storage.
std::span<const Partition> known_partitions() noexcept;

// partition_for_region returns the partition of `region` (see file comment); never fails (unknown
// regions belong to aws). The reference is to static storage.
const Partition& partition_for_region(std::string_view region) noexcept;

// Service: the AWS services aws-vault calls.
enum class Service : std::uint8_t { Sts, Iam, Sso, SsoOidc };

// endpoint_env_var names the service-specific override variable: "AWS_ENDPOINT_URL_STS",
// "AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL_SSO_OIDC".
std::string_view endpoint_env_var(Service service) noexcept;

// services_section_key names the service's sub-section in a [services <name>] config section:
// "sts", "iam", "sso", "sso_oidc" (the service id, lower case, spaces as '_').
std::string_view services_section_key(Service service) noexcept;

// StsEndpoints: the sts_regional_endpoints setting.
enum class StsEndpoints : std::uint8_t { Regional, Legacy };

// parse_sts_endpoints maps the setting's text: "legacy" is Legacy, anything else (including
// empty and "regional") is Regional (spec §3.4). Never fails.
StsEndpoints parse_sts_endpoints(std::string_view text) noexcept;

// EndpointOverrides: every configured endpoint URL for one call; empty means "not set".
struct EndpointOverrides {
  std::string service_env;         // AWS_ENDPOINT_URL_<SERVICE>
  std::string global_env;          // AWS_ENDPOINT_URL
  std::string services_section;    // [services <name>] <service key> endpoint_url
  std::string profile;             // endpoint_url in the profile (spec §3.4)
  bool ignore_configured = false;  // AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / config key is true
};

// EndpointSource: where the resolved URL came from (for the debug log).
enum class EndpointSource : std::uint8_t {
  Default,          // the partition's standard endpoint
  LegacyGlobal,     // sts_regional_endpoints = legacy sent STS to sts.amazonaws.com
  ServiceEnv,       // AWS_ENDPOINT_URL_<SERVICE>
  GlobalEnv,        // AWS_ENDPOINT_URL
  ServicesSection,  // [services] section
  Profile,          // endpoint_url in the profile
};

// EndpointRequest: the inputs of one resolution.
struct EndpointRequest {
  Service service = Service::Sts;
  std::string_view region;  // the profile's region; for Sso/SsoOidc, sso_region
  StsEndpoints sts_endpoints = StsEndpoints::Regional;
  EndpointOverrides overrides;
};

// Endpoint: where to send a call and how to sign it.
struct Endpoint {
  std::string url;             // scheme and authority, e.g. "https://sts.eu-west-1.amazonaws.com"
  std::string signing_region;  // the SigV4 region
  std::string_view signing_name;  // "sts", "iam", "awsssoportal", "sso-oauth" (static storage)
  EndpointSource source = EndpointSource::Default;
};

// resolve_endpoint applies the override precedence, then the STS legacy rule, then the partition
// default. Overridden URLs are used as given and signed for `region` (spec §4.6).
// Errc::Config "an AWS region is required, but was not found" when the region is empty,
// Errc::Config when it is not a host label ([a-z0-9-]), and Errc::Config when the winning
// override is not an http(s) URL with a host, holds whitespace or control characters, or exceeds
// limits::kMaxUrlBytes.
[[nodiscard]] Result<Endpoint> resolve_endpoint(const EndpointRequest& request);

// endpoint_source_name: "default", "legacy", "AWS_ENDPOINT_URL_STS"-style names for debug lines.
std::string_view endpoint_source_name(EndpointSource source, Service service) noexcept;

// SigninEndpoint: the console federation endpoint for a region (spec §7.2).
struct SigninEndpoint {
  std::string_view federation_url;  // "https://signin.amazonaws.cn/federation", ...
  std::string_view console_domain;  // "console.amazonaws.cn", ...; empty when region is empty
};

// resolve_signin picks the federation endpoint and console domain by region prefix: empty and
// unknown prefixes give the commercial partition; "cn-", "us-gov-" and "eusc-" their own. Never
// fails; the views are static storage.
SigninEndpoint resolve_signin(std::string_view region) noexcept;

// signin_destination builds the console URL to land on (spec §7.2): with `region` empty always
// "https://console.aws.amazon.com/"; otherwise "https://<region>.<domain>/<path>?region=<region>",
// path defaulting to "console/home". Never fails.
std::string signin_destination(std::string_view region, std::string_view path);

}  // namespace av::aws
