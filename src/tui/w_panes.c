/*
 * w_panes.c - the text panes: Counters (vmstat sparklines), Tasks, Trace
 * (the last command's call tree) and Output (everything commands print),
 * and the line ring the last two keep their text in.
 *
 *   Counters, one sample per command (per frame while a script plays):
 *     pgalloc    ▁▁▃█▁▁▂      +8   total 1234
 *     pgfault    not modelled yet
 *
 *   or, after `t`, one sample per step of simulated time: the engine's
 *   own time series (kmem_timeline), so a `tick` or a command that waits
 *   in congestion_wait shows as the steps it took.  The same event rows,
 *   then levels (free, page cache ...), each scaled to its own maximum:
 *     pgscan     ▁▁▃█▆▂       +256 total 4096
 *     free       ██▁▁▁▂▅        262 max 7227
 *
 * A counter row says "not modelled yet" until its subsystem lands: the
 * engine defines KMEM_HAVE_FAULTS / KMEM_HAVE_SWAP / KMEM_HAVE_RECLAIM in
 * kmem.h (faults come with the process API, KMEM_MAP_ANONYMOUS), or
 * the counter moves.  The Tasks pane shows kmem_task_info for each live
 * process once the engine has processes.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_internal.h"

/* ------------------------------------------------------------------ */
/* Line ring                                                           */
/* ------------------------------------------------------------------ */

void ring_init(struct line_ring *r, size_t size)
{
	r->text = calloc(size, sizeof *r->text);
	r->cap = calloc(size, sizeof *r->cap);
	r->kind = calloc(size, sizeof *r->kind);
	if (!r->text || !r->cap || !r->kind)
		abort();
	r->size = size;
	r->head = r->n = 0;
	r->total = 0;
}

void ring_free(struct line_ring *r)
{
	for (size_t i = 0; i < r->size; i++)
		free(r->text[i]);
	free(r->text);
	free(r->cap);
	free(r->kind);
	memset(r, 0, sizeof *r);
}

void ring_clear(struct line_ring *r)
{
	r->head = r->n = 0;
}

void ring_add(struct line_ring *r, const char *text, size_t len, int kind)
{
	size_t slot = r->head;

	if (r->cap[slot] < len + 1) {
		r->cap[slot] = len + 1 < 64 ? 64 : len + 1;
		r->text[slot] = realloc(r->text[slot], r->cap[slot]);
		if (!r->text[slot])
			abort();
	}
	memcpy(r->text[slot], text, len);
	r->text[slot][len] = '\0';
	r->kind[slot] = (uint8_t)kind;
	r->head = (r->head + 1) % r->size;
	if (r->n < r->size)
		r->n++;
	r->total++;
}

const char *ring_line(const struct line_ring *r, size_t i, int *kind)
{
	size_t slot = (r->head + r->size - r->n + i) % r->size;

	if (kind)
		*kind = r->kind[slot];
	return r->text[slot];
}

/* ------------------------------------------------------------------ */
/* Counters                                                            */
/* ------------------------------------------------------------------ */

enum needs { NEED_NONE, NEED_FAULTS, NEED_SWAP, NEED_RECLAIM };

static const struct counter_def {
	const char *label;      /* row name */
	const char *item;       /* vmstat name, or prefix of a per-zone sum */
	bool prefix;            /* sum every item starting with item */
	enum needs needs;       /* subsystem that feeds it */
} counter_defs[NR_COUNTERS] = {
	[CT_PGALLOC]    = { "pgalloc", "pgalloc_", true, NEED_NONE },
	[CT_PGFREE]     = { "pgfree", "pgfree", false, NEED_NONE },
	[CT_PGFAULT]    = { "pgfault", "pgfault", false, NEED_FAULTS },
	[CT_PGMAJFAULT] = { "pgmajfault", "pgmajfault", false, NEED_FAULTS },
	[CT_PSWPIN]     = { "pswpin", "pswpin", false, NEED_SWAP },
	[CT_PSWPOUT]    = { "pswpout", "pswpout", false, NEED_SWAP },
	[CT_PGSCAN]     = { "pgscan", "pgscan_", true, NEED_RECLAIM },
	[CT_PGSTEAL]    = { "pgsteal", "pgsteal_", true, NEED_RECLAIM },
};

