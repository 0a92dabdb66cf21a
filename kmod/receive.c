// SPDX-License-Identifier: GPL-2.0
/*
 * Receiving a frame from a neighbour, on any bearer: check it, drop what was
 * seen before, deliver a datagram to the local sockets of its channel, take
 * in a hello or an announcement, and flood what is new on with one hop less.
 * Runs in softirq under RCU; the only lock a datagram takes is its origin's.
 */
#include "core/frame.h"
#include "datapath.h"
#include "hello.h"
#include "mesh.h"
#include "node.h"
#include "neigh.h"
#include "origin.h"
#include "overlay.h"
#include "peer.h"
#include "seal.h"
#include "tree.h"

/* Whether the mesh has a neighbour but the one a frame came from. */
static bool pmesh_has_others(struct pmesh_mesh *mesh)
{
	return READ_ONCE(mesh->peers.count) + READ_ONCE(mesh->peers.learned) +
	       READ_ONCE(mesh->links.count) > 1;
}

/* Whether a frame may go on to a neighbour other than the one it came from. */
static bool pmesh_may_forward(struct pmesh_mesh *mesh,
			      const struct pmesh_frame *f)
{
	return f->ttl > 1 && pmesh_has_others(mesh);
}

/*
 * Rewrite the per-hop fields once, before any clone shares the data: local
 * sockets read only the payload, every neighbour gets the same header. What
 * this node sends on is always a version 1 header, sealed with @key's hop
 * tag on a keyed mesh; *@hdr_len becomes its length.
 */
static int pmesh_forward_prepare(struct pmesh_mesh *mesh,
				 const struct pmesh_key *key,
				 struct sk_buff *skb,
				 const struct pmesh_frame *f,
				 unsigned int *hdr_len)
{
	if (skb_ensure_writable(skb, f->hdr_len))
		return -ENOMEM;
	*hdr_len = f->hdr_len;
	if (key) {
		/* Exactly PMESH_AUTH_HDR_LEN: the hop tag covers all of it. */
		pmesh_frame_set_hop(skb->data, f->ttl - 1, f->hops + 1,
				    mesh->node_id);
		pmesh_seal_hop(key, skb, f);
		return 0;
	}
	if (f->hdr_len > PMESH_HDR_LEN) {
		memmove(skb->data + f->hdr_len - PMESH_HDR_LEN, skb->data,
			PMESH_HDR_LEN);
		__skb_pull(skb, f->hdr_len - PMESH_HDR_LEN);
		skb->data[3] = PMESH_HDR_LEN / 4;
		*hdr_len = PMESH_HDR_LEN;
	}
	pmesh_frame_set_hop(skb->data, f->ttl - 1, f->hops + 1, mesh->node_id);
	return 0;
}

/*
 * Count a dropped frame: on the mesh, and on its neighbour (if it came from
 * one) if it did not open.
 */
static void pmesh_receive_count(struct pmesh_mesh *mesh,
				struct pmesh_neigh *from, int drop)
{
	pmesh_count(mesh, drop);
	if (drop == PMESH_A_STATS_AUTH_FAIL && from)
		pmesh_neigh_count_auth_fail(from);
}

/*
 * The payload of a control frame in clear, at *@p: in the frame, or for a
 * sealed one opened into @buf of @size bytes. On a keyed mesh a control
 * frame is taken once, like a datagram: a replay, or a copy that came
 * another way, is a duplicate; with @mark it is remembered once opened,
 * without (a stranger's hello, looked at) it is held to its window alone.
 * Return: 0, or the counter its drop goes to.
 */
