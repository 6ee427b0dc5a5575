/*
 * page_io.c - swap I/O (Linux 2.6.20 mm/page_io.c), and kmemlab's
 * `swapout` command, which runs reclaim's swap-out steps on chosen pages.
 *
 *   swap_writepage   remove_exclusive_swap_page first (nobody else needs
 *                    the slot: drop it instead of writing); otherwise
 *                    PSWPOUT, 8 sectors of pgpgout, PG_writeback, unlock.
 *                    The caller ends the write (end_page_writeback), as
 *                    the block layer's end_swap_bio_write would.
 *   swap_readpage    PSWPIN, 8 sectors of pgpgin; the read completes at
 *                    once (end_swap_bio_read: uptodate, unlocked).
 *
 * The device keeps what was written: a page whose simulated bytes exist
 * (physmem) has them saved per slot and restored on swap-in, so contents
 * survive a round trip.  Pages never written read back as zeros.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <string.h>

#include "mm.h"

static struct swap_info_struct *device_of(struct machine *m, swp_entry_t e)
{
	struct swap_state *s = m->swap;

	if (swp_type(e) >= s->nr_swapfiles)
		return NULL;
	struct swap_info_struct *si = &s->info[swp_type(e)];
	return swp_offset(e) < si->max ? si : NULL;
}

/* The simulated device's copy of a slot (NULL: zeros). */
static uint8_t **slot_data(struct machine *m, swp_entry_t e, bool create)
{
	struct swap_info_struct *si = device_of(m, e);

	if (!si)
		return NULL;
	if (!si->data) {
		if (!create)
			return NULL;
		si->data = xcalloc(si->max, sizeof *si->data);
	}
	return &si->data[swp_offset(e)];
}

void swap_slot_forget(struct swap_info_struct *si, unsigned long offset)
{
	if (si->data && si->data[offset]) {
		free(si->data[offset]);
		si->data[offset] = NULL;
	}
}

int swap_writepage(struct machine *m, struct page *p)
{
	unsigned long pfn = page_to_pfn(m, p);
	swp_entry_t e = page_swp_entry(p);

	ClearPageFlag(p, PG_dirty);     /* pageout's clear_page_dirty_for_io */
	if (remove_exclusive_swap_page(m, p)) {
		ClearPageFlag(p, PG_locked);
		return 0;
	}
	if (TRACING(m))
		trace_note(m, "swap_writepage: pfn %#lx -> %s slot %lu", pfn,
			   m->swap->info[swp_type(e)].name, swp_offset(e));
	const uint8_t *src = physmem_page(m, pfn, false);
	uint8_t **d = slot_data(m, e, src != NULL);
	if (d) {
		if (src) {
			if (!*d)
				*d = xmalloc(PAGE_SIZE);
			memcpy(*d, src, PAGE_SIZE);
		} else if (*d) {
			free(*d);
			*d = NULL;
		}
	}
	blk_submit_write(m);
	count_vm_events(m, PSWPOUT, 1);
	count_vm_events(m, PGPGOUT, SECTORS_PER_SWAP_PAGE);
	set_page_writeback(m, p);
	ClearPageFlag(p, PG_locked);
	return 0;
}

int swap_readpage(struct machine *m, struct page *p)
{
	unsigned long pfn = page_to_pfn(m, p);
	swp_entry_t e = page_swp_entry(p);
	uint8_t **d = slot_data(m, e, false);

	ClearPageFlag(p, PG_uptodate);
	if (TRACING(m))
		trace_note(m, "swap_readpage: %s slot %lu -> pfn %#lx",
			   m->swap->info[swp_type(e)].name, swp_offset(e), pfn);
	blk_submit_read(m, BLK_SWAP_DEV | swp_type(e), swp_offset(e));
	count_vm_events(m, PSWPIN, 1);
	count_vm_events(m, PGPGIN, SECTORS_PER_SWAP_PAGE);
	if (d && *d)
		memcpy(physmem_page(m, pfn, true), *d, PAGE_SIZE);
	else
		physmem_clear(m, pfn);
	SetPageFlag(p, PG_uptodate);    /* end_swap_bio_read */
	ClearPageFlag(p, PG_locked);
	return 0;
}

/* ------------------------------------------------------------------ */
/* swapout: shrink_page_list's swap path on chosen pages               */
/* ------------------------------------------------------------------ */

enum swapout_result { SO_SWAPPED, SO_KEPT, SO_NOSPACE, SO_SKIPPED };

/*
 * One anonymous page, as shrink_page_list would treat it once it had
 * decided to reclaim it: isolate, lock, add_to_swap, try_to_unmap (a
 * young PTE makes the first pass fail and clears the bit: a second pass
 * stands for the next scan), pageout, remove_mapping, free.
 */
