/*
 * cmd_timeline.c - `show timeline`: the engine's time series of global
 * counters (kmem_timeline, src/core/timeline.c) as a table, one row per
 * step of simulated time.
 *
 *   kmemlab(tiny cpu0)> show timeline -n 3 free dirty pgscan
 *   timeline: the last 3 of 9 samples (9 taken since boot, 1024 kept), HZ 250
 *   jiffies  free  dirty  pgscan
 *      1250   412    815       0
 *      1275   380    790      64
 *      2500  1022      0     128
 *   levels in pages; pgscan: events since the previous sample
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define TL_DEFAULT_ROWS 20

/* What `show timeline` prints without COUNTER words. */
static const int default_cols[] = {
	KMEM_TL_FREE, KMEM_TL_ACTIVE, KMEM_TL_INACTIVE, KMEM_TL_DIRTY,
	KMEM_TL_WRITEBACK, KMEM_TL_PGALLOC, KMEM_TL_PGSCAN, KMEM_TL_PGSTEAL,
};

static const char usage_text[] = "show timeline [-n N|all] [COUNTER ...]";

/* The closest counter name to a typo, or NULL. */
static const char *closest_item(const char *word)
{
	const struct kmem_tl_desc *d = kmem_tl_items();
	const char *best = NULL;
	unsigned best_d = 3;

	for (int i = 0; i < KMEM_TL_NR_ITEMS; i++) {
		unsigned dist = edit_distance(word, d[i].name);
		if (dist < best_d) {
			best_d = dist;
			best = d[i].name;
		}
	}
	return best;
}

static int udigits(uint64_t v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* Parse the words after `show timeline`: 0, or -1 after the error. */
static int parse_args_tl(struct session *s, int argc, char **argv,
			 size_t *rows, int *cols, int *ncols)
{
	const struct kmem_tl_desc *d = kmem_tl_items();

	*rows = TL_DEFAULT_ROWS;
	*ncols = 0;
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];
		if (!strcmp(w, "-n")) {
			uint64_t n;
			if (i + 1 >= argc)
				return sess_error(s, "show timeline: -n needs a "
						  "number of samples or 'all'");
			w = argv[++i];
			if (!strcmp(w, "all")) {
				*rows = KMEM_TL_SAMPLES;
				continue;
			}
			if (parse_u64(w, &n) || n == 0)
				return sess_error(s, "show timeline: -n wants a "
						  "number of samples (1 or more) "
						  "or 'all', not '%s'", w);
			*rows = n > KMEM_TL_SAMPLES ? KMEM_TL_SAMPLES : (size_t)n;
			continue;
		}
		if (w[0] == '-')
			return sess_error(s, "show timeline: unknown option '%s' "
					  "(usage: %s)", w, usage_text);
		int item = kmem_tl_lookup(w);
		if (item < 0) {
			const char *best = closest_item(w);
			if (best)
				return sess_error(s, "show timeline: unknown counter "
						  "'%s' (did you mean '%s'?)", w,
						  best);
			return sess_error(s, "show timeline: unknown counter '%s' "
					  "(see 'help show timeline')", w);
		}
		for (int k = 0; k < *ncols; k++)
			if (cols[k] == item)
				return sess_error(s, "show timeline: counter '%s' "
						  "given twice", d[item].name);
		cols[(*ncols)++] = item;
	}
	if (!*ncols) {
		*ncols = (int)(sizeof default_cols / sizeof default_cols[0]);
		memcpy(cols, default_cols, sizeof default_cols);
	}
	return 0;
}

static void print_table(struct session *s, const struct kmem_tl_sample *smp,
			size_t n, size_t held, unsigned long taken,
			const int *cols, int ncols)
{
	const struct kmem_tl_desc *d = kmem_tl_items();
	int width[KMEM_TL_NR_ITEMS], jw = (int)strlen("jiffies");
	char events[256] = "";
	size_t off = 0;

	for (size_t r = 0; r < n; r++)
		if (udigits(smp[r].jiffies) > jw)
			jw = udigits(smp[r].jiffies);
	for (int c = 0; c < ncols; c++) {
		width[c] = (int)strlen(d[cols[c]].name);
		for (size_t r = 0; r < n; r++)
			if (udigits(smp[r].v[cols[c]]) > width[c])
				width[c] = udigits(smp[r].v[cols[c]]);
	}
	if (n == held)
		sess_printf(s, "timeline: %zu sample%s (%lu taken since boot, "
			    "%d kept), HZ %d\n", n, n == 1 ? "" : "s", taken,
			    KMEM_TL_SAMPLES, KMEM_HZ);
	else
		sess_printf(s, "timeline: the last %zu of %zu samples (%lu taken "
			    "since boot, %d kept), HZ %d\n", n, held, taken,
			    KMEM_TL_SAMPLES, KMEM_HZ);
	sess_printf(s, "%*s", jw, "jiffies");
	for (int c = 0; c < ncols; c++)
		sess_printf(s, "  %*s", width[c], d[cols[c]].name);
	sess_printf(s, "\n");
	for (size_t r = 0; r < n; r++) {
		sess_printf(s, "%*llu", jw, (unsigned long long)smp[r].jiffies);
		for (int c = 0; c < ncols; c++)
			sess_printf(s, "  %*lu", width[c], smp[r].v[cols[c]]);
		sess_printf(s, "\n");
	}
	for (int c = 0; c < ncols && off < sizeof events; c++)
		if (d[cols[c]].event)
			off += (size_t)snprintf(events + off, sizeof events - off,
						"%s%s", off ? ", " : "",
						d[cols[c]].name);
	if (events[0])
		sess_printf(s, "levels in pages; %s: events since the previous "
			    "sample\n", events);
	else
		sess_printf(s, "levels in pages\n");
}

