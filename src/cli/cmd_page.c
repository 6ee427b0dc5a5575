/*
 * cmd_page.c - the page-allocator commands, named and shaped after the
 * 2.6.20 API in include/linux/gfp.h and mm/page_alloc.c:
 *
 *   struct page *          alloc_pages, alloc_page, alloc_pages_node
 *   unsigned long address  __get_free_pages, __get_free_page,
 *                          get_zeroed_page, __get_dma_pages
 *   freeing a page         __free_pages, __free_page
 *   freeing an address     free_pages, free_page
 *   convenience            free X (whatever X is), drain_pages
 *
 * Every allocation becomes the next $N in the value history; its result
 * line names the handle, PFN, physical and virtual address, zone, order.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <string.h>

#include "cli.h"

/* ------------------------------------------------------------------ */
/* Rendering values                                                    */
/* ------------------------------------------------------------------ */

static void value_json(struct session *s, size_t idx)
{
	const struct value *v = &s->values[idx];
	struct kmem_page_info pi;
	char hb[24];
	kaddr_t va;

	snprintf(hb, sizeof hb, "$%zu", idx + 1);
	json_str(s, "handle", hb);
	if (v->name)
		json_str(s, "name", v->name);
	if (v->kind == VAL_USER) {
		json_str(s, "kind", "user");
		json_hex(s, "addr", v->addr);
		json_i64(s, "pid", v->cache);
		json_bool(s, "freed", v->freed);
		return;
	}
	if (v->kind == VAL_OBJ) {
		struct kmem_whatis w;
		struct kmem_cache_info ci;
		json_str(s, "kind", "object");
		json_hex(s, "addr", v->addr);
		kmem_whatis(s->m, v->addr, &w);
		if (w.kind == KMEM_ADDR_SLAB_OBJ &&
		    !kmem_cache_info(s->m, w.cache_id, &ci)) {
			json_str(s, "cache", ci.name);
			json_u64(s, "size", ci.buffer_size);
			json_u64(s, "index", w.obj_index);
			json_u64(s, "slab_pfn", w.slab_pfn);
		} else if (w.detail[0]) {
			json_str(s, "detail", w.detail);
		}
		json_u64(s, "pfn", v->pfn);
		json_bool(s, "freed", v->freed);
		return;
	}
	json_str(s, "kind", v->kind == VAL_ADDR ? "address" : "page");
	json_u64(s, "pfn", v->pfn);
	json_u64(s, "order", v->order);
	json_u64(s, "pages", 1ULL << v->order);
	json_hex(s, "phys", kmem_pfn_to_phys(v->pfn));
	if (kmem_page_address(s->m, v->pfn, &va))
		json_hex(s, "virt", va);
	else
		json_null(s, "virt");
	if (!kmem_page_info(s->m, v->pfn, &pi) && pi.nid >= 0) {
		json_u64(s, "node", (uint64_t)pi.nid);
		json_str(s, "zone", zone_name(s, pi.nid, pi.zone_idx));
	}
	json_bool(s, "freed", v->freed);
}

