/*
 * swapfile.c - swap devices and their slots (Linux 2.6.20 mm/swapfile.c,
 * include/linux/swap.h, swapops.h, asm-{i386,x86_64}/pgtable*.h).
 *
 *   swap_info[type]  one per device; the active ones are chained by prio
 *                    (highest first) from swap_list.head through ->next
 *
 *   swap_map[]       slot 0  SWAP_MAP_BAD (the header page mkswap wrote)
 *                    slot n  0 free, else one count per swap PTE holding
 *                            swp_entry(type, n) plus one while a page
 *                            caches it; SWAP_MAP_MAX (0x7fff) is sticky
 *
 *   get_swap_page    walks swap_list from .next: equal priorities take
 *                    turns, a lower priority is only used when every
 *                    higher device is full; scan_swap_map hands out runs
 *                    of SWAPFILE_CLUSTER (256) consecutive free slots
 *
 * The device is simulated: NAME and SIZE are all there is.  A name under
 * /dev/ is a partition, anything else a file; either way mkswap is taken
 * to have written a version-2 header with no bad pages over SIZE bytes,
 * so last_page = SIZE/4096 - 1 and 2.6.20's sys_swapon makes max =
 * last_page and pages = last_page - 1 (a 64 MiB file shows 65528 kB).
 * swap_map is vmalloc'd in the machine, as the kernel does, and shadowed
 * by a host array.
 *
 * swapoff runs try_to_unuse: every used slot is read back into the swap
 * cache and put into every PTE holding it (all tasks' page tables, in pid
 * order; the kernel walks its mmlist), then dropped from the cache.  When
 * a page cannot be allocated it stops with -ENOMEM and the device goes
 * back on the list, still holding the slots it did not get to.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "mm.h"

/* kmemlab's own limit: the host shadows each slot (64 GiB = 32 MiB of
 * swap_map); 2.6.20 allows 2^24 - 2 slots on i386, 2^27 - 2 with PAE and
 * (our 32-bit swp_entry_t) on x86_64. */
#define KMEMLAB_SWAP_MAX_SLOTS (1UL << 24)

static inline struct swap_state *sws(const struct machine *m)
{
	return m->swap;
}

void swap_init(struct machine *m)
{
	struct swap_state *s = xcalloc(1, sizeof *s);

	s->list_head = s->list_next = -1;
	s->token_enabled = true;
	for (int i = 0; i < MAX_SWAPFILES; i++)
		s->info[i].next = -1;
	m->swap = s;
}

/* The host side of a device (swap_map and the written slots). */
static void free_device(struct swap_info_struct *si)
{
	if (si->data)
		for (unsigned long i = 0; i < si->max; i++)
			free(si->data[i]);
	free(si->data);
	free(si->swap_map);
	si->data = NULL;
	si->swap_map = NULL;
}

/* The host side of swapper_space's radix tree nodes (the simulated
 * objects go with the machine). */
static void free_tree_nodes(struct radix_tree_node *n)
{
	if (n->height > 1)
		for (unsigned k = 0; k < RADIX_TREE_MAP_SIZE; k++)
			if (n->slots[k])
				free_tree_nodes(n->slots[k]);
	free(n);
}

void swap_destroy(struct machine *m)
{
	struct swap_state *s = sws(m);

	if (!s)
		return;
	if (s->swapper_space.height && s->swapper_space.rnode)
		free_tree_nodes(s->swapper_space.rnode);
	for (int i = 0; i < MAX_SWAPFILES; i++)
		free_device(&s->info[i]);
	free(s);
	m->swap = NULL;
}

/* MAX_SWAPFILES less the two migration types when CONFIG_MIGRATION
 * (NUMA builds) reserves them. */
static unsigned max_swapfiles(const struct machine *m)
{
	return m->numa ? MAX_SWAPFILES - 2 : MAX_SWAPFILES;
}

long nr_swap_pages(const struct machine *m)
{
	return sws(m) ? sws(m)->nr_swap_pages : 0;
}

unsigned long total_swap_pages(const struct machine *m)
{
	return sws(m) ? sws(m)->total_swap_pages : 0;
}

bool vm_swap_full(const struct machine *m)
{
	return nr_swap_pages(m) * 2 < (long)total_swap_pages(m);
}

/* ------------------------------------------------------------------ */
/* PTE encodings (§9.3)                                                */
/* ------------------------------------------------------------------ */

uint64_t swp_entry_to_pte(const struct machine *m, swp_entry_t e)
{
	uint64_t type = swp_type(e), off = swp_offset(e);

	if (m->arch == KMEM_ARCH_I386 && m->pae)
		return (type | off << 5) << 32;         /* pte_high */
	if (m->arch == KMEM_ARCH_I386)
		return (uint32_t)((type & 0x1f) << 1 | off << 8);
	return (type & 0x3f) << 1 | off << 8;
}

swp_entry_t pte_to_swp_entry(const struct machine *m, uint64_t pte)
{
	if (m->arch == KMEM_ARCH_I386 && m->pae) {
		uint32_t high = (uint32_t)(pte >> 32);
		return swp_entry(high & 0x1f, high >> 5);
	}
	if (m->arch == KMEM_ARCH_I386)
		return swp_entry((unsigned)(pte >> 1) & 0x1f,
				 (unsigned long)((uint32_t)pte >> 8));
	return swp_entry((unsigned)(pte >> 1) & 0x3f, (unsigned long)(pte >> 8));
}

/* sys_swapon's maxpages limit: the largest offset that survives the
 * round trip through a PTE, minus one. */
