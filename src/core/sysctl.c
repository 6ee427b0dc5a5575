/*
 * sysctl.c - the /proc/sys/vm tunables (kernel/sysctl.c vm_table, 2.6.20).
 *
 * One table drives /proc/sys/vm reads and writes, config validation and
 * the documentation: {name, type, min, max, default, unit, help}.  A write
 * is validated against the table, stored, and then handed to the same
 * handler the kernel runs (min_free_kbytes re-runs only
 * setup_per_zone_pages_min, as min_free_kbytes_sysctl_handler does).
 *
 * Tunables whose subsystem has not been modelled yet are stored and shown
 * with their 2.6.20 defaults; their consumers arrive with those subsystems.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "vmscan.h"

#define VEC KMEM_SYSCTL_INT_VEC
#define INT KMEM_SYSCTL_INT

/* Sorted by name: this is also `ls /proc/sys/vm` order. */
static const struct kmem_sysctl_desc sysctl_table[NR_SYSCTL + 1] = {
	[SYSCTL_BLOCK_DUMP] = { "block_dump", INT, 0, INT_MAX, 0, "",
		"log block I/O to the kernel log (nonzero enables)" },
	[SYSCTL_DIRTY_BACKGROUND_RATIO] = { "dirty_background_ratio", INT,
		0, 100, 10, "%", "dirty memory at which pdflush starts background writeback" },
	[SYSCTL_DIRTY_EXPIRE_CENTISECS] = { "dirty_expire_centisecs", INT,
		0, INT_MAX, 3000, "centisecs", "age at which dirty data is written back" },
	[SYSCTL_DIRTY_RATIO] = { "dirty_ratio", INT, 0, 100, 40, "%",
		"dirty memory at which writers are throttled" },
	[SYSCTL_DIRTY_WRITEBACK_CENTISECS] = { "dirty_writeback_centisecs",
		INT, 0, INT_MAX, 500, "centisecs", "period of the wb_kupdate timer" },
	[SYSCTL_DROP_CACHES] = { "drop_caches", INT, 1, 3, 0, "",
		"write 1 (page cache), 2 (slab) or 3 (both) to drop clean caches" },
	[SYSCTL_LAPTOP_MODE] = { "laptop_mode", INT, 0, INT_MAX, 0, "",
		"batch writeback to let the disk spin down" },
	[SYSCTL_LEGACY_VA_LAYOUT] = { "legacy_va_layout", INT, 0, INT_MAX, 0,
		"", "use the bottom-up mmap layout" },
	[SYSCTL_LOWMEM_RESERVE_RATIO] = { "lowmem_reserve_ratio", VEC, 0,
		INT_MAX, -1, "", "divisors for the lowmem_reserve (protection) of lower zones" },
	[SYSCTL_MAX_MAP_COUNT] = { "max_map_count", INT, 0, INT_MAX, 65536,
		"", "maximum number of VMAs per process" },
	[SYSCTL_MIN_FREE_KBYTES] = { "min_free_kbytes", INT, 0, INT_MAX, -1,
		"kB", "free memory the kernel keeps; sets the zone watermarks" },
	[SYSCTL_MIN_SLAB_RATIO] = { "min_slab_ratio", INT, 0, 100, 5, "%",
		"zone_reclaim: reclaimable slab a zone must hold before slab is reclaimed (NUMA)" },
	[SYSCTL_MIN_UNMAPPED_RATIO] = { "min_unmapped_ratio", INT, 0, 100, 1,
		"%", "zone_reclaim: unmapped page cache a zone must hold (NUMA)" },
	[SYSCTL_NR_PDFLUSH_THREADS] = { "nr_pdflush_threads", INT, 2, 8, 2,
		"", "running pdflush threads (read-only)" },
	[SYSCTL_OVERCOMMIT_MEMORY] = { "overcommit_memory", INT, 0, 2, 0, "",
		"0 heuristic, 1 always, 2 strict commit accounting" },
	[SYSCTL_OVERCOMMIT_RATIO] = { "overcommit_ratio", INT, 0, INT_MAX, 50,
		"%", "share of RAM in CommitLimit under strict overcommit" },
	[SYSCTL_PAGE_CLUSTER] = { "page-cluster", INT, 0, INT_MAX, -1, "",
		"log2 of the pages read per swap-in (readahead)" },
	[SYSCTL_PANIC_ON_OOM] = { "panic_on_oom", INT, 0, INT_MAX, 0, "",
		"panic instead of running the OOM killer" },
	[SYSCTL_PERCPU_PAGELIST_FRACTION] = { "percpu_pagelist_fraction", INT,
		8, INT_MAX, 0, "", "hot per-CPU list high = present/fraction (0 = off, minimum 8)" },
	[SYSCTL_SWAP_TOKEN_TIMEOUT] = { "swap_token_timeout", INT, 0, INT_MAX,
		300, "s", "how long the swap token is held" },
	[SYSCTL_SWAPPINESS] = { "swappiness", INT, 0, 100, 60, "",
		"preference for swapping anonymous memory over dropping page cache" },
	[SYSCTL_VFS_CACHE_PRESSURE] = { "vfs_cache_pressure", INT, 0, INT_MAX,
		100, "", "reclaim pressure on the dentry and inode caches" },
	[SYSCTL_ZONE_RECLAIM_MODE] = { "zone_reclaim_mode", INT, 0, INT_MAX, 0,
		"", "reclaim in the local zone before going off node (NUMA)" },
	[NR_SYSCTL] = { NULL, INT, 0, 0, 0, NULL, NULL },
};

_Static_assert(NR_SYSCTL <= KMEM_CONFIG_MAX_SYSCTL, "config sysctl array");

