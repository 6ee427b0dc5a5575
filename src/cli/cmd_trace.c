/*
 * cmd_trace.c - showing what the engine did: the trace hook that turns
 * kmem_trace_event callbacks into an indented call tree under the command,
 * the console hook for printk, and the `trace` and `explain` commands.
 *
 *   > explain alloc_pages GFP_KERNEL 3
 *     alloc_pages(node 0, GFP_KERNEL, order 3)
 *       __alloc_pages(gfp GFP_KERNEL, order 3, zonelist Normal..)
 *         get_page_from_freelist(order 3, alloc_flags WMARK_LOW|CPUSET)
 *           - zone_watermark_ok(Normal, order 3): free 3890 > mark 21 ...
 *           buffered_rmqueue(Normal, order 3)
 *             - __rmqueue(Normal, order 3): took pfn 0x1c00 ...
 *             = pfn 0x1c00
 *           = pfn 0x1c00
 *     ...
 *   $1 = pfn 0x1c00 (...) Normal order 3
 *
 * ENTER prints "func(args)" at its depth, a NOTE "- text" one level in,
 * an EXIT "= result" one level in, closing the block.  Kernel messages
 * print as they happen, each line prefixed "[kernel] ".
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <string.h>

#include "cli.h"

#define TRACE_BASE_INDENT 2     /* trace lines sit under the command */

static void trace_hook(void *ctx, const struct kmem_trace_event *ev)
{
	struct session *s = ctx;
	static const char *const kinds[] = { "enter", "note", "exit" };

	if (s->flags & SESS_QUIET)
		return;
	if (s->flags & SESS_JSON) {
		struct kbuf *b = &s->cur.jtrace;
		if (b->len)
			kbuf_append(b, ",", 1);
		kbuf_printf(b, "{\"kind\":\"%s\",\"depth\":%u,\"func\":",
			    kinds[ev->kind], ev->depth);
		json_escape(b, ev->func ? ev->func : "");
		kbuf_append(b, ",\"text\":", 8);
		json_escape(b, ev->text ? ev->text : "");
		kbuf_append(b, "}", 1);
		return;
	}
	int indent = TRACE_BASE_INDENT + 2 * (int)ev->depth;
	switch (ev->kind) {
	case KMEM_TRACE_ENTER:
		sess_printf(s, "%*s%s(%s)\n", indent, "", ev->func, ev->text);
		break;
	case KMEM_TRACE_NOTE:
		sess_printf(s, "%*s- %s\n", indent, "", ev->text);
		break;
	case KMEM_TRACE_EXIT:
		sess_printf(s, "%*s= %s\n", indent + 2, "", ev->text);
		break;
	}
}

static void console_hook(void *ctx, int level, const char *line)
{
	struct session *s = ctx;

	if (s->flags & SESS_QUIET)
		return;
	if (s->flags & SESS_JSON) {
		struct kbuf *b = &s->cur.jconsole;
		if (b->len)
			kbuf_append(b, ",", 1);
		json_escape(b, line);
		return;
	}
	sess_printf(s, "[kernel] %s\n", line);
}

void session_install_hooks(struct session *s)
{
	kmem_set_console(s->m, console_hook, s);
	kmem_set_trace(s->m, s->trace ? trace_hook : NULL, s);
}

static int run_trace(struct session *s, int argc, char **argv)
{
	if (argc > 1) {
		if (!strcmp(argv[1], "on"))
			s->trace = true;
		else if (!strcmp(argv[1], "off"))
			s->trace = false;
		else
			return sess_error(s, "trace: expected on or off, not '%s'",
					  argv[1]);
		session_install_hooks(s);
	}
	json_bool(s, "trace", s->trace);
	if (sess_text(s))
		sess_printf(s, "trace is %s\n", s->trace ? "on" : "off");
	return 0;
}

static int run_explain(struct session *s, int argc, char **argv)
{
	struct cmdline cl;
	char err[512];

	if (parse_head(argv[1], &cl, err, sizeof err))
		return sess_error(s, "explain: %s", err);
	if (!cl.word)
		return sess_error(s, "explain: which command? (usage: %s)",
				  cmd_explain.usage);
	const struct command *c = command_lookup(command_table, command_count,
						 cl.word, "command", err,
						 sizeof err);
	if (c && s->cur.assign && !(c->flags & CMD_VALUE))
		return sess_error(s, "%s produces no value to name '%s'", c->name,
				  s->cur.assign);
	bool was = s->trace;
	s->trace = true;
	session_install_hooks(s);
	int rc = session_dispatch(s, &cl);
	s->trace = was;
	session_install_hooks(s);
	s->cur.word = cmd_explain.name;
	return rc;
}

static void complete_trace(struct session *s, int argi, char **argv,
			   struct completion *c)
{
	if (argi == 1) {
		compl_add(c, "on");
		compl_add(c, "off");
	}
}

static void complete_explain(struct session *s, int argi, char **argv,
			     struct completion *c)
{
	char err[256];

	if (argi == 1) {
		complete_command_arg(s, argi, argv, c);
		return;
	}
	const struct command *inner = command_lookup(command_table,
		command_count, argv[1], "command", err, sizeof err);
	if (inner && inner->complete && inner != &cmd_explain)
		inner->complete(s, argi - 1, argv + 1, c);
}

const struct command cmd_trace = {
	.name = "trace",
	.usage = "trace [on|off]",
	.summary = "print the engine's call tree under commands",
	.example = "trace on",
	.detail = "Each modelled kernel function prints as func(args) at its "
		  "call depth, its decisions as '- ...' lines and its result as "
		  "'= ...': which zones were tried and their watermarks, per-CPU "
		  "hits and refills, which list a block came from, each split and "
		  "merge.",
	.family = FAM_EXPLAIN,
	.min_args = 0, .max_args = 1,
	.run = run_trace,
	.complete = complete_trace,
};

const struct command cmd_explain = {
	.name = "explain",
	.usage = "explain COMMAND [ARGS...]",
	.summary = "run one command with the trace on",
	.example = "explain alloc_pages GFP_KERNEL 2",
	.detail = "The rest of the line is run as a command of its own, so "
		  "'explain buf = alloc_pages 2' names the result and the C-call "
		  "form works too.",
	.family = FAM_EXPLAIN,
	.min_args = 1, .max_args = 1,
	.flags = CMD_RAW | CMD_VALUE | CMD_MUTATES,
	.run = run_explain,
	.complete = complete_explain,
};
