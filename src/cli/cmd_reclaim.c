/*
 * cmd_reclaim.c - memory-pressure commands: kswapd, reclaim, sync, disk,
 * lru_add_drain, access, and `show lru` / `show writeback`.
 *
 *   kswapd [NODE|all]        one balance_pgdat pass by hand
 *   kswapd mode [command|tick]  when woken kswapds run
 *   reclaim [NODE] [GFP]     try_to_free_pages, as an allocation would
 *   sync                     every dirty page to disk
 *   lru_add_drain [all]      pagevecs onto the LRU lists
 *   access PID ADDR [LEN] [read|write]   a program touching its memory
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int arg_node(struct session *s, const char *word, int *nid)
{
	unsigned n;

	if (!strcmp(word, "all")) {
		*nid = -1;
		return 0;
	}
	if (arg_uint(s, word, "node", s->info.nr_nodes ? s->info.nr_nodes - 1 : 0,
		     &n))
		return -1;
	*nid = (int)n;
	return 0;
}

static int run_kswapd(struct session *s, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "mode")) {
		if (argc == 2) {
			bool t = kmem_kswapd_on_tick(s->m);
			json_str(s, "mode", t ? "tick" : "command");
			if (sess_text(s))
				sess_printf(s, "kswapd runs %s\n", t ?
					    "on tick only" :
					    "when the command that woke it ends");
			return 0;
		}
		if (!strcmp(argv[2], "tick"))
			kmem_kswapd_set_on_tick(s->m, true);
		else if (!strcmp(argv[2], "command"))
			kmem_kswapd_set_on_tick(s->m, false);
		else
			return sess_error(s, "kswapd mode: '%s' is not 'command' "
					  "or 'tick'", argv[2]);
		json_str(s, "mode", argv[2]);
		if (sess_text(s))
			sess_printf(s, "kswapd mode: %s\n", argv[2]);
		return 0;
	}
	if (argc > 2)
		return sess_error(s, "kswapd: too many arguments (usage: %s)",
				  cmd_kswapd.usage);
	int nid = -1;
	if (argc == 2 && arg_node(s, argv[1], &nid))
		return -1;
	unsigned long before = 0, n = 0;
	struct kmem_machine_info mi;
	kmem_machine_info(s->m, &mi);
	before = mi.nr_free_pages;
	if (kmem_kswapd(s->m, nid, &n))
		return sess_error(s, "%s", kmem_last_error(s->m));
	kmem_machine_info(s->m, &mi);
	json_u64(s, "reclaimed", n);
	json_u64(s, "free_pages", mi.nr_free_pages);
	if (sess_text(s))
		sess_printf(s, "kswapd: reclaimed %lu pages; free %lu -> %lu\n",
			    n, before, mi.nr_free_pages);
	return 0;
}

static void complete_kswapd(struct session *s, int argi, char **argv,
			    struct completion *c)
{
	(void)s;
	if (argi == 1) {
		compl_add(c, "all");
		compl_add(c, "mode");
	} else if (argi == 2 && !strcmp(argv[1], "mode")) {
		compl_add(c, "command");
		compl_add(c, "tick");
	}
}

const struct command cmd_kswapd = {
	.name = "kswapd",
	.usage = "kswapd [NODE|all|mode] [command|tick]",
	.summary = "run kswapd's balance_pgdat by hand, or say when it runs",
	.example = "kswapd",
	.detail = "kswapd is woken by the allocator when every zone of a "
		  "zonelist is below pages_low.  By default a woken kswapd runs "
		  "as soon as the command that woke it finishes, so its effect "
		  "shows at once; `kswapd mode tick` makes it wait for `tick`, "
		  "as a busy CPU would.  `kswapd [NODE]` runs one pass now, "
		  "woken or not: balance_pgdat's priority loop from 12 down "
		  "until every zone is above pages_high.  Watch it with "
		  "`trace on`.",
	.family = FAM_PAGE,
	.min_args = 0, .max_args = 2,
	.flags = CMD_MUTATES,
	.run = run_kswapd,
	.complete = complete_kswapd,
};

static int run_reclaim(struct session *s, int argc, char **argv)
{
	int nid = 0;
	gfp_t gfp = 0xd0;               /* GFP_KERNEL */

	for (int i = 1; i < argc; i++) {
		if (looks_like_gfp(argv[i])) {
			if (arg_gfp(s, argv[i], &gfp))
				return -1;
		} else if (arg_node(s, argv[i], &nid)) {
			return -1;
		} else if (nid < 0) {
			return sess_error(s, "reclaim: give one node, not 'all'");
		}
	}
	unsigned long n = 0;
	bool progress = false;
	if (kmem_try_to_free_pages(s->m, nid, gfp, &n, &progress))
		return sess_error(s, "%s", kmem_last_error(s->m));
	json_u64(s, "reclaimed", n);
	json_bool(s, "progress", progress);
	if (sess_text(s))
		sess_printf(s, "try_to_free_pages: reclaimed %lu page%s, %s\n", n,
			    n == 1 ? "" : "s", progress ? "progress" :
			    "no progress: every zone unreclaimable");
	return 0;
}

