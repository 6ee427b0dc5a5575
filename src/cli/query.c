/*
 * query.c - the small expression language of `expect` and of the lab
 * exercises: a query names one number (or a list of numbers, or a word)
 * the engine reports, read through the public snapshot API of kmem.h.
 *
 *   expect buddyinfo Normal 3 == 5
 *          ^^^^^^^^^^^^^^^^^^ ^^ ^
 *          query (operand)    op operand
 *
 *   operand := QUERY [(+|-|^) NUMBER]...    a query, adjusted
 *            | NUMBER [NUMBER...] [kB]      a literal (several: a list)
 *            | WORD | 'quoted words'        a literal word (when the
 *                                           other side is a word)
 *   op      := == != < <= > >=              (< and > numbers only)
 *
 * The queries (query_table below, also listed by `help expect` and in
 * kmemlab-labs(7)) name what they read the way /proc or the kernel does:
 * buddyinfo, free_pages, free_list, zoneinfo, pcp, zonelist, meminfo,
 * vmstat, sysctl, cache, array, slob, page, pagetable, pkmap, vmlist,
 * task, pte, rmap, oom, writeback, reclaim, disk, file, whatis, and a value
 * of the history with a field ($3 pfn, buf addr, last order).  Nothing
 * here changes the machine.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

/* ------------------------------------------------------------------ */
/* Values and the token cursor                                         */
/* ------------------------------------------------------------------ */

void qval_free(struct qval *v)
{
	free(v->vec);
	v->vec = NULL;
	v->n = 0;
}

static void qv_num(struct qval *v, uint64_t n, enum qv_fmt fmt)
{
	v->kind = QV_NUM;
	v->num = n;
	v->fmt = fmt;
}

static void qv_str(struct qval *v, const char *s)
{
	v->kind = QV_STR;
	snprintf(v->str, sizeof v->str, "%s", s);
}

static void qv_vec_push(struct qval *v, uint64_t x)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->vec = cli_realloc(v->vec, v->cap * sizeof *v->vec);
	}
	v->vec[v->n++] = x;
}

static void qv_vec(struct qval *v, enum qv_fmt fmt)
{
	v->kind = QV_VEC;
	v->fmt = fmt;
	v->n = 0;
}

