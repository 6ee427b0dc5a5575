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

#include "mm.h"        /* mm.h includes this file at its end */

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

/*
 * The swap state (m->swap).  Devices are swap_info[type]; the active
 * ones are linked through ->next in priority order from swap_list.head
 * (-1 ends the list).  Invariants (swap_check):
 *   swap_map[0] == SWAP_MAP_BAD (the header page);
 *   every other slot is 0 (free) or 1..SWAP_MAP_MAX, and is the number
 *     of swap PTEs holding the entry + 1 if a page caches it (saturated
 *     counts at SWAP_MAP_MAX are allowed to exceed nothing);
 *   inuse_pages = slots with a nonzero count (header excluded);
 *   a device with free slots has them all in [lowest_bit, highest_bit];
 *   nr_swap_pages = sum over WRITEOK devices of pages - inuse_pages;
 *   total_swap_pages = sum over WRITEOK devices of pages;
 *   every page in swapper_space has PG_swapcache, private == its key,
 *     and holds one reference for the cache; total_swapcache_pages
 *     counts them.
 */
#define MAX_SWAPFILES_SHIFT 5
#define MAX_SWAPFILES       (1 << MAX_SWAPFILES_SHIFT)
#define SWAP_MAP_MAX        0x7fff
#define SWAP_MAP_BAD        0x8000
#define SWAPFILE_CLUSTER    256
#define SWP_USED            1
#define SWP_WRITEOK         2
#define SWP_ACTIVE          (SWP_USED | SWP_WRITEOK)
#define SWAP_FLAG_PREFER    0x8000
#define SWAP_FLAG_PRIO_MASK 0x7fff
#define SECTORS_PER_SWAP_PAGE 8         /* 512-byte sectors of a 4 KiB page */

struct swap_info_struct {
	unsigned flags;                 /* SWP_USED | SWP_WRITEOK */
	int prio;                       /* higher is used first */
	char name[64];                  /* the swap file or partition */
	bool partition;                 /* "/dev/..." names: block device */
	uint16_t *swap_map;             /* [max]: 0 free, count, or BAD */
	kaddr_t swap_map_addr;          /* its vmalloc'd copy in the machine */
	unsigned long lowest_bit;       /* lowest slot that may be free */
	unsigned long highest_bit;      /* highest slot that may be free */
	unsigned long cluster_next;     /* next slot of the current cluster */
	unsigned long cluster_nr;       /* slots left in the cluster */
	unsigned long pages;            /* good slots (max - 1) */
	unsigned long max;              /* slots, header included */
	unsigned long inuse_pages;      /* slots in use */
	int next;                       /* next type in priority order, -1 */
	uint8_t **data;                 /* page_io.c: bytes written per slot
					 * (NULL until a page with contents
					 * is written) */
};

struct swap_cache_info {
	unsigned long add_total;        /* pages added */
	unsigned long del_total;        /* pages deleted */
	unsigned long find_success;     /* lookup_swap_cache hits */
	unsigned long find_total;       /* lookups */
	unsigned long noent_race;       /* entry freed before it was read */
	unsigned long exist_race;       /* entry cached meanwhile */
};

struct swap_state {
	struct swap_info_struct info[MAX_SWAPFILES]; /* by type */
	unsigned nr_swapfiles;          /* highest type used + 1 */
	int list_head;                  /* swap_list.head: highest prio */
	int list_next;                  /* swap_list.next: where to start */
	int least_priority;             /* last default priority given */
	long nr_swap_pages;             /* free slots on WRITEOK devices */
	unsigned long total_swap_pages; /* good slots on WRITEOK devices */
	unsigned swap_overflow;         /* "swap_dup: swap entry overflow"s */
	struct radix_tree_root swapper_space; /* page_tree by entry.val */
	unsigned long total_swapcache_pages; /* pages in it */
	struct swap_cache_info cache_info;   /* show_swap_cache_info */
	/* thrash.c */
	struct mm_struct *swap_token_mm; /* holder, NULL: nobody */
	unsigned global_faults;         /* grab_swap_token calls */
	bool token_enabled;             /* kmemlab: the token is in play */
	unsigned long token_changes;    /* times the token changed hands */
};

void swap_init(struct machine *m);
void swap_destroy(struct machine *m);
/* Entries (swapfile.c).  0 = no entry. */
swp_entry_t get_swap_page(struct machine *m);
/* One more PTE holds e: 1 = done, 0 = e is free or bad. */
int swap_duplicate(struct machine *m, swp_entry_t e);
/* A swap PTE went away (zap): drop its count; a page left only in the
 * swap cache goes too. */
void free_swap_and_cache(struct machine *m, swp_entry_t e);
/* swap_map count of e (0 when e is not a live entry). */
unsigned swap_count(const struct machine *m, swp_entry_t e);
/* Mapped once and no other swap PTE: a write may reuse the page. */
bool can_share_swap_page(struct machine *m, struct page *p);
/* The readahead window around e: *offset = first slot, returns count. */
int valid_swaphandles(struct machine *m, swp_entry_t e,
		      unsigned long *offset);
/* The swap cache (swap_state.c). */
struct page *lookup_swap_cache(struct machine *m, swp_entry_t e);
struct page *read_swap_cache_async(struct machine *m, swp_entry_t e,
				   struct vm_area_struct *v, kaddr_t addr);
void swapin_readahead(struct machine *m, swp_entry_t e,
		      struct vm_area_struct *v, kaddr_t addr);
/* zap of a present PTE: put_page, dropping an exclusive swap copy. */
void free_page_and_swap_cache(struct machine *m, struct page *p);
void show_swap_cache_info(struct machine *m);
unsigned long total_swapcache_pages(const struct machine *m);
/* memory.c: a GFP_HIGHUSER page for a user mapping (no mempolicy is
 * modelled, so the local node's zonelist). */
struct page *alloc_page_vma(struct machine *m);
/* page_io.c */
int swap_readpage(struct machine *m, struct page *p);
/* A slot became free: forget what was written there. */
void swap_slot_forget(struct swap_info_struct *si, unsigned long offset);
/* PTE encodings (§9.3): the arch's non-present swap PTE for e and back. */
uint64_t swp_entry_to_pte(const struct machine *m, swp_entry_t e);
swp_entry_t pte_to_swp_entry(const struct machine *m, uint64_t pte);
/* Not none, not present, not a nonlinear file PTE. */
static inline bool is_swap_pte(uint64_t pte)
{
	return pte && !(pte & (_PAGE_PRESENT | _PAGE_PROTNONE)) &&
	       !(pte & _PAGE_FILE);
}
/* thrash.c: a major fault of mm contends for the token; exit drops it. */
void grab_swap_token(struct machine *m, struct mm_struct *mm);
void put_swap_token(struct machine *m, struct mm_struct *mm);
/* /proc/swaps and si_swapinfo */
void proc_swaps(struct machine *m, struct kbuf *b);

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
