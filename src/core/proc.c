/*
 * proc.c - the virtual /proc: /proc/meminfo (fs/proc/proc_misc.c, 2.6.20),
 * dispatch to the mm views (buddyinfo, zoneinfo, vmstat in vmstat.c) and
 * /proc/sys/vm (sysctl.c).  Text is produced into the caller's buffer, as
 * the kernel produces it into a seq_file.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "mm.h"

size_t kmem_meminfo_items(struct machine *m, struct kmem_stat_item *out,
			  size_t max)
{
	size_t n = 0;
	unsigned long free = nr_free_pages(m), freehigh = 0;

	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			const struct zone *z = &m->nodes[nid].node_zones[i];
			if (is_highmem(z))
				freehigh += z->free_pages;
		}
	unsigned long active = 0, inactive = 0;
	for (unsigned nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			active += m->nodes[nid].node_zones[i].nr_active;
			inactive += m->nodes[nid].node_zones[i].nr_inactive;
		}
	unsigned long buffers = 0, swapcache = total_swapcache_pages(m);
	long cached = (long)global_page_state(m, NR_FILE_PAGES) -
		      (long)swapcache - (long)buffers;
	unsigned long total_swap = total_swap_pages(m);
	unsigned long free_swap = (unsigned long)nr_swap_pages(m);
	unsigned long commit_limit = m->totalram_pages *
		(unsigned long)m->sysctl[SYSCTL_OVERCOMMIT_RATIO][0] / 100 +
		total_swap;
	uint64_t vtotal, vused, vchunk;
	kmem_vmalloc_info(m, &vtotal, &vused, &vchunk);

#define K(x) ((unsigned long)(x) << (PAGE_SHIFT - 10))
#define PUT(nm, val) do { if (n < max) { out[n].name = (nm); \
	out[n].value = (val); } n++; } while (0)
	PUT("MemTotal", K(m->totalram_pages));
	PUT("MemFree", K(free));
	PUT("Buffers", K(buffers));
	PUT("Cached", K(cached < 0 ? 0 : cached));
	PUT("SwapCached", K(swapcache));
	PUT("Active", K(active));
	PUT("Inactive", K(inactive));
	if (m->arch == KMEM_ARCH_I386) {
		PUT("HighTotal", K(m->totalhigh_pages));
		PUT("HighFree", K(freehigh));
		PUT("LowTotal", K(m->totalram_pages - m->totalhigh_pages));
		PUT("LowFree", K(free - freehigh));
	}
	PUT("SwapTotal", K(total_swap));
	PUT("SwapFree", K(free_swap));
	PUT("Dirty", K(global_page_state(m, NR_FILE_DIRTY)));
	PUT("Writeback", K(global_page_state(m, NR_WRITEBACK)));
	PUT("AnonPages", K(global_page_state(m, NR_ANON_PAGES)));
	PUT("Mapped", K(global_page_state(m, NR_FILE_MAPPED)));
	PUT("Slab", K(global_page_state(m, NR_SLAB_RECLAIMABLE) +
		      global_page_state(m, NR_SLAB_UNRECLAIMABLE)));
	PUT("SReclaimable", K(global_page_state(m, NR_SLAB_RECLAIMABLE)));
	PUT("SUnreclaim", K(global_page_state(m, NR_SLAB_UNRECLAIMABLE)));
	PUT("PageTables", K(global_page_state(m, NR_PAGETABLE)));
	PUT("NFS_Unstable", K(global_page_state(m, NR_UNSTABLE_NFS)));
	PUT("Bounce", K(global_page_state(m, NR_BOUNCE)));
	PUT("CommitLimit", K(commit_limit));
	long committed = vm_committed_pages(m);
	PUT("Committed_AS", K(committed < 0 ? 0 : committed));
	PUT("VmallocTotal", (unsigned long)(vtotal >> 10));
	PUT("VmallocUsed", (unsigned long)(vused >> 10));
	PUT("VmallocChunk", (unsigned long)(vchunk >> 10));
	PUT("HugePages_Total", 0UL);
	PUT("HugePages_Free", 0UL);
	PUT("HugePages_Rsvd", 0UL);
	PUT("Hugepagesize", m->arch == KMEM_ARCH_I386 && !m->pae ? 4096UL : 2048UL);
#undef PUT
#undef K
	return n;
}

static void proc_meminfo(struct machine *m, struct kbuf *b)
{
	struct kmem_stat_item items[40];
	size_t n = kmem_meminfo_items(m, items, 40);

	for (size_t i = 0; i < n && i < 40; i++) {
		char label[24];
		snprintf(label, sizeof label, "%s:", items[i].name);
		if (!strncmp(items[i].name, "HugePages_", 10))
			kbuf_printf(b, "%-17s%5lu\n", label, items[i].value);
		else if (!strcmp(items[i].name, "Hugepagesize"))
			kbuf_printf(b, "%-17s%5lu kB\n", label, items[i].value);
		else
			kbuf_printf(b, "%-14s%8lu kB\n", label, items[i].value);
	}
}

struct proc_file {
	const char *name;               /* path under /proc */
	void (*show)(struct machine *m, struct kbuf *b);
};

