// SPDX-License-Identifier: GPL-2.0
/*
 * The Ethernet bearer. A link puts a mesh on a net device: frames travel as
 * the payload of Ethernet frames of type PMESH_ETHERTYPE, always broadcast,
 * so one frame reaches every station of the segment; the mesh id in each
 * frame tells meshes sharing a segment apart. Stations are found by their
 * beacons (hellos broadcast every hello interval) and forgotten when they go
 * silent. A frame that arrived on a link is not sent back onto it: every
 * station there heard the same broadcast. On a large segment beacons
 * stretch (core/beacon.h): each station hears a bounded number a hello
 * interval, whatever the number of stations, which the mesh setting
 * max-nodes caps.
 *
 * Frames are never fragmented: a local datagram that would not fit the
 * smallest MTU of the mesh's links is refused with EMSGSIZE, and a relay
 * drops (and counts) a frame too big for a link.
 *
 * One packet handler serves every link: it finds the link by device and
 * mesh id in a per-namespace hash. A netdevice notifier follows the devices:
 * stations are forgotten when a device goes down or loses its carrier, and
 * a link goes away when its device is deleted, leaves the namespace or gets
 * an MTU too small to carry a frame.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/netlink.h>
#include <linux/pmesh.h>

#include "core/beacon.h"
#include "core/frame.h"
#include "datapath.h"
#include "hello.h"
#include "link.h"
#include "mesh.h"
#include "neigh.h"
#include "netlink.h"

/*
 * Set under RTNL by the module's unload once every mesh of every namespace
 * is gone, before the per-namespace data is freed: the notifier then has
 * nothing to follow and must not read that data.
 */
static bool pmesh_link_nets_gone;

/* Numbers the links of every mesh, from 1. */
static atomic64_t pmesh_link_ids = ATOMIC64_INIT(0);

static struct pmesh_link *pmesh_link_find(struct pmesh_mesh *mesh,
					  const struct net_device *dev)
{
	struct pmesh_link *link;

	list_for_each_entry_rcu(link, &mesh->links.list, list,
				lockdep_is_held(&pmesh_net(mesh->net)->lock))
		if (link->dev == dev)
			return link;
	return NULL;
}

static struct hlist_head *pmesh_link_bucket(struct pmesh_link *link,
					    const u8 *lladdr)
{
	u64 h = siphash_1u64(ether_addr_to_u64(lladdr), &link->key);

	return &link->stations[hash_min(h, PMESH_STATION_HASH_BITS)];
}

/* The station of @lladdr. Under RCU, or @link->lock. */
static struct pmesh_neigh *pmesh_link_station(struct pmesh_link *link,
					      const u8 *lladdr)
{
	struct pmesh_neigh *st;

	hlist_for_each_entry_rcu(st, pmesh_link_bucket(link, lladdr), hnode,
				 lockdep_is_held(&link->lock))
		if (ether_addr_equal(st->lladdr, lladdr))
			return st;
	return NULL;
}

/**
 * pmesh_link_tx_totals() - a link's tx counters summed over CPUs
 * @link: the link
 * @t: the sums, in @t->tx_frames, @t->tx_bytes and @t->auth_fail; the
 *	rest zeroed
 */
void pmesh_link_tx_totals(const struct pmesh_link *link,
			  struct pmesh_neigh_totals *t)
{
	int cpu;

	memset(t, 0, sizeof(*t));
	for_each_possible_cpu(cpu) {
		const struct pmesh_link_stats *s = per_cpu_ptr(link->stats, cpu);
		unsigned int start;
		u64 frames, bytes, af;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			frames = u64_stats_read(&s->tx_frames);
			bytes = u64_stats_read(&s->tx_bytes);
			af = u64_stats_read(&s->auth_fail);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		t->tx_frames += frames;
		t->tx_bytes += bytes;
		t->auth_fail += af;
	}
}

