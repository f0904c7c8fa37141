// tls_test.cpp: the mbedTLS client against a Python TLS server with a throwaway CA.
#include "net/tls/tls_stream.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "base/limits.h"
#include "fake_server.h"
#include "net/tls/ca_store.h"
#include "platform/socket.h"

namespace av::net::tls {
namespace {

using namespace std::chrono_literals;
using testing::FakeServer;
using testing::cert_dir;
using testing::tls_args;

const CaStore& test_ca(const char* name = "ca.pem") {
  auto store = ca_store_from_file(cert_dir() + "/" + name);
  REQUIRE(store);
  return **store;
}

Result<TlsStream> handshake_to(std::uint16_t port, std::string_view name, const CaStore& ca,
                               platform::Timeout timeout = 5000ms) {
  auto socket = platform::connect_tcp("127.0.0.1", port, 2000ms);
  REQUIRE(socket);
  return tls_handshake(std::move(*socket), name, ca, timeout);
}

std::string read_to_end(TlsStream& stream) {
  std::string out;
  std::array<std::uint8_t, 4096> buf{};
  for (;;) {
    auto n = stream.read_some(buf, 5000ms);
    REQUIRE(n);
    if (*n == 0) return out;
    out.append(as_chars(ByteSpan(buf).first(*n)));
  }
}

std::string message(const Error& e) { return std::string(e.message()); }

}  // namespace

TEST_CASE("TLS: the right CA verifies localhost and data flows both ways", "[net][integration]") {
  FakeServer server(tls_args());
  auto stream = handshake_to(server.port(), "localhost", test_ca());
  REQUIRE(stream);
  REQUIRE(stream->write_all(as_bytes("GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n"), 2000ms));
  const std::string reply = read_to_end(*stream);
  CHECK(reply.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(reply.find("\r\n\r\nhello") != std::string::npos);
}

TEST_CASE("TLS: a certificate from another CA is refused with a clear message", "[net][error]") {
  FakeServer server(tls_args());
  (void)test_ca();  // the fake made both CAs
  auto stream = handshake_to(server.port(), "localhost", test_ca("wrong_ca.pem"));
  REQUIRE_FALSE(stream);
  CHECK(stream.error().code() == Errc::AuthFailed);
  CHECK(message(stream.error()) ==
        "tls handshake with localhost: x509: certificate signed by unknown authority");
}

TEST_CASE("TLS: a certificate for another name is refused", "[net][error]") {
  FakeServer server(tls_args("other.test"));
  auto stream = handshake_to(server.port(), "localhost", test_ca());
  REQUIRE_FALSE(stream);
  CHECK(stream.error().code() == Errc::AuthFailed);
  CHECK(message(stream.error()) ==
        "tls handshake with localhost: x509: certificate is not valid for localhost");
}

TEST_CASE("TLS: IP-literal server names are refused before any I/O", "[net][error]") {
  const char* name = GENERATE("127.0.0.1", "::1", "");
  CAPTURE(name);
  auto listener = platform::listen_tcp("127.0.0.1", 0);
  REQUIRE(listener);
  auto stream = handshake_to(listener->port(), name, *system_ca_store().value());
  REQUIRE_FALSE(stream);
  CHECK(stream.error().code() == Errc::Unsupported);
  if (*name != '\0') CHECK(message(stream.error()).find("use a host name") != std::string::npos);
}

TEST_CASE("TLS: a server that never answers the handshake times out", "[net][error]") {
  auto listener = platform::listen_tcp("127.0.0.1", 0);
  REQUIRE(listener);
  const auto start = std::chrono::steady_clock::now();
  auto stream = handshake_to(listener->port(), "localhost", *system_ca_store().value(), 300ms);
  REQUIRE_FALSE(stream);
  CHECK(stream.error().code() == Errc::Network);
  CHECK(message(stream.error()).find("i/o timeout") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < 3s);
}

TEST_CASE("TLS: a plain HTTP answer to the ClientHello is a handshake error", "[net][error]") {
  auto listener = platform::listen_tcp("127.0.0.1", 0);
  REQUIRE(listener);
  std::thread peer([&] {
    auto s = listener->accept(5000ms);
    if (!s) return;
    std::array<std::uint8_t, 512> buf{};
    (void)s->read_some(buf, 2000ms);
    (void)s->write_all(as_bytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"), 2000ms);
  });
  auto stream = handshake_to(listener->port(), "localhost", *system_ca_store().value());
  peer.join();
  REQUIRE_FALSE(stream);
  CHECK(stream.error().code() == Errc::Network);
  CHECK(message(stream.error()).rfind("tls handshake with localhost: ", 0) == 0);
  CAPTURE(message(stream.error()));
  CHECK(message(stream.error()).find("does not look like a TLS handshake") != std::string::npos);
}

TEST_CASE("TLS: a stalled response times out on read and breaks the stream", "[net][error]") {
  FakeServer server(tls_args());
  auto stream = handshake_to(server.port(), "localhost", test_ca());
  REQUIRE(stream);
  REQUIRE(stream->write_all(as_bytes("GET /stall HTTP/1.1\r\nHost: localhost\r\n\r\n"), 2000ms));
  std::array<std::uint8_t, 64> buf{};
  auto n = stream->read_some(buf, 200ms);
  REQUIRE_FALSE(n);
  CHECK(n.error().code() == Errc::Network);
  CHECK(message(n.error()).find("tls read from localhost: read tcp 127.0.0.1:") == 0);
  CHECK(message(n.error()).find("i/o timeout") != std::string::npos);
  auto again = stream->read_some(buf, 200ms);
  REQUIRE_FALSE(again);
  CHECK(message(again.error()) == "tls: connection unusable after an error");
}

TEST_CASE("CaStore: bundles are parsed once per path and cached", "[net][vector]") {
  FakeServer server(tls_args());
  const std::string path = cert_dir() + "/ca.pem";
  auto first = ca_store_from_file(path);
  auto second = ca_store_from_file(path);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(*first == *second);
  CHECK((*first)->num_certs() == 1);
  CHECK((*first)->source() == path);
}

TEST_CASE("CaStore: the system bundle is found and holds many roots", "[net][integration]") {
  auto store = system_ca_store();
  REQUIRE(store);
  CHECK((*store)->num_certs() > 50);
  CHECK(system_ca_bundle_paths().front() == "/etc/ssl/certs/ca-certificates.crt");
}

TEST_CASE("CaStore: a bundle without certificates is a parse error", "[net][error]") {
  const char* text = GENERATE("", "not pem at all",
                              "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
  CAPTURE(text);
  auto store = parse_ca_bundle(as_bytes(text), "test.pem");
  REQUIRE_FALSE(store);
  CHECK(store.error().code() == Errc::Parse);
  CHECK(message(store.error()) == "no certificates found in test.pem");
}

TEST_CASE("CaStore: one bad certificate among good ones is skipped", "[net][vector]") {
  FakeServer server(tls_args());
  std::ifstream in(cert_dir() + "/ca.pem");
  std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string bundle =
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" + pem;
  auto store = parse_ca_bundle(as_bytes(bundle), "");
  REQUIRE(store);
  CHECK((*store)->num_certs() == 1);
}

TEST_CASE("CaStore: missing and oversized bundle files are refused", "[net][error]") {
  auto missing = ca_store_from_file(cert_dir() + "/no-such.pem");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code() == Errc::NotFound);
  CHECK(message(missing.error()).rfind("loading CA bundle " + cert_dir() + "/no-such.pem: ", 0) ==
        0);

  const std::string big_path = cert_dir() + "/big.pem";
  {
    std::ofstream out(big_path);
    out << std::string(limits::kMaxCaBundleBytes + 1, 'a');
  }
  auto big = ca_store_from_file(big_path);
  REQUIRE_FALSE(big);
  CHECK(big.error().code() == Errc::TooLarge);
  CHECK(parse_ca_bundle(as_bytes(std::string(limits::kMaxCaBundleBytes + 1, 'a')), "x")
            .error()
            .code() == Errc::TooLarge);
}

TEST_CASE("TLS: is_ip_literal recognises address-shaped names", "[net][vector]") {
  CHECK(is_ip_literal("127.0.0.1"));
  CHECK(is_ip_literal("::1"));
  CHECK(is_ip_literal("fe80::1"));
  CHECK(is_ip_literal("10.1"));
  CHECK_FALSE(is_ip_literal("localhost"));
  CHECK_FALSE(is_ip_literal("sts.amazonaws.com"));
  CHECK_FALSE(is_ip_literal("1.2.3.example"));
  CHECK_FALSE(is_ip_literal(""));
}

}  // namespace av::net::tls
