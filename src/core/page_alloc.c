/*
 * page_alloc.c - the zoned buddy allocator of Linux 2.6.20 (mm/page_alloc.c).
 *
 * Each zone keeps free_area[0..10]; free_area[k] lists free blocks of 2^k
 * pages, linked through the head page's lru, the head marked PG_buddy with
 * its order in page->private.  Order-0 pages pass through per-CPU hot and
 * cold lists first.
 *
 *   alloc_pages(gfp, order)
 *     __alloc_pages            zonelist = node_zonelists[gfp_zone(gfp)]
 *       get_page_from_freelist  walk the zonelist, zone_watermark_ok()
 *         buffered_rmqueue      order 0: pcp list (rmqueue_bulk refill)
 *           __rmqueue           smallest non-empty free_area >= order
 *             expand            upper halves back onto lower lists
 *       (slow path)             wakeup_kswapd, ALLOC_MIN|HARDER|HIGH,
 *                               [reclaim seam], "page allocation failure"
 *
 *   __free_pages(page, order)
 *     order 0: free_hot_cold_page -> pcp head; at high, free_pages_bulk
 *              gives batch pages from the tail back to the buddy lists
 *     order>0: __free_pages_ok -> __free_one_page: merge with the XOR
 *              buddy while page_is_buddy(), put the result at the head
 *
 * List discipline, counters and messages follow 2.6.20 exactly; where the
 * kernel would BUG() on a bad free we refuse it and leave memory as it was.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "swap.h"

/* get_page_from_freelist alloc_flags (page_alloc.c) */
#define ALLOC_NO_WATERMARKS 0x01
#define ALLOC_WMARK_MIN     0x02
#define ALLOC_WMARK_LOW     0x04
#define ALLOC_WMARK_HIGH    0x08
#define ALLOC_HARDER        0x10
#define ALLOC_HIGH          0x20
#define ALLOC_CPUSET        0x40

/* How often the simulated slow path retries before giving up where the
 * real kernel would loop for ever (no reclaim progress, __GFP_NOFAIL). */
#define SLOWPATH_MAX_RETRIES 8

static const char *zlabel(const struct machine *m, const struct zone *z,
			  char *buf, size_t len)
{
	if (m->nr_nodes > 1)
		snprintf(buf, len, "node%d:%s", z->zone_pgdat->node_id, z->name);
	else
		snprintf(buf, len, "%s", z->name);
	return buf;
}

static const char *alloc_flags_str(int f, char *buf, size_t len)
{
	static const char *const names[] = { "NO_WATERMARKS", "WMARK_MIN",
		"WMARK_LOW", "WMARK_HIGH", "HARDER", "HIGH", "CPUSET" };
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < 7; i++) {
		if (!(f & (1 << i)))
			continue;
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? "|" : "", names[i]);
	}
	if (!n)
		snprintf(buf, len, "0");
	return buf;
}

/* ------------------------------------------------------------------ */
/* Buddy bookkeeping                                                   */
/* ------------------------------------------------------------------ */

static inline void set_page_order(struct page *page, unsigned order)
{
	page->private_ = order;
	SetPageFlag(page, PG_buddy);
}

static inline void rmv_page_order(struct page *page)
{
	ClearPageFlag(page, PG_buddy);
	page->private_ = 0;
}

/* Same node and zone: the kernel compares page_zone_id(). */
static inline bool same_zone(const struct page *a, const struct page *b)
{
	return (a->flags >> PGS_ZONE_SHIFT) == (b->flags >> PGS_ZONE_SHIFT);
}

/*
 * page_is_buddy: buddy is free, heads a block of exactly this order, and
 * lives in the same zone as page.
 */
static inline bool page_is_buddy(const struct page *page,
				 const struct page *buddy, unsigned order)
{
	return same_zone(page, buddy) && PageFlag(buddy, PG_buddy) &&
	       buddy->private_ == order;
}

/*
 * __free_one_page: give a 2^order block back to its zone, merging with its
 * buddy as long as the buddy is free at the same order.  The merged block
 * goes at the head of its list.
 */
static void __free_one_page(struct machine *m, unsigned long pfn,
			    struct zone *zone, unsigned order)
{
	struct page *page = pfn_to_page(m, pfn);

	if (TRACING(m)) {
		char zb[32];
		trace_enter(m, "__free_one_page", "pfn %#lx, %s, order %u", pfn,
			    zlabel(m, zone, zb, sizeof zb), order);
	}
	if (PageFlag(page, PG_compound)) {
		/* destroy_compound_page: clear PG_compound on every subpage */
		unsigned long n = 1UL << order;
		for (unsigned long i = 0; i < n; i++) {
			struct page *p = page + i;
			ClearPageFlag(p, PG_compound);
			p->private_ = 0;
		}
		page[1].lru_next = page[1].lru_prev = NIL;
		if (TRACING(m))
			trace_note(m, "destroy_compound_page: order %u", order);
	}
	zone->free_pages += 1UL << order;
	while (order < MAX_ORDER - 1) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy = pfn_to_page(m, buddy_pfn);

		if (!page_is_buddy(page, buddy, order)) {
			if (TRACING(m))
				trace_note(m, "buddy pfn %#lx is not free at order %u: stop",
					   buddy_pfn, order);
			break;
		}
		plist_del(m, &zone->free_area[order].free_list, buddy_pfn);
		zone->free_area[order].nr_free--;
		rmv_page_order(buddy);
		if (TRACING(m))
			trace_note(m, "merge with buddy pfn %#lx (order %u) -> pfn %#lx order %u",
				   buddy_pfn, order, pfn & ~(1UL << order),
				   order + 1);
		pfn &= ~(1UL << order);
		page = pfn_to_page(m, pfn);
		order++;
	}
	set_page_order(page, order);
	plist_add_head(m, &zone->free_area[order].free_list, pfn);
	zone->free_area[order].nr_free++;
	if (TRACING(m))
		trace_exit(m, "pfn %#lx at head of free_area[%u] (nr_free %lu)",
			   pfn, order, zone->free_area[order].nr_free);
}

/*
 * __rmqueue: take the head of the smallest non-empty free list at or above
 * order and split it down with expand().  Returns the PFN or NIL.
 */
static uint32_t __rmqueue(struct machine *m, struct zone *zone, unsigned order)
{
	for (unsigned cur = order; cur < MAX_ORDER; cur++) {
		struct free_area *area = &zone->free_area[cur];
		uint32_t pfn = area->free_list.head;

		if (pfn == NIL)
			continue;
		struct page *page = pfn_to_page(m, pfn);
		plist_del(m, &area->free_list, pfn);
		rmv_page_order(page);
		area->nr_free--;
		zone->free_pages -= 1UL << order;
		if (TRACING(m)) {
			char zb[32];
			if (cur > order)
				trace_note(m, "__rmqueue(%s, order %u): free_area[%u..%u] empty, "
					   "took pfn %#x from head of free_area[%u]",
					   zlabel(m, zone, zb, sizeof zb), order,
					   order, cur - 1, pfn, cur);
			else
				trace_note(m, "__rmqueue(%s, order %u): took pfn %#x from head of free_area[%u]",
					   zlabel(m, zone, zb, sizeof zb), order,
					   pfn, cur);
		}
		/* expand(zone, page, low=order, high=cur, area) */
		unsigned long size = 1UL << cur;
		unsigned high = cur;
		while (high > order) {
			area--;
			high--;
			size >>= 1;
			plist_add_head(m, &area->free_list, pfn + size);
			area->nr_free++;
			set_page_order(pfn_to_page(m, pfn + size), high);
			if (TRACING(m))
				trace_note(m, "expand: upper half pfn %#lx (order %u) -> head of free_area[%u]",
					   (unsigned long)pfn + size, high, high);
		}
		return pfn;
	}
	return NIL;
}