static int pmesh_receive_ctl_payload(struct pmesh_mesh *mesh,
				     const struct pmesh_key *key,
				     struct sk_buff *skb,
				     const struct pmesh_frame *f,
				     const struct pmesh_auth *a, bool mark,
				     u8 *buf, size_t size, const u8 **p,
				     size_t *len)
{
	struct pmesh_origin_frame fr = {
		.id = f->origin,
		.type = f->type,
		.epoch = f->epoch,
		.seq = f->seq,
		.sent_at = a->sent_at,
		/* Looked at for a stranger: see pmesh_receive_stranger(). */
		.strict = !mark,
	};
	struct pmesh_origins *t = &mesh->origins;

	if (key && f->len != size + PMESH_AUTH_TAG_LEN)
		return PMESH_A_STATS_MALFORMED;
	if (!pskb_may_pull(skb, f->hdr_len + f->len))
		return PMESH_A_STATS_MALFORMED;
	if (!key) {
		*p = skb->data + f->hdr_len;
		*len = f->len;
		return 0;
	}
	if (pmesh_origin_seen(t, &fr))
		return PMESH_A_STATS_DUPLICATES;
	if (!pmesh_seal_open_small(key, skb, f, a->salt, buf, size))
		return PMESH_A_STATS_AUTH_FAIL;
	*p = buf;
	*len = size;
	if (!mark)
		return 0;
	switch (pmesh_origin_check(t, &fr)) {
	case PMESH_ORIGIN_NEW:
		return 0;
	case PMESH_ORIGIN_DUP:
		return PMESH_A_STATS_DUPLICATES;
	default:
		return PMESH_A_STATS_ORIGIN_DROPS;
	}
}

/* A hello: the sender is alive; it goes no further. Consumes @skb. */
static void pmesh_receive_hello(struct pmesh_mesh *mesh,
				const struct pmesh_key *key,
				struct pmesh_neigh *from, struct sk_buff *skb,
				const struct pmesh_frame *f,
				const struct pmesh_auth *a)
{
	u8 buf[PMESH_HELLO_LEN];
	u32 hello_ms, dead_ms;
	const u8 *p;
	size_t len;
	int drop;

	/* On a keyed mesh, a neighbour up hears only its own node's hellos. */
	if (key && pmesh_neigh_is_other(mesh, from, f->origin))
		drop = PMESH_A_STATS_AUTH_FAIL;
	else
		drop = pmesh_receive_ctl_payload(mesh, key, skb, f, a, true,
						 buf, sizeof(buf), &p, &len);
	if (!drop && (pmesh_hello_parse(p, len, &hello_ms, &dead_ms) !=
		      PMESH_FRAME_OK || f->sender != f->origin))
		drop = PMESH_A_STATS_MALFORMED;
	if (drop) {
		pmesh_receive_count(mesh, from, drop);
		kfree_skb(skb);
		return;
	}
	pmesh_neigh_hello(from, dead_ms);
	pmesh_neigh_heard(from, f);
	consume_skb(skb);
}

/* An announcement: news goes into the membership table and on. Consumes. */
static void pmesh_receive_announce(struct pmesh_mesh *mesh,
				   const struct pmesh_key *key,
				   struct pmesh_neigh *from, struct sk_buff *skb,
				   const struct pmesh_frame *f,
				   const struct pmesh_auth *auth)
{
	u8 buf[PMESH_ANNOUNCE_LEN];
	struct pmesh_announce a;
	unsigned int hdr_len;
	const u8 *p;
	size_t len;
	int drop;

	drop = pmesh_receive_ctl_payload(mesh, key, skb, f, auth, true, buf,
					 sizeof(buf), &p, &len);
	if (!drop && pmesh_announce_parse(p, len, &a) != PMESH_FRAME_OK)
		drop = PMESH_A_STATS_MALFORMED;
	if (drop == PMESH_A_STATS_DUPLICATES) {
		/* Flooded: copies come by every path, as for the nodes table. */
		consume_skb(skb);
		return;
	}
	if (drop) {
		pmesh_receive_count(mesh, from, drop);
		goto drop;
	}
	/*
	 * On a keyed mesh a neighbour is heard by its hellos alone: anyone
	 * can bring genuine frames of others from another place.
	 */
	if (!key)
		pmesh_neigh_heard(from, f);

	switch (pmesh_node_rx(mesh, f, &a)) {
	case PMESH_NODE_NEW:
		break;
	case PMESH_NODE_FULL:
		pmesh_count(mesh, PMESH_A_STATS_NODE_DROPS);
		goto drop;
	case PMESH_NODE_DUP:
	case PMESH_NODE_IGNORE:
		consume_skb(skb);
		return;
	}

	if (a.flags & PMESH_ANNOUNCE_GOODBYE && f->sender == f->origin) {
		/* The neighbour itself leaves: report it down now. */
		pmesh_neigh_goodbye(from, f->origin);
		pmesh_hello_kick(mesh);
	}
	if (!pmesh_may_forward(mesh, f) ||
	    pmesh_forward_prepare(mesh, key, skb, f, &hdr_len)) {
		consume_skb(skb);
		return;
	}
	pmesh_flood(mesh, skb, from, PMESH_FLOOD_CTL);
	return;

drop:
	kfree_skb(skb);
}

