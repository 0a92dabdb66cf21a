// SPDX-License-Identifier: GPL-2.0
/*
 * The self-building overlay of a mesh (Documentation/design/
 * self-building-mesh.md): the module's side of kmod/core/overlay.c.
 *
 * A stranger's hello that opened, and an exchange frame taken, arrive in
 * softirq; they are queued here, bounded, and a work item does the rest in
 * process context under the namespace's &pmesh_net.lock, the lock every
 * change to a mesh's peers is made under: it snapshots the neighbours, asks
 * the core, and carries out what the core returns (peer.c adds and removes
 * the learned neighbours, send.c sends the exchange frames). The same work
 * runs the core's round once a hello interval, and forgets learned
 * neighbours that went silent.
 *
 * The work takes the lock with a trylock and tries again a jiffy later when
 * it is busy: mesh deletion cancels the work while holding it.
 */
#include <linux/jiffies.h>
#include <linux/slab.h>

#include "core/overlay.h"
#include "datapath.h"
#include "link.h"
#include "mesh.h"
#include "node.h"
#include "overlay.h"
#include "peer.h"

/* Room in the snapshot: every configured and learned peer, every link. */
#define PMESH_OV_SNAP	(PMESH_MAX_PEERS + PMESH_OV_MAX_LEARNED + PMESH_MAX_LINKS)

static struct pmesh_mesh *pmesh_overlay_mesh(struct pmesh_overlay *ov)
{
	return container_of(ov, struct pmesh_mesh, overlay);
}

static u32 pmesh_overlay_now(void)
{
	return jiffies_to_msecs(jiffies);
}

/* An endpoint as the core writes it: IPv6, or IPv4-mapped. */
static void pmesh_overlay_to_core(const union pmesh_addr *a, u8 *addr, u16 *port)
{
	if (a->sa.sa_family == AF_INET) {
		pmesh_px_addr_set_v4(addr, &a->sin.sin_addr.s_addr);
		*port = ntohs(a->sin.sin_port);
	} else {
		memcpy(addr, &a->sin6.sin6_addr, 16);
		*port = ntohs(a->sin6.sin6_port);
	}
}

static void pmesh_overlay_from_core(const u8 *addr, u16 port,
				    union pmesh_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (pmesh_px_addr_is_v4(addr)) {
		a->sin.sin_family = AF_INET;
		memcpy(&a->sin.sin_addr.s_addr, addr + 12, 4);
		a->sin.sin_port = htons(port);
	} else {
		a->sin6.sin6_family = AF_INET6;
		memcpy(&a->sin6.sin6_addr, addr, 16);
		a->sin6.sin6_port = htons(port);
	}
}

/* The neighbours as the core sees them. Under the namespace's lock. */
static unsigned int pmesh_overlay_snapshot(struct pmesh_mesh *mesh)
{
	struct pmesh_ov_neigh *s = mesh->overlay.snap;
	struct pmesh_neigh *peer;
	struct pmesh_link *link;
	unsigned int n = 0;

	list_for_each_entry(peer, &mesh->peers.list, list) {
		if (WARN_ON_ONCE(n >= PMESH_OV_SNAP))
			break;
		memset(&s[n], 0, sizeof(s[n]));
		s[n].up = pmesh_neigh_is_up(peer);
		/* A node id is proved by a hello; a tried one has none yet. */
		s[n].id = s[n].up ? READ_ONCE(peer->node_id) : 0;
		pmesh_overlay_to_core(&peer->addr, s[n].addr, &s[n].port);
		s[n].kind = peer->learned ? PMESH_OV_LEARNED : PMESH_OV_CONFIGURED;
		s[n].degree = READ_ONCE(peer->degree);
		s[n].up_ms = jiffies_to_msecs(READ_ONCE(peer->up_since));
		/*
		 * Counted from its creation (a learned one's try or admission,
		 * a moment before it came up); only learned ones are ranked.
		 */
		if (peer->learned) {
			struct pmesh_neigh_totals t;

			pmesh_neigh_totals(peer, &t);
			s[n].firsts = min_t(u64, t.firsts, U32_MAX);
		}
		n++;
	}
	list_for_each_entry(link, &mesh->links.list, list) {
		if (WARN_ON_ONCE(n >= PMESH_OV_SNAP))
			break;
		if (!READ_ONCE(link->n_neighs))
			continue;
		memset(&s[n], 0, sizeof(s[n]));
		s[n].kind = PMESH_OV_LINK;
		s[n].up = true;
		n++;
	}
	return n;
}

static bool pmesh_overlay_lost(void *mesh, u64 id)
{
	return pmesh_node_lost(mesh, id);
}

