/*
 * bench_vm.c - vmalloc figures (issue 5): ns per vmalloc+vfree pair of 1,
 * 4 and 64 pages (and per page), on an empty vmlist and with 1,000 areas
 * already live (2.6.20's first fit walks the list: the cost grows).
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

static double pairs(struct machine *m, size_t pages, long n)
{
	kaddr_t a;
	double t0 = bench_now();

	for (long i = 0; i < n; i++) {
		if (kmem_vmalloc(m, KMEM_VMALLOC, pages * KMEM_PAGE_SIZE, -1, &a) ||
		    kmem_vfree(m, a)) {
			fprintf(stderr, "bench: vmalloc pair failed: %s\n",
				kmem_last_error(m));
			exit(1);
		}
	}
	return (bench_now() - t0) * 1e9 / (double)n;
}

void bench_vm(void)
{
	static const size_t sizes[] = { 1, 4, 64 };
	struct machine *m = bench_boot(KMEM_ARCH_X86_64, 4ULL << 30, 2, NULL);
	kaddr_t live[1000];

	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1)
			for (int i = 0; i < 1000; i++)
				if (kmem_vmalloc(m, KMEM_VMALLOC, KMEM_PAGE_SIZE, -1,
						 &live[i])) {
					fprintf(stderr, "bench: fill failed\n");
					exit(1);
				}
		for (size_t k = 0; k < 3; k++) {
			long n = sizes[k] == 64 ? 20000 : 100000;
			double ns = pairs(m, sizes[k], n);
			printf("vm.vmalloc_pair.%2zu_pages%s %8.1f ns/pair  %6.1f ns/page\n",
			       sizes[k], pass ? "_1000live" : "         ", ns,
			       ns / (double)sizes[k]);
		}
	}
	for (int i = 0; i < 1000; i++)
		kmem_vfree(m, live[i]);
	kmem_machine_destroy(m);
}
