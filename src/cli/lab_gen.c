/*
 * lab_gen.c - the exercise generators of the teaching labs, one function
 * per lab.  Each drives a freshly booted machine through lab_step (every
 * step a real command, printed for the student), shows context with
 * lab_show, and asks questions with lab_ask: a question is a query
 * (query.c) evaluated right then, so the engine computes every answer.
 * All choices come from lab_rand (seeded splitmix64): the same seed
 * gives the same exercise, and nothing depends on the host.
 *
 * A generator only takes steps that succeed on its machine; the lab
 * tests run every generator for seeds 0..20 and grade its own answers.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <string.h>

#include "lab.h"

/* A word the engine reports now (a zone name ...), into buf. */
static int lab_word(struct lab_ex *e, const char *query, char *buf,
		    size_t len)
{
	struct qval v;
	char err[300];

	if (query_eval_text(e->s, query, &v, err, sizeof err))
		return -1;
	qval_format(&v, buf, len);
	qval_free(&v);
	return 0;
}

/* ------------------------------------------------------------------ */
/* 1. buddy: splits, merges, the XOR buddy                             */
/* ------------------------------------------------------------------ */

/*
 * Four to seven allocations and frees of order 0..3 in ZONE_NORMAL of
 * the tiny machine (whose per-CPU lists hold nothing: high 0, so even
 * order-0 pages go straight through to the buddy lists).  Questions: the
 * PFN a step returned, the buddyinfo line afterwards, one order's count,
 * the head of one free list, free_pages.
 */
static int gen_buddy(struct lab_ex *e)
{
	char live[8][8], names[8][8];
	unsigned orders[8] = { 0 }, nlive = 0, nalloc = 0;
	unsigned nsteps = 4 + (unsigned)lab_rand(e, 4);
	unsigned alloc_step[8] = { 0 };

	lab_say(e, "The Normal zone's free lists before the first step (head "
		"first):\n");
	if (lab_show(e, "show free_area Normal"))
		return -1;
	lab_say(e, "\nSteps (GFP_KERNEL allocations come from ZONE_NORMAL; "
		"`free X` gives a block back at its order):\n");
	for (unsigned i = 0; i < nsteps; i++) {
		bool do_free = nlive >= 2 && lab_rand(e, 3) == 0;
		if (i == nsteps - 1 && nlive && nalloc >= 3 && !do_free)
			do_free = true;         /* end on a merge to predict */
		if (do_free) {
			unsigned k = (unsigned)lab_rand(e, nlive);
			if (lab_step(e, "free %s", live[k]))
				return -1;
			memmove(live[k], live[k + 1], (nlive - k - 1) * sizeof live[0]);
			nlive--;
			continue;
		}
		unsigned order = (unsigned)lab_rand(e, 4);
		snprintf(names[nalloc], sizeof names[0], "%c", 'a' + nalloc);
		if (lab_step(e, "%s = alloc_pages GFP_KERNEL %u", names[nalloc],
			     order))
			return -1;
		orders[nalloc] = order;
		alloc_step[nalloc] = e->step;
		memcpy(live[nlive++], names[nalloc], sizeof names[0]);
		nalloc++;
	}
	/* the PFNs of two allocations (the first, and a later one) */
	char q[64];
	snprintf(q, sizeof q, "%s pfn", names[0]);
	if (lab_ask(e, q, "Which PFN does step %u (%s, order %u) return? "
		    "(hex)", alloc_step[0], names[0], orders[0]))
		return -1;
	if (nalloc > 1) {
		unsigned k = 1 + (unsigned)lab_rand(e, nalloc - 1);
		snprintf(q, sizeof q, "%s pfn", names[k]);
		if (lab_ask(e, q, "Which PFN does step %u (%s, order %u) "
			    "return? (hex)", alloc_step[k], names[k], orders[k]))
			return -1;
	}
	if (lab_ask(e, "buddyinfo Normal", "After the last step, what does "
		    "the Normal line of /proc/buddyinfo read?  (11 numbers, "
		    "orders 0 to 10)"))
		return -1;
	unsigned o = (unsigned)lab_rand(e, 6);
	uint64_t n;
	snprintf(q, sizeof q, "buddyinfo Normal %u", o);
	if (lab_ask(e, q, "How many order-%u blocks are free in ZONE_NORMAL "
		    "then?", o))
		return -1;
	for (unsigned tries = 0; tries < 6; tries++, o = (o + 1) % 6) {
		snprintf(q, sizeof q, "buddyinfo Normal %u", o);
		if (lab_num(e, q, &n))
			return -1;
		if (n) {
			snprintf(q, sizeof q, "free_list Normal %u 0", o);
			if (lab_ask(e, q, "Which block heads the order-%u free "
				    "list then (its first PFN, hex)?", o))
				return -1;
			break;
		}
	}
	return lab_ask(e, "free_pages Normal", "And how many pages are free in "
		       "ZONE_NORMAL (its free_pages)?");
}