static struct pmesh_neigh *pmesh_overlay_peer(struct pmesh_mesh *mesh,
					      const u8 *addr, u16 port)
{
	union pmesh_addr a;

	pmesh_overlay_from_core(addr, port, &a);
	return pmesh_peer_find(mesh, &a);
}

static void pmesh_overlay_send(struct pmesh_mesh *mesh,
			       struct pmesh_neigh *peer,
			       const struct pmesh_px *px)
{
	u8 buf[PMESH_PX_MAX_LEN];

	pmesh_send_to(mesh, peer, PMESH_TYPE_PEERS, buf,
		      pmesh_px_build(buf, px));
}

/* Carry out the core's actions. Under the namespace's lock. */
static void pmesh_overlay_act(struct pmesh_mesh *mesh, unsigned int k)
{
	const struct pmesh_ov_action *a = mesh->overlay.acts;
	struct pmesh_neigh *peer;
	union pmesh_addr addr;
	bool added = false;

	for (; k; k--, a++) {
		peer = pmesh_overlay_peer(mesh, a->addr, a->port);
		switch (a->act) {
		case PMESH_OV_TRY:
			pmesh_overlay_from_core(a->addr, a->port, &addr);
			added |= !pmesh_peer_learn(mesh, &addr);
			break;
		case PMESH_OV_GIVE_UP:
			if (peer && peer->learned && !pmesh_neigh_is_up(peer))
				pmesh_peer_forget(mesh, peer);
			break;
		case PMESH_OV_SHED:
			if (!peer || !peer->learned)
				break;
			pmesh_overlay_send(mesh, peer, &a->px);
			pmesh_peer_forget(mesh, peer);
			break;
		case PMESH_OV_DROP:
			if (peer && peer->learned)
				pmesh_peer_forget(mesh, peer);
			break;
		case PMESH_OV_SEND:
			/* Exchange frames go to neighbours and tries only. */
			if (peer)
				pmesh_overlay_send(mesh, peer, &a->px);
			break;
		}
	}
	/* Hellos to the new tries now, not at the next round. */
	if (added)
		pmesh_hello_kick(mesh);
}

/*
 * Learned neighbours that were never heard, or went silent: gone after the
 * dead interval and two hello intervals. Under the namespace's lock.
 */
static void pmesh_overlay_prune(struct pmesh_mesh *mesh)
{
	unsigned long grace = msecs_to_jiffies(READ_ONCE(mesh->hello.dead_ms) +
					       2 * READ_ONCE(mesh->hello.ms));
	struct pmesh_neigh *peer, *tmp;
	unsigned long last;

	list_for_each_entry_safe(peer, tmp, &mesh->peers.list, list) {
		if (!peer->learned || pmesh_neigh_is_up(peer) ||
		    time_before(jiffies, peer->created + grace))
			continue;
		last = pmesh_neigh_last_heard(peer);
		if (last && time_before(jiffies, last + grace))
			continue;
		pmesh_peer_forget(mesh, peer);
	}
}

static bool pmesh_overlay_pop_stranger(struct pmesh_overlay *ov,
				       struct pmesh_ov_stranger *s)
{
	bool got = false;

	spin_lock_bh(&ov->lock);
	if (ov->n_strangers) {
		*s = ov->strangers[--ov->n_strangers];
		got = true;
	}
	spin_unlock_bh(&ov->lock);
	return got;
}

static bool pmesh_overlay_pop_rx(struct pmesh_overlay *ov,
				 struct pmesh_ov_rx *rx)
{
	bool got = false;

	spin_lock_bh(&ov->lock);
	if (ov->n_rx) {
		*rx = ov->rx[--ov->n_rx];
		got = true;
	}
	spin_unlock_bh(&ov->lock);
	return got;
}