/* The LRU pane's "last interval" events. */
static const struct counter_def lru_defs[5] = {
	{ "activate", "pgactivate", false, NEED_RECLAIM },
	{ "deactivate", "pgdeactivate", false, NEED_RECLAIM },
	{ "rotated", "pgrotated", false, NEED_RECLAIM },
	{ "scan", "pgscan_", true, NEED_RECLAIM },
	{ "steal", "pgsteal_", true, NEED_RECLAIM },
};

static unsigned long stat_sum(const struct kmem_stat_item *it, size_t n,
			      const struct counter_def *d)
{
	size_t len = strlen(d->item);
	unsigned long sum = 0;

	for (size_t i = 0; i < n; i++)
		if (d->prefix ? !strncmp(it[i].name, d->item, len) :
				!strcmp(it[i].name, d->item))
			sum += it[i].value;
	return sum;
}

static bool needs_met(enum needs n)
{
	switch (n) {
	case NEED_NONE:
		return true;
	case NEED_FAULTS:
#if defined(KMEM_HAVE_FAULTS) || defined(KMEM_MAP_ANONYMOUS)
		return true;
#else
		return false;
#endif
	case NEED_SWAP:
#ifdef KMEM_HAVE_SWAP
		return true;
#else
		return false;
#endif
	case NEED_RECLAIM:
#ifdef KMEM_HAVE_RECLAIM
		return true;
#else
		return false;
#endif
	}
	return false;
}

/* One sample: the counters' movement since the last one. */
void counters_update(struct tui *t)
{
	struct counters_data *cd = &t->cd;
	struct kmem_stat_item items[160];
	unsigned long now[NR_COUNTERS], lru[5];

	if (cd->primed && cd->gen == t->gen)
		return;
	cd->gen = t->gen;
	size_t n = kmem_vmstat_items(tui_machine(t), items, 160);
	if (n > 160)
		n = 160;
	for (int c = 0; c < NR_COUNTERS; c++)
		now[c] = stat_sum(items, n, &counter_defs[c]);
	for (int c = 0; c < 5; c++)
		lru[c] = stat_sum(items, n, &lru_defs[c]);
	bool reset = false;
	for (int c = 0; c < NR_COUNTERS; c++)
		if (now[c] < cd->last[c])
			reset = true;   /* `reset` booted a new machine */
	if (cd->primed && !reset) {
		for (int c = 0; c < NR_COUNTERS; c++)
			cd->samples[c][cd->head] = now[c] - cd->last[c];
		cd->head = (cd->head + 1) % SPARK_SAMPLES;
		if (cd->n < SPARK_SAMPLES)
			cd->n++;
		for (int c = 0; c < 5; c++)
			cd->lru[c] = lru[c] >= cd->lru_last[c] ?
				     lru[c] - cd->lru_last[c] : 0;
	}
	memcpy(cd->last, now, sizeof now);
	memcpy(cd->total, now, sizeof now);
	memcpy(cd->lru_last, lru, sizeof lru);
	cd->primed = true;
	size_t held = kmem_timeline(tui_machine(t), cd->tl, SPARK_SAMPLES, NULL);
	cd->tl_n = held < SPARK_SAMPLES ? held : SPARK_SAMPLES;
}

bool counters_lru_seen(const struct tui *t)
{
	for (int c = 0; c < 5; c++)
		if (t->cd.lru_last[c])
			return true;
	return false;
}

/* Levels shown below the counters in per-tick mode. */
static const int level_rows[] = {
	KMEM_TL_FREE, KMEM_TL_FILE, KMEM_TL_ANON, KMEM_TL_DIRTY,
	KMEM_TL_WRITEBACK, KMEM_TL_SWAP,
};
#define NR_LEVEL_ROWS ((int)(sizeof level_rows / sizeof level_rows[0]))

int counters_pref(const struct tui *t, int cols)
{
	(void)cols;
	return 2 + NR_COUNTERS + (t->cd.per_tick ? NR_LEVEL_ROWS : 0);
}

/* The timeline item behind each counter row in per-tick mode. */
static const int counter_tl[NR_COUNTERS] = {
	[CT_PGALLOC] = KMEM_TL_PGALLOC, [CT_PGFREE] = KMEM_TL_PGFREE,
	[CT_PGFAULT] = KMEM_TL_PGFAULT, [CT_PGMAJFAULT] = KMEM_TL_PGMAJFAULT,
	[CT_PSWPIN] = KMEM_TL_PSWPIN, [CT_PSWPOUT] = KMEM_TL_PSWPOUT,
	[CT_PGSCAN] = KMEM_TL_PGSCAN, [CT_PGSTEAL] = KMEM_TL_PGSTEAL,
};

