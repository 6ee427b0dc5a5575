/*
 * cmd_task.c - processes and what they do to memory: spawn, fork, exit
 * PID (through `exit`, cmd_session.c), kill, ps, the fault and touch
 * accesses, and the views `show vma PID` and `show pagetable PID ADDR`
 * (cmd_vm.c hands it over).
 * The mmap family lives in cmd_mmap.c, files in cmd_file.c.
 *
 *   spawn NAME                 a task with a process image's layout
 *   fork PID                   a copy-on-write child
 *   kill [-SIGNAL] PID         every signal is fatal (no handlers)
 *   ps                         pid, ppid, VSZ, RSS, faults
 *   fault PID ADDR [read|write]    one access through the simulated MMU
 *   touch PID ADDR LEN [read|write] every page of a range
 *
 * A pid is checked against the live tasks before the engine is called,
 * so every command names an unknown pid the same way.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

#define MAX_TASKS_SHOWN 4096    /* ps and completion list this many */
#define MAX_VMAS        65536   /* DEFAULT_MAX_MAP_COUNT */

/* ------------------------------------------------------------------ */
/* Shared helpers                                                      */
/* ------------------------------------------------------------------ */

const char *uaddr_str(const struct session *s, uint64_t a, char *buf,
		      size_t len)
{
	int w = s->info.arch == KMEM_ARCH_I386 ? 8 : 12;

	snprintf(buf, len, "0x%0*llx", w, (unsigned long long)a);
	return buf;
}

/* label names the command in errors ("fault", "show vma"). */
static int pid_arg(struct session *s, const char *label, const char *word,
		   int *pid)
{
	uint64_t v;
	struct kmem_task_info ti;

	if (parse_u64(word, &v) || v == 0 || v > 0x7fffffff)
		return sess_error(s, "%s: bad pid '%s': expected a process id "
				  "(ps lists them)", label, word);
	if (kmem_task_info(s->m, (int)v, &ti))
		return sess_error(s, "%s: no process with pid %s (ps lists them)",
				  label, word);
	*pid = (int)v;
	return 0;
}

/* A user address: a number, or $N / NAME from mmap with an optional
 * +OFFSET glued on ("buf+4096", "$1+8k"). */
static int uaddr_arg(struct session *s, const char *label, const char *word,
		     uint64_t *addr)
{
	char base[128];
	uint64_t off = 0;
	size_t idx;

	snprintf(base, sizeof base, "%s", word);
	char *plus = base[0] ? strchr(base + 1, '+') : NULL;
	if (plus && !(base[0] >= '0' && base[0] <= '9')) {
		*plus = '\0';
		if (parse_size(plus + 1, &off))
			return sess_error(s, "%s: bad offset in '%s': expected "
					  "NAME+N (N in bytes, k or M)", label,
					  word);
	} else {
		plus = NULL;
	}
	int r = value_ref(s, base, &idx);

	if (r < 0)
		return -1;
	if (r == 0) {
		const struct value *v = &s->values[idx];
		if (v->kind != VAL_USER)
			return sess_error(s, "%s: %s is a kernel %s, not a user "
					  "address", label, base,
					  v->kind == VAL_OBJ ? "object" : "page");
		*addr = v->addr + off;
		return 0;
	}
	if (plus)
		return sess_error(s, "%s: bad address '%s': expected a number "
				  "(0x hex) or a $N from mmap", label, word);
	if (parse_u64(word, addr))
		return sess_error(s, "%s: bad address '%s': expected a number "
				  "(0x hex) or a $N from mmap", label, word);
	return 0;
}

int arg_pid(struct session *s, const char *word, int *pid)
{
	return pid_arg(s, s->cur.word, word, pid);
}

int arg_uaddr(struct session *s, const char *word, uint64_t *addr)
{
	return uaddr_arg(s, s->cur.word, word, addr);
}

/* "read" or "write" (default read). */
static int arg_access(struct session *s, int argc, char **argv, int i,
		      bool *write)
{
	*write = false;
	if (argc <= i)
		return 0;
	if (!strcmp(argv[i], "write") || !strcmp(argv[i], "w"))
		*write = true;
	else if (strcmp(argv[i], "read") && strcmp(argv[i], "r"))
		return sess_error(s, "%s: '%s' is not 'read' or 'write'",
				  s->cur.word, argv[i]);
	return 0;
}

