/*
 * lab.c - `kmemlab lab`: the teaching-lab runner.
 *
 *   kmemlab lab                         list the labs
 *   kmemlab lab NAME                    introduction + guided part
 *   kmemlab lab NAME --dashboard        the guided part in the dashboard,
 *                                       paused: n steps, Space plays
 *   kmemlab lab NAME -s SEED            a generated exercise, answers ?
 *   kmemlab lab NAME -s SEED -c         the same with the answers
 *   kmemlab lab NAME -s SEED --check F  grade an answers file
 *
 * NAME is a lab's directory name or its number.  The answers file has one
 * answer a line, "N: VALUE" (the lines the exercise prints with '?'),
 * '#' starting a comment; see kmemlab-labs(7).
 *
 * Exit status: 0 done (every answer right, the guided part passed),
 * 1 a wrong or missing answer or a failed guided part, 2 a usage error,
 * an unknown lab, a malformed answers file or a broken lab.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lab.h"

#ifndef KMEMLAB_LABDIR
#define KMEMLAB_LABDIR "/usr/local/share/kmemlab/labs"
#endif

#define MAX_LABS 64

struct lab {
	char name[64];          /* directory name */
	char dir[PATH_MAX];     /* its path */
	char title[160];        /* one line */
	int number;             /* listing order, `lab N` */
	char machine[128];      /* preset or file in dir */
	char ex_machine[128];   /* the exercises' machine, if not machine */
	char allocator[16];     /* "slab", "slob" or "" */
	char generator[32];     /* lab_generators name or "" */
};

/* ------------------------------------------------------------------ */
/* Finding labs                                                        */
/* ------------------------------------------------------------------ */

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* $KMEMLAB_LABDIR, else beside the binary (the source tree's
 * scripts/labs, an installation's share/kmemlab/labs), else the
 * configured install path. */
static const char *lab_dir(void)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX];
	const char *env = getenv("KMEMLAB_LABDIR");

	if (env && *env)
		return env;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			static const char *const rel[] = { "../scripts/labs",
							   "../share/kmemlab/labs" };
			for (int i = 0; i < 2; i++) {
				char p[PATH_MAX + 32];
				snprintf(p, sizeof p, "%s/%s", exe, rel[i]);
				if (is_dir(p) && realpath(p, path))
					return path;
			}
		}
	}
	return KMEMLAB_LABDIR;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* lab.conf: "key: value" lines, '#' comments. */
static int read_conf(struct lab *l)
{
	char path[PATH_MAX + 16], line[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/lab.conf", l->dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	l->number = 1000;
	snprintf(l->machine, sizeof l->machine, "tiny");
	while (fgets(line, sizeof line, f)) {
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		char *k = trim(line), *v = trim(colon + 1);
		if (!strcmp(k, "title"))
			snprintf(l->title, sizeof l->title, "%s", v);
		else if (!strcmp(k, "number"))
			l->number = atoi(v);
		else if (!strcmp(k, "machine"))
			snprintf(l->machine, sizeof l->machine, "%s", v);
		else if (!strcmp(k, "exercise-machine"))
			snprintf(l->ex_machine, sizeof l->ex_machine, "%s", v);
		else if (!strcmp(k, "allocator"))
			snprintf(l->allocator, sizeof l->allocator, "%s", v);
		else if (!strcmp(k, "generator"))
			snprintf(l->generator, sizeof l->generator, "%s", v);
	}
	fclose(f);
	return 0;
}

static int cmp_lab(const void *a, const void *b)
{
	const struct lab *x = a, *y = b;

	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Every lab under the lab directory, in number order; -1 if none. */
static int lab_scan(struct lab *labs, size_t *n)
{
	const char *root = lab_dir();
	DIR *d = opendir(root);
	struct dirent *de;

	*n = 0;
	if (!d) {
		fprintf(stderr, "kmemlab lab: no labs in %s: %s (set "
			"KMEMLAB_LABDIR)\n", root, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) && *n < MAX_LABS) {
		struct lab *l = &labs[*n];
		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof l->name)
			continue;
		memset(l, 0, sizeof *l);
		snprintf(l->name, sizeof l->name, "%.63s", de->d_name);
		snprintf(l->dir, sizeof l->dir, "%.3900s/%.63s", root, de->d_name);
		if (is_dir(l->dir) && !read_conf(l))
			(*n)++;
	}
	closedir(d);
	qsort(labs, *n, sizeof *labs, cmp_lab);
	return 0;
}

static const struct lab *lab_find(const struct lab *labs, size_t n,
				  const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(labs[i].name, name))
			return &labs[i];
	char *end;
	long num = strtol(name, &end, 10);
	if (*name && !*end)
		for (size_t i = 0; i < n; i++)
			if (labs[i].number == num)
				return &labs[i];
	return NULL;
}

