/*
 * cmd_expect.c - `expect`, the assertion of checked scripts and labs:
 *
 *   expect buddyinfo Normal 3 == 5        a value the engine reports
 *   expect $1 pfn == 0x1040               what an allocation returned
 *   expect meminfo MemFree >= 12000 kB
 *   expect fail alloc_pages GFP_DMA 10    a command that must fail
 *
 * A passing expect prints "ok: EXPRESSION"; a failing one is an error,
 * "FILE:LINE: expected EXPRESSION, got VALUE", so a script fails (exit
 * status 1) and --bail stops it there.  The expression language is in
 * query.c.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Captures error lines while `expect fail` runs its command. */
struct capture {
	sess_sink_fn sink;      /* the session's own sink */
	void *ctx;              /* and its argument */
	char msg[512];          /* the first error line */
};

static void capture_sink(void *ctx, enum sess_stream stream, const char *text,
			 size_t len)
{
	struct capture *c = ctx;

	if (stream != SESS_ERR) {
		c->sink(c->ctx, stream, text, len);
		return;
	}
	if (c->msg[0])
		return;
	if (len >= sizeof c->msg)
		len = sizeof c->msg - 1;
	memcpy(c->msg, text, len);
	c->msg[len] = '\0';
	char *nl = strchr(c->msg, '\n');
	if (nl)
		*nl = '\0';
}

static int expect_fail(struct session *s, char *line)
{
	struct cmdline cl;
	struct capture cap = { .sink = s->sink, .ctx = s->sink_ctx };
	char err[512], loc[300] = "";
	const char *msg;

	if (parse_head(line, &cl, err, sizeof err))
		return sess_error(s, "expect fail: %s", err);
	if (!cl.word)
		return sess_error(s, "expect fail: which command? (usage: "
				  "expect fail COMMAND...)");
	char shown[512];
	snprintf(shown, sizeof shown, "%s%s%s", cl.word, *cl.rest ? " " : "",
		 cl.rest);
	s->sink = capture_sink;
	s->sink_ctx = &cap;
	session_dispatch(s, &cl);
	s->sink = cap.sink;
	s->sink_ctx = cap.ctx;
	s->cur.word = cmd_expect.name;
	if (!s->cur.failed)
		return sess_error(s, "expected '%s' to fail, and it succeeded",
				  shown);
	s->cur.failed = false;
	msg = cap.msg;
	if (sess_json(s)) {
		snprintf(cap.msg, sizeof cap.msg, "%s", s->cur.jerror);
		s->cur.jerror[0] = '\0';
	} else if (s->loc_file) {
		snprintf(loc, sizeof loc, "%s:%lu: ", s->loc_file, s->loc_line);
		if (!strncmp(msg, loc, strlen(loc)))
			msg += strlen(loc);
	}
	json_str(s, "expression", shown);
	json_str(s, "failure", msg);
	if (sess_text(s))
		sess_printf(s, "ok: '%s' failed: %s\n", shown, msg);
	return 0;
}

static int run_expect(struct session *s, int argc, char **argv)
{
	char text[1024], shown[1024];
	char *tok[QUERY_MAX_TOKENS];
	char err[300];
	struct qval a, b;
	struct qcur q = { .s = s };
	bool ok = false;
	int rc = -1;

	if (argc < 2)
		return sess_error(s, "expect: what? (usage: %s)", cmd_expect.usage);
	/* "fail" is not a query: the rest of the line is a command */
	char *r = argv[1];
	if (!strncmp(r, "fail", 4) && (r[4] == ' ' || r[4] == '\t' || !r[4]))
		return expect_fail(s, r + 4);
	snprintf(text, sizeof text, "%s", r);
	int n = query_tokenize(text, tok, QUERY_MAX_TOKENS, err, sizeof err);
	if (n < 0)
		return sess_error(s, "expect: %s", err);
	size_t off = 0;
	shown[0] = '\0';
	for (int i = 0; i < n && off < sizeof shown; i++)
		off += (size_t)snprintf(shown + off, sizeof shown - off, "%s%s",
					i ? " " : "", tok[i]);
	q.tok = tok;
	q.n = n;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	if (query_operand(&q, &a, NULL))
		goto out_error;
	const char *op = q.pos < q.n ? q.tok[q.pos++] : NULL;
	if (!op || !query_is_op(op)) {
		if (op)
			snprintf(q.err, sizeof q.err, "expected an operator (== != < "
				 "<= > >=) after the query, found '%s'", op);
		else
			snprintf(q.err, sizeof q.err, "missing operator and value "
				 "(== != < <= > >=)");
		goto out_error;
	}
	if (query_operand(&q, &b, &a))
		goto out_error;
	if (q.pos < q.n) {
		snprintf(q.err, sizeof q.err, "unexpected '%s' after the value",
			 q.tok[q.pos]);
		goto out_error;
	}
	if (qval_compare(&a, op, &b, &ok, q.err, sizeof q.err))
		goto out_error;
	char got[512];
	qval_format(&a, got, sizeof got);
	json_str(s, "expression", shown);
	json_str(s, "value", got);
	if (ok) {
		if (sess_text(s))
			sess_printf(s, "ok: %s\n", shown);
		rc = 0;
	} else {
		rc = sess_error(s, "expected %s, got %s", shown, got);
	}
	qval_free(&a);
	qval_free(&b);
	return rc;

out_error:
	qval_free(&a);
	qval_free(&b);
	return sess_error(s, "expect: %s", q.err);
}

