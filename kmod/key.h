/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The key of a keyed mesh: what is derived from the key an admin sets, its
 * fingerprint, and its life under RCU. Of all of it, only the fingerprint
 * ever leaves the kernel.
 */
#ifndef _PMESH_KEY_H
#define _PMESH_KEY_H

#include <linux/rcupdate.h>
#include <linux/types.h>

#include "core/auth.h"

struct pmesh_mesh;

/**
 * struct pmesh_key - a mesh's key, as the data path uses it
 * @fp: its fingerprint: shown to admins, and named in every frame it seals
 * @seal: the end-to-end key, XChaCha20-Poly1305 of payloads
 * @hop: the per-hop key, keyed BLAKE2s of headers
 * @rcu: frees it, wiped, once readers are done
 *
 * The key set by the admin is not kept: only what is derived from it.
 */
struct pmesh_key {
	u64 fp;
	u8 seal[PMESH_KEY_LEN];
	u8 hop[PMESH_KEY_LEN];
	struct rcu_head rcu;
};

/**
 * struct pmesh_keys - the keys of a mesh
 * @cur: the key its frames are sealed and opened with; NULL while the mesh
 *	is key-less. Read under RCU, written under the namespace's lock.
 */
struct pmesh_keys {
	struct pmesh_key __rcu *cur;
};

int pmesh_key_set(struct pmesh_mesh *mesh, const u8 *key);
void pmesh_key_clear(struct pmesh_mesh *mesh);
u64 pmesh_key_fp(struct pmesh_mesh *mesh);
void pmesh_keys_destroy(struct pmesh_mesh *mesh);

#endif /* _PMESH_KEY_H */
