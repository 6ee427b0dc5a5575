/*
 * task.c - processes: creation, exec of a default image, fork, exit
 * (kernel/fork.c, kernel/exit.c, fs/exec.c, fs/binfmt_elf.c,
 * arch/i386/mm/mmap.c, 2.6.20), and the checker of everything mm.h holds.
 *
 *   The first spawn also makes init (pid 1).  A spawned task gets the
 *   address space exec + ld.so would leave before main() runs:
 *
 *     i386 (top-down mmap_base = TASK_SIZE - 128 MiB)     x86_64 (legacy)
 *     08048000 r-xp  text   /bin/NAME                     00400000
 *     08050000 rw-p  data   /bin/NAME (pgoff 8)           00608000
 *     08051000 rw-p  bss -> brk                [heap]     00609000
 *     b7ecf000 r-xp  libc text /lib/libc-2.5.so           2aaaaaaab000
 *     b7ffb000 rw-p  libc data                            ...
 *     b7ffd000 rw-p  libc bss
 *     bffff000 rw-p  stack, one page holding the arguments [stack]
 *
 *   exec reads the first 128 bytes of the binary (and ld.so 832 bytes of
 *   libc) through the page cache, so both files have pages cached; only
 *   the argument page of the stack is present.  Nothing is randomized
 *   (PF_RANDOMIZE off).  With vm.legacy_va_layout=1 an i386 task maps
 *   libc bottom-up from TASK_UNMAPPED_BASE (0x40000000); x86_64 tasks
 *   always do (2.6.20's x86_64 has no top-down layout).
 *
 * Kernel objects (2.6.20 names, sizes from the struct layouts of an SMP
 * build; the mm_struct and task_struct figures are estimates):
 *                       i386        x86_64
 *   task_struct         1328        1888     align 16 (ARCH_MIN_TASKALIGN)
 *   mm_struct            400         752     SLAB_HWCACHE_ALIGN
 *   vm_area_struct        88 (92 PAE) 184    (vm_policy on NUMA)
 *   anon_vma              12          24     SLAB_DESTROY_BY_RCU, ctor
 *   radix_tree_node      288         552     ctor
 *   pgd                 4096 (32 PAE)  -     i386 pgtable_cache_init
 *   pmd (PAE)           4096           -
 *   thread_info + kernel stack: 8 KiB (order 1) from __get_free_pages.
 * 2.6.20 creates these caches at boot; here they are created by the first
 * spawn or file operation, so that a machine that never runs a process
 * boots exactly as before (its /proc/slabinfo and MemFree unchanged).
 * signal, sighand, files and fs structures are not modelled.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "mm.h"

#define THREAD_ORDER 1
#define BINPRM_BUF_SIZE 128
#define MIN_GAP (128ULL << 20)

kaddr_t arch_task_size(const struct machine *m)
{
	return m->arch == KMEM_ARCH_I386 ? 0xC0000000ULL :
	       0x800000000000ULL - PAGE_SIZE;
}

/* ------------------------------------------------------------------ */
/* State and caches                                                    */
/* ------------------------------------------------------------------ */

void mm_state_init(struct machine *m)
{
	struct mm_state *s = xcalloc(1, sizeof *s);

	s->cache_task = s->cache_mm = s->cache_vma = s->cache_anon_vma = -1;
	s->cache_radix = s->cache_pgd = s->cache_pmd = -1;
	s->next_ino = 12;               /* ext2: 11 is lost+found */
	/* empty_zero_page follows swapper_pg_dir in head.S's page-aligned
	 * bss; we place it in the kernel image's data pages */
	kaddr_t zp = kernel_static_addr(m, 0x6000);
	s->zero_pfn = (unsigned long)((zp - m->page_offset) >> PAGE_SHIFT);
	m->mms = s;
}

static void free_mm_host(struct mm_struct *mm)
{
	free(mm->vmas);
	free(mm);
}

void mm_state_destroy(struct machine *m)
{
	struct mm_state *s = m->mms;

	if (!s)
		return;
	/* host memory only: the machine itself is going away */
	for (size_t i = 0; i < s->nr_tasks; i++) {
		struct task_struct *t = s->tasks[i];
		struct mm_struct *mm = t->mm;
		if (mm && --mm->mm_users == 0) {
			for (unsigned k = 0; k < mm->map_count; k++)
				free(mm->vmas[k]);
			free_mm_host(mm);
		}
		free(t);
	}
	free(s->tasks);
	for (unsigned i = 0; i < s->nr_anon_ids; i++)
		free(s->anon_vmas[i]);
	free(s->anon_vmas);
	for (unsigned i = 0; i < s->nr_file_ids; i++) {
		struct kfile *f = s->files[i];
		if (!f)
			continue;
		/* the host side of the radix tree nodes */
		struct radix_tree_root *r = &f->mapping.page_tree;
		if (r->height && r->rnode) {
			struct radix_tree_node *stack[16 * 64];
			size_t sp = 0;
			stack[sp++] = r->rnode;
			while (sp) {
				struct radix_tree_node *n = stack[--sp];
				if (n->height > 1)
					for (unsigned k = 0; k < RADIX_TREE_MAP_SIZE; k++)
						if (n->slots[k] && sp < 16 * 64)
							stack[sp++] = n->slots[k];
				free(n);
			}
		}
		free(f);
	}
	free(s->files);
	for (size_t i = 0; i < s->nr_proc_names; i++)
		free(s->proc_names[i]);
	free(s->proc_names);
	free(s->proc_list);
	free(s);
	m->mms = NULL;
}

