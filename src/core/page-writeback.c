/*
 * page-writeback.c - dirty page limits, writer throttling and background
 * writeback (Linux 2.6.20 mm/page-writeback.c, fs/fs-writeback.c,
 * mm/pdflush.c).
 *
 *   write(2) -> set_page_dirty -> balance_dirty_pages_ratelimited
 *     every ratelimit_pages (8 while dirty_exceeded) dirtied on a CPU:
 *     balance_dirty_pages: while dirty + writeback > dirty_thresh, write
 *     1.5 x ratelimit_pages yourself; above background_thresh, hand the
 *     rest to pdflush (background_writeout).
 *   wb_kupdate every dirty_writeback_centisecs: inodes dirtied more than
 *     dirty_expire_centisecs ago are written.
 *
 * pdflush is a thread in the kernel; here its work runs when the command
 * that asked for it finishes (kmem_background) or at the next tick.  Its
 * writes go to the simulated disk's queue (blkdev.c) and nobody waits for
 * them; sync waits for every queued write, fsync for its file's.  Page
 * state completes at once.  Inodes are written oldest-dirtied first,
 * as sync_sb_inodes walks s_io.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>

#include "vmscan.h"

#define MAX_WRITEBACK_PAGES 1024
#define BALANCE_MAX_LOOPS   16

static long global_state(const struct machine *m, int item)
{
	return (long)global_page_state(m, item);
}

static unsigned long ratelimit_pages(const struct machine *m)
{
	unsigned long r = m->vm_total_pages / (m->cpus * 32);

	if (r < 16)
		r = 16;
	if (r > (4UL << 20) / PAGE_SIZE)
		r = (4UL << 20) / PAGE_SIZE;
	return r;
}

void get_dirty_limits(struct machine *m, long *background, long *dirty)
{
	long total = m->vm_total_pages ? (long)m->vm_total_pages : 1;
	long available = total - (long)m->totalhigh_pages;
	long mapped = global_state(m, NR_FILE_MAPPED) +
		      global_state(m, NR_ANON_PAGES);
	long unmapped_ratio = 100 - mapped * 100 / total;
	long dirty_ratio = m->sysctl[SYSCTL_DIRTY_RATIO][0];
	long bg_ratio = m->sysctl[SYSCTL_DIRTY_BACKGROUND_RATIO][0];

	if (dirty_ratio > unmapped_ratio / 2)
		dirty_ratio = unmapped_ratio / 2;
	if (dirty_ratio < 5)
		dirty_ratio = 5;
	if (bg_ratio >= dirty_ratio)
		bg_ratio = dirty_ratio / 2;
	*background = bg_ratio * available / 100;
	*dirty = dirty_ratio * available / 100;
}

/* Files in the order writeback visits them: oldest dirtied first. */
static size_t dirty_inodes(struct machine *m, struct kfile **out, size_t max,
			   uint64_t older_than)
{
	struct mm_state *s = m->mms;
	size_t n = 0;

	if (!s)
		return 0;
	for (unsigned id = 1; id < s->nr_file_ids && n < max; id++) {
		struct kfile *f = s->files[id];
		if (!f || f->shmem || !f->dirtied_when)
			continue;
		if (older_than && f->dirtied_when > older_than)
			continue;
		/* insertion by (dirtied_when, id) */
		size_t k = n++;
		while (k && out[k - 1]->dirtied_when > f->dirtied_when) {
			out[k] = out[k - 1];
			k--;
		}
		out[k] = f;
	}
	return n;
}

long writeback_inodes(struct machine *m, long nr, uint64_t older_than)
{
	struct mm_state *s = m->mms;
	long written = 0;

	if (!s || !s->nr_file_ids)
		return 0;
	struct kfile **list = xcalloc(s->nr_file_ids, sizeof *list);
	size_t n = dirty_inodes(m, list, s->nr_file_ids, older_than);
	for (size_t i = 0; i < n && (nr < 0 || written < nr); i++)
		written += write_cache_pages(m, list[i],
					     nr < 0 ? -1 : nr - written);
	free(list);
	return written;
}

