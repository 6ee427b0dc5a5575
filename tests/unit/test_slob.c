/*
 * test_slob.c - SLOB (mm/slob.c of 2.6.20) through the public API, with
 * every address worked out by hand from the facts reference
 * (linux-2.6.20-mm.md §5):
 *
 *   SLOB_UNIT = 8 (i386) / 16 (x86_64); SLOB_UNITS(n) = ceil(n / UNIT)
 *   kmalloc(n < PAGE_SIZE - UNIT) = slob_alloc(n + UNIT), object = block
 *     + 1 unit, ksize = units * UNIT; else a bigblock of find_order(n)
 *   slob_alloc: next fit from slobfree->next; split keeps the tail free,
 *     slobfree = prev; no fit -> one page, slob_free(page), search on
 *   slob_free: insert after cur (cur < b < cur->next, or the wrap point),
 *     merge with the next block, then with cur; slobfree = cur
 *   the arena anchor is a static 1-unit block below every page we use
 *
 * P below is always the first page the heap grew by; it is read from the
 * first kmalloc's address and everything else is computed from it.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include "helpers.h"

#define PAGE 4096UL

struct blk {
	kaddr_t addr;
	long units;
};

static struct machine *boot_slob(enum kmem_arch arch)
{
	struct kmem_config c;

	kmem_config_defaults(&c);
	c.arch = arch;
	c.allocator = KMEM_ALLOC_SLOB;
	c.memory = 32ULL << 20;
	return boot_config(&c);
}

static kaddr_t kmalloc_ok(struct machine *m, size_t size, gfp_t gfp)
{
	kaddr_t a = 0;
	int rc = kmem_kmalloc(m, size, gfp, -1, &a);

	if (rc != 0)
		fail_msg("kmalloc(%zu) failed: %d (%s)", size, rc,
			 kmem_last_error(m));
	return a;
}

static void kfree_ok(struct machine *m, kaddr_t a)
{
	int rc = kmem_kfree(m, a);

	if (rc != 0)
		fail_msg("kfree(%#llx) failed: %d (%s)", (unsigned long long)a,
			 rc, kmem_last_error(m));
}

static kaddr_t cache_alloc_ok(struct machine *m, int id, gfp_t gfp)
{
	kaddr_t a = 0;
	int rc = kmem_cache_alloc(m, id, gfp, -1, &a);

	if (rc != 0)
		fail_msg("kmem_cache_alloc(%d) failed: %d (%s)", id, rc,
			 kmem_last_error(m));
	return a;
}

static int cache_create_ok(struct machine *m, const char *name, size_t size,
			   size_t align, unsigned flags)
{
	int id = -1;
	int rc = kmem_cache_create(m, name, size, align, flags, false, &id);

	if (rc != 0)
		fail_msg("kmem_cache_create(%s) failed: %d (%s)", name, rc,
			 kmem_last_error(m));
	return id;
}

/* The anchor: the only free block of a freshly booted SLOB machine. */
static kaddr_t anchor_of(struct machine *m)
{
	struct kmem_slob_block b[2];

	assert_int_equal(kmem_slob_freelist(m, b, 2), 1);
	return b[0].addr;
}

/* The free list, walked from slobfree, must be exactly want[0..n). */
#define EXPECT_LIST(m, ...) do { \
	const struct blk want_[] = { __VA_ARGS__ }; \
	expect_list((m), want_, ARRAY_LEN(want_), __FILE__, __LINE__); \
} while (0)
static void expect_list(struct machine *m, const struct blk *want, size_t n,
			const char *file, int line)
{
	struct kmem_slob_block got[64];
	long len = kmem_slob_freelist(m, got, ARRAY_LEN(got));

	if (len != (long)n)
		fail_msg("%s:%d: free list has %ld blocks, expected %zu (first "
			 "%#llx)", file, line, len, n,
			 len > 0 ? (unsigned long long)got[0].addr : 0ULL);
	for (size_t i = 0; i < n; i++) {
		if (got[i].addr != want[i].addr || got[i].units != want[i].units)
			fail_msg("%s:%d: block %zu is %#llx (%ld units), "
				 "expected %#llx (%ld units)", file, line, i,
				 (unsigned long long)got[i].addr, got[i].units,
				 (unsigned long long)want[i].addr,
				 want[i].units);
		if (got[i].next != want[(i + 1) % n].addr)
			fail_msg("%s:%d: block %zu %#llx: next %#llx, expected "
				 "%#llx", file, line, i,
				 (unsigned long long)got[i].addr,
				 (unsigned long long)got[i].next,
				 (unsigned long long)want[(i + 1) % n].addr);
	}
}

/* The free list holds exactly these blocks, whatever slobfree is. */
#define EXPECT_SET(m, ...) do { \
	const struct blk want_[] = { __VA_ARGS__ }; \
	expect_set((m), want_, ARRAY_LEN(want_), __FILE__, __LINE__); \
} while (0)
static void expect_set(struct machine *m, const struct blk *want, size_t n,
		       const char *file, int line)
{
	struct kmem_slob_block got[64];
	long len = kmem_slob_freelist(m, got, ARRAY_LEN(got));

	if (len != (long)n)
		fail_msg("%s:%d: free list has %ld blocks, expected %zu", file,
			 line, len, n);
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t j = 0; j < n; j++)
			if (got[j].addr == want[i].addr &&
			    got[j].units == want[i].units)
				found = true;
		if (!found)
			fail_msg("%s:%d: no free block %#llx (%ld units)", file,
				 line, (unsigned long long)want[i].addr,
				 want[i].units);
	}
}

static unsigned long meminfo_kb(struct machine *m, const char *field)
{
	char *t = proc_text(m, "meminfo");
	char *p = strstr(t, field);
	unsigned long v;

	if (!p)
		fail_msg("meminfo has no %s", field);
	v = strtoul(p + strlen(field) + 1, NULL, 10);
	free(t);
	return v;
}

/* A slob_t as it sits in simulated memory. */
static void read_header(struct machine *m, kaddr_t blk, long *units,
			kaddr_t *next, unsigned ptr)
{
	uint8_t b[16];
	int32_t u;
	uint64_t nx = 0;

	assert_int_equal(kmem_memread(m, blk, b, 2 * ptr), 0);
	memcpy(&u, b, 4);               /* the host is little-endian x86 too */
	memcpy(&nx, b + ptr, ptr);
	*units = u;
	*next = (kaddr_t)nx;
}

static size_t ksize_of(struct machine *m, kaddr_t a)
{
	size_t sz = 0;

	assert_int_equal(kmem_ksize(m, a, &sz), 0);
	return sz;
}

