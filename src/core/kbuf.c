/*
 * kbuf.c - growable text buffers.  /proc text, YAML and reports are written
 * into a caller's kbuf, the way the kernel writes /proc text into a
 * seq_file buffer.  Host allocation failure aborts (xmalloc rule).
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

void kbuf_init(struct kbuf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void kbuf_free(struct kbuf *b)
{
	free(b->data);
	kbuf_init(b);
}

void kbuf_reset(struct kbuf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static void kbuf_reserve(struct kbuf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void kbuf_append(struct kbuf *b, const char *s, size_t n)
{
	kbuf_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void kbuf_printf(struct kbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	kbuf_reserve(b, 64);
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		kbuf_reserve(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}
