/*
 * cmd_swap.c - swap devices and the swap cache: swapon, swapoff, `show
 * swap`, and two kmemlab commands that are not kernel interfaces:
 * swapout (reclaim's swap-out steps on chosen pages) and swap_token
 * (switch the 2.6.20 swap token off to compare thrashing without it).
 *
 *   swapon /swapfile 64M          sys_swapon on a simulated device
 *   swapout 3 0xb7e00000 16k      push a task's pages out by hand
 *   show swap /swapfile           slot -> count, PTEs, swap-cache page
 *   swapoff /swapfile             try_to_unuse brings everything back
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Active swap device names, for completion. */
static void complete_swap_names(struct session *s, int argi, char **argv,
				struct completion *c)
{
	struct kmem_swap_info d[32];
	size_t n = kmem_swap_list(s->m, d, 32);

	(void)argv;
	if (argi != 1)
		return;
	for (size_t i = 0; i < n && i < 32; i++)
		compl_add(c, d[i].name);
}

static void complete_show_swap(struct session *s, int argi, char **argv,
			       struct completion *c)
{
	if (argi == 2)
		complete_swap_names(s, 1, argv, c);
}

/* ------------------------------------------------------------------ */
/* swapon, swapoff                                                     */
/* ------------------------------------------------------------------ */

static int run_swapon(struct session *s, int argc, char **argv)
{
	uint64_t size;
	long prio = 0;
	struct kmem_swap_info i;

	if (arg_size(s, argv[2], "swap size", &size))
		return -1;
	if (argc > 3 && (parse_long(argv[3], &prio) || prio < -(1L << 20) ||
			 prio > 1L << 20))
		return sess_error(s, "bad priority '%s' (0 to 32767)", argv[3]);
	if (kmem_swapon(s->m, argv[1], size, (int)prio, argc > 3))
		return sess_error(s, "%s", kmem_last_error(s->m));
	kmem_swap_info(s->m, argv[1], &i);
	json_str(s, "name", i.name);
	json_u64(s, "type", (uint64_t)i.type);
	json_u64(s, "pages", i.pages);
	json_i64(s, "priority", i.prio);
	if (sess_text(s))
		sess_printf(s, "swapon %s: type %d, %s, %lu pages (%lu kB), "
			    "priority %d\n", i.name, i.type,
			    i.partition ? "partition" : "file", i.pages,
			    i.pages * 4, i.prio);
	return 0;
}

static int run_swapoff(struct session *s, int argc, char **argv)
{
	struct kmem_swap_info i;
	char name[64];

	(void)argc;
	if (kmem_swap_info(s->m, argv[1], &i))
		return sess_error(s, "swapoff: %s: Invalid argument (not an "
				  "active swap device)", argv[1]);
	snprintf(name, sizeof name, "%s", i.name);
	if (kmem_swapoff(s->m, name))
		return sess_error(s, "%s", kmem_last_error(s->m));
	json_str(s, "name", name);
	json_u64(s, "brought_in", i.inuse_pages);
	if (sess_text(s))
		sess_printf(s, "swapoff %s: %lu slot%s in use were brought back "
			    "in\n", name, i.inuse_pages,
			    i.inuse_pages == 1 ? "" : "s");
	return 0;
}

/* ------------------------------------------------------------------ */
/* swapout, swap_token                                                 */
/* ------------------------------------------------------------------ */

static int run_swapout(struct session *s, int argc, char **argv)
{
	unsigned pid;
	uint64_t addr, len = KMEM_PAGE_SIZE;
	struct kmem_swapout_info so;

	if (arg_uint(s, argv[1], "pid", 1u << 30, &pid) ||
	    arg_uaddr(s, argv[2], &addr) ||
	    (argc > 3 && arg_size(s, argv[3], "length", &len)))
		return -1;
	if (kmem_swapout(s->m, (int)pid, addr, len, &so))
		return sess_error(s, "%s", kmem_last_error(s->m));
	json_u64(s, "pages", so.pages);
	json_u64(s, "swapped", so.swapped);
	json_u64(s, "kept", so.kept);
	json_u64(s, "skipped", so.skipped);
	json_u64(s, "nospace", so.nospace);
	if (sess_text(s))
		sess_printf(s, "swapout pid %u 0x%llx+0x%llx: %lu page%s: %lu "
			    "swapped out, %lu kept, %lu skipped, %lu without a "
			    "slot\n", pid, (unsigned long long)addr,
			    (unsigned long long)len, so.pages,
			    so.pages == 1 ? "" : "s", so.swapped, so.kept,
			    so.skipped, so.nospace);
	return 0;
}

