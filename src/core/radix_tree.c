/*
 * radix_tree.c - the page cache's index (lib/radix-tree.c, 2.6.20).
 *
 *   root (height h)        h = 0: rnode is the item at index 0 itself
 *     rnode -> node        64 slots, count, 2 tag bitmaps (DIRTY, WRITEBACK)
 *                slots[i]  child nodes; at height 1 the items (pages)
 *
 * Index bits are consumed 6 at a time from the top: a tree of height h
 * holds indices 0 .. 2^(6h) - 1.  The tree grows (radix_tree_extend) by
 * putting a new node above the root, and shrinks (radix_tree_shrink) when
 * the root node only uses slot 0.  A tag bit is set in a node iff some
 * item below that slot carries the tag; the root keeps one bit per tag.
 *
 * Every node is a "radix_tree_node" slab object (288 bytes on i386, 552
 * on x86_64), so the page cache's metadata shows in /proc/slabinfo.  The
 * kernel preloads a per-CPU pool of nodes before taking the tree lock;
 * we instead count the nodes an insert needs and allocate them all before
 * changing the tree, so a failed insert leaves it untouched.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <string.h>

#include "mm.h"

#define RADIX_TREE_MAX_PATH 11          /* 64-bit index / 6, rounded up */

static unsigned long maxindex(unsigned height)
{
	if (height == 0)
		return 0;
	if (height * RADIX_TREE_MAP_SHIFT >= 64)
		return ~0UL;
	return (1UL << (height * RADIX_TREE_MAP_SHIFT)) - 1;
}

static inline bool tag_get(const struct radix_tree_node *n, unsigned tag,
			   unsigned off)
{
	return (n->tags[tag] >> off) & 1u;
}
static inline void tag_set(struct radix_tree_node *n, unsigned tag,
			   unsigned off)
{
	n->tags[tag] |= 1ULL << off;
}
static inline void tag_clear(struct radix_tree_node *n, unsigned tag,
			     unsigned off)
{
	n->tags[tag] &= ~(1ULL << off);
}

/* radix_tree_node_alloc: a zeroed node and its slab object. */
static struct radix_tree_node *node_alloc(struct machine *m)
{
	kaddr_t obj;

	if (kmem_cache_alloc(m, mms(m)->cache_radix, GFP_KERNEL, -1, &obj))
		return NULL;
	struct radix_tree_node *n = xcalloc(1, sizeof *n);
	n->obj = obj;
	return n;
}

static void node_free(struct machine *m, struct radix_tree_node *n)
{
	kmem_cache_free(m, mms(m)->cache_radix, n->obj);
	free(n);
}

void *radix_tree_lookup(const struct radix_tree_root *root,
			unsigned long index)
{
	unsigned h = root->height;

	if (index > maxindex(h))
		return NULL;
	if (h == 0)
		return root->rnode;
	const struct radix_tree_node *n = root->rnode;
	unsigned shift = (h - 1) * RADIX_TREE_MAP_SHIFT;
	while (n) {
		void *slot = n->slots[(index >> shift) & RADIX_TREE_MAP_MASK];
		if (--h == 0)
			return slot;
		n = slot;
		shift -= RADIX_TREE_MAP_SHIFT;
	}
	return NULL;
}

