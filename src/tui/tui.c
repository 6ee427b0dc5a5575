/*
 * tui.c - the dashboard's loop and its contact with the session: the
 * widget table, running commands (output sink, trace hook, what the last
 * command touched), frames capped at ~30 a second, and the three entry
 * points of tui.h.
 *
 *   loop:  key --> handler --> flags ------------------+
 *          line from the command line --> session ------+--> frame when
 *          play: due script commands --> session -------+    REDRAW and
 *                                                           33 ms passed
 *   frame: layout (on resize) -> update stale visible widgets -> compose
 *          into the canvas -> blit the rows that changed
 *
 * Every command the dashboard runs goes through tui_execute() (played
 * lines through tui_execute_in_place(), which skips the copy).  A traced
 * run installs our trace hook for that command (the session's own one
 * when `trace on` prints the tree itself), snapshots the free areas and
 * slab counts first so the panes can highlight what changed, collects
 * the PFNs the trace mentions and the values the command produced for
 * the map's marks, and takes a counters sample afterwards.
 *
 * curses is one per process: tui_run refuses to nest (the REPL's `tui`
 * typed inside the dashboard).  That flag and the SIGINT flag pointer
 * are this file's globals.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui_internal.h"
#include "cli.h"

const struct widget widget_table[NR_WIDGETS] = {
	[W_ZONES] = {
		.name = "Zones", .short_name = "Zones",
		.update = zones_update, .draw = zones_draw,
		.min_cols = 40, .min_rows = 5, .pref_rows = zones_pref,
		.before = zones_before,
	},
	[W_FREE] = {
		.name = "Free areas", .short_name = "Free",
		.update = zones_update, .draw = free_draw,
		.min_cols = 40, .min_rows = 4, .pref_rows = free_pref,
	},
	[W_MAP] = {
		.name = "Memory map", .short_name = "Map",
		.update = map_update, .draw = map_draw,
		.min_cols = 20, .min_rows = 6,
		.search = map_search,
	},
	[W_SLABS] = {
		.name = "Slabs", .short_name = "Slabs",
		.update = slabs_update, .draw = slabs_draw,
		.min_cols = 40, .min_rows = 5,
		.before = slabs_before, .sort = slabs_sort, .search = slabs_search,
	},
	[W_LRU] = {
		.name = "LRU", .short_name = "LRU",
		.update = zones_update, .draw = lru_draw,
		.min_cols = 40, .min_rows = 4, .pref_rows = lru_pref,
	},
	[W_TASKS] = {
		.name = "Tasks", .short_name = "Tasks",
		.update = tasks_update, .draw = tasks_draw,
		.min_cols = 40, .min_rows = 4, .pref_rows = tasks_pref,
		.search = tasks_search,
	},
	[W_COUNTERS] = {
		.name = "Counters", .short_name = "Count",
		.update = counters_update, .draw = counters_draw,
		.min_cols = 40, .min_rows = 4, .pref_rows = counters_pref,
	},
	[W_TRACE] = {
		.name = "Trace", .short_name = "Trace",
		.draw = trace_draw,
		.min_cols = 20, .min_rows = 4,
		.search = trace_search,
	},
	[W_OUTPUT] = {
		.name = "Output", .short_name = "Output",
		.draw = output_draw,
		.min_cols = 20, .min_rows = 3,
		.search = output_search,
	},
};

static bool tui_active;                         /* curses is ours */
static volatile sig_atomic_t *sigint_flag;      /* the running tui's intr */

bool tui_running(void)
{
	return tui_active;
}

double tui_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void tui_options_default(struct tui_options *o)
{
	memset(o, 0, sizeof *o);
	o->color = true;
	o->play_delay_ms = 250;
}

struct machine *tui_machine(const struct tui *t)
{
	return session_machine(t->s);
}

