/*
 * highmem.c - temporary kernel mappings of highmem pages on i386
 * (mm/highmem.c, arch/i386/mm/highmem.c, 2.6.20).
 *
 *   persistent kmaps: LAST_PKMAP slots at PKMAP_BASE.  pkmap_count[nr]:
 *     0 free and flushed, 1 unused but not yet flushed from the TLB,
 *     n >= 2 mapped with n - 1 users.  last_pkmap_nr is a rotor; when it
 *     wraps to 0, flush_all_zero_pkmaps turns every 1 into 0.  A highmem
 *     page's address is found through the page_address hash.
 *   kmap_atomic: per CPU, KM_TYPE_NR fixmap slots; slot type on cpu c is
 *     fix_to_virt(FIX_KMAP_BEGIN + type + KM_TYPE_NR * c).
 *
 * Where the real kernel would sleep (every slot busy) kmap fails instead,
 * saying so, and nothing changes.  x86_64 has no highmem: every page has a
 * direct-map address.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define KM_TYPE_NR 13

static const char *const km_type_names[KM_TYPE_NR] = {
	"KM_BOUNCE_READ", "KM_SKB_SUNRPC_DATA", "KM_SKB_DATA_SOFTIRQ",
	"KM_USER0", "KM_USER1", "KM_BIO_SRC_IRQ", "KM_BIO_DST_IRQ", "KM_PTE0",
	"KM_PTE1", "KM_IRQ0", "KM_IRQ1", "KM_SOFTIRQ0", "KM_SOFTIRQ1",
};

struct highmem_state {
	unsigned last_pkmap;            /* LAST_PKMAP */
	int *pkmap_count;               /* [LAST_PKMAP] */
	unsigned long *pkmap_page;      /* [LAST_PKMAP]: PFN or KMEM_NO_PFN;
					   the page_address hash's content */
	unsigned last_pkmap_nr;         /* the rotor */
	unsigned long *atomic_pfn;      /* [cpus * KM_TYPE_NR], NO_PFN = free */
	unsigned long flushes;          /* flush_all_zero_pkmaps calls */
};

const char *kmem_km_type_name(int type)
{
	return type >= 0 && type < KM_TYPE_NR ? km_type_names[type] : NULL;
}

int kmem_km_type_lookup(const char *name)
{
	for (int i = 0; i < KM_TYPE_NR; i++)
		if (!strcmp(km_type_names[i], name))
			return i;
	return -1;
}

void highmem_init(struct machine *m)
{
	struct highmem_state *h = xcalloc(1, sizeof *h);
	struct kmem_layout l;

	kernel_layout(m, &l);
	h->last_pkmap = l.last_pkmap;
	if (h->last_pkmap) {
		h->pkmap_count = xcalloc(h->last_pkmap, sizeof *h->pkmap_count);
		h->pkmap_page = xmalloc(h->last_pkmap * sizeof *h->pkmap_page);
		for (unsigned i = 0; i < h->last_pkmap; i++)
			h->pkmap_page[i] = KMEM_NO_PFN;
	}
	h->atomic_pfn = xmalloc(m->cpus * KM_TYPE_NR * sizeof *h->atomic_pfn);
	for (unsigned i = 0; i < m->cpus * KM_TYPE_NR; i++)
		h->atomic_pfn[i] = KMEM_NO_PFN;
	m->highmem = h;
}

void highmem_destroy(struct machine *m)
{
	struct highmem_state *h = m->highmem;

	if (!h)
		return;
	free(h->pkmap_count);
	free(h->pkmap_page);
	free(h->atomic_pfn);
	free(h);
	m->highmem = NULL;
}

static bool pfn_is_highmem(const struct machine *m, unsigned long pfn)
{
	return pfn >= m->max_low_pfn;
}

static int check_page(struct machine *m, const char *who, unsigned long pfn)
{
	struct kmem_page_info pi;

	if (pfn >= m->max_pfn || kmem_page_info(m, pfn, &pi) ||
	    pi.state == KMEM_PAGE_HOLE)
		return set_error(m, -EINVAL, "%s: pfn %#lx is not RAM", who, pfn);
	return 0;
}

static kaddr_t pkmap_addr(const struct machine *m, unsigned nr)
{
	struct kmem_layout l;

	kernel_layout(m, &l);
	return l.pkmap_base + (kaddr_t)nr * PAGE_SIZE;
}

