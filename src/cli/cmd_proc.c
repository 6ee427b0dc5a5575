/*
 * cmd_proc.c - the virtual /proc: cat, ls, and echo (which also writes
 * the /proc/sys/vm tunables, as `echo 1024 > /proc/sys/vm/min_free_kbytes`
 * does on a real machine).
 *
 * The text is the engine's (kmem_proc_read): the formats are part of what
 * is modelled, so nothing here reformats them.  In --json mode the common
 * files are also given structured, from the engine's snapshot queries.
 *
 *   /proc/buddyinfo  zoneinfo  meminfo  vmstat
 *   /proc/sys/vm/    min_free_kbytes  lowmem_reserve_ratio  ...
 *
 * Paths may be written with or without the leading /proc/.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* "/proc/sys/vm/x" -> "sys/vm/x"; "/proc" -> "".  NULL if outside /proc. */
static const char *proc_rel(const char *path)
{
	if (!strcmp(path, "/proc") || !strcmp(path, "/proc/"))
		return "";
	if (!strncmp(path, "/proc/", 6))
		return path + 6;
	if (path[0] == '/')
		return NULL;
	return path;
}

/* Is rel ("", "sys", "sys/vm/") a directory of the virtual /proc? */
static bool proc_is_dir(struct session *s, const char *rel)
{
	size_t n = strlen(rel);

	while (n && rel[n - 1] == '/')
		n--;
	if (!n)
		return true;
	for (const char *const *e = kmem_proc_entries(s->m); *e; e++)
		if (!strncmp(*e, rel, n) && (*e)[n] == '/')
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* cat                                                                 */
/* ------------------------------------------------------------------ */

static void buddyinfo_json(struct session *s)
{
	struct kmem_zone_info zi;

	json_begin_array(s, "zones");
	for (unsigned n = 0; n < s->info.nr_nodes; n++)
		for (int i = 0; i < KMEM_MAX_NR_ZONES; i++) {
			if (kmem_zone_info(s->m, (int)n, i, &zi) || !zi.populated)
				continue;
			json_begin_object(s, NULL);
			json_u64(s, "node", n);
			json_str(s, "zone", zi.name);
			json_begin_array(s, "nr_free");
			for (int o = 0; o < KMEM_MAX_ORDER; o++)
				json_u64(s, NULL, zi.nr_free[o]);
			json_end_array(s);
			json_end_object(s);
		}
	json_end_array(s);
}

static void pcp_json(struct session *s, const char *key, int nid, int idx,
		     unsigned cpu, int cold)
{
	struct kmem_pcp_info pi;

	if (kmem_pcp_info(s->m, nid, idx, cpu, cold, &pi))
		return;
	json_begin_object(s, key);
	json_i64(s, "count", pi.count);
	json_i64(s, "high", pi.high);
	json_i64(s, "batch", pi.batch);
	json_end_object(s);
}

static void zoneinfo_json(struct session *s)
{
	struct kmem_zone_info zi;

	json_begin_array(s, "zones");
	for (unsigned n = 0; n < s->info.nr_nodes; n++)
		for (int i = 0; i < KMEM_MAX_NR_ZONES; i++) {
			if (kmem_zone_info(s->m, (int)n, i, &zi) || !zi.populated)
				continue;
			json_begin_object(s, NULL);
			json_u64(s, "node", n);
			json_str(s, "zone", zi.name);
			json_u64(s, "pages_free", zi.free_pages);
			json_u64(s, "min", zi.pages_min);
			json_u64(s, "low", zi.pages_low);
			json_u64(s, "high", zi.pages_high);
			json_u64(s, "active", zi.nr_active);
			json_u64(s, "inactive", zi.nr_inactive);
			json_u64(s, "scanned", zi.pages_scanned);
			json_u64(s, "spanned", zi.spanned);
			json_u64(s, "present", zi.present);
			json_begin_array(s, "protection");
			for (int k = 0; k < KMEM_MAX_NR_ZONES; k++)
				json_u64(s, NULL, zi.lowmem_reserve[k]);
			json_end_array(s);
			json_begin_array(s, "pagesets");
			for (unsigned cpu = 0; cpu < s->info.cpus; cpu++) {
				json_begin_object(s, NULL);
				json_u64(s, "cpu", cpu);
				pcp_json(s, "hot", (int)n, i, cpu, 0);
				pcp_json(s, "cold", (int)n, i, cpu, 1);
				json_end_object(s);
			}
			json_end_array(s);
			json_bool(s, "all_unreclaimable", zi.all_unreclaimable);
			json_i64(s, "prev_priority", zi.prev_priority);
			json_u64(s, "start_pfn", zi.start_pfn);
			json_end_object(s);
		}
	json_end_array(s);
}

static void items_json(struct session *s, bool meminfo)
{
	struct kmem_stat_item items[128];
	size_t n = meminfo ? kmem_meminfo_items(s->m, items, 128) :
		   kmem_vmstat_items(s->m, items, 128);

	if (n > 128)
		n = 128;
	if (meminfo)
		json_str(s, "unit", "kB");
	json_begin_object(s, "values");
	for (size_t i = 0; i < n; i++)
		json_u64(s, items[i].name, items[i].value);
	json_end_object(s);
}

static void sysctl_json(struct session *s, const char *name)
{
	int id = kmem_sysctl_lookup(name);
	long v[KMEM_SYSCTL_VEC_MAX];

	if (id < 0)
		return;
	const struct kmem_sysctl_desc *d = &kmem_sysctl_table()[id];
	int n = kmem_sysctl_get(s->m, id, v);
	json_str(s, "name", name);
	if (d->type == KMEM_SYSCTL_INT_VEC) {
		json_begin_array(s, "value");
		for (int k = 0; k < n; k++)
			json_i64(s, NULL, v[k]);
		json_end_array(s);
	} else if (n > 0) {
		json_i64(s, "value", v[0]);
	}
	if (d->unit && d->unit[0])
		json_str(s, "unit", d->unit);
}

static int cat_one(struct session *s, const char *path)
{
	const char *rel = proc_rel(path);
	struct kbuf *b = &s->scratch;

	if (!rel)
		return sess_error(s, "cat: %s: only /proc exists in this machine",
				  path);
	if (proc_is_dir(s, rel))
		return sess_error(s, "cat: %s: Is a directory", path);
	kbuf_reset(b);
	if (kmem_proc_read(s->m, rel, b))
		return sess_error(s, "cat: %s", kmem_last_error(s->m));
	if (sess_json(s)) {
		char full[256];
		snprintf(full, sizeof full, "/proc/%s", rel);
		json_begin_object(s, NULL);
		json_str(s, "path", full);
		if (!strcmp(rel, "buddyinfo"))
			buddyinfo_json(s);
		else if (!strcmp(rel, "zoneinfo"))
			zoneinfo_json(s);
		else if (!strcmp(rel, "meminfo"))
			items_json(s, true);
		else if (!strcmp(rel, "vmstat"))
			items_json(s, false);
		else if (!strncmp(rel, "sys/vm/", 7))
			sysctl_json(s, rel + 7);
		json_str(s, "text", b->data ? b->data : "");
		json_end_object(s);
		return 0;
	}
	sess_write(s, b->data ? b->data : "", b->len);
	return 0;
}

static int run_cat(struct session *s, int argc, char **argv)
{
	int rc = 0;

	json_begin_array(s, "files");
	for (int i = 1; i < argc; i++)
		if (cat_one(s, argv[i]))
			rc = -1;
	json_end_array(s);
	return rc;
}

/* ------------------------------------------------------------------ */
/* ls                                                                  */
/* ------------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Print names in columns, down then across, as ls does, 80 wide. */
static void print_columns(struct session *s, char **names, size_t n)
{
	size_t width = 0;

	for (size_t i = 0; i < n; i++)
		if (strlen(names[i]) > width)
			width = strlen(names[i]);
	width += 2;
	size_t cols = 80 / width ? 80 / width : 1;
	size_t rows = (n + cols - 1) / cols;
	for (size_t r = 0; r < rows; r++) {
		for (size_t c = 0; c < cols; c++) {
			size_t i = c * rows + r;
			if (i >= n)
				break;
			bool last = c + 1 == cols || (c + 1) * rows + r >= n;
			if (last) {
				sess_printf(s, "%s", names[i]);
				break;
			}
			sess_printf(s, "%-*s", (int)width, names[i]);
		}
		sess_printf(s, "\n");
	}
}

static int run_ls(struct session *s, int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/proc";
	const char *rel = proc_rel(path);
	char *names[128];
	char dir[256];
	size_t n = 0;

	if (!rel)
		return sess_error(s, "ls: cannot access '%s': only /proc exists "
				  "in this machine", path);
	snprintf(dir, sizeof dir, "%s", rel);
	size_t dl = strlen(dir);
	while (dl && dir[dl - 1] == '/')
		dir[--dl] = '\0';
	if (!proc_is_dir(s, dir)) {
		for (const char *const *e = kmem_proc_entries(s->m); *e; e++)
			if (!strcmp(*e, dir)) {
				json_begin_array(s, "entries");
				json_str(s, NULL, path);
				json_end_array(s);
				sess_printf(s, "%s\n", path);
				return 0;
			}
		return sess_error(s, "ls: cannot access '%s': No such file or "
				  "directory", path);
	}
	for (const char *const *e = kmem_proc_entries(s->m); *e && n < 128; e++) {
		const char *rest = *e;
		if (dl) {
			if (strncmp(rest, dir, dl) || rest[dl] != '/')
				continue;
			rest += dl + 1;
		}
		const char *slash = strchr(rest, '/');
		char name[96];
		if (slash)
			snprintf(name, sizeof name, "%.*s/", (int)(slash - rest), rest);
		else
			snprintf(name, sizeof name, "%s", rest);
		bool dup = false;
		for (size_t k = 0; k < n; k++)
			if (!strcmp(names[k], name))
				dup = true;
		if (dup)
			continue;
		names[n] = cli_realloc(NULL, strlen(name) + 1);
		strcpy(names[n++], name);
	}
	qsort(names, n, sizeof names[0], cmp_str);
	json_begin_array(s, "entries");
	for (size_t i = 0; i < n; i++)
		json_str(s, NULL, names[i]);
	json_end_array(s);
	if (sess_text(s))
		print_columns(s, names, n);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	return 0;
}

/* ------------------------------------------------------------------ */
/* echo                                                                */
/* ------------------------------------------------------------------ */

static int run_echo(struct session *s, int argc, char **argv)
{
	struct kbuf *b = &s->scratch;

	kbuf_reset(b);
	kbuf_append(b, "", 0);
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			kbuf_append(b, " ", 1);
		kbuf_append(b, argv[i], strlen(argv[i]));
	}
	if (!s->cur.redirect) {
		sess_printf(s, "%s\n", b->data);
		return 0;
	}
	const char *path = s->cur.redirect;
	const char *rel = proc_rel(path);
	if (!rel)
		return sess_error(s, "echo: %s: only /proc exists in this machine "
				  "(write tunables in /proc/sys/vm)", path);
	if (kmem_proc_write(s->m, rel, b->data))
		return sess_error(s, "echo: %s", kmem_last_error(s->m));
	/* tunables change geometry-derived numbers the prompt does not show,
	 * but keep the cached machine info fresh anyway */
	kmem_machine_info(s->m, &s->info);
	char full[256];
	snprintf(full, sizeof full, "/proc/%s", rel);
	json_str(s, "path", full);
	json_str(s, "written", b->data);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Completion and the table entries                                    */
/* ------------------------------------------------------------------ */

void complete_proc(struct session *s, struct completion *c)
{
	char b[160];

	compl_add(c, "/proc/");
	compl_add(c, "/proc/sys/");
	compl_add(c, "/proc/sys/vm/");
	for (const char *const *e = kmem_proc_entries(s->m); *e; e++) {
		snprintf(b, sizeof b, "/proc/%s", *e);
		compl_add(c, b);
	}
}

static void complete_cat(struct session *s, int argi, char **argv,
			 struct completion *c)
{
	complete_proc(s, c);
}

static void complete_ls(struct session *s, int argi, char **argv,
			struct completion *c)
{
	if (argi != 1)
		return;
	compl_add(c, "/proc");
	compl_add(c, "/proc/sys");
	compl_add(c, "/proc/sys/vm");
}

const struct command cmd_cat = {
	.name = "cat",
	.usage = "cat /proc/FILE...",
	.summary = "print /proc files (buddyinfo, meminfo ...)",
	.example = "cat /proc/buddyinfo",
	.detail = "The text is 2.6.20's, produced by the engine.  With --json "
		  "buddyinfo, zoneinfo, meminfo, vmstat and the tunables are also "
		  "given as structured values.",
	.family = FAM_PROC,
	.min_args = 1, .max_args = -1,
	.run = run_cat,
	.complete = complete_cat,
};

const struct command cmd_ls = {
	.name = "ls",
	.usage = "ls [/proc/DIR]",
	.summary = "list /proc, /proc/sys or /proc/sys/vm",
	.example = "ls /proc/sys/vm",
	.family = FAM_PROC,
	.min_args = 0, .max_args = 1,
	.run = run_ls,
	.complete = complete_ls,
};

const struct command cmd_echo = {
	.name = "echo",
	.usage = "echo [TEXT...] [> /proc/sys/vm/NAME]",
	.summary = "print TEXT, or write it to a tunable",
	.example = "echo 2048 > /proc/sys/vm/min_free_kbytes",
	.detail = "Writing validates the value against the tunable's range and "
		  "runs the kernel's handler: min_free_kbytes recomputes the "
		  "watermarks, lowmem_reserve_ratio the protection, "
		  "percpu_pagelist_fraction the per-CPU high marks.",
	.family = FAM_PROC,
	.min_args = 0, .max_args = -1,
	.flags = CMD_REDIRECT | CMD_MUTATES,
	.run = run_echo,
	.complete = complete_cat,
};
