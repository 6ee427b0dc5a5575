/*
 * blkdev.c - the simulated disk: how long reads and writes take.
 *
 * One disk serves the page cache and every swap device.  It moves
 * `rate` MiB per second of simulated time (default 40, a 2007 desktop
 * disk); a page costs 1024000 / rate units of 2^-20 jiffy (HZ=250).  Two
 * queues, as the deadline and anticipatory elevators keep them:
 *
 *   reads   are served first: a read starts when the disk has finished
 *           the reads before it, and pushes the queued writes back by
 *           its own service time;
 *   writes  are served in submission order behind the reads.
 *
 * Time: the disk keeps its own clock in 2^-20 jiffy, and so does the
 * running command once it has waited: m->jiffies is the whole part of
 * that clock, so a 0.2 ms read does not cost a whole 4 ms jiffy, and a
 * run of them adds up as it should.
 *
 * Who waits (advances the clock to the completion, like io_schedule):
 *   read(2) and file faults     lock_page on the page they need, which
 *                               a read still in flight covers;
 *   swap-in (do_swap_page,      the same for the swap slot;
 *     swapoff's try_to_unuse)
 *   fsync                       filemap_fdatawait: the file's last write;
 *   sync                        every queued write.
 * pdflush, kswapd and direct reclaim only queue.
 *
 * Page state does not wait for the disk: a written page is clean and off
 * writeback when pageout returns, a read page uptodate at once.  The time
 * is charged to whoever must wait: a reader waits for the reads queued
 * before its own, an fsync or sync behind a queue full of pdflush's and
 * reclaim's writes waits for them too, which is what a user of the
 * machine would feel.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>

#include "mm.h"

#define UNITS_SHIFT 20                  /* 2^20 disk units a jiffy */
#define UNITS_PER_JIFFY (1ull << UNITS_SHIFT)
#define US_PER_JIFFY (1000000u / KMEM_HZ)
#define DEFAULT_RATE_MIBS 40u

struct blk_range {                      /* reads in flight */
	uint32_t dev;                   /* file id, or BLK_SWAP_DEV | type */
	uint32_t first, last;           /* index or slot range */
	uint64_t done;                  /* completion, disk units */
};

struct blk_queue {
	unsigned rate;                  /* MiB per second */
	uint64_t clock;                 /* where the last wait left the
					 * running command (units) */
	uint64_t read_tail, write_tail; /* when the queued work ends */
	struct blk_range *inflight;     /* sorted by done */
	size_t n, cap;
	unsigned plugged;               /* blk_plug depth */
	size_t plug_first;              /* first request of this plug */
	unsigned long pages_read, pages_written, read_requests, waits;
	uint64_t wait_units;            /* waited in all */
};

static struct blk_queue *bq(const struct machine *m)
{
	return m->blk;
}

void blk_init(struct machine *m)
{
	m->blk = xcalloc(1, sizeof *m->blk);
	m->blk->rate = DEFAULT_RATE_MIBS;
}

void blk_destroy(struct machine *m)
{
	if (!m->blk)
		return;
	free(m->blk->inflight);
	free(m->blk);
	m->blk = NULL;
}

/* Now, in disk units: the clock a wait left, or jiffies if time moved on
 * since (tick, congestion_wait). */
static uint64_t now_units(const struct machine *m)
{
	uint64_t j = m->jiffies << UNITS_SHIFT;

	return bq(m)->clock > j ? bq(m)->clock : j;
}

static uint64_t units_to_us(uint64_t u)
{
	return (u * US_PER_JIFFY) >> UNITS_SHIFT;
}

static uint64_t cost(const struct blk_queue *q, unsigned long pages)
{
	/* PAGE_SIZE * HZ * 2^20 / (rate << 20) = 1024000 / rate units a
	 * page, rounded up */
	return (uint64_t)pages * ((1024000u + q->rate - 1) / q->rate);
}

/* Forget the reads that have completed by now. */
static void prune(struct machine *m)
{
	struct blk_queue *q = bq(m);
	uint64_t now = now_units(m);
	size_t k = 0;

	while (k < q->n && q->inflight[k].done <= now)
		k++;
	if (!k)
		return;
	q->n -= k;
	for (size_t i = 0; i < q->n; i++)
		q->inflight[i] = q->inflight[i + k];
	q->plug_first = q->plug_first > k ? q->plug_first - k : 0;
}

void blk_submit_read(struct machine *m, unsigned dev, unsigned long index)
{
	struct blk_queue *q = bq(m);
	uint64_t now = now_units(m);
	uint64_t c = cost(q, 1);

	prune(m);
	uint64_t start = q->read_tail > now ? q->read_tail : now;
	q->read_tail = start + c;
	if (q->write_tail > now)        /* writes wait behind the read */
		q->write_tail += c;
	q->pages_read++;
	/* inside a plug, a contiguous run is one request: it completes
	 * whole */
	struct blk_range *t = q->plugged && q->n > q->plug_first ?
			      &q->inflight[q->n - 1] : NULL;
	if (t && t->dev == dev && t->last + 1 == index) {
		t->last = (uint32_t)index;
		t->done = q->read_tail;
		return;
	}
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 16;
		q->inflight = xrealloc(q->inflight, q->cap * sizeof *q->inflight);
	}
	q->inflight[q->n++] = (struct blk_range){
		dev, (uint32_t)index, (uint32_t)index, q->read_tail };
	q->read_requests++;
}