static void lab_list(const struct lab *labs, size_t n)
{
	printf("Labs (kmemlab lab NAME runs one; kmemlab lab NAME -s SEED "
	       "prints an exercise):\n");
	for (size_t i = 0; i < n; i++)
		printf("  %2d  %-9s %s%s\n", labs[i].number, labs[i].name,
		       labs[i].title, labs[i].generator[0] ? "" :
		       " (no exercises yet)");
}

/* ------------------------------------------------------------------ */
/* Machines                                                            */
/* ------------------------------------------------------------------ */

static bool looks_like_file(const char *m)
{
	size_t n = strlen(m);

	return strchr(m, '/') || (n > 5 && !strcmp(m + n - 5, ".yaml"));
}

/* A session on machine (a preset or a file in dir). */
static struct session *lab_session(const char *dir, const char *machine,
				   const char *allocator, unsigned flags,
				   char *err, size_t errlen)
{
	struct kmem_config cfg;
	char path[PATH_MAX + 160];

	if (looks_like_file(machine)) {
		snprintf(path, sizeof path, "%s/%s", dir, machine);
		if (kmem_config_load_file(path, &cfg, err, errlen))
			return NULL;
	} else if (kmem_config_preset(machine, &cfg)) {
		snprintf(err, errlen, "unknown machine '%s'", machine);
		return NULL;
	}
	if (allocator && !strcmp(allocator, "slob"))
		cfg.allocator = KMEM_ALLOC_SLOB;
	else if (allocator && !strcmp(allocator, "slab"))
		cfg.allocator = KMEM_ALLOC_SLAB;
	return session_new(&cfg, flags, err, errlen);
}

/* How a student boots the same machine. */
static void machine_option(const char *machine, const char *allocator,
			   char *buf, size_t len)
{
	snprintf(buf, len, "-m %s%s%s", machine,
		 allocator && *allocator ? " --allocator " : "",
		 allocator && *allocator ? allocator : "");
}

/* ------------------------------------------------------------------ */
/* The guided part                                                     */
/* ------------------------------------------------------------------ */

static int print_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		fputs(line, stdout);
	fclose(f);
	return 0;
}

/* echo lines are narration: their text shows, not the command. */
static bool is_narration(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	return !strncmp(line, "echo", 4) && (line[4] == ' ' || line[4] == '\t' ||
					     !line[4] || line[4] == '\r') &&
	       !strchr(line, '>');
}

/* A guided file may name its own machine in its first lines:
 * "# lab-machine: PRESET|FILE [slab|slob]" (else lab.conf's). */
static void file_machine(FILE *f, const struct lab *l, char *machine,
			 size_t mlen, char *alloc, size_t alen)
{
	char line[512];

	snprintf(machine, mlen, "%s", l->machine);
	snprintf(alloc, alen, "%s", l->allocator);
	for (int i = 0; i < 5 && fgets(line, sizeof line, f); i++) {
		char m[128], a[16] = "";
		if (sscanf(line, "# lab-machine: %127s %15s", m, a) >= 1) {
			snprintf(machine, mlen, "%s", m);
			snprintf(alloc, alen, "%s", a);
			break;
		}
	}
	rewind(f);
}

/* Run one guided file, adding its expect lines to *checks: 0, 1 when a
 * command failed (the run stops there), 2 when it cannot run. */
