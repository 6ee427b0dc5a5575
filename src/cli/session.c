/*
 * session.c - the front-end state around one simulated machine: booting
 * it, executing command lines, the output functions every handler writes
 * through, the JSON object each command becomes in --json mode, and the
 * script runner behind -f, stdin and `source`.
 *
 *   session_execute_line(line)
 *     history, -x echo
 *     parse_head ......... NAME =, command word          (parse.c)
 *     session_dispatch ... lookup, parse_args, counts, handler
 *     --check ............ kmem_check after the command
 *     end of command ..... JSON object / error count / --bail
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

_Noreturn void cli_oom(void)
{
	fputs("kmemlab: out of memory\n", stderr);
	abort();
}

void *cli_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		cli_oom();
	return q;
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

static void default_sink(void *ctx, enum sess_stream stream, const char *text,
			 size_t len)
{
	(void)ctx;
	if (stream == SESS_ERR) {
		fflush(stdout);
		fwrite(text, 1, len, stderr);
		fflush(stderr);
	} else {
		fwrite(text, 1, len, stdout);
	}
}

void sess_write(struct session *s, const char *text, size_t len)
{
	if (s->flags & SESS_QUIET)
		return;
	if (s->flags & SESS_JSON)
		kbuf_append(&s->cur.jtext, text, len);
	else
		s->sink(s->sink_ctx, SESS_OUT, text, len);
}

/* vsnprintf into a stack buffer, or the heap when it does not fit. */
static void vformat(struct session *s, enum sess_stream stream,
		    const char *prefix, const char *fmt, va_list ap, bool json)
{
	char buf[1024];
	char *p = buf;
	size_t plen = strlen(prefix);
	va_list aq;

	va_copy(aq, ap);
	int n = vsnprintf(buf + plen, sizeof buf - plen - 1, fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n + plen + 2 > sizeof buf) {
		p = cli_realloc(NULL, (size_t)n + plen + 2);
		vsnprintf(p + plen, (size_t)n + 1, fmt, aq);
	}
	va_end(aq);
	memcpy(p, prefix, plen);
	size_t len = plen + (size_t)n;
	if (json)
		kbuf_append(&s->cur.jtext, p, len);
	else if (stream == SESS_ERR) {
		p[len++] = '\n';
		s->sink(s->sink_ctx, stream, p, len);
	} else
		s->sink(s->sink_ctx, stream, p, len);
	if (p != buf)
		free(p);
}

void sess_printf(struct session *s, const char *fmt, ...)
{
	va_list ap;

	if (s->flags & SESS_QUIET)
		return;
	va_start(ap, fmt);
	vformat(s, SESS_OUT, "", fmt, ap, s->flags & SESS_JSON);
	va_end(ap);
}

static const char *location(const struct session *s, char *buf, size_t len)
{
	if (!s->loc_file)
		return "";
	snprintf(buf, len, "%s:%lu: ", s->loc_file, s->loc_line);
	return buf;
}

int sess_error(struct session *s, const char *fmt, ...)
{
	char loc[300];
	va_list ap;

	s->cur.failed = true;
	va_start(ap, fmt);
	if ((s->flags & SESS_JSON) && s->cur.active) {
		if (!s->cur.jerror[0])
			vsnprintf(s->cur.jerror, sizeof s->cur.jerror, fmt, ap);
	} else {
		vformat(s, SESS_ERR, location(s, loc, sizeof loc), fmt, ap,
			false);
	}
	va_end(ap);
	return -1;
}

void sess_warn(struct session *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat(s, SESS_ERR, "warning: ", fmt, ap, false);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* JSON writer                                                         */
/* ------------------------------------------------------------------ */

void json_escape(struct kbuf *b, const char *v)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = v;

	kbuf_append(b, "\"", 1);
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		kbuf_append(b, run, (size_t)(v - run));
		run = v + 1;
		switch (c) {
		case '"': kbuf_append(b, "\\\"", 2); break;
		case '\\': kbuf_append(b, "\\\\", 2); break;
		case '\n': kbuf_append(b, "\\n", 2); break;
		case '\t': kbuf_append(b, "\\t", 2); break;
		case '\r': kbuf_append(b, "\\r", 2); break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			kbuf_append(b, u, 6);
		}
		}
	}
	kbuf_append(b, run, (size_t)(v - run));
	kbuf_append(b, "\"", 1);
}

static struct kbuf *json_member(struct session *s, const char *key)
{
	struct json_writer *w = &s->cur.jw;

	if (w->comma[w->depth])
		kbuf_append(w->b, ",", 1);
	w->comma[w->depth] = true;
	if (key) {
		json_escape(w->b, key);
		kbuf_append(w->b, ":", 1);
	}
	return w->b;
}