static unsigned long arch_max_swap_offset(const struct machine *m)
{
	swp_entry_t e = pte_to_swp_entry(m, swp_entry_to_pte(m,
					 swp_entry(0, ~0UL)));
	return swp_offset(e) - 1;
}

/* ------------------------------------------------------------------ */
/* Slots                                                               */
/* ------------------------------------------------------------------ */

/*
 * swap_info_get: the device of a live entry, or NULL after the kernel's
 * "swap_free: ..." complaint.
 */
static struct swap_info_struct *swap_info_get(struct machine *m,
					      swp_entry_t e, bool quiet)
{
	struct swap_state *s = sws(m);
	const char *why;
	unsigned type = swp_type(e);

	if (!e.val)
		goto out;
	if (type >= s->nr_swapfiles) {
		why = "Bad swap file entry ";
		goto bad;
	}
	struct swap_info_struct *si = &s->info[type];
	if (!(si->flags & SWP_USED)) {
		why = "Unused swap file entry ";
		goto bad;
	}
	if (swp_offset(e) >= si->max) {
		why = "Bad swap offset entry ";
		goto bad;
	}
	if (!si->swap_map[swp_offset(e)]) {
		why = "Unused swap offset entry ";
		goto bad;
	}
	return si;
bad:
	if (!quiet)
		printk(m, KERN_ERR, "swap_free: %s%08x", why, e.val);
out:
	return NULL;
}

unsigned swap_count(const struct machine *m, swp_entry_t e)
{
	const struct swap_state *s = sws(m);
	unsigned type = swp_type(e);

	if (!s || type >= s->nr_swapfiles || !(s->info[type].flags & SWP_USED) ||
	    swp_offset(e) >= s->info[type].max)
		return 0;
	return s->info[type].swap_map[swp_offset(e)];
}

/* scan_swap_map (§9.2): a free slot, preferring the current cluster;
 * 0 when the device has none. */
static unsigned long scan_swap_map(struct swap_info_struct *si)
{
	unsigned long offset, last_in_cluster;

	if (!(si->flags & SWP_WRITEOK) || !si->highest_bit ||
	    si->inuse_pages >= si->pages)
		return 0;
	if (!si->cluster_nr) {
		si->cluster_nr = SWAPFILE_CLUSTER - 1;
		if (si->pages - si->inuse_pages < SWAPFILE_CLUSTER)
			goto lowest;
		offset = si->lowest_bit;
		last_in_cluster = offset + SWAPFILE_CLUSTER - 1;
		for (; last_in_cluster <= si->highest_bit; offset++) {
			if (si->swap_map[offset])
				last_in_cluster = offset + SWAPFILE_CLUSTER;
			else if (offset == last_in_cluster) {
				si->cluster_next = offset - SWAPFILE_CLUSTER + 1;
				goto cluster;
			}
		}
		goto lowest;
	}
	si->cluster_nr--;
cluster:
	offset = si->cluster_next;
	if (offset > si->highest_bit)
lowest:
		offset = si->lowest_bit;
	for (;;) {
		if (!si->swap_map[offset]) {
			if (offset == si->lowest_bit)
				si->lowest_bit++;
			if (offset == si->highest_bit)
				si->highest_bit--;
			si->inuse_pages++;
			if (si->inuse_pages == si->pages) {
				si->lowest_bit = si->max;
				si->highest_bit = 0;
			}
			si->swap_map[offset] = 1;
			si->cluster_next = offset + 1;
			return offset;
		}
		/* scan forward to highest_bit, then wrap to lowest_bit */
		if (++offset > si->highest_bit)
			offset = si->lowest_bit;
	}
}

swp_entry_t get_swap_page(struct machine *m)
{
	struct swap_state *s = sws(m);
	swp_entry_t none = { 0 };
	int type, next, wrapped = 0;

	if (s->nr_swap_pages <= 0)
		return none;
	s->nr_swap_pages--;
	for (type = s->list_next; type >= 0 && wrapped < 2; type = next) {
		struct swap_info_struct *si = &s->info[type];
		next = si->next;
		if (next < 0 || (!wrapped && si->prio != s->info[next].prio)) {
			next = s->list_head;
			wrapped++;
		}
		if (!si->highest_bit || !(si->flags & SWP_WRITEOK))
			continue;
		s->list_next = next;
		unsigned long offset = scan_swap_map(si);
		if (offset) {
			swp_entry_t e = swp_entry((unsigned)type, offset);
			if (TRACING(m))
				trace_note(m, "get_swap_page: %s slot %lu (entry "
					   "%08x), cluster_nr %lu", si->name,
					   offset, e.val, si->cluster_nr);
			return e;
		}
		next = s->list_next;
	}
	s->nr_swap_pages++;
	return none;
}

/* swap_entry_free: one reference less; returns the new count. */
static unsigned swap_entry_free(struct swap_state *s,
				struct swap_info_struct *si, unsigned long offset)
{
	unsigned count = si->swap_map[offset];

	if (count < SWAP_MAP_MAX) {
		count--;
		si->swap_map[offset] = (uint16_t)count;
		if (!count) {
			if (offset < si->lowest_bit)
				si->lowest_bit = offset;
			if (offset > si->highest_bit)
				si->highest_bit = offset;
			if (s->list_next >= 0 &&
			    si->prio > s->info[s->list_next].prio)
				s->list_next = (int)(si - s->info);
			s->nr_swap_pages++;
			si->inuse_pages--;
			swap_slot_forget(si, offset);
		}
	}
	return count;
}

