/*
 * tui_internal.h - what the files of src/tui share.  Nothing outside
 * src/tui includes this; main.c and the REPL use tui.h.
 *
 *   tui.c       the loop: keys -> flags, commands -> session, frames
 *   play.c      `play FILE [DELAY]`: a script one command at a time
 *   cmdline.c   the command line (GNU readline's callback interface)
 *   keys.c      key bindings (a table) and their handlers
 *   layout.c    pane rectangles for the terminal size, frame composition
 *   canvas.c    an off-screen grid of cells; glyph sets; text dump
 *   screen.c    curses: init, semantic colours, blitting the canvas
 *   w_*.c       the widgets
 *
 * Frame pipeline (htop's Meter_updateValues/draw split):
 *
 *   session command --> gen++ --> widget.update (engine queries into the
 *   widget's data) --> widget.draw (data -> canvas cells) --> screen_blit
 *   (canvas -> curses) or canvas_dump (canvas -> text)
 *
 * Rules: key handlers return TUI_* flags and never draw; draw functions
 * only paint cells; only screen.c calls curses.  Widgets draw into a
 * canvas rather than curses windows so the very same frame can be dumped
 * as text for --once and for the benchmark.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#ifndef KMEMLAB_TUI_INTERNAL_H
#define KMEMLAB_TUI_INTERNAL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmem.h"
#include "tui.h"
#include "session.h"

#define TUI_FRAME_MS    33      /* at most ~30 frames a second */
#define OUTPUT_LINES    5000    /* lines the output pane keeps */
#define TRACE_LINES     4000    /* trace lines kept for the last command */
#define TOUCH_MAX       4096    /* PFN ranges the last command touched */
#define SPARK_SAMPLES   256     /* samples per counter sparkline */
#define SEARCH_MAX      128     /* bytes of a search string */

/* ------------------------------------------------------------------ */
/* Semantic colours (screen.c maps them to curses pairs/attributes)     */
/* ------------------------------------------------------------------ */

enum tui_color {
	C_NORMAL,               /* plain text */
	C_TITLE,                /* the title bar */
	C_BORDER,               /* pane frames */
	C_FOCUS,                /* the focused pane's frame and title */
	C_LABEL,                /* column headings, field names */
	C_DIM,                  /* secondary text, "not modelled yet" */
	C_CHANGED,              /* changed by the last command */
	C_ERROR,                /* error output */
	C_KERNEL,               /* printk lines */
	C_ECHO,                 /* echoed command lines */
	C_MATCH,                /* search matches */
	C_FREE,                 /* free buddy pages */
	C_PCP,                  /* per-CPU list pages */
	C_SLAB,                 /* slab / SLOB pages */
	C_VMALLOC,              /* vmalloc pages */
	C_PAGECACHE,            /* page cache */
	C_ANON,                 /* anonymous pages */
	C_PAGETABLE,            /* page tables */
	C_RESERVED,             /* kernel reserved */
	C_SWAPCACHE,            /* swap cache */
	C_ALLOC,                /* allocated, owner unknown */
	C_HOLE,                 /* no RAM */
	C_TOUCHED,              /* pages the last command touched */
	C_WM_MIN,               /* free below min */
	C_WM_LOW,               /* free between min and low */
	C_WM_HIGH,              /* the high mark, free above it */
	C_SPARK,                /* sparklines */
	C_HELP,                 /* the help overlay */
	C_SELECT,               /* the pane selector's current entry */
	NR_COLORS,
};

/* Cell attributes beyond the colour. */
#define AT_BOLD    0x1u
#define AT_REVERSE 0x2u
#define AT_UNDER   0x4u

/* ------------------------------------------------------------------ */
/* Canvas (canvas.c): the frame as cells; no curses                     */
/* ------------------------------------------------------------------ */

struct cell {
	uint32_t ch;            /* Unicode code point, ' ' when blank */
	uint8_t color;          /* enum tui_color */
	uint8_t attr;           /* AT_* */
	uint16_t pad;           /* zero: rows compare with memcmp */
};

struct canvas {
	int cols, rows;         /* size */
	struct cell *cells;     /* rows * cols, row-major */
};

