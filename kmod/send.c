// SPDX-License-Identifier: GPL-2.0
/*
 * Every frame that leaves the node. Frames of its own (datagrams from the
 * sockets, hellos and beacons, announcements and goodbyes) are built in one
 * place, pmesh_send(), which takes the sequence number and writes the
 * header; the callers decide when and what, never how. Frames are flooded
 * to the neighbours of a mesh: to every UDP peer but the one a frame came
 * from, and once onto every Ethernet link but the one it came in on. The
 * last target gets the frame itself, the others clones.
 */
#include <linux/ktime.h>
#include <linux/random.h>

#include "core/auth.h"
#include "datapath.h"
#include "link.h"
#include "mesh.h"
#include "neigh.h"
#include "peer.h"
#include "seal.h"
#include "tree.h"
#include "udp.h"

/*
 * The epoch unit: 2^26 ns, about 67 ms. A 32-bit epoch compared as a serial
 * number (RFC 1982) then orders two epochs up to 2^31 units, four and a
 * half years, apart: a node up for years that restarts is still newer. In
 * microseconds, as it was, half the restarts of a node up longer than 36
 * minutes looked older, and its new datagrams were dropped as stale while
 * its old entry lived.
 */
#define PMESH_EPOCH_SHIFT	26

/* The last epoch given to a mesh of this machine. */
static atomic_t pmesh_last_epoch = ATOMIC_INIT(0);

/*
 * The clock of sealed frames (pmesh_clock()), in ns: the latest value it
 * gave, and the value it had before its latest step back (0: none yet).
 */
static atomic64_t pmesh_clock_high = ATOMIC64_INIT(0);
static atomic64_t pmesh_clock_stepped = ATOMIC64_INIT(0);

/*
 * The clock when a mesh of this machine last stopped taking sealed frames
 * (deleted keyed, or made key-less), or when the module was loaded: a
 * mesh created later, which may be one of those started again, is held
 * to it (pmesh_tx_young()).
 */
static atomic64_t pmesh_clock_stopped = ATOMIC64_INIT(0);

/*
 * A step back of the wall clock up to this is waited out: the clock of
 * sealed frames stays where it was until the wall clock is there again.
 * Two CPUs that read the wall clock a moment apart see one.
 */
#define PMESH_CLOCK_HOLD_NS	(2 * NSEC_PER_SEC)

/*
 * Drawn again each time this machine's VM is cloned or started from a
 * snapshot (VM generation ID): every mesh's salt is XORed with it when it
 * seals, so that two copies of one node, which go on with the same
 * sequence numbers, never seal two frames under one nonce.
 */
static u64 pmesh_vm_salt __read_mostly;

static int pmesh_vmfork(struct notifier_block *nb, unsigned long action,
			void *data)
{
	WRITE_ONCE(pmesh_vm_salt, get_random_u64());
	return NOTIFY_DONE;
}

static struct notifier_block pmesh_vmfork_nb = {
	.notifier_call = pmesh_vmfork,
};

/**
 * pmesh_send_init() - follow VM clones and snapshots
 *
 * Return: 0, or a negative errno.
 */
int pmesh_send_init(void)
{
	pmesh_tx_stopped();
	return register_random_vmfork_notifier(&pmesh_vmfork_nb);
}

/** pmesh_send_exit() - undo pmesh_send_init() */
void pmesh_send_exit(void)
{
	unregister_random_vmfork_notifier(&pmesh_vmfork_nb);
}

/*
 * The wall clock in epoch units, but always after the last one given: two
 * meshes created within one unit (a mesh deleted and made again at once)
 * still get epochs in order.
 */
static u32 pmesh_new_epoch(void)
{
	u32 now = (u32)(ktime_get_real_ns() >> PMESH_EPOCH_SHIFT);
	u32 last = atomic_read(&pmesh_last_epoch);
	u32 next;

	do {
		next = (s32)(now - last) > 0 ? now : last + 1;
	} while (!atomic_try_cmpxchg(&pmesh_last_epoch, &last, next));
	return next;
}

/*
 * The wall clock, in ns, never back by a step of up to
 * PMESH_CLOCK_HOLD_NS; a longer step back is followed, and the clock's
 * value before it kept: pmesh_tx_young() holds frames to it.
 */
