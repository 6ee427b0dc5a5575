/*
 * test_mmap.c - address spaces: the spawned image, vma_merge and
 * split_vma on every boundary case, the unmapped-area searches, brk,
 * mremap, mprotect, overcommit, fork/exit/kill and the /proc/PID files
 * (linux-2.6.20-mm.md §10.8-10.11).
 *
 * Addresses below are worked out by hand from §10.10.  After exec an i386
 * task has free_area_cache = mmap_base = 0xb8000000 and cached_hole_size
 * 0 (ld.so's libc mmap reset it, its MAP_FIXED pieces moved the cache up
 * through arch_unmap_area_topdown); libc text starts at 0xb7ecf000.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include "helpers.h"

#define PG 4096ULL
#define RW (KMEM_PROT_READ | KMEM_PROT_WRITE)
#define RO KMEM_PROT_READ
#define RX (KMEM_PROT_READ | KMEM_PROT_EXEC)
#define ANON_PRIV (KMEM_MAP_PRIVATE | KMEM_MAP_ANONYMOUS)
#define FIXED (ANON_PRIV | KMEM_MAP_FIXED)
#define X 0x60000000ULL                 /* a quiet spot on i386 */

static void protect(struct machine *m, int pid, uint64_t a, uint64_t len,
		    unsigned prot)
{
	if (kmem_mprotect(m, pid, a, len, prot))
		fail_msg("mprotect %#llx: %s", (unsigned long long)a,
			 kmem_last_error(m));
}

static struct kmem_task_info tinfo(const struct machine *m, int pid)
{
	struct kmem_task_info t;

	if (kmem_task_info(m, pid, &t))
		fail_msg("no task %d", pid);
	return t;
}

static unsigned long meminfo(struct machine *m, const char *name)
{
	struct kmem_stat_item it[48];
	size_t n = kmem_meminfo_items(m, it, 48);

	for (size_t i = 0; i < n && i < 48; i++)
		if (!strcmp(it[i].name, name))
			return it[i].value;
	fail_msg("meminfo has no %s", name);
	return 0;
}

/* The vmas of pid inside [lo, hi), as "start-end perms pgoff;" text. */
static char *vmas_in(struct machine *m, int pid, uint64_t lo, uint64_t hi)
{
	struct kmem_vma_info v[64];
	size_t n = kmem_task_vmas(m, pid, v, 64);
	static char buf[1024];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && i < 64; i++) {
		if (v[i].start < lo || v[i].start >= hi)
			continue;
		len += (size_t)snprintf(buf + len, sizeof buf - len,
					"%llx-%llx %c%c%c %lx;",
					(unsigned long long)v[i].start,
					(unsigned long long)v[i].end,
					v[i].flags & KMEM_VM_READ ? 'r' : '-',
					v[i].flags & KMEM_VM_WRITE ? 'w' : '-',
					v[i].flags & KMEM_VM_EXEC ? 'x' : '-',
					v[i].pgoff);
	}
	return buf;
}

#define VMAS(m, pid) vmas_in((m), (pid), X, X + (1ULL << 24))

static void touch(struct machine *m, int pid, uint64_t a, uint64_t len)
{
	struct kmem_touch_info ti;

	if (kmem_touch(m, pid, a, len, true, &ti))
		fail_msg("touch: %s", kmem_last_error(m));
}

/* ------------------------------------------------------------------ */

static const char maps_i386[] =
	"08048000-08050000 r-xp 00000000 03:01 14         /bin/bash\n"
	"08050000-08051000 rw-p 00008000 03:01 14         /bin/bash\n"
	"08051000-08052000 rw-p 08051000 00:00 0          [heap]\n"
	"b7ecf000-b7ffb000 r-xp 00000000 03:01 13         /lib/libc-2.5.so\n"
	"b7ffb000-b7ffd000 rw-p 0012c000 03:01 13         /lib/libc-2.5.so\n"
	"b7ffd000-b8000000 rw-p b7ffd000 00:00 0 \n"
	"bffff000-c0000000 rw-p bffff000 00:00 0          [stack]\n";

/* 25 + 6 * 8 = 73 columns before the path on x86_64 */
static const char maps_x86_64[] =
	"00400000-00408000 r-xp 00000000 03:01 14                                 /bin/bash\n"
	"00608000-00609000 rw-p 00008000 03:01 14                                 /bin/bash\n"
	"00609000-0060a000 rw-p 00609000 00:00 0                                  [heap]\n"
	"2aaaaaaab000-2aaaaabd7000 r-xp 00000000 03:01 13                         /lib/libc-2.5.so\n"
	"2aaaaabd7000-2aaaaabd9000 rw-p 0012c000 03:01 13                         /lib/libc-2.5.so\n"
	"2aaaaabd9000-2aaaaabdc000 rw-p 2aaaaabd9000 00:00 0 \n"
	"7fffffffe000-7ffffffff000 rw-p 7fffffffe000 00:00 0                      [stack]\n";

