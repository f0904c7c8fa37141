// proxy_preamble_test.cpp: the EC2 proxy's first line: round trips, the client it carries, one
// test per refusal, prefixes and mutations (no mutant of a valid line is accepted with another
// secret, address or port).
#include "server/proxy_preamble.h"

#include <catch2/catch.hpp>
#include <string>
#include <tuple>

#include "support/mutation.h"

namespace av::server {
namespace {

const secure::SecretString& secret() {
  static const secure::SecretString s =
      secure::SecretString::copy_of("0123456789abcdefghijABCDEFGHIJ-_klmnopqrstu");
  return s;
}

std::string line_for(std::string_view secret_text, std::string_view address,
                     std::string_view port) {
  return "AWS-VAULT-PROXY 1 " + std::string(secret_text) + " " + std::string(address) + " " +
         std::string(port) + "\r\n";
}

PreambleOutcome check(std::string_view text) {
  return check_proxy_preamble(as_bytes(text), secret());
}

}  // namespace

TEST_CASE("proxy preamble: format and check round trip", "[server][roundtrip]") {
  REQUIRE(secret().size() == 43);
  using Row = std::tuple<const char*, std::uint16_t, bool>;
  auto [address, port, loopback] = GENERATE(table<const char*, std::uint16_t, bool>({
      Row{"127.0.0.1", 40000, true},
      Row{"127.1.2.3", 1, true},
      Row{"::1", 65535, true},
      Row{"10.0.0.2", 80, false},
      Row{"fe80::1", 5000, false},
      Row{"::ffff:192.0.2.1", 443, false},
  }));
  CAPTURE(address);
  auto line = format_proxy_preamble(secret(), Peer{address, port, false});
  REQUIRE(line);
  CHECK(line->size() <= kMaxProxyPreambleBytes);
  const std::string text(as_chars(line->reveal()));
  CHECK(text == line_for(secret().reveal(), address, std::to_string(port)));
  const std::string with_request = text + "GET / HTTP/1.1\r\n";
  const PreambleOutcome out = check(with_request);
  CHECK_FALSE(out.error);
  CHECK_FALSE(out.need_more);
  REQUIRE(out.client);
  CHECK(out.consumed == text.size());
  CHECK(out.client->address == address);
  CHECK(out.client->port == port);
  CHECK(out.client->loopback == loopback);
}

TEST_CASE("proxy preamble: format refuses a bad secret or client", "[server][error]") {
  CHECK(format_proxy_preamble(secure::SecretString::copy_of("short"), Peer{"127.0.0.1", 1, true})
            .error()
            .code() == Errc::Parse);
  CHECK_FALSE(format_proxy_preamble(secret(), Peer{"localhost", 1, true}));
  CHECK_FALSE(format_proxy_preamble(secret(), Peer{"127.0.0.1", 0, true}));
  CHECK_FALSE(format_proxy_preamble(secret(), Peer{"127.0.0.1 x", 1, true}));
}

TEST_CASE("proxy preamble: every strict prefix needs more", "[server][vector]") {
  const std::string text = line_for(secret().reveal(), "127.0.0.1", "5000");
  for (std::size_t len = 0; len < text.size(); ++len) {
    CAPTURE(len);
    const PreambleOutcome out = check(std::string_view(text).substr(0, len));
    CHECK(out.need_more);
    CHECK_FALSE(out.error);
    CHECK_FALSE(out.client);
  }
}

TEST_CASE("proxy preamble: each refusal", "[server][error]") {
  const std::string good = std::string(secret().reveal());
  const std::string other = "X" + good.substr(1);
  using Row = std::tuple<const char*, std::string, Errc>;
  auto [name, text, code] = GENERATE_COPY(table<const char*, std::string, Errc>({
      Row{"wrong secret", line_for(other, "127.0.0.1", "1"), Errc::AuthFailed},
      Row{"short secret", line_for(good.substr(1), "127.0.0.1", "1"), Errc::AuthFailed},
      Row{"long secret", line_for(good + "A", "127.0.0.1", "1"), Errc::AuthFailed},
      Row{"plain http", "GET / HTTP/1.1\r\n", Errc::Parse},
      Row{"plain http prefix", "GET", Errc::Parse},
      Row{"wrong version", "AWS-VAULT-PROXY 2 " + good + " 127.0.0.1 1\r\n", Errc::Parse},
      Row{"bare LF", "AWS-VAULT-PROXY 1 " + good + " 127.0.0.1 1\n", Errc::Parse},
      Row{"missing port", "AWS-VAULT-PROXY 1 " + good + " 127.0.0.1\r\n", Errc::Parse},
      Row{"extra field", line_for(good, "127.0.0.1", "1 2"), Errc::Parse},
      Row{"double space", line_for(good, " 127.0.0.1", "1"), Errc::Parse},
      Row{"host name", line_for(good, "localhost", "1"), Errc::Parse},
      Row{"bracketed v6", line_for(good, "[::1]", "1"), Errc::Parse},
      Row{"zone", line_for(good, "fe80::1%lo", "1"), Errc::Parse},
      Row{"port zero", line_for(good, "127.0.0.1", "0"), Errc::Parse},
      Row{"port leading zero", line_for(good, "127.0.0.1", "080"), Errc::Parse},
      Row{"port too big", line_for(good, "127.0.0.1", "65536"), Errc::Parse},
      Row{"port sign", line_for(good, "127.0.0.1", "+80"), Errc::Parse},
      Row{"too long", "AWS-VAULT-PROXY 1 " + std::string(200, 'a'), Errc::TooLarge},
  }));
  CAPTURE(name);
  const PreambleOutcome out = check(text);
  REQUIRE(out.error);
  CHECK_FALSE(out.need_more);
  CHECK_FALSE(out.client);
  CHECK(out.error->code() == code);
  CHECK(out.error->message().starts_with("proxy preamble: "));
}

TEST_CASE("proxy preamble: an empty configured secret accepts nothing", "[server][error]") {
  const std::string text = line_for(std::string(43, 'a'), "127.0.0.1", "1");
  const PreambleOutcome out = check_proxy_preamble(as_bytes(text), secure::SecretString());
  REQUIRE(out.error);
  CHECK(out.error->code() == Errc::AuthFailed);
}

TEST_CASE("proxy preamble: no mutant of the secret is accepted", "[server][mutation]") {
  const std::string valid = line_for(secret().reveal(), "127.0.0.1", "40000");
  const std::size_t secret_end = std::string_view("AWS-VAULT-PROXY 1 ").size() + 43;
  std::size_t accepted = 0;
  testing::for_each_mutation(valid, [&](const std::string& mutant) {
    const PreambleOutcome out = check(mutant);
    const int kinds = (out.need_more ? 1 : 0) + (out.client ? 1 : 0) + (out.error ? 1 : 0);
    REQUIRE(kinds == 1);
    if (!out.client) return;
    ++accepted;
    // Only the unauthenticated client fields may change (a digit into another digit).
    CHECK(mutant.substr(0, secret_end) == valid.substr(0, secret_end));
    CHECK(out.consumed == valid.size());
  });
  CHECK(accepted >= 1);
}

}  // namespace av::server