/* Remember a station being forgotten, and the node it was. Under @link->lock. */
static void pmesh_link_gone_add(struct pmesh_link *link,
				const struct pmesh_neigh *st)
{
	struct pmesh_link_gone *g = &link->gone[link->gone_next];
	u64 node_id = pmesh_neigh_node_id(st);

	if (!node_id)
		return;
	ether_addr_copy(g->lladdr, st->lladdr);
	g->node_id = node_id;
	g->dead_ms = pmesh_neigh_dead_ms(st);
	link->gone_next = (link->gone_next + 1) % PMESH_LINK_GONE;
}

/*
 * The station of @lladdr forgotten lately, as @node_id if that is not 0,
 * or NULL. Under @link->lock.
 */
static struct pmesh_link_gone *pmesh_link_gone_find(struct pmesh_link *link,
						    const u8 *lladdr,
						    u64 node_id)
{
	struct pmesh_link_gone *g;

	for (g = link->gone; g < link->gone + PMESH_LINK_GONE; g++)
		if (g->node_id && ether_addr_equal(g->lladdr, lladdr) &&
		    (!node_id || g->node_id == node_id))
			return g;
	return NULL;
}

/*
 * Take a station off its link; it is freed after a grace period, reported
 * down first with @notify if it was up. Under @link->lock.
 */
static void pmesh_link_forget(struct pmesh_link *link, struct pmesh_neigh *st,
			      bool notify)
{
	lockdep_assert_held(&link->lock);

	/* The hello round and the link's removal may both get here. */
	if (pmesh_neigh_removed(st))
		return;
	list_del_rcu(&st->list);
	hlist_del_rcu(&st->hnode);
	WRITE_ONCE(link->n_neighs, link->n_neighs - 1);
	pmesh_link_gone_add(link, st);
	pmesh_neigh_remove(link->mesh, st, notify);
}

/**
 * pmesh_links_check() - look at every station, forgetting those gone down
 * @mesh: the mesh
 * @came_up: set to true if a station came up
 *
 * A station that is not up is forgotten, whether it was ever up or not,
 * until its next beacon: so one that beaconed once, or that a deaf device
 * stopped hearing, does not hold a place on its link for good.
 *
 * Context: process context, under rcu_read_lock().
 * Return: how many stations are up.
 */
unsigned int pmesh_links_check(struct pmesh_mesh *mesh, bool *came_up)
{
	struct pmesh_link *link;
	unsigned int n_up = 0;
	struct pmesh_neigh *st;

	list_for_each_entry_rcu(link, &mesh->links.list, list) {
		list_for_each_entry_rcu(st, &link->neighs, list) {
			if (pmesh_neigh_update(mesh, st, came_up)) {
				n_up++;
				continue;
			}
			spin_lock_bh(&link->lock);
			pmesh_link_forget(link, st, true);
			spin_unlock_bh(&link->lock);
		}
	}
	return n_up;
}

/**
 * pmesh_links_beacon() - beacon on each link whose turn it is
 * @mesh: the mesh
 *
 * A link's beacon says how long its sender will wait for the next, and
 * the dead interval to keep it by, both stretched on a large segment
 * (core/beacon.h); a beacon that cannot be allocated is tried again the
 * next round.
 *
 * Context: process context (the hello round).
 */
void pmesh_links_beacon(struct pmesh_mesh *mesh)
{
	u32 hello_ms = READ_ONCE(mesh->hello.ms);
	u32 dead_ms = READ_ONCE(mesh->hello.dead_ms);
	struct pmesh_beacon_plan plan;
	u8 hello[PMESH_HELLO_LEN];
	struct pmesh_link *link;

	rcu_read_lock();
	list_for_each_entry_rcu(link, &mesh->links.list, list) {
		/*
		 * Due if its time comes before the next regular round: never
		 * later than planned, whatever kicked rounds come between,
		 * and on a small segment every round.
		 */
		if (time_after(READ_ONCE(link->next_beacon),
			       jiffies + msecs_to_jiffies(hello_ms)))
			continue;
		pmesh_beacon_plan(&plan, hello_ms, dead_ms,
				  READ_ONCE(link->n_neighs), get_random_u32());
		pmesh_hello_build(hello, plan.hello_ms, plan.dead_ms);
		if (pmesh_send_link(mesh, link, PMESH_TYPE_HELLO, hello,
				    sizeof(hello)))
			WRITE_ONCE(link->next_beacon,
				   jiffies + msecs_to_jiffies(plan.wait_ms));
	}
	rcu_read_unlock();
}

