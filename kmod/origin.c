// SPDX-License-Identifier: GPL-2.0
/*
 * The origins table. A datagram is looked up by its origin under RCU and
 * checked against that origin's window under the origin's own lock: no
 * lock is shared by datagrams of different origins. A new origin is
 * inserted under the table lock, unless the table is full: then its frames
 * are dropped (and counted) until idle origins expire. Dropping rather than
 * evicting keeps "at most once" true for every tracked origin, whatever a
 * flood of bogus origins does; the price is that new origins wait while the
 * table is full. Origins expire after the timeout with no new datagram.
 */
#include <linux/jiffies.h>
#include <linux/memcontrol.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "core/auth.h"
#include "core/tree.h"
#include "origin.h"

static void pmesh_origins_gc(struct work_struct *work);

/**
 * pmesh_origins_init() - set up an empty table
 * @t: the table
 * @max: cap on origins
 * @timeout: seconds an idle origin is kept
 * @memcg: memory cgroup to charge the origins to, or NULL: the mesh's, which
 *	holds the reference
 */
void pmesh_origins_init(struct pmesh_origins *t, unsigned int max,
			unsigned int timeout, struct mem_cgroup *memcg)
{
	t->memcg = memcg;
	spin_lock_init(&t->lock);
	hash_init(t->hash);
	get_random_bytes(&t->key, sizeof(t->key));
	t->count = 0;
	t->max = max;
	t->timeout = timeout;
	t->old_window = U32_MAX;
	t->old_until = get_jiffies_64();
	INIT_DELAYED_WORK(&t->gc, pmesh_origins_gc);
}

static unsigned long pmesh_origins_gc_period(const struct pmesh_origins *t)
{
	return max(HZ, (unsigned long)READ_ONCE(t->timeout) * HZ / 2);
}

/**
 * pmesh_origins_set() - change the cap and the timeout
 * @t: the table
 * @max: new cap; a cap below the count stops insertions until it is met
 * @timeout: new timeout in seconds
 */
void pmesh_origins_set(struct pmesh_origins *t, unsigned int max,
		       unsigned int timeout)
{
	/*
	 * A longer timeout keeps the shorter window for as long: an origin
	 * forgotten under the old timeout may have sealed frames that the
	 * longer window would take again.
	 */
	if (timeout > t->timeout) {
		WRITE_ONCE(t->old_window, pmesh_origins_window(t));
		WRITE_ONCE(t->old_until, get_jiffies_64() + (u64)timeout * HZ);
	}
	WRITE_ONCE(t->max, max);
	WRITE_ONCE(t->timeout, timeout);
	mod_delayed_work(system_wq, &t->gc, pmesh_origins_gc_period(t));
}

/*
 * Origin ids come from the wire: with a plain hash a sender could pick ids
 * that all share a bucket and make every datagram walk one long chain in
 * softirq, on every node the origins are flooded to. The key is secret and
 * per mesh.
 */
static struct hlist_head *pmesh_origin_bucket(struct pmesh_origins *t, u64 id)
{
	return &t->hash[siphash_1u64(id, &t->key) & (HASH_SIZE(t->hash) - 1)];
}

static struct pmesh_origin *pmesh_origin_find(struct pmesh_origins *t, u64 id)
{
	struct pmesh_origin *o;

	hlist_for_each_entry_rcu(o, pmesh_origin_bucket(t, id), node)
		if (o->id == id)
			return o;
	return NULL;
}

/*
 * Find or insert the origin @id. A new entry's windows are empty, in
 * @epoch. NULL if the table is full.
 */
