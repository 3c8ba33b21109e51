#!/usr/bin/env bash
# Bad input: a one-line error naming the file (and line), exit status 2,
# and nothing on stdout.
set -u
ss=$1
work=$2
rm -rf "$work" && mkdir -p "$work"
pass=0 fail=0

expect_error() {	# name, expected stderr pattern, command...
	local name=$1 pat=$2
	shift 2
	"$@" >"$work/out" 2>"$work/err"
	local rc=$?
	if [ $rc -ne 2 ] || [ -s "$work/out" ] || [ "$(wc -l <"$work/err")" -ne 1 ] ||
	   ! grep -Eq -- "$pat" "$work/err"; then
		echo "FAIL $name: rc=$rc stdout=$(wc -c <"$work/out")B stderr: $(cat "$work/err")"
		fail=$((fail + 1))
	else
		echo "ok   $name: $(cat "$work/err")"
		pass=$((pass + 1))
	fi
}

mkdir -p "$work/empty" "$work/badjson" "$work/notarray" "$work/noentry" "$work/good"
printf '[\n  {"directory": "/tmp",\n   "file": "a.c" "command": "cc a.c"}\n]\n' \
	>"$work/badjson/compile_commands.json"
printf '{"a": 1}\n' >"$work/notarray/compile_commands.json"
printf '[{"directory": "/tmp"}]\n' >"$work/noentry/compile_commands.json"
printf 'int f(void) { return 0; }\n' >"$work/good/a.c"
printf '[{"directory": "%s", "file": "a.c", "arguments": ["clang", "-c", "a.c"]}]\n' \
	"$work/good" >"$work/good/compile_commands.json"
printf 'splitsafe-rules: 1\ncontexts:\n  - kind: x\n    acquires: [a]\n' >"$work/bad.yaml"

expect_error "no database" "cannot open '.*/empty/compile_commands.json'" \
	"$ss" check -p "$work/empty"
expect_error "json syntax" "badjson/compile_commands.json:3:[0-9]+: " \
	"$ss" check -p "$work/badjson"
expect_error "json not an array" "notarray/compile_commands.json:1:1: expected an array" \
	"$ss" check -p "$work/notarray"
expect_error "json entry" "noentry/compile_commands.json: entry 1 lacks" \
	"$ss" check -p "$work/noentry"
expect_error "bad rules" "bad.yaml:4:5: .*acquires" \
	"$ss" check -p "$work/good" --rules "$work/bad.yaml"
expect_error "missing rules" "cannot open '.*/nope.yaml'" \
	"$ss" check -p "$work/good" --rules "$work/nope.yaml"
expect_error "bad -j" "-j needs a positive number" \
	"$ss" check -p "$work/good" -j 0
expect_error "no TU under path" "no C source .* is under the paths given" \
	"$ss" check -p "$work/good" mm/
expect_error "bad option" "bad option '--frob'" "$ss" check --frob
expect_error "unknown command" "unknown command 'frob'" "$ss" frob
expect_error "no spatch" "spatch not found on PATH \\(install Debian's coccinelle\\)" \
	env PATH=/nonexistent "$ss" check -q -p "$work/good" --cocci-facts
expect_error "no spatch for --cocci" "spatch not found on PATH" \
	env PATH=/nonexistent "$ss" check -q -p "$work/good" --cocci
expect_error "unwritable callers file" "cannot write '.*/nodir/callers.tmp" \
	"$ss" check -q -p "$work/good" --write-sink-callers "$work/nodir/callers"
expect_error "bad --format" "--format must be 'text', 'json', 'sarif' or 'mail'" \
	"$ss" check -p "$work/good" --format xml
expect_error "unwritable -o" "cannot write '.*/nodir/report.json.tmp" \
	"$ss" check -q -p "$work/good" --format json -o "$work/nodir/report.json"
expect_error "unwritable --sarif-output" "cannot write '.*/nodir/report.sarif.tmp" \
	"$ss" check -q -p "$work/good" --sarif-output "$work/nodir/report.sarif"
