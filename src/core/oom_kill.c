/*
 * oom_kill.c - the OOM killer (mm/oom_kill.c, Linux 2.6.20): badness(),
 * select_bad_process(), oom_kill_process() and out_of_memory(), plus
 * /proc/PID/oom_score and /proc/PID/oom_adj (fs/proc/base.c).
 *
 *   __alloc_pages slow path: reclaim made no progress, __GFP_FS, !NORETRY
 *     -> m->out_of_memory = out_of_memory(zonelist, gfp, order)
 *          "NAME invoked oom-killer: gfp_mask=..., order=..., oomkilladj=..."
 *          Mem-info: + show_free_areas
 *          vm.panic_on_oom -> "Kernel panic - not syncing: ..." (machine dead)
 *          select_bad_process: highest badness(), first in list order wins
 *          oom_kill_process: a child with its own mm first, else the task
 *            "Out of memory: kill process N (name) score S or a child"
 *            "Out of memory: Killed process N (name)."
 *
 * badness(p, uptime) in pages, unsigned long arithmetic of the simulated
 * arch (so an i386 shift by oom_adj wraps at 32 bits as it did there):
 *
 *   points  = total_vm + sum over children with their own mm (total_vm/2 + 1)
 *   points /= int_sqrt(cpu_time)            cpu_time = (utime+stime) >> 11
 *   points /= int_sqrt(int_sqrt(run_time))  run_time = (uptime - start) >> 10
 *   nice > 0: *2;  root (uid 0, CAP_SYS_ADMIN): /4;  CAP_SYS_RAWIO: /4
 *   oom_adj > 0: <<= adj;  oom_adj < 0: >>= -adj      (-17 = OOM_DISABLE)
 *
 * (SHIFT_HZ is 8 at HZ=250, hence >> 11.  One cpuset: the /8 for tasks
 * outside current's exclusive nodes never applies.  A uid-0 task holds
 * every capability, so root divides by 16.)
 *
 * Time and CPU: m->jiffies is the clock (uptime = jiffies / HZ seconds);
 * a task's CPU time grows only through `run PID JIFFIES` (kmem_task_run),
 * which charges the task and advances the clock by the same amount.
 * Faults cost microseconds and charge nothing, as a 2.6.20 tick charges
 * whole jiffies to whoever is running when it fires.
 *
 * Killing.  The kernel only marks the victim (TIF_MEMDIE, SIGKILL) and
 * sleeps a jiffy while it exits.  Here the victim exits at once (do_exit)
 * -- as if it ran during that jiffy -- unless it is current, the task the
 * allocation is made for: that one gets TIF_MEMDIE, the retried
 * allocation may use the reserves (ALLOC_NO_WATERMARKS), and it dies when
 * the operation returns to user mode (run_as_task in task.c).
 *
 * A machine without processes has nothing to consider: out_of_memory
 * returns and the allocation fails as before.  With processes but none
 * killable (init, OOM_DISABLE) the kernel panics, and so does this model.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "mm.h"

#define KERN_EMERG 0
#define SHIFT_HZ 8              /* HZ = 250 */

struct oom_state {
	unsigned long invocations;      /* out_of_memory calls that ran */
	unsigned long kills;            /* tasks killed */
	bool panicked;                  /* panic(): the machine is dead */
	char panic_msg[160];            /* what panic() said */
};

static struct oom_state *os(const struct machine *m)
{
	return m->oom;
}

/* ------------------------------------------------------------------ */
/* badness                                                             */
/* ------------------------------------------------------------------ */

/* lib/int_sqrt.c: the integer square root, rounded down. */
static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << (sizeof(unsigned long) * 8 - 2);

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

/* unsigned long of the simulated arch */
static unsigned long ulong_wrap(const struct machine *m, unsigned long v)
{
	return m->bits_per_long == 32 ? (unsigned long)(uint32_t)v : v;
}

static unsigned long uptime_seconds(const struct machine *m)
{
	return (unsigned long)(m->jiffies / KMEM_HZ);
}

static bool task_is_root(const struct task_struct *t)
{
	return t->uid == 0;
}

/*
 * badness(p, uptime): the score select_bad_process compares, with every
 * input written to d (may be NULL).  0 for a task without an mm.
 */
