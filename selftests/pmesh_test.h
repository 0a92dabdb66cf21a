/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the pmesh C selftests: the socket family in use and
 * mesh setup over the tool's netlink code.
 */
#ifndef PMESH_TEST_H
#define PMESH_TEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <netlink/attr.h>

#include <linux/pmesh.h>
#include <linux/pmesh_netlink.h>

#include "family.h"
#include "pmnl.h"

/* Create mesh @id on UDP port @port (0: the default); 0 or -errno. */
static inline int pmesh_mesh_add(struct pmnl *nl, __u32 id, __u16 port)
{
	struct nl_msg *msg = pmnl_msg(nl, PMESH_CMD_MESH_NEW, 0);
	struct pmnl_err err;

	if (!msg || nla_put_u32(msg, PMESH_A_MESH_ID, id) ||
	    (port && nla_put_u16(msg, PMESH_A_MESH_PORT, port)))
		return -ENOMEM;
	return pmnl_run(nl, msg, NULL, NULL, &err);
}

static inline int pmesh_mesh_del(struct pmnl *nl, __u32 id)
{
	struct nl_msg *msg = pmnl_msg(nl, PMESH_CMD_MESH_DEL, 0);
	struct pmnl_err err;

	if (!msg || nla_put_u32(msg, PMESH_A_MESH_ID, id))
		return -ENOMEM;
	return pmnl_run(nl, msg, NULL, NULL, &err);
}

/**
 * struct pmesh_mesh_info - a mesh as mesh-get reports it
 * @id: mesh id
 * @node_id: node id
 * @port: UDP port
 * @hoplimit: default hop limit
 * @max_dgram: largest payload
 * @max_origins: cap on tracked origins
 * @origin_timeout: seconds an idle origin is kept
 * @hello_ms: hello interval
 * @dead_ms: dead interval
 * @key_fp: the key's fingerprint, 0 for a key-less mesh
 * @key_next_fp: during a change of key, the new key's; else 0
 * @key_prev_fp: after a change of key, the old key's, while opened; else 0
 * @key_switch: seconds each step of a change of key waits
 * @min_neigh: a node under it connects to candidates
 * @max_neigh: a node admits learned neighbours up to it
 * @open: a key-less mesh learns neighbours
 * @broadcast: how datagrams spread, PMESH_BROADCAST_*
 * @n_stats: how many counters the stats nest held
 * @stats: the counters, by PMESH_A_STATS_* type
 */
struct pmesh_mesh_info {
	__u32 id;
	__u64 node_id;
	__u16 port;
	__u8 hoplimit;
	__u32 max_dgram;
	__u32 max_origins;
	__u32 origin_timeout;
	__u32 hello_ms;
	__u32 dead_ms;
	__u64 key_fp;
	__u64 key_next_fp;
	__u64 key_prev_fp;
	__u32 key_switch;
	__u8 min_neigh;
	__u8 max_neigh;
	__u8 open;
	__u8 broadcast;
	int n_stats;
	__u64 stats[PMESH_A_STATS_MAX + 1];
};

static inline int pmesh_parse_mesh(struct nlmsghdr *nlh,
				   struct pmesh_mesh_info *m)
{
	struct nlattr *tb[PMESH_A_MESH_MAX + 1], *st[PMESH_A_STATS_MAX + 1];

	memset(m, 0, sizeof(*m));
	if (genlmsg_parse(nlh, 0, tb, PMESH_A_MESH_MAX, NULL) ||
	    !tb[PMESH_A_MESH_ID] || !tb[PMESH_A_MESH_NODE_ID] ||
	    !tb[PMESH_A_MESH_PORT] || !tb[PMESH_A_MESH_HOPLIMIT] ||
	    !tb[PMESH_A_MESH_MAX_DGRAM])
		return -EINVAL;
	m->id = nla_get_u32(tb[PMESH_A_MESH_ID]);
	m->node_id = nla_get_u64(tb[PMESH_A_MESH_NODE_ID]);
	m->port = nla_get_u16(tb[PMESH_A_MESH_PORT]);
	m->hoplimit = nla_get_u8(tb[PMESH_A_MESH_HOPLIMIT]);
	m->max_dgram = nla_get_u32(tb[PMESH_A_MESH_MAX_DGRAM]);
	if (tb[PMESH_A_MESH_MAX_ORIGINS])
		m->max_origins = nla_get_u32(tb[PMESH_A_MESH_MAX_ORIGINS]);
	if (tb[PMESH_A_MESH_ORIGIN_TIMEOUT])
		m->origin_timeout = nla_get_u32(tb[PMESH_A_MESH_ORIGIN_TIMEOUT]);
	if (tb[PMESH_A_MESH_HELLO_INTERVAL])
		m->hello_ms = nla_get_u32(tb[PMESH_A_MESH_HELLO_INTERVAL]);
	if (tb[PMESH_A_MESH_DEAD_INTERVAL])
		m->dead_ms = nla_get_u32(tb[PMESH_A_MESH_DEAD_INTERVAL]);
	if (tb[PMESH_A_MESH_KEY_FP])
		m->key_fp = nla_get_u64(tb[PMESH_A_MESH_KEY_FP]);
	if (tb[PMESH_A_MESH_KEY_NEXT_FP])
		m->key_next_fp = nla_get_u64(tb[PMESH_A_MESH_KEY_NEXT_FP]);
	if (tb[PMESH_A_MESH_KEY_PREV_FP])
		m->key_prev_fp = nla_get_u64(tb[PMESH_A_MESH_KEY_PREV_FP]);
	if (tb[PMESH_A_MESH_KEY_SWITCH])
		m->key_switch = nla_get_u32(tb[PMESH_A_MESH_KEY_SWITCH]);
	if (tb[PMESH_A_MESH_MIN_NEIGH])
		m->min_neigh = nla_get_u8(tb[PMESH_A_MESH_MIN_NEIGH]);
	if (tb[PMESH_A_MESH_MAX_NEIGH])
		m->max_neigh = nla_get_u8(tb[PMESH_A_MESH_MAX_NEIGH]);
	if (tb[PMESH_A_MESH_OPEN])
		m->open = nla_get_u8(tb[PMESH_A_MESH_OPEN]);
	if (tb[PMESH_A_MESH_BROADCAST])
		m->broadcast = nla_get_u8(tb[PMESH_A_MESH_BROADCAST]);
	if (tb[PMESH_A_MESH_STATS] &&
	    !nla_parse_nested(st, PMESH_A_STATS_MAX, tb[PMESH_A_MESH_STATS], NULL)) {
		for (int i = 1; i <= PMESH_A_STATS_MAX; i++) {
			if (!st[i])
				continue;
			m->stats[i] = pmnl_get_uint(st[i]);
			m->n_stats++;
		}
	}
	return 0;
}

static inline int pmesh_get_cb(struct nlmsghdr *nlh, void *arg)
{
	return pmesh_parse_mesh(nlh, arg);
}

/* Read mesh @id; 0 or -errno. */
static inline int pmesh_mesh_get(struct pmnl *nl, __u32 id,
				 struct pmesh_mesh_info *m)
{
	struct nl_msg *msg = pmnl_msg(nl, PMESH_CMD_MESH_GET, 0);
	struct pmnl_err err;

	if (!msg || nla_put_u32(msg, PMESH_A_MESH_ID, id))
		return -ENOMEM;
	return pmnl_run(nl, msg, pmesh_get_cb, m, &err);
}

#endif
