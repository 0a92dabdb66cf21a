// SPDX-License-Identifier: GPL-2.0
/*
 * Meshes: creation, deletion, lookup and the per-namespace table.
 *
 * A mesh is named by its id in a per-namespace xarray, so the data path looks
 * it up under RCU with no lock. The table holds one reference; each bound
 * socket holds another. Deletion takes the mesh out of the table, marks it
 * dead and drops the table's reference; the last put frees it after an RCU
 * grace period.
 */
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/netns/generic.h>
#include <net/netlink.h>

#include "mesh.h"
#include "socket.h"

static unsigned int pmesh_net_id __read_mostly;
static struct kmem_cache *pmesh_mesh_cache __read_mostly;

struct pmesh_net *pmesh_net(const struct net *net)
{
	return net_generic(net, pmesh_net_id);
}

static bool pmesh_port_in_use(struct pmesh_net *pn, u16 port)
{
	struct pmesh_mesh *mesh;
	unsigned long id;

	xa_for_each(&pn->meshes, id, mesh)
		if (mesh->port == port)
			return true;
	return false;
}

/**
 * pmesh_mesh_create() - create a mesh and enter it in its namespace's table
 * @net: the namespace
 * @cfg: the settings; @cfg->node_id 0 asks for a random node id
 * @extack: where to say why creation failed
 *
 * Context: process context, with the namespace's &pmesh_net.lock held.
 * Return: the new mesh (the table's reference is not the caller's) or an
 * ERR_PTR.
 */
struct pmesh_mesh *pmesh_mesh_create(struct net *net,
				     const struct pmesh_mesh_config *cfg,
				     struct netlink_ext_ack *extack)
{
	struct pmesh_net *pn = pmesh_net(net);
	struct pmesh_mesh *mesh;
	int cpu, err;

	lockdep_assert_held(&pn->lock);

	if (xa_load(&pn->meshes, cfg->id)) {
		NL_SET_ERR_MSG_FMT(extack, "mesh %u already exists", cfg->id);
		return ERR_PTR(-EEXIST);
	}
	if (pn->count >= PMESH_MAX_MESHES_PER_NET) {
		NL_SET_ERR_MSG_FMT(extack, "too many meshes in this namespace (limit %u)",
				   PMESH_MAX_MESHES_PER_NET);
		return ERR_PTR(-ENOSPC);
	}
	if (pmesh_port_in_use(pn, cfg->port)) {
		NL_SET_ERR_MSG_FMT(extack, "port %u is used by another mesh",
				   cfg->port);
		return ERR_PTR(-EADDRINUSE);
	}

	mesh = kmem_cache_zalloc(pmesh_mesh_cache, GFP_KERNEL);
	if (!mesh)
		return ERR_PTR(-ENOMEM);
	mesh->stats = alloc_percpu_gfp(struct pmesh_pcpu_stats,
				       GFP_KERNEL_ACCOUNT);
	if (!mesh->stats) {
		err = -ENOMEM;
		goto err_free;
	}

	mesh->net = net;
	mesh->id = cfg->id;
	mesh->node_id = cfg->node_id;
	while (!mesh->node_id)
		mesh->node_id = get_random_u64();
	mesh->port = cfg->port;
	mesh->hoplimit = cfg->hoplimit;
	mesh->max_dgram = cfg->max_dgram;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(mesh->stats, cpu)->syncp);
	refcount_set(&mesh->refcnt, 1);
	mutex_init(&mesh->sock_lock);
	hash_init(mesh->channels);

	err = xa_insert(&pn->meshes, cfg->id, mesh, GFP_KERNEL_ACCOUNT);
	if (err)
		goto err_free;
	pn->count++;
	return mesh;

err_free:
	free_percpu(mesh->stats);
	kmem_cache_free(pmesh_mesh_cache, mesh);
	return ERR_PTR(err);
}

/**
 * pmesh_mesh_delete() - take a mesh out of its namespace and drop it
 * @mesh: the mesh; the caller must hold a reference or the table lock
 *
 * Sockets still bound to the mesh keep it in memory until they are closed;
 * they see it dead and get ENONET.
 *
 * Context: process context, with the namespace's &pmesh_net.lock held.
 */
void pmesh_mesh_delete(struct pmesh_mesh *mesh)
{
	struct pmesh_net *pn = pmesh_net(mesh->net);

	lockdep_assert_held(&pn->lock);

	xa_erase(&pn->meshes, mesh->id);
	pn->count--;
	pmesh_sock_mesh_gone(mesh);
	pmesh_mesh_put(mesh);
}

/**
 * pmesh_mesh_lookup_rcu() - find a mesh by id without taking a reference
 * @net: the namespace
 * @id: mesh id
 *
 * Context: inside rcu_read_lock(); the mesh may be dead already.
 * Return: the mesh or NULL.
 */
