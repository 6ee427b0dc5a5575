/*
 * machine.c - booting a simulated machine the way Linux 2.6.20 boots
 * (arch/{i386,x86_64}/kernel/setup.c, mm/bootmem.c, mm/page_alloc.c
 * free_area_init_*, init/main.c start_kernel order).
 *
 *   e820 map      RAM = [0, 0x9f000) + [1 MiB, end); the ISA hole between
 *                 stays PG_reserved for ever
 *   bootmem       all RAM free in the bootmem bitmap, then reserved:
 *                 page 0, SMP trampoline, kernel image + bitmap, then
 *                 alloc_bootmem: mem_map, zone wait tables, PID/dentry/
 *                 inode hashes (goal 16 MiB, packed as bootmem packs them)
 *   zones         spanned from the arch's boundaries; present = spanned -
 *                 holes - memmap pages (- dma_reserve on x86_64)
 *   zonelists     build_all_zonelists
 *   mem_init      free_all_bootmem: whole aligned free words (32 or 64
 *                 pages) at order 5/6, the rest page by page through the
 *                 boot CPU's hot list; i386 highmem page by page
 *   initcalls     init_per_zone_pages_min: watermarks, lowmem_reserve
 *   free_initmem  the .init pages go back, one by one
 *
 * Everything printk'd lands in the dmesg log in 2.6.20's words.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"
#include "swap.h"
#include "vmscan.h"

#define MAXMEM_PFN_I386   229376UL      /* 896 MiB: 4G - 3G - 128M vmalloc */
#define MAX_DMA_PFN       4096UL        /* 16 MiB */
#define MAX_DMA32_PFN     1048576UL     /* 4 GiB */
#define ISA_START_PFN     0x9fUL        /* e820 usable ends at 0x9f000 */
#define ISA_END_PFN       0x100UL       /* 1 MiB */
#define MAX_ORDER_NR_PAGES (1UL << (MAX_ORDER - 1))

/* A typical defconfig image, in KiB: .text, .data, .init, .bss */
struct kernel_image {
	unsigned long phys_start;       /* __PHYSICAL_START */
	unsigned long text_kb, data_kb, init_kb, bss_kb;
};
static const struct kernel_image image_i386 = { 0x100000, 2040, 796, 196, 312 };
static const struct kernel_image image_x86_64 = { 0x200000, 2224, 1036, 236, 588 };

static unsigned long text_pages_bytes(const struct kernel_image *img)
{
	return ((img->text_kb + 3) / 4) * PAGE_SIZE;
}

/* ------------------------------------------------------------------ */
/* printk, errors, trace, randomness                                   */
/* ------------------------------------------------------------------ */

void printk(struct machine *m, int level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	kbuf_printf(&m->log, "%s\n", line);
	if (m->console_fn)
		m->console_fn(m->console_ctx, level, line);
}

int set_error(struct machine *m, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->last_error, sizeof m->last_error, fmt, ap);
	va_end(ap);
	return err;
}

const char *kmem_last_error(const struct machine *m)
{
	return m->last_error;
}

static void trace_emit(struct machine *m, enum kmem_trace_kind kind,
		       const char *func, const char *fmt, va_list ap)
{
	char text[512];
	struct kmem_trace_event ev;

	vsnprintf(text, sizeof text, fmt, ap);
	ev.kind = kind;
	ev.depth = m->trace_depth;
	ev.func = func;
	ev.text = text;
	m->trace_fn(m->trace_ctx, &ev);
}

void trace_enter(struct machine *m, const char *func, const char *fmt, ...)
{
	va_list ap;

	if (!m->trace_fn)
		return;
	va_start(ap, fmt);
	trace_emit(m, KMEM_TRACE_ENTER, func, fmt, ap);
	va_end(ap);
	if (m->trace_depth < TRACE_MAX_DEPTH)
		m->trace_stack[m->trace_depth] = func;
	m->trace_depth++;
}

void trace_note(struct machine *m, const char *fmt, ...)
{
	va_list ap;
	unsigned d = m->trace_depth;

	if (!m->trace_fn)
		return;
	va_start(ap, fmt);
	trace_emit(m, KMEM_TRACE_NOTE,
		   d && d <= TRACE_MAX_DEPTH ? m->trace_stack[d - 1] : "",
		   fmt, ap);
	va_end(ap);
}

void trace_exit(struct machine *m, const char *fmt, ...)
{
	va_list ap;

	if (!m->trace_fn)
		return;
	if (m->trace_depth)
		m->trace_depth--;
	unsigned d = m->trace_depth;
	va_start(ap, fmt);
	trace_emit(m, KMEM_TRACE_EXIT,
		   d < TRACE_MAX_DEPTH ? m->trace_stack[d] : "", fmt, ap);
	va_end(ap);
}

void kmem_set_trace(struct machine *m, kmem_trace_fn fn, void *ctx)
{
	m->trace_fn = fn;
	m->trace_ctx = ctx;
	m->trace_depth = 0;
}

void kmem_set_console(struct machine *m, kmem_console_fn fn, void *ctx)
{
	m->console_fn = fn;
	m->console_ctx = ctx;
}

void kmem_set_seed(struct machine *m, uint64_t seed)
{
	m->rng = seed;
}

