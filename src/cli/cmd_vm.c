/*
 * cmd_vm.c - the kernel address space commands: vmalloc, vmalloc_32,
 * vmalloc_user, vmalloc_node, vfree, vmap, vunmap, ioremap, iounmap,
 * kmap, kunmap, kmap_atomic, kunmap_atomic, and `show vmlist`,
 * `show pkmap`, `show layout`, `show pagetable`.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int do_vmalloc(struct session *s, enum kmem_vmalloc_kind kind, int nid,
		      const char *size_word)
{
	uint64_t size;
	kaddr_t addr;

	if (arg_size(s, size_word, "size", &size))
		return -1;
	if (kmem_vmalloc(s->m, kind, (size_t)size, nid, &addr))
		return sess_error(s, "%s", kmem_last_error(s->m));
	return object_made(s, addr, VALUE_VMALLOC);
}

static int run_vmalloc(struct session *s, int argc, char **argv)
{
	return do_vmalloc(s, KMEM_VMALLOC, -1, argv[1]);
}

static int run_vmalloc_32(struct session *s, int argc, char **argv)
{
	return do_vmalloc(s, KMEM_VMALLOC_32, -1, argv[1]);
}

static int run_vmalloc_user(struct session *s, int argc, char **argv)
{
	return do_vmalloc(s, KMEM_VMALLOC_USER, -1, argv[1]);
}

static int run_vmalloc_node(struct session *s, int argc, char **argv)
{
	unsigned nid;

	if (arg_uint(s, argv[1], "node", KMEM_MAX_NODES - 1, &nid))
		return -1;
	return do_vmalloc(s, KMEM_VMALLOC, (int)nid, argv[2]);
}

/* Mark the value holding addr (if any) freed. */
static void forget_address(struct session *s, kaddr_t addr, long vidx)
{
	if (vidx < 0)
		for (size_t i = 0; i < s->nvalues; i++)
			if (s->values[i].kind == VAL_OBJ && !s->values[i].freed &&
			    s->values[i].addr == addr)
				vidx = (long)i;
	if (vidx >= 0)
		value_mark_freed(s, (size_t)vidx);
}

static int undo_area(struct session *s, const char *word,
		     int (*fn)(struct machine *, kaddr_t))
{
	kaddr_t addr;
	long vidx;

	if (arg_kaddr(s, word, &addr, &vidx))
		return -1;
	if (fn(s->m, addr))
		return sess_error(s, "%s", kmem_last_error(s->m));
	forget_address(s, addr, vidx);
	return 0;
}

static int run_vfree(struct session *s, int argc, char **argv)
{
	return undo_area(s, argv[1], kmem_vfree);
}

static int run_vunmap(struct session *s, int argc, char **argv)
{
	return undo_area(s, argv[1], kmem_vunmap);
}

static int run_iounmap(struct session *s, int argc, char **argv)
{
	return undo_area(s, argv[1], kmem_iounmap);
}

static int run_vmap(struct session *s, int argc, char **argv)
{
	unsigned long *pfns = calloc((size_t)argc, sizeof *pfns);
	unsigned n = 0;
	kaddr_t addr;

	if (!pfns)
		cli_oom();
	for (int i = 1; i < argc; i++) {
		long vidx;
		unsigned long pfn;
		if (arg_page(s, argv[i], &pfn, &vidx)) {
			free(pfns);
			return -1;
		}
		/* a value of order k contributes its 2^k pages */
		unsigned order = vidx >= 0 ? s->values[vidx].order : 0;
		pfns = realloc(pfns, (n + (1u << order) + (size_t)argc) * sizeof *pfns);
		if (!pfns)
			cli_oom();
		for (unsigned k = 0; k < (1u << order); k++)
			pfns[n++] = pfn + k;
	}
	int rc = kmem_vmap(s->m, pfns, n, &addr);
	free(pfns);
	if (rc)
		return sess_error(s, "%s", kmem_last_error(s->m));
	return object_made(s, addr, VALUE_MAPPING);
}

static int run_ioremap(struct session *s, int argc, char **argv)
{
	uint64_t phys, size;
	kaddr_t addr;

	if (arg_size(s, argv[1], "physical address", &phys) ||
	    arg_size(s, argv[2], "size", &size))
		return -1;
	if (kmem_ioremap(s->m, phys, (size_t)size, &addr))
		return sess_error(s, "%s", kmem_last_error(s->m));
	return object_made(s, addr, VALUE_MAPPING);
}