void print_value(struct session *s, size_t idx)
{
	const struct value *v = &s->values[idx];
	char lb[96], desc[192];

	if (sess_json(s)) {
		value_json(s, idx);
		return;
	}
	if (!sess_text(s))
		return;
	value_label(s, idx, lb, sizeof lb);
	if (v->kind == VAL_USER) {
		char ab[24];
		sess_printf(s, "%s = %s (user address, pid %d)%s\n", lb,
			    uaddr_str(s, v->addr, ab, sizeof ab), v->cache,
			    v->freed ? " (unmapped)" : "");
		return;
	}
	if (v->kind == VAL_OBJ) {
		struct kmem_whatis w;
		struct kmem_cache_info ci;
		kmem_whatis(s->m, v->addr, &w);
		if (w.kind == KMEM_ADDR_SLAB_OBJ &&
		    !kmem_cache_info(s->m, w.cache_id, &ci))
			sess_printf(s, "%s = 0x%llx (%s, object %u of the slab at pfn "
				    "0x%lx)%s\n", lb, (unsigned long long)v->addr,
				    ci.name, w.obj_index, w.slab_pfn,
				    v->freed ? " (freed)" : "");
		else
			sess_printf(s, "%s = 0x%llx (%s)%s\n", lb,
				    (unsigned long long)v->addr,
				    w.detail[0] ? w.detail : "pfn", v->freed ?
				    " (freed)" : "");
		return;
	}
	if (v->kind == VAL_ADDR) {
		struct kmem_page_info pi;
		char zb[48] = "?";
		kaddr_t va = 0;
		kmem_page_address(s->m, v->pfn, &va);
		if (!kmem_page_info(s->m, v->pfn, &pi) && pi.nid >= 0)
			zone_label(s, pi.nid, pi.zone_idx, zb, sizeof zb);
		sess_printf(s, "%s = 0x%llx (pfn 0x%lx, phys 0x%llx, %s, order %u)%s\n",
			    lb, (unsigned long long)va, v->pfn,
			    (unsigned long long)kmem_pfn_to_phys(v->pfn), zb,
			    v->order, v->freed ? " (freed)" : "");
		return;
	}
	describe_block(s, v->pfn, v->order, desc, sizeof desc);
	sess_printf(s, "%s = %s%s\n", lb, desc, v->freed ? " (freed)" : "");
}

/* ------------------------------------------------------------------ */
/* Allocation                                                          */
/* ------------------------------------------------------------------ */

static int do_alloc(struct session *s, int nid, gfp_t gfp, unsigned order,
		    enum value_kind kind)
{
	unsigned long pfn;

	if (kmem_alloc_pages(s->m, nid, gfp, order, &pfn))
		return sess_error(s, "%s", kmem_last_error(s->m));
	size_t idx = value_push(s, kind, pfn, order);
	if (s->cur.assign) {
		value_bind(s, s->cur.assign, idx);
		s->cur.bound = true;
	}
	if (!(s->flags & SESS_QUIET))
		print_value(s, idx);
	return 0;
}

/* "alloc_pages GFP_KERNEL" forgot the order: say so, not "bad order". */
static int missing_order(struct session *s, const char *cmd,
			 const char *usage)
{
	return sess_error(s, "%s: missing ORDER (usage: %s)", cmd, usage);
}

static int run_alloc_pages(struct session *s, int argc, char **argv)
{
	gfp_t gfp = GFP_KERNEL;
	unsigned order;

	if (argc == 2 && looks_like_gfp(argv[1]))
		return missing_order(s, argv[0], cmd_alloc_pages.usage);
	if (argc == 3 && arg_gfp(s, argv[1], &gfp))
		return -1;
	if (arg_order(s, argv[argc - 1], &order))
		return -1;
	return do_alloc(s, -1, gfp, order, VAL_PAGE);
}

static int run_alloc_page(struct session *s, int argc, char **argv)
{
	gfp_t gfp = GFP_KERNEL;

	if (argc == 2 && arg_gfp(s, argv[1], &gfp))
		return -1;
	return do_alloc(s, -1, gfp, 0, VAL_PAGE);
}

static int run_alloc_pages_node(struct session *s, int argc, char **argv)
{
	gfp_t gfp = GFP_KERNEL;
	unsigned order;
	long nid;

	if (parse_long(argv[1], &nid) || nid < -1 || nid > KMEM_MAX_NODES)
		return sess_error(s, "bad node '%s': expected a node number (or "
				  "-1 for the current CPU's node)", argv[1]);
	if (argc == 3 && looks_like_gfp(argv[2]))
		return missing_order(s, argv[0], cmd_alloc_pages_node.usage);
	if (argc == 4 && arg_gfp(s, argv[2], &gfp))
		return -1;
	if (arg_order(s, argv[argc - 1], &order))
		return -1;
	return do_alloc(s, (int)nid, gfp, order, VAL_PAGE);
}

/*
 * The address-returning family.  __get_free_pages returns page_address():
 * 0 for a highmem page, which then leaks; get_zeroed_page BUG()s on
 * __GFP_HIGHMEM.  Both are refused before the machine changes.
 */
