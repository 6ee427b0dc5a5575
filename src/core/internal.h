/*
 * internal.h - what the engine's subsystems share with each other and the
 * front ends must not use (the kernel's mm/internal.h plays this part).
 *
 * Layout of the model:
 *
 *   struct machine
 *     +- mem_map[max_pfn]        one 32-byte struct page per page frame
 *     +- nodes[nid]              pg_data_t
 *     |    +- node_zones[idx]    struct zone: free_area[0..10], pagesets,
 *     |    |                     watermarks, lowmem_reserve, counters
 *     |    +- node_zonelists[idx] fallback order for gfp_zone() == idx
 *     +- sysctl[], vm_events[], trace and console hooks, dmesg log
 *
 * Lists are threaded through page->lru by PFN (32-bit indices rather than
 * host pointers), so a struct page stays at 32 bytes and every list order
 * is deterministic and printable.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#ifndef KMEM_INTERNAL_H
#define KMEM_INTERNAL_H

#include <errno.h>
#include <stdlib.h>

#include "kmem.h"
#include "kmem_config.h"

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define MAX_ORDER        KMEM_MAX_ORDER
#define MAX_NR_ZONES     KMEM_MAX_NR_ZONES
#define PAGE_SHIFT       KMEM_PAGE_SHIFT
#define PAGE_SIZE        KMEM_PAGE_SIZE
#define NIL              0xffffffffu    /* end of a PFN-linked list */

/* host allocation: abort on failure (xmalloc.c) */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *old, size_t n);
char *xstrdup(const char *s);

/* ------------------------------------------------------------------ */
/* struct page                                                         */
/* ------------------------------------------------------------------ */

/* PG_* bits, include/linux/page-flags.h (2.6.20) */
enum pageflags {
	PG_locked = 0, PG_error, PG_referenced, PG_uptodate, PG_dirty,
	PG_lru, PG_active, PG_slab, PG_checked, PG_arch_1, PG_reserved,
	PG_private, PG_writeback, PG_nosave, PG_compound, PG_swapcache,
	PG_mappedtodisk, PG_reclaim, PG_nosave_free, PG_buddy,
	NR_PAGEFLAGS,
};
#define PG_KERNEL_MASK  ((1u << NR_PAGEFLAGS) - 1)

/*
 * Simulator bookkeeping kept in the spare middle bits of page->flags
 * (the kernel keeps section/node/zone in its top bits, as we do):
 *   bits 20..23  order+1 of the live allocation this page heads (0: none);
 *                lets us refuse a free with the wrong order or of a tail
 *   bit  24      page is on a per-CPU list (the kernel infers this)
 *   bits 26..27  zone index;  bits 28..31 node id (15 = no memory: hole)
 */
#define PGS_ORDER_SHIFT 20
#define PGS_ORDER_MASK  (0xfu << PGS_ORDER_SHIFT)
#define PGS_PCP         (1u << 24)
#define PGS_ZONE_SHIFT  26
#define PGS_NODE_SHIFT  28
#define PGS_NODE_HOLE   15u

/*
 * One per page frame; 32 bytes on every host.  Field use follows the
 * kernel's overloading:
 *   free block head:  PG_buddy, private = order, lru on free_area[order]
 *   per-CPU free:     PGS_PCP, lru on pcp->list, count 0
 *   allocated:        count >= 1 on the head (tail pages count 0)
 * Invariant: a page is on at most one list; _mapcount is -1 when unmapped.
 */
struct page {
	uint32_t flags;                 /* PG_* | simulator bits | zone | node */
	int32_t _count;                 /* reference count */
	int32_t _mapcount;              /* mappings - 1 */
	uint32_t private_;              /* order of a free block, ... */
	uint32_t mapping;               /* address_space/anon_vma id, 0 = NULL */
	uint32_t index;                 /* offset within mapping */
	uint32_t lru_next;              /* next PFN on this page's list, or NIL */
	uint32_t lru_prev;              /* previous PFN, or NIL */
};