/*
 * rmqueue_bulk: take count order-`order` blocks off the buddy lists and add
 * them to the tail of list, in __rmqueue order.  Returns how many.
 */
static int rmqueue_bulk(struct machine *m, struct zone *zone, unsigned order,
			int count, struct plist *list)
{
	int i;

	if (TRACING(m))
		trace_enter(m, "rmqueue_bulk", "order %u, count %d", order, count);
	for (i = 0; i < count; i++) {
		uint32_t pfn = __rmqueue(m, zone, order);
		if (pfn == NIL)
			break;
		plist_add_tail(m, list, pfn);
		pfn_to_page(m, pfn)->flags |= PGS_PCP;
	}
	if (TRACING(m))
		trace_exit(m, "%d page%s added to the tail of the pcp list", i,
			   i == 1 ? "" : "s");
	return i;
}

/*
 * free_pages_bulk: free count pages from the tail of a pcp list back to the
 * buddy lists (resets all_unreclaimable and pages_scanned as the kernel does).
 */
static void free_pages_bulk(struct machine *m, struct zone *zone, int count,
			    struct plist *list, unsigned order)
{
	if (TRACING(m))
		trace_enter(m, "free_pages_bulk", "%d page%s from the tail",
			    count, count == 1 ? "" : "s");
	zone->all_unreclaimable = 0;
	zone->pages_scanned = 0;
	while (count--) {
		uint32_t pfn = list->tail;
		plist_del(m, list, pfn);
		pfn_to_page(m, pfn)->flags &= ~PGS_PCP;
		__free_one_page(m, pfn, zone, order);
	}
	if (TRACING(m))
		trace_exit(m, "done");
}

static void free_one_page(struct machine *m, struct zone *zone,
			  unsigned long pfn, unsigned order)
{
	zone->all_unreclaimable = 0;
	zone->pages_scanned = 0;
	__free_one_page(m, pfn, zone, order);
}

/* ------------------------------------------------------------------ */
/* Page state checks                                                   */
/* ------------------------------------------------------------------ */

#define PAGE_FLAGS_CHECK_FREE                                               \
	((1u << PG_lru) | (1u << PG_private) | (1u << PG_locked) |         \
	 (1u << PG_active) | (1u << PG_reclaim) | (1u << PG_slab) |         \
	 (1u << PG_swapcache) | (1u << PG_writeback) | (1u << PG_reserved) | \
	 (1u << PG_buddy))

/* Explain why a page cannot be freed as the head of a 2^order block, or
 * return NULL if it can.  Nothing is changed. */
