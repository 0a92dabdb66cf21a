// SPDX-License-Identifier: GPL-2.0
/*
 * Liveness: when a hello round runs. Every hello interval a mesh sends a
 * hello to each UDP peer and broadcasts one, a beacon, on each Ethernet
 * link whose turn it is (every round, or fewer on a large segment), then
 * has each bearer look at its neighbours (neigh.c decides who is
 * up; link.c forgets the stations that are not). Both intervals are mesh
 * settings and a hello carries the sender's, which a receiver checks for
 * sanity.
 *
 * The same round lets the membership table's nodes time out, and every
 * neighbour that comes up gets this node's announcement at once.
 */
#include <linux/jiffies.h>
#include <linux/workqueue.h>
#include <linux/pmesh_netlink.h>

#include "core/frame.h"
#include "datapath.h"
#include "hello.h"
#include "link.h"
#include "mesh.h"
#include "node.h"
#include "peer.h"

static void pmesh_hello_round(struct pmesh_mesh *mesh)
{
	u8 hello[PMESH_HELLO_LEN];
	bool came_up = false;
	unsigned int n_up;

	/* The peers' states first: the plan goes by who is up now. */
	rcu_read_lock();
	n_up = pmesh_peers_check(mesh, &came_up);
	n_up += pmesh_links_check(mesh, &came_up);
	pmesh_peers_hello_plan(mesh);
	rcu_read_unlock();

	pmesh_hello_build(hello, READ_ONCE(mesh->hello.ms),
			  READ_ONCE(mesh->hello.dead_ms));
	/* A hello crosses one link: it is never relayed. */
	pmesh_send_ctl(mesh, PMESH_TYPE_HELLO, 1, hello, sizeof(hello),
		       PMESH_FLOOD_HELLO);
	pmesh_links_beacon(mesh);

	pmesh_nodes_check(mesh, n_up > 0);
	if (came_up)
		pmesh_announce_now(mesh);
}

static void pmesh_hello_work(struct work_struct *work)
{
	struct pmesh_hellos *h = container_of(to_delayed_work(work),
					      struct pmesh_hellos, work);
	struct pmesh_mesh *mesh = container_of(h, struct pmesh_mesh, hello);

	/* A mesh being deleted has said goodbye: no beacon may follow it. */
	if (READ_ONCE(mesh->dead))
		return;
	WRITE_ONCE(h->last_round, jiffies);
	pmesh_hello_round(mesh);
	queue_delayed_work(system_wq, &h->work,
			   msecs_to_jiffies(READ_ONCE(h->ms)));
}

/**
 * pmesh_hello_init() - set the intervals of a new mesh
 * @mesh: the mesh, not yet visible
 * @hello_ms: milliseconds between rounds
 * @dead_ms: milliseconds of silence after which a neighbour is down
 */
void pmesh_hello_init(struct pmesh_mesh *mesh, u32 hello_ms, u32 dead_ms)
{
	mesh->hello.ms = hello_ms;
	mesh->hello.dead_ms = dead_ms;
	/* As if a round ran long ago: the first kick is not held back. */
	mesh->hello.last_round = jiffies - msecs_to_jiffies(PMESH_HELLO_KICK_MS);
	INIT_DELAYED_WORK(&mesh->hello.work, pmesh_hello_work);
}

/**
 * pmesh_hello_start() - start saying hello, once the mesh is complete
 * @mesh: the mesh
 */
void pmesh_hello_start(struct pmesh_mesh *mesh)
{
	queue_delayed_work(system_wq, &mesh->hello.work, 0);
}

/**
 * pmesh_hello_set() - change the intervals; a new hello interval at once
 * @mesh: the mesh
 * @hello_ms: milliseconds between rounds
 * @dead_ms: milliseconds of silence after which a neighbour is down
 *
 * Context: process context, with the namespace's &pmesh_net.lock held.
 */
void pmesh_hello_set(struct pmesh_mesh *mesh, u32 hello_ms, u32 dead_ms)
{
	WRITE_ONCE(mesh->hello.dead_ms, dead_ms);
	if (hello_ms == mesh->hello.ms)
		return;
	WRITE_ONCE(mesh->hello.ms, hello_ms);
	mod_delayed_work(system_wq, &mesh->hello.work,
			 msecs_to_jiffies(hello_ms));
}

/**
 * pmesh_hello_kick() - run a round soon: beacon, and look at the neighbours
 * @mesh: the mesh
 *
 * Done when a link is added or its device comes up, when a new station
 * is found, and when a neighbour says goodbye or its device goes deaf. The
 * last three come from the wire, so kicked rounds run at most one every
 * PMESH_HELLO_KICK_MS: a kick within that time of the last round's start
 * brings the next one forward to the end of it, never sooner, whatever a
 * neighbour sends.
 *
 * Context: any; not after pmesh_hello_stop().
 */
void pmesh_hello_kick(struct pmesh_mesh *mesh)
{
	struct pmesh_hellos *h = &mesh->hello;
	unsigned long next = READ_ONCE(h->last_round) +
			     msecs_to_jiffies(PMESH_HELLO_KICK_MS);
	unsigned long now = jiffies;

	/*
	 * Never later than the regular round, which is at least the shortest
	 * hello interval after the last; a round running now finds itself
	 * queued again, and its own requeue leaves that be.
	 */
	BUILD_BUG_ON(PMESH_HELLO_KICK_MS > PMESH_HELLO_INTERVAL_MIN);
	mod_delayed_work(system_wq, &h->work,
			 time_after(next, now) ? next - now : 0);
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
	cancel_delayed_work_sync(&mesh->hello.work);
}
