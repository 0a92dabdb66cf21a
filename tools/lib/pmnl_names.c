/* SPDX-License-Identifier: GPL-2.0 */
/* Do not edit: generated from Documentation/netlink/specs/pmesh.yaml by scripts/pmnl-names.py */

#include "pmnl_names.h"

const char *const pmnl_neigh_state_names[PMESH_NEIGH_STATE_UP + 1] = {
	[PMESH_NEIGH_STATE_DOWN] = "down",
	[PMESH_NEIGH_STATE_UP] = "up",
};

const char *const pmnl_node_state_names[PMESH_NODE_STATE_STALE + 1] = {
	[PMESH_NODE_STATE_SELF] = "self",
	[PMESH_NODE_STATE_UP] = "up",
	[PMESH_NODE_STATE_STALE] = "stale",
};

const char *const pmnl_leave_reason_names[PMESH_LEAVE_REASON_UNREACHABLE + 1] = {
	[PMESH_LEAVE_REASON_GOODBYE] = "goodbye",
	[PMESH_LEAVE_REASON_TIMEOUT] = "timeout",
	[PMESH_LEAVE_REASON_RESTART] = "restart",
	[PMESH_LEAVE_REASON_UNREACHABLE] = "unreachable",
};

const char *const pmnl_neigh_kind_names[PMESH_NEIGH_KIND_LEARNED + 1] = {
	[PMESH_NEIGH_KIND_CONFIGURED] = "configured",
	[PMESH_NEIGH_KIND_STATION] = "station",
	[PMESH_NEIGH_KIND_LEARNED] = "learned",
};

const char *const pmnl_broadcast_names[PMESH_BROADCAST_TREE + 1] = {
	[PMESH_BROADCAST_FLOOD] = "flood",
	[PMESH_BROADCAST_TREE] = "tree",
};

const char *const pmnl_stats_names[PMESH_A_STATS_MAX + 1] = {
	[PMESH_A_STATS_SENT] = "sent",
	[PMESH_A_STATS_RECEIVED] = "received",
	[PMESH_A_STATS_DELIVERED] = "delivered",
	[PMESH_A_STATS_FORWARDED] = "forwarded",
	[PMESH_A_STATS_DUPLICATES] = "duplicates",
	[PMESH_A_STATS_HOP_EXPIRED] = "hop-expired",
	[PMESH_A_STATS_MALFORMED] = "malformed",
	[PMESH_A_STATS_SOCK_OVERFLOW] = "sock-overflow",
	[PMESH_A_STATS_ORIGINS] = "origins",
	[PMESH_A_STATS_ORIGIN_DROPS] = "origin-drops",
	[PMESH_A_STATS_UNKNOWN_PEER] = "unknown-peer",
	[PMESH_A_STATS_TOO_BIG] = "too-big",
	[PMESH_A_STATS_UNKNOWN_MESH] = "unknown-mesh",
	[PMESH_A_STATS_NEIGH_DROPS] = "neigh-drops",
	[PMESH_A_STATS_NODES] = "nodes",
	[PMESH_A_STATS_NODE_DROPS] = "node-drops",
	[PMESH_A_STATS_CTL_TX_FRAMES] = "ctl-tx-frames",
	[PMESH_A_STATS_CTL_TX_BYTES] = "ctl-tx-bytes",
	[PMESH_A_STATS_CTL_RX_FRAMES] = "ctl-rx-frames",
	[PMESH_A_STATS_CTL_RX_BYTES] = "ctl-rx-bytes",
	[PMESH_A_STATS_AUTH_FAIL] = "auth-fail",
	[PMESH_A_STATS_STALE] = "stale",
	[PMESH_A_STATS_PX_DROPS] = "px-drops",
	[PMESH_A_STATS_IHAVE_TX] = "ihave-tx",
	[PMESH_A_STATS_IHAVE_RX] = "ihave-rx",
	[PMESH_A_STATS_IHAVE_HELD] = "ihave-held",
	[PMESH_A_STATS_GRAFTS_TX] = "grafts-tx",
	[PMESH_A_STATS_GRAFTS_RX] = "grafts-rx",
	[PMESH_A_STATS_PRUNES_TX] = "prunes-tx",
	[PMESH_A_STATS_PRUNES_RX] = "prunes-rx",
	[PMESH_A_STATS_REPAIRS] = "repairs",
	[PMESH_A_STATS_SERVE_DROPS] = "serve-drops",
	[PMESH_A_STATS_MISSING_DROPS] = "missing-drops",
	[PMESH_A_STATS_TREE_DROPS] = "tree-drops",
};

