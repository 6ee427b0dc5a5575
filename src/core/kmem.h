/*
 * kmem.h - the public API of the kmemlab engine (libkmem.a).
 *
 * The engine is a deterministic, in-process model of the Linux 2.6.20
 * memory-management subsystem.  Everything lives in one struct machine;
 * front ends (src/cli, src/tui, tests) create machines, call the kernel-named
 * operations below, and read state back through snapshot queries that fill
 * caller-owned structs.  The engine never prints: kernel messages (printk)
 * arrive through a console callback and are kept in the dmesg log, and the
 * path an operation takes arrives as trace events through a trace callback.
 *
 * Conventions
 *   - Functions that act return 0 or a negative errno (-ENOMEM, -EINVAL ...).
 *     On failure the machine is unchanged and kmem_last_error() holds a
 *     one-line, kernel-style description ("Bad page state: ...").
 *   - Predicates return bool.
 *   - Pages are named by page frame number (unsigned long pfn).
 *   - Addresses are 64-bit (kaddr_t) whatever the simulated arch.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#ifndef KMEM_H
#define KMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KMEM_PAGE_SHIFT   12
#define KMEM_PAGE_SIZE    (1UL << KMEM_PAGE_SHIFT)
#define KMEM_MAX_ORDER    11            /* orders 0..10 */
#define KMEM_MAX_NR_ZONES 3             /* both arches build 3 zone types */
#define KMEM_MAX_NODES    8
#define KMEM_MAX_CPUS     64
#define KMEM_NO_PFN       (~0UL)

typedef unsigned int gfp_t;
typedef uint64_t kaddr_t;

struct machine;

/* ------------------------------------------------------------------ */
/* Architecture, zones, GFP                                            */
/* ------------------------------------------------------------------ */

enum kmem_arch {
	KMEM_ARCH_I386,                 /* 32-bit, HIGHMEM4G (HIGHMEM64G > 4G) */
	KMEM_ARCH_X86_64,               /* 64-bit, CONFIG_NUMA=y */
};

/* Zone *types*.  The kernel's zone index depends on the arch:
 * i386 = {DMA, Normal, HighMem}, x86_64 = {DMA, DMA32, Normal}. */
enum kmem_zone_type {
	KMEM_ZONE_DMA,
	KMEM_ZONE_DMA32,
	KMEM_ZONE_NORMAL,
	KMEM_ZONE_HIGHMEM,
	KMEM_NR_ZONE_TYPES,
};

enum kmem_allocator {
	KMEM_ALLOC_SLAB,
	KMEM_ALLOC_SLOB,
};

/* GFP bits, include/linux/gfp.h (2.6.20) */
#define __GFP_DMA        0x01u
#define __GFP_HIGHMEM    0x02u
#define __GFP_DMA32      0x04u
#define __GFP_WAIT       0x10u
#define __GFP_HIGH       0x20u
#define __GFP_IO         0x40u
#define __GFP_FS         0x80u
#define __GFP_COLD       0x100u
#define __GFP_NOWARN     0x200u
#define __GFP_REPEAT     0x400u
#define __GFP_NOFAIL     0x800u
#define __GFP_NORETRY    0x1000u
#define __GFP_NO_GROW    0x2000u
#define __GFP_COMP       0x4000u
#define __GFP_ZERO       0x8000u
#define __GFP_NOMEMALLOC 0x10000u
#define __GFP_HARDWALL   0x20000u
#define __GFP_THISNODE   0x40000u
#define __GFP_BITS_SHIFT 20
#define __GFP_BITS_MASK  ((1u << __GFP_BITS_SHIFT) - 1)

#define GFP_ATOMIC    (__GFP_HIGH)
#define GFP_NOWAIT    (GFP_ATOMIC & ~__GFP_HIGH)
#define GFP_NOIO      (__GFP_WAIT)
#define GFP_NOFS      (__GFP_WAIT | __GFP_IO)
#define GFP_KERNEL    (__GFP_WAIT | __GFP_IO | __GFP_FS)
#define GFP_USER      (__GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_HIGHUSER  (GFP_USER | __GFP_HIGHMEM)
#define GFP_DMA       (__GFP_DMA)
#define GFP_DMA32     (__GFP_DMA32)
/* GFP_THISNODE is THISNODE|NOWARN|NORETRY on NUMA builds, 0 otherwise:
 * kmem_gfp_parse() resolves it per machine. */
#define GFP_THISNODE_NUMA (__GFP_THISNODE | __GFP_NOWARN | __GFP_NORETRY)

/*
 * Parse a GFP expression: names joined by '|' ("GFP_KERNEL|__GFP_ZERO"),
 * numbers (decimal or 0x hex) allowed as terms, surrounding blanks ignored.
 * Names are matched exactly, also without the leading "__" or "GFP_"
 * prefix where unambiguous is NOT done: the kernel's spelling is required.
 * numa selects the value of GFP_THISNODE.  Returns 0, or -EINVAL with a
 * message ("unknown GFP flag 'GFP_FOO'") in err.
 */
int kmem_gfp_parse(const char *text, bool numa, gfp_t *out, char *err,
		   size_t errlen);
/* Render a mask the way a person writes it: composites first
 * ("GFP_KERNEL|__GFP_ZERO"), "0" for an empty mask. */
void kmem_gfp_format(gfp_t gfp, char *buf, size_t len);
/* Every flag and composite name, NULL-terminated (for completion/help). */
const char *const *kmem_gfp_names(void);

/* ------------------------------------------------------------------ */
/* Machine configuration (loaded by config.c, see kmem_config.h)       */
/* ------------------------------------------------------------------ */

struct kmem_config;                     /* defined in kmem_config.h */

/*
 * Boot a machine from a validated configuration.  On failure returns
 * -EINVAL and writes a one-line reason to err (no file:line: geometry
 * problems found at boot, e.g. "memory 4M is below the 8M minimum").
 */
int kmem_machine_create(const struct kmem_config *cfg, struct machine **out,
			char *err, size_t errlen);
void kmem_machine_destroy(struct machine *m);
/* The configuration the machine was booted from (owned by the machine). */
const struct kmem_config *kmem_machine_config(const struct machine *m);

/* Message describing the last failed operation ("" if none). */
const char *kmem_last_error(const struct machine *m);

/* ------------------------------------------------------------------ */
/* Host callbacks: console (printk) and trace                          */
/* ------------------------------------------------------------------ */

/* One printk'd line, without the trailing newline.  level is the kernel
 * log level digit (0 EMERG .. 7 DEBUG); boot messages are also kept. */
typedef void (*kmem_console_fn)(void *ctx, int level, const char *line);
void kmem_set_console(struct machine *m, kmem_console_fn fn, void *ctx);

enum kmem_trace_kind {
	KMEM_TRACE_ENTER,               /* a modelled kernel function begins */
	KMEM_TRACE_NOTE,                /* a decision or step inside it */
	KMEM_TRACE_EXIT,                /* it returns; text is the result */
};

struct kmem_trace_event {
	enum kmem_trace_kind kind;      /* what happened */
	unsigned depth;                 /* call depth: 0 = the operation itself */
	const char *func;               /* kernel function name */
	const char *text;               /* arguments, decision or result */
};

typedef void (*kmem_trace_fn)(void *ctx, const struct kmem_trace_event *ev);
/* Install (fn != NULL) or remove (fn == NULL) the trace hook.  With no
 * hook the engine formats nothing. */
void kmem_set_trace(struct machine *m, kmem_trace_fn fn, void *ctx);

/* ------------------------------------------------------------------ */
/* Machine-level queries and controls                                  */
/* ------------------------------------------------------------------ */

struct kmem_machine_info {
	enum kmem_arch arch;            /* i386 or x86_64 */
	const char *arch_name;          /* "i386" / "x86_64" */
	const char *name;               /* preset or file the machine came from */
	unsigned cpus;                  /* online CPUs */
	unsigned nr_nodes;              /* online nodes */
	bool numa;                      /* CONFIG_NUMA */
	bool smp;                       /* CONFIG_SMP (cpus > 1) */
	bool pae;                       /* i386 HIGHMEM64G */
	enum kmem_allocator allocator;  /* slab or slob */
	unsigned cur_cpu;               /* CPU that runs the next operation */
	unsigned long max_pfn;          /* one past the highest PFN */
	unsigned long max_low_pfn;      /* end of lowmem (i386) */
	unsigned long totalram_pages;   /* pages handed to the buddy allocator */
	unsigned long totalhigh_pages;  /* of which highmem */
	unsigned long nr_free_pages;    /* sum of zone free_pages */
	kaddr_t page_offset;            /* PAGE_OFFSET */
	uint64_t jiffies;               /* simulated time, HZ=250 */
	uint64_t seed;                  /* current random seed */
};
void kmem_machine_info(const struct machine *m, struct kmem_machine_info *out);

