/*
 * w_zones.c - the panes built on kmem_zone_info: Zones, Free areas and
 * LRU.  One update fills struct zones_data for all three.
 *
 *   Zones (free against the watermarks, log scale so that min/low/high
 *   stay apart on a 4 GiB zone):
 *     Normal    present 4064  free 4018 (98%)  min 90 low 112 high 135
 *     [████████████████████████████████┃┃█┃███████████████████████████]
 *                                      min/low/high
 *
 *   Free areas (blocks per order; the glyph is the share of the zone's
 *   free pages held at that order; cells the last command changed are
 *   highlighted):
 *     zone        0     1     2     3     4     5     6 ...   10
 *     Normal      3▁    1▁    2▁    0     1▁    0     2▁ ...  1█
 *
 * The LRU pane draws active/inactive bars per zone once the LRU lists
 * are modelled: the engine defines KMEM_HAVE_LRU in kmem.h when they
 * land, and any page seen on a list or any LRU event counted proves it
 * too; until then the pane says "not modelled yet".
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tui_internal.h"

void zones_update(struct tui *t)
{
	struct machine *m = tui_machine(t);
	struct kmem_machine_info mi;
	struct zones_data *zd = &t->zd;
	int n = 0;

	kmem_machine_info(m, &mi);
	zd->lru_seen = false;
	for (unsigned nid = 0; nid < mi.nr_nodes && nid < KMEM_MAX_NODES; nid++)
		for (int i = 0; i < KMEM_MAX_NR_ZONES; i++) {
			struct kmem_zone_info zi;
			if (kmem_zone_info(m, (int)nid, i, &zi) || !zi.populated)
				continue;
			zd->z[n++] = zi;
			if (zi.nr_active || zi.nr_inactive)
				zd->lru_seen = true;
		}
	if (n != zd->n)
		zd->have_before = false;        /* a reset to another shape */
	zd->n = n;
}

/* Before a command: what free_area[] held, to highlight changes. */
void zones_before(struct tui *t)
{
	struct zones_data *zd = &t->zd;

	zones_update(t);
	for (int i = 0; i < zd->n; i++) {
		memcpy(zd->before[i], zd->z[i].nr_free, sizeof zd->before[i]);
		zd->before_free[i] = zd->z[i].free_pages;
	}
	zd->have_before = true;
}

static const char *zlabel(const struct tui *t, const struct kmem_zone_info *z,
			  char *buf, size_t len)
{
	if (t->zd.n && t->zd.z[t->zd.n - 1].nid > 0)
		snprintf(buf, len, "N%d %s", z->nid, z->name);
	else
		snprintf(buf, len, "%s", z->name);
	return buf;
}

/* ------------------------------------------------------------------ */
/* Zones                                                               */
/* ------------------------------------------------------------------ */

int zones_pref(const struct tui *t, int cols)
{
	(void)cols;
	return 2 + 3 * (t->zd.n ? t->zd.n : 1) + 1;
}

/* Column of value v on a log scale of w cells reaching max. */
static int log_pos(unsigned long v, unsigned long max, int w)
{
	if (!max || !v)
		return 0;
	double f = log1p((double)v) / log1p((double)max);
	int p = (int)(f * (w - 1) + 0.5);
	return p < 0 ? 0 : p >= w ? w - 1 : p;
}

