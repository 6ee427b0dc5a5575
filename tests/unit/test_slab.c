/*
 * test_slab.c - SLAB (mm/slab.c, 2.6.20) against the facts reference §4:
 * general-cache geometry on both arches, tunables, refill/flush paths,
 * free_limit, reaping, shrink/destroy, the debug layout's reports,
 * /proc/slabinfo, and every bad free leaving the machine unchanged.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include "helpers.h"

#define CHECK(m) check_machine((m), __FILE__, __LINE__)

static struct kmem_cache_info cinfo(struct machine *m, const char *name)
{
	struct kmem_cache_info ci;
	int id = kmem_cache_lookup(m, name);

	if (id < 0)
		fail_msg("no cache %s", name);
	assert_int_equal(kmem_cache_info(m, id, &ci), 0);
	return ci;
}

struct geo {
	const char *name;               /* general cache */
	unsigned num, order;            /* objects per slab, pages log2 */
	bool off;                       /* off-slab management */
	unsigned colour;                /* colours */
	unsigned limit, batch;          /* enable_cpucache */
};

static void check_geo(struct machine *m, const struct geo *g, size_t n,
		      unsigned shared)
{
	for (size_t i = 0; i < n; i++) {
		struct kmem_cache_info ci = cinfo(m, g[i].name);
		if (ci.num != g[i].num || ci.gfporder != g[i].order ||
		    ci.off_slab != g[i].off || ci.colour != g[i].colour ||
		    ci.limit != g[i].limit || ci.batchcount != g[i].batch)
			fail_msg("%s: num %u order %u off %d colour %u limit %u batch %u; "
				 "want %u %u %d %u %u %u", g[i].name, ci.num,
				 ci.gfporder, ci.off_slab, ci.colour, ci.limit,
				 ci.batchcount, g[i].num, g[i].order, g[i].off,
				 g[i].colour, g[i].limit, g[i].batch);
		unsigned want_shared = ci.buffer_size <= 4096 ? shared : 0;
		assert_int_equal(ci.shared, want_shared);
	}
}

/* Reference §4.5 table, i386 with L1_CACHE_BYTES 32 (CONFIG_M686):
 * colours of 64/128/256 are 1, 3, 5; 96 leaves 64 B = 2 colours. */
