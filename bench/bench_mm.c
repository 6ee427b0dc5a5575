/*
 * bench_mm.c - process memory figures (issue 6):
 *   mm.anon_write_fault   ns per anonymous write fault (do_anonymous_page),
 *                         measured through kmem_touch over 256 MiB
 *   mm.file_fault_hit     ns per read fault on a private file mapping whose
 *                         pages are all in the page cache
 *   mm.file_fault_miss    ns per read fault that misses: filemap_nopage's
 *                         32-page read-around included (a cache hit is
 *                         interleaved after each, as a reader would, so
 *                         MMAP_LOTSAMISS never switches read-around off)
 *   mm.cow_fault          ns per copy-on-write fault in a forked child
 *   mm.touch_1g           pages/s writing 1 GiB on a 4 GiB x86_64 machine
 *
 * The lead calls mm_bench() from bench.c.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kmem.h"
#include "kmem_config.h"
#include "bench.h"

#define PG 4096ULL
#define RW (KMEM_PROT_READ | KMEM_PROT_WRITE)

void mm_bench(void);

static void die(struct machine *m, const char *what)
{
	fprintf(stderr, "bench: %s: %s\n", what, kmem_last_error(m));
	exit(1);
}

static int spawn(struct machine *m)
{
	int pid;

	if (kmem_spawn(m, "bench", &pid))
		die(m, "spawn");
	return pid;
}

static uint64_t map(struct machine *m, int pid, uint64_t len, unsigned prot,
		    unsigned flags, const char *file)
{
	uint64_t a;

	if (kmem_mmap(m, pid, 0, len, prot, flags, file, 0, &a))
		die(m, "mmap");
	return a;
}

static double touch_ns(struct machine *m, int pid, uint64_t a, uint64_t len,
		       bool write)
{
	struct kmem_touch_info ti;
	double t0 = bench_now();

	if (kmem_touch(m, pid, a, len, write, &ti))
		die(m, "touch");
	return (bench_now() - t0) * 1e9 / (double)ti.pages;
}

static void anon_write_fault(void)
{
	const uint64_t len = 256ULL << 20;
	double best = 1e9;

	for (int rep = 0; rep < 3; rep++) {
		struct machine *m = bench_boot(KMEM_ARCH_X86_64, 2ULL << 30, 2, NULL);
		int pid = spawn(m);
		uint64_t a = map(m, pid, len, RW, KMEM_MAP_PRIVATE |
				 KMEM_MAP_ANONYMOUS, NULL);
		double ns = touch_ns(m, pid, a, len, true);
		if (ns < best)
			best = ns;
		kmem_machine_destroy(m);
	}
	printf("mm.anon_write_fault         %8.1f ns/fault\n", best);
}

static void file_faults(void)
{
	const uint64_t len = 64ULL << 20;
	struct machine *m = bench_boot(KMEM_ARCH_X86_64, 2ULL << 30, 2, NULL);
	int pid = spawn(m);
	struct kmem_io_info io;
	double best = 1e9;

	if (kmem_file_create(m, "hot", len) ||
	    kmem_file_read(m, "hot", 0, len, &io))
		die(m, "file");
	for (int rep = 0; rep < 3; rep++) {
		uint64_t a = map(m, pid, len, KMEM_PROT_READ, KMEM_MAP_PRIVATE, "hot");
		double ns = touch_ns(m, pid, a, len, false);
		if (ns < best)
			best = ns;
		if (kmem_munmap(m, pid, a, len))
			die(m, "munmap");
	}
	printf("mm.file_fault_hit           %8.1f ns/fault\n", best);

	/* misses: one fault per 32-page read-around window */
	if (kmem_file_create(m, "cold", len))
		die(m, "file");
	uint64_t a = map(m, pid, len, KMEM_PROT_READ, KMEM_MAP_PRIVATE, "cold");
	struct kmem_fault_info fi;
	double miss = 0;
	unsigned long n = 0;
	for (uint64_t p = 16; p + 1 < len / PG; p += 32) {
		double t0 = bench_now();
		if (kmem_fault(m, pid, a + p * PG, false, &fi))
			die(m, "fault");
		miss += bench_now() - t0;
		if (fi.type != KMEM_FAULT_MAJOR)
			die(m, "expected a major fault");
		n++;
		if (kmem_fault(m, pid, a + (p + 1) * PG, false, &fi))
			die(m, "fault");
	}
	printf("mm.file_fault_miss          %8.1f ns/fault   (32-page read-around)\n",
	       miss * 1e9 / (double)n);
	kmem_machine_destroy(m);
}

static void cow_fault(void)
{
	const uint64_t len = 128ULL << 20;
	double best = 1e9;

	for (int rep = 0; rep < 3; rep++) {
		struct machine *m = bench_boot(KMEM_ARCH_X86_64, 2ULL << 30, 2, NULL);
		int pid = spawn(m), child;
		uint64_t a = map(m, pid, len, RW, KMEM_MAP_PRIVATE |
				 KMEM_MAP_ANONYMOUS, NULL);
		touch_ns(m, pid, a, len, true);
		if (kmem_fork(m, pid, &child))
			die(m, "fork");
		double ns = touch_ns(m, child, a, len, true);
		if (ns < best)
			best = ns;
		kmem_machine_destroy(m);
	}
	printf("mm.cow_fault                %8.1f ns/fault\n", best);
}

static void touch_1g(void)
{
	const uint64_t len = 1ULL << 30;
	double best = 0;

	for (int rep = 0; rep < 3; rep++) {
		struct machine *m = bench_boot(KMEM_ARCH_X86_64, 4ULL << 30, 2, NULL);
		int pid = spawn(m);
		uint64_t a = map(m, pid, len, RW, KMEM_MAP_PRIVATE |
				 KMEM_MAP_ANONYMOUS, NULL);
		double t0 = bench_now();
		struct kmem_touch_info ti;
		if (kmem_touch(m, pid, a, len, true, &ti))
			die(m, "touch");
		double pps = (double)ti.pages / (bench_now() - t0);
		if (pps > best)
			best = pps;
		double e0 = bench_now();
		if (kmem_exit(m, pid))
			die(m, "exit");
		if (rep == 2)
			printf("mm.exit_1g                  %8.1f ms         "
			       "(unmap + free 262144 pages)\n",
			       (bench_now() - e0) * 1e3);
		kmem_machine_destroy(m);
	}
	printf("mm.touch_1g                 %8.2f Mpages/s\n", best / 1e6);
}

void mm_bench(void)
{
	anon_write_fault();
	file_faults();
	cow_fault();
	touch_1g();
}