/* Nodes an insert at index would allocate (extend + missing path). */
static unsigned nodes_needed(const struct radix_tree_root *root,
			     unsigned long index, unsigned *new_height)
{
	unsigned h = root->height, need = 0;
	unsigned height = h;

	if (index > maxindex(h)) {
		height = h + 1;
		while (index > maxindex(height))
			height++;
		if (root->rnode)
			need += height - h;     /* new roots above the old one */
	}
	*new_height = height;
	if (!root->rnode)
		return need + height;           /* the whole path */
	/* walk the existing path (after extension, the old tree hangs
	 * from slot 0 of each new root: only index 0's path exists there) */
	const struct radix_tree_node *n = NULL;
	unsigned level = height;
	if (height > h) {
		/* the new roots exist; below them, old rnode at slot 0 */
		unsigned long hi = index >> (h * RADIX_TREE_MAP_SHIFT);
		if (h == 0 || hi != 0) {
			/* path leaves the old tree at some new level */
			unsigned long x = index;
			unsigned lv = height;
			while (lv > h + 1 &&
			       ((x >> ((lv - 1) * RADIX_TREE_MAP_SHIFT)) &
				RADIX_TREE_MAP_MASK) == 0)
				lv--;
			/* at level lv the slot is nonzero: nodes for
			 * levels lv-1 .. 1 are missing */
			return need + (lv - 1);
		}
		n = root->rnode;
		level = h;
	} else {
		n = root->rnode;
	}
	unsigned shift = (level - 1) * RADIX_TREE_MAP_SHIFT;
	while (level > 1) {
		void *c = n->slots[(index >> shift) & RADIX_TREE_MAP_MASK];
		if (!c)
			return need + (level - 1);
		n = c;
		level--;
		shift -= RADIX_TREE_MAP_SHIFT;
	}
	return need;
}

/*
 * radix_tree_insert: -EEXIST when the slot is taken, -ENOMEM when a node
 * cannot be allocated (the tree is then unchanged).
 */
int radix_tree_insert(struct machine *m, struct radix_tree_root *root,
		      unsigned long index, void *item)
{
	struct radix_tree_node *pool[RADIX_TREE_MAX_PATH * 2];
	unsigned npool = 0, height;

	if (radix_tree_lookup(root, index))
		return -EEXIST;
	unsigned need = nodes_needed(root, index, &height);
	for (unsigned i = 0; i < need; i++) {
		pool[npool] = node_alloc(m);
		if (!pool[npool]) {
			while (npool)
				node_free(m, pool[--npool]);
			return -ENOMEM;
		}
		npool++;
	}
	/* radix_tree_extend */
	if (index > maxindex(root->height)) {
		if (!root->rnode) {
			root->height = height;
		} else {
			do {
				struct radix_tree_node *n = pool[--npool];
				n->slots[0] = root->rnode;
				for (unsigned t = 0; t < RADIX_TREE_MAX_TAGS; t++)
					if (root->tags & (1u << t))
						tag_set(n, t, 0);
				n->count = 1;
				n->height = root->height + 1;
				root->rnode = n;
				root->height++;
			} while (height > root->height);
		}
	}
	if (root->height == 0) {
		root->rnode = item;
		return 0;
	}
	struct radix_tree_node *node = NULL;
	void *slot = root->rnode;
	unsigned h = root->height, off = 0;
	unsigned shift = (h - 1) * RADIX_TREE_MAP_SHIFT;
	while (h > 0) {
		if (!slot) {
			struct radix_tree_node *n = pool[--npool];
			n->height = h;
			if (node) {
				node->slots[off] = n;
				node->count++;
			} else {
				root->rnode = n;
			}
			slot = n;
		}
		off = (unsigned)((index >> shift) & RADIX_TREE_MAP_MASK);
		node = slot;
		slot = node->slots[off];
		shift -= RADIX_TREE_MAP_SHIFT;
		h--;
	}
	node->slots[off] = item;
	node->count++;
	while (npool)                   /* cannot happen: counted exactly */
		node_free(m, pool[--npool]);
	return 0;
}

struct rpath {
	struct radix_tree_node *node;   /* NULL for the root */
	unsigned off;                   /* slot in node */
};

/* Fill path[1..h] for index; returns the item or NULL. */
static void *descend(const struct radix_tree_root *root, unsigned long index,
		     struct rpath *path)
{
	unsigned h = root->height;
	void *slot = root->rnode;
	unsigned shift = (h - 1) * RADIX_TREE_MAP_SHIFT;
	int k = 0;

	path[0].node = NULL;
	while (h > 0) {
		if (!slot)
			return NULL;
		k++;
		path[k].node = slot;
		path[k].off = (unsigned)((index >> shift) & RADIX_TREE_MAP_MASK);
		slot = path[k].node->slots[path[k].off];
		shift -= RADIX_TREE_MAP_SHIFT;
		h--;
	}
	return slot;
}