/* splitmix64: small, fast, and the same on every host */
uint64_t kmem_random(struct machine *m)
{
	uint64_t z = (m->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

const char *zone_type_name(enum kmem_zone_type t)
{
	static const char *const names[] = { "DMA", "DMA32", "Normal", "HighMem" };

	return t < KMEM_NR_ZONE_TYPES ? names[t] : "?";
}

/* ------------------------------------------------------------------ */
/* bootmem                                                             */
/* ------------------------------------------------------------------ */

struct bootmem {
	unsigned long start, end;       /* PFN range it manages */
	unsigned char *reserved;        /* [end - start], 1 = in use */
	unsigned long last_pos;         /* last page of the last allocation */
	unsigned long last_offset;      /* bytes used in that page, 0 = all */
};

static void reserve_range(struct bootmem *bm, unsigned long start,
			  unsigned long n)
{
	for (unsigned long p = start; p < start + n; p++)
		if (p >= bm->start && p < bm->end)
			bm->reserved[p - bm->start] = 1;
}

static void add_region(struct machine *m, unsigned long start,
		       unsigned long n, const char *what)
{
	if (m->nr_regions < MAX_BOOT_REGIONS && n)
		m->regions[m->nr_regions++] =
			(struct boot_region){ start, n, what };
}

/*
 * __alloc_bootmem_core: first fit of whole free pages at or after goal
 * (again from the start if nothing fits above it); an allocation that
 * starts right after the previous one continues in that one's last,
 * partly used page, as 2.6.20 packs small allocations.  Returns the PFN
 * of the first page touched, or KMEM_NO_PFN.
 */
static unsigned long alloc_bootmem_core(struct machine *m, struct bootmem *bm,
					unsigned long size, unsigned long goal,
					const char *what)
{
	unsigned long areasize = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	unsigned long begin = goal > bm->start && goal < bm->end ? goal : bm->start;

	for (int pass = 0; pass < 2; pass++) {
		unsigned long run = 0;
		for (unsigned long p = begin; p < bm->end; p++) {
			if (bm->reserved[p - bm->start]) {
				run = 0;
				continue;
			}
			if (++run < areasize)
				continue;
			unsigned long start = p + 1 - areasize;
			unsigned long first = start;
			/* packing onto the previous allocation's last page */
			if (bm->last_offset && bm->last_pos + 1 == start) {
				unsigned long offset = (bm->last_offset + 63) & ~63UL;
				unsigned long remaining = PAGE_SIZE - offset;
				first = bm->last_pos;
				if (size < remaining) {
					areasize = 0;
					bm->last_offset = offset + size;
				} else {
					remaining = size - remaining;
					areasize = (remaining + PAGE_SIZE - 1) / PAGE_SIZE;
					bm->last_pos = start + areasize - 1;
					bm->last_offset = remaining;
				}
				bm->last_offset &= PAGE_SIZE - 1;
			} else {
				bm->last_pos = start + areasize - 1;
				bm->last_offset = size & (PAGE_SIZE - 1);
			}
			reserve_range(bm, start, areasize);
			add_region(m, first, areasize + (start - first), what);
			return first;
		}
		if (begin == bm->start)
			break;
		begin = bm->start;
	}
	return KMEM_NO_PFN;
}

/* ------------------------------------------------------------------ */
/* Geometry                                                            */
/* ------------------------------------------------------------------ */

/* Kernel zone index <-> zone type for this arch. */
static enum kmem_zone_type zone_type_of(const struct machine *m, int idx)
{
	static const enum kmem_zone_type i386[] = { KMEM_ZONE_DMA,
		KMEM_ZONE_NORMAL, KMEM_ZONE_HIGHMEM };
	static const enum kmem_zone_type x86_64[] = { KMEM_ZONE_DMA,
		KMEM_ZONE_DMA32, KMEM_ZONE_NORMAL };

	return m->arch == KMEM_ARCH_I386 ? i386[idx] : x86_64[idx];
}

/* Upper PFN bound of a zone index by the arch's boot rules. */
static unsigned long zone_limit(const struct machine *m, int idx)
{
	switch (zone_type_of(m, idx)) {
	case KMEM_ZONE_DMA:
		return MAX_DMA_PFN;
	case KMEM_ZONE_DMA32:
		return MAX_DMA32_PFN;
	case KMEM_ZONE_NORMAL:
		return m->arch == KMEM_ARCH_I386 ? m->max_low_pfn : m->max_pfn;
	default:
		return m->max_pfn;
	}
}

static int zone_index_of_type(const struct machine *m, enum kmem_zone_type t)
{
	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (zone_type_of(m, i) == t)
			return i;
	return -1;
}

static unsigned long wait_table_hash_nr_entries(unsigned long pages)
{
	unsigned long size = 1;

	pages /= 256;                   /* PAGES_PER_WAITQUEUE */
	while (size < pages)
		size <<= 1;
	if (size > 4096)
		size = 4096;
	return size < 4 ? 4 : size;
}

static unsigned long roundup_pow_of_two(unsigned long x)
{
	unsigned long r = 1;

	while (r < x)
		r <<= 1;
	return r;
}

static int ilog2_ul(unsigned long x)
{
	int r = -1;

	while (x) {
		r++;
		x >>= 1;
	}
	return r;
}

/* Is pfn RAM according to the simulated e820 map? */
static bool e820_ram(const struct machine *m, unsigned long pfn)
{
	return pfn < m->max_pfn && !(pfn >= ISA_START_PFN && pfn < ISA_END_PFN);
}

/* ------------------------------------------------------------------ */
/* Boot                                                                */
/* ------------------------------------------------------------------ */

static int setup_geometry(struct machine *m, char *err, size_t errlen)
{
	const struct kmem_config *c = &m->cfg;
	unsigned long node_start = 0;

	m->nr_nodes = c->nr_nodes > 1 ? c->nr_nodes : 1;
	m->max_pfn = (unsigned long)(c->memory >> PAGE_SHIFT);
	if (c->nr_nodes > 1) {
		uint64_t sum = 0;
		for (unsigned i = 0; i < c->nr_nodes; i++)
			sum += c->nodes[i].memory;
		m->max_pfn = (unsigned long)(sum >> PAGE_SHIFT);
	}
	if (c->memory < KMEM_MIN_MEMORY && c->nr_nodes <= 1) {
		snprintf(err, errlen, "memory %lluK is below the %lluM minimum",
			 (unsigned long long)(c->memory >> 10),
			 (unsigned long long)(KMEM_MIN_MEMORY >> 20));
		return -EINVAL;
	}
	if (m->arch == KMEM_ARCH_I386) {
		if (m->max_pfn > (64UL << 30) >> PAGE_SHIFT) {
			snprintf(err, errlen, "i386 addresses at most 64G (HIGHMEM64G)");
			return -EINVAL;
		}
		m->max_low_pfn = m->max_pfn < MAXMEM_PFN_I386 ? m->max_pfn :
				 MAXMEM_PFN_I386;
		m->pae = m->max_pfn > MAX_DMA32_PFN;
	} else {
		m->max_low_pfn = m->max_pfn;
	}
	m->highstart_pfn = m->max_low_pfn;

	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = &m->nodes[nid];
		const struct kmem_node_cfg *nc = c->nr_nodes > 1 ? &c->nodes[nid] :
						 (c->nr_nodes == 1 ? &c->nodes[0] : NULL);
		unsigned long node_pages = c->nr_nodes > 1 ?
			(unsigned long)(nc->memory >> PAGE_SHIFT) : m->max_pfn;
		unsigned long node_end = node_start + node_pages;
		unsigned long zstart = node_start;

		pgdat->node_id = (int)nid;
		pgdat->node_start_pfn = node_start;
		pgdat->node_spanned_pages = node_pages;
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *z = &pgdat->node_zones[i];
			z->idx = i;
			z->type = zone_type_of(m, i);
			z->name = zone_type_name(z->type);
			z->zone_pgdat = pgdat;
			z->prev_priority = 12;  /* DEF_PRIORITY */
		}
		if (nc && nc->nr_zones) {
			/* explicit geometry: zones as given, the rest empty */
			for (unsigned k = 0; k < nc->nr_zones; k++) {
				int idx = zone_index_of_type(m, nc->zones[k].type);
				if (idx < 0) {
					snprintf(err, errlen, "zone %s does not exist on %s",
						 zone_type_name(nc->zones[k].type),
						 m->arch == KMEM_ARCH_I386 ? "i386" : "x86_64");
					return -EINVAL;
				}
				struct zone *z = &pgdat->node_zones[idx];
				z->zone_start_pfn = (unsigned long)nc->zones[k].start_pfn;
				z->spanned_pages = (unsigned long)nc->zones[k].spanned;
				z->present_pages = (unsigned long)nc->zones[k].present;
				if (z->zone_start_pfn + z->spanned_pages > node_end) {
					snprintf(err, errlen, "zone %s ends at pfn %lu, beyond "
						 "node %u's memory (pfn %lu)", z->name,
						 z->zone_start_pfn + z->spanned_pages,
						 nid, node_end);
					return -EINVAL;
				}
			}
			for (int i = 0, last_end = (int)node_start; i < MAX_NR_ZONES; i++) {
				struct zone *z = &pgdat->node_zones[i];
				if (!z->spanned_pages)
					z->zone_start_pfn = (unsigned long)last_end;
				else
					last_end = (int)(z->zone_start_pfn + z->spanned_pages);
			}
		} else {
			for (int i = 0; i < MAX_NR_ZONES; i++) {
				struct zone *z = &pgdat->node_zones[i];
				unsigned long lim = zone_limit(m, i);
				unsigned long zend = lim < node_end ? lim : node_end;
				if (zend < zstart)
					zend = zstart;
				z->zone_start_pfn = zstart;
				z->spanned_pages = zend - zstart;
				zstart = zend;
			}
		}
		node_start = node_end;
	}
	return 0;
}