/* ------------------------------------------------------------------ */
/* 2. zones: watermarks, lowmem_reserve, zonelist fallback             */
/* ------------------------------------------------------------------ */

/*
 * A new min_free_kbytes and lowmem_reserve_ratio are written, then 0-2
 * order-10 blocks and order-9 GFP_KERNEL blocks are taken until one falls back from
 * Normal to DMA.  Questions: the new watermarks, DMA's protection, the
 * zone of the allocation just before and at the fallback, free pages.
 */
static int gen_zones(struct lab_ex *e)
{
	static const unsigned kbytes[] = { 256, 384, 512, 768, 1024, 1536,
					   2048, 3072 };
	static const unsigned ratios[] = { 16, 32, 64, 128, 256 };
	unsigned kb = kbytes[lab_rand(e, 8)];
	unsigned ratio = ratios[lab_rand(e, 5)];
	unsigned order = 9;
	char zone[32];

	lab_say(e, "Both zones have 4064 present pages.\n");
	if (lab_show(e, "cat /proc/buddyinfo"))
		return -1;
	lab_say(e, "\nSteps:\n");
	if (lab_step(e, "echo %u > /proc/sys/vm/min_free_kbytes", kb) ||
	    lab_step(e, "echo %u 32 > /proc/sys/vm/lowmem_reserve_ratio", ratio))
		return -1;
	if (lab_ask(e, "zoneinfo Normal min", "What is ZONE_NORMAL's pages_min "
		    "now?"))
		return -1;
	bool high = lab_rand(e, 2);
	if (lab_ask(e, high ? "zoneinfo Normal high" : "zoneinfo Normal low",
		    "And its pages_%s?", high ? "high" : "low"))
		return -1;
	if (lab_ask(e, "zoneinfo DMA protection 1", "How many pages does "
		    "ZONE_DMA hold back from GFP_KERNEL allocations that fall "
		    "back to it (its lowmem_reserve for Normal, the second "
		    "'protection' number)?"))
		return -1;
	unsigned big = (unsigned)lab_rand(e, 3);
	if (big)
		lab_say(e, "\nMore steps: %u order-10 block%s, then order-%u "
			"GFP_KERNEL blocks until one comes from ZONE_DMA.\n", big,
			big == 1 ? "" : "s", order);
	else
		lab_say(e, "\nMore steps: order-%u GFP_KERNEL blocks until one "
			"comes from ZONE_DMA.\n", order);
	for (unsigned i = 0; i < big; i++)
		if (lab_step(e, "big%u = alloc_pages GFP_KERNEL 10", i + 1))
			return -1;
	unsigned k, first_dma = 0;
	char q[64];
	for (k = 0; k < 12; k++) {
		if (lab_step(e, "b%u = alloc_pages GFP_KERNEL %u", k + 1, order))
			return -1;
		snprintf(q, sizeof q, "b%u zone", k + 1);
		if (lab_word(e, q, zone, sizeof zone))
			return -1;
		if (!strcmp(zone, "DMA")) {
			first_dma = k + 1;
			break;
		}
	}
	if (!first_dma) {
		snprintf(e->err, sizeof e->err, "no fallback after 12 blocks");
		return -1;
	}
	unsigned before = first_dma - 1 - (unsigned)lab_rand(e, first_dma - 1 ?
							   first_dma - 1 : 1);
	if (before >= 1) {
		snprintf(q, sizeof q, "b%u zone", before);
		if (lab_ask(e, q, "Which zone does b%u come from? (DMA or "
			    "Normal)", before))
			return -1;
	}
	snprintf(q, sizeof q, "b%u zone", first_dma);
	if (lab_ask(e, q, "Which zone does b%u come from?", first_dma))
		return -1;
	if (lab_ask(e, "free_pages Normal", "How many pages does ZONE_NORMAL "
		    "have free at the end?"))
		return -1;
	return lab_ask(e, "free_pages DMA", "And ZONE_DMA?");
}

