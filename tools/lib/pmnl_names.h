/* SPDX-License-Identifier: GPL-2.0 */
/* Do not edit: generated from Documentation/netlink/specs/pmesh.yaml by scripts/pmnl-names.py */

#ifndef PMNL_NAMES_H
#define PMNL_NAMES_H

#include <linux/pmesh_netlink.h>

/* The names of enum pmesh_neigh_state. */
extern const char *const pmnl_neigh_state_names[PMESH_NEIGH_STATE_UP + 1];
/* The names of enum pmesh_node_state. */
extern const char *const pmnl_node_state_names[PMESH_NODE_STATE_STALE + 1];
/* The names of enum pmesh_leave_reason. */
extern const char *const pmnl_leave_reason_names[PMESH_LEAVE_REASON_UNREACHABLE + 1];
/* The names of enum pmesh_neigh_kind. */
extern const char *const pmnl_neigh_kind_names[PMESH_NEIGH_KIND_LEARNED + 1];
/* The names of enum pmesh_broadcast. */
extern const char *const pmnl_broadcast_names[PMESH_BROADCAST_TREE + 1];
/* The names of the stats attributes. */
extern const char *const pmnl_stats_names[PMESH_A_STATS_MAX + 1];
/* The names of the neigh-stats attributes. */
extern const char *const pmnl_neigh_stats_names[PMESH_A_NEIGH_STATS_MAX + 1];
/* The names of the neigh attributes. */
extern const char *const pmnl_neigh_attr_names[PMESH_A_NEIGH_MAX + 1];
/* The names of the link attributes. */
extern const char *const pmnl_link_attr_names[PMESH_A_LINK_MAX + 1];
/* The names of the node attributes. */
extern const char *const pmnl_node_attr_names[PMESH_A_NODE_MAX + 1];
/* The names of the mesh attributes. */
extern const char *const pmnl_mesh_attr_names[PMESH_A_MESH_MAX + 1];
/* The names of the commands and notifications. */
extern const char *const pmnl_cmd_names[PMESH_CMD_MAX + 1];
/* The names of the notifications of the events group, without "-ntf". */
extern const char *const pmnl_event_names[PMESH_CMD_MAX + 1];

#endif
