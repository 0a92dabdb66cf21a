/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Duplicate suppression for a mesh: a table of the origins heard from, each
 * with its window of sequence numbers, bounded in size and in time.
 */
#ifndef _PMESH_ORIGIN_H
#define _PMESH_ORIGIN_H

#include <linux/hashtable.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "core/frame.h"
#include "core/window.h"
#include "limits.h"

/**
 * struct pmesh_origin - what one origin has sent
 * @node: entry in &pmesh_origins.hash
 * @id: the origin's node id
 * @lock: the narrow per-origin lock: serialises checks of @win
 * @last_new: jiffies of the last new datagram, for expiry
 * @win: the window over its datagrams' sequence numbers
 * @ctl: on a keyed mesh, the windows over its hellos' and announcements'
 *	(indexed by type - 1), so that no control frame is taken twice
 * @hello_at: on a keyed mesh, when the origin sealed the latest hello
 *	taken from it (its clock), while @ctl[0] holds one: each hello
 *	copy has a number of its own, and copies meant for other nodes must
 *	not refresh a dead neighbour
 * @hello_taken: jiffies when @hello_at last moved
 * @lazy: in tree mode, the neighbour slots that get only its datagrams'
 *	ids (core/tree.h), under @lock
 * @strike: the eager slots that sent one duplicate of it since their last
 *	first copy, under @lock
 * @gone: set under @lock when the entry leaves the table: a frame found
 *	it just before, and must not be marked in a window no later copy
 *	will see
 * @rcu: frees the entry after readers are done
 */
struct pmesh_origin {
	struct hlist_node node;
	u64 id;
	spinlock_t lock; /* @win */
	unsigned long last_new;
	struct pmesh_window win;
	struct pmesh_ctl_window ctl[PMESH_TYPES - 1];
	u32 hello_at;
	unsigned long hello_taken;
	u64 lazy;
	u64 strike;
	bool gone;
	struct rcu_head rcu;
};

/**
 * struct pmesh_origins - the origins table of a mesh
 * @lock: serialises insertion and removal; lookups are under RCU
 * @hash: the origins, by a keyed hash of their node id
 * @key: the hash key, secret: senders choose the ids
 * @count: entries in @hash (READ_ONCE outside the lock)
 * @max: cap on @count (READ_ONCE)
 * @timeout: seconds an origin is kept after its last new datagram
 * @old_window: the window of sealed frames before the timeout was raised
 * @old_until: jiffies (64-bit) until which @old_window still holds
 * @gc: forgets idle origins
 * @memcg: the mesh's memory cgroup, charged for every origin: a remote
 *	sender makes them, but the mesh's owner pays
 */
struct pmesh_origins {
	spinlock_t lock; /* insertions and removals in @hash */
	DECLARE_HASHTABLE(hash, PMESH_ORIGIN_HASH_BITS);
	siphash_key_t key;
	unsigned int count;
	unsigned int max;
	unsigned int timeout;
	u32 old_window;
	u64 old_until;
	struct delayed_work gc;
	struct mem_cgroup *memcg;
};

/* What pmesh_origin_check() decided about a datagram. */
enum pmesh_origin_verdict {
	PMESH_ORIGIN_NEW,	/* deliver and forward */
	PMESH_ORIGIN_DUP,	/* seen before, or too old or stale to tell */
	PMESH_ORIGIN_FULL,	/* an untracked origin and the table is full */
};

void pmesh_origins_init(struct pmesh_origins *t, unsigned int max,
			unsigned int timeout, struct mem_cgroup *memcg);
void pmesh_origins_destroy(struct pmesh_origins *t);
void pmesh_origins_set(struct pmesh_origins *t, unsigned int max,
		       unsigned int timeout);
/**
 * struct pmesh_origin_frame - what the origins table looks at in a frame
 * @id: its origin
 * @type: its type: datagrams on every mesh, control frames on keyed ones
 * @epoch: its epoch
 * @seq: its sequence number
 * @sent_at: for a sealed hello, when its origin sealed it
 * @strict: for a hello from a station not known yet: taken only if its
 *	window says so, never on its time alone (pmesh_origin_window())
 */
struct pmesh_origin_frame {
	u64 id;
	u8 type;
	u32 epoch;
	u64 seq;
	u32 sent_at;
	bool strict;
};

enum pmesh_origin_verdict pmesh_origin_check(struct pmesh_origins *t,
					     const struct pmesh_origin_frame *fr);
bool pmesh_origin_seen(struct pmesh_origins *t,
		       const struct pmesh_origin_frame *fr);
/* What a frame tells an origin's tree (pmesh_origin_tree()). */
enum pmesh_origin_tree_event {
	PMESH_ORIGIN_TREE_FIRST,	/* its first copy came from the slot */
	PMESH_ORIGIN_TREE_DUP,		/* a duplicate came from the slot */
	PMESH_ORIGIN_TREE_PRUNE,	/* the slot asked for ids only */
	PMESH_ORIGIN_TREE_GRAFT,	/* the slot asked for payloads */
};

bool pmesh_origin_tree(struct pmesh_origins *t, u64 id,
		       enum pmesh_origin_tree_event ev, int slot, u64 *lazy);
void pmesh_origins_tree_forget(struct pmesh_origins *t, int slot);
u32 pmesh_origins_window(const struct pmesh_origins *t);
void pmesh_origins_flush(struct pmesh_origins *t);

#endif /* _PMESH_ORIGIN_H */
