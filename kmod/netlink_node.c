// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink side of membership: the node-get dump and the node-join and
 * node-leave events.
 */
#include <linux/jiffies.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "mesh.h"
#include "netlink.h"
#include "node.h"
#include "pmesh_nl_gen.h"

/**
 * struct pmesh_nl_node - one row of the membership view
 * @id: the node
 * @hops: its distance
 * @state: PMESH_NODE_STATE_*
 * @last_ms: milliseconds since its latest announcement (not for self)
 * @interval_ms: its announcement interval
 * @timeout_ms: its timeout
 */
struct pmesh_nl_node {
	u64 id;
	u8 hops;
	u8 state;
	u32 last_ms;
	u32 interval_ms;
	u32 timeout_ms;
};

static int pmesh_nl_fill_node(struct sk_buff *skb, u32 mesh_id,
			      const struct pmesh_nl_node *n, u32 portid,
			      u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &pmesh_nl_family, flags,
			  PMESH_CMD_NODE_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, PMESH_A_NODE_MESH_ID, mesh_id) ||
	    nla_put_u64_64bit(skb, PMESH_A_NODE_NODE_ID, n->id,
			      PMESH_A_NODE_PAD) ||
	    nla_put_u8(skb, PMESH_A_NODE_HOPS, n->hops) ||
	    (n->state != PMESH_NODE_STATE_SELF &&
	     nla_put_u32(skb, PMESH_A_NODE_LAST_HEARD, n->last_ms)) ||
	    nla_put_u8(skb, PMESH_A_NODE_STATE, n->state) ||
	    nla_put_u32(skb, PMESH_A_NODE_INTERVAL, n->interval_ms) ||
	    nla_put_u32(skb, PMESH_A_NODE_TIMEOUT, n->timeout_ms)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* A table entry as a row; stale once overdue by more than its interval. */
static void pmesh_nl_node_row(const struct pmesh_node *node,
			      struct pmesh_nl_node *n)
{
	u32 last = jiffies_to_msecs(jiffies - READ_ONCE(node->last_heard));

	n->id = node->id;
	n->hops = READ_ONCE(node->hops);
	n->last_ms = last;
	n->interval_ms = READ_ONCE(node->interval_ms);
	n->timeout_ms = READ_ONCE(node->timeout_ms);
	n->state = last > 2ULL * n->interval_ms ? PMESH_NODE_STATE_STALE :
						  PMESH_NODE_STATE_UP;
}

/*
 * A mesh's view: this node (group 0), then the table, bucket by bucket
 * (group: the bucket's index + 1), each bucket in increasing order of id.
 */
static int pmesh_nl_dump_nodes(struct sk_buff *skb, struct netlink_callback *cb,
			       struct pmesh_mesh *mesh,
			       struct pmesh_nl_cursor *cur)
{
	u32 portid = NETLINK_CB(cb->skb).portid;
	u32 seq = cb->nlh->nlmsg_seq;
	struct pmesh_node *node;
	struct pmesh_nl_node n;
	int bkt, err;

	if (!pmesh_nl_cursor_done(cur, 0, 1)) {
		n = (struct pmesh_nl_node){
			.id = mesh->node_id,
			.state = PMESH_NODE_STATE_SELF,
			.interval_ms = pmesh_announce_interval(mesh),
		};
		n.timeout_ms = n.interval_ms * PMESH_ANNOUNCE_TIMEOUT_MULT;
		err = pmesh_nl_fill_node(skb, mesh->id, &n, portid, seq,
					 NLM_F_MULTI);
		if (err)
			return err;
		pmesh_nl_cursor_set(cur, 0, 1);
	}
	hash_for_each_rcu(mesh->nodes.hash, bkt, node, hnode) {
		/* Pairs with the release in pmesh_node_rx(): fields set. */
		if (smp_load_acquire(&node->gone) ||
		    pmesh_nl_cursor_done(cur, bkt + 1, node->id))
			continue;
		pmesh_nl_node_row(node, &n);
		err = pmesh_nl_fill_node(skb, mesh->id, &n, portid, seq,
					 NLM_F_MULTI);
		if (err)
			return err;
		pmesh_nl_cursor_set(cur, bkt + 1, node->id);
	}
	return 0;
}

int pmesh_nl_node_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);

	return pmesh_nl_dump_meshes(skb, cb, info->attrs[PMESH_A_NODE_MESH_ID],
				    pmesh_nl_dump_nodes);
}

/**
 * pmesh_nl_notify_node() - report a node joining or leaving
 * @mesh: the mesh
 * @ev: what happened
 * @gfp: allocation flags for the context
 */
void pmesh_nl_notify_node(struct pmesh_mesh *mesh,
			  const struct pmesh_node_event *ev, gfp_t gfp)
{
	u8 cmd = ev->join ? PMESH_CMD_NODE_JOIN_NTF : PMESH_CMD_NODE_LEAVE_NTF;
	struct sk_buff *skb;
	void *hdr;

	if (!pmesh_nl_listening(mesh->net))
		return;
	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, gfp);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &pmesh_nl_family, 0, cmd);
	if (!hdr ||
	    nla_put_u32(skb, PMESH_A_NODE_MESH_ID, mesh->id) ||
	    nla_put_u64_64bit(skb, PMESH_A_NODE_NODE_ID, ev->id,
			      PMESH_A_NODE_PAD) ||
	    nla_put_u8(skb, PMESH_A_NODE_HOPS, ev->hops) ||
	    (ev->join &&
	     (nla_put_u8(skb, PMESH_A_NODE_STATE, PMESH_NODE_STATE_UP) ||
	      nla_put_u32(skb, PMESH_A_NODE_LAST_HEARD, 0) ||
	      nla_put_u32(skb, PMESH_A_NODE_INTERVAL, ev->interval_ms) ||
	      nla_put_u32(skb, PMESH_A_NODE_TIMEOUT, ev->timeout_ms))) ||
	    (!ev->join && nla_put_u8(skb, PMESH_A_NODE_REASON, ev->reason))) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&pmesh_nl_family, mesh->net, skb, 0,
				PMESH_NLGRP_EVENTS, gfp);
}
