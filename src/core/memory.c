/*
 * memory.c - user page tables and page faults (mm/memory.c,
 * arch/{i386,x86_64}/mm/fault.c, include/asm-{i386,x86_64}/pgalloc.h, 2.6.20).
 *
 *   kmem_fault -> the simulated MMU checks the PTE; if it refuses:
 *   do_page_fault          find_vma, expand_stack, VM_READ/VM_WRITE checks
 *    handle_mm_fault
 *     __handle_mm_fault    PGFAULT; pud/pmd/pte tables allocated as needed
 *      handle_pte_fault    pte_none: do_no_page (file, shmem) or
 *                                    do_anonymous_page
 *                          not present: do_swap_page (swap entry);
 *                                       do_file_page is not modelled
 *                          present, write, read-only: do_wp_page (COW)
 *                          otherwise: young/dirty, VM_FAULT_MINOR
 *
 * Page tables per mm, 2-level (i386), 3-level (PAE) or 4-level (x86_64),
 * use the level geometry of pgtable.c and live in simulated RAM:
 *   i386      pgd from the "pgd" slab cache (4 KiB objects, 4 KiB aligned);
 *             kernel entries 768..1023 copied from swapper_pg_dir
 *   PAE       pgd a 32-byte "pgd" object, its 3 user pmds "pmd" objects
 *             allocated with it (freed only with it, as 2.6.20 does)
 *   x86_64    pgd a page (__get_free_page), pud and pmd pages
 *             get_zeroed_page(GFP_KERNEL|__GFP_REPEAT)
 *   pte       pte_alloc_one: GFP_KERNEL|__GFP_REPEAT, zeroed; CONFIG_HIGHPTE
 *             is not set, so PTE pages are lowmem.  Only PTE pages count
 *             in NR_PAGETABLE and mm->nr_ptes (VmPTE), as in 2.6.20.
 *
 * The simulated CPU has no NX on i386 and no registers: a user access is
 * (pid, address, read or write), a stack access below the stack vma is
 * taken to be a push (esp = address), and x86_64's segfault line prints
 * rip and rsp as 0.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "mm.h"

#define SIGBUS  7
#define SIGKILL 9
#define SIGSEGV 11

/* ------------------------------------------------------------------ */
/* Geometry and tables                                                 */
/* ------------------------------------------------------------------ */

unsigned pt_levels_of(const struct machine *m)
{
	unsigned n;

	pt_levels(m, &n);
	return n;
}

unsigned pte_size(const struct machine *m)
{
	return m->arch == KMEM_ARCH_I386 && !m->pae ? 4 : 8;
}

static inline unsigned lv_index(const struct pt_level *lv, kaddr_t va)
{
	return (unsigned)((va >> lv->shift) & (lv->entries - 1));
}

/* The bytes of a table page (backed on first use: tables are written). */
static inline uint8_t *table_bytes(struct machine *m, unsigned long pfn)
{
	return physmem_page(m, pfn, true);
}

static uint8_t *pgd_bytes(struct machine *m, const struct mm_struct *mm)
{
	return table_bytes(m, (unsigned long)(mm->pgd_phys >> PAGE_SHIFT)) +
	       (mm->pgd_phys & (PAGE_SIZE - 1));
}

static int alloc_table_page(struct machine *m, unsigned long *pfn)
{
	return kmem_alloc_pages(m, -1, GFP_KERNEL | __GFP_REPEAT | __GFP_ZERO, 0,
				pfn);
}

static bool obj_pfn(const struct machine *m, kaddr_t obj, unsigned long *pfn)
{
	return kaddr_to_pfn(m, obj, pfn);
}

/* pgd_alloc: the top-level table with the kernel part copied in. */
int pgd_alloc(struct machine *m, struct mm_struct *mm)
{
	struct mm_state *s = mms(m);
	unsigned n;
	const struct pt_level *lv = pt_levels(m, &n);
	unsigned long pfn;
	kaddr_t obj;
	uint8_t *kern = table_bytes(m, m->pgd_pfn);

	if (m->arch == KMEM_ARCH_X86_64) {
		if (kmem_alloc_pages(m, -1, GFP_KERNEL, 0, &pfn))
			return -ENOMEM;
		mm->pgd_phys = (uint64_t)pfn << PAGE_SHIFT;
		mm->pgd_obj = pfn_to_kaddr(m, pfn);
		uint8_t *t = table_bytes(m, pfn);
		memset(t, 0, PAGE_SIZE / 2);    /* user half: entries 0..255 */
		memcpy(t + PAGE_SIZE / 2, kern + PAGE_SIZE / 2, PAGE_SIZE / 2);
		return 0;
	}
	if (kmem_cache_alloc(m, s->cache_pgd, GFP_KERNEL, -1, &obj))
		return -ENOMEM;
	obj_pfn(m, obj, &pfn);
	mm->pgd_obj = obj;
	mm->pgd_phys = ((uint64_t)pfn << PAGE_SHIFT) + (obj & (PAGE_SIZE - 1));
	uint8_t *t = pgd_bytes(m, mm);
	size_t bytes = (size_t)lv[0].entries * lv[0].entry_size;
	unsigned user = (unsigned)(arch_task_size(m) >> lv[0].shift);
	memset(t, 0, (size_t)user * lv[0].entry_size);
	memcpy(t + (size_t)user * lv[0].entry_size,
	       kern + (size_t)user * lv[0].entry_size,
	       bytes - (size_t)user * lv[0].entry_size);
	if (m->pae) {
		/* the user pmds come with the pgd (pgd_alloc in pgtable.c) */
		for (unsigned i = 0; i < user; i++) {
			kaddr_t pmd;
			if (kmem_cache_alloc(m, s->cache_pmd, GFP_KERNEL, -1, &pmd)) {
				while (i--)
					kmem_cache_free(m, s->cache_pmd, mm->pmd_obj[i]);
				kmem_cache_free(m, s->cache_pgd, obj);
				return -ENOMEM;
			}
			unsigned long ppfn;
			obj_pfn(m, pmd, &ppfn);
			memset(table_bytes(m, ppfn), 0, PAGE_SIZE);
			mm->pmd_obj[i] = pmd;
			pte_set(t + i * 8, 8, ((uint64_t)ppfn << PAGE_SHIFT) |
				_PAGE_PRESENT);
		}
	}
	return 0;
}

void pgd_free(struct machine *m, struct mm_struct *mm)
{
	struct mm_state *s = mms(m);

	mm->ptc_table = NULL;
	if (m->arch == KMEM_ARCH_X86_64) {
		kmem_free_pages(m, (unsigned long)(mm->pgd_phys >> PAGE_SHIFT), 0);
		return;
	}
	if (m->pae)
		for (unsigned i = 0; i < 3; i++)
			kmem_cache_free(m, s->cache_pmd, mm->pmd_obj[i]);
	kmem_cache_free(m, s->cache_pgd, mm->pgd_obj);
}

/*
 * The PTE table covering addr: walk down from the pgd, allocating missing
 * tables when alloc (__pud_alloc, __pmd_alloc, __pte_alloc).  NULL when a
 * table is missing (and *err = -ENOMEM when an allocation failed).
 */
