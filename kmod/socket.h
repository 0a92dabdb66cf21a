/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AF_PMESH sockets.
 */
#ifndef _PMESH_SOCKET_H
#define _PMESH_SOCKET_H

#include <net/sock.h>

struct pmesh_mesh;

/**
 * struct pmesh_sock - an AF_PMESH socket
 * @sk: the socket; must stay first
 * @mesh: the mesh bound to, with a reference; NULL until bind()
 * @bind_node: entry in @mesh's table of bound sockets
 * @channel: the channel bound to
 * @peer_mesh: the mesh connect() set as default destination, 0 if none
 * @peer_channel: the channel connect() set
 * @hoplimit: PMESH_HOPLIMIT, 0 for the mesh's default
 * @loop: PMESH_LOOP: deliver own datagrams to local sockets
 */
struct pmesh_sock {
	struct sock sk;
	struct pmesh_mesh *mesh;
	struct hlist_node bind_node;
	u16 channel;
	u32 peer_mesh;
	u16 peer_channel;
	u8 hoplimit;
	bool loop;
};

static inline struct pmesh_sock *pmesh_sk(struct sock *sk)
{
	return container_of(sk, struct pmesh_sock, sk);
}

void pmesh_sock_mesh_gone(struct pmesh_mesh *mesh);

int pmesh_sock_init(void);
void pmesh_sock_exit(void);

#endif /* _PMESH_SOCKET_H */
