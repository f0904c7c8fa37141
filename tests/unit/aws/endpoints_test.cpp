// endpoints_test.cpp: partitions, default endpoints, STS legacy rule, override precedence, sign-in.
#include "aws/endpoints.h"

#include <catch2/catch.hpp>
#include <string>
#include <tuple>
#include <vector>

namespace av::aws {
namespace {

Endpoint resolve_ok(Service service, std::string_view region,
                    StsEndpoints mode = StsEndpoints::Regional, EndpointOverrides overrides = {}) {
  EndpointRequest request;
  request.service = service;
  request.region = region;
  request.sts_endpoints = mode;
  request.overrides = std::move(overrides);
  auto endpoint = resolve_endpoint(request);
  REQUIRE(endpoint.has_value());
  return std::move(endpoint).value();
}

Errc resolve_error(Service service, std::string_view region, EndpointOverrides overrides = {}) {
  EndpointRequest request;
  request.service = service;
  request.region = region;
  request.overrides = std::move(overrides);
  const auto endpoint = resolve_endpoint(request);
  REQUIRE_FALSE(endpoint.has_value());
  return endpoint.error().code();
}

}  // namespace

TEST_CASE("Endpoints: regions map to the partitions the SDKs know", "[aws][vector]") {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"us-east-1", "aws", "amazonaws.com"},
      {"il-central-1", "aws", "amazonaws.com"},
      {"mx-central-1", "aws", "amazonaws.com"},
      {"aws-global", "aws", "amazonaws.com"},
      {"cn-north-1", "aws-cn", "amazonaws.com.cn"},
      {"aws-cn-global", "aws-cn", "amazonaws.com.cn"},
      {"us-gov-west-1", "aws-us-gov", "amazonaws.com"},
      {"us-iso-east-1", "aws-iso", "c2s.ic.gov"},
      {"us-isob-east-1", "aws-iso-b", "sc2s.sgov.gov"},
      {"eu-isoe-west-1", "aws-iso-e", "cloud.adc-e.uk"},
      {"us-isof-south-1", "aws-iso-f", "csp.hci.ic.gov"},
      {"eusc-de-east-1", "aws-eusc", "amazonaws.eu"},
      {"xx-nowhere-1", "aws", "amazonaws.com"},    // unknown: default partition
      {"eusc-fr-east-1", "aws", "amazonaws.com"},  // eusc pattern is (de) only
      {"us-east", "aws", "amazonaws.com"},
  };
  for (const auto& [region, id, suffix] : cases) {
    CAPTURE(region);
    CHECK(partition_for_region(region).id == id);
    CHECK(partition_for_region(region).dns_suffix == suffix);
  }
  CHECK(known_partitions().size() == 8);
}

TEST_CASE("Endpoints: STS is regional in every partition", "[aws][vector]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"eu-west-1", "https://sts.eu-west-1.amazonaws.com"},
      {"cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn"},
      {"us-gov-east-1", "https://sts.us-gov-east-1.amazonaws.com"},
      {"us-iso-east-1", "https://sts.us-iso-east-1.c2s.ic.gov"},
      {"us-isob-east-1", "https://sts.us-isob-east-1.sc2s.sgov.gov"},
      {"eu-isoe-west-1", "https://sts.eu-isoe-west-1.cloud.adc-e.uk"},
      {"us-isof-south-1", "https://sts.us-isof-south-1.csp.hci.ic.gov"},
      {"eusc-de-east-1", "https://sts.eusc-de-east-1.amazonaws.eu"},
  };
  for (const auto& [region, url] : cases) {
    CAPTURE(region);
    const Endpoint endpoint = resolve_ok(Service::Sts, region);
    CHECK(endpoint.url == url);
    CHECK(endpoint.signing_region == region);
    CHECK(endpoint.signing_name == "sts");
    CHECK(endpoint.source == EndpointSource::Default);
  }
  const Endpoint global = resolve_ok(Service::Sts, "aws-global");
  CHECK(global.url == "https://sts.amazonaws.com");
  CHECK(global.signing_region == "us-east-1");
}

