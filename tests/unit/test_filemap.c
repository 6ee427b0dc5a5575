/*
 * test_filemap.c - simulated files and the page cache: the radix tree,
 * do_generic_mapping_read with 2.6.20's readahead windows, buffered
 * writes, fsync, unlink of a mapped file (linux-2.6.20-mm.md §12.1-12.3,
 * §13.4 for Cached/Dirty, §13.2 for pgpgin/pgpgout in KiB).
 *
 * Readahead numbers are get_init_ra_size / get_next_ra_size of §12.3 with
 * max = 32 pages, min = 4: a first read of 1-2 pages gets a 4-page window,
 * 3-4 pages 8, 5-8 pages 16, more than 8 pages 32.  (The kernel's comment
 * above get_init_ra_size, "1-8 page = 32k initial", predates the code.)
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include "helpers.h"

#define PG 4096ULL

static unsigned long meminfo(struct machine *m, const char *name)
{
	struct kmem_stat_item it[48];
	size_t n = kmem_meminfo_items(m, it, 48);

	for (size_t i = 0; i < n && i < 48; i++)
		if (!strcmp(it[i].name, name))
			return it[i].value;
	fail_msg("meminfo has no %s", name);
	return 0;
}

static struct kmem_file_info finfo(struct machine *m, const char *name)
{
	struct kmem_file_info f;

	if (kmem_file_info(m, name, &f))
		fail_msg("file %s: %s", name, kmem_last_error(m));
	return f;
}

static struct kmem_io_info rd(struct machine *m, const char *name,
			      uint64_t off, uint64_t len)
{
	struct kmem_io_info io;

	if (kmem_file_read(m, name, off, len, &io))
		fail_msg("read %s: %s", name, kmem_last_error(m));
	return io;
}

static struct kmem_io_info wr(struct machine *m, const char *name,
			      uint64_t off, uint64_t len)
{
	struct kmem_io_info io;

	if (kmem_file_write(m, name, off, len, &io))
		fail_msg("write %s: %s", name, kmem_last_error(m));
	return io;
}

#define RA(m, name, s, sz, as, asz) do { \
	struct kmem_file_info f_ = finfo((m), (name)); \
	assert_int_equal(f_.ra.start, (s)); \
	assert_int_equal(f_.ra.size, (sz)); \
	assert_int_equal(f_.ra.ahead_start, (as)); \
	assert_int_equal(f_.ra.ahead_size, (asz)); \
} while (0)

/* ------------------------------------------------------------------ */

/* A reader going page by page: the current window, then the ahead
 * window submitted when it is entered, doubling (x4 below max/16) up to
 * 32 pages. */