static int run_guided_file(const struct lab *l, const char *file,
			   unsigned long *checks)
{
	char path[PATH_MAX + 80], where[200], err[512], line[2048];
	char machine[128], alloc[16], mopt[200];
	unsigned long lineno = 0;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", l->dir, file);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "kmemlab lab: %s: %s\n", path, strerror(errno));
		return 2;
	}
	file_machine(f, l, machine, sizeof machine, alloc, sizeof alloc);
	struct session *s = lab_session(l->dir, machine, alloc,
					SESS_CHECK | SESS_BAIL, err, sizeof err);
	if (!s) {
		fprintf(stderr, "kmemlab lab: %s: %s\n", path, err);
		fclose(f);
		return 2;
	}
	machine_option(machine, alloc, mopt, sizeof mopt);
	printf("\n--- guided part: kmemlab %s -f %s/%s ---\n\n", mopt, l->name,
	       file);
	snprintf(where, sizeof where, "%s/%s", l->name, file);
	while (!session_stopped(s) && fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		const char *c = line;
		while (*c == ' ' || *c == '\t')
			c++;
		if (!*c || *c == '#')
			continue;
		if (!is_narration(line))
			printf("> %s\n", c);
		if (!strncmp(c, "expect", 6))
			(*checks)++;
		fflush(stdout);
		session_set_location(s, where, lineno);
		session_execute_line(s, line);
	}
	fclose(f);
	fflush(stdout);
	int rc = 0;
	if (session_errors(s)) {
		fprintf(stderr, "kmemlab lab: %s: the guided part failed at "
			"%s:%lu\n", l->name, where, lineno);
		rc = 1;
	}
	session_free(s);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* intro.txt, then guided.kmem, guided2.kmem ... in name order. */
static int run_guided(const struct lab *l)
{
	char path[PATH_MAX + 32];
	char *files[16];
	size_t n = 0;
	unsigned long checks = 0;
	int rc = 0;
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof path, "%s/intro.txt", l->dir);
	print_file(path);
	d = opendir(l->dir);
	while (d && (de = readdir(d)) && n < 16) {
		size_t len = strlen(de->d_name);
		if (!strncmp(de->d_name, "guided", 6) && len > 5 &&
		    !strcmp(de->d_name + len - 5, ".kmem")) {
			files[n] = strdup(de->d_name);
			if (!files[n])
				cli_oom();
			n++;
		}
	}
	if (d)
		closedir(d);
	if (!n) {
		fprintf(stderr, "kmemlab lab: %s: no guided.kmem\n", l->name);
		return 2;
	}
	qsort(files, n, sizeof files[0], cmp_str);
	for (size_t i = 0; i < n && !rc; i++)
		rc = run_guided_file(l, files[i], &checks);
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	if (!rc) {
		printf("\nLab %s: guided part done, %lu check%s passed.\n",
		       l->name, checks, checks == 1 ? "" : "s");
		if (l->generator[0])
			printf("Now an exercise: kmemlab lab %s -s 1\n", l->name);
	}
	return rc;
}

static int run_dashboard(const struct lab *l)
{
	char path[PATH_MAX + 32], err[512];
	struct tui_options o;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "kmemlab lab: --dashboard needs a terminal\n");
		return 2;
	}
	char machine[128], alloc[16];
	snprintf(path, sizeof path, "%s/guided.kmem", l->dir);
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "kmemlab lab: %s: %s\n", path, strerror(errno));
		return 2;
	}
	file_machine(f, l, machine, sizeof machine, alloc, sizeof alloc);
	fclose(f);
	struct session *s = lab_session(l->dir, machine, alloc, 0, err,
					sizeof err);
	if (!s) {
		fprintf(stderr, "kmemlab lab: %s: %s\n", l->name, err);
		return 2;
	}
	tui_options_default(&o);
	o.play_file = path;
	o.play_paused = true;
	o.play_delay_ms = 1000;
	int rc = tui_run(s, &o) ? 2 : 0;
	session_free(s);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Exercises: what generators call                                     */
/* ------------------------------------------------------------------ */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t lab_rand(struct lab_ex *e, uint64_t n)
{
	return n ? splitmix64(&e->rng) % n : 0;
}

static void lab_sink(void *ctx, enum sess_stream stream, const char *text,
		     size_t len)
{
	struct lab_ex *e = ctx;

	if (stream == SESS_ERR) {
		if (!e->err[0])
			snprintf(e->err, sizeof e->err, "%.*s",
				 (int)(len && text[len - 1] == '\n' ? len - 1 : len),
				 text);
		return;
	}
	kbuf_append(&e->out, text, len);
}

void lab_say(struct lab_ex *e, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	kbuf_append(&e->text, buf, strlen(buf));
}

