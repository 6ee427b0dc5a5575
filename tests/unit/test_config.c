/*
 * test_config.c - machine files and presets (src/core/config*.c): every
 * preset validates, boots and survives a round trip through YAML; sizes
 * parse and print; every class of bad file is refused with the right
 * FILE:LINE and a message that names the problem.
 *
 * Fixtures live in tests/config/ and scripts/examples/; the runner starts
 * us from the repository root.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>

#include "kmem.h"
#include "kmem_config.h"

#define FIXTURES "tests/config/"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void assert_config_equal(const struct kmem_config *a,
				const struct kmem_config *b)
{
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->arch, b->arch);
	assert_int_equal(a->cpus, b->cpus);
	assert_true(a->memory == b->memory);
	assert_int_equal(a->nr_nodes, b->nr_nodes);
	for (unsigned i = 0; i < KMEM_MAX_NODES; i++) {
		const struct kmem_node_cfg *x = &a->nodes[i], *y = &b->nodes[i];
		assert_true(x->memory == y->memory);
		assert_int_equal(x->nr_zones, y->nr_zones);
		for (unsigned k = 0; k < x->nr_zones; k++) {
			assert_int_equal(x->zones[k].type, y->zones[k].type);
			assert_true(x->zones[k].start_pfn == y->zones[k].start_pfn);
			assert_true(x->zones[k].spanned == y->zones[k].spanned);
			assert_true(x->zones[k].present == y->zones[k].present);
		}
	}
	assert_int_equal(a->allocator, b->allocator);
	assert_true(a->seed == b->seed);
	for (int id = 0; id < KMEM_CONFIG_MAX_SYSCTL; id++) {
		assert_int_equal(a->vm[id].set, b->vm[id].set);
		if (!a->vm[id].set)
			continue;
		assert_int_equal(a->vm[id].n, b->vm[id].n);
		for (unsigned i = 0; i < a->vm[id].n; i++)
			assert_int_equal(a->vm[id].v[i], b->vm[id].v[i]);
	}
}

/* Emit cfg, load the text back under the same name, compare. */
static void round_trip(const struct kmem_config *cfg)
{
	struct kmem_config back;
	struct kbuf b1, b2;
	char err[512] = "";
	char first[160];

	kbuf_init(&b1);
	kbuf_init(&b2);
	kmem_config_emit_yaml(cfg, &b1);
	snprintf(first, sizeof first, "# kmemlab machine: %s\n", cfg->name);
	assert_memory_equal(b1.data, first, strlen(first));
	if (kmem_config_load_string(cfg->name, b1.data, b1.len, &back, err,
				    sizeof err))
		fail_msg("round trip of %s: %s\n%s", cfg->name, err, b1.data);
	assert_config_equal(cfg, &back);
	/* the same struct writes the same text */
	kmem_config_emit_yaml(&back, &b2);
	assert_string_equal(b1.data, b2.data);
	kbuf_free(&b1);
	kbuf_free(&b2);
}

static int vm_id(const char *name)
{
	int id = kmem_sysctl_lookup(name);

	assert_true(id >= 0);
	return id;
}

/* Load text named "machine.yaml"; expect failure with exactly want. */
static void expect_string_error(const char *yaml, const char *want)
{
	struct kmem_config cfg;
	char err[512] = "";
	int rc = kmem_config_load_string("machine.yaml", yaml, strlen(yaml),
					 &cfg, err, sizeof err);

	assert_int_equal(rc, -EINVAL);
	assert_string_equal(err, want);
}

/* ------------------------------------------------------------------ */
/* Presets and defaults                                                */
/* ------------------------------------------------------------------ */

static void test_preset_names(void **state)
{
	static const char *const want[] = { "i386-1g", "i386-4g", "x86_64-2g",
					    "x86_64-numa", "tiny" };
	const char *const *names = kmem_config_preset_names();
	struct kmem_config cfg;
	size_t n = 0;

	(void)state;
	for (; names[n]; n++) {
		assert_true(n < 5);
		assert_string_equal(names[n], want[n]);
		const char *s = kmem_config_preset_summary(names[n]);
		assert_non_null(s);
		assert_null(strchr(s, '\n'));
	}
	assert_int_equal(n, 5);
	assert_null(kmem_config_preset_summary("i386-2g"));
	assert_int_equal(kmem_config_preset("i386-2g", &cfg), -ENOENT);
	assert_int_equal(kmem_config_preset("", &cfg), -ENOENT);
}

