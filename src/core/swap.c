/*
 * swap.c - the active and inactive LRU lists and their per-CPU pagevecs
 * (Linux 2.6.20 mm/swap.c, include/linux/mm_inline.h, pagevec.h).
 *
 * Each zone keeps two lists through page->lru (the same PFN links the
 * buddy lists use: a page is free or on the LRU, never both).  Pages
 * join at the head and reclaim takes them from the tail.  New pages
 * wait in the current CPU's pagevec of 14 (holding a reference, PG_lru
 * still clear) until it fills or lru_add_drain runs:
 *
 *   lru_cache_add ------> lru_add_pvecs[cpu] ------> inactive head
 *   lru_cache_add_active  lru_add_active_pvecs[cpu]  active head
 *
 *   mark_page_accessed:  inactive,unref -> inactive,ref -> active,unref
 *                        -> active,ref (stays)
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm.h"

int lru_init(struct machine *m)
{
	m->lru_add_pvecs = xcalloc(m->cpus, sizeof *m->lru_add_pvecs);
	m->lru_add_active_pvecs = xcalloc(m->cpus,
					  sizeof *m->lru_add_active_pvecs);
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *z = &m->nodes[nid].node_zones[i];
			plist_init(&z->active_list);
			plist_init(&z->inactive_list);
		}
	return 0;
}

void lru_free(struct machine *m)
{
	free(m->lru_add_pvecs);
	free(m->lru_add_active_pvecs);
	m->lru_add_pvecs = m->lru_add_active_pvecs = NULL;
}

/* ------------------------------------------------------------------ */
/* List primitives (mm_inline.h)                                       */
/* ------------------------------------------------------------------ */

void add_page_to_active_list(struct machine *m, struct zone *z,
			     struct page *p)
{
	plist_add_head(m, &z->active_list, page_to_pfn(m, p));
	z->nr_active++;
}

void add_page_to_inactive_list(struct machine *m, struct zone *z,
			       struct page *p)
{
	plist_add_head(m, &z->inactive_list, page_to_pfn(m, p));
	z->nr_inactive++;
}

void add_page_to_inactive_list_tail(struct machine *m, struct zone *z,
				    struct page *p)
{
	plist_add_tail(m, &z->inactive_list, page_to_pfn(m, p));
	z->nr_inactive++;
}

/* del_page_from_lru: clears PG_active (not PG_lru: callers own that). */
void del_page_from_lru(struct machine *m, struct zone *z, struct page *p)
{
	unsigned long pfn = page_to_pfn(m, p);

	if (PageFlag(p, PG_active)) {
		ClearPageFlag(p, PG_active);
		plist_del(m, &z->active_list, pfn);
		z->nr_active--;
	} else {
		plist_del(m, &z->inactive_list, pfn);
		z->nr_inactive--;
	}
}

/* ------------------------------------------------------------------ */
/* Pagevecs                                                            */
/* ------------------------------------------------------------------ */

/* __pagevec_lru_add(_active): PG_lru on, onto the list head, then
 * release_pages drops the pagevec's references. */
static void pagevec_lru_add(struct machine *m, struct pagevec *pv, bool active)
{
	unsigned n = pv->nr;

	if (TRACING(m))
		trace_note(m, "__pagevec_lru_add%s: %u page%s to the %s list%s",
			   active ? "_active" : "", n, n == 1 ? "" : "s",
			   active ? "active" : "inactive",
			   n == PAGEVEC_SIZE ? " (pagevec full)" : "");
	for (unsigned i = 0; i < n; i++) {
		struct page *p = pfn_to_page(m, pv->pfns[i]);
		struct zone *z = page_zone(m, p);
		SetPageFlag(p, PG_lru);
		if (active) {
			SetPageFlag(p, PG_active);
			add_page_to_active_list(m, z, p);
		} else {
			add_page_to_inactive_list(m, z, p);
		}
	}
	pv->nr = 0;
	for (unsigned i = 0; i < n; i++)
		put_page(m, pfn_to_page(m, pv->pfns[i]));
}

