/*
 * cmd_file.c - simulated files and the page cache (mm/filemap.c,
 * mm/readahead.c):
 *
 *   file create NAME SIZE      a file of SIZE bytes (contents implied)
 *   file rm NAME               unlink (lives on while mapped)
 *   file ls                    every file, its size and cached pages
 *   read FILE OFFSET LEN       read(2): do_generic_mapping_read
 *   write FILE OFFSET LEN      write(2): generic_file_buffered_write
 *   fsync FILE                 write the dirty pages back
 *   show file NAME             page cache, radix tree, readahead state
 *
 * There is no disk: a page read costs 8 sectors of pgpgin, a page written
 * back 8 of pgpgout, both counted in /proc/vmstat.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define PG_DIRTY_BIT     4      /* PG_dirty in kmem_page_info.flags */
#define PAGES_PER_LINE   6      /* show file: index:pfn pairs a line */

/* Every file, or NULL when there are none; *n gets the count. */
static struct kmem_file_info *file_list(struct session *s, size_t *n)
{
	size_t want = kmem_file_list(s->m, NULL, 0);

	*n = 0;
	if (!want)
		return NULL;
	struct kmem_file_info *f = cli_realloc(NULL, want * sizeof *f);
	*n = kmem_file_list(s->m, f, want);
	if (*n > want)
		*n = want;
	return f;
}

void complete_files(struct session *s, struct completion *c)
{
	size_t n;
	struct kmem_file_info *f = file_list(s, &n);

	for (size_t i = 0; i < n; i++)
		if (!f[i].deleted)
			compl_add(c, f[i].name);
	free(f);
}

static void complete_file_first(struct session *s, int argi, char **argv,
				struct completion *c)
{
	if (argi == 1)
		complete_files(s, c);
}

/* The file must exist (and not be deleted) before the engine is asked. */
static int arg_file(struct session *s, const char *name,
		    struct kmem_file_info *fi)
{
	if (kmem_file_info(s->m, name, fi) || fi->deleted)
		return sess_error(s, "%s: %s: No such file (file ls lists them)",
				  s->cur.word, name);
	return 0;
}

static void file_json(struct session *s, const struct kmem_file_info *f)
{
	json_str(s, "name", f->name);
	json_u64(s, "size", f->size);
	json_u64(s, "ino", f->ino);
	json_u64(s, "nrpages", f->nrpages);
	json_u64(s, "nrdirty", f->nrdirty);
	json_u64(s, "nr_mmaps", f->nr_mmaps);
	json_bool(s, "deleted", f->deleted);
}

/* ------------------------------------------------------------------ */
/* file create / rm / ls                                               */
/* ------------------------------------------------------------------ */

static int file_ls(struct session *s)
{
	size_t n;
	struct kmem_file_info *f = file_list(s, &n);

	if (sess_text(s)) {
		if (!n)
			sess_printf(s, "no files (file create NAME SIZE makes one)\n");
		else
			sess_printf(s, "%-24s %6s %12s %7s %7s %5s\n", "NAME", "INODE",
				    "SIZE", "CACHED", "DIRTY", "MMAPS");
	}
	json_begin_array(s, "files");
	for (size_t i = 0; i < n; i++) {
		json_begin_object(s, NULL);
		file_json(s, &f[i]);
		json_end_object(s);
		if (sess_text(s))
			sess_printf(s, "%-24s %6lu %12llu %7lu %7lu %5lu%s\n",
				    f[i].name, f[i].ino,
				    (unsigned long long)f[i].size, f[i].nrpages,
				    f[i].nrdirty, f[i].nr_mmaps,
				    f[i].deleted ? "  (deleted)" : "");
	}
	json_end_array(s);
	free(f);
	return 0;
}

