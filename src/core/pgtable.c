/*
 * pgtable.c - the kernel's virtual address space and its page tables
 * (init_mm / swapper_pg_dir), as Linux 2.6.20 lays them out
 * (include/asm-{i386,x86_64}/pgtable*.h, fixmap.h, highmem.h;
 * arch/i386/mm/init.c, arch/x86_64/mm/init.c).
 *
 *   i386, 3G/1G split, no PAE (2 levels: pgd 4 MiB, pte 4 KiB):
 *     0xc0000000  direct map of lowmem (4 MiB PSE pages in the pgd)
 *     high_memory + 8..16 MiB hole
 *     VMALLOC_START .. VMALLOC_END = PKMAP_BASE - 2 pages
 *     PKMAP_BASE = 0xff800000 .. + LAST_PKMAP pages   persistent kmaps
 *     FIXADDR_START .. FIXADDR_TOP = 0xfffff000       fixmap (kmap_atomic)
 *   i386 PAE (3 levels: pgd 1 GiB, pmd 2 MiB, pte 4 KiB), LAST_PKMAP 512
 *   x86_64 (4 levels: pml4 512 GiB, pud 1 GiB, pmd 2 MiB, pte 4 KiB):
 *     0xffff810000000000 direct map (2 MiB pages), vmalloc at
 *     0xffffc20000000000, kernel text at 0xffffffff80000000
 *
 * Page-table pages are ordinary pages: the boot ones come from bootmem,
 * later ones from the page allocator (pte_alloc_kernel).  Their entries
 * are stored as bytes in simulated memory, so `dump` of a table page shows
 * the real entries.  Kernel tables are never freed, as in 2.6.20.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Entry bits (x86) */
#define _PAGE_PRESENT  0x001ULL
#define _PAGE_RW       0x002ULL
#define _PAGE_USER     0x004ULL
#define _PAGE_ACCESSED 0x020ULL
#define _PAGE_DIRTY    0x040ULL
#define _PAGE_PSE      0x080ULL
#define _PAGE_GLOBAL   0x100ULL
#define _PAGE_NX       (1ULL << 63)
#define PTE_PFN_MASK   0x000ffffffffff000ULL

/* A directory entry pointing at a table: _KERNPG_TABLE */
#define KERNPG_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
/* PAGE_KERNEL for vmalloc/kmap mappings (global, no NX for simplicity on
 * i386, NX on x86_64 where __supported_pte_mask has it) */
#define PAGE_KERNEL_BITS (_PAGE_PRESENT | _PAGE_RW | _PAGE_DIRTY | \
			  _PAGE_ACCESSED | _PAGE_GLOBAL)

/* struct pt_level is in internal.h: memory.c walks user tables with it. */

static const struct pt_level i386_levels[] = {
	{ "pgd", 22, 1024, 4 }, { "pte", 12, 1024, 4 },
};
static const struct pt_level pae_levels[] = {
	{ "pgd", 30, 4, 8 }, { "pmd", 21, 512, 8 }, { "pte", 12, 512, 8 },
};
static const struct pt_level x86_64_levels[] = {
	{ "pgd", 39, 512, 8 }, { "pud", 30, 512, 8 }, { "pmd", 21, 512, 8 },
	{ "pte", 12, 512, 8 },
};

static const struct pt_level *levels_of(const struct machine *m, unsigned *n)
{
	if (m->arch == KMEM_ARCH_X86_64) {
		*n = 4;
		return x86_64_levels;
	}
	if (m->pae) {
		*n = 3;
		return pae_levels;
	}
	*n = 2;
	return i386_levels;
}

const struct pt_level *pt_levels(const struct machine *m, unsigned *n)
{
	return levels_of(m, n);
}

/* ------------------------------------------------------------------ */
/* Layout                                                              */
/* ------------------------------------------------------------------ */

#define FIXADDR_TOP_I386 0xfffff000ULL
#define NR_CPUS_I386     8              /* CONFIG_NR_CPUS default */
#define KM_TYPE_NR       13
#define MAX_IO_APICS     64
#define FIX_ACPI_PAGES   4
#define NR_FIX_BTMAPS    16