/* lru_cache_add(_active): park the page, with a reference, in this
 * CPU's pagevec; a full pagevec goes onto the list. */
static void lru_add(struct machine *m, struct page *p, bool active)
{
	struct pagevec *pv = active ? &m->lru_add_active_pvecs[m->cur_cpu]
				    : &m->lru_add_pvecs[m->cur_cpu];
	const char *fn = active ? "lru_cache_add_active" : "lru_cache_add";

	if (TRACING(m))
		trace_enter(m, fn, "pfn %#lx", page_to_pfn(m, p));
	get_page(p);                    /* page_cache_get */
	pv->pfns[pv->nr++] = (uint32_t)page_to_pfn(m, p);
	unsigned n = pv->nr;
	if (n == PAGEVEC_SIZE)
		pagevec_lru_add(m, pv, active);
	if (TRACING(m))
		trace_exit(m, "%s pagevec of cpu%u %u/%d%s",
			   active ? "lru_add_active" : "lru_add", m->cur_cpu, n,
			   PAGEVEC_SIZE, n == PAGEVEC_SIZE ? ": flushed" : "");
}

void lru_cache_add(struct machine *m, struct page *p)
{
	lru_add(m, p, false);
}

void lru_cache_add_active(struct machine *m, struct page *p)
{
	lru_add(m, p, true);
}

static void drain_cpu(struct machine *m, unsigned cpu)
{
	if (m->lru_add_pvecs[cpu].nr)
		pagevec_lru_add(m, &m->lru_add_pvecs[cpu], false);
	if (m->lru_add_active_pvecs[cpu].nr)
		pagevec_lru_add(m, &m->lru_add_active_pvecs[cpu], true);
}

void lru_add_drain(struct machine *m)
{
	if (m->lru_add_pvecs)
		drain_cpu(m, m->cur_cpu);
}

void kmem_lru_add_drain(struct machine *m, bool all_cpus)
{
	if (all_cpus)
		lru_add_drain_all(m);
	else
		lru_add_drain(m);
}

void lru_add_drain_all(struct machine *m)
{
	if (!m->lru_add_pvecs)
		return;
	for (unsigned cpu = 0; cpu < m->cpus; cpu++)
		drain_cpu(m, cpu);
}

/* ------------------------------------------------------------------ */
/* Ageing                                                              */
/* ------------------------------------------------------------------ */

void activate_page(struct machine *m, struct page *p)
{
	if (!PageFlag(p, PG_lru) || PageFlag(p, PG_active))
		return;
	struct zone *z = page_zone(m, p);
	del_page_from_lru(m, z, p);
	SetPageFlag(p, PG_active);
	add_page_to_active_list(m, z, p);
	count_vm_events(m, PGACTIVATE, 1);
	if (TRACING(m))
		trace_note(m, "activate_page: pfn %#lx inactive -> active",
			   page_to_pfn(m, p));
}

void mark_page_accessed(struct machine *m, struct page *p)
{
	if (!PageFlag(p, PG_active) && PageFlag(p, PG_referenced) &&
	    PageFlag(p, PG_lru)) {
		activate_page(m, p);
		ClearPageFlag(p, PG_referenced);
	} else if (!PageFlag(p, PG_referenced)) {
		SetPageFlag(p, PG_referenced);
	}
}

int rotate_reclaimable_page(struct machine *m, struct page *p)
{
	if (PageFlag(p, PG_locked) || PageFlag(p, PG_dirty) ||
	    PageFlag(p, PG_active) || !PageFlag(p, PG_lru))
		return 1;
	struct zone *z = page_zone(m, p);
	unsigned long pfn = page_to_pfn(m, p);
	plist_del(m, &z->inactive_list, pfn);
	plist_add_tail(m, &z->inactive_list, pfn);
	count_vm_events(m, PGROTATED, 1);
	if (TRACING(m))
		trace_note(m, "rotate_reclaimable_page: pfn %#lx to the "
			   "inactive tail", pfn);
	return 0;
}

