// SPDX-License-Identifier: GPL-2.0
/*
 * Receiving a frame from a neighbour: check it, drop what was seen before,
 * deliver it to the local sockets of its channel and flood it on with one
 * hop less. Runs in softirq from the UDP bearer's encap hook, under RCU;
 * the only lock taken is the frame's origin's.
 */
#include <linux/udp.h>

#include "core/frame.h"
#include "datapath.h"
#include "mesh.h"
#include "origin.h"
#include "peer.h"

/*
 * A frame that says it comes from this node: either a copy of one of our
 * own datagrams that went round a loop, or a forgery.
 */
static bool pmesh_own_echo(struct pmesh_mesh *mesh, const struct pmesh_frame *f)
{
	return f->epoch == mesh->epoch &&
	       f->seq <= (u64)atomic64_read(&mesh->seq);
}

/* A good frame came from @from: it is alive, and this is its node id. */
static void pmesh_heard(struct pmesh_peer *from, const struct pmesh_frame *f)
{
	WRITE_ONCE(from->node_id, f->sender);
	WRITE_ONCE(from->last_rx, jiffies);
}

/**
 * pmesh_receive() - take a frame from the UDP bearer
 * @mesh: the mesh whose socket it arrived on
 * @skb: the frame, skb->data at its UDP header; consumed
 *
 * Context: softirq, under rcu_read_lock().
 */
void pmesh_receive(struct pmesh_mesh *mesh, struct sk_buff *skb)
{
	struct pmesh_peer *from;
	unsigned int hdr_len;
	struct pmesh_frame f;
	bool forward;

	from = pmesh_peer_from_skb(mesh, skb);
	if (!from) {
		pmesh_count(mesh, PMESH_A_STATS_UNKNOWN_PEER);
		goto drop;
	}
	pmesh_peer_count(from, true, skb->len - sizeof(struct udphdr));

	if (!pskb_may_pull(skb, sizeof(struct udphdr) + PMESH_HDR_LEN))
		goto malformed;
	__skb_pull(skb, sizeof(struct udphdr));
	if (pmesh_frame_parse(skb->data, skb->len, &f) != PMESH_FRAME_OK ||
	    f.mesh != mesh->id)
		goto malformed;

	if (f.origin == mesh->node_id) {
		if (f.type != PMESH_TYPE_DATA || !pmesh_own_echo(mesh, &f))
			goto malformed;
		goto duplicate;
	}
	if (f.type == PMESH_TYPE_HELLO) {
		u32 hello_ms, dead_ms;

		/* It has done its work: the sender was heard. */
		if (!pskb_may_pull(skb, f.hdr_len + f.len) ||
		    pmesh_hello_parse(skb->data + f.hdr_len, f.len, &hello_ms,
				      &dead_ms) != PMESH_FRAME_OK)
			goto malformed;
		WRITE_ONCE(from->dead_ms, dead_ms);
		pmesh_heard(from, &f);
		consume_skb(skb);
		return;
	}
	pmesh_heard(from, &f);
	pmesh_count(mesh, PMESH_A_STATS_RECEIVED);
	switch (pmesh_origin_check(&mesh->origins, f.origin, f.epoch, f.seq)) {
	case PMESH_ORIGIN_NEW:
		break;
	case PMESH_ORIGIN_DUP:
		goto duplicate;
	case PMESH_ORIGIN_FULL:
		pmesh_count(mesh, PMESH_A_STATS_ORIGIN_DROPS);
		goto drop;
	}

	/*
	 * Rewrite the per-hop fields once, before any clone shares the data:
	 * local sockets read only the payload, every neighbour gets the same
	 * header. What this node sends on is always a version 1 header. With
	 * no neighbour to send it to, the frame itself goes to a local socket.
	 */
	hdr_len = f.hdr_len;
	forward = f.ttl > 1 && READ_ONCE(mesh->n_peers) > 1;
	if (forward) {
		if (skb_ensure_writable(skb, hdr_len))
			goto drop;
		if (hdr_len > PMESH_HDR_LEN) {
			memmove(skb->data + hdr_len - PMESH_HDR_LEN, skb->data,
				PMESH_HDR_LEN);
			__skb_pull(skb, hdr_len - PMESH_HDR_LEN);
			skb->data[3] = PMESH_HDR_LEN / 4;
			hdr_len = PMESH_HDR_LEN;
		}
		pmesh_frame_set_hop(skb->data, f.ttl - 1, f.hops + 1,
				    mesh->node_id);
	} else if (!pskb_may_pull(skb, hdr_len)) {
		goto drop;
	}

	pmesh_skb_cb_fill(skb, &f, f.hops);

	if (forward) {
		pmesh_sock_deliver(mesh, skb, hdr_len, false);
		pmesh_flood(mesh, skb, from, true);
		return;
	}
	if (f.ttl == 1 && READ_ONCE(mesh->n_peers) > 1)
		pmesh_count(mesh, PMESH_A_STATS_HOP_EXPIRED);
	if (!pmesh_sock_deliver(mesh, skb, hdr_len, true))
		consume_skb(skb);
	return;

duplicate:
	pmesh_count(mesh, PMESH_A_STATS_DUPLICATES);
	pmesh_peer_count_dup(from);
	goto drop;
malformed:
	pmesh_count(mesh, PMESH_A_STATS_MALFORMED);
drop:
	kfree_skb(skb);
}