void json_str(struct session *s, const char *key, const char *v)
{
	if (sess_json(s))
		json_escape(json_member(s, key), v);
}

void json_u64(struct session *s, const char *key, uint64_t v)
{
	if (sess_json(s))
		kbuf_printf(json_member(s, key), "%llu", (unsigned long long)v);
}

void json_i64(struct session *s, const char *key, int64_t v)
{
	if (sess_json(s))
		kbuf_printf(json_member(s, key), "%lld", (long long)v);
}

void json_hex(struct session *s, const char *key, uint64_t v)
{
	if (sess_json(s))
		kbuf_printf(json_member(s, key), "\"0x%llx\"", (unsigned long long)v);
}

void json_bool(struct session *s, const char *key, bool v)
{
	if (sess_json(s))
		kbuf_printf(json_member(s, key), "%s", v ? "true" : "false");
}

void json_null(struct session *s, const char *key)
{
	if (sess_json(s))
		kbuf_append(json_member(s, key), "null", 4);
}

static void json_open(struct session *s, const char *key, const char *brace)
{
	struct json_writer *w = &s->cur.jw;

	if (!sess_json(s))
		return;
	kbuf_append(json_member(s, key), brace, 1);
	if (w->depth + 1 < JSON_MAX_DEPTH)
		w->depth++;
	w->comma[w->depth] = false;
}

static void json_close(struct session *s, const char *brace)
{
	struct json_writer *w = &s->cur.jw;

	if (!sess_json(s))
		return;
	if (w->depth)
		w->depth--;
	kbuf_append(w->b, brace, 1);
}

void json_begin_object(struct session *s, const char *key)
{
	json_open(s, key, "{");
}

void json_end_object(struct session *s)
{
	json_close(s, "}");
}

void json_begin_array(struct session *s, const char *key)
{
	json_open(s, key, "[");
}

void json_end_array(struct session *s)
{
	json_close(s, "]");
}

/* ------------------------------------------------------------------ */
/* Per-command state                                                   */
/* ------------------------------------------------------------------ */

static void cmd_state_init(struct cmd_state *c)
{
	memset(c, 0, sizeof *c);
	kbuf_init(&c->jfields);
	kbuf_init(&c->jtext);
	kbuf_init(&c->jtrace);
	kbuf_init(&c->jconsole);
	kbuf_init(&c->jinput);
	c->jw.b = &c->jfields;
}

static void cmd_state_free(struct cmd_state *c)
{
	kbuf_free(&c->jfields);
	kbuf_free(&c->jtext);
	kbuf_free(&c->jtrace);
	kbuf_free(&c->jconsole);
	kbuf_free(&c->jinput);
}

/* Start a command: everything of the previous one is forgotten. */
static void cmd_begin(struct session *s)
{
	struct cmd_state *c = &s->cur;

	c->word = NULL;
	c->assign = NULL;
	c->redirect = NULL;
	c->failed = false;
	c->bound = false;
	c->active = true;
	if (s->flags & SESS_JSON) {
		kbuf_reset(&c->jfields);
		kbuf_reset(&c->jtext);
		kbuf_reset(&c->jtrace);
		kbuf_reset(&c->jconsole);
		c->jerror[0] = '\0';
		c->jw.b = &c->jfields;
		c->jw.depth = 0;
		c->jw.comma[0] = false;
	}
}

/* Assemble and print the command's JSON object. */
static void json_emit(struct session *s)
{
	struct cmd_state *c = &s->cur;
	struct kbuf *b = &s->scratch;
	char loc[300];

	if ((s->flags & SESS_QUIET) && !c->failed)
		return;
	kbuf_reset(b);
	kbuf_append(b, "{\"cmd\":", 7);
	json_escape(b, c->word ? c->word : "");
	kbuf_append(b, ",\"input\":", 9);
	json_escape(b, c->jinput.data ? c->jinput.data : "");
	kbuf_printf(b, ",\"ok\":%s", c->failed ? "false" : "true");
	if (c->jfields.len) {
		kbuf_append(b, ",", 1);
		kbuf_append(b, c->jfields.data, c->jfields.len);
	}
	if (c->jtext.len && !c->jfields.len) {
		kbuf_append(b, ",\"output\":", 10);
		json_escape(b, c->jtext.data);
	}
	if (c->jconsole.len) {
		kbuf_append(b, ",\"console\":[", 12);
		kbuf_append(b, c->jconsole.data, c->jconsole.len);
		kbuf_append(b, "]", 1);
	}
	if (c->jtrace.len) {
		kbuf_append(b, ",\"trace\":[", 10);
		kbuf_append(b, c->jtrace.data, c->jtrace.len);
		kbuf_append(b, "]", 1);
	}
	if (c->failed) {
		kbuf_append(b, ",\"error\":", 9);
		json_escape(b, c->jerror);
		if (s->loc_file) {
			location(s, loc, sizeof loc);
			loc[strlen(loc) - 2] = '\0';    /* drop ": " */
			kbuf_append(b, ",\"where\":", 9);
			json_escape(b, loc);
		}
	}
	kbuf_append(b, "}\n", 2);
	s->sink(s->sink_ctx, SESS_OUT, b->data, b->len);
}