static void complete_expect(struct session *s, int argi, char **argv,
			    struct completion *c)
{
	if (argi != 1)
		return;
	compl_add(c, "fail");
	compl_add(c, "last");
	for (size_t i = 0; i < query_count; i++)
		compl_add(c, query_table[i].name);
	complete_values(s, c);
}

const struct command cmd_expect = {
	.name = "expect",
	.usage = "expect QUERY OP VALUE | expect fail COMMAND...",
	.summary = "check a value the engine reports (checked scripts, labs)",
	.example = "expect buddyinfo Normal 10 == 3",
	.detail = "OP is == != < <= > >=.  VALUE is a number (decimal or 0x "
		  "hex), a list of numbers (a whole buddyinfo line), a word "
		  "(a zone, a page state), or another query; a query may end "
		  "in + N, - N or ^ N.  Queries: "
		  "buddyinfo ZONE [ORDER]; free_pages ZONE; "
		  "free_list ZONE ORDER [N] (PFNs, head first); "
		  "zoneinfo ZONE free|min|low|high|spanned|present|start_pfn|"
		  "active|inactive|scanned|protection [I]|memmap|pcp; "
		  "pcp ZONE hot|cold count|high|batch|head|list [CPU]; "
		  "zonelist GFP [N]; meminfo KEY (kB); vmstat KEY; "
		  "sysctl NAME [I]; cache NAME FIELD (the slabinfo columns and "
		  "objsize, colour, colour_off, colour_next, gfporder, limit, "
		  "batchcount ...); array CACHE avail|limit|batchcount|touched "
		  "[CPU]; slob arena_pages|free_blocks|free_units|bigblocks; "
		  "page PFN state|zone|count|mapcount|order|block|flags|private|"
		  "lru|referenced|dirty; "
		  "pagetable ADDR present|phys|pfn|levels|pgd|pud|pmd|pte; "
		  "pkmap PFN addr|count|slot, pkmap used; vmlist count|used; "
		  "whatis ADDR kind|pfn|zone|cache|index|offset|allocated; "
		  "task PID rss|anon_rss|file_rss|min_flt|maj_flt|total_vm|"
		  "hiwater_rss|nr_ptes|map_count|ppid|uid|alive|oom_score|"
		  "oom_adj|nice; "
		  "pte PID ADDR present|writable|young|dirty|pfn|entry|kind|"
		  "mapcount|count (ADDR may be NAME+OFFSET); "
		  "rmap PFN kind|mapcount|count|users|index|anon_vma; "
		  "oom victim|points|killed|candidates|invocations|kills; "
		  "writeback background_thresh|dirty_thresh|nr_dirty|"
		  "nr_writeback|ratelimit_pages|dirty_exceeded|throttled; "
		  "reclaim kswapd_runs|direct_runs|congestion_waits; "
		  "disk rate|pages_read|pages_written|read_requests|waits|"
		  "wait_us|read_backlog_us|write_backlog_us|reads_in_flight; "
		  "file NAME nrpages|nrdirty|size|nr_mmaps|ino; "
		  "and a value: $N, NAME or last with pfn|order|addr|phys|freed|"
		  "zone|pages|size|guard|cache|index.  A failed expect is an "
		  "error: \"FILE:LINE: expected X, got Y\", exit status 1, and "
		  "--bail stops there.  `expect fail COMMAND` passes when the "
		  "command fails.  See kmemlab-labs(7).",
	.family = FAM_SESSION,
	.min_args = 0, .max_args = -1,
	.flags = CMD_RAW | CMD_MUTATES,
	.run = run_expect,
	.complete = complete_expect,
};
