/*
 * timeline.c - a time series of global memory counters, one sample per
 * step of simulated time, for the dashboard and `show timeline`.
 *
 * Linux 2.6.20 has no such thing: people run `vmstat 1` or read
 * /proc/vmstat in a loop and subtract.  This file is that loop, run by
 * the engine itself on the simulated clock, so that what happens during
 * a long `tick` or inside one command that waits (congestion_wait) can
 * be seen as it unfolded and not only as a before/after difference.
 *
 *   jiffies:   0        25    50         1250     5000
 *              |boot    |cw   |cw        |kupdate |tick ends
 *   ring:     [s0]     [s1]  [s2]       [s3]     [s4]  ... newest
 *              ^ oldest held                        ^ head - 1
 *
 * A sample is taken where m->jiffies moves (kmem_tick, congestion_wait,
 * congestion_wait_wb, the allocator's retry wait, a wait for the
 * simulated disk that crosses a jiffy) and at every wb_kupdate run
 * inside a tick.  Levels (free, active, dirty ...) are read as they
 * are at the moment of sampling; events (pgalloc, pgscan ...) are kept
 * cumulative in the ring and turned into "since the previous sample"
 * when read.  Sampling twice at the same jiffies refreshes the newest
 * sample: it then shows the state as the engine last saw that moment.
 *
 * Known blur: a tick runs the object allocator's timers for the whole
 * interval before the writeback timers, so a sample stamped at a
 * wb_kupdate inside a tick already includes every cache_reap of that
 * tick.  The tick's final sample is exact.
 *
 * Invariants (timeline_check):
 *   - 1 <= n <= KMEM_TL_SAMPLES after boot; head < KMEM_TL_SAMPLES
 *   - stamps strictly increase from the oldest sample to the newest, and
 *     the newest is not in the future (<= m->jiffies)
 *   - cumulative events never decrease: base <= oldest <= ... <= newest
 *     <= the machine's counters now
 *   - taken >= n
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "swap.h"

/* One sample as stored: events are cumulative (since boot). */
struct tl_raw {
	uint64_t jiffies;                       /* stamp */
	unsigned long v[KMEM_TL_NR_ITEMS];      /* levels; cumulative events */
};

struct timeline {
	struct tl_raw ring[KMEM_TL_SAMPLES];    /* samples, oldest at
						   head - n (mod size) */
	size_t head;                            /* slot the next sample takes */
	size_t n;                               /* samples held */
	unsigned long taken;                    /* samples recorded since boot */
	unsigned long base[KMEM_TL_NR_ITEMS];   /* cumulative events of the
						   sample before the oldest
						   held (the boot sample's own
						   at first, so its deltas
						   are 0) */
};

static const struct kmem_tl_desc tl_items[KMEM_TL_NR_ITEMS] = {
	[KMEM_TL_FREE]       = { "free", false, "free pages (buddy lists)" },
	[KMEM_TL_ACTIVE]     = { "active", false, "pages on the active lists" },
	[KMEM_TL_INACTIVE]   = { "inactive", false,
				 "pages on the inactive lists" },
	[KMEM_TL_ANON]       = { "anon", false, "anonymous pages (nr_anon_pages)" },
	[KMEM_TL_FILE]       = { "file", false,
				 "page-cache pages (nr_file_pages)" },
	[KMEM_TL_MAPPED]     = { "mapped", false,
				 "page-cache pages mapped by tasks (nr_mapped)" },
	[KMEM_TL_DIRTY]      = { "dirty", false, "dirty page-cache pages (nr_dirty)" },
	[KMEM_TL_WRITEBACK]  = { "writeback", false,
				 "pages under writeback (nr_writeback)" },
	[KMEM_TL_SLAB]       = { "slab", false,
				 "slab pages, reclaimable and unreclaimable" },
	[KMEM_TL_SWAP]       = { "swap", false,
				 "swap slots in use (SwapTotal - SwapFree)" },
	[KMEM_TL_PGALLOC]    = { "pgalloc", true, "pages allocated, every zone" },
	[KMEM_TL_PGFREE]     = { "pgfree", true, "pages freed" },
	[KMEM_TL_PGFAULT]    = { "pgfault", true, "page faults" },
	[KMEM_TL_PGMAJFAULT] = { "pgmajfault", true,
				 "major faults (the page was read in)" },
	[KMEM_TL_PGSCAN]     = { "pgscan", true,
				 "pages scanned by kswapd and direct reclaim" },
	[KMEM_TL_PGSTEAL]    = { "pgsteal", true, "pages reclaimed" },
	[KMEM_TL_PGPGIN]     = { "pgpgin", true, "KiB read from disk" },
	[KMEM_TL_PGPGOUT]    = { "pgpgout", true, "KiB written to disk" },
	[KMEM_TL_PSWPIN]     = { "pswpin", true, "pages swapped in" },
	[KMEM_TL_PSWPOUT]    = { "pswpout", true, "pages swapped out" },
	[KMEM_TL_ALLOCSTALL] = { "allocstall", true,
				 "allocations that entered direct reclaim" },
};

