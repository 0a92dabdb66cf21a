/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UDP bearer: a mesh's kernel UDP sockets, IPv4 and IPv6, on its port.
 */
#ifndef _PMESH_UDP_H
#define _PMESH_UDP_H

#include <linux/rcupdate.h>

struct netlink_ext_ack;
struct pmesh_mesh;
struct pmesh_neigh;
struct sk_buff;
struct socket;

/**
 * struct pmesh_udp - the UDP bearer of a mesh
 * @sock4: the IPv4 socket (RCU; NULL once the mesh is deleted)
 * @sock6: the IPv6 socket (RCU; NULL without IPv6)
 */
struct pmesh_udp {
	struct socket __rcu *sock4;
	struct socket __rcu *sock6;
};

int pmesh_udp_open(struct pmesh_mesh *mesh, struct netlink_ext_ack *extack);
void pmesh_udp_close(struct pmesh_mesh *mesh);
bool pmesh_udp_has_ipv6(struct pmesh_mesh *mesh);
void pmesh_udp_xmit(struct pmesh_mesh *mesh, struct pmesh_neigh *peer,
		    struct sk_buff *skb);

#endif /* _PMESH_UDP_H */
