/*
 * values.c - the value history ($1, $2 ... as in gdb) and its names.
 *
 * Every allocation a command makes becomes the next $N; `buf = cmd` also
 * binds the name buf to it.  Two hash tables (open addressing, linear
 * probing) keep lookups O(1) for long replays:
 *
 *   names   "buf" -> value index       rebinding moves the name
 *   pfns    head PFN -> live value     so freeing by number still marks
 *                                      the right $N "(freed)"
 *
 * Values are never removed (only marked freed) until `reset`.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;       /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static inline uint64_t hash_pfn(unsigned long pfn)
{
	uint64_t x = pfn * 0x9e3779b97f4a7c15ULL;

	return x ^ (x >> 29);
}

/* ------------------------------------------------------------------ */
/* pfn -> live value                                                   */
/* ------------------------------------------------------------------ */

static void pfns_insert_raw(struct pfn_slot *t, size_t cap, unsigned long pfn,
			    uint32_t vidx1)
{
	size_t i = hash_pfn(pfn) & (cap - 1);

	while (t[i].vidx1 && t[i].pfn != pfn)
		i = (i + 1) & (cap - 1);
	t[i].pfn = pfn;
	t[i].vidx1 = vidx1;
}

static void pfns_grow(struct session *s)
{
	size_t cap = s->pfns_cap ? s->pfns_cap * 2 : 1024;
	struct pfn_slot *t = calloc(cap, sizeof *t);

	if (!t)
		cli_oom();
	for (size_t i = 0; i < s->pfns_cap; i++)
		if (s->pfns[i].vidx1)
			pfns_insert_raw(t, cap, s->pfns[i].pfn, s->pfns[i].vidx1);
	free(s->pfns);
	s->pfns = t;
	s->pfns_cap = cap;
}

static long pfns_find(const struct session *s, unsigned long pfn)
{
	if (!s->pfns_cap)
		return -1;
	size_t mask = s->pfns_cap - 1;
	for (size_t i = hash_pfn(pfn) & mask; s->pfns[i].vidx1; i = (i + 1) & mask)
		if (s->pfns[i].pfn == pfn)
			return (long)i;
	return -1;
}

/* Linear-probing delete: shift later members of the cluster back. */
static void pfns_delete_slot(struct session *s, size_t i)
{
	size_t mask = s->pfns_cap - 1;
	size_t j = i;

	s->pfns[i].vidx1 = 0;
	for (;;) {
		j = (j + 1) & mask;
		if (!s->pfns[j].vidx1)
			break;
		size_t home = hash_pfn(s->pfns[j].pfn) & mask;
		/* can j's entry move to the hole at i? */
		if ((i <= j) ? (home <= i || home > j) : (home <= i && home > j)) {
			s->pfns[i] = s->pfns[j];
			s->pfns[j].vidx1 = 0;
			i = j;
		}
	}
	s->pfns_used--;
}

long value_live_at(const struct session *s, unsigned long pfn)
{
	long slot = pfns_find(s, pfn);

	return slot < 0 ? -1 : (long)s->pfns[slot].vidx1 - 1;
}

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

size_t value_push(struct session *s, enum value_kind kind, unsigned long pfn,
		  unsigned order)
{
	if (s->nvalues == s->values_cap) {
		s->values_cap = s->values_cap ? s->values_cap * 2 : 256;
		s->values = cli_realloc(s->values,
					 s->values_cap * sizeof *s->values);
	}
	size_t idx = s->nvalues++;
	struct value *v = &s->values[idx];
	v->addr = 0;
	v->cache = -1;
	v->pfn = pfn;
	v->order = (uint8_t)order;
	v->kind = (uint8_t)kind;
	v->freed = false;
	v->name = NULL;
	if ((s->pfns_used + 1) * 4 > s->pfns_cap * 3)
		pfns_grow(s);
	long slot = pfns_find(s, pfn);
	if (slot >= 0) {
		/* a block we lost track of (freed behind our back) */
		s->values[s->pfns[slot].vidx1 - 1].freed = true;
		s->pfns[slot].vidx1 = (uint32_t)idx + 1;
	} else {
		pfns_insert_raw(s->pfns, s->pfns_cap, pfn, (uint32_t)idx + 1);
		s->pfns_used++;
	}
	return idx;
}

size_t value_push_obj(struct session *s, kaddr_t addr, int cache)
{
	if (s->nvalues == s->values_cap) {
		s->values_cap = s->values_cap ? s->values_cap * 2 : 256;
		s->values = cli_realloc(s->values,
					 s->values_cap * sizeof *s->values);
	}
	size_t idx = s->nvalues++;
	struct value *v = &s->values[idx];
	unsigned long pfn = KMEM_NO_PFN;

	kmem_virt_to_pfn(s->m, addr, &pfn);
	v->addr = addr;
	v->cache = cache;
	v->pfn = pfn;
	v->order = 0;
	v->kind = VAL_OBJ;
	v->freed = false;
	v->name = NULL;
	return idx;         /* objects share pages: not in the pfn index */
}

