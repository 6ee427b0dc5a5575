/*
 * vmstat.c - counters and the /proc views built on them, as in Linux
 * 2.6.20's mm/vmstat.c: /proc/buddyinfo, /proc/zoneinfo, /proc/vmstat.
 *
 * Zone counters (enum zone_stat_item) are updated in place.  The kernel
 * keeps per-CPU deltas and folds them past a threshold; we show the
 * folded value at once and print the threshold the kernel would use.
 * Event counters (enum vm_event_item) are machine-wide.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS] = {
	"nr_anon_pages", "nr_mapped", "nr_file_pages", "nr_slab_reclaimable",
	"nr_slab_unreclaimable", "nr_page_table_pages", "nr_dirty",
	"nr_writeback", "nr_unstable", "nr_bounce", "nr_vmscan_write",
	"numa_hit", "numa_miss", "numa_foreign", "numa_interleave",
	"numa_local", "numa_other",
};

const char *zone_stat_name(int item)
{
	return item >= 0 && item < NR_VM_ZONE_STAT_ITEMS ?
	       zone_stat_names[item] : "?";
}

static int nr_zone_stat_items(const struct machine *m)
{
	return m->numa ? NR_VM_ZONE_STAT_ITEMS : NR_VM_ZONE_STAT_ITEMS_UMA;
}

unsigned long global_page_state(const struct machine *m, int item)
{
	long sum = 0;

	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_NR_ZONES; i++)
			sum += m->nodes[nid].node_zones[i].vm_stat[item];
	return sum < 0 ? 0 : (unsigned long)sum;
}

static int fls_ul(unsigned long x)
{
	int r = 0;

	while (x) {
		r++;
		x >>= 1;
	}
	return r;
}

/* calculate_threshold: 2 * fls(cpus) * (1 + fls(present in 128M units)),
 * at most 125. */
int calculate_threshold(const struct machine *m, const struct zone *z)
{
	unsigned long mem = z->present_pages >> (27 - PAGE_SHIFT);
	int threshold = 2 * fls_ul(m->cpus) * (1 + fls_ul(mem));

	return threshold > 125 ? 125 : threshold;
}

/* ------------------------------------------------------------------ */
/* /proc/vmstat                                                        */
/* ------------------------------------------------------------------ */

struct event_desc {
	const char *name;               /* printed name (per-zone: prefix) */
	int item;                       /* enum vm_event_item (or base) */
	bool per_zone;                  /* item is a base + zone idx */
};

static const struct event_desc events[] = {
	{ "pgpgin", PGPGIN, false }, { "pgpgout", PGPGOUT, false },
	{ "pswpin", PSWPIN, false }, { "pswpout", PSWPOUT, false },
	{ "pgalloc_", PGALLOC_BASE, true },
	{ "pgfree", PGFREE, false }, { "pgactivate", PGACTIVATE, false },
	{ "pgdeactivate", PGDEACTIVATE, false },
	{ "pgfault", PGFAULT, false }, { "pgmajfault", PGMAJFAULT, false },
	{ "pgrefill_", PGREFILL_BASE, true },
	{ "pgsteal_", PGSTEAL_BASE, true },
	{ "pgscan_kswapd_", PGSCAN_KSWAPD_BASE, true },
	{ "pgscan_direct_", PGSCAN_DIRECT_BASE, true },
	{ "pginodesteal", PGINODESTEAL, false },
	{ "slabs_scanned", SLABS_SCANNED, false },
	{ "kswapd_steal", KSWAPD_STEAL, false },
	{ "kswapd_inodesteal", KSWAPD_INODESTEAL, false },
	{ "pageoutrun", PAGEOUTRUN, false },
	{ "allocstall", ALLOCSTALL, false },
	{ "pgrotated", PGROTATED, false },
};

/* Per-zone event names, [arch][event prefix][zone idx]. */
static const char *const zone_event_names[2][5][MAX_NR_ZONES] = {
	{ { "pgalloc_dma", "pgalloc_normal", "pgalloc_high" },
	  { "pgrefill_dma", "pgrefill_normal", "pgrefill_high" },
	  { "pgsteal_dma", "pgsteal_normal", "pgsteal_high" },
	  { "pgscan_kswapd_dma", "pgscan_kswapd_normal", "pgscan_kswapd_high" },
	  { "pgscan_direct_dma", "pgscan_direct_normal", "pgscan_direct_high" } },
	{ { "pgalloc_dma", "pgalloc_dma32", "pgalloc_normal" },
	  { "pgrefill_dma", "pgrefill_dma32", "pgrefill_normal" },
	  { "pgsteal_dma", "pgsteal_dma32", "pgsteal_normal" },
	  { "pgscan_kswapd_dma", "pgscan_kswapd_dma32", "pgscan_kswapd_normal" },
	  { "pgscan_direct_dma", "pgscan_direct_dma32", "pgscan_direct_normal" } },
};

