/*
 * slab.h - SLAB's private structures (mm/slab.c, 2.6.20), shared between
 * slab.c and nothing else.  Host structures mirror the kernel's; each
 * records the simulated address of the object the kernel would have
 * allocated for it (0 for the kernel's static bootstrap copies).
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#ifndef KMEM_SLAB_H
#define KMEM_SLAB_H

#include "internal.h"

#define BUFCTL_END        0xffffffffu
#define BUFCTL_FREE       0xfffffffeu
#define BUFCTL_ACTIVE     0xfffffffdu
#define SLAB_LIMIT        0xfffffffcu
#define CFLGS_OFF_SLAB    0x80000000u
#define MAX_GFP_ORDER     5
#define BOOT_CPUCACHE_ENTRIES 1
#define BATCHREFILL_LIMIT 16
#define REAPTIMEOUT_CPUC  (2 * KMEM_HZ)
#define REAPTIMEOUT_LIST3 (4 * KMEM_HZ)

/* sizeof() of the kernel structures on each arch (2.6.20 layouts, default
 * NR_CPUS 8 on i386 and 32 on x86_64, NODES_SHIFT 6 on x86_64). */
#define SIZEOF_SLAB(m)        ((m)->arch == KMEM_ARCH_I386 ? 28u : 48u)
#define SIZEOF_ARRAY_CACHE(m) ((m)->arch == KMEM_ARCH_I386 ? 20u : 24u)
#define SIZEOF_ARRAYCACHE_INIT(m) (SIZEOF_ARRAY_CACHE(m) + bytes_per_word(m))
#define SIZEOF_LIST3(m)       ((m)->arch == KMEM_ARCH_I386 ? 56u : 104u)
#define SIZEOF_KMEM_CACHE(m)  ((m)->arch == KMEM_ARCH_I386 ? 112u : 872u)

#define OFF_SLAB(c) ((c)->flags & CFLGS_OFF_SLAB)
#define GFP_THISNODE_NUMA_IF(m) ((m)->numa ? GFP_THISNODE_NUMA : 0)

/* Where each object of a slab is (simulator bookkeeping, not kernel). */
enum obj_state {
	OBJ_FREE = 0,                   /* on the slab's bufctl free chain */
	OBJ_IN_ARRAY = 1,               /* in a per-CPU/shared/alien array */
	OBJ_ALLOCATED = 2,              /* handed out to a caller */
};

/*
 * struct slab.  Invariants: inuse = objects not on the bufctl chain;
 * the chain from `free` visits num - inuse distinct indices and ends in
 * BUFCTL_END; the slab is on slabs_full iff inuse == num, slabs_free iff
 * inuse == 0.
 */
struct slab {
	struct slab *prev, *next;       /* on one of its list3's lists */
	unsigned long pfn;              /* first page */
	unsigned colouroff;             /* s_mem - page address */
	kaddr_t s_mem;                  /* first object */
	unsigned inuse;                 /* objects taken off the chain */
	unsigned free;                  /* first free index or BUFCTL_END */
	int nodeid;                     /* node of its pages */
	kaddr_t mgmt;                   /* where struct slab lives */
	uint32_t *bufctl;               /* kmem_bufctl_t[num] */
	uint8_t *state;                 /* enum obj_state per object */
	uint32_t id;                    /* page->lru.prev of its pages */
};

struct slab_list {
	struct slab *head, *tail;       /* list order, head first */
	unsigned long n;                /* length */
};

/* struct array_cache: a LIFO stack; entry[avail-1] is the hot end. */
struct array_cache {
	unsigned avail;                 /* objects held */
	unsigned limit;                 /* capacity */
	unsigned batchcount;            /* refill / flush chunk */
	bool touched;                   /* used since the last reap */
	kaddr_t *entry;                 /* [limit] */
	kaddr_t addr;                   /* its kmalloc'd object, 0 = static */
};

