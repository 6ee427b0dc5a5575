/*
 * rmap.c - reverse mapping: from a page to the PTEs that map it
 * (mm/rmap.c, 2.6.20).
 *
 *   anonymous page:  page->mapping = anon_vma | 1, page->index =
 *                    linear_page_index(vma, addr); the anon_vma lists
 *                    every vma (of every forked mm) that may map it, and
 *                    vma_address() turns index back into an address
 *   file page:       page->mapping = the file's address_space; its i_mmap
 *                    list (a prio tree in the kernel, a list here: same
 *                    answers, linear cost) has the vmas mapping the file
 *
 *   _mapcount: -1 unmapped; page_add_*_rmap increment it, and the -1 -> 0
 *   step counts NR_ANON_PAGES or NR_FILE_MAPPED; page_remove_rmap undoes
 *   it (§14.3).
 *
 * page_referenced and try_to_unmap are what reclaim calls.  An anonymous
 * page can only be unmapped once it is in the swap cache (add_to_swap):
 * each PTE then gets the page's swap entry (one swap_map count each).
 * The swap token's holder has every mapping counted as referenced.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "mm.h"

/* ------------------------------------------------------------------ */
/* anon_vma                                                            */
/* ------------------------------------------------------------------ */

struct anon_vma *anon_vma_of(const struct machine *m, const struct page *p)
{
	const struct mm_state *s = mms(m);
	unsigned id = p->mapping >> 1;

	if (!PageAnon(p) || id >= s->nr_anon_ids)
		return NULL;
	return s->anon_vmas[id];
}

static struct anon_vma *anon_vma_alloc(struct machine *m)
{
	struct mm_state *s = mms(m);
	kaddr_t obj;

	if (kmem_cache_alloc(m, s->cache_anon_vma, GFP_KERNEL, -1, &obj))
		return NULL;
	unsigned id = s->anon_free_hint ? s->anon_free_hint : 1;
	while (id < s->nr_anon_ids && s->anon_vmas[id])
		id++;
	if (id >= s->anon_cap) {
		s->anon_cap = s->anon_cap ? s->anon_cap * 2 : 64;
		s->anon_vmas = xrealloc(s->anon_vmas,
					s->anon_cap * sizeof *s->anon_vmas);
	}
	if (id >= s->nr_anon_ids) {
		for (unsigned i = s->nr_anon_ids; i <= id; i++)
			s->anon_vmas[i] = NULL;
		s->nr_anon_ids = id + 1;
	}
	struct anon_vma *a = xcalloc(1, sizeof *a);
	a->id = id;
	a->obj = obj;
	s->anon_vmas[id] = a;
	s->anon_free_hint = id + 1;
	return a;
}

static void anon_vma_free(struct machine *m, struct anon_vma *a)
{
	struct mm_state *s = mms(m);

	kmem_cache_free(m, s->cache_anon_vma, a->obj);
	s->anon_vmas[a->id] = NULL;
	if (!s->anon_free_hint || a->id < s->anon_free_hint)
		s->anon_free_hint = a->id;
	free(a);
}

static void list_add_head(struct anon_vma *a, struct vm_area_struct *v)
{
	v->anon_prev = NULL;
	v->anon_next = a->head;
	if (a->head)
		a->head->anon_prev = v;
	else
		a->tail = v;
	a->head = v;
}

static void list_add_tail(struct anon_vma *a, struct vm_area_struct *v)
{
	v->anon_next = NULL;
	v->anon_prev = a->tail;
	if (a->tail)
		a->tail->anon_next = v;
	else
		a->head = v;
	a->tail = v;
}

/* anon_vma_compatible / find_mergeable_anon_vma: a neighbour whose pages
 * could have been ours had the vmas been one. */
static struct anon_vma *find_mergeable_anon_vma(struct vm_area_struct *v)
{
	struct vm_area_struct *near = vma_next(v->vm_mm, v);
	unsigned long ign = VM_READ | VM_WRITE | VM_EXEC;

