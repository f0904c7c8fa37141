// version.h: the build's version string (spec §11.2): the CMake cache variable AV_VERSION, which
// the Makefile sets from `git describe`; "dev" for un-stamped builds. Only version.cpp (generated
// from version.cpp.in) sees the value, so changing it rebuilds one file.
#pragma once

#include <string_view>

namespace av::cli {

// version returns the version string, e.g. "dev" or "v7.12.0". Static storage.
std::string_view version() noexcept;

}  // namespace av::cli
