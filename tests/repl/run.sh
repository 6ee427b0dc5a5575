#!/bin/sh
# run.sh BUILD_DIR - drive the kmemlab REPL inside a detached tmux session
# (a real terminal: readline, completion, history, Ctrl-C, Ctrl-D) and
# check what the screen shows.  Prints "ok NAME" or "FAIL NAME" per case
# and exits 1 if any failed.  Uses its own tmux socket, so a user's tmux
# is never touched, and a temporary XDG_STATE_HOME for the history file.
# Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
BUILD=${1:-build}
KMEMLAB=$(cd "$(dirname "$BUILD/kmemlab")" && pwd)/kmemlab
TMUX_CMD="tmux -L kmemtest$$"
STATE=$(mktemp -d)
failed=0

cleanup() {
	$TMUX_CMD kill-server 2>/dev/null
	rm -rf "$STATE"
}
trap cleanup EXIT INT TERM

if ! command -v tmux >/dev/null 2>&1; then
	echo "FAIL repl: tmux is not installed"
	exit 1
fi
if [ ! -x "$KMEMLAB" ]; then
	echo "FAIL repl: $KMEMLAB not built"
	exit 1
fi

# start [ENV=VAL...] -- ARGS: a fresh tmux session running kmemlab ARGS;
# the previous session is closed.  Each session has its own name.
nsession=0
SESSION=
start() {
	# the old session goes only after the new one exists: killing the
	# server's last session first makes the server exit, and a
	# new-session racing that exit fails ("no server running")
	old=$SESSION
	nsession=$((nsession + 1))
	SESSION=k$nsession
	envs="XDG_STATE_HOME=$STATE HOME=$STATE"
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		envs="$envs $1"
		shift
	done
	[ "$1" = "--" ] && shift
	# remain-on-exit keeps a dead pane around to read its exit status
	# the shell records kmemlab's exit status: tmux's own #{pane_dead_status}
	# is sometimes never filled in on a loaded machine
	$TMUX_CMD -f /dev/null new-session -d -s "$SESSION" -x 120 -y 40 \
		"env $envs TERM=xterm $KMEMLAB $*; echo \$? >$STATE/status.$SESSION" \; \
		set-option -t "$SESSION" remain-on-exit on >/dev/null
	[ -n "$old" ] && $TMUX_CMD kill-session -t "$old" 2>/dev/null
	wait_for 'kmemlab(' || true
}

screen() {
	$TMUX_CMD capture-pane -p -t "$SESSION" 2>/dev/null
}

