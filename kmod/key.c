// SPDX-License-Identifier: GPL-2.0
/*
 * Keys of keyed meshes (Documentation/design/keyed-meshes.md). An admin
 * sets 32 bytes; the mesh keeps what keyed BLAKE2s derives from them: a
 * sealing key and a hop key, each bound to the mesh's id so that two
 * meshes never share one, and a fingerprint that is not bound to it, for
 * admins to compare across nodes. The set key itself is not kept, and
 * every copy is wiped.
 */
#include <crypto/blake2s.h>
#include <linux/slab.h>
#include <linux/string.h>
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

static void pmesh_key_replace(struct pmesh_mesh *mesh, struct pmesh_key *k)
{
	struct pmesh_key *old;

	old = rcu_replace_pointer(mesh->keys.cur, k,
				  lockdep_is_held(&pmesh_net(mesh->net)->lock));
	if (old)
		call_rcu(&old->rcu, pmesh_key_free_rcu);
}

/**
 * pmesh_key_set() - key a mesh, or key it anew
 * @mesh: the mesh
 * @key: PMESH_KEY_LEN bytes, which the caller wipes
 *
 * Context: process context, with the namespace's &pmesh_net.lock held.
 * Return: 0, or -ENOMEM.
 */
int pmesh_key_set(struct pmesh_mesh *mesh, const u8 *key)
{
	struct pmesh_key *k;

	BUILD_BUG_ON(sizeof("pmesh seal v1") - 1 > PMESH_LABEL_MAX);
	k = kzalloc(sizeof(*k), GFP_KERNEL_ACCOUNT);
	if (!k)
		return -ENOMEM;
	pmesh_key_derive(k->seal, key, "pmesh seal v1", mesh->id);
	pmesh_key_derive(k->hop, key, "pmesh hop v1", mesh->id);
	k->fp = pmesh_key_fingerprint(key);
	pmesh_key_replace(mesh, k);
	return 0;
}

/**
 * pmesh_key_clear() - make a mesh key-less
 * @mesh: the mesh
 *
 * Context: process context, with the namespace's &pmesh_net.lock held.
 */
void pmesh_key_clear(struct pmesh_mesh *mesh)
{
	pmesh_key_replace(mesh, NULL);
}

/**
 * pmesh_key_fp() - the fingerprint of a mesh's key
 * @mesh: the mesh
 *
 * Return: the fingerprint, or 0 for a key-less mesh.
 */
u64 pmesh_key_fp(struct pmesh_mesh *mesh)
{
	struct pmesh_key *k;
	u64 fp = 0;

	rcu_read_lock();
	k = rcu_dereference(mesh->keys.cur);
	if (k)
		fp = k->fp;
	rcu_read_unlock();
	return fp;
}

/**
 * pmesh_keys_destroy() - wipe and free a mesh's key
 * @mesh: the mesh, whose last reference is going
 *
 * Readers that found the mesh under RCU may still hold the key: it goes
 * after a grace period, as the mesh does.
 */
void pmesh_keys_destroy(struct pmesh_mesh *mesh)
{
	struct pmesh_key *k = rcu_dereference_protected(mesh->keys.cur, true);

	RCU_INIT_POINTER(mesh->keys.cur, NULL);
	if (k)
		call_rcu(&k->rcu, pmesh_key_free_rcu);
}
