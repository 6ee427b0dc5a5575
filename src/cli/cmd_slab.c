/*
 * cmd_slab.c - the object-allocator commands: kmalloc, kzalloc,
 * kmalloc_node, kfree, ksize, kmem_cache_create/alloc/free/shrink/destroy,
 * whatis, memset, dump, and the `show cache` / `show slob` views.  They
 * work the same on SLAB and SLOB machines (--allocator).
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int arg_size(struct session *s, const char *word, const char *what,
	     uint64_t *out)
{
	if (parse_size(word, out))
		return sess_error(s, "bad %s '%s' (a number, 0x hex, or with a "
				  "k/M/G suffix)", what, word);
	return 0;
}

static int arg_cache(struct session *s, const char *word, int *id)
{
	*id = kmem_cache_lookup(s->m, word);
	if (*id < 0)
		return sess_error(s, "no cache named '%s' (see cat /proc/slabinfo)",
				  word);
	return 0;
}

/* A new object or area value, printed and (NAME = ...) bound. */
int object_made(struct session *s, kaddr_t addr, int cache)
{
	size_t idx = value_push_obj(s, addr, cache);

	if (s->cur.assign) {
		value_bind(s, s->cur.assign, idx);
		s->cur.bound = true;
	}
	if (!(s->flags & SESS_QUIET))
		print_value(s, idx);
	return 0;
}

static int do_kmalloc(struct session *s, int nid, const char *size_word,
		      const char *gfp_word, gfp_t extra)
{
	uint64_t size;
	gfp_t gfp = GFP_KERNEL;
	kaddr_t addr;

	if (arg_size(s, size_word, "size", &size))
		return -1;
	if (gfp_word && arg_gfp(s, gfp_word, &gfp))
		return -1;
	if (kmem_kmalloc(s->m, (size_t)size, gfp | extra, nid, &addr))
		return sess_error(s, "%s", kmem_last_error(s->m));
	return object_made(s, addr, -1);
}

static int run_kmalloc(struct session *s, int argc, char **argv)
{
	return do_kmalloc(s, -1, argv[1], argc > 2 ? argv[2] : NULL, 0);
}

static int run_kzalloc(struct session *s, int argc, char **argv)
{
	return do_kmalloc(s, -1, argv[1], argc > 2 ? argv[2] : NULL, __GFP_ZERO);
}

static int run_kmalloc_node(struct session *s, int argc, char **argv)
{
	unsigned nid;

	if (arg_uint(s, argv[1], "node", KMEM_MAX_NODES - 1, &nid))
		return -1;
	return do_kmalloc(s, (int)nid, argv[2], argc > 3 ? argv[3] : NULL, 0);
}

/* kfree / kmem_cache_free of X: a value or an address. */
static int do_free_obj(struct session *s, int cache, const char *word)
{
	kaddr_t addr;
	long vidx;

	if (arg_kaddr(s, word, &addr, &vidx))
		return -1;
	int rc = cache >= 0 ? kmem_cache_free(s->m, cache, addr) :
		 kmem_kfree(s->m, addr);
	if (rc)
		return sess_error(s, "%s", kmem_last_error(s->m));
	if (vidx < 0)
		for (size_t i = 0; i < s->nvalues; i++)
			if (s->values[i].kind == VAL_OBJ && !s->values[i].freed &&
			    s->values[i].addr == addr)
				vidx = (long)i;
	if (vidx >= 0)
		value_mark_freed(s, (size_t)vidx);
	if (!(s->flags & SESS_QUIET) && sess_text(s))
		sess_printf(s, "freed 0x%llx\n", (unsigned long long)addr);
	if (sess_json(s))
		json_hex(s, "addr", addr);
	return 0;
}

static int run_kfree(struct session *s, int argc, char **argv)
{
	return do_free_obj(s, -1, argv[1]);
}

static int run_ksize(struct session *s, int argc, char **argv)
{
	kaddr_t addr;
	long vidx;
	size_t size;

	if (arg_kaddr(s, argv[1], &addr, &vidx))
		return -1;
	if (kmem_ksize(s->m, addr, &size))
		return sess_error(s, "%s", kmem_last_error(s->m));
	if (sess_json(s))
		json_u64(s, "ksize", size);
	else if (sess_text(s))
		sess_printf(s, "%zu\n", size);
	return 0;
}

