/*
 * vmscan.c - page reclaim (Linux 2.6.20 mm/vmscan.c): scan_control,
 * shrink_zone and its two list scanners, shrink_page_list, shrink_slab,
 * direct reclaim (try_to_free_pages) and kswapd (balance_pgdat).
 *
 *   __alloc_pages slow path --> try_to_free_pages --+
 *   wakeup_kswapd ... kswapd --> balance_pgdat -----+--> shrink_zone
 *                                                        |
 *            active list tail --shrink_active_list--> inactive head
 *          inactive list tail --shrink_inactive_list--> shrink_page_list
 *                       keep / activate / add_to_swap / try_to_unmap /
 *                       pageout / remove_mapping + free
 *
 * Simulated time: kswapd runs when the command that woke it finishes
 * (vm.kmemlab_kswapd_on_tick = 0, the default) or at the next tick;
 * congestion_wait advances m->jiffies by its timeout, as an idle block
 * queue would make it sleep.  Disk writes issued by pageout complete
 * when the batch that issued them has been put back on the LRU, so a
 * page written for reclaim rotates to the inactive tail and is freed by
 * a later scan, as with a real disk.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm.h"
#include "vmscan.h"

struct scan_control {
	unsigned long nr_scanned;       /* pages looked at this priority */
	gfp_t gfp_mask;
	int may_writepage;
	int may_swap;
	int swap_cluster_max;
	int swappiness;
	int all_unreclaimable;
	bool kswapd;                    /* current_is_kswapd() */
	/* pages this batch sent to disk: their I/O ends after putback */
	uint32_t wb[SWAP_CLUSTER_MAX];
	unsigned nr_wb;
};

enum pageout_t { PAGE_KEEP, PAGE_ACTIVATE, PAGE_SUCCESS, PAGE_CLEAN };

static const char *const pageout_names[] = {
	"PAGE_KEEP", "PAGE_ACTIVATE", "PAGE_SUCCESS", "PAGE_CLEAN",
};

static struct reclaim_state *rs(struct machine *m)
{
	return m->reclaim;
}

/* ------------------------------------------------------------------ */
/* Private page lists (the kernel's on-stack list_heads)               */
/* ------------------------------------------------------------------ */

static struct page *lru_tail(struct machine *m, const struct plist *l)
{
	return l->tail == NIL ? NULL : &m->mem_map[l->tail];
}

/* ------------------------------------------------------------------ */
/* isolate_lru_pages                                                   */
/* ------------------------------------------------------------------ */

/*
 * Take up to nr pages from src's tail onto dst (each added at dst's head,
 * so dst's tail is the first page taken).  *scanned counts every page
 * looked at.  Each isolated page loses PG_lru and gains a reference.
 */
static unsigned long isolate_lru_pages(struct machine *m, unsigned long nr,
				       struct plist *src, struct plist *dst,
				       unsigned long *scanned)
{
	unsigned long taken = 0, scan;

	for (scan = 0; scan < nr && !plist_empty(src); scan++) {
		struct page *p = lru_tail(m, src);
		unsigned long pfn = page_to_pfn(m, p);
		plist_del(m, src, pfn);
		if (p->_count <= 0) {   /* being freed: put it back */
			plist_add_head(m, src, pfn);
			continue;
		}
		get_page(p);
		ClearPageFlag(p, PG_lru);
		plist_add_head(m, dst, pfn);
		taken++;
	}
	*scanned = scan;
	return taken;
}

/* ------------------------------------------------------------------ */
/* shrink_page_list                                                    */
/* ------------------------------------------------------------------ */

/* page_mapping_inuse: mapped, in the swap cache, or its file is mmapped */
static bool page_mapping_inuse(struct machine *m, struct page *p)
{
	if (p->_mapcount >= 0 || PageSwapCache(p))
		return true;
	struct kfile *f = mapping_file(m, p);
	return f && f->mapping.i_mmap_count > 0;
}

/* page_mapping(): the page cache, the swap cache, or none */
static bool has_mapping(struct machine *m, struct page *p)
{
	return PageSwapCache(p) || mapping_file(m, p) != NULL;
}

static enum pageout_t pageout(struct machine *m, struct page *p,
			      struct scan_control *sc)
{
	struct kfile *f = mapping_file(m, p);

