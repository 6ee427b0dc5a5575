/*
 * slab.c - the SLAB object allocator of Linux 2.6.20 (mm/slab.c).
 *
 *   kmem_cache ─┬─ array[cpu]      per-CPU LIFO stacks of free objects
 *               └─ nodelists[nid]  kmem_list3: slabs_full / _partial / _free,
 *                                  the shared array, alien arrays (NUMA)
 *   slab: 2^gfporder pages; [colour][struct slab + bufctl[] if on-slab]
 *         [obj 0][obj 1]...; bufctl[] chains the free objects, BUFCTL_END
 *         ends it; every page has PG_slab, lru.next = cache, lru.prev = slab
 *
 *   kmalloc -> __find_general_cachep -> __cache_alloc -> ____cache_alloc
 *     hit: ac->entry[--avail]; miss: cache_alloc_refill (shared array,
 *     then partial/free slabs, else cache_grow -> kmem_getpages)
 *   kfree -> __cache_free: ac->entry[avail++]; full: cache_flusharray
 *     (into the shared array, else free_block); empty slabs beyond
 *     free_limit are destroyed
 *   cache_reap every 2 s per CPU (kmem_tick) drains arrays and free slabs
 *
 * The allocator's own metadata is allocated the way 2.6.20 allocates it:
 * cache descriptors from cache_cache ("kmem_cache"), array caches and
 * kmem_list3s with kmalloc_node, off-slab management from slabp_cache,
 * so /proc/slabinfo counts them where the kernel does.  Host structures
 * mirror each simulated object and record its address.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "slab.h"

/* ------------------------------------------------------------------ */
/* Lists of slabs                                                      */
/* ------------------------------------------------------------------ */

static void slist_del(struct slab_list *l, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		l->head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	else
		l->tail = s->prev;
	s->prev = s->next = NULL;
	l->n--;
}

static void slist_add_head(struct slab_list *l, struct slab *s)
{
	s->prev = NULL;
	s->next = l->head;
	if (l->head)
		l->head->prev = s;
	else
		l->tail = s;
	l->head = s;
	l->n++;
}

static void slist_add_tail(struct slab_list *l, struct slab *s)
{
	s->next = NULL;
	s->prev = l->tail;
	if (l->tail)
		l->tail->next = s;
	else
		l->head = s;
	l->tail = s;
	l->n++;
}

/* ------------------------------------------------------------------ */
/* Lookup                                                              */
/* ------------------------------------------------------------------ */

struct kmem_cache *slab_cache(const struct machine *m, int id)
{
	const struct slab_state *st = m->slab;

	if (!st || id < 0 || (size_t)id >= st->nr_caches)
		return NULL;
	return st->caches[id];
}

/* ------------------------------------------------------------------ */
/* Geometry: cache_estimate, calculate_slab_order                      */
/* ------------------------------------------------------------------ */

static void cache_estimate(const struct machine *m, unsigned order,
			   size_t size, size_t align, bool off_slab,
			   size_t *left_over, unsigned *num)
{
	size_t slab_bytes = PAGE_SIZE << order;
	size_t sslab = SIZEOF_SLAB(m);
	size_t nr, mgmt;

	if (off_slab) {
		mgmt = 0;
		nr = slab_bytes / size;
		if (nr > SLAB_LIMIT)
			nr = SLAB_LIMIT;
	} else {
		nr = (slab_bytes - sslab) / (size + sizeof(uint32_t));
		if (align_up(sslab + nr * sizeof(uint32_t), align) + nr * size >
		    slab_bytes)
			nr--;
		if (nr > SLAB_LIMIT)
			nr = SLAB_LIMIT;
		mgmt = align_up(sslab + nr * sizeof(uint32_t), align);
	}
	*num = (unsigned)nr;
	*left_over = slab_bytes - nr * size - mgmt;
}

static size_t calculate_slab_order(const struct machine *m,
				   struct kmem_cache *c, size_t size,
				   size_t align, unsigned flags)
{
	size_t left_over = 0;
	const struct slab_state *st = m->slab;

	for (unsigned order = 0; order <= MAX_GFP_ORDER; order++) {
		unsigned num;
		size_t remainder;

		cache_estimate(m, order, size, align, flags & CFLGS_OFF_SLAB,
			       &remainder, &num);
		if (!num)
			continue;
		if ((flags & CFLGS_OFF_SLAB) &&
		    num > (size - SIZEOF_SLAB(m)) / sizeof(uint32_t))
			break;          /* would recurse in cache_grow */
		c->num = num;
		c->gfporder = order;
		left_over = remainder;
		if (flags & SLAB_RECLAIM_ACCOUNT)
			break;
		if ((int)order >= st->slab_break_gfp_order)
			break;
		if (left_over * 8 <= (PAGE_SIZE << order))
			break;
	}
	return left_over;
}

/* enable_cpucache's limit by object size */
static unsigned cpucache_limit(size_t size)
{
	if (size > 131072)
		return 1;
	if (size > PAGE_SIZE)
		return 8;
	if (size > 1024)
		return 24;
	if (size > 256)
		return 54;
	return 120;
}

/* ------------------------------------------------------------------ */
/* Pages: kmem_getpages / kmem_freepages                               */
/* ------------------------------------------------------------------ */

static int kmem_getpages(struct machine *m, struct kmem_cache *c, gfp_t flags,
			 int nid, unsigned long *pfn)
{
	int rc;

	flags |= c->gfpflags;
	if (TRACING(m)) {
		char gb[96];
		kmem_gfp_format(flags, gb, sizeof gb);
		trace_enter(m, "kmem_getpages", "%s, %s, order %u, node %d",
			    c->name, gb, c->gfporder, nid);
	}
	rc = kmem_alloc_pages(m, nid, flags, c->gfporder, pfn);
	if (rc) {
		if (TRACING(m))
			trace_exit(m, "NULL");
		return rc;
	}
	unsigned long n = 1UL << c->gfporder;
	struct zone *z = page_zone(m, pfn_to_page(m, *pfn));
	__mod_zone_page_state(z, (c->flags & SLAB_RECLAIM_ACCOUNT) ?
			      NR_SLAB_RECLAIMABLE : NR_SLAB_UNRECLAIMABLE,
			      (long)n);
	for (unsigned long i = 0; i < n; i++)
		SetPageFlag(pfn_to_page(m, *pfn + i), PG_slab);
	if (TRACING(m))
		trace_exit(m, "pfn %#lx, %lu page%s, PG_slab set", *pfn, n,
			   n == 1 ? "" : "s");
	return 0;
}

static void kmem_freepages(struct machine *m, struct kmem_cache *c,
			   unsigned long pfn)
{
	unsigned long n = 1UL << c->gfporder;
	struct zone *z = page_zone(m, pfn_to_page(m, pfn));

	if (TRACING(m))
		trace_enter(m, "kmem_freepages", "%s, pfn %#lx, order %u", c->name,
			    pfn, c->gfporder);
	for (unsigned long i = 0; i < n; i++) {
		struct page *p = pfn_to_page(m, pfn + i);
		ClearPageFlag(p, PG_slab);
		p->lru_next = p->lru_prev = NIL;
	}
	__mod_zone_page_state(z, (c->flags & SLAB_RECLAIM_ACCOUNT) ?
			      NR_SLAB_RECLAIMABLE : NR_SLAB_UNRECLAIMABLE,
			      -(long)n);
	kmem_free_pages(m, pfn, c->gfporder);
	if (m->pf_memalloc && m->reclaim)  /* current->reclaim_state */
		reclaimed_slab_add(m, n);
	if (TRACING(m))
		trace_exit(m, "done");
}

/* ------------------------------------------------------------------ */
/* Objects within a slab                                               */
/* ------------------------------------------------------------------ */

static kaddr_t slab_get_obj(struct kmem_cache *c, struct slab *s)
{
	unsigned idx = s->free;
	kaddr_t obj = index_to_obj(c, s, idx);

	s->inuse++;
	s->free = s->bufctl[idx];
	s->bufctl[idx] = BUFCTL_ACTIVE;
	return obj;
}

