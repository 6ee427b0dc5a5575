/*
 * mm.h - what the process-memory files share: tasks (task.c), address
 * spaces and VMAs (mmap.c, mprotect.c, mremap.c), user page tables and
 * faults (memory.c), reverse mapping (rmap.c), the page cache (filemap.c,
 * readahead.c, radix_tree.c).  Linux 2.6.20: include/linux/mm.h,
 * mm_types.h, sched.h (mm_struct), rmap.h, radix-tree.h, fs.h.
 *
 *   task_struct --mm--> mm_struct --vmas[]--> vm_area_struct (sorted)
 *                          |                    |  vm_file --> kfile
 *                          pgd (simulated RAM)  |               +- address_space
 *                                               |                  page_tree (radix)
 *                                               |                  i_mmap list of vmas
 *                                               +- anon_vma --> list of vmas
 *
 *   page->mapping: 0, or (anon_vma id << 1) | PAGE_MAPPING_ANON for an
 *   anonymous page, or (kfile id << 1) for a page-cache page.  Ids index
 *   mm_state tables, so struct page stays 32 bytes on every host.  For
 *   the same reason page->index is 32 bits: files stop at 2^43 bytes, and
 *   an anonymous page keeps the low 32 bits of its linear_page_index
 *   (rmap's vma_address works modulo 2^32).
 *
 * Host structures (this file) shadow kernel objects that really are
 * allocated in the simulated machine: every vm_area_struct, anon_vma,
 * mm_struct, task_struct and radix_tree_node has its slab object (->obj),
 * so /proc/slabinfo and MemFree see them.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#ifndef KMEM_MM_H
#define KMEM_MM_H

#include "internal.h"

/* vm_flags (include/linux/mm.h, 2.6.20) */
#define VM_READ         0x00000001UL
#define VM_WRITE        0x00000002UL
#define VM_EXEC         0x00000004UL
#define VM_SHARED       0x00000008UL
#define VM_MAYREAD      0x00000010UL
#define VM_MAYWRITE     0x00000020UL
#define VM_MAYEXEC      0x00000040UL
#define VM_MAYSHARE     0x00000080UL
#define VM_GROWSDOWN    0x00000100UL
#define VM_GROWSUP      0x00000200UL
#define VM_PFNMAP       0x00000400UL
#define VM_DENYWRITE    0x00000800UL
#define VM_EXECUTABLE   0x00001000UL
#define VM_LOCKED       0x00002000UL
#define VM_IO           0x00004000UL
#define VM_SEQ_READ     0x00008000UL
#define VM_RAND_READ    0x00010000UL
#define VM_DONTCOPY     0x00020000UL
#define VM_DONTEXPAND   0x00040000UL
#define VM_RESERVED     0x00080000UL
#define VM_ACCOUNT      0x00100000UL
#define VM_HUGETLB      0x00400000UL
#define VM_NONLINEAR    0x00800000UL
#define VM_MAPPED_COPY  0x01000000UL
#define VM_INSERTPAGE   0x02000000UL
#define VM_ALWAYSDUMP   0x04000000UL
#define VM_SPECIAL      (VM_IO | VM_DONTEXPAND | VM_RESERVED | VM_PFNMAP)
#define VM_STACK_FLAGS_GROW (VM_GROWSDOWN)

/* x86 PTE bits (include/asm-i386/pgtable.h, asm-x86_64/pgtable.h) */
#define _PAGE_PRESENT   0x001ULL
#define _PAGE_RW        0x002ULL
#define _PAGE_USER      0x004ULL
#define _PAGE_PWT       0x008ULL
#define _PAGE_PCD       0x010ULL
#define _PAGE_ACCESSED  0x020ULL
#define _PAGE_DIRTY     0x040ULL
#define _PAGE_PSE       0x080ULL
#define _PAGE_PROTNONE  0x080ULL        /* only when !_PAGE_PRESENT */
#define _PAGE_FILE      0x040ULL        /* nonlinear file pte, !present */
#define _PAGE_NX        (1ULL << 63)
#define PTE_PFN_MASK    0x000ffffffffff000ULL
#define _PAGE_TABLE     (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
			 _PAGE_ACCESSED | _PAGE_DIRTY)