void complete_pids(struct session *s, struct completion *c)
{
	int pids[MAX_TASKS_SHOWN];
	size_t n = kmem_task_list(s->m, pids, MAX_TASKS_SHOWN);
	char b[16];

	for (size_t i = 0; i < n && i < MAX_TASKS_SHOWN; i++) {
		snprintf(b, sizeof b, "%d", pids[i]);
		compl_add(c, b);
	}
}

static void complete_pid_first(struct session *s, int argi, char **argv,
			       struct completion *c)
{
	if (argi == 1)
		complete_pids(s, c);
}

static void complete_pid_access(struct session *s, int argi, char **argv,
				struct completion *c)
{
	if (argi == 1)
		complete_pids(s, c);
	else if (argi == 2)
		complete_values(s, c);
	else if ((argi == 3 && !strcmp(argv[0], "fault")) ||
		 (argi == 4 && !strcmp(argv[0], "touch"))) {
		compl_add(c, "read");
		compl_add(c, "write");
	}
}

static unsigned long kb(unsigned long pages)
{
	return pages << (KMEM_PAGE_SHIFT - 10);
}

/* ------------------------------------------------------------------ */
/* spawn, fork, exit, kill, ps                                         */
/* ------------------------------------------------------------------ */

static void task_json(struct session *s, const struct kmem_task_info *t)
{
	json_i64(s, "pid", t->pid);
	json_i64(s, "ppid", t->ppid);
	json_str(s, "comm", t->comm);
	json_u64(s, "vsz_kb", kb(t->total_vm));
	json_u64(s, "rss_kb", kb(t->file_rss + t->anon_rss));
	json_u64(s, "anon_rss", t->anon_rss);
	json_u64(s, "file_rss", t->file_rss);
	json_u64(s, "min_flt", t->min_flt);
	json_u64(s, "maj_flt", t->maj_flt);
	json_u64(s, "map_count", t->map_count);
	json_u64(s, "nr_ptes", t->nr_ptes);
}

/* "pid 2 (bash): 1264 kB in 9 vmas" and the layout, for spawn and fork */
static void task_summary(struct session *s, int pid, const char *how)
{
	struct kmem_task_info t;
	char a[24], b[24], c[24], d[24], e[24];

	if (kmem_task_info(s->m, pid, &t))
		return;
	task_json(s, &t);
	json_hex(s, "start_code", t.start_code);
	json_hex(s, "end_code", t.end_code);
	json_hex(s, "start_brk", t.start_brk);
	json_hex(s, "brk", t.brk);
	json_hex(s, "start_stack", t.start_stack);
	json_hex(s, "mmap_base", t.mmap_base);
	json_bool(s, "topdown", t.topdown);
	if (!sess_text(s))
		return;
	sess_printf(s, "pid %d (%s)%s: %lu kB in %u vmas, rss %lu kB\n", t.pid,
		    t.comm, how, kb(t.total_vm), t.map_count,
		    kb(t.file_rss + t.anon_rss));
	sess_printf(s, "  code %s-%s  brk %s  stack %s  mmap_base %s (%s)\n",
		    uaddr_str(s, t.start_code, a, sizeof a),
		    uaddr_str(s, t.end_code, b, sizeof b),
		    uaddr_str(s, t.brk, c, sizeof c),
		    uaddr_str(s, t.start_stack, d, sizeof d),
		    uaddr_str(s, t.mmap_base, e, sizeof e),
		    t.topdown ? "top-down" : "bottom-up");
}

static int run_spawn(struct session *s, int argc, char **argv)
{
	int pid, before[1];
	bool first = kmem_task_list(s->m, before, 1) == 0;

	if (kmem_spawn(s->m, argv[1], &pid))
		return sess_error(s, "%s", kmem_last_error(s->m));
	if (first && sess_text(s))
		sess_printf(s, "init (pid 1) started first: every task is its "
			    "child\n");
	task_summary(s, pid, ", child of 1");
	return 0;
}

static int run_fork(struct session *s, int argc, char **argv)
{
	int pid, child;
	char how[48];

	if (arg_pid(s, argv[1], &pid))
		return -1;
	if (kmem_fork(s->m, pid, &child))
		return sess_error(s, "%s", kmem_last_error(s->m));
	snprintf(how, sizeof how, ", forked from %d", pid);
	task_summary(s, child, how);
	if (sess_text(s))
		sess_printf(s, "  anonymous pages are shared copy-on-write until "
			    "one side writes\n");
	return 0;
}

