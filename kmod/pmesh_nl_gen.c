// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/pmesh.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "pmesh_nl_gen.h"

#include <uapi/linux/pmesh_netlink.h>

/* Integer value ranges */
static const struct netlink_range_validation pmesh_a_mesh_max_dgram_range = {
	.min	= 1ULL,
	.max	= PMESH_MAX_DGRAM_CEILING,
};

static const struct netlink_range_validation pmesh_a_mesh_max_origins_range = {
	.min	= PMESH_MAX_ORIGINS_FLOOR,
	.max	= PMESH_MAX_ORIGINS_CEILING,
};

static const struct netlink_range_validation pmesh_a_mesh_hello_interval_range = {
	.min	= PMESH_HELLO_INTERVAL_MIN,
	.max	= PMESH_HELLO_INTERVAL_MAX,
};

static const struct netlink_range_validation pmesh_a_mesh_dead_interval_range = {
	.min	= PMESH_DEAD_INTERVAL_MIN,
	.max	= PMESH_DEAD_INTERVAL_MAX,
};

static const struct netlink_range_validation pmesh_a_mesh_announce_interval_range = {
	.min	= PMESH_ANNOUNCE_INTERVAL_MIN,
	.max	= PMESH_ANNOUNCE_INTERVAL_MAX,
};

static const struct netlink_range_validation pmesh_a_mesh_max_nodes_range = {
	.min	= PMESH_MAX_NODES_FLOOR,
	.max	= PMESH_MAX_NODES_CEILING,
};