static uint8_t *pte_table(struct machine *m, struct mm_struct *mm,
			  kaddr_t addr, bool alloc, int *err)
{
	unsigned n;
	const struct pt_level *lv = pt_levels(m, &n);
	kaddr_t base = addr & ~(((kaddr_t)1 << lv[n - 2].shift) - 1);

	if (mm->ptc_table && mm->ptc_base == base)
		return mm->ptc_table;
	uint8_t *t = pgd_bytes(m, mm);
	for (unsigned i = 0; i + 1 < n; i++) {
		unsigned esz = lv[i].entry_size;
		uint8_t *slot = t + (size_t)lv_index(&lv[i], addr) * esz;
		uint64_t e = pte_get(slot, esz);
		if (!(e & _PAGE_PRESENT)) {
			unsigned long pfn;
			if (!alloc)
				return NULL;
			if (alloc_table_page(m, &pfn)) {
				*err = -ENOMEM;
				return NULL;
			}
			bool pte_level = i + 2 == n;
			if (pte_level) {
				mm->nr_ptes++;
				__mod_zone_page_state(page_zone(m, pfn_to_page(m, pfn)),
						      NR_PAGETABLE, 1);
			}
			if (TRACING(m))
				trace_note(m, "__%s_alloc: new %s table at pfn %#lx",
					   lv[i + 1].name, lv[i + 1].name, pfn);
			e = ((uint64_t)pfn << PAGE_SHIFT) | _PAGE_TABLE;
			pte_set(slot, esz, e);
		}
		t = table_bytes(m, pte_pfn(e));
	}
	mm->ptc_base = base;
	mm->ptc_table = t;
	return t;
}

uint8_t *pte_offset(struct machine *m, struct mm_struct *mm, kaddr_t addr,
		    bool alloc, int *err)
{
	uint8_t *t = pte_table(m, mm, addr, alloc, err);

	if (!t)
		return NULL;
	unsigned n;
	const struct pt_level *lv = pt_levels(m, &n);
	return t + (size_t)lv_index(&lv[n - 1], addr) * lv[n - 1].entry_size;
}

void walk_ptes(struct machine *m, struct mm_struct *mm, kaddr_t start,
	       kaddr_t end,
	       void (*fn)(struct machine *, void *, kaddr_t, uint8_t *),
	       void *ctx)
{
	unsigned n;
	const struct pt_level *lv = pt_levels(m, &n);
	kaddr_t span = (kaddr_t)1 << lv[n - 2].shift;
	unsigned esz = lv[n - 1].entry_size;
	int err = 0;

	for (kaddr_t a = start; a < end; ) {
		kaddr_t next = (a & ~(span - 1)) + span;
		if (next > end || next < a)
			next = end;
		uint8_t *t = pte_table(m, mm, a, false, &err);
		if (t) {
			for (kaddr_t x = a; x < next; x += PAGE_SIZE) {
				uint8_t *pte = t + (size_t)lv_index(&lv[n - 1], x) * esz;
				if (pte_get(pte, esz))
					fn(m, ctx, x, pte);
			}
		}
		a = next;
	}
}

/* free_pgd_range's recursion: free the child tables under `table` whose
 * whole span lies in [floor, ceiling) and that overlap [start, end). */
static void free_range(struct machine *m, struct mm_struct *mm,
		       unsigned level, uint8_t *table, kaddr_t start,
		       kaddr_t end, kaddr_t floor, kaddr_t ceiling)
{
	unsigned n;
	const struct pt_level *lv = pt_levels(m, &n);
	kaddr_t span = (kaddr_t)1 << lv[level].shift;
	unsigned esz = lv[level].entry_size;

	for (kaddr_t a = start & ~(span - 1); a < end; a += span) {
		uint8_t *slot = table + (size_t)lv_index(&lv[level], a) * esz;
		uint64_t e = pte_get(slot, esz);
		if (!(e & _PAGE_PRESENT))
			continue;
		unsigned long child = pte_pfn(e);
		if (level + 2 < n) {
			kaddr_t lo = a > start ? a : start;
			kaddr_t hi = a + span < end ? a + span : end;
			free_range(m, mm, level + 1, table_bytes(m, child), lo, hi,
				   floor, ceiling);
		}
		if (a < floor || (ceiling && a + span > ceiling))
			continue;
		if (m->pae && level == 0)
			continue;       /* PAE pmds go with the pgd */
		if (level + 2 == n) {
			mm->nr_ptes--;
			__mod_zone_page_state(page_zone(m, pfn_to_page(m, child)),
					      NR_PAGETABLE, -1);
		}
		if (TRACING(m))
			trace_note(m, "free_pgtables: %s table pfn %#lx (%#llx-%#llx)",
				   lv[level + 1].name, child, (unsigned long long)a,
				   (unsigned long long)(a + span));
		pte_set(slot, esz, 0);
		kmem_free_pages(m, child, 0);
	}
}

void free_pgtables(struct machine *m, struct mm_struct *mm,
		   const kaddr_t (*ranges)[2], size_t nr, kaddr_t floor,
		   kaddr_t ceiling)
{
	mm->ptc_table = NULL;
	for (size_t i = 0; i < nr; i++) {
		kaddr_t ceil = i + 1 < nr ? ranges[i + 1][0] : ceiling;
		free_range(m, mm, 0, pgd_bytes(m, mm), ranges[i][0], ranges[i][1],
			   floor, ceil);
	}
}

/* ------------------------------------------------------------------ */
/* Pages                                                               */
/* ------------------------------------------------------------------ */

struct page *vm_normal_page(struct machine *m, struct vm_area_struct *v,
			    kaddr_t addr, uint64_t pte)
{
	unsigned long pfn = pte_pfn(pte);

	(void)addr;
	if (v->vm_flags & VM_PFNMAP || pfn >= m->max_pfn)
		return NULL;
	return pfn_to_page(m, pfn);
}

/* put_page / page_cache_release: the last reference frees the page. */
void put_page(struct machine *m, struct page *p)
{
	if (--p->_count > 0)
		return;
	__page_cache_release(m, p);     /* off the LRU (mm/swap.c) */
	p->_count = 1;                  /* free_hot_cold_page takes it to 0 */
	p->flags &= ~((1u << PG_referenced) | (1u << PG_uptodate) |
		      (1u << PG_locked) | (1u << PG_mappedtodisk));
	free_hot_cold_page(m, p, 0);
}

/* copy_user_highpage / cow_user_page: copy the bytes (kmap_atomic
 * KM_USER0/KM_USER1 on i386 highmem; not modelled as slots). */
static void copy_user_highpage(struct machine *m, unsigned long dst,
			       unsigned long src)
{
	const uint8_t *s = physmem_page(m, src, false);

	if (s)
		memcpy(physmem_page(m, dst, true), s, PAGE_SIZE);
	else
		physmem_clear(m, dst);
}

static uint64_t mk_pte(unsigned long pfn, uint64_t prot)
{
	return ((uint64_t)pfn << PAGE_SHIFT) | prot;
}