void swap_free(struct machine *m, swp_entry_t e)
{
	struct swap_info_struct *si = swap_info_get(m, e, false);

	if (si)
		swap_entry_free(sws(m), si, swp_offset(e));
}

int swap_duplicate(struct machine *m, swp_entry_t e)
{
	struct swap_state *s = sws(m);
	unsigned type = swp_type(e);

	if (type >= s->nr_swapfiles) {
		printk(m, KERN_ERR, "swap_dup: Bad swap file entry %08x", e.val);
		return 0;
	}
	struct swap_info_struct *si = &s->info[type];
	unsigned long offset = swp_offset(e);
	if (offset >= si->max || !si->swap_map || !si->swap_map[offset])
		return 0;
	uint16_t *c = &si->swap_map[offset];
	if (*c < SWAP_MAP_MAX - 1) {
		(*c)++;
		return 1;
	}
	if (*c <= SWAP_MAP_MAX) {
		if (s->swap_overflow++ < 5)
			printk(m, KERN_WARNING, "swap_dup: swap entry overflow");
		*c = SWAP_MAP_MAX;
		return 1;
	}
	return 0;
}

/* page_swapcount: swap PTEs holding the page's entry (the cache's own
 * count left out). */
static unsigned page_swapcount(struct machine *m, struct page *p)
{
	struct swap_info_struct *si = swap_info_get(m, page_swp_entry(p), true);

	return si ? si->swap_map[swp_offset(page_swp_entry(p))] - 1u : 0;
}

bool can_share_swap_page(struct machine *m, struct page *p)
{
	unsigned count = (unsigned)(p->_mapcount + 1);

	if (count <= 1 && PageSwapCache(p))
		count += page_swapcount(m, p);
	return count == 1;
}

int remove_exclusive_swap_page(struct machine *m, struct page *p)
{
	if (!PageSwapCache(p) || PageFlag(p, PG_writeback) || p->_count != 2)
		return 0;
	swp_entry_t e = page_swp_entry(p);
	struct swap_info_struct *si = swap_info_get(m, e, false);
	if (!si || si->swap_map[swp_offset(e)] != 1)
		return 0;
	__delete_from_swap_cache(m, p);
	SetPageFlag(p, PG_dirty);
	swap_free(m, e);
	put_page(m, p);                 /* the cache's reference */
	if (TRACING(m))
		trace_note(m, "remove_exclusive_swap_page: pfn %#lx leaves the swap "
			   "cache, entry %08x freed", page_to_pfn(m, p), e.val);
	return 1;
}

void free_swap_and_cache(struct machine *m, swp_entry_t e)
{
	struct swap_info_struct *si = swap_info_get(m, e, false);
	struct page *p = NULL;

	if (!si)
		return;
	if (swap_entry_free(sws(m), si, swp_offset(e)) == 1) {
		p = radix_tree_lookup(&sws(m)->swapper_space, e.val);
		if (p && PageFlag(p, PG_locked))
			p = NULL;
	}
	if (!p)
		return;
	get_page(p);                    /* find_get_page */
	bool one_user = p->_count == 2;
	if (PageSwapCache(p) && !PageFlag(p, PG_writeback) &&
	    (one_user || vm_swap_full(m))) {
		if (TRACING(m))
			trace_note(m, "free_swap_and_cache: entry %08x: pfn %#lx "
				   "leaves the swap cache", e.val, page_to_pfn(m, p));
		delete_from_swap_cache(m, p);
		SetPageFlag(p, PG_dirty);
	}
	put_page(m, p);
}

/* valid_swaphandles (§9.5) */
int valid_swaphandles(struct machine *m, swp_entry_t e, unsigned long *offset)
{
	struct swap_state *s = sws(m);
	int pc = (int)m->sysctl[SYSCTL_PAGE_CLUSTER][0];
	int ret = 0, i = 1 << pc;
	unsigned long toff;
	struct swap_info_struct *si = &s->info[swp_type(e)];

	toff = (swp_offset(e) >> pc) << pc;
	if (!toff) {                    /* the header page is not read */
		toff++;
		i--;
	}
	*offset = toff;
	do {
		if (toff >= si->max)
			break;
		if (!si->swap_map[toff] || si->swap_map[toff] == SWAP_MAP_BAD)
			break;
		toff++;
		ret++;
	} while (--i);
	return ret;
}

/* ------------------------------------------------------------------ */
/* swapon                                                              */
/* ------------------------------------------------------------------ */

static struct swap_info_struct *find_device(struct machine *m,
					    const char *name)
{
	struct swap_state *s = sws(m);

	for (unsigned t = 0; t < s->nr_swapfiles; t++)
		if ((s->info[t].flags & SWP_USED) && !strcmp(s->info[t].name, name))
			return &s->info[t];
	return NULL;
}