/*
 * A full link makes room for a new station by forgetting the one silent
 * the longest, if it has been silent past its own dead interval, but never
 * past the longest this node would announce in its own beacons on the link
 * (its dead interval, stretched on a large segment: core/beacon.h), nor
 * less than this node's own. So a live station between its stretched
 * beacons keeps its place, and one beacon each from made-up addresses,
 * announcing ten minutes, cannot lock every new station out for that long.
 * Under @link->lock; returns whether a place was freed.
 */
static bool pmesh_link_evict(struct pmesh_link *link)
{
	u32 own = READ_ONCE(link->mesh->hello.dead_ms);
	struct pmesh_neigh *st, *victim = NULL;
	struct pmesh_beacon_plan plan;
	unsigned long last, oldest = 0;
	u32 ms;

	lockdep_assert_held(&link->lock);

	pmesh_beacon_plan(&plan, READ_ONCE(link->mesh->hello.ms), own,
			  link->n_neighs, 0);
	list_for_each_entry(st, &link->neighs, list) {
		ms = clamp(pmesh_neigh_dead_ms(st), own, plan.dead_ms);
		last = pmesh_neigh_last_heard(st);
		if (time_before(jiffies, last + msecs_to_jiffies(ms)))
			continue;
		if (!victim || time_before(last, oldest)) {
			victim = st;
			oldest = last;
		}
	}
	if (!victim)
		return false;
	pmesh_link_forget(link, victim, true);
	return true;
}

/* Count a stranger's frame that did not open; softirq. */
static void pmesh_link_count_auth_fail(struct pmesh_link *link)
{
	struct pmesh_link_stats *s = this_cpu_ptr(link->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->auth_fail);
	u64_stats_update_end(&s->syncp);
}

/* Whether @lladdr is a station the link forgot lately. Softirq. */
static bool pmesh_link_was_station(struct pmesh_link *link, const u8 *lladdr)
{
	bool was;

	spin_lock(&link->lock);
	was = pmesh_link_gone_find(link, lladdr, 0);
	spin_unlock(&link->lock);
	return was;
}

/*
 * A frame from a station not known yet: a good beacon makes it a
 * neighbour. On a keyed mesh so does a sealed frame that proves a station
 * forgotten lately (pmesh_receive_stranger()), as the node it was: only a
 * beacon makes a new one known, so no frame, however genuine, carried from
 * elsewhere to a made-up address adds a station. Anything else is dropped
 * and counted. Softirq.
 */
static struct pmesh_neigh *pmesh_link_discover(struct pmesh_link *link,
					       struct sk_buff *skb)
{
	/* The caller pulled the header: its type is read before any pull. */
	bool beacon = skb->data[1] == PMESH_TYPE_HELLO;
	struct pmesh_mesh *mesh = link->mesh;
	struct pmesh_link_gone *gone;
	struct pmesh_neigh *st = NULL;
	u32 dead_ms = 0;
	u8 lladdr[ETH_ALEN];
	bool found = false;
	u64 node = 0;
	int drop;

	/* Copied first: pulling may move the head the header is in. */
	ether_addr_copy(lladdr, eth_hdr(skb)->h_source);
	if (!is_valid_ether_addr(lladdr)) {
		drop = PMESH_A_STATS_MALFORMED;
	} else if (!beacon && !pmesh_link_was_station(link, lladdr)) {
		/* Only a beacon makes a new station known. */
		drop = PMESH_A_STATS_UNKNOWN_PEER;
	} else {
		drop = pmesh_receive_stranger(mesh, skb, &node);
	}
	if (drop) {
		pmesh_count(mesh, drop);
		if (drop == PMESH_A_STATS_AUTH_FAIL)
			pmesh_link_count_auth_fail(link);
		return NULL;
	}