static void slab_put_obj(struct kmem_cache *c, struct slab *s, kaddr_t obj)
{
	unsigned idx = obj_to_index(c, s, obj);

	s->bufctl[idx] = s->free;
	s->free = idx;
	s->inuse--;
	s->state[idx] = OBJ_FREE;
}

/* ------------------------------------------------------------------ */
/* Slab life: cache_grow, slab_destroy                                 */
/* ------------------------------------------------------------------ */

static uint32_t new_slab_id(struct slab_state *st)
{
	if (st->nr_free_ids)
		return st->free_ids[--st->nr_free_ids];
	if (st->nr_slabs == st->cap_slabs) {
		st->cap_slabs = st->cap_slabs ? st->cap_slabs * 2 : 256;
		st->slabs = xrealloc(st->slabs, st->cap_slabs * sizeof *st->slabs);
		st->free_ids = xrealloc(st->free_ids,
					st->cap_slabs * sizeof *st->free_ids);
	}
	return st->nr_slabs++;
}

static void put_slab_id(struct slab_state *st, uint32_t id)
{
	st->slabs[id] = NULL;
	st->free_ids[st->nr_free_ids++] = id;
}

static inline int cache_alloc_internal(struct machine *m, struct kmem_cache *c,
				       gfp_t flags, int nid, kaddr_t *out);
static void cache_free_internal(struct machine *m, struct kmem_cache *c,
				kaddr_t obj);

/*
 * cache_grow: one more slab for node nid, added at the tail of slabs_free.
 * Returns 1 if it grew, 0 if no memory (or __GFP_NO_GROW).
 */
static int cache_grow(struct machine *m, struct kmem_cache *c, gfp_t flags,
		      int nid)
{
	struct slab_state *st = m->slab;
	struct kmem_list3 *l3 = c->nodelists[nid];
	unsigned long pfn;
	kaddr_t mgmt = 0;

	if (flags & __GFP_NO_GROW)
		return 0;
	if (TRACING(m))
		trace_enter(m, "cache_grow", "%s, node %d", c->name, nid);
	unsigned offset = l3->colour_next;
	l3->colour_next++;
	if (l3->colour_next >= c->colour)
		l3->colour_next = 0;
	offset *= c->colour_off;

	if (kmem_getpages(m, c, flags, nid, &pfn)) {
		if (TRACING(m))
			trace_exit(m, "0: no pages");
		return 0;
	}
	/* alloc_slabmgmt */
	kaddr_t base = pfn_to_kaddr(m, pfn);
	if (OFF_SLAB(c)) {
		if (cache_alloc_internal(m, c->slabp_cache, flags & ~GFP_THISNODE_NUMA,
					 nid, &mgmt)) {
			kmem_freepages(m, c, pfn);
			if (TRACING(m))
				trace_exit(m, "0: no memory for the off-slab descriptor");
			return 0;
		}
	} else {
		mgmt = base + offset;
		offset += (unsigned)c->slab_size;
	}
	/* one host block: struct slab, state[num] (read on every kfree, so
	 * next to the header), then bufctl[num] */
	size_t state_bytes = align_up(c->num, sizeof(uint32_t));
	struct slab *s = xcalloc(1, sizeof *s + state_bytes +
				 c->num * sizeof(uint32_t));
	s->state = (uint8_t *)(s + 1);
	s->bufctl = (uint32_t *)(s->state + state_bytes);
	s->pfn = pfn;
	s->colouroff = offset;
	s->s_mem = base + offset;
	s->mgmt = mgmt;
	s->inuse = 0;
	s->nodeid = nid;
	s->id = new_slab_id(st);
	st->slabs[s->id] = s;
	/* slab_map_pages */
	for (unsigned long i = 0; i < (1UL << c->gfporder); i++) {
		struct page *p = pfn_to_page(m, pfn + i);
		p->lru_next = (uint32_t)c->id;
		p->lru_prev = s->id;
	}
	/* cache_init_objs */
	for (unsigned i = 0; i < c->num; i++)
		s->bufctl[i] = i + 1;
	s->bufctl[c->num - 1] = BUFCTL_END;
	s->free = 0;
	if (c->debug)
		debug_init_objs(m, c, s->s_mem);
	slist_add_tail(&l3->slabs_free, s);
	l3->free_objects += c->num;
	c->grown++;
	if (TRACING(m))
		trace_exit(m, "1: slab at pfn %#lx, colour offset %u, s_mem %#llx, "
			   "%u objects%s", pfn, s->colouroff - (OFF_SLAB(c) ? 0 :
			   (unsigned)c->slab_size), (unsigned long long)s->s_mem,
			   c->num, c->ctor ? ", ctor run on each" : "");
	return 1;
}

static void slab_destroy(struct machine *m, struct kmem_cache *c,
			 struct slab *s)
{
	if (TRACING(m))
		trace_enter(m, "slab_destroy", "%s, slab at pfn %#lx", c->name,
			    s->pfn);
	unsigned long pfn = s->pfn;
	kaddr_t mgmt = s->mgmt;
	put_slab_id(m->slab, s->id);
	free(s);
	kmem_freepages(m, c, pfn);
	if (OFF_SLAB(c))
		cache_free_internal(m, c->slabp_cache, mgmt);
	if (TRACING(m))
		trace_exit(m, "done");
}

/* ------------------------------------------------------------------ */
/* free_block, refill, flush                                           */
/* ------------------------------------------------------------------ */

/* free_block: objects go back to their slabs; slabs move between lists. */
static void free_block(struct machine *m, struct kmem_cache *c,
		       const kaddr_t *objs, unsigned n, int nid)
{
	struct kmem_list3 *l3 = c->nodelists[nid];

	if (TRACING(m))
		trace_enter(m, "free_block", "%s, %u object%s", c->name, n,
			    n == 1 ? "" : "s");
	for (unsigned i = 0; i < n; i++) {
		struct kmem_cache *oc;
		struct slab *s;

		if (!obj_lookup(m, objs[i], &oc, &s))
			continue;       /* cannot happen: checked on entry */
		struct kmem_list3 *sl3 = c->nodelists[s->nodeid];
		struct slab_list *from = s->inuse == c->num ? &sl3->slabs_full :
					 &sl3->slabs_partial;
		slist_del(from, s);
		slab_put_obj(c, s, objs[i]);
		sl3->free_objects++;
		if (s->inuse == 0) {
			if (sl3->free_objects > sl3->free_limit) {
				sl3->free_objects -= c->num;
				if (TRACING(m))
					trace_note(m, "slab at pfn %#lx empty and free_objects "
						   "%lu > free_limit %lu: destroy",
						   s->pfn, sl3->free_objects + c->num,
						   sl3->free_limit);
				slab_destroy(m, c, s);
			} else {
				slist_add_head(&sl3->slabs_free, s);
				if (TRACING(m))
					trace_note(m, "slab at pfn %#lx empty: head of slabs_free",
						   s->pfn);
			}
		} else {
			slist_add_tail(&sl3->slabs_partial, s);
		}
	}
	(void)l3;
	if (TRACING(m))
		trace_exit(m, "done");
}

/* Move up to max objects from the top of `from` to `to`. */
static unsigned transfer_objects(struct array_cache *to,
				 struct array_cache *from, unsigned max)
{
	unsigned nr = from->avail < max ? from->avail : max;

	if (to->limit - to->avail < nr)
		nr = to->limit - to->avail;
	if (!nr)
		return 0;
	memcpy(to->entry + to->avail, from->entry + from->avail - nr,
	       nr * sizeof(kaddr_t));
	from->avail -= nr;
	to->avail += nr;
	to->touched = 1;
	return nr;
}

