/*
 * slab_debug.c - CONFIG_DEBUG_SLAB's object layout for caches created with
 * SLAB_RED_ZONE, SLAB_POISON or SLAB_STORE_USER (mm/slab.c, 2.6.20):
 *
 *   [redzone 1][object ... poison ... 0xa5][redzone 2][last user]
 *    one word   obj_size bytes               one word   one word
 *
 * Free objects hold POISON_FREE (0x6b), live ones POISON_INUSE (0x5a);
 * red zones hold RED_INACTIVE while free and RED_ACTIVE while allocated.
 * The bytes live in simulated memory, so `memset` past an object's end or
 * after its free is caught when the kernel would catch it: at the next
 * free (red zones) or the next allocation of that object (poison).
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <stdio.h>
#include <string.h>

#include "slab.h"

#define POISON_INUSE 0x5a
#define POISON_FREE  0x6b
#define POISON_END   0xa5

static uint64_t red_inactive(const struct machine *m)
{
	return bytes_per_word(m) == 4 ? 0x5A2CF071ULL : 0x09F911029D74E35BULL;
}

static uint64_t red_active(const struct machine *m)
{
	return bytes_per_word(m) == 4 ? 0x170FC2A5ULL : 0xD84156C5635688C0ULL;
}

static uint64_t obj_phys(const struct machine *m, kaddr_t a)
{
	return a - m->page_offset;
}

/* Word offsets within a buffer: redzone 1 at 0, redzone 2 and the user
 * word at the end (dbg_redzone1/2, dbg_userword). */
static kaddr_t dbg_redzone2(const struct machine *m, const struct kmem_cache *c,
			    kaddr_t buf)
{
	size_t w = bytes_per_word(m);

	return buf + c->buffer_size - ((c->flags & SLAB_STORE_USER) ? 2 * w : w);
}

static uint64_t read_word(struct machine *m, kaddr_t a)
{
	uint64_t v = 0;

	physmem_read(m, obj_phys(m, a), &v, bytes_per_word(m));
	return v;
}

static void write_word(struct machine *m, kaddr_t a, uint64_t v)
{
	physmem_write(m, obj_phys(m, a), &v, bytes_per_word(m));
}

/* The size poison covers: the creator's size rounded to a word. */
static size_t poison_size(const struct machine *m, const struct kmem_cache *c)
{
	return align_up(c->object_size, bytes_per_word(m));
}

static void poison_obj(struct machine *m, const struct kmem_cache *c,
		       kaddr_t buf, int val)
{
	size_t n = poison_size(m, c);
	uint8_t end = POISON_END;

	physmem_fill(m, obj_phys(m, buf + c->obj_offset), val, n - 1);
	physmem_write(m, obj_phys(m, buf + c->obj_offset + n - 1), &end, 1);
}

/* check_poison_obj: report every 16-byte line that lost its poison. */
static void check_poison_obj(struct machine *m, const struct kmem_cache *c,
			     kaddr_t buf)
{
	size_t n = poison_size(m, c);
	kaddr_t obj = buf + c->obj_offset;
	uint8_t bytes[4096 * 8];
	int lines = 0;

	if (n > sizeof bytes)
		return;
	physmem_read(m, obj_phys(m, obj), bytes, n);
	for (size_t i = 0; i < n; i += 16) {
		bool bad = false;
		for (size_t k = i; k < i + 16 && k < n; k++) {
			uint8_t want = k == n - 1 ? POISON_END : POISON_FREE;
			if (bytes[k] != want)
				bad = true;
		}
		if (!bad)
			continue;
		if (!lines++)
			printk(m, KERN_ERR, "Slab corruption: %s start=%#llx, len=%zu",
			       c->name, (unsigned long long)obj, n);
		char hex[64];
		size_t h = 0;
		for (size_t k = i; k < i + 16 && k < n; k++)
			h += (size_t)snprintf(hex + h, sizeof hex - h, " %02x", bytes[k]);
		printk(m, KERN_ERR, "%03zx:%s", i, hex);
		if (lines == 5)
			break;
	}
	if (lines && (c->flags & SLAB_RED_ZONE))
		printk(m, KERN_ERR, "Redzone: %#llx/%#llx.",
		       (unsigned long long)read_word(m, buf),
		       (unsigned long long)read_word(m, dbg_redzone2(m, c, buf)));
}

static void slab_error(struct machine *m, const char *func,
		       const struct kmem_cache *c, const char *msg)
{
	printk(m, KERN_ERR, "slab error in %s(): cache `%s': %s", func, c->name,
	       msg);
}

/* cache_alloc_debugcheck_after: the object leaves the allocator. */
void debug_on_alloc(struct machine *m, const struct kmem_cache *c,
			   kaddr_t buf)
{
	if (c->flags & SLAB_POISON) {
		check_poison_obj(m, c, buf);
		poison_obj(m, c, buf, POISON_INUSE);
	}
	if (c->flags & SLAB_STORE_USER)
		write_word(m, buf + c->buffer_size - bytes_per_word(m), 0);
	if (c->flags & SLAB_RED_ZONE) {
		kaddr_t rz2 = dbg_redzone2(m, c, buf);
		if (read_word(m, buf) != red_inactive(m) ||
		    read_word(m, rz2) != red_inactive(m)) {
			slab_error(m, "cache_alloc_debugcheck_after", c,
				   "double free, or memory outside object was overwritten");
			printk(m, KERN_ERR, "%#llx: redzone 1:%#llx, redzone 2:%#llx",
			       (unsigned long long)buf,
			       (unsigned long long)read_word(m, buf),
			       (unsigned long long)read_word(m, rz2));
		}
		write_word(m, buf, red_active(m));
		write_word(m, rz2, red_active(m));
	}
}

/* cache_free_debugcheck: the object comes back. */
void debug_on_free(struct machine *m, const struct kmem_cache *c,
			  kaddr_t buf)
{
	if (c->flags & SLAB_RED_ZONE) {
		kaddr_t rz2 = dbg_redzone2(m, c, buf);
		if (read_word(m, buf) != red_active(m) ||
		    read_word(m, rz2) != red_active(m)) {
			slab_error(m, "cache_free_debugcheck", c,
				   "double free, or memory outside object was overwritten");
			printk(m, KERN_ERR, "%#llx: redzone 1:%#llx, redzone 2:%#llx",
			       (unsigned long long)buf,
			       (unsigned long long)read_word(m, buf),
			       (unsigned long long)read_word(m, rz2));
		}
		write_word(m, buf, red_inactive(m));
		write_word(m, rz2, red_inactive(m));
	}
	if (c->flags & SLAB_STORE_USER)
		write_word(m, buf + c->buffer_size - bytes_per_word(m), 0);
	if (c->flags & SLAB_POISON)
		poison_obj(m, c, buf, POISON_FREE);
}

/* cache_init_objs for debug caches: every object starts free. */
void debug_init_objs(struct machine *m, const struct kmem_cache *c,
			    kaddr_t s_mem)
{
	for (unsigned i = 0; i < c->num; i++) {
		kaddr_t buf = s_mem + (kaddr_t)c->buffer_size * i;
		if (c->flags & SLAB_POISON)
			poison_obj(m, c, buf, POISON_FREE);
		if (c->flags & SLAB_RED_ZONE) {
			write_word(m, buf, red_inactive(m));
			write_word(m, dbg_redzone2(m, c, buf), red_inactive(m));
		}
	}
}