/*
 * The checks of a sealed frame that need no state, cheapest first: the key
 * it names (one the mesh opens: during a change of key, the old one or the
 * new one), the hop tag, its age. Its payload is checked later, once it is
 * known not to be a duplicate. *@key becomes the frame's key. Return: 0,
 * or the counter its drop goes to.
 */
static int pmesh_receive_sealed(struct pmesh_mesh *mesh,
				const struct pmesh_key **key,
				struct sk_buff *skb,
				const struct pmesh_frame *f,
				struct pmesh_auth *a)
{
	u32 skew = ((u64)PMESH_CLOCK_SKEW * NSEC_PER_SEC) >> PMESH_CLOCK_SHIFT;
	u32 window, floor;
	bool young;

	if (!*key || !(f->flags & PMESH_FLAG_AUTH))
		return PMESH_A_STATS_AUTH_FAIL;
	if (!pskb_may_pull(skb, f->hdr_len) ||
	    pmesh_auth_parse(skb->data, f, a) != PMESH_FRAME_OK)
		return PMESH_A_STATS_MALFORMED;
	*key = pmesh_key_find(mesh, a->key_fp);
	if (!*key || !pmesh_seal_hop_ok(*key, skb, f))
		return PMESH_A_STATS_AUTH_FAIL;
	window = pmesh_origins_window(&mesh->origins);
	young = pmesh_tx_young(mesh, window, &floor);
	if (!pmesh_auth_fresh(a->sent_at, pmesh_clock(), window, skew,
			      young ? &floor : NULL))
		return PMESH_A_STATS_STALE;
	return 0;
}

/*
 * A sealed datagram not seen before: check its payload is the origin's,
 * and open it now when it goes only to local sockets. Return: 0, or the
 * counter its drop goes to.
 */
static int pmesh_receive_open(struct pmesh_mesh *mesh,
			      const struct pmesh_key *key,
			      struct sk_buff *skb,
			      const struct pmesh_frame *f,
			      const struct pmesh_auth *a, bool forward,
			      bool *opened)
{
	int err;

	*opened = false;
	if (forward || !pmesh_sock_wanted(mesh, f->channel))
		return pmesh_seal_verify(key, skb, f, a->salt) ? 0 :
		       PMESH_A_STATS_AUTH_FAIL;
	err = pmesh_seal_open(key, skb, f, a->salt);
	if (err == -EBADMSG)
		return PMESH_A_STATS_AUTH_FAIL;
	*opened = !err;
	return err ? PMESH_A_STATS_MALFORMED : 0;
}

/*
 * A relay's local sockets get a copy in clear; the neighbours get the
 * ciphertext.
 */
static void pmesh_deliver_opened(struct pmesh_mesh *mesh,
				 const struct pmesh_key *key,
				 struct sk_buff *skb,
				 const struct pmesh_frame *f,
				 const struct pmesh_auth *a,
				 unsigned int hdr_len)
{
	struct sk_buff *copy;

	if (!pmesh_sock_wanted(mesh, f->channel))
		return;
	copy = skb_copy(skb, GFP_ATOMIC);
	if (!copy) {
		pmesh_count(mesh, PMESH_A_STATS_SOCK_OVERFLOW);
		return;
	}
	if (pmesh_seal_open(key, copy, f, a->salt) ||
	    !pmesh_sock_deliver(mesh, copy, hdr_len, true))
		kfree_skb(copy);
}

/*
 * A sealed frame, other than a hello, from a station the link forgot
 * lately (the caller looked): its hop tag opened (pmesh_receive_sealed()),
 * so its sender holds the key. Taken if it is a datagram or an
 * announcement another node sent, new in its origin's window; the caller
 * brings the station back only as the node it was. A copy already seen,
 * or this node's own heard back on a second link, proves nothing.
 */