/* ------------------------------------------------------------------ */
/* kmap                                                                */
/* ------------------------------------------------------------------ */

static int arg_km_type(struct session *s, const char *word, int *type)
{
	uint64_t v;

	*type = kmem_km_type_lookup(word);
	if (*type >= 0)
		return 0;
	if (!parse_u64(word, &v) && v < 13) {
		*type = (int)v;
		return 0;
	}
	return sess_error(s, "unknown km_type '%s' (KM_USER0, KM_USER1, "
			  "KM_BOUNCE_READ ... or 0..12)", word);
}

static void print_mapping(struct session *s, unsigned long pfn, kaddr_t va)
{
	if (sess_json(s)) {
		json_u64(s, "pfn", pfn);
		json_hex(s, "virt", va);
	} else if (sess_text(s) && !(s->flags & SESS_QUIET)) {
		sess_printf(s, "pfn 0x%lx -> 0x%llx\n", pfn, (unsigned long long)va);
	}
}

static int run_kmap(struct session *s, int argc, char **argv)
{
	unsigned long pfn;
	long vidx;
	kaddr_t va;

	if (arg_page(s, argv[1], &pfn, &vidx))
		return -1;
	if (kmem_kmap(s->m, pfn, &va))
		return sess_error(s, "%s", kmem_last_error(s->m));
	print_mapping(s, pfn, va);
	return 0;
}

static int run_kunmap(struct session *s, int argc, char **argv)
{
	unsigned long pfn;
	long vidx;

	if (arg_page(s, argv[1], &pfn, &vidx))
		return -1;
	if (kmem_kunmap(s->m, pfn))
		return sess_error(s, "%s", kmem_last_error(s->m));
	return 0;
}

static int run_kmap_atomic(struct session *s, int argc, char **argv)
{
	unsigned long pfn;
	long vidx;
	int type;
	kaddr_t va;

	if (arg_page(s, argv[1], &pfn, &vidx) || arg_km_type(s, argv[2], &type))
		return -1;
	if (kmem_kmap_atomic(s->m, pfn, type, &va))
		return sess_error(s, "%s", kmem_last_error(s->m));
	print_mapping(s, pfn, va);
	return 0;
}

static int run_kunmap_atomic(struct session *s, int argc, char **argv)
{
	kaddr_t va;
	long vidx;
	int type;

	if (arg_kaddr(s, argv[1], &va, &vidx) || arg_km_type(s, argv[2], &type))
		return -1;
	if (kmem_kunmap_atomic(s->m, va, type))
		return sess_error(s, "%s", kmem_last_error(s->m));
	return 0;
}

/* ------------------------------------------------------------------ */
/* show vmlist / pkmap / layout / pagetable                            */
/* ------------------------------------------------------------------ */

static void flag_words(unsigned f, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s", f & VM_IOREMAP ? " ioremap" : "",
		 f & VM_ALLOC ? " vmalloc" : "", f & VM_MAP ? " vmap" : "",
		 f & VM_USERMAP ? " user" : "", f & VM_VPAGES ? " vpages" : "");
}

static int show_vmlist(struct session *s, int argc, char **argv)
{
	size_t n = kmem_vmlist(s->m, NULL, 0);
	struct kmem_vm_area *a = calloc(n + 1, sizeof *a);
	char fw[64];

	if (!a)
		cli_oom();
	kmem_vmlist(s->m, a, n);
	if (sess_text(s))
		sess_printf(s, "vmlist: %zu area%s\n", n, n == 1 ? "" : "s");
	if (sess_json(s))
		json_begin_array(s, "areas");
	for (size_t i = 0; i < n; i++) {
		flag_words(a[i].flags, fw, sizeof fw);
		if (sess_json(s)) {
			json_begin_object(s, NULL);
			json_hex(s, "addr", a[i].addr);
			json_u64(s, "size", a[i].size);
			json_u64(s, "nr_pages", a[i].nr_pages);
			json_str(s, "flags", fw + (fw[0] == ' '));
			json_end_object(s);
			continue;
		}
		if (!sess_text(s))
			continue;
		sess_printf(s, "  0x%llx-0x%llx %8zu%s", (unsigned long long)a[i].addr,
			    (unsigned long long)(a[i].addr + a[i].size), a[i].size, fw);
		if (a[i].phys_addr)
			sess_printf(s, " phys=0x%llx", (unsigned long long)a[i].phys_addr);
		sess_printf(s, "  (guard page 0x%llx)\n",
			    (unsigned long long)(a[i].addr + a[i].size - KMEM_PAGE_SIZE));
		if (a[i].nr_pages) {
			unsigned long pfns[16];
			size_t k = kmem_vm_area_pages(s->m, a[i].addr, pfns, 16);
			sess_printf(s, "    pages:");
			for (size_t j = 0; j < k && j < 16; j++)
				sess_printf(s, " 0x%lx", pfns[j]);
			sess_printf(s, "%s\n", k > 16 ? " ..." : "");
		}
	}
	if (sess_json(s))
		json_end_array(s);
	free(a);
	return 0;
}

