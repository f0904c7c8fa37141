# System dependencies (Debian 12 packages; see third_party/README.md). Nothing is vendored.
# Each becomes an imported target so modules name what they use and tools/check_layering.py can
# hold the quarantine (only crypto/ and net/tls use mbedTLS; only secure/ and crypto/ use libsodium).
find_package(PkgConfig REQUIRED)

# libsodium: pkg-config file present on Debian. A static build links the archive directly.
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET GLOBAL libsodium>=1.0.18)
if(AV_STATIC)
  find_library(AV_SODIUM_ARCHIVE NAMES libsodium.a HINTS ${SODIUM_LIBRARY_DIRS} REQUIRED)
  add_library(av_sodium INTERFACE)
  target_include_directories(av_sodium SYSTEM INTERFACE ${SODIUM_INCLUDE_DIRS})
  target_link_libraries(av_sodium INTERFACE ${AV_SODIUM_ARCHIVE})
  add_library(av::sodium ALIAS av_sodium)
else()
  add_library(av::sodium ALIAS PkgConfig::SODIUM)
endif()

# mbedTLS 2.28: no pkg-config file on Debian 12; find headers and the three libraries.
find_path(MBEDTLS_INCLUDE_DIR mbedtls/version.h REQUIRED)
if(AV_STATIC)
  set(_av_mbed_names libmbedtls.a libmbedx509.a libmbedcrypto.a)
else()
  set(_av_mbed_names mbedtls mbedx509 mbedcrypto)
endif()
set(_av_mbed_libs "")
foreach(name IN LISTS _av_mbed_names)
  string(MAKE_C_IDENTIFIER "AV_LIB_${name}" var)
  find_library(${var} NAMES ${name} REQUIRED)
  list(APPEND _av_mbed_libs ${${var}})
endforeach()
add_library(av_mbedcrypto INTERFACE)
target_include_directories(av_mbedcrypto SYSTEM INTERFACE ${MBEDTLS_INCLUDE_DIR})
target_link_libraries(av_mbedcrypto INTERFACE ${_av_mbed_libs})
add_library(av::mbedtls ALIAS av_mbedcrypto)

# toml++: header-only (Debian ships no .a), exceptions off (STYLE.md §3.4). Defined once here
# because toml++ puts TOML_EXCEPTIONS into its ABI namespace.
find_path(TOMLPP_INCLUDE_DIR toml++/toml.h REQUIRED)
add_library(av_tomlpp INTERFACE)
target_include_directories(av_tomlpp SYSTEM INTERFACE ${TOMLPP_INCLUDE_DIR})
target_compile_definitions(av_tomlpp INTERFACE TOML_EXCEPTIONS=0 TOML_HEADER_ONLY=1)
add_library(av::tomlpp ALIAS av_tomlpp)

if(AV_BUILD_TESTS)
  find_package(Catch2 2.13 REQUIRED)
endif()
