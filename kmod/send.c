// SPDX-License-Identifier: GPL-2.0
/*
 * Flooding a frame to the neighbours of a mesh: to every UDP peer but the
 * one it came from, and once onto every Ethernet link but the one it came
 * in on. The last target gets the frame itself, the others clones.
 */
#include "datapath.h"
#include "link.h"
#include "mesh.h"
#include "peer.h"
#include "udp.h"

/**
 * struct pmesh_target - where one copy of a flooded frame goes
 * @peer: a UDP peer, or NULL
 * @link: an Ethernet link, when @peer is NULL
 */
struct pmesh_target {
	struct pmesh_peer *peer;
	struct pmesh_link *link;
};

static void pmesh_flood_one(struct pmesh_mesh *mesh,
			    const struct pmesh_target *t, struct sk_buff *skb,
			    unsigned int how)
{
	unsigned int len = skb->len;

	if (t->peer)
		pmesh_udp_xmit(mesh, t->peer, skb);
	else
		pmesh_link_xmit(mesh, t->link, skb);
	if (how & PMESH_FLOOD_FWD) {
		pmesh_count(mesh, PMESH_A_STATS_FORWARDED);
	} else if (how & PMESH_FLOOD_CTL) {
		pmesh_count(mesh, PMESH_A_STATS_CTL_TX_FRAMES);
		pmesh_count_add(mesh, PMESH_A_STATS_CTL_TX_BYTES, len);
	}
}

/* Send a clone to the previous target, if any; @next becomes it. */
static void pmesh_flood_step(struct pmesh_mesh *mesh, struct pmesh_target *prev,
			     const struct pmesh_target *next,
			     struct sk_buff *skb, unsigned int how)
{
	struct sk_buff *copy;

	if (prev->peer || prev->link) {
		copy = skb_clone(skb, GFP_ATOMIC);
		if (copy)
			pmesh_flood_one(mesh, prev, copy, how);
	}
	*prev = *next;
}

/**
 * pmesh_flood() - send a frame to every neighbour but one
 * @mesh: the mesh
 * @skb: the frame, skb->data at its pmesh header; consumed
 * @except: the neighbour it came from (a UDP peer, or a station whose link
 *	is then skipped), or NULL for this node's own frames
 * @how: PMESH_FLOOD_*: how the copies are counted, and whether links with
 *	no station known get one (beacons must, for stations to be found)
 *
 * Context: BH disabled, under rcu_read_lock().
 */
void pmesh_flood(struct pmesh_mesh *mesh, struct sk_buff *skb,
		 struct pmesh_peer *except, unsigned int how)
{
	struct pmesh_link *skip = except ? except->link : NULL;
	struct pmesh_target prev = {}, next;
	struct pmesh_peer *peer;
	struct pmesh_link *link;

	list_for_each_entry_rcu(peer, &mesh->peers, list) {
		if (peer == except)
			continue;
		next = (struct pmesh_target){ .peer = peer };
		pmesh_flood_step(mesh, &prev, &next, skb, how);
	}
	list_for_each_entry_rcu(link, &mesh->links, list) {
		if (link == skip ||
		    (!(how & PMESH_FLOOD_BEACON) && !READ_ONCE(link->n_neighs)))
			continue;
		next = (struct pmesh_target){ .link = link };
		pmesh_flood_step(mesh, &prev, &next, skb, how);
	}
	if (!prev.peer && !prev.link) {
		consume_skb(skb);
		return;
	}
	pmesh_flood_one(mesh, &prev, skb, how);
}
