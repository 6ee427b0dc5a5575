/*
 * cmd_oom.c - the OOM killer and mempools at the prompt.
 *
 *   oom [--dry-run]                  select_bad_process's table and choice;
 *                                    then out_of_memory as SysRq-f runs it
 *   run PID JIFFIES [user|sys]       charge CPU time (the clock moves too)
 *   nice PID N                       -20..19
 *   setuid PID UID                   0 makes the task root
 *   mempool_create NAME MIN_NR cache CACHE|pages ORDER
 *   mempool_alloc NAME [GFP]         an element: $N, as kmalloc gives
 *   mempool_free NAME ELEMENT        (free $N works too)
 *   mempool_resize NAME MIN_NR [GFP]
 *   mempool_destroy NAME
 *   show mempool [NAME]
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int arg_int(struct session *s, const char *word, const char *what,
		   long lo, long hi, long *out)
{
	if (parse_long(word, out) || *out < lo || *out > hi)
		return sess_error(s, "%s: '%s' is not a number in %ld..%ld", what,
				  word, lo, hi);
	return 0;
}

static void complete_pid_arg(struct session *s, int argi, char **argv,
			     struct completion *c)
{
	int pids[256];
	char b[16];

	if (argi != 1)
		return;
	size_t n = kmem_task_list(s->m, pids, 256);
	for (size_t k = 0; k < n && k < 256; k++) {
		snprintf(b, sizeof b, "%d", pids[k]);
		compl_add(c, b);
	}
}

/* ------------------------------------------------------------------ */
/* oom, run, nice, setuid                                              */
/* ------------------------------------------------------------------ */

static void complete_oom(struct session *s, int argi, char **argv,
			 struct completion *c)
{
	if (argi == 1)
		compl_add(c, "--dry-run");
}

static const char *status_word(enum kmem_oom_status st)
{
	switch (st) {
	case KMEM_OOM_CANDIDATE: return "";
	case KMEM_OOM_SKIP_INIT: return "skip: init";
	case KMEM_OOM_SKIP_NO_MM: return "skip: no mm";
	case KMEM_OOM_SKIP_DISABLED: return "skip: OOM_DISABLE";
	case KMEM_OOM_DYING: return "dying: wait";
	}
	return "?";
}

#define MAX_ROWS 4096

