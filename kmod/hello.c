// SPDX-License-Identifier: GPL-2.0
/*
 * Liveness. Every hello interval a mesh sends a hello to each UDP peer and
 * broadcasts one, a beacon, on each Ethernet link, then looks at when each
 * neighbour was last heard: any frame counts. A neighbour is up while
 * something arrived within the dead interval and down after; each change
 * is reported on the "events" group, and a station that goes down is
 * forgotten until its next beacon. Both intervals are mesh settings and a
 * hello carries the sender's, which a receiver checks for sanity (dropping
 * the hello as malformed when they are absurd). A neighbour is judged by
 * the longer of the two dead intervals, its own and this node's, so that
 * nodes set differently do not see each other flap.
 *
 * The same round lets the membership table's nodes time out, and every
 * neighbour that comes up gets this node's announcement at once.
 */
#include <linux/jiffies.h>
#include <linux/skbuff.h>
#include <linux/workqueue.h>

#include "core/frame.h"
#include "datapath.h"
#include "hello.h"
#include "link.h"
#include "mesh.h"
#include "netlink.h"
#include "node.h"
#include "peer.h"

static void pmesh_hello_send(struct pmesh_mesh *mesh)
{
	struct pmesh_frame f = {
		.type = PMESH_TYPE_HELLO,
		.ttl = 1,
		.hops = 1,
		.mesh = mesh->id,
		.len = PMESH_HELLO_LEN,
		.origin = mesh->node_id,
		.epoch = mesh->epoch,
		.sender = mesh->node_id,
	};
	struct sk_buff *skb;

	skb = alloc_skb(PMESH_HEADROOM + PMESH_HDR_LEN + PMESH_HELLO_LEN,
			GFP_KERNEL);
	if (!skb)
		return;
	skb_reserve(skb, PMESH_HEADROOM);
	f.seq = atomic64_inc_return(&mesh->hello_seq);
	pmesh_frame_build(skb_put(skb, PMESH_HDR_LEN), &f);
	pmesh_hello_build(skb_put(skb, PMESH_HELLO_LEN),
			  READ_ONCE(mesh->hello_ms), READ_ONCE(mesh->dead_ms));

	local_bh_disable();
	rcu_read_lock();
	pmesh_flood(mesh, skb, NULL, PMESH_FLOOD_CTL | PMESH_FLOOD_BEACON);
	rcu_read_unlock();
	local_bh_enable();
}

/* Whether @peer was heard within the dead interval and has not left. */
static bool pmesh_hello_alive(struct pmesh_mesh *mesh, struct pmesh_peer *peer)
{
	unsigned long dead = msecs_to_jiffies(max(READ_ONCE(mesh->dead_ms),
						  READ_ONCE(peer->dead_ms)));
	unsigned long last = READ_ONCE(peer->last_rx);

	return last && !READ_ONCE(peer->left) &&
	       time_before(jiffies, last + dead);
}

/*
 * Report the stations of @link whose state changed, and forget those gone
 * down. Return how many are up; *@came_up is set if one just came up.
 */
static unsigned int pmesh_hello_check_link(struct pmesh_mesh *mesh,
					   struct pmesh_link *link,
					   bool *came_up)
{
	unsigned int n_up = 0;
	struct pmesh_peer *st;
	bool up;

	list_for_each_entry_rcu(st, &link->neighs, list) {
		up = pmesh_hello_alive(mesh, st);
		n_up += up;
		if (up == READ_ONCE(st->up))
			continue;
		spin_lock_bh(&link->lock);
		if (!st->forgotten && st->up != up) {
			WRITE_ONCE(st->up, up);
			pmesh_nl_notify_neigh(mesh, st, up);
			*came_up |= up;
		}
		if (!up)
			pmesh_link_forget(link, st);
		spin_unlock_bh(&link->lock);
	}
	return n_up;
}

/* Report every neighbour whose state changed since the last look. */
static void pmesh_hello_check(struct pmesh_mesh *mesh)
{
	bool came_up = false, was_up;
	unsigned int n_up = 0;
	struct pmesh_link *link;
	struct pmesh_peer *peer;

	rcu_read_lock();
	list_for_each_entry_rcu(peer, &mesh->peers, list) {
		bool up = pmesh_hello_alive(mesh, peer);

		n_up += up;
		was_up = READ_ONCE(peer->up);
		if (up == was_up)
			continue;
		WRITE_ONCE(peer->up, up);
		pmesh_nl_notify_neigh(mesh, peer, up);
		came_up |= up;
	}
	list_for_each_entry_rcu(link, &mesh->links, list)
		n_up += pmesh_hello_check_link(mesh, link, &came_up);
	rcu_read_unlock();

	pmesh_nodes_check(mesh, n_up > 0);
	if (came_up)
		pmesh_announce_now(mesh);
}

static void pmesh_hello_work(struct work_struct *work)
{
	struct pmesh_mesh *mesh = container_of(to_delayed_work(work),
					       struct pmesh_mesh, hello_work);

	/* A mesh being deleted has said goodbye: no beacon may follow it. */
	if (READ_ONCE(mesh->dead))
		return;
	pmesh_hello_send(mesh);
	pmesh_hello_check(mesh);
	queue_delayed_work(system_wq, &mesh->hello_work,
			   msecs_to_jiffies(READ_ONCE(mesh->hello_ms)));
}

/**
 * pmesh_hello_start() - start saying hello, once the mesh is complete
 * @mesh: the mesh
 */
void pmesh_hello_start(struct pmesh_mesh *mesh)
{
	INIT_DELAYED_WORK(&mesh->hello_work, pmesh_hello_work);
	queue_delayed_work(system_wq, &mesh->hello_work, 0);
}

/**
 * pmesh_hello_reschedule() - apply a new hello interval at once
 * @mesh: the mesh
 */
void pmesh_hello_reschedule(struct pmesh_mesh *mesh)
{
	mod_delayed_work(system_wq, &mesh->hello_work,
			 msecs_to_jiffies(READ_ONCE(mesh->hello_ms)));
}

/**
 * pmesh_hello_kick() - run a round now: beacon, and look at the neighbours
 * @mesh: the mesh
 *
 * Done when a link is added or its device comes up, when a new station
 * is found, and when a neighbour says goodbye or its device goes deaf.
 *
 * Context: any; not after pmesh_hello_stop().
 */
void pmesh_hello_kick(struct pmesh_mesh *mesh)
{
	mod_delayed_work(system_wq, &mesh->hello_work, 0);
}

/**
 * pmesh_hello_stop() - stop, before the mesh's bearer and peers go
 * @mesh: the mesh, marked dead
 *
 * A round kicked after this finds the mesh dead and does nothing.
 *
 * Context: process context; waits for a running round to end.
 */
void pmesh_hello_stop(struct pmesh_mesh *mesh)
{
	cancel_delayed_work_sync(&mesh->hello_work);
}
