// SPDX-License-Identifier: GPL-2.0
/*
 * Neighbours, on any bearer. Their lists belong to their bearers (peer.c
 * for static UDP peers, link.c for the stations of a link); this file
 * creates and frees them, keeps their counters, records what is heard from
 * them, and decides and reports whether they are up.
 *
 * A neighbour is up while something arrived from it within the dead
 * interval and it has not said goodbye. It is judged by the longer of two
 * dead intervals, its own (from its hellos) and this node's, so that nodes
 * set differently do not see each other flap. Each change is reported on
 * the "events" group under the neighbour's lock, so that the last event of
 * a neighbour taken off its bearer is always its going down.
 */
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "core/frame.h"
#include "link.h"
#include "mesh.h"
#include "neigh.h"
#include "netlink.h"
#include "tree.h"

/* Numbers the neighbours of every mesh, from 1. */
static atomic64_t pmesh_neigh_ids = ATOMIC64_INIT(0);

/*
 * A cache of its own, never merged with another: a neighbour leaked by any
 * path (a station added to a link being removed, say) makes
 * kmem_cache_destroy() name it at module unload, which the tests check.
 */
static struct kmem_cache *pmesh_neigh_cache;

static struct pmesh_neigh *pmesh_neigh_alloc(struct pmesh_mesh *mesh,
					     gfp_t gfp)
{
	struct pmesh_neigh *n;
	struct mem_cgroup *old;
	int cpu;

	old = set_active_memcg(mesh->memcg);
	n = kmem_cache_zalloc(pmesh_neigh_cache, gfp);
	if (n)
		n->stats = alloc_percpu_gfp(struct pmesh_neigh_stats,
					    gfp | __GFP_ACCOUNT);
	set_active_memcg(old);
	if (!n)
		return NULL;
	if (!n->stats) {
		kmem_cache_free(pmesh_neigh_cache, n);
		return NULL;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(n->stats, cpu)->syncp);
	spin_lock_init(&n->lock);
	n->id = atomic64_inc_return(&pmesh_neigh_ids);
	n->created = jiffies;
	n->tree_slot = -1;
	return n;
}

static void pmesh_neigh_free_rcu(struct rcu_head *rcu)
{
	struct pmesh_neigh *n = container_of(rcu, struct pmesh_neigh, rcu);

	dst_cache_destroy(&n->dst_cache);
	free_percpu(n->stats);
	kmem_cache_free(pmesh_neigh_cache, n);
}

/**
 * pmesh_neigh_create_peer() - a neighbour for a static UDP peer
 * @mesh: the mesh, whose memory cgroup is charged
 * @addr: the peer's endpoint
 * @learned: made by the overlay, not configured
 *
 * Context: process context.
 * Return: the neighbour, down and not on any list, or NULL.
 */
struct pmesh_neigh *pmesh_neigh_create_peer(struct pmesh_mesh *mesh,
					    const union pmesh_addr *addr,
					    bool learned)
{
	struct pmesh_neigh *n = pmesh_neigh_alloc(mesh, GFP_KERNEL);
	struct mem_cgroup *old;
	int err;

	if (!n)
		return NULL;
	old = set_active_memcg(mesh->memcg);
	err = dst_cache_init(&n->dst_cache, GFP_KERNEL_ACCOUNT);
	set_active_memcg(old);
	if (err) {
		pmesh_neigh_free_rcu(&n->rcu);
		return NULL;
	}
	n->addr = *addr;
	n->learned = learned;
	n->tree_slot = pmesh_tree_slot_get(mesh);
	return n;
}

/**
 * pmesh_neigh_create_station() - a neighbour for a station just found
 * @mesh: the mesh, whose memory cgroup is charged
 * @link: the link it was found on
 * @lladdr: its MAC address
 * @node_id: the node its frame proved it to be
 * @dead_ms: the dead interval to keep it by until its own hello tells
 *	one, or 0 for the receiver's own
 *
 * Context: softirq, under @link's lock.
 * Return: the neighbour, down and not on any list, or NULL.
 */
