/*
 * mempool.c - memory pools (mm/mempool.c, Linux 2.6.20): a reserve of
 * min_nr preallocated elements so that an allocation which must make
 * progress under memory pressure (a bio, a request) still gets one.
 *
 *   mempool_create(min_nr, alloc_fn, free_fn, data)
 *     kmalloc mempool_t, kmalloc elements[min_nr], then fill the reserve
 *     with alloc_fn(GFP_KERNEL); any failure undoes everything
 *
 *   mempool_alloc(pool, gfp)                         reserve (a stack)
 *     gfp |= __GFP_NOMEMALLOC|__GFP_NORETRY|__GFP_NOWARN    +-------+
 *     1. alloc_fn(gfp & ~(__GFP_WAIT|__GFP_IO))  no reclaim  | e[n-1]| <- top
 *     2. the reserve: elements[--curr_nr]                    |  ...  |
 *     3. !__GFP_WAIT: NULL                                   | e[0]  |
 *     4. alloc_fn(gfp), then sleep until mempool_free        +-------+
 *
 *   mempool_free(element, pool)
 *     curr_nr < min_nr: elements[curr_nr++] = element  (refill first)
 *     else free_fn(element)
 *
 * The allocators are 2.6.20's two stock ones: mempool_alloc_slab over a
 * kmem cache, mempool_alloc_pages over the page allocator (order N; the
 * element is named here by the pages' kernel address, so page pools
 * refuse __GFP_HIGHMEM).  Step 4's sleep cannot happen in a simulation
 * with no other thread to free an element: mempool_alloc fails there with
 * -ENOMEM and says so.  The pool records the elements it handed out so a
 * bad mempool_free is refused instead of corrupting the reserve.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/*
 * One pool.  Invariants (mempool_check): 0 <= curr_nr <= min_nr; every
 * reserve and every out element is a live allocation of the pool's
 * cache (or order); no element is both, or twice in either.
 */
struct mempool {
	char name[KMEM_MEMPOOL_NAME_MAX]; /* as created */
	int cache_id;                   /* kmem cache, -1: page allocator */
	unsigned order;                 /* page pools */
	int min_nr;                     /* reserve size */
	int curr_nr;                    /* elements in the reserve */
	kaddr_t *elements;              /* [min_nr]: the reserve, bottom first */
	kaddr_t *out;                   /* elements handed out */
	size_t nr_out, out_cap;
	kaddr_t pool_obj;               /* kmalloc'd mempool_t */
	kaddr_t elements_obj;           /* kmalloc'd elements[] */
	unsigned long allocs, from_reserve, frees, to_reserve, failures;
};

struct mempool_state {
	struct mempool **pools;         /* by id; NULL = destroyed */
	size_t nr, cap;
};

void mempool_init(struct machine *m)
{
	m->mempools = xcalloc(1, sizeof *m->mempools);
}

static void pool_free_host(struct mempool *p)
{
	free(p->elements);
	free(p->out);
	free(p);
}

void mempool_destroy_all(struct machine *m)
{
	struct mempool_state *s = m->mempools;

	if (!s)
		return;
	for (size_t i = 0; i < s->nr; i++)
		if (s->pools[i])
			pool_free_host(s->pools[i]);
	free(s->pools);
	free(s);
	m->mempools = NULL;
}

static struct mempool *pool_get(struct machine *m, int id, const char *op)
{
	struct mempool_state *s = m->mempools;

	if (id < 0 || (size_t)id >= s->nr || !s->pools[id]) {
		set_error(m, -ENOENT, "%s: no mempool with id %d", op, id);
		return NULL;
	}
	return s->pools[id];
}

/* sizeof(mempool_t): spinlock_t (empty on UP), min_nr, curr_nr, elements,
 * pool_data, alloc, free, wait_queue_head_t (a spinlock and a list). */
static size_t sizeof_mempool_t(const struct machine *m)
{
	if (m->bits_per_long == 32)
		return m->smp ? 40 : 32;
	return m->smp ? 72 : 56;
}

/* ------------------------------------------------------------------ */
/* The element allocators: mempool_alloc_slab, mempool_alloc_pages     */
/* ------------------------------------------------------------------ */