static void test_preset_contents(void **state)
{
	struct kmem_config c;

	(void)state;
	assert_int_equal(kmem_config_preset("i386-1g", &c), 0);
	assert_int_equal(c.arch, KMEM_ARCH_I386);
	assert_int_equal(c.cpus, 2);
	assert_true(c.memory == 1ULL << 30);
	assert_int_equal(c.nr_nodes, 0);

	assert_int_equal(kmem_config_preset("i386-4g", &c), 0);
	assert_int_equal(c.arch, KMEM_ARCH_I386);
	assert_true(c.memory == 4ULL << 30);

	assert_int_equal(kmem_config_preset("x86_64-2g", &c), 0);
	assert_int_equal(c.arch, KMEM_ARCH_X86_64);
	assert_true(c.memory == 2ULL << 30);

	assert_int_equal(kmem_config_preset("x86_64-numa", &c), 0);
	assert_int_equal(c.arch, KMEM_ARCH_X86_64);
	assert_int_equal(c.cpus, 4);
	assert_int_equal(c.nr_nodes, 2);
	assert_true(c.nodes[0].memory == 1ULL << 30);
	assert_true(c.nodes[1].memory == 1ULL << 30);
	assert_true(c.memory == 2ULL << 30);

	assert_int_equal(kmem_config_preset("tiny", &c), 0);
	assert_int_equal(c.arch, KMEM_ARCH_I386);
	assert_int_equal(c.cpus, 1);
	assert_true(c.memory == 32ULL << 20);
	assert_string_equal(c.name, "tiny");
	assert_int_equal(c.allocator, KMEM_ALLOC_SLAB);
	assert_true(c.seed == 0);
	for (int id = 0; id < KMEM_CONFIG_MAX_SYSCTL; id++)
		assert_false(c.vm[id].set);
}

static void test_defaults(void **state)
{
	struct kmem_config c, p;
	char err[256] = "";

	(void)state;
	memset(&c, 0xa5, sizeof c);
	kmem_config_defaults(&c);
	assert_string_equal(c.name, "");
	assert_int_equal(c.arch, KMEM_ARCH_I386);
	assert_int_equal(c.cpus, 1);
	assert_true(c.memory == 1ULL << 30);
	assert_int_equal(c.nr_nodes, 0);
	assert_int_equal(c.allocator, KMEM_ALLOC_SLAB);
	assert_true(c.seed == 0);
	assert_int_equal(kmem_config_validate(&c, err, sizeof err), 0);
	/* the same as i386-1g but for name and cpus */
	assert_int_equal(kmem_config_preset("i386-1g", &p), 0);
	p.name[0] = '\0';
	p.cpus = 1;
	assert_config_equal(&c, &p);
}

static void test_presets_validate_and_boot(void **state)
{
	const char *const *names = kmem_config_preset_names();

	(void)state;
	for (size_t i = 0; names[i]; i++) {
		struct kmem_config cfg;
		struct machine *m = NULL;
		char err[256] = "";

		assert_int_equal(kmem_config_preset(names[i], &cfg), 0);
		if (kmem_config_validate(&cfg, err, sizeof err))
			fail_msg("preset %s: %s", names[i], err);
		if (kmem_machine_create(&cfg, &m, err, sizeof err))
			fail_msg("preset %s does not boot: %s", names[i], err);
		assert_string_equal(kmem_machine_config(m)->name, names[i]);
		kmem_machine_destroy(m);
	}
}

static void test_presets_round_trip(void **state)
{
	const char *const *names = kmem_config_preset_names();

	(void)state;
	for (size_t i = 0; names[i]; i++) {
		struct kmem_config cfg;
		assert_int_equal(kmem_config_preset(names[i], &cfg), 0);
		round_trip(&cfg);
	}
}

static void test_emit_text(void **state)
{
	struct kmem_config c;
	struct kbuf b;

	(void)state;
	assert_int_equal(kmem_config_preset("x86_64-numa", &c), 0);
	c.vm[vm_id("lowmem_reserve_ratio")] =
		(struct kmem_sysctl_override){ true, 2, { 256, 64 } };
	c.vm[vm_id("swappiness")] = (struct kmem_sysctl_override){ true, 1, { 10 } };
	kbuf_init(&b);
	kmem_config_emit_yaml(&c, &b);
	assert_string_equal(b.data,
		"# kmemlab machine: x86_64-numa\n"
		"arch: x86_64\n"
		"cpus: 4\n"
		"memory: 2G\n"
		"nodes:\n"
		"  - memory: 1G\n"
		"  - memory: 1G\n"
		"allocator: slab\n"
		"seed: 0\n"
		"vm:\n"
		"  lowmem_reserve_ratio: [256, 64]\n"
		"  swappiness: 10\n");
	round_trip(&c);

	/* a name with a newline must not break the comment line */
	kbuf_reset(&b);
	kmem_config_defaults(&c);
	strcpy(c.name, "evil\nname");
	kmem_config_emit_yaml(&c, &b);
	assert_memory_equal(b.data, "# kmemlab machine: evil?name\narch: i386\n",
			    strlen("# kmemlab machine: evil?name\narch: i386\n"));
	kbuf_free(&b);
}