static void print_token(struct session *s)
{
	struct kmem_swap_summary t;

	kmem_swap_summary(s->m, &t);
	json_bool(s, "token_enabled", t.token_enabled);
	json_i64(s, "token_pid", t.token_pid);
	json_i64(s, "token_priority", t.token_priority);
	json_u64(s, "global_faults", t.global_faults);
	if (!sess_text(s))
		return;
	sess_printf(s, "swap token: %s, ", t.token_enabled ? "on" : "off");
	if (t.token_pid)
		sess_printf(s, "held by pid %d (priority %d)", t.token_pid,
			    t.token_priority);
	else
		sess_printf(s, "free");
	sess_printf(s, "; %u grabs, changed hands %lu time%s\n",
		    t.global_faults, t.token_changes,
		    t.token_changes == 1 ? "" : "s");
}

static int run_swap_token(struct session *s, int argc, char **argv)
{
	if (argc > 1) {
		if (!strcmp(argv[1], "on"))
			kmem_swap_token_set(s->m, true);
		else if (!strcmp(argv[1], "off"))
			kmem_swap_token_set(s->m, false);
		else
			return sess_error(s, "swap_token: '%s' is neither on nor "
					  "off", argv[1]);
	}
	print_token(s);
	return 0;
}

static void complete_on_off(struct session *s, int argi, char **argv,
			    struct completion *c)
{
	(void)s;
	(void)argv;
	if (argi == 1) {
		compl_add(c, "on");
		compl_add(c, "off");
	}
}

/* ------------------------------------------------------------------ */
/* show swap                                                           */
/* ------------------------------------------------------------------ */

static void show_device_json(struct session *s, const struct kmem_swap_info *d)
{
	json_u64(s, "type", (uint64_t)d->type);
	json_str(s, "name", d->name);
	json_str(s, "kind", d->partition ? "partition" : "file");
	json_i64(s, "priority", d->prio);
	json_u64(s, "pages", d->pages);
	json_u64(s, "inuse_pages", d->inuse_pages);
	json_u64(s, "lowest_bit", d->lowest_bit);
	json_u64(s, "highest_bit", d->highest_bit);
	json_u64(s, "cluster_next", d->cluster_next);
	json_u64(s, "cluster_nr", d->cluster_nr);
	json_i64(s, "next", d->next);
}

static int show_all(struct session *s)
{
	struct kmem_swap_summary t;
	struct kmem_swap_info d[32];
	size_t n = kmem_swap_list(s->m, d, 32);

	kmem_swap_summary(s->m, &t);
	json_u64(s, "total_swap_pages", t.total_swap_pages);
	json_i64(s, "nr_swap_pages", t.nr_swap_pages);
	json_u64(s, "swap_cache_pages", t.total_swapcache_pages);
	json_i64(s, "page_cluster", t.page_cluster);
	if (sess_json(s)) {
		json_begin_array(s, "devices");
		for (size_t i = 0; i < n && i < 32; i++) {
			json_begin_object(s, NULL);
			show_device_json(s, &d[i]);
			json_end_object(s);
		}
		json_end_array(s);
	}
	if (!sess_text(s)) {
		print_token(s);
		return 0;
	}
	sess_printf(s, "swap: %zu device%s, %lu kB, %ld kB free; swap cache "
		    "%lu pages; page-cluster %d\n", n, n == 1 ? "" : "s",
		    t.total_swap_pages * 4, t.nr_swap_pages * 4,
		    t.total_swapcache_pages, t.page_cluster);
	sess_printf(s, "swap_list: head %d, next %d\n", t.list_head, t.list_next);
	if (n)
		sess_printf(s, "type name                 kind       prio    pages"
			    "     used   lowest  highest  cl_next cl_nr next\n");
	for (size_t i = 0; i < n && i < 32; i++)
		sess_printf(s, "%4d %-20s %-9s %5d %8lu %8lu %8lu %8lu %8lu %5lu "
			    "%4d\n", d[i].type, d[i].name,
			    d[i].partition ? "partition" : "file", d[i].prio,
			    d[i].pages, d[i].inuse_pages, d[i].lowest_bit,
			    d[i].highest_bit, d[i].cluster_next, d[i].cluster_nr,
			    d[i].next);
	sess_printf(s, "swap cache: add %lu, delete %lu, find %lu/%lu, race "
		    "%lu+%lu\n", t.add_total, t.del_total, t.find_success,
		    t.find_total, t.noent_race, t.exist_race);
	print_token(s);
	return 0;
}