/* pte_modify keeps these (_PAGE_CHG_MASK) */
#define _PAGE_CHG_MASK  (PTE_PFN_MASK | _PAGE_ACCESSED | _PAGE_DIRTY)

#define PAGE_MAPPING_ANON 1u
#define FIRST_USER_ADDRESS 0

/* do_page_fault / handle_mm_fault results (§10.1) */
#define VM_FAULT_OOM    0
#define VM_FAULT_SIGBUS 1
#define VM_FAULT_MINOR  2
#define VM_FAULT_MAJOR  3
#define VM_FAULT_WRITE  0x10

/* Resource limits every simulated task runs with (2.6.20 defaults for
 * an unprivileged user): RLIMIT_STACK 8 MiB, RLIMIT_MEMLOCK 32 KiB
 * (MLOCK_LIMIT), RLIMIT_AS and RLIMIT_DATA unlimited. */
#define RLIMIT_STACK_CUR   (8ULL << 20)
#define RLIMIT_MEMLOCK_CUR (8ULL * PAGE_SIZE)

struct kfile;
struct anon_vma;
struct mm_struct;

/*
 * vm_area_struct.  Invariants (mm_check): vm_start < vm_end, both page
 * aligned, below TASK_SIZE; the mm's array is sorted and disjoint; the
 * vma is on its anon_vma's list iff anon_vma != NULL, and on its file's
 * i_mmap list iff vm_file != NULL.
 */
struct vm_area_struct {
	struct mm_struct *vm_mm;        /* the address space */
	kaddr_t vm_start;               /* first address */
	kaddr_t vm_end;                 /* first address after */
	unsigned long vm_flags;         /* VM_* */
	uint64_t vm_page_prot;          /* PTE bits of new mappings */
	unsigned long vm_pgoff;         /* offset in pages (anon: addr >> 12) */
	struct kfile *vm_file;          /* file or shmem object, NULL if anon */
	struct anon_vma *anon_vma;      /* NULL until the first anon page */
	struct vm_area_struct *anon_next;  /* anon_vma->head list */
	struct vm_area_struct *anon_prev;
	struct vm_area_struct *i_mmap_next; /* mapping->i_mmap list */
	struct vm_area_struct *i_mmap_prev;
	kaddr_t obj;                    /* the vm_area_struct slab object */
};

/* anon_vma: the vmas that may map an anonymous page (mm/rmap.c).
 * Freed when its list empties. */
struct anon_vma {
	unsigned id;                    /* in page->mapping */
	struct vm_area_struct *head;    /* first vma (list_add_tail order) */
	struct vm_area_struct *tail;    /* last vma */
	kaddr_t obj;                    /* the anon_vma slab object */
};

/* lib/radix-tree.c: 64 slots per node, two tags. */
#define RADIX_TREE_MAP_SHIFT 6
#define RADIX_TREE_MAP_SIZE  (1u << RADIX_TREE_MAP_SHIFT)
#define RADIX_TREE_MAP_MASK  (RADIX_TREE_MAP_SIZE - 1)
#define RADIX_TREE_MAX_TAGS  2
#define PAGECACHE_TAG_DIRTY     0
#define PAGECACHE_TAG_WRITEBACK 1

struct radix_tree_node {
	unsigned height;                /* 1 = leaf node */
	unsigned count;                 /* used slots */
	void *slots[RADIX_TREE_MAP_SIZE]; /* child nodes, or pages at height 1 */
	uint64_t tags[RADIX_TREE_MAX_TAGS]; /* one bit per slot */
	kaddr_t obj;                    /* the radix_tree_node slab object */
};

