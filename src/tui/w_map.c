/*
 * w_map.c - the Memory map pane: physical memory as a grid, each cell a
 * run of 2^k pages scaled to fit, shown as the owner most of its pages
 * have (the `map` command's rule), with the pages the last command
 * touched in reverse video.
 *
 *   . free s slab v vmalloc t pgtable R reserved # other   (legend)
 *   pfn 0x0-0x2000, 4 pages a cell, all zones   z: zone  /: range
 *   0x000000 RRRRRRRRRRRRR##sss###..........................
 *   0x000100 ..............pp...............................
 *
 * Owners come from the snapshot queries only: kmem_page_info's state
 * (buddy, per-CPU, reserved, hole, allocated) and PG_ bits (PG_slab,
 * PG_swapcache), page->mapping for anonymous and page-cache pages once
 * those land, the vmlist's pages (kmem_vm_area_pages) for vmalloc, the
 * tables kmem_pagetable_walk passes through for page tables, and under
 * SLOB the bigblocks and kmem_whatis for arena pages.
 *
 * Speed.  A 4 GiB machine has 1M pages and a 200x60 frame a few thousand
 * cells, so the grid is built by walking blocks, not pages: one
 * kmem_page_info on any page of a free or allocated block gives the whole
 * block (block_pfn, block_order), and a block spanning several cells is
 * reused without asking again.  A cell whose pages are all small and
 * different is walked for WALK_PROBES blocks and its remainder sampled
 * at SAMPLE_PROBES evenly spaced pages, so no frame costs more than
 * cells x (WALK_PROBES + SAMPLE_PROBES) queries.  The grid is rebuilt
 * only when a command ran, the range changed or the pane was resized.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui_internal.h"

#define WALK_PROBES   4         /* blocks walked per cell */
#define SAMPLE_PROBES 3         /* then pages sampled */
#define MAP_HEADER    2         /* legend and scale rows */

static const char owner_glyph[NR_OWNERS] = {
	[OWN_FREE] = '.', [OWN_PCP] = 'p', [OWN_SLAB] = 's',
	[OWN_VMALLOC] = 'v', [OWN_PAGECACHE] = 'c', [OWN_ANON] = 'a',
	[OWN_PAGETABLE] = 't', [OWN_SWAPCACHE] = 'w', [OWN_RESERVED] = 'R',
	[OWN_ALLOC] = '#', [OWN_HOLE] = ' ',
};
static const char *const owner_name[NR_OWNERS] = {
	[OWN_FREE] = "free", [OWN_PCP] = "pcp", [OWN_SLAB] = "slab",
	[OWN_VMALLOC] = "vmalloc", [OWN_PAGECACHE] = "cache",
	[OWN_ANON] = "anon", [OWN_PAGETABLE] = "pgtable",
	[OWN_SWAPCACHE] = "swapcache", [OWN_RESERVED] = "reserved",
	[OWN_ALLOC] = "other", [OWN_HOLE] = "hole",
};
static const int owner_color[NR_OWNERS] = {
	[OWN_FREE] = C_FREE, [OWN_PCP] = C_PCP, [OWN_SLAB] = C_SLAB,
	[OWN_VMALLOC] = C_VMALLOC, [OWN_PAGECACHE] = C_PAGECACHE,
	[OWN_ANON] = C_ANON, [OWN_PAGETABLE] = C_PAGETABLE,
	[OWN_SWAPCACHE] = C_SWAPCACHE, [OWN_RESERVED] = C_RESERVED,
	[OWN_ALLOC] = C_ALLOC, [OWN_HOLE] = C_HOLE,
};
/* On a tie the more telling owner wins: an allocation is not hidden by
 * an equal number of free pages. */
static const uint8_t owner_prio[NR_OWNERS] = {
	OWN_SLAB, OWN_VMALLOC, OWN_PAGETABLE, OWN_ANON, OWN_PAGECACHE,
	OWN_SWAPCACHE, OWN_PCP, OWN_ALLOC, OWN_RESERVED, OWN_FREE, OWN_HOLE,
};

