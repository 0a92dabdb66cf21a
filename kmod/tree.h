/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Broadcast along a tree (Documentation/design/broadcast-tree.md). A mesh
 * in tree mode pushes a datagram's payload to its eager UDP neighbours and
 * only its id (IHAVE) to the lazy ones; a duplicate prunes the link it
 * came over, an id whose payload does not follow grafts it back. Each
 * origin has a tree of its own: its lazy slots live in its entry of the
 * origins table (origin.c). tree.c keeps the rest: the UDP neighbours'
 * slots, the tree of this node's own datagrams, the cache of recent
 * datagrams that GRAFTs are served from, the ids announced and missing,
 * and the tree frames waiting to go, which one timer a mesh sends.
 * Ethernet links always get the payload.
 */
#ifndef _PMESH_TREE_H
#define _PMESH_TREE_H

#include <linux/hashtable.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

#include "core/tree.h"

struct mem_cgroup;
struct pmesh_frame;
struct pmesh_mesh;
struct pmesh_neigh;
struct sk_buff;

/**
 * struct pmesh_tree_out - an entry of a tree frame waiting to go
 * @slot: the neighbour it goes to, or PMESH_TR_SLOTS once that one is gone
 * @op: PMESH_TR_IHAVE, _GRAFT or _PRUNE
 * @r: the entry
 */
struct pmesh_tree_out {
	u8 slot;
	u8 op;
	struct pmesh_tr_range r;
};

/**
 * struct pmesh_tree_bucket - a token bucket, a second's worth deep
 * @at: jiffies of its last refill
 * @tokens: what it holds
 */
struct pmesh_tree_bucket {
	unsigned long at;
	u32 tokens;
};

/**
 * struct pmesh_tree - the tree state of a mesh (tree.c)
 * @lock: everything below but @timer and the timer's own arrays
 * @slots: the slots UDP neighbours hold
 * @own_lazy: the lazy slots of this node's own datagrams' tree
 * @own_strike: their strikes (pmesh_tr_strike())
 * @missing: ids announced and not held
 * @out: entries queued for the next tick
 * @n_out: entries in @out
 * @last_ihave: per slot, the index in @out of its latest IHAVE, which the
 *	next id of the same origin extends; U16_MAX for none
 * @cache: recent datagrams by a keyed hash of their id
 * @key: that hash's key
 * @cache_list: the same, oldest first
 * @cache_bytes: their skbs' truesize
 * @serve: per slot, the datagrams it may still be sent from the cache
 * @rx: per slot, the tree frames it may still send this node
 * @timer: the tick: sends the queued frames and the GRAFTs due, ages the
 *	cache; runs while any of them has something
 * @sending: the timer's: @out as it was taken
 * @grafts: the timer's: the GRAFTs due
 * @frame: the timer's: a frame being built
 * @buf: the timer's: its bytes
 * @memcg: charged for the cache's entries: remote senders fill it
 */
struct pmesh_tree {
	spinlock_t lock; /* all but the timer's */
	u64 slots;
	u64 own_lazy;
	u64 own_strike;
	struct pmesh_tr_missing *missing;
	struct pmesh_tree_out *out;
	unsigned int n_out;
	u16 last_ihave[PMESH_TR_SLOTS];
	DECLARE_HASHTABLE(cache, PMESH_TREE_CACHE_HASH_BITS);
	siphash_key_t key;
	struct list_head cache_list;
	unsigned int cache_bytes;
	struct pmesh_tree_bucket serve[PMESH_TR_SLOTS];
	struct pmesh_tree_bucket rx[PMESH_TR_SLOTS];
	struct timer_list timer;
	struct pmesh_tree_out *sending;
	struct pmesh_tr_graft *grafts;
	struct pmesh_tr_frame *frame;
	u8 *buf;
	struct mem_cgroup *memcg;
};

int pmesh_tree_init(struct pmesh_mesh *mesh);
void pmesh_tree_stop(struct pmesh_mesh *mesh);
void pmesh_tree_destroy(struct pmesh_mesh *mesh);
bool pmesh_tree_on(const struct pmesh_mesh *mesh);
int pmesh_tree_slot_get(struct pmesh_mesh *mesh);
void pmesh_tree_slot_put(struct pmesh_mesh *mesh, int slot);
u64 pmesh_tree_first(struct pmesh_mesh *mesh, struct pmesh_neigh *from,
		     struct sk_buff *skb, const struct pmesh_frame *f, u8 hops);
void pmesh_tree_got(struct pmesh_mesh *mesh, struct pmesh_neigh *from,
		    const struct pmesh_frame *f);
void pmesh_tree_duplicate(struct pmesh_mesh *mesh, struct pmesh_neigh *from,
			  const struct pmesh_frame *f);
bool pmesh_tree_rx_ok(struct pmesh_mesh *mesh, struct pmesh_neigh *from);
void pmesh_tree_rx(struct pmesh_mesh *mesh, struct pmesh_neigh *from,
		   const struct pmesh_tr_frame *t);

#endif /* _PMESH_TREE_H */