static void test_readahead_sequential(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	assert_int_equal(kmem_file_create(m, "big", 256 * PG), 0);
	unsigned long pgpgin = vmstat_value(m, "pgpgin");
	struct kmem_file_info f = finfo(m, "big");
	assert_int_equal(f.ra.ra_pages, 32);
	assert_int_equal(f.ra.prev_page, -1);

	struct kmem_io_info io = rd(m, "big", 0, PG);
	assert_int_equal(io.readahead, 4);
	assert_int_equal(io.read_io, 4);
	assert_int_equal(io.hits, 1);                   /* read ahead first */
	assert_int_equal(io.misses, 0);
	assert_int_equal(io.bytes, PG);
	RA(m, "big", 0, 4, 0, 0);
	io = rd(m, "big", PG, PG);                      /* sequential */
	assert_int_equal(io.readahead, 8);
	RA(m, "big", 0, 4, 4, 8);
	assert_int_equal(rd(m, "big", 2 * PG, PG).readahead, 0);
	assert_int_equal(rd(m, "big", 3 * PG, PG).readahead, 0);
	io = rd(m, "big", 4 * PG, PG);                  /* into the ahead window */
	assert_int_equal(io.readahead, 16);
	RA(m, "big", 4, 8, 12, 16);
	for (unsigned p = 5; p < 12; p++)
		assert_int_equal(rd(m, "big", p * PG, PG).read_io, 0);
	assert_int_equal(rd(m, "big", 12 * PG, PG).readahead, 32);
	RA(m, "big", 12, 16, 28, 32);
	for (unsigned p = 13; p < 28; p++)
		rd(m, "big", p * PG, PG);
	assert_int_equal(rd(m, "big", 28 * PG, PG).readahead, 32);
	RA(m, "big", 28, 32, 60, 32);                   /* capped at max */
	f = finfo(m, "big");
	assert_int_equal(f.nrpages, 4 + 8 + 16 + 32 + 32);
	assert_int_equal(f.ra.prev_page, 28);
	assert_int_equal(vmstat_value(m, "pgpgin"), pgpgin + 92 * 4);
	assert_int_equal(meminfo(m, "Cached"), 92 * 4);
	assert_int_equal(vmstat_value(m, "nr_file_pages"), 92);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* get_init_ra_size for a first read of r pages at offset 0. */
static void test_readahead_initial_window(void **state)
{
	(void)state;
	static const struct { unsigned r, window, cached; } t[] = {
		{ 1, 4, 4 }, { 2, 4, 4 }, { 3, 8, 8 }, { 4, 8, 8 }, { 5, 16, 16 },
		{ 8, 16, 16 }, { 9, 32, 32 }, { 16, 32, 32 },
		{ 32, 32, 64 },         /* req >= max: the ahead window too */
	};
	struct machine *m = boot_i386();
	for (size_t i = 0; i < ARRAY_LEN(t); i++) {
		char name[16];
		snprintf(name, sizeof name, "f%zu", i);
		assert_int_equal(kmem_file_create(m, name, 256 * PG), 0);
		struct kmem_io_info io = rd(m, name, 0, t[i].r * PG);
		struct kmem_file_info f = finfo(m, name);
		assert_int_equal(f.ra.size, t[i].window);
		assert_int_equal(f.nrpages, t[i].cached);
		assert_int_equal(io.readahead, t[i].cached);
		assert_int_equal(io.pages, t[i].r);
	}
	/* a sub-page read of the last bytes: the window stops at EOF */
	assert_int_equal(kmem_file_create(m, "tiny", 100), 0);
	struct kmem_io_info io = rd(m, "tiny", 50, 1000);
	assert_int_equal(io.bytes, 50);
	assert_int_equal(finfo(m, "tiny").nrpages, 1);
	io = rd(m, "tiny", 100, 10);                    /* at EOF */
	assert_int_equal(io.bytes, 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* A jump switches readahead off (ra_off) and reads only the request; the
 * next sequential read starts a fresh initial window. */
static void test_readahead_random(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	assert_int_equal(kmem_file_create(m, "db", 256 * PG), 0);
	rd(m, "db", 0, PG);
	struct kmem_io_info io = rd(m, "db", 100 * PG, PG);
	assert_int_equal(io.readahead, 1);
	RA(m, "db", 0, 0, 0, 0);
	io = rd(m, "db", 101 * PG, PG);
	assert_int_equal(io.readahead, 4);
	RA(m, "db", 101, 4, 0, 0);
	/* reading the same page again is no new request */
	io = rd(m, "db", 101 * PG + 10, 10);
	assert_int_equal(io.readahead, 0);
	assert_int_equal(io.hits, 1);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* VM_MAX_CACHE_HIT: once 256 pages of readahead found everything cached,
 * RA_FLAG_INCACHE stops readahead until a miss. */
static void test_readahead_incache(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	assert_int_equal(kmem_file_create(m, "c", 768 * PG), 0);
	for (unsigned p = 0; p < 512; p += 16)
		rd(m, "c", p * PG, 16 * PG);
	unsigned long cached = finfo(m, "c").nrpages;
	assert_true(cached >= 512);
	assert_false(finfo(m, "c").ra.incache);
	unsigned long read_io = 0, hits = 0, misses = 0;
	for (unsigned p = 0; p < 512; p += 16) {
		struct kmem_io_info io = rd(m, "c", p * PG, 16 * PG);
		read_io += io.read_io;
		hits += io.hits;
		misses += io.misses;
	}
	assert_int_equal(read_io, 0);
	assert_int_equal(hits, 512);
	assert_int_equal(misses, 0);
	struct kmem_file_info f = finfo(m, "c");
	assert_true(f.ra.incache);
	assert_int_equal(f.nrpages, cached);
	/* a miss: no readahead (still INCACHE), the page alone is read,
	 * and handle_ra_miss clears the flag */
	struct kmem_io_info io = rd(m, "c", 700 * PG, PG);
	assert_int_equal(io.misses, 1);
	assert_int_equal(io.read_io, 1);
	assert_int_equal(io.readahead, 0);
	f = finfo(m, "c");
	assert_false(f.ra.incache);
	assert_true(f.ra.miss);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Buffered writes: new pages past EOF need no read, a partial write
 * inside i_size reads the block first; fsync writes every dirty page. */
static void test_write_and_fsync(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	assert_int_equal(kmem_file_create(m, "w", 0), 0);
	unsigned long pgpgin = vmstat_value(m, "pgpgin");
	struct kmem_io_info io = wr(m, "w", 0, 3 * PG);
	assert_int_equal(io.pages, 3);
	assert_int_equal(io.misses, 3);
	assert_int_equal(io.dirtied, 3);
	assert_int_equal(io.read_io, 0);
	assert_int_equal(finfo(m, "w").size, 3 * PG);
	assert_int_equal(meminfo(m, "Dirty"), 12);
	assert_int_equal(vmstat_value(m, "nr_dirty"), 3);
	assert_int_equal(meminfo(m, "Cached"), 12);
	/* a sparse write past EOF */
	io = wr(m, "w", 5 * PG + 10, 100);
	assert_int_equal(io.read_io, 0);
	assert_int_equal(finfo(m, "w").size, 5 * PG + 110);
	assert_int_equal(finfo(m, "w").nrdirty, 4);
	/* a partial write inside an existing, uncached file */
	assert_int_equal(kmem_file_create(m, "r", 8 * PG), 0);
	io = wr(m, "r", 2 * PG + 10, 100);
	assert_int_equal(io.read_io, 1);
	assert_int_equal(vmstat_value(m, "pgpgin"), pgpgin + 4);
	io = wr(m, "r", 3 * PG, PG);                    /* whole page */
	assert_int_equal(io.read_io, 0);
	assert_int_equal(finfo(m, "r").size, 8 * PG);   /* unchanged */
	/* rewriting a dirty page dirties nothing new */
	assert_int_equal(wr(m, "r", 3 * PG, 10).dirtied, 0);
	assert_int_equal(meminfo(m, "Dirty"), 24);

	unsigned long pgpgout = vmstat_value(m, "pgpgout");
	assert_int_equal(kmem_file_fsync(m, "w", &io), 0);
	assert_int_equal(io.written, 4);
	assert_int_equal(vmstat_value(m, "pgpgout"), pgpgout + 16);
	assert_int_equal(meminfo(m, "Dirty"), 8);
	assert_int_equal(finfo(m, "w").nrdirty, 0);
	assert_int_equal(kmem_file_fsync(m, "w", &io), 0);
	assert_int_equal(io.written, 0);
	assert_int_equal(wr(m, "w", 0, 1).dirtied, 1);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* The radix tree: height 0 holds index 0 alone; it grows a level per 6
 * bits of index, one radix_tree_node object per node. */
static void test_radix_tree_shape(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	assert_int_equal(kmem_file_create(m, "t", 0), 0);
	int id = kmem_cache_lookup(m, "radix_tree_node");
	assert_true(id >= 0);
	struct kmem_cache_info ci;
	assert_int_equal(kmem_cache_info(m, id, &ci), 0);
	assert_int_equal(ci.object_size, 288);
	static const struct { unsigned long index; unsigned height;
		size_t nodes; } t[] = {
		{ 0, 0, 0 }, { 1, 1, 1 }, { 64, 2, 3 }, { 4096, 3, 6 },
		{ 4097, 3, 6 }, { 262144 + 5, 4, 10 },
	};
	for (size_t i = 0; i < ARRAY_LEN(t); i++) {
		wr(m, "t", t[i].index * PG, 1);
		struct kmem_file_info f = finfo(m, "t");
		assert_int_equal(f.radix_height, t[i].height);
		assert_int_equal(f.radix_nodes, t[i].nodes);
		assert_int_equal(f.nrpages, i + 1);
	}
	unsigned long idx[8], pfn[8];
	assert_int_equal(kmem_file_pages(m, "t", idx, pfn, 8), 6);
	static const unsigned long want[] = { 0, 1, 64, 4096, 4097, 262149 };
	for (int i = 0; i < 6; i++)
		assert_int_equal(idx[i], want[i]);
	struct kmem_page_rmap r;
	kmem_lru_add_drain(m, false);
	assert_int_equal(kmem_page_rmap(m, pfn[3], &r, NULL, 0), 0);
	assert_int_equal(r.kind, KMEM_PAGE_KIND_FILE);
	assert_int_equal(r.index, 4096);
	assert_int_equal(r.count, 1);
	CHECK(m);
	unsigned long before = meminfo(m, "Cached");
	assert_int_equal(kmem_file_rm(m, "t"), 0);
	assert_int_equal(meminfo(m, "Cached"), before - 24);
	assert_int_equal(meminfo(m, "Dirty"), 0);
	struct kmem_file_info f;
	assert_int_equal(kmem_file_info(m, "t", &f), -ENOENT);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Errors leave the machine unchanged. */
static void test_file_errors(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	assert_int_equal(kmem_file_create(m, "a", PG), 0);
	char *before = machine_snapshot(m, true);
	struct kmem_io_info io;
	assert_int_equal(kmem_file_create(m, "a", PG), -EEXIST);
	assert_int_equal(kmem_file_create(m, "", PG), -EINVAL);
	assert_int_equal(kmem_file_create(m, "a b", PG), -EINVAL);
	assert_int_equal(kmem_file_create(m, "huge", 1ULL << 50), -EFBIG);
	assert_int_equal(kmem_file_rm(m, "nosuch"), -ENOENT);
	assert_int_equal(kmem_file_read(m, "nosuch", 0, 1, &io), -ENOENT);
	assert_int_equal(kmem_file_write(m, "nosuch", 0, 1, &io), -ENOENT);
	assert_int_equal(kmem_file_fsync(m, "nosuch", &io), -ENOENT);
	assert_int_equal(kmem_file_write(m, "a", 1ULL << 44, 1, &io), -EFBIG);
	char *after = machine_snapshot(m, true);
	ASSERT_SAME_TEXT(before, after, "machine after refused file ops");
	free(before);
	free(after);
	struct kmem_file_info list[4];
	assert_int_equal(kmem_file_list(m, list, 4), 1);
	assert_string_equal(list[0].name, "a");
	assert_int_equal(list[0].ino, 12);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* read() and mmap share the page cache; an unlinked file lives on while
 * mapped, "(deleted)"; a running executable cannot be written. */
static void test_mapped_files(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid;
	assert_int_equal(kmem_spawn(m, "bash", &pid), 0);
	assert_int_equal(kmem_file_create(m, "s", 4 * PG), 0);
	rd(m, "s", 0, PG);
	unsigned long idx[4], pfn[4];
	assert_int_equal(kmem_file_pages(m, "s", idx, pfn, 4), 4);
	uint64_t a;
	assert_int_equal(kmem_mmap(m, pid, 0, 4 * PG, KMEM_PROT_READ,
				   KMEM_MAP_SHARED, "s", 0, &a), 0);
	struct kmem_fault_info fi;
	assert_int_equal(kmem_fault(m, pid, a, false, &fi), 0);
	assert_int_equal(fi.type, KMEM_FAULT_MINOR);
	assert_int_equal(fi.pfn, pfn[0]);
	assert_int_equal(meminfo(m, "Mapped"), 4);

	assert_int_equal(kmem_file_rm(m, "s"), 0);
	char *maps = proc_text(m, "2/maps");
	assert_non_null(strstr(maps, " /s (deleted)\n"));
	free(maps);
	struct kmem_file_info list[8];
	size_t n = kmem_file_list(m, list, 8);
	assert_true(n >= 1);
	assert_string_equal(list[n - 1].name, "s");    /* deleted ones last */
	assert_true(list[n - 1].deleted);
	/* the name is free again */
	assert_int_equal(kmem_file_create(m, "s", PG), 0);
	unsigned long cached = meminfo(m, "Cached");
	assert_int_equal(kmem_munmap(m, pid, a, 4 * PG), 0);
	assert_int_equal(meminfo(m, "Cached"), cached - 16);
	assert_int_equal(meminfo(m, "Mapped"), 0);
	CHECK(m);
	/* /bin/bash is mapped MAP_DENYWRITE while bash runs */
	assert_int_equal(kmem_file_write(m, "/bin/bash", 0, 1, NULL), -ETXTBSY);
	assert_int_equal(kmem_exit(m, pid), 0);
	assert_int_equal(kmem_file_write(m, "/bin/bash", 0, 1, NULL), 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* filemap_nopage: read-around centred on the fault, and MMAP_LOTSAMISS:
 * after 100 more misses than hits, a miss reads one page, and is minor. */
static void test_mmap_readaround(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid;
	assert_int_equal(kmem_spawn(m, "db", &pid), 0);
	assert_int_equal(kmem_file_create(m, "idx", 16384 * PG), 0);
	uint64_t a;
	assert_int_equal(kmem_mmap(m, pid, 0, 16384 * PG, KMEM_PROT_READ,
				   KMEM_MAP_PRIVATE, "idx", 0, &a), 0);
	struct kmem_fault_info fi;
	assert_int_equal(kmem_fault(m, pid, a + 100 * PG, false, &fi), 0);
	assert_int_equal(fi.type, KMEM_FAULT_MAJOR);
	unsigned long idx[40];
	assert_int_equal(kmem_file_pages(m, "idx", idx, NULL, 40), 32);
	assert_int_equal(idx[0], 84);                   /* 100 - 32/2 */
	assert_int_equal(idx[31], 115);
	for (unsigned i = 1; i < 100; i++)
		assert_int_equal(kmem_fault(m, pid, a + (100 + 64ULL * i) * PG,
					    false, &fi), 0);
	struct kmem_file_info f = finfo(m, "idx");
	assert_int_equal(f.ra.mmap_miss, 100);
	assert_int_equal(f.ra.mmap_hit, 0);
	assert_int_equal(f.nrpages, 100 * 32);
	/* the 101st miss: 101 > 0 + MMAP_LOTSAMISS, one page, minor; and
	 * since it did no read-around, the retry counts as an mmap hit */
	unsigned long majflt = vmstat_value(m, "pgmajfault");
	assert_int_equal(kmem_fault(m, pid, a + 9000 * PG, false, &fi), 0);
	assert_int_equal(fi.type, KMEM_FAULT_MINOR);
	f = finfo(m, "idx");
	assert_int_equal(f.nrpages, 100 * 32 + 1);
	assert_int_equal(f.ra.mmap_miss, 101);
	assert_int_equal(f.ra.mmap_hit, 1);
	assert_int_equal(vmstat_value(m, "pgmajfault"), majflt);
	struct kmem_task_info t;
	assert_int_equal(kmem_task_info(m, pid, &t), 0);
	assert_int_equal(t.maj_flt, 100);
	assert_int_equal(t.min_flt, 1);
	CHECK(m);
	kmem_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readahead_sequential),
		cmocka_unit_test(test_readahead_initial_window),
		cmocka_unit_test(test_readahead_random),
		cmocka_unit_test(test_readahead_incache),
		cmocka_unit_test(test_write_and_fsync),
		cmocka_unit_test(test_radix_tree_shape),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_mapped_files),
		cmocka_unit_test(test_mmap_readaround),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
