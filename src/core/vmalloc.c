/*
 * vmalloc.c - virtually contiguous kernel memory (mm/vmalloc.c, 2.6.20).
 *
 *   vmlist: vm_struct areas sorted by address, each followed by an
 *   unmapped guard page (counted in ->size).
 *
 *   vmalloc -> __vmalloc -> __vmalloc_node
 *     get_vm_area_node -> __get_vm_area_node   first fit in the vmlist;
 *                                               descriptor from kmalloc
 *     __vmalloc_area_node                        pages[] from kmalloc, or
 *                                               vmalloc (VM_VPAGES) when
 *                                               larger than a page; one
 *                                               alloc_page per page
 *     map_vm_area                                init_mm PTEs, tables as
 *                                               needed (pte_alloc_kernel)
 *   vfree -> __vunmap -> remove_vm_area (unmap, unlink) -> __free_page
 *            each page -> kfree/vfree pages[] -> kfree descriptor
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define IOREMAP_MAX_ORDER (7 + PAGE_SHIFT)
#define GFP_LEVEL_MASK (__GFP_WAIT | __GFP_HIGH | __GFP_IO | __GFP_FS | \
	__GFP_COLD | __GFP_NOWARN | __GFP_REPEAT | __GFP_NOFAIL | \
	__GFP_NORETRY | __GFP_NO_GROW | __GFP_COMP | __GFP_NOMEMALLOC | \
	__GFP_HARDWALL | __GFP_THISNODE)
#define ISA_START_ADDRESS 0xa0000ULL
#define ISA_END_ADDRESS   0x100000ULL

/* struct vm_struct; invariant: areas sorted, disjoint including guard
 * pages, inside [VMALLOC_START, VMALLOC_END). */
struct vm_struct {
	struct vm_struct *next;         /* vmlist, by address */
	kaddr_t addr;                   /* start */
	size_t size;                    /* bytes, guard page included */
	unsigned flags;                 /* VM_* */
	unsigned long *pages;           /* PFNs (VM_ALLOC, VM_MAP) */
	unsigned nr_pages;              /* entries in pages */
	uint64_t phys_addr;             /* VM_IOREMAP */
	kaddr_t desc;                   /* the kmalloc'd descriptor */
	kaddr_t pages_array;            /* where pages[] lives in the kernel */
};

struct vmalloc_state {
	struct vm_struct *vmlist;       /* sorted by addr */
};

void vmalloc_init(struct machine *m)
{
	m->vmalloc = xcalloc(1, sizeof *m->vmalloc);
}

void vmalloc_destroy(struct machine *m)
{
	if (!m->vmalloc)
		return;
	for (struct vm_struct *a = m->vmalloc->vmlist, *n; a; a = n) {
		n = a->next;
		free(a->pages);
		free(a);
	}
	free(m->vmalloc);
	m->vmalloc = NULL;
}

static size_t ptr_size(const struct machine *m)
{
	return bytes_per_word(m);
}

static size_t sizeof_vm_struct(const struct machine *m)
{
	return 7 * ptr_size(m);         /* next, addr, size, flags, pages,
					   nr_pages, phys_addr */
}

static int fls_sz(size_t x)
{
	int r = 0;

	while (x) {
		r++;
		x >>= 1;
	}
	return r;
}

/* ------------------------------------------------------------------ */
/* The vmlist                                                          */
/* ------------------------------------------------------------------ */

/*
 * __get_vm_area_node: first fit between start and end.  The descriptor is
 * kmalloc'd first, as the kernel does; on failure it is kfree'd.
 */