long vm_committed_pages(const struct machine *m)
{
	return m->mms ? m->mms->vm_committed_space : 0;
}

/* proc_caches_init, anon_vma_init, radix_tree_init, fork_init and i386's
 * pgtable_cache_init, run at first use. */
int mm_caches_init(struct machine *m)
{
	struct mm_state *s = mms(m);
	bool i386 = m->arch == KMEM_ARCH_I386;
	int rc = 0;

	if (s->caches_ready)
		return 0;
	if (!m->oa)
		return set_error(m, -EINVAL, "no object allocator");
	rc = kmem_cache_create(m, "task_struct", i386 ? 1328 : 1888, 16,
			       SLAB_PANIC, false, &s->cache_task);
	if (!rc)
		rc = kmem_cache_create(m, "mm_struct", i386 ? 400 : 752, 0,
				       SLAB_HWCACHE_ALIGN | SLAB_PANIC, false,
				       &s->cache_mm);
	if (!rc)
		rc = kmem_cache_create(m, "vm_area_struct",
				       i386 ? (m->pae ? 92 : 88) : 184, 0,
				       SLAB_PANIC, false, &s->cache_vma);
	if (!rc)
		rc = kmem_cache_create(m, "anon_vma", i386 ? 12 : 24, 0,
				       SLAB_DESTROY_BY_RCU | SLAB_PANIC, true,
				       &s->cache_anon_vma);
	if (!rc)
		rc = kmem_cache_create(m, "radix_tree_node", i386 ? 288 : 552, 0,
				       SLAB_PANIC, true, &s->cache_radix);
	if (!rc && i386 && m->pae)
		rc = kmem_cache_create(m, "pmd", 4096, 4096, SLAB_PANIC, true,
				       &s->cache_pmd);
	if (!rc && i386)
		rc = kmem_cache_create(m, "pgd", m->pae ? 32 : 4096,
				       m->pae ? 32 : 4096, SLAB_PANIC, true,
				       &s->cache_pgd);
	if (rc)
		return rc;
	s->caches_ready = true;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Task table                                                          */
/* ------------------------------------------------------------------ */

struct task_struct *find_task(const struct machine *m, int pid)
{
	const struct mm_state *s = m->mms;
	size_t lo = 0, hi = s ? s->nr_tasks : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->tasks[mid]->pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return s && lo < s->nr_tasks && s->tasks[lo]->pid == pid ?
	       s->tasks[lo] : NULL;
}

struct task_struct *task_with_mm(struct machine *m, int pid, const char *op)
{
	struct task_struct *t = find_task(m, pid);

	if (!t) {
		set_error(m, -ESRCH, "%s: no process with pid %d", op, pid);
		return NULL;
	}
	return t;
}

static void task_insert(struct mm_state *s, struct task_struct *t)
{
	size_t i = s->nr_tasks;

	if (s->nr_tasks == s->tasks_cap) {
		s->tasks_cap = s->tasks_cap ? s->tasks_cap * 2 : 16;
		s->tasks = xrealloc(s->tasks, s->tasks_cap * sizeof *s->tasks);
	}
	while (i > 0 && s->tasks[i - 1]->pid > t->pid) {
		s->tasks[i] = s->tasks[i - 1];
		i--;
	}
	s->tasks[i] = t;
	s->nr_tasks++;
	s->proc_gen++;
}

static void task_remove(struct mm_state *s, struct task_struct *t)
{
	size_t i = 0;

	while (s->tasks[i] != t)
		i++;
	memmove(s->tasks + i, s->tasks + i + 1,
		(s->nr_tasks - i - 1) * sizeof *s->tasks);
	s->nr_tasks--;
	s->proc_gen++;
}

/* alloc_pidmap: the next free pid after last_pid (PID_MAX 32768). */
static int alloc_pid(struct mm_state *s)
{
	for (int n = 0; n < 32768; n++) {
		int pid = s->last_pid + 1 + n;
		if (pid >= 32768)
			pid = 300 + (pid - 32768) % (32768 - 300);
		bool used = false;
		for (size_t i = 0; i < s->nr_tasks && !used; i++)
			used = s->tasks[i]->pid == pid;
		if (!used) {
			s->last_pid = pid;
			return pid;
		}
	}
	return -1;
}

/* dup_task_struct's allocations: task_struct object + thread_info. */
static int alloc_task(struct machine *m, const char *comm, unsigned uid,
		      struct task_struct **out)
{
	struct mm_state *s = mms(m);
	kaddr_t obj;
	unsigned long stack;

	if (kmem_cache_alloc(m, s->cache_task, GFP_KERNEL, -1, &obj))
		return -ENOMEM;
	if (kmem_alloc_pages(m, -1, GFP_KERNEL, THREAD_ORDER, &stack)) {
		kmem_cache_free(m, s->cache_task, obj);
		return -ENOMEM;
	}
	struct task_struct *t = xcalloc(1, sizeof *t);
	t->obj = obj;
	t->stack_pfn = stack;
	t->uid = uid;
	snprintf(t->comm, sizeof t->comm, "%s", comm);
	t->start_time = m->jiffies;
	*out = t;
	return 0;
}

static void free_task(struct machine *m, struct task_struct *t)
{
	kmem_free_pages(m, t->stack_pfn, THREAD_ORDER);
	kmem_cache_free(m, mms(m)->cache_task, t->obj);
	free(t);
}

/* mm_alloc + mm_init: an empty address space with its pgd. */
static int mm_alloc(struct machine *m, struct mm_struct **out)
{
	kaddr_t obj;

	if (kmem_cache_alloc(m, mms(m)->cache_mm, GFP_KERNEL, -1, &obj))
		return -ENOMEM;
	struct mm_struct *mm = xcalloc(1, sizeof *mm);
	mm->obj = obj;
	mm->mm_users = 1;
	mm->task_size = arch_task_size(m);
	mm->cached_hole_size = ~(kaddr_t)0;
	if (pgd_alloc(m, mm)) {
		kmem_cache_free(m, mms(m)->cache_mm, obj);
		free(mm);
		return -ENOMEM;
	}
	*out = mm;
	return 0;
}

/* mmput: the last user tears the address space down. */
static void mmput(struct machine *m, struct mm_struct *mm)
{
	if (--mm->mm_users > 0)
		return;
	exit_mmap(m, mm);
	put_swap_token(m, mm);
	pgd_free(m, mm);
	kmem_cache_free(m, mms(m)->cache_mm, mm->obj);
	free_mm_host(mm);
}

/* arch_pick_mmap_layout (§10.10) */
static void arch_pick_mmap_layout(struct machine *m, struct mm_struct *mm)
{
	if (m->arch == KMEM_ARCH_I386 && !m->sysctl[SYSCTL_LEGACY_VA_LAYOUT][0]) {
		kaddr_t gap = RLIMIT_STACK_CUR;
		if (gap < MIN_GAP)
			gap = MIN_GAP;
		if (gap > mm->task_size / 6 * 5)
			gap = mm->task_size / 6 * 5;
		mm->mmap_base = page_align(mm->task_size - (gap & ~(kaddr_t)(PAGE_SIZE - 1)));
		mm->topdown = true;
	} else {
		mm->mmap_base = task_unmapped_base(mm);
		mm->topdown = false;
	}
	mm->free_area_cache = mm->mmap_base;
	mm->cached_hole_size = ~(kaddr_t)0;
}

/* ------------------------------------------------------------------ */
/* exec of the default image                                           */
/* ------------------------------------------------------------------ */

struct image {
	unsigned long text_pages, data_pages, bss_pages;
};
static const struct image prog_image = { 8, 1, 1 };
static const struct image libc_image = { 300, 2, 3 };
#define LIBC_NAME "/lib/libc-2.5.so"

static int image_file(struct machine *m, const char *name,
		      const struct image *img, struct kfile **out)
{
	struct kfile *f = file_lookup(m, name);

	if (f) {
		*out = f;
		return 0;
	}
	return file_new(m, name, (img->text_pages + img->data_pages) * PAGE_SIZE,
			false, out);
}

#define MAP_ELF (KMEM_MAP_PRIVATE | KMEM_MAP_FIXED | KMEM_MAP_DENYWRITE | \
		 KMEM_MAP_EXECUTABLE)