static void zone_rows(const struct tui *t, const struct view *v, int y,
		      const struct kmem_zone_info *z)
{
	const struct glyphs *g = t->g;
	char name[32];
	int x = 0;

	x += v_printf(v, y, x, C_LABEL, "%-9s", zlabel(t, z, name, sizeof name));
	x += v_printf(v, y, x, C_NORMAL, " present %lu  free ", z->present);
	int fcol = z->free_pages < z->pages_min ? C_WM_MIN :
		   z->free_pages < z->pages_low ? C_WM_LOW : C_NORMAL;
	x += v_printf(v, y, x, fcol, "%lu", z->free_pages);
	/* free can pass present: a zone's present_pages has its own mem_map
	 * taken off even when that lives in another zone (2.6.20) */
	unsigned long max = z->present > z->free_pages ? z->present : z->free_pages;
	x += v_printf(v, y, x, C_NORMAL, " (%lu%%)  ",
		      max ? z->free_pages * 100 / max : 0);
	x += v_printf(v, y, x, C_WM_MIN, "min %lu ", z->pages_min);
	x += v_printf(v, y, x, C_WM_LOW, "low %lu ", z->pages_low);
	x += v_printf(v, y, x, C_WM_HIGH, "high %lu", z->pages_high);
	if (z->pages_scanned)
		x += v_printf(v, y, x, C_DIM, "  scanned %lu", z->pages_scanned);
	if (z->all_unreclaimable)
		v_puts(v, y, x, C_WM_MIN, "  all_unreclaimable");

	/* the bar, 0 .. present on a log scale */
	int bw = v->w - 2;
	if (bw < 8)
		return;
	int color = z->free_pages < z->pages_min ? C_WM_MIN :
		    z->free_pages < z->pages_low ? C_WM_LOW : C_FREE;
	v_putch(v, y + 1, 0, C_BORDER, '[');
	int fp = z->free_pages ? log_pos(z->free_pages, max, bw) + 1 : 0;
	v_hbar(v, g, y + 1, 1, bw, (double)fp / bw, color);
	v_putch(v, y + 1, bw + 1, C_BORDER, ']');
	/* marks on the bar and under it, labelled where there is room */
	static const char *const names[3] = { "min", "low", "high" };
	const unsigned long marks[3] = { z->pages_min, z->pages_low,
					 z->pages_high };
	static const int colors[3] = { C_WM_MIN, C_WM_LOW, C_WM_HIGH };
	int pos[3];
	for (int k = 0; k < 3; k++) {
		pos[k] = 1 + log_pos(marks[k], max, bw);
		v_putch(v, y + 1, pos[k], colors[k], g->mark);
	}
	bool apart = pos[0] + 4 < pos[1] && pos[1] + 5 < pos[2];
	if (apart) {
		for (int k = 0; k < 3; k++)
			v_puts(v, y + 2, pos[k], colors[k], names[k]);
	} else {
		int x2 = pos[0];
		for (int k = 0; k < 3; k++) {
			x2 += v_puts(v, y + 2, x2, colors[k], names[k]);
			if (k < 2)
				x2 += v_puts(v, y + 2, x2, C_DIM, "/");
		}
	}
}

void zones_draw(const struct tui *t, const struct view *v)
{
	const struct zones_data *zd = &t->zd;

	for (int i = 0; i < zd->n; i++)
		zone_rows(t, v, 3 * i, &zd->z[i]);
	struct kmem_reclaim_info ri;
	kmem_reclaim_info(tui_machine(t), &ri);
	bool woken = false;
	for (unsigned n = 0; n < KMEM_MAX_NODES; n++)
		woken |= ri.kswapd_woken[n];
	v_printf(v, 3 * zd->n, 0, C_DIM, "kswapd %s, ran %lu  direct reclaim "
		 "%lu  bar: free, log scale", woken ? "woken" : "asleep",
		 ri.kswapd_runs, ri.direct_runs);
}

/* ------------------------------------------------------------------ */
/* Free areas                                                          */
/* ------------------------------------------------------------------ */

int free_pref(const struct tui *t, int cols)
{
	(void)cols;
	return 2 + 1 + (t->zd.n ? t->zd.n : 1);
}