/* PMESH_CMD_MESH_NEW - do */
static const struct nla_policy pmesh_mesh_new_nl_policy[PMESH_A_MESH_BROADCAST + 1] = {
	[PMESH_A_MESH_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PMESH_A_MESH_NODE_ID] = NLA_POLICY_MIN(NLA_U64, 1),
	[PMESH_A_MESH_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[PMESH_A_MESH_HOPLIMIT] = NLA_POLICY_MIN(NLA_U8, 1),
	[PMESH_A_MESH_MAX_DGRAM] = NLA_POLICY_FULL_RANGE(NLA_U32, &pmesh_a_mesh_max_dgram_range),
	[PMESH_A_MESH_MAX_ORIGINS] = NLA_POLICY_FULL_RANGE(NLA_U32, &pmesh_a_mesh_max_origins_range),
	[PMESH_A_MESH_ORIGIN_TIMEOUT] = NLA_POLICY_RANGE(NLA_U32, 1, PMESH_ORIGIN_TIMEOUT_CEILING),
	[PMESH_A_MESH_HELLO_INTERVAL] = NLA_POLICY_FULL_RANGE(NLA_U32, &pmesh_a_mesh_hello_interval_range),
	[PMESH_A_MESH_DEAD_INTERVAL] = NLA_POLICY_FULL_RANGE(NLA_U32, &pmesh_a_mesh_dead_interval_range),
	[PMESH_A_MESH_ANNOUNCE_INTERVAL] = NLA_POLICY_FULL_RANGE(NLA_U32, &pmesh_a_mesh_announce_interval_range),
	[PMESH_A_MESH_MAX_NODES] = NLA_POLICY_FULL_RANGE(NLA_U32, &pmesh_a_mesh_max_nodes_range),
	[PMESH_A_MESH_KEY] = NLA_POLICY_EXACT_LEN(32),
	[PMESH_A_MESH_KEY_SWITCH] = NLA_POLICY_RANGE(NLA_U32, 1, PMESH_KEY_SWITCH_MAX),
	[PMESH_A_MESH_MIN_NEIGH] = NLA_POLICY_MAX(NLA_U8, PMESH_MAX_NEIGH_CEILING),
	[PMESH_A_MESH_MAX_NEIGH] = NLA_POLICY_RANGE(NLA_U8, 1, PMESH_MAX_NEIGH_CEILING),
	[PMESH_A_MESH_OPEN] = NLA_POLICY_MAX(NLA_U8, 1),
	[PMESH_A_MESH_BROADCAST] = NLA_POLICY_MAX(NLA_U8, 1),
};

/* PMESH_CMD_MESH_DEL - do */
static const struct nla_policy pmesh_mesh_del_nl_policy[PMESH_A_MESH_ID + 1] = {
	[PMESH_A_MESH_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* PMESH_CMD_MESH_SET - do */
static const struct nla_policy pmesh_mesh_set_nl_policy[PMESH_A_MESH_BROADCAST + 1] = {
	[PMESH_A_MESH_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PMESH_A_MESH_HOPLIMIT] = NLA_POLICY_MIN(NLA_U8, 1),
	[PMESH_A_MESH_MAX_DGRAM] = NLA_POLICY_FULL_RANGE(NLA_U32, &pmesh_a_mesh_max_dgram_range),
	[PMESH_A_MESH_MAX_ORIGINS] = NLA_POLICY_FULL_RANGE(NLA_U32, &pmesh_a_mesh_max_origins_range),
	[PMESH_A_MESH_ORIGIN_TIMEOUT] = NLA_POLICY_RANGE(NLA_U32, 1, PMESH_ORIGIN_TIMEOUT_CEILING),
	[PMESH_A_MESH_HELLO_INTERVAL] = NLA_POLICY_FULL_RANGE(NLA_U32, &pmesh_a_mesh_hello_interval_range),
	[PMESH_A_MESH_DEAD_INTERVAL] = NLA_POLICY_FULL_RANGE(NLA_U32, &pmesh_a_mesh_dead_interval_range),
	[PMESH_A_MESH_ANNOUNCE_INTERVAL] = NLA_POLICY_FULL_RANGE(NLA_U32, &pmesh_a_mesh_announce_interval_range),
	[PMESH_A_MESH_MAX_NODES] = NLA_POLICY_FULL_RANGE(NLA_U32, &pmesh_a_mesh_max_nodes_range),
	[PMESH_A_MESH_KEY] = NLA_POLICY_EXACT_LEN(32),
	[PMESH_A_MESH_KEY_CLEAR] = { .type = NLA_FLAG, },
	[PMESH_A_MESH_KEY_SWITCH] = NLA_POLICY_RANGE(NLA_U32, 1, PMESH_KEY_SWITCH_MAX),
	[PMESH_A_MESH_MIN_NEIGH] = NLA_POLICY_MAX(NLA_U8, PMESH_MAX_NEIGH_CEILING),
	[PMESH_A_MESH_MAX_NEIGH] = NLA_POLICY_RANGE(NLA_U8, 1, PMESH_MAX_NEIGH_CEILING),
	[PMESH_A_MESH_OPEN] = NLA_POLICY_MAX(NLA_U8, 1),
	[PMESH_A_MESH_BROADCAST] = NLA_POLICY_MAX(NLA_U8, 1),
};

/* PMESH_CMD_MESH_GET - do */
static const struct nla_policy pmesh_mesh_get_nl_policy[PMESH_A_MESH_ID + 1] = {
	[PMESH_A_MESH_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* PMESH_CMD_PEER_NEW - do */
static const struct nla_policy pmesh_peer_new_nl_policy[PMESH_A_NEIGH_PORT + 1] = {
	[PMESH_A_NEIGH_MESH_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PMESH_A_NEIGH_ADDR] = { .type = NLA_BINARY, },
	[PMESH_A_NEIGH_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
};

/* PMESH_CMD_PEER_DEL - do */
static const struct nla_policy pmesh_peer_del_nl_policy[PMESH_A_NEIGH_PORT + 1] = {
	[PMESH_A_NEIGH_MESH_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PMESH_A_NEIGH_ADDR] = { .type = NLA_BINARY, },
	[PMESH_A_NEIGH_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
};

/* PMESH_CMD_NEIGH_GET - dump */
static const struct nla_policy pmesh_neigh_get_nl_policy[PMESH_A_NEIGH_MESH_ID + 1] = {
	[PMESH_A_NEIGH_MESH_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* PMESH_CMD_LINK_NEW - do */
static const struct nla_policy pmesh_link_new_nl_policy[PMESH_A_LINK_IFNAME + 1] = {
	[PMESH_A_LINK_MESH_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PMESH_A_LINK_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[PMESH_A_LINK_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* PMESH_CMD_LINK_DEL - do */
static const struct nla_policy pmesh_link_del_nl_policy[PMESH_A_LINK_IFNAME + 1] = {
	[PMESH_A_LINK_MESH_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PMESH_A_LINK_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[PMESH_A_LINK_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* PMESH_CMD_LINK_GET - dump */
static const struct nla_policy pmesh_link_get_nl_policy[PMESH_A_LINK_MESH_ID + 1] = {
	[PMESH_A_LINK_MESH_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* PMESH_CMD_NODE_GET - dump */
static const struct nla_policy pmesh_node_get_nl_policy[PMESH_A_NODE_MESH_ID + 1] = {
	[PMESH_A_NODE_MESH_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* Ops table for pmesh */
static const struct genl_split_ops pmesh_nl_ops[] = {
	{
		.cmd		= PMESH_CMD_MESH_NEW,
		.pre_doit	= pmesh_nl_pre_doit_lock,
		.doit		= pmesh_nl_mesh_new_doit,
		.post_doit	= pmesh_nl_post_doit,
		.policy		= pmesh_mesh_new_nl_policy,
		.maxattr	= PMESH_A_MESH_BROADCAST,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PMESH_CMD_MESH_DEL,
		.pre_doit	= pmesh_nl_pre_doit,
		.doit		= pmesh_nl_mesh_del_doit,
		.post_doit	= pmesh_nl_post_doit,
		.policy		= pmesh_mesh_del_nl_policy,
		.maxattr	= PMESH_A_MESH_ID,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PMESH_CMD_MESH_SET,
		.pre_doit	= pmesh_nl_pre_doit,
		.doit		= pmesh_nl_mesh_set_doit,
		.post_doit	= pmesh_nl_post_doit,
		.policy		= pmesh_mesh_set_nl_policy,
		.maxattr	= PMESH_A_MESH_BROADCAST,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PMESH_CMD_MESH_GET,
		.pre_doit	= pmesh_nl_pre_doit,
		.doit		= pmesh_nl_mesh_get_doit,
		.post_doit	= pmesh_nl_post_doit,
		.policy		= pmesh_mesh_get_nl_policy,
		.maxattr	= PMESH_A_MESH_ID,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= PMESH_CMD_MESH_GET,
		.dumpit	= pmesh_nl_mesh_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= PMESH_CMD_PEER_NEW,
		.pre_doit	= pmesh_nl_pre_doit,
		.doit		= pmesh_nl_peer_new_doit,
		.post_doit	= pmesh_nl_post_doit,
		.policy		= pmesh_peer_new_nl_policy,
		.maxattr	= PMESH_A_NEIGH_PORT,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PMESH_CMD_PEER_DEL,
		.pre_doit	= pmesh_nl_pre_doit,
		.doit		= pmesh_nl_peer_del_doit,
		.post_doit	= pmesh_nl_post_doit,
		.policy		= pmesh_peer_del_nl_policy,
		.maxattr	= PMESH_A_NEIGH_PORT,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PMESH_CMD_NEIGH_GET,
		.dumpit		= pmesh_nl_neigh_get_dumpit,
		.policy		= pmesh_neigh_get_nl_policy,
		.maxattr	= PMESH_A_NEIGH_MESH_ID,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= PMESH_CMD_LINK_NEW,
		.pre_doit	= pmesh_nl_pre_doit,
		.doit		= pmesh_nl_link_new_doit,
		.post_doit	= pmesh_nl_post_doit,
		.policy		= pmesh_link_new_nl_policy,
		.maxattr	= PMESH_A_LINK_IFNAME,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PMESH_CMD_LINK_DEL,
		.pre_doit	= pmesh_nl_pre_doit,
		.doit		= pmesh_nl_link_del_doit,
		.post_doit	= pmesh_nl_post_doit,
		.policy		= pmesh_link_del_nl_policy,
		.maxattr	= PMESH_A_LINK_IFNAME,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PMESH_CMD_LINK_GET,
		.dumpit		= pmesh_nl_link_get_dumpit,
		.policy		= pmesh_link_get_nl_policy,
		.maxattr	= PMESH_A_LINK_MESH_ID,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= PMESH_CMD_NODE_GET,
		.dumpit		= pmesh_nl_node_get_dumpit,
		.policy		= pmesh_node_get_nl_policy,
		.maxattr	= PMESH_A_NODE_MESH_ID,
		.flags		= GENL_CMD_CAP_DUMP,
	},
};

static const struct genl_multicast_group pmesh_nl_mcgrps[] = {
	[PMESH_NLGRP_EVENTS] = { "events", },
};

struct genl_family pmesh_nl_family __ro_after_init = {
	.name		= PMESH_FAMILY_NAME,
	.version	= PMESH_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= pmesh_nl_ops,
	.n_split_ops	= ARRAY_SIZE(pmesh_nl_ops),
	.mcgrps		= pmesh_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(pmesh_nl_mcgrps),
};
