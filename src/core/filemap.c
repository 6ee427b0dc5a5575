/*
 * filemap.c - simulated files and the page cache (mm/filemap.c,
 * mm/truncate.c, mm/page-writeback.c, mm/shmem.c's nopage, 2.6.20).
 *
 *   kfile (inode)
 *     mapping.page_tree   radix tree: index -> struct page (radix_tree.c)
 *     mapping.i_mmap      vmas mapping the file (rmap walks it)
 *     ra                  the open file's readahead state (readahead.c)
 *
 *   read    do_generic_mapping_read: page_cache_readahead when the
 *           reader reaches next_index, find_get_page, on a miss
 *           page_cache_alloc_cold + add_to_page_cache_lru + readpage
 *   write   generic_file_buffered_write: __grab_cache_page, prepare_write
 *           (reads a partly written page that lies inside i_size),
 *           commit_write -> set_page_dirty (NR_FILE_DIRTY, DIRTY tag)
 *   fsync   write_cache_pages over the DIRTY tag: clear_page_dirty_for_io
 *           (page_mkclean), set_page_writeback, I/O, end_page_writeback
 *   fault   filemap_nopage (read-around, mmap_hit/mmap_miss), shmem_nopage
 *
 * There is no disk.  Reading a page costs 8 sectors of pgpgin and writing
 * one back 8 sectors of pgpgout (4 KiB blocks), and I/O completes at
 * once, so pages are never seen locked or under writeback between
 * operations.  File contents are not modelled: a page reads as zeros
 * unless a user wrote it through a mapping.
 *
 * New page-cache pages join the LRU through lru_cache_add (swap.c), as
 * add_to_page_cache_lru does.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "mm.h"
#include "vmscan.h"

#define MAX_FILE_BYTES (1ULL << 43)     /* page->index is 32 bits here */
#define SECTORS_PER_PAGE (PAGE_SIZE / 512)

/* ------------------------------------------------------------------ */
/* Files                                                               */
/* ------------------------------------------------------------------ */

struct kfile *file_by_id(const struct machine *m, unsigned id)
{
	const struct mm_state *s = mms(m);

	return id && id < s->nr_file_ids ? s->files[id] : NULL;
}

struct kfile *mapping_file(const struct machine *m, const struct page *p)
{
	if (!p->mapping || PageAnon(p))
		return NULL;
	return file_by_id(m, p->mapping >> 1);
}

/* A named, linked file (not a shmem object, not unlinked). */
struct kfile *file_lookup(const struct machine *m, const char *name)
{
	const struct mm_state *s = mms(m);

	for (unsigned id = 1; id < s->nr_file_ids; id++) {
		struct kfile *f = s->files[id];
		if (f && !f->shmem && !f->unlinked && !strcmp(f->name, name))
			return f;
	}
	return NULL;
}

int file_new(struct machine *m, const char *name, uint64_t size, bool shmem,
	     struct kfile **out)
{
	struct mm_state *s = mms(m);
	unsigned id = 1;

	while (id < s->nr_file_ids && s->files[id])
		id++;
	if (id >= s->files_cap) {
		s->files_cap = s->files_cap ? s->files_cap * 2 : 16;
		s->files = xrealloc(s->files, s->files_cap * sizeof *s->files);
	}
	if (id >= s->nr_file_ids) {
		for (unsigned i = s->nr_file_ids; i <= id; i++)
			s->files[i] = NULL;
		s->nr_file_ids = id + 1;
	}
	struct kfile *f = xcalloc(1, sizeof *f);
	f->id = id;
	snprintf(f->name, sizeof f->name, "%s", name);
	f->size = size;
	f->ino = s->next_ino++;
	f->shmem = shmem;
	/* shmem_backing_dev_info has BDI_CAP_NO_ACCT_DIRTY */
	f->mapping.account_dirty = !shmem;
	file_ra_state_init(&f->ra);
	s->files[id] = f;
	*out = f;
	return 0;
}

/* iput of the last reference: truncate, unaccount, forget. */
void file_release(struct machine *m, struct kfile *f)
{
	truncate_inode_pages(m, f);
	if (f->shmem_acct)
		vm_unacct_memory(m, (long)f->shmem_acct);
	blk_forget_dev(m, f->id);       /* the id will name another file */
	mms(m)->files[f->id] = NULL;
	free(f);
}

void i_mmap_add(struct kfile *f, struct vm_area_struct *v,
		struct vm_area_struct *after)
{
	struct address_space *a = &f->mapping;

	if (after) {
		v->i_mmap_prev = after;
		v->i_mmap_next = after->i_mmap_next;
		if (after->i_mmap_next)
			after->i_mmap_next->i_mmap_prev = v;
		else
			a->i_mmap_tail = v;
		after->i_mmap_next = v;
	} else {
		v->i_mmap_next = NULL;
		v->i_mmap_prev = a->i_mmap_tail;
		if (a->i_mmap_tail)
			a->i_mmap_tail->i_mmap_next = v;
		else
			a->i_mmap_head = v;
		a->i_mmap_tail = v;
	}
	a->i_mmap_count++;
}

