/*
 * test_fault.c - page faults, copy-on-write, reverse mapping and the
 * counters they move (linux-2.6.20-mm.md §10.1-10.7, §10.11, §14.3,
 * §8.3 for page_referenced, §1.5 for the GFP users).
 *
 * The image a spawned i386 task gets (kmem.h): text 08048000-08050000,
 * data 08050000-08051000, bss/heap 08051000-08052000, libc text
 * b7ecf000-b7ffb000 (top-down from mmap_base b8000000), libc data and
 * bss up to b8000000, stack bffff000-c0000000 with its one argument page
 * present.  The first mmap of N bytes without a hint therefore lands at
 * b7ecf000 - N (free_area_cache is the libc base).
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include "helpers.h"

#define PG 4096ULL
#define LIBC_BASE_I386 0xb7ecf000ULL
#define RW (KMEM_PROT_READ | KMEM_PROT_WRITE)
#define ANON_PRIV (KMEM_MAP_PRIVATE | KMEM_MAP_ANONYMOUS)

static struct kmem_fault_info fault_ok(struct machine *m, int pid,
				       uint64_t addr, bool write)
{
	struct kmem_fault_info fi;

	if (kmem_fault(m, pid, addr, write, &fi))
		fail_msg("fault %#llx: %s", (unsigned long long)addr,
			 kmem_last_error(m));
	return fi;
}

static struct kmem_task_info tinfo(const struct machine *m, int pid)
{
	struct kmem_task_info t;

	if (kmem_task_info(m, pid, &t))
		fail_msg("no task %d", pid);
	return t;
}

/* The PFN pid's page table maps addr to, or KMEM_NO_PFN. */
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

static struct kmem_page_rmap rmap(struct machine *m, unsigned long pfn,
				  struct kmem_page_user *u, size_t max)
{
	struct kmem_page_rmap r;

	if (kmem_page_rmap(m, pfn, &r, u, max))
		fail_msg("rmap %#lx: %s", pfn, kmem_last_error(m));
	return r;
}

/* ------------------------------------------------------------------ */

/* §10.3 write: a zeroed page, anon_rss, NR_ANON_PAGES, PGFAULT, min_flt,
 * and a new PTE table counted in PageTables. */
