#!/usr/bin/env bash
# Set up, build and run every test: unit tests, fixture trees, command-line
# errors and the real-kernel test (Debian's linux-source-6.12 for arm64,
# built with clang 19, prepared once and cached under build/).  Everything
# but the real-kernel test runs a second time against libclang 14, the
# oldest splitsafe supports (build-14/), and a third time built by clang
# with ASan and UBSan (build-asan/), whose fuzz targets then run for a
# bounded time (FUZZ_SECONDS each, 40 by default).  A suite that fails
# does not stop the others; the status says whether any failed.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/build.sh" build-14 -DLLVM_VERSION=14
"$top/scripts/build.sh" build-asan -DCMAKE_C_COMPILER=clang -DSPLITSAFE_FUZZ=ON \
	-DFUZZ_SECONDS="${FUZZ_SECONDS:-40}"
"$top/scripts/build.sh"

failed=()
suite() {	# title, build directory, ctest arguments...
	local title=$1 dir=$2
	shift 2
	echo "== $title"
	(cd "$top/$dir" && ctest --output-on-failure "$@") || failed+=("$title")
}
suite "libclang 14: every test but the real kernel and the package" build-14 -LE 'kernel|deb' "$@"
suite "ASan+UBSan: every test but the real kernel, the package and the fuzzers" build-asan \
	-LE 'kernel|fuzz|deb' "$@"
suite "libFuzzer: the rules loader, the facts decoder, the diff reader" build-asan \
	-L fuzz "$@"
suite "libclang 19: every test" build "$@"
if [ ${#failed[@]} -ne 0 ]; then
	printf 'FAILED: %s\n' "${failed[@]}"
	exit 1
fi