static int run_oom(struct session *s, int argc, char **argv)
{
	bool dry = false;

	if (argc == 2) {
		if (strcmp(argv[1], "--dry-run") && strcmp(argv[1], "-n"))
			return sess_error(s, "oom: unknown option '%s' (usage: %s)",
					  argv[1], cmd_oom.usage);
		dry = true;
	}
	const char *why;
	if (kmem_panicked(s->m, &why))
		return sess_error(s, "oom: the machine has panicked (%s); reset it",
				  why);
	struct kmem_oom_candidate *rows = calloc(MAX_ROWS, sizeof *rows);
	struct kmem_oom_choice ch;
	if (!rows)
		cli_oom();
	kmem_oom_select(s->m, &ch, rows, MAX_ROWS);
	if (!ch.nr_candidates) {
		free(rows);
		return sess_error(s, "oom: no processes: the OOM killer has nothing "
				  "to consider");
	}
	size_t n = ch.nr_candidates < MAX_ROWS ? ch.nr_candidates : MAX_ROWS;
	json_begin_array(s, "candidates");
	for (size_t i = 0; i < n; i++) {
		const struct kmem_oom_candidate *r = &rows[i];
		json_begin_object(s, NULL);
		json_i64(s, "pid", r->pid);
		json_str(s, "comm", r->comm);
		json_u64(s, "total_vm", r->total_vm);
		json_u64(s, "children_vm", r->children_vm);
		json_u64(s, "cpu_time", r->cpu_time);
		json_u64(s, "run_time", r->run_time);
		json_i64(s, "nice", r->nice);
		json_i64(s, "uid", r->uid);
		json_i64(s, "oom_adj", r->oom_adj);
		json_u64(s, "badness", r->points);
		json_str(s, "status", r->status == KMEM_OOM_CANDIDATE ? "candidate" :
			 status_word(r->status));
		json_end_object(s);
	}
	json_end_array(s);
	if (sess_text(s)) {
		sess_printf(s, "%5s %-15s %8s %8s %6s %6s %4s %5s %7s %10s  %s\n",
			    "PID", "COMM", "TOTAL_VM", "CHILDREN", "CPU/8s", "RUN/1k",
			    "NICE", "UID", "OOM_ADJ", "BADNESS", "");
		for (size_t i = 0; i < n; i++) {
			const struct kmem_oom_candidate *r = &rows[i];
			sess_printf(s, "%5d %-15s %8lu %8lu %6lu %6lu %4d %5u %7d %10lu  "
				    "%s%s\n", r->pid, r->comm, r->total_vm,
				    r->children_vm, r->cpu_time, r->run_time, r->nice,
				    r->uid, r->oom_adj, r->points,
				    ch.victim == r->pid ? "<- chosen" : "",
				    status_word(r->status));
		}
	}
	free(rows);
	json_i64(s, "victim", ch.victim);
	json_i64(s, "kill", ch.killed);
	json_bool(s, "dry_run", dry);
	if (ch.wait) {
		if (sess_text(s))
			sess_printf(s, "a task is already dying: the kernel waits for "
				    "it\n");
		return 0;
	}
	if (sess_text(s)) {
		if (!ch.victim)
			sess_printf(s, "no killable process: out_of_memory would panic "
				    "(\"Out of memory and no killable processes...\")\n");
		else if (ch.killed != ch.victim)
			sess_printf(s, "chosen: pid %d, badness %lu (highest; ties go to "
				    "the first in list order); its child pid %d goes "
				    "first\n", ch.victim, ch.points, ch.killed);
		else
			sess_printf(s, "chosen: pid %d, badness %lu (highest; ties go to "
				    "the first in list order)\n", ch.victim, ch.points);
	}
	if (dry)
		return 0;
	if (kmem_oom_kill(s->m, &ch))
		return sess_error(s, "%s", kmem_last_error(s->m));
	json_bool(s, "panicked", ch.panicked);
	if (ch.panicked && kmem_panicked(s->m, &why))
		return sess_error(s, "%s: the machine is dead until `reset`", why);
	return 0;
}

const struct command cmd_oom = {
	.name = "oom",
	.usage = "oom [--dry-run]",
	.summary = "run the OOM killer by hand (SysRq-f): candidates and choice",
	.example = "oom --dry-run",
	.detail = "Scores every task as select_bad_process does and prints the "
		  "table: total_vm, children's share (total_vm/2 + 1 each), CPU "
		  "time in units of 2048 jiffies and run time in units of 1024 "
		  "seconds (their square roots divide), nice, uid (root divides "
		  "by 16) and oom_adj (a shift), and badness, which "
		  "/proc/PID/oom_score also shows.  Then it runs out_of_memory "
		  "for GFP_KERNEL order 0, as SysRq-f does: the report, \"Out of "
		  "memory: Killed process N (name).\" and the memory freed; with "
		  "vm.panic_on_oom, or nothing killable, the machine panics and "
		  "refuses changes until `reset`.  --dry-run stops after the "
		  "choice.  `trace on` shows every candidate's badness.",
	.family = FAM_MACHINE,
	.min_args = 0, .max_args = 1,
	.flags = CMD_MUTATES,
	.run = run_oom,
	.complete = complete_oom,
};

static int run_run(struct session *s, int argc, char **argv)
{
	int pid;
	uint64_t j;
	bool sys = false;

	if (arg_pid(s, argv[1], &pid) || arg_u64(s, argv[2], "jiffies", &j))
		return -1;
	if (argc == 4) {
		if (!strcmp(argv[3], "sys"))
			sys = true;
		else if (strcmp(argv[3], "user"))
			return sess_error(s, "run: '%s' is not 'user' or 'sys'",
					  argv[3]);
	}
	if (kmem_task_run(s->m, pid, j, sys))
		return sess_error(s, "%s", kmem_last_error(s->m));
	struct kmem_oom_candidate c;
	kmem_badness(s->m, pid, &c);
	json_u64(s, "utime", c.utime);
	json_u64(s, "stime", c.stime);
	json_u64(s, "badness", c.points);
	if (sess_text(s))
		sess_printf(s, "pid %d: utime %llu stime %llu jiffies (cpu_time %lu), "
			    "badness %lu\n", pid, (unsigned long long)c.utime,
			    (unsigned long long)c.stime, c.cpu_time, c.points);
	return 0;
}