static int pmesh_receive_stranger_sealed(struct pmesh_mesh *mesh,
					 const struct pmesh_frame *f,
					 const struct pmesh_auth *a, u64 *sender)
{
	struct pmesh_origin_frame fr = {
		.id = f->origin,
		.type = f->type,
		.epoch = f->epoch,
		.seq = f->seq,
		.sent_at = a->sent_at,
		.strict = true,
	};

	if ((f->type != PMESH_TYPE_DATA && f->type != PMESH_TYPE_ANNOUNCE) ||
	    f->sender == mesh->node_id || f->origin == mesh->node_id ||
	    pmesh_origin_seen(&mesh->origins, &fr))
		return PMESH_A_STATS_UNKNOWN_PEER;
	if (sender)
		*sender = f->sender;
	return 0;
}

/**
 * pmesh_receive_stranger() - whether a frame may make its sender known
 * @mesh: the mesh
 * @skb: a frame from an Ethernet station not known yet, skb->data at its
 *	pmesh header
 *
 * A station is learned from a good hello, on a keyed mesh one that opens.
 * There a station forgotten lately (its beacons lost, or a minute apart
 * on a large segment) is also known again by a datagram or announcement
 * whose hop tag it wrote with the key, not seen before
 * (pmesh_origin_seen()): the caller asks only for such a station. A
 * stranger that cannot make this node create state cannot fill its table
 * of stations. Changes nothing but counters.
 *
 * @origin: the node that sent it over this link, when it is good (a
 *	hello's origin, a datagram's or announcement's sender); may be NULL
 *
 * Context: softirq, under rcu_read_lock().
 * Return: 0 if the frame is a good hello of another node, or on a keyed
 * mesh a sealed frame that proves its sender; otherwise the counter
 * (PMESH_A_STATS_*) its drop goes to.
 */
int pmesh_receive_stranger(struct pmesh_mesh *mesh, struct sk_buff *skb,
			   u64 *origin)
{
	const struct pmesh_key *key = pmesh_key_cur(mesh);
	u8 buf[PMESH_HELLO_LEN];
	struct pmesh_auth a = {};
	u32 hello_ms, dead_ms;
	struct pmesh_frame f;
	const u8 *p;
	size_t len;
	int drop;

	/* The caller pulled the bytes of a header's first word. */
	if (skb->data[1] != PMESH_TYPE_HELLO && !key)
		return PMESH_A_STATS_UNKNOWN_PEER;
	if (pmesh_frame_parse(skb->data, skb->len, &f) != PMESH_FRAME_OK)
		return PMESH_A_STATS_MALFORMED;
	if (key || f.flags & PMESH_FLAG_AUTH) {
		drop = pmesh_receive_sealed(mesh, &key, skb, &f, &a);
		if (drop)
			return drop;
	}
	if (f.type != PMESH_TYPE_HELLO)
		return pmesh_receive_stranger_sealed(mesh, &f, &a, origin);
	drop = pmesh_receive_ctl_payload(mesh, key, skb, &f, &a, false, buf,
					 sizeof(buf), &p, &len);
	if (drop)
		return drop;
	if (pmesh_hello_parse(p, len, &hello_ms, &dead_ms) != PMESH_FRAME_OK ||
	    f.origin == mesh->node_id || f.sender != f.origin)
		return PMESH_A_STATS_MALFORMED;
	if (origin)
		*origin = f.origin;
	return 0;
}

/* Whether a JOIN names the address and port it was sent to. */
static bool pmesh_receive_join_to_me(struct pmesh_mesh *mesh,
				     const struct sk_buff *skb,
				     const struct pmesh_px_entry *e)
{
	u8 me[16];

	if (e->port != mesh->port)
		return false;
	if (ip_hdr(skb)->version == 4)
		pmesh_px_addr_set_v4(me, &ip_hdr(skb)->daddr);
	else
		memcpy(me, &ipv6_hdr(skb)->daddr, sizeof(me));
	return !memcmp(e->addr, me, sizeof(me));
}

/*
 * Whether the overlay may take an exchange frame: a JOIN from anyone, sent
 * to this node's address and port; the rest from a neighbour up bound to
 * their origin, and for this node; a SAMPLE, the answer to a JOIN, also
 * from a configured peer not up yet.
 */
