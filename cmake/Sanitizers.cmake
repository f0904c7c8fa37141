# AV_SANITIZE: ASan + UBSan for every project target (the "dev"/"asan" preset); AV_FUZZ adds
# libFuzzer on top (clang only).
if(AV_SANITIZE OR AV_FUZZ)
  set(AV_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_compile_options(av_options INTERFACE ${AV_SAN_FLAGS})
  target_link_options(av_options INTERFACE ${AV_SAN_FLAGS})
endif()
if(AV_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "AV_FUZZ needs clang (libFuzzer); configure with CMAKE_CXX_COMPILER=clang++")
  endif()
  target_compile_definitions(av_options INTERFACE AV_FUZZING=1)
  target_compile_options(av_options INTERFACE -fsanitize=fuzzer-no-link)
endif()
