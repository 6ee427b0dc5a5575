/*
 * bench_cli.c - the command language's figure (issue 3): replay a seeded
 * one-million-line script of mixed page alloc/free commands in quiet
 * mode and report lines per second (target >= 5 million).
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmem_config.h"
#include "session.h"
#include "bench.h"

/* Write the script: allocations of order 0..3 and frees of live ones
 * (by $N), holding about half of a 1 GiB machine's small blocks. */
void bench_write_replay(const char *path, long lines)
{
	FILE *f = fopen(path, "w");
	long *live = malloc((size_t)lines * sizeof *live);
	long nlive = 0, nvalues = 0;
	uint64_t rng = 2026;
	static const char *const gfp[] = { "GFP_KERNEL", "GFP_KERNEL",
		"GFP_HIGHUSER", "GFP_ATOMIC" };

	if (!f || !live) {
		perror("bench: script");
		exit(1);
	}
	fprintf(f, "# seeded alloc/free replay for make bench\n");
	for (long i = 0; i < lines - 1; i++) {
		uint64_t r = bench_rand(&rng);
		if (nlive > 0 && (r % 100 < 50 || nlive > 20000)) {
			long k = (long)((r >> 8) % (uint64_t)nlive);
			fprintf(f, "free $%ld\n", live[k]);
			live[k] = live[--nlive];
		} else {
			unsigned o = (unsigned)((r >> 20) % 100);
			o = o < 70 ? 0 : o < 85 ? 1 : o < 95 ? 2 : 3;
			fprintf(f, "alloc_pages %s %u\n", gfp[(r >> 30) % 4], o);
			live[nlive++] = ++nvalues;
		}
	}
	fclose(f);
	free(live);
}

void bench_more(void)
{
	char path[] = "/tmp/kmemlab-bench-XXXXXX";
	int fd = mkstemp(path);
	const long lines = 1000000;
	struct kmem_config c;
	char err[256];

	if (fd < 0) {
		perror("bench: mkstemp");
		return;
	}
	close(fd);
	bench_write_replay(path, lines);
	kmem_config_preset("i386-1g", &c);
	double best = 0;
	for (int rep = 0; rep < 3; rep++) {
		struct session *s = session_new(&c, SESS_QUIET, err, sizeof err);
		if (!s) {
			fprintf(stderr, "bench: %s\n", err);
			break;
		}
		double t0 = bench_now();
		int rc = session_run_file(s, path);
		double dt = bench_now() - t0;
		if (rc || session_errors(s))
			fprintf(stderr, "bench: replay reported %lu errors\n",
				session_errors(s));
		session_free(s);
		double lps = (double)lines / dt;
		if (lps > best)
			best = lps;
	}
	printf("cli.replay_1M_lines            %8.2f M lines/s (target >= 5)\n",
	       best / 1e6);
	unlink(path);
}
