// SPDX-License-Identifier: GPL-2.0
/*
 * Broadcast along a tree: the glue between the datapath and Plumtree's
 * rules (core/tree.c). The receive path asks pmesh_tree_first() which
 * neighbours get a first copy's payload and queues its id for the others;
 * a duplicate strikes the neighbour it came from (pmesh_tree_duplicate());
 * the tree frames from neighbours (pmesh_tree_rx()) prune, graft and
 * announce. One lock a mesh, never held across a send: frames are built
 * and sent by the tick, a timer, from what the lock protected.
 */
#include <linux/jiffies.h>
#include <linux/netfilter.h>
#include <linux/memcontrol.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/skbuff.h>
#include <linux/slab.h>

#include "datapath.h"
#include "mesh.h"
#include "neigh.h"
#include "origin.h"
#include "tree.h"

/**
 * struct pmesh_cached - a recent datagram, as this node sent it on
 * @hnode: entry in &pmesh_tree.cache
 * @list: entry in &pmesh_tree.cache_list
 * @id: the datagram
 * @at: jiffies when it was cached
 * @skb: a clone of the frame, header and hop fields as they went out
 */
struct pmesh_cached {
	struct hlist_node hnode;
	struct list_head list;
	struct pmesh_tr_id id;
	unsigned long at;
	struct sk_buff *skb;
};

/* The truesize of every mesh's cache: at most PMESH_TREE_CACHE_TOTAL. */
static atomic_t pmesh_tree_cache_total = ATOMIC_INIT(0);

static struct pmesh_mesh *pmesh_tree_mesh(struct pmesh_tree *tr)
{
	return container_of(tr, struct pmesh_mesh, tree);
}

static u32 pmesh_tree_now(void)
{
	return jiffies_to_msecs(jiffies);
}

static u64 pmesh_tree_bit(int slot)
{
	return slot >= 0 && slot < PMESH_TR_SLOTS ? BIT_ULL(slot) : 0;
}

static void pmesh_tree_tick(struct timer_list *t);

/**
 * pmesh_tree_on() - whether a mesh broadcasts along a tree
 * @mesh: the mesh
 *
 * Return: true in tree mode.
 */
bool pmesh_tree_on(const struct pmesh_mesh *mesh)
{
	return READ_ONCE(mesh->broadcast) == PMESH_BROADCAST_TREE;
}

/**
 * pmesh_tree_init() - the tree state of a new mesh, empty
 * @mesh: the mesh, its memcg set
 *
 * Context: process context.
 * Return: 0 or -ENOMEM.
 */
int pmesh_tree_init(struct pmesh_mesh *mesh)
{
	struct pmesh_tree *tr = &mesh->tree;
	struct mem_cgroup *old;

	spin_lock_init(&tr->lock);
	hash_init(tr->cache);
	INIT_LIST_HEAD(&tr->cache_list);
	get_random_bytes(&tr->key, sizeof(tr->key));
	memset(tr->last_ihave, 0xff, sizeof(tr->last_ihave));
	timer_setup(&tr->timer, pmesh_tree_tick, 0);
	tr->memcg = mesh->memcg;

	old = set_active_memcg(mesh->memcg);
	tr->missing = kvmalloc(sizeof(*tr->missing), GFP_KERNEL_ACCOUNT);
	tr->out = kvcalloc(PMESH_TREE_OUT, sizeof(*tr->out),
			   GFP_KERNEL_ACCOUNT);
	tr->sending = kvcalloc(PMESH_TREE_OUT + PMESH_TREE_GRAFTS,
			       sizeof(*tr->sending), GFP_KERNEL_ACCOUNT);
	tr->grafts = kcalloc(PMESH_TREE_GRAFTS, sizeof(*tr->grafts),
			     GFP_KERNEL_ACCOUNT);
	tr->frame = kmalloc(sizeof(*tr->frame), GFP_KERNEL_ACCOUNT);
	tr->buf = kmalloc(PMESH_TR_MAX_LEN, GFP_KERNEL_ACCOUNT);
	set_active_memcg(old);
	if (!tr->missing || !tr->out || !tr->sending || !tr->grafts ||
	    !tr->frame || !tr->buf) {
		pmesh_tree_destroy(mesh);
		return -ENOMEM;
	}
	pmesh_tr_missing_init(tr->missing);
	return 0;
}

