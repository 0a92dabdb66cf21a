// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink handlers of neighbours: peer-new and peer-del (static UDP
 * peers), the neigh-get dump of every neighbour, on any bearer, and the
 * neigh-up and neigh-down events.
 */
#include <linux/jiffies.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "link.h"
#include "mesh.h"
#include "neigh.h"
#include "netlink.h"
#include "peer.h"
#include "pmesh_nl_gen.h"

/* The peer endpoint a peer-new or peer-del request names. */
static int pmesh_nl_peer_addr(struct genl_info *info, union pmesh_addr *addr)
{
	struct nlattr *a = info->attrs[PMESH_A_NEIGH_ADDR];
	__be16 port;

	if (GENL_REQ_ATTR_CHECK(info, PMESH_A_NEIGH_ADDR) ||
	    GENL_REQ_ATTR_CHECK(info, PMESH_A_NEIGH_PORT))
		return -EINVAL;

	memset(addr, 0, sizeof(*addr));
	port = htons(nla_get_u16(info->attrs[PMESH_A_NEIGH_PORT]));
	if (nla_len(a) == sizeof(struct in_addr)) {
		addr->sin.sin_family = AF_INET;
		addr->sin.sin_port = port;
		memcpy(&addr->sin.sin_addr, nla_data(a), sizeof(struct in_addr));
		if (ipv4_is_zeronet(addr->sin.sin_addr.s_addr) ||
		    ipv4_is_multicast(addr->sin.sin_addr.s_addr) ||
		    ipv4_is_lbcast(addr->sin.sin_addr.s_addr)) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "not a unicast IPv4 address");
			return -EINVAL;
		}
	} else if (nla_len(a) == sizeof(struct in6_addr)) {
		int type;

		addr->sin6.sin6_family = AF_INET6;
		addr->sin6.sin6_port = port;
		memcpy(&addr->sin6.sin6_addr, nla_data(a), sizeof(struct in6_addr));
		type = ipv6_addr_type(&addr->sin6.sin6_addr);
		if (type == IPV6_ADDR_ANY || type & IPV6_ADDR_MULTICAST) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "not a unicast IPv6 address");
			return -EINVAL;
		}
		if (type & IPV6_ADDR_LINKLOCAL) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "link-local peers are not supported");
			return -EINVAL;
		}
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "address must be 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	return 0;
}

int pmesh_nl_peer_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	union pmesh_addr addr;

	return pmesh_nl_peer_addr(info, &addr) ?:
	       pmesh_peer_add(info->user_ptr[0], &addr, info->extack);
}

int pmesh_nl_peer_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	union pmesh_addr addr;

	return pmesh_nl_peer_addr(info, &addr) ?:
	       pmesh_peer_del(info->user_ptr[0], &addr, info->extack);
}

