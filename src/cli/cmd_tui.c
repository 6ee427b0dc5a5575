/*
 * cmd_tui.c - the dashboard from the REPL: `tui` opens it on this
 * session, `play FILE [DELAY_MS]` opens it playing a script.  Inside the
 * dashboard both words are handled by its own command line (src/tui), so
 * these handlers run only from the REPL, a script or -e.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <unistd.h>

#include "cli.h"

static int open_dashboard(struct session *s, const char *what,
			  const struct tui_options *o)
{
	if (s->flags & SESS_SANDBOX)
		return sess_error(s, "%s: the dashboard is not available here",
				  what);
	if (tui_running())
		return sess_error(s, "%s: the dashboard is already running", what);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return sess_error(s, "%s: the dashboard needs a terminal", what);
	fflush(stdout);
	if (tui_run(s, o))
		return sess_error(s, "%s: the terminal cannot be used", what);
	return 0;
}

static int run_tui(struct session *s, int argc, char **argv)
{
	return open_dashboard(s, "tui", &s->tui);
}

static int run_play(struct session *s, int argc, char **argv)
{
	struct tui_options o = s->tui;
	unsigned delay = o.play_delay_ms;

	if (argc > 2 && arg_uint(s, argv[2], "delay", 60000, &delay))
		return -1;
	if (access(argv[1], R_OK))
		return sess_error(s, "play: %s: cannot read", argv[1]);
	o.play_file = argv[1];
	o.play_delay_ms = delay;
	return open_dashboard(s, "play", &o);
}

static void complete_play(struct session *s, int argi, char **argv,
			  struct completion *c)
{
	if (argi == 1)
		c->files = true;
}

const struct command cmd_tui = {
	.name = "tui",
	.usage = "tui",
	.summary = "open the live dashboard on this session",
	.example = "tui",
	.detail = "The same machine, values and history; 'q' or ':quit' comes "
		  "back to the prompt.  See kmemlab-tui(7).",
	.family = FAM_SESSION,
	.min_args = 0, .max_args = 0,
	.flags = CMD_MUTATES,
	.run = run_tui,
};

const struct command cmd_play = {
	.name = "play",
	.usage = "play FILE [DELAY_MS]",
	.summary = "play a script in the dashboard, a command at a time",
	.example = "play demo.kmem 100",
	.detail = "Opens the dashboard and runs FILE's commands with DELAY_MS "
		  "(default 250, 0 = as fast as frames allow) between them: "
		  "Space pauses, n steps, + and - change the speed.",
	.family = FAM_SESSION,
	.min_args = 1, .max_args = 2,
	.flags = CMD_MUTATES,
	.run = run_play,
	.complete = complete_play,
};
