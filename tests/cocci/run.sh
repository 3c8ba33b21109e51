#!/usr/bin/env bash
# Semantic patch tests in Coccinelle's own style: for each NAME.c here,
# semantic-patches/NAME.cocci in report mode must print NAME.res; with
# NAME.callers (the list 'splitsafe check --write-sink-callers' writes)
# given through SPLITSAFE_SINK_CALLERS it must print NAME.fed.res; the
# context and org modes must run and mark something.  spatch runs here,
# not in semantic-patches/, as coccicheck runs it from the kernel tree:
# the patches must find splitters.py beside them all the same.
# usage: run.sh [SPATCH]
set -u
here=$(cd "$(dirname "$0")" && pwd)
patches=$(cd "$here/../../semantic-patches" && pwd)
spatch=${1:-spatch}
pass=0 fail=0
cd "$here" || exit 2
if ! command -v "$spatch" >/dev/null; then
	echo "FAIL spatch not found (Debian package coccinelle)"
	exit 1
fi

compare() {	# name, expected file, actual text
	if [ "$(cat "$2")" = "$3" ]; then
		echo "ok   $1"; pass=$((pass + 1))
	else
		echo "FAIL $1"; diff <(cat "$2") <(printf '%s\n' "$3") | sed 's/^/  /'
		fail=$((fail + 1))
	fi
}

run() {		# mode, name
	"$spatch" --very-quiet -D "$1" --cocci-file "$patches/$2.cocci" \
		--no-includes --include-headers "$2.c" 2>&1
}

for c in *.c; do
	name=${c%.c}
	compare "$name report" "$name.res" "$(run report "$name")"
	if [ -f "$name.callers" ]; then
		compare "$name report with splitsafe's callers" "$name.fed.res" \
			"$(SPLITSAFE_SINK_CALLERS=$name.callers run report "$name")"
	fi
	for mode in context org; do
		out=$(run $mode "$name")
		if [ $? -eq 0 ] && [ -n "$out" ] && ! grep -qi 'error' <<<"$out"; then
			echo "ok   $name $mode"; pass=$((pass + 1))
		else
			echo "FAIL $name $mode: $out"; fail=$((fail + 1))
		fi
	done
done
echo "cocci: $pass passed, $fail failed"
[ $fail -eq 0 ]