static int get_free_pages(struct session *s, const char *fn, gfp_t gfp,
			  unsigned order)
{
	if ((gfp & __GFP_HIGHMEM) && !strcmp(fn, "get_zeroed_page"))
		return sess_error(s, "get_zeroed_page: kernel BUG: __GFP_HIGHMEM "
				  "is not allowed (a highmem page has no kernel "
				  "address to return)");
	if ((gfp & __GFP_HIGHMEM) && s->info.arch == KMEM_ARCH_I386)
		return sess_error(s, "%s: __GFP_HIGHMEM refused: a HighMem page "
				  "has no kernel address, so page_address() would "
				  "return 0 and the page would leak (use "
				  "alloc_pages)", fn);
	return do_alloc(s, -1, gfp, order, VAL_ADDR);
}

static int run_get_free_pages(struct session *s, int argc, char **argv)
{
	gfp_t gfp;
	unsigned order;

	if (arg_gfp(s, argv[1], &gfp) || arg_order(s, argv[2], &order))
		return -1;
	return get_free_pages(s, argv[0], gfp, order);
}

static int run_get_free_page(struct session *s, int argc, char **argv)
{
	gfp_t gfp;

	if (arg_gfp(s, argv[1], &gfp))
		return -1;
	return get_free_pages(s, argv[0], gfp, 0);
}

static int run_get_zeroed_page(struct session *s, int argc, char **argv)
{
	gfp_t gfp;

	if (arg_gfp(s, argv[1], &gfp))
		return -1;
	return get_free_pages(s, argv[0], gfp | __GFP_ZERO, 0);
}

static int run_get_dma_pages(struct session *s, int argc, char **argv)
{
	gfp_t gfp;
	unsigned order;

	if (arg_gfp(s, argv[1], &gfp) || arg_order(s, argv[2], &order))
		return -1;
	return get_free_pages(s, argv[0], gfp | GFP_DMA, order);
}

/* ------------------------------------------------------------------ */
/* Freeing                                                             */
/* ------------------------------------------------------------------ */

static int do_free(struct session *s, unsigned long pfn, unsigned order,
		   long vidx)
{
	char lb[96];

	if (vidx >= 0 && s->values[vidx].freed) {
		long owner = value_live_at(s, s->values[vidx].pfn);
		if (owner >= 0 && owner != vidx) {
			char ob[96];
			return sess_error(s, "%s was freed already and pfn 0x%lx now "
					  "belongs to %s: not freeing it again",
					  value_label(s, (size_t)vidx, lb, sizeof lb),
					  pfn, value_label(s, (size_t)owner, ob,
							   sizeof ob));
		}
	}
	if (kmem_free_pages(s->m, pfn, order))
		return sess_error(s, "%s", kmem_last_error(s->m));
	long live = value_live_at(s, pfn);
	if (live >= 0)
		value_mark_freed(s, (size_t)live);
	else if (vidx >= 0)
		s->values[vidx].freed = true;
	if (sess_json(s)) {
		if (live >= 0) {
			snprintf(lb, sizeof lb, "$%ld", live + 1);
			json_str(s, "handle", lb);
		}
		json_u64(s, "pfn", pfn);
		json_u64(s, "order", order);
	} else if (sess_text(s)) {
		if (live >= 0)
			sess_printf(s, "freed %s: pfn 0x%lx order %u\n",
				    value_label(s, (size_t)live, lb, sizeof lb),
				    pfn, order);
		else
			sess_printf(s, "freed pfn 0x%lx order %u\n", pfn, order);
	}
	return 0;
}

static int run___free_pages(struct session *s, int argc, char **argv)
{
	unsigned long pfn;
	unsigned order = 0;
	long vidx;

	if (arg_page(s, argv[1], &pfn, &vidx))
		return -1;
	if (argc == 3 && arg_order(s, argv[2], &order))
		return -1;
	return do_free(s, pfn, order, vidx);
}