struct pmesh_neigh *pmesh_neigh_create_station(struct pmesh_mesh *mesh,
					       struct pmesh_link *link,
					       const u8 *lladdr, u64 node_id,
					       u32 dead_ms)
{
	struct pmesh_neigh *n = pmesh_neigh_alloc(mesh, GFP_ATOMIC);

	if (!n)
		return NULL;
	n->link = link;
	ether_addr_copy(n->lladdr, lladdr);
	n->node_id = node_id;
	n->dead_ms = dead_ms;
	/* Heard now (its beacon): a round cannot forget it before that counts. */
	n->last_rx = jiffies;
	pmesh_link_tx_totals(link, &n->tx_base);
	return n;
}

/**
 * pmesh_neigh_remove() - a neighbour was taken off its bearer's list
 * @mesh: its mesh
 * @n: the neighbour; freed after a grace period
 * @notify: report it down if it was up
 *
 * Context: any but hard irq; not twice for one neighbour.
 */
void pmesh_neigh_remove(struct pmesh_mesh *mesh, struct pmesh_neigh *n,
			bool notify)
{
	spin_lock_bh(&n->lock);
	WRITE_ONCE(n->removed, true);
	if (n->up) {
		WRITE_ONCE(n->up, false);
		if (notify)
			pmesh_nl_notify_neigh(mesh, n, false);
	}
	spin_unlock_bh(&n->lock);
	if (!n->link)
		pmesh_tree_slot_put(mesh, n->tree_slot);
	call_rcu(&n->rcu, pmesh_neigh_free_rcu);
}

/**
 * pmesh_neigh_heard() - a good frame came from a neighbour
 * @n: the neighbour
 * @f: the frame's header: @f->sender is its node id
 *
 * Context: softirq, under rcu_read_lock().
 */
void pmesh_neigh_heard(struct pmesh_neigh *n, const struct pmesh_frame *f)
{
	WRITE_ONCE(n->node_id, f->sender);
	WRITE_ONCE(n->last_rx, jiffies);
	if (unlikely(READ_ONCE(n->left)))
		WRITE_ONCE(n->left, false);
}

/**
 * pmesh_neigh_hello() - a neighbour's hello told its dead interval
 * @n: the neighbour
 * @dead_ms: the interval, already checked
 */
void pmesh_neigh_hello(struct pmesh_neigh *n, u32 dead_ms)
{
	WRITE_ONCE(n->dead_ms, dead_ms);
}

/**
 * pmesh_neigh_hello_due() - decide whether a peer gets this round's hello
 * @n: the peer
 * @back_off: it is a configured peer down while this node has min-neigh
 *	neighbours up, on a mesh that learns
 * @hello_ms: the hello interval
 *
 * Backing off, a peer gets a hello 1, 2, 4 ... PMESH_HELLO_BACKOFF_MAX
 * hello intervals after the last, but a minute at most (or one interval,
 * if longer): a link whose two ends both back off comes back within it.
 * Otherwise every round, and the next back-off starts again from one
 * interval. A round may run half an
 * interval early (a kicked one) and still send the hello due. The
 * decision holds for the hellos this round sends, and while hellos back
 * off the peer gets no other frame (pmesh_neigh_gets()).
 *
 * Context: the hello round, which alone writes these fields.
 */
void pmesh_neigh_hello_due(struct pmesh_neigh *n, bool back_off, u32 hello_ms)
{
	unsigned long now = jiffies, interval = msecs_to_jiffies(hello_ms);
	unsigned long cap = msecs_to_jiffies(PMESH_HELLO_BACKOFF_CAP_MS);

	if (!back_off) {
		WRITE_ONCE(n->hello_wait, 0);
		WRITE_ONCE(n->hello_skip, false);
		return;
	}
	if (n->hello_wait && time_before(now + interval / 2, n->hello_next)) {
		WRITE_ONCE(n->hello_skip, true);
		return;
	}
	WRITE_ONCE(n->hello_wait, n->hello_wait ?
		   min(2 * n->hello_wait, PMESH_HELLO_BACKOFF_MAX) : 1);
	n->hello_next = now + min(n->hello_wait * interval, max(interval, cap));
	WRITE_ONCE(n->hello_skip, false);
}