static int qerr(struct qcur *q, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int qerr(struct qcur *q, const char *fmt, ...)
{
	va_list ap;

	if (q->err[0])
		return -1;      /* the first error is the one that matters */
	va_start(ap, fmt);
	vsnprintf(q->err, sizeof q->err, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *peek(const struct qcur *q)
{
	return q->pos < q->n ? q->tok[q->pos] : NULL;
}

static const char *next_tok(struct qcur *q)
{
	return q->pos < q->n ? q->tok[q->pos++] : NULL;
}

bool query_is_op(const char *t)
{
	static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=",
					   NULL };
	for (const char *const *o = ops; t && *o; o++)
		if (!strcmp(t, *o))
			return true;
	return false;
}

static bool is_adjust(const char *t)
{
	return t && (!strcmp(t, "+") || !strcmp(t, "-") || !strcmp(t, "^"));
}

/* A token that can still be an argument: not an operator or adjustment. */
static bool arg_left(const struct qcur *q)
{
	const char *t = peek(q);

	return t && !query_is_op(t) && !is_adjust(t);
}

static const char *need(struct qcur *q, const char *what)
{
	if (!arg_left(q)) {
		qerr(q, "%s: missing %s (usage: %s)", q->qname, what, q->usage);
		return NULL;
	}
	return next_tok(q);
}

static bool is_number(const char *t)
{
	uint64_t v;

	return t && !parse_u64(t, &v);
}

static int need_uint(struct qcur *q, const char *what, uint64_t max,
		     uint64_t *out)
{
	const char *t = need(q, what);

	if (!t)
		return -1;
	if (parse_u64(t, out) || *out > max)
		return qerr(q, "%s: bad %s '%s' (0..%llu)", q->qname, what, t,
			    (unsigned long long)max);
	return 0;
}

/* An optional number argument: consumed only when one is there. */
static bool opt_uint(struct qcur *q, uint64_t *out)
{
	if (!arg_left(q) || parse_u64(peek(q), out))
		return false;
	q->pos++;
	return true;
}

/* ZONE or NODE:ZONE (node 0 by default). */
static int need_zone(struct qcur *q, int *nid, int *idx)
{
	const char *t = need(q, "zone");
	const char *name = t;
	long node = 0;

	if (!t)
		return -1;
	const char *colon = strchr(t, ':');
	if (colon) {
		char num[24];
		const char *n = t;
		size_t len = (size_t)(colon - t);
		if (!strncmp(n, "node", 4)) {
			n += 4;
			len -= 4;
		}
		if (!len || len >= sizeof num)
			return qerr(q, "%s: bad zone '%s'", q->qname, t);
		memcpy(num, n, len);
		num[len] = '\0';
		if (parse_long(num, &node) || node < 0 ||
		    node >= (long)q->s->info.nr_nodes)
			return qerr(q, "%s: bad node in '%s'", q->qname, t);
		name = colon + 1;
	}
	int i = kmem_zone_lookup(q->s->m, (int)node, name);
	if (i < 0) {
		char names[96] = "";
		size_t off = 0;
		for (int z = 0; z < KMEM_MAX_NR_ZONES; z++)
			off += (size_t)snprintf(names + off, sizeof names - off,
						"%s%s", z ? ", " : "",
						zone_name(q->s, 0, z));
		return qerr(q, "%s: unknown zone '%s' (zones: %s)", q->qname, t,
			    names);
	}
	*nid = (int)node;
	*idx = i;
	return 0;
}

/* CPU: "cpu1" or "1"; the current CPU when absent. */
static int opt_cpu(struct qcur *q, unsigned *cpu)
{
	*cpu = q->s->info.cur_cpu;
	if (!arg_left(q))
		return 0;
	const char *t = next_tok(q);
	uint64_t v;
	if (!strncmp(t, "cpu", 3))
		t += 3;
	if (parse_u64(t, &v) || v >= q->s->info.cpus)
		return qerr(q, "%s: bad CPU '%s' (0..%u)", q->qname, q->tok[q->pos - 1],
			    q->s->info.cpus - 1);
	*cpu = (unsigned)v;
	return 0;
}

/* Pick a field name from a NULL-terminated list; its index or -1. */
static int need_field(struct qcur *q, const char *const *names)
{
	const char *t = need(q, "field");

	if (!t)
		return -1;
	for (int i = 0; names[i]; i++)
		if (!strcmp(t, names[i]))
			return i;
	char list[400] = "";
	size_t off = 0;
	for (int i = 0; names[i] && off < sizeof list; i++)
		off += (size_t)snprintf(list + off, sizeof list - off, "%s%s",
					i ? ", " : "", names[i]);
	return qerr(q, "%s: unknown field '%s' (fields: %s)", q->qname, t, list);
}

/* A kernel address: $ref (an object's address, a page's virtual
 * address), a number; an optional +N offset glued on ("$v+4096"). */
static int need_addr(struct qcur *q, kaddr_t *out)
{
	const char *t = need(q, "address");
	char buf[128];
	uint64_t off = 0, v;

	if (!t)
		return -1;
	snprintf(buf, sizeof buf, "%s", t);
	char *plus = strchr(buf + 1, '+');
	if (plus) {
		*plus = '\0';
		if (parse_size(plus + 1, &off))
			return qerr(q, "%s: bad offset in '%s'", q->qname, t);
	}
	if (buf[0] == '$' || is_identifier(buf)) {
		long idx = -1;
		if (!strcmp(buf, "$") || !strcmp(buf, "last"))
			idx = (long)q->s->nvalues - 1;
		else if (buf[0] == '$' && buf[1] >= '0' && buf[1] <= '9') {
			if (parse_u64(buf + 1, &v) || !v || v > q->s->nvalues)
				return qerr(q, "%s: no value %s", q->qname, buf);
			idx = (long)v - 1;
		} else {
			idx = value_by_name(q->s, buf[0] == '$' ? buf + 1 : buf);
		}
		if (idx < 0)
			return qerr(q, "%s: unknown value '%s'", q->qname, buf);
		const struct value *val = &q->s->values[idx];
		kaddr_t a = val->addr;
		if (val->kind != VAL_OBJ &&
		    !kmem_page_address(q->s->m, val->pfn, &a))
			return qerr(q, "%s: %s is a highmem page with no kernel "
				    "address", q->qname, buf);
		*out = a + off;
		return 0;
	}
	if (parse_u64(buf, &v))
		return qerr(q, "%s: bad address '%s'", q->qname, t);
	*out = v + off;
	return 0;
}

/* A page: $ref or name (its first page), or a PFN. */
static int need_pfn(struct qcur *q, unsigned long *pfn)
{
	const char *t = need(q, "page");
	uint64_t v;

	if (!t)
		return -1;
	if (t[0] == '$' || is_identifier(t)) {
		long idx;
		if (!strcmp(t, "$") || !strcmp(t, "last"))
			idx = (long)q->s->nvalues - 1;
		else if (t[0] == '$' && t[1] >= '0' && t[1] <= '9')
			idx = parse_u64(t + 1, &v) || !v || v > q->s->nvalues ?
			      -1 : (long)v - 1;
		else
			idx = value_by_name(q->s, t[0] == '$' ? t + 1 : t);
		if (idx < 0)
			return qerr(q, "%s: unknown value '%s'", q->qname, t);
		*pfn = q->s->values[idx].pfn;
		return 0;
	}
	if (parse_u64(t, &v) || v >= q->s->info.max_pfn)
		return qerr(q, "%s: bad PFN '%s' (0..0x%lx)", q->qname, t,
			    q->s->info.max_pfn - 1);
	*pfn = (unsigned long)v;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The queries                                                         */
/* ------------------------------------------------------------------ */

static int q_buddyinfo(struct qcur *q, struct qval *v)
{
	struct kmem_zone_info zi;
	int nid, idx;
	uint64_t order;

	if (need_zone(q, &nid, &idx))
		return -1;
	kmem_zone_info(q->s->m, nid, idx, &zi);
	if (opt_uint(q, &order)) {
		if (order >= KMEM_MAX_ORDER)
			return qerr(q, "buddyinfo: order %llu is beyond %d",
				    (unsigned long long)order, KMEM_MAX_ORDER - 1);
		qv_num(v, zi.nr_free[order], QF_DEC);
		return 0;
	}
	qv_vec(v, QF_DEC);
	for (int o = 0; o < KMEM_MAX_ORDER; o++)
		qv_vec_push(v, zi.nr_free[o]);
	return 0;
}

static int q_free_pages(struct qcur *q, struct qval *v)
{
	struct kmem_zone_info zi;
	int nid, idx;

	if (need_zone(q, &nid, &idx))
		return -1;
	kmem_zone_info(q->s->m, nid, idx, &zi);
	qv_num(v, zi.free_pages, QF_DEC);
	return 0;
}

static int q_free_list(struct qcur *q, struct qval *v)
{
	int nid, idx;
	uint64_t order, pos;

	if (need_zone(q, &nid, &idx) ||
	    need_uint(q, "order", KMEM_MAX_ORDER - 1, &order))
		return -1;
	size_t n = kmem_free_area_list(q->s->m, nid, idx, (unsigned)order,
				       NULL, 0);
	unsigned long *pfns = cli_realloc(NULL, (n + 1) * sizeof *pfns);
	kmem_free_area_list(q->s->m, nid, idx, (unsigned)order, pfns, n);
	int rc = 0;
	if (opt_uint(q, &pos)) {
		if (pos >= n)
			rc = qerr(q, "free_list: position %llu, but the list "
				  "holds %zu block%s", (unsigned long long)pos, n,
				  n == 1 ? "" : "s");
		else
			qv_num(v, pfns[pos], QF_HEX);
	} else {
		qv_vec(v, QF_HEX);
		for (size_t i = 0; i < n; i++)
			qv_vec_push(v, pfns[i]);
	}
	free(pfns);
	return rc;
}

static const char *const zoneinfo_fields[] = {
	"free", "min", "low", "high", "spanned", "present", "start_pfn",
	"active", "inactive", "scanned", "protection", "memmap",
	"pcp", NULL,
};

static int q_zoneinfo(struct qcur *q, struct qval *v)
{
	struct kmem_zone_info zi;
	int nid, idx, f;
	uint64_t i;

	if (need_zone(q, &nid, &idx) || (f = need_field(q, zoneinfo_fields)) < 0)
		return -1;
	kmem_zone_info(q->s->m, nid, idx, &zi);
	unsigned long x = 0;
	switch (f) {
	case 0: x = zi.free_pages; break;
	case 1: x = zi.pages_min; break;
	case 2: x = zi.pages_low; break;
	case 3: x = zi.pages_high; break;
	case 4: x = zi.spanned; break;
	case 5: x = zi.present; break;
	case 6: x = zi.start_pfn; break;
	case 7: x = zi.nr_active; break;
	case 8: x = zi.nr_inactive; break;
	case 9: x = zi.pages_scanned; break;
	case 10:
		if (opt_uint(q, &i)) {
			if (i >= KMEM_MAX_NR_ZONES)
				return qerr(q, "zoneinfo: protection index %llu "
					    "(0..%d)", (unsigned long long)i,
					    KMEM_MAX_NR_ZONES - 1);
			x = zi.lowmem_reserve[i];
			break;
		}
		qv_vec(v, QF_DEC);
		for (int z = 0; z < KMEM_MAX_NR_ZONES; z++)
			qv_vec_push(v, zi.lowmem_reserve[z]);
		return 0;
	case 11: x = zi.memmap_pages; break;
	case 12: x = zi.pcp_pages; break;
	}
	qv_num(v, x, f == 6 ? QF_HEX : QF_DEC);
	return 0;
}

static const char *const pcp_fields[] = {
	"count", "high", "batch", "head", "list", NULL,
};

static int q_pcp(struct qcur *q, struct qval *v)
{
	int nid, idx, f;
	unsigned cpu;

	if (need_zone(q, &nid, &idx))
		return -1;
	const char *hc = need(q, "hot or cold");
	if (!hc)
		return -1;
	if (strcmp(hc, "hot") && strcmp(hc, "cold"))
		return qerr(q, "pcp: '%s' is neither hot nor cold", hc);
	int cold = !strcmp(hc, "cold");
	if ((f = need_field(q, pcp_fields)) < 0 || opt_cpu(q, &cpu))
		return -1;
	struct kmem_pcp_info pi;
	if (kmem_pcp_info(q->s->m, nid, idx, cpu, cold, &pi))
		return qerr(q, "pcp: no per-CPU list there");
	if (f <= 2) {
		qv_num(v, (uint64_t)(f == 0 ? pi.count : f == 1 ? pi.high :
				     pi.batch), QF_DEC);
		return 0;
	}
	size_t n = kmem_pcp_list(q->s->m, nid, idx, cpu, cold, NULL, 0);
	unsigned long *pfns = cli_realloc(NULL, (n + 1) * sizeof *pfns);
	kmem_pcp_list(q->s->m, nid, idx, cpu, cold, pfns, n);
	int rc = 0;
	if (f == 3) {
		if (!n)
			rc = qerr(q, "pcp: the %s list is empty", hc);
		else
			qv_num(v, pfns[0], QF_HEX);
	} else {
		qv_vec(v, QF_HEX);
		for (size_t i = 0; i < n; i++)
			qv_vec_push(v, pfns[i]);
	}
	free(pfns);
	return rc;
}

static int q_zonelist(struct qcur *q, struct qval *v)
{
	const char *t = need(q, "GFP mask");
	char err[160];
	gfp_t gfp;
	int nids[KMEM_MAX_NODES * KMEM_MAX_NR_ZONES];
	int idxs[KMEM_MAX_NODES * KMEM_MAX_NR_ZONES];
	uint64_t pos;

	if (!t)
		return -1;
	if (kmem_gfp_parse(t, q->s->info.numa, &gfp, err, sizeof err))
		return qerr(q, "zonelist: %s", err);
	size_t n = kmem_zonelist(q->s->m, -1, gfp, nids, idxs,
				 sizeof nids / sizeof nids[0]);
	if (opt_uint(q, &pos)) {
		if (pos >= n)
			return qerr(q, "zonelist: position %llu, but the list "
				    "holds %zu zones", (unsigned long long)pos, n);
		qv_str(v, zone_name(q->s, nids[pos], idxs[pos]));
		return 0;
	}
	char buf[sizeof v->str] = "";
	size_t off = 0;
	for (size_t i = 0; i < n && off < sizeof buf; i++)
		off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%s",
					i ? " " : "", zone_name(q->s, nids[i],
								idxs[i]));
	qv_str(v, buf);
	return 0;
}

static int stat_lookup(struct qcur *q, struct qval *v, bool meminfo)
{
	struct kmem_stat_item items[128];
	const char *t = need(q, "name");

	if (!t)
		return -1;
	size_t n = meminfo ? kmem_meminfo_items(q->s->m, items, 128) :
		   kmem_vmstat_items(q->s->m, items, 128);
	if (n > 128)
		n = 128;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(items[i].name, t)) {
			qv_num(v, items[i].value, meminfo ? QF_KB : QF_DEC);
			return 0;
		}
	const char *best = NULL;
	unsigned bd = 4;
	for (size_t i = 0; i < n; i++) {
		unsigned d = edit_distance(t, items[i].name);
		if (d < bd) {
			bd = d;
			best = items[i].name;
		}
	}
	if (best)
		return qerr(q, "%s: no '%s' in /proc/%s (did you mean '%s'?)",
			    q->qname, t, q->qname, best);
	return qerr(q, "%s: no '%s' in /proc/%s", q->qname, t, q->qname);
}

static int q_meminfo(struct qcur *q, struct qval *v)
{
	return stat_lookup(q, v, true);
}

static int q_vmstat(struct qcur *q, struct qval *v)
{
	return stat_lookup(q, v, false);
}

static int q_sysctl(struct qcur *q, struct qval *v)
{
	const char *t = need(q, "tunable");
	long vals[KMEM_SYSCTL_VEC_MAX];
	uint64_t i;

	if (!t)
		return -1;
	if (!strncmp(t, "/proc/sys/vm/", 13))
		t += 13;
	int id = kmem_sysctl_lookup(t);
	if (id < 0)
		return qerr(q, "sysctl: no tunable '%s' in /proc/sys/vm", t);
	int n = kmem_sysctl_get(q->s->m, id, vals);
	if (n == 1) {
		qv_num(v, (uint64_t)vals[0], QF_DEC);
		return 0;
	}
	if (opt_uint(q, &i)) {
		if (i >= (uint64_t)n)
			return qerr(q, "sysctl: %s has %d values", t, n);
		qv_num(v, (uint64_t)vals[i], QF_DEC);
		return 0;
	}
	qv_vec(v, QF_DEC);
	for (int k = 0; k < n; k++)
		qv_vec_push(v, (uint64_t)vals[k]);
	return 0;
}

static int need_cache(struct qcur *q, int *id)
{
	const char *t = need(q, "cache name");

	if (!t)
		return -1;
	*id = kmem_cache_lookup(q->s->m, t);
	if (*id < 0)
		return qerr(q, "%s: no cache '%s'", q->qname, t);
	return 0;
}

static const char *const cache_fields[] = {
	"active_objs", "num_objs", "objsize", "object_size", "objperslab",
	"pagesperslab", "active_slabs", "num_slabs", "slabs_full",
	"slabs_partial", "slabs_free", "limit", "batchcount", "shared",
	"colour", "colour_off", "colour_next", "gfporder", "align",
	"slab_size", "off_slab", "free_objects", "shared_avail", NULL,
};

static int q_cache(struct qcur *q, struct qval *v)
{
	struct kmem_cache_info ci;
	int id, f;

	if (q->s->info.allocator != KMEM_ALLOC_SLAB)
		return qerr(q, "cache: this machine runs SLOB, which keeps no "
			    "per-cache slabs (see the slob query)");
	if (need_cache(q, &id) || (f = need_field(q, cache_fields)) < 0)
		return -1;
	kmem_cache_info(q->s->m, id, &ci);
	uint64_t x[] = {
		ci.active_objs, ci.num_objs, ci.buffer_size, ci.object_size,
		ci.num, 1u << ci.gfporder, ci.active_slabs, ci.num_slabs,
		ci.slabs_full, ci.slabs_partial, ci.slabs_free, ci.limit,
		ci.batchcount, ci.shared, ci.colour, ci.colour_off,
		ci.colour_next, ci.gfporder, ci.align, ci.slab_size,
		ci.off_slab, ci.free_objects, ci.shared_avail,
	};
	qv_num(v, x[f], QF_DEC);
	return 0;
}

static const char *const array_fields[] = {
	"avail", "limit", "batchcount", "touched", NULL,
};

static int q_array(struct qcur *q, struct qval *v)
{
	struct kmem_array_info ai;
	int id, f;
	unsigned cpu;

	if (q->s->info.allocator != KMEM_ALLOC_SLAB)
		return qerr(q, "array: this machine runs SLOB: no array caches");
	if (need_cache(q, &id) || (f = need_field(q, array_fields)) < 0 ||
	    opt_cpu(q, &cpu))
		return -1;
	if (kmem_cache_array(q->s->m, id, (int)cpu, 0, &ai, NULL, 0))
		return qerr(q, "array: no array cache for CPU %u", cpu);
	uint64_t x[] = { ai.avail, ai.limit, ai.batchcount, ai.touched };
	qv_num(v, x[f], QF_DEC);
	return 0;
}

static const char *const slob_fields[] = {
	"arena_pages", "free_blocks", "free_units", "bigblocks", NULL,
};

static int q_slob(struct qcur *q, struct qval *v)
{
	int f;

	if (q->s->info.allocator != KMEM_ALLOC_SLOB)
		return qerr(q, "slob: this machine runs SLAB (boot it with "
			    "--allocator slob)");
	if ((f = need_field(q, slob_fields)) < 0)
		return -1;
	if (f == 0) {
		qv_num(v, kmem_slob_arena_pages(q->s->m), QF_DEC);
		return 0;
	}
	if (f == 3) {
		qv_num(v, (uint64_t)kmem_slob_bigblocks(q->s->m, NULL, 0), QF_DEC);
		return 0;
	}
	long n = kmem_slob_freelist(q->s->m, NULL, 0);
	struct kmem_slob_block *b = cli_realloc(NULL, ((size_t)n + 1) * sizeof *b);
	n = kmem_slob_freelist(q->s->m, b, (size_t)n);
	uint64_t units = 0;
	for (long i = 0; i < n; i++)
		units += (uint64_t)b[i].units;
	free(b);
	qv_num(v, f == 1 ? (uint64_t)n : units, QF_DEC);
	return 0;
}

static const char *const page_states[] = {
	[KMEM_PAGE_HOLE] = "hole", [KMEM_PAGE_RESERVED] = "reserved",
	[KMEM_PAGE_BUDDY] = "buddy", [KMEM_PAGE_BUDDY_TAIL] = "buddy_tail",
	[KMEM_PAGE_PCP] = "pcp", [KMEM_PAGE_ALLOC] = "allocated",
	[KMEM_PAGE_ALLOC_TAIL] = "allocated_tail",
};

static const char *const page_fields[] = {
	"state", "zone", "count", "mapcount", "order", "block", "flags",
	"private", "lru", "referenced", "dirty", NULL,
};

/* Is PG_<name> set in flags?  (The bit numbers are the engine's.) */
static bool page_flag(uint32_t flags, const char *name)
{
	for (unsigned b = 0; b < 32; b++) {
		const char *n = kmem_page_flag_name(b);
		if (n && !strcmp(n, name))
			return (flags >> b) & 1;
	}
	return false;
}

static int q_page(struct qcur *q, struct qval *v)
{
	struct kmem_page_info pi;
	unsigned long pfn;
	int f;

	if (need_pfn(q, &pfn) || (f = need_field(q, page_fields)) < 0)
		return -1;
	if (kmem_page_info(q->s->m, pfn, &pi))
		return qerr(q, "page: no page 0x%lx", pfn);
	switch (f) {
	case 0: qv_str(v, page_states[pi.state]); break;
	case 1: qv_str(v, pi.nid < 0 ? "none" :
		       zone_name(q->s, pi.nid, pi.zone_idx)); break;
	case 2: qv_num(v, (uint64_t)(int64_t)pi.count, QF_DEC); break;
	case 3: qv_num(v, (uint64_t)(int64_t)pi.mapcount, QF_DEC); break;
	case 4:
		if (pi.block_order < 0)
			return qerr(q, "page: 0x%lx is in no block", pfn);
		qv_num(v, (uint64_t)pi.block_order, QF_DEC);
		break;
	case 5: qv_num(v, pi.block_pfn, QF_HEX); break;
	case 6: qv_num(v, pi.flags, QF_HEX); break;
	case 7: qv_num(v, pi.private_, QF_DEC); break;
	case 8:
		qv_str(v, !page_flag(pi.flags, "lru") ? "none" :
		       page_flag(pi.flags, "active") ? "active" : "inactive");
		break;
	case 9: qv_num(v, page_flag(pi.flags, "referenced"), QF_DEC); break;
	case 10: qv_num(v, page_flag(pi.flags, "dirty"), QF_DEC); break;
	}
	return 0;
}

static const char *const pt_fields[] = {
	"present", "phys", "pfn", "levels", "pgd", "pud", "pmd", "pte", NULL,
};

static int q_pagetable(struct qcur *q, struct qval *v)
{
	struct kmem_pt_step steps[5];
	kaddr_t addr;
	uint64_t phys = 0;
	int f;

	if (need_addr(q, &addr) || (f = need_field(q, pt_fields)) < 0)
		return -1;
	memset(steps, 0, sizeof steps);
	int rc = kmem_pagetable_walk(q->s->m, addr, steps, 5, &phys);
	int nsteps = 0;
	while (nsteps < 5 && steps[nsteps].name)
		nsteps++;
	if (f == 0) {
		qv_num(v, rc > 0, QF_DEC);
		return 0;
	}
	if (f <= 2) {
		if (rc <= 0)
			return qerr(q, "pagetable: 0x%llx is not mapped",
				    (unsigned long long)addr);
		qv_num(v, f == 1 ? phys : phys >> KMEM_PAGE_SHIFT, QF_HEX);
		return 0;
	}
	if (f == 3) {
		qv_num(v, (uint64_t)(rc > 0 ? rc : nsteps), QF_DEC);
		return 0;
	}
	for (int i = 0; i < (rc > 0 ? rc : nsteps) && i < 5; i++)
		if (steps[i].name && !strcmp(steps[i].name, pt_fields[f])) {
			qv_num(v, steps[i].index, QF_DEC);
			return 0;
		}
	return qerr(q, "pagetable: the walk of 0x%llx has no %s level",
		    (unsigned long long)addr, pt_fields[f]);
}

static const char *const pkmap_fields[] = { "addr", "count", "slot", NULL };

static int q_pkmap(struct qcur *q, struct qval *v)
{
	unsigned long pfn;
	unsigned rotor;
	int f;

	if (arg_left(q) && !strcmp(peek(q), "used")) {
		q->pos++;
		qv_num(v, kmem_pkmap_slots(q->s->m, NULL, 0, &rotor), QF_DEC);
		return 0;
	}
	if (need_pfn(q, &pfn) || (f = need_field(q, pkmap_fields)) < 0)
		return -1;
	size_t n = kmem_pkmap_slots(q->s->m, NULL, 0, &rotor);
	struct kmem_pkmap_slot *sl = cli_realloc(NULL, (n + 1) * sizeof *sl);
	kmem_pkmap_slots(q->s->m, sl, n, &rotor);
	int rc = 0;
	size_t i;
	for (i = 0; i < n && sl[i].pfn != pfn; i++)
		;
	if (f == 1)
		qv_num(v, i < n ? (uint64_t)sl[i].count : 0, QF_DEC);
	else if (i == n)
		rc = qerr(q, "pkmap: page 0x%lx has no pkmap slot", pfn);
	else
		qv_num(v, f == 0 ? sl[i].addr : sl[i].nr, f == 0 ? QF_HEX : QF_DEC);
	free(sl);
	return rc;
}

static int q_vmlist(struct qcur *q, struct qval *v)
{
	const char *t = need(q, "field");

	if (!t)
		return -1;
	if (strcmp(t, "count") && strcmp(t, "used"))
		return qerr(q, "vmlist: unknown field '%s' (fields: count, used)", t);
	size_t n = kmem_vmlist(q->s->m, NULL, 0);
	if (!strcmp(t, "count")) {
		qv_num(v, n, QF_DEC);
		return 0;
	}
	uint64_t total, used, chunk;
	kmem_vmalloc_info(q->s->m, &total, &used, &chunk);
	qv_num(v, used >> 10, QF_KB);
	return 0;
}

static const char *const whatis_kinds[] = {
	[KMEM_ADDR_NONE] = "none", [KMEM_ADDR_PAGE] = "page",
	[KMEM_ADDR_SLAB_OBJ] = "slab", [KMEM_ADDR_SLAB_MGMT] = "slab_mgmt",
	[KMEM_ADDR_SLOB] = "slob", [KMEM_ADDR_SLOB_BIG] = "slob_big",
	[KMEM_ADDR_VMALLOC] = "vmalloc", [KMEM_ADDR_VMALLOC_GUARD] = "guard",
	[KMEM_ADDR_PKMAP] = "pkmap", [KMEM_ADDR_FIXMAP] = "fixmap",
};

static const char *const whatis_fields[] = {
	"kind", "pfn", "zone", "cache", "index", "offset", "allocated", NULL,
};

static int q_whatis(struct qcur *q, struct qval *v)
{
	struct kmem_whatis w;
	struct kmem_cache_info ci;
	kaddr_t addr;
	int f;

	if (need_addr(q, &addr) || (f = need_field(q, whatis_fields)) < 0)
		return -1;
	if (kmem_whatis(q->s->m, addr, &w))
		memset(&w, 0, sizeof w);
	switch (f) {
	case 0: qv_str(v, whatis_kinds[w.kind]); break;
	case 1: qv_num(v, w.pfn, QF_HEX); break;
	case 2: qv_str(v, w.kind == KMEM_ADDR_NONE || w.nid < 0 ? "none" :
		       zone_name(q->s, w.nid, w.zone_idx)); break;
	case 3:
		qv_str(v, w.cache_id >= 0 &&
		       !kmem_cache_info(q->s->m, w.cache_id, &ci) ? ci.name :
		       "none");
		break;
	case 4: qv_num(v, w.obj_index, QF_DEC); break;
	case 5: qv_num(v, w.offset, QF_DEC); break;
	case 6: qv_num(v, w.allocated, QF_DEC); break;
	}
	return 0;
}

static const char *const value_fields[] = {
	"pfn", "order", "addr", "phys", "freed", "zone", "pages", "size",
	"guard", "cache", "index", NULL,
};

/* The first page behind a vmalloc area, if it is still there. */
static bool found_first_page(struct session *s, kaddr_t addr,
			     unsigned long *pfn)
{
	unsigned long first;

	if (kmem_vm_area_pages(s->m, addr, &first, 1) == 0)
		return false;
	*pfn = first;
	return true;
}

/* $N FIELD, NAME FIELD, last FIELD: what an allocation returned. */
static int q_value(struct qcur *q, size_t idx, struct qval *v)
{
	const struct value *val = &q->s->values[idx];
	struct kmem_page_info pi;
	struct kmem_whatis w;
	int f = need_field(q, value_fields);

	if (f < 0)
		return -1;
	bool area = val->kind == VAL_OBJ && (val->cache == VALUE_VMALLOC ||
					     val->cache == VALUE_MAPPING);
	struct kmem_vm_area a = { 0 };
	if (area) {
		size_t n = kmem_vmlist(q->s->m, NULL, 0);
		struct kmem_vm_area *all = cli_realloc(NULL, (n + 1) * sizeof *all);
		n = kmem_vmlist(q->s->m, all, n);
		bool found = false;
		for (size_t i = 0; i < n; i++)
			if (all[i].addr == val->addr) {
				a = all[i];
				found = true;
			}
		free(all);
		if (!found && f >= 6 && f <= 8)
			return qerr(q, "%s: the area at 0x%llx is gone (vfree'd)",
				    q->qname, (unsigned long long)val->addr);
	}
	unsigned long pfn = val->pfn;
	if (area)
		found_first_page(q->s, val->addr, &pfn);
	switch (f) {
	case 0:
		if (pfn == KMEM_NO_PFN)
			return qerr(q, "%s: no page behind it", q->qname);
		qv_num(v, pfn, QF_HEX);
		break;
	case 1: qv_num(v, val->order, QF_DEC); break;
	case 2: {
		kaddr_t addr = val->addr;
		if (val->kind != VAL_OBJ &&
		    !kmem_page_address(q->s->m, val->pfn, &addr))
			return qerr(q, "%s: a highmem page has no kernel address "
				    "(kmap it)", q->qname);
		qv_num(v, addr, QF_HEX);
		break;
	}
	case 3:
		if (pfn == KMEM_NO_PFN)
			return qerr(q, "%s: no page behind it", q->qname);
		qv_num(v, kmem_pfn_to_phys(pfn), QF_HEX);
		break;
	case 4: qv_num(v, val->freed, QF_DEC); break;
	case 5:
		if (pfn == KMEM_NO_PFN ||
		    kmem_page_info(q->s->m, pfn, &pi) || pi.nid < 0)
			qv_str(v, "none");
		else
			qv_str(v, zone_name(q->s, pi.nid, pi.zone_idx));
		break;
	case 6:
		qv_num(v, area ? a.nr_pages : val->kind == VAL_OBJ ? 0 :
		       1u << val->order, QF_DEC);
		break;
	case 7:
		if (area) {
			qv_num(v, a.size, QF_DEC);
		} else if (val->kind == VAL_OBJ) {
			size_t sz;
			if (val->freed || kmem_ksize(q->s->m, val->addr, &sz))
				return qerr(q, "%s: the object is not live", q->qname);
			qv_num(v, sz, QF_DEC);
		} else {
			qv_num(v, (uint64_t)KMEM_PAGE_SIZE << val->order, QF_DEC);
		}
		break;
	case 8:
		if (!area)
			return qerr(q, "%s: only vmalloc/vmap areas have a guard page",
				    q->qname);
		qv_num(v, a.addr + a.size - KMEM_PAGE_SIZE, QF_HEX);
		break;
	case 9:
	case 10:
		if (val->kind != VAL_OBJ || area ||
		    kmem_whatis(q->s->m, val->addr, &w) ||
		    w.kind != KMEM_ADDR_SLAB_OBJ)
			return qerr(q, "%s: not a slab object", q->qname);
		if (f == 10) {
			qv_num(v, w.obj_index, QF_DEC);
		} else {
			struct kmem_cache_info ci;
			kmem_cache_info(q->s->m, w.cache_id, &ci);
			qv_str(v, ci.name);
		}
		break;
	}
	return 0;
}

static const char *const task_fields[] = {
	"rss", "anon_rss", "file_rss", "min_flt", "maj_flt", "total_vm",
	"hiwater_rss", "nr_ptes", "map_count", "ppid", "uid", "alive",
	"oom_score", "oom_adj", "nice", NULL,
};

static int q_task(struct qcur *q, struct qval *v)
{
	struct kmem_task_info ti;
	struct kmem_oom_candidate c;
	uint64_t pid;
	int f;

	if (need_uint(q, "pid", 1u << 30, &pid) ||
	    (f = need_field(q, task_fields)) < 0)
		return -1;
	if (kmem_task_info(q->s->m, (int)pid, &ti)) {
		if (f == 11) {          /* alive: 0 for a dead task, no error */
			qv_num(v, 0, QF_DEC);
			return 0;
		}
		return qerr(q, "task: no process %llu", (unsigned long long)pid);
	}
	memset(&c, 0, sizeof c);
	if (f >= 12 && kmem_badness(q->s->m, (int)pid, &c))
		return qerr(q, "task: no badness for process %llu",
			    (unsigned long long)pid);
	uint64_t x[] = {
		ti.file_rss + ti.anon_rss, ti.anon_rss, ti.file_rss, ti.min_flt,
		ti.maj_flt, ti.total_vm, ti.hiwater_rss, ti.nr_ptes,
		ti.map_count, (uint64_t)ti.ppid, ti.uid, 1, c.points,
		(uint64_t)(int64_t)c.oom_adj, (uint64_t)(int64_t)c.nice,
	};
	qv_num(v, x[f], QF_DEC);
	return 0;
}

/* A user address of a task: a number, or $N / NAME from mmap, with an
 * optional +OFFSET glued on ("buf+4096"). */
static int need_uaddr(struct qcur *q, uint64_t *out)
{
	const char *t = need(q, "address");
	char buf[128];
	uint64_t off = 0, v;

	if (!t)
		return -1;
	snprintf(buf, sizeof buf, "%s", t);
	char *plus = strchr(buf + 1, '+');
	if (plus) {
		*plus = '\0';
		if (parse_size(plus + 1, &off))
			return qerr(q, "%s: bad offset in '%s'", q->qname, t);
	}
	if (buf[0] == '$' || is_identifier(buf)) {
		long idx;
		if (!strcmp(buf, "$") || !strcmp(buf, "last"))
			idx = (long)q->s->nvalues - 1;
		else if (buf[0] == '$' && buf[1] >= '0' && buf[1] <= '9')
			idx = parse_u64(buf + 1, &v) || !v || v > q->s->nvalues ?
			      -1 : (long)v - 1;
		else
			idx = value_by_name(q->s, buf[0] == '$' ? buf + 1 : buf);
		if (idx < 0)
			return qerr(q, "%s: unknown value '%s'", q->qname, buf);
		if (q->s->values[idx].kind != VAL_USER)
			return qerr(q, "%s: %s is not a user address (from mmap)",
				    q->qname, buf);
		*out = q->s->values[idx].addr + off;
		return 0;
	}
	if (parse_u64(buf, &v))
		return qerr(q, "%s: bad address '%s'", q->qname, t);
	*out = v + off;
	return 0;
}

static const char *const page_kinds[] = {
	[KMEM_PAGE_KIND_OTHER] = "other", [KMEM_PAGE_KIND_ANON] = "anon",
	[KMEM_PAGE_KIND_FILE] = "file", [KMEM_PAGE_KIND_SHMEM] = "shmem",
	[KMEM_PAGE_KIND_ZERO] = "zero",
};

static const char *const rmap_fields[] = {
	"kind", "mapcount", "count", "users", "index", "anon_vma", NULL,
};

/* One rmap field of page pfn (f indexes rmap_fields). */
static int rmap_field(struct qcur *q, unsigned long pfn, int f, struct qval *v)
{
	struct kmem_page_rmap r;

	if (kmem_page_rmap(q->s->m, pfn, &r, NULL, 0))
		return qerr(q, "%s: no page 0x%lx", q->qname, pfn);
	switch (f) {
	case 0: qv_str(v, page_kinds[r.kind]); break;
	case 1: qv_num(v, (uint64_t)(int64_t)r.mapcount, QF_DEC); break;
	case 2: qv_num(v, (uint64_t)(int64_t)r.count, QF_DEC); break;
	case 3: qv_num(v, r.nr_users, QF_DEC); break;
	case 4: qv_num(v, r.index, QF_HEX); break;
	case 5: qv_num(v, r.anon_vma, QF_DEC); break;
	}
	return 0;
}

static int q_rmap(struct qcur *q, struct qval *v)
{
	unsigned long pfn;
	int f;

	if (need_pfn(q, &pfn) || (f = need_field(q, rmap_fields)) < 0)
		return -1;
	return rmap_field(q, pfn, f, v);
}

static const char *const pte_fields[] = {
	"present", "writable", "young", "dirty", "pfn", "entry", "kind",
	"mapcount", "count", NULL,
};

/* The PTE mapping a user address (x86 bits: present 0x1, rw 0x2,
 * accessed 0x20, dirty 0x40), and the page behind it. */
static int q_pte(struct qcur *q, struct qval *v)
{
	struct kmem_pt_step steps[5];
	uint64_t pid, addr = 0, phys = 0;
	int f;

	if (need_uint(q, "pid", 1u << 30, &pid) || need_uaddr(q, &addr) ||
	    (f = need_field(q, pte_fields)) < 0)
		return -1;
	struct kmem_task_info ti;
	if (kmem_task_info(q->s->m, (int)pid, &ti))
		return qerr(q, "pte: no process %llu", (unsigned long long)pid);
	memset(steps, 0, sizeof steps);
	int rc = kmem_task_pagetable_walk(q->s->m, (int)pid, addr, steps, 5,
					  &phys);
	uint64_t entry = 0;
	if (rc > 0)
		entry = steps[rc - 1].entry;
	if (f == 0) {
		qv_num(v, rc > 0, QF_DEC);
		return 0;
	}
	if (f == 5) {
		qv_num(v, entry, QF_HEX);
		return 0;
	}
	if (rc <= 0)
		return qerr(q, "pte: 0x%llx is not mapped in process %llu",
			    (unsigned long long)addr, (unsigned long long)pid);
	switch (f) {
	case 1: qv_num(v, (entry & 0x2) != 0, QF_DEC); return 0;
	case 2: qv_num(v, (entry & 0x20) != 0, QF_DEC); return 0;
	case 3: qv_num(v, (entry & 0x40) != 0, QF_DEC); return 0;
	case 4: qv_num(v, phys >> KMEM_PAGE_SHIFT, QF_HEX); return 0;
	}
	/* kind mapcount count: the page's reverse map */
	return rmap_field(q, (unsigned long)(phys >> KMEM_PAGE_SHIFT), f - 6, v);
}

static const char *const oom_fields[] = {
	"victim", "points", "killed", "candidates", "invocations", "kills",
	NULL,
};

/* What select_bad_process would choose now (nothing is killed), and the
 * OOM killer's counts so far. */
static int q_oom(struct qcur *q, struct qval *v)
{
	struct kmem_oom_choice c;
	unsigned long inv, kills;
	int f;

	if ((f = need_field(q, oom_fields)) < 0)
		return -1;
	kmem_oom_stats(q->s->m, &inv, &kills);
	if (f >= 4) {
		qv_num(v, f == 4 ? inv : kills, QF_DEC);
		return 0;
	}
	memset(&c, 0, sizeof c);
	if (kmem_oom_select(q->s->m, &c, NULL, 0))
		return qerr(q, "oom: %s", kmem_last_error(q->s->m));
	uint64_t x[] = { (uint64_t)c.victim, c.points, (uint64_t)c.killed,
			 c.nr_candidates };
	qv_num(v, x[f], QF_DEC);
	return 0;
}

static const char *const writeback_fields[] = {
	"background_thresh", "dirty_thresh", "nr_dirty", "nr_writeback",
	"ratelimit_pages", "dirty_exceeded", "throttled", NULL,
};

static int q_writeback(struct qcur *q, struct qval *v)
{
	struct kmem_dirty_info d;
	int f;

	if ((f = need_field(q, writeback_fields)) < 0)
		return -1;
	kmem_dirty_limits(q->s->m, &d);
	uint64_t x[] = { d.background_thresh, d.dirty_thresh, d.nr_dirty,
			 d.nr_writeback, d.ratelimit_pages, d.dirty_exceeded,
			 d.throttled };
	qv_num(v, x[f], QF_DEC);
	return 0;
}

static const char *const reclaim_fields[] = {
	"kswapd_runs", "direct_runs", "congestion_waits", NULL,
};

static int q_reclaim(struct qcur *q, struct qval *v)
{
	struct kmem_reclaim_info r;
	int f;

	if ((f = need_field(q, reclaim_fields)) < 0)
		return -1;
	kmem_reclaim_info(q->s->m, &r);
	uint64_t x[] = { r.kswapd_runs, r.direct_runs, r.congestion_waits };
	qv_num(v, x[f], QF_DEC);
	return 0;
}

static const char *const disk_fields[] = {
	"rate", "pages_read", "pages_written", "read_requests", "waits",
	"wait_us", "read_backlog_us", "write_backlog_us", "reads_in_flight",
	NULL,
};

static int q_disk(struct qcur *q, struct qval *v)
{
	struct kmem_disk_info d;
	int f;

	if ((f = need_field(q, disk_fields)) < 0)
		return -1;
	kmem_disk_info(q->s->m, &d);
	uint64_t x[] = { d.rate_mibs, d.pages_read, d.pages_written,
			 d.read_requests, d.waits, d.wait_us,
			 d.read_backlog_us, d.write_backlog_us,
			 d.reads_in_flight };
	qv_num(v, x[f], QF_DEC);
	return 0;
}

static const char *const file_fields[] = {
	"nrpages", "nrdirty", "size", "nr_mmaps", "ino", NULL,
};

static int q_file(struct qcur *q, struct qval *v)
{
	struct kmem_file_info fi;
	const char *name = need(q, "file name");
	int f;

	if (!name || (f = need_field(q, file_fields)) < 0)
		return -1;
	if (kmem_file_info(q->s->m, name, &fi))
		return qerr(q, "file: no file '%s'", name);
	uint64_t x[] = { fi.nrpages, fi.nrdirty, fi.size, fi.nr_mmaps, fi.ino };
	qv_num(v, x[f], QF_DEC);
	return 0;
}

const struct query_def query_table[] = {
	{ "buddyinfo", "buddyinfo ZONE [ORDER]",
	  "free blocks per order (the /proc/buddyinfo line), or of one order",
	  q_buddyinfo },
	{ "free_pages", "free_pages ZONE", "the zone's free_pages", q_free_pages },
	{ "free_list", "free_list ZONE ORDER [N]",
	  "PFNs on free_area[ORDER], head first, or the Nth (0 = head)",
	  q_free_list },
	{ "zoneinfo", "zoneinfo ZONE FIELD",
	  "free min low high spanned present start_pfn active inactive "
	  "scanned protection [I] memmap pcp", q_zoneinfo },
	{ "pcp", "pcp ZONE hot|cold FIELD [CPU]",
	  "a per-CPU list: count high batch head list", q_pcp },
	{ "zonelist", "zonelist GFP [N]",
	  "the zones GFP tries, in order (words), or the Nth", q_zonelist },
	{ "meminfo", "meminfo KEY", "a /proc/meminfo line, in kB", q_meminfo },
	{ "vmstat", "vmstat KEY", "a /proc/vmstat counter", q_vmstat },
	{ "sysctl", "sysctl NAME [I]", "a /proc/sys/vm tunable", q_sysctl },
	{ "cache", "cache NAME FIELD",
	  "a SLAB cache: active_objs num_objs objsize object_size objperslab "
	  "pagesperslab active_slabs num_slabs slabs_full slabs_partial "
	  "slabs_free limit batchcount shared colour colour_off colour_next "
	  "gfporder align slab_size off_slab free_objects shared_avail",
	  q_cache },
	{ "array", "array CACHE FIELD [CPU]",
	  "a CPU's array_cache: avail limit batchcount touched", q_array },
	{ "slob", "slob FIELD",
	  "SLOB: arena_pages free_blocks free_units bigblocks", q_slob },
	{ "page", "page PFN|$N FIELD",
	  "a struct page: state zone count mapcount order block flags private "
	  "lru (active, inactive or none) referenced dirty", q_page },
	{ "pagetable", "pagetable ADDR FIELD",
	  "a kernel page-table walk: present phys pfn levels pgd pud pmd pte "
	  "(entry indexes)", q_pagetable },
	{ "pkmap", "pkmap PFN|$N FIELD | pkmap used",
	  "a page's persistent kmap: addr count slot; slots in use", q_pkmap },
	{ "vmlist", "vmlist count|used", "vmalloc areas; VmallocUsed in kB",
	  q_vmlist },
	{ "task", "task PID FIELD",
	  "a process: rss anon_rss file_rss min_flt maj_flt total_vm "
	  "hiwater_rss nr_ptes map_count (pages) ppid uid alive (0 once it "
	  "is gone) oom_score oom_adj nice", q_task },
	{ "pte", "pte PID ADDR FIELD",
	  "the PTE of a user address: present writable young dirty pfn entry; "
	  "the page it maps: kind (zero anon file shmem other) mapcount count",
	  q_pte },
	{ "rmap", "rmap PFN|$N FIELD",
	  "a page's reverse map: kind mapcount count users index anon_vma",
	  q_rmap },
	{ "oom", "oom FIELD",
	  "the OOM killer: victim points killed candidates (what it would "
	  "choose now), invocations kills (so far)", q_oom },
	{ "writeback", "writeback FIELD",
	  "dirty limits: background_thresh dirty_thresh nr_dirty nr_writeback "
	  "ratelimit_pages dirty_exceeded throttled", q_writeback },
	{ "reclaim", "reclaim FIELD",
	  "reclaim runs: kswapd_runs direct_runs congestion_waits", q_reclaim },
	{ "disk", "disk FIELD",
	  "the simulated disk: rate (MiB/s) pages_read pages_written "
	  "read_requests waits wait_us read_backlog_us write_backlog_us "
	  "(microseconds) reads_in_flight (pages)", q_disk },
	{ "file", "file NAME FIELD",
	  "a simulated file: nrpages nrdirty size nr_mmaps ino", q_file },
	{ "whatis", "whatis ADDR FIELD",
	  "what an address is: kind pfn zone cache index offset allocated",
	  q_whatis },
};
const size_t query_count = sizeof query_table / sizeof query_table[0];

/* ------------------------------------------------------------------ */
/* Operands                                                            */
/* ------------------------------------------------------------------ */

static const struct query_def *find_query(const char *name)
{
	for (size_t i = 0; i < query_count; i++)
		if (!strcmp(query_table[i].name, name))
			return &query_table[i];
	return NULL;
}

/* A value reference at the cursor: $N, $, $name, last, or a bound name. */
static bool value_word(const struct session *s, const char *t)
{
	return t[0] == '$' || !strcmp(t, "last") ||
	       (is_identifier(t) && value_by_name(s, t) >= 0);
}

static int eval_query(struct qcur *q, struct qval *v)
{
	const char *t = next_tok(q);

	/* a query name wins over a value of the same name: $name reaches it */
	if (value_word(q->s, t) && (t[0] == '$' || !find_query(t))) {
		uint64_t n;
		long idx;
		q->qname = t;
		q->usage = "$N FIELD";
		if (!q->s->nvalues)
			return qerr(q, "%s: the value history is empty", t);
		if (!strcmp(t, "$") || !strcmp(t, "last"))
			idx = (long)q->s->nvalues - 1;
		else if (t[0] == '$' && t[1] >= '0' && t[1] <= '9') {
			if (parse_u64(t + 1, &n) || !n || n > q->s->nvalues)
				return qerr(q, "no value %s: the history holds "
					    "$1..$%zu", t, q->s->nvalues);
			idx = (long)n - 1;
		} else {
			idx = value_by_name(q->s, t[0] == '$' ? t + 1 : t);
			if (idx < 0)
				return qerr(q, "unknown name '%s'", t + (t[0] == '$'));
		}
		return q_value(q, (size_t)idx, v);
	}
	const struct query_def *d = find_query(t);
	if (!d) {
		const char *best = NULL;
		unsigned bd = 3;
		for (size_t i = 0; i < query_count; i++) {
			unsigned dd = edit_distance(t, query_table[i].name);
			if (dd < bd) {
				bd = dd;
				best = query_table[i].name;
			}
		}
		if (best)
			return qerr(q, "unknown query '%s' (did you mean '%s'? "
				    "'help expect' lists them)", t, best);
		return qerr(q, "unknown query '%s' ('help expect' lists them)", t);
	}
	q->qname = d->name;
	q->usage = d->usage;
	return d->eval(q, v);
}

/* Apply "+ N", "- N", "^ N" after a numeric operand. */
static int adjust(struct qcur *q, struct qval *v)
{
	while (is_adjust(peek(q))) {
		const char *op = next_tok(q);
		const char *t = next_tok(q);
		uint64_t n;
		if (!t || parse_u64(t, &n))
			return qerr(q, "'%s' needs a number after it", op);
		if (v->kind != QV_NUM)
			return qerr(q, "'%s' works on numbers, not lists or words",
				    op);
		if (*op == '+')
			v->num += n;
		else if (*op == '-')
			v->num -= n;
		else
			v->num ^= n;
	}
	return 0;
}

int query_operand(struct qcur *q, struct qval *v, const struct qval *other)
{
	const char *t = peek(q);

	memset(v, 0, sizeof *v);
	if (!t || query_is_op(t))
		return qerr(q, "missing operand");
	if (is_number(t)) {
		uint64_t n;
		parse_u64(next_tok(q), &n);
		if (!is_number(peek(q))) {
			qv_num(v, n, strncmp(t, "0x", 2) ? QF_DEC : QF_HEX);
		} else {
			qv_vec(v, strncmp(t, "0x", 2) ? QF_DEC : QF_HEX);
			qv_vec_push(v, n);
			while (is_number(peek(q))) {
				parse_u64(next_tok(q), &n);
				qv_vec_push(v, n);
			}
		}
		if (peek(q) && (!strcmp(peek(q), "kB") || !strcmp(peek(q), "KB"))) {
			q->pos++;
			v->fmt = QF_KB;
		}
		return adjust(q, v);
	}
	if (other && other->kind == QV_STR) {
		qv_str(v, next_tok(q));
		return 0;
	}
	if (eval_query(q, v))
		return -1;
	return adjust(q, v);
}

/* ------------------------------------------------------------------ */
/* Formatting and comparing                                            */
/* ------------------------------------------------------------------ */

static void fmt_num(uint64_t n, enum qv_fmt fmt, char *buf, size_t len)
{
	if (fmt == QF_HEX)
		snprintf(buf, len, "0x%llx", (unsigned long long)n);
	else if (fmt == QF_KB)
		snprintf(buf, len, "%llu kB", (unsigned long long)n);
	else
		snprintf(buf, len, "%llu", (unsigned long long)n);
}

void qval_format(const struct qval *v, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	if (v->kind == QV_STR) {
		snprintf(buf, len, "%s", v->str);
		return;
	}
	if (v->kind == QV_NUM) {
		fmt_num(v->num, v->fmt, buf, len);
		return;
	}
	for (size_t i = 0; i < v->n && off + 1 < len; i++) {
		char one[32];
		fmt_num(v->vec[i], v->fmt == QF_KB ? QF_DEC : v->fmt, one,
			sizeof one);
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? " " : "",
					one);
	}
	if (!v->n)
		snprintf(buf, len, "-");
	else if (off + 1 >= len && len > 4)
		memcpy(buf + len - 4, "...", 4);
}