	/* is_page_cache_freeable: the cache's and our reference only */
	if (p->_count != 2)
		return PAGE_KEEP;
	if (!has_mapping(m, p))
		return PAGE_KEEP;
	if (f && f->shmem) {
		/* shmem_writepage would move the page to swap; not modelled:
		 * it answers AOP_WRITEPAGE_ACTIVATE as with no swap */
		return PAGE_ACTIVATE;
	}
	if (!PageFlag(p, PG_dirty))
		return PAGE_CLEAN;
	SetPageFlag(p, PG_reclaim);
	int rc = PageSwapCache(p) ? swap_writepage(m, p)
				  : file_writepage(m, p, false);
	if (rc) {
		ClearPageFlag(p, PG_reclaim);
		return PAGE_ACTIVATE;
	}
	if (!PageFlag(p, PG_writeback))
		ClearPageFlag(p, PG_reclaim);
	else if (sc->nr_wb < SWAP_CLUSTER_MAX)
		sc->wb[sc->nr_wb++] = (uint32_t)page_to_pfn(m, p);
	else
		end_page_writeback(m, p);
	__mod_zone_page_state(page_zone(m, p), NR_VMSCAN_WRITE, 1);
	return PAGE_SUCCESS;
}

/* remove_mapping: only with exactly the cache's and our reference */
static bool remove_mapping(struct machine *m, struct page *p)
{
	if (p->_count != 2 || PageFlag(p, PG_dirty))
		return false;
	if (PageSwapCache(p)) {
		swp_entry_t e = page_swp_entry(p);
		__delete_from_swap_cache(m, p);
		swap_free(m, e);
	} else {
		remove_from_page_cache(m, p);
	}
	p->_count--;                    /* __put_page: the cache's ref */
	return true;
}

/* Trace one page's outcome. */
static void outcome(struct machine *m, struct page *p, const char *what,
		    const char *why)
{
	if (TRACING(m))
		trace_note(m, "pfn %#lx: %s (%s)", page_to_pfn(m, p), what, why);
}

/*
 * Every page of page_list (taken from its tail) is kept, activated or
 * freed; survivors go back onto page_list for the caller to put back.
 */
static unsigned long shrink_page_list(struct machine *m, struct plist *list,
				      struct scan_control *sc)
{
	struct plist ret;
	unsigned long nr_reclaimed = 0;