static int run_file(struct session *s, int argc, char **argv)
{
	const char *sub = argv[1];
	struct kmem_file_info fi;
	uint64_t size;

	if (!strcmp(sub, "ls")) {
		if (argc != 2)
			return sess_error(s, "file ls: takes no arguments");
		return file_ls(s);
	}
	if (!strcmp(sub, "create")) {
		if (argc != 4)
			return sess_error(s, "file create: usage: file create NAME "
					  "SIZE");
		if (arg_size(s, argv[3], "size", &size))
			return -1;
		if (kmem_file_create(s->m, argv[2], size))
			return sess_error(s, "%s", kmem_last_error(s->m));
		kmem_file_info(s->m, argv[2], &fi);
		file_json(s, &fi);
		if (sess_text(s))
			sess_printf(s, "created %s: %llu bytes (%llu pages), inode "
				    "%lu, nothing cached yet\n", fi.name,
				    (unsigned long long)fi.size,
				    (unsigned long long)(fi.size + 4095) >> 12,
				    fi.ino);
		return 0;
	}
	if (!strcmp(sub, "rm")) {
		if (argc != 3)
			return sess_error(s, "file rm: usage: file rm NAME");
		if (arg_file(s, argv[2], &fi))
			return -1;
		if (kmem_file_rm(s->m, argv[2]))
			return sess_error(s, "%s", kmem_last_error(s->m));
		json_str(s, "name", argv[2]);
		json_bool(s, "still_mapped", fi.nr_mmaps > 0);
		if (sess_text(s)) {
			if (fi.nr_mmaps)
				sess_printf(s, "removed %s: still mapped by %lu vma%s, "
					    "it lives on as \"%s (deleted)\"\n",
					    argv[2], fi.nr_mmaps,
					    fi.nr_mmaps == 1 ? "" : "s", argv[2]);
			else
				sess_printf(s, "removed %s: %lu cached page%s freed\n",
					    argv[2], fi.nrpages,
					    fi.nrpages == 1 ? "" : "s");
		}
		return 0;
	}
	return sess_error(s, "file: unknown subcommand '%s': create, rm or ls",
			  sub);
}

static void complete_file(struct session *s, int argi, char **argv,
			  struct completion *c)
{
	if (argi == 1) {
		compl_add(c, "create");
		compl_add(c, "ls");
		compl_add(c, "rm");
	} else if (argi == 2 && !strcmp(argv[1], "rm")) {
		complete_files(s, c);
	}
}

/* ------------------------------------------------------------------ */
/* read, write, fsync                                                  */
/* ------------------------------------------------------------------ */

static void io_json(struct session *s, const struct kmem_io_info *io)
{
	json_u64(s, "pages", io->pages);
	json_u64(s, "hits", io->hits);
	json_u64(s, "misses", io->misses);
	json_u64(s, "readahead", io->readahead);
	json_u64(s, "read_io", io->read_io);
	json_u64(s, "dirtied", io->dirtied);
	json_u64(s, "written", io->written);
	json_u64(s, "bytes", io->bytes);
	json_u64(s, "wait_us", io->wait_us);
}

/* "; waited 1.953 ms for the disk" when the call had to wait */
static void print_wait(struct session *s, const struct kmem_io_info *io)
{
	char b[32];

	if (io->wait_us)
		sess_printf(s, "; waited %s for the disk",
			    fmt_ms(b, sizeof b, io->wait_us));
}

static int run_rw(struct session *s, int argc, char **argv, bool write)
{
	struct kmem_file_info fi;
	struct kmem_io_info io;
	uint64_t off, len;

	if (arg_file(s, argv[1], &fi) ||
	    arg_size(s, argv[2], "offset", &off) ||
	    arg_size(s, argv[3], "length", &len))
		return -1;
	memset(&io, 0, sizeof io);
	int rc = write ? kmem_file_write(s->m, argv[1], off, len, &io) :
		 kmem_file_read(s->m, argv[1], off, len, &io);
	if (rc)
		return sess_error(s, "%s", kmem_last_error(s->m));
	json_str(s, "file", argv[1]);
	json_u64(s, "offset", off);
	json_u64(s, "len", len);
	io_json(s, &io);
	if (!sess_text(s))
		return 0;
	if (write) {
		sess_printf(s, "wrote %llu bytes to %s at %llu: %lu page%s (%lu "
			    "cached, %lu new), %lu newly dirty", (unsigned long long)
			    io.bytes, argv[1], (unsigned long long)off, io.pages,
			    io.pages == 1 ? "" : "s", io.hits, io.misses,
			    io.dirtied);
		if (io.read_io)
			sess_printf(s, ", %lu read first", io.read_io);
		if (io.written)
			sess_printf(s, ", %lu written back", io.written);
		print_wait(s, &io);
		sess_printf(s, "\n");
		return 0;
	}
	if (!io.bytes) {
		sess_printf(s, "read 0 bytes from %s: offset %llu is at or past the "
			    "end (size %llu)\n", argv[1], (unsigned long long)off,
			    (unsigned long long)fi.size);
		return 0;
	}
	sess_printf(s, "read %llu bytes from %s at %llu: %lu page%s, %lu hit%s, "
		    "%lu miss%s; readahead %lu, %lu read from disk",
		    (unsigned long long)io.bytes, argv[1],
		    (unsigned long long)off, io.pages, io.pages == 1 ? "" : "s",
		    io.hits, io.hits == 1 ? "" : "s", io.misses,
		    io.misses == 1 ? "" : "es", io.readahead, io.read_io);
	print_wait(s, &io);
	sess_printf(s, "\n");
	return 0;
}

