/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The key of a keyed mesh: what is derived from the key an admin sets, its
 * fingerprint, and its life under RCU. Of all of it, only the fingerprint
 * ever leaves the kernel.
 */
#ifndef _PMESH_KEY_H
#define _PMESH_KEY_H

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/workqueue.h>

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
 * struct pmesh_keys - the keys of a mesh, and a change of key under way
 * @lock: serialises changes to the slots; taken by key.c alone
 * @cur: the key frames are sealed with, and opened; NULL while the mesh is
 *	key-less
 * @next: a key set while @cur was in use: opened at once, sealed with
 *	from @switch_secs after it was set
 * @prev: the key @next replaced: still opened, for @switch_secs and the
 *	clock skew after the switch, then dropped
 * @switch_secs: how long a change of key waits at each step: the longest
 *	the nodes of a mesh may take to all get the new key (READ_ONCE)
 * @work: takes the steps
 *
 * The slots are read under RCU, changed under @lock.
 */
struct pmesh_keys {
	struct mutex lock; /* the slots */
	struct pmesh_key __rcu *cur;
	struct pmesh_key __rcu *next;
	struct pmesh_key __rcu *prev;
	u32 switch_secs;
	struct delayed_work work;
};

/**
 * struct pmesh_key_fps - the fingerprints of a mesh's keys, 0 for none
 * @cur: the key it seals with
 * @next: the key it will seal with
 * @prev: the key it still opens, and will drop
 */
struct pmesh_key_fps {
	u64 cur;
	u64 next;
	u64 prev;
};

void pmesh_keys_init(struct pmesh_mesh *mesh, u32 switch_secs);
int pmesh_key_set(struct pmesh_mesh *mesh, const u8 *key);
void pmesh_key_clear(struct pmesh_mesh *mesh);
void pmesh_keys_set_switch(struct pmesh_mesh *mesh, u32 switch_secs);
void pmesh_key_fps(struct pmesh_mesh *mesh, struct pmesh_key_fps *fps);
const struct pmesh_key *pmesh_key_find(struct pmesh_mesh *mesh, u64 fp);
void pmesh_keys_stop(struct pmesh_mesh *mesh);
void pmesh_keys_destroy(struct pmesh_mesh *mesh);

#endif /* _PMESH_KEY_H */