const struct kmem_sysctl_desc *kmem_sysctl_table(void)
{
	return sysctl_table;
}

int kmem_sysctl_lookup(const char *name)
{
	for (int i = 0; i < NR_SYSCTL; i++)
		if (!strcmp(sysctl_table[i].name, name))
			return i;
	return -1;
}

bool sysctl_numa_only(int id)
{
	return id == SYSCTL_MIN_SLAB_RATIO || id == SYSCTL_MIN_UNMAPPED_RATIO ||
	       id == SYSCTL_ZONE_RECLAIM_MODE;
}

static unsigned sysctl_nvals(int id)
{
	return sysctl_table[id].type == VEC ? MAX_NR_ZONES - 1 : 1;
}

int kmem_sysctl_get(const struct machine *m, int id,
		    long v[KMEM_SYSCTL_VEC_MAX])
{
	if (id < 0 || id >= NR_SYSCTL)
		return 0;
	unsigned n = sysctl_nvals(id);
	for (unsigned i = 0; i < n; i++)
		v[i] = m->sysctl[id][i];
	return (int)n;
}

/* Defaults, then the configuration's overrides. */
void sysctl_init(struct machine *m)
{
	for (int id = 0; id < NR_SYSCTL; id++) {
		for (unsigned i = 0; i < KMEM_SYSCTL_VEC_MAX; i++)
			m->sysctl[id][i] = sysctl_table[id].def;
	}
	/* sysctl_lowmem_reserve_ratio: {256, 32} on i386, {256, 256} x86_64 */
	m->sysctl[SYSCTL_LOWMEM_RESERVE_RATIO][0] = 256;
	m->sysctl[SYSCTL_LOWMEM_RESERVE_RATIO][1] =
		m->arch == KMEM_ARCH_I386 ? 32 : 256;
	/* swap_setup: page_cluster 2 below 16 MiB of RAM, else 3 */
	m->sysctl[SYSCTL_PAGE_CLUSTER][0] =
		m->num_physpages < ((16UL << 20) >> PAGE_SHIFT) ? 2 : 3;
	m->sysctl[SYSCTL_MIN_FREE_KBYTES][0] = (long)min_free_kbytes_default(m);

	for (int id = 0; id < NR_SYSCTL; id++) {
		const struct kmem_sysctl_override *o = &m->cfg.vm[id];
		if (!o->set)
			continue;
		for (unsigned i = 0; i < o->n && i < KMEM_SYSCTL_VEC_MAX; i++)
			m->sysctl[id][i] = o->v[i];
	}
}

/* Parse "a b c" (whitespace separated integers) as proc_dointvec does. */
static int parse_ints(const char *text, long *v, unsigned max, unsigned *n)
{
	const char *s = text;
	*n = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		if (*n == max)
			return -EINVAL;
		char *end;
		errno = 0;
		long x = strtol(s, &end, 10);
		if (end == s || errno ||
		    (*end && *end != ' ' && *end != '\t' && *end != '\n'))
			return -EINVAL;
		v[(*n)++] = x;
		s = end;
	}
	return *n ? 0 : -EINVAL;
}

int sysctl_write(struct machine *m, int id, const char *text)
{
	const struct kmem_sysctl_desc *d = &sysctl_table[id];
	long v[KMEM_SYSCTL_VEC_MAX];
	unsigned n, want = sysctl_nvals(id);

	if (id == SYSCTL_NR_PDFLUSH_THREADS)
		return set_error(m, -EACCES, "/proc/sys/vm/%s: read-only",
				 d->name);
	if (parse_ints(text, v, KMEM_SYSCTL_VEC_MAX, &n) < 0)
		return set_error(m, -EINVAL,
				 "/proc/sys/vm/%s: invalid argument '%s' (want %s)",
				 d->name, text, want > 1 ? "integers" : "an integer");
	if (n > want)
		return set_error(m, -EINVAL,
				 "/proc/sys/vm/%s: takes %u value%s, got %u",
				 d->name, want, want > 1 ? "s" : "", n);
	for (unsigned i = 0; i < n; i++) {
		if (v[i] < d->min || v[i] > d->max)
			return set_error(m, -EINVAL,
					 "/proc/sys/vm/%s: %ld is out of range [%ld, %ld]",
					 d->name, v[i], d->min, d->max);
	}
	/* proc_dointvec writes the values given and leaves the rest */
	for (unsigned i = 0; i < n; i++)
		m->sysctl[id][i] = v[i];

	switch (id) {
	case SYSCTL_MIN_FREE_KBYTES:
		setup_per_zone_pages_min(m);
		break;
	case SYSCTL_LOWMEM_RESERVE_RATIO:
		setup_per_zone_lowmem_reserve(m);
		break;
	case SYSCTL_PERCPU_PAGELIST_FRACTION:
		setup_per_zone_pageset_high(m);
		break;
	case SYSCTL_DROP_CACHES:
		/* drop_caches_sysctl_handler: 1 page cache; 2 slab (the
		 * dentry and inode shrinkers); 3 both */
		if (m->sysctl[id][0] & 1)
			drop_pagecache(m);
		if (m->sysctl[id][0] & 2)
			drop_slab(m);
		break;
	default:
		break;
	}
	return 0;
}

void sysctl_format(const struct machine *m, int id, struct kbuf *b)
{
	unsigned n = sysctl_nvals(id);
	for (unsigned i = 0; i < n; i++)
		kbuf_printf(b, "%s%ld", i ? "\t" : "", m->sysctl[id][i]);
	kbuf_append(b, "\n", 1);
}