/* Count the e820 holes inside [start, end). */
static unsigned long holes_in(const struct machine *m, unsigned long start,
			      unsigned long end)
{
	unsigned long lo = start > ISA_START_PFN ? start : ISA_START_PFN;
	unsigned long hi = end < ISA_END_PFN ? end : ISA_END_PFN;

	/* i386 registers one active range 0..highend: no holes there */
	if (m->arch == KMEM_ARCH_I386 || hi <= lo)
		return 0;
	return hi - lo;
}

/*
 * The mem_map array: one struct page per PFN, rounded up to a MAX_ORDER
 * block so a buddy index never leaves it.  Large arrays ask the host for
 * transparent huge pages: booting a 64 GiB machine writes 512 MiB here.
 */
static size_t mem_map_bytes(const struct machine *m)
{
	unsigned long n = (m->max_pfn + MAX_ORDER_NR_PAGES - 1) &
			  ~(MAX_ORDER_NR_PAGES - 1);

	return n * sizeof(struct page);
}

static struct page *alloc_mem_map(size_t bytes)
{
#ifdef MADV_HUGEPAGE
	if (bytes >= (8UL << 20)) {
		void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED) {
			madvise(p, bytes, MADV_HUGEPAGE);
			return p;
		}
	}
#endif
	return xmalloc(bytes);
}

static void free_mem_map(struct page *map, size_t bytes)
{
#ifdef MADV_HUGEPAGE
	if (bytes >= (8UL << 20)) {
		munmap(map, bytes);
		return;
	}
#endif
	free(map);
}

/* memmap_init_zone for every zone (zone links, count 1, PG_reserved);
 * PFNs outside every zone are holes.  One pass, in PFN order. */
static void init_mem_map(struct machine *m)
{
	unsigned long n = mem_map_bytes(m) / sizeof(struct page);
	unsigned long pfn = 0;
	const struct page hole = {
		.flags = (PGS_NODE_HOLE << PGS_NODE_SHIFT) | (1u << PG_reserved),
		._count = 0, ._mapcount = -1, .lru_next = NIL, .lru_prev = NIL,
	};

	m->mem_map = alloc_mem_map(mem_map_bytes(m));
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			const struct zone *z = &m->nodes[nid].node_zones[i];
			unsigned long end = z->zone_start_pfn + z->spanned_pages;
			const struct page init = {
				.flags = (1u << PG_reserved) |
					 ((uint32_t)i << PGS_ZONE_SHIFT) |
					 ((uint32_t)nid << PGS_NODE_SHIFT),
				._count = 1, ._mapcount = -1,
				.lru_next = NIL, .lru_prev = NIL,
			};
			if (!z->spanned_pages)
				continue;
			for (; pfn < z->zone_start_pfn; pfn++)
				m->mem_map[pfn] = hole;
			for (; pfn < end; pfn++)
				m->mem_map[pfn] = init;
		}
	}
	for (; pfn < n; pfn++)
		m->mem_map[pfn] = hole;
}

