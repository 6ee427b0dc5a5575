/*
 * test_blkdev.c - the simulated disk (src/core/blkdev.c): who waits for
 * it and how long.
 *
 * The model under test: RATE MiB/s of simulated time (default 40), so a
 * page costs ceil(1024000 / RATE) units of 2^-20 jiffy at HZ=250; reads go
 * before queued writes; readers wait for the read that brings their
 * page, fsync for the file's writes, sync for every write; pdflush only
 * queues.  The expected waits below are computed from that model.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include "helpers.h"

#define PG 4096ULL
#define RW (KMEM_PROT_READ | KMEM_PROT_WRITE)
#define ANON_PRIV (KMEM_MAP_PRIVATE | KMEM_MAP_ANONYMOUS)

/* simulated microseconds n pages take at rate MiB/s on an idle disk */
static uint64_t model_us(unsigned long pages, unsigned rate)
{
	uint64_t units = pages * ((1024000u + rate - 1) / rate);

	return (units * 4000) >> 20;            /* 4000 us a jiffy at HZ=250 */
}

static struct kmem_disk_info disk(struct machine *m)
{
	struct kmem_disk_info d;

	kmem_disk_info(m, &d);
	return d;
}

static struct kmem_io_info read_ok(struct machine *m, const char *f,
				   uint64_t off, uint64_t len)
{
	struct kmem_io_info io;

	if (kmem_file_read(m, f, off, len, &io))
		fail_msg("read: %s", kmem_last_error(m));
	return io;
}

/* A first read waits for its readahead window; a read whose pages the
 * ahead window is still bringing waits for that; a read of pages that
 * have arrived does not. */
