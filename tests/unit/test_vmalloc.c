/*
 * test_vmalloc.c - the kernel address space, vmalloc and highmem against
 * the facts reference §6 and §7: layout numbers, first-fit placement with
 * guard pages on both arches, the VM_VPAGES path, page-table allocation,
 * ioremap rules, vfree errors leaving the machine unchanged, the pkmap
 * rotor and flush, kmap_atomic slot addresses per CPU.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include "helpers.h"

#define CHECK(m) check_machine((m), __FILE__, __LINE__)
#define PG 4096ULL

static kaddr_t vmalloc_ok(struct machine *m, size_t size)
{
	kaddr_t a;

	if (kmem_vmalloc(m, KMEM_VMALLOC, size, -1, &a))
		fail_msg("vmalloc(%zu): %s", size, kmem_last_error(m));
	return a;
}

/* §6.1/§7: 896 MiB lowmem -> VMALLOC_START 0xf8800000, PKMAP_BASE
 * 0xff800000, VMALLOC_END = PKMAP_BASE - 2 pages, fixmap below 0xfffff000. */
static void test_layout_i386(void **state)
{
	(void)state;
	struct machine *m = boot_preset("i386-1g");
	struct kmem_layout l;

	kmem_kernel_layout(m, &l);
	assert_true(l.page_offset == 0xc0000000ULL);
	assert_true(l.high_memory == 0xf8000000ULL);
	assert_true(l.vmalloc_start == 0xf8800000ULL);
	assert_true(l.pkmap_base == 0xff800000ULL);
	assert_true(l.vmalloc_end == 0xff7fe000ULL);
	assert_int_equal(l.last_pkmap, 1024);
	assert_true(l.fixaddr_top == 0xfffff000ULL);
	assert_int_equal(l.levels, 2);
	assert_non_null(strstr(kmem_dmesg(m, NULL),
			       "    vmalloc : 0xf8800000 - 0xff7fe000   ( 111 MB)"));
	/* a 32 MiB machine: VMALLOC_START = 32M + 8M rounded to 8M, + 8M */
	struct machine *t = boot_preset("tiny");
	kmem_kernel_layout(t, &l);
	assert_true(l.vmalloc_start == 0xc2800000ULL);
	kmem_machine_destroy(t);
	kmem_machine_destroy(m);
}

static void test_layout_x86_64(void **state)
{
	(void)state;
	struct machine *m = boot_preset("x86_64-2g");
	struct kmem_layout l;

	kmem_kernel_layout(m, &l);
	assert_true(l.vmalloc_start == 0xffffc20000000000ULL);
	assert_true(l.vmalloc_end == 0xffffe1ffffffffffULL);
	assert_int_equal(l.last_pkmap, 0);
	assert_int_equal(l.levels, 4);
	struct kmem_stat_item it[64];
	size_t n = kmem_meminfo_items(m, it, 64);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(it[i].name, "VmallocTotal"))
			assert_int_equal(it[i].value, 34359738367UL);
	kmem_machine_destroy(m);
}

/* First fit with a guard page after each area (§6.3). */
static void test_first_fit_guard(void **state)
{
	(void)state;
	static const char *const presets[] = { "i386-1g", "x86_64-2g" };

	for (int p = 0; p < 2; p++) {
		struct machine *m = boot_preset(presets[p]);
		struct kmem_layout l;
		kmem_kernel_layout(m, &l);
		kaddr_t base = l.vmalloc_start;
		kaddr_t a = vmalloc_ok(m, 3 * PG + 1);   /* 4 pages + guard */
		kaddr_t b = vmalloc_ok(m, PG);           /* 1 page + guard */
		kaddr_t c = vmalloc_ok(m, 2 * PG);
		assert_true(a == base);
		assert_true(b == base + 5 * PG);
		assert_true(c == base + 7 * PG);
		/* free b: its 2-page hole takes the next 1-page request */
		assert_int_equal(kmem_vfree(m, b), 0);
		kaddr_t d = vmalloc_ok(m, PG);
		assert_true(d == b);
		/* a 2-page request does not fit the hole: after c */
		assert_int_equal(kmem_vfree(m, d), 0);
		kaddr_t e = vmalloc_ok(m, 2 * PG);
		assert_true(e == base + 10 * PG);
		/* the guard page is unmapped, the pages are mapped */
		struct kmem_pt_step st[4];
		uint64_t phys;
		assert_true(kmem_pagetable_walk(m, a + 3 * PG, st, 4, &phys) > 0);
		assert_int_equal(kmem_pagetable_walk(m, a + 4 * PG, st, 4, &phys),
				 -EFAULT);
		struct kmem_whatis w;
		kmem_whatis(m, a + 4 * PG + 8, &w);
		assert_int_equal(w.kind, KMEM_ADDR_VMALLOC_GUARD);
		kmem_whatis(m, a + 2 * PG, &w);
		assert_int_equal(w.kind, KMEM_ADDR_VMALLOC);
		unsigned long pfns[8];
		assert_int_equal(kmem_vm_area_pages(m, a, pfns, 8), 4);
		assert_int_equal(w.pfn, pfns[2]);
		CHECK(m);
		kmem_machine_destroy(m);
	}
}

