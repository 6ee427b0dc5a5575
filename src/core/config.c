/*
 * config.c - machine files: kmemlab.yaml(5) in, struct kmem_config out, and
 * back again.  This stands in for what a real 2.6.20 box learns from its
 * firmware (the e820 map, the SRAT on NUMA machines) and its command line.
 *
 * Loading is three passes over the text, so that every complaint carries the
 * file and line it is about:
 *
 *   text --1--> scan      libyaml events: YAML syntax, the shape of every
 *                         value, unknown and duplicate keys; records the
 *                         line of every key in a path -> line table
 *                         ("nodes[0].zones[1].start_pfn" -> 7)
 *        --2--> raw       libcyaml fills struct raw_machine with the text
 *                         of every scalar
 *        --3--> kmem_config  numbers, sizes and names are converted in C,
 *                         then check_config() applies the semantic rules
 *                         (ranges, zone geometry, node sums, the sysctl
 *                         table) and names the offending path, which the
 *                         table turns into a line
 *
 * libcyaml 1.3.1 has no range checks and its messages name schema events
 * rather than the user's mistake, so every scalar is loaded as a string
 * and judged here.  kmem_config_validate() runs the same check_config() on
 * a struct that did not come from a file (presets, front ends).
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cyaml/cyaml.h>
#include <yaml.h>

#include "internal.h"

#define PATH_LEN        64              /* "vm.percpu_pagelist_fraction[1]" */
#define MAX_FILE_BYTES  (1u << 20)      /* a machine file is a few lines */

/* The kernel's physical zone limits (asm/dma.h MAX_DMA_ADDRESS, i386 MAXMEM) */
#define DMA_END_PFN     4096ULL         /* 16 MiB */
#define DMA32_END_PFN   1048576ULL      /* 4 GiB */
#define LOWMEM_END_PFN  229376ULL       /* 896 MiB, i386 max_low_pfn */
#define I386_MAX_MEMORY (64ULL << 30)   /* HIGHMEM64G */

/* ------------------------------------------------------------------ */
/* Sizes and numbers                                                   */
/* ------------------------------------------------------------------ */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Parse an unsigned decimal or 0x-hex number at *s, advancing *s past it.
 * Returns 0, -EINVAL when there are no digits, -ERANGE on overflow.
 */
static int scan_u64(const char **s, uint64_t *out)
{
	const char *p = *s;
	unsigned base = 10;
	uint64_t v = 0;
	int d, ndig = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	while ((d = hexval((unsigned char)*p)) >= 0 && (unsigned)d < base) {
		if (v > (UINT64_MAX - (unsigned)d) / base)
			return -ERANGE;
		v = v * base + (unsigned)d;
		p++;
		ndig++;
	}
	if (!ndig)
		return -EINVAL;
	*s = p;
	*out = v;
	return 0;
}

/* A whole string as an unsigned number: 0, -EINVAL, -ERANGE. */
static int parse_u64(const char *text, uint64_t *out)
{
	const char *p = text;
	int rc = scan_u64(&p, out);

	if (rc)
		return rc;
	return *p ? -EINVAL : 0;
}

/* A whole string as a signed long: optional '-', decimal or 0x hex. */
static int parse_long(const char *text, long *out)
{
	bool neg = *text == '-';
	uint64_t v;
	int rc = parse_u64(text + neg, &v);

	if (rc)
		return rc;
	if (v > (uint64_t)LONG_MAX + neg)
		return -ERANGE;
	*out = neg ? (long)(0 - v) : (long)v;
	return 0;
}

int kmem_parse_size(const char *text, uint64_t *out)
{
	const char *p = text;
	unsigned shift = 0;
	uint64_t v;

	if (!text || !*text)
		return -EINVAL;
	if (scan_u64(&p, &v))
		return -EINVAL;
	/* a hex number takes no suffix: "0x1B" is 27, not 1 byte */
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
		return *p ? -EINVAL : (*out = v, 0);
	switch (*p) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 't': case 'T': shift = 40; break;
	default: break;
	}
	if (shift) {
		p++;
		if (*p == 'i' && (p[1] == 'B' || p[1] == 'b'))
			p++;
	}
	if (*p == 'B' || *p == 'b')
		p++;
	if (*p)
		return -EINVAL;
	if (shift && v > UINT64_MAX >> shift)
		return -EINVAL;
	*out = v << shift;
	return 0;
}

void kmem_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const struct { unsigned shift; char unit; } units[] = {
		{ 40, 'T' }, { 30, 'G' }, { 20, 'M' }, { 10, 'K' },
	};

	for (size_t i = 0; bytes && i < sizeof(units) / sizeof(units[0]); i++) {
		uint64_t mask = (1ULL << units[i].shift) - 1;
		if (!(bytes & mask)) {
			snprintf(buf, len, "%llu%c",
				 (unsigned long long)(bytes >> units[i].shift),
				 units[i].unit);
			return;
		}
	}
	snprintf(buf, len, "%llu", (unsigned long long)bytes);
}

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

static const char *const arch_names[] = { "i386", "x86_64" };
static const char *const allocator_names[] = { "slab", "slob" };

/* Kernel zone index of a zone type on an arch, or -1 if it has none. */
static int zone_index(enum kmem_arch arch, enum kmem_zone_type t)
{
	static const int i386[KMEM_NR_ZONE_TYPES] = { 0, -1, 1, 2 };
	static const int x86_64[KMEM_NR_ZONE_TYPES] = { 0, 1, 2, -1 };

	if ((unsigned)t >= KMEM_NR_ZONE_TYPES)
		return -1;
	return arch == KMEM_ARCH_I386 ? i386[t] : x86_64[t];
}

static const char *arch_zone_list(enum kmem_arch arch)
{
	return arch == KMEM_ARCH_I386 ? "DMA, Normal, HighMem" :
	       "DMA, DMA32, Normal";
}

