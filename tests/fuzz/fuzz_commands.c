/*
 * fuzz_commands.c - libFuzzer target over the command executor: the input
 * is split into lines and each runs as a command on a fresh `tiny` machine
 * with the invariant checker on.  Any crash, sanitizer report or broken
 * invariant (abort) is a finding.  Host files are off (SESS_SANDBOX), so
 * `source /dev/stdin` cannot block the fuzzer.
 *
 *   make fuzz FUZZ_SECONDS=60
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

#define MAX_INPUT 8192          /* longer inputs only slow the search */
#define MAX_LINES 128           /* commands per input */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Output is not interesting here; only crashes and invariants are. */
static void discard(void *ctx, enum sess_stream stream, const char *text,
		    size_t len)
{
	(void)ctx;
	(void)stream;
	(void)text;
	(void)len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[1024];
	char report[512];
	unsigned lines = 0;

	if (size > MAX_INPUT)
		return 0;
	struct session *s = session_new_quiet("tiny");
	if (!s)
		abort();
	session_set_sink(s, discard, NULL);
	/* the check below aborts; the session's own --check would only
	 * repeat it */
	session_set_flags(s, SESS_QUIET | SESS_SANDBOX);

	size_t i = 0;
	while (i < size && lines < MAX_LINES && !session_stopped(s)) {
		size_t n = 0;
		while (i < size && data[i] != '\n') {
			/* an embedded NUL ends the line, as it would in C */
			if (n < sizeof line - 1)
				line[n++] = data[i] ? (char)data[i] : '\n';
			i++;
		}
		i++;
		line[n] = '\0';
		char *nul = strchr(line, '\n');
		if (nul)
			*nul = '\0';
		session_execute_line(s, line);
		lines++;
		if (!kmem_check(session_machine(s), report, sizeof report)) {
			fprintf(stderr, "invariant broken after line %u: %s\n",
				lines, report);
			abort();
		}
	}
	session_free(s);
	return 0;
}
