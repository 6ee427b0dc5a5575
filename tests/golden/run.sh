#!/bin/sh
# run.sh BUILD_DIR [--update] - golden transcripts of the command language.
#
# For each tests/golden/NAME.kmem run (from tests/golden)
#     BUILD_DIR/kmemlab --check -x [ARGS] -f NAME.kmem  2>&1
# and compare its output plus a last line "exit N" with NAME.out, byte for
# byte.  Directives in the first lines of NAME.kmem:
#     # args: OPTIONS       extra options, shell-quoted (-m tiny --json ...)
#     # run: stdin          feed the file on standard input instead of -f
#     # run: args-only      run kmemlab with ARGS alone (option tests)
# Prints "ok NAME" or "FAIL NAME" and the diff; --update rewrites the .out
# files (and man/kmemlab-commands.7).  Also checks that the command
# reference in man/kmemlab-commands.7 matches the command table.
# Exit status 1 if anything failed.
# Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
BUILD=${1:-build}
UPDATE=${2:-}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
case $BUILD in
/*) KMEMLAB=$BUILD/kmemlab ;;
*) KMEMLAB=$ROOT/$BUILD/kmemlab ;;
esac
failed=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

if [ ! -x "$KMEMLAB" ]; then
	echo "FAIL golden: $KMEMLAB not built"
	exit 1
fi
cd "$ROOT/tests/golden" || exit 1
unset KMEMLAB_CHECK

for f in *.kmem; do
	name=${f%.kmem}
	args=$(sed -n '1,3s/^# args: //p' "$f")
	mode=$(sed -n '1,3s/^# run: //p' "$f")
	eval "set -- $args"
	case $mode in
	stdin)
		"$KMEMLAB" --check -x "$@" <"$f" >"$tmp" 2>&1 ;;
	args-only)
		"$KMEMLAB" "$@" </dev/null >"$tmp" 2>&1 ;;
	*)
		"$KMEMLAB" --check -x "$@" -f "$f" </dev/null >"$tmp" 2>&1 ;;
	esac
	echo "exit $?" >>"$tmp"
	if [ "$UPDATE" = "--update" ]; then
		if ! cmp -s "$tmp" "$name.out"; then
			cp "$tmp" "$name.out"
			echo "updated $name"
		fi
		echo "ok $name"
	elif cmp -s "$tmp" "$name.out"; then
		echo "ok $name"
	else
		echo "FAIL $name"
		if [ -f "$name.out" ]; then
			diff -u "$name.out" "$tmp" | head -40
		else
			echo "    $name.out is missing (run with --update)"
		fi
		failed=1
	fi
done

# The command reference is generated from the command table.
man=$ROOT/man/kmemlab-commands.7
"$KMEMLAB" --gen-man-commands >"$tmp" 2>&1
if [ "$UPDATE" = "--update" ] && ! cmp -s "$tmp" "$man"; then
	cp "$tmp" "$man"
	echo "updated man/kmemlab-commands.7"
fi
if cmp -s "$tmp" "$man"; then
	echo "ok man-commands-matches-table"
else
	echo "FAIL man-commands-matches-table"
	diff -u "$man" "$tmp" | head -40
	echo "    (regenerate: $KMEMLAB --gen-man-commands > man/kmemlab-commands.7)"
	failed=1
fi
exit $failed