/* Height 0 holds at most index 0, directly in rnode (as 2.6.20 does). */
struct radix_tree_root {
	unsigned height;                /* 0: rnode is the item itself */
	void *rnode;                    /* root node or item */
	unsigned tags;                  /* root tag bits (kernel: gfp_mask) */
};

/* struct file_ra_state (include/linux/fs.h, 2.6.20) */
#define RA_FLAG_MISS    0x01
#define RA_FLAG_INCACHE 0x02
struct file_ra_state {
	unsigned long start;            /* current window */
	unsigned long size;
	unsigned long flags;            /* RA_FLAG_* */
	unsigned long cache_hit;        /* pages found cached in a row */
	unsigned long prev_page;        /* last page read; -1 before any */
	unsigned long ahead_start;      /* ahead window */
	unsigned long ahead_size;
	unsigned long ra_pages;         /* maximum window (32) */
	unsigned long mmap_hit;         /* filemap_nopage cache hits */
	unsigned long mmap_miss;        /* and misses */
};

struct address_space {
	struct radix_tree_root page_tree; /* cached pages by index */
	unsigned long nrpages;          /* pages in the tree */
	struct vm_area_struct *i_mmap_head; /* vmas mapping the file */
	struct vm_area_struct *i_mmap_tail;
	unsigned long i_mmap_count;     /* vmas on that list */
	bool account_dirty;             /* mapping_cap_account_dirty */
};

/*
 * A simulated file: inode + address_space + the one open struct file
 * every read, write and mapping goes through (its f_ra).  Invariant:
 * every page in page_tree has mapping == id << 1 and index == its key.
 */
struct kfile {
	unsigned id;                    /* page->mapping = id << 1 */
	char name[64];                  /* path as created */
	uint64_t size;                  /* i_size in bytes */
	unsigned long ino;              /* inode number */
	bool shmem;                     /* /dev/zero object of MAP_SHARED|ANON */
	bool unlinked;                  /* removed while still mapped */
	struct address_space mapping;   /* the page cache */
	struct file_ra_state ra;        /* f_ra */
	unsigned long shmem_acct;       /* pages charged (shmem_acct_size) */
	uint64_t wb_done;               /* when its last queued write completes */
	uint64_t dirtied_when;          /* jiffies the inode got dirty pages;
					 * 0 while it has none (I_DIRTY_PAGES) */
};

/*
 * mm_struct.  Invariants (mm_check): map_count entries sorted and
 * disjoint; total_vm = sum of vma pages; shared/exec/stack/reserved_vm
 * as vm_stat_account builds them; file_rss/anon_rss = present PTEs by
 * page kind; nr_ptes = PTE tables allocated.
 */
struct mm_struct {
	struct vm_area_struct **vmas;   /* sorted by vm_start: mmap list + tree */
	unsigned map_count;             /* vmas */
	unsigned vmas_cap;              /* allocated slots */
	struct vm_area_struct *mmap_cache; /* last find_vma result */
	bool topdown;                   /* arch_get_unmapped_area_topdown */
	kaddr_t task_size;              /* TASK_SIZE */
	kaddr_t mmap_base;              /* base of the mmap area */
	kaddr_t free_area_cache;        /* where the last search ended */
	kaddr_t cached_hole_size;       /* largest hole below it */
	uint64_t pgd_phys;              /* physical address of the pgd */
	kaddr_t pgd_obj;                /* its slab object or page address */
	kaddr_t pmd_obj[4];             /* PAE: the user pmds (pmd cache) */
	int mm_users;                   /* tasks using it */
	bool cap_sys_admin;             /* owner is root: no 3% reserve */
	unsigned long file_rss;         /* present PTEs of non-anon pages */
	unsigned long anon_rss;         /* present PTEs of anon pages */
	unsigned long hiwater_rss;      /* peak rss, updated before drops */
	unsigned long hiwater_vm;       /* peak total_vm, idem */
	unsigned long total_vm;         /* pages mapped */
	unsigned long locked_vm;        /* VM_LOCKED pages */
	unsigned long shared_vm;        /* file-backed pages */
	unsigned long exec_vm;          /* file-backed, exec, not write */
	unsigned long stack_vm;         /* VM_GROWSDOWN pages */
	unsigned long reserved_vm;      /* VM_RESERVED|VM_IO pages */
	unsigned long def_flags;        /* added to every new vma */
	unsigned long nr_ptes;          /* PTE table pages */
	kaddr_t start_code, end_code;   /* text */
	kaddr_t start_data, end_data;   /* data */
	kaddr_t start_brk, brk;         /* heap */
	kaddr_t start_stack;            /* initial stack pointer page */
	kaddr_t arg_start, arg_end, env_start, env_end;
	kaddr_t obj;                    /* the mm_struct slab object */
	/* a one-entry cache of the last PTE table the walker found */
	kaddr_t ptc_base;               /* va of its first entry */
	uint8_t *ptc_table;             /* its bytes, NULL = invalid */
	/* the swap token (thrash.c) */
	unsigned faultstamp;            /* global_faults at its last grab */
	int token_priority;             /* raised by frequent major faults */
	unsigned last_interval;         /* faults between its last two grabs */
};