/**
 * pmesh_tree_stop() - no more ticks
 * @mesh: the mesh, out of every table: nothing arms the timer again
 *
 * Context: process context.
 */
void pmesh_tree_stop(struct pmesh_mesh *mesh)
{
	timer_shutdown_sync(&mesh->tree.timer);
}

static void pmesh_tree_cache_free(struct pmesh_cached *c)
{
	atomic_sub(c->skb->truesize, &pmesh_tree_cache_total);
	consume_skb(c->skb);
	kfree(c);
}

/**
 * pmesh_tree_destroy() - free the tree state
 * @mesh: the mesh, stopped (pmesh_tree_stop()), its peers gone
 *
 * Context: process context.
 */
void pmesh_tree_destroy(struct pmesh_mesh *mesh)
{
	struct pmesh_tree *tr = &mesh->tree;
	struct pmesh_cached *c, *tmp;

	timer_shutdown_sync(&tr->timer);
	list_for_each_entry_safe(c, tmp, &tr->cache_list, list)
		pmesh_tree_cache_free(c);
	INIT_LIST_HEAD(&tr->cache_list);
	tr->cache_bytes = 0;
	kvfree(tr->missing);
	kvfree(tr->out);
	kvfree(tr->sending);
	kfree(tr->grafts);
	kfree(tr->frame);
	kfree(tr->buf);
	tr->missing = NULL;
	tr->out = NULL;
	tr->sending = NULL;
	tr->grafts = NULL;
	tr->frame = NULL;
	tr->buf = NULL;
}

/* Tick soon, unless a tick is due sooner. */
static void pmesh_tree_arm(struct pmesh_tree *tr)
{
	timer_reduce(&tr->timer,
		     jiffies + msecs_to_jiffies(PMESH_TREE_TICK_MS));
}

/**
 * pmesh_tree_slot_get() - a slot for a new UDP neighbour
 * @mesh: the mesh
 *
 * The new neighbour is eager for every origin: trees that had the slot's
 * last holder lazy forget it.
 *
 * Context: process context.
 * Return: a slot, or -1 when all PMESH_TR_SLOTS are taken: that neighbour
 * is eager for good.
 */
int pmesh_tree_slot_get(struct pmesh_mesh *mesh)
{
	struct pmesh_tree *tr = &mesh->tree;
	int slot = -1;

	spin_lock_bh(&tr->lock);
	if (~tr->slots) {
		slot = __ffs64(~tr->slots);
		tr->slots |= BIT_ULL(slot);
		tr->own_lazy &= ~BIT_ULL(slot);
		tr->own_strike &= ~BIT_ULL(slot);
		tr->serve[slot] = (struct pmesh_tree_bucket){ 0 };
		tr->rx[slot] = (struct pmesh_tree_bucket){ 0 };
	}
	spin_unlock_bh(&tr->lock);
	if (slot >= 0)
		pmesh_origins_tree_forget(&mesh->origins, slot);
	return slot;
}

/**
 * pmesh_tree_slot_put() - a UDP neighbour is gone: free its slot
 * @mesh: the mesh
 * @slot: its slot, or -1
 *
 * Its announcements go from the missing table, and the frames queued for
 * it are not sent.
 *
 * Context: process context.
 */