static struct pmesh_origin *pmesh_origin_insert(struct pmesh_origins *t,
						u64 id, u32 epoch)
{
	struct mem_cgroup *old;
	struct pmesh_origin *o;
	int i;

	spin_lock_bh(&t->lock);
	/* Another CPU may have inserted it since the lookup. */
	o = pmesh_origin_find(t, id);
	if (o || t->count >= READ_ONCE(t->max))
		goto out;
	old = set_active_memcg(t->memcg);
	o = kmalloc(sizeof(*o), GFP_ATOMIC | __GFP_ACCOUNT);
	set_active_memcg(old);
	if (!o)
		goto out;
	o->id = id;
	spin_lock_init(&o->lock);
	o->last_new = jiffies;
	/* Sequence number 0, which no origin sends, stands for none. */
	pmesh_window_init(&o->win, epoch, 0);
	for (i = 0; i < ARRAY_SIZE(o->ctl); i++)
		pmesh_ctl_window_init(&o->ctl[i], epoch);
	o->hello_at = 0;
	o->hello_taken = jiffies;
	o->lazy = 0;
	o->strike = 0;
	o->gone = false;
	hlist_add_head_rcu(&o->node, pmesh_origin_bucket(t, id));
	WRITE_ONCE(t->count, t->count + 1);
	if (t->count == 1)
		mod_delayed_work(system_wq, &t->gc, pmesh_origins_gc_period(t));
out:
	spin_unlock_bh(&t->lock);
	return o;
}

/*
 * How far, in 2^PMESH_CLOCK_SHIFT ns units, a hello may have been sealed
 * before the latest taken from its origin: the copies of one round, one
 * per neighbour, are sealed one after the other.
 */
#define PMESH_HELLO_SLACK	2

/*
 * How long after the latest hello taken from an origin a copy of the same
 * round, too far behind for the window, may come in on another bearer.
 */
#define PMESH_HELLO_ROUND	(HZ / 4)

/*
 * The verdict of @o's window for @fr; remembers @fr with @mark. A sealed
 * hello must also be sealed no earlier than the latest taken, within the
 * slack: the copies meant for other nodes, carried here later, are not
 * new. Each copy of a round has a number of its own, so a node with more
 * neighbours than the window is wide may get a copy further behind than
 * it tells: that one is taken on its time alone, and only while its round
 * is the latest and just taken, since the window cannot remember it (a
 * replay of it is taken too, but not after PMESH_HELLO_ROUND: it cannot
 * keep a dead origin up), and never for a station not known yet (it
 * could make one for each address it is sent from). Under o->lock.
 */
static enum pmesh_window_verdict
pmesh_origin_window(struct pmesh_origin *o,
		    const struct pmesh_origin_frame *fr, bool mark)
{
	struct pmesh_ctl_window *ctl;
	enum pmesh_window_verdict w;
	bool hello, first;

	if (fr->type == PMESH_TYPE_DATA)
		return mark ? pmesh_window_check(&o->win, fr->epoch, fr->seq) :
			      pmesh_window_peek(&o->win, fr->epoch, fr->seq);
	ctl = &o->ctl[fr->type - 1];
	hello = fr->type == PMESH_TYPE_HELLO;
	/* No hello taken yet in the frame's epoch: no time to hold it to. */
	first = fr->epoch != ctl->epoch || !ctl->top;
	if (hello && !first &&
	    (s32)(fr->sent_at - o->hello_at) < -PMESH_HELLO_SLACK)
		return PMESH_WINDOW_OLD;
	w = pmesh_ctl_window_check(ctl, fr->epoch, fr->seq, mark);
	if (hello && w == PMESH_WINDOW_OLD && !fr->strict &&
	    time_before(jiffies, o->hello_taken + PMESH_HELLO_ROUND))
		return PMESH_WINDOW_NEW;
	if (w == PMESH_WINDOW_NEW && mark && hello &&
	    (first || (s32)(fr->sent_at - o->hello_at) > 0)) {
		o->hello_at = fr->sent_at;
		o->hello_taken = jiffies;
	}
	return w;
}

/**
 * pmesh_origin_check() - decide whether a frame is new, and remember it
 * @t: the mesh's origins
 * @fr: the frame
 *
 * Context: softirq or BH disabled, under rcu_read_lock().
 * Return: the verdict.
 */