/* One sparkline of timeline item `item`: the newest samples that fit in
 * the sw cells from x, right-aligned; returns the largest value drawn. */
static unsigned long tl_spark(const struct tui *t, const struct view *v,
			      int y, int x, int sw, int item)
{
	const struct counters_data *cd = &t->cd;
	int n = sw < (int)cd->tl_n ? sw : (int)cd->tl_n;
	size_t first = cd->tl_n - (size_t)(n > 0 ? n : 0);
	unsigned long max = 0;

	for (int i = 0; i < n; i++)
		if (cd->tl[first + (size_t)i].v[item] > max)
			max = cd->tl[first + (size_t)i].v[item];
	for (int i = 0; i < n; i++) {
		unsigned long s = cd->tl[first + (size_t)i].v[item];
		int lvl = !s ? 0 : (int)((s * 8 + max - 1) / max);
		v_putch(v, y, x + (sw - n) + i, C_SPARK,
			t->g->spark[lvl < 0 ? 0 : lvl > 8 ? 8 : lvl]);
	}
	return max;
}

static void counters_draw_ticks(const struct tui *t, const struct view *v)
{
	const struct counters_data *cd = &t->cd;
	const struct kmem_tl_desc *d = kmem_tl_items();
	char buf[16], buf2[16];
	int sw = v->w - 11 - 22;
	int x = 11 + (sw > 0 ? sw : 0);

	for (int c = 0; c < NR_COUNTERS; c++) {
		const struct counter_def *cdef = &counter_defs[c];
		int item = counter_tl[c];
		v_printf(v, c, 0, C_LABEL, "%-10s", cdef->label);
		if (!needs_met(cdef->needs) && !cd->total[c]) {
			v_puts(v, c, 11, C_DIM, "not modelled yet");
			continue;
		}
		tl_spark(t, v, c, 11, sw, item);
		unsigned long last = cd->tl_n ? cd->tl[cd->tl_n - 1].v[item] : 0;
		v_rprintf(v, c, x, 8, last ? C_CHANGED : C_DIM, "+%s",
			  fmt_count(buf, sizeof buf, last, 7));
		v_printf(v, c, x + 9, C_NORMAL, "total %s",
			 fmt_count(buf, sizeof buf, cd->total[c], 7));
	}
	for (int r = 0; r < NR_LEVEL_ROWS; r++) {
		int y = NR_COUNTERS + r, item = level_rows[r];
		if (y >= v->h)
			break;
		v_printf(v, y, 0, C_LABEL, "%-10s", d[item].name);
		unsigned long max = tl_spark(t, v, y, 11, sw, item);
		unsigned long now = cd->tl_n ? cd->tl[cd->tl_n - 1].v[item] : 0;
		v_rprintf(v, y, x, 8, C_NORMAL, "%s",
			  fmt_count(buf, sizeof buf, now, 7));
		v_printf(v, y, x + 9, C_DIM, "max %s",
			 fmt_count(buf2, sizeof buf2, max, 7));
	}
}

void counters_draw(const struct tui *t, const struct view *v)
{
	const struct counters_data *cd = &t->cd;
	char buf[16];
	int sw = v->w - 11 - 22;

	if (cd->per_tick) {
		counters_draw_ticks(t, v);
		return;
	}

	for (int c = 0; c < NR_COUNTERS; c++) {
		const struct counter_def *d = &counter_defs[c];
		v_printf(v, c, 0, C_LABEL, "%-10s", d->label);
		if (!needs_met(d->needs) && !cd->total[c]) {
			v_puts(v, c, 11, C_DIM, "not modelled yet");
			continue;
		}
		int n = sw < (int)cd->n ? sw : (int)cd->n;
		unsigned long max = 0;
		for (int i = 0; i < n; i++) {
			size_t k = (cd->head + SPARK_SAMPLES - (size_t)n + (size_t)i) %
				   SPARK_SAMPLES;
			if (cd->samples[c][k] > max)
				max = cd->samples[c][k];
		}
		for (int i = 0; i < n && sw > 0; i++) {
			size_t k = (cd->head + SPARK_SAMPLES - (size_t)n + (size_t)i) %
				   SPARK_SAMPLES;
			unsigned long s = cd->samples[c][k];
			int lvl = !s ? 0 : (int)((s * 8 + max - 1) / max);
			v_putch(v, c, 11 + (sw - n) + i, C_SPARK,
				t->g->spark[lvl < 0 ? 0 : lvl > 8 ? 8 : lvl]);
		}
		unsigned long last = cd->n ?
			cd->samples[c][(cd->head + SPARK_SAMPLES - 1) % SPARK_SAMPLES] : 0;
		int x = 11 + (sw > 0 ? sw : 0);
		v_rprintf(v, c, x, 8, last ? C_CHANGED : C_DIM, "+%s",
			  fmt_count(buf, sizeof buf, last, 7));
		v_printf(v, c, x + 9, C_NORMAL, "total %s",
			 fmt_count(buf, sizeof buf, cd->total[c], 7));
	}
}

