// SPDX-License-Identifier: GPL-2.0
/*
 * UDP peers: the configured ones, and those the overlay learns (overlay.c
 * decides, this file adds and removes). The list is read under RCU by the
 * data path (to flood, and to find the peer a frame came from) and by the
 * hello round, and changed under the namespace's mesh lock, by netlink and
 * the overlay's work. A mesh has at most PMESH_MAX_PEERS configured and
 * PMESH_OV_MAX_LEARNED learned, so finding the sender by a walk of the
 * list stays cheap. The peers themselves are neighbours (neigh.c).
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/ipv6.h>
#include <net/netlink.h>

#include "core/overlay.h"
#include "mesh.h"
#include "neigh.h"
#include "peer.h"
#include "udp.h"

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

/**
 * pmesh_peer_find() - the peer at an address
 * @mesh: the mesh
 * @addr: the endpoint
 *
 * Context: under rcu_read_lock() or the namespace's &pmesh_net.lock.
 * Return: the peer, configured or learned, or NULL.
 */
struct pmesh_neigh *pmesh_peer_find(struct pmesh_mesh *mesh,
				    const union pmesh_addr *addr)
{
	struct pmesh_neigh *peer;

	list_for_each_entry_rcu(peer, &mesh->peers.list, list,
				lockdep_is_held(&pmesh_net(mesh->net)->lock))
		if (pmesh_addr_equal(&peer->addr, addr))
			return peer;
	return NULL;
}

/**
 * pmesh_peers_init() - no peers yet
 * @mesh: the mesh, not yet visible
 */
void pmesh_peers_init(struct pmesh_mesh *mesh)
{
	INIT_LIST_HEAD(&mesh->peers.list);
	mesh->peers.count = 0;
	mesh->peers.learned = 0;
}

static void pmesh_peer_remove(struct pmesh_mesh *mesh, struct pmesh_neigh *peer,
			      bool notify)
{
	list_del_rcu(&peer->list);
	if (peer->learned)
		WRITE_ONCE(mesh->peers.learned, mesh->peers.learned - 1);
	else
		WRITE_ONCE(mesh->peers.count, mesh->peers.count - 1);
	pmesh_neigh_remove(mesh, peer, notify);
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
	struct pmesh_neigh *peer, *learned;

	lockdep_assert_held(&pmesh_net(mesh->net)->lock);

	peer = pmesh_peer_find(mesh, addr);
	if (peer && !peer->learned) {
		NL_SET_ERR_MSG(extack, "peer already exists");
		return -EEXIST;
	}
	if (mesh->peers.count >= PMESH_MAX_PEERS) {
		NL_SET_ERR_MSG_FMT(extack, "too many peers in mesh %u (limit %u)",
				   mesh->id, PMESH_MAX_PEERS);
		return -ENOSPC;
	}
	if (addr->sa.sa_family == AF_INET6 && !pmesh_udp_has_ipv6(mesh)) {
		NL_SET_ERR_MSG(extack, "IPv6 is not available in this namespace");
		return -EAFNOSUPPORT;
	}

	/* A learned neighbour at that address becomes a configured one. */
	learned = peer;
	peer = pmesh_neigh_create_peer(mesh, addr, false);
	if (!peer)
		return -ENOMEM;
	if (learned)
		pmesh_peer_remove(mesh, learned, true);
	list_add_tail_rcu(&peer->list, &mesh->peers.list);
	WRITE_ONCE(mesh->peers.count, mesh->peers.count + 1);
	return 0;
}

/**
 * pmesh_peer_learn() - add a learned UDP neighbour, down until heard
 * @mesh: the mesh
 * @addr: its endpoint
 *
 * Context: process context, with the namespace's &pmesh_net.lock held.
 * Return: 0, -EEXIST if a peer is at @addr, -ENOSPC past
 * PMESH_OV_MAX_LEARNED, -EAFNOSUPPORT for IPv6 where the mesh has none,
 * or -ENOMEM.
 */
int pmesh_peer_learn(struct pmesh_mesh *mesh, const union pmesh_addr *addr)
{
	struct pmesh_neigh *peer;

	lockdep_assert_held(&pmesh_net(mesh->net)->lock);

	if (pmesh_peer_find(mesh, addr))
		return -EEXIST;
	if (mesh->peers.learned >= PMESH_OV_MAX_LEARNED)
		return -ENOSPC;
	if (addr->sa.sa_family == AF_INET6 && !pmesh_udp_has_ipv6(mesh))
		return -EAFNOSUPPORT;
	peer = pmesh_neigh_create_peer(mesh, addr, true);
	if (!peer)
		return -ENOMEM;
	list_add_tail_rcu(&peer->list, &mesh->peers.list);
	WRITE_ONCE(mesh->peers.learned, mesh->peers.learned + 1);
	return 0;
}