	spin_lock(&link->lock);
	/* A link being removed takes no more stations. */
	if (link->dead)
		goto out;
	st = pmesh_link_station(link, lladdr);
	if (st) {
		found = true;
		goto out;
	}
	/*
	 * A frame other than a beacon brings back a station it proves, once,
	 * kept by the dead interval its beacons announced until the next.
	 */
	if (!beacon) {
		gone = pmesh_link_gone_find(link, lladdr, node);
		if (!gone) {
			pmesh_count(mesh, PMESH_A_STATS_UNKNOWN_PEER);
			goto out;
		}
		gone->node_id = 0;
		dead_ms = gone->dead_ms;
	}
	if (link->n_neighs >= min(READ_ONCE(mesh->nodes.max),
				  PMESH_MAX_LINK_NEIGHS) &&
	    !pmesh_link_evict(link)) {
		pmesh_count(mesh, PMESH_A_STATS_NEIGH_DROPS);
		goto out;
	}
	st = pmesh_neigh_create_station(mesh, link, lladdr, node, dead_ms);
	if (!st)
		goto out;
	list_add_tail_rcu(&st->list, &link->neighs);
	hlist_add_head_rcu(&st->hnode, pmesh_link_bucket(link, lladdr));
	WRITE_ONCE(link->n_neighs, link->n_neighs + 1);
	/* Answer it at once (on a large segment, some of us do). */
	if (pmesh_beacon_answer(link->n_neighs, get_random_u32()))
		WRITE_ONCE(link->next_beacon, jiffies);
out:
	spin_unlock(&link->lock);
	/* Report a new station up, and answer it, in a round run soon. */
	if (st && !found)
		pmesh_hello_kick(mesh);
	return st;
}

/* The packet handler of PMESH_ETHERTYPE. Softirq, under RCU. */
static int pmesh_link_rcv(struct sk_buff *skb, struct net_device *dev,
			  struct packet_type *pt, struct net_device *orig_dev)
{
	struct pmesh_net *pn = pmesh_net(dev_net(dev));
	struct pmesh_link *link = NULL, *l;
	struct pmesh_neigh *from;
	bool truncated;
	u32 id = 0;

	if (skb->pkt_type == PACKET_OTHERHOST ||
	    skb->pkt_type == PACKET_LOOPBACK)
		goto drop;
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return NET_RX_DROP;

	truncated = !pskb_may_pull(skb, PMESH_HDR_LEN);
	if (!truncated)
		id = pmesh_frame_mesh(skb->data);
	hash_for_each_possible_rcu(pn->links, l, dev_node, dev->ifindex) {
		if (l->dev == dev && !truncated && l->mesh->id == id) {
			link = l;
			break;
		}
	}
	if (!link) {
		/* Not for any mesh here: count it on those that are. */
		hash_for_each_possible_rcu(pn->links, l, dev_node, dev->ifindex)
			if (l->dev == dev)
				pmesh_count(l->mesh, truncated ?
					    PMESH_A_STATS_MALFORMED :
					    PMESH_A_STATS_UNKNOWN_MESH);
		goto drop;
	}

	from = pmesh_link_station(link, eth_hdr(skb)->h_source) ?:
	       pmesh_link_discover(link, skb);
	if (!from)
		goto drop;
	pmesh_receive(link->mesh, from, skb);
	return NET_RX_SUCCESS;

drop:
	kfree_skb(skb);
	return NET_RX_DROP;
}

/**
 * pmesh_link_xmit() - broadcast a frame on a link
 * @mesh: the mesh
 * @link: the link
 * @skb: the frame, skb->data at its pmesh header; consumed
 *
 * Context: BH disabled, under rcu_read_lock().
 */
void pmesh_link_xmit(struct pmesh_mesh *mesh, struct pmesh_link *link,
		     struct sk_buff *skb)
{
	struct net_device *dev = link->dev;
	unsigned int len = skb->len;
	struct pmesh_link_stats *s;

