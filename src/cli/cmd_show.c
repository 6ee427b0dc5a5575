/*
 * cmd_show.c - `show WHAT`: the engine's snapshot queries rendered for a
 * person (and as JSON for programs).  Each subcommand is an entry of its
 * own small sorted table, found the way commands are found.
 *
 *   show free_area [ZONE [ORDER]]  kmem_free_area_list: blocks, head first
 *   show pcp [CPU]                 kmem_pcp_info / kmem_pcp_list
 *   show page PFN|ADDR             kmem_page_info, like crash's kmem -p,
 *                                  and kmem_page_rmap for user pages
 *   show zonelist GFP [NODE]       kmem_zonelist
 *   show zones                     kmem_zone_info as a table
 *   show values                    the value history $1..$N
 *   show machine                   kmem_machine_info
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define BLOCKS_PER_LINE 6       /* blocks shown per order without ORDER */

static void fmt_block(char *buf, size_t len, unsigned long pfn, unsigned order)
{
	if (order)
		snprintf(buf, len, "0x%lx-0x%lx", pfn, pfn + (1UL << order) - 1);
	else
		snprintf(buf, len, "0x%lx", pfn);
}

/* ------------------------------------------------------------------ */
/* show free_area                                                      */
/* ------------------------------------------------------------------ */

static void free_area_zone(struct session *s, int nid, int idx, int only_order,
			   bool explicit)
{
	struct kmem_zone_info zi;

	if (kmem_zone_info(s->m, nid, idx, &zi))
		return;
	if (!zi.populated) {
		/* asked for by name: say why there is nothing to show */
		if (explicit && sess_text(s))
			sess_printf(s, "Node %d, zone %s: empty (no pages present)\n",
				    nid, zi.name);
		return;
	}
	json_begin_object(s, NULL);
	json_u64(s, "node", (uint64_t)nid);
	json_str(s, "zone", zi.name);
	json_u64(s, "free_pages", zi.free_pages);
	json_begin_array(s, "orders");
	if (sess_text(s))
		sess_printf(s, "Node %d, zone %s: %lu pages free\n", nid,
			    zi.name, zi.free_pages);
	for (int o = 0; o < KMEM_MAX_ORDER; o++) {
		if (only_order >= 0 && o != only_order)
			continue;
		size_t n = kmem_free_area_list(s->m, nid, idx, (unsigned)o, NULL, 0);
		unsigned long *pfns = cli_realloc(NULL, (n ? n : 1) * sizeof *pfns);
		n = kmem_free_area_list(s->m, nid, idx, (unsigned)o, pfns, n);
		json_begin_object(s, NULL);
		json_u64(s, "order", (uint64_t)o);
		json_u64(s, "nr_free", n);
		json_begin_array(s, "blocks");
		for (size_t k = 0; k < n && sess_json(s); k++)
			json_u64(s, NULL, pfns[k]);
		json_end_array(s);
		json_end_object(s);
		if (sess_text(s)) {
			size_t shown = only_order >= 0 ? n :
				       (n < BLOCKS_PER_LINE ? n : BLOCKS_PER_LINE);
			sess_printf(s, "  order %2d  nr_free %5zu%s", o, n,
				    n ? ":" : "");
			for (size_t k = 0; k < shown; k++) {
				char bb[48];
				fmt_block(bb, sizeof bb, pfns[k], (unsigned)o);
				if (only_order >= 0 && k && k % 4 == 0)
					sess_printf(s, "\n%24s", "");
				sess_printf(s, " %s", bb);
			}
			if (shown < n)
				sess_printf(s, " ... (+%zu more)", n - shown);
			sess_printf(s, "\n");
		}
		free(pfns);
	}
	json_end_array(s);
	json_end_object(s);
}

static int show_free_area(struct session *s, int argc, char **argv)
{
	int nid = -1, idx = -1;
	int order = -1;

	if (argc > 1 && arg_zone(s, argv[1], &nid, &idx))
		return -1;
	if (argc > 2) {
		unsigned o;
		if (arg_uint(s, argv[2], "order", KMEM_MAX_ORDER - 1, &o))
			return -1;
		order = (int)o;
	}
	json_begin_array(s, "zones");
	for (unsigned n = 0; n < s->info.nr_nodes; n++) {
		if (nid >= 0 && (int)n != nid)
			continue;
		for (int i = 0; i < KMEM_MAX_NR_ZONES; i++)
			if (idx < 0 || i == idx)
				free_area_zone(s, (int)n, i, order, idx >= 0);
	}
	json_end_array(s);
	return 0;
}