#define KMEM_HZ 250

/* Select the CPU that performs subsequent operations (-EINVAL if offline). */
int kmem_set_cpu(struct machine *m, unsigned cpu);
unsigned kmem_cpu_to_node(const struct machine *m, unsigned cpu);
/* Advance simulated time by n jiffies, running due timers. */
int kmem_tick(struct machine *m, uint64_t n);
/* Reseed the machine's PRNG (used by workloads and lab generators). */
void kmem_set_seed(struct machine *m, uint64_t seed);
/* Next deterministic pseudo-random number. */
uint64_t kmem_random(struct machine *m);

/* Host memory the engine holds for this machine's metadata, in bytes
 * (mem_map, pagesets, node and zone structures). */
size_t kmem_host_bytes(const struct machine *m);

/* The boot log and every later printk, oldest first, each line ending in
 * '\n'.  Returns a pointer valid until the next engine call. */
const char *kmem_dmesg(const struct machine *m, size_t *len);

/*
 * Run every subsystem's invariant checker.  Returns true when all hold;
 * otherwise writes the first broken rule into report ("page_alloc: order-3
 * block at pfn 0x1238 on the order-2 list") and returns false.
 */
bool kmem_check(const struct machine *m, char *report, size_t len);

/* ------------------------------------------------------------------ */
/* Growable text buffer: /proc text is produced into one of these      */
/* ------------------------------------------------------------------ */

