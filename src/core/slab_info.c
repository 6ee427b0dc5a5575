/*
 * slab_info.c - what SLAB shows: /proc/slabinfo (version 2.1, read and
 * write), the cache/slab/array queries behind `show cache`, `whatis` for
 * slab addresses, and SLAB's invariant checker (mm/slab.c, 2.6.20).
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "slab.h"

/* Totals over nodes, as /proc/slabinfo's s_show computes them. */
static void cache_totals(const struct machine *m, const struct kmem_cache *c,
			 struct kmem_cache_info *o)
{
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		const struct kmem_list3 *l3 = c->nodelists[nid];
		if (!l3)
			continue;
		o->slabs_full += l3->slabs_full.n;
		o->slabs_partial += l3->slabs_partial.n;
		o->slabs_free += l3->slabs_free.n;
		o->active_objs += l3->slabs_full.n * c->num;
		for (const struct slab *s = l3->slabs_partial.head; s; s = s->next)
			o->active_objs += s->inuse;
		if (l3->shared)
			o->shared_avail += l3->shared->avail;
	}
	o->active_slabs = o->slabs_full + o->slabs_partial;
	o->num_slabs = o->active_slabs + o->slabs_free;
	o->num_objs = o->num_slabs * c->num;
}

int slab_cache_info(const struct machine *m, int id,
			   struct kmem_cache_info *o)
{
	const struct kmem_cache *c = slab_cache(m, id);

