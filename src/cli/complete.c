/*
 * complete.c - tab completion, independent of readline so the dashboard's
 * command line can offer the same candidates.  The word under the cursor
 * is completed from the command table (first word) or by the command's
 * own completer (arguments), which draws on the shared helpers here:
 * GFP flag names (after the last '|'), zone names, $values and names.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_VALUE_CANDIDATES 1000       /* the most recent live values */

void compl_add(struct completion *c, const char *cand)
{
	if (strncmp(cand, c->word, c->word_len))
		return;
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->items[i], cand))
			return;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->items = cli_realloc(c->items, c->cap * sizeof *c->items);
	}
	size_t len = strlen(cand) + 1;
	c->items[c->n] = cli_realloc(NULL, len);
	memcpy(c->items[c->n++], cand, len);
}

void compl_free(struct completion *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->items[i]);
	free(c->items);
	c->items = NULL;
	c->n = c->cap = 0;
}

/* "GFP_KERNEL|__GFP_Z" completes the part after the last '|'. */
void complete_gfp(struct session *s, struct completion *c)
{
	const char *bar = strrchr(c->word, '|');
	size_t lead = bar ? (size_t)(bar - c->word) + 1 : 0;
	char buf[256];

	(void)s;
	if (lead >= sizeof buf - 40)
		return;
	memcpy(buf, c->word, lead);
	for (const char *const *n = kmem_gfp_names(); *n; n++) {
		snprintf(buf + lead, sizeof buf - lead, "%s", *n);
		compl_add(c, buf);
	}
}

void complete_values(struct session *s, struct completion *c)
{
	char b[48];
	size_t shown = 0;

	for (size_t i = s->nvalues; i-- > 0 && shown < MAX_VALUE_CANDIDATES;) {
		if (s->values[i].freed)
			continue;
		snprintf(b, sizeof b, "$%zu", i + 1);
		compl_add(c, b);
		shown++;
	}
	for (size_t i = 0; i < s->names_cap; i++) {
		if (!s->names[i].key)
			continue;
		compl_add(c, s->names[i].key);
		snprintf(b, sizeof b, "$%s", s->names[i].key);
		compl_add(c, b);
	}
}

void complete_zones(struct session *s, struct completion *c)
{
	struct kmem_zone_info zi;
	char b[48];

	for (unsigned n = 0; n < s->info.nr_nodes; n++)
		for (int i = 0; i < KMEM_MAX_NR_ZONES; i++) {
			if (kmem_zone_info(s->m, (int)n, i, &zi) || !zi.populated)
				continue;
			compl_add(c, zi.name);
			if (s->info.nr_nodes > 1) {
				snprintf(b, sizeof b, "%u:%s", n, zi.name);
				compl_add(c, b);
			}
		}
}

void complete_gfp_arg(struct session *s, int argi, char **argv,
		      struct completion *c)
{
	complete_gfp(s, c);
}

void complete_value_arg(struct session *s, int argi, char **argv,
			struct completion *c)
{
	complete_values(s, c);
}

void complete_zone_arg(struct session *s, int argi, char **argv,
		       struct completion *c)
{
	complete_zones(s, c);
}

void complete_command_arg(struct session *s, int argi, char **argv,
			  struct completion *c)
{
	for (size_t i = 0; i < command_count; i++)
		compl_add(c, command_table[i]->name);
}

static bool is_break(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '(' || ch == ',' || ch == '=' ||
	       ch == '>';
}

void session_complete(struct session *s, const char *line, size_t point,
		      struct completion *c)
{
	char buf[1024];
	char *words[MAX_ARGS + 2];
	int nw = 0;
	size_t ws = point;

	if (point >= sizeof buf)
		return;
	while (ws > 0 && !is_break(line[ws - 1]))
		ws--;
	memcpy(buf, line, point);
	buf[point] = '\0';
	c->word = buf + ws;
	c->word_len = point - ws;

	/* after '>' only /proc paths make sense */
	size_t k = ws;
	while (k > 0 && (line[k - 1] == ' ' || line[k - 1] == '\t'))
		k--;
	if (k > 0 && line[k - 1] == '>') {
		complete_proc(s, c);
		return;
	}

	/* the words before the cursor; "NAME =" is not one of them */
	char *p = buf;
	buf[ws] = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	char *q = p;
	while (*q && !is_break(*q))
		q++;
	char *r = q;
	while (*r == ' ' || *r == '\t')
		r++;
	if (*r == '=' && q > p)
		p = r + 1;
	while (*p && nw < MAX_ARGS) {
		while (*p && is_break(*p))
			p++;
		if (!*p)
			break;
		words[nw++] = p;
		while (*p && !is_break(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	words[nw] = NULL;
	/* the word itself lives in the untouched copy */
	memcpy(buf + ws, line + ws, point - ws);
	buf[point] = '\0';

	if (nw == 0) {
		complete_command_arg(s, 0, words, c);
		return;
	}
	char err[256];
	const struct command *cmd = command_lookup(command_table, command_count,
						   words[0], "command", err,
						   sizeof err);
	if (cmd && cmd->complete)
		cmd->complete(s, nw, words, c);
}