/* page_address() for a highmem page: its pkmap slot, if mapped. */
static int pkmap_slot_of(const struct machine *m, unsigned long pfn)
{
	const struct highmem_state *h = m->highmem;

	for (unsigned i = 0; i < h->last_pkmap; i++)
		if (h->pkmap_page[i] == pfn)
			return (int)i;
	return -1;
}

/* flush_all_zero_pkmaps: every count-1 slot is unmapped and freed. */
static void flush_all_zero_pkmaps(struct machine *m)
{
	struct highmem_state *h = m->highmem;
	unsigned n = 0;

	for (unsigned i = 0; i < h->last_pkmap; i++) {
		if (h->pkmap_count[i] != 1)
			continue;
		h->pkmap_count[i] = 0;
		kpt_unmap(m, pkmap_addr(m, i));
		h->pkmap_page[i] = KMEM_NO_PFN;
		n++;
	}
	h->flushes++;
	if (TRACING(m))
		trace_note(m, "flush_all_zero_pkmaps: %u slot%s freed, "
			   "flush_tlb_kernel_range(PKMAP_BASE, +%u pages)", n,
			   n == 1 ? "" : "s", h->last_pkmap);
}

/* map_new_virtual: the rotor finds a free slot (flushing on wrap). */
static kaddr_t map_new_virtual(struct machine *m, unsigned long pfn)
{
	struct highmem_state *h = m->highmem;
	unsigned count = h->last_pkmap;

	if (TRACING(m))
		trace_enter(m, "map_new_virtual", "pfn %#lx, rotor at %u", pfn,
			    h->last_pkmap_nr);
	for (;;) {
		h->last_pkmap_nr = (h->last_pkmap_nr + 1) & (h->last_pkmap - 1);
		if (!h->last_pkmap_nr) {
			flush_all_zero_pkmaps(m);
			count = h->last_pkmap;
		}
		if (!h->pkmap_count[h->last_pkmap_nr])
			break;
		if (--count)
			continue;
		/* cannot happen: kmem_kmap checked a slot is (or will be) free */
		abort();
	}
	kaddr_t va = pkmap_addr(m, h->last_pkmap_nr);
	kpt_map_kernel(m, va, pfn);
	h->pkmap_count[h->last_pkmap_nr] = 1;
	h->pkmap_page[h->last_pkmap_nr] = pfn;
	if (TRACING(m))
		trace_exit(m, "slot %u, %#llx", h->last_pkmap_nr,
			   (unsigned long long)va);
	return va;
}

int kmem_kmap(struct machine *m, unsigned long pfn, kaddr_t *va)
{
	struct highmem_state *h = m->highmem;
	int rc = check_page(m, "kmap", pfn);

	if (rc)
		return rc;
	if (!pfn_is_highmem(m, pfn)) {
		*va = pfn_to_kaddr(m, pfn);
		if (TRACING(m))
			trace_note(m, "kmap(pfn %#lx): lowmem: page_address %#llx", pfn,
				   (unsigned long long)*va);
		return 0;
	}
	int slot = pkmap_slot_of(m, pfn);
	if (slot < 0) {
		bool any = false;
		for (unsigned i = 0; i < h->last_pkmap && !any; i++)
			any = h->pkmap_count[i] <= 1;
		if (!any)
			return set_error(m, -EAGAIN, "kmap: all %u pkmap slots are in "
					 "use; a real kernel would sleep in "
					 "map_new_virtual until a kunmap frees one",
					 h->last_pkmap);
	}
	if (TRACING(m))
		trace_enter(m, "kmap_high", "pfn %#lx", pfn);
	if (slot < 0) {
		*va = map_new_virtual(m, pfn);
		slot = (int)h->last_pkmap_nr;
	} else {
		*va = pkmap_addr(m, (unsigned)slot);
	}
	h->pkmap_count[slot]++;
	if (TRACING(m))
		trace_exit(m, "%#llx (slot %d, count %d)", (unsigned long long)*va,
			   slot, h->pkmap_count[slot]);
	return 0;
}