static int run_cache_create(struct session *s, int argc, char **argv)
{
	uint64_t size, align = 0;
	unsigned flags = 0;
	bool ctor = false;
	char err[160];
	int id;

	if (arg_size(s, argv[2], "size", &size))
		return -1;
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "ctor")) {
			ctor = true;
		} else if (!strncmp(argv[i], "align=", 6)) {
			if (arg_size(s, argv[i] + 6, "alignment", &align))
				return -1;
		} else if (kmem_slab_flags_parse(argv[i], &flags, err, sizeof err)) {
			return sess_error(s, "%s", err);
		}
	}
	if (kmem_cache_create(s->m, argv[1], (size_t)size, (size_t)align, flags,
			      ctor, &id))
		return sess_error(s, "%s", kmem_last_error(s->m));
	struct kmem_cache_info ci;
	kmem_cache_info(s->m, id, &ci);
	if (sess_json(s)) {
		json_str(s, "cache", ci.name);
		json_u64(s, "buffer_size", ci.buffer_size);
		json_u64(s, "objperslab", ci.num);
		json_u64(s, "pagesperslab", 1ULL << ci.gfporder);
	} else if (sess_text(s) && !(s->flags & SESS_QUIET)) {
		if (ci.num)
			sess_printf(s, "%s: %zu-byte objects, %u per %u-page slab, "
				    "%s-slab management, %u colour%s of %u bytes\n",
				    ci.name, ci.buffer_size, ci.num, 1u << ci.gfporder,
				    ci.off_slab ? "off" : "on", ci.colour,
				    ci.colour == 1 ? "" : "s", ci.colour_off);
		else
			sess_printf(s, "%s: %zu-byte objects from the SLOB heap\n",
				    ci.name, ci.buffer_size);
	}
	return 0;
}

static int run_cache_alloc(struct session *s, int argc, char **argv)
{
	int id;
	gfp_t gfp = GFP_KERNEL;
	kaddr_t addr;

	if (arg_cache(s, argv[1], &id))
		return -1;
	if (argc > 2 && arg_gfp(s, argv[2], &gfp))
		return -1;
	if (kmem_cache_alloc(s->m, id, gfp, -1, &addr))
		return sess_error(s, "%s", kmem_last_error(s->m));
	return object_made(s, addr, id);
}

static int run_cache_free(struct session *s, int argc, char **argv)
{
	int id;

	if (arg_cache(s, argv[1], &id))
		return -1;
	return do_free_obj(s, id, argv[2]);
}

static int run_cache_shrink(struct session *s, int argc, char **argv)
{
	int id;

	if (arg_cache(s, argv[1], &id))
		return -1;
	int busy = kmem_cache_shrink(s->m, id);
	if (busy < 0)
		return sess_error(s, "%s", kmem_last_error(s->m));
	if (sess_json(s))
		json_u64(s, "result", (uint64_t)busy);
	else if (sess_text(s) && !(s->flags & SESS_QUIET))
		sess_printf(s, "%d (%s)\n", busy, busy ? "slabs still in use" :
			    "every slab freed");
	return 0;
}

static int run_cache_destroy(struct session *s, int argc, char **argv)
{
	int id;

	if (arg_cache(s, argv[1], &id))
		return -1;
	if (kmem_cache_destroy(s->m, id))
		return sess_error(s, "%s", kmem_last_error(s->m));
	return 0;
}

/* ------------------------------------------------------------------ */
/* whatis, memset, dump                                                */
/* ------------------------------------------------------------------ */

static const char *const kind_names[] = {
	[KMEM_ADDR_NONE] = "none", [KMEM_ADDR_PAGE] = "page",
	[KMEM_ADDR_SLAB_OBJ] = "slab object",
	[KMEM_ADDR_SLAB_MGMT] = "slab management",
	[KMEM_ADDR_SLOB] = "slob", [KMEM_ADDR_SLOB_BIG] = "slob bigblock",
	[KMEM_ADDR_VMALLOC] = "vmalloc", [KMEM_ADDR_VMALLOC_GUARD] = "guard page",
	[KMEM_ADDR_PKMAP] = "pkmap", [KMEM_ADDR_FIXMAP] = "fixmap",
};

