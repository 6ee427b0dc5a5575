/*
 * play.c - `play FILE [DELAY_MS]`: a script run one command at a time
 * with the dashboard redrawing between them.
 *
 *   delay > 0   one command, a frame, wait DELAY_MS, the next ...
 *   delay 0     as many commands as fit between two frames (~33 ms),
 *               untraced and quiet (errors still show), then one traced
 *               command so the Trace, Free areas, map marks and Output
 *               show what the frame's last command did; the script runs
 *               at nearly full speed
 *
 * Space pauses and resumes, `n` runs one command (pausing), `+`/`-`
 * change the delay (keys.c).  Errors carry FILE:LINE as in `source`.
 *
 * A file is read with `source`'s line reader (session.h): its lines are
 * counted first (the title bar shows LINE/LINES), then read again as they
 * run, cut in place and run there.  A million-line script thus costs no
 * more memory than a short one, and nothing is copied per line.  A pipe
 * cannot be read twice: it is read whole at the start.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui_internal.h"
#include "cli.h"

#define CHECK_CLOCK_EVERY 64    /* commands between clock reads */
/* Lines in a whole buffer: a last line without its newline counts. */
static unsigned long count_lines(const char *buf, size_t len)
{
	unsigned long n = 0;
	const char *q = buf, *end = buf + len;

	while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
		n++;
		q++;
	}
	return n + (len && buf[len - 1] != '\n');
}

/* The reader's next line, reading on through interrupted reads. */
static char *read_line(struct line_reader *r)
{
	char *line;

	do {
		errno = 0;
		line = line_reader_next(r);
	} while (!line && errno == EINTR);
	return line;
}

/* Count p's lines.  A regular file is read through once and rewound; a
 * pipe cannot be read twice, so it is read whole now.  0, or -1 with
 * errno. */
static int play_load(struct play *p)
{
	struct stat st;
	int fd = p->rd.fd;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		while (read_line(&p->rd))
			p->lines++;
		errno = p->rd.error;
		if (errno || lseek(fd, 0, SEEK_SET) < 0)
			return -1;
		line_reader_free(&p->rd);
		line_reader_init(&p->rd, fd);
		return 0;
	}
	line_reader_slurp(&p->rd);
	errno = p->rd.error;
	p->lines = count_lines(p->rd.buf, p->rd.len);
	return errno ? -1 : 0;
}

/* Close and free what a play holds. */
void play_free(struct play *p)
{
	if (p->rd.fd >= 0)
		close(p->rd.fd);
	line_reader_free(&p->rd);
	free(p->path);
	memset(p, 0, sizeof *p);
	p->rd.fd = -1;
}

int play_start(struct tui *t, const char *path, unsigned delay_ms)
{
	struct play *p = &t->play;
	int fd;

	if (p->active)
		play_stop(t, "replaced");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		tui_note(t, "play: %s: %s", path, strerror(errno));
		return -1;
	}
	play_free(p);
	line_reader_init(&p->rd, fd);
	p->path = strdup(path);
	if (!p->path)
		abort();
	if (play_load(p)) {
		tui_note(t, "play: %s: %s", path, strerror(errno));
		play_free(p);
		return -1;
	}
	p->active = true;
	p->delay_ms = delay_ms;
	p->errors0 = session_errors(t->s);
	p->next_ms = tui_now_ms();
	tui_note(t, "play: %s, %lu lines, %u ms between commands "
		 "(Space pause, n step, +/- speed)", path, p->lines, delay_ms);
	return 0;
}

void play_stop(struct tui *t, const char *why)
{
	struct play *p = &t->play;

	if (!p->active)
		return;
	tui_note(t, "play: %s %s after %lu command%s, %lu error%s", p->path,
		 why, p->done, p->done == 1 ? "" : "s",
		 session_errors(t->s) - p->errors0,
		 session_errors(t->s) - p->errors0 == 1 ? "" : "s");
	play_free(p);
}

/* The next whole line of the script (NULL at the end); a read error is
 * noted and ends the script. */