void pmesh_tree_slot_put(struct pmesh_mesh *mesh, int slot)
{
	struct pmesh_tree *tr = &mesh->tree;
	unsigned int i;

	if (slot < 0)
		return;
	spin_lock_bh(&tr->lock);
	tr->slots &= ~BIT_ULL(slot);
	pmesh_tr_neigh_down(tr->missing, slot);
	for (i = 0; i < tr->n_out; i++)
		if (tr->out[i].slot == slot)
			tr->out[i].slot = PMESH_TR_SLOTS;
	tr->last_ihave[slot] = U16_MAX;
	spin_unlock_bh(&tr->lock);
}

static struct hlist_head *pmesh_tree_bucket(struct pmesh_tree *tr,
					    const struct pmesh_tr_id *id)
{
	return &tr->cache[hash_min(siphash_3u64(id->origin, id->epoch,
						id->seq, &tr->key),
				   PMESH_TREE_CACHE_HASH_BITS)];
}

static void pmesh_tree_cache_unlink(struct pmesh_tree *tr,
				    struct pmesh_cached *c,
				    struct list_head *gone)
{
	hash_del(&c->hnode);
	list_move_tail(&c->list, gone);
	tr->cache_bytes -= c->skb->truesize;
}

/*
 * Put @c in the cache, the oldest out while the bytes are over; those go
 * to @gone, freed by the caller out of the lock. Under the tree's lock.
 */
static void pmesh_tree_cache_add(struct pmesh_tree *tr, struct pmesh_cached *c,
				 struct list_head *gone)
{
	struct pmesh_cached *old, *tmp;

	list_for_each_entry_safe(old, tmp, &tr->cache_list, list) {
		if (tr->cache_bytes + c->skb->truesize <= PMESH_TREE_CACHE_BYTES)
			break;
		pmesh_tree_cache_unlink(tr, old, gone);
	}
	if (tr->cache_bytes + c->skb->truesize > PMESH_TREE_CACHE_BYTES) {
		list_add(&c->list, gone);
		return;
	}
	hlist_add_head(&c->hnode, pmesh_tree_bucket(tr, &c->id));
	list_add_tail(&c->list, &tr->cache_list);
	tr->cache_bytes += c->skb->truesize;
}

/* The entries older than PMESH_TREE_CACHE_MS to @gone. Under the lock. */
static void pmesh_tree_cache_age(struct pmesh_tree *tr, struct list_head *gone)
{
	unsigned long old = jiffies - msecs_to_jiffies(PMESH_TREE_CACHE_MS);
	struct pmesh_cached *c, *tmp;

	list_for_each_entry_safe(c, tmp, &tr->cache_list, list) {
		if (time_after(c->at, old))
			break;
		pmesh_tree_cache_unlink(tr, c, gone);
	}
}

static void pmesh_tree_free_list(struct list_head *gone)
{
	struct pmesh_cached *c, *tmp;

	list_for_each_entry_safe(c, tmp, gone, list)
		pmesh_tree_cache_free(c);
}

static struct pmesh_cached *pmesh_tree_cache_find(struct pmesh_tree *tr,
						  const struct pmesh_tr_id *id)
{
	struct pmesh_cached *c;

	hlist_for_each_entry(c, pmesh_tree_bucket(tr, id), hnode)
		if (c->id.origin == id->origin && c->id.epoch == id->epoch &&
		    c->id.seq == id->seq)
			return c;
	return NULL;
}