static const char *event_zone_name(const struct machine *m, int nth, int idx)
{
	return zone_event_names[m->arch == KMEM_ARCH_I386 ? 0 : 1][nth][idx];
}

size_t kmem_vmstat_items(struct machine *m, struct kmem_stat_item *out,
			 size_t max)
{
	size_t n = 0;

#define PUT(nm, val) do { if (n < max) { out[n].name = (nm); \
	out[n].value = (val); } n++; } while (0)
	for (int i = 0; i < nr_zone_stat_items(m); i++)
		PUT(zone_stat_names[i], global_page_state(m, i));
	int nth = 0;
	for (size_t e = 0; e < sizeof events / sizeof events[0]; e++) {
		if (events[e].per_zone) {
			for (int z = 0; z < MAX_NR_ZONES; z++)
				PUT(event_zone_name(m, nth, z),
				    m->vm_events[events[e].item + z]);
			nth++;
		} else {
			unsigned long v = m->vm_events[events[e].item];
			if (events[e].item == PGPGIN || events[e].item == PGPGOUT)
				v /= 2; /* counted in sectors, shown in KiB */
			PUT(events[e].name, v);
		}
	}
#undef PUT
	return n;
}

void proc_vmstat(struct machine *m, struct kbuf *b)
{
	struct kmem_stat_item items[128];
	size_t n = kmem_vmstat_items(m, items, 128);

	for (size_t i = 0; i < n && i < 128; i++)
		kbuf_printf(b, "%s %lu\n", items[i].name, items[i].value);
}

/* ------------------------------------------------------------------ */
/* /proc/buddyinfo and /proc/zoneinfo                                  */
/* ------------------------------------------------------------------ */

void proc_buddyinfo(struct machine *m, struct kbuf *b)
{
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			const struct zone *z = &m->nodes[nid].node_zones[i];
			if (!populated_zone(z))
				continue;
			kbuf_printf(b, "Node %u, zone %8s ", nid, z->name);
			for (int o = 0; o < MAX_ORDER; o++)
				kbuf_printf(b, "%6lu ", z->free_area[o].nr_free);
			kbuf_append(b, "\n", 1);
		}
	}
}

void proc_zoneinfo(struct machine *m, struct kbuf *b)
{
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			const struct zone *z = &m->nodes[nid].node_zones[i];
			if (!populated_zone(z))
				continue;
			kbuf_printf(b, "Node %u, zone %8s", nid, z->name);
			kbuf_printf(b, "\n  pages free     %lu"
				    "\n        min      %lu"
				    "\n        low      %lu"
				    "\n        high     %lu"
				    "\n        active   %lu"
				    "\n        inactive %lu"
				    "\n        scanned  %lu (a: %lu i: %lu)"
				    "\n        spanned  %lu"
				    "\n        present  %lu",
				    z->free_pages, z->pages_min, z->pages_low,
				    z->pages_high, z->nr_active, z->nr_inactive,
				    z->pages_scanned, z->nr_scan_active,
				    z->nr_scan_inactive, z->spanned_pages,
				    z->present_pages);
			for (int s = 0; s < nr_zone_stat_items(m); s++)
				kbuf_printf(b, "\n    %-12s %lu", zone_stat_names[s],
					    z->vm_stat[s] < 0 ? 0UL :
					    (unsigned long)z->vm_stat[s]);
			kbuf_printf(b, "\n        protection: (%lu", z->lowmem_reserve[0]);
			for (int j = 1; j < MAX_NR_ZONES; j++)
				kbuf_printf(b, ", %lu", z->lowmem_reserve[j]);
			kbuf_printf(b, ")\n  pagesets");
			for (unsigned cpu = 0; cpu < m->cpus; cpu++) {
				const struct per_cpu_pageset *ps = &z->pageset[cpu];
				if (!ps->pcp[0].count && !ps->pcp[1].count)
					continue;
				for (int j = 0; j < 2; j++)
					kbuf_printf(b, "\n    cpu: %u pcp: %d"
						    "\n              count: %d"
						    "\n              high:  %d"
						    "\n              batch: %d",
						    cpu, j, ps->pcp[j].count,
						    ps->pcp[j].high, ps->pcp[j].batch);
				if (m->smp)
					kbuf_printf(b, "\n  vm stats threshold: %d",
						    ps->stat_threshold);
			}
			kbuf_printf(b, "\n  all_unreclaimable: %u"
				    "\n  prev_priority:     %d"
				    "\n  start_pfn:         %lu\n",
				    (unsigned)z->all_unreclaimable,
				    z->prev_priority, z->zone_start_pfn);
		}
	}
}