int kmem_swapon(struct machine *m, const char *name, uint64_t size,
		int priority, bool prefer)
{
	struct swap_state *s = sws(m);
	unsigned type;

	if (!name || !*name || strlen(name) >= sizeof s->info[0].name ||
	    strchr(name, ' '))
		return set_error(m, -EINVAL, "swapon: the name must be 1 to 63 "
				 "characters without spaces");
	if (find_device(m, name))
		return set_error(m, -EBUSY, "swapon: %s: Device or resource busy "
				 "(already a swap device)", name);
	for (type = 0; type < s->nr_swapfiles; type++)
		if (!(s->info[type].flags & SWP_USED))
			break;
	if (type >= max_swapfiles(m))
		return set_error(m, -EPERM, "swapon: %s: Operation not permitted "
				 "(MAX_SWAPFILES %u devices already)", name,
				 max_swapfiles(m));
	if (prefer && (priority < 0 || priority > SWAP_FLAG_PRIO_MASK))
		return set_error(m, -EINVAL, "swapon: priority %d is outside "
				 "0..%d", priority, SWAP_FLAG_PRIO_MASK);
	if (size % PAGE_SIZE)
		return set_error(m, -EINVAL, "swapon: size %#llx is not a "
				 "multiple of the page size",
				 (unsigned long long)size);
	uint64_t npages = size / PAGE_SIZE;
	/* mkswap: last_page = npages - 1; sys_swapon: maxpages = last_page
	 * (capped by the PTE encoding), pages = last_page - 1 */
	unsigned long limit = arch_max_swap_offset(m);
	if (npages < 3)
		return set_error(m, -EINVAL, "swapon: %s: Empty swap-file "
				 "(%llu pages: the header page and at least "
				 "one more are needed, 3 pages minimum)", name,
				 (unsigned long long)npages);
	uint64_t maxpages = npages - 1;
	if (maxpages > limit)
		return set_error(m, -EINVAL, "swapon: %s: %llu pages is more "
				 "than the %lu a swap entry in this "
				 "architecture's PTE can address", name,
				 (unsigned long long)maxpages, limit);
	if (maxpages > KMEMLAB_SWAP_MAX_SLOTS)
		return set_error(m, -EINVAL, "swapon: %s: kmemlab keeps a "
				 "simulated device to 64 GiB (%llu pages "
				 "asked)", name, (unsigned long long)npages);
	kaddr_t map_addr;
	if (kmem_vmalloc(m, KMEM_VMALLOC, (size_t)maxpages * sizeof(uint16_t),
			 -1, &map_addr)) {
		char why[256];
		snprintf(why, sizeof why, "%s", kmem_last_error(m));
		return set_error(m, -ENOMEM, "swapon: %s: no memory for the "
				 "swap_map (%s)", name, why);
	}

	struct swap_info_struct *si = &s->info[type];
	memset(si, 0, sizeof *si);
	snprintf(si->name, sizeof si->name, "%s", name);
	si->partition = !strncmp(name, "/dev/", 5);
	si->swap_map = xcalloc((size_t)maxpages, sizeof *si->swap_map);
	si->swap_map_addr = map_addr;
	si->swap_map[0] = SWAP_MAP_BAD;
	si->max = (unsigned long)maxpages;
	si->pages = (unsigned long)maxpages - 1;
	si->lowest_bit = 1;
	si->cluster_next = 1;
	si->highest_bit = (unsigned long)maxpages - 1;
	si->cluster_nr = 0;
	si->prio = prefer ? priority : --s->least_priority;
	si->flags = SWP_ACTIVE;
	if (type >= s->nr_swapfiles)
		s->nr_swapfiles = type + 1;
	s->nr_swap_pages += (long)si->pages;
	s->total_swap_pages += si->pages;
	printk(m, KERN_INFO, "Adding %luk swap on %s.  Priority:%d extents:1",
	       si->pages << (PAGE_SHIFT - 10), name, si->prio);
	/* insert into swap_list: before the first device of lower or equal
	 * priority */
	int prev = -1, i;
	for (i = s->list_head; i >= 0; i = s->info[i].next) {
		if (si->prio >= s->info[i].prio)
			break;
		prev = i;
	}
	si->next = i;
	if (prev < 0)
		s->list_head = s->list_next = (int)type;
	else
		s->info[prev].next = (int)type;
	if (TRACING(m))
		trace_note(m, "sys_swapon: %s type %u, %lu pages, priority %d",
			   name, type, si->pages, si->prio);
	return 0;
}

/* ------------------------------------------------------------------ */
/* swapoff: try_to_unuse                                               */
/* ------------------------------------------------------------------ */

/* find_next_to_unuse: the next used slot after prev, wrapping once. */
static unsigned long find_next_to_unuse(struct swap_info_struct *si,
					unsigned long prev)
{
	unsigned long max = si->max, i = prev;

	for (;;) {
		if (++i >= max) {
			if (!prev)
				return 0;
			max = prev + 1;
			prev = 0;
			i = 1;
		}
		unsigned c = si->swap_map[i];
		if (c && c != SWAP_MAP_BAD)
			return i;
	}
}

struct unuse_ctx {
	swp_entry_t entry;
	uint64_t pte;                   /* the swap PTE to look for */
	struct page *page;
	struct vm_area_struct *v;
	unsigned long found;
};

/* unuse_pte: put the page back where the entry was. */
static void unuse_one(struct machine *m, void *ctx, kaddr_t addr, uint8_t *pte)
{
	struct unuse_ctx *u = ctx;
	unsigned esz = pte_size(m);

	if (pte_get(pte, esz) != u->pte)
		return;
	u->v->vm_mm->anon_rss++;
	get_page(u->page);
	pte_set(pte, esz, ((uint64_t)page_to_pfn(m, u->page) << PAGE_SHIFT |
			   u->v->vm_page_prot) & ~_PAGE_ACCESSED);
	page_add_anon_rmap(m, u->page, u->v, addr);
	swap_free(m, u->entry);
	activate_page(m, u->page);
	u->found++;
}