static uint64_t maybe_mkwrite(uint64_t e, const struct vm_area_struct *v)
{
	return v->vm_flags & VM_WRITE ? e | _PAGE_RW : e;
}

/* alloc_zeroed_user_highpage: GFP_HIGHUSER|__GFP_ZERO on the local node */
static struct page *alloc_zeroed_user_highpage(struct machine *m)
{
	unsigned long pfn;

	if (TRACING(m))
		trace_enter(m, "alloc_zeroed_user_highpage", "GFP_HIGHUSER|__GFP_ZERO");
	int rc = kmem_alloc_pages(m, -1, GFP_HIGHUSER | __GFP_ZERO, 0, &pfn);
	if (TRACING(m))
		trace_exit(m, rc ? "NULL" : "pfn %#lx", pfn);
	return rc ? NULL : pfn_to_page(m, pfn);
}

struct page *alloc_page_vma(struct machine *m)
{
	unsigned long pfn;

	if (kmem_alloc_pages(m, -1, GFP_HIGHUSER, 0, &pfn))
		return NULL;
	return pfn_to_page(m, pfn);
}

void update_hiwater_rss(struct mm_struct *mm)
{
	unsigned long rss = mm->file_rss + mm->anon_rss;

	if (mm->hiwater_rss < rss)
		mm->hiwater_rss = rss;
}

/* ------------------------------------------------------------------ */
/* The fault handlers                                                  */
/* ------------------------------------------------------------------ */

static void note(struct kmem_fault_info *info, const char *handler,
		 const char *detail)
{
	if (info) {
		info->handler = handler;
		info->detail = detail;
	}
}

static int do_anonymous_page(struct machine *m, struct mm_struct *mm,
			     struct vm_area_struct *v, kaddr_t addr,
			     uint8_t *pte, bool write,
			     struct kmem_fault_info *info)
{
	unsigned esz = pte_size(m);
	struct page *p;
	uint64_t e;

	if (TRACING(m))
		trace_enter(m, "do_anonymous_page", "%#llx, %s",
			    (unsigned long long)addr, write ? "write" : "read");
	if (write) {
		if (anon_vma_prepare(m, v))
			goto oom;
		p = alloc_zeroed_user_highpage(m);
		if (!p)
			goto oom;
		e = maybe_mkwrite(mk_pte(page_to_pfn(m, p), v->vm_page_prot) |
				  _PAGE_DIRTY, v);
		pte_set(pte, esz, e);
		mm->anon_rss++;
		lru_cache_add_active(m, p);
		page_add_new_anon_rmap(m, p, v, addr);
		note(info, "do_anonymous_page", "new zeroed page");
	} else {
		unsigned long zp = mms(m)->zero_pfn;
		p = pfn_to_page(m, zp);
		get_page(p);
		pte_set(pte, esz, mk_pte(zp, v->vm_page_prot));
		mm->file_rss++;
		page_add_file_rmap(m, p);
		if (TRACING(m))
			trace_note(m, "map ZERO_PAGE pfn %#lx read-only, file_rss++", zp);
		note(info, "do_anonymous_page", "zero page");
	}
	if (TRACING(m))
		trace_exit(m, "VM_FAULT_MINOR");
	return VM_FAULT_MINOR;
oom:
	if (TRACING(m))
		trace_exit(m, "VM_FAULT_OOM");
	note(info, "do_anonymous_page", "out of memory");
	return VM_FAULT_OOM;
}

static int do_no_page(struct machine *m, struct mm_struct *mm,
		      struct vm_area_struct *v, kaddr_t addr, uint8_t *pte,
		      bool write, struct kmem_fault_info *info)
{
	unsigned esz = pte_size(m);
	int ret;
	bool anon = false;

	if (TRACING(m))
		trace_enter(m, "do_no_page", "%#llx, %s", (unsigned long long)addr,
			    write ? "write" : "read");
	struct page *p = v->vm_file->shmem ?
		shmem_nopage(m, v, addr, &ret) : filemap_nopage(m, v, addr, &ret);
	if (!p) {
		note(info, "do_no_page", ret == VM_FAULT_SIGBUS ?
		     "beyond end of file" : "out of memory");
		if (TRACING(m))
			trace_exit(m, ret == VM_FAULT_SIGBUS ? "VM_FAULT_SIGBUS" :
				   "VM_FAULT_OOM");
		return ret;
	}
	bool shm = v->vm_file->shmem;
	note(info, "do_no_page", shm ? "shmem page" : ret == VM_FAULT_MAJOR ?
	     "page cache miss" : "page cache hit");
	if (write && !(v->vm_flags & VM_SHARED)) {
		/* early COW break: a private copy */
		struct page *np = NULL;
		if (!anon_vma_prepare(m, v))
			np = alloc_page_vma(m);
		if (!np) {
			put_page(m, p);
			note(info, "do_no_page", "out of memory");
			if (TRACING(m))
				trace_exit(m, "VM_FAULT_OOM");
			return VM_FAULT_OOM;
		}
		copy_user_highpage(m, page_to_pfn(m, np), page_to_pfn(m, p));
		if (TRACING(m))
			trace_note(m, "private write: copy pfn %#lx to new pfn %#lx",
				   page_to_pfn(m, p), page_to_pfn(m, np));
		put_page(m, p);
		p = np;
		anon = true;
		note(info, "do_no_page", shm ? "shmem page, private copy" :
		     ret == VM_FAULT_MAJOR ? "page cache miss, private copy" :
		     "page cache hit, private copy");
	}
	uint64_t e = mk_pte(page_to_pfn(m, p), v->vm_page_prot);
	if (write)
		e = maybe_mkwrite(e | _PAGE_DIRTY, v);
	pte_set(pte, esz, e);
	if (anon) {
		mm->anon_rss++;
		lru_cache_add_active(m, p);
		page_add_new_anon_rmap(m, p, v, addr);
	} else {
		mm->file_rss++;
		page_add_file_rmap(m, p);
		if (write)
			set_page_dirty_balance(m, p);
	}
	if (TRACING(m))
		trace_exit(m, ret == VM_FAULT_MAJOR ? "VM_FAULT_MAJOR" :
			   "VM_FAULT_MINOR");
	return ret;
}