void tui_init(struct tui *t, struct session *s, const struct tui_options *o)
{
	memset(t, 0, sizeof *t);
	t->s = s;
	t->opt = *o;
	t->g = o->ascii ? &glyphs_ascii : &glyphs_utf8;
	const char *nc = getenv("NO_COLOR");
	t->color = o->color && !(nc && nc[0]);
	canvas_init(&t->cv);
	ring_init(&t->out, OUTPUT_LINES);
	ring_init(&t->trace, TRACE_LINES);
	kbuf_init(&t->partial);
	kbuf_init(&t->cmd_out);
	t->focus = W_ZONES;
	t->main_slot = W_ZONES;
	t->zoom = -1;
	for (int w = 0; w < NR_WIDGETS; w++)
		t->pane[w].hl_line = -1;
	t->md.zone = -1;
	t->play.rd.fd = -1;
	t->cd.per_tick = o->counters_per_tick;
	t->md.bit_slab = t->md.bit_swapcache = -2;
	t->gen = 1;
	t->cur_y = t->cur_x = -1;
	session_prompt(s, t->prompt, sizeof t->prompt);
}

void tui_fini(struct tui *t)
{
	canvas_free(&t->cv);
	ring_free(&t->out);
	ring_free(&t->trace);
	kbuf_free(&t->partial);
	kbuf_free(&t->cmd_out);
	slabs_free_data(t);
	map_free_data(t);
	tasks_free_data(t);
	free(t->cmd_text);
	free(t->pending);
	play_free(&t->play);
}

/* A line of our own in the output pane ("play: ... finished"). */
void tui_note(struct tui *t, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	ring_add(&t->out, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1,
		 LK_NOTE);
}

/* ------------------------------------------------------------------ */
/* Session output and the trace                                        */
/* ------------------------------------------------------------------ */

#define CMD_OUT_MAX (1u << 20)  /* output kept to rebuild a trace */

/* A line for the Output pane.  When the reader has scrolled back, the
 * view stays on the lines being read. */
static void out_add(struct tui *t, const char *text, size_t len, int kind)
{
	struct pane *p = &t->pane[W_OUTPUT];

	ring_add(&t->out, text, len, kind);
	if (p->scroll > 0 && (size_t)p->scroll + 1 < t->out.n)
		p->scroll++;
}

static void flush_partial(struct tui *t)
{
	if (!t->partial.len)
		return;
	const char *p = t->partial.data;
	int kind = !strncmp(p, "[kernel] ", 9) ? LK_KERNEL : LK_OUT;
	out_add(t, p, t->partial.len, kind);
	kbuf_reset(&t->partial);
}

/* The session's sink: every byte commands print lands here. */
static void tui_sink(void *ctx, enum sess_stream stream, const char *text,
		     size_t len)
{
	struct tui *t = ctx;

	if (t->cmd_out.len + len < CMD_OUT_MAX)
		kbuf_append(&t->cmd_out, text, len);
	if (stream == SESS_ERR)
		flush_partial(t);
	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t n = nl ? (size_t)(nl - text) : len;
		if (stream == SESS_ERR) {
			out_add(t, text, n, LK_ERR);
		} else {
			kbuf_append(&t->partial, text, n);
			if (nl)
				flush_partial(t);
		}
		if (!nl)
			break;
		text += n + 1;
		len -= n + 1;
	}
}

static void touch_add(struct tui *t, unsigned long start, unsigned long end)
{
	for (size_t i = 0; i < t->ntouch_new; i++)
		if (t->touch_new[i][0] == start && t->touch_new[i][1] == end)
			return;
	if (t->ntouch_new < TOUCH_MAX) {
		t->touch_new[t->ntouch_new][0] = start;
		t->touch_new[t->ntouch_new][1] = end;
		t->ntouch_new++;
	}
}

/* "pfn 0x1c00", "pfn 0x1058 (order 3)", "pfn 0x1050 order 4" */
static void touch_parse(struct tui *t, const char *text)
{
	for (const char *p = strstr(text, "pfn "); p; p = strstr(p, "pfn ")) {
		char *end;
		p += 4;
		unsigned long pfn = strtoul(p, &end, 0);
		if (end == p)
			continue;
		unsigned long order = 0;
		const char *q = end;
		while (*q == ' ' || *q == '(')
			q++;
		if (!strncmp(q, "order ", 6)) {
			char *e2;
			order = strtoul(q + 6, &e2, 10);
			if (e2 == q + 6 || order >= KMEM_MAX_ORDER)
				order = 0;
		}
		touch_add(t, pfn, pfn + (1UL << order));
		p = end;
	}
}