/* unuse_mm for every address space, in pid order. */
static void unuse_all(struct machine *m, swp_entry_t e, struct page *p)
{
	struct mm_state *ms = mms(m);
	struct unuse_ctx u = { e, swp_entry_to_pte(m, e), p, NULL, 0 };

	for (size_t i = 0; i < ms->nr_tasks; i++) {
		struct mm_struct *mm = ms->tasks[i]->mm;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = ms->tasks[j]->mm == mm;
		if (!mm || seen)
			continue;
		for (unsigned k = 0; k < mm->map_count; k++) {
			u.v = mm->vmas[k];
			if (u.v->anon_vma)
				walk_ptes(m, mm, u.v->vm_start, u.v->vm_end,
					  unuse_one, &u);
		}
	}
	if (TRACING(m))
		trace_note(m, "unuse_mm: entry %08x back in %lu PTEs as pfn %#lx",
			   e.val, u.found, page_to_pfn(m, p));
}

/*
 * A host-side index of where the device's swap PTEs were when swapoff
 * began, by slot, so try_to_unuse need not walk every page table for
 * every slot (the kernel does; the result is the same).  A PTE that
 * became a swap PTE of the device meanwhile (reclaim during the reads)
 * is not in it: a slot still referenced after the indexed pass gets the
 * full walk.  Tasks are named by pid: one may die (OOM) midway.
 */
struct unuse_index {
	struct kmem_swap_pte *ptes;     /* sorted by slot, pid, address */
	size_t n, pos;                  /* entries; first not yet used */
};

static void for_each_swap_pte(struct machine *m,
			      void (*fn)(void *, int, kaddr_t, swp_entry_t),
			      void *ctx);

static void unuse_indexed(struct machine *m, struct unuse_index *x,
			  swp_entry_t e, struct page *p)
{
	struct unuse_ctx u = { e, swp_entry_to_pte(m, e), p, NULL, 0 };
	unsigned long off = swp_offset(e);
	int err = 0;

	while (x->pos < x->n && x->ptes[x->pos].offset < off)
		x->pos++;
	for (size_t k = x->pos; k < x->n && x->ptes[k].offset == off; k++) {
		struct task_struct *t = find_task(m, x->ptes[k].pid);
		kaddr_t addr = x->ptes[k].addr;
		if (!t || !t->mm)
			continue;
		uint8_t *pte = pte_offset(m, t->mm, addr, false, &err);
		u.v = find_vma(t->mm, addr);
		if (pte && u.v && u.v->vm_start <= addr)
			unuse_one(m, &u, addr, pte);
	}
	if (TRACING(m))
		trace_note(m, "unuse_mm: entry %08x back in %lu PTEs as pfn %#lx",
			   e.val, u.found, page_to_pfn(m, p));
}

static int try_to_unuse(struct machine *m, unsigned type,
			unsigned long *done)
{
	struct swap_info_struct *si = &sws(m)->info[type];
	unsigned long i = 0;
	struct unuse_index x = { NULL, 0, 0 };
	int rc = 0;

	if (TRACING(m))
		trace_enter(m, "try_to_unuse", "type %u, %lu slots in use", type,
			    si->inuse_pages);
	m->pf_swapoff = true;           /* sys_swapoff sets PF_SWAPOFF */
	x.n = kmem_swap_ptes(m, (int)type, NULL, 0);
	x.ptes = xcalloc(x.n + 1, sizeof *x.ptes);
	x.n = kmem_swap_ptes(m, (int)type, x.ptes, x.n);
	while ((i = find_next_to_unuse(si, i)) != 0) {
		swp_entry_t e = swp_entry(type, i);
		struct page *p = read_swap_cache_async(m, e, NULL, 0);
		if (!p) {
			if (!si->swap_map[i])
				continue;
			rc = -ENOMEM;
			break;
		}
		blk_wait_page(m, BLK_SWAP_DEV | type, i); /* wait_on_page_locked */
		if (i < x.pos)                  /* wrapped: start again */
			x.pos = 0;
		if (si->swap_map[i] > 1)
			unuse_indexed(m, &x, e, p);
		if (si->swap_map[i] > 1)       /* missed some (or sticky) */
			unuse_all(m, e, p);
		if (si->swap_map[i] == SWAP_MAP_MAX)
			si->swap_map[i] = 1;    /* reset_overflow */
		if (PageSwapCache(p))
			delete_from_swap_cache(m, p);
		SetPageFlag(p, PG_dirty);
		put_page(m, p);
		(*done)++;
	}
	free(x.ptes);
	m->pf_swapoff = false;
	if (TRACING(m)) {
		if (rc)
			trace_exit(m, "-ENOMEM at slot %lu", i);
		else
			trace_exit(m, "0");
	}
	return rc;
}