printf '{"splitsafe-baseline": 1,\n "findings": [}\n' >"$work/bad-baseline.json"
printf '{"findings": []}\n' >"$work/not-baseline.json"
expect_error "bad baseline" "bad-baseline.json:2:[0-9]+: " \
	"$ss" check -q -p "$work/good" --baseline "$work/bad-baseline.json"
expect_error "not a baseline" "not-baseline.json:1:1: not a splitsafe baseline" \
	"$ss" check -q -p "$work/good" --baseline "$work/not-baseline.json"
expect_error "missing baseline" "cannot read '.*/nope.json'" \
	"$ss" check -q -p "$work/good" --baseline "$work/nope.json"
expect_error "bad --max-targets" "--max-targets needs a positive number" \
	"$ss" check -p "$work/good" --max-targets 0
expect_error "explain without a name" "explain needs a function name" \
	"$ss" explain -p "$work/good"
expect_error "explain unknown" "no function 'nosuch' in the tree" \
	"$ss" explain -q -p "$work/good" nosuch
expect_error "explain unwritable --dot" "cannot write '.*/nodir/x.dot.tmp" \
	"$ss" explain -q -p "$work/good" f --dot "$work/nodir/x.dot"
mkdir -p "$work/dotdir"
# the rename fails after the text is out: exit 2, one line, no temporary
"$ss" explain -q -p "$work/good" f --dot "$work/dotdir" >"$work/out" 2>"$work/err"
rc=$?
if [ $rc -ne 2 ] || [ "$(wc -l <"$work/err")" -ne 1 ] ||
   ! grep -q "cannot write '.*/dotdir': Is a directory" "$work/err" ||
   ls "$work" | grep -q 'dotdir\.tmp'; then
	echo "FAIL explain --dot onto a directory: rc=$rc $(cat "$work/err")"
	fail=$((fail + 1))
else
	echo "ok   explain --dot onto a directory: $(cat "$work/err")"
	pass=$((pass + 1))
fi
expect_error "--dot with check" "--dot is an option of explain" \
	"$ss" check -q -p "$work/good" --dot "$work/x.dot"
expect_error "--assume-sleeps not a name" "--assume-sleeps needs a function name" \
	"$ss" check -q -p "$work/good" --assume-sleeps 'a b'
expect_error "--assume-sleeps unknown" "--assume-sleeps: no function 'nosuch' in the tree" \
	"$ss" check -q -p "$work/good" --assume-sleeps nosuch
expect_error "explain --assume-sleeps unknown" "--assume-sleeps: no function 'nosuch' in the tree" \
	"$ss" explain -q -p "$work/good" f --assume-sleeps nosuch

# the facts store: a place that cannot hold it
expect_error "cache unwritable" "cannot create '/proc/splitsafe-x'" \
	"$ss" check -p "$work/good" -q --cache /proc/splitsafe-x
# (a file that is not a store is started afresh: tests/store_damage.py)
expect_error "facts empty" "no TU extracted yet" \
	"$ss" check --facts "$work/nofacts" -q
expect_error "facts with --no-cache" "--facts is a facts store already" \
	"$ss" check --facts "$work/nofacts" --no-cache
expect_error "since and diff" "--since and --diff do not go together" \
	"$ss" check -p "$work/good" --since HEAD --diff x.patch
expect_error "since outside git" "'.*git' failed" \
	env GIT_CEILING_DIRECTORIES="$work" "$ss" check -p "$work/good" -q --since HEAD
expect_error "diff missing" "cannot open '.*/nope.patch'" \
	"$ss" check -p "$work/good" -q --diff "$work/nope.patch"
expect_error "extract without source" "no source file: kbuild passes it last" \
	"$ss" extract --facts "$work/f" -Wbitwise --arch=arm64