/**
 * pmesh_neigh_gets() - whether a UDP neighbour gets a frame being flooded
 * @n: the neighbour
 * @hello: the frame is a hello
 *
 * A hello goes to every neighbour but one whose hellos back off and are
 * not due. Any other frame goes to neighbours up, and to configured peers
 * down but not backed off (a static mesh sends to its peers whatever it
 * hears of them): a learned one being tried gets hellos alone, and so does
 * a seed that thousands of nodes were told of and that has not answered
 * them.
 *
 * Return: true to send it.
 */
bool pmesh_neigh_gets(const struct pmesh_neigh *n, bool hello)
{
	if (hello)
		return !READ_ONCE(n->hello_skip);
	return pmesh_neigh_is_up(n) ||
	       (!n->learned && !READ_ONCE(n->hello_wait));
}

/**
 * pmesh_neigh_node_id() - the node a neighbour last sent as
 * @n: the neighbour
 *
 * Return: its node id, or 0 if not heard yet.
 */
u64 pmesh_neigh_node_id(const struct pmesh_neigh *n)
{
	return READ_ONCE(n->node_id);
}

/**
 * pmesh_neigh_dead_ms() - the dead interval a neighbour's hellos announce
 * @n: the neighbour
 *
 * Return: the interval in ms, or 0 if it has not said.
 */
u32 pmesh_neigh_dead_ms(const struct pmesh_neigh *n)
{
	return READ_ONCE(n->dead_ms);
}

/**
 * pmesh_neigh_goodbye() - a node said goodbye: if it is this neighbour, down
 *	at the next look
 * @n: the neighbour the goodbye came from
 * @node_id: the node that said it
 */
void pmesh_neigh_goodbye(struct pmesh_neigh *n, u64 node_id)
{
	if (READ_ONCE(n->node_id) == node_id)
		WRITE_ONCE(n->left, true);
}

/**
 * pmesh_neigh_deaf() - the bearer cannot hear a neighbour any more
 * @n: the neighbour: down at the next look, as if never heard
 */
void pmesh_neigh_deaf(struct pmesh_neigh *n)
{
	WRITE_ONCE(n->last_rx, 0);
}

/**
 * pmesh_neigh_degree() - the degree a neighbour's exchange frame advertised
 * @n: the neighbour
 * @degree: its degree
 */
void pmesh_neigh_degree(struct pmesh_neigh *n, u8 degree)
{
	WRITE_ONCE(n->degree, degree);
}

/* Whether @n was heard within the dead interval and has not left. */
static bool pmesh_neigh_alive(struct pmesh_mesh *mesh, struct pmesh_neigh *n)
{
	unsigned long dead = msecs_to_jiffies(max(READ_ONCE(mesh->hello.dead_ms),
						  READ_ONCE(n->dead_ms)));
	unsigned long last = READ_ONCE(n->last_rx);

	return last && !READ_ONCE(n->left) && time_before(jiffies, last + dead);
}

/**
 * pmesh_neigh_is_other() - whether a live neighbour is another node
 * @mesh: the mesh
 * @n: the neighbour a hello came from
 * @node_id: the node whose hello it is
 *
 * On a keyed mesh, a neighbour up is bound to its node: a genuine hello
 * of another node, carried to its address by anyone, is not its own.
 *
 * Return: true if @n is up and known as a node other than @node_id.
 */
bool pmesh_neigh_is_other(struct pmesh_mesh *mesh, struct pmesh_neigh *n,
			  u64 node_id)
{
	u64 id = READ_ONCE(n->node_id);

	return id && id != node_id && pmesh_neigh_alive(mesh, n);
}

