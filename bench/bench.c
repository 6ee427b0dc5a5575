/*
 * bench.c - `make bench`: the speed figures the issues set targets for.
 * Prints one line per figure; never pass/fail (machines are noisy).
 *
 *   page.pcp_pair      ns per order-0 alloc+free through the per-CPU lists
 *   page.churn.SIZE    ns/op, seeded random alloc/free at 50% occupancy,
 *                      orders 0/1/2/3 at 70/15/10/5 %
 *   boot.SIZE          boot time and host bytes of metadata per page
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kmem.h"
#include "kmem_config.h"
#include "bench.h"

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

uint64_t bench_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

struct machine *bench_boot(enum kmem_arch arch, uint64_t bytes, unsigned cpus,
			   double *secs)
{
	struct kmem_config c;
	struct machine *m;
	char err[256];

	kmem_config_defaults(&c);
	c.arch = arch;
	c.memory = bytes;
	c.cpus = cpus;
	snprintf(c.name, sizeof c.name, "bench");
	double t0 = bench_now();
	if (kmem_machine_create(&c, &m, err, sizeof err)) {
		fprintf(stderr, "bench: boot failed: %s\n", err);
		exit(1);
	}
	if (secs)
		*secs = bench_now() - t0;
	return m;
}

static void bench_pcp_pair(void)
{
	struct machine *m = bench_boot(KMEM_ARCH_I386, 1ULL << 30, 2, NULL);
	const long n = 20 * 1000 * 1000;
	unsigned long pfn;
	double best = 1e9;

	for (int rep = 0; rep < 3; rep++) {
		double t0 = bench_now();
		for (long i = 0; i < n; i++) {
			if (kmem_alloc_pages(m, -1, GFP_KERNEL, 0, &pfn) ||
			    kmem_free_pages(m, pfn, 0)) {
				fprintf(stderr, "bench: pcp pair failed\n");
				exit(1);
			}
		}
		double ns = (bench_now() - t0) * 1e9 / (double)n;
		if (ns < best)
			best = ns;
	}
	printf("page.pcp_pair               %8.1f ns/pair   (target <= 10)\n", best);
	kmem_machine_destroy(m);
}

struct live {
	unsigned long pfn;
	unsigned order;
};

static unsigned pick_order(uint64_t *rng)
{
	unsigned r = (unsigned)(bench_rand(rng) % 100);

	return r < 70 ? 0 : r < 85 ? 1 : r < 95 ? 2 : 3;
}

static void bench_churn(const char *label, uint64_t bytes, const char *target)
{
	double boot;
	struct machine *m = bench_boot(KMEM_ARCH_X86_64, bytes, 2, &boot);
	struct kmem_machine_info mi;
	uint64_t rng = 42;

	kmem_machine_info(m, &mi);
	printf("boot.%-22s %8.3f s         %6.1f host bytes/page (target: 64G < 1 s, <= 32 B)\n",
	       label, boot, (double)kmem_host_bytes(m) / (double)mi.max_pfn);

	unsigned long target_pages = mi.totalram_pages / 2, live_pages = 0;
	size_t cap = target_pages + 16, n = 0;
	struct live *lv = malloc(cap * sizeof *lv);
	while (live_pages < target_pages) {
		unsigned o = pick_order(&rng);
		unsigned long pfn;
		if (kmem_alloc_pages(m, -1, GFP_KERNEL | __GFP_NOWARN, o, &pfn))
			break;
		lv[n++] = (struct live){ pfn, o };
		live_pages += 1UL << o;
	}
	long ops = bytes >= (16ULL << 30) ? 4000000 : 2000000;
	double t0 = bench_now();
	for (long i = 0; i < ops; i++) {
		if (live_pages >= target_pages && n) {
			size_t k = (size_t)(bench_rand(&rng) % n);
			kmem_free_pages(m, lv[k].pfn, lv[k].order);
			live_pages -= 1UL << lv[k].order;
			lv[k] = lv[--n];
		} else {
			unsigned o = pick_order(&rng);
			unsigned long pfn;
			if (!kmem_alloc_pages(m, -1, GFP_KERNEL | __GFP_NOWARN, o, &pfn)) {
				lv[n++] = (struct live){ pfn, o };
				live_pages += 1UL << o;
			}
		}
	}
	double ns = (bench_now() - t0) * 1e9 / (double)ops;
	printf("page.churn.%-16s %8.1f ns/op     (target: 1G <= 30, 64G <= 150)%s\n",
	       label, ns, target);
	free(lv);
	kmem_machine_destroy(m);
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("kmemlab bench (figures, not pass/fail)\n");
	bench_pcp_pair();
	bench_churn("64M", 64ULL << 20, "");
	bench_churn("1G", 1ULL << 30, "");
	bench_churn("16G", 16ULL << 30, "");
	bench_churn("64G", 64ULL << 30, "");
	bench_slab();
	bench_vm();
	mm_bench();
	bench_reclaim();
	bench_swap();
	bench_more();
	bench_tui();
	return 0;
}