	plist_init(&ret);
	if (TRACING(m))
		trace_enter(m, "shrink_page_list", "may_writepage %d may_swap %d",
			    sc->may_writepage, sc->may_swap);
	while (!plist_empty(list)) {
		struct page *p = lru_tail(m, list);
		unsigned long pfn = page_to_pfn(m, p);
		const char *why;
		plist_del(m, list, pfn);

		if (PageFlag(p, PG_locked)) {
			why = "locked";
			goto keep;
		}
		SetPageFlag(p, PG_locked);
		sc->nr_scanned++;
		bool mapped = p->_mapcount >= 0;
		if (!sc->may_swap && mapped) {
			why = "mapped, !may_swap";
			goto keep_locked;
		}
		if (mapped || PageSwapCache(p))
			sc->nr_scanned++;
		if (PageFlag(p, PG_writeback)) {
			why = "under writeback";
			goto keep_locked;
		}
		int referenced = page_referenced(m, p, true);
		if (referenced && page_mapping_inuse(m, p)) {
			why = "referenced and in use";
			goto activate_locked;
		}
		if (PageAnon(p) && !PageSwapCache(p)) {
			if (!add_to_swap(m, p)) {
				why = "anonymous, add_to_swap failed";
				goto activate_locked;
			}
			if (TRACING(m))
				trace_note(m, "pfn %#lx: add_to_swap -> entry "
					   "%u:%lu", pfn,
					   swp_type(page_swp_entry(p)),
					   swp_offset(page_swp_entry(p)));
		}
		bool may_enter_fs = (sc->gfp_mask & __GFP_FS) ||
			(PageSwapCache(p) && (sc->gfp_mask & __GFP_IO));
		if (p->_mapcount >= 0 && has_mapping(m, p)) {
			int r = try_to_unmap(m, p, false);
			if (r == SWAP_FAIL) {
				why = "try_to_unmap: SWAP_FAIL";
				goto activate_locked;
			}
			if (r == SWAP_AGAIN) {
				why = "try_to_unmap: SWAP_AGAIN";
				goto keep_locked;
			}
		}
		if (PageFlag(p, PG_dirty)) {
			if (referenced) {
				why = "dirty and referenced";
				goto keep_locked;
			}
			if (!may_enter_fs) {
				why = "dirty, !may_enter_fs";
				goto keep_locked;
			}
			if (!sc->may_writepage) {
				why = "dirty, !may_writepage";
				goto keep_locked;
			}
			enum pageout_t po = pageout(m, p, sc);
			if (TRACING(m))
				trace_note(m, "pfn %#lx: pageout -> %s", pfn,
					   pageout_names[po]);
			switch (po) {
			case PAGE_KEEP:
				why = "pageout: PAGE_KEEP";
				goto keep_locked;
			case PAGE_ACTIVATE:
				why = "pageout: PAGE_ACTIVATE";
				goto activate_locked;
			case PAGE_SUCCESS:
				if (PageFlag(p, PG_writeback) ||
				    PageFlag(p, PG_dirty)) {
					ClearPageFlag(p, PG_locked);
					why = "written, I/O in flight";
					goto keep;
				}
				break;
			case PAGE_CLEAN:
				break;
			}
		}
		if (!has_mapping(m, p) || !remove_mapping(m, p)) {
			why = has_mapping(m, p) ? "remove_mapping refused"
						: "no mapping";
			goto keep_locked;
		}
		ClearPageFlag(p, PG_locked);
		outcome(m, p, "freed", PageAnon(p) ? "anon, swapped" : "clean");
		nr_reclaimed++;
		ClearPageFlag(p, PG_referenced);
		put_page(m, p);         /* the isolation reference: frees it */
		continue;
activate_locked:
		SetPageFlag(p, PG_active);
		count_vm_events(m, PGACTIVATE, 1);
		ClearPageFlag(p, PG_locked);
		outcome(m, p, "activate", why);
		plist_add_head(m, &ret, pfn);
		continue;
keep_locked:
		ClearPageFlag(p, PG_locked);
keep:
		outcome(m, p, "keep", why);
		plist_add_head(m, &ret, pfn);
	}
	/* list_splice(&ret_pages, page_list) */
	*list = ret;
	if (TRACING(m))
		trace_exit(m, "%lu freed", nr_reclaimed);
	return nr_reclaimed;
}

/* ------------------------------------------------------------------ */
/* The two list scanners                                               */
/* ------------------------------------------------------------------ */

static unsigned long vm_total(const struct machine *m)
{
	return m->vm_total_pages ? m->vm_total_pages : 1;
}

