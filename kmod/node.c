// SPDX-License-Identifier: GPL-2.0
/*
 * Membership. Every node floods an announcement of itself through the mesh
 * at a low rate, in a sequence space of its own; every node keeps the table
 * of the nodes it hears, with their distance in hops, and reports joins and
 * leaves on the "events" group. A node that leaves cleanly says goodbye; one
 * that vanishes leaves when the timeout it announced runs out.
 *
 * Traffic is bounded as the mesh grows: a node announces itself every
 * announce-interval, stretched once the mesh is large so that the whole
 * mesh sends at most PMESH_ANNOUNCE_RATE announcements a second on average
 * whatever its size (the scaling RTP's control protocol uses, RFC 3550
 * section 6.2). Each announcement crosses every link once in each direction
 * at most, so a node of degree d handles at most d * PMESH_ANNOUNCE_RATE
 * announcement frames a second.
 *
 * The table is changed in softirq (announcements) and by the hello round
 * (timeouts), under one lock per mesh: announcements are rare.
 */
#include <linux/bitmap.h>
#include <linux/jiffies.h>
#include <linux/memcontrol.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <linux/slab.h>

#include "datapath.h"
#include "mesh.h"
#include "netlink.h"
#include "node.h"

static struct hlist_head *pmesh_node_bucket(struct pmesh_nodes *t, u64 id)
{
	return &t->hash[siphash_1u64(id, &t->key) & (HASH_SIZE(t->hash) - 1)];
}

static struct pmesh_node *pmesh_node_find(struct pmesh_nodes *t, u64 id)
{
	struct pmesh_node *n;

	hlist_for_each_entry_rcu(n, pmesh_node_bucket(t, id), hnode,
				 lockdep_is_held(&t->lock))
		if (n->id == id)
			return n;
	return NULL;
}

static unsigned int pmesh_node_lost_bit(struct pmesh_nodes *t, u64 id)
{
	return siphash_1u64(id, &t->key) & (PMESH_NODE_LOST_BITS - 1);
}

/**
 * pmesh_node_lost() - whether a node left the table lately, silent
 * @mesh: the mesh
 * @id: the node id
 *
 * A node whose announcements stopped coming (not one that said goodbye,
 * nor one the table never held) within the last 10 to 20 minutes, and not
 * back since: dead, or across a split of the mesh. A node made up passes
 * only by a collision of its keyed hash with one lost.
 *
 * Context: any; takes rcu_read_lock().
 * Return: true if so.
 */
bool pmesh_node_lost(struct pmesh_mesh *mesh, u64 id)
{
	struct pmesh_nodes *t = &mesh->nodes;
	unsigned int bit = pmesh_node_lost_bit(t, id);
	struct pmesh_node *n;
	bool lost;

	if (id == mesh->node_id ||
	    !(test_bit(bit, t->lost[0]) || test_bit(bit, t->lost[1])))
		return false;
	rcu_read_lock();
	n = pmesh_node_find(t, id);
	lost = !n || READ_ONCE(n->gone);
	rcu_read_unlock();
	return lost;
}

/*
 * Each bucket is kept in increasing order of id, so that a dump can go on
 * from the last node it put (netlink_node.c). Buckets are short: the hash
 * is keyed and the table capped.
 */
static void pmesh_node_insert(struct pmesh_nodes *t, struct pmesh_node *n)
{
	struct hlist_head *head = pmesh_node_bucket(t, n->id);
	struct pmesh_node *pos, *last = NULL;

	lockdep_assert_held(&t->lock);

	hlist_for_each_entry(pos, head, hnode) {
		if (pos->id > n->id) {
			hlist_add_before_rcu(&n->hnode, &pos->hnode);
			return;
		}
		last = pos;
	}
	if (last)
		hlist_add_behind_rcu(&n->hnode, &last->hnode);
	else
		hlist_add_head_rcu(&n->hnode, head);
}

static void pmesh_node_event_fill(struct pmesh_node_event *ev,
				  const struct pmesh_node *n, bool join,
				  u8 reason)
{
	ev->id = n->id;
	ev->hops = n->hops;
	ev->interval_ms = n->interval_ms;
	ev->timeout_ms = n->timeout_ms;
	ev->join = join;
	ev->reason = reason;
}

