/*
 * parse.c - the hand-written tokenizer of the command language and its
 * number parsers.  This is the replay hot path (a million-line script of
 * page allocations runs through here), so it cuts the line in place,
 * allocates nothing, and reads each byte once.
 *
 *   buf = alloc_pages GFP_KERNEL | __GFP_ZERO  3   # comment
 *   ^^^   ^^^^^^^^^^^ ^^^^^^^^^^^^^^^^^^^^^^^^  ^
 *   assign  word      argv[1] (a bare | joins)  argv[2]
 *
 *   buf = alloc_pages(GFP_KERNEL | __GFP_ZERO, 3);    the same, C-call form
 *   echo 1024 > /proc/sys/vm/min_free_kbytes          redirect = the path
 *
 * Parsing runs in two phases so the dispatcher can look the command up in
 * between: a CMD_RAW command (explain) takes the rest of the line as it is.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static inline bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	       c == '\v';
}

static inline bool is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

bool is_identifier(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!is_ident_char(*s))
			return false;
	return true;
}

static char *skip_space(char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

/* Read the command word: ends at a blank, '(', '=', '>' or the end. */
static char *read_word(char **pp)
{
	char *p = *pp, *start = p;

	while (*p && !is_space(*p) && *p != '(' && *p != '=' && *p != '>')
		p++;
	*pp = p;
	return start;
}

int parse_head(char *line, struct cmdline *cl, char *err, size_t errlen)
{
	char *p = skip_space(line);
	char *w, *end;

	cl->assign = NULL;
	cl->word = NULL;
	cl->rest = NULL;
	cl->call = false;
	cl->argc = 0;
	cl->redirect = NULL;
	if (!*p || *p == '#')
		return 0;
	w = read_word(&p);
	end = p;
	p = skip_space(p);
	if (*p == '=' && p[1] != '=') {
		char saved = *end;
		*end = '\0';
		if (w == end) {
			snprintf(err, errlen, "missing name before '='");
			return -1;
		}
		if (!is_identifier(w)) {
			snprintf(err, errlen, "bad name '%s' before '=': a name is "
				 "a letter or _ followed by letters, digits or _", w);
			*end = saved;
			return -1;
		}
		cl->assign = w;
		p = skip_space(p + 1);
		if (!*p || *p == '#') {
			snprintf(err, errlen, "nothing after '%s =': expected a "
				 "command", w);
			return -1;
		}
		w = read_word(&p);
		end = p;
		p = skip_space(p);
	}
	if (w == end) {
		snprintf(err, errlen, "expected a command, found '%c'", *w);
		return -1;
	}
	if (*p == '(') {
		cl->call = true;
		p++;
	}
	if (end == p && *end == '>') {
		/* "echo>FILE": the '>' is still needed; keep a copy of the word */
		size_t n = (size_t)(end - w);
		if (n >= sizeof cl->wordbuf)
			n = sizeof cl->wordbuf - 1;
		memcpy(cl->wordbuf, w, n);
		cl->wordbuf[n] = '\0';
		w = cl->wordbuf;
	} else {
		*end = '\0';    /* a blank, '(' or '=' already read past */
	}
	cl->word = w;
	cl->rest = p;
	cl->argv[0] = w;
	cl->argc = 1;
	return 0;
}

/*
 * Copy one shell word from *pp to *wp in place, handling quotes, escapes
 * and '|' joining.  Returns the delimiter that ended it ('\0', ' ', '>').
 */
static int shell_word(char **pp, char *err, size_t errlen)
{
	char *r = *pp, *w = *pp;
	char last = '\0';

	for (;;) {
		char c = *r;
		if (c == '\0' || c == '>')
			break;
		if (is_space(c)) {
			/* "GFP_KERNEL | __GFP_ZERO" is one word */
			char *q = skip_space(r);
			if (*q == '|' || (last == '|' && *q && *q != '#' && *q != '>')) {
				r = q;
				continue;
			}
			break;
		}
		if (c == '\'' || c == '"') {
			char quote = c;
			r++;
			while (*r && *r != quote) {
				if (quote == '"' && *r == '\\' &&
				    (r[1] == '"' || r[1] == '\\'))
					r++;
				*w++ = *r++;
			}
			if (!*r) {
				snprintf(err, errlen, "missing closing %c", quote);
				return -1;
			}
			r++;
			last = quote;
			continue;
		}
		if (c == '\\' && r[1]) {
			r++;
			c = *r;
		}
		*w++ = c;
		last = c;
		r++;
	}
	int delim = *r;
	if (delim)
		r++;            /* consume a blank or '>' */
	*w = '\0';
	*pp = r;
	return delim == '>' ? '>' : (delim ? ' ' : '\0');
}