	if (unlikely(len > READ_ONCE(dev->mtu))) {
		pmesh_count(mesh, PMESH_A_STATS_TOO_BIG);
		goto drop;
	}
	if (!netif_running(dev))
		goto drop;
	pmesh_skb_scrub(skb);
	if (skb_cow_head(skb, LL_RESERVED_SPACE(dev)))
		goto drop;
	skb_reset_network_header(skb);
	skb->dev = dev;
	skb->protocol = htons(PMESH_ETHERTYPE);
	if (dev_hard_header(skb, dev, PMESH_ETHERTYPE, dev->broadcast, NULL,
			    len) < 0)
		goto drop;

	s = this_cpu_ptr(link->stats);
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->tx_frames);
	u64_stats_add(&s->tx_bytes, len);
	u64_stats_update_end(&s->syncp);
	dev_queue_xmit(skb);
	return;

drop:
	kfree_skb(skb);
}

/**
 * pmesh_links_mtu() - the largest frame every link of a mesh carries
 * @mesh: the mesh
 *
 * Context: under rcu_read_lock().
 * Return: the smallest MTU of the mesh's devices, or UINT_MAX with none.
 */
unsigned int pmesh_links_mtu(struct pmesh_mesh *mesh)
{
	unsigned int mtu = UINT_MAX;
	struct pmesh_link *link;

	list_for_each_entry_rcu(link, &mesh->links.list, list)
		mtu = min(mtu, READ_ONCE(link->dev->mtu));
	return mtu;
}

/**
 * pmesh_links_init() - no links yet
 * @mesh: the mesh, not yet visible
 */
void pmesh_links_init(struct pmesh_mesh *mesh)
{
	INIT_LIST_HEAD(&mesh->links.list);
	mesh->links.count = 0;
}

/**
 * pmesh_link_add() - put a mesh on an Ethernet device
 * @mesh: the mesh
 * @dev: the device, in the mesh's namespace
 * @extack: where to say why not
 *
 * Context: process context, under RTNL and the namespace's &pmesh_net.lock.
 * Return: 0 or a negative errno.
 */
int pmesh_link_add(struct pmesh_mesh *mesh, struct net_device *dev,
		   struct netlink_ext_ack *extack)
{
	struct pmesh_net *pn = pmesh_net(mesh->net);
	struct pmesh_link *link;
	int cpu;

	ASSERT_RTNL();
	lockdep_assert_held(&pn->lock);

	if (dev->flags & IFF_LOOPBACK) {
		NL_SET_ERR_MSG_FMT(extack, "%s is a loopback device", dev->name);
		return -EINVAL;
	}
	if (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN) {
		NL_SET_ERR_MSG_FMT(extack, "%s is not an Ethernet device",
				   dev->name);
		return -EOPNOTSUPP;
	}
	if (netif_is_bridge_port(dev) || netif_is_lag_port(dev)) {
		/* Its frames go to the bridge or bond, never to a handler. */
		NL_SET_ERR_MSG_FMT(extack,
				   "%s is a port of a bridge or bond; link the master instead",
				   dev->name);
		return -EBUSY;
	}
	if (dev->mtu < PMESH_LINK_MIN_MTU) {
		NL_SET_ERR_MSG_FMT(extack, "the MTU of %s is below %u", dev->name,
				   PMESH_LINK_MIN_MTU);
		return -EINVAL;
	}
	if (pmesh_link_find(mesh, dev)) {
		NL_SET_ERR_MSG_FMT(extack, "mesh %u is already on %s", mesh->id,
				   dev->name);
		return -EEXIST;
	}
	if (mesh->links.count >= PMESH_MAX_LINKS) {
		NL_SET_ERR_MSG_FMT(extack, "too many links in mesh %u (limit %u)",
				   mesh->id, PMESH_MAX_LINKS);
		return -ENOSPC;
	}

	link = kzalloc(sizeof(*link), GFP_KERNEL_ACCOUNT);
	if (!link)
		return -ENOMEM;
	link->stats = alloc_percpu_gfp(struct pmesh_link_stats,
				       GFP_KERNEL_ACCOUNT);
	if (!link->stats) {
		kfree(link);
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(link->stats, cpu)->syncp);
	link->id = atomic64_inc_return(&pmesh_link_ids);
	link->mesh = mesh;
	link->dev = dev;
	netdev_hold(dev, &link->dev_tracker, GFP_KERNEL);
	spin_lock_init(&link->lock);
	INIT_LIST_HEAD(&link->neighs);
	hash_init(link->stations);
	link->next_beacon = jiffies;
	get_random_bytes(&link->key, sizeof(link->key));

