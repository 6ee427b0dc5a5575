/*
 * command.c - the command table and how a word finds its entry (STYLE §3,
 * after tmux's cmd_find): the exact name, else a unique prefix, else an
 * "ambiguous" or "unknown ... did you mean" error.  `help` renders the
 * same entries, so usage text cannot drift from what the dispatcher
 * checks.
 *
 * The table holds pointers to entries defined beside their handlers
 * (cmd_page.c, cmd_proc.c ...), sorted by strcmp so lookup is a binary
 * search; command_table_check() verifies the order in debug builds.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const struct command *const command_table[] = {
	&cmd___free_page,
	&cmd___free_pages,
	&cmd___get_dma_pages,
	&cmd___get_free_page,
	&cmd___get_free_pages,
	&cmd_access,
	&cmd_alloc_page,
	&cmd_alloc_pages,
	&cmd_alloc_pages_node,
	&cmd_brk,
	&cmd_cat,
	&cmd_check,
	&cmd_cpu,
	&cmd_disk,
	&cmd_dmesg,
	&cmd_drain_pages,
	&cmd_dump,
	&cmd_echo,
	&cmd_exit,
	&cmd_expect,
	&cmd_explain,
	&cmd_fault,
	&cmd_file,
	&cmd_fork,
	&cmd_free,
	&cmd_free_page,
	&cmd_free_pages,
	&cmd_fsync,
	&cmd_get_zeroed_page,
	&cmd_help,
	&cmd_history,
	&cmd_ioremap,
	&cmd_iounmap,
	&cmd_kfree,
	&cmd_kill,
	&cmd_kmalloc,
	&cmd_kmalloc_node,
	&cmd_kmap,
	&cmd_kmap_atomic,
	&cmd_kmem_cache_alloc,
	&cmd_kmem_cache_create,
	&cmd_kmem_cache_destroy,
	&cmd_kmem_cache_free,
	&cmd_kmem_cache_shrink,
	&cmd_ksize,
	&cmd_kswapd,
	&cmd_kunmap,
	&cmd_kunmap_atomic,
	&cmd_kzalloc,
	&cmd_lru_add_drain,
	&cmd_ls,
	&cmd_map,
	&cmd_mempool_alloc,
	&cmd_mempool_create,
	&cmd_mempool_destroy,
	&cmd_mempool_free,
	&cmd_mempool_resize,
	&cmd_memset,
	&cmd_migrate_pages,
	&cmd_mmap,
	&cmd_mprotect,
	&cmd_mremap,
	&cmd_munmap,
	&cmd_nice,
	&cmd_oom,
	&cmd_play,
	&cmd_print,
	&cmd_ps,
	&cmd_quit,
	&cmd_read,
	&cmd_reclaim,
	&cmd_reset,
	&cmd_run,
	&cmd_seed,
	&cmd_setuid,
	&cmd_show,
	&cmd_source,
	&cmd_spawn,
	&cmd_stress,
	&cmd_swap_token,
	&cmd_swapoff,
	&cmd_swapon,
	&cmd_swapout,
	&cmd_sync,
	&cmd_tick,
	&cmd_touch,
	&cmd_trace,
	&cmd_tui,
	&cmd_vfree,
	&cmd_vmalloc,
	&cmd_vmalloc_32,
	&cmd_vmalloc_node,
	&cmd_vmalloc_user,
	&cmd_vmap,
	&cmd_vunmap,
	&cmd_whatis,
	&cmd_write,
};
const size_t command_count = sizeof command_table / sizeof command_table[0];

static const char *const family_titles[NR_FAMILIES] = {
	[FAM_PAGE] = "Page allocator (mm/page_alloc.c)",
	[FAM_PROC] = "/proc",
	[FAM_SHOW] = "Inspection",
	[FAM_SLAB] = "Object allocators (mm/slab.c, mm/slob.c)",
	[FAM_VM] = "Kernel address space (mm/vmalloc.c, mm/highmem.c)",
	[FAM_TASK] = ("Processes and address spaces (kernel/fork.c, mm/mmap.c, "
		      "mm/memory.c)"),
	[FAM_FILE] = "Files and the page cache (mm/filemap.c, mm/readahead.c)",
	[FAM_SWAP] = "Swap (mm/swapfile.c, mm/swap_state.c, mm/page_io.c)",
	[FAM_MACHINE] = "Machine",
	[FAM_EXPLAIN] = "Trace and explain",
	[FAM_SESSION] = "Session",
};

const char *family_title(enum cmd_family f)
{
	return f < NR_FAMILIES ? family_titles[f] : "?";
}

/* Levenshtein distance, two rows; names are short. */
unsigned edit_distance(const char *a, const char *b)
{
	unsigned row0[64], row1[64];
	size_t la = strlen(a), lb = strlen(b);

	if (la > 63 || lb > 63)
		return 64;
	for (size_t j = 0; j <= lb; j++)
		row0[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		row1[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned del = row0[j] + 1, ins = row1[j - 1] + 1;
			unsigned sub = row0[j - 1] + (a[i - 1] != b[j - 1]);
			unsigned best = del < ins ? del : ins;
			row1[j] = best < sub ? best : sub;
		}
		memcpy(row0, row1, (lb + 1) * sizeof row0[0]);
	}
	return row0[lb];
}

