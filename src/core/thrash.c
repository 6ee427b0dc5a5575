/*
 * thrash.c - the swap token (Linux 2.6.20 mm/thrash.c, after Ashwin
 * Chaugule's 2006 "new scheme to preempt swap token").
 *
 * One address space at a time holds the token; reclaim's page_referenced
 * counts each of the holder's mappings as referenced, so the thrashing
 * task that holds it keeps its pages while the others give theirs up.
 *
 *   grab_swap_token(mm), on a major swap-in fault (do_swap_page):
 *     global_faults++, interval = global_faults - mm->faultstamp
 *     nobody holds it           -> mm takes it, priority += 2
 *     mm holds it               -> priority += 2
 *     somebody else holds it    -> priority +1 if faulting faster than
 *                                  last time (interval < last_interval),
 *                                  else -1 (not below 0); if it now beats
 *                                  the holder's priority it takes the
 *                                  token, priority += 2
 *     then faultstamp = global_faults, last_interval = interval
 *   put_swap_token(mm) on exit, disable_swap_token() when reclaim reaches
 *   priority 0: the token is free again.
 *
 * This scheme counts faults, not time: the jiffies-based timeout of the
 * 2.6.9-2.6.19 design (vm.swap_token_timeout) plays no part.  In 2.6.20
 * token_priority is an unsigned int whose decrement below 0 the "< 0"
 * test cannot catch; the evident intent (stop at 0) is modelled.
 *
 * kmemlab extension (not a kernel interface): the token can be switched
 * off (kmem_swap_token_set, the `swap_token off` command) to compare
 * thrashing with and without it; off, nobody ever holds it.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include "mm.h"

bool has_swap_token(const struct machine *m, const struct mm_struct *mm)
{
	return m->swap && mm && m->swap->swap_token_mm == mm;
}

static void token_to(struct machine *m, struct mm_struct *mm,
		     const char *why)
{
	struct swap_state *s = m->swap;

	if (s->swap_token_mm != mm)
		s->token_changes++;
	s->swap_token_mm = mm;
	if (TRACING(m))
		trace_note(m, "swap token: %s (priority %d)", why,
			   mm ? mm->token_priority : 0);
}

void grab_swap_token(struct machine *m, struct mm_struct *mm)
{
	struct swap_state *s = m->swap;

	if (!s->token_enabled || !mm)
		return;
	s->global_faults++;
	unsigned interval = s->global_faults - mm->faultstamp;
	if (!s->swap_token_mm) {
		mm->token_priority += 2;
		token_to(m, mm, "free: taken");
	} else if (mm != s->swap_token_mm) {
		if (interval < mm->last_interval)
			mm->token_priority++;
		else if (mm->token_priority > 0)
			mm->token_priority--;
		if (mm->token_priority > s->swap_token_mm->token_priority) {
			mm->token_priority += 2;
			token_to(m, mm, "preempted the holder");
		} else if (TRACING(m)) {
			trace_note(m, "swap token: priority %d does not beat the "
				   "holder's %d", mm->token_priority,
				   s->swap_token_mm->token_priority);
		}
	} else {
		mm->token_priority += 2;
		if (TRACING(m))
			trace_note(m, "swap token: holder faulted again (priority "
				   "%d)", mm->token_priority);
	}
	mm->faultstamp = s->global_faults;
	mm->last_interval = interval;
}

void put_swap_token(struct machine *m, struct mm_struct *mm)
{
	if (has_swap_token(m, mm))
		token_to(m, NULL, "released");
}

void disable_swap_token(struct machine *m)
{
	if (m->swap && m->swap->swap_token_mm)
		token_to(m, NULL, "disabled by reclaim");
}

void kmem_swap_token_set(struct machine *m, bool enabled)
{
	m->swap->token_enabled = enabled;
	if (!enabled)
		disable_swap_token(m);
}