static const char *bad_free_reason(const struct machine *m, unsigned long pfn,
				   unsigned order, char *buf, size_t len)
{
	const struct page *page = pfn_to_page(m, pfn);

	if (page_is_hole(page))
		return "no memory at this pfn";
	if (PageFlag(page, PG_reserved))
		return "PG_reserved is set (the page was never given to the allocator)";
	if (PageFlag(page, PG_buddy))
		return "PG_buddy is set (the page is already free in the buddy lists)";
	if (page->flags & PGS_PCP)
		return "page count is 0 (the page is already free, on a per-CPU list)";
	if (page->_count == 0) {
		/* inside a larger allocated or free block? */
		for (unsigned o = 1; o < MAX_ORDER; o++) {
			unsigned long head = pfn & ~((1UL << o) - 1);
			const struct page *h = pfn_to_page(m, head);
			if (head == pfn || page_is_hole(h) || !same_zone(h, page))
				continue;
			if (page_alloc_order(h) >= (int)o) {
				snprintf(buf, len, "page count is 0 (a tail page of "
					 "the order-%d block at pfn %#lx)",
					 page_alloc_order(h), head);
				return buf;
			}
			if (PageFlag(h, PG_buddy) && h->private_ >= o) {
				snprintf(buf, len, "page count is 0 (inside the free "
					 "order-%u block at pfn %#lx)",
					 h->private_, head);
				return buf;
			}
		}
		return "page count is 0 (the page is not allocated)";
	}
	if (page->_count > 1) {
		snprintf(buf, len, "page count is %d: other references remain; "
			 "__free_pages only drops one (use put_page)",
			 page->_count);
		return buf;
	}
	if (page_alloc_order(page) < 0)
		return "the page is not the head of an allocation";
	if (page_alloc_order(page) != (int)order) {
		snprintf(buf, len, "wrong order: the block at pfn %#lx was "
			 "allocated with order %d, freed with order %u", pfn,
			 page_alloc_order(page), order);
		return buf;
	}
	for (unsigned long i = 0; i < (1UL << order); i++) {
		const struct page *p = page + i;
		if (p->_mapcount != -1)
			return "page is still mapped (mapcount != 0)";
		if (p->mapping)
			return "page->mapping is not NULL";
		if (p->flags & PAGE_FLAGS_CHECK_FREE & ~(1u << PG_buddy))
			return "page flags show it still in use (lru/slab/private/"
			       "writeback/locked ...)";
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Freeing                                                             */
/* ------------------------------------------------------------------ */

/* Clear what a page carries while allocated, as free_pages_check does
 * after its checks (it silently drops PG_dirty). */
static inline void reset_freed_page(struct page *page)
{
	page->_count = 0;
	ClearPageFlag(page, PG_dirty);
	page->flags &= ~PGS_ORDER_MASK;
}

/*
 * free_hot_cold_page: an order-0 page goes to the head of the current
 * CPU's hot or cold list; at `high`, `batch` pages from the tail go back
 * to the buddy allocator.
 */
static inline void __free_hot_cold_page(struct machine *m, struct page *page,
					int cold)
{
	struct zone *zone = page_zone(m, page);
	struct per_cpu_pages *pcp = &zone->pageset[m->cur_cpu].pcp[cold];

	if (page->mapping & 1u)         /* PageAnon: drop the anon_vma */
		page->mapping = 0;
	reset_freed_page(page);
	count_vm_events(m, PGFREE, 1);
	plist_add_head(m, &pcp->list, page_to_pfn(m, page));
	page->flags |= PGS_PCP;
	if (unlikely(++pcp->count >= pcp->high)) {
		if (TRACING(m))
			trace_note(m, "count %d >= high %d: give %d back to the buddy lists",
				   pcp->count, pcp->high, pcp->batch);
		free_pages_bulk(m, zone, pcp->batch, &pcp->list, 0);
		pcp->count -= pcp->batch;
	}
}

void free_hot_cold_page(struct machine *m, struct page *page, int cold)
{
	if (likely(!TRACING(m))) {
		__free_hot_cold_page(m, page, cold);
		return;
	}
	unsigned long pfn = page_to_pfn(m, page);
	struct zone *zone = page_zone(m, page);
	struct per_cpu_pages *pcp = &zone->pageset[m->cur_cpu].pcp[cold];
	char zb[32];

	trace_enter(m, "free_hot_cold_page", "pfn %#lx, %s, cpu %u %s list",
		    pfn, zlabel(m, zone, zb, sizeof zb), m->cur_cpu,
		    cold ? "cold" : "hot");
	trace_note(m, "pfn %#lx to the head of the %s list (count %d -> %d, high %d)",
		   pfn, cold ? "cold" : "hot", pcp->count, pcp->count + 1,
		   pcp->high);
	__free_hot_cold_page(m, page, cold);
	trace_exit(m, "done");
}

static void __free_pages_ok(struct machine *m, struct page *page,
			    unsigned order)
{
	unsigned long pfn = page_to_pfn(m, page);

	if (TRACING(m))
		trace_enter(m, "__free_pages_ok", "pfn %#lx, order %u", pfn, order);
	for (unsigned long i = 0; i < (1UL << order); i++)
		reset_freed_page(page + i);
	count_vm_events(m, PGFREE, 1UL << order);
	free_one_page(m, page_zone(m, page), pfn, order);
	if (TRACING(m))
		trace_exit(m, "done");
}

/* The path every __free_pages takes once the checks pass. */
static void free_pages_checked(struct machine *m, struct page *page,
			       unsigned order)
{
	if (order == 0)
		free_hot_cold_page(m, page, 0);
	else
		__free_pages_ok(m, page, order);
}

/* The common case, decided without a call: a live order-0 allocation
 * with one reference, unmapped, in no other use. */
static inline bool free_is_clean(const struct page *p, unsigned order)
{
	return order == 0 && p->_count == 1 && page_alloc_order(p) == 0 &&
	       !(p->flags & (PAGE_FLAGS_CHECK_FREE | PGS_PCP)) &&
	       p->_mapcount == -1 && !p->mapping && !page_is_hole(p);
}

int kmem_free_pages(struct machine *m, unsigned long pfn, unsigned order)
{
	char buf[160];
	const char *why;

	if (likely(pfn < m->max_pfn && !TRACING(m) &&
		   free_is_clean(pfn_to_page(m, pfn), order))) {
		__free_hot_cold_page(m, pfn_to_page(m, pfn), 0);
		return 0;
	}
	if (order >= MAX_ORDER)
		return set_error(m, -EINVAL, "__free_pages: order %u is out of "
				 "range (MAX_ORDER is %d)", order, MAX_ORDER);
	if (pfn >= m->max_pfn)
		return set_error(m, -EINVAL, "__free_pages: pfn %#lx is beyond "
				 "the end of memory (max_pfn %#lx)", pfn,
				 m->max_pfn);
	if (pfn & ((1UL << order) - 1))
		return set_error(m, -EINVAL, "Bad page state: pfn %#lx is not "
				 "aligned to order %u", pfn, order);
	why = bad_free_reason(m, pfn, order, buf, sizeof buf);
	if (why)
		return set_error(m, -EINVAL, "Bad page state: pfn %#lx: %s",
				 pfn, why);
	if (TRACING(m))
		trace_enter(m, "__free_pages", "pfn %#lx, order %u", pfn, order);
	free_pages_checked(m, pfn_to_page(m, pfn), order);
	if (TRACING(m))
		trace_exit(m, "freed");
	return 0;
}

/*
 * __free_pages_bootmem: how free_all_bootmem hands a page block to the
 * allocator: clear PG_reserved, count 0 on every page, then the block goes
 * the way __free_pages() sends it (order 0 through the hot list).  Each
 * page is touched once: this runs for every page of RAM at boot.
 */
void __free_pages_bootmem(struct machine *m, struct page *page, unsigned order)
{
	unsigned long n = 1UL << order;

	if (order == 0) {
		ClearPageFlag(page, PG_reserved);
		page->_count = 1;
		set_page_alloc_order(page, 0);
		free_hot_cold_page(m, page, 0);
		return;
	}
	for (unsigned long i = 0; i < n; i++) {
		page[i].flags &= ~((1u << PG_reserved) | (1u << PG_dirty) |
				   PGS_ORDER_MASK);
		page[i]._count = 0;
	}
	count_vm_events(m, PGFREE, n);
	free_one_page(m, page_zone(m, page), page_to_pfn(m, page), order);
}

/* ------------------------------------------------------------------ */
/* Allocation                                                          */
/* ------------------------------------------------------------------ */

/* prep_new_page: the new block's head gets a reference; a compound page
 * gets its metadata; __GFP_ZERO clears each page. */
static inline void prep_new_page(struct machine *m, struct page *page,
				 unsigned order, gfp_t gfp)
{
	page->flags &= ~((1u << PG_uptodate) | (1u << PG_error) |
			 (1u << PG_referenced) | (1u << PG_arch_1) |
			 (1u << PG_checked) | (1u << PG_mappedtodisk) | PGS_PCP);
	page->private_ = 0;
	page->_count = 1;
	set_page_alloc_order(page, (int)order);
	if (gfp & __GFP_ZERO) {
		unsigned long pfn = page_to_pfn(m, page);
		for (unsigned long i = 0; i < (1UL << order); i++)
			physmem_clear(m, pfn + i);
		if (TRACING(m))
			trace_note(m, "prep_new_page: clear_highpage x %lu (__GFP_ZERO)",
				   1UL << order);
	}
	if (order && (gfp & __GFP_COMP)) {
		unsigned long pfn = page_to_pfn(m, page);
		/* page[1].lru.next = destructor, .prev = order */
		page[1].lru_next = 1;   /* free_compound_page */
		page[1].lru_prev = order;
		for (unsigned long i = 0; i < (1UL << order); i++) {
			SetPageFlag(page + i, PG_compound);
			page[i].private_ = (uint32_t)pfn;
		}
		if (TRACING(m))
			trace_note(m, "prep_compound_page: order %u, head pfn %#lx",
				   order, pfn);
	}
}

static inline void zone_statistics(struct machine *m, struct zonelist *zl,
				   struct zone *z)
{
	if (!m->numa)
		return;
	if (z->zone_pgdat == zl->zones[0]->zone_pgdat) {
		__mod_zone_page_state(z, NUMA_HIT, 1);
	} else {
		__mod_zone_page_state(z, NUMA_MISS, 1);
		__mod_zone_page_state(zl->zones[0], NUMA_FOREIGN, 1);
	}
	if (z->zone_pgdat->node_id == (int)m->cpu_node[m->cur_cpu])
		__mod_zone_page_state(z, NUMA_LOCAL, 1);
	else
		__mod_zone_page_state(z, NUMA_OTHER, 1);
}

/* Take the head of a non-empty pcp list: the list behaves LIFO. */
static inline uint32_t pcp_take_head(struct machine *m,
				     struct per_cpu_pages *pcp)
{
	uint32_t pfn = pcp->list.head;

	plist_del(m, &pcp->list, pfn);
	pcp->count--;
	return pfn;
}

/* buffered_rmqueue: order 0 from the pcp list (refilling it first when it
 * is empty), larger orders straight from the buddy lists. */
static uint32_t buffered_rmqueue(struct machine *m, struct zonelist *zl,
				 struct zone *zone, unsigned order, gfp_t gfp)
{
	int cold = !!(gfp & __GFP_COLD);
	uint32_t pfn;

	if (TRACING(m)) {
		char zb[32];
		trace_enter(m, "buffered_rmqueue", "%s, order %u%s",
			    zlabel(m, zone, zb, sizeof zb), order,
			    order ? "" : (cold ? ", cold" : ", hot"));
	}
	if (order == 0) {
		struct per_cpu_pages *pcp =
			&zone->pageset[m->cur_cpu].pcp[cold];
		if (!pcp->count) {
			if (TRACING(m))
				trace_note(m, "cpu %u %s list empty: refill %d",
					   m->cur_cpu, cold ? "cold" : "hot",
					   pcp->batch);
			pcp->count = rmqueue_bulk(m, zone, 0, pcp->batch,
						  &pcp->list);
			if (!pcp->count) {
				if (TRACING(m))
					trace_exit(m, "failed: no free pages");
				return NIL;
			}
		}
		pfn = pcp_take_head(m, pcp);
		if (TRACING(m))
			trace_note(m, "took pfn %#x from head of cpu %u %s list (count now %d)",
				   pfn, m->cur_cpu, cold ? "cold" : "hot",
				   pcp->count);
	} else {
		pfn = __rmqueue(m, zone, order);
		if (pfn == NIL) {
			if (TRACING(m))
				trace_exit(m, "failed: no block of order >= %u",
					   order);
			return NIL;
		}
	}
	count_vm_events(m, PGALLOC_BASE + zone->idx, 1UL << order);
	zone_statistics(m, zl, zone);
	prep_new_page(m, pfn_to_page(m, pfn), order, gfp);
	if (TRACING(m))
		trace_exit(m, "pfn %#x", pfn);
	return pfn;
}

/*
 * zone_watermark_ok: is there enough free memory in z for an order-`order`
 * allocation, keeping `mark` pages plus the lowmem_reserve for
 * classzone_idx, with the higher orders holding their share?
 */
static bool zone_watermark_ok_traced(struct machine *m, struct zone *z,
				     unsigned order, unsigned long mark,
				     int classzone_idx, int alloc_flags)
{
	long min = (long)mark;
	long free_pages = (long)z->free_pages - (1L << order) + 1;
	long reserve = (long)z->lowmem_reserve[classzone_idx];

	if (alloc_flags & ALLOC_HIGH)
		min -= min / 2;
	if (alloc_flags & ALLOC_HARDER)
		min -= min / 4;
	const long min0 = min;          /* before the per-order halving */
	if (free_pages <= min + reserve) {
		if (TRACING(m)) {
			char zb[32];
			trace_note(m, "zone_watermark_ok(%s, order %u): free %ld <= min %ld + reserve %ld: fail",
				   zlabel(m, z, zb, sizeof zb), order,
				   free_pages, min, reserve);
		}
		return false;
	}
	for (unsigned o = 0; o < order; o++) {
		free_pages -= (long)(z->free_area[o].nr_free << o);
		min >>= 1;
		if (free_pages <= min) {
			if (TRACING(m)) {
				char zb[32];
				trace_note(m, "zone_watermark_ok(%s, order %u): only %ld free at order > %u, need > %ld: fail",
					   zlabel(m, z, zb, sizeof zb), order,
					   free_pages, o, min);
			}
			return false;
		}
	}
	if (TRACING(m)) {
		char zb[32];
		trace_note(m, "zone_watermark_ok(%s, order %u): free %ld > mark %ld + reserve %ld: ok",
			   zlabel(m, z, zb, sizeof zb), order,
			   (long)z->free_pages - (1L << order) + 1, min0, reserve);
	}
	return true;
}

static struct page *get_page_from_freelist(struct machine *m, gfp_t gfp,
					   unsigned order, struct zonelist *zl,
					   int alloc_flags)
{
	struct zone **z = zl->zones;
	int classzone_idx = z[0]->idx;

	if (TRACING(m)) {
		char fb[96];
		trace_enter(m, "get_page_from_freelist", "order %u, alloc_flags %s",
			    order, alloc_flags_str(alloc_flags, fb, sizeof fb));
	}
	for (; *z; z++) {
		struct zone *zone = *z;

		if (m->numa && (gfp & __GFP_THISNODE) &&
		    zone->zone_pgdat != zl->zones[0]->zone_pgdat) {
			if (TRACING(m))
				trace_note(m, "__GFP_THISNODE: stop at node %d",
					   zone->zone_pgdat->node_id);
			break;
		}
		if (!(alloc_flags & ALLOC_NO_WATERMARKS)) {
			unsigned long mark;
			if (alloc_flags & ALLOC_WMARK_MIN)
				mark = zone->pages_min;
			else if (alloc_flags & ALLOC_WMARK_LOW)
				mark = zone->pages_low;
			else
				mark = zone->pages_high;
			if (!zone_watermark_ok_traced(m, zone, order, mark,
						      classzone_idx, alloc_flags))
				continue;       /* zone_reclaim_mode is 0 */
		}
		uint32_t pfn = buffered_rmqueue(m, zl, zone, order, gfp);
		if (pfn != NIL) {
			if (TRACING(m))
				trace_exit(m, "pfn %#x", pfn);
			return pfn_to_page(m, pfn);
		}
	}
	if (TRACING(m))
		trace_exit(m, "no zone could satisfy it");
	return NULL;
}

bool zone_watermark_ok(struct machine *m, struct zone *z, unsigned order,
		       unsigned long mark, int classzone_idx, int alloc_flags)
{
	return zone_watermark_ok_traced(m, z, order, mark, classzone_idx,
					alloc_flags);
}

static void wakeup_kswapd(struct machine *m, struct zone *zone, unsigned order)
{
	pg_data_t *pgdat = zone->zone_pgdat;

	if (!populated_zone(zone))
		return;
	if (zone_watermark_ok_traced(m, zone, order, zone->pages_low, 0, 0))
		return;
	if ((int)order > pgdat->kswapd_max_order)
		pgdat->kswapd_max_order = (int)order;
	if (!pgdat->kswapd_woken) {
		pgdat->kswapd_woken = true;
		pgdat->kswapd_wakeups++;
	}
	if (TRACING(m)) {
		char zb[32];
		if (zone->free_pages > zone->pages_low)
			trace_note(m, "wakeup_kswapd(%s): free %lu above low %lu "
				   "but the order-%u check fails (too few free "
				   "pages in blocks of that order): kswapd%d "
				   "woken", zlabel(m, zone, zb, sizeof zb),
				   zone->free_pages, zone->pages_low, order,
				   pgdat->node_id);
		else
			trace_note(m, "wakeup_kswapd(%s): free %lu below low %lu: "
				   "kswapd%d woken",
				   zlabel(m, zone, zb, sizeof zb),
				   zone->free_pages, zone->pages_low,
				   pgdat->node_id);
	}
}

static void report_alloc_failure(struct machine *m, gfp_t gfp, unsigned order)
{
	printk(m, KERN_WARNING, "%s: page allocation failure. order:%u, mode:0x%x",
	       "kmemlab", order, gfp);
	show_free_areas(m);
}

/*
 * __alloc_pages: the 2.6.20 allocator entry point, fast path then the slow
 * path up to the point where reclaim would run.  Reclaim and the OOM
 * killer plug in through m->try_to_free_pages and m->out_of_memory.
 */
static struct page *__alloc_pages_slowpath(struct machine *m, gfp_t gfp,
					   unsigned order, struct zonelist *zl);

static struct page *__alloc_pages(struct machine *m, gfp_t gfp, unsigned order,
				  struct zonelist *zl)
{
	struct page *page;

	if (TRACING(m)) {
		char gb[128], zb[32];
		kmem_gfp_format(gfp, gb, sizeof gb);
		trace_enter(m, "__alloc_pages", "gfp %s, order %u, zonelist %s..",
			    gb, order, zl->zones[0] ?
			    zlabel(m, zl->zones[0], zb, sizeof zb) : "(empty)");
	}
	if (unlikely(!zl->zones[0])) {
		if (TRACING(m))
			trace_exit(m, "NULL: empty zonelist");
		return NULL;
	}
	page = get_page_from_freelist(m, gfp | __GFP_HARDWALL, order, zl,
				      ALLOC_WMARK_LOW | ALLOC_CPUSET);
	if (unlikely(!page))
		page = __alloc_pages_slowpath(m, gfp, order, zl);
	if (TRACING(m)) {
		if (page)
			trace_exit(m, "pfn %#lx", page_to_pfn(m, page));
		else
			trace_exit(m, "NULL");
	}
	return page;
}

/* Everything after the first get_page_from_freelist failed. */
static struct page *__alloc_pages_slowpath(struct machine *m, gfp_t gfp,
					   unsigned order, struct zonelist *zl)
{
	const bool wait = gfp & __GFP_WAIT;
	struct page *page;
	int alloc_flags;
	int retries = 0;
	char fb[96];

	goto slow;
restart:
	page = get_page_from_freelist(m, gfp | __GFP_HARDWALL, order, zl,
				      ALLOC_WMARK_LOW | ALLOC_CPUSET);
	if (page)
		goto got_pg;
slow:
	if (m->numa && (gfp & GFP_THISNODE_NUMA) == GFP_THISNODE_NUMA) {
		/* 2.6.20 neither reclaims nor wakes kswapd here: the NUMA
		 * slab grows only this way.  A woken kswapd would be running
		 * beside us in the kernel; here it runs now, once, before
		 * the allocation gives up (else one long command could fail
		 * every slab allocation below pages_low). */
		if (!retries++ && reclaim_pending(m)) {
			reclaim_while_waiting(m);
			goto restart;
		}
		if (TRACING(m))
			trace_note(m, "GFP_THISNODE: no fallback, no reclaim");
		goto nopage;
	}
	if (TRACING(m))
		trace_note(m, "fast path failed: slow path");
	for (struct zone **z = zl->zones; *z; z++)
		wakeup_kswapd(m, *z, order);

	alloc_flags = ALLOC_WMARK_MIN;
	if (!wait)
		alloc_flags |= ALLOC_HARDER;
	if (gfp & __GFP_HIGH)
		alloc_flags |= ALLOC_HIGH;
	if (wait)
		alloc_flags |= ALLOC_CPUSET;
	if (TRACING(m))
		trace_note(m, "retry with alloc_flags %s",
			   alloc_flags_str(alloc_flags, fb, sizeof fb));
	page = get_page_from_freelist(m, gfp, order, zl, alloc_flags);
	if (page)
		goto got_pg;

rebalance:
	/* reclaim's own allocations (PF_MEMALLOC) dip below the watermarks
	 * and never recurse into reclaim */
	if (m->pf_memalloc || tif_memdie(m)) {
		if (!(gfp & __GFP_NOMEMALLOC)) {
			if (TRACING(m))
				trace_note(m, "%s: ALLOC_NO_WATERMARKS",
					   m->pf_memalloc ? "PF_MEMALLOC" :
					   "TIF_MEMDIE");
			page = get_page_from_freelist(m, gfp, order, zl,
						      ALLOC_NO_WATERMARKS);
			if (page)
				goto got_pg;
		}
		goto nopage;
	}
	if (!wait) {
		if (TRACING(m))
			trace_note(m, "!__GFP_WAIT: cannot reclaim: fail");
		goto nopage;
	}
	unsigned long progress = 0;
	if (m->try_to_free_pages) {
		progress = m->try_to_free_pages(m, zl->zones, gfp);
	} else if (TRACING(m)) {
		trace_note(m, "try_to_free_pages: reclaim is not modelled yet: no progress");
	}
	if (progress) {
		page = get_page_from_freelist(m, gfp, order, zl, alloc_flags);
		if (page)
			goto got_pg;
	} else if ((gfp & __GFP_FS) && !(gfp & __GFP_NORETRY)) {
		page = get_page_from_freelist(m, gfp | __GFP_HARDWALL, order, zl,
					      ALLOC_WMARK_HIGH | ALLOC_CPUSET);
		if (page)
			goto got_pg;
		if (m->out_of_memory && retries++ < SLOWPATH_MAX_RETRIES &&
		    m->out_of_memory(m, zl, gfp, order))
			goto restart;
		if (TRACING(m))
			trace_note(m, "out_of_memory: %s: fail",
				   m->out_of_memory ? "nothing left to kill" :
				   "the OOM killer is not modelled yet");
		goto nopage;
	}
	if (!(gfp & __GFP_NORETRY) &&
	    (order <= 3 || (gfp & (__GFP_REPEAT | __GFP_NOFAIL)))) {
		if (progress && retries++ < SLOWPATH_MAX_RETRIES) {
			if (TRACING(m))
				trace_note(m, "order %u: retry (congestion_wait)",
					   order);
			clock_sleep(m, KMEM_HZ / 50);
			reclaim_while_waiting(m);
			goto rebalance;
		}
		if (TRACING(m))
			trace_note(m, "no reclaim progress: a real kernel would "
				   "keep retrying here; the simulation gives up");
	}
nopage:
	if (!(gfp & __GFP_NOWARN))
		report_alloc_failure(m, gfp, order);
	return NULL;
got_pg:
	return page;
}

int gfp_zone(const struct machine *m, gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return 0;
	if (m->arch == KMEM_ARCH_X86_64) {
		if (gfp & __GFP_DMA32)
			return 1;
		return 2;               /* __GFP_HIGHMEM means Normal here */
	}
	if (gfp & __GFP_HIGHMEM)
		return 2;
	return 1;
}

int kmem_alloc_pages(struct machine *m, int nid, gfp_t gfp, unsigned order,
		     unsigned long *pfn)
{
	struct page *page;

	if (order >= MAX_ORDER)
		return set_error(m, -EINVAL, "alloc_pages: order %u >= MAX_ORDER "
				 "(%d): the kernel returns NULL at once", order,
				 MAX_ORDER);
	if (gfp & ~__GFP_BITS_MASK)
		return set_error(m, -EINVAL, "alloc_pages: gfp mask 0x%x has bits "
				 "above __GFP_BITS_SHIFT", gfp);
	if (nid < 0)
		nid = (int)m->cpu_node[m->cur_cpu];
	if ((unsigned)nid >= m->nr_nodes)
		return set_error(m, -EINVAL, "alloc_pages_node: node %d is not "
				 "online (nodes 0..%u)", nid, m->nr_nodes - 1);
	struct zonelist *zl = &m->nodes[nid].node_zonelists[gfp_zone(m, gfp)];
	struct zone *z0 = zl->zones[0];

	/*
	 * The common case, without the calls: what get_page_from_freelist's
	 * first iteration does when the preferred zone passes the order-0
	 * ALLOC_WMARK_LOW check (its own lowmem_reserve entry is 0) and the
	 * CPU's list has a page.  Anything else takes the full path.
	 */
	if (likely(order == 0 && !TRACING(m) && z0 &&
		   (long)z0->free_pages > (long)z0->pages_low)) {
		struct per_cpu_pages *pcp =
			&z0->pageset[m->cur_cpu].pcp[!!(gfp & __GFP_COLD)];
		if (likely(pcp->count)) {
			uint32_t p = pcp_take_head(m, pcp);
			count_vm_events(m, PGALLOC_BASE + z0->idx, 1);
			zone_statistics(m, zl, z0);
			prep_new_page(m, pfn_to_page(m, p), 0, gfp);
			*pfn = p;
			return 0;
		}
	}
	if (TRACING(m)) {
		char gb[128];
		kmem_gfp_format(gfp, gb, sizeof gb);
		trace_enter(m, nid == (int)m->cpu_node[m->cur_cpu] ?
			    "alloc_pages" : "alloc_pages_node",
			    "node %d, %s, order %u", nid, gb, order);
	}
	page = __alloc_pages(m, gfp, order, zl);
	if (!page) {
		if (TRACING(m))
			trace_exit(m, "NULL");
		return set_error(m, -ENOMEM, "page allocation failure: order:%u, "
				 "mode:0x%x", order, gfp);
	}
	*pfn = page_to_pfn(m, page);
	if (TRACING(m))
		trace_exit(m, "pfn %#lx", *pfn);
	return 0;
}

int kmem_alloc_order(const struct machine *m, unsigned long pfn)
{
	if (pfn >= m->max_pfn)
		return -1;
	const struct page *p = pfn_to_page(m, pfn);
	return p->_count > 0 ? page_alloc_order(p) : -1;
}

/* __drain_pages: empty every pcp list of one CPU completely. */
static void __drain_pages(struct machine *m, unsigned cpu)
{
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &m->nodes[nid].node_zones[i];
			if (!populated_zone(zone))
				continue;
			for (int j = 0; j < 2; j++) {
				struct per_cpu_pages *pcp =
					&zone->pageset[cpu].pcp[j];
				if (!pcp->count)
					continue;
				free_pages_bulk(m, zone, pcp->count, &pcp->list, 0);
				pcp->count = 0;
			}
		}
	}
}

