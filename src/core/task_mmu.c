/*
 * task_mmu.c - what /proc shows of a process's memory, and the snapshot
 * queries behind `ps` and `show vma` (fs/proc/task_mmu.c, fs/proc/array.c,
 * 2.6.20).
 *
 *   /proc/PID/maps    show_map: "start-end perms offset dev inode" padded
 *                     to column 25 + 6 * sizeof(void *), then the path,
 *                     "[heap]" or "[stack]"; offset is vm_pgoff << 12,
 *                     which for a private anonymous vma is its address
 *   /proc/PID/status  task_name, task_state, task_mem (VmPeak .. VmPTE),
 *                     task_sig, task_cap
 *
 * Files live on a simulated disk "03:01" (hda1); shmem objects on "00:07".
 * Tasks are always sleeping between operations (State S, SleepAVG 0%),
 * own no file descriptors beyond FDSize's default and no groups.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm.h"

static const char *vma_special_name(const struct mm_struct *mm,
				    const struct vm_area_struct *v)
{
	if (v->vm_file)
		return NULL;
	if (v->vm_start <= mm->start_brk && v->vm_end >= mm->brk)
		return "[heap]";
	if (v->vm_start <= mm->start_stack && v->vm_end >= mm->start_stack)
		return "[stack]";
	return NULL;
}

static void file_path(const struct kfile *f, char *buf, size_t len)
{
	if (f->shmem)
		snprintf(buf, len, "/dev/zero (deleted)");
	else
		snprintf(buf, len, "%s%s%s", f->name[0] == '/' ? "" : "/", f->name,
			 f->unlinked ? " (deleted)" : "");
}

static void show_map(struct machine *m, const struct mm_struct *mm,
		     const struct vm_area_struct *v, struct kbuf *b)
{
	bool i386 = m->arch == KMEM_ARCH_I386;
	uint64_t off = (uint64_t)v->vm_pgoff << PAGE_SHIFT;
	unsigned major = 0, minor = 0;
	unsigned long ino = 0;
	char line[256];

	if (i386)
		off &= 0xffffffffULL;
	if (v->vm_file) {
		major = v->vm_file->shmem ? 0 : 3;
		minor = v->vm_file->shmem ? 7 : 1;
		ino = v->vm_file->ino;
	}
	int n = snprintf(line, sizeof line, "%08llx-%08llx %c%c%c%c %08llx "
			 "%02x:%02x %lu ", (unsigned long long)v->vm_start,
			 (unsigned long long)v->vm_end,
			 v->vm_flags & VM_READ ? 'r' : '-',
			 v->vm_flags & VM_WRITE ? 'w' : '-',
			 v->vm_flags & VM_EXEC ? 'x' : '-',
			 v->vm_flags & VM_MAYSHARE ? 's' : 'p',
			 (unsigned long long)off, major, minor, ino);
	kbuf_append(b, line, (size_t)n);
	char path[96];
	const char *name = NULL;
	if (v->vm_file) {
		file_path(v->vm_file, path, sizeof path);
		name = path;
	} else {
		name = vma_special_name(mm, v);
	}
	if (name) {
		int pad = 25 + (int)(m->bits_per_long / 8) * 6 - n;
		kbuf_printf(b, "%*c%s", pad < 1 ? 1 : pad, ' ', name);
	}
	kbuf_append(b, "\n", 1);
}

static void proc_maps(struct machine *m, const struct task_struct *t,
		      struct kbuf *b)
{
	const struct mm_struct *mm = t->mm;

	for (unsigned i = 0; i < mm->map_count; i++)
		show_map(m, mm, mm->vmas[i], b);
}

#define K(x) ((unsigned long)(x) << (PAGE_SHIFT - 10))

/* task_mem */
static void task_mem(const struct machine *m, const struct mm_struct *mm,
		     struct kbuf *b)
{
	unsigned long total_vm = mm->total_vm, hiwater_vm = total_vm;
	unsigned long rss = mm->file_rss + mm->anon_rss, hiwater_rss = rss;

	if (hiwater_vm < mm->hiwater_vm)
		hiwater_vm = mm->hiwater_vm;
	if (hiwater_rss < mm->hiwater_rss)
		hiwater_rss = mm->hiwater_rss;
	unsigned long data = mm->total_vm - mm->shared_vm - mm->stack_vm;
	unsigned long text = (unsigned long)((page_align(mm->end_code) -
					      (mm->start_code & ~(kaddr_t)(PAGE_SIZE - 1)))
					     >> 10);
	unsigned long lib = K(mm->exec_vm) - text;
	unsigned ptrs = m->arch == KMEM_ARCH_I386 && !m->pae ? 1024 : 512;
	unsigned pte_bytes = m->arch == KMEM_ARCH_I386 && !m->pae ? 4 : 8;