/*
 * enum fixed_addresses for a 2.6.20 i386 SMP build with local and I/O
 * APICs, HIGHMEM, ACPI and PCI MMCONFIG:
 *   FIX_HOLE, FIX_VDSO, FIX_APIC_BASE, FIX_IO_APIC_BASE_0..63,
 *   FIX_KMAP_BEGIN .. +KM_TYPE_NR*NR_CPUS-1, FIX_ACPI_BEGIN..END,
 *   FIX_PCIE_MCFG, __end_of_permanent_fixed_addresses,
 *   FIX_BTMAP_END .. FIX_BTMAP_BEGIN (16), FIX_WP_TEST, __end_of_fixed
 * NR_CPUS is the default 8, or 64 (bigsmp) for machines with more CPUs.
 */
#define FIX_KMAP_BEGIN (3 + MAX_IO_APICS)

static unsigned nr_cpus_config(const struct machine *m)
{
	return m->cpus <= NR_CPUS_I386 ? NR_CPUS_I386 : 64;
}

static unsigned end_of_permanent_fixed(const struct machine *m)
{
	return FIX_KMAP_BEGIN + KM_TYPE_NR * nr_cpus_config(m) +
	       FIX_ACPI_PAGES + 1;
}

static unsigned end_of_fixed(const struct machine *m)
{
	return end_of_permanent_fixed(m) + NR_FIX_BTMAPS + 1;
}

kaddr_t fix_to_virt(unsigned idx)
{
	return FIXADDR_TOP_I386 - ((kaddr_t)idx << PAGE_SHIFT);
}

kaddr_t kmap_atomic_slot(const struct machine *m, unsigned cpu, unsigned type)
{
	(void)m;
	return fix_to_virt(FIX_KMAP_BEGIN + type + KM_TYPE_NR * cpu);
}

void kernel_layout(const struct machine *m, struct kmem_layout *l)
{
	memset(l, 0, sizeof *l);
	l->page_offset = m->page_offset;
	l->high_memory = m->page_offset + ((kaddr_t)m->max_low_pfn << PAGE_SHIFT);
	l->km_type_nr = KM_TYPE_NR;
	if (m->arch == KMEM_ARCH_X86_64) {
		l->levels = 4;
		l->vmalloc_start = 0xffffc20000000000ULL;
		l->vmalloc_end = 0xffffe1ffffffffffULL;
		l->modules_vaddr = 0xffffffff88000000ULL;
		l->modules_end = 0xfffffffffff00000ULL;
		l->kernel_text_map = 0xffffffff80000000ULL;
		return;
	}
	l->levels = m->pae ? 3 : 2;
	l->last_pkmap = m->pae ? 512 : 1024;
	l->fixaddr_top = FIXADDR_TOP_I386;
	l->fixaddr_start = FIXADDR_TOP_I386 -
			   ((kaddr_t)end_of_permanent_fixed(m) << PAGE_SHIFT);
	kaddr_t fixaddr_boot_start = FIXADDR_TOP_I386 -
				     ((kaddr_t)end_of_fixed(m) << PAGE_SHIFT);
	kaddr_t pmd_mask = m->pae ? ~((2ULL << 20) - 1) : ~((4ULL << 20) - 1);
	l->pkmap_base = (fixaddr_boot_start -
			 (kaddr_t)PAGE_SIZE * (l->last_pkmap + 1)) & pmd_mask &
			0xffffffffULL;
	l->pkmap_end = l->pkmap_base + (kaddr_t)l->last_pkmap * PAGE_SIZE;
	/* VMALLOC_OFFSET 8 MiB: a hole of 8..16 MiB after lowmem */
	l->vmalloc_start = (l->high_memory + 2 * (8ULL << 20) - 1) &
			   ~((8ULL << 20) - 1);
	l->vmalloc_end = l->pkmap_base - 2 * PAGE_SIZE;
	l->kmap_begin = kmap_atomic_slot(m, nr_cpus_config(m) - 1, KM_TYPE_NR - 1);
	l->kmap_end = kmap_atomic_slot(m, 0, 0) + PAGE_SIZE;
}

void kmem_kernel_layout(const struct machine *m, struct kmem_layout *l)
{
	kernel_layout(m, l);
}

/* ------------------------------------------------------------------ */
/* Entries in simulated memory                                         */
/* ------------------------------------------------------------------ */