struct task_struct {
	int pid;                        /* process id */
	int ppid;                       /* parent's pid (0 for init) */
	char comm[16];                  /* name */
	unsigned uid;                   /* 0 for init, 1000 otherwise */
	struct mm_struct *mm;           /* address space */
	unsigned long min_flt;          /* minor faults */
	unsigned long maj_flt;          /* major faults */
	kaddr_t obj;                    /* the task_struct slab object */
	unsigned long stack_pfn;        /* thread_info + kernel stack (order 1) */
	uint64_t start_time;            /* jiffies at fork */
	/* what badness() reads (oom_kill.c) */
	uint64_t utime;                 /* user CPU time, jiffies (`run`) */
	uint64_t stime;                 /* system CPU time, jiffies (`run`) */
	int nice;                       /* -20..19 */
	int oomkilladj;                 /* /proc/PID/oom_adj: -17..15 */
	unsigned flags;                 /* PF_EXITING, PF_SWAPOFF */
	bool memdie;                    /* TIF_MEMDIE: chosen by the OOM killer,
					 * SIGKILL pending (only ever current) */
};
#define PF_EXITING 0x00000004u
#define PF_SWAPOFF 0x00800000u
#define OOM_DISABLE (-17)
#define OOM_ADJUST_MIN (-16)
#define OOM_ADJUST_MAX 15