const struct command cmd_reclaim = {
	.name = "reclaim",
	.usage = "reclaim [NODE] [GFP]",
	.summary = "direct reclaim by hand: try_to_free_pages on a zonelist",
	.example = "reclaim GFP_KERNEL",
	.detail = "Runs what an allocation runs in the __alloc_pages slow path "
		  "when kswapd could not keep up: try_to_free_pages over the "
		  "zonelist GFP selects on NODE (default node 0, GFP_KERNEL), "
		  "priority 12 down to 0 until 32 pages are freed.  It counts "
		  "allocstall and pgscan_direct_* as a real stall would.",
	.family = FAM_PAGE,
	.min_args = 0, .max_args = 2,
	.flags = CMD_MUTATES,
	.run = run_reclaim,
	.complete = complete_gfp_arg,
};

static int run_sync(struct session *s, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	unsigned long n = 0;
	struct kmem_disk_info d0, d1;
	kmem_disk_info(s->m, &d0);
	kmem_sync(s->m, &n);
	kmem_disk_info(s->m, &d1);
	uint64_t waited = d1.wait_us - d0.wait_us;
	json_u64(s, "written", n);
	json_u64(s, "wait_us", waited);
	if (sess_text(s)) {
		char b[32];
		sess_printf(s, "sync: %lu pages written", n);
		if (waited)
			sess_printf(s, ", waited %s for the disk",
				    fmt_ms(b, sizeof b, waited));
		sess_printf(s, "\n");
	}
	return 0;
}

const struct command cmd_sync = {
	.name = "sync",
	.usage = "sync",
	.summary = "write every dirty page-cache page to disk",
	.example = "sync",
	.detail = "sys_sync: every inode with dirty pages, oldest dirtied "
		  "first, is written (pgpgout counts 8 sectors a page), and "
		  "the command waits until the disk has done every queued "
		  "write (see `disk`).",
	.family = FAM_PAGE,
	.min_args = 0, .max_args = 0,
	.flags = CMD_MUTATES,
	.run = run_sync,
};

static void print_disk(struct session *s, const struct kmem_disk_info *d)
{
	char b1[32], b2[32], b3[32];

	sess_printf(s, "disk: %u MiB/s; %lu pages read in %lu requests, %lu "
		    "written; %lu waits, %s waited in all\n",
		    d->rate_mibs, d->pages_read, d->read_requests,
		    d->pages_written, d->waits, fmt_ms(b1, sizeof b1, d->wait_us));
	sess_printf(s, "  queued now: reads %s of work (%lu pages in flight), "
		    "writes %s\n", fmt_ms(b2, sizeof b2, d->read_backlog_us),
		    d->reads_in_flight, fmt_ms(b3, sizeof b3, d->write_backlog_us));
}

static void json_disk(struct session *s, const struct kmem_disk_info *d)
{
	json_u64(s, "disk_rate_mibs", d->rate_mibs);
	json_u64(s, "disk_pages_read", d->pages_read);
	json_u64(s, "disk_read_requests", d->read_requests);
	json_u64(s, "disk_pages_written", d->pages_written);
	json_u64(s, "disk_read_backlog_us", d->read_backlog_us);
	json_u64(s, "disk_write_backlog_us", d->write_backlog_us);
	json_u64(s, "disk_reads_in_flight", d->reads_in_flight);
	json_u64(s, "disk_waits", d->waits);
	json_u64(s, "disk_wait_us", d->wait_us);
}