static uint64_t read_entry(struct machine *m, unsigned long table_pfn,
			   unsigned idx, unsigned size)
{
	uint64_t v = 0;

	physmem_read(m, ((uint64_t)table_pfn << PAGE_SHIFT) + (uint64_t)idx * size,
		     &v, size);
	return v;
}

static void write_entry(struct machine *m, unsigned long table_pfn,
			unsigned idx, unsigned size, uint64_t v)
{
	physmem_write(m, ((uint64_t)table_pfn << PAGE_SHIFT) + (uint64_t)idx * size,
		      &v, size);
}

static unsigned level_index(const struct pt_level *lv, kaddr_t va)
{
	return (unsigned)((va >> lv->shift) & (lv->entries - 1));
}

/* A page-table page for the kernel: from bootmem at boot (the caller
 * passes it), else pte_alloc_kernel's __get_free_page. */
static int alloc_table_page(struct machine *m, unsigned long *pfn)
{
	int rc = kmem_alloc_pages(m, 0, GFP_KERNEL | __GFP_REPEAT | __GFP_ZERO,
				  0, pfn);

	if (rc)
		return rc;
	m->kernel_pt_pages++;
	return 0;
}

/*
 * Map one 4 KiB page at va to pfn with `bits`, allocating the tables on
 * the way.  Fails (-ENOMEM) without changing any mapping when a table
 * cannot be allocated; -EEXIST if a PTE is already present.
 */
int kpt_map(struct machine *m, kaddr_t va, unsigned long pfn, uint64_t bits)
{
	unsigned n;
	const struct pt_level *lv = levels_of(m, &n);
	unsigned long table = m->pgd_pfn;

	for (unsigned i = 0; i + 1 < n; i++) {
		unsigned idx = level_index(&lv[i], va);
		uint64_t e = read_entry(m, table, idx, lv[i].entry_size);
		if (!(e & _PAGE_PRESENT)) {
			unsigned long child;
			int rc = alloc_table_page(m, &child);
			if (rc)
				return rc;
			if (TRACING(m))
				trace_note(m, "%s_alloc_kernel: new %s table at pfn %#lx "
					   "for %#llx", lv[i + 1].name, lv[i + 1].name,
					   child, (unsigned long long)va);
			e = ((uint64_t)child << PAGE_SHIFT) | KERNPG_TABLE;
			if (m->pae && i == 0)
				e = ((uint64_t)child << PAGE_SHIFT) | _PAGE_PRESENT;
			write_entry(m, table, idx, lv[i].entry_size, e);
		} else if (e & _PAGE_PSE) {
			return -EEXIST;
		}
		table = (unsigned long)((e & PTE_PFN_MASK) >> PAGE_SHIFT);
	}
	unsigned idx = level_index(&lv[n - 1], va);
	if (read_entry(m, table, idx, lv[n - 1].entry_size) & _PAGE_PRESENT)
		return -EEXIST;
	write_entry(m, table, idx, lv[n - 1].entry_size,
		    ((uint64_t)pfn << PAGE_SHIFT) | bits);
	return 0;
}

int kpt_map_kernel(struct machine *m, kaddr_t va, unsigned long pfn)
{
	return kpt_map(m, va, pfn, PAGE_KERNEL_BITS |
		       (m->arch == KMEM_ARCH_X86_64 ? _PAGE_NX : 0));
}

/* Clear the PTE for va (pte_clear); tables stay.  Returns whether a
 * mapping was present. */
bool kpt_unmap(struct machine *m, kaddr_t va)
{
	unsigned n;
	const struct pt_level *lv = levels_of(m, &n);
	unsigned long table = m->pgd_pfn;

	for (unsigned i = 0; i + 1 < n; i++) {
		uint64_t e = read_entry(m, table, level_index(&lv[i], va),
					lv[i].entry_size);
		if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE))
			return false;
		table = (unsigned long)((e & PTE_PFN_MASK) >> PAGE_SHIFT);
	}
	unsigned idx = level_index(&lv[n - 1], va);
	uint64_t e = read_entry(m, table, idx, lv[n - 1].entry_size);
	write_entry(m, table, idx, lv[n - 1].entry_size, 0);
	return e & _PAGE_PRESENT;
}