static void render_death(struct session *s, const struct kmem_task_info *t,
			  unsigned long free_before, const char *how)
{
	struct kmem_machine_info mi;

	kmem_machine_info(s->m, &mi);
	json_i64(s, "pid", t->pid);
	json_str(s, "comm", t->comm);
	json_u64(s, "free_before", free_before);
	json_u64(s, "free_after", mi.nr_free_pages);
	if (sess_text(s))
		sess_printf(s, "pid %d (%s) %s; free pages %lu -> %lu\n", t->pid,
			    t->comm, how, free_before, mi.nr_free_pages);
}

int task_exit(struct session *s, const char *word)
{
	struct kmem_task_info t;
	struct kmem_machine_info mi;
	int pid;

	if (arg_pid(s, word, &pid))
		return -1;
	kmem_task_info(s->m, pid, &t);
	kmem_machine_info(s->m, &mi);
	if (kmem_exit(s->m, pid))
		return sess_error(s, "%s", kmem_last_error(s->m));
	render_death(s, &t, mi.nr_free_pages, "exited");
	return 0;
}

static const struct {
	const char *name;
	int nr;
} signals[] = {
	{ "HUP", 1 }, { "INT", 2 }, { "QUIT", 3 }, { "ILL", 4 }, { "TRAP", 5 },
	{ "ABRT", 6 }, { "BUS", 7 }, { "FPE", 8 }, { "KILL", 9 },
	{ "USR1", 10 }, { "SEGV", 11 }, { "USR2", 12 }, { "PIPE", 13 },
	{ "ALRM", 14 }, { "TERM", 15 },
};
#define NR_SIGNAL_NAMES (sizeof signals / sizeof signals[0])

static const char *signal_name(int nr)
{
	for (size_t i = 0; i < NR_SIGNAL_NAMES; i++)
		if (signals[i].nr == nr)
			return signals[i].name;
	return NULL;
}

/* "-9", "-KILL", "-SIGKILL", "-s KILL" is not supported: kill(1)'s
 * short forms only. */
static int arg_signal(struct session *s, const char *word, int *sig)
{
	const char *w = word + 1;
	uint64_t v;

	if (!strncasecmp(w, "SIG", 3))
		w += 3;
	for (size_t i = 0; i < NR_SIGNAL_NAMES; i++)
		if (!strcasecmp(w, signals[i].name)) {
			*sig = signals[i].nr;
			return 0;
		}
	if (!parse_u64(w, &v) && v >= 1 && v <= 64) {
		*sig = (int)v;
		return 0;
	}
	return sess_error(s, "kill: bad signal '%s': a number 1..64 or a name "
			  "(-KILL, -TERM, -SEGV ...)", word);
}

static int run_kill(struct session *s, int argc, char **argv)
{
	struct kmem_task_info t;
	struct kmem_machine_info mi;
	int sig = 15, pid;
	char how[48];

	if (argc == 3 && argv[1][0] != '-')
		return sess_error(s, "kill: '%s' is not a signal (usage: %s)",
				  argv[1], cmd_kill.usage);
	if (argc == 2 && argv[1][0] == '-')
		return sess_error(s, "kill: missing PID (usage: %s)",
				  cmd_kill.usage);
	if (argc == 3 && arg_signal(s, argv[1], &sig))
		return -1;
	if (arg_pid(s, argv[argc - 1], &pid))
		return -1;
	kmem_task_info(s->m, pid, &t);
	kmem_machine_info(s->m, &mi);
	if (kmem_kill(s->m, pid, sig))
		return sess_error(s, "%s", kmem_last_error(s->m));
	const char *n = signal_name(sig);
	if (n)
		snprintf(how, sizeof how, "killed by SIG%s", n);
	else
		snprintf(how, sizeof how, "killed by signal %d", sig);
	json_i64(s, "signal", sig);
	render_death(s, &t, mi.nr_free_pages, how);
	return 0;
}

static void complete_kill(struct session *s, int argi, char **argv,
			  struct completion *c)
{
	char b[16];

	if (argi == 1 && c->word[0] == '-') {
		for (size_t i = 0; i < NR_SIGNAL_NAMES; i++) {
			snprintf(b, sizeof b, "-%s", signals[i].name);
			compl_add(c, b);
		}
		return;
	}
	if (argi == 1 || (argi == 2 && argv[1][0] == '-'))
		complete_pids(s, c);
}

