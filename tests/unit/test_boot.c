/*
 * test_boot.c - boot geometry of every preset, checked against numbers
 * computed by hand from the 2.6.20 formulas in the facts reference
 * (linux-2.6.20-mm.md §1.2 zone boundaries and present pages, §2.1
 * min_free_kbytes, §2.2 pages_min/low/high, §2.3 lowmem_reserve, §3.6
 * zone_batchsize/setup_pageset, §1.4 zonelists, appendix A).
 *
 * Derivations (struct page = 32 bytes on i386, 56 on x86_64):
 *   memmap  = spanned * sizeof(struct page) >> 12      (truncated)
 *   present = spanned - holes - memmap (- dma_reserve for DMA, §1.2)
 * i386 has no holes and dma_reserve 0 (§1.2), so its tables are literal.
 * The x86_64 machines boot from a PC-style e820 map with the legacy hole
 * 0x9f000-0x100000 (pfn 159..255, 97 pages) in DMA and a dma_reserve that
 * depends on the simulated kernel image; the reference fixes neither, so
 * the x86_64 tests check DMA present = 4096 - 97 - 56 - dma_reserve (the
 * hole read through kmem_page_info, dma_reserve from the boot log's "DMA
 * zone: N pages reserved") and then derive every dependent number from it
 * with derive() below, the same formulas written out in C.
 *   min_free_kbytes = int_sqrt(lowmem_present * 4 * 16), clamped [128,65536]
 *   pages_min_total = min_free_kbytes >> 2
 *   tmp  = pages_min_total * present / lowmem_present
 *   min  = tmp (lowmem) | clamp(present/1024, 32, 128) (HighMem)
 *   low  = min + tmp/4,  high = min + tmp/2
 *   lowmem_reserve[j] of zone i<j = (present of zones i+1..j) / ratio[i]
 *   batch = present/1024, cap 128, /4, min 1, round to 2^k - 1
 *   hot  = (6*batch, max(1,batch)), cold = (2*batch, max(1,batch/2))
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include "helpers.h"

struct zexp {
	int nid, idx;                   /* where */
	const char *name;               /* zone_names[] */
	bool populated;                 /* present != 0 */
	unsigned long start, spanned, memmap, present;
	unsigned long min, low, high;   /* watermarks */
	unsigned long res[3];           /* lowmem_reserve[] */
	int hot_high, hot_batch, cold_high, cold_batch;
};

static void expect_zone(const struct machine *m, const struct zexp *e,
			unsigned cpus)
{
	struct kmem_zone_info z = zinfo(m, e->nid, e->idx);
	char where[64];

	snprintf(where, sizeof where, "node %d zone %d (%s)", e->nid, e->idx,
		 e->name);
	if (!e->populated) {
		if (z.populated || z.present != 0 || z.spanned != 0)
			fail_msg("%s: expected empty, got spanned %lu present %lu",
				 where, z.spanned, z.present);
		return;
	}
	assert_true(z.populated);
	assert_int_equal(z.nid, e->nid);
	assert_int_equal(z.idx, e->idx);
	assert_string_equal(z.name, e->name);
#define EQ(field, want) do { \
	if ((unsigned long)(field) != (unsigned long)(want)) \
		fail_msg("%s: %s = %lu, expected %lu", where, #field, \
			 (unsigned long)(field), (unsigned long)(want)); \
} while (0)
	EQ(z.start_pfn, e->start);
	EQ(z.spanned, e->spanned);
	EQ(z.memmap_pages, e->memmap);
	EQ(z.present, e->present);
	EQ(z.pages_min, e->min);
	EQ(z.pages_low, e->low);
	EQ(z.pages_high, e->high);
	EQ(z.lowmem_reserve[0], e->res[0]);
	EQ(z.lowmem_reserve[1], e->res[1]);
	EQ(z.lowmem_reserve[2], e->res[2]);
	for (unsigned cpu = 0; cpu < cpus; cpu++) {
		struct kmem_pcp_info hot = pcpinfo(m, e->nid, e->idx, cpu, 0);
		struct kmem_pcp_info cold = pcpinfo(m, e->nid, e->idx, cpu, 1);

		EQ(hot.high, e->hot_high);
		EQ(hot.batch, e->hot_batch);
		EQ(cold.high, e->cold_high);
		EQ(cold.batch, e->cold_batch);
	}
#undef EQ
	/* the zone's pages all lie in the zone */
	assert_int_equal(zone_of(m, e->start), e->idx);
	assert_int_equal(zone_of(m, e->start + e->spanned - 1), e->idx);
	assert_int_equal(pinfo(m, e->start).nid, e->nid);
}

static void expect_zones(const struct machine *m, const struct zexp *e,
			 size_t n, unsigned cpus)
{
	for (size_t i = 0; i < n; i++)
		expect_zone(m, &e[i], cpus);
}

static void expect_dmesg(const struct machine *m, const char *line);