static int run_disk(struct session *s, int argc, char **argv)
{
	struct kmem_disk_info d;

	if (argc == 2) {
		unsigned rate;
		if (arg_uint(s, argv[1], "rate (MiB/s)", KMEM_DISK_MAX_RATE,
			     &rate))
			return -1;
		if (kmem_disk_set_rate(s->m, rate))
			return sess_error(s, "%s", kmem_last_error(s->m));
	}
	kmem_disk_info(s->m, &d);
	json_disk(s, &d);
	if (sess_text(s))
		print_disk(s, &d);
	return 0;
}

const struct command cmd_disk = {
	.name = "disk",
	.usage = "disk [RATE]",
	.summary = "the simulated disk: its speed, queues and waits",
	.example = "disk 10",
	.detail = "One disk serves files and swap at RATE MiB per second of "
		  "simulated time (default 40; 1 to 100000).  Reads go before "
		  "queued writes.  read(2), file and swap faults wait for the "
		  "read that brings their page, fsync for the file's writes, "
		  "sync for every write: the clock moves on while they wait "
		  "(kept to 2^-20 jiffy: jiffies is its whole part).  "
		  "pdflush, kswapd and direct reclaim only queue.  "
		  "Page flags do not wait: a written page is clean at once.  "
		  "With RATE, sets the speed for what is queued from now on.",
	.family = FAM_PAGE,
	.min_args = 0, .max_args = 1,
	.flags = CMD_MUTATES,
	.run = run_disk,
};

static int run_lru_add_drain(struct session *s, int argc, char **argv)
{
	bool all = argc == 2;

	if (all && strcmp(argv[1], "all"))
		return sess_error(s, "lru_add_drain: '%s' is not 'all'", argv[1]);
	kmem_lru_add_drain(s->m, all);
	if (sess_text(s))
		sess_printf(s, "%s pagevecs drained onto the LRU lists\n",
			    all ? "every CPU's" : "this CPU's");
	return 0;
}

static void complete_all(struct session *s, int argi, char **argv,
			 struct completion *c)
{
	(void)s;
	(void)argv;
	if (argi == 1)
		compl_add(c, "all");
}

const struct command cmd_lru_add_drain = {
	.name = "lru_add_drain",
	.usage = "lru_add_drain [all]",
	.summary = "move pages waiting in per-CPU pagevecs onto the LRU",
	.example = "lru_add_drain all",
	.detail = "New pages wait in the current CPU's lru_add pagevec (14 "
		  "pages, holding a reference) until it fills.  lru_add_drain "
		  "flushes this CPU's; `all` every CPU's (lru_add_drain_all).",
	.family = FAM_PAGE,
	.min_args = 0, .max_args = 1,
	.flags = CMD_MUTATES,
	.run = run_lru_add_drain,
	.complete = complete_all,
};

static int run_access(struct session *s, int argc, char **argv)
{
	unsigned pid;
	uint64_t addr, len = 1;
	bool write = false;
	int i = 3;

	if (arg_uint(s, argv[1], "pid", 1u << 30, &pid) ||
	    arg_uaddr(s, argv[2], &addr))
		return -1;
	if (argc > 3 && strcmp(argv[3], "read") && strcmp(argv[3], "write")) {
		if (arg_size(s, argv[3], "length", &len))
			return -1;
		i = 4;
	}
	if (argc > i) {
		if (!strcmp(argv[i], "write"))
			write = true;
		else if (strcmp(argv[i], "read"))
			return sess_error(s, "access: '%s' is not 'read' or "
					  "'write'", argv[i]);
		i++;
	}
	if (argc > i)
		return sess_error(s, "access: too many arguments (usage: %s)",
				  cmd_access.usage);
	unsigned long faulted = 0;
	if (kmem_access(s->m, (int)pid, addr, len, write, &faulted))
		return sess_error(s, "%s", kmem_last_error(s->m));
	unsigned long pages = (unsigned long)(((addr + len + 4095) >> 12) -
					      (addr >> 12));
	json_u64(s, "pages", pages);
	json_u64(s, "faults", faulted);
	if (sess_text(s))
		sess_printf(s, "pid %u %s %lu page%s: accessed bits set, %lu "
			    "fault%s\n", pid, write ? "wrote" : "read", pages,
			    pages == 1 ? "" : "s", faulted,
			    faulted == 1 ? "" : "s");
	return 0;
}