static int tolower_ascii(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Levenshtein distance ignoring case; long words count as far apart. */
static unsigned edit_distance(const char *a, const char *b)
{
	unsigned row[PATH_LEN + 1];
	size_t la = strlen(a), lb = strlen(b);

	if (la > PATH_LEN || lb > PATH_LEN)
		return UINT_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned up = row[j];
			unsigned cost = tolower_ascii(a[i - 1]) !=
					tolower_ascii(b[j - 1]);
			unsigned best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* The candidate closest to word, if close enough to be a typo; or NULL. */
static const char *suggest(const char *word, const char *const *cands,
			   size_t n)
{
	const char *best = NULL;
	unsigned best_d = UINT_MAX;

	for (size_t i = 0; i < n; i++) {
		unsigned d = edit_distance(word, cands[i]);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	/* "cpu" -> "cpus", "swapiness" -> "swappiness", not "x" -> "vm" */
	if (best_d <= 2 && 3 * best_d <= strlen(word) + 1)
		return best;
	return NULL;
}

/* Match text against names (case-insensitive); index or -1. */
static int lookup_name(const char *text, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(text, names[i]))
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Error reports: what is wrong and where                              */
/* ------------------------------------------------------------------ */

/*
 * A complaint from conversion or check_config(): the message and the path
 * of the value it is about, which the loader turns into a line.  alt is
 * tried when path does not occur in the file (a defaulted value).
 */
struct cfg_err {
	char path[PATH_LEN];            /* "nodes[1].zones[0].start_pfn" */
	char alt[PATH_LEN];             /* fallback path, may be "" */
	char msg[384];                  /* "zones: Normal ... overlaps ..." */
};

static int fail_at(struct cfg_err *e, const char *path, const char *alt,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail_at(struct cfg_err *e, const char *path, const char *alt,
		   const char *fmt, ...)
{
	va_list ap;

	snprintf(e->path, sizeof e->path, "%s", path);
	snprintf(e->alt, sizeof e->alt, "%s", alt ? alt : "");
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Messages are one line: a value or file name that carries a newline or
 * other control character is shown with '?' in its place. */
static void one_line(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || *s == 0x7f)
			*s = '?';
}

/* Build a path like "nodes[1].zones[0].start_pfn"; truncation is
 * harmless (paths only find lines) and keeps gcc's range analysis quiet. */
static void path_fmt(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void path_fmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* Semantic rules                                                      */
/* ------------------------------------------------------------------ */

/* Message prefix for a node's zones: "zones" or "nodes[1].zones". */
static void zones_label(const struct kmem_config *c, unsigned nid, char *buf,
			size_t len)
{
	if (c->nr_nodes > 1)
		snprintf(buf, len, "nodes[%u].zones", nid);
	else
		snprintf(buf, len, "zones");
}

/*
 * One node's explicit zones, which cover pfns [node_start, node_end):
 * known to the arch, in kernel index order, each at least a page and no
 * more present than spanned, disjoint and ascending, inside the node and
 * inside the physical range the kernel gives that zone type.
 */
static int check_zones(const struct kmem_config *c, unsigned nid,
		       uint64_t node_start, uint64_t node_end,
		       struct cfg_err *e)
{
	const struct kmem_node_cfg *n = &c->nodes[nid];
	char lbl[32], path[PATH_LEN], zpath[PATH_LEN];
	uint64_t prev_start = 0, prev_end = 0;
	int prev_idx = -1;
	const char *prev = NULL;

	zones_label(c, nid, lbl, sizeof lbl);
	path_fmt(zpath, sizeof zpath, "nodes[%u].zones", nid);
	if (n->nr_zones > MAX_NR_ZONES)
		return fail_at(e, zpath, NULL, "%s: %u zones listed; a node has "
			       "at most %d", lbl, n->nr_zones, MAX_NR_ZONES);
	for (unsigned k = 0; k < n->nr_zones; k++) {
		const struct kmem_zone_cfg *z = &n->zones[k];
		int idx = zone_index(c->arch, z->type);
		const char *name = zone_type_name(z->type);
		uint64_t start = z->start_pfn, end = start + z->spanned;
		bool i386 = c->arch == KMEM_ARCH_I386;

#define ZPATH(field) (path_fmt(path, sizeof path, "nodes[%u].zones[%u]%s", \
			       nid, k, field), path)
		if (idx < 0)
			return fail_at(e, ZPATH(".name"), NULL,
				       "%s: %s does not exist on %s (zones: %s)",
				       lbl, name, arch_names[c->arch],
				       arch_zone_list(c->arch));
		if (idx == prev_idx)
			return fail_at(e, ZPATH(".name"), NULL,
				       "%s: %s is listed twice", lbl, name);
		if (idx < prev_idx)
			return fail_at(e, ZPATH(".name"), NULL,
				       "%s: %s comes after %s; list zones in the "
				       "order %s", lbl, name, prev,
				       arch_zone_list(c->arch));
		if (z->spanned == 0)
			return fail_at(e, ZPATH(".spanned"), NULL,
				       "%s: %s spans no pages (leave the zone out "
				       "instead)", lbl, name);
		if (z->present > z->spanned)
			return fail_at(e, ZPATH(".present"), NULL,
				       "%s: %s has %llu pages present but spans "
				       "only %llu", lbl, name,
				       (unsigned long long)z->present,
				       (unsigned long long)z->spanned);
		if (prev && start < prev_start)
			return fail_at(e, ZPATH(".start_pfn"), NULL,
				       "%s: %s (start_pfn %llu) lies below %s "
				       "(start_pfn %llu); zones go in PFN order",
				       lbl, name, (unsigned long long)start,
				       prev, (unsigned long long)prev_start);
		if (prev && start < prev_end)
			return fail_at(e, ZPATH(".start_pfn"), NULL,
				       "%s: %s (start_pfn %llu) overlaps %s "
				       "(ends at %llu)", lbl, name,
				       (unsigned long long)start, prev,
				       (unsigned long long)prev_end);
		if (start < node_start)
			return fail_at(e, ZPATH(".start_pfn"), NULL,
				       "%s: %s starts at pfn %llu, before node "
				       "%u's memory (pfn %llu)", lbl, name,
				       (unsigned long long)start, nid,
				       (unsigned long long)node_start);
		if (end < start || end > node_end)
			return fail_at(e, ZPATH(".spanned"), NULL,
				       "%s: %s ends at pfn %llu, beyond node %u's "
				       "memory (ends at pfn %llu)", lbl, name,
				       (unsigned long long)end, nid,
				       (unsigned long long)node_end);
		switch (z->type) {
		case KMEM_ZONE_DMA:
			if (end > DMA_END_PFN)
				return fail_at(e, ZPATH(".spanned"), NULL,
					       "%s: DMA ends at pfn %llu; DMA "
					       "must end at or below pfn 4096 "
					       "(16 MiB)", lbl,
					       (unsigned long long)end);
			break;
		case KMEM_ZONE_DMA32:
			if (start < DMA_END_PFN)
				return fail_at(e, ZPATH(".start_pfn"), NULL,
					       "%s: DMA32 starts at pfn %llu; "
					       "memory below pfn 4096 (16 MiB) "
					       "is DMA", lbl,
					       (unsigned long long)start);
			if (end > DMA32_END_PFN)
				return fail_at(e, ZPATH(".spanned"), NULL,
					       "%s: DMA32 ends at pfn %llu; DMA32 "
					       "must end at or below pfn 1048576 "
					       "(4 GiB)", lbl,
					       (unsigned long long)end);
			break;
		case KMEM_ZONE_NORMAL:
			if (i386 && start < DMA_END_PFN)
				return fail_at(e, ZPATH(".start_pfn"), NULL,
					       "%s: Normal starts at pfn %llu; "
					       "memory below pfn 4096 (16 MiB) "
					       "is DMA", lbl,
					       (unsigned long long)start);
			if (i386 && end > LOWMEM_END_PFN)
				return fail_at(e, ZPATH(".spanned"), NULL,
					       "%s: Normal ends at pfn %llu; on "
					       "i386 Normal must end at or below "
					       "pfn 229376 (896 MiB), HighMem "
					       "lies above", lbl,
					       (unsigned long long)end);
			if (!i386 && start < DMA32_END_PFN)
				return fail_at(e, ZPATH(".start_pfn"), NULL,
					       "%s: Normal starts at pfn %llu; on "
					       "x86_64 memory below pfn 1048576 "
					       "(4 GiB) is DMA or DMA32", lbl,
					       (unsigned long long)start);
			break;
		case KMEM_ZONE_HIGHMEM:
			if (start < LOWMEM_END_PFN)
				return fail_at(e, ZPATH(".start_pfn"), NULL,
					       "%s: HighMem starts at pfn %llu; "
					       "HighMem starts at or above pfn "
					       "229376 (896 MiB)", lbl,
					       (unsigned long long)start);
			break;
		default:
			break;
		}
#undef ZPATH
		prev = name;
		prev_idx = idx;
		prev_start = start;
		prev_end = end;
	}
	return 0;
}

static int check_vm(const struct kmem_config *c, struct cfg_err *e)
{
	const struct kmem_sysctl_desc *tab = kmem_sysctl_table();
	char path[PATH_LEN];

	for (int id = 0; id < KMEM_CONFIG_MAX_SYSCTL; id++) {
		const struct kmem_sysctl_override *o = &c->vm[id];
		if (!o->set)
			continue;
		if (id >= NR_SYSCTL)
			return fail_at(e, "vm", NULL, "vm: override %d names no "
				       "sysctl (there are %d)", id, NR_SYSCTL);

		const struct kmem_sysctl_desc *d = &tab[id];
		unsigned want = d->type == KMEM_SYSCTL_INT_VEC ?
				MAX_NR_ZONES - 1 : 1;
		path_fmt(path, sizeof path, "vm.%s", d->name);
		if (c->arch == KMEM_ARCH_I386 && sysctl_numa_only(id))
			return fail_at(e, path, NULL, "vm.%s: exists only on NUMA "
				       "kernels (arch: x86_64); i386 is modelled "
				       "without CONFIG_NUMA", d->name);
		if (id == SYSCTL_NR_PDFLUSH_THREADS)
			return fail_at(e, path, NULL, "vm.%s: is read-only (the "
				       "kernel starts and stops pdflush threads "
				       "itself)", d->name);
		if (o->n != want) {
			if (want > 1)
				return fail_at(e, path, NULL, "vm.%s: takes %u "
					       "values, e.g. [256, 32]; got %u",
					       d->name, want, o->n);
			return fail_at(e, path, NULL, "vm.%s: takes one value, "
				       "got %u", d->name, o->n);
		}
		for (unsigned i = 0; i < o->n; i++) {
			long v = o->v[i];
			/* the table default is always good, even below min
			 * (percpu_pagelist_fraction 0 means "off") */
			if (d->def >= 0 && v == d->def)
				continue;
			if (v >= d->min && v <= d->max)
				continue;
			if (want > 1)
				path_fmt(path, sizeof path, "vm.%s[%u]", d->name, i);
			return fail_at(e, path, NULL, "vm.%s: %ld is out of range "
				       "[%ld, %ld]", d->name, v, d->min, d->max);
		}
	}
	return 0;
}

/* Every rule of kmemlab.yaml(5) that a filled-in struct can break. */
static int check_config(const struct kmem_config *c, struct cfg_err *e)
{
	char a[32], b[32], path[PATH_LEN];
	uint64_t total;
	unsigned nodes = c->nr_nodes > 1 ? c->nr_nodes : 1;

	if ((unsigned)c->arch > KMEM_ARCH_X86_64)
		return fail_at(e, "arch", NULL, "arch: %d is not one of i386, "
			       "x86_64", (int)c->arch);
	if ((unsigned)c->allocator > KMEM_ALLOC_SLOB)
		return fail_at(e, "allocator", NULL, "allocator: %d is not one of "
			       "slab, slob", (int)c->allocator);
	if (c->cpus < 1 || c->cpus > KMEM_MAX_CPUS)
		return fail_at(e, "cpus", NULL, "cpus: %u is out of range [1, %d]",
			       c->cpus, KMEM_MAX_CPUS);
	if (c->nr_nodes > KMEM_MAX_NODES)
		return fail_at(e, "nodes", NULL, "nodes: %u nodes; at most %d are "
			       "modelled", c->nr_nodes, KMEM_MAX_NODES);
	if (c->nr_nodes > 1 && c->arch == KMEM_ARCH_I386)
		return fail_at(e, "nodes", NULL, "nodes: %u nodes on i386, but "
			       "i386 NUMA is not modelled; use arch: x86_64 for "
			       "more than one node", c->nr_nodes);

	/* the nodes' memory adds up to the machine's */
	total = c->memory;
	if (c->nr_nodes >= 1) {
		total = 0;
		for (unsigned i = 0; i < c->nr_nodes; i++) {
			uint64_t m = c->nodes[i].memory;
			path_fmt(path, sizeof path, "nodes[%u].memory", i);
			kmem_format_size(m, a, sizeof a);
			if (m == 0)
				return fail_at(e, path, NULL, "nodes[%u].memory: a "
					       "node needs some memory", i);
			if (m % PAGE_SIZE)
				return fail_at(e, path, NULL, "nodes[%u].memory: %s "
					       "is not a whole number of 4K pages",
					       i, a);
			if (m > KMEM_MAX_MEMORY)
				return fail_at(e, path, NULL, "nodes[%u].memory: %s "
					       "is above the maximum %lluG", i, a,
					       KMEM_MAX_MEMORY >> 30);
			total += m;
		}
		if (c->memory != total) {
			kmem_format_size(c->memory, a, sizeof a);
			kmem_format_size(total, b, sizeof b);
			return fail_at(e, "memory", "nodes", "memory: %s is not the "
				       "sum of the nodes' memory (%s)", a, b);
		}
	}
	kmem_format_size(total, a, sizeof a);
	if (total < KMEM_MIN_MEMORY)
		return fail_at(e, "memory", "nodes", "memory: %s is below the "
			       "minimum %lluM", a, KMEM_MIN_MEMORY >> 20);
	if (total > KMEM_MAX_MEMORY)
		return fail_at(e, "memory", "nodes", "memory: %s is above the "
			       "maximum %lluG", a, KMEM_MAX_MEMORY >> 30);
	if (total % PAGE_SIZE)
		return fail_at(e, "memory", "nodes", "memory: %s is not a whole "
			       "number of 4K pages", a);
	if (c->arch == KMEM_ARCH_I386 && total > I386_MAX_MEMORY)
		return fail_at(e, "memory", "nodes", "memory: %s is more than "
			       "i386 can address (64G with HIGHMEM64G); use "
			       "arch: x86_64", a);
	if (c->cpus < nodes)
		return fail_at(e, "cpus", "nodes", "cpus: %u CPU%s for %u nodes; "
			       "each node needs at least one CPU", c->cpus,
			       c->cpus == 1 ? "" : "s", nodes);

	/* node N's memory starts where node N-1's ends */
	uint64_t start = 0;
	for (unsigned i = 0; i < c->nr_nodes; i++) {
		uint64_t pages = (c->nr_nodes > 1 ? c->nodes[i].memory :
				  c->memory) >> PAGE_SHIFT;
		int rc = check_zones(c, i, start, start + pages, e);
		if (rc)
			return rc;
		start += pages;
	}
	return check_vm(c, e);
}

int kmem_config_validate(const struct kmem_config *cfg, char *err,
			 size_t errlen)
{
	struct cfg_err e;
	int rc = check_config(cfg, &e);

	if (rc && err && errlen) {
		snprintf(err, errlen, "%s", e.msg);
		one_line(err);
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* Pass 1: the shape of the document and the line of every key         */
/* ------------------------------------------------------------------ */

struct line_ent {
	char path[PATH_LEN];            /* "nodes[0].zones[1].name" */
	unsigned line;                  /* 1-based */
};

struct line_tab {
	struct line_ent *e;             /* in document order */
	size_t n;                       /* entries used */
	size_t cap;                     /* entries allocated */
};

static void line_add(struct line_tab *t, const char *path, unsigned line)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->e = xrealloc(t->e, t->cap * sizeof *t->e);
	}
	snprintf(t->e[t->n].path, PATH_LEN, "%s", path);
	t->e[t->n++].line = line;
}

static unsigned line_of(const struct line_tab *t, const char *path)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->e[i].path, path))
			return t->e[i].line;
	return 0;
}