/* ------------------------------------------------------------------ */
/* Tasks                                                               */
/* ------------------------------------------------------------------ */

/* kmem.h declares the process API (kmem_task_list, kmem_task_info) in
 * the same change that brings KMEM_MAP_ANONYMOUS: that macro tells us at
 * compile time whether there are processes to show. */
#ifdef KMEM_MAP_ANONYMOUS
#define HAVE_TASKS 1
#else
#define HAVE_TASKS 0
#endif

void tasks_update(struct tui *t)
{
	struct tasks_data *td = &t->td;

	td->modelled = HAVE_TASKS;
	td->n = td->ntasks = 0;
#if HAVE_TASKS
	struct machine *m = tui_machine(t);
	size_t n = kmem_task_list(m, NULL, 0);
	int *pids = calloc(n ? n : 1, sizeof *pids);
	if (!pids)
		abort();
	n = kmem_task_list(m, pids, n);
	if (n > td->cap) {
		td->cap = n;
		td->rows = realloc(td->rows, n * sizeof *td->rows);
		if (!td->rows)
			abort();
	}
	td->ntasks = n;
	for (size_t i = 0; i < n; i++) {
		struct kmem_task_info ti;
		if (kmem_task_info(m, pids[i], &ti))
			continue;
		if (td->filter[0] && !strstr(ti.comm, td->filter))
			continue;
		struct task_row *r = &td->rows[td->n++];
		r->pid = ti.pid;
		snprintf(r->comm, sizeof r->comm, "%s", ti.comm);
		r->vsz = ti.total_vm;
		r->anon = ti.anon_rss;
		r->file = ti.file_rss;
		r->minflt = ti.min_flt;
		r->majflt = ti.maj_flt;
	}
	free(pids);
#endif
	t->pane[W_TASKS].content_rows = 1 + (int)td->n;
}

unsigned tasks_search(struct tui *t, const char *text)
{
	snprintf(t->td.filter, sizeof t->td.filter, "%s", text);
	t->pane[W_TASKS].scroll = 0;
	t->wgen[W_TASKS] = 0;
	return TUI_REDRAW | TUI_UPDATE;
}

int tasks_pref(const struct tui *t, int cols)
{
	(void)cols;
	/* fixed, not from the task count: the layout comes before the
	 * update that counts them */
	return t->td.modelled || HAVE_TASKS ? 2 + 1 + 6 + 1 : 2 + 2;
}

void tasks_draw(const struct tui *t, const struct view *v)
{
	const struct tasks_data *td = &t->td;
	char a[16], b[16], c[16], d[16], e[16];

	/* RSS is ANON + FILE; KiB like ps; FLT minor, MAJ major faults */
	v_puts(v, 0, 0, C_LABEL, "  PID NAME          VSZ   ANON   FILE SWAP"
	       "    FLT  MAJ OOM");
	if (!td->modelled) {
		v_puts(v, 1, 0, C_DIM, "not modelled yet (processes and page "
		       "faults)");
		return;
	}
	if (!td->n) {
		v_puts(v, 1, 0, C_DIM, td->filter[0] ? "(no task name matches)" :
		       "(no processes)");
		return;
	}
	int first = t->pane[W_TASKS].scroll;
	for (size_t i = (size_t)first, y = 1; i < td->n && (int)y < v->h - 1;
	     i++, y++) {
		const struct task_row *r = &td->rows[i];
		unsigned long kib = KMEM_PAGE_SIZE / 1024;
		v_printf(v, (int)y, 0, C_NORMAL,
			 "%5d %-10.10s %6s %6s %6s %4s %6s %4s %3s", r->pid,
			 r->comm, fmt_count(a, sizeof a, r->vsz * kib, 6),
			 fmt_count(b, sizeof b, r->anon * kib, 6),
			 fmt_count(c, sizeof c, r->file * kib, 6), "-",
			 fmt_count(d, sizeof d, r->minflt, 6),
			 fmt_count(e, sizeof e, r->majflt, 4), "-");
	}
	v_printf(v, v->h - 1, 0, C_DIM, "%zu task%s, sizes in KiB%s; swap and "
		 "OOM score not modelled yet", td->ntasks,
		 td->ntasks == 1 ? "" : "s", td->filter[0] ? " (filtered)" : "");
}

