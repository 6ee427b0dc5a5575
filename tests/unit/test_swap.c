/*
 * test_swap.c - swap devices, slots, the swap cache, swap-in and swapoff
 * (linux-2.6.20-mm.md §9, §10.5, §13.4 meminfo, §13.2 pswpin/pswpout).
 *
 * Pages reach swap through kmem_swapout (reclaim's swap-out steps on
 * chosen pages), so slot numbers follow the order the test swaps pages
 * out: page i of a fresh device's first cluster gets slot i + 1.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include "helpers.h"

#define PG 4096ULL
#define RW (KMEM_PROT_READ | KMEM_PROT_WRITE)
#define ANON_PRIV (KMEM_MAP_PRIVATE | KMEM_MAP_ANONYMOUS)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void swapon_ok(struct machine *m, const char *name, uint64_t pages,
		      int prio, bool prefer)
{
	if (kmem_swapon(m, name, pages * PG, prio, prefer))
		fail_msg("swapon %s: %s", name, kmem_last_error(m));
}

static struct kmem_swap_info swinfo(struct machine *m, const char *name)
{
	struct kmem_swap_info i;

	if (kmem_swap_info(m, name, &i))
		fail_msg("no swap device %s", name);
	return i;
}

static struct kmem_swap_summary swsum(const struct machine *m)
{
	struct kmem_swap_summary s;

	kmem_swap_summary(m, &s);
	return s;
}

/* A task with an anonymous private mapping of n pages, all written. */
static uint64_t anon_area(struct machine *m, int pid, unsigned long n)
{
	uint64_t a = map(m, pid, 0, n * PG, RW, ANON_PRIV, NULL);
	struct kmem_touch_info ti;

	if (kmem_touch(m, pid, a, n * PG, true, &ti))
		fail_msg("touch: %s", kmem_last_error(m));
	return a;
}

static struct kmem_swapout_info swapout_ok(struct machine *m, int pid,
					   uint64_t addr, uint64_t len)
{
	struct kmem_swapout_info so;

	if (kmem_swapout(m, pid, addr, len, &so))
		fail_msg("swapout: %s", kmem_last_error(m));
	return so;
}

/* The raw PTE mapping addr in pid (0 when no PTE table). */
static uint64_t raw_pte(struct machine *m, int pid, uint64_t addr)
{
	struct kmem_pt_step st[4];
	uint64_t phys = 0;

	memset(st, 0, sizeof st);
	kmem_task_pagetable_walk(m, pid, addr, st, 4, &phys);
	for (int i = 3; i >= 0; i--)
		if (st[i].name && !strcmp(st[i].name, "pte"))
			return st[i].entry;
	return 0;
}

/* Slot held by the swap PTE at addr of pid on device type, or 0. */
static unsigned long slot_of(struct machine *m, int type, int pid,
			     uint64_t addr)
{
	struct kmem_swap_pte p[4096];
	size_t n = kmem_swap_ptes(m, type, p, ARRAY_LEN(p));

	for (size_t i = 0; i < n && i < ARRAY_LEN(p); i++)
		if (p[i].pid == pid && p[i].addr == addr)
			return p[i].offset;
	return 0;
}

static unsigned slot_count(struct machine *m, int type, unsigned long off)
{
	struct kmem_swap_slot s[4096];
	size_t n = kmem_swap_slots(m, type, s, ARRAY_LEN(s));

	for (size_t i = 0; i < n && i < ARRAY_LEN(s); i++)
		if (s[i].offset == off)
			return s[i].count;
	return 0;
}

static unsigned long pfn_at(struct machine *m, int pid, uint64_t addr)
{
	struct kmem_pt_step st[4];
	uint64_t phys = 0;

	if (kmem_task_pagetable_walk(m, pid, addr, st, 4, &phys) < 0)
		return KMEM_NO_PFN;
	return (unsigned long)(phys >> 12);
}

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

static char *swaps_text(struct machine *m)
{
	return proc_text(m, "swaps");
}

/* ------------------------------------------------------------------ */
/* swapon, /proc/swaps, meminfo                                        */
/* ------------------------------------------------------------------ */

