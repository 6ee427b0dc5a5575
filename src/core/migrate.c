/*
 * migrate.c - page migration between nodes (Linux 2.6.20 mm/migrate.c,
 * the sys_migrate_pages path of mm/mempolicy.c).
 *
 *   migrate_prep          lru_add_drain_all: every page onto an LRU
 *   check_range           the task's pages on `from` (vma_migratable),
 *                         mapped once (MPOL_MF_MOVE), not the ZERO_PAGE
 *   isolate_lru_page      off the LRU onto a private list
 *   unmap_and_move        alloc_pages_node(to, GFP_HIGHUSER|GFP_THISNODE),
 *                         migrate_page_move_mapping (radix slot), copy the
 *                         bytes and flags, try_to_unmap + remove_migration
 *                         _ptes (one step here: see rmap.c migrate_ptes),
 *                         the new page onto the LRU, the old one freed
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm.h"

/* Flags migrate_page_copy carries over to the new page. */
#define MIGRATE_FLAGS ((1u << PG_referenced) | (1u << PG_uptodate) | \
		       (1u << PG_active) | (1u << PG_dirty) | \
		       (1u << PG_mappedtodisk) | (1u << PG_checked))

struct mig_list {
	unsigned long *pfns;
	size_t n, cap;
};

struct check_ctx {
	struct vm_area_struct *v;
	int from;
	struct mig_list *list;
	struct kmem_migrate_info *info;
};

static void check_pte(struct machine *m, void *ctx, kaddr_t addr,
		      uint8_t *ptep)
{
	struct check_ctx *c = ctx;
	uint64_t e = pte_get(ptep, pte_size(m));

	if (!(e & _PAGE_PRESENT))
		return;
	struct page *p = vm_normal_page(m, c->v, addr, e);
	if (!p || PageFlag(p, PG_reserved) ||
	    page_to_pfn(m, p) == mms(m)->zero_pfn)
		return;
	if ((int)page_to_nid(p) != c->from)
		return;
	c->info->scanned++;
	if (p->_mapcount > 0) {         /* MPOL_MF_MOVE: ours alone */
		c->info->shared++;
		return;
	}
	if (PageSwapCache(p) || isolate_lru_page(m, p)) {
		c->info->busy++;
		return;
	}
	if (c->list->n == c->list->cap) {
		c->list->cap = c->list->cap ? c->list->cap * 2 : 64;
		c->list->pfns = xrealloc(c->list->pfns,
					 c->list->cap * sizeof *c->list->pfns);
	}
	c->list->pfns[c->list->n++] = page_to_pfn(m, p);
}

/* migrate_page_move_mapping for a page-cache page: the radix slot and
 * the per-zone counters follow the page. */
static void move_mapping(struct machine *m, struct page *old,
			 struct page *newp)
{
	struct kfile *f = mapping_file(m, old);

	if (!f)
		return;
	radix_tree_replace(&f->mapping.page_tree, old->index, newp);
	get_page(newp);                 /* the page cache's reference */
	__mod_zone_page_state(page_zone(m, old), NR_FILE_PAGES, -1);
	__mod_zone_page_state(page_zone(m, newp), NR_FILE_PAGES, 1);
	if (PageFlag(old, PG_dirty) && f->mapping.account_dirty) {
		__mod_zone_page_state(page_zone(m, old), NR_FILE_DIRTY, -1);
		__mod_zone_page_state(page_zone(m, newp), NR_FILE_DIRTY, 1);
	}
	put_page(m, old);               /* the cache let go of old */
}

static int unmap_and_move(struct machine *m, struct page *old, int to)
{
	unsigned long npfn;

	if (PageFlag(old, PG_writeback))
		return -EBUSY;
	if (kmem_alloc_pages(m, to, GFP_HIGHUSER | GFP_THISNODE_NUMA, 0, &npfn))
		return -ENOMEM;
	struct page *newp = pfn_to_page(m, npfn);
	unsigned long opfn = page_to_pfn(m, old);
	const uint8_t *src = physmem_page(m, opfn, false);

	if (src)
		memcpy(physmem_page(m, npfn, true), src, PAGE_SIZE);
	else
		physmem_clear(m, npfn);
	newp->index = old->index;
	if (!PageAnon(old))
		newp->mapping = old->mapping;
	move_mapping(m, old, newp);
	newp->flags |= old->flags & MIGRATE_FLAGS;
	int moved = migrate_ptes(m, old, newp);
	old->flags &= ~MIGRATE_FLAGS;
	old->mapping = 0;
	if (TRACING(m))
		trace_note(m, "unmap_and_move: pfn %#lx (node %u) -> pfn %#lx "
			   "(node %d), %d PTE%s", opfn, page_to_nid(old), npfn,
			   to, moved, moved == 1 ? "" : "s");
	/* move_to_lru(newpage): our allocation reference goes with it */
	putback_lru_page(m, newp);
	put_page(m, old);               /* the isolation reference: freed */
	return 0;
}

int kmem_migrate_pages(struct machine *m, int pid, int from, int to,
		       struct kmem_migrate_info *out)
{
	struct kmem_migrate_info tmp;
	struct task_struct *t = task_with_mm(m, pid, "migrate_pages");

	if (!out)
		out = &tmp;
	memset(out, 0, sizeof *out);
	if (!t)
		return -ESRCH;
	if (from < 0 || from >= (int)m->nr_nodes || to < 0 ||
	    to >= (int)m->nr_nodes)
		return set_error(m, -EINVAL, "migrate_pages: node %d: the machine "
				 "has node%s 0%s%u", from < 0 || from >= (int)m->nr_nodes ?
				 from : to, m->nr_nodes > 1 ? "s" : "",
				 m->nr_nodes > 1 ? "-" : "",
				 m->nr_nodes > 1 ? m->nr_nodes - 1 : 0);
	if (from == to)
		return 0;
	if (TRACING(m))
		trace_enter(m, "sys_migrate_pages", "pid %d, node %d -> node %d",
			    pid, from, to);
	lru_add_drain_all(m);           /* migrate_prep */
	struct mig_list list = { NULL, 0, 0 };
	struct mm_struct *mm = t->mm;
	for (unsigned i = 0; i < mm->map_count; i++) {
		struct vm_area_struct *v = mm->vmas[i];
		if (v->vm_flags & (VM_IO | VM_HUGETLB | VM_PFNMAP | VM_RESERVED))
			continue;       /* !vma_migratable */
		struct check_ctx c = { v, from, &list, out };
		walk_ptes(m, mm, v->vm_start, v->vm_end, check_pte, &c);
	}
	for (size_t i = 0; i < list.n; i++) {
		struct page *p = pfn_to_page(m, list.pfns[i]);
		int rc = unmap_and_move(m, p, to);
		if (!rc) {
			out->moved++;
			continue;
		}
		if (rc == -ENOMEM)
			out->nomem++;
		else
			out->busy++;
		putback_lru_page(m, p);
	}
	free(list.pfns);
	if (TRACING(m))
		trace_exit(m, "%lu moved, %lu shared, %lu busy, %lu without memory",
			   out->moved, out->shared, out->busy, out->nomem);
	return 0;
}
