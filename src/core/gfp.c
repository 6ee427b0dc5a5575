/*
 * gfp.c - GFP masks by name (include/linux/gfp.h, 2.6.20): parse
 * "GFP_KERNEL|__GFP_ZERO" into a mask and render a mask back into names.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct gfp_name {
	const char *name;               /* as spelled in gfp.h */
	gfp_t value;                    /* its bits */
};

/* Composites first (longest first for formatting), then single bits. */
static const struct gfp_name composites[] = {
	{ "GFP_HIGHUSER", GFP_HIGHUSER },
	{ "GFP_USER",     GFP_USER },
	{ "GFP_KERNEL",   GFP_KERNEL },
	{ "GFP_NOFS",     GFP_NOFS },
	{ "GFP_NOIO",     GFP_NOIO },
	{ "GFP_ATOMIC",   GFP_ATOMIC },
	{ "GFP_DMA32",    GFP_DMA32 },
	{ "GFP_DMA",      GFP_DMA },
};

static const struct gfp_name bits[] = {
	{ "__GFP_DMA",        __GFP_DMA },
	{ "__GFP_HIGHMEM",    __GFP_HIGHMEM },
	{ "__GFP_DMA32",      __GFP_DMA32 },
	{ "__GFP_WAIT",       __GFP_WAIT },
	{ "__GFP_HIGH",       __GFP_HIGH },
	{ "__GFP_IO",         __GFP_IO },
	{ "__GFP_FS",         __GFP_FS },
	{ "__GFP_COLD",       __GFP_COLD },
	{ "__GFP_NOWARN",     __GFP_NOWARN },
	{ "__GFP_REPEAT",     __GFP_REPEAT },
	{ "__GFP_NOFAIL",     __GFP_NOFAIL },
	{ "__GFP_NORETRY",    __GFP_NORETRY },
	{ "__GFP_NO_GROW",    __GFP_NO_GROW },
	{ "__GFP_COMP",       __GFP_COMP },
	{ "__GFP_ZERO",       __GFP_ZERO },
	{ "__GFP_NOMEMALLOC", __GFP_NOMEMALLOC },
	{ "__GFP_HARDWALL",   __GFP_HARDWALL },
	{ "__GFP_THISNODE",   __GFP_THISNODE },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const all_names[] = {
	"GFP_ATOMIC", "GFP_DMA", "GFP_DMA32", "GFP_HIGHUSER", "GFP_KERNEL",
	"GFP_NOFS", "GFP_NOIO", "GFP_NOWAIT", "GFP_THISNODE", "GFP_USER",
	"__GFP_COLD", "__GFP_COMP", "__GFP_DMA", "__GFP_DMA32", "__GFP_FS",
	"__GFP_HARDWALL", "__GFP_HIGH", "__GFP_HIGHMEM", "__GFP_IO",
	"__GFP_NOFAIL", "__GFP_NOMEMALLOC", "__GFP_NORETRY", "__GFP_NOWARN",
	"__GFP_NO_GROW", "__GFP_REPEAT", "__GFP_THISNODE", "__GFP_WAIT",
	"__GFP_ZERO", NULL,
};

const char *const *kmem_gfp_names(void)
{
	return all_names;
}

static bool lookup(const char *s, size_t n, bool numa, gfp_t *out)
{
	for (size_t i = 0; i < N(composites); i++)
		if (strlen(composites[i].name) == n &&
		    !memcmp(composites[i].name, s, n)) {
			*out = composites[i].value;
			return true;
		}
	for (size_t i = 0; i < N(bits); i++)
		if (strlen(bits[i].name) == n && !memcmp(bits[i].name, s, n)) {
			*out = bits[i].value;
			return true;
		}
	if (n == 10 && !memcmp(s, "GFP_NOWAIT", 10)) {
		*out = GFP_NOWAIT;
		return true;
	}
	if (n == 12 && !memcmp(s, "GFP_THISNODE", 12)) {
		*out = numa ? GFP_THISNODE_NUMA : 0;
		return true;
	}
	return false;
}

static bool parse_number(const char *s, size_t n, gfp_t *out)
{
	unsigned long v = 0;
	size_t i = 0;
	int base = 10;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == n)
		return false;
	for (; i < n; i++) {
		int d;
		char c = s[i];
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		v = v * (unsigned long)base + (unsigned long)d;
		if (v > 0xffffffffUL)
			return false;
	}
	*out = (gfp_t)v;
	return true;
}

int kmem_gfp_parse(const char *text, bool numa, gfp_t *out, char *err,
		   size_t errlen)
{
	gfp_t mask = 0;
	const char *s = text;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		const char *start = s;
		while (*s && *s != '|' && *s != ' ' && *s != '\t')
			s++;
		size_t n = (size_t)(s - start);
		gfp_t v;
		if (n == 0) {
			snprintf(err, errlen, "empty term in GFP mask '%s'", text);
			return -EINVAL;
		}
		if (!lookup(start, n, numa, &v) && !parse_number(start, n, &v)) {
			snprintf(err, errlen, "unknown GFP flag '%.*s'", (int)n, start);
			return -EINVAL;
		}
		if (v & ~__GFP_BITS_MASK) {
			snprintf(err, errlen, "GFP value '%.*s' has bits above "
				 "__GFP_BITS_SHIFT (%d)", (int)n, start,
				 __GFP_BITS_SHIFT);
			return -EINVAL;
		}
		mask |= v;
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (*s != '|') {
			snprintf(err, errlen, "expected '|' in GFP mask '%s'", text);
			return -EINVAL;
		}
		s++;
	}
	*out = mask;
	return 0;
}

void kmem_gfp_format(gfp_t gfp, char *buf, size_t len)
{
	size_t n = 0;
	gfp_t rest = gfp;

	if (len)
		buf[0] = '\0';
	if (!gfp) {
		snprintf(buf, len, "0");
		return;
	}
	/* the first (largest) composite that fits, then leftover bits */
	for (size_t i = 0; i < N(composites); i++) {
		if ((rest & composites[i].value) == composites[i].value) {
			n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s",
					      composites[i].name);
			rest &= ~composites[i].value;
			break;
		}
	}
	for (size_t i = 0; i < N(bits); i++) {
		if (!(rest & bits[i].value))
			continue;
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? "|" : "", bits[i].name);
		rest &= ~bits[i].value;
	}
	if (rest)
		snprintf(buf + n, n < len ? len - n : 0, "%s0x%x", n ? "|" : "",
			 rest);
}