/* ------------------------------------------------------------------ */
/* show pcp                                                            */
/* ------------------------------------------------------------------ */

static void pcp_list(struct session *s, int nid, int idx, unsigned cpu,
		     int cold)
{
	struct kmem_pcp_info pi;
	char zb[48];

	if (kmem_pcp_info(s->m, nid, idx, cpu, cold, &pi))
		return;
	size_t n = kmem_pcp_list(s->m, nid, idx, cpu, cold, NULL, 0);
	unsigned long *pfns = cli_realloc(NULL, (n ? n : 1) * sizeof *pfns);
	n = kmem_pcp_list(s->m, nid, idx, cpu, cold, pfns, n);
	json_begin_object(s, cold ? "cold" : "hot");
	json_i64(s, "count", pi.count);
	json_i64(s, "high", pi.high);
	json_i64(s, "batch", pi.batch);
	json_begin_array(s, "pfns");
	for (size_t k = 0; k < n && sess_json(s); k++)
		json_u64(s, NULL, pfns[k]);
	json_end_array(s);
	json_end_object(s);
	if (sess_text(s)) {
		sess_printf(s, "  %-14s %-4s count %4d  high %4d  batch %3d%s",
			    cold ? "" : zone_label(s, nid, idx, zb, sizeof zb),
			    cold ? "cold" : "hot", pi.count, pi.high, pi.batch,
			    n ? ":" : "");
		size_t shown = n < 8 ? n : 8;
		for (size_t k = 0; k < shown; k++)
			sess_printf(s, " 0x%lx", pfns[k]);
		if (shown < n)
			sess_printf(s, " ... (+%zu more)", n - shown);
		sess_printf(s, "\n");
	}
	free(pfns);
}

static int show_pcp(struct session *s, int argc, char **argv)
{
	unsigned only = 0;
	bool all = argc < 2;
	struct kmem_zone_info zi;

	if (!all && arg_cpu(s, argv[1], &only))
		return -1;
	json_begin_array(s, "cpus");
	for (unsigned cpu = 0; cpu < s->info.cpus; cpu++) {
		if (!all && cpu != only)
			continue;
		json_begin_object(s, NULL);
		json_u64(s, "cpu", cpu);
		json_begin_array(s, "zones");
		if (sess_text(s))
			sess_printf(s, "cpu %u (node %u):\n", cpu,
				    kmem_cpu_to_node(s->m, cpu));
		for (unsigned n = 0; n < s->info.nr_nodes; n++)
			for (int i = 0; i < KMEM_MAX_NR_ZONES; i++) {
				if (kmem_zone_info(s->m, (int)n, i, &zi) ||
				    !zi.populated)
					continue;
				json_begin_object(s, NULL);
				json_u64(s, "node", n);
				json_str(s, "zone", zi.name);
				pcp_list(s, (int)n, i, cpu, 0);
				pcp_list(s, (int)n, i, cpu, 1);
				json_end_object(s);
			}
		json_end_array(s);
		json_end_object(s);
	}
	json_end_array(s);
	return 0;
}

/* ------------------------------------------------------------------ */
/* show page                                                           */
/* ------------------------------------------------------------------ */

static const char *const state_names[] = {
	[KMEM_PAGE_HOLE] = "hole",
	[KMEM_PAGE_RESERVED] = "reserved",
	[KMEM_PAGE_BUDDY] = "buddy",
	[KMEM_PAGE_BUDDY_TAIL] = "buddy_tail",
	[KMEM_PAGE_PCP] = "pcp",
	[KMEM_PAGE_ALLOC] = "allocated",
	[KMEM_PAGE_ALLOC_TAIL] = "allocated_tail",
};