static int pool_alloc_fn(struct machine *m, struct mempool *p, gfp_t gfp,
			 kaddr_t *elem)
{
	if (p->cache_id >= 0)
		return kmem_cache_alloc(m, p->cache_id, gfp, -1, elem);
	return __get_free_pages(m, gfp, p->order, -1, elem);
}

static void pool_free_fn(struct machine *m, struct mempool *p, kaddr_t elem)
{
	if (p->cache_id >= 0)
		kmem_cache_free(m, p->cache_id, elem);
	else
		free_pages_addr(m, elem, p->order);
}

static void add_element(struct mempool *p, kaddr_t e)
{
	p->elements[p->curr_nr++] = e;
}

static kaddr_t remove_element(struct mempool *p)
{
	return p->elements[--p->curr_nr];
}

static void out_add(struct mempool *p, kaddr_t e)
{
	if (p->nr_out == p->out_cap) {
		p->out_cap = p->out_cap ? p->out_cap * 2 : 16;
		p->out = xrealloc(p->out, p->out_cap * sizeof *p->out);
	}
	p->out[p->nr_out++] = e;
}

static long out_find(const struct mempool *p, kaddr_t e)
{
	for (size_t i = 0; i < p->nr_out; i++)
		if (p->out[i] == e)
			return (long)i;
	return -1;
}

/* ------------------------------------------------------------------ */
/* mempool_create, mempool_destroy, mempool_resize                     */
/* ------------------------------------------------------------------ */

/* free_pool: the reserve, the array, the pool. */
static void free_pool(struct machine *m, struct mempool *p)
{
	while (p->curr_nr)
		pool_free_fn(m, p, remove_element(p));
	if (p->elements_obj)
		kmem_kfree(m, p->elements_obj);
	if (p->pool_obj)
		kmem_kfree(m, p->pool_obj);
	pool_free_host(p);
}

int kmem_mempool_lookup(const struct machine *m, const char *name)
{
	const struct mempool_state *s = m->mempools;

	for (size_t i = 0; i < s->nr; i++)
		if (s->pools[i] && !strcmp(s->pools[i]->name, name))
			return (int)i;
	return -ENOENT;
}

