// SPDX-License-Identifier: GPL-2.0
/*
 * The UDP bearer. Each mesh owns a kernel UDP socket per address family on
 * its port, set up with the UDP tunnel helpers: frames arrive through the
 * encap_rcv hook in softirq, with no wake-up of any process, and leave
 * through udp_tunnel{,6}_xmit_skb() from the same port, so that a peer
 * knows the sender by its address and port.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ipv6_stubs.h>
#include <net/netlink.h>
#include <net/route.h>
#include <net/udp_tunnel.h>

#include "datapath.h"
#include "mesh.h"
#include "neigh.h"
#include "peer.h"
#include "udp.h"

/* The encap_rcv hook: skb->data is at the UDP header. Always consumes. */
static int pmesh_udp_recv(struct sock *sk, struct sk_buff *skb)
{
	struct pmesh_mesh *mesh = rcu_dereference_sk_user_data(sk);
	struct pmesh_neigh *from;

	if (unlikely(!mesh))
		goto drop;
	from = pmesh_peer_from_skb(mesh, skb);
	if (!from) {
		pmesh_receive_unknown(mesh, skb);
		return 0;
	}
	__skb_pull(skb, sizeof(struct udphdr));
	pmesh_receive(mesh, from, skb);
	return 0;

drop:
	kfree_skb(skb);
	return 0;
}

static int pmesh_udp_sock(struct pmesh_mesh *mesh, int family,
			  struct socket **sockp)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data = mesh,
		.encap_type = 1,
		.encap_rcv = pmesh_udp_recv,
	};
	struct udp_port_cfg cfg = {
		.family = family,
		.local_udp_port = htons(mesh->port),
		.use_udp_checksums = true,
		.use_udp6_tx_checksums = true,
		.use_udp6_rx_checksums = true,
		.ipv6_v6only = true,
	};
	int err;

	if (family == AF_INET)
		cfg.local_ip.s_addr = htonl(INADDR_ANY);
#if IS_ENABLED(CONFIG_IPV6)
	else
		cfg.local_ip6 = in6addr_any;
#endif
	err = udp_sock_create(mesh->net, &cfg, sockp);
	if (err)
		return err;
	setup_udp_tunnel_sock(mesh->net, *sockp, &tcfg);
	return 0;
}

/**
 * pmesh_udp_open() - open the mesh's UDP sockets on its port
 * @mesh: the mesh, not yet visible to anyone
 * @extack: where to say why not
 *
 * IPv6 is optional: in a namespace without it the mesh runs on IPv4 alone.
 *
 * Return: 0 or a negative errno (EADDRINUSE when the port is taken).
 */
int pmesh_udp_open(struct pmesh_mesh *mesh, struct netlink_ext_ack *extack)
{
	struct socket *sock4, *sock6 = NULL;
	int err;

	err = pmesh_udp_sock(mesh, AF_INET, &sock4);
	if (err) {
		NL_SET_ERR_MSG_FMT(extack, "cannot open UDP port %u", mesh->port);
		return err;
	}
#if IS_ENABLED(CONFIG_IPV6)
	err = pmesh_udp_sock(mesh, AF_INET6, &sock6);
	if (err == -EAFNOSUPPORT) {
		sock6 = NULL;
	} else if (err) {
		udp_tunnel_sock_release(sock4);
		NL_SET_ERR_MSG_FMT(extack, "cannot open UDP port %u for IPv6",
				   mesh->port);
		return err;
	}
#endif
	rcu_assign_pointer(mesh->udp.sock4, sock4);
	rcu_assign_pointer(mesh->udp.sock6, sock6);
	return 0;
}

/**
 * pmesh_udp_unhook() - stop receiving and sending on the mesh's UDP sockets
 * @mesh: the mesh, being deleted
 *
 * Frames already inside the receive or send path may still use the
 * sockets until an RCU grace period has passed; then
 * pmesh_udp_release() closes them. A deletion of many meshes waits for
 * one grace period in all.
 */
void pmesh_udp_unhook(struct pmesh_mesh *mesh)
{
	struct pmesh_udp *u = &mesh->udp;
	int i;

	u->closing[0] = rcu_replace_pointer(u->sock4, NULL, true);
	u->closing[1] = rcu_replace_pointer(u->sock6, NULL, true);
	for (i = 0; i < ARRAY_SIZE(u->closing); i++)
		if (u->closing[i])
			rcu_assign_sk_user_data(u->closing[i]->sk, NULL);
}

/**
 * pmesh_udp_release() - close the sockets pmesh_udp_unhook() unhooked
 * @mesh: the mesh
 *
 * What udp_tunnel_sock_release() does, less its grace period, which the
 * caller has waited for since pmesh_udp_unhook().
 *
 * Context: process context.
 */
