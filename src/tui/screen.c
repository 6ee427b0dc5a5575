/*
 * screen.c - the dashboard's only contact with curses: opening and
 * closing the terminal, the semantic colour table (htop's CRT_colors),
 * reading keys, and copying the canvas to the screen.
 *
 *   canvas cells --(rows that changed since the last frame)--> runs of
 *   equal colour/attribute --> wattr_set + mvwaddnwstr --> doupdate
 *
 * Colours have meanings, not names: C_FREE is "a free page", and this
 * file alone decides it is green.  Without colour (a monochrome terminal,
 * NO_COLOR set, --no-color) each meaning falls back to an attribute, and
 * the memory map keeps its glyphs, so nothing depends on colour alone.
 *
 * curses is process-global state; the dashboard opens one screen at a
 * time (tui_run refuses to nest), so the file's globals are those of
 * curses itself plus the last frame for diffing.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#define NCURSES_WIDECHAR 1
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>

#include "tui_internal.h"

struct color_def {
	short fg, bg;           /* curses colours, -1 = terminal default */
	attr_t attr;            /* with colour */
	attr_t mono;            /* without colour */
};

static const struct color_def color_table[NR_COLORS] = {
	[C_NORMAL]    = { -1, -1, 0, 0 },
	[C_TITLE]     = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[C_BORDER]    = { COLOR_BLUE, -1, 0, 0 },
	[C_FOCUS]     = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[C_LABEL]     = { COLOR_CYAN, -1, 0, A_BOLD },
	[C_DIM]       = { -1, -1, A_DIM, A_DIM },
	[C_CHANGED]   = { COLOR_BLACK, COLOR_YELLOW, 0, A_REVERSE },
	[C_ERROR]     = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[C_KERNEL]    = { COLOR_MAGENTA, -1, 0, A_UNDERLINE },
	[C_ECHO]      = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[C_MATCH]     = { COLOR_BLACK, COLOR_GREEN, 0, A_REVERSE | A_UNDERLINE },
	[C_FREE]      = { COLOR_GREEN, -1, 0, 0 },
	[C_PCP]       = { COLOR_YELLOW, -1, 0, 0 },
	[C_SLAB]      = { COLOR_MAGENTA, -1, A_BOLD, 0 },
	[C_VMALLOC]   = { COLOR_CYAN, -1, A_BOLD, 0 },
	[C_PAGECACHE] = { COLOR_BLUE, -1, A_BOLD, 0 },
	[C_ANON]      = { COLOR_RED, -1, 0, 0 },
	[C_PAGETABLE] = { COLOR_YELLOW, -1, A_BOLD, 0 },
	[C_RESERVED]  = { COLOR_WHITE, -1, A_BOLD, A_BOLD },
	[C_SWAPCACHE] = { COLOR_RED, -1, A_BOLD, 0 },
	[C_ALLOC]     = { -1, -1, 0, 0 },
	[C_HOLE]      = { -1, -1, A_DIM, A_DIM },
	[C_TOUCHED]   = { -1, -1, A_REVERSE | A_BOLD, A_REVERSE | A_BOLD },
	[C_WM_MIN]    = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[C_WM_LOW]    = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[C_WM_HIGH]   = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[C_SPARK]     = { COLOR_CYAN, -1, 0, 0 },
	[C_HELP]      = { COLOR_WHITE, COLOR_BLUE, 0, 0 },
	[C_SELECT]    = { COLOR_BLACK, COLOR_YELLOW, 0, A_REVERSE },
};

static SCREEN *scr;                     /* our curses screen */
static FILE *bench_out, *bench_in;      /* /dev/null for the benchmark */
static struct cell *shown;              /* the frame on the terminal */
static int shown_cols, shown_rows;      /* its size */
static bool use_color;                  /* pairs initialised */
static char saved_env[2][16];           /* LINES, COLUMNS while hidden */

