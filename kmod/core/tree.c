// SPDX-License-Identifier: GPL-2.0
/*
 * Broadcast along a tree: Plumtree's rules (Leitão, Pereira, Rodrigues,
 * SRDS 2007) over a mask of lazy neighbour slots. A neighbour is eager
 * until its copy of something turns out a duplicate; a lazy one gets ids,
 * and turns eager again when this node grafts it or it grafts this node.
 *
 * The missing table is searched linearly: a draft for the simulator; the
 * module's will hash it.
 */
#include "bytes.h"
#include "tree.h"

/*
 * The tree frame, big-endian:
 *
 *   0      1        2              4
 *   +------+--------+--------------+
 *   |  op  |entries | reserved (0) |
 *   +------+--------+--------------+
 *   4: entries, 24 bytes each: origin (8), epoch (4), first seq (8),
 *      count (2), hops (1), reserved (1)
 *
 * A PRUNE names origins (seq, count and hops 0); the others name ranges
 * of datagrams, a GRAFT's or a REPAIR's at most PMESH_TR_MAX_RANGE long.
 */

/**
 * pmesh_tr_parse() - check a tree frame's payload and read it
 * @p: the payload
 * @len: its length
 * @t: filled when the payload is good; partly written otherwise
 *
 * Refused: an unknown op, no entry or more than PMESH_TR_MAX_ENTRIES, a
 * length not the entries', a reserved byte set, origin 0, a range of 0,
 * from sequence number 0 (which no origin sends) or past the last, a GRAFT's or REPAIR's
 * longer than PMESH_TR_MAX_RANGE, hops on anything but an IHAVE, a PRUNE
 * entry with a sequence number or count.
 *
 * Return: PMESH_FRAME_OK, or PMESH_FRAME_TREE.
 */
enum pmesh_frame_error pmesh_tr_parse(const u8 *p, size_t len,
				      struct pmesh_tr_frame *t)
{
	const u8 *e;
	unsigned int i;

	if (len < PMESH_TR_HDR_LEN)
		return PMESH_FRAME_TREE;
	t->op = p[0];
	t->n = p[1];
	if (t->op < PMESH_TR_IHAVE || t->op > PMESH_TR_REPAIR || p[2] || p[3])
		return PMESH_FRAME_TREE;
	if (!t->n || t->n > PMESH_TR_MAX_ENTRIES ||
	    len != PMESH_TR_HDR_LEN + (size_t)t->n * PMESH_TR_ENTRY_LEN)
		return PMESH_FRAME_TREE;
	for (i = 0, e = p + PMESH_TR_HDR_LEN; i < t->n;
	     i++, e += PMESH_TR_ENTRY_LEN) {
		struct pmesh_tr_range *r = &t->e[i];

		r->origin = get64(e);
		r->epoch = get32(e + 8);
		r->seq = get64(e + 12);
		r->count = get16(e + 20);
		r->hops = e[22];
		if (!r->origin || e[23])
			return PMESH_FRAME_TREE;
		if (t->op == PMESH_TR_PRUNE) {
			if (r->seq || r->count || r->hops)
				return PMESH_FRAME_TREE;
			continue;
		}
		if (!r->seq || !r->count || r->seq + r->count - 1 < r->seq)
			return PMESH_FRAME_TREE;
		if (t->op != PMESH_TR_IHAVE &&
		    (r->hops || r->count > PMESH_TR_MAX_RANGE))
			return PMESH_FRAME_TREE;
	}
	return PMESH_FRAME_OK;
}

/**
 * pmesh_tr_build() - write a tree frame's payload
 * @p: room for PMESH_TR_MAX_LEN bytes
 * @t: the frame, as pmesh_tr_parse() would take it
 *
 * Return: the payload's length.
 */
size_t pmesh_tr_build(u8 *p, const struct pmesh_tr_frame *t)
{
	unsigned int i;
	u8 *e;

	p[0] = t->op;
	p[1] = t->n;
	p[2] = 0;
	p[3] = 0;
	for (i = 0, e = p + PMESH_TR_HDR_LEN; i < t->n;
	     i++, e += PMESH_TR_ENTRY_LEN) {
		const struct pmesh_tr_range *r = &t->e[i];

		put64(e, r->origin);
		put32(e + 8, r->epoch);
		put64(e + 12, r->seq);
		put16(e + 20, r->count);
		e[22] = r->hops;
		e[23] = 0;
	}
	return PMESH_TR_HDR_LEN + (size_t)t->n * PMESH_TR_ENTRY_LEN;
}

