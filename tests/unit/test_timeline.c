/*
 * test_timeline.c - the engine's time series (src/core/timeline.c,
 * kmem_timeline): when samples are taken, what they hold, the ring's
 * bound, its invariants; `show timeline` and its errors; the dashboard's
 * per-tick Counters mode.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli.h"
#include "helpers.h"

#define WB_INTERVAL (KMEM_HZ * 5)       /* dirty_writeback_centisecs 500 */

/* Sum of the /proc/vmstat items named name, or starting with name when
 * it ends in '_'. */
static unsigned long vmstat(struct machine *m, const char *name)
{
	struct kmem_stat_item it[160];
	size_t n = kmem_vmstat_items(m, it, 160), len = strlen(name);
	unsigned long sum = 0;

	for (size_t i = 0; i < n && i < 160; i++)
		if (name[len - 1] == '_' ? !strncmp(it[i].name, name, len) :
					   !strcmp(it[i].name, name))
			sum += it[i].value;
	return sum;
}

static struct kmem_tl_sample *all_samples(struct machine *m, size_t *n)
{
	struct kmem_tl_sample *s = calloc(KMEM_TL_SAMPLES, sizeof *s);

	assert_non_null(s);
	*n = kmem_timeline(m, s, KMEM_TL_SAMPLES, NULL);
	return s;
}

static void test_names(void **state)
{
	const struct kmem_tl_desc *d = kmem_tl_items();

	(void)state;
	assert_int_equal(kmem_tl_lookup("free"), KMEM_TL_FREE);
	assert_int_equal(kmem_tl_lookup("pgscan"), KMEM_TL_PGSCAN);
	assert_int_equal(kmem_tl_lookup("allocstall"), KMEM_TL_ALLOCSTALL);
	assert_int_equal(kmem_tl_lookup("Free"), -1);
	assert_int_equal(kmem_tl_lookup(""), -1);
	for (int i = 0; i < KMEM_TL_NR_ITEMS; i++) {
		assert_non_null(d[i].name);
		assert_non_null(d[i].help);
		assert_int_equal(kmem_tl_lookup(d[i].name), i);
		assert_int_equal(d[i].event, i >= KMEM_TL_NR_LEVELS);
	}
}