/* A clipping rectangle on a canvas; draw calls use its coordinates. */
struct view {
	struct canvas *c;       /* where cells go */
	int y, x;               /* top left on the canvas */
	int h, w;               /* size; drawing outside is clipped */
};

/* The characters frames are made of: UTF-8 or the ASCII fallback. */
struct glyphs {
	uint32_t h, v;          /* box lines */
	uint32_t tl, tr, bl, br;/* box corners */
	uint32_t hbar[9];       /* horizontal bar: 0..8 eighths of a cell */
	uint32_t spark[9];      /* vertical levels 0..8 */
	uint32_t mark;          /* a watermark mark on a bar */
	uint32_t ellipsis;      /* text cut short */
};
extern const struct glyphs glyphs_utf8;
extern const struct glyphs glyphs_ascii;

void canvas_init(struct canvas *c);
void canvas_free(struct canvas *c);
void canvas_resize(struct canvas *c, int cols, int rows);
void canvas_clear(struct canvas *c);
/* Append the canvas as text, one line per row, trailing blanks cut. */
void canvas_dump(const struct canvas *c, struct kbuf *b);

struct view view_of(struct canvas *c, int y, int x, int h, int w);
struct view view_inner(const struct view *v, int dy, int dx, int h, int w);
/* Text: ASCII/UTF-8 bytes; returns columns written (clipped). */
int v_puts(const struct view *v, int y, int x, int color, const char *s);
int v_putsn(const struct view *v, int y, int x, int color, const char *s,
	    int maxw);
