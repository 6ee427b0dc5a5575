/*
 * mprotect.c - changing the protection of a range (mm/mprotect.c, 2.6.20).
 *
 *   sys_mprotect
 *     for each vma in [start, end):   mprotect_fixup
 *       vma_merge with the neighbours (cases 4-8 of mmap.c), else
 *       split_vma at start and/or end
 *       vm_flags, vm_page_prot = protection_map[...] (without VM_SHARED
 *       when the mapping wants write notification)
 *       change_protection: every present PTE gets the new bits
 *       (pte_modify keeps the PFN, accessed and dirty bits)
 *
 * Making a private mapping writable charges it to Committed_AS (VM_ACCOUNT)
 * once; the charge is not given back when it becomes read-only again.
 *
 * 2.6.20 can change the first vmas of a range and then fail on a hole
 * (-ENOMEM) or a refused permission (-EACCES); here the range is checked
 * as a whole first, so a refused mprotect changes nothing.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>

#include "mm.h"

struct prot_ctx {
	uint64_t newprot;
	bool dirty_accountable;
	unsigned esz;
};

static void change_one(struct machine *m, void *ctx, kaddr_t addr,
		       uint8_t *pte)
{
	struct prot_ctx *c = ctx;
	uint64_t e = pte_get(pte, c->esz);

	(void)m;
	(void)addr;
	if (!pte_present(e))
		return;
	e = (e & _PAGE_CHG_MASK) | c->newprot;
	/* a shared writable page that is already dirty needs no fault */
	if (c->dirty_accountable && (e & _PAGE_DIRTY) && (e & _PAGE_PRESENT))
		e |= _PAGE_RW;
	pte_set(pte, c->esz, e);
}

void change_protection(struct machine *m, struct vm_area_struct *v,
		       kaddr_t start, kaddr_t end, uint64_t newprot,
		       bool dirty_accountable)
{
	struct prot_ctx c = { newprot, dirty_accountable, pte_size(m) };

	walk_ptes(m, v->vm_mm, start, end, change_one, &c);
}

/* mprotect_fixup: the charge for VM_ACCOUNT was taken by the caller. */
static int mprotect_fixup(struct machine *m, struct mm_struct *mm,
			  struct vm_area_struct *v,
			  struct vm_area_struct **pprev, kaddr_t start,
			  kaddr_t end, unsigned long newflags)
{
	unsigned long oldflags = v->vm_flags;
	long nrpages = (long)((end - start) >> PAGE_SHIFT);
	bool dirty_accountable = false;
	int rc;

	if (newflags == oldflags) {
		*pprev = v;
		return 0;
	}
	if ((newflags & VM_WRITE) &&
	    !(oldflags & (VM_ACCOUNT | VM_WRITE | VM_SHARED | VM_HUGETLB)))
		newflags |= VM_ACCOUNT;
	unsigned long pgoff = v->vm_pgoff +
			      (unsigned long)((start - v->vm_start) >> PAGE_SHIFT);
	struct vm_area_struct *merged = vma_merge(m, mm, *pprev, start, end,
						  newflags, v->anon_vma,
						  v->vm_file, pgoff);
	if (merged) {
		v = merged;
		*pprev = merged;
		goto success;
	}
	*pprev = v;
	if (start != v->vm_start) {
		rc = split_vma(m, mm, v, start, 1);
		if (rc)
			return rc;
	}
	if (end != v->vm_end) {
		rc = split_vma(m, mm, v, end, 0);
		if (rc)
			return rc;
	}
success:
	v->vm_flags = newflags;
	v->vm_page_prot = protection_map(m, newflags);
	if (vma_wants_writenotify(m, v)) {
		v->vm_page_prot = protection_map(m, newflags & ~VM_SHARED);
		dirty_accountable = true;
	}
	if (TRACING(m)) {
		char fb[160];
		kmem_vm_flags_format(newflags & 0xf, fb, sizeof fb);
		trace_note(m, "mprotect_fixup %#llx-%#llx: %s, pte prot %#llx",
			   (unsigned long long)start, (unsigned long long)end, fb,
			   (unsigned long long)v->vm_page_prot);
	}
	change_protection(m, v, start, end, v->vm_page_prot, dirty_accountable);
	vm_stat_account(mm, oldflags, v->vm_file, -nrpages);
	vm_stat_account(mm, newflags, v->vm_file, nrpages);
	return 0;
}

