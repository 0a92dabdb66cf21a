/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Neighbours: the nodes a mesh reaches directly over a bearer, a static UDP
 * peer (peer.c keeps their configuration) or a station found on an Ethernet
 * link (link.c keeps its stations). neigh.c alone writes a neighbour's
 * fields.
 */
#ifndef _PMESH_NEIGH_H
#define _PMESH_NEIGH_H

#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <net/dst_cache.h>

struct pmesh_frame;
struct pmesh_link;
struct pmesh_mesh;

/**
 * union pmesh_addr - a UDP neighbour's endpoint
 * @sa: the family
 * @sin: IPv4 address and port, network byte order
 * @sin6: IPv6 address and port, network byte order
 */
union pmesh_addr {
	struct sockaddr sa;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
};

/**
 * struct pmesh_neigh_stats - per-CPU counters of a neighbour
 * @syncp: consistent 64-bit reads on 32-bit machines
 * @rx_frames: frames received from it, duplicates included
 * @rx_bytes: their bytes
 * @tx_frames: frames sent to it
 * @tx_bytes: their bytes
 * @duplicates: frames from it dropped as already seen
 * @auth_fail: frames from it that did not open with the mesh's key
 * @firsts: datagrams first received from it (new in their origin's window)
 * @ihave: ids it announced to this node (IHAVE entries' counts, summed)
 * @grafts: ids it asked this node for (GRAFT entries' counts, summed)
 * @prunes: PRUNE entries it sent this node (one per origin)
 */
struct pmesh_neigh_stats {
	struct u64_stats_sync syncp;
	u64_stats_t rx_frames;
	u64_stats_t rx_bytes;
	u64_stats_t tx_frames;
	u64_stats_t tx_bytes;
	u64_stats_t duplicates;
	u64_stats_t auth_fail;
	u64_stats_t firsts;
	u64_stats_t ihave;
	u64_stats_t grafts;
	u64_stats_t prunes;
};

/**
 * struct pmesh_neigh_totals - a neighbour's counters summed over CPUs
 * @rx_frames: frames in
 * @rx_bytes: bytes in
 * @tx_frames: frames out
 * @tx_bytes: bytes out
 * @duplicates: duplicates in
 * @auth_fail: frames in that did not open
 * @firsts: datagrams first received from it
 * @ihave: ids it announced
 * @grafts: ids it asked for
 * @prunes: PRUNE entries from it
 */
struct pmesh_neigh_totals {
	u64 rx_frames;
	u64 rx_bytes;
	u64 tx_frames;
	u64 tx_bytes;
	u64 duplicates;
	u64 auth_fail;
	u64 firsts;
	u64 ihave;
	u64 grafts;
	u64 prunes;
};

/**
 * struct pmesh_neigh - a neighbour: a static UDP peer or an Ethernet station
 * @list: entry in its bearer's list: &pmesh_peers.list or
 *	&pmesh_link.neighs (the list's owner adds and removes it, at the tail)
 * @hnode: a station's entry in &pmesh_link.stations, by address (link.c
 *	adds and removes it with @list)
 * @id: a number of its own, larger for each neighbour created: dumps go on
 *	from one by its id
 * @addr: a UDP peer's endpoint
 * @link: a station's link; NULL for a UDP peer
 * @lladdr: a station's MAC address
 * @tx_base: a station's link's tx counters when it was found: frames
 *	broadcast on the link since then went to it
 * @node_id: node id it last sent as (0 until heard)
 * @last_rx: jiffies of its last frame (0 until heard, or since its bearer
 *	went deaf)
 * @dead_ms: the dead interval its hellos announce (0 until it says)
 * @learned: a UDP neighbour the overlay made (overlay.c), not configured
 * @hello_next: when its next hello is due (jiffies), for a configured peer
 *	that stays down while its node has neighbours enough; hello round only
 * @hello_wait: hello intervals to the hello after that, doubling to
 *	PMESH_HELLO_BACKOFF_MAX; 0 while hellos go every round
 * @hello_skip: this round's hellos skip it (READ_ONCE in the send path)
 * @created: jiffies when it was created
 * @up_since: jiffies when it last came up
 * @degree: the degree its last peer-exchange frame advertised (0: none)
 * @tree_slot: a UDP peer's slot in its mesh's trees (tree.c), -1 for none
 *	(a station, or a peer past PMESH_TR_SLOTS: always eager)
 * @left: its last frame was its goodbye: down now, whenever last heard
 * @lock: serialises @up and @removed, and so the events that report them
 * @up: the state last reported: heard within the dead interval
 * @removed: taken off its bearer: never reported up again
 * @dst_cache: the route to a UDP peer, so that a frame costs no lookup
 * @stats: per-CPU counters
 * @rcu: frees the neighbour after readers of its list are done
 */