/* Does name contain the letters of word in order? */
static bool is_subsequence(const char *word, const char *name)
{
	for (; *word; word++) {
		name = strchr(name, *word);
		if (!name)
			return false;
		name++;
	}
	return true;
}

/* First entry whose name is >= word. */
static size_t lower_bound(const struct command *const *t, size_t n,
			  const char *word)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(t[mid]->name, word) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct command *command_lookup(const struct command *const *t,
				     size_t n, const char *word,
				     const char *what, char *err,
				     size_t errlen)
{
	size_t len = strlen(word);
	size_t i = lower_bound(t, n, word);

	if (i < n && !strcmp(t[i]->name, word))
		return t[i];
	size_t end = i;
	while (end < n && !strncmp(t[end]->name, word, len))
		end++;
	if (len && end - i == 1)
		return t[i];
	if (len && end - i > 1) {
		size_t off = (size_t)snprintf(err, errlen, "ambiguous %s: %s, "
					      "could be:", what, word);
		for (size_t k = i; k < end && off < errlen; k++)
			off += (size_t)snprintf(err + off, errlen - off, "%s %s",
						k == i ? "" : ",", t[k]->name);
		return NULL;
	}
	/* the closest name, if it is close enough to be a typo; on a tie the
	 * name that contains the word's letters in order wins (alloc_pgs is
	 * alloc_pages with letters dropped, not alloc_page with one changed) */
	const char *best = NULL;
	unsigned best_score = ~0u, best_d = ~0u;
	for (size_t k = 0; k < n; k++) {
		unsigned d = edit_distance(word, t[k]->name);
		unsigned score = 2 * d + !is_subsequence(word, t[k]->name);
		if (score < best_score) {
			best_score = score;
			best_d = d;
			best = t[k]->name;
		}
	}
	unsigned limit = len < 6 ? 2 : (unsigned)len / 3;
	if (best && best_d <= limit)
		snprintf(err, errlen, "unknown %s '%s' (did you mean '%s'?)", what,
			 word, best);
	else
		snprintf(err, errlen, "unknown %s '%s' (type 'help' for a list)",
			 what, word);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* help                                                                */
/* ------------------------------------------------------------------ */

static void help_entry_json(struct session *s, const struct command *c)
{
	json_str(s, "name", c->name);
	json_str(s, "usage", c->usage);
	json_str(s, "summary", c->summary);
	json_str(s, "family", family_title(c->family));
	if (c->example)
		json_str(s, "example", c->example);
	if (c->detail)
		json_str(s, "detail", c->detail);
}

/* Print a paragraph wrapped at 76 columns with an indent. */
static void print_wrapped(struct session *s, const char *text, int indent)
{
	const char *p = text;
	int col = 0;

	while (*p) {
		while (*p == ' ')
			p++;
		const char *w = p;
		while (*p && *p != ' ')
			p++;
		int wl = (int)(p - w);
		if (!wl)
			break;
		if (col && col + 1 + wl > 76) {
			sess_printf(s, "\n");
			col = 0;
		}
		if (!col) {
			sess_printf(s, "%*s%.*s", indent, "", wl, w);
			col = indent + wl;
		} else {
			sess_printf(s, " %.*s", wl, w);
			col += 1 + wl;
		}
	}
	if (col)
		sess_printf(s, "\n");
}

static void help_one(struct session *s, const struct command *c)
{
	if (sess_json(s)) {
		help_entry_json(s, c);
		return;
	}
	sess_printf(s, "usage: %s\n", c->usage);
	print_wrapped(s, c->summary, 2);
	if (c->detail)
		print_wrapped(s, c->detail, 2);
	if (c->example)
		sess_printf(s, "example: %s\n", c->example);
}

static void help_list_line(struct session *s, const struct command *c)
{
	if (sess_json(s)) {
		json_begin_object(s, NULL);
		json_str(s, "name", c->name);
		json_str(s, "usage", c->usage);
		json_str(s, "summary", c->summary);
		json_end_object(s);
		return;
	}
	if (strlen(c->usage) > 30)
		sess_printf(s, "  %s\n  %30s %s\n", c->usage, "", c->summary);
	else
		sess_printf(s, "  %-30s %s\n", c->usage, c->summary);
}

static void help_all(struct session *s)
{
	json_begin_array(s, "families");
	for (int f = 0; f < NR_FAMILIES; f++) {
		if (sess_json(s)) {
			json_begin_object(s, NULL);
			json_str(s, "family", family_title(f));
			json_begin_array(s, "commands");
		} else {
			sess_printf(s, "%s%s\n", f ? "\n" : "", family_title(f));
		}
		for (size_t i = 0; i < command_count; i++) {
			const struct command *c = command_table[i];
			if (c->family != (enum cmd_family)f)
				continue;
			if (c == &cmd_show) {
				for (size_t k = 0; k < show_count; k++)
					help_list_line(s, show_table[k]);
				continue;
			}
			help_list_line(s, c);
		}
		if (sess_json(s)) {
			json_end_array(s);
			json_end_object(s);
		}
	}
	json_end_array(s);
	if (!sess_json(s))
		sess_printf(s, "\nCommands take shell-like words or the C-call form "
			    "alloc_pages(GFP_KERNEL, 3).\n'help CMD' for details; "
			    "unique prefixes work; 'NAME = cmd' names a result.\n");
}

static int run_help(struct session *s, int argc, char **argv)
{
	char err[512];

	if (argc == 1) {
		help_all(s);
		return 0;
	}
	const struct command *c = command_lookup(command_table, command_count,
						 argv[1], "command", err,
						 sizeof err);
	if (!c)
		return sess_error(s, "help: %s", err);
	if (c == &cmd_show && argc > 2) {
		const struct command *sub = command_lookup(show_table, show_count,
			argv[2], "show subcommand", err, sizeof err);
		if (!sub)
			return sess_error(s, "help: %s", err);
		help_one(s, sub);
		return 0;
	}
	help_one(s, c);
	if (c == &cmd_show) {
		json_begin_array(s, "subcommands");
		if (!sess_json(s))
			sess_printf(s, "subcommands:\n");
		for (size_t k = 0; k < show_count; k++)
			help_list_line(s, show_table[k]);
		json_end_array(s);
	}
	return 0;
}

static void complete_help(struct session *s, int argi, char **argv,
			  struct completion *c)
{
	if (argi == 1)
		complete_command_arg(s, argi, argv, c);
	else if (argi == 2 && !strcmp(argv[1], "show"))
		for (size_t k = 0; k < show_count; k++)
			compl_add(c, show_table[k]->name);
}

const struct command cmd_help = {
	.name = "help",
	.usage = "help [COMMAND [SUBCOMMAND]]",
	.summary = "list the commands, or describe one",
	.example = "help alloc_pages",
	.detail = "Without an argument, lists every command by family. With "
		  "one, prints its usage line, what it does and an example; "
		  "'help show page' describes a show subcommand. Every text "
		  "comes from the command table, as does the man page "
		  "kmemlab-commands(7).",
	.family = FAM_SESSION,
	.min_args = 0, .max_args = 2,
	.run = run_help,
	.complete = complete_help,
};

#ifndef NDEBUG
/* The table must stay sorted for the binary search (checked at start). */
__attribute__((constructor)) static void command_table_check(void)
{
	for (size_t i = 1; i < command_count; i++)
		if (strcmp(command_table[i - 1]->name, command_table[i]->name) >= 0)
			abort();
	for (size_t i = 1; i < show_count; i++)
		if (strcmp(show_table[i - 1]->name, show_table[i]->name) >= 0)
			abort();
}
#endif
