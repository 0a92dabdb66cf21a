/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/pmesh.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_PMESH_GEN_H
#define _LINUX_PMESH_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/pmesh_netlink.h>

int pmesh_nl_pre_doit_lock(const struct genl_split_ops *ops,
			   struct sk_buff *skb, struct genl_info *info);
int pmesh_nl_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		      struct genl_info *info);
void
pmesh_nl_post_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		   struct genl_info *info);

int pmesh_nl_mesh_new_doit(struct sk_buff *skb, struct genl_info *info);
int pmesh_nl_mesh_del_doit(struct sk_buff *skb, struct genl_info *info);
int pmesh_nl_mesh_set_doit(struct sk_buff *skb, struct genl_info *info);
int pmesh_nl_mesh_get_doit(struct sk_buff *skb, struct genl_info *info);
int pmesh_nl_mesh_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pmesh_nl_peer_new_doit(struct sk_buff *skb, struct genl_info *info);
int pmesh_nl_peer_del_doit(struct sk_buff *skb, struct genl_info *info);
int pmesh_nl_neigh_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pmesh_nl_link_new_doit(struct sk_buff *skb, struct genl_info *info);
int pmesh_nl_link_del_doit(struct sk_buff *skb, struct genl_info *info);
int pmesh_nl_link_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pmesh_nl_node_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

enum {
	PMESH_NLGRP_EVENTS,
};

extern struct genl_family pmesh_nl_family;

#endif /* _LINUX_PMESH_GEN_H */