static int show_device(struct session *s, const char *name)
{
	struct kmem_swap_info d;

	if (kmem_swap_info(s->m, name, &d))
		return sess_error(s, "%s", kmem_last_error(s->m));
	size_t ns = kmem_swap_slots(s->m, d.type, NULL, 0);
	size_t np = kmem_swap_ptes(s->m, d.type, NULL, 0);
	struct kmem_swap_slot *sl = calloc(ns + 1, sizeof *sl);
	struct kmem_swap_pte *pt = calloc(np + 1, sizeof *pt);
	if (!sl || !pt)
		cli_oom();
	ns = kmem_swap_slots(s->m, d.type, sl, ns);
	np = kmem_swap_ptes(s->m, d.type, pt, np);
	show_device_json(s, &d);
	if (sess_text(s)) {
		sess_printf(s, "%s: type %d, %s, priority %d, %lu pages, %lu used\n",
			    d.name, d.type, d.partition ? "partition" : "file",
			    d.prio, d.pages, d.inuse_pages);
		sess_printf(s, "  lowest_bit %lu, highest_bit %lu, cluster_next "
			    "%lu, cluster_nr %lu, swap_map at 0x%llx\n",
			    d.lowest_bit, d.highest_bit, d.cluster_next,
			    d.cluster_nr, (unsigned long long)d.swap_map_addr);
		if (ns)
			sess_printf(s, "   slot count swap cache  PTEs\n");
	}
	if (sess_json(s))
		json_begin_array(s, "slots");
	size_t k = 0;
	for (size_t i = 0; i < ns; i++) {
		while (k < np && pt[k].offset < sl[i].offset)
			k++;
		if (sess_json(s)) {
			json_begin_object(s, NULL);
			json_u64(s, "slot", sl[i].offset);
			json_u64(s, "count", sl[i].count);
			if (sl[i].cache_pfn == KMEM_NO_PFN)
				json_null(s, "swap_cache_pfn");
			else
				json_hex(s, "swap_cache_pfn", sl[i].cache_pfn);
			json_begin_array(s, "ptes");
		} else if (sess_text(s)) {
			char cache[24] = "-";
			if (sl[i].cache_pfn != KMEM_NO_PFN)
				snprintf(cache, sizeof cache, "pfn 0x%lx",
					 sl[i].cache_pfn);
			sess_printf(s, " %6lu %5u %-11s", sl[i].offset,
				    sl[i].count, cache);
		}
		bool any = false;
		for (; k < np && pt[k].offset == sl[i].offset; k++) {
			if (sess_json(s)) {
				json_begin_object(s, NULL);
				json_i64(s, "pid", pt[k].pid);
				json_hex(s, "addr", pt[k].addr);
				json_end_object(s);
			} else if (sess_text(s)) {
				sess_printf(s, " pid %d 0x%llx", pt[k].pid,
					    (unsigned long long)pt[k].addr);
			}
			any = true;
		}
		if (sess_json(s)) {
			json_end_array(s);
			json_end_object(s);
		} else if (sess_text(s)) {
			sess_printf(s, "%s\n", any ? "" : " (swap cache only)");
		}
	}
	if (sess_json(s))
		json_end_array(s);
	free(sl);
	free(pt);
	return 0;
}

static int show_swap(struct session *s, int argc, char **argv)
{
	return argc > 1 ? show_device(s, argv[1]) : show_all(s);
}