static void test_read_waits_for_its_page(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	assert_int_equal(kmem_file_create(m, "f", 1 << 20), 0);
	uint64_t t0 = minfo(m).jiffies;
	assert_int_equal(disk(m).rate_mibs, 40);

	struct kmem_io_info io = read_ok(m, "f", 0, 4 * PG);
	assert_true(io.read_io >= 4);
	assert_int_equal(io.wait_us, model_us(io.read_io, 40));
	/* under a jiffy (4 ms): the clock moved, jiffies did not */
	assert_true(io.wait_us < 4000);
	assert_int_equal(minfo(m).jiffies, t0);
	assert_int_equal(disk(m).wait_us, io.wait_us);
	struct kmem_disk_info d = disk(m);
	assert_int_equal(d.pages_read, io.read_io);
	assert_int_equal(d.read_requests, 1);    /* one contiguous run */
	assert_int_equal(d.reads_in_flight, 0);
	CHECK(m);

	/* the next sequential read starts the ahead window: those pages
	 * are in flight and nobody waits for them yet */
	io = read_ok(m, "f", 4 * PG, 4 * PG);
	assert_int_equal(io.wait_us, 0);
	assert_true(io.readahead > 0);
	d = disk(m);
	assert_int_equal(d.reads_in_flight, io.read_io);
	assert_int_equal(d.read_backlog_us, model_us(io.read_io, 40));
	CHECK(m);

	/* reading into the ahead window waits for the window */
	unsigned long inflight = d.reads_in_flight;
	io = read_ok(m, "f", 8 * PG, PG);
	assert_int_equal(io.wait_us, model_us(inflight, 40));
	/* ... and moved the window on: the new ahead pages are in flight */
	assert_int_equal(disk(m).reads_in_flight, io.read_io);

	/* time passes: everything has arrived, a re-read waits for nothing */
	assert_int_equal(kmem_tick(m, 100), 0);
	io = read_ok(m, "f", 0, 8 * PG);
	assert_int_equal(io.wait_us, 0);
	assert_int_equal(io.read_io, 0);
	assert_int_equal(disk(m).read_backlog_us, 0);
	assert_int_equal(disk(m).reads_in_flight, 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* fsync waits for the file's writes: n pages at the disk's rate. */
static void test_fsync_and_rate(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	struct kmem_io_info io;

	assert_int_equal(kmem_file_create(m, "f", 0), 0);
	assert_int_equal(kmem_file_write(m, "f", 0, 256 * PG, &io), 0);
	assert_int_equal(io.wait_us, 0);        /* whole pages: no read */
	uint64_t t0 = minfo(m).jiffies;
	assert_int_equal(kmem_file_fsync(m, "f", &io), 0);
	assert_int_equal(io.written, 256);
	assert_int_equal(io.wait_us, model_us(256, 40));     /* 25 ms */
	assert_int_equal(io.wait_us, 25000);
	assert_int_equal(minfo(m).jiffies, t0 + 6);           /* 6.25 */
	assert_int_equal(disk(m).pages_written, 256);
	assert_int_equal(disk(m).write_backlog_us, 0);

	/* bad rates change nothing */
	assert_int_equal(kmem_disk_set_rate(m, 0), -EINVAL);
	assert_int_equal(kmem_disk_set_rate(m, KMEM_DISK_MAX_RATE + 1), -EINVAL);
	assert_int_equal(disk(m).rate_mibs, 40);

	/* a slower disk: 10 MiB/s, four times as long */
	assert_int_equal(kmem_disk_set_rate(m, 10), 0);
	assert_int_equal(kmem_file_write(m, "f", 0, 256 * PG, NULL), 0);
	t0 = minfo(m).jiffies;
	assert_int_equal(kmem_file_fsync(m, "f", &io), 0);
	assert_int_equal(io.wait_us, model_us(256, 10));     /* 100 ms */
	assert_int_equal(io.wait_us, 100000);
	assert_int_equal(minfo(m).jiffies, t0 + 25);
	/* nothing dirty: fsync waits for nothing */
	assert_int_equal(kmem_file_fsync(m, "f", &io), 0);
	assert_int_equal(io.wait_us, 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* pdflush queues writes without anyone waiting; a read goes first;
 * sync waits for the queue. */
static void test_reads_before_writes(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	struct kmem_dirty_info dl;

	assert_int_equal(kmem_file_create(m, "r", 1 << 20), 0);
	assert_int_equal(kmem_file_create(m, "w", 0), 0);
	kmem_dirty_limits(m, &dl);
	uint64_t t0 = minfo(m).jiffies;
	assert_int_equal(kmem_file_write(m, "w", 0,
					 (dl.background_thresh + 512) * PG, NULL), 0);
	kmem_background(m);                     /* pdflush: background_writeout */
	struct kmem_disk_info d = disk(m);
	assert_true(d.pages_written > 0);
	assert_int_equal(d.write_backlog_us, model_us(d.pages_written, 40));
	assert_int_equal(minfo(m).jiffies, t0);  /* nobody waited */
	assert_int_equal(d.waits, 0);
	CHECK(m);

	/* the read does not queue behind the writes */
	struct kmem_io_info io = read_ok(m, "r", 0, 4 * PG);
	assert_int_equal(io.wait_us, model_us(io.read_io, 40));
	/* ... and the writes wait behind it: their backlog is unchanged
	 * although time moved on by the read's service time */
	assert_int_equal(disk(m).write_backlog_us, d.write_backlog_us);

	/* sync writes the rest and waits for every write */
	unsigned long written = 0;
	kmem_dirty_limits(m, &dl);
	unsigned long dirty = dl.nr_dirty;
	assert_int_equal(kmem_sync(m, &written), 0);
	assert_int_equal(written, dirty);
	d = disk(m);
	assert_int_equal(d.write_backlog_us, 0);
	/* everything the disk did, back to back from t0 */
	assert_int_equal(d.wait_us, model_us(d.pages_written + d.pages_read, 40));
	assert_int_equal(minfo(m).jiffies - t0, d.wait_us / 4000);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* A major fault on a swapped-out page waits for the readahead window's
 * read, ahead of the swap-out writes still queued. */
static void test_swapin_waits(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "prog");
	uint64_t a = map(m, pid, 0, 16 * PG, RW, ANON_PRIV, NULL);
	struct kmem_touch_info ti;
	struct kmem_fault_info fi;
	struct kmem_swapout_info so;

	assert_int_equal(kmem_touch(m, pid, a, 16 * PG, true, &ti), 0);
	assert_int_equal(kmem_swapon(m, "/swapfile", 1026 * PG, 0, false), 0);
	assert_int_equal(kmem_swapout(m, pid, a, 16 * PG, &so), 0);
	struct kmem_disk_info d = disk(m);
	assert_int_equal(d.pages_written, 16);
	assert_int_equal(d.write_backlog_us, model_us(16, 40));
	unsigned long pswpin = vmstat_value(m, "pswpin");

	assert_int_equal(kmem_fault(m, pid, a + 5 * PG, false, &fi), 0);
	assert_int_equal(fi.type, KMEM_FAULT_MAJOR);
	unsigned long read = vmstat_value(m, "pswpin") - pswpin;
	assert_true(read >= 1);
	/* the window's read goes ahead of the 16 queued writes */
	uint64_t dw = disk(m).wait_us - d.wait_us;      /* +-1: rounding */
	assert_true(dw + 1 >= model_us(read, 40) && dw <= model_us(read, 40) + 1);
	assert_int_equal(disk(m).read_requests, d.read_requests + 1);
	/* a neighbour in the same window: a swap-cache hit, no wait */
	uint64_t w = disk(m).wait_us;
	assert_int_equal(kmem_fault(m, pid, a + 4 * PG, false, &fi), 0);
	assert_int_equal(fi.type, KMEM_FAULT_MINOR);
	assert_int_equal(disk(m).wait_us, w);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* A removed file's reads in flight make nobody wait: the next file to
 * get its inode number has pages of its own at those indexes. */
static void test_forget_removed_file(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	struct kmem_io_info io;

	assert_int_equal(kmem_file_create(m, "a", 1 << 20), 0);
	read_ok(m, "a", 0, 4 * PG);
	io = read_ok(m, "a", 4 * PG, 4 * PG);   /* ahead window in flight */
	assert_true(disk(m).reads_in_flight > 0);
	assert_int_equal(kmem_file_rm(m, "a"), 0);
	assert_int_equal(disk(m).reads_in_flight, 0);
	assert_int_equal(kmem_file_create(m, "b", 0), 0);
	assert_int_equal(kmem_file_write(m, "b", 0, 64 * PG, NULL), 0);
	io = read_ok(m, "b", 8 * PG, PG);       /* cached by the write */
	assert_int_equal(io.read_io, 0);
	assert_int_equal(io.wait_us, 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_waits_for_its_page),
		cmocka_unit_test(test_fsync_and_rate),
		cmocka_unit_test(test_reads_before_writes),
		cmocka_unit_test(test_swapin_waits),
		cmocka_unit_test(test_forget_removed_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