static inline bool PageFlag(const struct page *p, unsigned bit)
{
	return (p->flags >> bit) & 1u;
}
static inline void SetPageFlag(struct page *p, unsigned bit)
{
	p->flags |= 1u << bit;
}
static inline void ClearPageFlag(struct page *p, unsigned bit)
{
	p->flags &= ~(1u << bit);
}
static inline unsigned page_zonenum(const struct page *p)
{
	return (p->flags >> PGS_ZONE_SHIFT) & 3u;
}
static inline unsigned page_to_nid(const struct page *p)
{
	return p->flags >> PGS_NODE_SHIFT;
}
static inline bool page_is_hole(const struct page *p)
{
	return page_to_nid(p) == PGS_NODE_HOLE;
}
static inline int page_alloc_order(const struct page *p)
{
	return (int)((p->flags & PGS_ORDER_MASK) >> PGS_ORDER_SHIFT) - 1;
}
static inline void set_page_alloc_order(struct page *p, int order)
{
	p->flags = (p->flags & ~PGS_ORDER_MASK) |
		   ((uint32_t)(order + 1) << PGS_ORDER_SHIFT);
}

/* A doubly linked list of PFNs through page->lru (head = list.next). */
struct plist {
	uint32_t head;                  /* first PFN, NIL when empty */
	uint32_t tail;                  /* last PFN, NIL when empty */
};

/* ------------------------------------------------------------------ */
/* Zones and nodes                                                     */
/* ------------------------------------------------------------------ */

/* enum zone_stat_item (2.6.20 order), NUMA items last */
enum zone_stat_item {
	NR_ANON_PAGES, NR_FILE_MAPPED, NR_FILE_PAGES, NR_SLAB_RECLAIMABLE,
	NR_SLAB_UNRECLAIMABLE, NR_PAGETABLE, NR_FILE_DIRTY, NR_WRITEBACK,
	NR_UNSTABLE_NFS, NR_BOUNCE, NR_VMSCAN_WRITE,
	NUMA_HIT, NUMA_MISS, NUMA_FOREIGN, NUMA_INTERLEAVE_HIT, NUMA_LOCAL,
	NUMA_OTHER,
	NR_VM_ZONE_STAT_ITEMS,
};
#define NR_VM_ZONE_STAT_ITEMS_UMA NUMA_HIT

struct free_area {
	struct plist free_list;         /* blocks of this order, head first */
	unsigned long nr_free;          /* blocks, not pages */
};

struct per_cpu_pages {
	int count;                      /* pages on the list */
	int high;                       /* high watermark, emptying needed */
	int batch;                      /* chunk size for buddy add/remove */
	struct plist list;              /* the pages */
};

struct per_cpu_pageset {
	struct per_cpu_pages pcp[2];    /* 0: hot.  1: cold */
	int stat_threshold;             /* vm stats threshold (SMP) */
};

struct pglist_data;

/*
 * struct zone.  Invariants (checked by page_alloc_check):
 *   free_pages = sum over orders of nr_free[o] << o;
 *   every block on free_area[o] is PG_buddy, private == o, aligned to o,
 *   inside the zone, and its buddy-mates are not free at the same order
 *   (merging is complete);
 *   pcp counts equal their list lengths; pcp pages are not in free_pages.
 */
struct zone {
	unsigned long free_pages;       /* pages in free_area[] */
	unsigned long pages_min, pages_low, pages_high;
	unsigned long lowmem_reserve[MAX_NR_ZONES];
	struct per_cpu_pageset *pageset;/* [cpus] */
	struct free_area free_area[MAX_ORDER];

	struct plist active_list;       /* LRU (swap.c): head = newest */
	struct plist inactive_list;
	unsigned long nr_scan_active;   /* reclaim accumulators (vmscan) */
	unsigned long nr_scan_inactive;
	unsigned long nr_active;        /* LRU sizes */
	unsigned long nr_inactive;
	unsigned long pages_scanned;    /* since last reclaim */
	int all_unreclaimable;          /* all pages pinned */
	long vm_stat[NR_VM_ZONE_STAT_ITEMS];
	int prev_priority;              /* reclaim priority last used */
	int temp_priority;              /* priority of the running scan */

