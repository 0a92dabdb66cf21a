/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UDP bearer: a mesh's kernel UDP sockets, IPv4 and IPv6, on its port.
 */
#ifndef _PMESH_UDP_H
#define _PMESH_UDP_H

struct netlink_ext_ack;
struct pmesh_mesh;
struct pmesh_peer;
struct sk_buff;

int pmesh_udp_open(struct pmesh_mesh *mesh, struct netlink_ext_ack *extack);
void pmesh_udp_close(struct pmesh_mesh *mesh);
void pmesh_udp_xmit(struct pmesh_mesh *mesh, struct pmesh_peer *peer,
		    struct sk_buff *skb);

#endif /* _PMESH_UDP_H */