static void trace_line(struct tui *t, const char *text, size_t len)
{
	if (t->trace.n + 1 < t->trace.size)
		ring_add(&t->trace, text, len, LK_OUT);
	else if (t->trace.n + 1 == t->trace.size)
		ring_add(&t->trace, "  ... (trace cut short)", 23, LK_NOTE);
}

/* The same lines `trace on` prints (cmd_trace.c), into the Trace pane. */
static void tui_trace(void *ctx, const struct kmem_trace_event *ev)
{
	struct tui *t = ctx;
	char line[600];
	int indent = 2 + 2 * (int)ev->depth, n = 0;

	t->trace_events++;
	if (t->trace.n + 1 >= t->trace.size) {
		trace_line(t, "", 0);
		return;
	}
	switch (ev->kind) {
	case KMEM_TRACE_ENTER:
		n = snprintf(line, sizeof line, "%*s%s(%s)", indent, "", ev->func,
			     ev->text ? ev->text : "");
		break;
	case KMEM_TRACE_NOTE:
		n = snprintf(line, sizeof line, "%*s- %s", indent, "",
			     ev->text ? ev->text : "");
		break;
	case KMEM_TRACE_EXIT:
		n = snprintf(line, sizeof line, "%*s= %s", indent + 2, "",
			     ev->text ? ev->text : "");
		break;
	}
	if (n < 0)
		return;
	trace_line(t, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
	if (ev->text && t->ntouch_new < TOUCH_MAX)
		touch_parse(t, ev->text);
}

/* The session printed the tree itself (trace on, explain): take it from
 * the command's output. */
static void trace_from_output(struct tui *t)
{
	const char *p = t->cmd_out.data ? t->cmd_out.data : "";

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		trace_line(t, p, n);
		char buf[600];
		snprintf(buf, sizeof buf, "%.*s", (int)(n < 599 ? n : 599), p);
		touch_parse(t, buf);
		p += n + (nl != NULL);
	}
}

int tui_execute_in_place(struct tui *t, char *line, bool traced)
{
	struct session *s = t->s;
	size_t nvalues = s->nvalues;
	bool session_traces = s->trace;

	if (traced) {
		for (int w = 0; w < NR_WIDGETS; w++)
			if (widget_table[w].before)
				widget_table[w].before(t);
		ring_clear(&t->trace);
		t->pane[W_TRACE].scroll = 0;
		t->pane[W_TRACE].hl_line = -1;
		t->trace_events = 0;
		t->ntouch_new = 0;
		kbuf_reset(&t->cmd_out);
		if (!session_traces)
			kmem_set_trace(session_machine(s), tui_trace, t);
		const char *c = line;
		while (*c == ' ' || *c == '\t')
			c++;
		snprintf(t->last_cmd, sizeof t->last_cmd, "%s", c);
	}
	int rc = session_execute_line(s, line);
	flush_partial(t);
	t->gen++;
	t->commands++;
	if (traced) {
		session_install_hooks(s);       /* the session's own choice */
		bool explain = s->cur.word && !strcmp(s->cur.word, "explain");
		if (!t->trace_events && (session_traces || explain))
			trace_from_output(t);
		for (size_t i = nvalues; i < s->nvalues; i++)
			touch_add(t, s->values[i].pfn,
				  s->values[i].pfn + (1UL << s->values[i].order));
		memcpy(t->touch, t->touch_new, t->ntouch_new * sizeof t->touch[0]);
		t->ntouch = t->ntouch_new;
		counters_update(t);
		session_prompt(s, t->prompt, sizeof t->prompt);
	}
	return rc;
}

int tui_execute(struct tui *t, const char *line, bool traced)
{
	char *copy = strdup(line);

	if (!copy)
		abort();
	int rc = tui_execute_in_place(t, copy, traced);
	free(copy);             /* s->cur.word may point into it until here */
	return rc;
}