static void page_state_text(struct session *s, const struct kmem_page_info *pi,
			    char *buf, size_t len)
{
	char owner[64] = "";
	long v = pi->block_pfn != KMEM_NO_PFN ? value_live_at(s, pi->block_pfn) : -1;

	if (v >= 0) {
		char lb[48];
		snprintf(owner, sizeof owner, ", %s", value_label(s, (size_t)v, lb,
								sizeof lb));
	}
	switch (pi->state) {
	case KMEM_PAGE_HOLE:
		snprintf(buf, len, "no memory here (a hole in the memory map)");
		break;
	case KMEM_PAGE_RESERVED:
		snprintf(buf, len, "reserved%s%s%s", pi->reserved_by ? " (" : "",
			 pi->reserved_by ? pi->reserved_by : "",
			 pi->reserved_by ? ")" : "");
		break;
	case KMEM_PAGE_BUDDY:
		snprintf(buf, len, "free: head of an order-%d block on "
			 "free_area[%d]", pi->block_order, pi->block_order);
		break;
	case KMEM_PAGE_BUDDY_TAIL:
		snprintf(buf, len, "free: inside the order-%d block at pfn 0x%lx",
			 pi->block_order, pi->block_pfn);
		break;
	case KMEM_PAGE_PCP:
		snprintf(buf, len, "free: on cpu %d's %s per-CPU list", pi->pcp_cpu,
			 pi->pcp_cold ? "cold" : "hot");
		break;
	case KMEM_PAGE_ALLOC:
		snprintf(buf, len, "allocated: head of an order-%d block%s",
			 pi->block_order, owner);
		break;
	case KMEM_PAGE_ALLOC_TAIL:
		snprintf(buf, len, "allocated: inside the order-%d block at pfn "
			 "0x%lx%s", pi->block_order, pi->block_pfn, owner);
		break;
	}
}

/* The reverse map of a task's or the page cache's page (kmem_page_rmap). */
#define MAX_RMAP_USERS  64      /* PTEs listed */

static const char *const page_kinds[] = {
	[KMEM_PAGE_KIND_OTHER] = "other",
	[KMEM_PAGE_KIND_ANON] = "anonymous",
	[KMEM_PAGE_KIND_FILE] = "file",
	[KMEM_PAGE_KIND_SHMEM] = "shmem",
	[KMEM_PAGE_KIND_ZERO] = "zero page",
};

static void show_page_rmap(struct session *s, unsigned long pfn)
{
	struct kmem_page_rmap r;
	struct kmem_page_user u[MAX_RMAP_USERS];
	char ab[24], vb[24];

	if (kmem_page_rmap(s->m, pfn, &r, u, MAX_RMAP_USERS))
		return;
	if (r.kind == KMEM_PAGE_KIND_OTHER)
		return;
	size_t shown = r.nr_users < MAX_RMAP_USERS ? r.nr_users : MAX_RMAP_USERS;
	json_begin_object(s, "rmap");
	json_str(s, "kind", page_kinds[r.kind]);
	json_i64(s, "mapcount", r.mapcount);
	if (r.kind == KMEM_PAGE_KIND_ANON)
		json_u64(s, "anon_vma", r.anon_vma);
	if (r.kind == KMEM_PAGE_KIND_FILE || r.kind == KMEM_PAGE_KIND_SHMEM) {
		json_str(s, "file", r.file);
		json_u64(s, "index", r.index);
	}
	json_begin_array(s, "users");
	for (size_t i = 0; i < shown; i++) {
		json_begin_object(s, NULL);
		json_i64(s, "pid", u[i].pid);
		json_hex(s, "addr", u[i].addr);
		json_hex(s, "vma_start", u[i].vma_start);
		json_bool(s, "writable", u[i].writable);
		json_bool(s, "young", u[i].young);
		json_bool(s, "dirty", u[i].dirty);
		json_end_object(s);
	}
	json_end_array(s);
	json_end_object(s);
	if (!sess_text(s))
		return;
	if (r.kind == KMEM_PAGE_KIND_ANON)
		sess_printf(s, "  rmap       anonymous, anon_vma #%u, mapcount %d\n",
			    r.anon_vma, r.mapcount);
	else if (r.kind == KMEM_PAGE_KIND_ZERO)
		sess_printf(s, "  rmap       the ZERO_PAGE (not counted in "
			    "mapcount), mapcount %d\n", r.mapcount);
	else
		sess_printf(s, "  rmap       %s page %lu of %s, mapcount %d\n",
			    page_kinds[r.kind], r.index,
			    r.file[0] ? r.file : "(shared anonymous)",
			    r.mapcount);
	for (size_t i = 0; i < shown; i++) {
		struct kmem_task_info t;
		if (kmem_task_info(s->m, u[i].pid, &t))
			snprintf(t.comm, sizeof t.comm, "?");
		sess_printf(s, "    pid %d (%s) at %s in the vma at %s, pte %s%s%s\n",
			    u[i].pid, t.comm,
			    uaddr_str(s, u[i].addr, ab, sizeof ab),
			    uaddr_str(s, u[i].vma_start, vb, sizeof vb),
			    u[i].writable ? "writable" : "read-only",
			    u[i].young ? " young" : "", u[i].dirty ? " dirty" : "");
	}
	if (shown < r.nr_users)
		sess_printf(s, "    ... (+%zu more)\n", r.nr_users - shown);
}