/**
 * pmesh_neigh_update() - look at a neighbour, and report a change of state
 * @mesh: its mesh
 * @n: the neighbour
 * @came_up: set to true if it just came up; left alone otherwise
 *
 * Context: process context, under rcu_read_lock().
 * Return: whether it is up now.
 */
bool pmesh_neigh_update(struct pmesh_mesh *mesh, struct pmesh_neigh *n,
			bool *came_up)
{
	bool alive = pmesh_neigh_alive(mesh, n);

	if (alive == READ_ONCE(n->up))
		return alive;
	spin_lock_bh(&n->lock);
	if (!n->removed && n->up != alive) {
		if (alive)
			WRITE_ONCE(n->up_since, jiffies);
		WRITE_ONCE(n->up, alive);
		pmesh_nl_notify_neigh(mesh, n, alive);
		*came_up |= alive;
	}
	spin_unlock_bh(&n->lock);
	return alive;
}

/**
 * pmesh_neigh_is_up() - the state last reported
 * @n: the neighbour
 *
 * Return: true if it was last reported up.
 */
bool pmesh_neigh_is_up(const struct pmesh_neigh *n)
{
	return READ_ONCE(n->up);
}

/**
 * pmesh_neigh_last_heard() - when a neighbour was last heard
 * @n: the neighbour
 *
 * Return: jiffies of its last good frame, or 0 if never (or since its
 * bearer went deaf).
 */
unsigned long pmesh_neigh_last_heard(const struct pmesh_neigh *n)
{
	return READ_ONCE(n->last_rx);
}

/**
 * pmesh_neigh_removed() - whether a neighbour was taken off its bearer
 * @n: the neighbour
 *
 * Context: under the lock its bearer's list is changed under, which
 * serialises removals.
 * Return: true once pmesh_neigh_remove() ran.
 */
bool pmesh_neigh_removed(const struct pmesh_neigh *n)
{
	return READ_ONCE(n->removed);
}

/**
 * pmesh_neigh_totals() - sum a neighbour's counters over all CPUs
 * @n: the neighbour
 * @t: the sums
 */
void pmesh_neigh_totals(const struct pmesh_neigh *n,
			struct pmesh_neigh_totals *t)
{
	int cpu;

	memset(t, 0, sizeof(*t));
	for_each_possible_cpu(cpu) {
		const struct pmesh_neigh_stats *s = per_cpu_ptr(n->stats, cpu);
		u64 rxf, rxb, txf, txb, dup, af, first, ih, gr, pr;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			rxf = u64_stats_read(&s->rx_frames);
			rxb = u64_stats_read(&s->rx_bytes);
			txf = u64_stats_read(&s->tx_frames);
			txb = u64_stats_read(&s->tx_bytes);
			dup = u64_stats_read(&s->duplicates);
			af = u64_stats_read(&s->auth_fail);
			first = u64_stats_read(&s->firsts);
			ih = u64_stats_read(&s->ihave);
			gr = u64_stats_read(&s->grafts);
			pr = u64_stats_read(&s->prunes);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		t->rx_frames += rxf;
		t->rx_bytes += rxb;
		t->tx_frames += txf;
		t->tx_bytes += txb;
		t->duplicates += dup;
		t->auth_fail += af;
		t->firsts += first;
		t->ihave += ih;
		t->grafts += gr;
		t->prunes += pr;
	}
}

/**
 * pmesh_neigh_init() - create the neighbours' cache
 *
 * Return: 0 or -ENOMEM.
 */
int __init pmesh_neigh_init(void)
{
	pmesh_neigh_cache = kmem_cache_create("pmesh_neigh",
					      sizeof(struct pmesh_neigh), 0,
					      SLAB_ACCOUNT | SLAB_NO_MERGE,
					      NULL);
	return pmesh_neigh_cache ? 0 : -ENOMEM;
}

/**
 * pmesh_neigh_exit() - destroy the neighbours' cache
 *
 * Context: after every mesh is gone; waits for the neighbours' RCU frees.
 */
void pmesh_neigh_exit(void)
{
	rcu_barrier();
	kmem_cache_destroy(pmesh_neigh_cache);
}