static int run_ps(struct session *s, int argc, char **argv)
{
	int pids[MAX_TASKS_SHOWN];
	size_t n = kmem_task_list(s->m, pids, MAX_TASKS_SHOWN);

	if (n > MAX_TASKS_SHOWN)
		n = MAX_TASKS_SHOWN;
	if (sess_text(s)) {
		if (!n) {
			sess_printf(s, "no processes (spawn NAME starts one)\n");
			return 0;
		}
		sess_printf(s, "%5s %5s %-15s %8s %8s %6s %6s %6s\n", "PID",
			    "PPID", "COMMAND", "VSZ", "RSS", "VMAS", "MINFLT",
			    "MAJFLT");
	}
	json_begin_array(s, "tasks");
	for (size_t i = 0; i < n; i++) {
		struct kmem_task_info t;
		if (kmem_task_info(s->m, pids[i], &t))
			continue;
		json_begin_object(s, NULL);
		task_json(s, &t);
		json_end_object(s);
		if (sess_text(s))
			sess_printf(s, "%5d %5d %-15s %8lu %8lu %6u %6lu %6lu\n",
				    t.pid, t.ppid, t.comm, kb(t.total_vm),
				    kb(t.file_rss + t.anon_rss), t.map_count,
				    t.min_flt, t.maj_flt);
	}
	json_end_array(s);
	return 0;
}

/* ------------------------------------------------------------------ */
/* fault, touch                                                        */
/* ------------------------------------------------------------------ */

static const char *fault_type_name(enum kmem_fault_type t)
{
	switch (t) {
	case KMEM_FAULT_NONE: return "none";
	case KMEM_FAULT_MINOR: return "minor";
	case KMEM_FAULT_MAJOR: return "major";
	case KMEM_FAULT_SIGSEGV: return "SIGSEGV";
	case KMEM_FAULT_SIGBUS: return "SIGBUS";
	case KMEM_FAULT_OOM: return "OOM";
	}
	return "?";
}

/* The engine has killed the task; its message says so. */
static int fatal_access(struct session *s)
{
	return sess_error(s, "%s: %s", s->cur.word, kmem_last_error(s->m));
}

static int run_fault(struct session *s, int argc, char **argv)
{
	struct kmem_fault_info fi;
	uint64_t addr;
	bool write;
	int pid;
	char ab[24];

	if (arg_pid(s, argv[1], &pid) || arg_uaddr(s, argv[2], &addr) ||
	    arg_access(s, argc, argv, 3, &write))
		return -1;
	int rc = kmem_fault(s->m, pid, addr, write, &fi);
	json_str(s, "type", fault_type_name(fi.type));
	if (rc)
		return fatal_access(s);
	json_i64(s, "pid", pid);
	json_hex(s, "addr", addr);
	json_str(s, "access", write ? "write" : "read");
	if (fi.handler)
		json_str(s, "handler", fi.handler);
	if (fi.detail)
		json_str(s, "detail", fi.detail);
	if (fi.pfn != KMEM_NO_PFN)
		json_u64(s, "pfn", fi.pfn);
	json_bool(s, "expanded_stack", fi.expanded_stack);
	if (!sess_text(s))
		return 0;
	uaddr_str(s, addr, ab, sizeof ab);
	if (fi.type == KMEM_FAULT_NONE)
		sess_printf(s, "pid %d %s %s: no fault, the PTE allows it", pid,
			    write ? "write" : "read", ab);
	else
		sess_printf(s, "pid %d %s %s: %s fault, %s (%s)", pid,
			    write ? "write" : "read", ab,
			    fault_type_name(fi.type),
			    fi.handler ? fi.handler : "?",
			    fi.detail ? fi.detail : "");
	if (fi.pfn != KMEM_NO_PFN)
		sess_printf(s, ", pfn 0x%lx", fi.pfn);
	sess_printf(s, "%s\n", fi.expanded_stack ? "; the stack grew" : "");
	return 0;
}

