/*
 * test_query.c - the expression language of `expect` and the labs
 * (src/cli/query.c): queries read the engine, answers parse, comparisons
 * refuse what they cannot compare, and `help expect` names every query.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "cli.h"

static void sink_null(void *ctx, enum sess_stream st, const char *t, size_t n)
{
	(void)ctx; (void)st; (void)t; (void)n;
}

static struct session *tiny(void)
{
	struct session *s = session_new_quiet("tiny");

	assert_non_null(s);
	session_set_sink(s, sink_null, NULL);
	return s;
}

static void eval_ok(struct session *s, const char *q, struct qval *v)
{
	char err[300] = "";

	if (query_eval_text(s, q, v, err, sizeof err))
		fail_msg("%s: %s", q, err);
}

static void eval_err(struct session *s, const char *q, const char *want)
{
	struct qval v;
	char err[300] = "";

	assert_int_equal(query_eval_text(s, q, &v, err, sizeof err), -1);
	if (!strstr(err, want))
		fail_msg("%s: '%s' does not say '%s'", q, err, want);
}

/* The numbers the queries report are the engine's snapshot numbers. */
static void test_queries_read_the_engine(void **state)
{
	struct session *s = tiny();
	struct kmem_zone_info zi;
	struct qval v;
	char buf[128];
	int normal = kmem_zone_lookup(session_machine(s), 0, "Normal");

	kmem_zone_info(session_machine(s), 0, normal, &zi);
	eval_ok(s, "free_pages Normal", &v);
	assert_int_equal(v.kind, QV_NUM);
	assert_int_equal(v.num, zi.free_pages);
	eval_ok(s, "buddyinfo Normal", &v);
	assert_int_equal(v.kind, QV_VEC);
	assert_int_equal(v.n, KMEM_MAX_ORDER);
	for (int o = 0; o < KMEM_MAX_ORDER; o++)
		assert_int_equal(v.vec[o], zi.nr_free[o]);
	qval_free(&v);
	eval_ok(s, "zoneinfo Normal low", &v);
	assert_int_equal(v.num, zi.pages_low);

	assert_int_equal(session_execute(s, "a = alloc_pages GFP_KERNEL 2"), 0);
	eval_ok(s, "a pfn", &v);
	assert_int_equal(v.fmt, QF_HEX);
	assert_int_equal(v.num, s->values[0].pfn);
	eval_ok(s, "$1 order", &v);
	assert_int_equal(v.num, 2);
	eval_ok(s, "last pfn + 4", &v);
	assert_int_equal(v.num, s->values[0].pfn + 4);
	eval_ok(s, "a zone", &v);
	assert_int_equal(v.kind, QV_STR);
	assert_string_equal(v.str, "Normal");
	eval_ok(s, "zonelist GFP_KERNEL", &v);
	qval_format(&v, buf, sizeof buf);
	assert_string_equal(buf, "Normal DMA");
	eval_ok(s, "meminfo MemFree", &v);
	qval_format(&v, buf, sizeof buf);
	assert_non_null(strstr(buf, " kB"));
	session_free(s);
}

static void test_query_errors(void **state)
{
	struct session *s = tiny();

	eval_err(s, "bogus 1", "unknown query 'bogus'");
	eval_err(s, "buddyinf Normal", "did you mean 'buddyinfo'");
	eval_err(s, "buddyinfo Nrmal", "unknown zone 'Nrmal'");
	eval_err(s, "buddyinfo Normal 11", "order 11");
	eval_err(s, "buddyinfo", "missing zone");
	eval_err(s, "cache size-64 nope", "unknown field 'nope'");
	eval_err(s, "cache nosuch objsize", "no cache 'nosuch'");
	eval_err(s, "meminfo MemFre", "did you mean 'MemFree'");
	eval_err(s, "$1 pfn", "history is empty");
	eval_err(s, "slob arena_pages", "runs SLAB");
	eval_err(s, "free_pages Normal extra", "unexpected 'extra'");
	eval_err(s, "free_pages Normal +", "needs a number");
	session_free(s);
}

static void test_compare(void **state)
{
	struct qval n5 = { .kind = QV_NUM, .num = 5 };
	struct qval n7 = { .kind = QV_NUM, .num = 7 };
	struct qval w = { .kind = QV_STR };
	uint64_t a[2] = { 1, 2 }, b[2] = { 1, 2 };
	struct qval va = { .kind = QV_VEC, .vec = a, .n = 2 };
	struct qval vb = { .kind = QV_VEC, .vec = b, .n = 2 };
	char err[128];
	bool ok;

	assert_int_equal(qval_compare(&n5, "<", &n7, &ok, err, sizeof err), 0);
	assert_true(ok);
	assert_int_equal(qval_compare(&n5, ">=", &n7, &ok, err, sizeof err), 0);
	assert_false(ok);
	assert_int_equal(qval_compare(&va, "==", &vb, &ok, err, sizeof err), 0);
	assert_true(ok);
	b[1] = 3;
	assert_int_equal(qval_compare(&va, "!=", &vb, &ok, err, sizeof err), 0);
	assert_true(ok);
	assert_int_equal(qval_compare(&va, "<", &vb, &ok, err, sizeof err), -1);
	assert_int_equal(qval_compare(&va, "==", &n5, &ok, err, sizeof err), -1);
	strcpy(w.str, "DMA");
	assert_int_equal(qval_compare(&w, "==", &n5, &ok, err, sizeof err), -1);
	assert_int_equal(qval_compare(&w, "<", &w, &ok, err, sizeof err), -1);
}

