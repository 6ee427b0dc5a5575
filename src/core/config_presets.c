/*
 * config_presets.c - the built-in machines (`kmemlab -m NAME`) and the
 * YAML writer behind `kmemlab --print-config`.
 *
 * A preset is what a machine file would say, compiled in, so that labs
 * and tests need no file.  Every preset passes kmem_config_validate() and
 * kmem_config_emit_yaml() writes it back as a file that loads to the same
 * struct (tests/unit/test_config.c holds both to it).
 *
 *   name          arch    cpus  memory  zones (derived at boot)
 *   i386-1g       i386    2     1G      DMA 16M, Normal 880M, HighMem 128M
 *   i386-4g       i386    2     4G      DMA, Normal to 896M, HighMem 3.1G
 *   x86_64-2g     x86_64  2     2G      DMA, DMA32
 *   x86_64-numa   x86_64  4     2 x 1G  node 0: DMA, DMA32; node 1: DMA32
 *   tiny          i386    1     32M     DMA, Normal
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct preset {
	const char *name;               /* `-m NAME` */
	const char *summary;            /* one line for --help and `machine` */
	enum kmem_arch arch;            /* i386 or x86_64 */
	unsigned cpus;                  /* online CPUs */
	unsigned nr_nodes;              /* 0 = one node holding memory */
	uint64_t memory;                /* bytes; per node when nr_nodes > 1 */
};

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* Default first. */
static const struct preset presets[] = {
	{ "i386-1g", "i386, 2 CPUs, 1 GiB: DMA, Normal and a little HighMem "
	  "(the default)", KMEM_ARCH_I386, 2, 0, 1 * GiB },
	{ "i386-4g", "i386, 2 CPUs, 4 GiB: lowmem ends at 896 MiB, HighMem "
	  "above", KMEM_ARCH_I386, 2, 0, 4 * GiB },
	{ "x86_64-2g", "x86_64, 2 CPUs, 2 GiB: DMA and DMA32, no HighMem",
	  KMEM_ARCH_X86_64, 2, 0, 2 * GiB },
	{ "x86_64-numa", "x86_64, 4 CPUs, two NUMA nodes of 1 GiB each",
	  KMEM_ARCH_X86_64, 4, 2, 1 * GiB },
	{ "tiny", "i386, 1 CPU, 32 MiB: small numbers for labs",
	  KMEM_ARCH_I386, 1, 0, 32 * MiB },
};

#define NR_PRESETS (sizeof presets / sizeof presets[0])

static const char *const preset_names[NR_PRESETS + 1] = {
	"i386-1g", "i386-4g", "x86_64-2g", "x86_64-numa", "tiny", NULL,
};

static const struct preset *find_preset(const char *name)
{
	for (size_t i = 0; name && i < NR_PRESETS; i++)
		if (!strcmp(presets[i].name, name))
			return &presets[i];
	return NULL;
}

void kmem_config_defaults(struct kmem_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->arch = KMEM_ARCH_I386;
	cfg->cpus = 1;
	cfg->memory = 1 * GiB;
	cfg->nr_nodes = 0;
	cfg->allocator = KMEM_ALLOC_SLAB;
	cfg->seed = 0;
}

const char *const *kmem_config_preset_names(void)
{
	return preset_names;
}

const char *kmem_config_preset_summary(const char *name)
{
	const struct preset *p = find_preset(name);

	return p ? p->summary : NULL;
}

int kmem_config_preset(const char *name, struct kmem_config *cfg)
{
	const struct preset *p = find_preset(name);

	if (!p)
		return -ENOENT;
	kmem_config_defaults(cfg);
	snprintf(cfg->name, sizeof cfg->name, "%s", p->name);
	cfg->arch = p->arch;
	cfg->cpus = p->cpus;
	cfg->memory = p->memory;
	if (p->nr_nodes > 1) {
		cfg->nr_nodes = p->nr_nodes;
		cfg->memory = 0;
		for (unsigned i = 0; i < p->nr_nodes; i++) {
			cfg->nodes[i].memory = p->memory;
			cfg->memory += p->memory;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

static void emit_zones(const struct kmem_node_cfg *n, struct kbuf *b)
{
	kbuf_printf(b, "    zones:\n");
	for (unsigned k = 0; k < n->nr_zones && k < MAX_NR_ZONES; k++) {
		const struct kmem_zone_cfg *z = &n->zones[k];
		kbuf_printf(b, "      - { name: %s, start_pfn: %llu, spanned: %llu",
			    zone_type_name(z->type),
			    (unsigned long long)z->start_pfn,
			    (unsigned long long)z->spanned);
		if (z->present)         /* 0: derived at boot, so left out */
			kbuf_printf(b, ", present: %llu",
				    (unsigned long long)z->present);
		kbuf_printf(b, " }\n");
	}
}

void kmem_config_emit_yaml(const struct kmem_config *cfg, struct kbuf *b)
{
	const struct kmem_sysctl_desc *tab = kmem_sysctl_table();
	char name[sizeof cfg->name], size[32];
	bool explicit = cfg->nr_nodes == 1 && cfg->nodes[0].nr_zones;
	bool any_vm = false;

	/* the name goes in a comment: keep it on one line */
	snprintf(name, sizeof name, "%s", cfg->name);
	for (char *p = name; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			*p = '?';
	kbuf_printf(b, "# kmemlab machine: %s\n", name[0] ? name : "(unnamed)");
	kbuf_printf(b, "arch: %s\n",
		    cfg->arch == KMEM_ARCH_X86_64 ? "x86_64" : "i386");
	kbuf_printf(b, "cpus: %u\n", cfg->cpus);
	kmem_format_size(cfg->memory, size, sizeof size);
	kbuf_printf(b, "memory: %s\n", size);
	if (cfg->nr_nodes > 1 || explicit) {
		kbuf_printf(b, "nodes:\n");
		for (unsigned i = 0; i < cfg->nr_nodes && i < KMEM_MAX_NODES; i++) {
			kmem_format_size(cfg->nodes[i].memory, size, sizeof size);
			kbuf_printf(b, "  - memory: %s\n", size);
			if (cfg->nodes[i].nr_zones)
				emit_zones(&cfg->nodes[i], b);
		}
	}
	kbuf_printf(b, "allocator: %s\n",
		    cfg->allocator == KMEM_ALLOC_SLOB ? "slob" : "slab");
	kbuf_printf(b, "seed: %llu\n", (unsigned long long)cfg->seed);
	for (int id = 0; id < NR_SYSCTL; id++) {
		const struct kmem_sysctl_override *o = &cfg->vm[id];
		if (!o->set)
			continue;
		if (!any_vm)
			kbuf_printf(b, "vm:\n");
		any_vm = true;
		if (tab[id].type == KMEM_SYSCTL_INT_VEC) {
			kbuf_printf(b, "  %s: [", tab[id].name);
			for (unsigned i = 0; i < o->n && i < KMEM_SYSCTL_VEC_MAX; i++)
				kbuf_printf(b, "%s%ld", i ? ", " : "", o->v[i]);
			kbuf_printf(b, "]\n");
		} else {
			kbuf_printf(b, "  %s: %ld\n", tab[id].name, o->v[0]);
		}
	}
}