/* load_elf_binary + ld.so, without running anything. */
static int exec_image(struct machine *m, struct task_struct *t,
		      const char *path)
{
	struct mm_struct *mm = t->mm;
	bool i386 = m->arch == KMEM_ARCH_I386;
	struct kfile *exe, *libc;
	kaddr_t a;
	int rc;

	if ((rc = image_file(m, path, &prog_image, &exe)) ||
	    (rc = image_file(m, LIBC_NAME, &libc_image, &libc)))
		return rc;
	if ((rc = kernel_read(m, exe, 0, BINPRM_BUF_SIZE)))
		return rc;
	arch_pick_mmap_layout(m, mm);

	/* setup_arg_pages: one page of arguments at the top of the stack */
	kaddr_t stack_top = mm->task_size;
	struct vm_area_struct *sv;
	if ((rc = security_vm_enough_memory(m, mm, 1)))
		return rc;
	if ((rc = vma_alloc(m, &sv))) {
		vm_unacct_memory(m, 1);
		return rc;
	}
	sv->vm_start = stack_top - PAGE_SIZE;
	sv->vm_end = stack_top;
	sv->vm_flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE |
		       VM_MAYEXEC | VM_GROWSDOWN | VM_ACCOUNT;
	sv->vm_page_prot = protection_map(m, sv->vm_flags);
	sv->vm_pgoff = (unsigned long)(sv->vm_start >> PAGE_SHIFT);
	vma_link(m, mm, sv);
	mm->total_vm = mm->stack_vm = 1;
	if ((rc = install_anon_page(m, t, sv, sv->vm_start)))
		return rc;
	mm->start_stack = stack_top - 0x200;
	mm->arg_start = stack_top - 0x100;
	mm->arg_end = mm->arg_start + 0x20;
	mm->env_start = mm->arg_end;
	mm->env_end = stack_top - 0x10;

	/* the program's PT_LOAD segments */
	kaddr_t text = i386 ? 0x08048000ULL : 0x400000ULL;
	kaddr_t text_len = prog_image.text_pages * PAGE_SIZE;
	kaddr_t data = i386 ? text + text_len : 0x600000ULL + text_len;
	kaddr_t data_len = prog_image.data_pages * PAGE_SIZE;
	if ((rc = do_mmap_pgoff(m, t, exe, text, text_len,
				KMEM_PROT_READ | KMEM_PROT_EXEC, MAP_ELF, 0, &a)) ||
	    (rc = do_mmap_pgoff(m, t, exe, data, data_len,
				KMEM_PROT_READ | KMEM_PROT_WRITE, MAP_ELF,
				prog_image.text_pages, &a)))
		return rc;
	mm->start_code = text;
	mm->end_code = text + text_len;
	mm->start_data = data;
	mm->end_data = data + data_len;
	/* set_brk: the bss */
	kaddr_t bss = data + data_len;
	if ((rc = do_brk(m, mm, bss, prog_image.bss_pages * PAGE_SIZE)))
		return rc;
	mm->start_brk = mm->brk = bss + prog_image.bss_pages * PAGE_SIZE;

	/* ld.so: read libc's header, map it whole, then data and bss */
	if ((rc = kernel_read(m, libc, 0, 832)))
		return rc;
	kaddr_t total = (libc_image.text_pages + libc_image.data_pages +
			 libc_image.bss_pages) * PAGE_SIZE;
	kaddr_t base;
	if ((rc = do_mmap_pgoff(m, t, libc, 0, total,
				KMEM_PROT_READ | KMEM_PROT_EXEC,
				KMEM_MAP_PRIVATE | KMEM_MAP_DENYWRITE, 0, &base)))
		return rc;
	kaddr_t ldata = base + libc_image.text_pages * PAGE_SIZE;
	kaddr_t ldata_len = libc_image.data_pages * PAGE_SIZE;
	if ((rc = do_mmap_pgoff(m, t, libc, ldata, ldata_len,
				KMEM_PROT_READ | KMEM_PROT_WRITE,
				KMEM_MAP_PRIVATE | KMEM_MAP_FIXED |
				KMEM_MAP_DENYWRITE, libc_image.text_pages, &a)) ||
	    (rc = do_mmap_pgoff(m, t, NULL, ldata + ldata_len,
				libc_image.bss_pages * PAGE_SIZE,
				KMEM_PROT_READ | KMEM_PROT_WRITE,
				KMEM_MAP_PRIVATE | KMEM_MAP_FIXED |
				KMEM_MAP_ANONYMOUS, 0, &a)))
		return rc;
	mm->hiwater_vm = mm->total_vm;
	update_hiwater_rss(mm);
	return 0;
}