const struct command cmd_run = {
	.name = "run",
	.usage = "run PID JIFFIES [user|sys]",
	.summary = "let a task run: charge it CPU time, advance the clock",
	.example = "run 2 2048",
	.detail = "The task is charged JIFFIES of user (or system) time and "
		  "the clock moves by as much, as `tick` would move it.  This "
		  "is the only way tasks get CPU time: faults are too short to "
		  "be charged a tick.  badness() divides by int_sqrt(cpu_time), "
		  "cpu_time = (utime+stime) >> 11 at HZ=250.",
	.family = FAM_MACHINE,
	.min_args = 2, .max_args = 3,
	.flags = CMD_MUTATES,
	.run = run_run,
	.complete = complete_pid_arg,
};

static int run_nice(struct session *s, int argc, char **argv)
{
	int pid;
	long v;

	if (arg_pid(s, argv[1], &pid) || arg_int(s, argv[2], "nice", -20, 19, &v))
		return -1;
	if (kmem_task_nice(s->m, pid, (int)v))
		return sess_error(s, "%s", kmem_last_error(s->m));
	if (sess_text(s))
		sess_printf(s, "pid %d: nice %ld\n", pid, v);
	return 0;
}

const struct command cmd_nice = {
	.name = "nice",
	.usage = "nice PID N",
	.summary = "set a task's nice value (-20..19)",
	.example = "nice 2 10",
	.detail = "A niced task (N > 0) doubles its OOM badness.",
	.family = FAM_MACHINE,
	.min_args = 2, .max_args = 2,
	.flags = CMD_MUTATES,
	.run = run_nice,
	.complete = complete_pid_arg,
};

static int run_setuid(struct session *s, int argc, char **argv)
{
	int pid;
	unsigned uid;

	if (arg_pid(s, argv[1], &pid) || arg_uint(s, argv[2], "uid", 65535, &uid))
		return -1;
	if (kmem_task_setuid(s->m, pid, uid))
		return sess_error(s, "%s", kmem_last_error(s->m));
	if (sess_text(s))
		sess_printf(s, "pid %d: uid %u%s\n", pid, uid,
			    uid ? "" : " (root: every capability)");
	return 0;
}

const struct command cmd_setuid = {
	.name = "setuid",
	.usage = "setuid PID UID",
	.summary = "change a task's uid (0: root, with every capability)",
	.example = "setuid 2 0",
	.detail = "Root tasks hold CAP_SYS_ADMIN and CAP_SYS_RAWIO: badness "
		  "divides by 4 for each.  init stays root.",
	.family = FAM_MACHINE,
	.min_args = 2, .max_args = 2,
	.flags = CMD_MUTATES,
	.run = run_setuid,
	.complete = complete_pid_arg,
};

/* ------------------------------------------------------------------ */
/* mempools                                                            */
/* ------------------------------------------------------------------ */

static int arg_pool(struct session *s, const char *word, int *id)
{
	*id = kmem_mempool_lookup(s->m, word);
	if (*id < 0)
		return sess_error(s, "no mempool named '%s'", word);
	return 0;
}

static int run_mempool_create(struct session *s, int argc, char **argv)
{
	unsigned min_nr, order = 0;
	int cache = -1, id;

	if (arg_uint(s, argv[2], "min_nr", 65536, &min_nr))
		return -1;
	if (!strcmp(argv[3], "cache")) {
		cache = kmem_cache_lookup(s->m, argv[4]);
		if (cache < 0)
			return sess_error(s, "mempool_create: no kmem cache named "
					  "'%s'", argv[4]);
	} else if (!strcmp(argv[3], "pages")) {
		if (arg_order(s, argv[4], &order))
			return -1;
	} else {
		return sess_error(s, "mempool_create: '%s' is not 'cache' or "
				  "'pages' (usage: %s)", argv[3],
				  cmd_mempool_create.usage);
	}
	if (kmem_mempool_create(s->m, argv[1], (int)min_nr, cache, order, &id))
		return sess_error(s, "%s", kmem_last_error(s->m));
	struct kmem_mempool_info i;
	kmem_mempool_info(s->m, id, &i);
	json_str(s, "name", i.name);
	json_i64(s, "min_nr", i.min_nr);
	json_hex(s, "pool", i.pool_obj);
	if (sess_text(s))
		sess_printf(s, "mempool %s: %d element%s of %s%s%s reserved "
			    "(mempool_t at %#llx)\n", i.name, i.min_nr,
			    i.min_nr == 1 ? "" : "s", cache >= 0 ? "cache " :
			    "order-", cache >= 0 ? argv[4] : argv[4],
			    cache >= 0 ? "" : " pages",
			    (unsigned long long)i.pool_obj);
	return 0;
}

