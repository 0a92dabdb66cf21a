/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's own limits: table sizes and caps that users cannot set.
 * Every limit users see or set (defaults, floors and ceilings of the mesh
 * settings, the intervals' ranges, stations per link) is named once in the
 * YNL spec, Documentation/netlink/specs/pmesh.yaml, and reaches the module
 * through uapi/linux/pmesh_netlink.h. Anything that a peer or an
 * unprivileged user can make the kernel allocate is capped in one of the
 * two.
 */
#ifndef _PMESH_LIMITS_H
#define _PMESH_LIMITS_H

#include <linux/sizes.h>

/*
 * Meshes per network namespace. Creating one needs CAP_NET_ADMIN, but in a
 * user namespace anyone has it, so the number is capped all the same.
 */
#define PMESH_MAX_MESHES_PER_NET	1024U

/* Buckets of the per-mesh table of bound sockets, by a keyed hash of channel. */
#define PMESH_CHANNEL_HASH_BITS		6

/*
 * A sent payload up to this size goes in the linear part of its skb with
 * the header; a larger one in pages.
 */
#define PMESH_SMALL_PAYLOAD		256

/*
 * Hello rounds that events from the wire (a goodbye, a new station) bring
 * forward run at least this far apart, in milliseconds.
 */
#define PMESH_HELLO_KICK_MS		100
/*
 * A configured peer that stays down while its node has min-neigh
 * neighbours up gets hellos 1, 2, 4 ... this many hello intervals apart,
 * a minute apart at most (neigh.c): the nodes told one seed's address do
 * not each hello it every second once they are in the mesh.
 */
#define PMESH_HELLO_BACKOFF_MAX		64
#define PMESH_HELLO_BACKOFF_CAP_MS	60000

/* Static UDP peers of one mesh. */
#define PMESH_MAX_PEERS			256U

/*
 * Ethernet links of one mesh, and stations each link discovers: at most
 * the mesh setting max-nodes (a station is a node of the mesh) and at most
 * PMESH_MAX_LINK_NEIGHS (uapi/linux/pmesh_netlink.h), each a 200-byte
 * object plus per-CPU counters, charged to the mesh creator's memory
 * cgroup; a full link looks at each to make room. A device whose MTU
 * cannot carry a header and a small payload is refused.
 */
#define PMESH_MAX_LINKS			16U
#define PMESH_LINK_MIN_MTU		128U
#define PMESH_LINK_HASH_BITS		6
/*
 * Buckets of a link's stations, by a keyed hash of their MAC addresses:
 * any station on the segment adds itself, and every frame looks its
 * sender up (four to a bucket at the default max-nodes; 2 KiB a link).
 */
#define PMESH_STATION_HASH_BITS		8
/*
 * Stations a link forgot lately (timed out, evicted, or its device went
 * deaf), remembered with the node each was: on a keyed mesh such a station
 * is known again by its next sealed frame, not only its next beacon.
 */
#define PMESH_LINK_GONE			32

/*
 * Nodes of the membership table: capped by the mesh setting max-nodes
 * (PMESH_DEFAULT_MAX_NODES, at most PMESH_MAX_NODES_CEILING); each an
 * 80-byte object, charged to the mesh creator's memory cgroup.
 */
#define PMESH_NODE_HASH_BITS		8
/*
 * Nodes lost lately (node.c): a bit each by the keyed hash of their id,
 * two generations of PMESH_NODE_LOST_MS each, so a node counts as lost for
 * 10 to 20 minutes (the passive view ages a candidate out in about 11).
 * 4096 bits, 1 KiB a mesh: a made-up id passes for lost with the chance
 * of the bits set, whatever its maker tries (the hash is keyed).
 */
#define PMESH_NODE_LOST_BITS		4096
#define PMESH_NODE_LOST_MS		600000

/*
 * Origins tracked by duplicate suppression in one mesh: the cap is a mesh
 * setting, PMESH_DEFAULT_MAX_ORIGINS by default and at most
 * PMESH_MAX_ORIGINS_CEILING (uapi/linux/pmesh_netlink.h). Each origin is a
 * 200-byte object (a window of 1024 bits and its bookkeeping) in a 256-byte
 * slab: 1 MiB per mesh at the default cap, 16 MiB at the ceiling, charged
 * to the memory cgroup of the mesh's creator.
 */
#define PMESH_ORIGIN_HASH_BITS		10

/*
 * Keyed meshes: how far apart, in seconds, two nodes' clocks may be. A
 * sealed frame is taken from this far ahead of a node's clock; a keyed
 * mesh's origin-timeout is at least twice it.
 */
#define PMESH_CLOCK_SKEW		5U

/*
 * Tree mode (tree.c). The cache of recent datagrams, which GRAFTs are
 * served from, holds at most PMESH_TREE_CACHE_BYTES of skbs (their
 * truesize) for at most PMESH_TREE_CACHE_MS each, in a table of 2^bits
 * buckets by a keyed hash of the id: about a thousand frames of a 1500-byte
 * MTU, a graft's whole wait (timeout1, then timeout2 an announcer) many
 * times over.
 */
#define PMESH_TREE_CACHE_BYTES		SZ_1M
#define PMESH_TREE_CACHE_MS		5000
#define PMESH_TREE_CACHE_HASH_BITS	8

/*
 * Tree frames wait in a queue of PMESH_TREE_OUT entries (IHAVE ranges,
 * PRUNEs) for the tick, every PMESH_TREE_TICK_MS while there is something
 * to do; an id that finds the queue full goes as its payload instead. A
 * tick sends at most PMESH_TREE_GRAFTS GRAFTs.
 */
#define PMESH_TREE_OUT			512
#define PMESH_TREE_TICK_MS		20
#define PMESH_TREE_GRAFTS		64

/*
 * What one neighbour can make this node do: at most PMESH_TREE_RX_RATE
 * tree frames a second taken (its ticks send about 50), at most
 * PMESH_TREE_SERVE_RATE datagrams a second sent from the cache at its
 * GRAFTs and REPAIRs (buckets that hold a second's worth), and at most
 * PMESH_TREE_IHAVE_SCAN ids of one IHAVE frame looked at, each against a
 * missing table of PMESH_TR_MISSING (core/tree.h), a quarter of which its
 * ids may fill; the rest is counted and dropped.
 */
#define PMESH_TREE_RX_RATE		250
#define PMESH_TREE_SERVE_RATE		200
#define PMESH_TREE_IHAVE_SCAN		256

/*
 * The caches of all meshes together hold at most this: a user who may
 * make namespaces and meshes cannot pin more of the machine's memory with
 * datagrams sent around loops of their own.
 */
#define PMESH_TREE_CACHE_TOTAL		(64 * SZ_1M)

#endif /* _PMESH_LIMITS_H */