static int show_pkmap(struct session *s, int argc, char **argv)
{
	struct kmem_layout l;
	unsigned rotor;

	kmem_kernel_layout(s->m, &l);
	if (!l.last_pkmap) {
		if (sess_text(s))
			sess_printf(s, "no persistent kmaps: x86_64 has no highmem\n");
		return 0;
	}
	size_t n = kmem_pkmap_slots(s->m, NULL, 0, &rotor);
	struct kmem_pkmap_slot *sl = calloc(n + 1, sizeof *sl);
	if (!sl)
		cli_oom();
	kmem_pkmap_slots(s->m, sl, n, &rotor);
	if (sess_json(s)) {
		json_u64(s, "last_pkmap_nr", rotor);
		json_begin_array(s, "slots");
		for (size_t i = 0; i < n; i++) {
			json_begin_object(s, NULL);
			json_u64(s, "nr", sl[i].nr);
			json_i64(s, "count", sl[i].count);
			json_hex(s, "addr", sl[i].addr);
			if (sl[i].pfn != KMEM_NO_PFN)
				json_u64(s, "pfn", sl[i].pfn);
			json_end_object(s);
		}
		json_end_array(s);
	} else if (sess_text(s)) {
		sess_printf(s, "pkmap: %u slots at 0x%llx, last_pkmap_nr %u, %zu in use "
			    "or awaiting a flush\n", l.last_pkmap,
			    (unsigned long long)l.pkmap_base, rotor, n);
		for (size_t i = 0; i < n; i++)
			sess_printf(s, "  slot %4u  0x%llx  count %d  pfn 0x%lx%s\n",
				    sl[i].nr, (unsigned long long)sl[i].addr,
				    sl[i].count, sl[i].pfn, sl[i].count == 1 ?
				    "  (unused, freed at the next flush)" : "");
	}
	free(sl);
	return 0;
}

static int show_layout(struct session *s, int argc, char **argv)
{
	struct kmem_layout l;

	kmem_kernel_layout(s->m, &l);
	if (sess_json(s)) {
		json_hex(s, "page_offset", l.page_offset);
		json_hex(s, "high_memory", l.high_memory);
		json_hex(s, "vmalloc_start", l.vmalloc_start);
		json_hex(s, "vmalloc_end", l.vmalloc_end);
		if (l.last_pkmap) {
			json_hex(s, "pkmap_base", l.pkmap_base);
			json_hex(s, "fixaddr_start", l.fixaddr_start);
			json_hex(s, "fixaddr_top", l.fixaddr_top);
		}
		json_u64(s, "levels", l.levels);
		return 0;
	}
	if (!sess_text(s))
		return 0;
	sess_printf(s, "virtual kernel memory layout (%u-level page tables):\n",
		    l.levels);
	if (l.last_pkmap) {
		sess_printf(s, "    fixmap  : 0x%08llx - 0x%08llx   (%4llu kB)\n",
			    (unsigned long long)l.fixaddr_start,
			    (unsigned long long)l.fixaddr_top,
			    (unsigned long long)((l.fixaddr_top - l.fixaddr_start) >> 10));
		sess_printf(s, "      kmap_atomic slots 0x%08llx - 0x%08llx\n",
			    (unsigned long long)l.kmap_begin,
			    (unsigned long long)l.kmap_end);
		sess_printf(s, "    pkmap   : 0x%08llx - 0x%08llx   (%4llu kB)\n",
			    (unsigned long long)l.pkmap_base,
			    (unsigned long long)l.pkmap_end,
			    (unsigned long long)((l.pkmap_end - l.pkmap_base) >> 10));
	}
	sess_printf(s, "    vmalloc : 0x%08llx - 0x%08llx   (%4llu MB)\n",
		    (unsigned long long)l.vmalloc_start,
		    (unsigned long long)l.vmalloc_end,
		    (unsigned long long)((l.vmalloc_end - l.vmalloc_start) >> 20));
	sess_printf(s, "    lowmem  : 0x%08llx - 0x%08llx   (%4llu MB)\n",
		    (unsigned long long)l.page_offset,
		    (unsigned long long)l.high_memory,
		    (unsigned long long)((l.high_memory - l.page_offset) >> 20));
	if (l.kernel_text_map)
		sess_printf(s, "    kernel text map 0x%llx, modules 0x%llx - 0x%llx\n",
			    (unsigned long long)l.kernel_text_map,
			    (unsigned long long)l.modules_vaddr,
			    (unsigned long long)l.modules_end);
	return 0;
}