/* Build a task running path; on failure everything is undone. */
static int spawn_task(struct machine *m, const char *comm, const char *path,
		      int ppid, unsigned uid, int *pid)
{
	struct mm_state *s = mms(m);
	struct task_struct *t;
	int rc = alloc_task(m, comm, uid, &t);

	if (rc)
		return set_error(m, rc, "spawn: no memory for the task");
	rc = mm_alloc(m, &t->mm);
	if (rc) {
		free_task(m, t);
		return set_error(m, rc, "spawn: no memory for the mm");
	}
	t->mm->cap_sys_admin = uid == 0;
	t->pid = alloc_pid(s);
	t->ppid = ppid;
	rc = exec_image(m, t, path);
	if (rc) {
		char why[256];
		snprintf(why, sizeof why, "%s", kmem_last_error(m));
		mmput(m, t->mm);
		s->last_pid = t->pid - 1;
		free_task(m, t);
		return set_error(m, rc, "spawn %s: exec failed: %s", comm, why);
	}
	task_insert(s, t);
	*pid = t->pid;
	return 0;
}

int kmem_spawn(struct machine *m, const char *name, int *pid)
{
	char path[64];
	int dummy;

	if (!name || !*name || strlen(name) > 15)
		return set_error(m, -EINVAL, "spawn: a name of 1 to 15 characters "
				 "is needed");
	for (const char *p = name; *p; p++)
		if (*p <= ' ' || *p > '~' || *p == '/')
			return set_error(m, -EINVAL, "spawn: bad character in '%s'",
					 name);
	int rc = mm_caches_init(m);
	if (rc)
		return rc;
	if (TRACING(m))
		trace_enter(m, "do_execve", "%s", name);
	if (!find_task(m, 1)) {
		rc = spawn_task(m, "init", "/sbin/init", 0, 0, &dummy);
		if (rc)
			goto out;
	}
	snprintf(path, sizeof path, "%s", name);
	if (!file_lookup(m, path))
		snprintf(path, sizeof path, "/bin/%s", name);
	rc = spawn_task(m, name, path, 1, 1000, pid);
out:
	if (TRACING(m))
		trace_exit(m, rc ? "%d" : "pid %d", rc ? rc : *pid);
	return rc;
}

