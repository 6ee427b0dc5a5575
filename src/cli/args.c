/*
 * args.c - turning argument words into engine values: numbers, orders,
 * GFP masks, pages, addresses, zones and CPUs.  Each helper prints its own
 * one-line error and returns -1, so a handler reads
 *
 *	if (arg_order(s, argv[2], &order) || arg_gfp(s, argv[1], &gfp))
 *		return -1;
 *
 * and a bad word never reaches the engine.
 *
 * How a page argument is read (as crash reads `kmem -p`):
 *   $N, $name, name      the value's block
 *   NUMBER < max_pfn     a page frame number
 *   NUMBER >= PAGE_OFFSET a kernel virtual (direct-map) address
 *   phys:ADDR            a physical address
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <string.h>
#include <strings.h>

#include "cli.h"

int arg_u64(struct session *s, const char *word, const char *what,
	    uint64_t *out)
{
	if (parse_u64(word, out))
		return sess_error(s, "bad %s '%s': expected a number (decimal or "
				  "0x hex)", what, word);
	return 0;
}

int arg_uint(struct session *s, const char *word, const char *what,
	     unsigned max, unsigned *out)
{
	uint64_t v;

	if (arg_u64(s, word, what, &v))
		return -1;
	if (v > max)
		return sess_error(s, "%s %s is out of range (0..%u)", what, word,
				  max);
	*out = (unsigned)v;
	return 0;
}

/* Any unsigned order reaches the engine, which explains MAX_ORDER the
 * way the kernel would (alloc_pages returns NULL at once). */
int arg_order(struct session *s, const char *word, unsigned *out)
{
	uint64_t v;

	if (parse_u64(word, &v))
		return sess_error(s, "bad order '%s': expected a number 0..%d",
				  word, KMEM_MAX_ORDER - 1);
	if (v > UINT32_MAX)
		return sess_error(s, "order %s is out of range (0..%d)", word,
				  KMEM_MAX_ORDER - 1);
	*out = (unsigned)v;
	return 0;
}

bool looks_like_gfp(const char *word)
{
	return !strncmp(word, "GFP_", 4) || !strncmp(word, "__GFP_", 6) ||
	       strchr(word, '|') != NULL;
}

int arg_gfp(struct session *s, const char *word, gfp_t *out)
{
	char err[256];
	size_t n = strlen(word);

	/* the replay hot path parses the same few masks again and again */
	if (n < sizeof s->gfp_cache[0].text) {
		for (unsigned i = 0; i < 4; i++)
			if (!strcmp(s->gfp_cache[i].text, word)) {
				*out = s->gfp_cache[i].gfp;
				return 0;
			}
	}
	if (kmem_gfp_parse(word, s->info.numa, out, err, sizeof err))
		return sess_error(s, "%s", err);
	if (n < sizeof s->gfp_cache[0].text) {
		unsigned i = s->gfp_next++ & 3;
		memcpy(s->gfp_cache[i].text, word, n + 1);
		s->gfp_cache[i].gfp = *out;
	}
	return 0;
}

/* An address-sized number, with a clear message for garbage. */
static int arg_addr_number(struct session *s, const char *word, uint64_t *v)
{
	if (parse_u64(word, v))
		return sess_error(s, "bad address '%s': expected a number, $N, a "
				  "name or phys:ADDR", word);
	return 0;
}

/* A user address (mmap's $N) where a kernel page or address is wanted. */
static int user_value_refused(struct session *s, const char *word, size_t idx)
{
	return sess_error(s, "%s is a user address of pid %d, not a kernel "
			  "page or address (show pagetable %d %s finds its "
			  "page)", word, s->values[idx].cache,
			  s->values[idx].cache, word);
}