	if (near && v->vm_end == near->vm_start && near->vm_file == v->vm_file &&
	    !((v->vm_flags ^ near->vm_flags) & ~ign) &&
	    near->vm_pgoff == v->vm_pgoff + vma_pages(v) && near->anon_vma)
		return near->anon_vma;
	near = vma_prev(v->vm_mm, v);
	if (near && near->vm_end == v->vm_start && near->vm_file == v->vm_file &&
	    !((v->vm_flags ^ near->vm_flags) & ~ign) &&
	    v->vm_pgoff == near->vm_pgoff + vma_pages(near) && near->anon_vma)
		return near->anon_vma;
	return NULL;
}

/* anon_vma_prepare: make sure v has an anon_vma before its first anon
 * page.  -ENOMEM when none can be allocated. */
int anon_vma_prepare(struct machine *m, struct vm_area_struct *v)
{
	if (v->anon_vma)
		return 0;
	struct anon_vma *a = find_mergeable_anon_vma(v);
	if (!a) {
		a = anon_vma_alloc(m);
		if (!a)
			return -ENOMEM;
		if (TRACING(m))
			trace_note(m, "anon_vma_prepare: new anon_vma %u", a->id);
	} else if (TRACING(m)) {
		trace_note(m, "anon_vma_prepare: share neighbour's anon_vma %u",
			   a->id);
	}
	v->anon_vma = a;
	list_add_head(a, v);
	return 0;
}

/* anon_vma_link / __anon_vma_link: v (a copy) joins its anon_vma. */
void anon_vma_link(struct machine *m, struct vm_area_struct *v)
{
	(void)m;
	if (v->anon_vma)
		list_add_tail(v->anon_vma, v);
}

/* anon_vma_unlink: v leaves; the last one out frees the anon_vma. */
void anon_vma_unlink(struct machine *m, struct vm_area_struct *v)
{
	struct anon_vma *a = v->anon_vma;

	if (!a)
		return;
	if (v->anon_prev)
		v->anon_prev->anon_next = v->anon_next;
	else
		a->head = v->anon_next;
	if (v->anon_next)
		v->anon_next->anon_prev = v->anon_prev;
	else
		a->tail = v->anon_prev;
	v->anon_next = v->anon_prev = NULL;
	if (!a->head)
		anon_vma_free(m, a);
}

/* ------------------------------------------------------------------ */
/* Adding and removing mappings                                        */
/* ------------------------------------------------------------------ */

static void __page_set_anon_rmap(struct machine *m, struct page *p,
				 struct vm_area_struct *v, kaddr_t addr)
{
	p->mapping = (v->anon_vma->id << 1) | PAGE_MAPPING_ANON;
	p->index = (uint32_t)linear_page_index(v, addr);
	__mod_zone_page_state(page_zone(m, p), NR_ANON_PAGES, 1);
}

void page_add_new_anon_rmap(struct machine *m, struct page *p,
			    struct vm_area_struct *v, kaddr_t addr)
{
	p->_mapcount = 0;
	__page_set_anon_rmap(m, p, v, addr);
	if (TRACING(m)) {
		trace_enter(m, "page_add_new_anon_rmap", "pfn %#lx, anon_vma %u, "
			    "index %#x", page_to_pfn(m, p), v->anon_vma->id,
			    p->index);
		trace_exit(m, "mapcount 1, nr_anon_pages +1");
	}
}

void page_add_anon_rmap(struct machine *m, struct page *p,
			struct vm_area_struct *v, kaddr_t addr)
{
	if (++p->_mapcount == 0)
		__page_set_anon_rmap(m, p, v, addr);
}

void page_add_file_rmap(struct machine *m, struct page *p)
{
	if (++p->_mapcount == 0)
		__mod_zone_page_state(page_zone(m, p), NR_FILE_MAPPED, 1);
}

