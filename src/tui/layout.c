/*
 * layout.c - where the panes go for the terminal's size, and composing
 * a whole frame: title bar, pane selector, panes, command line, help.
 *
 *   large  >= 170x42        medium >= 108x30        small (down to 80x24)
 *   +------+------+-----+   +--------+--------+     +-1Zones 2Free 3Map-+
 *   |Zones |Map   |Tasks|   |Zones   |Map     |     | the selected pane |
 *   |Free  |      |Trace|   |Free    |        |     |                   |
 *   |Slabs |Count.|Outp.|   |Slabs   |Trace   |     +-------------------+
 *   |      |LRU   |     |   |        |        |     | Output            |
 *   +------+------+-----+   +--------+--------+     +-------------------+
 *                           | Output           |  (Counters, LRU, Tasks:
 *                           +------------------+   selector or Tab)
 *
 * A layout is a table of columns, each a stack of slots; a slot either
 * takes its widget's natural height (pref_rows) or shares what is left
 * by weight.  When a column is too short the slots at its bottom drop
 * out; every widget stays reachable through the selector (1-9), which
 * zooms a pane the layout has no room for.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "tui_internal.h"
#include "cli.h"

#define MAX_SLOTS 4

struct slot {
	int widget;             /* enum widget_id, -1 = end */
	int weight;             /* 0: natural height; > 0 share of the rest */
};

struct column {
	int width;              /* columns; 0 = an equal share of the rest */
	struct slot slots[MAX_SLOTS];
};

struct layout_tmpl {
	int min_cols, min_rows; /* smallest terminal it is used for */
	int ncols;              /* columns used */
	struct column col[3];   /* left to right */
	bool bottom_output;     /* Output spans the width below */
};

#define END { -1, 0 }
static const struct layout_tmpl layouts[3] = {
	/* small: one big slot, filled in by layout_compute */
	{ 0, 0, 1, { { 0, { { W_ZONES, 1 }, END } } }, true },
	/* medium */
	{ 108, 30, 2, {
		{ 76, { { W_ZONES, 0 }, { W_FREE, 0 }, { W_SLABS, 1 }, END } },
		{ 0, { { W_MAP, 3 }, { W_TRACE, 2 }, END } },
	  }, true },
	/* large */
	{ 170, 42, 3, {
		{ 80, { { W_ZONES, 0 }, { W_FREE, 0 }, { W_SLABS, 1 }, END } },
		{ 0, { { W_MAP, 3 }, { W_COUNTERS, 0 }, { W_LRU, 0 }, END } },
		{ 0, { { W_TASKS, 0 }, { W_TRACE, 1 }, { W_OUTPUT, 2 }, END } },
	  }, false },
};
#undef END

static int natural_rows(const struct tui *t, int w, int cols)
{
	const struct widget *wd = &widget_table[w];

	return wd->pref_rows ? wd->pref_rows(t, cols) : wd->min_rows;
}

/* Stack a column's slots into [y, y + h); drop bottom slots that do
 * not fit. */
static void stack_column(struct tui *t, const struct column *c, int y, int h,
			 int x, int w)
{
	int n = 0;

	while (n < MAX_SLOTS && c->slots[n].widget >= 0)
		n++;
	for (; n > 0; n--) {
		int fixed = 0, weights = 0, flexmin = 0;
		for (int i = 0; i < n; i++) {
			const struct slot *s = &c->slots[i];
			if (s->weight)
				weights += s->weight, flexmin +=
					widget_table[s->widget].min_rows;
			else
				fixed += natural_rows(t, s->widget, w);
		}
		if (n > 1 && fixed + flexmin > h)
			continue;       /* drop the bottom slot and retry */
		int left = h - fixed, yy = y, given = 0;
		for (int i = 0; i < n; i++) {
			const struct slot *s = &c->slots[i];
			int rows;
			if (s->weight) {
				rows = left * s->weight / weights;
				given += rows;
				/* the last flexible slot takes the rounding */
				bool last_flex = true;
				for (int k = i + 1; k < n; k++)
					if (c->slots[k].weight)
						last_flex = false;
				if (last_flex)
					rows += left - given;
			} else {
				rows = natural_rows(t, s->widget, w);
			}
			if (yy + rows > y + h)
				rows = y + h - yy;
			struct pane *p = &t->pane[s->widget];
			p->r = (struct rect){ yy, x, rows, w };
			p->visible = rows >= 3;
			yy += rows;
		}
		return;
	}
}