static void colors_init(struct tui *t)
{
	use_color = false;
	if (!t->color || !has_colors() || start_color() == ERR)
		return;
	bool dflt = use_default_colors() != ERR;
	for (int i = 1; i < NR_COLORS; i++) {
		short fg = color_table[i].fg, bg = color_table[i].bg;
		if (!dflt) {
			fg = fg < 0 ? COLOR_WHITE : fg;
			bg = bg < 0 ? COLOR_BLACK : bg;
		}
		init_pair((short)i, fg, bg);
	}
	use_color = COLORS >= 8 && COLOR_PAIRS > NR_COLORS;
}

static void forget_shown(void)
{
	free(shown);
	shown = NULL;
	shown_cols = shown_rows = 0;
}

static void modes_init(void)
{
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
}

/*
 * curses installs its SIGWINCH handler (the one that makes KEY_RESIZE)
 * once per process, at the first newterm.  tui_run puts the caller's
 * handler back on the way out, so a second dashboard (`tui` again from
 * the REPL) would get no resize events: keep curses' handler from the
 * first time and reinstall it.
 */
static void winch_handler(void)
{
	static struct sigaction curses_winch;   /* curses' own, once seen */
	static bool have;                       /* curses_winch is valid */
	struct sigaction cur;

	sigaction(SIGWINCH, NULL, &cur);
	if (cur.sa_handler != SIG_DFL && cur.sa_handler != SIG_IGN) {
		curses_winch = cur;
		have = true;
	} else if (have) {
		sigaction(SIGWINCH, &curses_winch, NULL);
	}
}

/* Hide LINES and COLUMNS from curses (hide) or put them back. */
static void env_hide(bool hide)
{
	static const char *const names[2] = { "LINES", "COLUMNS" };

	for (int i = 0; i < 2; i++) {
		if (hide) {
			const char *v = getenv(names[i]);
			snprintf(saved_env[i], sizeof saved_env[i], "%s", v ? v : "");
			unsetenv(names[i]);
		} else if (saved_env[i][0]) {
			setenv(names[i], saved_env[i], 1);
		}
	}
}

int screen_open(struct tui *t, char *err, size_t errlen)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "the dashboard needs a terminal on "
			 "standard input and output");
		return -1;
	}
	const char *term = getenv("TERM");
	if (!term || !term[0] || !strcmp(term, "dumb")) {
		snprintf(err, errlen, "the dashboard needs a terminal type "
			 "(TERM is %s)", term && term[0] ? term : "unset");
		return -1;
	}
	setlocale(LC_CTYPE, "");
	if (!t->opt.ascii && strcmp(nl_langinfo(CODESET), "UTF-8"))
		t->g = &glyphs_ascii;
	/* the window's size from the terminal, never LINES/COLUMNS: the
	 * REPL's readline exports those, and curses would keep to them when
	 * the window is resized.  They are put back on the way out. */
	env_hide(true);
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		env_hide(false);
		snprintf(err, errlen, "cannot use terminal type '%s'", term);
		return -1;
	}
	set_term(scr);
	winch_handler();
	modes_init();
	colors_init(t);
	t->color = use_color;
	forget_shown();
	return 0;
}

void screen_close(struct tui *t)
{
	(void)t;
	if (!scr)
		return;
	curs_set(1);
	endwin();
	delscreen(scr);
	scr = NULL;
	env_hide(false);
	forget_shown();
}

bool screen_bench_open(struct tui *t)
{
	bench_out = fopen("/dev/null", "w");
	bench_in = fopen("/dev/null", "r");
	if (!bench_out || !bench_in)
		goto out_close;
	use_env(FALSE);
	scr = newterm("xterm-256color", bench_out, bench_in);
	if (!scr)
		scr = newterm("xterm", bench_out, bench_in);
	if (!scr)
		goto out_close;
	set_term(scr);
	resize_term(t->rows, t->cols);
	colors_init(t);
	forget_shown();
	return true;
out_close:
	if (bench_out)
		fclose(bench_out);
	if (bench_in)
		fclose(bench_in);
	bench_out = bench_in = NULL;
	use_env(TRUE);
	return false;
}

void screen_bench_close(struct tui *t)
{
	screen_close(t);
	if (bench_out)
		fclose(bench_out);
	if (bench_in)
		fclose(bench_in);
	bench_out = bench_in = NULL;
}