int kmem_swapoff(struct machine *m, const char *name)
{
	struct swap_state *s = sws(m);
	struct swap_info_struct *si = name ? find_device(m, name) : NULL;
	unsigned long done = 0;

	if (!si || (si->flags & SWP_ACTIVE) != SWP_ACTIVE)
		return set_error(m, -EINVAL, "swapoff: %s: Invalid argument (not "
				 "an active swap device)", name ? name : "");
	int type = (int)(si - s->info);
	/* security_vm_enough_memory(p->pages), undone at once */
	if (security_vm_enough_memory(m, NULL, (long)si->pages)) {
		char why[256];
		snprintf(why, sizeof why, "%s", kmem_last_error(m));
		return set_error(m, -ENOMEM, "swapoff: %s: Cannot allocate "
				 "memory (%s)", name, why);
	}
	vm_unacct_memory(m, (long)si->pages);
	if (TRACING(m))
		trace_enter(m, "sys_swapoff", "%s type %d, %lu of %lu slots used",
			    name, type, si->inuse_pages, si->pages);
	int prev = -1;
	for (int i = s->list_head; i >= 0 && i != type; i = s->info[i].next)
		prev = i;
	if (prev < 0)
		s->list_head = si->next;
	else
		s->info[prev].next = si->next;
	if (s->list_next == type)
		s->list_next = s->list_head;
	s->nr_swap_pages -= (long)si->pages;
	s->total_swap_pages -= si->pages;
	si->flags &= ~SWP_WRITEOK;

	int err = try_to_unuse(m, (unsigned)type, &done);
	if (err) {
		/* re-insert the device where its priority puts it */
		int i;
		for (prev = -1, i = s->list_head; i >= 0;
		     prev = i, i = s->info[i].next)
			if (si->prio >= s->info[i].prio)
				break;
		si->next = i;
		if (prev < 0)
			s->list_head = s->list_next = type;
		else
			s->info[prev].next = type;
		s->nr_swap_pages += (long)si->pages;
		s->total_swap_pages += si->pages;
		si->flags |= SWP_WRITEOK;
		if (TRACING(m))
			trace_exit(m, "-ENOMEM: %s stays active", name);
		return set_error(m, -ENOMEM, "swapoff: %s: Cannot allocate memory "
				 "(%lu pages brought back in, %lu still on the "
				 "device, which stays active)", name, done,
				 si->inuse_pages);
	}
	kmem_vfree(m, si->swap_map_addr);
	free_device(si);
	memset(si, 0, sizeof *si);
	si->next = -1;
	blk_forget_dev(m, BLK_SWAP_DEV | (unsigned)(si - s->info));
	if (TRACING(m))
		trace_exit(m, "0: %lu pages brought back in", done);
	return 0;
}

/* ------------------------------------------------------------------ */
/* /proc/swaps and queries                                             */
/* ------------------------------------------------------------------ */

void proc_swaps(struct machine *m, struct kbuf *b)
{
	struct swap_state *s = sws(m);

	kbuf_printf(b, "Filename\t\t\t\tType\t\tSize\tUsed\tPriority\n");
	for (unsigned t = 0; t < s->nr_swapfiles; t++) {
		const struct swap_info_struct *si = &s->info[t];
		if (!(si->flags & SWP_USED) || !si->swap_map)
			continue;
		int len = (int)strlen(si->name);
		kbuf_printf(b, "%s%*s%s\t%lu\t%lu\t%d\n", si->name,
			    len < 40 ? 40 - len : 1, " ",
			    si->partition ? "partition" : "file\t",
			    si->pages << (PAGE_SHIFT - 10),
			    si->inuse_pages << (PAGE_SHIFT - 10), si->prio);
	}
}

static void fill_info(const struct swap_state *s, unsigned t,
		      struct kmem_swap_info *o)
{
	const struct swap_info_struct *si = &s->info[t];

	memset(o, 0, sizeof *o);
	o->type = (int)t;
	snprintf(o->name, sizeof o->name, "%s", si->name);
	o->partition = si->partition;
	o->prio = si->prio;
	o->flags = si->flags;
	o->pages = si->pages;
	o->max = si->max;
	o->inuse_pages = si->inuse_pages;
	o->lowest_bit = si->lowest_bit;
	o->highest_bit = si->highest_bit;
	o->cluster_next = si->cluster_next;
	o->cluster_nr = si->cluster_nr;
	o->next = si->next;
	o->swap_map_addr = si->swap_map_addr;
}

size_t kmem_swap_list(const struct machine *m, struct kmem_swap_info *out,
		      size_t max)
{
	const struct swap_state *s = sws(m);
	size_t n = 0;

	for (unsigned t = 0; t < s->nr_swapfiles; t++) {
		if (!(s->info[t].flags & SWP_USED))
			continue;
		if (n < max)
			fill_info(s, t, &out[n]);
		n++;
	}
	return n;
}

int kmem_swap_info(struct machine *m, const char *name,
		   struct kmem_swap_info *out)
{
	struct swap_info_struct *si = name ? find_device(m, name) : NULL;

	if (!si)
		return set_error(m, -ENOENT, "swap: %s: no such swap device",
				 name ? name : "");
	fill_info(sws(m), (unsigned)(si - sws(m)->info), out);
	return 0;
}

void kmem_swap_summary(const struct machine *m, struct kmem_swap_summary *o)
{
	const struct swap_state *s = sws(m);

	memset(o, 0, sizeof *o);
	o->nr_swap_pages = s->nr_swap_pages;
	o->total_swap_pages = s->total_swap_pages;
	o->total_swapcache_pages = s->total_swapcache_pages;
	o->add_total = s->cache_info.add_total;
	o->del_total = s->cache_info.del_total;
	o->find_success = s->cache_info.find_success;
	o->find_total = s->cache_info.find_total;
	o->noent_race = s->cache_info.noent_race;
	o->exist_race = s->cache_info.exist_race;
	o->list_head = s->list_head;
	o->list_next = s->list_next;
	o->page_cluster = (int)m->sysctl[SYSCTL_PAGE_CLUSTER][0];
	o->token_enabled = s->token_enabled;
	o->global_faults = s->global_faults;
	o->token_changes = s->token_changes;
	o->token_pid = 0;
	if (s->swap_token_mm && m->mms) {
		const struct mm_state *ms = m->mms;
		for (size_t i = 0; i < ms->nr_tasks; i++)
			if (ms->tasks[i]->mm == s->swap_token_mm) {
				o->token_pid = ms->tasks[i]->pid;
				break;
			}
		o->token_priority = s->swap_token_mm->token_priority;
	}
}

