/*
 * physmem.c - the bytes of simulated RAM.
 *
 * Most simulated pages never hold bytes anyone reads, so contents are
 * backed lazily: a page gets a 4 KiB host buffer the first time something
 * writes it (SLOB's in-page headers, __GFP_ZERO, slab poisoning, a user's
 * `memset`).  An unbacked page reads as zeros.  Buffers live in an
 * open-addressed hash keyed by PFN, so the per-page metadata stays at
 * 32 bytes however large the machine.
 *
 * Like real RAM, contents survive a free: a page handed out again still
 * holds its old bytes unless __GFP_ZERO clears it.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <string.h>

#include "internal.h"

struct physmem_slot {
	unsigned long pfn;              /* key; KMEM_NO_PFN = empty */
	uint8_t *data;                  /* PAGE_SIZE bytes */
};

struct physmem {
	struct physmem_slot *slots;     /* power-of-two table */
	size_t cap;                     /* slots */
	size_t used;                    /* backed pages */
};

static size_t slot_of(unsigned long pfn, size_t cap)
{
	uint64_t h = (uint64_t)pfn * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 20) & (cap - 1);
}

void physmem_init(struct machine *m)
{
	m->physmem = xcalloc(1, sizeof *m->physmem);
}

void physmem_destroy(struct machine *m)
{
	struct physmem *pm = m->physmem;

	if (!pm)
		return;
	for (size_t i = 0; i < pm->cap; i++)
		free(pm->slots[i].data);
	free(pm->slots);
	free(pm);
	m->physmem = NULL;
}

static void physmem_grow(struct physmem *pm)
{
	size_t ncap = pm->cap ? pm->cap * 2 : 64;
	struct physmem_slot *ns = xmalloc(ncap * sizeof *ns);

	for (size_t i = 0; i < ncap; i++) {
		ns[i].pfn = KMEM_NO_PFN;
		ns[i].data = NULL;
	}
	for (size_t i = 0; i < pm->cap; i++) {
		if (pm->slots[i].pfn == KMEM_NO_PFN)
			continue;
		size_t j = slot_of(pm->slots[i].pfn, ncap);
		while (ns[j].pfn != KMEM_NO_PFN)
			j = (j + 1) & (ncap - 1);
		ns[j] = pm->slots[i];
	}
	free(pm->slots);
	pm->slots = ns;
	pm->cap = ncap;
}

/* The page's bytes, or NULL when it has none and create is false. */
uint8_t *physmem_page(struct machine *m, unsigned long pfn, bool create)
{
	struct physmem *pm = m->physmem;

	if (pm->cap) {
		size_t j = slot_of(pfn, pm->cap);
		while (pm->slots[j].pfn != KMEM_NO_PFN) {
			if (pm->slots[j].pfn == pfn)
				return pm->slots[j].data;
			j = (j + 1) & (pm->cap - 1);
		}
	}
	if (!create)
		return NULL;
	if ((pm->used + 1) * 4 > pm->cap * 3)
		physmem_grow(pm);
	size_t j = slot_of(pfn, pm->cap);
	while (pm->slots[j].pfn != KMEM_NO_PFN)
		j = (j + 1) & (pm->cap - 1);
	pm->slots[j].pfn = pfn;
	pm->slots[j].data = xcalloc(1, PAGE_SIZE);
	pm->used++;
	return pm->slots[j].data;
}

/* clear_highpage: zero a page (an unbacked page is zero already). */
void physmem_clear(struct machine *m, unsigned long pfn)
{
	uint8_t *d = physmem_page(m, pfn, false);

	if (d)
		memset(d, 0, PAGE_SIZE);
}

size_t physmem_backed_pages(const struct machine *m)
{
	return m->physmem ? m->physmem->used : 0;
}

/* Byte-level access by physical address; the range may cross pages. */
void physmem_write(struct machine *m, uint64_t phys, const void *src,
		   size_t len)
{
	const uint8_t *s = src;

	while (len) {
		unsigned long pfn = (unsigned long)(phys >> PAGE_SHIFT);
		size_t off = (size_t)(phys & (PAGE_SIZE - 1));
		size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		memcpy(physmem_page(m, pfn, true) + off, s, n);
		s += n;
		phys += n;
		len -= n;
	}
}

void physmem_fill(struct machine *m, uint64_t phys, int byte, size_t len)
{
	while (len) {
		unsigned long pfn = (unsigned long)(phys >> PAGE_SHIFT);
		size_t off = (size_t)(phys & (PAGE_SIZE - 1));
		size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		uint8_t *d = physmem_page(m, pfn, byte != 0);
		if (d)
			memset(d + off, byte, n);
		phys += n;
		len -= n;
	}
}

void physmem_read(struct machine *m, uint64_t phys, void *dst, size_t len)
{
	uint8_t *o = dst;

	while (len) {
		unsigned long pfn = (unsigned long)(phys >> PAGE_SHIFT);
		size_t off = (size_t)(phys & (PAGE_SIZE - 1));
		size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		const uint8_t *d = physmem_page(m, pfn, false);
		if (d)
			memcpy(o, d + off, n);
		else
			memset(o, 0, n);
		o += n;
		phys += n;
		len -= n;
	}
}
