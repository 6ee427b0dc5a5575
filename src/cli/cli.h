/*
 * cli.h - what the files of src/cli share: the session structure, the
 * command table entry, the tokenizer, argument helpers, the value history
 * and the output functions.  Nothing outside src/cli includes this; other
 * front ends use session.h.
 *
 * A command is a table entry (STYLE §3).  Its handler gets the session and
 * argv (argv[0] is the command name as found in the table), parses its
 * arguments with the arg_* helpers, makes one engine call and renders the
 * result with sess_printf / the json_* writers.  Handlers return 0, or the
 * -1 that sess_error() returns after printing the one-line message.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#ifndef KMEMLAB_CLI_H
#define KMEMLAB_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kmem.h"
#include "kmem_config.h"
#include "session.h"
#include "tui.h"

#define KMEMLAB_VERSION   "0.1"
#define MAX_ARGS          32    /* words after the command name */
#define MAX_SOURCE_DEPTH  16    /* nested `source` */
#define HISTORY_MAX       1000  /* command lines kept for `history` */
#define JSON_MAX_DEPTH    16    /* nesting of the JSON writer */

/* ------------------------------------------------------------------ */
/* Command table                                                       */
/* ------------------------------------------------------------------ */

/* The groups `help` lists commands under, in this order. */
enum cmd_family {
	FAM_PAGE,               /* page allocator */
	FAM_PROC,               /* /proc */
	FAM_SHOW,               /* inspection */
	FAM_SLAB,               /* object allocators */
	FAM_VM,                 /* vmalloc, highmem */
	FAM_TASK,               /* processes, address spaces, faults */
	FAM_FILE,               /* files and the page cache */
	FAM_SWAP,               /* swap devices */
	FAM_MACHINE,            /* machine controls */
	FAM_EXPLAIN,            /* trace and explain */
	FAM_SESSION,            /* help, source, history ... */
	NR_FAMILIES,
};

struct session;
/* Offer candidates for argument argi (1 = first after the name); argv
 * holds the words before it (argv[0] the command). */
typedef void complete_fn(struct session *s, int argi, char **argv,
			 struct completion *c);

#define CMD_VALUE    0x01u      /* produces a value: `NAME = cmd` allowed */
#define CMD_REDIRECT 0x02u      /* accepts `> /proc/FILE` */
#define CMD_RAW      0x04u      /* argv[1] is the rest of the line, unparsed */
#define CMD_MUTATES  0x08u      /* may change the machine */

struct command {
	const char *name;       /* "alloc_pages" */
	const char *usage;      /* "alloc_pages [GFP] ORDER" */
	const char *summary;    /* one line for help and completion */
	const char *example;    /* a line that works on the tiny machine */
	const char *detail;     /* a paragraph for `help CMD` and the man page */
	enum cmd_family family; /* group in `help` */
	int min_args;           /* fewest words after the name */
	int max_args;           /* most words after the name; -1 = no limit */
	unsigned flags;         /* CMD_* */
	int (*run)(struct session *s, int argc, char **argv);
	complete_fn *complete;  /* argument completion, may be NULL */
};

/* The one sorted table (command.c) and the `show` subcommands (cmd_show.c). */
extern const struct command *const command_table[];
extern const size_t command_count;
extern const struct command *const show_table[];
extern const size_t show_count;

/*
 * Find word in a sorted table: exact name, then a unique prefix.  On
 * failure writes "ambiguous command: al, could be: ..." or "unknown
 * command 'x' (did you mean 'y'?)" to err (what names the kind: "command",
 * "show subcommand") and returns NULL.
 */
const struct command *command_lookup(const struct command *const *table,
				     size_t n, const char *word,
				     const char *what, char *err,
				     size_t errlen);
const char *family_title(enum cmd_family f);

/* Define a command's table entry beside its handler. */
#define DEFINE_CMD(fam, n, u, sm, ex, dt, lo, hi, fl, fn) \
	const struct command cmd_##n = { .name = #n, .usage = u, \
		.summary = sm, .example = ex, .detail = dt, .family = fam, \
		.min_args = lo, .max_args = hi, .flags = fl, .run = fn }