static void test_geometry_i386(void **state)
{
	(void)state;
	static const struct geo g[] = {
		{ "size-32", 113, 0, false, 0, 120, 60 },
		{ "size-64", 59, 0, false, 1, 120, 60 },
		{ "size-96", 40, 0, false, 2, 120, 60 },
		{ "size-128", 30, 0, false, 3, 120, 60 },
		{ "size-192", 20, 0, false, 4, 120, 60 },
		{ "size-256", 15, 0, false, 5, 120, 60 },
		{ "size-512", 8, 0, true, 0, 54, 27 },
		{ "size-1024", 4, 0, true, 0, 54, 27 },
		{ "size-2048", 2, 0, true, 0, 24, 12 },
		{ "size-4096", 1, 0, true, 0, 24, 12 },
		{ "size-8192", 1, 1, true, 0, 8, 4 },
		{ "size-16384", 1, 2, true, 0, 8, 4 },
		{ "size-32768", 1, 3, true, 0, 8, 4 },
		{ "size-65536", 1, 4, true, 0, 8, 4 },
		{ "size-131072", 1, 5, true, 0, 8, 4 },
		{ "size-64(DMA)", 59, 0, false, 1, 120, 60 },
	};
	struct machine *m = boot_preset("i386-1g");

	check_geo(m, g, ARRAY_LEN(g), 8);
	/* off-slab slab_size = 28 + 4 * num on i386 */
	assert_int_equal(cinfo(m, "size-512").slab_size, 60);
	assert_int_equal(cinfo(m, "size-1024").slab_size, 44);
	assert_int_equal(cinfo(m, "size-2048").slab_size, 36);
	assert_int_equal(cinfo(m, "size-4096").slab_size, 32);
	assert_int_equal(cinfo(m, "size-32(DMA)").gfpflags, GFP_DMA);
	assert_int_equal(cinfo(m, "size-32").gfpflags, 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* x86_64 generic (L1 128): no 96/192 caches; 32 holds 112 per slab. */
static void test_geometry_x86_64(void **state)
{
	(void)state;
	static const struct geo g[] = {
		{ "size-32", 112, 0, false, 0, 120, 60 },
		{ "size-64", 59, 0, false, 0, 120, 60 },
		{ "size-128", 30, 0, false, 0, 120, 60 },
		{ "size-256", 15, 0, false, 1, 120, 60 },
		{ "size-512", 8, 0, true, 0, 54, 27 },
		{ "size-4096", 1, 0, true, 0, 24, 12 },
		{ "size-131072", 1, 5, true, 0, 8, 4 },
	};
	struct machine *m = boot_preset("x86_64-2g");

	check_geo(m, g, ARRAY_LEN(g), 8);
	assert_true(kmem_cache_lookup(m, "size-96") < 0);
	assert_true(kmem_cache_lookup(m, "size-192") < 0);
	/* off-slab slab_size = 48 + 4 * num on x86_64 */
	assert_int_equal(cinfo(m, "size-512").slab_size, 48 + 4 * 8);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* UP: no shared arrays; free_limit = (1 + cpus) * batch + num = 233 for
 * size-32 (§4.7 example). */
static void test_up_tunables(void **state)
{
	(void)state;
	struct machine *m = boot_simple(KMEM_ARCH_I386, 1, 1ULL << 30);
	struct kmem_cache_info ci = cinfo(m, "size-32");

	assert_int_equal(ci.shared, 0);
	assert_int_equal(ci.free_limit, 2 * 60 + 113);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* slabinfo lists the chain newest first: kmem_cache last, and the
 * bootstrap order INDEX_AC, INDEX_L3, then ascending with DMA twins. */
static void test_chain_order(void **state)
{
	(void)state;
	struct machine *m = boot_preset("i386-1g");
	int ids[64];
	size_t n = kmem_cache_list(m, ids, ARRAY_LEN(ids));
	struct kmem_cache_info a, b, c, d, e;

	assert_int_equal(n, 31);
	kmem_cache_info(m, ids[n - 1], &a);
	kmem_cache_info(m, ids[n - 2], &b);
	kmem_cache_info(m, ids[n - 3], &c);
	kmem_cache_info(m, ids[n - 4], &d);
	kmem_cache_info(m, ids[0], &e);
	assert_string_equal(a.name, "kmem_cache");
	assert_string_equal(b.name, "size-32");
	assert_string_equal(c.name, "size-64");
	assert_string_equal(d.name, "size-32(DMA)");
	assert_string_equal(e.name, "size-131072(DMA)");
	kmem_machine_destroy(m);
}

static void test_kmalloc_sizes(void **state)
{
	(void)state;
	struct machine *m = boot_preset("i386-1g");
	static const struct { size_t req, got; } t[] = {
		{ 0, 32 }, { 1, 32 }, { 32, 32 }, { 33, 64 }, { 65, 96 },
		{ 97, 128 }, { 129, 192 }, { 193, 256 }, { 4097, 8192 },
		{ 131072, 131072 },
	};

	for (size_t i = 0; i < ARRAY_LEN(t); i++) {
		kaddr_t p;
		size_t sz;
		assert_int_equal(kmem_kmalloc(m, t[i].req, GFP_KERNEL, -1, &p), 0);
		assert_int_equal(kmem_ksize(m, p, &sz), 0);
		if (sz != t[i].got)
			fail_msg("kmalloc(%zu): ksize %zu, want %zu", t[i].req, sz,
				 t[i].got);
		assert_int_equal(kmem_kfree(m, p), 0);
	}
	kaddr_t p;
	char *before = proc_text(m, "slabinfo");
	assert_int_equal(kmem_kmalloc(m, 131073, GFP_KERNEL, -1, &p), -ENOMEM);
	char *after = proc_text(m, "slabinfo");
	assert_string_equal(before, after);
	/* GFP_DMA picks the twin */
	struct kmem_whatis w;
	assert_int_equal(kmem_kmalloc(m, 100, GFP_KERNEL | GFP_DMA, -1, &p), 0);
	kmem_whatis(m, p, &w);
	assert_int_equal(w.kind, KMEM_ADDR_SLAB_OBJ);
	struct kmem_cache_info ci;
	kmem_cache_info(m, w.cache_id, &ci);
	assert_string_equal(ci.name, "size-128(DMA)");
	struct kmem_page_info pi;
	kmem_page_info(m, w.pfn, &pi);
	assert_int_equal(pi.zone_idx, 0);       /* DMA zone */
	assert_int_equal(kmem_kfree(m, 0), 0);  /* kfree(NULL) */
	free(before);
	free(after);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* The array is a LIFO stack; the first refill of an untouched array
 * takes BATCHREFILL_LIMIT (16) objects, later ones batchcount. */
static void test_refill_and_lifo(void **state)
{
	(void)state;
	struct machine *m = boot_simple(KMEM_ARCH_I386, 1, 1ULL << 30);
	int id;
	kaddr_t p[64], q;
	struct kmem_array_info ai;
	kaddr_t ent[256];
	struct kmem_slab_info si[4];

	assert_int_equal(kmem_cache_create(m, "t64", 64, 0, SLAB_HWCACHE_ALIGN,
					   false, &id), 0);
	assert_int_equal(kmem_cache_alloc(m, id, GFP_KERNEL, -1, &p[0]), 0);
	assert_int_equal(kmem_cache_array(m, id, 0, 0, &ai, ent, 256), 0);
	assert_int_equal(ai.avail, 15);
	assert_int_equal(ai.limit, 120);
	assert_int_equal(kmem_cache_slabs(m, id, 0, si, 4), 1);
	assert_int_equal(si[0].inuse, 16);
	assert_int_equal(si[0].list, 1);        /* partial */
	/* objects come from the slab in index order; the array hands out the
	 * last one pulled first */
	assert_true(p[0] == si[0].s_mem + 15 * 64);
	for (int i = 1; i < 16; i++)
		assert_int_equal(kmem_cache_alloc(m, id, GFP_KERNEL, -1, &p[i]), 0);
	assert_int_equal(kmem_cache_alloc(m, id, GFP_KERNEL, -1, &p[16]), 0);
	/* touched now: refill takes the remaining 43 of the 59 */
	kmem_cache_array(m, id, 0, 0, &ai, ent, 256);
	assert_int_equal(ai.avail, 42);
	assert_int_equal(kmem_cache_slabs(m, id, 0, si, 4), 1);
	assert_int_equal(si[0].list, 0);        /* full */
	/* LIFO: free then alloc returns the same object */
	assert_int_equal(kmem_cache_free(m, id, p[3]), 0);
	assert_int_equal(kmem_cache_alloc(m, id, GFP_KERNEL, -1, &q), 0);
	assert_true(q == p[3]);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* A full array flushes batchcount objects from its bottom into the
 * shared array (SMP), which slabinfo reports as sharedavail. */
static void test_flush_to_shared(void **state)
{
	(void)state;
	struct machine *m = boot_preset("i386-1g");    /* 2 CPUs */
	int id;
	kaddr_t p[200];
	struct kmem_array_info ai;
	kaddr_t ent[512];

	assert_int_equal(kmem_cache_create(m, "t128", 128, 0, 0, false, &id), 0);
	for (int i = 0; i < 121; i++)
		assert_int_equal(kmem_cache_alloc(m, id, GFP_KERNEL, -1, &p[i]), 0);
	for (int i = 0; i < 121; i++)
		assert_int_equal(kmem_cache_free(m, id, p[i]), 0);
	/*
	 * Without SLAB_HWCACHE_ALIGN a 128-byte object packs 30 to a slab and
	 * a refill stops at the end of the slabs it has (16 first, then up to
	 * 60): after 121 allocations 5 slabs are full and 29 objects wait in
	 * the array.  The frees fill it to 120; the next one moves the bottom
	 * 60 to the shared array; the rest follow: 90 in the array.
	 */
	kmem_cache_array(m, id, 0, 0, &ai, ent, 512);
	assert_int_equal(ai.avail, 90);
	assert_int_equal(kmem_cache_array(m, id, -1, 0, &ai, ent, 512), 0);
	assert_int_equal(ai.avail, 60);
	assert_int_equal(ai.limit, 8 * 60);
	struct kmem_cache_info ci = cinfo(m, "t128");
	assert_int_equal(ci.num, 30);
	assert_int_equal(ci.shared_avail, 60);
	/* objects parked in arrays still count as active */
	assert_int_equal(ci.active_objs, 150);
	assert_int_equal(ci.slabs_full, 5);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* free_block destroys an empty slab once free_objects > free_limit. */
static void test_free_limit(void **state)
{
	(void)state;
	struct machine *m = boot_simple(KMEM_ARCH_I386, 1, 1ULL << 30);
	int id;
	kaddr_t p[600];

	/* 1024-byte objects: 4 per slab, limit 54, batch 27 */
	assert_int_equal(kmem_cache_create(m, "t1k", 1024, 0, 0, false, &id), 0);
	for (int i = 0; i < 400; i++)
		assert_int_equal(kmem_cache_alloc(m, id, GFP_KERNEL, -1, &p[i]), 0);
	struct kmem_cache_info ci = cinfo(m, "t1k");
	assert_int_equal(ci.free_limit, (1 + 1) * 27 + 4);
	for (int i = 0; i < 400; i++)
		assert_int_equal(kmem_cache_free(m, id, p[i]), 0);
	ci = cinfo(m, "t1k");
	/* an emptied slab is kept only while free_objects <= free_limit, so
	 * the empty slabs kept hold at most free_limit objects; the rest were
	 * destroyed as they emptied */
	assert_true(ci.slabs_free > 0);
	assert_true(ci.slabs_free * 4 <= ci.free_limit);
	assert_true(ci.num_slabs < 100);
	assert_int_equal(kmem_cache_shrink(m, id), 0);
	ci = cinfo(m, "t1k");
	assert_int_equal(ci.num_slabs, 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* cache_reap: a touched array is only untouched; the next pass frees
 * (limit + 4) / 5 objects from its bottom. */
static void test_reap(void **state)
{
	(void)state;
	struct machine *m = boot_simple(KMEM_ARCH_I386, 1, 1ULL << 30);
	int id;
	kaddr_t p[100];
	struct kmem_array_info ai;
	kaddr_t ent[256];

	assert_int_equal(kmem_cache_create(m, "r", 256, 0, 0, false, &id), 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(kmem_cache_alloc(m, id, GFP_KERNEL, -1, &p[i]), 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(kmem_cache_free(m, id, p[i]), 0);
	kmem_cache_array(m, id, 0, 0, &ai, ent, 256);
	unsigned before = ai.avail;
	assert_true(ai.touched);
	kmem_tick(m, KMEM_HZ + 1);              /* first reap: untouch */
	kmem_cache_array(m, id, 0, 0, &ai, ent, 256);
	assert_int_equal(ai.avail, before);
	assert_false(ai.touched);
	kmem_tick(m, 2 * KMEM_HZ);              /* second: drain a fifth */
	kmem_cache_array(m, id, 0, 0, &ai, ent, 256);
	assert_int_equal(ai.avail, before - (120 + 4) / 5);
	/* long idle: everything drains */
	kmem_tick(m, 200 * KMEM_HZ);
	kmem_cache_array(m, id, 0, 0, &ai, ent, 256);
	assert_int_equal(ai.avail, 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_destroy(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	int id, id2;
	kaddr_t p;

	assert_int_equal(kmem_cache_create(m, "d", 200, 0, SLAB_HWCACHE_ALIGN,
					   true, &id), 0);
	assert_int_equal(kmem_cache_create(m, "d", 64, 0, 0, false, &id2),
			 -EEXIST);
	assert_int_equal(kmem_cache_alloc(m, id, GFP_KERNEL, -1, &p), 0);
	char *before = machine_snapshot(m, true);
	char *sbefore = proc_text(m, "slabinfo");
	assert_int_equal(kmem_cache_destroy(m, id), -EBUSY);
	assert_non_null(strstr(kmem_last_error(m), "Can't free all objects"));
	char *after = machine_snapshot(m, true);
	char *safter = proc_text(m, "slabinfo");
	assert_string_equal(before, after);
	assert_string_equal(sbefore, safter);
	assert_int_equal(kmem_cache_shrink(m, id), 1);
	assert_int_equal(kmem_cache_free(m, id, p), 0);
	assert_int_equal(kmem_cache_destroy(m, id), 0);
	assert_true(kmem_cache_lookup(m, "d") < 0);
	assert_int_equal(kmem_cache_destroy(m, kmem_cache_lookup(m, "size-32")),
			 -EPERM);
	free(before); free(after); free(sbefore); free(safter);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Every bad free is refused with the machine unchanged. */
static void test_bad_frees(void **state)
{
	(void)state;
	struct machine *m = boot_preset("i386-1g");
	kaddr_t a, b, page;
	unsigned long pfn;
	int id;

	assert_int_equal(kmem_kmalloc(m, 100, GFP_KERNEL, -1, &a), 0);
	assert_int_equal(kmem_kmalloc(m, 100, GFP_KERNEL, -1, &b), 0);
	assert_int_equal(kmem_kfree(m, b), 0);
	assert_int_equal(kmem_alloc_pages(m, -1, GFP_KERNEL, 0, &pfn), 0);
	kmem_page_address(m, pfn, &page);
	assert_int_equal(kmem_cache_create(m, "other", 100, 0, 0, false, &id), 0);

	char *before = machine_snapshot(m, true);
	char *sbefore = proc_text(m, "slabinfo");
	static const struct { int off; const char *phrase; } bad[] = {
		{ 1, "double free" },           /* b again */
		{ 2, "not the start of an object" },
		{ 3, "not in a slab page" },
		{ 4, "not a kernel direct-map address" },
	};
	kaddr_t addr[5] = { 0, b, a + 8, page, 0x1234 };
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		assert_int_equal(kmem_kfree(m, addr[bad[i].off]), -EINVAL);
		if (!strstr(kmem_last_error(m), bad[i].phrase))
			fail_msg("kfree case %zu: '%s' lacks '%s'", i,
				 kmem_last_error(m), bad[i].phrase);
	}
	assert_int_equal(kmem_cache_free(m, id, a), -EINVAL);
	assert_non_null(strstr(kmem_last_error(m), "belongs to cache size-128"));
	char *after = machine_snapshot(m, true);
	char *safter = proc_text(m, "slabinfo");
	assert_string_equal(before, after);
	assert_string_equal(sbefore, safter);
	free(before); free(after); free(sbefore); free(safter);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_debug_reports(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	int id;
	kaddr_t o, o2;
	uint32_t w;
	struct kmem_cache_info ci;

	assert_int_equal(kmem_cache_create(m, "dbg", 100, 0,
		SLAB_POISON | SLAB_RED_ZONE | SLAB_STORE_USER, false, &id), 0);
	kmem_cache_info(m, id, &ci);
	/* 100 + two red-zone words + the user word, word aligned */
	assert_int_equal(ci.buffer_size, 100 + 3 * 4);
	assert_int_equal(kmem_cache_alloc(m, id, GFP_KERNEL, -1, &o), 0);
	/* red zone 1 just before the object holds RED_ACTIVE */
	assert_int_equal(kmem_memread(m, o - 4, &w, 4), 0);
	assert_int_equal(w, 0x170FC2A5u);
	uint8_t b;
	kmem_memread(m, o, &b, 1);
	assert_int_equal(b, 0x5a);              /* POISON_INUSE */
	kmem_memread(m, o + 99, &b, 1);
	assert_int_equal(b, 0xa5);              /* POISON_END */
	size_t len0;
	kmem_dmesg(m, &len0);
	/* overrun into red zone 2: caught at free */
	assert_int_equal(kmem_memset(m, o + 100, 0x41, 4), 0);
	assert_int_equal(kmem_cache_free(m, id, o), 0);
	const char *log = kmem_dmesg(m, NULL) + len0;
	assert_non_null(strstr(log, "slab error in cache_free_debugcheck(): "
			       "cache `dbg': double free, or memory outside "
			       "object was overwritten"));
	kmem_memread(m, o + 10, &b, 1);
	assert_int_equal(b, 0x6b);              /* POISON_FREE */
	/* write after free: caught when the object is handed out again */
	kmem_dmesg(m, &len0);
	assert_int_equal(kmem_memset(m, o + 10, 0x42, 1), 0);
	assert_int_equal(kmem_cache_alloc(m, id, GFP_KERNEL, -1, &o2), 0);
	assert_true(o2 == o);
	log = kmem_dmesg(m, NULL) + len0;
	assert_non_null(strstr(log, "Slab corruption: dbg start="));
	assert_non_null(strstr(log, "000: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 42 6b"));
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_slabinfo_text(void **state)
{
	(void)state;
	struct machine *m = boot_preset("i386-1g");
	char *t = proc_text(m, "slabinfo");
	char line[256];

	static const char head[] = "slabinfo - version: 2.1\n# name            "
		"<active_objs> <num_objs> <objsize> <objperslab> "
		"<pagesperslab> : tunables <limit> <batchcount> "
		"<sharedfactor> : slabdata <active_slabs> <num_slabs> "
		"<sharedavail>\n";
	assert_true(strncmp(t, head, sizeof head - 1) == 0);
	struct kmem_cache_info ci = cinfo(m, "size-2048");
	snprintf(line, sizeof line, "\nsize-2048         %6lu %6lu %6zu %4u %4d : "
		 "tunables %4u %4u %4u : slabdata %6lu %6lu %6lu\n",
		 ci.active_objs, ci.num_objs, ci.buffer_size, ci.num, 1,
		 ci.limit, ci.batchcount, ci.shared, ci.active_slabs,
		 ci.num_slabs, ci.shared_avail);
	assert_non_null(strstr(t, line));
	assert_non_null(strstr(t, "\nkmem_cache "));
	free(t);
	/* retune through a write, as the kernel's slabinfo_write does */
	assert_int_equal(kmem_proc_write(m, "/proc/slabinfo", "size-64 32 16 4"), 0);
	ci = cinfo(m, "size-64");
	assert_int_equal(ci.limit, 32);
	assert_int_equal(ci.batchcount, 16);
	assert_int_equal(ci.shared, 4);
	assert_int_equal(kmem_proc_write(m, "/proc/slabinfo", "size-64 8 16 0"),
			 -EINVAL);
	assert_int_equal(kmem_proc_write(m, "/proc/slabinfo", "nosuch 8 4 0"),
			 -EINVAL);
	ci = cinfo(m, "size-64");
	assert_int_equal(ci.limit, 32);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* meminfo's Slab is the NR_SLAB_* page count: every cache's slabs. */
static void test_meminfo_slab(void **state)
{
	(void)state;
	struct machine *m = boot_preset("i386-1g");
	kaddr_t p[300];
	int ids[64];
	unsigned long pages = 0;

	for (int i = 0; i < 300; i++)
		assert_int_equal(kmem_kmalloc(m, 3000, GFP_KERNEL, -1, &p[i]), 0);
	size_t n = kmem_cache_list(m, ids, ARRAY_LEN(ids));
	for (size_t i = 0; i < n; i++) {
		struct kmem_cache_info ci;
		kmem_cache_info(m, ids[i], &ci);
		pages += ci.num_slabs << ci.gfporder;
	}
	struct kmem_stat_item it[64];
	size_t k = kmem_meminfo_items(m, it, ARRAY_LEN(it));
	unsigned long slab_kb = 0;
	for (size_t i = 0; i < k; i++)
		if (!strcmp(it[i].name, "Slab"))
			slab_kb = it[i].value;
	assert_int_equal(slab_kb, pages * 4);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_whatis(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	kaddr_t p;
	struct kmem_whatis w;

	assert_int_equal(kmem_kmalloc(m, 40, GFP_KERNEL, -1, &p), 0);
	assert_int_equal(kmem_whatis(m, p + 5, &w), 0);
	assert_int_equal(w.kind, KMEM_ADDR_SLAB_OBJ);
	assert_true(w.obj_addr == p);
	assert_int_equal(w.offset, 5);
	assert_true(w.allocated);
	kmem_kfree(m, p);
	kmem_whatis(m, p, &w);
	assert_false(w.allocated);
	assert_true(w.in_array);
	kmem_machine_destroy(m);
}

/* Same machine, same operations: same text. */
static void test_determinism(void **state)
{
	(void)state;
	char *t[2];

	for (int r = 0; r < 2; r++) {
		struct machine *m = boot_preset("x86_64-numa");
		kaddr_t p[500];
		for (int i = 0; i < 500; i++) {
			kmem_set_cpu(m, (unsigned)i % 4);
			assert_int_equal(kmem_kmalloc(m, (size_t)(i * 37 % 3000) + 1,
						      GFP_KERNEL, i % 5 == 0 ? 1 : -1,
						      &p[i]), 0);
		}
		for (int i = 0; i < 500; i += 2) {
			kmem_set_cpu(m, (unsigned)(i + 1) % 4);
			assert_int_equal(kmem_kfree(m, p[i]), 0);
		}
		kmem_tick(m, 10 * KMEM_HZ);
		CHECK(m);
		t[r] = proc_text(m, "slabinfo");
		kmem_machine_destroy(m);
	}
	assert_string_equal(t[0], t[1]);
	free(t[0]);
	free(t[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry_i386),
		cmocka_unit_test(test_geometry_x86_64),
		cmocka_unit_test(test_up_tunables),
		cmocka_unit_test(test_chain_order),
		cmocka_unit_test(test_kmalloc_sizes),
		cmocka_unit_test(test_refill_and_lifo),
		cmocka_unit_test(test_flush_to_shared),
		cmocka_unit_test(test_free_limit),
		cmocka_unit_test(test_reap),
		cmocka_unit_test(test_destroy),
		cmocka_unit_test(test_bad_frees),
		cmocka_unit_test(test_debug_reports),
		cmocka_unit_test(test_slabinfo_text),
		cmocka_unit_test(test_meminfo_slab),
		cmocka_unit_test(test_whatis),
		cmocka_unit_test(test_determinism),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