static int do_wp_page(struct machine *m, struct mm_struct *mm,
		      struct vm_area_struct *v, kaddr_t addr, uint8_t *pte,
		      uint64_t orig, struct kmem_fault_info *info)
{
	unsigned esz = pte_size(m);
	struct page *old = vm_normal_page(m, v, addr, orig);
	struct page *dirty_page = NULL;
	bool reuse = false;

	if (TRACING(m))
		trace_enter(m, "do_wp_page", "%#llx, pfn %#lx mapcount %d",
			    (unsigned long long)addr, pte_pfn(orig),
			    old ? old->_mapcount + 1 : 0);
	if (old && PageAnon(old)) {
		/* exclusive: mapped once and no swap PTE shares its entry */
		if (!PageFlag(old, PG_locked))
			reuse = can_share_swap_page(m, old);
	} else if (old && (v->vm_flags & (VM_WRITE | VM_SHARED)) ==
		   (VM_WRITE | VM_SHARED)) {
		dirty_page = old;
		reuse = true;
	}
	if (reuse) {
		pte_set(pte, esz, maybe_mkwrite(orig | _PAGE_ACCESSED | _PAGE_DIRTY, v));
		if (dirty_page)
			set_page_dirty_balance(m, dirty_page);
		note(info, "do_wp_page", dirty_page ? "shared page made writable" :
		     "reuse: only mapping");
		if (TRACING(m))
			trace_exit(m, "reuse pfn %#lx: VM_FAULT_MINOR|VM_FAULT_WRITE",
				   pte_pfn(orig));
		return VM_FAULT_MINOR | VM_FAULT_WRITE;
	}
	bool zero = old && page_to_pfn(m, old) == mms(m)->zero_pfn;
	struct page *np = NULL;
	if (!anon_vma_prepare(m, v)) {
		if (zero || !old) {
			np = alloc_zeroed_user_highpage(m);
		} else {
			np = alloc_page_vma(m);
			if (np) {
				if (TRACING(m)) {
					trace_enter(m, "cow_user_page", "pfn %#lx -> %#lx",
						    page_to_pfn(m, old),
						    page_to_pfn(m, np));
					trace_exit(m, "copied");
				}
				copy_user_highpage(m, page_to_pfn(m, np),
						   page_to_pfn(m, old));
			}
		}
	}
	if (!np) {
		note(info, "do_wp_page", "out of memory");
		if (TRACING(m))
			trace_exit(m, "VM_FAULT_OOM");
		return VM_FAULT_OOM;
	}
	if (old) {
		page_remove_rmap(m, old);
		if (!PageAnon(old)) {
			mm->file_rss--;
			mm->anon_rss++;
		}
	} else {
		mm->anon_rss++;
	}
	pte_set(pte, esz, maybe_mkwrite(mk_pte(page_to_pfn(m, np), v->vm_page_prot) |
					_PAGE_DIRTY, v));
	lru_cache_add_active(m, np);
	page_add_new_anon_rmap(m, np, v, addr);
	if (old)
		put_page(m, old);
	note(info, "do_wp_page", zero ? "copy of the zero page" : "cow copy");
	if (TRACING(m))
		trace_exit(m, "new pfn %#lx: VM_FAULT_MINOR|VM_FAULT_WRITE",
			   page_to_pfn(m, np));
	return VM_FAULT_MINOR | VM_FAULT_WRITE;
}

/*
 * do_swap_page (§10.5): the PTE holds a swap entry.  A swap-cache hit is
 * a minor fault; a miss contends for the swap token, reads the readahead
 * window and then the page itself: a major fault.  The page is mapped
 * writable at once when a write finds it exclusive; otherwise a write
 * goes on to do_wp_page.
 */
static int do_swap_page(struct machine *m, struct mm_struct *mm,
			struct vm_area_struct *v, kaddr_t addr, uint8_t *pte,
			bool write, uint64_t orig, struct kmem_fault_info *info)
{
	unsigned esz = pte_size(m);
	swp_entry_t entry = pte_to_swp_entry(m, orig);
	int ret = VM_FAULT_MINOR;

	if (TRACING(m))
		trace_enter(m, "do_swap_page", "%#llx entry %08x (%s slot %lu)",
			    (unsigned long long)addr, entry.val,
			    swp_type(entry) < m->swap->nr_swapfiles ?
			    m->swap->info[swp_type(entry)].name : "?",
			    swp_offset(entry));
	struct page *p = lookup_swap_cache(m, entry);
	if (!p) {
		grab_swap_token(m, mm);
		swapin_readahead(m, entry, v, addr);
		p = read_swap_cache_async(m, entry, v, addr);
		if (!p) {
			note(info, "do_swap_page", "out of memory");
			if (TRACING(m))
				trace_exit(m, "VM_FAULT_OOM");
			return pte_get(pte, esz) == orig ? VM_FAULT_OOM :
			       VM_FAULT_MINOR;
		}
		ret = VM_FAULT_MAJOR;
		count_vm_events(m, PGMAJFAULT, 1);
		note(info, "do_swap_page", "read from swap");
	} else {
		note(info, "do_swap_page", "swap cache hit");
	}
	blk_wait_page(m, BLK_SWAP_DEV | swp_type(entry), swp_offset(entry));
	mark_page_accessed(m, p);
	if (pte_get(pte, esz) != orig || !PageFlag(p, PG_uptodate)) {
		bool sigbus = pte_get(pte, esz) == orig;
		put_page(m, p);
		if (TRACING(m))
			trace_exit(m, sigbus ? "not uptodate: VM_FAULT_SIGBUS" :
				   "raced: %d", ret);
		return sigbus ? VM_FAULT_SIGBUS : ret;
	}
	mm->anon_rss++;
	uint64_t e = mk_pte(page_to_pfn(m, p), v->vm_page_prot);
	if (write && can_share_swap_page(m, p)) {
		e = maybe_mkwrite(e | _PAGE_DIRTY, v);
		write = false;
	}
	pte_set(pte, esz, e);
	page_add_anon_rmap(m, p, v, addr);
	swap_free(m, entry);
	if (vm_swap_full(m))
		remove_exclusive_swap_page(m, p);
	if (write) {
		if (do_wp_page(m, mm, v, addr, pte, e, info) == VM_FAULT_OOM)
			ret = VM_FAULT_OOM;
		else
			note(info, "do_swap_page", ret == VM_FAULT_MAJOR ?
			     "read from swap, then cow copy" :
			     "swap cache hit, then cow copy");
	}
	if (TRACING(m))
		trace_exit(m, "pfn %#lx: %s", page_to_pfn(m, p),
			   ret == VM_FAULT_OOM ? "VM_FAULT_OOM" :
			   ret == VM_FAULT_MAJOR ? "VM_FAULT_MAJOR" :
			   "VM_FAULT_MINOR");
	return ret;
}

static int handle_pte_fault(struct machine *m, struct mm_struct *mm,
			    struct vm_area_struct *v, kaddr_t addr,
			    uint8_t *pte, bool write,
			    struct kmem_fault_info *info)
{
	unsigned esz = pte_size(m);
	uint64_t e = pte_get(pte, esz);
	int ret;

	if (TRACING(m))
		trace_enter(m, "handle_pte_fault", "pte %#llx",
			    (unsigned long long)e);
	if (!pte_present(e)) {
		if (!e) {
			if (v->vm_file)
				ret = do_no_page(m, mm, v, addr, pte, write, info);
			else
				ret = do_anonymous_page(m, mm, v, addr, pte, write,
							info);
		} else if (is_swap_pte(e)) {
			ret = do_swap_page(m, mm, v, addr, pte, write, e, info);
		} else {
			/* pte_file: nonlinear vmas are not modelled */
			note(info, "do_file_page", "not modelled");
			set_error(m, -EFAULT, "do_file_page: pte %#llx is a "
				  "nonlinear file pte, which is not modelled",
				  (unsigned long long)e);
			ret = VM_FAULT_SIGBUS;
		}
		goto out;
	}
	if (write && !(e & _PAGE_RW)) {
		ret = do_wp_page(m, mm, v, addr, pte, e, info);
		goto out;
	}
	/* a spurious fault: update the access bits */
	e |= _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0);
	pte_set(pte, esz, e);
	note(info, "handle_pte_fault", "access bits only");
	ret = VM_FAULT_MINOR;