static unsigned long isqrt(unsigned long x)
{
	unsigned long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

static int fls_(unsigned long x)
{
	int n = 0;

	while (x) {
		n++;
		x >>= 1;
	}
	return n;
}

/*
 * Fill min/low/high, lowmem_reserve and the pageset sizes of every
 * populated zone from the present pages in e[] (one entry per node and
 * zone index, nodes in order): §2.1, §2.2, §2.3, §3.6.  highmem: zone
 * index 2 is HighMem (i386).  mfk < 0: computed.  Returns min_free_kbytes.
 */
static long derive(struct zexp *e, size_t n, bool highmem, long mfk,
		   const long ratio[2])
{
	unsigned long lowmem = 0, total;

	for (size_t i = 0; i < n; i++)
		if (!(highmem && e[i].idx == 2))
			lowmem += e[i].present;
	if (mfk < 0) {
		mfk = (long)isqrt(lowmem * 4 * 16);
		if (mfk < 128)
			mfk = 128;
		if (mfk > 65536)
			mfk = 65536;
	}
	total = (unsigned long)mfk >> 2;
	for (size_t i = 0; i < n; i++) {
		unsigned long tmp = total * e[i].present / lowmem;
		unsigned long min = tmp, batch;

		if (highmem && e[i].idx == 2) {
			min = e[i].present / 1024;
			min = min < 32 ? 32 : min > 128 ? 128 : min;
		}
		e[i].min = min;
		e[i].low = min + (tmp >> 2);
		e[i].high = min + (tmp >> 1);
		/* lowmem_reserve, within the node */
		for (int j = 0; j < 3; j++)
			e[i].res[j] = 0;
		for (int j = e[i].idx + 1; j < 3; j++) {
			unsigned long sum = 0;

			for (size_t k = 0; k < n; k++)
				if (e[k].nid == e[i].nid && e[k].idx > e[i].idx &&
				    e[k].idx <= j)
					sum += e[k].present;
			e[i].res[j] = sum / (unsigned long)(ratio[e[i].idx] < 1 ?
							   1 : ratio[e[i].idx]);
		}
		/* zone_batchsize + setup_pageset */
		batch = e[i].present / 1024;
		if (batch * 4096 > 512 * 1024)
			batch = 512 * 1024 / 4096;
		batch /= 4;
		if (batch < 1)
			batch = 1;
		batch = (1UL << (fls_(batch + batch / 2) - 1)) - 1;
		e[i].hot_high = (int)(6 * batch);
		e[i].hot_batch = batch > 1 ? (int)batch : 1;
		e[i].cold_high = (int)(2 * batch);
		e[i].cold_batch = batch / 2 > 1 ? (int)(batch / 2) : 1;
	}
	return mfk;
}

/* "  DMA zone: N pages reserved" from the boot log. */
static unsigned long dma_reserve_from_dmesg(const struct machine *m)
{
	size_t len;
	const char *d = kmem_dmesg(m, &len);
	const char *p = strstr(d, "DMA zone: ");

	while (p) {
		unsigned long n;
		char word[16];

		if (sscanf(p, "DMA zone: %lu pages %15s", &n, word) == 2 &&
		    strcmp(word, "reserved") == 0)
			return n;
		p = strstr(p + 1, "DMA zone: ");
	}
	fail_msg("boot log has no \"DMA zone: N pages reserved\" line");
	return 0;
}

/* x86_64 DMA: the e820 map reserves 0x9f000-0x100000, none of those 97
 * frames is ever free, and present = 4096 - 97 - 56 - dma_reserve.
 * Returns present. */
static unsigned long x86_64_dma_present(const struct machine *m)
{
	unsigned long r = dma_reserve_from_dmesg(m);
	unsigned long present = zinfo(m, 0, 0).present;

	expect_dmesg(m, "BIOS-e820: 000000000009f000 - 0000000000100000 (reserved)");
	for (unsigned long pfn = 159; pfn < 256; pfn++) {
		enum kmem_page_state st = pinfo(m, pfn).state;

		if (st != KMEM_PAGE_HOLE && st != KMEM_PAGE_RESERVED)
			fail_msg("pfn %lu (in the e820 hole) is in use (state %d)",
				 pfn, st);
	}
	if (present != 4096 - 97 - 56 - r)
		fail_msg("DMA present %lu, expected 4096 - 97 - 56 - %lu = %lu",
			 present, r, 4096 - 97 - 56 - r);
	return present;
}

static long sysctl1(const struct machine *m, const char *name)
{
	long v[KMEM_SYSCTL_VEC_MAX] = { 0 };
	int id = kmem_sysctl_lookup(name);

	assert_true(id >= 0);
	assert_true(kmem_sysctl_get(m, id, v) >= 1);
	return v[0];
}

static void expect_dmesg(const struct machine *m, const char *line)
{
	size_t len = 0;
	const char *d = kmem_dmesg(m, &len);

	assert_non_null(d);
	if (!strstr(d, line))
		fail_msg("dmesg lacks \"%s\"", line);
}

/* Appendix A, i386 1 GiB: the worked example. */
static const struct zexp i386_1g[] = {
	{ 0, 0, "DMA", true, 0, 4096, 32, 4064, 17, 21, 25,
	  { 0, 873, 1000 }, 0, 1, 0, 1 },
	{ 0, 1, "Normal", true, 4096, 225280, 1760, 223520, 936, 1170, 1404,
	  { 0, 0, 1016 }, 186, 31, 62, 15 },
	{ 0, 2, "HighMem", true, 229376, 32768, 256, 32512, 32, 66, 100,
	  { 0, 0, 0 }, 42, 7, 14, 3 },
};

static void test_up_i386_1g_appendix_a(void **state)
{
	struct machine *m = boot_simple(KMEM_ARCH_I386, 1, 1ULL << 30);
	struct kmem_machine_info mi = minfo(m);

	(void)state;
	assert_int_equal(mi.arch, KMEM_ARCH_I386);
	assert_int_equal(mi.cpus, 1);
	assert_int_equal(mi.nr_nodes, 1);
	assert_false(mi.numa);
	assert_false(mi.smp);
	assert_int_equal(mi.max_pfn, 262144);
	assert_int_equal(mi.max_low_pfn, 229376);
	assert_true(mi.page_offset == 0xC0000000ULL);
	expect_zones(m, i386_1g, ARRAY_LEN(i386_1g), 1);
	/* int_sqrt((4064 + 223520) * 4 * 16) = int_sqrt(14565376) = 3816 */
	assert_int_equal(sysctl1(m, "min_free_kbytes"), 3816);
	expect_dmesg(m, "DMA zone: 32 pages used for memmap");
	expect_dmesg(m, "Normal zone: 1760 pages used for memmap");
	expect_dmesg(m, "HighMem zone: 256 pages used for memmap");
	expect_dmesg(m, "DMA zone: 4064 pages, LIFO batch:0");
	expect_dmesg(m, "Normal zone: 223520 pages, LIFO batch:31");
	expect_dmesg(m, "HighMem zone: 32512 pages, LIFO batch:7");
	/* nr_free_pagecache_pages() with pages_high still 0: all present */
	expect_dmesg(m, "Built 1 zonelists.  Total pages: 260096");
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_preset_i386_1g(void **state)
{
	struct machine *m = boot_preset("i386-1g");
	struct kmem_machine_info mi = minfo(m);

	(void)state;
	assert_int_equal(mi.cpus, 2);
	assert_true(mi.smp);
	assert_string_equal(mi.arch_name, "i386");
	assert_int_equal(mi.max_pfn, 262144);
	/* watermarks and pagesets do not depend on the CPU count */
	expect_zones(m, i386_1g, ARRAY_LEN(i386_1g), 2);
	assert_int_equal(sysctl1(m, "min_free_kbytes"), 3816);
	CHECK(m);
	kmem_machine_destroy(m);
}

/*
 * i386 4 GiB: HighMem 229376..1048576 = 819200 pages, memmap 6400,
 * present 812800.  Lowmem is unchanged, so min_free_kbytes 3816, total 954.
 * HighMem: min = 812800/1024 = 793 -> 128; tmp = 954*812800/227584 = 3407;
 * low 128+851 = 979, high 128+1703 = 1831.  DMA[2] = (223520+812800)/256 =
 * 4048, Normal[2] = 812800/32 = 25400.  HighMem batch: 793 -> 128 -> 32 -> 31.
 */
static void test_preset_i386_4g(void **state)
{
	static const struct zexp e[] = {
		{ 0, 0, "DMA", true, 0, 4096, 32, 4064, 17, 21, 25,
		  { 0, 873, 4048 }, 0, 1, 0, 1 },
		{ 0, 1, "Normal", true, 4096, 225280, 1760, 223520, 936, 1170,
		  1404, { 0, 0, 25400 }, 186, 31, 62, 15 },
		{ 0, 2, "HighMem", true, 229376, 819200, 6400, 812800, 128, 979,
		  1831, { 0, 0, 0 }, 186, 31, 62, 15 },
	};
	struct machine *m = boot_preset("i386-4g");
	struct kmem_machine_info mi = minfo(m);

	(void)state;
	assert_int_equal(mi.cpus, 2);
	assert_int_equal(mi.max_pfn, 1048576);
	assert_int_equal(mi.max_low_pfn, 229376);
	assert_false(mi.pae);           /* 4 GiB fits HIGHMEM4G */
	expect_zones(m, e, ARRAY_LEN(e), 2);
	assert_int_equal(sysctl1(m, "min_free_kbytes"), 3816);
	CHECK(m);
	kmem_machine_destroy(m);
}

/*
 * i386 8 GiB (HIGHMEM64G/PAE): HighMem 229376..2097152 = 1867776 pages,
 * memmap 14592, present 1853184: min 1809 -> 128, tmp = 954*1853184/227584
 * = 7768 -> 128/2070/4012.  DMA[2] = (223520+1853184)/256 = 8112,
 * Normal[2] = 1853184/32 = 57912.
 */
static void test_i386_8g_pae(void **state)
{
	static const struct zexp e[] = {
		{ 0, 0, "DMA", true, 0, 4096, 32, 4064, 17, 21, 25,
		  { 0, 873, 8112 }, 0, 1, 0, 1 },
		{ 0, 1, "Normal", true, 4096, 225280, 1760, 223520, 936, 1170,
		  1404, { 0, 0, 57912 }, 186, 31, 62, 15 },
		{ 0, 2, "HighMem", true, 229376, 1867776, 14592, 1853184, 128,
		  2070, 4012, { 0, 0, 0 }, 186, 31, 62, 15 },
	};
	struct machine *m = boot_simple(KMEM_ARCH_I386, 1, 8ULL << 30);
	struct kmem_machine_info mi = minfo(m);

	(void)state;
	assert_true(mi.pae);
	assert_int_equal(mi.max_pfn, 2097152);
	assert_int_equal(mi.max_low_pfn, 229376);
	expect_zones(m, e, ARRAY_LEN(e), 1);
	assert_int_equal(sysctl1(m, "min_free_kbytes"), 3816);
	CHECK(m);
	kmem_machine_destroy(m);
}

/*
 * x86_64 2 GiB: DMA 0..4096 (memmap 4096*56>>12 = 56, present 4096 - 97
 * hole - 56 - dma_reserve); DMA32 4096..524288 = 520192 (memmap 7112,
 * present 513080); Normal empty.  With the engine's current boot
 * (dma_reserve 1039, DMA present 2904): lowmem 515984, min_free_kbytes
 * int_sqrt(515984*64) = 5746, total 1436; DMA 8/10/12, DMA32 1427/1783/2140;
 * DMA[1] = DMA[2] = 513080/256 = 2004 (ratios 256 256).
 */
static void test_preset_x86_64_2g(void **state)
{
	struct zexp e[] = {
		{ 0, 0, "DMA", true, 0, 4096, 56, 0, 0, 0, 0, { 0 }, 0, 0, 0, 0 },
		{ 0, 1, "DMA32", true, 4096, 520192, 7112, 513080, 0, 0, 0,
		  { 0 }, 0, 0, 0, 0 },
		{ 0, 2, "Normal", false, 0, 0, 0, 0, 0, 0, 0, { 0 }, 0, 0, 0, 0 },
	};
	static const long ratio[2] = { 256, 256 };
	struct machine *m = boot_preset("x86_64-2g");
	struct kmem_machine_info mi = minfo(m);
	long mfk;
	char line[80];

	(void)state;
	assert_int_equal(mi.arch, KMEM_ARCH_X86_64);
	assert_string_equal(mi.arch_name, "x86_64");
	assert_int_equal(mi.cpus, 2);
	assert_true(mi.numa);           /* x86_64 is built CONFIG_NUMA */
	assert_int_equal(mi.nr_nodes, 1);
	assert_int_equal(mi.max_pfn, 524288);
	assert_true(mi.page_offset == 0xffff810000000000ULL);
	e[0].present = x86_64_dma_present(m);
	mfk = derive(e, ARRAY_LEN(e), false, -1, ratio);
	assert_int_equal(e[0].res[1], 2004);
	assert_int_equal(e[1].hot_high, 186);
	expect_zones(m, e, ARRAY_LEN(e), 2);
	assert_int_equal(sysctl1(m, "min_free_kbytes"), mfk);
	expect_dmesg(m, "DMA zone: 56 pages used for memmap");
	expect_dmesg(m, "DMA32 zone: 7112 pages used for memmap");
	expect_dmesg(m, "DMA32 zone: 513080 pages, LIFO batch:31");
	snprintf(line, sizeof line, "Built 1 zonelists.  Total pages: %lu",
		 e[0].present + e[1].present);
	expect_dmesg(m, line);
	CHECK(m);
	kmem_machine_destroy(m);
}

/*
 * x86_64-numa: two 1 GiB nodes.  Node 0 = pfn 0..262144: DMA (56 memmap,
 * the hole, dma_reserve), DMA32 4096..262144 = 258048 (memmap 3528, present
 * 254520).  Node 1 = 262144..524288, all below 4 GiB: DMA32 only, 262144
 * (3584, 258560).  nr_free_buffer_pages walks node 0's Normal zonelist,
 * which on NUMA holds both nodes, so lowmem is every zone's present pages;
 * lowmem_reserve is per node: N0 DMA[1] = DMA[2] = 254520/256 = 994.
 * (Engine today: DMA present 2912, lowmem 515992, 5746 kB, total 1436:
 * DMA 8/10/12, N0 DMA32 708/885/1062, N1 DMA32 719/898/1078.)
 */
static void test_preset_x86_64_numa(void **state)
{
	struct zexp e[] = {
		{ 0, 0, "DMA", true, 0, 4096, 56, 0, 0, 0, 0, { 0 }, 0, 0, 0, 0 },
		{ 0, 1, "DMA32", true, 4096, 258048, 3528, 254520, 0, 0, 0,
		  { 0 }, 0, 0, 0, 0 },
		{ 0, 2, "Normal", false, 0, 0, 0, 0, 0, 0, 0, { 0 }, 0, 0, 0, 0 },
		{ 1, 0, "DMA", false, 0, 0, 0, 0, 0, 0, 0, { 0 }, 0, 0, 0, 0 },
		{ 1, 1, "DMA32", true, 262144, 262144, 3584, 258560, 0, 0, 0,
		  { 0 }, 0, 0, 0, 0 },
		{ 1, 2, "Normal", false, 0, 0, 0, 0, 0, 0, 0, { 0 }, 0, 0, 0, 0 },
	};
	static const long ratio[2] = { 256, 256 };
	struct machine *m = boot_preset("x86_64-numa");
	struct kmem_machine_info mi = minfo(m);
	bool seen[2] = { false, false };
	long mfk;
	char line[80];

	(void)state;
	assert_int_equal(mi.cpus, 4);
	assert_int_equal(mi.nr_nodes, 2);
	assert_true(mi.numa);
	assert_int_equal(mi.max_pfn, 524288);
	e[0].present = x86_64_dma_present(m);
	mfk = derive(e, ARRAY_LEN(e), false, -1, ratio);
	assert_int_equal(e[0].res[1], 994);
	assert_int_equal(e[0].res[2], 994);
	expect_zones(m, e, ARRAY_LEN(e), 4);
	assert_int_equal(sysctl1(m, "min_free_kbytes"), mfk);
	for (unsigned cpu = 0; cpu < 4; cpu++) {
		unsigned nid = kmem_cpu_to_node(m, cpu);

		assert_true(nid < 2);
		seen[nid] = true;
	}
	assert_true(seen[0] && seen[1]);
	snprintf(line, sizeof line, "Built 2 zonelists.  Total pages: %lu",
		 e[0].present + e[1].present + e[4].present);
	expect_dmesg(m, line);
	CHECK(m);
	kmem_machine_destroy(m);
}

/*
 * tiny: i386, 1 CPU, 32 MiB = 8192 pages.  DMA 0..4096 and Normal
 * 4096..8192, each memmap 32, present 4064; no HighMem.  lowmem 8128:
 * min_free_kbytes = int_sqrt(8128*64) = int_sqrt(520192) = 721, total 180;
 * each zone tmp = 180*4064/8128 = 90 -> 90/112/135.  DMA[1] = 4064/256 = 15,
 * DMA[2] = (4064+0)/256 = 15.  Both zones batch 0: hot 0/1, cold 0/1.
 */
static void test_preset_tiny(void **state)
{
	static const struct zexp e[] = {
		{ 0, 0, "DMA", true, 0, 4096, 32, 4064, 90, 112, 135,
		  { 0, 15, 15 }, 0, 1, 0, 1 },
		{ 0, 1, "Normal", true, 4096, 4096, 32, 4064, 90, 112, 135,
		  { 0, 0, 0 }, 0, 1, 0, 1 },
		{ 0, 2, "HighMem", false, 0, 0, 0, 0, 0, 0, 0, { 0 }, 0, 0, 0, 0 },
	};
	struct machine *m = boot_preset("tiny");
	struct kmem_machine_info mi = minfo(m);

	(void)state;
	assert_int_equal(mi.arch, KMEM_ARCH_I386);
	assert_int_equal(mi.cpus, 1);
	assert_int_equal(mi.max_pfn, 8192);
	assert_int_equal(mi.max_low_pfn, 8192);
	expect_zones(m, e, ARRAY_LEN(e), 1);
	assert_int_equal(sysctl1(m, "min_free_kbytes"), 721);
	expect_dmesg(m, "Normal zone: 4064 pages, LIFO batch:0");
	CHECK(m);
	kmem_machine_destroy(m);
}

/*
 * i386 2 GiB: Normal still ends at max_low_pfn 229376, HighMem 229376..
 * 524288 = 294912 (memmap 2304, present 292608): min 285 -> 128, tmp =
 * 954*292608/227584 = 1226 -> 128/434/741.  DMA[2] = (223520+292608)/256 =
 * 2016, Normal[2] = 292608/32 = 9144.
 */
static void test_i386_2g_boundaries(void **state)
{
	static const struct zexp e[] = {
		{ 0, 0, "DMA", true, 0, 4096, 32, 4064, 17, 21, 25,
		  { 0, 873, 2016 }, 0, 1, 0, 1 },
		{ 0, 1, "Normal", true, 4096, 225280, 1760, 223520, 936, 1170,
		  1404, { 0, 0, 9144 }, 186, 31, 62, 15 },
		{ 0, 2, "HighMem", true, 229376, 294912, 2304, 292608, 128, 434,
		  741, { 0, 0, 0 }, 186, 31, 62, 15 },
	};
	struct machine *m = boot_simple(KMEM_ARCH_I386, 1, 2ULL << 30);

	(void)state;
	expect_zones(m, e, ARRAY_LEN(e), 1);
	assert_int_equal(minfo(m).max_low_pfn, 229376);
	assert_int_equal(minfo(m).max_pfn, 524288);
	CHECK(m);
	kmem_machine_destroy(m);
}

/*
 * x86_64 6 GiB, 1 CPU: DMA < 4096, DMA32 < 1048576, Normal above.
 * DMA32 spanned 1044480 (memmap 14280, present 1030200); Normal 1048576..
 * 1572864 = 524288 (7168, 517120).  DMA32[2] = 517120/256 = 2020.
 * (Engine today: DMA present 2873, lowmem 1550193, 9962 kB, total 2490:
 * DMA 4/5/6, DMA32 1654/2067/2481, Normal 830/1037/1245; DMA[1] = 4024,
 * DMA[2] = 6044.)
 */
static void test_x86_64_6g_boundaries(void **state)
{
	struct zexp e[] = {
		{ 0, 0, "DMA", true, 0, 4096, 56, 0, 0, 0, 0, { 0 }, 0, 0, 0, 0 },
		{ 0, 1, "DMA32", true, 4096, 1044480, 14280, 1030200, 0, 0, 0,
		  { 0 }, 0, 0, 0, 0 },
		{ 0, 2, "Normal", true, 1048576, 524288, 7168, 517120, 0, 0, 0,
		  { 0 }, 0, 0, 0, 0 },
	};
	static const long ratio[2] = { 256, 256 };
	struct machine *m = boot_simple(KMEM_ARCH_X86_64, 1, 6ULL << 30);
	long mfk;

	(void)state;
	e[0].present = x86_64_dma_present(m);
	mfk = derive(e, ARRAY_LEN(e), false, -1, ratio);
	assert_int_equal(e[0].res[1], 4024);
	assert_int_equal(e[0].res[2], 6044);
	assert_int_equal(e[1].res[2], 2020);
	expect_zones(m, e, ARRAY_LEN(e), 1);
	assert_int_equal(minfo(m).max_pfn, 1572864);
	assert_int_equal(sysctl1(m, "min_free_kbytes"), mfk);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* derive() agrees with appendix A, so the x86_64 numbers rest on the same
 * arithmetic as the literal i386 tables. */
static void test_derive_matches_appendix_a(void **state)
{
	struct zexp e[3];
	static const long ratio[2] = { 256, 32 };

	(void)state;
	memcpy(e, i386_1g, sizeof e);
	for (int i = 0; i < 3; i++) {
		e[i].min = e[i].low = e[i].high = 0;
		e[i].hot_high = e[i].hot_batch = 0;
	}
	assert_int_equal(derive(e, 3, true, -1, ratio), 3816);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(e[i].min, i386_1g[i].min);
		assert_int_equal(e[i].low, i386_1g[i].low);
		assert_int_equal(e[i].high, i386_1g[i].high);
		for (int j = 0; j < 3; j++)
			assert_int_equal(e[i].res[j], i386_1g[i].res[j]);
		assert_int_equal(e[i].hot_high, i386_1g[i].hot_high);
		assert_int_equal(e[i].hot_batch, i386_1g[i].hot_batch);
		assert_int_equal(e[i].cold_high, i386_1g[i].cold_high);
		assert_int_equal(e[i].cold_batch, i386_1g[i].cold_batch);
	}
}

/* vm: min_free_kbytes: 8192 -> total 2048 pages (§2.2):
 *   DMA    2048*4064/227584   = 36   -> 36/45/54
 *   Normal 2048*223520/227584 = 2011 -> 2011/2513/3016
 *   HighMem min 32, tmp 292        -> 32/105/178
 * lowmem_reserve does not depend on it. */
static void test_min_free_kbytes_override(void **state)
{
	static const struct zexp e[] = {
		{ 0, 0, "DMA", true, 0, 4096, 32, 4064, 36, 45, 54,
		  { 0, 873, 1000 }, 0, 1, 0, 1 },
		{ 0, 1, "Normal", true, 4096, 225280, 1760, 223520, 2011, 2513,
		  3016, { 0, 0, 1016 }, 186, 31, 62, 15 },
		{ 0, 2, "HighMem", true, 229376, 32768, 256, 32512, 32, 105, 178,
		  { 0, 0, 0 }, 42, 7, 14, 3 },
	};
	struct kmem_config c;
	struct machine *m;
	int id = kmem_sysctl_lookup("min_free_kbytes");

	(void)state;
	assert_true(id >= 0 && id < KMEM_CONFIG_MAX_SYSCTL);
	kmem_config_defaults(&c);
	c.vm[id].set = true;
	c.vm[id].n = 1;
	c.vm[id].v[0] = 8192;
	m = boot_config(&c);
	expect_zones(m, e, ARRAY_LEN(e), 1);
	assert_int_equal(sysctl1(m, "min_free_kbytes"), 8192);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* vm: lowmem_reserve_ratio: [128, 16]:
 *   DMA[1] = 223520/128 = 1746, DMA[2] = 256032/128 = 2000,
 *   Normal[2] = 32512/16 = 2032; watermarks unchanged. */
static void test_lowmem_reserve_ratio_override(void **state)
{
	static const struct zexp e[] = {
		{ 0, 0, "DMA", true, 0, 4096, 32, 4064, 17, 21, 25,
		  { 0, 1746, 2000 }, 0, 1, 0, 1 },
		{ 0, 1, "Normal", true, 4096, 225280, 1760, 223520, 936, 1170,
		  1404, { 0, 0, 2032 }, 186, 31, 62, 15 },
		{ 0, 2, "HighMem", true, 229376, 32768, 256, 32512, 32, 66, 100,
		  { 0, 0, 0 }, 42, 7, 14, 3 },
	};
	struct kmem_config c;
	struct machine *m;
	long v[KMEM_SYSCTL_VEC_MAX] = { 0 };
	int id = kmem_sysctl_lookup("lowmem_reserve_ratio");

	(void)state;
	assert_true(id >= 0 && id < KMEM_CONFIG_MAX_SYSCTL);
	kmem_config_defaults(&c);
	c.vm[id].set = true;
	c.vm[id].n = 2;
	c.vm[id].v[0] = 128;
	c.vm[id].v[1] = 16;
	m = boot_config(&c);
	expect_zones(m, e, ARRAY_LEN(e), 1);
	assert_int_equal(kmem_sysctl_get(m, id, v), 2);
	assert_int_equal(v[0], 128);
	assert_int_equal(v[1], 16);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Default ratios (appendix B): 256 32 on i386, 256 256 on x86_64. */
static void test_lowmem_reserve_ratio_defaults(void **state)
{
	struct machine *a = boot_preset("i386-1g");
	struct machine *b = boot_preset("x86_64-2g");
	int id = kmem_sysctl_lookup("lowmem_reserve_ratio");
	long v[KMEM_SYSCTL_VEC_MAX] = { 0 };

	(void)state;
	assert_true(id >= 0);
	assert_int_equal(kmem_sysctl_get(a, id, v), 2);
	assert_int_equal(v[0], 256);
	assert_int_equal(v[1], 32);
	assert_int_equal(kmem_sysctl_get(b, id, v), 2);
	assert_int_equal(v[0], 256);
	assert_int_equal(v[1], 256);
	kmem_machine_destroy(a);
	kmem_machine_destroy(b);
}

/* ------------------------------------------------------------------ */
/* Zonelists (§1.4): gfp_zone picks the list; zones high to low;      */
/* only populated zones; NUMA orders whole nodes, local first.        */
/* ------------------------------------------------------------------ */

struct zl { int nid, idx; };

static void expect_zonelist(const struct machine *m, int nid, gfp_t gfp,
			    const struct zl *want, size_t n)
{
	int nids[16], idxs[16];
	size_t got = kmem_zonelist(m, nid, gfp, nids, idxs, ARRAY_LEN(nids));

	if (got != n)
		fail_msg("zonelist(node %d, gfp %#x): %zu zones, expected %zu",
			 nid, gfp, got, n);
	for (size_t i = 0; i < n; i++)
		if (nids[i] != want[i].nid || idxs[i] != want[i].idx)
			fail_msg("zonelist(node %d, gfp %#x)[%zu] = %d/%d, expected %d/%d",
				 nid, gfp, i, nids[i], idxs[i], want[i].nid,
				 want[i].idx);
}

#define ZL(m, nid, gfp, ...) do { \
	static const struct zl w_[] = { __VA_ARGS__ }; \
	expect_zonelist((m), (nid), (gfp), w_, ARRAY_LEN(w_)); \
} while (0)

static void test_zonelists_i386(void **state)
{
	struct machine *m = boot_preset("i386-1g");
	struct machine *t = boot_preset("tiny");

	(void)state;
	ZL(m, 0, GFP_KERNEL, { 0, 1 }, { 0, 0 });
	ZL(m, 0, GFP_ATOMIC, { 0, 1 }, { 0, 0 });
	ZL(m, 0, GFP_USER, { 0, 1 }, { 0, 0 });
	ZL(m, 0, GFP_HIGHUSER, { 0, 2 }, { 0, 1 }, { 0, 0 });
	ZL(m, 0, GFP_HIGHUSER | __GFP_ZERO, { 0, 2 }, { 0, 1 }, { 0, 0 });
	ZL(m, 0, GFP_DMA, { 0, 0 });
	ZL(m, 0, GFP_KERNEL | GFP_DMA, { 0, 0 });
	/* __GFP_DMA wins over __GFP_HIGHMEM */
	ZL(m, 0, GFP_HIGHUSER | GFP_DMA, { 0, 0 });
	/* no ZONE_DMA32 on i386: __GFP_DMA32 falls through to Normal */
	ZL(m, 0, GFP_DMA32, { 0, 1 }, { 0, 0 });
	ZL(m, -1, GFP_HIGHUSER, { 0, 2 }, { 0, 1 }, { 0, 0 });
	/* tiny has no HighMem: only populated zones are listed */
	ZL(t, 0, GFP_HIGHUSER, { 0, 1 }, { 0, 0 });
	ZL(t, 0, GFP_KERNEL, { 0, 1 }, { 0, 0 });
	kmem_machine_destroy(m);
	kmem_machine_destroy(t);
}

static void test_zonelists_x86_64(void **state)
{
	struct machine *m = boot_preset("x86_64-2g");
	struct machine *b = boot_simple(KMEM_ARCH_X86_64, 1, 6ULL << 30);

	(void)state;
	/* 2 GiB: Normal is empty, so the Normal list starts at DMA32 */
	ZL(m, 0, GFP_KERNEL, { 0, 1 }, { 0, 0 });
	ZL(m, 0, GFP_HIGHUSER, { 0, 1 }, { 0, 0 });
	ZL(m, 0, GFP_DMA32, { 0, 1 }, { 0, 0 });
	ZL(m, 0, GFP_DMA, { 0, 0 });
	/* 6 GiB */
	ZL(b, 0, GFP_KERNEL, { 0, 2 }, { 0, 1 }, { 0, 0 });
	/* __GFP_HIGHMEM maps to Normal on x86_64 */
	ZL(b, 0, GFP_HIGHUSER, { 0, 2 }, { 0, 1 }, { 0, 0 });
	ZL(b, 0, GFP_DMA32, { 0, 1 }, { 0, 0 });
	ZL(b, 0, GFP_KERNEL | GFP_DMA32, { 0, 1 }, { 0, 0 });
	ZL(b, 0, GFP_DMA, { 0, 0 });
	ZL(b, 0, GFP_DMA | GFP_DMA32, { 0, 0 });
	kmem_machine_destroy(m);
	kmem_machine_destroy(b);
}

static void test_zonelists_numa(void **state)
{
	struct machine *m = boot_preset("x86_64-numa");

	(void)state;
	/* node-ordered: all of the local node's zones, then the other's */
	ZL(m, 0, GFP_KERNEL, { 0, 1 }, { 0, 0 }, { 1, 1 });
	ZL(m, 1, GFP_KERNEL, { 1, 1 }, { 0, 1 }, { 0, 0 });
	ZL(m, 0, GFP_HIGHUSER, { 0, 1 }, { 0, 0 }, { 1, 1 });
	ZL(m, 1, GFP_DMA32, { 1, 1 }, { 0, 1 }, { 0, 0 });
	ZL(m, 0, GFP_DMA32, { 0, 1 }, { 0, 0 }, { 1, 1 });
	ZL(m, 0, GFP_DMA, { 0, 0 });
	/* node 1 has no DMA zone: its DMA list is node 0's DMA */
	ZL(m, 1, GFP_DMA, { 0, 0 });
	/* nid < 0 follows the current CPU */
	for (unsigned cpu = 0; cpu < 4; cpu++) {
		int nids[8], idxs[8];
		unsigned node;
		size_t n;

		assert_int_equal(kmem_set_cpu(m, cpu), 0);
		node = kmem_cpu_to_node(m, cpu);
		n = kmem_zonelist(m, -1, GFP_KERNEL, nids, idxs, 8);
		assert_int_equal(n, 3);
		assert_int_equal(nids[0], (int)node);
		assert_int_equal(idxs[0], 1);
	}
	kmem_machine_destroy(m);
}

/* A machine below the minimum does not boot, and says why. */
static void test_too_small(void **state)
{
	struct kmem_config c;
	struct machine *m = NULL;
	char err[256] = "";

	(void)state;
	kmem_config_defaults(&c);
	c.memory = 4ULL << 20;
	assert_int_equal(kmem_machine_create(&c, &m, err, sizeof err), -EINVAL);
	assert_null(m);
	assert_true(strlen(err) > 0);
}

/* Every preset boots, passes its checker, and accounts its pages: each
 * zone's blocks add up to its free_pages (pcp pages are not free pages,
 * §3.5), and the zones add up to nr_free_pages (§3.8 helpers). */
static void test_every_preset_consistent(void **state)
{
	const char *const *names = kmem_config_preset_names();

	(void)state;
	assert_non_null(names);
	for (size_t i = 0; names[i]; i++) {
		struct machine *m = boot_preset(names[i]);
		struct kmem_machine_info mi = minfo(m);
		unsigned long sum = 0;

		for (unsigned nid = 0; nid < mi.nr_nodes; nid++) {
			for (int idx = 0; idx < KMEM_MAX_NR_ZONES; idx++) {
				struct kmem_zone_info z = zinfo(m, (int)nid, idx);
				unsigned long pages = 0;

				for (unsigned o = 0; o < KMEM_MAX_ORDER; o++)
					pages += z.nr_free[o] << o;
				assert_int_equal(pages, z.free_pages);
				sum += z.free_pages;
			}
		}
		assert_int_equal(sum, mi.nr_free_pages);
		assert_true(mi.totalram_pages >= mi.nr_free_pages);
		CHECK(m);
		kmem_machine_destroy(m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_up_i386_1g_appendix_a),
		cmocka_unit_test(test_preset_i386_1g),
		cmocka_unit_test(test_preset_i386_4g),
		cmocka_unit_test(test_preset_x86_64_2g),
		cmocka_unit_test(test_preset_x86_64_numa),
		cmocka_unit_test(test_preset_tiny),
		cmocka_unit_test(test_i386_2g_boundaries),
		cmocka_unit_test(test_i386_8g_pae),
		cmocka_unit_test(test_x86_64_6g_boundaries),
		cmocka_unit_test(test_derive_matches_appendix_a),
		cmocka_unit_test(test_min_free_kbytes_override),
		cmocka_unit_test(test_lowmem_reserve_ratio_override),
		cmocka_unit_test(test_lowmem_reserve_ratio_defaults),
		cmocka_unit_test(test_zonelists_i386),
		cmocka_unit_test(test_zonelists_x86_64),
		cmocka_unit_test(test_zonelists_numa),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_every_preset_consistent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