static void shrink_active_list(struct machine *m, unsigned long nr,
			       struct zone *z, struct scan_control *sc,
			       int priority)
{
	struct plist hold, l_active, l_inactive;
	unsigned long scanned, moved = 0;
	int reclaim_mapped = 0;

	if (sc->may_swap) {
		long distress, mapped_ratio, swap_tendency;
		if (z->pages_scanned >= (z->nr_active + z->nr_inactive) * 3) {
			reclaim_mapped = 1;
			if (TRACING(m))
				trace_note(m, "zone near OOM (pages_scanned %lu): "
					   "reclaim_mapped forced",
					   z->pages_scanned);
		} else {
			int pr = z->prev_priority < priority ? z->prev_priority
							     : priority;
			distress = 100 >> pr;
			mapped_ratio = (long)(global_page_state(m, NR_FILE_MAPPED) +
					      global_page_state(m, NR_ANON_PAGES)) *
				       100 / (long)vm_total(m);
			swap_tendency = mapped_ratio / 2 + distress +
					sc->swappiness;
			reclaim_mapped = swap_tendency >= 100;
			if (TRACING(m))
				trace_note(m, "swap_tendency = mapped_ratio/2 %ld "
					   "+ distress %ld + swappiness %d = %ld: "
					   "reclaim_mapped %d", mapped_ratio / 2,
					   distress, sc->swappiness,
					   swap_tendency, reclaim_mapped);
		}
	}

	lru_add_drain(m);
	plist_init(&hold);
	plist_init(&l_active);
	plist_init(&l_inactive);
	/* isolation keeps PG_active on the pages */
	unsigned long taken = isolate_lru_pages(m, nr, &z->active_list, &hold,
						&scanned);
	z->pages_scanned += scanned;
	z->nr_active -= taken;
	if (TRACING(m))
		trace_enter(m, "shrink_active_list", "%s: scan %lu, took %lu",
			    z->name, scanned, taken);

	unsigned long kept = 0;
	while (!plist_empty(&hold)) {
		struct page *p = lru_tail(m, &hold);
		unsigned long pfn = page_to_pfn(m, p);
		plist_del(m, &hold, pfn);
		if (p->_mapcount >= 0) {
			if (!reclaim_mapped ||
			    (total_swap_pages(m) == 0 && PageAnon(p)) ||
			    page_referenced(m, p, false)) {
				plist_add_head(m, &l_active, pfn);
				kept++;
				continue;
			}
		}
		plist_add_head(m, &l_inactive, pfn);
	}

	/* the inactive set to the inactive head, PG_active cleared */
	while (!plist_empty(&l_inactive)) {
		struct page *p = lru_tail(m, &l_inactive);
		unsigned long pfn = page_to_pfn(m, p);
		plist_del(m, &l_inactive, pfn);
		SetPageFlag(p, PG_lru);
		ClearPageFlag(p, PG_active);
		plist_add_head(m, &z->inactive_list, pfn);
		z->nr_inactive++;
		moved++;
		put_page(m, p);
	}
	count_vm_events(m, PGREFILL_BASE + z->idx, scanned);
	count_vm_events(m, PGDEACTIVATE, moved);
	while (!plist_empty(&l_active)) {
		struct page *p = lru_tail(m, &l_active);
		unsigned long pfn = page_to_pfn(m, p);
		plist_del(m, &l_active, pfn);
		SetPageFlag(p, PG_lru);
		plist_add_head(m, &z->active_list, pfn);
		z->nr_active++;
		put_page(m, p);
	}
	if (TRACING(m))
		trace_exit(m, "%lu deactivated, %lu stay active", moved, kept);
}

/* End the disk writes this batch issued (block layer completion). */
static void complete_writes(struct machine *m, struct scan_control *sc)
{
	for (unsigned i = 0; i < sc->nr_wb; i++)
		end_page_writeback(m, pfn_to_page(m, sc->wb[i]));
	sc->nr_wb = 0;
}

static unsigned long shrink_inactive_list(struct machine *m,
					  unsigned long max_scan,
					  struct zone *z,
					  struct scan_control *sc)
{
	unsigned long nr_scanned = 0, nr_reclaimed = 0;
	struct plist list;

	if (TRACING(m))
		trace_enter(m, "shrink_inactive_list", "%s: max_scan %lu",
			    z->name, max_scan);
	lru_add_drain(m);
	do {
		unsigned long nr_scan;
		plist_init(&list);
		unsigned long taken = isolate_lru_pages(m, (unsigned long)
							sc->swap_cluster_max,
							&z->inactive_list,
							&list, &nr_scan);
		z->nr_inactive -= taken;
		z->pages_scanned += nr_scan;
		nr_scanned += nr_scan;
		unsigned long freed = shrink_page_list(m, &list, sc);
		nr_reclaimed += freed;
		if (sc->kswapd) {
			count_vm_events(m, PGSCAN_KSWAPD_BASE + z->idx, nr_scan);
			count_vm_events(m, KSWAPD_STEAL, freed);
		} else {
			count_vm_events(m, PGSCAN_DIRECT_BASE + z->idx, nr_scan);
		}
		count_vm_events(m, PGSTEAL_BASE + z->idx, freed);
		if (taken == 0)
			break;
		while (!plist_empty(&list)) {
			struct page *p = lru_tail(m, &list);
			unsigned long pfn = page_to_pfn(m, p);
			plist_del(m, &list, pfn);
			SetPageFlag(p, PG_lru);
			if (PageFlag(p, PG_active))
				add_page_to_active_list(m, z, p);
			else
				add_page_to_inactive_list(m, z, p);
			put_page(m, p);
		}
		complete_writes(m, sc);
	} while (nr_scanned < max_scan);
	complete_writes(m, sc);
	if (TRACING(m))
		trace_exit(m, "scanned %lu, reclaimed %lu", nr_scanned,
			   nr_reclaimed);
	return nr_reclaimed;
}

/* ------------------------------------------------------------------ */
/* shrink_zone, throttle_vm_writeout                                   */
/* ------------------------------------------------------------------ */

