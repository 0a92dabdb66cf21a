/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Static UDP peers: the neighbours of a mesh on its UDP bearer.
 */
#ifndef _PMESH_PEER_H
#define _PMESH_PEER_H

#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/u64_stats_sync.h>
#include <net/dst_cache.h>

struct netlink_ext_ack;
struct pmesh_link;
struct pmesh_mesh;
struct sk_buff;

/**
 * union pmesh_addr - a peer's UDP endpoint
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
 * struct pmesh_peer_stats - per-CPU counters of a peer
 * @syncp: consistent 64-bit reads on 32-bit machines
 * @rx_frames: frames received from it, duplicates included
 * @rx_bytes: their bytes
 * @tx_frames: frames sent to it
 * @tx_bytes: their bytes
 * @duplicates: frames from it dropped as already seen
 */
struct pmesh_peer_stats {
	struct u64_stats_sync syncp;
	u64_stats_t rx_frames;
	u64_stats_t rx_bytes;
	u64_stats_t tx_frames;
	u64_stats_t tx_bytes;
	u64_stats_t duplicates;
};

/**
 * struct pmesh_peer_totals - a peer's counters summed over CPUs
 * @rx_frames: frames in
 * @rx_bytes: bytes in
 * @tx_frames: frames out
 * @tx_bytes: bytes out
 * @duplicates: duplicates in
 */
struct pmesh_peer_totals {
	u64 rx_frames;
	u64 rx_bytes;
	u64 tx_frames;
	u64 tx_bytes;
	u64 duplicates;
};

/**
 * struct pmesh_peer - a neighbour: a static UDP peer or an Ethernet station
 * @list: entry in &pmesh_mesh.peers, or in &pmesh_link.neighs for a station
 * @addr: a UDP peer's endpoint
 * @link: a station's link; NULL for a UDP peer
 * @lladdr: a station's MAC address
 * @tx_base: a station's link's tx counters when it was found: frames
 *	broadcast on the link since then went to it
 * @forgotten: a station taken off its link's list, under &pmesh_link.lock
 * @node_id: node id it last sent as (0 until heard)
 * @last_rx: jiffies of its last frame (0 until heard)
 * @left: its last frame was its goodbye: down now, whenever last heard
 * @up: the state last reported: heard within the dead interval
 * @dead_ms: the dead interval its hellos announce (0 until it says)
 * @dst_cache: the route to it, so that a frame costs no route lookup
 * @stats: per-CPU counters
 * @rcu: frees the peer after readers of the list are done
 */
struct pmesh_peer {
	struct list_head list;
	union pmesh_addr addr;
	struct pmesh_link *link;
	u8 lladdr[ETH_ALEN];
	struct pmesh_peer_totals tx_base;
	bool forgotten;
	u64 node_id;
	unsigned long last_rx;
	bool left;
	bool up;
	u32 dead_ms;
	struct dst_cache dst_cache;
	struct pmesh_peer_stats __percpu *stats;
	struct rcu_head rcu;
};

int pmesh_peer_add(struct pmesh_mesh *mesh, const union pmesh_addr *addr,
		   struct netlink_ext_ack *extack);
int pmesh_peer_del(struct pmesh_mesh *mesh, const union pmesh_addr *addr,
		   struct netlink_ext_ack *extack);
void pmesh_peers_flush(struct pmesh_mesh *mesh);
struct pmesh_peer *pmesh_peer_from_skb(struct pmesh_mesh *mesh,
				       const struct sk_buff *skb);
void pmesh_peer_totals(const struct pmesh_peer *peer,
		       struct pmesh_peer_totals *t);
struct pmesh_peer *pmesh_peer_alloc(gfp_t gfp);
void pmesh_peer_free_rcu(struct rcu_head *rcu);

/* Add to a peer's counters on this CPU; BH disabled. */
static inline void pmesh_peer_count(struct pmesh_peer *peer, bool rx,
				    unsigned int bytes)
{
	struct pmesh_peer_stats *s = this_cpu_ptr(peer->stats);

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

static inline void pmesh_peer_count_dup(struct pmesh_peer *peer)
{
	struct pmesh_peer_stats *s = this_cpu_ptr(peer->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->duplicates);
	u64_stats_update_end(&s->syncp);
}

#endif /* _PMESH_PEER_H */