static unsigned long badness(struct machine *m, const struct task_struct *p,
			     unsigned long uptime, struct kmem_oom_candidate *d)
{
	const struct mm_state *s = mms(m);
	unsigned long points, children = 0;

	if (!p->mm)
		return 0;
	points = p->mm->total_vm;
	if (d)
		d->total_vm = points;
	if (p->flags & PF_SWAPOFF)
		return ulong_wrap(m, ~0UL);
	for (size_t i = 0; i < s->nr_tasks; i++) {
		const struct task_struct *c = s->tasks[i];
		if (c->ppid == p->pid && c != p && c->mm && c->mm != p->mm)
			children += c->mm->total_vm / 2 + 1;
	}
	points = ulong_wrap(m, points + children);
	unsigned long cpu_time = (unsigned long)((p->utime + p->stime) >>
						 (SHIFT_HZ + 3));
	unsigned long start = (unsigned long)(p->start_time / KMEM_HZ);
	unsigned long run_time = uptime >= start ? (uptime - start) >> 10 : 0;
	unsigned long s1 = int_sqrt(cpu_time), s2 = int_sqrt(int_sqrt(run_time));
	if (s1)
		points /= s1;
	if (s2)
		points /= s2;
	if (p->nice > 0)
		points = ulong_wrap(m, points * 2);
	if (task_is_root(p))
		points /= 4;            /* CAP_SYS_ADMIN, uid or euid 0 */
	if (task_is_root(p))
		points /= 4;            /* CAP_SYS_RAWIO */
	if (p->oomkilladj > 0)
		points = ulong_wrap(m, points << p->oomkilladj);
	else if (p->oomkilladj < 0)
		points >>= -p->oomkilladj;
	if (d) {
		d->children_vm = children;
		d->cpu_time = cpu_time;
		d->run_time = run_time;
		d->cpu_sqrt = s1;
		d->run_sqrt = s2;
		d->points = points;
	}
	return points;
}

static void fill_candidate(const struct task_struct *t,
			   struct kmem_oom_candidate *d)
{
	memset(d, 0, sizeof *d);
	d->pid = t->pid;
	snprintf(d->comm, sizeof d->comm, "%s", t->comm);
	d->oom_adj = t->oomkilladj;
	d->nice = t->nice;
	d->uid = t->uid;
	d->utime = t->utime;
	d->stime = t->stime;
}

static const char *const skip_why[] = {
	[KMEM_OOM_CANDIDATE] = "candidate",
	[KMEM_OOM_SKIP_INIT] = "init is never chosen",
	[KMEM_OOM_SKIP_NO_MM] = "no mm (kernel thread)",
	[KMEM_OOM_SKIP_DISABLED] = "oom_adj -17 (OOM_DISABLE)",
	[KMEM_OOM_DYING] = "TIF_MEMDIE: already dying, wait",
};

/*
 * select_bad_process: the task with the highest badness among those with
 * an mm, not init, not OOM_DISABLE.  Returns it, NULL if there is none,
 * or (void *)-1 when a task is already dying (TIF_MEMDIE, or PF_EXITING
 * other than current): the kernel then waits for it.  cands (may be
 * NULL) gets every task's row, in list order.
 */
#define OOM_WAIT ((struct task_struct *)-1)