void tasks_free_data(struct tui *t)
{
	free(t->td.rows);
	memset(&t->td, 0, sizeof t->td);
}

/* ------------------------------------------------------------------ */
/* Trace and Output                                                    */
/* ------------------------------------------------------------------ */

static const int kind_color[] = {
	[LK_OUT] = C_NORMAL, [LK_ERR] = C_ERROR, [LK_KERNEL] = C_KERNEL,
	[LK_ECHO] = C_ECHO, [LK_NOTE] = C_DIM,
};

static void draw_lines(const struct line_ring *r, const struct view *v,
		       size_t first, int hl, const struct tui *t)
{
	for (int y = 0; y < v->h && first + (size_t)y < r->n; y++) {
		int kind;
		const char *s = ring_line(r, first + (size_t)y, &kind);
		int n = v_puts(v, y, 0, kind_color[kind], s);
		if ((int)strlen(s) > v->w && v->w > 0)
			v_putch(v, y, v->w - 1, C_DIM, t->g->ellipsis);
		if ((int)(first + (size_t)y) == hl)
			v_paint(v, y, 0, n ? n : 1, C_MATCH, 0);
	}
}

void trace_draw(const struct tui *t, const struct view *v)
{
	const struct line_ring *r = &t->trace;

	if (!r->n) {
		v_puts(v, 0, 0, C_DIM, t->commands ? "(the last command called "
		       "no traced kernel function)" : "(each command's call tree)");
		return;
	}
	draw_lines(r, v, (size_t)t->pane[W_TRACE].scroll, t->pane[W_TRACE].hl_line,
		   t);
}

void output_draw(const struct tui *t, const struct view *v)
{
	const struct line_ring *r = &t->out;
	size_t shown = (size_t)v->h;
	size_t up = (size_t)t->pane[W_OUTPUT].scroll;
	size_t first = r->n > shown + up ? r->n - shown - up : 0;

	draw_lines(r, v, first, t->pane[W_OUTPUT].hl_line, t);
	if (up && v->h > 0)
		v_printf(v, v->h - 1, v->w - 18, C_SELECT, " %zu more below ",
			 up);
}

/* Index of the next line after from (wrapping) containing text, or -1. */
static long find_line(const struct line_ring *r, const char *text, long from,
		      bool backwards)
{
	long n = (long)r->n;

	for (long k = 1; k <= n; k++) {
		long i = backwards ? (from - k + 2 * n) % n : (from + k) % n;
		if (strstr(ring_line(r, (size_t)i, NULL), text))
			return i;
	}
	return -1;
}

unsigned trace_search(struct tui *t, const char *text)
{
	struct pane *p = &t->pane[W_TRACE];

	if (!text[0] || !t->trace.n) {
		p->hl_line = -1;
		return TUI_REDRAW;
	}
	long i = find_line(&t->trace, text, p->hl_line >= 0 ? p->hl_line :
			   (long)p->scroll - 1, false);
	p->hl_line = (int)i;
	if (i >= 0) {
		int h = pane_inner_rows(t, W_TRACE);
		if (i < p->scroll || i >= p->scroll + h)
			p->scroll = (int)i;
	}
	return TUI_REDRAW;
}

unsigned output_search(struct tui *t, const char *text)
{
	struct pane *p = &t->pane[W_OUTPUT];
	long n = (long)t->out.n;

	if (!text[0] || !n) {
		p->hl_line = -1;
		return TUI_REDRAW;
	}
	long i = find_line(&t->out, text, p->hl_line >= 0 ? p->hl_line : n,
			   true);
	p->hl_line = (int)i;
	if (i >= 0) {
		int h = pane_inner_rows(t, W_OUTPUT);
		long first = n - h - p->scroll;
		if (i < first || i >= first + h) {
			long up = n - h - i;
			p->scroll = up < 0 ? 0 : (int)up;
		}
	}
	return TUI_REDRAW;
}
