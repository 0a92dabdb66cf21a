/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Ethernet bearer: a mesh on a net device, its stations found by beacons.
 */
#ifndef _PMESH_LINK_H
#define _PMESH_LINK_H

#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>

#include "limits.h"

struct netlink_ext_ack;
struct pmesh_mesh;
struct pmesh_neigh;
struct pmesh_neigh_totals;

/**
 * struct pmesh_link_stats - per-CPU counters of a link
 * @syncp: consistent 64-bit reads on 32-bit machines
 * @tx_frames: frames broadcast on the link
 * @tx_bytes: their bytes, pmesh header included
 * @auth_fail: frames of stations not known that did not open
 */
struct pmesh_link_stats {
	struct u64_stats_sync syncp;
	u64_stats_t tx_frames;
	u64_stats_t tx_bytes;
	u64_stats_t auth_fail;
};

/**
 * struct pmesh_link_gone - a station the link forgot lately
 * @lladdr: its MAC address
 * @node_id: the node it was
 * @dead_ms: the dead interval its beacons announced
 */
struct pmesh_link_gone {
	u8 lladdr[ETH_ALEN];
	u64 node_id;
	u32 dead_ms;
};

/**
 * struct pmesh_link - a mesh on one Ethernet device
 * @list: entry in &pmesh_links.list (RCU; changed under &pmesh_net.lock),
 *	added at the tail
 * @id: a number of its own, larger for each link created: dumps go on from
 *	one by its id
 * @dev_node: entry in &pmesh_net.links, by ifindex, for the receive path
 *	and the netdevice notifier
 * @mesh: the mesh
 * @dev: the device, held until the link is freed
 * @dev_tracker: tracks the reference on @dev
 * @lock: serialises changes to @neighs, made in softirq (a beacon from a
 *	new station) and in process context (a station going down)
 * @neighs: the stations found on the link (struct pmesh_neigh, RCU list)
 * @stations: the same, by a keyed hash of their addresses, for the frame
 *	path (RCU)
 * @key: the key of that hash, secret: any station chooses its address
 * @n_neighs: entries in @neighs
 * @next_beacon: when this node may beacon on the link next (jiffies;
 *	core/beacon.h): set by the hello round, and brought to now when the
 *	link comes up or a new station is answered
 * @gone: stations forgotten lately, under @lock: on a keyed mesh one is
 *	known again by its next sealed frame (pmesh_receive_stranger())
 * @gone_next: where the next forgotten one goes in @gone, a ring
 * @dead: being removed, under @lock: no station is added any more
 * @stats: per-CPU counters
 * @rcu: frees the link after readers are done
 */
struct pmesh_link {
	struct list_head list;
	u64 id;
	struct hlist_node dev_node;
	struct pmesh_mesh *mesh;
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	spinlock_t lock; /* changes to @neighs */
	struct list_head neighs;
	DECLARE_HASHTABLE(stations, PMESH_STATION_HASH_BITS);
	siphash_key_t key;
	unsigned int n_neighs;
	unsigned long next_beacon;
	struct pmesh_link_gone gone[PMESH_LINK_GONE];
	unsigned int gone_next;
	bool dead;
	struct pmesh_link_stats __percpu *stats;
	struct rcu_head rcu;
};

/**
 * struct pmesh_links - the Ethernet links of a mesh
 * @list: the links; RCU list, changed under &pmesh_net.lock
 * @count: entries in @list (READ_ONCE)
 */
struct pmesh_links {
	struct list_head list;
	unsigned int count;
};

void pmesh_links_init(struct pmesh_mesh *mesh);
int pmesh_link_add(struct pmesh_mesh *mesh, struct net_device *dev,
		   struct netlink_ext_ack *extack);
int pmesh_link_del(struct pmesh_mesh *mesh, struct net_device *dev,
		   struct netlink_ext_ack *extack);
void pmesh_links_unhook(struct pmesh_mesh *mesh);
void pmesh_links_flush(struct pmesh_mesh *mesh);
void pmesh_link_xmit(struct pmesh_mesh *mesh, struct pmesh_link *link,
		     struct sk_buff *skb);
unsigned int pmesh_links_mtu(struct pmesh_mesh *mesh);
void pmesh_link_tx_totals(const struct pmesh_link *link,
			  struct pmesh_neigh_totals *t);
unsigned int pmesh_links_check(struct pmesh_mesh *mesh, bool *came_up);
void pmesh_links_beacon(struct pmesh_mesh *mesh);

int pmesh_link_init(void);
void pmesh_link_rx_exit(void);
void pmesh_links_nets_gone(void);
void pmesh_link_exit(void);

#endif /* _PMESH_LINK_H */
