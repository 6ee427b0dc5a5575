/*
 * cmd_mmap.c - the address-space system calls of mm/mmap.c, mprotect.c
 * and mremap.c, one command each:
 *
 *   mmap PID LEN [PROT] [FLAGS] [FILE [OFFSET]] [@ADDR]
 *   munmap PID ADDR LEN
 *   brk PID [ADDR|+DELTA|-DELTA]
 *   mprotect PID ADDR LEN PROT
 *   mremap PID ADDR OLDLEN NEWLEN [maymove] [fixed @NEWADDR]
 *
 * PROT is ls-like (rw-, r-x, rwx, ---), letters alone (rw, rx), none, or
 * PROT_* names joined with '|'.  FLAGS are words joined with '|' or ','
 * (private, shared, anon, fixed, locked, noreserve, growsdown) or MAP_*
 * names.  mmap and mremap push the address they return as the next $N,
 * so `fault 2 $` and `munmap 2 $1 4k` work.  The engine validates the
 * rest (alignment, ranges, overcommit) and leaves the task as it was when
 * it refuses.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <string.h>

#include "cli.h"

/* ------------------------------------------------------------------ */
/* PROT and FLAGS words                                                */
/* ------------------------------------------------------------------ */

static const struct {
	const char *name;
	unsigned bits;
} prot_names[] = {
	{ "PROT_NONE", KMEM_PROT_NONE }, { "PROT_READ", KMEM_PROT_READ },
	{ "PROT_WRITE", KMEM_PROT_WRITE }, { "PROT_EXEC", KMEM_PROT_EXEC },
};

static const struct {
	const char *word;       /* the short word */
	const char *name;       /* the MAP_ name */
	unsigned bits;
} map_names[] = {
	{ "private", "MAP_PRIVATE", KMEM_MAP_PRIVATE },
	{ "shared", "MAP_SHARED", KMEM_MAP_SHARED },
	{ "anon", "MAP_ANONYMOUS", KMEM_MAP_ANONYMOUS },
	{ "anonymous", "MAP_ANON", KMEM_MAP_ANONYMOUS },
	{ "fixed", "MAP_FIXED", KMEM_MAP_FIXED },
	{ "locked", "MAP_LOCKED", KMEM_MAP_LOCKED },
	{ "noreserve", "MAP_NORESERVE", KMEM_MAP_NORESERVE },
	{ "growsdown", "MAP_GROWSDOWN", KMEM_MAP_GROWSDOWN },
	{ "denywrite", "MAP_DENYWRITE", KMEM_MAP_DENYWRITE },
	{ "executable", "MAP_EXECUTABLE", KMEM_MAP_EXECUTABLE },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* "rw-", "r-x", "rw", "none", "PROT_READ|PROT_WRITE": 0, or -1. */
static int parse_prot(const char *w, unsigned *prot)
{
	size_t n = strlen(w);

	*prot = 0;
	if (!strcmp(w, "none") || !strcmp(w, "---"))
		return 0;
	if (!strncmp(w, "PROT_", 5)) {
		const char *p = w;
		while (*p) {
			size_t l = strcspn(p, "|");
			bool found = false;
			for (size_t i = 0; i < ARRAY_LEN(prot_names); i++)
				if (strlen(prot_names[i].name) == l &&
				    !strncmp(p, prot_names[i].name, l)) {
					*prot |= prot_names[i].bits;
					found = true;
				}
			if (!found || !l)
				return -1;
			p += l;
			if (*p == '|' && !*++p)
				return -1;
		}
		return 0;
	}
	if (n == 3 && strchr(w, '-')) {         /* ls-like, positional */
		static const char pos[] = "rwx";
		for (int i = 0; i < 3; i++) {
			if (w[i] == pos[i])
				*prot |= 1u << i;
			else if (w[i] != '-')
				return -1;
		}
		return 0;
	}
	/* letters alone, in rwx order: r, rw, rx, rwx, w, wx, x */
	static const char rwx[] = "rwx";
	const char *order = rwx;
	if (!n || n > 3)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *at = strchr(order, w[i]);
		if (!at || !*at)
			return -1;
		*prot |= 1u << (at - rwx);
		order = at + 1;
	}
	return 0;
}

