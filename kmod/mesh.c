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
#include <linux/memcontrol.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/netns/generic.h>
#include <net/netlink.h>

#include "datapath.h"
#include "mesh.h"

static unsigned int pmesh_net_id __read_mostly;
static struct kmem_cache *pmesh_mesh_cache __read_mostly;

struct pmesh_net *pmesh_net(const struct net *net)
{
	return net_generic(net, pmesh_net_id);
}

/**
 * pmesh_net_lock() - take the lock of a namespace's meshes and settings
 * @net: the namespace
 *
 * Every change to a mesh, its peers or its links is made under it (and
 * under RTNL first where a device is involved).
 */
void pmesh_net_lock(struct net *net)
{
	mutex_lock(&pmesh_net(net)->lock);
}

/**
 * pmesh_net_trylock() - take the lock if it is free
 * @net: the namespace
 *
 * For work that mesh deletion cancels while holding the lock.
 *
 * Return: true if taken.
 */
bool pmesh_net_trylock(struct net *net)
{
	return mutex_trylock(&pmesh_net(net)->lock);
}

/**
 * pmesh_net_unlock() - release what pmesh_net_lock() took
 * @net: the namespace
 */
void pmesh_net_unlock(struct net *net)
{
	mutex_unlock(&pmesh_net(net)->lock);
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
		kmem_cache_free(pmesh_mesh_cache, mesh);
		return ERR_PTR(-ENOMEM);
	}

	mesh->net = net;
	mesh->id = cfg->id;
	mesh->node_id = cfg->node_id;
	while (!mesh->node_id)
		mesh->node_id = get_random_u64();
	mesh->port = cfg->port;
	mesh->hoplimit = cfg->hoplimit;
	mesh->broadcast = cfg->broadcast;
	mesh->max_dgram = cfg->max_dgram;
	refcount_set(&mesh->refcnt, 1);
	mesh->memcg = get_mem_cgroup_from_mm(current->mm);
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(mesh->stats, cpu)->syncp);
	pmesh_tx_init(mesh);
	pmesh_channels_init(mesh);
	pmesh_peers_init(mesh);
	pmesh_links_init(mesh);
	pmesh_hello_init(mesh, cfg->hello_ms, cfg->dead_ms);
	pmesh_nodes_init(mesh, cfg->max_nodes, cfg->announce_ms);
	pmesh_origins_init(&mesh->origins, cfg->max_origins,
			   cfg->origin_timeout, mesh->memcg);
	pmesh_keys_init(mesh, cfg->key_switch);
	err = pmesh_tree_init(mesh);
	if (err)
		goto err_free;
	err = pmesh_overlay_init(mesh, cfg->min_neigh, cfg->max_neigh, cfg->open);
	if (err)
		goto err_free;
	/* Keyed before anyone can see it: it never sends a frame unsealed. */
	if (cfg->key) {
		err = pmesh_key_set(mesh, cfg->key, cfg->key_switch);
		if (err)
			goto err_free;
	}

	err = pmesh_udp_open(mesh, extack);
	if (err)
		goto err_free;
	err = xa_insert(&pn->meshes, cfg->id, mesh, GFP_KERNEL_ACCOUNT);
	if (err)
		goto err_udp;
	pn->count++;
	pmesh_hello_start(mesh);
	pmesh_nodes_start(mesh);
	pmesh_overlay_start(mesh);
	return mesh;

err_udp:
	pmesh_udp_unhook(mesh);
	synchronize_net();
	pmesh_udp_release(mesh);
err_free:
	pmesh_overlay_destroy(mesh);
	pmesh_tree_destroy(mesh);
	pmesh_keys_destroy(mesh);
	pmesh_origins_destroy(&mesh->origins);
	pmesh_channels_destroy(mesh);
	mem_cgroup_put(mesh->memcg);
	free_percpu(mesh->stats);
	kmem_cache_free(pmesh_mesh_cache, mesh);
	return ERR_PTR(err);
}