/* ------------------------------------------------------------------ */
/* fork                                                                */
/* ------------------------------------------------------------------ */

/* dup_mmap: copy every vma (COW for private writable ones) and the PTEs
 * of those that have anonymous pages. */
static int dup_mmap(struct machine *m, struct mm_struct *mm,
		    struct mm_struct *old)
{
	mm->locked_vm = 0;
	mm->free_area_cache = old->mmap_base;
	mm->cached_hole_size = ~(kaddr_t)0;
	for (unsigned i = 0; i < old->map_count; i++) {
		struct vm_area_struct *mp = old->vmas[i], *tmp;
		long len = (long)vma_pages(mp);
		if (mp->vm_flags & VM_DONTCOPY) {
			mm->total_vm -= (unsigned long)len;
			vm_stat_account(mm, mp->vm_flags, mp->vm_file, -len);
			continue;
		}
		if ((mp->vm_flags & VM_ACCOUNT) &&
		    security_vm_enough_memory(m, mm, len))
			return -ENOMEM;
		if (vma_alloc(m, &tmp)) {
			if (mp->vm_flags & VM_ACCOUNT)
				vm_unacct_memory(m, len);
			return set_error(m, -ENOMEM, "fork: no memory for a "
					 "vm_area_struct");
		}
		kaddr_t obj = tmp->obj;
		*tmp = *mp;
		tmp->obj = obj;
		tmp->vm_flags &= ~VM_LOCKED;
		tmp->anon_next = tmp->anon_prev = NULL;
		tmp->i_mmap_next = tmp->i_mmap_prev = NULL;
		tmp->vm_mm = mm;
		/* anon_vma_link, then the file's i_mmap right after mp */
		tmp->vm_file = NULL;
		vma_link(m, mm, tmp);
		if (mp->vm_file) {
			tmp->vm_file = mp->vm_file;
			i_mmap_add(mp->vm_file, tmp, mp);
		}
		if (copy_page_range(m, mm, old, mp))
			return set_error(m, -ENOMEM, "fork: no memory for page "
					 "tables");
	}
	return 0;
}