/* Everything a refused free must leave alone, as text. */
static char *slob_snapshot(struct machine *m)
{
	struct kmem_slob_block fl[256];
	struct kmem_slob_big bb[64];
	long n = kmem_slob_freelist(m, fl, ARRAY_LEN(fl));
	long nb = kmem_slob_bigblocks(m, bb, ARRAY_LEN(bb));
	char *base = machine_snapshot(m, true);
	struct kbuf b;
	char *s;

	kbuf_init(&b);
	kbuf_printf(&b, "%s", base);
	free(base);
	for (long i = 0; i < n && i < (long)ARRAY_LEN(fl); i++)
		kbuf_printf(&b, "free %llx %ld %llx\n",
			    (unsigned long long)fl[i].addr, fl[i].units,
			    (unsigned long long)fl[i].next);
	for (long i = 0; i < nb && i < (long)ARRAY_LEN(bb); i++)
		kbuf_printf(&b, "big %llx %u %llx\n",
			    (unsigned long long)bb[i].addr, bb[i].order,
			    (unsigned long long)bb[i].desc);
	kbuf_printf(&b, "arena %lu\n", kmem_slob_arena_pages(m));
	s = strdup(b.data);
	kbuf_free(&b);
	return s;
}

/* ------------------------------------------------------------------ */