int arg_page(struct session *s, const char *word, unsigned long *pfn,
	     long *vidx)
{
	size_t idx;
	uint64_t v;
	int r = value_ref(s, word, &idx);

	*vidx = -1;
	if (r < 0)
		return -1;
	if (r == 0) {
		if (s->values[idx].kind == VAL_USER)
			return user_value_refused(s, word, idx);
		*pfn = s->values[idx].pfn;
		*vidx = (long)idx;
		return 0;
	}
	if (!strncmp(word, "phys:", 5)) {
		if (arg_addr_number(s, word + 5, &v))
			return -1;
		if (v >> KMEM_PAGE_SHIFT >= s->info.max_pfn)
			return sess_error(s, "physical address 0x%llx is beyond the "
					  "end of memory (0x%llx)",
					  (unsigned long long)v,
					  (unsigned long long)s->info.max_pfn
					  << KMEM_PAGE_SHIFT);
		*pfn = (unsigned long)(v >> KMEM_PAGE_SHIFT);
		return 0;
	}
	if (arg_addr_number(s, word, &v))
		return -1;
	if (v < s->info.max_pfn) {
		*pfn = (unsigned long)v;
		return 0;
	}
	if (v >= s->info.page_offset) {
		if (kmem_virt_to_pfn(s->m, v, pfn))
			return sess_error(s, "0x%llx is not in the kernel's direct "
					  "mapping (0x%llx..0x%llx)",
					  (unsigned long long)v,
					  (unsigned long long)s->info.page_offset,
					  (unsigned long long)(s->info.page_offset +
					  ((uint64_t)s->info.max_low_pfn <<
					   KMEM_PAGE_SHIFT)) - 1);
		return 0;
	}
	return sess_error(s, "%s is neither a pfn (below max_pfn 0x%lx) nor a "
			  "kernel address (from PAGE_OFFSET 0x%llx); write "
			  "phys:%s for a physical address", word,
			  s->info.max_pfn,
			  (unsigned long long)s->info.page_offset, word);
}

int arg_vaddr(struct session *s, const char *word, kaddr_t *addr,
	      unsigned long *pfn, long *vidx)
{
	size_t idx;
	uint64_t v;
	int r = value_ref(s, word, &idx);
	kaddr_t lowmem_end = s->info.page_offset +
			     ((kaddr_t)s->info.max_low_pfn << KMEM_PAGE_SHIFT);

	*vidx = -1;
	if (r < 0)
		return -1;
	if (r == 0) {
		char lb[64];
		if (s->values[idx].kind == VAL_USER)
			return user_value_refused(s, word, idx);
		*pfn = s->values[idx].pfn;
		*vidx = (long)idx;
		if (!kmem_page_address(s->m, *pfn, addr))
			return sess_error(s, "%s is a highmem page: it has no "
					  "kernel address (use __free_pages)",
					  value_label(s, idx, lb, sizeof lb));
		return 0;
	}
	if (arg_addr_number(s, word, &v))
		return -1;
	if (v == 0) {
		*addr = 0;
		*pfn = KMEM_NO_PFN;
		return 0;
	}
	if (v < s->info.page_offset || v >= lowmem_end)
		return sess_error(s, "0x%llx is not a kernel direct-mapped address "
				  "(0x%llx..0x%llx)", (unsigned long long)v,
				  (unsigned long long)s->info.page_offset,
				  (unsigned long long)lowmem_end - 1);
	*addr = v;
	if (kmem_virt_to_pfn(s->m, v, pfn))
		return sess_error(s, "0x%llx has no page behind it",
				  (unsigned long long)v);
	return 0;
}