static int run_free_pages(struct session *s, int argc, char **argv)
{
	unsigned long pfn;
	unsigned order = 0;
	kaddr_t addr;
	long vidx;

	if (arg_vaddr(s, argv[1], &addr, &pfn, &vidx))
		return -1;
	if (argc == 3 && arg_order(s, argv[2], &order))
		return -1;
	if (addr == 0) {
		/* free_pages() checks addr != 0 and does nothing */
		sess_printf(s, "%s(0): nothing to free\n", argv[0]);
		return 0;
	}
	return do_free(s, pfn, order, vidx);
}

static int run_free(struct session *s, int argc, char **argv)
{
	unsigned long pfn;
	long vidx;
	int order;

	size_t oidx;
	int r = value_ref(s, argv[1], &oidx);
	if (r < 0)
		return -1;
	if (r == 0 && s->values[oidx].kind == VAL_USER)
		return sess_error(s, "%s is a user address of pid %d: use munmap",
				  argv[1], s->values[oidx].cache);
	if (r == 0 && s->values[oidx].kind == VAL_OBJ) {
		const struct value *v = &s->values[oidx];
		if (v->cache == VALUE_MAPPING)
			return sess_error(s, "%s is a mapping, not an allocation: use "
					  "vunmap or iounmap", argv[1]);
		if (v->cache <= VALUE_MEMPOOL_BASE)
			return mempool_free_value(s, VALUE_MEMPOOL_BASE - v->cache,
						  v->addr, (long)oidx);
		int rc = v->cache >= 0 ?
			kmem_cache_free(s->m, v->cache, v->addr) :
			v->cache == VALUE_VMALLOC ? kmem_vfree(s->m, v->addr) :
			kmem_kfree(s->m, v->addr);
		if (rc)
			return sess_error(s, "%s", kmem_last_error(s->m));
		value_mark_freed(s, oidx);
		if (!(s->flags & SESS_QUIET) && sess_text(s)) {
			char lb[64];
			sess_printf(s, "freed %s: object 0x%llx\n",
				    value_label(s, oidx, lb, sizeof lb),
				    (unsigned long long)v->addr);
		}
		return 0;
	}
	if (arg_page(s, argv[1], &pfn, &vidx))
		return -1;
	if (vidx >= 0) {
		order = s->values[vidx].order;
	} else {
		long live = value_live_at(s, pfn);
		order = live >= 0 ? s->values[live].order :
			kmem_alloc_order(s->m, pfn);
		if (order < 0)
			order = 0;      /* the engine will say what pfn is */
	}
	return do_free(s, pfn, (unsigned)order, vidx);
}