static unsigned long shrink_zone(struct machine *m, int priority,
				 struct zone *z, struct scan_control *sc)
{
	unsigned long nr_active, nr_inactive, nr_reclaimed = 0;
	const unsigned long cl = (unsigned long)sc->swap_cluster_max;

	z->nr_scan_active += (z->nr_active >> priority) + 1;
	nr_active = z->nr_scan_active;
	if (nr_active >= cl)
		z->nr_scan_active = 0;
	else
		nr_active = 0;
	z->nr_scan_inactive += (z->nr_inactive >> priority) + 1;
	nr_inactive = z->nr_scan_inactive;
	if (nr_inactive >= cl)
		z->nr_scan_inactive = 0;
	else
		nr_inactive = 0;
	const bool traced = TRACING(m) && (nr_active || nr_inactive);
	if (traced)
		trace_enter(m, "shrink_zone", "%s priority %d: active %lu "
			    "inactive %lu -> scan %lu active, %lu inactive",
			    z->name, priority, z->nr_active, z->nr_inactive,
			    nr_active, nr_inactive);
	while (nr_active || nr_inactive) {
		if (nr_active) {
			unsigned long n = nr_active < cl ? nr_active : cl;
			nr_active -= n;
			shrink_active_list(m, n, z, sc, priority);
		}
		if (nr_inactive) {
			unsigned long n = nr_inactive < cl ? nr_inactive : cl;
			nr_inactive -= n;
			nr_reclaimed += shrink_inactive_list(m, n, z, sc);
		}
	}
	throttle_vm_writeout(m);
	if (traced)
		trace_exit(m, "%lu reclaimed", nr_reclaimed);
	return nr_reclaimed;
}

/* ------------------------------------------------------------------ */
/* shrink_slab                                                         */
/* ------------------------------------------------------------------ */

void register_shrinker(struct machine *m, const char *name, int seeks,
		       long (*shrink)(struct machine *, long, gfp_t))
{
	struct reclaim_state *r = rs(m);

	if (r->nr_shrinkers == MAX_SHRINKERS)
		return;
	struct shrinker *s = &r->shrinkers[r->nr_shrinkers++];
	s->name = name;
	s->seeks = seeks;
	s->shrink = shrink;
	s->nr = 0;
}

/* Returns the objects freed (the reduction in the shrinkers' counts). */
static unsigned long shrink_slab(struct machine *m, unsigned long scanned,
				 gfp_t gfp, unsigned long lru_pages)
{
	struct reclaim_state *r = rs(m);
	unsigned long ret = 0;

	if (scanned == 0)
		scanned = SWAP_CLUSTER_MAX;
	for (unsigned i = 0; i < r->nr_shrinkers; i++) {
		struct shrinker *s = &r->shrinkers[i];
		long max_pass = s->shrink(m, 0, gfp);
		if (max_pass <= 0)
			continue;
		unsigned long long delta = (4ULL * scanned) / (unsigned)s->seeks;
		delta *= (unsigned long long)max_pass;
		delta /= lru_pages + 1;
		s->nr += (long)delta;
		if (s->nr < 0)
			s->nr = max_pass;
		if (s->nr > max_pass * 2)
			s->nr = max_pass * 2;
		long total = s->nr;
		s->nr = 0;
		if (TRACING(m) && total >= SHRINK_BATCH)
			trace_note(m, "shrink_slab: %s: %ld objects, scan %ld",
				   s->name, max_pass, total);
		while (total >= SHRINK_BATCH) {
			long before = s->shrink(m, 0, gfp);
			long after = s->shrink(m, SHRINK_BATCH, gfp);
			if (after == -1)
				break;
			if (after < before)
				ret += (unsigned long)(before - after);
			count_vm_events(m, SLABS_SCANNED, SHRINK_BATCH);
			total -= SHRINK_BATCH;
		}
		s->nr += total;
	}
	return ret;
}

/* ------------------------------------------------------------------ */
/* Direct reclaim                                                      */
/* ------------------------------------------------------------------ */

static void congestion_wait(struct machine *m, unsigned timeout)
{
	clock_sleep(m, timeout);
	rs(m)->congestion_waits++;
	if (TRACING(m))
		trace_note(m, "congestion_wait(WRITE, HZ/%u): %u jiffies",
			   KMEM_HZ / timeout, timeout);
}

static int zone_allowed(const struct zone *z)
{
	return populated_zone(z);
}

