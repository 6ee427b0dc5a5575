/*
 * bench_swap.c - swap figures (issue 7):
 *   swap.out    pages written to swap per second of host time while one
 *               task writes 3 GiB of anonymous memory in a 2 GiB x86_64
 *               machine with 4 GiB of swap (reclaim picks the pages)
 *   swap.in     pages read back per second while it reads it all again
 *               (major faults, readahead of page-cluster 3)
 *   swapoff     pages brought back in per second by try_to_unuse
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmem.h"
#include "bench.h"

void bench_swap(void);

static unsigned long event(struct machine *m, const char *name)
{
	struct kmem_stat_item it[128];
	size_t n = kmem_vmstat_items(m, it, 128);

	for (size_t i = 0; i < n && i < 128; i++)
		if (!strcmp(it[i].name, name))
			return it[i].value;
	return 0;
}

static void die(struct machine *m)
{
	fprintf(stderr, "bench: %s\n", kmem_last_error(m));
	exit(1);
}

/*
 * Touch [a, a+size) 64 KiB a command, letting kswapd run in between.  A
 * larger step starves the swap cache: on this NUMA (x86_64) build 2.6.20's
 * slab grows only with GFP_THISNODE, which never reclaims, so once free
 * memory is below pages_low a new radix_tree_node fails until kswapd has
 * run, and swap-in answers VM_FAULT_OOM.  The real kswapd runs alongside.
 */
static void touch_all(struct machine *m, int pid, uint64_t a, uint64_t size,
		      bool write)
{
	const uint64_t chunk = 64ULL << 10;

	for (uint64_t off = 0; off < size; off += chunk) {
		if (kmem_touch(m, pid, a + off, chunk, write, NULL))
			die(m);
		kmem_background(m);
	}
}

void bench_swap(void)
{
	struct machine *m = bench_boot(KMEM_ARCH_X86_64, 2ULL << 30, 2, NULL);
	const uint64_t size = 3ULL << 30;
	int pid;
	uint64_t a;

	if (kmem_spawn(m, "hog", &pid) ||
	    kmem_swapon(m, "/swapfile", 4ULL << 30, 0, false) ||
	    kmem_proc_write(m, "sys/vm/overcommit_memory", "1") ||
	    kmem_mmap(m, pid, 0, size, KMEM_PROT_READ | KMEM_PROT_WRITE,
		      KMEM_MAP_PRIVATE | KMEM_MAP_ANONYMOUS, NULL, 0, &a))
		die(m);
	double t0 = bench_now();
	touch_all(m, pid, a, size, true);
	double t = bench_now() - t0;
	unsigned long out = event(m, "pswpout");
	printf("%-28s %10.0f pages/s  (%lu written in %.2f s)\n",
	       "swap.out (2G, write 3G)", out / t, out, t);
	t0 = bench_now();
	touch_all(m, pid, a, size, false);
	t = bench_now() - t0;
	unsigned long in = event(m, "pswpin");
	printf("%-28s %10.0f pages/s  (%lu read in %.2f s)\n",
	       "swap.in (read 3G back)", in / t, in, t);
	/* make room so swapoff can finish: drop half the area */
	if (kmem_munmap(m, pid, a, size / 2))
		die(m);
	t0 = bench_now();
	if (kmem_swapoff(m, "/swapfile"))
		die(m);
	t = bench_now() - t0;
	unsigned long back = event(m, "pswpin") - in;
	printf("%-28s %10.0f pages/s  (%lu read in %.2f s)\n",
	       "swapoff", back / t, back, t);
	kmem_machine_destroy(m);
}