static void test_spawn_layout(void **state)
{
	(void)state;
	for (int arch = 0; arch < 2; arch++) {
		struct machine *m = boot_simple(arch ? KMEM_ARCH_X86_64 :
						KMEM_ARCH_I386, 1, 1ULL << 30);
		int pids[4];
		assert_int_equal(kmem_task_list(m, pids, 4), 0);
		int pid = spawn(m, "bash");
		assert_int_equal(pid, 2);
		assert_int_equal(kmem_task_list(m, pids, 4), 2);
		assert_int_equal(pids[0], 1);
		struct kmem_task_info init = tinfo(m, 1);
		assert_string_equal(init.comm, "init");
		assert_int_equal(init.ppid, 0);
		assert_int_equal(init.uid, 0);
		assert_int_equal(tinfo(m, pid).ppid, 1);
		char *maps = proc_text(m, "2/maps");
		ASSERT_SAME_TEXT(arch ? maps_x86_64 : maps_i386, maps, "2/maps");
		free(maps);
		maps = proc_text(m, "1/maps");
		assert_non_null(strstr(maps, " /sbin/init\n"));
		free(maps);
		struct kmem_task_info t = tinfo(m, pid);
		assert_int_equal(t.total_vm, 316);
		assert_int_equal(t.shared_vm, 311);
		assert_int_equal(t.exec_vm, 308);
		assert_int_equal(t.stack_vm, 1);
		assert_int_equal(t.anon_rss, 1);
		assert_int_equal(t.file_rss, 0);
		assert_int_equal(t.map_count, 7);
		assert_int_equal(t.topdown, !arch);
		assert_int_equal(t.mmap_base, arch ? 0x2aaaaaaab000ULL : 0xb8000000ULL);
		/* two tasks: 2 stack pages, 2 PTE tables; Committed_AS = per
		 * task stack 1 + data 1 + bss 1 + libc data 2 + bss 3 */
		assert_int_equal(meminfo(m, "AnonPages"), 8);
		assert_int_equal(meminfo(m, "PageTables"), 8);
		assert_int_equal(meminfo(m, "Committed_AS"), 2 * 8 * 4);
		/* exec read 128 bytes of each binary and 832 of libc: the
		 * initial readahead window of a 1-page read is 4 pages */
		assert_int_equal(meminfo(m, "Cached"), 3 * 4 * 4);
		CHECK(m);
		kmem_machine_destroy(m);
	}
}

static const char status_i386[] =
	"Name:\tbash\n"
	"State:\tS (sleeping)\n"
	"SleepAVG:\t0%\n"
	"Tgid:\t2\n"
	"Pid:\t2\n"
	"PPid:\t1\n"
	"TracerPid:\t0\n"
	"Uid:\t1000\t1000\t1000\t1000\n"
	"Gid:\t1000\t1000\t1000\t1000\n"
	"FDSize:\t32\n"
	"Groups:\t\n"
	"VmPeak:\t    1264 kB\n"
	"VmSize:\t    1264 kB\n"
	"VmLck:\t       0 kB\n"
	"VmHWM:\t       4 kB\n"
	"VmRSS:\t       4 kB\n"
	"VmData:\t      16 kB\n"
	"VmStk:\t       4 kB\n"
	"VmExe:\t      32 kB\n"
	"VmLib:\t    1200 kB\n"
	"VmPTE:\t       4 kB\n"
	"Threads:\t1\n"
	"SigQ:\t0/8192\n"
	"SigPnd:\t0000000000000000\n"
	"ShdPnd:\t0000000000000000\n"
	"SigBlk:\t0000000000000000\n"
	"SigIgn:\t0000000000000000\n"
	"SigCgt:\t0000000000000000\n"
	"CapInh:\t0000000000000000\n"
	"CapPrm:\t0000000000000000\n"
	"CapEff:\t0000000000000000\n";

/* §10.11 task_mem, plus the 2.6.20 task_state/task_sig/task_cap lines;
 * VmHWM and VmPeak keep their peaks after an unmap. */