static void test_answers(void **state)
{
	struct qval num = { .kind = QV_NUM, .fmt = QF_HEX, .num = 0x1050 };
	struct qval vec = { .kind = QV_VEC };
	struct qval word = { .kind = QV_STR };
	struct qval out;
	bool ok;
	char err[64];

	assert_int_equal(qval_parse_answer(&num, "4176", &out), 0);
	qval_compare(&out, "==", &num, &ok, err, sizeof err);
	assert_true(ok);
	assert_int_equal(qval_parse_answer(&num, "0x1050", &out), 0);
	assert_int_equal(out.num, 0x1050);
	assert_int_equal(qval_parse_answer(&num, "twelve", &out), -1);
	assert_int_equal(qval_parse_answer(&num, "1 2", &out), -1);
	assert_int_equal(qval_parse_answer(&vec, "0 1, 2 3", &out), 0);
	assert_int_equal(out.n, 4);
	assert_int_equal(out.vec[3], 3);
	qval_free(&out);
	assert_int_equal(qval_parse_answer(&vec, "-", &out), 0);
	assert_int_equal(out.n, 0);
	qval_free(&out);
	assert_int_equal(qval_parse_answer(&vec, "1 x", &out), -1);
	assert_int_equal(qval_parse_answer(&word, "normal", &out), 0);
	strcpy(word.str, "Normal");
	qval_compare(&out, "==", &word, &ok, err, sizeof err);
	assert_true(ok);
	assert_int_equal(qval_parse_answer(&num, "12 kB", &out), 0);
	assert_int_equal(out.num, 12);
}

/* Processes and files, driven through the engine API directly. */
static void test_task_and_file_queries(void **state)
{
	struct session *s = tiny();
	struct machine *m = session_machine(s);
	struct kmem_task_info ti;
	struct qval v;
	char q[64];
	int pid;

	assert_int_equal(kmem_spawn(m, "prog", &pid), 0);
	assert_int_equal(kmem_task_info(m, pid, &ti), 0);
	snprintf(q, sizeof q, "task %d total_vm", pid);
	eval_ok(s, q, &v);
	assert_int_equal(v.num, ti.total_vm);
	snprintf(q, sizeof q, "task %d rss", pid);
	eval_ok(s, q, &v);
	assert_int_equal(v.num, ti.anon_rss + ti.file_rss);
	eval_err(s, "task 999 rss", "no process 999");
	assert_int_equal(kmem_file_create(m, "data", 8192), 0);
	eval_ok(s, "file data size", &v);
	assert_int_equal(v.num, 8192);
	eval_ok(s, "file data nrpages", &v);
	assert_int_equal(v.num, 0);
	eval_err(s, "file nosuch size", "no file 'nosuch'");
	session_free(s);
}

/* pte and rmap: a read maps the ZERO_PAGE read-only, a write copies it,
 * fork shares the copy; task alive and oom read without a fault. */