size_t kmem_swap_slots(struct machine *m, int type, struct kmem_swap_slot *out,
		       size_t max)
{
	struct swap_state *s = sws(m);
	size_t n = 0;

	if (type < 0 || (unsigned)type >= s->nr_swapfiles ||
	    !(s->info[type].flags & SWP_USED))
		return 0;
	const struct swap_info_struct *si = &s->info[type];
	for (unsigned long off = 1; off < si->max; off++) {
		if (!si->swap_map[off] || si->swap_map[off] == SWAP_MAP_BAD)
			continue;
		if (n < max) {
			swp_entry_t e = swp_entry((unsigned)type, off);
			struct page *p = radix_tree_lookup(&s->swapper_space, e.val);
			out[n].offset = off;
			out[n].count = si->swap_map[off];
			out[n].cache_pfn = p ? page_to_pfn(m, p) : KMEM_NO_PFN;
		}
		n++;
	}
	return n;
}

/* Every swap PTE of every address space: fn(ctx, pid, addr, entry). */
struct pte_visit {
	void (*fn)(void *ctx, int pid, kaddr_t addr, swp_entry_t e);
	void *ctx;
	int pid;
};

static void visit_one(struct machine *m, void *ctx, kaddr_t addr, uint8_t *pte)
{
	struct pte_visit *v = ctx;
	uint64_t e = pte_get(pte, pte_size(m));

	if (is_swap_pte(e))
		v->fn(v->ctx, v->pid, addr, pte_to_swp_entry(m, e));
}

static void for_each_swap_pte(struct machine *m,
			      void (*fn)(void *, int, kaddr_t, swp_entry_t),
			      void *ctx)
{
	struct mm_state *ms = mms(m);
	struct pte_visit v = { fn, ctx, 0 };

	if (!ms || !ms->caches_ready)
		return;
	for (size_t i = 0; i < ms->nr_tasks; i++) {
		struct mm_struct *mm = ms->tasks[i]->mm;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = ms->tasks[j]->mm == mm;
		if (!mm || seen)
			continue;
		v.pid = ms->tasks[i]->pid;
		/* swap PTEs live inside VMAs (munmap zaps them): walking the
		 * VMAs, in address order, visits what a walk of the whole
		 * address space would, without stepping through 128 TiB of
		 * empty x86_64 page directory in 2 MiB strides */
		for (unsigned k = 0; k < mm->map_count; k++)
			walk_ptes(m, mm, mm->vmas[k]->vm_start,
				  mm->vmas[k]->vm_end, visit_one, &v);
	}
}

struct owners_ctx {
	int type;
	struct kmem_swap_pte *out;
	size_t max, n;
};

static void owner_one(void *ctx, int pid, kaddr_t addr, swp_entry_t e)
{
	struct owners_ctx *c = ctx;

	if ((int)swp_type(e) != c->type)
		return;
	if (c->n < c->max) {
		c->out[c->n].offset = swp_offset(e);
		c->out[c->n].pid = pid;
		c->out[c->n].addr = addr;
	}
	c->n++;
}