static int find_bit(const char *name)
{
	for (unsigned b = 0; b < 32; b++) {
		const char *n = kmem_page_flag_name(b);
		if (n && !strcmp(n, name))
			return (int)b;
	}
	return -1;
}

static void pfn_push(unsigned long **v, size_t *n, size_t *cap,
		     unsigned long pfn)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*v = realloc(*v, *cap * sizeof **v);
		if (!*v)
			abort();
	}
	(*v)[(*n)++] = pfn;
}

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static bool pfn_in(const unsigned long *v, size_t n, unsigned long pfn)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] == pfn;
}

#define PT_WALKS_MAX 512         /* page-table walks per vm area */

/* The vmalloc pages, the page-table pages and SLOB bigblocks, sorted. */
static void collect_sets(struct tui *t)
{
	struct machine *m = tui_machine(t);
	struct map_data *md = &t->md;
	struct kmem_pt_step steps[5];
	uint64_t phys;

	md->nvm = md->npt = md->nbig = 0;
	size_t na = kmem_vmlist(m, NULL, 0);
	struct kmem_vm_area *areas = calloc(na ? na : 1, sizeof *areas);
	if (!areas)
		abort();
	na = kmem_vmlist(m, areas, na);
	for (size_t i = 0; i < na; i++) {
		size_t np = areas[i].nr_pages;
		if (np) {
			if (md->nvm + np > md->vm_cap) {
				md->vm_cap = (md->nvm + np) * 2;
				md->vm_pfns = realloc(md->vm_pfns,
						      md->vm_cap * sizeof *md->vm_pfns);
				if (!md->vm_pfns)
					abort();
			}
			md->nvm += kmem_vm_area_pages(m, areas[i].addr,
						      md->vm_pfns + md->nvm, np);
		}
		/* the tables that map the area, one walk per 2 MiB */
		kaddr_t va = areas[i].addr;
		for (int k = 0; k < PT_WALKS_MAX && va < areas[i].addr + areas[i].size;
		     k++, va += (kaddr_t)2 << 20) {
			memset(steps, 0, sizeof steps);
			kmem_pagetable_walk(m, va, steps, 5, &phys);
			for (int j = 0; j < 5; j++)
				if (steps[j].table_pfn)
					pfn_push(&md->pt_pfns, &md->npt,
						 &md->pt_cap, steps[j].table_pfn);
		}
	}
	free(areas);
	if (md->nvm > 1)
		qsort(md->vm_pfns, md->nvm, sizeof *md->vm_pfns, cmp_ul);
	if (md->npt > 1)
		qsort(md->pt_pfns, md->npt, sizeof *md->pt_pfns, cmp_ul);

	struct kmem_machine_info mi;
	kmem_machine_info(m, &mi);
	if (mi.allocator != KMEM_ALLOC_SLOB)
		return;
	long nb = kmem_slob_bigblocks(m, NULL, 0);
	if (nb <= 0)
		return;
	struct kmem_slob_big *big = calloc((size_t)nb, sizeof *big);
	if (!big)
		abort();
	nb = kmem_slob_bigblocks(m, big, (size_t)nb);
	for (long i = 0; i < nb; i++) {
		unsigned long pfn;
		if (kmem_virt_to_pfn(m, big[i].addr, &pfn))
			continue;
		pfn_push(&md->big_pfns, &md->nbig, &md->big_cap, pfn);
		pfn_push(&md->big_pfns, &md->nbig, &md->big_cap,
			 pfn + (1UL << big[i].order));
	}
	md->nbig /= 2;
	free(big);
}

static bool in_bigblock(const struct map_data *md, unsigned long pfn)
{
	for (size_t i = 0; i < md->nbig; i++)
		if (pfn >= md->big_pfns[2 * i] && pfn < md->big_pfns[2 * i + 1])
			return true;
	return false;
}

struct walk {
	struct tui *t;
	struct machine *m;
	bool slob;              /* classify arena pages with kmem_whatis */
	unsigned long run_start, run_end; /* the last block seen */
	int run_own;            /* its owner */
};