void pmesh_udp_release(struct pmesh_mesh *mesh)
{
	struct pmesh_udp *u = &mesh->udp;
	int i;

	for (i = 0; i < ARRAY_SIZE(u->closing); i++) {
		if (!u->closing[i])
			continue;
		kernel_sock_shutdown(u->closing[i], SHUT_RDWR);
		sock_release(u->closing[i]);
		u->closing[i] = NULL;
	}
}

/**
 * pmesh_udp_has_ipv6() - whether the mesh can reach IPv6 peers
 * @mesh: the mesh
 *
 * Context: with the namespace's &pmesh_net.lock held.
 * Return: true if the mesh has its IPv6 socket.
 */
bool pmesh_udp_has_ipv6(struct pmesh_mesh *mesh)
{
	return rcu_access_pointer(mesh->udp.sock6);
}

static int pmesh_udp_xmit4(struct pmesh_mesh *mesh, struct sock *sk,
			   struct pmesh_neigh *peer, struct sk_buff *skb)
{
	const struct sockaddr_in *to = &peer->addr.sin;
	struct flowi4 fl = {
		.daddr = to->sin_addr.s_addr,
		.fl4_dport = to->sin_port,
		.fl4_sport = htons(mesh->port),
		.flowi4_proto = IPPROTO_UDP,
	};
	struct rtable *rt;

	rt = dst_cache_get_ip4(&peer->dst_cache, &fl.saddr);
	if (!rt) {
		rt = ip_route_output_flow(mesh->net, &fl, sk);
		if (IS_ERR(rt))
			return PTR_ERR(rt);
		dst_cache_set_ip4(&peer->dst_cache, &rt->dst, fl.saddr);
	}
	if (skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) +
			 rt->dst.header_len + sizeof(struct iphdr) +
			 sizeof(struct udphdr))) {
		ip_rt_put(rt);
		return -ENOMEM;
	}
	udp_tunnel_xmit_skb(rt, sk, skb, fl.saddr, fl.daddr, 0,
			    ip4_dst_hoplimit(&rt->dst), 0, fl.fl4_sport,
			    fl.fl4_dport, false, false);
	return 0;
}

#if IS_ENABLED(CONFIG_IPV6)
static int pmesh_udp_xmit6(struct pmesh_mesh *mesh, struct sock *sk,
			   struct pmesh_neigh *peer, struct sk_buff *skb)
{
	const struct sockaddr_in6 *to = &peer->addr.sin6;
	struct flowi6 fl = {
		.daddr = to->sin6_addr,
		.fl6_dport = to->sin6_port,
		.fl6_sport = htons(mesh->port),
		.flowi6_oif = to->sin6_scope_id,
		.flowi6_proto = IPPROTO_UDP,
	};
	struct dst_entry *dst;

	dst = dst_cache_get_ip6(&peer->dst_cache, &fl.saddr);
	if (!dst) {
		dst = ipv6_stub->ipv6_dst_lookup_flow(mesh->net, sk, &fl, NULL);
		if (IS_ERR(dst))
			return PTR_ERR(dst);
		dst_cache_set_ip6(&peer->dst_cache, dst, &fl.saddr);
	}
	if (skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev) + dst->header_len +
			 sizeof(struct ipv6hdr) + sizeof(struct udphdr))) {
		dst_release(dst);
		return -ENOMEM;
	}
	udp_tunnel6_xmit_skb(dst, sk, skb, NULL, &fl.saddr, &fl.daddr, 0,
			     ip6_dst_hoplimit(dst), 0, fl.fl6_sport,
			     fl.fl6_dport, false);
	return 0;
}
#endif

/**
 * pmesh_udp_xmit() - send a frame to one peer
 * @mesh: the mesh
 * @peer: the peer
 * @skb: the frame, skb->data at the pmesh header; consumed
 *
 * Context: BH disabled, under rcu_read_lock().
 */
void pmesh_udp_xmit(struct pmesh_mesh *mesh, struct pmesh_neigh *peer,
		    struct sk_buff *skb)
{
	unsigned int len = skb->len;
	struct socket *sock;
	int err = -EAFNOSUPPORT;

	pmesh_skb_scrub(skb);
	/* Free to be fragmented where a path's MTU is below the datagrams. */
	skb->ignore_df = 1;

	if (peer->addr.sa.sa_family == AF_INET) {
		sock = rcu_dereference(mesh->udp.sock4);
		if (sock)
			err = pmesh_udp_xmit4(mesh, sock->sk, peer, skb);
#if IS_ENABLED(CONFIG_IPV6)
	} else {
		sock = rcu_dereference(mesh->udp.sock6);
		if (sock)
			err = pmesh_udp_xmit6(mesh, sock->sk, peer, skb);
#endif
	}
	if (err) {
		kfree_skb(skb);
		return;
	}
	pmesh_neigh_count(peer, false, len);
}