/* The line of path, else of its nearest ancestor that is in the file
 * ("nodes[1].memory" -> "nodes[1]" -> "nodes"); 0 if none. */
static unsigned line_near(const struct line_tab *t, const char *path)
{
	char p[PATH_LEN];

	snprintf(p, sizeof p, "%s", path);
	while (*p) {
		unsigned line = line_of(t, p);
		if (line)
			return line;
		char *dot = strrchr(p, '.'), *br = strrchr(p, '[');
		char *cut = dot > br ? dot : br;
		if (!cut)
			break;
		*cut = '\0';
	}
	return 0;
}

enum shape {
	SH_SCALAR,                      /* one value */
	SH_MAP,                         /* a mapping (vm) */
	SH_LIST,                        /* a list of mappings (nodes, zones) */
	SH_VEC,                         /* a list of values (vector sysctl) */
};

struct keyspec {
	const char *key;                /* mapping key */
	enum shape shape;               /* what its value must be */
	const struct keyspec *sub;      /* SH_LIST: keys of each item */
	unsigned max;                   /* SH_LIST: most items */
	const char *item;               /* SH_LIST: "node", "zone" */
};

static const struct keyspec zone_keys[] = {
	{ "name", SH_SCALAR, NULL, 0, NULL },
	{ "start_pfn", SH_SCALAR, NULL, 0, NULL },
	{ "spanned", SH_SCALAR, NULL, 0, NULL },
	{ "present", SH_SCALAR, NULL, 0, NULL },
	{ NULL, SH_SCALAR, NULL, 0, NULL },
};