	unsigned long wait_table_hash_nr_entries;
	struct pglist_data *zone_pgdat; /* owning node */
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;    /* total size, holes included */
	unsigned long present_pages;    /* managed, after memmap */
	unsigned long memmap_pages;     /* mem_map pages accounted here */
	const char *name;               /* "DMA" ... */
	int idx;                        /* kernel zone index */
	enum kmem_zone_type type;       /* arch-independent type */
};

#define MAX_ZONELIST (KMEM_MAX_NODES * MAX_NR_ZONES)

struct zonelist {
	struct zone *zones[MAX_ZONELIST + 1]; /* NULL terminated */
};

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	struct zonelist node_zonelists[MAX_NR_ZONES];
	int nr_zones;                   /* highest populated index + 1 */
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	int node_id;
	int kswapd_max_order;           /* raised by wakeup_kswapd */
	bool kswapd_woken;              /* woken since its last run */
	unsigned long kswapd_wakeups;   /* times wakeup_kswapd woke it */
} pg_data_t;

/* ------------------------------------------------------------------ */
/* vm events (enum vm_event_item); per-zone ones indexed by zone idx   */
/* ------------------------------------------------------------------ */

enum vm_event_item {
	PGPGIN, PGPGOUT, PSWPIN, PSWPOUT,
	PGALLOC_BASE, /* + zone idx */
	PGFREE = PGALLOC_BASE + MAX_NR_ZONES, PGACTIVATE, PGDEACTIVATE,
	PGFAULT, PGMAJFAULT,
	PGREFILL_BASE,
	PGSTEAL_BASE = PGREFILL_BASE + MAX_NR_ZONES,
	PGSCAN_KSWAPD_BASE = PGSTEAL_BASE + MAX_NR_ZONES,
	PGSCAN_DIRECT_BASE = PGSCAN_KSWAPD_BASE + MAX_NR_ZONES,
	PGINODESTEAL = PGSCAN_DIRECT_BASE + MAX_NR_ZONES, SLABS_SCANNED,
	KSWAPD_STEAL, KSWAPD_INODESTEAL, PAGEOUTRUN, ALLOCSTALL, PGROTATED,
	NR_VM_EVENT_ITEMS,
};

/* ------------------------------------------------------------------ */
/* Tunables                                                            */
/* ------------------------------------------------------------------ */

/* Indices into kmem_sysctl_table(); keep in step with sysctl.c. */
enum sysctl_id {
	SYSCTL_BLOCK_DUMP, SYSCTL_DIRTY_BACKGROUND_RATIO,
	SYSCTL_DIRTY_EXPIRE_CENTISECS, SYSCTL_DIRTY_RATIO,
	SYSCTL_DIRTY_WRITEBACK_CENTISECS, SYSCTL_DROP_CACHES,
	SYSCTL_LAPTOP_MODE, SYSCTL_LEGACY_VA_LAYOUT,
	SYSCTL_LOWMEM_RESERVE_RATIO, SYSCTL_MAX_MAP_COUNT,
	SYSCTL_MIN_FREE_KBYTES, SYSCTL_MIN_SLAB_RATIO,
	SYSCTL_MIN_UNMAPPED_RATIO, SYSCTL_NR_PDFLUSH_THREADS,
	SYSCTL_OVERCOMMIT_MEMORY, SYSCTL_OVERCOMMIT_RATIO,
	SYSCTL_PAGE_CLUSTER, SYSCTL_PANIC_ON_OOM,
	SYSCTL_PERCPU_PAGELIST_FRACTION, SYSCTL_SWAP_TOKEN_TIMEOUT,
	SYSCTL_SWAPPINESS, SYSCTL_VFS_CACHE_PRESSURE, SYSCTL_ZONE_RECLAIM_MODE,
	NR_SYSCTL,
};

/* Entries that exist only on NUMA kernels. */
bool sysctl_numa_only(int id);

/* ------------------------------------------------------------------ */
/* The machine                                                         */
/* ------------------------------------------------------------------ */