struct pmesh_mesh *pmesh_mesh_lookup_rcu(const struct net *net, u32 id)
{
	return xa_load(&pmesh_net(net)->meshes, id);
}

/**
 * pmesh_mesh_get() - find a mesh by id and take a reference on it
 * @net: the namespace
 * @id: mesh id
 *
 * Return: the mesh, to be released with pmesh_mesh_put(), or NULL.
 */
struct pmesh_mesh *pmesh_mesh_get(const struct net *net, u32 id)
{
	struct pmesh_mesh *mesh;

	rcu_read_lock();
	mesh = pmesh_mesh_lookup_rcu(net, id);
	if (mesh && !refcount_inc_not_zero(&mesh->refcnt))
		mesh = NULL;
	rcu_read_unlock();
	return mesh;
}

static void pmesh_mesh_free_rcu(struct rcu_head *rcu)
{
	struct pmesh_mesh *mesh = container_of(rcu, struct pmesh_mesh, rcu);

	free_percpu(mesh->stats);
	kmem_cache_free(pmesh_mesh_cache, mesh);
}

/**
 * pmesh_mesh_put() - drop a reference to a mesh
 * @mesh: the mesh
 *
 * The last reference frees the mesh after an RCU grace period, so readers
 * that found it in the table under RCU may still look at it.
 */
void pmesh_mesh_put(struct pmesh_mesh *mesh)
{
	if (refcount_dec_and_test(&mesh->refcnt)) {
		WARN_ON(!hash_empty(mesh->channels));
		mutex_destroy(&mesh->sock_lock);
		call_rcu(&mesh->rcu, pmesh_mesh_free_rcu);
	}
}

/**
 * pmesh_mesh_stats() - sum the counters of a mesh over all CPUs
 * @mesh: the mesh
 * @st: where to put the sums
 */
void pmesh_mesh_stats(const struct pmesh_mesh *mesh, struct pmesh_stats *st)
{
	int cpu;

	memset(st, 0, sizeof(*st));
	for_each_possible_cpu(cpu) {
		const struct pmesh_pcpu_stats *s = per_cpu_ptr(mesh->stats, cpu);
		u64 sent, received, delivered, forwarded, duplicates,
		    hop_expired, malformed, sock_overflow;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			sent = u64_stats_read(&s->sent);
			received = u64_stats_read(&s->received);
			delivered = u64_stats_read(&s->delivered);
			forwarded = u64_stats_read(&s->forwarded);
			duplicates = u64_stats_read(&s->duplicates);
			hop_expired = u64_stats_read(&s->hop_expired);
			malformed = u64_stats_read(&s->malformed);
			sock_overflow = u64_stats_read(&s->sock_overflow);
		} while (u64_stats_fetch_retry(&s->syncp, start));

		st->sent += sent;
		st->received += received;
		st->delivered += delivered;
		st->forwarded += forwarded;
		st->duplicates += duplicates;
		st->hop_expired += hop_expired;
		st->malformed += malformed;
		st->sock_overflow += sock_overflow;
	}
}

static int __net_init pmesh_net_init(struct net *net)
{
	struct pmesh_net *pn = pmesh_net(net);

	mutex_init(&pn->lock);
	xa_init(&pn->meshes);
	pn->count = 0;
	return 0;
}

static void __net_exit pmesh_net_exit(struct net *net)
{
	struct pmesh_net *pn = pmesh_net(net);
	struct pmesh_mesh *mesh;
	unsigned long id;

	mutex_lock(&pn->lock);
	xa_for_each(&pn->meshes, id, mesh)
		pmesh_mesh_delete(mesh);
	mutex_unlock(&pn->lock);
	xa_destroy(&pn->meshes);
	mutex_destroy(&pn->lock);
}

static struct pernet_operations pmesh_net_ops = {
	.init = pmesh_net_init,
	.exit = pmesh_net_exit,
	.id = &pmesh_net_id,
	.size = sizeof(struct pmesh_net),
};

int __init pmesh_mesh_init(void)
{
	int err;

	/*
	 * A cache of its own, never merged with another, so that a leaked
	 * mesh makes kmem_cache_destroy() complain loudly at module unload.
	 */
	pmesh_mesh_cache = kmem_cache_create("pmesh_mesh",
					     sizeof(struct pmesh_mesh), 0,
					     SLAB_ACCOUNT | SLAB_NO_MERGE,
					     NULL);
	if (!pmesh_mesh_cache)
		return -ENOMEM;

	err = register_pernet_subsys(&pmesh_net_ops);
	if (err)
		kmem_cache_destroy(pmesh_mesh_cache);
	return err;
}

void pmesh_mesh_exit(void)
{
	unregister_pernet_subsys(&pmesh_net_ops);
	/* Wait for pmesh_mesh_free_rcu() of every mesh before the cache goes. */
	rcu_barrier();
	kmem_cache_destroy(pmesh_mesh_cache);
}