static int show_page(struct session *s, int argc, char **argv)
{
	struct kmem_page_info pi;
	unsigned long pfn;
	long vidx;
	char flags[256], state[160], zb[48], vb[48];
	size_t off = 0;
	kaddr_t va;

	if (arg_page(s, argv[1], &pfn, &vidx))
		return -1;
	if (kmem_page_info(s->m, pfn, &pi))
		return sess_error(s, "show page: pfn 0x%lx is beyond the end of "
				  "memory (max_pfn 0x%lx)", pfn, s->info.max_pfn);
	flags[0] = '\0';
	for (unsigned bit = 0; bit < 32; bit++) {
		if (!(pi.flags & (1u << bit)))
			continue;
		const char *n = kmem_page_flag_name(bit);
		off += (size_t)snprintf(flags + off, off < sizeof flags ?
					sizeof flags - off : 0, "%s%s",
					off ? "," : "", n ? n : "?");
	}
	page_state_text(s, &pi, state, sizeof state);
	bool mapped = kmem_page_address(s->m, pfn, &va);
	if (mapped)
		snprintf(vb, sizeof vb, "virt 0x%llx", (unsigned long long)va);
	else
		snprintf(vb, sizeof vb, "no kernel mapping (highmem)");
	if (pi.nid >= 0)
		zone_label(s, pi.nid, pi.zone_idx, zb, sizeof zb);
	else
		snprintf(zb, sizeof zb, "no zone");
	if (sess_json(s)) {
		json_u64(s, "pfn", pfn);
		json_hex(s, "phys", kmem_pfn_to_phys(pfn));
		if (mapped)
			json_hex(s, "virt", va);
		else
			json_null(s, "virt");
		json_i64(s, "node", pi.nid);
		if (pi.nid >= 0)
			json_str(s, "zone", zone_name(s, pi.nid, pi.zone_idx));
		json_str(s, "state", state_names[pi.state]);
		json_hex(s, "flags", pi.flags);
		json_begin_array(s, "flag_names");
		for (unsigned bit = 0; bit < 32; bit++)
			if ((pi.flags & (1u << bit)) && kmem_page_flag_name(bit))
				json_str(s, NULL, kmem_page_flag_name(bit));
		json_end_array(s);
		json_i64(s, "count", pi.count);
		json_i64(s, "mapcount", pi.mapcount);
		json_u64(s, "private", pi.private_);
		json_u64(s, "mapping", pi.mapping);
		json_u64(s, "index", pi.index);
		if (pi.block_order >= 0) {
			json_u64(s, "block_pfn", pi.block_pfn);
			json_i64(s, "block_order", pi.block_order);
		}
		if (pi.state == KMEM_PAGE_PCP) {
			json_i64(s, "pcp_cpu", pi.pcp_cpu);
			json_str(s, "pcp_list", pi.pcp_cold ? "cold" : "hot");
		}
		if (pi.reserved_by)
			json_str(s, "reserved_by", pi.reserved_by);
		json_str(s, "description", state);
		show_page_rmap(s, pfn);
		return 0;
	}
	if (!sess_text(s))
		return 0;
	sess_printf(s, "pfn 0x%lx (phys 0x%llx, %s) %s\n", pfn,
		    (unsigned long long)kmem_pfn_to_phys(pfn), vb, zb);
	sess_printf(s, "  flags      0x%x%s%s%s\n", pi.flags, off ? " (" : "",
		    flags, off ? ")" : "");
	sess_printf(s, "  _count     %d\n", pi.count);
	sess_printf(s, "  _mapcount  %d\n", pi.mapcount - 1);
	sess_printf(s, "  private    %lu\n", pi.private_);
	if (pi.mapping)
		sess_printf(s, "  mapping    0x%x\n", pi.mapping);
	else
		sess_printf(s, "  mapping    NULL\n");
	sess_printf(s, "  index      %lu\n", pi.index);
	sess_printf(s, "  state      %s\n", state);
	show_page_rmap(s, pfn);
	return 0;
}

