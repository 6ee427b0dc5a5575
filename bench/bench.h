/* bench.h - helpers shared by the bench/ programs.
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later. */
#ifndef KMEM_BENCH_H
#define KMEM_BENCH_H
#include <stdint.h>
#include "kmem.h"

double bench_now(void);
uint64_t bench_rand(uint64_t *state);
struct machine *bench_boot(enum kmem_arch arch, uint64_t bytes, unsigned cpus,
			   double *secs);
/* Figures of the object allocators (bench_slab.c). */
void bench_slab(void);
/* Figures of vmalloc (bench_vm.c). */
void bench_vm(void);
/* Figures of faults and the page cache (bench_mm.c). */
void mm_bench(void);
/* Write the seeded 1M-line alloc/free replay script (bench_cli.c). */
void bench_write_replay(const char *path, long lines);
/* Figures of memory pressure (bench_reclaim.c). */
void bench_reclaim(void);
/* Figures of swap (bench_swap.c). */
void bench_swap(void);
/* Figures of the dashboard (bench_tui.c). */
void bench_tui(void);
/* Figures of the command language (bench_cli.c). */
void bench_more(void);
#endif