int lab_boot(struct lab_ex *e, const char *machine, const char *allocator)
{
	char err[512], mopt[PATH_MAX + 200];
	struct session *s = lab_session(e->dir, machine, allocator, SESS_CHECK,
					err, sizeof err);

	if (!s) {
		if (!e->err[0])
			snprintf(e->err, sizeof e->err, "%s", err);
		return -1;
	}
	if (e->s)
		session_free(e->s);
	e->s = s;
	session_set_sink(s, lab_sink, e);
	if (looks_like_file(machine)) {
		char path[PATH_MAX + 160];
		snprintf(path, sizeof path, "%s/%s", e->dir, machine);
		machine_option(path, allocator, mopt, sizeof mopt);
	} else {
		machine_option(machine, allocator, mopt, sizeof mopt);
	}
	lab_say(e, "Machine: a freshly booted `kmemlab %s`.\n", mopt);
	return 0;
}

static int run_cmd(struct lab_ex *e, const char *cmd)
{
	kbuf_reset(&e->out);
	kbuf_append(&e->out, "", 0);
	session_set_location(e->s, "exercise", e->step);
	int rc = session_execute(e->s, cmd);
	session_set_location(e->s, NULL, 0);
	if (rc && !e->err[0])
		snprintf(e->err, sizeof e->err, "'%s' failed", cmd);
	return rc;
}

static void vformat(char *buf, size_t len, const char *fmt, va_list ap)
{
	vsnprintf(buf, len, fmt, ap);
}

