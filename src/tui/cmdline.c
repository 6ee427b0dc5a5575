/*
 * cmdline.c - the dashboard's command line: GNU readline through its
 * callback interface, with readline's terminal handling replaced so
 * curses keeps the screen.
 *
 *   key from curses --> bytes (arrows as ANSI sequences) --> queue
 *     --> rl_callback_read_char() --> rl_getc_function takes from queue
 *   readline redisplay --> copy rl_line_buffer/rl_point into struct tui
 *     (the bottom row is painted with the next frame, not here)
 *   accept-line --> line handler stores the line; tui.c executes it
 *
 * History is readline's own list, so it is shared with the REPL when the
 * dashboard is started with `tui`, and appended to the REPL's history
 * file ($XDG_STATE_HOME/kmemlab/history).  Completion asks
 * session_complete(), exactly as the REPL does.
 *
 * readline's callbacks take no context pointer: the running dashboard,
 * the byte queue and the readline settings saved for the REPL are the
 * file's globals.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "tui_internal.h"
#include "cli.h"

#define HISTORY_ENTRIES 1000    /* as the REPL keeps */
#define QUEUE_MAX 64            /* bytes of a key or two */

static struct tui *cl_tui;              /* the dashboard being driven */
static unsigned char queue[QUEUE_MAX];  /* bytes readline will read */
static size_t q_head, q_len;            /* queue position, bytes held */
static struct completion cl_compl;      /* current candidates */
static size_t cl_compl_next;            /* generator position */
static char *hist_path;                 /* history file, or NULL */
static bool saw_eof;                    /* Ctrl-D on an empty line */

/* readline settings the REPL relies on, restored on the way out */
static struct {
	rl_getc_func_t *getc;
	rl_hook_func_t *input_available;
	rl_voidfunc_t *redisplay;
	rl_vintfunc_t *prep_term;
	rl_voidfunc_t *deprep_term;
	rl_completion_func_t *attempted_completion;
	rl_compdisp_func_t *display_matches;
	int catch_signals, catch_sigwinch, change_environment;
	FILE *outstream;
	bool saved;
} saved;
static FILE *null_out;                  /* readline's stray output */

static int q_getc(FILE *f)
{
	(void)f;
	if (!q_len)
		return EOF;     /* not reached: whole keys are queued */
	int c = queue[q_head];
	q_head = (q_head + 1) % QUEUE_MAX;
	q_len--;
	return c;
}

static int q_available(void)
{
	return q_len > 0;
}

static void q_push(const char *bytes, size_t n)
{
	for (size_t i = 0; i < n && q_len < QUEUE_MAX; i++) {
		queue[(q_head + q_len) % QUEUE_MAX] = (unsigned char)bytes[i];
		q_len++;
	}
}

static void no_prep(int meta)
{
	(void)meta;
}

static void no_deprep(void)
{
}

/* "Redisplay": remember the line; the next frame paints it. */
static void copy_line(void)
{
	struct tui *t = cl_tui;

	if (!t)
		return;
	size_t len = rl_line_buffer ? strlen(rl_line_buffer) : 0;
	if (t->cmd_cap < len + 1) {
		t->cmd_cap = len + 64;
		t->cmd_text = realloc(t->cmd_text, t->cmd_cap);
		if (!t->cmd_text)
			abort();
	}
	memcpy(t->cmd_text, rl_line_buffer ? rl_line_buffer : "", len + 1);
	t->cmd_point = rl_point < 0 ? 0 : rl_point > (int)len ? (int)len : rl_point;
}

static void on_line(char *line)
{
	struct tui *t = cl_tui;

	if (!line) {
		saw_eof = true;
		return;
	}
	free(t->pending);
	t->pending = line;
}

static char *match_generator(const char *text, int state)
{
	(void)text;
	if (!state)
		cl_compl_next = 0;
	if (cl_compl_next >= cl_compl.n)
		return NULL;
	return strdup(cl_compl.items[cl_compl_next++]);
}

static char **attempt_completion(const char *text, int start, int end)
{
	(void)start;
	compl_free(&cl_compl);
	memset(&cl_compl, 0, sizeof cl_compl);
	session_complete(cl_tui->s, rl_line_buffer, (size_t)end, &cl_compl);
	if (cl_compl.files && !cl_compl.n) {
		rl_attempted_completion_over = 0;       /* host file names */
		return NULL;
	}
	rl_attempted_completion_over = 1;
	if (!cl_compl.n)
		return NULL;
	if (cl_compl.n == 1) {
		size_t len = strlen(cl_compl.items[0]);
		if (len && cl_compl.items[0][len - 1] == '/')
			rl_completion_suppress_append = 1;
	}
	return rl_completion_matches(text, match_generator);
}

/* A second Tab lists the candidates: into the output pane. */
static void show_matches(char **matches, int num, int max_length)
{
	struct tui *t = cl_tui;
	char line[256];
	size_t len = 0;

	(void)max_length;
	for (int i = 1; i <= num; i++) {
		size_t n = strlen(matches[i]);
		if (len && len + n + 2 > 100) {
			ring_add(&t->out, line, len, LK_NOTE);
			len = 0;
		}
		len += (size_t)snprintf(line + len, sizeof line - len, "%s%s",
					len ? "  " : "", matches[i]);
		if (len >= sizeof line)
			len = sizeof line - 1;
	}
	if (len)
		ring_add(&t->out, line, len, LK_NOTE);
	t->pane[W_OUTPUT].scroll = 0;
}

/* ------------------------------------------------------------------ */
/* History file: the REPL's                                            */
/* ------------------------------------------------------------------ */

