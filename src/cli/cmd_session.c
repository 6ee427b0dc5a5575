/*
 * cmd_session.c - commands about the session rather than the machine:
 * print (values and numbers), source, history, quit and exit.  help lives
 * beside the command table in command.c; echo with /proc in cmd_proc.c.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <string.h>

#include "cli.h"

/* print $N | name | NUMBER | SIZE: a value as its allocation showed it,
 * a number in decimal and hex. */
static int run_print(struct session *s, int argc, char **argv)
{
	size_t idx;
	uint64_t v;
	int r = value_ref(s, argv[1], &idx);

	if (r < 0)
		return -1;
	if (r == 0) {
		print_value(s, idx);
		return 0;
	}
	if (parse_size(argv[1], &v))
		return sess_error(s, "print: '%s' is not a value ($N or a name), a "
				  "number or a size", argv[1]);
	json_u64(s, "value", v);
	if (sess_text(s))
		sess_printf(s, "%llu (0x%llx)\n", (unsigned long long)v,
			    (unsigned long long)v);
	return 0;
}

static int run_source(struct session *s, int argc, char **argv)
{
	return session_source(s, argv[1]);
}

static int run_history(struct session *s, int argc, char **argv)
{
	uint64_t want = HISTORY_MAX;
	unsigned long total = s->hist_total;

	if (argc > 1 && arg_u64(s, argv[1], "count", &want))
		return -1;
	unsigned long kept = total < HISTORY_MAX ? total : HISTORY_MAX;
	unsigned long n = want < kept ? (unsigned long)want : kept;
	json_begin_array(s, "lines");
	for (unsigned long i = total - n; i < total; i++) {
		const char *line = s->hist[i % HISTORY_MAX];
		json_str(s, NULL, line);
		if (sess_text(s))
			sess_printf(s, "%5lu  %s\n", i + 1, line);
	}
	json_end_array(s);
	return 0;
}

static int run_quit(struct session *s, int argc, char **argv)
{
	s->stopped = true;
	return 0;
}

static void complete_print(struct session *s, int argi, char **argv,
			   struct completion *c)
{
	if (argi == 1)
		complete_values(s, c);
}

static void complete_source(struct session *s, int argi, char **argv,
			    struct completion *c)
{
	if (argi == 1)
		c->files = true;
}

const struct command cmd_print = {
	.name = "print",
	.usage = "print X",
	.summary = "print a value, a number or a size",
	.example = "print $1",
	.detail = "A bare $N or name on a line of its own prints it too.  "
		  "Numbers are decimal or 0x hex; sizes take k, M or G.",
	.family = FAM_SESSION,
	.min_args = 1, .max_args = 1,
	.run = run_print,
	.complete = complete_print,
};

const struct command cmd_source = {
	.name = "source",
	.usage = "source FILE",
	.summary = "run the commands in FILE",
	.example = "source setup.kmem",
	.detail = "Errors print FILE:LINE: and the file goes on (unless --bail). "
		  "Files may source others, 16 deep.",
	.family = FAM_SESSION,
	.min_args = 1, .max_args = 1,
	.flags = CMD_MUTATES,
	.run = run_source,
	.complete = complete_source,
};

const struct command cmd_history = {
	.name = "history",
	.usage = "history [N]",
	.summary = "the last N command lines (up to 1000)",
	.example = "history 10",
	.family = FAM_SESSION,
	.min_args = 0, .max_args = 1,
	.run = run_history,
};

const struct command cmd_quit = {
	.name = "quit",
	.usage = "quit",
	.summary = "leave kmemlab (Ctrl-D does the same)",
	.example = "quit",
	.family = FAM_SESSION,
	.min_args = 0, .max_args = 0,
	.run = run_quit,
};

/* exit: leave kmemlab; exit PID: the task's exit() (cmd_task.c). */
static int run_exit(struct session *s, int argc, char **argv)
{
	if (argc == 2)
		return task_exit(s, argv[1]);
	return run_quit(s, argc, argv);
}

static void complete_exit(struct session *s, int argi, char **argv,
			  struct completion *c)
{
	if (argi == 1)
		complete_pids(s, c);
}

const struct command cmd_exit = {
	.name = "exit",
	.usage = "exit [PID]",
	.summary = "leave kmemlab, as quit does; exit PID ends a task",
	.example = "exit 2",
	.detail = "Without an argument, leaves kmemlab.  With a PID, that task "
		  "calls exit(): its vmas are unmapped, its pages, page tables "
		  "and mm freed, and its children reparented to init.  init "
		  "itself cannot exit (the kernel would panic).",
	.family = FAM_SESSION,
	.min_args = 0, .max_args = 1,
	.flags = CMD_MUTATES,
	.run = run_exit,
	.complete = complete_exit,
};
