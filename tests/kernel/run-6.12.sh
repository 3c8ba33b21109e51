#!/usr/bin/env bash
# Real-kernel test: prepare Debian's linux-source-6.12 for arm64 (cached
# under BUILD_DIR), run splitsafe over it with the 6.12 rules, and check
# the known paths and the boot phases of well-known functions.
# usage: run-6.12.sh SPLITSAFE BUILD_DIR
set -euo pipefail
ss=$1
build=$2
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$("$here/prepare-6.12.sh" "$build" | tail -n 1)
res=$build/kernel-6.12
set +e
# (and the same report as SARIF, from the same run); every path on its
# own, the grouped report is held against it below
rm -f "$res/splitsafe.sarif"
"$ss" check -p "$out" --rules "$top/rules/arm64-split-6.12.yaml" --show-suppressed --stats \
	--all-paths \
	--write-sink-callers "$res/sink-callers" --sarif-output "$res/splitsafe.sarif" \
	arch/arm64/mm/ arch/arm64/kernel/ mm/ init/ kernel/ \
	>"$res/splitsafe.out" 2>"$res/splitsafe.err"
rc=$?
# boot phases, atomic contexts and sleepers of well-known functions (one
# more parse of the same TUs), and their chains as a graph rendered by dot
rm -f "$res/explain.dot" "$res/explain.svg"
"$ss" explain -p "$out" --rules "$top/rules/arm64-split-6.12.yaml" -q \
	--dot "$res/explain.dot" \
	paging_init mem_init kmem_cache_init rcu_spawn_gp_kthread \
	init_per_zone_wmark_min kernel_init_freeable smp_cpus_done \
	setup_system_capabilities secondary_start_kernel start_kernel vfree \
	__free_one_page process_timeout tick_periodic __hrtimer_run_queues \
	rcu_free_slab set_memory_valid kfence_protect_page \
	arch/arm64/mm/ arch/arm64/kernel/ mm/ init/ kernel/ \
	>"$res/explain.out" 2>"$res/explain.err"
erc=$?
dot -Tsvg "$res/explain.dot" >"$res/explain.svg" 2>"$res/dot.err"
drc=$?
# if the buddy allocator's __free_one_page() took a mutex: who breaks
"$ss" check -p "$out" --rules "$top/rules/arm64-split-6.12.yaml" -q --all-paths \
	--assume-sleeps __free_one_page mm/ >"$res/assume.out" 2>"$res/assume.err"
arc=$?
# the semantic patches over mm/ and arch/arm64/mm, as make coccicheck runs
# them, and fed with the functions splitsafe found may reach a sink:
# "patch dir fed status seconds reports error-lines" per run
src=$(cd "$out/source" && pwd)
: >"$res/cocci.txt"
for patch in split_atomic split_callback split_boot; do
	for dir in mm arch/arm64/mm; do
		for fed in no yes; do
			start=$(date +%s)
			callers=
			[ $fed = yes ] && callers=$res/sink-callers
			SPLITSAFE_SINK_CALLERS=$callers \
				timeout 600 spatch --very-quiet -D report \
				--cocci-file "$top/semantic-patches/$patch.cocci" \
				--no-includes --include-headers --jobs 2 --chunksize 1 \
				--dir "$src/$dir" >"$res/cocci.out" 2>"$res/cocci.err"
			crc=$?
			echo "$patch $dir $fed $crc $(( $(date +%s) - start ))" \
				"$(grep -c WARNING "$res/cocci.out")" \
				"$(grep -ci 'error' "$res/cocci.err")" >>"$res/cocci.txt"
		done
	done
done
# and as a maintainer runs them, through the kernel's own make coccicheck
for patch in split_atomic split_callback split_boot; do
	start=$(date +%s)
	timeout 600 make -s -C "$src" coccicheck MODE=report M=arch/arm64/mm/ J=2 \
		COCCI="$top/semantic-patches/$patch.cocci" >"$res/cocci.out" 2>"$res/cocci.err"
	crc=$?
	echo "$patch coccicheck:arch/arm64/mm no $crc $(( $(date +%s) - start ))" \
		"$(grep -c WARNING "$res/cocci.out")" \
		"$(grep -i 'error' "$res/cocci.err" | grep -vc 'not a git repository')" \
		>>"$res/cocci.txt"
done
# the facts store: the same run again loads every TU; a one-file change
# parses that file only; kbuild's CHECK mode over three directories
# reports what check -p does over them
rules=$top/rules/arm64-split-6.12.yaml
dirs="arch/arm64/mm/ arch/arm64/kernel/ mm/ init/ kernel/"
"$ss" check -p "$out" --rules "$rules" --show-suppressed --all-paths $dirs \
	>"$res/store-again.out" 2>"$res/store-again.err"
# the default report: one warning per cause
"$ss" check -p "$out" --rules "$rules" --show-suppressed $dirs \
	>"$res/grouped.out" 2>"$res/grouped.err"
cp -p "$src/mm/vmalloc.c" "$res/vmalloc.c.orig"
echo >>"$src/mm/vmalloc.c"
start=$(date +%s.%N)
"$ss" check -p "$out" --rules "$rules" --show-suppressed --all-paths $dirs \
	>"$res/store-one.out" 2>"$res/store-one.err"
echo "one-file-seconds $(echo "$(date +%s.%N) - $start" | bc)" >"$res/store.txt"
cp -p "$res/vmalloc.c.orig" "$src/mm/vmalloc.c"
kdirs="arch/arm64/mm/ arch/arm64/kernel/ kernel/power/"
rm -rf "$res/kbuild-facts"
start=$(date +%s)
make -s -j"$(nproc)" -C "$src" O="$out" ARCH=arm64 LLVM=-19 C=2 \
	CHECK="$ss extract --facts $res/kbuild-facts --rules $rules" $kdirs \
	>"$res/kbuild-make.out" 2>&1
echo "kbuild-make $? $(( $(date +%s) - start ))" >>"$res/store.txt"
"$ss" check --facts "$res/kbuild-facts" --rules "$rules" --show-suppressed --all-paths \
	>"$res/kbuild.out" 2>"$res/kbuild.err"
"$ss" check -p "$out" --rules "$rules" --show-suppressed --all-paths $kdirs \
	>"$res/kbuild-ref.out" 2>"$res/kbuild-ref.err"
set -e
grep -v '^splitsafe:   ' "$res/splitsafe.err" | tail -n 2
store_rc=0
python3 "$here/check-store.py" "$res" || store_rc=$?
# Debian's python3, for its python3-jsonschema (the SARIF log's schema)
/usr/bin/python3 "$here/check-6.12.py" "$rc" "$res/splitsafe.out" "$res/splitsafe.err" \
	"$erc" "$res/explain.out" "$res/cocci.txt" "$res/sink-callers" \
	"$res/splitsafe.sarif" "$build/sarif-schema" \
	"$drc" "$res/explain.dot" "$res/explain.svg" "$arc" "$res/assume.out" \
	"$res/grouped.out"
exit $store_rc