/* ------------------------------------------------------------------ */
/* 3. pcp: per-CPU hot and cold lists                                   */
/* ------------------------------------------------------------------ */

/*
 * On a 128 MiB machine (Normal hot list high 42 batch 7, cold high 14
 * batch 3): order-0 allocations hot and cold and frees, on CPU 0 and
 * sometimes CPU 1.  Questions: the PFN of a step (LIFO reuse), the
 * counts and heads of CPU 0's lists, and what a drain leaves.
 */
static int gen_pcp(struct lab_ex *e)
{
	char live[16][8];
	unsigned nlive = 0, nalloc = 0, cpu = 0;
	unsigned nsteps = 6 + (unsigned)lab_rand(e, 4);
	unsigned asked_step = 0;
	char asked_name[8] = "";
	bool after_free = false, asked_reuse = false;

	lab_say(e, "CPU 0's and CPU 1's Normal lists before the first step "
		"(head first):\n");
	if (lab_show(e, "show pcp 0") || lab_show(e, "show pcp 1"))
		return -1;
	lab_say(e, "\nSteps (alloc_page takes the hot list, __GFP_COLD the "
		"cold one; `free` of an order-0 page is free_hot_page):\n");
	for (unsigned i = 0; i < nsteps; i++) {
		unsigned r = (unsigned)lab_rand(e, 10);
		if (r == 0 && i > 1) {
			cpu ^= 1;
			if (lab_step(e, "cpu %u", cpu))
				return -1;
			after_free = false;
			continue;
		}
		if (nlive && r <= 3) {
			unsigned k = (unsigned)lab_rand(e, nlive);
			if (lab_step(e, "free %s", live[k]))
				return -1;
			memmove(live[k], live[k + 1], (nlive - k - 1) * sizeof live[0]);
			nlive--;
			after_free = true;
			continue;
		}
		bool cold = r >= 8;
		snprintf(live[nlive], sizeof live[0], "p%u", ++nalloc);
		if (lab_step(e, "%s = alloc_page GFP_KERNEL%s", live[nlive],
			     cold ? "|__GFP_COLD" : ""))
			return -1;
		/* ask about the first allocation right after a free (LIFO
		 * reuse), else about the first allocation */
		if (!asked_step || (after_free && !asked_reuse)) {
			asked_step = e->step;
			memcpy(asked_name, live[nlive], sizeof asked_name);
			asked_reuse = after_free;
		}
		after_free = false;
		nlive++;
	}
	char q[64];
	snprintf(q, sizeof q, "%s pfn", asked_name);
	if (lab_ask(e, q, "Which PFN does step %u (%s) return? (hex)",
		    asked_step, asked_name))
		return -1;
	if (lab_ask(e, "pcp Normal hot count 0", "After the last step, how "
		    "many pages are on CPU 0's Normal hot list?") ||
	    lab_ask(e, "pcp Normal cold count 0", "And on its cold list?") ||
	    lab_ask(e, "pcp Normal hot count 1", "And on CPU 1's hot list?"))
		return -1;
	uint64_t n;
	if (lab_num(e, "pcp Normal hot count 0", &n))
		return -1;
	if (n && lab_ask(e, "pcp Normal hot head 0", "Which page heads CPU 0's "
			 "hot list, the next one a hot allocation there gets? "
			 "(hex)"))
		return -1;
	if (lab_step(e, "drain_pages all"))
		return -1;
	return lab_ask(e, "free_pages Normal", "After step %u, how many pages "
		       "does ZONE_NORMAL have free (its free_pages)?", e->step);
}

/* ------------------------------------------------------------------ */
/* 4. slab: cache geometry, arrays; the same on SLOB                    */
/* ------------------------------------------------------------------ */

/*
 * A cache of a random object size, aligned or not; a few objects
 * allocated and freed.  Questions: objects per slab, object size after
 * alignment, colours, active objects and slabs afterwards, an object's
 * index in its slab.  Part B runs the same steps under SLOB and asks how
 * many pages its arena holds.
 */