static char *next_line(struct tui *t)
{
	struct play *p = &t->play;
	char *line = read_line(&p->rd);

	if (!line && p->rd.error) {
		tui_note(t, "play: %s: %s", p->path, strerror(p->rd.error));
		p->rd.error = 0;
	}
	return line;
}

/* The next line holding a command (blank lines and comments skipped);
 * NULL at the end. */
static char *next_command(struct tui *t)
{
	struct play *p = &t->play;
	char *line;

	while ((line = next_line(t)) != NULL) {
		p->lineno++;
		const char *c = line;
		while (*c == ' ' || *c == '\t' || *c == '\r')
			c++;
		if (*c && *c != '#')
			return line;
	}
	return NULL;
}

/* Run one command; false when the script has ended. */
static bool run_one(struct tui *t, bool traced)
{
	struct play *p = &t->play;
	char *line = next_command(t);

	if (!line) {
		play_stop(t, "finished");
		return false;
	}
	if (traced && (p->delay_ms || p->paused)) {
		char echo[600];
		int n = snprintf(echo, sizeof echo, "%s:%lu> %s", p->path,
				 p->lineno, line);
		ring_add(&t->out, echo, n < 0 ? 0 : (size_t)n < sizeof echo ?
			 (size_t)n : sizeof echo - 1, LK_ECHO);
	}
	session_set_location(t->s, p->path, p->lineno);
	tui_execute_in_place(t, line, traced);   /* the window is ours to cut */
	session_set_location(t->s, NULL, 0);
	p->done++;
	if (session_stopped(t->s)) {
		play_stop(t, "stopped (quit or --bail)");
		return false;
	}
	return true;
}

unsigned play_step(struct tui *t)
{
	if (!t->play.active)
		return 0;
	run_one(t, true);
	return TUI_UPDATE | TUI_REDRAW;
}

unsigned play_run(struct tui *t, double budget_ms)
{
	struct play *p = &t->play;

	if (!p->active || p->paused)
		return 0;
	double now = tui_now_ms();
	if (p->delay_ms) {
		if (now < p->next_ms)
			return 0;
		run_one(t, true);
		p->next_ms = tui_now_ms() + p->delay_ms;
		return TUI_UPDATE | TUI_REDRAW;
	}
	/* between frames the commands run quiet: nobody can read 30,000
	 * lines a frame, and formatting them would double the time.  Errors
	 * still print; the frame's own command prints in full. */
	double deadline = now + budget_ms;
	unsigned saved = t->s->flags;
	t->s->flags |= SESS_QUIET;
	for (unsigned long k = 1; p->active && !t->intr; k++) {
		if (k % CHECK_CLOCK_EVERY == 0 && tui_now_ms() >= deadline)
			break;
		if (!run_one(t, false))
			break;
	}
	t->s->flags = saved;
	if (p->active && !t->intr)
		run_one(t, true);       /* the frame's command, traced */
	return TUI_UPDATE | TUI_REDRAW;
}

int play_wait_ms(const struct tui *t)
{
	const struct play *p = &t->play;

	if (!p->active || p->paused)
		return -1;
	if (!p->delay_ms)
		return 0;
	double left = p->next_ms - tui_now_ms();
	return left <= 0 ? 0 : (int)left + 1;
}

unsigned play_pause(struct tui *t)
{
	if (!t->play.active)
		return 0;
	t->play.paused = !t->play.paused;
	t->play.next_ms = tui_now_ms();
	return TUI_REDRAW;
}

/* Delays a script can be played at, fastest first. */
static const unsigned speeds[] = { 0, 1, 5, 10, 25, 50, 100, 250, 500,
				   1000, 2000 };
#define NR_SPEEDS (sizeof speeds / sizeof speeds[0])

unsigned play_speed(struct tui *t, bool faster)
{
	struct play *p = &t->play;
	size_t i = 0;

	if (!p->active)
		return 0;
	while (i + 1 < NR_SPEEDS && speeds[i] < p->delay_ms)
		i++;                    /* the step at or above the delay */
	if (faster && i > 0)
		i--;
	else if (!faster && i + 1 < NR_SPEEDS)
		i++;
	p->delay_ms = speeds[i];
	p->next_ms = tui_now_ms() + speeds[i];
	return TUI_REDRAW;
}