/* ------------------------------------------------------------------ */
/* show zonelist, zones, values, machine                               */
/* ------------------------------------------------------------------ */

static int show_zonelist(struct session *s, int argc, char **argv)
{
	gfp_t gfp;
	long nid = -1;
	int nids[KMEM_MAX_NODES * KMEM_MAX_NR_ZONES];
	int idxs[KMEM_MAX_NODES * KMEM_MAX_NR_ZONES];
	char gb[160], zb[48];

	if (arg_gfp(s, argv[1], &gfp))
		return -1;
	if (argc > 2 && (parse_long(argv[2], &nid) || nid < 0 ||
			 nid >= (long)s->info.nr_nodes))
		return sess_error(s, "bad node '%s' (nodes 0..%u)", argv[2],
				  s->info.nr_nodes - 1);
	if (nid < 0)
		nid = kmem_cpu_to_node(s->m, s->info.cur_cpu);
	size_t n = kmem_zonelist(s->m, (int)nid, gfp, nids, idxs,
				 KMEM_MAX_NODES * KMEM_MAX_NR_ZONES);
	kmem_gfp_format(gfp, gb, sizeof gb);
	json_str(s, "gfp", gb);
	json_hex(s, "mask", gfp);
	json_i64(s, "node", nid);
	json_begin_array(s, "zones");
	for (size_t i = 0; i < n; i++) {
		json_begin_object(s, NULL);
		json_i64(s, "node", nids[i]);
		json_str(s, "zone", zone_name(s, nids[i], idxs[i]));
		json_end_object(s);
	}
	json_end_array(s);
	if (!sess_text(s))
		return 0;
	sess_printf(s, "zonelist for %s (mask 0x%x) on node %ld:", gb, gfp, nid);
	if (!n)
		sess_printf(s, " empty");
	for (size_t i = 0; i < n; i++)
		sess_printf(s, "%s %s", i ? " ->" : "",
			    zone_label(s, nids[i], idxs[i], zb, sizeof zb));
	sess_printf(s, "\n");
	return 0;
}

static int show_zones(struct session *s, int argc, char **argv)
{
	struct kmem_zone_info zi;

	if (sess_text(s))
		sess_printf(s, "%4s %-8s %10s %8s %8s %8s %6s %6s %6s %6s  %s\n",
			    "node", "zone", "start_pfn", "spanned", "present",
			    "free", "min", "low", "high", "pcp", "protection");
	json_begin_array(s, "zones");
	for (unsigned n = 0; n < s->info.nr_nodes; n++)
		for (int i = 0; i < KMEM_MAX_NR_ZONES; i++) {
			if (kmem_zone_info(s->m, (int)n, i, &zi) || !zi.populated)
				continue;
			json_begin_object(s, NULL);
			json_u64(s, "node", n);
			json_u64(s, "idx", (uint64_t)i);
			json_str(s, "zone", zi.name);
			json_u64(s, "start_pfn", zi.start_pfn);
			json_u64(s, "spanned", zi.spanned);
			json_u64(s, "present", zi.present);
			json_u64(s, "memmap_pages", zi.memmap_pages);
			json_u64(s, "free_pages", zi.free_pages);
			json_u64(s, "pages_min", zi.pages_min);
			json_u64(s, "pages_low", zi.pages_low);
			json_u64(s, "pages_high", zi.pages_high);
			json_u64(s, "pcp_pages", zi.pcp_pages);
			json_begin_array(s, "lowmem_reserve");
			for (int k = 0; k < KMEM_MAX_NR_ZONES; k++)
				json_u64(s, NULL, zi.lowmem_reserve[k]);
			json_end_array(s);
			json_end_object(s);
			if (!sess_text(s))
				continue;
			char start[24];
			snprintf(start, sizeof start, "0x%lx", zi.start_pfn);
			sess_printf(s, "%4u %-8s %10s %8lu %8lu %8lu %6lu %6lu %6lu "
				    "%6lu ", n, zi.name, start, zi.spanned,
				    zi.present, zi.free_pages, zi.pages_min,
				    zi.pages_low, zi.pages_high, zi.pcp_pages);
			for (int k = 0; k < KMEM_MAX_NR_ZONES; k++)
				sess_printf(s, " %lu", zi.lowmem_reserve[k]);
			sess_printf(s, "\n");
		}
	json_end_array(s);
	return 0;
}