int arg_zone(struct session *s, const char *word, int *nid, int *idx)
{
	const char *name = word;
	long node = -1;

	const char *colon = strchr(word, ':');
	if (colon) {
		char num[24];
		const char *n = word;
		size_t len = (size_t)(colon - word);
		if (!strncmp(n, "node", 4)) {
			n += 4;
			len -= 4;
		}
		if (len == 0 || len >= sizeof num)
			return sess_error(s, "bad zone '%s': write ZONE or NODE:ZONE",
					  word);
		memcpy(num, n, len);
		num[len] = '\0';
		if (parse_long(num, &node) || node < 0 ||
		    node >= (long)s->info.nr_nodes)
			return sess_error(s, "bad node in '%s' (nodes 0..%u)", word,
					  s->info.nr_nodes - 1);
		name = colon + 1;
	}
	for (unsigned n = 0; n < s->info.nr_nodes; n++) {
		if (node >= 0 && (long)n != node)
			continue;
		int i = kmem_zone_lookup(s->m, (int)n, name);
		if (i >= 0) {
			*nid = (int)node;
			*idx = i;
			return 0;
		}
	}
	char names[128];
	size_t off = 0;
	names[0] = '\0';
	for (int i = 0; i < KMEM_MAX_NR_ZONES; i++)
		off += (size_t)snprintf(names + off, sizeof names - off, "%s%s",
					i ? ", " : "", zone_name(s, 0, i));
	return sess_error(s, "unknown zone '%s' (this machine has %s)", name,
			  names);
}

int arg_cpu(struct session *s, const char *word, unsigned *cpu)
{
	uint64_t v;

	if (parse_u64(word, &v))
		return sess_error(s, "bad cpu '%s': expected a number", word);
	if (v >= s->info.cpus)
		return sess_error(s, "cpu %s is not online (cpus 0..%u)", word,
				  s->info.cpus - 1);
	*cpu = (unsigned)v;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Naming things                                                       */
/* ------------------------------------------------------------------ */

const char *zone_name(struct session *s, int nid, int idx)
{
	struct kmem_zone_info zi;

	if (kmem_zone_info(s->m, nid < 0 ? 0 : nid, idx, &zi))
		return "?";
	return zi.name;
}

const char *fmt_ms(char *buf, size_t len, uint64_t us)
{
	snprintf(buf, len, "%llu.%03llu ms", (unsigned long long)(us / 1000),
		 (unsigned long long)(us % 1000));
	return buf;
}

const char *zone_label(struct session *s, int nid, int idx, char *buf,
		       size_t len)
{
	if (s->info.nr_nodes > 1)
		snprintf(buf, len, "node %d %s", nid, zone_name(s, nid, idx));
	else
		snprintf(buf, len, "%s", zone_name(s, nid, idx));
	return buf;
}

void describe_block(struct session *s, unsigned long pfn, unsigned order,
		    char *buf, size_t len)
{
	struct kmem_page_info pi;
	char zb[48], vb[64];
	kaddr_t va;

	if (kmem_page_info(s->m, pfn, &pi) || pi.nid < 0)
		snprintf(zb, sizeof zb, "(no zone)");
	else
		zone_label(s, pi.nid, pi.zone_idx, zb, sizeof zb);
	if (kmem_page_address(s->m, pfn, &va))
		snprintf(vb, sizeof vb, "virt 0x%llx", (unsigned long long)va);
	else
		snprintf(vb, sizeof vb, "no kernel mapping (highmem)");
	snprintf(buf, len, "pfn 0x%lx (phys 0x%llx, %s) %s order %u", pfn,
		 (unsigned long long)kmem_pfn_to_phys(pfn), vb, zb, order);
}

int arg_kaddr(struct session *s, const char *word, kaddr_t *addr, long *vidx)
{
	size_t idx;
	uint64_t v;
	int r = value_ref(s, word, &idx);

	*vidx = -1;
	if (r < 0)
		return -1;
	if (r == 0) {
		const struct value *val = &s->values[idx];
		char lb[64];
		*vidx = (long)idx;
		if (val->kind == VAL_USER)
			return user_value_refused(s, word, idx);
		if (val->kind == VAL_OBJ) {
			*addr = val->addr;
			return 0;
		}
		if (!kmem_page_address(s->m, val->pfn, addr))
			return sess_error(s, "%s is a highmem page: it has no "
					  "kernel address (kmap it first)",
					  value_label(s, idx, lb, sizeof lb));
		return 0;
	}
	if (arg_addr_number(s, word, &v))
		return -1;
	*addr = v;
	return 0;
}
