// SPDX-License-Identifier: GPL-2.0
/*
 * Keys of keyed meshes (Documentation/protocol.md, "Keyed meshes"). An admin
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

static void pmesh_keyset_free_rcu(struct rcu_head *rcu)
{
	kfree_sensitive(container_of(rcu, struct pmesh_keyset, rcu));
}

static struct pmesh_keyset *pmesh_keyset(struct pmesh_keys *keys)
{
	return rcu_dereference_protected(keys->set,
					 lockdep_is_held(&keys->lock));
}

/*
 * Publish @set (NULL: key-less) in place of the mesh's set, which goes,
 * wiped, after a grace period.
 */
static void pmesh_keyset_publish(struct pmesh_keys *keys,
				 struct pmesh_keyset *set)
{
	struct pmesh_keyset *old;

	old = rcu_replace_pointer(keys->set, set, lockdep_is_held(&keys->lock));
	if (old)
		call_rcu(&old->rcu, pmesh_keyset_free_rcu);
}

/* A copy of the mesh's set to change, or NULL (out of memory). */
static struct pmesh_keyset *pmesh_keyset_dup(struct pmesh_keys *keys)
{
	struct pmesh_keyset *old = pmesh_keyset(keys), *set;

	set = kzalloc(sizeof(*set), GFP_KERNEL_ACCOUNT);
	if (set && old)
		memcpy(set->key, old->key, sizeof(set->key));
	return set;
}

/* Queue the next step for @secs from now; earlier runs do nothing. */
static void pmesh_keys_schedule(struct pmesh_keys *keys, u32 secs)
{
	keys->step_at = jiffies + secs_to_jiffies(secs);
	mod_delayed_work(system_wq, &keys->work, secs_to_jiffies(secs));
}