static bool pmesh_receive_px_ok(struct pmesh_mesh *mesh,
				struct pmesh_neigh *from,
				const struct sk_buff *skb,
				const struct pmesh_frame *f,
				const struct pmesh_px *px)
{
	if (px->op == PMESH_PX_JOIN)
		return (!px->to || px->to == mesh->node_id) &&
		       pmesh_receive_join_to_me(mesh, skb, &px->e[0]);
	if (!from || px->to != mesh->node_id)
		return false;
	if (px->op == PMESH_PX_SAMPLE && !from->learned)
		return true;
	return pmesh_neigh_is_up(from) && READ_ONCE(from->node_id) == f->origin;
}

/*
 * A peer-exchange frame, from a UDP peer (@from) or from an address that is
 * none (@from NULL, a JOIN only): checked, opened, parsed, and queued for
 * the overlay's work. 530 bytes of stack: the payload opened and parsed.
 * Consumes @skb.
 */
static void pmesh_receive_px(struct pmesh_mesh *mesh,
			     const struct pmesh_key *key,
			     struct pmesh_neigh *from,
			     const union pmesh_addr *src, struct sk_buff *skb,
			     const struct pmesh_frame *f,
			     const struct pmesh_auth *a)
{
	u8 buf[PMESH_PX_MAX_LEN];
	struct pmesh_px px;
	size_t size, len;
	const u8 *p;
	int drop;

	if (!pmesh_overlay_learns(mesh)) {
		drop = PMESH_A_STATS_PX_DROPS;
		goto count;
	}
	size = f->len - (key ? PMESH_AUTH_TAG_LEN : 0);
	if (f->sender != f->origin || size > PMESH_PX_MAX_LEN) {
		drop = PMESH_A_STATS_MALFORMED;
		goto count;
	}
	drop = pmesh_receive_ctl_payload(mesh, key, skb, f, a, true, buf, size,
					 &p, &len);
	if (drop)
		goto count;
	if (pmesh_px_parse(p, len, &px) != PMESH_FRAME_OK) {
		drop = PMESH_A_STATS_MALFORMED;
		goto count;
	}
	if (!pmesh_receive_px_ok(mesh, from, skb, f, &px) ||
	    !pmesh_overlay_rx(mesh, src, f->origin, &px)) {
		drop = PMESH_A_STATS_PX_DROPS;
		goto count;
	}
	consume_skb(skb);
	return;

count:
	pmesh_receive_count(mesh, from, drop);
	kfree_skb(skb);
}

/**
 * struct pmesh_tree_rx - a tree frame being read: too big for the stack
 * @buf: its payload, opened
 * @t: the payload, parsed
 */
struct pmesh_tree_rx {
	u8 buf[PMESH_TR_MAX_LEN];
	struct pmesh_tr_frame t;
};

/*
 * A tree frame, from a UDP neighbour up bound to its origin, one hop:
 * checked, opened, parsed, and handed to the tree. 1,348 bytes opened and
 * 1,792 parsed: allocated, as a frame of a neighbour's comes every tick
 * at most. Consumes @skb.
 */
static void pmesh_receive_tree(struct pmesh_mesh *mesh,
			       const struct pmesh_key *key,
			       struct pmesh_neigh *from, struct sk_buff *skb,
			       const struct pmesh_frame *f,
			       const struct pmesh_auth *a)
{
	size_t size = f->len - (key ? PMESH_AUTH_TAG_LEN : 0), len;
	struct pmesh_tree_rx *rx;
	const u8 *p;
	int drop;

	if (f->sender != f->origin || f->ttl != 1 || f->hops != 1 ||
	    size > PMESH_TR_MAX_LEN) {
		drop = PMESH_A_STATS_MALFORMED;
		goto count;
	}
	/* Over the neighbour's rate, or to a mesh in flood mode: tree-drops. */
	if (!from->link && !pmesh_tree_rx_ok(mesh, from)) {
		kfree_skb(skb);
		return;
	}
	rx = kmalloc(sizeof(*rx), GFP_ATOMIC);
	if (!rx) {
		kfree_skb(skb);
		return;
	}
	drop = pmesh_receive_ctl_payload(mesh, key, skb, f, a, true, rx->buf,
					 size, &p, &len);
	/* Malformed before anything else, whoever sent it: a link has none. */
	if (!drop && (pmesh_tr_parse(p, len, &rx->t) != PMESH_FRAME_OK ||
		      from->link))
		drop = PMESH_A_STATS_MALFORMED;
	if (!drop && (!pmesh_neigh_is_up(from) ||
		      READ_ONCE(from->node_id) != f->origin))
		drop = PMESH_A_STATS_UNKNOWN_PEER;
	if (!drop)
		pmesh_tree_rx(mesh, from, &rx->t);
	kfree(rx);
	if (drop)
		goto count;
	consume_skb(skb);
	return;

count:
	pmesh_receive_count(mesh, from, drop);
	kfree_skb(skb);
}

