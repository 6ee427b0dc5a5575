/*
 * test_pcp.c - the 2.6.20 per-CPU page lists (linux-2.6.20-mm.md §3.6):
 * buffered_rmqueue's refill (rmqueue_bulk adds `batch` pages at the tail in
 * __rmqueue order; the allocation takes the head), free_hot_cold_page's
 * head insertion and overflow at `high` (free_pages_bulk gives `batch`
 * pages back from the tail), __GFP_COLD, __drain_pages, the current CPU.
 *
 * i386 1 GiB (appendix A): Normal hot high 186 batch 31, cold 62/15;
 * HighMem hot 42/7, cold 14/3.  zone->free_pages counts buddy pages only,
 * so a refill of n pages lowers it by n (§3.5 __rmqueue).
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include "helpers.h"

#define NORMAL I386_NORMAL

struct fixture {
	struct machine *m;
	struct bmodel b;                /* Normal's free_area[] */
	struct pmodel p[2][2];          /* [cpu][cold] for Normal */
};

/* Boot i386-1g, drain every list, load the models. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	f->m = boot_preset("i386-1g");
	kmem_drain_pages(f->m, -1);
	bm_load(&f->b, f->m, 0, NORMAL);
	for (unsigned cpu = 0; cpu < 2; cpu++)
		for (int cold = 0; cold < 2; cold++) {
			pm_load(&f->p[cpu][cold], f->m, 0, NORMAL, cpu, cold);
			assert_int_equal(f->p[cpu][cold].n, 0);
		}
	assert_int_equal(f->p[0][0].high, 186);
	assert_int_equal(f->p[0][0].batch, 31);
	assert_int_equal(f->p[0][1].high, 62);
	assert_int_equal(f->p[0][1].batch, 15);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	bm_free_model(&f->b);
	for (unsigned cpu = 0; cpu < 2; cpu++)
		for (int cold = 0; cold < 2; cold++)
			pm_free_model(&f->p[cpu][cold]);
	kmem_machine_destroy(f->m);
	free(f);
	return 0;
}

static void expect_all(struct fixture *f)
{
	BM_EXPECT(f->m, &f->b);
	for (unsigned cpu = 0; cpu < 2; cpu++)
		for (int cold = 0; cold < 2; cold++)
			PM_EXPECT(f->m, &f->p[cpu][cold], 0, NORMAL, cpu, cold);
}

/* One allocation on the current CPU, mirrored in the models. */
static unsigned long f_alloc(struct fixture *f, unsigned cpu, gfp_t gfp)
{
	int cold = (gfp & __GFP_COLD) ? 1 : 0;
	unsigned long want = pm_alloc(&f->p[cpu][cold], &f->b);
	unsigned long got = ALLOC(f->m, -1, gfp, 0);

	assert_int_equal(zone_of(f->m, got), NORMAL);
	if (got != want)
		fail_msg("cpu %u %s alloc: pfn %#lx, expected %#lx", cpu,
			 cold ? "cold" : "hot", got, want);
	return got;
}

/* __free_pages(page, 0) -> free_hot_page on the current CPU. */
static void f_free(struct fixture *f, unsigned cpu, unsigned long pfn)
{
	FREE(f->m, pfn, 0);
	pm_free(&f->p[cpu][0], &f->b, pfn);
}