const char *const pmnl_neigh_stats_names[PMESH_A_NEIGH_STATS_MAX + 1] = {
	[PMESH_A_NEIGH_STATS_RX_FRAMES] = "rx-frames",
	[PMESH_A_NEIGH_STATS_RX_BYTES] = "rx-bytes",
	[PMESH_A_NEIGH_STATS_TX_FRAMES] = "tx-frames",
	[PMESH_A_NEIGH_STATS_TX_BYTES] = "tx-bytes",
	[PMESH_A_NEIGH_STATS_DUPLICATES] = "duplicates",
	[PMESH_A_NEIGH_STATS_AUTH_FAIL] = "auth-fail",
	[PMESH_A_NEIGH_STATS_FIRSTS] = "firsts",
	[PMESH_A_NEIGH_STATS_IHAVE] = "ihave",
	[PMESH_A_NEIGH_STATS_GRAFTS] = "grafts",
	[PMESH_A_NEIGH_STATS_PRUNES] = "prunes",
};

const char *const pmnl_neigh_attr_names[PMESH_A_NEIGH_MAX + 1] = {
	[PMESH_A_NEIGH_MESH_ID] = "mesh-id",
	[PMESH_A_NEIGH_ADDR] = "addr",
	[PMESH_A_NEIGH_PORT] = "port",
	[PMESH_A_NEIGH_NODE_ID] = "node-id",
	[PMESH_A_NEIGH_LAST_HEARD] = "last-heard",
	[PMESH_A_NEIGH_STATE] = "state",
	[PMESH_A_NEIGH_STATS] = "stats",
	[PMESH_A_NEIGH_IFINDEX] = "ifindex",
	[PMESH_A_NEIGH_LLADDR] = "lladdr",
	[PMESH_A_NEIGH_KIND] = "kind",
};

const char *const pmnl_link_attr_names[PMESH_A_LINK_MAX + 1] = {
	[PMESH_A_LINK_MESH_ID] = "mesh-id",
	[PMESH_A_LINK_IFINDEX] = "ifindex",
	[PMESH_A_LINK_IFNAME] = "ifname",
	[PMESH_A_LINK_MTU] = "mtu",
	[PMESH_A_LINK_NEIGHS] = "neighs",
	[PMESH_A_LINK_OPER_UP] = "oper-up",
	[PMESH_A_LINK_TX_FRAMES] = "tx-frames",
	[PMESH_A_LINK_TX_BYTES] = "tx-bytes",
	[PMESH_A_LINK_AUTH_FAIL] = "auth-fail",
};

const char *const pmnl_node_attr_names[PMESH_A_NODE_MAX + 1] = {
	[PMESH_A_NODE_MESH_ID] = "mesh-id",
	[PMESH_A_NODE_NODE_ID] = "node-id",
	[PMESH_A_NODE_HOPS] = "hops",
	[PMESH_A_NODE_LAST_HEARD] = "last-heard",
	[PMESH_A_NODE_STATE] = "state",
	[PMESH_A_NODE_INTERVAL] = "interval",
	[PMESH_A_NODE_TIMEOUT] = "timeout",
	[PMESH_A_NODE_REASON] = "reason",
};

