/*
 * test_vmscan.c - the LRU lists (mm/swap.c), reclaim (mm/vmscan.c) and
 * dirty throttling (mm/page-writeback.c): linux-2.6.20-mm.md §8, §12.4.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kmem.h"
#include "helpers.h"

#define PG 4096ULL
#define PG_referenced 2
#define PG_dirty      4
#define PG_lru        5
#define PG_active     6
#define RW (KMEM_PROT_READ | KMEM_PROT_WRITE)
#define ANON_PRIV (KMEM_MAP_PRIVATE | KMEM_MAP_ANONYMOUS)

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

static bool flag(struct machine *m, unsigned long pfn, unsigned bit)
{
	return (pinfo(m, pfn).flags >> bit) & 1u;
}

static unsigned long file_pfn(struct machine *m, const char *name,
			      unsigned long index)
{
	unsigned long idx[64], pfn[64];
	size_t n = kmem_file_pages(m, name, idx, pfn, 64);

	for (size_t i = 0; i < n && i < 64; i++)
		if (idx[i] == index)
			return pfn[i];
	fail_msg("%s: index %lu not cached", name, index);
	return 0;
}

static struct kmem_lru_info lru(struct machine *m, int zone)
{
	struct kmem_lru_info l;

	assert_int_equal(kmem_zone_lru(m, 0, zone, &l), 0);
	return l;
}

/* Pages wait in the pagevec (14) and join the list head when it fills;
 * list order is newest first. */
static void test_pagevec_batches(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "a");
	uint64_t a = map(m, pid, 0, 20 * PG, RW, ANON_PRIV, NULL);
	struct kmem_fault_info fi;

	assert_int_equal(kmem_fault(m, pid, a, true, &fi), 0);
	int zone = pinfo(m, fi.pfn).zone_idx;   /* HighMem: GFP_HIGHUSER */
	kmem_lru_add_drain(m, false);
	struct kmem_lru_info before = lru(m, zone);
	unsigned long last = 0;
	for (int i = 1; i < 14; i++) {
		assert_int_equal(kmem_fault(m, pid, a + i * PG, true, &fi), 0);
		last = fi.pfn;
	}
	struct kmem_lru_info l = lru(m, zone);
	assert_int_equal(l.nr_active, before.nr_active);
	assert_int_equal(l.pvec_active, 13);
	assert_false(flag(m, last, PG_lru));
	CHECK(m);
	assert_int_equal(kmem_fault(m, pid, a + 14 * PG, true, &fi), 0);
	l = lru(m, zone);
	assert_int_equal(l.pvec_active, 0);
	assert_int_equal(l.nr_active, before.nr_active + 14);
	/* the newest page is at the head, active, on the LRU */
	unsigned long head;
	assert_int_equal(kmem_zone_lru_pfns(m, 0, zone, true, &head, 1),
			 l.nr_active);
	assert_int_equal(head, fi.pfn);
	assert_true(flag(m, head, PG_lru));
	assert_true(flag(m, head, PG_active));
	CHECK(m);
	kmem_machine_destroy(m);
}

/* mark_page_accessed through read(2): inactive,unref -> inactive,ref ->
 * active,unref -> active,ref (§8.3).  Generic read marks a page only when
 * it is not the page the previous read ended in. */