static void test_refill_takes_head(void **state)
{
	struct fixture *f = *state;
	struct bmodel copy;
	unsigned long expect[31], p, free0, alloc0;

	/* what rmqueue_bulk will bring: 31 successive __rmqueue(zone, 0) */
	bm_load(&copy, f->m, 0, NORMAL);
	for (int i = 0; i < 31; i++)
		expect[i] = bm_rmqueue(&copy, 0);
	bm_free_model(&copy);
	free0 = zinfo(f->m, 0, NORMAL).free_pages;
	alloc0 = vmstat_value(f->m, "pgalloc_normal");

	p = f_alloc(f, 0, GFP_KERNEL);
	assert_int_equal(p, expect[0]);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 0, 0).count, 30);
	{
		unsigned long l[64];
		size_t n = kmem_pcp_list(f->m, 0, NORMAL, 0, 0, l, 64);

		assert_int_equal(n, 30);
		for (int i = 0; i < 30; i++)
			assert_int_equal(l[i], expect[i + 1]);
	}
	assert_int_equal(zinfo(f->m, 0, NORMAL).free_pages, free0 - 31);
	assert_int_equal(zinfo(f->m, 0, NORMAL).pcp_pages, 30);
	/* pgalloc counts the allocation, not the refill */
	assert_int_equal(vmstat_value(f->m, "pgalloc_normal"), alloc0 + 1);
	expect_all(f);

	/* the next allocations walk down the list, no refill */
	for (int i = 1; i < 31; i++)
		assert_int_equal(f_alloc(f, 0, GFP_KERNEL), expect[i]);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 0, 0).count, 0);
	assert_int_equal(zinfo(f->m, 0, NORMAL).free_pages, free0 - 31);
	/* an empty list refills again */
	f_alloc(f, 0, GFP_KERNEL);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 0, 0).count, 30);
	assert_int_equal(zinfo(f->m, 0, NORMAL).free_pages, free0 - 62);
	expect_all(f);
	CHECK(f->m);
}

static void test_lifo(void **state)
{
	struct fixture *f = *state;
	unsigned long a = f_alloc(f, 0, GFP_KERNEL);
	unsigned long b = f_alloc(f, 0, GFP_KERNEL);
	unsigned long freed0 = vmstat_value(f->m, "pgfree");

	f_free(f, 0, a);
	assert_int_equal(pinfo(f->m, a).state, KMEM_PAGE_PCP);
	assert_int_equal(vmstat_value(f->m, "pgfree"), freed0 + 1);
	/* the page just freed is at the head, so it comes straight back */
	{
		unsigned long head = 0;

		kmem_pcp_list(f->m, 0, NORMAL, 0, 0, &head, 1);
		assert_int_equal(head, a);
	}
	assert_int_equal(f_alloc(f, 0, GFP_KERNEL), a);
	f_free(f, 0, b);
	f_free(f, 0, a);
	assert_int_equal(f_alloc(f, 0, GFP_KERNEL), a);
	assert_int_equal(f_alloc(f, 0, GFP_KERNEL), b);
	expect_all(f);
	CHECK(f->m);
}

/* __GFP_COLD: pcp[1], refilled with the cold batch (15). */
static void test_cold_list(void **state)
{
	struct fixture *f = *state;
	unsigned long free0 = zinfo(f->m, 0, NORMAL).free_pages;
	unsigned long c = f_alloc(f, 0, GFP_KERNEL | __GFP_COLD);

	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 0, 1).count, 14);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 0, 0).count, 0);
	assert_int_equal(zinfo(f->m, 0, NORMAL).free_pages, free0 - 15);
	expect_all(f);
	/* a cold page on the list says so */
	{
		unsigned long head = 0;
		struct kmem_page_info pi;

		kmem_pcp_list(f->m, 0, NORMAL, 0, 1, &head, 1);
		pi = pinfo(f->m, head);
		assert_int_equal(pi.state, KMEM_PAGE_PCP);
		assert_int_equal(pi.pcp_cold, 1);
		assert_int_equal(pi.pcp_cpu, 0);
	}
	/* a hot allocation does not touch the cold list */
	f_alloc(f, 0, GFP_KERNEL);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 0, 1).count, 14);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 0, 0).count, 30);
	/* __free_pages is free_hot_page: the cold page goes to the hot list */
	f_free(f, 0, c);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 0, 0).count, 31);
	assert_int_equal(pinfo(f->m, c).pcp_cold, 0);
	/* 14 more cold allocations empty it, the 15th refills */
	for (int i = 0; i < 14; i++)
		f_alloc(f, 0, GFP_KERNEL | __GFP_COLD);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 0, 1).count, 0);
	f_alloc(f, 0, GFP_KERNEL | __GFP_COLD);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 0, 1).count, 14);
	expect_all(f);
	CHECK(f->m);
}