/**
 * pmesh_receive_unknown() - a UDP frame from an address that is no peer
 * @mesh: the mesh
 * @skb: the frame, skb->data at its UDP header; consumed
 *
 * On a mesh that learns neighbours, a good hello makes its sender a
 * stranger for the overlay to admit or not, and a JOIN goes to the
 * overlay; nothing else from such an address is taken (unknown-peer).
 *
 * Context: softirq, under rcu_read_lock().
 */
void pmesh_receive_unknown(struct pmesh_mesh *mesh, struct sk_buff *skb)
{
	const struct pmesh_key *key = pmesh_key_cur(mesh);
	struct pmesh_auth a = {};
	union pmesh_addr src;
	struct pmesh_frame f;
	u64 origin;
	int drop;

	if (!pmesh_overlay_learns(mesh)) {
		drop = PMESH_A_STATS_UNKNOWN_PEER;
		goto count;
	}
	pmesh_peer_src(skb, &src);
	__skb_pull(skb, sizeof(struct udphdr));
	if (!pskb_may_pull(skb, PMESH_HDR_LEN)) {
		drop = PMESH_A_STATS_MALFORMED;
		goto count;
	}
	if (skb->data[1] != PMESH_TYPE_HELLO && skb->data[1] != PMESH_TYPE_PEERS) {
		drop = PMESH_A_STATS_UNKNOWN_PEER;
		goto count;
	}
	if (pmesh_frame_parse(skb->data, skb->len, &f) != PMESH_FRAME_OK ||
	    f.mesh != mesh->id) {
		drop = PMESH_A_STATS_MALFORMED;
		goto count;
	}
	if (f.type == PMESH_TYPE_HELLO) {
		drop = pmesh_receive_stranger(mesh, skb, &origin);
		if (!drop && !pmesh_overlay_stranger(mesh, &src, origin))
			drop = PMESH_A_STATS_PX_DROPS;
		if (drop)
			goto count;
		consume_skb(skb);
		return;
	}
	if (key || f.flags & PMESH_FLAG_AUTH) {
		drop = pmesh_receive_sealed(mesh, &key, skb, &f, &a);
		if (drop)
			goto count;
	}
	pmesh_receive_px(mesh, key, NULL, &src, skb, &f, &a);
	return;

count:
	pmesh_count(mesh, drop);
	kfree_skb(skb);
}

/**
 * pmesh_receive() - take a frame from a neighbour
 * @mesh: the mesh
 * @from: the neighbour it came from: a UDP peer or an Ethernet station
 * @skb: the frame, skb->data at its pmesh header; consumed
 *
 * Context: softirq, under rcu_read_lock().
 */
void pmesh_receive(struct pmesh_mesh *mesh, struct pmesh_neigh *from,
		   struct sk_buff *skb)
{
	const struct pmesh_key *key = pmesh_key_cur(mesh);
	struct pmesh_origin_frame fr;
	bool forward, opened = true;
	struct pmesh_auth a = {};
	unsigned int hdr_len;
	struct pmesh_frame f;
	int drop;

	pmesh_neigh_count(from, true, skb->len);

	if (!pskb_may_pull(skb, PMESH_HDR_LEN) ||
	    pmesh_frame_parse(skb->data, skb->len, &f) != PMESH_FRAME_OK ||
	    f.mesh != mesh->id)
		goto malformed;
	if (key || f.flags & PMESH_FLAG_AUTH) {
		drop = pmesh_receive_sealed(mesh, &key, skb, &f, &a);
		if (drop)
			goto count;
	}
	if (f.type != PMESH_TYPE_DATA) {
		pmesh_count(mesh, PMESH_A_STATS_CTL_RX_FRAMES);
		pmesh_count_add(mesh, PMESH_A_STATS_CTL_RX_BYTES, skb->len);
	}

