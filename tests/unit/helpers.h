/*
 * helpers.h - shared helpers for the kmemlab cmocka unit tests.
 *
 * Everything here is static inline and uses only the public engine API
 * (kmem.h, kmem_config.h).  Besides booting machines and checking them, it
 * holds small *reference models* written from the facts reference
 * (../shared/reference/linux-2.6.20-mm.md), not from src/core:
 *
 *   struct bmodel   one zone's free_area[0..10] lists, with __rmqueue +
 *                   expand (§3.5) and __free_one_page (§3.3);
 *   struct pmodel   one per-CPU list with buffered_rmqueue's refill,
 *                   free_hot_cold_page's overflow and __drain_pages (§3.6);
 *   wmark_ok()      zone_watermark_ok (§2.4);
 *   predict_zone()  the zone __alloc_pages would serve from: the WMARK_LOW
 *                   pass, then the WMARK_MIN pass with HARDER/HIGH (§3.8).
 *
 * A test loads a model from the engine's snapshot queries, applies the same
 * operations to both, and compares list by list, PFN by PFN.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#ifndef KMEMLAB_TEST_HELPERS_H
#define KMEMLAB_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmem.h"
#include "kmem_config.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Kernel zone indices per arch (§1.1). */
enum { I386_DMA = 0, I386_NORMAL = 1, I386_HIGHMEM = 2 };
enum { X86_64_DMA = 0, X86_64_DMA32 = 1, X86_64_NORMAL = 2 };

/* page-flags.h bits (§14.2) */
#define PG_reserved 10
#define PG_compound 14
#define PG_buddy    19

/* ALLOC_* flags of page_alloc.c (§2.4) */
#define ALLOC_NO_WATERMARKS 0x01u
#define ALLOC_WMARK_MIN     0x02u
#define ALLOC_WMARK_LOW     0x04u
#define ALLOC_WMARK_HIGH    0x08u
#define ALLOC_HARDER        0x10u
#define ALLOC_HIGH          0x20u
#define ALLOC_CPUSET        0x40u

/* ------------------------------------------------------------------ */
/* Booting and checking                                                */
/* ------------------------------------------------------------------ */

static inline struct machine *boot_config(const struct kmem_config *c)
{
	struct machine *m = NULL;
	char err[256] = "";
	int rc = kmem_machine_create(c, &m, err, sizeof err);

	if (rc != 0 || m == NULL)
		fail_msg("kmem_machine_create failed: rc %d: %s", rc, err);
	return m;
}

static inline struct machine *boot_preset(const char *name)
{
	struct kmem_config c;

	memset(&c, 0, sizeof c);
	if (kmem_config_preset(name, &c) != 0)
		fail_msg("unknown preset %s", name);
	return boot_config(&c);
}

/* A machine from the defaults (i386, 1 CPU, 1 GiB) with arch, cpus and
 * memory replaced. */
static inline struct machine *boot_simple(enum kmem_arch arch, unsigned cpus,
					  uint64_t memory)
{
	struct kmem_config c;

	kmem_config_defaults(&c);
	c.arch = arch;
	c.cpus = cpus;
	c.memory = memory;
	return boot_config(&c);
}

/* kmem_check must hold; report the broken rule and where we were. */
#define CHECK(m) check_machine((m), __FILE__, __LINE__)
static inline void check_machine(const struct machine *m, const char *file,
				 int line)
{
	char rep[512] = "";

	if (!kmem_check(m, rep, sizeof rep))
		fail_msg("%s:%d: kmem_check failed: %s", file, line, rep);
}

static inline struct kmem_zone_info zinfo(const struct machine *m, int nid,
					  int idx)
{
	struct kmem_zone_info z;

	memset(&z, 0, sizeof z);
	if (kmem_zone_info(m, nid, idx, &z) != 0)
		fail_msg("kmem_zone_info(%d, %d) failed", nid, idx);
	return z;
}

static inline struct kmem_pcp_info pcpinfo(const struct machine *m, int nid,
					   int idx, unsigned cpu, int cold)
{
	struct kmem_pcp_info p;

	memset(&p, 0, sizeof p);
	if (kmem_pcp_info(m, nid, idx, cpu, cold, &p) != 0)
		fail_msg("kmem_pcp_info(%d, %d, cpu %u, cold %d) failed",
			 nid, idx, cpu, cold);
	return p;
}