/* A line typed at the dashboard's command line. */
unsigned tui_command(struct tui *t, const char *line)
{
	char word[32], arg1[4096], arg2[32];
	char err[256];
	const char *p = line;

	while (*p == ' ' || *p == '\t' || *p == ':')
		p++;
	if (!*p)
		return TUI_REDRAW;
	word[0] = arg1[0] = arg2[0] = '\0';
	int nw = sscanf(p, "%31s %4095s %31s", word, arg1, arg2);
	const struct command *c = command_lookup(command_table, command_count,
						 word, "command", err, sizeof err);
	if (!strcmp(word, "q") || (c && (c == &cmd_quit || c == &cmd_exit)))
		return TUI_QUIT;
	cmdline_history_add(t, p);
	char echo[4096 + 160];
	int n = snprintf(echo, sizeof echo, "%s%s", t->prompt, p);
	ring_add(&t->out, echo, n < 0 ? 0 : (size_t)n < sizeof echo ?
		 (size_t)n : sizeof echo - 1, LK_ECHO);
	t->pane[W_OUTPUT].scroll = 0;
	if (!strcmp(word, "play")) {
		unsigned long delay = t->opt.play_delay_ms;
		char *end;
		if (nw < 2) {
			tui_note(t, "usage: play FILE [DELAY_MS]");
			return TUI_REDRAW;
		}
		if (nw > 2) {
			delay = strtoul(arg2, &end, 10);
			if (*end || delay > 60000) {
				tui_note(t, "play: DELAY_MS is 0..60000, not '%s'", arg2);
				return TUI_REDRAW;
			}
		}
		play_start(t, arg1, (unsigned)delay);
		return TUI_REDRAW | TUI_UPDATE;
	}
	if (!strcmp(word, "tui")) {
		tui_note(t, "tui: this is the dashboard ('q' returns)");
		return TUI_REDRAW;
	}
	tui_execute(t, p, true);
	if (session_stopped(t->s))
		return TUI_QUIT;        /* --bail, or quit inside a source */
	return TUI_UPDATE | TUI_REDRAW;
}

/* ------------------------------------------------------------------ */
/* Frames                                                              */
/* ------------------------------------------------------------------ */

void tui_update(struct tui *t, bool force)
{
	if (force || t->zd.n == 0 || t->wgen[W_ZONES] != t->gen) {
		zones_update(t);
		t->wgen[W_ZONES] = t->wgen[W_FREE] = t->wgen[W_LRU] = t->gen;
	}
	for (int w = 0; w < NR_WIDGETS; w++) {
		const struct widget *wd = &widget_table[w];
		if (!wd->update || (!force && !t->pane[w].visible))
			continue;
		if (!force && t->wgen[w] == t->gen && w != W_MAP)
			continue;
		wd->update(t);          /* the map checks its own key */
		t->wgen[w] = t->gen;
	}
}

static void frame(struct tui *t, unsigned flags)
{
	int nzones = t->zd.n;

	/* pane heights follow the zone count: know it before the layout */
	if (t->wgen[W_ZONES] != t->gen) {
		zones_update(t);
		t->wgen[W_ZONES] = t->wgen[W_FREE] = t->wgen[W_LRU] = t->gen;
		if (t->zd.n != nzones)
			flags |= TUI_RELAYOUT;
	}
	if (flags & (TUI_RELAYOUT | TUI_FULL)) {
		if (t->curses)
			screen_size(&t->cols, &t->rows);
		layout_compute(t);
	}
	tui_update(t, false);
	frame_compose(t);
	if (t->curses)
		screen_blit(t, flags & TUI_FULL, t->cur_y, t->cur_x);
}