/* A cache entry for @skb, out of any lock; NULL when memory is short. */
static struct pmesh_cached *pmesh_tree_cache_new(struct pmesh_tree *tr,
						 struct sk_buff *skb,
						 const struct pmesh_tr_id *id)
{
	struct mem_cgroup *old;
	struct pmesh_cached *c;

	old = set_active_memcg(tr->memcg);
	c = kmalloc(sizeof(*c), GFP_ATOMIC | __GFP_ACCOUNT);
	set_active_memcg(old);
	if (!c)
		return NULL;
	if (atomic_add_return(skb->truesize, &pmesh_tree_cache_total) >
	    PMESH_TREE_CACHE_TOTAL) {
		atomic_sub(skb->truesize, &pmesh_tree_cache_total);
		kfree(c);
		return NULL;
	}
	c->skb = skb_clone(skb, GFP_ATOMIC);
	if (!c->skb) {
		atomic_sub(skb->truesize, &pmesh_tree_cache_total);
		kfree(c);
		return NULL;
	}
	/* Kept for seconds: nothing of the path it came by. */
	skb_dst_drop(c->skb);
	nf_reset_ct(c->skb);
	skb_ext_reset(c->skb);
	c->skb->dev = NULL;
	c->id = *id;
	c->at = jiffies;
	return c;
}

/* Whether an entry of @op for @slot and @origin waits. Under the lock. */
static bool pmesh_tree_queued(const struct pmesh_tree *tr, int slot, u8 op,
			      u64 origin)
{
	unsigned int i;

	for (i = 0; i < tr->n_out; i++)
		if (tr->out[i].slot == slot && tr->out[i].op == op &&
		    tr->out[i].r.origin == origin)
			return true;
	return false;
}

/*
 * Queue an entry for @slot; an IHAVE extends the slot's last one when it
 * is the next id of the same origin. Under the lock. Return: false when
 * the queue is full.
 */
static bool pmesh_tree_queue(struct pmesh_tree *tr, int slot, u8 op,
			     const struct pmesh_tr_id *id, u8 hops)
{
	struct pmesh_tree_out *o;
	u16 last = tr->last_ihave[slot];

	if (op == PMESH_TR_IHAVE && last < tr->n_out) {
		o = &tr->out[last];
		if (o->r.origin == id->origin && o->r.epoch == id->epoch &&
		    o->r.seq + o->r.count == id->seq && o->r.count < U16_MAX) {
			o->r.count++;
			return true;
		}
	}
	if (tr->n_out >= PMESH_TREE_OUT)
		return false;
	o = &tr->out[tr->n_out];
	o->slot = slot;
	o->op = op;
	o->r = (struct pmesh_tr_range){
		.origin = id->origin,
		.epoch = id->epoch,
		.seq = op == PMESH_TR_PRUNE ? 0 : id->seq,
		.count = op == PMESH_TR_PRUNE ? 0 : 1,
		.hops = op == PMESH_TR_IHAVE ? hops : 0,
	};
	if (op == PMESH_TR_IHAVE)
		tr->last_ihave[slot] = tr->n_out;
	tr->n_out++;
	return true;
}

/**
 * pmesh_tree_first() - a first copy goes on: which neighbours get only its id
 * @mesh: the mesh, in tree mode
 * @from: the neighbour it came from, or NULL for this node's own
 * @skb: the frame as it goes on, header rewritten; cached as a clone
 * @f: its header
 * @hops: the hops its copies arrive with
 *
 * The sender turns eager for the origin. Every lazy UDP neighbour but the
 * sender gets the id in its next IHAVE, and the datagram is cached for
 * their GRAFTs; when the queue or the cache is full, the payload instead. A datagram
 * that was missing (its GRAFT answered) is a repair.
 *
 * Context: BH disabled, under rcu_read_lock().
 * Return: the slots that get the id and not the payload.
 */
u64 pmesh_tree_first(struct pmesh_mesh *mesh, struct pmesh_neigh *from,
		     struct sk_buff *skb, const struct pmesh_frame *f, u8 hops)
{
	const struct pmesh_tr_id id = {
		.origin = f->origin, .epoch = f->epoch, .seq = f->seq,
	};
	int slot = from ? READ_ONCE(from->tree_slot) : -1;
	struct pmesh_tree *tr = &mesh->tree;
	struct pmesh_cached *c = NULL;
	unsigned int asked = 0, n = 0;
	u64 lazy, ids = 0;
	LIST_HEAD(gone);
	int s;

