# Helpers that keep every module, test and fuzz target built the same way.

# av_add_library(<name> SOURCES <files...> [DEPS <targets...>])
# A project static library: src/ is the include root, av_options carries warnings, hardening and
# sanitizers. DEPS are PUBLIC so the graph in docs/design/ARCHITECTURE.md is the link graph.
function(av_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(${name} PUBLIC av_options ${ARG_DEPS})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

# av_add_unit_test(<name> SOURCES <files...> DEPS <targets...>)
# One Catch2 binary per layer, registered in ctest in random order; a test case without an
# assertion is an error (--warn NoAssertions).
function(av_add_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE av_catch_main av_test_support ${ARG_DEPS})
  set_target_properties(${name} PROPERTIES AV_TEST_TARGET ON)
  add_test(NAME ${name}
           COMMAND ${name} --order rand --warn NoAssertions)
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "AV_TEST_VECTORS=${PROJECT_SOURCE_DIR}/tests/vectors"
    TIMEOUT 600)
endfunction()

# av_add_fuzz_target(<name> SOURCE <file> DEPS <targets...>)
# With AV_FUZZ: a libFuzzer binary fuzz_<name>. Otherwise: the same source linked with
# fuzz/replay_main.cpp and registered in ctest to replay fuzz/corpus/<name>/.
function(av_add_fuzz_target name)
  cmake_parse_arguments(ARG "" "SOURCE" "DEPS" ${ARGN})
  set(target fuzz_${name})
  add_executable(${target} ${ARG_SOURCE})
  target_link_libraries(${target} PRIVATE av_options ${ARG_DEPS})
  if(AV_FUZZ)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer)
  else()
    target_sources(${target} PRIVATE "${PROJECT_SOURCE_DIR}/fuzz/replay_main.cpp")
    add_test(NAME replay_${name}
             COMMAND ${target} "${PROJECT_SOURCE_DIR}/fuzz/corpus/${name}")
  endif()
  set_property(GLOBAL APPEND PROPERTY AV_FUZZ_TARGETS ${name})
endfunction()
