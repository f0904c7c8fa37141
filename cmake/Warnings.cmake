# Project warning set (STYLE.md §3.9). Applied to project targets only, through av_options;
# third-party headers are included as SYSTEM so their warnings stay out.
include(CheckCXXCompilerFlag)

add_library(av_options INTERFACE)

set(AV_WARNING_FLAGS
  -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wformat=2
  -Wimplicit-fallthrough -Wold-style-cast -Wcast-qual -Wnon-virtual-dtor -Woverloaded-virtual
  -Wnull-dereference -Wundef -Wvla -Wmissing-declarations)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  list(APPEND AV_WARNING_FLAGS -Wduplicated-cond -Wlogical-op)
endif()
foreach(flag IN LISTS AV_WARNING_FLAGS)
  string(MAKE_C_IDENTIFIER "AV_HAS${flag}" var)
  check_cxx_compiler_flag(${flag} ${var})
  if(${var})
    target_compile_options(av_options INTERFACE ${flag})
  endif()
endforeach()
if(AV_WERROR)
  target_compile_options(av_options INTERFACE -Werror)
endif()