	if (from)
		pmesh_origin_tree(&mesh->origins, f->origin,
				  PMESH_ORIGIN_TREE_FIRST, slot, &lazy);
	else
		lazy = READ_ONCE(tr->own_lazy);
	/*
	 * Only a neighbour told of it can ask for it: cached first, and
	 * with no room in the cache, the payload to every neighbour.
	 */
	if (lazy & READ_ONCE(tr->slots) & ~pmesh_tree_bit(slot))
		c = pmesh_tree_cache_new(tr, skb, &id);

	spin_lock(&tr->lock);
	if (!from)
		lazy = tr->own_lazy;
	lazy &= tr->slots & ~pmesh_tree_bit(slot);
	if (from)
		asked = pmesh_tr_got(tr->missing, &id);
	while (c && lazy) {
		s = __ffs64(lazy);
		lazy &= lazy - 1;
		if (!pmesh_tree_queue(tr, s, PMESH_TR_IHAVE, &id, hops))
			break;
		ids |= BIT_ULL(s);
		n++;
	}
	if (c && n)
		pmesh_tree_cache_add(tr, c, &gone);
	else if (c)
		list_add(&c->list, &gone);
	spin_unlock(&tr->lock);
	pmesh_tree_free_list(&gone);

	if (asked)
		pmesh_count(mesh, PMESH_A_STATS_REPAIRS);
	if (n)
		pmesh_count_add(mesh, PMESH_A_STATS_IHAVE_TX, n);
	pmesh_tree_arm(tr);
	return ids;
}

/**
 * pmesh_tree_got() - a first copy that goes no further
 * @mesh: the mesh, in tree mode
 * @from: the neighbour it came from
 * @f: its header
 *
 * Its hop limit ran out, or the node has no other neighbour: as
 * pmesh_tree_first() for the trees and the missing table, with nothing
 * to announce.
 *
 * Context: BH disabled, under rcu_read_lock().
 */
void pmesh_tree_got(struct pmesh_mesh *mesh, struct pmesh_neigh *from,
		    const struct pmesh_frame *f)
{
	const struct pmesh_tr_id id = {
		.origin = f->origin, .epoch = f->epoch, .seq = f->seq,
	};
	struct pmesh_tree *tr = &mesh->tree;
	unsigned int asked;
	u64 lazy;

	pmesh_origin_tree(&mesh->origins, f->origin, PMESH_ORIGIN_TREE_FIRST,
			  READ_ONCE(from->tree_slot), &lazy);
	spin_lock(&tr->lock);
	asked = pmesh_tr_got(tr->missing, &id);
	spin_unlock(&tr->lock);
	if (asked)
		pmesh_count(mesh, PMESH_A_STATS_REPAIRS);
}

/**
 * pmesh_tree_duplicate() - a copy already held came: a strike to its sender
 * @mesh: the mesh, in tree mode
 * @from: the neighbour it came from
 * @f: its header
 *
 * An eager UDP neighbour's second duplicate in a row of an origin turns
 * it lazy for that origin, and it is sent a PRUNE; a lazy one's is sent
 * the PRUNE again (it lost the first, or started again), once a tick.
 *
 * Context: BH disabled, under rcu_read_lock().
 */
void pmesh_tree_duplicate(struct pmesh_mesh *mesh, struct pmesh_neigh *from,
			  const struct pmesh_frame *f)
{
	const struct pmesh_tr_id id = {
		.origin = f->origin, .epoch = f->epoch, .seq = f->seq,
	};
	int slot = READ_ONCE(from->tree_slot);
	struct pmesh_tree *tr = &mesh->tree;
	bool prune = false, queued = false;
	u64 lazy;

	if (slot < 0)
		return;
	if (f->origin != mesh->node_id)
		prune = pmesh_origin_tree(&mesh->origins, f->origin,
					  PMESH_ORIGIN_TREE_DUP, slot, &lazy);
	spin_lock(&tr->lock);
	if (f->origin == mesh->node_id)
		prune = tr->own_lazy & pmesh_tree_bit(slot) ||
			pmesh_tr_strike(&tr->own_lazy, &tr->own_strike, slot);
	if (prune && tr->slots & BIT_ULL(slot) &&
	    !pmesh_tree_queued(tr, slot, PMESH_TR_PRUNE, f->origin))
		queued = pmesh_tree_queue(tr, slot, PMESH_TR_PRUNE, &id, 0);
	spin_unlock(&tr->lock);
	if (queued) {
		pmesh_count(mesh, PMESH_A_STATS_PRUNES_TX);
		pmesh_tree_arm(tr);
	}
}