static int show_pagetable(struct session *s, int argc, char **argv)
{
	kaddr_t va;
	long vidx;
	struct kmem_pt_step st[4];
	uint64_t phys = 0;

	if (argc == 3)
		return show_user_pagetable(s, argv[1], argv[2]);
	if (arg_kaddr(s, argv[1], &va, &vidx))
		return -1;
	int n = kmem_pagetable_walk(s->m, va, st, 4, &phys);
	int steps = n < 0 ? 4 : n;
	if (sess_json(s))
		json_begin_array(s, "steps");
	for (int i = 0; i < steps; i++) {
		if (sess_json(s)) {
			json_begin_object(s, NULL);
			json_str(s, "level", st[i].name);
			json_u64(s, "index", st[i].index);
			json_u64(s, "table_pfn", st[i].table_pfn);
			json_hex(s, "entry", st[i].entry);
			json_end_object(s);
		} else if (sess_text(s)) {
			sess_printf(s, "  %-3s[%4u] in table pfn 0x%lx = 0x%0*llx%s%s\n",
				    st[i].name, st[i].index, st[i].table_pfn,
				    (int)st[i].entry_size * 2,
				    (unsigned long long)st[i].entry,
				    st[i].present ? "" : "  not present",
				    st[i].large ? "  (large page)" : "");
		}
		if (!st[i].present)
			break;
	}
	if (sess_json(s)) {
		json_end_array(s);
		if (n > 0)
			json_hex(s, "phys", phys);
	} else if (sess_text(s)) {
		if (n > 0)
			sess_printf(s, "0x%llx -> phys 0x%llx (pfn 0x%llx)\n",
				    (unsigned long long)va, (unsigned long long)phys,
				    (unsigned long long)(phys >> KMEM_PAGE_SHIFT));
		else
			sess_printf(s, "0x%llx is not mapped\n", (unsigned long long)va);
	}
	return 0;
}

static void complete_show_pagetable(struct session *s, int argi,
				    char **argv, struct completion *c)
{
	if (argi == 2) {
		complete_pids(s, c);
		complete_values(s, c);
	} else if (argi == 3) {
		complete_values(s, c);
	}
}

const struct command show_vmlist_entry = {
	.name = "vmlist", .usage = "show vmlist",
	.summary = "the vmalloc/vmap/ioremap areas, their pages and guard pages",
	.example = "show vmlist",
	.family = FAM_SHOW, .min_args = 0, .max_args = 0, .run = show_vmlist,
};
const struct command show_pkmap_entry = {
	.name = "pkmap", .usage = "show pkmap",
	.summary = "persistent kmap slots in use, and the rotor",
	.example = "show pkmap",
	.family = FAM_SHOW, .min_args = 0, .max_args = 0, .run = show_pkmap,
};
const struct command show_layout_entry = {
	.name = "layout", .usage = "show layout",
	.summary = "the kernel's virtual address space with this machine's numbers",
	.example = "show layout",
	.family = FAM_SHOW, .min_args = 0, .max_args = 0, .run = show_layout,
};
const struct command show_pagetable_entry = {
	.name = "pagetable", .usage = "show pagetable [PID] ADDR",
	.summary = "walk an address through init_mm's or a task's page tables",
	.example = "show pagetable 0xc0100000",
	.detail = "With ADDR alone, a kernel address through init_mm's tables "
		  "(swapper_pg_dir).  With PID, a user address through that "
		  "task's own tables (2 levels on i386, 3 with PAE, 4 on "
		  "x86_64): each level's index, the table's pfn and the raw "
		  "entry, down to the page or the first empty entry.",
	.family = FAM_SHOW, .min_args = 1, .max_args = 2, .run = show_pagetable,
	.complete = complete_show_pagetable,
};