size_t value_push_user(struct session *s, uint64_t addr, int pid)
{
	size_t idx = value_push_obj(s, 0, pid);
	struct value *v = &s->values[idx];

	v->addr = addr;
	v->pfn = KMEM_NO_PFN;   /* a user address has no page of its own */
	v->kind = VAL_USER;
	return idx;
}

void value_mark_freed(struct session *s, size_t idx)
{
	struct value *v = &s->values[idx];

	v->freed = true;
	if (v->kind == VAL_OBJ || v->kind == VAL_USER)
		return;
	long slot = pfns_find(s, v->pfn);

	if (slot >= 0 && s->pfns[slot].vidx1 == idx + 1)
		pfns_delete_slot(s, (size_t)slot);
}

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

static long names_find(const struct session *s, const char *name)
{
	if (!s->names_cap)
		return -1;
	size_t mask = s->names_cap - 1;
	for (size_t i = hash_str(name) & mask; s->names[i].key; i = (i + 1) & mask)
		if (!strcmp(s->names[i].key, name))
			return (long)i;
	return -1;
}

static void names_grow(struct session *s)
{
	size_t cap = s->names_cap ? s->names_cap * 2 : 64;
	struct name_slot *t = calloc(cap, sizeof *t);

	if (!t)
		cli_oom();
	for (size_t i = 0; i < s->names_cap; i++) {
		if (!s->names[i].key)
			continue;
		size_t j = hash_str(s->names[i].key) & (cap - 1);
		while (t[j].key)
			j = (j + 1) & (cap - 1);
		t[j] = s->names[i];
	}
	free(s->names);
	s->names = t;
	s->names_cap = cap;
}

void value_bind(struct session *s, const char *name, size_t idx)
{
	long slot = names_find(s, name);

	if (slot >= 0) {
		struct name_slot *ns = &s->names[slot];
		if (s->values[ns->vidx].name == ns->key)
			s->values[ns->vidx].name = NULL;
		ns->vidx = (uint32_t)idx;
		s->values[idx].name = ns->key;
		return;
	}
	if ((s->names_used + 1) * 2 > s->names_cap)
		names_grow(s);
	size_t mask = s->names_cap - 1;
	size_t i = hash_str(name) & mask;
	while (s->names[i].key)
		i = (i + 1) & mask;
	size_t n = strlen(name) + 1;
	s->names[i].key = cli_realloc(NULL, n);
	memcpy(s->names[i].key, name, n);
	s->names[i].vidx = (uint32_t)idx;
	s->names_used++;
	s->values[idx].name = s->names[i].key;
}

long value_by_name(const struct session *s, const char *name)
{
	long slot = names_find(s, name);

	return slot < 0 ? -1 : (long)s->names[slot].vidx;
}

void values_clear(struct session *s)
{
	for (size_t i = 0; i < s->names_cap; i++)
		free(s->names[i].key);
	free(s->names);
	free(s->pfns);
	free(s->values);
	s->names = NULL;
	s->names_cap = s->names_used = 0;
	s->pfns = NULL;
	s->pfns_cap = s->pfns_used = 0;
	s->values = NULL;
	s->nvalues = s->values_cap = 0;
}

int value_ref(struct session *s, const char *word, size_t *idx)
{
	if (word[0] == '$') {
		const char *r = word + 1;
		if (!*r) {
			if (!s->nvalues)
				return sess_error(s, "$ refers to the last value, and "
						  "there is none yet");
			*idx = s->nvalues - 1;
			return 0;
		}
		if (*r >= '0' && *r <= '9') {
			uint64_t n;
			if (parse_u64(r, &n) || n == 0)
				return sess_error(s, "bad value reference '%s'", word);
			if (n > s->nvalues) {
				if (!s->nvalues)
					return sess_error(s, "no value %s: the history "
							  "is empty", word);
				return sess_error(s, "no value %s: the history holds "
						  "$1..$%zu", word, s->nvalues);
			}
			*idx = (size_t)n - 1;
			return 0;
		}
		if (!is_identifier(r))
			return sess_error(s, "bad value reference '%s'", word);
		long v = value_by_name(s, r);
		if (v < 0)
			return sess_error(s, "unknown name '%s'", r);
		*idx = (size_t)v;
		return 0;
	}
	if (!is_identifier(word))
		return 1;
	long v = value_by_name(s, word);
	if (v < 0)
		return sess_error(s, "unknown name '%s'", word);
	*idx = (size_t)v;
	return 0;
}

const char *value_label(const struct session *s, size_t idx, char *buf,
			size_t len)
{
	const struct value *v = &s->values[idx];

	if (v->name)
		snprintf(buf, len, "$%zu (%s)", idx + 1, v->name);
	else
		snprintf(buf, len, "$%zu", idx + 1);
	return buf;
}