void radix_tree_tag_set(struct radix_tree_root *root, unsigned long index,
			unsigned tag)
{
	unsigned h = root->height;

	if (index > maxindex(h))
		return;
	struct radix_tree_node *n = h ? root->rnode : NULL;
	unsigned shift = h ? (h - 1) * RADIX_TREE_MAP_SHIFT : 0;
	while (h > 0 && n) {
		unsigned off = (unsigned)((index >> shift) & RADIX_TREE_MAP_MASK);
		tag_set(n, tag, off);
		n = n->slots[off];
		shift -= RADIX_TREE_MAP_SHIFT;
		h--;
	}
	root->tags |= 1u << tag;
}

void radix_tree_tag_clear(struct radix_tree_root *root, unsigned long index,
			  unsigned tag)
{
	struct rpath path[RADIX_TREE_MAX_PATH + 1];
	unsigned h = root->height;

	if (index > maxindex(h))
		return;
	if (h == 0) {
		root->tags &= ~(1u << tag);
		return;
	}
	if (!descend(root, index, path))
		return;
	for (int k = (int)h; k >= 1; k--) {
		tag_clear(path[k].node, tag, path[k].off);
		if (path[k].node->tags[tag])
			return;         /* others below still tagged */
	}
	root->tags &= ~(1u << tag);
}

bool radix_tree_tag_get(const struct radix_tree_root *root,
			unsigned long index, unsigned tag)
{
	unsigned h = root->height;

	if (index > maxindex(h) || !(root->tags & (1u << tag)))
		return false;
	if (h == 0)
		return root->rnode != NULL;
	const struct radix_tree_node *n = root->rnode;
	unsigned shift = (h - 1) * RADIX_TREE_MAP_SHIFT;
	while (n) {
		unsigned off = (unsigned)((index >> shift) & RADIX_TREE_MAP_MASK);
		if (!tag_get(n, tag, off))
			return false;
		if (--h == 0)
			return true;
		n = n->slots[off];
		shift -= RADIX_TREE_MAP_SHIFT;
	}
	return false;
}

/* radix_tree_shrink: drop roots that only use slot 0. */
static void shrink(struct machine *m, struct radix_tree_root *root)
{
	while (root->height > 0) {
		struct radix_tree_node *r = root->rnode;
		if (r->count != 1 || !r->slots[0])
			break;
		root->rnode = r->slots[0];
		root->height--;
		node_free(m, r);
	}
}

void *radix_tree_delete(struct machine *m, struct radix_tree_root *root,
			unsigned long index)
{
	struct rpath path[RADIX_TREE_MAX_PATH + 1];
	unsigned h = root->height;

	if (index > maxindex(h))
		return NULL;
	if (h == 0) {
		void *item = root->rnode;
		root->rnode = NULL;
		root->tags = 0;
		return item;
	}
	void *item = descend(root, index, path);
	if (!item)
		return NULL;
	for (unsigned t = 0; t < RADIX_TREE_MAX_TAGS; t++)
		if (tag_get(path[h].node, t, path[h].off))
			radix_tree_tag_clear(root, index, t);
	for (int k = (int)h; k >= 1; k--) {
		struct radix_tree_node *n = path[k].node;
		n->slots[path[k].off] = NULL;
		n->count--;
		if (n->count) {
			if (k == 1)
				shrink(m, root);
			return item;
		}
		node_free(m, n);
	}
	root->tags = 0;
	root->height = 0;
	root->rnode = NULL;
	return item;
}

struct gang {
	void **items;
	unsigned long *indices;
	size_t max, n;
	int tag;
};