int kmem_kunmap(struct machine *m, unsigned long pfn)
{
	struct highmem_state *h = m->highmem;
	int rc = check_page(m, "kunmap", pfn);

	if (rc)
		return rc;
	if (!pfn_is_highmem(m, pfn))
		return 0;               /* kunmap of lowmem does nothing */
	int slot = pkmap_slot_of(m, pfn);
	if (slot < 0 || h->pkmap_count[slot] < 2)
		return set_error(m, -EINVAL, "kunmap: pfn %#lx is not kmapped "
				 "(kunmap_high would BUG)", pfn);
	h->pkmap_count[slot]--;
	if (TRACING(m))
		trace_note(m, "kunmap_high(pfn %#lx): slot %d count now %d%s", pfn,
			   slot, h->pkmap_count[slot],
			   h->pkmap_count[slot] == 1 ?
			   " (unused; freed at the next flush)" : "");
	return 0;
}

int kmem_kmap_atomic(struct machine *m, unsigned long pfn, int type,
		     kaddr_t *va)
{
	struct highmem_state *h = m->highmem;
	int rc = check_page(m, "kmap_atomic", pfn);

	if (rc)
		return rc;
	if (type < 0 || type >= KM_TYPE_NR)
		return set_error(m, -EINVAL, "kmap_atomic: km_type %d is out of range "
				 "(0..%d)", type, KM_TYPE_NR - 1);
	if (!pfn_is_highmem(m, pfn)) {
		*va = pfn_to_kaddr(m, pfn);
		return 0;
	}
	unsigned idx = (unsigned)type + KM_TYPE_NR * m->cur_cpu;
	if (h->atomic_pfn[idx] != KMEM_NO_PFN)
		return set_error(m, -EBUSY, "kmap_atomic: slot %s of cpu %u already "
				 "maps pfn %#lx (BUG_ON(!pte_none))",
				 km_type_names[type], m->cur_cpu, h->atomic_pfn[idx]);
	*va = kmap_atomic_slot(m, m->cur_cpu, (unsigned)type);
	kpt_map_kernel(m, *va, pfn);
	h->atomic_pfn[idx] = pfn;
	if (TRACING(m))
		trace_note(m, "kmap_atomic(pfn %#lx, %s): cpu %u fixmap slot %u, %#llx",
			   pfn, km_type_names[type], m->cur_cpu, idx,
			   (unsigned long long)*va);
	return 0;
}

int kmem_kunmap_atomic(struct machine *m, kaddr_t va, int type)
{
	struct highmem_state *h = m->highmem;
	struct kmem_layout l;

	if (type < 0 || type >= KM_TYPE_NR)
		return set_error(m, -EINVAL, "kunmap_atomic: km_type %d is out of "
				 "range (0..%d)", type, KM_TYPE_NR - 1);
	kernel_layout(m, &l);
	if (m->arch == KMEM_ARCH_X86_64 || va < l.fixaddr_start)
		return 0;               /* a lowmem page: nothing was mapped */
	unsigned idx = (unsigned)type + KM_TYPE_NR * m->cur_cpu;
	if (va != kmap_atomic_slot(m, m->cur_cpu, (unsigned)type) ||
	    h->atomic_pfn[idx] == KMEM_NO_PFN)
		return set_error(m, -EINVAL, "kunmap_atomic: %#llx is not the mapped "
				 "%s slot of cpu %u", (unsigned long long)va,
				 km_type_names[type], m->cur_cpu);
	kpt_unmap(m, va);
	h->atomic_pfn[idx] = KMEM_NO_PFN;
	return 0;
}

size_t kmem_pkmap_slots(const struct machine *m, struct kmem_pkmap_slot *out,
			size_t max, unsigned *rotor)
{
	const struct highmem_state *h = m->highmem;
	size_t n = 0;

	if (rotor)
		*rotor = h->last_pkmap_nr;
	for (unsigned i = 0; i < h->last_pkmap; i++) {
		if (!h->pkmap_count[i])
			continue;
		if (n < max)
			out[n] = (struct kmem_pkmap_slot){ i, h->pkmap_count[i],
				h->pkmap_page[i], pkmap_addr(m, i) };
		n++;
	}
	return n;
}