static inline struct kmem_page_info pinfo(const struct machine *m,
					  unsigned long pfn)
{
	struct kmem_page_info p;

	memset(&p, 0, sizeof p);
	if (kmem_page_info(m, pfn, &p) != 0)
		fail_msg("kmem_page_info(%#lx) failed", pfn);
	return p;
}

static inline struct kmem_machine_info minfo(const struct machine *m)
{
	struct kmem_machine_info i;

	memset(&i, 0, sizeof i);
	kmem_machine_info(m, &i);
	return i;
}

/* Allocate and insist on success; returns the PFN. */
#define ALLOC(m, nid, gfp, order) alloc_ok((m), (nid), (gfp), (order), __FILE__, __LINE__)
static inline unsigned long alloc_ok(struct machine *m, int nid, gfp_t gfp,
				     unsigned order, const char *file, int line)
{
	unsigned long pfn = KMEM_NO_PFN;
	int rc = kmem_alloc_pages(m, nid, gfp, order, &pfn);

	if (rc != 0)
		fail_msg("%s:%d: alloc gfp %#x order %u failed: %d (%s)", file,
			 line, gfp, order, rc, kmem_last_error(m));
	return pfn;
}

#define FREE(m, pfn, order) free_ok((m), (pfn), (order), __FILE__, __LINE__)
static inline void free_ok(struct machine *m, unsigned long pfn,
			   unsigned order, const char *file, int line)
{
	int rc = kmem_free_pages(m, pfn, order);

	if (rc != 0)
		fail_msg("%s:%d: free pfn %#lx order %u failed: %d (%s)", file,
			 line, pfn, order, rc, kmem_last_error(m));
}

/* Which (nid, idx) a PFN belongs to, through kmem_page_info. */
static inline int zone_of(const struct machine *m, unsigned long pfn)
{
	return pinfo(m, pfn).zone_idx;
}

/* Length of free_area[order] of a zone (nothing is written with max 0). */
static inline size_t free_area_len(const struct machine *m, int nid, int idx,
				   unsigned order)
{
	unsigned long dummy = 0;

	return kmem_free_area_list(m, nid, idx, order, &dummy, 0);
}

/* The head of free_area[order], or KMEM_NO_PFN when the list is empty. */
static inline unsigned long free_area_head(const struct machine *m, int nid,
					   int idx, unsigned order)
{
	unsigned long head = KMEM_NO_PFN;

	if (kmem_free_area_list(m, nid, idx, order, &head, 1) == 0)
		return KMEM_NO_PFN;
	return head;
}

/* ------------------------------------------------------------------ */
/* Text helpers                                                        */
/* ------------------------------------------------------------------ */

/* The text of a /proc file, malloc'd (caller frees). */
static inline char *proc_text(struct machine *m, const char *path)
{
	struct kbuf b;
	char *s;

	kbuf_init(&b);
	if (kmem_proc_read(m, path, &b) != 0)
		fail_msg("kmem_proc_read(%s) failed", path);
	s = strdup(b.data ? b.data : "");
	kbuf_free(&b);
	return s;
}

