// SPDX-License-Identifier: GPL-2.0
/*
 * Static UDP peers. The list is read under RCU by the data path (to flood,
 * and to find the peer a frame came from) and changed under the namespace's
 * mesh lock by netlink. A mesh has at most PMESH_MAX_PEERS, so finding the
 * sender by a walk of the list stays cheap.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/ipv6.h>
#include <net/netlink.h>

#include "mesh.h"
#include "netlink.h"
#include "peer.h"

static bool pmesh_addr_equal(const union pmesh_addr *a,
			     const union pmesh_addr *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return false;
	if (a->sa.sa_family == AF_INET)
		return a->sin.sin_addr.s_addr == b->sin.sin_addr.s_addr &&
		       a->sin.sin_port == b->sin.sin_port;
	return ipv6_addr_equal(&a->sin6.sin6_addr, &b->sin6.sin6_addr) &&
	       a->sin6.sin6_port == b->sin6.sin6_port;
}

static struct pmesh_peer *pmesh_peer_find(struct pmesh_mesh *mesh,
					  const union pmesh_addr *addr)
{
	struct pmesh_peer *peer;

	list_for_each_entry_rcu(peer, &mesh->peers, list,
				lockdep_is_held(&pmesh_net(mesh->net)->lock))
		if (pmesh_addr_equal(&peer->addr, addr))
			return peer;
	return NULL;
}

/**
 * pmesh_peer_alloc() - allocate a neighbour with zeroed counters
 * @gfp: allocation flags; __GFP_ACCOUNT charges the current memory cgroup
 *
 * Return: the neighbour, to be freed with pmesh_peer_free_rcu(), or NULL.
 */
struct pmesh_peer *pmesh_peer_alloc(gfp_t gfp)
{
	struct pmesh_peer *peer;
	int cpu;

	peer = kzalloc(sizeof(*peer), gfp);
	if (!peer)
		return NULL;
	peer->stats = alloc_percpu_gfp(struct pmesh_peer_stats, gfp);
	if (!peer->stats) {
		kfree(peer);
		return NULL;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(peer->stats, cpu)->syncp);
	return peer;
}

/**
 * pmesh_peer_free_rcu() - free a neighbour, as an RCU callback or directly
 * @rcu: its &pmesh_peer.rcu
 */
void pmesh_peer_free_rcu(struct rcu_head *rcu)
{
	struct pmesh_peer *peer = container_of(rcu, struct pmesh_peer, rcu);

	dst_cache_destroy(&peer->dst_cache);
	free_percpu(peer->stats);
	kfree(peer);
}

/**
 * pmesh_peer_add() - add a static UDP peer
 * @mesh: the mesh
 * @addr: the peer's endpoint
 * @extack: where to say why not
 *
 * Context: process context, with the namespace's &pmesh_net.lock held.
 * Return: 0 or a negative errno.
 */
int pmesh_peer_add(struct pmesh_mesh *mesh, const union pmesh_addr *addr,
		   struct netlink_ext_ack *extack)
{
	struct pmesh_peer *peer;

	lockdep_assert_held(&pmesh_net(mesh->net)->lock);

	if (pmesh_peer_find(mesh, addr)) {
		NL_SET_ERR_MSG(extack, "peer already exists");
		return -EEXIST;
	}
	if (mesh->n_peers >= PMESH_MAX_PEERS) {
		NL_SET_ERR_MSG_FMT(extack, "too many peers in mesh %u (limit %u)",
				   mesh->id, PMESH_MAX_PEERS);
		return -ENOSPC;
	}
	if (addr->sa.sa_family == AF_INET6 && !rcu_access_pointer(mesh->sock6)) {
		NL_SET_ERR_MSG(extack, "IPv6 is not available in this namespace");
		return -EAFNOSUPPORT;
	}