int lab_step(struct lab_ex *e, const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vformat(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	e->step++;
	lab_say(e, "  %2u. %s\n", e->step, cmd);
	return run_cmd(e, cmd);
}

int lab_quiet(struct lab_ex *e, const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vformat(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return run_cmd(e, cmd);
}

int lab_show(struct lab_ex *e, const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vformat(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	if (run_cmd(e, cmd))
		return -1;
	lab_say(e, "    > %s\n", cmd);
	const char *p = e->out.data;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		while (n && p[n - 1] == ' ')
			n--;            /* buddyinfo's trailing blank */
		lab_say(e, "    %.*s\n", (int)n, p);
		p += nl ? (size_t)(nl - p) + 1 : strlen(p);
	}
	return 0;
}

int lab_num(struct lab_ex *e, const char *query, uint64_t *out)
{
	struct qval v;
	char err[300];

	if (query_eval_text(e->s, query, &v, err, sizeof err)) {
		if (!e->err[0])
			snprintf(e->err, sizeof e->err, "%.150s: %s", query, err);
		return -1;
	}
	if (v.kind != QV_NUM) {
		qval_free(&v);
		if (!e->err[0])
			snprintf(e->err, sizeof e->err, "%s: not a number", query);
		return -1;
	}
	*out = v.num;
	return 0;
}

int lab_ask(struct lab_ex *e, const char *query, const char *fmt, ...)
{
	char text[1024], err[300];
	va_list ap;

	if (e->nq == LAB_MAX_QUESTIONS) {
		snprintf(e->err, sizeof e->err, "more than %d questions",
			 LAB_MAX_QUESTIONS);
		return -1;
	}
	struct lab_question *q = &e->q[e->nq];
	snprintf(q->query, sizeof q->query, "%s", query);
	if (query_eval_text(e->s, query, &q->answer, err, sizeof err)) {
		if (!e->err[0])
			snprintf(e->err, sizeof e->err, "%.150s: %s", query, err);
		return -1;
	}
	qval_format(&q->answer, q->shown, sizeof q->shown);
	e->nq++;
	va_start(ap, fmt);
	vformat(text, sizeof text, fmt, ap);
	va_end(ap);
	lab_say(e, "\nQ%u. %s\n", e->nq, text);
	if (e->answers)
		lab_say(e, "%u: %s\n", e->nq, q->shown);
	else
		lab_say(e, "%u: ?\n", e->nq);
	return 0;
}

static void lab_ex_free(struct lab_ex *e)
{
	for (unsigned i = 0; i < e->nq; i++)
		qval_free(&e->q[i].answer);
	if (e->s)
		session_free(e->s);
	kbuf_free(&e->text);
	kbuf_free(&e->out);
}

static const struct lab_generator *find_generator(const char *name)
{
	for (const struct lab_generator *g = lab_generators; g->name; g++)
		if (!strcmp(g->name, name))
			return g;
	return NULL;
}

/* Build the exercise for seed; 0, or 2 after printing why (a lab bug). */
static int generate(const struct lab *l, uint64_t seed, bool answers,
		    struct lab_ex *e)
{
	const struct lab_generator *g = find_generator(l->generator);

	memset(e, 0, sizeof *e);
	kbuf_init(&e->text);
	kbuf_init(&e->out);
	e->dir = l->dir;
	e->answers = answers;
	/* the lab's name is mixed in: seed 1 of two labs differ */
	e->rng = seed;
	for (const char *c = l->name; *c; c++)
		e->rng = (e->rng ^ (unsigned char)*c) * 0x100000001b3ULL;
	lab_say(e, "Lab %d (%s), exercise %llu: %s\n", l->number, l->name,
		(unsigned long long)seed, l->title);
	int rc = lab_boot(e, l->ex_machine[0] ? l->ex_machine : l->machine,
			  l->allocator[0] ? l->allocator : NULL);
	if (!rc)
		rc = g->fn(e);
	if (rc || e->err[0] || !e->nq) {
		fprintf(stderr, "kmemlab lab: %s: the generator failed for seed "
			"%llu: %s\n", l->name, (unsigned long long)seed,
			e->err[0] ? e->err : "no questions");
		return 2;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Grading                                                             */
/* ------------------------------------------------------------------ */

static int check_answers(const struct lab *l, uint64_t seed, struct lab_ex *e,
			 const char *path)
{
	char *given[LAB_MAX_QUESTIONS] = { 0 };
	char line[1024];
	unsigned long lineno = 0;
	int rc = 2;
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "kmemlab lab: %s: %s\n", path, strerror(errno));
		return 2;
	}
	while (fgets(line, sizeof line, f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			fprintf(stderr, "kmemlab lab: %s:%lu: line too long\n", path,
				lineno);
			goto out;
		}
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *t = trim(line);
		if (!*t)
			continue;
		char *end;
		errno = 0;
		unsigned long n = strtoul(t, &end, 10);
		if (end == t || *end != ':' || errno) {
			fprintf(stderr, "kmemlab lab: %s:%lu: expected 'N: VALUE', "
				"found '%s'\n", path, lineno, t);
			goto out;
		}
		if (n < 1 || n > e->nq) {
			fprintf(stderr, "kmemlab lab: %s:%lu: there is no question "
				"%lu (this exercise has questions 1..%u)\n", path,
				lineno, n, e->nq);
			goto out;
		}
		if (given[n - 1]) {
			fprintf(stderr, "kmemlab lab: %s:%lu: question %lu is "
				"answered twice\n", path, lineno, n);
			goto out;
		}
		given[n - 1] = strdup(trim(end + 1));
		if (!given[n - 1])
			cli_oom();
	}
	unsigned right = 0;
	for (unsigned i = 0; i < e->nq; i++) {
		struct lab_question *q = &e->q[i];
		const char *a = given[i];
		struct qval v;
		if (!a || !*a || !strcmp(a, "?")) {
			printf("%u: no answer; the answer is %s\n", i + 1, q->shown);
			continue;
		}
		if (qval_parse_answer(&q->answer, a, &v)) {
			printf("%u: wrong: '%s' is not %s; the answer is %s\n", i + 1,
			       a, q->answer.kind == QV_VEC ? "a list of numbers" :
			       "a number", q->shown);
			continue;
		}
		bool ok = false;
		char err[128];
		qval_compare(&v, "==", &q->answer, &ok, err, sizeof err);
		qval_free(&v);
		if (ok) {
			printf("%u: right\n", i + 1);
			right++;
		} else {
			printf("%u: wrong: you wrote %s; the answer is %s\n", i + 1,
			       a, q->shown);
		}
	}
	printf("%s, exercise %llu: %u of %u right\n", l->name,
	       (unsigned long long)seed, right, e->nq);
	rc = right == e->nq ? 0 : 1;
out:
	fclose(f);
	for (unsigned i = 0; i < LAB_MAX_QUESTIONS; i++)
		free(given[i]);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Command line                                                        */
/* ------------------------------------------------------------------ */

static void lab_usage(FILE *f)
{
	fputs("usage: kmemlab lab [NAME [--dashboard | -s SEED [-c | --check "
	      "FILE]]]\n"
	      "  (no NAME)          list the labs\n"
	      "  NAME               the introduction and the guided part\n"
	      "  --dashboard        the guided part in the dashboard, paused "
	      "(n steps)\n"
	      "  -s, --seed SEED    print exercise SEED (0..2^32-1)\n"
	      "  -c, --answers      with the answers filled in\n"
	      "      --check FILE   grade FILE, one 'N: VALUE' line per "
	      "answer\n"
	      "See kmemlab-labs(7).\n", f);
}

static int bad_usage(const char *fmt, const char *arg)
{
	fputs("kmemlab lab: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (try 'kmemlab lab --help')\n", stderr);
	return 2;
}

int lab_main(int argc, char **argv)
{
	const char *name = NULL, *seed_arg = NULL, *check = NULL;
	bool answers = false, dashboard = false;
	struct lab *labs = calloc(MAX_LABS, sizeof *labs);
	size_t n;
	int rc = 2;

	if (!labs)
		cli_oom();
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			lab_usage(stdout);
			rc = 0;
			goto out;
		} else if (!strcmp(a, "-s") || !strcmp(a, "--seed") ||
			   !strcmp(a, "--check")) {
			if (i + 1 == argc) {
				rc = bad_usage("option '%s' needs an argument", a);
				goto out;
			}
			if (!strcmp(a, "--check"))
				check = argv[++i];
			else
				seed_arg = argv[++i];
		} else if (!strcmp(a, "-c") || !strcmp(a, "--answers")) {
			answers = true;
		} else if (!strcmp(a, "--dashboard")) {
			dashboard = true;
		} else if (a[0] == '-' && a[1]) {
			rc = bad_usage("unknown option '%s'", a);
			goto out;
		} else if (!name) {
			name = a;
		} else {
			rc = bad_usage("one lab at a time ('%s' is extra)", a);
			goto out;
		}
	}
	uint64_t seed = 0;
	if (seed_arg) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(seed_arg, &end, 10);
		if (!*seed_arg || *end || errno || v > 0xffffffffULL ||
		    seed_arg[0] == '-') {
			rc = bad_usage("bad seed '%s': a number 0..4294967295",
				       seed_arg);
			goto out;
		}
		seed = v;
	}
	if ((answers || check) && !seed_arg) {
		rc = bad_usage("%s needs an exercise: add -s SEED",
			       answers ? "-c" : "--check");
		goto out;
	}
	if (answers && check) {
		rc = bad_usage("%s", "-c and --check do not go together");
		goto out;
	}
	if (dashboard && seed_arg) {
		rc = bad_usage("%s", "--dashboard runs the guided part, not an "
			       "exercise");
		goto out;
	}
	if (lab_scan(labs, &n))
		goto out;
	if (!name) {
		if (seed_arg || dashboard) {
			rc = bad_usage("%s", "which lab? ('kmemlab lab' lists them)");
			goto out;
		}
		lab_list(labs, n);
		rc = 0;
		goto out;
	}
	const struct lab *l = lab_find(labs, n, name);
	if (!l) {
		fprintf(stderr, "kmemlab lab: no lab '%s' ('kmemlab lab' lists "
			"them)\n", name);
		goto out;
	}
	if (dashboard) {
		rc = run_dashboard(l);
		goto out;
	}
	if (!seed_arg) {
		rc = run_guided(l);
		goto out;
	}
	if (!l->generator[0] || !find_generator(l->generator)) {
		fprintf(stderr, "kmemlab lab: %s has no exercise generator\n",
			l->name);
		goto out;
	}
	struct lab_ex e;
	rc = generate(l, seed, answers, &e);
	if (!rc) {
		if (check) {
			rc = check_answers(l, seed, &e, check);
		} else {
			if (!answers)
				lab_say(&e, "\nWrite your answers in a file as the "
					"'N: VALUE' lines above and grade them with\n"
					"  kmemlab lab %s -s %llu --check FILE\n",
					l->name, (unsigned long long)seed);
			fputs(e.text.data, stdout);
		}
	}
	lab_ex_free(&e);
out:
	free(labs);
	fflush(stdout);
	return rc;
}