int kmem_mempool_create(struct machine *m, const char *name, int min_nr,
			int cache_id, unsigned order, int *id)
{
	struct mempool_state *s = m->mempools;
	struct kmem_cache_info ci;

	if (!name || !*name || strlen(name) >= KMEM_MEMPOOL_NAME_MAX)
		return set_error(m, -EINVAL, "mempool_create: a name of 1 to %d "
				 "characters is needed", KMEM_MEMPOOL_NAME_MAX - 1);
	if (kmem_mempool_lookup(m, name) >= 0)
		return set_error(m, -EEXIST, "mempool_create: a pool named '%s' "
				 "exists", name);
	if (min_nr < 1 || min_nr > 65536)
		return set_error(m, -EINVAL, "mempool_create: min_nr %d is not in "
				 "1..65536", min_nr);
	if (cache_id >= 0 && kmem_cache_info(m, cache_id, &ci))
		return set_error(m, -ENOENT, "mempool_create: no kmem cache with "
				 "id %d", cache_id);
	if (cache_id < 0 && order >= KMEM_MAX_ORDER)
		return set_error(m, -EINVAL, "mempool_create: order %u >= "
				 "MAX_ORDER (%d)", order, KMEM_MAX_ORDER);
	if (TRACING(m))
		trace_enter(m, "mempool_create", "%s: min_nr %d, %s %s%u", name,
			    min_nr, cache_id >= 0 ? "mempool_alloc_slab" :
			    "mempool_alloc_pages", cache_id >= 0 ? "cache " :
			    "order ", cache_id >= 0 ? (unsigned)cache_id : order);

	struct mempool *p = xcalloc(1, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s", name);
	p->cache_id = cache_id < 0 ? -1 : cache_id;
	p->order = cache_id < 0 ? order : 0;
	p->min_nr = min_nr;
	p->elements = xcalloc((size_t)min_nr, sizeof *p->elements);
	int rc = kmem_kmalloc(m, sizeof_mempool_t(m), GFP_KERNEL, -1, &p->pool_obj);
	if (!rc)
		rc = kmem_kmalloc(m, (size_t)min_nr * bytes_per_word(m), GFP_KERNEL,
				  -1, &p->elements_obj);
	while (!rc && p->curr_nr < p->min_nr) {
		kaddr_t e;
		rc = pool_alloc_fn(m, p, GFP_KERNEL, &e);
		if (!rc)
			add_element(p, e);
	}
	if (rc) {
		char why[256];
		snprintf(why, sizeof why, "%s", kmem_last_error(m));
		free_pool(m, p);
		if (TRACING(m))
			trace_exit(m, "NULL: %s", why);
		return set_error(m, -ENOMEM, "mempool_create %s: %s; nothing kept",
				 name, why);
	}
	if (s->nr == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->pools = xrealloc(s->pools, s->cap * sizeof *s->pools);
	}
	s->pools[s->nr] = p;
	*id = (int)s->nr++;
	if (TRACING(m))
		trace_exit(m, "pool %d, reserve %d/%d", *id, p->curr_nr, p->min_nr);
	return 0;
}

int kmem_mempool_destroy(struct machine *m, int id)
{
	struct mempool *p = pool_get(m, id, "mempool_destroy");

	if (!p)
		return -ENOENT;
	if (p->nr_out)
		return set_error(m, -EBUSY, "mempool_destroy %s: %zu element%s still "
				 "out (mempool_free them first)", p->name, p->nr_out,
				 p->nr_out == 1 ? " is" : "s are");
	if (p->curr_nr != p->min_nr)
		return set_error(m, -EBUSY, "mempool_destroy %s: the reserve holds "
				 "%d of %d (the kernel would BUG: curr_nr != "
				 "min_nr); mempool_resize %s %d first", p->name,
				 p->curr_nr, p->min_nr, p->name,
				 p->curr_nr ? p->curr_nr : 1);
	if (TRACING(m))
		trace_enter(m, "mempool_destroy", "%s: %d element%s back", p->name,
			    p->curr_nr, p->curr_nr == 1 ? "" : "s");
	m->mempools->pools[id] = NULL;
	free_pool(m, p);
	if (TRACING(m))
		trace_exit(m, "done");
	return 0;
}

int kmem_mempool_resize(struct machine *m, int id, int new_min_nr, gfp_t gfp)
{
	struct mempool *p = pool_get(m, id, "mempool_resize");

	if (!p)
		return -ENOENT;
	if (new_min_nr < 1 || new_min_nr > 65536)
		return set_error(m, -EINVAL, "mempool_resize: min_nr %d is not in "
				 "1..65536", new_min_nr);
	if (p->cache_id < 0 && (gfp & __GFP_HIGHMEM))
		return set_error(m, -EINVAL, "mempool_resize: page pools here hand "
				 "out lowmem pages: no __GFP_HIGHMEM");
	if (TRACING(m))
		trace_enter(m, "mempool_resize", "%s: min_nr %d -> %d (reserve %d)",
			    p->name, p->min_nr, new_min_nr, p->curr_nr);
	if (new_min_nr <= p->min_nr) {
		while (new_min_nr < p->curr_nr)
			pool_free_fn(m, p, remove_element(p));
		p->min_nr = new_min_nr;
		goto out;
	}
	/* grow: a bigger array first; failing that, nothing changed */
	kaddr_t obj;
	if (kmem_kmalloc(m, (size_t)new_min_nr * bytes_per_word(m), gfp, -1,
			 &obj)) {
		if (TRACING(m))
			trace_exit(m, "-ENOMEM: no new element array");
		return set_error(m, -ENOMEM, "mempool_resize %s: no memory for "
				 "the element array: %s", p->name,
				 kmem_last_error(m));
	}
	kmem_kfree(m, p->elements_obj);
	p->elements_obj = obj;
	p->elements = xrealloc(p->elements, (size_t)new_min_nr *
			       sizeof *p->elements);
	p->min_nr = new_min_nr;
	while (p->curr_nr < p->min_nr) {
		kaddr_t e;
		if (pool_alloc_fn(m, p, gfp, &e)) {
			if (TRACING(m))
				trace_note(m, "the allocator failed at %d of %d: "
					   "mempool_free will top it up", p->curr_nr,
					   p->min_nr);
			break;
		}
		add_element(p, e);
	}
out:
	if (TRACING(m))
		trace_exit(m, "0: reserve %d/%d", p->curr_nr, p->min_nr);
	return 0;
}

/* ------------------------------------------------------------------ */
/* mempool_alloc, mempool_free                                         */
/* ------------------------------------------------------------------ */

int kmem_mempool_alloc(struct machine *m, int id, gfp_t gfp, kaddr_t *elem,
		       bool *from_reserve)
{
	struct mempool *p = pool_get(m, id, "mempool_alloc");
	bool dummy;

	if (!from_reserve)
		from_reserve = &dummy;
	*from_reserve = false;
	if (!p)
		return -ENOENT;
	if (gfp & ~__GFP_BITS_MASK)
		return set_error(m, -EINVAL, "mempool_alloc: gfp mask 0x%x has bits "
				 "above __GFP_BITS_SHIFT", gfp);
	if (p->cache_id < 0 && (gfp & __GFP_HIGHMEM))
		return set_error(m, -EINVAL, "mempool_alloc: page pools here hand "
				 "out lowmem pages: no __GFP_HIGHMEM");
	gfp |= __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN;
	gfp_t gfp_temp = gfp & ~(__GFP_WAIT | __GFP_IO);
	if (TRACING(m)) {
		char gb[128];
		kmem_gfp_format(gfp_temp, gb, sizeof gb);
		trace_enter(m, "mempool_alloc", "%s: reserve %d/%d, first try %s",
			    p->name, p->curr_nr, p->min_nr, gb);
	}
	kaddr_t e;
	if (!pool_alloc_fn(m, p, gfp_temp, &e))
		goto got;
	if (p->curr_nr) {
		e = remove_element(p);
		*from_reserve = true;
		p->from_reserve++;
		if (TRACING(m))
			trace_note(m, "the allocator failed: element %#llx from the "
				   "reserve (now %d/%d)", (unsigned long long)e,
				   p->curr_nr, p->min_nr);
		goto got;
	}
	if (gfp & __GFP_WAIT) {
		if (TRACING(m))
			trace_note(m, "reserve empty: retry with __GFP_WAIT (reclaim)");
		if (!pool_alloc_fn(m, p, gfp, &e))
			goto got;
	}
	p->failures++;
	if (TRACING(m))
		trace_exit(m, "NULL");
	if (gfp & __GFP_WAIT)
		return set_error(m, -ENOMEM, "mempool_alloc %s: the allocator "
				 "failed and the reserve is empty: the kernel would "
				 "sleep until an element is freed", p->name);
	return set_error(m, -ENOMEM, "mempool_alloc %s: the allocator failed, "
			 "the reserve is empty and !__GFP_WAIT: NULL", p->name);
got:
	out_add(p, e);
	p->allocs++;
	*elem = e;
	if (TRACING(m))
		trace_exit(m, "%#llx%s", (unsigned long long)e,
			   *from_reserve ? " (reserve)" : "");
	return 0;
}

int kmem_mempool_free(struct machine *m, int id, kaddr_t elem,
		      bool *to_reserve)
{
	struct mempool *p = pool_get(m, id, "mempool_free");
	bool dummy;

	if (!to_reserve)
		to_reserve = &dummy;
	*to_reserve = false;
	if (!p)
		return -ENOENT;
	long i = out_find(p, elem);
	if (i < 0)
		return set_error(m, -EINVAL, "mempool_free %s: %#llx is not an "
				 "element this pool handed out", p->name,
				 (unsigned long long)elem);
	p->out[i] = p->out[--p->nr_out];
	p->frees++;
	if (p->curr_nr < p->min_nr) {
		add_element(p, elem);
		*to_reserve = true;
		p->to_reserve++;
		if (TRACING(m))
			trace_note(m, "mempool_free %s: %#llx refills the reserve "
				   "(%d/%d)", p->name, (unsigned long long)elem,
				   p->curr_nr, p->min_nr);
		return 0;
	}
	if (TRACING(m))
		trace_enter(m, "mempool_free", "%s: reserve full: %#llx to %s",
			    p->name, (unsigned long long)elem, p->cache_id >= 0 ?
			    "kmem_cache_free" : "free_pages");
	pool_free_fn(m, p, elem);
	if (TRACING(m))
		trace_exit(m, "done");
	return 0;
}

int kmem_mempool_owner(const struct machine *m, kaddr_t elem)
{
	const struct mempool_state *s = m->mempools;

	for (size_t i = 0; i < s->nr; i++)
		if (s->pools[i] && out_find(s->pools[i], elem) >= 0)
			return (int)i;
	return -ENOENT;
}

/* ------------------------------------------------------------------ */
/* Queries and the checker                                             */
/* ------------------------------------------------------------------ */

size_t kmem_mempool_list(const struct machine *m, int *ids, size_t max)
{
	const struct mempool_state *s = m->mempools;
	size_t n = 0;

	for (size_t i = 0; i < s->nr; i++)
		if (s->pools[i]) {
			if (n < max)
				ids[n] = (int)i;
			n++;
		}
	return n;
}

int kmem_mempool_info(const struct machine *cm, int id,
		      struct kmem_mempool_info *o)
{
	struct machine *m = (struct machine *)cm;   /* pool_get sets the error */
	const struct mempool *p = pool_get(m, id, "mempool");

	if (!p)
		return -ENOENT;
	memset(o, 0, sizeof *o);
	o->id = id;
	snprintf(o->name, sizeof o->name, "%s", p->name);
	o->cache_id = p->cache_id;
	o->order = p->order;
	o->min_nr = p->min_nr;
	o->curr_nr = p->curr_nr;
	o->out = p->nr_out;
	o->allocs = p->allocs;
	o->from_reserve = p->from_reserve;
	o->frees = p->frees;
	o->to_reserve = p->to_reserve;
	o->failures = p->failures;
	o->pool_obj = p->pool_obj;
	o->elements_obj = p->elements_obj;
	return 0;
}

size_t kmem_mempool_reserve(const struct machine *cm, int id, kaddr_t *elems,
			    size_t max)
{
	struct machine *m = (struct machine *)cm;
	const struct mempool *p = pool_get(m, id, "mempool");

	if (!p)
		return 0;
	for (int i = 0; i < p->curr_nr && (size_t)i < max; i++)
		elems[i] = p->elements[i];
	return (size_t)p->curr_nr;
}

/* Is e a live allocation of the kind p hands out? */
static bool element_live(struct machine *m, const struct mempool *p,
			 kaddr_t e)
{
	if (p->cache_id < 0) {
		unsigned long pfn;
		return kaddr_to_pfn(m, e, &pfn) &&
		       kmem_alloc_order(m, pfn) == (int)p->order;
	}
	struct kmem_whatis w;
	return !kmem_whatis(m, e, &w) && w.allocated && w.obj_addr == e &&
	       !w.in_array;
}

static int kaddr_order(const void *a, const void *b)
{
	kaddr_t x = *(const kaddr_t *)a, y = *(const kaddr_t *)b;

	return x < y ? -1 : x > y;
}

bool mempool_check(const struct machine *cm, char *report, size_t len)
{
	struct machine *m = (struct machine *)cm;   /* whatis reads only */
	const struct mempool_state *s = m->mempools;

	for (size_t i = 0; s && i < s->nr; i++) {
		const struct mempool *p = s->pools[i];
		if (!p)
			continue;
		if (p->curr_nr < 0 || p->curr_nr > p->min_nr) {
			snprintf(report, len, "mempool: %s: curr_nr %d outside "
				 "0..min_nr %d", p->name, p->curr_nr, p->min_nr);
			return false;
		}
		size_t n = (size_t)p->curr_nr + p->nr_out;
		kaddr_t *all = xmalloc((n ? n : 1) * sizeof *all);
		for (size_t a = 0; a < n; a++) {
			kaddr_t e = a < (size_t)p->curr_nr ? p->elements[a] :
				    p->out[a - (size_t)p->curr_nr];
			all[a] = e;
			if (!element_live(m, p, e)) {
				snprintf(report, len, "mempool: %s: %s element %#llx "
					 "is not a live allocation of the pool's %s",
					 p->name, a < (size_t)p->curr_nr ? "reserve" :
					 "out", (unsigned long long)e,
					 p->cache_id >= 0 ? "cache" : "order");
				free(all);
				return false;
			}
		}
		qsort(all, n, sizeof *all, kaddr_order);
		for (size_t a = 1; a < n; a++)
			if (all[a] == all[a - 1]) {
				snprintf(report, len, "mempool: %s: element %#llx is "
					 "held twice", p->name,
					 (unsigned long long)all[a]);
				free(all);
				return false;
			}
		free(all);
	}
	return true;
}