static int run_drain_pages(struct session *s, int argc, char **argv)
{
	unsigned cpu = 0;
	bool all = argc == 1 || !strcmp(argv[1], "all");
	unsigned long before = 0, after = 0;
	struct kmem_zone_info zi;

	if (!all && arg_cpu(s, argv[1], &cpu))
		return -1;
	for (unsigned n = 0; n < s->info.nr_nodes; n++)
		for (int i = 0; i < KMEM_MAX_NR_ZONES; i++)
			if (!kmem_zone_info(s->m, (int)n, i, &zi))
				before += zi.pcp_pages;
	kmem_drain_pages(s->m, all ? -1 : (int)cpu);
	for (unsigned n = 0; n < s->info.nr_nodes; n++)
		for (int i = 0; i < KMEM_MAX_NR_ZONES; i++)
			if (!kmem_zone_info(s->m, (int)n, i, &zi))
				after += zi.pcp_pages;
	json_u64(s, "pages", before - after);
	if (sess_text(s)) {
		if (all)
			sess_printf(s, "drained every CPU: %lu pages back to the "
				    "buddy lists\n", before - after);
		else
			sess_printf(s, "drained cpu %u: %lu pages back to the "
				    "buddy lists\n", cpu, before - after);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Completion and the table entries                                    */
/* ------------------------------------------------------------------ */

static void complete_gfp_first(struct session *s, int argi, char **argv,
			       struct completion *c)
{
	if (argi == 1)
		complete_gfp(s, c);
}

static void complete_node_gfp(struct session *s, int argi, char **argv,
			      struct completion *c)
{
	if (argi == 1) {
		for (unsigned n = 0; n < s->info.nr_nodes; n++) {
			char b[16];
			snprintf(b, sizeof b, "%u", n);
			compl_add(c, b);
		}
	} else if (argi == 2) {
		complete_gfp(s, c);
	}
}

static void complete_value_first(struct session *s, int argi, char **argv,
				 struct completion *c)
{
	if (argi == 1)
		complete_values(s, c);
}

#define GFP_DETAIL "GFP is a mask of flag names joined by '|' (GFP_KERNEL, " \
	"GFP_ATOMIC|__GFP_COLD, GFP_HIGHUSER ...) or a number; the default " \
	"is GFP_KERNEL."

const struct command cmd_alloc_pages = {
	.name = "alloc_pages",
	.usage = "alloc_pages [GFP] ORDER",
	.summary = "allocate 2^ORDER contiguous pages (struct page)",
	.example = "buf = alloc_pages GFP_KERNEL 3",
	.detail = "Runs __alloc_pages on the current CPU's node: the zonelist "
		  "gfp_zone(GFP) selects, zone_watermark_ok per zone, the per-CPU "
		  "list for order 0, __rmqueue and expand otherwise. " GFP_DETAIL,
	.family = FAM_PAGE,
	.min_args = 1, .max_args = 2,
	.flags = CMD_VALUE | CMD_MUTATES,
	.run = run_alloc_pages,
	.complete = complete_gfp_first,
};

const struct command cmd_alloc_page = {
	.name = "alloc_page",
	.usage = "alloc_page [GFP]",
	.summary = "allocate one page: alloc_pages(GFP, 0)",
	.example = "alloc_page GFP_HIGHUSER",
	.detail = "Order-0 allocations are served from the CPU's hot list (or "
		  "the cold list with __GFP_COLD), refilled from the buddy lists "
		  "batch pages at a time. " GFP_DETAIL,
	.family = FAM_PAGE,
	.min_args = 0, .max_args = 1,
	.flags = CMD_VALUE | CMD_MUTATES,
	.run = run_alloc_page,
	.complete = complete_gfp_first,
};

const struct command cmd_alloc_pages_node = {
	.name = "alloc_pages_node",
	.usage = "alloc_pages_node NID [GFP] ORDER",
	.summary = "allocate 2^ORDER pages from node NID's zonelist",
	.example = "alloc_pages_node 0 GFP_KERNEL 1",
	.detail = "NID -1 means the current CPU's node, as in the kernel. "
		  GFP_DETAIL,
	.family = FAM_PAGE,
	.min_args = 2, .max_args = 3,
	.flags = CMD_VALUE | CMD_MUTATES,
	.run = run_alloc_pages_node,
	.complete = complete_node_gfp,
};

const struct command cmd___get_free_pages = {
	.name = "__get_free_pages",
	.usage = "__get_free_pages GFP ORDER",
	.summary = "allocate 2^ORDER pages, return their address",
	.example = "__get_free_pages GFP_KERNEL 1",
	.detail = "page_address(alloc_pages(GFP, ORDER)).  On i386 __GFP_HIGHMEM "
		  "is refused: a HighMem page has no kernel address.",
	.family = FAM_PAGE,
	.min_args = 2, .max_args = 2,
	.flags = CMD_VALUE | CMD_MUTATES,
	.run = run_get_free_pages,
	.complete = complete_gfp_first,
};

const struct command cmd___get_free_page = {
	.name = "__get_free_page",
	.usage = "__get_free_page GFP",
	.summary = "allocate one page and return its kernel address",
	.example = "__get_free_page GFP_ATOMIC",
	.family = FAM_PAGE,
	.min_args = 1, .max_args = 1,
	.flags = CMD_VALUE | CMD_MUTATES,
	.run = run_get_free_page,
	.complete = complete_gfp_first,
};

const struct command cmd_get_zeroed_page = {
	.name = "get_zeroed_page",
	.usage = "get_zeroed_page GFP",
	.summary = "allocate a zeroed page, return its address",
	.example = "get_zeroed_page GFP_KERNEL",
	.detail = "alloc_pages(GFP|__GFP_ZERO, 0); __GFP_HIGHMEM is a kernel "
		  "BUG() and is refused.",
	.family = FAM_PAGE,
	.min_args = 1, .max_args = 1,
	.flags = CMD_VALUE | CMD_MUTATES,
	.run = run_get_zeroed_page,
	.complete = complete_gfp_first,
};

const struct command cmd___get_dma_pages = {
	.name = "__get_dma_pages",
	.usage = "__get_dma_pages GFP ORDER",
	.summary = "allocate 2^ORDER DMA pages, return the address",
	.example = "__get_dma_pages GFP_KERNEL 0",
	.detail = "__get_free_pages(GFP|GFP_DMA, ORDER).",
	.family = FAM_PAGE,
	.min_args = 2, .max_args = 2,
	.flags = CMD_VALUE | CMD_MUTATES,
	.run = run_get_dma_pages,
	.complete = complete_gfp_first,
};

const struct command cmd___free_pages = {
	.name = "__free_pages",
	.usage = "__free_pages PAGE ORDER",
	.summary = "free a 2^ORDER block given its first page",
	.example = "__free_pages $1 3",
	.detail = "PAGE is $N, a name, a pfn, a kernel address or phys:ADDR. "
		  "A bad free (twice, a tail page, the wrong order, a reserved "
		  "page) is refused with the kernel's \"Bad page state\" reason "
		  "and changes nothing.",
	.family = FAM_PAGE,
	.min_args = 2, .max_args = 2,
	.flags = CMD_MUTATES,
	.run = run___free_pages,
	.complete = complete_value_first,
};

const struct command cmd___free_page = {
	.name = "__free_page",
	.usage = "__free_page PAGE",
	.summary = "free one page: __free_pages(PAGE, 0)",
	.example = "__free_page $1",
	.family = FAM_PAGE,
	.min_args = 1, .max_args = 1,
	.flags = CMD_MUTATES,
	.run = run___free_pages,
	.complete = complete_value_first,
};

const struct command cmd_free_pages = {
	.name = "free_pages",
	.usage = "free_pages ADDR ORDER",
	.summary = "free a 2^ORDER block given its kernel address",
	.example = "free_pages $2 1",
	.detail = "ADDR is $N, a name or a direct-mapped kernel address; "
		  "free_pages(0, ORDER) does nothing, as in the kernel.",
	.family = FAM_PAGE,
	.min_args = 2, .max_args = 2,
	.flags = CMD_MUTATES,
	.run = run_free_pages,
	.complete = complete_value_first,
};

const struct command cmd_free_page = {
	.name = "free_page",
	.usage = "free_page ADDR",
	.summary = "free one page given its kernel address",
	.example = "free_page $2",
	.family = FAM_PAGE,
	.min_args = 1, .max_args = 1,
	.flags = CMD_MUTATES,
	.run = run_free_pages,
	.complete = complete_value_first,
};

const struct command cmd_free = {
	.name = "free",
	.usage = "free X",
	.summary = "free X at the order it was allocated with",
	.example = "free buf",
	.detail = "X is $N, a name, a pfn or an address.  The order comes from "
		  "the value history, else from the live allocation at X.",
	.family = FAM_PAGE,
	.min_args = 1, .max_args = 1,
	.flags = CMD_MUTATES,
	.run = run_free,
	.complete = complete_value_first,
};

static void complete_drain(struct session *s, int argi, char **argv,
			   struct completion *c)
{
	if (argi != 1)
		return;
	compl_add(c, "all");
	for (unsigned i = 0; i < s->info.cpus; i++) {
		char b[16];
		snprintf(b, sizeof b, "%u", i);
		compl_add(c, b);
	}
}

const struct command cmd_drain_pages = {
	.name = "drain_pages",
	.usage = "drain_pages [CPU|all]",
	.summary = "return a CPU's per-CPU pages to the buddy lists",
	.example = "drain_pages 0",
	.detail = "__drain_pages (drain_local_pages under CONFIG_PM): every hot "
		  "and cold list of the CPU is freed through free_pages_bulk.",
	.family = FAM_PAGE,
	.min_args = 0, .max_args = 1,
	.flags = CMD_MUTATES,
	.run = run_drain_pages,
	.complete = complete_drain,
};
