# Fuzz targets (tests/fuzz/): the rules loader, the facts decoder and the
# diff reader.  Every build makes each a replay executable, run by ctest
# on the inputs that once crashed it (regressions/TARGET/) and on its
# seeds; with -DSPLITSAFE_FUZZ=ON each is also a libFuzzer executable,
# run for FUZZ_SECONDS from the seeds by the tests labelled fuzz.
set(FUZZ_DIR ${CMAKE_SOURCE_DIR}/tests/fuzz)
set(FUZZ_WORK ${CMAKE_BINARY_DIR}/fuzz-work)
set(FUZZ_SECONDS 40 CACHE STRING "how long each libFuzzer test runs")

set(FUZZ_SEEDS_rules ${CMAKE_SOURCE_DIR}/rules ${CMAKE_SOURCE_DIR}/tests/unit/bad-rules)
set(FUZZ_SEEDS_facts ${FUZZ_WORK}/facts-store/facts-seeds)
set(FUZZ_SEEDS_diff ${FUZZ_DIR}/seeds/diff)

# the facts seeds are the blobs of a store made now, by this build
add_test(NAME fuzz/facts-seeds
         COMMAND ${Python3_EXECUTABLE} ${FUZZ_DIR}/facts-seeds.py
                 --splitsafe $<TARGET_FILE:splitsafe>
                 --fixtures ${CMAKE_SOURCE_DIR}/tests/fixtures
                 --work ${FUZZ_WORK}/facts-store)
set_tests_properties(fuzz/facts-seeds PROPERTIES FIXTURES_SETUP fuzz_facts_seeds)

foreach(t rules facts diff)
  add_executable(fuzz_${t}-replay ${FUZZ_DIR}/fuzz_${t}.c ${FUZZ_DIR}/replay.c)
  target_link_libraries(fuzz_${t}-replay splitsafe_testing)
  add_test(NAME fuzz/${t}-replay
           COMMAND fuzz_${t}-replay ${FUZZ_DIR}/regressions/fuzz_${t}
                   ${FUZZ_SEEDS_${t}})
  # what a crashed target leaves behind stays in the build directory
  set_tests_properties(fuzz/${t}-replay PROPERTIES ENVIRONMENT
                       TMPDIR=${FUZZ_WORK}/tmp)
  if(SPLITSAFE_FUZZ)
    add_executable(fuzz_${t} ${FUZZ_DIR}/fuzz_${t}.c)
    target_link_libraries(fuzz_${t} splitsafe_testing)
    target_link_options(fuzz_${t} PRIVATE -fsanitize=fuzzer)
    add_test(NAME fuzz/${t}
             COMMAND ${FUZZ_DIR}/run-fuzzer.sh $<TARGET_FILE:fuzz_${t}>
                     ${FUZZ_WORK}/${t} ${FUZZ_SECONDS} ${FUZZ_SEEDS_${t}})
    math(EXPR timeout "${FUZZ_SECONDS} + 120")
    set_tests_properties(fuzz/${t} PROPERTIES LABELS fuzz TIMEOUT ${timeout})
  endif()
endforeach()
set_tests_properties(fuzz/facts-replay PROPERTIES FIXTURES_REQUIRED fuzz_facts_seeds)
if(SPLITSAFE_FUZZ)
  set_tests_properties(fuzz/facts PROPERTIES FIXTURES_REQUIRED fuzz_facts_seeds)
endif()