# stdout full or closed: every command that prints says so, exit 2
expect_error "check to a full stdout" \
	"cannot write the report to standard output: No space left on device" \
	sh -c '"$0" check -p "$1" --format json >/dev/full' "$ss" "$work/good"
expect_error "check to a closed stdout" \
	"cannot write the report to standard output: Bad file descriptor" \
	sh -c '"$0" check -q -p "$1" --format sarif >&-' "$ss" "$work/good"
expect_error "explain to a full stdout" \
	"cannot write the explanation to standard output: No space left on device" \
	sh -c '"$0" explain -p "$1" f >/dev/full' "$ss" "$work/good"
expect_error "explain to a closed stdout" \
	"cannot write the explanation to standard output: Bad file descriptor" \
	sh -c '"$0" explain -q -p "$1" f >&-' "$ss" "$work/good"
expect_error "help to a full stdout" \
	"cannot write the usage to standard output: No space left on device" \
	sh -c '"$0" --help >/dev/full' "$ss"
expect_error "check -h to a closed stdout" \
	"cannot write the usage to standard output: Bad file descriptor" \
	sh -c '"$0" check -h >&-' "$ss"
# -o FILE with stdout closed: nothing goes to stdout, nothing to say
sh -c '"$0" check -q -p "$1" --format json -o "$2" >&-' "$ss" "$work/good" \
	"$work/closed.json" 2>"$work/err"
if [ $? -eq 0 ] && [ ! -s "$work/err" ] && grep -q '"findings"' "$work/closed.json"; then
	echo "ok   -o with a closed stdout"; pass=$((pass + 1))
else
	echo "FAIL -o with a closed stdout: $(cat "$work/err")"; fail=$((fail + 1))
fi

# --diff: input that is not a unified diff names the file
head -c 3000 /dev/urandom | tr -d '\000' >"$work/random.patch"
printf 'hello\nworld\n' >"$work/prose.patch"
: >"$work/empty.patch"
printf -- '--- a/a.c\n+++ b/a.c\n@@ -1 +1 @@\n-x\n+\000y\n' >"$work/nul.patch"
printf -- '--- a/a.c\n+++ b/a.c\n@@ -1,3 +1,3 @@\n-x\n+y\n' >"$work/short.patch"
expect_error "diff of random bytes" "random.patch(:[0-9]+)?: (not a unified diff|malformed)" \
	"$ss" check -q -p "$work/good" --diff "$work/random.patch"
expect_error "diff of prose" "prose.patch: not a unified diff" \
	"$ss" check -q -p "$work/good" --diff "$work/prose.patch"
expect_error "empty diff" "empty.patch: empty, not a unified diff" \
	"$ss" check -q -p "$work/good" --diff "$work/empty.patch"
expect_error "empty diff on stdin" "<stdin>: empty, not a unified diff" \
	sh -c 'printf "" | "$0" check -q -p "$1" --diff -' "$ss" "$work/good"
expect_error "diff: stdin a device" "cannot read '<stdin>': not a regular file" \
	sh -c '"$0" check -q -p "$1" --diff - </dev/null' "$ss" "$work/good"
expect_error "diff with a NUL byte" "nul.patch:5: a NUL byte" \
	"$ss" check -q -p "$work/good" --diff "$work/nul.patch"
expect_error "diff cut short" "short.patch:5: the diff ends inside a hunk" \
	"$ss" check -q -p "$work/good" --diff "$work/short.patch"

# inputs are bounded: not a regular file, or too large, is one line (and
# the address space is capped, so that a regression cannot eat the machine;
# under ASan, which reserves terabytes of shadow, its own allocation cap
# in ASAN_OPTIONS does that)
if [ -n "${ASAN_OPTIONS:-}" ]; then
	bounded() { "$@"; }
else
	bounded() { bash -c 'ulimit -v 4194304; exec "$@"' bounded "$@"; }
