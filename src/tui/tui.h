/*
 * tui.h - the live dashboard (issue 8): the public face of src/tui for
 * main.c, the REPL's `tui` and `play` commands and the benchmark.
 *
 *   +- kmemlab  tiny  i386  1 CPU  SLAB  jiffies 0 ------- 1Zones 2Free .. -+
 *   | Zones            | Memory map                                       |
 *   | Free areas       |                                                  |
 *   | Slabs            | Trace                                            |
 *   | Counters         |                                                  |
 *   | Output (every byte the commands print)                              |
 *   +- kmemlab(tiny cpu0)> alloc_pages 3_ ---------------------------------+
 *
 * Every pane is a widget over the engine's snapshot queries; the engine
 * never knows about curses.  The same frame can be rendered without a
 * terminal, as plain ASCII text, for `--once` and golden tests.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#ifndef KMEMLAB_TUI_H
#define KMEMLAB_TUI_H

#include <stdbool.h>

#include "kmem.h"

struct session;

struct tui_options {
	bool once;                      /* --once: one text frame (main.c) */
	int cols, rows;                 /* --size COLSxROWS; 0 = default */
	bool color;                     /* false: --no-color (NO_COLOR is
					   also honoured by tui_run) */
	bool ascii;                     /* --ascii: no UTF-8 box/block glyphs */
	const char *play_file;          /* script to play, or NULL */
	unsigned play_delay_ms;         /* pause between its commands; 0 =
					   as fast as frames allow */
	bool play_paused;               /* start the script paused: `n`
					   runs one command (the labs) */
	bool counters_per_tick;         /* the Counters pane starts in its
					   per-tick mode (the `t` key) */
};

/* The defaults: colour and UTF-8 on (tui_run still falls back when the
 * terminal or locale cannot show them), no script, 120x40 for text. */
void tui_options_default(struct tui_options *o);

/*
 * Run the dashboard on an existing session (same machine, value history
 * and readline history) until the user quits with `q` or `:quit`.  When
 * o->play_file is set the script starts playing at once.  The session's
 * output sink and hooks are restored on return.  Returns 0, or -1 with a
 * message on stderr when the terminal cannot be used (not a tty, unknown
 * TERM).  While a dashboard runs, another tui_run returns -1 at once and
 * prints nothing (the screen is curses'): check tui_running() first.
 */
int tui_run(struct session *s, const struct tui_options *o);
/* Is a dashboard running (a `tui` or `play` reached from inside one)? */
bool tui_running(void);

/*
 * Render one frame of o->cols x o->rows (120x40 when 0) as plain ASCII
 * text, one '\n'-terminated line per row with trailing blanks removed, and
 * append it to b.  No curses calls, no colours; deterministic for a given
 * machine state.  o->play_file is ignored (run scripts first).
 */
void tui_render_text(struct session *s, const struct tui_options *o,
		     struct kbuf *b);

/*
 * Benchmark: update every pane from the engine and draw a cols x rows
 * frame off-screen, repeatedly, forcing a full update each time (the
 * worst case: after every command).  Returns milliseconds per frame.
 */
double tui_bench_frame_ms(struct session *s, int cols, int rows);

/*
 * Benchmark: play the script at path at full speed (delay 0) with a
 * cols x rows dashboard drawing its ~30 frames a second off-screen, as
 * `play FILE 0` does on a terminal.  The session's output goes to the
 * output pane.  Returns the seconds it took, or -1 if path cannot be read.
 */
double tui_bench_play_s(struct session *s, const char *path, int cols,
			int rows);

#endif /* KMEMLAB_TUI_H */