/* Owner of pfn, and the end of the run it belongs to. */
static int classify(struct walk *w, unsigned long pfn, unsigned long *end)
{
	struct map_data *md = &w->t->md;
	struct kmem_page_info pi;

	if (pfn >= w->run_start && pfn < w->run_end) {
		*end = w->run_end;
		return w->run_own;
	}
	md->probes++;
	*end = pfn + 1;
	if (kmem_page_info(w->m, pfn, &pi))
		return OWN_HOLE;
	int own;
	switch (pi.state) {
	case KMEM_PAGE_HOLE:
		return OWN_HOLE;
	case KMEM_PAGE_RESERVED:
		return OWN_RESERVED;
	case KMEM_PAGE_PCP:
		return OWN_PCP;
	case KMEM_PAGE_BUDDY:
	case KMEM_PAGE_BUDDY_TAIL:
		own = OWN_FREE;
		break;
	default:
		if (md->bit_slab >= 0 && (pi.flags >> md->bit_slab) & 1)
			own = OWN_SLAB;
		else if (md->bit_swapcache >= 0 &&
			 (pi.flags >> md->bit_swapcache) & 1)
			own = OWN_SWAPCACHE;
		else if (pi.mapping & 1)
			own = OWN_ANON;         /* PAGE_MAPPING_ANON */
		else if (pi.mapping)
			own = OWN_PAGECACHE;
		else if (pfn_in(md->pt_pfns, md->npt, pfn))
			own = OWN_PAGETABLE;
		else if (pfn_in(md->vm_pfns, md->nvm, pfn))
			own = OWN_VMALLOC;
		else if (in_bigblock(md, pfn))
			own = OWN_SLAB;
		else
			own = OWN_ALLOC;
		if (own == OWN_ALLOC && w->slob) {
			kaddr_t va;
			struct kmem_whatis wi;
			if (kmem_page_address(w->m, pfn, &va) &&
			    !kmem_whatis(w->m, va, &wi) &&
			    (wi.kind == KMEM_ADDR_SLOB ||
			     wi.kind == KMEM_ADDR_SLOB_BIG))
				own = OWN_SLAB;
		}
		/* per-page owners (vmalloc, tables) are single pages */
		if (own == OWN_VMALLOC || own == OWN_PAGETABLE)
			return own;
		break;
	}
	if (pi.block_order >= 0 && pi.block_pfn <= pfn) {
		w->run_start = pi.block_pfn;
		w->run_end = pi.block_pfn + (1UL << pi.block_order);
		w->run_own = own;
		*end = w->run_end;
	}
	return own;
}

/* Weigh the owners of [a, b) and return the dominant one. */
static int cell_owner(struct walk *w, unsigned long a, unsigned long b)
{
	unsigned long weight[NR_OWNERS] = { 0 };
	unsigned long pfn = a, end;
	int probes = 0;

	while (pfn < b && probes < WALK_PROBES) {
		bool cached = pfn >= w->run_start && pfn < w->run_end;
		int own = classify(w, pfn, &end);
		if (!cached)
			probes++;
		if (end > b)
			end = b;
		weight[own] += end - pfn;
		pfn = end;
	}
	if (pfn < b) {
		unsigned long left = b - pfn;
		unsigned long ns = left < SAMPLE_PROBES ? left : SAMPLE_PROBES;
		for (unsigned long i = 0; i < ns; i++) {
			unsigned long p = pfn + left * (2 * i + 1) / (2 * ns);
			weight[classify(w, p, &end)] += left / ns;
		}
	}
	int best = owner_prio[0];
	for (int k = 1; k < NR_OWNERS; k++)
		if (weight[owner_prio[k]] > weight[best])
			best = owner_prio[k];
	return best;
}

/* The PFN range the pane shows now. */
static void map_range(const struct tui *t, unsigned long *start,
		      unsigned long *end)
{
	const struct map_data *md = &t->md;
	struct kmem_machine_info mi;

	kmem_machine_info(tui_machine(t), &mi);
	*start = 0;
	*end = mi.max_pfn;
	if (md->zone >= 0 && md->zone < t->zd.n) {
		*start = t->zd.z[md->zone].start_pfn;
		*end = *start + t->zd.z[md->zone].spanned;
	} else if (md->zone == -2) {
		*start = md->range_start < mi.max_pfn ? md->range_start : 0;
		*end = md->range_end <= mi.max_pfn ? md->range_end : mi.max_pfn;
	}
	if (*end <= *start)
		*end = *start + 1;
}

