/*
 * test_page_alloc.c - the 2.6.20 buddy allocator, from the facts reference
 * (linux-2.6.20-mm.md §3.2-3.5 list discipline, §2.4 zone_watermark_ok,
 * §3.7-3.8 the zonelist walk and the slow path, §3.4 bad frees).
 *
 * Pure buddy behaviour is reached two ways:
 *   - order >= 1 never passes through the per-CPU lists (§3.4, §3.6);
 *   - a zone whose batch is 0 has hot high 0 / batch 1 (§3.6), so an
 *     order-0 allocation refills exactly one page by __rmqueue(zone, 0) and
 *     an order-0 free goes straight back through free_pages_bulk.  That is
 *     ZONE_DMA on every i386 machine (4064 present) and both zones of
 *     "tiny".
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include "helpers.h"

/* The DMA zone of an i386 machine passes order-0 pages straight through. */
static void assert_passthrough(const struct machine *m, int idx)
{
	for (unsigned cpu = 0; cpu < minfo(m).cpus; cpu++) {
		struct kmem_pcp_info h = pcpinfo(m, 0, idx, cpu, 0);

		assert_int_equal(h.high, 0);
		assert_int_equal(h.batch, 1);
		assert_int_equal(h.count, 0);
	}
}

/* Empty free_area[0..below-1] of a zone by allocating exactly the head
 * block of each list (what __rmqueue takes when that list is the smallest
 * non-empty one). */
static void empty_low_orders(struct machine *m, gfp_t gfp, int idx,
			     unsigned below)
{
	for (unsigned o = 0; o < below; o++) {
		while (free_area_len(m, 0, idx, o) > 0) {
			unsigned long head = free_area_head(m, 0, idx, o);

			/* every smaller list is empty, so this block is it */
			assert_int_equal(ALLOC(m, 0, gfp, o), head);
		}
	}
}

/*
 * Split an order-o block (o >= 2) into four order-0 pages and merge it back,
 * for several free orders.  With free_area[0] and [1] empty and H the head
 * of the smallest non-empty list at or above order 2:
 *   alloc #1: __rmqueue takes H; expand puts H+2^k at the head of list k for
 *             k = o-1 .. 1 (so H+2 on list 1, H+1 on list 0); returns H.
 *   alloc #2: H+1 (head of list 0).
 *   alloc #3: list 0 empty -> split H+2 from list 1: H+3 to list 0, get H+2.
 *   alloc #4: H+3.
 * Freeing all four in any order rebuilds H at order o at the head of list o
 * (each merge unlinks the buddy wherever it sits): the original state.
 */
static void test_split_merge_order2(void **state)
{
	static const int perms[][4] = {
		{ 0, 1, 2, 3 }, { 3, 2, 1, 0 }, { 1, 3, 0, 2 }, { 2, 0, 3, 1 },
		{ 1, 0, 3, 2 },
	};
	struct machine *m = boot_preset("i386-1g");
	struct bmodel before, b;
	unsigned long h = KMEM_NO_PFN;
	unsigned o = 0;

	(void)state;
	kmem_drain_pages(m, -1);
	assert_passthrough(m, I386_DMA);
	empty_low_orders(m, GFP_DMA, I386_DMA, 2);
	for (o = 2; o < KMEM_MAX_ORDER; o++)
		if ((h = free_area_head(m, 0, I386_DMA, o)) != KMEM_NO_PFN)
			break;
	assert_true(o < KMEM_MAX_ORDER);
	assert_int_equal(h & ((1UL << o) - 1), 0);      /* aligned */
	bm_load(&before, m, 0, I386_DMA);

	for (size_t p = 0; p < ARRAY_LEN(perms); p++) {
		unsigned long got[4];

		bm_load(&b, m, 0, I386_DMA);
		for (int i = 0; i < 4; i++) {
			got[i] = ALLOC(m, 0, GFP_DMA, 0);
			assert_int_equal(got[i], bm_rmqueue(&b, 0));
			BM_EXPECT(m, &b);
			if (i == 0) {
				/* the upper halves, each at its list's head */
				for (unsigned k = 1; k < o; k++)
					assert_int_equal(free_area_head(m, 0, I386_DMA, k),
							 h + (1UL << k));
				assert_int_equal(free_area_head(m, 0, I386_DMA, 0),
						 h + 1);
				assert_int_equal(zinfo(m, 0, I386_DMA).nr_free[o],
						 before.n[o] - 1);
			}
		}
		assert_int_equal(got[0], h);
		assert_int_equal(got[1], h + 1);
		assert_int_equal(got[2], h + 2);
		assert_int_equal(got[3], h + 3);
		assert_int_equal(free_area_len(m, 0, I386_DMA, 0), 0);
		assert_int_equal(free_area_len(m, 0, I386_DMA, 1), 0);
		CHECK(m);

		for (int i = 0; i < 4; i++) {
			unsigned long pfn = h + (unsigned long)perms[p][i];

			FREE(m, pfn, 0);
			bm_free(&b, pfn, 0);
			BM_EXPECT(m, &b);
		}
		/* back to the order-o block at the head of its list */
		assert_int_equal(free_area_head(m, 0, I386_DMA, o), h);
		BM_EXPECT(m, &before);
		CHECK(m);
		bm_free_model(&b);
	}

	/* An explicit pair: free H+1 then H -> H+1 on list 0 first, then the
	 * pair merges into H on list 1 (its order-1 buddy H+2 is in use). */
	for (int i = 0; i < 4; i++)
		assert_int_equal(ALLOC(m, 0, GFP_DMA, 0), h + (unsigned long)i);
	FREE(m, h + 1, 0);
	assert_int_equal(free_area_head(m, 0, I386_DMA, 0), h + 1);
	FREE(m, h, 0);
	assert_int_equal(free_area_len(m, 0, I386_DMA, 0), 0);
	assert_int_equal(free_area_head(m, 0, I386_DMA, 1), h);
	assert_int_equal(pinfo(m, h).state, KMEM_PAGE_BUDDY);
	assert_int_equal(pinfo(m, h).private_, 1);
	FREE(m, h + 3, 0);
	assert_int_equal(free_area_head(m, 0, I386_DMA, 0), h + 3);
	FREE(m, h + 2, 0);
	BM_EXPECT(m, &before);
	CHECK(m);
	bm_free_model(&before);
	kmem_machine_destroy(m);
}