static void cmd_end(struct session *s)
{
	struct cmd_state *c = &s->cur;

	/* the background threads get the CPU once the command is over */
	if (s->m)
		kmem_background(s->m);
	/* `check` itself has just run the checkers and said what it found */
	if ((s->flags & SESS_CHECK) && c->word != cmd_check.name) {
		char report[512];
		if (!kmem_check(s->m, report, sizeof report))
			sess_error(s, "invariant broken: %s", report);
	}
	if (s->flags & SESS_JSON)
		json_emit(s);
	if (c->failed) {
		s->errors++;
		if (s->flags & SESS_BAIL)
			s->stopped = true;
	}
	c->active = false;
}

/* ------------------------------------------------------------------ */
/* Executing lines                                                     */
/* ------------------------------------------------------------------ */

static void history_record(struct session *s, const char *line, size_t len)
{
	size_t slot = s->hist_total % HISTORY_MAX;

	if (s->hist_cap[slot] < len + 1) {
		s->hist_cap[slot] = len + 1 < 64 ? 64 : len + 1;
		s->hist[slot] = cli_realloc(s->hist[slot], s->hist_cap[slot]);
	}
	memcpy(s->hist[slot], line, len);
	s->hist[slot][len] = '\0';
	s->hist_total++;
}

int session_dispatch(struct session *s, struct cmdline *cl)
{
	char err[512];
	const struct command *cmd;

	if (!cl->word)
		return 0;       /* blank or a comment */
	cmd = command_lookup(command_table, command_count, cl->word, "command",
			     err, sizeof err);
	if (!cmd) {
		s->cur.word = cl->word;
		/* a bare "$1" or "buf" prints the value, as gdb's print does */
		if (!cl->assign && !cl->call &&
		    (cl->word[0] == '$' || value_by_name(s, cl->word) >= 0)) {
			if (parse_args(cl, err, sizeof err))
				return sess_error(s, "%s", err);
			if (cl->argc == 1) {
				char *argv[3] = { (char *)"print", cl->word, NULL };
				s->cur.word = cmd_print.name;
				return cmd_print.run(s, 2, argv);
			}
		}
		return sess_error(s, "%s", err);
	}
	s->cur.word = cmd->name;
	cl->argv[0] = (char *)cmd->name;
	if (cl->assign) {
		if (!(cmd->flags & CMD_VALUE))
			return sess_error(s, "%s produces no value to name '%s'",
					  cmd->name, cl->assign);
		const struct command *clash = command_lookup(command_table,
			command_count, cl->assign, "command", err, sizeof err);
		if (clash && !strcmp(clash->name, cl->assign))
			return sess_error(s, "'%s' is a command and cannot name a "
					  "value", cl->assign);
	}
	if (cmd->flags & CMD_RAW) {
		char *r = cl->rest;
		while (*r == ' ' || *r == '\t')
			r++;
		if (cl->call) {
			/* explain(cmd ...): drop the closing parenthesis */
			char *e = r + strlen(r);
			while (e > r && (e[-1] == ' ' || e[-1] == ';' || e[-1] == '\t'))
				e--;
			if (e > r && e[-1] == ')')
				e[-1] = '\0';
			else
				return sess_error(s, "missing ')'");
		}
		cl->argc = 1;
		if (*r)
			cl->argv[cl->argc++] = r;
		cl->argv[cl->argc] = NULL;
	} else if (parse_args(cl, err, sizeof err)) {
		return sess_error(s, "%s", err);
	}
	int nargs = cl->argc - 1;
	if (nargs < cmd->min_args || (cmd->max_args >= 0 && nargs > cmd->max_args))
		return sess_error(s, "%s: wrong number of arguments (usage: %s)",
				  cmd->name, cmd->usage);
	const char *why;
	if ((cmd->flags & CMD_MUTATES) && kmem_panicked(s->m, &why))
		return sess_error(s, "%s: the machine has panicked (%s): only "
				  "`reset` and inspection work", cmd->name, why);
	if (cl->redirect && !(cmd->flags & CMD_REDIRECT))
		return sess_error(s, "%s: cannot redirect ('>' works with echo "
				  "VALUE > /proc/sys/vm/NAME)", cmd->name);
	if (cl->assign)
		s->cur.assign = cl->assign;
	s->cur.redirect = cl->redirect;
	return cmd->run(s, cl->argc, cl->argv);
}

