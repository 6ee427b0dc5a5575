/*
 * canvas.c - the frame as a grid of cells, before any terminal sees it.
 *
 * Widgets paint here through views (clipping rectangles); screen.c copies
 * the cells to curses, canvas_dump() turns them into plain text for
 * `--once`.  Keeping curses out of the drawing code is what lets one
 * frame be shown, golden-tested and benchmarked the same way.
 *
 *   canvas 120x40             view {y 2, x 0, h 8, w 76}
 *   +----------------------+  v_puts(v, 0, 1, C_LABEL, "Normal")
 *   |  +-------+           |  writes at canvas (2, 1) and never
 *   |  | view  |           |  outside the view's 8x76 cells
 *   |  +-------+           |
 *   +----------------------+
 *
 * Two glyph sets: UTF-8 box drawing and block elements, and an ASCII
 * fallback used for --ascii, non-UTF-8 locales and text frames.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_internal.h"

const struct glyphs glyphs_utf8 = {
	.h = 0x2500, .v = 0x2502,
	.tl = 0x250c, .tr = 0x2510, .bl = 0x2514, .br = 0x2518,
	/* ' ' then LEFT ONE EIGHTH BLOCK .. FULL BLOCK */
	.hbar = { ' ', 0x258f, 0x258e, 0x258d, 0x258c, 0x258b, 0x258a,
		  0x2589, 0x2588 },
	/* ' ' then LOWER ONE EIGHTH BLOCK .. FULL BLOCK */
	.spark = { ' ', 0x2581, 0x2582, 0x2583, 0x2584, 0x2585, 0x2586,
		   0x2587, 0x2588 },
	.mark = 0x2503,
	.ellipsis = 0x2026,
};

const struct glyphs glyphs_ascii = {
	.h = '-', .v = '|',
	.tl = '+', .tr = '+', .bl = '+', .br = '+',
	.hbar = { ' ', ' ', ' ', ' ', '=', '=', '=', '=', '=' },
	.spark = { ' ', '_', '_', '.', '.', '-', '-', '=', '#' },
	.mark = '|',
	.ellipsis = '~',
};

void canvas_init(struct canvas *c)
{
	c->cols = c->rows = 0;
	c->cells = NULL;
}

void canvas_free(struct canvas *c)
{
	free(c->cells);
	canvas_init(c);
}

void canvas_resize(struct canvas *c, int cols, int rows)
{
	if (cols < 1)
		cols = 1;
	if (rows < 1)
		rows = 1;
	if (cols != c->cols || rows != c->rows) {
		size_t n = (size_t)cols * (size_t)rows;
		struct cell *p = realloc(c->cells, n * sizeof *p);
		if (!p)
			abort();        /* host failure, as xmalloc would */
		c->cells = p;
		c->cols = cols;
		c->rows = rows;
	}
	canvas_clear(c);
}

void canvas_clear(struct canvas *c)
{
	size_t n = (size_t)c->cols * (size_t)c->rows;

	for (size_t i = 0; i < n; i++) {
		c->cells[i].ch = ' ';
		c->cells[i].color = C_NORMAL;
		c->cells[i].attr = 0;
		c->cells[i].pad = 0;
	}
}

