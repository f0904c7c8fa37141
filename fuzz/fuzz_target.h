// fuzz_target.h: the libFuzzer entry point every target defines (declared here so the project's
// -Wmissing-declarations holds), shared with replay_main.cpp.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