static int run_read(struct session *s, int argc, char **argv)
{
	return run_rw(s, argc, argv, false);
}

static int run_write(struct session *s, int argc, char **argv)
{
	return run_rw(s, argc, argv, true);
}

static int run_fsync(struct session *s, int argc, char **argv)
{
	struct kmem_file_info fi;
	struct kmem_io_info io;

	if (arg_file(s, argv[1], &fi))
		return -1;
	memset(&io, 0, sizeof io);
	if (kmem_file_fsync(s->m, argv[1], &io))
		return sess_error(s, "%s", kmem_last_error(s->m));
	json_str(s, "file", argv[1]);
	io_json(s, &io);
	if (sess_text(s)) {
		sess_printf(s, "fsync %s: %lu dirty page%s written back", argv[1],
			    io.written, io.written == 1 ? "" : "s");
		print_wait(s, &io);
		sess_printf(s, "\n");
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* show file                                                           */
/* ------------------------------------------------------------------ */

static int show_file(struct session *s, int argc, char **argv)
{
	struct kmem_file_info fi;

	if (kmem_file_info(s->m, argv[1], &fi))
		return sess_error(s, "show file: %s: No such file (file ls lists "
				  "them)", argv[1]);
	size_t n = kmem_file_pages(s->m, argv[1], NULL, NULL, 0);
	unsigned long *idx = cli_realloc(NULL, (n ? n : 1) * sizeof *idx);
	unsigned long *pfn = cli_realloc(NULL, (n ? n : 1) * sizeof *pfn);
	size_t got = kmem_file_pages(s->m, argv[1], idx, pfn, n);
	if (got < n)
		n = got;
	const struct kmem_ra_info *ra = &fi.ra;
	file_json(s, &fi);
	json_u64(s, "radix_height", fi.radix_height);
	json_u64(s, "radix_nodes", fi.radix_nodes);
	json_begin_object(s, "readahead");
	json_u64(s, "start", ra->start);
	json_u64(s, "size", ra->size);
	json_u64(s, "ahead_start", ra->ahead_start);
	json_u64(s, "ahead_size", ra->ahead_size);
	json_u64(s, "ra_pages", ra->ra_pages);
	json_u64(s, "cache_hit", ra->cache_hit);
	json_i64(s, "prev_page", ra->prev_page);
	json_u64(s, "mmap_hit", ra->mmap_hit);
	json_u64(s, "mmap_miss", ra->mmap_miss);
	json_bool(s, "miss", ra->miss);
	json_bool(s, "incache", ra->incache);
	json_end_object(s);
	json_begin_array(s, "pages");
	for (size_t i = 0; i < n; i++) {
		struct kmem_page_info pi;
		kmem_page_info(s->m, pfn[i], &pi);
		json_begin_object(s, NULL);
		json_u64(s, "index", idx[i]);
		json_u64(s, "pfn", pfn[i]);
		json_bool(s, "dirty", pi.flags & (1u << PG_DIRTY_BIT));
		json_end_object(s);
	}
	json_end_array(s);
	if (sess_text(s)) {
		sess_printf(s, "file %s%s: inode %lu, %llu bytes (%llu pages), "
			    "mapped by %lu vma%s\n", fi.name,
			    fi.deleted ? " (deleted)" : "", fi.ino,
			    (unsigned long long)fi.size,
			    (unsigned long long)(fi.size + 4095) >> 12, fi.nr_mmaps,
			    fi.nr_mmaps == 1 ? "" : "s");
		sess_printf(s, "  page cache  %lu page%s, %lu dirty; radix tree "
			    "height %u, %zu node%s\n", fi.nrpages,
			    fi.nrpages == 1 ? "" : "s", fi.nrdirty,
			    fi.radix_height, fi.radix_nodes,
			    fi.radix_nodes == 1 ? "" : "s");
		sess_printf(s, "  readahead   window %lu+%lu, ahead %lu+%lu, "
			    "ra_pages %lu, prev_page %ld, cache_hit %lu%s%s\n",
			    ra->start, ra->size, ra->ahead_start, ra->ahead_size,
			    ra->ra_pages, ra->prev_page, ra->cache_hit,
			    ra->miss ? ", RA_FLAG_MISS" : "",
			    ra->incache ? ", RA_FLAG_INCACHE" : "");
		if (ra->mmap_hit || ra->mmap_miss)
			sess_printf(s, "  mmap        %lu hits, %lu misses\n",
				    ra->mmap_hit, ra->mmap_miss);
		for (size_t i = 0; i < n; i++) {
			struct kmem_page_info pi;
			kmem_page_info(s->m, pfn[i], &pi);
			if (i % PAGES_PER_LINE == 0)
				sess_printf(s, "  %s", i ? "           " :
					    "cached      ");
			sess_printf(s, " %lu:0x%lx%s", idx[i], pfn[i],
				    pi.flags & (1u << PG_DIRTY_BIT) ? "D" : "");
			if (i % PAGES_PER_LINE == PAGES_PER_LINE - 1 || i + 1 == n)
				sess_printf(s, "\n");
		}
		if (n)
			sess_printf(s, "  (index:pfn, D dirty)\n");
	}
	free(idx);
	free(pfn);
	return 0;
}

static void complete_show_file(struct session *s, int argi, char **argv,
			       struct completion *c)
{
	if (argi == 2)
		complete_files(s, c);
}

/* ------------------------------------------------------------------ */
/* Table entries                                                       */
/* ------------------------------------------------------------------ */

const struct command show_file_entry = {
	.name = "file", .usage = "show file NAME",
	.summary = "a file's page cache, radix tree and readahead state",
	.example = "show file data",
	.detail = "Size, inode, the pages in the page cache (index:pfn, D for "
		  "dirty), the radix tree's height and nodes, and the open "
		  "file's readahead state: the current and ahead windows "
		  "(start+size in pages), ra_pages, prev_page and the "
		  "RA_FLAG_MISS / RA_FLAG_INCACHE flags.",
	.family = FAM_SHOW, .min_args = 1, .max_args = 1, .run = show_file,
	.complete = complete_show_file,
};

const struct command cmd_file = {
	.name = "file",
	.usage = "file create NAME SIZE | file rm NAME | file ls",
	.summary = "make, remove or list simulated files",
	.example = "file create data 1M",
	.detail = "Files have no contents and no disk: a page read costs 8 "
		  "sectors of pgpgin, a page written back 8 of pgpgout.  SIZE "
		  "takes k/M/G.  A file removed while mapped lives on, shown as "
		  "NAME (deleted), until its last vma goes.  spawn creates "
		  "/bin/NAME and /lib/libc-2.5.so when it needs them.",
	.family = FAM_FILE,
	.min_args = 1, .max_args = 3,
	.flags = CMD_MUTATES,
	.run = run_file,
	.complete = complete_file,
};

const struct command cmd_read = {
	.name = "read",
	.usage = "read FILE OFFSET LEN",
	.summary = "read(2) through the page cache, with readahead",
	.example = "read data 0 16k",
	.detail = "do_generic_mapping_read: page_cache_readahead sizes the "
		  "windows (2.6.20's get_init_ra_size, then doubling up to "
		  "ra_pages), then find_get_page for each page; a miss reads the "
		  "page (a major I/O).  Prints hits, misses, readahead and pages "
		  "read; a read past the end returns 0 bytes.",
	.family = FAM_FILE,
	.min_args = 3, .max_args = 3,
	.flags = CMD_MUTATES,
	.run = run_read,
	.complete = complete_file_first,
};

const struct command cmd_write = {
	.name = "write",
	.usage = "write FILE OFFSET LEN",
	.summary = "write(2) into the page cache: pages become dirty",
	.example = "write data 0 8k",
	.detail = "generic_file_buffered_write: each page is found or added to "
		  "the page cache (a partial write of an uncached page reads it "
		  "first), then marked dirty; the file grows when written past "
		  "its end.  Dirty pages go to disk with fsync, sync or "
		  "pdflush.",
	.family = FAM_FILE,
	.min_args = 3, .max_args = 3,
	.flags = CMD_MUTATES,
	.run = run_write,
	.complete = complete_file_first,
};

const struct command cmd_fsync = {
	.name = "fsync",
	.usage = "fsync FILE",
	.summary = "write a file's dirty pages back (pgpgout)",
	.example = "fsync data",
	.family = FAM_FILE,
	.min_args = 1, .max_args = 1,
	.flags = CMD_MUTATES,
	.run = run_fsync,
	.complete = complete_file_first,
};
