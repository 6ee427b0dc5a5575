#!/bin/sh
# run.sh BUILD_DIR - the teaching labs (`kmemlab lab`, scripts/labs).
#   - every lab's guided part runs green (its expect checks pass);
#   - every generator, seeds 0..20: the -c answers, as an answers file,
#     pass --check; the same seed prints the same exercise twice; -c is
#     the exercise with its '?' filled in;
#   - a wrong answers file fails with the right messages and exit 1;
#   - the listing; one-line errors for a bad lab, seed or answers file;
#   - a lab made of files only (KMEMLAB_LABDIR), and `make install`.
# Prints "ok NAME" or "FAIL NAME"; exit 1 if anything failed.
# Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
case $BUILD in
/*) KMEMLAB=$BUILD/kmemlab ;;
*) KMEMLAB=$ROOT/$BUILD/kmemlab ;;
esac
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failed=0
unset KMEMLAB_CHECK KMEMLAB_LABDIR

ok() { echo "ok $1"; }
fail() {
	echo "FAIL $1"
	[ -f "$TMP/out" ] && head -20 "$TMP/out"
	failed=1
}

if [ ! -x "$KMEMLAB" ]; then
	echo "FAIL labs: $KMEMLAB not built"
	exit 1
fi
cd "$ROOT" || exit 1
labs=$(for d in scripts/labs/*/lab.conf; do basename "$(dirname "$d")"; done)

# lab [ARGS...]: run kmemlab lab, stdout+stderr in $TMP/out, status in rc
lab() {
	"$KMEMLAB" lab "$@" >"$TMP/out" 2>&1 </dev/null
	rc=$?
}

# expect_err NAME STATUS TEXT ARGS...: one line of error, that status
expect_err() {
	name=$1 want=$2 text=$3
	shift 3
	"$KMEMLAB" lab "$@" >"$TMP/stdout" 2>"$TMP/out" </dev/null
	rc=$?
	if [ "$rc" -eq "$want" ] && [ "$(wc -l <"$TMP/out")" -eq 1 ] &&
	   grep -qF -- "$text" "$TMP/out" && [ ! -s "$TMP/stdout" ]; then
		ok "$name"
	else
		echo "(exit $rc, want $want and one line with: $text)" >>"$TMP/out"
		fail "$name"
	fi
}

# --- the listing -------------------------------------------------------
lab
n=0
for l in $labs; do
	grep -qE "^ +[0-9]+  $l " "$TMP/out" && n=$((n + 1))
done
if [ "$rc" -eq 0 ] && [ "$n" -eq "$(echo $labs | wc -w)" ] && [ "$n" -ge 5 ]; then
	ok list
else
	fail list
fi
lab 1
if [ "$rc" -eq 0 ] && grep -q "^Lab buddy: guided part done" "$TMP/out"; then
	ok lab-by-number
else
	fail lab-by-number
fi

# --- guided parts ------------------------------------------------------
for l in $labs; do
	lab "$l"
	if [ "$rc" -eq 0 ] && grep -q "^Lab $l: guided part done" "$TMP/out" &&
	   ! grep -q "expected" "$TMP/out"; then
		ok "guided-$l"
	else
		fail "guided-$l"
	fi
done

# --- generated exercises, seeds 0..20 -----------------------------------
for l in $labs; do
	grep -q '^generator:' "scripts/labs/$l/lab.conf" || continue
	bad=""
	: >"$TMP/out"
	for seed in $(seq 0 20); do
		"$KMEMLAB" lab "$l" -s "$seed" >"$TMP/ex" 2>&1 || { bad="$seed: exit $?"; break; }
		"$KMEMLAB" lab "$l" -s "$seed" >"$TMP/ex2" 2>&1
		cmp -s "$TMP/ex" "$TMP/ex2" || { bad="$seed: not reproducible"; break; }
		"$KMEMLAB" lab "$l" -s "$seed" -c >"$TMP/sol" 2>&1 || { bad="$seed: -c exit $?"; break; }
		q=$(grep -cE '^[0-9]+: \?$' "$TMP/ex")
		[ "$q" -ge 3 ] && [ "$q" -le 8 ] || { bad="$seed: $q questions"; break; }
		# -c is the exercise with the answers in place of '?'
		# (the exercise ends with three lines on how to grade it)
		head -n -3 "$TMP/ex" | grep -vE '^[0-9]+: ' >"$TMP/a"
		grep -vE '^[0-9]+: ' "$TMP/sol" >"$TMP/b"
		cmp -s "$TMP/a" "$TMP/b" || { bad="$seed: -c differs from the exercise"; break; }
		grep -E '^[0-9]+: ' "$TMP/sol" >"$TMP/answers"
		[ "$(wc -l <"$TMP/answers")" -eq "$q" ] || { bad="$seed: answers"; break; }
		"$KMEMLAB" lab "$l" -s "$seed" --check "$TMP/answers" >"$TMP/out" 2>&1 ||
			{ bad="$seed: --check of its own answers failed"; break; }
		grep -q "^$l, exercise $seed: $q of $q right$" "$TMP/out" ||
			{ bad="$seed: no score line"; break; }
	done
	if [ -z "$bad" ]; then
		ok "exercises-$l"
	else
		echo "seed $bad" >>"$TMP/out"
		fail "exercises-$l"
	fi