/* order >= 1 goes straight to __rmqueue: the head of the smallest
 * non-empty list at or above the order; nothing touches the pcp lists. */
static void test_high_order_from_buddy(void **state)
{
	struct machine *m = boot_preset("i386-1g");
	struct bmodel b;
	char *pcp_before;
	unsigned long expect = KMEM_NO_PFN, p3, p10, head10;
	unsigned long pgalloc, pgfree;

	(void)state;
	pcp_before = machine_snapshot(m, false);
	bm_load(&b, m, 0, I386_NORMAL);
	for (unsigned o = 3; o < KMEM_MAX_ORDER && expect == KMEM_NO_PFN; o++)
		if (b.n[o])
			expect = b.l[o][0];
	pgalloc = vmstat_value(m, "pgalloc_normal");
	pgfree = vmstat_value(m, "pgfree");

	p3 = ALLOC(m, 0, GFP_KERNEL, 3);
	assert_int_equal(p3, expect);
	assert_int_equal(p3, bm_rmqueue(&b, 3));
	BM_EXPECT(m, &b);
	assert_int_equal(kmem_alloc_order(m, p3), 3);
	assert_int_equal(vmstat_value(m, "pgalloc_normal"), pgalloc + 8);

	head10 = free_area_head(m, 0, I386_NORMAL, 10);
	assert_true(head10 != KMEM_NO_PFN);
	p10 = ALLOC(m, 0, GFP_KERNEL, 10);
	assert_int_equal(p10, head10);
	assert_int_equal(p10, bm_rmqueue(&b, 10));
	BM_EXPECT(m, &b);
	assert_int_equal(vmstat_value(m, "pgalloc_normal"), pgalloc + 8 + 1024);

	/* an order-10 block has no buddy to merge with: back at the head */
	FREE(m, p10, 10);
	bm_free(&b, p10, 10);
	BM_EXPECT(m, &b);
	assert_int_equal(free_area_head(m, 0, I386_NORMAL, 10), p10);
	FREE(m, p3, 3);
	bm_free(&b, p3, 3);
	BM_EXPECT(m, &b);
	assert_int_equal(vmstat_value(m, "pgfree"), pgfree + 1024 + 8);
	/* and the two frees recreate the original lists exactly */
	{
		char *after = machine_snapshot(m, false);

		ASSERT_SAME_TEXT(pcp_before, after, "lists after order>0 round trip");
		free(after);
	}
	free(pcp_before);
	CHECK(m);
	bm_free_model(&b);
	kmem_machine_destroy(m);
}

/* What kmem_page_info says about allocated, free, pcp and reserved pages
 * (§3.2, §14.3). */