static int run_whatis(struct session *s, int argc, char **argv)
{
	kaddr_t addr;
	long vidx;
	struct kmem_whatis w;
	struct kmem_cache_info ci;

	if (arg_kaddr(s, argv[1], &addr, &vidx))
		return -1;
	kmem_whatis(s->m, addr, &w);
	bool cache = w.cache_id >= 0 && !kmem_cache_info(s->m, w.cache_id, &ci);
	if (sess_json(s)) {
		json_hex(s, "addr", addr);
		json_str(s, "kind", kind_names[w.kind]);
		if (w.pfn != KMEM_NO_PFN && w.kind != KMEM_ADDR_NONE)
			json_u64(s, "pfn", w.pfn);
		if (cache) {
			json_str(s, "cache", ci.name);
			json_u64(s, "slab_pfn", w.slab_pfn);
			json_u64(s, "index", w.obj_index);
			json_hex(s, "object", w.obj_addr);
			json_u64(s, "offset", w.offset);
			json_bool(s, "allocated", w.allocated);
			json_bool(s, "in_array", w.in_array);
		}
		if (w.detail[0])
			json_str(s, "detail", w.detail);
		return 0;
	}
	if (!sess_text(s))
		return 0;
	char zb[48] = "";
	if (w.nid >= 0)
		zone_label(s, w.nid, w.zone_idx, zb, sizeof zb);
	switch (w.kind) {
	case KMEM_ADDR_NONE:
		sess_printf(s, "0x%llx: %s\n", (unsigned long long)addr,
			    w.detail[0] ? w.detail : "not a kernel address we know");
		break;
	case KMEM_ADDR_PAGE:
		sess_printf(s, "0x%llx: pfn 0x%lx (%s), not a slab address\n",
			    (unsigned long long)addr, w.pfn, zb);
		break;
	case KMEM_ADDR_SLAB_OBJ:
		sess_printf(s, "0x%llx: %s object %u of the slab at pfn 0x%lx (%s), "
			    "object 0x%llx + %lu, %s\n", (unsigned long long)addr,
			    cache ? ci.name : "?", w.obj_index, w.slab_pfn, zb,
			    (unsigned long long)w.obj_addr, w.offset,
			    w.allocated ? "allocated" : w.in_array ?
			    "free (in an array_cache)" : "free (in the slab)");
		break;
	case KMEM_ADDR_SLAB_MGMT:
		sess_printf(s, "0x%llx: %s slab at pfn 0x%lx: %s\n",
			    (unsigned long long)addr, cache ? ci.name : "?",
			    w.slab_pfn, w.detail);
		break;
	default:
		sess_printf(s, "0x%llx: %s%s%s\n", (unsigned long long)addr,
			    w.detail, zb[0] ? ", " : "", zb);
		break;
	}
	return 0;
}

static int run_memset(struct session *s, int argc, char **argv)
{
	kaddr_t addr;
	long vidx;
	uint64_t byte, len;

	if (arg_kaddr(s, argv[1], &addr, &vidx) ||
	    arg_u64(s, argv[2], "byte", &byte) ||
	    arg_size(s, argv[3], "length", &len))
		return -1;
	if (byte > 0xff)
		return sess_error(s, "byte %llu is out of range [0, 255]",
				  (unsigned long long)byte);
	if (len > (64u << 20))
		return sess_error(s, "length %llu is above the 64M limit",
				  (unsigned long long)len);
	if (kmem_memset(s->m, addr, (int)byte, (size_t)len))
		return sess_error(s, "%s", kmem_last_error(s->m));
	return 0;
}

static int run_dump(struct session *s, int argc, char **argv)
{
	kaddr_t addr;
	long vidx;
	uint64_t len = 64;

	if (arg_kaddr(s, argv[1], &addr, &vidx))
		return -1;
	if (argc > 2 && arg_size(s, argv[2], "length", &len))
		return -1;
	if (len == 0 || len > 65536)
		return sess_error(s, "length %llu is out of range [1, 65536]",
				  (unsigned long long)len);
	uint8_t *buf = malloc((size_t)len);
	if (!buf)
		cli_oom();
	if (kmem_memread(s->m, addr, buf, (size_t)len)) {
		free(buf);
		return sess_error(s, "%s", kmem_last_error(s->m));
	}
	if (sess_json(s)) {
		struct kbuf hex;
		kbuf_init(&hex);
		for (size_t i = 0; i < len; i++)
			kbuf_printf(&hex, "%02x", buf[i]);
		json_hex(s, "addr", addr);
		json_str(s, "bytes", hex.data);
		kbuf_free(&hex);
	} else if (sess_text(s)) {
		for (size_t i = 0; i < len; i += 16) {
			sess_printf(s, "%016llx: ", (unsigned long long)(addr + i));
			for (size_t k = i; k < i + 16; k++)
				if (k < len)
					sess_printf(s, "%02x%s", buf[k], k % 8 == 7 ? "  " : " ");
				else
					sess_printf(s, "   %s", k % 8 == 7 ? " " : "");
			for (size_t k = i; k < i + 16 && k < len; k++)
				sess_printf(s, "%c", buf[k] >= 0x20 && buf[k] < 0x7f ?
					    buf[k] : '.');
			sess_printf(s, "\n");
		}
	}
	free(buf);
	return 0;
}

