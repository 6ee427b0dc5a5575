/*
 * w_slabs.c - the Slabs pane: a slabtop over kmem_cache_list and
 * kmem_cache_info, or under SLOB the arena, its free list and the
 * bigblocks (kmem_slob_freelist, kmem_slob_bigblocks).
 *
 *   31 caches  objects 128/451 (28%)  slabs 8  pages 8   sort: active
 *   NAME                  ACTIVE   TOTAL  USE  OBJSZ  FULL PART FREE  PAGES
 *   size-64                   43      59  72%     64     0    1    0      1
 *   size-128                   5      30  16%    128     0    1    0      1
 *
 * Rows whose counts the last command changed are highlighted.  `s`
 * cycles the sort key (active objects, total objects, pages, object size,
 * name; ties by name so the order is stable); `/` keeps only caches
 * whose names contain the text (empty: all).
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_internal.h"

#define SLOB_BLOCKS_SHOWN 512   /* free-list blocks kept for the pane */

static const char *const sort_names[NR_SORTS] = {
	[SORT_ACTIVE] = "active", [SORT_TOTAL] = "total",
	[SORT_PAGES] = "pages", [SORT_SIZE] = "objsize", [SORT_NAME] = "name",
};

static unsigned long row_pages(const struct kmem_cache_info *ci)
{
	return ci->num_slabs << ci->gfporder;
}

/* Order of two rows under key: < 0 when x comes first. */
static int cmp_rows(const struct slab_row *x, const struct slab_row *y,
		    enum slab_sort key)
{
	unsigned long kx = 0, ky = 0;

	switch (key) {
	case SORT_ACTIVE: kx = x->ci.active_objs; ky = y->ci.active_objs; break;
	case SORT_TOTAL: kx = x->ci.num_objs; ky = y->ci.num_objs; break;
	case SORT_PAGES: kx = row_pages(&x->ci); ky = row_pages(&y->ci); break;
	case SORT_SIZE: kx = x->ci.object_size; ky = y->ci.object_size; break;
	default: break;
	}
	if (kx != ky)
		return kx > ky ? -1 : 1;        /* biggest first */
	return strcmp(x->name, y->name);
}

/* Insertion sort: a few hundred caches at most, and qsort would need
 * the key in a global. */
static void sort_rows(struct slab_row *rows, size_t n, enum slab_sort key)
{
	for (size_t i = 1; i < n; i++) {
		struct slab_row r = rows[i];
		size_t j = i;
		while (j > 0 && cmp_rows(&r, &rows[j - 1], key) < 0) {
			rows[j] = rows[j - 1];
			j--;
		}
		rows[j] = r;
	}
}

static void slob_update(struct tui *t)
{
	struct machine *m = tui_machine(t);
	struct slob_data *sl = &t->sd.slob;

	sl->arena_pages = kmem_slob_arena_pages(m);
	long n = kmem_slob_freelist(m, NULL, 0);
	sl->nfree = n < 0 ? 0 : n;
	size_t want = (size_t)sl->nfree;
	if (want > sl->blocks_cap) {
		sl->blocks_cap = want;
		sl->blocks = realloc(sl->blocks, want * sizeof *sl->blocks);
		if (!sl->blocks)
			abort();
	}
	kmem_slob_freelist(m, sl->blocks, want);
	sl->nblocks = want;
	sl->free_units = sl->largest = 0;
	for (size_t i = 0; i < want; i++) {
		sl->free_units += sl->blocks[i].units;
		if (sl->blocks[i].units > sl->largest)
			sl->largest = sl->blocks[i].units;
	}
	sl->nbig = kmem_slob_bigblocks(m, NULL, 0);
	sl->big_pages = 0;
	if (sl->nbig > 0) {
		struct kmem_slob_big *big = calloc((size_t)sl->nbig, sizeof *big);
		if (!big)
			abort();
		long nb = kmem_slob_bigblocks(m, big, (size_t)sl->nbig);
		for (long i = 0; i < nb && i < sl->nbig; i++)
			sl->big_pages += 1UL << big[i].order;
		free(big);
	}
	t->pane[W_SLABS].content_rows = 3 + (int)sl->nblocks;
}

