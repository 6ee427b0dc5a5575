/*
 * bench_tui.c - the dashboard's figures (issue 8): update and draw a full
 * 200x60 frame on a 4 GiB machine with busy slabs (target <= 2 ms), and
 * play a million-line script with the dashboard drawing at full speed
 * against the same script under -q (target <= 1.5x).
 *
 * Called from bench.c's main.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmem_config.h"
#include "session.h"
#include "tui.h"
#include "bench.h"

/* Busy slabs and scattered pages on a 4 GiB i386 machine. */
static void make_busy(struct session *s)
{
	struct machine *m = session_machine(s);
	uint64_t rng = 8;
	unsigned long pfn;
	kaddr_t a;

	for (int i = 0; i < 300000; i++) {
		size_t size = 16 + bench_rand(&rng) % 2000;
		kmem_kmalloc(m, size, GFP_KERNEL | __GFP_NOWARN, -1, &a);
	}
	for (int i = 0; i < 100000; i++) {
		unsigned order = (unsigned)(bench_rand(&rng) % 3);
		if (kmem_alloc_pages(m, -1, GFP_HIGHUSER | __GFP_NOWARN, order,
				     &pfn))
			continue;
		if (i % 3 == 0)
			kmem_free_pages(m, pfn, order);
	}
	for (int i = 0; i < 200; i++)
		kmem_vmalloc(m, KMEM_VMALLOC, 64 << 10, -1, &a);
}

void bench_tui(void)
{
	struct kmem_config c;
	char err[256];

	kmem_config_preset("i386-4g", &c);
	struct session *s = session_new(&c, SESS_QUIET, err, sizeof err);
	if (!s) {
		fprintf(stderr, "bench: %s\n", err);
		return;
	}
	make_busy(s);
	double best = 1e9;
	for (int rep = 0; rep < 3; rep++) {
		double ms = tui_bench_frame_ms(s, 200, 60);
		if (ms < best)
			best = ms;
	}
	printf("tui.frame_200x60_4G            %8.3f ms      (target <= 2)\n",
	       best);
	session_free(s);

	/* the replay script bench_cli.c writes, played in the dashboard */
	char path[] = "/tmp/kmemlab-bench-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return;
	close(fd);
	bench_write_replay(path, 1000000);      /* bench_cli.c's write_script */
	kmem_config_preset("i386-1g", &c);
	s = session_new(&c, SESS_QUIET, err, sizeof err);
	double t0 = bench_now();
	session_run_file(s, path);
	double quiet = bench_now() - t0;
	session_free(s);
	s = session_new(&c, 0, err, sizeof err);
	double tui = tui_bench_play_s(s, path, 200, 60);
	session_free(s);
	printf("tui.play_1M_lines_slowdown     %8.2f x       (target <= 1.5)\n",
	       tui / quiet);
	unlink(path);
}