void map_update(struct tui *t)
{
	struct map_data *md = &t->md;
	const struct pane *p = &t->pane[W_MAP];
	int w = p->r.w - 2, h = p->r.h - 2 - MAP_HEADER;
	unsigned long start, end;

	if (t->zoom == W_MAP) {
		w = t->cols - 2;
		h = t->rows - 4 - MAP_HEADER;
	}
	if (md->bit_slab == -2) {               /* not looked up yet */
		md->bit_slab = find_bit("slab");
		md->bit_swapcache = find_bit("swapcache");
	}
	map_range(t, &start, &end);
	md->label_w = w >= 40 ? 9 : 0;
	int cols = w - md->label_w, rows = h;
	if (cols < 1 || rows < 1) {
		md->cols = md->rows = 0;
		return;
	}
	/* pages a cell: 1, 2, 3, 4, 6, 8, 12, 16 ... (powers of two and
	 * their halfway steps, so the grid fills most of the pane) */
	unsigned long range = end - start, ppc = 1, pow2 = 1;
	while ((range + ppc - 1) / ppc > (unsigned long)cols * (unsigned long)rows) {
		if (ppc == pow2 && pow2 >= 2) {
			ppc = pow2 + pow2 / 2;
		} else {
			pow2 *= 2;
			ppc = pow2;
		}
	}
	unsigned long ncells = (range + ppc - 1) / ppc;
	int used_rows = (int)((ncells + (unsigned long)cols - 1) /
			      (unsigned long)cols);
	if (md->gen == t->gen && md->start == start && md->end == end &&
	    md->ppc == ppc && md->cols == cols && md->rows == used_rows &&
	    md->own)
		return;         /* nothing changed since the grid was built */

	size_t need = (size_t)cols * (size_t)used_rows;
	if (need > md->cap) {
		md->own = realloc(md->own, need);
		md->touched = realloc(md->touched, need);
		if (!md->own || !md->touched)
			abort();
		md->cap = need;
	}
	md->start = start;
	md->end = end;
	md->ppc = ppc;
	md->cols = cols;
	md->rows = used_rows;
	md->gen = t->gen;
	md->probes = 0;
	collect_sets(t);

	struct kmem_machine_info mi;
	kmem_machine_info(tui_machine(t), &mi);
	struct walk wk = { .t = t, .m = tui_machine(t),
			   .slob = mi.allocator == KMEM_ALLOC_SLOB,
			   .run_start = 1, .run_end = 0 };
	for (size_t c = 0; c < need; c++) {
		unsigned long a = start + c * ppc, b = a + ppc;
		if (a >= end) {
			md->own[c] = OWN_HOLE;
			md->touched[c] = 0;
			continue;
		}
		if (b > end)
			b = end;
		md->own[c] = (uint8_t)cell_owner(&wk, a, b);
		md->touched[c] = 0;
	}
	for (size_t i = 0; i < t->ntouch; i++) {
		unsigned long a = t->touch[i][0], b = t->touch[i][1];
		if (b <= start || a >= end)
			continue;
		if (a < start)
			a = start;
		if (b > end)
			b = end;
		for (unsigned long c = (a - start) / ppc; c <= (b - 1 - start) / ppc &&
		     c < need; c++)
			md->touched[c] = 1;
	}
}