/* Every command's entry, declared where the handler lives. */
#define DECLARE_CMD(n) extern const struct command cmd_##n
DECLARE_CMD(__free_page); DECLARE_CMD(__free_pages);
DECLARE_CMD(__get_dma_pages); DECLARE_CMD(__get_free_page);
DECLARE_CMD(__get_free_pages); DECLARE_CMD(alloc_page);
DECLARE_CMD(alloc_pages); DECLARE_CMD(alloc_pages_node);
DECLARE_CMD(cat); DECLARE_CMD(check); DECLARE_CMD(cpu); DECLARE_CMD(dmesg);
DECLARE_CMD(drain_pages); DECLARE_CMD(echo); DECLARE_CMD(exit);
DECLARE_CMD(explain); DECLARE_CMD(free); DECLARE_CMD(free_page);
DECLARE_CMD(free_pages); DECLARE_CMD(get_zeroed_page); DECLARE_CMD(help);
DECLARE_CMD(history); DECLARE_CMD(ls); DECLARE_CMD(map); DECLARE_CMD(print);
DECLARE_CMD(quit); DECLARE_CMD(reset); DECLARE_CMD(seed); DECLARE_CMD(show);
DECLARE_CMD(source); DECLARE_CMD(tick); DECLARE_CMD(trace);
DECLARE_CMD(dump); DECLARE_CMD(kfree); DECLARE_CMD(kmalloc);
DECLARE_CMD(kmalloc_node); DECLARE_CMD(kmem_cache_alloc);
DECLARE_CMD(kmem_cache_create); DECLARE_CMD(kmem_cache_destroy);
DECLARE_CMD(kmem_cache_free); DECLARE_CMD(kmem_cache_shrink);
DECLARE_CMD(ksize); DECLARE_CMD(kzalloc); DECLARE_CMD(memset);
DECLARE_CMD(whatis);
DECLARE_CMD(vmalloc); DECLARE_CMD(vmalloc_32); DECLARE_CMD(vmalloc_user);
DECLARE_CMD(vmalloc_node); DECLARE_CMD(vfree); DECLARE_CMD(vmap);
DECLARE_CMD(vunmap); DECLARE_CMD(ioremap); DECLARE_CMD(iounmap);
DECLARE_CMD(kmap); DECLARE_CMD(kunmap); DECLARE_CMD(kmap_atomic);
DECLARE_CMD(kunmap_atomic);
extern const struct command show_vmlist_entry, show_pkmap_entry,
	show_layout_entry, show_pagetable_entry;
/* `show cache` and `show slob` live in cmd_slab.c */
extern const struct command show_cache_entry, show_slob_entry;
DECLARE_CMD(play); DECLARE_CMD(tui);
DECLARE_CMD(expect);
DECLARE_CMD(access); DECLARE_CMD(kswapd); DECLARE_CMD(lru_add_drain);
DECLARE_CMD(reclaim); DECLARE_CMD(sync); DECLARE_CMD(disk); DECLARE_CMD(migrate_pages); DECLARE_CMD(stress);
extern const struct command show_lru_entry, show_writeback_entry;
DECLARE_CMD(oom); DECLARE_CMD(run); DECLARE_CMD(nice); DECLARE_CMD(setuid);
DECLARE_CMD(mempool_create); DECLARE_CMD(mempool_alloc);
DECLARE_CMD(mempool_free); DECLARE_CMD(mempool_resize);
DECLARE_CMD(mempool_destroy);
extern const struct command show_mempool_entry;
/* processes and address spaces (cmd_task.c, cmd_mmap.c), files (cmd_file.c) */
DECLARE_CMD(spawn); DECLARE_CMD(fork); DECLARE_CMD(kill); DECLARE_CMD(ps);
DECLARE_CMD(fault); DECLARE_CMD(touch); DECLARE_CMD(mmap);
DECLARE_CMD(munmap); DECLARE_CMD(brk); DECLARE_CMD(mprotect);
DECLARE_CMD(mremap); DECLARE_CMD(file); DECLARE_CMD(read);
DECLARE_CMD(write); DECLARE_CMD(fsync);
extern const struct command show_vma_entry, show_file_entry;
DECLARE_CMD(swapon); DECLARE_CMD(swapoff); DECLARE_CMD(swapout);
DECLARE_CMD(swap_token);
/* `show swap` lives in cmd_swap.c */
extern const struct command show_swap_entry;
/* `show timeline` lives in cmd_timeline.c */
extern const struct command show_timeline_entry;
#undef DECLARE_CMD