	list_add_tail_rcu(&link->list, &mesh->links.list);
	hash_add_rcu(pn->links, &link->dev_node, dev->ifindex);
	WRITE_ONCE(mesh->links.count, mesh->links.count + 1);
	pmesh_nl_notify_link(link, PMESH_CMD_LINK_ADD_NTF);
	/* The first beacon goes out now. */
	pmesh_hello_kick(mesh);
	return 0;
}

static void pmesh_link_free_rcu(struct rcu_head *rcu)
{
	struct pmesh_link *link = container_of(rcu, struct pmesh_link, rcu);

	netdev_put(link->dev, &link->dev_tracker);
	free_percpu(link->stats);
	kfree(link);
}

/*
 * Take a link out of its mesh and free it after a grace period. With
 * @notify, its stations that were up are reported down, then the link gone.
 */
static void pmesh_link_remove(struct pmesh_link *link, bool notify)
{
	struct pmesh_mesh *mesh = link->mesh;
	struct pmesh_neigh *st, *tmp;

	list_del_rcu(&link->list);
	hlist_del_init_rcu(&link->dev_node);
	WRITE_ONCE(mesh->links.count, mesh->links.count - 1);

	spin_lock_bh(&link->lock);
	link->dead = true;
	list_for_each_entry_safe(st, tmp, &link->neighs, list)
		pmesh_link_forget(link, st, notify);
	spin_unlock_bh(&link->lock);
	if (notify)
		pmesh_nl_notify_link(link, PMESH_CMD_LINK_DEL_NTF);
	call_rcu(&link->rcu, pmesh_link_free_rcu);
}

/**
 * pmesh_link_del() - take a mesh off a device
 * @mesh: the mesh
 * @dev: the device
 * @extack: where to say why not
 *
 * Context: process context, with the namespace's &pmesh_net.lock held.
 * Return: 0 or -ENOENT.
 */
int pmesh_link_del(struct pmesh_mesh *mesh, struct net_device *dev,
		   struct netlink_ext_ack *extack)
{
	struct pmesh_link *link;

	lockdep_assert_held(&pmesh_net(mesh->net)->lock);

	link = pmesh_link_find(mesh, dev);
	if (!link) {
		NL_SET_ERR_MSG_FMT(extack, "mesh %u is not on %s", mesh->id,
				   dev->name);
		return -ENOENT;
	}
	pmesh_link_remove(link, true);
	return 0;
}

/**
 * pmesh_links_unhook() - stop receiving on every link of a mesh
 * @mesh: the mesh, being deleted
 *
 * The links still send until pmesh_links_flush(); frames already in the
 * packet handler may still arrive until a grace period has passed.
 *
 * Context: process context, with the namespace's &pmesh_net.lock held.
 */
void pmesh_links_unhook(struct pmesh_mesh *mesh)
{
	struct pmesh_link *link;

	lockdep_assert_held(&pmesh_net(mesh->net)->lock);

	list_for_each_entry(link, &mesh->links.list, list)
		hlist_del_init_rcu(&link->dev_node);
}

/**
 * pmesh_links_flush() - remove every link of a mesh, reporting nothing
 * @mesh: the mesh, being deleted
 *
 * Context: process context, with the namespace's &pmesh_net.lock held.
 */
void pmesh_links_flush(struct pmesh_mesh *mesh)
{
	struct pmesh_link *link, *tmp;

	lockdep_assert_held(&pmesh_net(mesh->net)->lock);

	list_for_each_entry_safe(link, tmp, &mesh->links.list, list)
		pmesh_link_remove(link, false);
}

/* Beacon on @link in a round run soon: its device came up. */
static void pmesh_link_beacon_now(struct pmesh_link *link)
{
	WRITE_ONCE(link->next_beacon, jiffies);
	pmesh_hello_kick(link->mesh);
}