void map_draw(const struct tui *t, const struct view *v)
{
	const struct map_data *md = &t->md;
	bool present[NR_OWNERS] = { false };
	char scope[48];

	if (!md->cols || !md->rows || !md->own) {
		v_puts(v, 0, 0, C_DIM, "(too small)");
		return;
	}
	for (size_t c = 0; c < (size_t)md->cols * (size_t)md->rows; c++)
		present[md->own[c]] = true;
	present[OWN_FREE] = present[OWN_ALLOC] = true;
	int x = 0;
	for (int k = 0; k < NR_OWNERS; k++) {
		if (!present[k] || k == OWN_HOLE)
			continue;
		v_putch(v, 0, x, owner_color[k], (uint32_t)owner_glyph[k]);
		x += 2 + v_puts(v, 0, x + 1, C_NORMAL, owner_name[k]);
		v_putch(v, 0, x - 1, C_NORMAL, ' ');
	}
	v_puts(v, 0, x, C_DIM, "(reverse: touched)");

	if (md->zone >= 0 && md->zone < t->zd.n)
		snprintf(scope, sizeof scope, "zone %s", t->zd.z[md->zone].name);
	else if (md->zone == -2)
		snprintf(scope, sizeof scope, "a range");
	else
		snprintf(scope, sizeof scope, "all memory");
	x = v_printf(v, 1, 0, C_LABEL, "pfn %#lx-%#lx, %lu page%s a cell, %s",
		     md->start, md->end, md->ppc, md->ppc == 1 ? "" : "s", scope);
	v_puts(v, 1, x, C_DIM, md->err[0] ? md->err : "   z: zone  /: range");

	for (int r = 0; r < md->rows && MAP_HEADER + r < v->h; r++) {
		int y = MAP_HEADER + r;
		if (md->label_w)
			v_printf(v, y, 0, C_DIM, "0x%06lx",
				 md->start + (unsigned long)r * (unsigned long)md->cols *
				 md->ppc);
		for (int c = 0; c < md->cols; c++) {
			size_t i = (size_t)r * (size_t)md->cols + (size_t)c;
			if (md->start + i * md->ppc >= md->end)
				break;
			int own = md->own[i];
			v_putch(v, y, md->label_w + c, owner_color[own],
				(uint32_t)owner_glyph[own]);
			if (md->touched[i])
				v_paint(v, y, md->label_w + c, 1, -1,
					AT_REVERSE | AT_BOLD);
		}
	}
}

/* `z`: all memory, then each zone in turn. */
unsigned map_zoom_next(struct tui *t)
{
	struct map_data *md = &t->md;

	md->err[0] = '\0';
	if (md->zone == -2)
		md->zone = -1;
	else if (md->zone + 1 < t->zd.n)
		md->zone++;
	else
		md->zone = -1;
	md->gen = 0;
	return TUI_REDRAW | TUI_UPDATE;
}

/* `/`: a zone name, "all", START-END or START+COUNT (PFNs). */
unsigned map_search(struct tui *t, const char *text)
{
	struct map_data *md = &t->md;
	char *end;

	md->err[0] = '\0';
	md->gen = 0;
	while (*text == ' ')
		text++;
	if (!*text || !strcasecmp(text, "all")) {
		md->zone = -1;
		return TUI_REDRAW | TUI_UPDATE;
	}
	for (int i = 0; i < t->zd.n; i++) {
		char label[40];
		snprintf(label, sizeof label, "%d:%s", t->zd.z[i].nid,
			 t->zd.z[i].name);
		if (!strcasecmp(text, t->zd.z[i].name) || !strcasecmp(text, label)) {
			md->zone = i;
			return TUI_REDRAW | TUI_UPDATE;
		}
	}
	unsigned long a = strtoul(text, &end, 0), b;
	if (end == text)
		goto bad;
	while (*end == ' ')
		end++;
	if (*end == '-') {
		b = strtoul(end + 1, &end, 0);
	} else if (*end == '+') {
		b = a + strtoul(end + 1, &end, 0);
	} else if (!*end) {
		b = a + 1;
	} else {
		goto bad;
	}
	while (*end == ' ')
		end++;
	if (*end || b <= a)
		goto bad;
	md->zone = -2;
	md->range_start = a;
	md->range_end = b;
	return TUI_REDRAW | TUI_UPDATE;
bad:
	snprintf(md->err, sizeof md->err, "   not a zone or range: '%.40s'",
		 text);
	return TUI_REDRAW;
}

void map_free_data(struct tui *t)
{
	struct map_data *md = &t->md;

	free(md->own);
	free(md->touched);
	free(md->vm_pfns);
	free(md->pt_pfns);
	free(md->big_pfns);
	memset(md, 0, sizeof *md);
}