/* Shared completers. */
complete_fn complete_gfp_arg;   /* a GFP mask at any position */
complete_fn complete_value_arg; /* $N, $name, names */
complete_fn complete_zone_arg;  /* zone names */
complete_fn complete_command_arg; /* command names (help, explain) */
void complete_gfp(struct session *s, struct completion *c);
void complete_values(struct session *s, struct completion *c);
void complete_zones(struct session *s, struct completion *c);
void complete_proc(struct session *s, struct completion *c);
void complete_pids(struct session *s, struct completion *c);  /* live pids */
void complete_files(struct session *s, struct completion *c); /* file names */

/* Processes (cmd_task.c).  arg_pid accepts a live pid only ("CMD: no
 * process with pid N"); arg_uaddr a user address: a number or a $N made
 * by mmap/mremap. */
int arg_pid(struct session *s, const char *word, int *pid);
int arg_uaddr(struct session *s, const char *word, uint64_t *addr);
/* `exit PID` (cmd_session.c hands it over). */
int task_exit(struct session *s, const char *word);
/* `show pagetable PID ADDR` (cmd_vm.c hands it over). */
int show_user_pagetable(struct session *s, const char *pid_word,
			const char *addr_word);
/* "0x08048000" at the width of the arch's user addresses. */
const char *uaddr_str(const struct session *s, uint64_t a, char *buf,
		      size_t len);

/* ------------------------------------------------------------------ */
/* Tokenizer (parse.c)                                                 */
/* ------------------------------------------------------------------ */

/*
 * A command line, cut in place:
 *   [NAME =] WORD ARGS...          shell-like words, '...' and "..." quotes,
 *                                  backslash escapes, # comments, a bare
 *                                  '|' joins its neighbours (GFP masks)
 *   [NAME =] WORD(ARG, ARG...)[;]  the C-call form, same meaning
 *   ... > PATH                     redirection (echo only)
 */
struct cmdline {
	char *assign;           /* NAME of "NAME = ...", or NULL */
	char *word;             /* the command word, NULL on a blank line */
	char *rest;             /* what follows the word, not yet split */
	bool call;              /* the C-call form: '(' follows the word */
	int argc;               /* argv[0] = word */
	char *argv[MAX_ARGS + 2];
	char *redirect;         /* PATH of "> PATH", or NULL */
	char wordbuf[64];       /* the word, when it could not be cut in place */
};

/* Phase 1: assignment and command word.  0, or -1 with err. */
int parse_head(char *line, struct cmdline *cl, char *err, size_t errlen);
/* Phase 2: split cl->rest into argv[1..].  0, or -1 with err. */
int parse_args(struct cmdline *cl, char *err, size_t errlen);
bool is_identifier(const char *s);

/* Numbers: decimal, 0x hex, optional leading '-' for parse_long.
 * 0 or -1 (garbage, overflow). */
int parse_u64(const char *s, uint64_t *out);
int parse_long(const char *s, long *out);
/* A size: a number with an optional k/K, M, G suffix (binary units). */
int parse_size(const char *s, uint64_t *out);

/* ------------------------------------------------------------------ */
/* Value history $1..$N and names (values.c)                           */
/* ------------------------------------------------------------------ */

#define VALUE_VMALLOC (-2)
#define VALUE_MAPPING (-3)              /* vmap/ioremap: no pages of its own */
#define VALUE_MEMPOOL_BASE (-16)        /* mempool id N: VALUE_MEMPOOL_BASE - N */
/* mempool_free of value vidx (or -1) through pool id (cmd_oom.c). */
int mempool_free_value(struct session *s, int id, kaddr_t e, long vidx);

enum value_kind {
	VAL_PAGE,               /* a struct page * (alloc_pages ...) */
	VAL_ADDR,               /* a kernel address (__get_free_pages ...) */
	VAL_OBJ,                /* a slab/SLOB object (kmalloc ...) */
	VAL_USER,               /* a user address of a task (mmap ...) */
};

struct value {
	kaddr_t addr;           /* VAL_OBJ: the object's address */
	int cache;              /* VAL_OBJ: kmem_cache_alloc's cache, -1 for
				   kmalloc, VALUE_VMALLOC for a vmalloc area;
				   VAL_USER: the pid */
	unsigned long pfn;      /* first page of the block */
	uint8_t order;          /* 2^order pages */
	uint8_t kind;           /* enum value_kind */
	bool freed;             /* given back since */
	const char *name;       /* the name bound to it last, or NULL */
};

