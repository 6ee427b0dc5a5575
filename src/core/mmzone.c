/*
 * mmzone.c - snapshot queries over nodes, zones, free lists, per-CPU lists
 * and struct page (include/linux/mmzone.h, mm_types.h).  Front ends read
 * state only through these: each fills a caller-owned struct and changes
 * nothing.  The same results feed `cat /proc/...`, `show ...` and the
 * dashboard's widgets.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <string.h>
#include <strings.h>

#include "internal.h"

static const struct zone *get_zone(const struct machine *m, int nid, int idx)
{
	if (nid < 0 || (unsigned)nid >= m->nr_nodes || idx < 0 ||
	    idx >= MAX_NR_ZONES)
		return NULL;
	return &m->nodes[nid].node_zones[idx];
}

int kmem_zone_info(const struct machine *m, int nid, int idx,
		   struct kmem_zone_info *out)
{
	const struct zone *z = get_zone(m, nid, idx);

	if (!z)
		return -EINVAL;
	memset(out, 0, sizeof *out);
	out->nid = nid;
	out->idx = idx;
	out->name = z->name;
	out->type = z->type;
	out->populated = populated_zone(z);
	out->start_pfn = z->zone_start_pfn;
	out->spanned = z->spanned_pages;
	out->present = z->present_pages;
	out->memmap_pages = z->memmap_pages;
	out->free_pages = z->free_pages;
	out->pages_min = z->pages_min;
	out->pages_low = z->pages_low;
	out->pages_high = z->pages_high;
	for (int j = 0; j < MAX_NR_ZONES; j++)
		out->lowmem_reserve[j] = z->lowmem_reserve[j];
	for (int o = 0; o < MAX_ORDER; o++)
		out->nr_free[o] = z->free_area[o].nr_free;
	out->nr_active = z->nr_active;
	out->nr_inactive = z->nr_inactive;
	out->pages_scanned = z->pages_scanned;
	out->nr_scan_active = z->nr_scan_active;
	out->nr_scan_inactive = z->nr_scan_inactive;
	out->all_unreclaimable = z->all_unreclaimable;
	out->prev_priority = z->prev_priority;
	out->pcp_pages = zone_pcp_pages(z, m->cpus);
	return 0;
}

int kmem_zone_lookup(const struct machine *m, int nid, const char *name)
{
	if (nid < 0 || (unsigned)nid >= m->nr_nodes)
		return -EINVAL;
	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (!strcasecmp(m->nodes[nid].node_zones[i].name, name))
			return i;
	return -ENOENT;
}

static size_t walk_list(const struct machine *m, const struct plist *l,
			unsigned long *pfns, size_t max)
{
	size_t n = 0;

	for (uint32_t pfn = l->head; pfn != NIL; pfn = m->mem_map[pfn].lru_next) {
		if (n < max)
			pfns[n] = pfn;
		n++;
	}
	return n;
}

size_t kmem_free_area_list(const struct machine *m, int nid, int idx,
			   unsigned order, unsigned long *pfns, size_t max)
{
	const struct zone *z = get_zone(m, nid, idx);

	if (!z || order >= MAX_ORDER || !populated_zone(z))
		return 0;
	return walk_list(m, &z->free_area[order].free_list, pfns, max);
}

int kmem_pcp_info(const struct machine *m, int nid, int idx, unsigned cpu,
		  int cold, struct kmem_pcp_info *out)
{
	const struct zone *z = get_zone(m, nid, idx);

	if (!z || !z->pageset || cpu >= m->cpus || cold < 0 || cold > 1)
		return -EINVAL;
	const struct per_cpu_pages *pcp = &z->pageset[cpu].pcp[cold];
	out->count = pcp->count;
	out->high = pcp->high;
	out->batch = pcp->batch;
	return 0;
}

size_t kmem_pcp_list(const struct machine *m, int nid, int idx, unsigned cpu,
		     int cold, unsigned long *pfns, size_t max)
{
	const struct zone *z = get_zone(m, nid, idx);

	if (!z || !z->pageset || cpu >= m->cpus || cold < 0 || cold > 1)
		return 0;
	return walk_list(m, &z->pageset[cpu].pcp[cold].list, pfns, max);
}

const char *kmem_page_flag_name(unsigned bit)
{
	static const char *const names[NR_PAGEFLAGS] = {
		"locked", "error", "referenced", "uptodate", "dirty", "lru",
		"active", "slab", "checked", "arch_1", "reserved", "private",
		"writeback", "nosave", "compound", "swapcache", "mappedtodisk",
		"reclaim", "nosave_free", "buddy",
	};

	return bit < NR_PAGEFLAGS ? names[bit] : NULL;
}

/* Find which CPU list holds a pcp page (queries only: linear). */
static void find_pcp(const struct machine *m, const struct zone *z,
		     unsigned long pfn, int *cpu, int *cold)
{
	for (unsigned c = 0; c < m->cpus; c++)
		for (int j = 0; j < 2; j++)
			for (uint32_t p = z->pageset[c].pcp[j].list.head; p != NIL;
			     p = m->mem_map[p].lru_next)
				if (p == pfn) {
					*cpu = (int)c;
					*cold = j;
					return;
				}
}