struct kbuf {
	char *data;                     /* NUL-terminated text */
	size_t len;                     /* bytes used, excluding the NUL */
	size_t cap;                     /* bytes allocated */
};
void kbuf_init(struct kbuf *b);
void kbuf_free(struct kbuf *b);
void kbuf_reset(struct kbuf *b);
void kbuf_printf(struct kbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kbuf_append(struct kbuf *b, const char *s, size_t n);

/* ------------------------------------------------------------------ */
/* /proc                                                               */
/* ------------------------------------------------------------------ */

/*
 * Produce the text of a /proc file into b (appended).  path is relative
 * to /proc: "buddyinfo", "zoneinfo", "meminfo", "vmstat",
 * "sys/vm/min_free_kbytes" ...  Returns 0, or -ENOENT.
 */
int kmem_proc_read(struct machine *m, const char *path, struct kbuf *b);
/* Write to a /proc file (only sys/vm/ tunables are writable).  text is
 * what `echo` would write, without the newline.  -ENOENT, -EACCES,
 * -EINVAL (bad value, with kmem_last_error()). */
int kmem_proc_write(struct machine *m, const char *path, const char *text);
/* Names of the readable /proc entries (files; "sys/vm/..." included),
 * NULL-terminated, in `ls` order. */
const char *const *kmem_proc_entries(const struct machine *m);

/* Structured forms of two /proc files, for JSON and the dashboard.
 * Each fills up to max items and returns how many exist. */
struct kmem_stat_item {
	const char *name;               /* "nr_anon_pages", "MemTotal" ... */
	unsigned long value;            /* vmstat: as printed; meminfo: kB */
};
size_t kmem_vmstat_items(struct machine *m, struct kmem_stat_item *out,
			 size_t max);
size_t kmem_meminfo_items(struct machine *m, struct kmem_stat_item *out,
			  size_t max);

/* ------------------------------------------------------------------ */
/* Tunables (/proc/sys/vm)                                             */
/* ------------------------------------------------------------------ */

enum kmem_sysctl_type {
	KMEM_SYSCTL_INT,                /* one integer */
	KMEM_SYSCTL_INT_VEC,            /* MAX_NR_ZONES-1 integers */
};

struct kmem_sysctl_desc {
	const char *name;               /* "min_free_kbytes" */
	enum kmem_sysctl_type type;     /* scalar or vector */
	long min, max;                  /* accepted range, inclusive */
	long def;                       /* 2.6.20 default; -1 = computed at boot */
	const char *unit;               /* "kB", "%", "pages", "" */
	const char *help;               /* one line */
};

#define KMEM_SYSCTL_VEC_MAX 4
/* The tunables table, NULL-name terminated, in /proc/sys/vm `ls` order. */
const struct kmem_sysctl_desc *kmem_sysctl_table(void);
int kmem_sysctl_lookup(const char *name);  /* index or -1 */
/* Current value(s); returns the number of values written to v. */
int kmem_sysctl_get(const struct machine *m, int id, long v[KMEM_SYSCTL_VEC_MAX]);

/* ------------------------------------------------------------------ */
/* Page allocator (mm/page_alloc.c)                                    */
/* ------------------------------------------------------------------ */

/*
 * alloc_pages_node(nid, gfp, order) as 2.6.20 does it; nid < 0 means the
 * current CPU's node (alloc_pages).  On success stores the first PFN of
 * the 2^order block and returns 0.  On failure returns -ENOMEM (after the
 * kernel's "page allocation failure" report on the console, unless
 * __GFP_NOWARN) or -EINVAL (order >= MAX_ORDER, bad node); the machine is
 * unchanged except for the counters and messages the kernel would update.
 */
int kmem_alloc_pages(struct machine *m, int nid, gfp_t gfp, unsigned order,
		     unsigned long *pfn);
/*
 * __free_pages(page, order).  Refuses (-EINVAL, "Bad page state ..." in
 * kmem_last_error(), machine unchanged) a free page, a page on a per-CPU
 * list, the tail of a larger block, the wrong order, a reserved page, a
 * PFN outside memory.
 */
int kmem_free_pages(struct machine *m, unsigned long pfn, unsigned order);
/* Order of the live allocation whose head is pfn, or -1. */
int kmem_alloc_order(const struct machine *m, unsigned long pfn);
/* Free every per-CPU list of cpu (or all CPUs when cpu < 0) back to the
 * buddy lists: __drain_pages / drain_local_pages. */
void kmem_drain_pages(struct machine *m, int cpu);

/* Address conversions.  Highmem pages have no kernel virtual address. */
kaddr_t kmem_pfn_to_phys(unsigned long pfn);
bool kmem_page_address(const struct machine *m, unsigned long pfn, kaddr_t *va);
/* Kernel virtual (direct map) or physical address to PFN. */
int kmem_virt_to_pfn(const struct machine *m, kaddr_t va, unsigned long *pfn);

/* ------------------------------------------------------------------ */
/* Snapshot queries                                                    */
/* ------------------------------------------------------------------ */

struct kmem_zone_info {
	int nid;                        /* node */
	int idx;                        /* kernel zone index on this arch */
	const char *name;               /* "DMA", "DMA32", "Normal", "HighMem" */
	enum kmem_zone_type type;       /* arch-independent type */
	bool populated;                 /* present_pages != 0 */
	unsigned long start_pfn;        /* zone_start_pfn */
	unsigned long spanned;          /* spanned_pages */
	unsigned long present;          /* present_pages */
	unsigned long memmap_pages;     /* pages of mem_map accounted here */
	unsigned long free_pages;       /* zone->free_pages */
	unsigned long pages_min, pages_low, pages_high;
	unsigned long lowmem_reserve[KMEM_MAX_NR_ZONES];
	unsigned long nr_free[KMEM_MAX_ORDER];  /* blocks per order */
	unsigned long nr_active, nr_inactive;
	unsigned long pages_scanned;
	unsigned long nr_scan_active, nr_scan_inactive;
	bool all_unreclaimable;
	int prev_priority;
	unsigned long pcp_pages;        /* pages on all CPUs' pcp lists */
};
/* Zones are numbered per node by kernel index 0..KMEM_MAX_NR_ZONES-1;
 * returns -EINVAL for a bad nid/idx (an unpopulated zone is valid). */
int kmem_zone_info(const struct machine *m, int nid, int idx,
		   struct kmem_zone_info *out);
/* Find a zone by name ("Normal", case-insensitive) on a node. */
int kmem_zone_lookup(const struct machine *m, int nid, const char *name);

/* PFNs of free_area[order] of a zone in list order, head first.  Fills up
 * to max and returns the list length. */
size_t kmem_free_area_list(const struct machine *m, int nid, int idx,
			   unsigned order, unsigned long *pfns, size_t max);

struct kmem_pcp_info {
	int count;                      /* pages on the list */
	int high;                       /* drain threshold */
	int batch;                      /* refill/drain chunk */
};
int kmem_pcp_info(const struct machine *m, int nid, int idx, unsigned cpu,
		  int cold, struct kmem_pcp_info *out);
/* PFNs on a CPU's hot (cold=0) or cold (cold=1) list, head first. */
size_t kmem_pcp_list(const struct machine *m, int nid, int idx, unsigned cpu,
		     int cold, unsigned long *pfns, size_t max);

/* What a page frame is doing right now. */
enum kmem_page_state {
	KMEM_PAGE_HOLE,                 /* no memory at this PFN */
	KMEM_PAGE_RESERVED,             /* PG_reserved: kernel image, mem_map ... */
	KMEM_PAGE_BUDDY,                /* head of a free block on free_area[] */
	KMEM_PAGE_BUDDY_TAIL,           /* inside a free block */
	KMEM_PAGE_PCP,                  /* free, on a per-CPU list */
	KMEM_PAGE_ALLOC,                /* head of an allocated block */
	KMEM_PAGE_ALLOC_TAIL,           /* inside an allocated block */
};

struct kmem_page_info {
	unsigned long pfn;              /* the page asked about */
	enum kmem_page_state state;     /* see above */
	uint32_t flags;                 /* PG_* bits only (0..19) */
	int count;                      /* _count */
	int mapcount;                   /* page_mapcount() = _mapcount + 1 */
	unsigned long private_;         /* page->private */
	uint32_t mapping;               /* 0 = NULL; later issues give meaning */
	unsigned long index;            /* page->index */
	int nid, zone_idx;              /* where it lives (-1 for a hole) */
	unsigned long block_pfn;        /* head of the enclosing block */
	int block_order;                /* order of that block, -1 if none */
	int pcp_cpu, pcp_cold;          /* for KMEM_PAGE_PCP */
	const char *reserved_by;        /* boot reservation ("kernel code",
					   "mem_map" ...) or NULL */
};
int kmem_page_info(const struct machine *m, unsigned long pfn,
		   struct kmem_page_info *out);
/* Names of PG_ bits 0..19 ("locked", "error", ... "buddy"), NULL if none. */
const char *kmem_page_flag_name(unsigned bit);

/* The zonelist gfp selects on node nid (nid < 0: current CPU's node):
 * fills (nid, zone idx) pairs in fallback order, returns the length. */
size_t kmem_zonelist(const struct machine *m, int nid, gfp_t gfp,
		     int *nids, int *idxs, size_t max);

/* ------------------------------------------------------------------ */
/* Simulated memory contents                                           */
/* ------------------------------------------------------------------ */

/*
 * Write or read simulated memory through a kernel virtual address (the
 * direct map now; vmalloc/kmap addresses as those subsystems land).
 * -EFAULT (with kmem_last_error()) when any byte has no mapping.
 */
int kmem_memset(struct machine *m, kaddr_t addr, int byte, size_t len);
int kmem_memread(struct machine *m, kaddr_t addr, void *buf, size_t len);

/* ------------------------------------------------------------------ */
/* Object allocators: SLAB (mm/slab.c) or SLOB (mm/slob.c)             */
/* ------------------------------------------------------------------ */

/* SLAB_* cache flags (include/linux/slab.h, 2.6.20) */
#define SLAB_DEBUG_FREE      0x00000100u
#define SLAB_DEBUG_INITIAL   0x00000200u
#define SLAB_RED_ZONE        0x00000400u
#define SLAB_POISON          0x00000800u
#define SLAB_HWCACHE_ALIGN   0x00002000u
#define SLAB_CACHE_DMA       0x00004000u
#define SLAB_MUST_HWCACHE_ALIGN 0x00008000u
#define SLAB_STORE_USER      0x00010000u
#define SLAB_RECLAIM_ACCOUNT 0x00020000u
#define SLAB_PANIC           0x00040000u
#define SLAB_DESTROY_BY_RCU  0x00080000u
#define SLAB_MEM_SPREAD      0x00100000u

/* Parse "SLAB_HWCACHE_ALIGN|SLAB_POISON" (or a number, or "0"). */
int kmem_slab_flags_parse(const char *text, unsigned *out, char *err,
			  size_t errlen);
void kmem_slab_flags_format(unsigned flags, char *buf, size_t len);
const char *const *kmem_slab_flag_names(void);

/*
 * kmalloc(size, gfp) on node nid (< 0: any, i.e. kmalloc; else
 * kmalloc_node).  Returns 0 and the object's kernel address, or -ENOMEM
 * (size above the largest general cache, or no memory) / -EINVAL.
 * __GFP_ZERO in gfp makes it kzalloc.
 */
int kmem_kmalloc(struct machine *m, size_t size, gfp_t gfp, int nid,
		 kaddr_t *out);
/* kfree: -EINVAL with a kernel-style message, machine unchanged, when
 * addr is not a live kmalloc object (double free, interior pointer, a
 * page or vmalloc address ...).  kfree(0) is a no-op returning 0. */
int kmem_kfree(struct machine *m, kaddr_t addr);
/* ksize: the usable size of a live object. */
int kmem_ksize(struct machine *m, kaddr_t addr, size_t *size);

/* Caches are named by id (>= 0). */
int kmem_cache_create(struct machine *m, const char *name, size_t size,
		      size_t align, unsigned flags, bool ctor, int *id);
int kmem_cache_destroy(struct machine *m, int id);
int kmem_cache_alloc(struct machine *m, int id, gfp_t gfp, int nid,
		     kaddr_t *out);
int kmem_cache_free(struct machine *m, int id, kaddr_t obj);
/* Returns 0, or 1 if slabs remain in use (as __cache_shrink does). */
int kmem_cache_shrink(struct machine *m, int id);
int kmem_cache_lookup(const struct machine *m, const char *name); /* id or -ENOENT */
/* Ids in /proc/slabinfo order (the cache_chain, newest first). */
size_t kmem_cache_list(const struct machine *m, int *ids, size_t max);

struct kmem_cache_info {
	int id;                         /* handle */
	const char *name;               /* "size-32", "dentry_cache" ... */
	unsigned flags;                 /* SLAB_* given at creation */
	size_t object_size;             /* size the creator asked for */
	size_t buffer_size;             /* bytes per object incl. alignment/debug */
	size_t align;                   /* effective alignment */
	unsigned num;                   /* objects per slab */
	unsigned gfporder;              /* pages per slab = 1 << gfporder */
	gfp_t gfpflags;                 /* added to every kmem_getpages */
	bool off_slab;                  /* slab management outside the slab */
	size_t slab_size;               /* bytes of struct slab + bufctl[] */
	unsigned colour;                /* colours available */
	unsigned colour_off;            /* bytes per colour */
	unsigned colour_next;           /* node 0's next colour */
	unsigned limit, batchcount, shared; /* tunables */
	unsigned long active_objs, num_objs;
	unsigned long active_slabs, num_slabs, shared_avail;
	unsigned long slabs_full, slabs_partial, slabs_free;
	unsigned long free_objects, free_limit; /* node 0 list3 */
	bool general;                   /* a size-N kmalloc cache */
	bool has_ctor;                  /* created with a constructor */
};
int kmem_cache_info(const struct machine *m, int id,
		    struct kmem_cache_info *out);

/* One slab of a cache, for `show cache`. */
struct kmem_slab_info {
	unsigned long pfn;              /* first page of the slab */
	kaddr_t s_mem;                  /* first object (colour included) */
	unsigned colouroff;             /* bytes before s_mem (colour + mgmt) */
	unsigned inuse;                 /* objects handed out */
	unsigned free;                  /* index of the first free object, or
					   KMEM_BUFCTL_END */
	int list;                       /* 0 full, 1 partial, 2 free */
	int nid;                        /* node */
};
#define KMEM_BUFCTL_END 0xffffffffu
/* Slabs of a cache on node nid: full, then partial, then free, each in
 * list order.  Returns the count. */
size_t kmem_cache_slabs(const struct machine *m, int id, int nid,
			struct kmem_slab_info *out, size_t max);
/* State of each object of a slab: 'U' in use (by a caller), 'A' in a
 * per-CPU/shared/alien array (free to the slab owner, active in
 * slabinfo), '.' free in the slab.  map gets num chars + NUL. */
int kmem_slab_objmap(const struct machine *m, int id, unsigned long pfn,
		     char *map, size_t len);
/* A CPU's array_cache (cpu >= 0) or node nid's shared array (cpu < 0):
 * avail/limit/batchcount/touched and entries bottom to top. */
struct kmem_array_info {
	unsigned avail, limit, batchcount;
	bool touched;
};
int kmem_cache_array(const struct machine *m, int id, int cpu, int nid,
		     struct kmem_array_info *info, kaddr_t *entries,
		     size_t max);

/* What an address is (crash's `kmem ADDR`). */
enum kmem_addr_kind {
	KMEM_ADDR_NONE,                 /* not RAM we know */
	KMEM_ADDR_PAGE,                 /* in a page-allocator page */
	KMEM_ADDR_SLAB_OBJ,             /* a slab object (live or free) */
	KMEM_ADDR_SLAB_MGMT,            /* slab management / colour area */
	KMEM_ADDR_SLOB,                 /* in the SLOB arena */
	KMEM_ADDR_SLOB_BIG,             /* a SLOB bigblock */
	KMEM_ADDR_VMALLOC,              /* inside a vmalloc/vmap/ioremap area */
	KMEM_ADDR_VMALLOC_GUARD,        /* an area's unmapped guard page */
	KMEM_ADDR_PKMAP,                /* the persistent kmap window */
	KMEM_ADDR_FIXMAP,               /* the fixmap (kmap_atomic slots ...) */
};
struct kmem_whatis {
	enum kmem_addr_kind kind;       /* see above */
	unsigned long pfn;              /* page behind the address */
	int nid, zone_idx;              /* where that page lives */
	int cache_id;                   /* slab cache, -1 if none */
	unsigned long slab_pfn;         /* first page of the slab */
	unsigned obj_index;             /* object index in the slab */
	kaddr_t obj_addr;               /* start of that object */
	size_t obj_size;                /* its buffer size */
	bool allocated;                 /* handed out to a caller */
	bool in_array;                  /* parked in an array_cache */
	unsigned long offset;           /* addr - obj_addr */
	char detail[96];                /* SLOB: "free block, 12 units" ... */
};
int kmem_whatis(struct machine *m, kaddr_t addr, struct kmem_whatis *out);

/* /proc/slabinfo exists only under SLAB; writing "NAME LIMIT BATCH SHARED"
 * retunes a cache.  Both go through kmem_proc_read/kmem_proc_write. */

/* SLOB's free list as the kernel walks it from `slobfree`: address,
 * units and next, for `show slob`.  Returns the count; -EINVAL on SLAB. */
struct kmem_slob_block {
	kaddr_t addr;                   /* block address */
	long units;                     /* SLOB_UNITs in the block */
	kaddr_t next;                   /* next free block */
};
long kmem_slob_freelist(const struct machine *m, struct kmem_slob_block *out,
			size_t max);
struct kmem_slob_big {
	kaddr_t addr;                   /* page address returned to the caller */
	unsigned order;                 /* pages = 1 << order */
	kaddr_t desc;                   /* bigblock_t descriptor (in the arena) */
};
long kmem_slob_bigblocks(const struct machine *m, struct kmem_slob_big *out,
			 size_t max);
/* Pages the SLOB arena holds (grown one page at a time). */
unsigned long kmem_slob_arena_pages(const struct machine *m);

/* ------------------------------------------------------------------ */
/* Kernel address space, vmalloc (mm/vmalloc.c), highmem (mm/highmem.c)*/
/* ------------------------------------------------------------------ */

struct kmem_layout {
	kaddr_t page_offset;            /* start of the direct map */
	kaddr_t high_memory;            /* end of the direct map */
	kaddr_t vmalloc_start, vmalloc_end;
	kaddr_t pkmap_base, pkmap_end;  /* i386 only (0 on x86_64) */
	kaddr_t fixaddr_start, fixaddr_top; /* i386 only */
	kaddr_t kmap_begin, kmap_end;   /* the kmap_atomic fixmap slots */
	kaddr_t modules_vaddr, modules_end; /* x86_64 only */
	kaddr_t kernel_text_map;        /* x86_64 __START_KERNEL_map */
	unsigned last_pkmap;            /* LAST_PKMAP: 1024, 512 with PAE */
	unsigned km_type_nr;            /* KM_TYPE_NR: 13 */
	unsigned levels;                /* page-table levels: 2, 3 or 4 */
};
void kmem_kernel_layout(const struct machine *m, struct kmem_layout *out);

/* One level of a page-table walk. */
struct kmem_pt_step {
	const char *name;               /* "pgd", "pud", "pmd", "pte" */
	unsigned index;                 /* entry index in its table */
	unsigned long table_pfn;        /* the table page */
	uint64_t entry;                 /* raw entry */
	unsigned entry_size;            /* 4 or 8 bytes */
	bool present;                   /* _PAGE_PRESENT */
	bool large;                     /* PSE: maps 1 << page_shift bytes */
	unsigned page_shift;            /* bits this level translates below */
};
/* Walk a kernel virtual address through init_mm's tables.  Returns the
 * steps taken (and *phys) when mapped, or -EFAULT after filling the
 * steps down to the empty entry. */
int kmem_pagetable_walk(struct machine *m, kaddr_t va,
			struct kmem_pt_step *steps, int max, uint64_t *phys);

/* vm_struct flags */
#define VM_IOREMAP 0x1u
#define VM_ALLOC   0x2u
#define VM_MAP     0x4u
#define VM_USERMAP 0x8u
#define VM_VPAGES  0x10u

enum kmem_vmalloc_kind {
	KMEM_VMALLOC,                   /* GFP_KERNEL|__GFP_HIGHMEM */
	KMEM_VMALLOC_32,                /* GFP_KERNEL: lowmem pages */
	KMEM_VMALLOC_USER,              /* + __GFP_ZERO, VM_USERMAP */
	KMEM_VMALLOC_32_USER,           /* GFP_KERNEL|__GFP_ZERO, VM_USERMAP */
};
/* vmalloc and friends; nid < 0 for any node (vmalloc_node otherwise).
 * -ENOMEM with the kernel's message on failure; machine unchanged. */
int kmem_vmalloc(struct machine *m, enum kmem_vmalloc_kind kind, size_t size,
		 int nid, kaddr_t *out);
/* vfree: "Trying to vfree() bad address" / "nonexistent vm area". */
int kmem_vfree(struct machine *m, kaddr_t addr);
/* vmap the given pages (allocated by the caller) contiguously. */
int kmem_vmap(struct machine *m, const unsigned long *pfns, unsigned count,
	      kaddr_t *out);
int kmem_vunmap(struct machine *m, kaddr_t addr);
/* ioremap: address space only, no pages; refuses RAM in use. */
int kmem_ioremap(struct machine *m, uint64_t phys, size_t size, kaddr_t *out);
int kmem_iounmap(struct machine *m, kaddr_t addr);

struct kmem_vm_area {
	kaddr_t addr;                   /* start */
	size_t size;                    /* bytes, guard page included */
	unsigned flags;                 /* VM_* */
	unsigned nr_pages;              /* pages owned (VM_ALLOC) or mapped */
	uint64_t phys_addr;             /* VM_IOREMAP */
	kaddr_t desc;                   /* the kmalloc'd vm_struct */
	kaddr_t pages_array;            /* the pages[] array (kmalloc/vmalloc) */
};
/* The vmlist in address order. */
size_t kmem_vmlist(const struct machine *m, struct kmem_vm_area *out,
		   size_t max);
/* PFNs behind an area (by its start address); returns the count. */
size_t kmem_vm_area_pages(const struct machine *m, kaddr_t addr,
			  unsigned long *pfns, size_t max);
/* meminfo's VmallocTotal/Used/Chunk, in bytes. */
void kmem_vmalloc_info(const struct machine *m, uint64_t *total,
		       uint64_t *used, uint64_t *chunk);

/* kmap/kunmap a page (PFN).  Lowmem pages return their direct-map
 * address; on x86_64 every page is lowmem.  kmap fails (-EAGAIN) when all
 * pkmap slots are busy: a real kernel would sleep there. */
int kmem_kmap(struct machine *m, unsigned long pfn, kaddr_t *va);
int kmem_kunmap(struct machine *m, unsigned long pfn);
/* km_type slots 0..12 (KM_BOUNCE_READ .. KM_SOFTIRQ1), per current CPU */
int kmem_kmap_atomic(struct machine *m, unsigned long pfn, int type,
		     kaddr_t *va);
int kmem_kunmap_atomic(struct machine *m, kaddr_t va, int type);
const char *kmem_km_type_name(int type);
int kmem_km_type_lookup(const char *name);      /* -1 if unknown */

struct kmem_pkmap_slot {
	unsigned nr;                    /* slot */
	int count;                      /* pkmap_count[nr] */
	unsigned long pfn;              /* page mapped, KMEM_NO_PFN if none */
	kaddr_t addr;                   /* PKMAP_ADDR(nr) */
};
/* Slots with a nonzero count, in slot order; *rotor gets last_pkmap_nr. */
size_t kmem_pkmap_slots(const struct machine *m, struct kmem_pkmap_slot *out,
			size_t max, unsigned *rotor);

/* ------------------------------------------------------------------ */
/* Processes, address spaces, faults, the page cache                   */
/* (kernel/fork.c, exit.c; mm/mmap.c, mprotect.c, mremap.c, memory.c,  */
/* rmap.c, filemap.c, readahead.c)                                     */
/* ------------------------------------------------------------------ */

/*
 * Tasks.  The first spawn also creates init (pid 1, "/sbin/init"); every
 * spawned task is init's child.  A spawned task has the address space an
 * ELF loader builds for a small dynamically linked program: text and data
 * mapped from the executable file NAME (created as "/bin/NAME" if no file
 * of that name exists), bss/heap, libc ("/lib/libc-2.5.so") text and data,
 * and a one-page stack holding the arguments.  Addresses follow the arch:
 * text at 0x08048000 and a top-down mmap area under 0xb8000000 on i386
 * (bottom-up from 0x40000000 when vm.legacy_va_layout is set), text at
 * 0x400000 and a bottom-up mmap area from 0x2aaaaaaab000 on x86_64.
 * Nothing is randomized.  All return 0 or a negative errno with
 * kmem_last_error(); -ESRCH for an unknown pid.
 */
int kmem_spawn(struct machine *m, const char *name, int *pid);
/* fork(): a copy-on-write child of pid (dup_mmap, copy_page_range). */
int kmem_fork(struct machine *m, int pid, int *child);
/* exit(): unmap everything, free page tables, mm, task.  Children are
 * reparented to init.  init itself cannot exit (the kernel panics). */
int kmem_exit(struct machine *m, int pid);
/* kill -SIG pid: every signal is fatal here (no handlers); 9 and 15 are
 * the usual ones.  Same teardown as kmem_exit. */
int kmem_kill(struct machine *m, int pid, int sig);
/* Live pids in ascending order; returns how many exist. */
size_t kmem_task_list(const struct machine *m, int *pids, size_t max);

struct kmem_task_info {
	int pid;                        /* process id */
	int ppid;                       /* parent (0 for init) */
	char comm[16];                  /* name */
	unsigned uid;                   /* 0 for init, 1000 for spawned tasks */
	unsigned long min_flt, maj_flt; /* faults */
	/* mm_struct, in pages unless noted */
	unsigned long total_vm, locked_vm, shared_vm, exec_vm, stack_vm;
	unsigned long reserved_vm;
	unsigned long file_rss, anon_rss; /* rss = file_rss + anon_rss */
	unsigned long hiwater_rss, hiwater_vm;
	unsigned long nr_ptes;          /* PTE table pages */
	unsigned map_count;             /* vmas */
	uint64_t start_code, end_code, start_data, end_data; /* addresses */
	uint64_t start_brk, brk, start_stack;
	uint64_t task_size;             /* TASK_SIZE */
	uint64_t mmap_base;             /* base of the mmap area */
	uint64_t free_area_cache, cached_hole_size;
	bool topdown;                   /* top-down unmapped-area search */
	uint64_t pgd_phys;              /* physical address of the pgd */
	kaddr_t task_struct;            /* slab objects behind the task */
	kaddr_t mm_struct;
	unsigned long stack_pfn;        /* thread_info + kernel stack */
};
int kmem_task_info(const struct machine *m, int pid, struct kmem_task_info *out);

/* mmap(2) arguments (i386/x86_64 values) */
#define KMEM_PROT_NONE      0x0u
#define KMEM_PROT_READ      0x1u
#define KMEM_PROT_WRITE     0x2u
#define KMEM_PROT_EXEC      0x4u
#define KMEM_MAP_SHARED     0x01u
#define KMEM_MAP_PRIVATE    0x02u
#define KMEM_MAP_FIXED      0x10u
#define KMEM_MAP_ANONYMOUS  0x20u
#define KMEM_MAP_GROWSDOWN  0x0100u
#define KMEM_MAP_DENYWRITE  0x0800u
#define KMEM_MAP_EXECUTABLE 0x1000u
#define KMEM_MAP_LOCKED     0x2000u
#define KMEM_MAP_NORESERVE  0x4000u
#define KMEM_MREMAP_MAYMOVE 1u
#define KMEM_MREMAP_FIXED   2u

/*
 * do_mmap_pgoff for task pid: file is a file name (NULL or "" for
 * MAP_ANONYMOUS), offset a byte offset (page aligned).  *out gets the
 * address.  Errors as the syscall: -EINVAL, -ENOMEM (no room, overcommit
 * refused, too many vmas), -EACCES, -EAGAIN (MAP_LOCKED over the limit),
 * -ENOENT (no such file).
 */
int kmem_mmap(struct machine *m, int pid, uint64_t addr, uint64_t len,
	      unsigned prot, unsigned flags, const char *file, uint64_t offset,
	      uint64_t *out);
int kmem_munmap(struct machine *m, int pid, uint64_t addr, uint64_t len);
/* sys_brk: *out gets the break afterwards (unchanged when refused, and
 * then -ENOMEM with the reason). */
int kmem_brk(struct machine *m, int pid, uint64_t brk, uint64_t *out);
/* sys_mprotect.  Unlike 2.6.20, which can change part of the range and
 * then fail, the whole range is validated first. */
int kmem_mprotect(struct machine *m, int pid, uint64_t addr, uint64_t len,
		  unsigned prot);
/* sys_mremap: grow or shrink in place, or move (MREMAP_MAYMOVE). */
int kmem_mremap(struct machine *m, int pid, uint64_t addr, uint64_t old_len,
		uint64_t new_len, unsigned flags, uint64_t new_addr,
		uint64_t *out);

/* What an access did. */
enum kmem_fault_type {
	KMEM_FAULT_NONE,                /* the PTE allowed it: no fault taken */
	KMEM_FAULT_MINOR,               /* VM_FAULT_MINOR */
	KMEM_FAULT_MAJOR,               /* VM_FAULT_MAJOR (I/O was needed) */
	KMEM_FAULT_SIGSEGV,             /* bad access: task killed */
	KMEM_FAULT_SIGBUS,              /* beyond the file: task killed */
	KMEM_FAULT_OOM,                 /* VM_FAULT_OOM: task killed */
};
struct kmem_fault_info {
	enum kmem_fault_type type;      /* see above */
	const char *handler;            /* "do_anonymous_page", "do_no_page",
					   "do_wp_page", "handle_pte_fault",
					   "do_swap_page", or NULL */
	const char *detail;             /* "zero page", "cow copy", ... */
	unsigned long pfn;              /* page mapped afterwards, or KMEM_NO_PFN */
	bool expanded_stack;            /* expand_stack grew the stack vma */
};
/*
 * One user access by pid at addr (a read, or a write): the simulated
 * MMU first checks the PTE; only when it refuses does do_page_fault run.
 * Returns 0 when the access completed (info->type NONE, MINOR or MAJOR);
 * -EFAULT when the task got SIGSEGV or SIGBUS, -ENOMEM on VM_FAULT_OOM:
 * then the task has been killed (the only change) and kmem_last_error()
 * says why.  info may be NULL.
 */
int kmem_fault(struct machine *m, int pid, uint64_t addr, bool write,
	       struct kmem_fault_info *info);
struct kmem_touch_info {
	unsigned long pages;            /* pages accessed */
	unsigned long none, minor, major; /* by outcome */
	enum kmem_fault_type stop;      /* NONE, or why the walk stopped */
	uint64_t stop_addr;             /* where */
};
/* Access every page of [addr, addr+len) in order; stops at the first
 * fatal fault (returning its error). */
int kmem_touch(struct machine *m, int pid, uint64_t addr, uint64_t len,
	       bool write, struct kmem_touch_info *info);

/* VM_* flag values as the kernel has them, for kmem_vma_info.flags. */
#define KMEM_VM_READ      0x00000001UL
#define KMEM_VM_WRITE     0x00000002UL
#define KMEM_VM_EXEC      0x00000004UL
#define KMEM_VM_SHARED    0x00000008UL
#define KMEM_VM_MAYSHARE  0x00000080UL
#define KMEM_VM_GROWSDOWN 0x00000100UL
#define KMEM_VM_LOCKED    0x00002000UL
#define KMEM_VM_ACCOUNT   0x00100000UL
/* "VM_READ|VM_WRITE|..." */
void kmem_vm_flags_format(unsigned long flags, char *buf, size_t len);

struct kmem_vma_info {
	uint64_t start, end;            /* [vm_start, vm_end) */
	unsigned long flags;            /* VM_* */
	unsigned long pgoff;            /* vm_pgoff */
	uint64_t page_prot;             /* vm_page_prot (PTE bits) */
	char file[64];                  /* mapped file ("" if anonymous) */
	bool shmem;                     /* the MAP_SHARED|MAP_ANONYMOUS object */
	bool deleted;                   /* file removed while mapped */
	unsigned anon_vma;              /* anon_vma id, 0 if none */
	kaddr_t obj;                    /* the vm_area_struct object */
	unsigned long rss_anon;         /* present PTEs to anonymous pages */
	unsigned long rss_file;         /* and to other pages */
	const char *name;               /* "[heap]", "[stack]" or NULL */
};
/* The vmas of pid in address order; returns how many there are. */
size_t kmem_task_vmas(struct machine *m, int pid, struct kmem_vma_info *out,
		      size_t max);
/* Walk pid's page tables for a user address, like kmem_pagetable_walk. */
int kmem_task_pagetable_walk(struct machine *m, int pid, uint64_t addr,
			     struct kmem_pt_step *steps, int max,
			     uint64_t *phys);

/* Simulated files.  No disk: contents are implied; reading a page costs
 * 8 sectors of pgpgin, writing one back 8 of pgpgout. */
int kmem_file_create(struct machine *m, const char *name, uint64_t size);
/* unlink: a mapped file lives on, "(deleted)", until its last vma goes. */
int kmem_file_rm(struct machine *m, const char *name);
struct kmem_ra_info {
	unsigned long start, size;      /* current window (pages) */
	unsigned long ahead_start, ahead_size; /* ahead window */
	unsigned long ra_pages;         /* maximum (32 = 128 KiB) */
	unsigned long cache_hit;        /* consecutive cached readahead pages */
	long prev_page;                 /* last page read, -1 before any */
	unsigned long mmap_hit, mmap_miss;
	bool miss, incache;             /* RA_FLAG_MISS, RA_FLAG_INCACHE */
};
struct kmem_file_info {
	char name[64];                  /* as created */
	uint64_t size;                  /* bytes */
	unsigned long ino;              /* inode number */
	unsigned long nrpages;          /* pages in the page cache */
	unsigned long nrdirty;          /* of which dirty */
	unsigned long nr_mmaps;         /* vmas mapping it */
	size_t radix_nodes;             /* radix_tree_node objects */
	unsigned radix_height;          /* tree height */
	bool deleted;                   /* removed but still mapped */
	struct kmem_ra_info ra;         /* the open file's readahead state */
};
/* Files by name order (deleted ones last); returns how many exist. */
size_t kmem_file_list(struct machine *m, struct kmem_file_info *out,
		      size_t max);
int kmem_file_info(struct machine *m, const char *name,
		   struct kmem_file_info *out);
struct kmem_io_info {
	unsigned long pages;            /* pages the request covered */
	unsigned long hits, misses;     /* find_get_page in the main loop */
	unsigned long readahead;        /* pages readahead submitted */
	unsigned long read_io;          /* pages read from "disk" */
	unsigned long dirtied;          /* pages that became dirty */
	unsigned long written;          /* pages written back */
	uint64_t bytes;                 /* bytes copied */
	uint64_t wait_us;               /* simulated microseconds waiting for the disk */
};
/* read(2) through do_generic_mapping_read (readahead included). */
int kmem_file_read(struct machine *m, const char *name, uint64_t off,
		   uint64_t len, struct kmem_io_info *io);
/* write(2): generic_file_buffered_write; extends the file. */
int kmem_file_write(struct machine *m, const char *name, uint64_t off,
		    uint64_t len, struct kmem_io_info *io);
/* fsync(2): write back every dirty page (pgpgout). */
int kmem_file_fsync(struct machine *m, const char *name,
		    struct kmem_io_info *io);
/* The page cache of a file: indices and PFNs in index order. */
size_t kmem_file_pages(struct machine *m, const char *name,
		       unsigned long *index, unsigned long *pfn, size_t max);

/* Reverse mapping of one page. */
enum kmem_page_kind {
	KMEM_PAGE_KIND_OTHER,           /* not a user or page-cache page */
	KMEM_PAGE_KIND_ANON,            /* anonymous (mapping = anon_vma) */
	KMEM_PAGE_KIND_FILE,            /* page cache of a file */
	KMEM_PAGE_KIND_SHMEM,           /* page cache of a shmem object */
	KMEM_PAGE_KIND_ZERO,            /* the ZERO_PAGE */
};
struct kmem_page_rmap {
	enum kmem_page_kind kind;       /* see above */
	int mapcount;                   /* page_mapcount() */
	int count;                      /* page_count() */
	unsigned anon_vma;              /* id, for anonymous pages */
	char file[64];                  /* file name, for page-cache pages */
	unsigned long index;            /* page->index */
	size_t nr_users;                /* PTEs found through rmap */
};
struct kmem_page_user {
	int pid;                        /* task */
	uint64_t addr;                  /* user address mapping the page */
	uint64_t vma_start;             /* its vma */
	bool writable, young, dirty;    /* PTE bits */
};
int kmem_page_rmap(struct machine *m, unsigned long pfn,
		   struct kmem_page_rmap *out, struct kmem_page_user *users,
		   size_t max);
/* page_referenced(page, 0): young PTEs cleared through rmap + the
 * PG_referenced bit.  For the reclaim issue and for tests. */
int kmem_page_referenced(struct machine *m, unsigned long pfn, int *refs);
/* try_to_unmap(page, 0): 0 SWAP_SUCCESS, 1 SWAP_AGAIN, 2 SWAP_FAIL
 * (an anonymous page must be in the swap cache, or it fails). */
int kmem_try_to_unmap(struct machine *m, unsigned long pfn, int *result);

/* ------------------------------------------------------------------ */
/* Memory pressure: LRU and reclaim (issue 7)                          */
/* ------------------------------------------------------------------ */

/* Front ends test these to know what the engine models. */
#define KMEM_HAVE_LRU     1
#define KMEM_HAVE_RECLAIM 1
#define KMEM_HAVE_SWAP    1
#define KMEM_HAVE_FAULTS  1

/* lru_add_drain (this CPU) or lru_add_drain_all: pages waiting in the
 * per-CPU pagevecs join their LRU lists. */
void kmem_lru_add_drain(struct machine *m, bool all_cpus);

/* kswapd: one balance_pgdat on node nid (-1: every node), woken or not.
 * *reclaimed gets the pages it freed. */
int kmem_kswapd(struct machine *m, int nid, unsigned long *reclaimed);
/* kswapd waits for `tick` (true) or runs when the command that woke it
 * finishes (false, the default). */
void kmem_kswapd_set_on_tick(struct machine *m, bool on_tick);
bool kmem_kswapd_on_tick(const struct machine *m);
/* What the background threads do once a command has finished: woken
 * kswapds run (unless they wait for ticks), queued pdflush work runs.
 * Front ends call it after every command. */
void kmem_background(struct machine *m);
/* Direct reclaim by hand: try_to_free_pages on node nid's zonelist for
 * gfp.  *reclaimed: pages freed; *progress: what it returned (true also
 * when nothing was freed but some zone is still reclaimable). */
int kmem_try_to_free_pages(struct machine *m, int nid, unsigned gfp,
			   unsigned long *reclaimed, bool *progress);
/* sys_sync: every dirty page-cache page to disk. */
int kmem_sync(struct machine *m, unsigned long *written);

/* Dirty limits and writeback state (get_dirty_limits etc.). */
struct kmem_dirty_info {
	unsigned long background_thresh; /* pages */
	unsigned long dirty_thresh;
	unsigned long nr_dirty;         /* NR_FILE_DIRTY */
	unsigned long nr_writeback;     /* NR_WRITEBACK */
	unsigned long ratelimit_pages;
	bool dirty_exceeded;
	unsigned long throttled;        /* balance_dirty_pages waits so far */
};
void kmem_dirty_limits(struct machine *m, struct kmem_dirty_info *out);

/* The simulated disk (blkdev.c): reads before writes, `rate` MiB/s of
 * simulated time; readers, fsync and sync wait for it. */
#define KMEM_DISK_MAX_RATE 100000u      /* MiB/s */
struct kmem_disk_info {
	unsigned rate_mibs;
	unsigned long pages_read, pages_written;
	unsigned long read_requests;    /* merged runs of consecutive pages */
	unsigned long waits;            /* times a caller waited */
	uint64_t wait_us;               /* simulated microseconds waiting */
	uint64_t read_backlog_us, write_backlog_us; /* queued work, microseconds */
	unsigned long reads_in_flight;  /* pages */
};
void kmem_disk_info(const struct machine *m, struct kmem_disk_info *out);
int kmem_disk_set_rate(struct machine *m, unsigned long mibs);

/* Reclaim statistics kept beside vmstat. */
struct kmem_reclaim_info {
	unsigned long kswapd_runs;      /* balance_pgdat calls */
	unsigned long direct_runs;      /* try_to_free_pages calls */
	unsigned long congestion_waits;
	unsigned long wb_kupdate_runs, background_runs;
	bool kswapd_on_tick;
	bool kswapd_woken[KMEM_MAX_NODES];
};
void kmem_reclaim_info(const struct machine *m, struct kmem_reclaim_info *out);

/* The LRU lists of one zone, newest (head) first; returns the list
 * length, fills up to max pfns.  pvec: pages still in pagevecs. */
struct kmem_lru_info {
	unsigned long nr_active, nr_inactive;
	unsigned long nr_scan_active, nr_scan_inactive;
	unsigned long pages_scanned;
	int all_unreclaimable, prev_priority;
	unsigned pvec_inactive, pvec_active; /* summed over CPUs */
};
int kmem_zone_lru(const struct machine *m, int nid, int zone,
		  struct kmem_lru_info *out);
size_t kmem_zone_lru_pfns(const struct machine *m, int nid, int zone,
			  bool active, unsigned long *pfns, size_t max);

/* sys_migrate_pages(pid, {from}, {to}) for an unprivileged caller
 * (MPOL_MF_MOVE): every page of the task on node `from` that only this
 * task maps moves to node `to` (mm/migrate.c: isolate, allocate on the
 * target node, copy, remap, free).  -EINVAL for a bad node. */
struct kmem_migrate_info {
	unsigned long scanned;          /* present pages on `from` */
	unsigned long moved;            /* migrated */
	unsigned long shared;           /* mapped by others: left (MOVE) */
	unsigned long busy;             /* not on the LRU / under I/O */
	unsigned long nomem;            /* no free page on `to` */
};
int kmem_migrate_pages(struct machine *m, int pid, int from, int to,
		       struct kmem_migrate_info *out);

/* The dentry and inode caches (dcache.c): walking n names (what `find`
 * does) leaves n unused dentries, each pinning an inode, in the
 * reclaimable caches dentry_cache and inode_cache; the dcache and icache
 * shrinkers prune them under pressure.  *made: names walked (all unless
 * memory ran out, then -ENOMEM). */
int kmem_dcache_walk(struct machine *m, unsigned long n, unsigned long *made);
struct kmem_dcache_info {
	unsigned long nr_unused_dentries; /* dentry_stat.nr_unused */
	unsigned long nr_unused_inodes;   /* inodes_stat.nr_unused */
	unsigned long pruned_dentries, pruned_inodes; /* by the shrinkers */
};
void kmem_dcache_info(const struct machine *m, struct kmem_dcache_info *out);

/* A program touching its memory: each page's PTE gets its accessed bit
 * (and dirty bit when write), as the MMU sets them; pages not present
 * fault first.  *faulted gets the number of faults taken. */
int kmem_access(struct machine *m, int pid, uint64_t addr, uint64_t len,
		bool write, unsigned long *faulted);

/* ------------------------------------------------------------------ */
/* The OOM killer (mm/oom_kill.c) and mempools (mm/mempool.c), issue 7 */
/* ------------------------------------------------------------------ */

#define KMEM_OOM_DISABLE    (-17)       /* oom_adj: never chosen */
#define KMEM_OOM_ADJUST_MIN (-16)
#define KMEM_OOM_ADJUST_MAX 15

/* Why select_bad_process passed over a task (or did not). */
enum kmem_oom_status {
	KMEM_OOM_CANDIDATE,             /* scored and compared */
	KMEM_OOM_SKIP_INIT,             /* pid 1 */
	KMEM_OOM_SKIP_NO_MM,            /* kernel thread */
	KMEM_OOM_SKIP_DISABLED,         /* oom_adj -17 */
	KMEM_OOM_DYING,                 /* TIF_MEMDIE: the kernel waits */
};

/* One task as badness() saw it. */
struct kmem_oom_candidate {
	int pid;                        /* task */
	char comm[16];                  /* name */
	enum kmem_oom_status status;    /* see above */
	unsigned long total_vm;         /* its mm's pages */
	unsigned long children_vm;      /* sum of children's total_vm/2 + 1 */
	unsigned long cpu_time;         /* (utime+stime) >> (SHIFT_HZ+3) */
	unsigned long run_time;         /* (uptime - start) >> 10, seconds */
	unsigned long cpu_sqrt;         /* int_sqrt(cpu_time): the divisor */
	unsigned long run_sqrt;         /* int_sqrt(int_sqrt(run_time)) */
	unsigned long points;           /* badness() */
	uint64_t utime, stime;          /* CPU time in jiffies */
	int nice;                       /* -20..19 */
	int oom_adj;                    /* -17..15 */
	unsigned uid;                   /* 0: root (/16: SYS_ADMIN, SYS_RAWIO) */
};

/* What select_bad_process chose. */
struct kmem_oom_choice {
	int victim;                     /* pid with the highest badness, 0: none */
	unsigned long points;           /* its badness */
	int killed;                     /* the pid oom_kill_process kills: the
					   victim's first child with its own mm,
					   else the victim */
	bool wait;                      /* a task is already dying */
	bool panicked;                  /* kmem_oom_kill: panic() instead */
	size_t nr_candidates;           /* tasks looked at */
};

/* badness() of one task now (status tells init and OOM_DISABLE). */
int kmem_badness(struct machine *m, int pid, struct kmem_oom_candidate *out);
/* select_bad_process without killing: every task's row in list order
 * (up to max) and the choice.  Changes nothing. */
int kmem_oom_select(struct machine *m, struct kmem_oom_choice *out,
		    struct kmem_oom_candidate *cands, size_t max);
/* Run the killer by hand as SysRq-f does: out_of_memory(GFP_KERNEL,
 * order 0) with its report, the kill (or the panic vm.panic_on_oom asks
 * for).  -ESRCH when there is no process at all; -EPERM after a panic. */
int kmem_oom_kill(struct machine *m, struct kmem_oom_choice *out);
/* The inputs of badness: `run PID JIFFIES` charges CPU time (user, or
 * system when sys) and advances the clock by as much (kmem_tick); nice
 * -20..19; setuid (0 = root with every capability); oom_adj -16..15 or
 * -17, as a write to /proc/PID/oom_adj does. */
int kmem_task_run(struct machine *m, int pid, uint64_t jiffies, bool sys);
int kmem_task_nice(struct machine *m, int pid, int nice);
int kmem_task_setuid(struct machine *m, int pid, unsigned uid);
int kmem_oom_adj(struct machine *m, int pid, int adj);
void kmem_oom_stats(const struct machine *m, unsigned long *invocations,
		    unsigned long *kills);
/* After panic() (vm.panic_on_oom, or nothing killable) the machine is
 * dead: front ends refuse commands that would change it until a reset.
 * why gets "Kernel panic - not syncing: ...". */
bool kmem_panicked(const struct machine *m, const char **why);

/*
 * Mempools: a reserve of min_nr elements preallocated from a slab cache
 * (cache_id >= 0) or from the page allocator (cache_id < 0, 2^order
 * lowmem pages), for allocations that must not fail under pressure.
 * mempool_t and its element array are kmalloc'd as in 2.6.20.  Elements
 * are named by kernel address.  Every failure leaves the machine as it
 * was, except that an allocator which was asked (and failed) may have
 * reclaimed memory, as it would in the kernel.
 */
#define KMEM_MEMPOOL_NAME_MAX 32
int kmem_mempool_create(struct machine *m, const char *name, int min_nr,
			int cache_id, unsigned order, int *id);
int kmem_mempool_lookup(const struct machine *m, const char *name);
/* mempool_alloc: the allocator first (gfp without __GFP_WAIT|__GFP_IO,
 * plus __GFP_NOMEMALLOC|__GFP_NORETRY|__GFP_NOWARN), then the reserve
 * (*from_reserve true), then once more with __GFP_WAIT if gfp has it;
 * -ENOMEM where the kernel would sleep until an element is freed. */
int kmem_mempool_alloc(struct machine *m, int id, gfp_t gfp, kaddr_t *elem,
		       bool *from_reserve);
/* mempool_free: back into the reserve while it is below min_nr
 * (*to_reserve true), else to the allocator.  -EINVAL for an address
 * this pool did not hand out. */
int kmem_mempool_free(struct machine *m, int id, kaddr_t elem,
		      bool *to_reserve);
/* The pool an address was handed out by, or -ENOENT. */
int kmem_mempool_owner(const struct machine *m, kaddr_t elem);
/* mempool_resize: shrinking frees reserve elements; growing kmallocs a
 * bigger array and fills it as far as the allocator allows (0 even when
 * it could not fill it all, as 2.6.20 returns). */
int kmem_mempool_resize(struct machine *m, int id, int new_min_nr, gfp_t gfp);
/* mempool_destroy: refused while elements are out or the reserve is not
 * full (the kernel's BUG_ON(curr_nr != min_nr)). */
int kmem_mempool_destroy(struct machine *m, int id);

struct kmem_mempool_info {
	int id;                         /* handle */
	char name[KMEM_MEMPOOL_NAME_MAX]; /* as created */
	int cache_id;                   /* slab cache, or -1 for pages */
	unsigned order;                 /* page pools: 2^order pages */
	int min_nr;                     /* reserve size */
	int curr_nr;                    /* elements in the reserve now */
	unsigned long out;              /* elements handed out, not yet freed */
	unsigned long allocs;           /* mempool_alloc successes */
	unsigned long from_reserve;     /* of which from the reserve */
	unsigned long frees;            /* mempool_free calls */
	unsigned long to_reserve;       /* of which refilled the reserve */
	unsigned long failures;         /* mempool_alloc returned NULL */
	kaddr_t pool_obj;               /* the kmalloc'd mempool_t */
	kaddr_t elements_obj;           /* the kmalloc'd element array */
};
/* Pool ids in creation order; returns how many exist. */
size_t kmem_mempool_list(const struct machine *m, int *ids, size_t max);
int kmem_mempool_info(const struct machine *m, int id,
		      struct kmem_mempool_info *out);
/* The reserve, bottom to top (mempool_alloc takes the top); returns
 * curr_nr. */
size_t kmem_mempool_reserve(const struct machine *m, int id, kaddr_t *elems,
			    size_t max);
/* Swap (issue 7): swapfile.c, swap_state.c, page_io.c, thrash.c      */
/* ------------------------------------------------------------------ */

/*
 * sys_swapon on a simulated device of size bytes (a multiple of 4096, at
 * least 3 pages: mkswap's header plus 2.6.20's last_page off-by-one).
 * A name under /dev/ is a partition, anything else a file.  With prefer,
 * priority (0..32767) as SWAP_FLAG_PREFER gives it; otherwise -1, -2 ...
 * in activation order.  Errors (machine unchanged): -EINVAL bad name,
 * size or priority; -EBUSY name already active; -EPERM MAX_SWAPFILES
 * devices; -ENOMEM no vmalloc space for the swap_map.
 */
int kmem_swapon(struct machine *m, const char *name, uint64_t size,
		int priority, bool prefer);
/*
 * sys_swapoff: try_to_unuse reads every used slot back in and puts the
 * page into each PTE holding it.  -EINVAL: no such device; -ENOMEM:
 * refused up front (vm_enough_memory, machine unchanged) or a page could
 * not be allocated midway: then the pages already read stay in, the
 * device stays active with the rest, and the machine is consistent.
 */
int kmem_swapoff(struct machine *m, const char *name);

struct kmem_swap_info {
	int type;                       /* swap_info[] index (entry type) */
	char name[64];                  /* as given to swapon */
	bool partition;                 /* /proc/swaps "partition" or "file" */
	int prio;                       /* priority */
	unsigned flags;                 /* SWP_USED 1 | SWP_WRITEOK 2 */
	unsigned long pages;            /* good slots */
	unsigned long max;              /* slots incl. the header */
	unsigned long inuse_pages;      /* used slots */
	unsigned long lowest_bit, highest_bit; /* free-slot bounds */
	unsigned long cluster_next, cluster_nr; /* current cluster */
	int next;                       /* next type in swap_list, -1 end */
	kaddr_t swap_map_addr;          /* the vmalloc'd swap_map */
};
/* Active devices in type order; returns how many there are. */
size_t kmem_swap_list(const struct machine *m, struct kmem_swap_info *out,
		      size_t max);
int kmem_swap_info(struct machine *m, const char *name,
		   struct kmem_swap_info *out);

struct kmem_swap_summary {
	long nr_swap_pages;             /* free slots */
	unsigned long total_swap_pages; /* good slots */
	unsigned long total_swapcache_pages; /* SwapCached */
	unsigned long add_total, del_total;  /* show_swap_cache_info */
	unsigned long find_success, find_total;
	unsigned long noent_race, exist_race;
	int list_head, list_next;       /* swap_list */
	int page_cluster;               /* vm.page-cluster */
	bool token_enabled;             /* kmemlab: swap token in play */
	int token_pid;                  /* first task of the holder, 0: none */
	int token_priority;             /* the holder's priority */
	unsigned global_faults;         /* grab_swap_token calls */
	unsigned long token_changes;    /* times it changed hands */
};
void kmem_swap_summary(const struct machine *m, struct kmem_swap_summary *o);

/* A used slot of a device. */
struct kmem_swap_slot {
	unsigned long offset;           /* slot number */
	unsigned count;                 /* swap_map count (0x7fff: sticky) */
	unsigned long cache_pfn;        /* swap-cache page, or KMEM_NO_PFN */
};
/* Used slots of device `type` in offset order; returns how many. */
size_t kmem_swap_slots(struct machine *m, int type, struct kmem_swap_slot *out,
		       size_t max);
/* A swap PTE. */
struct kmem_swap_pte {
	unsigned long offset;           /* slot it holds */
	int pid;                        /* first task of the mm */
	uint64_t addr;                  /* user address */
};
/* Swap PTEs holding entries of device `type`, by slot, pid, address;
 * returns how many there are. */
size_t kmem_swap_ptes(struct machine *m, int type, struct kmem_swap_pte *out,
		      size_t max);

/* kmemlab's `swapout`: reclaim's swap-out steps (add_to_swap,
 * try_to_unmap, swap_writepage, remove_mapping, free) on the anonymous
 * pages pid maps in [addr, addr+len).  Not a kernel interface. */
struct kmem_swapout_info {
	unsigned long pages;            /* pages of the range */
	unsigned long swapped;          /* written out and freed */
	unsigned long kept;             /* still in memory (reason traced) */
	unsigned long skipped;          /* not present, not anonymous ... */
	unsigned long nospace;          /* add_to_swap found no slot */
};
int kmem_swapout(struct machine *m, int pid, uint64_t addr, uint64_t len,
		 struct kmem_swapout_info *out);
/* kmemlab extension: the swap token on (default) or off. */
void kmem_swap_token_set(struct machine *m, bool enabled);

/* ------------------------------------------------------------------ */
/* Time series of global counters, one sample per step of simulated   */
/* time (timeline.c; issue 7)                                          */
/* ------------------------------------------------------------------ */

/*
 * The engine samples a fixed set of global values whenever simulated
 * time (jiffies) moves: at the end of kmem_tick, at each wb_kupdate
 * interval inside a long tick, in congestion_wait and in the
 * allocator's retry wait; and once at boot (jiffies 0).  A sample is
 * stamped with the jiffies it describes; sampling again at the same
 * jiffies refreshes the newest sample, so it holds the state as the
 * engine last saw that moment.  The newest KMEM_TL_SAMPLES are kept.
 *
 * Levels are pages at the sample's time; events are the count since the
 * previous sample (0 in the boot sample), as two reads of /proc/vmstat
 * would differ.
 */
#define KMEM_TL_SAMPLES 1024

enum kmem_tl_item {
	/* levels, in pages */
	KMEM_TL_FREE,                   /* nr_free_pages() */
	KMEM_TL_ACTIVE,                 /* zone nr_active, summed */
	KMEM_TL_INACTIVE,               /* zone nr_inactive, summed */
	KMEM_TL_ANON,                   /* NR_ANON_PAGES */
	KMEM_TL_FILE,                   /* NR_FILE_PAGES: the page cache */
	KMEM_TL_MAPPED,                 /* NR_FILE_MAPPED */
	KMEM_TL_DIRTY,                  /* NR_FILE_DIRTY */
	KMEM_TL_WRITEBACK,              /* NR_WRITEBACK */
	KMEM_TL_SLAB,                   /* NR_SLAB_RECLAIMABLE + UNRECLAIMABLE */
	KMEM_TL_SWAP,                   /* swap used: SwapTotal - SwapFree */
	KMEM_TL_NR_LEVELS,
	/* events since the previous sample */
	KMEM_TL_PGALLOC = KMEM_TL_NR_LEVELS, /* pgalloc_*, every zone */
	KMEM_TL_PGFREE,                 /* pgfree */
	KMEM_TL_PGFAULT,                /* pgfault */
	KMEM_TL_PGMAJFAULT,             /* pgmajfault */
	KMEM_TL_PGSCAN,                 /* pgscan_kswapd_* + pgscan_direct_* */
	KMEM_TL_PGSTEAL,                /* pgsteal_* */
	KMEM_TL_PGPGIN,                 /* pgpgin, KiB as /proc/vmstat shows */
	KMEM_TL_PGPGOUT,                /* pgpgout, KiB */
	KMEM_TL_PSWPIN,                 /* pswpin */
	KMEM_TL_PSWPOUT,                /* pswpout */
	KMEM_TL_ALLOCSTALL,             /* allocstall: direct reclaim entries */
	KMEM_TL_NR_ITEMS,
};

struct kmem_tl_sample {
	uint64_t jiffies;               /* simulated time it describes */
	unsigned long v[KMEM_TL_NR_ITEMS]; /* indexed by enum kmem_tl_item */
};

struct kmem_tl_desc {
	const char *name;               /* "free", "pgscan" ... */
	bool event;                     /* a count since the previous sample */
	const char *help;               /* one line */
};
/* The items in enum order (KMEM_TL_NR_ITEMS entries). */
const struct kmem_tl_desc *kmem_tl_items(void);
/* Item index by exact name, or -1. */
int kmem_tl_lookup(const char *name);

/*
 * The newest min(max, held) samples, oldest first, into out (may be NULL
 * when max is 0).  Returns how many samples are held (at most
 * KMEM_TL_SAMPLES).  *taken, when not NULL, gets how many were recorded
 * since boot, the dropped ones included.
 */
size_t kmem_timeline(const struct machine *m, struct kmem_tl_sample *out,
		     size_t max, unsigned long *taken);

#endif /* KMEM_H */