/*
 * Take a token of @b, which gains @rate a second up to @rate; a part of a
 * token waits for the next call. Under the lock.
 */
static bool pmesh_tree_take(struct pmesh_tree_bucket *b, u32 rate)
{
	unsigned long now = jiffies, gone = now - b->at;
	u32 add;

	add = gone >= HZ ? rate :
	      jiffies_to_msecs(gone) * rate / MSEC_PER_SEC;
	if (add) {
		b->tokens = min(b->tokens + add, rate);
		b->at = now;
	}
	if (!b->tokens)
		return false;
	b->tokens--;
	return true;
}

/**
 * pmesh_tree_rx_ok() - whether to take a tree frame from a neighbour
 * @mesh: the mesh
 * @from: the neighbour
 *
 * A mesh in flood mode takes none: it neither announces nor caches. A
 * neighbour may send PMESH_TREE_RX_RATE a second. What is not taken is
 * counted as tree-drops.
 *
 * Context: softirq, under rcu_read_lock().
 * Return: true to take it.
 */
bool pmesh_tree_rx_ok(struct pmesh_mesh *mesh, struct pmesh_neigh *from)
{
	int slot = READ_ONCE(from->tree_slot);
	struct pmesh_tree *tr = &mesh->tree;
	bool ok = false;

	if (pmesh_tree_on(mesh) && slot >= 0) {
		spin_lock(&tr->lock);
		ok = pmesh_tree_take(&tr->rx[slot], PMESH_TREE_RX_RATE);
		spin_unlock(&tr->lock);
	}
	if (!ok)
		pmesh_count(mesh, PMESH_A_STATS_TREE_DROPS);
	return ok;
}

/*
 * Send @from the datagrams of @r from the cache, as far as its bucket
 * allows; the rest is counted in serve-drops.
 */
static void pmesh_tree_serve(struct pmesh_mesh *mesh, struct pmesh_neigh *from,
			     int slot, const struct pmesh_tr_range *r)
{
	struct pmesh_tree *tr = &mesh->tree;
	struct pmesh_tr_id id = { .origin = r->origin, .epoch = r->epoch };
	unsigned int i, dropped = 0;
	struct pmesh_cached *c;
	struct sk_buff *skb;

	for (i = 0; i < r->count; i++) {
		id.seq = r->seq + i;
		skb = NULL;
		spin_lock(&tr->lock);
		if (!pmesh_tree_take(&tr->serve[slot],
				     PMESH_TREE_SERVE_RATE)) {
			spin_unlock(&tr->lock);
			dropped += r->count - i;
			break;
		}
		c = pmesh_tree_cache_find(tr, &id);
		if (c)
			skb = skb_clone(c->skb, GFP_ATOMIC);
		spin_unlock(&tr->lock);
		if (skb)
			pmesh_send_frame(mesh, from, skb);
		else
			dropped++;
	}
	if (dropped)
		pmesh_count_add(mesh, PMESH_A_STATS_SERVE_DROPS, dropped);
}

/*
 * An IHAVE entry: the ids not held go in the missing table, as many as
 * *@budget, which they take from.
 */