struct kmem_list3 {
	struct slab_list slabs_partial; /* some objects free */
	struct slab_list slabs_full;    /* no object free */
	struct slab_list slabs_free;    /* all objects free */
	unsigned long free_objects;     /* free in partial + free slabs */
	unsigned long free_limit;       /* more than this: destroy empties */
	unsigned colour_next;           /* colour of the next slab */
	struct array_cache *shared;     /* shared by the node's CPUs */
	struct array_cache **alien;     /* [node], NUMA only */
	uint64_t next_reap;             /* jiffies */
	int free_touched;               /* slabs_free used since reap */
	kaddr_t addr;                   /* its kmalloc'd object, 0 = static */
};

struct kmem_cache {
	int id;                         /* handle; page->lru.next of its pages */
	char name[20];                  /* "size-32" ... */
	size_t object_size;             /* what the creator asked for */
	size_t buffer_size;             /* bytes per object */
	uint32_t reciprocal_buffer_size;/* for obj_to_index */
	size_t align;                   /* effective alignment */
	size_t obj_offset;              /* debug: red zone before the object */
	unsigned num;                   /* objects per slab */
	unsigned gfporder;              /* pages per slab, log2 */
	gfp_t gfpflags;                 /* GFP_DMA for DMA caches */
	unsigned flags;                 /* SLAB_* | CFLGS_OFF_SLAB */
	unsigned colour, colour_off;    /* colouring */
	struct kmem_cache *slabp_cache; /* off-slab management comes from */
	size_t slab_size;               /* struct slab + bufctl[] */
	unsigned batchcount, limit, shared; /* tunables */
	struct array_cache *array[KMEM_MAX_CPUS];
	struct kmem_list3 *nodelists[KMEM_MAX_NODES];
	bool ctor;                      /* has a constructor */
	bool debug;                     /* RED_ZONE/POISON/STORE_USER layout */
	bool general;                   /* a size-N kmalloc cache */
	kaddr_t addr;                   /* descriptor object in cache_cache */
	unsigned long active_handed;    /* objects handed out to callers */
	unsigned long grown;            /* slabs grown */
	struct kmem_cache *chain_next, *chain_prev; /* cache_chain */
};

enum cpucache_up {
	CPUCACHE_NONE, CPUCACHE_PARTIAL_AC, CPUCACHE_PARTIAL_L3, CPUCACHE_FULL,
};

struct cache_sizes {
	size_t cs_size;                 /* 32, 64, (96), 128, ... */
	struct kmem_cache *cs_cachep;   /* size-N */
	struct kmem_cache *cs_dmacachep;/* size-N(DMA) */
};

#define MAX_CACHE_SIZES 16
#define SIZE_TABLE_MAX  2048            /* size_index covers 0..2048 */

struct slab_state {
	struct kmem_cache **caches;     /* by id; NULL once destroyed */
	size_t nr_caches, cap_caches;
	struct kmem_cache *chain;       /* cache_chain head (newest) */
	struct kmem_cache *cache_cache; /* "kmem_cache" */
	struct cache_sizes sizes[MAX_CACHE_SIZES];
	unsigned nr_sizes;
	uint8_t size_index[SIZE_TABLE_MAX / 8 + 1]; /* (size+7)/8 -> sizes[] */
	unsigned index_ac, index_l3;    /* general caches the bootstrap needs */
	struct slab **slabs;            /* by id */
	uint32_t *free_ids;             /* recycled slab ids */
	uint32_t nr_slabs, cap_slabs, nr_free_ids;
	int slab_break_gfp_order;       /* 0, or 1 above 32 MiB */
	enum cpucache_up g_cpucache_up; /* bootstrap phase */
	bool early_init;                /* slab_early_init: force on-slab */
	unsigned online_cpus;           /* CPUs brought up so far */
	uint64_t next_reap_cpu[KMEM_MAX_CPUS]; /* per-CPU cache_reap timer */
};

static inline size_t align_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* lib/reciprocal_div.c: divide by multiplying, as obj_to_index does */
static inline uint32_t reciprocal_value(uint32_t k)
{
	return (uint32_t)(((1ULL << 32) + (k - 1)) / k);
}

