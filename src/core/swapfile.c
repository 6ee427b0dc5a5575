/*
 * swapfile.c - swap devices (Linux 2.6.20 mm/swapfile.c).
 *
 * PLACEHOLDER while swap is being written: no device can be configured,
 * so there is never a free slot and reclaim keeps anonymous pages.  The
 * functions are the interface swap.h promises; the real implementation
 * replaces this file.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include "mm.h"

long nr_swap_pages(const struct machine *m)
{
	(void)m;
	return 0;
}

unsigned long total_swap_pages(const struct machine *m)
{
	(void)m;
	return 0;
}

bool vm_swap_full(const struct machine *m)
{
	return nr_swap_pages(m) * 2 < (long)total_swap_pages(m);
}

int add_to_swap(struct machine *m, struct page *p)
{
	(void)m;
	(void)p;
	return 0;
}

void __delete_from_swap_cache(struct machine *m, struct page *p)
{
	(void)m;
	(void)p;
}

void delete_from_swap_cache(struct machine *m, struct page *p)
{
	(void)m;
	(void)p;
}

void swap_free(struct machine *m, swp_entry_t e)
{
	(void)m;
	(void)e;
}

int swap_writepage(struct machine *m, struct page *p)
{
	(void)m;
	(void)p;
	return -1;
}

int remove_exclusive_swap_page(struct machine *m, struct page *p)
{
	(void)m;
	(void)p;
	return 0;
}

bool has_swap_token(const struct machine *m, const struct mm_struct *mm)
{
	(void)m;
	(void)mm;
	return false;
}

void disable_swap_token(struct machine *m)
{
	(void)m;
}

bool swap_check(struct machine *m, char *report, size_t len)
{
	(void)m;
	(void)report;
	(void)len;
	return true;
}
