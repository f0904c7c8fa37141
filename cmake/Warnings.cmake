# Project warning set (STYLE.md §3.9). Applied to project targets only, through av_options;
# third-party headers are included as SYSTEM so their warnings stay out.
include(CheckCXXCompilerFlag)

add_library(av_options INTERFACE)

set(AV_WARNING_FLAGS
  -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wformat=2
  -Wimplicit-fallthrough -Wold-style-cast -Wcast-qual -Wnon-virtual-dtor -Woverloaded-virtual
  -Wundef -Wvla -Wmissing-declarations)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  list(APPEND AV_WARNING_FLAGS -Wduplicated-cond -Wlogical-op)
endif()
# av_add_supported_flags(<flags...>): add each flag the compiler accepts to av_options.
function(av_add_supported_flags)
  foreach(flag IN LISTS ARGN)
    string(MAKE_C_IDENTIFIER "AV_HAS${flag}" var)
    check_cxx_compiler_flag(${flag} ${var})
    if(${var})
      target_compile_options(av_options INTERFACE ${flag})
    endif()
  endforeach()
endfunction()

av_add_supported_flags(${AV_WARNING_FLAGS})
# -Wnull-dereference for product code only: at -O2, GCC 12 reports it inside libstdc++'s
# <streambuf> when tests read vector files with std::ifstream (a system-header false positive).
# Test targets set the AV_TEST_TARGET property (cmake/AvTargets.cmake).
check_cxx_compiler_flag(-Wnull-dereference AV_HAS_WNULL_DEREFERENCE)
if(AV_HAS_WNULL_DEREFERENCE)
  target_compile_options(av_options INTERFACE
    $<$<NOT:$<BOOL:$<TARGET_PROPERTY:AV_TEST_TARGET>>>:-Wnull-dereference>)
endif()

# GCC 12's -Wrestrict reports impossible overlaps inside libstdc++'s `"literal" + std::string`
# when optimising (GCC bugs 105329, 105651; fixed in GCC 13). Off for GCC < 13 only.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(av_options INTERFACE -Wno-restrict)
endif()
if(AV_WERROR)
  target_compile_options(av_options INTERFACE -Werror)
endif()