done
# two seeds differ, two labs with one seed differ
"$KMEMLAB" lab buddy -s 1 >"$TMP/a" 2>&1
"$KMEMLAB" lab buddy -s 2 >"$TMP/b" 2>&1
if ! cmp -s "$TMP/a" "$TMP/b"; then ok seeds-differ; else fail seeds-differ; fi

# --- grading -----------------------------------------------------------
"$KMEMLAB" lab buddy -s 3 -c | grep -E '^[0-9]+: ' >"$TMP/right"
first=$(sed -n 's/^1: //p' "$TMP/right")
{
	echo "# my answers to buddy exercise 3"
	echo ""
	sed -e 's/^1: .*/1: 0x7/' -e 's/^2: .*/2: ?/' "$TMP/right" | sed '3s/$/   # sure/'
} >"$TMP/wrong"
lab buddy -s 3 --check "$TMP/wrong"
if [ "$rc" -eq 1 ] &&
   grep -qx "1: wrong: you wrote 0x7; the answer is $first" "$TMP/out" &&
   grep -q "^2: no answer; the answer is " "$TMP/out" &&
   grep -qx "3: right" "$TMP/out" &&
   grep -q "^buddy, exercise 3: [0-9]* of [0-9]* right$" "$TMP/out"; then
	ok check-wrong
else
	fail check-wrong
fi
# decimal for a hex answer, commas in a list: still right
dec=$(printf '%d' "$first")
sed -e "s/^1: .*/1: $dec/" -e '/^3: /s/ /, /g' -e 's/^3:, /3: /' "$TMP/right" >"$TMP/alt"
lab buddy -s 3 --check "$TMP/alt"
if [ "$rc" -eq 0 ]; then ok check-forms; else fail check-forms; fi
sed -e 's/^1: .*/1: a lot/' "$TMP/right" >"$TMP/junk"
lab buddy -s 3 --check "$TMP/junk"
if [ "$rc" -eq 1 ] && grep -q "^1: wrong: 'a lot' is not a number; the answer is" "$TMP/out"; then
	ok check-unreadable
else
	fail check-unreadable
fi
# the same answers are wrong for another exercise
lab buddy -s 4 --check "$TMP/right"
if [ "$rc" -eq 1 ]; then ok check-other-seed; else fail check-other-seed; fi

# --- one-line errors ---------------------------------------------------
expect_err bad-lab 2 "no lab 'nosuch'" nosuch
expect_err bad-lab-number 2 "no lab '99'" 99
expect_err bad-seed 2 "bad seed 'abc'" buddy -s abc
expect_err bad-seed-negative 2 "bad seed '-1'" buddy -s -1
expect_err bad-seed-big 2 "bad seed '4294967296'" buddy -s 4294967296
expect_err missing-seed-arg 2 "option '-s' needs an argument" buddy -s
expect_err answers-without-seed 2 "-c needs an exercise" buddy -c
expect_err check-without-seed 2 "--check needs an exercise" buddy --check x
expect_err bad-option 2 "unknown option '--nope'" buddy --nope
expect_err two-labs 2 "one lab at a time" buddy zones
expect_err dashboard-no-tty 2 "--dashboard needs a terminal" buddy --dashboard
expect_err check-missing-file 2 "$TMP/none: No such file" buddy -s 1 --check "$TMP/none"
printf '1: 0x1\nhello\n' >"$TMP/mal"
expect_err check-malformed 2 "$TMP/mal:2: expected 'N: VALUE', found 'hello'" buddy -s 1 --check "$TMP/mal"
printf '# fine\n1: 0x1\n\n99: 4\n' >"$TMP/mal"
expect_err check-no-such-question 2 "$TMP/mal:4: there is no question 99" buddy -s 1 --check "$TMP/mal"
printf '1: 0x1\n1: 0x2\n' >"$TMP/mal"
expect_err check-twice 2 "$TMP/mal:2: question 1 is answered twice" buddy -s 1 --check "$TMP/mal"