/**
 * pmesh_announce_interval() - this node's current announcement interval
 * @mesh: the mesh
 *
 * Announcements go out at random between 3/4 of the interval and the whole
 * of it, 7/8 of it on average; so that n nodes send at most
 * PMESH_ANNOUNCE_RATE a second on average, the interval is at least
 * n * 8 / 7 / PMESH_ANNOUNCE_RATE seconds (114 ms a node).
 *
 * Return: milliseconds: the mesh's announce-interval, or longer in a large
 * mesh.
 */
u32 pmesh_announce_interval(struct pmesh_mesh *mesh)
{
	u64 scaled = ((u64)READ_ONCE(mesh->nodes.count) + 1) * MSEC_PER_SEC *
		     8 / (7 * PMESH_ANNOUNCE_RATE);

	return min_t(u64, max_t(u64, READ_ONCE(mesh->nodes.announce_ms), scaled),
		     PMESH_ANNOUNCE_STRETCH_MAX);
}

static void pmesh_announce_send(struct pmesh_mesh *mesh, u8 flags)
{
	u32 interval = pmesh_announce_interval(mesh);
	struct pmesh_announce a = {
		.interval_ms = interval,
		.timeout_ms = interval * PMESH_ANNOUNCE_TIMEOUT_MULT,
		.flags = flags,
	};
	u8 payload[PMESH_ANNOUNCE_LEN];

	pmesh_announce_build(payload, &a);
	pmesh_send_ctl(mesh, PMESH_TYPE_ANNOUNCE, READ_ONCE(mesh->hoplimit),
		       payload, sizeof(payload), 0);
}

static void pmesh_announce_work(struct work_struct *work)
{
	struct pmesh_nodes *t = container_of(to_delayed_work(work),
					     struct pmesh_nodes, work);
	struct pmesh_mesh *mesh = container_of(t, struct pmesh_mesh, nodes);
	u32 interval;

	if (READ_ONCE(mesh->dead))
		return;
	WRITE_ONCE(t->last_sent, jiffies);
	pmesh_announce_send(mesh, 0);
	/* Up to a quarter early, so that nodes started together drift apart. */
	interval = pmesh_announce_interval(mesh);
	interval -= get_random_u32_below(interval / 4 + 1);
	queue_delayed_work(system_wq, &t->work, msecs_to_jiffies(interval));
}

/**
 * pmesh_announce_now() - announce this node soon
 * @mesh: the mesh
 *
 * Done when a neighbour comes up, so that it learns of this node without
 * waiting for the next announcement. Neighbours come up when a station
 * beacons, which anyone on a segment can do with a new address at will:
 * announcements brought forward go out at most one every half
 * announce-interval, so that the mesh's bound on announcements holds.
 */
void pmesh_announce_now(struct pmesh_mesh *mesh)
{
	struct pmesh_nodes *t = &mesh->nodes;
	unsigned long next = READ_ONCE(t->last_sent) +
			     msecs_to_jiffies(READ_ONCE(t->announce_ms) / 2);
	unsigned long now = jiffies;

	/* Never later than the regular one, at 3/4 of the interval or more. */
	mod_delayed_work(system_wq, &t->work,
			 time_after(next, now) ? next - now : 0);
}

/*
 * How long an announced node is kept at most without news: four times
 * this node's own timeout. A node's announced timeout is its own word, and
 * a forged one of hours would hold a place in every table of the mesh.
 * Nodes of a mesh are meant to be set alike; one announcing more than four
 * times less often than this node is forgotten between announcements.
 */
static u32 pmesh_node_timeout_cap(struct pmesh_mesh *mesh)
{
	return 4 * PMESH_ANNOUNCE_TIMEOUT_MULT * pmesh_announce_interval(mesh);
}

/**
 * pmesh_announce_goodbye() - tell the mesh this node leaves it
 * @mesh: the mesh, its bearers still open
 *
 * Context: process context.
 */
void pmesh_announce_goodbye(struct pmesh_mesh *mesh)
{
	pmesh_announce_send(mesh, PMESH_ANNOUNCE_GOODBYE);
}

/**
 * pmesh_node_rx() - take in an announcement
 * @mesh: the mesh
 * @f: its header; f->origin is the node announced
 * @a: its payload
 *
 * Context: softirq, under rcu_read_lock().
 * Return: whether it is news, to be flooded on.
 */