/*
 * 186 allocations (6 refills of 31) leave the list empty; freeing them in
 * allocation order a1..a186 puts a186 at the head and a1 at the tail.  The
 * 186th free reaches high: free_pages_bulk gives back 31 from the tail,
 * a1..a31 in that order, leaving 155 (a186..a32).
 */
static void test_overflow_at_high(void **state)
{
	struct fixture *f = *state;
	unsigned long a[186], free0, pgfree0;

	for (int i = 0; i < 186; i++)
		a[i] = f_alloc(f, 0, GFP_KERNEL);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 0, 0).count, 0);
	expect_all(f);
	free0 = zinfo(f->m, 0, NORMAL).free_pages;
	pgfree0 = vmstat_value(f->m, "pgfree");

	for (int i = 0; i < 185; i++)
		f_free(f, 0, a[i]);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 0, 0).count, 185);
	assert_int_equal(zinfo(f->m, 0, NORMAL).free_pages, free0);
	f_free(f, 0, a[185]);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 0, 0).count, 155);
	assert_int_equal(zinfo(f->m, 0, NORMAL).free_pages, free0 + 31);
	assert_int_equal(vmstat_value(f->m, "pgfree"), pgfree0 + 186);
	{
		unsigned long l[200];
		size_t n = kmem_pcp_list(f->m, 0, NORMAL, 0, 0, l, 200);

		assert_int_equal(n, 155);
		assert_int_equal(l[0], a[185]);
		assert_int_equal(l[154], a[31]);
	}
	for (int i = 0; i < 31; i++) {
		enum kmem_page_state s = pinfo(f->m, a[i]).state;

		assert_true(s == KMEM_PAGE_BUDDY || s == KMEM_PAGE_BUDDY_TAIL);
	}
	assert_int_equal(pinfo(f->m, a[31]).state, KMEM_PAGE_PCP);
	expect_all(f);
	CHECK(f->m);
}

/* HighMem: hot 42/7, cold 14/3 (GFP_HIGHUSER). */
static void test_highmem_lists(void **state)
{
	struct fixture *f = *state;
	unsigned long free0 = zinfo(f->m, 0, I386_HIGHMEM).free_pages;
	unsigned long p, c;

	p = ALLOC(f->m, -1, GFP_HIGHUSER, 0);
	assert_int_equal(zone_of(f->m, p), I386_HIGHMEM);
	assert_int_equal(pcpinfo(f->m, 0, I386_HIGHMEM, 0, 0).count, 6);
	assert_int_equal(zinfo(f->m, 0, I386_HIGHMEM).free_pages, free0 - 7);
	c = ALLOC(f->m, -1, GFP_HIGHUSER | __GFP_COLD, 0);
	assert_int_equal(zone_of(f->m, c), I386_HIGHMEM);
	assert_int_equal(pcpinfo(f->m, 0, I386_HIGHMEM, 0, 1).count, 2);
	assert_int_equal(zinfo(f->m, 0, I386_HIGHMEM).free_pages, free0 - 10);
	/* 42 frees: count 6 -> 7 ... -> 42 = high -> 42 - 7 = 35 */
	FREE(f->m, p, 0);
	FREE(f->m, c, 0);
	assert_int_equal(pcpinfo(f->m, 0, I386_HIGHMEM, 0, 0).count, 8);
	{
		unsigned long q[40];

		for (int i = 0; i < 40; i++)
			q[i] = ALLOC(f->m, -1, GFP_HIGHUSER, 0);
		/* 8 on the list, then 4 refills of 7 = 36 pages; 40 taken:
		 * 8 + 28 = 36, plus one more refill of 7 -> 3 left */
		assert_int_equal(pcpinfo(f->m, 0, I386_HIGHMEM, 0, 0).count, 3);
		for (int i = 0; i < 38; i++)
			FREE(f->m, q[i], 0);
		/* 3 + 38 = 41 < 42 */
		assert_int_equal(pcpinfo(f->m, 0, I386_HIGHMEM, 0, 0).count, 41);
		FREE(f->m, q[38], 0);
		assert_int_equal(pcpinfo(f->m, 0, I386_HIGHMEM, 0, 0).count, 35);
		FREE(f->m, q[39], 0);
		assert_int_equal(pcpinfo(f->m, 0, I386_HIGHMEM, 0, 0).count, 36);
	}
	CHECK(f->m);
}