/* ------------------------------------------------------------------ */
/* show cache NAME, show slob                                          */
/* ------------------------------------------------------------------ */

static int show_cache(struct session *s, int argc, char **argv)
{
	int id;
	struct kmem_cache_info ci;
	char fb[160];

	if (arg_cache(s, argv[1], &id))
		return -1;
	kmem_cache_info(s->m, id, &ci);
	kmem_slab_flags_format(ci.flags, fb, sizeof fb);
	if (sess_json(s)) {
		json_str(s, "cache", ci.name);
		json_u64(s, "object_size", ci.object_size);
		json_u64(s, "buffer_size", ci.buffer_size);
		json_u64(s, "num", ci.num);
		json_u64(s, "gfporder", ci.gfporder);
		json_bool(s, "off_slab", ci.off_slab);
		json_u64(s, "colour", ci.colour);
		json_u64(s, "colour_off", ci.colour_off);
		json_u64(s, "limit", ci.limit);
		json_u64(s, "batchcount", ci.batchcount);
		json_u64(s, "shared", ci.shared);
		json_u64(s, "active_objs", ci.active_objs);
		json_u64(s, "num_objs", ci.num_objs);
		return 0;
	}
	if (!sess_text(s))
		return 0;
	sess_printf(s, "cache %s (flags %s%s)\n", ci.name, fb,
		    ci.has_ctor ? ", ctor" : "");
	if (!ci.num) {          /* SLOB */
		sess_printf(s, "  object size %zu, align %zu, %lu live (SLOB heap)\n",
			    ci.object_size, ci.align, ci.active_objs);
		return 0;
	}
	sess_printf(s, "  object size %zu, buffer size %zu, align %zu\n",
		    ci.object_size, ci.buffer_size, ci.align);
	sess_printf(s, "  %u objects per slab of %u page%s, %s-slab management "
		    "(%zu bytes)\n", ci.num, 1u << ci.gfporder,
		    ci.gfporder ? "s" : "", ci.off_slab ? "off" : "on",
		    ci.slab_size);
	sess_printf(s, "  colour %u x %u bytes, next %u\n", ci.colour,
		    ci.colour_off, ci.colour_next);
	sess_printf(s, "  tunables limit %u batchcount %u shared %u; free_limit "
		    "%lu, free_objects %lu\n", ci.limit, ci.batchcount, ci.shared,
		    ci.free_limit, ci.free_objects);
	sess_printf(s, "  slabs: %lu full, %lu partial, %lu free; objects %lu "
		    "active of %lu\n", ci.slabs_full, ci.slabs_partial,
		    ci.slabs_free, ci.active_objs, ci.num_objs);
	struct kmem_machine_info mi;
	kmem_machine_info(s->m, &mi);
	static const char *const lists[] = { "full", "partial", "free" };
	char *map = malloc(ci.num + 1);
	if (!map)
		cli_oom();
	for (unsigned nid = 0; nid < mi.nr_nodes; nid++) {
		size_t n = kmem_cache_slabs(s->m, id, (int)nid, NULL, 0);
		struct kmem_slab_info *sl = calloc(n ? n : 1, sizeof *sl);
		if (!sl)
			cli_oom();
		kmem_cache_slabs(s->m, id, (int)nid, sl, n);
		for (size_t i = 0; i < n; i++) {
			kmem_slab_objmap(s->m, id, sl[i].pfn, map, ci.num + 1);
			sess_printf(s, "  node %u %-7s slab pfn 0x%lx s_mem 0x%llx "
				    "colouroff %u inuse %u/%u  %s\n", nid,
				    lists[sl[i].list], sl[i].pfn,
				    (unsigned long long)sl[i].s_mem, sl[i].colouroff,
				    sl[i].inuse, ci.num, map);
		}
		free(sl);
	}
	free(map);
	sess_printf(s, "  (U handed out, A in an array_cache, . free in the slab)\n");
	kaddr_t ent[512];
	struct kmem_array_info ai;
	for (unsigned cpu = 0; cpu < mi.cpus; cpu++) {
		if (kmem_cache_array(s->m, id, (int)cpu, 0, &ai, ent, 512))
			continue;
		sess_printf(s, "  cpu %u array: avail %u limit %u batchcount %u%s",
			    cpu, ai.avail, ai.limit, ai.batchcount,
			    ai.touched ? " touched" : "");
		for (unsigned i = 0; i < ai.avail && i < 8; i++)
			sess_printf(s, "%s0x%llx", i ? " " : ": ",
				    (unsigned long long)ent[i]);
		sess_printf(s, "%s\n", ai.avail > 8 ? " ..." : "");
	}
	for (unsigned nid = 0; nid < mi.nr_nodes; nid++)
		if (!kmem_cache_array(s->m, id, -1, (int)nid, &ai, ent, 512))
			sess_printf(s, "  node %u shared array: avail %u limit %u\n",
				    nid, ai.avail, ai.limit);
	return 0;
}

