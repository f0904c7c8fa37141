# Hardening flags (STYLE.md §3.9, the OpenSSF compiler-hardening set). Each flag is probed so an
# older or different compiler builds without it rather than failing.
include(CheckCXXCompilerFlag)
include(CheckCXXSourceCompiles)

set(AV_HARDENING_COMPILE
  -fstack-protector-strong -fstack-clash-protection -fstrict-flex-arrays=3
  -ftrivial-auto-var-init=zero -fPIE)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  list(APPEND AV_HARDENING_COMPILE -fcf-protection=full)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm64")
  list(APPEND AV_HARDENING_COMPILE -mbranch-protection=standard)
endif()
av_add_supported_flags(${AV_HARDENING_COMPILE})

# libstdc++ assertions everywhere; _FORTIFY_SOURCE needs optimisation, so only where -O is on, and
# not under the sanitizers (ASan replaces the checked functions itself).
target_compile_definitions(av_options INTERFACE _GLIBCXX_ASSERTIONS)
if(NOT AV_SANITIZE AND NOT AV_FUZZ)
  target_compile_options(av_options INTERFACE
    $<$<NOT:$<CONFIG:Debug>>:-U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3>)
endif()

# Reproducible paths in release binaries.
target_compile_options(av_options INTERFACE "-ffile-prefix-map=${PROJECT_SOURCE_DIR}/=")

set(AV_HARDENING_LINK -Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack -Wl,--as-needed)

# av_apply_link_options(target): hardening linker flags for executables; PIE unless static.
function(av_apply_link_options target)
  target_link_options(${target} PRIVATE ${AV_HARDENING_LINK})
  if(AV_STATIC)
    target_link_options(${target} PRIVATE -static)
  else()
    set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
    target_link_options(${target} PRIVATE -pie)
  endif()
endfunction()