/* vmalloc pages come from HighMem on i386 (GFP_HIGHMEM), vmalloc_32
 * from lowmem; vmalloc_user zeroes. */
static void test_page_sources(void **state)
{
	(void)state;
	struct machine *m = boot_preset("i386-1g");
	kaddr_t a, b;
	unsigned long pfn;
	struct kmem_page_info pi;

	a = vmalloc_ok(m, PG);
	kmem_vm_area_pages(m, a, &pfn, 1);
	kmem_page_info(m, pfn, &pi);
	assert_int_equal(pi.zone_idx, 2);               /* HighMem */
	assert_int_equal(kmem_vmalloc(m, KMEM_VMALLOC_32, PG, -1, &b), 0);
	kmem_vm_area_pages(m, b, &pfn, 1);
	kmem_page_info(m, pfn, &pi);
	assert_int_equal(pi.zone_idx, 1);               /* Normal */
	/* bytes written through the area land in the page */
	uint8_t x = 0;
	assert_int_equal(kmem_memset(m, a + 100, 0x77, 1), 0);
	unsigned long hp;
	kmem_vm_area_pages(m, a, &hp, 1);
	kaddr_t k;
	assert_int_equal(kmem_kmap(m, hp, &k), 0);
	kmem_memread(m, k + 100, &x, 1);
	assert_int_equal(x, 0x77);
	struct kmem_vm_area ar[4];
	assert_int_equal(kmem_vmlist(m, ar, 4), 2);
	assert_int_equal(ar[0].flags, VM_ALLOC);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* More than a page of page pointers: pages[] is itself vmalloc'd. */
static void test_vpages(void **state)
{
	(void)state;
	struct machine *m = boot_preset("i386-1g");
	struct kmem_vm_area ar[4];

	kaddr_t a = vmalloc_ok(m, 1024 * PG);          /* 4096-byte array */
	kaddr_t b = vmalloc_ok(m, 1025 * PG);          /* 4100 bytes */
	assert_int_equal(kmem_vmlist(m, ar, 4), 3);
	assert_true(ar[0].addr == a && ar[0].flags == VM_ALLOC);
	assert_true(ar[1].addr == b && ar[1].flags == (VM_ALLOC | VM_VPAGES));
	/* the array's own area follows (two pages + guard) */
	assert_true(ar[1].pages_array == ar[2].addr);
	assert_int_equal(ar[2].nr_pages, 2);
	assert_int_equal(kmem_vfree(m, b), 0);
	assert_int_equal(kmem_vmlist(m, ar, 4), 1);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Kernel PTE pages come from the page allocator as areas need them. */
static void test_pagetable_pages(void **state)
{
	(void)state;
	struct machine *m = boot_preset("i386-1g");
	struct kmem_pt_step st[4];
	uint64_t phys;

	kaddr_t a = vmalloc_ok(m, PG);
	assert_int_equal(kmem_pagetable_walk(m, a, st, 4, &phys), 2);
	unsigned long table = st[1].table_pfn;
	struct kmem_page_info pi;
	kmem_page_info(m, table, &pi);
	assert_int_equal(pi.state, KMEM_PAGE_ALLOC);
	/* the next 4 MiB of vmalloc space needs a second table */
	kaddr_t b = vmalloc_ok(m, 1024 * PG);
	(void)b;
	assert_true(kmem_pagetable_walk(m, a + (4ULL << 20), st, 4, &phys) > 0);
	assert_true(st[1].table_pfn != table);
	/* the direct map uses 4 MiB pages in the pgd */
	assert_int_equal(kmem_pagetable_walk(m, 0xc0123456ULL, st, 4, &phys), 1);
	assert_true(st[0].large);
	assert_true(phys == 0x123456ULL);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_vfree_errors(void **state)
{
	(void)state;
	struct machine *m = boot_preset("i386-1g");
	kaddr_t a = vmalloc_ok(m, 2 * PG), io;
	char *before = machine_snapshot(m, true);

	assert_int_equal(kmem_vfree(m, a + 1), -EINVAL);
	assert_non_null(strstr(kmem_last_error(m), "Trying to vfree() bad address"));
	assert_int_equal(kmem_vfree(m, a + PG), -EINVAL);
	assert_non_null(strstr(kmem_last_error(m),
			       "Trying to vfree() nonexistent vm area"));
	assert_int_equal(kmem_vunmap(m, a), -EINVAL);
	assert_int_equal(kmem_vmalloc(m, KMEM_VMALLOC, 0, -1, &io), -EINVAL);
	/* RAM in use cannot be ioremapped */
	assert_int_equal(kmem_ioremap(m, 0x2000000ULL, PG, &io), -EINVAL);
	char *after = machine_snapshot(m, true);
	assert_string_equal(before, after);
	/* the ISA window is always mapped: no area */
	assert_int_equal(kmem_ioremap(m, 0xb8000ULL, PG, &io), 0);
	assert_true(io == 0xc00b8000ULL);
	/* device memory: an ioremap area aligned to its size's power of 2 */
	assert_int_equal(kmem_ioremap(m, 0xfebf0000ULL, 8192, &io), 0);
	assert_int_equal(io & 0x3fff, 0);
	assert_int_equal(kmem_iounmap(m, io), 0);
	assert_int_equal(kmem_vfree(m, a), 0);
	free(before);
	free(after);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Running out of vmalloc space: 2.6.20's message, nothing kept. */
static void test_out_of_space(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	struct kmem_layout l;
	kaddr_t a;

	kmem_kernel_layout(m, &l);
	/* tiny's vmalloc range is huge but its RAM is 32 MiB: ask for more
	 * than RAM and vmalloc refuses up front */
	assert_int_equal(kmem_vmalloc(m, KMEM_VMALLOC, 40 << 20, -1, &a), -EINVAL);
	/* vmap areas use no RAM: fill the range until it is exhausted */
	unsigned long pfn;
	assert_int_equal(kmem_alloc_pages(m, -1, GFP_KERNEL, 0, &pfn), 0);
	unsigned long *pfns = calloc(4096, sizeof *pfns);
	for (int i = 0; i < 4096; i++)
		pfns[i] = pfn;
	int n = 0, rc;
	while ((rc = kmem_vmap(m, pfns, 4096, &a)) == 0)
		n++;
	assert_int_equal(rc, -ENOMEM);
	assert_non_null(strstr(kmem_last_error(m), "out of vmalloc space"));
	assert_true((uint64_t)(n + 1) * 4097 * PG > l.vmalloc_end - l.vmalloc_start);
	free(pfns);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* pkmap: slots in rotor order; a kunmapped page stays until the flush at
 * the wrap, which frees every count-1 slot; all busy = would sleep. */
static void test_pkmap_rotor(void **state)
{
	(void)state;
	struct machine *m = boot_preset("i386-1g");
	unsigned long *pfn = calloc(1100, sizeof *pfn);
	kaddr_t va;
	unsigned rotor;
	struct kmem_pkmap_slot sl[4];

	for (int i = 0; i < 1100; i++)
		assert_int_equal(kmem_alloc_pages(m, -1, GFP_HIGHUSER, 0, &pfn[i]), 0);
	assert_int_equal(kmem_kmap(m, pfn[0], &va), 0);
	assert_true(va == 0xff801000ULL);               /* slot 1 first */
	assert_int_equal(kmem_kmap(m, pfn[1], &va), 0);
	assert_true(va == 0xff802000ULL);
	assert_int_equal(kmem_kunmap(m, pfn[0]), 0);
	kmem_pkmap_slots(m, sl, 4, &rotor);
	assert_int_equal(rotor, 2);
	assert_int_equal(sl[0].count, 1);               /* unused, not flushed */
	/* kmap again before any flush reuses the same slot */
	assert_int_equal(kmem_kmap(m, pfn[0], &va), 0);
	assert_true(va == 0xff801000ULL);
	kmem_kunmap(m, pfn[0]);
	/* fill slots 3..1023 */
	for (int i = 2; i < 1023; i++)
		assert_int_equal(kmem_kmap(m, pfn[i], &va), 0);
	kmem_pkmap_slots(m, NULL, 0, &rotor);
	assert_int_equal(rotor, 1023);
	/* the wrap flushes slot 1 (count 1) and reuses slot 0 */
	assert_int_equal(kmem_kmap(m, pfn[1023], &va), 0);
	assert_true(va == 0xff800000ULL);
	assert_int_equal(kmem_kmap(m, pfn[1024], &va), 0);
	assert_true(va == 0xff801000ULL);
	/* now every slot is busy: kmap of another page would sleep */
	char *before = machine_snapshot(m, false);
	assert_int_equal(kmem_kmap(m, pfn[1025], &va), -EAGAIN);
	assert_non_null(strstr(kmem_last_error(m), "would sleep"));
	char *after = machine_snapshot(m, false);
	assert_string_equal(before, after);
	/* lowmem pages need no slot */
	unsigned long low;
	kmem_alloc_pages(m, -1, GFP_KERNEL, 0, &low);
	assert_int_equal(kmem_kmap(m, low, &va), 0);
	assert_true(va == 0xc0000000ULL + ((kaddr_t)low << 12));
	free(before);
	free(after);
	free(pfn);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* kmap_atomic: fix_to_virt(FIX_KMAP_BEGIN + type + KM_TYPE_NR * cpu),
 * FIX_KMAP_BEGIN = 67 with 64 I/O APICs. */
static void test_kmap_atomic_slots(void **state)
{
	(void)state;
	struct machine *m = boot_preset("i386-1g");
	unsigned long pfn;
	kaddr_t va;

	kmem_alloc_pages(m, -1, GFP_HIGHUSER, 0, &pfn);
	int user0 = kmem_km_type_lookup("KM_USER0");
	assert_int_equal(user0, 3);
	assert_int_equal(kmem_kmap_atomic(m, pfn, user0, &va), 0);
	assert_true(va == 0xfffff000ULL - (67ULL + 3) * PG);
	assert_int_equal(kmem_kmap_atomic(m, pfn, user0, &va), -EBUSY);
	kmem_set_cpu(m, 1);
	assert_int_equal(kmem_kmap_atomic(m, pfn, user0, &va), 0);
	assert_true(va == 0xfffff000ULL - (67ULL + 3 + 13) * PG);
	assert_int_equal(kmem_kunmap_atomic(m, va, user0), 0);
	assert_int_equal(kmem_kunmap_atomic(m, va, user0), -EINVAL);
	kmem_set_cpu(m, 0);
	assert_int_equal(kmem_kunmap_atomic(m, 0xfffff000ULL - 70 * PG, user0), 0);
	assert_int_equal(kmem_kmap_atomic(m, pfn, 13, &va), -EINVAL);
	CHECK(m);
	kmem_machine_destroy(m);
	/* x86_64: no highmem, kmap is page_address */
	m = boot_preset("x86_64-2g");
	kmem_alloc_pages(m, -1, GFP_HIGHUSER, 0, &pfn);
	assert_int_equal(kmem_kmap_atomic(m, pfn, user0, &va), 0);
	assert_true(va == 0xffff810000000000ULL + ((kaddr_t)pfn << 12));
	kmem_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_i386),
		cmocka_unit_test(test_layout_x86_64),
		cmocka_unit_test(test_first_fit_guard),
		cmocka_unit_test(test_page_sources),
		cmocka_unit_test(test_vpages),
		cmocka_unit_test(test_pagetable_pages),
		cmocka_unit_test(test_vfree_errors),
		cmocka_unit_test(test_out_of_space),
		cmocka_unit_test(test_pkmap_rotor),
		cmocka_unit_test(test_kmap_atomic_slots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