static s64 pmesh_clock_ns(void)
{
	s64 now = ktime_get_real_ns();
	s64 high = atomic64_read(&pmesh_clock_high);

	do {
		if (now <= high && high - now <= PMESH_CLOCK_HOLD_NS)
			return high;
		if (now < high)
			atomic64_set(&pmesh_clock_stepped, high);
	} while (!atomic64_try_cmpxchg(&pmesh_clock_high, &high, now));
	return now;
}

/**
 * pmesh_clock() - the clock of sealed frames
 *
 * The wall clock: a step forward (the first NTP fix of a machine without a
 * real-time clock) is followed at once, a short step back waited out, a
 * longer one followed too, and the nodes of the machine then take only
 * frames sealed after the clock's value before the step (pmesh_tx_young()).
 *
 * Return: the clock in 2^PMESH_CLOCK_SHIFT ns units, truncated to 32 bits.
 */
u32 pmesh_clock(void)
{
	return (u32)(pmesh_clock_ns() >> PMESH_CLOCK_SHIFT);
}

/**
 * pmesh_tx_restart() - take sealed frames from now on only
 * @mesh: the mesh
 *
 * When the mesh is keyed after it was key-less: its origins table is
 * empty, so a frame it took before, replayed, would look new.
 * pmesh_tx_young() refuses those.
 */
void pmesh_tx_restart(struct pmesh_mesh *mesh)
{
	atomic64_set(&mesh->tx.floor, pmesh_clock_ns());
}

/**
 * pmesh_tx_stopped() - a mesh stops taking sealed frames
 *
 * When a keyed mesh is deleted or made key-less, and when the module is
 * loaded: the node may start again, and a mesh created from now on holds
 * the frames it takes to this moment, in case it is that node.
 */
void pmesh_tx_stopped(void)
{
	atomic64_set(&pmesh_clock_stopped, pmesh_clock_ns());
}

/**
 * pmesh_tx_init() - a new epoch, every sequence space empty
 * @mesh: the mesh, not yet visible
 *
 * The epoch is newer each time the mesh is created again, so others take
 * this node's sequence numbers, which start over, as new.
 */
void pmesh_tx_init(struct pmesh_mesh *mesh)
{
	int i;

	mesh->tx.epoch = pmesh_new_epoch();
	for (i = 0; i < PMESH_TYPES; i++)
		atomic64_set(&mesh->tx.seq[i], 0);
	mesh->tx.salt = get_random_u64();
	atomic64_set(&mesh->tx.floor, atomic64_read(&pmesh_clock_stopped));
}

/**
 * pmesh_tx_young() - whether sealed frames are held to a floor
 * @mesh: the mesh
 * @window: how old a frame may be, in 2^PMESH_CLOCK_SHIFT ns units
 * @floor: the floor, in those units, when there is one
 *
 * The floor is the later of the clock when the mesh may have stopped
 * taking sealed frames before (when a mesh of this machine last did, or
 * the module was loaded, before the mesh was created; when it was keyed
 * after it was key-less) and the clock's value before its latest step
 * back: every frame the mesh, or the node it starts again, took before,
 * whatever its origins table has forgotten since, was sealed no later
 * than that plus the clocks' skew. It holds until the window alone
 * refuses all of them.
 *
 * Return: true if frames must be sealed after *@floor plus the skew.
 */
bool pmesh_tx_young(struct pmesh_mesh *mesh, u32 window, u32 *floor)
{
	s64 now = pmesh_clock_ns();
	s64 at = max(atomic64_read(&mesh->tx.floor),
		     atomic64_read(&pmesh_clock_stepped));
	s64 span = ((s64)window << PMESH_CLOCK_SHIFT) +
		   (s64)PMESH_CLOCK_SKEW * NSEC_PER_SEC;

	if (now - at > span)
		return false;
	*floor = (u32)(at >> PMESH_CLOCK_SHIFT);
	return true;
}

/**
 * pmesh_send_is_echo() - whether a frame of this node's came back
 * @mesh: the mesh
 * @f: a received header with @f->origin this node's id
 *
 * Return: true for a copy of a datagram or announcement this node sent
 * that went round a loop; false for a forgery (or a hello, which is never
 * relayed).
 */
