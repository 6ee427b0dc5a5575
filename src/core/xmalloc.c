/*
 * xmalloc.c - the one place host allocation failure is handled: a
 * simulated failure is an ordinary return, but running out of host memory
 * for our own structures aborts.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <string.h>
#include <unistd.h>

#include "internal.h"

static void out_of_host_memory(size_t n)
{
	static const char msg[] = "kmemlab: out of host memory\n";

	/* The engine never prints; this raw write is the one exception, on
	 * the way to abort(). */
	(void)n;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		abort();
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_host_memory(n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		out_of_host_memory(nmemb * size);
	return p;
}

void *xrealloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);

	if (!p)
		out_of_host_memory(n);
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}