fi
printf 'splitsafe-rules: 1\ninclude: /dev/zero\n' >"$work/inc-zero.yaml"
truncate -s 17M "$work/big.yaml"
truncate -s 257M "$work/big.patch"
expect_error "rules from /dev/zero" "cannot read '/dev/zero': not a regular file" \
	bounded "$ss" check -q -p "$work/good" --rules /dev/zero
expect_error "rules include /dev/zero" "inc-zero.yaml:2:10: cannot read '/dev/zero': not a regular file" \
	bounded "$ss" check -q -p "$work/good" --rules "$work/inc-zero.yaml"
expect_error "rules too large" "cannot read '.*/big.yaml': larger than 16 MiB" \
	bounded "$ss" check -q -p "$work/good" --rules "$work/big.yaml"
expect_error "diff from /dev/zero" "cannot read '/dev/zero': not a regular file" \
	bounded "$ss" check -q -p "$work/good" --diff /dev/zero
expect_error "diff too large" "cannot read '.*/big.patch': larger than 256 MiB" \
	bounded "$ss" check -q -p "$work/good" --diff "$work/big.patch"
expect_error "diff a directory" "cannot read '.*/empty': not a regular file" \
	bounded "$ss" check -q -p "$work/good" --diff "$work/empty"
rm -f "$work/big.yaml" "$work/big.patch"

# YAML nested 100000 deep: refused at the limit, not after a quadratic parse
python3 -c 'print("[" * 100000)' >"$work/deep.yaml"
expect_error "rules nested too deep" "deep.yaml:1:65: nested deeper than 64 levels" \
	"$ss" check -q -p "$work/good" --rules "$work/deep.yaml"

# compile database entries it cannot use: one line each, the run goes on
mkdir -p "$work/longpath"
cp "$work/good/a.c" "$work/longpath/a.c"
long=$(python3 -c 'print("/".join(["d" * 200] * 21))')
printf '[{"directory": "%s", "file": "%s/x.c", "arguments": ["clang", "-c", "x.c"]},
 {"directory": "%s", "file": "a.c", "arguments": ["clang", "-c", "a.c"]},
 {"directory": "%s", "file": "a.c", "arguments": ["clang", "-c", "a.c"]}]\n' \
	"$work/longpath" "$long" "$long" "$work/longpath" >"$work/longpath/compile_commands.json"
"$ss" check -p "$work/longpath" --no-cache >"$work/out" 2>"$work/err"
rc=$?
if [ $rc -eq 0 ] && [ ! -s "$work/out" ] && [ "$(wc -l <"$work/err")" -eq 3 ] &&
   grep -q "longpath/compile_commands.json: entry 1: a path longer than PATH_MAX" "$work/err" &&
   grep -q "longpath/compile_commands.json: entry 2: a path longer than PATH_MAX" "$work/err" &&
   grep -q "1 TUs parsed, 2 failed, 1 functions" "$work/err"; then
	echo "ok   compile database paths over PATH_MAX"; pass=$((pass + 1))
else
	echo "FAIL compile database paths over PATH_MAX: rc=$rc $(cat "$work/err")"
	fail=$((fail + 1))
fi

# JSON carries every finding whatever bytes its paths and messages hold:
# a header named h\xff.h, a suppression reason in Latin-1
mkdir -p "$work/bytes"
hdr=$(printf 'h\377.h')
printf 'void split_kernel_leaf_mapping(unsigned long a, unsigned long b);\nvoid spin_lock(int *l);\nvoid spin_unlock(int *l);\nextern int l;\n\nstatic inline void helper(void)\n{\n\tsplit_kernel_leaf_mapping(0, 1);\n}\n\nstatic inline void locked(void)\n{\n\tspin_lock(&l);\n\tsplit_kernel_leaf_mapping(0, 1);\n\tspin_unlock(&l);\n}\n' \
	>"$work/bytes/$hdr"