/* The steps of a change of key: the switch, then the old key's end. */
static void pmesh_keys_work(struct work_struct *work)
{
	struct pmesh_keys *keys = container_of(to_delayed_work(work),
					       struct pmesh_keys, work);
	struct pmesh_keyset *old, *set;

	mutex_lock(&keys->lock);
	old = pmesh_keyset(keys);
	/* Left over from a change since replaced, or not yet time. */
	if (!old || time_before(jiffies, keys->step_at))
		goto out;
	if (!old->key[PMESH_KEY_NEXT].fp && !old->key[PMESH_KEY_PREV].fp)
		goto out;
	set = pmesh_keyset_dup(keys);
	if (!set) {
		/* Out of memory: try again in a second. */
		pmesh_keys_schedule(keys, 1);
		goto out;
	}
	if (set->key[PMESH_KEY_NEXT].fp) {
		set->key[PMESH_KEY_PREV] = set->key[PMESH_KEY_CUR];
		set->key[PMESH_KEY_CUR] = set->key[PMESH_KEY_NEXT];
		memzero_explicit(&set->key[PMESH_KEY_NEXT],
				 sizeof(set->key[PMESH_KEY_NEXT]));
		pmesh_keys_schedule(keys, READ_ONCE(keys->switch_secs) +
				    PMESH_CLOCK_SKEW);
	} else {
		memzero_explicit(&set->key[PMESH_KEY_PREV],
				 sizeof(set->key[PMESH_KEY_PREV]));
	}
	pmesh_keyset_publish(keys, set);
out:
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
 * @switch_secs: the mesh's key-switch from now on, this change's included
 *
 * A key-less mesh is keyed at once. A keyed one opens the new key at once
 * and seals with it @switch_secs later; the key it had is opened for
 * @switch_secs more, and the clock skew. The key the mesh seals with, or
 * the one it is changing to, given again changes nothing.
 *
 * Context: process context.
 * Return: 0; -EBUSY while another change of key is under way; -EINVAL for
 * a key whose fingerprint is 0; -ENOMEM. Nothing changed on error.
 */
int pmesh_key_set(struct pmesh_mesh *mesh, const u8 *key, u32 switch_secs)
{
	struct pmesh_keys *keys = &mesh->keys;
	struct pmesh_keyset *old, *set;
	struct pmesh_key k;
	int err = 0;

	BUILD_BUG_ON(sizeof("pmesh seal v1") - 1 > PMESH_LABEL_MAX);
	pmesh_key_derive(k.seal, key, "pmesh seal v1", mesh->id);
	pmesh_key_derive(k.hop, key, "pmesh hop v1", mesh->id);
	k.fp = pmesh_key_fingerprint(key);
	if (!k.fp) {
		err = -EINVAL;
		goto wipe;
	}

	mutex_lock(&keys->lock);
	old = pmesh_keyset(keys);
	if (old && (k.fp == old->key[PMESH_KEY_NEXT].fp ||
		    (k.fp == old->key[PMESH_KEY_CUR].fp &&
		     !old->key[PMESH_KEY_NEXT].fp))) {
		/* The key it seals with, or will: nothing to change. */
		WRITE_ONCE(keys->switch_secs, switch_secs);
		goto unlock;
	}
	/* Another key, or back to the old one, while a change is on. */
	if (old && (old->key[PMESH_KEY_NEXT].fp ||
		    old->key[PMESH_KEY_PREV].fp)) {
		err = -EBUSY;
		goto unlock;
	}
	set = pmesh_keyset_dup(keys);
	if (!set) {
		err = -ENOMEM;
		goto unlock;
	}
	WRITE_ONCE(keys->switch_secs, switch_secs);
	if (!old) {
		set->key[PMESH_KEY_CUR] = k;
	} else {
		set->key[PMESH_KEY_NEXT] = k;
		pmesh_keys_schedule(keys, switch_secs);
	}
	pmesh_keyset_publish(keys, set);
unlock:
	mutex_unlock(&keys->lock);
wipe:
	memzero_explicit(&k, sizeof(k));
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
	/* A step still queued, or running into the lock, finds no set. */
	cancel_delayed_work(&keys->work);
	pmesh_keyset_publish(keys, NULL);
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
 *
 * Context: any; takes no lock but RCU's.
 */
void pmesh_key_fps(struct pmesh_mesh *mesh, struct pmesh_key_fps *fps)
{
	struct pmesh_keyset *set;

	memset(fps, 0, sizeof(*fps));
	rcu_read_lock();
	set = rcu_dereference(mesh->keys.set);
	if (set) {
		fps->cur = set->key[PMESH_KEY_CUR].fp;
		fps->next = set->key[PMESH_KEY_NEXT].fp;
		fps->prev = set->key[PMESH_KEY_PREV].fp;
	}
	rcu_read_unlock();
}

/**
 * pmesh_keyed() - whether a mesh has a key
 * @mesh: the mesh
 *
 * Return: true if it seals its frames.
 */
bool pmesh_keyed(struct pmesh_mesh *mesh)
{
	return rcu_access_pointer(mesh->keys.set);
}

/**
 * pmesh_key_cur() - the key a mesh seals with
 * @mesh: the mesh
 *
 * Context: under rcu_read_lock(), for as long as the key is used.
 * Return: the key, or NULL for a key-less mesh.
 */
const struct pmesh_key *pmesh_key_cur(struct pmesh_mesh *mesh)
{
	struct pmesh_keyset *set = rcu_dereference(mesh->keys.set);

	return set ? &set->key[PMESH_KEY_CUR] : NULL;
}

/**
 * pmesh_key_find() - the key of a mesh a frame names
 * @mesh: the mesh
 * @fp: the fingerprint in the frame
 *
 * The slots are of one moment: a frame sealed with the new key is found
 * whether a switch happens meanwhile or not.
 *
 * Context: under rcu_read_lock(), for as long as the key is used.
 * Return: the key with that fingerprint that the mesh opens, or NULL.
 */
const struct pmesh_key *pmesh_key_find(struct pmesh_mesh *mesh, u64 fp)
{
	struct pmesh_keyset *set = rcu_dereference(mesh->keys.set);
	int i;

	if (!set || !fp)
		return NULL;
	for (i = 0; i < PMESH_KEY_SLOTS; i++)
		if (set->key[i].fp == fp)
			return &set->key[i];
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
 * Readers that found the mesh under RCU may still hold a key: the set goes
 * after a grace period, as the mesh does.
 */
void pmesh_keys_destroy(struct pmesh_mesh *mesh)
{
	struct pmesh_keyset *set = rcu_dereference_protected(mesh->keys.set,
							     true);

	RCU_INIT_POINTER(mesh->keys.set, NULL);
	if (set)
		call_rcu(&set->rcu, pmesh_keyset_free_rcu);
}