static void test_page_states(void **state)
{
	struct machine *m = boot_preset("i386-1g");
	struct kmem_page_info pi;
	unsigned long p, q, h;

	(void)state;
	p = ALLOC(m, 0, GFP_KERNEL, 2);
	pi = pinfo(m, p);
	assert_int_equal(pi.state, KMEM_PAGE_ALLOC);
	assert_int_equal(pi.count, 1);
	assert_int_equal(pi.block_pfn, p);
	assert_int_equal(pi.block_order, 2);
	assert_int_equal(pi.flags & (1u << PG_buddy), 0);
	assert_int_equal(pi.nid, 0);
	assert_int_equal(pi.zone_idx, I386_NORMAL);
	for (unsigned long t = 1; t < 4; t++) {
		pi = pinfo(m, p + t);
		assert_int_equal(pi.state, KMEM_PAGE_ALLOC_TAIL);
		assert_int_equal(pi.block_pfn, p);
		assert_int_equal(kmem_alloc_order(m, p + t), -1);
	}
	assert_int_equal(kmem_alloc_order(m, p), 2);

	/* a free block head: PG_buddy, private = order, count 0, unmapped */
	h = free_area_head(m, 0, I386_NORMAL, 10);
	pi = pinfo(m, h);
	assert_int_equal(pi.state, KMEM_PAGE_BUDDY);
	assert_true(pi.flags & (1u << PG_buddy));
	assert_int_equal(pi.private_, 10);
	assert_int_equal(pi.count, 0);
	assert_int_equal(pi.mapcount, 0);
	assert_int_equal(pi.block_order, 10);
	pi = pinfo(m, h + 517);
	assert_int_equal(pi.state, KMEM_PAGE_BUDDY_TAIL);
	assert_int_equal(pi.block_pfn, h);
	assert_int_equal(kmem_alloc_order(m, h), -1);

	/* an order-0 free lands on this CPU's hot list, not PG_buddy */
	q = ALLOC(m, 0, GFP_KERNEL, 0);
	FREE(m, q, 0);
	pi = pinfo(m, q);
	assert_int_equal(pi.state, KMEM_PAGE_PCP);
	assert_int_equal(pi.pcp_cpu, 0);
	assert_int_equal(pi.pcp_cold, 0);
	assert_int_equal(pi.count, 0);
	assert_int_equal(pi.flags & (1u << PG_buddy), 0);

	/* some page is reserved at boot, with PG_reserved */
	{
		unsigned long r;
		unsigned long max = minfo(m).max_pfn;

		for (r = 0; r < max; r++)
			if (pinfo(m, r).state == KMEM_PAGE_RESERVED)
				break;
		assert_true(r < max);
		assert_true(pinfo(m, r).flags & (1u << PG_reserved));
	}
	FREE(m, p, 2);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* __GFP_COMP (§3.5 prep_compound_page, §14.3): every page of the block
 * carries PG_compound; without it none does. */
static void test_compound(void **state)
{
	struct machine *m = boot_preset("i386-1g");
	unsigned long p = ALLOC(m, -1, GFP_KERNEL | __GFP_COMP, 3);
	unsigned long q = ALLOC(m, -1, GFP_KERNEL, 3);

	(void)state;
	for (unsigned long i = 0; i < 8; i++) {
		assert_true(pinfo(m, p + i).flags & (1u << PG_compound));
		assert_false(pinfo(m, q + i).flags & (1u << PG_compound));
	}
	assert_int_equal(kmem_alloc_order(m, p), 3);
	FREE(m, p, 3);
	FREE(m, q, 3);
	for (unsigned long i = 0; i < 8; i++)
		assert_false(pinfo(m, p + i).flags & (1u << PG_compound));
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Address conversions: i386 lowmem is direct-mapped at PAGE_OFFSET
 * 0xC0000000 up to max_low_pfn; HighMem has no kernel address (§1.2);
 * x86_64 maps everything at 0xffff810000000000 (§6.1). */
static void test_addresses(void **state)
{
	struct machine *m = boot_preset("i386-1g");
	struct machine *x = boot_preset("x86_64-2g");
	kaddr_t va = 0;
	unsigned long pfn = 0;

	(void)state;
	assert_true(kmem_pfn_to_phys(4096) == 0x1000000ULL);
	assert_true(kmem_page_address(m, 4096, &va));
	assert_true(va == 0xC1000000ULL);
	assert_true(kmem_page_address(m, 229375, &va));
	assert_true(va == 0xC0000000ULL + 229375ULL * 4096);
	assert_false(kmem_page_address(m, 229376, &va));
	assert_int_equal(kmem_virt_to_pfn(m, 0xC1000000ULL, &pfn), 0);
	assert_int_equal(pfn, 4096);
	assert_true(kmem_page_address(x, 300000, &va));
	assert_true(va == 0xffff810000000000ULL + 300000ULL * 4096);
	assert_int_equal(kmem_virt_to_pfn(x, va, &pfn), 0);
	assert_int_equal(pfn, 300000);
	kmem_machine_destroy(m);
	kmem_machine_destroy(x);
}

/* order >= MAX_ORDER is refused before anything happens (§1.4). */
static void test_order_limits(void **state)
{
	struct machine *m = boot_preset("i386-1g");
	unsigned long pfn = 12345;
	char *before = machine_snapshot(m, true), *after;

	(void)state;
	assert_int_equal(kmem_alloc_pages(m, -1, GFP_KERNEL, 11, &pfn), -EINVAL);
	assert_int_equal(kmem_alloc_pages(m, -1, GFP_KERNEL | __GFP_NOWARN, 12, &pfn),
			 -EINVAL);
	assert_int_equal(kmem_alloc_pages(m, -1, GFP_HIGHUSER, 64, &pfn), -EINVAL);
	after = machine_snapshot(m, true);
	ASSERT_SAME_TEXT(before, after, "machine after order >= 11");
	free(after);
	pfn = ALLOC(m, -1, GFP_KERNEL, 10);
	assert_int_equal(kmem_free_pages(m, pfn, 11), -EINVAL);
	FREE(m, pfn, 10);
	free(before);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* A long deterministic mix of allocations and frees, every step compared
 * with the reference model: DMA (pass-through pcp, orders 0-3) and Normal
 * (orders 1-5). */
static void test_buddy_matches_model(void **state)
{
	struct machine *m = boot_preset("i386-1g");
	struct bmodel dma, nor;
	struct pmodel dpcp;
	struct live { unsigned long pfn; unsigned order; int idx; } live[4096];
	size_t nlive = 0;
	unsigned long dma_pages = 0, nor_pages = 0;
	uint64_t x = 0x2620;

	(void)state;
	kmem_drain_pages(m, -1);
	assert_passthrough(m, I386_DMA);
	bm_load(&dma, m, 0, I386_DMA);
	bm_load(&nor, m, 0, I386_NORMAL);
	pm_load(&dpcp, m, 0, I386_DMA, 0, 0);

	for (int step = 0; step < 4000; step++) {
		unsigned r;

		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		r = (unsigned)(x >> 33);
		if (nlive > 0 && (r % 100 < 45 || nlive == ARRAY_LEN(live))) {
			size_t i = (r / 100) % nlive;
			struct live l = live[i];

			live[i] = live[--nlive];
			FREE(m, l.pfn, l.order);
			if (l.idx == I386_DMA) {
				if (l.order == 0)
					pm_free(&dpcp, &dma, l.pfn);
				else
					bm_free(&dma, l.pfn, l.order);
				dma_pages -= 1UL << l.order;
			} else {
				bm_free(&nor, l.pfn, l.order);
				nor_pages -= 1UL << l.order;
			}
		} else if ((r >> 8) % 2 == 0 && dma_pages < 1200) {
			unsigned order = (r >> 12) % 4;
			unsigned long want = order == 0 ? pm_alloc(&dpcp, &dma)
						: bm_rmqueue(&dma, order);
			unsigned long got = ALLOC(m, 0, GFP_DMA, order);

			assert_int_equal(got, want);
			live[nlive++] = (struct live){ got, order, I386_DMA };
			dma_pages += 1UL << order;
		} else if (nor_pages < 20000) {
			unsigned order = 1 + (r >> 12) % 5;
			unsigned long want = bm_rmqueue(&nor, order);
			unsigned long got = ALLOC(m, 0, GFP_KERNEL, order);

			assert_int_equal(got, want);
			assert_int_equal(kmem_alloc_order(m, got), (int)order);
			live[nlive++] = (struct live){ got, order, I386_NORMAL };
			nor_pages += 1UL << order;
		}
		BM_EXPECT(m, &dma);
		BM_EXPECT(m, &nor);
		if (step % 250 == 0)
			CHECK(m);
	}
	while (nlive > 0) {
		struct live l = live[--nlive];

		FREE(m, l.pfn, l.order);
		if (l.idx == I386_DMA) {
			if (l.order == 0)
				pm_free(&dpcp, &dma, l.pfn);
			else
				bm_free(&dma, l.pfn, l.order);
		} else {
			bm_free(&nor, l.pfn, l.order);
		}
	}
	BM_EXPECT(m, &dma);
	BM_EXPECT(m, &nor);
	CHECK(m);
	bm_free_model(&dma);
	bm_free_model(&nor);
	pm_free_model(&dpcp);
	kmem_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* Watermarks                                                          */
/* ------------------------------------------------------------------ */

/*
 * show_free_areas (§13.5), printed after a "page allocation failure"
 * unless __GFP_NOWARN: every line built from the snapshot queries must be
 * in the log ("Node %d " prefixes on NUMA builds).
 */
static void expect_show_free_areas(const struct machine *m)
{
	struct kmem_machine_info mi = minfo(m);
	size_t len;
	const char *d = kmem_dmesg(m, &len);
	char line[512], node[24] = "";

#define WANT() do { \
	if (!strstr(d, line)) \
		fail_msg("dmesg lacks show_free_areas line \"%s\"", line); \
} while (0)
	for (unsigned nid = 0; nid < mi.nr_nodes; nid++) {
		for (int idx = 0; idx < KMEM_MAX_NR_ZONES; idx++) {
			struct kmem_zone_info z = zinfo(m, (int)nid, idx);
			unsigned long total = 0;
			size_t n;

			if (!z.populated)
				continue;
			if (mi.numa)
				snprintf(node, sizeof node, "Node %u ", nid);
			snprintf(line, sizeof line, "%s%s per-cpu:\n", node, z.name);
			WANT();
			for (unsigned cpu = 0; cpu < mi.cpus; cpu++) {
				struct kmem_pcp_info h = pcpinfo(m, (int)nid, idx, cpu, 0);
				struct kmem_pcp_info c = pcpinfo(m, (int)nid, idx, cpu, 1);

				snprintf(line, sizeof line,
					 "CPU %4u: Hot: hi:%5d, btch:%4d usd:%4d   Cold: hi:%5d, btch:%4d usd:%4d\n",
					 cpu, h.high, h.batch, h.count, c.high,
					 c.batch, c.count);
				WANT();
			}
			snprintf(line, sizeof line,
				 "%s%s free:%lukB min:%lukB low:%lukB high:%lukB active:%lukB inactive:%lukB present:%lukB pages_scanned:%lu all_unreclaimable? %s\n",
				 node, z.name, z.free_pages * 4, z.pages_min * 4,
				 z.pages_low * 4, z.pages_high * 4, z.nr_active * 4,
				 z.nr_inactive * 4, z.present * 4, z.pages_scanned,
				 z.all_unreclaimable ? "yes" : "no");
			WANT();
			snprintf(line, sizeof line, "lowmem_reserve[]: %lu %lu %lu\n",
				 z.lowmem_reserve[0], z.lowmem_reserve[1],
				 z.lowmem_reserve[2]);
			WANT();
			n = (size_t)snprintf(line, sizeof line, "%s%s: ", node, z.name);
			for (unsigned o = 0; o < KMEM_MAX_ORDER; o++) {
				n += (size_t)snprintf(line + n, sizeof line - n,
						      "%lu*%lukB ", z.nr_free[o],
						      4UL << o);
				total += z.nr_free[o] << o;
			}
			snprintf(line + n, sizeof line - n, "= %lukB\n", total * 4);
			WANT();
		}
	}
	snprintf(line, sizeof line, " free:%lu slab:", mi.nr_free_pages);
	WANT();
#undef WANT
}

/* Allocate order-0 pages with gfp until refused; returns how many came
 * from each zone, as runs (zone, count) in the order they happened. */
struct run { int idx; unsigned long n; };

static size_t alloc_until_fail(struct machine *m, gfp_t gfp, struct run *runs,
			       size_t max)
{
	size_t nr = 0;
	unsigned long pfn;

	while (kmem_alloc_pages(m, -1, gfp | __GFP_NOWARN, 0, &pfn) == 0) {
		int idx = zone_of(m, pfn);

		if (nr > 0 && runs[nr - 1].idx == idx) {
			runs[nr - 1].n++;
		} else {
			assert_true(nr < max);
			runs[nr++] = (struct run){ idx, 1 };
		}
	}
	return nr;
}

static void expect_runs(const struct run *got, size_t n, const struct run *want,
			size_t nw)
{
	for (size_t i = 0; i < n || i < nw; i++) {
		if (i >= n || i >= nw || got[i].idx != want[i].idx ||
		    got[i].n != want[i].n)
			fail_msg("run %zu: got zone %d x%lu, expected zone %d x%lu (%zu runs, expected %zu)",
				 i, i < n ? got[i].idx : -1, i < n ? got[i].n : 0,
				 i < nw ? want[i].idx : -1, i < nw ? want[i].n : 0,
				 n, nw);
	}
}

/*
 * "tiny" (§2.2: both zones 90/112/135, DMA lowmem_reserve {0, 15, 15};
 * pass-through pcp, so each order-0 allocation takes one page).  Order 0:
 * a zone passes when free > mark' + lowmem_reserve[classzone], where
 * mark' = mark - mark/2 with ALLOC_HIGH, then - mark'/4 with ALLOC_HARDER.
 *
 * GFP_KERNEL (classzone Normal):
 *   pass 1 (low):  Normal down to 112, then DMA down to 112+15 = 127;
 *   pass 2 (min, no HARDER/HIGH since __GFP_WAIT): Normal to 90, DMA to 105.
 * GFP_ATOMIC (HIGH|HARDER: 90 -> 45 -> 34): Normal to 34, DMA to 34+15 = 49.
 * GFP_DMA (classzone DMA, reserve 0; no __GFP_WAIT -> HARDER: 90 -> 68):
 *   refused at 49.  GFP_DMA|__GFP_HIGH (90 -> 45 -> 34): DMA to 34.
 */
static void test_watermarks_tiny(void **state)
{
	struct machine *m = boot_preset("tiny");
	unsigned long n0, d0, pfn;
	struct run runs[16];
	size_t nr;
	char *before, *after;
	size_t len;
	const char *d;

	(void)state;
	kmem_drain_pages(m, -1);
	assert_passthrough(m, I386_DMA);
	assert_passthrough(m, I386_NORMAL);
	n0 = zinfo(m, 0, I386_NORMAL).free_pages;
	d0 = zinfo(m, 0, I386_DMA).free_pages;
	assert_true(n0 > 112 && d0 > 127);

	nr = alloc_until_fail(m, GFP_KERNEL, runs, ARRAY_LEN(runs));
	{
		const struct run want[] = {
			{ I386_NORMAL, n0 - 112 }, { I386_DMA, d0 - 127 },
			{ I386_NORMAL, 22 }, { I386_DMA, 22 },
		};
		expect_runs(runs, nr, want, ARRAY_LEN(want));
	}
	assert_int_equal(zinfo(m, 0, I386_NORMAL).free_pages, 90);
	assert_int_equal(zinfo(m, 0, I386_DMA).free_pages, 105);
	CHECK(m);

	/* the refusal itself: -ENOMEM, the report, nothing else moved */
	before = machine_snapshot(m, false);
	d = kmem_dmesg(m, &len);
	assert_int_equal(count_substr(d, "page allocation failure"), 0);
	assert_int_equal(kmem_alloc_pages(m, -1, GFP_KERNEL, 0, &pfn), -ENOMEM);
	assert_true(strlen(kmem_last_error(m)) > 0);
	d = kmem_dmesg(m, &len);
	assert_non_null(strstr(d, "page allocation failure. order:0, mode:0xd0"));
	/* Normal free:360kB min:360kB low:448kB high:540kB ... present:16256kB */
	assert_non_null(strstr(d, "\nNormal free:360kB min:360kB low:448kB high:540kB "));
	assert_non_null(strstr(d, "\nDMA free:420kB min:360kB low:448kB high:540kB "));
	assert_non_null(strstr(d, "\nlowmem_reserve[]: 0 15 15\n"));
	expect_show_free_areas(m);
	after = machine_snapshot(m, false);
	ASSERT_SAME_TEXT(before, after, "machine after a refused GFP_KERNEL");
	free(after);
	/* __GFP_NOWARN: refused silently */
	assert_int_equal(kmem_alloc_pages(m, -1, GFP_KERNEL | __GFP_NOWARN, 0, &pfn),
			 -ENOMEM);
	assert_int_equal(count_substr(kmem_dmesg(m, &len), "page allocation failure"), 1);
	after = machine_snapshot(m, false);
	ASSERT_SAME_TEXT(before, after, "machine after a refused GFP_KERNEL|__GFP_NOWARN");
	free(after);
	/* the report names the order */
	assert_int_equal(kmem_alloc_pages(m, -1, GFP_KERNEL, 3, &pfn), -ENOMEM);
	assert_non_null(strstr(kmem_dmesg(m, &len),
			       "page allocation failure. order:3, mode:0xd0"));
	after = machine_snapshot(m, false);
	ASSERT_SAME_TEXT(before, after, "machine after a refused order-3 GFP_KERNEL");
	free(after);
	free(before);

	/* GFP_ATOMIC digs to 3/8 of pages_min */
	nr = alloc_until_fail(m, GFP_ATOMIC, runs, ARRAY_LEN(runs));
	{
		const struct run want[] = {
			{ I386_NORMAL, 90 - 34 }, { I386_DMA, 105 - 49 },
		};
		expect_runs(runs, nr, want, ARRAY_LEN(want));
	}
	assert_int_equal(zinfo(m, 0, I386_NORMAL).free_pages, 34);
	assert_int_equal(zinfo(m, 0, I386_DMA).free_pages, 49);
	before = machine_snapshot(m, true);
	assert_int_equal(kmem_alloc_pages(m, -1, GFP_ATOMIC, 0, &pfn), -ENOMEM);
	assert_non_null(strstr(kmem_dmesg(m, &len),
			       "page allocation failure. order:0, mode:0x20"));
	after = machine_snapshot(m, true);
	ASSERT_SAME_TEXT(before, after, "machine after a refused GFP_ATOMIC");
	free(after);
	free(before);

	/* lowmem_reserve kept 15 pages of DMA from Normal-class callers;
	 * GFP_DMA (HARDER: 68) cannot use them, GFP_DMA|__GFP_HIGH (34) can */
	assert_int_equal(kmem_alloc_pages(m, -1, GFP_DMA | __GFP_NOWARN, 0, &pfn),
			 -ENOMEM);
	nr = alloc_until_fail(m, GFP_DMA | __GFP_HIGH, runs, ARRAY_LEN(runs));
	{
		const struct run want[] = { { I386_DMA, 49 - 34 } };

		expect_runs(runs, nr, want, ARRAY_LEN(want));
	}
	assert_int_equal(zinfo(m, 0, I386_DMA).free_pages, 34);
	CHECK(m);
	kmem_machine_destroy(m);
}

/*
 * zone_watermark_ok for order > 0 (§2.4 step 4): pages held in blocks
 * below the requested order do not count, and the mark halves per order.
 * On tiny, take Normal down to its low mark (112) with order-0 pages, then
 * free ~200 singles whose buddies stay allocated: Normal then has far more
 * than 112 free pages, but mostly in order 0.  An order-k request whose
 * block exists in Normal can still be refused there (e.g. one top block:
 * free - 2^k + 1 - (pages below k) = 1 <= 112 >> k) and go to DMA.  Every
 * request is checked against the model of zone_watermark_ok.
 */
static void test_watermark_high_order(void **state)
{
	struct machine *m = boot_preset("tiny");
	static const int nids[] = { 0, 0 }, idxs[] = { I386_NORMAL, I386_DMA };
	unsigned long *a = calloc(8192, sizeof *a), pfn;
	size_t na = 0, singles = 0;
	int refused_with_block = 0;

	(void)state;
	kmem_drain_pages(m, -1);
	for (;;) {
		pfn = ALLOC(m, -1, GFP_KERNEL | __GFP_NOWARN, 0);
		if (zone_of(m, pfn) != I386_NORMAL) {
			FREE(m, pfn, 0);
			break;
		}
		a[na++] = pfn;
	}
	assert_int_equal(zinfo(m, 0, I386_NORMAL).free_pages, 112);
	for (size_t i = 0; i < na && singles < 200; i++) {
		unsigned long buddy = a[i] ^ 1UL;

		if (a[i] & 1UL)
			continue;
		if (pinfo(m, buddy).state != KMEM_PAGE_ALLOC)
			continue;
		FREE(m, a[i], 0);
		singles++;
	}
	assert_int_equal(singles, 200);
	assert_int_equal(zinfo(m, 0, I386_NORMAL).free_pages, 312);
	assert_true(zinfo(m, 0, I386_NORMAL).nr_free[0] >= 200);

	for (unsigned order = 1; order < KMEM_MAX_ORDER; order++) {
		struct kmem_zone_info z = zinfo(m, 0, I386_NORMAL);
		int pass, pos = predict_zone(m, nids, idxs, 2, GFP_KERNEL, order,
					     0, &pass);
		int rc = kmem_alloc_pages(m, -1, GFP_KERNEL | __GFP_NOWARN, order,
					  &pfn);

		if (zone_can_serve(m, &z, order, 0, 0) &&
		    !wmark_ok(&z, order, z.pages_min, I386_NORMAL, ALLOC_WMARK_MIN))
			refused_with_block++;
		if (pos < 0) {
			assert_int_equal(rc, -ENOMEM);
			continue;
		}
		assert_int_equal(rc, 0);
		if (zone_of(m, pfn) != idxs[pos])
			fail_msg("order %u: zone %d, expected %d (pass %d)", order,
				 zone_of(m, pfn), idxs[pos], pass);
		FREE(m, pfn, order);
	}
	assert_true(refused_with_block > 0);
	/* order 0 still comes from Normal: 312 > 112 */
	pfn = ALLOC(m, -1, GFP_KERNEL, 0);
	assert_int_equal(zone_of(m, pfn), I386_NORMAL);
	free(a);
	CHECK(m);
	kmem_machine_destroy(m);
}

struct stage { int idx; int pass; unsigned long allocs; };

/*
 * Exhaust a zonelist with gfp, always asking for the largest order that
 * the zone the order-0 rule picks would also serve, and check every single
 * allocation lands in the zone zone_watermark_ok + the two passes predict.
 * Records the (zone, pass) stages in order.
 */
static size_t exhaust(struct machine *m, const int *nids, const int *idxs,
		      size_t n, gfp_t gfp, struct stage *st, size_t max)
{
	size_t ns = 0;

	for (;;) {
		int pass0, pos0 = predict_zone(m, nids, idxs, n, gfp, 0, 0, &pass0);
		unsigned order = 0;
		unsigned long pfn;

		if (pos0 < 0)
			break;
		for (unsigned o = KMEM_MAX_ORDER - 1; o > 0; o--) {
			int pass, pos = predict_zone(m, nids, idxs, n, gfp, o, 0,
						     &pass);

			if (pos == pos0 && pass == pass0) {
				order = o;
				break;
			}
		}
		if (ns == 0 || st[ns - 1].idx != idxs[pos0] ||
		    st[ns - 1].pass != pass0) {
			assert_true(ns < max);
			st[ns++] = (struct stage){ idxs[pos0], pass0, 0 };
		}
		st[ns - 1].allocs++;
		pfn = ALLOC(m, -1, gfp | __GFP_NOWARN, order);
		if (zone_of(m, pfn) != idxs[pos0])
			fail_msg("gfp %#x order %u: got pfn %#lx in zone %d, expected zone %d (pass %d)",
				 gfp, order, pfn, zone_of(m, pfn), idxs[pos0],
				 pass0);
	}
	return ns;
}

static void expect_stages(const struct stage *st, size_t n,
			  const struct stage *want, size_t nw, const char *what)
{
	for (size_t i = 0; i < n || i < nw; i++)
		if (i >= n || i >= nw || st[i].idx != want[i].idx ||
		    st[i].pass != want[i].pass)
			fail_msg("%s: stage %zu is zone %d pass %d, expected zone %d pass %d (%zu stages, expected %zu)",
				 what, i, i < n ? st[i].idx : -1,
				 i < n ? st[i].pass : -1,
				 i < nw ? want[i].idx : -1,
				 i < nw ? want[i].pass : -1, n, nw);
}

/*
 * i386 1 GiB, the whole fallback chain with appendix A's numbers.
 * GFP_HIGHUSER, zonelist {HighMem, Normal, DMA}, classzone HighMem (2):
 *   pass 1: HighMem while free > 66; Normal while free > 1170+1016 = 2186;
 *           DMA while free > 21+1000 = 1021;
 *   pass 2 (WMARK_MIN, from the top of the list again): HighMem > 32,
 *           Normal > 936+1016 = 1952, DMA > 17+1000 = 1017; then -ENOMEM.
 * GFP_ATOMIC, {Normal, DMA}, classzone Normal (1):
 *   pass 1: Normal > 1170, DMA > 21+873 = 894;
 *   pass 2 (min*1/2*3/4): Normal > 351, DMA > 7+873 = 880.
 * GFP_DMA, {DMA}, classzone 0: pass 1 > 21, pass 2 (HARDER) > 13.
 */
static void test_fallback_chain_i386_1g(void **state)
{
	struct machine *m = boot_preset("i386-1g");
	static const int n3[] = { 0, 0, 0 };
	static const int hu[] = { I386_HIGHMEM, I386_NORMAL, I386_DMA };
	static const int kl[] = { I386_NORMAL, I386_DMA };
	static const int dl[] = { I386_DMA };
	struct stage st[32];
	size_t ns, len;
	unsigned long pfn;
	char *before, *after;

	(void)state;
	assert_true(zinfo(m, 0, I386_DMA).free_pages > 1021);
	ns = exhaust(m, n3, hu, 3, GFP_HIGHUSER, st, ARRAY_LEN(st));
	{
		const struct stage want[] = {
			{ I386_HIGHMEM, 1, 0 }, { I386_NORMAL, 1, 0 },
			{ I386_DMA, 1, 0 }, { I386_HIGHMEM, 2, 0 },
			{ I386_NORMAL, 2, 0 }, { I386_DMA, 2, 0 },
		};
		expect_stages(st, ns, want, ARRAY_LEN(want), "GFP_HIGHUSER");
	}
	/* order-0 steps end exactly on the marks where nothing sits on a
	 * pcp list (DMA is pass-through) */
	assert_int_equal(zinfo(m, 0, I386_DMA).free_pages, 1017);
	assert_true(zinfo(m, 0, I386_HIGHMEM).free_pages <= 32);
	assert_true(zinfo(m, 0, I386_NORMAL).free_pages <= 1952);
	assert_true(zinfo(m, 0, I386_NORMAL).free_pages > 351);
	CHECK(m);

	before = machine_snapshot(m, false);
	assert_int_equal(kmem_alloc_pages(m, -1, GFP_HIGHUSER, 0, &pfn), -ENOMEM);
	assert_non_null(strstr(kmem_dmesg(m, &len),
			       "page allocation failure. order:0, mode:0x200d2"));
	after = machine_snapshot(m, false);
	ASSERT_SAME_TEXT(before, after, "machine after a refused GFP_HIGHUSER");
	free(after);
	free(before);

	ns = exhaust(m, n3, kl, 2, GFP_ATOMIC, st, ARRAY_LEN(st));
	{
		const struct stage want[] = {
			{ I386_NORMAL, 1, 0 }, { I386_DMA, 1, 0 },
			{ I386_NORMAL, 2, 0 }, { I386_DMA, 2, 0 },
		};
		expect_stages(st, ns, want, ARRAY_LEN(want), "GFP_ATOMIC");
	}
	assert_int_equal(zinfo(m, 0, I386_DMA).free_pages, 880);
	assert_true(zinfo(m, 0, I386_NORMAL).free_pages <= 351);
	/* GFP_KERNEL has nothing left either */
	assert_int_equal(kmem_alloc_pages(m, -1, GFP_KERNEL | __GFP_NOWARN, 0, &pfn),
			 -ENOMEM);

	ns = exhaust(m, n3, dl, 1, GFP_DMA, st, ARRAY_LEN(st));
	{
		const struct stage want[] = {
			{ I386_DMA, 1, 0 }, { I386_DMA, 2, 0 },
		};
		expect_stages(st, ns, want, ARRAY_LEN(want), "GFP_DMA");
	}
	assert_int_equal(zinfo(m, 0, I386_DMA).free_pages, 13);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* alloc_pages_node on NUMA: the node's own zonelist (§1.4, §3.7). */
static void test_alloc_pages_node(void **state)
{
	struct machine *m = boot_preset("x86_64-numa");
	unsigned long p, q, r;
	unsigned cpu1 = 0;

	(void)state;
	p = ALLOC(m, 1, GFP_KERNEL, 0);
	assert_int_equal(pinfo(m, p).nid, 1);
	assert_int_equal(pinfo(m, p).zone_idx, X86_64_DMA32);
	assert_true(p >= 262144 && p < 524288);
	q = ALLOC(m, 0, GFP_KERNEL, 3);
	assert_int_equal(pinfo(m, q).nid, 0);
	assert_true(q < 262144);
	/* node 1 has no DMA zone: its GFP_DMA list is node 0's DMA */
	r = ALLOC(m, 1, GFP_DMA, 0);
	assert_int_equal(pinfo(m, r).nid, 0);
	assert_int_equal(pinfo(m, r).zone_idx, X86_64_DMA);
	FREE(m, p, 0);
	FREE(m, q, 3);
	FREE(m, r, 0);
	/* nid < 0: the current CPU's node */
	while (cpu1 < 4 && kmem_cpu_to_node(m, cpu1) != 1)
		cpu1++;
	assert_true(cpu1 < 4);
	assert_int_equal(kmem_set_cpu(m, cpu1), 0);
	p = ALLOC(m, -1, GFP_KERNEL, 2);
	assert_int_equal(pinfo(m, p).nid, 1);
	FREE(m, p, 2);
	assert_int_equal(kmem_alloc_pages(m, 2, GFP_KERNEL, 0, &p), -EINVAL);
	assert_int_equal(kmem_alloc_pages(m, KMEM_MAX_NODES, GFP_KERNEL, 0, &p),
			 -EINVAL);
	CHECK(m);
	kmem_machine_destroy(m);
}

/*
 * __GFP_THISNODE (§3.7, §3.8 step 4): the zonelist walk stops at the first
 * zone off the preferred node, and a mask holding all of GFP_THISNODE goes
 * to nopage after the first (WMARK_LOW) pass, silently (it has NOWARN).
 * x86_64-numa node 1 is a single DMA32 zone.
 */
static void test_thisnode(void **state)
{
	struct machine *m = boot_preset("x86_64-numa");
	static const int n1[] = { 1 }, i1[] = { X86_64_DMA32 };
	const gfp_t gfp = GFP_KERNEL | GFP_THISNODE_NUMA;
	unsigned long pfn;
	size_t len;
	struct kmem_zone_info z;

	(void)state;
	for (;;) {
		int pass = 0, pos = -1;
		unsigned order;

		for (order = KMEM_MAX_ORDER - 1; ; order--) {
			pos = predict_zone(m, n1, i1, 1, gfp, order, 0, &pass);
			if ((pos == 0 && pass == 1) || order == 0)
				break;
		}
		if (pos != 0 || pass != 1)
			break;
		pfn = ALLOC(m, 1, gfp, order);
		assert_int_equal(pinfo(m, pfn).nid, 1);
	}
	z = zinfo(m, 1, X86_64_DMA32);
	assert_true(z.free_pages <= z.pages_low);
	assert_true(z.free_pages > z.pages_min);
	/* no second pass, no fallback to node 0, no report */
	assert_int_equal(kmem_alloc_pages(m, 1, gfp, 0, &pfn), -ENOMEM);
	assert_null(strstr(kmem_dmesg(m, &len), "page allocation failure"));
	/* __GFP_THISNODE alone still gets the WMARK_MIN pass on node 1 */
	pfn = ALLOC(m, 1, GFP_KERNEL | __GFP_THISNODE, 0);
	assert_int_equal(pinfo(m, pfn).nid, 1);
	/* without it, node 1's zonelist falls back to node 0 */
	pfn = ALLOC(m, 1, GFP_KERNEL, 0);
	assert_int_equal(pinfo(m, pfn).nid, 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* A failure report on a NUMA build: GFP_DMA (HARDER: 3/4 of pages_min)
 * exhausts node 0's DMA, then the report names nodes. */
static void test_failure_report_numa(void **state)
{
	struct machine *m = boot_preset("x86_64-2g");
	struct run runs[4];
	size_t nr, len;
	unsigned long pfn, min;
	char want[64];

	(void)state;
	min = zinfo(m, 0, X86_64_DMA).pages_min;
	nr = alloc_until_fail(m, GFP_DMA, runs, ARRAY_LEN(runs));
	assert_int_equal(nr, 1);
	assert_int_equal(runs[0].idx, X86_64_DMA);
	/* DMA is pass-through, so it stops exactly at min - min/4 */
	assert_int_equal(zinfo(m, 0, X86_64_DMA).free_pages, min - min / 4);
	assert_int_equal(kmem_alloc_pages(m, -1, GFP_DMA, 0, &pfn), -ENOMEM);
	snprintf(want, sizeof want, "page allocation failure. order:0, mode:0x%x",
		 GFP_DMA);
	assert_non_null(strstr(kmem_dmesg(m, &len), want));
	assert_non_null(strstr(kmem_dmesg(m, &len), "\nNode 0 DMA per-cpu:\n"));
	expect_show_free_areas(m);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* Bad frees (§3.4 free_pages_check / bad_page): -EINVAL, a Bad page   */
/* state report, and nothing changed.                                  */
/* ------------------------------------------------------------------ */

static void expect_bad_free(struct machine *m, unsigned long pfn,
			    unsigned order, bool bad_page_state,
			    const char *what)
{
	char *before = machine_snapshot(m, true), *after;
	int rc = kmem_free_pages(m, pfn, order);

	if (rc != -EINVAL)
		fail_msg("%s: kmem_free_pages(%#lx, %u) = %d, expected -EINVAL",
			 what, pfn, order, rc);
	if (bad_page_state && !strstr(kmem_last_error(m), "Bad page state"))
		fail_msg("%s: last error \"%s\" is not a Bad page state report",
			 what, kmem_last_error(m));
	if (strlen(kmem_last_error(m)) == 0)
		fail_msg("%s: no error message", what);
	after = machine_snapshot(m, true);
	ASSERT_SAME_TEXT(before, after, what);
	free(before);
	free(after);
	CHECK(m);
}

static void test_bad_frees(void **state)
{
	struct machine *m = boot_preset("i386-1g");
	struct kmem_machine_info mi = minfo(m);
	unsigned long p0, p2, q2, h, r;

	(void)state;
	/* double free of an order-0 page: it sits on the pcp list */
	p0 = ALLOC(m, -1, GFP_KERNEL, 0);
	FREE(m, p0, 0);
	assert_int_equal(pinfo(m, p0).state, KMEM_PAGE_PCP);
	expect_bad_free(m, p0, 0, true, "double free, order 0 (on a pcp list)");

	/* double free of an order-2 block: it is back in the buddy lists */
	p2 = ALLOC(m, -1, GFP_KERNEL, 2);
	FREE(m, p2, 2);
	expect_bad_free(m, p2, 2, true, "double free, order 2 (buddy)");

	/* a free block never allocated, and a page inside one */
	h = free_area_head(m, 0, I386_NORMAL, 10);
	expect_bad_free(m, h, 10, true, "free of a free order-10 block");
	expect_bad_free(m, h + 100, 0, true, "free of a page inside a free block");

	/* tails and wrong orders of a live order-2 block */
	q2 = ALLOC(m, -1, GFP_KERNEL, 2);
	expect_bad_free(m, q2 + 1, 0, true, "free of a tail page");
	expect_bad_free(m, q2 + 2, 1, true, "free of a tail pair");
	expect_bad_free(m, q2 + 3, 0, true, "free of the last tail page");
	expect_bad_free(m, q2, 1, true, "free with too small an order");
	expect_bad_free(m, q2, 3, true, "free with too large an order");
	expect_bad_free(m, q2, 0, true, "free of an order-2 block as order 0");
	FREE(m, q2, 2);                 /* the right free still works */

	/* an order-0 page freed as order 1 */
	p0 = ALLOC(m, -1, GFP_KERNEL | __GFP_COLD, 0);
	expect_bad_free(m, p0, 1, true, "order-0 page freed as order 1");
	FREE(m, p0, 0);

	/* a reserved page */
	for (r = 0; r < mi.max_pfn; r++)
		if (pinfo(m, r).state == KMEM_PAGE_RESERVED)
			break;
	assert_true(r < mi.max_pfn);
	expect_bad_free(m, r, 0, true, "free of a reserved page");

	/* outside memory, and an impossible order */
	expect_bad_free(m, mi.max_pfn, 0, false, "free of max_pfn");
	expect_bad_free(m, mi.max_pfn + 12345, 0, false, "free beyond max_pfn");
	expect_bad_free(m, KMEM_NO_PFN, 0, false, "free of ~0UL");
	p2 = ALLOC(m, -1, GFP_KERNEL, 2);
	expect_bad_free(m, p2, 11, false, "free with order 11");
	FREE(m, p2, 2);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* A highmem double free and a DMA one, the other zone types. */
static void test_bad_frees_other_zones(void **state)
{
	struct machine *m = boot_preset("i386-1g");
	unsigned long p, d;

	(void)state;
	p = ALLOC(m, -1, GFP_HIGHUSER, 1);
	assert_int_equal(zone_of(m, p), I386_HIGHMEM);
	FREE(m, p, 1);
	expect_bad_free(m, p, 1, true, "highmem double free");
	d = ALLOC(m, -1, GFP_DMA, 0);
	assert_int_equal(zone_of(m, d), I386_DMA);
	FREE(m, d, 0);
	expect_bad_free(m, d, 0, true, "DMA double free");
	kmem_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_merge_order2),
		cmocka_unit_test(test_high_order_from_buddy),
		cmocka_unit_test(test_page_states),
		cmocka_unit_test(test_order_limits),
		cmocka_unit_test(test_compound),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_buddy_matches_model),
		cmocka_unit_test(test_watermarks_tiny),
		cmocka_unit_test(test_watermark_high_order),
		cmocka_unit_test(test_fallback_chain_i386_1g),
		cmocka_unit_test(test_alloc_pages_node),
		cmocka_unit_test(test_thisnode),
		cmocka_unit_test(test_failure_report_numa),
		cmocka_unit_test(test_bad_frees),
		cmocka_unit_test(test_bad_frees_other_zones),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
