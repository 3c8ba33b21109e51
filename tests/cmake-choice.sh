#!/usr/bin/env bash
# Which libclang CMake builds against: the newest llvm-config by default,
# -DLLVM_CONFIG as a name on PATH or a path, -DLLVM_VERSION=N; a choice
# that does not work stops with a message naming what was tried.
set -u
top=$1
work=$2
rm -rf "$work" && mkdir -p "$work"
pass=0 fail=0

configure() {	# name, expected pattern, expected status, cmake args...
	local name=$1 pat=$2 want=$3
	shift 3
	rm -rf "$work/b"
	cmake -S "$top" -B "$work/b" "$@" >"$work/log" 2>&1
	local rc=$?
	if { [ "$want" = ok ] && [ $rc -ne 0 ]; } || { [ "$want" = fail ] && [ $rc -eq 0 ]; } ||
	   ! tr -s ' \n' ' ' <"$work/log" | grep -Eq -- "$pat"; then
		echo "FAIL $name: rc=$rc: $(grep -E 'libclang' "$work/log" | head -3)"
		fail=$((fail + 1))
	else
		echo "ok   $name: $(tr -s ' \n' ' ' <"$work/log" | grep -Eo -- "$pat" | head -1)"
		pass=$((pass + 1))
	fi
}

newest=$(for m in 19 18 17 16 15 14; do
	command -v llvm-config-$m >/dev/null && [ -e "/usr/lib/llvm-$m/include/clang-c/Index.h" ] &&
		{ echo $m; break; }; done)
configure "newest by default" "libclang: \\S+ \\(LLVM $newest\\." ok
configure "-DLLVM_VERSION=14" "libclang: \\S+ \\(LLVM 14\\." ok -DLLVM_VERSION=14
configure "-DLLVM_CONFIG=name" "libclang: \\S+ \\(LLVM 19\\..* from /usr/bin/llvm-config-19\\)" ok \
	-DLLVM_CONFIG=llvm-config-19
configure "-DLLVM_CONFIG=path" "libclang: \\S+ \\(LLVM 14\\..* from /usr/bin/llvm-config-14\\)" ok \
	-DLLVM_CONFIG=/usr/bin/llvm-config-14
configure "unknown name" "libclang not found: tried llvm-config-nope \\(not found\\)" fail \
	-DLLVM_CONFIG=llvm-config-nope
configure "missing version" "libclang not found: tried llvm-config-9 \\(not found\\)" fail \
	-DLLVM_VERSION=9
printf '#!/bin/sh\nexit 1\n' >"$work/broken-llvm-config" && chmod +x "$work/broken-llvm-config"
configure "llvm-config that does not run" "tried $work/broken-llvm-config \\(does not run\\)" fail \
	-DLLVM_CONFIG="$work/broken-llvm-config"
echo "cmake-choice: $pass passed, $fail failed"
[ $fail -eq 0 ]
