/*
 * bench_reclaim.c - memory-pressure figures (issue 7):
 *   reclaim.file          pages reclaimed per second of host time while a
 *                         reader streams a file twice the size of a 4 GiB
 *                         x86_64 machine through the page cache (kswapd and
 *                         direct reclaim both run)
 *   reclaim.dirty         the same for a writer (balance_dirty_pages,
 *                         pdflush and pageout of dirty pages)
 *   reclaim.anon          the same while a task writes 6 GiB of anonymous
 *                         memory with 8 GiB of swap on (add_to_swap,
 *                         try_to_unmap, swap_writepage)
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmem.h"
#include "bench.h"

void bench_reclaim(void);

static unsigned long steal(struct machine *m)
{
	struct kmem_stat_item it[128];
	size_t n = kmem_vmstat_items(m, it, 128);
	unsigned long sum = 0;

	for (size_t i = 0; i < n && i < 128; i++)
		if (!strncmp(it[i].name, "pgsteal_", 8))
			sum += it[i].value;
	return sum;
}

static void one(const char *label, bool write)
{
	double boot;
	struct machine *m = bench_boot(KMEM_ARCH_X86_64, 4ULL << 30, 2, &boot);
	/* 1 MiB a command: kswapd gets the CPU between commands */
	const uint64_t size = 8ULL << 30, chunk = 1ULL << 20;

	if (kmem_file_create(m, "stream", write ? 0 : size)) {
		fprintf(stderr, "bench: %s\n", kmem_last_error(m));
		exit(1);
	}
	double t0 = bench_now();
	for (uint64_t off = 0; off < size; off += chunk) {
		int rc = write ? kmem_file_write(m, "stream", off, chunk, NULL)
			       : kmem_file_read(m, "stream", off, chunk, NULL);
		if (rc) {
			fprintf(stderr, "bench: %s\n", kmem_last_error(m));
			exit(1);
		}
		kmem_background(m);
	}
	double t = bench_now() - t0;
	unsigned long n = steal(m);
	printf("%-28s %10.0f pages/s  (%lu reclaimed in %.2f s)\n", label,
	       n / t, n, t);
	kmem_machine_destroy(m);
}

static void anon(void)
{
	double boot;
	struct machine *m = bench_boot(KMEM_ARCH_X86_64, 4ULL << 30, 2, &boot);
	const uint64_t size = 6ULL << 30, chunk = 1ULL << 20;
	int pid;
	uint64_t a;

	if (kmem_swapon(m, "/swapfile", 8ULL << 30, 0, false) ||
	    kmem_proc_write(m, "sys/vm/overcommit_memory", "1") ||
	    kmem_spawn(m, "hog", &pid) ||
	    kmem_mmap(m, pid, 0, size, KMEM_PROT_READ | KMEM_PROT_WRITE,
		      KMEM_MAP_PRIVATE | KMEM_MAP_ANONYMOUS, NULL, 0, &a)) {
		fprintf(stderr, "bench: %s\n", kmem_last_error(m));
		exit(1);
	}
	double t0 = bench_now();
	for (uint64_t off = 0; off < size; off += chunk) {
		if (kmem_touch(m, pid, a + off, chunk, true, NULL)) {
			fprintf(stderr, "bench: %s\n", kmem_last_error(m));
			exit(1);
		}
		kmem_background(m);
	}
	double t = bench_now() - t0;
	unsigned long n = steal(m);
	printf("%-28s %10.0f pages/s  (%lu reclaimed in %.2f s)\n",
	       "reclaim.anon (4G, 6G + swap)", n / t, n, t);
	kmem_machine_destroy(m);
}

void bench_reclaim(void)
{
	one("reclaim.file (4G, read 8G)", false);
	one("reclaim.dirty (4G, write 8G)", true);
	anon();
}