/* Everything the process files keep per machine (m->mms). */
struct mm_state {
	bool caches_ready;              /* proc_caches_init & co have run */
	int cache_task;                 /* "task_struct" */
	int cache_mm;                   /* "mm_struct" */
	int cache_vma;                  /* "vm_area_struct" */
	int cache_anon_vma;             /* "anon_vma" */
	int cache_radix;                /* "radix_tree_node" */
	int cache_pgd;                  /* i386: "pgd" */
	int cache_pmd;                  /* i386 PAE: "pmd" */
	struct task_struct **tasks;     /* sorted by pid */
	size_t nr_tasks, tasks_cap;
	int last_pid;                   /* pid allocator */
	struct anon_vma **anon_vmas;    /* by id; NULL = free id */
	unsigned nr_anon_ids, anon_cap;
	unsigned anon_free_hint;        /* lowest possibly free id */
	struct kfile **files;           /* by id (1..); NULL = free id */
	unsigned nr_file_ids, files_cap;
	unsigned long next_ino;         /* inode numbers for new files */
	unsigned long zero_pfn;         /* ZERO_PAGE (empty_zero_page) */
	long vm_committed_space;        /* pages, Committed_AS */
	char **proc_names;              /* kmem_proc_entries with PID dirs */
	size_t nr_proc_names;
	const char **proc_list;
	uint64_t proc_gen, proc_built;  /* rebuild when tasks change */
	struct kmem_io_info *io;        /* counts of the running read/write */
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static inline unsigned long vma_pages(const struct vm_area_struct *v)
{
	return (unsigned long)((v->vm_end - v->vm_start) >> PAGE_SHIFT);
}
static inline bool PageAnon(const struct page *p)
{
	return p->mapping & PAGE_MAPPING_ANON;
}
static inline unsigned long linear_page_index(const struct vm_area_struct *v,
					      kaddr_t addr)
{
	return (unsigned long)((addr - v->vm_start) >> PAGE_SHIFT) + v->vm_pgoff;
}
static inline bool is_cow_mapping(unsigned long flags)
{
	return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}
static inline kaddr_t page_align(kaddr_t x)
{
	return (x + PAGE_SIZE - 1) & ~(kaddr_t)(PAGE_SIZE - 1);
}
static inline void get_page(struct page *p)
{
	p->_count++;
}
static inline struct mm_state *mms(const struct machine *m)
{
	return m->mms;
}
/* TASK_UNMAPPED_BASE = PAGE_ALIGN(TASK_SIZE / 3) */
static inline kaddr_t task_unmapped_base(const struct mm_struct *mm)
{
	return page_align(mm->task_size / 3);
}

/* ------------------------------------------------------------------ */
/* task.c                                                              */
/* ------------------------------------------------------------------ */

int mm_caches_init(struct machine *m);
struct task_struct *find_task(const struct machine *m, int pid);
/* Look the task up and insist it has an mm (set_error otherwise). */
struct task_struct *task_with_mm(struct machine *m, int pid, const char *op);
/* do_exit: tear the task down.  signal is for the message only. */
void do_exit(struct machine *m, struct task_struct *t, int signal);
kaddr_t arch_task_size(const struct machine *m);
/* The entry points that act for a task, before run_as_task wraps them
 * (task.c): they set m->current for their length and, when the OOM killer
 * chose current, deliver its SIGKILL on the way out. */
int __kmem_fault(struct machine *m, int pid, uint64_t addr, bool write,
		 struct kmem_fault_info *info);
int __kmem_touch(struct machine *m, int pid, uint64_t addr, uint64_t len,
		 bool write, struct kmem_touch_info *info);
int __kmem_mmap(struct machine *m, int pid, uint64_t addr, uint64_t len,
		unsigned prot, unsigned flags, const char *file,
		uint64_t offset, uint64_t *out);
int __kmem_munmap(struct machine *m, int pid, uint64_t addr, uint64_t len);
int __kmem_brk(struct machine *m, int pid, uint64_t brk, uint64_t *out);
int __kmem_mprotect(struct machine *m, int pid, uint64_t addr, uint64_t len,
		    unsigned prot);
int __kmem_mremap(struct machine *m, int pid, uint64_t addr,
		  uint64_t old_len, uint64_t new_len, unsigned flags,
		  uint64_t new_addr, uint64_t *out);
int __kmem_fork(struct machine *m, int pid, int *child);
/* oom_kill.c: /proc/PID/oom_score and oom_adj */
void proc_oom_score(struct machine *m, struct task_struct *t, struct kbuf *b);
int proc_oom_adj_write(struct machine *m, struct task_struct *t,
		       const char *text);
/* The task OOM-killed while it was current dies on its way out. */
void oom_deliver_sigkill(struct machine *m, struct task_struct *t);

/* ------------------------------------------------------------------ */
/* mmap.c                                                              */
/* ------------------------------------------------------------------ */

struct vm_area_struct *find_vma(struct mm_struct *mm, kaddr_t addr);
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, kaddr_t addr,
				     struct vm_area_struct **pprev);
struct vm_area_struct *vma_next(const struct mm_struct *mm,
				const struct vm_area_struct *v);
struct vm_area_struct *vma_prev(const struct mm_struct *mm,
				const struct vm_area_struct *v);