/* Open-addressing hash tables; the session owns them. */
struct name_slot {
	char *key;              /* malloc'd name, NULL = empty slot */
	uint32_t vidx;          /* index into values */
};
struct pfn_slot {
	unsigned long pfn;      /* head PFN of a live block */
	uint32_t vidx1;         /* index + 1 into values; 0 = empty slot */
};

size_t value_push(struct session *s, enum value_kind kind, unsigned long pfn,
		  unsigned order);
/* Bind name to value idx (rebinding moves the name). */
void value_bind(struct session *s, const char *name, size_t idx);
long value_by_name(const struct session *s, const char *name);
/* The live value heading pfn, or -1. */
long value_live_at(const struct session *s, unsigned long pfn);
void value_mark_freed(struct session *s, size_t idx);
/* A VAL_OBJ value: an object at addr (of cache, or -1 for kmalloc). */
size_t value_push_obj(struct session *s, kaddr_t addr, int cache);
/* A VAL_USER value: address addr in task pid's address space. */
size_t value_push_user(struct session *s, uint64_t addr, int pid);
/* The history file shared by the REPL and the dashboard (repl.c). */
char *repl_history_path(void);
/* A size: a number with an optional k/M/G suffix (cmd_slab.c). */
int arg_size(struct session *s, const char *word, const char *what,
	     uint64_t *out);
/* Push an object/area value for addr (VAL_OBJ with the given cache tag),
 * bind NAME = ..., print it (cmd_slab.c). */
int object_made(struct session *s, kaddr_t addr, int cache);
/* Any kernel address: $N (an object, or a lowmem page's address) or a
 * number.  0, or -1 after printing the error. */
int arg_kaddr(struct session *s, const char *word, kaddr_t *addr, long *vidx);
void values_clear(struct session *s);
/*
 * Resolve a reference: "$N", "$" (the last value), "$name" or "name".
 * Returns 0 and the index, 1 when word is not reference syntax (a number),
 * or -1 after printing the error (no such value, unknown name).
 */
int value_ref(struct session *s, const char *word, size_t *idx);
/* "$3" or "$3 (buf)" into buf. */
const char *value_label(const struct session *s, size_t idx, char *buf,
			size_t len);

/* ------------------------------------------------------------------ */
/* The session                                                         */
/* ------------------------------------------------------------------ */

struct json_writer {
	struct kbuf *b;                 /* where the text goes */
	int depth;                      /* open arrays/objects */
	bool comma[JSON_MAX_DEPTH];     /* a member was written at this depth */
};

/* What belongs to the command being executed; saved and restored around
 * the nested commands of `source`. */
struct cmd_state {
	const char *word;               /* command name (or the word typed) */
	const char *assign;             /* NAME of NAME = ..., else NULL */
	const char *redirect;           /* PATH of > PATH, else NULL */
	bool failed;                    /* an error was reported */
	bool bound;                     /* a value was produced */
	bool active;                    /* inside session_execute_line */
	/* JSON mode: one object per command, assembled at its end */
	struct kbuf jfields;            /* members written by the handler */
	struct kbuf jtext;              /* sess_printf text */
	struct kbuf jtrace;             /* trace events, an array body */
	struct kbuf jconsole;           /* console lines, an array body */
	struct kbuf jinput;             /* the line as typed */
	char jerror[512];               /* first error message */
	struct json_writer jw;          /* writes into jfields */
};

/*
 * The front end's state around one machine.  Invariants: every live block
 * of the value history is in pfns under its head PFN (freed ones are
 * not); names map to indexes below nvalues; cur is only meaningful while
 * cur.active.
 */
struct session {
	struct machine *m;              /* the simulated machine */
	struct kmem_config cfg;         /* what `reset` boots */
	struct kmem_machine_info info;  /* geometry; refreshed on boot and cpu */
	unsigned flags;                 /* SESS_* */
	bool trace;                     /* trace on: print the call tree */
	bool stopped;                   /* quit, or --bail after a failure */
	unsigned long errors;           /* failed commands so far */
	const volatile sig_atomic_t *interrupt; /* SIGINT seen (repl.c), or NULL */