/* The REPL's history file (repl_history_path), if we can append to it. */
static char *history_file(void)
{
	char *path = repl_history_path();

	if (!path)
		return NULL;
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd < 0) {
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

void cmdline_history_add(struct tui *t, const char *line)
{
	(void)t;
	HIST_ENTRY *last = history_length ?
		history_get(history_base + history_length - 1) : NULL;

	if (last && !strcmp(last->line, line))
		return;
	add_history(line);
	using_history();        /* Up starts from the newest line again */
	if (hist_path && append_history(1, hist_path)) {
		free(hist_path);
		hist_path = NULL;
	}
}

/* ------------------------------------------------------------------ */
/* Entering and leaving                                                */
/* ------------------------------------------------------------------ */

void cmdline_global_init(struct tui *t)
{
	cl_tui = t;
	q_head = q_len = 0;
	saw_eof = false;
	saved.getc = rl_getc_function;
	saved.input_available = rl_input_available_hook;
	saved.redisplay = rl_redisplay_function;
	saved.prep_term = rl_prep_term_function;
	saved.deprep_term = rl_deprep_term_function;
	saved.attempted_completion = rl_attempted_completion_function;
	saved.display_matches = rl_completion_display_matches_hook;
	saved.catch_signals = rl_catch_signals;
	saved.catch_sigwinch = rl_catch_sigwinch;
	saved.change_environment = rl_change_environment;
	saved.outstream = rl_outstream;
	saved.saved = true;

	null_out = fopen("/dev/null", "w");
	rl_outstream = null_out ? null_out : stderr;
	rl_readline_name = "kmemlab";
	rl_getc_function = q_getc;
	rl_input_available_hook = q_available;
	rl_redisplay_function = copy_line;
	rl_prep_term_function = no_prep;
	rl_deprep_term_function = no_deprep;
	rl_attempted_completion_function = attempt_completion;
	rl_completion_display_matches_hook = show_matches;
	rl_completer_word_break_characters = (char *)" \t(,=>";
	rl_basic_word_break_characters = (char *)" \t(,=>";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;

	if (!history_is_stifled())
		stifle_history(HISTORY_ENTRIES);
	hist_path = history_file();
	if (hist_path && history_length == 0)
		read_history(hist_path);        /* started as kmemlab --tui */
}

void cmdline_global_fini(struct tui *t)
{
	cmdline_close(t);
	if (saved.saved) {
		rl_getc_function = saved.getc;
		rl_input_available_hook = saved.input_available;
		rl_redisplay_function = saved.redisplay;
		rl_prep_term_function = saved.prep_term;
		rl_deprep_term_function = saved.deprep_term;
		rl_attempted_completion_function = saved.attempted_completion;
		rl_completion_display_matches_hook = saved.display_matches;
		rl_catch_signals = saved.catch_signals;
		rl_catch_sigwinch = saved.catch_sigwinch;
		rl_change_environment = saved.change_environment;
		/* NULL until readline first initialises: it would have
		 * chosen stdout, and it only chooses once */
		rl_outstream = saved.outstream ? saved.outstream : stdout;
		saved.saved = false;
	}
	if (null_out)
		fclose(null_out);
	null_out = NULL;
	free(hist_path);
	hist_path = NULL;
	compl_free(&cl_compl);
	cl_tui = NULL;
}

void cmdline_open(struct tui *t)
{
	if (!t->cmd_open) {
		rl_callback_handler_install(t->prompt, on_line);
		t->cmd_open = true;
	}
	t->mode = MODE_COMMAND;
	copy_line();
}

void cmdline_close(struct tui *t)
{
	if (t->cmd_open) {
		rl_callback_handler_remove();
		t->cmd_open = false;
	}
	if (t->mode == MODE_COMMAND)
		t->mode = MODE_NORMAL;
	if (t->cmd_text)
		t->cmd_text[0] = '\0';
	t->cmd_point = 0;
}

void cmdline_cancel(struct tui *t)
{
	if (!t->cmd_open)
		return;
	rl_replace_line("", 0);
	rl_point = 0;
	copy_line();
}

/* ANSI sequences readline binds by default in its emacs keymap. */
static const char *key_sequence(int key)
{
	switch (key) {
	case TK_UP: return "\033[A";
	case TK_DOWN: return "\033[B";
	case TK_RIGHT: return "\033[C";
	case TK_LEFT: return "\033[D";
	case TK_HOME: return "\033[H";
	case TK_END: return "\033[F";
	case TK_DC: return "\033[3~";
	case TK_BACKSPACE: return "\177";
	case TK_ENTER: return "\r";
	default: return NULL;
	}
}

unsigned cmdline_key(struct tui *t, int key)
{
	char bytes[8];
	size_t n = 0;

	if (!t->cmd_open)
		cmdline_open(t);
	if (key >= TK_BASE) {
		const char *seq = key_sequence(key);
		if (!seq)
			return 0;
		n = strlen(seq);
		memcpy(bytes, seq, n);
	} else {
		mbstate_t st;
		memset(&st, 0, sizeof st);
		size_t r = wcrtomb(bytes, (wchar_t)key, &st);
		if (r == (size_t)-1) {
			if (key > 0xff)
				return 0;
			bytes[0] = (char)key;   /* a byte in the C locale */
			r = 1;
		}
		n = r;
	}
	q_push(bytes, n);
	while (q_len && t->cmd_open && !saw_eof)
		rl_callback_read_char();
	q_head = q_len = 0;
	if (saw_eof) {
		saw_eof = false;
		cmdline_close(t);       /* Ctrl-D on an empty line */
	}
	return TUI_REDRAW;
}