static struct task_struct *select_bad_process(struct machine *m,
					      unsigned long *ppoints,
					      struct kmem_oom_candidate *cands,
					      size_t max, size_t *ncands)
{
	const struct mm_state *s = mms(m);
	struct task_struct *chosen = NULL;
	unsigned long uptime = uptime_seconds(m);

	*ppoints = 0;
	if (TRACING(m))
		trace_enter(m, "select_bad_process", "uptime %lus, %zu task%s",
			    uptime, s ? s->nr_tasks : 0,
			    s && s->nr_tasks == 1 ? "" : "s");
	for (size_t i = 0; s && i < s->nr_tasks; i++) {
		struct task_struct *p = s->tasks[i];
		struct kmem_oom_candidate row;
		enum kmem_oom_status st = KMEM_OOM_CANDIDATE;
		unsigned long points = 0;

		fill_candidate(p, &row);
		if (!p->mm)
			st = KMEM_OOM_SKIP_NO_MM;
		else if (p->pid == 1)
			st = KMEM_OOM_SKIP_INIT;
		else if (p->memdie ||
			 ((p->flags & PF_EXITING) && p != m->current))
			st = KMEM_OOM_DYING;
		else if (p->oomkilladj == OOM_DISABLE)
			st = KMEM_OOM_SKIP_DISABLED;
		if (p->mm)
			points = badness(m, p, uptime, &row);
		if (st == KMEM_OOM_CANDIDATE && (p->flags & PF_EXITING)) {
			points = ulong_wrap(m, ~0UL);   /* current, exiting */
			row.points = points;
		}
		row.status = st;
		if (cands && *ncands < max)
			cands[*ncands] = row;
		if (ncands)
			(*ncands)++;
		if (TRACING(m)) {
			if (st == KMEM_OOM_CANDIDATE || st == KMEM_OOM_SKIP_DISABLED)
				trace_note(m, "pid %d (%s): total_vm %lu + children %lu, "
					   "cpu_time %lu (sqrt %lu), run_time %lu "
					   "(sqrt sqrt %lu), nice %d, uid %u, oom_adj "
					   "%d: points %lu%s", p->pid, p->comm,
					   row.total_vm, row.children_vm, row.cpu_time,
					   row.cpu_sqrt, row.run_time, row.run_sqrt,
					   p->nice, p->uid, p->oomkilladj, points,
					   st == KMEM_OOM_SKIP_DISABLED ?
					   ": skipped, OOM_DISABLE" : "");
			else
				trace_note(m, "pid %d (%s): skipped: %s", p->pid,
					   p->comm, skip_why[st]);
		}
		if (st == KMEM_OOM_DYING) {
			/* the kernel returns at once; the rows after stay unset */
			if (TRACING(m))
				trace_exit(m, "-1: wait for pid %d to exit", p->pid);
			return OOM_WAIT;
		}
		if (st != KMEM_OOM_CANDIDATE)
			continue;
		if (points > *ppoints || !chosen) {
			if (TRACING(m) && chosen)
				trace_note(m, "pid %d beats pid %d (%lu > %lu)", p->pid,
					   chosen->pid, points, *ppoints);
			chosen = p;
			*ppoints = points;
		} else if (TRACING(m)) {
			trace_note(m, "pid %d stays: %lu %s %lu (ties go to the "
				   "first in list order)", chosen->pid, *ppoints,
				   points == *ppoints ? "==" : ">", points);
		}
	}
	if (TRACING(m)) {
		if (chosen)
			trace_exit(m, "pid %d (%s), points %lu", chosen->pid,
				   chosen->comm, *ppoints);
		else
			trace_exit(m, "NULL: no killable process");
	}
	return chosen;
}

/* ------------------------------------------------------------------ */
/* Killing                                                             */
/* ------------------------------------------------------------------ */

/* __oom_kill_task: TIF_MEMDIE and SIGKILL.  A victim that is not current
 * exits here and now; current dies on its way back to user mode. */
static void __oom_kill_task(struct machine *m, struct task_struct *p,
			    const char *message)
{
	if (p->pid == 1) {
		printk(m, KERN_WARNING, "tried to kill init!");
		return;
	}
	if (!p->mm) {
		printk(m, KERN_WARNING, "tried to kill an mm-less task!");
		return;
	}
	if (message)
		printk(m, KERN_ERR, "%s: Killed process %d (%s).", message, p->pid,
		       p->comm);
	os(m)->kills++;
	if (p == m->current) {
		p->memdie = true;
		if (TRACING(m))
			trace_note(m, "pid %d is current: TIF_MEMDIE, SIGKILL pending; "
				   "it may use the reserves until it returns", p->pid);
		return;
	}
	if (TRACING(m))
		trace_note(m, "pid %d exits now (it would run while the allocator "
			   "sleeps a jiffy)", p->pid);
	do_exit(m, p, 9);
}

/* oom_kill_task: refuses (1) a task without an mm or whose mm an
 * OOM_DISABLE task shares. */