bool highmem_whatis(struct machine *m, kaddr_t addr, struct kmem_whatis *o)
{
	const struct highmem_state *h = m->highmem;
	struct kmem_layout l;

	kernel_layout(m, &l);
	if (!h->last_pkmap)
		return false;
	if (addr >= l.pkmap_base && addr < l.pkmap_end) {
		unsigned nr = (unsigned)((addr - l.pkmap_base) >> PAGE_SHIFT);
		o->kind = KMEM_ADDR_PKMAP;
		o->obj_index = nr;
		o->obj_addr = pkmap_addr(m, nr);
		o->offset = (unsigned long)(addr - o->obj_addr);
		o->pfn = h->pkmap_page[nr];
		o->allocated = h->pkmap_count[nr] >= 2;
		if (o->pfn == KMEM_NO_PFN)
			snprintf(o->detail, sizeof o->detail, "pkmap slot %u, free", nr);
		else
			snprintf(o->detail, sizeof o->detail, "pkmap slot %u, count %d, "
				 "pfn %#lx", nr, h->pkmap_count[nr], o->pfn);
		return true;
	}
	if (addr >= l.fixaddr_start && addr < l.fixaddr_top) {
		unsigned idx = (unsigned)((l.fixaddr_top - 1 - addr) >> PAGE_SHIFT);
		o->kind = KMEM_ADDR_FIXMAP;
		o->obj_index = idx;
		o->obj_addr = fix_to_virt(idx);
		o->offset = (unsigned long)(addr - o->obj_addr);
		o->pfn = KMEM_NO_PFN;
		if (addr >= l.kmap_begin && addr < l.kmap_end) {
			unsigned k = (unsigned)((l.kmap_end - 1 - addr) >> PAGE_SHIFT);
			unsigned cpu = k / KM_TYPE_NR, type = k % KM_TYPE_NR;
			if (cpu < m->cpus)
				o->pfn = h->atomic_pfn[k];
			snprintf(o->detail, sizeof o->detail, "fixmap %u: kmap_atomic "
				 "slot %s of cpu %u%s", idx, km_type_names[type], cpu,
				 o->pfn == KMEM_NO_PFN ? ", unmapped" : "");
		} else {
			snprintf(o->detail, sizeof o->detail, "fixmap slot %u", idx);
		}
		return true;
	}
	return false;
}

#define HFAIL(...) do { snprintf(report, len, "highmem: " __VA_ARGS__); \
	return false; } while (0)

bool highmem_check(const struct machine *cm, char *report, size_t len)
{
	struct machine *m = (struct machine *)cm;       /* walks only read */
	const struct highmem_state *h = m->highmem;
	struct kmem_pt_step st[4];
	uint64_t phys;

	for (unsigned i = 0; i < h->last_pkmap; i++) {
		bool mapped = kpt_walk(m, pkmap_addr(m, i), st, 4, &phys) > 0;
		if (h->pkmap_count[i] < 0)
			HFAIL("pkmap_count[%u] is negative", i);
		if (!h->pkmap_count[i] && (mapped || h->pkmap_page[i] != KMEM_NO_PFN))
			HFAIL("free pkmap slot %u still maps something", i);
		if (h->pkmap_count[i] && (!mapped ||
		    (phys >> PAGE_SHIFT) != h->pkmap_page[i]))
			HFAIL("pkmap slot %u (count %d) does not map pfn %#lx", i,
			      h->pkmap_count[i], h->pkmap_page[i]);
		for (unsigned k = 0; k < i && h->pkmap_page[i] != KMEM_NO_PFN; k++)
			if (h->pkmap_page[k] == h->pkmap_page[i])
				HFAIL("pfn %#lx is in pkmap slots %u and %u",
				      h->pkmap_page[i], k, i);
	}
	if (m->arch != KMEM_ARCH_I386)
		return true;
	for (unsigned cpu = 0; cpu < m->cpus; cpu++)
		for (unsigned t = 0; t < KM_TYPE_NR; t++) {
			unsigned long pfn = h->atomic_pfn[t + KM_TYPE_NR * cpu];
			kaddr_t va = kmap_atomic_slot(m, cpu, t);
			bool mapped = kpt_walk(m, va, st, 4, &phys) > 0;
			if (mapped != (pfn != KMEM_NO_PFN) ||
			    (mapped && (phys >> PAGE_SHIFT) != pfn))
				HFAIL("kmap_atomic slot %s of cpu %u disagrees with its PTE",
				      km_type_names[t], cpu);
		}
	return true;
}