const char *const pmnl_mesh_attr_names[PMESH_A_MESH_MAX + 1] = {
	[PMESH_A_MESH_ID] = "id",
	[PMESH_A_MESH_NODE_ID] = "node-id",
	[PMESH_A_MESH_PORT] = "port",
	[PMESH_A_MESH_HOPLIMIT] = "hoplimit",
	[PMESH_A_MESH_MAX_DGRAM] = "max-dgram",
	[PMESH_A_MESH_STATS] = "stats",
	[PMESH_A_MESH_MAX_ORIGINS] = "max-origins",
	[PMESH_A_MESH_ORIGIN_TIMEOUT] = "origin-timeout",
	[PMESH_A_MESH_HELLO_INTERVAL] = "hello-interval",
	[PMESH_A_MESH_DEAD_INTERVAL] = "dead-interval",
	[PMESH_A_MESH_ANNOUNCE_INTERVAL] = "announce-interval",
	[PMESH_A_MESH_MAX_NODES] = "max-nodes",
	[PMESH_A_MESH_KEY] = "key",
	[PMESH_A_MESH_KEY_CLEAR] = "key-clear",
	[PMESH_A_MESH_KEY_FP] = "key-fp",
	[PMESH_A_MESH_KEY_NEXT_FP] = "key-next-fp",
	[PMESH_A_MESH_KEY_PREV_FP] = "key-prev-fp",
	[PMESH_A_MESH_KEY_SWITCH] = "key-switch",
	[PMESH_A_MESH_MIN_NEIGH] = "min-neigh",
	[PMESH_A_MESH_MAX_NEIGH] = "max-neigh",
	[PMESH_A_MESH_OPEN] = "open",
	[PMESH_A_MESH_BROADCAST] = "broadcast",
};

const char *const pmnl_cmd_names[PMESH_CMD_MAX + 1] = {
	[PMESH_CMD_MESH_NEW] = "mesh-new",
	[PMESH_CMD_MESH_DEL] = "mesh-del",
	[PMESH_CMD_MESH_SET] = "mesh-set",
	[PMESH_CMD_MESH_GET] = "mesh-get",
	[PMESH_CMD_PEER_NEW] = "peer-new",
	[PMESH_CMD_PEER_DEL] = "peer-del",
	[PMESH_CMD_NEIGH_GET] = "neigh-get",
	[PMESH_CMD_LINK_NEW] = "link-new",
	[PMESH_CMD_LINK_DEL] = "link-del",
	[PMESH_CMD_LINK_GET] = "link-get",
	[PMESH_CMD_NODE_GET] = "node-get",
	[PMESH_CMD_MESH_ADD_NTF] = "mesh-add-ntf",
	[PMESH_CMD_MESH_DEL_NTF] = "mesh-del-ntf",
	[PMESH_CMD_MESH_CHANGE_NTF] = "mesh-change-ntf",
	[PMESH_CMD_NEIGH_UP_NTF] = "neigh-up-ntf",
	[PMESH_CMD_NEIGH_DOWN_NTF] = "neigh-down-ntf",
	[PMESH_CMD_LINK_ADD_NTF] = "link-add-ntf",
	[PMESH_CMD_LINK_DEL_NTF] = "link-del-ntf",
	[PMESH_CMD_NODE_JOIN_NTF] = "node-join-ntf",
	[PMESH_CMD_NODE_LEAVE_NTF] = "node-leave-ntf",
};

const char *const pmnl_event_names[PMESH_CMD_MAX + 1] = {
	[PMESH_CMD_MESH_ADD_NTF] = "mesh-add",
	[PMESH_CMD_MESH_DEL_NTF] = "mesh-del",
	[PMESH_CMD_MESH_CHANGE_NTF] = "mesh-change",
	[PMESH_CMD_NEIGH_UP_NTF] = "neigh-up",
	[PMESH_CMD_NEIGH_DOWN_NTF] = "neigh-down",
	[PMESH_CMD_LINK_ADD_NTF] = "link-add",
	[PMESH_CMD_LINK_DEL_NTF] = "link-del",
	[PMESH_CMD_NODE_JOIN_NTF] = "node-join",
	[PMESH_CMD_NODE_LEAVE_NTF] = "node-leave",
};