static int oom_kill_task(struct machine *m, struct task_struct *p,
			 const char *message)
{
	const struct mm_state *s = mms(m);

	if (!p->mm)
		return 1;
	for (size_t i = 0; i < s->nr_tasks; i++)
		if (s->tasks[i]->mm == p->mm &&
		    s->tasks[i]->oomkilladj == OOM_DISABLE) {
			if (TRACING(m))
				trace_note(m, "pid %d: its mm is OOM_DISABLE: refused",
					   p->pid);
			return 1;
		}
	__oom_kill_task(m, p, message);
	return 0;
}

/* The task oom_kill_process would kill for victim p: its first child
 * (list order) with an mm of its own that is not OOM_DISABLE, else p. */
static struct task_struct *kill_target(struct machine *m,
				       struct task_struct *p)
{
	const struct mm_state *s = mms(m);

	for (size_t i = 0; i < s->nr_tasks; i++) {
		struct task_struct *c = s->tasks[i];
		if (c->ppid == p->pid && c != p && c->mm && c->mm != p->mm &&
		    c->oomkilladj != OOM_DISABLE)
			return c;
	}
	return p;
}

static int oom_kill_process(struct machine *m, struct task_struct *p,
			    unsigned long points, const char *message)
{
	const struct mm_state *s = mms(m);

	if (p->flags & PF_EXITING) {
		__oom_kill_task(m, p, NULL);
		return 0;
	}
	printk(m, KERN_ERR, "%s: kill process %d (%s) score %li or a child",
	       message, p->pid, p->comm, (long)points);
	/* children first: their memory may be enough (list order) */
	for (size_t i = 0; i < s->nr_tasks; i++) {
		struct task_struct *c = s->tasks[i];
		if (c->ppid != p->pid || c == p || c->mm == p->mm)
			continue;
		if (TRACING(m))
			trace_note(m, "try child pid %d (%s) first", c->pid, c->comm);
		if (!oom_kill_task(m, c, message))
			return 0;
	}
	return oom_kill_task(m, p, message);
}

static void oom_panic(struct machine *m, const char *msg)
{
	snprintf(os(m)->panic_msg, sizeof os(m)->panic_msg,
		 "Kernel panic - not syncing: %s", msg);
	printk(m, KERN_EMERG, "%s", os(m)->panic_msg);
	os(m)->panicked = true;
	if (TRACING(m))
		trace_note(m, "panic: the machine stops here");
}

/*
 * out_of_memory(zonelist, gfp, order): report, then kill (or panic).
 * Returns true when retrying the allocation can succeed: a task was
 * killed, or current is dying and may use the reserves.
 */
static bool out_of_memory(struct machine *m, struct zonelist *zl, gfp_t gfp,
			  unsigned order)
{
	struct oom_state *o = os(m);
	struct task_struct *cur = m->current;
	bool ret = false;

	(void)zl;               /* constrained_alloc: no cpusets or mempolicies */
	if (o->panicked)
		return false;
	if (!cur && m->pf_swapoff) {
		/* badness() gives the swapoff caller (PF_SWAPOFF) the top
		 * score, so the kernel kills it and try_to_unuse stops.  Our
		 * caller is a command, not a task: the allocation fails and
		 * swapoff stops the same way, with the device still on. */
		if (TRACING(m))
			trace_note(m, "out_of_memory: the swapoff caller has "
				   "PF_SWAPOFF and would be chosen: fail");
		return false;
	}
	if (!m->mms || !m->mms->nr_tasks) {
		if (TRACING(m))
			trace_note(m, "out_of_memory: no processes to consider: fail");
		return false;
	}
	if (TRACING(m)) {
		char gb[128];
		kmem_gfp_format(gfp, gb, sizeof gb);
		trace_enter(m, "out_of_memory", "gfp %s, order %u", gb, order);
	}
	o->invocations++;
	printk(m, KERN_WARNING, "%s invoked oom-killer: gfp_mask=0x%x, order=%u, "
	       "oomkilladj=%d", cur ? cur->comm : "kmemlab", gfp, order,
	       cur ? cur->oomkilladj : 0);
	printk(m, KERN_INFO, "Mem-info:");
	show_free_areas(m);
	if (m->sysctl[SYSCTL_PANIC_ON_OOM][0]) {
		oom_panic(m, "out of memory. panic_on_oom is selected");
		goto out;
	}
	for (int tries = 0; tries < 64; tries++) {
		unsigned long points;
		struct task_struct *p = select_bad_process(m, &points, NULL, 0, NULL);
		if (p == OOM_WAIT) {
			/* only current is ever left dying: it may dip into the
			 * reserves when the allocation is retried */
			ret = tif_memdie(m);
			goto out;
		}
		if (!p) {
			oom_panic(m, "Out of memory and no killable processes...");
			goto out;
		}
		if (!oom_kill_process(m, p, points, "Out of memory")) {
			ret = true;
			goto out;
		}
	}
out:
	if (TRACING(m))
		trace_exit(m, ret ? "killed: retry the allocation" :
			   o->panicked ? "panic" : "nothing freed");
	return ret;
}