static int cmp_owner(const void *a, const void *b)
{
	const struct kmem_swap_pte *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

size_t kmem_swap_ptes(struct machine *m, int type, struct kmem_swap_pte *out,
		      size_t max)
{
	struct owners_ctx c = { type, out, max, 0 };

	for_each_swap_pte(m, owner_one, &c);
	if (out && c.n)
		qsort(out, c.n < max ? c.n : max, sizeof *out, cmp_owner);
	return c.n;
}

/* ------------------------------------------------------------------ */
/* Invariants                                                          */
/* ------------------------------------------------------------------ */

struct tally_ctx {
	struct swap_state *s;
	uint32_t *refs[MAX_SWAPFILES];  /* swap PTEs per slot */
	const char *bad;
	char buf[160];
};

static void tally_one(void *ctx, int pid, kaddr_t addr, swp_entry_t e)
{
	struct tally_ctx *t = ctx;
	unsigned type = swp_type(e);

	if (t->bad)
		return;
	if (type >= t->s->nr_swapfiles || !t->refs[type] ||
	    swp_offset(e) >= t->s->info[type].max || !swp_offset(e)) {
		snprintf(t->buf, sizeof t->buf, "pid %d: swap PTE at %#llx holds "
			 "entry %08x of no device", pid, (unsigned long long)addr,
			 e.val);
		t->bad = t->buf;
		return;
	}
	t->refs[type][swp_offset(e)]++;
}

bool swap_check(struct machine *m, char *report, size_t len)
{
	struct swap_state *s = sws(m);
	struct tally_ctx t;
	bool ok = false;
	long free_slots = 0;
	unsigned long total = 0;

	memset(&t, 0, sizeof t);
	t.s = s;
#define FAIL(...) do { snprintf(report, len, "swap: " __VA_ARGS__); \
	goto out; } while (0)
	for (unsigned type = 0; type < s->nr_swapfiles; type++)
		if (s->info[type].flags & SWP_USED)
			t.refs[type] = xcalloc(s->info[type].max, sizeof(uint32_t));
	for_each_swap_pte(m, tally_one, &t);
	if (t.bad)
		FAIL("%s", t.bad);
	/* the swap cache */
	{
		unsigned long first = 0, n = 0;
		void *items[64];
		unsigned long keys[64];
		size_t got;
		while ((got = radix_tree_gang_lookup(&s->swapper_space, items, keys,
						     first, 64, -1)) > 0) {
			for (size_t i = 0; i < got; i++) {
				struct page *p = items[i];
				swp_entry_t e = { (uint32_t)keys[i] };
				unsigned long pfn = page_to_pfn(m, p);
				if (!PageSwapCache(p) || p->private_ != e.val)
					FAIL("swap cache pfn %#lx under entry %08x: "
					     "PG_swapcache %d, private %08x", pfn,
					     e.val, PageSwapCache(p), p->private_);
				if (p->_count < 1)
					FAIL("swap cache pfn %#lx has count %d", pfn,
					     p->_count);
				unsigned type = swp_type(e);
				if (type >= s->nr_swapfiles || !t.refs[type] ||
				    swp_offset(e) >= s->info[type].max)
					FAIL("swap cache pfn %#lx under entry %08x "
					     "of no device", pfn, e.val);
				t.refs[type][swp_offset(e)]++;
				n++;
			}
			first = keys[got - 1] + 1;
			if (!first)
				break;
		}
		if (n != s->total_swapcache_pages)
			FAIL("total_swapcache_pages %lu, but the swap cache "
			     "holds %lu pages", s->total_swapcache_pages, n);
		const char *r = radix_tree_check(&s->swapper_space);
		if (r)
			FAIL("swapper_space: %s", r);
	}
	for (unsigned type = 0; type < s->nr_swapfiles; type++) {
		const struct swap_info_struct *si = &s->info[type];
		if (!(si->flags & SWP_USED))
			continue;
		if (si->flags != SWP_ACTIVE)
			FAIL("%s: flags %#x between commands", si->name, si->flags);
		if (si->swap_map[0] != SWAP_MAP_BAD)
			FAIL("%s: header slot 0 is %#x, not SWAP_MAP_BAD", si->name,
			     si->swap_map[0]);
		unsigned long inuse = 0, lo = 0, hi = 0;
		for (unsigned long off = 1; off < si->max; off++) {
			unsigned c = si->swap_map[off];
			if (c == SWAP_MAP_BAD)
				FAIL("%s: slot %lu is bad (no bad pages are made)",
				     si->name, off);
			if (c > SWAP_MAP_MAX)
				FAIL("%s: slot %lu count %#x", si->name, off, c);
			if (!c) {
				if (t.refs[type][off])
					FAIL("%s: slot %lu is free, but %u "
					     "references hold it", si->name, off,
					     t.refs[type][off]);
				if (!lo)
					lo = off;
				hi = off;
				continue;
			}
			inuse++;
			if (c < SWAP_MAP_MAX && c != t.refs[type][off])
				FAIL("%s: slot %lu count %u, but %u swap PTEs + "
				     "swap cache hold it", si->name, off, c,
				     t.refs[type][off]);
			if (c == SWAP_MAP_MAX && t.refs[type][off] < SWAP_MAP_MAX - 1)
				FAIL("%s: slot %lu stuck at SWAP_MAP_MAX with %u "
				     "references", si->name, off, t.refs[type][off]);
		}
		if (inuse != si->inuse_pages)
			FAIL("%s: inuse_pages %lu, but %lu slots are used",
			     si->name, si->inuse_pages, inuse);
		if (si->pages != si->max - 1)
			FAIL("%s: pages %lu, max %lu", si->name, si->pages, si->max);
		if (lo && (lo < si->lowest_bit || hi > si->highest_bit))
			FAIL("%s: free slots %lu..%lu lie outside lowest_bit %lu "
			     "highest_bit %lu", si->name, lo, hi, si->lowest_bit,
			     si->highest_bit);
		if (!lo && si->highest_bit)
			FAIL("%s: full, but highest_bit is %lu", si->name,
			     si->highest_bit);
		if (si->cluster_nr >= SWAPFILE_CLUSTER)
			FAIL("%s: cluster_nr %lu", si->name, si->cluster_nr);
		free_slots += (long)(si->pages - si->inuse_pages);
		total += si->pages;
	}
	if (free_slots != s->nr_swap_pages || total != s->total_swap_pages)
		FAIL("nr_swap_pages %ld total_swap_pages %lu, devices add up to "
		     "%ld and %lu", s->nr_swap_pages, s->total_swap_pages,
		     free_slots, total);
	/* swap_list: every active device once, priorities non-increasing */
	{
		unsigned seen = 0, active = 0;
		int prev_prio = 0;
		for (int i = s->list_head; i >= 0; i = s->info[i].next) {
			if (++seen > MAX_SWAPFILES || !(s->info[i].flags & SWP_USED))
				FAIL("swap_list is broken at type %d", i);
			if (seen > 1 && s->info[i].prio > prev_prio)
				FAIL("swap_list is out of priority order at %s",
				     s->info[i].name);
			prev_prio = s->info[i].prio;
		}
		for (unsigned type = 0; type < s->nr_swapfiles; type++)
			active += (s->info[type].flags & SWP_USED) ? 1 : 0;
		if (seen != active)
			FAIL("swap_list links %u devices, %u are active", seen,
			     active);
		if ((s->list_next < 0) != (s->list_head < 0) ||
		    (s->list_next >= 0 && !(s->info[s->list_next].flags & SWP_USED)))
			FAIL("swap_list.next %d is not an active device",
			     s->list_next);
	}
	if (s->swap_token_mm) {
		bool live = false;
		for (size_t i = 0; m->mms && i < m->mms->nr_tasks && !live; i++)
			live = m->mms->tasks[i]->mm == s->swap_token_mm;
		if (!live)
			FAIL("the swap token is held by an mm no task uses");
	}
#undef FAIL
	ok = true;
out:
	for (unsigned type = 0; type < MAX_SWAPFILES; type++)
		free(t.refs[type]);
	return ok;
}
