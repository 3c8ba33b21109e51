#!/usr/bin/env bash
# Set up, build and run every test: unit tests, fixture trees, command-line
# errors and the real-kernel test (Debian's linux-source-6.12 for arm64,
# prepared once and cached under build/).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/build.sh"
cd "$top/build"
ctest --output-on-failure "$@"