out:
	if (TRACING(m))
		trace_exit(m, "%d", ret & ~VM_FAULT_WRITE);
	return ret;
}

/* handle_mm_fault (masking VM_FAULT_WRITE) and __handle_mm_fault. */
int handle_mm_fault(struct machine *m, struct task_struct *t,
		    struct vm_area_struct *v, kaddr_t addr, bool write,
		    struct kmem_fault_info *info)
{
	struct mm_struct *mm = t->mm;
	int err = 0, ret;

	if (TRACING(m)) {
		trace_enter(m, "handle_mm_fault", "pid %d %#llx %s", t->pid,
			    (unsigned long long)addr, write ? "write" : "read");
		trace_enter(m, "__handle_mm_fault", "pgfault++");
	}
	count_vm_events(m, PGFAULT, 1);
	uint8_t *pte = pte_offset(m, mm, addr, true, &err);
	if (!pte) {
		note(info, "__handle_mm_fault", "no memory for a page table");
		ret = VM_FAULT_OOM;
	} else {
		ret = handle_pte_fault(m, mm, v, addr, pte, write, info);
	}
	ret &= ~VM_FAULT_WRITE;
	if (TRACING(m)) {
		static const char *const names[] = { "VM_FAULT_OOM",
			"VM_FAULT_SIGBUS", "VM_FAULT_MINOR", "VM_FAULT_MAJOR" };
		trace_exit(m, "%s", names[ret & 3]);
		trace_exit(m, "%s", names[ret & 3]);
	}
	return ret;
}

/* ------------------------------------------------------------------ */
/* do_page_fault and the simulated MMU                                 */
/* ------------------------------------------------------------------ */

static enum kmem_fault_type fault_type(int ret)
{
	return ret == VM_FAULT_MAJOR ? KMEM_FAULT_MAJOR : KMEM_FAULT_MINOR;
}

/* force_sig(SIGSEGV) on a task without a handler: it dies. */
static int bad_area(struct machine *m, struct task_struct *t, kaddr_t addr,
		    unsigned error_code, const char *why,
		    struct kmem_fault_info *info)
{
	if (info)
		info->type = KMEM_FAULT_SIGSEGV;
	if (TRACING(m))
		trace_note(m, "bad_area: %s: SIGSEGV", why);
	if (t->pid == 1)
		return set_error(m, -EFAULT, "pid 1 (init): SIGSEGV at %#llx (%s): "
				 "init ignores the signal, the access would "
				 "fault for ever; nothing changed",
				 (unsigned long long)addr, why);
	if (m->arch == KMEM_ARCH_X86_64)
		printk(m, KERN_INFO, "%s[%d]: segfault at %016llx rip "
		       "0000000000000000 rsp 0000000000000000 error %x",
		       t->comm, t->pid, (unsigned long long)addr, error_code);
	char comm[16];
	int pid = t->pid;
	snprintf(comm, sizeof comm, "%s", t->comm);
	do_exit(m, t, SIGSEGV);
	return set_error(m, -EFAULT, "pid %d (%s): SIGSEGV at %#llx (%s): "
			 "task killed", pid, comm, (unsigned long long)addr, why);
}

static int do_page_fault(struct machine *m, struct task_struct *t,
			 kaddr_t addr, unsigned error_code,
			 struct kmem_fault_info *info)
{
	struct mm_struct *mm = t->mm;
	bool write = error_code & 2;
	int rc = 0;

	if (TRACING(m))
		trace_enter(m, "do_page_fault", "pid %d address %#llx error_code %#x",
			    t->pid, (unsigned long long)addr, error_code);
	if (addr >= mm->task_size) {
		rc = bad_area(m, t, addr, error_code, "kernel address", info);
		goto out;
	}
	struct vm_area_struct *v = find_vma(mm, addr);
	if (!v) {
		rc = bad_area(m, t, addr, error_code, "no vma", info);
		goto out;
	}
	if (v->vm_start > addr) {
		if (!(v->vm_flags & VM_GROWSDOWN)) {
			rc = bad_area(m, t, addr, error_code, "no vma", info);
			goto out;
		}
		/* esp is the faulting address: the +65536 rule holds */
		if (expand_stack(m, v, addr)) {
			rc = bad_area(m, t, addr, error_code,
				      "stack cannot grow there", info);
			goto out;
		}
		if (info)
			info->expanded_stack = true;
	}
	switch (error_code & 3) {
	case 3:
	case 2:
		if (!(v->vm_flags & VM_WRITE)) {
			rc = bad_area(m, t, addr, error_code,
				      "write to a vma without VM_WRITE", info);
			goto out;
		}
		break;
	case 1:
		rc = bad_area(m, t, addr, error_code,
			      "read of a present page it may not read", info);
		goto out;
	case 0:
		if (!(v->vm_flags & (VM_READ | VM_EXEC))) {
			rc = bad_area(m, t, addr, error_code,
				      "read of a vma without VM_READ", info);
			goto out;
		}
		break;
	}
	int ret = handle_mm_fault(m, t, v, addr, write, info);
	switch (ret) {
	case VM_FAULT_MINOR:
		t->min_flt++;
		break;
	case VM_FAULT_MAJOR:
		t->maj_flt++;
		break;
	case VM_FAULT_SIGBUS: {
		if (info)
			info->type = KMEM_FAULT_SIGBUS;
		if (t->pid == 1) {
			rc = set_error(m, -EFAULT, "pid 1 (init): SIGBUS at %#llx: "
				       "init ignores it; nothing changed",
				       (unsigned long long)addr);
			goto out;
		}
		char comm[16];
		int pid = t->pid;
		snprintf(comm, sizeof comm, "%s", t->comm);
		do_exit(m, t, SIGBUS);
		rc = set_error(m, -EFAULT, "pid %d (%s): SIGBUS at %#llx: access "
			       "beyond the end of the mapped file: task killed",
			       pid, comm, (unsigned long long)addr);
		goto out;
	}
	default: {
		if (info)
			info->type = KMEM_FAULT_OOM;
		if (t->pid == 1) {
			rc = set_error(m, -ENOMEM, "pid 1 (init): out of memory at "
				       "%#llx: init would yield and retry",
				       (unsigned long long)addr);
			goto out;
		}
		char comm[16];
		int pid = t->pid;
		snprintf(comm, sizeof comm, "%s", t->comm);
		printk(m, KERN_WARNING, "VM: killing process %s", comm);
		do_exit(m, t, SIGKILL);
		rc = set_error(m, -ENOMEM, "pid %d (%s): VM_FAULT_OOM at %#llx: "
			       "VM: killing process %s", pid, comm,
			       (unsigned long long)addr, comm);
		goto out;
	}
	}
	if (info)
		info->type = fault_type(ret);
out:
	if (TRACING(m))
		trace_exit(m, "%s", rc ? kmem_last_error(m) : "done");
	return rc;
}