#define TRACE_MAX_DEPTH 32

/* A physical range reserved at boot, for the dmesg "Memory:" line and
 * for show page ("kernel code", "mem_map", ...). */
struct boot_region {
	unsigned long start_pfn;        /* first PFN */
	unsigned long nr_pages;         /* length */
	const char *what;               /* "kernel code" ... */
};
#define MAX_BOOT_REGIONS 48

struct machine {
	struct kmem_config cfg;         /* what we booted from */
	enum kmem_arch arch;            /* copied from cfg */
	unsigned struct_page_size;      /* 32 on i386, 56 on x86_64 */
	unsigned bits_per_long;         /* 32 or 64 */
	kaddr_t page_offset;            /* PAGE_OFFSET */
	bool numa, smp, pae;            /* kernel config */

	struct page *mem_map;           /* [max_pfn] */
	unsigned long max_pfn;          /* end of RAM */
	unsigned long max_low_pfn;      /* end of lowmem */
	unsigned long highstart_pfn;    /* start of highmem (i386) */
	unsigned long num_physpages;    /* pages of RAM incl. reserved */
	unsigned long totalram_pages;   /* handed to the buddy allocator */
	unsigned long totalhigh_pages;  /* of which highmem */
	unsigned long totalreserve_pages;
	unsigned long vm_total_pages;   /* nr_free_pagecache_pages at boot */
	unsigned long reserved_pages;   /* PG_reserved lowmem at mem_init */
	struct boot_region regions[MAX_BOOT_REGIONS];
	unsigned nr_regions;
	unsigned long kernel_code_kb, kernel_data_kb, kernel_init_kb;

	pg_data_t nodes[KMEM_MAX_NODES];
	unsigned nr_nodes;
	unsigned cpus;
	unsigned cur_cpu;
	unsigned cpu_node[KMEM_MAX_CPUS];

	long sysctl[NR_SYSCTL][KMEM_SYSCTL_VEC_MAX];
	unsigned long vm_events[NR_VM_EVENT_ITEMS];

	struct physmem *physmem;        /* bytes of pages that were written */
	unsigned long pgd_pfn;          /* swapper_pg_dir / init_level4_pgt */
	unsigned long kernel_pt_pages;  /* table pages allocated after boot */
	struct vmalloc_state *vmalloc;  /* vmlist (vmalloc.c) */
	struct highmem_state *highmem;  /* pkmaps, kmap_atomic (highmem.c) */
	const struct objalloc_ops *oa;  /* slab_ops or slob_ops */
	struct slab_state *slab;        /* mm/slab.c state (SLAB machines) */
	struct slob_state *slob;        /* mm/slob.c state (SLOB machines) */
	struct mm_state *mms;           /* tasks, mms, page cache (mm.h) */
	struct pagevec *lru_add_pvecs;  /* [cpu] -> inactive (swap.c) */
	struct pagevec *lru_add_active_pvecs; /* [cpu] -> active */
	struct swap_state *swap;        /* swap devices and cache (swapfile.c) */
	struct reclaim_state *reclaim;  /* kswapd, pdflush, tunables (vmscan.c) */
	struct dcache_state *dcache;    /* dentry/inode caches (dcache.c) */
	struct blk_queue *blk;          /* the simulated disk (blkdev.c) */
	struct timeline *timeline;      /* samples per step of time (timeline.c) */
	uint64_t jiffies;               /* simulated time */
	uint64_t rng;                   /* splitmix64 state */
	unsigned tainted;               /* TAINT_BAD_PAGE ... */
	bool booting;                   /* inside kmem_machine_create */
	bool pf_memalloc;               /* PF_MEMALLOC: reclaim is running */
	bool pf_swapoff;                /* PF_SWAPOFF: the command is a swapoff */

	kmem_trace_fn trace_fn;         /* NULL: tracing off */
	void *trace_ctx;
	unsigned trace_depth;
	const char *trace_stack[TRACE_MAX_DEPTH];

