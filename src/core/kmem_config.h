/*
 * kmem_config.h - the machine description: what a kmemlab.yaml(5) file or a
 * built-in preset says about the simulated hardware and boot options.
 *
 * A struct kmem_config is plain data.  config.c fills it from YAML (through
 * libcyaml, validated in C because libcyaml 1.3.1 has no range checks) or
 * from a compiled-in preset, and writes it back out as YAML that loads to
 * the same machine.  kmem_machine_create() boots from it.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#ifndef KMEM_CONFIG_H
#define KMEM_CONFIG_H

#include "kmem.h"

#define KMEM_CONFIG_MAX_SYSCTL 32       /* >= entries in kmem_sysctl_table() */
#define KMEM_MIN_MEMORY  (8ULL << 20)   /* smallest machine that boots */
#define KMEM_MAX_MEMORY  (256ULL << 30) /* largest machine we model */

/* An explicit zone, to model a real machine's geometry. */
struct kmem_zone_cfg {
	enum kmem_zone_type type;       /* DMA, DMA32, Normal or HighMem */
	uint64_t start_pfn;             /* first PFN of the zone */
	uint64_t spanned;               /* pages spanned, holes included */
	uint64_t present;               /* pages present (after memmap), 0 = derive */
};

struct kmem_node_cfg {
	uint64_t memory;                /* bytes of RAM on this node */
	unsigned nr_zones;              /* 0 = derive zones from boot rules */
	struct kmem_zone_cfg zones[KMEM_MAX_NR_ZONES]; /* ascending, disjoint */
};

/* A /proc/sys/vm override from the `vm:` mapping. */
struct kmem_sysctl_override {
	bool set;                       /* present in the file */
	unsigned n;                     /* number of values (1 for scalars) */
	long v[KMEM_SYSCTL_VEC_MAX];    /* the values */
};

struct kmem_config {
	char name[128];                 /* preset name or file path */
	enum kmem_arch arch;            /* i386 (default) or x86_64 */
	unsigned cpus;                  /* 1..KMEM_MAX_CPUS, default 1 */
	uint64_t memory;                /* total RAM in bytes (sum of nodes) */
	unsigned nr_nodes;              /* 0 or 1 = one node holding `memory` */
	struct kmem_node_cfg nodes[KMEM_MAX_NODES];
	enum kmem_allocator allocator;  /* slab (default) or slob */
	uint64_t seed;                  /* PRNG seed, default 0 */
	struct kmem_sysctl_override vm[KMEM_CONFIG_MAX_SYSCTL]; /* by sysctl id */
};

/* Fill cfg with the defaults of a 1 GiB single-CPU i386 machine with no
 * name; the same as the "i386-1g" preset but for name and cpus. */
void kmem_config_defaults(struct kmem_config *cfg);

/* Built-in presets, NULL-terminated, default first: "i386-1g", "i386-4g",
 * "x86_64-2g", "x86_64-numa", "tiny". */
const char *const *kmem_config_preset_names(void);
/* One-line description of a preset, or NULL if unknown. */
const char *kmem_config_preset_summary(const char *name);
/* Load a preset; -ENOENT if the name is unknown. */
int kmem_config_preset(const char *name, struct kmem_config *cfg);

/*
 * Load a machine file.  On any problem (missing or empty file, YAML syntax,
 * unknown key, bad enum, malformed or out-of-range number such as "12abc",
 * misordered or overlapping zones ...) returns -EINVAL and writes one line
 * "FILE:LINE: message" (":LINE" omitted when no line applies) to err;
 * cfg is then undefined.
 */
int kmem_config_load_file(const char *path, struct kmem_config *cfg,
			  char *err, size_t errlen);
/* The same from text in memory; `name` stands in for FILE in messages. */
int kmem_config_load_string(const char *name, const char *yaml, size_t len,
			    struct kmem_config *cfg, char *err, size_t errlen);

/* Check the semantic rules (ranges, zone order and overlap, node sums).
 * Returns 0 or -EINVAL with a message (without file:line) in err. */
int kmem_config_validate(const struct kmem_config *cfg, char *err,
			 size_t errlen);

/* Write cfg as YAML that kmem_config_load_string() reads back to an
 * equal configuration (appended to b). */
void kmem_config_emit_yaml(const struct kmem_config *cfg, struct kbuf *b);

/* Parse a size with an optional K/M/G/T suffix (binary units, case-
 * insensitive, optional trailing 'B' or 'iB') or 0x hex: "1G", "512M",
 * "0x100000", "4096".  Returns 0 or -EINVAL on garbage or overflow. */
int kmem_parse_size(const char *text, uint64_t *out);
/* Format a byte count the way the config writes it: "1G", "512M", "12K",
 * or plain bytes when not a whole number of KiB. */
void kmem_format_size(uint64_t bytes, char *buf, size_t len);

#endif /* KMEM_CONFIG_H */