const struct kmem_tl_desc *kmem_tl_items(void)
{
	return tl_items;
}

int kmem_tl_lookup(const char *name)
{
	for (int i = 0; i < KMEM_TL_NR_ITEMS; i++)
		if (!strcmp(tl_items[i].name, name))
			return i;
	return -1;
}

static unsigned long zone_events(const struct machine *m, int base)
{
	unsigned long sum = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		sum += m->vm_events[base + z];
	return sum;
}

/* The values now: levels as they are, events cumulative. */
static void read_now(const struct machine *m, unsigned long *v)
{
	unsigned long active = 0, inactive = 0;

	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			const struct zone *z = &m->nodes[nid].node_zones[i];
			active += z->nr_active;
			inactive += z->nr_inactive;
		}
	long swap_free = nr_swap_pages(m);
	unsigned long swap_total = total_swap_pages(m);

	v[KMEM_TL_FREE] = nr_free_pages(m);
	v[KMEM_TL_ACTIVE] = active;
	v[KMEM_TL_INACTIVE] = inactive;
	v[KMEM_TL_ANON] = global_page_state(m, NR_ANON_PAGES);
	v[KMEM_TL_FILE] = global_page_state(m, NR_FILE_PAGES);
	v[KMEM_TL_MAPPED] = global_page_state(m, NR_FILE_MAPPED);
	v[KMEM_TL_DIRTY] = global_page_state(m, NR_FILE_DIRTY);
	v[KMEM_TL_WRITEBACK] = global_page_state(m, NR_WRITEBACK);
	v[KMEM_TL_SLAB] = global_page_state(m, NR_SLAB_RECLAIMABLE) +
			  global_page_state(m, NR_SLAB_UNRECLAIMABLE);
	v[KMEM_TL_SWAP] = swap_free < 0 ? swap_total :
			  swap_total > (unsigned long)swap_free ?
			  swap_total - (unsigned long)swap_free : 0;
	v[KMEM_TL_PGALLOC] = zone_events(m, PGALLOC_BASE);
	v[KMEM_TL_PGFREE] = m->vm_events[PGFREE];
	v[KMEM_TL_PGFAULT] = m->vm_events[PGFAULT];
	v[KMEM_TL_PGMAJFAULT] = m->vm_events[PGMAJFAULT];
	v[KMEM_TL_PGSCAN] = zone_events(m, PGSCAN_KSWAPD_BASE) +
			    zone_events(m, PGSCAN_DIRECT_BASE);
	v[KMEM_TL_PGSTEAL] = zone_events(m, PGSTEAL_BASE);
	/* counted in 512-byte sectors, shown in KiB as /proc/vmstat does */
	v[KMEM_TL_PGPGIN] = m->vm_events[PGPGIN] / 2;
	v[KMEM_TL_PGPGOUT] = m->vm_events[PGPGOUT] / 2;
	v[KMEM_TL_PSWPIN] = m->vm_events[PSWPIN];
	v[KMEM_TL_PSWPOUT] = m->vm_events[PSWPOUT];
	v[KMEM_TL_ALLOCSTALL] = m->vm_events[ALLOCSTALL];
}

/* The i-th held sample, 0 = oldest. */
static const struct tl_raw *held(const struct timeline *tl, size_t i)
{
	return &tl->ring[(tl->head + KMEM_TL_SAMPLES - tl->n + i) %
			 KMEM_TL_SAMPLES];
}

void timeline_init(struct machine *m)
{
	struct timeline *tl = xcalloc(1, sizeof *tl);

	m->timeline = tl;
	read_now(m, tl->ring[0].v);
	tl->ring[0].jiffies = m->jiffies;
	for (int i = KMEM_TL_NR_LEVELS; i < KMEM_TL_NR_ITEMS; i++)
		tl->base[i] = tl->ring[0].v[i];
	tl->head = 1;
	tl->n = 1;
	tl->taken = 1;
}

void timeline_destroy(struct machine *m)
{
	free(m->timeline);
	m->timeline = NULL;
}