const struct command cmd_access = {
	.name = "access",
	.usage = "access PID ADDR [LEN] [read|write]",
	.summary = "a program touching its memory: set PTE accessed bits",
	.example = "access 1 0x8048000 4k",
	.detail = "What the MMU does while a task runs: every page in the "
		  "range gets its PTE's accessed (young) bit, and the dirty bit "
		  "for a write; a page that is not present faults first.  "
		  "page_referenced finds the young bits when reclaim ages the "
		  "page, so accessed pages stay active.",
	.family = FAM_PAGE,
	.min_args = 2, .max_args = 4,
	.flags = CMD_MUTATES,
	.run = run_access,
};

/* ------------------------------------------------------------------ */
/* show lru, show writeback                                            */
/* ------------------------------------------------------------------ */

static void lru_flags(struct session *s, unsigned long pfn, char *buf)
{
	struct kmem_page_info pi;
	size_t n = 0;

	kmem_page_info(s->m, pfn, &pi);
	if (pi.flags & (1u << 2))
		buf[n++] = 'R';
	if (pi.flags & (1u << 4))
		buf[n++] = 'D';
	if (pi.flags & (1u << 12))
		buf[n++] = 'W';
	if (pi.flags & (1u << 15))
		buf[n++] = 'S';
	if (pi.mapcount > 0)
		buf[n++] = 'M';
	if (pi.mapping & 1u)
		buf[n++] = 'A';
	buf[n] = '\0';
}

static void show_list(struct session *s, int nid, int z, bool active,
		      size_t limit)
{
	unsigned long pfns[64];
	size_t want = limit < 64 ? limit : 64;
	size_t n = kmem_zone_lru_pfns(s->m, nid, z, active, pfns, want);
	char fb[8];

	sess_printf(s, "  %-8s head", active ? "active" : "inactive");
	for (size_t i = 0; i < n && i < want; i++) {
		lru_flags(s, pfns[i], fb);
		sess_printf(s, " %lx%s%s", pfns[i], *fb ? ":" : "", fb);
	}
	sess_printf(s, "%s tail\n", n > want ? " ..." : "");
}

static int show_lru(struct session *s, int argc, char **argv)
{
	int nid = -1, zidx = -1;
	unsigned limit = 8;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "all")) {
			limit = 64;
			continue;
		}
		if (arg_zone(s, argv[i], &nid, &zidx))
			return -1;
	}
	json_begin_array(s, "zones");
	for (unsigned n = 0; n < s->info.nr_nodes; n++)
		for (int z = 0; z < KMEM_MAX_NR_ZONES; z++) {
			struct kmem_lru_info l;
			struct kmem_zone_info zi;
			if ((nid >= 0 && (int)n != nid) || (zidx >= 0 && z != zidx))
				continue;
			if (kmem_zone_info(s->m, (int)n, z, &zi) || !zi.populated)
				continue;
			kmem_zone_lru(s->m, (int)n, z, &l);
			json_begin_object(s, NULL);
			json_u64(s, "node", n);
			json_str(s, "zone", zone_name(s, (int)n, z));
			json_u64(s, "nr_active", l.nr_active);
			json_u64(s, "nr_inactive", l.nr_inactive);
			json_u64(s, "pagevec_active", l.pvec_active);
			json_u64(s, "pagevec_inactive", l.pvec_inactive);
			json_u64(s, "pages_scanned", l.pages_scanned);
			json_i64(s, "prev_priority", l.prev_priority);
			json_bool(s, "all_unreclaimable", l.all_unreclaimable);
			json_end_object(s);
			if (!sess_text(s))
				continue;
			char zb[48];
			sess_printf(s, "%s: active %lu, inactive %lu, in pagevecs "
				    "%u+%u, scanned %lu (a: %lu i: %lu), "
				    "prev_priority %d%s\n",
				    zone_label(s, (int)n, z, zb, sizeof zb),
				    l.nr_active, l.nr_inactive, l.pvec_active,
				    l.pvec_inactive, l.pages_scanned,
				    l.nr_scan_active, l.nr_scan_inactive,
				    l.prev_priority, l.all_unreclaimable ?
				    ", all_unreclaimable" : "");
			if (l.nr_active)
				show_list(s, (int)n, z, true, limit);
			if (l.nr_inactive)
				show_list(s, (int)n, z, false, limit);
		}
	json_end_array(s);
	if (sess_text(s))
		sess_printf(s, "flags: R referenced, D dirty, W writeback, S swap "
			    "cache, M mapped, A anonymous\n");
	return 0;
}

