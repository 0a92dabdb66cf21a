/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Static UDP peers: the configured neighbours of a mesh on its UDP bearer.
 */
#ifndef _PMESH_PEER_H
#define _PMESH_PEER_H

#include <linux/list.h>

#include "neigh.h"

struct netlink_ext_ack;
struct pmesh_mesh;
struct sk_buff;

/**
 * struct pmesh_peers - the UDP neighbours of a mesh: configured and learned
 * @list: the peers (struct pmesh_neigh); RCU list, changed under
 *	&pmesh_net.lock
 * @count: configured entries in @list (READ_ONCE)
 * @learned: learned entries in @list, up or tried (READ_ONCE)
 */
struct pmesh_peers {
	struct list_head list;
	unsigned int count;
	unsigned int learned;
};

void pmesh_peers_init(struct pmesh_mesh *mesh);
int pmesh_peer_add(struct pmesh_mesh *mesh, const union pmesh_addr *addr,
		   struct netlink_ext_ack *extack);
int pmesh_peer_del(struct pmesh_mesh *mesh, const union pmesh_addr *addr,
		   struct netlink_ext_ack *extack);
void pmesh_peers_flush(struct pmesh_mesh *mesh);
struct pmesh_neigh *pmesh_peer_from_skb(struct pmesh_mesh *mesh,
					const struct sk_buff *skb);
void pmesh_peer_src(const struct sk_buff *skb, union pmesh_addr *src);
struct pmesh_neigh *pmesh_peer_find(struct pmesh_mesh *mesh,
				    const union pmesh_addr *addr);
int pmesh_peer_learn(struct pmesh_mesh *mesh, const union pmesh_addr *addr);
void pmesh_peer_forget(struct pmesh_mesh *mesh, struct pmesh_neigh *peer);
void pmesh_peers_hello_plan(struct pmesh_mesh *mesh);
unsigned int pmesh_peers_check(struct pmesh_mesh *mesh, bool *came_up);

#endif /* _PMESH_PEER_H */