void i_mmap_del(struct kfile *f, struct vm_area_struct *v)
{
	struct address_space *a = &f->mapping;

	if (v->i_mmap_prev)
		v->i_mmap_prev->i_mmap_next = v->i_mmap_next;
	else
		a->i_mmap_head = v->i_mmap_next;
	if (v->i_mmap_next)
		v->i_mmap_next->i_mmap_prev = v->i_mmap_prev;
	else
		a->i_mmap_tail = v->i_mmap_prev;
	v->i_mmap_next = v->i_mmap_prev = NULL;
	a->i_mmap_count--;
}

/* ------------------------------------------------------------------ */
/* Page cache                                                          */
/* ------------------------------------------------------------------ */

struct page *find_get_page(struct machine *m, struct kfile *f,
			   unsigned long index)
{
	struct page *p = radix_tree_lookup(&f->mapping.page_tree, index);

	if (p)
		get_page(p);
	if (TRACING(m)) {
		if (p)
			trace_note(m, "find_get_page: index %lu -> pfn %#lx (hit)",
				   index, page_to_pfn(m, p));
		else
			trace_note(m, "find_get_page: index %lu -> NULL (miss)",
				   index);
	}
	return p;
}

/* add_to_page_cache: -EEXIST or -ENOMEM (tree unchanged) or 0 with the
 * page locked, referenced by the cache, counted in NR_FILE_PAGES. */
int add_to_page_cache(struct machine *m, struct page *p, struct kfile *f,
		      unsigned long index)
{
	int err = radix_tree_insert(m, &f->mapping.page_tree, index, p);

	if (err)
		return err;
	get_page(p);
	SetPageFlag(p, PG_locked);
	p->mapping = f->id << 1;
	p->index = (uint32_t)index;
	f->mapping.nrpages++;
	__mod_zone_page_state(page_zone(m, p), NR_FILE_PAGES, 1);
	return 0;
}

static int add_to_page_cache_lru(struct machine *m, struct page *p,
				 struct kfile *f, unsigned long index)
{
	int err = add_to_page_cache(m, p, f, index);

	if (!err)
		lru_cache_add(m, p);
	return err;
}

void remove_from_page_cache(struct machine *m, struct page *p)
{
	struct kfile *f = mapping_file(m, p);

	radix_tree_delete(m, &f->mapping.page_tree, p->index);
	p->mapping = 0;
	f->mapping.nrpages--;
	__mod_zone_page_state(page_zone(m, p), NR_FILE_PAGES, -1);
}

/* page_cache_alloc(_cold): mapping_gfp_mask is GFP_HIGHUSER (§1.5). */
static struct page *page_cache_alloc(struct machine *m, bool cold)
{
	unsigned long pfn;

	if (kmem_alloc_pages(m, -1, GFP_HIGHUSER | (cold ? __GFP_COLD : 0), 0,
			     &pfn))
		return NULL;
	return pfn_to_page(m, pfn);
}

/* ->readpage: one 4 KiB block, I/O completes at once. */
static void readpage(struct machine *m, struct page *p)
{
	blk_submit_read(m, mapping_file(m, p)->id, p->index);
	count_vm_events(m, PGPGIN, SECTORS_PER_PAGE);
	if (mms(m)->io)
		mms(m)->io->read_io++;
	SetPageFlag(p, PG_uptodate);
	ClearPageFlag(p, PG_locked);
	if (TRACING(m))
		trace_note(m, "readpage: index %u into pfn %#lx (8 sectors)",
			   p->index, page_to_pfn(m, p));
}

/* __do_page_cache_readahead's per-page step (readahead.c): allocate a
 * cold page for index, insert it, read it.  Returns 1 if a page was
 * read, 0 if it was cached already, -ENOMEM. */
int page_cache_read(struct machine *m, struct kfile *f, unsigned long index)
{
	struct page *p = page_cache_alloc(m, true);
	int ret;

	if (!p)
		return -ENOMEM;
	ret = add_to_page_cache_lru(m, p, f, index);
	if (ret == 0) {
		readpage(m, p);
		ret = 1;
	} else if (ret == -EEXIST) {
		ret = 0;
	}
	put_page(m, p);
	return ret;
}

void set_page_dirty(struct machine *m, struct page *p)
{
	if (PageFlag(p, PG_dirty))
		return;
	SetPageFlag(p, PG_dirty);
	struct kfile *f = mapping_file(m, p);
	if (!f)
		return;
	if (f->mapping.account_dirty)
		__mod_zone_page_state(page_zone(m, p), NR_FILE_DIRTY, 1);
	radix_tree_tag_set(&f->mapping.page_tree, p->index, PAGECACHE_TAG_DIRTY);
	if (!f->dirtied_when)           /* __mark_inode_dirty(I_DIRTY_PAGES) */
		f->dirtied_when = m->jiffies ? m->jiffies : 1;
	if (mms(m)->io)
		mms(m)->io->dirtied++;
}