const struct command show_lru_entry = {
	.name = "lru", .usage = "show lru [ZONE] [all]",
	.summary = "the active and inactive lists, head (newest) to tail",
	.example = "show lru Normal",
	.detail = "Per zone: list sizes, pages still waiting in pagevecs, the "
		  "reclaim scan accumulators and prev_priority, then the first "
		  "8 pages of each list from the head (`all`: 64).  Reclaim "
		  "takes pages from the tail.",
	.family = FAM_SHOW, .min_args = 0, .max_args = 2, .run = show_lru,
	.complete = complete_zone_arg,
};

static int show_writeback(struct session *s, int argc, char **argv)
{
	struct kmem_dirty_info d;
	struct kmem_reclaim_info r;
	struct kmem_disk_info disk;

	(void)argc;
	(void)argv;
	kmem_dirty_limits(s->m, &d);
	kmem_reclaim_info(s->m, &r);
	json_u64(s, "nr_dirty", d.nr_dirty);
	json_u64(s, "nr_writeback", d.nr_writeback);
	json_u64(s, "background_thresh", d.background_thresh);
	json_u64(s, "dirty_thresh", d.dirty_thresh);
	json_u64(s, "ratelimit_pages", d.ratelimit_pages);
	json_bool(s, "dirty_exceeded", d.dirty_exceeded);
	json_u64(s, "throttled", d.throttled);
	json_u64(s, "kswapd_runs", r.kswapd_runs);
	json_u64(s, "direct_reclaims", r.direct_runs);
	kmem_disk_info(s->m, &disk);
	json_disk(s, &disk);
	if (!sess_text(s))
		return 0;
	sess_printf(s, "dirty %lu pages, writeback %lu\n", d.nr_dirty,
		    d.nr_writeback);
	sess_printf(s, "background_thresh %lu pages, dirty_thresh %lu pages "
		    "(get_dirty_limits)\n", d.background_thresh, d.dirty_thresh);
	sess_printf(s, "ratelimit_pages %lu, dirty_exceeded %s, writers "
		    "throttled %lu times\n", d.ratelimit_pages,
		    d.dirty_exceeded ? "yes" : "no", d.throttled);
	sess_printf(s, "pdflush: wb_kupdate ran %lu times, background_writeout "
		    "%lu times\n", r.wb_kupdate_runs, r.background_runs);
	sess_printf(s, "kswapd: %lu runs (mode %s); direct reclaim: %lu; "
		    "congestion waits: %lu\n", r.kswapd_runs,
		    r.kswapd_on_tick ? "tick" : "command", r.direct_runs,
		    r.congestion_waits);
	print_disk(s, &disk);
	return 0;
}

const struct command show_writeback_entry = {
	.name = "writeback", .usage = "show writeback",
	.summary = "dirty limits, throttling, pdflush and kswapd activity",
	.example = "show writeback",
	.detail = "get_dirty_limits' thresholds (vm.dirty_ratio and "
		  "dirty_background_ratio of the lowmem pages, lowered when much "
		  "memory is mapped), the dirty and writeback page counts, and "
		  "how often writers were throttled and the background threads "
		  "ran, and the simulated disk's queues (as `disk`).",
	.family = FAM_SHOW, .min_args = 0, .max_args = 0, .run = show_writeback,
};

/* ------------------------------------------------------------------ */
/* migrate_pages                                                       */
/* ------------------------------------------------------------------ */