static void test_mark_page_accessed(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	assert_int_equal(kmem_file_create(m, "f", 16 * PG), 0);
	assert_int_equal(kmem_file_read(m, "f", 0, PG, NULL), 0);
	kmem_lru_add_drain(m, false);
	unsigned long p = file_pfn(m, "f", 0);
	assert_true(flag(m, p, PG_lru));
	assert_false(flag(m, p, PG_active));
	assert_true(flag(m, p, PG_referenced));         /* first read */
	assert_int_equal(kmem_file_read(m, "f", 8 * PG, PG, NULL), 0);
	assert_int_equal(kmem_file_read(m, "f", 0, PG, NULL), 0);
	assert_true(flag(m, p, PG_active));             /* ref -> active */
	assert_false(flag(m, p, PG_referenced));
	assert_int_equal(kmem_file_read(m, "f", 8 * PG, PG, NULL), 0);
	assert_int_equal(kmem_file_read(m, "f", 0, PG, NULL), 0);
	assert_true(flag(m, p, PG_active));
	assert_true(flag(m, p, PG_referenced));
	assert_int_equal(kmem_file_read(m, "f", 8 * PG, PG, NULL), 0);
	assert_int_equal(kmem_file_read(m, "f", 0, PG, NULL), 0);
	assert_true(flag(m, p, PG_active));             /* stays */
	assert_true(flag(m, p, PG_referenced));
	assert_true(vmstat_value(m, "pgactivate") >= 1);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Direct reclaim frees clean, unmapped page cache when an allocation
 * would fail; the counters and the lists agree afterwards. */
static void test_direct_reclaim_page_cache(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	unsigned long free0 = meminfo(m, "MemFree");
	/* a file bigger than free memory: reading it fills the cache, and
	 * the allocator has to reclaim the oldest pages to go on */
	uint64_t size = (uint64_t)(free0 + 4096) * 1024;
	assert_int_equal(kmem_file_create(m, "big", size), 0);
	assert_int_equal(kmem_file_read(m, "big", 0, size, NULL), 0);
	CHECK(m);
	assert_true(vmstat_value(m, "allocstall") > 0);
	assert_true(vmstat_value(m, "pgsteal_normal") +
		    vmstat_value(m, "pgsteal_dma") > 0);
	assert_true(vmstat_value(m, "pgscan_direct_normal") +
		    vmstat_value(m, "pgscan_direct_dma") > 0);
	/* the end of the file is cached; the start was reclaimed */
	unsigned long idx[1], pfn[1];
	assert_int_equal(kmem_file_pages(m, "big", idx, pfn, 1) > 0, 1);
	assert_true(idx[0] > 0);
	assert_true(meminfo(m, "Cached") < size / 1024);
	kmem_machine_destroy(m);
}

/* kswapd: woken below pages_low, it reclaims to pages_high. */
static void test_kswapd_balances_to_high(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	struct kmem_zone_info z = zinfo(m, 0, 1), dma = zinfo(m, 0, 0);
	/* kswapd wakes only when every zone of the zonelist is below low */
	uint64_t size = (uint64_t)(z.free_pages - z.pages_low + dma.free_pages -
				   dma.pages_low + 64) * PG;
	assert_int_equal(kmem_file_create(m, "f", size), 0);
	kmem_kswapd_set_on_tick(m, true);
	assert_int_equal(kmem_file_read(m, "f", 0, size, NULL), 0);
	struct kmem_reclaim_info ri;
	kmem_reclaim_info(m, &ri);
	assert_true(ri.kswapd_woken[0]);
	assert_int_equal(ri.kswapd_runs, 0);
	unsigned long runs = vmstat_value(m, "pageoutrun");
	kmem_background(m);             /* waits for the tick */
	assert_int_equal(vmstat_value(m, "pageoutrun"), runs);
	assert_int_equal(kmem_tick(m, 1), 0);
	kmem_reclaim_info(m, &ri);
	assert_false(ri.kswapd_woken[0]);
	assert_true(ri.kswapd_runs >= 1);
	z = zinfo(m, 0, 1);
	assert_true(z.free_pages > z.pages_high);
	assert_true(vmstat_value(m, "kswapd_steal") > 0);
	assert_true(vmstat_value(m, "pgscan_kswapd_normal") > 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Mapped pages and swappiness: with swappiness 0 and few mapped pages,
 * reclaim_mapped stays 0 and referenced mapped file pages stay active
 * while the unmapped cache is reclaimed. */
static void test_swappiness_keeps_mapped(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	assert_int_equal(kmem_proc_write(m, "sys/vm/swappiness", "0"), 0);
	int pid = spawn(m, "app");
	assert_int_equal(kmem_file_create(m, "lib", 32 * PG), 0);
	uint64_t a = map(m, pid, 0, 32 * PG, KMEM_PROT_READ,
			 KMEM_MAP_PRIVATE, "lib");
	assert_int_equal(kmem_touch(m, pid, a, 32 * PG, false, NULL), 0);
	unsigned long lib0 = file_pfn(m, "lib", 0);
	unsigned long free0 = meminfo(m, "MemFree");
	uint64_t size = (uint64_t)(free0 + 2048) * 1024;
	assert_int_equal(kmem_file_create(m, "big", size), 0);
	assert_int_equal(kmem_file_read(m, "big", 0, size, NULL), 0);
	CHECK(m);
	/* still mapped and cached */
	struct kmem_page_rmap r;
	assert_int_equal(kmem_page_rmap(m, lib0, &r, NULL, 0), 0);
	assert_int_equal(r.mapcount, 1);
	assert_string_equal(r.file, "lib");
	kmem_machine_destroy(m);
}

/* Dirty throttling: a writer that dirties more than dirty_thresh writes
 * pages back itself; NR_FILE_DIRTY stays near the threshold. */
static void test_balance_dirty_pages(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	struct kmem_dirty_info d;
	kmem_dirty_limits(m, &d);
	assert_true(d.dirty_thresh > d.background_thresh);
	/* vm_total_pages / (cpus * 32), within [16, 1024] */
	assert_true(d.ratelimit_pages > 200 && d.ratelimit_pages <= 8192 / 32);
	uint64_t size = (uint64_t)(d.dirty_thresh + 200) * PG;
	assert_int_equal(kmem_file_create(m, "log", 0), 0);
	assert_int_equal(kmem_file_write(m, "log", 0, size, NULL), 0);
	kmem_dirty_limits(m, &d);
	assert_true(d.nr_dirty <= d.dirty_thresh + d.ratelimit_pages);
	assert_true(d.throttled > 0 || vmstat_value(m, "pgpgout") > 0);
	CHECK(m);
	/* pdflush runs once the command is over: below background */
	kmem_background(m);
	kmem_dirty_limits(m, &d);
	assert_true(d.nr_dirty < d.background_thresh);
	/* sync writes everything */
	unsigned long w = 0;
	assert_int_equal(kmem_sync(m, &w), 0);
	kmem_dirty_limits(m, &d);
	assert_int_equal(d.nr_dirty, 0);
	assert_int_equal(d.nr_writeback, 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* wb_kupdate writes inodes dirtied more than 30 s ago, on the 5 s timer. */
static void test_wb_kupdate(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	assert_int_equal(kmem_file_create(m, "f", 0), 0);
	assert_int_equal(kmem_file_write(m, "f", 0, 4 * PG, NULL), 0);
	struct kmem_dirty_info d;
	kmem_dirty_limits(m, &d);
	assert_int_equal(d.nr_dirty, 4);
	assert_int_equal(kmem_tick(m, 29 * KMEM_HZ), 0);
	kmem_dirty_limits(m, &d);
	assert_int_equal(d.nr_dirty, 4);                /* not yet expired */
	assert_int_equal(kmem_tick(m, 10 * KMEM_HZ), 0);
	kmem_dirty_limits(m, &d);
	assert_int_equal(d.nr_dirty, 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Anonymous pages with no swap: reclaim cannot free them, and the
 * shrink_page_list outcome is "activate" (add_to_swap failed). */
static void test_anon_without_swap_stays(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	int pid = spawn(m, "hog");
	struct kmem_task_info t;
	assert_int_equal(kmem_task_info(m, pid, &t), 0);
	unsigned long rss0 = t.anon_rss;
	uint64_t a = map(m, pid, 0, 64 * PG, RW, ANON_PRIV, NULL);
	assert_int_equal(kmem_touch(m, pid, a, 64 * PG, true, NULL), 0);
	kmem_lru_add_drain(m, true);
	unsigned long reclaimed = 99;
	assert_int_equal(kmem_try_to_free_pages(m, 0, 0xd0, &reclaimed, NULL), 0);
	assert_int_equal(kmem_task_info(m, pid, &t), 0);
	assert_int_equal(t.anon_rss, rss0 + 64);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_kswapd_errors(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	char *before = machine_snapshot(m, true);
	assert_int_equal(kmem_kswapd(m, 3, NULL), -EINVAL);
	assert_int_equal(kmem_try_to_free_pages(m, 5, 0xd0, NULL, NULL), -EINVAL);
	char *after = machine_snapshot(m, true);
	same_text(before, after, "machine after bad kswapd", __FILE__, __LINE__);
	free(before);
	free(after);
	kmem_machine_destroy(m);
}

/* migrate_pages moves a task's private pages between nodes; shared
 * pages stay (MPOL_MF_MOVE); the counters follow the pages. */
static void test_migrate_pages(void **state)
{
	(void)state;
	struct machine *m = boot_preset("x86_64-numa");
	assert_int_equal(kmem_set_cpu(m, 0), 0);
	int pid = spawn(m, "app");
	uint64_t a = map(m, pid, 0, 16 * PG, RW, ANON_PRIV, NULL);
	assert_int_equal(kmem_touch(m, pid, a, 16 * PG, true, NULL), 0);
	assert_int_equal(kmem_file_create(m, "data", 8 * PG), 0);
	uint64_t f = map(m, pid, 0, 8 * PG, KMEM_PROT_READ, KMEM_MAP_SHARED,
			 "data");
	assert_int_equal(kmem_touch(m, pid, f, 8 * PG, false, NULL), 0);
	/* a child shares the anonymous pages copy-on-write */
	struct kmem_fault_info fi;
	assert_int_equal(kmem_fault(m, pid, a, false, &fi), 0);
	unsigned long a0 = fi.pfn;
	assert_int_equal(pinfo(m, a0).nid, 0);
	struct kmem_migrate_info mi;
	assert_int_equal(kmem_migrate_pages(m, pid, 0, 1, &mi), 0);
	CHECK(m);
	assert_true(mi.moved >= 16 + 8);
	assert_int_equal(mi.nomem, 0);
	assert_int_equal(kmem_fault(m, pid, a, false, &fi), 0);
	assert_int_equal(pinfo(m, fi.pfn).nid, 1);
	assert_int_not_equal(fi.pfn, a0);
	/* the file's page cache moved too, and still maps */
	unsigned long d0 = file_pfn(m, "data", 0);
	assert_int_equal(pinfo(m, d0).nid, 1);
	struct kmem_page_rmap r;
	assert_int_equal(kmem_page_rmap(m, d0, &r, NULL, 0), 0);
	assert_int_equal(r.mapcount, 1);
	/* shared pages stay */
	int child;
	assert_int_equal(kmem_fork(m, pid, &child), 0);
	assert_int_equal(kmem_migrate_pages(m, pid, 1, 0, &mi), 0);
	/* fork copies no PTEs of a shared file mapping (faults refill
	 * them), so those pages are still ours alone and move back */
	assert_int_equal(mi.moved, 8);
	assert_true(mi.shared >= 16);
	CHECK(m);
	/* errors leave the machine unchanged */
	char *before = machine_snapshot(m, true);
	assert_int_equal(kmem_migrate_pages(m, pid, 0, 2, &mi), -EINVAL);
	assert_int_equal(kmem_migrate_pages(m, 999, 0, 1, &mi), -ESRCH);
	char *after = machine_snapshot(m, true);
	same_text(before, after, "machine after bad migrate_pages", __FILE__,
		  __LINE__);
	free(before);
	free(after);
	kmem_machine_destroy(m);
}

/* The dcache and icache shrinkers: unused dentries go first, their
 * inodes follow; drop_caches=2 empties both; SReclaimable falls. */
static void test_shrink_slab_dcache(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	unsigned long made = 0;
	assert_int_equal(kmem_dcache_walk(m, 3000, &made), 0);
	assert_int_equal(made, 3000);
	struct kmem_dcache_info di;
	kmem_dcache_info(m, &di);
	assert_int_equal(di.nr_unused_dentries, 3000);
	assert_int_equal(di.nr_unused_inodes, 0);
	unsigned long srecl = meminfo(m, "SReclaimable");
	assert_true(srecl > 3000 * (132 + 344) / 1024);
	CHECK(m);
	/* direct reclaim with nothing on the LRU still shrinks the slab */
	assert_int_equal(kmem_try_to_free_pages(m, 0, 0xd0, NULL, NULL), 0);
	kmem_dcache_info(m, &di);
	assert_true(di.pruned_dentries > 0);
	assert_int_equal(di.nr_unused_dentries + di.pruned_dentries, 3000);
	assert_true(vmstat_value(m, "slabs_scanned") >= 128);
	CHECK(m);
	/* drop_caches = 2 */
	assert_int_equal(kmem_proc_write(m, "sys/vm/drop_caches", "2"), 0);
	kmem_dcache_info(m, &di);
	assert_true(di.nr_unused_dentries < 100);
	assert_true(di.nr_unused_inodes < 100);
	CHECK(m);
	/* GFP_NOFS reclaim cannot touch them */
	assert_int_equal(kmem_dcache_walk(m, 500, &made), 0);
	kmem_dcache_info(m, &di);
	unsigned long left = di.nr_unused_dentries;
	assert_int_equal(kmem_try_to_free_pages(m, 0, 0x50, NULL, NULL), 0);
	kmem_dcache_info(m, &di);
	assert_int_equal(di.nr_unused_dentries, left);
	kmem_machine_destroy(m);
}

struct notes {
	char text[8192];
};

static void note_hook(void *ctx, const struct kmem_trace_event *ev)
{
	struct notes *n = ctx;
	size_t len = strlen(n->text);

	if (strstr(ev->text, "swap_tendency") && len + strlen(ev->text) + 2 <
	    sizeof n->text) {
		strcat(n->text, ev->text);
		strcat(n->text, "\n");
	}
}

/* reclaim_mapped = (mapped_ratio/2 + distress + swappiness >= 100): at
 * priority 12 distress is 0, so swappiness 100 reclaims mapped pages and
 * the default 60 does not (with little mapped memory). */
static void test_reclaim_mapped_swappiness(void **state)
{
	(void)state;
	static const struct { const char *sw; const char *want; } cases[] = {
		{ "100", "+ distress 0 + swappiness 100 = 100: reclaim_mapped 1" },
		{ "60", "+ distress 0 + swappiness 60 = 60: reclaim_mapped 0" },
		{ "0", "+ distress 0 + swappiness 0 = 0: reclaim_mapped 0" },
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct machine *m = boot_preset("tiny");
		struct notes n = { "" };
		assert_int_equal(kmem_proc_write(m, "sys/vm/swappiness",
						 cases[i].sw), 0);
		assert_int_equal(kmem_file_create(m, "f", 5000 * PG), 0);
		/* the second read of each page activates it: almost
		 * everything is on the active lists */
		for (int k = 0; k < 2; k++)
			for (unsigned long pg = 0; pg < 5000; pg += 100)
				assert_int_equal(kmem_file_read(m, "f", pg * PG,
								 100 * PG, NULL), 0);
		kmem_lru_add_drain(m, true);
		kmem_set_trace(m, note_hook, &n);
		assert_int_equal(kmem_try_to_free_pages(m, 0, 0xd0, NULL, NULL), 0);
		kmem_set_trace(m, NULL, NULL);
		if (!strstr(n.text, cases[i].want))
			fail_msg("swappiness %s: no '%s' in:\n%s", cases[i].sw,
				 cases[i].want, n.text);
		CHECK(m);
		kmem_machine_destroy(m);
	}
}

/* Dirty page cache under reclaim: the first scan finds the pages
 * referenced (the write marked them) and keeps them; the next one calls
 * pageout (nr_vmscan_write), the page stays on the list under writeback,
 * rotates to the inactive tail when the I/O ends (pgrotated) and a later
 * scan frees it.  pdflush is not given the CPU (no kmem_background), so
 * only reclaim writes. */
static void test_pageout_rotate(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	assert_int_equal(kmem_file_create(m, "d", 0), 0);
	assert_int_equal(kmem_file_write(m, "d", 0, 600 * PG, NULL), 0);
	struct kmem_dirty_info d;
	kmem_dirty_limits(m, &d);
	assert_int_equal(d.nr_dirty, 600);     /* below background_thresh */
	kmem_lru_add_drain(m, true);
	int loops = 0;
	while (vmstat_value(m, "nr_vmscan_write") == 0 && loops++ < 200)
		assert_int_equal(kmem_try_to_free_pages(m, 0, 0xd0, NULL, NULL), 0);
	CHECK(m);
	assert_true(vmstat_value(m, "nr_vmscan_write") > 0);
	assert_true(vmstat_value(m, "pgrotated") > 0);
	kmem_dirty_limits(m, &d);
	assert_true(d.nr_dirty < 600);
	assert_int_equal(d.nr_writeback, 0);
	kmem_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pagevec_batches),
		cmocka_unit_test(test_mark_page_accessed),
		cmocka_unit_test(test_direct_reclaim_page_cache),
		cmocka_unit_test(test_kswapd_balances_to_high),
		cmocka_unit_test(test_swappiness_keeps_mapped),
		cmocka_unit_test(test_balance_dirty_pages),
		cmocka_unit_test(test_wb_kupdate),
		cmocka_unit_test(test_anon_without_swap_stays),
		cmocka_unit_test(test_kswapd_errors),
		cmocka_unit_test(test_migrate_pages),
		cmocka_unit_test(test_shrink_slab_dcache),
		cmocka_unit_test(test_reclaim_mapped_swappiness),
		cmocka_unit_test(test_pageout_rotate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
