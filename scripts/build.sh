#!/usr/bin/env bash
# Install the Debian packages splitsafe needs and build it into build/
# against the newest libclang found (19 on Debian 12).
#   build.sh                 build/
#   build.sh DIR CMAKE-ARGS  DIR, e.g. build.sh build-14 -DLLVM_VERSION=14
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-build}
[ $# -gt 0 ] && shift
"$top/scripts/install-deps.sh"
cmake -S "$top" -B "$top/$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$top/$dir" -j"$(nproc)"
