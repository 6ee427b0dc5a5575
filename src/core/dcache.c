/*
 * dcache.c - the dentry and inode caches as reclaim sees them (Linux
 * 2.6.20 fs/dcache.c, fs/inode.c): reclaimable kmem caches with an LRU
 * of unused objects and a shrinker each.
 *
 *   walk N names (`stress dcache N`, a `find` over N files)
 *       N dentries (dentry_cache) + N inodes (inode_cache), all unused:
 *       dentry_unused list, newest at the head
 *   shrink_dcache_memory(nr)   prune_dcache: nr dentries from the tail;
 *                              each iput moves its inode to inode_unused
 *   shrink_icache_memory(nr)   prune_icache: nr inodes from the tail
 *   both report (nr_unused / 100) * vm.vfs_cache_pressure
 *
 * What is modelled: the objects, their slab pages (SLAB_RECLAIM_ACCOUNT,
 * so meminfo's SReclaimable and nr_slab_reclaimable see them), the two
 * unused lists and the shrinkers.  What is not: the simulated files'
 * own dentries and inodes (they would be in use while a file exists),
 * path lookup, and inodes with page cache (pginodesteal stays 0).
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "vmscan.h"

/* an unused dentry and the inode it pins */
struct dentry_rec {
	kaddr_t dentry;
	kaddr_t inode;
};

struct dcache_state {
	int cache_dentry, cache_inode;
	struct dentry_rec *dentries;    /* unused dentries, [0] = tail (LRU) */
	size_t nr_dentries, cap_d, first_d;
	kaddr_t *inodes;                /* unused inodes, [first] = tail */
	size_t nr_inodes, cap_i, first_i;
	unsigned long pruned_dentries, pruned_inodes;
};

static struct dcache_state *ds(struct machine *m)
{
	return m->dcache;
}

static int dcache_caches(struct machine *m)
{
	struct dcache_state *d = ds(m);
	bool i386 = m->arch == KMEM_ARCH_I386;
	int rc = 0;

	if (d->cache_dentry >= 0)
		return 0;
	/* dcache_init / inode_init: struct dentry and struct inode of a
	 * typical 2.6.20 build */
	rc = kmem_cache_create(m, "dentry_cache", i386 ? 132 : 208, 0,
			       SLAB_RECLAIM_ACCOUNT | SLAB_PANIC, false,
			       &d->cache_dentry);
	if (!rc)
		rc = kmem_cache_create(m, "inode_cache", i386 ? 344 : 560, 0,
				       SLAB_RECLAIM_ACCOUNT | SLAB_PANIC, false,
				       &d->cache_inode);
	return rc;
}

static long vfs_pressure(struct machine *m, size_t nr_unused)
{
	return (long)(nr_unused / 100) * m->sysctl[SYSCTL_VFS_CACHE_PRESSURE][0];
}

/* prune_icache: free up to nr unused inodes from the tail. */
static void prune_icache(struct machine *m, long nr)
{
	struct dcache_state *d = ds(m);

	while (nr-- > 0 && d->nr_inodes > d->first_i) {
		kaddr_t ino = d->inodes[d->first_i++];
		kmem_cache_free(m, d->cache_inode, ino);
		d->pruned_inodes++;
	}
	if (d->first_i == d->nr_inodes)
		d->first_i = d->nr_inodes = 0;
}

static void iput_unused(struct machine *m, kaddr_t inode)
{
	struct dcache_state *d = ds(m);

	if (d->nr_inodes == d->cap_i) {
		if (d->first_i) {       /* compact the pruned front */
			for (size_t i = d->first_i; i < d->nr_inodes; i++)
				d->inodes[i - d->first_i] = d->inodes[i];
			d->nr_inodes -= d->first_i;
			d->first_i = 0;
		}
		if (d->nr_inodes == d->cap_i) {
			d->cap_i = d->cap_i ? d->cap_i * 2 : 256;
			d->inodes = xrealloc(d->inodes, d->cap_i * sizeof *d->inodes);
		}
	}
	d->inodes[d->nr_inodes++] = inode;
}