int __kmem_fork(struct machine *m, int pid, int *child)
{
	struct mm_state *s = m->mms;
	struct task_struct *p = task_with_mm(m, pid, "fork");
	struct task_struct *t;
	int rc;

	if (!p)
		return -ESRCH;
	if (TRACING(m))
		trace_enter(m, "do_fork", "pid %d", pid);
	rc = alloc_task(m, p->comm, p->uid, &t);
	if (rc) {
		rc = set_error(m, rc, "fork: no memory for the task");
		goto out;
	}
	struct mm_struct *old = p->mm, *mm;
	rc = mm_alloc(m, &mm);
	if (rc) {
		free_task(m, t);
		rc = set_error(m, rc, "fork: no memory for the mm");
		goto out;
	}
	/* dup_mm: memcpy of the old mm, then mm_init resets the rest */
	mm->cap_sys_admin = old->cap_sys_admin;
	mm->topdown = old->topdown;
	mm->mmap_base = old->mmap_base;
	mm->total_vm = old->total_vm;
	mm->shared_vm = old->shared_vm;
	mm->exec_vm = old->exec_vm;
	mm->stack_vm = old->stack_vm;
	mm->reserved_vm = old->reserved_vm;
	mm->def_flags = old->def_flags;
	mm->faultstamp = old->faultstamp;      /* token_priority starts at 0 */
	mm->start_code = old->start_code;
	mm->end_code = old->end_code;
	mm->start_data = old->start_data;
	mm->end_data = old->end_data;
	mm->start_brk = old->start_brk;
	mm->brk = old->brk;
	mm->start_stack = old->start_stack;
	mm->arg_start = old->arg_start;
	mm->arg_end = old->arg_end;
	mm->env_start = old->env_start;
	mm->env_end = old->env_end;
	t->mm = mm;
	rc = dup_mmap(m, mm, old);
	if (rc) {
		char why[256];
		snprintf(why, sizeof why, "%s", kmem_last_error(m));
		mmput(m, mm);
		free_task(m, t);
		rc = set_error(m, rc, "fork: %s", why);
		goto out;
	}
	mm->hiwater_rss = mm->file_rss + mm->anon_rss;
	mm->hiwater_vm = mm->total_vm;
	t->pid = alloc_pid(s);
	t->ppid = p->pid;
	task_insert(s, t);
	*child = t->pid;
out:
	if (TRACING(m))
		trace_exit(m, rc ? "%d" : "child %d", rc ? rc : *child);
	return rc;
}

/* ------------------------------------------------------------------ */
/* exit and kill                                                       */
/* ------------------------------------------------------------------ */

void do_exit(struct machine *m, struct task_struct *t, int signal)
{
	struct mm_state *s = mms(m);

	if (TRACING(m))
		trace_enter(m, "do_exit", "pid %d (%s)%s", t->pid, t->comm,
			    signal ? " killed" : "");
	if (t->mm) {
		update_hiwater_rss(t->mm);
		update_hiwater_vm(t->mm);
		mmput(m, t->mm);
		t->mm = NULL;
	}
	/* forget_original_parent: children go to init */
	for (size_t i = 0; i < s->nr_tasks; i++)
		if (s->tasks[i]->ppid == t->pid)
			s->tasks[i]->ppid = 1;
	task_remove(s, t);
	if (m->current == t)
		m->current = NULL;
	free_task(m, t);
	if (TRACING(m))
		trace_exit(m, "done");
}

int kmem_exit(struct machine *m, int pid)
{
	struct task_struct *t = task_with_mm(m, pid, "exit");

	if (!t)
		return -ESRCH;
	if (pid == 1)
		return set_error(m, -EPERM, "exit: Kernel panic - not syncing: "
				 "Attempted to kill init! (refused)");
	do_exit(m, t, 0);
	return 0;
}

int kmem_kill(struct machine *m, int pid, int sig)
{
	struct task_struct *t = task_with_mm(m, pid, "kill");

	if (!t)
		return -ESRCH;
	if (sig < 1 || sig > 64)
		return set_error(m, -EINVAL, "kill: signal %d is not 1..64", sig);
	if (pid == 1)
		return set_error(m, -EPERM, "kill: init ignores signals it has no "
				 "handler for (kill -%d 1 does nothing)", sig);
	do_exit(m, t, sig);
	return 0;
}

size_t kmem_task_list(const struct machine *m, int *pids, size_t max)
{
	const struct mm_state *s = m->mms;
	size_t n = s ? s->nr_tasks : 0;

	for (size_t i = 0; i < n && i < max; i++)
		pids[i] = s->tasks[i]->pid;
	return n;
}

/* ------------------------------------------------------------------ */
/* Invariants                                                          */
/* ------------------------------------------------------------------ */