void blk_plug(struct machine *m)
{
	struct blk_queue *q = bq(m);

	if (!q->plugged++) {
		prune(m);
		q->plug_first = q->n;
	}
}

void blk_unplug(struct machine *m)
{
	struct blk_queue *q = bq(m);

	if (q->plugged)
		q->plugged--;
}

uint64_t blk_submit_write(struct machine *m)
{
	struct blk_queue *q = bq(m);
	uint64_t now = now_units(m);
	uint64_t start = q->write_tail > now ? q->write_tail : now;

	if (q->read_tail > start)
		start = q->read_tail;
	q->write_tail = start + cost(q, 1);
	q->pages_written++;
	return q->write_tail;
}

void blk_wait_until(struct machine *m, uint64_t done, const char *why)
{
	struct blk_queue *q = bq(m);
	uint64_t now = now_units(m);

	if (done <= now)
		return;
	uint64_t w = done - now;
	uint64_t us = units_to_us(w);
	if (TRACING(m))
		trace_note(m, "io_schedule: %s, %llu.%03llu ms", why,
			   (unsigned long long)(us / 1000),
			   (unsigned long long)(us % 1000));
	q->clock = done;
	q->waits++;
	q->wait_units += w;
	if (m->mms && m->mms->io)
		m->mms->io->wait_us += us;
	prune(m);
	if (done >> UNITS_SHIFT > m->jiffies)
		clock_sleep(m, (done >> UNITS_SHIFT) - m->jiffies);
}

void blk_wait_page(struct machine *m, unsigned dev, unsigned long index)
{
	struct blk_queue *q = bq(m);
	uint64_t done = 0;

	prune(m);
	for (size_t i = q->n; i-- > 0;)
		if (q->inflight[i].dev == dev && q->inflight[i].first <= index &&
		    index <= q->inflight[i].last) {
			done = q->inflight[i].done;
			break;
		}
	if (done)
		blk_wait_until(m, done, dev & BLK_SWAP_DEV ?
			       "lock_page: swap read in flight" :
			       "lock_page: read in flight");
}

void blk_forget_dev(struct machine *m, unsigned dev)
{
	struct blk_queue *q = bq(m);
	size_t k = 0;

	if (!q)
		return;
	for (size_t i = 0; i < q->n; i++) {
		if (q->inflight[i].dev == dev) {
			if (i < q->plug_first)
				q->plug_first--;
			continue;
		}
		q->inflight[k++] = q->inflight[i];
	}
	q->n = k;
}

uint64_t blk_writes_done(const struct machine *m)
{
	return bq(m)->write_tail;
}

void kmem_disk_info(const struct machine *m, struct kmem_disk_info *out)
{
	const struct blk_queue *q = bq(m);
	uint64_t now = now_units(m);
	size_t n = 0;

	out->rate_mibs = q->rate;
	out->pages_read = q->pages_read;
	out->pages_written = q->pages_written;
	out->read_requests = q->read_requests;
	out->waits = q->waits;
	out->wait_us = units_to_us(q->wait_units);
	out->read_backlog_us = q->read_tail > now ?
			       units_to_us(q->read_tail - now) : 0;
	out->write_backlog_us = q->write_tail > now ?
				units_to_us(q->write_tail - now) : 0;
	for (size_t i = 0; i < q->n; i++)
		if (q->inflight[i].done > now)
			n += q->inflight[i].last - q->inflight[i].first + 1u;
	out->reads_in_flight = n;
}

int kmem_disk_set_rate(struct machine *m, unsigned long mibs)
{
	if (mibs < 1 || mibs > KMEM_DISK_MAX_RATE)
		return set_error(m, -EINVAL, "disk: rate %lu MiB/s is out of "
				 "range [1, %u]", mibs, KMEM_DISK_MAX_RATE);
	bq(m)->rate = (unsigned)mibs;
	return 0;
}

bool blk_check(const struct machine *m, char *report, size_t len)
{
	const struct blk_queue *q = bq(m);

	if (!q)
		return true;
	for (size_t i = 0; i < q->n; i++) {
		const struct blk_range *r = &q->inflight[i];
		if (r->first > r->last || r->done > q->read_tail ||
		    (i && q->inflight[i - 1].done > r->done)) {
			if (len)
				snprintf(report, len, "blkdev: read request %zu "
					 "(dev %#x, %u-%u) is out of order",
					 i, r->dev, r->first, r->last);
			return false;
		}
	}
	if (q->clock >> UNITS_SHIFT > m->jiffies) {
		if (len)
			snprintf(report, len, "blkdev: the wait clock is ahead "
				 "of jiffies %llu",
				 (unsigned long long)m->jiffies);
		return false;
	}
	if (q->rate < 1 || q->rate > KMEM_DISK_MAX_RATE) {
		if (len)
			snprintf(report, len, "blkdev: rate %u out of range",
				 q->rate);
		return false;
	}
	return true;
}