/* page_dup_rmap (fork): one more mapping, never the first. */
void page_dup_rmap(struct page *p)
{
	p->_mapcount++;
}

void page_remove_rmap(struct machine *m, struct page *p)
{
	if (--p->_mapcount < 0)
		__mod_zone_page_state(page_zone(m, p), PageAnon(p) ?
				      NR_ANON_PAGES : NR_FILE_MAPPED, -1);
}

/* ------------------------------------------------------------------ */
/* Walking the mappings of a page                                      */
/* ------------------------------------------------------------------ */

/*
 * vma_address: where v maps p, or -EFAULT (as an address) if it cannot.
 * page->index has 32 bits here, and an x86_64 anonymous vma's vm_pgoff
 * (its address >> 12) needs 35: index keeps the low 32 bits of
 * linear_page_index and the offset is taken modulo 2^32, which is exact
 * for any vma below 16 TiB.
 */
kaddr_t vma_address(const struct page *p, const struct vm_area_struct *v)
{
	uint32_t delta = p->index - (uint32_t)v->vm_pgoff;

	if (delta >= vma_pages(v))
		return (kaddr_t)-EFAULT;
	return v->vm_start + ((kaddr_t)delta << PAGE_SHIFT);
}

/* page_check_address: the PTE at addr in mm if it maps p. */
static uint8_t *page_check_address(struct machine *m, struct page *p,
				   struct mm_struct *mm, kaddr_t addr)
{
	int err = 0;
	uint8_t *pte = pte_offset(m, mm, addr, false, &err);

	if (!pte)
		return NULL;
	uint64_t e = pte_get(pte, pte_size(m));
	if (!pte_present(e) || pte_pfn(e) != page_to_pfn(m, p))
		return NULL;
	return pte;
}

typedef int (*rmap_one_fn)(struct machine *m, struct page *p,
			   struct vm_area_struct *v, kaddr_t addr,
			   uint8_t *pte, void *ctx);

/* One VMA of a walk: find the PTE mapping p there and call fn.  Adds
 * fn's result to *sum; returns true when fn asked to stop (r < 0). */
static bool rmap_one(struct machine *m, struct page *p,
		     struct vm_area_struct *v, rmap_one_fn fn, void *ctx,
		     int *sum)
{
	kaddr_t addr = vma_address(p, v);

	if (addr == (kaddr_t)-EFAULT)
		return false;
	uint8_t *pte = page_check_address(m, p, v->vm_mm, addr);
	if (!pte)
		return false;
	int r = fn(m, p, v, addr, pte, ctx);
	if (r < 0)
		return true;
	*sum += r;
	return false;
}

/* Call fn for every (vma, PTE) mapping p; stops when fn returns < 0.
 * Returns the sum of fn's results. */
static int rmap_walk(struct machine *m, struct page *p, rmap_one_fn fn,
		     void *ctx, bool shared_only)
{
	int sum = 0;

	if (PageAnon(p)) {
		struct anon_vma *a = anon_vma_of(m, p);
		for (struct vm_area_struct *v = a ? a->head : NULL; v;
		     v = v->anon_next)
			if (rmap_one(m, p, v, fn, ctx, &sum))
				break;
		return sum;
	}
	struct kfile *f = mapping_file(m, p);
	if (!f)
		return 0;
	for (struct vm_area_struct *v = f->mapping.i_mmap_head; v;
	     v = v->i_mmap_next) {
		if (shared_only && !(v->vm_flags & VM_SHARED))
			continue;
		if (rmap_one(m, p, v, fn, ctx, &sum))
			break;
	}
	return sum;
}

/*
 * page_referenced(page, is_locked): how many young PTEs were cleared
 * through rmap, plus one if PG_referenced was set (it is cleared).
 */