void screen_size(int *cols, int *rows)
{
	int y, x;

	getmaxyx(stdscr, y, x);
	*cols = x;
	*rows = y;
}

static int translate(wint_t wch, int rc)
{
	if (rc == OK) {
		if (wch == '\r' || wch == '\n')
			return '\r';
		return (int)wch;
	}
	switch (wch) {
	case KEY_UP: return TK_UP;
	case KEY_DOWN: return TK_DOWN;
	case KEY_LEFT: return TK_LEFT;
	case KEY_RIGHT: return TK_RIGHT;
	case KEY_PPAGE: return TK_PGUP;
	case KEY_NPAGE: return TK_PGDN;
	case KEY_HOME: return TK_HOME;
	case KEY_END: return TK_END;
	case KEY_BTAB: return TK_BTAB;
	case KEY_DC: return TK_DC;
	case KEY_IC: return TK_IC;
	case KEY_BACKSPACE: return TK_BACKSPACE;
	case KEY_ENTER: return TK_ENTER;
	case KEY_F(1): return TK_F1;
	case KEY_F(10): return TK_F10;
	case KEY_RESIZE: return TK_RESIZE;
	default: return TK_OTHER;
	}
}

int screen_getkey(struct tui *t, int timeout_ms)
{
	wint_t wch;

	(void)t;
	wtimeout(stdscr, timeout_ms);
	int rc = wget_wch(stdscr, &wch);
	if (rc == ERR)
		return TK_NONE;
	return translate(wch, rc);
}

int screen_peekkey(void)
{
	wint_t wch;

	wtimeout(stdscr, 0);
	int rc = wget_wch(stdscr, &wch);
	if (rc == ERR)
		return TK_NONE;
	return translate(wch, rc);
}

static void set_attr(int color, unsigned at)
{
	const struct color_def *d = &color_table[color < NR_COLORS ? color : 0];
	attr_t a = use_color ? d->attr : d->mono;
	short pair = use_color ? (short)color : 0;

	if (at & AT_BOLD)
		a |= A_BOLD;
	if (at & AT_REVERSE)
		a |= A_REVERSE;
	if (at & AT_UNDER)
		a |= A_UNDERLINE;
	wattr_set(stdscr, a, pair, NULL);
}

/* Paint one row as runs of cells that share colour and attributes. */
static void blit_row(const struct canvas *c, int y)
{
	const struct cell *row = c->cells + (size_t)y * (size_t)c->cols;
	wchar_t buf[1024];
	int x = 0;

	while (x < c->cols) {
		int color = row[x].color, at = row[x].attr, n = 0;
		int x0 = x;
		while (x < c->cols && row[x].color == color && row[x].attr == at &&
		       n < (int)(sizeof buf / sizeof buf[0]) - 1)
			buf[n++] = (wchar_t)row[x++].ch;
		/* the bottom-right cell: curses would scroll past it */
		if (y == c->rows - 1 && x == c->cols && n > 0)
			n--;
		buf[n] = 0;
		set_attr(color, (unsigned)at);
		mvwaddnwstr(stdscr, y, x0, buf, n);
	}
}

void screen_blit(struct tui *t, bool full, int cur_y, int cur_x)
{
	const struct canvas *c = &t->cv;
	size_t rowbytes = (size_t)c->cols * sizeof *c->cells;

	if (!scr)
		return;
	if (!shown || shown_cols != c->cols || shown_rows != c->rows) {
		forget_shown();
		shown = calloc((size_t)c->rows, rowbytes);
		if (!shown)
			abort();
		shown_cols = c->cols;
		shown_rows = c->rows;
		full = true;
	}
	if (full)
		clearok(stdscr, TRUE);
	for (int y = 0; y < c->rows; y++) {
		const struct cell *row = c->cells + (size_t)y * (size_t)c->cols;
		struct cell *old = shown + (size_t)y * (size_t)c->cols;
		if (!full && !memcmp(row, old, rowbytes))
			continue;
		blit_row(c, y);
		memcpy(old, row, rowbytes);
	}
	wattr_set(stdscr, 0, 0, NULL);
	if (cur_y >= 0) {
		wmove(stdscr, cur_y, cur_x);
		curs_set(1);
	} else {
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
}