	if (f.origin == mesh->node_id) {
		if (!pmesh_send_is_echo(mesh, &f))
			goto malformed;
		if (f.type != PMESH_TYPE_DATA) {
			consume_skb(skb);
			return;
		}
		goto duplicate;
	}
	if (f.type == PMESH_TYPE_HELLO) {
		pmesh_receive_hello(mesh, key, from, skb, &f, &a);
		return;
	}
	if (f.type == PMESH_TYPE_ANNOUNCE) {
		pmesh_receive_announce(mesh, key, from, skb, &f, &a);
		return;
	}
	if (f.type == PMESH_TYPE_PEERS) {
		/* UDP only: an exchange names addresses and ports. */
		if (from->link) {
			drop = PMESH_A_STATS_PX_DROPS;
			goto count;
		}
		pmesh_receive_px(mesh, key, from, &from->addr, skb, &f, &a);
		return;
	}
	if (f.type == PMESH_TYPE_TREE) {
		pmesh_receive_tree(mesh, key, from, skb, &f, &a);
		return;
	}

	if (f.len - (key ? PMESH_AUTH_TAG_LEN : 0) >
	    READ_ONCE(mesh->max_dgram)) {
		/* More than this node takes, so more than it passes on. */
		pmesh_count(mesh, PMESH_A_STATS_TOO_BIG);
		goto drop;
	}
	forward = pmesh_may_forward(mesh, &f);
	fr = (struct pmesh_origin_frame){
		.id = f.origin,
		.type = f.type,
		.epoch = f.epoch,
		.seq = f.seq,
	};
	if (key) {
		/* Nothing changes before the frame is known to be genuine. */
		if (pmesh_origin_seen(&mesh->origins, &fr))
			goto duplicate;
		drop = pmesh_receive_open(mesh, key, skb, &f, &a, forward,
					  &opened);
		if (drop)
			goto count;
	} else {
		pmesh_neigh_heard(from, &f);
	}
	pmesh_count(mesh, PMESH_A_STATS_RECEIVED);
	switch (pmesh_origin_check(&mesh->origins, &fr)) {
	case PMESH_ORIGIN_NEW:
		pmesh_neigh_count_first(from);
		break;
	case PMESH_ORIGIN_DUP:
		goto duplicate;
	case PMESH_ORIGIN_FULL:
		pmesh_count(mesh, PMESH_A_STATS_ORIGIN_DROPS);
		goto drop;
	}

	/* With no neighbour to send it to, the frame itself goes to a socket. */
	hdr_len = f.hdr_len;
	if (forward) {
		if (pmesh_forward_prepare(mesh, key, skb, &f, &hdr_len))
			goto drop;
	} else if (!pskb_may_pull(skb, hdr_len)) {
		goto drop;
	}

	pmesh_skb_cb_fill(skb, &f, f.hops);

	if (forward) {
		u64 lazy = 0;

		if (key)
			pmesh_deliver_opened(mesh, key, skb, &f, &a, hdr_len);
		else
			pmesh_sock_deliver(mesh, skb, hdr_len, false);
		if (pmesh_tree_on(mesh))
			lazy = pmesh_tree_first(mesh, from, skb, &f, f.hops + 1);
		pmesh_flood_lazy(mesh, skb, from, PMESH_FLOOD_FWD, lazy);
		return;
	}
	if (pmesh_tree_on(mesh) && !from->link)
		pmesh_tree_got(mesh, from, &f);
	if (f.ttl == 1 && pmesh_has_others(mesh))
		pmesh_count(mesh, PMESH_A_STATS_HOP_EXPIRED);
	/* Still sealed when no socket was bound at the look: none gets it. */
	if (!opened || !pmesh_sock_deliver(mesh, skb, hdr_len, true))
		consume_skb(skb);
	return;

duplicate:
	pmesh_count(mesh, PMESH_A_STATS_DUPLICATES);
	pmesh_neigh_count_dup(from);
	if (pmesh_tree_on(mesh))
		pmesh_tree_duplicate(mesh, from, &f);
	goto drop;
malformed:
	drop = PMESH_A_STATS_MALFORMED;
count:
	pmesh_receive_count(mesh, from, drop);
drop:
	kfree_skb(skb);
}