const struct command show_swap_entry = {
	.name = "swap", .usage = "show swap [NAME]",
	.summary = "swap devices and the swap cache; NAME: slot owners",
	.example = "show swap",
	.detail = "Without NAME: every device's swap_info_struct (priority, "
		  "pages, slots used, lowest_bit/highest_bit, the current "
		  "cluster, the next device in swap_list), the swap cache "
		  "counters show_swap_cache_info prints, and the swap token.  "
		  "With NAME: each used slot with its swap_map count, the "
		  "swap-cache page holding it, and every PTE (pid, address) "
		  "that holds the entry.  A count is the number of PTEs plus "
		  "one for the swap cache.",
	.family = FAM_SHOW, .min_args = 0, .max_args = 1, .run = show_swap,
	.complete = complete_show_swap,
};

const struct command cmd_swapon = {
	.name = "swapon",
	.usage = "swapon NAME SIZE [PRIORITY]",
	.summary = "activate a simulated swap device (sys_swapon)",
	.example = "swapon /swapfile 16M",
	.detail = "NAME under /dev/ is a partition, anything else a file; SIZE "
		  "(a multiple of 4 KiB, k/M/G suffixes) is taken as mkswap's "
		  "whole device, so 2.6.20 gets SIZE/4 KiB - 2 usable slots "
		  "(the header page and its last_page off-by-one).  PRIORITY "
		  "0..32767 is SWAP_FLAG_PREFER's; without it devices get -1, "
		  "-2 ... in activation order.  Equal priorities are used in "
		  "turn; a lower one only when the higher ones are full.  The "
		  "swap_map is vmalloc'd.  See /proc/swaps.",
	.family = FAM_SWAP,
	.min_args = 2, .max_args = 3,
	.flags = CMD_MUTATES,
	.run = run_swapon,
};

const struct command cmd_swapoff = {
	.name = "swapoff",
	.usage = "swapoff NAME",
	.summary = "deactivate a swap device, bringing its pages back in",
	.example = "swapoff /swapfile",
	.detail = "try_to_unuse reads every used slot into the swap cache and "
		  "puts the page back into every PTE that holds it.  If memory "
		  "runs out it fails with ENOMEM as the kernel does: the pages "
		  "already read stay in, the device stays active with the "
		  "rest.  vm_enough_memory may refuse it up front.",
	.family = FAM_SWAP,
	.min_args = 1, .max_args = 1,
	.flags = CMD_MUTATES,
	.run = run_swapoff,
	.complete = complete_swap_names,
};

const struct command cmd_swapout = {
	.name = "swapout",
	.usage = "swapout PID ADDR [LEN]",
	.summary = "kmemlab: push a task's anonymous pages out to swap",
	.example = "swapout 1 0xbffff000",
	.detail = "Not a kernel interface: runs reclaim's swap-out steps by "
		  "hand on the anonymous pages PID maps in [ADDR, ADDR+LEN) "
		  "(default one page), as shrink_page_list would once it chose "
		  "them: add_to_swap, try_to_unmap (every PTE of every task "
		  "mapping the page gets the swap entry; a young PTE costs a "
		  "second pass), swap_writepage, end_page_writeback, "
		  "remove_mapping, free.  Pages that are not present or not "
		  "anonymous are skipped.  Needs an active swap device.",
	.family = FAM_SWAP,
	.min_args = 2, .max_args = 3,
	.flags = CMD_MUTATES,
	.run = run_swapout,
};

const struct command cmd_swap_token = {
	.name = "swap_token",
	.usage = "swap_token [on|off]",
	.summary = "kmemlab: show the swap token, or switch it on or off",
	.example = "swap_token off",
	.detail = "2.6.20's thrash.c hands the token to the task whose major "
		  "faults come fastest (token_priority); reclaim then treats "
		  "the holder's pages as referenced.  Switching it off (a "
		  "kmemlab extension, 2.6.20 has no such knob) frees it and "
		  "keeps it free, to compare thrashing with and without it.",
	.family = FAM_SWAP,
	.min_args = 0, .max_args = 1,
	.flags = CMD_MUTATES,
	.run = run_swap_token,
	.complete = complete_on_off,
};