# --- a lab is just files (KMEMLAB_LABDIR) --------------------------------
mkdir -p "$TMP/labs/mine"
printf 'title: my own lab\nnumber: 9\nmachine: tiny\n' >"$TMP/labs/mine/lab.conf"
printf 'Intro text.\n' >"$TMP/labs/mine/intro.txt"
printf 'echo "narration"\na = alloc_pages GFP_KERNEL 0\nexpect a order == 0\nexpect a order == 1\necho "not reached"\n' \
	>"$TMP/labs/mine/guided.kmem"
KMEMLAB_LABDIR=$TMP/labs "$KMEMLAB" lab >"$TMP/out" 2>&1
if grep -q "^   9  mine      my own lab (no exercises yet)$" "$TMP/out"; then
	ok labdir-list
else
	fail labdir-list
fi
KMEMLAB_LABDIR=$TMP/labs "$KMEMLAB" lab mine >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q "^Intro text.$" "$TMP/out" &&
   grep -qx "narration" "$TMP/out" && ! grep -q "not reached" "$TMP/out" &&
   grep -qx "mine/guided.kmem:4: expected a order == 1, got 0" "$TMP/err"; then
	ok labdir-guided-fails
else
	cat "$TMP/err" >>"$TMP/out"
	fail labdir-guided-fails
fi
KMEMLAB_LABDIR=$TMP/labs "$KMEMLAB" lab mine -s 1 >"$TMP/out" 2>&1
if [ $? -eq 2 ] && grep -q "mine has no exercise generator" "$TMP/out"; then
	ok labdir-no-generator
else
	fail labdir-no-generator
fi
KMEMLAB_LABDIR=$TMP/nowhere "$KMEMLAB" lab >"$TMP/out" 2>&1
if [ $? -eq 2 ] && [ "$(wc -l <"$TMP/out")" -eq 1 ]; then
	ok labdir-missing
else
	fail labdir-missing
fi

# --- --dashboard: the guided part in the dashboard, paused, n steps -------
if command -v tmux >/dev/null 2>&1; then
	T="tmux -L kmemlab-labs$$"
	# screen_has TEXT: poll the pane (up to ~5 s) until TEXT shows
	screen_has() {
		i=0
		while [ $i -lt 50 ]; do
			$T capture-pane -p >"$TMP/screen" 2>/dev/null
			grep -qF -- "$1" "$TMP/screen" && return 0
			sleep 0.1
			i=$((i + 1))
		done
		return 1
	}
	$T new-session -d -x 120 -y 40 "$KMEMLAB lab buddy --dashboard; echo EXITED \$?; sleep 30"
	if screen_has "guided.kmem 0/" && grep -q "paused" "$TMP/screen" &&
	   $T send-keys n && $T send-keys n &&
	   screen_has "play guided.kmem 4/" &&
	   grep -q "play guided.kmem 4/[0-9]* paused" "$TMP/screen" &&
	   $T send-keys q && screen_has "EXITED 0"; then
		ok dashboard
	else
		cp "$TMP/screen" "$TMP/out" 2>/dev/null
		fail dashboard
	fi
	$T kill-server 2>/dev/null
else
	echo "FAIL dashboard: tmux is not installed"
	failed=1
fi

# --- make install puts the labs where the installed binary finds them ----
if make -s --no-print-directory BUILD="$BUILD" DESTDIR="$TMP/inst" PREFIX=/usr \
	install >"$TMP/out" 2>&1 &&
   [ -f "$TMP/inst/usr/share/kmemlab/labs/buddy/guided.kmem" ] &&
   "$TMP/inst/usr/bin/kmemlab" lab >"$TMP/out" 2>&1 &&
   grep -q " buddy " "$TMP/out" &&
   "$TMP/inst/usr/bin/kmemlab" lab pcp -s 2 -c >/dev/null 2>&1; then
	ok install
else
	fail install
fi

exit $failed