static inline size_t count_substr(const char *hay, const char *needle)
{
	size_t n = 0;
	const char *p = hay;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/* Compare two texts; on a difference, name the first differing line. */
#define ASSERT_SAME_TEXT(a, b, what) same_text((a), (b), (what), __FILE__, __LINE__)
static inline void same_text(const char *a, const char *b, const char *what,
			     const char *file, int line)
{
	size_t i = 0, ls = 0, lineno = 1;

	if (strcmp(a, b) == 0)
		return;
	while (a[i] && a[i] == b[i]) {
		if (a[i] == '\n') {
			ls = i + 1;
			lineno++;
		}
		i++;
	}
	fail_msg("%s:%d: %s differs at line %zu:\n  expected: %.120s\n  got:      %.120s",
		 file, line, what, lineno, a + ls, b + ls);
}

/* Value of "name value" in /proc/vmstat text; fails if absent. */
static inline unsigned long vmstat_value(struct machine *m, const char *name)
{
	char *t = proc_text(m, "vmstat");
	char *p = t;
	size_t n = strlen(name);
	unsigned long v = 0;
	bool found = false;

	while (p && *p) {
		if (strncmp(p, name, n) == 0 && p[n] == ' ') {
			v = strtoul(p + n + 1, NULL, 10);
			found = true;
			break;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	free(t);
	if (!found)
		fail_msg("vmstat has no %s", name);
	return v;
}

/*
 * A snapshot of what a refused operation must leave alone: every zone's
 * free lists and every CPU's pcp lists, /proc/buddyinfo, and with full also
 * /proc/zoneinfo, vmstat and meminfo.  (dmesg and kmem_last_error may
 * change: they carry the report.)  Caller frees.
 */
/*
 * A failed allocation runs direct reclaim first, which (as in the kernel)
 * moves reclaim's own bookkeeping even when it frees nothing: allocstall,
 * scan counters, prev_priority, all_unreclaimable.  Snapshots compare
 * memory, so those lines are dropped.
 */
static inline void snapshot_drop_reclaim_lines(struct kbuf *b)
{
	static const char *const keys[] = {
		"allocstall ", "pageoutrun ", "pgscan_", "pgrefill_",
		"pgsteal_", "slabs_scanned ", "kswapd_", "prev_priority",
		"all_unreclaimable", "scanned ",
	};
	char *out = b->data, *line = b->data;

	if (!b->data)
		return;
	while (*line) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
		const char *t = line;
		while (*t == ' ')
			t++;
		bool drop = false;
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			if (!strncmp(t, keys[k], strlen(keys[k])))
				drop = true;
		if (!drop) {
			memmove(out, line, len);
			out += len;
		}
		line += len;
	}
	*out = '\0';
	b->len = (size_t)(out - b->data);
}

static inline char *machine_snapshot(struct machine *m, bool full)
{
	struct kmem_machine_info mi = minfo(m);
	static const char *const files[] = { "buddyinfo", "zoneinfo",
					     "vmstat", "meminfo" };
	struct kbuf b;
	char *s;

	kbuf_init(&b);
	for (size_t i = 0; i < (full ? ARRAY_LEN(files) : 1); i++) {
		kbuf_printf(&b, "== %s\n", files[i]);
		if (kmem_proc_read(m, files[i], &b) != 0)
			fail_msg("kmem_proc_read(%s) failed", files[i]);
		snapshot_drop_reclaim_lines(&b);
	}
	kbuf_printf(&b, "nr_free_pages %lu\n", mi.nr_free_pages);
	for (unsigned nid = 0; nid < mi.nr_nodes; nid++) {
		for (int idx = 0; idx < KMEM_MAX_NR_ZONES; idx++) {
			struct kmem_zone_info z = zinfo(m, (int)nid, idx);

			kbuf_printf(&b, "zone %u/%d free %lu pcp %lu\n", nid,
				    idx, z.free_pages, z.pcp_pages);
			for (unsigned o = 0; o < KMEM_MAX_ORDER; o++) {
				size_t n = free_area_len(m, (int)nid, idx, o);
				unsigned long *v = calloc(n + 1, sizeof *v);

				kmem_free_area_list(m, (int)nid, idx, o, v, n);
				kbuf_printf(&b, " o%u:", o);
				for (size_t k = 0; k < n; k++)
					kbuf_printf(&b, " %lx", v[k]);
				kbuf_printf(&b, "\n");
				free(v);
			}
			for (unsigned cpu = 0; cpu < mi.cpus; cpu++) {
				for (int cold = 0; cold < 2; cold++) {
					unsigned long v[1024];
					size_t n = kmem_pcp_list(m, (int)nid, idx,
								 cpu, cold, v,
								 ARRAY_LEN(v));

					kbuf_printf(&b, " cpu%u/%d n%zu:", cpu,
						    cold, n);
					for (size_t k = 0; k < n && k < ARRAY_LEN(v); k++)
						kbuf_printf(&b, " %lx", v[k]);
					kbuf_printf(&b, "\n");
				}
			}
		}
	}
	s = strdup(b.data);
	kbuf_free(&b);
	return s;
}

/* ------------------------------------------------------------------ */
/* Buddy model: one zone's free_area[] (§3.2, 3.3, 3.5)                */
/* ------------------------------------------------------------------ */

struct bmodel {
	int nid, idx;                   /* the zone modelled */
	unsigned long *l[KMEM_MAX_ORDER]; /* free_list[o], head first */
	size_t n[KMEM_MAX_ORDER];       /* entries used (= nr_free) */
	size_t cap[KMEM_MAX_ORDER];     /* entries allocated */
	unsigned long free_pages;       /* zone->free_pages */
};

static inline void bm_reserve(struct bmodel *b, unsigned o, size_t want)
{
	if (want <= b->cap[o])
		return;
	b->cap[o] = want * 2 + 16;
	b->l[o] = realloc(b->l[o], b->cap[o] * sizeof *b->l[o]);
	assert_non_null(b->l[o]);
}

static inline void bm_push_head(struct bmodel *b, unsigned o, unsigned long pfn)
{
	bm_reserve(b, o, b->n[o] + 1);
	memmove(b->l[o] + 1, b->l[o], b->n[o] * sizeof *b->l[o]);
	b->l[o][0] = pfn;
	b->n[o]++;
}

static inline void bm_remove_at(struct bmodel *b, unsigned o, size_t i)
{
	memmove(b->l[o] + i, b->l[o] + i + 1,
		(b->n[o] - i - 1) * sizeof *b->l[o]);
	b->n[o]--;
}

static inline long bm_find(const struct bmodel *b, unsigned o,
			   unsigned long pfn)
{
	for (size_t i = 0; i < b->n[o]; i++)
		if (b->l[o][i] == pfn)
			return (long)i;
	return -1;
}

/* Load the engine's current lists for (nid, idx). */
static inline void bm_load(struct bmodel *b, const struct machine *m, int nid,
			   int idx)
{
	memset(b, 0, sizeof *b);
	b->nid = nid;
	b->idx = idx;
	for (unsigned o = 0; o < KMEM_MAX_ORDER; o++) {
		size_t n = free_area_len(m, nid, idx, o);

		bm_reserve(b, o, n + 1);
		b->n[o] = kmem_free_area_list(m, nid, idx, o, b->l[o], n);
		assert_int_equal(b->n[o], n);
	}
	b->free_pages = zinfo(m, nid, idx).free_pages;
}

static inline void bm_free_model(struct bmodel *b)
{
	for (unsigned o = 0; o < KMEM_MAX_ORDER; o++)
		free(b->l[o]);
	memset(b, 0, sizeof *b);
}

/* __rmqueue(zone, order) followed by expand(): returns the PFN the caller
 * gets, or KMEM_NO_PFN. */
static inline unsigned long bm_rmqueue(struct bmodel *b, unsigned order)
{
	for (unsigned cur = order; cur < KMEM_MAX_ORDER; cur++) {
		unsigned long page;

		if (b->n[cur] == 0)
			continue;
		page = b->l[cur][0];            /* free_list.next: the head */
		bm_remove_at(b, cur, 0);
		b->free_pages -= 1UL << order;
		/* expand: the upper half of each split goes to the head of
		 * the list one order down; the caller keeps the lowest piece */
		for (unsigned high = cur; high > order; ) {
			high--;
			bm_push_head(b, high, page + (1UL << high));
		}
		return page;
	}
	return KMEM_NO_PFN;
}

/* __free_one_page(page, zone, order): merge with the XOR buddy while it is
 * a free block of the same order in this zone, put the result at the head. */
static inline void bm_free(struct bmodel *b, unsigned long pfn, unsigned order)
{
	b->free_pages += 1UL << order;
	while (order < KMEM_MAX_ORDER - 1) {
		unsigned long buddy = pfn ^ (1UL << order);
		long at = bm_find(b, order, buddy);

		if (at < 0)
			break;
		bm_remove_at(b, order, (size_t)at);
		pfn &= ~(1UL << order);
		order++;
	}
	bm_push_head(b, order, pfn);
}

/* The engine's lists must equal the model's, entry for entry. */
#define BM_EXPECT(m, b) bm_expect((m), (b), __FILE__, __LINE__)
static inline void bm_expect(const struct machine *m, const struct bmodel *b,
			     const char *file, int line)
{
	struct kmem_zone_info z = zinfo(m, b->nid, b->idx);

	for (unsigned o = 0; o < KMEM_MAX_ORDER; o++) {
		size_t n = free_area_len(m, b->nid, b->idx, o);
		unsigned long *v = calloc(n + 1, sizeof *v);

		kmem_free_area_list(m, b->nid, b->idx, o, v, n);
		if (n != b->n[o])
			fail_msg("%s:%d: zone %d/%d order %u: list length %zu, expected %zu (head %#lx, expected head %#lx)",
				 file, line, b->nid, b->idx, o, n, b->n[o],
				 n ? v[0] : 0UL, b->n[o] ? b->l[o][0] : 0UL);
		for (size_t i = 0; i < n; i++)
			if (v[i] != b->l[o][i])
				fail_msg("%s:%d: zone %d/%d order %u entry %zu: pfn %#lx, expected %#lx",
					 file, line, b->nid, b->idx, o, i, v[i],
					 b->l[o][i]);
		if (z.nr_free[o] != b->n[o])
			fail_msg("%s:%d: zone %d/%d nr_free[%u] = %lu, expected %zu",
				 file, line, b->nid, b->idx, o, z.nr_free[o],
				 b->n[o]);
		free(v);
	}
	if (z.free_pages != b->free_pages)
		fail_msg("%s:%d: zone %d/%d free_pages %lu, expected %lu", file,
			 line, b->nid, b->idx, z.free_pages, b->free_pages);
}

/* ------------------------------------------------------------------ */
/* Per-CPU list model (§3.6)                                           */
/* ------------------------------------------------------------------ */

struct pmodel {
	unsigned long *l;               /* pcp->list, head first */
	size_t n, cap;                  /* count, allocated */
	int high, batch;                /* pcp->high, pcp->batch */
};

static inline void pm_load(struct pmodel *p, const struct machine *m, int nid,
			   int idx, unsigned cpu, int cold)
{
	struct kmem_pcp_info pi = pcpinfo(m, nid, idx, cpu, cold);

	memset(p, 0, sizeof *p);
	p->cap = (size_t)pi.count + (size_t)pi.high + 64;
	p->l = calloc(p->cap, sizeof *p->l);
	p->n = kmem_pcp_list(m, nid, idx, cpu, cold, p->l, p->cap);
	assert_int_equal(p->n, pi.count);
	p->high = pi.high;
	p->batch = pi.batch;
}

static inline void pm_free_model(struct pmodel *p)
{
	free(p->l);
	memset(p, 0, sizeof *p);
}

static inline void pm_reserve(struct pmodel *p, size_t want)
{
	if (want <= p->cap)
		return;
	p->cap = want * 2;
	p->l = realloc(p->l, p->cap * sizeof *p->l);
	assert_non_null(p->l);
}

/* buffered_rmqueue, order 0: refill with rmqueue_bulk (tail, in __rmqueue
 * order) when empty, then take the head. */
static inline unsigned long pm_alloc(struct pmodel *p, struct bmodel *b)
{
	unsigned long pfn;

	if (p->n == 0) {
		for (int i = 0; i < p->batch; i++) {
			pfn = bm_rmqueue(b, 0);
			if (pfn == KMEM_NO_PFN)
				break;
			pm_reserve(p, p->n + 1);
			p->l[p->n++] = pfn;
		}
		if (p->n == 0)
			return KMEM_NO_PFN;
	}
	pfn = p->l[0];
	memmove(p->l, p->l + 1, (p->n - 1) * sizeof *p->l);
	p->n--;
	return pfn;
}

/* free_pages_bulk: count pages from the tail, one by one. */
static inline void pm_bulk(struct pmodel *p, struct bmodel *b, size_t count)
{
	while (count-- && p->n)
		bm_free(b, p->l[--p->n], 0);
}

/* free_hot_cold_page: add at the head; at high give batch back. */
static inline void pm_free(struct pmodel *p, struct bmodel *b,
			   unsigned long pfn)
{
	pm_reserve(p, p->n + 1);
	memmove(p->l + 1, p->l, p->n * sizeof *p->l);
	p->l[0] = pfn;
	p->n++;
	if ((int)p->n >= p->high)
		pm_bulk(p, b, (size_t)p->batch);
}

#define PM_EXPECT(m, p, nid, idx, cpu, cold) \
	pm_expect((m), (p), (nid), (idx), (cpu), (cold), __FILE__, __LINE__)
static inline void pm_expect(const struct machine *m, const struct pmodel *p,
			     int nid, int idx, unsigned cpu, int cold,
			     const char *file, int line)
{
	struct kmem_pcp_info pi = pcpinfo(m, nid, idx, cpu, cold);
	size_t cap = p->n + (size_t)pi.count + 8;
	unsigned long *v = calloc(cap, sizeof *v);
	size_t n = kmem_pcp_list(m, nid, idx, cpu, cold, v, cap);

	if ((size_t)pi.count != p->n || n != p->n)
		fail_msg("%s:%d: pcp %d/%d cpu %u %s: count %d (list %zu), expected %zu",
			 file, line, nid, idx, cpu, cold ? "cold" : "hot",
			 pi.count, n, p->n);
	for (size_t i = 0; i < n; i++)
		if (v[i] != p->l[i])
			fail_msg("%s:%d: pcp %d/%d cpu %u %s entry %zu: pfn %#lx, expected %#lx",
				 file, line, nid, idx, cpu, cold ? "cold" : "hot",
				 i, v[i], p->l[i]);
	free(v);
}

/* ------------------------------------------------------------------ */
/* Watermarks (§2.4) and the zone __alloc_pages picks (§3.7, 3.8)      */
/* ------------------------------------------------------------------ */

static inline bool wmark_ok(const struct kmem_zone_info *z, unsigned order,
			    unsigned long mark, int classzone_idx,
			    unsigned alloc_flags)
{
	long min = (long)mark;
	long free_pages = (long)z->free_pages - (1L << order) + 1;

	if (alloc_flags & ALLOC_HIGH)
		min -= min / 2;
	if (alloc_flags & ALLOC_HARDER)
		min -= min / 4;
	if (free_pages <= min + (long)z->lowmem_reserve[classzone_idx])
		return false;
	for (unsigned o = 0; o < order; o++) {
		free_pages -= (long)(z->nr_free[o] << o);
		min >>= 1;
		if (free_pages <= min)
			return false;
	}
	return true;
}

/* Could buffered_rmqueue hand out a block of this order right now? */
static inline bool zone_can_serve(const struct machine *m,
				  const struct kmem_zone_info *z, unsigned order,
				  unsigned cpu, int cold)
{
	if (order == 0 && pcpinfo(m, z->nid, z->idx, cpu, cold).count > 0)
		return true;
	for (unsigned o = order; o < KMEM_MAX_ORDER; o++)
		if (z->nr_free[o])
			return true;
	return false;
}

/* alloc_flags of the second get_page_from_freelist pass (§3.8 step 6) */
static inline unsigned slowpath_flags(gfp_t gfp)
{
	unsigned f = ALLOC_WMARK_MIN;

	if (!(gfp & __GFP_WAIT))
		f |= ALLOC_HARDER;
	if (gfp & __GFP_HIGH)
		f |= ALLOC_HIGH;
	return f;
}

/*
 * Position in the zonelist (nids/idxs, n entries) of the zone the
 * allocation should come from, or -1 if it must fail; *pass gets 1 or 2.
 */
static inline int predict_zone(const struct machine *m, const int *nids,
			       const int *idxs, size_t n, gfp_t gfp,
			       unsigned order, unsigned cpu, int *pass)
{
	unsigned flags[2] = { ALLOC_WMARK_LOW, slowpath_flags(gfp) };
	int classzone = idxs[0];
	int cold = (gfp & __GFP_COLD) ? 1 : 0;

	for (int p = 0; p < 2; p++) {
		for (size_t i = 0; i < n; i++) {
			struct kmem_zone_info z = zinfo(m, nids[i], idxs[i]);
			unsigned long mark = (flags[p] & ALLOC_WMARK_MIN) ?
				z.pages_min : (flags[p] & ALLOC_WMARK_LOW) ?
				z.pages_low : z.pages_high;

			if (!wmark_ok(&z, order, mark, classzone, flags[p]))
				continue;
			if (!zone_can_serve(m, &z, order, cpu, cold))
				continue;
			if (pass)
				*pass = p + 1;
			return (int)i;
		}
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* Tasks and mappings (the issue-6 tests)                              */
/* ------------------------------------------------------------------ */

/* A uniprocessor i386 machine with 1 GiB. */
static inline struct machine *boot_i386(void)
{
	return boot_simple(KMEM_ARCH_I386, 1, 1ULL << 30);
}

/* kmem_spawn that must succeed; returns the pid. */
static inline int spawn(struct machine *m, const char *name)
{
	int pid = -1;

	if (kmem_spawn(m, name, &pid))
		fail_msg("spawn %s: %s", name, kmem_last_error(m));
	return pid;
}

/* kmem_mmap (offset 0) that must succeed; returns the address. */
static inline uint64_t map(struct machine *m, int pid, uint64_t addr,
			   uint64_t len, unsigned prot, unsigned flags,
			   const char *file)
{
	uint64_t a = 0;

	if (kmem_mmap(m, pid, addr, len, prot, flags, file, 0, &a))
		fail_msg("mmap %#llx: %s", (unsigned long long)addr,
			 kmem_last_error(m));
	return a;
}

#endif /* KMEMLAB_TEST_HELPERS_H */