/* free_area_init_core: present pages, the boot messages, pagesets. */
static void free_area_init_core(struct machine *m, pg_data_t *pgdat,
				struct bootmem *bm, unsigned long dma_reserve)
{
	unsigned long total = 0;
	const unsigned wq_size = m->arch == KMEM_ARCH_I386 ? 12 : 24;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		total += pgdat->node_zones[i].spanned_pages;
	printk(m, KERN_DEBUG, "On node %d totalpages: %lu", pgdat->node_id, total);

	bool explicit = m->cfg.nr_nodes >= 1 &&
		m->cfg.nodes[m->cfg.nr_nodes > 1 ? pgdat->node_id : 0].nr_zones;
	for (int j = 0; j < MAX_NR_ZONES; j++) {
		struct zone *z = &pgdat->node_zones[j];
		unsigned long size = z->spanned_pages;
		unsigned long realsize = size - holes_in(m, z->zone_start_pfn,
							 z->zone_start_pfn + size);
		unsigned long memmap = (size * m->struct_page_size) >> PAGE_SHIFT;

		z->memmap_pages = 0;
		if (size == 0) {
			z->present_pages = 0;
			continue;
		}
		if (explicit && z->present_pages) {
			/* the machine file gives present; keep it, report memmap */
			z->memmap_pages = memmap;
			printk(m, KERN_DEBUG, "  %s zone: %lu pages used for memmap",
			       z->name, memmap);
			realsize = z->present_pages;
		} else {
			if (realsize >= memmap) {
				realsize -= memmap;
				z->memmap_pages = memmap;
				printk(m, KERN_DEBUG, "  %s zone: %lu pages used for memmap",
				       z->name, memmap);
			} else {
				printk(m, KERN_WARNING, "  %s zone: %lu pages exceeds realsize %lu",
				       z->name, memmap, realsize);
			}
			if (j == 0 && realsize > dma_reserve) {
				realsize -= dma_reserve;
				printk(m, KERN_DEBUG, "  %s zone: %lu pages reserved",
				       z->name, dma_reserve);
			}
		}
		z->present_pages = realsize;
		pgdat->node_present_pages += realsize;

		/* zone_pcp_init: NUMA boots on boot_pageset (batch 0) and gets
		 * real pagesets from setup_per_cpu_pageset after mem_init */
		int batch = zone_batchsize(z);
		z->pageset = xcalloc(m->cpus, sizeof(struct per_cpu_pageset));
		for (unsigned cpu = 0; cpu < m->cpus; cpu++)
			setup_pageset(&z->pageset[cpu], m->numa ? 0 : (unsigned long)batch);
		if (z->present_pages)
			printk(m, KERN_DEBUG, "  %s zone: %lu pages, LIFO batch:%d",
			       z->name, z->present_pages, batch);
		for (int o = 0; o < MAX_ORDER; o++)
			plist_init(&z->free_area[o].free_list);
		/* zone_wait_table_init */
		z->wait_table_hash_nr_entries = wait_table_hash_nr_entries(size);
		alloc_bootmem_core(m, bm, z->wait_table_hash_nr_entries * wq_size,
				   MAX_DMA_PFN, "zone wait table");
	}
	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (populated_zone(&pgdat->node_zones[i]))
			pgdat->nr_zones = i + 1;
}

/* alloc_bootmem_low_pages(PAGE_SIZE) for a boot page table: lowest
 * free page, never packed with other allocations. */
static unsigned long alloc_low_table(struct machine *m, void *ctx,
				     const char *what)
{
	struct bootmem *bm = ctx;
	unsigned long last_pos = bm->last_pos, last_off = bm->last_offset;

	bm->last_offset = 0;
	unsigned long pfn = alloc_bootmem_core(m, bm, PAGE_SIZE, 0, what);
	bm->last_pos = last_pos;
	bm->last_offset = last_off;
	return pfn;
}

/* alloc_large_system_hash for the boot-time hashes. */
static void alloc_large_system_hash(struct machine *m, struct bootmem *bm,
				    const char *name, unsigned long bucketsize,
				    int scale, unsigned long nr_kernel_pages)
{
	unsigned long numentries = nr_kernel_pages;

	numentries += (1UL << (20 - PAGE_SHIFT)) - 1;
	numentries >>= 20 - PAGE_SHIFT;
	numentries <<= 20 - PAGE_SHIFT;
	if (scale > PAGE_SHIFT)
		numentries >>= (scale - PAGE_SHIFT);
	else
		numentries <<= (PAGE_SHIFT - scale);
	numentries = roundup_pow_of_two(numentries);
	unsigned long max = ((m->num_physpages << PAGE_SHIFT) >> 4) / bucketsize;
	if (numentries > max)
		numentries = max;
	int log2qty = ilog2_ul(numentries);
	unsigned long size = bucketsize << log2qty;
	alloc_bootmem_core(m, bm, size, MAX_DMA_PFN, name);
	printk(m, KERN_INFO, "%s hash table entries: %lu (order: %d, %lu bytes)",
	       name, 1UL << log2qty, ilog2_ul(size) - PAGE_SHIFT, size);
}

/*
 * free_all_bootmem_core: every whole, aligned, free bitmap word goes to the
 * buddy allocator as one block of order log2(BITS_PER_LONG); other free
 * pages one at a time.  The bitmap's own pages go last.
 */