	peer = pmesh_peer_alloc(GFP_KERNEL_ACCOUNT);
	if (!peer)
		return -ENOMEM;
	if (dst_cache_init(&peer->dst_cache, GFP_KERNEL_ACCOUNT)) {
		pmesh_peer_free_rcu(&peer->rcu);
		return -ENOMEM;
	}
	peer->addr = *addr;
	list_add_tail_rcu(&peer->list, &mesh->peers);
	WRITE_ONCE(mesh->n_peers, mesh->n_peers + 1);
	return 0;
}

static void pmesh_peer_remove(struct pmesh_mesh *mesh, struct pmesh_peer *peer)
{
	list_del_rcu(&peer->list);
	WRITE_ONCE(mesh->n_peers, mesh->n_peers - 1);
	call_rcu(&peer->rcu, pmesh_peer_free_rcu);
}

/**
 * pmesh_peer_del() - remove a static UDP peer
 * @mesh: the mesh
 * @addr: the peer's endpoint
 * @extack: where to say why not
 *
 * Context: process context, with the namespace's &pmesh_net.lock held.
 * Return: 0 or -ENOENT.
 */
int pmesh_peer_del(struct pmesh_mesh *mesh, const union pmesh_addr *addr,
		   struct netlink_ext_ack *extack)
{
	struct pmesh_peer *peer;

	lockdep_assert_held(&pmesh_net(mesh->net)->lock);

	peer = pmesh_peer_find(mesh, addr);
	if (!peer) {
		NL_SET_ERR_MSG(extack, "no such peer");
		return -ENOENT;
	}
	if (READ_ONCE(peer->up)) {
		WRITE_ONCE(peer->up, false);
		pmesh_nl_notify_neigh(mesh, peer, false);
	}
	pmesh_peer_remove(mesh, peer);
	return 0;
}

/**
 * pmesh_peers_flush() - remove every peer of a mesh
 * @mesh: the mesh
 *
 * Context: process context, with the namespace's &pmesh_net.lock held.
 */
void pmesh_peers_flush(struct pmesh_mesh *mesh)
{
	struct pmesh_peer *peer, *tmp;

	lockdep_assert_held(&pmesh_net(mesh->net)->lock);

	list_for_each_entry_safe(peer, tmp, &mesh->peers, list)
		pmesh_peer_remove(mesh, peer);
}

/**
 * pmesh_peer_from_skb() - the peer a received frame came from
 * @mesh: the mesh
 * @skb: the frame, with its IP and UDP headers still in place
 *
 * Context: under rcu_read_lock().
 * Return: the peer, or NULL if the sender is not one.
 */
struct pmesh_peer *pmesh_peer_from_skb(struct pmesh_mesh *mesh,
				       const struct sk_buff *skb)
{
	union pmesh_addr src = {};

	if (ip_hdr(skb)->version == 4) {
		src.sin.sin_family = AF_INET;
		src.sin.sin_addr.s_addr = ip_hdr(skb)->saddr;
	} else {
		src.sin6.sin6_family = AF_INET6;
		src.sin6.sin6_addr = ipv6_hdr(skb)->saddr;
	}
	/* sin_port and sin6_port sit at the same offset. */
	src.sin.sin_port = udp_hdr(skb)->source;
	return pmesh_peer_find(mesh, &src);
}

/**
 * pmesh_peer_totals() - sum a peer's counters over all CPUs
 * @peer: the peer
 * @t: the sums
 */
void pmesh_peer_totals(const struct pmesh_peer *peer,
		       struct pmesh_peer_totals *t)
{
	int cpu;

	memset(t, 0, sizeof(*t));
	for_each_possible_cpu(cpu) {
		const struct pmesh_peer_stats *s = per_cpu_ptr(peer->stats, cpu);
		u64 rxf, rxb, txf, txb, dup;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			rxf = u64_stats_read(&s->rx_frames);
			rxb = u64_stats_read(&s->rx_bytes);
			txf = u64_stats_read(&s->tx_frames);
			txb = u64_stats_read(&s->tx_bytes);
			dup = u64_stats_read(&s->duplicates);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		t->rx_frames += rxf;
		t->rx_bytes += rxb;
		t->tx_frames += txf;
		t->tx_bytes += txb;
		t->duplicates += dup;
	}
}