static kaddr_t cache_alloc_refill(struct machine *m, struct kmem_cache *c,
				  gfp_t flags, bool *ok)
{
	unsigned cpu = m->cur_cpu;
	int nid = (int)m->cpu_node[cpu];
	struct array_cache *ac = c->array[cpu];
	struct kmem_list3 *l3 = c->nodelists[nid];

	if (TRACING(m))
		trace_enter(m, "cache_alloc_refill", "%s, cpu %u: array empty",
			    c->name, cpu);
retry:;
	int batchcount = (int)ac->batchcount;     /* signed: may end at -1 */
	if (!ac->touched && batchcount > BATCHREFILL_LIMIT)
		batchcount = BATCHREFILL_LIMIT;
	if (l3->shared && transfer_objects(ac, l3->shared, (unsigned)batchcount)) {
		if (TRACING(m))
			trace_note(m, "took %u object%s from the shared array", ac->avail,
				   ac->avail == 1 ? "" : "s");
		goto alloc_done;
	}
	while (batchcount > 0) {
		struct slab *s = l3->slabs_partial.head;
		struct slab_list *from = &l3->slabs_partial;
		if (!s) {
			l3->free_touched = 1;
			s = l3->slabs_free.head;
			from = &l3->slabs_free;
			if (!s)
				break;  /* must_grow */
		}
		unsigned got = 0;
		while (s->inuse < c->num && batchcount--) {
			kaddr_t obj = slab_get_obj(c, s);
			s->state[obj_to_index(c, s, obj)] = OBJ_IN_ARRAY;
			ac->entry[ac->avail++] = obj;
			got++;
		}
		slist_del(from, s);
		if (s->free == BUFCTL_END)
			slist_add_head(&l3->slabs_full, s);
		else
			slist_add_head(&l3->slabs_partial, s);
		if (TRACING(m))
			trace_note(m, "%u object%s from %s slab at pfn %#lx (inuse %u/%u)",
				   got, got == 1 ? "" : "s",
				   from == &l3->slabs_free ? "free" : "partial",
				   s->pfn, s->inuse, c->num);
	}
	l3->free_objects -= ac->avail;
alloc_done:
	if (!ac->avail) {
		int x = cache_grow(m, c, flags | GFP_THISNODE_NUMA_IF(m), nid);
		ac = c->array[cpu];
		if (!x && !ac->avail) {
			*ok = false;
			if (TRACING(m))
				trace_exit(m, "NULL: cannot grow");
			return 0;
		}
		if (!ac->avail)
			goto retry;
	}
	ac->touched = 1;
	kaddr_t obj = ac->entry[--ac->avail];
	*ok = true;
	if (TRACING(m))
		trace_exit(m, "%#llx (array now %u/%u)", (unsigned long long)obj,
			   ac->avail, ac->limit);
	return obj;
}

/* ____cache_alloc_node: straight from a node's lists (kmalloc_node to a
 * remote node). */
static kaddr_t cache_alloc_node(struct machine *m, struct kmem_cache *c,
				gfp_t flags, int nid, bool *ok)
{
	struct kmem_list3 *l3 = c->nodelists[nid];

	if (TRACING(m))
		trace_enter(m, "____cache_alloc_node", "%s, node %d", c->name, nid);
	for (;;) {
		struct slab *s = l3->slabs_partial.head;
		struct slab_list *from = &l3->slabs_partial;
		if (!s) {
			l3->free_touched = 1;
			s = l3->slabs_free.head;
			from = &l3->slabs_free;
		}
		if (s) {
			kaddr_t obj = slab_get_obj(c, s);
			l3->free_objects--;
			slist_del(from, s);
			if (s->free == BUFCTL_END)
				slist_add_head(&l3->slabs_full, s);
			else
				slist_add_head(&l3->slabs_partial, s);
			*ok = true;
			if (TRACING(m))
				trace_exit(m, "%#llx", (unsigned long long)obj);
			return obj;
		}
		if (!cache_grow(m, c, flags | GFP_THISNODE_NUMA, nid)) {
			*ok = false;
			if (TRACING(m))
				trace_exit(m, "NULL: cannot grow on node %d", nid);
			return 0;
		}
	}
}

/* What happens to an object on its way out: bookkeeping, debug checks,
 * __GFP_ZERO.  Returns the caller's address. */
static inline kaddr_t object_handed_out(struct machine *m, struct kmem_cache *c,
					kaddr_t buf, gfp_t flags)
{
	struct slab *s = buf_slab(m, buf);

	s->state[obj_to_index(c, s, buf)] = OBJ_ALLOCATED;
	c->active_handed++;
	if (unlikely(c->debug))
		debug_on_alloc(m, c, buf);
	if (unlikely(flags & __GFP_ZERO))
		physmem_fill(m, buf + c->obj_offset - m->page_offset, 0,
			     c->object_size);
	return buf + c->obj_offset;
}

/* The rest of __cache_alloc: a node other than ours, or an empty array. */
static __attribute__((noinline)) int cache_alloc_slow(struct machine *m,
		struct kmem_cache *c, gfp_t flags, int nid, kaddr_t *out)
{
	struct array_cache *ac = c->array[m->cur_cpu];
	kaddr_t obj;
	bool ok = true;

	if (nid >= 0 && nid != (int)m->cpu_node[m->cur_cpu] &&
	    c->nodelists[nid]) {
		obj = cache_alloc_node(m, c, flags, nid, &ok);
	} else if (ac->avail) {
		ac->touched = 1;
		obj = ac->entry[--ac->avail];
		if (TRACING(m))
			trace_note(m, "____cache_alloc(%s): cpu %u array hit, %#llx "
				   "(array now %u/%u)", c->name, m->cur_cpu,
				   (unsigned long long)obj, ac->avail, ac->limit);
	} else {
		obj = cache_alloc_refill(m, c, flags, &ok);
	}
	if (!ok)
		return set_error(m, -ENOMEM, "%s: out of memory", c->name);
	*out = object_handed_out(m, c, obj, flags);
	return 0;
}

/*
 * __cache_alloc for one cache: the CPU's array first (the allochit path
 * inline), everything else out of line.
 */
static inline int cache_alloc_internal(struct machine *m, struct kmem_cache *c,
				       gfp_t flags, int nid, kaddr_t *out)
{
	struct array_cache *ac = c->array[m->cur_cpu];

	if (likely(nid < 0 && ac->avail && !TRACING(m))) {
		ac->touched = 1;
		*out = object_handed_out(m, c, ac->entry[--ac->avail], flags);
		return 0;
	}
	return cache_alloc_slow(m, c, flags, nid, out);
}

/* cache_flusharray: make room in a full array, into the shared array if
 * it has room, else back to the slabs. */
static void cache_flusharray(struct machine *m, struct kmem_cache *c,
			     struct array_cache *ac)
{
	int nid = (int)m->cpu_node[m->cur_cpu];
	struct kmem_list3 *l3 = c->nodelists[nid];
	unsigned batchcount = ac->batchcount;

	if (TRACING(m))
		trace_enter(m, "cache_flusharray", "%s, cpu %u array full (%u)",
			    c->name, m->cur_cpu, ac->avail);
	if (l3->shared) {
		struct array_cache *shared = l3->shared;
		unsigned max = shared->limit - shared->avail;
		if (max) {
			if (batchcount > max)
				batchcount = max;
			memcpy(shared->entry + shared->avail, ac->entry,
			       batchcount * sizeof(kaddr_t));
			shared->avail += batchcount;
			if (TRACING(m))
				trace_note(m, "%u object%s from the bottom to the shared array "
					   "(%u/%u)", batchcount, batchcount == 1 ? "" : "s",
					   shared->avail, shared->limit);
			goto free_done;
		}
	}
	free_block(m, c, ac->entry, batchcount, nid);
free_done:
	ac->avail -= batchcount;
	memmove(ac->entry, ac->entry + batchcount, ac->avail * sizeof(kaddr_t));
	if (TRACING(m))
		trace_exit(m, "array now %u/%u", ac->avail, ac->limit);
}

/* Drain an alien array back to its home node (__drain_alien_cache). */
static void drain_alien(struct machine *m, struct kmem_cache *c,
			struct array_cache *ac, int node)
{
	struct kmem_list3 *rl3 = c->nodelists[node];

	if (!ac->avail)
		return;
	if (rl3->shared)
		transfer_objects(rl3->shared, ac, rl3->shared->limit);
	free_block(m, c, ac->entry, ac->avail, node);
	ac->avail = 0;
}

/* __cache_free's rare cases: debug checks, a remote object (alien
 * array), a full array (cache_flusharray), tracing. */
