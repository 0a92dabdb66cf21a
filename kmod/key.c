// SPDX-License-Identifier: GPL-2.0
/*
 * Keys of keyed meshes (Documentation/design/keyed-meshes.md). An admin
 * sets 32 bytes; the mesh keeps what keyed BLAKE2s derives from them: a
 * sealing key and a hop key, each bound to the mesh's id so that two
 * meshes never share one, and a fingerprint that is not bound to it, for
 * admins to compare across nodes. The set key itself is not kept, and
 * every copy is wiped.
 *
 * A key changed on a keyed mesh takes effect in two steps, so that nodes
 * given the new key one after the other, in any order, within the mesh's
 * key-switch seconds, lose nothing: the new key is opened at once and
 * sealed with key-switch seconds later, when every node opens it; the old
 * one is opened for key-switch seconds more (and the clock skew), while
 * the nodes switched last still seal with it.
 */
#include <crypto/blake2s.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/jiffies.h>
#include <linux/unaligned.h>

#include "key.h"
#include "mesh.h"

#define PMESH_LABEL_MAX	24

static void pmesh_key_derive(u8 *out, const u8 *key, const char *label,
			     u32 mesh_id)
{
	size_t n = strlen(label);
	u8 in[PMESH_LABEL_MAX + 4];

	memcpy(in, label, n);
	put_unaligned_be32(mesh_id, in + n);
	blake2s(out, in, key, PMESH_KEY_LEN, n + 4, PMESH_KEY_LEN);
	memzero_explicit(in, sizeof(in));
}

static u64 pmesh_key_fingerprint(const u8 *key)
{
	static const char label[] = "pmesh fingerprint v1";
	u8 fp[PMESH_KEY_FP_LEN];

	blake2s(fp, label, key, sizeof(fp), sizeof(label) - 1, PMESH_KEY_LEN);
	return get_unaligned_be64(fp);
}

static void pmesh_key_free_rcu(struct rcu_head *rcu)
{
	kfree_sensitive(container_of(rcu, struct pmesh_key, rcu));
}

/* Put @k in @slot; what was there goes after a grace period. */
static void pmesh_key_put_slot(struct pmesh_keys *keys,
			       struct pmesh_key __rcu **slot,
			       struct pmesh_key *k)
{
	struct pmesh_key *old;

	old = rcu_replace_pointer(*slot, k, lockdep_is_held(&keys->lock));
	if (old)
		call_rcu(&old->rcu, pmesh_key_free_rcu);
}

static struct pmesh_key *pmesh_key_slot(struct pmesh_keys *keys,
					struct pmesh_key __rcu **slot)
{
	return rcu_dereference_protected(*slot, lockdep_is_held(&keys->lock));
}

/* The steps of a change of key: the switch, then the old key's end. */
static void pmesh_keys_work(struct work_struct *work)
{
	struct pmesh_keys *keys = container_of(to_delayed_work(work),
					       struct pmesh_keys, work);
	struct pmesh_key *next;

	mutex_lock(&keys->lock);
	next = pmesh_key_slot(keys, &keys->next);
	if (next) {
		/* cur moves to prev: no grace period, no reader misses it. */
		rcu_assign_pointer(keys->prev, pmesh_key_slot(keys, &keys->cur));
		rcu_assign_pointer(keys->cur, next);
		RCU_INIT_POINTER(keys->next, NULL);
		queue_delayed_work(system_wq, &keys->work,
				   secs_to_jiffies(READ_ONCE(keys->switch_secs) +
						   PMESH_CLOCK_SKEW));
	} else {
		pmesh_key_put_slot(keys, &keys->prev, NULL);
	}
	mutex_unlock(&keys->lock);
}

/**
 * pmesh_keys_init() - a key-less mesh
 * @mesh: the mesh, not yet visible
 * @switch_secs: the mesh's key-switch
 */
void pmesh_keys_init(struct pmesh_mesh *mesh, u32 switch_secs)
{
	mutex_init(&mesh->keys.lock);
	mesh->keys.switch_secs = switch_secs;
	INIT_DELAYED_WORK(&mesh->keys.work, pmesh_keys_work);
}

/**
 * pmesh_key_set() - key a mesh, or change its key
 * @mesh: the mesh
 * @key: PMESH_KEY_LEN bytes, which the caller wipes
 *
 * A key-less mesh is keyed at once. A keyed one opens the new key at once
 * and seals with it key-switch seconds later; the key it had is opened
 * for key-switch seconds more, and the clock skew.
 *
 * Context: process context.
 * Return: 0; -EBUSY while a change of key is under way; -ENOMEM.
 */