/* UTF-8 encode one code point; returns bytes written (1..4). */
static int utf8_put(char *out, uint32_t ch)
{
	if (ch < 0x80) {
		out[0] = (char)ch;
		return 1;
	}
	if (ch < 0x800) {
		out[0] = (char)(0xc0 | (ch >> 6));
		out[1] = (char)(0x80 | (ch & 0x3f));
		return 2;
	}
	if (ch < 0x10000) {
		out[0] = (char)(0xe0 | (ch >> 12));
		out[1] = (char)(0x80 | ((ch >> 6) & 0x3f));
		out[2] = (char)(0x80 | (ch & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (ch >> 18));
	out[1] = (char)(0x80 | ((ch >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((ch >> 6) & 0x3f));
	out[3] = (char)(0x80 | (ch & 0x3f));
	return 4;
}

void canvas_dump(const struct canvas *c, struct kbuf *b)
{
	char line[4096 * 4 + 2];

	for (int y = 0; y < c->rows; y++) {
		const struct cell *row = c->cells + (size_t)y * (size_t)c->cols;
		int last = c->cols;
		while (last > 0 && row[last - 1].ch == ' ')
			last--;
		size_t n = 0;
		for (int x = 0; x < last && n + 5 < sizeof line; x++)
			n += (size_t)utf8_put(line + n, row[x].ch);
		line[n++] = '\n';
		kbuf_append(b, line, n);
	}
}

/* ------------------------------------------------------------------ */
/* Views                                                               */
/* ------------------------------------------------------------------ */

struct view view_of(struct canvas *c, int y, int x, int h, int w)
{
	struct view v = { c, y, x, h < 0 ? 0 : h, w < 0 ? 0 : w };

	return v;
}

struct view view_inner(const struct view *v, int dy, int dx, int h, int w)
{
	struct view in = *v;

	in.y = v->y + dy;
	in.x = v->x + dx;
	if (dy + h > v->h)
		h = v->h - dy;
	if (dx + w > v->w)
		w = v->w - dx;
	in.h = h < 0 ? 0 : h;
	in.w = w < 0 ? 0 : w;
	return in;
}

static struct cell *cell_at(const struct view *v, int y, int x)
{
	if (y < 0 || x < 0 || y >= v->h || x >= v->w)
		return NULL;
	int cy = v->y + y, cx = v->x + x;
	if (cy < 0 || cx < 0 || cy >= v->c->rows || cx >= v->c->cols)
		return NULL;
	return v->c->cells + (size_t)cy * (size_t)v->c->cols + (size_t)cx;
}

void v_putch(const struct view *v, int y, int x, int color, uint32_t ch)
{
	struct cell *c = cell_at(v, y, x);

	if (c) {
		c->ch = ch;
		c->color = (uint8_t)color;
		c->attr = 0;
	}
}

/* Decode one UTF-8 sequence; a stray byte stands for itself. */
static uint32_t utf8_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t ch = s[0];
	int more = 0;

	if (ch >= 0xf0 && ch < 0xf8) {
		ch &= 0x07;
		more = 3;
	} else if (ch >= 0xe0) {
		ch &= 0x0f;
		more = 2;
	} else if (ch >= 0xc0) {
		ch &= 0x1f;
		more = 1;
	} else if (ch >= 0x80) {
		*p = s + 1;
		return '?';
	}
	for (int i = 1; i <= more; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*p = s + i;
			return '?';
		}
		ch = (ch << 6) | (s[i] & 0x3f);
	}
	*p = s + more + 1;
	return ch;
}

int v_putsn(const struct view *v, int y, int x, int color, const char *s,
	    int maxw)
{
	const unsigned char *p = (const unsigned char *)s;
	int n = 0;

	if (y < 0 || y >= v->h)
		return 0;
	while (*p && n < maxw) {
		uint32_t ch = utf8_next(&p);
		if (ch == '\t')
			ch = ' ';
		else if (ch < 0x20 || ch == 0x7f)
			ch = '?';
		v_putch(v, y, x + n, color, ch);
		n++;
	}
	return n;
}

int v_puts(const struct view *v, int y, int x, int color, const char *s)
{
	return v_putsn(v, y, x, color, s, v->w - x > 0 ? v->w - x : 0);
}

int v_printf(const struct view *v, int y, int x, int color,
	     const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return v_puts(v, y, x, color, buf);
}

int v_rprintf(const struct view *v, int y, int x, int w, int color,
	      const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	int len = (int)strlen(buf);
	if (len > w)
		return v_putsn(v, y, x, color, buf + (len - w), w);
	return v_putsn(v, y, x + w - len, color, buf, len);
}

void v_fill(const struct view *v, int y, int x, int n, int color,
	    uint32_t ch)
{
	for (int i = 0; i < n; i++)
		v_putch(v, y, x + i, color, ch);
}

void v_paint(const struct view *v, int y, int x, int n, int color,
	     unsigned attr)
{
	for (int i = 0; i < n; i++) {
		struct cell *c = cell_at(v, y, x + i);
		if (c) {
			if (color >= 0)
				c->color = (uint8_t)color;
			c->attr |= (uint8_t)attr;
		}
	}
}

void v_box(const struct view *v, const struct glyphs *g, const char *title,
	   bool focused)
{
	int color = focused ? C_FOCUS : C_BORDER;

	if (v->h < 2 || v->w < 2)
		return;
	v_putch(v, 0, 0, color, g->tl);
	v_putch(v, 0, v->w - 1, color, g->tr);
	v_putch(v, v->h - 1, 0, color, g->bl);
	v_putch(v, v->h - 1, v->w - 1, color, g->br);
	v_fill(v, 0, 1, v->w - 2, color, g->h);
	v_fill(v, v->h - 1, 1, v->w - 2, color, g->h);
	for (int y = 1; y < v->h - 1; y++) {
		v_putch(v, y, 0, color, g->v);
		v_putch(v, y, v->w - 1, color, g->v);
	}
	if (title && v->w > 6) {
		/* "[ Title ]" reads as the pane's name even in ASCII */
		int n = v_putsn(v, 0, 2, color, " ", 1);
		n += v_putsn(v, 0, 2 + n, color, title, v->w - 6);
		v_putsn(v, 0, 2 + n, color, " ", 1);
		if (focused)
			v_paint(v, 0, 2, n + 1, C_FOCUS, AT_BOLD);
	}
}

void v_hbar(const struct view *v, const struct glyphs *g, int y, int x,
	    int w, double frac, int color)
{
	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	int eighths = (int)(frac * w * 8 + 0.5);
	for (int i = 0; i < w; i++) {
		int e = eighths - i * 8;
		if (e > 8)
			e = 8;
		if (e < 0)
			e = 0;
		v_putch(v, y, x + i, e ? color : C_DIM, g->hbar[e]);
	}
}

const char *fmt_count(char *buf, size_t len, unsigned long n, int width)
{
	static const char units[] = "kMGT";
	unsigned long v = n;

	snprintf(buf, len, "%lu", n);
	for (int u = 0; (int)strlen(buf) > width && u < 4; u++) {
		v = (v + 512) / 1024;
		snprintf(buf, len, "%lu%c", v, units[u]);
	}
	return buf;
}
