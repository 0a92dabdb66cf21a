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
	atomic64_set(&mesh->tx.real0, 0);
	mesh->tx.boot0 = ktime_get_boottime_ns();
	pmesh_tx_clock(mesh);
}

/**
 * pmesh_tx_clock() - the clock of sealed frames
 * @mesh: the mesh
 *
 * The wall clock, but never stepped back: the boot-time clock run on from
 * the wall clock's latest reading ahead of it. A step of the wall clock
 * back (an NTP correction, or a forged one) does not reopen the window of
 * replays; a step forward (the first NTP fix of a machine without a
 * real-time clock) is followed.
 *
 * Return: the clock in 2^PMESH_CLOCK_SHIFT ns units, truncated to 32 bits.
 */
u32 pmesh_tx_clock(struct pmesh_mesh *mesh)
{
	/*
	 * The wall clock less the boot-time clock, from the timekeeper's
	 * offsets: one value, however long this task waits between reads.
	 */
	s64 now0 = ktime_to_ns(ktime_mono_to_any(0, TK_OFFS_REAL)) -
		   ktime_to_ns(ktime_mono_to_any(0, TK_OFFS_BOOT));
	s64 real0 = atomic64_read(&mesh->tx.real0);

	while (now0 > real0 &&
	       !atomic64_try_cmpxchg(&mesh->tx.real0, &real0, now0))
		;
	real0 = max(real0, now0);
	return (u32)((real0 + ktime_get_boottime_ns()) >> PMESH_CLOCK_SHIFT);
}

/**
 * pmesh_tx_floor() - the clock when the mesh was created
 * @mesh: the mesh
 *
 * Moved forward with the clock: after a forward step, frames this node
 * took before the step are still known to be older than the mesh.
 *
 * Return: in 2^PMESH_CLOCK_SHIFT ns units, truncated to 32 bits.
 */
u32 pmesh_tx_floor(struct pmesh_mesh *mesh)
{
	return (u32)((atomic64_read(&mesh->tx.real0) + mesh->tx.boot0) >>
		     PMESH_CLOCK_SHIFT);
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

/**
 * pmesh_flood() - send a frame to every neighbour but one
 * @mesh: the mesh
 * @skb: the frame, skb->data at its pmesh header; consumed
 * @except: the neighbour it came from (a UDP peer, or a station whose link
 *	is then skipped), or NULL for this node's own frames
 * @how: PMESH_FLOOD_*: how the copies are counted, and whether links with
 *	no station known get one (beacons must, for stations to be found)
 *
 * Context: BH disabled, under rcu_read_lock().
 */
void pmesh_flood(struct pmesh_mesh *mesh, struct sk_buff *skb,
		 struct pmesh_neigh *except, unsigned int how)
{
	struct pmesh_link *skip = except ? except->link : NULL;
	struct pmesh_target prev = {}, next;
	struct pmesh_neigh *peer;
	struct pmesh_link *link;

	list_for_each_entry_rcu(peer, &mesh->peers.list, list) {
		if (peer == except)
			continue;
		next = (struct pmesh_target){ .peer = peer };
		pmesh_flood_step(mesh, &prev, &next, skb, how);
	}
	list_for_each_entry_rcu(link, &mesh->links.list, list) {
		if (link == skip ||
		    (!(how & PMESH_FLOOD_BEACON) && !READ_ONCE(link->n_neighs)))
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
 * memory); @skb is then freed.
 */
static bool pmesh_send_seal(struct pmesh_mesh *mesh,
			    const struct pmesh_key *key, struct sk_buff *skb,
			    struct pmesh_frame *f, unsigned int how)
{
	struct pmesh_auth a = {
		.sent_at = pmesh_tx_clock(mesh),
		.key_fp = key->fp,
		.salt = mesh->tx.salt ^ READ_ONCE(pmesh_vm_salt),
	};
	struct sk_buff *copy;
	u8 *hdr;

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
 * A keyed mesh's hello goes to each neighbour as a frame of its own, with
 * a sequence number of its own: receivers take each hello of an origin
 * once, and a node that hears this one over two bearers must take both.
 */
static void pmesh_send_each(struct pmesh_mesh *mesh,
			    const struct pmesh_key *key, struct sk_buff *skb,
			    struct pmesh_frame *f, unsigned int how)
{
	struct pmesh_target t = {};
	struct pmesh_neigh *peer;
	struct pmesh_link *link;
	struct sk_buff *copy;

	list_for_each_entry_rcu(peer, &mesh->peers.list, list) {
		t.peer = peer;
		copy = skb_copy(skb, GFP_ATOMIC);
		f->seq = atomic64_inc_return(&mesh->tx.seq[f->type]);
		if (copy && pmesh_send_seal(mesh, key, copy, f, how))
			pmesh_flood_one(mesh, &t, copy, how);
	}
	t.peer = NULL;
	list_for_each_entry_rcu(link, &mesh->links.list, list) {
		if (!(how & PMESH_FLOOD_BEACON) && !READ_ONCE(link->n_neighs))
			continue;
		t.link = link;
		copy = skb_copy(skb, GFP_ATOMIC);
		f->seq = atomic64_inc_return(&mesh->tx.seq[f->type]);
		if (copy && pmesh_send_seal(mesh, key, copy, f, how))
			pmesh_flood_one(mesh, &t, copy, how);
	}
	consume_skb(skb);
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

	f->version = PMESH_VERSION;
	f->hops = 1;
	f->mesh = mesh->id;
	f->len = skb->len;
	f->origin = mesh->node_id;
	f->sender = mesh->node_id;
	f->epoch = mesh->tx.epoch;
	if (key && f->type == PMESH_TYPE_HELLO) {
		pmesh_send_each(mesh, key, skb, f, how);
		return;
	}
	f->seq = atomic64_inc_return(&mesh->tx.seq[f->type]);
	if (key) {
		if (pmesh_send_seal(mesh, key, skb, f, how))
			pmesh_flood(mesh, skb, NULL, how & ~PMESH_SEND_LOOP);
		return;
	}
	pmesh_frame_build(skb_push(skb, PMESH_HDR_LEN), f);

	if (f->type == PMESH_TYPE_DATA) {
		pmesh_skb_cb_fill(skb, f, 0);
		pmesh_count(mesh, PMESH_A_STATS_SENT);
		if (how & PMESH_SEND_LOOP)
			pmesh_sock_deliver(mesh, skb, PMESH_HDR_LEN, false);
	}
	pmesh_flood(mesh, skb, NULL, how & ~PMESH_SEND_LOOP);
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

	skb = alloc_skb(PMESH_SEND_HEADROOM + len + PMESH_SEND_TAILROOM,
			GFP_KERNEL);
	if (!skb)
		return;
	skb_reserve(skb, PMESH_SEND_HEADROOM);
	skb_put_data(skb, payload, len);

	local_bh_disable();
	rcu_read_lock();
	pmesh_send(mesh, skb, &f, how | PMESH_FLOOD_CTL);
	rcu_read_unlock();
	local_bh_enable();
}