void kmem_drain_pages(struct machine *m, int cpu)
{
	if (TRACING(m))
		trace_enter(m, "drain_local_pages", cpu < 0 ? "all CPUs" : "cpu %d",
			    cpu);
	for (unsigned c = 0; c < m->cpus; c++)
		if (cpu < 0 || (unsigned)cpu == c)
			__drain_pages(m, c);
	if (TRACING(m))
		trace_exit(m, "done");
}

/* ------------------------------------------------------------------ */
/* Sizing: watermarks, lowmem_reserve, pagesets                        */
/* ------------------------------------------------------------------ */

unsigned long nr_free_pages(const struct machine *m)
{
	unsigned long sum = 0;

	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_NR_ZONES; i++)
			sum += m->nodes[nid].node_zones[i].free_pages;
	return sum;
}

/* Sum of present - pages_high over a zonelist of node 0 (the kernel uses
 * the current node's). */
static unsigned long nr_free_zone_pages(const struct machine *m, int offset)
{
	unsigned long sum = 0;
	const struct zonelist *zl = &m->nodes[0].node_zonelists[offset];

	for (struct zone *const *z = zl->zones; *z; z++) {
		unsigned long size = (*z)->present_pages;
		unsigned long high = (*z)->pages_high;
		if (size > high)
			sum += size - high;
	}
	return sum;
}