static unsigned long free_all_bootmem_core(struct machine *m,
					   struct bootmem *bm,
					   unsigned long bitmap_pfn,
					   unsigned long bitmap_pages)
{
	const unsigned long bits = m->bits_per_long;
	const unsigned order = bits == 32 ? 5 : 6;
	unsigned long count = 0;
	bool gofast = !(bm->start & (bits - 1));

	for (unsigned long i = bm->start; i < bm->end; i += bits) {
		unsigned long n = bm->end - i < bits ? bm->end - i : bits;
		bool all_free = n == bits;
		for (unsigned long k = 0; k < n && all_free; k++)
			if (bm->reserved[i + k - bm->start])
				all_free = false;
		if (gofast && all_free) {
			__free_pages_bootmem(m, pfn_to_page(m, i), order);
			count += bits;
			continue;
		}
		for (unsigned long k = 0; k < n; k++) {
			if (bm->reserved[i + k - bm->start])
				continue;
			__free_pages_bootmem(m, pfn_to_page(m, i + k), 0);
			count++;
		}
	}
	for (unsigned long k = 0; k < bitmap_pages; k++) {
		__free_pages_bootmem(m, pfn_to_page(m, bitmap_pfn + k), 0);
		count++;
	}
	return count;
}

static void boot(struct machine *m)
{
	const struct kernel_image *img = m->arch == KMEM_ARCH_I386 ?
		&image_i386 : &image_x86_64;
	const bool i386 = m->arch == KMEM_ARCH_I386;
	struct bootmem bm[KMEM_MAX_NODES];
	unsigned long bitmap_pfn = 0, bitmap_pages = 0;

	printk(m, KERN_NOTICE, "Linux version 2.6.20-kmemlab (kmemlab@simulation) "
	       "(gcc version 4.1.2) #1%s", m->smp ? " SMP" : "");
	printk(m, KERN_INFO, "BIOS-provided physical RAM map:");
	printk(m, KERN_INFO, " BIOS-e820: %016lx - %016lx (usable)", 0UL,
	       ISA_START_PFN << PAGE_SHIFT);
	printk(m, KERN_INFO, " BIOS-e820: %016lx - %016lx (reserved)",
	       ISA_START_PFN << PAGE_SHIFT, ISA_END_PFN << PAGE_SHIFT);
	printk(m, KERN_INFO, " BIOS-e820: %016lx - %016lx (usable)",
	       ISA_END_PFN << PAGE_SHIFT, m->max_pfn << PAGE_SHIFT);
	if (i386) {
		if (m->max_pfn > m->max_low_pfn)
			printk(m, KERN_NOTICE, "%luMB HIGHMEM available.",
			       (m->max_pfn - m->max_low_pfn) >> (20 - PAGE_SHIFT));
		printk(m, KERN_NOTICE, "%luMB LOWMEM available.",
		       m->max_low_pfn >> (20 - PAGE_SHIFT));
	}
	m->num_physpages = m->max_pfn;

	/* bootmem per node; on i386 it covers lowmem only */
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = &m->nodes[nid];
		struct bootmem *b = &bm[nid];
		b->start = pgdat->node_start_pfn;
		b->end = pgdat->node_start_pfn + pgdat->node_spanned_pages;
		if (b->end > m->max_low_pfn)
			b->end = m->max_low_pfn;
		b->reserved = xcalloc(b->end - b->start + 1, 1);
		b->last_pos = 0;
		b->last_offset = 0;
		for (unsigned long p = b->start; p < b->end; p++)
			if (!e820_ram(m, p))
				b->reserved[p - b->start] = 1;
	}
	add_region(m, ISA_START_PFN, ISA_END_PFN - ISA_START_PFN,
		   "ISA hole / BIOS (e820 reserved)");

	/* setup_bootmem_allocator: kernel image and the bitmap after it */
	unsigned long kstart = img->phys_start >> PAGE_SHIFT;
	unsigned long text = (img->text_kb + 3) / 4, data = (img->data_kb + 3) / 4;
	unsigned long init = (img->init_kb + 3) / 4, bss = (img->bss_kb + 3) / 4;
	add_region(m, kstart, text, "kernel code");
	add_region(m, kstart + text, data, "kernel data");
	add_region(m, kstart + text + data, init, "kernel init");
	add_region(m, kstart + text + data + init, bss, "kernel bss");
	unsigned long kend = kstart + text + data + init + bss;
	bitmap_pfn = kend;
	bitmap_pages = ((bm[0].end - bm[0].start + 7) / 8 + PAGE_SIZE - 1) / PAGE_SIZE;
	add_region(m, bitmap_pfn, bitmap_pages, "bootmem bitmap");
	reserve_range(&bm[0], kstart, kend - kstart + bitmap_pages);
	reserve_range(&bm[0], 0, 1);
	add_region(m, 0, 1, "BIOS data page");
	unsigned long dma_reserve = 0;
	if (m->smp) {
		unsigned long tramp = i386 ? 1 : 6;     /* alloc_bootmem_low / 0x6000 */
		reserve_range(&bm[0], tramp, 1);
		add_region(m, tramp, 1, "SMP trampoline");
		if (!i386)
			dma_reserve++;
	}
	if (!i386)      /* reserve_bootmem_generic counts what lies below 16M */
		dma_reserve += 1 + (kend - kstart) + bitmap_pages;
	m->kernel_code_kb = img->text_kb;
	m->kernel_data_kb = img->data_kb;
	m->kernel_init_kb = img->init_kb;

	/* paging_init: pagetable_init (direct map, pkmap and fixmap tables) */
	pgtable_boot(m, alloc_low_table, &bm[0]);

	/* paging_init -> free_area_init_nodes */
	printk(m, KERN_INFO, "Zone PFN ranges:");
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		unsigned long lo = i ? zone_limit(m, i - 1) : 0;
		unsigned long hi = zone_limit(m, i);
		if (lo > m->max_pfn)
			lo = m->max_pfn;
		if (hi > m->max_pfn)
			hi = m->max_pfn;
		printk(m, KERN_INFO, "  %-8s %8lu -> %8lu",
		       zone_type_name(zone_type_of(m, i)), lo, hi);
	}
	unsigned ranges = i386 ? m->nr_nodes : 2 * m->nr_nodes - (m->nr_nodes > 1);
	printk(m, KERN_INFO, "early_node_map[%u] active PFN ranges", ranges);
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		unsigned long s = m->nodes[nid].node_start_pfn;
		unsigned long e = s + m->nodes[nid].node_spanned_pages;
		if (!i386 && s < ISA_END_PFN) {
			printk(m, KERN_INFO, "  %3u: %8lu -> %8lu", nid, s, ISA_START_PFN);
			printk(m, KERN_INFO, "  %3u: %8lu -> %8lu", nid, ISA_END_PFN, e);
		} else {
			printk(m, KERN_INFO, "  %3u: %8lu -> %8lu", nid, s, e);
		}
	}
	for (unsigned nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = &m->nodes[nid];
		/* alloc_node_mem_map: MAX_ORDER-aligned, goal 16 MiB */
		unsigned long s = pgdat->node_start_pfn & ~(MAX_ORDER_NR_PAGES - 1);
		unsigned long e = (pgdat->node_start_pfn + pgdat->node_spanned_pages +
				   MAX_ORDER_NR_PAGES - 1) & ~(MAX_ORDER_NR_PAGES - 1);
		alloc_bootmem_core(m, &bm[nid], (e - s) * m->struct_page_size,
				   MAX_DMA_PFN, "mem_map");
		free_area_init_core(m, pgdat, &bm[nid], nid == 0 ? dma_reserve : 0);
	}

	build_all_zonelists(m);
	m->vm_total_pages = nr_free_pagecache_pages(m);
	printk(m, KERN_INFO, "Built %u zonelists.  Total pages: %lu", m->nr_nodes,
	       m->vm_total_pages);

	/* pidhash_init, vfs_caches_init_early */
	unsigned long nr_kernel_pages = 0;
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			const struct zone *z = &m->nodes[nid].node_zones[i];
			if (!is_highmem(z))
				nr_kernel_pages += z->present_pages;
		}
	{
		unsigned long megabytes = nr_kernel_pages >> (20 - PAGE_SHIFT);
		int shift = ilog2_ul(megabytes * 4) + 1;    /* fls() */
		if (shift < 4)
			shift = 4;
		if (shift > 12)
			shift = 12;
		unsigned long bytes = (1UL << shift) * (m->bits_per_long / 8);
		alloc_bootmem_core(m, &bm[0], bytes, MAX_DMA_PFN, "PID hash");
		printk(m, KERN_INFO, "PID hash table entries: %lu (order: %d, %lu bytes)",
		       1UL << shift, shift, bytes);
	}
	alloc_large_system_hash(m, &bm[0], "Dentry cache", m->bits_per_long / 8,
				13, nr_kernel_pages);
	alloc_large_system_hash(m, &bm[0], "Inode-cache", m->bits_per_long / 8,
				14, nr_kernel_pages);

	/* mem_init */
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		m->totalram_pages += free_all_bootmem_core(m, &bm[nid],
			nid == 0 ? bitmap_pfn : 0, nid == 0 ? bitmap_pages : 0);
	if (i386) {
		/* set_highmem_pages_init: add_one_highpage_init, one by one */
		for (unsigned long pfn = m->highstart_pfn; pfn < m->max_pfn; pfn++) {
			if (!e820_ram(m, pfn) || page_is_hole(pfn_to_page(m, pfn)))
				continue;
			__free_pages_bootmem(m, pfn_to_page(m, pfn), 0);
			m->totalhigh_pages++;
		}
		m->totalram_pages += m->totalhigh_pages;
	}
	m->reserved_pages = 0;
	for (unsigned long pfn = 0; pfn < m->max_low_pfn; pfn++)
		if (e820_ram(m, pfn) && PageFlag(pfn_to_page(m, pfn), PG_reserved) &&
		    !page_is_hole(pfn_to_page(m, pfn)))
			m->reserved_pages++;
	if (i386)
		printk(m, KERN_INFO, "Memory: %luk/%luk available (%luk kernel code, "
		       "%luk reserved, %luk data, %luk init, %luk highmem)",
		       nr_free_pages(m) << 2, m->num_physpages << 2,
		       img->text_kb, m->reserved_pages << 2, img->data_kb,
		       img->init_kb, m->totalhigh_pages << 2);
	else
		printk(m, KERN_INFO, "Memory: %luk/%luk available (%luk kernel code, "
		       "%luk reserved, %luk data, %luk init)",
		       nr_free_pages(m) << 2, m->num_physpages << 2,
		       img->text_kb, m->reserved_pages << 2, img->data_kb,
		       img->init_kb);
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		free(bm[nid].reserved);
	if (i386) {
		struct kmem_layout l;
		kernel_layout(m, &l);
		printk(m, KERN_INFO, "virtual kernel memory layout:");
		printk(m, KERN_INFO, "    fixmap  : 0x%08llx - 0x%08llx   (%4llu kB)",
		       (unsigned long long)l.fixaddr_start,
		       (unsigned long long)l.fixaddr_top,
		       (unsigned long long)((l.fixaddr_top - l.fixaddr_start) >> 10));
		printk(m, KERN_INFO, "    pkmap   : 0x%08llx - 0x%08llx   (%4llu kB)",
		       (unsigned long long)l.pkmap_base,
		       (unsigned long long)l.pkmap_end,
		       (unsigned long long)((l.pkmap_end - l.pkmap_base) >> 10));
		printk(m, KERN_INFO, "    vmalloc : 0x%08llx - 0x%08llx   (%4llu MB)",
		       (unsigned long long)l.vmalloc_start,
		       (unsigned long long)l.vmalloc_end,
		       (unsigned long long)((l.vmalloc_end - l.vmalloc_start) >> 20));
		printk(m, KERN_INFO, "    lowmem  : 0x%08llx - 0x%08llx   (%4llu MB)",
		       (unsigned long long)l.page_offset,
		       (unsigned long long)l.high_memory,
		       (unsigned long long)((l.high_memory - l.page_offset) >> 20));
		kaddr_t text_va = m->page_offset + img->phys_start;
		kaddr_t data_va = text_va + text_pages_bytes(img);
		kaddr_t init_va = data_va + ((img->data_kb + 3) / 4) * PAGE_SIZE;
		printk(m, KERN_INFO, "      .init : 0x%08llx - 0x%08llx   (%4lu kB)",
		       (unsigned long long)init_va,
		       (unsigned long long)(init_va + img->init_kb * 1024),
		       img->init_kb);
		printk(m, KERN_INFO, "      .data : 0x%08llx - 0x%08llx   (%4lu kB)",
		       (unsigned long long)data_va,
		       (unsigned long long)(data_va + img->data_kb * 1024),
		       img->data_kb);
		printk(m, KERN_INFO, "      .text : 0x%08llx - 0x%08llx   (%4lu kB)",
		       (unsigned long long)text_va,
		       (unsigned long long)(text_va + img->text_kb * 1024),
		       img->text_kb);
	}
	vmalloc_init(m);
	highmem_init(m);
	mm_state_init(m);       /* host side only; caches at first spawn */
	lru_init(m);
	swap_init(m);
	vmscan_init(m);
	blk_init(m);
	dcache_init(m);
	oom_init(m);            /* m->out_of_memory: always active */
	mempool_init(m);

	/* kmem_cache_init: SLAB or SLOB */
	m->oa->init(m);

	/* setup_per_cpu_pageset (NUMA): real pagesets replace boot_pageset */
	if (m->numa) {
		for (unsigned nid = 0; nid < m->nr_nodes; nid++)
			for (int i = 0; i < MAX_NR_ZONES; i++) {
				struct zone *z = &m->nodes[nid].node_zones[i];
				if (!z->pageset)
					continue;
				for (unsigned cpu = 0; cpu < m->cpus; cpu++)
					setup_pageset(&z->pageset[cpu],
						      (unsigned long)zone_batchsize(z));
			}
	}

	/* initcalls: init_per_zone_pages_min, with any vm overrides */
	sysctl_init(m);
	setup_per_zone_pages_min(m);
	setup_per_zone_lowmem_reserve(m);
	if (m->sysctl[SYSCTL_PERCPU_PAGELIST_FRACTION][0] > 0)
		setup_per_zone_pageset_high(m);
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *z = &m->nodes[nid].node_zones[i];
			if (z->pageset)
				for (unsigned cpu = 0; cpu < m->cpus; cpu++)
					z->pageset[cpu].stat_threshold =
						calculate_threshold(m, z);
		}

	/* free_initmem */
	unsigned long istart = kstart + text + data;
	for (unsigned long pfn = istart; pfn < istart + init; pfn++) {
		struct page *p = pfn_to_page(m, pfn);
		ClearPageFlag(p, PG_reserved);
		p->_count = 1;
		set_page_alloc_order(p, 0);
		free_hot_cold_page(m, p, 0);
		m->totalram_pages++;
	}
	printk(m, KERN_INFO, "Freeing unused kernel memory: %luk freed",
	       img->init_kb);
	/* the kernel image's .init region is gone now */
	for (unsigned i = 0; i < m->nr_regions; i++)
		if (!strcmp(m->regions[i].what, "kernel init") ||
		    !strcmp(m->regions[i].what, "bootmem bitmap"))
			m->regions[i].nr_pages = 0;
}

