/*
 * mmap.c - the address space of a process: VMAs, mmap, munmap, brk, the
 * unmapped-area search and overcommit accounting (mm/mmap.c,
 * arch/i386/mm/mmap.c, arch/x86_64/kernel/sys_x86_64.c, 2.6.20).
 *
 *   mm->vmas[]   the vmas sorted by address.  2.6.20 keeps a list (vm_next)
 *                plus an rb-tree; a sorted array gives the same order and
 *                the same find_vma answers (first vma with vm_end > addr,
 *                mmap_cache first) by binary search, deterministically.
 *
 *   vma_merge    the eight cases of mm/mmap.c: a new or re-protected range
 *                [addr,end) joins its predecessor P and/or successor N when
 *                flags, file, pgoff and anon_vma agree:
 *
 *                  AAAA            PPPP    NNNN   -> PPPPPPPPPPPP   case 1
 *              PPPP    NNNN        PPPPAAAA  NN   -> PPPPPPPP  NN   case 2
 *                                  PP  AAAANNNN   -> PP  NNNNNNNN   case 3
 *              mprotect of part of P or N:
 *                  PPPPPPNNNNNN  ->  PPNNNNNNNNNN   case 4
 *                  PPPPPPNNNNNN  ->  PPPPPPPPPPNN   case 5
 *                  PPPPAAAAXXXX  ->  PPPPPPPPPPPP   case 6 (two removed)
 *                  PPPPAAAAXXXX  ->  PPPPPPPPXXXX   case 7
 *                  PPPPAAAAXXXX  ->  PPPPXXXXXXXX   case 8
 *
 *   do_munmap    split the first and last vma at the range ends, detach,
 *                zap the PTEs, free the page tables nobody else needs,
 *                remove the vmas and their accounting.
 *
 * Unlike 2.6.20, every operation checks all it can before changing
 * anything (do_munmap allocates the vmas a split needs first), so a
 * refused call leaves the machine as it was.  The exception the kernel
 * shares: a MAP_FIXED mmap over an existing mapping unmaps it before the
 * new vm_area_struct is allocated, and keeps it unmapped if that fails.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "mm.h"

#define OVERCOMMIT_GUESS  0
#define OVERCOMMIT_ALWAYS 1
#define OVERCOMMIT_NEVER  2

/* ------------------------------------------------------------------ */
/* The sorted vma array                                                */
/* ------------------------------------------------------------------ */