static __attribute__((noinline)) void cache_free_slow(struct machine *m,
						      const struct objref *r)
{
	struct kmem_cache *c = r->c;
	unsigned cpu = m->cur_cpu;
	struct array_cache *ac = c->array[cpu];
	int home = (int)m->cpu_node[cpu];

	if (unlikely(c->debug))
		debug_on_free(m, c, r->buf);
	r->s->state[r->idx] = OBJ_IN_ARRAY;
	c->active_handed--;
	if (r->s->nodeid != home && c->nodelists[home]->alien &&
	    c->nodelists[home]->alien[r->s->nodeid]) {
		int node = r->s->nodeid;
		struct array_cache *alien = c->nodelists[home]->alien[node];
		if (alien->avail == alien->limit)
			drain_alien(m, c, alien, node);
		alien->entry[alien->avail++] = r->buf;
		if (TRACING(m))
			trace_note(m, "__cache_free(%s): object of node %d to the "
				   "alien array (%u/%u)", c->name, node,
				   alien->avail, alien->limit);
		return;
	}
	if (ac->avail < ac->limit) {
		if (TRACING(m))
			trace_note(m, "__cache_free(%s): cpu %u array has room: push "
				   "(%u/%u)", c->name, cpu, ac->avail + 1, ac->limit);
	} else {
		cache_flusharray(m, c, ac);
	}
	ac->entry[ac->avail++] = r->buf;
}

/* __cache_free for an object already resolved (and validated): the
 * freehit path inline. */
static inline void __cache_free(struct machine *m, const struct objref *r)
{
	struct kmem_cache *c = r->c;
	struct array_cache *ac = c->array[m->cur_cpu];

	if (likely(!c->debug && ac->avail < ac->limit && !TRACING(m) &&
		   r->s->nodeid == (int)m->cpu_node[m->cur_cpu])) {
		r->s->state[r->idx] = OBJ_IN_ARRAY;
		c->active_handed--;
		ac->entry[ac->avail++] = r->buf;
		return;
	}
	cache_free_slow(m, r);
}

/* Free one of the allocator's own objects (known to be live). */
static void cache_free_internal(struct machine *m, struct kmem_cache *c,
				kaddr_t obj)
{
	struct objref r;

	if (obj_resolve(m, obj, &r) && r.c == c)
		__cache_free(m, &r);
}

/* ------------------------------------------------------------------ */
/* Metadata allocations (arrays, list3s) through kmalloc               */
/* ------------------------------------------------------------------ */

struct kmem_cache *find_general_cachep(const struct machine *m, size_t size,
				       gfp_t flags)
{
	const struct slab_state *st = m->slab;
	unsigned i;

	if (likely(size <= SIZE_TABLE_MAX)) {
		i = st->size_index[(size + 7) >> 3];
	} else {
		for (i = 0; i < st->nr_sizes && st->sizes[i].cs_size < size; i++)
			;
		if (i == st->nr_sizes)
			return NULL;
	}
	return (flags & __GFP_DMA) ? st->sizes[i].cs_dmacachep :
	       st->sizes[i].cs_cachep;
}

/* kmalloc_node for the allocator's own structures; during early boot a
 * structure may be "static" (address 0) when its cache does not exist. */
static kaddr_t meta_alloc(struct machine *m, size_t size, int nid)
{
	struct kmem_cache *c = find_general_cachep(m, size, 0);
	kaddr_t a = 0;

	if (!c || !c->array[m->cur_cpu])
		return 0;
	if (cache_alloc_internal(m, c, GFP_KERNEL, nid, &a))
		return 0;
	return a;
}

static void meta_free(struct machine *m, kaddr_t addr)
{
	struct objref r;

	if (addr && obj_resolve(m, addr, &r))
		__cache_free(m, &r);
}

static struct array_cache *alloc_arraycache(struct machine *m, int nid,
					    unsigned entries, unsigned batch)
{
	struct array_cache *ac = xcalloc(1, sizeof *ac);

	ac->entry = xcalloc(entries ? entries : 1, sizeof(kaddr_t));
	ac->limit = entries;
	ac->batchcount = batch;
	ac->addr = meta_alloc(m, SIZEOF_ARRAY_CACHE(m) +
			      entries * bytes_per_word(m), nid);
	return ac;
}

static void free_arraycache(struct machine *m, struct array_cache *ac)
{
	if (!ac)
		return;
	meta_free(m, ac->addr);
	free(ac->entry);
	free(ac);
}

static struct kmem_list3 *alloc_list3(struct machine *m, struct kmem_cache *c,
				      int nid)
{
	struct kmem_list3 *l3 = xcalloc(1, sizeof *l3);

	l3->addr = meta_alloc(m, SIZEOF_LIST3(m), nid);
	/* next_reap = now + 4 s + (cache address % 4 s) */
	l3->next_reap = m->jiffies + REAPTIMEOUT_LIST3 +
			(c->addr % REAPTIMEOUT_LIST3);
	l3->free_limit = 0;
	return l3;
}

/* ------------------------------------------------------------------ */
/* do_tune_cpucache and friends                                        */
/* ------------------------------------------------------------------ */

/* nr_cpus_node: CPUs online on a node (only the boot CPU during
 * kmem_cache_init; the rest come up afterwards). */
static unsigned cpus_on_node(const struct machine *m, int nid)
{
	unsigned n = 0;

	for (unsigned c = 0; c < m->slab->online_cpus; c++)
		n += (int)m->cpu_node[c] == nid;
	return n;
}

/* alloc_kmemlist: shared (and alien) arrays and free_limit per node. */
static void alloc_kmemlist(struct machine *m, struct kmem_cache *c)
{
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		struct array_cache **alien = NULL;
		if (m->numa && m->nr_nodes > 1) {
			alien = xcalloc(m->nr_nodes, sizeof *alien);
			unsigned lim = c->limit > 1 ? 12 : 1;
			for (unsigned r = 0; r < m->nr_nodes; r++)
				if (r != nid)
					alien[r] = alloc_arraycache(m, (int)nid, lim,
								    0xbaadf00d);
		}
		struct array_cache *shared = alloc_arraycache(m, (int)nid,
				c->shared * c->batchcount, 0xbaadf00d);
		struct kmem_list3 *l3 = c->nodelists[nid];
		if (l3) {
			if (l3->shared)
				free_block(m, c, l3->shared->entry, l3->shared->avail,
					   (int)nid);
			struct array_cache *old = l3->shared;
			l3->shared = shared;
			free_arraycache(m, old);
			if (!l3->alien) {
				l3->alien = alien;
				alien = NULL;
			}
			l3->free_limit = (1 + cpus_on_node(m, (int)nid)) *
					 c->batchcount + c->num;
		} else {
			l3 = alloc_list3(m, c, (int)nid);
			l3->shared = shared;
			l3->alien = alien;
			alien = NULL;
			l3->free_limit = (1 + cpus_on_node(m, (int)nid)) *
					 c->batchcount + c->num;
			c->nodelists[nid] = l3;
		}
		if (alien) {
			for (unsigned r = 0; r < m->nr_nodes; r++)
				free_arraycache(m, alien[r]);
			free(alien);
		}
	}
}

/*
 * do_tune_cpucache: new arrays for every online CPU, swapped in; the old
 * ones are emptied into the slabs and kfree'd; then the shared and alien
 * arrays (alloc_kmemlist).  Runs on the current CPU, so its allocations
 * come from that CPU's arrays.
 */
void do_tune_cpucache(struct machine *m, struct kmem_cache *c,
		      unsigned limit, unsigned batchcount, unsigned shared)
{
	struct array_cache *old[KMEM_MAX_CPUS];
	const unsigned online = m->slab->online_cpus;

	for (unsigned cpu = 0; cpu < online; cpu++)
		old[cpu] = alloc_arraycache(m, (int)m->cpu_node[cpu], limit,
					    batchcount);
	for (unsigned cpu = 0; cpu < online; cpu++) {
		struct array_cache *tmp = c->array[cpu];
		c->array[cpu] = old[cpu];
		old[cpu] = tmp;
	}
	c->batchcount = batchcount;
	c->limit = limit;
	c->shared = shared;
	for (unsigned cpu = 0; cpu < online; cpu++) {
		if (!old[cpu])
			continue;
		free_block(m, c, old[cpu]->entry, old[cpu]->avail,
			   (int)m->cpu_node[cpu]);
		free_arraycache(m, old[cpu]);
	}
	alloc_kmemlist(m, c);
}