	/* Seams for the reclaim issue: NULL until vmscan/oom_kill land.
	 * try_to_free_pages returns pages reclaimed; out_of_memory returns
	 * true when it freed memory (killed a task). */
	unsigned long (*try_to_free_pages)(struct machine *m,
					   struct zone **zones, gfp_t gfp);
	bool (*out_of_memory)(struct machine *m, struct zonelist *zl,
			      gfp_t gfp, unsigned order);

	/* The OOM killer and mempools (oom_kill.c, mempool.c; issue 7).
	 * current is the task an engine entry point acts for (the kernel's
	 * current), NULL when the operation comes from the shell; it is set
	 * only for the length of that entry point (see run_as_task). */
	struct task_struct *current;
	struct oom_state *oom;          /* counters, panic state */
	struct mempool_state *mempools; /* pools by id */

	kmem_console_fn console_fn;
	void *console_ctx;
	struct kbuf log;                /* dmesg */
	const char *proc_entries[64];   /* kmem_proc_entries(), built lazily */
	char proc_paths[NR_SYSCTL][48]; /* "sys/vm/NAME" strings for it */
	char last_error[512];
};

static inline struct page *pfn_to_page(const struct machine *m,
				       unsigned long pfn)
{
	return &m->mem_map[pfn];
}
static inline unsigned long page_to_pfn(const struct machine *m,
					const struct page *p)
{
	return (unsigned long)(p - m->mem_map);
}
static inline struct zone *page_zone(const struct machine *m,
				     const struct page *p)
{
	return (struct zone *)&m->nodes[page_to_nid(p)]
		.node_zones[page_zonenum(p)];
}
static inline bool populated_zone(const struct zone *z)
{
	return z->present_pages != 0;
}
static inline bool is_highmem(const struct zone *z)
{
	return z->type == KMEM_ZONE_HIGHMEM;
}

/* ------------------------------------------------------------------ */
/* Shared helpers                                                      */
/* ------------------------------------------------------------------ */

/* printk into the dmesg log and to the console hook.  fmt has no '\n';
 * level is the KERN_* digit. */