/* kmem_set_cpu: the next operations use that CPU's lists (§3.6: the
 * pageset is the current CPU's, for allocation and for free). */
static void test_set_cpu(void **state)
{
	struct fixture *f = *state;
	unsigned long a, b;

	a = f_alloc(f, 0, GFP_KERNEL);
	assert_int_equal(kmem_set_cpu(f->m, 1), 0);
	assert_int_equal(minfo(f->m).cur_cpu, 1);
	b = f_alloc(f, 1, GFP_KERNEL);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 0, 0).count, 30);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 1, 0).count, 30);
	/* a page allocated on CPU 0 and freed on CPU 1 joins CPU 1's list */
	f_free(f, 1, a);
	assert_int_equal(pinfo(f->m, a).pcp_cpu, 1);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 1, 0).count, 31);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 0, 0).count, 30);
	assert_int_equal(f_alloc(f, 1, GFP_KERNEL), a);
	/* an offline CPU is refused and the current one kept */
	assert_int_equal(kmem_set_cpu(f->m, 2), -EINVAL);
	assert_int_equal(kmem_set_cpu(f->m, KMEM_MAX_CPUS), -EINVAL);
	assert_int_equal(minfo(f->m).cur_cpu, 1);
	assert_int_equal(kmem_set_cpu(f->m, 0), 0);
	f_free(f, 0, b);
	assert_int_equal(pinfo(f->m, b).pcp_cpu, 0);
	expect_all(f);
	CHECK(f->m);
}

/*
 * __drain_pages(cpu): for each zone, hot then cold, free_pages_bulk of the
 * whole list, from the tail.  Draining CPU 1 leaves CPU 0 alone.
 */
static void test_drain(void **state)
{
	struct fixture *f = *state;
	unsigned long keep[40];

	for (int i = 0; i < 40; i++)
		keep[i] = f_alloc(f, 0, GFP_KERNEL);
	for (int i = 0; i < 20; i++)
		f_free(f, 0, keep[i]);
	f_alloc(f, 0, GFP_KERNEL | __GFP_COLD);
	assert_int_equal(kmem_set_cpu(f->m, 1), 0);
	for (int i = 0; i < 5; i++)
		f_alloc(f, 1, GFP_KERNEL);
	for (int i = 20; i < 40; i++)
		f_free(f, 1, keep[i]);
	f_alloc(f, 1, GFP_KERNEL | __GFP_COLD);
	f_alloc(f, 1, GFP_KERNEL | __GFP_COLD);
	expect_all(f);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 1, 0).count, 26 + 20);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 1, 1).count, 13);

	kmem_drain_pages(f->m, 1);
	pm_bulk(&f->p[1][0], &f->b, f->p[1][0].n);
	pm_bulk(&f->p[1][1], &f->b, f->p[1][1].n);
	expect_all(f);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 1, 0).count, 0);
	assert_int_equal(pcpinfo(f->m, 0, NORMAL, 1, 1).count, 0);
	assert_true(pcpinfo(f->m, 0, NORMAL, 0, 0).count > 0);
	assert_int_equal(zinfo(f->m, 0, NORMAL).pcp_pages,
			 (unsigned long)(pcpinfo(f->m, 0, NORMAL, 0, 0).count +
					 pcpinfo(f->m, 0, NORMAL, 0, 1).count));
	CHECK(f->m);

	kmem_drain_pages(f->m, -1);
	pm_bulk(&f->p[0][0], &f->b, f->p[0][0].n);
	pm_bulk(&f->p[0][1], &f->b, f->p[0][1].n);
	expect_all(f);
	for (int idx = 0; idx < KMEM_MAX_NR_ZONES; idx++) {
		assert_int_equal(zinfo(f->m, 0, idx).pcp_pages, 0);
		for (unsigned cpu = 0; cpu < 2; cpu++)
			for (int cold = 0; cold < 2; cold++)
				assert_int_equal(pcpinfo(f->m, 0, idx, cpu, cold).count, 0);
	}
	CHECK(f->m);
}