/*
 * One access through the simulated MMU: a present PTE that allows it
 * only gets its accessed (and dirty) bit; anything else is a page fault
 * with the x86 error code (bit 0 protection, bit 1 write, bit 2 user).
 */
static int user_access(struct machine *m, struct task_struct *t,
		       kaddr_t addr, bool write, struct kmem_fault_info *info)
{
	struct mm_struct *mm = t->mm;
	unsigned error_code = 4 | (write ? 2 : 0);
	int err = 0;

	if (info) {
		memset(info, 0, sizeof *info);
		info->pfn = KMEM_NO_PFN;
	}
	if (addr < mm->task_size) {
		uint8_t *pte = pte_offset(m, mm, addr, false, &err);
		if (pte) {
			unsigned esz = pte_size(m);
			uint64_t e = pte_get(pte, esz);
			if ((e & (_PAGE_PRESENT | _PAGE_USER)) ==
			    (_PAGE_PRESENT | _PAGE_USER)) {
				if (!write || (e & _PAGE_RW)) {
					pte_set(pte, esz, e | _PAGE_ACCESSED |
						(write ? _PAGE_DIRTY : 0));
					if (info)
						info->pfn = pte_pfn(e);
					return 0;
				}
				error_code |= 1;
			}
		}
	}
	int rc = do_page_fault(m, t, addr, error_code, info);
	if (!rc && info) {
		uint8_t *pte = pte_offset(m, mm, addr, false, &err);
		uint64_t e = pte ? pte_get(pte, pte_size(m)) : 0;
		info->pfn = pte_present(e) ? pte_pfn(e) : KMEM_NO_PFN;
	}
	return rc;
}

int __kmem_fault(struct machine *m, int pid, uint64_t addr, bool write,
	       struct kmem_fault_info *info)
{
	struct kmem_fault_info tmp;
	struct task_struct *t = task_with_mm(m, pid, "fault");

	if (!t)
		return -ESRCH;
	return user_access(m, t, addr, write, info ? info : &tmp);
}

int __kmem_touch(struct machine *m, int pid, uint64_t addr, uint64_t len,
	       bool write, struct kmem_touch_info *out)
{
	struct kmem_touch_info tmp;
	struct kmem_fault_info fi;
	struct task_struct *t = task_with_mm(m, pid, "touch");

	if (!out)
		out = &tmp;
	memset(out, 0, sizeof *out);
	if (!t)
		return -ESRCH;
	if (!len)
		return 0;
	if (addr + len < addr)
		return set_error(m, -EINVAL, "touch: range %#llx+%#llx wraps",
				 (unsigned long long)addr, (unsigned long long)len);
	kaddr_t start = addr & ~(kaddr_t)(PAGE_SIZE - 1);
	for (kaddr_t a = start; a < addr + len; a += PAGE_SIZE) {
		int rc = user_access(m, t, a < addr ? addr : a, write, &fi);
		out->pages++;
		if (rc) {
			out->stop = fi.type;
			out->stop_addr = a < addr ? addr : a;
			return rc;
		}
		if (fi.type == KMEM_FAULT_NONE)
			out->none++;
		else if (fi.type == KMEM_FAULT_MAJOR)
			out->major++;
		else
			out->minor++;
	}
	return 0;
}

/* get_user_pages(write = VM_WRITE) over [addr, end): fault in what the
 * MMU would refuse, counting the faults like the kernel does. */
int make_pages_present(struct machine *m, struct task_struct *t,
		       kaddr_t addr, kaddr_t end)
{
	struct mm_struct *mm = t->mm;
	int err = 0;

	for (kaddr_t a = addr & ~(kaddr_t)(PAGE_SIZE - 1); a < end; a += PAGE_SIZE) {
		struct vm_area_struct *v = find_vma(mm, a);
		if (!v || v->vm_start > a)
			return -EFAULT;
		bool write = v->vm_flags & VM_WRITE;
		uint8_t *pte = pte_offset(m, mm, a, false, &err);
		uint64_t e = pte ? pte_get(pte, pte_size(m)) : 0;
		if ((e & _PAGE_PRESENT) && (!write || (e & _PAGE_RW)))
			continue;
		int ret = handle_mm_fault(m, t, v, a, write, NULL);
		if (ret == VM_FAULT_MINOR)
			t->min_flt++;
		else if (ret == VM_FAULT_MAJOR)
			t->maj_flt++;
		else
			return ret == VM_FAULT_OOM ? -ENOMEM : -EFAULT;
	}
	return 0;
}

/* install_arg_page: exec puts the argument page at the top of the stack
 * (anon_rss++, page_add_new_anon_rmap, lru_cache_add_active). */
int install_anon_page(struct machine *m, struct task_struct *t,
		      struct vm_area_struct *v, kaddr_t addr)
{
	int err = 0;
	uint8_t *pte = pte_offset(m, t->mm, addr, true, &err);

	if (!pte)
		return -ENOMEM;
	return do_anonymous_page(m, t->mm, v, addr, pte, true, NULL) ==
	       VM_FAULT_MINOR ? 0 : -ENOMEM;
}

/* ------------------------------------------------------------------ */
/* Unmapping, fork, mremap                                             */
/* ------------------------------------------------------------------ */

struct zap_ctx {
	struct vm_area_struct *v;
	struct mm_struct *mm;
	unsigned esz;
};

/* zap_pte_range for one PTE */
static void zap_one(struct machine *m, void *ctx, kaddr_t addr, uint8_t *pte)
{
	struct zap_ctx *z = ctx;
	uint64_t e = pte_get(pte, z->esz);

	pte_set(pte, z->esz, 0);
	if (!pte_present(e)) {
		if (is_swap_pte(e))
			free_swap_and_cache(m, pte_to_swp_entry(m, e));
		return;
	}
	struct page *p = vm_normal_page(m, z->v, addr, e);
	if (!p)
		return;
	if (PageAnon(p)) {
		z->mm->anon_rss--;
	} else {
		if (e & _PAGE_DIRTY)
			set_page_dirty(m, p);
		if (e & _PAGE_ACCESSED)
			mark_page_accessed(m, p);
		z->mm->file_rss--;
	}
	page_remove_rmap(m, p);
	free_page_and_swap_cache(m, p);
}