/* Everything queued, and the round when due. Under the namespace's lock. */
static void pmesh_overlay_run(struct pmesh_mesh *mesh)
{
	struct pmesh_overlay *ov = &mesh->overlay;
	struct pmesh_ov_stranger s;
	struct pmesh_ov_rx rx;
	u8 addr[16];
	unsigned int n, k;
	bool added = false;
	u16 port;

	pmesh_ov_set(ov->core, READ_ONCE(ov->min_neigh),
		     READ_ONCE(ov->max_neigh), READ_ONCE(mesh->hello.ms));

	/*
	 * A mesh that learns no one (key-less, not open) sends no exchange
	 * frame: its peers would only count them as px-drops. What was
	 * queued before it was closed goes.
	 */
	if (!pmesh_overlay_learns(mesh)) {
		while (pmesh_overlay_pop_stranger(ov, &s) ||
		       pmesh_overlay_pop_rx(ov, &rx))
			;
		pmesh_overlay_prune(mesh);
		ov->next_round = jiffies +
				 msecs_to_jiffies(READ_ONCE(mesh->hello.ms));
		return;
	}

	while (pmesh_overlay_pop_stranger(ov, &s)) {
		if (pmesh_peer_find(mesh, &s.addr))
			continue;
		n = pmesh_overlay_snapshot(mesh);
		pmesh_overlay_to_core(&s.addr, addr, &port);
		if (pmesh_ov_admit(ov->core, pmesh_overlay_now(), ov->snap, n,
				   s.node_id, addr, port))
			added |= !pmesh_peer_learn(mesh, &s.addr);
	}
	if (added)
		pmesh_hello_kick(mesh);

	while (pmesh_overlay_pop_rx(ov, &rx)) {
		struct pmesh_neigh *peer = pmesh_peer_find(mesh, &rx.addr);

		if (peer && rx.px.op != PMESH_PX_JOIN)
			pmesh_neigh_degree(peer, rx.px.degree);
		n = pmesh_overlay_snapshot(mesh);
		pmesh_overlay_to_core(&rx.addr, addr, &port);
		k = pmesh_ov_rx(ov->core, pmesh_overlay_now(), ov->snap, n,
				rx.from, addr, port, &rx.px, ov->acts,
				PMESH_OV_MAX_ACTIONS);
		pmesh_overlay_act(mesh, k);
	}

	if (time_before(jiffies, ov->next_round))
		return;
	ov->next_round = jiffies + msecs_to_jiffies(READ_ONCE(mesh->hello.ms));
	pmesh_overlay_prune(mesh);
	n = pmesh_overlay_snapshot(mesh);
	k = pmesh_ov_round(ov->core, pmesh_overlay_now(), ov->snap, n, ov->acts,
			   PMESH_OV_MAX_ACTIONS);
	pmesh_overlay_act(mesh, k);
	n = pmesh_overlay_snapshot(mesh);
	k = pmesh_ov_bridge(ov->core, pmesh_overlay_now(), ov->snap, n,
			    pmesh_overlay_lost, mesh, ov->acts,
			    PMESH_OV_MAX_ACTIONS);
	pmesh_overlay_act(mesh, k);
}

static void pmesh_overlay_work(struct work_struct *work)
{
	struct pmesh_overlay *ov = container_of(to_delayed_work(work),
						struct pmesh_overlay, work);
	struct pmesh_mesh *mesh = pmesh_overlay_mesh(ov);

	if (READ_ONCE(mesh->dead))
		return;
	/* Deletion cancels this work under the lock: never wait for it. */
	if (!pmesh_net_trylock(mesh->net)) {
		queue_delayed_work(system_wq, &ov->work, 1);
		return;
	}
	if (!mesh->dead)
		pmesh_overlay_run(mesh);
	pmesh_net_unlock(mesh->net);
	if (!READ_ONCE(mesh->dead))
		queue_delayed_work(system_wq, &ov->work,
				   max_t(long, ov->next_round - jiffies, 1));
}

/**
 * pmesh_overlay_init() - the overlay of a new mesh
 * @mesh: the mesh, not yet visible
 * @min_neigh: the setting
 * @max_neigh: the setting, more than @min_neigh
 * @open: the setting
 *
 * Context: process context.
 * Return: 0 or -ENOMEM.
 */
int pmesh_overlay_init(struct pmesh_mesh *mesh, u8 min_neigh, u8 max_neigh,
		       bool open)
{
	struct pmesh_overlay *ov = &mesh->overlay;

	spin_lock_init(&ov->lock);
	INIT_DELAYED_WORK(&ov->work, pmesh_overlay_work);
	ov->min_neigh = min_neigh;
	ov->max_neigh = max_neigh;
	ov->open = open;
	ov->next_round = jiffies;
	ov->rx = kcalloc(PMESH_OV_RX_QUEUE, sizeof(*ov->rx), GFP_KERNEL_ACCOUNT);
	ov->core = kzalloc(sizeof(*ov->core), GFP_KERNEL_ACCOUNT);
	ov->acts = kcalloc(PMESH_OV_MAX_ACTIONS, sizeof(*ov->acts),
			   GFP_KERNEL_ACCOUNT);
	ov->snap = kvcalloc(PMESH_OV_SNAP, sizeof(*ov->snap), GFP_KERNEL_ACCOUNT);
	if (!ov->rx || !ov->core || !ov->acts || !ov->snap) {
		pmesh_overlay_destroy(mesh);
		return -ENOMEM;
	}
	pmesh_ov_init(ov->core, mesh->node_id, get_random_u64(),
		      pmesh_overlay_now());
	return 0;
}

/**
 * pmesh_overlay_start() - begin the rounds, once the mesh is complete
 * @mesh: the mesh
 */