static void enable_cpucache(struct machine *m, struct kmem_cache *c)
{
	unsigned limit = cpucache_limit(c->buffer_size);
	unsigned shared = 0;

	if (c->buffer_size <= PAGE_SIZE && m->smp)
		shared = 8;
	if (c->debug)
		limit = limit > 32 ? 32 : limit;
	do_tune_cpucache(m, c, limit, (limit + 1) / 2, shared);
}

/* ------------------------------------------------------------------ */
/* kmem_cache_create                                                   */
/* ------------------------------------------------------------------ */

static struct kmem_cache *new_cache(struct machine *m)
{
	struct slab_state *st = m->slab;
	struct kmem_cache *c = xcalloc(1, sizeof *c);

	if (st->nr_caches == st->cap_caches) {
		st->cap_caches = st->cap_caches ? st->cap_caches * 2 : 64;
		st->caches = xrealloc(st->caches, st->cap_caches * sizeof *st->caches);
	}
	c->id = (int)st->nr_caches;
	st->caches[st->nr_caches++] = c;
	return c;
}

static void chain_add_head(struct slab_state *st, struct kmem_cache *c)
{
	c->chain_prev = NULL;
	c->chain_next = st->chain;
	if (st->chain)
		st->chain->chain_prev = c;
	st->chain = c;
}

static void chain_del(struct slab_state *st, struct kmem_cache *c)
{
	if (c->chain_prev)
		c->chain_prev->chain_next = c->chain_next;
	else
		st->chain = c->chain_next;
	if (c->chain_next)
		c->chain_next->chain_prev = c->chain_prev;
	c->chain_prev = c->chain_next = NULL;
}

/*
 * setup_cpu_cache: while the allocator bootstraps, the first caches get
 * static arrays and list3s (address 0 here), later ones kmalloc'd ones;
 * once g_cpucache_up is FULL, enable_cpucache sizes them for real.  Only
 * the boot CPU is online during kmem_cache_init.
 */
static void setup_cpu_cache(struct machine *m, struct kmem_cache *c)
{
	struct slab_state *st = m->slab;
	struct array_cache *ac;

	if (st->g_cpucache_up == CPUCACHE_FULL) {
		enable_cpucache(m, c);
		return;
	}
	ac = xcalloc(1, sizeof *ac);
	ac->entry = xcalloc(BOOT_CPUCACHE_ENTRIES, sizeof(kaddr_t));
	if (st->g_cpucache_up == CPUCACHE_NONE) {
		/* initarray_generic and initkmem_list3[SIZE_AC] */
		for (unsigned nid = 0; nid < m->nr_nodes; nid++)
			c->nodelists[nid] = xcalloc(1, sizeof(struct kmem_list3));
		st->g_cpucache_up = st->index_ac == st->index_l3 ?
				    CPUCACHE_PARTIAL_L3 : CPUCACHE_PARTIAL_AC;
	} else {
		ac->addr = meta_alloc(m, SIZEOF_ARRAYCACHE_INIT(m), 0);
		if (st->g_cpucache_up == CPUCACHE_PARTIAL_AC) {
			for (unsigned nid = 0; nid < m->nr_nodes; nid++)
				c->nodelists[nid] = xcalloc(1, sizeof(struct kmem_list3));
			st->g_cpucache_up = CPUCACHE_PARTIAL_L3;
		} else {
			for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
				struct kmem_list3 *l3 = xcalloc(1, sizeof *l3);
				l3->addr = meta_alloc(m, SIZEOF_LIST3(m), (int)nid);
				c->nodelists[nid] = l3;
			}
		}
	}
	c->array[0] = ac;
	c->nodelists[m->cpu_node[0]]->next_reap = m->jiffies + REAPTIMEOUT_LIST3 +
		(c->addr % REAPTIMEOUT_LIST3);
	ac->limit = BOOT_CPUCACHE_ENTRIES;
	ac->batchcount = 1;
	c->batchcount = 1;
	c->limit = BOOT_CPUCACHE_ENTRIES;
}