static inline unsigned obj_to_index(const struct kmem_cache *c,
				    const struct slab *s, kaddr_t obj)
{
	return (unsigned)(((uint64_t)(uint32_t)(obj - s->s_mem) *
			   c->reciprocal_buffer_size) >> 32);
}

static inline kaddr_t index_to_obj(const struct kmem_cache *c,
				   const struct slab *s, unsigned idx)
{
	return s->s_mem + (kaddr_t)c->buffer_size * idx;
}

/* virt_to_cache / virt_to_slab: the page of an address tells both.  A
 * PG_slab page always carries valid cache and slab ids in its lru fields
 * (slab_check verifies it), so the flag is the only test needed. */
static inline bool obj_lookup(const struct machine *m, kaddr_t addr,
			      struct kmem_cache **cp, struct slab **sp)
{
	const struct slab_state *st = m->slab;
	kaddr_t off = addr - m->page_offset;

	if (unlikely(off >= ((kaddr_t)m->max_low_pfn << PAGE_SHIFT)))
		return false;           /* also catches addr < page_offset */
	const struct page *page = pfn_to_page(m, (unsigned long)(off >> PAGE_SHIFT));
	if (unlikely(!PageFlag(page, PG_slab)))
		return false;
	*cp = st->caches[page->lru_next];
	*sp = st->slabs[page->lru_prev];
	return true;
}

/* The slab holding a buffer the allocator itself put in an array. */
static inline struct slab *buf_slab(const struct machine *m, kaddr_t buf)
{
	const struct page *page = pfn_to_page(m,
		(unsigned long)((buf - m->page_offset) >> PAGE_SHIFT));

	return m->slab->slabs[page->lru_prev];
}

/* An object resolved from a caller's address: its cache and slab, its
 * index, and the start of its buffer (address - obj_offset). */
struct objref {
	struct kmem_cache *c;           /* owning cache */
	struct slab *s;                 /* owning slab */
	unsigned idx;                   /* index in the slab */
	kaddr_t buf;                    /* buffer start */
};

/* Resolve addr to the object it starts; false unless it is exactly the
 * address a caller would hold for some object of some slab. */
static inline bool obj_resolve(const struct machine *m, kaddr_t addr,
			       struct objref *r)
{
	if (!obj_lookup(m, addr, &r->c, &r->s))
		return false;
	r->buf = addr - r->c->obj_offset;
	if (r->buf < r->s->s_mem)
		return false;
	r->idx = obj_to_index(r->c, r->s, r->buf);
	return r->idx < r->c->num && index_to_obj(r->c, r->s, r->idx) == r->buf;
}

struct kmem_cache *slab_cache(const struct machine *m, int id);
int slab_cache_lookup(const struct machine *m, const char *name);
struct kmem_cache *find_general_cachep(const struct machine *m, size_t size,
				       gfp_t flags);
int slab_cache_create(struct machine *m, const char *name, size_t size,
		      size_t align, unsigned flags, bool ctor, int *id);
void do_tune_cpucache(struct machine *m, struct kmem_cache *c,
		      unsigned limit, unsigned batchcount, unsigned shared);

/* slab_debug.c: CONFIG_DEBUG_SLAB behaviour for caches created with
 * SLAB_POISON / SLAB_RED_ZONE / SLAB_STORE_USER */
void debug_on_alloc(struct machine *m, const struct kmem_cache *c,
		    kaddr_t buf);
void debug_on_free(struct machine *m, const struct kmem_cache *c,
		   kaddr_t buf);
void debug_init_objs(struct machine *m, const struct kmem_cache *c,
		     kaddr_t s_mem);

/* slab_info.c: views, queries and the checker */
int slab_cache_info(const struct machine *m, int id,
		    struct kmem_cache_info *out);
void slabinfo_show(struct machine *m, struct kbuf *b);
int slabinfo_write(struct machine *m, const char *text);
bool slab_whatis(struct machine *m, kaddr_t addr, struct kmem_whatis *out);
bool slab_check(const struct machine *m, char *report, size_t len);

#endif /* KMEM_SLAB_H */