int __kmem_mprotect(struct machine *m, int pid, uint64_t start, uint64_t len,
		  unsigned prot)
{
	struct task_struct *t = task_with_mm(m, pid, "mprotect");

	if (!t)
		return -ESRCH;
	struct mm_struct *mm = t->mm;
	if (start & (PAGE_SIZE - 1))
		return set_error(m, -EINVAL, "mprotect: %#llx is not page aligned",
				 (unsigned long long)start);
	if (!len)
		return 0;
	len = page_align(len);
	kaddr_t end = start + len;
	if (end <= start)
		return set_error(m, -ENOMEM, "mprotect: range wraps");
	if (prot & ~(KMEM_PROT_READ | KMEM_PROT_WRITE | KMEM_PROT_EXEC))
		return set_error(m, -EINVAL, "mprotect: unknown PROT bits %#x", prot);
	unsigned long vm_flags = prot & (VM_READ | VM_WRITE | VM_EXEC);
	struct vm_area_struct *prev, *v = find_vma_prev(mm, start, &prev);
	if (!v || v->vm_start > start)
		return set_error(m, -ENOMEM, "mprotect: %#llx is not mapped",
				 (unsigned long long)start);

	/* check the whole range before changing any of it */
	long charge = 0;
	unsigned splits = 0;
	kaddr_t at = start;
	for (struct vm_area_struct *w = v; ; w = vma_next(mm, w)) {
		if (!w || w->vm_start > at)
			return set_error(m, -ENOMEM, "mprotect: %#llx-%#llx has a "
					 "hole at %#llx", (unsigned long long)start,
					 (unsigned long long)end,
					 (unsigned long long)at);
		unsigned long nf = vm_flags | (w->vm_flags &
					       ~(VM_READ | VM_WRITE | VM_EXEC));
		if ((nf & ~(nf >> 4)) & (VM_READ | VM_WRITE | VM_EXEC))
			return set_error(m, -EACCES, "mprotect: the vma at %#llx "
					 "may not become %s%s%s",
					 (unsigned long long)w->vm_start,
					 prot & 1 ? "r" : "", prot & 2 ? "w" : "",
					 prot & 4 ? "x" : "");
		kaddr_t e = w->vm_end < end ? w->vm_end : end;
		kaddr_t s = w->vm_start > start ? w->vm_start : start;
		if (nf != w->vm_flags) {
			if ((nf & VM_WRITE) && !(w->vm_flags & (VM_ACCOUNT | VM_WRITE |
							       VM_SHARED)))
				charge += (long)((e - s) >> PAGE_SHIFT);
			splits += (s > w->vm_start) + (e < w->vm_end);
		}
		at = e;
		if (at >= end)
			break;
	}
	if (splits && (int)(mm->map_count + splits) >
	    (int)m->sysctl[SYSCTL_MAX_MAP_COUNT][0])
		return set_error(m, -ENOMEM, "mprotect: %u split%s would pass "
				 "vm.max_map_count", splits, splits == 1 ? "" : "s");
	if (TRACING(m))
		trace_enter(m, "sys_mprotect", "pid %d %#llx-%#llx prot %#x", pid,
			    (unsigned long long)start, (unsigned long long)end, prot);
	if (charge && security_vm_enough_memory(m, mm, charge)) {
		if (TRACING(m))
			trace_exit(m, "-ENOMEM");
		return -ENOMEM;
	}
	if (start > v->vm_start)
		prev = v;
	int rc = 0;
	for (kaddr_t nstart = start; ; ) {
		unsigned long nf = vm_flags | (v->vm_flags &
					       ~(VM_READ | VM_WRITE | VM_EXEC));
		kaddr_t tmp = v->vm_end < end ? v->vm_end : end;
		rc = mprotect_fixup(m, mm, v, &prev, nstart, tmp, nf);
		if (rc)
			break;
		nstart = tmp;
		if (nstart < prev->vm_end)
			nstart = prev->vm_end;
		if (nstart >= end)
			break;
		v = vma_next(mm, prev);
	}
	if (TRACING(m))
		trace_exit(m, "%d", rc);
	return rc;
}