static bool check_mm(struct machine *m, const struct task_struct *t,
		     char *report, size_t len, long *committed)
{
	const struct mm_struct *mm = t->mm;
	unsigned long total = 0, shared = 0, exec = 0, stack = 0, reserved = 0;
	unsigned long locked = 0;
	kaddr_t prev_end = 0;

#define FAIL(fmt, ...) do { snprintf(report, len, "mm: pid %d: " fmt, \
	t->pid, ##__VA_ARGS__); return false; } while (0)
	for (unsigned i = 0; i < mm->map_count; i++) {
		const struct vm_area_struct *v = mm->vmas[i];
		if (v->vm_mm != mm)
			FAIL("vma %#llx-%#llx belongs to another mm",
			     (unsigned long long)v->vm_start,
			     (unsigned long long)v->vm_end);
		if (v->vm_start >= v->vm_end || (v->vm_start | v->vm_end) &
		    (PAGE_SIZE - 1) || v->vm_end > mm->task_size)
			FAIL("vma %#llx-%#llx is empty, misaligned or beyond "
			     "TASK_SIZE", (unsigned long long)v->vm_start,
			     (unsigned long long)v->vm_end);
		if (v->vm_start < prev_end)
			FAIL("vma %#llx-%#llx overlaps or is out of order",
			     (unsigned long long)v->vm_start,
			     (unsigned long long)v->vm_end);
		prev_end = v->vm_end;
		if (v->anon_vma) {
			const struct vm_area_struct *w = v->anon_vma->head;
			while (w && w != v)
				w = w->anon_next;
			if (!w)
				FAIL("vma %#llx is not on its anon_vma's list",
				     (unsigned long long)v->vm_start);
		}
		if (v->vm_file) {
			const struct vm_area_struct *w = v->vm_file->mapping.i_mmap_head;
			while (w && w != v)
				w = w->i_mmap_next;
			if (!w)
				FAIL("vma %#llx is not on its file's i_mmap list",
				     (unsigned long long)v->vm_start);
		}
		unsigned long pages = vma_pages(v);
		total += pages;
		if (v->vm_flags & VM_LOCKED)
			locked += pages;
		if (v->vm_file) {
			shared += pages;
			if ((v->vm_flags & (VM_EXEC | VM_WRITE)) == VM_EXEC)
				exec += pages;
		} else if (v->vm_flags & VM_GROWSDOWN) {
			stack += pages;
		}
		if (v->vm_flags & (VM_RESERVED | VM_IO))
			reserved += pages;
		if (v->vm_flags & VM_ACCOUNT)
			*committed += (long)pages;
	}
	if (mm->mmap_cache) {
		bool found = false;
		for (unsigned i = 0; i < mm->map_count && !found; i++)
			found = mm->vmas[i] == mm->mmap_cache;
		if (!found)
			FAIL("mmap_cache points at a vma that is gone");
	}
	if (total != mm->total_vm || shared != mm->shared_vm ||
	    exec != mm->exec_vm || stack != mm->stack_vm ||
	    reserved != mm->reserved_vm || locked != mm->locked_vm)
		FAIL("total/shared/exec/stack/reserved/locked_vm %lu/%lu/%lu/%lu/"
		     "%lu/%lu, vmas add up to %lu/%lu/%lu/%lu/%lu/%lu",
		     mm->total_vm, mm->shared_vm, mm->exec_vm, mm->stack_vm,
		     mm->reserved_vm, mm->locked_vm, total, shared, exec, stack,
		     reserved, locked);
#undef FAIL
	(void)m;
	return true;
}

bool mm_check(const struct machine *cm, char *report, size_t len)
{
	struct machine *m = (struct machine *)cm;       /* walks read only */
	struct mm_state *s = m->mms;
	long committed = 0;

	if (!s || !s->caches_ready)
		return true;
	for (size_t i = 0; i < s->nr_tasks; i++) {
		const struct task_struct *t = s->tasks[i];
		if (i && s->tasks[i - 1]->pid >= t->pid) {
			snprintf(report, len, "mm: task table out of pid order");
			return false;
		}
		if (!check_mm(m, t, report, len, &committed))
			return false;
	}
	for (unsigned id = 1; id < s->nr_anon_ids; id++) {
		const struct anon_vma *a = s->anon_vmas[id];
		if (!a)
			continue;
		if (!a->head) {
			snprintf(report, len, "mm: anon_vma %u has no vma", id);
			return false;
		}
		for (const struct vm_area_struct *v = a->head; v; v = v->anon_next)
			if (v->anon_vma != a) {
				snprintf(report, len, "mm: anon_vma %u lists a vma of "
					 "another anon_vma", id);
				return false;
			}
	}
	for (unsigned id = 1; id < s->nr_file_ids; id++)
		if (s->files[id])
			committed += (long)s->files[id]->shmem_acct;
	if (committed != s->vm_committed_space) {
		snprintf(report, len, "mm: Committed_AS %ld pages, VM_ACCOUNT "
			 "vmas and shmem objects add up to %ld",
			 s->vm_committed_space, committed);
		return false;
	}
	return pt_check(m, report, len) && filemap_check(m, report, len);
}

/* ------------------------------------------------------------------ */
/* Running on behalf of a task: current                                */
/* ------------------------------------------------------------------ */

/*
 * The entry points below act for task pid: for their length m->current
 * is that task, so the OOM killer knows whose allocation it is serving.
 * If it chose current, the task carries TIF_MEMDIE until the operation
 * returns; then SIGKILL is delivered (leave_task), as the kernel delivers
 * it on the return to user mode.  A system call that completed still
 * returns its result; a fault reports the kill.
 */
static struct task_struct *enter_task(struct machine *m, int pid)
{
	struct task_struct *prev = m->current;