/*
 * Deletion, first step: out of the namespace's table and dead (no bind,
 * hello round or announcement from here), the goodbye sent as the last
 * frame out, then unhooked from every bearer. Frames already in the
 * receive or send path may still reach the mesh until a grace period has
 * passed. Under the namespace's lock.
 */
static void pmesh_mesh_unhook(struct pmesh_mesh *mesh)
{
	struct pmesh_net *pn = pmesh_net(mesh->net);

	lockdep_assert_held(&pn->lock);

	xa_erase(&pn->meshes, mesh->id);
	pn->count--;
	WRITE_ONCE(mesh->dead, true);
	pmesh_hello_stop(mesh);
	pmesh_nodes_stop(mesh);
	pmesh_overlay_stop(mesh);
	pmesh_announce_goodbye(mesh);
	pmesh_links_unhook(mesh);
	pmesh_udp_unhook(mesh);
}

/*
 * Deletion, second step, a grace period after the first: what the last
 * frames in may have queued finds the mesh dead; everything goes, and the
 * table's reference. Under the namespace's lock.
 */
static void pmesh_mesh_destroy(struct pmesh_mesh *mesh)
{
	pmesh_udp_release(mesh);
	pmesh_hello_stop(mesh);
	pmesh_nodes_stop(mesh);
	pmesh_overlay_stop(mesh);
	pmesh_tree_stop(mesh);
	if (pmesh_keyed(mesh))
		pmesh_tx_stopped();
	pmesh_keys_stop(mesh);
	pmesh_links_flush(mesh);
	pmesh_peers_flush(mesh);
	pmesh_overlay_destroy(mesh);
	pmesh_tree_destroy(mesh);
	pmesh_nodes_destroy(mesh);
	pmesh_origins_destroy(&mesh->origins);
	pmesh_mesh_put(mesh);
}

/**
 * pmesh_mesh_delete() - take a mesh out of its namespace and drop it
 * @mesh: the mesh; the caller must hold a reference or the table lock
 *
 * Sockets still bound to the mesh keep it in memory until they are closed;
 * they see it dead and get ENONET.
 *
 * The namespace's lock is let go between the two steps, while the bound
 * sockets (as many as their users' file limits allow) are told and a grace
 * period passes: the netdevice notifier takes it under RTNL, which would
 * otherwise wait for both. Nothing can reach the mesh
 * meanwhile (it is in no table), and its port is still bound: a mesh added
 * in that window on the same port gets EADDRINUSE, as it would have before
 * the delete.
 *
 * Context: process context, with the namespace's &pmesh_net.lock held,
 * which is dropped and taken again; waits for one RCU grace period.
 */
void pmesh_mesh_delete(struct pmesh_mesh *mesh)
{
	struct net *net = mesh->net;

	pmesh_mesh_unhook(mesh);
	pmesh_net_unlock(net);
	pmesh_sock_mesh_gone(mesh);
	synchronize_net();
	pmesh_net_lock(net);
	pmesh_mesh_destroy(mesh);
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
		pmesh_channels_destroy(mesh);
		pmesh_keys_destroy(mesh);
		mem_cgroup_put(mesh->memcg);
		call_rcu(&mesh->rcu, pmesh_mesh_free_rcu);
	}
}

/**
 * pmesh_mesh_set() - change the settings of the data path
 * @mesh: the mesh
 * @hoplimit: default hop limit of sent datagrams
 * @max_dgram: largest payload accepted
 * @broadcast: PMESH_BROADCAST_*: how datagrams spread
 *
 * Context: with the namespace's &pmesh_net.lock held.
 */
void pmesh_mesh_set(struct pmesh_mesh *mesh, u8 hoplimit, u32 max_dgram,
		    u8 broadcast)
{
	lockdep_assert_held(&pmesh_net(mesh->net)->lock);

	WRITE_ONCE(mesh->hoplimit, hoplimit);
	WRITE_ONCE(mesh->max_dgram, max_dgram);
	WRITE_ONCE(mesh->broadcast, broadcast);
}