DEFINE_CMD(FAM_VM, vmalloc, "vmalloc SIZE", "virtually contiguous memory from "
       "scattered (highmem) pages", "v = vmalloc 12k",
       "First fit in the vmlist, a guard page after each area, one "
       "alloc_page per page, page tables filled by map_vm_area.", 1, 1,
       CMD_VALUE | CMD_MUTATES, run_vmalloc);
DEFINE_CMD(FAM_VM, vmalloc_32, "vmalloc_32 SIZE", "vmalloc from lowmem pages (GFP_KERNEL)",
       "vmalloc_32 8k", NULL, 1, 1, CMD_VALUE | CMD_MUTATES, run_vmalloc_32);
DEFINE_CMD(FAM_VM, vmalloc_user, "vmalloc_user SIZE", "zeroed vmalloc for mapping to "
       "user space (VM_USERMAP)", "vmalloc_user 4k", NULL, 1, 1,
       CMD_VALUE | CMD_MUTATES, run_vmalloc_user);
DEFINE_CMD(FAM_VM, vmalloc_node, "vmalloc_node NID SIZE", "vmalloc with pages from a "
       "node", "vmalloc_node 0 8k", NULL, 2, 2, CMD_VALUE | CMD_MUTATES,
       run_vmalloc_node);
DEFINE_CMD(FAM_VM, vfree, "vfree X", "free a vmalloc area and its pages", "vfree v",
       "A bad or unknown address gets 2.6.20's 'Trying to vfree() ...' "
       "message and nothing changes.", 1, 1, CMD_MUTATES, run_vfree);
DEFINE_CMD(FAM_VM, vmap, "vmap PAGE...", "map allocated pages contiguously", "vmap $1 $2",
       "Each PAGE is a page value ($N from alloc_pages: all its pages), a "
       "pfn or an address.", 1, -1, CMD_VALUE | CMD_MUTATES, run_vmap);
DEFINE_CMD(FAM_VM, vunmap, "vunmap X", "remove a vmap area (the pages stay)",
       "vunmap $3", NULL, 1, 1, CMD_MUTATES, run_vunmap);
DEFINE_CMD(FAM_VM, ioremap, "ioremap PHYS SIZE", "map I/O memory (address space only, "
       "no pages)", "ioremap 0xfebf0000 4k", "RAM in use is refused; the "
       "ISA window 0xa0000-0xfffff is already mapped.", 2, 2,
       CMD_VALUE | CMD_MUTATES, run_ioremap);
DEFINE_CMD(FAM_VM, iounmap, "iounmap ADDR", "undo an ioremap", "iounmap $1", NULL, 1, 1,
       CMD_MUTATES, run_iounmap);
DEFINE_CMD(FAM_VM, kmap, "kmap PAGE", "a kernel address for a page (a pkmap slot for "
       "highmem)", "kmap $1", "Lowmem pages return their direct-map "
       "address.  When every slot is busy a real kernel would sleep: here "
       "kmap fails and says so.", 1, 1, CMD_MUTATES, run_kmap);
DEFINE_CMD(FAM_VM, kunmap, "kunmap PAGE", "drop a kmap", "kunmap $1", NULL, 1, 1,
       CMD_MUTATES, run_kunmap);
DEFINE_CMD(FAM_VM, kmap_atomic, "kmap_atomic PAGE TYPE", "map a page in this CPU's "
       "fixmap slot TYPE", "kmap_atomic $1 KM_USER0", NULL, 2, 2, CMD_MUTATES,
       run_kmap_atomic);
DEFINE_CMD(FAM_VM, kunmap_atomic, "kunmap_atomic ADDR TYPE", "release a kmap_atomic "
       "slot", "kunmap_atomic 0xfffb9000 KM_USER0", NULL, 2, 2, CMD_MUTATES,
       run_kunmap_atomic);