	kbuf_printf(b, "VmPeak:\t%8lu kB\n"
		    "VmSize:\t%8lu kB\n"
		    "VmLck:\t%8lu kB\n"
		    "VmHWM:\t%8lu kB\n"
		    "VmRSS:\t%8lu kB\n"
		    "VmData:\t%8lu kB\n"
		    "VmStk:\t%8lu kB\n"
		    "VmExe:\t%8lu kB\n"
		    "VmLib:\t%8lu kB\n"
		    "VmPTE:\t%8lu kB\n",
		    K(hiwater_vm), K(total_vm - mm->reserved_vm), K(mm->locked_vm),
		    K(hiwater_rss), K(rss), K(data), K(mm->stack_vm), text, lib,
		    (unsigned long)ptrs * pte_bytes * mm->nr_ptes >> 10);
}

static void proc_status(struct machine *m, const struct task_struct *t,
			struct kbuf *b)
{
	unsigned long max_threads = m->num_physpages / (8 * 2);

	if (max_threads < 20)
		max_threads = 20;
	kbuf_printf(b, "Name:\t%s\n"
		    "State:\tS (sleeping)\n"
		    "SleepAVG:\t0%%\n"
		    "Tgid:\t%d\n"
		    "Pid:\t%d\n"
		    "PPid:\t%d\n"
		    "TracerPid:\t0\n"
		    "Uid:\t%u\t%u\t%u\t%u\n"
		    "Gid:\t%u\t%u\t%u\t%u\n"
		    "FDSize:\t%u\n"
		    "Groups:\t\n",
		    t->comm, t->pid, t->pid, t->ppid, t->uid, t->uid, t->uid,
		    t->uid, t->uid, t->uid, t->uid, t->uid, m->bits_per_long);
	if (t->mm)
		task_mem(m, t->mm, b);
	kbuf_printf(b, "Threads:\t1\n"
		    "SigQ:\t0/%lu\n"
		    "SigPnd:\t0000000000000000\n"
		    "ShdPnd:\t0000000000000000\n"
		    "SigBlk:\t0000000000000000\n"
		    "SigIgn:\t0000000000000000\n"
		    "SigCgt:\t0000000000000000\n"
		    "CapInh:\t0000000000000000\n"
		    "CapPrm:\t%016x\n"
		    "CapEff:\t%016x\n",
		    max_threads / 2, t->uid ? 0u : 0xfffffeffu,
		    t->uid ? 0u : 0xfffffeffu);
}

int proc_pid_read(struct machine *m, const char *path, struct kbuf *b)
{
	char *end;

	if (path[0] < '0' || path[0] > '9')
		return 0;
	long pid = strtol(path, &end, 10);
	struct task_struct *t = find_task(m, (int)pid);
	if (!t || pid > 0x7fffffff)
		return -ENOENT;
	if (!strcmp(end, "/maps"))
		proc_maps(m, t, b);
	else if (!strcmp(end, "/status"))
		proc_status(m, t, b);
	else if (!strcmp(end, "/oom_score"))
		proc_oom_score(m, t, b);
	else if (!strcmp(end, "/oom_adj"))
		kbuf_printf(b, "%d\n", t->oomkilladj);
	else
		return -ENOENT;
	return 1;
}

int proc_pid_write(struct machine *m, const char *path, const char *text)
{
	char *end;

	if (path[0] < '0' || path[0] > '9')
		return 0;
	long pid = strtol(path, &end, 10);
	struct task_struct *t = find_task(m, (int)pid);
	if (!t || pid > 0x7fffffff)
		return set_error(m, -ENOENT, "/proc/%s: No such file or directory",
				 path);
	if (!strcmp(end, "/oom_adj")) {
		int rc = proc_oom_adj_write(m, t, text);
		return rc ? rc : 1;
	}
	if (!strcmp(end, "/maps") || !strcmp(end, "/status") ||
	    !strcmp(end, "/oom_score"))
		return set_error(m, -EACCES, "/proc/%s: Permission denied "
				 "(read-only)", path);
	return set_error(m, -ENOENT, "/proc/%s: No such file or directory", path);
}