void layout_compute(struct tui *t)
{
	int top = 1, bottom = t->rows - 1;      /* title, command line */

	for (int i = 0; i < NR_WIDGETS; i++) {
		t->pane[i].visible = false;
		t->pane[i].r = (struct rect){ 0, 0, 0, 0 };
	}
	t->layout = 0;
	for (int l = 2; l > 0; l--)
		if (t->cols >= layouts[l].min_cols && t->rows >= layouts[l].min_rows) {
			t->layout = l;
			break;
		}
	if (t->layout == 0)
		top = 2;                        /* the selector gets a row */
	if (t->zoom >= 0) {
		t->pane[t->zoom].r = (struct rect){ top, 0, bottom - top, t->cols };
		t->pane[t->zoom].visible = true;
		return;
	}
	const struct layout_tmpl *L = &layouts[t->layout];
	if (L->bottom_output) {
		int out = t->layout == 0 ? (bottom - top) / 3 : (bottom - top) / 5;
		if (out < 4)
			out = 4;
		bottom -= out;
		t->pane[W_OUTPUT].r = (struct rect){ bottom, 0, out, t->cols };
		t->pane[W_OUTPUT].visible = true;
	}
	if (t->layout == 0) {
		int w = t->main_slot;
		t->pane[w].r = (struct rect){ top, 0, bottom - top, t->cols };
		t->pane[w].visible = true;
		return;
	}
	int fixed = 0, shares = 0;
	for (int c = 0; c < L->ncols; c++) {
		fixed += L->col[c].width;
		shares += !L->col[c].width;
	}
	int x = 0, rest = t->cols - fixed;
	for (int c = 0; c < L->ncols; c++) {
		int w = L->col[c].width;
		if (!w) {
			w = rest / shares;
			if (c == L->ncols - 1)
				w = t->cols - x;
		}
		stack_column(t, &L->col[c], top, bottom - top, x, w);
		x += w;
	}
}

bool pane_shown(const struct tui *t, int w)
{
	return t->pane[w].visible;
}

int pane_inner_rows(const struct tui *t, int w)
{
	int h = t->pane[w].r.h - 2;

	return h < 0 ? 0 : h;
}

void pane_title(const struct tui *t, int w, char *buf, size_t len)
{
	const char *name = widget_table[w].name;

	switch (w) {
	case W_TRACE:
		if (t->last_cmd[0]) {
			snprintf(buf, len, "%d %s: %s", w + 1, name, t->last_cmd);
			return;
		}
		break;
	case W_OUTPUT:
		if (t->pane[W_OUTPUT].scroll) {
			snprintf(buf, len, "%d %s (scrolled up %d)", w + 1, name,
				 t->pane[W_OUTPUT].scroll);
			return;
		}
		break;
	case W_COUNTERS:
		if (t->cd.per_tick && t->cd.tl_n) {
			snprintf(buf, len, "%d %s (per tick: %zu samples, jiffies "
				 "%llu-%llu)", w + 1, name, t->cd.tl_n,
				 (unsigned long long)t->cd.tl[0].jiffies,
				 (unsigned long long)t->cd.tl[t->cd.tl_n - 1].jiffies);
			return;
		}
		snprintf(buf, len, "%d %s (per command%s)", w + 1, name,
			 t->play.active ? ", per frame while playing" : "");
		return;
	default:
		break;
	}
	snprintf(buf, len, "%d %s", w + 1, name);
}

/* ------------------------------------------------------------------ */
/* Composing a frame                                                   */
/* ------------------------------------------------------------------ */

/* Returns the column after the title text. */
static int draw_title(struct tui *t, const struct view *v)
{
	struct kmem_machine_info mi;
	char buf[256];

	kmem_machine_info(tui_machine(t), &mi);
	v_fill(v, 0, 0, v->w, C_TITLE, ' ');
	int x = v_printf(v, 0, 0, C_TITLE, " kmemlab %s  %s %u CPU%s%s %s  "
			 "jiffies %llu  free %lu  errors %lu",
			 machine_name(t->s), mi.arch_name, mi.cpus,
			 mi.cpus == 1 ? "" : "s", mi.nr_nodes > 1 ? " NUMA" : "",
			 mi.allocator == KMEM_ALLOC_SLOB ? "SLOB" : "SLAB",
			 (unsigned long long)mi.jiffies, mi.nr_free_pages,
			 session_errors(t->s));
	if (t->play.active) {
		const char *base = strrchr(t->play.path, '/');
		base = base ? base + 1 : t->play.path;
		snprintf(buf, sizeof buf, "  play %s %lu/%lu %s %ums", base,
			 t->play.lineno, t->play.lines,
			 t->play.paused ? "paused" : "running", t->play.delay_ms);
		int n = v_puts(v, 0, x, C_TITLE, buf);
		v_paint(v, 0, x + 2, n - 2, C_TITLE, AT_BOLD);
		x += n;
	}
	return x;
}