	m->current = find_task(m, pid);
	return prev;
}

/* Restore the previous current; true (and the task gone) when it had
 * been chosen by the OOM killer. */
static bool leave_task(struct machine *m, struct task_struct *prev)
{
	struct task_struct *t = m->current;

	m->current = prev;
	if (t && t->memdie) {
		oom_deliver_sigkill(m, t);
		return true;
	}
	return false;
}

static int killed_after_fault(struct machine *m, int pid, const char *comm,
			      uint64_t addr)
{
	return set_error(m, -ENOMEM, "pid %d (%s): killed by the OOM killer: "
			 "SIGKILL on return from the fault at %#llx", pid, comm,
			 (unsigned long long)addr);
}

int kmem_fault(struct machine *m, int pid, uint64_t addr, bool write,
	       struct kmem_fault_info *info)
{
	struct kmem_fault_info tmp;
	struct task_struct *t = find_task(m, pid);
	char comm[16] = "";

	if (!info)
		info = &tmp;
	if (t)
		snprintf(comm, sizeof comm, "%s", t->comm);
	struct task_struct *prev = enter_task(m, pid);
	int rc = __kmem_fault(m, pid, addr, write, info);
	if (leave_task(m, prev) && !rc) {
		info->type = KMEM_FAULT_OOM;
		rc = killed_after_fault(m, pid, comm, addr);
	}
	return rc;
}

/* Page by page, so that a task the OOM killer chose stops at once. */
int kmem_touch(struct machine *m, int pid, uint64_t addr, uint64_t len,
	       bool write, struct kmem_touch_info *out)
{
	struct kmem_touch_info tmp, one;
	struct task_struct *t = find_task(m, pid);

	if (!out)
		out = &tmp;
	if (!t || !len || addr + len < addr)
		return __kmem_touch(m, pid, addr, len, write, out);
	memset(out, 0, sizeof *out);
	char comm[16];
	snprintf(comm, sizeof comm, "%s", t->comm);
	struct task_struct *prev = enter_task(m, pid);
	uint64_t end = addr + len, a = addr;
	int rc = 0;
	while (a < end) {
		uint64_t next = (a & ~(uint64_t)(PAGE_SIZE - 1)) + PAGE_SIZE;
		if (next > end || next < a)
			next = end;
		rc = __kmem_touch(m, pid, a, next - a, write, &one);
		out->pages += one.pages;
		out->none += one.none;
		out->minor += one.minor;
		out->major += one.major;
		if (rc) {
			out->stop = one.stop;
			out->stop_addr = one.stop_addr;
			break;
		}
		if (t->memdie) {
			out->stop = KMEM_FAULT_OOM;
			out->stop_addr = a;
			break;
		}
		a = next;
	}
	if (leave_task(m, prev) && !rc)
		rc = killed_after_fault(m, pid, comm, out->stop_addr);
	return rc;
}

int kmem_mmap(struct machine *m, int pid, uint64_t addr, uint64_t len,
	      unsigned prot, unsigned flags, const char *file, uint64_t offset,
	      uint64_t *out)
{
	struct task_struct *prev = enter_task(m, pid);
	int rc = __kmem_mmap(m, pid, addr, len, prot, flags, file, offset, out);

	leave_task(m, prev);
	return rc;
}

int kmem_munmap(struct machine *m, int pid, uint64_t addr, uint64_t len)
{
	struct task_struct *prev = enter_task(m, pid);
	int rc = __kmem_munmap(m, pid, addr, len);

	leave_task(m, prev);
	return rc;
}

int kmem_brk(struct machine *m, int pid, uint64_t brk, uint64_t *out)
{
	struct task_struct *prev = enter_task(m, pid);
	int rc = __kmem_brk(m, pid, brk, out);

	leave_task(m, prev);
	return rc;
}

int kmem_mprotect(struct machine *m, int pid, uint64_t addr, uint64_t len,
		  unsigned prot)
{
	struct task_struct *prev = enter_task(m, pid);
	int rc = __kmem_mprotect(m, pid, addr, len, prot);

	leave_task(m, prev);
	return rc;
}

int kmem_mremap(struct machine *m, int pid, uint64_t addr, uint64_t old_len,
		uint64_t new_len, unsigned flags, uint64_t new_addr,
		uint64_t *out)
{
	struct task_struct *prev = enter_task(m, pid);
	int rc = __kmem_mremap(m, pid, addr, old_len, new_len, flags, new_addr,
			       out);

	leave_task(m, prev);
	return rc;
}

int kmem_fork(struct machine *m, int pid, int *child)
{
	struct task_struct *prev = enter_task(m, pid);
	int rc = __kmem_fork(m, pid, child);

	leave_task(m, prev);
	return rc;
}
