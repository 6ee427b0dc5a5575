/*
 * mremap.c - resizing and moving a mapping (mm/mremap.c, 2.6.20).
 *
 *   shrink          do_munmap of the tail
 *   grow in place   when the range ends its vma and the gap after it is
 *                   big enough: vma_adjust, total_vm, (locked: populate)
 *   move            MREMAP_MAYMOVE: get_unmapped_area, copy_vma (which may
 *                   merge with the new neighbours), move_page_tables PTE
 *                   by PTE, then do_munmap of the old range with VM_ACCOUNT
 *                   hidden so the charge moves with the pages
 *
 * Anonymous pages keep page->index across a move: the new vma's vm_pgoff
 * is the old one plus the offset, so vma_address still finds them, as in
 * the kernel.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>

#include "mm.h"

/* copy_vma: the vma for the new place, merged with neighbours if they
 * allow; *vp is updated if the source itself was merged into it. */
static struct vm_area_struct *copy_vma(struct machine *m,
				       struct vm_area_struct **vp,
				       kaddr_t addr, kaddr_t len,
				       unsigned long pgoff)
{
	struct vm_area_struct *v = *vp, *prev, *nv;
	struct mm_struct *mm = v->vm_mm;
	kaddr_t vma_start = v->vm_start;

	if (!v->vm_file && !v->anon_vma)
		pgoff = (unsigned long)(addr >> PAGE_SHIFT);
	find_vma_prev(mm, addr, &prev);
	nv = vma_merge(m, mm, prev, addr, addr + len, v->vm_flags, v->anon_vma,
		       v->vm_file, pgoff);
	if (nv) {
		if (vma_start >= nv->vm_start && vma_start < nv->vm_end)
			*vp = nv;
		return nv;
	}
	if (vma_alloc(m, &nv))
		return NULL;
	kaddr_t obj = nv->obj;
	*nv = *v;
	nv->obj = obj;
	nv->anon_next = nv->anon_prev = NULL;
	nv->i_mmap_next = nv->i_mmap_prev = NULL;
	nv->vm_start = addr;
	nv->vm_end = addr + len;
	nv->vm_pgoff = pgoff;
	vma_link(m, mm, nv);
	return nv;
}

static int move_vma(struct machine *m, struct task_struct *t,
		    struct vm_area_struct *v, kaddr_t old_addr,
		    kaddr_t old_len, kaddr_t new_len, kaddr_t new_addr)
{
	struct mm_struct *mm = v->vm_mm;
	unsigned long vm_flags = v->vm_flags;
	kaddr_t excess = 0;
	bool split = false;

	if ((long)mm->map_count >= m->sysctl[SYSCTL_MAX_MAP_COUNT][0] - 3)
		return set_error(m, -ENOMEM, "mremap: map_count %u is too close "
				 "to vm.max_map_count to move", mm->map_count);
	unsigned long new_pgoff = v->vm_pgoff +
				  (unsigned long)((old_addr - v->vm_start) >> PAGE_SHIFT);
	struct vm_area_struct *nv = copy_vma(m, &v, new_addr, new_len, new_pgoff);
	if (!nv)
		return set_error(m, -ENOMEM, "mremap: no memory for a "
				 "vm_area_struct");
	int moved = move_page_tables(m, v, old_addr, nv, new_addr, old_len);
	if ((kaddr_t)moved << PAGE_SHIFT < old_len) {
		/* put back what moved, drop the new vma (kernel: the same) */
		move_page_tables(m, nv, new_addr, v, old_addr,
				 (kaddr_t)moved << PAGE_SHIFT);
		do_munmap(m, mm, new_addr, new_len);
		return set_error(m, -ENOMEM, "mremap: no memory for page tables");
	}
	if (vm_flags & VM_ACCOUNT) {
		v->vm_flags &= ~VM_ACCOUNT;
		excess = v->vm_end - v->vm_start - old_len;
		if (old_addr > v->vm_start && old_addr + old_len < v->vm_end)
			split = true;
	}
	unsigned long hiwater_vm = mm->hiwater_vm;
	mm->total_vm += (unsigned long)(new_len >> PAGE_SHIFT);
	vm_stat_account(mm, v->vm_flags, v->vm_file, (long)(new_len >> PAGE_SHIFT));
	if (do_munmap(m, mm, old_addr, old_len) < 0) {
		vm_unacct_memory(m, (long)(excess >> PAGE_SHIFT));
		excess = 0;
	}
	mm->hiwater_vm = hiwater_vm;
	if (excess) {
		v->vm_flags |= VM_ACCOUNT;
		if (split)
			vma_next(mm, v)->vm_flags |= VM_ACCOUNT;
	}
	if (vm_flags & VM_LOCKED) {
		mm->locked_vm += (unsigned long)(new_len >> PAGE_SHIFT);
		if (new_len > old_len)
			make_pages_present(m, t, new_addr + old_len,
					   new_addr + new_len);
	}
	return 0;
}