int kmem_machine_create(const struct kmem_config *cfg, struct machine **out,
			char *err, size_t errlen)
{
	struct machine *m;
	int rc = kmem_config_validate(cfg, err, errlen);

	if (rc)
		return rc;
	m = xcalloc(1, sizeof *m);
	m->cfg = *cfg;
	m->arch = cfg->arch;
	m->cpus = cfg->cpus ? cfg->cpus : 1;
	if (m->cpus > KMEM_MAX_CPUS) {
		snprintf(err, errlen, "cpus %u is above the maximum %d", m->cpus,
			 KMEM_MAX_CPUS);
		free(m);
		return -EINVAL;
	}
	m->smp = m->cpus > 1;
	m->numa = m->arch == KMEM_ARCH_X86_64;
	m->struct_page_size = m->arch == KMEM_ARCH_I386 ? 32 : 56;
	m->bits_per_long = m->arch == KMEM_ARCH_I386 ? 32 : 64;
	m->page_offset = m->arch == KMEM_ARCH_I386 ? 0xC0000000ULL :
			 0xffff810000000000ULL;
	m->rng = cfg->seed;
	kbuf_init(&m->log);
	physmem_init(m);
	rc = setup_geometry(m, err, errlen);
	if (!rc && m->cpus < m->nr_nodes) {
		snprintf(err, errlen, "%u nodes need at least %u cpus", m->nr_nodes,
			 m->nr_nodes);
		rc = -EINVAL;
	}
	if (rc) {
		physmem_destroy(m);
		kbuf_free(&m->log);
		free(m);
		return rc;
	}
	for (unsigned cpu = 0; cpu < m->cpus; cpu++)
		m->cpu_node[cpu] = cpu * m->nr_nodes / m->cpus;
	m->oa = cfg->allocator == KMEM_ALLOC_SLOB ? &slob_ops : &slab_ops;
	init_mem_map(m);
	m->booting = true;
	boot(m);
	m->booting = false;
	timeline_init(m);               /* the boot sample, jiffies 0 */
	m->last_error[0] = '\0';
	*out = m;
	return 0;
}