static enum swapout_result swapout_page(struct machine *m, struct page *p,
					const char **why)
{
	unsigned long pfn = page_to_pfn(m, p);

	if (isolate_lru_page(m, p)) {
		*why = "not on an LRU list";
		return SO_SKIPPED;
	}
	if (PageFlag(p, PG_locked) || PageFlag(p, PG_writeback)) {
		putback_lru_page(m, p);
		*why = "locked or under writeback";
		return SO_KEPT;
	}
	SetPageFlag(p, PG_locked);
	if (!PageSwapCache(p) && !add_to_swap(m, p)) {
		ClearPageFlag(p, PG_locked);
		putback_lru_page(m, p);
		*why = "add_to_swap: no free swap slot";
		return SO_NOSPACE;
	}
	int r = try_to_unmap(m, p, false);
	if (r == SWAP_FAIL)
		r = try_to_unmap(m, p, false);
	if (r != SWAP_SUCCESS) {
		ClearPageFlag(p, PG_locked);
		putback_lru_page(m, p);
		*why = r == SWAP_FAIL ? "try_to_unmap: SWAP_FAIL (VM_LOCKED)" :
		       "try_to_unmap: SWAP_AGAIN";
		return SO_KEPT;
	}
	if (PageFlag(p, PG_dirty)) {
		if (p->_count != 2) {   /* is_page_cache_freeable */
			ClearPageFlag(p, PG_locked);
			putback_lru_page(m, p);
			*why = "other references: not written";
			return SO_KEPT;
		}
		swap_writepage(m, p);
		end_page_writeback(m, p);
		SetPageFlag(p, PG_locked);
		if (PageFlag(p, PG_dirty) || !PageSwapCache(p)) {
			ClearPageFlag(p, PG_locked);
			putback_lru_page(m, p);
			*why = "swap_writepage dropped the swap copy";
			return SO_KEPT;
		}
	}
	/* remove_mapping */
	if (p->_count != 2) {
		ClearPageFlag(p, PG_locked);
		putback_lru_page(m, p);
		*why = "written, but other references keep it in the swap cache";
		return SO_KEPT;
	}
	swp_entry_t e = page_swp_entry(p);
	__delete_from_swap_cache(m, p);
	swap_free(m, e);
	p->_count--;
	ClearPageFlag(p, PG_locked);
	ClearPageFlag(p, PG_active);
	ClearPageFlag(p, PG_referenced);
	if (TRACING(m))
		trace_note(m, "swapout: pfn %#lx freed, its data in entry %08x",
			   pfn, e.val);
	put_page(m, p);
	*why = "swapped out";
	return SO_SWAPPED;
}

int kmem_swapout(struct machine *m, int pid, uint64_t addr, uint64_t len,
		 struct kmem_swapout_info *out)
{
	struct kmem_swapout_info tmp;
	struct task_struct *t = task_with_mm(m, pid, "swapout");

	if (!out)
		out = &tmp;
	memset(out, 0, sizeof *out);
	if (!t)
		return -ESRCH;
	if (!len || addr + len < addr || addr + len > t->mm->task_size)
		return set_error(m, -EINVAL, "swapout: range %#llx+%#llx is empty "
				 "or leaves user space", (unsigned long long)addr,
				 (unsigned long long)len);
	if (!total_swap_pages(m))
		return set_error(m, -ENOSPC, "swapout: no swap device is active "
				 "(swapon NAME SIZE first)");
	struct mm_struct *mm = t->mm;
	unsigned esz = pte_size(m);
	int err = 0;

	if (TRACING(m))
		trace_enter(m, "swapout", "pid %d %#llx+%#llx", pid,
			    (unsigned long long)addr, (unsigned long long)len);
	lru_add_drain_all(m);
	kaddr_t end = addr + len;
	for (kaddr_t a = addr & ~(kaddr_t)(PAGE_SIZE - 1); a < end; a += PAGE_SIZE) {
		const char *why = NULL;
		out->pages++;
		uint8_t *pte = pte_offset(m, mm, a, false, &err);
		uint64_t e = pte ? pte_get(pte, esz) : 0;
		struct vm_area_struct *v = find_vma(mm, a);
		struct page *p = NULL;
		if (pte_present(e) && v && v->vm_start <= a)
			p = vm_normal_page(m, v, a, e);
		if (!p || !PageAnon(p) || p->_mapcount < 0) {
			out->skipped++;
			why = is_swap_pte(e) ? "already in swap" :
			      !pte_present(e) ? "not present" : "not anonymous";
		} else {
			switch (swapout_page(m, p, &why)) {
			case SO_SWAPPED:
				out->swapped++;
				break;
			case SO_KEPT:
				out->kept++;
				break;
			case SO_NOSPACE:
				out->nospace++;
				break;
			case SO_SKIPPED:
				out->skipped++;
				break;
			}
		}
		if (TRACING(m))
			trace_note(m, "%#llx: %s", (unsigned long long)a, why);
	}
	if (TRACING(m))
		trace_exit(m, "%lu swapped, %lu kept, %lu skipped, %lu no space",
			   out->swapped, out->kept, out->skipped, out->nospace);
	return 0;
}