static int slab_steps(struct lab_ex *e, unsigned size, bool align,
		      unsigned nobj, unsigned nfree)
{
	if (lab_step(e, "kmem_cache_create lab_cache %u%s", size,
		     align ? " SLAB_HWCACHE_ALIGN" : ""))
		return -1;
	for (unsigned i = 0; i < nobj; i++)
		if (lab_step(e, "o%u = kmem_cache_alloc lab_cache", i + 1))
			return -1;
	for (unsigned i = 0; i < nfree; i++)
		if (lab_step(e, "kmem_cache_free lab_cache o%u", 2 * i + 1))
			return -1;
	return 0;
}

static int gen_slab(struct lab_ex *e)
{
	static const unsigned sizes[] = { 24, 40, 52, 72, 100, 136, 200, 300,
					  420, 520, 700, 1100, 1500 };
	unsigned size = sizes[lab_rand(e, sizeof sizes / sizeof sizes[0])];
	bool align = lab_rand(e, 2);
	unsigned nobj = 2 + (unsigned)lab_rand(e, 4);
	unsigned nfree = (unsigned)lab_rand(e, nobj / 2 + 1);
	char q[64];

	lab_say(e, "\nPart A, SLAB.  Steps:\n");
	if (slab_steps(e, size, align, nobj, nfree))
		return -1;
	if (lab_ask(e, "cache lab_cache objsize", "What is the cache's object "
		    "size after alignment (objsize in /proc/slabinfo)?") ||
	    lab_ask(e, "cache lab_cache objperslab", "How many objects fit in "
		    "one slab (objperslab)?") ||
	    lab_ask(e, "cache lab_cache colour", "How many colours does the "
		    "cache cycle through (cachep->colour)?") ||
	    lab_ask(e, "cache lab_cache active_objs", "After the steps, what "
		    "is active_objs?  (Objects parked in the CPU's array cache "
		    "count as active.)"))
		return -1;
	snprintf(q, sizeof q, "o%u index", nobj);
	if (lab_ask(e, q, "Which object of its slab is o%u (0 = the first)?",
		    nobj))
		return -1;
	lab_say(e, "\nPart B, SLOB: the same steps on another machine.\n");
	if (lab_boot(e, "tiny", "slob"))
		return -1;
	uint64_t before;
	if (lab_num(e, "slob arena_pages", &before))
		return -1;
	lab_say(e, "Its SLOB arena holds %llu pages after boot.  Steps:\n",
		(unsigned long long)before);
	if (slab_steps(e, size, align, nobj, nfree))
		return -1;
	return lab_ask(e, "slob arena_pages", "How many pages does the SLOB "
		       "arena hold after them?");
}

/* ------------------------------------------------------------------ */
/* 5. vmalloc versus kmalloc versus alloc_pages; kmap                   */
/* ------------------------------------------------------------------ */

/*
 * On i386-1g (a little HighMem): vmalloc areas of random sizes, one
 * vfree'd and the hole reused first-fit; a kmalloc and a highmem page
 * kmap'd.  Questions: area addresses, pages, the guard page, page-table
 * indexes, zones, the pkmap address.
 */
static int gen_vmalloc(struct lab_ex *e)
{
	static const unsigned sizes[] = { 4096, 5000, 8192, 10000, 12288,
					  16384, 20000 };
	unsigned sz[3], nv = 3;
	char q[64];

	for (unsigned i = 0; i < nv; i++)
		sz[i] = sizes[lab_rand(e, 7)];
	lab_say(e, "The vmlist is empty; VMALLOC_START is 0xf8800000.\n"
		"\nSteps:\n");
	for (unsigned i = 0; i < nv; i++)
		if (lab_step(e, "v%u = vmalloc %u", i + 1, sz[i]))
			return -1;
	unsigned victim = 1 + (unsigned)lab_rand(e, 2);
	unsigned reuse = sizes[lab_rand(e, 7)];
	if (lab_step(e, "vfree v%u", victim) ||
	    lab_step(e, "v4 = vmalloc %u", reuse))
		return -1;
	unsigned k = 1 + (unsigned)lab_rand(e, 3);
	if (k == victim)
		k = 3;
	snprintf(q, sizeof q, "v%u addr", k);
	if (lab_ask(e, q, "What address does v%u get? (hex)", k) ||
	    lab_ask(e, "v4 addr", "And v4? (hex)"))
		return -1;
	snprintf(q, sizeof q, "v%u size", k);
	if (lab_ask(e, q, "How many bytes of address space does v%u's "
		    "vm_struct cover (its size, guard page included)?", k))
		return -1;
	if (lab_ask(e, "v4 guard", "At which address is v4's guard page? "
		    "(hex)") ||
	    lab_ask(e, "v4 pages", "How many pages did vmalloc allocate for "
		    "v4?") ||
	    lab_ask(e, "v4 zone", "From which zone did v4's first page come?"))
		return -1;
	snprintf(q, sizeof q, "pagetable v%u pgd", k);
	if (lab_ask(e, q, "Which pgd entry (index) maps v%u?  (i386 without "
		    "PAE: two levels, 4 MiB a pgd entry)", k))
		return -1;
	if (lab_step(e, "h = alloc_page GFP_HIGHUSER") ||
	    lab_step(e, "kmap h"))
		return -1;
	return lab_ask(e, "pkmap h addr", "Which virtual address does kmap "
		       "give h? (hex; no other page is kmap'd)");
}

