/*
 * cmd_machine.c - controls of the simulated machine as a whole: the CPU
 * that runs the next operation, simulated time, the kernel log, the
 * invariant checkers, reboot and the random seed.
 *
 *   cpu [N]      kmem_set_cpu         (per-CPU lists are per CPU)
 *   tick [N]     kmem_tick            jiffies, HZ=250
 *   dmesg        kmem_dmesg           boot log and every printk since
 *   check        kmem_check           every subsystem's invariants
 *   reset        destroy + create     same configuration, history cleared
 *   seed N       kmem_set_seed
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <string.h>

#include "cli.h"

static int run_cpu(struct session *s, int argc, char **argv)
{
	unsigned cpu;

	if (argc > 1) {
		if (arg_cpu(s, argv[1], &cpu))
			return -1;
		if (kmem_set_cpu(s->m, cpu))
			return sess_error(s, "%s", kmem_last_error(s->m));
		kmem_machine_info(s->m, &s->info);
	}
	cpu = s->info.cur_cpu;
	json_u64(s, "cpu", cpu);
	json_u64(s, "node", kmem_cpu_to_node(s->m, cpu));
	if (sess_text(s))
		sess_printf(s, "cpu %u (node %u)\n", cpu,
			    kmem_cpu_to_node(s->m, cpu));
	return 0;
}

static int run_tick(struct session *s, int argc, char **argv)
{
	uint64_t n = 1;
	struct kmem_machine_info mi;

	if (argc > 1 && arg_u64(s, argv[1], "tick count", &n))
		return -1;
	if (kmem_tick(s->m, n))
		return sess_error(s, "%s", kmem_last_error(s->m));
	kmem_machine_info(s->m, &mi);
	json_u64(s, "jiffies", mi.jiffies);
	if (sess_text(s))
		sess_printf(s, "jiffies %llu (%llu.%03llu s)\n",
			    (unsigned long long)mi.jiffies,
			    (unsigned long long)(mi.jiffies / KMEM_HZ),
			    (unsigned long long)(mi.jiffies % KMEM_HZ * 1000 /
						 KMEM_HZ));
	return 0;
}

static int run_dmesg(struct session *s, int argc, char **argv)
{
	size_t len;
	const char *log = kmem_dmesg(s->m, &len);

	if (sess_json(s)) {
		json_begin_array(s, "lines");
		const char *p = log, *end = log + len;
		struct kbuf line;
		kbuf_init(&line);
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
			kbuf_reset(&line);
			kbuf_append(&line, p, n);
			json_str(s, NULL, line.data);
			p += n + 1;
		}
		kbuf_free(&line);
		json_end_array(s);
		return 0;
	}
	sess_write(s, log, len);
	return 0;
}

static int run_check(struct session *s, int argc, char **argv)
{
	char report[512];

	if (!kmem_check(s->m, report, sizeof report))
		return sess_error(s, "invariant broken: %s", report);
	json_bool(s, "consistent", true);
	if (sess_text(s))
		sess_printf(s, "all invariants hold\n");
	return 0;
}

static int run_reset(struct session *s, int argc, char **argv)
{
	char err[256];

	if (session_boot(s, err, sizeof err))
		return sess_error(s, "reset: %s", err);
	json_str(s, "machine", machine_name(s));
	if (sess_text(s))
		sess_printf(s, "rebooted %s; the value history is empty\n",
			    machine_name(s));
	return 0;
}

static int run_seed(struct session *s, int argc, char **argv)
{
	uint64_t seed;

	if (argc == 1) {
		struct kmem_machine_info mi;
		kmem_machine_info(s->m, &mi);
		json_u64(s, "seed", mi.seed);
		if (sess_text(s))
			sess_printf(s, "seed state %llu\n",
				    (unsigned long long)mi.seed);
		return 0;
	}
	if (arg_u64(s, argv[1], "seed", &seed))
		return -1;
	kmem_set_seed(s->m, seed);
	json_u64(s, "seed", seed);
	if (sess_text(s))
		sess_printf(s, "seed state %llu\n", (unsigned long long)seed);
	return 0;
}

static void complete_cpu(struct session *s, int argi, char **argv,
			 struct completion *c)
{
	for (unsigned i = 0; argi == 1 && i < s->info.cpus; i++) {
		char b[16];
		snprintf(b, sizeof b, "%u", i);
		compl_add(c, b);
	}
}

const struct command cmd_cpu = {
	.name = "cpu",
	.usage = "cpu [N]",
	.summary = "select (or show) the CPU that runs commands",
	.example = "cpu 1",
	.detail = "Order-0 pages come from and go back to the current CPU's "
		  "per-CPU lists, and alloc_pages uses its node.",
	.family = FAM_MACHINE,
	.min_args = 0, .max_args = 1,
	.flags = CMD_MUTATES,
	.run = run_cpu,
	.complete = complete_cpu,
};

const struct command cmd_tick = {
	.name = "tick",
	.usage = "tick [N]",
	.summary = "advance time by N jiffies (HZ=250)",
	.example = "tick 250",
	.detail = "Timers due on the way run in time order: cache_reap "
		  "(SLAB) or SLOB's page return, pdflush's wb_kupdate every "
		  "dirty_writeback_centisecs, then kswapd if it waits for "
		  "ticks (`kswapd mode tick`).  The simulated disk works through "
		  "its queues meanwhile (`disk`).  Waits for the disk, "
		  "congestion_wait and `run` move the clock too.",
	.family = FAM_MACHINE,
	.min_args = 0, .max_args = 1,
	.flags = CMD_MUTATES,
	.run = run_tick,
};

const struct command cmd_dmesg = {
	.name = "dmesg",
	.usage = "dmesg",
	.summary = "the kernel log: boot messages and printk",
	.example = "dmesg",
	.family = FAM_MACHINE,
	.min_args = 0, .max_args = 0,
	.run = run_dmesg,
};

const struct command cmd_check = {
	.name = "check",
	.usage = "check",
	.summary = "run every invariant checker",
	.example = "check",
	.detail = "The --check option (and KMEMLAB_CHECK=1) runs the same "
		  "checkers after every command.",
	.family = FAM_MACHINE,
	.min_args = 0, .max_args = 0,
	.run = run_check,
};

const struct command cmd_reset = {
	.name = "reset",
	.usage = "reset",
	.summary = "reboot the machine from the same configuration",
	.example = "reset",
	.detail = "The value history and its names are cleared; trace and "
		  "output settings stay.",
	.family = FAM_MACHINE,
	.min_args = 0, .max_args = 0,
	.flags = CMD_MUTATES,
	.run = run_reset,
};

const struct command cmd_seed = {
	.name = "seed",
	.usage = "seed [N]",
	.summary = "set (or show) the random seed",
	.example = "seed 42",
	.family = FAM_MACHINE,
	.min_args = 0, .max_args = 1,
	.flags = CMD_MUTATES,
	.run = run_seed,
};