static bool name_matches(const char *name, const char *filter)
{
	return !filter[0] || strstr(name, filter);
}

static const struct slab_before *find_before(const struct slabs_data *sd,
					      int id)
{
	for (size_t i = 0; i < sd->nbefore; i++)
		if (sd->before[i].id == id)
			return &sd->before[i];
	return NULL;
}

void slabs_update(struct tui *t)
{
	struct machine *m = tui_machine(t);
	struct slabs_data *sd = &t->sd;
	struct kmem_machine_info mi;

	kmem_machine_info(m, &mi);
	sd->is_slob = mi.allocator == KMEM_ALLOC_SLOB;
	if (sd->is_slob) {
		slob_update(t);
		return;
	}
	size_t n = kmem_cache_list(m, NULL, 0);
	int *ids = calloc(n ? n : 1, sizeof *ids);
	if (!ids)
		abort();
	n = kmem_cache_list(m, ids, n);
	if (n > sd->cap) {
		sd->cap = n;
		sd->rows = realloc(sd->rows, n * sizeof *sd->rows);
		if (!sd->rows)
			abort();
	}
	sd->ncaches = n;
	sd->n = 0;
	sd->objs = sd->active = sd->slabs = sd->pages = 0;
	for (size_t i = 0; i < n; i++) {
		struct slab_row *r = &sd->rows[sd->n];
		if (kmem_cache_info(m, ids[i], &r->ci))
			continue;
		sd->objs += r->ci.num_objs;
		sd->active += r->ci.active_objs;
		sd->slabs += r->ci.num_slabs;
		sd->pages += row_pages(&r->ci);
		if (!name_matches(r->ci.name, sd->filter))
			continue;
		snprintf(r->name, sizeof r->name, "%s", r->ci.name);
		r->ci.name = NULL;      /* only valid until the next engine call */
		const struct slab_before *b = find_before(sd, r->ci.id);
		r->changed = sd->have_before &&
			     (!b || b->active != r->ci.active_objs ||
			      b->total != r->ci.num_objs || b->slabs != r->ci.num_slabs);
		sd->n++;
	}
	free(ids);
	sort_rows(sd->rows, sd->n, sd->sort);
	t->pane[W_SLABS].content_rows = 2 + (int)sd->n;
}

/* Before a command: every cache's counts. */
void slabs_before(struct tui *t)
{
	struct machine *m = tui_machine(t);
	struct slabs_data *sd = &t->sd;
	struct kmem_cache_info ci;

	sd->nbefore = 0;
	sd->have_before = false;
	size_t n = kmem_cache_list(m, NULL, 0);
	if (!n)
		return;         /* SLOB: no caches to compare */
	int *ids = calloc(n, sizeof *ids);
	if (!ids)
		abort();
	n = kmem_cache_list(m, ids, n);
	if (n > sd->before_cap) {
		sd->before_cap = n;
		sd->before = realloc(sd->before, n * sizeof *sd->before);
		if (!sd->before)
			abort();
	}
	for (size_t i = 0; i < n; i++) {
		if (kmem_cache_info(m, ids[i], &ci))
			continue;
		struct slab_before *b = &sd->before[sd->nbefore++];
		b->id = ids[i];
		b->active = ci.active_objs;
		b->total = ci.num_objs;
		b->slabs = ci.num_slabs;
	}
	free(ids);
	sd->have_before = true;
}

unsigned slabs_sort(struct tui *t)
{
	t->sd.sort = (enum slab_sort)((t->sd.sort + 1) % NR_SORTS);
	t->wgen[W_SLABS] = 0;
	return TUI_REDRAW | TUI_UPDATE;
}

unsigned slabs_search(struct tui *t, const char *text)
{
	snprintf(t->sd.filter, sizeof t->sd.filter, "%s", text);
	t->pane[W_SLABS].scroll = 0;
	t->wgen[W_SLABS] = 0;
	return TUI_REDRAW | TUI_UPDATE;
}