/* Forget every station of @link: its device cannot hear them now. */
static void pmesh_link_deaf(struct pmesh_link *link)
{
	struct pmesh_neigh *st;

	/* The hello round reports them down and forgets them. */
	rcu_read_lock();
	list_for_each_entry_rcu(st, &link->neighs, list)
		pmesh_neigh_deaf(st);
	rcu_read_unlock();
	pmesh_hello_kick(link->mesh);
}

/*
 * Whether a link of @pn is on @dev, without the namespace's lock: the
 * notifier runs for every device of the machine, and RTNL, which it holds,
 * must not wait on that lock for devices no mesh uses. Links are added
 * under RTNL, so none can appear meanwhile; one removed meanwhile is
 * looked for again under the lock.
 */
static bool pmesh_link_on(struct pmesh_net *pn, const struct net_device *dev)
{
	struct pmesh_link *link;
	bool on = false;

	rcu_read_lock();
	hash_for_each_possible_rcu(pn->links, link, dev_node, dev->ifindex) {
		if (link->dev == dev) {
			on = true;
			break;
		}
	}
	rcu_read_unlock();
	return on;
}

static int pmesh_link_netdev_event(struct notifier_block *nb,
				   unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct pmesh_net *pn;
	struct pmesh_link *link;
	struct hlist_node *tmp;

	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
	case NETDEV_CHANGEMTU:
	case NETDEV_UNREGISTER:
		break;
	default:
		return NOTIFY_DONE;
	}
	if (READ_ONCE(pmesh_link_nets_gone))
		return NOTIFY_DONE;

	ASSERT_RTNL();
	pn = pmesh_net(dev_net(dev));
	if (!pmesh_link_on(pn, dev))
		return NOTIFY_DONE;
	pmesh_net_lock(dev_net(dev));
	hash_for_each_possible_safe(pn->links, link, tmp, dev_node,
				    dev->ifindex) {
		if (link->dev != dev)
			continue;
		if (event == NETDEV_UNREGISTER ||
		    (event == NETDEV_CHANGEMTU && dev->mtu < PMESH_LINK_MIN_MTU))
			pmesh_link_remove(link, true);
		else if (netif_running(dev) && netif_carrier_ok(dev))
			pmesh_link_beacon_now(link);
		else
			pmesh_link_deaf(link);
	}
	pmesh_net_unlock(dev_net(dev));
	return NOTIFY_DONE;
}

static struct notifier_block pmesh_link_notifier = {
	.notifier_call = pmesh_link_netdev_event,
};

static struct packet_type pmesh_link_packet_type __read_mostly = {
	.type = cpu_to_be16(PMESH_ETHERTYPE),
	.func = pmesh_link_rcv,
};

int __init pmesh_link_init(void)
{
	int err;

	err = register_netdevice_notifier(&pmesh_link_notifier);
	if (err)
		return err;
	dev_add_pack(&pmesh_link_packet_type);
	return 0;
}

/**
 * pmesh_link_rx_exit() - no more frames from the Ethernet bearer
 *
 * Context: module unload, before the meshes go.
 */
void pmesh_link_rx_exit(void)
{
	dev_remove_pack(&pmesh_link_packet_type);
}

/**
 * pmesh_links_nets_gone() - every mesh of every namespace is gone
 *
 * Until then the notifier follows the devices: a linked device unregistered
 * while the module unloads (a veth whose peer's namespace is being
 * dismantled, say) must still drop its link, or its unregistration waits
 * forever for the link's reference, holding the pernet lock the unload
 * needs.
 *
 * Context: module unload, from the pernet exit of every namespace, before
 * the per-namespace data is freed.
 */
void pmesh_links_nets_gone(void)
{
	rtnl_lock();
	WRITE_ONCE(pmesh_link_nets_gone, true);
	rtnl_unlock();
}

/**
 * pmesh_link_exit() - stop following the devices
 *
 * Context: module unload, after the meshes are gone.
 */
void pmesh_link_exit(void)
{
	unregister_netdevice_notifier(&pmesh_link_notifier);
}
