// SPDX-License-Identifier: GPL-2.0
/*
 * Receiving a frame from a neighbour, on any bearer: check it, drop what was
 * seen before, deliver a datagram to the local sockets of its channel, take
 * in a hello or an announcement, and flood what is new on with one hop less.
 * Runs in softirq under RCU; the only lock a datagram takes is its origin's.
 */
#include "core/frame.h"
#include "datapath.h"
#include "hello.h"
#include "mesh.h"
#include "node.h"
#include "neigh.h"
#include "origin.h"

/* Whether the mesh has a neighbour but the one a frame came from. */
static bool pmesh_has_others(struct pmesh_mesh *mesh)
{
	return READ_ONCE(mesh->peers.count) + READ_ONCE(mesh->links.count) > 1;
}

/* Whether a frame may go on to a neighbour other than the one it came from. */
static bool pmesh_may_forward(struct pmesh_mesh *mesh,
			      const struct pmesh_frame *f)
{
	return f->ttl > 1 && pmesh_has_others(mesh);
}

/*
 * Rewrite the per-hop fields once, before any clone shares the data: local
 * sockets read only the payload, every neighbour gets the same header. What
 * this node sends on is always a version 1 header; *@hdr_len becomes its
 * length.
 */
static int pmesh_forward_prepare(struct pmesh_mesh *mesh, struct sk_buff *skb,
				 const struct pmesh_frame *f,
				 unsigned int *hdr_len)
{
	if (skb_ensure_writable(skb, f->hdr_len))
		return -ENOMEM;
	*hdr_len = f->hdr_len;
	if (f->hdr_len > PMESH_HDR_LEN) {
		memmove(skb->data + f->hdr_len - PMESH_HDR_LEN, skb->data,
			PMESH_HDR_LEN);
		__skb_pull(skb, f->hdr_len - PMESH_HDR_LEN);
		skb->data[3] = PMESH_HDR_LEN / 4;
		*hdr_len = PMESH_HDR_LEN;
	}
	pmesh_frame_set_hop(skb->data, f->ttl - 1, f->hops + 1, mesh->node_id);
	return 0;
}

/* A hello: the sender is alive; it goes no further. Consumes @skb. */
static void pmesh_receive_hello(struct pmesh_mesh *mesh,
				struct pmesh_neigh *from, struct sk_buff *skb,
				const struct pmesh_frame *f)
{
	u32 hello_ms, dead_ms;

	if (!pskb_may_pull(skb, f->hdr_len + f->len) ||
	    pmesh_hello_parse(skb->data + f->hdr_len, f->len, &hello_ms,
			      &dead_ms) != PMESH_FRAME_OK ||
	    f->sender != f->origin) {
		pmesh_count(mesh, PMESH_A_STATS_MALFORMED);
		kfree_skb(skb);
		return;
	}
	pmesh_neigh_hello(from, dead_ms);
	pmesh_neigh_heard(from, f);
	consume_skb(skb);
}

/* An announcement: news goes into the membership table and on. Consumes. */
static void pmesh_receive_announce(struct pmesh_mesh *mesh,
				   struct pmesh_neigh *from, struct sk_buff *skb,
				   const struct pmesh_frame *f)
{
	struct pmesh_announce a;
	unsigned int hdr_len;

	if (!pskb_may_pull(skb, f->hdr_len + f->len) ||
	    pmesh_announce_parse(skb->data + f->hdr_len, f->len,
				 &a) != PMESH_FRAME_OK) {
		pmesh_count(mesh, PMESH_A_STATS_MALFORMED);
		goto drop;
	}
	pmesh_neigh_heard(from, f);

	switch (pmesh_node_rx(mesh, f, &a)) {
	case PMESH_NODE_NEW:
		break;
	case PMESH_NODE_FULL:
		pmesh_count(mesh, PMESH_A_STATS_NODE_DROPS);
		goto drop;
	case PMESH_NODE_DUP:
	case PMESH_NODE_IGNORE:
		consume_skb(skb);
		return;
	}

	if (a.flags & PMESH_ANNOUNCE_GOODBYE && f->sender == f->origin) {
		/* The neighbour itself leaves: report it down now. */
		pmesh_neigh_goodbye(from);
		pmesh_hello_kick(mesh);
	}
	if (!pmesh_may_forward(mesh, f) ||
	    pmesh_forward_prepare(mesh, skb, f, &hdr_len)) {
		consume_skb(skb);
		return;
	}
	pmesh_flood(mesh, skb, from, PMESH_FLOOD_CTL);
	return;

drop:
	kfree_skb(skb);
}

/**
 * pmesh_receive() - take a frame from a neighbour
 * @mesh: the mesh
 * @from: the neighbour it came from: a UDP peer or an Ethernet station
 * @skb: the frame, skb->data at its pmesh header; consumed
 *
 * Context: softirq, under rcu_read_lock().
 */
void pmesh_receive(struct pmesh_mesh *mesh, struct pmesh_neigh *from,
		   struct sk_buff *skb)
{
	unsigned int hdr_len;
	struct pmesh_frame f;
	bool forward;

	pmesh_neigh_count(from, true, skb->len);

	if (!pskb_may_pull(skb, PMESH_HDR_LEN) ||
	    pmesh_frame_parse(skb->data, skb->len, &f) != PMESH_FRAME_OK ||
	    f.mesh != mesh->id)
		goto malformed;
	if (f.type != PMESH_TYPE_DATA) {
		pmesh_count(mesh, PMESH_A_STATS_CTL_RX_FRAMES);
		pmesh_count_add(mesh, PMESH_A_STATS_CTL_RX_BYTES, skb->len);
	}

	if (f.origin == mesh->node_id) {
		if (!pmesh_send_is_echo(mesh, &f))
			goto malformed;
		if (f.type != PMESH_TYPE_DATA) {
			consume_skb(skb);
			return;
		}
		goto duplicate;
	}
	if (f.type == PMESH_TYPE_HELLO) {
		pmesh_receive_hello(mesh, from, skb, &f);
		return;
	}
	if (f.type == PMESH_TYPE_ANNOUNCE) {
		pmesh_receive_announce(mesh, from, skb, &f);
		return;
	}

	if (f.len > READ_ONCE(mesh->max_dgram)) {
		/* More than this node takes, so more than it passes on. */
		pmesh_count(mesh, PMESH_A_STATS_TOO_BIG);
		goto drop;
	}
	pmesh_neigh_heard(from, &f);
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

	/* With no neighbour to send it to, the frame itself goes to a socket. */
	hdr_len = f.hdr_len;
	forward = pmesh_may_forward(mesh, &f);
	if (forward) {
		if (pmesh_forward_prepare(mesh, skb, &f, &hdr_len))
			goto drop;
	} else if (!pskb_may_pull(skb, hdr_len)) {
		goto drop;
	}

	pmesh_skb_cb_fill(skb, &f, f.hops);

	if (forward) {
		pmesh_sock_deliver(mesh, skb, hdr_len, false);
		pmesh_flood(mesh, skb, from, PMESH_FLOOD_FWD);
		return;
	}
	if (f.ttl == 1 && pmesh_has_others(mesh))
		pmesh_count(mesh, PMESH_A_STATS_HOP_EXPIRED);
	if (!pmesh_sock_deliver(mesh, skb, hdr_len, true))
		consume_skb(skb);
	return;

duplicate:
	pmesh_count(mesh, PMESH_A_STATS_DUPLICATES);
	pmesh_neigh_count_dup(from);
	goto drop;
malformed:
	pmesh_count(mesh, PMESH_A_STATS_MALFORMED);
drop:
	kfree_skb(skb);
}
