/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AF_PMESH sockets: the family, and the sockets bound to each mesh.
 */
#ifndef _PMESH_SOCKET_H
#define _PMESH_SOCKET_H

#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/siphash.h>

#include "limits.h"

struct pmesh_mesh;

/**
 * struct pmesh_channels - the sockets bound to a mesh
 * @lock: serialises bind, release and the mesh's deletion; a mutex, as all
 *	three run in process context and deletion walks every bound socket
 * @hash: bound sockets by channel, with a keyed hash so that a local user
 *	cannot choose channels to fill one bucket; readers walk it under RCU
 * @key: the hash key
 */
struct pmesh_channels {
	struct mutex lock; /* bind, release and deletion vs. @hash */
	DECLARE_HASHTABLE(hash, PMESH_CHANNEL_HASH_BITS);
	siphash_key_t key;
};

void pmesh_channels_init(struct pmesh_mesh *mesh);
void pmesh_channels_destroy(struct pmesh_mesh *mesh);
void pmesh_sock_mesh_gone(struct pmesh_mesh *mesh);

int pmesh_sock_init(void);
void pmesh_sock_exit(void);

#endif /* _PMESH_SOCKET_H */