void printk(struct machine *m, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define KERN_ERR     3
#define KERN_WARNING 4
#define KERN_NOTICE  5
#define KERN_INFO    6
#define KERN_DEBUG   7

/* Record the message kmem_last_error() returns; returns err. */
int set_error(struct machine *m, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Tracing.  TRACING(m) is the cheap test guarding all formatting. */
#define TRACING(m) unlikely((m)->trace_fn != NULL)
void trace_enter(struct machine *m, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void trace_note(struct machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void trace_exit(struct machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* PFN lists (inline: they are the allocator's hot path) */
static inline void plist_init(struct plist *l)
{
	l->head = l->tail = NIL;
}
static inline bool plist_empty(const struct plist *l)
{
	return l->head == NIL;
}
static inline void plist_add_head(struct machine *m, struct plist *l,
				  unsigned long pfn)
{
	struct page *p = &m->mem_map[pfn];

	p->lru_prev = NIL;
	p->lru_next = l->head;
	if (l->head != NIL)
		m->mem_map[l->head].lru_prev = (uint32_t)pfn;
	else
		l->tail = (uint32_t)pfn;
	l->head = (uint32_t)pfn;
}
static inline void plist_add_tail(struct machine *m, struct plist *l,
				  unsigned long pfn)
{
	struct page *p = &m->mem_map[pfn];

	p->lru_next = NIL;
	p->lru_prev = l->tail;
	if (l->tail != NIL)
		m->mem_map[l->tail].lru_next = (uint32_t)pfn;
	else
		l->head = (uint32_t)pfn;
	l->tail = (uint32_t)pfn;
}
static inline void plist_del(struct machine *m, struct plist *l,
			     unsigned long pfn)
{
	struct page *p = &m->mem_map[pfn];

	if (p->lru_prev != NIL)
		m->mem_map[p->lru_prev].lru_next = p->lru_next;
	else
		l->head = p->lru_next;
	if (p->lru_next != NIL)
		m->mem_map[p->lru_next].lru_prev = p->lru_prev;
	else
		l->tail = p->lru_prev;
	p->lru_next = p->lru_prev = NIL;
}

/* vmstat */
static inline void count_vm_events(struct machine *m, int item,
				   unsigned long n)
{
	m->vm_events[item] += n;
}
static inline void __mod_zone_page_state(struct zone *z, int item, long d)
{
	z->vm_stat[item] += d;
}
unsigned long global_page_state(const struct machine *m, int item);
const char *zone_stat_name(int item);
int calculate_threshold(const struct machine *m, const struct zone *z);

/* page_alloc.c, used by boot (machine.c) and later subsystems */
void __free_pages_bootmem(struct machine *m, struct page *page,
			  unsigned order);
void free_hot_cold_page(struct machine *m, struct page *page, int cold);
void setup_per_zone_pages_min(struct machine *m);
void setup_per_zone_lowmem_reserve(struct machine *m);
void setup_per_zone_pageset_high(struct machine *m);
void build_all_zonelists(struct machine *m);
int zone_batchsize(const struct zone *z);
void setup_pageset(struct per_cpu_pageset *p, unsigned long batch);
unsigned long nr_free_pages(const struct machine *m);
unsigned long nr_free_buffer_pages(const struct machine *m);
unsigned long nr_free_pagecache_pages(const struct machine *m);
unsigned long min_free_kbytes_default(const struct machine *m);
void show_free_areas(struct machine *m);
/* vmscan.c: while an allocation sleeps in congestion_wait, a woken
 * kswapd gets the CPU (unless it waits for ticks) */
void reclaim_while_waiting(struct machine *m);
bool reclaim_pending(const struct machine *m);
/* vmscan.c: slab pages freed while reclaim runs (reclaim_state) */
void reclaimed_slab_add(struct machine *m, unsigned long pages);
bool zone_watermark_ok(struct machine *m, struct zone *z, unsigned order,
		       unsigned long mark, int classzone_idx, int alloc_flags);
int gfp_zone(const struct machine *m, gfp_t gfp);
bool page_alloc_check(const struct machine *m, char *report, size_t len);
unsigned long zone_pcp_pages(const struct zone *z, unsigned cpus);

/* vmstat.c, proc.c: /proc text */
void proc_buddyinfo(struct machine *m, struct kbuf *b);
void proc_zoneinfo(struct machine *m, struct kbuf *b);
void proc_vmstat(struct machine *m, struct kbuf *b);

/* physmem.c: simulated RAM contents, backed on first write */
struct physmem;
void physmem_init(struct machine *m);
void physmem_destroy(struct machine *m);
uint8_t *physmem_page(struct machine *m, unsigned long pfn, bool create);
void physmem_clear(struct machine *m, unsigned long pfn);
size_t physmem_backed_pages(const struct machine *m);
void physmem_write(struct machine *m, uint64_t phys, const void *src,
		   size_t len);
void physmem_fill(struct machine *m, uint64_t phys, int byte, size_t len);
void physmem_read(struct machine *m, uint64_t phys, void *dst, size_t len);

/* ------------------------------------------------------------------ */
/* Object allocators: one of SLAB or SLOB per machine (kmalloc.c)      */
/* ------------------------------------------------------------------ */

/*
 * What mm/slab.c or mm/slob.c provides.  kmalloc.c validates arguments
 * common to both, then calls through m->oa.  Every operation that fails
 * sets kmem_last_error() and leaves the machine unchanged.  Queries that
 * an allocator does not have return -EINVAL (or 0 items).
 */
struct objalloc_ops {
	const char *name;               /* "slab" or "slob" */
	void (*init)(struct machine *m);        /* kmem_cache_init */
	void (*destroy)(struct machine *m);     /* free host state */
	int (*kmalloc)(struct machine *m, size_t size, gfp_t gfp, int nid,
		       kaddr_t *out);
	int (*kfree)(struct machine *m, kaddr_t addr);
	int (*ksize)(struct machine *m, kaddr_t addr, size_t *size);
	int (*cache_create)(struct machine *m, const char *name, size_t size,
			    size_t align, unsigned flags, bool ctor, int *id);
	int (*cache_destroy)(struct machine *m, int id);
	int (*cache_alloc)(struct machine *m, int id, gfp_t gfp, int nid,
			   kaddr_t *out);
	int (*cache_free)(struct machine *m, int id, kaddr_t obj);
	int (*cache_shrink)(struct machine *m, int id);
	int (*cache_lookup)(const struct machine *m, const char *name);
	size_t (*cache_list)(const struct machine *m, int *ids, size_t max);
	int (*cache_info)(const struct machine *m, int id,
			  struct kmem_cache_info *out);
	/* timers: called after m->jiffies advanced, with its old value */
	void (*tick)(struct machine *m, uint64_t prev_jiffies);
	bool (*check)(const struct machine *m, char *report, size_t len);
	/* fill kind/cache/object fields when addr belongs to this allocator;
	 * return false to let the caller describe the page instead */
	bool (*whatis)(struct machine *m, kaddr_t addr, struct kmem_whatis *out);
	/* /proc/slabinfo (NULL under SLOB: the file does not exist) */
	void (*slabinfo_show)(struct machine *m, struct kbuf *b);
	int (*slabinfo_write)(struct machine *m, const char *text);
};

extern const struct objalloc_ops slab_ops;
extern const struct objalloc_ops slob_ops;

/* Page-level helpers the object allocators use (page_alloc.c/kmalloc.c).
 * They trace and count like the kernel paths they model. */
int __get_free_pages(struct machine *m, gfp_t gfp, unsigned order, int nid,
		     kaddr_t *addr);
int free_pages_addr(struct machine *m, kaddr_t addr, unsigned order);
/* Direct-map address <-> PFN without error reporting. */
static inline kaddr_t pfn_to_kaddr(const struct machine *m, unsigned long pfn)
{
	return m->page_offset + ((kaddr_t)pfn << PAGE_SHIFT);
}
bool kaddr_to_pfn(const struct machine *m, kaddr_t addr, unsigned long *pfn);
/* Architecture facts the object allocators size things by. */
static inline unsigned bytes_per_word(const struct machine *m)
{
	return m->bits_per_long / 8;
}
static inline unsigned cache_line_size(const struct machine *m)
{
	/* i386: CONFIG_M686 (L1 32); x86_64: CONFIG_GENERIC_CPU (L1 128) */
	return m->arch == KMEM_ARCH_I386 ? 32 : 128;
}

/* An address inside the kernel image's .data section, for the kernel's
 * static variables (SLOB's arena, cache_cache ...): offset must be below
 * the section size (796 KiB on i386, 1036 KiB on x86_64). */
kaddr_t kernel_static_addr(const struct machine *m, unsigned long offset);

/* pgtable.c: the kernel address space and init_mm's page tables */
void kernel_layout(const struct machine *m, struct kmem_layout *l);
kaddr_t fix_to_virt(unsigned idx);
kaddr_t kmap_atomic_slot(const struct machine *m, unsigned cpu, unsigned type);
int kpt_map(struct machine *m, kaddr_t va, unsigned long pfn, uint64_t bits);
int kpt_map_kernel(struct machine *m, kaddr_t va, unsigned long pfn);
bool kpt_unmap(struct machine *m, kaddr_t va);
bool kpt_has_pte_table(struct machine *m, kaddr_t va);
unsigned kpt_tables_needed(struct machine *m, kaddr_t va, size_t len);
int kpt_walk(struct machine *m, kaddr_t va, struct kmem_pt_step *steps,
	     int max, uint64_t *phys);
bool kernel_virt_to_phys(struct machine *m, kaddr_t va, uint64_t *phys);
void pgtable_boot(struct machine *m,
		  unsigned long (*alloc_low)(struct machine *, void *, const char *),
		  void *ctx);

/* vmalloc.c, highmem.c */
void vmalloc_init(struct machine *m);
void vmalloc_destroy(struct machine *m);
bool vmalloc_check(const struct machine *m, char *report, size_t len);
bool vmalloc_whatis(struct machine *m, kaddr_t addr, struct kmem_whatis *o);
void proc_vmallocinfo(struct machine *m, struct kbuf *b);
void highmem_init(struct machine *m);
void highmem_destroy(struct machine *m);
bool highmem_check(const struct machine *m, char *report, size_t len);
bool highmem_whatis(struct machine *m, kaddr_t addr, struct kmem_whatis *o);

/* pgtable.c: the per-arch page-table geometry, shared with memory.c */
struct pt_level {
	const char *name;               /* "pgd", "pud", "pmd", "pte" */
	unsigned shift;                 /* address bits below this level */
	unsigned entries;               /* per table */
	unsigned entry_size;            /* 4 or 8 bytes */
};
const struct pt_level *pt_levels(const struct machine *m, unsigned *n);
/* kpt_walk from any top-level table (root_phys need not be page aligned:
 * a PAE pgd is a 32-byte slab object). */
int pt_walk(struct machine *m, uint64_t root_phys, kaddr_t va,
	    struct kmem_pt_step *steps, int max, uint64_t *phys);

/* Processes, address spaces, page cache (task.c, mm.h) */
void mm_state_init(struct machine *m);
void mm_state_destroy(struct machine *m);
bool mm_check(const struct machine *m, char *report, size_t len);
long vm_committed_pages(const struct machine *m);     /* Committed_AS */
/* /proc/PID/...: 1 if path names one (text appended), 0 if not a PID
 * path, -ENOENT for a PID path that does not exist. */
int proc_pid_read(struct machine *m, const char *path, struct kbuf *b);
/* Write /proc/PID/oom_adj: 1 when written, 0 if not a PID path, or a
 * negative error (set_error). */
int proc_pid_write(struct machine *m, const char *path, const char *text);
/* vm.drop_caches 1: clean, unmapped page-cache pages go (filemap.c);
 * returns the pages dropped. */
unsigned long drop_pagecache(struct machine *m);
/* kmem_proc_entries with the PID entries merged in, or NULL if no task. */
const char *const *proc_pid_entries(struct machine *m,
				    const char *const *base);

/* oom_kill.c: installs m->out_of_memory; current's TIF_MEMDIE lets the
 * allocator dip into the reserves (ALLOC_NO_WATERMARKS). */
struct task_struct;
void oom_init(struct machine *m);
void oom_destroy(struct machine *m);
bool tif_memdie(const struct machine *m);
bool oom_check(const struct machine *m, char *report, size_t len);
/* mempool.c */
void mempool_init(struct machine *m);
void mempool_destroy_all(struct machine *m);
bool mempool_check(const struct machine *m, char *report, size_t len);

/* machine.c: a caller that sleeps (congestion_wait, a wait for the
 * disk) moves the clock on by n jiffies; no timer runs (they catch up at
 * the next kmem_tick), the timeline takes a sample. */
void clock_sleep(struct machine *m, uint64_t n);

/* timeline.c: the time series behind kmem_timeline().  kmem_tick and
 * clock_sleep, the two ways m->jiffies moves, call timeline_sample() once
 * it has: a new sample at the new time, or a refresh of the newest when
 * time did not move. */
struct timeline;
void timeline_init(struct machine *m);          /* the boot sample */
void timeline_destroy(struct machine *m);
void timeline_sample(struct machine *m);
/* A sample stamped `when` (<= m->jiffies), for an event inside a longer
 * step of time (wb_kupdate during `tick`); ignored if `when` is older
 * than the newest sample. */
void timeline_sample_at(struct machine *m, uint64_t when);
bool timeline_check(const struct machine *m, char *report, size_t len);
size_t timeline_host_bytes(const struct machine *m);

/* sysctl.c */
void sysctl_init(struct machine *m);
int sysctl_write(struct machine *m, int id, const char *text);
void sysctl_format(const struct machine *m, int id, struct kbuf *b);

/* Names */
const char *zone_type_name(enum kmem_zone_type t);
/* What reserved this page at boot ("kernel code", "mem_map" ...), or NULL. */
const char *boot_region_of(const struct machine *m, unsigned long pfn);

#endif /* KMEM_INTERNAL_H */