/* ------------------------------------------------------------------ */
/* 6. faults: demand paging, the ZERO_PAGE, copy-on-write, page cache   */
/* ------------------------------------------------------------------ */

/* "NAME" for page 0 of a mapping, "NAME+Nk" for page pg. */
static const char *page_at(char *buf, size_t len, const char *name,
			   unsigned pg)
{
	if (pg)
		snprintf(buf, len, "%s+%uk", name, pg * 4);
	else
		snprintf(buf, len, "%s", name);
	return buf;
}

/*
 * A task maps 4-8 anonymous pages and reads and writes some of them
 * (the ZERO_PAGE, do_anonymous_page, a copy of the zero page); it forks
 * and both sides write one shared page in a random order; the child
 * writes a page that still maps the ZERO_PAGE, then faults twice on a
 * private file mapping (a major fault with read-around, then a hit or a
 * second miss).  Questions: fault counts, rss counters, the mapcount
 * after the first COW write, which side keeps the original page frame,
 * the page-cache size.
 */
static int gen_faults(struct lab_ex *e)
{
	enum { NONE, ZERO, ANON };
	unsigned npages = 4 + (unsigned)lab_rand(e, 5);
	unsigned st[8] = { 0 };
	unsigned nsteps = 3 + (unsigned)lab_rand(e, 3);
	char a[32], q[96];

	lab_say(e, "pid 2 (prog) is spawned with only its stack page present\n"
		"(anon_rss 1, file_rss 0, no faults yet).  buf is private\n"
		"anonymous memory; a `fault` without `write` is a read.\n"
		"\nSteps:\n");
	if (lab_step(e, "spawn prog") ||
	    lab_step(e, "buf = mmap 2 %uk", npages * 4))
		return -1;
	for (unsigned i = 0; i < nsteps; i++) {
		unsigned pg = (unsigned)lab_rand(e, npages);
		bool write = lab_rand(e, 2);
		if (i == 0)
			write = true;
		if (i == 1) {   /* a read of a page nobody touched: ZERO_PAGE */
			while (st[pg] != NONE)
				pg = (pg + 1) % npages;
			write = false;
		}
		if (lab_step(e, "fault 2 %s%s", page_at(a, sizeof a, "buf", pg),
			     write ? " write" : ""))
			return -1;
		if (write)
			st[pg] = ANON;
		else if (st[pg] == NONE)
			st[pg] = ZERO;
	}
	if (lab_ask(e, "task 2 min_flt", "After step %u, how many minor faults "
		    "has pid 2 taken (its min_flt)?", e->step))
		return -1;
	bool file = lab_rand(e, 2);
	if (lab_ask(e, file ? "task 2 file_rss" : "task 2 anon_rss", "And its "
		    "%s, in pages?", file ? "file_rss" : "anon_rss"))
		return -1;

	/* fork; both sides write one shared anonymous page */
	unsigned k = (unsigned)lab_rand(e, npages), z = npages;
	while (st[k] != ANON)
		k = (k + 1) % npages;
	for (unsigned i = 0; i < npages; i++)
		if (st[i] == ZERO && z == npages)
			z = i;
	uint64_t orig;
	snprintf(q, sizeof q, "pte 2 %s pfn", page_at(a, sizeof a, "buf", k));
	if (lab_num(e, q, &orig))
		return -1;
	lab_say(e, "\npid 2 maps page frame 0x%llx at %s.  More steps:\n",
		(unsigned long long)orig, a);
	if (lab_step(e, "fork 2"))
		return -1;
	int first = lab_rand(e, 2) ? 3 : 2, second = 5 - first;
	bool early = lab_rand(e, 2);    /* ask before the first COW write */
	if (!early && lab_step(e, "fault %d %s write", first, a))
		return -1;
	snprintf(q, sizeof q, "pte %d %s mapcount", second, a);
	if (lab_ask(e, q, "After step %u, what is the mapcount of the page "
		    "pid %d maps at %s?", e->step, second, a))
		return -1;
	if (early && lab_step(e, "fault %d %s write", first, a))
		return -1;
	if (lab_step(e, "fault %d %s write", second, a))
		return -1;
	snprintf(q, sizeof q, "pte %d %s pfn", second, a);
	if (lab_ask(e, q, "After step %u, which page frame does pid %d map at "
		    "%s? (hex)", e->step, second, a))
		return -1;
	if (z < npages &&
	    lab_step(e, "fault 3 %s write", page_at(a, sizeof a, "buf", z)))
		return -1;

	/* the page cache through a private file mapping */
	static const unsigned sizes[] = { 12, 20, 32, 48, 64 };
	unsigned fpages = sizes[lab_rand(e, 5)];
	unsigned p1 = (unsigned)lab_rand(e, fpages);
	unsigned p2 = (unsigned)lab_rand(e, fpages);
	if (lab_step(e, "file create data %uk", fpages * 4) ||
	    lab_step(e, "d = mmap 3 %uk r-- private data", fpages * 4) ||
	    lab_step(e, "fault 3 %s", page_at(a, sizeof a, "d", p1)) ||
	    lab_step(e, "fault 3 %s", page_at(a, sizeof a, "d", p2)))
		return -1;
	if (lab_ask(e, "file data nrpages", "After step %u, how many pages of "
		    "data are in the page cache?  (ra_pages is 32)", e->step) ||
	    lab_ask(e, "task 3 maj_flt", "How many major faults has pid 3 "
		    "taken?") ||
	    lab_ask(e, "task 3 min_flt", "And minor faults?"))
		return -1;
	return lab_ask(e, "task 3 anon_rss", "What is pid 3's anon_rss now, "
		       "in pages?");
}