int qval_compare(const struct qval *a, const char *op, const struct qval *b,
		 bool *ok, char *err, size_t errlen)
{
	bool eq = !strcmp(op, "=="), ne = !strcmp(op, "!=");

	if (a->kind == QV_STR || b->kind == QV_STR) {
		if (a->kind != b->kind) {
			snprintf(err, errlen, "cannot compare a word with a number");
			return -1;
		}
		if (!eq && !ne) {
			snprintf(err, errlen, "'%s' compares numbers; words take == "
				 "or !=", op);
			return -1;
		}
		*ok = !strcasecmp(a->str, b->str) == eq;
		return 0;
	}
	if (a->kind == QV_VEC || b->kind == QV_VEC) {
		if (a->kind != b->kind) {
			snprintf(err, errlen, "cannot compare a list with a single "
				 "number");
			return -1;
		}
		if (!eq && !ne) {
			snprintf(err, errlen, "'%s' compares numbers; lists take == "
				 "or !=", op);
			return -1;
		}
		bool same = a->n == b->n &&
			    (!a->n || !memcmp(a->vec, b->vec, a->n * sizeof *a->vec));
		*ok = same == eq;
		return 0;
	}
	uint64_t x = a->num, y = b->num;
	if (eq) *ok = x == y;
	else if (ne) *ok = x != y;
	else if (!strcmp(op, "<")) *ok = x < y;
	else if (!strcmp(op, "<=")) *ok = x <= y;
	else if (!strcmp(op, ">")) *ok = x > y;
	else *ok = x >= y;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Tokens                                                              */
/* ------------------------------------------------------------------ */

int query_tokenize(char *text, char **tok, int max, char *err, size_t errlen)
{
	int n = 0;
	char *p = text;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			break;
		if (n == max) {
			snprintf(err, errlen, "too many words (at most %d)", max);
			return -1;
		}
		if (*p == '\'' || *p == '"') {
			char quote = *p++;
			tok[n++] = p;
			while (*p && *p != quote)
				p++;
			if (!*p) {
				snprintf(err, errlen, "unterminated %c quote", quote);
				return -1;
			}
			*p++ = '\0';
			continue;
		}
		tok[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

int query_eval_text(struct session *s, const char *text, struct qval *v,
		    char *err, size_t errlen)
{
	char buf[512];
	char *tok[QUERY_MAX_TOKENS];
	struct qcur q = { .s = s };

	snprintf(buf, sizeof buf, "%s", text);
	int n = query_tokenize(buf, tok, QUERY_MAX_TOKENS, err, errlen);
	if (n < 0)
		return -1;
	q.tok = tok;
	q.n = n;
	if (query_operand(&q, v, NULL) == 0 && q.pos < q.n)
		qerr(&q, "unexpected '%s' after the query", q.tok[q.pos]);
	if (q.err[0]) {
		qval_free(v);
		snprintf(err, errlen, "%s", q.err);
		return -1;
	}
	return 0;
}

int qval_parse_answer(const struct qval *like, const char *text,
		      struct qval *out)
{
	char buf[512];
	char *tok[QUERY_MAX_TOKENS];
	char err[80];
	int n;

	memset(out, 0, sizeof *out);
	snprintf(buf, sizeof buf, "%s", text);
	for (char *c = buf; *c; c++)
		if (*c == ',')
			*c = ' ';
	n = query_tokenize(buf, tok, QUERY_MAX_TOKENS, err, sizeof err);
	if (n <= 0)
		return -1;
	if (n > 1 && (!strcmp(tok[n - 1], "kB") || !strcmp(tok[n - 1], "KB")))
		n--;
	if (like->kind == QV_STR) {
		char joined[sizeof out->str] = "";
		size_t off = 0;
		for (int i = 0; i < n && off < sizeof joined; i++)
			off += (size_t)snprintf(joined + off, sizeof joined - off,
						"%s%s", i ? " " : "", tok[i]);
		qv_str(out, joined);
		return 0;
	}
	uint64_t x;
	if (like->kind == QV_NUM) {
		if (n != 1 || parse_u64(tok[0], &x))
			return -1;
		qv_num(out, x, like->fmt);
		return 0;
	}
	qv_vec(out, like->fmt);
	if (n == 1 && !strcmp(tok[0], "-"))
		return 0;       /* "-": the empty list */
	for (int i = 0; i < n; i++) {
		if (parse_u64(tok[i], &x)) {
			qval_free(out);
			return -1;
		}
		qv_vec_push(out, x);
	}
	return 0;
}
