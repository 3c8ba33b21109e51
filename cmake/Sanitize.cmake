# Instrumented builds, for CI and for looking into a crash.
#
#   -DSPLITSAFE_SANITIZE=ON   everything built with ASan and UBSan, any
#                             report fatal (gcc or clang)
#   -DSPLITSAFE_FUZZ=ON       also the libFuzzer targets of tests/fuzz/
#                             (clang with libFuzzer: Debian's clang and
#                             libclang-rt-14-dev); implies SANITIZE
#
# The replay executables of tests/fuzz/ are built either way.
option(SPLITSAFE_SANITIZE "build with -fsanitize=address,undefined" OFF)
option(SPLITSAFE_FUZZ "build the libFuzzer targets (clang)" OFF)

if(SPLITSAFE_FUZZ)
  set(SPLITSAFE_SANITIZE ON)
  include(CheckCSourceCompiles)
  set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer")
  check_c_source_compiles(
    "int LLVMFuzzerTestOneInput(const unsigned char *p, unsigned long n)
     { return 0; }" SPLITSAFE_HAVE_LIBFUZZER)
  unset(CMAKE_REQUIRED_FLAGS)
  if(NOT SPLITSAFE_HAVE_LIBFUZZER)
    message(FATAL_ERROR "SPLITSAFE_FUZZ: ${CMAKE_C_COMPILER} cannot link "
            "-fsanitize=fuzzer (needs clang and libclang-rt-N-dev)")
  endif()
  # coverage for the fuzzers in all code, so the library they link is
  # the one the suite runs
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(SPLITSAFE_SANITIZE)
  set(SPLITSAFE_SANITIZE_FLAGS -fsanitize=address,undefined
      -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_compile_options(${SPLITSAFE_SANITIZE_FLAGS})
  add_link_options(${SPLITSAFE_SANITIZE_FLAGS})
endif()