static int show_timeline(struct session *s, int argc, char **argv)
{
	const struct kmem_tl_desc *d = kmem_tl_items();
	int cols[KMEM_TL_NR_ITEMS], ncols;
	size_t rows;
	unsigned long taken;

	if (parse_args_tl(s, argc, argv, &rows, cols, &ncols))
		return -1;
	struct kmem_tl_sample *smp = cli_realloc(NULL, rows * sizeof *smp);
	size_t held = kmem_timeline(s->m, smp, rows, &taken);
	size_t n = held < rows ? held : rows;

	json_u64(s, "hz", KMEM_HZ);
	json_u64(s, "held", held);
	json_u64(s, "taken", taken);
	json_u64(s, "capacity", KMEM_TL_SAMPLES);
	json_begin_array(s, "columns");
	for (int c = 0; c < ncols; c++) {
		json_begin_object(s, NULL);
		json_str(s, "name", d[cols[c]].name);
		json_str(s, "kind", d[cols[c]].event ? "event" : "level");
		json_end_object(s);
	}
	json_end_array(s);
	json_begin_array(s, "samples");
	for (size_t r = 0; r < n; r++) {
		json_begin_object(s, NULL);
		json_u64(s, "jiffies", smp[r].jiffies);
		for (int c = 0; c < ncols; c++)
			json_u64(s, d[cols[c]].name, smp[r].v[cols[c]]);
		json_end_object(s);
	}
	json_end_array(s);
	if (sess_text(s))
		print_table(s, smp, n, held, taken, cols, ncols);
	free(smp);
	return 0;
}

/* argv[0] "show", argv[1] "timeline": counter names, -n, and after -n
 * the word all. */
static void complete_show_timeline(struct session *s, int argi, char **argv,
				   struct completion *c)
{
	const struct kmem_tl_desc *d = kmem_tl_items();

	(void)s;
	if (argi >= 3 && !strcmp(argv[argi - 1], "-n")) {
		compl_add(c, "all");
		return;
	}
	compl_add(c, "-n");
	for (int i = 0; i < KMEM_TL_NR_ITEMS; i++) {
		bool given = false;
		for (int k = 2; k < argi; k++)
			if (!strcmp(argv[k], d[i].name))
				given = true;
		if (!given)
			compl_add(c, d[i].name);
	}
}

const struct command show_timeline_entry = {
	.name = "timeline", .usage = usage_text,
	.summary = "counters sampled at each step of simulated time",
	.example = "show timeline -n 5 free dirty pgscan",
	.detail = "The engine samples a fixed set of counters whenever "
		  "simulated time moves (jiffies, HZ 250): at the end of each "
		  "tick, at each wb_kupdate run inside a long tick, in "
		  "congestion_wait and in the page allocator's retry wait, and "
		  "once at boot.  The newest 1024 samples are kept.  Levels, in "
		  "pages: free active inactive anon file mapped dirty writeback "
		  "slab swap (slots in use).  Events since the previous sample: "
		  "pgalloc pgfree pgfault pgmajfault pgscan (kswapd and direct) "
		  "pgsteal pgpgin pgpgout (KiB) pswpin pswpout allocstall.  "
		  "Without COUNTER words: free active inactive dirty writeback "
		  "pgalloc pgscan pgsteal.  -n N prints the last N samples "
		  "(default 20), -n all every one kept.",
	.family = FAM_SHOW, .min_args = 0, .max_args = 2 + KMEM_TL_NR_ITEMS,
	.run = show_timeline, .complete = complete_show_timeline,
};
