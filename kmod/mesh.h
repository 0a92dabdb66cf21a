/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Meshes: their life cycle and the per-namespace table that names them.
 */
#ifndef _PMESH_MESH_H
#define _PMESH_MESH_H

#include <linux/hashtable.h>
#include <linux/memcontrol.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/pmesh_netlink.h>
#include <net/net_namespace.h>

#include "hello.h"
#include "key.h"
#include "limits.h"
#include "link.h"
#include "node.h"
#include "origin.h"
#include "overlay.h"
#include "peer.h"
#include "send.h"
#include "socket.h"
#include "tree.h"
#include "udp.h"

struct netlink_ext_ack;

/**
 * struct pmesh_pcpu_stats - per-CPU counters of a mesh
 * @syncp: makes 64-bit reads consistent on 32-bit machines
 * @c: the counters, indexed by their netlink attribute, PMESH_A_STATS_*
 *	(whose documentation in the YNL spec says what each counts);
 *	PMESH_A_STATS_ORIGINS is a gauge kept elsewhere
 */
struct pmesh_pcpu_stats {
	struct u64_stats_sync syncp;
	u64_stats_t c[PMESH_A_STATS_MAX + 1];
};

/**
 * struct pmesh_mesh - one mesh of one network namespace
 * @net: the namespace; not referenced, the mesh dies with it
 * @id: mesh id, unique in @net
 * @node_id: this node's id in the mesh
 * @port: UDP port of the UDP bearer
 * @hoplimit: default hop limit of sent datagrams (READ_ONCE on the fast path)
 * @broadcast: PMESH_BROADCAST_*: how datagrams spread (READ_ONCE on the fast path)
 * @max_dgram: largest payload accepted (READ_ONCE on the fast path)
 * @dead: set once the mesh is deleted; bound sockets then get ENONET, and
 *	hello rounds and announcements stop
 * @refcnt: the namespace table holds one reference, each bound socket one
 * @dying: entry in the list of meshes a namespace teardown deletes
 * @memcg: the memory cgroup of the mesh's creator, charged for everything
 *	the mesh allocates for remote senders: they make it, the owner pays
 * @stats: per-CPU counters
 * @tx: what this node sends: epoch and sequence numbers (send.c)
 * @channels: the sockets bound to the mesh (socket.c)
 * @udp: the UDP bearer's sockets (udp.c)
 * @peers: the static UDP peers (peer.c)
 * @links: the Ethernet links (link.c)
 * @hello: the hello rounds (hello.c)
 * @nodes: the membership table and this node's announcements (node.c)
 * @origins: duplicate suppression: what each origin has sent (origin.c)
 * @keys: the mesh's key, if it has one (key.c)
 * @overlay: learned neighbours and peer exchange (overlay.c)
 * @tree: broadcast along a tree: slots, cache, missing ids (tree.c)
 * @rcu: frees the mesh after readers of the namespace table are done
 *
 * Each sub-struct is written only by the file named beside it.
 */
struct pmesh_mesh {
	struct net *net;
	u32 id;
	u64 node_id;
	u16 port;
	u8 hoplimit;
	u8 broadcast;
	u32 max_dgram;
	bool dead;
	refcount_t refcnt;
	struct list_head dying;
	struct mem_cgroup *memcg;
	struct pmesh_pcpu_stats __percpu *stats;
	struct pmesh_tx tx;
	struct pmesh_channels channels;
	struct pmesh_udp udp;
	struct pmesh_peers peers;
	struct pmesh_links links;
	struct pmesh_hellos hello;
	struct pmesh_nodes nodes;
	struct pmesh_origins origins;
	struct pmesh_keys keys;
	struct pmesh_overlay overlay;
	struct pmesh_tree tree;
	struct rcu_head rcu;
};

/* Count one PMESH_A_STATS_* event on this CPU; BH disabled. */
static inline void pmesh_count(struct pmesh_mesh *mesh, int stat)
{
	struct pmesh_pcpu_stats *s = this_cpu_ptr(mesh->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->c[stat]);
	u64_stats_update_end(&s->syncp);
}

/* Add @n to a PMESH_A_STATS_* counter on this CPU; BH disabled. */
static inline void pmesh_count_add(struct pmesh_mesh *mesh, int stat,
				   unsigned int n)
{
	struct pmesh_pcpu_stats *s = this_cpu_ptr(mesh->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->c[stat], n);
	u64_stats_update_end(&s->syncp);
}

/**
 * struct pmesh_net - pmesh state of one network namespace
 * @lock: serialises changes to @meshes and to every mesh's settings,
 *	peers and links; taken through pmesh_net_lock()
 * @meshes: meshes by id; lookups under RCU (mesh.c)
 * @count: number of meshes in @meshes (mesh.c)
 * @links: the Ethernet links of every mesh, by device ifindex, for the
 *	packet handler and the device notifier; RCU (link.c)
 */
struct pmesh_net {
	struct mutex lock; /* changes to @meshes and the meshes' settings */
	struct xarray meshes;
	unsigned int count;
	DECLARE_HASHTABLE(links, PMESH_LINK_HASH_BITS);
};

/**
 * struct pmesh_mesh_config - settings for a new mesh
 * @id: mesh id
 * @node_id: node id, 0 for a random one
 * @port: UDP port
 * @hoplimit: default hop limit
 * @max_dgram: largest payload
 * @max_origins: cap on tracked origins
 * @origin_timeout: seconds an idle origin is remembered
 * @hello_ms: milliseconds between hellos
 * @dead_ms: milliseconds of silence after which a neighbour is down
 * @announce_ms: shortest interval between announcements of this node
 * @max_nodes: cap on the membership table
 * @key: PMESH_KEY_LEN bytes of key, or NULL for a key-less mesh
 * @key_switch: seconds each step of a change of key waits
 * @min_neigh: under this degree, connect to candidates
 * @max_neigh: at this degree, admit no learned neighbour
 * @open: a key-less mesh learns anyone
 * @broadcast: PMESH_BROADCAST_*: how datagrams spread
 */
struct pmesh_mesh_config {
	u32 id;
	u64 node_id;
	u16 port;
	u8 hoplimit;
	u32 max_dgram;
	u32 max_origins;
	u32 origin_timeout;
	u32 hello_ms;
	u32 dead_ms;
	u32 announce_ms;
	u32 max_nodes;
	const u8 *key;
	u32 key_switch;
	u8 min_neigh;
	u8 max_neigh;
	bool open;
	u8 broadcast;
};

struct pmesh_net *pmesh_net(const struct net *net);
void pmesh_net_lock(struct net *net);
bool pmesh_net_trylock(struct net *net);
void pmesh_net_unlock(struct net *net);
struct pmesh_mesh *pmesh_mesh_create(struct net *net,
				     const struct pmesh_mesh_config *cfg,
				     struct netlink_ext_ack *extack);
void pmesh_mesh_delete(struct pmesh_mesh *mesh);
struct pmesh_mesh *pmesh_mesh_lookup_rcu(const struct net *net, u32 id);
struct pmesh_mesh *pmesh_mesh_get(const struct net *net, u32 id);
void pmesh_mesh_put(struct pmesh_mesh *mesh);
void pmesh_mesh_stats(const struct pmesh_mesh *mesh,
		      u64 st[PMESH_A_STATS_MAX + 1]);
void pmesh_mesh_set(struct pmesh_mesh *mesh, u8 hoplimit, u32 max_dgram,
		    u8 broadcast);

int pmesh_mesh_init(void);
void pmesh_mesh_exit(void);

#endif /* _PMESH_MESH_H */
