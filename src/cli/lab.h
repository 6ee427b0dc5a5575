/*
 * lab.h - the teaching labs: the runner (lab.c) and the exercise
 * generators (lab_gen.c).
 *
 * A lab is a directory under the lab directory (scripts/labs in the
 * source tree, $(PREFIX)/share/kmemlab/labs once installed, or
 * $KMEMLAB_LABDIR):
 *
 *   NAME/lab.conf      title, number, machine, exercise-machine,
 *                      allocator, generator ("key: value" lines)
 *   NAME/intro.txt     the introduction, printed before the guided part
 *   NAME/guided.kmem   the guided part: echo narration, trace, expect
 *   NAME/exercise.txt  what the generated exercises ask (for teachers)
 *
 * A generator is a C function that drives a machine through a lab_ex:
 * every step it takes is a command run on the engine and printed, and
 * every question is a query (query.c) evaluated at that point, so the
 * answers are the engine's.  The same seed gives the same exercise.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#ifndef KMEMLAB_LAB_H
#define KMEMLAB_LAB_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"

#define LAB_MAX_QUESTIONS 16

struct lab_question {
	char query[160];        /* what the answer is: a query at that point */
	struct qval answer;     /* its value then */
	char shown[256];        /* the answer formatted */
};

/* An exercise being generated. */
struct lab_ex {
	struct session *s;      /* the machine the steps run on */
	const char *dir;        /* the lab's directory (machine files) */
	uint64_t rng;           /* splitmix64 state */
	struct kbuf text;       /* the exercise as printed */
	struct kbuf out;        /* output captured by lab_show */
	bool answers;           /* -c: print the answers in place of ? */
	unsigned step;          /* steps printed so far */
	struct lab_question q[LAB_MAX_QUESTIONS];
	unsigned nq;            /* questions asked */
	char err[512];          /* first failure: a generator bug */
};

/* 0 .. n-1, from the seeded generator (n > 0). */
uint64_t lab_rand(struct lab_ex *e, uint64_t n);
/* Boot machine (a preset, or a file in the lab's directory) with
 * allocator "slab", "slob" or NULL (the machine's own), and say so. */
int lab_boot(struct lab_ex *e, const char *machine, const char *allocator);
/* Text of the exercise, as is. */
void lab_say(struct lab_ex *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Run a command as the next numbered step ("  3. a = alloc_pages 2");
 * -1 (and e->err) if it fails: generators only take steps that work. */
int lab_step(struct lab_ex *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Run a command silently (set-up the student is told about in words). */
int lab_quiet(struct lab_ex *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Run a command and print its output, indented (context). */
int lab_show(struct lab_ex *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Ask a question whose answer is query, evaluated now. */
int lab_ask(struct lab_ex *e, const char *query, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Read a number now, for the generator's own decisions. */
int lab_num(struct lab_ex *e, const char *query, uint64_t *out);

typedef int lab_gen_fn(struct lab_ex *e);
struct lab_generator {
	const char *name;       /* lab.conf's "generator:" */
	lab_gen_fn *fn;         /* builds the exercise */
};
extern const struct lab_generator lab_generators[];

/* `kmemlab lab ...` (argv[0] is "lab"): exit status. */
int lab_main(int argc, char **argv);

#endif /* KMEMLAB_LAB_H */