static int arg_prot(struct session *s, const char *w, unsigned *prot)
{
	if (parse_prot(w, prot))
		return sess_error(s, "%s: bad protection '%s': rw-, r-x, rwx, "
				  "none, or PROT_READ|PROT_WRITE|PROT_EXEC",
				  s->cur.word, w);
	return 0;
}

/* "private", "shared|fixed", "anon,fixed", "MAP_SHARED|MAP_FIXED". */
static int parse_map_flags(const char *w, unsigned *flags)
{
	const char *p = w;

	*flags = 0;
	if (!*w)
		return -1;
	while (*p) {
		size_t l = strcspn(p, "|,");
		bool found = false;
		for (size_t i = 0; i < ARRAY_LEN(map_names) && l; i++)
			if ((strlen(map_names[i].word) == l &&
			     !strncmp(p, map_names[i].word, l)) ||
			    (strlen(map_names[i].name) == l &&
			     !strncmp(p, map_names[i].name, l))) {
				*flags |= map_names[i].bits;
				found = true;
			}
		if (!found)
			return -1;
		p += l;
		if (*p && !*++p)
			return -1;
	}
	return 0;
}

static void format_map_flags(unsigned flags, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_LEN(map_names); i++) {
		if (!(flags & map_names[i].bits) || !strcmp(map_names[i].word,
							    "anonymous"))
			continue;
		off += (size_t)snprintf(buf + off, off < len ? len - off : 0,
					"%s%s", off ? "|" : "",
					map_names[i].name);
	}
}

static void format_prot(unsigned prot, char *p)
{
	p[0] = prot & KMEM_PROT_READ ? 'r' : '-';
	p[1] = prot & KMEM_PROT_WRITE ? 'w' : '-';
	p[2] = prot & KMEM_PROT_EXEC ? 'x' : '-';
	p[3] = '\0';
}

/* A length as the mapping holds it: whole pages, in kB. */
static uint64_t page_kb(uint64_t len)
{
	return ((len + 4095) & ~(uint64_t)4095) >> 10;
}

/* A new user address: the next $N, bound by NAME = ..., printed. */
static void user_value_made(struct session *s, uint64_t addr, int pid,
			    const char *what)
{
	size_t idx = value_push_user(s, addr, pid);
	char lb[96], ab[24];

	if (s->cur.assign) {
		value_bind(s, s->cur.assign, idx);
		s->cur.bound = true;
	}
	json_hex(s, "addr", addr);
	if (sess_json(s)) {
		char hb[24];
		snprintf(hb, sizeof hb, "$%zu", idx + 1);
		json_str(s, "handle", hb);
	}
	if (sess_text(s))
		sess_printf(s, "%s = %s (pid %d: %s)\n",
			    value_label(s, idx, lb, sizeof lb),
			    uaddr_str(s, addr, ab, sizeof ab), pid, what);
}

/* ------------------------------------------------------------------ */
/* mmap, munmap                                                        */
/* ------------------------------------------------------------------ */