static void pmesh_tree_ihave(struct pmesh_mesh *mesh, int slot,
			     const struct pmesh_tr_range *r,
			     unsigned int *budget)
{
	struct pmesh_origin_frame fr = {
		.id = r->origin, .type = PMESH_TYPE_DATA, .epoch = r->epoch,
	};
	unsigned int i, n = min_t(unsigned int, r->count, *budget);
	struct pmesh_tree *tr = &mesh->tree;
	unsigned int held = 0, full = 0;
	u32 now = pmesh_tree_now();
	struct pmesh_tr_id id;

	pmesh_count_add(mesh, PMESH_A_STATS_IHAVE_RX, r->count);
	if (r->origin == mesh->node_id) {
		pmesh_count_add(mesh, PMESH_A_STATS_IHAVE_HELD, r->count);
		return;
	}
	*budget -= n;
	id = (struct pmesh_tr_id){ .origin = r->origin, .epoch = r->epoch };
	for (i = 0; i < n; i++) {
		fr.seq = r->seq + i;
		if (pmesh_origin_seen(&mesh->origins, &fr)) {
			held++;
			continue;
		}
		id.seq = fr.seq;
		spin_lock(&tr->lock);
		if (!pmesh_tr_ihave(tr->missing, now, &id, slot,
				    PMESH_TR_TIMEOUT1_MS))
			full++;
		spin_unlock(&tr->lock);
	}
	if (held)
		pmesh_count_add(mesh, PMESH_A_STATS_IHAVE_HELD, held);
	full += r->count - n;
	if (full)
		pmesh_count_add(mesh, PMESH_A_STATS_MISSING_DROPS, full);
	if (held < n)
		pmesh_tree_arm(tr);
}

/* A PRUNE or a GRAFT of @slot for an origin's tree. */
static void pmesh_tree_set(struct pmesh_mesh *mesh, int slot, u64 origin,
			   bool lazy)
{
	struct pmesh_tree *tr = &mesh->tree;
	u64 mask;

	if (origin != mesh->node_id) {
		pmesh_origin_tree(&mesh->origins, origin,
				  lazy ? PMESH_ORIGIN_TREE_PRUNE :
					 PMESH_ORIGIN_TREE_GRAFT, slot, &mask);
		return;
	}
	spin_lock(&tr->lock);
	if (lazy) {
		pmesh_tr_prune(&tr->own_lazy, slot);
	} else {
		pmesh_tr_graft(&tr->own_lazy, slot);
		pmesh_tr_clear_strike(&tr->own_strike, slot);
	}
	spin_unlock(&tr->lock);
}

/**
 * pmesh_tree_rx() - a tree frame from a UDP neighbour, opened and parsed
 * @mesh: the mesh
 * @from: the neighbour, up, the frame's origin
 * @t: the frame
 *
 * Taken in tree mode only, as far as pmesh_tree_rx_ok() let it.
 *
 * Context: softirq, under rcu_read_lock().
 */
void pmesh_tree_rx(struct pmesh_mesh *mesh, struct pmesh_neigh *from,
		   const struct pmesh_tr_frame *t)
{
	unsigned int i, budget = PMESH_TREE_IHAVE_SCAN;
	int slot = READ_ONCE(from->tree_slot);
	u64 ihave = 0, grafts = 0, prunes = 0;

	if (slot < 0)
		return;
	for (i = 0; i < t->n; i++) {
		const struct pmesh_tr_range *r = &t->e[i];

		switch (t->op) {
		case PMESH_TR_IHAVE:
			ihave += r->count;
			pmesh_tree_ihave(mesh, slot, r, &budget);
			break;
		case PMESH_TR_PRUNE:
			prunes++;
			pmesh_count(mesh, PMESH_A_STATS_PRUNES_RX);
			pmesh_tree_set(mesh, slot, r->origin, true);
			break;
		case PMESH_TR_GRAFT:
			grafts += r->count;
			pmesh_count_add(mesh, PMESH_A_STATS_GRAFTS_RX, r->count);
			pmesh_tree_set(mesh, slot, r->origin, false);
			pmesh_tree_serve(mesh, from, slot, r);
			break;
		case PMESH_TR_REPAIR:
			pmesh_tree_serve(mesh, from, slot, r);
			break;
		}
	}
	pmesh_neigh_count_tree(from, ihave, grafts, prunes);
}