TEST_CASE("Endpoints: legacy STS uses the global endpoint for the listed regions only",
          "[aws][vector]") {
  const Endpoint legacy = resolve_ok(Service::Sts, "eu-west-1", StsEndpoints::Legacy);
  CHECK(legacy.url == "https://sts.amazonaws.com");
  CHECK(legacy.signing_region == "eu-west-1");  // spec §4.6 quirk, kept
  CHECK(legacy.source == EndpointSource::LegacyGlobal);
  for (const char* region : {"us-east-1", "ap-south-1", "sa-east-1", "aws-global", "us-west-2"}) {
    CAPTURE(region);
    CHECK(resolve_ok(Service::Sts, region, StsEndpoints::Legacy).url ==
          "https://sts.amazonaws.com");
  }
  for (const char* region : {"eu-south-1", "ap-east-1", "cn-north-1", "us-gov-west-1"}) {
    CAPTURE(region);
    CHECK(resolve_ok(Service::Sts, region, StsEndpoints::Legacy).source == EndpointSource::Default);
  }
  CHECK(resolve_ok(Service::Iam, "eu-west-1", StsEndpoints::Legacy).url ==
        "https://iam.amazonaws.com");
  CHECK(parse_sts_endpoints("legacy") == StsEndpoints::Legacy);
  CHECK(parse_sts_endpoints("regional") == StsEndpoints::Regional);
  CHECK(parse_sts_endpoints("Legacy") == StsEndpoints::Regional);
  CHECK(parse_sts_endpoints("") == StsEndpoints::Regional);
}

TEST_CASE("Endpoints: IAM is global per partition with its own signing region", "[aws][vector]") {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"eu-west-1", "https://iam.amazonaws.com", "us-east-1"},
      {"cn-northwest-1", "https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1"},
      {"us-gov-east-1", "https://iam.us-gov.amazonaws.com", "us-gov-west-1"},
      {"us-iso-west-1", "https://iam.us-iso-east-1.c2s.ic.gov", "us-iso-east-1"},
      {"us-isob-east-1", "https://iam.us-isob-east-1.sc2s.sgov.gov", "us-isob-east-1"},
      {"eu-isoe-west-1", "https://iam.eu-isoe-west-1.cloud.adc-e.uk", "eu-isoe-west-1"},
      {"us-isof-east-1", "https://iam.us-isof-south-1.csp.hci.ic.gov", "us-isof-south-1"},
      {"eusc-de-east-1", "https://iam.eusc-de-east-1.amazonaws.eu", "eusc-de-east-1"},
  };
  for (const auto& [region, url, signing] : cases) {
    CAPTURE(region);
    const Endpoint endpoint = resolve_ok(Service::Iam, region);
    CHECK(endpoint.url == url);
    CHECK(endpoint.signing_region == signing);
    CHECK(endpoint.signing_name == "iam");
  }
}

TEST_CASE("Endpoints: SSO portal and OIDC follow sso_region's partition", "[aws][vector]") {
  CHECK(resolve_ok(Service::Sso, "eu-west-1").url == "https://portal.sso.eu-west-1.amazonaws.com");
  CHECK(resolve_ok(Service::SsoOidc, "eu-west-1").url == "https://oidc.eu-west-1.amazonaws.com");
  CHECK(resolve_ok(Service::Sso, "cn-north-1").url ==
        "https://portal.sso.cn-north-1.amazonaws.com.cn");
  CHECK(resolve_ok(Service::SsoOidc, "eusc-de-east-1").url ==
        "https://oidc.eusc-de-east-1.amazonaws.eu");
  CHECK(resolve_ok(Service::SsoOidc, "us-gov-east-1").url ==
        "https://oidc.us-gov-east-1.amazonaws.com");
}

TEST_CASE("Endpoints: configured URLs follow the SDK precedence", "[aws][vector]") {
  EndpointOverrides all;
  all.service_env = "https://service-env.example";
  all.global_env = "https://global-env.example";
  all.services_section = "https://services.example";
  all.profile = "http://profile.example:4566";
  Endpoint endpoint = resolve_ok(Service::Sts, "eu-west-1", StsEndpoints::Legacy, all);
  CHECK(endpoint.url == "https://service-env.example");
  CHECK(endpoint.source == EndpointSource::ServiceEnv);
  CHECK(endpoint.signing_region == "eu-west-1");
  all.service_env.clear();
  CHECK(resolve_ok(Service::Sts, "eu-west-1", StsEndpoints::Regional, all).source ==
        EndpointSource::GlobalEnv);
  all.global_env.clear();
  CHECK(resolve_ok(Service::Sts, "eu-west-1", StsEndpoints::Regional, all).source ==
        EndpointSource::ServicesSection);
  all.services_section.clear();
  endpoint = resolve_ok(Service::Iam, "eu-west-1", StsEndpoints::Regional, all);
  CHECK(endpoint.url == "http://profile.example:4566");
  CHECK(endpoint.source == EndpointSource::Profile);
  CHECK(endpoint.signing_region == "eu-west-1");  // signed for the profile's region (§4.6)
  all.ignore_configured = true;
  endpoint = resolve_ok(Service::Iam, "eu-west-1", StsEndpoints::Regional, all);
  CHECK(endpoint.url == "https://iam.amazonaws.com");
  CHECK(endpoint.source == EndpointSource::Default);
}

