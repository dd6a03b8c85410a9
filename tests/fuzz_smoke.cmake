# Fuzz smoke test (issue 5), included from tests/CMakeLists.txt:
#   include(${CMAKE_CURRENT_SOURCE_DIR}/fuzz_smoke.cmake)
# The libFuzzer entry point of tests/fuzz/fuzz_parser.cpp driven by a deterministic main
# (tests/fuzz/standalone_main.cpp), so it builds with g++ too and runs under the asan preset's
# sanitizers: every seed of tests/fuzz/corpus and of the malformed-input corpus, then 100,000
# pseudo-random mutations of them (fixed seed, so a failure is reproducible; the failing input is
# written to fuzz-smoke-crash.bin in the test's working directory). A few seconds in Release.
# The long libFuzzer run is not part of CTest: see tests/fuzz/CMakeLists.txt.
add_executable(es_fuzz_smoke
  ${CMAKE_CURRENT_LIST_DIR}/fuzz/fuzz_parser.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fuzz/standalone_main.cpp)
target_link_libraries(es_fuzz_smoke PRIVATE es_parser)
add_test(NAME fuzz.smoke
  COMMAND es_fuzz_smoke --mutations 100000 --seed 20240501 --max-len 4096
          ${CMAKE_CURRENT_LIST_DIR}/fuzz/corpus ${CMAKE_CURRENT_LIST_DIR}/data/malformed
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(fuzz.smoke PROPERTIES TIMEOUT 300)