/* Index of the first vma with vm_end > addr (map_count if none). */
static unsigned vma_index(const struct mm_struct *mm, kaddr_t addr)
{
	unsigned lo = 0, hi = mm->map_count;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (mm->vmas[mid]->vm_end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Position of v.  vma_adjust grows a vma over its successor before
 * removing it, so the search may land a step away: look around. */
static unsigned vma_pos(const struct mm_struct *mm,
			const struct vm_area_struct *v)
{
	unsigned i = vma_index(mm, v->vm_start);

	if (i < mm->map_count && mm->vmas[i] == v)
		return i;
	for (unsigned k = 1; k <= 2; k++) {
		if (i + k < mm->map_count && mm->vmas[i + k] == v)
			return i + k;
		if (i >= k && i - k < mm->map_count && mm->vmas[i - k] == v)
			return i - k;
	}
	for (i = 0; i < mm->map_count; i++)
		if (mm->vmas[i] == v)
			break;
	return i;
}

struct vm_area_struct *vma_next(const struct mm_struct *mm,
				const struct vm_area_struct *v)
{
	unsigned i = vma_pos(mm, v) + 1;

	return i < mm->map_count ? mm->vmas[i] : NULL;
}

struct vm_area_struct *vma_prev(const struct mm_struct *mm,
				const struct vm_area_struct *v)
{
	unsigned i = vma_pos(mm, v);

	return i ? mm->vmas[i - 1] : NULL;
}

static void array_insert(struct mm_struct *mm, struct vm_area_struct *v)
{
	unsigned i = vma_index(mm, v->vm_start);

	if (mm->map_count == mm->vmas_cap) {
		mm->vmas_cap = mm->vmas_cap ? mm->vmas_cap * 2 : 16;
		mm->vmas = xrealloc(mm->vmas, mm->vmas_cap * sizeof *mm->vmas);
	}
	memmove(mm->vmas + i + 1, mm->vmas + i,
		(mm->map_count - i) * sizeof *mm->vmas);
	mm->vmas[i] = v;
	mm->map_count++;
}

static void array_remove(struct mm_struct *mm, struct vm_area_struct *v)
{
	unsigned i = vma_pos(mm, v);

	memmove(mm->vmas + i, mm->vmas + i + 1,
		(mm->map_count - i - 1) * sizeof *mm->vmas);
	mm->map_count--;
	if (mm->mmap_cache == v)
		mm->mmap_cache = NULL;
}

/* find_vma: the first vma with vm_end > addr, which may not contain it. */
struct vm_area_struct *find_vma(struct mm_struct *mm, kaddr_t addr)
{
	struct vm_area_struct *v = mm->mmap_cache;

	if (v && v->vm_end > addr && v->vm_start <= addr)
		return v;
	unsigned i = vma_index(mm, addr);
	if (i == mm->map_count)
		return NULL;
	mm->mmap_cache = mm->vmas[i];
	return mm->vmas[i];
}

struct vm_area_struct *find_vma_prev(struct mm_struct *mm, kaddr_t addr,
				     struct vm_area_struct **pprev)
{
	unsigned i = vma_index(mm, addr);

	*pprev = i ? mm->vmas[i - 1] : NULL;
	return i < mm->map_count ? mm->vmas[i] : NULL;
}

/* find_vma_intersection */
static struct vm_area_struct *find_vma_intersection(struct mm_struct *mm,
						    kaddr_t start, kaddr_t end)
{
	struct vm_area_struct *v = find_vma(mm, start);

	return v && end > v->vm_start ? v : NULL;
}

int vma_alloc(struct machine *m, struct vm_area_struct **out)
{
	kaddr_t obj;

	if (kmem_cache_alloc(m, mms(m)->cache_vma, GFP_KERNEL, -1, &obj))
		return -ENOMEM;
	*out = xcalloc(1, sizeof **out);
	(*out)->obj = obj;
	return 0;
}

void vma_free(struct machine *m, struct vm_area_struct *v)
{
	kmem_cache_free(m, mms(m)->cache_vma, v->obj);
	free(v);
}

/* vma_link / __insert_vm_struct: into the array, the anon_vma list and
 * the file's i_mmap (after `after` when a fork copies a vma). */
static void __vma_link(struct machine *m, struct mm_struct *mm,
		       struct vm_area_struct *v, struct vm_area_struct *after)
{
	v->vm_mm = mm;
	array_insert(mm, v);
	anon_vma_link(m, v);
	if (v->vm_file)
		i_mmap_add(v->vm_file, v, after);
}

void vma_link(struct machine *m, struct mm_struct *mm,
	      struct vm_area_struct *v)
{
	__vma_link(m, mm, v, NULL);
}

void file_put(struct machine *m, struct kfile *f)
{
	if (f && (f->unlinked || f->shmem) && !f->mapping.i_mmap_count)
		file_release(m, f);
}

/* __vma_unlink + the file and anon_vma unlinking; the vma is not freed. */
static void vma_unlink(struct machine *m, struct mm_struct *mm,
		       struct vm_area_struct *v)
{
	array_remove(mm, v);
	if (v->vm_file)
		i_mmap_del(v->vm_file, v);
	anon_vma_unlink(m, v);
}

/* remove_vma: fput and free. */
static void remove_vma(struct machine *m, struct vm_area_struct *v)
{
	struct kfile *f = v->vm_file;

	vma_free(m, v);
	file_put(m, f);
}

/* ------------------------------------------------------------------ */
/* Accounting                                                          */
/* ------------------------------------------------------------------ */

void vm_stat_account(struct mm_struct *mm, unsigned long flags,
		     struct kfile *file, long pages)
{
	if (file) {
		mm->shared_vm += pages;
		if ((flags & (VM_EXEC | VM_WRITE)) == VM_EXEC)
			mm->exec_vm += pages;
	} else if (flags & VM_STACK_FLAGS_GROW) {
		mm->stack_vm += pages;
	}
	if (flags & (VM_RESERVED | VM_IO))
		mm->reserved_vm += pages;
}

void update_hiwater_vm(struct mm_struct *mm)
{
	if (mm->hiwater_vm < mm->total_vm)
		mm->hiwater_vm = mm->total_vm;
}

static void vm_acct_memory(struct machine *m, long pages)
{
	mms(m)->vm_committed_space += pages;
}

void vm_unacct_memory(struct machine *m, long pages)
{
	mms(m)->vm_committed_space -= pages;
}

/*
 * __vm_enough_memory (§10.10): charge pages to vm_committed_space and
 * check the overcommit policy; on refusal the charge is undone.  Tasks
 * other than init are not root, so the last 3% stays for root.
 */
int security_vm_enough_memory(struct machine *m, struct mm_struct *mm,
			      long pages)
{
	long mode = m->sysctl[SYSCTL_OVERCOMMIT_MEMORY][0];
	bool admin = mm && mm->cap_sys_admin;
	unsigned long free;

	vm_acct_memory(m, pages);
	if (mode == OVERCOMMIT_ALWAYS)
		return 0;
	if (mode == OVERCOMMIT_GUESS) {
		free = global_page_state(m, NR_FILE_PAGES) +
		       global_page_state(m, NR_SLAB_RECLAIMABLE);
		free += (unsigned long)nr_swap_pages(m);
		if (!admin)
			free -= free / 32;
		if ((long)free > pages)
			return 0;
		unsigned long n = nr_free_pages(m);
		if (n > m->totalreserve_pages) {
			n -= m->totalreserve_pages;
			if (!admin)
				n -= n / 32;
			free += n;
			if ((long)free > pages)
				return 0;
		}
		vm_unacct_memory(m, pages);
		return set_error(m, -ENOMEM, "__vm_enough_memory: %ld pages "
				 "refused: overcommit_memory 0 (heuristic) "
				 "sees %lu pages of cache + free memory", pages,
				 free);
	}
	long allowed = (long)(m->totalram_pages *
			      (unsigned long)m->sysctl[SYSCTL_OVERCOMMIT_RATIO][0] /
			      100);
	if (!admin)
		allowed -= allowed / 32;
	allowed += (long)total_swap_pages(m);
	if (mm)
		allowed -= (long)(mm->total_vm / 32);
	if (mms(m)->vm_committed_space < allowed)
		return 0;
	vm_unacct_memory(m, pages);
	return set_error(m, -ENOMEM, "__vm_enough_memory: %ld pages refused: "
			 "overcommit_memory 2 (strict): Committed_AS would be "
			 "%ld pages, the limit is %ld", pages,
			 mms(m)->vm_committed_space + pages, allowed);
}

/* protection_map[vm_flags & 0xf] (asm-i386 and asm-x86_64 pgtable.h, 2.6.20) */
uint64_t protection_map(const struct machine *m, unsigned long flags)
{
	uint64_t nx = m->arch == KMEM_ARCH_X86_64 ? _PAGE_NX : 0;
	uint64_t base = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;

	flags &= VM_READ | VM_WRITE | VM_EXEC | VM_SHARED;
	if (!(flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return _PAGE_PROTNONE | _PAGE_ACCESSED;          /* PAGE_NONE */
	uint64_t p = base;
	if ((flags & VM_SHARED) && (flags & VM_WRITE))
		p |= _PAGE_RW;                                   /* PAGE_SHARED */
	if (!(flags & VM_EXEC))
		p |= nx;
	return p;
}

bool vma_wants_writenotify(const struct machine *m,
			   const struct vm_area_struct *v)
{
	unsigned long f = v->vm_flags;

	if ((f & (VM_WRITE | VM_SHARED)) != (VM_WRITE | VM_SHARED))
		return false;
	if (v->vm_page_prot != protection_map(m, f))
		return false;
	if (f & (VM_PFNMAP | VM_INSERTPAGE))
		return false;
	return v->vm_file && v->vm_file->mapping.account_dirty;
}

/* ------------------------------------------------------------------ */
/* Merging and splitting                                               */
/* ------------------------------------------------------------------ */

/*
 * vma_adjust: change v to [start, end) at pgoff, and let its successor
 * give way: removed when covered (twice for mprotect case 6), shifted
 * when partly covered (case 5) or extended down (case 4).  insert is a
 * vma split_vma adds.
 */
void vma_adjust(struct machine *m, struct vm_area_struct *v, kaddr_t start,
		kaddr_t end, unsigned long pgoff, struct vm_area_struct *insert)
{
	struct mm_struct *mm = v->vm_mm;
	bool again = false;

	for (;;) {
		struct vm_area_struct *next = vma_next(mm, v);
		struct vm_area_struct *importer = NULL;
		struct anon_vma *anon = NULL;
		long adjust_next = 0;
		int remove_next = 0;

		if (next && !insert) {
			if (again || end >= next->vm_end) {
				remove_next = 1 + (end > next->vm_end);
				end = next->vm_end;
				anon = next->anon_vma;
				importer = v;
			} else if (end > next->vm_start) {
				adjust_next = (long)((end - next->vm_start) >> PAGE_SHIFT);
				anon = next->anon_vma;
				importer = v;
			} else if (end < v->vm_end) {
				adjust_next = -(long)((v->vm_end - end) >> PAGE_SHIFT);
				anon = next->anon_vma;
				importer = next;
			}
		}
		if (v->anon_vma)
			anon = v->anon_vma;
		if (anon && importer && !importer->anon_vma) {
			/* the growing vma takes the shrinking one's pages */
			importer->anon_vma = anon;
			anon_vma_link(m, importer);
		}
		v->vm_start = start;
		v->vm_end = end;
		v->vm_pgoff = pgoff;
		if (adjust_next) {
			next->vm_start += (kaddr_t)adjust_next << PAGE_SHIFT;
			next->vm_pgoff += (unsigned long)adjust_next;
		}
		if (remove_next) {
			vma_unlink(m, mm, next);
			remove_vma(m, next);
			if (remove_next == 2) {
				again = true;
				continue;
			}
		} else if (insert) {
			__vma_link(m, mm, insert, v);
		}
		break;
	}
}

static bool is_mergeable_anon_vma(const struct anon_vma *a,
				  const struct anon_vma *b)
{
	return !a || !b || a == b;
}

static bool is_mergeable_vma(const struct vm_area_struct *v,
			     const struct kfile *file, unsigned long flags)
{
	return v->vm_flags == flags && v->vm_file == file;
}

static bool can_vma_merge_before(const struct vm_area_struct *v,
				 unsigned long flags, const struct anon_vma *anon,
				 const struct kfile *file, unsigned long pgoff)
{
	return is_mergeable_vma(v, file, flags) &&
	       is_mergeable_anon_vma(anon, v->anon_vma) && v->vm_pgoff == pgoff;
}

static bool can_vma_merge_after(const struct vm_area_struct *v,
				unsigned long flags, const struct anon_vma *anon,
				const struct kfile *file, unsigned long pgoff)
{
	return is_mergeable_vma(v, file, flags) &&
	       is_mergeable_anon_vma(anon, v->anon_vma) &&
	       v->vm_pgoff + vma_pages(v) == pgoff;
}

struct vm_area_struct *vma_merge(struct machine *m, struct mm_struct *mm,
				 struct vm_area_struct *prev, kaddr_t addr,
				 kaddr_t end, unsigned long vm_flags,
				 struct anon_vma *anon, struct kfile *file,
				 unsigned long pgoff)
{
	unsigned long pglen = (unsigned long)((end - addr) >> PAGE_SHIFT);
	struct vm_area_struct *area, *next;

	if (vm_flags & VM_SPECIAL)
		return NULL;
	next = prev ? vma_next(mm, prev) : (mm->map_count ? mm->vmas[0] : NULL);
	area = next;
	if (next && next->vm_end == end)        /* cases 6, 7, 8 */
		next = vma_next(mm, next);
	if (prev && prev->vm_end == addr &&
	    can_vma_merge_after(prev, vm_flags, anon, file, pgoff)) {
		if (next && end == next->vm_start &&
		    can_vma_merge_before(next, vm_flags, anon, file, pgoff + pglen) &&
		    is_mergeable_anon_vma(prev->anon_vma, next->anon_vma)) {
			if (TRACING(m))
				trace_note(m, "vma_merge: %#llx-%#llx joins both "
					   "neighbours", (unsigned long long)addr,
					   (unsigned long long)end);
			vma_adjust(m, prev, prev->vm_start, next->vm_end,
				   prev->vm_pgoff, NULL);       /* cases 1, 6 */
		} else {
			if (TRACING(m))
				trace_note(m, "vma_merge: %#llx-%#llx extends the "
					   "previous vma", (unsigned long long)addr,
					   (unsigned long long)end);
			vma_adjust(m, prev, prev->vm_start, end, prev->vm_pgoff,
				   NULL);                       /* cases 2, 5, 7 */
		}
		return prev;
	}
	if (next && end == next->vm_start &&
	    can_vma_merge_before(next, vm_flags, anon, file, pgoff + pglen)) {
		if (TRACING(m))
			trace_note(m, "vma_merge: %#llx-%#llx extends the next vma",
				   (unsigned long long)addr, (unsigned long long)end);
		if (prev && addr < prev->vm_end)        /* case 4 */
			vma_adjust(m, prev, prev->vm_start, addr, prev->vm_pgoff,
				   NULL);
		else                                    /* cases 3, 8 */
			vma_adjust(m, area, addr, next->vm_end,
				   next->vm_pgoff - pglen, NULL);
		return area;
	}
	return NULL;
}

/* split_vma with the new vm_area_struct already allocated. */
static void __split_vma(struct machine *m, struct mm_struct *mm,
			struct vm_area_struct *v, kaddr_t addr, int new_below,
			struct vm_area_struct *nv)
{
	kaddr_t obj = nv->obj;

	*nv = *v;
	nv->obj = obj;
	nv->anon_next = nv->anon_prev = NULL;
	nv->i_mmap_next = nv->i_mmap_prev = NULL;
	if (new_below) {
		nv->vm_end = addr;
	} else {
		nv->vm_start = addr;
		nv->vm_pgoff += (unsigned long)((addr - v->vm_start) >> PAGE_SHIFT);
	}
	if (TRACING(m))
		trace_note(m, "split_vma: %#llx-%#llx at %#llx",
			   (unsigned long long)v->vm_start,
			   (unsigned long long)v->vm_end, (unsigned long long)addr);
	(void)mm;
	if (new_below)
		vma_adjust(m, v, addr, v->vm_end, v->vm_pgoff +
			   (unsigned long)((addr - nv->vm_start) >> PAGE_SHIFT), nv);
	else
		vma_adjust(m, v, v->vm_start, addr, v->vm_pgoff, nv);
}

static int max_map_count(const struct machine *m)
{
	return (int)m->sysctl[SYSCTL_MAX_MAP_COUNT][0];
}

int split_vma(struct machine *m, struct mm_struct *mm,
	      struct vm_area_struct *v, kaddr_t addr, int new_below)
{
	struct vm_area_struct *nv;

	if ((int)mm->map_count >= max_map_count(m))
		return set_error(m, -ENOMEM, "split_vma: map_count %u has reached "
				 "vm.max_map_count", mm->map_count);
	if (vma_alloc(m, &nv))
		return -ENOMEM;
	__split_vma(m, mm, v, addr, new_below, nv);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Unmapping                                                           */
/* ------------------------------------------------------------------ */

/* arch_unmap_area / arch_unmap_area_topdown */
static void unmap_area(struct mm_struct *mm, kaddr_t addr)
{
	if (!mm->topdown) {
		if (addr >= task_unmapped_base(mm) && addr < mm->free_area_cache) {
			mm->free_area_cache = addr;
			mm->cached_hole_size = ~(kaddr_t)0;
		}
		return;
	}
	if (addr > mm->free_area_cache)
		mm->free_area_cache = addr;
	if (mm->free_area_cache > mm->mmap_base)
		mm->free_area_cache = mm->mmap_base;
}

/*
 * Take vmas[first .. first+n) out of mm and unmap [start, end) of them:
 * detach_vmas_to_be_unmapped, unmap_region, remove_vma_list.
 */
static void unmap_and_remove(struct machine *m, struct mm_struct *mm,
			     unsigned first, unsigned n, kaddr_t start,
			     kaddr_t end)
{
	struct vm_area_struct **gone = xmalloc(n * sizeof *gone);
	kaddr_t (*ranges)[2] = xmalloc(n * sizeof *ranges);
	struct vm_area_struct *prev = first ? mm->vmas[first - 1] : NULL;
	struct vm_area_struct *next = first + n < mm->map_count ?
				      mm->vmas[first + n] : NULL;

	memcpy(gone, mm->vmas + first, n * sizeof *gone);
	/* detach */
	memmove(mm->vmas + first, mm->vmas + first + n,
		(mm->map_count - first - n) * sizeof *mm->vmas);
	mm->map_count -= n;
	mm->mmap_cache = NULL;
	unmap_area(mm, mm->topdown ? (next ? next->vm_start : mm->mmap_base) :
		   (prev ? prev->vm_end : mm->mmap_base));
	/* unmap_region */
	unsigned long nr_accounted = 0;
	update_hiwater_rss(mm);
	unmap_vmas(m, mm, gone, n, start, end, &nr_accounted);
	vm_unacct_memory(m, (long)nr_accounted);
	for (unsigned i = 0; i < n; i++) {
		ranges[i][0] = gone[i]->vm_start;
		ranges[i][1] = gone[i]->vm_end;
	}
	free_pgtables(m, mm, (const kaddr_t (*)[2])ranges, n,
		      prev ? prev->vm_end : FIRST_USER_ADDRESS,
		      next ? next->vm_start : 0);
	/* remove_vma_list */
	update_hiwater_vm(mm);
	for (unsigned i = 0; i < n; i++) {
		struct vm_area_struct *v = gone[i];
		long pages = (long)vma_pages(v);
		mm->total_vm -= (unsigned long)pages;
		if (v->vm_flags & VM_LOCKED)
			mm->locked_vm -= (unsigned long)pages;
		vm_stat_account(mm, v->vm_flags, v->vm_file, -pages);
		if (v->vm_file)
			i_mmap_del(v->vm_file, v);
		anon_vma_unlink(m, v);
		remove_vma(m, v);
	}
	free(ranges);
	free(gone);
}

/*
 * do_munmap(mm, start, len): -EINVAL for a misaligned or out-of-range
 * request, -ENOMEM when a needed split is refused (machine unchanged).
 */
int do_munmap(struct machine *m, struct mm_struct *mm, kaddr_t start,
	      kaddr_t len)
{
	struct vm_area_struct *pre[2] = { NULL, NULL };

	if ((start & (PAGE_SIZE - 1)) || start > mm->task_size ||
	    len > mm->task_size - start)
		return set_error(m, -EINVAL, "munmap: %#llx+%#llx is not a page "
				 "aligned range below TASK_SIZE",
				 (unsigned long long)start, (unsigned long long)len);
	len = page_align(len);
	if (!len)
		return set_error(m, -EINVAL, "munmap: length 0");
	kaddr_t end = start + len;
	unsigned i = vma_index(mm, start);
	if (i == mm->map_count || mm->vmas[i]->vm_start >= end)
		return 0;
	struct vm_area_struct *v = mm->vmas[i];
	unsigned last = vma_index(mm, end);
	bool split_first = start > v->vm_start;
	bool split_last = last < mm->map_count && end > mm->vmas[last]->vm_start;
	unsigned splits = split_first + split_last;
	if (splits && (int)mm->map_count + (int)splits - 1 >= max_map_count(m))
		return set_error(m, -ENOMEM, "munmap: splitting needs %u more vmas; "
				 "map_count %u would pass vm.max_map_count %d",
				 splits, mm->map_count, max_map_count(m));
	for (unsigned k = 0; k < splits; k++)
		if (vma_alloc(m, &pre[k])) {
			if (k)
				vma_free(m, pre[0]);
			return -ENOMEM;
		}
	unsigned k = 0;
	if (split_first)
		__split_vma(m, mm, v, start, 0, pre[k++]);
	last = vma_index(mm, end);
	if (last < mm->map_count && end > mm->vmas[last]->vm_start)
		__split_vma(m, mm, mm->vmas[last], end, 1, pre[k++]);
	unsigned first = vma_index(mm, start);
	last = vma_index(mm, end);
	if (TRACING(m))
		trace_note(m, "do_munmap %#llx-%#llx: %u vma%s", (unsigned long long)start,
			   (unsigned long long)end, last - first,
			   last - first == 1 ? "" : "s");
	unmap_and_remove(m, mm, first, last - first, start, end);
	return 0;
}

/* exit_mmap: everything goes, page tables included. */
void exit_mmap(struct machine *m, struct mm_struct *mm)
{
	unsigned n = mm->map_count;

	if (!n)
		return;
	unmap_and_remove(m, mm, 0, n, 0, mm->task_size);
}

/* ------------------------------------------------------------------ */
/* The unmapped-area search (§10.10)                                   */
/* ------------------------------------------------------------------ */

static int arch_get_unmapped_area(struct mm_struct *mm, kaddr_t addr,
				  kaddr_t len, kaddr_t *out)
{
	kaddr_t task_size = mm->task_size, start_addr;
	kaddr_t base = task_unmapped_base(mm);

	if (len > task_size)
		return -ENOMEM;
	if (addr) {
		addr = page_align(addr);
		struct vm_area_struct *v = find_vma(mm, addr);
		if (task_size - len >= addr && (!v || addr + len <= v->vm_start)) {
			*out = addr;
			return 0;
		}
	}
	if (len > mm->cached_hole_size) {
		start_addr = addr = mm->free_area_cache;
	} else {
		start_addr = addr = base;
		mm->cached_hole_size = 0;
	}
full_search:
	for (struct vm_area_struct *v = find_vma(mm, addr); ;
	     v = vma_next(mm, v)) {
		if (task_size - len < addr) {
			if (start_addr != base) {
				addr = start_addr = base;
				mm->cached_hole_size = 0;
				goto full_search;
			}
			return -ENOMEM;
		}
		if (!v || addr + len <= v->vm_start) {
			mm->free_area_cache = addr + len;
			*out = addr;
			return 0;
		}
		if (addr + mm->cached_hole_size < v->vm_start)
			mm->cached_hole_size = v->vm_start - addr;
		addr = v->vm_end;
	}
}

static int arch_get_unmapped_area_topdown(struct mm_struct *mm, kaddr_t addr0,
					  kaddr_t len, kaddr_t *out)
{
	kaddr_t addr = addr0, task_size = mm->task_size;
	struct vm_area_struct *v;

	if (len > task_size)
		return -ENOMEM;
	if (addr) {
		addr = page_align(addr);
		v = find_vma(mm, addr);
		if (task_size - len >= addr && (!v || addr + len <= v->vm_start)) {
			*out = addr;
			return 0;
		}
	}
	if (len <= mm->cached_hole_size) {
		mm->cached_hole_size = 0;
		mm->free_area_cache = mm->mmap_base;
	}
	addr = mm->free_area_cache;
	if (addr > len) {
		v = find_vma(mm, addr - len);
		if (!v || addr <= v->vm_start) {
			*out = mm->free_area_cache = addr - len;
			return 0;
		}
	}
	if (mm->mmap_base < len)
		goto bottomup;
	addr = mm->mmap_base - len;
	do {
		v = find_vma(mm, addr);
		if (!v || addr + len <= v->vm_start) {
			*out = mm->free_area_cache = addr;
			return 0;
		}
		if (addr + mm->cached_hole_size < v->vm_start)
			mm->cached_hole_size = v->vm_start - addr;
		addr = v->vm_start - len;
	} while (len < v->vm_start);
bottomup:
	/* a failed top-down search falls back to the legacy one */
	mm->cached_hole_size = ~(kaddr_t)0;
	mm->free_area_cache = task_unmapped_base(mm);
	int rc = arch_get_unmapped_area(mm, addr0, len, out);
	mm->free_area_cache = mm->mmap_base;
	mm->cached_hole_size = ~(kaddr_t)0;
	return rc;
}

/* get_unmapped_area: the arch search unless MAP_FIXED, then the checks. */
int get_unmapped_area(struct machine *m, struct mm_struct *mm,
		      struct kfile *file, kaddr_t addr, kaddr_t len,
		      unsigned long pgoff, unsigned flags, kaddr_t *out)
{
	(void)file;
	(void)pgoff;
	if (!(flags & KMEM_MAP_FIXED)) {
		int rc = mm->topdown ?
			arch_get_unmapped_area_topdown(mm, addr, len, &addr) :
			arch_get_unmapped_area(mm, addr, len, &addr);
		if (rc)
			return set_error(m, rc, "get_unmapped_area: no free range "
					 "of %#llx bytes", (unsigned long long)len);
		if (TRACING(m))
			trace_note(m, "%s: %#llx (free_area_cache %#llx)",
				   mm->topdown ? "arch_get_unmapped_area_topdown" :
				   "arch_get_unmapped_area",
				   (unsigned long long)addr,
				   (unsigned long long)mm->free_area_cache);
	}
	if (addr > mm->task_size - len)
		return set_error(m, -ENOMEM, "get_unmapped_area: %#llx+%#llx is "
				 "beyond TASK_SIZE", (unsigned long long)addr,
				 (unsigned long long)len);
	if (addr & (PAGE_SIZE - 1))
		return set_error(m, -EINVAL, "get_unmapped_area: %#llx is not page "
				 "aligned", (unsigned long long)addr);
	*out = addr;
	return 0;
}

/* ------------------------------------------------------------------ */
/* mmap                                                                */
/* ------------------------------------------------------------------ */

/* VM_ACCOUNT pages of existing vmas inside [start, end): what a MAP_FIXED
 * munmap would give back before the new mapping is charged. */
static long accounted_in(struct mm_struct *mm, kaddr_t start, kaddr_t end)
{
	long pages = 0;

	for (unsigned i = vma_index(mm, start); i < mm->map_count; i++) {
		struct vm_area_struct *v = mm->vmas[i];
		if (v->vm_start >= end)
			break;
		if (!(v->vm_flags & VM_ACCOUNT))
			continue;
		kaddr_t s = v->vm_start > start ? v->vm_start : start;
		kaddr_t e = v->vm_end < end ? v->vm_end : end;
		pages += (long)((e - s) >> PAGE_SHIFT);
	}
	return pages;
}

/* The splits a munmap of [start, end) would need. */
static unsigned splits_for(struct mm_struct *mm, kaddr_t start, kaddr_t end)
{
	unsigned i = vma_index(mm, start), n = 0;

	if (i < mm->map_count && mm->vmas[i]->vm_start < start &&
	    mm->vmas[i]->vm_end > start)
		n++;
	i = vma_index(mm, end);
	if (i < mm->map_count && mm->vmas[i]->vm_start < end)
		n++;
	return n;
}

int do_mmap_pgoff(struct machine *m, struct task_struct *t,
		  struct kfile *file, kaddr_t addr, kaddr_t len,
		  unsigned prot, unsigned flags, unsigned long pgoff,
		  kaddr_t *out)
{
	struct mm_struct *mm = t->mm;
	kaddr_t fac = mm->free_area_cache, chs = mm->cached_hole_size;
	unsigned long vm_flags;
	long charged = 0;
	int rc;

	if (!len)
		return set_error(m, -EINVAL, "mmap: length 0");
	len = page_align(len);
	if (!len || len > mm->task_size)
		return set_error(m, -ENOMEM, "mmap: length %#llx is larger than "
				 "TASK_SIZE", (unsigned long long)len);
	if (pgoff + (len >> PAGE_SHIFT) < pgoff ||
	    pgoff + (len >> PAGE_SHIFT) > 0xffffffffUL)
		return set_error(m, -EOVERFLOW, "mmap: offset + length overflows");
	if ((int)mm->map_count > max_map_count(m))
		return set_error(m, -ENOMEM, "mmap: map_count %u is above "
				 "vm.max_map_count", mm->map_count);
	if (TRACING(m))
		trace_enter(m, "do_mmap_pgoff", "pid %d addr %#llx len %#llx "
			    "prot %#x flags %#x%s%s pgoff %#lx", t->pid,
			    (unsigned long long)addr, (unsigned long long)len, prot,
			    flags, file ? " " : "", file ? file->name : "", pgoff);
	rc = get_unmapped_area(m, mm, file, addr, len, pgoff, flags, &addr);
	if (rc)
		goto fail;
	vm_flags = (prot & 7) | mm->def_flags | VM_MAYREAD | VM_MAYWRITE |
		   VM_MAYEXEC;
	if (flags & KMEM_MAP_GROWSDOWN)
		vm_flags |= VM_GROWSDOWN;
	if (flags & KMEM_MAP_DENYWRITE)
		vm_flags |= VM_DENYWRITE;
	if (flags & KMEM_MAP_EXECUTABLE)
		vm_flags |= VM_EXECUTABLE;
	if (flags & KMEM_MAP_LOCKED) {
		vm_flags |= VM_LOCKED;
		unsigned long locked = (unsigned long)(len >> PAGE_SHIFT) + mm->locked_vm;
		if (!mm->cap_sys_admin && locked > RLIMIT_MEMLOCK_CUR >> PAGE_SHIFT) {
			rc = set_error(m, -EAGAIN, "mmap: MAP_LOCKED: %lu pages locked "
				       "would pass RLIMIT_MEMLOCK (%llu pages)",
				       locked, RLIMIT_MEMLOCK_CUR >> PAGE_SHIFT);
			goto fail;
		}
	}
	unsigned type = flags & (KMEM_MAP_SHARED | KMEM_MAP_PRIVATE);
	if (type != KMEM_MAP_SHARED && type != KMEM_MAP_PRIVATE) {
		rc = set_error(m, -EINVAL, "mmap: exactly one of MAP_SHARED and "
			       "MAP_PRIVATE is needed");
		goto fail;
	}
	if (file) {
		/* the file is open O_RDWR: FMODE_READ|FMODE_WRITE */
		if (type == KMEM_MAP_SHARED)
			vm_flags |= VM_SHARED | VM_MAYSHARE;
		if (vm_flags & (VM_GROWSDOWN | VM_GROWSUP)) {
			rc = set_error(m, -EINVAL, "mmap: MAP_GROWSDOWN of a file");
			goto fail;
		}
	} else if (type == KMEM_MAP_SHARED) {
		vm_flags |= VM_SHARED | VM_MAYSHARE;
	} else {
		pgoff = (unsigned long)(addr >> PAGE_SHIFT);
	}
	/* checks first, so that a refusal leaves the old mapping alone */
	long credit = accounted_in(mm, addr, addr + len);
	unsigned splits = splits_for(mm, addr, addr + len);
	if (splits && (int)mm->map_count + (int)splits - 1 >= max_map_count(m)) {
		rc = set_error(m, -ENOMEM, "mmap: unmapping the old range needs "
			       "a split past vm.max_map_count");
		goto fail;
	}
	if (!(flags & KMEM_MAP_NORESERVE) ||
	    m->sysctl[SYSCTL_OVERCOMMIT_MEMORY][0] == OVERCOMMIT_NEVER) {
		if (vm_flags & VM_SHARED) {
			vm_flags |= VM_ACCOUNT;
		} else if (vm_flags & VM_WRITE) {
			charged = (long)(len >> PAGE_SHIFT);
			mms(m)->vm_committed_space -= credit;
			rc = security_vm_enough_memory(m, mm, charged);
			mms(m)->vm_committed_space += credit;
			if (rc)
				goto fail;
			vm_flags |= VM_ACCOUNT;
		}
	}
	struct kfile *shm = NULL;
	bool shm_acct = !file && (vm_flags & VM_SHARED) && (vm_flags & VM_ACCOUNT);
	if (shm_acct) {
		/* shmem_zero_setup: a /dev/zero object of len bytes,
		 * accounted by shmem_acct_size */
		rc = security_vm_enough_memory(m, mm, (long)(len >> PAGE_SHIFT));
		if (rc)
			goto unacct;
	}
	/* clear old maps */
	if (find_vma_intersection(mm, addr, addr + len))
		do_munmap(m, mm, addr, len);
	struct vm_area_struct *prev = NULL, *v = NULL, *merged = NULL;
	find_vma_prev(mm, addr, &prev);
	if (!file && !(vm_flags & VM_SHARED) &&
	    vma_merge(m, mm, prev, addr, addr + len, vm_flags, NULL, NULL, pgoff))
		goto out;
	rc = vma_alloc(m, &v);
	if (rc) {
		if (shm_acct)
			vm_unacct_memory(m, (long)(len >> PAGE_SHIFT));
		rc = set_error(m, -ENOMEM, "mmap: no memory for a vm_area_struct");
		goto unacct;
	}
	v->vm_mm = mm;
	v->vm_start = addr;
	v->vm_end = addr + len;
	v->vm_flags = vm_flags;
	v->vm_page_prot = protection_map(m, vm_flags);
	v->vm_pgoff = pgoff;
	if (file) {
		v->vm_file = file;
	} else if (vm_flags & VM_SHARED) {
		file_new(m, "dev/zero", len, true, &shm);
		shm->shmem_acct = shm_acct ? (unsigned long)(len >> PAGE_SHIFT) : 0;
		v->vm_file = shm;
		v->vm_pgoff = 0;
		pgoff = 0;
	}
	if ((vm_flags & (VM_SHARED | VM_ACCOUNT)) == (VM_SHARED | VM_ACCOUNT))
		v->vm_flags &= ~VM_ACCOUNT;
	vm_flags = v->vm_flags;
	if (vma_wants_writenotify(m, v))
		v->vm_page_prot = protection_map(m, vm_flags & ~VM_SHARED);
	if (file)
		merged = vma_merge(m, mm, prev, addr, v->vm_end, v->vm_flags, NULL,
				   file, pgoff);
	if (merged) {
		vma_free(m, v);
		v = merged;
	} else {
		vma_link(m, mm, v);
	}
out:
	mm->total_vm += (unsigned long)(len >> PAGE_SHIFT);
	vm_stat_account(mm, vm_flags, file ? file : shm, (long)(len >> PAGE_SHIFT));
	if (vm_flags & VM_LOCKED) {
		mm->locked_vm += (unsigned long)(len >> PAGE_SHIFT);
		make_pages_present(m, t, addr, addr + len);
	}
	*out = addr;
	if (TRACING(m))
		trace_exit(m, "%#llx", (unsigned long long)addr);
	return 0;
unacct:
	if (charged)
		vm_unacct_memory(m, charged);
fail:
	mm->free_area_cache = fac;
	mm->cached_hole_size = chs;
	if (TRACING(m))
		trace_exit(m, "%d", rc);
	return rc;
}

/* ------------------------------------------------------------------ */
/* brk                                                                 */
/* ------------------------------------------------------------------ */

/* do_brk: an anonymous, accounted, private mapping at addr. */
int do_brk(struct machine *m, struct mm_struct *mm, kaddr_t addr,
	   kaddr_t len)
{
	unsigned long flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE |
			      VM_MAYEXEC | VM_ACCOUNT | mm->def_flags;
	unsigned long pgoff = (unsigned long)(addr >> PAGE_SHIFT);

	len = page_align(len);
	if (!len)
		return 0;
	if (addr + len > mm->task_size || addr + len < addr)
		return set_error(m, -EINVAL, "brk: %#llx+%#llx is beyond TASK_SIZE",
				 (unsigned long long)addr, (unsigned long long)len);
	long credit = accounted_in(mm, addr, addr + len);
	if ((int)mm->map_count + (int)splits_for(mm, addr, addr + len) >
	    max_map_count(m))
		return set_error(m, -ENOMEM, "brk: map_count %u is at "
				 "vm.max_map_count", mm->map_count);
	mms(m)->vm_committed_space -= credit;
	int rc = security_vm_enough_memory(m, mm, (long)(len >> PAGE_SHIFT));
	mms(m)->vm_committed_space += credit;
	if (rc)
		return rc;
	if (find_vma_intersection(mm, addr, addr + len))
		do_munmap(m, mm, addr, len);
	struct vm_area_struct *prev, *v;
	find_vma_prev(mm, addr, &prev);
	if (!vma_merge(m, mm, prev, addr, addr + len, flags, NULL, NULL, pgoff)) {
		if (vma_alloc(m, &v)) {
			vm_unacct_memory(m, (long)(len >> PAGE_SHIFT));
			return set_error(m, -ENOMEM, "brk: no memory for a "
					 "vm_area_struct");
		}
		v->vm_start = addr;
		v->vm_end = addr + len;
		v->vm_pgoff = pgoff;
		v->vm_flags = flags;
		v->vm_page_prot = protection_map(m, flags);
		vma_link(m, mm, v);
	}
	mm->total_vm += (unsigned long)(len >> PAGE_SHIFT);
	return 0;
}

int __kmem_brk(struct machine *m, int pid, uint64_t brk, uint64_t *out)
{
	struct task_struct *t = task_with_mm(m, pid, "brk");

	if (!t)
		return -ESRCH;
	struct mm_struct *mm = t->mm;
	int rc = 0;
	if (TRACING(m))
		trace_enter(m, "sys_brk", "pid %d brk %#llx (now %#llx)", pid,
			    (unsigned long long)brk, (unsigned long long)mm->brk);
	if (brk < mm->end_code) {
		rc = set_error(m, -ENOMEM, "brk: %#llx is below the end of the "
			       "text (%#llx)", (unsigned long long)brk,
			       (unsigned long long)mm->end_code);
		goto out;
	}
	if (brk > mm->task_size) {
		rc = set_error(m, -ENOMEM, "brk: %#llx is beyond TASK_SIZE",
			       (unsigned long long)brk);
		goto out;
	}
	kaddr_t newbrk = page_align(brk), oldbrk = page_align(mm->brk);
	if (oldbrk == newbrk)
		goto set_brk;
	if (brk <= mm->brk) {
		if (TRACING(m))
			trace_note(m, "shrink: do_munmap(%#llx, %#llx)",
				   (unsigned long long)newbrk,
				   (unsigned long long)(oldbrk - newbrk));
		rc = do_munmap(m, mm, newbrk, oldbrk - newbrk);
		if (rc)
			goto out;
		goto set_brk;
	}
	struct vm_area_struct *v = find_vma_intersection(mm, oldbrk,
							 newbrk + PAGE_SIZE);
	if (v) {
		rc = set_error(m, -ENOMEM, "brk: %#llx-%#llx (with the one-page "
			       "gap) runs into the vma at %#llx",
			       (unsigned long long)oldbrk,
			       (unsigned long long)(newbrk + PAGE_SIZE),
			       (unsigned long long)v->vm_start);
		goto out;
	}
	if (TRACING(m))
		trace_note(m, "grow: do_brk(%#llx, %#llx)",
			   (unsigned long long)oldbrk,
			   (unsigned long long)(newbrk - oldbrk));
	rc = do_brk(m, mm, oldbrk, newbrk - oldbrk);
	if (rc)
		goto out;
set_brk:
	mm->brk = brk;
out:
	if (out)
		*out = mm->brk;
	if (TRACING(m))
		trace_exit(m, "%#llx", (unsigned long long)mm->brk);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Stack growth                                                        */
/* ------------------------------------------------------------------ */

/* expand_stack for a VM_GROWSDOWN vma (acct_stack_growth). */
int expand_stack(struct machine *m, struct vm_area_struct *v, kaddr_t addr)
{
	struct mm_struct *mm = v->vm_mm;

	addr &= ~(kaddr_t)(PAGE_SIZE - 1);
	if (addr >= v->vm_start)
		return 0;
	kaddr_t size = v->vm_end - addr;
	unsigned long grow = (unsigned long)((v->vm_start - addr) >> PAGE_SHIFT);
	if (size > RLIMIT_STACK_CUR) {
		set_error(m, -ENOMEM, "expand_stack: %llu bytes would pass "
			  "RLIMIT_STACK (%llu)", (unsigned long long)size,
			  RLIMIT_STACK_CUR);
		return -ENOMEM;
	}
	if (v->vm_flags & VM_LOCKED &&
	    !mm->cap_sys_admin &&
	    mm->locked_vm + grow > RLIMIT_MEMLOCK_CUR >> PAGE_SHIFT)
		return set_error(m, -ENOMEM, "expand_stack: RLIMIT_MEMLOCK");
	if (anon_vma_prepare(m, v))
		return -ENOMEM;
	if (security_vm_enough_memory(m, mm, (long)grow))
		return -ENOMEM;
	if (TRACING(m))
		trace_note(m, "expand_stack: %#llx -> %#llx (+%lu pages)",
			   (unsigned long long)v->vm_start,
			   (unsigned long long)addr, grow);
	v->vm_start = addr;
	v->vm_pgoff -= grow;
	mm->total_vm += grow;
	if (v->vm_flags & VM_LOCKED)
		mm->locked_vm += grow;
	vm_stat_account(mm, v->vm_flags, v->vm_file, (long)grow);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

int __kmem_mmap(struct machine *m, int pid, uint64_t addr, uint64_t len,
	      unsigned prot, unsigned flags, const char *file, uint64_t offset,
	      uint64_t *out)
{
	struct task_struct *t = task_with_mm(m, pid, "mmap");
	struct kfile *f = NULL;

	if (!t)
		return -ESRCH;
	if (prot & ~(KMEM_PROT_READ | KMEM_PROT_WRITE | KMEM_PROT_EXEC))
		return set_error(m, -EINVAL, "mmap: unknown PROT bits %#x", prot);
	if (offset & (PAGE_SIZE - 1))
		return set_error(m, -EINVAL, "mmap: offset %#llx is not page "
				 "aligned", (unsigned long long)offset);
	if (file && *file) {
		if (flags & KMEM_MAP_ANONYMOUS)
			return set_error(m, -EINVAL, "mmap: MAP_ANONYMOUS with a "
					 "file");
		f = file_lookup(m, file);
		if (!f)
			return set_error(m, -ENOENT, "mmap: %s: No such file", file);
	} else if (!(flags & KMEM_MAP_ANONYMOUS)) {
		return set_error(m, -EBADF, "mmap: no file and no MAP_ANONYMOUS");
	}
	if ((flags & KMEM_MAP_FIXED) && (addr & (PAGE_SIZE - 1)))
		return set_error(m, -EINVAL, "mmap: MAP_FIXED address %#llx is not "
				 "page aligned", (unsigned long long)addr);
	kaddr_t a;
	int rc = do_mmap_pgoff(m, t, f, addr, len, prot, flags,
			       f ? (unsigned long)(offset >> PAGE_SHIFT) : 0, &a);
	if (!rc && out)
		*out = a;
	return rc;
}

int __kmem_munmap(struct machine *m, int pid, uint64_t addr, uint64_t len)
{
	struct task_struct *t = task_with_mm(m, pid, "munmap");

	if (!t)
		return -ESRCH;
	if (TRACING(m))
		trace_enter(m, "sys_munmap", "pid %d %#llx+%#llx", pid,
			    (unsigned long long)addr, (unsigned long long)len);
	int rc = do_munmap(m, t->mm, addr, len);
	if (TRACING(m))
		trace_exit(m, "%d", rc);
	return rc;
}

void kmem_vm_flags_format(unsigned long flags, char *buf, size_t len)
{
	static const char *const names[] = {
		"VM_READ", "VM_WRITE", "VM_EXEC", "VM_SHARED", "VM_MAYREAD",
		"VM_MAYWRITE", "VM_MAYEXEC", "VM_MAYSHARE", "VM_GROWSDOWN",
		"VM_GROWSUP", "VM_PFNMAP", "VM_DENYWRITE", "VM_EXECUTABLE",
		"VM_LOCKED", "VM_IO", "VM_SEQ_READ", "VM_RAND_READ",
		"VM_DONTCOPY", "VM_DONTEXPAND", "VM_RESERVED", "VM_ACCOUNT",
		NULL, "VM_HUGETLB", "VM_NONLINEAR", "VM_MAPPED_COPY",
		"VM_INSERTPAGE", "VM_ALWAYSDUMP",
	};
	size_t n = 0;

	if (len)
		buf[0] = '\0';
	for (unsigned b = 0; b < sizeof names / sizeof names[0]; b++)
		if ((flags >> b) & 1u && names[b] && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "|" : "",
					      names[b]);
	if (!n && len)
		snprintf(buf, len, "0");
}