void free_draw(const struct tui *t, const struct view *v)
{
	const struct zones_data *zd = &t->zd;
	const int label = 9;
	int cw = (v->w - label) / KMEM_MAX_ORDER;
	char buf[16], name[32];

	if (cw > 7)
		cw = 7;
	if (cw < 3) {
		v_puts(v, 0, 0, C_DIM, "(too narrow)");
		return;
	}
	v_puts(v, 0, 0, C_LABEL, "order");
	for (int o = 0; o < KMEM_MAX_ORDER; o++)
		v_rprintf(v, 0, label + o * cw, cw - 1, C_LABEL, "%d", o);
	for (int i = 0; i < zd->n; i++) {
		const struct kmem_zone_info *z = &zd->z[i];
		int y = 1 + i;
		v_printf(v, y, 0, C_LABEL, "%-8.8s", zlabel(t, z, name, sizeof name));
		for (int o = 0; o < KMEM_MAX_ORDER; o++) {
			int x = label + o * cw;
			unsigned long n = z->nr_free[o];
			v_rprintf(v, y, x, cw - 1, n ? C_NORMAL : C_DIM, "%s",
				  fmt_count(buf, sizeof buf, n, cw - 1));
			/* the share of free pages this order holds */
			unsigned long pages = n << o;
			int lvl = 0;
			if (pages && z->free_pages) {
				lvl = (int)((pages * 8 + z->free_pages - 1) /
					    z->free_pages);
				lvl = lvl < 1 ? 1 : lvl > 8 ? 8 : lvl;
			}
			v_putch(v, y, x + cw - 1, C_FREE, t->g->spark[lvl]);
			if (zd->have_before && zd->before[i][o] != n)
				v_paint(v, y, x, cw - 1, C_CHANGED, AT_BOLD);
		}
	}
}

/* ------------------------------------------------------------------ */
/* LRU                                                                 */
/* ------------------------------------------------------------------ */

int lru_pref(const struct tui *t, int cols)
{
	(void)cols;
	return 2 + 1 + (t->zd.n ? t->zd.n : 1) + 1;
}

static bool lru_modelled(const struct tui *t)
{
#ifdef KMEM_HAVE_LRU
	(void)t;
	return true;
#else
	return t->zd.lru_seen || counters_lru_seen(t);
#endif
}

void lru_draw(const struct tui *t, const struct view *v)
{
	const struct zones_data *zd = &t->zd;
	char name[32];

	if (!lru_modelled(t)) {
		v_puts(v, 0, 0, C_DIM, "not modelled yet (active/inactive lists)");
		return;
	}
	int bw = (v->w - 9 - 2 * 16) / 2;
	if (bw < 4)
		bw = 4;
	unsigned long max = 1;
	for (int i = 0; i < zd->n; i++) {
		if (zd->z[i].nr_active > max)
			max = zd->z[i].nr_active;
		if (zd->z[i].nr_inactive > max)
			max = zd->z[i].nr_inactive;
	}
	v_puts(v, 0, 9, C_LABEL, "active");
	v_puts(v, 0, 9 + bw + 16, C_LABEL, "inactive");
	for (int i = 0; i < zd->n; i++) {
		const struct kmem_zone_info *z = &zd->z[i];
		int y = 1 + i, x = 9;
		v_printf(v, y, 0, C_LABEL, "%-8.8s", zlabel(t, z, name, sizeof name));
		v_hbar(v, t->g, y, x, bw, (double)z->nr_active / (double)max,
		       C_ANON);
		v_printf(v, y, x + bw + 1, C_NORMAL, "%-14lu", z->nr_active);
		x += bw + 16;
		v_hbar(v, t->g, y, x, bw, (double)z->nr_inactive / (double)max,
		       C_PAGECACHE);
		v_printf(v, y, x + bw + 1, C_NORMAL, "%lu", z->nr_inactive);
	}
	const unsigned long *d = t->cd.lru;
	v_printf(v, 1 + zd->n, 0, C_DIM, "last interval: activate %lu  "
		 "deactivate %lu  rotated %lu  scan %lu  steal %lu",
		 d[0], d[1], d[2], d[3], d[4]);
}