/* "> PATH" then only blanks or a comment. */
static int parse_redirect(struct cmdline *cl, char *p, char *err,
			  size_t errlen)
{
	p = skip_space(p);
	if (!*p || *p == '#' || *p == '>') {
		snprintf(err, errlen, "expected a file name after '>'");
		return -1;
	}
	char *start = p;
	int d = shell_word(&p, err, errlen);
	if (d < 0)
		return -1;
	if (d == '>') {
		snprintf(err, errlen, "only one '>' is allowed");
		return -1;
	}
	p = skip_space(p);
	if (*p == '>') {
		snprintf(err, errlen, "only one '>' is allowed");
		return -1;
	}
	if (*p && *p != '#') {
		snprintf(err, errlen, "unexpected '%s' after the file name", p);
		return -1;
	}
	cl->redirect = start;
	return 0;
}

static int add_arg(struct cmdline *cl, char *word, char *err, size_t errlen)
{
	if (cl->argc > MAX_ARGS) {
		snprintf(err, errlen, "too many arguments (at most %d)", MAX_ARGS);
		return -1;
	}
	cl->argv[cl->argc++] = word;
	return 0;
}

/* The C-call form: arguments separated by ',' up to ')'. */
static int parse_call(struct cmdline *cl, char *err, size_t errlen)
{
	char *r = cl->rest;

	r = skip_space(r);
	if (*r == ')') {
		r++;
		goto tail;
	}
	for (;;) {
		bool any = false;
		r = skip_space(r);
		char *w = r, *start = r;
		while (*r && *r != ',' && *r != ')') {
			char c = *r;
			if (c == '\'' || c == '"') {
				r++;
				while (*r && *r != c)
					*w++ = *r++;
				if (!*r) {
					snprintf(err, errlen, "missing closing %c", c);
					return -1;
				}
				r++;
				any = true;
				continue;
			}
			if (c == '(') {
				snprintf(err, errlen, "nested calls are not supported");
				return -1;
			}
			if (!is_space(c)) {
				*w++ = c;
				any = true;
			}
			r++;
		}
		if (!*r) {
			snprintf(err, errlen, "missing ')'");
			return -1;
		}
		char delim = *r++;
		*w = '\0';
		if (!any) {
			snprintf(err, errlen, "empty argument in the call");
			return -1;
		}
		if (add_arg(cl, start, err, errlen))
			return -1;
		if (delim == ')')
			break;
	}
tail:
	r = skip_space(r);
	if (*r == ';')
		r = skip_space(r + 1);
	if (*r == '>')
		return parse_redirect(cl, r + 1, err, errlen);
	if (*r && *r != '#') {
		snprintf(err, errlen, "unexpected '%s' after ')'", r);
		return -1;
	}
	return 0;
}

int parse_args(struct cmdline *cl, char *err, size_t errlen)
{
	char *p = cl->rest;

	if (cl->call) {
		int rc = parse_call(cl, err, errlen);
		cl->argv[cl->argc] = NULL;
		return rc;
	}
	for (;;) {
		p = skip_space(p);
		if (!*p || *p == '#')
			break;
		if (*p == '>') {
			if (parse_redirect(cl, p + 1, err, errlen))
				return -1;
			break;
		}
		char *start = p;
		int d = shell_word(&p, err, errlen);
		if (d < 0 || add_arg(cl, start, err, errlen))
			return -1;
		if (d == '>') {
			if (parse_redirect(cl, p, err, errlen))
				return -1;
			break;
		}
		if (!d)
			break;
	}
	cl->argv[cl->argc] = NULL;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Numbers                                                             */
/* ------------------------------------------------------------------ */

int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		if (!*s)
			return -1;
		for (; *s; s++) {
			unsigned d;
			char c = *s;
			if (c >= '0' && c <= '9')
				d = (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				d = (unsigned)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				d = (unsigned)(c - 'A' + 10);
			else
				return -1;
			if (v >> 60)
				return -1;
			v = v << 4 | d;
		}
		*out = v;
		return 0;
	}
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int parse_long(const char *s, long *out)
{
	uint64_t v;
	bool neg = *s == '-';

	if (parse_u64(s + neg, &v))
		return -1;
	if (neg ? v > (uint64_t)LONG_MAX + 1 : v > (uint64_t)LONG_MAX)
		return -1;
	*out = neg ? (long)(0 - v) : (long)v;
	return 0;
}

int parse_size(const char *s, uint64_t *out)
{
	char num[32];
	size_t n = strlen(s);
	unsigned shift = 0;

	if (n == 0 || n >= sizeof num)
		return -1;
	switch (s[n - 1]) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	default: break;
	}
	/* "0x1000" ends in a digit; "0xBG" is garbage either way */
	if (shift && n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return -1;
	memcpy(num, s, n + 1);
	if (shift)
		num[n - 1] = '\0';
	uint64_t v;
	if (parse_u64(num, &v) || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*out = v << shift;
	return 0;
}