static int run_mempool_alloc(struct session *s, int argc, char **argv)
{
	int id;
	gfp_t gfp = GFP_KERNEL;
	kaddr_t e;
	bool fr;

	if (arg_pool(s, argv[1], &id))
		return -1;
	if (argc == 3 && arg_gfp(s, argv[2], &gfp))
		return -1;
	if (kmem_mempool_alloc(s->m, id, gfp, &e, &fr))
		return sess_error(s, "%s", kmem_last_error(s->m));
	json_bool(s, "from_reserve", fr);
	if (sess_text(s) && fr)
		sess_printf(s, "(the allocator failed: from the reserve)\n");
	return object_made(s, e, VALUE_MEMPOOL_BASE - id);
}

/* mempool_free through a value: `free $N` comes here too. */
int mempool_free_value(struct session *s, int id, kaddr_t e, long vidx)
{
	bool to;
	struct kmem_mempool_info i;

	if (kmem_mempool_free(s->m, id, e, &to))
		return sess_error(s, "%s", kmem_last_error(s->m));
	if (vidx >= 0)
		value_mark_freed(s, (size_t)vidx);
	kmem_mempool_info(s->m, id, &i);
	json_bool(s, "to_reserve", to);
	if (sess_text(s) && !(s->flags & SESS_QUIET))
		sess_printf(s, "mempool_free %s %#llx: %s (reserve %d/%d)\n", i.name,
			    (unsigned long long)e, to ? "refills the reserve" :
			    "reserve full, back to the allocator", i.curr_nr,
			    i.min_nr);
	return 0;
}

static int run_mempool_free(struct session *s, int argc, char **argv)
{
	int id;
	kaddr_t e;
	long vidx;

	if (arg_pool(s, argv[1], &id) || arg_kaddr(s, argv[2], &e, &vidx))
		return -1;
	return mempool_free_value(s, id, e, vidx);
}

static int run_mempool_resize(struct session *s, int argc, char **argv)
{
	int id;
	unsigned min_nr;
	gfp_t gfp = GFP_KERNEL;

	if (arg_pool(s, argv[1], &id) ||
	    arg_uint(s, argv[2], "min_nr", 65536, &min_nr))
		return -1;
	if (argc == 4 && arg_gfp(s, argv[3], &gfp))
		return -1;
	if (kmem_mempool_resize(s->m, id, (int)min_nr, gfp))
		return sess_error(s, "%s", kmem_last_error(s->m));
	struct kmem_mempool_info i;
	kmem_mempool_info(s->m, id, &i);
	json_i64(s, "min_nr", i.min_nr);
	json_i64(s, "curr_nr", i.curr_nr);
	if (sess_text(s))
		sess_printf(s, "mempool %s: min_nr %d, reserve %d%s\n", i.name,
			    i.min_nr, i.curr_nr, i.curr_nr < i.min_nr ?
			    " (the allocator could not fill it: mempool_free "
			    "tops it up)" : "");
	return 0;
}

static int run_mempool_destroy(struct session *s, int argc, char **argv)
{
	int id;

	if (arg_pool(s, argv[1], &id))
		return -1;
	if (kmem_mempool_destroy(s->m, id))
		return sess_error(s, "%s", kmem_last_error(s->m));
	if (sess_text(s))
		sess_printf(s, "mempool %s destroyed\n", argv[1]);
	return 0;
}

static void complete_pool(struct session *s, int argi, char **argv,
			  struct completion *c)
{
	int ids[64];
	struct kmem_mempool_info i;

