/*
 * bench_slab.c - object allocator figures (issue 4):
 *   slab.kmalloc_pair    ns per kmalloc(64)+kfree through the CPU array
 *   slab.churn           ns/op of a seeded churn holding 1M live objects of
 *                        8 B - 8 KiB, and the same trace through the host's
 *                        malloc/free, as a ratio
 *   slob.*               the same on SLOB, and how its first-fit walk grows
 *                        with the number of live objects
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmem_config.h"
#include "bench.h"

static struct machine *boot_alloc(enum kmem_allocator a, uint64_t bytes)
{
	struct kmem_config c;
	struct machine *m;
	char err[256];

	kmem_config_defaults(&c);
	c.arch = KMEM_ARCH_X86_64;
	c.memory = bytes;
	c.cpus = 2;
	c.allocator = a;
	if (kmem_machine_create(&c, &m, err, sizeof err)) {
		fprintf(stderr, "bench: boot failed: %s\n", err);
		exit(1);
	}
	return m;
}

static void kmalloc_pair(enum kmem_allocator a, const char *label)
{
	struct machine *m = boot_alloc(a, 1ULL << 30);
	const long n = 5 * 1000 * 1000;
	kaddr_t p;
	double best = 1e9;

	for (int rep = 0; rep < 3; rep++) {
		double t0 = bench_now();
		for (long i = 0; i < n; i++) {
			if (kmem_kmalloc(m, 64, GFP_KERNEL, -1, &p) || kmem_kfree(m, p)) {
				fprintf(stderr, "bench: kmalloc pair failed: %s\n",
					kmem_last_error(m));
				exit(1);
			}
		}
		double ns = (bench_now() - t0) * 1e9 / (double)n;
		if (ns < best)
			best = ns;
	}
	printf("%s.kmalloc_pair           %8.1f ns/pair   (target SLAB <= 15)\n",
	       label, best);
	kmem_machine_destroy(m);
}

/* Sizes 8 B .. 8 KiB, weighted towards small ones. */
static size_t pick_size(uint64_t *rng)
{
	unsigned shift = 3 + (unsigned)(bench_rand(rng) % 11);     /* 8..8192 */
	size_t lo = (size_t)1 << (shift - 1);

	return lo + (size_t)(bench_rand(rng) % lo) + 1;
}

static double churn(enum kmem_allocator a, long live, long ops, double *host_ns)
{
	struct machine *m = boot_alloc(a, 16ULL << 30);
	kaddr_t *objs = malloc((size_t)live * sizeof *objs);
	void **hobjs = malloc((size_t)live * sizeof *hobjs);
	uint64_t rng = 99;

	for (long i = 0; i < live; i++)
		if (kmem_kmalloc(m, pick_size(&rng), GFP_KERNEL, -1, &objs[i])) {
			fprintf(stderr, "bench: fill failed at %ld: %s\n", i,
				kmem_last_error(m));
			exit(1);
		}
	uint64_t r0 = rng;
	double t0 = bench_now();
	for (long i = 0; i < ops; i++) {
		long k = (long)(bench_rand(&rng) % (uint64_t)live);
		kmem_kfree(m, objs[k]);
		kmem_kmalloc(m, pick_size(&rng), GFP_KERNEL, -1, &objs[k]);
	}
	double ns = (bench_now() - t0) * 1e9 / (double)(2 * ops);
	kmem_machine_destroy(m);

	if (host_ns) {
		uint64_t hr = 99;
		for (long i = 0; i < live; i++)
			hobjs[i] = malloc(pick_size(&hr));
		hr = r0;
		t0 = bench_now();
		for (long i = 0; i < ops; i++) {
			long k = (long)(bench_rand(&hr) % (uint64_t)live);
			free(hobjs[k]);
			hobjs[k] = malloc(pick_size(&hr));
		}
		*host_ns = (bench_now() - t0) * 1e9 / (double)(2 * ops);
		for (long i = 0; i < live; i++)
			free(hobjs[i]);
	}
	free(objs);
	free(hobjs);
	return ns;
}

void bench_slab(void)
{
	double host;

	kmalloc_pair(KMEM_ALLOC_SLAB, "slab");
	double ns = churn(KMEM_ALLOC_SLAB, 1000000, 2000000, &host);
	printf("slab.churn.1M_live            %8.1f ns/op     (target <= 80); host malloc %.1f ns/op, ratio %.2f\n",
	       ns, host, ns / host);
	kmalloc_pair(KMEM_ALLOC_SLOB, "slob");
	for (long live = 1000; live <= 64000; live *= 4) {
		ns = churn(KMEM_ALLOC_SLOB, live, 20000, NULL);
		printf("slob.churn.%ld_live%*s %8.1f ns/op     (first-fit walk: grows with live objects)\n",
		       live, (int)(13 - snprintf(NULL, 0, "%ld", live)), "", ns);
	}
}