static void test_proc_status(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	char *st = proc_text(m, "2/status");
	ASSERT_SAME_TEXT(status_i386, st, "2/status");
	free(st);
	st = proc_text(m, "1/status");
	assert_non_null(strstr(st, "Uid:\t0\t0\t0\t0\n"));
	assert_non_null(strstr(st, "CapEff:\t00000000fffffeff\n"));
	free(st);
	uint64_t a = map(m, pid, 0, 256 * PG, RW, ANON_PRIV, NULL);
	touch(m, pid, a, 256 * PG);
	assert_int_equal(kmem_munmap(m, pid, a, 256 * PG), 0);
	st = proc_text(m, "2/status");
	assert_non_null(strstr(st, "VmPeak:\t    2288 kB\n"));
	assert_non_null(strstr(st, "VmSize:\t    1264 kB\n"));
	assert_non_null(strstr(st, "VmHWM:\t    1028 kB\n"));
	assert_non_null(strstr(st, "VmRSS:\t       4 kB\n"));
	free(st);
	/* the PID entries are listed while the task lives */
	const char *const *e = kmem_proc_entries(m);
	bool maps = false, meminfo_seen = false;
	for (size_t i = 0; e[i]; i++) {
		maps |= !strcmp(e[i], "2/maps");
		meminfo_seen |= !strcmp(e[i], "meminfo");
	}
	assert_true(maps && meminfo_seen);
	assert_int_equal(kmem_exit(m, pid), 0);
	e = kmem_proc_entries(m);
	for (size_t i = 0; e[i]; i++)
		assert_string_not_equal(e[i], "2/maps");
	struct kbuf b;
	kbuf_init(&b);
	assert_int_equal(kmem_proc_read(m, "2/maps", &b), -ENOENT);
	assert_int_equal(kmem_proc_read(m, "1/nosuch", &b), -ENOENT);
	kbuf_free(&b);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* mmap cases 1-3 of vma_merge, and what prevents a merge. */
static void test_merge_new_mappings(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	char want[256];

	/* case 1: the gap between two compatible vmas is filled */
	map(m, pid, X, 2 * PG, RW, FIXED, NULL);
	map(m, pid, X + 3 * PG, 2 * PG, RW, FIXED, NULL);
	map(m, pid, X + 2 * PG, PG, RW, FIXED, NULL);
	snprintf(want, sizeof want, "%llx-%llx rw- %llx;", X, X + 5 * PG, X >> 12);
	assert_string_equal(VMAS(m, pid), want);
	assert_int_equal(kmem_munmap(m, pid, X, 5 * PG), 0);
	/* case 2: the new range extends its predecessor */
	map(m, pid, X, 2 * PG, RW, FIXED, NULL);
	map(m, pid, X + 2 * PG, PG, RW, FIXED, NULL);
	snprintf(want, sizeof want, "%llx-%llx rw- %llx;", X, X + 3 * PG, X >> 12);
	assert_string_equal(VMAS(m, pid), want);
	assert_int_equal(kmem_munmap(m, pid, X, 3 * PG), 0);
	/* case 3: the successor grows down, its pgoff with it */
	map(m, pid, X + 3 * PG, 2 * PG, RW, FIXED, NULL);
	map(m, pid, X + 2 * PG, PG, RW, FIXED, NULL);
	snprintf(want, sizeof want, "%llx-%llx rw- %llx;", X + 2 * PG, X + 5 * PG,
		 (X + 2 * PG) >> 12);
	assert_string_equal(VMAS(m, pid), want);
	assert_int_equal(kmem_munmap(m, pid, X, 8 * PG), 0);
	/* different protections do not merge */
	map(m, pid, X, PG, RW, FIXED, NULL);
	map(m, pid, X + PG, PG, RO, FIXED, NULL);
	snprintf(want, sizeof want, "%llx-%llx rw- %llx;%llx-%llx r-- %llx;",
		 X, X + PG, X >> 12, X + PG, X + 2 * PG, (X + PG) >> 12);
	assert_string_equal(VMAS(m, pid), want);
	assert_int_equal(kmem_munmap(m, pid, X, 8 * PG), 0);
	/* two different anon_vmas: only the predecessor can take the gap */
	map(m, pid, X, 2 * PG, RW, FIXED, NULL);
	map(m, pid, X + 3 * PG, 2 * PG, RW, FIXED, NULL);
	touch(m, pid, X, PG);
	touch(m, pid, X + 3 * PG, PG);
	map(m, pid, X + 2 * PG, PG, RW, FIXED, NULL);
	snprintf(want, sizeof want, "%llx-%llx rw- %llx;%llx-%llx rw- %llx;",
		 X, X + 3 * PG, X >> 12, X + 3 * PG, X + 5 * PG, (X + 3 * PG) >> 12);
	assert_string_equal(VMAS(m, pid), want);
	struct kmem_vma_info v[16];
	size_t n = kmem_task_vmas(m, pid, v, 16);
	unsigned ids[2] = { 0, 0 };
	for (size_t i = 0, k = 0; i < n; i++)
		if (v[i].start == X || v[i].start == X + 3 * PG)
			ids[k++] = v[i].anon_vma;
	assert_true(ids[0] && ids[1] && ids[0] != ids[1]);
	/* a file mapping never merges with anonymous memory */
	assert_int_equal(kmem_file_create(m, "f", 4 * PG), 0);
	map(m, pid, X + 5 * PG, PG, RW, KMEM_MAP_PRIVATE | KMEM_MAP_FIXED, "f");
	assert_non_null(strstr(VMAS(m, pid), "60005000-60006000 rw- 0;"));
	/* nor does the next page of the file at the wrong offset */
	uint64_t a;
	assert_int_equal(kmem_mmap(m, pid, X + 6 * PG, PG, RW,
				   KMEM_MAP_PRIVATE | KMEM_MAP_FIXED, "f", 2 * PG,
				   &a), 0);
	assert_non_null(strstr(VMAS(m, pid), "60006000-60007000 rw- 2;"));
	/* but at the right one it does */
	assert_int_equal(kmem_mmap(m, pid, X + 7 * PG, PG, RW,
				   KMEM_MAP_PRIVATE | KMEM_MAP_FIXED, "f", 3 * PG,
				   &a), 0);
	assert_non_null(strstr(VMAS(m, pid), "60006000-60008000 rw- 2;"));
	CHECK(m);
	kmem_machine_destroy(m);
}

/* Set up P, A, N as three vmas of [X, X+6p) with the given protections. */
static void three(struct machine *m, int pid, unsigned p, unsigned a,
		  unsigned n)
{
	assert_int_equal(kmem_munmap(m, pid, X, 16 * PG), 0);
	map(m, pid, X, 6 * PG, RW, FIXED, NULL);
	protect(m, pid, X, 2 * PG, p);
	protect(m, pid, X + 2 * PG, 2 * PG, a);
	protect(m, pid, X + 4 * PG, 2 * PG, n);
}

/* mprotect cases 4-8 and the middle split. */
static void test_merge_mprotect_cases(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	char want[256];
	unsigned long vm0 = tinfo(m, pid).total_vm;

	/* the middle split: three vmas, pgoffs follow */
	map(m, pid, X, 6 * PG, RW, FIXED, NULL);
	protect(m, pid, X + 2 * PG, 2 * PG, RO);
	snprintf(want, sizeof want, "%llx-%llx rw- %llx;%llx-%llx r-- %llx;"
		 "%llx-%llx rw- %llx;", X, X + 2 * PG, X >> 12, X + 2 * PG,
		 X + 4 * PG, (X + 2 * PG) >> 12, X + 4 * PG, X + 6 * PG,
		 (X + 4 * PG) >> 12);
	assert_string_equal(VMAS(m, pid), want);
	assert_int_equal(tinfo(m, pid).total_vm, vm0 + 6);
	/* case 6: protecting the middle back merges all three */
	protect(m, pid, X + 2 * PG, 2 * PG, RW);
	snprintf(want, sizeof want, "%llx-%llx rw- %llx;", X, X + 6 * PG, X >> 12);
	assert_string_equal(VMAS(m, pid), want);
	CHECK(m);

	/* case 4: P loses its tail to N */
	assert_int_equal(kmem_munmap(m, pid, X, 16 * PG), 0);
	map(m, pid, X, 8 * PG, RW, FIXED, NULL);
	protect(m, pid, X + 4 * PG, 4 * PG, RO);
	protect(m, pid, X + 2 * PG, 2 * PG, RO);
	snprintf(want, sizeof want, "%llx-%llx rw- %llx;%llx-%llx r-- %llx;",
		 X, X + 2 * PG, X >> 12, X + 2 * PG, X + 8 * PG, (X + 2 * PG) >> 12);
	assert_string_equal(VMAS(m, pid), want);
	/* case 5: P takes N's head */
	protect(m, pid, X + 2 * PG, 3 * PG, RW);
	snprintf(want, sizeof want, "%llx-%llx rw- %llx;%llx-%llx r-- %llx;",
		 X, X + 5 * PG, X >> 12, X + 5 * PG, X + 8 * PG, (X + 5 * PG) >> 12);
	assert_string_equal(VMAS(m, pid), want);
	CHECK(m);

	/* case 7: P and A merge, N (r-x) stays */
	three(m, pid, RW, RO, RX);
	protect(m, pid, X + 2 * PG, 2 * PG, RW);
	snprintf(want, sizeof want, "%llx-%llx rw- %llx;%llx-%llx r-x %llx;",
		 X, X + 4 * PG, X >> 12, X + 4 * PG, X + 6 * PG, (X + 4 * PG) >> 12);
	assert_string_equal(VMAS(m, pid), want);
	/* case 8: A and N merge, P (r-x) stays */
	three(m, pid, RX, RO, RW);
	protect(m, pid, X + 2 * PG, 2 * PG, RW);
	snprintf(want, sizeof want, "%llx-%llx r-x %llx;%llx-%llx rw- %llx;",
		 X, X + 2 * PG, X >> 12, X + 2 * PG, X + 6 * PG, (X + 2 * PG) >> 12);
	assert_string_equal(VMAS(m, pid), want);
	CHECK(m);

	/* with pages present: one anon_vma throughout, so the split and
	 * the merge back keep every page reachable through rmap */
	three(m, pid, RW, RW, RW);
	touch(m, pid, X, 6 * PG);
	protect(m, pid, X + 2 * PG, 2 * PG, RO);
	CHECK(m);
	struct kmem_fault_info fi;
	assert_int_equal(kmem_fault(m, pid, X + 2 * PG, false, &fi), 0);
	assert_int_equal(fi.type, KMEM_FAULT_NONE);
	protect(m, pid, X + 2 * PG, 2 * PG, RW);
	snprintf(want, sizeof want, "%llx-%llx rw- %llx;", X, X + 6 * PG, X >> 12);
	assert_string_equal(VMAS(m, pid), want);
	/* PTEs came back read-only (PAGE_COPY): the write reuses the page */
	assert_int_equal(kmem_fault(m, pid, X + 2 * PG, true, &fi), 0);
	assert_string_equal(fi.detail, "reuse: only mapping");
	assert_int_equal(tinfo(m, pid).anon_rss, 7);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* munmap splits the first and the last vma; errors change nothing. */
static void test_munmap_splits(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	char want[256];
	unsigned long anon = meminfo(m, "AnonPages");

	map(m, pid, X, 8 * PG, RW, FIXED, NULL);
	touch(m, pid, X, 8 * PG);
	assert_int_equal(meminfo(m, "AnonPages"), anon + 32);
	assert_int_equal(kmem_munmap(m, pid, X + 2 * PG, 2 * PG), 0);
	snprintf(want, sizeof want, "%llx-%llx rw- %llx;%llx-%llx rw- %llx;",
		 X, X + 2 * PG, X >> 12, X + 4 * PG, X + 8 * PG, (X + 4 * PG) >> 12);
	assert_string_equal(VMAS(m, pid), want);
	assert_int_equal(meminfo(m, "AnonPages"), anon + 24);
	assert_int_equal(tinfo(m, pid).anon_rss, 1 + 6);
	/* the head of a vma */
	assert_int_equal(kmem_munmap(m, pid, X, PG), 0);
	/* across two vmas and the hole between them */
	assert_int_equal(kmem_munmap(m, pid, X + PG, 5 * PG), 0);
	snprintf(want, sizeof want, "%llx-%llx rw- %llx;", X + 6 * PG, X + 8 * PG,
		 (X + 6 * PG) >> 12);
	assert_string_equal(VMAS(m, pid), want);
	assert_int_equal(meminfo(m, "AnonPages"), anon + 8);
	/* nothing there: fine */
	assert_int_equal(kmem_munmap(m, pid, X, PG), 0);
	CHECK(m);
	char *before = machine_snapshot(m, true);
	char *mb = proc_text(m, "2/maps");
	assert_int_equal(kmem_munmap(m, pid, X + 1, PG), -EINVAL);
	assert_int_equal(kmem_munmap(m, pid, 0xbffff000ULL, 2 * PG), -EINVAL);
	assert_int_equal(kmem_munmap(m, pid, X, 0), -EINVAL);
	assert_int_equal(kmem_munmap(m, 99, X, PG), -ESRCH);
	char *after = machine_snapshot(m, true);
	char *ma = proc_text(m, "2/maps");
	ASSERT_SAME_TEXT(before, after, "machine after refused munmaps");
	ASSERT_SAME_TEXT(mb, ma, "maps after refused munmaps");
	free(before);
	free(after);
	free(mb);
	free(ma);
	/* vm.max_map_count: split_vma refuses at map_count >= max */
	char cnt[16];
	unsigned n = tinfo(m, pid).map_count;
	snprintf(cnt, sizeof cnt, "%u", n);
	assert_int_equal(kmem_proc_write(m, "sys/vm/max_map_count", cnt), 0);
	mb = proc_text(m, "2/maps");
	assert_int_equal(kmem_munmap(m, pid, X + 7 * PG, PG), -ENOMEM);
	ma = proc_text(m, "2/maps");
	ASSERT_SAME_TEXT(mb, ma, "maps after a refused split");
	free(mb);
	free(ma);
	snprintf(cnt, sizeof cnt, "%u", n + 1);
	assert_int_equal(kmem_proc_write(m, "sys/vm/max_map_count", cnt), 0);
	assert_int_equal(kmem_munmap(m, pid, X + 7 * PG, PG), 0);
	assert_int_equal(tinfo(m, pid).map_count, n);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* arch_get_unmapped_area_topdown (i386) step by step. */
static void test_unmapped_area_topdown(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	struct kmem_task_info t = tinfo(m, pid);
	assert_int_equal(t.free_area_cache, 0xb8000000ULL);
	assert_int_equal(t.cached_hole_size, 0);

	uint64_t m1 = map(m, pid, 0, 16 * PG, RW, ANON_PRIV, NULL);
	assert_int_equal(m1, 0xb7ebf000ULL);            /* below libc */
	uint64_t m2 = map(m, pid, 0, PG, RO, ANON_PRIV, NULL);
	assert_int_equal(m2, 0xb7ebe000ULL);            /* at the cache */
	assert_int_equal(kmem_munmap(m, pid, m1, 16 * PG), 0);
	/* arch_unmap_area_topdown raised the cache to the hole's top */
	assert_int_equal(tinfo(m, pid).free_area_cache, 0xb7ecf000ULL);
	uint64_t m3 = map(m, pid, 0, 16 * PG, RW, ANON_PRIV, NULL);
	assert_int_equal(m3, 0xb7ebf000ULL);            /* the hole again */
	/* 32 pages do not fit under the cache's vma: search from
	 * mmap_base down, remembering the 15-page hole it passes */
	uint64_t m4 = map(m, pid, 0, 32 * PG, RO, ANON_PRIV, NULL);
	assert_int_equal(m4, 0xb7e9e000ULL);
	t = tinfo(m, pid);
	assert_int_equal(t.cached_hole_size, 0xf000);
	assert_int_equal(t.free_area_cache, 0xb7e9e000ULL);
	/* a request that fits the remembered hole restarts at mmap_base */
	uint64_t m5 = map(m, pid, 0, PG, RW, ANON_PRIV, NULL);
	assert_int_equal(m5, 0xb7e9d000ULL);
	assert_int_equal(tinfo(m, pid).cached_hole_size, 0);
	/* a free hint is honoured, a taken one is not */
	assert_int_equal(map(m, pid, 0x70000000ULL, PG, RO, ANON_PRIV, NULL),
			 0x70000000ULL);
	assert_true(map(m, pid, 0x70000000ULL, PG, RO, ANON_PRIV, NULL) !=
		    0x70000000ULL);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* When nothing fits below mmap_base, the top-down search falls back to
 * the legacy one and restores its cache afterwards. */
static void test_unmapped_area_fallback(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	map(m, pid, 0x1000ULL, 0x08048000ULL - 0x1000ULL, KMEM_PROT_NONE,
	    FIXED, NULL);
	map(m, pid, 0x08100000ULL, 0xb7ecf000ULL - 0x08100000ULL,
	    KMEM_PROT_NONE, FIXED, NULL);
	uint64_t a = map(m, pid, 0, 64ULL << 20, RO, ANON_PRIV, NULL);
	assert_int_equal(a, 0xb8000000ULL);             /* above mmap_base */
	struct kmem_task_info t = tinfo(m, pid);
	assert_int_equal(t.free_area_cache, 0xb8000000ULL);
	assert_int_equal(t.cached_hole_size, 0xffffffffULL);
	/* and when nothing fits anywhere: -ENOMEM, nothing changes */
	char *mb = proc_text(m, "2/maps");
	uint64_t b;
	assert_int_equal(kmem_mmap(m, pid, 0, 128ULL << 20, RO, ANON_PRIV, NULL,
				   0, &b), -ENOMEM);
	char *ma = proc_text(m, "2/maps");
	ASSERT_SAME_TEXT(mb, ma, "maps after a refused mmap");
	free(mb);
	free(ma);
	assert_int_equal(tinfo(m, pid).free_area_cache, 0xb8000000ULL);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* vm.legacy_va_layout=1: bottom-up from TASK_UNMAPPED_BASE (i386), and
 * x86_64's only layout. */
static void test_unmapped_area_legacy(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	assert_int_equal(kmem_proc_write(m, "sys/vm/legacy_va_layout", "1"), 0);
	int pid = spawn(m, "bash");
	struct kmem_task_info t = tinfo(m, pid);
	assert_false(t.topdown);
	assert_int_equal(t.mmap_base, 0x40000000ULL);
	char *maps = proc_text(m, "2/maps");
	assert_non_null(strstr(maps, "40000000-4012c000 r-xp 00000000 03:01 13 "));
	free(maps);
	/* after ld.so's MAP_FIXED pieces the cache sits at libc data with
	 * cached_hole_size ~0: the search starts over at the base */
	uint64_t a = map(m, pid, 0, 16 * PG, RW, ANON_PRIV, NULL);
	assert_int_equal(a, 0x40131000ULL);
	uint64_t b = map(m, pid, 0, 16 * PG, RO, ANON_PRIV, NULL);
	assert_int_equal(b, 0x40141000ULL);             /* from the cache */
	assert_int_equal(kmem_munmap(m, pid, a, 16 * PG), 0);
	assert_int_equal(tinfo(m, pid).free_area_cache, 0x40131000ULL);
	uint64_t c = map(m, pid, 0, 4 * PG, RW, ANON_PRIV, NULL);
	assert_int_equal(c, 0x40131000ULL);
	assert_int_equal(tinfo(m, pid).free_area_cache, 0x40135000ULL);
	CHECK(m);
	kmem_machine_destroy(m);

	m = boot_simple(KMEM_ARCH_X86_64, 1, 1ULL << 30);
	pid = spawn(m, "bash");
	assert_int_equal(map(m, pid, 0, PG, RO, ANON_PRIV, NULL),
			 0x2aaaaabdc000ULL);
	/* a writable one merges into libc's bss */
	uint64_t d = map(m, pid, 0, PG, RW, ANON_PRIV, NULL);
	assert_int_equal(d, 0x2aaaaabdd000ULL);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* sys_brk: growth merges into the heap, shrinking unmaps, the one-page
 * gap rule, and the refusals. */
static void test_brk(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	uint64_t brk;
	unsigned long committed = meminfo(m, "Committed_AS");
	unsigned long vm = tinfo(m, pid).total_vm;

	assert_int_equal(tinfo(m, pid).brk, 0x08052000ULL);
	assert_int_equal(kmem_brk(m, pid, 0x08055000ULL, &brk), 0);
	assert_int_equal(brk, 0x08055000ULL);
	char *maps = proc_text(m, "2/maps");
	assert_non_null(strstr(maps, "08051000-08055000 rw-p 08051000 00:00 0 "
			       "         [heap]\n"));
	free(maps);
	assert_int_equal(tinfo(m, pid).total_vm, vm + 3);
	assert_int_equal(meminfo(m, "Committed_AS"), committed + 12);
	touch(m, pid, 0x08052000ULL, 3 * PG);
	/* shrink to the middle of a page: that page stays */
	assert_int_equal(kmem_brk(m, pid, 0x08053800ULL, &brk), 0);
	assert_int_equal(brk, 0x08053800ULL);
	assert_int_equal(tinfo(m, pid).total_vm, vm + 2);
	assert_int_equal(tinfo(m, pid).anon_rss, 1 + 2);
	/* within the same page only mm->brk moves */
	assert_int_equal(kmem_brk(m, pid, 0x08053f00ULL, &brk), 0);
	assert_int_equal(tinfo(m, pid).total_vm, vm + 2);
	/* a mapping at 0x08058000: growing to its page's start leaves
	 * exactly one page free, one byte more is refused */
	map(m, pid, 0x08058000ULL, PG, RO, FIXED, NULL);
	assert_int_equal(kmem_brk(m, pid, 0x08057000ULL, &brk), 0);
	assert_int_equal(brk, 0x08057000ULL);
	char *before = proc_text(m, "2/maps");
	assert_int_equal(kmem_brk(m, pid, 0x08057001ULL, &brk), -ENOMEM);
	assert_int_equal(brk, 0x08057000ULL);
	assert_non_null(strstr(kmem_last_error(m), "one-page gap"));
	assert_int_equal(kmem_brk(m, pid, 0x08040000ULL, &brk), -ENOMEM);
	assert_int_equal(brk, 0x08057000ULL);
	char *after = proc_text(m, "2/maps");
	ASSERT_SAME_TEXT(before, after, "maps after refused brk");
	free(before);
	free(after);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* do_mremap: in place, refused without MAYMOVE, moved with its pages
 * and its Committed_AS charge, shrunk. */
static void test_mremap(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	unsigned long committed = meminfo(m, "Committed_AS");
	map(m, pid, X, 4 * PG, RW, FIXED, NULL);
	touch(m, pid, X, 4 * PG);
	unsigned long pfn[4];
	for (int i = 0; i < 4; i++) {
		struct kmem_pt_step st[2];
		uint64_t phys;
		assert_int_equal(kmem_task_pagetable_walk(m, pid, X + i * PG, st, 2,
							  &phys), 2);
		pfn[i] = (unsigned long)(phys >> 12);
	}
	uint64_t out;
	assert_int_equal(kmem_mremap(m, pid, X, 4 * PG, 8 * PG, 0, 0, &out), 0);
	assert_int_equal(out, X);
	char want[128];
	snprintf(want, sizeof want, "%llx-%llx rw- %llx;", X, X + 8 * PG, X >> 12);
	assert_string_equal(VMAS(m, pid), want);
	map(m, pid, X + 10 * PG, PG, RO, FIXED, NULL);
	char *mb = proc_text(m, "2/maps");
	assert_int_equal(kmem_mremap(m, pid, X, 8 * PG, 12 * PG, 0, 0, &out),
			 -ENOMEM);
	char *ma = proc_text(m, "2/maps");
	ASSERT_SAME_TEXT(mb, ma, "maps after a refused mremap");
	free(mb);
	free(ma);
	unsigned long rss = tinfo(m, pid).anon_rss;
	assert_int_equal(kmem_mremap(m, pid, X, 8 * PG, 12 * PG,
				     KMEM_MREMAP_MAYMOVE, 0, &out), 0);
	assert_int_equal(out, 0xb7ecf000ULL - 12 * PG);
	for (int i = 0; i < 4; i++) {
		struct kmem_pt_step st[2];
		uint64_t phys;
		assert_int_equal(kmem_task_pagetable_walk(m, pid, out + i * PG, st,
							  2, &phys), 2);
		assert_int_equal(phys >> 12, pfn[i]);
	}
	assert_int_equal(tinfo(m, pid).anon_rss, rss);
	/* the moved anonymous vma keeps its pgoff: maps shows the old
	 * address as its offset */
	char *maps = proc_text(m, "2/maps");
	assert_non_null(strstr(maps, "b7ec3000-b7ecf000 rw-p 60000000 00:00 0 \n"));
	free(maps);
	assert_int_equal(meminfo(m, "Committed_AS"), committed + 12 * 4);
	CHECK(m);
	assert_int_equal(kmem_mremap(m, pid, out, 12 * PG, 2 * PG, 0, 0, &out), 0);
	assert_int_equal(out, 0xb7ec3000ULL);
	assert_int_equal(tinfo(m, pid).anon_rss, rss - 2);
	assert_int_equal(meminfo(m, "Committed_AS"), committed + 2 * 4);
	assert_int_equal(kmem_mremap(m, pid, X + 10 * PG, PG, 2 * PG,
				     KMEM_MREMAP_FIXED, X, &out), -EINVAL);
	assert_int_equal(kmem_mremap(m, pid, 0x50000000ULL, PG, 2 * PG,
				     KMEM_MREMAP_MAYMOVE, 0, &out), -EFAULT);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* mprotect: charges, PTE changes, refusals. */
static void test_mprotect(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	unsigned long committed = meminfo(m, "Committed_AS");
	map(m, pid, X, 4 * PG, RO, FIXED, NULL);
	assert_int_equal(meminfo(m, "Committed_AS"), committed);
	protect(m, pid, X, 4 * PG, RW);         /* VM_ACCOUNT now */
	assert_int_equal(meminfo(m, "Committed_AS"), committed + 16);
	touch(m, pid, X, PG);
	protect(m, pid, X, 4 * PG, RO);         /* the charge stays */
	assert_int_equal(meminfo(m, "Committed_AS"), committed + 16);
	protect(m, pid, X, 4 * PG, RW);         /* and is not taken twice */
	assert_int_equal(meminfo(m, "Committed_AS"), committed + 16);
	/* a hole in the range: -ENOMEM and nothing changes */
	map(m, pid, X + 5 * PG, PG, RW, FIXED, NULL);
	char *mb = proc_text(m, "2/maps");
	assert_int_equal(kmem_mprotect(m, pid, X, 6 * PG, RO), -ENOMEM);
	assert_int_equal(kmem_mprotect(m, pid, X + 1, PG, RO), -EINVAL);
	assert_int_equal(kmem_mprotect(m, pid, X, PG, 8), -EINVAL);
	char *ma = proc_text(m, "2/maps");
	ASSERT_SAME_TEXT(mb, ma, "maps after refused mprotects");
	free(mb);
	free(ma);
	/* read-only: a write is a SIGSEGV */
	protect(m, pid, X, PG, RO);
	struct kmem_fault_info fi;
	assert_int_equal(kmem_fault(m, pid, X, true, &fi), -EFAULT);
	assert_int_equal(fi.type, KMEM_FAULT_SIGSEGV);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* __vm_enough_memory in its three modes (§10.10). */
static void test_overcommit(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	int pid = spawn(m, "bash");
	uint64_t a;
	unsigned long committed = meminfo(m, "Committed_AS");

	/* 0, heuristic: 2 GiB private writable is more than cache + free */
	assert_int_equal(kmem_mmap(m, pid, 0, 2ULL << 30, RW, ANON_PRIV, NULL, 0,
				   &a), -ENOMEM);
	assert_non_null(strstr(kmem_last_error(m), "overcommit_memory 0"));
	assert_int_equal(meminfo(m, "Committed_AS"), committed);
	/* MAP_NORESERVE is not charged in this mode */
	assert_int_equal(kmem_mmap(m, pid, 0, 2ULL << 30, RW,
				   ANON_PRIV | KMEM_MAP_NORESERVE, NULL, 0, &a), 0);
	assert_int_equal(meminfo(m, "Committed_AS"), committed);
	assert_int_equal(kmem_munmap(m, pid, a, 2ULL << 30), 0);
	/* 1, always */
	assert_int_equal(kmem_proc_write(m, "sys/vm/overcommit_memory", "1"), 0);
	assert_int_equal(kmem_mmap(m, pid, 0, 2ULL << 30, RW, ANON_PRIV, NULL, 0,
				   &a), 0);
	assert_int_equal(meminfo(m, "Committed_AS"), committed + 2 * 1024 * 1024);
	assert_int_equal(kmem_munmap(m, pid, a, 2ULL << 30), 0);
	assert_int_equal(meminfo(m, "Committed_AS"), committed);
	/* 2, strict: CommitLimit is ratio% of RAM, 3% kept for root, and
	 * total_vm/32 of the caller */
	assert_int_equal(kmem_proc_write(m, "sys/vm/overcommit_memory", "2"), 0);
	assert_int_equal(kmem_proc_write(m, "sys/vm/overcommit_ratio", "1"), 0);
	unsigned long total = minfo(m).totalram_pages;
	long allowed = (long)(total / 100);
	allowed -= allowed / 32;
	allowed -= (long)(tinfo(m, pid).total_vm / 32);
	long have = (long)meminfo(m, "Committed_AS") / 4;
	long room = allowed - have;             /* pages that still fit */
	assert_true(room > 2);
	assert_int_equal(kmem_mmap(m, pid, 0, (uint64_t)(room - 1) * PG, RW,
				   ANON_PRIV, NULL, 0, &a), 0);
	/* now vm_committed_space >= allowed: the next charge fails, even
	 * with MAP_NORESERVE, but a read-only mapping is free */
	assert_int_equal(kmem_mmap(m, pid, 0, 2 * PG, RW, ANON_PRIV, NULL, 0,
				   &a), -ENOMEM);
	assert_non_null(strstr(kmem_last_error(m), "overcommit_memory 2"));
	assert_int_equal(kmem_mmap(m, pid, 0, 2 * PG, RW,
				   ANON_PRIV | KMEM_MAP_NORESERVE, NULL, 0, &a),
			 -ENOMEM);
	assert_int_equal(kmem_mmap(m, pid, 0, 64 * PG, RO, ANON_PRIV, NULL, 0,
				   &a), 0);
	/* fork must charge the child's accounted vmas too */
	int child;
	assert_int_equal(kmem_fork(m, pid, &child), -ENOMEM);
	int pids[4];
	assert_int_equal(kmem_task_list(m, pids, 4), 2);
	assert_int_equal(meminfo(m, "CommitLimit"), total / 100 * 4);
	CHECK(m);
	kmem_machine_destroy(m);
}

/* fork/exit/kill bookkeeping. */
static void test_task_lifecycle(void **state)
{
	(void)state;
	struct machine *m = boot_i386();
	unsigned long free0 = minfo(m).nr_free_pages;
	int a = spawn(m, "bash");
	int b;
	assert_int_equal(kmem_fork(m, a, &b), 0);
	assert_int_equal(b, 3);
	int c;
	assert_int_equal(kmem_fork(m, b, &c), 0);
	assert_int_equal(tinfo(m, c).ppid, b);
	assert_string_equal(tinfo(m, c).comm, "bash");
	/* the child's counters are copies, its faults its own */
	assert_int_equal(tinfo(m, b).total_vm, tinfo(m, a).total_vm);
	assert_int_equal(tinfo(m, b).min_flt, 0);
	assert_int_equal(kmem_exit(m, b), 0);
	assert_int_equal(tinfo(m, c).ppid, 1);          /* reparented */
	assert_int_equal(kmem_kill(m, 1, 9), -EPERM);
	assert_int_equal(kmem_exit(m, 1), -EPERM);
	assert_int_equal(kmem_kill(m, c, 0), -EINVAL);
	assert_int_equal(kmem_kill(m, 42, 9), -ESRCH);
	assert_non_null(strstr(kmem_last_error(m), "no process with pid 42"));
	assert_int_equal(kmem_spawn(m, "", &b), -EINVAL);
	assert_int_equal(kmem_spawn(m, "a/b", &b), -EINVAL);
	assert_int_equal(kmem_kill(m, c, 15), 0);
	assert_int_equal(kmem_exit(m, a), 0);
	int pids[4];
	assert_int_equal(kmem_task_list(m, pids, 4), 1);
	/* only init's stack page and PTE table are left of the processes */
	assert_int_equal(meminfo(m, "AnonPages"), 4);
	assert_int_equal(meminfo(m, "PageTables"), 4);
	assert_int_equal(meminfo(m, "Committed_AS"), 32);
	assert_int_equal(meminfo(m, "Mapped"), 0);
	/* the next spawn gets the next pid */
	assert_int_equal(spawn(m, "cat"), 5);
	CHECK(m);
	/* vm_area_struct objects live in their slab cache */
	int id = kmem_cache_lookup(m, "vm_area_struct");
	assert_true(id >= 0);
	struct kmem_cache_info ci;
	assert_int_equal(kmem_cache_info(m, id, &ci), 0);
	assert_int_equal(ci.object_size, 88);
	assert_true(ci.active_objs >= 14);
	assert_true(kmem_cache_lookup(m, "anon_vma") >= 0);
	assert_true(kmem_cache_lookup(m, "mm_struct") >= 0);
	assert_true(kmem_cache_lookup(m, "task_struct") >= 0);
	assert_true(kmem_cache_lookup(m, "pgd") >= 0);
	assert_true(minfo(m).nr_free_pages < free0);
	kmem_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spawn_layout),
		cmocka_unit_test(test_proc_status),
		cmocka_unit_test(test_merge_new_mappings),
		cmocka_unit_test(test_merge_mprotect_cases),
		cmocka_unit_test(test_munmap_splits),
		cmocka_unit_test(test_unmapped_area_topdown),
		cmocka_unit_test(test_unmapped_area_fallback),
		cmocka_unit_test(test_unmapped_area_legacy),
		cmocka_unit_test(test_brk),
		cmocka_unit_test(test_mremap),
		cmocka_unit_test(test_mprotect),
		cmocka_unit_test(test_overcommit),
		cmocka_unit_test(test_task_lifecycle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