static int name_order(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *const *proc_pid_entries(struct machine *m,
				    const char *const *base)
{
	struct mm_state *s = m->mms;

	if (!s || !s->nr_tasks)
		return NULL;
	if (s->proc_list && s->proc_built == s->proc_gen)
		return s->proc_list;
	for (size_t i = 0; i < s->nr_proc_names; i++)
		free(s->proc_names[i]);
	static const char *const files[] = { "maps", "oom_adj", "oom_score",
					     "status" };
	const size_t nf = sizeof files / sizeof files[0];
	s->nr_proc_names = nf * s->nr_tasks;
	s->proc_names = xrealloc(s->proc_names,
				 s->nr_proc_names * sizeof *s->proc_names);
	for (size_t i = 0; i < s->nr_tasks; i++) {
		char buf[32];
		for (size_t k = 0; k < nf; k++) {
			snprintf(buf, sizeof buf, "%d/%s", s->tasks[i]->pid,
				 files[k]);
			s->proc_names[nf * i + k] = xstrdup(buf);
		}
	}
	size_t nb = 0;
	while (base[nb])
		nb++;
	s->proc_list = xrealloc(s->proc_list, (s->nr_proc_names + nb + 1) *
				sizeof *s->proc_list);
	for (size_t i = 0; i < s->nr_proc_names; i++)
		s->proc_list[i] = s->proc_names[i];
	qsort(s->proc_list, s->nr_proc_names, sizeof *s->proc_list, name_order);
	for (size_t i = 0; i < nb; i++)
		s->proc_list[s->nr_proc_names + i] = base[i];
	s->proc_list[s->nr_proc_names + nb] = NULL;
	s->proc_built = s->proc_gen;
	return s->proc_list;
}

/* ------------------------------------------------------------------ */
/* Snapshot queries                                                    */
/* ------------------------------------------------------------------ */

int kmem_task_info(const struct machine *cm, int pid, struct kmem_task_info *o)
{
	struct machine *m = (struct machine *)cm;
	struct task_struct *t = task_with_mm(m, pid, "ps");

	if (!t)
		return -ESRCH;
	const struct mm_struct *mm = t->mm;
	memset(o, 0, sizeof *o);
	o->pid = t->pid;
	o->ppid = t->ppid;
	snprintf(o->comm, sizeof o->comm, "%s", t->comm);
	o->uid = t->uid;
	o->min_flt = t->min_flt;
	o->maj_flt = t->maj_flt;
	o->task_struct = t->obj;
	o->stack_pfn = t->stack_pfn;
	if (!mm)
		return 0;
	o->total_vm = mm->total_vm;
	o->locked_vm = mm->locked_vm;
	o->shared_vm = mm->shared_vm;
	o->exec_vm = mm->exec_vm;
	o->stack_vm = mm->stack_vm;
	o->reserved_vm = mm->reserved_vm;
	o->file_rss = mm->file_rss;
	o->anon_rss = mm->anon_rss;
	o->hiwater_rss = mm->hiwater_rss;
	o->hiwater_vm = mm->hiwater_vm;
	o->nr_ptes = mm->nr_ptes;
	o->map_count = mm->map_count;
	o->start_code = mm->start_code;
	o->end_code = mm->end_code;
	o->start_data = mm->start_data;
	o->end_data = mm->end_data;
	o->start_brk = mm->start_brk;
	o->brk = mm->brk;
	o->start_stack = mm->start_stack;
	o->task_size = mm->task_size;
	o->mmap_base = mm->mmap_base;
	o->free_area_cache = mm->free_area_cache;
	o->cached_hole_size = mm->cached_hole_size;
	if (m->bits_per_long == 32)     /* ~0UL of a 32-bit kernel */
		o->cached_hole_size &= 0xffffffffULL;
	o->topdown = mm->topdown;
	o->pgd_phys = mm->pgd_phys;
	o->mm_struct = mm->obj;
	return 0;
}

struct rss_ctx {
	struct vm_area_struct *v;
	unsigned long anon, file;
	unsigned esz;
};

static void count_rss(struct machine *m, void *ctx, kaddr_t addr, uint8_t *pte)
{
	struct rss_ctx *c = ctx;
	uint64_t e = pte_get(pte, c->esz);

	if (!pte_present(e))
		return;
	struct page *p = vm_normal_page(m, c->v, addr, e);
	if (p && PageAnon(p))
		c->anon++;
	else if (p)
		c->file++;
}

size_t kmem_task_vmas(struct machine *m, int pid, struct kmem_vma_info *out,
		      size_t max)
{
	struct task_struct *t = task_with_mm(m, pid, "vmas");

	if (!t || !t->mm)
		return 0;
	struct mm_struct *mm = t->mm;
	for (unsigned i = 0; i < mm->map_count && i < max; i++) {
		struct vm_area_struct *v = mm->vmas[i];
		struct kmem_vma_info *o = &out[i];
		memset(o, 0, sizeof *o);
		o->start = v->vm_start;
		o->end = v->vm_end;
		o->flags = v->vm_flags;
		o->pgoff = v->vm_pgoff;
		o->page_prot = v->vm_page_prot;
		if (v->vm_file) {
			snprintf(o->file, sizeof o->file, "%s",
				 v->vm_file->shmem ? "/dev/zero" : v->vm_file->name);
			o->shmem = v->vm_file->shmem;
			o->deleted = v->vm_file->unlinked || v->vm_file->shmem;
		}
		o->anon_vma = v->anon_vma ? v->anon_vma->id : 0;
		o->obj = v->obj;
		struct rss_ctx c = { v, 0, 0, pte_size(m) };
		walk_ptes(m, mm, v->vm_start, v->vm_end, count_rss, &c);
		o->rss_anon = c.anon;
		o->rss_file = c.file;
		o->name = vma_special_name(mm, v);
	}
	return mm->map_count;
}