int v_printf(const struct view *v, int y, int x, int color,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Right-aligned in a field of width w ending at x + w. */
int v_rprintf(const struct view *v, int y, int x, int w, int color,
	      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void v_putch(const struct view *v, int y, int x, int color, uint32_t ch);
void v_fill(const struct view *v, int y, int x, int n, int color,
	    uint32_t ch);
/* Recolour / add attributes to n cells without changing characters. */
void v_paint(const struct view *v, int y, int x, int n, int color,
	     unsigned attr);
/* A box around the view's border with a title; focused in C_FOCUS. */
void v_box(const struct view *v, const struct glyphs *g, const char *title,
	   bool focused);
/* A horizontal bar of w cells filled to frac (0..1), eighths resolved. */
void v_hbar(const struct view *v, const struct glyphs *g, int y, int x,
	    int w, double frac, int color);
/* n in at most width characters: "1234", "12k", "3M" ... */
const char *fmt_count(char *buf, size_t len, unsigned long n, int width);

/* ------------------------------------------------------------------ */
/* Widgets                                                             */
/* ------------------------------------------------------------------ */

enum widget_id {
	W_ZONES, W_FREE, W_MAP, W_SLABS, W_LRU, W_TASKS, W_COUNTERS,
	W_TRACE, W_OUTPUT, NR_WIDGETS,
};

struct tui;

/* A widget (htop's MeterClass): update pulls from the engine into the
 * widget's data in struct tui; draw paints that data into a view. */
struct widget {
	const char *name;                       /* title */
	const char *short_name;                 /* the small selector */
	void (*update)(struct tui *t);          /* engine -> data */
	void (*draw)(const struct tui *t, const struct view *v); /* paint */
	int min_cols, min_rows;                 /* min_size, frame included */
	/* natural height for a width, frame included; NULL = takes what
	 * the layout gives */
	int (*pref_rows)(const struct tui *t, int cols);
	void (*before)(struct tui *t);          /* snapshot before a command */
	unsigned (*sort)(struct tui *t);        /* `s`, or NULL */
	unsigned (*search)(struct tui *t, const char *text); /* `/`, or NULL */
};
extern const struct widget widget_table[NR_WIDGETS];

/* Widget entry points (w_*.c) */
void zones_update(struct tui *t);
void zones_draw(const struct tui *t, const struct view *v);
int zones_pref(const struct tui *t, int cols);
void zones_before(struct tui *t);
void free_draw(const struct tui *t, const struct view *v);
int free_pref(const struct tui *t, int cols);
void lru_draw(const struct tui *t, const struct view *v);
int lru_pref(const struct tui *t, int cols);
void map_update(struct tui *t);
void map_draw(const struct tui *t, const struct view *v);
unsigned map_search(struct tui *t, const char *text);
unsigned map_zoom_next(struct tui *t);
void slabs_update(struct tui *t);
void slabs_draw(const struct tui *t, const struct view *v);
void slabs_before(struct tui *t);
unsigned slabs_sort(struct tui *t);
unsigned slabs_search(struct tui *t, const char *text);
void counters_update(struct tui *t);
bool counters_lru_seen(const struct tui *t);
void counters_draw(const struct tui *t, const struct view *v);
int counters_pref(const struct tui *t, int cols);
void tasks_update(struct tui *t);
void tasks_draw(const struct tui *t, const struct view *v);
int tasks_pref(const struct tui *t, int cols);
unsigned tasks_search(struct tui *t, const char *text);
void tasks_free_data(struct tui *t);
void trace_draw(const struct tui *t, const struct view *v);
unsigned trace_search(struct tui *t, const char *text);
void output_draw(const struct tui *t, const struct view *v);
unsigned output_search(struct tui *t, const char *text);
void slabs_free_data(struct tui *t);
void map_free_data(struct tui *t);

/* ------------------------------------------------------------------ */
/* Widget data (filled by update, read by draw)                         */
/* ------------------------------------------------------------------ */

#define TUI_MAX_ZONES (KMEM_MAX_NODES * KMEM_MAX_NR_ZONES)

struct zones_data {
	int n;                                  /* populated zones */
	struct kmem_zone_info z[TUI_MAX_ZONES]; /* now */
	unsigned long before[TUI_MAX_ZONES][KMEM_MAX_ORDER]; /* nr_free
						   before the last command */
	unsigned long before_free[TUI_MAX_ZONES];/* free_pages before */
	bool have_before;                       /* a snapshot exists */
	bool lru_seen;                          /* any page on an LRU */
};

struct slab_row {
	struct kmem_cache_info ci;              /* the cache now */
	char name[32];                          /* ci.name copied */
	bool changed;                           /* differs from before */
};

struct slab_before {
	int id;                                 /* cache id */
	unsigned long active, total, slabs;     /* counts before */
};

struct slob_data {
	unsigned long arena_pages;              /* pages the arena holds */
	long nfree;                             /* free-list blocks */
	long free_units, largest;               /* in SLOB_UNITs */
	struct kmem_slob_block *blocks;         /* the free list (first N) */
	size_t nblocks, blocks_cap;             /* kept, allocated */
	long nbig;                              /* bigblocks */
	unsigned long big_pages;                /* pages they hold */
};

enum slab_sort { SORT_ACTIVE, SORT_TOTAL, SORT_PAGES, SORT_SIZE, SORT_NAME,
		 NR_SORTS };

struct slabs_data {
	bool is_slob;                           /* SLOB machine */
	struct slab_row *rows;                  /* shown, sorted */
	size_t n, cap;                          /* rows used, allocated */
	size_t ncaches;                         /* caches in the machine */
	unsigned long objs, active, slabs, pages; /* totals */
	struct slab_before *before;             /* snapshot before command */
	size_t nbefore, before_cap;             /* used, allocated */
	bool have_before;                       /* a snapshot exists */
	enum slab_sort sort;                    /* `s` cycles */
	char filter[SEARCH_MAX];                /* `/`: names containing */
	struct slob_data slob;                  /* SLOB view */
};

/* Page owners in the memory map, in legend order. */
enum owner {
	OWN_FREE, OWN_PCP, OWN_SLAB, OWN_VMALLOC, OWN_PAGECACHE, OWN_ANON,
	OWN_PAGETABLE, OWN_SWAPCACHE, OWN_RESERVED, OWN_ALLOC, OWN_HOLE,
	NR_OWNERS,
};

struct map_data {
	unsigned long start, end;               /* PFN range shown */
	unsigned long ppc;                      /* pages per cell */
	int cols, rows;                         /* grid size */
	int label_w;                            /* width of the PFN labels */
	uint8_t *own;                           /* cols*rows owners */
	uint8_t *touched;                       /* cols*rows flags */
	size_t cap;                             /* cells allocated */
	int zone;                               /* -1 all, else index into
						   zones_data.z; -2 = range */
	unsigned long range_start, range_end;   /* for zone == -2 */
	unsigned long gen;                      /* gen the grid was built at */
	unsigned long *vm_pfns;                 /* vmalloc pages, sorted */
	size_t nvm, vm_cap;                     /* used, allocated */
	unsigned long *pt_pfns;                 /* page-table pages, sorted */
	size_t npt, pt_cap;                     /* used, allocated */
	unsigned long *big_pfns;                /* SLOB bigblock ranges: start,
						   end pairs, sorted */
	size_t nbig, big_cap;                   /* pairs used, allocated */
	int bit_slab, bit_swapcache;            /* PG_ bits by name */
	unsigned long probes;                   /* kmem_page_info calls */
	char err[96];                           /* bad range text */
};

/* One process for the Tasks pane (filled from kmem_task_info once the
 * engine has processes). */
struct task_row {
	int pid;                                /* process id */
	char comm[16];                          /* name */
	unsigned long vsz;                      /* total_vm, pages */
	unsigned long anon, file;               /* anon_rss, file_rss, pages */
	unsigned long minflt, majflt;           /* faults */
};

struct tasks_data {
	bool modelled;                          /* the engine has processes */
	struct task_row *rows;                  /* shown, by pid */
	size_t n, cap;                          /* used, allocated */
	size_t ntasks;                          /* live tasks */
	char filter[SEARCH_MAX];                /* `/`: names containing */
};

enum counter_id { CT_PGALLOC, CT_PGFREE, CT_PGFAULT, CT_PGMAJFAULT,
		  CT_PSWPIN, CT_PSWPOUT, CT_PGSCAN, CT_PGSTEAL, NR_COUNTERS };

struct counters_data {
	unsigned long last[NR_COUNTERS];        /* values at the last sample */
	unsigned long total[NR_COUNTERS];       /* values now */
	unsigned long samples[NR_COUNTERS][SPARK_SAMPLES]; /* deltas, ring */
	unsigned long lru[5];                   /* last deltas: activate,
						   deactivate, rotated, scan,
						   steal */
	unsigned long lru_last[5];              /* their values */
	size_t head, n;                         /* ring position, samples */
	bool primed;                            /* last[] is valid */
	unsigned long gen;                      /* tui gen of the last sample */
	uint64_t jiffies;                       /* at the last sample */
	/* per-tick mode (`t`): the engine's time series, kmem_timeline */
	bool per_tick;                          /* draw these, not samples[] */
	struct kmem_tl_sample tl[SPARK_SAMPLES]; /* newest, oldest first */
	size_t tl_n;                            /* of them filled */
};

/* A line of the output pane. */
enum line_kind { LK_OUT, LK_ERR, LK_KERNEL, LK_ECHO, LK_NOTE };

struct line_ring {
	char **text;                            /* slots, each malloc'd */
	size_t *cap;                            /* bytes per slot */
	uint8_t *kind;                          /* enum line_kind */
	size_t size;                            /* slots */
	size_t head;                            /* next slot to write */
	size_t n;                               /* lines held (<= size) */
	unsigned long total;                    /* lines ever added */
};
void ring_init(struct line_ring *r, size_t size);
void ring_free(struct line_ring *r);
void ring_clear(struct line_ring *r);
void ring_add(struct line_ring *r, const char *text, size_t len, int kind);
/* i-th line, 0 = oldest held */
const char *ring_line(const struct line_ring *r, size_t i, int *kind);

/* ------------------------------------------------------------------ */
/* The dashboard                                                       */
/* ------------------------------------------------------------------ */

/* Flags returned by key handlers and actions. */
#define TUI_REDRAW   0x01u      /* paint a new frame */
#define TUI_QUIT     0x02u      /* leave the dashboard */
#define TUI_RELAYOUT 0x04u      /* pane rectangles must be recomputed */
#define TUI_UPDATE   0x08u      /* the machine changed: pull new data */
#define TUI_FULL     0x10u      /* repaint every cell (Ctrl-L, resize) */

enum tui_mode {
	MODE_NORMAL,            /* single-key bindings */
	MODE_COMMAND,           /* typing at the command line (readline) */
	MODE_SEARCH,            /* typing a `/` search */
};

struct rect { int y, x, h, w; };

struct pane {
	struct rect r;          /* where it is, frame included */
	bool visible;           /* in the current layout */
	int scroll;             /* first content row shown (output: rows
				   up from the bottom) */
	int content_rows;       /* rows of content (for clamping) */
	int hl_line;            /* a search hit to highlight, -1 none */
};

/* The script is read through a window (play.c): buf[pos, len) holds the
 * lines not yet run, buf[len] is always room for a NUL, and fd is -1
 * once the whole file is in buf (pipes are read whole at the start). */
struct play {
	bool active;            /* a script is loaded */
	bool paused;            /* Space */
	char *path;             /* its name, for locations */
	struct line_reader rd;  /* the script (fd -1 when none is open) */
	unsigned long lineno;   /* line of the command run last */
	unsigned long lines;    /* lines in the file */
	unsigned long done;     /* commands run */
	unsigned long errors0;  /* session_errors() at the start */
	unsigned delay_ms;      /* between commands */
	double next_ms;         /* when the next command is due */
};

struct tui {
	struct session *s;      /* the session the dashboard drives */
	struct tui_options opt; /* as given (defaults applied) */
	const struct glyphs *g; /* UTF-8 or ASCII */
	bool color;             /* colours in use */
	bool curses;            /* a real terminal (not text/bench) */
	struct canvas cv;       /* the frame being composed */
	int cols, rows;         /* frame size */

	/* layout */
	int layout;             /* 0 small, 1 medium, 2 large */
	struct pane pane[NR_WIDGETS]; /* per widget */
	int focus;              /* enum widget_id */
	int zoom;               /* widget shown full screen, or -1 */
	int main_slot;          /* small layout: widget in the big slot */
	bool help;              /* the help overlay is up */
	int cur_y, cur_x;       /* where the cursor goes, -1 hidden */

	/* input */
	enum tui_mode mode;     /* what keys do */
	char *cmd_text;         /* the command line as readline has it */
	size_t cmd_cap;         /* allocated */
	int cmd_point;          /* cursor offset in cmd_text */
	char prompt[128];       /* "kmemlab(tiny cpu0)> " */
	char search[SEARCH_MAX];/* the `/` text being typed */
	int search_pane;        /* pane the search applies to */
	char *pending;          /* a line readline finished, to execute */
	bool cmd_open;          /* readline's callback handler installed */
	volatile sig_atomic_t intr; /* Ctrl-C seen */

	/* the session side */
	unsigned long gen;      /* bumped whenever the machine may change */
	unsigned long wgen[NR_WIDGETS]; /* gen each widget last updated at */
	unsigned long commands; /* commands run in the dashboard */
	char last_cmd[160];     /* the last command, for titles */
	struct line_ring out;   /* the output pane */
	struct kbuf partial;    /* output not yet ending in '\n' */
	struct kbuf cmd_out;    /* the current command's output */
	struct line_ring trace; /* the last traced command's call tree */
	unsigned long trace_events; /* events the hook saw this command */
	unsigned long touch[TOUCH_MAX][2]; /* [start, end) PFN ranges */
	size_t ntouch;          /* ranges the last command touched */
	bool touch_building;    /* collecting for the running command */
	unsigned long touch_new[TOUCH_MAX][2]; /* being collected */
	size_t ntouch_new;      /* collected */
	struct play play;       /* `play` state */

	/* widget data */
	struct zones_data zd;
	struct slabs_data sd;
	struct map_data md;
	struct counters_data cd;
	struct tasks_data td;
};

/* tui.c */
void tui_init(struct tui *t, struct session *s, const struct tui_options *o);
void tui_fini(struct tui *t);
struct machine *tui_machine(const struct tui *t);
/* Run one command line as typed or played; traced = capture its call
 * tree and what it changed (always, except between frames of a fast
 * play).  Returns what session_execute_line returned. */
int tui_execute(struct tui *t, const char *line, bool traced);
/* The same on a line the caller lets the parser cut up (a played line
 * in play.c's window): no copy.  The line must stay put until it returns. */
int tui_execute_in_place(struct tui *t, char *line, bool traced);
/* Handle a line from the command line: dashboard words (quit, play) or
 * a session command.  Returns TUI_* flags. */
unsigned tui_command(struct tui *t, const char *line);
/* Update visible widgets whose data is stale (all when force). */
void tui_update(struct tui *t, bool force);
void tui_note(struct tui *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
double tui_now_ms(void);
bool tui_touched(const struct tui *t, unsigned long start,
		 unsigned long end);

/* layout.c */
void layout_compute(struct tui *t);
void frame_compose(struct tui *t);
/* Rows of content a pane shows (frame excluded). */
int pane_inner_rows(const struct tui *t, int w);
/* Is widget w the one in the big slot / a visible pane? */
bool pane_shown(const struct tui *t, int w);
/* The pane's title: its name and what it shows ("Trace: alloc_pages 3"). */
void pane_title(const struct tui *t, int w, char *buf, size_t len);

/* keys.c */
unsigned keys_normal(struct tui *t, int key);
/* Up/Down/PgUp/PgDn/Home/End on pane w. */
unsigned pane_scroll(struct tui *t, int w, int key);
unsigned keys_search(struct tui *t, int key);
void help_draw(const struct tui *t, const struct view *v);
unsigned focus_set(struct tui *t, int w);

/* cmdline.c: readline glue; all readline state lives there */
void cmdline_open(struct tui *t);
void cmdline_close(struct tui *t);
/* Feed a key (a character or TK_*) to readline. */
unsigned cmdline_key(struct tui *t, int key);
void cmdline_cancel(struct tui *t);
void cmdline_history_add(struct tui *t, const char *line);
void cmdline_global_init(struct tui *t);
void cmdline_global_fini(struct tui *t);

/* play.c */
int play_start(struct tui *t, const char *path, unsigned delay_ms);
void play_stop(struct tui *t, const char *why);
/* Close and free a play's file and buffers (play_stop without a note). */
void play_free(struct play *p);
/* Run due commands for at most budget_ms; returns TUI_* flags. */
unsigned play_run(struct tui *t, double budget_ms);
unsigned play_step(struct tui *t);
/* Space: pause or resume.  +/-: the next delay step faster or slower. */
unsigned play_pause(struct tui *t);
unsigned play_speed(struct tui *t, bool faster);
/* Milliseconds until the next command is due (0 now, -1 never). */
int play_wait_ms(const struct tui *t);

/* screen.c: the only file that calls curses */

/* Keys: a Unicode character (>= 0), or one of these (curses' function
 * keys translated, so no other file needs curses.h). */
enum tui_key {
	TK_NONE = -1,           /* nothing arrived in time */
	TK_BASE = 0x200000,
	TK_UP, TK_DOWN, TK_LEFT, TK_RIGHT, TK_PGUP, TK_PGDN, TK_HOME,
	TK_END, TK_BTAB, TK_DC, TK_IC, TK_BACKSPACE, TK_ENTER, TK_F1,
	TK_F10, TK_RESIZE, TK_OTHER,
};
int screen_open(struct tui *t, char *err, size_t errlen);
void screen_close(struct tui *t);
/* Wait up to timeout_ms (-1 forever) for a key; TK_NONE if none. */
int screen_getkey(struct tui *t, int timeout_ms);
/* The next key if one is already waiting, else TK_NONE (Alt-x peek). */
int screen_peekkey(void);
void screen_size(int *cols, int *rows);
/* Show the canvas; full repaints every cell.  cur_y < 0 hides the
 * cursor. */
void screen_blit(struct tui *t, bool full, int cur_y, int cur_x);
/* A curses terminal on /dev/null for the benchmark; false if none. */
bool screen_bench_open(struct tui *t);
void screen_bench_close(struct tui *t);

#endif /* KMEMLAB_TUI_INTERNAL_H */