static int run_mmap(struct session *s, int argc, char **argv)
{
	uint64_t len, addr = 0, offset = 0, out;
	unsigned prot = KMEM_PROT_READ | KMEM_PROT_WRITE, flags = 0, f;
	bool have_prot = false, have_addr = false, have_off = false;
	const char *file = NULL;
	int pid;

	if (arg_pid(s, argv[1], &pid) || arg_size(s, argv[2], "length", &len))
		return -1;
	for (int i = 3; i < argc; i++) {
		const char *w = argv[i];
		if (w[0] == '@') {
			if (have_addr)
				return sess_error(s, "mmap: two addresses (%s)", w);
			if (arg_uaddr(s, w + 1, &addr))
				return -1;
			have_addr = true;
		} else if (!parse_prot(w, &f)) {
			if (have_prot)
				return sess_error(s, "mmap: two protections ('%s')",
						  w);
			prot = f;
			have_prot = true;
		} else if (!strncmp(w, "PROT_", 5)) {
			return arg_prot(s, w, &f);
		} else if (!parse_map_flags(w, &f)) {
			flags |= f;
		} else if (!strncmp(w, "MAP_", 4) || strchr(w, '|')) {
			return sess_error(s, "mmap: bad flags '%s': private, shared, "
					  "anon, fixed, locked, noreserve, growsdown "
					  "or MAP_* names, joined with | or ,", w);
		} else if (!file && w[0] >= '0' && w[0] <= '9') {
			return sess_error(s, "mmap: '%s' is a number where FILE or "
					  "PROT/FLAGS were expected (usage: %s)", w,
					  cmd_mmap.usage);
		} else if (!file) {
			struct kmem_file_info fi;
			if (kmem_file_info(s->m, w, &fi) || fi.deleted)
				return sess_error(s, "mmap: '%s' is no file (file ls "
						  "lists them), nor a PROT (rw-, "
						  "r-x, none ...) or FLAGS word "
						  "(private, shared, anon, fixed "
						  "...)", w);
			file = w;
		} else if (!have_off) {
			if (arg_size(s, w, "offset", &offset))
				return -1;
			have_off = true;
		} else {
			return sess_error(s, "mmap: unexpected '%s' (usage: %s)", w,
					  cmd_mmap.usage);
		}
	}
	if ((flags & KMEM_MAP_FIXED) && !have_addr)
		return sess_error(s, "mmap: fixed needs @ADDR");
	if (file && (flags & KMEM_MAP_ANONYMOUS))
		return sess_error(s, "mmap: anon mapping of a FILE ('%s')", file);
	if (!(flags & (KMEM_MAP_SHARED | KMEM_MAP_PRIVATE)))
		flags |= KMEM_MAP_PRIVATE;
	if (!file)
		flags |= KMEM_MAP_ANONYMOUS;
	if (kmem_mmap(s->m, pid, addr, len, prot, flags, file, offset, &out))
		return sess_error(s, "%s", kmem_last_error(s->m));
	char what[160], pb[4], fb[96];
	format_prot(prot, pb);
	format_map_flags(flags, fb, sizeof fb);
	if (file)
		snprintf(what, sizeof what, "%llu kB %s %s of %s at offset %llu",
			 (unsigned long long)page_kb(len), pb, fb, file,
			 (unsigned long long)offset);
	else
		snprintf(what, sizeof what, "%llu kB %s %s",
			 (unsigned long long)page_kb(len), pb, fb);
	json_i64(s, "pid", pid);
	json_u64(s, "len", len);
	json_str(s, "prot", pb);
	json_str(s, "flags", fb);
	if (file)
		json_str(s, "file", file);
	user_value_made(s, out, pid, what);
	return 0;
}

static int run_munmap(struct session *s, int argc, char **argv)
{
	uint64_t addr, len;
	int pid;
	char ab[24];

	if (arg_pid(s, argv[1], &pid) || arg_uaddr(s, argv[2], &addr) ||
	    arg_size(s, argv[3], "length", &len))
		return -1;
	if (kmem_munmap(s->m, pid, addr, len))
		return sess_error(s, "%s", kmem_last_error(s->m));
	/* $N values that pointed at the start of the range are gone */
	for (size_t i = 0; i < s->nvalues; i++) {
		struct value *v = &s->values[i];
		if (v->kind == VAL_USER && v->cache == pid && !v->freed &&
		    v->addr >= addr && v->addr - addr < len)
			value_mark_freed(s, i);
	}
	json_i64(s, "pid", pid);
	json_hex(s, "addr", addr);
	json_u64(s, "len", len);
	if (sess_text(s))
		sess_printf(s, "pid %d: unmapped %s+0x%llx\n", pid,
			    uaddr_str(s, addr, ab, sizeof ab),
			    (unsigned long long)len);
	return 0;
}

/* ------------------------------------------------------------------ */
/* brk, mprotect, mremap                                               */
/* ------------------------------------------------------------------ */