static int pmesh_nl_fill_neigh(struct sk_buff *skb, const struct pmesh_mesh *mesh,
			       const struct pmesh_neigh *peer, u32 portid,
			       u32 seq, int flags, u8 cmd)
{
	unsigned long last_rx = READ_ONCE(peer->last_rx);
	u64 node_id = READ_ONCE(peer->node_id);
	struct pmesh_neigh_totals t;
	struct nlattr *nest;
	void *hdr;
	int err;

	hdr = genlmsg_put(skb, portid, seq, &pmesh_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;

	if (peer->link)
		err = nla_put_u32(skb, PMESH_A_NEIGH_IFINDEX,
				  peer->link->dev->ifindex) ||
		      nla_put(skb, PMESH_A_NEIGH_LLADDR, ETH_ALEN, peer->lladdr);
	else if (peer->addr.sa.sa_family == AF_INET)
		err = nla_put_in_addr(skb, PMESH_A_NEIGH_ADDR,
				      peer->addr.sin.sin_addr.s_addr) ||
		      nla_put_u16(skb, PMESH_A_NEIGH_PORT,
				  ntohs(peer->addr.sin.sin_port));
	else
		err = nla_put_in6_addr(skb, PMESH_A_NEIGH_ADDR,
				       &peer->addr.sin6.sin6_addr) ||
		      nla_put_u16(skb, PMESH_A_NEIGH_PORT,
				  ntohs(peer->addr.sin6.sin6_port));
	if (err ||
	    nla_put_u32(skb, PMESH_A_NEIGH_MESH_ID, mesh->id) ||
	    (node_id && nla_put_u64_64bit(skb, PMESH_A_NEIGH_NODE_ID, node_id,
					  PMESH_A_NEIGH_PAD)) ||
	    (last_rx && nla_put_u32(skb, PMESH_A_NEIGH_LAST_HEARD,
				    jiffies_to_msecs(jiffies - last_rx))) ||
	    nla_put_u8(skb, PMESH_A_NEIGH_STATE,
		       pmesh_neigh_is_up(peer) ? PMESH_NEIGH_STATE_UP :
						 PMESH_NEIGH_STATE_DOWN) ||
	    nla_put_u8(skb, PMESH_A_NEIGH_KIND,
		       peer->link ? PMESH_NEIGH_KIND_STATION :
		       peer->learned ? PMESH_NEIGH_KIND_LEARNED :
				       PMESH_NEIGH_KIND_CONFIGURED))
		goto cancel;

	pmesh_neigh_totals(peer, &t);
	if (peer->link) {
		/* A station got every frame broadcast since it was found. */
		struct pmesh_neigh_totals tx;

		pmesh_link_tx_totals(peer->link, &tx);
		t.tx_frames = tx.tx_frames - peer->tx_base.tx_frames;
		t.tx_bytes = tx.tx_bytes - peer->tx_base.tx_bytes;
	}
	nest = nla_nest_start(skb, PMESH_A_NEIGH_STATS);
	if (!nest ||
	    nla_put_uint(skb, PMESH_A_NEIGH_STATS_RX_FRAMES, t.rx_frames) ||
	    nla_put_uint(skb, PMESH_A_NEIGH_STATS_RX_BYTES, t.rx_bytes) ||
	    nla_put_uint(skb, PMESH_A_NEIGH_STATS_TX_FRAMES, t.tx_frames) ||
	    nla_put_uint(skb, PMESH_A_NEIGH_STATS_TX_BYTES, t.tx_bytes) ||
	    nla_put_uint(skb, PMESH_A_NEIGH_STATS_DUPLICATES, t.duplicates) ||
	    nla_put_uint(skb, PMESH_A_NEIGH_STATS_AUTH_FAIL, t.auth_fail) ||
	    nla_put_uint(skb, PMESH_A_NEIGH_STATS_FIRSTS, t.firsts) ||
	    nla_put_uint(skb, PMESH_A_NEIGH_STATS_IHAVE, t.ihave) ||
	    nla_put_uint(skb, PMESH_A_NEIGH_STATS_GRAFTS, t.grafts) ||
	    nla_put_uint(skb, PMESH_A_NEIGH_STATS_PRUNES, t.prunes))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/**
 * pmesh_nl_notify_neigh() - report a neighbour up or down
 * @mesh: its mesh
 * @peer: the neighbour, its state already updated
 * @up: which
 *
 * Context: may be atomic (under rcu_read_lock()).
 */
void pmesh_nl_notify_neigh(struct pmesh_mesh *mesh, struct pmesh_neigh *peer,
			   bool up)
{
	struct sk_buff *skb;

	if (!pmesh_nl_listening(mesh->net))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!skb)
		return;
	if (pmesh_nl_fill_neigh(skb, mesh, peer, 0, 0, 0,
				up ? PMESH_CMD_NEIGH_UP_NTF :
				     PMESH_CMD_NEIGH_DOWN_NTF)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&pmesh_nl_family, mesh->net, skb, 0,
				PMESH_NLGRP_EVENTS, GFP_ATOMIC);
}

static int pmesh_nl_dump_neigh(struct sk_buff *skb, struct netlink_callback *cb,
			       const struct pmesh_mesh *mesh,
			       const struct pmesh_neigh *peer)
{
	return pmesh_nl_fill_neigh(skb, mesh, peer, NETLINK_CB(cb->skb).portid,
				   cb->nlh->nlmsg_seq, NLM_F_MULTI,
				   PMESH_CMD_NEIGH_GET);
}

/*
 * A mesh's neighbours: its UDP peers (group 0), then each link's stations
 * (the link's id as group). Lists are in the order entries were added,
 * which is the order of their ids.
 */
static int pmesh_nl_dump_neighs(struct sk_buff *skb, struct netlink_callback *cb,
				struct pmesh_mesh *mesh,
				struct pmesh_nl_cursor *cur)
{
	struct pmesh_link *link;
	struct pmesh_neigh *peer;
	int err;

	list_for_each_entry_rcu(peer, &mesh->peers.list, list) {
		if (pmesh_nl_cursor_done(cur, 0, peer->id))
			continue;
		err = pmesh_nl_dump_neigh(skb, cb, mesh, peer);
		if (err)
			return err;
		pmesh_nl_cursor_set(cur, 0, peer->id);
	}
	list_for_each_entry_rcu(link, &mesh->links.list, list) {
		list_for_each_entry_rcu(peer, &link->neighs, list) {
			if (pmesh_nl_cursor_done(cur, link->id, peer->id))
				continue;
			err = pmesh_nl_dump_neigh(skb, cb, mesh, peer);
			if (err)
				return err;
			pmesh_nl_cursor_set(cur, link->id, peer->id);
		}
	}
	return 0;
}

int pmesh_nl_neigh_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);

	return pmesh_nl_dump_meshes(skb, cb, info->attrs[PMESH_A_NEIGH_MESH_ID],
				    pmesh_nl_dump_neighs);
}