unsigned long nr_free_buffer_pages(const struct machine *m)
{
	return nr_free_zone_pages(m, gfp_zone(m, GFP_USER));
}

unsigned long nr_free_pagecache_pages(const struct machine *m)
{
	return nr_free_zone_pages(m, gfp_zone(m, GFP_HIGHUSER));
}

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << (sizeof(long) * 8 - 2);

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

/* init_per_zone_pages_min's rule: sqrt(lowmem_kbytes * 16) in [128, 65536].
 * Evaluated with pages_high = 0, as at that point of boot. */
unsigned long min_free_kbytes_default(const struct machine *m)
{
	unsigned long lowmem_kbytes = 0;
	const struct zonelist *zl =
		&m->nodes[0].node_zonelists[gfp_zone(m, GFP_USER)];

	if (!zl->zones[0]) {
		/* zonelists not built yet: sum lowmem present pages */
		for (unsigned nid = 0; nid < m->nr_nodes; nid++)
			for (int i = 0; i < MAX_NR_ZONES; i++) {
				const struct zone *z = &m->nodes[nid].node_zones[i];
				if (!is_highmem(z))
					lowmem_kbytes += z->present_pages;
			}
	} else {
		for (struct zone *const *z = zl->zones; *z; z++)
			lowmem_kbytes += (*z)->present_pages;
	}
	lowmem_kbytes *= PAGE_SIZE >> 10;
	unsigned long v = int_sqrt(lowmem_kbytes * 16);
	if (v < 128)
		v = 128;
	if (v > 65536)
		v = 65536;
	return v;
}