struct pmesh_neigh {
	struct list_head list;
	struct hlist_node hnode;
	u64 id;
	union pmesh_addr addr;
	struct pmesh_link *link;
	u8 lladdr[ETH_ALEN];
	struct pmesh_neigh_totals tx_base;
	u64 node_id;
	unsigned long last_rx;
	u32 dead_ms;
	bool learned;
	unsigned long hello_next;
	u8 hello_wait;
	bool hello_skip;
	unsigned long created;
	unsigned long up_since;
	u8 degree;
	int tree_slot;
	bool left;
	spinlock_t lock; /* @up and @removed */
	bool up;
	bool removed;
	struct dst_cache dst_cache;
	struct pmesh_neigh_stats __percpu *stats;
	struct rcu_head rcu;
};

struct pmesh_neigh *pmesh_neigh_create_peer(struct pmesh_mesh *mesh,
					    const union pmesh_addr *addr,
					    bool learned);
struct pmesh_neigh *pmesh_neigh_create_station(struct pmesh_mesh *mesh,
					       struct pmesh_link *link,
					       const u8 *lladdr, u64 node_id,
					       u32 dead_ms);
void pmesh_neigh_remove(struct pmesh_mesh *mesh, struct pmesh_neigh *n,
			bool notify);
void pmesh_neigh_heard(struct pmesh_neigh *n, const struct pmesh_frame *f);
void pmesh_neigh_hello(struct pmesh_neigh *n, u32 dead_ms);
void pmesh_neigh_hello_due(struct pmesh_neigh *n, bool back_off,
			   u32 hello_ms);
bool pmesh_neigh_gets(const struct pmesh_neigh *n, bool hello);
u32 pmesh_neigh_dead_ms(const struct pmesh_neigh *n);
u64 pmesh_neigh_node_id(const struct pmesh_neigh *n);
void pmesh_neigh_goodbye(struct pmesh_neigh *n, u64 node_id);
bool pmesh_neigh_is_other(struct pmesh_mesh *mesh, struct pmesh_neigh *n,
			  u64 node_id);
void pmesh_neigh_deaf(struct pmesh_neigh *n);
void pmesh_neigh_degree(struct pmesh_neigh *n, u8 degree);
bool pmesh_neigh_update(struct pmesh_mesh *mesh, struct pmesh_neigh *n,
			bool *came_up);
bool pmesh_neigh_is_up(const struct pmesh_neigh *n);
unsigned long pmesh_neigh_last_heard(const struct pmesh_neigh *n);
bool pmesh_neigh_removed(const struct pmesh_neigh *n);
void pmesh_neigh_totals(const struct pmesh_neigh *n,
			struct pmesh_neigh_totals *t);
int pmesh_neigh_init(void);
void pmesh_neigh_exit(void);

/* Add to a neighbour's counters on this CPU; BH disabled. */
static inline void pmesh_neigh_count(struct pmesh_neigh *n, bool rx,
				     unsigned int bytes)
{
	struct pmesh_neigh_stats *s = this_cpu_ptr(n->stats);

	u64_stats_update_begin(&s->syncp);
	if (rx) {
		u64_stats_inc(&s->rx_frames);
		u64_stats_add(&s->rx_bytes, bytes);
	} else {
		u64_stats_inc(&s->tx_frames);
		u64_stats_add(&s->tx_bytes, bytes);
	}
	u64_stats_update_end(&s->syncp);
}

/* Count a duplicate from @n on this CPU; BH disabled. */
static inline void pmesh_neigh_count_dup(struct pmesh_neigh *n)
{
	struct pmesh_neigh_stats *s = this_cpu_ptr(n->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->duplicates);
	u64_stats_update_end(&s->syncp);
}

/* Count a datagram first received from @n, on this CPU; BH disabled. */
static inline void pmesh_neigh_count_first(struct pmesh_neigh *n)
{
	struct pmesh_neigh_stats *s = this_cpu_ptr(n->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->firsts);
	u64_stats_update_end(&s->syncp);
}

/* Add to a neighbour's tree counters on this CPU; BH disabled. */
static inline void pmesh_neigh_count_tree(struct pmesh_neigh *n, u64 ihave,
					  u64 grafts, u64 prunes)
{
	struct pmesh_neigh_stats *s = this_cpu_ptr(n->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->ihave, ihave);
	u64_stats_add(&s->grafts, grafts);
	u64_stats_add(&s->prunes, prunes);
	u64_stats_update_end(&s->syncp);
}

/* Count a frame from @n that did not open, on this CPU; BH disabled. */
static inline void pmesh_neigh_count_auth_fail(struct pmesh_neigh *n)
{
	struct pmesh_neigh_stats *s = this_cpu_ptr(n->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->auth_fail);
	u64_stats_update_end(&s->syncp);
}

#endif /* _PMESH_NEIGH_H */