/* cancel_dirty_page / the accounting half of clear_page_dirty_for_io */
static bool test_clear_page_dirty(struct machine *m, struct kfile *f,
				  struct page *p)
{
	if (!PageFlag(p, PG_dirty))
		return false;
	ClearPageFlag(p, PG_dirty);
	if (f->mapping.account_dirty)
		__mod_zone_page_state(page_zone(m, p), NR_FILE_DIRTY, -1);
	radix_tree_tag_clear(&f->mapping.page_tree, p->index,
			     PAGECACHE_TAG_DIRTY);
	return true;
}

/* truncate_inode_pages(mapping, 0): every page out of the cache.  The
 * caller has made sure no vma maps the file any more. */
void truncate_inode_pages(struct machine *m, struct kfile *f)
{
	void *batch[PAGEVEC_SIZE];
	unsigned long idx[PAGEVEC_SIZE];
	size_t n;

	lru_add_drain(m);               /* as its __pagevec_release does */
	while ((n = radix_tree_gang_lookup(&f->mapping.page_tree, batch, idx,
					   0, PAGEVEC_SIZE, -1)) > 0) {
		for (size_t i = 0; i < n; i++) {
			struct page *p = batch[i];
			test_clear_page_dirty(m, f, p);
			ClearPageFlag(p, PG_uptodate);
			ClearPageFlag(p, PG_mappedtodisk);
			remove_from_page_cache(m, p);
			put_page(m, p);
		}
	}
}

/*
 * drop_pagecache (fs/drop_caches.c): invalidate_mapping_pages on every
 * file: pages that are clean, unmapped and referenced only by the cache
 * leave it.  shmem objects keep theirs (their only copy).  Returns the
 * pages dropped.  For vm.drop_caches (sysctl.c).
 */
unsigned long drop_pagecache(struct machine *m)
{
	struct mm_state *s = m->mms;
	void *batch[PAGEVEC_SIZE];
	unsigned long idx[PAGEVEC_SIZE], dropped = 0;
	size_t n;

	if (!s)
		return 0;
	/* the kernel's first __pagevec_release drains; we drain up front so
	 * pages still waiting in this CPU's pagevec can go too */
	lru_add_drain(m);
	for (unsigned id = 1; id < s->nr_file_ids; id++) {
		struct kfile *f = s->files[id];
		unsigned long next = 0;
		if (!f || f->shmem)
			continue;
		while ((n = radix_tree_gang_lookup(&f->mapping.page_tree, batch,
						   idx, next, PAGEVEC_SIZE, -1)) > 0) {
			next = idx[n - 1] + 1;
			for (size_t i = 0; i < n; i++) {
				struct page *p = batch[i];
				if (PageFlag(p, PG_dirty) || p->_mapcount >= 0 ||
				    p->_count != 1)
					continue;
				remove_from_page_cache(m, p);
				put_page(m, p);
				dropped++;
			}
		}
	}
	return dropped;
}

/* ------------------------------------------------------------------ */
/* Faults on file and shmem mappings                                   */
/* ------------------------------------------------------------------ */

#define MMAP_LOTSAMISS 100

/*
 * filemap_nopage: the page for addr with a reference, *type MINOR or
 * MAJOR; or NULL with *type VM_FAULT_SIGBUS (beyond EOF) or VM_FAULT_OOM.
 */