/* Does a table exist down to the PTE for va (without allocating)? */
bool kpt_has_pte_table(struct machine *m, kaddr_t va)
{
	unsigned n;
	const struct pt_level *lv = levels_of(m, &n);
	unsigned long table = m->pgd_pfn;

	for (unsigned i = 0; i + 1 < n; i++) {
		uint64_t e = read_entry(m, table, level_index(&lv[i], va),
					lv[i].entry_size);
		if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE))
			return false;
		table = (unsigned long)((e & PTE_PFN_MASK) >> PAGE_SHIFT);
	}
	return true;
}

/* How many new table pages mapping [va, va+len) would need. */
unsigned kpt_tables_needed(struct machine *m, kaddr_t va, size_t len)
{
	unsigned n;
	const struct pt_level *lv = levels_of(m, &n);
	unsigned need = 0;

	/* count distinct missing tables at each level over the range */
	for (unsigned i = 0; i + 1 < n; i++) {
		kaddr_t span = 1ULL << lv[i].shift;
		kaddr_t start = va & ~(span - 1);
		for (kaddr_t a = start; a < va + len; a += span) {
			unsigned depth_ok = 0;
			unsigned long table = m->pgd_pfn;
			for (unsigned k = 0; k <= i; k++) {
				uint64_t e = read_entry(m, table, level_index(&lv[k], a),
							lv[k].entry_size);
				if (!(e & _PAGE_PRESENT))
					break;
				depth_ok++;
				table = (unsigned long)((e & PTE_PFN_MASK) >> PAGE_SHIFT);
			}
			if (depth_ok <= i)
				need++;
			if (a + span < a)
				break;
		}
	}
	return need;
}

/*
 * Walk va through the kernel tables.  Fills up to max steps (one per
 * level visited) and *phys when mapped; returns the number of steps, or
 * -EFAULT (after filling the steps walked) when nothing maps va.
 */
int kpt_walk(struct machine *m, kaddr_t va, struct kmem_pt_step *steps,
	     int max, uint64_t *phys)
{
	return pt_walk(m, (uint64_t)m->pgd_pfn << PAGE_SHIFT, va, steps, max,
		       phys);
}

/* The walk itself, from a top-level table at root_phys (a user pgd, or
 * swapper_pg_dir for kpt_walk).  Lower tables are whole pages. */
int pt_walk(struct machine *m, uint64_t root_phys, kaddr_t va,
	    struct kmem_pt_step *steps, int max, uint64_t *phys)
{
	unsigned n;
	const struct pt_level *lv = levels_of(m, &n);
	unsigned long table = (unsigned long)(root_phys >> PAGE_SHIFT);
	uint64_t table_phys = root_phys;
	int k = 0;

	for (unsigned i = 0; i < n; i++) {
		unsigned idx = level_index(&lv[i], va);
		uint64_t e = 0;
		physmem_read(m, table_phys + (uint64_t)idx * lv[i].entry_size, &e,
			     lv[i].entry_size);
		bool last = i + 1 == n || (e & _PAGE_PSE);
		if (k < max) {
			steps[k].name = lv[i].name;
			steps[k].index = idx;
			steps[k].table_pfn = table;
			steps[k].entry = e;
			steps[k].entry_size = lv[i].entry_size;
			steps[k].present = e & _PAGE_PRESENT;
			steps[k].large = i + 1 < n && (e & _PAGE_PSE);
			steps[k].page_shift = lv[i].shift;
		}
		k++;
		if (!(e & _PAGE_PRESENT))
			return -EFAULT;
		if (last) {
			uint64_t mask = (1ULL << lv[i].shift) - 1;
			if (phys)
				*phys = (e & PTE_PFN_MASK & ~mask) | (va & mask);
			return k;
		}
		table = (unsigned long)((e & PTE_PFN_MASK) >> PAGE_SHIFT);
		table_phys = (uint64_t)table << PAGE_SHIFT;
	}
	return -EFAULT;
}

int kmem_pagetable_walk(struct machine *m, kaddr_t va,
			struct kmem_pt_step *steps, int max, uint64_t *phys)
{
	return kpt_walk(m, va, steps, max, phys);
}