void __page_cache_release(struct machine *m, struct page *p)
{
	if (PageFlag(p, PG_lru)) {
		ClearPageFlag(p, PG_lru);
		del_page_from_lru(m, page_zone(m, p), p);
	}
}

int isolate_lru_page(struct machine *m, struct page *p)
{
	if (!PageFlag(p, PG_lru))
		return -EBUSY;
	struct zone *z = page_zone(m, p);
	ClearPageFlag(p, PG_lru);
	/* keep PG_active: putback_lru_page returns the page where it was */
	bool active = PageFlag(p, PG_active);
	del_page_from_lru(m, z, p);
	if (active)
		SetPageFlag(p, PG_active);
	get_page(p);
	return 0;
}

void putback_lru_page(struct machine *m, struct page *p)
{
	struct zone *z = page_zone(m, p);

	SetPageFlag(p, PG_lru);
	if (PageFlag(p, PG_active))
		add_page_to_active_list(m, z, p);
	else
		add_page_to_inactive_list(m, z, p);
	put_page(m, p);
}

int lru_pvec_refs(const struct machine *m, unsigned long pfn)
{
	int n = 0;

	if (!m->lru_add_pvecs)
		return 0;
	for (unsigned cpu = 0; cpu < m->cpus; cpu++) {
		const struct pagevec *a = &m->lru_add_pvecs[cpu];
		const struct pagevec *b = &m->lru_add_active_pvecs[cpu];
		for (unsigned i = 0; i < a->nr; i++)
			n += a->pfns[i] == pfn;
		for (unsigned i = 0; i < b->nr; i++)
			n += b->pfns[i] == pfn;
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Checker                                                             */
/* ------------------------------------------------------------------ */

static bool check_list(struct machine *m, struct zone *z,
		       const struct plist *l, bool active, unsigned long want,
		       unsigned long *seen, char *report, size_t len)
{
	unsigned long n = 0;
	uint32_t prev = NIL;
	const char *what = active ? "active" : "inactive";

	for (uint32_t pfn = l->head; pfn != NIL; pfn = m->mem_map[pfn].lru_next) {
		const struct page *p = &m->mem_map[pfn];
		if (p->lru_prev != prev) {
			snprintf(report, len, "lru: %s list of %s broken at pfn "
				 "%#x", what, z->name, pfn);
			return false;
		}
		if (!PageFlag(p, PG_lru) || PageFlag(p, PG_active) != active ||
		    PageFlag(p, PG_buddy) || page_zone(m, p) != z ||
		    p->_count <= 0) {
			snprintf(report, len, "lru: pfn %#x on the %s list of %s "
				 "has flags %#x count %d", pfn, what, z->name,
				 p->flags & PG_KERNEL_MASK, p->_count);
			return false;
		}
		prev = pfn;
		if (++n > want) {
			snprintf(report, len, "lru: %s list of %s longer than "
				 "nr_%s %lu", what, z->name, what, want);
			return false;
		}
	}
	if (n != want || l->tail != prev) {
		snprintf(report, len, "lru: %s list of %s holds %lu pages, "
			 "nr_%s says %lu", what, z->name, n, what, want);
		return false;
	}
	*seen += n;
	return true;
}

bool lru_check(struct machine *m, char *report, size_t len)
{
	unsigned long on_lists = 0, flagged = 0;

	if (!m->lru_add_pvecs)
		return true;
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *z = &m->nodes[nid].node_zones[i];
			if (!check_list(m, z, &z->active_list, true,
					z->nr_active, &on_lists, report, len) ||
			    !check_list(m, z, &z->inactive_list, false,
					z->nr_inactive, &on_lists, report, len))
				return false;
		}
	for (unsigned cpu = 0; cpu < m->cpus; cpu++) {
		const struct pagevec *pvs[2] = { &m->lru_add_pvecs[cpu],
						 &m->lru_add_active_pvecs[cpu] };
		for (int k = 0; k < 2; k++)
			for (unsigned i = 0; i < pvs[k]->nr; i++) {
				const struct page *p = &m->mem_map[pvs[k]->pfns[i]];
				if (PageFlag(p, PG_lru) || p->_count <= 0) {
					snprintf(report, len, "lru: pfn %#x in a "
						 "cpu%u pagevec has PG_lru or "
						 "count %d", pvs[k]->pfns[i], cpu,
						 p->_count);
					return false;
				}
			}
	}
	for (unsigned long pfn = 0; pfn < m->max_pfn; pfn++)
		if (PageFlag(&m->mem_map[pfn], PG_lru))
			flagged++;
	if (flagged != on_lists) {
		snprintf(report, len, "lru: %lu pages carry PG_lru but %lu are "
			 "on the lists", flagged, on_lists);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Writeback completion (mm/filemap.c end_page_writeback)              */
/* ------------------------------------------------------------------ */

void set_page_writeback(struct machine *m, struct page *p)
{
	if (PageFlag(p, PG_writeback))
		return;
	SetPageFlag(p, PG_writeback);
	__mod_zone_page_state(page_zone(m, p), NR_WRITEBACK, 1);
}

void end_page_writeback(struct machine *m, struct page *p)
{
	if (!PageFlag(p, PG_writeback))
		return;
	if (PageFlag(p, PG_reclaim) && !rotate_reclaimable_page(m, p)) {
		/* rotated to the inactive tail */
	}
	ClearPageFlag(p, PG_reclaim);
	ClearPageFlag(p, PG_writeback);
	__mod_zone_page_state(page_zone(m, p), NR_WRITEBACK, -1);
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */
/* ------------------------------------------------------------------ */

static const struct zone *zone_at(const struct machine *m, int nid, int zone)
{
	if (nid < 0 || nid >= (int)m->nr_nodes || zone < 0 ||
	    zone >= MAX_NR_ZONES)
		return NULL;
	return &m->nodes[nid].node_zones[zone];
}

int kmem_zone_lru(const struct machine *m, int nid, int zone,
		  struct kmem_lru_info *out)
{
	const struct zone *z = zone_at(m, nid, zone);

	if (!z)
		return -EINVAL;
	memset(out, 0, sizeof *out);
	out->nr_active = z->nr_active;
	out->nr_inactive = z->nr_inactive;
	out->nr_scan_active = z->nr_scan_active;
	out->nr_scan_inactive = z->nr_scan_inactive;
	out->pages_scanned = z->pages_scanned;
	out->all_unreclaimable = z->all_unreclaimable;
	out->prev_priority = z->prev_priority;
	for (unsigned cpu = 0; cpu < m->cpus; cpu++) {
		const struct pagevec *a = &m->lru_add_pvecs[cpu];
		const struct pagevec *b = &m->lru_add_active_pvecs[cpu];
		for (unsigned i = 0; i < a->nr; i++)
			out->pvec_inactive += page_zone(m, &m->mem_map[a->pfns[i]]) == z;
		for (unsigned i = 0; i < b->nr; i++)
			out->pvec_active += page_zone(m, &m->mem_map[b->pfns[i]]) == z;
	}
	return 0;
}

size_t kmem_zone_lru_pfns(const struct machine *m, int nid, int zone,
			  bool active, unsigned long *pfns, size_t max)
{
	const struct zone *z = zone_at(m, nid, zone);
	size_t n = 0;

	if (!z)
		return 0;
	const struct plist *l = active ? &z->active_list : &z->inactive_list;
	for (uint32_t pfn = l->head; pfn != NIL; pfn = m->mem_map[pfn].lru_next) {
		if (n < max)
			pfns[n] = pfn;
		n++;
	}
	return n;
}
