#!/usr/bin/env bash
# Parse workers: a TU that crashes the parser costs that TU, not the run;
# a worker that cannot be started is an error, not a hang.
set -u
ss=$1
work=$2
rules=$3
rm -rf "$work" && mkdir -p "$work/tree"
pass=0 fail=0

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }

# Thirty thousand terms in one expression: the AST is as deep, and walking
# it overflows the stack of whoever walks it.
python3 -c "print('int deep(int a) { return ' + '+'.join(['a'] * 30000) + '; }')" \
	>"$work/tree/deep.c"
cat >"$work/tree/lock.c" <<'EOF'
struct spinlock { int x; };
void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
int split_kernel_leaf_mapping(unsigned long start, unsigned long end);
static struct spinlock l;
void locked(void) { spin_lock(&l); split_kernel_leaf_mapping(0, 4096); spin_unlock(&l); }
EOF
entries=
for f in deep.c lock.c; do
	entries="$entries${entries:+,}{\"directory\": \"$work/tree\", \"file\": \"$f\", \"arguments\": [\"clang\", \"-c\", \"$f\"]}"
done
echo "[$entries]" >"$work/tree/compile_commands.json"

for j in 1 2; do
	timeout 300 "$ss" check -p "$work/tree" --no-cache -j$j \
		>"$work/out" 2>"$work/err"
	rc=$?
	if [ $rc -eq 1 ] && grep -q "lock.c:6:.*warning: .*split_kernel_leaf_mapping" "$work/out" &&
	   grep -q "^splitsafe: cannot parse 'deep.c': libclang or the extractor crashed on it (Segmentation fault)$" "$work/err" &&
	   grep -q "1 TUs parsed, 1 failed" "$work/err"; then
		ok "crash in one TU, -j$j: that TU failed, the other reported"
	else
		bad "crash in one TU, -j$j: rc=$rc: $(cat "$work/err" "$work/out" | head -5)"
	fi
done

# No process to spare: with two processes allowed (splitsafe and one
# worker), -j1 works and -j2 is one line and exit 2, not a hang.
# RLIMIT_NPROC does not hold root back: run as another user where we can, from a
# copy that nobody can read wherever the build is.
stage=$(mktemp -d /tmp/splitsafe-workers.XXXXXX)
cp "$ss" "$stage/splitsafe"
cp -r "$rules" "$stage/rules"
mkdir "$stage/tree"
cp "$work/tree/lock.c" "$stage/tree/"
sed "s|$work/tree|$stage/tree|g" "$work/tree/compile_commands.json" \
	>"$stage/tree/compile_commands.json"
chmod -R a+rX "$stage"
# The limit counts every process of the user, so take a uid no process runs
# as (not nobody: another test or service may be running as nobody).
if [ "$(id -u)" -eq 0 ]; then
	uid=$((40000 + $$ % 20000))
	while pgrep -U "$uid" >/dev/null; do uid=$((uid + 1)); done
	as_user="setpriv --reuid=$uid --regid=$uid --clear-groups"
else
	as_user=
fi
# A sanitizer runtime needs processes of its own (LeakSanitizer's tracer at
# exit), so under ASan the limit is not one splitsafe alone must live with:
# the builds without sanitizers run this case.
if [ -n "${ASAN_OPTIONS:-}" ]; then
	echo "skip two processes allowed: a sanitizer build (its runtime forks too)"
else
	printf 'int other(void) { return 0; }\n' >"$stage/tree/deep.c"
	for j in 1 2; do
		timeout 60 $as_user bash -c 'ulimit -u 2; exec "$@"' sh "$stage/splitsafe" \
			check -p "$stage/tree" --rules "$stage/rules/arm64-split.yaml" --no-cache -q -j$j \
			>"$work/out" 2>"$work/err"
		rc=$?
		if [ $j -eq 1 ] && [ $rc -eq 1 ] && [ ! -s "$work/err" ] &&
		   grep -q "lock.c:6:.*warning: " "$work/out"; then
			ok "two processes allowed, -j1: the report"
		elif [ $j -eq 2 ] && [ $rc -eq 2 ] && [ ! -s "$work/out" ] &&
		     [ "$(wc -l <"$work/err")" -eq 1 ] &&
		     grep -q "^splitsafe: cannot start a parse worker: Resource temporarily unavailable$" "$work/err"; then
			ok "two processes allowed, -j2: $(cat "$work/err")"
		else
			bad "two processes allowed, -j$j: rc=$rc: $(head -3 "$work/err" "$work/out")"
		fi
	done
fi
rm -rf "$stage"
echo "workers: $pass passed, $fail failed"
[ $fail -eq 0 ]