static int run_brk(struct session *s, int argc, char **argv)
{
	struct kmem_task_info t;
	uint64_t want, out, delta;
	int pid;
	char a[24], b[24], c[24];

	if (arg_pid(s, argv[1], &pid))
		return -1;
	kmem_task_info(s->m, pid, &t);
	if (argc == 2) {
		json_hex(s, "start_brk", t.start_brk);
		json_hex(s, "brk", t.brk);
		if (sess_text(s))
			sess_printf(s, "pid %d: brk %s (heap from %s, %llu bytes)\n",
				    pid, uaddr_str(s, t.brk, a, sizeof a),
				    uaddr_str(s, t.start_brk, b, sizeof b),
				    (unsigned long long)(t.brk - t.start_brk));
		return 0;
	}
	const char *w = argv[2];
	if (w[0] == '+' || w[0] == '-') {
		if (arg_size(s, w + 1, "brk increment", &delta))
			return -1;
		if (w[0] == '-' && delta > t.brk)
			return sess_error(s, "brk: %s would go below address 0", w);
		want = w[0] == '+' ? t.brk + delta : t.brk - delta;
	} else if (arg_uaddr(s, w, &want)) {
		return -1;
	}
	if (kmem_brk(s->m, pid, want, &out))
		return sess_error(s, "%s", kmem_last_error(s->m));
	json_hex(s, "start_brk", t.start_brk);
	json_hex(s, "old_brk", t.brk);
	json_hex(s, "brk", out);
	if (sess_text(s))
		sess_printf(s, "pid %d: brk %s -> %s (heap from %s)\n", pid,
			    uaddr_str(s, t.brk, a, sizeof a),
			    uaddr_str(s, out, b, sizeof b),
			    uaddr_str(s, t.start_brk, c, sizeof c));
	return 0;
}

static int run_mprotect(struct session *s, int argc, char **argv)
{
	uint64_t addr, len;
	unsigned prot;
	int pid;
	char ab[24], pb[4];

	if (arg_pid(s, argv[1], &pid) || arg_uaddr(s, argv[2], &addr) ||
	    arg_size(s, argv[3], "length", &len) || arg_prot(s, argv[4], &prot))
		return -1;
	if (kmem_mprotect(s->m, pid, addr, len, prot))
		return sess_error(s, "%s", kmem_last_error(s->m));
	format_prot(prot, pb);
	json_i64(s, "pid", pid);
	json_hex(s, "addr", addr);
	json_u64(s, "len", len);
	json_str(s, "prot", pb);
	if (sess_text(s))
		sess_printf(s, "pid %d: %s+0x%llx is now %s\n", pid,
			    uaddr_str(s, addr, ab, sizeof ab),
			    (unsigned long long)len, pb);
	return 0;
}