static int run_touch(struct session *s, int argc, char **argv)
{
	struct kmem_touch_info ti;
	uint64_t addr, len;
	bool write;
	int pid;
	char ab[24];

	if (arg_pid(s, argv[1], &pid) || arg_uaddr(s, argv[2], &addr) ||
	    arg_size(s, argv[3], "length", &len) ||
	    arg_access(s, argc, argv, 4, &write))
		return -1;
	if (!len)
		return sess_error(s, "touch: length 0: nothing to touch");
	memset(&ti, 0, sizeof ti);
	int rc = kmem_touch(s->m, pid, addr, len, write, &ti);
	json_i64(s, "pid", pid);
	json_str(s, "access", write ? "write" : "read");
	json_u64(s, "pages", ti.pages);
	json_u64(s, "none", ti.none);
	json_u64(s, "minor", ti.minor);
	json_u64(s, "major", ti.major);
	unsigned long done = ti.none + ti.minor + ti.major;
	if (sess_text(s) && done)
		sess_printf(s, "pid %d %s %lu page%s from %s: %lu minor fault%s, "
			    "%lu major, %lu without a fault\n", pid,
			    write ? "wrote" : "read", done,
			    done == 1 ? "" : "s",
			    uaddr_str(s, addr, ab, sizeof ab), ti.minor,
			    ti.minor == 1 ? "" : "s", ti.major, ti.none);
	if (rc) {
		json_str(s, "stop", fault_type_name(ti.stop));
		json_hex(s, "stop_addr", ti.stop_addr);
		if (ti.stop == KMEM_FAULT_NONE)
			return sess_error(s, "%s", kmem_last_error(s->m));
		return fatal_access(s);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* show vma, show pagetable PID ADDR                                   */
/* ------------------------------------------------------------------ */

static void vma_perm(const struct kmem_vma_info *v, char *p)
{
	p[0] = v->flags & KMEM_VM_READ ? 'r' : '-';
	p[1] = v->flags & KMEM_VM_WRITE ? 'w' : '-';
	p[2] = v->flags & KMEM_VM_EXEC ? 'x' : '-';
	p[3] = v->flags & KMEM_VM_MAYSHARE ? 's' : 'p';
	p[4] = '\0';
}

static const char *vma_what(const struct kmem_vma_info *v, char *buf,
			    size_t len)
{
	if (v->file[0])
		snprintf(buf, len, "%s%s", v->file, v->deleted ? " (deleted)" : "");
	else if (v->shmem)
		snprintf(buf, len, "/dev/zero (shared anonymous)");
	else if (v->name)
		snprintf(buf, len, "%s", v->name);
	else
		snprintf(buf, len, "anonymous");
	return buf;
}

static int show_vma(struct session *s, int argc, char **argv)
{
	struct kmem_task_info t;
	int pid;

	if (pid_arg(s, "show vma", argv[1], &pid))
		return -1;
	kmem_task_info(s->m, pid, &t);
	size_t n = kmem_task_vmas(s->m, pid, NULL, 0);
	if (n > MAX_VMAS)
		n = MAX_VMAS;
	struct kmem_vma_info *v = cli_realloc(NULL, (n ? n : 1) * sizeof *v);
	size_t got = kmem_task_vmas(s->m, pid, v, n);
	if (got < n)
		n = got;
	json_i64(s, "pid", pid);
	json_str(s, "comm", t.comm);
	json_begin_array(s, "vmas");
	if (sess_text(s)) {
		sess_printf(s, "pid %d (%s): %zu vmas, %lu kB, rss %lu kB "
			    "(anon %lu, file %lu pages)\n", pid, t.comm, n,
			    kb(t.total_vm), kb(t.anon_rss + t.file_rss),
			    t.anon_rss, t.file_rss);
		int w = s->info.arch == KMEM_ARCH_I386 ? 10 : 14;
		sess_printf(s, "  %-*s %-*s %-4s %8s %8s %8s %5s %5s  %s\n", w,
			    "START", w, "END", "PERM", "SIZE", "PGOFF",
			    "ANON_VMA", "ANON", "FILE", "MAPPING");
	}
	for (size_t i = 0; i < n; i++) {
		char perm[5], fl[256], what[96], a[24], b[24], av[16];
		vma_perm(&v[i], perm);
		kmem_vm_flags_format(v[i].flags, fl, sizeof fl);
		vma_what(&v[i], what, sizeof what);
		json_begin_object(s, NULL);
		json_hex(s, "start", v[i].start);
		json_hex(s, "end", v[i].end);
		json_str(s, "perm", perm);
		json_hex(s, "flags", v[i].flags);
		json_str(s, "flag_names", fl);
		json_u64(s, "pgoff", v[i].pgoff);
		json_hex(s, "page_prot", v[i].page_prot);
		if (v[i].file[0])
			json_str(s, "file", v[i].file);
		else
			json_null(s, "file");
		json_bool(s, "shmem", v[i].shmem);
		json_bool(s, "deleted", v[i].deleted);
		json_u64(s, "anon_vma", v[i].anon_vma);
		json_u64(s, "rss_anon", v[i].rss_anon);
		json_u64(s, "rss_file", v[i].rss_file);
		if (v[i].name)
			json_str(s, "name", v[i].name);
		json_end_object(s);
		if (!sess_text(s))
			continue;
		snprintf(av, sizeof av, v[i].anon_vma ? "#%u" : "-",
			 v[i].anon_vma);
		sess_printf(s, "  %s %s %-4s %6llukB %8lx %8s %5lu %5lu  %s\n",
			    uaddr_str(s, v[i].start, a, sizeof a),
			    uaddr_str(s, v[i].end, b, sizeof b), perm,
			    (unsigned long long)((v[i].end - v[i].start) >> 10),
			    v[i].pgoff, av, v[i].rss_anon, v[i].rss_file, what);
		sess_printf(s, "  %*s %s\n", s->info.arch == KMEM_ARCH_I386 ?
			    10 : 14, "", fl);
	}
	json_end_array(s);
	free(v);
	return 0;
}

int show_user_pagetable(struct session *s, const char *pid_word,
			const char *addr_word)
{
	struct kmem_pt_step st[4];
	uint64_t addr, phys = 0;
	int pid;
	char ab[24];

	if (pid_arg(s, "show pagetable", pid_word, &pid) ||
	    uaddr_arg(s, "show pagetable", addr_word, &addr))
		return -1;
	int n = kmem_task_pagetable_walk(s->m, pid, addr, st, 4, &phys);
	if (n < 0 && n != -EFAULT)
		return sess_error(s, "%s", kmem_last_error(s->m));
	int steps = n < 0 ? 4 : n;
	uaddr_str(s, addr, ab, sizeof ab);
	json_i64(s, "pid", pid);
	json_hex(s, "addr", addr);
	json_begin_array(s, "steps");
	if (sess_text(s))
		sess_printf(s, "pid %d %s:\n", pid, ab);
	for (int i = 0; i < steps; i++) {
		json_begin_object(s, NULL);
		json_str(s, "level", st[i].name);
		json_u64(s, "index", st[i].index);
		json_u64(s, "table_pfn", st[i].table_pfn);
		json_hex(s, "entry", st[i].entry);
		json_bool(s, "present", st[i].present);
		json_end_object(s);
		if (sess_text(s))
			sess_printf(s, "  %-3s[%4u] in table pfn 0x%lx = 0x%0*llx%s\n",
				    st[i].name, st[i].index, st[i].table_pfn,
				    (int)st[i].entry_size * 2,
				    (unsigned long long)st[i].entry,
				    st[i].present ? "" : "  not present");
		if (!st[i].present)
			break;
	}
	json_end_array(s);
	if (n > 0) {
		json_hex(s, "phys", phys);
		if (sess_text(s))
			sess_printf(s, "%s -> phys 0x%llx (pfn 0x%llx)\n", ab,
				    (unsigned long long)phys,
				    (unsigned long long)(phys >> KMEM_PAGE_SHIFT));
	} else if (sess_text(s)) {
		sess_printf(s, "%s is not mapped (an access would fault)\n", ab);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Table entries                                                       */
/* ------------------------------------------------------------------ */

static void complete_show_vma(struct session *s, int argi, char **argv,
			      struct completion *c)
{
	if (argi == 2)
		complete_pids(s, c);
}

const struct command show_vma_entry = {
	.name = "vma", .usage = "show vma PID",
	.summary = "a task's vm_area_structs: range, flags, pgoff, file, rss",
	.example = "show vma 2",
	.detail = "Every vma in address order (the mmap list): its range and "
		  "permissions as /proc/PID/maps shows them, size, vm_pgoff, the "
		  "anon_vma it belongs to (#id, - before the first anonymous "
		  "page), its present pages (anonymous and file), what it maps, "
		  "and below it the vm_flags decoded.",
	.family = FAM_SHOW, .min_args = 1, .max_args = 1, .run = show_vma,
	.complete = complete_show_vma,
};

const struct command cmd_spawn = {
	.name = "spawn",
	.usage = "spawn NAME",
	.summary = "start a task with a process image's address space",
	.example = "spawn bash",
	.detail = "The task gets what an ELF loader builds for a small "
		  "dynamically linked program: text and data mapped from the "
		  "file NAME (created as /bin/NAME when no file has that name), "
		  "bss and heap, libc's text and data and a stack page holding "
		  "the arguments.  The first spawn starts init (pid 1) too; every "
		  "spawned task is its child.  Nothing is randomized.  See the "
		  "layout with `show vma PID` or `cat /proc/PID/maps`.",
	.family = FAM_TASK,
	.min_args = 1, .max_args = 1,
	.flags = CMD_MUTATES,
	.run = run_spawn,
};

const struct command cmd_fork = {
	.name = "fork",
	.usage = "fork PID",
	.summary = "a copy-on-write child of a task (dup_mmap)",
	.example = "fork 2",
	.detail = "dup_mmap copies every vma; copy_page_range copies the page "
		  "tables, write-protecting private anonymous pages in both "
		  "parent and child, so the first write on either side takes a "
		  "do_wp_page copy-on-write fault.",
	.family = FAM_TASK,
	.min_args = 1, .max_args = 1,
	.flags = CMD_MUTATES,
	.run = run_fork,
	.complete = complete_pid_first,
};

const struct command cmd_kill = {
	.name = "kill",
	.usage = "kill [-SIGNAL] PID",
	.summary = "send a signal: fatal here, the task exits (default TERM)",
	.example = "kill -9 2",
	.detail = "SIGNAL is a number 1..64 or a name with or without SIG "
		  "(-KILL, -SIGSEGV, -TERM ...).  No task has handlers, so every "
		  "signal ends it as exit does: its vmas are unmapped, page "
		  "tables and mm freed, children reparented to init.  init "
		  "ignores signals.",
	.family = FAM_TASK,
	.min_args = 1, .max_args = 2,
	.flags = CMD_MUTATES,
	.run = run_kill,
	.complete = complete_kill,
};

const struct command cmd_ps = {
	.name = "ps",
	.usage = "ps",
	.summary = "the tasks: pid, parent, size, resident set, faults",
	.example = "ps",
	.detail = "VSZ is total_vm and RSS file_rss + anon_rss, in kB as ps "
		  "shows them; MINFLT and MAJFLT count minor and major faults.",
	.family = FAM_TASK,
	.min_args = 0, .max_args = 0,
	.run = run_ps,
};

const struct command cmd_fault = {
	.name = "fault",
	.usage = "fault PID ADDR [read|write]",
	.summary = "one user access: the page fault it takes, if any",
	.example = "fault 2 $1 write",
	.detail = "The simulated MMU checks the PTE first; only when it refuses "
		  "does do_page_fault run: handle_mm_fault, then "
		  "do_anonymous_page (a read maps the ZERO_PAGE, a write a new "
		  "zeroed page), do_no_page through filemap_nopage (page cache "
		  "hit or miss), or do_wp_page (copy-on-write, or reuse).  "
		  "Prints minor or major, the handler and the page mapped.  An "
		  "access outside every vma, or against its permissions, is "
		  "SIGSEGV; beyond the end of a mapped file SIGBUS: the kernel's "
		  "message is printed and the task is killed.  ADDR is a number "
		  "or a value from mmap, with an optional +OFFSET ($1+4k, "
		  "buf+8192), here and in every command taking a user address.",
	.family = FAM_TASK,
	.min_args = 2, .max_args = 3,
	.flags = CMD_MUTATES,
	.run = run_fault,
	.complete = complete_pid_access,
};

const struct command cmd_touch = {
	.name = "touch",
	.usage = "touch PID ADDR LEN [read|write]",
	.summary = "access every page of a range; counts faults by kind",
	.example = "touch 2 $1 16k write",
	.detail = "The everyday way to make a task use memory: one access per "
		  "page from ADDR for LEN bytes (k/M/G suffixes), as fault does, "
		  "stopping at the first fatal one.",
	.family = FAM_TASK,
	.min_args = 3, .max_args = 4,
	.flags = CMD_MUTATES,
	.run = run_touch,
	.complete = complete_pid_access,
};
