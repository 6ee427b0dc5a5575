/*
 * swap.h - the LRU (swap.c), page reclaim (vmscan.c), writeback
 * (page-writeback.c) and swap (swapfile.c, swap_state.c, page_io.c,
 * thrash.c) as the process-memory files see them.  Linux 2.6.20:
 * include/linux/swap.h, swapops.h, pagevec.h, mm_inline.h, writeback.h.
 *
 * Ownership of a page on the LRU (mm_inline.h discipline):
 *   PG_lru set    <=> the page is on its zone's active_list (PG_active)
 *                     or inactive_list (!PG_active)
 *   in a pagevec   => !PG_lru, and the pagevec holds one reference
 *   isolated       => !PG_lru, on a private list of the scanner, which
 *                     holds one reference (isolate_lru_pages)
 *
 * Swap entries are 32 bits here so they fit page->private_ (the kernel's
 * unsigned long): type in the top 5 bits, offset in the low 27 (2^27
 * slots = 512 GiB a device).
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#ifndef KMEM_SWAP_H
#define KMEM_SWAP_H

#include "internal.h"

#define PAGEVEC_SIZE     14
#define SWAP_CLUSTER_MAX 32
#define DEF_PRIORITY     12

/* ------------------------------------------------------------------ */
/* swap.c: the LRU lists and per-CPU pagevecs                          */
/* ------------------------------------------------------------------ */

struct pagevec {
	unsigned nr;
	uint32_t pfns[PAGEVEC_SIZE];
};

void lru_cache_add(struct machine *m, struct page *p);
void lru_cache_add_active(struct machine *m, struct page *p);
void mark_page_accessed(struct machine *m, struct page *p);
void activate_page(struct machine *m, struct page *p);
/* Flush the current CPU's lru_add pagevecs onto the lists. */
void lru_add_drain(struct machine *m);
/* Flush every CPU's (lru_add_drain_all; used by checks and migration). */
void lru_add_drain_all(struct machine *m);
/* Writeback finished on a PG_reclaim page: move it to the inactive tail. */
int rotate_reclaimable_page(struct machine *m, struct page *p);
/* Freeing path: take a page whose count reached 0 off the LRU. */
void __page_cache_release(struct machine *m, struct page *p);
/* Migration: take one page off the LRU (0, or -EBUSY) / put it back. */
int isolate_lru_page(struct machine *m, struct page *p);
void putback_lru_page(struct machine *m, struct page *p);
/* List primitives for vmscan.c. */
void add_page_to_active_list(struct machine *m, struct zone *z,
			     struct page *p);
void add_page_to_inactive_list(struct machine *m, struct zone *z,
			       struct page *p);
void add_page_to_inactive_list_tail(struct machine *m, struct zone *z,
				    struct page *p);
void del_page_from_lru(struct machine *m, struct zone *z, struct page *p);
/* References the lru_add pagevecs hold on a page (for the checkers). */
int lru_pvec_refs(const struct machine *m, unsigned long pfn);
/* The zone's lists (lists live in struct zone; see internal.h). */
bool lru_check(struct machine *m, char *report, size_t len);
int lru_init(struct machine *m);
void lru_free(struct machine *m);

/* ------------------------------------------------------------------ */
/* swapops.h: entries                                                  */
/* ------------------------------------------------------------------ */

typedef struct { uint32_t val; } swp_entry_t;
#define SWP_TYPE_SHIFT 27
#define SWP_OFFSET_MASK ((1u << SWP_TYPE_SHIFT) - 1)
static inline swp_entry_t swp_entry(unsigned type, unsigned long offset)
{
	swp_entry_t e = { (uint32_t)(type << SWP_TYPE_SHIFT) |
			  (uint32_t)(offset & SWP_OFFSET_MASK) };
	return e;
}
static inline unsigned swp_type(swp_entry_t e)
{
	return e.val >> SWP_TYPE_SHIFT;
}
static inline unsigned long swp_offset(swp_entry_t e)
{
	return e.val & SWP_OFFSET_MASK;
}
static inline bool PageSwapCache(const struct page *p)
{
	return PageFlag(p, PG_swapcache);
}
static inline swp_entry_t page_swp_entry(const struct page *p)
{
	swp_entry_t e = { p->private_ };
	return e;
}

/* ------------------------------------------------------------------ */
/* swapfile.c, swap_state.c, page_io.c, thrash.c                       */
/* ------------------------------------------------------------------ */

long nr_swap_pages(const struct machine *m);
unsigned long total_swap_pages(const struct machine *m);
/* nr_swap_pages * 2 < total_swap_pages */
bool vm_swap_full(const struct machine *m);
/* Reclaim: give an anonymous page a slot and put it in the swap cache
 * (PG_swapcache|dirty|uptodate, one cache reference).  1 = done, 0 = no
 * slot or no memory (the page is untouched). */
int add_to_swap(struct machine *m, struct page *p);
/* Take a page out of the swap cache without dropping the cache's
 * reference or freeing its slot (remove_mapping does those). */
void __delete_from_swap_cache(struct machine *m, struct page *p);
/* The whole thing: tree, flag, slot and reference. */
void delete_from_swap_cache(struct machine *m, struct page *p);
void swap_free(struct machine *m, swp_entry_t e);
/* pageout of a swap-cache page (swap_writepage): clears PG_dirty, sets
 * PG_writeback and counts the I/O (PSWPOUT, PGPGOUT); 0 = written.  The
 * caller completes the I/O with end_page_writeback, as the block layer
 * would (reclaim does it after putting its survivors back, so a page
 * written for reclaim rotates to the inactive tail). */
int swap_writepage(struct machine *m, struct page *p);
/* Drop the swap copy of a page nobody else references: 1 = removed. */
int remove_exclusive_swap_page(struct machine *m, struct page *p);
/* The swap token holder (NULL mm: none); page_referenced exempts it. */
struct mm_struct;
bool has_swap_token(const struct machine *m, const struct mm_struct *mm);
void disable_swap_token(struct machine *m);
bool swap_check(struct machine *m, char *report, size_t len);

/* ------------------------------------------------------------------ */
/* vmscan.c, page-writeback.c                                          */
/* ------------------------------------------------------------------ */

/* I/O starts: PG_writeback and NR_WRITEBACK (test_set_page_writeback). */
void set_page_writeback(struct machine *m, struct page *p);
/* I/O done: clear PG_writeback and NR_WRITEBACK; a PG_reclaim page rotates to the
 * inactive tail (rotate_reclaimable_page). */
void end_page_writeback(struct machine *m, struct page *p);

/* set_page_dirty, then balance_dirty_pages_ratelimited when the page
 * became dirty (faults on shared file mappings). */
void set_page_dirty_balance(struct machine *m, struct page *p);

/* The seams page_alloc.c calls (m->try_to_free_pages is this). */
unsigned long try_to_free_pages(struct machine *m, struct zone **zones,
				gfp_t gfp);
/* Run kswapd on every woken node (after a command, or on tick). */
void kswapd_run_pending(struct machine *m);

#endif /* KMEM_SWAP_H */
