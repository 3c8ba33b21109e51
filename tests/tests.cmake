# What unit tests and fuzz targets link: the library, and the source
# tree's rules/, which they read whatever an installed binary would find.
add_library(splitsafe_testing INTERFACE)
target_link_libraries(splitsafe_testing INTERFACE splitsafe_core)
target_compile_definitions(splitsafe_testing INTERFACE
                           SPLITSAFE_RULES_DIR="${CMAKE_SOURCE_DIR}/rules")

# Unit tests: one executable per module, each a plain C program that exits
# non-zero on the first failed check.
file(GLOB UNIT_TESTS ${CMAKE_SOURCE_DIR}/tests/unit/test_*.c)
foreach(src ${UNIT_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} splitsafe_testing)
  add_test(NAME unit/${name} COMMAND ${name}
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}/tests/unit)
endforeach()

find_package(Python3 REQUIRED COMPONENTS Interpreter)

# plugin/ by phases: no folder includes a later one (plugin/LAYERS), no
# source file over 800 lines.
add_test(NAME layers
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/layers.py
                 ${CMAKE_SOURCE_DIR}/plugin)

# Fixture trees: expectations live in the fixture sources.
add_test(NAME fixtures
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/run-fixtures.py
                 --splitsafe $<TARGET_FILE:splitsafe>
                 --fixtures ${CMAKE_SOURCE_DIR}/tests/fixtures
                 --work ${CMAKE_BINARY_DIR}/fixture-work)

# The facts store, --since/--diff and kbuild CHECK mode on fixture copies.
add_test(NAME store
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/store.py
                 --splitsafe $<TARGET_FILE:splitsafe>
                 --fixtures ${CMAKE_SOURCE_DIR}/tests/fixtures
                 --work ${CMAKE_BINARY_DIR}/store-work)

# check --compare REV and --compare-diff FILE on a fixture copy in a git
# repository: new, fixed and unchanged in every format, only the TUs that
# read a changed file parsed for the other side.
add_test(NAME compare
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/compare.py
                 --splitsafe $<TARGET_FILE:splitsafe>
                 --fixtures ${CMAKE_SOURCE_DIR}/tests/fixtures
                 --work ${CMAKE_BINARY_DIR}/compare-work)

# A damaged, read-only or contended facts store costs time, not the answer.
add_test(NAME store-damage
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/store_damage.py
                 --splitsafe $<TARGET_FILE:splitsafe>
                 --fixtures ${CMAKE_SOURCE_DIR}/tests/fixtures
                 --work ${CMAKE_BINARY_DIR}/store-damage-work)

# Parse workers: a TU that crashes the parser fails alone; no process to
# spare is an error, not a hang.
add_test(NAME workers
         COMMAND ${CMAKE_SOURCE_DIR}/tests/workers.sh $<TARGET_FILE:splitsafe>
                 ${CMAKE_BINARY_DIR}/workers-work ${CMAKE_SOURCE_DIR}/rules)

# Command line: bad input gives one line, exit 2, nothing on stdout.
add_test(NAME cli
         COMMAND ${CMAKE_SOURCE_DIR}/tests/cli.sh $<TARGET_FILE:splitsafe>
                 ${CMAKE_BINARY_DIR}/cli-work)

# Real kernel: Debian's linux-source-6.12, arm64, LLVM=-19 (cached in the
# build directory; the first run prepares it, a few minutes).
add_test(NAME kernel-6.12
         COMMAND ${CMAKE_SOURCE_DIR}/tests/kernel/run-6.12.sh
                 $<TARGET_FILE:splitsafe> ${CMAKE_BINARY_DIR})
set_tests_properties(kernel-6.12 PROPERTIES TIMEOUT 2400 LABELS kernel)

# Semantic patches: Coccinelle's own test style (NAME.c, NAME.res).
add_test(NAME cocci COMMAND ${CMAKE_SOURCE_DIR}/tests/cocci/run.sh)

# SARIF: --format sarif on the fixture tree, validated against the official
# SARIF 2.1.0 schema (fetched from the npm registry on the first run and
# kept in the build directory) by Debian's python3-jsonschema, and held
# against the text report.
set(SARIF_PYTHON /usr/bin/python3 CACHE FILEPATH
    "python3 that has python3-jsonschema (Debian's)")
add_test(NAME sarif
         COMMAND ${SARIF_PYTHON} ${CMAKE_SOURCE_DIR}/tests/sarif/check-sarif.py
                 --splitsafe $<TARGET_FILE:splitsafe>
                 --fixtures ${CMAKE_SOURCE_DIR}/tests/fixtures
                 --work ${CMAKE_BINARY_DIR}/sarif-work
                 --schema-cache ${CMAKE_BINARY_DIR}/sarif-schema)

# Which libclang CMake picks, and the message when a choice does not work.
add_test(NAME cmake-choice
         COMMAND ${CMAKE_SOURCE_DIR}/tests/cmake-choice.sh ${CMAKE_SOURCE_DIR}
                 ${CMAKE_BINARY_DIR}/cmake-choice-work)

include(${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz.cmake)

# Sanitizer builds: any report fails the test (the exit status of
# splitsafe, whichever script runs it), with a stack trace.  Leak
# detection stays on: libclang, libyaml and the rest leak nothing that
# LSan reports in these tests, so no suppressions are needed.  One
# allocation of more than a gigabyte is a bug here (a rules file that
# includes /dev/zero) and fails before the machine runs out.
if(SPLITSAFE_SANITIZE)
  get_property(all_tests DIRECTORY PROPERTY TESTS)
  set_property(TEST ${all_tests} APPEND PROPERTY ENVIRONMENT
    "ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:max_allocation_size_mb=1024"
    "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
endif()

# cmake --install into a prefix that is then moved: the installed files
# alone run check, explain, --cocci and the README's pre-commit hook; the
# man page is clean; a binary without its data is an error.
add_test(NAME install
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/install.py
                 --build ${CMAKE_BINARY_DIR} --splitsafe $<TARGET_FILE:splitsafe>
                 --work ${CMAKE_BINARY_DIR}/install-work)

# The Debian package: dpkg-buildpackage on a copy of the tree, lintian,
# dpkg -c, then (as root) apt-get install and the packaged binary on the
# fixture tree.  Only the libclang 19 suite runs it (scripts/test.sh).
add_test(NAME deb
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/deb.py
                 --splitsafe $<TARGET_FILE:splitsafe>
                 --work ${CMAKE_BINARY_DIR}/deb-work)
set_tests_properties(deb PROPERTIES LABELS deb TIMEOUT 1800 SKIP_RETURN_CODE 77)