struct page *filemap_nopage(struct machine *m, struct vm_area_struct *v,
			    kaddr_t addr, int *type)
{
	struct kfile *f = v->vm_file;
	struct file_ra_state *ra = &f->ra;
	unsigned long pgoff = linear_page_index(v, addr);
	bool did_readaround = false;
	int majmin = VM_FAULT_MINOR;
	struct page *p;

	if (TRACING(m))
		trace_enter(m, "filemap_nopage", "%s index %lu", f->name, pgoff);
	unsigned long size = (unsigned long)((f->size + PAGE_SIZE - 1) >> PAGE_SHIFT);
	if (pgoff >= size) {
		if (TRACING(m))
			trace_exit(m, "NOPAGE_SIGBUS: index %lu beyond EOF (%lu pages)",
				   pgoff, size);
		*type = VM_FAULT_SIGBUS;
		return NULL;
	}
	if (v->vm_flags & VM_RAND_READ)
		goto no_cached_page;
	if (v->vm_flags & VM_SEQ_READ)
		page_cache_readahead(m, f, ra, pgoff, 1);
retry_find:
	p = find_get_page(m, f, pgoff);
	if (!p) {
		if (v->vm_flags & VM_SEQ_READ) {
			handle_ra_miss(ra);
			goto no_cached_page;
		}
		ra->mmap_miss++;
		if (ra->mmap_miss > ra->mmap_hit + MMAP_LOTSAMISS) {
			if (TRACING(m))
				trace_note(m, "mmap_miss %lu > mmap_hit %lu + %d: "
					   "no read-around", ra->mmap_miss,
					   ra->mmap_hit, MMAP_LOTSAMISS);
			goto no_cached_page;
		}
		if (!did_readaround) {
			majmin = VM_FAULT_MAJOR;
			count_vm_events(m, PGMAJFAULT, 1);
		}
		did_readaround = true;
		unsigned long ra_pages = max_sane_readahead(m, ra->ra_pages);
		if (ra_pages) {
			unsigned long start = 0;
			if (pgoff > ra_pages / 2)
				start = pgoff - ra_pages / 2;
			if (TRACING(m))
				trace_note(m, "read-around: %lu pages from index %lu",
					   ra_pages, start);
			if (do_page_cache_readahead(m, f, start, ra_pages) < 0)
				goto no_cached_page;
		}
		p = find_get_page(m, f, pgoff);
		if (!p)
			goto no_cached_page;
	}
	if (!did_readaround)
		ra->mmap_hit++;
	blk_wait_page(m, f->id, pgoff);         /* lock_page */
	mark_page_accessed(m, p);
	*type = majmin;
	if (TRACING(m))
		trace_exit(m, "pfn %#lx, %s", page_to_pfn(m, p),
			   majmin == VM_FAULT_MAJOR ? "VM_FAULT_MAJOR" :
			   "VM_FAULT_MINOR");
	return p;

no_cached_page: {
		int err = page_cache_read(m, f, pgoff);
		if (err >= 0)
			goto retry_find;
		*type = VM_FAULT_OOM;
		if (TRACING(m))
			trace_exit(m, "NOPAGE_OOM");
		return NULL;
	}
}

/*
 * shmem_nopage (mm/shmem.c): the page of a MAP_SHARED|MAP_ANONYMOUS
 * object, allocated zeroed on first touch, never read from disk.
 * shmem's swap index pages are not modelled.
 */
struct page *shmem_nopage(struct machine *m, struct vm_area_struct *v,
			  kaddr_t addr, int *type)
{
	struct kfile *f = v->vm_file;
	unsigned long idx = linear_page_index(v, addr);
	unsigned long pfn;

	if (TRACING(m))
		trace_enter(m, "shmem_nopage", "index %lu", idx);
	if ((uint64_t)idx << PAGE_SHIFT >= f->size) {
		*type = VM_FAULT_SIGBUS;
		if (TRACING(m))
			trace_exit(m, "NOPAGE_SIGBUS");
		return NULL;
	}
	struct page *p = find_get_page(m, f, idx);
	if (!p) {
		if (kmem_alloc_pages(m, -1, GFP_HIGHUSER, 0, &pfn)) {
			*type = VM_FAULT_OOM;
			if (TRACING(m))
				trace_exit(m, "NOPAGE_OOM");
			return NULL;
		}
		p = pfn_to_page(m, pfn);
		if (add_to_page_cache_lru(m, p, f, idx)) {
			put_page(m, p);
			*type = VM_FAULT_OOM;
			if (TRACING(m))
				trace_exit(m, "NOPAGE_OOM: no radix tree node");
			return NULL;
		}
		physmem_clear(m, pfn);          /* clear_highpage */
		SetPageFlag(p, PG_uptodate);
		ClearPageFlag(p, PG_locked);
		if (TRACING(m))
			trace_note(m, "shmem_getpage: new zeroed page pfn %#lx", pfn);
	}
	mark_page_accessed(m, p);
	*type = VM_FAULT_MINOR;
	if (TRACING(m))
		trace_exit(m, "pfn %#lx", page_to_pfn(m, p));
	return p;
}

/* ------------------------------------------------------------------ */
/* read(2), write(2), fsync(2)                                         */
/* ------------------------------------------------------------------ */