enum pmesh_node_verdict pmesh_node_rx(struct pmesh_mesh *mesh,
				      const struct pmesh_frame *f,
				      const struct pmesh_announce *a)
{
	bool goodbye = a->flags & PMESH_ANNOUNCE_GOODBYE;
	struct pmesh_nodes *t = &mesh->nodes;
	enum pmesh_node_verdict v = PMESH_NODE_NEW;
	struct pmesh_node_event ev[2];
	struct mem_cgroup *old;
	struct pmesh_node *n;
	int i, nev = 0;
	s32 newer;

	spin_lock(&t->lock);
	n = pmesh_node_find(t, f->origin);
	if (!n) {
		if (goodbye) {
			v = PMESH_NODE_IGNORE;
			goto out;
		}
		if (t->entries >= READ_ONCE(t->max)) {
			v = PMESH_NODE_FULL;
			goto out;
		}
		old = set_active_memcg(mesh->memcg);
		n = kzalloc(sizeof(*n), GFP_ATOMIC | __GFP_ACCOUNT);
		set_active_memcg(old);
		if (!n) {
			v = PMESH_NODE_FULL;
			goto out;
		}
		n->id = f->origin;
		n->gone = true;
		pmesh_node_insert(t, n);
		t->entries++;
		newer = 0;
	} else {
		newer = (s32)(f->epoch - n->epoch);
		if (newer < 0 || (!newer && f->seq <= n->seq)) {
			v = PMESH_NODE_DUP;
			goto out;
		}
		if (newer > 0 && !n->gone) {
			pmesh_node_event_fill(&ev[nev++], n, false,
					      PMESH_LEAVE_REASON_RESTART);
			WRITE_ONCE(n->gone, true);
			t->count--;
		}
	}

	n->epoch = f->epoch;
	n->seq = f->seq;
	WRITE_ONCE(n->hops, f->hops);
	WRITE_ONCE(n->last_heard, jiffies);
	WRITE_ONCE(n->interval_ms, a->interval_ms);
	WRITE_ONCE(n->timeout_ms, min(a->timeout_ms,
				      pmesh_node_timeout_cap(mesh)));
	if (goodbye && !n->gone) {
		WRITE_ONCE(n->gone, true);
		t->count--;
		pmesh_node_event_fill(&ev[nev++], n, false,
				      PMESH_LEAVE_REASON_GOODBYE);
	} else if (!goodbye && n->gone) {
		/*
		 * Its fields are set: dumps may show it. Pairs with the
		 * acquire in pmesh_nl_dump_nodes().
		 */
		smp_store_release(&n->gone, false);
		t->count++;
		pmesh_node_event_fill(&ev[nev++], n, true, 0);
	}
	/*
	 * Under the lock, as every membership event: in the table's order,
	 * so that a leave and a join of one node are never seen swapped.
	 */
	for (i = 0; i < nev; i++)
		pmesh_nl_notify_node(mesh, &ev[i], GFP_ATOMIC);
out:
	spin_unlock(&t->lock);
	return v;
}

/**
 * pmesh_nodes_check() - let nodes whose timeout ran out leave
 * @mesh: the mesh
 * @reachable: false when this node has no neighbour up: then every node
 *	leaves at once, as none can be reached
 *
 * The table is walked a bucket at a time, each under the lock, so that a
 * whole table leaving at once (up to PMESH_MAX_NODES_CEILING events) does
 * not keep softirqs off for its length; the events are sent under the lock
 * so that a node heard again just now cannot be reported joining before
 * this leave.
 *
 * Context: process context; called every hello interval.
 */
