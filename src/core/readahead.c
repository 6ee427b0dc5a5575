/*
 * readahead.c - 2.6.20's two-window readahead (mm/readahead.c).
 *
 *   |<- current window ->|<- ahead window ->|
 *   start           start+size = ahead_start   ahead_start+ahead_size
 *
 * The first sequential read sizes the current window from the request
 * (get_init_ra_size: x4 up to max/32, x2 up to max/4, else max), a
 * sequential reader that enters the ahead window makes it current and
 * submits the next one (get_next_ra_size: x4 below max/16, else x2; after
 * a miss cur-2, at least min).  So a first read of 1-2 pages gets 4
 * pages, 3-4 pages 8, 5-8 pages 16, more 32: the kernel's own comment
 * above get_init_ra_size ("1-8 page = 32k initial"), which the facts
 * reference repeats, describes an older version; we follow the code.
 * A non-sequential read switches readahead
 * off (ra_off) and reads just the request.  VM_MAX_READAHEAD is 128 KiB
 * (32 pages), VM_MIN_READAHEAD 16 KiB (4 pages); 256 pages found cached
 * in a row (VM_MAX_CACHE_HIT) turn readahead off with RA_FLAG_INCACHE
 * until the next miss.  The simulated disk is never congested, so
 * non-blocking submissions always go ahead.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include "mm.h"

#define VM_MAX_READAHEAD 128            /* KiB */
#define VM_MIN_READAHEAD 16             /* KiB */
#define VM_MAX_CACHE_HIT 256            /* pages */

void file_ra_state_init(struct file_ra_state *ra)
{
	ra->ra_pages = VM_MAX_READAHEAD * 1024 / PAGE_SIZE;
	ra->prev_page = (unsigned long)-1;
}

static unsigned long get_max_readahead(const struct file_ra_state *ra)
{
	return ra->ra_pages;
}

static unsigned long get_min_readahead(const struct file_ra_state *ra)
{
	(void)ra;
	return VM_MIN_READAHEAD * 1024 / PAGE_SIZE;
}

static unsigned long roundup_pow_of_two(unsigned long x)
{
	unsigned long r = 1;

	while (r < x)
		r <<= 1;
	return r;
}

static unsigned long get_init_ra_size(unsigned long size, unsigned long max)
{
	unsigned long newsize = roundup_pow_of_two(size);

	if (newsize <= max / 32)
		newsize *= 4;
	else if (newsize <= max / 4)
		newsize *= 2;
	else
		newsize = max;
	return newsize;
}

static unsigned long get_next_ra_size(struct file_ra_state *ra)
{
	unsigned long max = get_max_readahead(ra);
	unsigned long min = get_min_readahead(ra);
	unsigned long cur = ra->size;
	unsigned long newsize;

	if (ra->flags & RA_FLAG_MISS) {
		ra->flags &= ~RA_FLAG_MISS;
		newsize = cur - 2 > min && cur > 2 ? cur - 2 : min;
	} else if (cur < max / 16) {
		newsize = 4 * cur;
	} else {
		newsize = 2 * cur;
	}
	return newsize < max ? newsize : max;
}

static void ra_off(struct file_ra_state *ra)
{
	ra->start = 0;
	ra->flags = 0;
	ra->size = 0;
	ra->ahead_start = 0;
	ra->ahead_size = 0;
}

/* max_sane_readahead: at most half of the local node's inactive + free
 * pages (the inactive list is empty until the reclaim issue). */
unsigned long max_sane_readahead(struct machine *m, unsigned long nr)
{
	const pg_data_t *pg = &m->nodes[m->cpu_node[m->cur_cpu]];
	unsigned long avail = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		avail += pg->node_zones[i].nr_inactive +
			 pg->node_zones[i].free_pages;
	return nr < avail / 2 ? nr : avail / 2;
}

/* __do_page_cache_readahead: read the pages of [offset, offset+nr) that
 * are not cached and lie inside i_size.  Returns the number read. */
static int __do_page_cache_readahead(struct machine *m, struct kfile *f,
				     unsigned long offset, unsigned long nr)
{
	int ret = 0;

	if (!f->size)
		return 0;
	unsigned long end_index = (unsigned long)((f->size - 1) >> PAGE_SHIFT);
	if (TRACING(m))
		trace_enter(m, "__do_page_cache_readahead", "%s pages %lu..%lu",
			    f->name, offset, offset + nr - 1);
	blk_plug(m);                    /* read_pages: one request per run */
	for (unsigned long i = 0; i < nr; i++) {
		unsigned long idx = offset + i;
		if (idx > end_index)
			break;
		if (radix_tree_lookup(&f->mapping.page_tree, idx))
			continue;
		int r = page_cache_read(m, f, idx);
		if (r < 0)
			break;
		ret += r;
	}
	blk_unplug(m);
	if (mms(m)->io)
		mms(m)->io->readahead += (unsigned long)ret;
	if (TRACING(m))
		trace_exit(m, "%d pages read", ret);
	return ret;
}