int vma_alloc(struct machine *m, struct vm_area_struct **out);
void vma_free(struct machine *m, struct vm_area_struct *v);
void vma_link(struct machine *m, struct mm_struct *mm,
	      struct vm_area_struct *v);
struct vm_area_struct *vma_merge(struct machine *m, struct mm_struct *mm,
				 struct vm_area_struct *prev, kaddr_t addr,
				 kaddr_t end, unsigned long vm_flags,
				 struct anon_vma *anon, struct kfile *file,
				 unsigned long pgoff);
void vma_adjust(struct machine *m, struct vm_area_struct *v, kaddr_t start,
		kaddr_t end, unsigned long pgoff, struct vm_area_struct *insert);
int split_vma(struct machine *m, struct mm_struct *mm,
	      struct vm_area_struct *v, kaddr_t addr, int new_below);
int do_munmap(struct machine *m, struct mm_struct *mm, kaddr_t start,
	      kaddr_t len);
int do_brk(struct machine *m, struct mm_struct *mm, kaddr_t addr,
	   kaddr_t len);
int do_mmap_pgoff(struct machine *m, struct task_struct *t,
		  struct kfile *file, kaddr_t addr, kaddr_t len,
		  unsigned prot, unsigned flags, unsigned long pgoff,
		  kaddr_t *out);
int get_unmapped_area(struct machine *m, struct mm_struct *mm,
		      struct kfile *file, kaddr_t addr, kaddr_t len,
		      unsigned long pgoff, unsigned flags, kaddr_t *out);
void vm_stat_account(struct mm_struct *mm, unsigned long flags,
		     struct kfile *file, long pages);
int security_vm_enough_memory(struct machine *m, struct mm_struct *mm,
			      long pages);
void vm_unacct_memory(struct machine *m, long pages);
uint64_t protection_map(const struct machine *m, unsigned long flags);
bool vma_wants_writenotify(const struct machine *m,
			   const struct vm_area_struct *v);
int expand_stack(struct machine *m, struct vm_area_struct *v, kaddr_t addr);
void exit_mmap(struct machine *m, struct mm_struct *mm);
void update_hiwater_rss(struct mm_struct *mm);
void update_hiwater_vm(struct mm_struct *mm);
/* fput after a vma left the file's i_mmap: releases an unlinked file
 * or a shmem object with no vma left. */
void file_put(struct machine *m, struct kfile *f);

/* mprotect.c, mremap.c */
void change_protection(struct machine *m, struct vm_area_struct *v,
		       kaddr_t start, kaddr_t end, uint64_t newprot,
		       bool dirty_accountable);

/* ------------------------------------------------------------------ */
/* memory.c                                                            */
/* ------------------------------------------------------------------ */

unsigned pt_levels_of(const struct machine *m);
int pgd_alloc(struct machine *m, struct mm_struct *mm);
void pgd_free(struct machine *m, struct mm_struct *mm);
/* Pointer to the PTE for addr (allocating tables when alloc), NULL when
 * absent (or -ENOMEM in *err).  *esz gets the entry size. */
uint8_t *pte_offset(struct machine *m, struct mm_struct *mm, kaddr_t addr,
		    bool alloc, int *err);
unsigned pte_size(const struct machine *m);
static inline uint64_t pte_get(const uint8_t *p, unsigned esz)
{
	if (esz == 4) {
		uint32_t v;
		__builtin_memcpy(&v, p, 4);
		return v;
	}
	uint64_t v;
	__builtin_memcpy(&v, p, 8);
	return v;
}
static inline void pte_set(uint8_t *p, unsigned esz, uint64_t v)
{
	if (esz == 4) {
		uint32_t w = (uint32_t)v;
		__builtin_memcpy(p, &w, 4);
	} else {
		__builtin_memcpy(p, &v, 8);
	}
}
static inline bool pte_present(uint64_t e)
{
	return e & (_PAGE_PRESENT | _PAGE_PROTNONE);
}
static inline unsigned long pte_pfn(uint64_t e)
{
	return (unsigned long)((e & PTE_PFN_MASK) >> PAGE_SHIFT);
}
struct page *vm_normal_page(struct machine *m, struct vm_area_struct *v,
			    kaddr_t addr, uint64_t pte);