static unsigned long shrink_zones(struct machine *m, int priority,
				  struct zone **zones, struct scan_control *sc)
{
	unsigned long nr_reclaimed = 0;

	sc->all_unreclaimable = 1;      /* each pass: the last one decides */
	for (int i = 0; zones[i]; i++) {
		struct zone *z = zones[i];
		if (!zone_allowed(z))
			continue;
		z->temp_priority = priority;
		if (z->prev_priority > priority)
			z->prev_priority = priority;
		if (z->all_unreclaimable && priority != DEF_PRIORITY)
			continue;
		sc->all_unreclaimable = 0;
		nr_reclaimed += shrink_zone(m, priority, z, sc);
	}
	return nr_reclaimed;
}

static void scan_control_init(struct machine *m, struct scan_control *sc,
			      gfp_t gfp, bool kswapd)
{
	memset(sc, 0, sizeof *sc);
	sc->gfp_mask = gfp;
	sc->may_writepage = !m->sysctl[SYSCTL_LAPTOP_MODE][0];
	sc->may_swap = 1;
	sc->swap_cluster_max = SWAP_CLUSTER_MAX;
	sc->swappiness = (int)m->sysctl[SYSCTL_SWAPPINESS][0];
	sc->all_unreclaimable = 1;
	sc->kswapd = kswapd;
}

unsigned long try_to_free_pages(struct machine *m, struct zone **zones,
				gfp_t gfp)
{
	struct scan_control sc;
	unsigned long nr_reclaimed = 0, total_scanned = 0, lru_pages = 0;
	int priority, ret = 0;
	const bool was = m->pf_memalloc;

	scan_control_init(m, &sc, gfp, false);
	count_vm_events(m, ALLOCSTALL, 1);
	for (int i = 0; zones[i]; i++) {
		if (!zone_allowed(zones[i]))
			continue;
		zones[i]->temp_priority = DEF_PRIORITY;
		lru_pages += zones[i]->nr_active + zones[i]->nr_inactive;
	}
	if (TRACING(m))
		trace_enter(m, "try_to_free_pages", "lru_pages %lu, swappiness %d",
			    lru_pages, sc.swappiness);
	m->pf_memalloc = true;          /* PF_MEMALLOC */
	for (priority = DEF_PRIORITY; priority >= 0; priority--) {
		sc.nr_scanned = 0;
		if (!priority)
			disable_swap_token(m);
		nr_reclaimed += shrink_zones(m, priority, zones, &sc);
		shrink_slab(m, sc.nr_scanned, gfp, lru_pages);
		nr_reclaimed += rs(m)->reclaimed_slab;
		rs(m)->reclaimed_slab = 0;
		total_scanned += sc.nr_scanned;
		if (nr_reclaimed >= (unsigned long)sc.swap_cluster_max) {
			ret = 1;
			goto out;
		}
		if (total_scanned > SWAP_CLUSTER_MAX + SWAP_CLUSTER_MAX / 2) {
			wakeup_pdflush(m, m->sysctl[SYSCTL_LAPTOP_MODE][0] ? 0 :
				       total_scanned);
			sc.may_writepage = 1;
		}
		if (sc.nr_scanned && priority < DEF_PRIORITY - 2)
			congestion_wait(m, KMEM_HZ / 10);
	}
	if (!sc.all_unreclaimable)
		ret = 1;
out:
	for (int i = 0; zones[i]; i++)
		if (zone_allowed(zones[i]))
			zones[i]->prev_priority = zones[i]->temp_priority;
	m->pf_memalloc = was;
	rs(m)->direct_runs++;
	rs(m)->last_reclaimed = nr_reclaimed;
	if (TRACING(m))
		trace_exit(m, "reclaimed %lu pages (scanned %lu), %s",
			   nr_reclaimed, total_scanned,
			   ret ? "progress" : "all zones unreclaimable");
	if (!ret)
		return 0;
	return nr_reclaimed ? nr_reclaimed : 1;
}

/* ------------------------------------------------------------------ */
/* kswapd                                                              */
/* ------------------------------------------------------------------ */

#define KSWAPD_MAX_LOOPS 64