static bool gang_walk(const struct radix_tree_node *n, unsigned long base,
		      unsigned long first, struct gang *g)
{
	unsigned shift = (n->height - 1) * RADIX_TREE_MAP_SHIFT;
	unsigned long span = 1UL << shift;

	for (unsigned i = 0; i < RADIX_TREE_MAP_SIZE; i++) {
		unsigned long lo = base + i * span;
		if (!n->slots[i])
			continue;
		if (g->tag >= 0 && !tag_get(n, (unsigned)g->tag, i))
			continue;
		if (n->height == 1) {
			if (lo < first)
				continue;
			if (g->n >= g->max)
				return false;
			g->items[g->n] = n->slots[i];
			if (g->indices)
				g->indices[g->n] = lo;
			g->n++;
		} else {
			if (span && lo + (span - 1) < first)
				continue;
			if (!gang_walk(n->slots[i], lo, first, g))
				return false;
		}
	}
	return true;
}

size_t radix_tree_gang_lookup(const struct radix_tree_root *root,
			      void **items, unsigned long *indices,
			      unsigned long first, size_t max, int tag)
{
	struct gang g = { items, indices, max, 0, tag };

	if (!root->rnode || !max)
		return 0;
	if (tag >= 0 && !(root->tags & (1u << tag)))
		return 0;
	if (root->height == 0) {
		if (first > 0)
			return 0;
		items[0] = root->rnode;
		if (indices)
			indices[0] = 0;
		return 1;
	}
	gang_walk(root->rnode, 0, first, &g);
	return g.n;
}

static size_t count_nodes(const struct radix_tree_node *n)
{
	size_t c = 1;

	if (n->height > 1)
		for (unsigned i = 0; i < RADIX_TREE_MAP_SIZE; i++)
			if (n->slots[i])
				c += count_nodes(n->slots[i]);
	return c;
}

size_t radix_tree_nodes(const struct radix_tree_root *root)
{
	return root->height && root->rnode ? count_nodes(root->rnode) : 0;
}

static const char *check_node(const struct radix_tree_node *n, unsigned height)
{
	unsigned used = 0;

	if (n->height != height)
		return "node height disagrees with its depth";
	for (unsigned i = 0; i < RADIX_TREE_MAP_SIZE; i++) {
		if (!n->slots[i]) {
			if (n->tags[0] & (1ULL << i) || n->tags[1] & (1ULL << i))
				return "tag set on an empty slot";
			continue;
		}
		used++;
		if (height > 1) {
			const struct radix_tree_node *c = n->slots[i];
			for (unsigned t = 0; t < RADIX_TREE_MAX_TAGS; t++)
				if (tag_get(n, t, i) != (c->tags[t] != 0))
					return "a node's tag bit disagrees with its child";
			const char *why = check_node(c, height - 1);
			if (why)
				return why;
		}
	}
	if (used != n->count)
		return "node count disagrees with its used slots";
	if (!used)
		return "an empty node was left in the tree";
	return NULL;
}

const char *radix_tree_check(const struct radix_tree_root *root)
{
	if (!root->rnode)
		return root->tags ? "root tag set on an empty tree" :
		       root->height ? "empty tree with a height" : NULL;
	if (root->height == 0)
		return NULL;
	const struct radix_tree_node *r = root->rnode;
	for (unsigned t = 0; t < RADIX_TREE_MAX_TAGS; t++)
		if (((root->tags >> t) & 1u) != (r->tags[t] != 0))
			return "root tag disagrees with the root node";
	return check_node(r, root->height);
}

/* radix_tree_lookup_slot + radix_tree_replace_slot: the item at index
 * becomes item (tags kept).  Returns the old item, NULL if none. */
void *radix_tree_replace(struct radix_tree_root *root, unsigned long index,
			 void *item)
{
	unsigned h = root->height;

	if (index > maxindex(h))
		return NULL;
	if (h == 0) {
		void *old = root->rnode;
		if (old)
			root->rnode = item;
		return old;
	}
	struct radix_tree_node *n = root->rnode;
	unsigned shift = (h - 1) * RADIX_TREE_MAP_SHIFT;
	while (n) {
		void **slot = &n->slots[(index >> shift) & RADIX_TREE_MAP_MASK];
		if (--h == 0) {
			void *old = *slot;
			if (old)
				*slot = item;
			return old;
		}
		n = *slot;
		shift -= RADIX_TREE_MAP_SHIFT;
	}
	return NULL;
}
