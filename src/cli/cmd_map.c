/*
 * cmd_map.c - `map`: a compact picture of physical memory, zone by zone,
 * built from kmem_page_info.  One character stands for a run of 2^k pages
 * (k chosen so a zone fits in at most MAP_ROWS rows of MAP_COLS) and shows
 * the state most of those pages are in:
 *
 *   Node 0, zone DMA  pfn 0x0-0xfff, 4 pages per character
 *     0x00000  RRRR-RRRRRRRRRRRRR##############..........................
 *
 *   .  free, on a buddy list      p  free, on a per-CPU list
 *   #  allocated                  R  reserved (kernel, mem_map, BIOS)
 *   -  hole (no RAM)
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <string.h>

#include "cli.h"

#define MAP_COLS 64             /* characters per row */
#define MAP_ROWS 16             /* at most this many rows per zone */

enum map_state { MS_FREE, MS_PCP, MS_ALLOC, MS_RESERVED, MS_HOLE, NR_MS };

static const char map_chars[NR_MS] = { '.', 'p', '#', 'R', '-' };
static const char *const map_names[NR_MS] = {
	"free", "pcp", "allocated", "reserved", "hole",
};

static enum map_state classify(enum kmem_page_state st)
{
	switch (st) {
	case KMEM_PAGE_BUDDY:
	case KMEM_PAGE_BUDDY_TAIL:
		return MS_FREE;
	case KMEM_PAGE_PCP:
		return MS_PCP;
	case KMEM_PAGE_ALLOC:
	case KMEM_PAGE_ALLOC_TAIL:
		return MS_ALLOC;
	case KMEM_PAGE_RESERVED:
		return MS_RESERVED;
	default:
		return MS_HOLE;
	}
}

/* The most common state; on a tie the more telling one wins, so an
 * allocated page is not hidden by an equal number of free ones. */
static char cell_char(const unsigned long counts[NR_MS])
{
	static const enum map_state prio[NR_MS] = {
		MS_ALLOC, MS_PCP, MS_RESERVED, MS_FREE, MS_HOLE,
	};
	enum map_state best = prio[0];

	for (int k = 1; k < NR_MS; k++)
		if (counts[prio[k]] > counts[best])
			best = prio[k];
	return map_chars[best];
}

static void map_zone(struct session *s, const struct kmem_zone_info *zi)
{
	unsigned long ppc = 1;
	unsigned long totals[NR_MS] = { 0 };
	char row[MAP_COLS + 1];

	while (zi->spanned / ppc > (unsigned long)MAP_COLS * MAP_ROWS)
		ppc *= 2;
	if (sess_text(s))
		sess_printf(s, "Node %d, zone %s  pfn 0x%lx-0x%lx, %lu page%s per "
			    "character\n", zi->nid, zi->name, zi->start_pfn,
			    zi->start_pfn + zi->spanned - 1, ppc,
			    ppc == 1 ? "" : "s");
	json_begin_object(s, NULL);
	json_u64(s, "node", (uint64_t)zi->nid);
	json_str(s, "zone", zi->name);
	json_u64(s, "start_pfn", zi->start_pfn);
	json_u64(s, "pages_per_char", ppc);
	json_begin_array(s, "rows");
	unsigned long end = zi->start_pfn + zi->spanned;
	unsigned long pfn = zi->start_pfn;
	while (pfn < end) {
		unsigned long row_start = pfn;
		int col = 0;
		for (; col < MAP_COLS && pfn < end; col++) {
			unsigned long counts[NR_MS] = { 0 };
			for (unsigned long k = 0; k < ppc && pfn < end; k++, pfn++) {
				struct kmem_page_info pi;
				kmem_page_info(s->m, pfn, &pi);
				enum map_state ms = classify(pi.state);
				/* a page of another zone interleaved (NUMA) */
				if (pi.nid != zi->nid || pi.zone_idx != zi->idx)
					ms = MS_HOLE;
				counts[ms]++;
				totals[ms]++;
			}
			row[col] = cell_char(counts);
		}
		row[col] = '\0';
		json_str(s, NULL, row);
		if (sess_text(s))
			sess_printf(s, "  0x%06lx  %s\n", row_start, row);
	}
	json_end_array(s);
	json_begin_object(s, "pages");
	for (int k = 0; k < NR_MS; k++)
		json_u64(s, map_names[k], totals[k]);
	json_end_object(s);
	json_end_object(s);
	if (sess_text(s))
		sess_printf(s, "  pages: %lu free, %lu pcp, %lu allocated, %lu "
			    "reserved, %lu hole\n", totals[MS_FREE], totals[MS_PCP],
			    totals[MS_ALLOC], totals[MS_RESERVED], totals[MS_HOLE]);
}

static int run_map(struct session *s, int argc, char **argv)
{
	int nid = -1, idx = -1;
	struct kmem_zone_info zi;

	if (argc > 1 && arg_zone(s, argv[1], &nid, &idx))
		return -1;
	if (sess_text(s))
		sess_printf(s, "legend: . free  p per-CPU list  # allocated  "
			    "R reserved  - hole (each character shows the "
			    "state of most of its pages)\n");
	json_begin_object(s, "legend");
	for (int k = 0; k < NR_MS; k++) {
		char c[2] = { map_chars[k], '\0' };
		json_str(s, map_names[k], c);
	}
	json_end_object(s);
	json_begin_array(s, "zones");
	for (unsigned n = 0; n < s->info.nr_nodes; n++) {
		if (nid >= 0 && (int)n != nid)
			continue;
		for (int i = 0; i < KMEM_MAX_NR_ZONES; i++) {
			if (idx >= 0 && i != idx)
				continue;
			if (kmem_zone_info(s->m, (int)n, i, &zi) || !zi.populated)
				continue;
			map_zone(s, &zi);
		}
	}
	json_end_array(s);
	return 0;
}

static void complete_map(struct session *s, int argi, char **argv,
			 struct completion *c)
{
	if (argi == 1)
		complete_zones(s, c);
}

const struct command cmd_map = {
	.name = "map",
	.usage = "map [ZONE]",
	.summary = "a picture of physical memory, zone by zone",
	.example = "map Normal",
	.detail = "One character per run of pages, 64 to a row, at most 16 rows "
		  "per zone; each shows the state most of its pages are in.",
	.family = FAM_SHOW,
	.min_args = 0, .max_args = 1,
	.run = run_map,
	.complete = complete_map,
};