static bool after(u32 a, u32 b)
{
	return (s32)(a - b) >= 0;
}

static u64 bit(int slot)
{
	return slot >= 0 && slot < PMESH_TR_SLOTS ? 1ULL << slot : 0;
}

/**
 * pmesh_tr_first() - a first copy arrived: where it goes on
 * @lazy: the tree (lazy slots); the sender turns eager
 * @up: the slots of neighbours up
 * @from: the sender's slot, or -1 (this node's own datagram, or a link)
 *
 * Return: the payload to the eager slots, the id to the lazy ones, the
 * sender in neither.
 */
struct pmesh_tr_fwd pmesh_tr_first(u64 *lazy, u64 up, int from)
{
	struct pmesh_tr_fwd f;

	*lazy &= ~bit(from);
	up &= ~bit(from);
	f.eager = up & ~*lazy;
	f.lazy = up & *lazy;
	return f;
}

/**
 * pmesh_tr_duplicate() - a copy already held arrived
 * @lazy: the tree
 * @from: the sender's slot
 *
 * Return: true if the sender was eager: it turns lazy, and gets a PRUNE.
 */
bool pmesh_tr_duplicate(u64 *lazy, int from)
{
	u64 b = bit(from);

	if (!b || *lazy & b)
		return false;
	*lazy |= b;
	return true;
}

/**
 * pmesh_tr_strike() - a copy already held arrived: two strikes and out
 * @lazy: the tree
 * @strike: the eager slots that sent one duplicate since their last first
 *	copy
 * @from: the sender's slot
 *
 * An eager sender is pruned at its second duplicate in a row, not its
 * first: a copy overtaken by jitter on one path then cuts no edge a
 * datagram still in flight needs (Documentation/design/broadcast-tree.md).
 *
 * Return: true if the sender turns lazy now, and gets a PRUNE.
 */
bool pmesh_tr_strike(u64 *lazy, u64 *strike, int from)
{
	u64 b = bit(from);

	if (!b || *lazy & b)
		return false;
	if (!(*strike & b)) {
		*strike |= b;
		return false;
	}
	*strike &= ~b;
	*lazy |= b;
	return true;
}

/**
 * pmesh_tr_clear_strike() - a first copy came: the sender's strike goes
 * @strike: the strikes
 * @from: the sender's slot
 */
void pmesh_tr_clear_strike(u64 *strike, int from)
{
	*strike &= ~bit(from);
}

/**
 * pmesh_tr_prune() - a neighbour pruned this node: ids only to it
 * @lazy: the tree
 * @from: its slot
 */
void pmesh_tr_prune(u64 *lazy, int from)
{
	*lazy |= bit(from);
}

/**
 * pmesh_tr_graft() - a neighbour grafted this node: payloads to it
 * @lazy: the tree
 * @from: its slot
 */
void pmesh_tr_graft(u64 *lazy, int from)
{
	*lazy &= ~bit(from);
}

/**
 * pmesh_tr_missing_init() - an empty missing table
 * @m: the table
 */
void pmesh_tr_missing_init(struct pmesh_tr_missing *m)
{
	unsigned int i;

	m->n = 0;
	for (i = 0; i < PMESH_TR_SLOTS; i++)
		m->share[i] = 0;
}

static bool same(const struct pmesh_tr_id *a, const struct pmesh_tr_id *b)
{
	return a->origin == b->origin && a->epoch == b->epoch &&
	       a->seq == b->seq;
}

static int find(const struct pmesh_tr_missing *m, const struct pmesh_tr_id *id)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (same(&m->e[i].id, id))
			return i;
	return -1;
}

static void drop(struct pmesh_tr_missing *m, unsigned int i)
{
	if (m->e[i].n_ann)
		m->share[m->e[i].ann[0]]--;
	m->e[i] = m->e[--m->n];
}