/* do_generic_mapping_read: returns bytes read, or -ENOMEM. */
static long do_generic_mapping_read(struct machine *m, struct kfile *f,
				    uint64_t pos, uint64_t count)
{
	struct kmem_io_info *io = mms(m)->io;
	struct file_ra_state ra = f->ra;
	unsigned long index = (unsigned long)(pos >> PAGE_SHIFT);
	unsigned long next_index = index;
	unsigned long prev_index = ra.prev_page;
	unsigned long last_index = (unsigned long)((pos + count + PAGE_SIZE - 1)
						   >> PAGE_SHIFT);
	unsigned long offset = (unsigned long)(pos & (PAGE_SIZE - 1));
	uint64_t isize = f->size;
	long done = 0;

	if (TRACING(m))
		trace_enter(m, "do_generic_mapping_read", "%s pos %llu count %llu",
			    f->name, (unsigned long long)pos,
			    (unsigned long long)count);
	if (!isize || !count)
		goto out;
	unsigned long end_index = (unsigned long)((isize - 1) >> PAGE_SHIFT);
	for (;;) {
		unsigned long nr = PAGE_SIZE;
		if (index >= end_index) {
			if (index > end_index)
				goto out;
			nr = (unsigned long)((isize - 1) & (PAGE_SIZE - 1)) + 1;
			if (nr <= offset)
				goto out;
		}
		nr -= offset;
		if (index == next_index)
			next_index = page_cache_readahead(m, f, &ra, index,
							  last_index - index);
find_page:;
		struct page *p = find_get_page(m, f, index);
		if (!p) {
			handle_ra_miss(&ra);
			if (io)
				io->misses++;
			p = page_cache_alloc(m, true);
			if (!p) {
				done = done ? done : -ENOMEM;
				goto out;
			}
			int err = add_to_page_cache_lru(m, p, f, index);
			if (err) {
				put_page(m, p);
				if (err == -EEXIST)
					goto find_page;
				done = done ? done : err;
				goto out;
			}
			readpage(m, p);
		} else {
			if (io)
				io->hits++;
			if (!PageFlag(p, PG_uptodate))
				readpage(m, p);
		}
		blk_wait_page(m, f->id, index);        /* lock_page */
		if (io)
			io->pages++;
		if (prev_index != index)
			mark_page_accessed(m, p);
		prev_index = index;
		unsigned long ret = nr;
		if (ret > count)
			ret = (unsigned long)count;
		count -= ret;
		done += (long)ret;
		offset += ret;
		index += offset >> PAGE_SHIFT;
		offset &= PAGE_SIZE - 1;
		put_page(m, p);
		if (ret == nr && count)
			continue;
		goto out;
	}
out:
	f->ra = ra;
	if (io && done > 0)
		io->bytes = (uint64_t)done;
	if (TRACING(m))
		trace_exit(m, "%ld bytes", done);
	return done;
}

/* kernel_read: what exec does to read a binary's header. */
int kernel_read(struct machine *m, struct kfile *f, uint64_t off, size_t len)
{
	long r = do_generic_mapping_read(m, f, off, len);

	return r < 0 ? (int)r : 0;
}

/* generic_file_buffered_write with block_prepare_write/commit_write on
 * 4 KiB blocks; balance_dirty_pages comes with the writeback issue. */
static long generic_file_buffered_write(struct machine *m, struct kfile *f,
					uint64_t pos, uint64_t count)
{
	struct kmem_io_info *io = mms(m)->io;
	long done = 0;

	if (TRACING(m))
		trace_enter(m, "generic_file_buffered_write", "%s pos %llu count %llu",
			    f->name, (unsigned long long)pos,
			    (unsigned long long)count);
	while (count) {
		unsigned long index = (unsigned long)(pos >> PAGE_SHIFT);
		unsigned long offset = (unsigned long)(pos & (PAGE_SIZE - 1));
		unsigned long bytes = PAGE_SIZE - offset;
		if (bytes > count)
			bytes = (unsigned long)count;
		/* __grab_cache_page */
		struct page *p = find_get_page(m, f, index);
		if (!p) {
			p = page_cache_alloc(m, false);
			if (!p)
				break;
			int err = add_to_page_cache_lru(m, p, f, index);
			if (err) {
				put_page(m, p);
				break;
			}
			if (io)
				io->misses++;
		} else if (io) {
			io->hits++;
		}
		/* prepare_write: a partial write into a block inside i_size
		 * needs the block read first */
		if (!PageFlag(p, PG_uptodate)) {
			bool whole = offset == 0 && bytes == PAGE_SIZE;
			if (!whole && ((uint64_t)index << PAGE_SHIFT) < f->size)
				readpage(m, p);
			SetPageFlag(p, PG_uptodate);
			ClearPageFlag(p, PG_locked);
		}
		blk_wait_page(m, f->id, index);        /* lock_page */
		/* commit_write */
		set_page_dirty(m, p);
		if (pos + bytes > f->size)
			f->size = pos + bytes;
		mark_page_accessed(m, p);
		put_page(m, p);
		balance_dirty_pages_ratelimited(m, 1);
		if (io)
			io->pages++;
		pos += bytes;
		count -= bytes;
		done += (long)bytes;
	}
	if (io)
		io->bytes = (uint64_t)done;
	if (TRACING(m))
		trace_exit(m, "%ld bytes", done);
	return done ? done : (count ? -ENOMEM : 0);
}

/*
 * writepage for a page-cache page: clear_page_dirty_for_io (write-protect
 * shared PTEs, drop PG_dirty and the tag), set_page_writeback, submit 8
 * sectors.  With wait the I/O completes at once (fsync, pdflush);
 * reclaim passes false and ends it after putting its batch back.
 */