void kmem_machine_destroy(struct machine *m)
{
	if (!m)
		return;
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_NR_ZONES; i++)
			free(m->nodes[nid].node_zones[i].pageset);
	mempool_destroy_all(m);
	timeline_destroy(m);
	mm_state_destroy(m);
	oom_destroy(m);
	lru_free(m);
	swap_destroy(m);
	dcache_destroy(m);
	vmscan_destroy(m);
	blk_destroy(m);
	if (m->oa)
		m->oa->destroy(m);
	vmalloc_destroy(m);
	highmem_destroy(m);
	if (m->mem_map)
		free_mem_map(m->mem_map, mem_map_bytes(m));
	physmem_destroy(m);
	kbuf_free(&m->log);
	free(m);
}

size_t kmem_host_bytes(const struct machine *m)
{
	size_t n = sizeof *m + m->log.cap + timeline_host_bytes(m);
	unsigned long pages = (m->max_pfn + MAX_ORDER_NR_PAGES - 1) &
			      ~(MAX_ORDER_NR_PAGES - 1);

	n += pages * sizeof(struct page);
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_NR_ZONES; i++)
			if (m->nodes[nid].node_zones[i].pageset)
				n += m->cpus * sizeof(struct per_cpu_pageset);
	return n;
}

const struct kmem_config *kmem_machine_config(const struct machine *m)
{
	return &m->cfg;
}