/* unmap_vmas: zap [start, end) across the given vmas (address order). */
void unmap_vmas(struct machine *m, struct mm_struct *mm,
		struct vm_area_struct *const *vmas, size_t n, kaddr_t start,
		kaddr_t end, unsigned long *nr_accounted)
{
	struct zap_ctx z = { NULL, mm, pte_size(m) };

	/* tlb_finish_mmu -> free_pages_and_swap_cache drains this CPU's
	 * pagevecs; draining first gives the same end state */
	lru_add_drain(m);
	for (size_t i = 0; i < n && vmas[i]->vm_start < end; i++) {
		struct vm_area_struct *v = vmas[i];
		kaddr_t s = v->vm_start > start ? v->vm_start : start;
		kaddr_t e = v->vm_end < end ? v->vm_end : end;
		if (s >= e)
			continue;
		if (v->vm_flags & VM_ACCOUNT)
			*nr_accounted += (unsigned long)((e - s) >> PAGE_SHIFT);
		z.v = v;
		if (TRACING(m))
			trace_note(m, "unmap_vmas: zap %#llx-%#llx",
				   (unsigned long long)s, (unsigned long long)e);
		walk_ptes(m, mm, s, e, zap_one, &z);
	}
}

struct copy_ctx {
	struct mm_struct *dst;
	struct vm_area_struct *v;
	unsigned long rss[2];
	int err;
};

/* copy_one_pte */
static void copy_one(struct machine *m, void *ctx, kaddr_t addr, uint8_t *spte)
{
	struct copy_ctx *c = ctx;
	unsigned esz = pte_size(m);
	uint64_t e = pte_get(spte, esz);

	if (c->err)
		return;
	uint8_t *dpte = pte_offset(m, c->dst, addr, true, &c->err);
	if (!dpte)
		return;
	if (pte_present(e)) {
		if (is_cow_mapping(c->v->vm_flags) && (e & _PAGE_RW)) {
			e &= ~_PAGE_RW;
			pte_set(spte, esz, e);  /* ptep_set_wrprotect */
		}
		if (c->v->vm_flags & VM_SHARED)
			e &= ~_PAGE_DIRTY;
		e &= ~_PAGE_ACCESSED;
		struct page *p = vm_normal_page(m, c->v, addr, e);
		if (p) {
			get_page(p);
			page_dup_rmap(p);
			c->rss[PageAnon(p) ? 1 : 0]++;
		}
	} else if (is_swap_pte(e)) {
		swap_duplicate(m, pte_to_swp_entry(m, e));
	}
	pte_set(dpte, esz, e);
}

/* copy_page_range: fork copies the PTEs of vmas with anonymous pages;
 * file-only vmas are left to fault in the child. */
int copy_page_range(struct machine *m, struct mm_struct *dst,
		    struct mm_struct *src, struct vm_area_struct *v)
{
	struct copy_ctx c = { dst, v, { 0, 0 }, 0 };

	if (!(v->vm_flags & (VM_HUGETLB | VM_NONLINEAR | VM_PFNMAP |
			     VM_INSERTPAGE)) && !v->anon_vma)
		return 0;
	walk_ptes(m, src, v->vm_start, v->vm_end, copy_one, &c);
	dst->file_rss += c.rss[0];
	dst->anon_rss += c.rss[1];
	if (TRACING(m))
		trace_note(m, "copy_page_range %#llx-%#llx: %lu anon, %lu file "
			   "ptes%s", (unsigned long long)v->vm_start,
			   (unsigned long long)v->vm_end, c.rss[1], c.rss[0],
			   is_cow_mapping(v->vm_flags) ? ", write-protected" : "");
	return c.err;
}

struct move_ctx {
	struct mm_struct *mm;
	kaddr_t delta;                  /* new - old */
	kaddr_t moved;                  /* bytes done so far (by address) */
	kaddr_t old_addr;
	int err;
};

static void move_one(struct machine *m, void *ctx, kaddr_t addr, uint8_t *old)
{
	struct move_ctx *c = ctx;
	unsigned esz = pte_size(m);

	if (c->err)
		return;
	uint64_t e = pte_get(old, esz);
	uint8_t *np = pte_offset(m, c->mm, addr + c->delta, true, &c->err);
	if (!np) {
		c->moved = addr - c->old_addr;
		return;
	}
	/* the table cache now points at the new table: re-find the old pte */
	int err = 0;
	old = pte_offset(m, c->mm, addr, false, &err);
	pte_set(old, esz, 0);
	np = pte_offset(m, c->mm, addr + c->delta, false, &err);
	pte_set(np, esz, e);
}

/* move_page_tables: returns the bytes moved (len unless a table could
 * not be allocated). */