# wait_for TEXT: poll the screen for up to 10 s (a loaded machine is slow
# to start a REPL; success returns at once)
wait_for() {
	i=0
	while [ $i -lt 200 ]; do
		if screen | grep -F -q -- "$1"; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# the line the cursor is on
cursor_line() {
	y=$($TMUX_CMD display -p -t "$SESSION" '#{cursor_y}')
	screen | sed -n "$((y + 1))p"
}

# wait_cursor REGEX: poll the cursor's line for up to 10 s
wait_cursor() {
	i=0
	while [ $i -lt 200 ]; do
		if cursor_line | grep -q -- "$1"; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# wait_dead: poll until kmemlab has exited (up to 10 s); print its exit
# status, or "running"
wait_dead() {
	i=0
	while [ $i -lt 200 ]; do
		if [ -s "$STATE/status.$SESSION" ]; then
			cat "$STATE/status.$SESSION"
			return
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo running
}

# prompt_ready: wait until readline shows an empty prompt at the cursor,
# i.e. the last command finished and the terminal is in readline's mode
# again (keys sent earlier may reach a cooked-mode terminal: a Ctrl-D there
# is lost, as it would be for a person typing that fast)
prompt_ready() {
	wait_cursor '^kmemlab([^)]*)>$'
}

keys() {
	$TMUX_CMD send-keys -t "$SESSION" "$@"
	sleep 0.15
}

check() {        # check NAME CONDITION-RESULT(0/1) [DETAIL]
	if [ "$2" -eq 0 ]; then
		echo "ok $1"
	else
		echo "FAIL $1"
		[ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'
		echo "    screen:"
		screen | sed -e '/^$/d' -e 's/^/    | /'
		failed=1
	fi
}

# --- prompt -----------------------------------------------------------
start -- -m tiny
screen | head -1 | grep -q '^kmemlab(tiny cpu0)>$'
check repl-prompt $?

start -- -m i386-1g
prompt_ready
keys 'cpu 1' Enter
wait_for 'kmemlab(i386-1g cpu1)>'
check repl-prompt-names-cpu $?

# --- completion -------------------------------------------------------
start -- -m tiny
keys 'expla' Tab
wait_cursor '> explain$'
check repl-complete-command $? "$(cursor_line)"

keys C-u 'alloc_pages GFP_HIGHU' Tab
wait_cursor '> alloc_pages GFP_HIGHUSER$'
check repl-complete-gfp $? "$(cursor_line)"

keys C-u 'alloc_pages GFP_KERNEL|__GFP_ZE' Tab
wait_cursor '> alloc_pages GFP_KERNEL|__GFP_ZERO$'
check repl-complete-gfp-after-bar $? "$(cursor_line)"

keys C-u 'show free' Tab
wait_cursor '> show free_area$'
check repl-complete-show-subcommand $? "$(cursor_line)"

keys C-u 'cat /proc/bud' Tab
wait_cursor '> cat /proc/buddyinfo$'
check repl-complete-proc-path $? "$(cursor_line)"

keys C-u 'buffer = alloc_page' Enter
wait_for '$1 (buffer) = pfn'
prompt_ready
keys 'free buf' Tab
wait_cursor '> free buffer$'
check repl-complete-name $? "$(cursor_line)"
keys C-u

keys 'swapon /swapfile 1M' Enter
wait_for 'swapon /swapfile: type 0'
prompt_ready
keys 'swapoff /sw' Tab
wait_cursor '> swapoff /swapfile$'
check repl-complete-swap-device $? "$(cursor_line)"
keys C-u 'cat /proc/swa' Tab
wait_cursor '> cat /proc/swaps$'
check repl-complete-proc-swaps $? "$(cursor_line)"
keys C-u

mkdir -p "$STATE/scripts"
echo 'echo from-script' > "$STATE/scripts/setup.kmem"
prompt_ready
keys "source $STATE/scripts/set" Tab
wait_cursor 'setup.kmem$'
check repl-complete-file $? "$(cursor_line)"
keys Enter
wait_for 'from-script'
check repl-source $?

# --- completion of the process and file commands ---------------------
start -- -m tiny
prompt_ready
keys 'spawn sh' Enter
wait_for 'pid 2 (sh)'
prompt_ready
keys 'mmap 2 4k rw- sha' Tab
wait_cursor '> mmap 2 4k rw- shared$'
check repl-complete-mmap-flag $? "$(cursor_line)"
keys C-u 'kill -KI' Tab
wait_cursor '> kill -KILL$'
check repl-complete-signal $? "$(cursor_line)"
keys C-u 'file create data 8k' Enter
wait_for 'created data'
prompt_ready
keys 'read da' Tab
wait_cursor '> read data$'
check repl-complete-file-name $? "$(cursor_line)"
keys C-u 'fork 2' Enter
wait_for 'pid 3 (sh), forked from 2'
prompt_ready
keys 'show vma 3' Enter
wait_for 'pid 3 (sh): 7 vmas'
check repl-show-vma $?
# exit PID ends a task; a bare exit still leaves kmemlab
prompt_ready
keys 'exit 3' Enter
wait_for 'pid 3 (sh) exited'
check repl-exit-pid $?
prompt_ready
keys 'exit' Enter
[ "$(wait_dead)" = "0" ]
check repl-exit-leaves $?

# --- history ----------------------------------------------------------
start -- -m tiny
prompt_ready
keys 'echo first-line' Enter
wait_for 'first-line'
prompt_ready
keys 'echo second-line' Enter
prompt_ready
keys Up Up
wait_cursor '> echo first-line$'
check repl-history-up $? "$(cursor_line)"
keys C-u C-d
wait_dead >/dev/null
grep -q '^echo second-line$' "$STATE/kmemlab/history"
check repl-history-file $? "$(cat "$STATE/kmemlab/history" 2>/dev/null)"

start -- -m tiny
prompt_ready
keys Up
wait_cursor '> echo second-line$'
check repl-history-persists $? "$(cursor_line)"
keys C-u

# --- Ctrl-C -----------------------------------------------------------
prompt_ready
keys 'alloc_pages 3'
keys C-c
keys 'show values' Enter
wait_for 'the value history is empty'
r=$?
screen | grep -q 'alloc_pages 3^C'
check repl-ctrl-c-abandons-line $(( r | $? ))

# --- Ctrl-C stops a running source ------------------------------------
# a FIFO whose writer never writes: `source` blocks until interrupted
mkfifo "$STATE/fifo"
sleep 30 >"$STATE/fifo" &
writer=$!
prompt_ready
keys "source $STATE/fifo" Enter
sleep 0.3
keys C-c
wait_for 'warning: interrupted'
r=$?
wait_cursor '^kmemlab(tiny cpu0)>$'
check repl-ctrl-c-stops-source $(( r | $? ))
kill $writer 2>/dev/null
wait $writer 2>/dev/null

# --- errors in the REPL carry no file:line ----------------------------
prompt_ready
keys 'alloc_pgs 3' Enter
wait_for "unknown command 'alloc_pgs' (did you mean 'alloc_pages'?)"
r=$?
screen | grep -q '^unknown command'
check repl-error-line $(( r | $? ))

# --- Ctrl-D -----------------------------------------------------------
prompt_ready
keys C-d
[ "$(wait_dead)" = "0" ]
check repl-ctrl-d-quits $?

start -- -m tiny
prompt_ready
keys 'quit' Enter
[ "$(wait_dead)" = "0" ]
check repl-quit $?

# --- an unwritable history file is a warning, not a failure -----------
start XDG_STATE_HOME=/dev/null/nowhere HOME=/dev/null/nowhere -- -m tiny
screen | grep -q '^warning: cannot write history'
r=$?
screen | grep -q '^kmemlab(tiny cpu0)>$'
check repl-history-unwritable-warns $(( r | $? ))

exit $failed
