// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink handlers of the Ethernet bearer: link-new, link-del, link-get and
 * the link-add and link-del events.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "link.h"
#include "mesh.h"
#include "neigh.h"
#include "netlink.h"
#include "pmesh_nl_gen.h"

static int pmesh_nl_fill_link(struct sk_buff *skb, const struct pmesh_link *link,
			      u32 portid, u32 seq, int flags, u8 cmd)
{
	const struct net_device *dev = link->dev;
	struct pmesh_neigh_totals t;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &pmesh_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	pmesh_link_tx_totals(link, &t);
	if (nla_put_u32(skb, PMESH_A_LINK_MESH_ID, link->mesh->id) ||
	    nla_put_u32(skb, PMESH_A_LINK_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, PMESH_A_LINK_IFNAME, dev->name) ||
	    nla_put_u32(skb, PMESH_A_LINK_MTU, READ_ONCE(dev->mtu)) ||
	    nla_put_u32(skb, PMESH_A_LINK_NEIGHS, READ_ONCE(link->n_neighs)) ||
	    nla_put_u8(skb, PMESH_A_LINK_OPER_UP,
		       netif_running(dev) && netif_carrier_ok(dev)) ||
	    nla_put_uint(skb, PMESH_A_LINK_TX_FRAMES, t.tx_frames) ||
	    nla_put_uint(skb, PMESH_A_LINK_TX_BYTES, t.tx_bytes) ||
	    nla_put_uint(skb, PMESH_A_LINK_AUTH_FAIL, t.auth_fail)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * pmesh_nl_notify_link() - report a link added or removed
 * @link: the link, its device still held
 * @cmd: PMESH_CMD_LINK_ADD_NTF or PMESH_CMD_LINK_DEL_NTF
 *
 * Context: process context.
 */
void pmesh_nl_notify_link(struct pmesh_link *link, u8 cmd)
{
	struct net *net = link->mesh->net;
	struct sk_buff *skb;

	if (!pmesh_nl_listening(net))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (pmesh_nl_fill_link(skb, link, 0, 0, 0, cmd)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&pmesh_nl_family, net, skb, 0,
				PMESH_NLGRP_EVENTS, GFP_KERNEL);
}

/* The device a link request names, by index or name. Under RTNL. */
static struct net_device *pmesh_nl_link_dev(struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nlattr **tb = info->attrs;
	struct net_device *dev;
	char name[IFNAMSIZ];

	if (tb[PMESH_A_LINK_IFINDEX]) {
		dev = __dev_get_by_index(net, nla_get_u32(tb[PMESH_A_LINK_IFINDEX]));
		if (!dev)
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, tb[PMESH_A_LINK_IFINDEX],
						"no device with index %u in this namespace",
						nla_get_u32(tb[PMESH_A_LINK_IFINDEX]));
	} else if (tb[PMESH_A_LINK_IFNAME]) {
		nla_strscpy(name, tb[PMESH_A_LINK_IFNAME], sizeof(name));
		dev = __dev_get_by_name(net, name);
		if (!dev)
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, tb[PMESH_A_LINK_IFNAME],
						"no device %s in this namespace",
						name);
	} else {
		NL_SET_ERR_MSG(info->extack, "a device is needed: ifindex or ifname");
		return ERR_PTR(-EINVAL);
	}
	return dev ?: ERR_PTR(-ENODEV);
}

/* link-new and link-del: find the device, then @op the link. */
static int pmesh_nl_link_op(struct genl_info *info,
			    int (*op)(struct pmesh_mesh *mesh,
				      struct net_device *dev,
				      struct netlink_ext_ack *extack))
{
	struct net_device *dev = pmesh_nl_link_dev(info);

	if (IS_ERR(dev))
		return PTR_ERR(dev);
	return op(info->user_ptr[0], dev, info->extack);
}

int pmesh_nl_link_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return pmesh_nl_link_op(info, pmesh_link_add);
}

int pmesh_nl_link_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return pmesh_nl_link_op(info, pmesh_link_del);
}

/* A mesh's links. */
static int pmesh_nl_dump_links(struct sk_buff *skb, struct netlink_callback *cb,
			       struct pmesh_mesh *mesh,
			       struct pmesh_nl_cursor *cur)
{
	struct pmesh_link *link;
	int err;

	/* In the order they were added, which is the order of their ids. */
	list_for_each_entry_rcu(link, &mesh->links.list, list) {
		if (pmesh_nl_cursor_done(cur, 0, link->id))
			continue;
		err = pmesh_nl_fill_link(skb, link, NETLINK_CB(cb->skb).portid,
					 cb->nlh->nlmsg_seq, NLM_F_MULTI,
					 PMESH_CMD_LINK_GET);
		if (err)
			return err;
		pmesh_nl_cursor_set(cur, 0, link->id);
	}
	return 0;
}

int pmesh_nl_link_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);

	return pmesh_nl_dump_meshes(skb, cb, info->attrs[PMESH_A_LINK_MESH_ID],
				    pmesh_nl_dump_links);
}
