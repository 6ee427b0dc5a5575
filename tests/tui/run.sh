#!/bin/sh
# run.sh BUILD_DIR [--update] - the dashboard under tmux, as a person sees
# it: start `kmemlab --tui` in a detached tmux session of a fixed size on
# a private socket, type keys with send-keys, read the screen with
# capture-pane -p and check what is shown.  Also the plain-text frames of
# `--tui --once` against tests/tui/*.frame (--update rewrites them).
# Prints "ok NAME" or "FAIL NAME" per case; exits 1 if any failed.
# Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
BUILD=${1:-build}
UPDATE=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
KMEMLAB=$(cd "$(dirname "$BUILD/kmemlab")" && pwd)/kmemlab
TMUX_CMD="tmux -L kmemtui$$"
STATE=$(mktemp -d)
failed=0

cleanup() {
	$TMUX_CMD kill-server 2>/dev/null
	rm -rf "$STATE"
}
trap cleanup EXIT INT TERM

check() {        # check NAME STATUS [DETAIL]
	if [ "$2" -eq 0 ]; then
		echo "ok $1"
	else
		echo "FAIL $1"
		[ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'
		if [ -n "$SESSION" ]; then
			echo "    screen:"
			screen | sed -e '/^ *$/d' -e 's/^/    | /'
		fi
		failed=1
	fi
}

if ! command -v tmux >/dev/null 2>&1; then
	echo "FAIL tui/tmux-missing (tmux is not installed)"
	exit 1
fi
if [ ! -x "$KMEMLAB" ]; then
	echo "FAIL tui/not-built ($KMEMLAB)"
	exit 1
fi
# the options are main.c's: until they exist nothing here can run, and a
# skipped test must not pass
if ! "$KMEMLAB" -m tiny --tui --once --size 80x24 >/dev/null 2>&1; then
	echo "FAIL tui/not-wired (kmemlab --tui not available yet)"
	exit 1
fi

# --- frames without a terminal ----------------------------------------
SESSION=
frame() {        # frame NAME ARGS...: compare with tests/tui/NAME.frame
	name=$1
	shift
	out="$STATE/$name.frame"
	"$KMEMLAB" "$@" >"$out" 2>&1
	if [ "$UPDATE" = "--update" ]; then
		cp "$out" "$HERE/$name.frame"
		echo "ok tui/frame-$name (updated)"
		return
	fi
	diff -u "$HERE/$name.frame" "$out" >"$STATE/diff" 2>&1
	check "tui/frame-$name" $? "$(head -40 "$STATE/diff")"
}
frame tiny-120x40 -m tiny --tui --once --size 120x40
frame tiny-80x24 -m tiny --tui --once --size 80x24
frame tiny-after-script -m tiny -q -e 'a = alloc_pages 3' -e 'tick 5' \
	--tui --once --size 120x40

"$KMEMLAB" -m i386-4g --tui --once --size 200x60 >"$STATE/big" 2>&1
r=$?
lines=$(wc -l <"$STATE/big")
wide=$(awk 'length > 200' "$STATE/big" | wc -l)
grep -q 'Counters' "$STATE/big" && grep -q 'Memory map' "$STATE/big"
check tui/once-large-layout $(( r | $? )) "exit $r, $lines lines, $wide too wide"
[ "$lines" -eq 60 ] && [ "$wide" -eq 0 ]
check tui/once-size-respected $? "$lines lines, $wide too wide"
grep -q '[^ -~]' "$STATE/big"
[ $? -ne 0 ]
check tui/once-is-ascii $?

"$KMEMLAB" -m tiny --tui </dev/null >"$STATE/out" 2>"$STATE/err"
r=$?
[ "$r" -ne 0 ] && grep -q 'terminal' "$STATE/err"
check tui/no-terminal-refused $? "exit $r: $(cat "$STATE/err")"

# --- the live dashboard -----------------------------------------------
nsession=0
start() {        # start COLS ROWS [ENV=VAL...] -- ARGS: kmemlab --tui ARGS
	TUIOPT=--tui
	start_any "$@"
}

repl() {         # repl COLS ROWS [ENV=VAL...] -- ARGS: kmemlab ARGS
	TUIOPT=
	start_any "$@"
}

start_any() {
	# the new session first: a server left with none would exit under us
	old=$SESSION
	nsession=$((nsession + 1))
	SESSION=t$nsession
	cols=$1
	rows=$2
	shift 2
	envs="XDG_STATE_HOME=$STATE HOME=$STATE LANG=C.UTF-8 TERM=xterm-256color"
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		envs="$envs $1"
		shift
	done
	[ "$1" = "--" ] && shift
	$TMUX_CMD -f /dev/null new-session -d -s "$SESSION" -x "$cols" \
		-y "$rows" "env $envs sh $STATE/wrap $STATE/exit.$SESSION $KMEMLAB $TUIOPT $*" \; \
		set-option -t "$SESSION" remain-on-exit on >/dev/null
	[ -n "$old" ] && $TMUX_CMD kill-session -t "$old" 2>/dev/null
	if [ -n "$TUIOPT" ]; then
		wait_for 'Output' || true
	else
		wait_for 'kmemlab(' || true
	fi
}

screen() {
	$TMUX_CMD capture-pane -p -t "$SESSION" 2>/dev/null
}

wait_for() {     # wait_for TEXT: poll the screen for up to 10 s
	i=0
	while [ $i -lt 200 ]; do
		screen | grep -F -q -- "$1" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

wait_gone() {    # wait_gone TEXT: until TEXT is off the screen
	i=0
	while [ $i -lt 80 ]; do
		screen | grep -F -q -- "$1" || return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# kmemlab runs under a wrapper that writes its exit status to a file
# (tmux 3.3 forgets a dead pane's status once its window was resized)
cat >"$STATE/wrap" <<'EOF'
f=$1
shift
"$@"
echo $? >"$f"
EOF

exited() {       # exited STATUS: kmemlab ended with STATUS (within 4 s)
	i=0
	while [ $i -lt 80 ]; do
		[ -f "$STATE/exit.$SESSION" ] && break
		sleep 0.05
		i=$((i + 1))
	done
	[ "$(cat "$STATE/exit.$SESSION" 2>/dev/null)" = "$1" ]
}

keys() {
	$TMUX_CMD send-keys -t "$SESSION" "$@"
	sleep 0.1
}

# the Free areas pane's row for a zone (the Zones pane's says "present")
free_row() {
	screen | sed 's/│/|/g' | grep "^|$1 " | grep -v present | head -1 |
		cut -d'|' -f2
}

# a slab cache's row in the Slabs pane
slab_row() {
	screen | sed 's/│/|/g' | grep "^|$1 " | head -1 | cut -d'|' -f2
}

start 120 40 -- -m tiny
wait_for 'Free areas'
check tui/starts $?
screen | grep -q 'kmemlab tiny'
check tui/title-names-machine $?

before=$(free_row Normal)
title_before=$(screen | head -1)
keys ':'
wait_for 'kmemlab(tiny cpu0)>'
check tui/colon-opens-command-line $?
keys 'alloc_pages 3' Enter
wait_for '$1 = pfn'
check tui/command-output-in-pane $?
after=$(free_row Normal)
[ -n "$before" ] && [ "$before" != "$after" ]
check tui/free-area-count-changes $? "before: $before
after:  $after"
wait_for 'Trace: alloc_pages 3' && screen | grep -q '__rmqueue'
check tui/trace-pane-shows-call-tree $?
[ "$(screen | head -1)" != "$title_before" ]
check tui/title-follows-machine $?

# a new slab: kmalloc when the command exists, else boot caches shown
if "$KMEMLAB" -m tiny -e 'help kmalloc' >/dev/null 2>&1; then
	row_before=$(slab_row size-128)
	keys 'kmalloc 100' Enter
	sleep 0.3
	row_after=$(slab_row size-128)
	[ -n "$row_before" ] && [ "$row_before" != "$row_after" ]
	check tui/kmalloc-changes-slab-row $? "before: $row_before
after:  $row_after"
else
	[ -n "$(slab_row kmem_cache)" ] && [ -n "$(slab_row size-64)" ]
	check tui/slab-caches-shown $?
fi

keys 'alloc_pgs 3' Enter
wait_for "unknown command 'alloc_pgs' (did you mean 'alloc_pages'?)"
check tui/error-in-output-pane $?
keys 'echo last-line' Enter
wait_for 'kmemlab(tiny cpu0)> echo last-line'
keys 'alloc_pages_n' Tab
wait_for 'kmemlab(tiny cpu0)> alloc_pages_node'
check tui/completion $?
keys C-u Up
screen | tail -1 | grep -q 'kmemlab(tiny cpu0)> echo last-line'
check tui/history-up $? "$(screen | tail -1)"
keys C-u Escape
wait_for ': command  Tab focus'
check tui/escape-leaves-command-line $?
grep -q '^alloc_pages 3$' "$STATE/kmemlab/history"
check tui/history-file $? "$(cat "$STATE/kmemlab/history" 2>/dev/null)"

keys '?'
wait_for 'Keys (any key closes)'
check tui/help-overlay $?
keys x
wait_gone 'Keys (any key closes)'
check tui/help-closes $?

keys Tab Tab Enter
sleep 0.2
screen | sed -n 2p | grep -q 'Memory map' && ! screen | grep -q '1 Zones'
check tui/tab-enter-zooms-map $?
keys Enter
wait_for '1 Zones'
check tui/enter-unzooms $?

$TMUX_CMD resize-window -t "$SESSION" -x 80 -y 24
sleep 0.3
wait_for '1Zones 2Free 3Map'
r=$?
wide=$(screen | LC_ALL=C.UTF-8 sed 's/[^ -~]/x/g' | awk 'length > 80' | wc -l)
check tui/resize-small-selector $(( r | wide )) "$wide lines over 80"
$TMUX_CMD resize-window -t "$SESSION" -x 200 -y 60
sleep 0.3
wait_for '7 Counters' && wait_for '5 LRU'
check tui/resize-large-shows-more $?

# `t`: the Counters pane per step of simulated time (kmem_timeline)
keys ':' 'tick 250' Enter Escape
keys t
wait_for '7 Counters (per tick: 2 samples, jiffies 0-250)' &&
	screen | grep -q 'writeback '
check tui/t-counters-per-tick $?
keys t
wait_for '7 Counters (per command)'
check tui/t-counters-per-command $?

keys q
exited 0
check tui/q-quits $?

start 80 24 -- -m tiny
keys ':' 'quit' Enter
exited 0
check tui/colon-quit-quits $?

start 100 30 -- -m tiny --ascii
wait_for '+- 1 Zones' && ! screen | grep -q '─'
check tui/ascii-borders $?
keys q

start 100 30 NO_COLOR=1 -- -m tiny
wait_for '1 Zones'
check tui/no-color-env-runs $?
keys q

# play a script: it runs to its end, stepping works while paused
cat >"$STATE/demo.kmem" <<'EOF'
# a small script
a = alloc_pages 3
b = alloc_pages 0
free a
free b
EOF
start 120 40 -- -m tiny -f "$STATE/demo.kmem"
wait_for 'finished after 4 commands, 0 errors'
check tui/play-runs-script $?
keys ':' "play $STATE/demo.kmem 5000" Enter Escape
wait_for 'play demo.kmem'
keys n
wait_for 'demo.kmem:2> a = alloc_pages 3'
r=$?
keys n
wait_for '$4 (b) = pfn'
check tui/play-step $(( r | $? ))
keys ' '
wait_for 'running'
check tui/play-resume $?
keys q
exited 0
check tui/play-q-quits $?

# from the REPL and back: `tui` and `play` (main.c/cmd_tui.c wire them)
if ! "$KMEMLAB" -m tiny -e 'help tui' >/dev/null 2>&1; then
	echo "FAIL tui/repl-commands-not-wired (no tui command in the REPL yet)"
	exit 1
fi
repl 120 40 -- -m tiny
keys 'x = alloc_pages 2' Enter
wait_for '$1 (x) = pfn'
keys 'tui' Enter
wait_for 'Free areas'
check tui/repl-tui-opens $?
keys ':' 'free x' Enter
wait_for 'freed $1 (x)'
check tui/repl-tui-same-values $?
keys Escape
keys q
wait_gone 'Free areas'
screen | grep -v '^ *$' | tail -1 | grep -q '^kmemlab(tiny cpu0)> *$'
check tui/repl-tui-returns $? "$(screen | grep -v '^ *$' | tail -3)"
keys Up
screen | grep -v '^ *$' | tail -1 | grep -q '> free x$'
check tui/repl-tui-history-shared $? "$(screen | grep -v '^ *$' | tail -1)"
keys C-u "play $STATE/demo.kmem 0" Enter
wait_for 'finished after 4 commands'
check tui/repl-play $?
keys q
wait_gone 'Free areas'
# a second dashboard from the same process still follows resizes
keys 'tui' Enter
wait_for 'Free areas'
$TMUX_CMD resize-window -t "$SESSION" -x 80 -y 24
wait_for '1Zones 2Free 3Map'
check tui/repl-second-tui-resizes $?
keys q
wait_gone '1Zones 2Free 3Map'
keys 'quit' Enter
exited 0
check tui/repl-quit-after-dashboard $?

exit $failed
