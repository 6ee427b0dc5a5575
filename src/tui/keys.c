/*
 * keys.c - what keys do: one table of bindings (htop's Htop_Action
 * table), handlers that change state and return TUI_* flags without
 * drawing, the `/` search prompt, and the help overlay drawn from the
 * same table so it can never disagree with the bindings.
 *
 * Normal mode is single keys.  ':' opens the command line (readline,
 * cmdline.c); Esc leaves it.  '/' opens a search prompt for the focused
 * pane (Slabs when the focused pane has no search).
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "tui_internal.h"

#define CTRL(c) ((c) & 0x1f)
#define KEY_ESC 27

typedef unsigned key_fn(struct tui *t, int key);

struct binding {
	int key;                /* a character or TK_* */
	const char *keys;       /* as help shows them; NULL: an alias */
	const char *help;       /* what it does */
	key_fn *fn;             /* the handler */
};

/* ------------------------------------------------------------------ */
/* Handlers                                                            */
/* ------------------------------------------------------------------ */

static unsigned k_quit(struct tui *t, int key)
{
	(void)t;
	(void)key;
	return TUI_QUIT;
}

static unsigned k_command(struct tui *t, int key)
{
	(void)key;
	cmdline_open(t);
	return TUI_REDRAW;
}

unsigned focus_set(struct tui *t, int w)
{
	t->focus = w;
	if (w != W_OUTPUT)
		t->main_slot = w;
	if (t->zoom >= 0)
		t->zoom = w;
	else if (t->layout > 0 && !t->pane[w].visible)
		t->zoom = w;            /* no room for it: show it zoomed */
	return TUI_REDRAW | TUI_RELAYOUT;
}

/* Tab cycles the panes on screen (all of them on the small layout). */
static unsigned k_focus(struct tui *t, int key)
{
	int step = key == TK_BTAB ? NR_WIDGETS - 1 : 1;
	int w = t->focus;

	for (int i = 0; i < NR_WIDGETS; i++) {
		w = (w + step) % NR_WIDGETS;
		if (t->layout == 0 || t->zoom >= 0 || t->pane[w].visible)
			break;
	}
	return focus_set(t, w);
}

static unsigned k_select(struct tui *t, int key)
{
	int w = key - '1';

	if (w < 0 || w >= NR_WIDGETS)
		return 0;
	return focus_set(t, w);
}

static unsigned k_zoom(struct tui *t, int key)
{
	(void)key;
	t->zoom = t->zoom >= 0 ? -1 : t->focus;
	t->wgen[W_MAP] = 0;
	return TUI_REDRAW | TUI_RELAYOUT;
}

static unsigned k_escape(struct tui *t, int key)
{
	(void)key;
	if (t->zoom >= 0) {
		t->zoom = -1;
		return TUI_REDRAW | TUI_RELAYOUT;
	}
	for (int w = 0; w < NR_WIDGETS; w++)
		t->pane[w].hl_line = -1;
	return TUI_REDRAW;
}

unsigned pane_scroll(struct tui *t, int w, int key)
{
	struct pane *p = &t->pane[w];
	int page = pane_inner_rows(t, w);
	int max = p->content_rows - page;
	int delta = 0;

	if (w == W_OUTPUT)
		p->content_rows = (int)t->out.n;
	else if (w == W_TRACE)
		p->content_rows = (int)t->trace.n;
	max = p->content_rows - page;
	if (max < 0)
		max = 0;
	if (page < 2)
		page = 2;
	switch (key) {
	case TK_UP: delta = -1; break;
	case TK_DOWN: delta = 1; break;
	case TK_PGUP: delta = -(page - 1); break;
	case TK_PGDN: delta = page - 1; break;
	case TK_HOME: delta = -p->content_rows - 1; break;
	case TK_END: delta = p->content_rows + 1; break;
	default: return 0;
	}
	if (w == W_OUTPUT)
		delta = -delta;         /* Output counts rows up from the end */
	p->scroll += delta;
	if (p->scroll > max)
		p->scroll = max;
	if (p->scroll < 0)
		p->scroll = 0;
	return TUI_REDRAW;
}

