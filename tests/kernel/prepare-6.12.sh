#!/usr/bin/env bash
# Prepare the real-kernel corpus: Debian's linux-source-6.12, configured for
# arm64 with clang 19 (defconfig + DEBUG_PAGEALLOC + KFENCE + HIBERNATION), the
# directories we analyse built, and compile_commands.json generated.
#
# usage: prepare-6.12.sh BUILD_DIR
# Everything is cached under BUILD_DIR/kernel-6.12; a finished preparation is
# marked by BUILD_DIR/kernel-6.12/.prepared and is not redone.
set -euo pipefail

build=${1:?usage: prepare-6.12.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mkdir -p "$build/kernel-6.12" && cd "$build/kernel-6.12" && pwd)
tarball=/usr/src/linux-source-6.12.tar.xz
dirs="arch/arm64/mm/ arch/arm64/kernel/ mm/ init/ kernel/"
stamp=$work/.prepared
want="$(cat "$0" "$top/scripts/prepare-kernel.sh" | sha256sum | cut -d' ' -f1) $(stat -c %s "$tarball" 2>/dev/null || echo none)"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
	echo "$work/out"
	exit 0
fi

"$top/scripts/install-deps.sh" >&2
rm -rf "$work/src" "$work/out" "$stamp"
mkdir -p "$work/src" "$work/out"
echo "prepare-6.12: extracting $tarball" >&2
tar -xJf "$tarball" -C "$work/src" --strip-components=1

# the directories analysed; drivers/irqchip is left out as before, so that
# the assertions keep their 6.12 figures
ENABLE="DEBUG_PAGEALLOC KFENCE HIBERNATION SUSPEND" LLVM=-19 \
	"$top/scripts/prepare-kernel.sh" "$work/src" "$work/out" $dirs
echo "$want" > "$stamp"
echo "$work/out"