enum pmesh_origin_verdict pmesh_origin_check(struct pmesh_origins *t,
					     const struct pmesh_origin_frame *fr)
{
	enum pmesh_window_verdict w;
	struct pmesh_origin *o;

	o = pmesh_origin_find(t, fr->id);
	/* Full: no need to wait for the lock to learn it. */
	if (!o && READ_ONCE(t->count) >= READ_ONCE(t->max))
		return PMESH_ORIGIN_FULL;
	for (;;) {
		if (!o) {
			o = pmesh_origin_insert(t, fr->id, fr->epoch);
			if (!o)
				return PMESH_ORIGIN_FULL;
		}
		spin_lock(&o->lock);
		if (likely(!o->gone))
			break;
		/*
		 * Pruned since it was found: out of the table by the time
		 * pmesh_origin_insert() has the table's lock, which finds
		 * the origin if another copy put it back meanwhile.
		 */
		spin_unlock(&o->lock);
		o = NULL;
	}
	w = pmesh_origin_window(o, fr, true);
	if (w == PMESH_WINDOW_NEW)
		WRITE_ONCE(o->last_new, jiffies);
	spin_unlock(&o->lock);
	return w == PMESH_WINDOW_NEW ? PMESH_ORIGIN_NEW : PMESH_ORIGIN_DUP;
}

/**
 * pmesh_origin_seen() - whether a frame was seen, remembering nothing
 * @t: the mesh's origins
 * @fr: the frame
 *
 * For keyed meshes, which look before they open a frame, and remember it
 * with pmesh_origin_check() only once it opened.
 *
 * Context: softirq or BH disabled, under rcu_read_lock().
 * Return: true if pmesh_origin_check() would now call it a duplicate.
 */
bool pmesh_origin_seen(struct pmesh_origins *t,
		       const struct pmesh_origin_frame *fr)
{
	struct pmesh_origin *o = pmesh_origin_find(t, fr->id);
	enum pmesh_window_verdict w;

	if (!o)
		return false;
	spin_lock(&o->lock);
	w = o->gone ? PMESH_WINDOW_NEW : pmesh_origin_window(o, fr, false);
	spin_unlock(&o->lock);
	return w != PMESH_WINDOW_NEW;
}

/**
 * pmesh_origin_tree() - apply a tree event to an origin's tree
 * @t: the table
 * @id: the origin
 * @ev: what happened
 * @slot: the neighbour's slot, -1 for none (a link, or past the slots)
 * @lazy: set to the origin's lazy slots after the event (0 when the origin
 *	is not in the table)
 *
 * An origin not in the table has every neighbour eager: nothing is kept
 * for it (a PRUNE of an origin this node never heard from changes
 * nothing).
 *
 * Context: BH disabled, under rcu_read_lock().
 * Return: for PMESH_ORIGIN_TREE_DUP, whether the slot is to get a PRUNE:
 * it turns lazy now, or was lazy and still sends payloads; false
 * otherwise.
 */
bool pmesh_origin_tree(struct pmesh_origins *t, u64 id,
		       enum pmesh_origin_tree_event ev, int slot, u64 *lazy)
{
	struct pmesh_origin *o = pmesh_origin_find(t, id);
	bool prune = false;

	*lazy = 0;
	if (!o)
		return false;
	spin_lock(&o->lock);
	if (!o->gone) {
		switch (ev) {
		case PMESH_ORIGIN_TREE_FIRST:
			pmesh_tr_first(&o->lazy, 0, slot);
			pmesh_tr_clear_strike(&o->strike, slot);
			break;
		case PMESH_ORIGIN_TREE_DUP:
			/* Lazy already: it missed the PRUNE, or restarted. */
			prune = (slot >= 0 && slot < PMESH_TR_SLOTS &&
				 o->lazy & BIT_ULL(slot)) ||
				pmesh_tr_strike(&o->lazy, &o->strike, slot);
			break;
		case PMESH_ORIGIN_TREE_PRUNE:
			pmesh_tr_prune(&o->lazy, slot);
			break;
		case PMESH_ORIGIN_TREE_GRAFT:
			pmesh_tr_graft(&o->lazy, slot);
			pmesh_tr_clear_strike(&o->strike, slot);
			break;
		}
		*lazy = o->lazy;
	}
	spin_unlock(&o->lock);
	return prune;
}

/**
 * pmesh_origins_tree_forget() - a slot has a new neighbour: eager everywhere
 * @t: the table
 * @slot: the slot, 0 to PMESH_TR_SLOTS - 1
 *
 * Context: process context.
 */