	sess_sink_fn sink;              /* output goes here */
	void *sink_ctx;                 /* sink's argument */

	const char *loc_file;           /* script name for errors, or NULL */
	unsigned long loc_line;         /* its line */
	int source_depth;               /* nested `source` */

	struct cmd_state cur;           /* the command being executed */

	/* value history and names */
	struct value *values;           /* $1 is values[0] */
	size_t nvalues;                 /* entries used */
	size_t values_cap;              /* entries allocated */
	struct name_slot *names;        /* name -> value */
	size_t names_cap;               /* slots (a power of two) */
	size_t names_used;              /* slots holding a name */
	struct pfn_slot *pfns;          /* live block head -> value */
	size_t pfns_cap;                /* slots (a power of two) */
	size_t pfns_used;               /* slots holding a block */

	/* a small cache for the replay hot path */
	struct gfp_cache_slot {
		char text[40];          /* a GFP word as typed */
		gfp_t gfp;              /* what kmem_gfp_parse made of it */
	} gfp_cache[4];
	unsigned gfp_next;              /* next slot to replace */

	/* command line history (`history`) */
	char *hist[HISTORY_MAX];        /* ring of lines */
	size_t hist_cap[HISTORY_MAX];   /* bytes allocated per slot */
	unsigned long hist_total;       /* lines recorded ever */

	struct kbuf scratch;            /* /proc text and other big output */
	struct tui_options tui;         /* for `tui` and `play` (main.c) */
};

/* Boot s->cfg into s->m (destroying any old machine); hooks installed. */
int session_boot(struct session *s, char *err, size_t errlen);
/* Look up, parse and run one command already cut by parse_head. */
int session_dispatch(struct session *s, struct cmdline *cl);

/* Output.  sess_printf is ordinary output: dropped with -q, captured as
 * "output" in JSON mode.  sess_error prints "LOC: message", counts the
 * failure and returns -1.  sess_warn prints "warning: ..." uncounted. */