int pmesh_key_set(struct pmesh_mesh *mesh, const u8 *key)
{
	struct pmesh_keys *keys = &mesh->keys;
	struct pmesh_key *k, *cur;
	int err = 0;

	BUILD_BUG_ON(sizeof("pmesh seal v1") - 1 > PMESH_LABEL_MAX);
	k = kzalloc(sizeof(*k), GFP_KERNEL_ACCOUNT);
	if (!k)
		return -ENOMEM;
	pmesh_key_derive(k->seal, key, "pmesh seal v1", mesh->id);
	pmesh_key_derive(k->hop, key, "pmesh hop v1", mesh->id);
	k->fp = pmesh_key_fingerprint(key);

	mutex_lock(&keys->lock);
	cur = pmesh_key_slot(keys, &keys->cur);
	if (!cur) {
		pmesh_key_put_slot(keys, &keys->cur, k);
	} else if (cur->fp == k->fp) {
		/* The key it has: nothing to change. */
		kfree_sensitive(k);
	} else if (pmesh_key_slot(keys, &keys->next) ||
		   pmesh_key_slot(keys, &keys->prev)) {
		kfree_sensitive(k);
		err = -EBUSY;
	} else {
		pmesh_key_put_slot(keys, &keys->next, k);
		mod_delayed_work(system_wq, &keys->work,
				 secs_to_jiffies(READ_ONCE(keys->switch_secs)));
	}
	mutex_unlock(&keys->lock);
	return err;
}

/**
 * pmesh_key_clear() - make a mesh key-less, at once
 * @mesh: the mesh
 *
 * Context: process context.
 */
void pmesh_key_clear(struct pmesh_mesh *mesh)
{
	struct pmesh_keys *keys = &mesh->keys;

	mutex_lock(&keys->lock);
	/* A step still queued finds nothing to do. */
	cancel_delayed_work(&keys->work);
	pmesh_key_put_slot(keys, &keys->next, NULL);
	pmesh_key_put_slot(keys, &keys->prev, NULL);
	pmesh_key_put_slot(keys, &keys->cur, NULL);
	mutex_unlock(&keys->lock);
}

/**
 * pmesh_keys_set_switch() - change a mesh's key-switch
 * @mesh: the mesh
 * @switch_secs: seconds; a step already queued keeps its time
 */
void pmesh_keys_set_switch(struct pmesh_mesh *mesh, u32 switch_secs)
{
	WRITE_ONCE(mesh->keys.switch_secs, switch_secs);
}

/**
 * pmesh_key_fps() - the fingerprints of a mesh's keys
 * @mesh: the mesh
 * @fps: filled; 0 for an empty slot
 */
void pmesh_key_fps(struct pmesh_mesh *mesh, struct pmesh_key_fps *fps)
{
	struct pmesh_key *k;

	rcu_read_lock();
	k = rcu_dereference(mesh->keys.cur);
	fps->cur = k ? k->fp : 0;
	k = rcu_dereference(mesh->keys.next);
	fps->next = k ? k->fp : 0;
	k = rcu_dereference(mesh->keys.prev);
	fps->prev = k ? k->fp : 0;
	rcu_read_unlock();
}

/**
 * pmesh_key_find() - the key of a mesh a frame names
 * @mesh: the mesh
 * @fp: the fingerprint in the frame
 *
 * Context: under rcu_read_lock().
 * Return: the key with that fingerprint that the mesh opens, or NULL.
 */
const struct pmesh_key *pmesh_key_find(struct pmesh_mesh *mesh, u64 fp)
{
	struct pmesh_key *k;

	k = rcu_dereference(mesh->keys.cur);
	if (k && k->fp == fp)
		return k;
	k = rcu_dereference(mesh->keys.next);
	if (k && k->fp == fp)
		return k;
	k = rcu_dereference(mesh->keys.prev);
	if (k && k->fp == fp)
		return k;
	return NULL;
}

/**
 * pmesh_keys_stop() - no more steps of a change of key
 * @mesh: the mesh, being deleted
 *
 * Context: process context.
 */
void pmesh_keys_stop(struct pmesh_mesh *mesh)
{
	cancel_delayed_work_sync(&mesh->keys.work);
}

/**
 * pmesh_keys_destroy() - wipe and free a mesh's keys
 * @mesh: the mesh, whose last reference is going; its steps stopped
 *
 * Readers that found the mesh under RCU may still hold a key: each goes
 * after a grace period, as the mesh does.
 */
void pmesh_keys_destroy(struct pmesh_mesh *mesh)
{
	struct pmesh_keys *keys = &mesh->keys;
	struct pmesh_key __rcu **slots[] = { &keys->cur, &keys->next,
					     &keys->prev };
	struct pmesh_key *k;
	int i;

	for (i = 0; i < ARRAY_SIZE(slots); i++) {
		k = rcu_dereference_protected(*slots[i], true);
		RCU_INIT_POINTER(*slots[i], NULL);
		if (k)
			call_rcu(&k->rcu, pmesh_key_free_rcu);
	}
}