static void test_swapon_proc_swaps(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	unsigned long vmalloc_used = meminfo(m, "VmallocUsed");

	/* 64 MiB: last_page 16383, max 16383, pages 16382 = 65528 kB */
	swapon_ok(m, "/swapfile", 16384, 0, false);
	swapon_ok(m, "/dev/hda2", 256, 0, false);
	swapon_ok(m, "/dev/sdb1", 1024, 7, true);
	char *t = swaps_text(m);
	ASSERT_SAME_TEXT(
		"Filename\t\t\t\tType\t\tSize\tUsed\tPriority\n"
		"/swapfile                               file\t\t65528\t0\t-1\n"
		"/dev/hda2                               partition\t1016\t0\t-2\n"
		"/dev/sdb1                               partition\t4088\t0\t7\n",
		t, "/proc/swaps");
	free(t);
	struct kmem_swap_info i = swinfo(m, "/swapfile");
	assert_int_equal(i.type, 0);
	assert_int_equal(i.max, 16383);
	assert_int_equal(i.pages, 16382);
	assert_int_equal(i.lowest_bit, 1);
	assert_int_equal(i.highest_bit, 16382);
	assert_int_equal(i.cluster_next, 1);
	assert_int_equal(i.cluster_nr, 0);
	assert_int_equal(i.flags, 3);
	/* swap_list: sdb1 (7), swapfile (-1), hda2 (-2) */
	struct kmem_swap_summary s = swsum(m);
	assert_int_equal(s.list_head, 2);
	assert_int_equal(swinfo(m, "/dev/sdb1").next, 0);
	assert_int_equal(swinfo(m, "/swapfile").next, 1);
	assert_int_equal(swinfo(m, "/dev/hda2").next, -1);
	assert_int_equal(s.total_swap_pages, 16382 + 254 + 1022);
	assert_int_equal(s.nr_swap_pages, 16382 + 254 + 1022);
	assert_int_equal(meminfo(m, "SwapTotal"), (16382 + 254 + 1022) * 4);
	assert_int_equal(meminfo(m, "SwapFree"), (16382 + 254 + 1022) * 4);
	assert_int_equal(meminfo(m, "SwapCached"), 0);
	/* the swap_maps are vmalloc'd: 16383 shorts = 8 pages, 1 and 1 */
	assert_true(meminfo(m, "VmallocUsed") - vmalloc_used >= (8 + 1 + 1) * 4);
	assert_non_null(strstr(kmem_dmesg(m, NULL),
			       "Adding 65528k swap on /swapfile.  Priority:-1 extents:1"));
	CHECK(m);
	/* swapoff: the device goes, its map is vfree'd */
	assert_int_equal(kmem_swapoff(m, "/swapfile"), 0);
	assert_int_equal(swsum(m).total_swap_pages, 254 + 1022);
	t = swaps_text(m);
	assert_null(strstr(t, "/swapfile"));
	free(t);
	/* the freed type is reused, the priority counter is not */
	swapon_ok(m, "/swap2", 100, 0, false);
	assert_int_equal(swinfo(m, "/swap2").type, 0);
	assert_int_equal(swinfo(m, "/swap2").prio, -3);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_swapon_errors(void **state)
{
	(void)state;
	struct machine *m = boot_i386();

	swapon_ok(m, "/swapfile", 1024, 0, false);
	char *before = machine_snapshot(m, true);
	char *swaps = swaps_text(m);

	assert_int_equal(kmem_swapon(m, "/swapfile", 64 * PG, 0, false), -EBUSY);
	assert_non_null(strstr(kmem_last_error(m), "busy"));
	assert_int_equal(kmem_swapon(m, "/s", 64 * PG + 1, 0, false), -EINVAL);
	assert_int_equal(kmem_swapon(m, "/s", 2 * PG, 0, false), -EINVAL);
	assert_non_null(strstr(kmem_last_error(m), "Empty swap-file"));
	assert_int_equal(kmem_swapon(m, "/s", 0, 0, false), -EINVAL);
	assert_int_equal(kmem_swapon(m, "", 64 * PG, 0, false), -EINVAL);
	assert_int_equal(kmem_swapon(m, "/s", 64 * PG, 40000, true), -EINVAL);
	assert_int_equal(kmem_swapon(m, "/s", 64 * PG, -1, true), -EINVAL);
	/* i386 non-PAE PTEs hold 24 bits of offset: maxpages 0xfffffe */
	assert_int_equal(kmem_swapon(m, "/s", (0xffffffULL + 1) * PG, 0, false),
			 -EINVAL);
	assert_int_equal(kmem_swapoff(m, "/nothing"), -EINVAL);
	assert_int_equal(kmem_swapout(m, 1, 0, PG, NULL), -ESRCH);

	char *after = machine_snapshot(m, true);
	char *swaps2 = swaps_text(m);
	ASSERT_SAME_TEXT(before, after, "machine after refused swap calls");
	ASSERT_SAME_TEXT(swaps, swaps2, "/proc/swaps after refused calls");
	free(before);
	free(after);
	free(swaps);
	free(swaps2);
	CHECK(m);

	/* MAX_SWAPFILES: 32 types on a non-NUMA kernel */
	char name[16];
	for (int i = 1; i < 32; i++) {
		snprintf(name, sizeof name, "/s%d", i);
		swapon_ok(m, name, 3, 0, false);
	}
	assert_int_equal(kmem_swapon(m, "/s32", 3 * PG, 0, false), -EPERM);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* Slot allocation                                                     */
/* ------------------------------------------------------------------ */

/* Swap out pages [first, first+n) of the area one at a time and check
 * each lands on the expected slot (expected[i], or first_slot + i). */
static void swapout_pages(struct machine *m, int pid, uint64_t a,
			  unsigned long first, unsigned long n)
{
	struct kmem_swapout_info so = swapout_ok(m, pid, a + first * PG, n * PG);

	assert_int_equal(so.swapped, n);
}

static void test_slot_clusters(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "prog");
	uint64_t a = anon_area(m, pid, 800);

	/* 1000 good slots */
	swapon_ok(m, "/swapfile", 1002, 0, false);
	swapout_pages(m, pid, a, 0, 300);
	for (unsigned long i = 0; i < 300; i += 37)
		assert_int_equal(slot_of(m, 0, pid, a + i * PG), i + 1);
	/* first cluster 1..256, the second started at 257 with 255 to go */
	struct kmem_swap_info i = swinfo(m, "/swapfile");
	assert_int_equal(i.inuse_pages, 300);
	assert_int_equal(i.cluster_next, 301);
	assert_int_equal(i.cluster_nr, 255 - 43);
	assert_int_equal(i.lowest_bit, 301);
	/* free slots 5..9: lowest_bit drops, the cluster carries on */
	assert_int_equal(kmem_munmap(m, pid, a + 4 * PG, 5 * PG), 0);
	i = swinfo(m, "/swapfile");
	assert_int_equal(i.lowest_bit, 5);
	assert_int_equal(i.inuse_pages, 295);
	swapout_pages(m, pid, a, 300, 1);
	assert_int_equal(slot_of(m, 0, pid, a + 300 * PG), 301);
	/* use the cluster up: 211 more end at 512 */
	swapout_pages(m, pid, a, 301, 211);
	assert_int_equal(slot_of(m, 0, pid, a + 511 * PG), 512);
	assert_int_equal(swinfo(m, "/swapfile").cluster_nr, 0);
	/* a new cluster: the 5-slot hole is no run of 256: 513..768 is */
	swapout_pages(m, pid, a, 512, 1);
	assert_int_equal(slot_of(m, 0, pid, a + 512 * PG), 513);
	assert_int_equal(swinfo(m, "/swapfile").cluster_next, 514);
	CHECK(m);
	kmem_machine_destroy(m);

	/* fewer than 256 free slots: the lowest free one */
	m = boot_i386();
	pid = spawn(m, "prog");
	a = anon_area(m, pid, 600);
	swapon_ok(m, "/swapfile", 602, 0, false);       /* 600 slots */
	swapout_pages(m, pid, a, 0, 512);
	assert_int_equal(kmem_munmap(m, pid, a + 4 * PG, 5 * PG), 0);
	swapout_pages(m, pid, a, 512, 1);
	assert_int_equal(slot_of(m, 0, pid, a + 512 * PG), 5);
	swapout_pages(m, pid, a, 513, 1);
	assert_int_equal(slot_of(m, 0, pid, a + 513 * PG), 6);
	CHECK(m);
	kmem_machine_destroy(m);

	/* 256 or more free but no run of 256: the lowest free one */
	m = boot_i386();
	pid = spawn(m, "prog");
	a = anon_area(m, pid, 700);
	swapon_ok(m, "/swapfile", 702, 0, false);       /* 700 slots */
	swapout_pages(m, pid, a, 0, 512);
	assert_int_equal(kmem_munmap(m, pid, a + 4 * PG, 5 * PG), 0);
	for (unsigned long p = 99; p < 400; p += 2)     /* slots 100, 102 .. */
		assert_int_equal(kmem_munmap(m, pid, a + p * PG, PG), 0);
	assert_true(swinfo(m, "/swapfile").pages -
		    swinfo(m, "/swapfile").inuse_pages >= 256);
	swapout_pages(m, pid, a, 512, 1);
	assert_int_equal(slot_of(m, 0, pid, a + 512 * PG), 5);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_priorities_round_robin(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "prog");
	uint64_t a = anon_area(m, pid, 10);

	swapon_ok(m, "/a", 5, 5, true);         /* type 0, 3 slots */
	swapon_ok(m, "/b", 5, 5, true);         /* type 1, 3 slots */
	swapon_ok(m, "/c", 100, 0, false);      /* type 2, prio -1 */
	/* equal priorities take turns, b first (it went in front of a) */
	static const int want_type[] = { 1, 0, 1, 0, 1, 0, 2, 2 };
	static const unsigned long want_off[] = { 1, 1, 2, 2, 3, 3, 1, 2 };
	for (unsigned long p = 0; p < 8; p++) {
		swapout_pages(m, pid, a, p, 1);
		assert_int_equal(slot_of(m, want_type[p], pid, a + p * PG),
				 want_off[p]);
	}
	assert_int_equal(swinfo(m, "/a").highest_bit, 0);       /* full */
	assert_int_equal(swinfo(m, "/a").lowest_bit, swinfo(m, "/a").max);
	/* a slot freed on a higher-priority device is used next */
	assert_int_equal(kmem_munmap(m, pid, a + 1 * PG, PG), 0);    /* a:1 */
	swapout_pages(m, pid, a, 8, 1);
	assert_int_equal(slot_of(m, 0, pid, a + 8 * PG), 1);
	CHECK(m);
	/* no free slot anywhere: add_to_swap fails, the page stays */
	kmem_machine_destroy(m);
	m = boot_i386();
	pid = spawn(m, "prog");
	a = anon_area(m, pid, 4);
	swapon_ok(m, "/a", 4, 0, false);        /* 2 slots */
	struct kmem_swapout_info so = swapout_ok(m, pid, a, 4 * PG);
	assert_int_equal(so.swapped, 2);
	assert_int_equal(so.nospace, 2);
	assert_int_equal(swsum(m).nr_swap_pages, 0);
	assert_true(pfn_at(m, pid, a + 3 * PG) != KMEM_NO_PFN);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* Counts through fork and exit                                        */
/* ------------------------------------------------------------------ */

static void test_counts_fork_exit(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "prog");
	uint64_t a = anon_area(m, pid, 4);
	unsigned long anon0 = meminfo(m, "AnonPages");

	assert_int_equal(kmem_proc_write(m, "sys/vm/page-cluster", "0"), 0);
	swapon_ok(m, "/swapfile", 66, 0, false);
	struct kmem_swapout_info so = swapout_ok(m, pid, a, 4 * PG);
	assert_int_equal(so.swapped, 4);
	assert_int_equal(meminfo(m, "AnonPages"), anon0 - 16);
	assert_int_equal(vmstat_value(m, "pswpout"), 4);
	assert_int_equal(vmstat_value(m, "pgpgout"), 16);
	for (unsigned long i = 0; i < 4; i++) {
		assert_int_equal(slot_of(m, 0, pid, a + i * PG), i + 1);
		assert_int_equal(slot_count(m, 0, i + 1), 1);
		assert_int_equal(pfn_at(m, pid, a + i * PG), KMEM_NO_PFN);
	}
	struct kmem_task_info ti;
	assert_int_equal(kmem_task_info(m, pid, &ti), 0);
	assert_int_equal(meminfo(m, "SwapFree"), (64 - 4) * 4);
	/* fork duplicates each swap PTE */
	int child = -1;
	assert_int_equal(kmem_fork(m, pid, &child), 0);
	for (unsigned long i = 0; i < 4; i++) {
		assert_int_equal(slot_count(m, 0, i + 1), 2);
		assert_int_equal(slot_of(m, 0, child, a + i * PG), i + 1);
	}
	CHECK(m);
	/* the child swaps one in: count stays 2 (PTE + cache) */
	struct kmem_fault_info fi;
	assert_int_equal(kmem_fault(m, child, a, false, &fi), 0);
	assert_int_equal(fi.type, KMEM_FAULT_MAJOR);
	assert_int_equal(slot_count(m, 0, 1), 2);
	CHECK(m);
	/* exit: the child's references go; slot 1's page stays cached
	 * (the parent's swap PTE still needs it: not exclusive) */
	assert_int_equal(kmem_exit(m, child), 0);
	for (unsigned long i = 0; i < 4; i++)
		assert_int_equal(slot_count(m, 0, i + 1), i == 0 ? 2 : 1);
	assert_int_equal(swsum(m).total_swapcache_pages, 1);
	CHECK(m);
	assert_int_equal(kmem_exit(m, pid), 0);
	assert_int_equal(swinfo(m, "/swapfile").inuse_pages, 0);
	assert_int_equal(swsum(m).nr_swap_pages, 64);
	assert_int_equal(swsum(m).total_swapcache_pages, 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* Swap-in                                                             */
/* ------------------------------------------------------------------ */

static void test_swapin_readahead(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "prog");
	uint64_t a = anon_area(m, pid, 16);
	struct kmem_fault_info fi;

	swapon_ok(m, "/swapfile", 1026, 0, false);
	swapout_ok(m, pid, a, 16 * PG);                 /* slots 1..16 */
	unsigned long majflt = vmstat_value(m, "pgmajfault");
	unsigned long pgpgin = vmstat_value(m, "pgpgin");
	assert_int_equal(vmstat_value(m, "pswpin"), 0);
	assert_int_equal(minfo(m).arch, KMEM_ARCH_I386);
	char *pc = proc_text(m, "sys/vm/page-cluster");
	assert_string_equal(pc, "3\n");
	free(pc);

	/* slot 6: window 0..7 aligned, slot 0 skipped: 1..7 */
	assert_int_equal(kmem_fault(m, pid, a + 5 * PG, false, &fi), 0);
	assert_int_equal(fi.type, KMEM_FAULT_MAJOR);
	assert_string_equal(fi.handler, "do_swap_page");
	assert_int_equal(vmstat_value(m, "pswpin"), 7);
	assert_int_equal(vmstat_value(m, "pgpgin"), pgpgin + 7 * 4);
	assert_int_equal(vmstat_value(m, "pgmajfault"), majflt + 1);
	assert_int_equal(meminfo(m, "SwapCached"), 7 * 4);
	/* the faulting PTE let go of its count; the cache holds each slot */
	for (unsigned long s = 1; s <= 7; s++)
		assert_int_equal(slot_count(m, 0, s), s == 6 ? 1 : 2);
	assert_int_equal(slot_count(m, 0, 8), 1);
	CHECK(m);
	/* a neighbour is a swap-cache hit: minor */
	assert_int_equal(kmem_fault(m, pid, a + 2 * PG, false, &fi), 0);
	assert_int_equal(fi.type, KMEM_FAULT_MINOR);
	assert_int_equal(vmstat_value(m, "pswpin"), 7);
	assert_int_equal(swsum(m).find_success, 1);
	/* slot 10: window 8..15 */
	assert_int_equal(kmem_fault(m, pid, a + 9 * PG, false, &fi), 0);
	assert_int_equal(fi.type, KMEM_FAULT_MAJOR);
	assert_int_equal(vmstat_value(m, "pswpin"), 15);
	CHECK(m);
	/* page-cluster 1: a window of 2 */
	assert_int_equal(kmem_proc_write(m, "sys/vm/page-cluster", "1"), 0);
	assert_int_equal(kmem_fault(m, pid, a + 15 * PG, false, &fi), 0);
	assert_int_equal(fi.type, KMEM_FAULT_MAJOR);
	assert_int_equal(vmstat_value(m, "pswpin"), 16);       /* 16 (+17 free) */
	CHECK(m);
	/* show_swap_cache_info in the allocation-failure report */
	kmem_machine_destroy(m);

	/* below 16 MiB of RAM page-cluster is 2 */
	struct kmem_config c;
	kmem_config_defaults(&c);
	c.memory = 12ULL << 20;
	m = boot_config(&c);
	pc = proc_text(m, "sys/vm/page-cluster");
	assert_string_equal(pc, "2\n");
	free(pc);
	kmem_machine_destroy(m);
}

static void test_write_fault_and_cow(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "prog");
	uint64_t a = anon_area(m, pid, 2);
	struct kmem_fault_info fi;

	/* no readahead: each fault reads just its own slot */
	assert_int_equal(kmem_proc_write(m, "sys/vm/page-cluster", "0"), 0);
	swapon_ok(m, "/swapfile", 66, 0, false);
	swapout_ok(m, pid, a, 2 * PG);
	/* an exclusive page comes back writable on a write fault */
	assert_int_equal(kmem_fault(m, pid, a, true, &fi), 0);
	assert_int_equal(fi.type, KMEM_FAULT_MAJOR);
	uint64_t e = raw_pte(m, pid, a);
	assert_true(e & 0x1);
	assert_true(e & 0x2);                   /* _PAGE_RW */
	assert_true(e & 0x40);                  /* _PAGE_DIRTY */
	CHECK(m);

	/* shared through fork: the write copies */
	int child = -1;
	assert_int_equal(kmem_fork(m, pid, &child), 0);
	assert_int_equal(slot_count(m, 0, 2), 2);
	assert_int_equal(kmem_fault(m, pid, a + PG, false, &fi), 0);
	assert_int_equal(fi.type, KMEM_FAULT_MAJOR);
	unsigned long shared = pfn_at(m, pid, a + PG);
	assert_false(raw_pte(m, pid, a + PG) & 0x2);
	/* child PTE + cache */
	assert_int_equal(slot_count(m, 0, 2), 2);
	assert_int_equal(kmem_fault(m, pid, a + PG, true, &fi), 0);
	assert_string_equal(fi.detail, "cow copy");
	unsigned long copy = pfn_at(m, pid, a + PG);
	assert_true(copy != shared);
	CHECK(m);
	/* the child finds the old page in the swap cache and, being its
	 * last user, reuses it on a write */
	assert_int_equal(kmem_fault(m, child, a + PG, true, &fi), 0);
	assert_int_equal(fi.type, KMEM_FAULT_MINOR);
	assert_int_equal(pfn_at(m, child, a + PG), shared);
	assert_true(raw_pte(m, child, a + PG) & 0x2);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* swapoff                                                             */
/* ------------------------------------------------------------------ */

static void test_swapoff_brings_back(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "prog");
	uint64_t a = anon_area(m, pid, 32);
	int child = -1;

	swapon_ok(m, "/swapfile", 1026, 0, false);
	assert_int_equal(kmem_fork(m, pid, &child), 0);
	struct kmem_swapout_info so = swapout_ok(m, pid, a, 32 * PG);
	assert_int_equal(so.swapped, 32);
	for (unsigned long i = 0; i < 32; i++) {
		assert_int_equal(pfn_at(m, child, a + i * PG), KMEM_NO_PFN);
		assert_int_equal(slot_count(m, 0, i + 1), 2);
	}
	unsigned long pswpin = vmstat_value(m, "pswpin");
	CHECK(m);
	assert_int_equal(kmem_swapoff(m, "/swapfile"), 0);
	assert_int_equal(vmstat_value(m, "pswpin"), pswpin + 32);
	for (unsigned long i = 0; i < 32; i++) {
		unsigned long p = pfn_at(m, pid, a + i * PG);
		assert_true(p != KMEM_NO_PFN);
		assert_int_equal(pfn_at(m, child, a + i * PG), p);
		assert_false(raw_pte(m, pid, a + i * PG) & 0x20); /* pte_mkold */
	}
	struct kmem_swap_summary s = swsum(m);
	assert_int_equal(s.total_swap_pages, 0);
	assert_int_equal(s.nr_swap_pages, 0);
	assert_int_equal(s.total_swapcache_pages, 0);
	char *t = swaps_text(m);
	assert_string_equal(t, "Filename\t\t\t\tType\t\tSize\tUsed\tPriority\n");
	free(t);
	CHECK(m);
	/* writes still copy: the pages are shared with the child */
	struct kmem_fault_info fi;
	assert_int_equal(kmem_fault(m, pid, a, true, &fi), 0);
	assert_string_equal(fi.detail, "cow copy");
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_swapoff_enomem(void **state)
{
	(void)state;
	struct machine *m = boot_simple(KMEM_ARCH_I386, 1, 32ULL << 20);
	int pid = spawn(m, "prog");
	uint64_t a = anon_area(m, pid, 1024);           /* 4 MiB */
	unsigned long pfns[8192];
	size_t n = 0;

	swapon_ok(m, "/swapfile", 2050, 0, false);
	struct kmem_swapout_info so = swapout_ok(m, pid, a, 1024 * PG);
	assert_int_equal(so.swapped, 1024);
	CHECK(m);
	/* take every free page (kernel memory: reclaim cannot have it) */
	while (n < ARRAY_LEN(pfns) &&
	       !kmem_alloc_pages(m, -1, GFP_KERNEL | __GFP_HIGHMEM |
				 __GFP_NORETRY | __GFP_NOWARN, 0, &pfns[n]))
		n++;
	/* give a few back: swapoff gets some way, then fails */
	for (int k = 0; k < 10; k++)
		FREE(m, pfns[--n], 0);
	unsigned long used = swinfo(m, "/swapfile").inuse_pages;
	/* the heuristic refuses up front: nothing changes */
	char *before = machine_snapshot(m, true);
	assert_int_equal(kmem_swapoff(m, "/swapfile"), -ENOMEM);
	assert_non_null(strstr(kmem_last_error(m), "__vm_enough_memory"));
	char *after = machine_snapshot(m, true);
	ASSERT_SAME_TEXT(before, after, "machine after a refused swapoff");
	free(before);
	free(after);
	CHECK(m);
	/* overcommit 1 lets it start; it runs out of pages midway */
	assert_int_equal(kmem_proc_write(m, "sys/vm/overcommit_memory", "1"), 0);
	assert_int_equal(kmem_swapoff(m, "/swapfile"), -ENOMEM);
	assert_non_null(strstr(kmem_last_error(m), "stays active"));
	struct kmem_swap_info i = swinfo(m, "/swapfile");
	assert_int_equal(i.flags, 3);
	assert_true(i.inuse_pages < used);
	assert_true(i.inuse_pages > 0);
	assert_int_equal(swsum(m).total_swap_pages, 2048);
	char *t = swaps_text(m);
	assert_non_null(strstr(t, "/swapfile"));
	free(t);
	CHECK(m);
	/* with memory back it completes */
	while (n)
		FREE(m, pfns[--n], 0);
	assert_int_equal(kmem_swapoff(m, "/swapfile"), 0);
	for (unsigned long k = 0; k < 1024; k += 97)
		assert_true(pfn_at(m, pid, a + k * PG) != KMEM_NO_PFN);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* PTE encodings (§9.3)                                                */
/* ------------------------------------------------------------------ */

static void check_encoding(struct machine *m, int arch_kind)
{
	int pid = spawn(m, "prog");
	uint64_t a = anon_area(m, pid, 3);

	swapon_ok(m, "/low", 66, 0, false);             /* type 0 */
	swapon_ok(m, "/high", 66, 10, true);            /* type 1, used first */
	swapout_ok(m, pid, a, 3 * PG);                  /* type 1 slots 1..3 */
	uint64_t e = raw_pte(m, pid, a + 2 * PG);       /* type 1, offset 3 */
	switch (arch_kind) {
	case 0:         /* i386: type (val >> 1) & 0x1f, offset val >> 8 */
		assert_int_equal(e, (1u << 1) | (3u << 8));
		break;
	case 1:         /* PAE: pte_high = type | offset << 5 */
		assert_int_equal(e, (uint64_t)(1u | 3u << 5) << 32);
		break;
	case 2:         /* x86_64: type (val >> 1) & 0x3f, offset val >> 8 */
		assert_int_equal(e, (1u << 1) | (3u << 8));
		break;
	}
	struct kmem_fault_info fi;
	assert_int_equal(kmem_fault(m, pid, a + 2 * PG, false, &fi), 0);
	assert_int_equal(fi.type, KMEM_FAULT_MAJOR);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_entry_encodings(void **state)
{
	(void)state;
	check_encoding(boot_preset("i386-1g"), 0);
	check_encoding(boot_preset("i386-4g"), 0);
	check_encoding(boot_simple(KMEM_ARCH_I386, 1, 5ULL << 30), 1);
	check_encoding(boot_preset("x86_64-2g"), 2);
	/* PAE and x86_64 address 2^27 - 2 slots (i386 2^24 - 2); kmemlab
	 * stops at 64 GiB */
	struct machine *m = boot_preset("x86_64-2g");
	assert_int_equal(kmem_swapon(m, "/big", (0x7ffffffULL + 1) * PG, 0,
				     false), -EINVAL);
	assert_non_null(strstr(kmem_last_error(m), "can address"));
	assert_int_equal(kmem_swapon(m, "/big", 65ULL << 30, 0, false), -EINVAL);
	assert_non_null(strstr(kmem_last_error(m), "64 GiB"));
	kmem_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* The swap token                                                      */
/* ------------------------------------------------------------------ */

static void test_swap_token(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int p1 = spawn(m, "one"), p2 = spawn(m, "two");
	uint64_t a1 = anon_area(m, p1, 8), a2 = anon_area(m, p2, 8);
	struct kmem_fault_info fi;

	assert_int_equal(kmem_proc_write(m, "sys/vm/page-cluster", "0"), 0);
	swapon_ok(m, "/swapfile", 66, 0, false);
	swapout_ok(m, p1, a1, 8 * PG);
	swapout_ok(m, p2, a2, 8 * PG);
	assert_int_equal(swsum(m).token_pid, 0);
	/* first major fault: the free token, priority 2 */
	assert_int_equal(kmem_fault(m, p1, a1, false, &fi), 0);
	assert_int_equal(swsum(m).token_pid, p1);
	assert_int_equal(swsum(m).token_priority, 2);
	/* two's first fault: interval 2, last 0: priority stays 0 */
	assert_int_equal(kmem_fault(m, p2, a2, false, &fi), 0);
	assert_int_equal(swsum(m).token_pid, p1);
	/* one faults again: +2 */
	assert_int_equal(kmem_fault(m, p1, a1 + PG, false, &fi), 0);
	assert_int_equal(swsum(m).token_priority, 4);
	assert_int_equal(swsum(m).global_faults, 3);
	/* the holder's mapped pages count as referenced */
	unsigned long pfn = pfn_at(m, p1, a1);
	int refs = 0;
	assert_int_equal(kmem_page_referenced(m, pfn, &refs), 0);
	assert_int_equal(kmem_page_referenced(m, pfn, &refs), 0);
	assert_int_equal(refs, 1);
	/* exit releases it */
	assert_int_equal(kmem_exit(m, p1), 0);
	assert_int_equal(swsum(m).token_pid, 0);
	CHECK(m);
	/* switched off, nobody takes it */
	kmem_swap_token_set(m, false);
	assert_int_equal(kmem_fault(m, p2, a2 + PG, false, &fi), 0);
	assert_int_equal(fi.type, KMEM_FAULT_MAJOR);
	assert_int_equal(swsum(m).token_pid, 0);
	assert_false(swsum(m).token_enabled);
	kmem_swap_token_set(m, true);
	assert_int_equal(kmem_fault(m, p2, a2 + 2 * PG, false, &fi), 0);
	assert_int_equal(swsum(m).token_pid, p2);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* swapout command errors, determinism                                 */
/* ------------------------------------------------------------------ */

static void test_swapout_errors(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "prog");
	uint64_t a = anon_area(m, pid, 2);
	char *before = machine_snapshot(m, true);

	assert_int_equal(kmem_swapout(m, pid, a, PG, NULL), -ENOSPC);
	char *after = machine_snapshot(m, true);
	ASSERT_SAME_TEXT(before, after, "machine after swapout without swap");
	free(before);
	free(after);
	swapon_ok(m, "/swapfile", 66, 0, false);
	before = machine_snapshot(m, true);
	assert_int_equal(kmem_swapout(m, pid, a, 0, NULL), -EINVAL);
	assert_int_equal(kmem_swapout(m, pid, 0xfffff000ULL, 2 * PG, NULL),
			 -EINVAL);
	assert_int_equal(kmem_swapout(m, 999, a, PG, NULL), -ESRCH);
	after = machine_snapshot(m, true);
	ASSERT_SAME_TEXT(before, after, "machine after refused swapouts");
	free(before);
	free(after);
	/* file pages and holes are skipped, not errors */
	struct kmem_swapout_info so = swapout_ok(m, pid, 0x08048000ULL, 2 * PG);
	assert_int_equal(so.swapped, 0);
	assert_int_equal(so.skipped, 2);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_show_free_areas_lines(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "prog");
	uint64_t a = anon_area(m, pid, 4);
	unsigned long pfn;

	swapon_ok(m, "/swapfile", 66, 0, false);
	swapout_ok(m, pid, a, 4 * PG);
	/* an order-10 GFP_ATOMIC request that fails prints show_mem */
	while (!kmem_alloc_pages(m, -1, GFP_ATOMIC, 10, &pfn))
		;
	const char *d = kmem_dmesg(m, NULL);
	assert_non_null(strstr(d, "Swap cache: add 4, delete 4, find 0/0, "
			       "race 0+0"));
	assert_non_null(strstr(d, "Free swap  = 240kB"));
	assert_non_null(strstr(d, "Total swap = 256kB"));
	kmem_machine_destroy(m);
}


/* ------------------------------------------------------------------ */
/* With reclaim: memory pressure pushes anonymous pages to swap        */
/* ------------------------------------------------------------------ */

/* A 32 MiB machine touching 40 MiB of anonymous memory twice. */
static char *pressure_run(void)
{
	struct machine *m = boot_simple(KMEM_ARCH_I386, 1, 32ULL << 20);
	int pid = spawn(m, "hog");
	struct kmem_touch_info ti;

	swapon_ok(m, "/swapfile", 16384, 0, false);
	uint64_t a = map(m, pid, 0, 40ULL << 20, RW, ANON_PRIV, NULL);
	assert_int_equal(kmem_touch(m, pid, a, 40ULL << 20, true, &ti), 0);
	kmem_background(m);
	CHECK(m);
	assert_true(vmstat_value(m, "pswpout") > 2560);
	assert_true(swinfo(m, "/swapfile").inuse_pages > 2560);
	assert_int_equal(ti.major, 0);
	/* reading it all back: major faults, swap-ins, readahead hits */
	assert_int_equal(kmem_touch(m, pid, a, 40ULL << 20, false, &ti), 0);
	kmem_background(m);
	CHECK(m);
	assert_true(ti.major > 0);
	assert_true(vmstat_value(m, "pswpin") >= ti.major);
	assert_true(vmstat_value(m, "pgmajfault") >= ti.major);
	char *out = proc_text(m, "vmstat");
	/* exit gives its slots back; what stays belongs to init, whose
	 * pages were under the same pressure (CHECK counts them exactly) */
	assert_int_equal(kmem_exit(m, pid), 0);
	CHECK(m);
	struct kmem_swap_pte pt[64];
	size_t n = kmem_swap_ptes(m, 0, pt, 64);
	assert_true(n < 64);
	for (size_t i = 0; i < n; i++)
		assert_true(pt[i].pid != pid);
	assert_true(swinfo(m, "/swapfile").inuse_pages <= n +
		    swsum(m).total_swapcache_pages);
	kmem_machine_destroy(m);
	return out;
}

static void test_pressure_swaps(void **state)
{
	(void)state;
	char *a = pressure_run(), *b = pressure_run();

	ASSERT_SAME_TEXT(a, b, "two identical pressure runs");
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swapon_proc_swaps),
		cmocka_unit_test(test_swapon_errors),
		cmocka_unit_test(test_slot_clusters),
		cmocka_unit_test(test_priorities_round_robin),
		cmocka_unit_test(test_counts_fork_exit),
		cmocka_unit_test(test_swapin_readahead),
		cmocka_unit_test(test_write_fault_and_cow),
		cmocka_unit_test(test_swapoff_brings_back),
		cmocka_unit_test(test_swapoff_enomem),
		cmocka_unit_test(test_entry_encodings),
		cmocka_unit_test(test_swap_token),
		cmocka_unit_test(test_swapout_errors),
		cmocka_unit_test(test_show_free_areas_lines),
		cmocka_unit_test(test_pressure_swaps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
