/*
 * test_oom.c - the OOM killer (mm/oom_kill.c, 2.6.20): badness() against
 * values computed by hand from reference §11.1, select_bad_process's
 * choice and skips, out_of_memory from the allocator and by hand, the
 * kill freeing the victim's memory, vm.panic_on_oom, /proc/PID/oom_*.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include "helpers.h"

#define RW (KMEM_PROT_READ | KMEM_PROT_WRITE)
#define ANON_PRIV (KMEM_MAP_PRIVATE | KMEM_MAP_ANONYMOUS)
#define MB (1ULL << 20)

static struct machine *boot_tiny(void)
{
	struct machine *m = boot_preset("tiny");

	assert_int_equal(kmem_proc_write(m, "sys/vm/overcommit_memory", "1"), 0);
	return m;
}

static struct kmem_oom_candidate bad(struct machine *m, int pid)
{
	struct kmem_oom_candidate c;

	if (kmem_badness(m, pid, &c))
		fail_msg("badness %d: %s", pid, kmem_last_error(m));
	return c;
}

static unsigned long isqrt(unsigned long x)
{
	unsigned long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

/* badness by hand: every rule of §11.1 */
static void test_badness_rules(void **state)
{
	(void)state;
	struct machine *m = boot_tiny();
	int a = spawn(m, "a");
	unsigned long vm = bad(m, a).total_vm;
	assert_true(vm > 300);
	assert_int_equal(bad(m, a).points, vm);

	/* a bigger mapping counts whole, touched or not */
	map(m, a, 0, 4 * MB, RW, ANON_PRIV, NULL);
	assert_int_equal(bad(m, a).points, vm + 1024);
	vm += 1024;

	/* children with their own mm: total_vm/2 + 1 each */
	int c1, c2;
	assert_int_equal(kmem_fork(m, a, &c1), 0);
	assert_int_equal(kmem_fork(m, a, &c2), 0);
	map(m, c2, 0, 2 * MB, RW, ANON_PRIV, NULL);
	unsigned long kids = (vm / 2 + 1) + ((vm + 512) / 2 + 1);
	struct kmem_oom_candidate c = bad(m, a);
	assert_int_equal(c.children_vm, kids);
	assert_int_equal(c.points, vm + kids);

	/* CPU time: (utime+stime) >> 11; 4 * 2048 jiffies -> sqrt 2 */
	assert_int_equal(kmem_task_run(m, a, 4 * 2048, false), 0);
	c = bad(m, a);
	assert_int_equal(c.cpu_time, 4);
	assert_int_equal(c.cpu_sqrt, 2);
	/* run_time is (uptime - start) >> 10 in seconds: 32 s is not enough */
	assert_int_equal(c.run_time, 0);
	assert_int_equal(c.points, (vm + kids) / 2);
	/* system time counts the same; 9 units -> sqrt 3 */
	assert_int_equal(kmem_task_run(m, a, 5 * 2048, true), 0);
	assert_int_equal(bad(m, a).points, (vm + kids) / 3);

	/* run time: 16 * 1024 s -> int_sqrt(int_sqrt(16)) = 2 */
	assert_int_equal(kmem_tick(m, 16ULL * 1024 * KMEM_HZ), 0);
	c = bad(m, a);
	assert_int_equal(c.run_time, 16);
	assert_int_equal(c.run_sqrt, 2);
	unsigned long base = (vm + kids) / 3 / 2;
	assert_int_equal(c.points, base);

	/* nice > 0 doubles; nice < 0 does nothing */
	assert_int_equal(kmem_task_nice(m, a, 5), 0);
	assert_int_equal(bad(m, a).points, base * 2);
	assert_int_equal(kmem_task_nice(m, a, -5), 0);
	assert_int_equal(bad(m, a).points, base);

	/* root: /4 for CAP_SYS_ADMIN and /4 for CAP_SYS_RAWIO */
	assert_int_equal(kmem_task_setuid(m, a, 0), 0);
	assert_int_equal(bad(m, a).points, base / 4 / 4);
	assert_int_equal(kmem_task_setuid(m, a, 1000), 0);

	/* oom_adj shifts */
	assert_int_equal(kmem_oom_adj(m, a, 3), 0);
	assert_int_equal(bad(m, a).points, base << 3);
	assert_int_equal(kmem_oom_adj(m, a, -2), 0);
	assert_int_equal(bad(m, a).points, base >> 2);
	/* i386's unsigned long is 32 bits: << 15 wraps there */
	assert_int_equal(kmem_oom_adj(m, a, 15), 0);
	assert_int_equal(bad(m, a).points, (unsigned long)(uint32_t)(base << 15));

	/* the /proc file says the same */
	char path[32];
	snprintf(path, sizeof path, "%d/oom_score", a);
	char *t = proc_text(m, path);
	char want[32];
	snprintf(want, sizeof want, "%lu\n", bad(m, a).points);
	assert_string_equal(t, want);
	free(t);
	/* an unrelated task is untouched by all this */
	assert_int_equal(bad(m, c1).cpu_time, 0);
	(void)isqrt;
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Bad inputs: clear errors, nothing changes. */
static void test_badness_inputs_refused(void **state)
{
	(void)state;
	struct machine *m = boot_tiny();
	int a = spawn(m, "a");
	char path[32];
	snprintf(path, sizeof path, "%d/oom_adj", a);
	assert_int_equal(kmem_proc_write(m, path, "16"), -EINVAL);
	assert_non_null(strstr(kmem_last_error(m), "out of range"));
	assert_int_equal(kmem_proc_write(m, path, "-18"), -EINVAL);
	assert_int_equal(kmem_proc_write(m, path, "x"), -EINVAL);
	assert_int_equal(kmem_proc_write(m, path, ""), -EINVAL);
	char *t = proc_text(m, path);
	assert_string_equal(t, "0\n");
	free(t);
	assert_int_equal(kmem_proc_write(m, path, "-17"), 0);
	t = proc_text(m, path);
	assert_string_equal(t, "-17\n");
	free(t);
	assert_int_equal(kmem_proc_write(m, path, "15"), 0);
	snprintf(path, sizeof path, "%d/oom_score", a);
	assert_int_equal(kmem_proc_write(m, path, "1"), -EACCES);
	assert_int_equal(kmem_proc_write(m, "999/oom_adj", "1"), -ENOENT);
	assert_int_equal(kmem_task_nice(m, a, 20), -EINVAL);
	assert_int_equal(kmem_task_nice(m, a, -21), -EINVAL);
	assert_int_equal(kmem_task_nice(m, 999, 1), -ESRCH);
	assert_int_equal(kmem_task_setuid(m, 1, 1000), -EPERM);
	assert_int_equal(kmem_task_run(m, 999, 1, false), -ESRCH);
	assert_int_equal(kmem_oom_adj(m, a, 99), -EINVAL);
	assert_int_equal(bad(m, a).oom_adj, 15);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* select_bad_process: the highest score; init, OOM_DISABLE skipped; ties
 * go to the first in list order; a child is killed before its parent. */
static void test_select(void **state)
{
	(void)state;
	struct machine *m = boot_tiny();
	struct kmem_oom_choice ch;
	struct kmem_oom_candidate rows[8];

	/* no process at all */
	assert_int_equal(kmem_oom_kill(m, &ch), -ESRCH);
	int a = spawn(m, "a"), b = spawn(m, "b");
	/* a and b score the same: a comes first */
	assert_int_equal(kmem_oom_select(m, &ch, rows, 8), 0);
	assert_int_equal(ch.nr_candidates, 3);
	assert_int_equal(rows[0].pid, 1);
	assert_int_equal(rows[0].status, KMEM_OOM_SKIP_INIT);
	assert_int_equal(ch.victim, a);
	assert_int_equal(ch.killed, a);
	assert_int_equal(ch.points, bad(m, a).points);
	/* b grows: b */
	map(m, b, 0, 1 * MB, RW, ANON_PRIV, NULL);
	assert_int_equal(kmem_oom_select(m, &ch, NULL, 0), 0);
	assert_int_equal(ch.victim, b);
	/* OOM_DISABLE hides b */
	assert_int_equal(kmem_oom_adj(m, b, KMEM_OOM_DISABLE), 0);
	assert_int_equal(kmem_oom_select(m, &ch, rows, 8), 0);
	assert_int_equal(ch.victim, a);
	assert_int_equal(rows[2].status, KMEM_OOM_SKIP_DISABLED);
	/* a gets a child: the child is what gets killed */
	int c;
	assert_int_equal(kmem_fork(m, a, &c), 0);
	assert_int_equal(kmem_oom_select(m, &ch, NULL, 0), 0);
	assert_int_equal(ch.victim, a);
	assert_int_equal(ch.killed, c);
	/* the first candidate is chosen even with 0 points */
	assert_int_equal(kmem_oom_adj(m, a, -16), 0);
	assert_int_equal(kmem_oom_adj(m, c, -16), 0);
	assert_int_equal(kmem_oom_adj(m, b, -16), 0);
	assert_int_equal(bad(m, a).points, 0);
	assert_int_equal(kmem_oom_select(m, &ch, NULL, 0), 0);
	assert_int_equal(ch.victim, a);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* By hand (SysRq-f): the report, the kill, the memory back. */
static void test_oom_kill_by_hand(void **state)
{
	(void)state;
	struct machine *m = boot_tiny();
	int a = spawn(m, "small"), b = spawn(m, "big");
	uint64_t addr = map(m, b, 0, 4 * MB, RW, ANON_PRIV, NULL);
	assert_int_equal(kmem_touch(m, b, addr, 4 * MB, true, NULL), 0);
	unsigned long free0 = minfo(m).nr_free_pages;
	struct kmem_oom_choice ch;
	assert_int_equal(kmem_oom_kill(m, &ch), 0);
	assert_int_equal(ch.victim, b);
	assert_false(ch.panicked);
	const char *d = kmem_dmesg(m, NULL);
	assert_non_null(strstr(d, "kmemlab invoked oom-killer: gfp_mask=0xd0, "
			       "order=0, oomkilladj=0\nMem-info:\n"));
	char want[96];
	snprintf(want, sizeof want, "Out of memory: kill process %d (big) score "
		 "%lu or a child\n", b, ch.points);
	assert_non_null(strstr(d, want));
	snprintf(want, sizeof want, "Out of memory: Killed process %d (big).\n", b);
	assert_non_null(strstr(d, want));
	struct kmem_task_info ti;
	assert_int_equal(kmem_task_info(m, b, &ti), -ESRCH);
	assert_int_equal(kmem_task_info(m, a, &ti), 0);
	/* 1024 anon pages, its page tables, stack and task came back */
	assert_true(minfo(m).nr_free_pages >= free0 + 1024);
	unsigned long inv, kills;
	kmem_oom_stats(m, &inv, &kills);
	assert_int_equal(inv, 1);
	assert_int_equal(kills, 1);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Nothing killable: init and OOM_DISABLE only -> panic; vm.panic_on_oom
 * panics before choosing. */
static void test_panics(void **state)
{
	(void)state;
	struct machine *m = boot_tiny();
	int a = spawn(m, "a");
	assert_int_equal(kmem_oom_adj(m, a, KMEM_OOM_DISABLE), 0);
	assert_false(kmem_panicked(m, NULL));
	struct kmem_oom_choice ch;
	assert_int_equal(kmem_oom_kill(m, &ch), 0);
	assert_true(ch.panicked);
	const char *why;
	assert_true(kmem_panicked(m, &why));
	assert_string_equal(why, "Kernel panic - not syncing: Out of memory and "
			    "no killable processes...");
	assert_int_equal(kmem_oom_kill(m, &ch), -EPERM);
	kmem_machine_destroy(m);

	m = boot_tiny();
	a = spawn(m, "a");
	assert_int_equal(kmem_proc_write(m, "sys/vm/panic_on_oom", "1"), 0);
	assert_int_equal(kmem_oom_kill(m, &ch), 0);
	assert_true(kmem_panicked(m, &why));
	assert_string_equal(why, "Kernel panic - not syncing: out of memory. "
			    "panic_on_oom is selected");
	assert_non_null(strstr(kmem_dmesg(m, NULL), why));
	/* nobody was killed */
	struct kmem_task_info ti;
	assert_int_equal(kmem_task_info(m, a, &ti), 0);
	kmem_machine_destroy(m);
}

/* Touch anonymous memory until the allocator gives up; kswapd (run
 * between commands, as the front ends do) has marked the zones
 * all_unreclaimable, so direct reclaim makes no progress. */
static int touch_until_oom(struct machine *m, int pid, uint64_t addr,
			   uint64_t len)
{
	for (uint64_t off = 0; off < len; off += 256 << 10) {
		int rc = kmem_touch(m, pid, addr + off, 256 << 10, true, NULL);
		if (rc)
			return rc;
		kmem_background(m);
	}
	return 0;
}

/* The toucher is the biggest: it is current, gets TIF_MEMDIE, finishes
 * its fault from the reserves and dies on the way out. */
static void test_oom_during_touch_current(void **state)
{
	(void)state;
	struct machine *m = boot_tiny();
	int small = spawn(m, "small"), hog = spawn(m, "hog");
	uint64_t a = map(m, hog, 0, 64 * MB, RW, ANON_PRIV, NULL);
	size_t l0;
	kmem_dmesg(m, &l0);
	assert_int_equal(touch_until_oom(m, hog, a, 64 * MB), -ENOMEM);
	assert_non_null(strstr(kmem_last_error(m), "killed by the OOM killer"));
	const char *d = kmem_dmesg(m, NULL) + l0;
	assert_non_null(strstr(d, "hog invoked oom-killer: gfp_mask=0x280d2, "
			       "order=0, oomkilladj=0\n"));
	char want[64];
	snprintf(want, sizeof want, "Out of memory: Killed process %d (hog).", hog);
	assert_non_null(strstr(d, want));
	assert_null(strstr(d, "VM: killing process"));
	struct kmem_task_info ti;
	assert_int_equal(kmem_task_info(m, hog, &ti), -ESRCH);
	assert_int_equal(kmem_task_info(m, small, &ti), 0);
	assert_true(minfo(m).nr_free_pages > 1500);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Another task is bigger: it exits at once and the toucher goes on. */
static void test_oom_during_touch_other(void **state)
{
	(void)state;
	struct machine *m = boot_tiny();
	int big = spawn(m, "big"), hog = spawn(m, "hog");
	uint64_t b = map(m, big, 0, 80 * MB, RW, ANON_PRIV, NULL);
	assert_int_equal(kmem_touch(m, big, b, 12 * MB, true, NULL), 0);
	uint64_t a = map(m, hog, 0, 24 * MB, RW, ANON_PRIV, NULL);
	assert_int_equal(touch_until_oom(m, hog, a, 24 * MB), 0);
	char want[64];
	snprintf(want, sizeof want, "Out of memory: Killed process %d (big).", big);
	assert_non_null(strstr(kmem_dmesg(m, NULL), want));
	struct kmem_task_info ti;
	assert_int_equal(kmem_task_info(m, big, &ti), -ESRCH);
	assert_int_equal(kmem_task_info(m, hog, &ti), 0);
	assert_int_equal(ti.anon_rss, 24 * 256 + 1);  /* + the stack page */
	CHECK(m);
	kmem_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_badness_rules),
		cmocka_unit_test(test_badness_inputs_refused),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_oom_kill_by_hand),
		cmocka_unit_test(test_panics),
		cmocka_unit_test(test_oom_during_touch_current),
		cmocka_unit_test(test_oom_during_touch_other),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