int file_writepage(struct machine *m, struct page *p, bool wait)
{
	struct kfile *f = mapping_file(m, p);

	if (!f)
		return -1;
	if (f->mapping.account_dirty)
		page_mkclean(m, p);
	if (!test_clear_page_dirty(m, f, p))
		return -1;
	set_page_writeback(m, p);
	f->wb_done = blk_submit_write(m);
	count_vm_events(m, PGPGOUT, SECTORS_PER_PAGE);
	SetPageFlag(p, PG_mappedtodisk);
	if (mms(m)->io)
		mms(m)->io->written++;
	if (TRACING(m))
		trace_note(m, "writepage: %s index %u pfn %#lx (8 sectors)",
			   f->name, p->index, page_to_pfn(m, p));
	if (wait)
		end_page_writeback(m, p);
	if (!file_has_dirty(f))
		f->dirtied_when = 0;
	return 0;
}

bool file_has_dirty(const struct kfile *f)
{
	void *one;
	unsigned long idx;

	return radix_tree_gang_lookup(&f->mapping.page_tree, &one, &idx, 0, 1,
				      PAGECACHE_TAG_DIRTY) > 0;
}

/* write_cache_pages: up to nr dirty pages of f in index order (nr < 0:
 * all), each completed at once.  Returns the pages written. */
long write_cache_pages(struct machine *m, struct kfile *f, long nr)
{
	void *batch[PAGEVEC_SIZE];
	unsigned long idx[PAGEVEC_SIZE];
	unsigned long next = 0;
	long written = 0;
	size_t n;

	while ((nr < 0 || written < nr) &&
	       (n = radix_tree_gang_lookup(&f->mapping.page_tree, batch, idx,
					   next, PAGEVEC_SIZE,
					   PAGECACHE_TAG_DIRTY)) > 0) {
		for (size_t i = 0; i < n && (nr < 0 || written < nr); i++) {
			next = idx[i] + 1;
			if (file_writepage(m, batch[i], true) == 0)
				written++;
		}
	}
	return written;
}

/* do_fsync -> filemap_fdatawrite -> write_cache_pages, then wait. */
static void do_fsync(struct machine *m, struct kfile *f)
{
	if (TRACING(m))
		trace_enter(m, "do_fsync", "%s", f->name);
	long n = write_cache_pages(m, f, -1);
	blk_wait_until(m, f->wb_done, "filemap_fdatawait");
	if (TRACING(m))
		trace_exit(m, "0 (%ld pages written)", n);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

static int check_name(struct machine *m, const char *name)
{
	if (!name || !*name)
		return set_error(m, -EINVAL, "file: a file needs a name");
	if (strlen(name) >= sizeof ((struct kfile *)0)->name)
		return set_error(m, -ENAMETOOLONG, "file: name '%.20s...' is longer "
				 "than %zu characters", name,
				 sizeof ((struct kfile *)0)->name - 1);
	for (const char *p = name; *p; p++)
		if (*p <= ' ' || *p > '~')
			return set_error(m, -EINVAL, "file: name '%s' contains a "
					 "blank or control character", name);
	return 0;
}

int kmem_file_create(struct machine *m, const char *name, uint64_t size)
{
	struct kfile *f;
	int rc = check_name(m, name);

	if (rc)
		return rc;
	if (file_lookup(m, name))
		return set_error(m, -EEXIST, "file: %s: File exists", name);
	if (size > MAX_FILE_BYTES)
		return set_error(m, -EFBIG, "file: size %llu is above the %llu "
				 "bytes a 32-bit page->index can address",
				 (unsigned long long)size,
				 (unsigned long long)MAX_FILE_BYTES);
	rc = mm_caches_init(m);
	if (rc)
		return rc;
	return file_new(m, name, size, false, &f);
}

int kmem_file_rm(struct machine *m, const char *name)
{
	struct kfile *f = file_lookup(m, name);

	if (!f)
		return set_error(m, -ENOENT, "rm: %s: No such file", name);
	if (f->mapping.i_mmap_count) {
		f->unlinked = true;     /* lives on, "(deleted)", while mapped */
		mms(m)->proc_gen++;
		return 0;
	}
	file_release(m, f);
	return 0;
}

static void fill_file_info(struct machine *m, const struct kfile *f,
			   struct kmem_file_info *o)
{
	memset(o, 0, sizeof *o);
	snprintf(o->name, sizeof o->name, "%s", f->name);
	o->size = f->size;
	o->ino = f->ino;
	o->nrpages = f->mapping.nrpages;
	void *batch[64];
	unsigned long idx[64], next = 0;
	size_t n;
	while ((n = radix_tree_gang_lookup(&f->mapping.page_tree, batch, idx,
					   next, 64, PAGECACHE_TAG_DIRTY)) > 0) {
		o->nrdirty += n;
		next = idx[n - 1] + 1;
	}
	o->nr_mmaps = f->mapping.i_mmap_count;
	o->radix_nodes = radix_tree_nodes(&f->mapping.page_tree);
	o->radix_height = f->mapping.page_tree.height;
	o->deleted = f->unlinked;
	o->ra.start = f->ra.start;
	o->ra.size = f->ra.size;
	o->ra.ahead_start = f->ra.ahead_start;
	o->ra.ahead_size = f->ra.ahead_size;
	o->ra.ra_pages = f->ra.ra_pages;
	o->ra.cache_hit = f->ra.cache_hit;
	o->ra.prev_page = (long)f->ra.prev_page;
	o->ra.mmap_hit = f->ra.mmap_hit;
	o->ra.mmap_miss = f->ra.mmap_miss;
	o->ra.miss = f->ra.flags & RA_FLAG_MISS;
	o->ra.incache = f->ra.flags & RA_FLAG_INCACHE;
	(void)m;
}

static int file_order(const void *a, const void *b)
{
	const struct kfile *x = *(struct kfile *const *)a;
	const struct kfile *y = *(struct kfile *const *)b;

	if (x->unlinked != y->unlinked)
		return x->unlinked ? 1 : -1;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->id < y->id ? -1 : 1);
}