static int run_migrate_pages(struct session *s, int argc, char **argv)
{
	unsigned pid, from, to;
	struct kmem_migrate_info mi;

	(void)argc;
	if (arg_uint(s, argv[1], "pid", 1u << 30, &pid) ||
	    arg_uint(s, argv[2], "node", 1u << 10, &from) ||
	    arg_uint(s, argv[3], "node", 1u << 10, &to))
		return -1;
	if (kmem_migrate_pages(s->m, (int)pid, (int)from, (int)to, &mi))
		return sess_error(s, "%s", kmem_last_error(s->m));
	json_u64(s, "scanned", mi.scanned);
	json_u64(s, "moved", mi.moved);
	json_u64(s, "shared", mi.shared);
	json_u64(s, "busy", mi.busy);
	json_u64(s, "nomem", mi.nomem);
	if (!sess_text(s))
		return 0;
	if (from == to) {
		sess_printf(s, "migrate_pages: source and target are node %u: "
			    "nothing to do\n", from);
		return 0;
	}
	sess_printf(s, "migrate_pages: pid %u node %u -> %u: %lu of %lu pages "
		    "moved", pid, from, to, mi.moved, mi.scanned);
	if (mi.shared)
		sess_printf(s, ", %lu shared with other tasks (left)", mi.shared);
	if (mi.busy)
		sess_printf(s, ", %lu busy", mi.busy);
	if (mi.nomem)
		sess_printf(s, ", %lu without a free page on node %u", mi.nomem,
			    to);
	sess_printf(s, "\n");
	return 0;
}

const struct command cmd_migrate_pages = {
	.name = "migrate_pages",
	.usage = "migrate_pages PID FROM TO",
	.summary = "move a task's pages from one node to another (mm/migrate.c)",
	.example = "migrate_pages 1 0 1",
	.detail = "sys_migrate_pages for an unprivileged caller (MPOL_MF_MOVE): "
		  "after lru_add_drain_all, every page of the task on node FROM "
		  "that no other task maps is taken off the LRU, a page is "
		  "allocated on node TO (GFP_HIGHUSER|GFP_THISNODE), the bytes, "
		  "flags and page-cache slot move, every PTE is pointed at the "
		  "new page and the old one is freed.  Shared pages stay.  Only "
		  "multi-node machines (x86_64-numa) have two nodes.",
	.family = FAM_PAGE,
	.min_args = 3, .max_args = 3,
	.flags = CMD_MUTATES,
	.run = run_migrate_pages,
};

/* ------------------------------------------------------------------ */
/* stress: reproducible pressure                                       */
/* ------------------------------------------------------------------ */

#define STRESS_CHUNK (1ULL << 20)       /* bytes a "system call" */

/* The background threads run between the workload's steps, as they
 * would get the CPU between a real program's system calls. */
static int stress_touch(struct session *s, int pid, uint64_t a, uint64_t len,
			bool write, unsigned long *faults)
{
	for (uint64_t off = 0; off < len; off += STRESS_CHUNK) {
		uint64_t n = len - off < STRESS_CHUNK ? len - off : STRESS_CHUNK;
		struct kmem_touch_info ti;
		if (kmem_touch(s->m, pid, a + off, n, write, &ti))
			return -1;
		*faults += ti.minor + ti.major;
		kmem_background(s->m);
	}
	return 0;
}

/* Re-access a seeded quarter of the pages: the hot set. */
static int stress_hot(struct session *s, int pid, uint64_t a, uint64_t len,
		      const char *file)
{
	uint64_t pages = len >> 12;

	for (uint64_t i = 0; i < pages / 4; i++) {
		uint64_t pg = kmem_random(s->m) % pages;
		int rc = file ? kmem_file_read(s->m, file, pg << 12, 4096, NULL)
			      : kmem_access(s->m, pid, a + (pg << 12), 1, false,
					    NULL);
		if (rc)
			return -1;
		if ((i & 255) == 255)
			kmem_background(s->m);
	}
	return 0;
}

static int stress_anon(struct session *s, unsigned pid, uint64_t size)
{
	uint64_t a;
	unsigned long faults = 0;

	if (kmem_mmap(s->m, (int)pid, 0, size, KMEM_PROT_READ | KMEM_PROT_WRITE,
		      KMEM_MAP_PRIVATE | KMEM_MAP_ANONYMOUS, NULL, 0, &a))
		return sess_error(s, "stress anon: %s", kmem_last_error(s->m));
	if (stress_touch(s, (int)pid, a, size, true, &faults) ||
	    stress_hot(s, (int)pid, a, size, NULL))
		return sess_error(s, "stress anon: %s", kmem_last_error(s->m));
	json_hex(s, "addr", a);
	json_u64(s, "faults", faults);
	if (sess_text(s))
		sess_printf(s, "stress anon: pid %u wrote %llu kB at %#llx (%lu "
			    "faults), then re-read a seeded quarter\n", pid,
			    (unsigned long long)(size >> 10),
			    (unsigned long long)a, faults);
	return 0;
}