void pmesh_origins_tree_forget(struct pmesh_origins *t, int slot)
{
	struct pmesh_origin *o;
	unsigned int bkt;

	rcu_read_lock();
	hash_for_each_rcu(t->hash, bkt, o, node) {
		spin_lock_bh(&o->lock);
		o->lazy &= ~BIT_ULL(slot);
		o->strike &= ~BIT_ULL(slot);
		spin_unlock_bh(&o->lock);
	}
	rcu_read_unlock();
}

/**
 * pmesh_origins_window() - how old a sealed frame may be
 * @t: the mesh's origins
 *
 * A frame is taken while its origin is surely remembered: for its
 * timeout, less the skew two nodes' clocks may have. A replay older than
 * that is refused by its age, whether its origin is remembered or not.
 *
 * Return: the age, in 2^PMESH_CLOCK_SHIFT ns units.
 */
u32 pmesh_origins_window(const struct pmesh_origins *t)
{
	u32 timeout = READ_ONCE(t->timeout);
	u32 secs, w;

	/* Keyed meshes have origin-timeout >= 2 * PMESH_CLOCK_SKEW. */
	secs = timeout > 2 * PMESH_CLOCK_SKEW ? timeout - PMESH_CLOCK_SKEW :
						timeout / 2;
	w = (u32)(((u64)secs * NSEC_PER_SEC) >> PMESH_CLOCK_SHIFT);
	/* Less one unit: ages are whole units, rounded down. */
	w = w ? w - 1 : 0;
	if (time_before64(get_jiffies_64(), READ_ONCE(t->old_until)))
		w = min(w, READ_ONCE(t->old_window));
	return w;
}

/*
 * A bucket at a time, each under the lock: a full table is 65536 entries,
 * and frames of new origins wait for the lock. An entry is marked gone
 * under its own lock, where its idleness is decided: a frame that found
 * it and checks its window after that sees the mark and inserts the origin
 * anew; one that took a new frame before made it not idle (other verdicts
 * change nothing). Process context.
 */
static void pmesh_origins_prune(struct pmesh_origins *t, bool all)
{
	unsigned long idle = (unsigned long)READ_ONCE(t->timeout) * HZ;
	struct pmesh_origin *o;
	struct hlist_node *tmp;
	bool keep;
	int bkt;

	for (bkt = 0; bkt < HASH_SIZE(t->hash); bkt++) {
		spin_lock_bh(&t->lock);
		hlist_for_each_entry_safe(o, tmp, &t->hash[bkt], node) {
			if (!all &&
			    time_before(jiffies, READ_ONCE(o->last_new) + idle))
				continue;
			spin_lock(&o->lock);
			keep = !all && time_before(jiffies, o->last_new + idle);
			o->gone = !keep;
			spin_unlock(&o->lock);
			if (keep)
				continue;
			hash_del_rcu(&o->node);
			WRITE_ONCE(t->count, t->count - 1);
			kfree_rcu(o, rcu);
		}
		spin_unlock_bh(&t->lock);
		cond_resched();
	}
}

/**
 * pmesh_origins_flush() - forget every origin
 * @t: the table
 *
 * When a mesh is keyed or made key-less: what was learned under the other
 * rule (an outsider's epochs far ahead, say) must not outlive it.
 *
 * Context: process context.
 */
void pmesh_origins_flush(struct pmesh_origins *t)
{
	pmesh_origins_prune(t, true);
}

static void pmesh_origins_gc(struct work_struct *work)
{
	struct pmesh_origins *t = container_of(to_delayed_work(work),
					       struct pmesh_origins, gc);

	pmesh_origins_prune(t, false);
	if (READ_ONCE(t->count))
		mod_delayed_work(system_wq, &t->gc, pmesh_origins_gc_period(t));
}

/**
 * pmesh_origins_destroy() - forget every origin
 * @t: the table; no datagram may reach it any more
 */
void pmesh_origins_destroy(struct pmesh_origins *t)
{
	cancel_delayed_work_sync(&t->gc);
	pmesh_origins_prune(t, true);
}