static const struct keyspec node_keys[] = {
	{ "memory", SH_SCALAR, NULL, 0, NULL },
	{ "zones", SH_LIST, zone_keys, MAX_NR_ZONES, "zone" },
	{ NULL, SH_SCALAR, NULL, 0, NULL },
};

/* sub == NULL on a SH_MAP: the keys are the sysctl table's names */
static const struct keyspec top_keys[] = {
	{ "arch", SH_SCALAR, NULL, 0, NULL },
	{ "cpus", SH_SCALAR, NULL, 0, NULL },
	{ "memory", SH_SCALAR, NULL, 0, NULL },
	{ "nodes", SH_LIST, node_keys, KMEM_MAX_NODES, "node" },
	{ "allocator", SH_SCALAR, NULL, 0, NULL },
	{ "seed", SH_SCALAR, NULL, 0, NULL },
	{ "vm", SH_MAP, NULL, 0, NULL },
	{ NULL, SH_SCALAR, NULL, 0, NULL },
};

struct scan {
	yaml_parser_t parser;           /* libyaml event parser */
	yaml_event_t ev;                /* the current event */
	bool live;                      /* ev must be deleted */
	struct line_tab *lines;         /* filled as keys go by */
	const char *file;               /* name for messages */
	const char *text;               /* the document */
	char *err;                      /* where the one message goes */
	size_t errlen;
};

static int scan_fail(struct scan *s, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int scan_fail(struct scan *s, unsigned line, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!s->err || !s->errlen)
		return -EINVAL;
	if (line)
		snprintf(s->err, s->errlen, "%s:%u: %s", s->file, line, msg);
	else
		snprintf(s->err, s->errlen, "%s: %s", s->file, msg);
	one_line(s->err);
	return -EINVAL;
}

static unsigned ev_line(const struct scan *s)
{
	return (unsigned)s->ev.start_mark.line + 1;
}

static int scan_next(struct scan *s)
{
	if (s->live) {
		yaml_event_delete(&s->ev);
		s->live = false;
	}
	if (!yaml_parser_parse(&s->parser, &s->ev)) {
		const yaml_parser_t *p = &s->parser;
		unsigned line = (unsigned)p->problem_mark.line + 1;

		if (p->error == YAML_READER_ERROR) {
			/* bad encoding: libyaml gives a byte offset */
			line = 1;
			for (size_t i = 0; i < p->problem_offset && s->text[i]; i++)
				line += s->text[i] == '\n';
		}
		if (p->context)
			return scan_fail(s, line, "YAML syntax error: %s (%s)",
					 p->problem ? p->problem : "?", p->context);
		return scan_fail(s, line, "YAML syntax error: %s",
				 p->problem ? p->problem : "?");
	}
	s->live = true;
	if (s->ev.type == YAML_ALIAS_EVENT)
		return scan_fail(s, ev_line(s), "aliases (*%s) are not supported "
				 "in machine files", s->ev.data.alias.anchor ?
				 (const char *)s->ev.data.alias.anchor : "");
	return 0;
}