int handle_mm_fault(struct machine *m, struct task_struct *t,
		    struct vm_area_struct *v, kaddr_t addr, bool write,
		    struct kmem_fault_info *info);
void unmap_vmas(struct machine *m, struct mm_struct *mm,
		struct vm_area_struct *const *vmas, size_t n, kaddr_t start,
		kaddr_t end, unsigned long *nr_accounted);
/* Free the page tables of the removed ranges (address order) that no
 * remaining vma needs: floor = previous vma's end, ceiling = next vma's
 * start (0: none). */
void free_pgtables(struct machine *m, struct mm_struct *mm,
		   const kaddr_t (*ranges)[2], size_t nr, kaddr_t floor,
		   kaddr_t ceiling);
int copy_page_range(struct machine *m, struct mm_struct *dst,
		    struct mm_struct *src, struct vm_area_struct *v);
int make_pages_present(struct machine *m, struct task_struct *t,
		       kaddr_t addr, kaddr_t end);
int move_page_tables(struct machine *m, struct vm_area_struct *v,
		     kaddr_t old_addr, struct vm_area_struct *nv,
		     kaddr_t new_addr, kaddr_t len);
/* Visit every non-none PTE in [start, end): fn(ctx, addr, pte ptr). */
void walk_ptes(struct machine *m, struct mm_struct *mm, kaddr_t start,
	       kaddr_t end,
	       void (*fn)(struct machine *, void *, kaddr_t, uint8_t *),
	       void *ctx);
void put_page(struct machine *m, struct page *p);
int install_anon_page(struct machine *m, struct task_struct *t,
		      struct vm_area_struct *v, kaddr_t addr);
bool pt_check(struct machine *m, char *report, size_t len);

/* ------------------------------------------------------------------ */
/* rmap.c                                                              */
/* ------------------------------------------------------------------ */

int anon_vma_prepare(struct machine *m, struct vm_area_struct *v);
void anon_vma_link(struct machine *m, struct vm_area_struct *v);
void anon_vma_unlink(struct machine *m, struct vm_area_struct *v);
struct anon_vma *anon_vma_of(const struct machine *m, const struct page *p);
void page_add_new_anon_rmap(struct machine *m, struct page *p,
			    struct vm_area_struct *v, kaddr_t addr);
void page_add_anon_rmap(struct machine *m, struct page *p,
			struct vm_area_struct *v, kaddr_t addr);
void page_add_file_rmap(struct machine *m, struct page *p);
void page_dup_rmap(struct page *p);
void page_remove_rmap(struct machine *m, struct page *p);
int page_referenced(struct machine *m, struct page *p, bool is_locked);
int try_to_unmap(struct machine *m, struct page *p, bool migration);
int page_mkclean(struct machine *m, struct page *p);
int migrate_ptes(struct machine *m, struct page *old, struct page *newp);
#define SWAP_SUCCESS 0
#define SWAP_AGAIN   1
#define SWAP_FAIL    2
kaddr_t vma_address(const struct page *p, const struct vm_area_struct *v);

/* ------------------------------------------------------------------ */
/* filemap.c, readahead.c, radix_tree.c                                */
/* ------------------------------------------------------------------ */

struct kfile *file_by_id(const struct machine *m, unsigned id);
struct kfile *file_lookup(const struct machine *m, const char *name);
struct kfile *mapping_file(const struct machine *m, const struct page *p);
int file_new(struct machine *m, const char *name, uint64_t size,
	     bool shmem, struct kfile **out);
void file_release(struct machine *m, struct kfile *f);
void i_mmap_add(struct kfile *f, struct vm_area_struct *v,
		struct vm_area_struct *after);
void i_mmap_del(struct kfile *f, struct vm_area_struct *v);
struct page *find_get_page(struct machine *m, struct kfile *f,
			   unsigned long index);
