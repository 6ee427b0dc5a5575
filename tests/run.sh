#!/bin/sh
# run.sh BUILD_DIR - run every kmemlab test against one build and end with
# the line "N passed, N failed" (exit 1 if anything failed).
#   unit     BUILD_DIR/tests/test_*      cmocka; its summary lines are counted
#   golden   tests/golden/run.sh         transcripts, byte for byte
#   repl     tests/repl/run.sh           the REPL under tmux
#   tui      tests/tui/run.sh            the dashboard under tmux (when built)
#   man      mandoc -Tlint on man/*
# Sub-runners print "ok NAME" / "FAIL NAME" lines; each line is one test.
# Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
BUILD=${1:-build}
pass=0
fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count_cmocka() {     # count_cmocka NAME OUTPUT RC
	p=$(printf '%s\n' "$2" | sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p' | head -1)
	f=$(printf '%s\n' "$2" | sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s), listed below.*/\1/p' | head -1)
	p=${p:-0}
	f=${f:-0}
	if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1     # crashed or failed outside a test
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$f" -ne 0 ]; then
		echo "FAIL unit/$1 ($p passed, $f failed)"
		printf '%s\n' "$2" | grep -E 'FAILED|ERROR|error|Assert|Sanitizer|runtime error' | head -20
	else
		echo "ok   unit/$1 ($p tests)"
	fi
}

count_lines() {      # count_lines SUITE COMMAND...
	suite=$1
	shift
	"$@" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^FAIL ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "FAIL $suite: runner exited $rc"
		tail -20 "$log"
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$f" -ne 0 ]; then
		sed -n '/^FAIL /,/^ok /p' "$log" | grep -v '^ok ' | head -60
	fi
	echo "$suite: $p passed, $f failed" | sed 's/^/     /'
}

for t in "$BUILD"/tests/test_*; do
	case $t in *.o|*.d) continue ;; esac
	[ -x "$t" ] || continue
	out=$("$t" 2>&1)
	count_cmocka "$(basename "$t")" "$out" $?
done

[ -x tests/golden/run.sh ] || [ -f tests/golden/run.sh ] && count_lines golden sh tests/golden/run.sh "$BUILD"
[ -f tests/repl/run.sh ] && count_lines repl sh tests/repl/run.sh "$BUILD"
[ -f tests/tui/run.sh ] && count_lines tui sh tests/tui/run.sh "$BUILD"
[ -f tests/labs/run.sh ] && count_lines labs sh tests/labs/run.sh "$BUILD"

for f in man/*.[1-9]; do
	[ -f "$f" ] || continue
	if out=$(mandoc -Tlint -W warning "$f" 2>&1) && [ -z "$out" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL man/$(basename "$f")"
		printf '%s\n' "$out" | head -10
	fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