static void slob_draw(const struct tui *t, const struct view *v)
{
	const struct slob_data *sl = &t->sd.slob;
	char buf[24];
	int y = 0;

	v_printf(v, y++, 0, C_NORMAL, "SLOB arena %lu page%s, free list %ld "
		 "block%s, %ld units free (largest %ld)", sl->arena_pages,
		 sl->arena_pages == 1 ? "" : "s", sl->nfree,
		 sl->nfree == 1 ? "" : "s", sl->free_units, sl->largest);
	v_printf(v, y++, 0, C_NORMAL, "bigblocks %ld (%lu page%s)",
		 sl->nbig < 0 ? 0 : sl->nbig, sl->big_pages,
		 sl->big_pages == 1 ? "" : "s");
	v_puts(v, y++, 0, C_LABEL, "free block          units");
	int first = t->pane[W_SLABS].scroll;
	for (size_t i = (size_t)first; i < sl->nblocks && y < v->h; i++, y++) {
		v_printf(v, y, 0, C_NORMAL, "%#-18llx", (unsigned long long)
			 sl->blocks[i].addr);
		v_rprintf(v, y, 18, 6, C_NORMAL, "%s",
			  fmt_count(buf, sizeof buf, (unsigned long)
				    sl->blocks[i].units, 6));
	}
}

void slabs_draw(const struct tui *t, const struct view *v)
{
	const struct slabs_data *sd = &t->sd;
	char a[16], b[16], c[16], d[16];

	if (sd->is_slob) {
		slob_draw(t, v);
		return;
	}
	int x = v_printf(v, 0, 0, C_NORMAL, "%zu caches  objects %lu/%lu "
			 "(%lu%%)  slabs %lu  pages %lu", sd->ncaches, sd->active,
			 sd->objs, sd->objs ? sd->active * 100 / sd->objs : 0,
			 sd->slabs, sd->pages);
	x += v_printf(v, 0, x, C_DIM, "   sort: %s", sort_names[sd->sort]);
	if (sd->filter[0])
		v_printf(v, 0, x, C_MATCH, "  /%s", sd->filter);

	bool wide = v->w >= 66;
	int nw = v->w - (wide ? 52 : 31);
	if (nw > 24)
		nw = 24;
	if (nw < 8)
		nw = 8;
	if (wide)
		v_printf(v, 1, 0, C_LABEL, "%-*s %7s %7s %4s %6s %5s %4s %4s %6s",
			 nw, "NAME", "ACTIVE", "TOTAL", "USE", "OBJSZ", "FULL",
			 "PART", "FREE", "PAGES");
	else
		v_printf(v, 1, 0, C_LABEL, "%-*s %7s %7s %6s %6s", nw, "NAME",
			 "ACTIVE", "TOTAL", "OBJSZ", "PAGES");
	int first = t->pane[W_SLABS].scroll;
	for (size_t i = (size_t)first, y = 2; i < sd->n && (int)y < v->h;
	     i++, y++) {
		const struct slab_row *r = &sd->rows[i];
		const struct kmem_cache_info *ci = &r->ci;
		int color = ci->num_objs ? C_NORMAL : C_DIM;
		int use = ci->num_objs ? (int)(ci->active_objs * 100 / ci->num_objs) : 0;
		if (wide)
			v_printf(v, (int)y, 0, color,
				 "%-*.*s %7s %7s %3d%% %6zu %5lu %4lu %4lu %6s", nw, nw,
				 r->name, fmt_count(a, sizeof a, ci->active_objs, 7),
				 fmt_count(b, sizeof b, ci->num_objs, 7), use,
				 ci->object_size, ci->slabs_full, ci->slabs_partial,
				 ci->slabs_free, fmt_count(c, sizeof c, row_pages(ci), 6));
		else
			v_printf(v, (int)y, 0, color, "%-*.*s %7s %7s %6zu %6s", nw,
				 nw, r->name, fmt_count(a, sizeof a, ci->active_objs, 7),
				 fmt_count(b, sizeof b, ci->num_objs, 7), ci->object_size,
				 fmt_count(d, sizeof d, row_pages(ci), 6));
		if (r->changed)
			v_paint(v, (int)y, 0, v->w, C_CHANGED, AT_BOLD);
	}
}

void slabs_free_data(struct tui *t)
{
	struct slabs_data *sd = &t->sd;

	free(sd->rows);
	free(sd->before);
	free(sd->slob.blocks);
	memset(sd, 0, sizeof *sd);
}