static void calculate_totalreserve_pages(struct machine *m)
{
	unsigned long reserve_pages = 0;

	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &m->nodes[nid].node_zones[i];
			unsigned long max = 0;
			for (int j = i; j < MAX_NR_ZONES; j++)
				if (zone->lowmem_reserve[j] > max)
					max = zone->lowmem_reserve[j];
			max += zone->pages_high;
			if (max > zone->present_pages)
				max = zone->present_pages;
			reserve_pages += max;
		}
	}
	m->totalreserve_pages = reserve_pages;
}

void setup_per_zone_pages_min(struct machine *m)
{
	unsigned long pages_min = (unsigned long)m->sysctl[SYSCTL_MIN_FREE_KBYTES][0]
				  >> (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;

	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *z = &m->nodes[nid].node_zones[i];
			if (!is_highmem(z))
				lowmem_pages += z->present_pages;
		}
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &m->nodes[nid].node_zones[i];
			unsigned long long tmp = lowmem_pages ?
				(unsigned long long)pages_min *
				zone->present_pages / lowmem_pages : 0;
			if (is_highmem(zone)) {
				unsigned long min = zone->present_pages / 1024;
				if (min < 32)
					min = 32;       /* SWAP_CLUSTER_MAX */
				if (min > 128)
					min = 128;
				zone->pages_min = min;
			} else {
				zone->pages_min = (unsigned long)tmp;
			}
			zone->pages_low = zone->pages_min + (unsigned long)(tmp >> 2);
			zone->pages_high = zone->pages_min + (unsigned long)(tmp >> 1);
		}
	}
	calculate_totalreserve_pages(m);
}

