#!/usr/bin/env bash
# Run one libFuzzer target for a bounded time: its corpus (kept in WORK
# between runs) grows from the seeds; a crash, timeout or leak fails the
# test and leaves its input in WORK/artifacts/, to be kept as a regression
# input under tests/fuzz/regressions/TARGET/ once it is understood.
# usage: run-fuzzer.sh FUZZER WORK SECONDS SEED-DIR...
set -euo pipefail
fuzzer=$1 work=$2 seconds=$3
shift 3
name=$(basename "$fuzzer")
mkdir -p "$work/corpus" "$work/artifacts"
# libFuzzer ends with _exit(): what a target leaves in TMPDIR is here
export TMPDIR=$work/tmp
rm -rf "$TMPDIR" && mkdir "$TMPDIR"
# -timeout: an input slower than that is a bug (a diff or a rules file
# of a few kilobytes takes milliseconds); -rss_limit_mb: so is one that
# makes the loader take more; -max_len: room for the largest rules file
if "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-max_len=32768 -print_final_stats=1 \
	-artifact_prefix="$work/artifacts/" "$work/corpus" "$@" \
	>"$work/log" 2>&1; then
	grep -E '^Done [0-9]+ runs|^stat::peak_rss_mb' \
		"$work/log" || true
	echo "$name: no crash in ${seconds}s; corpus $(ls "$work/corpus" | wc -l) inputs"
	exit 0
fi
tail -n 60 "$work/log"
echo "$name: FAILED; the input is in $work/artifacts/:"
ls -l "$work/artifacts/"
echo "reproduce: $fuzzer $work/artifacts/FILE"
exit 1