/*
 * Send the entries of @out for @peer's slot, op by op, as many frames as
 * they fill. Under rcu_read_lock(), BH disabled.
 */
static void pmesh_tree_send_slot(struct pmesh_mesh *mesh,
				 struct pmesh_neigh *peer, int slot,
				 const struct pmesh_tree_out *out,
				 unsigned int n)
{
	static const u8 ops[] = { PMESH_TR_PRUNE, PMESH_TR_GRAFT,
				  PMESH_TR_IHAVE };
	struct pmesh_tree *tr = &mesh->tree;
	struct pmesh_tr_frame *fr = tr->frame;
	unsigned int i, k;
	size_t len;

	for (k = 0; k < ARRAY_SIZE(ops); k++) {
		fr->op = ops[k];
		fr->n = 0;
		for (i = 0; i <= n; i++) {
			if (i < n && (out[i].slot != slot ||
				      out[i].op != ops[k]))
				continue;
			if (i < n)
				fr->e[fr->n++] = out[i].r;
			if (fr->n && (i == n || fr->n == PMESH_TR_MAX_ENTRIES)) {
				len = pmesh_tr_build(tr->buf, fr);
				pmesh_send_peer(mesh, peer, PMESH_TYPE_TREE,
						tr->buf, len);
				fr->n = 0;
			}
		}
	}
}

/*
 * The tick: the GRAFTs due, the frames queued, the cache aged; again in
 * PMESH_TREE_TICK_MS while ids are missing or datagrams cached.
 */
static void pmesh_tree_tick(struct timer_list *t)
{
	struct pmesh_tree *tr = from_timer(tr, t, timer);
	struct pmesh_mesh *mesh = pmesh_tree_mesh(tr);
	unsigned int i, n, grafts;
	struct pmesh_neigh *peer;
	bool again;
	LIST_HEAD(gone);
	int slot;

	spin_lock(&tr->lock);
	grafts = pmesh_tr_expire(tr->missing, pmesh_tree_now(), tr->grafts,
				 PMESH_TREE_GRAFTS);
	n = tr->n_out;
	memcpy(tr->sending, tr->out, n * sizeof(*tr->out));
	tr->n_out = 0;
	memset(tr->last_ihave, 0xff, sizeof(tr->last_ihave));
	pmesh_tree_cache_age(tr, &gone);
	again = tr->missing->n || !list_empty(&tr->cache_list);
	spin_unlock(&tr->lock);
	pmesh_tree_free_list(&gone);

	for (i = 0; i < grafts; i++) {
		const struct pmesh_tr_graft *g = &tr->grafts[i];

		tr->sending[n++] = (struct pmesh_tree_out){
			.slot = g->slot,
			.op = PMESH_TR_GRAFT,
			.r = { .origin = g->id.origin, .epoch = g->id.epoch,
			       .seq = g->id.seq, .count = 1 },
		};
	}
	if (grafts)
		pmesh_count_add(mesh, PMESH_A_STATS_GRAFTS_TX, grafts);

	if (n && !READ_ONCE(mesh->dead)) {
		rcu_read_lock();
		list_for_each_entry_rcu(peer, &mesh->peers.list, list) {
			slot = READ_ONCE(peer->tree_slot);
			if (slot >= 0 && pmesh_neigh_gets(peer, false))
				pmesh_tree_send_slot(mesh, peer, slot,
						     tr->sending, n);
		}
		rcu_read_unlock();
	}
	if (again)
		pmesh_tree_arm(tr);
}