/* Boot leaves one sample at jiffies 0 whose events are all 0. */
static void test_boot_sample(void **state)
{
	struct machine *m = boot_preset("tiny");
	struct kmem_machine_info mi;
	struct kmem_tl_sample s[4];
	unsigned long taken = 99;

	(void)state;
	assert_int_equal(kmem_timeline(m, NULL, 0, &taken), 1);
	assert_int_equal(taken, 1);
	assert_int_equal(kmem_timeline(m, s, 4, NULL), 1);
	kmem_machine_info(m, &mi);
	assert_int_equal(s[0].jiffies, 0);
	assert_int_equal(s[0].v[KMEM_TL_FREE], mi.nr_free_pages);
	for (int i = KMEM_TL_NR_LEVELS; i < KMEM_TL_NR_ITEMS; i++)
		assert_int_equal(s[0].v[i], 0);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* No sample while time stands still; one when it moves, holding what
 * happened since the previous one; a tick of 0 refreshes the newest. */
static void test_tick_samples(void **state)
{
	struct machine *m = boot_preset("tiny");
	struct kmem_tl_sample s[4];
	unsigned long pfn, alloc0 = vmstat(m, "pgalloc_");
	unsigned long free0 = vmstat(m, "pgfree");

	(void)state;
	assert_int_equal(kmem_alloc_pages(m, -1, GFP_KERNEL, 3, &pfn), 0);
	assert_int_equal(kmem_timeline(m, s, 4, NULL), 1);
	assert_int_equal(kmem_tick(m, 10), 0);
	assert_int_equal(kmem_timeline(m, s, 4, NULL), 2);
	assert_int_equal(s[1].jiffies, 10);
	assert_int_equal(s[1].v[KMEM_TL_PGALLOC], vmstat(m, "pgalloc_") - alloc0);
	assert_int_equal(s[1].v[KMEM_TL_PGALLOC], 8);
	struct kmem_machine_info mi;
	kmem_machine_info(m, &mi);
	assert_int_equal(s[1].v[KMEM_TL_FREE], mi.nr_free_pages);

	assert_int_equal(kmem_free_pages(m, pfn, 3), 0);
	assert_int_equal(kmem_tick(m, 0), 0);
	assert_int_equal(kmem_timeline(m, s, 4, NULL), 2);
	assert_int_equal(s[1].jiffies, 10);
	assert_int_equal(s[1].v[KMEM_TL_PGFREE], vmstat(m, "pgfree") - free0);
	kmem_machine_info(m, &mi);
	assert_int_equal(s[1].v[KMEM_TL_FREE], mi.nr_free_pages);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* A long tick leaves a sample at each wb_kupdate that had dirty pages to
 * look at, and the one that wrote them shows the write. */
static void test_kupdate_inside_tick(void **state)
{
	struct machine *m = boot_preset("tiny");
	struct kmem_io_info io;
	size_t n;

	(void)state;
	assert_int_equal(kmem_file_create(m, "log", 0), 0);
	assert_int_equal(kmem_file_write(m, "log", 0, 64 * 1024, &io), 0);
	assert_true(io.dirtied > 0);
	assert_int_equal(kmem_tick(m, 40 * KMEM_HZ), 0);
	struct kmem_tl_sample *s = all_samples(m, &n);
	/* boot, kupdates at 5 s, 10 s ... 35 s (the pages expire at 30 s:
	 * the 35 s run writes them, later ones have nothing), the end */
	assert_true(n >= 4);
	assert_int_equal(s[1].jiffies, WB_INTERVAL);
	assert_int_equal(s[n - 1].jiffies, 40 * KMEM_HZ);
	assert_int_equal(s[1].v[KMEM_TL_DIRTY], io.dirtied);
	unsigned long written = 0;
	size_t at = 0;
	for (size_t i = 1; i < n; i++) {
		assert_true(s[i].jiffies > s[i - 1].jiffies);
		if (s[i].v[KMEM_TL_PGPGOUT] && !at)
			at = i;
		written += s[i].v[KMEM_TL_PGPGOUT];
	}
	assert_true(at > 0);
	assert_int_equal(s[at].jiffies, 7 * WB_INTERVAL);
	assert_int_equal(s[at].v[KMEM_TL_DIRTY], 0);
	assert_int_equal(s[at - 1].v[KMEM_TL_DIRTY], io.dirtied);
	assert_int_equal(written, vmstat(m, "pgpgout"));
	assert_int_equal(written, io.dirtied * 4);      /* KiB */
	free(s);
	CHECK(m);
	kmem_machine_destroy(m);
}

static void sink_buf(void *ctx, enum sess_stream st, const char *t, size_t n)
{
	(void)st;
	kbuf_append(ctx, t, n);
}

/* A session on tiny printing into out, checking after every command. */
static struct session *tiny_session(struct kbuf *out)
{
	struct kmem_config c;
	char err[256];

	assert_int_equal(kmem_config_preset("tiny", &c), 0);
	struct session *s = session_new(&c, SESS_CHECK, err, sizeof err);
	assert_non_null(s);
	kbuf_init(out);
	session_set_sink(s, sink_buf, out);
	return s;
}

/* Streaming more than memory through the page cache twice (`stress
 * file`): reclaim waits in congestion_wait, each wait a sample; the
 * events add up to /proc/vmstat. */
static void test_pressure_samples(void **state)
{
	struct kbuf out;
	struct session *ss = tiny_session(&out);
	struct machine *m = session_machine(ss);
	size_t n;

	(void)state;
	assert_int_equal(session_execute(ss, "stress file big 40M"), 0);
	assert_int_equal(kmem_tick(m, 1), 0);
	struct kmem_tl_sample *s = all_samples(m, &n);
	assert_true(n > 3);
	unsigned long sum[KMEM_TL_NR_ITEMS] = { 0 };
	for (size_t i = 0; i < n; i++) {
		if (i)
			assert_true(s[i].jiffies > s[i - 1].jiffies);
		for (int k = KMEM_TL_NR_LEVELS; k < KMEM_TL_NR_ITEMS; k++)
			sum[k] += s[i].v[k];
	}
	assert_true(sum[KMEM_TL_PGSCAN] > 0);
	assert_int_equal(sum[KMEM_TL_PGSCAN], vmstat(m, "pgscan_kswapd_") +
					      vmstat(m, "pgscan_direct_"));
	assert_int_equal(sum[KMEM_TL_PGSTEAL], vmstat(m, "pgsteal_"));
	assert_int_equal(sum[KMEM_TL_ALLOCSTALL], vmstat(m, "allocstall"));
	assert_int_equal(sum[KMEM_TL_PGPGIN], vmstat(m, "pgpgin"));
	/* congestion_wait(HZ/10) steps */
	bool step = false;
	for (size_t i = 1; i < n; i++)
		if (s[i].jiffies - s[i - 1].jiffies == KMEM_HZ / 10)
			step = true;
	assert_true(step);
	free(s);
	CHECK(m);
	kbuf_free(&out);
	session_free(ss);
}

/* The ring keeps the newest KMEM_TL_SAMPLES; the oldest kept still has
 * the right delta. */
static void test_ring_bound(void **state)
{
	struct machine *m = boot_preset("tiny");
	const unsigned ticks = KMEM_TL_SAMPLES + 100;
	unsigned long pfn, taken;
	size_t n;

	(void)state;
	for (unsigned i = 0; i < ticks; i++) {
		assert_int_equal(kmem_alloc_pages(m, -1, GFP_KERNEL, 0, &pfn), 0);
		assert_int_equal(kmem_tick(m, 1), 0);
	}
	assert_int_equal(kmem_timeline(m, NULL, 0, &taken), KMEM_TL_SAMPLES);
	assert_int_equal(taken, ticks + 1);
	struct kmem_tl_sample *s = all_samples(m, &n);
	assert_int_equal(n, KMEM_TL_SAMPLES);
	assert_int_equal(s[0].jiffies, ticks - KMEM_TL_SAMPLES + 1);
	assert_int_equal(s[n - 1].jiffies, ticks);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(s[i].v[KMEM_TL_PGALLOC], 1);
	/* fewer than held: the newest, oldest first */
	struct kmem_tl_sample last[3];
	assert_int_equal(kmem_timeline(m, last, 3, NULL), KMEM_TL_SAMPLES);
	assert_memory_equal(last, &s[n - 3], sizeof last);
	free(s);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Same machine, same operations: the same series; two machines side by
 * side do not share one. */
static void test_deterministic(void **state)
{
	struct machine *a = boot_preset("tiny"), *b = boot_preset("tiny");
	struct kmem_io_info io;
	size_t na, nb;

	(void)state;
	for (int k = 0; k < 2; k++) {
		struct machine *m = k ? b : a;
		assert_int_equal(kmem_file_create(m, "f", 36ULL << 20), 0);
		assert_int_equal(kmem_file_read(m, "f", 0, 36ULL << 20, &io), 0);
		assert_int_equal(kmem_tick(m, 3000), 0);
	}
	struct kmem_tl_sample *sa = all_samples(a, &na);
	struct kmem_tl_sample *sb = all_samples(b, &nb);
	assert_int_equal(na, nb);
	assert_memory_equal(sa, sb, na * sizeof *sa);
	assert_int_equal(kmem_tick(a, 5), 0);
	assert_int_equal(kmem_timeline(a, NULL, 0, NULL), na + 1);
	assert_int_equal(kmem_timeline(b, NULL, 0, NULL), nb);
	free(sa);
	free(sb);
	kmem_machine_destroy(a);
	kmem_machine_destroy(b);
}

/* ------------------------------------------------------------------ */
/* show timeline                                                       */
/* ------------------------------------------------------------------ */

static void run_err(struct session *s, struct kbuf *out, const char *line,
		    const char *want)
{
	kbuf_reset(out);
	assert_int_not_equal(session_execute(s, line), 0);
	if (!strstr(out->data ? out->data : "", want))
		fail_msg("%s: wanted \"%s\" in \"%s\"", line, want,
			 out->data ? out->data : "");
}

static void test_show_timeline(void **state)
{
	struct kbuf out;
	struct session *s = tiny_session(&out);

	(void)state;
	assert_int_equal(session_execute(s, "tick 10"), 0);
	assert_int_equal(session_execute(s, "tick 10"), 0);
	kbuf_reset(&out);
	assert_int_equal(session_execute(s, "show timeline -n 2 free pgalloc"), 0);
	assert_non_null(strstr(out.data, "the last 2 of 3 samples"));
	assert_non_null(strstr(out.data, "jiffies  free  pgalloc\n"));
	assert_non_null(strstr(out.data, "\n     20  "));
	assert_null(strstr(out.data, "\n      0  "));
	assert_non_null(strstr(out.data, "pgalloc: events since"));
	kbuf_reset(&out);
	assert_int_equal(session_execute(s, "show timeline"), 0);
	assert_non_null(strstr(out.data, "timeline: 3 samples"));
	assert_non_null(strstr(out.data, "writeback  pgalloc  pgscan  pgsteal"));
	kbuf_reset(&out);
	assert_int_equal(session_execute(s, "show timeline -n all dirty"), 0);
	assert_non_null(strstr(out.data, "levels in pages\n"));
	assert_int_equal(session_execute(s, "show ti -n 1000000"), 0);

	run_err(s, &out, "show timeline -n", "-n needs a number");
	run_err(s, &out, "show timeline -n 0", "not '0'");
	run_err(s, &out, "show timeline -n lots", "not 'lots'");
	run_err(s, &out, "show timeline -x", "unknown option '-x'");
	run_err(s, &out, "show timeline fre", "unknown counter 'fre' (did you "
		"mean 'free'?)");
	run_err(s, &out, "show timeline zzzzzzzz", "unknown counter 'zzzzzzzz' "
		"(see 'help show timeline')");
	run_err(s, &out, "show timeline free dirty free", "counter 'free' "
		"given twice");
	kbuf_free(&out);
	session_free(s);
}

static void test_show_timeline_complete(void **state)
{
	struct kbuf out;
	struct session *s = tiny_session(&out);
	struct completion c;
	const char *line = "show timeline pgs";

	(void)state;
	memset(&c, 0, sizeof c);
	session_complete(s, line, strlen(line), &c);
	assert_int_equal(c.n, 2);       /* pgscan, pgsteal */
	compl_free(&c);
	line = "show timeline free f";
	memset(&c, 0, sizeof c);
	session_complete(s, line, strlen(line), &c);
	assert_int_equal(c.n, 1);       /* file; free is given already */
	assert_string_equal(c.items[0], "file");
	compl_free(&c);
	line = "show timeline -n a";
	memset(&c, 0, sizeof c);
	session_complete(s, line, strlen(line), &c);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.items[0], "all");
	compl_free(&c);
	kbuf_free(&out);
	session_free(s);
}

/* The dashboard's Counters pane in per-tick mode names the samples and
 * draws the levels below the events when it has room. */
static void test_tui_per_tick(void **state)
{
	struct kbuf out, frame;
	struct session *s = tiny_session(&out);
	struct tui_options o;

	(void)state;
	assert_int_equal(session_execute(s, "stress file big 40M"), 0);
	assert_int_equal(session_execute(s, "tick 2000"), 0);
	size_t n = kmem_timeline(session_machine(s), NULL, 0, NULL);
	tui_options_default(&o);
	o.cols = 200;
	o.rows = 60;
	o.ascii = true;
	kbuf_init(&frame);
	tui_render_text(s, &o, &frame);
	assert_non_null(strstr(frame.data, "Counters (per command)"));
	assert_null(strstr(frame.data, "per tick"));
	kbuf_reset(&frame);
	o.counters_per_tick = true;
	tui_render_text(s, &o, &frame);
	char title[96];
	/* the pane keeps the newest 256 (SPARK_SAMPLES) */
	snprintf(title, sizeof title, "Counters (per tick: %zu samples, "
		 "jiffies %s", n < 256 ? n : 256, n <= 256 ? "0-" : "");
	if (!strstr(frame.data, title)) {
		const char *c = strstr(frame.data, "Counters");
		fail_msg("no \"%s\" in\n%.200s", title, c ? c : "(none)");
	}
	assert_non_null(strstr(frame.data, "|pgscan "));
	assert_non_null(strstr(frame.data, "|free "));
	assert_non_null(strstr(frame.data, " max "));
	kbuf_free(&frame);
	kbuf_free(&out);
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_boot_sample),
		cmocka_unit_test(test_tick_samples),
		cmocka_unit_test(test_kupdate_inside_tick),
		cmocka_unit_test(test_pressure_samples),
		cmocka_unit_test(test_ring_bound),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_show_timeline),
		cmocka_unit_test(test_show_timeline_complete),
		cmocka_unit_test(test_tui_per_tick),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
