// SPDX-License-Identifier: GPL-2.0
/*
 * Flooding a frame to the neighbours of a mesh: to every peer but the one
 * it came from. The last peer gets the frame itself, the others clones.
 */
#include "datapath.h"
#include "mesh.h"
#include "peer.h"
#include "udp.h"

/**
 * pmesh_flood() - send a frame to every neighbour but one
 * @mesh: the mesh
 * @skb: the frame, skb->data at its pmesh header; consumed
 * @except: the neighbour it came from, or NULL for our own datagrams
 * @forward: count the copies as forwarded
 *
 * Context: BH disabled, under rcu_read_lock().
 */
void pmesh_flood(struct pmesh_mesh *mesh, struct sk_buff *skb,
		 struct pmesh_peer *except, bool forward)
{
	struct pmesh_peer *peer, *prev = NULL;
	struct sk_buff *copy;

	list_for_each_entry_rcu(peer, &mesh->peers, list) {
		if (peer == except)
			continue;
		if (prev) {
			copy = skb_clone(skb, GFP_ATOMIC);
			if (copy) {
				pmesh_udp_xmit(mesh, prev, copy);
				if (forward)
					pmesh_count(mesh, PMESH_A_STATS_FORWARDED);
			}
		}
		prev = peer;
	}
	if (!prev) {
		consume_skb(skb);
		return;
	}
	pmesh_udp_xmit(mesh, prev, skb);
	if (forward)
		pmesh_count(mesh, PMESH_A_STATS_FORWARDED);
}