/* prune_dcache: free up to nr unused dentries from the LRU tail. */
static void prune_dcache(struct machine *m, long nr)
{
	struct dcache_state *d = ds(m);

	while (nr-- > 0 && d->nr_dentries > d->first_d) {
		struct dentry_rec r = d->dentries[d->first_d++];
		kmem_cache_free(m, d->cache_dentry, r.dentry);
		iput_unused(m, r.inode);
		d->pruned_dentries++;
	}
	if (d->first_d == d->nr_dentries)
		d->first_d = d->nr_dentries = 0;
}

static long shrink_dcache_memory(struct machine *m, long nr, gfp_t gfp)
{
	struct dcache_state *d = ds(m);

	if (nr) {
		if (!(gfp & __GFP_FS))
			return -1;
		prune_dcache(m, nr);
	}
	return vfs_pressure(m, d->nr_dentries - d->first_d);
}

static long shrink_icache_memory(struct machine *m, long nr, gfp_t gfp)
{
	struct dcache_state *d = ds(m);

	if (nr) {
		if (!(gfp & __GFP_FS))
			return -1;
		prune_icache(m, nr);
	}
	return vfs_pressure(m, d->nr_inodes - d->first_i);
}

void dcache_init(struct machine *m)
{
	struct dcache_state *d = xcalloc(1, sizeof *d);

	d->cache_dentry = d->cache_inode = -1;
	m->dcache = d;
	register_shrinker(m, "dcache", DEFAULT_SEEKS, shrink_dcache_memory);
	register_shrinker(m, "icache", DEFAULT_SEEKS, shrink_icache_memory);
}

void dcache_destroy(struct machine *m)
{
	struct dcache_state *d = ds(m);

	if (!d)
		return;
	free(d->dentries);
	free(d->inodes);
	free(d);
	m->dcache = NULL;
}

int kmem_dcache_walk(struct machine *m, unsigned long n, unsigned long *made)
{
	struct dcache_state *d = ds(m);
	unsigned long done = 0;

	if (made)
		*made = 0;
	if (dcache_caches(m))
		return -ENOMEM;
	if (TRACING(m))
		trace_enter(m, "d_alloc", "%lu names (dentry + inode each)", n);
	int rc = 0;
	for (; done < n; done++) {
		struct dentry_rec r;
		if (kmem_cache_alloc(m, d->cache_inode, GFP_KERNEL, -1, &r.inode)) {
			rc = -ENOMEM;
			break;
		}
		if (kmem_cache_alloc(m, d->cache_dentry, GFP_KERNEL, -1,
				     &r.dentry)) {
			kmem_cache_free(m, d->cache_inode, r.inode);
			rc = -ENOMEM;
			break;
		}
		if (d->nr_dentries == d->cap_d) {
			if (d->first_d) {
				for (size_t i = d->first_d; i < d->nr_dentries; i++)
					d->dentries[i - d->first_d] = d->dentries[i];
				d->nr_dentries -= d->first_d;
				d->first_d = 0;
			}
			if (d->nr_dentries == d->cap_d) {
				d->cap_d = d->cap_d ? d->cap_d * 2 : 256;
				d->dentries = xrealloc(d->dentries, d->cap_d *
						       sizeof *d->dentries);
			}
		}
		d->dentries[d->nr_dentries++] = r;   /* dput: unused, LRU head */
	}
	if (made)
		*made = done;
	if (TRACING(m))
		trace_exit(m, "%lu made%s", done, rc ? ", then out of memory" : "");
	if (rc)
		return set_error(m, rc, "dcache: out of memory after %lu of %lu "
				 "names", done, n);
	return 0;
}

void kmem_dcache_info(const struct machine *m, struct kmem_dcache_info *out)
{
	const struct dcache_state *d = m->dcache;

	out->nr_unused_dentries = d->nr_dentries - d->first_d;
	out->nr_unused_inodes = d->nr_inodes - d->first_i;
	out->pruned_dentries = d->pruned_dentries;
	out->pruned_inodes = d->pruned_inodes;
}

bool dcache_check(struct machine *m, char *report, size_t len)
{
	const struct dcache_state *d = m->dcache;

	if (d && (d->first_d > d->nr_dentries || d->first_i > d->nr_inodes)) {
		snprintf(report, len, "dcache: unused list bounds broken");
		return false;
	}
	return true;
}