static int show_slob(struct session *s, int argc, char **argv)
{
	long n = kmem_slob_freelist(s->m, NULL, 0);

	if (n < 0)
		return sess_error(s, "show slob: this machine uses SLAB (boot with "
				  "--allocator slob)");
	struct kmem_slob_block *b = calloc((size_t)n + 1, sizeof *b);
	long nb = kmem_slob_bigblocks(s->m, NULL, 0);
	struct kmem_slob_big *big = calloc((size_t)(nb > 0 ? nb : 0) + 1,
					   sizeof *big);
	if (!b || !big)
		cli_oom();
	kmem_slob_freelist(s->m, b, (size_t)n);
	kmem_slob_bigblocks(s->m, big, (size_t)(nb > 0 ? nb : 0));
	if (sess_json(s)) {
		json_u64(s, "arena_pages", kmem_slob_arena_pages(s->m));
		json_begin_array(s, "free");
		for (long i = 0; i < n; i++) {
			json_begin_object(s, NULL);
			json_hex(s, "addr", b[i].addr);
			json_i64(s, "units", b[i].units);
			json_hex(s, "next", b[i].next);
			json_end_object(s);
		}
		json_end_array(s);
	} else if (sess_text(s)) {
		sess_printf(s, "SLOB arena: %lu page%s; free list from slobfree "
			    "(%ld block%s):\n", kmem_slob_arena_pages(s->m),
			    kmem_slob_arena_pages(s->m) == 1 ? "" : "s", n,
			    n == 1 ? "" : "s");
		for (long i = 0; i < n; i++)
			sess_printf(s, "  0x%llx  units %-5ld next 0x%llx\n",
				    (unsigned long long)b[i].addr, b[i].units,
				    (unsigned long long)b[i].next);
		sess_printf(s, "bigblocks (%ld):\n", nb > 0 ? nb : 0);
		for (long i = 0; i < nb; i++)
			sess_printf(s, "  0x%llx  order %u  descriptor 0x%llx\n",
				    (unsigned long long)big[i].addr, big[i].order,
				    (unsigned long long)big[i].desc);
	}
	free(b);
	free(big);
	return 0;
}

const struct command show_cache_entry = {
	.name = "cache", .usage = "show cache NAME",
	.summary = "a cache: geometry, tunables, every slab, the arrays",
	.example = "show cache size-64",
	.family = FAM_SHOW, .min_args = 1, .max_args = 1, .run = show_cache,
};

const struct command show_slob_entry = {
	.name = "slob", .usage = "show slob",
	.summary = "SLOB's free list from slobfree, and its bigblocks",
	.example = "show slob",
	.family = FAM_SHOW, .min_args = 0, .max_args = 0, .run = show_slob,
};

/* ------------------------------------------------------------------ */
/* The table entries                                                   */
/* ------------------------------------------------------------------ */

