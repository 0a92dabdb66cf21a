/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "pmesh" generic netlink family.
 */
#ifndef _PMESH_NETLINK_H
#define _PMESH_NETLINK_H

#include <linux/types.h>

struct genl_info;
struct net;
struct netlink_callback;
struct nlattr;
struct sk_buff;
struct pmesh_link;
struct pmesh_mesh;
struct pmesh_peer;

/**
 * struct pmesh_node_event - a node joining or leaving, to be reported
 * @id: the node
 * @hops: its distance
 * @interval_ms: its announcement interval
 * @timeout_ms: its timeout
 * @join: joined, or left
 * @reason: why it left, PMESH_LEAVE_REASON_*
 */
struct pmesh_node_event {
	u64 id;
	u8 hops;
	u32 interval_ms;
	u32 timeout_ms;
	bool join;
	u8 reason;
};

void pmesh_nl_notify_neigh(struct pmesh_mesh *mesh, struct pmesh_peer *peer,
			   bool up);
void pmesh_nl_notify_link(struct pmesh_link *link, u8 cmd);
void pmesh_nl_notify_node(struct pmesh_mesh *mesh,
			  const struct pmesh_node_event *ev, gfp_t gfp);
struct pmesh_mesh *pmesh_nl_mesh_locked(struct genl_info *info, int type);
bool pmesh_nl_listening(struct net *net);
int pmesh_nl_dump_meshes(struct sk_buff *skb, struct netlink_callback *cb,
			 const struct nlattr *filter,
			 int (*dump)(struct sk_buff *skb,
				     struct netlink_callback *cb,
				     struct pmesh_mesh *mesh,
				     unsigned int *index));
int pmesh_nl_init(void);
void pmesh_nl_exit(void);

#endif /* _PMESH_NETLINK_H */