	if (!c)
		return -EINVAL;
	memset(o, 0, sizeof *o);
	o->id = c->id;
	o->name = c->name;
	o->flags = c->flags & ~CFLGS_OFF_SLAB;
	o->object_size = c->object_size;
	o->buffer_size = c->buffer_size;
	o->align = c->align;
	o->num = c->num;
	o->gfporder = c->gfporder;
	o->gfpflags = c->gfpflags;
	o->off_slab = OFF_SLAB(c);
	o->slab_size = c->slab_size;
	o->colour = c->colour;
	o->colour_off = c->colour_off;
	o->limit = c->limit;
	o->batchcount = c->batchcount;
	o->shared = c->shared;
	o->general = c->general;
	o->has_ctor = c->ctor;
	cache_totals(m, c, o);
	if (c->nodelists[0]) {
		o->colour_next = c->nodelists[0]->colour_next;
		o->free_objects = c->nodelists[0]->free_objects;
		o->free_limit = c->nodelists[0]->free_limit;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* /proc/slabinfo                                                      */
/* ------------------------------------------------------------------ */

void slabinfo_show(struct machine *m, struct kbuf *b)
{
	kbuf_printf(b, "slabinfo - version: 2.1\n");
	kbuf_printf(b, "# name            <active_objs> <num_objs> <objsize> "
		    "<objperslab> <pagesperslab> : tunables <limit> <batchcount> "
		    "<sharedfactor> : slabdata <active_slabs> <num_slabs> "
		    "<sharedavail>\n");
	for (const struct kmem_cache *c = m->slab->chain; c; c = c->chain_next) {
		struct kmem_cache_info o;
		memset(&o, 0, sizeof o);
		cache_totals(m, c, &o);
		kbuf_printf(b, "%-17s %6lu %6lu %6zu %4u %4d : tunables %4u %4u %4u "
			    ": slabdata %6lu %6lu %6lu\n", c->name, o.active_objs,
			    o.num_objs, c->buffer_size, c->num, 1 << c->gfporder,
			    c->limit, c->batchcount, c->shared, o.active_slabs,
			    o.num_slabs, o.shared_avail);
	}
}

/* "NAME LIMIT BATCHCOUNT SHARED" retunes a cache (slabinfo_write). */
int slabinfo_write(struct machine *m, const char *text)
{
	char name[64];
	long limit, batch, shared;
	int n = 0;

	if (sscanf(text, "%63s %ld %ld %ld %n", name, &limit, &batch, &shared,
		   &n) != 4 || text[n])
		return set_error(m, -EINVAL, "/proc/slabinfo: write 'NAME LIMIT "
				 "BATCHCOUNT SHARED'");
	int id = slab_cache_lookup(m, name);
	if (id < 0)
		return set_error(m, -EINVAL, "/proc/slabinfo: no cache named '%s'",
				 name);
	struct kmem_cache *c = slab_cache(m, id);
	if (limit < 1 || batch < 1 || batch > limit || shared < 0 ||
	    limit > 4096 || shared > 64)
		return set_error(m, -EINVAL, "/proc/slabinfo: %s: rejected (the kernel "
				 "ignores limit < 1, batchcount < 1, batchcount > "
				 "limit or shared < 0)", name);
	if (TRACING(m))
		trace_enter(m, "do_tune_cpucache", "%s, limit %ld, batchcount %ld, "
			    "shared %ld", c->name, limit, batch, shared);
	do_tune_cpucache(m, c, (unsigned)limit, (unsigned)batch,
			 (unsigned)shared);
	if (TRACING(m))
		trace_exit(m, "done");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Queries for the views                                               */
/* ------------------------------------------------------------------ */

size_t kmem_cache_slabs(const struct machine *m, int id, int nid,
			struct kmem_slab_info *out, size_t max)
{
	const struct kmem_cache *c = m->slab ? slab_cache(m, id) : NULL;
	size_t n = 0;

	if (!c || nid < 0 || (unsigned)nid >= m->nr_nodes || !c->nodelists[nid])
		return 0;
	const struct kmem_list3 *l3 = c->nodelists[nid];
	const struct slab_list *lists[3] = { &l3->slabs_full, &l3->slabs_partial,
					     &l3->slabs_free };
	for (int l = 0; l < 3; l++)
		for (const struct slab *s = lists[l]->head; s; s = s->next) {
			if (n < max)
				out[n] = (struct kmem_slab_info){ s->pfn, s->s_mem,
					s->colouroff, s->inuse, s->free, l, s->nodeid };
			n++;
		}
	return n;
}

int kmem_slab_objmap(const struct machine *m, int id, unsigned long pfn,
		     char *map, size_t len)
{
	const struct kmem_cache *c = m->slab ? slab_cache(m, id) : NULL;
	struct kmem_cache *oc;
	struct slab *s;

	if (!c || !obj_lookup(m, pfn_to_kaddr(m, pfn), &oc, &s) || oc != c ||
	    s->pfn != pfn || len < c->num + 1)
		return -EINVAL;
	for (unsigned i = 0; i < c->num; i++)
		map[i] = s->state[i] == OBJ_ALLOCATED ? 'U' :
			 s->state[i] == OBJ_IN_ARRAY ? 'A' : '.';
	map[c->num] = '\0';
	return 0;
}

int kmem_cache_array(const struct machine *m, int id, int cpu, int nid,
		     struct kmem_array_info *info, kaddr_t *entries, size_t max)
{
	const struct kmem_cache *c = m->slab ? slab_cache(m, id) : NULL;
	const struct array_cache *ac;

	if (!c)
		return -EINVAL;
	if (cpu >= 0) {
		if ((unsigned)cpu >= m->cpus || !c->array[cpu])
			return -EINVAL;
		ac = c->array[cpu];
	} else {
		if (nid < 0 || (unsigned)nid >= m->nr_nodes || !c->nodelists[nid] ||
		    !c->nodelists[nid]->shared)
			return -EINVAL;
		ac = c->nodelists[nid]->shared;
	}
	info->avail = ac->avail;
	info->limit = ac->limit;
	info->batchcount = ac->batchcount;
	info->touched = ac->touched;
	for (unsigned i = 0; i < ac->avail && i < max; i++)
		entries[i] = ac->entry[i];
	return 0;
}

bool slab_whatis(struct machine *m, kaddr_t addr, struct kmem_whatis *o)
{
	struct kmem_cache *c;
	struct slab *s;

	if (!obj_lookup(m, addr, &c, &s))
		return false;
	o->cache_id = c->id;
	o->slab_pfn = s->pfn;
	o->obj_size = c->buffer_size;
	if (addr < s->s_mem || addr >= s->s_mem + (kaddr_t)c->num * c->buffer_size) {
		o->kind = KMEM_ADDR_SLAB_MGMT;
		snprintf(o->detail, sizeof o->detail, "%s",
			 addr < s->s_mem ? (OFF_SLAB(c) ? "colour area" :
			 "colour area / struct slab + bufctl") : "slab tail (unused)");
		return true;
	}
	o->kind = KMEM_ADDR_SLAB_OBJ;
	o->obj_index = obj_to_index(c, s, addr);
	o->obj_addr = index_to_obj(c, s, o->obj_index) + c->obj_offset;
	o->offset = (unsigned long)(addr - index_to_obj(c, s, o->obj_index));
	o->allocated = s->state[o->obj_index] == OBJ_ALLOCATED;
	o->in_array = s->state[o->obj_index] == OBJ_IN_ARRAY;
	return true;
}

/* ------------------------------------------------------------------ */
/* Invariant checker                                                   */
/* ------------------------------------------------------------------ */

#define SFAIL(...) do { snprintf(report, len, "slab: " __VA_ARGS__); \
	return false; } while (0)

static bool check_slab(const struct machine *m, const struct kmem_cache *c,
		       const struct slab *s, int list, char *report, size_t len)
{
	unsigned chain = 0;
	uint8_t seen[4096];

	if (c->num > sizeof seen)
		return true;
	memset(seen, 0, c->num);
	for (unsigned i = s->free; i != BUFCTL_END; i = s->bufctl[i]) {
		if (i >= c->num || seen[i])
			SFAIL("%s slab at pfn %#lx: bufctl chain broken at %u", c->name,
			      s->pfn, i);
		if (s->state[i] != OBJ_FREE)
			SFAIL("%s slab at pfn %#lx: object %u on the free chain but "
			      "marked in use", c->name, s->pfn, i);
		seen[i] = 1;
		chain++;
	}
	if (chain != c->num - s->inuse)
		SFAIL("%s slab at pfn %#lx: inuse %u but %u objects on the free chain",
		      c->name, s->pfn, s->inuse, chain);
	if ((list == 0) != (s->inuse == c->num) || (list == 2) != (s->inuse == 0))
		SFAIL("%s slab at pfn %#lx with inuse %u/%u is on the %s list",
		      c->name, s->pfn, s->inuse, c->num,
		      list == 0 ? "full" : list == 1 ? "partial" : "free");
	for (unsigned long i = 0; i < (1UL << c->gfporder); i++) {
		const struct page *p = pfn_to_page(m, s->pfn + i);
		if (!PageFlag(p, PG_slab) || p->lru_next != (uint32_t)c->id ||
		    p->lru_prev != s->id)
			SFAIL("%s slab at pfn %#lx: page %#lx lacks PG_slab or its "
			      "cache/slab links", c->name, s->pfn, s->pfn + i);
	}
	return true;
}

static unsigned count_in_arrays(const struct machine *m,
				const struct kmem_cache *c)
{
	unsigned n = 0;

	for (unsigned cpu = 0; cpu < m->cpus; cpu++)
		if (c->array[cpu])
			n += c->array[cpu]->avail;
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		const struct kmem_list3 *l3 = c->nodelists[nid];
		if (!l3)
			continue;
		if (l3->shared)
			n += l3->shared->avail;
		if (l3->alien)
			for (unsigned r = 0; r < m->nr_nodes; r++)
				if (l3->alien[r])
					n += l3->alien[r]->avail;
	}
	return n;
}

bool slab_check(const struct machine *m, char *report, size_t len)
{
	const struct slab_state *st = m->slab;

	for (const struct kmem_cache *c = st->chain; c; c = c->chain_next) {
		unsigned long in_array = 0, allocated = 0;
		for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
			const struct kmem_list3 *l3 = c->nodelists[nid];
			unsigned long free_objs = 0;
			if (!l3)
				continue;
			const struct slab_list *lists[3] = { &l3->slabs_full,
				&l3->slabs_partial, &l3->slabs_free };
			for (int l = 0; l < 3; l++) {
				unsigned long n = 0;
				for (const struct slab *s = lists[l]->head; s; s = s->next) {
					if (!check_slab(m, c, s, l, report, len))
						return false;
					if (l)
						free_objs += c->num - s->inuse;
					for (unsigned i = 0; i < c->num; i++) {
						in_array += s->state[i] == OBJ_IN_ARRAY;
						allocated += s->state[i] == OBJ_ALLOCATED;
					}
					n++;
				}
				if (n != lists[l]->n)
					SFAIL("%s node %u: list length %lu but counted %lu",
					      c->name, nid, lists[l]->n, n);
			}
			if (free_objs != l3->free_objects)
				SFAIL("%s node %u: free_objects %lu but the slabs hold %lu "
				      "free", c->name, nid, l3->free_objects, free_objs);
		}
		if (in_array != count_in_arrays(m, c))
			SFAIL("%s: %lu objects marked in arrays but the arrays hold %u",
			      c->name, in_array, count_in_arrays(m, c));
		if (allocated != c->active_handed)
			SFAIL("%s: %lu objects handed out but %lu recorded", c->name,
			      allocated, c->active_handed);
		for (unsigned cpu = 0; cpu < m->cpus; cpu++) {
			const struct array_cache *ac = c->array[cpu];
			if (ac && ac->avail > ac->limit)
				SFAIL("%s cpu %u: array avail %u > limit %u", c->name, cpu,
				      ac->avail, ac->limit);
		}
	}
	return true;
}