/* ------------------------------------------------------------------ */
/* 7. reclaim: LRU ageing, the OOM killer's choice, swap-in            */
/* ------------------------------------------------------------------ */

/*
 * Part A: a 4-page file read page by page in a random order (the first
 * read brings all four in), then lru_add_drain.  Questions: one page's
 * LRU list, pgactivate.  Part B: three tasks of 1-6 MiB of anonymous
 * memory, each given a random badness input (CPU time, nice, root,
 * oom_adj) or none.  Questions: one task's oom_score and the victim
 * select_bad_process picks.  Part C: 6-20 anonymous pages swapped out by
 * hand, then two faults.  Questions: pswpin and SwapCached after the
 * first (the readahead window), major faults after the second.
 */
static int gen_reclaim(struct lab_ex *e)
{
	unsigned nreads = 3 + (unsigned)lab_rand(e, 4);
	unsigned long idx[4], pfn[4];
	char q[96];

	lab_say(e, "Part A.  Steps (each read is one page, 4 kB; the first "
		"reads ahead all four):\n");
	if (lab_step(e, "file create f 16k"))
		return -1;
	unsigned prev = 4;
	for (unsigned i = 0; i < nreads; i++) {
		unsigned pg = i == 0 ? 0 : (unsigned)lab_rand(e, 4);
		if (i == nreads - 1 && pg == prev)
			pg = (pg + 1) % 4;
		if (pg ? lab_step(e, "read f %uk 4k", pg * 4) :
		    lab_step(e, "read f 0 4k"))
			return -1;
		/* the readahead pages wait in a pagevec: put them on the LRU
		 * so that mark_page_accessed can activate them */
		if (i == 0 && lab_step(e, "lru_add_drain"))
			return -1;
		prev = pg;
	}
	if (kmem_file_pages(e->s->m, "f", idx, pfn, 4) != 4) {
		snprintf(e->err, sizeof e->err, "f is not all cached");
		return -1;
	}
	lab_say(e, "f's pages 0-3 are page frames 0x%lx 0x%lx 0x%lx 0x%lx.\n",
		pfn[0], pfn[1], pfn[2], pfn[3]);
	unsigned a = (unsigned)lab_rand(e, 4);
	unsigned b = (a + 1 + (unsigned)lab_rand(e, 3)) % 4;
	snprintf(q, sizeof q, "page 0x%lx lru", pfn[a]);
	if (lab_ask(e, q, "After step %u, on which LRU list is page %u of f? "
		    "(active or inactive)", e->step, a))
		return -1;
	snprintf(q, sizeof q, "page 0x%lx referenced", pfn[b]);
	if (lab_ask(e, q, "Is page %u's PG_referenced set? (1 or 0)", b) ||
	    lab_ask(e, "vmstat pgactivate", "How many pages has activate_page "
		    "moved (pgactivate)?"))
		return -1;

	lab_say(e, "\nPart B.  ");
	if (lab_boot(e, "tiny", NULL))
		return -1;
	lab_say(e, "A spawned task's total_vm is 316 pages before the stress; "
		"`stress anon PID\nSIZE` maps SIZE more.  Steps:\n");
	static const char *const names[] = { "editor", "db", "backup" };
	for (unsigned i = 0; i < 3; i++)
		if (lab_step(e, "spawn %s", names[i]))
			return -1;
	for (unsigned i = 0; i < 3; i++)
		if (lab_step(e, "stress anon %u %uM", i + 2,
			     1 + (unsigned)lab_rand(e, 6)))
			return -1;
	for (unsigned i = 0; i < 3; i++) {
		unsigned pid = i + 2;
		switch (lab_rand(e, 5)) {
		case 0:
			if (lab_step(e, "run %u %u", pid,
				     8000u * (1 + (unsigned)lab_rand(e, 8))))
				return -1;
			break;
		case 1:
			if (lab_step(e, "nice %u %u", pid,
				     1 + (unsigned)lab_rand(e, 19)))
				return -1;
			break;
		case 2:
			if (lab_step(e, "setuid %u 0", pid))
				return -1;
			break;
		case 3:
			if (lab_step(e, "echo %d > /proc/%u/oom_adj",
				     (int)lab_rand(e, 7) - 3, pid))
				return -1;
			break;
		default:
			break;
		}
	}
	unsigned t = 2 + (unsigned)lab_rand(e, 3);
	snprintf(q, sizeof q, "task %u oom_score", t);
	if (lab_ask(e, q, "What does /proc/%u/oom_score read now?", t) ||
	    lab_ask(e, "oom victim", "Which pid would the OOM killer choose "
		    "(select_bad_process)?"))
		return -1;

	/* Part C: swap-out, then swap-in with readahead */
	lab_say(e, "\nPart C.  ");
	if (lab_boot(e, "tiny", NULL))
		return -1;
	lab_say(e, "Slot 0 of a swap device is its header.  `swapout` writes "
		"the pages of a\nrange, in address order, to consecutive free "
		"slots from slot 1.  page-cluster\nis 3: a major fault reads "
		"the aligned block of 8 slots around its own\n(swapin_readahead; "
		"slot 0 and free slots are skipped) into the swap cache.\n"
		"Steps:\n");
	unsigned n = 6 + (unsigned)lab_rand(e, 15);
	unsigned k1 = (unsigned)lab_rand(e, n);
	unsigned k2 = (unsigned)lab_rand(e, n);
	char at[32];
	if (lab_step(e, "swapon /swapfile 4M") || lab_step(e, "spawn prog") ||
	    lab_step(e, "buf = mmap 2 %uk", n * 4) ||
	    lab_step(e, "touch 2 buf %uk write", n * 4) ||
	    lab_step(e, "swapout 2 buf %uk", n * 4) ||
	    lab_step(e, "fault 2 %s", page_at(at, sizeof at, "buf", k1)))
		return -1;
	if (lab_ask(e, "vmstat pswpin", "After step %u, how many pages have "
		    "been read from swap (pswpin)?", e->step) ||
	    lab_ask(e, "meminfo SwapCached", "What does SwapCached in "
		    "/proc/meminfo show, in kB?"))
		return -1;
	if (lab_step(e, "fault 2 %s", page_at(at, sizeof at, "buf", k2)))
		return -1;
	return lab_ask(e, "task 2 maj_flt", "After step %u, how many major "
		       "faults has pid 2 taken?", e->step);
}

const struct lab_generator lab_generators[] = {
	{ "buddy", gen_buddy },
	{ "zones", gen_zones },
	{ "pcp", gen_pcp },
	{ "slab", gen_slab },
	{ "vmalloc", gen_vmalloc },
	{ "faults", gen_faults },
	{ "reclaim", gen_reclaim },
	{ NULL, NULL },
};