/* do_mremap; *out gets the (possibly new) address. */
int __kmem_mremap(struct machine *m, int pid, uint64_t addr, uint64_t old_len,
		uint64_t new_len, unsigned flags, uint64_t new_addr,
		uint64_t *out)
{
	struct task_struct *t = task_with_mm(m, pid, "mremap");
	long charged = 0;
	int rc = 0;

	if (!t)
		return -ESRCH;
	struct mm_struct *mm = t->mm;
	if (flags & ~(KMEM_MREMAP_FIXED | KMEM_MREMAP_MAYMOVE))
		return set_error(m, -EINVAL, "mremap: unknown flags %#x", flags);
	if (addr & (PAGE_SIZE - 1))
		return set_error(m, -EINVAL, "mremap: %#llx is not page aligned",
				 (unsigned long long)addr);
	old_len = page_align(old_len);
	new_len = page_align(new_len);
	if (!new_len)
		return set_error(m, -EINVAL, "mremap: new length 0");
	if (flags & KMEM_MREMAP_FIXED) {
		if (new_addr & (PAGE_SIZE - 1))
			return set_error(m, -EINVAL, "mremap: new address %#llx is "
					 "not page aligned",
					 (unsigned long long)new_addr);
		if (!(flags & KMEM_MREMAP_MAYMOVE))
			return set_error(m, -EINVAL, "mremap: MREMAP_FIXED needs "
					 "MREMAP_MAYMOVE");
		if (new_len > mm->task_size || new_addr > mm->task_size - new_len)
			return set_error(m, -EINVAL, "mremap: new range is beyond "
					 "TASK_SIZE");
		if ((new_addr <= addr && new_addr + new_len > addr) ||
		    (addr <= new_addr && addr + old_len > new_addr))
			return set_error(m, -EINVAL, "mremap: old and new ranges "
					 "overlap");
	}
	struct vm_area_struct *v = find_vma(mm, addr);
	if (old_len < new_len || ((flags & KMEM_MREMAP_FIXED) && new_addr != addr)) {
		/* the checks of the grow/move path, before anything moves */
		if (!v || v->vm_start > addr)
			return set_error(m, -EFAULT, "mremap: %#llx is not mapped",
					 (unsigned long long)addr);
		if (old_len > v->vm_end - addr)
			return set_error(m, -EFAULT, "mremap: %#llx+%#llx crosses "
					 "the end of its vma",
					 (unsigned long long)addr,
					 (unsigned long long)old_len);
		if ((v->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)) && new_len > old_len)
			return set_error(m, -EFAULT, "mremap: the vma may not grow");
		if ((v->vm_flags & VM_LOCKED) && !mm->cap_sys_admin &&
		    mm->locked_vm + ((new_len - old_len) >> PAGE_SHIFT) >
		    RLIMIT_MEMLOCK_CUR >> PAGE_SHIFT)
			return set_error(m, -EAGAIN, "mremap: RLIMIT_MEMLOCK");
	}
	if (TRACING(m))
		trace_enter(m, "do_mremap", "pid %d %#llx %#llx -> %#llx flags %#x",
			    pid, (unsigned long long)addr,
			    (unsigned long long)old_len,
			    (unsigned long long)new_len, flags);
	if (flags & KMEM_MREMAP_FIXED) {
		rc = do_munmap(m, mm, new_addr, new_len);
		if (rc)
			goto out;
	}
	if (old_len >= new_len) {
		rc = do_munmap(m, mm, addr + new_len, old_len - new_len);
		if (rc && old_len != new_len)
			goto out;
		rc = 0;
		if (!(flags & KMEM_MREMAP_FIXED) || new_addr == addr) {
			new_addr = addr;
			goto out;
		}
		old_len = new_len;
	}
	v = find_vma(mm, addr);
	if (v->vm_flags & VM_ACCOUNT) {
		charged = (long)((new_len - old_len) >> PAGE_SHIFT);
		rc = security_vm_enough_memory(m, mm, charged);
		if (rc) {
			charged = 0;
			goto out;
		}
	}
	if (old_len == v->vm_end - addr &&
	    !((flags & KMEM_MREMAP_FIXED) && addr != new_addr) &&
	    (old_len != new_len || !(flags & KMEM_MREMAP_MAYMOVE))) {
		struct vm_area_struct *next = vma_next(mm, v);
		kaddr_t max_addr = next ? next->vm_start : mm->task_size;
		if (max_addr - addr >= new_len) {
			long pages = (long)((new_len - old_len) >> PAGE_SHIFT);
			if (TRACING(m))
				trace_note(m, "grow in place to %#llx",
					   (unsigned long long)(addr + new_len));
			vma_adjust(m, v, v->vm_start, addr + new_len, v->vm_pgoff,
				   NULL);
			mm->total_vm += (unsigned long)pages;
			vm_stat_account(mm, v->vm_flags, v->vm_file, pages);
			if (v->vm_flags & VM_LOCKED) {
				mm->locked_vm += (unsigned long)pages;
				make_pages_present(m, t, addr + old_len,
						   addr + new_len);
			}
			new_addr = addr;
			goto out;
		}
	}
	if (!(flags & KMEM_MREMAP_MAYMOVE)) {
		rc = set_error(m, -ENOMEM, "mremap: no room to grow %#llx in "
			       "place and MREMAP_MAYMOVE not given",
			       (unsigned long long)addr);
	} else {
		if (!(flags & KMEM_MREMAP_FIXED)) {
			rc = get_unmapped_area(m, mm, v->vm_file, 0, new_len,
					       v->vm_pgoff,
					       v->vm_flags & VM_MAYSHARE ?
					       KMEM_MAP_SHARED : 0, &new_addr);
			if (rc)
				goto out;
		}
		if (TRACING(m))
			trace_note(m, "move_vma to %#llx", (unsigned long long)new_addr);
		rc = move_vma(m, t, v, addr, old_len, new_len, new_addr);
	}
out:
	if (rc && charged)
		vm_unacct_memory(m, charged);
	if (!rc && out)
		*out = new_addr;
	if (TRACING(m)) {
		if (rc)
			trace_exit(m, "%d", rc);
		else
			trace_exit(m, "%#llx", (unsigned long long)new_addr);
	}
	return rc;
}
