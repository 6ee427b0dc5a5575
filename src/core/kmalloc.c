/*
 * kmalloc.c - the object-allocator front: kmalloc/kfree/ksize and the
 * kmem_cache_* calls, dispatched to SLAB (slab.c) or SLOB (slob.c).
 * Linux 2.6.20 compiles exactly one of them in (CONFIG_SLAB/CONFIG_SLOB);
 * kmemlab builds both and picks one per machine, so the same script can be
 * run on either and compared.
 *
 * Also here: the page-level helpers both use (__get_free_pages,
 * free_pages by address), byte access to simulated memory through kernel
 * addresses, SLAB_* flag names, and `whatis` for plain pages.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static int no_allocator(struct machine *m)
{
	return set_error(m, -ENOSYS, "no object allocator on this machine");
}

int kmem_kmalloc(struct machine *m, size_t size, gfp_t gfp, int nid,
		 kaddr_t *out)
{
	if (!m->oa)
		return no_allocator(m);
	if (gfp & ~__GFP_BITS_MASK)
		return set_error(m, -EINVAL, "kmalloc: gfp mask 0x%x has bits "
				 "above __GFP_BITS_SHIFT", gfp);
	if (nid >= 0 && (unsigned)nid >= m->nr_nodes)
		return set_error(m, -EINVAL, "kmalloc_node: node %d is not online",
				 nid);
	return m->oa->kmalloc(m, size, gfp, nid, out);
}

int kmem_kfree(struct machine *m, kaddr_t addr)
{
	if (!m->oa)
		return no_allocator(m);
	if (!addr)
		return 0;               /* kfree(NULL) */
	return m->oa->kfree(m, addr);
}

int kmem_ksize(struct machine *m, kaddr_t addr, size_t *size)
{
	if (!m->oa)
		return no_allocator(m);
	if (!addr) {
		*size = 0;
		return 0;
	}
	return m->oa->ksize(m, addr, size);
}

int kmem_cache_create(struct machine *m, const char *name, size_t size,
		      size_t align, unsigned flags, bool ctor, int *id)
{
	if (!m->oa)
		return no_allocator(m);
	if (!name || !*name)
		return set_error(m, -EINVAL, "kmem_cache_create: a cache needs a name");
	if (strlen(name) > 19)
		return set_error(m, -EINVAL, "kmem_cache_create: name '%s' is longer "
				 "than 19 characters", name);
	for (const char *p = name; *p; p++)
		if (*p <= ' ' || *p > '~')
			return set_error(m, -EINVAL, "kmem_cache_create: name '%s' "
					 "contains a blank or control character",
					 name);
	if (align & (align - 1))
		return set_error(m, -EINVAL, "kmem_cache_create: align %zu is not "
				 "a power of two", align);
	if (!size)
		return set_error(m, -EINVAL, "kmem_cache_create: size 0 (BUG in "
				 "2.6.20)");
	if (m->oa->cache_lookup(m, name) >= 0)
		return set_error(m, -EEXIST, "kmem_cache_create: duplicate cache %s",
				 name);
	return m->oa->cache_create(m, name, size, align, flags, ctor, id);
}

int kmem_cache_destroy(struct machine *m, int id)
{
	return m->oa ? m->oa->cache_destroy(m, id) : no_allocator(m);
}

int kmem_cache_alloc(struct machine *m, int id, gfp_t gfp, int nid,
		     kaddr_t *out)
{
	if (!m->oa)
		return no_allocator(m);
	if (nid >= 0 && (unsigned)nid >= m->nr_nodes)
		return set_error(m, -EINVAL, "kmem_cache_alloc_node: node %d is "
				 "not online", nid);
	if (gfp & ~__GFP_BITS_MASK)
		return set_error(m, -EINVAL, "kmem_cache_alloc: gfp mask 0x%x has "
				 "bits above __GFP_BITS_SHIFT", gfp);
	return m->oa->cache_alloc(m, id, gfp, nid, out);
}

int kmem_cache_free(struct machine *m, int id, kaddr_t obj)
{
	return m->oa ? m->oa->cache_free(m, id, obj) : no_allocator(m);
}

int kmem_cache_shrink(struct machine *m, int id)
{
	return m->oa ? m->oa->cache_shrink(m, id) : no_allocator(m);
}

int kmem_cache_lookup(const struct machine *m, const char *name)
{
	return m->oa ? m->oa->cache_lookup(m, name) : -ENOENT;
}

size_t kmem_cache_list(const struct machine *m, int *ids, size_t max)
{
	return m->oa ? m->oa->cache_list(m, ids, max) : 0;
}