size_t kmem_file_list(struct machine *m, struct kmem_file_info *out,
		      size_t max)
{
	struct mm_state *s = mms(m);
	struct kfile **v = xmalloc((s->nr_file_ids + 1) * sizeof *v);
	size_t n = 0;

	for (unsigned id = 1; id < s->nr_file_ids; id++)
		if (s->files[id] && !s->files[id]->shmem)
			v[n++] = s->files[id];
	qsort(v, n, sizeof *v, file_order);
	for (size_t i = 0; i < n && i < max; i++)
		fill_file_info(m, v[i], &out[i]);
	free(v);
	return n;
}

int kmem_file_info(struct machine *m, const char *name,
		   struct kmem_file_info *out)
{
	struct kfile *f = file_lookup(m, name);

	if (!f)
		return set_error(m, -ENOENT, "%s: No such file", name);
	fill_file_info(m, f, out);
	return 0;
}

static int file_io_begin(struct machine *m, const char *name, uint64_t off,
			 uint64_t len, struct kmem_io_info *io,
			 struct kfile **f, const char *op)
{
	*f = file_lookup(m, name);
	if (!*f)
		return set_error(m, -ENOENT, "%s: %s: No such file", op, name);
	if (off > MAX_FILE_BYTES || len > MAX_FILE_BYTES - off)
		return set_error(m, -EFBIG, "%s: offset %llu + length %llu is "
				 "beyond the largest file (%llu bytes)", op,
				 (unsigned long long)off, (unsigned long long)len,
				 (unsigned long long)MAX_FILE_BYTES);
	if (io)
		memset(io, 0, sizeof *io);
	mms(m)->io = io;
	return 0;
}

int kmem_file_read(struct machine *m, const char *name, uint64_t off,
		   uint64_t len, struct kmem_io_info *io)
{
	struct kfile *f;
	int rc = file_io_begin(m, name, off, len, io, &f, "read");

	if (rc)
		return rc;
	long r = do_generic_mapping_read(m, f, off, len);
	mms(m)->io = NULL;
	if (r < 0)
		return set_error(m, (int)r, "read: %s: out of memory for the page "
				 "cache", name);
	return 0;
}

int kmem_file_write(struct machine *m, const char *name, uint64_t off,
		    uint64_t len, struct kmem_io_info *io)
{
	struct kfile *f;
	int rc = file_io_begin(m, name, off, len, io, &f, "write");

	if (rc)
		return rc;
	/* deny_write_access: a file mapped MAP_DENYWRITE is being executed */
	for (struct vm_area_struct *v = f->mapping.i_mmap_head; v;
	     v = v->i_mmap_next)
		if (v->vm_flags & VM_DENYWRITE) {
			mms(m)->io = NULL;
			return set_error(m, -ETXTBSY, "write: %s: Text file busy",
					 name);
		}
	long r = generic_file_buffered_write(m, f, off, len);
	mms(m)->io = NULL;
	if (r < 0 || (uint64_t)r < len)
		return set_error(m, -ENOMEM, "write: %s: out of memory after "
				 "%ld bytes", name, r < 0 ? 0 : r);
	return 0;
}

int kmem_file_fsync(struct machine *m, const char *name,
		    struct kmem_io_info *io)
{
	struct kfile *f;
	int rc = file_io_begin(m, name, 0, 0, io, &f, "fsync");

	if (rc)
		return rc;
	do_fsync(m, f);
	mms(m)->io = NULL;
	return 0;
}

size_t kmem_file_pages(struct machine *m, const char *name,
		       unsigned long *index, unsigned long *pfn, size_t max)
{
	struct kfile *f = file_lookup(m, name);

	if (!f)
		return 0;
	void *batch[64];
	unsigned long idx[64], next = 0;
	size_t n, total = 0;
	while ((n = radix_tree_gang_lookup(&f->mapping.page_tree, batch, idx,
					   next, 64, -1)) > 0) {
		for (size_t i = 0; i < n; i++, total++)
			if (total < max) {
				if (index)
					index[total] = idx[i];
				if (pfn)
					pfn[total] = page_to_pfn(m, batch[i]);
			}
		next = idx[n - 1] + 1;
	}
	return total;
}