/**
 * pmesh_mesh_stats() - sum the counters of a mesh over all CPUs
 * @mesh: the mesh
 * @st: the sums, indexed by PMESH_A_STATS_*
 */
void pmesh_mesh_stats(const struct pmesh_mesh *mesh,
		      u64 st[PMESH_A_STATS_MAX + 1])
{
	int cpu, i;

	memset(st, 0, sizeof(u64) * (PMESH_A_STATS_MAX + 1));
	for_each_possible_cpu(cpu) {
		const struct pmesh_pcpu_stats *s = per_cpu_ptr(mesh->stats, cpu);
		u64 v[PMESH_A_STATS_MAX + 1];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 1; i <= PMESH_A_STATS_MAX; i++)
				v[i] = u64_stats_read(&s->c[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 1; i <= PMESH_A_STATS_MAX; i++)
			st[i] += v[i];
	}
	st[PMESH_A_STATS_ORIGINS] = READ_ONCE(mesh->origins.count);
	st[PMESH_A_STATS_NODES] = READ_ONCE(mesh->nodes.count);
}

static int __net_init pmesh_net_init(struct net *net)
{
	struct pmesh_net *pn = pmesh_net(net);

	mutex_init(&pn->lock);
	xa_init(&pn->meshes);
	pn->count = 0;
	hash_init(pn->links);
	return 0;
}

/*
 * A device-level pernet operation: namespaces going away run this before
 * their devices are unregistered, so the meshes say goodbye on their
 * links. Any user can make a namespace with a thousand meshes, and
 * cleanup_net() serves every namespace of the machine: all the meshes of
 * all the namespaces of a batch wait for one grace period together. No
 * socket is bound to them: every socket holds its namespace.
 */
static void __net_exit pmesh_net_exit_batch(struct list_head *net_exit_list)
{
	struct pmesh_mesh *mesh, *tmp;
	LIST_HEAD(dying);
	struct net *net;
	unsigned long id;

	list_for_each_entry(net, net_exit_list, exit_list) {
		pmesh_net_lock(net);
		xa_for_each(&pmesh_net(net)->meshes, id, mesh) {
			pmesh_mesh_unhook(mesh);
			list_add_tail(&mesh->dying, &dying);
		}
		pmesh_net_unlock(net);
	}
	synchronize_net();
	list_for_each_entry_safe(mesh, tmp, &dying, dying) {
		net = mesh->net;
		list_del(&mesh->dying);
		pmesh_net_lock(net);
		pmesh_mesh_destroy(mesh);
		pmesh_net_unlock(net);
	}
	list_for_each_entry(net, net_exit_list, exit_list) {
		xa_destroy(&pmesh_net(net)->meshes);
		/*
		 * The module's unload passes every namespace, init_net
		 * among them; a namespace's own end never is init_net.
		 */
		if (net_eq(net, &init_net))
			pmesh_links_nets_gone();
	}
	/*
	 * The locks are not destroyed: the netdevice notifier still looks at
	 * these namespaces' link hashes for their devices, which go after
	 * this; it finds no link, so it takes no lock.
	 */
}

static struct pernet_operations pmesh_net_ops = {
	.init = pmesh_net_init,
	.exit_batch = pmesh_net_exit_batch,
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

	err = register_pernet_device(&pmesh_net_ops);
	if (err)
		kmem_cache_destroy(pmesh_mesh_cache);
	return err;
}

void pmesh_mesh_exit(void)
{
	unregister_pernet_device(&pmesh_net_ops);
	/* Wait for pmesh_mesh_free_rcu() of every mesh before the cache goes. */
	rcu_barrier();
	kmem_cache_destroy(pmesh_mesh_cache);
}