/**
 * pmesh_tr_ihave() - a neighbour announced an id this node lacks
 * @m: the missing table
 * @now: the time
 * @id: the datagram (the caller checked it is not held)
 * @slot: the announcer
 * @wait: how long to wait for the payload, PMESH_TR_TIMEOUT1_MS or more
 *
 * The first announcement starts the wait; later ones queue up as the next
 * to ask, PMESH_TR_ANNOUNCERS at most. A new id counts against its
 * announcer's share: one neighbour's IHAVEs fill a quarter of the table
 * at most, and cannot keep the others' ids out.
 *
 * Return: false if the table or the announcer's share is full (counted by
 * the caller).
 */
bool pmesh_tr_ihave(struct pmesh_tr_missing *m, u32 now,
		    const struct pmesh_tr_id *id, u8 slot, u32 wait)
{
	struct pmesh_tr_miss *e;
	int i = find(m, id);
	unsigned int j;

	if (i >= 0) {
		e = &m->e[i];
		for (j = 0; j < e->n_ann; j++)
			if (e->ann[j] == slot)
				return true;
		if (e->n_ann < PMESH_TR_ANNOUNCERS)
			e->ann[e->n_ann++] = slot;
		return true;
	}
	if (m->n >= PMESH_TR_MISSING || slot >= PMESH_TR_SLOTS ||
	    m->share[slot] >= PMESH_TR_MISSING_SHARE)
		return false;
	m->share[slot]++;
	e = &m->e[m->n++];
	e->id = *id;
	e->ann[0] = slot;
	e->n_ann = 1;
	e->next = 0;
	e->deadline = now + wait;
	return true;
}

/**
 * pmesh_tr_got() - the datagram arrived: no more waiting for it
 * @m: the missing table
 * @id: the datagram
 *
 * Return: the GRAFTs sent for it (it came as their answer, a repair), 0
 * if none or it was not missing.
 */
unsigned int pmesh_tr_got(struct pmesh_tr_missing *m,
			  const struct pmesh_tr_id *id)
{
	unsigned int asked;
	int i = find(m, id);

	if (i < 0)
		return 0;
	asked = m->e[i].next;
	drop(m, i);
	return asked;
}

/**
 * pmesh_tr_neigh_down() - a neighbour is gone: its announcements with it
 * @m: the missing table
 * @slot: its slot
 */
void pmesh_tr_neigh_down(struct pmesh_tr_missing *m, u8 slot)
{
	unsigned int i, j, k;

	for (i = 0; i < m->n;) {
		struct pmesh_tr_miss *e = &m->e[i];
		u8 first = e->ann[0];

		for (j = 0, k = 0; j < e->n_ann; j++) {
			if (e->ann[j] == slot) {
				if (j < e->next)
					e->next--;
				continue;
			}
			e->ann[k++] = e->ann[j];
		}
		e->n_ann = k;
		if (!k) {
			/* drop() takes it from the share of ann[0]. */
			e->n_ann = 1;
			e->ann[0] = first;
			drop(m, i);
			continue;
		}
		if (first == slot) {
			/* The next announcer holds it now. */
			m->share[slot]--;
			m->share[e->ann[0]]++;
		}
		i++;
	}
}

/**
 * pmesh_tr_expire() - the GRAFTs due
 * @m: the missing table
 * @now: the time
 * @out: the GRAFTs to send
 * @max: room in @out
 *
 * An id whose wait ran out is asked of its next announcer, and waits
 * PMESH_TR_TIMEOUT2_MS more for it; when every announcer was asked, it is
 * given up (the caller may still repair the gap).
 *
 * Return: the GRAFTs written.
 */
unsigned int pmesh_tr_expire(struct pmesh_tr_missing *m, u32 now,
			     struct pmesh_tr_graft *out, unsigned int max)
{
	unsigned int i, k = 0;

	for (i = 0; i < m->n && k < max;) {
		struct pmesh_tr_miss *e = &m->e[i];

		if (!after(now, e->deadline)) {
			i++;
			continue;
		}
		if (e->next >= e->n_ann) {
			drop(m, i);
			continue;
		}
		out[k].id = e->id;
		out[k].slot = e->ann[e->next++];
		k++;
		e->deadline = now + PMESH_TR_TIMEOUT2_MS;
		i++;
	}
	return k;
}