bool pmesh_send_is_echo(struct pmesh_mesh *mesh, const struct pmesh_frame *f)
{
	if (f->type != PMESH_TYPE_DATA && f->type != PMESH_TYPE_ANNOUNCE)
		return false;
	return f->epoch == mesh->tx.epoch &&
	       f->seq <= (u64)atomic64_read(&mesh->tx.seq[f->type]);
}

/**
 * struct pmesh_target - where one copy of a flooded frame goes
 * @peer: a UDP peer, or NULL
 * @link: an Ethernet link, when @peer is NULL
 */
struct pmesh_target {
	struct pmesh_neigh *peer;
	struct pmesh_link *link;
};

static void pmesh_flood_one(struct pmesh_mesh *mesh,
			    const struct pmesh_target *t, struct sk_buff *skb,
			    unsigned int how)
{
	unsigned int len = skb->len;

	if (t->peer)
		pmesh_udp_xmit(mesh, t->peer, skb);
	else
		pmesh_link_xmit(mesh, t->link, skb);
	if (how & PMESH_FLOOD_FWD) {
		pmesh_count(mesh, PMESH_A_STATS_FORWARDED);
	} else if (how & PMESH_FLOOD_CTL) {
		pmesh_count(mesh, PMESH_A_STATS_CTL_TX_FRAMES);
		pmesh_count_add(mesh, PMESH_A_STATS_CTL_TX_BYTES, len);
	}
}

/* Send a clone to the previous target, if any; @next becomes it. */
static void pmesh_flood_step(struct pmesh_mesh *mesh, struct pmesh_target *prev,
			     const struct pmesh_target *next,
			     struct sk_buff *skb, unsigned int how)
{
	struct sk_buff *copy;

	if (prev->peer || prev->link) {
		copy = skb_clone(skb, GFP_ATOMIC);
		if (copy)
			pmesh_flood_one(mesh, prev, copy, how);
	}
	*prev = *next;
}

/* Whether a UDP peer's slot is among a tree's @lazy ones. */
static bool pmesh_flood_is_lazy(const struct pmesh_neigh *peer, u64 lazy)
{
	int slot = READ_ONCE(peer->tree_slot);

	return lazy && slot >= 0 && lazy & BIT_ULL(slot);
}

/**
 * pmesh_flood_lazy() - send a frame to every neighbour but one, and the lazy
 * @mesh: the mesh
 * @skb: the frame, skb->data at its pmesh header; consumed
 * @except: the neighbour it came from (a UDP peer, or a station whose link
 *	is then skipped), or NULL for this node's own frames
 * @how: PMESH_FLOOD_*: how the copies are counted, and whether only UDP
 *	peers get one (hellos)
 * @lazy: in tree mode, the slots of UDP peers that get only the frame's id
 *	(pmesh_tree_first()); 0 to flood
 *
 * Context: BH disabled, under rcu_read_lock().
 */
void pmesh_flood_lazy(struct pmesh_mesh *mesh, struct sk_buff *skb,
		      struct pmesh_neigh *except, unsigned int how, u64 lazy)
{
	struct pmesh_link *skip = except ? except->link : NULL;
	struct pmesh_target prev = {}, next;
	struct pmesh_neigh *peer;
	struct pmesh_link *link;

	list_for_each_entry_rcu(peer, &mesh->peers.list, list) {
		if (peer == except ||
		    !pmesh_neigh_gets(peer, how & PMESH_FLOOD_HELLO) ||
		    pmesh_flood_is_lazy(peer, lazy))
			continue;
		next = (struct pmesh_target){ .peer = peer };
		pmesh_flood_step(mesh, &prev, &next, skb, how);
	}
	/* Beacons go link by link, when due (pmesh_links_beacon()). */
	list_for_each_entry_rcu(link, &mesh->links.list, list) {
		if (how & PMESH_FLOOD_HELLO)
			break;
		if (link == skip || !READ_ONCE(link->n_neighs))
			continue;
		next = (struct pmesh_target){ .link = link };
		pmesh_flood_step(mesh, &prev, &next, skb, how);
	}
	if (!prev.peer && !prev.link) {
		consume_skb(skb);
		return;
	}
	pmesh_flood_one(mesh, &prev, skb, how);
}

