/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Meshes: their life cycle and the per-namespace table that names them.
 */
#ifndef _PMESH_MESH_H
#define _PMESH_MESH_H

#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>

#include "limits.h"

struct netlink_ext_ack;

/**
 * struct pmesh_pcpu_stats - per-CPU counters of a mesh
 * @syncp: makes 64-bit reads consistent on 32-bit machines
 * @sent: datagrams sent by local sockets
 * @received: data frames received from neighbours
 * @delivered: datagram copies queued to local sockets
 * @forwarded: frames forwarded to neighbours
 * @duplicates: frames dropped as already seen
 * @hop_expired: frames not forwarded because their hop limit ran out
 * @malformed: frames dropped because they failed to parse
 * @sock_overflow: copies dropped because a socket's receive buffer was full
 */
struct pmesh_pcpu_stats {
	struct u64_stats_sync syncp;
	u64_stats_t sent;
	u64_stats_t received;
	u64_stats_t delivered;
	u64_stats_t forwarded;
	u64_stats_t duplicates;
	u64_stats_t hop_expired;
	u64_stats_t malformed;
	u64_stats_t sock_overflow;
};

/**
 * struct pmesh_stats - the counters of a mesh, summed over CPUs
 * @sent: see &struct pmesh_pcpu_stats, same for all fields but @origins
 * @received: frames received
 * @delivered: copies delivered
 * @forwarded: frames forwarded
 * @duplicates: duplicates dropped
 * @hop_expired: frames whose hop limit ran out
 * @malformed: malformed frames dropped
 * @sock_overflow: socket overflows
 * @origins: origins tracked right now
 */
struct pmesh_stats {
	u64 sent;
	u64 received;
	u64 delivered;
	u64 forwarded;
	u64 duplicates;
	u64 hop_expired;
	u64 malformed;
	u64 sock_overflow;
	u64 origins;
};

/**
 * struct pmesh_mesh - one mesh of one network namespace
 * @net: the namespace; not referenced, the mesh dies with it
 * @id: mesh id, unique in @net
 * @node_id: this node's id in the mesh
 * @port: UDP port of the UDP bearer
 * @hoplimit: default hop limit of sent datagrams (READ_ONCE on the fast path)
 * @max_dgram: largest payload accepted (READ_ONCE on the fast path)
 * @dead: set once the mesh is deleted, under @sock_lock; bound sockets then
 *	get ENONET
 * @refcnt: the namespace table holds one reference, each bound socket one
 * @sock_lock: serialises bind, release and delete on @channels and @dead;
 *	a mutex, as all three run in process context and delete walks every
 *	bound socket
 * @channels: bound sockets by channel; readers walk it under RCU
 * @stats: per-CPU counters
 * @rcu: frees the mesh after readers of the namespace table are done
 */
struct pmesh_mesh {
	struct net *net;
	u32 id;
	u64 node_id;
	u16 port;
	u8 hoplimit;
	u32 max_dgram;
	bool dead;
	refcount_t refcnt;
	struct mutex sock_lock; /* bind, release and delete vs. @channels */
	DECLARE_HASHTABLE(channels, PMESH_CHANNEL_HASH_BITS);
	struct pmesh_pcpu_stats __percpu *stats;
	struct rcu_head rcu;
};

/**
 * struct pmesh_net - pmesh state of one network namespace
 * @lock: serialises changes to @meshes
 * @meshes: meshes by id; lookups under RCU
 * @count: number of meshes in @meshes
 */
struct pmesh_net {
	struct mutex lock; /* changes to @meshes and the meshes' settings */
	struct xarray meshes;
	unsigned int count;
};

/**
 * struct pmesh_mesh_config - settings for a new mesh
 * @id: mesh id
 * @node_id: node id, 0 for a random one
 * @port: UDP port
 * @hoplimit: default hop limit
 * @max_dgram: largest payload
 */
struct pmesh_mesh_config {
	u32 id;
	u64 node_id;
	u16 port;
	u8 hoplimit;
	u32 max_dgram;
};

struct pmesh_net *pmesh_net(const struct net *net);
struct pmesh_mesh *pmesh_mesh_create(struct net *net,
				     const struct pmesh_mesh_config *cfg,
				     struct netlink_ext_ack *extack);
void pmesh_mesh_delete(struct pmesh_mesh *mesh);
struct pmesh_mesh *pmesh_mesh_lookup_rcu(const struct net *net, u32 id);
struct pmesh_mesh *pmesh_mesh_get(const struct net *net, u32 id);
void pmesh_mesh_put(struct pmesh_mesh *mesh);
void pmesh_mesh_stats(const struct pmesh_mesh *mesh, struct pmesh_stats *st);

int pmesh_mesh_init(void);
void pmesh_mesh_exit(void);

#endif /* _PMESH_MESH_H */