int slab_cache_create(struct machine *m, const char *name, size_t size,
		      size_t align, unsigned flags, bool ctor, int *id)
{
	struct slab_state *st = m->slab;
	const size_t word = bytes_per_word(m);
	size_t ralign, left_over;
	unsigned valid = SLAB_HWCACHE_ALIGN | SLAB_MUST_HWCACHE_ALIGN |
			 SLAB_CACHE_DMA | SLAB_RECLAIM_ACCOUNT | SLAB_PANIC |
			 SLAB_DESTROY_BY_RCU | SLAB_MEM_SPREAD | SLAB_RED_ZONE |
			 SLAB_POISON | SLAB_STORE_USER | SLAB_DEBUG_FREE |
			 SLAB_DEBUG_INITIAL;

	if (size < word || size > (PAGE_SIZE << MAX_GFP_ORDER))
		return set_error(m, -EINVAL, "kmem_cache_create: size %zu is out of "
				 "range [%zu, %lu] (BUG in 2.6.20)", size, word,
				 PAGE_SIZE << MAX_GFP_ORDER);
	if (flags & ~valid)
		return set_error(m, -EINVAL, "kmem_cache_create: unknown flags 0x%x",
				 flags & ~valid);
	if ((flags & SLAB_DESTROY_BY_RCU) && (flags & SLAB_POISON))
		return set_error(m, -EINVAL, "kmem_cache_create: SLAB_DESTROY_BY_RCU "
				 "with SLAB_POISON (BUG in 2.6.20)");
	if (TRACING(m))
		trace_enter(m, "kmem_cache_create", "\"%s\", size %zu, align %zu",
			    name, size, align);

	size_t object_size = size;
	size = align_up(size, word);
	if (flags & SLAB_HWCACHE_ALIGN) {
		ralign = cache_line_size(m);
		while (size <= ralign / 2)
			ralign /= 2;
	} else {
		ralign = word;
	}
	if (flags & (SLAB_RED_ZONE | SLAB_STORE_USER))
		ralign = word;
	if (ralign < align) {
		ralign = align;
		if (ralign > word)
			flags &= ~(SLAB_RED_ZONE | SLAB_STORE_USER);
	}
	align = ralign;

	struct kmem_cache *c = new_cache(m);
	snprintf(c->name, sizeof c->name, "%s", name);
	c->object_size = object_size;
	/* the descriptor is an object of cache_cache */
	if (st->cache_cache && st->cache_cache != c) {
		if (cache_alloc_internal(m, st->cache_cache, GFP_KERNEL, -1, &c->addr)) {
			st->caches[--st->nr_caches] = NULL;
			free(c);
			if (TRACING(m))
				trace_exit(m, "NULL");
			return set_error(m, -ENOMEM, "kmem_cache_create: no memory for "
					 "the cache descriptor");
		}
		physmem_fill(m, c->addr - m->page_offset, 0, SIZEOF_KMEM_CACHE(m));
	}
	/* debug layout (CONFIG_DEBUG_SLAB for this cache) */
	c->obj_offset = 0;
	if (flags & (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER))
		c->debug = true;
	if (flags & SLAB_RED_ZONE) {
		c->obj_offset += word;
		size += 2 * word;
	}
	if (flags & SLAB_STORE_USER)
		size += word;
	if (size >= (PAGE_SIZE >> 3) && !st->early_init)
		flags |= CFLGS_OFF_SLAB;
	size = align_up(size, align);
	left_over = calculate_slab_order(m, c, size, align, flags);
	if (!c->num) {
		st->caches[--st->nr_caches] = NULL;
		if (c->addr)
			cache_free_internal(m, st->cache_cache, c->addr);
		free(c);
		if (TRACING(m))
			trace_exit(m, "NULL");
		return set_error(m, -EINVAL, "kmem_cache_create: couldn't create "
				 "cache %s", name);
	}
	size_t slab_size = align_up(c->num * sizeof(uint32_t) + SIZEOF_SLAB(m),
				    align);
	if ((flags & CFLGS_OFF_SLAB) && left_over >= slab_size) {
		flags &= ~CFLGS_OFF_SLAB;
		left_over -= slab_size;
	}
	if (flags & CFLGS_OFF_SLAB)
		slab_size = c->num * sizeof(uint32_t) + SIZEOF_SLAB(m);
	c->colour_off = cache_line_size(m);
	if (c->colour_off < align)
		c->colour_off = (unsigned)align;
	c->colour = (unsigned)(left_over / c->colour_off);
	c->slab_size = slab_size;
	c->flags = flags;
	c->gfpflags = (flags & SLAB_CACHE_DMA) ? GFP_DMA : 0;
	c->buffer_size = size;
	c->reciprocal_buffer_size = reciprocal_value((uint32_t)size);
	c->align = align;
	c->ctor = ctor;
	if (flags & CFLGS_OFF_SLAB)
		c->slabp_cache = find_general_cachep(m, slab_size, 0);
	setup_cpu_cache(m, c);
	chain_add_head(st, c);
	*id = c->id;
	if (TRACING(m))
		trace_exit(m, "%s: %zu-byte objects, %u per %u-page slab, %s, "
			   "colour %u x %u", c->name, c->buffer_size, c->num,
			   1u << c->gfporder, OFF_SLAB(c) ? "off-slab" : "on-slab",
			   c->colour, c->colour_off);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Bootstrap: kmem_cache_init, CPU bring-up, reap timers               */
/* ------------------------------------------------------------------ */

/* kmalloc_sizes.h for this arch's L1_CACHE_BYTES */
static void init_sizes(struct machine *m, struct slab_state *st)
{
	const unsigned l1 = cache_line_size(m);
	size_t n = 0;

	st->sizes[n++].cs_size = 32;
	st->sizes[n++].cs_size = 64;
	if (l1 < 64)
		st->sizes[n++].cs_size = 96;
	st->sizes[n++].cs_size = 128;
	if (l1 < 128)
		st->sizes[n++].cs_size = 192;
	for (size_t sz = 256; sz <= 131072; sz <<= 1)
		st->sizes[n++].cs_size = sz;
	st->nr_sizes = (unsigned)n;
	/* __find_general_cachep's walk, precomputed for small sizes */
	for (size_t q = 0; q <= SIZE_TABLE_MAX >> 3; q++) {
		unsigned i = 0;
		while (st->sizes[i].cs_size < (q << 3))
			i++;
		st->size_index[q] = (uint8_t)i;
	}
}

static unsigned size_index(const struct slab_state *st, size_t size)
{
	unsigned i = 0;

	while (i < st->nr_sizes && st->sizes[i].cs_size < size)
		i++;
	return i;
}

static struct kmem_cache *create_general(struct machine *m, unsigned i,
					 bool dma)
{
	char name[24];
	int id;

	snprintf(name, sizeof name, "size-%zu%s", m->slab->sizes[i].cs_size,
		 dma ? "(DMA)" : "");
	if (slab_cache_create(m, name, m->slab->sizes[i].cs_size, 0,
			      SLAB_HWCACHE_ALIGN | SLAB_PANIC |
			      (dma ? SLAB_CACHE_DMA : 0), false, &id))
		return NULL;
	slab_cache(m, id)->general = true;
	return slab_cache(m, id);
}

/* init_list: a static bootstrap list3 becomes a kmalloc_node'd copy. */
static void init_list(struct machine *m, struct kmem_cache *c, int nid)
{
	struct kmem_list3 *l3 = c->nodelists[nid];

	l3->addr = meta_alloc(m, SIZEOF_LIST3(m), nid);
}

/* cpuup_callback(CPU_UP_PREPARE): a secondary CPU gets its arrays. */
static void cpuup_prepare(struct machine *m, unsigned cpu)
{
	struct slab_state *st = m->slab;
	int nid = (int)m->cpu_node[cpu];

	for (struct kmem_cache *c = st->chain; c; c = c->chain_next)
		c->nodelists[nid]->free_limit =
			(1 + cpus_on_node(m, nid)) * c->batchcount + c->num;
	for (struct kmem_cache *c = st->chain; c; c = c->chain_next) {
		struct array_cache *nc = alloc_arraycache(m, nid, c->limit,
							  c->batchcount);
		struct array_cache *shared = NULL;
		if (c->shared)
			shared = alloc_arraycache(m, nid, c->shared * c->batchcount,
						  0xbaadf00d);
		c->array[cpu] = nc;
		struct kmem_list3 *l3 = c->nodelists[nid];
		if (!l3->shared) {
			l3->shared = shared;
			shared = NULL;
		}
		free_arraycache(m, shared);
	}
	st->online_cpus = cpu + 1;
}

static void slab_init(struct machine *m)
{
	struct slab_state *st = xcalloc(1, sizeof *st);

	m->slab = st;
	st->online_cpus = 1;
	st->slab_break_gfp_order = m->num_physpages > ((32UL << 20) >> PAGE_SHIFT);
	st->early_init = true;
	init_sizes(m, st);
	st->index_ac = size_index(st, SIZEOF_ARRAYCACHE_INIT(m));
	st->index_l3 = size_index(st, SIZEOF_LIST3(m));

	/* cache_cache: static, placed by hand */
	struct kmem_cache *cc = new_cache(m);
	size_t left_over = 0;
	snprintf(cc->name, sizeof cc->name, "kmem_cache");
	cc->addr = kernel_static_addr(m, 0x2000);
	cc->object_size = SIZEOF_KMEM_CACHE(m);
	cc->buffer_size = align_up(SIZEOF_KMEM_CACHE(m), cache_line_size(m));
	cc->reciprocal_buffer_size = reciprocal_value((uint32_t)cc->buffer_size);
	cc->align = cache_line_size(m);
	cc->colour_off = cache_line_size(m);
	for (unsigned order = 0; order < MAX_ORDER; order++) {
		cache_estimate(m, order, cc->buffer_size, cache_line_size(m), false,
			       &left_over, &cc->num);
		if (cc->num) {
			cc->gfporder = order;
			break;
		}
	}
	cc->colour = (unsigned)(left_over / cc->colour_off);
	cc->slab_size = align_up(cc->num * sizeof(uint32_t) + SIZEOF_SLAB(m),
				 cache_line_size(m));
	cc->batchcount = 1;
	cc->limit = BOOT_CPUCACHE_ENTRIES;
	cc->shared = 1;
	struct array_cache *ac = xcalloc(1, sizeof *ac);
	ac->entry = xcalloc(BOOT_CPUCACHE_ENTRIES, sizeof(kaddr_t));
	ac->limit = BOOT_CPUCACHE_ENTRIES;
	ac->batchcount = 1;
	cc->array[0] = ac;
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		cc->nodelists[nid] = xcalloc(1, sizeof(struct kmem_list3));
	chain_add_head(st, cc);
	st->cache_cache = cc;

	/* the caches kmalloc needs for its own arrays and lists, then all */
	st->sizes[st->index_ac].cs_cachep = create_general(m, st->index_ac, false);
	if (st->index_l3 != st->index_ac)
		st->sizes[st->index_l3].cs_cachep =
			create_general(m, st->index_l3, false);
	st->early_init = false;
	for (unsigned i = 0; i < st->nr_sizes; i++) {
		if (!st->sizes[i].cs_cachep)
			st->sizes[i].cs_cachep = create_general(m, i, false);
		st->sizes[i].cs_dmacachep = create_general(m, i, true);
	}
	/* replace the bootstrap head arrays and list3s */
	cc->array[0]->addr = meta_alloc(m, SIZEOF_ARRAYCACHE_INIT(m), 0);
	st->sizes[st->index_ac].cs_cachep->array[0]->addr =
		meta_alloc(m, SIZEOF_ARRAYCACHE_INIT(m), 0);
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		init_list(m, cc, (int)nid);
		init_list(m, st->sizes[st->index_ac].cs_cachep, (int)nid);
		if (st->index_l3 != st->index_ac)
			init_list(m, st->sizes[st->index_l3].cs_cachep, (int)nid);
	}
	for (struct kmem_cache *c = st->chain; c; c = c->chain_next)
		enable_cpucache(m, c);
	st->g_cpucache_up = CPUCACHE_FULL;

	/* smp_init: the other CPUs come up */
	for (unsigned cpu = 1; cpu < m->cpus; cpu++)
		cpuup_prepare(m, cpu);
	/* cpucache_init: each CPU's reap work first fires about 1 s later */
	for (unsigned cpu = 0; cpu < m->cpus; cpu++)
		st->next_reap_cpu[cpu] = m->jiffies + KMEM_HZ + 3 * cpu;
}