/* An empty plain scalar or YAML's null spellings: "key:" with no value. */
static bool ev_is_null(const struct scan *s)
{
	const char *v = (const char *)s->ev.data.scalar.value;

	return s->ev.type == YAML_SCALAR_EVENT &&
	       s->ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!*v || !strcmp(v, "~") || !strcmp(v, "null") ||
		!strcmp(v, "Null") || !strcmp(v, "NULL"));
}

static const char *ev_kind(const struct scan *s)
{
	switch (s->ev.type) {
	case YAML_SEQUENCE_START_EVENT: return "a list";
	case YAML_MAPPING_START_EVENT: return "a mapping";
	default: return "a single value";
	}
}

static int scan_map(struct scan *s, const char *prefix,
		    const struct keyspec *keys);

/*
 * The current event starts the value at path, whose key is on key_line;
 * check its shape.  A scalar is recorded at its own line, a list or
 * mapping at its key's.
 */
static int scan_value(struct scan *s, const char *path, unsigned key_line,
		      const struct keyspec *ks, unsigned vec_len)
{
	unsigned line = ks->shape == SH_SCALAR ? ev_line(s) : key_line;
	char ipath[PATH_LEN];

	if (ks->shape != SH_MAP && ev_is_null(s))
		return scan_fail(s, line, "%s: no value", path);
	switch (ks->shape) {
	case SH_SCALAR:
		if (s->ev.type != YAML_SCALAR_EVENT)
			return scan_fail(s, line, "%s: expected a single value, "
					 "not %s", path, ev_kind(s));
		line_add(s->lines, path, line);
		return 0;
	case SH_MAP:
		if (s->ev.type != YAML_MAPPING_START_EVENT)
			return scan_fail(s, line, "%s: expected a mapping of "
					 "/proc/sys/vm names to values "
					 "(e.g. swappiness: 60)", path);
		line_add(s->lines, path, line);
		return scan_map(s, path, ks->sub);
	case SH_LIST:
		if (s->ev.type != YAML_SEQUENCE_START_EVENT)
			return scan_fail(s, line, "%s: expected a list of %ss, "
					 "not %s", path, ks->item, ev_kind(s));
		line_add(s->lines, path, line);
		for (unsigned i = 0;; i++) {
			if (scan_next(s))
				return -EINVAL;
			if (s->ev.type == YAML_SEQUENCE_END_EVENT)
				return 0;
			path_fmt(ipath, sizeof ipath, "%s[%u]", path, i);
			if (i == ks->max)
				return scan_fail(s, ev_line(s), "%s: at most %u "
						 "%ss", path, ks->max, ks->item);
			if (s->ev.type != YAML_MAPPING_START_EVENT)
				return scan_fail(s, ev_line(s), "%s: a %s is a "
						 "mapping of keys, not %s", ipath,
						 ks->item, ev_kind(s));
			line_add(s->lines, ipath, ev_line(s));
			if (scan_map(s, ipath, ks->sub))
				return -EINVAL;
		}
	case SH_VEC:
		if (s->ev.type != YAML_SEQUENCE_START_EVENT)
			return scan_fail(s, line, "%s: takes %u values as a list, "
					 "e.g. [256, 32]", path, vec_len);
		line_add(s->lines, path, line);
		for (unsigned i = 0;; i++) {
			if (scan_next(s))
				return -EINVAL;
			if (s->ev.type == YAML_SEQUENCE_END_EVENT) {
				if (i != vec_len)
					return scan_fail(s, line, "%s: takes %u "
							 "values, e.g. [256, 32]; "
							 "got %u", path, vec_len, i);
				return 0;
			}
			path_fmt(ipath, sizeof ipath, "%s[%u]", path, i);
			if (i == vec_len)
				return scan_fail(s, ev_line(s), "%s: takes %u "
						 "values, e.g. [256, 32]; got "
						 "more", path, vec_len);
			if (s->ev.type != YAML_SCALAR_EVENT)
				return scan_fail(s, ev_line(s), "%s: expected a "
						 "number, not %s", ipath,
						 ev_kind(s));
			if (ev_is_null(s))
				return scan_fail(s, ev_line(s), "%s: no value",
						 ipath);
			line_add(s->lines, ipath, ev_line(s));
		}
	}
	return 0;
}

static int unknown_key(struct scan *s, unsigned line, const char *prefix,
		       const char *key, const struct keyspec *keys)
{
	const char *cands[KMEM_CONFIG_MAX_SYSCTL];
	char known[256] = "";
	size_t n = 0;
	const char *hint;

	if (keys) {
		for (; keys[n].key; n++) {
			cands[n] = keys[n].key;
			snprintf(known + strlen(known), sizeof known - strlen(known),
				 "%s%s", n ? ", " : "", keys[n].key);
		}
	} else {
		const struct kmem_sysctl_desc *tab = kmem_sysctl_table();
		for (; tab[n].name && n < KMEM_CONFIG_MAX_SYSCTL; n++)
			cands[n] = tab[n].name;
	}
	hint = suggest(key, cands, n);
	if (hint)
		return scan_fail(s, line, "unknown key '%s'%s%s (did you mean "
				 "'%s'?)", key, *prefix ? " in " : "", prefix,
				 hint);
	if (!keys)
		return scan_fail(s, line, "unknown key '%s' in %s: no such "
				 "/proc/sys/vm tunable (see kmemlab.yaml(5))",
				 key, prefix);
	return scan_fail(s, line, "unknown key '%s'%s%s (known keys: %s)", key,
			 *prefix ? " in " : "", prefix, known);
}