size_t timeline_host_bytes(const struct machine *m)
{
	return m->timeline ? sizeof *m->timeline : 0;
}

void timeline_sample_at(struct machine *m, uint64_t when)
{
	struct timeline *tl = m->timeline;

	if (!tl || when > m->jiffies)
		return;                 /* booting, or a stamp in the future */
	const struct tl_raw *newest = held(tl, tl->n - 1);
	if (when < newest->jiffies)
		return;                 /* an older moment: already covered */
	if (when == newest->jiffies) {
		size_t slot = (tl->head + KMEM_TL_SAMPLES - 1) % KMEM_TL_SAMPLES;
		read_now(m, tl->ring[slot].v);
		return;
	}
	if (tl->n == KMEM_TL_SAMPLES) {
		/* the oldest goes: its events become the next one's base */
		const struct tl_raw *oldest = held(tl, 0);
		for (int i = KMEM_TL_NR_LEVELS; i < KMEM_TL_NR_ITEMS; i++)
			tl->base[i] = oldest->v[i];
		tl->n--;
	}
	struct tl_raw *s = &tl->ring[tl->head];
	s->jiffies = when;
	read_now(m, s->v);
	tl->head = (tl->head + 1) % KMEM_TL_SAMPLES;
	tl->n++;
	tl->taken++;
}

void timeline_sample(struct machine *m)
{
	timeline_sample_at(m, m->jiffies);
}

size_t kmem_timeline(const struct machine *m, struct kmem_tl_sample *out,
		     size_t max, unsigned long *taken)
{
	const struct timeline *tl = m->timeline;

	if (taken)
		*taken = tl ? tl->taken : 0;
	if (!tl)
		return 0;
	size_t want = max < tl->n ? max : tl->n;
	size_t first = tl->n - want;
	for (size_t k = 0; k < want; k++) {
		const struct tl_raw *r = held(tl, first + k);
		const unsigned long *prev = first + k ? held(tl, first + k - 1)->v :
						       tl->base;
		out[k].jiffies = r->jiffies;
		for (int i = 0; i < KMEM_TL_NR_ITEMS; i++)
			out[k].v[i] = i < KMEM_TL_NR_LEVELS ? r->v[i] :
				      r->v[i] - prev[i];
	}
	return tl->n;
}

bool timeline_check(const struct machine *m, char *report, size_t len)
{
	const struct timeline *tl = m->timeline;
	unsigned long now[KMEM_TL_NR_ITEMS];

	if (!tl)
		return true;
	if (tl->n < 1 || tl->n > KMEM_TL_SAMPLES || tl->head >= KMEM_TL_SAMPLES ||
	    tl->taken < tl->n) {
		snprintf(report, len, "timeline: %zu samples held, head %zu, "
			 "%lu taken (capacity %d)", tl->n, tl->head, tl->taken,
			 KMEM_TL_SAMPLES);
		return false;
	}
	read_now(m, now);
	for (size_t k = 0; k < tl->n; k++) {
		const struct tl_raw *r = held(tl, k);
		const struct tl_raw *p = k ? held(tl, k - 1) : NULL;
		if (p && r->jiffies <= p->jiffies) {
			snprintf(report, len, "timeline: sample %zu at jiffies %llu "
				 "does not follow sample %zu at %llu", k,
				 (unsigned long long)r->jiffies, k - 1,
				 (unsigned long long)p->jiffies);
			return false;
		}
		for (int i = KMEM_TL_NR_LEVELS; i < KMEM_TL_NR_ITEMS; i++) {
			unsigned long before = p ? p->v[i] : tl->base[i];
			if (r->v[i] < before) {
				snprintf(report, len, "timeline: %s went back from "
					 "%lu to %lu at jiffies %llu",
					 tl_items[i].name, before, r->v[i],
					 (unsigned long long)r->jiffies);
				return false;
			}
		}
	}
	const struct tl_raw *newest = held(tl, tl->n - 1);
	if (newest->jiffies > m->jiffies) {
		snprintf(report, len, "timeline: newest sample at jiffies %llu is "
			 "after the clock (%llu)",
			 (unsigned long long)newest->jiffies,
			 (unsigned long long)m->jiffies);
		return false;
	}
	for (int i = KMEM_TL_NR_LEVELS; i < KMEM_TL_NR_ITEMS; i++)
		if (newest->v[i] > now[i]) {
			snprintf(report, len, "timeline: %s of the newest sample "
				 "(%lu) is above the counter now (%lu)",
				 tl_items[i].name, newest->v[i], now[i]);
			return false;
		}
	return true;
}
