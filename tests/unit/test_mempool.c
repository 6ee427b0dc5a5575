/*
 * test_mempool.c - mempools (mm/mempool.c, 2.6.20): the reserve filled
 * at creation, mempool_alloc falling back to it when the allocator fails
 * (and only then), mempool_free refilling it before the allocator gets
 * anything back, resize, destroy refusals, and errors that change nothing.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include "helpers.h"

static struct kmem_mempool_info pinf(struct machine *m, int id)
{
	struct kmem_mempool_info i;

	if (kmem_mempool_info(m, id, &i))
		fail_msg("mempool %d: %s", id, kmem_last_error(m));
	return i;
}

/* Exhaust the page allocator for GFP_ATOMIC order 0 (its deepest dip). */
static size_t exhaust(struct machine *m, unsigned long *pfns, size_t max)
{
	size_t n = 0;
	unsigned long pfn;

	while (n < max && !kmem_alloc_pages(m, -1, GFP_ATOMIC | __GFP_NOWARN, 0,
					    &pfn))
		pfns[n++] = pfn;
	return n;
}

static void test_reserve_fallback(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	unsigned long free0 = minfo(m).nr_free_pages;
	int id;
	assert_int_equal(kmem_mempool_create(m, "bio", 4, -1, 0, &id), 0);
	struct kmem_mempool_info i = pinf(m, id);
	assert_int_equal(i.min_nr, 4);
	assert_int_equal(i.curr_nr, 4);
	assert_int_equal(i.out, 0);
	assert_true(minfo(m).nr_free_pages <= free0 - 4);
	kaddr_t res[4];
	assert_int_equal(kmem_mempool_reserve(m, id, res, 4), 4);

	/* with memory about: the allocator, the reserve untouched */
	kaddr_t e1;
	bool fr;
	assert_int_equal(kmem_mempool_alloc(m, id, GFP_NOIO, &e1, &fr), 0);
	assert_false(fr);
	assert_int_equal(pinf(m, id).curr_nr, 4);
	CHECK(m);

	/* no memory: the reserve, top first (LIFO) */
	static unsigned long pfns[16384];
	size_t n = exhaust(m, pfns, 16384);
	kaddr_t e2, e3;
	assert_int_equal(kmem_mempool_alloc(m, id, GFP_NOIO, &e2, &fr), 0);
	assert_true(fr);
	assert_true(e2 == res[3]);
	assert_int_equal(kmem_mempool_alloc(m, id, GFP_ATOMIC, &e3, &fr), 0);
	assert_true(e3 == res[2]);
	i = pinf(m, id);
	assert_int_equal(i.curr_nr, 2);
	assert_int_equal(i.out, 3);
	assert_int_equal(i.from_reserve, 2);
	CHECK(m);

	/* mempool_free refills the reserve first: e1 goes in, not back */
	unsigned long before = minfo(m).nr_free_pages;
	assert_int_equal(kmem_mempool_free(m, id, e1, &fr), 0);
	assert_true(fr);
	assert_int_equal(minfo(m).nr_free_pages, before);
	assert_int_equal(kmem_mempool_reserve(m, id, res, 4), 3);
	assert_true(res[2] == e1);      /* on top: the next one handed out */
	/* empty the reserve; then !__GFP_WAIT fails, __GFP_WAIT would sleep */
	kaddr_t x[3];
	for (int k = 0; k < 3; k++)
		assert_int_equal(kmem_mempool_alloc(m, id, GFP_ATOMIC, &x[k], &fr), 0);
	assert_true(x[0] == e1);
	kaddr_t y;
	assert_int_equal(kmem_mempool_alloc(m, id, GFP_ATOMIC, &y, &fr), -ENOMEM);
	assert_non_null(strstr(kmem_last_error(m), "!__GFP_WAIT"));
	assert_int_equal(kmem_mempool_alloc(m, id, GFP_NOIO, &y, &fr), -ENOMEM);
	assert_non_null(strstr(kmem_last_error(m), "sleep until an element is "
			       "freed"));
	assert_int_equal(pinf(m, id).failures, 2);
	CHECK(m);

	/* free everything: four refill, the fifth goes to the allocator */
	for (size_t k = 0; k < n; k++)
		FREE(m, pfns[k], 0);
	assert_int_equal(kmem_mempool_free(m, id, x[0], &fr), 0);
	assert_true(fr);
	assert_int_equal(kmem_mempool_free(m, id, x[1], &fr), 0);
	assert_int_equal(kmem_mempool_free(m, id, x[2], &fr), 0);
	assert_int_equal(kmem_mempool_free(m, id, e2, &fr), 0);
	assert_true(fr);
	assert_int_equal(pinf(m, id).curr_nr, 4);
	assert_int_equal(kmem_mempool_free(m, id, e3, &fr), 0);
	assert_false(fr);
	i = pinf(m, id);
	assert_int_equal(i.out, 0);
	assert_int_equal(i.to_reserve, 5);     /* e1 earlier, then four */
	assert_int_equal(i.frees, 6);
	CHECK(m);
	assert_int_equal(kmem_mempool_destroy(m, id), 0);
	assert_int_equal(minfo(m).nr_free_pages, free0);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Over a slab cache, on SLAB and SLOB. */
static void test_cache_pool(void **state)
{
	(void)state;
	for (int slob = 0; slob < 2; slob++) {
		struct kmem_config c;
		kmem_config_defaults(&c);
		c.arch = KMEM_ARCH_I386;
		c.allocator = slob ? KMEM_ALLOC_SLOB : KMEM_ALLOC_SLAB;
		c.memory = 32ULL << 20;
		struct machine *m = boot_config(&c);
		int cache, id;
		assert_int_equal(kmem_cache_create(m, "bufs", 200, 0, 0, false,
						   &cache), 0);
		assert_int_equal(kmem_mempool_create(m, "bufpool", 3, cache, 0,
						     &id), 0);
		struct kmem_cache_info ci;
		assert_int_equal(kmem_cache_info(m, cache, &ci), 0);
		assert_true(ci.active_objs >= 3);
		assert_int_equal(pinf(m, id).curr_nr, 3);
		kaddr_t e;
		bool fr;
		assert_int_equal(kmem_mempool_alloc(m, id, GFP_KERNEL, &e, &fr), 0);
		assert_int_equal(kmem_mempool_owner(m, e), id);
		CHECK(m);
		/* a cache with live objects cannot go */
		assert_int_equal(kmem_mempool_destroy(m, id), -EBUSY);
		assert_non_null(strstr(kmem_last_error(m), "still out"));
		assert_int_equal(kmem_mempool_free(m, id, e, &fr), 0);
		assert_false(fr);       /* the reserve was full */
		assert_int_equal(kmem_mempool_destroy(m, id), 0);
		/* every object back: the cache can be destroyed */
		assert_int_equal(kmem_cache_destroy(m, cache), 0);
		CHECK(m);
		kmem_machine_destroy(m);
	}
}

static void test_resize(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	int id;
	assert_int_equal(kmem_mempool_create(m, "p", 2, -1, 1, &id), 0);
	assert_int_equal(kmem_mempool_resize(m, id, 6, GFP_KERNEL), 0);
	assert_int_equal(pinf(m, id).curr_nr, 6);
	assert_int_equal(pinf(m, id).min_nr, 6);
	CHECK(m);
	unsigned long f = minfo(m).nr_free_pages;
	assert_int_equal(kmem_mempool_resize(m, id, 1, GFP_KERNEL), 0);
	assert_int_equal(pinf(m, id).curr_nr, 1);
	assert_true(minfo(m).nr_free_pages >= f + 10);
	/* an element out, then shrink below it: destroy waits for it */
	kaddr_t e;
	assert_int_equal(kmem_mempool_alloc(m, id, GFP_KERNEL, &e, NULL), 0);
	assert_int_equal(kmem_mempool_destroy(m, id), -EBUSY);
	assert_int_equal(kmem_mempool_free(m, id, e, NULL), 0);
	assert_int_equal(kmem_mempool_destroy(m, id), 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Every refusal leaves the machine as it was. */
static void test_errors_change_nothing(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	int id, bad;
	assert_int_equal(kmem_mempool_create(m, "p", 2, -1, 0, &id), 0);
	kaddr_t e;
	assert_int_equal(kmem_mempool_alloc(m, id, GFP_KERNEL, &e, NULL), 0);
	char *before = machine_snapshot(m, false);
	assert_int_equal(kmem_mempool_create(m, "p", 2, -1, 0, &bad), -EEXIST);
	assert_int_equal(kmem_mempool_create(m, "q", 0, -1, 0, &bad), -EINVAL);
	assert_int_equal(kmem_mempool_create(m, "q", 2, 999, 0, &bad), -ENOENT);
	assert_int_equal(kmem_mempool_create(m, "q", 2, -1, 11, &bad), -EINVAL);
	assert_int_equal(kmem_mempool_create(m, "", 2, -1, 0, &bad), -EINVAL);
	/* an order-10 reserve of 8 does not fit in 32 MiB: all undone */
	assert_int_equal(kmem_mempool_create(m, "huge", 8, -1, 10, &bad), -ENOMEM);
	assert_int_equal(kmem_mempool_lookup(m, "huge"), -ENOENT);
	assert_int_equal(kmem_mempool_free(m, id, e + 4096, NULL), -EINVAL);
	assert_int_equal(kmem_mempool_free(m, 7, e, NULL), -ENOENT);
	assert_int_equal(kmem_mempool_alloc(m, id, GFP_HIGHUSER, &e, NULL), -EINVAL);
	assert_int_equal(kmem_mempool_resize(m, id, 0, GFP_KERNEL), -EINVAL);
	assert_int_equal(kmem_mempool_destroy(m, id), -EBUSY);
	assert_int_equal(kmem_mempool_destroy(m, 42), -ENOENT);
	char *after = machine_snapshot(m, false);
	ASSERT_SAME_TEXT(before, after, "machine after refused mempool calls");
	free(before);
	free(after);
	CHECK(m);
	kmem_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reserve_fallback),
		cmocka_unit_test(test_cache_pool),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_errors_change_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
