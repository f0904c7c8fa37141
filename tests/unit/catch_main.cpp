// The one translation unit that instantiates Catch2's runner (Catch2 v2 single header). Moving to
// Catch2 v3 means deleting this file and linking Catch2::Catch2WithMain instead.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
