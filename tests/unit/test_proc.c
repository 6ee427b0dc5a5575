/*
 * test_proc.c - the 2.6.20 /proc texts (linux-2.6.20-mm.md §13.1, 13.2,
 * 13.4; §13.3 for the SMP "vm stats threshold"), their agreement with the
 * snapshot queries and with each other, /proc/sys/vm writes (§2.1-2.3),
 * and determinism.
 *
 * vm stats threshold (§13.3) = min(125, 2 * fls(cpus) * (1 + fls(present
 * >> 15))):
 *   i386-1g (2 CPUs):  DMA 4064 -> 0 -> 2*2*1 = 4; Normal 223520 -> 6 ->
 *                      2*2*4 = 16; HighMem 32512 -> 0 -> 4.
 *   x86_64-numa (4):   DMA 4040 -> 2*3*1 = 6; DMA32 254520 / 258560 -> 7 ->
 *                      2*3*4 = 24.
 *   x86_64-2g (2):     DMA 4; DMA32 513080 -> 15 -> 2*2*5 = 20.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include "helpers.h"

static const char *const zone_items[] = {
	"nr_anon_pages", "nr_mapped", "nr_file_pages", "nr_slab_reclaimable",
	"nr_slab_unreclaimable", "nr_page_table_pages", "nr_dirty",
	"nr_writeback", "nr_unstable", "nr_bounce", "nr_vmscan_write",
};
static const char *const numa_items[] = {
	"numa_hit", "numa_miss", "numa_foreign", "numa_interleave",
	"numa_local", "numa_other",
};

/* The expected /proc/vmstat names, in order (§13.1, §13.2). */
static size_t vmstat_names(bool x86_64, const char **out, size_t max)
{
	static const char *const sfx_i386[] = { "dma", "normal", "high" };
	static const char *const sfx_x86_64[] = { "dma", "dma32", "normal" };
	static const char *const per_zone[] = { "pgrefill", "pgsteal",
						"pgscan_kswapd", "pgscan_direct" };
	static char buf[64][32];
	const char *const *sfx = x86_64 ? sfx_x86_64 : sfx_i386;
	size_t n = 0, nb = 0;

#define PUT(s) do { assert_true(n < max); out[n++] = (s); } while (0)
#define PUTZ(prefix) do { \
	for (int z_ = 0; z_ < 3; z_++) { \
		snprintf(buf[nb], sizeof buf[nb], "%s_%s", (prefix), sfx[z_]); \
		PUT(buf[nb]); \
		nb++; \
	} \
} while (0)
	for (size_t i = 0; i < ARRAY_LEN(zone_items); i++)
		PUT(zone_items[i]);
	if (x86_64)
		for (size_t i = 0; i < ARRAY_LEN(numa_items); i++)
			PUT(numa_items[i]);
	PUT("pgpgin");
	PUT("pgpgout");
	PUT("pswpin");
	PUT("pswpout");
	PUTZ("pgalloc");
	PUT("pgfree");
	PUT("pgactivate");
	PUT("pgdeactivate");
	PUT("pgfault");
	PUT("pgmajfault");
	for (size_t i = 0; i < ARRAY_LEN(per_zone); i++)
		PUTZ(per_zone[i]);
	PUT("pginodesteal");
	PUT("slabs_scanned");
	PUT("kswapd_steal");
	PUT("kswapd_inodesteal");
	PUT("pageoutrun");
	PUT("allocstall");
	PUT("pgrotated");
#undef PUT
#undef PUTZ
	return n;
}