static unsigned k_scroll(struct tui *t, int key)
{
	return pane_scroll(t, t->focus, key);
}

static unsigned k_search(struct tui *t, int key)
{
	(void)key;
	t->search_pane = widget_table[t->focus].search ? t->focus : W_SLABS;
	t->search[0] = '\0';
	t->mode = MODE_SEARCH;
	return TUI_REDRAW;
}

static unsigned k_sort(struct tui *t, int key)
{
	(void)key;
	return widget_table[W_SLABS].sort(t);
}

static unsigned k_zone(struct tui *t, int key)
{
	(void)key;
	return map_zoom_next(t);
}

/* The Counters pane: a sample per command, or per step of simulated
 * time (the engine's timeline). */
static unsigned k_ticks(struct tui *t, int key)
{
	(void)key;
	t->cd.per_tick = !t->cd.per_tick;
	return TUI_REDRAW | TUI_RELAYOUT;       /* the pane's height changes */
}

static unsigned k_pause(struct tui *t, int key)
{
	(void)key;
	return play_pause(t);
}

static unsigned k_step(struct tui *t, int key)
{
	(void)key;
	if (!t->play.active)
		return 0;
	t->play.paused = true;
	return play_step(t);
}

static unsigned k_speed(struct tui *t, int key)
{
	return play_speed(t, key == '+');
}

static unsigned k_help(struct tui *t, int key)
{
	(void)key;
	t->help = !t->help;
	return TUI_REDRAW;
}

static unsigned k_repaint(struct tui *t, int key)
{
	(void)t;
	(void)key;
	return TUI_REDRAW | TUI_FULL | TUI_RELAYOUT;
}

static const struct binding bindings[] = {
	{ ':', ":", "type a command (Enter runs it, Esc leaves)", k_command },
	{ 'q', "q  F10", "quit the dashboard (or :quit)", k_quit },
	{ TK_F10, NULL, NULL, k_quit },
	{ '\t', "Tab  S-Tab", "focus the next / previous pane", k_focus },
	{ TK_BTAB, NULL, NULL, k_focus },
	{ '1', "1-9", "select a pane (zoomed if it has no room)", k_select },
	{ '2', NULL, NULL, k_select }, { '3', NULL, NULL, k_select },
	{ '4', NULL, NULL, k_select }, { '5', NULL, NULL, k_select },
	{ '6', NULL, NULL, k_select }, { '7', NULL, NULL, k_select },
	{ '8', NULL, NULL, k_select }, { '9', NULL, NULL, k_select },
	{ '\r', "Enter", "zoom the focused pane to full screen, or back", k_zoom },
	{ TK_ENTER, NULL, NULL, k_zoom },
	{ KEY_ESC, "Esc", "leave the zoom, clear search marks", k_escape },
	{ TK_UP, "Up Down ...", "scroll the focused pane: PgUp PgDn Home End "
	  "too", k_scroll },
	{ TK_DOWN, NULL, NULL, k_scroll },
	{ TK_PGUP, NULL, NULL, k_scroll },
	{ TK_PGDN, NULL, NULL, k_scroll },
	{ TK_HOME, NULL, NULL, k_scroll },
	{ TK_END, NULL, NULL, k_scroll },
	{ '/', "/", "search slab names, trace, output; map: zone or range",
	  k_search },
	{ 's', "s", "change the Slabs sort order", k_sort },
	{ 'z', "z", "memory map: all memory, then each zone", k_zone },
	{ 't', "t", "Counters: per command, or per tick of simulated time",
	  k_ticks },
	{ ' ', "Space n + -", "script: pause/resume, one step, faster, slower",
	  k_pause },
	{ 'n', NULL, NULL, k_step },
	{ '+', NULL, NULL, k_speed },
	{ '-', NULL, NULL, k_speed },
	{ '?', "?  F1", "this help", k_help },
	{ TK_F1, NULL, NULL, k_help },
	{ CTRL('l'), "C-l", "repaint the screen", k_repaint },
};