static int run_mremap(struct session *s, int argc, char **argv)
{
	uint64_t addr, old_len, new_len, new_addr = 0, out;
	unsigned flags = 0;
	bool have_addr = false;
	int pid;
	char what[96], ab[24];

	if (arg_pid(s, argv[1], &pid) || arg_uaddr(s, argv[2], &addr) ||
	    arg_size(s, argv[3], "old length", &old_len) ||
	    arg_size(s, argv[4], "new length", &new_len))
		return -1;
	for (int i = 5; i < argc; i++) {
		const char *w = argv[i];
		if (!strcmp(w, "maymove") || !strcmp(w, "MREMAP_MAYMOVE"))
			flags |= KMEM_MREMAP_MAYMOVE;
		else if (!strcmp(w, "fixed") || !strcmp(w, "MREMAP_FIXED"))
			flags |= KMEM_MREMAP_FIXED;
		else if (w[0] == '@' && !have_addr) {
			if (arg_uaddr(s, w + 1, &new_addr))
				return -1;
			have_addr = true;
		} else
			return sess_error(s, "mremap: unexpected '%s': maymove, "
					  "fixed or @NEWADDR (usage: %s)", w,
					  cmd_mremap.usage);
	}
	if ((flags & KMEM_MREMAP_FIXED) && !have_addr)
		return sess_error(s, "mremap: fixed needs @NEWADDR");
	if (have_addr && !(flags & KMEM_MREMAP_FIXED))
		return sess_error(s, "mremap: @NEWADDR needs fixed (and maymove)");
	if (kmem_mremap(s->m, pid, addr, old_len, new_len, flags, new_addr,
			&out))
		return sess_error(s, "%s", kmem_last_error(s->m));
	if (out != addr)        /* the old addresses are gone */
		for (size_t i = 0; i < s->nvalues; i++) {
			struct value *v = &s->values[i];
			if (v->kind == VAL_USER && v->cache == pid && !v->freed &&
			    v->addr >= addr && v->addr - addr < old_len)
				value_mark_freed(s, i);
		}
	json_i64(s, "pid", pid);
	json_hex(s, "old_addr", addr);
	json_u64(s, "old_len", old_len);
	json_u64(s, "new_len", new_len);
	json_bool(s, "moved", out != addr);
	if (out != addr)
		snprintf(what, sizeof what, "moved from %s, now %llu kB",
			 uaddr_str(s, addr, ab, sizeof ab),
			 (unsigned long long)page_kb(new_len));
	else
		snprintf(what, sizeof what, "%s in place, now %llu kB",
			 new_len >= old_len ? "grown" : "shrunk",
			 (unsigned long long)page_kb(new_len));
	user_value_made(s, out, pid, what);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Completion and table entries                                        */
/* ------------------------------------------------------------------ */

static void complete_prot_words(struct completion *c)
{
	static const char *const w[] = { "rw-", "r--", "r-x", "rwx", "---",
					 "none" };
	const char *bar = strrchr(c->word, '|');
	char buf[128];

	for (size_t i = 0; i < ARRAY_LEN(w) && !bar; i++)
		compl_add(c, w[i]);
	size_t lead = bar ? (size_t)(bar - c->word) + 1 : 0;
	if (lead >= sizeof buf - 16)
		return;
	memcpy(buf, c->word, lead);
	for (size_t i = 0; i < ARRAY_LEN(prot_names); i++) {
		snprintf(buf + lead, sizeof buf - lead, "%s", prot_names[i].name);
		compl_add(c, buf);
	}
}

static void complete_flag_words(struct completion *c)
{
	const char *sep = strpbrk(c->word, "|,");
	const char *last = c->word;
	char buf[128];

	for (const char *p = sep; p; p = strpbrk(p + 1, "|,"))
		last = p + 1;
	size_t lead = sep ? (size_t)(last - c->word) : 0;
	if (lead >= sizeof buf - 16)
		return;
	memcpy(buf, c->word, lead);
	for (size_t i = 0; i < ARRAY_LEN(map_names); i++) {
		snprintf(buf + lead, sizeof buf - lead, "%s", map_names[i].word);
		compl_add(c, buf);
		snprintf(buf + lead, sizeof buf - lead, "%s", map_names[i].name);
		compl_add(c, buf);
	}
}

static void complete_mmap(struct session *s, int argi, char **argv,
			  struct completion *c)
{
	if (argi == 1) {
		complete_pids(s, c);
	} else if (argi >= 3) {
		complete_prot_words(c);
		complete_flag_words(c);
		complete_files(s, c);
	}
}

static void complete_pid_addr(struct session *s, int argi, char **argv,
			      struct completion *c)
{
	if (argi == 1)
		complete_pids(s, c);
	else if (argi == 2)
		complete_values(s, c);
}

static void complete_brk(struct session *s, int argi, char **argv,
			 struct completion *c)
{
	if (argi == 1)
		complete_pids(s, c);
}

static void complete_mprotect(struct session *s, int argi, char **argv,
			      struct completion *c)
{
	if (argi == 4)
		complete_prot_words(c);
	else
		complete_pid_addr(s, argi, argv, c);
}

static void complete_mremap(struct session *s, int argi, char **argv,
			    struct completion *c)
{
	if (argi >= 5) {
		compl_add(c, "maymove");
		compl_add(c, "fixed");
	} else {
		complete_pid_addr(s, argi, argv, c);
	}
}

const struct command cmd_mmap = {
	.name = "mmap",
	.usage = "mmap PID LEN [PROT] [FLAGS] [FILE [OFFSET]] [@ADDR]",
	.summary = "map anonymous memory or a file into a task (do_mmap_pgoff)",
	.example = "mmap 2 64k rw- private",
	.detail = "PROT: rw- (the default), r--, r-x, rwx, none, letters alone "
		  "(rw, rx) or PROT_READ|PROT_WRITE|PROT_EXEC.  FLAGS: private "
		  "(the default), shared, anon, fixed, locked, noreserve, "
		  "growsdown, joined with | or , (private,fixed), or MAP_* "
		  "names.  FILE is the first other word (a file from `file "
		  "create`); without one the mapping is anonymous, and `shared` "
		  "then makes a shmem object.  OFFSET (bytes, page aligned) "
		  "follows FILE.  @ADDR is a hint, or with `fixed` the exact "
		  "place (MAP_FIXED unmaps what was there).  The address "
		  "returned becomes the next $N.  vm.overcommit_memory decides "
		  "whether the commit charge is allowed (Committed_AS in "
		  "meminfo).",
	.family = FAM_TASK,
	.min_args = 2, .max_args = 7,
	.flags = CMD_VALUE | CMD_MUTATES,
	.run = run_mmap,
	.complete = complete_mmap,
};

const struct command cmd_munmap = {
	.name = "munmap",
	.usage = "munmap PID ADDR LEN",
	.summary = "unmap a range of a task (do_munmap): vmas split or go",
	.example = "munmap 2 $1 4k",
	.detail = "ADDR must be page aligned; LEN is rounded up to pages.  A vma "
		  "partly inside the range is split (split_vma) and the pages "
		  "unmapped; unmapping nothing is not an error, as in Linux.",
	.family = FAM_TASK,
	.min_args = 3, .max_args = 3,
	.flags = CMD_MUTATES,
	.run = run_munmap,
	.complete = complete_pid_addr,
};

const struct command cmd_brk = {
	.name = "brk",
	.usage = "brk PID [ADDR|+DELTA|-DELTA]",
	.summary = "move a task's program break (sys_brk); no argument: show it",
	.example = "brk 2 +16k",
	.detail = "Growing extends the heap vma (or makes one) up to the new "
		  "break rounded to a page; shrinking unmaps the pages above it.  "
		  "The break cannot go below the end of the data segment nor "
		  "into the next mapping (a guard page is kept).",
	.family = FAM_TASK,
	.min_args = 1, .max_args = 2,
	.flags = CMD_MUTATES,
	.run = run_brk,
	.complete = complete_brk,
};

const struct command cmd_mprotect = {
	.name = "mprotect",
	.usage = "mprotect PID ADDR LEN PROT",
	.summary = "change the protection of a range (vmas split or merge)",
	.example = "mprotect 2 $1 4k r--",
	.detail = "PROT as for mmap.  The whole range must be mapped; a vma "
		  "partly inside it is split, and neighbours with equal flags "
		  "merge again (vma_merge).  Making a shared file mapping "
		  "writable needs the file's write permission (VM_MAYWRITE).",
	.family = FAM_TASK,
	.min_args = 4, .max_args = 4,
	.flags = CMD_MUTATES,
	.run = run_mprotect,
	.complete = complete_mprotect,
};

const struct command cmd_mremap = {
	.name = "mremap",
	.usage = "mremap PID ADDR OLDLEN NEWLEN [maymove] [fixed @NEWADDR]",
	.summary = "grow, shrink or move a mapping (sys_mremap)",
	.example = "mremap 2 $1 64k 128k maymove",
	.detail = "Shrinking unmaps the tail.  Growing extends the vma in place "
		  "when the addresses above are free; otherwise, with maymove, "
		  "the vma moves (move_page_tables carries the PTEs, the pages "
		  "stay).  fixed @NEWADDR (with maymove) moves it there.  The "
		  "resulting address becomes the next $N.",
	.family = FAM_TASK,
	.min_args = 4, .max_args = 7,
	.flags = CMD_VALUE | CMD_MUTATES,
	.run = run_mremap,
	.complete = complete_mremap,
};