bool tif_memdie(const struct machine *m)
{
	return m->current && m->current->memdie;
}

void oom_deliver_sigkill(struct machine *m, struct task_struct *t)
{
	if (TRACING(m))
		trace_note(m, "pid %d (%s): SIGKILL delivered on return to user "
			   "mode", t->pid, t->comm);
	do_exit(m, t, 9);
}

/* ------------------------------------------------------------------ */
/* /proc/PID/oom_score, /proc/PID/oom_adj                              */
/* ------------------------------------------------------------------ */

void proc_oom_score(struct machine *m, struct task_struct *t, struct kbuf *b)
{
	kbuf_printf(b, "%lu\n", badness(m, t, uptime_seconds(m), NULL));
}

static int parse_int(const char *text, long *out)
{
	char *end;
	long v;

	while (*text == ' ' || *text == '\t')
		text++;
	if (!*text)
		return -1;
	v = strtol(text, &end, 0);
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (*end || end == text)
		return -1;
	*out = v;
	return 0;
}

int proc_oom_adj_write(struct machine *m, struct task_struct *t,
		       const char *text)
{
	long v;

	if (parse_int(text, &v))
		return set_error(m, -EINVAL, "/proc/%d/oom_adj: '%s' is not a "
				 "number", t->pid, text);
	if ((v < OOM_ADJUST_MIN || v > OOM_ADJUST_MAX) && v != OOM_DISABLE)
		return set_error(m, -EINVAL, "/proc/%d/oom_adj: %ld is out of range "
				 "(-16..15, or -17 for OOM_DISABLE)", t->pid, v);
	t->oomkilladj = (int)v;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Setup, checker, public API                                          */
/* ------------------------------------------------------------------ */

void oom_init(struct machine *m)
{
	m->oom = xcalloc(1, sizeof *m->oom);
	m->out_of_memory = out_of_memory;
}

void oom_destroy(struct machine *m)
{
	free(m->oom);
	m->oom = NULL;
}

bool oom_check(const struct machine *m, char *report, size_t len)
{
	const struct mm_state *s = m->mms;

	if (m->current) {
		bool live = false;
		for (size_t i = 0; s && i < s->nr_tasks && !live; i++)
			live = s->tasks[i] == m->current;
		if (!live) {
			snprintf(report, len, "oom: current points at a task that "
				 "is gone");
			return false;
		}
	}
	for (size_t i = 0; s && i < s->nr_tasks; i++) {
		const struct task_struct *t = s->tasks[i];
		if ((t->oomkilladj < OOM_ADJUST_MIN && t->oomkilladj != OOM_DISABLE) ||
		    t->oomkilladj > OOM_ADJUST_MAX) {
			snprintf(report, len, "oom: pid %d has oom_adj %d", t->pid,
				 t->oomkilladj);
			return false;
		}
		/* between commands no task is left half-killed */
		if (t->memdie && t != m->current) {
			snprintf(report, len, "oom: pid %d (%s) has TIF_MEMDIE but "
				 "was never reaped", t->pid, t->comm);
			return false;
		}
		if (t->nice < -20 || t->nice > 19) {
			snprintf(report, len, "oom: pid %d has nice %d", t->pid,
				 t->nice);
			return false;
		}
	}
	return true;
}

bool kmem_panicked(const struct machine *m, const char **why)
{
	if (why)
		*why = m->oom && m->oom->panicked ? m->oom->panic_msg : "";
	return m->oom && m->oom->panicked;
}

int kmem_badness(struct machine *m, int pid, struct kmem_oom_candidate *out)
{
	struct task_struct *t = task_with_mm(m, pid, "badness");
	struct kmem_oom_candidate tmp;

	if (!t)
		return -ESRCH;
	if (!out)
		out = &tmp;
	fill_candidate(t, out);
	out->points = badness(m, t, uptime_seconds(m), out);
	out->status = t->pid == 1 ? KMEM_OOM_SKIP_INIT :
		      t->oomkilladj == OOM_DISABLE ? KMEM_OOM_SKIP_DISABLED :
		      KMEM_OOM_CANDIDATE;
	return 0;
}

int kmem_oom_select(struct machine *m, struct kmem_oom_choice *out,
		    struct kmem_oom_candidate *cands, size_t max)
{
	unsigned long points;
	size_t n = 0;

	memset(out, 0, sizeof *out);
	struct task_struct *p = select_bad_process(m, &points, cands, max, &n);
	out->nr_candidates = n;
	if (p == OOM_WAIT) {
		out->wait = true;
	} else if (p) {
		out->victim = p->pid;
		out->points = points;
		out->killed = kill_target(m, p)->pid;
	}
	return 0;
}

int kmem_oom_kill(struct machine *m, struct kmem_oom_choice *out)
{
	struct kmem_oom_choice tmp;

	if (!out)
		out = &tmp;
	if (os(m)->panicked)
		return set_error(m, -EPERM, "oom: the machine has panicked (%s); "
				 "reset it", os(m)->panic_msg);
	if (!m->mms || !m->mms->nr_tasks)
		return set_error(m, -ESRCH, "oom: no processes: the OOM killer has "
				 "nothing to consider");
	kmem_oom_select(m, out, NULL, 0);
	/* SysRq-f (moom): out_of_memory on node 0's ZONE_NORMAL zonelist */
	int nid = (int)m->cpu_node[m->cur_cpu];
	struct zonelist *zl = &m->nodes[nid].node_zonelists[gfp_zone(m, GFP_KERNEL)];
	struct task_struct *cur = m->current;
	m->current = NULL;
	out_of_memory(m, zl, GFP_KERNEL, 0);
	m->current = cur;
	out->panicked = os(m)->panicked;
	return 0;
}

int kmem_task_run(struct machine *m, int pid, uint64_t jiffies, bool sys)
{
	struct task_struct *t = task_with_mm(m, pid, "run");

	if (!t)
		return -ESRCH;
	if (jiffies > 1000000000ULL)
		return set_error(m, -EINVAL, "run: %llu jiffies is more than "
				 "10^9 (about 46 days)", (unsigned long long)jiffies);
	if (sys)
		t->stime += jiffies;
	else
		t->utime += jiffies;
	return kmem_tick(m, jiffies);
}

int kmem_task_nice(struct machine *m, int pid, int nice)
{
	struct task_struct *t = task_with_mm(m, pid, "nice");

	if (!t)
		return -ESRCH;
	if (nice < -20 || nice > 19)
		return set_error(m, -EINVAL, "nice: %d is not in -20..19", nice);
	t->nice = nice;
	return 0;
}

int kmem_task_setuid(struct machine *m, int pid, unsigned uid)
{
	struct task_struct *t = task_with_mm(m, pid, "setuid");

	if (!t)
		return -ESRCH;
	if (pid == 1 && uid != 0)
		return set_error(m, -EPERM, "setuid: init stays root");
	if (uid > 65535)
		return set_error(m, -EINVAL, "setuid: uid %u is above 65535", uid);
	t->uid = uid;
	if (t->mm)
		t->mm->cap_sys_admin = uid == 0;
	return 0;
}

int kmem_oom_adj(struct machine *m, int pid, int adj)
{
	struct task_struct *t = task_with_mm(m, pid, "oom_adj");
	char text[16];

	if (!t)
		return -ESRCH;
	snprintf(text, sizeof text, "%d", adj);
	return proc_oom_adj_write(m, t, text);
}

void kmem_oom_stats(const struct machine *m, unsigned long *invocations,
		    unsigned long *kills)
{
	if (invocations)
		*invocations = m->oom->invocations;
	if (kills)
		*kills = m->oom->kills;
}