void setup_per_zone_lowmem_reserve(struct machine *m)
{
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = &m->nodes[nid];
		for (int j = 0; j < MAX_NR_ZONES; j++) {
			struct zone *zone = &pgdat->node_zones[j];
			unsigned long present = zone->present_pages;

			zone->lowmem_reserve[j] = 0;
			for (int idx = j - 1; idx >= 0; idx--) {
				struct zone *lower = &pgdat->node_zones[idx];
				long ratio = m->sysctl[SYSCTL_LOWMEM_RESERVE_RATIO][idx];
				if (ratio < 1)
					ratio = 1;
				lower->lowmem_reserve[j] = present / (unsigned long)ratio;
				present += lower->present_pages;
			}
		}
	}
	calculate_totalreserve_pages(m);
}

/* zone_batchsize: about a quarter of a 1/1024 of the zone, capped at
 * 512 KiB, rounded down to 2^n - 1 to spread cache colouring. */
int zone_batchsize(const struct zone *zone)
{
	unsigned long batch = zone->present_pages / 1024;

	if (batch * PAGE_SIZE > 512 * 1024)
		batch = (512 * 1024) / PAGE_SIZE;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	unsigned long x = batch + batch / 2;
	int fls = 0;
	while (x) {
		fls++;
		x >>= 1;
	}
	return (int)((1UL << (fls - 1)) - 1);
}

void setup_pageset(struct per_cpu_pageset *p, unsigned long batch)
{
	struct per_cpu_pages *hot = &p->pcp[0], *cold = &p->pcp[1];

	hot->count = 0;
	hot->high = (int)(6 * batch);
	hot->batch = batch > 1 ? (int)batch : 1;
	plist_init(&hot->list);
	cold->count = 0;
	cold->high = (int)(2 * batch);
	cold->batch = batch / 2 > 1 ? (int)(batch / 2) : 1;
	plist_init(&cold->list);
}

/* setup_pagelist_highmark, for percpu_pagelist_fraction */
static void setup_pagelist_highmark(struct per_cpu_pageset *p,
				    unsigned long high)
{
	struct per_cpu_pages *pcp = &p->pcp[0];

	pcp->high = (int)high;
	pcp->batch = (int)(high / 4 > 1 ? high / 4 : 1);
	if (high / 4 > (PAGE_SHIFT * 8))
		pcp->batch = PAGE_SHIFT * 8;
}

/* percpu_pagelist_fraction_sysctl_handler: retune the hot lists of every
 * CPU; lists above their new high are trimmed on the next free. */
void setup_per_zone_pageset_high(struct machine *m)
{
	long fraction = m->sysctl[SYSCTL_PERCPU_PAGELIST_FRACTION][0];

	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &m->nodes[nid].node_zones[i];
			if (!zone->pageset)
				continue;
			for (unsigned cpu = 0; cpu < m->cpus; cpu++) {
				if (fraction > 0)
					setup_pagelist_highmark(&zone->pageset[cpu],
						zone->present_pages / (unsigned long)fraction);
			}
		}
}

unsigned long zone_pcp_pages(const struct zone *z, unsigned cpus)
{
	unsigned long n = 0;

	if (!z->pageset)
		return 0;
	for (unsigned c = 0; c < cpus; c++)
		n += (unsigned long)(z->pageset[c].pcp[0].count +
				     z->pageset[c].pcp[1].count);
	return n;
}

/* build_zonelists: for each zone index k, this node's populated zones from
 * k down to DMA, then the other nodes' in distance order (node-ordered,
 * as 2.6.20 does). */
void build_all_zonelists(struct machine *m)
{
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = &m->nodes[nid];
		for (int k = 0; k < MAX_NR_ZONES; k++) {
			struct zonelist *zl = &pgdat->node_zonelists[k];
			int n = 0;
			/* local node first, then the rest in order (all
			 * remote nodes are at the same SLIT distance) */
			for (unsigned step = 0; step < m->nr_nodes; step++) {
				unsigned node = (nid + step) % m->nr_nodes;
				pg_data_t *p = &m->nodes[node];
				for (int j = k; j >= 0; j--)
					if (populated_zone(&p->node_zones[j]))
						zl->zones[n++] = &p->node_zones[j];
			}
			zl->zones[n] = NULL;
		}
	}
}

/* ------------------------------------------------------------------ */
/* show_free_areas (SysRq-m, OOM and allocation-failure reports)       */
/* ------------------------------------------------------------------ */

/* show_node: NUMA builds prefix a zone's lines with its node. */
static const char *show_node(const struct machine *m, const struct zone *z,
			     char *buf)
{
	if (!m->numa)
		return "";
	snprintf(buf, 16, "Node %d ", z->zone_pgdat->node_id);
	return buf;
}

