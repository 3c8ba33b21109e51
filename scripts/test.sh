#!/usr/bin/env bash
# Set up, build and run every test: unit tests, fixture trees, command-line
# errors and the real-kernel test (Debian's linux-source-6.12 for arm64,
# built with clang 19, prepared once and cached under build/).  Everything
# but the real-kernel test runs a second time against libclang 14, the
# oldest splitsafe supports (build-14/).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/build.sh" build-14 -DLLVM_VERSION=14
"$top/scripts/build.sh"
echo "== libclang 14: every test but the real kernel"
(cd "$top/build-14" && ctest --output-on-failure -LE kernel "$@")
echo "== libclang 19: every test"
cd "$top/build"
ctest --output-on-failure "$@"