void kmem_machine_info(const struct machine *m, struct kmem_machine_info *out)
{
	memset(out, 0, sizeof *out);
	out->arch = m->arch;
	out->arch_name = m->arch == KMEM_ARCH_I386 ? "i386" : "x86_64";
	out->name = m->cfg.name;
	out->cpus = m->cpus;
	out->nr_nodes = m->nr_nodes;
	out->numa = m->numa;
	out->smp = m->smp;
	out->pae = m->pae;
	out->allocator = m->cfg.allocator;
	out->cur_cpu = m->cur_cpu;
	out->max_pfn = m->max_pfn;
	out->max_low_pfn = m->max_low_pfn;
	out->totalram_pages = m->totalram_pages;
	out->totalhigh_pages = m->totalhigh_pages;
	out->nr_free_pages = nr_free_pages(m);
	out->page_offset = m->page_offset;
	out->jiffies = m->jiffies;
	out->seed = m->rng;
}

int kmem_set_cpu(struct machine *m, unsigned cpu)
{
	if (cpu >= m->cpus)
		return set_error(m, -EINVAL, "cpu %u is not online (cpus 0..%u)",
				 cpu, m->cpus - 1);
	m->cur_cpu = cpu;
	return 0;
}

unsigned kmem_cpu_to_node(const struct machine *m, unsigned cpu)
{
	return cpu < m->cpus ? m->cpu_node[cpu] : 0;
}

void clock_sleep(struct machine *m, uint64_t n)
{
	m->jiffies += n;
	timeline_sample(m);
}

/* Advance simulated time; timers due in between run in time order
 * (cache_reap or SLOB's page return now; kswapd and pdflush later). */
int kmem_tick(struct machine *m, uint64_t n)
{
	uint64_t prev = m->jiffies;

	m->jiffies += n;
	if (m->oa && m->oa->tick)
		m->oa->tick(m, prev);
	writeback_tick(m, prev);        /* pdflush timers, then kswapd */
	timeline_sample(m);
	return 0;
}

const char *kmem_dmesg(const struct machine *m, size_t *len)
{
	if (len)
		*len = m->log.len;
	return m->log.data ? m->log.data : "";
}

bool kmem_check(const struct machine *m, char *report, size_t len)
{
	if (len)
		report[0] = '\0';
	if (!page_alloc_check(m, report, len))
		return false;
	if (m->oa && !m->oa->check(m, report, len))
		return false;
	return vmalloc_check(m, report, len) && highmem_check(m, report, len) &&
	       mm_check(m, report, len) &&
	       lru_check((struct machine *)m, report, len) &&
	       dcache_check((struct machine *)m, report, len) &&
	       swap_check((struct machine *)m, report, len) &&
	       oom_check(m, report, len) && mempool_check(m, report, len) &&
	       blk_check(m, report, len) &&
	       timeline_check(m, report, len);
}

kaddr_t kernel_static_addr(const struct machine *m, unsigned long offset)
{
	const struct kernel_image *img = m->arch == KMEM_ARCH_I386 ?
		&image_i386 : &image_x86_64;
	unsigned long data = img->phys_start + ((img->text_kb + 3) / 4) * PAGE_SIZE;

	return m->page_offset + data + offset;
}

/* What reserved this page at boot, or NULL. */
const char *boot_region_of(const struct machine *m, unsigned long pfn)
{
	for (unsigned i = 0; i < m->nr_regions; i++) {
		const struct boot_region *r = &m->regions[i];
		if (pfn >= r->start_pfn && pfn < r->start_pfn + r->nr_pages)
			return r->what;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Addresses                                                           */
/* ------------------------------------------------------------------ */

kaddr_t kmem_pfn_to_phys(unsigned long pfn)
{
	return (kaddr_t)pfn << PAGE_SHIFT;
}

bool kmem_page_address(const struct machine *m, unsigned long pfn,
		       kaddr_t *va)
{
	if (pfn >= m->max_low_pfn)
		return false;
	*va = m->page_offset + ((kaddr_t)pfn << PAGE_SHIFT);
	return true;
}

int kmem_virt_to_pfn(const struct machine *m, kaddr_t va, unsigned long *pfn)
{
	kaddr_t lowmem_end = m->page_offset + ((kaddr_t)m->max_low_pfn << PAGE_SHIFT);

	if (va >= m->page_offset && va < lowmem_end) {
		*pfn = (unsigned long)((va - m->page_offset) >> PAGE_SHIFT);
		return 0;
	}
	if (va < ((kaddr_t)m->max_pfn << PAGE_SHIFT)) {
		*pfn = (unsigned long)(va >> PAGE_SHIFT);
		return 0;
	}
	return -EFAULT;
}