static void test_fault_queries(void **state)
{
	struct session *s = tiny();
	struct machine *m = session_machine(s);
	struct kmem_fault_info fi;
	struct qval v;
	int pid, child;

	assert_int_equal(session_execute(s, "spawn prog"), 0);
	pid = 2;
	assert_int_equal(session_execute(s, "buf = mmap 2 16k"), 0);
	uint64_t buf = s->values[0].addr;
	eval_ok(s, "pte 2 buf present", &v);
	assert_int_equal(v.num, 0);
	eval_err(s, "pte 2 buf pfn", "is not mapped in process 2");
	assert_int_equal(kmem_fault(m, pid, buf, false, &fi), 0);
	eval_ok(s, "pte 2 buf kind", &v);
	assert_int_equal(v.kind, QV_STR);
	assert_string_equal(v.str, "zero");
	eval_ok(s, "pte 2 buf writable", &v);
	assert_int_equal(v.num, 0);
	eval_ok(s, "pte 2 buf pfn", &v);
	assert_int_equal(v.fmt, QF_HEX);
	assert_int_equal(v.num, fi.pfn);
	assert_int_equal(kmem_fault(m, pid, buf + 4096, true, &fi), 0);
	eval_ok(s, "pte 2 buf+4k pfn", &v);
	assert_int_equal(v.num, fi.pfn);
	eval_ok(s, "pte 2 buf+4096 dirty", &v);
	assert_int_equal(v.num, 1);
	eval_ok(s, "pte 2 buf+4k kind", &v);
	assert_string_equal(v.str, "anon");
	char q[64];
	snprintf(q, sizeof q, "rmap 0x%lx mapcount", fi.pfn);
	eval_ok(s, q, &v);
	assert_int_equal(v.num, 1);
	assert_int_equal(kmem_fork(m, pid, &child), 0);
	eval_ok(s, "pte 2 buf+4k mapcount", &v);
	assert_int_equal(v.num, 2);
	snprintf(q, sizeof q, "rmap 0x%lx users", fi.pfn);
	eval_ok(s, q, &v);
	assert_int_equal(v.num, 2);
	eval_ok(s, "pte 3 buf+4k writable", &v);
	assert_int_equal(v.num, 0);
	eval_ok(s, "task 3 alive", &v);
	assert_int_equal(v.num, 1);
	eval_ok(s, "oom candidates", &v);
	assert_int_equal(v.num, 3);
	struct kmem_oom_choice c;
	assert_int_equal(kmem_oom_select(m, &c, NULL, 0), 0);
	eval_ok(s, "oom victim", &v);
	assert_int_equal(v.num, (uint64_t)c.victim);
	struct kmem_oom_candidate bc;
	assert_int_equal(kmem_badness(m, 3, &bc), 0);
	eval_ok(s, "task 3 oom_score", &v);
	assert_int_equal(v.num, bc.points);
	assert_int_equal(kmem_kill(m, child, 9), 0);
	eval_ok(s, "task 3 alive", &v);
	assert_int_equal(v.num, 0);
	eval_err(s, "task 3 rss", "no process 3");
	eval_err(s, "pte 3 buf present", "no process 3");
	eval_err(s, "pte 2 nosuch present", "unknown value 'nosuch'");
	eval_err(s, "pte 2 buf+zz present", "bad offset");
	eval_err(s, "pte 2 buf colour", "unknown field 'colour'");
	eval_err(s, "oom", "missing field");
	session_free(s);
}

/* LRU state of a page, the dirty limits and the reclaim counters. */
static void test_pressure_queries(void **state)
{
	struct session *s = tiny();
	struct machine *m = session_machine(s);
	struct kmem_dirty_info d;
	struct qval v;
	unsigned long idx[2], pfn[2];
	char q[64];

	assert_int_equal(kmem_file_create(m, "f", 8192), 0);
	assert_int_equal(kmem_file_read(m, "f", 0, 4096, NULL), 0);
	assert_int_equal(kmem_file_pages(m, "f", idx, pfn, 2), 2);
	snprintf(q, sizeof q, "page 0x%lx lru", pfn[0]);
	eval_ok(s, q, &v);
	assert_string_equal(v.str, "none");     /* still in a pagevec */
	kmem_lru_add_drain(m, true);
	eval_ok(s, q, &v);
	assert_string_equal(v.str, "inactive");
	snprintf(q, sizeof q, "page 0x%lx referenced", pfn[0]);
	eval_ok(s, q, &v);
	assert_int_equal(v.num, 1);             /* the read marked it */
	/* read again right away: prev_index == index, not marked again */
	assert_int_equal(kmem_file_read(m, "f", 0, 4096, NULL), 0);
	snprintf(q, sizeof q, "page 0x%lx lru", pfn[0]);
	eval_ok(s, q, &v);
	assert_string_equal(v.str, "inactive");
	/* after a read elsewhere, a read of it activates it */
	assert_int_equal(kmem_file_read(m, "f", 4096, 4096, NULL), 0);
	assert_int_equal(kmem_file_read(m, "f", 0, 4096, NULL), 0);
	snprintf(q, sizeof q, "page 0x%lx lru", pfn[0]);
	eval_ok(s, q, &v);
	assert_string_equal(v.str, "active");
	kmem_dirty_limits(m, &d);
	eval_ok(s, "writeback dirty_thresh", &v);
	assert_int_equal(v.num, d.dirty_thresh);
	eval_ok(s, "reclaim direct_runs", &v);
	assert_int_equal(v.num, 0);
	eval_err(s, "writeback nope", "unknown field 'nope'");
	session_free(s);
}

/* `help expect` and the man page list every query the table has. */
static void test_help_names_every_query(void **state)
{
	for (size_t i = 0; i < query_count; i++)
		if (!strstr(cmd_expect.detail, query_table[i].name))
			fail_msg("help expect does not mention '%s'",
				 query_table[i].name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queries_read_the_engine),
		cmocka_unit_test(test_query_errors),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_task_and_file_queries),
		cmocka_unit_test(test_fault_queries),
		cmocka_unit_test(test_pressure_queries),
		cmocka_unit_test(test_help_names_every_query),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