static int show_values(struct session *s, int argc, char **argv)
{
	json_begin_array(s, "values");
	if (sess_text(s) && !s->nvalues)
		sess_printf(s, "the value history is empty\n");
	for (size_t i = 0; i < s->nvalues; i++) {
		json_begin_object(s, NULL);
		print_value(s, i);
		json_end_object(s);
	}
	json_end_array(s);
	return 0;
}

static int show_machine(struct session *s, int argc, char **argv)
{
	struct kmem_machine_info mi;

	kmem_machine_info(s->m, &mi);
	json_str(s, "name", machine_name(s));
	json_str(s, "arch", mi.arch_name);
	json_u64(s, "cpus", mi.cpus);
	json_u64(s, "nodes", mi.nr_nodes);
	json_bool(s, "numa", mi.numa);
	json_bool(s, "pae", mi.pae);
	json_str(s, "allocator", mi.allocator == KMEM_ALLOC_SLOB ? "slob" : "slab");
	json_u64(s, "cur_cpu", mi.cur_cpu);
	json_u64(s, "max_pfn", mi.max_pfn);
	json_u64(s, "max_low_pfn", mi.max_low_pfn);
	json_u64(s, "totalram_pages", mi.totalram_pages);
	json_u64(s, "totalhigh_pages", mi.totalhigh_pages);
	json_u64(s, "nr_free_pages", mi.nr_free_pages);
	json_hex(s, "page_offset", mi.page_offset);
	json_u64(s, "jiffies", mi.jiffies);
	json_u64(s, "seed", mi.seed);
	if (!sess_text(s))
		return 0;
	sess_printf(s, "machine      %s (%s%s, %u cpu%s, %u node%s, %s)\n",
		    machine_name(s), mi.arch_name, mi.pae ? " PAE" : "", mi.cpus,
		    mi.cpus == 1 ? "" : "s", mi.nr_nodes,
		    mi.nr_nodes == 1 ? "" : "s",
		    mi.allocator == KMEM_ALLOC_SLOB ? "SLOB" : "SLAB");
	sess_printf(s, "memory       max_pfn 0x%lx (%lu MiB), lowmem to pfn 0x%lx\n",
		    mi.max_pfn, mi.max_pfn >> 8, mi.max_low_pfn);
	sess_printf(s, "pages        %lu total, %lu highmem, %lu free\n",
		    mi.totalram_pages, mi.totalhigh_pages, mi.nr_free_pages);
	sess_printf(s, "PAGE_OFFSET  0x%llx\n", (unsigned long long)mi.page_offset);
	sess_printf(s, "cpu          %u (node %u)\n", mi.cur_cpu,
		    kmem_cpu_to_node(s->m, mi.cur_cpu));
	sess_printf(s, "jiffies      %llu\n", (unsigned long long)mi.jiffies);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The show table                                                      */
/* ------------------------------------------------------------------ */

static void complete_show_free_area(struct session *s, int argi, char **argv,
				    struct completion *c)
{
	if (argi == 2)
		complete_zones(s, c);
}

static void complete_show_cpu(struct session *s, int argi, char **argv,
			      struct completion *c)
{
	for (unsigned i = 0; argi == 2 && i < s->info.cpus; i++) {
		char b[16];
		snprintf(b, sizeof b, "%u", i);
		compl_add(c, b);
	}
}

static void complete_show_page(struct session *s, int argi, char **argv,
			       struct completion *c)
{
	if (argi == 2)
		complete_values(s, c);
}

static void complete_show_gfp(struct session *s, int argi, char **argv,
			      struct completion *c)
{
	if (argi == 2)
		complete_gfp(s, c);
}

static const struct command show_free_area_entry = {
	.name = "free_area", .usage = "show free_area [ZONE [ORDER]]",
	.summary = "the buddy free lists, blocks head first",
	.example = "show free_area Normal 3",
	.detail = "ZONE is a name (DMA, DMA32, Normal, HighMem) or NODE:ZONE "
		  "on NUMA machines.  Without ORDER each list shows its first "
		  "blocks; with ORDER every block.",
	.family = FAM_SHOW, .min_args = 0, .max_args = 2,
	.run = show_free_area, .complete = complete_show_free_area,
};
static const struct command show_machine_entry = {
	.name = "machine", .usage = "show machine",
	.summary = "arch, CPUs, nodes, memory, PAGE_OFFSET",
	.example = "show machine",
	.family = FAM_SHOW, .min_args = 0, .max_args = 0, .run = show_machine,
};
static const struct command show_page_entry = {
	.name = "page", .usage = "show page PFN|ADDR",
	.summary = "one struct page: flags decoded, its state, who maps it",
	.example = "show page $1",
	.detail = "A number below max_pfn is a pfn, one at or above PAGE_OFFSET "
		  "a kernel virtual address; phys:ADDR is a physical address; $N "
		  "and names work too.  For a page of a task or of the page "
		  "cache the reverse map follows: anonymous (its anon_vma) or "
		  "file page INDEX of FILE, page_mapcount, and every PTE that "
		  "maps it (pid, user address, vma, writable/young/dirty), found "
		  "as page_referenced and try_to_unmap find them.",
	.family = FAM_SHOW, .min_args = 1, .max_args = 1,
	.run = show_page, .complete = complete_show_page,
};
static const struct command show_pcp_entry = {
	.name = "pcp", .usage = "show pcp [CPU]",
	.summary = "per-CPU hot and cold lists and their pages",
	.example = "show pcp 0",
	.family = FAM_SHOW, .min_args = 0, .max_args = 1,
	.run = show_pcp, .complete = complete_show_cpu,
};
static const struct command show_values_entry = {
	.name = "values", .usage = "show values",
	.summary = "the value history $1..$N and its names",
	.example = "show values",
	.family = FAM_SHOW, .min_args = 0, .max_args = 0, .run = show_values,
};
static const struct command show_zonelist_entry = {
	.name = "zonelist", .usage = "show zonelist GFP [NODE]",
	.summary = "the zones GFP tries, in order",
	.example = "show zonelist GFP_HIGHUSER",
	.family = FAM_SHOW, .min_args = 1, .max_args = 2,
	.run = show_zonelist, .complete = complete_show_gfp,
};
static const struct command show_zones_entry = {
	.name = "zones", .usage = "show zones",
	.summary = "zones: span, free, watermarks, protection",
	.example = "show zones",
	.family = FAM_SHOW, .min_args = 0, .max_args = 0, .run = show_zones,
};

const struct command *const show_table[] = {
	&show_cache_entry,
	&show_file_entry,
	&show_free_area_entry,
	&show_layout_entry,
	&show_lru_entry,
	&show_machine_entry,
	&show_mempool_entry,
	&show_page_entry,
	&show_pagetable_entry,
	&show_pcp_entry,
	&show_pkmap_entry,
	&show_slob_entry,
	&show_swap_entry,
	&show_timeline_entry,
	&show_values_entry,
	&show_vma_entry,
	&show_vmlist_entry,
	&show_writeback_entry,
	&show_zonelist_entry,
	&show_zones_entry,
};
const size_t show_count = sizeof show_table / sizeof show_table[0];

static int run_show(struct session *s, int argc, char **argv)
{
	char err[512];
	const struct command *sub = command_lookup(show_table, show_count,
						   argv[1], "show subcommand",
						   err, sizeof err);

	if (!sub)
		return sess_error(s, "%s", err);
	int nargs = argc - 2;
	if (nargs < sub->min_args || nargs > sub->max_args)
		return sess_error(s, "show %s: wrong number of arguments (usage: "
				  "%s)", sub->name, sub->usage);
	json_str(s, "what", sub->name);
	return sub->run(s, argc - 1, argv + 1);
}

static void complete_show(struct session *s, int argi, char **argv,
			  struct completion *c)
{
	if (argi == 1) {
		for (size_t k = 0; k < show_count; k++)
			compl_add(c, show_table[k]->name);
		return;
	}
	char err[256];
	const struct command *sub = command_lookup(show_table, show_count,
						   argv[1], "show subcommand",
						   err, sizeof err);
	if (sub && sub->complete)
		sub->complete(s, argi, argv, c);
}

const struct command cmd_show = {
	.name = "show",
	.usage = "show WHAT [ARGS]",
	.summary = "inspect free_area, pcp, page, zonelist, zones, values, machine",
	.example = "show free_area Normal",
	.detail = "See 'help show SUBCOMMAND'.  Subcommands take unique "
		  "prefixes like commands do.",
	.family = FAM_SHOW,
	.min_args = 1, .max_args = -1,   /* each subcommand checks its own */
	.run = run_show,
	.complete = complete_show,
};