int move_page_tables(struct machine *m, struct vm_area_struct *v,
		     kaddr_t old_addr, struct vm_area_struct *nv,
		     kaddr_t new_addr, kaddr_t len)
{
	struct move_ctx c = { v->vm_mm, new_addr - old_addr, len, old_addr, 0 };

	(void)nv;
	if (TRACING(m))
		trace_note(m, "move_page_tables: %#llx -> %#llx, %#llx bytes",
			   (unsigned long long)old_addr,
			   (unsigned long long)new_addr, (unsigned long long)len);
	walk_ptes(m, v->vm_mm, old_addr, old_addr + len, move_one, &c);
	return c.err ? (int)(c.moved >> PAGE_SHIFT) : (int)(len >> PAGE_SHIFT);
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */
/* ------------------------------------------------------------------ */

int kmem_task_pagetable_walk(struct machine *m, int pid, uint64_t addr,
			     struct kmem_pt_step *steps, int max,
			     uint64_t *phys)
{
	struct task_struct *t = task_with_mm(m, pid, "pagetable");

	if (!t)
		return -ESRCH;
	int r = pt_walk(m, t->mm->pgd_phys, addr, steps, max, phys);
	if (r < 0)
		return set_error(m, -EFAULT, "pid %d: nothing maps %#llx", pid,
				 (unsigned long long)addr);
	return r;
}

/* ------------------------------------------------------------------ */
/* Invariants                                                          */
/* ------------------------------------------------------------------ */

struct pt_tally {
	uint32_t *mapped;               /* PTEs per pfn */
	long pt[KMEM_MAX_NODES][MAX_NR_ZONES]; /* PTE tables per zone */
	unsigned long tables;           /* PTE tables of this mm */
	unsigned long anon, file;       /* rss recount of this mm */
	unsigned long swap;             /* swap PTEs of this mm */
	const char *bad;                /* first broken rule */
	char buf[200];
};

static void tally_tables(struct machine *m, struct mm_struct *mm,
			 unsigned level, uint8_t *table, kaddr_t base,
			 struct pt_tally *t)
{
	unsigned n;
	const struct pt_level *lv = pt_levels(m, &n);
	unsigned esz = lv[level].entry_size;
	kaddr_t span = (kaddr_t)1 << lv[level].shift;
	unsigned entries = lv[level].entries;

	if (level == 0)
		entries = (unsigned)(mm->task_size >> lv[0].shift) +
			  ((mm->task_size & (span - 1)) ? 1 : 0);
	for (unsigned i = 0; i < entries && !t->bad; i++) {
		uint64_t e = pte_get(table + (size_t)i * esz, esz);
		kaddr_t a = base + (kaddr_t)i * span;
		if (level + 1 < n) {
			if (!(e & _PAGE_PRESENT))
				continue;
			unsigned long pfn = pte_pfn(e);
			if (level + 2 == n) {
				struct page *p = pfn_to_page(m, pfn);
				t->tables++;
				t->pt[page_to_nid(p)][page_zonenum(p)]++;
			}
			tally_tables(m, mm, level + 1, table_bytes(m, pfn), a, t);
			continue;
		}
		if (!e)
			continue;
		struct vm_area_struct *v = find_vma(mm, a);
		if (!pte_present(e)) {
			/* a swap PTE: inside an anonymous-capable vma and
			 * naming a live slot (swap_check counts them) */
			if (!is_swap_pte(e) || !v || v->vm_start > a ||
			    !v->anon_vma ||
			    !swap_count(m, pte_to_swp_entry(m, e))) {
				snprintf(t->buf, sizeof t->buf, "pte %#llx at "
					 "%#llx is neither none, present nor a "
					 "live swap entry in an anonymous vma",
					 (unsigned long long)e,
					 (unsigned long long)a);
				t->bad = t->buf;
				return;
			}
			t->swap++;
			continue;
		}
		if (!v || v->vm_start > a) {
			snprintf(t->buf, sizeof t->buf, "present pte at %#llx "
				 "outside every vma", (unsigned long long)a);
			t->bad = t->buf;
			return;
		}
		unsigned long pfn = pte_pfn(e);
		if (pfn >= m->max_pfn) {
			snprintf(t->buf, sizeof t->buf, "pte at %#llx maps pfn "
				 "%#lx beyond memory", (unsigned long long)a, pfn);
			t->bad = t->buf;
			return;
		}
		struct page *p = pfn_to_page(m, pfn);
		t->mapped[pfn]++;
		if (PageAnon(p)) {
			t->anon++;
			if (anon_vma_of(m, p) != v->anon_vma ||
			    vma_address(p, v) != a) {
				snprintf(t->buf, sizeof t->buf, "anon pfn %#lx at "
					 "%#llx: anon_vma/index do not lead back "
					 "to its vma", pfn, (unsigned long long)a);
				t->bad = t->buf;
			}
		} else {
			t->file++;
			if (pfn != mms(m)->zero_pfn &&
			    (mapping_file(m, p) != v->vm_file ||
			     p->index != (uint32_t)linear_page_index(v, a))) {
				snprintf(t->buf, sizeof t->buf, "file pfn %#lx at "
					 "%#llx: mapping/index disagree with the "
					 "vma", pfn, (unsigned long long)a);
				t->bad = t->buf;
			}
		}
	}
}

/*
 * Every present user PTE lies in a vma and maps a page whose rmap leads
 * back to it; each page's mapcount equals the PTEs that map it; rss and
 * nr_ptes equal the recount; NR_PAGETABLE, NR_ANON_PAGES and
 * NR_FILE_MAPPED equal the recount per zone; anon pages hold one
 * reference per mapping, the ZERO_PAGE one more.
 */
bool pt_check(struct machine *m, char *report, size_t len)
{
	struct mm_state *s = mms(m);
	struct pt_tally *t = xcalloc(1, sizeof *t);
	long rm[KMEM_MAX_NODES][MAX_NR_ZONES][2];
	bool ok = false;

	t->mapped = xcalloc(m->max_pfn, sizeof *t->mapped);
	memset(rm, 0, sizeof rm);
#define FAIL(...) do { snprintf(report, len, "mm: " __VA_ARGS__); \
	goto out; } while (0)
	for (size_t i = 0; i < s->nr_tasks; i++) {
		struct task_struct *tk = s->tasks[i];
		struct mm_struct *mm = tk->mm;
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= s->tasks[j]->mm == mm;
		if (!mm || seen)
			continue;
		t->tables = t->anon = t->file = 0;
		tally_tables(m, mm, 0, pgd_bytes(m, mm), 0, t);
		if (t->bad)
			FAIL("pid %d: %s", tk->pid, t->bad);
		if (t->tables != mm->nr_ptes)
			FAIL("pid %d: nr_ptes %lu, but %lu PTE tables", tk->pid,
			     mm->nr_ptes, t->tables);
		if (t->anon != mm->anon_rss || t->file != mm->file_rss)
			FAIL("pid %d: anon_rss %lu file_rss %lu, but PTEs map %lu "
			     "anon and %lu other pages", tk->pid, mm->anon_rss,
			     mm->file_rss, t->anon, t->file);
	}
	for (unsigned long pfn = 0; pfn < m->max_pfn; pfn++) {
		const struct page *p = pfn_to_page(m, pfn);
		if ((long)t->mapped[pfn] != (long)p->_mapcount + 1)
			FAIL("pfn %#lx: mapcount %d, but %u PTEs map it", pfn,
			     p->_mapcount + 1, t->mapped[pfn]);
		if (p->_mapcount < 0)
			continue;
		unsigned nid = page_to_nid(p), z = page_zonenum(p);
		if (PageAnon(p)) {
			rm[nid][z][0]++;
			int extra = lru_pvec_refs(m, pfn) +
				    (PageSwapCache(p) ? 1 : 0);
			if (p->_count != p->_mapcount + 1 + extra)
				FAIL("anon pfn %#lx: count %d, mapcount %d, "
				     "pagevec/swap cache %d", pfn, p->_count,
				     p->_mapcount + 1, extra);
		} else {
			rm[nid][z][1]++;
			if (pfn == s->zero_pfn && p->_count != p->_mapcount + 2)
				FAIL("ZERO_PAGE: count %d, mapcount %d", p->_count,
				     p->_mapcount + 1);
		}
	}
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			const struct zone *zn = &m->nodes[nid].node_zones[z];
			if (zn->vm_stat[NR_PAGETABLE] != t->pt[nid][z])
				FAIL("node %u zone %s: nr_page_table_pages %ld, "
				     "recount %ld", nid, zn->name,
				     zn->vm_stat[NR_PAGETABLE], t->pt[nid][z]);
			if (zn->vm_stat[NR_ANON_PAGES] != rm[nid][z][0])
				FAIL("node %u zone %s: nr_anon_pages %ld, recount %ld",
				     nid, zn->name, zn->vm_stat[NR_ANON_PAGES],
				     rm[nid][z][0]);
			if (zn->vm_stat[NR_FILE_MAPPED] != rm[nid][z][1])
				FAIL("node %u zone %s: nr_mapped %ld, recount %ld",
				     nid, zn->name, zn->vm_stat[NR_FILE_MAPPED],
				     rm[nid][z][1]);
		}
#undef FAIL
	ok = true;
out:
	free(t->mapped);
	free(t);
	return ok;
}

/* access: what the MMU does for a running program: accessed (and dirty)
 * bits on present PTEs, a fault where it would trap.  That is touch's
 * walk; access reports only the faults. */
int kmem_access(struct machine *m, int pid, uint64_t addr, uint64_t len,
		bool write, unsigned long *faulted)
{
	struct kmem_touch_info ti;
	if (!task_with_mm(m, pid, "access"))
		return -ESRCH;
	int rc = kmem_touch(m, pid, addr, len, write, &ti);

	if (faulted)
		*faulted = ti.minor + ti.major;
	return rc;
}
