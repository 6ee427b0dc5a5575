/*
 * repl.c - the interactive loop on a terminal, through GNU readline's
 * callback interface so that Ctrl-C is an ordinary event:
 *
 *   prompt  "kmemlab(tiny cpu0)> "   machine and current CPU
 *   Tab     session_complete()       commands, GFP flags, zones, $values,
 *                                    /proc paths, file names for source
 *   Up      history, kept in $XDG_STATE_HOME/kmemlab/history (default
 *           ~/.local/state/kmemlab/history), 1000 entries
 *   Ctrl-C  abandons the line being typed (or stops a running `source`)
 *   Ctrl-D  on an empty line quits
 *
 * readline's completion and line callbacks take no context pointer, and a
 * signal handler can only set a flag: those are the file's only globals.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cli.h"

#define HISTORY_ENTRIES 1000

static volatile sig_atomic_t got_sigint;        /* set by on_sigint */
static struct session *rl_session;              /* for the callbacks */
static char *rl_result;                         /* the line read */
static bool rl_have_line;                       /* line_handler ran */
static struct completion rl_compl;              /* current candidates */
static size_t rl_compl_next;                    /* generator position */

static void on_sigint(int sig)
{
	(void)sig;
	got_sigint = 1;
}

static void line_handler(char *line)
{
	rl_result = line;
	rl_have_line = true;
	/* stop reading characters until the line has been executed */
	rl_callback_handler_remove();
}

static char *match_generator(const char *text, int state)
{
	(void)text;
	if (!state)
		rl_compl_next = 0;
	if (rl_compl_next >= rl_compl.n)
		return NULL;
	const char *m = rl_compl.items[rl_compl_next++];
	char *copy = malloc(strlen(m) + 1);
	if (copy)
		strcpy(copy, m);
	return copy;
}

static char **attempt_completion(const char *text, int start, int end)
{
	(void)start;
	compl_free(&rl_compl);
	memset(&rl_compl, 0, sizeof rl_compl);
	session_complete(rl_session, rl_line_buffer, (size_t)end, &rl_compl);
	if (rl_compl.files && !rl_compl.n) {
		rl_attempted_completion_over = 0;       /* readline's file names */
		return NULL;
	}
	rl_attempted_completion_over = 1;
	if (!rl_compl.n)
		return NULL;
	if (rl_compl.n == 1) {
		size_t len = strlen(rl_compl.items[0]);
		if (len && rl_compl.items[0][len - 1] == '/')
			rl_completion_suppress_append = 1;
	}
	return rl_completion_matches(text, match_generator);
}

/* $XDG_STATE_HOME/kmemlab/history, creating the directories; the REPL
 * and the dashboard's command line share it.  malloc'd, or NULL. */
char *repl_history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	char dir[4096];

	if (state && state[0] == '/')
		snprintf(dir, sizeof dir, "%s/kmemlab", state);
	else if (home && home[0])
		snprintf(dir, sizeof dir, "%s/.local/state/kmemlab", home);
	else
		return NULL;
	/* mkdir -p */
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(dir, 0700);
		*p = '/';
	}
	mkdir(dir, 0700);
	size_t n = strlen(dir) + sizeof "/history";
	char *path = malloc(n);
	if (path)
		snprintf(path, n, "%s/history", dir);
	return path;
}

/* Load the history file and make sure we can append to it. */
static char *history_open(struct session *s)
{
	char *path = repl_history_path();

	stifle_history(HISTORY_ENTRIES);
	if (!path) {
		sess_warn(s, "no HOME or XDG_STATE_HOME: history is not saved");
		return NULL;
	}
	read_history(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd < 0) {
		sess_warn(s, "cannot write history to %s: %s", path,
			  strerror(errno));
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

/*
 * Read one line.  Returns it (malloc'd), or NULL at end of input.
 * Ctrl-C throws the partial line away and prompts again.
 */
static char *read_line(const char *prompt)
{
	rl_have_line = false;
	rl_result = NULL;
	rl_callback_handler_install(prompt, line_handler);
	while (!rl_have_line) {
		fd_set fds;
		FD_ZERO(&fds);
		FD_SET(fileno(rl_instream), &fds);
		int r = select(fileno(rl_instream) + 1, &fds, NULL, NULL, NULL);
		if (r < 0 && errno == EINTR) {
			if (got_sigint) {
				/* leave the abandoned line on screen, marked ^C */
				got_sigint = 0;
				fputs("^C\n", rl_outstream);
				fflush(rl_outstream);
				rl_replace_line("", 0);
				rl_free_line_state();
				rl_callback_sigcleanup();
				rl_callback_handler_remove();
				rl_callback_handler_install(prompt, line_handler);
			}
			continue;
		}
		if (r < 0)
			return NULL;
		rl_callback_read_char();
	}
	return rl_result;
}

int session_run_repl(struct session *s)
{
	struct sigaction sa, old_sa;
	char prompt[192];
	char *hist = history_open(s);

	rl_session = s;
	rl_readline_name = "kmemlab";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 1;
	rl_attempted_completion_function = attempt_completion;
	rl_completer_word_break_characters = (char *)" \t(,=>";
	rl_basic_word_break_characters = (char *)" \t(,=>";
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;                /* no SA_RESTART: select must wake */
	sigaction(SIGINT, &sa, &old_sa);
	s->interrupt = &got_sigint;

	while (!s->stopped) {
		session_prompt(s, prompt, sizeof prompt);
		char *line = read_line(prompt);
		if (!line) {
			fputs("\n", rl_outstream);
			break;
		}
		const char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p) {
			HIST_ENTRY *last = history_length ?
				history_get(history_base + history_length - 1) : NULL;
			if (!last || strcmp(last->line, line)) {
				add_history(line);
				if (hist && append_history(1, hist)) {
					sess_warn(s, "cannot write history to %s", hist);
					free(hist);
					hist = NULL;
				}
			}
		}
		got_sigint = 0;
		session_execute_line(s, line);
		fflush(stdout);
		if (got_sigint) {
			got_sigint = 0;
			sess_warn(s, "interrupted");
		}
		free(line);
	}
	if (hist) {
		history_truncate_file(hist, HISTORY_ENTRIES);
		free(hist);
	}
	compl_free(&rl_compl);
	s->interrupt = NULL;
	sigaction(SIGINT, &old_sa, NULL);
	rl_session = NULL;
	return 0;
}