int session_execute_line(struct session *s, char *line)
{
	struct cmdline cl;
	char err[512];
	const char *p = line;
	size_t len;

	/* the blanks parse_head skips: a line of them is blank */
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' ||
	       *p == '\f' || *p == '\v')
		p++;
	len = strlen(p);
	while (len && (p[len - 1] == '\r' || p[len - 1] == '\n'))
		((char *)p)[--len] = '\0';
	if (!len || *p == '#') {
		/* -x keeps comments and blank lines so transcripts read well */
		if ((s->flags & (SESS_ECHO | SESS_QUIET | SESS_JSON)) == SESS_ECHO) {
			s->sink(s->sink_ctx, SESS_OUT, p, len);
			s->sink(s->sink_ctx, SESS_OUT, "\n", 1);
		}
		return 0;
	}
	history_record(s, p, len);
	if ((s->flags & (SESS_ECHO | SESS_QUIET | SESS_JSON)) == SESS_ECHO) {
		s->sink(s->sink_ctx, SESS_OUT, "> ", 2);
		s->sink(s->sink_ctx, SESS_OUT, p, len);
		s->sink(s->sink_ctx, SESS_OUT, "\n", 1);
	}
	cmd_begin(s);
	if (s->flags & SESS_JSON) {
		kbuf_reset(&s->cur.jinput);
		kbuf_append(&s->cur.jinput, p, len);
	}
	int rc;
	if (parse_head(line, &cl, err, sizeof err))
		rc = sess_error(s, "%s", err);
	else
		rc = session_dispatch(s, &cl);
	if (s->cur.failed)
		rc = -1;
	cmd_end(s);
	return rc;
}

int session_execute(struct session *s, const char *line)
{
	char buf[1024];
	size_t n = strlen(line);
	char *copy = n < sizeof buf ? buf : cli_realloc(NULL, n + 1);

	memcpy(copy, line, n + 1);
	int rc = session_execute_line(s, copy);
	if (copy != buf)
		free(copy);
	return rc;
}

void session_set_location(struct session *s, const char *file,
			  unsigned long line)
{
	s->loc_file = file;
	s->loc_line = line;
}

/* ------------------------------------------------------------------ */
/* Scripts                                                             */
/* ------------------------------------------------------------------ */

void line_reader_init(struct line_reader *r, int fd)
{
	memset(r, 0, sizeof *r);
	r->fd = fd;
	r->cap = 1 << 16;
	r->buf = cli_realloc(NULL, r->cap);
}

void line_reader_free(struct line_reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

/* One read(2) after the held bytes (moved to the front first): -1 with
 * errno EINTR when interrupted, else 0 (eof set at the end or on an
 * error). */
static int line_reader_fill(struct line_reader *r)
{
	if (r->start) {
		memmove(r->buf, r->buf + r->start, r->len - r->start);
		r->len -= r->start;
		r->start = 0;
	}
	if (r->cap - r->len < 4096) {
		r->cap *= 2;
		r->buf = cli_realloc(r->buf, r->cap);
	}
	ssize_t n = read(r->fd, r->buf + r->len, r->cap - r->len - 1);
	if (n < 0 && errno == EINTR)
		return -1;
	if (n < 0)
		r->error = errno;
	if (n <= 0)
		r->eof = true;
	else
		r->len += (size_t)n;
	return 0;
}

char *line_reader_next(struct line_reader *r)
{
	for (;;) {
		char *line = r->buf + r->start;
		char *nl = r->len > r->start ?
			   memchr(line, '\n', r->len - r->start) : NULL;
		if (nl) {
			*nl = '\0';
			r->start = (size_t)(nl - r->buf) + 1;
			return line;
		}
		if (r->eof) {
			if (r->start >= r->len)
				return NULL;
			r->buf[r->len] = '\0';
			r->start = r->len;
			return line;
		}
		if (line_reader_fill(r))
			return NULL;            /* EINTR */
	}
}

void line_reader_slurp(struct line_reader *r)
{
	while (!r->eof)
		line_reader_fill(r);    /* EINTR: read again */
}

int session_run_fd(struct session *s, int fd, const char *name)
{
	struct line_reader r;
	const char *saved_file = s->loc_file;
	unsigned long saved_line = s->loc_line;
	unsigned long lineno = 0;
	unsigned long errors_before = s->errors;

	line_reader_init(&r, fd);
	s->loc_file = name;
	while (!s->stopped) {
		errno = 0;
		char *line = line_reader_next(&r);
		if (!line) {
			if (errno == EINTR && !(s->interrupt && *s->interrupt))
				continue;
			break;
		}
		s->loc_line = ++lineno;
		session_execute_line(s, line);
		if (s->interrupt && *s->interrupt)
			break;
	}
	line_reader_free(&r);
	s->loc_file = saved_file;
	s->loc_line = saved_line;
	return s->errors > errors_before ? -1 : 0;
}

int session_run_file(struct session *s, const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		int e = errno;
		sess_error(s, "%s: %s", path, strerror(e));
		s->errors++;
		return -1;
	}
	int rc = session_run_fd(s, fd, path);
	close(fd);
	return rc;
}