/*
 * Seal a frame of this node's: the header and its extension, the local
 * sockets' copy of a datagram in clear, then the payload sealed in place
 * and the hop tag. Return: false if it could not be sealed (out of
 * memory, or, in some centuries, out of sequence numbers: a nonce is
 * never used twice); @skb is then freed.
 */
static bool pmesh_send_seal(struct pmesh_mesh *mesh,
			    const struct pmesh_key *key, struct sk_buff *skb,
			    struct pmesh_frame *f, unsigned int how)
{
	struct pmesh_auth a = {
		.sent_at = pmesh_clock(),
		.key_fp = key->fp,
		.salt = mesh->tx.salt ^ READ_ONCE(pmesh_vm_salt),
	};
	struct sk_buff *copy;
	u8 *hdr;

	if (unlikely(f->seq >> PMESH_AUTH_SEQ_BITS)) {
		pr_warn_once("mesh %u: no sequence number left to seal with: delete and add it again\n",
			     mesh->id);
		kfree_skb(skb);
		return false;
	}

	f->flags = PMESH_FLAG_AUTH;
	f->hdr_len = PMESH_AUTH_HDR_LEN;
	f->len = skb->len + PMESH_AUTH_TAG_LEN;
	hdr = skb_push(skb, PMESH_AUTH_HDR_LEN);
	pmesh_frame_build(hdr, f);
	pmesh_auth_build(hdr, &a);

	if (f->type == PMESH_TYPE_DATA) {
		pmesh_skb_cb_fill(skb, f, 0);
		/* A copy, not a clone: the frame is encrypted in place. */
		if (how & PMESH_SEND_LOOP && pmesh_sock_wanted(mesh, f->channel)) {
			copy = skb_copy(skb, GFP_ATOMIC);
			if (!copy)
				pmesh_count(mesh, PMESH_A_STATS_SOCK_OVERFLOW);
			else if (!pmesh_sock_deliver(mesh, copy,
						     PMESH_AUTH_HDR_LEN, true))
				consume_skb(copy);
		}
	}
	if (pmesh_seal(key, skb, f, a.salt)) {
		kfree_skb(skb);
		return false;
	}
	pmesh_seal_hop(key, skb, f);
	if (f->type == PMESH_TYPE_DATA)
		pmesh_count(mesh, PMESH_A_STATS_SENT);
	return true;
}

/*
 * A keyed mesh's hello goes to each UDP peer as a frame of its own, with
 * a sequence number of its own: receivers take each hello of an origin
 * once, and a node that hears this one over two bearers must take both.
 * (Beacons go link by link, pmesh_send_link().)
 */
static void pmesh_send_each(struct pmesh_mesh *mesh,
			    const struct pmesh_key *key, struct sk_buff *skb,
			    struct pmesh_frame *f, unsigned int how)
{
	struct pmesh_target t = {};
	struct pmesh_neigh *peer;
	struct sk_buff *copy;

	list_for_each_entry_rcu(peer, &mesh->peers.list, list) {
		if (!pmesh_neigh_gets(peer, true))
			continue;
		t.peer = peer;
		copy = skb_copy(skb, GFP_ATOMIC);
		f->seq = atomic64_inc_return(&mesh->tx.seq[f->type]);
		if (copy && pmesh_send_seal(mesh, key, copy, f, how))
			pmesh_flood_one(mesh, &t, copy, how);
	}
	consume_skb(skb);
}

/* The header fields of a frame of this node's, all but the sequence number. */
static void pmesh_send_header(struct pmesh_mesh *mesh, struct sk_buff *skb,
			      struct pmesh_frame *f)
{
	f->version = PMESH_VERSION;
	f->hops = 1;
	f->mesh = mesh->id;
	f->len = skb->len;
	f->origin = mesh->node_id;
	f->sender = mesh->node_id;
	f->epoch = mesh->tx.epoch;
}