	if (argi != 1)
		return;
	size_t n = kmem_mempool_list(s->m, ids, 64);
	for (size_t k = 0; k < n && k < 64; k++)
		if (!kmem_mempool_info(s->m, ids[k], &i))
			compl_add(c, i.name);
}

static void complete_create(struct session *s, int argi, char **argv,
			    struct completion *c)
{
	if (argi == 3) {
		compl_add(c, "cache");
		compl_add(c, "pages");
	} else if (argi == 4 && !strcmp(argv[3], "cache")) {
		int ids[512];
		struct kmem_cache_info ci;
		size_t n = kmem_cache_list(s->m, ids, 512);
		for (size_t k = 0; k < n && k < 512; k++)
			if (!kmem_cache_info(s->m, ids[k], &ci))
				compl_add(c, ci.name);
	}
}

static void complete_pool_then_value(struct session *s, int argi, char **argv,
				     struct completion *c)
{
	if (argi == 1)
		complete_pool(s, argi, argv, c);
	else if (argi == 2)
		complete_values(s, c);
}

const struct command cmd_mempool_create = {
	.name = "mempool_create",
	.usage = "mempool_create NAME MIN_NR cache CACHE|pages ORDER",
	.summary = "a pool with MIN_NR elements reserved (mm/mempool.c)",
	.example = "mempool_create bio 4 pages 0",
	.detail = "kmallocs the mempool_t and its element array, then fills "
		  "the reserve with MIN_NR objects of CACHE "
		  "(mempool_alloc_slab) or 2^ORDER lowmem pages "
		  "(mempool_alloc_pages).  If any allocation fails, everything "
		  "is given back.",
	.family = FAM_SLAB,
	.min_args = 4, .max_args = 4,
	.flags = CMD_MUTATES,
	.run = run_mempool_create,
	.complete = complete_create,
};

const struct command cmd_mempool_alloc = {
	.name = "mempool_alloc",
	.usage = "mempool_alloc NAME [GFP]",
	.summary = "an element: the allocator first, then the reserve",
	.example = "mempool_alloc bio GFP_NOIO",
	.detail = "As 2.6.20: GFP gets __GFP_NOMEMALLOC|__GFP_NORETRY|"
		  "__GFP_NOWARN and the first try drops __GFP_WAIT and "
		  "__GFP_IO (no reclaim); when it fails the top of the reserve "
		  "is taken; when that is empty a __GFP_WAIT caller tries once "
		  "more with reclaim, then would sleep until an element is "
		  "freed (here: an error).  The element becomes $N; `free $N` "
		  "gives it back through mempool_free.",
	.family = FAM_SLAB,
	.min_args = 1, .max_args = 2,
	.flags = CMD_MUTATES | CMD_VALUE,
	.run = run_mempool_alloc,
	.complete = complete_pool,
};

const struct command cmd_mempool_free = {
	.name = "mempool_free",
	.usage = "mempool_free NAME ELEMENT",
	.summary = "give an element back: refill the reserve first",
	.example = "mempool_free bio $1",
	.detail = "While the reserve holds fewer than min_nr elements the "
		  "element goes into it; otherwise it goes back to the cache "
		  "or the page allocator.  An address the pool did not hand "
		  "out is refused.",
	.family = FAM_SLAB,
	.min_args = 2, .max_args = 2,
	.flags = CMD_MUTATES,
	.run = run_mempool_free,
	.complete = complete_pool_then_value,
};

const struct command cmd_mempool_resize = {
	.name = "mempool_resize",
	.usage = "mempool_resize NAME MIN_NR [GFP]",
	.summary = "change the reserve size",
	.example = "mempool_resize bio 8",
	.detail = "Shrinking frees reserve elements above the new size. "
		  "Growing kmallocs a bigger array and fills the reserve as far "
		  "as the allocator allows; like 2.6.20 it succeeds even when it "
		  "could not fill it all.",
	.family = FAM_SLAB,
	.min_args = 2, .max_args = 3,
	.flags = CMD_MUTATES,
	.run = run_mempool_resize,
	.complete = complete_pool,
};