static void free_cache_host(struct machine *m, struct kmem_cache *c)
{
	for (unsigned cpu = 0; cpu < KMEM_MAX_CPUS; cpu++)
		if (c->array[cpu]) {
			free(c->array[cpu]->entry);
			free(c->array[cpu]);
		}
	for (unsigned nid = 0; nid < KMEM_MAX_NODES; nid++) {
		struct kmem_list3 *l3 = c->nodelists[nid];
		if (!l3)
			continue;
		if (l3->shared) {
			free(l3->shared->entry);
			free(l3->shared);
		}
		if (l3->alien) {
			for (unsigned r = 0; r < m->nr_nodes; r++)
				if (l3->alien[r]) {
					free(l3->alien[r]->entry);
					free(l3->alien[r]);
				}
			free(l3->alien);
		}
		free(l3);
	}
	free(c);
}

static void slab_destroy_all(struct machine *m)
{
	struct slab_state *st = m->slab;

	if (!st)
		return;
	for (size_t i = 0; i < st->nr_caches; i++)
		if (st->caches[i])
			free_cache_host(m, st->caches[i]);
	for (uint32_t i = 0; i < st->nr_slabs; i++)
		free(st->slabs[i]);
	free(st->slabs);
	free(st->free_ids);
	free(st->caches);
	free(st);
	m->slab = NULL;
}

/* drain_array: give back part of an array (all, with force). */
static void drain_array(struct machine *m, struct kmem_cache *c,
			struct array_cache *ac, bool force, int nid)
{
	if (!ac || !ac->avail)
		return;
	if (ac->touched && !force) {
		ac->touched = 0;
		return;
	}
	unsigned tofree = force ? ac->avail : (ac->limit + 4) / 5;
	if (tofree > ac->avail)
		tofree = (ac->avail + 1) / 2;
	free_block(m, c, ac->entry, tofree, nid);
	ac->avail -= tofree;
	memmove(ac->entry, ac->entry + tofree, ac->avail * sizeof(kaddr_t));
}

/* drain_freelist: destroy up to tofree slabs from the tail of slabs_free. */
static unsigned drain_freelist(struct machine *m, struct kmem_cache *c,
			       struct kmem_list3 *l3, unsigned long tofree)
{
	unsigned nr = 0;

	while (nr < tofree && l3->slabs_free.tail) {
		struct slab *s = l3->slabs_free.tail;
		slist_del(&l3->slabs_free, s);
		l3->free_objects -= c->num;
		slab_destroy(m, c, s);
		nr++;
	}
	return nr;
}

/* cache_reap for one CPU. */
static void cache_reap(struct machine *m, unsigned cpu)
{
	struct slab_state *st = m->slab;
	int nid = (int)m->cpu_node[cpu];
	unsigned saved = m->cur_cpu;

	m->cur_cpu = cpu;
	if (TRACING(m))
		trace_enter(m, "cache_reap", "cpu %u at jiffies %llu", cpu,
			    (unsigned long long)m->jiffies);
	for (struct kmem_cache *c = st->chain; c; c = c->chain_next) {
		struct kmem_list3 *l3 = c->nodelists[nid];
		if (l3->alien)
			for (unsigned r = 0; r < m->nr_nodes; r++)
				if (l3->alien[r] && l3->alien[r]->avail)
					drain_alien(m, c, l3->alien[r], (int)r);
		drain_array(m, c, c->array[cpu], false, nid);
		if (l3->next_reap > m->jiffies)
			continue;
		l3->next_reap = m->jiffies + REAPTIMEOUT_LIST3;
		drain_array(m, c, l3->shared, false, nid);
		if (l3->free_touched) {
			l3->free_touched = 0;
		} else {
			unsigned long tofree = (l3->free_limit + 5 * c->num - 1) /
					       (5 * c->num);
			unsigned n = drain_freelist(m, c, l3, tofree);
			if (n && TRACING(m))
				trace_note(m, "%s: %u free slab%s destroyed", c->name, n,
					   n == 1 ? "" : "s");
		}
	}
	if (TRACING(m))
		trace_exit(m, "done");
	m->cur_cpu = saved;
}

/* Run every reap that fell due between prev and now, in time order. */
static void slab_tick(struct machine *m, uint64_t prev)
{
	struct slab_state *st = m->slab;
	uint64_t now = m->jiffies;

	(void)prev;
	for (;;) {
		unsigned first = 0;
		for (unsigned cpu = 1; cpu < m->cpus; cpu++)
			if (st->next_reap_cpu[cpu] < st->next_reap_cpu[first])
				first = cpu;
		if (st->next_reap_cpu[first] > now)
			break;
		m->jiffies = st->next_reap_cpu[first];
		cache_reap(m, first);
		st->next_reap_cpu[first] += REAPTIMEOUT_CPUC;
	}
	m->jiffies = now;
}

/* ------------------------------------------------------------------ */
/* The allocator's public operations                                   */
/* ------------------------------------------------------------------ */

static const char *live_problem(const struct machine *m,
				struct kmem_cache *want, kaddr_t addr,
				struct objref *r, char *buf, size_t len);

/* Validate that addr is an object a caller holds, of cache `want` if
 * given; fills r.  Returns the message (NULL if fine). */
static inline const char *check_live(const struct machine *m,
				     struct kmem_cache *want,
				     kaddr_t addr, struct objref *r, char *buf,
				     size_t len)
{
	if (likely(obj_resolve(m, addr, r) && !want &&
		   r->s->state[r->idx] == OBJ_ALLOCATED))
		return NULL;
	return live_problem(m, want, addr, r, buf, len);
}

/* Why addr is not a live object (of cache want); NULL if it is. */
static __attribute__((noinline)) const char *live_problem(
	const struct machine *m, struct kmem_cache *want, kaddr_t addr,
	struct objref *r, char *buf, size_t len)
{
	if (!obj_resolve(m, addr, r)) {
		unsigned long pfn;
		struct slab *s;
		if (obj_lookup(m, addr, &r->c, &s))
			snprintf(buf, len, "%#llx is inside a %s slab but not the start "
				 "of an object", (unsigned long long)addr, r->c->name);
		else if (kaddr_to_pfn(m, addr, &pfn))
			snprintf(buf, len, "%#llx is not in a slab page",
				 (unsigned long long)addr);
		else
			snprintf(buf, len, "%#llx is not a kernel direct-map address",
				 (unsigned long long)addr);
		return buf;
	}
	if (want && want != r->c) {
		snprintf(buf, len, "%#llx belongs to cache %s, not %s",
			 (unsigned long long)addr, r->c->name, want->name);
		return buf;
	}
	if (r->s->state[r->idx] != OBJ_ALLOCATED) {
		snprintf(buf, len, "%#llx (%s object %u) is already free: double free",
			 (unsigned long long)addr, r->c->name, r->idx);
		return buf;
	}
	return NULL;
}