/**
 * pmesh_peer_forget() - remove a learned UDP neighbour
 * @mesh: the mesh
 * @peer: the neighbour, learned; reported down if it was up
 *
 * Context: process context, with the namespace's &pmesh_net.lock held.
 */
void pmesh_peer_forget(struct pmesh_mesh *mesh, struct pmesh_neigh *peer)
{
	lockdep_assert_held(&pmesh_net(mesh->net)->lock);

	if (!WARN_ON_ONCE(!peer->learned))
		pmesh_peer_remove(mesh, peer, true);
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
	struct pmesh_neigh *peer;

	lockdep_assert_held(&pmesh_net(mesh->net)->lock);

	peer = pmesh_peer_find(mesh, addr);
	if (!peer) {
		NL_SET_ERR_MSG(extack, "no such peer");
		return -ENOENT;
	}
	/* A learned one goes too: the overlay may learn it again. */
	pmesh_peer_remove(mesh, peer, true);
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
	struct pmesh_neigh *peer, *tmp;

	lockdep_assert_held(&pmesh_net(mesh->net)->lock);

	list_for_each_entry_safe(peer, tmp, &mesh->peers.list, list)
		pmesh_peer_remove(mesh, peer, false);
}

/**
 * pmesh_peer_src() - the endpoint a received frame came from
 * @skb: the frame, with its IP and UDP headers still in place
 * @src: its source address and port
 */
void pmesh_peer_src(const struct sk_buff *skb, union pmesh_addr *src)
{
	memset(src, 0, sizeof(*src));
	if (ip_hdr(skb)->version == 4) {
		src->sin.sin_family = AF_INET;
		src->sin.sin_addr.s_addr = ip_hdr(skb)->saddr;
	} else {
		src->sin6.sin6_family = AF_INET6;
		src->sin6.sin6_addr = ipv6_hdr(skb)->saddr;
	}
	/* sin_port and sin6_port sit at the same offset. */
	src->sin.sin_port = udp_hdr(skb)->source;
}

/**
 * pmesh_peer_from_skb() - the peer a received frame came from
 * @mesh: the mesh
 * @skb: the frame, with its IP and UDP headers still in place
 *
 * Context: under rcu_read_lock().
 * Return: the peer, or NULL if the sender is not one.
 */
struct pmesh_neigh *pmesh_peer_from_skb(struct pmesh_mesh *mesh,
					const struct sk_buff *skb)
{
	union pmesh_addr src;

	pmesh_peer_src(skb, &src);
	return pmesh_peer_find(mesh, &src);
}

/**
 * pmesh_peers_hello_plan() - which peers this round's hellos go to
 * @mesh: the mesh
 *
 * On a mesh that learns, a configured peer that stays down while this
 * node has min-neigh UDP neighbours up (one at least) gets hellos ever
 * further apart (pmesh_neigh_hello_due()): ten thousand nodes told one
 * seed's address must not each hello it every second once they are in
 * the mesh, nor a member whose address an administrator left behind. A
 * static mesh, or a node under min-neigh, hellos every peer every round;
 * learned ones too. A peer that comes back and has this node configured
 * hellos it and is up at its next round; a seed that does not waits for
 * the next hello due, a minute at most.
 *
 * Context: process context (the hello round), under rcu_read_lock().
 */
void pmesh_peers_hello_plan(struct pmesh_mesh *mesh)
{
	u32 hello_ms = READ_ONCE(mesh->hello.ms);
	bool enough = false;
	struct pmesh_neigh *peer;
	unsigned int up = 0;

	if (pmesh_overlay_learns(mesh)) {
		list_for_each_entry_rcu(peer, &mesh->peers.list, list)
			up += pmesh_neigh_is_up(peer);
		enough = up && up >= pmesh_overlay_min_neigh(mesh);
	}
	list_for_each_entry_rcu(peer, &mesh->peers.list, list)
		pmesh_neigh_hello_due(peer, enough && !peer->learned &&
				      !pmesh_neigh_is_up(peer), hello_ms);
}

/**
 * pmesh_peers_check() - look at every peer, reporting changes of state
 * @mesh: the mesh
 * @came_up: set to true if a peer came up
 *
 * Context: process context, under rcu_read_lock().
 * Return: how many peers are up.
 */
unsigned int pmesh_peers_check(struct pmesh_mesh *mesh, bool *came_up)
{
	struct pmesh_neigh *peer;
	unsigned int n_up = 0;

	list_for_each_entry_rcu(peer, &mesh->peers.list, list)
		n_up += pmesh_neigh_update(mesh, peer, came_up);
	return n_up;
}