int kmem_page_info(const struct machine *m, unsigned long pfn,
		   struct kmem_page_info *out)
{
	memset(out, 0, sizeof *out);
	out->pfn = pfn;
	out->block_order = -1;
	out->block_pfn = pfn;
	out->pcp_cpu = out->pcp_cold = -1;
	out->nid = out->zone_idx = -1;
	if (pfn >= m->max_pfn) {
		out->state = KMEM_PAGE_HOLE;
		return -EINVAL;
	}
	const struct page *p = pfn_to_page(m, pfn);
	out->flags = p->flags & PG_KERNEL_MASK;
	out->count = p->_count;
	out->mapcount = p->_mapcount + 1;
	out->private_ = p->private_;
	out->mapping = p->mapping;
	out->index = p->index;
	out->reserved_by = boot_region_of(m, pfn);
	if (page_is_hole(p)) {
		out->state = KMEM_PAGE_HOLE;
		out->reserved_by = out->reserved_by ? out->reserved_by : "no RAM";
		return 0;
	}
	out->nid = (int)page_to_nid(p);
	out->zone_idx = (int)page_zonenum(p);
	if (PageFlag(p, PG_reserved)) {
		out->state = KMEM_PAGE_RESERVED;
		return 0;
	}
	if (PageFlag(p, PG_buddy)) {
		out->state = KMEM_PAGE_BUDDY;
		out->block_order = (int)p->private_;
		return 0;
	}
	if (p->flags & PGS_PCP) {
		out->state = KMEM_PAGE_PCP;
		out->block_order = 0;
		find_pcp(m, page_zone(m, p), pfn, &out->pcp_cpu, &out->pcp_cold);
		return 0;
	}
	if (p->_count > 0 && page_alloc_order(p) >= 0) {
		out->state = KMEM_PAGE_ALLOC;
		out->block_order = page_alloc_order(p);
		return 0;
	}
	/* a tail: find the enclosing allocated or free block */
	for (unsigned o = 1; o < MAX_ORDER; o++) {
		unsigned long head = pfn & ~((1UL << o) - 1);
		const struct page *h = pfn_to_page(m, head);
		if (head == pfn || page_is_hole(h))
			continue;
		if (h->_count > 0 && page_alloc_order(h) >= (int)o) {
			out->state = KMEM_PAGE_ALLOC_TAIL;
			out->block_pfn = head;
			out->block_order = page_alloc_order(h);
			return 0;
		}
		if (PageFlag(h, PG_buddy) && h->private_ >= o) {
			out->state = KMEM_PAGE_BUDDY_TAIL;
			out->block_pfn = head;
			out->block_order = (int)h->private_;
			return 0;
		}
	}
	/* Allocated by an order-0 split (split_page) or held by a later
	 * subsystem with an extra reference: report as allocated. */
	out->state = KMEM_PAGE_ALLOC;
	return 0;
}

size_t kmem_zonelist(const struct machine *m, int nid, gfp_t gfp, int *nids,
		     int *idxs, size_t max)
{
	if (nid < 0)
		nid = (int)m->cpu_node[m->cur_cpu];
	if ((unsigned)nid >= m->nr_nodes)
		return 0;
	const struct zonelist *zl = &m->nodes[nid].node_zonelists[gfp_zone(m, gfp)];
	size_t n = 0;
	for (struct zone *const *z = zl->zones; *z; z++) {
		if (n < max) {
			nids[n] = (*z)->zone_pgdat->node_id;
			idxs[n] = (*z)->idx;
		}
		n++;
	}
	return n;
}