static int slab_kmalloc(struct machine *m, size_t size, gfp_t gfp, int nid,
			kaddr_t *out)
{
	if (likely(!TRACING(m) && !(gfp & __GFP_HIGHMEM))) {
		struct kmem_cache *c = find_general_cachep(m, size, gfp);
		if (likely(c != NULL))
			return cache_alloc_internal(m, c, gfp, nid, out);
	}
	if (gfp & __GFP_HIGHMEM)
		return set_error(m, -EINVAL, "kmalloc: __GFP_HIGHMEM is not allowed "
				 "(BUG in cache_grow)");
	if (TRACING(m))
		trace_enter(m, nid < 0 ? "kmalloc" : "kmalloc_node", "size %zu%s",
			    size, gfp & __GFP_ZERO ? ", zeroed" : "");
	struct kmem_cache *c = find_general_cachep(m, size, gfp);
	if (!c) {
		if (TRACING(m))
			trace_exit(m, "NULL: above the largest general cache");
		return set_error(m, -ENOMEM, "kmalloc: %zu bytes is above the largest "
				 "general cache (size-131072): NULL", size);
	}
	if (TRACING(m))
		trace_note(m, "__find_general_cachep(%zu) = %s", size, c->name);
	int rc = cache_alloc_internal(m, c, gfp, nid, out);
	if (TRACING(m)) {
		if (rc)
			trace_exit(m, "NULL");
		else
			trace_exit(m, "%#llx", (unsigned long long)*out);
	}
	return rc;
}

static int slab_kfree(struct machine *m, kaddr_t addr)
{
	char buf[160];
	struct objref r;
	const char *why = check_live(m, NULL, addr, &r, buf, sizeof buf);

	if (unlikely(why != NULL))
		return set_error(m, -EINVAL, "kfree: %s", why);
	if (TRACING(m))
		trace_enter(m, "kfree", "%#llx (%s)", (unsigned long long)addr,
			    r.c->name);
	__cache_free(m, &r);
	if (TRACING(m))
		trace_exit(m, "done");
	return 0;
}

static int slab_ksize(struct machine *m, kaddr_t addr, size_t *size)
{
	char buf[160];
	struct objref r;
	const char *why = check_live(m, NULL, addr, &r, buf, sizeof buf);

	if (why)
		return set_error(m, -EINVAL, "ksize: %s", why);
	*size = r.c->debug ? r.c->object_size : r.c->buffer_size;
	return 0;
}

static int slab_cache_alloc(struct machine *m, int id, gfp_t gfp, int nid,
			    kaddr_t *out)
{
	struct kmem_cache *c = slab_cache(m, id);

	if (!c)
		return set_error(m, -EINVAL, "kmem_cache_alloc: no cache with id %d",
				 id);
	if (gfp & __GFP_HIGHMEM)
		return set_error(m, -EINVAL, "kmem_cache_alloc: __GFP_HIGHMEM is not "
				 "allowed (BUG in cache_grow)");
	if (TRACING(m))
		trace_enter(m, "kmem_cache_alloc", "%s", c->name);
	int rc = cache_alloc_internal(m, c, gfp, nid, out);
	if (TRACING(m)) {
		if (rc)
			trace_exit(m, "NULL");
		else
			trace_exit(m, "%#llx", (unsigned long long)*out);
	}
	return rc;
}

static int slab_cache_free(struct machine *m, int id, kaddr_t obj)
{
	struct kmem_cache *c = slab_cache(m, id);
	struct objref r;
	char buf[160];

	if (!c)
		return set_error(m, -EINVAL, "kmem_cache_free: no cache with id %d",
				 id);
	const char *why = check_live(m, c, obj, &r, buf, sizeof buf);
	if (why)
		return set_error(m, -EINVAL, "kmem_cache_free: %s", why);
	if (TRACING(m))
		trace_enter(m, "kmem_cache_free", "%s, %#llx", c->name,
			    (unsigned long long)obj);
	__cache_free(m, &r);
	if (TRACING(m))
		trace_exit(m, "done");
	return 0;
}

/* __cache_shrink: drain every array, destroy every free slab. */
static int cache_shrink(struct machine *m, struct kmem_cache *c)
{
	for (unsigned cpu = 0; cpu < m->cpus; cpu++) {
		struct array_cache *ac = c->array[cpu];
		if (!ac)
			continue;
		free_block(m, c, ac->entry, ac->avail, (int)m->cpu_node[cpu]);
		ac->avail = 0;
	}
	int busy = 0;
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		struct kmem_list3 *l3 = c->nodelists[nid];
		if (!l3)
			continue;
		if (l3->alien)
			for (unsigned r = 0; r < m->nr_nodes; r++)
				if (l3->alien[r])
					drain_alien(m, c, l3->alien[r], (int)r);
		drain_array(m, c, l3->shared, true, (int)nid);
		drain_freelist(m, c, l3, l3->slabs_free.n);
		busy |= l3->slabs_full.n || l3->slabs_partial.n;
	}
	return busy;
}

static int slab_cache_shrink(struct machine *m, int id)
{
	struct kmem_cache *c = slab_cache(m, id);

	if (!c)
		return set_error(m, -EINVAL, "kmem_cache_shrink: no cache with id %d",
				 id);
	if (TRACING(m))
		trace_enter(m, "kmem_cache_shrink", "%s", c->name);
	int busy = cache_shrink(m, c);
	if (TRACING(m))
		trace_exit(m, "%d", busy);
	return busy;
}

static int slab_cache_destroy(struct machine *m, int id)
{
	struct slab_state *st = m->slab;
	struct kmem_cache *c = slab_cache(m, id);

	if (!c)
		return set_error(m, -EINVAL, "kmem_cache_destroy: no cache with id %d",
				 id);
	if (c->general || c == st->cache_cache)
		return set_error(m, -EPERM, "kmem_cache_destroy: %s is a boot-time "
				 "cache the kernel never destroys", c->name);
	if (c->active_handed)
		return set_error(m, -EBUSY, "slab error in kmem_cache_destroy(): "
				 "cache `%s': Can't free all objects (%lu live)",
				 c->name, c->active_handed);
	for (size_t i = 0; i < st->nr_caches; i++) {
		struct kmem_cache *o = st->caches[i];
		if (o && o != c && o->slabp_cache == c)
			return set_error(m, -EBUSY, "kmem_cache_destroy: %s holds "
					 "the off-slab descriptors of %s", c->name,
					 o->name);
	}
	if (TRACING(m))
		trace_enter(m, "kmem_cache_destroy", "%s", c->name);
	chain_del(st, c);
	cache_shrink(m, c);
	for (unsigned cpu = 0; cpu < m->cpus; cpu++) {
		free_arraycache(m, c->array[cpu]);
		c->array[cpu] = NULL;
	}
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		struct kmem_list3 *l3 = c->nodelists[nid];
		if (!l3)
			continue;
		free_arraycache(m, l3->shared);
		l3->shared = NULL;
		if (l3->alien) {
			for (unsigned r = 0; r < m->nr_nodes; r++)
				free_arraycache(m, l3->alien[r]);
			free(l3->alien);
			l3->alien = NULL;
		}
		meta_free(m, l3->addr);
		free(l3);
		c->nodelists[nid] = NULL;
	}
	kaddr_t desc = c->addr;
	st->caches[c->id] = NULL;
	free_cache_host(m, c);
	cache_free_internal(m, st->cache_cache, desc);
	if (TRACING(m))
		trace_exit(m, "done");
	return 0;
}

int slab_cache_lookup(const struct machine *m, const char *name)
{
	const struct slab_state *st = m->slab;

	for (size_t i = 0; i < st->nr_caches; i++)
		if (st->caches[i] && !strcmp(st->caches[i]->name, name))
			return (int)i;
	return -ENOENT;
}

static size_t slab_cache_list(const struct machine *m, int *ids, size_t max)
{
	size_t n = 0;

	for (const struct kmem_cache *c = m->slab->chain; c; c = c->chain_next) {
		if (n < max)
			ids[n] = c->id;
		n++;
	}
	return n;
}

const struct objalloc_ops slab_ops = {
	.name = "slab",
	.init = slab_init,
	.destroy = slab_destroy_all,
	.kmalloc = slab_kmalloc,
	.kfree = slab_kfree,
	.ksize = slab_ksize,
	.cache_create = slab_cache_create,
	.cache_destroy = slab_cache_destroy,
	.cache_alloc = slab_cache_alloc,
	.cache_free = slab_cache_free,
	.cache_shrink = slab_cache_shrink,
	.cache_lookup = slab_cache_lookup,
	.cache_list = slab_cache_list,
	.cache_info = slab_cache_info,
	.tick = slab_tick,
	.check = slab_check,
	.whatis = slab_whatis,
	.slabinfo_show = slabinfo_show,
	.slabinfo_write = slabinfo_write,
};