/*
 * `source FILE` from inside a command: the lines run as commands of their
 * own (each its own JSON object), then the source command itself ends.
 * Returns 0 when the file was read (failures inside are counted there).
 */
int session_source(struct session *s, const char *path)
{
	struct cmd_state outer = s->cur;
	int fd, rc = 0;

	if (s->flags & SESS_SANDBOX)
		return sess_error(s, "source: host files are not available here");
	if (s->source_depth >= MAX_SOURCE_DEPTH)
		return sess_error(s, "source: nested more than %d deep",
				  MAX_SOURCE_DEPTH);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		int e = errno;
		return sess_error(s, "source: %s: %s", path, strerror(e));
	}
	/* the outer command's buffers stay put; the inner ones get fresh */
	cmd_state_init(&s->cur);
	s->source_depth++;
	session_run_fd(s, fd, path);
	s->source_depth--;
	close(fd);
	cmd_state_free(&s->cur);
	s->cur = outer;
	s->cur.jw.b = &s->cur.jfields;
	return rc;
}

/* ------------------------------------------------------------------ */
/* Lifecycle                                                           */
/* ------------------------------------------------------------------ */

int session_boot(struct session *s, char *err, size_t errlen)
{
	struct machine *m;

	if (kmem_machine_create(&s->cfg, &m, err, errlen))
		return -1;
	if (s->m)
		kmem_machine_destroy(s->m);
	s->m = m;
	kmem_machine_info(m, &s->info);
	values_clear(s);
	session_install_hooks(s);
	return 0;
}

struct session *session_new(const struct kmem_config *cfg, unsigned flags,
			    char *err, size_t errlen)
{
	struct session *s = calloc(1, sizeof *s);

	if (!s)
		cli_oom();
	s->cfg = *cfg;
	s->flags = flags;
	s->sink = default_sink;
	tui_options_default(&s->tui);
	cmd_state_init(&s->cur);
	kbuf_init(&s->scratch);
	if (session_boot(s, err, errlen)) {
		session_free(s);
		return NULL;
	}
	return s;
}

struct session *session_new_quiet(const char *preset)
{
	struct kmem_config cfg;
	char err[256];

	if (kmem_config_preset(preset, &cfg))
		return NULL;
	return session_new(&cfg, SESS_QUIET | SESS_CHECK, err, sizeof err);
}

void session_free(struct session *s)
{
	if (!s)
		return;
	if (s->m)
		kmem_machine_destroy(s->m);
	values_clear(s);
	for (size_t i = 0; i < HISTORY_MAX; i++)
		free(s->hist[i]);
	cmd_state_free(&s->cur);
	kbuf_free(&s->scratch);
	free(s);
}

void session_set_sink(struct session *s, sess_sink_fn fn, void *ctx)
{
	s->sink = fn ? fn : default_sink;
	s->sink_ctx = fn ? ctx : NULL;
}

void session_set_flags(struct session *s, unsigned flags)
{
	s->flags = flags;
	session_install_hooks(s);
}

unsigned session_flags(const struct session *s)
{
	return s->flags;
}

unsigned long session_errors(const struct session *s)
{
	return s->errors;
}

bool session_stopped(const struct session *s)
{
	return s->stopped;
}

struct machine *session_machine(struct session *s)
{
	return s->m;
}

void session_prompt(const struct session *s, char *buf, size_t len)
{
	snprintf(buf, len, "kmemlab(%s cpu%u)> ", machine_name(s),
		 s->info.cur_cpu);
}

const char *machine_name(const struct session *s)
{
	const char *n = s->cfg.name;
	const char *slash = strrchr(n, '/');

	if (!n[0])
		return s->info.arch_name;
	return slash && slash[1] ? slash + 1 : n;
}