/* A frame of this node's, header written, to its neighbours. */
static void pmesh_send_flood(struct pmesh_mesh *mesh, struct sk_buff *skb,
			     const struct pmesh_frame *f, unsigned int how)
{
	u64 lazy = 0;

	if (f->type == PMESH_TYPE_DATA && pmesh_tree_on(mesh))
		lazy = pmesh_tree_first(mesh, NULL, skb, f, 1);
	pmesh_flood_lazy(mesh, skb, NULL, how & ~PMESH_SEND_LOOP, lazy);
}

/**
 * pmesh_send() - write the header of a frame of this node's and send it
 * @mesh: the mesh
 * @skb: the frame, skb->data at its payload, with PMESH_SEND_HEADROOM in
 *	front; consumed
 * @f: @f->type, @f->ttl and, for a datagram, @f->channel; the rest is
 *	filled in here, @f->seq included
 * @how: PMESH_FLOOD_* and PMESH_SEND_LOOP
 *
 * Context: BH disabled, under rcu_read_lock().
 */
void pmesh_send(struct pmesh_mesh *mesh, struct sk_buff *skb,
		struct pmesh_frame *f, unsigned int how)
{
	const struct pmesh_key *key = pmesh_key_cur(mesh);

	pmesh_send_header(mesh, skb, f);
	if (key && f->type == PMESH_TYPE_HELLO) {
		pmesh_send_each(mesh, key, skb, f, how);
		return;
	}
	f->seq = atomic64_inc_return(&mesh->tx.seq[f->type]);
	if (key) {
		if (pmesh_send_seal(mesh, key, skb, f, how))
			pmesh_send_flood(mesh, skb, f, how);
		return;
	}
	pmesh_frame_build(skb_push(skb, PMESH_HDR_LEN), f);

	if (f->type == PMESH_TYPE_DATA) {
		pmesh_skb_cb_fill(skb, f, 0);
		pmesh_count(mesh, PMESH_A_STATS_SENT);
		if (how & PMESH_SEND_LOOP)
			pmesh_sock_deliver(mesh, skb, PMESH_HDR_LEN, false);
	}
	pmesh_send_flood(mesh, skb, f, how);
}

/* A control frame's payload, with room for its headers and tag. */
static struct sk_buff *pmesh_send_alloc(const u8 *payload, unsigned int len,
					gfp_t gfp)
{
	struct sk_buff *skb;

	skb = alloc_skb(PMESH_SEND_HEADROOM + len + PMESH_SEND_TAILROOM, gfp);
	if (skb) {
		skb_reserve(skb, PMESH_SEND_HEADROOM);
		skb_put_data(skb, payload, len);
	}
	return skb;
}

/**
 * pmesh_send_ctl() - send a control frame of this node's
 * @mesh: the mesh
 * @type: PMESH_TYPE_*, not a datagram
 * @ttl: links it may cross
 * @payload: its payload
 * @len: the payload's length
 * @how: PMESH_FLOOD_*
 *
 * A frame that cannot be allocated is not sent: the next round sends
 * another.
 *
 * Context: process context.
 */
void pmesh_send_ctl(struct pmesh_mesh *mesh, u8 type, u8 ttl,
		    const u8 *payload, unsigned int len, unsigned int how)
{
	struct pmesh_frame f = { .type = type, .ttl = ttl };
	struct sk_buff *skb;

	skb = pmesh_send_alloc(payload, len, GFP_KERNEL);
	if (!skb)
		return;

	local_bh_disable();
	rcu_read_lock();
	pmesh_send(mesh, skb, &f, how | PMESH_FLOOD_CTL);
	rcu_read_unlock();
	local_bh_enable();
}

/*
 * Send a control frame of this node's over one link, to one UDP peer or
 * broadcast on one Ethernet link: sealed on a keyed mesh with a sequence
 * number of its type's space. BH disabled, under rcu_read_lock(); consumes
 * @skb.
 */