int kmem_cache_info(const struct machine *m, int id,
		    struct kmem_cache_info *out)
{
	return m->oa ? m->oa->cache_info(m, id, out) : -EINVAL;
}

/* ------------------------------------------------------------------ */
/* Page-level helpers                                                  */
/* ------------------------------------------------------------------ */

bool kaddr_to_pfn(const struct machine *m, kaddr_t addr, unsigned long *pfn)
{
	if (addr < m->page_offset)
		return false;
	kaddr_t off = addr - m->page_offset;
	if (off >= ((kaddr_t)m->max_low_pfn << PAGE_SHIFT))
		return false;
	*pfn = (unsigned long)(off >> PAGE_SHIFT);
	return true;
}

/* __get_free_pages: alloc_pages and return the direct-map address.
 * Highmem cannot be returned (page_address would be NULL). */
int __get_free_pages(struct machine *m, gfp_t gfp, unsigned order, int nid,
		     kaddr_t *addr)
{
	unsigned long pfn;
	int rc;

	if (gfp & __GFP_HIGHMEM)
		return set_error(m, -EINVAL, "__get_free_pages: __GFP_HIGHMEM: "
				 "a highmem page has no kernel address (BUG in 2.6.20)");
	if (TRACING(m))
		trace_enter(m, "__get_free_pages", "order %u", order);
	rc = kmem_alloc_pages(m, nid, gfp, order, &pfn);
	if (!rc)
		*addr = pfn_to_kaddr(m, pfn);
	if (TRACING(m)) {
		if (rc)
			trace_exit(m, "0");
		else
			trace_exit(m, "%#llx", (unsigned long long)*addr);
	}
	return rc;
}

int free_pages_addr(struct machine *m, kaddr_t addr, unsigned order)
{
	unsigned long pfn;

	if (!kaddr_to_pfn(m, addr, &pfn) || (addr & (PAGE_SIZE - 1)))
		return set_error(m, -EINVAL, "free_pages: %#llx is not a "
				 "page-aligned direct-map address",
				 (unsigned long long)addr);
	return kmem_free_pages(m, pfn, order);
}

/* ------------------------------------------------------------------ */
/* Bytes through kernel addresses                                      */
/* ------------------------------------------------------------------ */

/*
 * Visit [addr, addr+len) page by page through the kernel's mappings (the
 * direct map, vmalloc, pkmap, fixmap), calling fn on each physical piece.
 * The whole range is checked before fn is called.
 */
static int for_each_kernel_piece(struct machine *m, kaddr_t addr, size_t len,
				 void (*fn)(struct machine *, uint64_t, size_t,
					    size_t, void *), void *ctx)
{
	if (!len)
		return set_error(m, -EINVAL, "length must be at least 1");
	if (addr + len < addr)
		return set_error(m, -EFAULT, "%#llx+%zu wraps around",
				 (unsigned long long)addr, len);
	for (int pass = 0; pass < 2; pass++) {
		size_t done = 0;
		while (done < len) {
			kaddr_t va = addr + done;
			size_t n = PAGE_SIZE - (size_t)(va & (PAGE_SIZE - 1));
			uint64_t phys;
			if (n > len - done)
				n = len - done;
			if (!kernel_virt_to_phys(m, va, &phys))
				return set_error(m, -EFAULT, "%#llx is not mapped in "
						 "the kernel's page tables",
						 (unsigned long long)va);
			if ((phys >> PAGE_SHIFT) >= m->max_pfn ||
			    page_is_hole(pfn_to_page(m, (unsigned long)(phys >> PAGE_SHIFT))))
				return set_error(m, -EFAULT, "%#llx maps %#llx, which is "
						 "not RAM", (unsigned long long)va,
						 (unsigned long long)phys);
			if (pass)
				fn(m, phys, n, done, ctx);
			done += n;
		}
	}
	return 0;
}

static void fill_piece(struct machine *m, uint64_t phys, size_t n,
		       size_t done, void *ctx)
{
	(void)done;
	physmem_fill(m, phys, *(int *)ctx, n);
}

static void read_piece(struct machine *m, uint64_t phys, size_t n,
		       size_t done, void *ctx)
{
	physmem_read(m, phys, (uint8_t *)ctx + done, n);
}

int kmem_memset(struct machine *m, kaddr_t addr, int byte, size_t len)
{
	int b = byte & 0xff;

	return for_each_kernel_piece(m, addr, len, fill_piece, &b);
}

int kmem_memread(struct machine *m, kaddr_t addr, void *buf, size_t len)
{
	return for_each_kernel_piece(m, addr, len, read_piece, buf);
}

/* ------------------------------------------------------------------ */
/* whatis                                                              */
/* ------------------------------------------------------------------ */