/* ------------------------------------------------------------------ */
/* Invariants                                                          */
/* ------------------------------------------------------------------ */

/*
 * For every file: the radix tree is well formed; each page in it has
 * mapping == the file and index == its key, is uptodate and unlocked,
 * has PG_dirty iff the DIRTY tag, and _count == 1 + mapcount (the cache's
 * reference plus one per PTE); nrpages counts them; the i_mmap list
 * holds exactly the vmas of this file.  Zone NR_FILE_PAGES and
 * NR_FILE_DIRTY equal the recount.
 */
bool filemap_check(struct machine *m, char *report, size_t len)
{
	struct mm_state *s = mms(m);
	long cnt[KMEM_MAX_NODES][MAX_NR_ZONES][2];
	void *batch[64];
	unsigned long idx[64];

	memset(cnt, 0, sizeof cnt);
#define FAIL(...) do { snprintf(report, len, "filemap: " __VA_ARGS__); \
	return false; } while (0)
	for (unsigned id = 1; id < s->nr_file_ids; id++) {
		struct kfile *f = s->files[id];
		if (!f)
			continue;
		const char *why = radix_tree_check(&f->mapping.page_tree);
		if (why)
			FAIL("%s: radix tree: %s", f->name, why);
		unsigned long next = 0, total = 0;
		size_t n;
		while ((n = radix_tree_gang_lookup(&f->mapping.page_tree, batch,
						   idx, next, 64, -1)) > 0) {
			for (size_t i = 0; i < n; i++) {
				struct page *p = batch[i];
				unsigned long pfn = page_to_pfn(m, p);
				if (p->mapping != (f->id << 1) || p->index != idx[i])
					FAIL("%s: pfn %#lx at index %lu has mapping %#x "
					     "index %u", f->name, pfn, idx[i],
					     p->mapping, p->index);
				if (!PageFlag(p, PG_uptodate) || PageFlag(p, PG_locked))
					FAIL("%s: pfn %#lx is not uptodate or still "
					     "locked", f->name, pfn);
				if (PageFlag(p, PG_dirty) !=
				    radix_tree_tag_get(&f->mapping.page_tree, idx[i],
						       PAGECACHE_TAG_DIRTY))
					FAIL("%s: pfn %#lx: PG_dirty and the DIRTY tag "
					     "disagree", f->name, pfn);
				int pv = lru_pvec_refs(m, pfn);
				if (p->_count != p->_mapcount + 2 + pv)
					FAIL("%s: pfn %#lx: count %d, expected 1 + "
					     "mapcount %d + pagevec %d", f->name, pfn,
					     p->_count, p->_mapcount + 1, pv);
				unsigned nid = page_to_nid(p), z = page_zonenum(p);
				cnt[nid][z][0]++;
				if (PageFlag(p, PG_dirty) && f->mapping.account_dirty)
					cnt[nid][z][1]++;
				total++;
			}
			next = idx[n - 1] + 1;
		}
		if (total != f->mapping.nrpages)
			FAIL("%s: nrpages %lu but %lu pages in the tree", f->name,
			     f->mapping.nrpages, total);
		unsigned long nv = 0;
		const struct vm_area_struct *prev = NULL;
		for (const struct vm_area_struct *v = f->mapping.i_mmap_head; v;
		     v = v->i_mmap_next) {
			if (v->vm_file != f || v->i_mmap_prev != prev)
				FAIL("%s: i_mmap list holds a vma of another file "
				     "or is broken", f->name);
			prev = v;
			nv++;
		}
		if (nv != f->mapping.i_mmap_count || prev != f->mapping.i_mmap_tail)
			FAIL("%s: i_mmap_count %lu but %lu vmas on the list",
			     f->name, f->mapping.i_mmap_count, nv);
		if ((f->unlinked || f->shmem) && !nv)
			FAIL("%s: unlinked and unmapped but not released", f->name);
	}
	/* swap-cache pages count in NR_FILE_PAGES too (swap_state.c) */
	for (unsigned long pfn = 0; pfn < m->max_pfn; pfn++) {
		const struct page *p = pfn_to_page(m, pfn);
		if (PageSwapCache(p))
			cnt[page_to_nid(p)][page_zonenum(p)][0]++;
	}
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			const struct zone *zn = &m->nodes[nid].node_zones[z];
			if (zn->vm_stat[NR_FILE_PAGES] != cnt[nid][z][0])
				FAIL("node %u zone %s: nr_file_pages %ld, recount %ld",
				     nid, zn->name, zn->vm_stat[NR_FILE_PAGES],
				     cnt[nid][z][0]);
			if (zn->vm_stat[NR_FILE_DIRTY] != cnt[nid][z][1])
				FAIL("node %u zone %s: nr_dirty %ld, recount %ld",
				     nid, zn->name, zn->vm_stat[NR_FILE_DIRTY],
				     cnt[nid][z][1]);
		}
#undef FAIL
	return true;
}