/* Split text into lines (modifies it); returns the count. */
static size_t split_lines(char *t, char **lines, size_t max)
{
	size_t n = 0;
	char *p = t;

	while (*p) {
		char *nl = strchr(p, '\n');

		assert_non_null(nl);            /* every line ends in '\n' */
		*nl = '\0';
		assert_true(n < max);
		lines[n++] = p;
		p = nl + 1;
	}
	return n;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* buddyinfo                                                           */
/* ------------------------------------------------------------------ */

static char *expected_buddyinfo(const struct machine *m)
{
	struct kmem_machine_info mi = minfo(m);
	struct kbuf b;
	char *s;

	kbuf_init(&b);
	for (unsigned nid = 0; nid < mi.nr_nodes; nid++) {
		for (int idx = 0; idx < KMEM_MAX_NR_ZONES; idx++) {
			struct kmem_zone_info z = zinfo(m, (int)nid, idx);

			if (!z.populated)
				continue;
			kbuf_printf(&b, "Node %u, zone %8s ", nid, z.name);
			for (unsigned o = 0; o < KMEM_MAX_ORDER; o++)
				kbuf_printf(&b, "%6lu ", z.nr_free[o]);
			kbuf_printf(&b, "\n");
		}
	}
	s = strdup(b.data ? b.data : "");
	kbuf_free(&b);
	return s;
}

static void expect_buddyinfo(struct machine *m)
{
	char *want = expected_buddyinfo(m);
	char *got = proc_text(m, "buddyinfo");

	ASSERT_SAME_TEXT(want, got, "/proc/buddyinfo");
	free(want);
	free(got);
}

static void test_buddyinfo(void **state)
{
	const char *const *names = kmem_config_preset_names();

	(void)state;
	for (size_t i = 0; names[i]; i++) {
		struct machine *m = boot_preset(names[i]);
		unsigned long p;

		expect_buddyinfo(m);
		p = ALLOC(m, -1, GFP_KERNEL, 3);
		expect_buddyinfo(m);
		FREE(m, p, 3);
		expect_buddyinfo(m);
		kmem_machine_destroy(m);
	}
}

/* The exact shape, independent of the query: i386-1g has three lines. */
static void test_buddyinfo_shape(void **state)
{
	struct machine *m = boot_preset("i386-1g");
	char *t = proc_text(m, "buddyinfo");
	char *lines[8];
	size_t n = split_lines(t, lines, 8);
	static const char *const heads[] = { "Node 0, zone      DMA ",
					     "Node 0, zone   Normal ",
					     "Node 0, zone  HighMem " };

	(void)state;
	assert_int_equal(n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(strncmp(lines[i], heads[i], strlen(heads[i])), 0);
		/* 22 + 11 * 7 characters */
		assert_int_equal(strlen(lines[i]), strlen(heads[i]) + 11 * 7);
	}
	free(t);
	kmem_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* zoneinfo                                                            */
/* ------------------------------------------------------------------ */

#define STAT_LINE '\001'        /* marks an expected "    %-12s %lu" line */

static void push_line(char ***v, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void push_line(char ***v, size_t *n, const char *fmt, ...)
{
	va_list ap;
	char buf[256];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	*v = realloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = strdup(buf);
}

/* thresholds[nid][idx]; ignored on UP machines */
static void expect_zoneinfo(struct machine *m, const int thresholds[][3])
{
	struct kmem_machine_info mi = minfo(m);
	char **want = NULL;
	size_t nw = 0;
	char *t = proc_text(m, "zoneinfo");
	char **got = calloc(4096, sizeof *got);
	size_t ng = split_lines(t, got, 4096);

	for (unsigned nid = 0; nid < mi.nr_nodes; nid++) {
		for (int idx = 0; idx < KMEM_MAX_NR_ZONES; idx++) {
			struct kmem_zone_info z = zinfo(m, (int)nid, idx);

			if (!z.populated)
				continue;
			push_line(&want, &nw, "Node %u, zone %8s", nid, z.name);
			push_line(&want, &nw, "  pages free     %lu", z.free_pages);
			push_line(&want, &nw, "        min      %lu", z.pages_min);
			push_line(&want, &nw, "        low      %lu", z.pages_low);
			push_line(&want, &nw, "        high     %lu", z.pages_high);
			push_line(&want, &nw, "        active   %lu", z.nr_active);
			push_line(&want, &nw, "        inactive %lu", z.nr_inactive);
			push_line(&want, &nw, "        scanned  %lu (a: %lu i: %lu)",
				  z.pages_scanned, z.nr_scan_active,
				  z.nr_scan_inactive);
			push_line(&want, &nw, "        spanned  %lu", z.spanned);
			push_line(&want, &nw, "        present  %lu", z.present);
			for (size_t i = 0; i < ARRAY_LEN(zone_items); i++)
				push_line(&want, &nw, "%c    %-12s ", STAT_LINE,
					  zone_items[i]);
			if (mi.numa)
				for (size_t i = 0; i < ARRAY_LEN(numa_items); i++)
					push_line(&want, &nw, "%c    %-12s ",
						  STAT_LINE, numa_items[i]);
			push_line(&want, &nw, "        protection: (%lu, %lu, %lu)",
				  z.lowmem_reserve[0], z.lowmem_reserve[1],
				  z.lowmem_reserve[2]);
			push_line(&want, &nw, "  pagesets");
			for (unsigned cpu = 0; cpu < mi.cpus; cpu++) {
				struct kmem_pcp_info pc[2];

				pc[0] = pcpinfo(m, (int)nid, idx, cpu, 0);
				pc[1] = pcpinfo(m, (int)nid, idx, cpu, 1);
				if (pc[0].count == 0 && pc[1].count == 0)
					continue;
				for (int j = 0; j < 2; j++) {
					push_line(&want, &nw, "    cpu: %u pcp: %d", cpu, j);
					push_line(&want, &nw, "              count: %d", pc[j].count);
					push_line(&want, &nw, "              high:  %d", pc[j].high);
					push_line(&want, &nw, "              batch: %d", pc[j].batch);
				}
				if (mi.smp)
					push_line(&want, &nw, "  vm stats threshold: %d",
						  thresholds[nid][idx]);
			}
			push_line(&want, &nw, "  all_unreclaimable: %u",
				  z.all_unreclaimable ? 1u : 0u);
			push_line(&want, &nw, "  prev_priority:     %d",
				  z.prev_priority);
			push_line(&want, &nw, "  start_pfn:         %lu", z.start_pfn);
		}
	}
	for (size_t i = 0; i < nw || i < ng; i++) {
		if (i >= nw || i >= ng)
			fail_msg("zoneinfo: %zu lines, expected %zu (first extra: \"%s\")",
				 ng, nw, i < ng ? got[i] : want[i]);
		if (want[i][0] == STAT_LINE) {
			size_t pl = strlen(want[i] + 1);

			if (strncmp(got[i], want[i] + 1, pl) != 0 ||
			    !all_digits(got[i] + pl))
				fail_msg("zoneinfo line %zu: \"%s\", expected \"%s<number>\"",
					 i + 1, got[i], want[i] + 1);
		} else if (strcmp(got[i], want[i]) != 0) {
			fail_msg("zoneinfo line %zu: \"%s\", expected \"%s\"", i + 1,
				 got[i], want[i]);
		}
	}
	for (size_t i = 0; i < nw; i++)
		free(want[i]);
	free(want);
	free(got);
	free(t);
}

static void test_zoneinfo_i386_smp(void **state)
{
	static const int thr[1][3] = { { 4, 16, 4 } };
	struct machine *m = boot_preset("i386-1g");
	unsigned long p;

	(void)state;
	expect_zoneinfo(m, thr);
	kmem_drain_pages(m, -1);
	expect_zoneinfo(m, thr);        /* no CPU has pages: no cpu blocks */
	p = ALLOC(m, -1, GFP_KERNEL, 0);        /* CPU 0 Normal: 30 */
	assert_int_equal(kmem_set_cpu(m, 1), 0);
	FREE(m, p, 0);                          /* CPU 1 Normal: 1 */
	ALLOC(m, -1, GFP_HIGHUSER | __GFP_COLD, 0); /* CPU 1 HighMem cold */
	expect_zoneinfo(m, thr);
	{
		/* spot-check the literal text of appendix A's protection */
		char *t = proc_text(m, "zoneinfo");

		assert_non_null(strstr(t, "\n        protection: (0, 873, 1000)\n"));
		assert_non_null(strstr(t, "\n        protection: (0, 0, 1016)\n"));
		assert_non_null(strstr(t, "\n        protection: (0, 0, 0)\n"));
		assert_non_null(strstr(t, "\n    cpu: 1 pcp: 1\n              count: 2\n              high:  14\n              batch: 3\n  vm stats threshold: 4\n"));
		assert_non_null(strstr(t, "Node 0, zone   Normal\n  pages free     "));
		free(t);
	}
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_zoneinfo_up(void **state)
{
	static const int thr[1][3] = { { 0, 0, 0 } };
	struct machine *m = boot_simple(KMEM_ARCH_I386, 1, 1ULL << 30);
	struct machine *t = boot_preset("tiny");
	char *s;

	(void)state;
	ALLOC(m, -1, GFP_KERNEL, 0);
	expect_zoneinfo(m, thr);
	expect_zoneinfo(t, thr);
	s = proc_text(m, "zoneinfo");
	assert_null(strstr(s, "vm stats threshold"));   /* !CONFIG_SMP */
	assert_null(strstr(s, "numa_hit"));
	free(s);
	kmem_machine_destroy(m);
	kmem_machine_destroy(t);
}

static void test_zoneinfo_x86_64(void **state)
{
	static const int thr_numa[2][3] = { { 6, 24, 0 }, { 0, 24, 0 } };
	static const int thr_2g[1][3] = { { 4, 20, 0 } };
	struct machine *m = boot_preset("x86_64-numa");
	struct machine *b = boot_preset("x86_64-2g");
	unsigned cpu1 = 0;

	(void)state;
	ALLOC(m, 0, GFP_KERNEL, 0);
	while (kmem_cpu_to_node(m, cpu1) != 1)
		cpu1++;
	assert_int_equal(kmem_set_cpu(m, cpu1), 0);
	ALLOC(m, 1, GFP_KERNEL | __GFP_COLD, 0);
	ALLOC(m, 0, GFP_DMA, 0);
	expect_zoneinfo(m, thr_numa);
	ALLOC(b, -1, GFP_KERNEL, 0);
	expect_zoneinfo(b, thr_2g);
	kmem_machine_destroy(m);
	kmem_machine_destroy(b);
}

/* ------------------------------------------------------------------ */
/* meminfo                                                             */
/* ------------------------------------------------------------------ */

static void expect_meminfo(struct machine *m)
{
	static const char *const labels_hi[] = {
		"MemTotal", "MemFree", "Buffers", "Cached", "SwapCached",
		"Active", "Inactive", "HighTotal", "HighFree", "LowTotal",
		"LowFree", "SwapTotal", "SwapFree", "Dirty", "Writeback",
		"AnonPages", "Mapped", "Slab", "SReclaimable", "SUnreclaim",
		"PageTables", "NFS_Unstable", "Bounce", "CommitLimit",
		"Committed_AS", "VmallocTotal", "VmallocUsed", "VmallocChunk",
	};
	struct kmem_machine_info mi = minfo(m);
	bool highmem = mi.arch == KMEM_ARCH_I386;
	char *t = proc_text(m, "meminfo");
	char *lines[64];
	size_t n = split_lines(t, lines, 64), nl = 0;
	const char *labels[ARRAY_LEN(labels_hi)];
	unsigned long val[ARRAY_LEN(labels_hi)];
	struct kmem_stat_item items[64];
	size_t ni;

	for (size_t i = 0; i < ARRAY_LEN(labels_hi); i++) {
		if (!highmem && (i >= 7 && i <= 10))
			continue;
		labels[nl++] = labels_hi[i];
	}
	assert_true(n >= nl);
	for (size_t i = 0; i < nl; i++) {
		char label[32];

		size_t len = strlen(lines[i]);

		/* "%-14s" label, "%8lu" (wider when the number needs it),
		 * " kB" */
		snprintf(label, sizeof label, "%s:", labels[i]);
		if (len < 14 + 8 + 3 ||
		    strncmp(lines[i], label, strlen(label)) != 0 ||
		    strcmp(lines[i] + len - 3, " kB") != 0)
			fail_msg("meminfo line %zu: \"%s\", expected \"%-14s%%8lu kB\"",
				 i + 1, lines[i], label);
		for (size_t k = strlen(label); k < 14; k++)
			assert_int_equal(lines[i][k], ' ');
		{
			char num[32];
			size_t w = len - 14 - 3, k = 0;
			char *e;

			assert_true(w < sizeof num);
			memcpy(num, lines[i] + 14, w);
			num[w] = '\0';
			while (num[k] == ' ')
				k++;
			/* padding only when the number is shorter than 8 */
			assert_true(k == 0 || w == 8);
			assert_true(all_digits(num + k));
			val[i] = strtoul(num + k, &e, 10);
			assert_true(*e == '\0');
		}
	}
	/* anything after VmallocChunk is the hugetlb block */
	if (n > nl) {
		static const char *const huge[] = { "HugePages_Total: ",
			"HugePages_Free:  ", "HugePages_Rsvd:  ", "Hugepagesize:    " };

		assert_int_equal(n - nl, 4);
		for (size_t i = 0; i < 4; i++)
			assert_int_equal(strncmp(lines[nl + i], huge[i],
						 strlen(huge[i])), 0);
	}
	/* values (§13.4; pages * 4 kB) */
	assert_int_equal(val[0], mi.totalram_pages * 4);
	assert_int_equal(val[1], mi.nr_free_pages * 4);
	if (highmem) {
		unsigned long hf = zinfo(m, 0, I386_HIGHMEM).free_pages * 4;

		assert_int_equal(val[7], mi.totalhigh_pages * 4);
		assert_int_equal(val[8], hf);
		assert_int_equal(val[9], (mi.totalram_pages - mi.totalhigh_pages) * 4);
		assert_int_equal(val[10], mi.nr_free_pages * 4 - hf);
		assert_int_equal(val[11], 0);   /* no swap yet */
		assert_int_equal(val[12], 0);
		/* CommitLimit = totalram * 50 / 100 + swap */
		assert_int_equal(val[23], mi.totalram_pages * 50 / 100 * 4);
	} else {
		assert_int_equal(val[7], 0);
		assert_int_equal(val[19], mi.totalram_pages * 50 / 100 * 4);
	}
	/* the structured form says the same */
	ni = kmem_meminfo_items(m, items, ARRAY_LEN(items));
	assert_true(ni >= nl);
	for (size_t i = 0; i < nl; i++) {
		assert_string_equal(items[i].name, labels[i]);
		assert_int_equal(items[i].value, val[i]);
	}
	free(t);
}

static void test_meminfo(void **state)
{
	const char *const *names = kmem_config_preset_names();

	(void)state;
	for (size_t i = 0; names[i]; i++) {
		struct machine *m = boot_preset(names[i]);
		unsigned long p = ALLOC(m, -1, GFP_HIGHUSER, 2);
		unsigned long free_before = minfo(m).nr_free_pages;

		expect_meminfo(m);
		FREE(m, p, 2);
		expect_meminfo(m);
		/* an order-2 free goes straight to the buddy lists */
		assert_int_equal(minfo(m).nr_free_pages, free_before + 4);
		kmem_machine_destroy(m);
	}
}

/* MemFree is Σ zone free_pages * 4: pcp pages are not free pages. */
static void test_meminfo_memfree_sum(void **state)
{
	struct machine *m = boot_preset("i386-1g");
	struct kmem_machine_info mi;
	unsigned long sum = 0;

	(void)state;
	ALLOC(m, -1, GFP_KERNEL, 0);    /* 30 pages move to CPU 0's list */
	mi = minfo(m);
	for (int idx = 0; idx < 3; idx++)
		sum += zinfo(m, 0, idx).free_pages;
	assert_int_equal(mi.nr_free_pages, sum);
	{
		struct kmem_stat_item it[64];
		size_t n = kmem_meminfo_items(m, it, 64);

		assert_true(n >= 2);
		assert_string_equal(it[1].name, "MemFree");
		assert_int_equal(it[1].value, sum * 4);
	}
	kmem_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* vmstat                                                              */
/* ------------------------------------------------------------------ */

static void expect_vmstat_shape(struct machine *m)
{
	bool x86_64 = minfo(m).arch == KMEM_ARCH_X86_64;
	const char *names[64];
	size_t nn = vmstat_names(x86_64, names, 64);
	char *t = proc_text(m, "vmstat");
	char *lines[128];
	size_t n = split_lines(t, lines, 128);
	struct kmem_stat_item items[128];
	size_t ni = kmem_vmstat_items(m, items, 128);

	assert_int_equal(nn, x86_64 ? 48 : 42);
	if (n != nn)
		fail_msg("vmstat: %zu lines, expected %zu", n, nn);
	assert_int_equal(ni, nn);
	for (size_t i = 0; i < nn; i++) {
		size_t l = strlen(names[i]);

		if (strncmp(lines[i], names[i], l) != 0 || lines[i][l] != ' ' ||
		    !all_digits(lines[i] + l + 1))
			fail_msg("vmstat line %zu: \"%s\", expected \"%s <n>\"",
				 i + 1, lines[i], names[i]);
		assert_string_equal(items[i].name, names[i]);
		assert_int_equal(items[i].value, strtoul(lines[i] + l + 1, NULL, 10));
	}
	free(t);
}

/* Every item but the listed ones keeps its value from `before`. */
static void expect_only_changed(struct machine *m,
				const struct kmem_stat_item *before, size_t n,
				const char *const *changed, const long *delta,
				size_t nc, const char *const *fuzzy, size_t nf)
{
	struct kmem_stat_item now[128];
	size_t nn = kmem_vmstat_items(m, now, 128);

	assert_int_equal(nn, n);
	for (size_t i = 0; i < n; i++) {
		long want = 0;
		bool skip = false;

		for (size_t k = 0; k < nc; k++)
			if (strcmp(now[i].name, changed[k]) == 0)
				want = delta[k];
		for (size_t k = 0; k < nf; k++)
			if (strcmp(now[i].name, fuzzy[k]) == 0)
				skip = true;
		if (skip)
			continue;
		if ((long)(now[i].value - before[i].value) != want)
			fail_msg("vmstat %s: %lu -> %lu, expected a change of %ld",
				 now[i].name, before[i].value, now[i].value, want);
	}
}

static void test_vmstat_i386(void **state)
{
	struct machine *m = boot_preset("i386-1g");
	struct kmem_stat_item b[128];
	size_t n;
	unsigned long p;

	(void)state;
	expect_vmstat_shape(m);
	n = kmem_vmstat_items(m, b, 128);
	p = ALLOC(m, -1, GFP_KERNEL, 2);
	{
		static const char *const c[] = { "pgalloc_normal" };
		static const long d[] = { 4 };

		expect_only_changed(m, b, n, c, d, 1, NULL, 0);
	}
	n = kmem_vmstat_items(m, b, 128);
	FREE(m, p, 2);
	{
		static const char *const c[] = { "pgfree" };
		static const long d[] = { 4 };

		expect_only_changed(m, b, n, c, d, 1, NULL, 0);
	}
	n = kmem_vmstat_items(m, b, 128);
	p = ALLOC(m, -1, GFP_HIGHUSER, 0);
	ALLOC(m, -1, GFP_DMA, 1);
	ALLOC(m, -1, GFP_HIGHUSER, 5);
	FREE(m, p, 0);
	{
		static const char *const c[] = { "pgalloc_high", "pgalloc_dma",
						  "pgfree" };
		static const long d[] = { 1 + 32, 2, 1 };

		expect_only_changed(m, b, n, c, d, 3, NULL, 0);
	}
	/* a refused allocation counts no pgalloc */
	n = kmem_vmstat_items(m, b, 128);
	assert_int_equal(kmem_alloc_pages(m, -1, GFP_KERNEL, 11, &p), -EINVAL);
	expect_only_changed(m, b, n, NULL, NULL, 0, NULL, 0);
	/* a drain moves pages without counting pgfree */
	kmem_drain_pages(m, -1);
	expect_only_changed(m, b, n, NULL, NULL, 0, NULL, 0);
	expect_vmstat_shape(m);
	kmem_machine_destroy(m);
}

/*
 * x86_64: _dma _dma32 _normal; NUMA counters.  zone_statistics (one count
 * per allocation): served by the zonelist's first node -> numa_hit, else
 * numa_miss (+ numa_foreign on the preferred zone); by the CPU's node ->
 * numa_local, else numa_other.  The zone counters are folded from per-CPU
 * diffs (§13.3), so a displayed NUMA count may lag or lead the true one by
 * up to threshold + threshold/2 per CPU (24 + 12 for node 0's DMA32).
 */
static void test_vmstat_x86_64_numa(void **state)
{
	static const char *const numa_fuzzy[] = { "numa_hit", "numa_local",
						  "numa_other" };
	struct machine *m = boot_preset("x86_64-numa");
	struct kmem_stat_item b[128];
	size_t n;
	unsigned long hit0, local0, other0, p[200];
	unsigned cpu0 = 0;

	(void)state;
	expect_vmstat_shape(m);
	while (kmem_cpu_to_node(m, cpu0) != 0)
		cpu0++;
	assert_int_equal(kmem_set_cpu(m, cpu0), 0);

	n = kmem_vmstat_items(m, b, 128);
	hit0 = vmstat_value(m, "numa_hit");
	local0 = vmstat_value(m, "numa_local");
	other0 = vmstat_value(m, "numa_other");
	for (int i = 0; i < 200; i++)
		p[i] = ALLOC(m, 0, GFP_KERNEL, 1);
	{
		static const char *const c[] = { "pgalloc_dma32" };
		static const long d[] = { 400 };

		expect_only_changed(m, b, n, c, d, 1, numa_fuzzy, 3);
	}
	{
		long dh = (long)(vmstat_value(m, "numa_hit") - hit0);
		long dl = (long)(vmstat_value(m, "numa_local") - local0);

		if (dh < 200 - 36 || dh > 200 + 36)
			fail_msg("numa_hit moved by %ld after 200 local allocations", dh);
		if (dl < 200 - 36 || dl > 200 + 36)
			fail_msg("numa_local moved by %ld after 200 local allocations", dl);
		assert_int_equal(vmstat_value(m, "numa_other"), other0);
	}
	for (int i = 0; i < 200; i++)
		FREE(m, p[i], 1);

	/* node 1's memory from a node-0 CPU: hits on node 1, numa_other */
	n = kmem_vmstat_items(m, b, 128);
	other0 = vmstat_value(m, "numa_other");
	for (int i = 0; i < 200; i++)
		p[i] = ALLOC(m, 1, GFP_KERNEL, 1);
	{
		static const char *const c[] = { "pgalloc_dma32" };
		static const long d[] = { 400 };
		long dother = (long)(vmstat_value(m, "numa_other") - other0);

		expect_only_changed(m, b, n, c, d, 1, numa_fuzzy, 3);
		if (dother < 200 - 36 || dother > 200 + 36)
			fail_msg("numa_other moved by %ld after 200 remote allocations",
				 dother);
	}
	/* GFP_DMA: pgalloc_dma */
	n = kmem_vmstat_items(m, b, 128);
	ALLOC(m, 0, GFP_DMA, 2);
	{
		static const char *const c[] = { "pgalloc_dma" };
		static const long d[] = { 4 };

		expect_only_changed(m, b, n, c, d, 1, numa_fuzzy, 3);
	}
	expect_vmstat_shape(m);
	kmem_machine_destroy(m);
}

static void test_vmstat_x86_64_2g(void **state)
{
	struct machine *m = boot_preset("x86_64-2g");
	struct kmem_stat_item b[128];
	size_t n;
	static const char *const fz[] = { "numa_hit", "numa_local" };

	(void)state;
	expect_vmstat_shape(m);
	n = kmem_vmstat_items(m, b, 128);
	/* Normal is empty: GFP_KERNEL is served from DMA32 */
	ALLOC(m, -1, GFP_KERNEL, 1);
	{
		static const char *const c[] = { "pgalloc_dma32" };
		static const long d[] = { 2 };

		expect_only_changed(m, b, n, c, d, 1, fz, 2);
	}
	kmem_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* /proc/sys/vm                                                        */
/* ------------------------------------------------------------------ */

static void test_sysctl_files(void **state)
{
	struct machine *m = boot_preset("i386-1g");
	char *s;
	struct kmem_zone_info z;

	(void)state;
	s = proc_text(m, "sys/vm/min_free_kbytes");
	assert_string_equal(s, "3816\n");
	free(s);
	s = proc_text(m, "sys/vm/lowmem_reserve_ratio");
	assert_string_equal(s, "256\t32\n");
	free(s);

	/* the min_free_kbytes handler re-runs setup_per_zone_pages_min only:
	 * 8192 -> DMA 36/45/54, Normal 2011/2513/3016, HighMem 32/105/178 */
	assert_int_equal(kmem_proc_write(m, "sys/vm/min_free_kbytes", "8192"), 0);
	s = proc_text(m, "sys/vm/min_free_kbytes");
	assert_string_equal(s, "8192\n");
	free(s);
	z = zinfo(m, 0, I386_DMA);
	assert_int_equal(z.pages_min, 36);
	assert_int_equal(z.pages_low, 45);
	assert_int_equal(z.pages_high, 54);
	assert_int_equal(z.lowmem_reserve[1], 873);
	assert_int_equal(z.lowmem_reserve[2], 1000);
	z = zinfo(m, 0, I386_NORMAL);
	assert_int_equal(z.pages_min, 2011);
	assert_int_equal(z.pages_low, 2513);
	assert_int_equal(z.pages_high, 3016);
	z = zinfo(m, 0, I386_HIGHMEM);
	assert_int_equal(z.pages_min, 32);
	assert_int_equal(z.pages_low, 105);
	assert_int_equal(z.pages_high, 178);

	/* lowmem_reserve_ratio 128 16 -> DMA (0, 1746, 2000), Normal[2] 2032 */
	assert_int_equal(kmem_proc_write(m, "sys/vm/lowmem_reserve_ratio", "128 16"), 0);
	z = zinfo(m, 0, I386_DMA);
	assert_int_equal(z.lowmem_reserve[0], 0);
	assert_int_equal(z.lowmem_reserve[1], 1746);
	assert_int_equal(z.lowmem_reserve[2], 2000);
	assert_int_equal(z.pages_min, 36);
	z = zinfo(m, 0, I386_NORMAL);
	assert_int_equal(z.lowmem_reserve[2], 2032);
	s = proc_text(m, "zoneinfo");
	assert_non_null(strstr(s, "\n        protection: (0, 1746, 2000)\n"));
	assert_non_null(strstr(s, "\n        min      2011\n"));
	free(s);

	/*
	 * percpu_pagelist_fraction (§3.6): hot high = present / fraction,
	 * batch = max(1, high/4) capped at PAGE_SHIFT*8 = 96; cold untouched.
	 *   8:   DMA 4064/8 = 508 -> 96; Normal 27940 -> 96; HighMem 4064 -> 96
	 *   100: DMA 40 -> 10; Normal 2235 -> 96; HighMem 325 -> 81
	 */
	s = proc_text(m, "sys/vm/percpu_pagelist_fraction");
	assert_string_equal(s, "0\n");
	free(s);
	{
		static const struct { const char *val; int hot[3][2]; } cases[] = {
			{ "8", { { 508, 96 }, { 27940, 96 }, { 4064, 96 } } },
			{ "100", { { 40, 10 }, { 2235, 96 }, { 325, 81 } } },
		};
		static const int cold[3][2] = { { 0, 1 }, { 62, 15 }, { 14, 3 } };

		for (size_t c = 0; c < ARRAY_LEN(cases); c++) {
			assert_int_equal(kmem_proc_write(m, "sys/vm/percpu_pagelist_fraction",
							 cases[c].val), 0);
			for (int idx = 0; idx < 3; idx++) {
				for (unsigned cpu = 0; cpu < 2; cpu++) {
					struct kmem_pcp_info h = pcpinfo(m, 0, idx, cpu, 0);
					struct kmem_pcp_info k = pcpinfo(m, 0, idx, cpu, 1);

					assert_int_equal(h.high, cases[c].hot[idx][0]);
					assert_int_equal(h.batch, cases[c].hot[idx][1]);
					assert_int_equal(k.high, cold[idx][0]);
					assert_int_equal(k.batch, cold[idx][1]);
				}
			}
		}
		/* below the minimum of 8 */
		assert_int_equal(kmem_proc_write(m, "sys/vm/percpu_pagelist_fraction", "7"),
				 -EINVAL);
		assert_int_equal(pcpinfo(m, 0, I386_NORMAL, 0, 0).high, 2235);
	}
	CHECK(m);

	/* bad values are refused with a message and change nothing */
	{
		char *before = machine_snapshot(m, true), *after;

		assert_int_equal(kmem_proc_write(m, "sys/vm/min_free_kbytes", "12abc"),
				 -EINVAL);
		assert_true(strlen(kmem_last_error(m)) > 0);
		after = machine_snapshot(m, true);
		ASSERT_SAME_TEXT(before, after, "after a bad sysctl write");
		free(after);
		free(before);
	}
	assert_int_equal(kmem_proc_write(m, "meminfo", "1"), -EACCES);
	assert_int_equal(kmem_proc_write(m, "sys/vm/no_such_knob", "1"), -ENOENT);
	{
		struct kbuf b;

		kbuf_init(&b);
		assert_int_equal(kmem_proc_read(m, "no_such_file", &b), -ENOENT);
		kbuf_free(&b);
	}
	CHECK(m);
	kmem_machine_destroy(m);
}

static void test_proc_entries(void **state)
{
	struct machine *m = boot_preset("i386-1g");
	const char *const *e = kmem_proc_entries(m);
	static const char *const need[] = { "buddyinfo", "meminfo", "vmstat",
		"zoneinfo", "sys/vm/min_free_kbytes",
		"sys/vm/lowmem_reserve_ratio" };

	(void)state;
	assert_non_null(e);
	for (size_t k = 0; k < ARRAY_LEN(need); k++) {
		bool found = false;

		for (size_t i = 0; e[i]; i++)
			if (strcmp(e[i], need[k]) == 0)
				found = true;
		if (!found)
			fail_msg("kmem_proc_entries lacks %s", need[k]);
	}
	/* every listed entry reads */
	for (size_t i = 0; e[i]; i++) {
		char *s = proc_text(m, e[i]);

		free(s);
	}
	kmem_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* Determinism                                                         */
/* ------------------------------------------------------------------ */

static void workload(struct machine *m, uint64_t seed)
{
	struct kmem_machine_info mi = minfo(m);
	unsigned long live[2000];
	unsigned ord[2000];
	size_t n = 0;
	uint64_t x = seed;

	for (int step = 0; step < 3000; step++) {
		unsigned r;

		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		r = (unsigned)(x >> 33);
		if (r % 50 == 0) {
			assert_int_equal(kmem_set_cpu(m, (r >> 8) % mi.cpus), 0);
		} else if (r % 173 == 1) {
			kmem_drain_pages(m, (int)((r >> 8) % mi.cpus));
		} else if (n > 0 && ((r >> 6) % 2 == 0 || n == ARRAY_LEN(live))) {
			size_t i = (r >> 10) % n;

			FREE(m, live[i], ord[i]);
			live[i] = live[n - 1];
			ord[i] = ord[--n];
		} else {
			static const gfp_t g[] = { GFP_KERNEL, GFP_HIGHUSER,
				GFP_KERNEL | __GFP_COLD, GFP_DMA, GFP_ATOMIC };
			unsigned o = (r >> 12) % 8 < 5 ? 0 : (r >> 15) % 4;
			gfp_t gfp = g[(r >> 20) % ARRAY_LEN(g)];
			unsigned long pfn;

			if (kmem_alloc_pages(m, -1, gfp | __GFP_NOWARN, o, &pfn) == 0) {
				live[n] = pfn;
				ord[n++] = o;
			}
		}
	}
}

static void expect_same_machines(struct machine *a, struct machine *b)
{
	static const char *const files[] = { "buddyinfo", "zoneinfo",
					     "meminfo", "vmstat" };

	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		char *x = proc_text(a, files[i]), *y = proc_text(b, files[i]);

		ASSERT_SAME_TEXT(x, y, files[i]);
		free(x);
		free(y);
	}
	{
		char *x = machine_snapshot(a, true), *y = machine_snapshot(b, true);
		size_t la, lb;
		char *da, *db;

		ASSERT_SAME_TEXT(x, y, "lists");
		free(x);
		free(y);
		da = strdup(kmem_dmesg(a, &la));
		db = strdup(kmem_dmesg(b, &lb));
		ASSERT_SAME_TEXT(da, db, "dmesg");
		free(da);
		free(db);
	}
}

static void test_determinism(void **state)
{
	static const char *const presets[] = { "i386-1g", "x86_64-numa", "tiny" };

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(presets); i++) {
		struct machine *a = boot_preset(presets[i]);
		struct machine *b = boot_preset(presets[i]);

		expect_same_machines(a, b);
		workload(a, 42 + i);
		workload(b, 42 + i);
		expect_same_machines(a, b);
		CHECK(a);
		CHECK(b);
		kmem_machine_destroy(a);
		kmem_machine_destroy(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buddyinfo),
		cmocka_unit_test(test_buddyinfo_shape),
		cmocka_unit_test(test_zoneinfo_i386_smp),
		cmocka_unit_test(test_zoneinfo_up),
		cmocka_unit_test(test_zoneinfo_x86_64),
		cmocka_unit_test(test_meminfo),
		cmocka_unit_test(test_meminfo_memfree_sum),
		cmocka_unit_test(test_vmstat_i386),
		cmocka_unit_test(test_vmstat_x86_64_numa),
		cmocka_unit_test(test_vmstat_x86_64_2g),
		cmocka_unit_test(test_sysctl_files),
		cmocka_unit_test(test_proc_entries),
		cmocka_unit_test(test_determinism),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