DEFINE_CMD(FAM_SLAB, kmalloc, "kmalloc SIZE [GFP]", "allocate SIZE bytes from the "
	 "general caches", "buf = kmalloc 100",
	 "SLAB rounds up to a size-N cache (kmalloc(0) is size-32 in 2.6.20; "
	 "above 128K it fails); SLOB carves the heap or takes pages for a "
	 "bigblock.  GFP defaults to GFP_KERNEL; GFP_DMA uses size-N(DMA).",
	 1, 2, CMD_VALUE | CMD_MUTATES, run_kmalloc);
DEFINE_CMD(FAM_SLAB, kzalloc, "kzalloc SIZE [GFP]", "kmalloc with the bytes zeroed",
	 "kzalloc 64", NULL, 1, 2, CMD_VALUE | CMD_MUTATES, run_kzalloc);
DEFINE_CMD(FAM_SLAB, kmalloc_node, "kmalloc_node NID SIZE [GFP]", "kmalloc from a "
	 "node's slabs", "kmalloc_node 0 64", NULL, 2, 3,
	 CMD_VALUE | CMD_MUTATES, run_kmalloc_node);
DEFINE_CMD(FAM_SLAB, kfree, "kfree X", "free a kmalloc object", "kfree buf",
	 "Anything that is not a live object (a double free, an interior "
	 "pointer, a page address) is refused with the kernel's kind of "
	 "message and nothing changes.", 1, 1, CMD_MUTATES, run_kfree);
DEFINE_CMD(FAM_SLAB, ksize, "ksize X", "the usable size of an object", "ksize buf",
	 NULL, 1, 1, 0, run_ksize);
DEFINE_CMD(FAM_SLAB, kmem_cache_create, "kmem_cache_create NAME SIZE [FLAGS] "
	 "[align=N] [ctor]", "create a cache of SIZE-byte objects",
	 "kmem_cache_create my_cache 200 SLAB_HWCACHE_ALIGN",
	 "FLAGS are SLAB_ names joined by |: SLAB_HWCACHE_ALIGN, "
	 "SLAB_CACHE_DMA, SLAB_RECLAIM_ACCOUNT, SLAB_POISON, SLAB_RED_ZONE, "
	 "SLAB_STORE_USER (the last three use CONFIG_DEBUG_SLAB's layout).",
	 2, 5, CMD_MUTATES, run_cache_create);
DEFINE_CMD(FAM_SLAB, kmem_cache_alloc, "kmem_cache_alloc NAME [GFP]", "allocate an "
	 "object from a cache", "obj = kmem_cache_alloc size-64", NULL, 1, 2,
	 CMD_VALUE | CMD_MUTATES, run_cache_alloc);
DEFINE_CMD(FAM_SLAB, kmem_cache_free, "kmem_cache_free NAME X", "free an object to "
	 "its cache", "kmem_cache_free size-64 obj", NULL, 2, 2, CMD_MUTATES,
	 run_cache_free);
DEFINE_CMD(FAM_SLAB, kmem_cache_shrink, "kmem_cache_shrink NAME", "drain the arrays "
	 "and free the empty slabs", "kmem_cache_shrink size-64", NULL, 1, 1,
	 CMD_MUTATES, run_cache_shrink);
DEFINE_CMD(FAM_SLAB, kmem_cache_destroy, "kmem_cache_destroy NAME", "destroy a cache "
	 "(refused while objects are live)", "kmem_cache_destroy my_cache",
	 NULL, 1, 1, CMD_MUTATES, run_cache_destroy);
DEFINE_CMD(FAM_SLAB, whatis, "whatis ADDR", "what an address is: page, slab object, "
	 "vmalloc area ...", "whatis buf", "Like crash's kmem ADDR.", 1, 1, 0,
	 run_whatis);
DEFINE_CMD(FAM_SLAB, memset, "memset ADDR BYTE LEN", "write simulated memory through "
	 "a kernel address", "memset buf 0x41 16",
	 "Writing past an object of a SLAB_RED_ZONE cache or into a freed "
	 "SLAB_POISON object is caught when 2.6.20 would catch it.", 3, 3,
	 CMD_MUTATES, run_memset);
DEFINE_CMD(FAM_SLAB, dump, "dump ADDR [LEN]", "hex dump of simulated memory",
	 "dump buf 32", NULL, 1, 2, 0, run_dump);
