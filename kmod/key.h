/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The keys of a keyed mesh: what is derived from the key an admin sets,
 * its fingerprint, a change of key in two steps, and their life under RCU.
 * Of all of it, only fingerprints ever leave the kernel.
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
 * @fp: its fingerprint: shown to admins, and named in every frame it seals;
 *	0 for an empty slot (a key whose fingerprint is 0 is refused)
 * @seal: the end-to-end key, XChaCha20-Poly1305 of payloads
 * @hop: the per-hop key, keyed BLAKE2s of headers
 *
 * The key set by the admin is not kept: only what is derived from it.
 */
struct pmesh_key {
	u64 fp;
	u8 seal[PMESH_KEY_LEN];
	u8 hop[PMESH_KEY_LEN];
};

/* The slots of a &struct pmesh_keyset. */
enum {
	PMESH_KEY_CUR,	/* sealed with and opened */
	PMESH_KEY_NEXT,	/* opened; sealed with from the switch on */
	PMESH_KEY_PREV,	/* still opened, until it is dropped */
	PMESH_KEY_SLOTS,
};

/**
 * struct pmesh_keyset - a mesh's keys at one moment, never changed once
 *	published: a change publishes a new set, so that a reader sees the
 *	three slots of one moment
 * @key: the slots, PMESH_KEY_*
 * @rcu: frees it, wiped, once readers are done
 */
struct pmesh_keyset {
	struct pmesh_key key[PMESH_KEY_SLOTS];
	struct rcu_head rcu;
};

/**
 * struct pmesh_keys - the keys of a mesh, and a change of key under way
 * @lock: serialises changes; taken by key.c alone
 * @set: the keys; NULL while the mesh is key-less
 * @switch_secs: how long a change of key waits at each step: the longest
 *	the nodes of a mesh may take to all get the new key (READ_ONCE)
 * @step_at: jiffies from which @work may take its next step: a run of it
 *	left over from an earlier change does nothing before
 * @work: takes the steps
 */
struct pmesh_keys {
	struct mutex lock; /* changes to @set and the steps */
	struct pmesh_keyset __rcu *set;
	u32 switch_secs;
	unsigned long step_at;
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
int pmesh_key_set(struct pmesh_mesh *mesh, const u8 *key, u32 switch_secs);
void pmesh_key_clear(struct pmesh_mesh *mesh);
void pmesh_keys_set_switch(struct pmesh_mesh *mesh, u32 switch_secs);
void pmesh_key_fps(struct pmesh_mesh *mesh, struct pmesh_key_fps *fps);
bool pmesh_keyed(struct pmesh_mesh *mesh);
const struct pmesh_key *pmesh_key_cur(struct pmesh_mesh *mesh);
const struct pmesh_key *pmesh_key_find(struct pmesh_mesh *mesh, u64 fp);
void pmesh_keys_stop(struct pmesh_mesh *mesh);
void pmesh_keys_destroy(struct pmesh_mesh *mesh);

#endif /* _PMESH_KEY_H */