int kmem_whatis(struct machine *m, kaddr_t addr, struct kmem_whatis *out)
{
	unsigned long pfn;

	memset(out, 0, sizeof *out);
	out->cache_id = -1;
	out->nid = out->zone_idx = -1;
	if (vmalloc_whatis(m, addr, out) || highmem_whatis(m, addr, out))
		return 0;
	if (!kaddr_to_pfn(m, addr, &pfn)) {
		out->kind = KMEM_ADDR_NONE;
		snprintf(out->detail, sizeof out->detail,
			 "not a kernel direct-map address");
		return 0;
	}
	out->pfn = pfn;
	const struct page *p = pfn_to_page(m, pfn);
	if (!page_is_hole(p)) {
		out->nid = (int)page_to_nid(p);
		out->zone_idx = (int)page_zonenum(p);
	}
	if (m->oa && m->oa->whatis && m->oa->whatis(m, addr, out))
		return 0;
	out->kind = KMEM_ADDR_PAGE;
	return 0;
}

/* ------------------------------------------------------------------ */
/* SLAB_* flag names                                                   */
/* ------------------------------------------------------------------ */

struct flag_name {
	const char *name;               /* as in slab.h */
	unsigned value;                 /* its bit */
};

static const struct flag_name slab_flags[] = {
	{ "SLAB_DEBUG_FREE", SLAB_DEBUG_FREE },
	{ "SLAB_DEBUG_INITIAL", SLAB_DEBUG_INITIAL },
	{ "SLAB_RED_ZONE", SLAB_RED_ZONE },
	{ "SLAB_POISON", SLAB_POISON },
	{ "SLAB_HWCACHE_ALIGN", SLAB_HWCACHE_ALIGN },
	{ "SLAB_CACHE_DMA", SLAB_CACHE_DMA },
	{ "SLAB_MUST_HWCACHE_ALIGN", SLAB_MUST_HWCACHE_ALIGN },
	{ "SLAB_STORE_USER", SLAB_STORE_USER },
	{ "SLAB_RECLAIM_ACCOUNT", SLAB_RECLAIM_ACCOUNT },
	{ "SLAB_PANIC", SLAB_PANIC },
	{ "SLAB_DESTROY_BY_RCU", SLAB_DESTROY_BY_RCU },
	{ "SLAB_MEM_SPREAD", SLAB_MEM_SPREAD },
};
#define NR_SLAB_FLAGS (sizeof slab_flags / sizeof slab_flags[0])

const char *const *kmem_slab_flag_names(void)
{
	static const char *const names[NR_SLAB_FLAGS + 1] = {
		"SLAB_DEBUG_FREE", "SLAB_DEBUG_INITIAL", "SLAB_RED_ZONE",
		"SLAB_POISON", "SLAB_HWCACHE_ALIGN", "SLAB_CACHE_DMA",
		"SLAB_MUST_HWCACHE_ALIGN", "SLAB_STORE_USER",
		"SLAB_RECLAIM_ACCOUNT", "SLAB_PANIC", "SLAB_DESTROY_BY_RCU",
		"SLAB_MEM_SPREAD", NULL,
	};
	return names;
}

int kmem_slab_flags_parse(const char *text, unsigned *out, char *err,
			  size_t errlen)
{
	unsigned flags = 0;
	const char *s = text;

	for (;;) {
		while (*s == ' ')
			s++;
		const char *start = s;
		while (*s && *s != '|' && *s != ' ')
			s++;
		size_t n = (size_t)(s - start);
		bool found = false;
		for (size_t i = 0; i < NR_SLAB_FLAGS && !found; i++)
			if (strlen(slab_flags[i].name) == n &&
			    !memcmp(slab_flags[i].name, start, n)) {
				flags |= slab_flags[i].value;
				found = true;
			}
		if (!found) {
			char *end;
			unsigned long v = n ? strtoul(start, &end, 0) : 0;
			if (!n || end != s) {
				snprintf(err, errlen, "unknown SLAB flag '%.*s'",
					 (int)n, start);
				return -EINVAL;
			}
			flags |= (unsigned)v;
		}
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		if (*s++ != '|') {
			snprintf(err, errlen, "expected '|' in '%s'", text);
			return -EINVAL;
		}
	}
	*out = flags;
	return 0;
}

void kmem_slab_flags_format(unsigned flags, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < NR_SLAB_FLAGS; i++) {
		if (!(flags & slab_flags[i].value))
			continue;
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? "|" : "", slab_flags[i].name);
		flags &= ~slab_flags[i].value;
	}
	if (flags)
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s0x%x",
				      n ? "|" : "", flags);
	if (!n)
		snprintf(buf, len, "0");
}