/*
 * The pane selector.  On the small layout a row of its own lists every
 * pane ("1 Zones  2 Free areas ..."), the one on screen marked; on the
 * larger ones the panes carry their numbers in their titles and the
 * title bar lists only those without room ("more: 5 LRU 6 Tasks").
 */
static void draw_selector(const struct tui *t, const struct view *v,
			  int title_end)
{
	char buf[40];

	if (t->layout == 0) {
		int x = 0;
		for (int w = 0; w < NR_WIDGETS; w++) {
			int color = w == t->main_slot || w == t->focus ? C_SELECT :
				    C_LABEL;
			snprintf(buf, sizeof buf, "%d%s", w + 1,
				 widget_table[w].short_name);
			x += v_puts(v, 1, x, color, buf) + 1;
		}
		return;
	}
	int len = 6, hidden = 0;
	for (int w = 0; w < NR_WIDGETS; w++)
		if (!t->pane[w].visible) {
			len += snprintf(buf, sizeof buf, " %d %s", w + 1,
					widget_table[w].name);
			hidden++;
		}
	int x = v->w - len - 1;
	if (!hidden || t->zoom >= 0 || x < title_end + 2)
		return;
	x += v_puts(v, 0, x, C_TITLE, "more:");
	for (int w = 0; w < NR_WIDGETS; w++) {
		if (t->pane[w].visible)
			continue;
		snprintf(buf, sizeof buf, "%d %s", w + 1, widget_table[w].name);
		v_putch(v, 0, x++, C_TITLE, ' ');
		x += v_puts(v, 0, x, w == t->focus ? C_SELECT : C_TITLE, buf);
	}
}

static void draw_bottom(struct tui *t, const struct view *v)
{
	int y = 0;

	t->cur_y = t->cur_x = -1;
	if (t->mode == MODE_COMMAND) {
		int pw = v_puts(v, y, 0, C_ECHO, t->prompt);
		int room = v->w - pw - 1;
		const char *text = t->cmd_text ? t->cmd_text : "";
		int point = t->cmd_point;
		int start = point > room ? point - room : 0;
		if (room > 0)
			v_putsn(v, y, pw, C_NORMAL, text + start, room);
		t->cur_y = v->y + y;
		t->cur_x = v->x + pw + point - start;
		return;
	}
	if (t->mode == MODE_SEARCH) {
		char label[64];
		snprintf(label, sizeof label, "search %s: ",
			 widget_table[t->search_pane].name);
		int pw = v_puts(v, y, 0, C_LABEL, label);
		int n = v_puts(v, y, pw, C_NORMAL, t->search);
		t->cur_y = v->y + y;
		t->cur_x = v->x + pw + n;
		return;
	}
	const char *hint = t->play.active ?
		" : command  Space pause  n step  +/- speed  Tab focus  "
		"Enter zoom  ? help  q quit" :
		" : command  Tab focus  Enter zoom  / search  s sort  z zone  "
		"? help  q quit";
	v_puts(v, y, 0, C_DIM, hint);
}

void frame_compose(struct tui *t)
{
	struct canvas *c = &t->cv;
	char title[200];

	if (c->cols != t->cols || c->rows != t->rows)
		canvas_resize(c, t->cols, t->rows);
	else
		canvas_clear(c);
	struct view all = view_of(c, 0, 0, t->rows, t->cols);
	draw_selector(t, &all, draw_title(t, &all));
	for (int w = 0; w < NR_WIDGETS; w++) {
		const struct pane *p = &t->pane[w];
		if (!p->visible)
			continue;
		struct view v = view_of(c, p->r.y, p->r.x, p->r.h, p->r.w);
		pane_title(t, w, title, sizeof title);
		v_box(&v, t->g, title, w == t->focus);
		struct view in = view_inner(&v, 1, 1, p->r.h - 2, p->r.w - 2);
		widget_table[w].draw(t, &in);
	}
	struct view bottom = view_of(c, t->rows - 1, 0, 1, t->cols);
	draw_bottom(t, &bottom);
	if (t->help)
		help_draw(t, &all);
}