/* ------------------------------------------------------------------ */
/* Good files                                                          */
/* ------------------------------------------------------------------ */

static void test_load_explicit_zones(void **state)
{
	const char *path = FIXTURES "good-i386-zones.yaml";
	struct kmem_config c;
	struct machine *m = NULL;
	struct kmem_zone_info zi;
	char err[512] = "";

	(void)state;
	if (kmem_config_load_file(path, &c, err, sizeof err))
		fail_msg("%s", err);
	assert_string_equal(c.name, path);
	assert_int_equal(c.arch, KMEM_ARCH_I386);
	assert_int_equal(c.cpus, 2);
	assert_true(c.memory == 512ULL << 20);
	assert_int_equal(c.nr_nodes, 1);
	assert_int_equal(c.nodes[0].nr_zones, 2);
	assert_int_equal(c.nodes[0].zones[0].type, KMEM_ZONE_DMA);
	assert_int_equal(c.nodes[0].zones[0].present, 4064);
	assert_int_equal(c.nodes[0].zones[1].type, KMEM_ZONE_NORMAL);
	assert_int_equal(c.nodes[0].zones[1].start_pfn, 4096);
	assert_int_equal(c.nodes[0].zones[1].spanned, 126960);
	assert_int_equal(c.nodes[0].zones[1].present, 125969);
	assert_true(c.seed == 42);
	assert_true(c.vm[vm_id("min_free_kbytes")].set);
	assert_int_equal(c.vm[vm_id("min_free_kbytes")].v[0], 2048);
	assert_int_equal(c.vm[vm_id("lowmem_reserve_ratio")].n, 2);
	assert_int_equal(c.vm[vm_id("lowmem_reserve_ratio")].v[0], 128);
	assert_int_equal(c.vm[vm_id("lowmem_reserve_ratio")].v[1], 64);
	assert_int_equal(c.vm[vm_id("page-cluster")].v[0], 2);
	/* the table default is accepted even below the minimum */
	assert_true(c.vm[vm_id("percpu_pagelist_fraction")].set);
	assert_int_equal(c.vm[vm_id("percpu_pagelist_fraction")].v[0], 0);
	assert_false(c.vm[vm_id("dirty_ratio")].set);

	/* and the engine boots the geometry as given */
	if (kmem_machine_create(&c, &m, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(kmem_zone_info(m, 0, 0, &zi), 0);
	assert_int_equal(zi.spanned, 4096);
	assert_int_equal(zi.present, 4064);
	assert_int_equal(kmem_zone_info(m, 0, 1, &zi), 0);
	assert_int_equal(zi.start_pfn, 4096);
	assert_int_equal(zi.spanned, 126960);
	assert_int_equal(zi.present, 125969);
	kmem_machine_destroy(m);
}

static void test_load_numa_and_flow(void **state)
{
	struct kmem_config c;
	char err[512] = "";

	(void)state;
	if (kmem_config_load_file(FIXTURES "good-numa.yaml", &c, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(c.arch, KMEM_ARCH_X86_64);
	assert_int_equal(c.nr_nodes, 2);
	assert_true(c.memory == 2ULL << 30);       /* memory: left out */
	assert_int_equal(c.nodes[0].nr_zones, 2);
	assert_int_equal(c.nodes[0].zones[1].type, KMEM_ZONE_DMA32);
	assert_int_equal(c.nodes[0].zones[0].present, 0);  /* derived */
	assert_int_equal(c.nodes[0].zones[1].present, 254000);
	assert_int_equal(c.nodes[1].nr_zones, 0);
	assert_int_equal(c.allocator, KMEM_ALLOC_SLAB);
	assert_true(c.seed == 0xdeadbeefULL);
	assert_int_equal(c.vm[vm_id("zone_reclaim_mode")].v[0], 1);
	assert_int_equal(c.vm[vm_id("lowmem_reserve_ratio")].v[1], 256);

	if (kmem_config_load_file(FIXTURES "good-flow.yaml", &c, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(c.arch, KMEM_ARCH_X86_64);
	assert_int_equal(c.cpus, 8);
	assert_true(c.memory == 4ULL << 30);
	assert_int_equal(c.allocator, KMEM_ALLOC_SLAB);
	assert_true(c.seed == UINT64_MAX);
	assert_int_equal(c.vm[vm_id("dirty_ratio")].v[0], 20);
	assert_int_equal(c.vm[vm_id("page-cluster")].v[0], 4);

	/* one node without zones is the same machine as no nodes */
	const char *one = "memory: 256M\nnodes:\n  - memory: 256M\n";
	assert_int_equal(kmem_config_load_string("one", one, strlen(one), &c,
						 err, sizeof err), 0);
	assert_int_equal(c.nr_nodes, 0);
	assert_true(c.nodes[0].memory == 0);
	assert_true(c.memory == 256ULL << 20);

	/* enum names are matched without regard to case */
	const char *slob = "allocator: Slob\narch: X86_64\n";
	assert_int_equal(kmem_config_load_string("s", slob, strlen(slob), &c,
						 err, sizeof err), 0);
	assert_int_equal(c.allocator, KMEM_ALLOC_SLOB);
	assert_int_equal(c.arch, KMEM_ARCH_X86_64);

	/* an empty mapping is the default machine */
	assert_int_equal(kmem_config_load_string("e", "{}", 2, &c, err,
						 sizeof err), 0);
	assert_true(c.memory == 1ULL << 30);
	assert_string_equal(c.name, "e");
}

/* Every good fixture and every example: loads, validates, boots, and
 * round-trips. */
static void test_good_files(void **state)
{
	static const char *const patterns[] = { FIXTURES "good-*.yaml",
						"scripts/examples/*.yaml" };
	size_t total = 0;

	(void)state;
	for (size_t p = 0; p < 2; p++) {
		glob_t g;
		assert_int_equal(glob(patterns[p], 0, NULL, &g), 0);
		for (size_t i = 0; i < g.gl_pathc; i++) {
			struct kmem_config c;
			struct machine *m = NULL;
			char err[512] = "";
			const char *path = g.gl_pathv[i];

			if (kmem_config_load_file(path, &c, err, sizeof err))
				fail_msg("%s", err);
			if (kmem_config_validate(&c, err, sizeof err))
				fail_msg("%s: %s", path, err);
			round_trip(&c);
			if (kmem_machine_create(&c, &m, err, sizeof err))
				fail_msg("%s does not boot: %s", path, err);
			kmem_machine_destroy(m);
			total++;
		}
		globfree(&g);
	}
	assert_true(total >= 6);
}

/* ------------------------------------------------------------------ */
/* Sizes                                                               */
/* ------------------------------------------------------------------ */

static void test_parse_size(void **state)
{
	static const struct { const char *text; uint64_t want; } good[] = {
		{ "1G", 1ULL << 30 }, { "512M", 512ULL << 20 }, { "4k", 4096 },
		{ "4K", 4096 }, { "0x1000", 4096 }, { "0X10", 16 },
		{ "4096", 4096 }, { "0", 0 }, { "1GiB", 1ULL << 30 },
		{ "1gb", 1ULL << 30 }, { "2T", 2ULL << 40 }, { "12KiB", 12288 },
		{ "100B", 100 }, { "0x1B", 27 },
		{ "18446744073709551615", UINT64_MAX },
		{ "16777215T", 16777215ULL << 40 },
	};
	static const char *const bad[] = {
		"12abc", "", "-1", "-1G", "1.5G", " 1G", "1G ", "G", "1iB",
		"1GiBB", "0x", "0x1G", "1K2", "16777216T",
		"18446744073709551616", "99999999999999999999999G", "1Q",
	};
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		v = 12345;
		if (kmem_parse_size(good[i].text, &v))
			fail_msg("'%s' refused", good[i].text);
		if (v != good[i].want)
			fail_msg("'%s' = %llu", good[i].text, (unsigned long long)v);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		v = 12345;
		if (kmem_parse_size(bad[i], &v) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
		assert_true(v == 12345);
	}
}

static void test_format_size(void **state)
{
	static const struct { uint64_t bytes; const char *want; } cases[] = {
		{ 1ULL << 30, "1G" }, { 512ULL << 20, "512M" }, { 12288, "12K" },
		{ 1536ULL << 20, "1536M" }, { 1000, "1000" }, { 0, "0" },
		{ 3ULL << 40, "3T" }, { 4097, "4097" }, { UINT64_MAX,
		  "18446744073709551615" },
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint64_t back;
		kmem_format_size(cases[i].bytes, buf, sizeof buf);
		assert_string_equal(buf, cases[i].want);
		assert_int_equal(kmem_parse_size(buf, &back), 0);
		assert_true(back == cases[i].bytes);
	}
}

/* ------------------------------------------------------------------ */
/* Bad files                                                           */
/* ------------------------------------------------------------------ */

struct bad_case {
	const char *file;               /* under tests/config/ */
	unsigned line;                  /* 0: no line in the message */
	const char *phrase;             /* must appear in the message */
};

static const struct bad_case bad_cases[] = {
	{ "bad-empty.yaml", 0, "empty machine file" },
	{ "bad-comments-only.yaml", 0, "empty machine file" },
	{ "bad-syntax.yaml", 3, "YAML syntax error" },
	{ "bad-two-documents.yaml", 2, "second YAML document" },
	{ "bad-shape.yaml", 2, "memory: expected a single value, not a list" },
	{ "bad-unknown-key.yaml", 2, "unknown key 'cpu' (did you mean 'cpus'?)" },
	{ "bad-duplicate.yaml", 3, "duplicate key 'cpus' (first given on line 2)" },
	{ "bad-arch.yaml", 2, "arch: 'arm' is not one of i386, x86_64" },
	{ "bad-allocator.yaml", 2, "allocator: 'slub' is not one of slab, slob" },
	{ "bad-size.yaml", 3, "memory: '12abc' is not a size (use e.g. 512M, 1G)" },
	{ "bad-number.yaml", 1, "cpus: 'two' is not a number" },
	{ "bad-cpus.yaml", 2, "cpus: 65 is out of range [1, 64]" },
	{ "bad-seed.yaml", 2, "seed: '-1' is not an unsigned 64-bit number" },
	{ "bad-memory-small.yaml", 2, "memory: 4M is below the minimum 8M" },
	{ "bad-memory-pages.yaml", 1, "not a whole number of 4K pages" },
	{ "bad-node-sum.yaml", 3, "memory: 3G is not the sum of the nodes' memory (2G)" },
	{ "bad-node-memory.yaml", 5, "nodes[1]: memory is missing" },
	{ "bad-i386-numa.yaml", 3, "i386 NUMA is not modelled" },
	{ "bad-cpus-nodes.yaml", 6, "cpus: 2 CPUs for 3 nodes" },
	{ "bad-zone-overlap.yaml", 8, "zones: Normal (start_pfn 4000) overlaps DMA (ends at 4096)" },
	{ "bad-zone-order.yaml", 6, "zones: DMA comes after Normal" },
	{ "bad-zone-duplicate.yaml", 6, "zones: Normal is listed twice" },
	{ "bad-zone-arch.yaml", 7, "zones: DMA32 does not exist on i386" },
	{ "bad-zone-name.yaml", 5, "'Movable' is not a zone" },
	{ "bad-zone-present.yaml", 8, "DMA has 4097 pages present but spans only 4096" },
	{ "bad-zone-dma.yaml", 5, "DMA must end at or below pfn 4096" },
	{ "bad-zone-dma32.yaml", 7, "DMA32 must end at or below pfn 1048576" },
	{ "bad-zone-lowmem.yaml", 7, "Normal must end at or below pfn 229376" },
	{ "bad-zone-outside.yaml", 6, "Normal ends at pfn 135168, beyond node 0's memory" },
	{ "bad-zone-node1.yaml", 7, "nodes[1].zones: DMA32 starts at pfn 4096, before node 1's memory (pfn 262144)" },
	{ "bad-vm-range.yaml", 9, "vm.swappiness: 150 is out of range [0, 100]" },
	{ "bad-vm-unknown.yaml", 4, "unknown key 'page_cluster' in vm (did you mean 'page-cluster'?)" },
	{ "bad-vm-vector.yaml", 3, "vm.lowmem_reserve_ratio: takes 2 values" },
	{ "bad-vm-number.yaml", 5, "vm.lowmem_reserve_ratio: 'lots' is not an integer" },
	{ "bad-vm-numa.yaml", 4, "vm.zone_reclaim_mode: exists only on NUMA kernels" },
};

static void test_bad_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *bc = &bad_cases[i];
		char path[256], prefix[300], err[512];
		struct kmem_config cfg;
		int rc;

		snprintf(path, sizeof path, FIXTURES "%s", bc->file);
		if (bc->line)
			snprintf(prefix, sizeof prefix, "%s:%u: ", path, bc->line);
		else
			snprintf(prefix, sizeof prefix, "%s: ", path);
		memset(err, 0, sizeof err);
		rc = kmem_config_load_file(path, &cfg, err, sizeof err);
		if (rc != -EINVAL)
			fail_msg("%s: loaded (rc %d)", bc->file, rc);
		if (strncmp(err, prefix, strlen(prefix)))
			fail_msg("%s: want prefix '%s', got '%s'", bc->file, prefix,
				 err);
		if (!strstr(err + strlen(prefix), bc->phrase))
			fail_msg("%s: want '%s' in '%s'", bc->file, bc->phrase, err);
		assert_null(strchr(err, '\n'));
	}
}

static void test_missing_file(void **state)
{
	struct kmem_config cfg;
	char err[512] = "";

	(void)state;
	assert_int_equal(kmem_config_load_file(FIXTURES "no-such-machine.yaml",
					       &cfg, err, sizeof err), -EINVAL);
	assert_string_equal(err, FIXTURES "no-such-machine.yaml: No such file "
			    "or directory");
	/* a directory is not a machine file either */
	assert_int_equal(kmem_config_load_file("tests/config", &cfg, err,
					       sizeof err), -EINVAL);
	assert_memory_equal(err, "tests/config: ", 14);
}

/* The messages the manual quotes, word for word. */
static void test_exact_messages(void **state)
{
	(void)state;
	expect_string_error("arch: i386\ncpus: 1\nmemory: 12abc\n",
		"machine.yaml:3: memory: '12abc' is not a size (use e.g. 512M, 1G)");
	expect_string_error("# my box\narch: arm\n",
		"machine.yaml:2: arch: 'arm' is not one of i386, x86_64");
	expect_string_error("arch: i386\ncpus: 2\nmemory: 1G\nseed: 0\ncpu: 2\n",
		"machine.yaml:5: unknown key 'cpu' (did you mean 'cpus'?)");
	expect_string_error(
		"arch: i386\n"
		"cpus: 1\n"
		"memory: 512M\n"
		"nodes:\n"
		"  - memory: 512M\n"
		"    zones:\n"
		"      - { name: Normal, start_pfn: 4000, spanned: 1000 }\n",
		"machine.yaml:7: zones: Normal starts at pfn 4000; memory below "
		"pfn 4096 (16 MiB) is DMA");
	expect_string_error(
		"arch: i386\n"
		"cpus: 1\n"
		"memory: 512M\n"
		"nodes:\n"
		"  - memory: 512M\n"
		"    zones:\n"
		"      - { name: DMA,    start_pfn: 0,    spanned: 4096 }\n"
		"      - { name: Normal, start_pfn: 4000, spanned: 1000 }\n",
		"machine.yaml:8: zones: Normal (start_pfn 4000) overlaps DMA (ends "
		"at 4096)");
	expect_string_error(
		"arch: i386\ncpus: 2\nmemory: 1G\nallocator: slab\nseed: 0\n"
		"vm:\n  min_free_kbytes: 3816\n  lowmem_reserve_ratio: [256, 32]\n"
		"  swappiness: 150\n",
		"machine.yaml:9: vm.swappiness: 150 is out of range [0, 100]");
	/* the line of a value written under its key is the value's */
	expect_string_error("memory:\n  12abc\n",
		"machine.yaml:2: memory: '12abc' is not a size (use e.g. 512M, 1G)");
	/* a vector element is found by its own line */
	expect_string_error("vm:\n  lowmem_reserve_ratio:\n    - 256\n    - -1\n",
		"machine.yaml:4: vm.lowmem_reserve_ratio: -1 is out of range "
		"[0, 2147483647]");
	/* a defaulted value takes the line of the key that makes it wrong */
	expect_string_error("arch: x86_64\nnodes:\n  - memory: 1G\n  - memory: 1G\n",
		"machine.yaml:2: cpus: 1 CPU for 2 nodes; each node needs at least "
		"one CPU");
	expect_string_error("", "machine.yaml: empty machine file (nothing to "
			    "load; the keys are in kmemlab.yaml(5))");
}

static void test_more_bad_strings(void **state)
{
	(void)state;
	expect_string_error("memory: 1G\nvm:\n  nr_pdflush_threads: 4\n",
		"machine.yaml:3: vm.nr_pdflush_threads: is read-only (the kernel "
		"starts and stops pdflush threads itself)");
	expect_string_error("memory: 1G\nvm:\n  percpu_pagelist_fraction: 4\n",
		"machine.yaml:3: vm.percpu_pagelist_fraction: 4 is out of range "
		"[8, 2147483647]");
	expect_string_error("memory: 1G\nvm:\n  min_free_kbytes: -1\n",
		"machine.yaml:3: vm.min_free_kbytes: -1 is out of range "
		"[0, 2147483647]");
	expect_string_error("memory: 1G\nvm:\n  swappiness: [1, 2]\n",
		"machine.yaml:3: vm.swappiness: expected a single value, not a "
		"list");
	expect_string_error("memory: 1G\nvm:\n  lowmem_reserve_ratio: 256\n",
		"machine.yaml:3: vm.lowmem_reserve_ratio: takes 2 values as a "
		"list, e.g. [256, 32]");
	expect_string_error("memory: 1G\nvm:\n  lowmem_reserve_ratio: [1, 2, 3]\n",
		"machine.yaml:3: vm.lowmem_reserve_ratio: takes 2 values, e.g. "
		"[256, 32]; got more");
	expect_string_error("memory: 1G\nvm:\n  bogus_knob: 1\n",
		"machine.yaml:3: unknown key 'bogus_knob' in vm: no such "
		"/proc/sys/vm tunable (see kmemlab.yaml(5))");
	expect_string_error("memory: 1G\nvm:\n",
		"machine.yaml:2: vm: expected a mapping of /proc/sys/vm names to "
		"values (e.g. swappiness: 60)");
	expect_string_error("memory:\ncpus: 1\n", "machine.yaml:1: memory: no value");
	expect_string_error("memory: 300G\narch: x86_64\n",
		"machine.yaml:1: memory: 300G is above the maximum 256G");
	expect_string_error("memory: 100G\n",
		"machine.yaml:1: memory: 100G is more than i386 can address (64G "
		"with HIGHMEM64G); use arch: x86_64");
	expect_string_error("cpus: 0\n",
		"machine.yaml:1: cpus: 0 is out of range [1, 64]");
	expect_string_error("cpus: 99999999999999999999\n",
		"machine.yaml:1: cpus: 99999999999999999999 is out of range [1, 64]");
	expect_string_error("[1, 2]\n", "machine.yaml:1: a machine file is a "
			    "mapping of keys (arch:, cpus:, memory: ...), not a list");
	expect_string_error("memory: &m 1G\nseed: *m\n",
		"machine.yaml:2: aliases (*m) are not supported in machine files");
	expect_string_error("nodes: 2\n",
		"machine.yaml:1: nodes: expected a list of nodes, not a single value");
	expect_string_error("nodes:\n  - 1G\n",
		"machine.yaml:2: nodes[0]: a node is a mapping of keys, not a "
		"single value");
	expect_string_error(
		"arch: x86_64\ncpus: 9\nnodes:\n"
		"  - memory: 1G\n  - memory: 1G\n  - memory: 1G\n  - memory: 1G\n"
		"  - memory: 1G\n  - memory: 1G\n  - memory: 1G\n  - memory: 1G\n"
		"  - memory: 1G\n",
		"machine.yaml:12: nodes: at most 8 nodes");
	expect_string_error(
		"nodes:\n  - memory: 1G\n    zones:\n      - { name: DMA, start: 0 }\n",
		"machine.yaml:4: unknown key 'start' in nodes[0].zones[0] (known "
		"keys: name, start_pfn, spanned, present)");
	expect_string_error(
		"nodes:\n  - memory: 1G\n    zones:\n      - { name: DMA, spanned: 9 }\n",
		"machine.yaml:4: nodes[0].zones[0]: DMA needs start_pfn and spanned");
	expect_string_error(
		"nodes:\n  - memory: 1G\n    zones:\n"
		"      - { name: DMA, start_pfn: 0, spanned: 4k }\n",
		"machine.yaml:4: nodes[0].zones[0].spanned: '4k' is not a number of "
		"pages (decimal or 0x hex)");
	expect_string_error(
		"arch: i386\nmemory: 2G\nnodes:\n  - memory: 2G\n    zones:\n"
		"      - { name: HighMem, start_pfn: 200000, spanned: 100 }\n",
		"machine.yaml:6: zones: HighMem starts at pfn 200000; HighMem "
		"starts at or above pfn 229376 (896 MiB)");
	expect_string_error(
		"arch: x86_64\nmemory: 8G\nnodes:\n  - memory: 8G\n    zones:\n"
		"      - { name: Normal, start_pfn: 4096, spanned: 100 }\n",
		"machine.yaml:6: zones: Normal starts at pfn 4096; on x86_64 "
		"memory below pfn 1048576 (4 GiB) is DMA or DMA32");
	expect_string_error(
		"nodes:\n  - memory: 1G\n    zones:\n"
		"      - { name: DMA, start_pfn: 0, spanned: 0 }\n",
		"machine.yaml:4: zones: DMA spans no pages (leave the zone out "
		"instead)");
	expect_string_error("allocator: slob\narch: X86-64\n",
		"machine.yaml:2: arch: 'X86-64' is not one of i386, x86_64 (did you "
		"mean 'x86_64'?)");
}

/* A short err buffer is filled, terminated, and never overrun. */
static void test_short_error_buffer(void **state)
{
	struct kmem_config cfg;
	char err[16];

	(void)state;
	memset(err, 'x', sizeof err);
	assert_int_equal(kmem_config_load_string("machine.yaml", "cpu: 1\n", 7,
						 &cfg, err, 10), -EINVAL);
	assert_string_equal(err, "machine.y");
	assert_int_equal(err[10], 'x');
	/* and no buffer at all is allowed */
	assert_int_equal(kmem_config_load_string("m", "cpu: 1\n", 7, &cfg, NULL,
						 0), -EINVAL);
}

/* ------------------------------------------------------------------ */
/* kmem_config_validate on structs that never were YAML                */
/* ------------------------------------------------------------------ */

static void expect_invalid(const struct kmem_config *c, const char *want)
{
	char err[512] = "";

	assert_int_equal(kmem_config_validate(c, err, sizeof err), -EINVAL);
	assert_string_equal(err, want);
}

static void test_validate_structs(void **state)
{
	struct kmem_config c;
	char err[256];
	int frac = vm_id("percpu_pagelist_fraction");

	(void)state;
	kmem_config_defaults(&c);
	c.nr_nodes = 1;
	c.nodes[0].memory = c.memory;
	c.nodes[0].nr_zones = 2;
	c.nodes[0].zones[0] = (struct kmem_zone_cfg){ KMEM_ZONE_DMA, 0, 4096, 0 };
	c.nodes[0].zones[1] = (struct kmem_zone_cfg){ KMEM_ZONE_NORMAL, 4000,
						      1000, 0 };
	expect_invalid(&c, "zones: Normal (start_pfn 4000) overlaps DMA (ends at "
		       "4096)");
	c.nodes[0].zones[1].start_pfn = 4096;
	assert_int_equal(kmem_config_validate(&c, err, sizeof err), 0);
	c.nodes[0].memory = 512ULL << 20;
	expect_invalid(&c, "memory: 1G is not the sum of the nodes' memory (512M)");

	kmem_config_defaults(&c);
	c.vm[frac] = (struct kmem_sysctl_override){ true, 1, { 0 } };
	assert_int_equal(kmem_config_validate(&c, err, sizeof err), 0);
	c.vm[frac].v[0] = 8;
	assert_int_equal(kmem_config_validate(&c, err, sizeof err), 0);
	c.vm[frac].v[0] = 7;
	expect_invalid(&c, "vm.percpu_pagelist_fraction: 7 is out of range "
		       "[8, 2147483647]");
	c.vm[frac].set = false;
	c.vm[vm_id("drop_caches")] = (struct kmem_sysctl_override){ true, 1, { 0 } };
	assert_int_equal(kmem_config_validate(&c, err, sizeof err), 0);
	c.vm[vm_id("lowmem_reserve_ratio")] =
		(struct kmem_sysctl_override){ true, 1, { 256 } };
	expect_invalid(&c, "vm.lowmem_reserve_ratio: takes 2 values, e.g. "
		       "[256, 32]; got 1");

	kmem_config_defaults(&c);
	c.cpus = 0;
	expect_invalid(&c, "cpus: 0 is out of range [1, 64]");
	c.cpus = 65;
	expect_invalid(&c, "cpus: 65 is out of range [1, 64]");
	kmem_config_defaults(&c);
	c.arch = (enum kmem_arch)7;
	expect_invalid(&c, "arch: 7 is not one of i386, x86_64");
	kmem_config_defaults(&c);
	c.memory = (8ULL << 20) - 4096;
	expect_invalid(&c, "memory: 8188K is below the minimum 8M");
	c.memory = 8ULL << 20;
	assert_int_equal(kmem_config_validate(&c, err, sizeof err), 0);
	c.memory += 512;
	expect_invalid(&c, "memory: 8389120 is not a whole number of 4K pages");

	/* NUMA: two nodes are fine on x86_64, refused on i386 */
	assert_int_equal(kmem_config_preset("x86_64-numa", &c), 0);
	c.vm[vm_id("zone_reclaim_mode")] =
		(struct kmem_sysctl_override){ true, 1, { 1 } };
	assert_int_equal(kmem_config_validate(&c, err, sizeof err), 0);
	c.arch = KMEM_ARCH_I386;
	expect_invalid(&c, "nodes: 2 nodes on i386, but i386 NUMA is not "
		       "modelled; use arch: x86_64 for more than one node");
	c.arch = KMEM_ARCH_X86_64;
	c.nodes[1].memory = 0;
	c.memory = 1ULL << 30;
	expect_invalid(&c, "nodes[1].memory: a node needs some memory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_preset_names),
		cmocka_unit_test(test_preset_contents),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_presets_validate_and_boot),
		cmocka_unit_test(test_presets_round_trip),
		cmocka_unit_test(test_emit_text),
		cmocka_unit_test(test_load_explicit_zones),
		cmocka_unit_test(test_load_numa_and_flow),
		cmocka_unit_test(test_good_files),
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_format_size),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_exact_messages),
		cmocka_unit_test(test_more_bad_strings),
		cmocka_unit_test(test_short_error_buffer),
		cmocka_unit_test(test_validate_structs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