void show_free_areas(struct machine *m)
{
	unsigned long active = 0, inactive = 0;
	char nb[16];

	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &m->nodes[nid].node_zones[i];
			if (!populated_zone(zone))
				continue;
			printk(m, KERN_INFO, "%s%s per-cpu:", show_node(m, zone, nb),
			       zone->name);
			for (unsigned cpu = 0; cpu < m->cpus; cpu++) {
				struct per_cpu_pageset *ps = &zone->pageset[cpu];
				printk(m, KERN_INFO, "CPU %4u: Hot: hi:%5d, btch:%4d usd:%4d   "
				       "Cold: hi:%5d, btch:%4d usd:%4d", cpu,
				       ps->pcp[0].high, ps->pcp[0].batch,
				       ps->pcp[0].count, ps->pcp[1].high,
				       ps->pcp[1].batch, ps->pcp[1].count);
			}
			active += zone->nr_active;
			inactive += zone->nr_inactive;
		}
	}
	printk(m, KERN_INFO, "Active:%lu inactive:%lu dirty:%lu writeback:%lu "
	       "unstable:%lu free:%lu slab:%lu mapped:%lu pagetables:%lu",
	       active, inactive, global_page_state(m, NR_FILE_DIRTY),
	       global_page_state(m, NR_WRITEBACK),
	       global_page_state(m, NR_UNSTABLE_NFS), nr_free_pages(m),
	       global_page_state(m, NR_SLAB_RECLAIMABLE) +
	       global_page_state(m, NR_SLAB_UNRECLAIMABLE),
	       global_page_state(m, NR_FILE_MAPPED),
	       global_page_state(m, NR_PAGETABLE));
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &m->nodes[nid].node_zones[i];
			struct kbuf b;
			if (!populated_zone(zone))
				continue;
			kbuf_init(&b);
			kbuf_printf(&b, "%s%s free:%lukB min:%lukB low:%lukB high:%lukB "
				    "active:%lukB inactive:%lukB present:%lukB "
				    "pages_scanned:%lu all_unreclaimable? %s",
				    show_node(m, zone, nb), zone->name,
				    zone->free_pages << 2,
				    zone->pages_min << 2, zone->pages_low << 2,
				    zone->pages_high << 2, zone->nr_active << 2,
				    zone->nr_inactive << 2,
				    zone->present_pages << 2, zone->pages_scanned,
				    zone->all_unreclaimable ? "yes" : "no");
			printk(m, KERN_INFO, "%s", b.data);
			kbuf_reset(&b);
			kbuf_printf(&b, "lowmem_reserve[]:");
			for (int j = 0; j < MAX_NR_ZONES; j++)
				kbuf_printf(&b, " %lu", zone->lowmem_reserve[j]);
			printk(m, KERN_INFO, "%s", b.data);
			kbuf_free(&b);
		}
	}
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &m->nodes[nid].node_zones[i];
			struct kbuf b;
			unsigned long total = 0;
			if (!populated_zone(zone))
				continue;
			kbuf_init(&b);
			kbuf_printf(&b, "%s%s: ", show_node(m, zone, nb), zone->name);
			for (int o = 0; o < MAX_ORDER; o++) {
				unsigned long nr = zone->free_area[o].nr_free;
				total += nr << o;
				kbuf_printf(&b, "%lu*%lukB ", nr, 4UL << o);
			}
			kbuf_printf(&b, "= %lukB", total << 2);
			printk(m, KERN_INFO, "%s", b.data);
			kbuf_free(&b);
		}
	}
	show_swap_cache_info(m);
}

/* ------------------------------------------------------------------ */
/* Invariant checker                                                   */
/* ------------------------------------------------------------------ */

#define CHECK_FAIL(...) do { snprintf(report, len, "page_alloc: " __VA_ARGS__); \
	return false; } while (0)

static bool check_zone(const struct machine *m, const struct zone *z,
		       char *report, size_t len)
{
	unsigned long pages = 0;
	unsigned long end = z->zone_start_pfn + z->spanned_pages;

	for (unsigned o = 0; o < MAX_ORDER; o++) {
		const struct free_area *area = &z->free_area[o];
		unsigned long n = 0;
		uint32_t prev = NIL;
		for (uint32_t pfn = area->free_list.head; pfn != NIL;
		     pfn = m->mem_map[pfn].lru_next) {
			const struct page *p = &m->mem_map[pfn];
			if (pfn >= m->max_pfn)
				CHECK_FAIL("%s free_area[%u] links to pfn %#x beyond memory",
					   z->name, o, pfn);
			if (p->lru_prev != prev)
				CHECK_FAIL("%s free_area[%u]: pfn %#x has a broken back link",
					   z->name, o, pfn);
			if (!PageFlag(p, PG_buddy))
				CHECK_FAIL("%s free_area[%u]: block at pfn %#x is not PG_buddy",
					   z->name, o, pfn);
			if (p->private_ != o)
				CHECK_FAIL("order-%u block at pfn %#x on the order-%u list",
					   p->private_, pfn, o);
			if (pfn & ((1u << o) - 1))
				CHECK_FAIL("order-%u block at pfn %#x is not aligned", o, pfn);
			if (pfn < z->zone_start_pfn || pfn + (1UL << o) > end ||
			    page_zone(m, p) != z)
				CHECK_FAIL("order-%u block at pfn %#x lies outside zone %s",
					   o, pfn, z->name);
			if (p->_count != 0)
				CHECK_FAIL("free block at pfn %#x has count %d", pfn, p->_count);
			for (unsigned long i = 1; i < (1UL << o); i++) {
				const struct page *t = p + i;
				if (PageFlag(t, PG_buddy) || (t->flags & PGS_PCP) ||
				    t->_count || PageFlag(t, PG_reserved))
					CHECK_FAIL("order-%u block at pfn %#x overlaps pfn %#lx "
						   "which is in use or free elsewhere",
						   o, pfn, pfn + i);
			}
			if (o < MAX_ORDER - 1) {
				uint32_t b = pfn ^ (1u << o);
				if (b < m->max_pfn && page_is_buddy(p, &m->mem_map[b], o))
					CHECK_FAIL("order-%u blocks at pfn %#x and its buddy "
						   "%#x are both free: not merged", o, pfn, b);
			}
			n++;
			if (n > area->nr_free + 1)
				break;
			prev = pfn;
		}
		if (n != area->nr_free)
			CHECK_FAIL("%s free_area[%u].nr_free is %lu but the list holds %lu",
				   z->name, o, area->nr_free, n);
		if (area->free_list.tail != prev)
			CHECK_FAIL("%s free_area[%u]: tail pointer is wrong", z->name, o);
		pages += n << o;
	}
	if (pages != z->free_pages)
		CHECK_FAIL("%s free_pages is %lu but the free lists hold %lu pages",
			   z->name, z->free_pages, pages);
	for (unsigned cpu = 0; cpu < m->cpus; cpu++) {
		for (int j = 0; j < 2; j++) {
			const struct per_cpu_pages *pcp = &z->pageset[cpu].pcp[j];
			int n = 0;
			for (uint32_t pfn = pcp->list.head; pfn != NIL;
			     pfn = m->mem_map[pfn].lru_next) {
				const struct page *p = &m->mem_map[pfn];
				if (!(p->flags & PGS_PCP) || PageFlag(p, PG_buddy) ||
				    p->_count || page_zone(m, p) != z)
					CHECK_FAIL("%s cpu %u %s list: pfn %#x is not a free "
						   "page of this zone", z->name, cpu,
						   j ? "cold" : "hot", pfn);
				if (++n > pcp->count + 1)
					break;
			}
			if (n != pcp->count)
				CHECK_FAIL("%s cpu %u %s list: count %d but the list holds %d",
					   z->name, cpu, j ? "cold" : "hot", pcp->count, n);
		}
	}
	return true;
}

bool page_alloc_check(const struct machine *m, char *report, size_t len)
{
	unsigned long pcp_flagged = 0, pcp_listed = 0;

	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			const struct zone *z = &m->nodes[nid].node_zones[i];
			if (!populated_zone(z))
				continue;
			if (!check_zone(m, z, report, len))
				return false;
			pcp_listed += zone_pcp_pages(z, m->cpus);
		}
	for (unsigned long pfn = 0; pfn < m->max_pfn; pfn++)
		if (m->mem_map[pfn].flags & PGS_PCP)
			pcp_flagged++;
	if (pcp_flagged != pcp_listed)
		CHECK_FAIL("%lu pages are marked per-CPU but the lists hold %lu",
			   pcp_flagged, pcp_listed);
	return true;
}