int page_referenced(struct machine *m, struct page *p, bool is_locked)
{
	int referenced = 0;

	(void)is_locked;
	if (PageFlag(p, PG_referenced)) {
		ClearPageFlag(p, PG_referenced);
		referenced++;
	}
	if (p->_mapcount >= 0 && p->mapping) {
		/* page_referenced_anon / _file: clear young bits until
		 * every mapping has been seen */
		struct { int left; } c = { p->_mapcount + 1 };
		int sum = 0;
		if (PageAnon(p)) {
			struct anon_vma *a = anon_vma_of(m, p);
			for (struct vm_area_struct *v = a ? a->head : NULL;
			     v && c.left > 0; v = v->anon_next) {
				kaddr_t addr = vma_address(p, v);
				if (addr == (kaddr_t)-EFAULT)
					continue;
				uint8_t *pte = page_check_address(m, p, v->vm_mm,
								  addr);
				if (!pte)
					continue;
				uint64_t e = pte_get(pte, pte_size(m));
				if (e & _PAGE_ACCESSED) {
					pte_set(pte, pte_size(m), e & ~_PAGE_ACCESSED);
					sum++;
				}
				/* the token holder is taken to be in the
				 * middle of a fault (mmap_sem held) */
				if (has_swap_token(m, v->vm_mm)) {
					sum++;
					if (TRACING(m))
						trace_note(m, "page_referenced: pfn "
							   "%#lx: swap token holder",
							   page_to_pfn(m, p));
				}
				c.left--;
			}
		} else {
			struct kfile *f = mapping_file(m, p);
			for (struct vm_area_struct *v = f ? f->mapping.i_mmap_head :
			     NULL; v && c.left > 0; v = v->i_mmap_next) {
				kaddr_t addr = vma_address(p, v);
				if (addr == (kaddr_t)-EFAULT)
					continue;
				if ((v->vm_flags & (VM_LOCKED | VM_MAYSHARE)) ==
				    (VM_LOCKED | VM_MAYSHARE)) {
					sum++;
					break;
				}
				uint8_t *pte = page_check_address(m, p, v->vm_mm,
								  addr);
				if (!pte)
					continue;
				uint64_t e = pte_get(pte, pte_size(m));
				if (e & _PAGE_ACCESSED) {
					pte_set(pte, pte_size(m), e & ~_PAGE_ACCESSED);
					sum++;
				}
				if (has_swap_token(m, v->vm_mm))
					sum++;
				c.left--;
			}
		}
		referenced += sum;
	}
	if (TRACING(m))
		trace_note(m, "page_referenced: pfn %#lx -> %d", page_to_pfn(m, p),
			   referenced);
	return referenced;
}

/* try_to_unmap_one: SWAP_FAIL for a locked vma or a young PTE. */
static int unmap_one(struct machine *m, struct page *p,
		     struct vm_area_struct *v, kaddr_t addr, uint8_t *pte,
		     void *ctx)
{
	int *ret = ctx;
	unsigned esz = pte_size(m);
	uint64_t e = pte_get(pte, esz);
	struct mm_struct *mm = v->vm_mm;

	(void)addr;
	if ((v->vm_flags & VM_LOCKED) || (e & _PAGE_ACCESSED)) {
		if (e & _PAGE_ACCESSED)
			pte_set(pte, esz, e & ~_PAGE_ACCESSED);
		*ret = SWAP_FAIL;
		return -1;
	}
	pte_set(pte, esz, 0);           /* ptep_clear_flush */
	if (e & _PAGE_DIRTY)
		set_page_dirty(m, p);
	update_hiwater_rss(mm);
	if (PageAnon(p)) {
		/* leave the swap entry behind: one more count for it */
		swp_entry_t entry = page_swp_entry(p);
		swap_duplicate(m, entry);
		pte_set(pte, esz, swp_entry_to_pte(m, entry));
		mm->anon_rss--;
	} else {
		mm->file_rss--;
	}
	page_remove_rmap(m, p);
	put_page(m, p);
	return 0;
}