/* After a MAPPING_START: each key once, known, with a value of its shape. */
static int scan_map(struct scan *s, const char *prefix,
		    const struct keyspec *keys)
{
	bool seen[KMEM_CONFIG_MAX_SYSCTL] = { false };
	char path[PATH_LEN];

	for (;;) {
		struct keyspec vmspec = { NULL, SH_SCALAR, NULL, 0, NULL };
		const struct keyspec *ks;
		unsigned vec_len = 0;
		int idx = -1;

		if (scan_next(s))
			return -EINVAL;
		if (s->ev.type == YAML_MAPPING_END_EVENT)
			return 0;
		unsigned line = ev_line(s);
		if (s->ev.type != YAML_SCALAR_EVENT)
			return scan_fail(s, line, "%s%skeys must be plain names, "
					 "not %s", prefix, *prefix ? ": " : "",
					 ev_kind(s));
		const char *key = (const char *)s->ev.data.scalar.value;
		if (keys) {
			for (int i = 0; keys[i].key; i++)
				if (!strcmp(keys[i].key, key))
					idx = i;
			ks = idx >= 0 ? &keys[idx] : NULL;
		} else {
			idx = kmem_sysctl_lookup(key);
			if (idx >= 0 && kmem_sysctl_table()[idx].type ==
					KMEM_SYSCTL_INT_VEC) {
				vmspec.shape = SH_VEC;
				vec_len = MAX_NR_ZONES - 1;
			}
			ks = &vmspec;
		}
		if (idx < 0)
			return unknown_key(s, line, prefix, key, keys);
		if (*prefix)
			path_fmt(path, sizeof path, "%s.%s", prefix, key);
		else
			path_fmt(path, sizeof path, "%s", key);
		if (seen[idx])
			return scan_fail(s, line, "duplicate key '%s' (first given "
					 "on line %u)", path,
					 line_of(s->lines, path));
		seen[idx] = true;
		if (scan_next(s) || scan_value(s, path, line, ks, vec_len))
			return -EINVAL;
	}
}

/*
 * Pass 1 over the whole text.  Returns 0, -EINVAL with the message in
 * s->err, or -ENODATA for a file with nothing in it.
 */
static int scan_document(struct scan *s)
{
	if (scan_next(s))                       /* STREAM_START */
		return -EINVAL;
	if (scan_next(s))
		return -EINVAL;
	if (s->ev.type == YAML_STREAM_END_EVENT)
		return -ENODATA;
	if (scan_next(s))                       /* past DOCUMENT_START */
		return -EINVAL;
	if (ev_is_null(s))
		return -ENODATA;
	if (s->ev.type != YAML_MAPPING_START_EVENT)
		return scan_fail(s, ev_line(s), "a machine file is a mapping of "
				 "keys (arch:, cpus:, memory: ...), not %s",
				 ev_kind(s));
	if (scan_map(s, "", top_keys))
		return -EINVAL;
	if (scan_next(s))                       /* DOCUMENT_END */
		return -EINVAL;
	if (scan_next(s))
		return -EINVAL;
	if (s->ev.type != YAML_STREAM_END_EVENT)
		return scan_fail(s, ev_line(s), "a second YAML document starts "
				 "here; a machine file describes one machine");
	return 0;
}

static int scan_text(const char *file, const char *text, size_t len,
		     struct line_tab *lines, char *err, size_t errlen)
{
	struct scan s;
	int rc;

	memset(&s, 0, sizeof s);
	s.lines = lines;
	s.file = file;
	s.text = text;
	s.err = err;
	s.errlen = errlen;
	if (!yaml_parser_initialize(&s.parser))
		return scan_fail(&s, 0, "cannot start the YAML parser");
	yaml_parser_set_input_string(&s.parser, (const unsigned char *)text,
				     len);
	rc = scan_document(&s);
	if (s.live)
		yaml_event_delete(&s.ev);
	yaml_parser_delete(&s.parser);
	if (rc == -ENODATA) {
		scan_fail(&s, 0, "empty machine file (nothing to load; the "
			  "keys are in kmemlab.yaml(5))");
		rc = -EINVAL;
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* Pass 2: libcyaml loads the text of every value                      */
/* ------------------------------------------------------------------ */

struct raw_zone {
	char *name;                     /* "DMA" ... */
	char *start_pfn;                /* numbers as written */
	char *spanned;
	char *present;
};

struct raw_node {
	char *memory;                   /* "512M" */
	struct raw_zone *zones;         /* [zones_count] */
	unsigned zones_count;
};

struct raw_vm {
	char *scalar[NR_SYSCTL];        /* KMEM_SYSCTL_INT values, by id */
	char **vec[NR_SYSCTL];          /* KMEM_SYSCTL_INT_VEC values */
	unsigned vec_count[NR_SYSCTL];  /* entries in vec[id] */
};

struct raw_machine {
	char *arch;                     /* every field NULL when absent */
	char *cpus;
	char *memory;
	struct raw_node *nodes;         /* [nodes_count] */
	unsigned nodes_count;
	char *allocator;
	char *seed;
	struct raw_vm *vm;
};

#define RAW_STR(key, type, member) \
	CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_OPTIONAL, type, member, 0, \
			       CYAML_UNLIMITED)

static const cyaml_schema_value_t raw_string = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

static const cyaml_schema_field_t raw_zone_fields[] = {
	RAW_STR("name", struct raw_zone, name),
	RAW_STR("start_pfn", struct raw_zone, start_pfn),
	RAW_STR("spanned", struct raw_zone, spanned),
	RAW_STR("present", struct raw_zone, present),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t raw_zone_value = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_zone,
			    raw_zone_fields),
};

static const cyaml_schema_field_t raw_node_fields[] = {
	RAW_STR("memory", struct raw_node, memory),
	CYAML_FIELD_SEQUENCE("zones", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
			     struct raw_node, zones, &raw_zone_value, 0,
			     MAX_NR_ZONES),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t raw_node_value = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_node,
			    raw_node_fields),
};

/* The vm mapping's keys come from the sysctl table, so its schema is
 * built per load (no mutable globals). */
struct raw_schema {
	cyaml_schema_field_t vm_fields[NR_SYSCTL + 1];
	cyaml_schema_field_t top_fields[8];
	cyaml_schema_value_t top;
};

static void build_schema(struct raw_schema *sc)
{
	const struct kmem_sysctl_desc *tab = kmem_sysctl_table();

	memset(sc, 0, sizeof *sc);
	for (int id = 0; id < NR_SYSCTL; id++) {
		cyaml_schema_field_t *f = &sc->vm_fields[id];
		f->key = tab[id].name;
		if (tab[id].type == KMEM_SYSCTL_INT_VEC) {
			f->data_offset = (uint32_t)(offsetof(struct raw_vm, vec) +
						    id * sizeof(char **));
			f->count_offset = (uint32_t)(offsetof(struct raw_vm,
							      vec_count) +
						     id * sizeof(unsigned));
			f->count_size = sizeof(unsigned);
			f->value = (cyaml_schema_value_t){
				CYAML_VALUE_SEQUENCE(CYAML_FLAG_POINTER |
						     CYAML_FLAG_OPTIONAL, char *,
						     &raw_string, 0,
						     KMEM_SYSCTL_VEC_MAX),
			};
		} else {
			f->data_offset = (uint32_t)(offsetof(struct raw_vm, scalar) +
						    id * sizeof(char *));
			f->value = (cyaml_schema_value_t){
				CYAML_VALUE_STRING(CYAML_FLAG_POINTER |
						   CYAML_FLAG_OPTIONAL, char *, 0,
						   CYAML_UNLIMITED),
			};
		}
	}
	const cyaml_schema_field_t top[] = {
		RAW_STR("arch", struct raw_machine, arch),
		RAW_STR("cpus", struct raw_machine, cpus),
		RAW_STR("memory", struct raw_machine, memory),
		CYAML_FIELD_SEQUENCE("nodes", CYAML_FLAG_POINTER |
				     CYAML_FLAG_OPTIONAL, struct raw_machine,
				     nodes, &raw_node_value, 0, KMEM_MAX_NODES),
		RAW_STR("allocator", struct raw_machine, allocator),
		RAW_STR("seed", struct raw_machine, seed),
		CYAML_FIELD_MAPPING_PTR("vm", CYAML_FLAG_OPTIONAL,
					struct raw_machine, vm, sc->vm_fields),
		CYAML_FIELD_END
	};
	_Static_assert(sizeof top == sizeof sc->top_fields, "top fields");
	memcpy(sc->top_fields, top, sizeof top);
	sc->top = (cyaml_schema_value_t){
		CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct raw_machine,
				    sc->top_fields),
	};
}