static const struct proc_file proc_files[] = {
	{ "buddyinfo", proc_buddyinfo },
	{ "meminfo", proc_meminfo },
	{ "swaps", proc_swaps },
	{ "vmallocinfo", proc_vmallocinfo },
	{ "vmstat", proc_vmstat },
	{ "zoneinfo", proc_zoneinfo },
};
#define NR_PROC_FILES (sizeof proc_files / sizeof proc_files[0])

static int sysctl_id_of(const struct machine *m, const char *path)
{
	if (strncmp(path, "sys/vm/", 7))
		return -1;
	int id = kmem_sysctl_lookup(path + 7);
	if (id < 0 || (!m->numa && sysctl_numa_only(id)))
		return -1;
	return id;
}

/* Accept "/proc/x", "proc/x" and "x". */
static const char *strip_proc(const char *path)
{
	if (!strncmp(path, "/proc/", 6))
		return path + 6;
	if (!strncmp(path, "proc/", 5))
		return path + 5;
	return path;
}

int kmem_proc_read(struct machine *m, const char *path, struct kbuf *b)
{
	path = strip_proc(path);
	if (!strcmp(path, "slabinfo") && m->oa && m->oa->slabinfo_show) {
		m->oa->slabinfo_show(m, b);
		return 0;
	}
	for (size_t i = 0; i < NR_PROC_FILES; i++)
		if (!strcmp(path, proc_files[i].name)) {
			proc_files[i].show(m, b);
			return 0;
		}
	int id = sysctl_id_of(m, path);
	if (id >= 0) {
		sysctl_format(m, id, b);
		return 0;
	}
	int r = proc_pid_read(m, path, b);     /* PID/maps, PID/status */
	if (r > 0)
		return 0;
	return set_error(m, -ENOENT, "/proc/%s: No such file or directory", path);
}

int kmem_proc_write(struct machine *m, const char *path, const char *text)
{
	path = strip_proc(path);
	if (!strcmp(path, "slabinfo") && m->oa && m->oa->slabinfo_write)
		return m->oa->slabinfo_write(m, text);
	int pr = proc_pid_write(m, path, text);
	if (pr)
		return pr < 0 ? pr : 0;
	int id = sysctl_id_of(m, path);
	if (id >= 0)
		return sysctl_write(m, id, text);
	for (size_t i = 0; i < NR_PROC_FILES; i++)
		if (!strcmp(path, proc_files[i].name))
			return set_error(m, -EACCES, "/proc/%s: Permission denied "
					 "(read-only)", path);
	return set_error(m, -ENOENT, "/proc/%s: No such file or directory", path);
}

const char *const *kmem_proc_entries(const struct machine *cm)
{
	struct machine *m = (struct machine *)cm;   /* a lazily built cache */

	if (!m->proc_entries[0]) {
		size_t n = 0;
		for (size_t i = 0; i < NR_PROC_FILES; i++) {
			m->proc_entries[n++] = proc_files[i].name;
			if (!strcmp(proc_files[i].name, "meminfo") && m->oa &&
			    m->oa->slabinfo_show)
				m->proc_entries[n++] = "slabinfo";
		}
		const struct kmem_sysctl_desc *t = kmem_sysctl_table();
		for (int id = 0; id < NR_SYSCTL; id++) {
			if (!m->numa && sysctl_numa_only(id))
				continue;
			snprintf(m->proc_paths[id], sizeof m->proc_paths[id],
				 "sys/vm/%s", t[id].name);
			m->proc_entries[n++] = m->proc_paths[id];
		}
		m->proc_entries[n] = NULL;
	}
	const char *const *with_pids = proc_pid_entries(m, m->proc_entries);
	return with_pids ? with_pids : m->proc_entries;
}
