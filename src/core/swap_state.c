/*
 * swap_state.c - the swap cache (Linux 2.6.20 mm/swap_state.c, and
 * swapin_readahead, which 2.6.20 keeps in mm/memory.c).
 *
 *   swapper_space.page_tree   radix tree keyed by swp_entry_t.val
 *
 *   reclaim:  add_to_swap           get_swap_page + __add_to_swap_cache;
 *                                   the page becomes dirty and uptodate
 *             __delete_from_swap_cache (remove_mapping, after writeback)
 *   swap-in:  lookup_swap_cache     a hit: the page is still cached
 *             read_swap_cache_async a miss: new GFP_HIGHUSER page,
 *                                   swap_duplicate + __add_to_swap_cache,
 *                                   lru_cache_add_active, swap_readpage
 *   unmap:    free_page_and_swap_cache, free_swap_and_cache (swapfile.c)
 *
 * A cached page holds one reference and one swap_map count for the cache;
 * PG_swapcache is set and page->private_ is the entry.  Swap-cache pages
 * count in NR_FILE_PAGES (meminfo's Cached subtracts them again).
 *
 * I/O is instant, so a page read in is unlocked and uptodate at once; the
 * page lock the kernel holds across the read is not visible after it.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <string.h>

#include "mm.h"

static inline struct swap_state *sws(const struct machine *m)
{
	return m->swap;
}

/* __add_to_swap_cache: insert, take the cache's reference. */
static int __add_to_swap_cache(struct machine *m, struct page *p,
			       swp_entry_t e)
{
	struct swap_state *s = sws(m);
	int err = radix_tree_insert(m, &s->swapper_space, e.val, p);

	if (err)
		return err;
	get_page(p);
	SetPageFlag(p, PG_locked);
	SetPageFlag(p, PG_swapcache);
	p->private_ = e.val;
	s->total_swapcache_pages++;
	__mod_zone_page_state(page_zone(m, p), NR_FILE_PAGES, 1);
	return 0;
}

/* add_to_swap_cache (the read path): the entry must still be in use. */
static int add_to_swap_cache(struct machine *m, struct page *p, swp_entry_t e)
{
	struct swap_state *s = sws(m);

	if (!swap_duplicate(m, e)) {
		s->cache_info.noent_race++;
		return -ENOENT;
	}
	int err = __add_to_swap_cache(m, p, e);
	if (err) {
		swap_free(m, e);
		if (err == -EEXIST)
			s->cache_info.exist_race++;
		return err;
	}
	s->cache_info.add_total++;
	return 0;
}

int add_to_swap(struct machine *m, struct page *p)
{
	struct swap_state *s = sws(m);
	bool was_locked = PageFlag(p, PG_locked);

	if (TRACING(m))
		trace_enter(m, "add_to_swap", "pfn %#lx", page_to_pfn(m, p));
	for (;;) {
		swp_entry_t e = get_swap_page(m);
		if (!e.val) {
			if (TRACING(m))
				trace_exit(m, "0: no free swap slot");
			return 0;
		}
		int err = __add_to_swap_cache(m, p, e);
		if (!err) {
			if (!was_locked)        /* the caller's lock, if any */
				ClearPageFlag(p, PG_locked);
			SetPageFlag(p, PG_uptodate);
			SetPageFlag(p, PG_dirty);
			s->cache_info.add_total++;
			if (TRACING(m))
				trace_exit(m, "1: entry %08x (%s slot %lu)", e.val,
					   s->info[swp_type(e)].name, swp_offset(e));
			return 1;
		}
		swap_free(m, e);
		if (err == -EEXIST) {
			s->cache_info.exist_race++;
			continue;
		}
		if (TRACING(m))
			trace_exit(m, "0: no memory for the radix tree");
		return 0;
	}
}

void __delete_from_swap_cache(struct machine *m, struct page *p)
{
	struct swap_state *s = sws(m);

	radix_tree_delete(m, &s->swapper_space, p->private_);
	p->private_ = 0;
	ClearPageFlag(p, PG_swapcache);
	s->total_swapcache_pages--;
	__mod_zone_page_state(page_zone(m, p), NR_FILE_PAGES, -1);
	s->cache_info.del_total++;
}

void delete_from_swap_cache(struct machine *m, struct page *p)
{
	swp_entry_t e = page_swp_entry(p);

	__delete_from_swap_cache(m, p);
	swap_free(m, e);
	put_page(m, p);
}

/* lookup_swap_cache: the cached page with a reference, or NULL. */
struct page *lookup_swap_cache(struct machine *m, swp_entry_t e)
{
	struct swap_state *s = sws(m);
	struct page *p = radix_tree_lookup(&s->swapper_space, e.val);

	if (p) {
		get_page(p);
		s->cache_info.find_success++;
	}
	s->cache_info.find_total++;
	return p;
}

struct page *read_swap_cache_async(struct machine *m, swp_entry_t e,
				   struct vm_area_struct *v, kaddr_t addr)
{
	struct swap_state *s = sws(m);
	struct page *found = NULL, *np = NULL;
	int err;

	(void)v;
	(void)addr;
	do {
		found = radix_tree_lookup(&s->swapper_space, e.val);
		if (found) {
			get_page(found);        /* find_get_page */
			break;
		}
		if (!np) {
			np = alloc_page_vma(m);
			if (!np)
				break;          /* out of memory */
		}
		err = add_to_swap_cache(m, np, e);
		if (!err) {
			lru_cache_add_active(m, np);
			swap_readpage(m, np);
			return np;
		}
	} while (err != -ENOENT && err != -ENOMEM);
	if (np)
		put_page(m, np);
	return found;
}

/*
 * swapin_readahead: read the aligned window of 2^page_cluster slots
 * around entry (valid_swaphandles), each into the swap cache; the pages
 * are not mapped, only cached.
 */
void swapin_readahead(struct machine *m, swp_entry_t e,
		      struct vm_area_struct *v, kaddr_t addr)
{
	unsigned long offset;
	int n = valid_swaphandles(m, e, &offset);

	if (TRACING(m))
		trace_enter(m, "swapin_readahead", "entry %08x: %d slots from %lu",
			    e.val, n, offset);
	blk_plug(m);                    /* the elevator merges the window */
	for (int i = 0; i < n; i++, offset++) {
		struct page *p = read_swap_cache_async(m,
				swp_entry(swp_type(e), offset), v, addr);
		if (!p)
			break;
		put_page(m, p);
	}
	blk_unplug(m);
	lru_add_drain(m);
	if (TRACING(m))
		trace_exit(m, "done");
}

void free_page_and_swap_cache(struct machine *m, struct page *p)
{
	if (PageSwapCache(p) && !PageFlag(p, PG_locked))
		remove_exclusive_swap_page(m, p);
	put_page(m, p);
}

void show_swap_cache_info(struct machine *m)
{
	struct swap_state *s = sws(m);
	const struct swap_cache_info *c = &s->cache_info;

	printk(m, KERN_INFO, "Swap cache: add %lu, delete %lu, find %lu/%lu, "
	       "race %lu+%lu", c->add_total, c->del_total, c->find_success,
	       c->find_total, c->noent_race, c->exist_race);
	printk(m, KERN_INFO, "Free swap  = %lukB",
	       (unsigned long)s->nr_swap_pages << (PAGE_SHIFT - 10));
	printk(m, KERN_INFO, "Total swap = %lukB",
	       s->total_swap_pages << (PAGE_SHIFT - 10));
}

unsigned long total_swapcache_pages(const struct machine *m)
{
	return sws(m) ? sws(m)->total_swapcache_pages : 0;
}
