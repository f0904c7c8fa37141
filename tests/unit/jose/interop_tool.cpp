// interop_tool.cpp: test-only command line over jose::encrypt_jwe / decrypt_jwe, driven by
// jwcrypto_interop.py to check interoperability with python3-jwcrypto in both directions.
//   interop_tool encrypt <passphrase> <p2c>   plaintext on stdin, token on stdout
//   interop_tool decrypt <passphrase>         token on stdin, plaintext on stdout
// Exit status 0 on success; 1 with the error code name on stderr otherwise. The passphrases are
// test values, so argv is acceptable here.
#include <charconv>
#include <cstdint>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "crypto/random.h"
#include "jose/jwe_file.h"

namespace {

int fail(const av::Error& error) {
  std::cerr << "error: " << av::errc_name(error.code()) << ": " << error.message() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  const std::string_view mode = argv[1];
  const auto passphrase = av::secure::SecretString::copy_of(argv[2]);
  const std::string input((std::istreambuf_iterator<char>(std::cin)),
                          std::istreambuf_iterator<char>());
  if (mode == "encrypt" && argc == 4) {
    const std::string_view count = argv[3];
    std::uint32_t p2c = 0;
    if (std::from_chars(count.data(), count.data() + count.size(), p2c).ec != std::errc()) return 2;
    auto token =
        av::jose::encrypt_jwe(av::as_bytes(input), passphrase, p2c, av::crypto::system_random());
    if (!token) return fail(token.error());
    std::cout << *token;
    return 0;
  }
  if (mode == "decrypt" && argc == 3) {
    auto plaintext = av::jose::decrypt_jwe(input, passphrase);
    if (!plaintext) return fail(plaintext.error());
    std::cout << av::as_chars(plaintext->reveal());
    return 0;
  }
  return 2;
}