/* Kernel virtual -> physical through the tables (direct map fast). */
bool kernel_virt_to_phys(struct machine *m, kaddr_t va, uint64_t *phys)
{
	if (va >= m->page_offset &&
	    va - m->page_offset < ((kaddr_t)m->max_low_pfn << PAGE_SHIFT)) {
		*phys = va - m->page_offset;
		return true;
	}
	struct kmem_pt_step st[4];
	return kpt_walk(m, va, st, 4, phys) > 0;
}

/* ------------------------------------------------------------------ */
/* Boot: swapper_pg_dir and the direct map                             */
/* ------------------------------------------------------------------ */

/*
 * pagetable_init / init_memory_mapping: the top-level table lives in the
 * kernel image's data; the direct map uses large pages (4 MiB PSE on i386,
 * 2 MiB with PAE and on x86_64).  alloc_low(bytes, what) hands out boot
 * pages for the intermediate tables.
 */
void pgtable_boot(struct machine *m,
		  unsigned long (*alloc_low)(struct machine *, void *, const char *),
		  void *ctx)
{
	unsigned n;
	const struct pt_level *lv = levels_of(m, &n);
	unsigned long lowmem = m->max_low_pfn;

	m->pgd_pfn = (unsigned long)((kernel_static_addr(m, 0x1000) -
				      m->page_offset) >> PAGE_SHIFT);
	if (m->arch == KMEM_ARCH_I386 && !m->pae) {
		/* pgd entries of 4 MiB, PAGE_KERNEL_LARGE */
		for (unsigned long pfn = 0; pfn < lowmem; pfn += 1024) {
			kaddr_t va = m->page_offset + ((kaddr_t)pfn << PAGE_SHIFT);
			write_entry(m, m->pgd_pfn, level_index(&lv[0], va), 4,
				    ((uint64_t)pfn << PAGE_SHIFT) | PAGE_KERNEL_BITS |
				    _PAGE_PSE);
		}
	} else {
		/* directories down to the pmd, then 2 MiB entries */
		for (unsigned long pfn = 0; pfn < lowmem; pfn += 512) {
			kaddr_t va = m->page_offset + ((kaddr_t)pfn << PAGE_SHIFT);
			unsigned long table = m->pgd_pfn;
			for (unsigned i = 0; i + 2 < n; i++) {
				unsigned idx = level_index(&lv[i], va);
				uint64_t e = read_entry(m, table, idx, lv[i].entry_size);
				if (!(e & _PAGE_PRESENT)) {
					unsigned long child = alloc_low(m, ctx,
						"kernel page table");
					e = ((uint64_t)child << PAGE_SHIFT) |
					    (m->pae && i == 0 ? _PAGE_PRESENT : KERNPG_TABLE);
					write_entry(m, table, idx, lv[i].entry_size, e);
				}
				table = (unsigned long)((e & PTE_PFN_MASK) >> PAGE_SHIFT);
			}
			write_entry(m, table, level_index(&lv[n - 2], va), 8,
				    ((uint64_t)pfn << PAGE_SHIFT) | PAGE_KERNEL_BITS |
				    _PAGE_PSE);
		}
	}
	if (m->arch == KMEM_ARCH_I386) {
		/* permanent_kmaps_init and the fixmap: their PTE tables exist
		 * from boot (page_table_range_init) */
		struct kmem_layout l;
		kernel_layout(m, &l);
		kaddr_t ranges[2] = { l.pkmap_base, l.fixaddr_start & ~(PAGE_SIZE - 1) };
		for (int r = 0; r < 2; r++) {
			kaddr_t end = r ? l.fixaddr_top : l.pkmap_end;
			for (kaddr_t va = ranges[r]; va < end; va += PAGE_SIZE) {
				unsigned long table = m->pgd_pfn;
				for (unsigned i = 0; i + 1 < n; i++) {
					unsigned idx = level_index(&lv[i], va);
					uint64_t e = read_entry(m, table, idx, lv[i].entry_size);
					if (!(e & _PAGE_PRESENT)) {
						unsigned long child = alloc_low(m, ctx,
							r ? "fixmap page table" : "pkmap page table");
						e = ((uint64_t)child << PAGE_SHIFT) |
						    (m->pae && i == 0 ? _PAGE_PRESENT :
						     KERNPG_TABLE);
						write_entry(m, table, idx, lv[i].entry_size, e);
					}
					table = (unsigned long)((e & PTE_PFN_MASK) >> PAGE_SHIFT);
				}
			}
		}
	}
}