void pmesh_nodes_check(struct pmesh_mesh *mesh, bool reachable)
{
	struct pmesh_nodes *t = &mesh->nodes;
	struct pmesh_node_event ev;
	struct hlist_node *tmp;
	struct pmesh_node *n;
	bool expired;
	int bkt;

	/* The older generation of lost nodes is forgotten. */
	if (time_after(jiffies, t->lost_since +
				msecs_to_jiffies(PMESH_NODE_LOST_MS))) {
		t->lost_gen = !t->lost_gen;
		bitmap_zero(t->lost[t->lost_gen], PMESH_NODE_LOST_BITS);
		t->lost_since = jiffies;
	}
	for (bkt = 0; bkt < HASH_SIZE(t->hash); bkt++) {
		spin_lock_bh(&t->lock);
		hlist_for_each_entry_safe(n, tmp, &t->hash[bkt], hnode) {
			expired = time_after(jiffies, n->last_heard +
					     msecs_to_jiffies(n->timeout_ms));
			if (!expired && reachable)
				continue;
			if (!n->gone) {
				t->count--;
				if (expired)
					set_bit(pmesh_node_lost_bit(t, n->id),
						t->lost[t->lost_gen]);
				pmesh_node_event_fill(&ev, n, false,
						      expired ?
						      PMESH_LEAVE_REASON_TIMEOUT :
						      PMESH_LEAVE_REASON_UNREACHABLE);
				pmesh_nl_notify_node(mesh, &ev, GFP_ATOMIC);
			}
			hash_del_rcu(&n->hnode);
			t->entries--;
			kfree_rcu(n, rcu);
		}
		spin_unlock_bh(&t->lock);
		cond_resched();
	}
}

/**
 * pmesh_nodes_init() - set up an empty membership table
 * @mesh: the mesh, not yet visible
 * @max: cap on the table
 * @announce_ms: shortest interval between this node's announcements
 */
void pmesh_nodes_init(struct pmesh_mesh *mesh, unsigned int max,
		      u32 announce_ms)
{
	struct pmesh_nodes *t = &mesh->nodes;

	spin_lock_init(&t->lock);
	hash_init(t->hash);
	get_random_bytes(&t->key, sizeof(t->key));
	t->count = 0;
	t->entries = 0;
	t->max = max;
	t->announce_ms = announce_ms;
	bitmap_zero(t->lost[0], PMESH_NODE_LOST_BITS);
	bitmap_zero(t->lost[1], PMESH_NODE_LOST_BITS);
	t->lost_gen = 0;
	t->lost_since = jiffies;
	/* As if one went out long ago: the first is not held back. */
	t->last_sent = jiffies - msecs_to_jiffies(PMESH_ANNOUNCE_STRETCH_MAX);
	INIT_DELAYED_WORK(&t->work, pmesh_announce_work);
}

/**
 * pmesh_nodes_start() - announce this node, now and from now on
 * @mesh: the mesh, complete
 */
void pmesh_nodes_start(struct pmesh_mesh *mesh)
{
	queue_delayed_work(system_wq, &mesh->nodes.work, 0);
}

/**
 * pmesh_nodes_set() - change the cap and the announcement interval
 * @mesh: the mesh
 * @max: new cap; a table above it keeps its nodes until they leave
 * @announce_ms: new shortest interval
 *
 * Context: process context, with the namespace's &pmesh_net.lock held.
 */
void pmesh_nodes_set(struct pmesh_mesh *mesh, unsigned int max,
		     u32 announce_ms)
{
	WRITE_ONCE(mesh->nodes.max, max);
	if (announce_ms != mesh->nodes.announce_ms) {
		WRITE_ONCE(mesh->nodes.announce_ms, announce_ms);
		pmesh_announce_now(mesh);
	}
}

/**
 * pmesh_nodes_stop() - stop announcing
 * @mesh: the mesh, marked dead: an announcement asked for after this finds
 *	it so and sends nothing
 *
 * Context: process context; waits for a running announcement to end.
 */
void pmesh_nodes_stop(struct pmesh_mesh *mesh)
{
	cancel_delayed_work_sync(&mesh->nodes.work);
}

/**
 * pmesh_nodes_destroy() - forget every node, reporting nothing
 * @mesh: the mesh, no longer receiving or announcing
 */
void pmesh_nodes_destroy(struct pmesh_mesh *mesh)
{
	struct pmesh_nodes *t = &mesh->nodes;
	struct hlist_node *tmp;
	struct pmesh_node *n;
	int bkt;

	/* A bucket at a time, as pmesh_nodes_check() walks it. */
	for (bkt = 0; bkt < HASH_SIZE(t->hash); bkt++) {
		spin_lock_bh(&t->lock);
		hlist_for_each_entry_safe(n, tmp, &t->hash[bkt], hnode) {
			hash_del_rcu(&n->hnode);
			t->entries--;
			kfree_rcu(n, rcu);
		}
		spin_unlock_bh(&t->lock);
		cond_resched();
	}
	t->count = 0;
}