static void congestion_wait_wb(struct machine *m)
{
	clock_sleep(m, KMEM_HZ / 10);
}

/* background_writeout(min_pages): down to the background threshold, and
 * at least min_pages (< 0: every dirty page). */
static void background_writeout(struct machine *m, long min_pages)
{
	struct reclaim_state *r = m->reclaim;
	long bg, dirty, total = 0;

	if (TRACING(m))
		trace_enter(m, "background_writeout", "min_pages %ld", min_pages);
	r->background_runs++;
	for (;;) {
		get_dirty_limits(m, &bg, &dirty);
		long nr_dirty = global_state(m, NR_FILE_DIRTY);
		if (nr_dirty < bg && min_pages <= 0)
			break;
		long w = writeback_inodes(m, MAX_WRITEBACK_PAGES, 0);
		total += w;
		min_pages -= w;
		if (w < MAX_WRITEBACK_PAGES)
			break;          /* wrote less than asked: nothing left */
	}
	if (TRACING(m))
		trace_exit(m, "%ld pages written", total);
}

void wakeup_pdflush(struct machine *m, unsigned long nr_pages)
{
	struct reclaim_state *r = m->reclaim;

	if (nr_pages == 0)
		nr_pages = (unsigned long)global_state(m, NR_FILE_DIRTY);
	if ((long)nr_pages > r->pdflush_pending)
		r->pdflush_pending = (long)nr_pages;
	r->background_pending = true;
	if (TRACING(m))
		trace_note(m, "wakeup_pdflush(%lu): background_writeout queued",
			   nr_pages);
}

void pdflush_run_pending(struct machine *m)
{
	struct reclaim_state *r = m->reclaim;

	if (!r || !r->background_pending)
		return;
	long n = r->pdflush_pending;
	r->background_pending = false;
	r->pdflush_pending = 0;
	background_writeout(m, n);
}

void balance_dirty_pages_ratelimited(struct machine *m, unsigned long nr)
{
	struct reclaim_state *r = m->reclaim;
	unsigned long limit = r->dirty_exceeded ? 8 : ratelimit_pages(m);
	unsigned long *p = &r->ratelimit_count[m->cur_cpu];
	long bg, dirty, reclaimable = 0;
	unsigned long written = 0;
	const unsigned long chunk = ratelimit_pages(m) + ratelimit_pages(m) / 2;

	*p += nr;
	if (*p < limit)
		return;
	*p = 0;
	if (TRACING(m))
		trace_enter(m, "balance_dirty_pages", "ratelimit %lu", limit);
	for (int loops = 0; loops < BALANCE_MAX_LOOPS; loops++) {
		get_dirty_limits(m, &bg, &dirty);
		reclaimable = global_state(m, NR_FILE_DIRTY);
		long wb = global_state(m, NR_WRITEBACK);
		if (reclaimable + wb <= dirty)
			break;
		if (!r->dirty_exceeded && TRACING(m))
			trace_note(m, "dirty %ld + writeback %ld > dirty_thresh "
				   "%ld: dirty_exceeded, the writer writes",
				   reclaimable, wb, dirty);
		r->dirty_exceeded = true;
		if (reclaimable) {
			written += (unsigned long)writeback_inodes(m,
						(long)(chunk - written), 0);
			get_dirty_limits(m, &bg, &dirty);
			reclaimable = global_state(m, NR_FILE_DIRTY);
			if (reclaimable + global_state(m, NR_WRITEBACK) <= dirty)
				break;
			if (written >= chunk)
				break;
		}
		r->throttled++;
		congestion_wait_wb(m);
	}
	get_dirty_limits(m, &bg, &dirty);
	if (reclaimable + global_state(m, NR_WRITEBACK) <= dirty &&
	    r->dirty_exceeded)
		r->dirty_exceeded = false;
	bool laptop = m->sysctl[SYSCTL_LAPTOP_MODE][0];
	if ((laptop && written) || (!laptop && reclaimable > bg)) {
		r->background_pending = true;
		if (TRACING(m))
			trace_note(m, "dirty %ld > background_thresh %ld: "
				   "pdflush background_writeout queued",
				   reclaimable, bg);
	}
	if (TRACING(m))
		trace_exit(m, "wrote %lu pages", written);
}

