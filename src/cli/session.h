/*
 * session.h - the command language's public face: a session owns one
 * simulated machine and executes command lines against it.  main.c, the
 * dashboard's command line, the benchmark and the fuzz target use only
 * what is declared here.
 *
 *   line --> parse head (NAME =, command word) --> command table lookup
 *        --> parse arguments --> handler --> engine call --> render
 *        --> (--check: kmem_check) --> output sink
 *
 * Output never goes to stdout directly: every byte passes through the
 * session's sink, so the same command prints into a terminal, a script
 * transcript, a JSON stream or a curses pane.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#ifndef KMEMLAB_SESSION_H
#define KMEMLAB_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "kmem.h"
#include "kmem_config.h"

struct session;

/* Session flags (session_new). */
#define SESS_QUIET  0x01u       /* -q: print errors only */
#define SESS_JSON   0x02u       /* --json: one JSON object per command */
#define SESS_ECHO   0x04u       /* -x: echo each command before its output */
#define SESS_CHECK  0x08u       /* --check: kmem_check after every command */
#define SESS_BAIL   0x10u       /* --bail: stop at the first failure */
#define SESS_SANDBOX 0x20u      /* no host files or terminal: `source`,
				   `play` and `tui` are refused */

/* Where a piece of output belongs. */
enum sess_stream {
	SESS_OUT,               /* results, traces, kernel messages */
	SESS_ERR,               /* error lines */
};

/* An output sink receives every byte the session prints, in order.  The
 * default sink writes SESS_OUT to stdout and SESS_ERR to stderr (flushing
 * stdout first so a 2>&1 transcript keeps its order). */
typedef void (*sess_sink_fn)(void *ctx, enum sess_stream stream,
			     const char *text, size_t len);

/*
 * Boot a machine from cfg and wrap it in a session.  Returns NULL and a
 * one-line reason in err when the machine does not boot.  The session
 * keeps its own copy of cfg (`reset` boots it again).
 */
struct session *session_new(const struct kmem_config *cfg, unsigned flags,
			    char *err, size_t errlen);
/* A quiet session on a built-in preset with the invariant checker on,
 * for the fuzz target and benchmarks; NULL if the preset is unknown. */
struct session *session_new_quiet(const char *preset);
void session_free(struct session *s);

void session_set_sink(struct session *s, sess_sink_fn fn, void *ctx);
void session_set_flags(struct session *s, unsigned flags);
unsigned session_flags(const struct session *s);

/*
 * Execute one command line (without its newline).  The line is modified
 * in place (the tokenizer cuts it into words).  Returns 0 on success or a
 * blank line, -1 when the command failed (the error is already printed).
 */
int session_execute_line(struct session *s, char *line);
/* The same for a const string (copied first). */
int session_execute(struct session *s, const char *line);

/*
 * The location shown before error messages: "FILE:LINE: ".  file NULL
 * means interactive (no location).  Scripts set it per line.
 */
void session_set_location(struct session *s, const char *file,
			  unsigned long line);

/* Run every line of a file / of an open descriptor (stdin) with FILE:LINE
 * locations.  Returns 0, or -1 if any command failed (or the file could
 * not be opened: reported as an error). */
int session_run_file(struct session *s, const char *path);
int session_run_fd(struct session *s, int fd, const char *name);

/* Lines of a file descriptor, read with read(2) into a growing window:
 * a pipe's lines come as soon as they arrive, a big file costs one copy
 * and no more memory than its longest line. */
struct line_reader {
	int fd;
	char *buf;
	size_t cap, len, start;         /* bytes held; the next line's offset */
	bool eof;                       /* nothing more to read from fd */
	int error;                      /* errno of a failed read (then eof) */
};
void line_reader_init(struct line_reader *r, int fd);
/* The next line, NUL-terminated in place and valid until the next call
 * (a last line without its newline too); NULL at the end, or with errno
 * EINTR when a read was interrupted (call again to go on). */
char *line_reader_next(struct line_reader *r);
/* Read everything left from fd now; the lines stay to be taken. */
void line_reader_slurp(struct line_reader *r);
void line_reader_free(struct line_reader *r);

/* The interactive loop on a terminal (repl.c).  Returns when the user
 * quits or sends EOF. */
int session_run_repl(struct session *s);

/* Commands that failed so far (errors counted, invariant breaks too). */
unsigned long session_errors(const struct session *s);
/* quit/exit was executed, or --bail stopped the session. */
bool session_stopped(const struct session *s);
/* The machine the session drives (replaced by `reset`). */
struct machine *session_machine(struct session *s);

/* "kmemlab(tiny cpu0)> ": the prompt naming the machine and current CPU. */
void session_prompt(const struct session *s, char *buf, size_t len);

/*
 * Tab completion, independent of readline (the REPL and the dashboard's
 * command line share it).  session_complete fills c with the candidates
 * for the word that ends at line[point]; c->files asks the caller to add
 * host file names too.  compl_free releases the candidates.
 */
struct completion {
	const char *word;       /* the partial word (valid during the call) */
	size_t word_len;        /* strlen(word) */
	char **items;           /* candidates, each starting with word */
	size_t n;               /* candidates */
	size_t cap;             /* slots allocated */
	bool files;             /* also complete host file names */
};
void session_complete(struct session *s, const char *line, size_t point,
		      struct completion *c);
void compl_add(struct completion *c, const char *cand);
void compl_free(struct completion *c);

/* Write the command reference, kmemlab-commands(7), as mdoc to f. */
void session_gen_man_commands(FILE *f);

#endif /* KMEMLAB_SESSION_H */