static void pmesh_send_one(struct pmesh_mesh *mesh,
			   const struct pmesh_target *t, struct sk_buff *skb,
			   u8 type)
{
	struct pmesh_frame f = { .type = type, .ttl = 1 };
	const struct pmesh_key *key = pmesh_key_cur(mesh);

	pmesh_send_header(mesh, skb, &f);
	f.seq = atomic64_inc_return(&mesh->tx.seq[f.type]);
	if (key) {
		if (pmesh_send_seal(mesh, key, skb, &f, PMESH_FLOOD_CTL))
			pmesh_flood_one(mesh, t, skb, PMESH_FLOOD_CTL);
	} else {
		pmesh_frame_build(skb_push(skb, PMESH_HDR_LEN), &f);
		pmesh_flood_one(mesh, t, skb, PMESH_FLOOD_CTL);
	}
}

/**
 * pmesh_send_to() - send a control frame of this node's to one UDP peer
 * @mesh: the mesh
 * @peer: the peer, configured or learned
 * @type: PMESH_TYPE_*, not a datagram
 * @payload: its payload
 * @len: the payload's length
 *
 * One link, sealed on a keyed mesh with a sequence number of its type's
 * space. A frame that cannot be allocated is not sent.
 *
 * Context: process context, with @peer on its mesh's list (the namespace's
 * &pmesh_net.lock held).
 */
void pmesh_send_to(struct pmesh_mesh *mesh, struct pmesh_neigh *peer, u8 type,
		   const u8 *payload, unsigned int len)
{
	const struct pmesh_target t = { .peer = peer };
	struct sk_buff *skb;

	skb = pmesh_send_alloc(payload, len, GFP_KERNEL);
	if (!skb)
		return;

	local_bh_disable();
	rcu_read_lock();
	pmesh_send_one(mesh, &t, skb, type);
	rcu_read_unlock();
	local_bh_enable();
}

/* pmesh_send_one() of a payload copied in, from any context under RCU. */
static bool pmesh_send_one_atomic(struct pmesh_mesh *mesh,
				  const struct pmesh_target *t, u8 type,
				  const u8 *payload, unsigned int len)
{
	struct sk_buff *skb;

	skb = pmesh_send_alloc(payload, len, GFP_ATOMIC);
	if (!skb)
		return false;

	local_bh_disable();
	pmesh_send_one(mesh, t, skb, type);
	local_bh_enable();
	return true;
}

/**
 * pmesh_send_peer() - send a control frame of this node's to one UDP peer, now
 * @mesh: the mesh
 * @peer: the peer
 * @type: PMESH_TYPE_*, not a datagram
 * @payload: its payload
 * @len: the payload's length
 *
 * As pmesh_send_to(), from softirq: a tree frame.
 *
 * Context: under rcu_read_lock(), @peer on its mesh's list.
 * Return: false if the frame could not be allocated, and was not sent.
 */
bool pmesh_send_peer(struct pmesh_mesh *mesh, struct pmesh_neigh *peer, u8 type,
		     const u8 *payload, unsigned int len)
{
	const struct pmesh_target t = { .peer = peer };

	return pmesh_send_one_atomic(mesh, &t, type, payload, len);
}

/**
 * pmesh_send_frame() - send a datagram, as it went on before, to one UDP peer
 * @mesh: the mesh
 * @peer: the peer
 * @skb: the frame, skb->data at its pmesh header, from the tree's cache
 *	(a GRAFT's or REPAIR's answer); consumed
 *
 * Context: BH disabled, under rcu_read_lock().
 */
void pmesh_send_frame(struct pmesh_mesh *mesh, struct pmesh_neigh *peer,
		      struct sk_buff *skb)
{
	const struct pmesh_target t = { .peer = peer };

	pmesh_flood_one(mesh, &t, skb, PMESH_FLOOD_FWD);
}

/**
 * pmesh_send_link() - broadcast a control frame of this node's on one link
 * @mesh: the mesh
 * @link: the Ethernet link
 * @type: PMESH_TYPE_*, not a datagram
 * @payload: its payload
 * @len: the payload's length
 *
 * As pmesh_send_to(), onto one Ethernet link: a beacon.
 *
 * Context: under rcu_read_lock(), @link on its mesh's list.
 * Return: false if the frame could not be allocated, and was not sent.
 */
bool pmesh_send_link(struct pmesh_mesh *mesh, struct pmesh_link *link, u8 type,
		     const u8 *payload, unsigned int len)
{
	const struct pmesh_target t = { .link = link };

	return pmesh_send_one_atomic(mesh, &t, type, payload, len);
}