/*
 * try_to_unmap(page, migration): SWAP_SUCCESS when no PTE maps the page
 * any more, SWAP_AGAIN when some remain, SWAP_FAIL when a mapping must
 * stay (VM_LOCKED, recently referenced, or an anonymous page that has
 * no swap entry to leave behind).
 */
int try_to_unmap(struct machine *m, struct page *p, bool migration)
{
	int ret = SWAP_AGAIN;

	(void)migration;
	if (PageAnon(p) && !PageSwapCache(p)) {
		/* the kernel BUG()s here: reclaim always adds to swap first */
		if (TRACING(m))
			trace_note(m, "try_to_unmap: anonymous pfn %#lx has no swap "
				   "entry (not in the swap cache)",
				   page_to_pfn(m, p));
		return p->_mapcount < 0 ? SWAP_SUCCESS : SWAP_FAIL;
	}
	rmap_walk(m, p, unmap_one, &ret, false);
	if (p->_mapcount < 0)
		ret = SWAP_SUCCESS;
	if (TRACING(m))
		trace_note(m, "try_to_unmap: pfn %#lx -> %s", page_to_pfn(m, p),
			   ret == SWAP_SUCCESS ? "SWAP_SUCCESS" :
			   ret == SWAP_AGAIN ? "SWAP_AGAIN" : "SWAP_FAIL");
	return ret;
}

/* page_mkclean_one: write-protect and clean a shared PTE. */
static int mkclean_one(struct machine *m, struct page *p,
		       struct vm_area_struct *v, kaddr_t addr, uint8_t *pte,
		       void *ctx)
{
	unsigned esz = pte_size(m);
	uint64_t e = pte_get(pte, esz);

	(void)p;
	(void)v;
	(void)addr;
	(void)ctx;
	if (!(e & (_PAGE_DIRTY | _PAGE_RW)))
		return 0;
	pte_set(pte, esz, e & ~(_PAGE_DIRTY | _PAGE_RW));
	return 1;
}