const struct command cmd_mempool_destroy = {
	.name = "mempool_destroy",
	.usage = "mempool_destroy NAME",
	.summary = "free the reserve and the pool",
	.example = "mempool_destroy bio",
	.detail = "Refused while elements are out, or while the reserve is "
		  "not full (2.6.20 would BUG: curr_nr != min_nr).",
	.family = FAM_SLAB,
	.min_args = 1, .max_args = 1,
	.flags = CMD_MUTATES,
	.run = run_mempool_destroy,
	.complete = complete_pool,
};

static void show_one_pool(struct session *s, int id, bool detail)
{
	struct kmem_mempool_info i;
	char what[48];

	kmem_mempool_info(s->m, id, &i);
	if (i.cache_id >= 0) {
		struct kmem_cache_info ci;
		if (kmem_cache_info(s->m, i.cache_id, &ci))
			snprintf(what, sizeof what, "cache %d", i.cache_id);
		else
			snprintf(what, sizeof what, "cache %s", ci.name);
	} else {
		snprintf(what, sizeof what, "order-%u pages", i.order);
	}
	json_begin_object(s, NULL);
	json_str(s, "name", i.name);
	json_str(s, "elements", what);
	json_i64(s, "min_nr", i.min_nr);
	json_i64(s, "curr_nr", i.curr_nr);
	json_u64(s, "out", i.out);
	json_u64(s, "allocs", i.allocs);
	json_u64(s, "from_reserve", i.from_reserve);
	json_u64(s, "frees", i.frees);
	json_u64(s, "to_reserve", i.to_reserve);
	json_u64(s, "failures", i.failures);
	json_end_object(s);
	if (!sess_text(s))
		return;
	sess_printf(s, "%-16s %-22s %6d %7d %5lu %7lu %8lu %6lu %8lu %5lu\n",
		    i.name, what, i.min_nr, i.curr_nr, i.out, i.allocs,
		    i.from_reserve, i.frees, i.to_reserve, i.failures);
	if (detail) {
		kaddr_t *e = calloc((size_t)i.curr_nr + 1, sizeof *e);
		if (!e)
			cli_oom();
		size_t n = kmem_mempool_reserve(s->m, id, e, (size_t)i.curr_nr);
		sess_printf(s, "mempool_t %#llx, elements[] %#llx\nreserve "
			    "(top first):", (unsigned long long)i.pool_obj,
			    (unsigned long long)i.elements_obj);
		for (size_t k = n; k-- > 0;)
			sess_printf(s, " %#llx", (unsigned long long)e[k]);
		sess_printf(s, "%s\n", n ? "" : " (empty)");
		free(e);
	}
}

static int show_mempool(struct session *s, int argc, char **argv)
{
	int ids[256], one = -1;

	if (argc == 2 && arg_pool(s, argv[1], &one))
		return -1;
	size_t n = one >= 0 ? 1 : kmem_mempool_list(s->m, ids, 256);
	if (one >= 0)
		ids[0] = one;
	if (!n) {
		json_begin_array(s, "pools");
		json_end_array(s);
		if (sess_text(s))
			sess_printf(s, "no mempools\n");
		return 0;
	}
	if (sess_text(s))
		sess_printf(s, "%-16s %-22s %6s %7s %5s %7s %8s %6s %8s %5s\n",
			    "NAME", "ELEMENTS", "MIN_NR", "CURR_NR", "OUT",
			    "ALLOCS", "RESERVED", "FREES", "REFILLED", "FAIL");
	json_begin_array(s, "pools");
	for (size_t k = 0; k < n && k < 256; k++)
		show_one_pool(s, ids[k], one >= 0);
	json_end_array(s);
	return 0;
}

const struct command show_mempool_entry = {
	.name = "mempool", .usage = "show mempool [NAME]",
	.summary = "mempools: reserve size and fill, elements out, fallbacks",
	.example = "show mempool",
	.detail = "One line per pool: min_nr, curr_nr (elements in the "
		  "reserve), elements out, allocations and how many came from "
		  "the reserve, frees and how many refilled it, failures.  With "
		  "NAME, also the reserve's elements, top (next out) first.",
	.family = FAM_SHOW, .min_args = 0, .max_args = 1, .run = show_mempool,
	.complete = complete_pool,
};