static unsigned long balance_pgdat(struct machine *m, pg_data_t *pgdat,
				   int order)
{
	struct scan_control sc;
	int temp_priority[MAX_NR_ZONES];
	unsigned long nr_reclaimed = 0, total_scanned;
	int all_zones_ok, loops = 0;
	const bool was = m->pf_memalloc;

	if (TRACING(m))
		trace_enter(m, "balance_pgdat", "kswapd%d, order %d",
			    pgdat->node_id, order);
	m->pf_memalloc = true;
	scan_control_init(m, &sc, GFP_KERNEL, true);
loop_again:
	total_scanned = 0;
	sc.may_writepage = !m->sysctl[SYSCTL_LAPTOP_MODE][0];
	count_vm_events(m, PAGEOUTRUN, 1);
	for (int i = 0; i < pgdat->nr_zones; i++)
		temp_priority[i] = DEF_PRIORITY;
	all_zones_ok = 1;
	for (int priority = DEF_PRIORITY; priority >= 0; priority--) {
		int end_zone = -1;
		unsigned long lru_pages = 0;

		if (!priority)
			disable_swap_token(m);
		all_zones_ok = 1;
		for (int i = pgdat->nr_zones - 1; i >= 0; i--) {
			struct zone *z = &pgdat->node_zones[i];
			if (!populated_zone(z))
				continue;
			if (z->all_unreclaimable && priority != DEF_PRIORITY)
				continue;
			if (!zone_watermark_ok(m, z, (unsigned)order,
					       z->pages_high, 0, 0)) {
				end_zone = i;
				break;
			}
		}
		if (end_zone < 0) {
			if (TRACING(m))
				trace_note(m, "priority %d: every zone above "
					   "pages_high", priority);
			break;
		}
		for (int i = 0; i <= end_zone; i++) {
			struct zone *z = &pgdat->node_zones[i];
			lru_pages += z->nr_active + z->nr_inactive;
		}
		for (int i = 0; i <= end_zone; i++) {
			struct zone *z = &pgdat->node_zones[i];
			if (!populated_zone(z))
				continue;
			if (z->all_unreclaimable && priority != DEF_PRIORITY)
				continue;
			if (!zone_watermark_ok(m, z, (unsigned)order,
					       z->pages_high, end_zone, 0))
				all_zones_ok = 0;
			temp_priority[i] = priority;
			sc.nr_scanned = 0;
			if (z->prev_priority > priority)
				z->prev_priority = priority;
			nr_reclaimed += shrink_zone(m, priority, z, &sc);
			rs(m)->reclaimed_slab = 0;
			unsigned long nr_slab = shrink_slab(m, sc.nr_scanned,
							    GFP_KERNEL, lru_pages);
			nr_reclaimed += rs(m)->reclaimed_slab;
			count_vm_events(m, KSWAPD_INODESTEAL, 0);
			total_scanned += sc.nr_scanned;
			if (z->all_unreclaimable)
				continue;
			if (nr_slab == 0 && z->pages_scanned >=
			    (z->nr_active + z->nr_inactive) * 6) {
				z->all_unreclaimable = 1;
				if (TRACING(m))
					trace_note(m, "%s: pages_scanned %lu >= 6 x "
						   "lru %lu: all_unreclaimable",
						   z->name, z->pages_scanned,
						   z->nr_active + z->nr_inactive);
			}
			if (total_scanned > SWAP_CLUSTER_MAX * 2 &&
			    total_scanned > nr_reclaimed + nr_reclaimed / 2)
				sc.may_writepage = 1;
		}
		if (all_zones_ok)
			break;
		if (total_scanned && priority < DEF_PRIORITY - 2)
			congestion_wait(m, KMEM_HZ / 10);
		if (nr_reclaimed >= SWAP_CLUSTER_MAX)
			break;
	}
	for (int i = 0; i < pgdat->nr_zones; i++)
		pgdat->node_zones[i].prev_priority = temp_priority[i];
	if (!all_zones_ok && ++loops < KSWAPD_MAX_LOOPS)
		goto loop_again;
	if (!all_zones_ok && TRACING(m))
		trace_note(m, "kswapd%d: still below pages_high after %d passes: "
			   "it sleeps until woken again", pgdat->node_id, loops);
	m->pf_memalloc = was;
	if (TRACING(m))
		trace_exit(m, "%lu pages reclaimed", nr_reclaimed);
	return nr_reclaimed;
}