int do_page_cache_readahead(struct machine *m, struct kfile *f,
			    unsigned long offset, unsigned long nr)
{
	return __do_page_cache_readahead(m, f, offset, nr);
}

static int check_ra_success(struct file_ra_state *ra, unsigned long nr,
			    int actual)
{
	if (actual == 0) {
		ra->cache_hit += nr;
		if (ra->cache_hit >= VM_MAX_CACHE_HIT) {
			ra_off(ra);
			ra->flags |= RA_FLAG_INCACHE;
			return 0;
		}
	} else {
		ra->cache_hit = 0;
	}
	return 1;
}

static int blockable_page_cache_readahead(struct machine *m, struct kfile *f,
					  unsigned long offset,
					  unsigned long nr,
					  struct file_ra_state *ra)
{
	int actual = __do_page_cache_readahead(m, f, offset, nr);

	return check_ra_success(ra, nr, actual);
}

static int make_ahead_window(struct machine *m, struct kfile *f,
			     struct file_ra_state *ra, int force)
{
	ra->ahead_size = get_next_ra_size(ra);
	ra->ahead_start = ra->start + ra->size;
	if (TRACING(m))
		trace_note(m, "make_ahead_window: ahead %lu+%lu", ra->ahead_start,
			   ra->ahead_size);
	int ret = blockable_page_cache_readahead(m, f, ra->ahead_start,
						 ra->ahead_size, ra);
	if (!ret && !force) {
		/* everything was cached: we have taken care of the request */
		ra->prev_page = ra->start + ra->size - 1;
		ra->ahead_start = 0;
		ra->ahead_size = 0;
	}
	return ret;
}

void handle_ra_miss(struct file_ra_state *ra)
{
	ra->flags |= RA_FLAG_MISS;
	ra->flags &= ~RA_FLAG_INCACHE;
	ra->cache_hit = 0;
}

/*
 * page_cache_readahead(mapping, ra, filp, offset, req_size): called when
 * the reader reaches offset wanting req_size pages.  Returns the index
 * of the page after the current window (next_index for the reader).
 */
unsigned long page_cache_readahead(struct machine *m, struct kfile *f,
				   struct file_ra_state *ra,
				   unsigned long offset,
				   unsigned long req_size)
{
	unsigned long max, newsize;
	bool sequential;

	if (TRACING(m))
		trace_enter(m, "page_cache_readahead", "%s offset %lu, %lu pages "
			    "(window %lu+%lu, ahead %lu+%lu, prev %ld)", f->name,
			    offset, req_size, ra->start, ra->size,
			    ra->ahead_start, ra->ahead_size, (long)ra->prev_page);
	if (offset == ra->prev_page && --req_size)
		++offset;
	sequential = offset == ra->prev_page + 1;
	ra->prev_page = offset;
	max = get_max_readahead(ra);
	newsize = req_size < max ? req_size : max;
	if (newsize == 0 || (ra->flags & RA_FLAG_INCACHE))
		goto out;
	ra->prev_page += newsize - 1;

	/* first read at the start of the file, or first sequential one */
	if (sequential && ra->size == 0) {
		ra->size = get_init_ra_size(newsize, max);
		ra->start = offset;
		if (TRACING(m))
			trace_note(m, "first sequential read: window %lu+%lu",
				   ra->start, ra->size);
		if (!blockable_page_cache_readahead(m, f, offset, ra->size, ra))
			goto out;
		if (req_size >= max)
			make_ahead_window(m, f, ra, 1);
		goto out;
	}
	if (!sequential) {
		if (TRACING(m))
			trace_note(m, "random access: ra_off, read %lu page%s",
				   newsize, newsize == 1 ? "" : "s");
		ra_off(ra);
		blockable_page_cache_readahead(m, f, offset, newsize, ra);
		goto out;
	}
	if (ra->ahead_start == 0) {
		if (!make_ahead_window(m, f, ra, 0))
			goto recheck;
	}
	if (ra->prev_page >= ra->ahead_start) {
		ra->start = ra->ahead_start;
		ra->size = ra->ahead_size;
		if (TRACING(m))
			trace_note(m, "entered the ahead window: current %lu+%lu",
				   ra->start, ra->size);
		make_ahead_window(m, f, ra, 0);
recheck:
		if (ra->prev_page > ra->ahead_start + ra->ahead_size - 1)
			ra->prev_page = ra->ahead_start + ra->ahead_size - 1;
	}
out:
	if (TRACING(m))
		trace_exit(m, "next %lu (window %lu+%lu, ahead %lu+%lu)",
			   ra->prev_page + 1, ra->start, ra->size,
			   ra->ahead_start, ra->ahead_size);
	return ra->prev_page + 1;
}