/* A long deterministic mix on both CPUs, hot and cold, with occasional
 * drains, every step compared with the models. */
static void test_pcp_matches_model(void **state)
{
	struct fixture *f = *state;
	unsigned long live[3000];
	size_t nlive = 0;
	uint64_t x = 0x620;
	unsigned cpu = 0;

	for (int step = 0; step < 6000; step++) {
		unsigned r;

		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		r = (unsigned)(x >> 33);
		if (r % 97 == 0) {
			cpu ^= 1;
			assert_int_equal(kmem_set_cpu(f->m, cpu), 0);
		} else if (r % 211 == 1) {
			kmem_drain_pages(f->m, (int)cpu);
			pm_bulk(&f->p[cpu][0], &f->b, f->p[cpu][0].n);
			pm_bulk(&f->p[cpu][1], &f->b, f->p[cpu][1].n);
		} else if (nlive > 0 && ((r >> 8) % 100 < 48 ||
					 nlive == ARRAY_LEN(live))) {
			size_t i = (r >> 10) % nlive;
			unsigned long pfn = live[i];

			live[i] = live[--nlive];
			f_free(f, cpu, pfn);
		} else {
			gfp_t gfp = GFP_KERNEL | (((r >> 16) % 4 == 0) ? __GFP_COLD : 0);

			live[nlive++] = f_alloc(f, cpu, gfp);
		}
		expect_all(f);
		if (step % 500 == 0)
			CHECK(f->m);
	}
	while (nlive > 0)
		f_free(f, cpu, live[--nlive]);
	expect_all(f);
	CHECK(f->m);
}

/* "tiny": every list has high 0 and batch 1 (batch 0 zones, §3.6), so
 * nothing stays on a per-CPU list. */
static void test_tiny_passthrough(void **state)
{
	struct machine *m = boot_preset("tiny");
	unsigned long p[8];

	(void)state;
	for (int idx = 0; idx < 2; idx++) {
		for (int cold = 0; cold < 2; cold++) {
			struct kmem_pcp_info pi = pcpinfo(m, 0, idx, 0, cold);

			assert_int_equal(pi.high, 0);
			assert_int_equal(pi.batch, 1);
		}
	}
	for (int i = 0; i < 8; i++) {
		p[i] = ALLOC(m, -1, (i & 1) ? GFP_KERNEL | __GFP_COLD : GFP_KERNEL, 0);
		assert_int_equal(pcpinfo(m, 0, I386_NORMAL, 0, 0).count, 0);
		assert_int_equal(pcpinfo(m, 0, I386_NORMAL, 0, 1).count, 0);
	}
	for (int i = 0; i < 8; i++) {
		FREE(m, p[i], 0);
		assert_int_equal(pcpinfo(m, 0, I386_NORMAL, 0, 0).count, 0);
		assert_int_not_equal(pinfo(m, p[i]).state, KMEM_PAGE_PCP);
	}
	CHECK(m);
	kmem_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_refill_takes_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cold_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overflow_at_high, setup, teardown),
		cmocka_unit_test_setup_teardown(test_highmem_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_cpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcp_matches_model, setup, teardown),
		cmocka_unit_test(test_tiny_passthrough),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