/* libcyaml's first complaint and the innermost line of its backtrace. */
struct cyaml_msg {
	char msg[256];                  /* "Unexpected key: foo" */
	unsigned line;                  /* 1-based, 0 = none */
};

static void cyaml_log_cb(cyaml_log_t level, void *ctx, const char *fmt,
			 va_list args)
{
	struct cyaml_msg *m = ctx;
	char buf[256];
	const char *p;

	(void)level;
	vsnprintf(buf, sizeof buf, fmt, args);
	buf[strcspn(buf, "\n")] = '\0';
	if (!m->msg[0]) {
		p = strncmp(buf, "Load: ", 6) ? buf : buf + 6;
		snprintf(m->msg, sizeof m->msg, "%s", p);
	} else if (!m->line && (p = strstr(buf, "(line: ")) != NULL) {
		m->line = (unsigned)strtoul(p + 7, NULL, 10);
	}
}

/* ------------------------------------------------------------------ */
/* Pass 3: text to numbers                                             */
/* ------------------------------------------------------------------ */

static int conv_enum(const char *text, const char *path,
		     const char *const *names, size_t n, int *out,
		     struct cfg_err *e)
{
	char list[64] = "";
	const char *hint;

	*out = lookup_name(text, names, n);
	if (*out >= 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
			 i ? ", " : "", names[i]);
	hint = suggest(text, names, n);
	if (hint)
		return fail_at(e, path, NULL, "%s: '%s' is not one of %s (did you "
			       "mean '%s'?)", path, text, list, hint);
	return fail_at(e, path, NULL, "%s: '%s' is not one of %s", path, text,
		       list);
}

static int conv_size(const char *text, const char *path, uint64_t *out,
		     struct cfg_err *e)
{
	if (kmem_parse_size(text, out))
		return fail_at(e, path, NULL, "%s: '%s' is not a size (use e.g. "
			       "512M, 1G)", path, text);
	return 0;
}

static int conv_pfn(const char *text, const char *path, uint64_t *out,
		    struct cfg_err *e)
{
	int rc = parse_u64(text, out);

	if (rc == -ERANGE)
		return fail_at(e, path, NULL, "%s: %s is too large", path, text);
	if (rc)
		return fail_at(e, path, NULL, "%s: '%s' is not a number of pages "
			       "(decimal or 0x hex)", path, text);
	return 0;
}

static int conv_zone(const struct raw_zone *rz, const char *zpath,
		     enum kmem_arch arch, struct kmem_zone_cfg *z,
		     struct cfg_err *e)
{
	static const char *const names[] = { "DMA", "DMA32", "Normal",
					     "HighMem" };
	char path[PATH_LEN];
	int t;

	path_fmt(path, sizeof path, "%s.name", zpath);
	if (!rz->name)
		return fail_at(e, zpath, NULL, "%s: name is missing (%s)", zpath,
			       arch_zone_list(arch));
	t = lookup_name(rz->name, names, KMEM_NR_ZONE_TYPES);
	if (t < 0)
		return fail_at(e, path, NULL, "%s: '%s' is not a zone (%s has %s)",
			       path, rz->name, arch_names[arch],
			       arch_zone_list(arch));
	z->type = (enum kmem_zone_type)t;
	if (!rz->start_pfn || !rz->spanned)
		return fail_at(e, zpath, NULL, "%s: %s needs start_pfn and "
			       "spanned", zpath, names[t]);
	path_fmt(path, sizeof path, "%s.start_pfn", zpath);
	if (conv_pfn(rz->start_pfn, path, &z->start_pfn, e))
		return -EINVAL;
	path_fmt(path, sizeof path, "%s.spanned", zpath);
	if (conv_pfn(rz->spanned, path, &z->spanned, e))
		return -EINVAL;
	z->present = 0;
	path_fmt(path, sizeof path, "%s.present", zpath);
	if (rz->present && conv_pfn(rz->present, path, &z->present, e))
		return -EINVAL;
	return 0;
}

static int conv_vm(const struct raw_vm *rv, struct kmem_config *cfg,
		   struct cfg_err *e)
{
	const struct kmem_sysctl_desc *tab = kmem_sysctl_table();
	char path[PATH_LEN];

	for (int id = 0; id < NR_SYSCTL; id++) {
		struct kmem_sysctl_override *o = &cfg->vm[id];
		const char *const *vals = (const char *const *)&rv->scalar[id];
		unsigned n = rv->scalar[id] ? 1 : 0;

		if (tab[id].type == KMEM_SYSCTL_INT_VEC) {
			vals = (const char *const *)rv->vec[id];
			n = rv->vec[id] ? rv->vec_count[id] : 0;
		}
		if (!n)
			continue;
		for (unsigned i = 0; i < n && i < KMEM_SYSCTL_VEC_MAX; i++) {
			if (tab[id].type == KMEM_SYSCTL_INT_VEC)
				path_fmt(path, sizeof path, "vm.%s[%u]",
					 tab[id].name, i);
			else
				path_fmt(path, sizeof path, "vm.%s", tab[id].name);
			int rc = parse_long(vals[i], &o->v[i]);
			if (rc == -ERANGE)
				return fail_at(e, path, NULL, "vm.%s: %s is out of "
					       "range [%ld, %ld]", tab[id].name,
					       vals[i], tab[id].min, tab[id].max);
			if (rc)
				return fail_at(e, path, NULL, "vm.%s: '%s' is not "
					       "an integer", tab[id].name,
					       vals[i]);
		}
		o->set = true;
		o->n = n;
	}
	return 0;
}

/* raw text -> cfg (already holding the defaults).  Range and geometry
 * rules are check_config()'s; this only turns text into values. */
