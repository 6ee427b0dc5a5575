/*
 * vmscan.h - what reclaim (vmscan.c) and writeback (page-writeback.c)
 * share with each other and with the subsystems that feed them.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#ifndef KMEM_VMSCAN_H
#define KMEM_VMSCAN_H

#include "mm.h"

#define MAX_SHRINKERS  8
#define SHRINK_BATCH   128
#define DEFAULT_SEEKS  2

/* struct shrinker: shrink(m, 0, gfp) returns the object count;
 * shrink(m, n, gfp) scans n objects and returns the count left, or -1. */
struct shrinker {
	const char *name;
	int seeks;
	long nr;                        /* objects owed a scan */
	long (*shrink)(struct machine *m, long nr_to_scan, gfp_t gfp);
};

struct reclaim_state {
	struct shrinker shrinkers[MAX_SHRINKERS];
	unsigned nr_shrinkers;
	unsigned long reclaimed_slab;   /* pages shrinkers gave back */
	unsigned long kswapd_runs;      /* balance_pgdat calls */
	unsigned long direct_runs;      /* try_to_free_pages calls */
	unsigned long congestion_waits;
	/* writeback (page-writeback.c) */
	long pdflush_pending;           /* pages asked of pdflush; -1: all */
	bool background_pending;        /* background_writeout owed */
	uint64_t next_kupdate;          /* jiffies of the next wb_kupdate */
	unsigned long ratelimit_count[KMEM_MAX_CPUS]; /* dirtied per CPU */
	bool dirty_exceeded;
	unsigned long throttled;        /* balance_dirty_pages waits */
	unsigned long wb_kupdate_runs, background_runs;
	bool kswapd_on_tick;            /* kswapd waits for `tick` */
	unsigned long last_reclaimed;   /* by the last try_to_free_pages */
};

/* vmscan.c */
void vmscan_init(struct machine *m);
void vmscan_destroy(struct machine *m);
void register_shrinker(struct machine *m, const char *name, int seeks,
		       long (*shrink)(struct machine *, long, gfp_t));
unsigned long kswapd(struct machine *m, int nid);

/* dcache.c */
void dcache_init(struct machine *m);
void dcache_destroy(struct machine *m);
bool dcache_check(struct machine *m, char *report, size_t len);
unsigned long drop_slab(struct machine *m);

/* page-writeback.c */
void throttle_vm_writeout(struct machine *m);
void wakeup_pdflush(struct machine *m, unsigned long nr_pages);
void pdflush_run_pending(struct machine *m);
void writeback_tick(struct machine *m, uint64_t prev_jiffies);
void balance_dirty_pages_ratelimited(struct machine *m, unsigned long nr);
void get_dirty_limits(struct machine *m, long *background, long *dirty);
/* Write back up to nr dirty pages (nr < 0: all), oldest inode first;
 * returns the pages written. */
long writeback_inodes(struct machine *m, long nr, uint64_t older_than);

/* filemap.c: a page-cache page to disk.  wait: complete the I/O now
 * (fsync, pdflush); otherwise the caller calls end_page_writeback.
 * 0 = written, -1 = nothing to write. */
int file_writepage(struct machine *m, struct page *p, bool wait);
bool file_has_dirty(const struct kfile *f);
long write_cache_pages(struct machine *m, struct kfile *f, long nr);

#endif /* KMEM_VMSCAN_H */
