/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "pmesh" generic netlink family. The rest of the module calls it only
 * to report events.
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
struct pmesh_neigh;
struct pmesh_node_event;

void pmesh_nl_notify_neigh(struct pmesh_mesh *mesh, struct pmesh_neigh *n,
			   bool up);
void pmesh_nl_notify_link(struct pmesh_link *link, u8 cmd);
void pmesh_nl_notify_node(struct pmesh_mesh *mesh,
			  const struct pmesh_node_event *ev, gfp_t gfp);
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