static int convert(const struct raw_machine *r, struct kmem_config *cfg,
		   struct cfg_err *e)
{
	char path[PATH_LEN];
	uint64_t v;
	int x;

	if (r->arch) {
		if (conv_enum(r->arch, "arch", arch_names, 2, &x, e))
			return -EINVAL;
		cfg->arch = (enum kmem_arch)x;
	}
	if (r->allocator) {
		if (conv_enum(r->allocator, "allocator", allocator_names, 2, &x,
			      e))
			return -EINVAL;
		cfg->allocator = (enum kmem_allocator)x;
	}
	if (r->cpus) {
		int rc = parse_u64(r->cpus, &v);
		if (rc == -EINVAL)
			return fail_at(e, "cpus", NULL, "cpus: '%s' is not a "
				       "number", r->cpus);
		if (rc || v > KMEM_MAX_CPUS)
			return fail_at(e, "cpus", NULL, "cpus: %s is out of range "
				       "[1, %d]", r->cpus, KMEM_MAX_CPUS);
		cfg->cpus = (unsigned)v;
	}
	if (r->memory && conv_size(r->memory, "memory", &cfg->memory, e))
		return -EINVAL;
	if (r->seed && parse_u64(r->seed, &cfg->seed))
		return fail_at(e, "seed", NULL, "seed: '%s' is not an unsigned "
			       "64-bit number", r->seed);

	if (r->nodes && r->nodes_count) {
		uint64_t sum = 0;
		cfg->nr_nodes = r->nodes_count;
		for (unsigned i = 0; i < r->nodes_count; i++) {
			const struct raw_node *rn = &r->nodes[i];
			struct kmem_node_cfg *n = &cfg->nodes[i];
			path_fmt(path, sizeof path, "nodes[%u]", i);
			if (!rn->memory)
				return fail_at(e, path, NULL, "%s: memory is "
					       "missing", path);
			path_fmt(path, sizeof path, "nodes[%u].memory", i);
			if (conv_size(rn->memory, path, &n->memory, e))
				return -EINVAL;
			sum += n->memory < KMEM_MAX_MEMORY ? n->memory :
			       KMEM_MAX_MEMORY + 1;
			n->nr_zones = rn->zones ? rn->zones_count : 0;
			for (unsigned k = 0; k < n->nr_zones; k++) {
				path_fmt(path, sizeof path, "nodes[%u].zones[%u]",
					 i, k);
				if (conv_zone(&rn->zones[k], path, cfg->arch,
					      &n->zones[k], e))
					return -EINVAL;
			}
		}
		/* memory: may be left out when nodes are listed */
		if (!r->memory)
			cfg->memory = sum;
	}
	if (r->vm && conv_vm(r->vm, cfg, e))
		return -EINVAL;
	return 0;
}

/* One node without zones is the same machine as no nodes: keep one
 * spelling so that configurations compare equal. */
static void canonicalize(struct kmem_config *cfg)
{
	if (cfg->nr_nodes == 1 && cfg->nodes[0].nr_zones == 0) {
		cfg->nr_nodes = 0;
		memset(&cfg->nodes[0], 0, sizeof cfg->nodes[0]);
	}
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */
/* ------------------------------------------------------------------ */

static void report(char *err, size_t errlen, const char *file,
		   const struct line_tab *lines, const struct cfg_err *e)
{
	unsigned line = line_near(lines, e->path);

	if (!line_of(lines, e->path) && e->alt[0] && line_of(lines, e->alt))
		line = line_of(lines, e->alt);
	if (!err || !errlen)
		return;
	if (line)
		snprintf(err, errlen, "%s:%u: %s", file, line, e->msg);
	else
		snprintf(err, errlen, "%s: %s", file, e->msg);
	one_line(err);
}

int kmem_config_load_string(const char *name, const char *yaml, size_t len,
			    struct kmem_config *cfg, char *err, size_t errlen)
{
	struct line_tab lines = { NULL, 0, 0 };
	struct raw_schema sc;
	struct cyaml_msg cm;
	struct raw_machine *raw = NULL;
	struct cfg_err e;
	int rc;

	if (!name)
		name = "(string)";
	rc = scan_text(name, yaml, len, &lines, err, errlen);
	if (rc)
		goto out_free_lines;

	memset(&cm, 0, sizeof cm);
	const cyaml_config_t cc = {
		.log_fn = cyaml_log_cb,
		.log_ctx = &cm,
		.mem_fn = cyaml_mem,
		.mem_ctx = NULL,
		.log_level = CYAML_LOG_ERROR,
		.flags = CYAML_CFG_DEFAULT,
	};
	build_schema(&sc);
	cyaml_err_t ce = cyaml_load_data((const uint8_t *)yaml, len, &cc,
					 &sc.top, (cyaml_data_t **)&raw, NULL);
	if (ce != CYAML_OK) {
		/* pass 1 should have caught it; keep libcyaml's words */
		if (err && errlen && cm.line)
			snprintf(err, errlen, "%s:%u: %s", name, cm.line,
				 cm.msg[0] ? cm.msg : cyaml_strerror(ce));
		else if (err && errlen)
			snprintf(err, errlen, "%s: %s", name,
				 cm.msg[0] ? cm.msg : cyaml_strerror(ce));
		if (err && errlen)
			one_line(err);
		rc = -EINVAL;
		goto out_free_lines;
	}

	kmem_config_defaults(cfg);
	snprintf(cfg->name, sizeof cfg->name, "%s", name);
	if (raw)
		rc = convert(raw, cfg, &e);
	if (!rc)
		rc = check_config(cfg, &e);
	if (rc)
		report(err, errlen, name, &lines, &e);
	else
		canonicalize(cfg);
	cyaml_free(&cc, &sc.top, raw, 0);
out_free_lines:
	free(lines.e);
	return rc;
}

int kmem_config_load_file(const char *path, struct kmem_config *cfg,
			  char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *text;
	size_t len;
	int rc;

	if (!f) {
		if (err && errlen) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			one_line(err);
		}
		return -EINVAL;
	}
	text = xmalloc(MAX_FILE_BYTES + 1);
	len = fread(text, 1, MAX_FILE_BYTES + 1, f);
	if (ferror(f)) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rc = -EINVAL;
	} else if (len > MAX_FILE_BYTES) {
		if (err && errlen)
			snprintf(err, errlen, "%s: larger than %uK; not a machine "
				 "file", path, MAX_FILE_BYTES >> 10);
		rc = -EINVAL;
	} else {
		text[len] = '\0';
		rc = kmem_config_load_string(path, text, len, cfg, err, errlen);
	}
	if (rc && err && errlen)
		one_line(err);
	fclose(f);
	free(text);
	return rc;
}