int add_to_page_cache(struct machine *m, struct page *p, struct kfile *f,
		      unsigned long index);
void remove_from_page_cache(struct machine *m, struct page *p);
void set_page_dirty(struct machine *m, struct page *p);
int page_cache_read(struct machine *m, struct kfile *f, unsigned long index);
struct page *filemap_nopage(struct machine *m, struct vm_area_struct *v,
			    kaddr_t addr, int *type);
struct page *shmem_nopage(struct machine *m, struct vm_area_struct *v,
			  kaddr_t addr, int *type);
int kernel_read(struct machine *m, struct kfile *f, uint64_t off,
		size_t len);
void truncate_inode_pages(struct machine *m, struct kfile *f);
bool filemap_check(struct machine *m, char *report, size_t len);

/* readahead.c */
void file_ra_state_init(struct file_ra_state *ra);
unsigned long page_cache_readahead(struct machine *m, struct kfile *f,
				   struct file_ra_state *ra,
				   unsigned long offset,
				   unsigned long req_size);
void handle_ra_miss(struct file_ra_state *ra);
int do_page_cache_readahead(struct machine *m, struct kfile *f,
			    unsigned long offset, unsigned long nr);
unsigned long max_sane_readahead(struct machine *m, unsigned long nr);

/* radix_tree.c */
void *radix_tree_lookup(const struct radix_tree_root *root,
			unsigned long index);
int radix_tree_insert(struct machine *m, struct radix_tree_root *root,
		      unsigned long index, void *item);
void *radix_tree_delete(struct machine *m, struct radix_tree_root *root,
			unsigned long index);
void *radix_tree_replace(struct radix_tree_root *root, unsigned long index,
			 void *item);
void radix_tree_tag_set(struct radix_tree_root *root, unsigned long index,
			unsigned tag);
void radix_tree_tag_clear(struct radix_tree_root *root, unsigned long index,
			  unsigned tag);
bool radix_tree_tag_get(const struct radix_tree_root *root,
			unsigned long index, unsigned tag);
/* Up to max items with index >= first, in index order (gang lookup);
 * tag < 0 for all items, else only tagged ones.  Returns the count. */
size_t radix_tree_gang_lookup(const struct radix_tree_root *root,
			      void **items, unsigned long *indices,
			      unsigned long first, size_t max, int tag);
size_t radix_tree_nodes(const struct radix_tree_root *root);
/* Walk the tree checking counts and tags; NULL if fine, else a reason. */
const char *radix_tree_check(const struct radix_tree_root *root);

/* blkdev.c: the simulated disk's time (see the file's comment).  Disk
 * times are in units of 2^-20 jiffy. */
#define BLK_SWAP_DEV 0x80000000u        /* dev of swap type t: this | t */
void blk_init(struct machine *m);
void blk_destroy(struct machine *m);
bool blk_check(const struct machine *m, char *report, size_t len);
/* Queue one page's read (dev, index) or write; the write returns when
 * it will be done. */
void blk_submit_read(struct machine *m, unsigned dev, unsigned long index);
uint64_t blk_submit_write(struct machine *m);
/* Between plug and unplug, reads of consecutive indexes of one dev merge
 * into one request that completes whole (a readahead window). */
void blk_plug(struct machine *m);
void blk_unplug(struct machine *m);
/* Wait (move the clock on) until time done / until the read in flight
 * that covers (dev, index) completes, if any. */
void blk_wait_until(struct machine *m, uint64_t done, const char *why);
void blk_wait_page(struct machine *m, unsigned dev, unsigned long index);
/* Reads in flight for dev no longer make anyone wait: the file or swap
 * device is gone and its number may be reused.  The disk time stays. */
void blk_forget_dev(struct machine *m, unsigned dev);
/* When every queued write will have completed. */
uint64_t blk_writes_done(const struct machine *m);

#include "swap.h"

#endif /* KMEM_MM_H */