TEST_CASE("Endpoints: override names match the SDKs' variables and config keys", "[aws][vector]") {
  CHECK(endpoint_env_var(Service::Sts) == "AWS_ENDPOINT_URL_STS");
  CHECK(endpoint_env_var(Service::Iam) == "AWS_ENDPOINT_URL_IAM");
  CHECK(endpoint_env_var(Service::Sso) == "AWS_ENDPOINT_URL_SSO");
  CHECK(endpoint_env_var(Service::SsoOidc) == "AWS_ENDPOINT_URL_SSO_OIDC");
  CHECK(services_section_key(Service::SsoOidc) == "sso_oidc");
  CHECK(services_section_key(Service::Iam) == "iam");
  CHECK(endpoint_source_name(EndpointSource::ServiceEnv, Service::Iam) == "AWS_ENDPOINT_URL_IAM");
}

TEST_CASE("Endpoints: a missing or malformed region is a configuration error", "[aws][error]") {
  CHECK(resolve_error(Service::Sts, "") == Errc::Config);
  CHECK(resolve_error(Service::Sts, "EU-WEST-1") == Errc::Config);
  CHECK(resolve_error(Service::Sts, "eu-west-1.evil.example/") == Errc::Config);
  EndpointOverrides overrides;
  overrides.global_env = "https://localhost:4566";
  CHECK(resolve_error(Service::Sts, "", overrides) == Errc::Config);
}

TEST_CASE("Endpoints: malformed override URLs are configuration errors", "[aws][error]") {
  for (const char* url : {"localhost:4566", "ftp://x", "https://", "https:///path", "https://a b",
                          "https://a\nb", "https://a\tb"}) {
    CAPTURE(url);
    EndpointOverrides overrides;
    overrides.profile = url;
    CHECK(resolve_error(Service::Sts, "us-east-1", overrides) == Errc::Config);
  }
  EndpointOverrides huge;
  huge.service_env = "https://" + std::string(9000, 'a');
  CHECK(resolve_error(Service::Sts, "us-east-1", huge) == Errc::Config);
  EndpointOverrides upper;
  upper.profile = "HTTPS://Example.COM/base";
  CHECK(resolve_ok(Service::Sts, "us-east-1", StsEndpoints::Regional, upper).url ==
        "HTTPS://Example.COM/base");
}

TEST_CASE("Endpoints: sign-in endpoints and destinations per partition (spec 7.2)",
          "[aws][vector]") {
  CHECK(resolve_signin("").federation_url == "https://us-east-1.signin.aws.amazon.com/federation");
  CHECK(resolve_signin("").console_domain.empty());
  CHECK(resolve_signin("eu-west-1").console_domain == "console.aws.amazon.com");
  CHECK(resolve_signin("cn-north-1").federation_url == "https://signin.amazonaws.cn/federation");
  CHECK(resolve_signin("us-gov-west-1").console_domain == "console.amazonaws-us-gov.com");
  CHECK(resolve_signin("eusc-de-east-1").federation_url ==
        "https://signin.amazonaws-eusc.eu/federation");
  CHECK(resolve_signin("us-iso-east-1").federation_url ==
        "https://us-east-1.signin.aws.amazon.com/federation");
  CHECK(signin_destination("", "ec2") == "https://console.aws.amazon.com/");
  CHECK(signin_destination("eu-west-1", "") ==
        "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1");
  CHECK(signin_destination("cn-north-1", "ec2/home") ==
        "https://cn-north-1.console.amazonaws.cn/ec2/home?region=cn-north-1");
}

}  // namespace av::aws