static struct vm_struct *__get_vm_area_node(struct machine *m, size_t size,
					    unsigned flags, kaddr_t start,
					    kaddr_t end, int node, gfp_t gfp)
{
	struct vmalloc_state *vs = m->vmalloc;
	kaddr_t align = 1, addr;
	kaddr_t desc;

	if (flags & VM_IOREMAP) {
		int bit = fls_sz(size);
		if (bit > IOREMAP_MAX_ORDER)
			bit = IOREMAP_MAX_ORDER;
		else if (bit < PAGE_SHIFT)
			bit = PAGE_SHIFT;
		align = 1ULL << bit;
	}
	addr = (start + align - 1) & ~(align - 1);
	size = (size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (!size)
		return NULL;
	if (TRACING(m))
		trace_enter(m, "__get_vm_area_node", "size %#zx, flags %#x, align %#llx",
			    size, flags, (unsigned long long)align);
	if (kmem_kmalloc(m, sizeof_vm_struct(m), gfp & GFP_LEVEL_MASK, node, &desc)) {
		if (TRACING(m))
			trace_exit(m, "NULL: no memory for the descriptor");
		return NULL;
	}
	size += PAGE_SIZE;              /* the guard page */

	struct vm_struct **p = &vs->vmlist, *tmp;
	for (tmp = *p; tmp; p = &tmp->next, tmp = *p) {
		if (tmp->addr < addr) {
			if (tmp->addr + tmp->size >= addr)
				addr = (tmp->addr + tmp->size + align - 1) & ~(align - 1);
			continue;
		}
		if (size + addr < addr)
			goto out;
		if (size + addr <= tmp->addr)
			goto found;
		addr = (tmp->addr + tmp->size + align - 1) & ~(align - 1);
		if (addr > end - size)
			goto out;
	}
	if (addr + size > end)          /* the kernel trusts end here; we */
		goto out;               /* stay inside the vmalloc range */
found:;
	struct vm_struct *area = xcalloc(1, sizeof *area);
	area->next = *p;
	*p = area;
	area->flags = flags;
	area->addr = addr;
	area->size = size;
	area->desc = desc;
	if (TRACING(m))
		trace_exit(m, "area %#llx-%#llx (guard page %#llx), descriptor %#llx",
			   (unsigned long long)addr,
			   (unsigned long long)(addr + size),
			   (unsigned long long)(addr + size - PAGE_SIZE),
			   (unsigned long long)desc);
	return area;
out:
	kmem_kfree(m, desc);
	printk(m, KERN_WARNING, "allocation failed: out of vmalloc space - use "
	       "vmalloc=<size> to increase size.");
	if (TRACING(m))
		trace_exit(m, "NULL: no gap of %#zx bytes", size);
	return NULL;
}

static struct vm_struct *find_area(const struct machine *m, kaddr_t addr)
{
	for (struct vm_struct *a = m->vmalloc->vmlist; a; a = a->next)
		if (a->addr == addr)
			return a;
	return NULL;
}

/* unmap_vm_area: clear the PTEs of the whole area. */
static void unmap_vm_area(struct machine *m, struct vm_struct *a)
{
	for (kaddr_t va = a->addr; va < a->addr + a->size; va += PAGE_SIZE)
		kpt_unmap(m, va);
}

/* remove_vm_area: find by exact address, unmap, unlink. */
static struct vm_struct *remove_vm_area(struct machine *m, kaddr_t addr)
{
	struct vm_struct **p = &m->vmalloc->vmlist;

	for (; *p; p = &(*p)->next) {
		struct vm_struct *a = *p;
		if (a->addr != addr)
			continue;
		if (TRACING(m))
			trace_note(m, "remove_vm_area: unmap_vm_area %#llx-%#llx, unlink",
				   (unsigned long long)a->addr,
				   (unsigned long long)(a->addr + a->size));
		unmap_vm_area(m, a);
		*p = a->next;
		a->size -= PAGE_SIZE;
		return a;
	}
	return NULL;
}

/* map_vm_area: PTEs for every page but the guard; on failure the pages
 * already mapped are unmapped again. */
static int map_vm_area(struct machine *m, struct vm_struct *a)
{
	if (TRACING(m))
		trace_enter(m, "map_vm_area", "%#llx, %u page%s",
			    (unsigned long long)a->addr, a->nr_pages,
			    a->nr_pages == 1 ? "" : "s");
	for (unsigned i = 0; i < a->nr_pages; i++) {
		int rc = kpt_map_kernel(m, a->addr + (kaddr_t)i * PAGE_SIZE,
					a->pages[i]);
		if (rc) {
			for (unsigned k = 0; k < i; k++)
				kpt_unmap(m, a->addr + (kaddr_t)k * PAGE_SIZE);
			if (TRACING(m))
				trace_exit(m, "-ENOMEM: no page for a page table");
			return -ENOMEM;
		}
	}
	if (TRACING(m))
		trace_exit(m, "mapped; guard page %#llx left unmapped",
			   (unsigned long long)(a->addr + a->size - PAGE_SIZE));
	return 0;
}

/* ------------------------------------------------------------------ */
/* vmalloc / vfree                                                     */
/* ------------------------------------------------------------------ */

static int __vunmap(struct machine *m, kaddr_t addr, bool deallocate);

static int __vmalloc_node(struct machine *m, size_t size, gfp_t gfp,
			  int node, unsigned extra_flags, kaddr_t *out);

/* __vmalloc_area_node: the pages array, the pages, the mapping. */
static int __vmalloc_area_node(struct machine *m, struct vm_struct *a,
			       gfp_t gfp, int node)
{
	unsigned nr = (unsigned)((a->size - PAGE_SIZE) >> PAGE_SHIFT);
	size_t array_size = nr * ptr_size(m);

	if (TRACING(m))
		trace_enter(m, "__vmalloc_area_node", "%u page%s, pages[] of %zu bytes",
			    nr, nr == 1 ? "" : "s", array_size);
	a->pages = xcalloc(nr ? nr : 1, sizeof *a->pages);
	int rc;
	if (array_size > PAGE_SIZE) {
		rc = __vmalloc_node(m, array_size, gfp | __GFP_ZERO, node, 0,
				    &a->pages_array);
		a->flags |= VM_VPAGES;
	} else {
		rc = kmem_kmalloc(m, array_size, gfp & ~(__GFP_HIGHMEM | __GFP_ZERO),
				  node, &a->pages_array);
	}
	if (rc) {
		a->pages_array = 0;
		goto fail;
	}
	for (unsigned i = 0; i < nr; i++) {
		unsigned long pfn;
		if (kmem_alloc_pages(m, node, gfp, 0, &pfn)) {
			if (TRACING(m))
				trace_note(m, "alloc_page failed after %u pages: unwind", i);
			goto fail;
		}
		a->pages[i] = pfn;
		a->nr_pages = i + 1;
	}
	if (map_vm_area(m, a))
		goto fail;
	if (TRACING(m))
		trace_exit(m, "%#llx", (unsigned long long)a->addr);
	return 0;
fail:
	__vunmap(m, a->addr, true);
	if (TRACING(m))
		trace_exit(m, "NULL");
	return -ENOMEM;
}

static int __vmalloc_node(struct machine *m, size_t size, gfp_t gfp,
			  int node, unsigned extra_flags, kaddr_t *out)
{
	struct kmem_layout l;

	size = (size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (!size || (size >> PAGE_SHIFT) > m->num_physpages)
		return set_error(m, -EINVAL, "vmalloc: size %#zx is 0 or more than "
				 "RAM: NULL", size);
	kernel_layout(m, &l);
	if (TRACING(m))
		trace_enter(m, "__vmalloc_node", "size %#zx, node %d", size, node);
	struct vm_struct *a = __get_vm_area_node(m, size, VM_ALLOC | extra_flags,
						 l.vmalloc_start, l.vmalloc_end,
						 node, gfp);
	if (!a) {
		if (TRACING(m))
			trace_exit(m, "NULL");
		return set_error(m, -ENOMEM, "allocation failed: out of vmalloc space "
				 "- use vmalloc=<size> to increase size.");
	}
	int rc = __vmalloc_area_node(m, a, gfp, node);
	if (rc) {
		if (TRACING(m))
			trace_exit(m, "NULL");
		return set_error(m, -ENOMEM, "vmalloc: out of memory for %#zx bytes: "
				 "NULL (what was allocated was given back)", size);
	}
	*out = a->addr;
	if (TRACING(m))
		trace_exit(m, "%#llx", (unsigned long long)a->addr);
	return 0;
}

int kmem_vmalloc(struct machine *m, enum kmem_vmalloc_kind kind, size_t size,
		 int nid, kaddr_t *out)
{
	static const char *const names[] = { "vmalloc", "vmalloc_32",
		"vmalloc_user", "vmalloc_32_user" };
	gfp_t gfp = GFP_KERNEL;
	unsigned flags = 0;

	if (kind > KMEM_VMALLOC_32_USER)
		return set_error(m, -EINVAL, "vmalloc: unknown variant");
	if (nid >= 0 && (unsigned)nid >= m->nr_nodes)
		return set_error(m, -EINVAL, "vmalloc_node: node %d is not online",
				 nid);
	if (kind == KMEM_VMALLOC || kind == KMEM_VMALLOC_USER)
		gfp |= __GFP_HIGHMEM;
	if (kind == KMEM_VMALLOC_USER || kind == KMEM_VMALLOC_32_USER) {
		gfp |= __GFP_ZERO;
		flags |= VM_USERMAP;
	}
	if (TRACING(m))
		trace_enter(m, nid >= 0 ? "vmalloc_node" : names[kind], "size %zu", size);
	int rc = __vmalloc_node(m, size, gfp, nid, flags, out);
	if (TRACING(m)) {
		if (rc)
			trace_exit(m, "NULL");
		else
			trace_exit(m, "%#llx", (unsigned long long)*out);
	}
	return rc;
}

/*
 * __vunmap: remove the area; with deallocate, free its pages and the
 * pages array; then the descriptor.
 */
static int __vunmap(struct machine *m, kaddr_t addr, bool deallocate)
{
	struct vm_struct *a = remove_vm_area(m, addr);

	if (!a)
		return -ENOENT;
	if (deallocate) {
		for (unsigned i = 0; i < a->nr_pages; i++)
			kmem_free_pages(m, a->pages[i], 0);
		if (a->pages_array) {
			if (a->flags & VM_VPAGES)
				__vunmap(m, a->pages_array, true);
			else
				kmem_kfree(m, a->pages_array);
		}
	}
	kmem_kfree(m, a->desc);
	free(a->pages);
	free(a);
	return 0;
}

/* The checks vfree/vunmap make before touching anything. */
static int vfree_checks(struct machine *m, const char *who, kaddr_t addr,
			unsigned want)
{
	if (addr & (PAGE_SIZE - 1))
		return set_error(m, -EINVAL, "Trying to %s() bad address (%#llx)",
				 who, (unsigned long long)addr);
	struct vm_struct *a = find_area(m, addr);
	if (!a)
		return set_error(m, -EINVAL, "Trying to %s() nonexistent vm area "
				 "(%#llx)", who, (unsigned long long)addr);
	if (!(a->flags & want))
		return set_error(m, -EINVAL, "%s: the area at %#llx was made by %s, "
				 "not by %s", who, (unsigned long long)addr,
				 (a->flags & VM_IOREMAP) ? "ioremap" :
				 (a->flags & VM_MAP) ? "vmap" : "vmalloc",
				 want == VM_MAP ? "vmap" : "vmalloc");
	return 0;
}

int kmem_vfree(struct machine *m, kaddr_t addr)
{
	if (!addr)
		return 0;
	int rc = vfree_checks(m, "vfree", addr, VM_ALLOC);
	if (rc)
		return rc;
	if (TRACING(m))
		trace_enter(m, "vfree", "%#llx", (unsigned long long)addr);
	__vunmap(m, addr, true);
	if (TRACING(m))
		trace_exit(m, "done");
	return 0;
}

int kmem_vmap(struct machine *m, const unsigned long *pfns, unsigned count,
	      kaddr_t *out)
{
	struct kmem_layout l;

	if (!count || count > m->num_physpages)
		return set_error(m, -EINVAL, "vmap: count %u is 0 or more than RAM",
				 count);
	for (unsigned i = 0; i < count; i++) {
		if (pfns[i] >= m->max_pfn || kmem_alloc_order(m, pfns[i]) < 0) {
			/* a tail page of a larger block is allocated too */
			struct kmem_page_info pi;
			kmem_page_info(m, pfns[i], &pi);
			if (pi.state != KMEM_PAGE_ALLOC && pi.state != KMEM_PAGE_ALLOC_TAIL)
				return set_error(m, -EINVAL, "vmap: pfn %#lx is not an "
						 "allocated page", pfns[i]);
		}
	}
	kernel_layout(m, &l);
	if (TRACING(m))
		trace_enter(m, "vmap", "%u page%s", count, count == 1 ? "" : "s");
	struct vm_struct *a = __get_vm_area_node(m, (size_t)count << PAGE_SHIFT,
						 VM_MAP, l.vmalloc_start,
						 l.vmalloc_end, -1, GFP_KERNEL);
	if (!a) {
		if (TRACING(m))
			trace_exit(m, "NULL");
		return set_error(m, -ENOMEM, "allocation failed: out of vmalloc space "
				 "- use vmalloc=<size> to increase size.");
	}
	a->pages = xmalloc(count * sizeof *a->pages);
	memcpy(a->pages, pfns, count * sizeof *a->pages);
	a->nr_pages = count;
	if (map_vm_area(m, a)) {
		__vunmap(m, a->addr, false);
		if (TRACING(m))
			trace_exit(m, "NULL");
		return set_error(m, -ENOMEM, "vmap: no memory for page tables");
	}
	*out = a->addr;
	if (TRACING(m))
		trace_exit(m, "%#llx", (unsigned long long)a->addr);
	return 0;
}

int kmem_vunmap(struct machine *m, kaddr_t addr)
{
	int rc = vfree_checks(m, "vunmap", addr, VM_MAP);

	if (rc)
		return rc;
	if (TRACING(m))
		trace_enter(m, "vunmap", "%#llx", (unsigned long long)addr);
	__vunmap(m, addr, false);
	if (TRACING(m))
		trace_exit(m, "done (pages kept)");
	return 0;
}

/* ------------------------------------------------------------------ */
/* ioremap                                                             */
/* ------------------------------------------------------------------ */

int kmem_ioremap(struct machine *m, uint64_t phys, size_t size, kaddr_t *out)
{
	uint64_t last = phys + size - 1;
	struct kmem_layout l;

	/* physical address width: 32 bits on i386, 36 with PAE, 46 on x86_64 */
	unsigned width = m->arch == KMEM_ARCH_X86_64 ? 46 : m->pae ? 36 : 32;
	if (!size || last < phys)
		return set_error(m, -EINVAL, "ioremap: bad range %#llx+%#zx: NULL",
				 (unsigned long long)phys, size);
	if (last >> width)
		return set_error(m, -EINVAL, "ioremap: %#llx+%#zx is beyond the "
				 "%u-bit physical address space: NULL",
				 (unsigned long long)phys, size, width);
	/* the ISA hole is always mapped */
	if (phys >= ISA_START_ADDRESS && last < ISA_END_ADDRESS) {
		*out = m->page_offset + phys;
		return 0;
	}
	/* RAM in use must not be remapped */
	uint64_t lowmem_end = (uint64_t)m->max_low_pfn << PAGE_SHIFT;
	if (phys < lowmem_end || phys < ((uint64_t)m->max_pfn << PAGE_SHIFT)) {
		for (uint64_t p = phys >> PAGE_SHIFT; p <= last >> PAGE_SHIFT &&
		     p < m->max_pfn; p++) {
			struct kmem_page_info pi;
			kmem_page_info(m, (unsigned long)p, &pi);
			if (pi.state != KMEM_PAGE_RESERVED && pi.state != KMEM_PAGE_HOLE)
				return set_error(m, -EINVAL, "ioremap: pfn %#llx is RAM in "
						 "use (only reserved RAM may be remapped): "
						 "NULL", (unsigned long long)p);
		}
	}
	uint64_t offset = phys & (PAGE_SIZE - 1);
	phys &= ~(uint64_t)(PAGE_SIZE - 1);
	size_t len = (size_t)(((last + 1 + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1)) - phys);
	kernel_layout(m, &l);
	if (TRACING(m))
		trace_enter(m, "__ioremap", "phys %#llx, size %#zx",
			    (unsigned long long)phys, len);
	struct vm_struct *a = __get_vm_area_node(m, len, VM_IOREMAP,
						 l.vmalloc_start, l.vmalloc_end,
						 -1, GFP_KERNEL);
	if (!a) {
		if (TRACING(m))
			trace_exit(m, "NULL");
		return set_error(m, -ENOMEM, "allocation failed: out of vmalloc space "
				 "- use vmalloc=<size> to increase size.");
	}
	a->phys_addr = phys;
	for (size_t i = 0; i < len >> PAGE_SHIFT; i++) {
		/* ioremap_page_range: present, rw, dirty, accessed */
		if (kpt_map(m, a->addr + i * PAGE_SIZE,
			    (unsigned long)((phys >> PAGE_SHIFT) + i), 0x063)) {
			__vunmap(m, a->addr, false);
			if (TRACING(m))
				trace_exit(m, "NULL");
			return set_error(m, -ENOMEM, "ioremap: no memory for page tables");
		}
	}
	*out = a->addr + offset;
	if (TRACING(m))
		trace_exit(m, "%#llx", (unsigned long long)*out);
	return 0;
}

int kmem_iounmap(struct machine *m, kaddr_t addr)
{
	struct kmem_layout l;

	kernel_layout(m, &l);
	if (addr <= l.high_memory)
		return 0;               /* the ISA window: nothing to undo */
	kaddr_t base = addr & ~(kaddr_t)(PAGE_SIZE - 1);
	struct vm_struct *a = find_area(m, base);
	if (!a || !(a->flags & VM_IOREMAP))
		return set_error(m, -EINVAL, "iounmap: bad address %#llx",
				 (unsigned long long)addr);
	if (TRACING(m))
		trace_enter(m, "iounmap", "%#llx", (unsigned long long)addr);
	__vunmap(m, base, false);
	if (TRACING(m))
		trace_exit(m, "done");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Views                                                               */
/* ------------------------------------------------------------------ */

size_t kmem_vmlist(const struct machine *m, struct kmem_vm_area *out,
		   size_t max)
{
	size_t n = 0;

	for (const struct vm_struct *a = m->vmalloc->vmlist; a; a = a->next) {
		if (n < max)
			out[n] = (struct kmem_vm_area){ a->addr, a->size, a->flags,
				a->nr_pages, a->phys_addr, a->desc, a->pages_array };
		n++;
	}
	return n;
}

size_t kmem_vm_area_pages(const struct machine *m, kaddr_t addr,
			  unsigned long *pfns, size_t max)
{
	const struct vm_struct *a = find_area(m, addr);

	if (!a)
		return 0;
	for (unsigned i = 0; i < a->nr_pages && i < max; i++)
		pfns[i] = a->pages[i];
	return a->nr_pages;
}

/* get_vmalloc_info: used bytes and the largest gap in the range. */
void kmem_vmalloc_info(const struct machine *m, uint64_t *total,
		       uint64_t *used, uint64_t *chunk)
{
	struct kmem_layout l;
	kaddr_t prev_end;

	kernel_layout(m, &l);
	*total = l.vmalloc_end - l.vmalloc_start;
	*used = 0;
	*chunk = 0;
	prev_end = l.vmalloc_start;
	for (const struct vm_struct *a = m->vmalloc->vmlist; a; a = a->next) {
		if (a->addr < l.vmalloc_start || a->addr >= l.vmalloc_end)
			continue;
		*used += a->size;
		if (a->addr > prev_end && a->addr - prev_end > *chunk)
			*chunk = a->addr - prev_end;
		prev_end = a->addr + a->size;
	}
	if (l.vmalloc_end > prev_end && l.vmalloc_end - prev_end > *chunk)
		*chunk = l.vmalloc_end - prev_end;
}

/* /proc/vmallocinfo in its 2.6.25+ format (2.6.20 has no such file). */
void proc_vmallocinfo(struct machine *m, struct kbuf *b)
{
	kbuf_printf(b, "# /proc/vmallocinfo appeared in Linux 2.6.25/26; 2.6.20 "
		    "has no such file. Shown in the later format.\n");
	for (const struct vm_struct *a = m->vmalloc->vmlist; a; a = a->next) {
		kbuf_printf(b, "0x%llx-0x%llx %7zu", (unsigned long long)a->addr,
			    (unsigned long long)(a->addr + a->size), a->size);
		if (a->nr_pages)
			kbuf_printf(b, " pages=%u", a->nr_pages);
		if (a->phys_addr)
			kbuf_printf(b, " phys=%llx", (unsigned long long)a->phys_addr);
		if (a->flags & VM_IOREMAP)
			kbuf_printf(b, " ioremap");
		if (a->flags & VM_ALLOC)
			kbuf_printf(b, " vmalloc");
		if (a->flags & VM_MAP)
			kbuf_printf(b, " vmap");
		if (a->flags & VM_USERMAP)
			kbuf_printf(b, " user");
		if (a->flags & VM_VPAGES)
			kbuf_printf(b, " vpages");
		if (m->numa && a->nr_pages) {
			unsigned counts[KMEM_MAX_NODES] = { 0 };
			for (unsigned i = 0; i < a->nr_pages; i++)
				counts[page_to_nid(pfn_to_page(m, a->pages[i]))]++;
			for (unsigned nid = 0; nid < m->nr_nodes; nid++)
				if (counts[nid])
					kbuf_printf(b, " N%u=%u", nid, counts[nid]);
		}
		kbuf_append(b, "\n", 1);
	}
}

bool vmalloc_whatis(struct machine *m, kaddr_t addr, struct kmem_whatis *o)
{
	for (const struct vm_struct *a = m->vmalloc->vmlist; a; a = a->next) {
		if (addr < a->addr || addr >= a->addr + a->size)
			continue;
		unsigned long idx = (unsigned long)((addr - a->addr) >> PAGE_SHIFT);
		o->obj_addr = a->addr;
		o->obj_size = a->size;
		o->offset = (unsigned long)(addr - a->addr);
		o->obj_index = (unsigned)idx;
		const char *kind = (a->flags & VM_IOREMAP) ? "ioremap" :
				   (a->flags & VM_MAP) ? "vmap" : "vmalloc";
		if (addr >= a->addr + a->size - PAGE_SIZE) {
			o->kind = KMEM_ADDR_VMALLOC_GUARD;
			snprintf(o->detail, sizeof o->detail, "guard page of the %s "
				 "area at %#llx", kind, (unsigned long long)a->addr);
			return true;
		}
		o->kind = KMEM_ADDR_VMALLOC;
		o->allocated = true;
		if (a->flags & VM_IOREMAP)
			o->pfn = (unsigned long)(a->phys_addr >> PAGE_SHIFT) + idx;
		else if (idx < a->nr_pages)
			o->pfn = a->pages[idx];
		if (o->pfn < m->max_pfn && !page_is_hole(pfn_to_page(m, o->pfn))) {
			o->nid = (int)page_to_nid(pfn_to_page(m, o->pfn));
			o->zone_idx = (int)page_zonenum(pfn_to_page(m, o->pfn));
		}
		snprintf(o->detail, sizeof o->detail, "%s area %#llx, page %lu, pfn %#lx",
			 kind, (unsigned long long)a->addr, idx, o->pfn);
		return true;
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Checker                                                             */
/* ------------------------------------------------------------------ */

#define VFAIL(...) do { snprintf(report, len, "vmalloc: " __VA_ARGS__); \
	return false; } while (0)

bool vmalloc_check(const struct machine *cm, char *report, size_t len)
{
	struct machine *m = (struct machine *)cm;       /* walks only read */
	struct kmem_layout l;
	kaddr_t prev_end = 0;

	kernel_layout(m, &l);
	for (const struct vm_struct *a = m->vmalloc->vmlist; a; a = a->next) {
		if (a->addr < prev_end)
			VFAIL("area %#llx overlaps or is out of order",
			      (unsigned long long)a->addr);
		if (a->addr < l.vmalloc_start || a->addr + a->size > l.vmalloc_end)
			VFAIL("area %#llx lies outside VMALLOC_START..VMALLOC_END",
			      (unsigned long long)a->addr);
		prev_end = a->addr + a->size;
		uint64_t phys;
		struct kmem_pt_step st[4];
		kaddr_t guard = a->addr + a->size - PAGE_SIZE;
		if (kpt_walk(m, guard, st, 4, &phys) > 0)
			VFAIL("guard page %#llx of area %#llx is mapped",
			      (unsigned long long)guard, (unsigned long long)a->addr);
		unsigned mapped = (unsigned)((a->size - PAGE_SIZE) >> PAGE_SHIFT);
		for (unsigned i = 0; i < mapped; i++) {
			kaddr_t va = a->addr + (kaddr_t)i * PAGE_SIZE;
			unsigned long want = (a->flags & VM_IOREMAP) ?
				(unsigned long)(a->phys_addr >> PAGE_SHIFT) + i :
				(i < a->nr_pages ? a->pages[i] : KMEM_NO_PFN);
			if (kpt_walk(m, va, st, 4, &phys) <= 0 ||
			    (phys >> PAGE_SHIFT) != want)
				VFAIL("page %u of area %#llx is not mapped to pfn %#lx", i,
				      (unsigned long long)a->addr, want);
			if ((a->flags & VM_ALLOC) && kmem_alloc_order(m, want) != 0)
				VFAIL("area %#llx owns pfn %#lx, which is not an allocated "
				      "order-0 page", (unsigned long long)a->addr, want);
		}
	}
	return true;
}