unsigned long kswapd(struct machine *m, int nid)
{
	pg_data_t *pgdat = &m->nodes[nid];
	int order = pgdat->kswapd_max_order;

	pgdat->kswapd_max_order = 0;
	pgdat->kswapd_woken = false;
	rs(m)->kswapd_runs++;
	return balance_pgdat(m, pgdat, order);
}

void kswapd_run_pending(struct machine *m)
{
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		if (m->nodes[nid].kswapd_woken)
			kswapd(m, (int)nid);
}

/* ------------------------------------------------------------------ */
/* Setup and public API                                                */
/* ------------------------------------------------------------------ */

void vmscan_init(struct machine *m)
{
	m->reclaim = xcalloc(1, sizeof *m->reclaim);
	m->try_to_free_pages = try_to_free_pages;
}

void vmscan_destroy(struct machine *m)
{
	free(m->reclaim);
	m->reclaim = NULL;
}

int kmem_kswapd(struct machine *m, int nid, unsigned long *reclaimed)
{
	if (nid < -1 || nid >= (int)m->nr_nodes)
		return set_error(m, -EINVAL, "kswapd: no node %d (the machine "
				 "has %u)", nid, m->nr_nodes);
	unsigned long n = 0;
	for (unsigned i = 0; i < m->nr_nodes; i++)
		if (nid < 0 || (int)i == nid)
			n += kswapd(m, (int)i);
	if (reclaimed)
		*reclaimed = n;
	return 0;
}

void kmem_background(struct machine *m)
{
	if (!m->reclaim)
		return;
	if (!m->reclaim->kswapd_on_tick)
		kswapd_run_pending(m);
	pdflush_run_pending(m);
}

int kmem_try_to_free_pages(struct machine *m, int nid, gfp_t gfp,
			   unsigned long *reclaimed, bool *progress)
{
	if (nid < 0 || nid >= (int)m->nr_nodes)
		return set_error(m, -EINVAL, "reclaim: no node %d", nid);
	int zi = gfp_zone(m, gfp);
	struct zonelist *zl = &m->nodes[nid].node_zonelists[zi];
	unsigned long n = try_to_free_pages(m, zl->zones, gfp);
	if (reclaimed)
		*reclaimed = rs(m)->last_reclaimed;
	if (progress)
		*progress = n != 0;
	return 0;
}

void kmem_kswapd_set_on_tick(struct machine *m, bool on_tick)
{
	m->reclaim->kswapd_on_tick = on_tick;
}

bool kmem_kswapd_on_tick(const struct machine *m)
{
	return m->reclaim->kswapd_on_tick;
}

void kmem_reclaim_info(const struct machine *m, struct kmem_reclaim_info *out)
{
	const struct reclaim_state *r = m->reclaim;

	memset(out, 0, sizeof *out);
	out->kswapd_runs = r->kswapd_runs;
	out->direct_runs = r->direct_runs;
	out->congestion_waits = r->congestion_waits;
	out->wb_kupdate_runs = r->wb_kupdate_runs;
	out->background_runs = r->background_runs;
	out->kswapd_on_tick = r->kswapd_on_tick;
	for (unsigned nid = 0; nid < m->nr_nodes && nid < KMEM_MAX_NODES; nid++)
		out->kswapd_woken[nid] = m->nodes[nid].kswapd_woken;
}

void reclaimed_slab_add(struct machine *m, unsigned long pages)
{
	m->reclaim->reclaimed_slab += pages;
}

/* drop_slab (vm.drop_caches = 2): shrink until little is left. */
unsigned long drop_slab(struct machine *m)
{
	unsigned long total = 0, n;
	int loops = 0;

	do {
		n = shrink_slab(m, 1000, GFP_KERNEL, 1000);
		total += n;
	} while (n > 10 && ++loops < 1000);
	return total;
}

void reclaim_while_waiting(struct machine *m)
{
	if (!m->reclaim || m->pf_memalloc || m->reclaim->kswapd_on_tick)
		return;
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		if (m->nodes[nid].kswapd_woken) {
			if (TRACING(m))
				trace_note(m, "kswapd%u runs while the allocation "
					   "waits", nid);
			kswapd(m, (int)nid);
		}
}

bool reclaim_pending(const struct machine *m)
{
	if (!m->reclaim || m->pf_memalloc || m->reclaim->kswapd_on_tick)
		return false;
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		if (m->nodes[nid].kswapd_woken)
			return true;
	return false;
}
