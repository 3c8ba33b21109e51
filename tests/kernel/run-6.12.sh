#!/usr/bin/env bash
# Real-kernel test: prepare Debian's linux-source-6.12 for arm64 (cached
# under BUILD_DIR), run splitsafe over it with the 6.12 rules, and check
# the known paths.  usage: run-6.12.sh SPLITSAFE BUILD_DIR
set -euo pipefail
ss=$1
build=$2
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$("$here/prepare-6.12.sh" "$build" | tail -n 1)
res=$build/kernel-6.12
set +e
"$ss" check -p "$out" --rules "$top/rules/arm64-split-6.12.yaml" --show-suppressed \
	arch/arm64/mm/ arch/arm64/kernel/ mm/ init/ kernel/ \
	>"$res/splitsafe.out" 2>"$res/splitsafe.err"
rc=$?
set -e
tail -n 1 "$res/splitsafe.err"
python3 "$here/check-6.12.py" "$rc" "$res/splitsafe.out" "$res/splitsafe.err"
