/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Membership: the nodes of a mesh, learnt from their flooded announcements.
 */
#ifndef _PMESH_NODE_H
#define _PMESH_NODE_H

#include <linux/hashtable.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "core/frame.h"
#include "limits.h"

struct pmesh_mesh;

/**
 * struct pmesh_node - a node of the membership table
 * @hnode: entry in &pmesh_nodes.hash
 * @id: its node id
 * @epoch: the epoch of its latest announcement
 * @seq: the sequence number of its latest announcement
 * @last_heard: jiffies of its latest announcement
 * @interval_ms: the interval it announced
 * @timeout_ms: the timeout it announced
 * @hops: links the first copy of its latest announcement crossed
 * @gone: it said goodbye, or is not complete yet; kept until its timeout
 *	only to recognise late copies of its announcements. Set false with
 *	release semantics once every field is, so a dump that reads it with
 *	acquire sees them
 * @rcu: frees the entry after readers are done
 */
struct pmesh_node {
	struct hlist_node hnode;
	u64 id;
	u32 epoch;
	u64 seq;
	unsigned long last_heard;
	u32 interval_ms;
	u32 timeout_ms;
	u8 hops;
	bool gone;
	struct rcu_head rcu;
};

/**
 * struct pmesh_nodes - the membership table of a mesh
 * @lock: serialises every change; dumps read under RCU
 * @hash: the nodes, by a keyed hash of their id, so that forged ids cannot
 *	be chosen to fill one bucket; each bucket in increasing order of id
 * @key: the hash key
 * @count: nodes in the table that have not said goodbye
 * @entries: entries in @hash, those that said goodbye included; capped
 * @max: cap on @entries (READ_ONCE)
 * @announce_ms: shortest interval between this node's announcements
 * @last_sent: jiffies of this node's last regular announcement (READ_ONCE)
 * @work: sends this node's announcements
 * @lost: the nodes that left the table lately by falling silent, as bits
 *	by the keyed hash of their id, in two generations: the overlay's
 *	partition rule tries only such nodes (pmesh_node_lost())
 * @lost_gen: the generation nodes lost now go to
 * @lost_since: jiffies when it began
 */
struct pmesh_nodes {
	spinlock_t lock; /* every change to @hash */
	DECLARE_HASHTABLE(hash, PMESH_NODE_HASH_BITS);
	siphash_key_t key;
	unsigned int count;
	unsigned int entries;
	unsigned int max;
	u32 announce_ms;
	unsigned long last_sent;
	struct delayed_work work;
	DECLARE_BITMAP(lost[2], PMESH_NODE_LOST_BITS);
	u8 lost_gen;
	unsigned long lost_since;
};

/* Announced timeouts are this many announcement intervals. */
#define PMESH_ANNOUNCE_TIMEOUT_MULT	3

/**
 * struct pmesh_node_event - a node joining or leaving, to be reported
 * @id: the node
 * @hops: its distance
 * @interval_ms: its announcement interval
 * @timeout_ms: its timeout
 * @join: joined, or left
 * @reason: why it left, PMESH_LEAVE_REASON_*
 */
struct pmesh_node_event {
	u64 id;
	u8 hops;
	u32 interval_ms;
	u32 timeout_ms;
	bool join;
	u8 reason;
};

/* What pmesh_node_rx() decided about an announcement. */
enum pmesh_node_verdict {
	PMESH_NODE_NEW,		/* news: forward it */
	PMESH_NODE_DUP,		/* seen before or older */
	PMESH_NODE_FULL,	/* an unknown node and the table is full */
	PMESH_NODE_IGNORE,	/* the goodbye of a node never heard of */
};

void pmesh_nodes_init(struct pmesh_mesh *mesh, unsigned int max,
		      u32 announce_ms);
void pmesh_nodes_start(struct pmesh_mesh *mesh);
void pmesh_nodes_stop(struct pmesh_mesh *mesh);
void pmesh_nodes_destroy(struct pmesh_mesh *mesh);
void pmesh_nodes_set(struct pmesh_mesh *mesh, unsigned int max,
		     u32 announce_ms);
void pmesh_nodes_check(struct pmesh_mesh *mesh, bool reachable);
bool pmesh_node_lost(struct pmesh_mesh *mesh, u64 id);
void pmesh_announce_now(struct pmesh_mesh *mesh);
void pmesh_announce_goodbye(struct pmesh_mesh *mesh);
u32 pmesh_announce_interval(struct pmesh_mesh *mesh);
enum pmesh_node_verdict pmesh_node_rx(struct pmesh_mesh *mesh,
				      const struct pmesh_frame *f,
				      const struct pmesh_announce *a);

#endif /* _PMESH_NODE_H */