void sess_printf(struct session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sess_write(struct session *s, const char *text, size_t len);
int sess_error(struct session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sess_warn(struct session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Should a handler render human text?  (not -q, not --json) */
static inline bool sess_text(const struct session *s)
{
	return !(s->flags & (SESS_QUIET | SESS_JSON));
}
static inline bool sess_json(const struct session *s)
{
	return (s->flags & SESS_JSON) != 0;
}

/* JSON members of the current command's object (no-ops unless --json).
 * key is NULL inside arrays. */
void json_str(struct session *s, const char *key, const char *v);
void json_u64(struct session *s, const char *key, uint64_t v);
void json_i64(struct session *s, const char *key, int64_t v);
void json_bool(struct session *s, const char *key, bool v);
void json_hex(struct session *s, const char *key, uint64_t v); /* "0x.." */
void json_null(struct session *s, const char *key);
void json_begin_object(struct session *s, const char *key);
void json_end_object(struct session *s);
void json_begin_array(struct session *s, const char *key);
void json_end_array(struct session *s);
/* Append v to b as a JSON string literal. */
void json_escape(struct kbuf *b, const char *v);

/* ------------------------------------------------------------------ */
/* Argument helpers (args.c): each prints its own error and returns -1 */
/* ------------------------------------------------------------------ */

int arg_u64(struct session *s, const char *word, const char *what,
	    uint64_t *out);
int arg_uint(struct session *s, const char *word, const char *what,
	     unsigned max, unsigned *out);
int arg_order(struct session *s, const char *word, unsigned *out);
int arg_gfp(struct session *s, const char *word, gfp_t *out);
/* A page: $ref/name, a PFN (< max_pfn), a kernel virtual address
 * (>= PAGE_OFFSET) or phys:ADDR.  vidx is -1 when not a value. */
int arg_page(struct session *s, const char *word, unsigned long *pfn,
	     long *vidx);
/* A kernel direct-mapped virtual address: $ref/name or a number. */
int arg_vaddr(struct session *s, const char *word, kaddr_t *addr,
	      unsigned long *pfn, long *vidx);
/* A zone: "Normal", "node1:Normal", "1:Normal" (nid -1: every node). */
int arg_zone(struct session *s, const char *word, int *nid, int *idx);
int arg_cpu(struct session *s, const char *word, unsigned *cpu);
bool looks_like_gfp(const char *word);

/* Naming things for output. */
const char *zone_name(struct session *s, int nid, int idx);
/* "Normal" or "node 1 Normal" on multi-node machines. */
/* Simulated microseconds as "12.345 ms", into buf. */
const char *fmt_ms(char *buf, size_t len, uint64_t us);
const char *zone_label(struct session *s, int nid, int idx, char *buf,
		       size_t len);
/* "pfn 0x1f400 (phys 0x1f400000, virt 0xdf400000) Normal order 3" */
void describe_block(struct session *s, unsigned long pfn, unsigned order,
		    char *buf, size_t len);
/* Machine name for prompts and messages ("tiny", "machine.yaml"). */
const char *machine_name(const struct session *s);

/* Trace and console hooks (cmd_trace.c). */
void session_install_hooks(struct session *s);

/* Run the lines of a file (session.c), used by `source`. */
int session_source(struct session *s, const char *path);
/* Print one value as `print` shows it. */
void print_value(struct session *s, size_t idx);

/* Host allocation failure: print and abort (session.c). */
void *cli_realloc(void *p, size_t n);
_Noreturn void cli_oom(void);

/* ------------------------------------------------------------------ */
/* Queries: the expression language of `expect` and the labs (query.c) */
/* ------------------------------------------------------------------ */

#define QUERY_MAX_TOKENS 64

enum qv_kind {
	QV_NUM,                 /* one number */
	QV_VEC,                 /* a list of numbers (a buddyinfo line) */
	QV_STR,                 /* a word ("Normal", "buddy") */
};
enum qv_fmt {
	QF_DEC,                 /* 12 */
	QF_HEX,                 /* 0x1040: PFNs and addresses */
	QF_KB,                  /* 12 kB: meminfo */
};

/* What a query read.  vec is malloc'd: qval_free releases it. */
struct qval {
	enum qv_kind kind;      /* see above */
	enum qv_fmt fmt;        /* how to print the number(s) */
	uint64_t num;           /* QV_NUM */
	uint64_t *vec;          /* QV_VEC: n numbers */
	size_t n, cap;          /* used, allocated */
	char str[64];           /* QV_STR */
};

/* A cursor over the words of an expression. */
struct qcur {
	struct session *s;      /* the machine read */
	char **tok;             /* words */
	int n, pos;             /* count, next */
	const char *qname;      /* query being parsed (messages) */
	const char *usage;      /* its usage (messages) */
	char err[512];          /* the first error */
};

struct query_def {
	const char *name;       /* "buddyinfo" */
	const char *usage;      /* "buddyinfo ZONE [ORDER]" */
	const char *help;       /* one line, for `help expect` and the man page */
	int (*eval)(struct qcur *q, struct qval *out);
};
extern const struct query_def query_table[];
extern const size_t query_count;

/* Cut text into words in place (blanks, '...'/"..." quotes, # comment).
 * Returns the count or -1 with err. */
int query_tokenize(char *text, char **tok, int max, char *err, size_t errlen);
bool query_is_op(const char *t);
/* Read one operand at the cursor; other is the left side already read
 * (a word on the left makes a bare word on the right a literal).
 * 0, or -1 with q->err. */
int query_operand(struct qcur *q, struct qval *v, const struct qval *other);
/* Evaluate a whole string as one operand ("buddyinfo Normal 3"). */
int query_eval_text(struct session *s, const char *text, struct qval *v,
		    char *err, size_t errlen);
/* a OP b; -1 with err when they cannot be compared that way. */
int qval_compare(const struct qval *a, const char *op, const struct qval *b,
		 bool *ok, char *err, size_t errlen);
/* "0x1040", "3 3 4 ...", "12 kB", "Normal"; an empty list is "-". */
void qval_format(const struct qval *v, char *buf, size_t len);
/* Parse a student's answer as a value of like's kind (numbers decimal or
 * 0x hex, lists blank- or comma-separated, a trailing kB ignored).
 * 0, or -1 if it cannot be read as one. */
int qval_parse_answer(const struct qval *like, const char *text,
		      struct qval *out);
void qval_free(struct qval *v);

/* Edit distance for "did you mean" (command.c). */
unsigned edit_distance(const char *a, const char *b);

#endif /* KMEMLAB_CLI_H */