printf '#include "h\377.h"\nint l;\n\nvoid f(void)\n{\n\tspin_lock(&l);\n\thelper();\n\tspin_unlock(&l);\n}\n\nvoid g(void)\n{\n\tlocked();\n}\n\n/* splitsafe: ignore splitsafe-atomic -- caf\351 */\nvoid k(void)\n{\n\tspin_lock(&l);\n\thelper();\n\tspin_unlock(&l);\n}\n' \
	>"$work/bytes/a.c"
printf '[{"directory": "%s", "file": "a.c", "arguments": ["clang", "-c", "a.c"]}]\n' \
	"$work/bytes" >"$work/bytes/compile_commands.json"
"$ss" check -q --no-cache -p "$work/bytes" --show-suppressed >"$work/bytes.txt" 2>"$work/err"
"$ss" check -q --no-cache -p "$work/bytes" --show-suppressed --format json \
	>"$work/bytes.json" 2>>"$work/err"
if python3 - "$work/bytes.txt" "$work/bytes.json" <<'PY'
import json, sys
text = open(sys.argv[1], 'rb').read().decode('latin-1').splitlines()
doc = json.load(open(sys.argv[2]))
fs = doc['findings']
heads = [l for l in text if ': warning: ' in l or ': note: suppressed: ' in l]
notes = sum(1 for l in text if ': note: ' in l and ': note: suppressed: ' not in l)
places = [n['location'] for f in fs for n in f['notes']] + [f['location'] for f in fs]
enc = [p for p in places if p.get('file_encoding') == 'percent']
ok = (len(heads) == 3 and len(fs) == len(heads) and
      sum(len(f['notes']) for f in fs) == notes and
      any(f['location']['file'] == 'h%FF.h' for f in fs) and
      enc and all(p['file'] == 'h%FF.h' for p in enc) and
      any('caf<E9>' in n['message'] for f in fs for n in f['notes']))
if not ok:
    print('  text %d findings, %d notes; json %d findings, %d notes; %r' %
          (len(heads), notes, len(fs), sum(len(f['notes']) for f in fs), enc))
sys.exit(0 if ok else 1)
PY
then
	echo "ok   json with paths and messages not in UTF-8"; pass=$((pass + 1))
else
	echo "FAIL json with paths and messages not in UTF-8: $(cat "$work/err")"
	fail=$((fail + 1))
fi

# explain a function that reaches no sleeper (under UBSan, an empty sort
# of no array was undefined behaviour)
"$ss" explain -q -p "$work/good" f >"$work/out" 2>"$work/err"
if [ $? -eq 0 ] && grep -q 'f() runs in' "$work/out" && [ ! -s "$work/err" ]; then
	echo "ok   explain without sleepers"; pass=$((pass + 1))
else
	echo "FAIL explain without sleepers: $(cat "$work/err")"; fail=$((fail + 1))
fi

# a clean tree: exit 0, no output
"$ss" check -q -p "$work/good" >"$work/out" 2>"$work/err"
if [ $? -eq 0 ] && [ ! -s "$work/out" ] && [ ! -s "$work/err" ]; then
	echo "ok   clean tree"; pass=$((pass + 1))
else
	echo "FAIL clean tree: $(cat "$work/err")"; fail=$((fail + 1))
fi
# progress: a line on a terminal, nothing on a pipe or with -q
if command -v script >/dev/null; then
	script -qc "$ss check -p $work/good >/dev/null" /dev/null >"$work/tty" 2>&1
	script -qc "$ss check -q -p $work/good >/dev/null" /dev/null >"$work/ttyq" 2>&1
	"$ss" check -p "$work/good" >/dev/null 2>"$work/pipe"
	if grep -q '\[1/1\] a.c' "$work/tty" && ! grep -q '\[1/1\]' "$work/ttyq" &&
	   ! grep -q '\[1/1\]' "$work/pipe"; then
		echo "ok   progress on a terminal only"; pass=$((pass + 1))
	else
		echo "FAIL progress: $(od -c "$work/tty" | head -3)"; fail=$((fail + 1))
	fi
fi
echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