static void test_boot_state(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	kaddr_t anchor = anchor_of(m);
	struct kmem_slob_big bb[1];
	struct kmem_machine_info mi = minfo(m);
	unsigned long pfn;
	struct kbuf b;
	long units;
	kaddr_t next;

	(void)state;
	EXPECT_LIST(m, { anchor, 1 });
	assert_int_equal(kmem_slob_arena_pages(m), 0);
	assert_int_equal(kmem_slob_bigblocks(m, bb, 1), 0);
	/* the anchor is a static variable in the kernel image */
	assert_int_equal(kmem_virt_to_pfn(m, anchor, &pfn), 0);
	assert_int_equal(pinfo(m, pfn).state, KMEM_PAGE_RESERVED);
	assert_true(anchor >= mi.page_offset);
	/* arena = { .units = 1, .next = &arena } in memory */
	read_header(m, anchor, &units, &next, 4);
	assert_int_equal(units, 1);
	assert_int_equal(next, anchor);
	/* no slabinfo, no Slab under SLOB; no general caches */
	kbuf_init(&b);
	assert_int_equal(kmem_proc_read(m, "slabinfo", &b), -ENOENT);
	kbuf_free(&b);
	assert_int_equal(meminfo_kb(m, "Slab:"), 0);
	assert_int_equal(kmem_cache_list(m, NULL, 0), 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_first_kmalloc_grows_one_page(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	kaddr_t anchor = anchor_of(m);
	unsigned long free0 = meminfo_kb(m, "MemFree:");
	kaddr_t a, P;
	long units;
	kaddr_t next;

	(void)state;
	a = kmalloc_ok(m, 20, GFP_KERNEL);      /* SLOB_UNITS(28) = 4 */
	P = a - 8;
	assert_int_equal(P & (PAGE - 1), 0);
	assert_int_equal(kmem_slob_arena_pages(m), 1);
	assert_int_equal(meminfo_kb(m, "MemFree:"), free0 - 4);
	assert_int_equal(meminfo_kb(m, "Slab:"), 0);
	/* slobfree is the anchor (prev of the block we split) */
	EXPECT_LIST(m, { anchor, 1 }, { P + 32, 508 });
	assert_int_equal(ksize_of(m, a), 32);
	/* the headers are in simulated memory */
	read_header(m, P, &units, &next, 4);
	assert_int_equal(units, 4);             /* the kmalloc header */
	read_header(m, P + 32, &units, &next, 4);
	assert_int_equal(units, 508);
	assert_int_equal(next, anchor);
	read_header(m, anchor, &units, &next, 4);
	assert_int_equal(units, 1);
	assert_int_equal(next, P + 32);
	CHECK(m);
	kfree_ok(m, a);
	/* back in one piece: b merged with cur->next, slobfree = anchor */
	EXPECT_LIST(m, { anchor, 1 }, { P, 512 });
	read_header(m, P, &units, &next, 4);
	assert_int_equal(units, 512);
	assert_int_equal(next, anchor);
	/* the page stays in the arena until the timer runs */
	assert_int_equal(kmem_slob_arena_pages(m), 1);
	assert_int_equal(meminfo_kb(m, "MemFree:"), free0 - 4);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_next_fit_placement(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	kaddr_t anchor = anchor_of(m);
	kaddr_t a, b, c, d, e, f, P;

	(void)state;
	a = kmalloc_ok(m, 20, GFP_KERNEL);      /* 4 units at P */
	P = a - 8;
	b = kmalloc_ok(m, 100, GFP_KERNEL);     /* 14 units at P+32 */
	c = kmalloc_ok(m, 8, GFP_KERNEL);       /* 2 units at P+144 */
	assert_int_equal(b, P + 32 + 8);
	assert_int_equal(c, P + 144 + 8);
	EXPECT_LIST(m, { anchor, 1 }, { P + 160, 492 });
	kfree_ok(m, b);                         /* a hole of 14 units */
	EXPECT_LIST(m, { anchor, 1 }, { P + 32, 14 }, { P + 160, 492 });
	/* 6 units: the first block after slobfree that fits is the hole */
	d = kmalloc_ok(m, 40, GFP_KERNEL);
	assert_int_equal(d, P + 32 + 8);
	EXPECT_LIST(m, { anchor, 1 }, { P + 80, 8 }, { P + 160, 492 });
	/* 14 units: the 8-unit rest is too small, the tail is split */
	e = kmalloc_ok(m, 100, GFP_KERNEL);
	assert_int_equal(e, P + 160 + 8);
	EXPECT_LIST(m, { P + 80, 8 }, { P + 272, 478 }, { anchor, 1 });
	/* next fit: 6 units would fit at P+80, but the search starts after
	 * slobfree (P+80), so it lands in the tail */
	f = kmalloc_ok(m, 40, GFP_KERNEL);
	assert_int_equal(f, P + 272 + 8);
	EXPECT_LIST(m, { P + 80, 8 }, { P + 320, 472 }, { anchor, 1 });
	CHECK(m);
	kfree_ok(m, a);
	kfree_ok(m, c);
	kfree_ok(m, d);
	kfree_ok(m, e);
	kfree_ok(m, f);
	EXPECT_LIST(m, { P, 512 }, { anchor, 1 });
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Three adjacent 4-unit blocks x, y, z at P, P+32, P+64, tail at P+96. */
static void three_blocks(struct machine *m, kaddr_t *x, kaddr_t *y,
			 kaddr_t *z, kaddr_t *P)
{
	*x = kmalloc_ok(m, 24, GFP_KERNEL);
	*P = *x - 8;
	*y = kmalloc_ok(m, 24, GFP_KERNEL);
	*z = kmalloc_ok(m, 24, GFP_KERNEL);
	assert_int_equal(*y, *P + 40);
	assert_int_equal(*z, *P + 72);
}

static void test_coalesce_orders(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	kaddr_t anchor = anchor_of(m);
	kaddr_t x, y, z, P;

	(void)state;
	/* middle, first, last */
	three_blocks(m, &x, &y, &z, &P);
	EXPECT_LIST(m, { anchor, 1 }, { P + 96, 500 });
	kfree_ok(m, y);
	EXPECT_LIST(m, { anchor, 1 }, { P + 32, 4 }, { P + 96, 500 });
	kfree_ok(m, x);                 /* merges forward with y */
	EXPECT_LIST(m, { anchor, 1 }, { P, 8 }, { P + 96, 500 });
	kfree_ok(m, z);                 /* merges with both: slobfree = P */
	EXPECT_LIST(m, { P, 512 }, { anchor, 1 });
	CHECK(m);
	kmem_machine_destroy(m);

	/* last, first, middle */
	m = boot_slob(KMEM_ARCH_I386);
	anchor = anchor_of(m);
	three_blocks(m, &x, &y, &z, &P);
	kfree_ok(m, z);                 /* merges forward with the tail */
	EXPECT_LIST(m, { anchor, 1 }, { P + 64, 504 });
	kfree_ok(m, x);
	EXPECT_LIST(m, { anchor, 1 }, { P, 4 }, { P + 64, 504 });
	kfree_ok(m, y);                 /* fills the gap: both merges */
	EXPECT_LIST(m, { P, 512 }, { anchor, 1 });
	CHECK(m);
	kmem_machine_destroy(m);

	/* first, last, middle */
	m = boot_slob(KMEM_ARCH_I386);
	anchor = anchor_of(m);
	three_blocks(m, &x, &y, &z, &P);
	kfree_ok(m, x);
	EXPECT_LIST(m, { anchor, 1 }, { P, 4 }, { P + 96, 500 });
	kfree_ok(m, z);                 /* cur = P: merges with the tail only */
	EXPECT_LIST(m, { P, 4 }, { P + 64, 504 }, { anchor, 1 });
	kfree_ok(m, y);
	EXPECT_LIST(m, { P, 512 }, { anchor, 1 });
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_exact_fit_and_wraparound(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	kaddr_t anchor = anchor_of(m);
	kaddr_t x, y, z, P;

	(void)state;
	x = kmalloc_ok(m, 2000, GFP_KERNEL);    /* 251 units */
	P = x - 8;
	y = kmalloc_ok(m, 2000, GFP_KERNEL);    /* 251 units at P+2008 */
	assert_int_equal(y, P + 2008 + 8);
	EXPECT_LIST(m, { anchor, 1 }, { P + 4016, 10 });
	z = kmalloc_ok(m, 72, GFP_KERNEL);      /* 10 units: exact fit */
	assert_int_equal(z, P + 4016 + 8);
	EXPECT_LIST(m, { anchor, 1 });
	assert_int_equal(kmem_slob_arena_pages(m), 1);
	kfree_ok(m, y);                 /* the only block is the wrap point */
	EXPECT_LIST(m, { anchor, 1 }, { P + 2008, 251 });
	kfree_ok(m, z);                 /* above every block: wraps, merges */
	EXPECT_LIST(m, { P + 2008, 261 }, { anchor, 1 });
	kfree_ok(m, x);                 /* below P+2008: merges forward */
	EXPECT_LIST(m, { anchor, 1 }, { P, 512 });
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_header_units_and_ksize(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	static const struct { size_t size; size_t ksize; } t[] = {
		{ 0, 8 },               /* SLOB_UNITS(8): the header alone */
		{ 1, 16 }, { 8, 16 }, { 9, 24 }, { 24, 32 }, { 25, 40 },
		{ 1000, 1008 }, { 4079, 4088 },
		{ 4087, 4096 },         /* the largest heap kmalloc */
	};
	kaddr_t a[ARRAY_LEN(t)];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(t); i++) {
		long units;
		kaddr_t next;

		a[i] = kmalloc_ok(m, t[i].size, GFP_KERNEL);
		assert_int_equal(a[i] & 7, 0);
		if (ksize_of(m, a[i]) != t[i].ksize)
			fail_msg("ksize(kmalloc(%zu)) = %zu, expected %zu",
				 t[i].size, ksize_of(m, a[i]), t[i].ksize);
		read_header(m, a[i] - 8, &units, &next, 4);
		assert_int_equal(units, (long)(t[i].ksize / 8));
		CHECK(m);
	}
	for (size_t i = 0; i < ARRAY_LEN(t); i++)
		kfree_ok(m, a[i]);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_kmalloc_zero(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	kaddr_t anchor = anchor_of(m);
	kaddr_t a, b, P;

	(void)state;
	/* kmalloc(0) = slob_alloc(SLOB_UNIT): one unit, the header; the
	 * object is the empty range right after it */
	a = kmalloc_ok(m, 0, GFP_KERNEL);
	P = a - 8;
	b = kmalloc_ok(m, 0, GFP_KERNEL);
	assert_int_equal(b, P + 16);
	assert_int_equal(ksize_of(m, a), 8);
	EXPECT_LIST(m, { anchor, 1 }, { P + 16, 510 });
	kfree_ok(m, a);
	EXPECT_LIST(m, { anchor, 1 }, { P, 1 }, { P + 16, 510 });
	kfree_ok(m, b);                 /* cur = P: merges both ways */
	EXPECT_LIST(m, { P, 512 }, { anchor, 1 });
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_bigblocks(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	kaddr_t anchor = anchor_of(m);
	unsigned long free0 = meminfo_kb(m, "MemFree:");
	struct kmem_slob_big bb[4];
	kaddr_t k1, k2, k3, P;
	unsigned long pfn;
	uint32_t desc[3];

	(void)state;
	k1 = kmalloc_ok(m, 5000, GFP_KERNEL);   /* 5000 -> 2500: order 1 */
	k2 = kmalloc_ok(m, 4088, GFP_KERNEL);   /* PAGE_SIZE - UNIT: order 0 */
	k3 = kmalloc_ok(m, 20000, GFP_KERNEL);  /* 3 halvings: order 3 */
	assert_int_equal(k1 & (PAGE - 1), 0);
	assert_int_equal(k2 & (PAGE - 1), 0);
	assert_int_equal(k3 & (PAGE - 1), 0);
	assert_int_equal(ksize_of(m, k1), 8192);
	assert_int_equal(ksize_of(m, k2), 4096);
	assert_int_equal(ksize_of(m, k3), 32768);
	assert_int_equal(kmem_virt_to_pfn(m, k3, &pfn), 0);
	assert_int_equal(kmem_alloc_order(m, pfn), 3);
	/* bigblock_t = 12 bytes = 2 units, from one new arena page */
	assert_int_equal(kmem_slob_bigblocks(m, bb, 4), 3);
	P = bb[2].desc;
	assert_int_equal(P & (PAGE - 1), 0);
	/* pushed at the head: newest first */
	assert_int_equal(bb[0].addr, k3);
	assert_int_equal(bb[0].order, 3);
	assert_int_equal(bb[0].desc, P + 32);
	assert_int_equal(bb[1].addr, k2);
	assert_int_equal(bb[1].order, 0);
	assert_int_equal(bb[1].desc, P + 16);
	assert_int_equal(bb[2].addr, k1);
	assert_int_equal(bb[2].order, 1);
	EXPECT_LIST(m, { anchor, 1 }, { P + 48, 506 });
	assert_int_equal(kmem_slob_arena_pages(m), 1);
	assert_int_equal(meminfo_kb(m, "MemFree:"), free0 - 4 * (1 + 2 + 1 + 8));
	/* the bigblock_t {order, pages, next} in memory */
	assert_int_equal(kmem_memread(m, P + 32, desc, sizeof desc), 0);
	assert_int_equal(desc[0], 3);
	assert_int_equal(desc[1], (uint32_t)k3);
	assert_int_equal(desc[2], (uint32_t)(P + 16));
	CHECK(m);

	/* unlink from the middle: k3's next becomes k1's descriptor */
	kfree_ok(m, k2);
	assert_int_equal(kmem_slob_bigblocks(m, bb, 4), 2);
	assert_int_equal(bb[0].addr, k3);
	assert_int_equal(bb[1].addr, k1);
	assert_int_equal(kmem_memread(m, P + 32, desc, sizeof desc), 0);
	assert_int_equal(desc[2], (uint32_t)P);
	assert_int_equal(meminfo_kb(m, "MemFree:"), free0 - 4 * (1 + 2 + 8));
	EXPECT_LIST(m, { anchor, 1 }, { P + 16, 2 }, { P + 48, 506 });
	CHECK(m);
	kfree_ok(m, k3);
	kfree_ok(m, k1);
	assert_int_equal(kmem_slob_bigblocks(m, bb, 4), 0);
	EXPECT_LIST(m, { anchor, 1 }, { P, 512 });
	assert_int_equal(meminfo_kb(m, "MemFree:"), free0 - 4);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_find_order_and_limits(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	kaddr_t a;
	char *before, *after;

	(void)state;
	/* find_order halves while size > 4096: 8193 -> 4096 stops at
	 * order 1, so 8193 bytes get 8 KiB (as 2.6.20 does) */
	a = kmalloc_ok(m, 8193, GFP_KERNEL);
	assert_int_equal(ksize_of(m, a), 8192);
	kfree_ok(m, a);
	/* 4 MiB is order 10, the largest block; 4097 KiB needs order 11 */
	before = slob_snapshot(m);
	assert_int_equal(kmem_kmalloc(m, 4097UL << 10, GFP_KERNEL, -1, &a),
			 -ENOMEM);
	assert_non_null(strstr(kmem_last_error(m), "order 11"));
	assert_int_equal(kmem_kmalloc(m, 64UL << 20, GFP_KERNEL, -1, &a),
			 -ENOMEM);
	after = slob_snapshot(m);
	ASSERT_SAME_TEXT(before, after, "machine after an oversized kmalloc");
	free(before);
	free(after);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_growth_one_page_at_a_time(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	unsigned long free0 = meminfo_kb(m, "MemFree:");
	kaddr_t a[8];

	(void)state;
	/* 2000 bytes = 251 units: two per page, 10 units left over */
	for (int i = 0; i < 8; i++) {
		a[i] = kmalloc_ok(m, 2000, GFP_KERNEL);
		assert_int_equal(kmem_slob_arena_pages(m),
				 (unsigned long)(i / 2 + 1));
		assert_int_equal(meminfo_kb(m, "MemFree:"),
				 free0 - 4 * (unsigned long)(i / 2 + 1));
		CHECK(m);
	}
	/* the second of each pair follows the first in its page */
	for (int i = 0; i < 8; i += 2)
		assert_int_equal(a[i + 1], a[i] + 2008);
	for (int i = 0; i < 8; i++)
		kfree_ok(m, a[i]);
	assert_int_equal(kmem_slob_arena_pages(m), 4);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_timer_returns_one_page_per_second(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	unsigned long free0;
	kaddr_t a[8];

	(void)state;
	assert_int_equal(minfo(m).jiffies, 0);
	for (int i = 0; i < 8; i++)
		a[i] = kmalloc_ok(m, 2000, GFP_KERNEL);
	assert_int_equal(kmem_slob_arena_pages(m), 4);
	/* pages with live blocks are never given back */
	kmem_tick(m, 10 * KMEM_HZ);
	assert_int_equal(kmem_slob_arena_pages(m), 4);
	/* keep a[0] (first page); free the three other pages' blocks */
	for (int i = 1; i < 8; i++)
		kfree_ok(m, a[i]);
	free0 = meminfo_kb(m, "MemFree:");
	assert_int_equal(kmem_slob_arena_pages(m), 4);
	/* the next run is at jiffies 11 * HZ */
	kmem_tick(m, KMEM_HZ - 1);
	assert_int_equal(kmem_slob_arena_pages(m), 4);
	kmem_tick(m, 1);
	assert_int_equal(kmem_slob_arena_pages(m), 3);
	assert_int_equal(meminfo_kb(m, "MemFree:"), free0 + 4);
	CHECK(m);
	kmem_tick(m, KMEM_HZ - 1);
	assert_int_equal(kmem_slob_arena_pages(m), 3);
	/* two seconds at once: two runs, one page each */
	kmem_tick(m, 2 * KMEM_HZ + 1);
	assert_int_equal(kmem_slob_arena_pages(m), 1);
	assert_int_equal(meminfo_kb(m, "MemFree:"), free0 + 12);
	/* a[0]'s page stays */
	kmem_tick(m, 5 * KMEM_HZ);
	assert_int_equal(kmem_slob_arena_pages(m), 1);
	CHECK(m);
	kfree_ok(m, a[0]);
	kmem_tick(m, KMEM_HZ);
	assert_int_equal(kmem_slob_arena_pages(m), 0);
	assert_int_equal(kmem_slob_freelist(m, NULL, 0), 1);
	assert_int_equal(meminfo_kb(m, "MemFree:"), free0 + 16);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_timer_carves_page_from_larger_block(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	kaddr_t anchor = anchor_of(m);
	kaddr_t x, y, P;

	(void)state;
	x = kmalloc_ok(m, 4000, GFP_KERNEL);    /* 501 units at P */
	P = x - 8;
	EXPECT_LIST(m, { anchor, 1 }, { P + 4008, 11 });
	/* 512 units: the heap grows by a page Q.  If Q = P + 4096 it merges
	 * with the 11 units before it and y lands at P+4008, else y is Q. */
	y = kmalloc_ok(m, 4087, GFP_KERNEL);
	assert_true(y - 8 == P + 4008 || ((y - 8) & (PAGE - 1)) == 0);
	assert_int_equal(kmem_slob_arena_pages(m), 2);
	kfree_ok(m, y);
	/* either way a whole free page-aligned page is carved out (when
	 * merged: ALIGN skips 11 leading units that stay free) */
	kmem_tick(m, KMEM_HZ);
	assert_int_equal(kmem_slob_arena_pages(m), 1);
	EXPECT_SET(m, { anchor, 1 }, { P + 4008, 11 });
	kfree_ok(m, x);
	EXPECT_LIST(m, { anchor, 1 }, { P, 512 });
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_bad_frees_refused(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	kaddr_t a, b, big, obj, obj2, P, gone;
	int c1, c2;
	char *before, *after;
	size_t sz;

	(void)state;
	a = kmalloc_ok(m, 100, GFP_KERNEL);
	P = a - 8;
	b = kmalloc_ok(m, 30, GFP_KERNEL);
	big = kmalloc_ok(m, 9000, GFP_KERNEL);
	c1 = cache_create_ok(m, "c1", 40, 0, 0);
	c2 = cache_create_ok(m, "c2", 40, 0, 0);
	obj = cache_alloc_ok(m, c1, GFP_KERNEL);
	obj2 = cache_alloc_ok(m, c2, GFP_KERNEL);
	gone = kmalloc_ok(m, 30, GFP_KERNEL);
	kfree_ok(m, gone);
	CHECK(m);

	before = slob_snapshot(m);
	static const char *const what[] = {
		"double free", "interior pointer", "header address",
		"the arena anchor", "random number", "inside a bigblock",
		"a cache object", "a bigblock_t",
	};
	kaddr_t bad[] = { gone, a + 4, P, 0, 0x12345, big + 4096, obj, 0 };
	struct kmem_slob_block fl[8];
	assert_true(kmem_slob_freelist(m, fl, 8) >= 2);
	for (int i = 0; i < 8; i++)
		if (fl[i].units == 1)
			bad[3] = fl[i].addr;    /* the anchor, the only 1-unit block */
	assert_int_not_equal(bad[3], 0);
	struct kmem_slob_big bb[1];
	assert_int_equal(kmem_slob_bigblocks(m, bb, 1), 1);
	bad[7] = bb[0].desc + 8;        /* just past a bigblock_t's "header" */
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		int rc = kmem_kfree(m, bad[i]);

		if (rc != -EINVAL)
			fail_msg("kfree of %s (%#llx) returned %d", what[i],
				 (unsigned long long)bad[i], rc);
		assert_true(strncmp(kmem_last_error(m), "kfree: 0x", 9) == 0);
		assert_non_null(strstr(kmem_last_error(m),
				       "is not a live kmalloc object"));
		after = slob_snapshot(m);
		ASSERT_SAME_TEXT(before, after, what[i]);
		free(after);
		CHECK(m);
	}
	assert_non_null(strstr((kmem_kfree(m, gone), kmem_last_error(m)),
			       "double free?"));
	assert_non_null(strstr((kmem_kfree(m, a + 4), kmem_last_error(m)),
			       "points inside the kmalloc object"));
	assert_non_null(strstr((kmem_kfree(m, obj), kmem_last_error(m)),
			       "object of cache c1"));
	assert_int_equal(kmem_kfree(m, 0), 0);

	/* kmem_cache_free of the wrong things */
	assert_int_equal(kmem_cache_free(m, c2, obj), -EINVAL);
	assert_non_null(strstr(kmem_last_error(m), "kmem_cache_free: 0x"));
	assert_int_equal(kmem_cache_free(m, c1, a), -EINVAL);
	assert_int_equal(kmem_cache_free(m, c1, obj + 8), -EINVAL);
	assert_int_equal(kmem_cache_free(m, c1, big), -EINVAL);
	assert_int_equal(kmem_cache_free(m, 99, obj), -EINVAL);
	assert_int_equal(kmem_cache_free(m, -1, obj), -EINVAL);
	assert_int_equal(kmem_ksize(m, obj, &sz), -EINVAL);
	assert_int_equal(kmem_ksize(m, gone, &sz), -EINVAL);
	assert_int_equal(kmem_cache_destroy(m, 99), -EINVAL);
	after = slob_snapshot(m);
	ASSERT_SAME_TEXT(before, after, "machine after refused cache frees");
	free(after);

	/* after a real free, the second free is refused */
	assert_int_equal(kmem_cache_free(m, c1, obj), 0);
	assert_int_equal(kmem_cache_free(m, c1, obj), -EINVAL);
	kfree_ok(m, b);
	free(before);
	before = slob_snapshot(m);
	assert_int_equal(kmem_kfree(m, b), -EINVAL);
	after = slob_snapshot(m);
	ASSERT_SAME_TEXT(before, after, "machine after a double kfree");
	free(after);
	free(before);
	assert_int_equal(kmem_cache_free(m, c2, obj2), 0);
	kfree_ok(m, a);
	kfree_ok(m, big);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_cache_alignment_and_destroy(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	kaddr_t anchor = anchor_of(m);
	struct kmem_cache_info ci;
	kaddr_t o1, o2, o3, P;
	int foo, bar, ids[4];

	(void)state;
	/* struct kmem_cache under SLOB is 20 bytes on i386: 3 units */
	foo = cache_create_ok(m, "foo", 20, 0, 0);
	bar = cache_create_ok(m, "bar", 20, 64, 0);
	assert_int_equal(kmem_cache_list(m, ids, 4), 2);
	assert_int_equal(ids[0], bar);  /* newest first */
	assert_int_equal(ids[1], foo);
	assert_int_equal(kmem_cache_lookup(m, "foo"), foo);
	o1 = cache_alloc_ok(m, foo, GFP_KERNEL);
	P = o1 - 48;                    /* after both descriptors, no header */
	assert_int_equal(P & (PAGE - 1), 0);
	EXPECT_LIST(m, { anchor, 1 }, { P + 72, 503 });
	/* align 64: P+72 -> P+128, 7 leading units stay free */
	o2 = cache_alloc_ok(m, bar, GFP_KERNEL);
	assert_int_equal(o2, P + 128);
	EXPECT_LIST(m, { P + 72, 7 }, { P + 152, 493 }, { anchor, 1 });
	o3 = cache_alloc_ok(m, bar, GFP_KERNEL);
	assert_int_equal(o3, P + 192);
	EXPECT_LIST(m, { P + 152, 5 }, { P + 216, 485 }, { anchor, 1 },
		    { P + 72, 7 });
	assert_int_equal(kmem_cache_info(m, bar, &ci), 0);
	assert_string_equal(ci.name, "bar");
	assert_int_equal(ci.object_size, 20);
	assert_int_equal(ci.buffer_size, 20);
	assert_int_equal(ci.align, 64);
	assert_int_equal(ci.active_objs, 2);
	assert_int_equal(ci.num, 0);
	CHECK(m);
	/* freeing o2 merges with the fragment and the 5-unit rest */
	assert_int_equal(kmem_cache_free(m, bar, o2), 0);
	EXPECT_LIST(m, { P + 72, 15 }, { P + 216, 485 }, { anchor, 1 });
	/* a live object: destroy refuses, with SLAB's words */
	assert_int_equal(kmem_cache_destroy(m, bar), -EBUSY);
	assert_non_null(strstr(kmem_last_error(m), "slab error in "
			       "kmem_cache_destroy(): cache `bar': Can't free "
			       "all objects"));
	assert_int_equal(kmem_cache_lookup(m, "bar"), bar);
	assert_int_equal(kmem_cache_free(m, bar, o3), 0);
	EXPECT_LIST(m, { P + 72, 503 }, { anchor, 1 });
	/* destroy frees only the descriptor (P+24, 3 units) */
	assert_int_equal(kmem_cache_destroy(m, bar), 0);
	EXPECT_LIST(m, { anchor, 1 }, { P + 24, 3 }, { P + 72, 503 });
	assert_int_equal(kmem_cache_lookup(m, "bar"), -ENOENT);
	assert_int_equal(kmem_cache_info(m, bar, &ci), -EINVAL);
	assert_int_equal(kmem_cache_shrink(m, foo), 0);
	CHECK(m);
	assert_int_equal(kmem_cache_free(m, foo, o1), 0);
	assert_int_equal(kmem_cache_destroy(m, foo), 0);
	EXPECT_LIST(m, { anchor, 1 }, { P, 512 });
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_cache_hwcache_align_and_pages(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	struct kmem_cache_info ci;
	int hw, must, big;
	kaddr_t o, p;
	unsigned long pfn;

	(void)state;
	/* SLAB_HWCACHE_ALIGN is ignored; only the MUST flag aligns, to
	 * SLOB_ALIGN = L1_CACHE_BYTES (32 on the i686 build) */
	hw = cache_create_ok(m, "hw", 20, 0, SLAB_HWCACHE_ALIGN);
	must = cache_create_ok(m, "must", 20, 0, SLAB_MUST_HWCACHE_ALIGN);
	assert_int_equal(kmem_cache_info(m, hw, &ci), 0);
	assert_int_equal(ci.align, 0);
	assert_int_equal(kmem_cache_info(m, must, &ci), 0);
	assert_int_equal(ci.align, 32);
	for (int i = 0; i < 5; i++) {
		o = cache_alloc_ok(m, must, GFP_KERNEL);
		assert_int_equal(o & 31, 0);
	}
	/* objects of PAGE_SIZE and more are pages, not heap blocks */
	big = cache_create_ok(m, "big", 5000, 0, 0);
	p = cache_alloc_ok(m, big, GFP_KERNEL);
	assert_int_equal(p & (PAGE - 1), 0);
	assert_int_equal(kmem_virt_to_pfn(m, p, &pfn), 0);
	assert_int_equal(kmem_alloc_order(m, pfn), 1);
	CHECK(m);
	assert_int_equal(kmem_cache_free(m, big, p), 0);
	assert_int_equal(kmem_alloc_order(m, pfn), -1);
	/* sizes SLOB cannot serve are refused */
	int id;
	assert_int_equal(kmem_cache_create(m, "zero", 0, 0, 0, false, &id),
			 -EINVAL);
	assert_int_equal(kmem_cache_create(m, "wide", 64, 8192, 0, false, &id),
			 -EINVAL);
	assert_int_equal(kmem_cache_create(m, "foo", 20, 0, 0, false, &id), 0);
	assert_int_equal(kmem_cache_create(m, "foo", 20, 0, 0, false, &id),
			 -EEXIST);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_zeroing(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	uint8_t buf[40];
	kaddr_t a, b, o;
	int c;

	(void)state;
	a = kmalloc_ok(m, 40, GFP_KERNEL);
	assert_int_equal(kmem_memset(m, a, 0xaa, 40), 0);
	kfree_ok(m, a);
	/* the same block again: kmalloc leaves the old bytes */
	b = kmalloc_ok(m, 40, GFP_KERNEL);
	assert_int_equal(b, a);
	assert_int_equal(kmem_memread(m, b, buf, sizeof buf), 0);
	for (size_t i = 0; i < sizeof buf; i++)
		assert_int_equal(buf[i], 0xaa);
	kfree_ok(m, b);
	/* kzalloc clears them */
	b = kmalloc_ok(m, 40, GFP_KERNEL | __GFP_ZERO);
	assert_int_equal(b, a);
	assert_int_equal(kmem_memread(m, b, buf, sizeof buf), 0);
	for (size_t i = 0; i < sizeof buf; i++)
		assert_int_equal(buf[i], 0);
	kfree_ok(m, b);
	/* kmem_cache_zalloc */
	c = cache_create_ok(m, "z", 40, 0, 0);
	o = cache_alloc_ok(m, c, GFP_KERNEL);
	assert_int_equal(kmem_memset(m, o, 0x5a, 40), 0);
	assert_int_equal(kmem_cache_free(m, c, o), 0);
	o = cache_alloc_ok(m, c, GFP_KERNEL | __GFP_ZERO);
	assert_int_equal(kmem_memread(m, o, buf, sizeof buf), 0);
	for (size_t i = 0; i < sizeof buf; i++)
		assert_int_equal(buf[i], 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_anchor_handed_out(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	kaddr_t anchor = anchor_of(m);
	struct kmem_whatis w;
	kaddr_t o, k, P, Q;
	int one;

	(void)state;
	/* the anchor sits at a page boundary of .data in this model */
	assert_int_equal(anchor & (PAGE - 1), 0);
	one = cache_create_ok(m, "one", 8, 4096, 0);
	/* desc at P (3 units); the tail P+24 cannot hold a page-aligned
	 * unit, the anchor can: 2.6.20 hands the static block out */
	o = cache_alloc_ok(m, one, GFP_KERNEL);
	assert_int_equal(o, anchor);
	struct kmem_slob_block fl[4];
	assert_int_equal(kmem_slob_freelist(m, fl, 4), 1);
	P = fl[0].addr - 24;
	EXPECT_LIST(m, { P + 24, 509 });
	assert_int_equal(kmem_whatis(m, anchor, &w), 0);
	assert_int_equal(w.kind, KMEM_ADDR_SLOB);
	assert_true(w.allocated);
	assert_int_equal(w.cache_id, one);
	CHECK(m);
	/* an exact fit of the only free block would empty the list (2.6.20
	 * returns it and leaves it linked): kmemlab grows instead */
	k = kmalloc_ok(m, 4064, GFP_KERNEL);    /* 509 units */
	Q = k - 8;
	assert_int_equal(kmem_slob_arena_pages(m), 2);
	/* the new page follows P and merged into the lone block (which is
	 * then split), or it is elsewhere and k is its start */
	assert_true(Q == P + 24 || (Q & (PAGE - 1)) == 0);
	CHECK(m);
	kfree_ok(m, k);
	assert_int_equal(kmem_cache_free(m, one, o), 0);
	if (Q == P + 24)
		EXPECT_SET(m, { anchor, 1 }, { P + 24, 1021 });
	else
		EXPECT_SET(m, { anchor, 1 }, { P + 24, 509 }, { Q, 512 });
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_whatis(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	struct kmem_whatis w;
	kaddr_t a, big, o, P;
	unsigned long pfn;
	int c;

	(void)state;
	a = kmalloc_ok(m, 100, GFP_KERNEL);     /* 14 units at P */
	P = a - 8;
	big = kmalloc_ok(m, 5000, GFP_KERNEL);  /* bigblock_t at P+112 */
	c = cache_create_ok(m, "w", 16, 0, 0);  /* kmem_cache at P+128 */
	o = cache_alloc_ok(m, c, GFP_KERNEL);   /* 2 units at P+152 */
	assert_int_equal(o, P + 152);

	assert_int_equal(kmem_whatis(m, a + 10, &w), 0);
	assert_int_equal(w.kind, KMEM_ADDR_SLOB);
	assert_true(w.allocated);
	assert_int_equal(w.obj_addr, P);
	assert_int_equal(w.obj_size, 112);
	assert_int_equal(w.offset, 18);
	assert_int_equal(kmem_virt_to_pfn(m, a, &pfn), 0);
	assert_int_equal(w.pfn, pfn);
	assert_non_null(strstr(w.detail, "kmalloc object, 14 units (112 bytes)"));
	assert_int_equal(kmem_whatis(m, P + 4, &w), 0);
	assert_non_null(strstr(w.detail, "kmalloc header"));
	assert_int_equal(kmem_whatis(m, P + 112, &w), 0);
	assert_non_null(strstr(w.detail, "bigblock_t"));
	assert_int_equal(kmem_whatis(m, P + 130, &w), 0);
	assert_non_null(strstr(w.detail, "kmem_cache of w"));
	assert_int_equal(kmem_whatis(m, o + 3, &w), 0);
	assert_int_equal(w.cache_id, c);
	assert_int_equal(w.obj_addr, o);
	assert_int_equal(w.offset, 3);
	assert_int_equal(kmem_whatis(m, P + 200, &w), 0);
	assert_false(w.allocated);
	assert_int_equal(w.obj_addr, P + 168);
	assert_int_equal(w.obj_size, 8 * 491);
	assert_non_null(strstr(w.detail, "free block, 491 units"));
	assert_int_equal(kmem_whatis(m, big + 5000, &w), 0);
	assert_int_equal(w.kind, KMEM_ADDR_SLOB_BIG);
	assert_int_equal(w.obj_addr, big);
	assert_int_equal(w.obj_size, 8192);
	assert_int_equal(w.offset, 5000);
	assert_non_null(strstr(w.detail, "bigblock, order 1"));
	/* a page SLOB does not own */
	assert_int_equal(kmem_whatis(m, big + 8192 * 16, &w), 0);
	assert_true(w.kind == KMEM_ADDR_PAGE);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_check_catches_overwritten_header(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	char rep[256] = "";
	kaddr_t a;

	(void)state;
	a = kmalloc_ok(m, 24, GFP_KERNEL);      /* 4 units, tail at a + 24 */
	CHECK(m);
	/* a 25-byte write runs into the next block's header */
	assert_int_equal(kmem_memset(m, a, 0x41, 25), 0);
	assert_false(kmem_check(m, rep, sizeof rep));
	assert_non_null(strstr(rep, "slob: header of free block"));
	kmem_machine_destroy(m);

	m = boot_slob(KMEM_ARCH_I386);
	a = kmalloc_ok(m, 24, GFP_KERNEL);
	assert_int_equal(kmem_memset(m, a - 8, 0, 4), 0);
	assert_false(kmem_check(m, rep, sizeof rep));
	assert_non_null(strstr(rep, "slob: kmalloc header"));
	kmem_machine_destroy(m);
}

static void test_x86_64_units(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_X86_64);
	kaddr_t anchor = anchor_of(m);
	struct kmem_slob_big bb[1];
	kaddr_t a, big, P;
	long units;
	kaddr_t next;
	uint64_t desc[3];

	(void)state;
	/* SLOB_UNIT = 16: 20 + 16 bytes -> 3 units, 256 units a page */
	a = kmalloc_ok(m, 20, GFP_KERNEL);
	P = a - 16;
	assert_int_equal(P & (PAGE - 1), 0);
	assert_int_equal(ksize_of(m, a), 48);
	EXPECT_LIST(m, { anchor, 1 }, { P + 48, 253 });
	read_header(m, P + 48, &units, &next, 8);
	assert_int_equal(units, 253);
	assert_int_equal(next, anchor);
	read_header(m, anchor, &units, &next, 8);
	assert_int_equal(units, 1);
	assert_int_equal(next, P + 48);
	/* bigblocks start at PAGE_SIZE - 16; bigblock_t is 24 bytes, 2 units */
	assert_int_equal(ksize_of(m, kmalloc_ok(m, 4079, GFP_KERNEL)), 4096);
	big = kmalloc_ok(m, 4080, GFP_KERNEL);
	assert_int_equal(big & (PAGE - 1), 0);
	assert_int_equal(kmem_slob_bigblocks(m, bb, 1), 1);
	assert_int_equal(kmem_memread(m, bb[0].desc, desc, sizeof desc), 0);
	assert_int_equal((uint32_t)desc[0], 0);         /* order, int + pad */
	assert_int_equal(desc[1], big);                 /* pages */
	assert_int_equal(desc[2], 0);                   /* next: NULL */
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Trace: names of ENTER events, in order. */
struct names {
	char text[4096];
};

static void collect(void *ctx, const struct kmem_trace_event *ev)
{
	struct names *n = ctx;
	size_t len = strlen(n->text);

	if (ev->kind == KMEM_TRACE_ENTER)
		snprintf(n->text + len, sizeof n->text - len, "%s ", ev->func);
	else if (ev->kind == KMEM_TRACE_NOTE && strstr(ev->text, "__get_free_page"))
		snprintf(n->text + len, sizeof n->text - len, "[grow] ");
}

static void test_trace_paths(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	struct names n;
	kaddr_t a, big;

	(void)state;
	memset(&n, 0, sizeof n);
	kmem_set_trace(m, collect, &n);
	a = kmalloc_ok(m, 20, GFP_KERNEL);
	assert_non_null(strstr(n.text, "__kmalloc slob_alloc [grow] __get_free_pages alloc_pages"));
	assert_non_null(strstr(n.text, " slob_free "));
	memset(&n, 0, sizeof n);
	kfree_ok(m, a);
	assert_string_equal(n.text, "kfree slob_free ");
	memset(&n, 0, sizeof n);
	big = kmalloc_ok(m, 5000, GFP_KERNEL);
	assert_true(strncmp(n.text, "__kmalloc slob_alloc __get_free_pages alloc_pages",
			    49) == 0);
	memset(&n, 0, sizeof n);
	kfree_ok(m, big);
	assert_true(strncmp(n.text, "kfree __free_pages", 18) == 0);
	assert_non_null(strstr(n.text, "slob_free "));
	memset(&n, 0, sizeof n);
	kmem_tick(m, KMEM_HZ);
	assert_true(strncmp(n.text, "slob_timer_cbk slob_alloc __free_pages",
			    38) == 0);
	kmem_set_trace(m, NULL, NULL);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_out_of_memory(void **state)
{
	struct kmem_config c;
	struct machine *m;
	static kaddr_t a[4096];
	size_t n = 0;
	kaddr_t x;
	char *before, *after;
	int rc, id;

	(void)state;
	kmem_config_defaults(&c);
	c.allocator = KMEM_ALLOC_SLOB;
	c.memory = 8ULL << 20;
	m = boot_config(&c);
	/* a heap kmalloc that needs a page the heap cannot get must fail
	 * without touching SLOB (a highmem page has no address: refused) */
	before = slob_snapshot(m);
	assert_int_equal(kmem_kmalloc(m, 100, GFP_HIGHUSER, -1, &x), -EINVAL);
	after = slob_snapshot(m);
	ASSERT_SAME_TEXT(before, after, "machine after kmalloc(GFP_HIGHUSER)");
	free(before);
	free(after);
	while ((rc = kmem_kmalloc(m, 2000, GFP_KERNEL | __GFP_NOWARN, -1,
				  &a[n])) == 0)
		assert_true(++n < ARRAY_LEN(a));
	assert_int_equal(rc, -ENOMEM);
	/* 251 units each: two per page, more where adjacent pages merged
	 * and blocks straddle the boundary */
	assert_true(kmem_slob_arena_pages(m) <= (n + 1) / 2);
	assert_true(kmem_slob_arena_pages(m) * 512 >= n * 251);
	assert_true(n > 1500);
	CHECK(m);
	before = slob_snapshot(m);
	assert_int_equal(kmem_kmalloc(m, 2000, GFP_KERNEL | __GFP_NOWARN, -1,
				      &x), -ENOMEM);
	after = slob_snapshot(m);
	ASSERT_SAME_TEXT(before, after, "machine after a failed heap kmalloc");
	free(before);
	free(after);
	id = cache_create_ok(m, "pages", 4096, 0, 0);
	assert_int_equal(kmem_cache_alloc(m, id, GFP_KERNEL | __GFP_NOWARN, -1,
					  &x), -ENOMEM);
	CHECK(m);
	for (size_t i = 0; i < n; i++)
		kfree_ok(m, a[i]);
	assert_int_equal(kmem_cache_destroy(m, id), 0);
	kmem_tick(m, (kmem_slob_arena_pages(m) + 1) * KMEM_HZ);
	assert_int_equal(kmem_slob_arena_pages(m), 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_slab_machine_has_no_slob(void **state)
{
	struct kmem_config c;
	struct machine *m;
	struct kmem_slob_block b[1];
	struct kmem_slob_big bb[1];

	(void)state;
	kmem_config_defaults(&c);
	c.memory = 32ULL << 20;
	m = boot_config(&c);
	assert_int_equal(kmem_slob_freelist(m, b, 1), -EINVAL);
	assert_int_equal(kmem_slob_bigblocks(m, bb, 1), -EINVAL);
	assert_int_equal(kmem_slob_arena_pages(m), 0);
	kmem_machine_destroy(m);
}

static void test_churn_stays_consistent(void **state)
{
	struct machine *m = boot_slob(KMEM_ARCH_I386);
	kaddr_t live[200];
	int c = cache_create_ok(m, "churn", 52, 16, 0);
	bool is_obj[200];

	(void)state;
	memset(live, 0, sizeof live);
	kmem_set_seed(m, 42);
	for (int step = 0; step < 3000; step++) {
		unsigned i = (unsigned)(kmem_random(m) % 200);

		if (live[i]) {
			if (is_obj[i])
				assert_int_equal(kmem_cache_free(m, c, live[i]), 0);
			else
				kfree_ok(m, live[i]);
			live[i] = 0;
		} else if (kmem_random(m) % 4 == 0) {
			live[i] = cache_alloc_ok(m, c, GFP_KERNEL);
			assert_int_equal(live[i] & 15, 0);
			is_obj[i] = true;
		} else {
			size_t size = (size_t)(kmem_random(m) % 6000);
			live[i] = kmalloc_ok(m, size, GFP_KERNEL);
			is_obj[i] = false;
		}
		if (step % 100 == 0)
			kmem_tick(m, KMEM_HZ / 2);
		if (step % 10 == 0)
			CHECK(m);
	}
	for (int i = 0; i < 200; i++)
		if (live[i]) {
			if (is_obj[i])
				assert_int_equal(kmem_cache_free(m, c, live[i]), 0);
			else
				kfree_ok(m, live[i]);
		}
	assert_int_equal(kmem_cache_destroy(m, c), 0);
	assert_int_equal(kmem_slob_bigblocks(m, NULL, 0), 0);
	/* give every page back: at most one per second */
	unsigned long pages = kmem_slob_arena_pages(m);
	kmem_tick(m, (pages + 1) * KMEM_HZ);
	assert_int_equal(kmem_slob_arena_pages(m), 0);
	assert_int_equal(kmem_slob_freelist(m, NULL, 0), 1);
	CHECK(m);
	kmem_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_state),
		cmocka_unit_test(test_first_kmalloc_grows_one_page),
		cmocka_unit_test(test_next_fit_placement),
		cmocka_unit_test(test_coalesce_orders),
		cmocka_unit_test(test_exact_fit_and_wraparound),
		cmocka_unit_test(test_header_units_and_ksize),
		cmocka_unit_test(test_kmalloc_zero),
		cmocka_unit_test(test_bigblocks),
		cmocka_unit_test(test_find_order_and_limits),
		cmocka_unit_test(test_growth_one_page_at_a_time),
		cmocka_unit_test(test_timer_returns_one_page_per_second),
		cmocka_unit_test(test_timer_carves_page_from_larger_block),
		cmocka_unit_test(test_bad_frees_refused),
		cmocka_unit_test(test_cache_alignment_and_destroy),
		cmocka_unit_test(test_cache_hwcache_align_and_pages),
		cmocka_unit_test(test_zeroing),
		cmocka_unit_test(test_anchor_handed_out),
		cmocka_unit_test(test_whatis),
		cmocka_unit_test(test_check_catches_overwritten_header),
		cmocka_unit_test(test_x86_64_units),
		cmocka_unit_test(test_trace_paths),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_slab_machine_has_no_slob),
		cmocka_unit_test(test_churn_stays_consistent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