/* page_mkclean: before writeback, so the next write faults again. */
int page_mkclean(struct machine *m, struct page *p)
{
	if (p->_mapcount < 0 || PageAnon(p))
		return 0;
	return rmap_walk(m, p, mkclean_one, NULL, true);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

struct users_ctx {
	struct kmem_page_user *out;
	size_t max, n;
};

static int user_one(struct machine *m, struct page *p,
		    struct vm_area_struct *v, kaddr_t addr, uint8_t *pte,
		    void *ctx)
{
	struct users_ctx *u = ctx;
	uint64_t e = pte_get(pte, pte_size(m));

	(void)p;
	if (u->n < u->max) {
		struct kmem_page_user *o = &u->out[u->n];
		o->pid = 0;
		for (size_t i = 0; i < mms(m)->nr_tasks; i++)
			if (mms(m)->tasks[i]->mm == v->vm_mm) {
				o->pid = mms(m)->tasks[i]->pid;
				break;
			}
		o->addr = addr;
		o->vma_start = v->vm_start;
		o->writable = e & _PAGE_RW;
		o->young = e & _PAGE_ACCESSED;
		o->dirty = e & _PAGE_DIRTY;
	}
	u->n++;
	return 0;
}

static int user_page(struct machine *m, unsigned long pfn, struct page **pp)
{
	if (pfn >= m->max_pfn)
		return set_error(m, -EINVAL, "pfn %#lx is beyond the end of memory",
				 pfn);
	*pp = pfn_to_page(m, pfn);
	return 0;
}

int kmem_page_rmap(struct machine *m, unsigned long pfn,
		   struct kmem_page_rmap *out, struct kmem_page_user *users,
		   size_t max)
{
	struct page *p = NULL;
	int rc = user_page(m, pfn, &p);

	if (rc)
		return rc;
	memset(out, 0, sizeof *out);
	out->mapcount = p->_mapcount + 1;
	out->count = p->_count;
	out->index = p->index;
	if (!m->mms || !mms(m)->caches_ready)
		return 0;
	if (pfn == mms(m)->zero_pfn) {
		out->kind = KMEM_PAGE_KIND_ZERO;
		return 0;
	}
	if (PageAnon(p) && anon_vma_of(m, p) && p->_mapcount >= 0) {
		out->kind = KMEM_PAGE_KIND_ANON;
		out->anon_vma = p->mapping >> 1;
	} else {
		struct kfile *f = mapping_file(m, p);
		if (!f || !PageFlag(p, PG_uptodate) ||
		    radix_tree_lookup(&f->mapping.page_tree, p->index) != p)
			return 0;
		out->kind = f->shmem ? KMEM_PAGE_KIND_SHMEM : KMEM_PAGE_KIND_FILE;
		snprintf(out->file, sizeof out->file, "%s",
			 f->shmem ? "/dev/zero" : f->name);
	}
	struct users_ctx u = { users, users ? max : 0, 0 };
	if (p->_mapcount >= 0)
		rmap_walk(m, p, user_one, &u, false);
	out->nr_users = u.n;
	return 0;
}

static int rmap_target(struct machine *m, unsigned long pfn, struct page **pp,
		       const char *op)
{
	int rc = user_page(m, pfn, pp);

	if (rc)
		return rc;
	if (!m->mms || !mms(m)->caches_ready || !(*pp)->mapping ||
	    pfn == mms(m)->zero_pfn ||
	    (PageAnon(*pp) ? !anon_vma_of(m, *pp) : !mapping_file(m, *pp)))
		return set_error(m, -EINVAL, "%s: pfn %#lx is neither an "
				 "anonymous nor a page-cache page", op, pfn);
	return 0;
}

int kmem_page_referenced(struct machine *m, unsigned long pfn, int *refs)
{
	struct page *p = NULL;
	int rc = rmap_target(m, pfn, &p, "page_referenced");

	if (rc)
		return rc;
	*refs = page_referenced(m, p, false);
	return 0;
}

int kmem_try_to_unmap(struct machine *m, unsigned long pfn, int *result)
{
	struct page *p = NULL;
	int rc = rmap_target(m, pfn, &p, "try_to_unmap");

	if (rc)
		return rc;
	*result = try_to_unmap(m, p, false);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Page migration (mm/migrate.c's use of rmap)                         */
/* ------------------------------------------------------------------ */

struct migrate_ctx {
	struct page *newp;
	unsigned long newpfn;
};

static int migrate_one(struct machine *m, struct page *p,
		       struct vm_area_struct *v, kaddr_t addr, uint8_t *pte,
		       void *ctx)
{
	struct migrate_ctx *c = ctx;
	unsigned esz = pte_size(m);
	uint64_t e = pte_get(pte, esz);

	pte_set(pte, esz, (e & ~PTE_PFN_MASK) |
		((uint64_t)c->newpfn << PAGE_SHIFT));
	get_page(c->newp);
	if (PageAnon(p))
		page_add_anon_rmap(m, c->newp, v, addr);
	else
		page_add_file_rmap(m, c->newp);
	page_remove_rmap(m, p);
	put_page(m, p);                 /* the caller's isolation ref stays */
	return 1;
}

/*
 * try_to_unmap(page, 1) followed by remove_migration_ptes(old, new): the
 * kernel parks a migration entry in every PTE while it copies.  The copy
 * happens inside one command here, so nobody can fault on the entry and
 * the two steps collapse: every PTE mapping old is pointed at new, with
 * its other bits kept.  Returns the PTEs moved.
 */
int migrate_ptes(struct machine *m, struct page *old, struct page *newp)
{
	struct migrate_ctx c = { newp, page_to_pfn(m, newp) };

	return rmap_walk(m, old, migrate_one, &c, false);
}
