/*
 * slob.c - SLOB, the "simple list of blocks" allocator, as Linux 2.6.20
 * has it in mm/slob.c (Matt Mackall's original design, before the
 * per-page rewrite of 2.6.22/23).  Selected per machine with
 * `allocator: slob`; facts in linux-2.6.20-mm.md section 5.
 *
 * The heap is one circular, singly linked, address-ordered list of free
 * blocks.  Every block starts with a slob_t header {int units; slob_t
 * *next} that lives in the memory it describes; SLOB_UNIT is the size of
 * that header (8 bytes on i386, 16 on x86_64) and the granule of every
 * allocation.  `slobfree` is a roving pointer: a search starts at
 * slobfree->next and stops when it comes back to slobfree (K&R next fit).
 *
 *      arena (static, 1 unit)       page A                  page B
 *      +---+                 +-------+------+--------+  +------+-------+
 *      |1 u|--next---------->|free 5u| used |free 40u|->|free 9| used  |
 *      +---+                 +-------+------+--------+  +------+-------+
 *        ^                                                  |
 *        +---------------------- next ----------------------+
 *
 * The heap grows one page at a time (__get_free_page, then slob_free of
 * the whole page); a timer gives back at most one whole free page-aligned
 * page per second.  kmalloc puts a one-unit header in front of each
 * object, holding its unit count; requests of PAGE_SIZE - SLOB_UNIT and
 * more are "bigblocks": whole pages from __get_free_pages, remembered on
 * their own list through a bigblock_t allocated from the heap.  A SLOB
 * kmem_cache is only a descriptor {size, align, name, ctor, dtor} in the
 * heap; its objects are heap blocks without a header.
 *
 * How it is modelled.  The free list is kept host-side as an array of
 * {addr, units} sorted by address: the kernel's list is address-ordered
 * and circular, so "next" is the following entry (the last wraps to the
 * first) and the walks below visit blocks in the kernel's order.  Every
 * write 2.6.20 makes to a header (units, next, the first word of a block
 * it hands out, the fields of a bigblock_t) is also made, in the same
 * order, to simulated memory, so `dump` shows what the kernel would leave
 * there.  The host copy is authoritative: a stray `memset` over a header
 * corrupts only memory, and slob_check reports the difference instead of
 * the model following a wild pointer.  A host-side table of live blocks
 * lets kfree/kmem_cache_free refuse what is not a live object, where the
 * kernel would corrupt its heap.
 *
 * No NR_SLAB_* counters move under SLOB (meminfo Slab: stays 0), and there
 * is no /proc/slabinfo.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define SLOB_ARENA_OFFSET 0x1000UL      /* where `arena` sits in .data */
#define FIND_ORDER_LIMIT  4096          /* find_order's literal 4096 */
#define MAX_BLOCK_UNITS   512           /* no heap allocation is larger */
#define TRACE_WALK_MAX    16            /* walk steps traced one by one */

/* ------------------------------------------------------------------ */
/* State                                                               */
/* ------------------------------------------------------------------ */

/* One free block of the heap, as the kernel's header describes it. */
struct fblock {
	kaddr_t addr;                   /* the block's slob_t */
	long units;                     /* its length in SLOB_UNITs */
};

/* What a live (handed out) piece of SLOB memory is. */
enum live_kind {
	LIVE_KMALLOC = 1,               /* header + object; key = header */
	LIVE_CACHE_OBJ,                 /* kmem_cache object in the heap */
	LIVE_BIGDESC,                   /* a bigblock_t in the heap */
	LIVE_CACHEDESC,                 /* a struct kmem_cache in the heap */
	LIVE_BIG,                       /* a bigblock's pages; key = page */
	LIVE_CACHE_PAGES,               /* a >= PAGE_SIZE cache object's pages */
};

/* An entry of the live table (open addressing, linear probing). */
struct live {
	kaddr_t addr;                   /* key: block or page address; 0 = empty */
	long size;                      /* heap kinds: units; page kinds: order */
	int cache;                      /* cache id for cache kinds, else -1 */
	unsigned char kind;             /* enum live_kind */
};

struct live_table {
	struct live *slot;              /* 2^bits entries */
	unsigned bits;                  /* log2 of the capacity */
	size_t used;                    /* live entries */
};

/* A bigblock: bigblock_t {int order; void *pages; bigblock_t *next}. */
struct bigblock {
	kaddr_t pages;                  /* what kmalloc returned */
	kaddr_t desc;                   /* the bigblock_t in the heap */
	unsigned order;                 /* pages = 1 << order */
};

/* A SLOB kmem_cache: the kernel keeps {size, align, name, ctor, dtor}. */
struct slob_cache {
	char *name;                     /* the creator's name */
	size_t size;                    /* object size */
	size_t align;                   /* 0, SLOB_ALIGN or the caller's */
	unsigned flags;                 /* SLAB_* given at creation */
	bool ctor;                      /* has a constructor */
	kaddr_t desc;                   /* the descriptor in the heap */
	unsigned long live;             /* objects handed out */
};

/*
 * Invariants (slob_check):
 *   fb[] is sorted by address, non-overlapping and coalesced (no block
 *   ends where the next begins); nfree >= 1 and slobfree is one of them;
 *   every block lies in arena pages, or is the static anchor (1 unit);
 *   live heap blocks and free blocks tile the arena pages plus the anchor
 *   exactly; napfn == grown - returned and each arena page is an order-0
 *   allocation of the page allocator; simulated memory holds the headers
 *   the host copy describes.
 */
struct slob_state {
	unsigned unit;                  /* SLOB_UNIT: 8 (i386) or 16 (x86_64) */
	unsigned ptr;                   /* sizeof(void *): 4 or 8 */
	kaddr_t arena;                  /* the static anchor block */
	struct fblock *fb;              /* free list, address order */
	size_t nfree, fcap;             /* entries used, allocated */
	kaddr_t slobfree;               /* roving pointer: a free block */
	struct live_table live;         /* everything handed out */
	struct bigblock *big;           /* bigblocks; the list head is LAST */
	size_t nbig, bigcap;            /* entries used, allocated */
	unsigned long *apfn;            /* arena pages, ascending */
	size_t napfn, apcap;            /* entries used, allocated */
	unsigned long grown;            /* pages taken by __get_free_page */
	unsigned long returned;         /* pages the timer gave back */
	struct slob_cache **caches;     /* by id; NULL once destroyed */
	size_t ncaches;                 /* ids handed out */
	uint64_t next_timer;            /* jiffies of slob_timer's next run */
};

static inline size_t slob_units(const struct slob_state *s, size_t size)
{
	return (size + s->unit - 1) / s->unit;
}

/* sizeof(bigblock_t) and sizeof(struct kmem_cache) of SLOB */
static inline size_t sizeof_bigblock(const struct slob_state *s)
{
	return 2 * (size_t)s->ptr + s->ptr;     /* int + pad, pages, next */
}
static inline size_t sizeof_slob_cache(const struct slob_state *s)
{
	return 8 + 3 * (size_t)s->ptr;  /* size, align, name, ctor, dtor */
}

/* find_order: halvings of size while above a literal 4096 */
static unsigned find_order(size_t size)
{
	unsigned order = 0;

	for (; size > FIND_ORDER_LIMIT; size >>= 1)
		order++;
	return order;
}

/* ------------------------------------------------------------------ */
/* Simulated memory: headers and descriptors, little-endian            */
/* ------------------------------------------------------------------ */

