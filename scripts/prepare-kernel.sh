#!/usr/bin/env bash
# Prepare a kernel source tree for splitsafe: configure it out of tree,
# generate its headers, build the directories to analyse (kbuild writes
# the .cmd files compile_commands.json is made from) and write
# OUT/compile_commands.json.
#
# usage: prepare-kernel.sh SRC OUT [DIR...]
#   SRC   a kernel source tree (any version splitsafe's rules cover)
#   OUT   the build directory (created)
#   DIR   directories to build, default: arch/$ARCH/mm/ arch/$ARCH/kernel/
#         mm/ init/ kernel/ drivers/irqchip/
# environment:
#   ARCH     default arm64
#   LLVM     kbuild's LLVM= (default -19: clang-19, ld.lld-19, ...; use 1
#            for unversioned tools); match it with splitsafe's libclang
#   CONFIG   base configuration target, default defconfig
#   ENABLE   options switched on after it, default
#            "DEBUG_PAGEALLOC KFENCE HIBERNATION SUSPEND"
#   JOBS     make -j, default nproc
set -euo pipefail

src=${1:?usage: prepare-kernel.sh SRC OUT [DIR...]}
out=${2:?usage: prepare-kernel.sh SRC OUT [DIR...]}
shift 2
arch=${ARCH:-arm64}
llvm=${LLVM:--19}
config=${CONFIG:-defconfig}
enable=${ENABLE:-DEBUG_PAGEALLOC KFENCE HIBERNATION SUSPEND}
jobs=${JOBS:-$(nproc)}
if [ $# -gt 0 ]; then
	dirs=("$@")
else
	dirs=("arch/$arch/mm/" "arch/$arch/kernel/" mm/ init/ kernel/ drivers/irqchip/)
fi

if [ ! -f "$src/Makefile" ] || [ ! -x "$src/scripts/config" ]; then
	echo "prepare-kernel: '$src' is not a kernel source tree" >&2
	exit 2
fi
case $llvm in
-*) cc=clang$llvm ;;
*) cc=clang ;;
esac
if ! command -v "$cc" >/dev/null; then
	echo "prepare-kernel: '$cc' not found (LLVM=$llvm); on Debian 12: apt-get install clang-19 lld-19 llvm-19" >&2
	exit 2
fi

mkdir -p "$out"
mk() { make -s -C "$src" O="$(cd "$out" && pwd)" ARCH="$arch" LLVM="$llvm" "$@"; }
echo "prepare-kernel: configuring ($config + $enable)" >&2
mk "$config" >&2
opts=()
for o in $enable; do
	opts+=(-e "$o")
done
"$src/scripts/config" --file "$out/.config" "${opts[@]}"
mk olddefconfig >&2
echo "prepare-kernel: make prepare" >&2
mk -j"$jobs" prepare >&2
echo "prepare-kernel: building ${dirs[*]}" >&2
# -k: a directory that fails to build still leaves .cmd files for the rest
mk -k -j"$jobs" "${dirs[@]}" >&2 || echo "prepare-kernel: some objects failed to build" >&2
(cd "$src" && python3 scripts/clang-tools/gen_compile_commands.py \
	-d "$(cd "$out" && pwd)" -o "$(cd "$out" && pwd)/compile_commands.json")
echo "prepare-kernel: $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' \
	"$out/compile_commands.json") TUs in $out/compile_commands.json" >&2