bool tui_touched(const struct tui *t, unsigned long start, unsigned long end)
{
	for (size_t i = 0; i < t->ntouch; i++)
		if (t->touch[i][0] < end && t->touch[i][1] > start)
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */
/* ------------------------------------------------------------------ */

static unsigned command_mode_key(struct tui *t, int key)
{
	switch (key) {
	case 27: {
		int next = screen_peekkey();
		if (next == TK_NONE) {
			cmdline_close(t);
			return TUI_REDRAW;
		}
		cmdline_key(t, 27);     /* Alt-x: readline's meta keys */
		return cmdline_key(t, next);
	}
	case TK_PGUP:
	case TK_PGDN:
		return pane_scroll(t, W_OUTPUT, key);
	case TK_F1:
		t->help = true;
		return TUI_REDRAW;
	case TK_F10:
		return TUI_QUIT;
	default:
		return cmdline_key(t, key);
	}
}

static unsigned dispatch_key(struct tui *t, int key)
{
	if (key == TK_RESIZE)
		return TUI_RELAYOUT | TUI_REDRAW | TUI_FULL;
	if (t->help) {
		t->help = false;
		return TUI_REDRAW;
	}
	switch (t->mode) {
	case MODE_COMMAND:
		return command_mode_key(t, key);
	case MODE_SEARCH:
		return keys_search(t, key);
	default:
		return keys_normal(t, key);
	}
}

static void on_sigint(int sig)
{
	(void)sig;
	if (sigint_flag)
		*sigint_flag = 1;
}

static unsigned handle_interrupt(struct tui *t)
{
	t->intr = 0;
	if (t->play.active) {
		play_stop(t, "interrupted");
	} else if (t->mode == MODE_COMMAND) {
		cmdline_cancel(t);
	}
	return TUI_REDRAW | TUI_UPDATE;
}

/* Signals curses handles itself when it finds them at their defaults:
 * SIGWINCH becomes KEY_RESIZE (the REPL's readline may hold it), SIGTSTP
 * and SIGTERM restore the terminal.  Saved and given back on the way out. */
static const int curses_signals[] = { SIGWINCH, SIGTSTP, SIGTERM };
#define NR_CURSES_SIGNALS (sizeof curses_signals / sizeof curses_signals[0])

int tui_run(struct session *s, const struct tui_options *o)
{
	struct sigaction sa, old_sa, dfl, old_curses[NR_CURSES_SIGNALS];
	char err[256];

	if (tui_active)
		return -1;      /* stderr would land on curses' screen */
	struct tui *t = malloc(sizeof *t);
	if (!t)
		abort();
	tui_init(t, s, o);
	/* ours before curses starts, so ncurses leaves SIGINT alone */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_sa);
	sigint_flag = &t->intr;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	for (size_t i = 0; i < NR_CURSES_SIGNALS; i++)
		sigaction(curses_signals[i], &dfl, &old_curses[i]);
	if (screen_open(t, err, sizeof err)) {
		fprintf(stderr, "kmemlab: %s\n", err);
		for (size_t i = 0; i < NR_CURSES_SIGNALS; i++)
			sigaction(curses_signals[i], &old_curses[i], NULL);
		sigaction(SIGINT, &old_sa, NULL);
		sigint_flag = NULL;
		tui_fini(t);
		free(t);
		return -1;
	}
	tui_active = true;
	t->curses = true;
	sess_sink_fn old_sink = s->sink;
	void *old_ctx = s->sink_ctx;
	const volatile sig_atomic_t *old_interrupt = s->interrupt;
	session_set_sink(s, tui_sink, t);
	s->interrupt = &t->intr;
	cmdline_global_init(t);
	screen_size(&t->cols, &t->rows);
	tui_note(t, "kmemlab dashboard: ':' for a command, '?' for keys, "
		 "'q' to quit");
	if (o->play_file && !play_start(t, o->play_file, o->play_delay_ms) &&
	    o->play_paused)
		play_pause(t);          /* n steps, Space plays */

	unsigned flags = TUI_REDRAW | TUI_RELAYOUT | TUI_FULL;
	double last_frame = -1e9;
	while (!(flags & TUI_QUIT)) {
		double now = tui_now_ms();
		if ((flags & TUI_REDRAW) && now - last_frame >= TUI_FRAME_MS) {
			frame(t, flags);
			last_frame = now;
			flags &= ~(TUI_REDRAW | TUI_RELAYOUT | TUI_FULL | TUI_UPDATE);
		}
		int timeout = play_wait_ms(t);
		if (flags & TUI_REDRAW) {
			int left = (int)(last_frame + TUI_FRAME_MS - now) + 1;
			if (left < 0)
				left = 0;
			if (timeout < 0 || left < timeout)
				timeout = left;
		}
		int key = screen_getkey(t, timeout);
		if (t->intr)
			flags |= handle_interrupt(t);
		if (key != TK_NONE)
			flags |= dispatch_key(t, key);
		if (t->pending) {
			char *line = t->pending;
			t->pending = NULL;
			flags |= tui_command(t, line);
			free(line);
		}
		if (!(flags & TUI_QUIT) && t->play.active && !t->play.paused)
			flags |= play_run(t, TUI_FRAME_MS);
	}

	play_stop(t, "stopped");
	cmdline_global_fini(t);
	screen_close(t);
	session_set_sink(s, old_sink, old_ctx);
	s->interrupt = old_interrupt;
	for (size_t i = 0; i < NR_CURSES_SIGNALS; i++)
		sigaction(curses_signals[i], &old_curses[i], NULL);
	sigaction(SIGINT, &old_sa, NULL);
	sigint_flag = NULL;
	tui_active = false;
	tui_fini(t);
	free(t);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Without a terminal: --once and the benchmark                        */
/* ------------------------------------------------------------------ */

void tui_render_text(struct session *s, const struct tui_options *o,
		     struct kbuf *b)
{
	struct tui *t = malloc(sizeof *t);
	struct tui_options opt = *o;

	if (!t)
		abort();
	opt.ascii = true;
	opt.color = false;
	tui_init(t, s, &opt);
	t->cols = o->cols > 0 ? o->cols : 120;
	t->rows = o->rows > 0 ? o->rows : 40;
	zones_update(t);
	layout_compute(t);
	tui_update(t, true);
	frame_compose(t);
	canvas_dump(&t->cv, b);
	tui_fini(t);
	free(t);
}

#define BENCH_FRAMES 200

double tui_bench_frame_ms(struct session *s, int cols, int rows)
{
	struct tui_options o;
	struct tui *t = malloc(sizeof *t);

	if (!t)
		abort();
	tui_options_default(&o);
	tui_init(t, s, &o);
	t->cols = cols;
	t->rows = rows;
	t->curses = !tui_active && screen_bench_open(t);
	zones_update(t);
	layout_compute(t);
	frame_compose(t);
	double start = tui_now_ms();
	for (int i = 0; i < BENCH_FRAMES; i++) {
		t->gen++;               /* as after a command: all stale */
		tui_update(t, true);
		frame_compose(t);
		if (t->curses)
			screen_blit(t, true, -1, -1);
	}
	double ms = (tui_now_ms() - start) / BENCH_FRAMES;
	if (t->curses)
		screen_bench_close(t);
	tui_fini(t);
	free(t);
	return ms;
}

double tui_bench_play_s(struct session *s, const char *path, int cols,
			int rows)
{
	struct tui_options o;
	struct tui *t = malloc(sizeof *t);

	if (!t)
		abort();
	tui_options_default(&o);
	tui_init(t, s, &o);
	t->cols = cols;
	t->rows = rows;
	t->curses = !tui_active && screen_bench_open(t);
	sess_sink_fn old_sink = s->sink;
	void *old_ctx = s->sink_ctx;
	session_set_sink(s, tui_sink, t);
	double start = tui_now_ms(), secs = -1;
	if (!play_start(t, path, 0)) {
		frame(t, TUI_RELAYOUT);
		while (t->play.active) {
			play_run(t, TUI_FRAME_MS);
			frame(t, 0);
		}
		secs = (tui_now_ms() - start) / 1e3;
	}
	session_set_sink(s, old_sink, old_ctx);
	if (t->curses)
		screen_bench_close(t);
	tui_fini(t);
	free(t);
	return secs;
}