/* Keys at the command line, for the help only (cmdline.c acts on them). */
static const struct { const char *keys, *help; } command_keys[] = {
	{ "Enter", "run the line; the command line stays open" },
	{ "Esc", "back to the single-key bindings" },
	{ "Tab", "complete commands, GFP flags, zones, $values" },
	{ "Up  Down", "history (shared with the REPL)" },
	{ "PgUp  PgDn", "scroll the output" },
	{ "C-c", "clear the line; stop a playing script" },
};

unsigned keys_normal(struct tui *t, int key)
{
	for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
		if (bindings[i].key == key)
			return bindings[i].fn(t, key);
	return 0;
}

/* The `/` prompt: a one-line editor of its own (no history needed). */
unsigned keys_search(struct tui *t, int key)
{
	size_t len = strlen(t->search);

	switch (key) {
	case KEY_ESC:
		t->mode = MODE_NORMAL;
		return TUI_REDRAW;
	case '\r':
	case TK_ENTER: {
		t->mode = MODE_NORMAL;
		unsigned (*fn)(struct tui *, const char *) =
			widget_table[t->search_pane].search;
		return fn ? fn(t, t->search) | TUI_REDRAW : TUI_REDRAW;
	}
	case TK_BACKSPACE:
	case 127:
	case CTRL('h'):
		if (len)
			t->search[len - 1] = '\0';
		return TUI_REDRAW;
	case CTRL('u'):
		t->search[0] = '\0';
		return TUI_REDRAW;
	default:
		if (key >= ' ' && key < 127 && len + 1 < sizeof t->search) {
			t->search[len] = (char)key;
			t->search[len + 1] = '\0';
			return TUI_REDRAW;
		}
		return 0;
	}
}

void help_draw(const struct tui *t, const struct view *all)
{
	size_t nb = sizeof bindings / sizeof bindings[0];
	size_t nc = sizeof command_keys / sizeof command_keys[0];
	int lines = 0;

	for (size_t i = 0; i < nb; i++)
		lines += bindings[i].keys != NULL;
	int h = lines + (int)nc + 6, w = 78;   /* + title, gaps, footer */
	if (w > all->w)
		w = all->w;
	if (h > all->h)
		h = all->h;
	struct view box = view_inner(all, (all->h - h) / 2, (all->w - w) / 2, h, w);
	for (int y = 0; y < box.h; y++)
		v_fill(&box, y, 0, box.w, C_HELP, ' ');
	v_box(&box, t->g, "Keys (any key closes)", true);
	struct view in = view_inner(&box, 1, 2, box.h - 2, box.w - 4);
	int y = 0;
	for (size_t i = 0; i < nb; i++) {
		if (!bindings[i].keys)
			continue;
		v_puts(&in, y, 0, C_HELP, bindings[i].keys);
		v_paint(&in, y, 0, 12, C_HELP, AT_BOLD);
		v_puts(&in, y++, 13, C_HELP, bindings[i].help);
	}
	y++;
	v_puts(&in, y++, 0, C_HELP, "At the command line (':'):");
	v_paint(&in, y - 1, 0, 26, C_HELP, AT_BOLD);
	for (size_t i = 0; i < nc; i++) {
		v_puts(&in, y, 0, C_HELP, command_keys[i].keys);
		v_paint(&in, y, 0, 12, C_HELP, AT_BOLD);
		v_puts(&in, y++, 13, C_HELP, command_keys[i].help);
	}
	if (y + 1 < in.h)
		v_puts(&in, y + 1, 0, C_HELP, "play FILE [DELAY_MS] plays a "
		       "script.  See kmemlab-tui(7).");
}