static void test_anon_write_fault(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	uint64_t a = map(m, pid, 0, 16 * PG, RW, ANON_PRIV, NULL);
	assert_int_equal(a, LIBC_BASE_I386 - 16 * PG);

	unsigned long pgfault = vmstat_value(m, "pgfault");
	unsigned long anon_kb = meminfo(m, "AnonPages");
	unsigned long pt_kb = meminfo(m, "PageTables");
	struct kmem_task_info t0 = tinfo(m, pid);
	assert_int_equal(t0.anon_rss, 1);               /* the argument page */
	assert_int_equal(t0.nr_ptes, 1);

	struct kmem_fault_info fi = fault_ok(m, pid, a + 5, true);
	assert_int_equal(fi.type, KMEM_FAULT_MINOR);
	assert_string_equal(fi.handler, "do_anonymous_page");
	assert_string_equal(fi.detail, "new zeroed page");
	assert_int_equal(vmstat_value(m, "pgfault"), pgfault + 1);
	assert_int_equal(meminfo(m, "AnonPages"), anon_kb + 4);
	/* a is in the 4 MiB of libc, whose PTE table did not exist yet */
	assert_int_equal(meminfo(m, "PageTables"), pt_kb + 4);
	struct kmem_task_info t1 = tinfo(m, pid);
	assert_int_equal(t1.anon_rss, 2);
	assert_int_equal(t1.file_rss, 0);
	assert_int_equal(t1.min_flt, 1);
	assert_int_equal(t1.maj_flt, 0);
	assert_int_equal(t1.nr_ptes, 2);
	assert_int_equal(fi.pfn, pfn_at(m, pid, a));

	/* the page is anonymous, mapped once, through rmap back to us */
	struct kmem_page_user u[4];
	struct kmem_page_rmap r = rmap(m, fi.pfn, u, 4);
	assert_int_equal(r.kind, KMEM_PAGE_KIND_ANON);
	assert_int_equal(r.mapcount, 1);
	/* the PTE's reference + lru_add_active_pvecs' until it drains */
	assert_int_equal(r.count, 2);
	assert_int_equal(r.nr_users, 1);
	kmem_lru_add_drain(m, false);
	assert_int_equal(rmap(m, fi.pfn, NULL, 0).count, 1);
	r = rmap(m, fi.pfn, u, 4);
	assert_int_equal(u[0].pid, pid);
	assert_int_equal(u[0].addr, a);
	assert_true(u[0].writable && u[0].dirty && u[0].young);
	/* GFP_HIGHUSER: on a 1 GiB i386 machine HighMem serves it */
	assert_int_equal(pinfo(m, fi.pfn).zone_idx, I386_HIGHMEM);

	/* a second write needs no fault at all */
	fi = fault_ok(m, pid, a, true);
	assert_int_equal(fi.type, KMEM_FAULT_NONE);
	assert_int_equal(vmstat_value(m, "pgfault"), pgfault + 1);
	assert_int_equal(tinfo(m, pid).min_flt, 1);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* §10.3 read: the shared ZERO_PAGE read-only, file_rss, NR_FILE_MAPPED on
 * the first mapping only; a write then copies it (§10.4). */
static void test_zero_page_then_write(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	uint64_t a = map(m, pid, 0, 4 * PG, RW, ANON_PRIV, NULL);
	unsigned long mapped = vmstat_value(m, "nr_mapped");
	unsigned long anon = vmstat_value(m, "nr_anon_pages");
	assert_int_equal(mapped, 0);

	struct kmem_fault_info f0 = fault_ok(m, pid, a, false);
	assert_int_equal(f0.type, KMEM_FAULT_MINOR);
	assert_string_equal(f0.detail, "zero page");
	struct kmem_page_rmap z = rmap(m, f0.pfn, NULL, 0);
	assert_int_equal(z.kind, KMEM_PAGE_KIND_ZERO);
	assert_int_equal(z.mapcount, 1);
	assert_int_equal(z.count, 2);                   /* boot ref + ours */
	assert_int_equal(pinfo(m, f0.pfn).state, KMEM_PAGE_RESERVED);
	assert_int_equal(vmstat_value(m, "nr_mapped"), 1);
	assert_int_equal(tinfo(m, pid).file_rss, 1);

	struct kmem_fault_info f1 = fault_ok(m, pid, a + PG, false);
	assert_int_equal(f1.pfn, f0.pfn);
	assert_int_equal(rmap(m, f0.pfn, NULL, 0).mapcount, 2);
	assert_int_equal(vmstat_value(m, "nr_mapped"), 1);
	assert_int_equal(tinfo(m, pid).file_rss, 2);
	/* read-only: a write faults into do_wp_page */
	struct kmem_fault_info w = fault_ok(m, pid, a, true);
	assert_int_equal(w.type, KMEM_FAULT_MINOR);
	assert_string_equal(w.handler, "do_wp_page");
	assert_string_equal(w.detail, "copy of the zero page");
	assert_true(w.pfn != f0.pfn);
	struct kmem_task_info t = tinfo(m, pid);
	assert_int_equal(t.file_rss, 1);
	assert_int_equal(t.anon_rss, 2);
	assert_int_equal(rmap(m, f0.pfn, NULL, 0).mapcount, 1);
	assert_int_equal(vmstat_value(m, "nr_anon_pages"), anon + 1);
	assert_int_equal(vmstat_value(m, "nr_mapped"), 1);
	/* unmapping drops the last zero-page mapping */
	assert_int_equal(kmem_munmap(m, pid, a, 4 * PG), 0);
	assert_int_equal(vmstat_value(m, "nr_mapped"), 0);
	assert_int_equal(rmap(m, f0.pfn, NULL, 0).count, 1);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* §10.4 after fork: both PTEs read-only; whoever writes first copies,
 * the other then reuses the now exclusive page. */
static void test_cow_after_fork_both_sides(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int parent = spawn(m, "bash");
	uint64_t a = map(m, parent, 0, 4 * PG, RW, ANON_PRIV, NULL);
	unsigned long p[4];
	for (int i = 0; i < 4; i++)
		p[i] = fault_ok(m, parent, a + i * PG, true).pfn;
	int child;
	kmem_lru_add_drain(m, false);   /* only the PTEs hold references */
	assert_int_equal(kmem_fork(m, parent, &child), 0);
	CHECK(m);
	assert_int_equal(tinfo(m, child).anon_rss, tinfo(m, parent).anon_rss);
	assert_int_equal(tinfo(m, child).ppid, parent);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pfn_at(m, child, a + i * PG), p[i]);
		assert_int_equal(rmap(m, p[i], NULL, 0).mapcount, 2);
		assert_int_equal(rmap(m, p[i], NULL, 0).count, 2);
	}
	unsigned long anon = vmstat_value(m, "nr_anon_pages");
	/* reads still need no fault on either side */
	assert_int_equal(fault_ok(m, parent, a + 3 * PG, false).type,
			 KMEM_FAULT_NONE);
	assert_int_equal(fault_ok(m, child, a + 3 * PG, false).type,
			 KMEM_FAULT_NONE);

	/* child writes page 0 first: a copy for the child */
	struct kmem_fault_info f = fault_ok(m, child, a, true);
	assert_string_equal(f.handler, "do_wp_page");
	assert_string_equal(f.detail, "cow copy");
	assert_true(f.pfn != p[0]);
	assert_int_equal(pfn_at(m, parent, a), p[0]);
	assert_int_equal(rmap(m, p[0], NULL, 0).mapcount, 1);
	/* then the parent reuses its page in place */
	f = fault_ok(m, parent, a, true);
	assert_string_equal(f.detail, "reuse: only mapping");
	assert_int_equal(f.pfn, p[0]);
	/* parent writes page 1 first this time */
	f = fault_ok(m, parent, a + PG, true);
	assert_string_equal(f.detail, "cow copy");
	f = fault_ok(m, child, a + PG, true);
	assert_string_equal(f.detail, "reuse: only mapping");
	assert_int_equal(f.pfn, p[1]);
	assert_int_equal(vmstat_value(m, "nr_anon_pages"), anon + 2);
	CHECK(m);
	/* the child exits: its exclusive copies are freed, shared pages
	 * go back to one mapping */
	assert_int_equal(kmem_exit(m, child), 0);
	assert_int_equal(rmap(m, p[2], NULL, 0).mapcount, 1);
	assert_int_equal(vmstat_value(m, "nr_anon_pages"), anon);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* §10.6/10.7: a private file mapping reads the page cache with
 * read-around (a major fault), hits afterwards, and writes go to copies. */
static void test_private_file_faults(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	assert_int_equal(kmem_file_create(m, "data", 16 * PG), 0);
	uint64_t f = map(m, pid, 0, 16 * PG, RW, KMEM_MAP_PRIVATE, "data");
	unsigned long majflt = vmstat_value(m, "pgmajfault");
	unsigned long pgpgin = vmstat_value(m, "pgpgin");
	unsigned long mapped = vmstat_value(m, "nr_mapped");
	unsigned long cached = meminfo(m, "Cached");

	struct kmem_fault_info fi = fault_ok(m, pid, f, false);
	assert_int_equal(fi.type, KMEM_FAULT_MAJOR);
	assert_string_equal(fi.handler, "do_no_page");
	assert_string_equal(fi.detail, "page cache miss");
	/* read-around of 32 pages from index 0 stops at EOF: 16 pages */
	struct kmem_file_info info;
	assert_int_equal(kmem_file_info(m, "data", &info), 0);
	assert_int_equal(info.nrpages, 16);
	assert_int_equal(info.ra.mmap_miss, 1);
	assert_int_equal(vmstat_value(m, "pgmajfault"), majflt + 1);
	assert_int_equal(vmstat_value(m, "pgpgin"), pgpgin + 16 * 4);
	assert_int_equal(meminfo(m, "Cached"), cached + 16 * 4);
	assert_int_equal(vmstat_value(m, "nr_mapped"), mapped + 1);
	struct kmem_task_info t = tinfo(m, pid);
	assert_int_equal(t.maj_flt, 1);
	assert_int_equal(t.file_rss, 1);

	fi = fault_ok(m, pid, f + PG, false);
	assert_int_equal(fi.type, KMEM_FAULT_MINOR);
	assert_string_equal(fi.detail, "page cache hit");
	assert_int_equal(kmem_file_info(m, "data", &info), 0);
	assert_int_equal(info.ra.mmap_hit, 1);

	/* a write to an unmapped page: early COW break in do_no_page */
	fi = fault_ok(m, pid, f + 2 * PG, true);
	assert_string_equal(fi.handler, "do_no_page");
	assert_string_equal(fi.detail, "page cache hit, private copy");
	unsigned long idx[16], cpfn[16];
	assert_int_equal(kmem_file_pages(m, "data", idx, cpfn, 16), 16);
	assert_true(fi.pfn != cpfn[2]);
	assert_int_equal(rmap(m, fi.pfn, NULL, 0).kind, KMEM_PAGE_KIND_ANON);
	assert_int_equal(rmap(m, cpfn[2], NULL, 0).mapcount, 0);
	/* a write to the mapped cache page: do_wp_page copies it */
	fi = fault_ok(m, pid, f, true);
	assert_string_equal(fi.handler, "do_wp_page");
	assert_string_equal(fi.detail, "cow copy");
	assert_int_equal(rmap(m, cpfn[0], NULL, 0).mapcount, 0);
	t = tinfo(m, pid);
	assert_int_equal(t.file_rss, 1);                /* page 1 only */
	assert_int_equal(t.anon_rss, 3);                /* stack + 2 copies */
	assert_int_equal(vmstat_value(m, "nr_mapped"), mapped + 1);
	assert_int_equal(meminfo(m, "Dirty"), 0);       /* the file is clean */
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Shared writable file mappings are write-notified (2.6.19+): the first
 * write dirties the page; fsync writes it back and write-protects it. */
static void test_shared_file_dirtying(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	assert_int_equal(kmem_file_create(m, "log", 4 * PG), 0);
	uint64_t s = map(m, pid, 0, 4 * PG, RW, KMEM_MAP_SHARED, "log");

	struct kmem_fault_info fi = fault_ok(m, pid, s, false);
	assert_int_equal(fi.type, KMEM_FAULT_MAJOR);
	struct kmem_page_user u[2];
	rmap(m, fi.pfn, u, 2);
	assert_false(u[0].writable);                    /* PAGE_COPY-like */
	fi = fault_ok(m, pid, s, true);
	assert_string_equal(fi.handler, "do_wp_page");
	assert_string_equal(fi.detail, "shared page made writable");
	assert_int_equal(meminfo(m, "Dirty"), 4);
	fi = fault_ok(m, pid, s + PG, true);            /* do_no_page, write */
	assert_string_equal(fi.detail, "page cache hit");
	assert_int_equal(meminfo(m, "Dirty"), 8);
	assert_int_equal(vmstat_value(m, "nr_dirty"), 2);
	assert_int_equal(tinfo(m, pid).anon_rss, 1);

	unsigned long pgpgout = vmstat_value(m, "pgpgout");
	struct kmem_io_info io;
	assert_int_equal(kmem_file_fsync(m, "log", &io), 0);
	assert_int_equal(io.written, 2);
	assert_int_equal(meminfo(m, "Dirty"), 0);
	assert_int_equal(vmstat_value(m, "pgpgout"), pgpgout + 8);
	/* page_mkclean made the PTE read-only: the next write faults */
	fi = fault_ok(m, pid, s, true);
	assert_int_equal(fi.type, KMEM_FAULT_MINOR);
	assert_string_equal(fi.detail, "shared page made writable");
	assert_int_equal(meminfo(m, "Dirty"), 4);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* MAP_SHARED|MAP_ANONYMOUS: a /dev/zero shmem object both sides of a
 * fork see; its pages are page cache (Cached) and it is accounted. */
static void test_shared_anon_fork(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	unsigned long cached = meminfo(m, "Cached");
	unsigned long committed = meminfo(m, "Committed_AS");
	uint64_t a = map(m, pid, 0, 2 * PG, RW,
			 KMEM_MAP_SHARED | KMEM_MAP_ANONYMOUS, NULL);
	assert_int_equal(meminfo(m, "Committed_AS"), committed + 8);
	struct kmem_fault_info fi = fault_ok(m, pid, a, true);
	assert_string_equal(fi.detail, "shmem page");
	assert_int_equal(meminfo(m, "Cached"), cached + 4);
	assert_int_equal(rmap(m, fi.pfn, NULL, 0).kind, KMEM_PAGE_KIND_SHMEM);
	int child;
	assert_int_equal(kmem_fork(m, pid, &child), 0);
	/* no anon_vma: fork copied no PTEs; the child faults the same page */
	assert_int_equal(pfn_at(m, child, a), KMEM_NO_PFN);
	struct kmem_fault_info cf = fault_ok(m, child, a, true);
	assert_int_equal(cf.pfn, fi.pfn);
	assert_int_equal(rmap(m, fi.pfn, NULL, 0).mapcount, 2);
	struct kbuf b;
	kbuf_init(&b);
	assert_int_equal(kmem_proc_read(m, "3/maps", &b), 0);
	char line[128];
	snprintf(line, sizeof line, "%08llx-%08llx rw-s 00000000 00:07 ",
		 (unsigned long long)a, (unsigned long long)(a + 2 * PG));
	assert_non_null(strstr(b.data, line));
	assert_non_null(strstr(b.data, "/dev/zero (deleted)\n"));
	kbuf_free(&b);
	assert_int_equal(kmem_exit(m, child), 0);
	assert_int_equal(kmem_munmap(m, pid, a, 2 * PG), 0);
	assert_int_equal(meminfo(m, "Cached"), cached);
	assert_int_equal(meminfo(m, "Committed_AS"), committed);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* §10.1: no vma, or a write to a vma without VM_WRITE: SIGSEGV kills the
 * task; i386 2.6.20 prints nothing, x86_64 prints its segfault line. */
static void test_sigsegv(void **state)
{
	(void)state;
	for (int arch = 0; arch < 2; arch++) {
		struct machine *m = arch ? boot_simple(KMEM_ARCH_X86_64, 1, 1ULL << 30)
					 : boot_i386();
		int pid = spawn(m, "bash");
		int other = spawn(m, "cat");
		struct kbuf before;
		kbuf_init(&before);
		char path[32];
		snprintf(path, sizeof path, "%d/maps", other);
		kmem_proc_read(m, path, &before);
		size_t dlen0;
		kmem_dmesg(m, &dlen0);

		struct kmem_fault_info fi;
		assert_int_equal(kmem_fault(m, pid, 0x1000, false, &fi), -EFAULT);
		assert_int_equal(fi.type, KMEM_FAULT_SIGSEGV);
		assert_non_null(strstr(kmem_last_error(m), "SIGSEGV at 0x1000"));
		struct kmem_task_info t;
		assert_int_equal(kmem_task_info(m, pid, &t), -ESRCH);
		size_t dlen1;
		const char *d = kmem_dmesg(m, &dlen1);
		if (arch)
			assert_non_null(strstr(d + dlen0, "bash[2]: segfault at "
					       "0000000000001000 rip 0000000000000000 "
					       "rsp 0000000000000000 error 4\n"));
		else
			assert_int_equal(dlen1, dlen0);
		/* nothing else changed */
		char *after = proc_text(m, path);
		ASSERT_SAME_TEXT(before.data, after, "other task's maps");
		free(after);
		kbuf_free(&before);
		CHECK(m);

		/* a write to the text */
		uint64_t text = arch ? 0x400000 : 0x08048000;
		assert_int_equal(kmem_fault(m, other, text, true, &fi), -EFAULT);
		assert_int_equal(fi.type, KMEM_FAULT_SIGSEGV);
		assert_non_null(strstr(kmem_last_error(m), "without VM_WRITE"));
		if (arch)
			assert_non_null(strstr(kmem_dmesg(m, NULL), "error 6\n"));
		int pids[4];
		assert_int_equal(kmem_task_list(m, pids, 4), 1);
		assert_int_equal(pids[0], 1);
		/* init ignores it: nothing happens */
		assert_int_equal(kmem_fault(m, 1, 0x1000, false, &fi), -EFAULT);
		assert_int_equal(kmem_task_list(m, pids, 4), 1);
		CHECK(m);
		kmem_machine_destroy(m);
	}
}

/* filemap_nopage beyond EOF: NOPAGE_SIGBUS. */
static void test_sigbus(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	assert_int_equal(kmem_file_create(m, "short", 100), 0);
	uint64_t s = map(m, pid, 0, 2 * PG, KMEM_PROT_READ, KMEM_MAP_SHARED,
			 "short");
	assert_int_equal(fault_ok(m, pid, s + 99, false).type, KMEM_FAULT_MAJOR);
	struct kmem_fault_info fi;
	assert_int_equal(kmem_fault(m, pid, s + PG, false, &fi), -EFAULT);
	assert_int_equal(fi.type, KMEM_FAULT_SIGBUS);
	assert_non_null(strstr(kmem_last_error(m), "SIGBUS"));
	struct kmem_task_info t;
	assert_int_equal(kmem_task_info(m, pid, &t), -ESRCH);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* expand_stack below the stack vma, within RLIMIT_STACK (8 MiB). */
static void test_stack_growth(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	struct kmem_task_info t0 = tinfo(m, pid);
	assert_int_equal(t0.stack_vm, 1);
	struct kmem_fault_info fi = fault_ok(m, pid, 0xbfff0010ULL, true);
	assert_true(fi.expanded_stack);
	struct kmem_task_info t1 = tinfo(m, pid);
	assert_int_equal(t1.stack_vm, 16);
	assert_int_equal(t1.total_vm, t0.total_vm + 15);
	char *st = proc_text(m, "2/status");
	assert_non_null(strstr(st, "VmStk:\t      64 kB\n"));
	free(st);
	char *maps = proc_text(m, "2/maps");
	assert_non_null(strstr(maps, "bfff0000-c0000000 rw-p bfff0000 00:00 0 "));
	free(maps);
	CHECK(m);
	/* 9 MiB below the top is past the limit */
	assert_int_equal(kmem_fault(m, pid, 0xc0000000ULL - (9ULL << 20), true,
				    &fi), -EFAULT);
	assert_non_null(strstr(kmem_last_error(m), "stack cannot grow"));
	CHECK(m);
	kmem_machine_destroy(m);
}

/* PTE tables: one per 4 MiB on i386, freed by munmap when no vma needs
 * them any more; NR_PAGETABLE and VmPTE follow. */
static void test_page_tables(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	unsigned long pt = meminfo(m, "PageTables");
	uint64_t a = map(m, pid, 0x50000000ULL, 8ULL << 20, RW,
			 ANON_PRIV | KMEM_MAP_FIXED, NULL);
	assert_int_equal(a, 0x50000000ULL);
	struct kmem_touch_info ti;
	assert_int_equal(kmem_touch(m, pid, a, 8ULL << 20, true, &ti), 0);
	assert_int_equal(ti.pages, 2048);
	assert_int_equal(ti.minor, 2048);
	assert_int_equal(meminfo(m, "PageTables"), pt + 8);
	assert_int_equal(tinfo(m, pid).nr_ptes, 3);
	char *st = proc_text(m, "2/status");
	assert_non_null(strstr(st, "VmPTE:\t      12 kB\n"));
	assert_non_null(strstr(st, "VmRSS:\t    8196 kB\n"));
	free(st);
	/* half of it: the table of the first 4 MiB goes */
	assert_int_equal(kmem_munmap(m, pid, a, 4ULL << 20), 0);
	assert_int_equal(meminfo(m, "PageTables"), pt + 4);
	/* one page left in the second 4 MiB keeps its table */
	assert_int_equal(kmem_munmap(m, pid, a + (4ULL << 20) + PG,
				     (4ULL << 20) - PG), 0);
	assert_int_equal(meminfo(m, "PageTables"), pt + 4);
	assert_int_equal(kmem_munmap(m, pid, a + (4ULL << 20), PG), 0);
	assert_int_equal(meminfo(m, "PageTables"), pt);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* The walk has the arch's levels: 2 (i386), 3 (PAE), 4 (x86_64). */
static void test_pagetable_walk_levels(void **state)
{
	(void)state;
	static const struct { enum kmem_arch arch; uint64_t mem; int levels;
		const char *last; } t[] = {
		{ KMEM_ARCH_I386, 1ULL << 30, 2, "pte" },
		{ KMEM_ARCH_I386, 8ULL << 30, 3, "pte" },
		{ KMEM_ARCH_X86_64, 1ULL << 30, 4, "pte" },
	};
	for (size_t i = 0; i < ARRAY_LEN(t); i++) {
		struct machine *m = boot_simple(t[i].arch, 1, t[i].mem);
		int pid = spawn(m, "bash");
		uint64_t a = map(m, pid, 0, PG, RW, ANON_PRIV, NULL);
		struct kmem_pt_step st[4];
		uint64_t phys;
		assert_int_equal(kmem_task_pagetable_walk(m, pid, a, st, 4, &phys),
				 -EFAULT);
		struct kmem_fault_info fi = fault_ok(m, pid, a + 8, true);
		assert_int_equal(kmem_task_pagetable_walk(m, pid, a + 8, st, 4,
							  &phys), t[i].levels);
		assert_int_equal(phys, (uint64_t)fi.pfn * PG + 8);
		assert_string_equal(st[t[i].levels - 1].name, t[i].last);
		assert_string_equal(st[0].name, "pgd");
		assert_true(st[t[i].levels - 1].entry & 0x4);   /* _PAGE_USER */
		/* x86_64 user data is NX */
		if (t[i].arch == KMEM_ARCH_X86_64)
			assert_true(st[3].entry >> 63);
		CHECK(m);
		int child;
		assert_int_equal(kmem_fork(m, pid, &child), 0);
		assert_int_equal(kmem_exit(m, pid), 0);
		CHECK(m);
		kmem_machine_destroy(m);
	}
}

/* §8.3 page_referenced and try_to_unmap through rmap, for file pages
 * mapped by two tasks. */
static void test_referenced_and_unmap(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int a = spawn(m, "bash"), b = spawn(m, "cat");
	assert_int_equal(kmem_file_create(m, "lib", 4 * PG), 0);
	uint64_t va = map(m, a, 0, 4 * PG, KMEM_PROT_READ, KMEM_MAP_SHARED, "lib");
	uint64_t vb = map(m, b, 0, 4 * PG, KMEM_PROT_READ, KMEM_MAP_SHARED, "lib");
	unsigned long pfn = fault_ok(m, a, va, false).pfn;
	assert_int_equal(fault_ok(m, b, vb, false).pfn, pfn);
	struct kmem_page_user u[4];
	kmem_lru_add_drain(m, false);
	struct kmem_page_rmap r = rmap(m, pfn, u, 4);
	assert_int_equal(r.kind, KMEM_PAGE_KIND_FILE);
	assert_string_equal(r.file, "lib");
	assert_int_equal(r.mapcount, 2);
	assert_int_equal(r.count, 3);
	assert_int_equal(r.nr_users, 2);
	assert_int_equal(u[0].pid, a);
	assert_int_equal(u[1].pid, b);

	int refs, res;
	assert_int_equal(kmem_page_referenced(m, pfn, &refs), 0);
	assert_int_equal(refs, 3);              /* PG_referenced + 2 young */
	assert_int_equal(kmem_page_referenced(m, pfn, &refs), 0);
	assert_int_equal(refs, 0);
	/* a touch makes one PTE young again: try_to_unmap refuses */
	fault_ok(m, a, va, false);
	assert_int_equal(kmem_try_to_unmap(m, pfn, &res), 0);
	assert_int_equal(res, 2);               /* SWAP_FAIL */
	unsigned long mapped = vmstat_value(m, "nr_mapped");
	assert_int_equal(kmem_try_to_unmap(m, pfn, &res), 0);
	assert_int_equal(res, 0);               /* SWAP_SUCCESS */
	r = rmap(m, pfn, NULL, 0);
	assert_int_equal(r.mapcount, 0);
	assert_int_equal(r.count, 1);           /* the page cache's */
	assert_int_equal(vmstat_value(m, "nr_mapped"), mapped - 1);
	assert_int_equal(tinfo(m, a).file_rss, 0);
	assert_int_equal(tinfo(m, b).file_rss, 0);
	CHECK(m);
	/* the next access is a minor fault on the same cached page */
	struct kmem_fault_info fi = fault_ok(m, b, vb, false);
	assert_int_equal(fi.type, KMEM_FAULT_MINOR);
	assert_int_equal(fi.pfn, pfn);
	/* anonymous pages need swap first */
	uint64_t an = map(m, a, 0, PG, RW, ANON_PRIV, NULL);
	unsigned long apfn = fault_ok(m, a, an, true).pfn;
	assert_int_equal(kmem_page_referenced(m, apfn, &refs), 0);
	assert_int_equal(refs, 1);
	assert_int_equal(kmem_try_to_unmap(m, apfn, &res), 0);
	assert_int_equal(res, 2);
	assert_int_equal(rmap(m, apfn, NULL, 0).mapcount, 1);
	/* neither a user nor a cache page */
	unsigned long free_pfn = ALLOC(m, 0, GFP_KERNEL, 0);
	assert_int_equal(kmem_try_to_unmap(m, free_pfn, &res), -EINVAL);
	FREE(m, free_pfn, 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* VM_FAULT_OOM: "VM: killing process", the task goes, memory returns. */
static void test_oom_fault(void **state)
{
	(void)state;
	struct machine *m = boot_preset("tiny");
	assert_int_equal(kmem_proc_write(m, "sys/vm/overcommit_memory", "1"), 0);
	int pid = spawn(m, "hog");
	unsigned long free0 = minfo(m).nr_free_pages;
	uint64_t a = map(m, pid, 0, 64ULL << 20, RW, ANON_PRIV, NULL);
	struct kmem_touch_info ti;
	assert_int_equal(kmem_touch(m, pid, a, 64ULL << 20, true, &ti), -ENOMEM);
	assert_int_equal(ti.stop, KMEM_FAULT_OOM);
	assert_true(ti.pages > 4000 && ti.pages < 8192);
	/* kswapd ran while the fault's allocation waited, found nothing to
	 * reclaim (anonymous memory, no swap), and the OOM killer chose the
	 * only task: the one faulting */
	assert_non_null(strstr(kmem_dmesg(m, NULL), "invoked oom-killer"));
	assert_non_null(strstr(kmem_dmesg(m, NULL), "Out of memory: Killed "
			       "process"));
	struct kmem_task_info t;
	assert_int_equal(kmem_task_info(m, pid, &t), -ESRCH);
	/* everything the task had came back (its task and stack included) */
	assert_true(minfo(m).nr_free_pages > free0);
	CHECK(m);
	kmem_machine_destroy(m);
}

struct trace_log {
	char funcs[4096];
};

static void collect(void *ctx, const struct kmem_trace_event *ev)
{
	struct trace_log *l = ctx;

	if (ev->kind != KMEM_TRACE_ENTER)
		return;
	size_t n = strlen(l->funcs);
	snprintf(l->funcs + n, sizeof l->funcs - n, "%s ", ev->func);
}

/* The trace follows the kernel's call path. */
static void test_trace_path(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	uint64_t a = map(m, pid, 0, 2 * PG, RW, ANON_PRIV, NULL);
	struct trace_log l = { "" };
	kmem_set_trace(m, collect, &l);
	/* the first fault also allocates the PTE table and the anon_vma */
	fault_ok(m, pid, a, true);
	assert_non_null(strstr(l.funcs, "do_page_fault handle_mm_fault "
			       "__handle_mm_fault alloc_pages "));
	assert_non_null(strstr(l.funcs, "do_anonymous_page kmem_cache_alloc "
			       "alloc_zeroed_user_highpage "));
	l.funcs[0] = '\0';
	fault_ok(m, pid, a + PG, true);
	assert_non_null(strstr(l.funcs, "do_page_fault handle_mm_fault "
			       "__handle_mm_fault handle_pte_fault "
			       "do_anonymous_page alloc_zeroed_user_highpage "
			       "alloc_pages "));
	assert_non_null(strstr(l.funcs, "lru_cache_add_active "
			       "page_add_new_anon_rmap "));
	l.funcs[0] = '\0';
	int child;
	assert_int_equal(kmem_fork(m, pid, &child), 0);
	l.funcs[0] = '\0';
	fault_ok(m, child, a, true);
	assert_non_null(strstr(l.funcs, "handle_pte_fault do_wp_page "));
	assert_non_null(strstr(l.funcs, "cow_user_page "));
	assert_int_equal(kmem_file_create(m, "f", PG), 0);
	uint64_t f = map(m, pid, 0, PG, KMEM_PROT_READ, KMEM_MAP_PRIVATE, "f");
	l.funcs[0] = '\0';
	fault_ok(m, pid, f, false);
	assert_non_null(strstr(l.funcs, "handle_pte_fault do_no_page "
			       "filemap_nopage __do_page_cache_readahead "));
	kmem_set_trace(m, NULL, NULL);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Local node first on NUMA: a task on CPU 2 (node 1) gets node-1 pages. */
static void test_numa_local(void **state)
{
	(void)state;
	struct machine *m = boot_preset("x86_64-numa");
	assert_int_equal(kmem_set_cpu(m, 2), 0);
	int pid = spawn(m, "bash");
	uint64_t a = map(m, pid, 0, 4 * PG, RW, ANON_PRIV, NULL);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pinfo(m, fault_ok(m, pid, a + i * PG, true).pfn).nid,
				 1);
	assert_int_equal(kmem_set_cpu(m, 0), 0);
	unsigned long p = fault_ok(m, pid, a, false).pfn;
	assert_int_equal(pinfo(m, p).nid, 1);   /* present: no new page */
	CHECK(m);
	kmem_machine_destroy(m);
}

/* The same operations on two machines give the same texts. */
static void test_determinism(void **state)
{
	(void)state;
	char *out[2];
	for (int r = 0; r < 2; r++) {
		struct machine *m = boot_i386();
		int pid = spawn(m, "bash");
		uint64_t a = map(m, pid, 0, 64 * PG, RW, ANON_PRIV, NULL);
		kmem_touch(m, pid, a, 64 * PG, true, NULL);
		int child;
		kmem_fork(m, pid, &child);
		kmem_touch(m, child, a, 32 * PG, true, NULL);
		kmem_file_create(m, "f", 100 * PG);
		uint64_t f = map(m, child, 0, 100 * PG, KMEM_PROT_READ,
				 KMEM_MAP_PRIVATE, "f");
		kmem_touch(m, child, f, 100 * PG, false, NULL);
		struct kbuf b;
		kbuf_init(&b);
		kmem_proc_read(m, "2/maps", &b);
		kmem_proc_read(m, "3/maps", &b);
		kmem_proc_read(m, "3/status", &b);
		kmem_proc_read(m, "meminfo", &b);
		kmem_proc_read(m, "vmstat", &b);
		kmem_proc_read(m, "slabinfo", &b);
		kmem_proc_read(m, "buddyinfo", &b);
		out[r] = strdup(b.data);
		kbuf_free(&b);
		CHECK(m);
		kmem_machine_destroy(m);
	}
	ASSERT_SAME_TEXT(out[0], out[1], "two identical runs");
	free(out[0]);
	free(out[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anon_write_fault),
		cmocka_unit_test(test_zero_page_then_write),
		cmocka_unit_test(test_cow_after_fork_both_sides),
		cmocka_unit_test(test_private_file_faults),
		cmocka_unit_test(test_shared_file_dirtying),
		cmocka_unit_test(test_shared_anon_fork),
		cmocka_unit_test(test_sigsegv),
		cmocka_unit_test(test_sigbus),
		cmocka_unit_test(test_stack_growth),
		cmocka_unit_test(test_page_tables),
		cmocka_unit_test(test_pagetable_walk_levels),
		cmocka_unit_test(test_referenced_and_unmap),
		cmocka_unit_test(test_oom_fault),
		cmocka_unit_test(test_trace_path),
		cmocka_unit_test(test_numa_local),
		cmocka_unit_test(test_determinism),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