static void poke(struct machine *m, kaddr_t addr, uint64_t v, unsigned bytes)
{
	uint8_t b[8];

	for (unsigned i = 0; i < bytes; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	physmem_write(m, addr - m->page_offset, b, bytes);
}

/* Reading never creates backing, so the checker may read through a
 * const machine. */
static uint64_t peek(const struct machine *m, kaddr_t addr, unsigned bytes)
{
	uint8_t b[8];
	uint64_t v = 0;

	physmem_read((struct machine *)m, addr - m->page_offset, b, bytes);
	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

static void set_units(struct machine *m, kaddr_t blk, long units)
{
	poke(m, blk, (uint32_t)(int32_t)units, 4);
}

static void set_next(struct machine *m, kaddr_t blk, kaddr_t next)
{
	poke(m, blk + m->slob->ptr, next, m->slob->ptr);
}

static long get_units(const struct machine *m, kaddr_t blk)
{
	return (int32_t)(uint32_t)peek(m, blk, 4);
}

static kaddr_t get_next(const struct machine *m, kaddr_t blk)
{
	return peek(m, blk + m->slob->ptr, m->slob->ptr);
}

/* ------------------------------------------------------------------ */
/* The free list (sorted array)                                        */
/* ------------------------------------------------------------------ */

/* Index of the first free block whose address is above addr. */
static size_t fb_upper(const struct slob_state *s, kaddr_t addr)
{
	size_t lo = 0, hi = s->nfree;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->fb[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Index of the free block at addr, or nfree. */
static size_t fb_index(const struct slob_state *s, kaddr_t addr)
{
	size_t i = fb_upper(s, addr);

	return i && s->fb[i - 1].addr == addr ? i - 1 : s->nfree;
}

static inline size_t fb_next(const struct slob_state *s, size_t i)
{
	return i + 1 < s->nfree ? i + 1 : 0;
}

static void fb_insert(struct slob_state *s, size_t at, kaddr_t addr,
		      long units)
{
	if (s->nfree == s->fcap) {
		s->fcap = s->fcap ? 2 * s->fcap : 64;
		s->fb = xrealloc(s->fb, s->fcap * sizeof *s->fb);
	}
	memmove(s->fb + at + 1, s->fb + at, (s->nfree - at) * sizeof *s->fb);
	s->fb[at].addr = addr;
	s->fb[at].units = units;
	s->nfree++;
}

static void fb_remove(struct slob_state *s, size_t at)
{
	memmove(s->fb + at, s->fb + at + 1,
		(s->nfree - at - 1) * sizeof *s->fb);
	s->nfree--;
}

/* ------------------------------------------------------------------ */
/* Live table                                                          */
/* ------------------------------------------------------------------ */

static size_t live_home(const struct live_table *t, kaddr_t addr)
{
	return (size_t)(((addr >> 3) * 0x9e3779b97f4a7c15ULL) >> (64 - t->bits));
}

static const struct live *live_find(const struct slob_state *s, kaddr_t addr)
{
	const struct live_table *t = &s->live;
	size_t mask = ((size_t)1 << t->bits) - 1;

	if (!addr)
		return NULL;
	for (size_t i = live_home(t, addr);; i = (i + 1) & mask) {
		if (t->slot[i].addr == addr)
			return &t->slot[i];
		if (!t->slot[i].addr)
			return NULL;
	}
}

static void live_place(struct live_table *t, const struct live *e)
{
	size_t mask = ((size_t)1 << t->bits) - 1;
	size_t i = live_home(t, e->addr);

	while (t->slot[i].addr)
		i = (i + 1) & mask;
	t->slot[i] = *e;
}

static void live_add(struct slob_state *s, kaddr_t addr, enum live_kind kind,
		     long size, int cache)
{
	struct live_table *t = &s->live;
	struct live e = { addr, size, cache, (unsigned char)kind };

	if ((t->used + 1) * 2 > ((size_t)1 << t->bits)) {
		struct live *old = t->slot;
		size_t ocap = (size_t)1 << t->bits;

		t->bits++;
		t->slot = xcalloc((size_t)1 << t->bits, sizeof *t->slot);
		for (size_t i = 0; i < ocap; i++)
			if (old[i].addr)
				live_place(t, &old[i]);
		free(old);
	}
	live_place(t, &e);
	t->used++;
}

/* Remove addr (which must be present): backward-shift deletion. */
static void live_del(struct slob_state *s, kaddr_t addr)
{
	struct live_table *t = &s->live;
	size_t mask = ((size_t)1 << t->bits) - 1;
	size_t i = live_home(t, addr);

	while (t->slot[i].addr != addr) {
		if (!t->slot[i].addr)
			return;
		i = (i + 1) & mask;
	}
	t->slot[i].addr = 0;
	t->used--;
	for (size_t j = (i + 1) & mask; t->slot[j].addr; j = (j + 1) & mask) {
		size_t k = live_home(t, t->slot[j].addr);
		bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);

		if (stays)
			continue;
		t->slot[i] = t->slot[j];
		t->slot[j].addr = 0;
		i = j;
	}
}

static bool live_in_heap(const struct live *e)
{
	return e->kind != LIVE_BIG && e->kind != LIVE_CACHE_PAGES;
}

/* ------------------------------------------------------------------ */
/* Arena pages                                                         */
/* ------------------------------------------------------------------ */

static size_t apfn_upper(const struct slob_state *s, unsigned long pfn)
{
	size_t lo = 0, hi = s->napfn;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->apfn[mid] <= pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool is_arena_pfn(const struct slob_state *s, unsigned long pfn)
{
	size_t i = apfn_upper(s, pfn);

	return i && s->apfn[i - 1] == pfn;
}

static void arena_add(struct machine *m, kaddr_t page)
{
	struct slob_state *s = m->slob;
	unsigned long pfn = (unsigned long)((page - m->page_offset) >> PAGE_SHIFT);
	size_t at = apfn_upper(s, pfn);

	if (s->napfn == s->apcap) {
		s->apcap = s->apcap ? 2 * s->apcap : 16;
		s->apfn = xrealloc(s->apfn, s->apcap * sizeof *s->apfn);
	}
	memmove(s->apfn + at + 1, s->apfn + at,
		(s->napfn - at) * sizeof *s->apfn);
	s->apfn[at] = pfn;
	s->napfn++;
}

static void arena_remove(struct machine *m, kaddr_t page)
{
	struct slob_state *s = m->slob;
	unsigned long pfn = (unsigned long)((page - m->page_offset) >> PAGE_SHIFT);
	size_t i = apfn_upper(s, pfn);

	if (!i || s->apfn[i - 1] != pfn)
		return;
	memmove(s->apfn + i - 1, s->apfn + i, (s->napfn - i) * sizeof *s->apfn);
	s->napfn--;
}

/* Is [addr, addr + len) inside arena pages, or exactly the anchor? */
static bool in_arena(const struct machine *m, kaddr_t addr, kaddr_t len)
{
	const struct slob_state *s = m->slob;

	if (addr == s->arena)
		return len == s->unit;
	if (addr < m->page_offset || !len)
		return false;
	for (kaddr_t p = addr & ~(kaddr_t)(PAGE_SIZE - 1); p < addr + len;
	     p += PAGE_SIZE)
		if (!is_arena_pfn(s, (unsigned long)((p - m->page_offset) >>
						     PAGE_SHIFT)))
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* slob_free and slob_alloc                                            */
/* ------------------------------------------------------------------ */

/*
 * slob_free(block, size): put a block back on the list in address order,
 * merging with the following and the preceding free block.  With size 0
 * the block's own header gives its length (kfree); the host passes that
 * length as units.  slobfree is left at the block the search stopped at.
 */
static void slob_free(struct machine *m, kaddr_t b, size_t size, long units)
{
	struct slob_state *s = m->slob;
	const kaddr_t U = s->unit;
	size_t hi, cur, nx;
	kaddr_t caddr, naddr, nnext, bnext;
	long cunits, nunits, bunits;
	bool merge_next, merge_prev;

	if (size) {
		units = (long)slob_units(s, size);
		set_units(m, b, units);
	}
	if (TRACING(m))
		trace_enter(m, "slob_free", "block %#llx, %ld unit%s%s",
			    (unsigned long long)b, units, units == 1 ? "" : "s",
			    size ? "" : " (from its header)");
	/* the block with cur < b < cur->next, or the wrap-around point */
	hi = fb_upper(s, b);
	cur = hi ? hi - 1 : s->nfree - 1;
	nx = fb_next(s, cur);
	caddr = s->fb[cur].addr;
	cunits = s->fb[cur].units;
	naddr = s->fb[nx].addr;
	nunits = s->fb[nx].units;
	nnext = s->fb[fb_next(s, nx)].addr;
	merge_next = b + (kaddr_t)units * U == naddr;
	merge_prev = caddr + (kaddr_t)cunits * U == b;
	if (TRACING(m)) {
		size_t from = fb_index(s, s->slobfree);
		trace_note(m, "walk from slobfree %#llx: %zu step%s to %#llx "
			   "(%s)", (unsigned long long)s->slobfree,
			   (cur + s->nfree - from) % s->nfree,
			   (cur + s->nfree - from) % s->nfree == 1 ? "" : "s",
			   (unsigned long long)caddr,
			   caddr < b && b < naddr ? "cur < b < cur->next" :
			   "wrap-around at the highest block");
	}

	bunits = units;
	if (merge_next) {
		bunits += nunits;
		/* with one free block, 2.6.20 would link b to the block it
		 * just swallowed; the list becomes b alone */
		bnext = nx == cur ? b : nnext;
		set_units(m, b, bunits);
		set_next(m, b, bnext);
		if (TRACING(m))
			trace_note(m, "b + %ld units == cur->next %#llx: merged "
				   "with it, %ld units", units,
				   (unsigned long long)naddr, bunits);
	} else {
		bnext = naddr;
		set_next(m, b, bnext);
	}
	if (merge_prev) {
		set_units(m, caddr, cunits + bunits);
		set_next(m, caddr, bnext);
		if (TRACING(m))
			trace_note(m, "cur %#llx + %ld units == b: merged into "
				   "it, %ld units", (unsigned long long)caddr,
				   cunits, cunits + bunits);
	} else if (!(merge_next && nx == cur)) {
		set_next(m, caddr, b);
	}

	if (merge_next) {
		fb_remove(s, nx);
		if (nx < cur)
			cur--;
	}
	if (merge_prev) {
		s->fb[cur].units += bunits;
		s->slobfree = caddr;
	} else {
		fb_insert(s, fb_upper(s, b), b, bunits);
		s->slobfree = merge_next && nx == cur ? b : caddr;
	}
	if (TRACING(m))
		trace_exit(m, "slobfree = %#llx", (unsigned long long)s->slobfree);
}

/*
 * Hand out blocks[cur] (preceded on the list by blocks[prev]) for a
 * request of units, after splitting off delta leading units to align it.
 */
static kaddr_t slob_take(struct machine *m, size_t prev, size_t cur,
			 kaddr_t aligned, long delta, long units)
{
	struct slob_state *s = m->slob;
	const kaddr_t U = s->unit;
	kaddr_t caddr, cnext, paddr;
	long cunits;

	if (delta) {
		kaddr_t next = s->fb[fb_next(s, cur)].addr;
		long rest = s->fb[cur].units - delta;

		caddr = s->fb[cur].addr;
		set_units(m, aligned, rest);
		set_next(m, aligned, next);
		set_next(m, caddr, aligned);
		set_units(m, caddr, delta);
		s->fb[cur].units = delta;
		fb_insert(s, cur + 1, aligned, rest);
		prev = cur;
		cur = cur + 1;
		if (TRACING(m))
			trace_note(m, "align: leading %ld unit%s at %#llx stay "
				   "free, %#llx (%ld units) is cur", delta,
				   delta == 1 ? "" : "s",
				   (unsigned long long)caddr,
				   (unsigned long long)aligned, rest);
	}
	caddr = s->fb[cur].addr;
	cunits = s->fb[cur].units;
	cnext = s->fb[fb_next(s, cur)].addr;
	paddr = s->fb[prev].addr;
	if (cunits == units) {
		set_next(m, paddr, cnext);
		fb_remove(s, cur);
		if (TRACING(m))
			trace_note(m, "exact fit: %#llx unlinked, prev %#llx -> "
				   "%#llx", (unsigned long long)caddr,
				   (unsigned long long)paddr,
				   (unsigned long long)cnext);
	} else {
		kaddr_t tail = caddr + (kaddr_t)units * U;

		if (prev == cur) {
			/* the only free block: 2.6.20 would leave slobfree on
			 * the block it hands out; keep the tail as the list */
			paddr = tail;
			cnext = tail;
		} else {
			set_next(m, paddr, tail);
		}
		set_units(m, tail, cunits - units);
		set_next(m, tail, cnext);
		set_units(m, caddr, units);
		s->fb[cur].addr = tail;
		s->fb[cur].units = cunits - units;
		if (TRACING(m))
			trace_note(m, "split: %ld units from %#llx, the tail "
				   "%#llx keeps %ld", units,
				   (unsigned long long)caddr,
				   (unsigned long long)tail, cunits - units);
	}
	s->slobfree = paddr;
	if (TRACING(m))
		trace_exit(m, "%#llx (slobfree = %#llx)",
			   (unsigned long long)caddr, (unsigned long long)paddr);
	return caddr;
}

/*
 * slob_alloc(size, gfp, align): next fit from slobfree->next.  When the
 * walk comes back to slobfree without a fit it grows the heap by one page
 * and searches on, except for a request of exactly PAGE_SIZE (the timer's
 * probe), which fails instead.  align 0 means none; the kernel's ALIGN()
 * is applied literally, so the timer's PAGE_SIZE - 1 rounds up to a page
 * boundary.  Returns the block, or 0 with *rc set (and kmem_last_error
 * from the page allocator when growing failed).
 */
static kaddr_t slob_alloc(struct machine *m, size_t size, gfp_t gfp,
			  unsigned long align, int *rc)
{
	struct slob_state *s = m->slob;
	const kaddr_t U = s->unit;
	long units = (long)slob_units(s, size);
	unsigned long looked = 0;
	size_t prev, cur;

	if (TRACING(m)) {
		char g[128];
		kmem_gfp_format(gfp, g, sizeof g);
		trace_enter(m, "slob_alloc", "size %zu (%ld unit%s), gfp %s, "
			    "align %lu", size, units, units == 1 ? "" : "s", g,
			    align);
	}
	prev = fb_index(s, s->slobfree);
	for (cur = fb_next(s, prev);; prev = cur, cur = fb_next(s, cur)) {
		kaddr_t caddr = s->fb[cur].addr;
		long cunits = s->fb[cur].units;
		kaddr_t aligned = caddr;
		long delta = 0;

		if (align) {
			aligned = (caddr + align - 1) & ~((kaddr_t)align - 1);
			delta = (long)((aligned - caddr) / U);
		}
		looked++;
		/* An exact fit of the only free block would empty the
		 * circular list; 2.6.20 hands it out and leaves it linked
		 * to itself.  We treat it as too small and grow instead. */
		if (cunits >= units + delta &&
		    !(s->nfree == 1 && !delta && cunits == units))
			return slob_take(m, prev, cur, aligned, delta, units);
		if (TRACING(m) && looked <= TRACE_WALK_MAX) {
			if (delta)
				trace_note(m, "%#llx: %ld unit%s < %ld + %ld to "
					   "align", (unsigned long long)caddr,
					   cunits, cunits == 1 ? "" : "s",
					   units, delta);
			else
				trace_note(m, "%#llx: %ld unit%s, too small",
					   (unsigned long long)caddr, cunits,
					   cunits == 1 ? "" : "s");
		}
		if (caddr != s->slobfree)
			continue;
		if (TRACING(m) && looked > TRACE_WALK_MAX)
			trace_note(m, "... %lu more block%s too small",
				   looked - TRACE_WALK_MAX,
				   looked - TRACE_WALK_MAX == 1 ? "" : "s");
		if (size == PAGE_SIZE) {
			if (TRACING(m)) {
				trace_note(m, "back at slobfree: size == "
					   "PAGE_SIZE never grows the heap");
				trace_exit(m, "NULL");
			}
			*rc = -ENOMEM;
			return 0;
		}
		if (TRACING(m))
			trace_note(m, "back at slobfree without a fit after %lu "
				   "block%s: __get_free_page", looked,
				   looked == 1 ? "" : "s");
		kaddr_t page;
		int r = __get_free_pages(m, gfp, 0, -1, &page);
		if (r) {
			if (TRACING(m))
				trace_exit(m, "NULL: the heap cannot grow");
			*rc = r;
			return 0;
		}
		arena_add(m, page);
		s->grown++;
		slob_free(m, page, PAGE_SIZE, 0);
		looked = 0;
		cur = fb_index(s, s->slobfree);
	}
}

/* ------------------------------------------------------------------ */
/* Describing addresses (errors and whatis)                            */
/* ------------------------------------------------------------------ */

enum where_kind { W_NONE, W_FREE, W_LIVE, W_PAGES };

struct where {
	enum where_kind kind;           /* what covers the address */
	kaddr_t start;                  /* block or first page */
	long units;                     /* free/heap block length */
	const struct live *rec;         /* W_LIVE, W_PAGES */
};

/* What SLOB memory covers addr. */
static struct where slob_where(const struct machine *m, kaddr_t addr)
{
	const struct slob_state *s = m->slob;
	const kaddr_t U = s->unit;
	struct where w = { W_NONE, 0, 0, NULL };
	size_t i = fb_upper(s, addr);
	bool heap = addr >= s->arena && addr < s->arena + U;

	if (i && addr < s->fb[i - 1].addr + (kaddr_t)s->fb[i - 1].units * U) {
		w.kind = W_FREE;
		w.start = s->fb[i - 1].addr;
		w.units = s->fb[i - 1].units;
		return w;
	}
	if (!heap && addr >= m->page_offset)
		heap = is_arena_pfn(s, (unsigned long)((addr - m->page_offset) >>
						       PAGE_SHIFT));
	if (heap) {
		kaddr_t b = addr & ~(U - 1);
		for (unsigned k = 0; k < MAX_BLOCK_UNITS && b >= U; k++, b -= U) {
			const struct live *e = live_find(s, b);
			if (e && live_in_heap(e) &&
			    b + (kaddr_t)e->size * U > addr) {
				w.kind = W_LIVE;
				w.start = b;
				w.units = e->size;
				w.rec = e;
				return w;
			}
		}
		return w;
	}
	if (addr < m->page_offset)
		return w;
	kaddr_t p = addr & ~(kaddr_t)(PAGE_SIZE - 1);
	for (unsigned k = 0; k < (1u << (MAX_ORDER - 1)) && p >= m->page_offset;
	     k++, p -= PAGE_SIZE) {
		const struct live *e = live_find(s, p);
		if (e && !live_in_heap(e) &&
		    p + ((kaddr_t)PAGE_SIZE << e->size) > addr) {
			w.kind = W_PAGES;
			w.start = p;
			w.rec = e;
			return w;
		}
	}
	return w;
}

static const char *cache_name(const struct slob_state *s, int id)
{
	return id >= 0 && (size_t)id < s->ncaches && s->caches[id] ?
	       s->caches[id]->name : "?";
}

/* Why addr is not what a free wanted, for the error message. */
static void explain(const struct machine *m, kaddr_t addr, char *buf,
		    size_t len)
{
	const struct slob_state *s = m->slob;
	const kaddr_t U = s->unit;
	struct where w = slob_where(m, addr);

	switch (w.kind) {
	case W_FREE:
		snprintf(buf, len, "it is in the free block %#llx: double free?",
			 (unsigned long long)w.start);
		return;
	case W_LIVE:
		switch (w.rec->kind) {
		case LIVE_KMALLOC:
			if (addr == w.start + U)
				snprintf(buf, len, "it is a kmalloc object");
			else
				snprintf(buf, len, "it points inside the kmalloc "
					 "object %#llx",
					 (unsigned long long)(w.start + U));
			return;
		case LIVE_CACHE_OBJ:
			if (addr == w.start)
				snprintf(buf, len, "it is an object of cache %s",
					 cache_name(s, w.rec->cache));
			else
				snprintf(buf, len, "it points inside the object "
					 "%#llx of cache %s",
					 (unsigned long long)w.start,
					 cache_name(s, w.rec->cache));
			return;
		case LIVE_BIGDESC:
			snprintf(buf, len, "it is in a bigblock_t");
			return;
		default:
			snprintf(buf, len, "it is in the descriptor of cache %s",
				 cache_name(s, w.rec->cache));
			return;
		}
	case W_PAGES:
		if (w.rec->kind == LIVE_BIG)
			snprintf(buf, len, "it %s the bigblock %#llx",
				 addr == w.start ? "is" : "points inside",
				 (unsigned long long)w.start);
		else
			snprintf(buf, len, "it %s the object %#llx of cache %s",
				 addr == w.start ? "is" : "points inside",
				 (unsigned long long)w.start,
				 cache_name(s, w.rec->cache));
		return;
	case W_NONE:
		break;
	}
	snprintf(buf, len, "not SLOB memory: double free?");
}

/* ------------------------------------------------------------------ */
/* kmalloc, kfree, ksize                                               */
/* ------------------------------------------------------------------ */

/* kzalloc's memset(obj, 0, size).  find_order can give a bigblock or a
 * page-sized cache object less than size (8193 bytes get 8 KiB, as in
 * 2.6.20); the kernel's memset would run into the next page, kmemlab
 * stops at the end of what was allocated (have). */
static void zero_object(struct machine *m, kaddr_t obj, size_t size,
			size_t have)
{
	if (size > have)
		size = have;
	if (!size)
		return;
	physmem_fill(m, obj - m->page_offset, 0, size);
	if (TRACING(m))
		trace_note(m, "memset(%#llx, 0, %zu)", (unsigned long long)obj,
			   size);
}

/* A bigblock: its bigblock_t from the heap, its pages from the buddy
 * allocator, pushed at the head of `bigblocks`. */
static int kmalloc_big(struct machine *m, size_t size, gfp_t gfp,
		       kaddr_t *out)
{
	struct slob_state *s = m->slob;
	unsigned order = find_order(size);
	size_t bbsize = sizeof_bigblock(s);
	kaddr_t bb, pages = 0;
	int rc = 0;

	if (TRACING(m)) {
		trace_note(m, "size >= PAGE_SIZE - SLOB_UNIT: a bigblock of "
			   "order %u", order);
		if (((size_t)PAGE_SIZE << order) < size)
			trace_note(m, "find_order truncates: %zu bytes get %zu "
				   "(as in 2.6.20)", size,
				   (size_t)PAGE_SIZE << order);
	}
	bb = slob_alloc(m, bbsize, gfp, 0, &rc);
	if (!bb)
		return rc;
	live_add(s, bb, LIVE_BIGDESC, (long)slob_units(s, bbsize), -1);
	poke(m, bb, order, 4);                          /* bb->order */
	rc = __get_free_pages(m, gfp, order, -1, &pages);
	poke(m, bb + s->ptr, rc ? 0 : pages, s->ptr);   /* bb->pages */
	if (rc) {
		if (TRACING(m))
			trace_note(m, "__get_free_pages failed: the bigblock_t "
				   "goes back");
		live_del(s, bb);
		slob_free(m, bb, bbsize, 0);
		return rc;
	}
	poke(m, bb + 2 * s->ptr, s->nbig ? s->big[s->nbig - 1].desc : 0,
	     s->ptr);                                   /* bb->next */
	if (s->nbig == s->bigcap) {
		s->bigcap = s->bigcap ? 2 * s->bigcap : 16;
		s->big = xrealloc(s->big, s->bigcap * sizeof *s->big);
	}
	s->big[s->nbig].pages = pages;
	s->big[s->nbig].desc = bb;
	s->big[s->nbig].order = order;
	s->nbig++;
	live_add(s, pages, LIVE_BIG, order, -1);
	if (TRACING(m))
		trace_note(m, "bigblocks = %#llx (order %u, pages %#llx)",
			   (unsigned long long)bb, order,
			   (unsigned long long)pages);
	*out = pages;
	return 0;
}

/*
 * __kmalloc(size, gfp): a heap block of SLOB_UNITS(size + SLOB_UNIT)
 * units whose first unit is the header, or a bigblock.  __GFP_ZERO makes
 * it kzalloc (memset of size bytes afterwards).  SLOB has no notion of
 * nodes: kmalloc_node is kmalloc.
 */
static int slob_kmalloc(struct machine *m, size_t size, gfp_t gfp, int nid,
			kaddr_t *out)
{
	struct slob_state *s = m->slob;
	const kaddr_t U = s->unit;
	bool zero = gfp & __GFP_ZERO;
	kaddr_t obj = 0;
	int rc = 0;

	gfp &= ~__GFP_ZERO;
	if (size >= PAGE_SIZE - U && find_order(size) >= MAX_ORDER)
		return set_error(m, -ENOMEM, "kmalloc: %zu bytes would need "
				 "order %u pages; __get_free_pages stops at "
				 "order %d", size, find_order(size),
				 MAX_ORDER - 1);
	if (TRACING(m)) {
		char g[128];
		kmem_gfp_format(gfp, g, sizeof g);
		trace_enter(m, "__kmalloc", "size %zu, gfp %s%s", size, g,
			    zero ? " (kzalloc)" : "");
		if (nid >= 0)
			trace_note(m, "SLOB ignores the node (%d)", nid);
	}
	if (size < PAGE_SIZE - U) {
		long units = (long)slob_units(s, size + U);
		kaddr_t blk = slob_alloc(m, size + U, gfp, 0, &rc);

		if (blk) {
			live_add(s, blk, LIVE_KMALLOC, units, -1);
			obj = blk + U;
		}
	} else {
		rc = kmalloc_big(m, size, gfp, &obj);
	}
	if (!obj) {
		if (TRACING(m))
			trace_exit(m, "NULL");
		return rc ? rc : -ENOMEM;
	}
	if (zero)
		zero_object(m, obj, size, size < PAGE_SIZE - U ? size :
			    (size_t)PAGE_SIZE << find_order(size));
	if (TRACING(m))
		trace_exit(m, "%#llx", (unsigned long long)obj);
	*out = obj;
	return 0;
}

/* The bigblock whose pages are at addr: index into s->big, or nbig. */
static size_t find_bigblock(const struct slob_state *s, kaddr_t addr,
			    size_t *steps)
{
	size_t n = 0;

	for (size_t i = s->nbig; i-- > 0;) {
		n++;
		if (s->big[i].pages == addr) {
			if (steps)
				*steps = n;
			return i;
		}
	}
	if (steps)
		*steps = n;
	return s->nbig;
}

/* kfree: a page-aligned address is looked for on `bigblocks` first;
 * anything else is a header-carrying heap block. */
static int slob_kfree(struct machine *m, kaddr_t addr)
{
	struct slob_state *s = m->slob;
	const kaddr_t U = s->unit;
	const struct live *e = NULL;
	size_t steps = 0, bi = s->nbig;
	char why[160];
	int rc;

	if (!(addr & (PAGE_SIZE - 1)))
		bi = find_bigblock(s, addr, &steps);
	if (bi == s->nbig) {
		e = addr >= U ? live_find(s, addr - U) : NULL;
		if (!e || e->kind != LIVE_KMALLOC) {
			explain(m, addr, why, sizeof why);
			return set_error(m, -EINVAL, "kfree: %#llx is not a live "
					 "kmalloc object (%s)",
					 (unsigned long long)addr, why);
		}
	}
	if (TRACING(m))
		trace_enter(m, "kfree", "%#llx", (unsigned long long)addr);
	if (bi < s->nbig) {
		struct bigblock bb = s->big[bi];

		if (TRACING(m))
			trace_note(m, "page-aligned: found on bigblocks after "
				   "%zu step%s, order %u", steps,
				   steps == 1 ? "" : "s", bb.order);
		rc = free_pages_addr(m, bb.pages, bb.order);
		if (rc) {
			if (TRACING(m))
				trace_exit(m, "free_pages refused");
			return rc;
		}
		/* unlink: the entry above it in the list (later in big[])
		 * takes its next */
		if (bi + 1 < s->nbig)
			poke(m, s->big[bi + 1].desc + 2 * s->ptr,
			     bi ? s->big[bi - 1].desc : 0, s->ptr);
		memmove(s->big + bi, s->big + bi + 1,
			(s->nbig - bi - 1) * sizeof *s->big);
		s->nbig--;
		live_del(s, bb.pages);
		live_del(s, bb.desc);
		slob_free(m, bb.desc, sizeof_bigblock(s), 0);
	} else {
		long units = e->size;

		if (TRACING(m) && !(addr & (PAGE_SIZE - 1)))
			trace_note(m, "page-aligned but not on bigblocks (%zu "
				   "searched)", steps);
		live_del(s, addr - U);
		slob_free(m, addr - U, 0, units);
	}
	if (TRACING(m))
		trace_exit(m, "done");
	return 0;
}

/* ksize: PAGE_SIZE << order for a bigblock, else header units * SLOB_UNIT
 * (the header included, as 2.6.20 counts it). */
static int slob_ksize(struct machine *m, kaddr_t addr, size_t *size)
{
	struct slob_state *s = m->slob;
	const kaddr_t U = s->unit;
	const struct live *e;
	char why[160];

	if (!(addr & (PAGE_SIZE - 1))) {
		size_t bi = find_bigblock(s, addr, NULL);
		if (bi < s->nbig) {
			*size = (size_t)PAGE_SIZE << s->big[bi].order;
			return 0;
		}
	}
	e = addr >= U ? live_find(s, addr - U) : NULL;
	if (!e || e->kind != LIVE_KMALLOC) {
		explain(m, addr, why, sizeof why);
		return set_error(m, -EINVAL, "ksize: %#llx is not a live kmalloc "
				 "object (%s)", (unsigned long long)addr, why);
	}
	*size = (size_t)e->size * s->unit;
	return 0;
}

/* ------------------------------------------------------------------ */
/* kmem_cache on SLOB                                                  */
/* ------------------------------------------------------------------ */

static struct slob_cache *get_cache(struct machine *m, int id,
				    const char *op)
{
	struct slob_state *s = m->slob;

	if (id < 0 || (size_t)id >= s->ncaches || !s->caches[id]) {
		set_error(m, -EINVAL, "%s: no cache with id %d", op, id);
		return NULL;
	}
	return s->caches[id];
}

/*
 * kmem_cache_create: the descriptor is a heap block allocated with the
 * SLAB flags passed as the gfp mask (an upstream quirk: they only matter
 * if the heap has to grow).  align is SLOB_ALIGN (the L1 line) with
 * SLAB_MUST_HWCACHE_ALIGN, else 0, raised to the caller's.
 * kmemlab refuses what 2.6.20 would turn into heap corruption: size 0
 * (a 0-unit block is a free block handed out) and, for heap objects, an
 * alignment above PAGE_SIZE (the heap would grow until a page happens to
 * be aligned).
 */
static int slob_cache_create(struct machine *m, const char *name,
			     size_t size, size_t align, unsigned flags,
			     bool ctor, int *id)
{
	struct slob_state *s = m->slob;
	size_t csize = sizeof_slob_cache(s);
	struct slob_cache *c;
	kaddr_t desc;
	int rc = 0;

	if (!size)
		return set_error(m, -EINVAL, "kmem_cache_create: cache %s has "
				 "size 0", name);
	if (size >= PAGE_SIZE && find_order(size) >= MAX_ORDER)
		return set_error(m, -EINVAL, "kmem_cache_create: %zu-byte "
				 "objects would need order %u pages (max %d)",
				 size, find_order(size), MAX_ORDER - 1);
	if (size < PAGE_SIZE && align > PAGE_SIZE)
		return set_error(m, -EINVAL, "kmem_cache_create: align %zu is "
				 "above PAGE_SIZE; SLOB cannot place it", align);
	if (TRACING(m)) {
		char f[160];
		kmem_slab_flags_format(flags, f, sizeof f);
		trace_enter(m, "kmem_cache_create", "%s, size %zu, align %zu, "
			    "flags %s%s", name, size, align, f,
			    ctor ? ", ctor" : "");
		trace_note(m, "descriptor: slob_alloc(%zu, flags as gfp 0x%x)",
			   csize, flags & __GFP_BITS_MASK);
	}
	desc = slob_alloc(m, csize, flags & __GFP_BITS_MASK, 0, &rc);
	if (!desc) {
		if (TRACING(m))
			trace_exit(m, "NULL");
		return set_error(m, rc ? rc : -ENOMEM, "kmem_cache_create: "
				 "cannot create slab cache %s%s", name,
				 (flags & SLAB_PANIC) ?
				 " (SLAB_PANIC: 2.6.20 would panic)" : "");
	}
	c = xcalloc(1, sizeof *c);
	c->name = xstrdup(name);
	c->size = size;
	c->align = (flags & SLAB_MUST_HWCACHE_ALIGN) ? cache_line_size(m) : 0;
	if (c->align < align)
		c->align = align;
	c->flags = flags;
	c->ctor = ctor;
	c->desc = desc;
	poke(m, desc, (uint32_t)size, 4);               /* c->size */
	poke(m, desc + 4, (uint32_t)c->align, 4);       /* c->align */
	s->caches = xrealloc(s->caches, (s->ncaches + 1) * sizeof *s->caches);
	s->caches[s->ncaches] = c;
	*id = (int)s->ncaches++;
	live_add(s, desc, LIVE_CACHEDESC, (long)slob_units(s, csize), *id);
	if (TRACING(m))
		trace_exit(m, "cache %d at %#llx, align %zu", *id,
			   (unsigned long long)desc, c->align);
	return 0;
}

/* kmem_cache_destroy frees the descriptor only.  2.6.20's SLOB does not
 * look for live objects; kmemlab refuses, as SLAB does. */
static int slob_cache_destroy(struct machine *m, int id)
{
	struct slob_state *s = m->slob;
	struct slob_cache *c = get_cache(m, id, "kmem_cache_destroy");

	if (!c)
		return -EINVAL;
	if (c->live) {
		printk(m, KERN_ERR, "slab error in kmem_cache_destroy(): cache "
		       "`%s': Can't free all objects", c->name);
		return set_error(m, -EBUSY, "slab error in kmem_cache_destroy(): "
				 "cache `%s': Can't free all objects (%lu live)",
				 c->name, c->live);
	}
	if (TRACING(m))
		trace_enter(m, "kmem_cache_destroy", "%s", c->name);
	live_del(s, c->desc);
	slob_free(m, c->desc, sizeof_slob_cache(s), 0);
	free(c->name);
	free(c);
	s->caches[id] = NULL;
	if (TRACING(m))
		trace_exit(m, "done");
	return 0;
}

/*
 * kmem_cache_alloc: objects below PAGE_SIZE are heap blocks of
 * SLOB_UNITS(size) units at the cache's alignment, without a header;
 * larger ones are __get_free_pages(find_order(size)).  The constructor
 * runs on every allocation.  __GFP_ZERO makes it kmem_cache_zalloc.
 */
static int slob_cache_alloc(struct machine *m, int id, gfp_t gfp, int nid,
			    kaddr_t *out)
{
	struct slob_state *s = m->slob;
	struct slob_cache *c = get_cache(m, id, "kmem_cache_alloc");
	bool zero = gfp & __GFP_ZERO;
	kaddr_t obj = 0;
	int rc = 0;

	if (!c)
		return -EINVAL;
	if (gfp & ~__GFP_BITS_MASK)
		return set_error(m, -EINVAL, "kmem_cache_alloc: gfp mask 0x%x "
				 "has bits above __GFP_BITS_SHIFT", gfp);
	gfp &= ~__GFP_ZERO;
	if (TRACING(m)) {
		char g[128];
		kmem_gfp_format(gfp, g, sizeof g);
		trace_enter(m, "kmem_cache_alloc", "%s, gfp %s%s", c->name, g,
			    zero ? " (zalloc)" : "");
		if (nid >= 0)
			trace_note(m, "SLOB ignores the node (%d)", nid);
	}
	if (c->size < PAGE_SIZE) {
		obj = slob_alloc(m, c->size, gfp, c->align, &rc);
		if (obj)
			live_add(s, obj, LIVE_CACHE_OBJ,
				 (long)slob_units(s, c->size), id);
	} else {
		unsigned order = find_order(c->size);
		rc = __get_free_pages(m, gfp, order, -1, &obj);
		if (!rc)
			live_add(s, obj, LIVE_CACHE_PAGES, order, id);
		else
			obj = 0;
	}
	if (!obj) {
		if (TRACING(m))
			trace_exit(m, "NULL");
		return rc ? rc : -ENOMEM;
	}
	c->live++;
	if (c->ctor && TRACING(m))
		trace_note(m, "ctor(%#llx, %s, SLAB_CTOR_CONSTRUCTOR)",
			   (unsigned long long)obj, c->name);
	if (zero)
		zero_object(m, obj, c->size, c->size < PAGE_SIZE ? c->size :
			    (size_t)PAGE_SIZE << find_order(c->size));
	if (TRACING(m))
		trace_exit(m, "%#llx", (unsigned long long)obj);
	*out = obj;
	return 0;
}

static int slob_cache_free(struct machine *m, int id, kaddr_t obj)
{
	struct slob_state *s = m->slob;
	struct slob_cache *c = get_cache(m, id, "kmem_cache_free");
	const struct live *e;
	char why[160];
	int rc;

	if (!c)
		return -EINVAL;
	e = live_find(s, obj);
	if (!e || e->cache != id ||
	    (e->kind != LIVE_CACHE_OBJ && e->kind != LIVE_CACHE_PAGES)) {
		explain(m, obj, why, sizeof why);
		return set_error(m, -EINVAL, "kmem_cache_free: %#llx is not a "
				 "live object of cache %s (%s)",
				 (unsigned long long)obj, c->name, why);
	}
	if (TRACING(m))
		trace_enter(m, "kmem_cache_free", "%s, %#llx", c->name,
			    (unsigned long long)obj);
	if (e->kind == LIVE_CACHE_PAGES) {
		rc = free_pages_addr(m, obj, (unsigned)e->size);
		if (rc) {
			if (TRACING(m))
				trace_exit(m, "free_pages refused");
			return rc;
		}
		live_del(s, obj);
	} else {
		live_del(s, obj);
		slob_free(m, obj, c->size, 0);
	}
	c->live--;
	if (TRACING(m))
		trace_exit(m, "done");
	return 0;
}

static int slob_cache_shrink(struct machine *m, int id)
{
	return get_cache(m, id, "kmem_cache_shrink") ? 0 : -EINVAL;
}

static int slob_cache_lookup(const struct machine *m, const char *name)
{
	const struct slob_state *s = m->slob;

	for (size_t i = 0; i < s->ncaches; i++)
		if (s->caches[i] && !strcmp(s->caches[i]->name, name))
			return (int)i;
	return -ENOENT;
}

/* Newest first, like the cache_chain SLAB lists. */
static size_t slob_cache_list(const struct machine *m, int *ids, size_t max)
{
	const struct slob_state *s = m->slob;
	size_t n = 0;

	for (size_t i = s->ncaches; i-- > 0;)
		if (s->caches[i]) {
			if (n < max)
				ids[n] = (int)i;
			n++;
		}
	return n;
}

static int slob_cache_info(const struct machine *m, int id,
			   struct kmem_cache_info *out)
{
	const struct slob_state *s = m->slob;
	const struct slob_cache *c;

	if (id < 0 || (size_t)id >= s->ncaches || !s->caches[id])
		return -EINVAL;
	c = s->caches[id];
	memset(out, 0, sizeof *out);
	out->id = id;
	out->name = c->name;
	out->flags = c->flags;
	out->object_size = c->size;
	out->buffer_size = c->size;
	out->align = c->align;
	out->active_objs = c->live;
	out->has_ctor = c->ctor;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The timer                                                           */
/* ------------------------------------------------------------------ */

/*
 * slob_timer_cbk: carve one whole, page-aligned free page out of the heap
 * (slob_alloc(PAGE_SIZE, 0, PAGE_SIZE - 1), which never grows it) and
 * free_page() it; then run again HZ later.  kmem_cache_init calls it
 * once at boot.
 */
static void slob_timer_cbk(struct machine *m, uint64_t now)
{
	struct slob_state *s = m->slob;
	kaddr_t page;
	int rc = 0;

	if (TRACING(m))
		trace_enter(m, "slob_timer_cbk", "jiffies %llu",
			    (unsigned long long)now);
	page = slob_alloc(m, PAGE_SIZE, 0, PAGE_SIZE - 1, &rc);
	if (page) {
		arena_remove(m, page);
		s->returned++;
		if (free_pages_addr(m, page, 0)) {
			/* the page allocator disagrees (someone freed the
			 * page behind SLOB's back): keep it in the heap */
			arena_add(m, page);
			s->returned--;
			slob_free(m, page, PAGE_SIZE, 0);
			page = 0;
		}
	}
	s->next_timer = now + KMEM_HZ;
	if (TRACING(m)) {
		if (page)
			trace_exit(m, "free_page(%#llx); next run at %llu",
				   (unsigned long long)page,
				   (unsigned long long)s->next_timer);
		else
			trace_exit(m, "no whole free page; next run at %llu",
				   (unsigned long long)s->next_timer);
	}
}

/* Time advanced from prev to m->jiffies: run every firing due since. */
static void slob_tick(struct machine *m, uint64_t prev)
{
	struct slob_state *s = m->slob;

	(void)prev;
	while (s->next_timer <= m->jiffies)
		slob_timer_cbk(m, s->next_timer);
}

/* ------------------------------------------------------------------ */
/* whatis                                                              */
/* ------------------------------------------------------------------ */

static bool slob_whatis(struct machine *m, kaddr_t addr,
			struct kmem_whatis *out)
{
	const struct slob_state *s = m->slob;
	const kaddr_t U = s->unit;
	struct where w = slob_where(m, addr);
	const char *anchor = w.start == s->arena ? "arena anchor: " : "";
	unsigned long long hdr = (unsigned long long)w.start;

	switch (w.kind) {
	case W_NONE:
		return false;
	case W_FREE:
		out->kind = KMEM_ADDR_SLOB;
		out->obj_addr = w.start;
		out->obj_size = (size_t)w.units * U;
		out->offset = (unsigned long)(addr - w.start);
		snprintf(out->detail, sizeof out->detail,
			 "%sfree block, %ld unit%s (%zu bytes), header at %#llx",
			 anchor, w.units, w.units == 1 ? "" : "s",
			 out->obj_size, hdr);
		return true;
	case W_LIVE:
		out->kind = KMEM_ADDR_SLOB;
		out->obj_addr = w.start;
		out->obj_size = (size_t)w.units * U;
		out->offset = (unsigned long)(addr - w.start);
		out->allocated = true;
		switch (w.rec->kind) {
		case LIVE_KMALLOC:
			snprintf(out->detail, sizeof out->detail,
				 "%s%s, %ld unit%s (%zu bytes), header at %#llx",
				 anchor, addr < w.start + U ?
				 "kmalloc header" : "kmalloc object", w.units,
				 w.units == 1 ? "" : "s", out->obj_size, hdr);
			break;
		case LIVE_CACHE_OBJ:
			out->cache_id = w.rec->cache;
			snprintf(out->detail, sizeof out->detail,
				 "%sobject of cache %s, %ld unit%s (%zu bytes)",
				 anchor, cache_name(s, w.rec->cache), w.units,
				 w.units == 1 ? "" : "s", out->obj_size);
			break;
		case LIVE_BIGDESC:
			snprintf(out->detail, sizeof out->detail,
				 "bigblock_t, %ld units (%zu bytes)", w.units,
				 out->obj_size);
			break;
		default:
			out->cache_id = w.rec->cache;
			snprintf(out->detail, sizeof out->detail,
				 "kmem_cache of %s, %ld units (%zu bytes)",
				 cache_name(s, w.rec->cache), w.units,
				 out->obj_size);
			break;
		}
		return true;
	case W_PAGES:
		out->kind = KMEM_ADDR_SLOB_BIG;
		out->obj_addr = w.start;
		out->obj_size = (size_t)PAGE_SIZE << w.rec->size;
		out->offset = (unsigned long)(addr - w.start);
		out->allocated = true;
		if (w.rec->kind == LIVE_BIG) {
			size_t bi = find_bigblock(s, w.start, NULL);
			snprintf(out->detail, sizeof out->detail,
				 "bigblock, order %ld (%zu bytes), bigblock_t "
				 "at %#llx", w.rec->size, out->obj_size,
				 (unsigned long long)(bi < s->nbig ?
						      s->big[bi].desc : 0));
		} else {
			out->cache_id = w.rec->cache;
			snprintf(out->detail, sizeof out->detail,
				 "object of cache %s, order %ld pages",
				 cache_name(s, w.rec->cache), w.rec->size);
		}
		return true;
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* The checker                                                         */
/* ------------------------------------------------------------------ */

#define BROKEN(...) do { snprintf(report, len, "slob: " __VA_ARGS__); \
			 goto out_free; } while (0)

static int cmp_live_addr(const void *a, const void *b)
{
	const struct live *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static bool slob_check(const struct machine *m, char *report, size_t len)
{
	const struct slob_state *s = m->slob;
	const kaddr_t U = s->unit;
	struct live *heap = NULL;
	size_t nheap = 0, nbigpages = 0, nbigdesc = 0, ncachedesc = 0;
	unsigned long long total = 0;
	unsigned long *perc = NULL;
	bool ok = false;

	if (!s->nfree)
		BROKEN("the free list is empty");
	if (fb_index(s, s->slobfree) == s->nfree)
		BROKEN("slobfree %#llx is not a free block",
		       (unsigned long long)s->slobfree);
	for (size_t i = 0; i < s->nfree; i++) {
		const struct fblock *f = &s->fb[i];
		kaddr_t end = f->addr + (kaddr_t)f->units * U;
		kaddr_t want_next = s->fb[fb_next(s, i)].addr;

		if (f->units < 1)
			BROKEN("free block %#llx has %ld units",
			       (unsigned long long)f->addr, f->units);
		if (i + 1 < s->nfree && end > s->fb[i + 1].addr)
			BROKEN("free block %#llx (%ld units) overlaps %#llx",
			       (unsigned long long)f->addr, f->units,
			       (unsigned long long)s->fb[i + 1].addr);
		if (i + 1 < s->nfree && end == s->fb[i + 1].addr)
			BROKEN("free blocks %#llx and %#llx are adjacent but "
			       "not coalesced", (unsigned long long)f->addr,
			       (unsigned long long)s->fb[i + 1].addr);
		if (!in_arena(m, f->addr, (kaddr_t)f->units * U))
			BROKEN("free block %#llx (%ld units) is not inside the "
			       "arena", (unsigned long long)f->addr, f->units);
		if (get_units(m, f->addr) != f->units ||
		    get_next(m, f->addr) != want_next)
			BROKEN("header of free block %#llx reads units %ld, next "
			       "%#llx; the list has %ld, %#llx (overwritten?)",
			       (unsigned long long)f->addr,
			       get_units(m, f->addr),
			       (unsigned long long)get_next(m, f->addr), f->units,
			       (unsigned long long)want_next);
		total += (unsigned long long)f->units;
	}

	/* live blocks */
	heap = xmalloc((s->live.used + 1) * sizeof *heap);
	perc = xcalloc(s->ncaches + 1, sizeof *perc);
	for (size_t i = 0; i < ((size_t)1 << s->live.bits); i++) {
		const struct live *e = &s->live.slot[i];
		unsigned long pfn;

		if (!e->addr)
			continue;
		if (e->kind == LIVE_CACHE_OBJ || e->kind == LIVE_CACHE_PAGES ||
		    e->kind == LIVE_CACHEDESC) {
			if (e->cache < 0 || (size_t)e->cache >= s->ncaches ||
			    !s->caches[e->cache])
				BROKEN("%#llx belongs to a cache (id %d) that "
				       "does not exist",
				       (unsigned long long)e->addr, e->cache);
			if (e->kind == LIVE_CACHEDESC &&
			    s->caches[e->cache]->desc != e->addr)
				BROKEN("%#llx is not the descriptor of cache %s",
				       (unsigned long long)e->addr,
				       s->caches[e->cache]->name);
			if (e->kind != LIVE_CACHEDESC)
				perc[e->cache]++;
		}
		if (!live_in_heap(e)) {
			if (!kaddr_to_pfn(m, e->addr, &pfn) ||
			    kmem_alloc_order(m, pfn) != (int)e->size)
				BROKEN("%#llx should be an order-%ld allocation "
				       "of the page allocator",
				       (unsigned long long)e->addr, e->size);
			if (e->kind == LIVE_BIG)
				nbigpages++;
			continue;
		}
		if (e->size < 1 || !in_arena(m, e->addr, (kaddr_t)e->size * U))
			BROKEN("allocated block %#llx (%ld units) is not inside "
			       "the arena", (unsigned long long)e->addr,
			       e->size);
		if (e->kind == LIVE_KMALLOC && get_units(m, e->addr) != e->size)
			BROKEN("kmalloc header at %#llx reads %ld units, "
			       "allocated %ld (overwritten?)",
			       (unsigned long long)e->addr,
			       get_units(m, e->addr), e->size);
		if (e->kind == LIVE_BIGDESC)
			nbigdesc++;
		if (e->kind == LIVE_CACHEDESC)
			ncachedesc++;
		heap[nheap++] = *e;
		total += (unsigned long long)e->size;
	}
	qsort(heap, nheap, sizeof *heap, cmp_live_addr);
	for (size_t i = 0; i < nheap; i++) {
		kaddr_t end = heap[i].addr + (kaddr_t)heap[i].size * U;
		size_t f = fb_upper(s, heap[i].addr);

		if (i + 1 < nheap && end > heap[i + 1].addr)
			BROKEN("allocated blocks %#llx and %#llx overlap",
			       (unsigned long long)heap[i].addr,
			       (unsigned long long)heap[i + 1].addr);
		if ((f && s->fb[f - 1].addr + (kaddr_t)s->fb[f - 1].units * U >
			  heap[i].addr) ||
		    (f < s->nfree && s->fb[f].addr < end))
			BROKEN("allocated block %#llx (%ld units) overlaps a free "
			       "block", (unsigned long long)heap[i].addr,
			       heap[i].size);
	}
	if (total != (unsigned long long)s->napfn * (PAGE_SIZE / U) + 1)
		BROKEN("free and allocated blocks cover %llu units; %zu arena "
		       "pages and the anchor hold %llu", total, s->napfn,
		       (unsigned long long)s->napfn * (PAGE_SIZE / U) + 1);

	/* arena pages */
	if (s->napfn != s->grown - s->returned)
		BROKEN("%zu arena pages, but %lu were taken and %lu given back",
		       s->napfn, s->grown, s->returned);
	for (size_t i = 0; i < s->napfn; i++)
		if (kmem_alloc_order(m, s->apfn[i]) != 0)
			BROKEN("arena page pfn %#lx is not an order-0 page of "
			       "the page allocator", s->apfn[i]);

	/* bigblocks, head first */
	if (nbigpages != s->nbig || nbigdesc != s->nbig)
		BROKEN("%zu bigblocks listed, %zu live bigblock page ranges, "
		       "%zu bigblock_t", s->nbig, nbigpages, nbigdesc);
	for (size_t i = s->nbig; i-- > 0;) {
		const struct bigblock *bb = &s->big[i];
		const struct live *d = live_find(s, bb->desc);
		const struct live *p = live_find(s, bb->pages);
		kaddr_t next = i ? s->big[i - 1].desc : 0;

		if (!d || d->kind != LIVE_BIGDESC || !p || p->kind != LIVE_BIG ||
		    p->size != (long)bb->order)
			BROKEN("bigblock %#llx (order %u, bigblock_t %#llx) is "
			       "not live", (unsigned long long)bb->pages,
			       bb->order, (unsigned long long)bb->desc);
		if (peek(m, bb->desc, 4) != bb->order ||
		    peek(m, bb->desc + s->ptr, s->ptr) != bb->pages ||
		    peek(m, bb->desc + 2 * s->ptr, s->ptr) != next)
			BROKEN("bigblock_t at %#llx does not read {%u, %#llx, "
			       "%#llx} (overwritten?)",
			       (unsigned long long)bb->desc, bb->order,
			       (unsigned long long)bb->pages,
			       (unsigned long long)next);
	}

	/* caches */
	size_t ncaches = 0;
	for (size_t i = 0; i < s->ncaches; i++) {
		if (!s->caches[i])
			continue;
		ncaches++;
		if (perc[i] != s->caches[i]->live)
			BROKEN("cache %s counts %lu live objects, %lu found",
			       s->caches[i]->name, s->caches[i]->live, perc[i]);
	}
	if (ncaches != ncachedesc)
		BROKEN("%zu caches but %zu kmem_cache descriptors", ncaches,
		       ncachedesc);
	ok = true;
out_free:
	free(heap);
	free(perc);
	return ok;
}

/* ------------------------------------------------------------------ */
/* Life cycle and public queries                                       */
/* ------------------------------------------------------------------ */

/* kmem_cache_init: the static arena {units 1, next &arena}, then the
 * first run of the timer. */
static void slob_init(struct machine *m)
{
	struct slob_state *s = xcalloc(1, sizeof *s);

	m->slob = s;
	s->ptr = bytes_per_word(m);
	s->unit = 2 * s->ptr;   /* int units (+ pad on x86_64) and next */
	s->arena = kernel_static_addr(m, SLOB_ARENA_OFFSET);
	s->live.bits = 6;
	s->live.slot = xcalloc((size_t)1 << s->live.bits, sizeof *s->live.slot);
	fb_insert(s, 0, s->arena, 1);
	s->slobfree = s->arena;
	set_units(m, s->arena, 1);
	set_next(m, s->arena, s->arena);
	slob_timer_cbk(m, m->jiffies);
}

static void slob_destroy(struct machine *m)
{
	struct slob_state *s = m->slob;

	if (!s)
		return;
	for (size_t i = 0; i < s->ncaches; i++)
		if (s->caches[i]) {
			free(s->caches[i]->name);
			free(s->caches[i]);
		}
	free(s->caches);
	free(s->fb);
	free(s->live.slot);
	free(s->big);
	free(s->apfn);
	free(s);
	m->slob = NULL;
}

const struct objalloc_ops slob_ops = {
	.name = "slob",
	.init = slob_init,
	.destroy = slob_destroy,
	.kmalloc = slob_kmalloc,
	.kfree = slob_kfree,
	.ksize = slob_ksize,
	.cache_create = slob_cache_create,
	.cache_destroy = slob_cache_destroy,
	.cache_alloc = slob_cache_alloc,
	.cache_free = slob_cache_free,
	.cache_shrink = slob_cache_shrink,
	.cache_lookup = slob_cache_lookup,
	.cache_list = slob_cache_list,
	.cache_info = slob_cache_info,
	.tick = slob_tick,
	.check = slob_check,
	.whatis = slob_whatis,
	.slabinfo_show = NULL,
	.slabinfo_write = NULL,
};

/* The free list from slobfree (entry 0) around once; returns its length,
 * -EINVAL on a SLAB machine. */
long kmem_slob_freelist(const struct machine *m, struct kmem_slob_block *out,
			size_t max)
{
	const struct slob_state *s = m->slob;
	size_t start;

	if (!s)
		return -EINVAL;
	start = fb_index(s, s->slobfree);
	for (size_t k = 0; k < s->nfree && k < max; k++) {
		size_t i = (start + k) % s->nfree;
		out[k].addr = s->fb[i].addr;
		out[k].units = s->fb[i].units;
		out[k].next = s->fb[fb_next(s, i)].addr;
	}
	return (long)s->nfree;
}

/* `bigblocks` from its head; -EINVAL on a SLAB machine. */
long kmem_slob_bigblocks(const struct machine *m, struct kmem_slob_big *out,
			 size_t max)
{
	const struct slob_state *s = m->slob;

	if (!s)
		return -EINVAL;
	for (size_t k = 0; k < s->nbig && k < max; k++) {
		const struct bigblock *bb = &s->big[s->nbig - 1 - k];
		out[k].addr = bb->pages;
		out[k].order = bb->order;
		out[k].desc = bb->desc;
	}
	return (long)s->nbig;
}

unsigned long kmem_slob_arena_pages(const struct machine *m)
{
	return m->slob ? m->slob->napfn : 0;
}