/* throttle_vm_writeout: reclaim waits while writeback is 10% over the
 * dirty limit.  Writes end within the reclaim batch that issued them,
 * so this only waits when a caller left many in flight. */
void throttle_vm_writeout(struct machine *m)
{
	long bg, dirty;

	for (int loops = 0; loops < BALANCE_MAX_LOOPS; loops++) {
		get_dirty_limits(m, &bg, &dirty);
		dirty += dirty / 10;
		if (global_state(m, NR_WRITEBACK) +
		    global_state(m, NR_UNSTABLE_NFS) <= dirty)
			break;
		congestion_wait_wb(m);
	}
}

/* wb_kupdate: inodes dirtied more than dirty_expire ago go to disk. */
static void wb_kupdate(struct machine *m, uint64_t now)
{
	uint64_t expire = (uint64_t)m->sysctl[SYSCTL_DIRTY_EXPIRE_CENTISECS][0] *
			  KMEM_HZ / 100;

	m->reclaim->wb_kupdate_runs++;
	if (now <= expire)
		return;
	long w = writeback_inodes(m, -1, now - expire);
	if (TRACING(m) && w)
		trace_note(m, "wb_kupdate: %ld pages of inodes dirtied before "
			   "jiffy %llu written", w,
			   (unsigned long long)(now - expire));
}

void writeback_tick(struct machine *m, uint64_t prev)
{
	struct reclaim_state *r = m->reclaim;
	uint64_t interval = (uint64_t)m->sysctl[SYSCTL_DIRTY_WRITEBACK_CENTISECS][0] *
			    KMEM_HZ / 100;

	(void)prev;
	if (!r)
		return;
	if (interval) {
		if (!r->next_kupdate)
			r->next_kupdate = interval;
		while (r->next_kupdate <= m->jiffies) {
			wb_kupdate(m, r->next_kupdate);
			timeline_sample_at(m, r->next_kupdate);
			uint64_t next = r->next_kupdate + interval;
			/* nothing dirty: skip the idle periods at once */
			if (!global_state(m, NR_FILE_DIRTY) && next <= m->jiffies)
				next = m->jiffies + interval -
				       (m->jiffies - r->next_kupdate) % interval;
			r->next_kupdate = next;
		}
	}
	pdflush_run_pending(m);
	kswapd_run_pending(m);
}

int kmem_sync(struct machine *m, unsigned long *written)
{
	if (TRACING(m))
		trace_enter(m, "sys_sync", "all dirty inodes");
	long w = writeback_inodes(m, -1, 0);
	blk_wait_until(m, blk_writes_done(m), "sync: wait for every write");
	if (written)
		*written = (unsigned long)w;
	if (TRACING(m))
		trace_exit(m, "%ld pages written", w);
	return 0;
}

void kmem_dirty_limits(struct machine *m, struct kmem_dirty_info *out)
{
	long bg, dirty;

	get_dirty_limits(m, &bg, &dirty);
	out->background_thresh = (unsigned long)bg;
	out->dirty_thresh = (unsigned long)dirty;
	out->nr_dirty = (unsigned long)global_state(m, NR_FILE_DIRTY);
	out->nr_writeback = (unsigned long)global_state(m, NR_WRITEBACK);
	out->ratelimit_pages = ratelimit_pages(m);
	out->dirty_exceeded = m->reclaim && m->reclaim->dirty_exceeded;
	out->throttled = m->reclaim ? m->reclaim->throttled : 0;
}

void set_page_dirty_balance(struct machine *m, struct page *p)
{
	bool was = PageFlag(p, PG_dirty);

	set_page_dirty(m, p);
	if (!was && mapping_file(m, p))
		balance_dirty_pages_ratelimited(m, 1);
}