static int stress_file(struct session *s, const char *name, uint64_t size)
{
	struct kmem_file_info fi;

	if (kmem_file_info(s->m, name, &fi)) {
		if (kmem_file_create(s->m, name, size))
			return sess_error(s, "%s", kmem_last_error(s->m));
	}
	for (uint64_t off = 0; off < size; off += STRESS_CHUNK) {
		uint64_t n = size - off < STRESS_CHUNK ? size - off : STRESS_CHUNK;
		if (kmem_file_read(s->m, name, off, n, NULL))
			return sess_error(s, "stress file: %s",
					  kmem_last_error(s->m));
		kmem_background(s->m);
	}
	if (stress_hot(s, 0, 0, size, name))
		return sess_error(s, "stress file: %s", kmem_last_error(s->m));
	if (sess_text(s))
		sess_printf(s, "stress file: read %s (%llu kB), then a seeded "
			    "quarter again\n", name,
			    (unsigned long long)(size >> 10));
	return 0;
}

static int run_stress(struct session *s, int argc, char **argv)
{
	const char *kind = argv[1];
	uint64_t size;
	unsigned pid;

	if (!strcmp(kind, "dcache")) {
		uint64_t n;
		if (argc != 3)
			return sess_error(s, "usage: stress dcache N");
		if (arg_u64(s, argv[2], "count", &n))
			return -1;
		unsigned long made = 0;
		int rc = kmem_dcache_walk(s->m, n, &made);
		json_u64(s, "dentries", made);
		if (sess_text(s))
			sess_printf(s, "stress dcache: walked %lu names: %lu unused "
				    "dentries and inodes cached\n", made, made);
		return rc ? sess_error(s, "%s", kmem_last_error(s->m)) : 0;
	}
	if (argc != 4)
		return sess_error(s, "usage: %s", cmd_stress.usage);
	if (arg_size(s, argv[3], "size", &size))
		return -1;
	if (!size || size & 4095)
		return sess_error(s, "stress: size must be a non-zero multiple "
				  "of 4k");
	if (!strcmp(kind, "file"))
		return stress_file(s, argv[2], size);
	if (arg_uint(s, argv[2], "pid", 1u << 30, &pid))
		return -1;
	if (!strcmp(kind, "anon"))
		return stress_anon(s, pid, size);
	if (!strcmp(kind, "mixed")) {
		char name[32];
		snprintf(name, sizeof name, "stress.%u", pid);
		if (stress_anon(s, pid, size / 2 & ~4095ULL))
			return -1;
		return stress_file(s, name, size / 2 & ~4095ULL);
	}
	return sess_error(s, "stress: unknown workload '%s' (anon, file, mixed, "
			  "dcache)", kind);
}

static void complete_stress(struct session *s, int argi, char **argv,
			    struct completion *c)
{
	(void)s;
	(void)argv;
	if (argi == 1) {
		compl_add(c, "anon");
		compl_add(c, "file");
		compl_add(c, "mixed");
		compl_add(c, "dcache");
	}
}

const struct command cmd_stress = {
	.name = "stress",
	.usage = "stress anon|mixed|file|dcache PID|NAME|N [SIZE]",
	.summary = "create memory pressure reproducibly",
	.example = "stress file big 40M",
	.detail = "anon: the task maps SIZE of anonymous memory and writes every "
		  "page; file: NAME (created if needed) is read from start to "
		  "end; mixed: half of each (the file is stress.PID).  Then a "
		  "quarter of the pages, chosen by the machine's seeded random "
		  "generator, is accessed again: a hot set reclaim should keep.  "
		  "The work goes in 1 MiB steps and kswapd and pdflush run "
		  "between steps, as they would between a program's system calls.  "
		  "dcache: walk N names, leaving N unused dentries and inodes for "
		  "the slab shrinkers.  Same seed, same machine: same result.",
	.family = FAM_PAGE,
	.min_args = 2, .max_args = 3,
	.flags = CMD_MUTATES,
	.run = run_stress,
	.complete = complete_stress,
};
