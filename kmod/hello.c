// SPDX-License-Identifier: GPL-2.0
/*
 * Liveness. Every hello interval a mesh sends a hello to each neighbour and
 * looks at when each neighbour was last heard: any frame counts, a hello or
 * a datagram. A neighbour is up while something arrived within the dead
 * interval and down after; each change is reported on the "events" group.
 * Both intervals are mesh settings and a hello carries the sender's, which
 * a receiver checks for sanity (dropping the hello as malformed when they
 * are absurd). A neighbour is judged by the longer of the two dead
 * intervals, its own and this node's, so that nodes set differently do not
 * see each other flap.
 */
#include <linux/jiffies.h>
#include <linux/skbuff.h>
#include <linux/workqueue.h>

#include "core/frame.h"
#include "datapath.h"
#include "hello.h"
#include "mesh.h"
#include "netlink.h"
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
	pmesh_flood(mesh, skb, NULL, false);
	rcu_read_unlock();
	local_bh_enable();
}

/* Report every neighbour whose state changed since the last look. */
static void pmesh_hello_check(struct pmesh_mesh *mesh)
{
	u32 dead_ms = READ_ONCE(mesh->dead_ms);
	struct pmesh_peer *peer;

	rcu_read_lock();
	list_for_each_entry_rcu(peer, &mesh->peers, list) {
		unsigned long dead = msecs_to_jiffies(max(dead_ms,
							  READ_ONCE(peer->dead_ms)));
		unsigned long last = READ_ONCE(peer->last_rx);
		bool up = last && time_before(jiffies, last + dead);

		if (up == READ_ONCE(peer->up))
			continue;
		WRITE_ONCE(peer->up, up);
		pmesh_nl_notify_neigh(mesh, peer, up);
	}
	rcu_read_unlock();
}

static void pmesh_hello_work(struct work_struct *work)
{
	struct pmesh_mesh *mesh = container_of(to_delayed_work(work),
					       struct pmesh_mesh, hello_work);

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
 * pmesh_hello_stop() - stop, before the mesh's bearer and peers go
 * @mesh: the mesh
 *
 * Context: process context; waits for a running round to end.
 */
void pmesh_hello_stop(struct pmesh_mesh *mesh)
{
	cancel_delayed_work_sync(&mesh->hello_work);
}