void pmesh_overlay_start(struct pmesh_mesh *mesh)
{
	queue_delayed_work(system_wq, &mesh->overlay.work, 0);
}

/**
 * pmesh_overlay_stop() - stop, before the mesh's peers go
 * @mesh: the mesh, marked dead
 *
 * Called again a grace period later: a softirq that queued the work before
 * it saw the mesh dead cannot have queued it after that.
 *
 * Context: process context; waits for a running work to end (which never
 * waits for the namespace's lock).
 */
void pmesh_overlay_stop(struct pmesh_mesh *mesh)
{
	cancel_delayed_work_sync(&mesh->overlay.work);
}

/**
 * pmesh_overlay_destroy() - free the overlay of a stopped mesh
 * @mesh: the mesh
 */
void pmesh_overlay_destroy(struct pmesh_mesh *mesh)
{
	struct pmesh_overlay *ov = &mesh->overlay;

	kvfree(ov->snap);
	kfree(ov->acts);
	kfree(ov->core);
	kfree(ov->rx);
	ov->snap = NULL;
	ov->acts = NULL;
	ov->core = NULL;
	ov->rx = NULL;
}

/**
 * pmesh_overlay_set() - change the settings
 * @mesh: the mesh
 * @min_neigh: checked by the caller: less than @max_neigh
 * @max_neigh: the setting
 * @open: the setting
 *
 * Context: with the namespace's &pmesh_net.lock held.
 */
void pmesh_overlay_set(struct pmesh_mesh *mesh, u8 min_neigh, u8 max_neigh,
		       bool open)
{
	WRITE_ONCE(mesh->overlay.min_neigh, min_neigh);
	WRITE_ONCE(mesh->overlay.max_neigh, max_neigh);
	WRITE_ONCE(mesh->overlay.open, open);
	mod_delayed_work(system_wq, &mesh->overlay.work, 0);
}

/**
 * pmesh_overlay_learns() - whether the mesh learns neighbours at all
 * @mesh: the mesh
 *
 * Return: true for a keyed mesh (a hello that opens proves a member), and
 * for a key-less one set open.
 */
bool pmesh_overlay_learns(struct pmesh_mesh *mesh)
{
	return pmesh_keyed(mesh) || READ_ONCE(mesh->overlay.open);
}

/**
 * pmesh_overlay_min_neigh() - the mesh's min-neigh setting
 * @mesh: the mesh
 *
 * Return: the setting.
 */
u8 pmesh_overlay_min_neigh(struct pmesh_mesh *mesh)
{
	return READ_ONCE(mesh->overlay.min_neigh);
}

/**
 * pmesh_overlay_stranger() - a hello from an unknown address was good
 * @mesh: the mesh, which learns
 * @addr: where it came from
 * @node_id: the node it proves
 *
 * Context: softirq.
 * Return: false if the queue was full: the caller counts the drop.
 */
bool pmesh_overlay_stranger(struct pmesh_mesh *mesh,
			    const union pmesh_addr *addr, u64 node_id)
{
	struct pmesh_overlay *ov = &mesh->overlay;
	bool queued = false;
	unsigned int i;

	spin_lock(&ov->lock);
	for (i = 0; i < ov->n_strangers; i++)
		if (!memcmp(&ov->strangers[i].addr, addr, sizeof(*addr)))
			break;
	if (i == ov->n_strangers && i < PMESH_OV_STRANGERS) {
		ov->strangers[i].addr = *addr;
		ov->strangers[i].node_id = node_id;
		ov->n_strangers++;
	}
	queued = i < PMESH_OV_STRANGERS;
	spin_unlock(&ov->lock);
	if (queued)
		mod_delayed_work(system_wq, &ov->work, 0);
	return queued;
}

/**
 * pmesh_overlay_rx() - an exchange frame was taken
 * @mesh: the mesh, which learns
 * @addr: where it came from
 * @from: its origin
 * @px: its payload, parsed
 *
 * Context: softirq.
 * Return: false if the queue was full: the caller counts the drop.
 */
bool pmesh_overlay_rx(struct pmesh_mesh *mesh, const union pmesh_addr *addr,
		      u64 from, const struct pmesh_px *px)
{
	struct pmesh_overlay *ov = &mesh->overlay;
	bool queued = false;

	spin_lock(&ov->lock);
	if (ov->n_rx < PMESH_OV_RX_QUEUE) {
		ov->rx[ov->n_rx].addr = *addr;
		ov->rx[ov->n_rx].from = from;
		ov->rx[ov->n_rx].px = *px;
		ov->n_rx++;
		queued = true;
	}
	spin_unlock(&ov->lock);
	if (queued)
		mod_delayed_work(system_wq, &ov->work, 0);
	return queued;
}
