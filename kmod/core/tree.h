/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Broadcast along a tree (Documentation/design/broadcast-tree.md): which
 * neighbours get a datagram's payload and which its id, when a link turns
 * lazy or eager, and which missing ids to ask for when. Plain logic, as
 * core/overlay.c: no clock but the caller's milliseconds, no allocation.
 *
 * A node's UDP neighbours have slots 0..63 (the caller's numbering); a
 * tree is a mask of the lazy ones, one per origin (the caller keeps it in
 * its origins table) or one shared.
 */
#ifndef _PMESH_CORE_TREE_H
#define _PMESH_CORE_TREE_H

#include "compat.h"
#include "frame.h"

/* The tree frame (type 4): a 4-byte header, then ranges of ids. */
#define PMESH_TR_IHAVE		1	/* the sender holds these */
#define PMESH_TR_GRAFT		2	/* send these, and push to me */
#define PMESH_TR_PRUNE		3	/* ids only to me, for these origins */
#define PMESH_TR_REPAIR		4	/* send these from your cache */

#define PMESH_TR_HDR_LEN	4
#define PMESH_TR_ENTRY_LEN	24
#define PMESH_TR_MAX_ENTRIES	56	/* 1348 bytes: one frame on a 1500 MTU */
#define PMESH_TR_MAX_LEN	(PMESH_TR_HDR_LEN + \
				 PMESH_TR_MAX_ENTRIES * PMESH_TR_ENTRY_LEN)
#define PMESH_TR_MAX_RANGE	64	/* datagrams in one GRAFT or REPAIR entry */

/**
 * struct pmesh_tr_range - consecutive datagrams of one origin
 * @origin: its node id, not 0
 * @epoch: its epoch
 * @seq: the first sequence number
 * @count: how many, 1 or more
 * @hops: the hops the sender's copies came with (IHAVE), else 0
 */
struct pmesh_tr_range {
	u64 origin;
	u32 epoch;
	u64 seq;
	u16 count;
	u8 hops;
};

/**
 * struct pmesh_tr_frame - a tree frame's payload, read
 * @op: PMESH_TR_*
 * @n: entries in @e
 * @e: the entries
 */
struct pmesh_tr_frame {
	u8 op;
	u8 n;
	struct pmesh_tr_range e[PMESH_TR_MAX_ENTRIES];
};

enum pmesh_frame_error pmesh_tr_parse(const u8 *p, size_t len,
				      struct pmesh_tr_frame *t);
size_t pmesh_tr_build(u8 *p, const struct pmesh_tr_frame *t);

#define PMESH_TR_SLOTS		64
#define PMESH_TR_ANNOUNCERS	4	/* kept per missing id */
#ifndef PMESH_TR_MISSING
#define PMESH_TR_MISSING	256	/* missing ids tracked, searched linearly */
#endif
/* The missing ids one announcer's IHAVEs may add: no neighbour fills it. */
#define PMESH_TR_MISSING_SHARE	(PMESH_TR_MISSING / 4)
#ifndef PMESH_TR_TIMEOUT1_MS
#define PMESH_TR_TIMEOUT1_MS	100	/* an id announced, before a GRAFT */
#define PMESH_TR_TIMEOUT2_MS	50	/* before the next announcer's */
#endif

/**
 * struct pmesh_tr_id - a datagram's identity
 * @origin: its origin's node id
 * @epoch: the origin's epoch
 * @seq: its sequence number
 */
struct pmesh_tr_id {
	u64 origin;
	u32 epoch;
	u64 seq;
};

/**
 * struct pmesh_tr_fwd - where a first copy goes
 * @eager: slots that get the payload
 * @lazy: slots that get the id
 */
struct pmesh_tr_fwd {
	u64 eager;
	u64 lazy;
};

/**
 * struct pmesh_tr_miss - an id announced and not held
 * @id: the datagram
 * @ann: the slots that announced it, in order
 * @n_ann: how many
 * @next: the next announcer to GRAFT
 * @deadline: when that GRAFT is due
 *
 * The entry counts against the share of its first announcer, @ann[0].
 */
struct pmesh_tr_miss {
	struct pmesh_tr_id id;
	u8 ann[PMESH_TR_ANNOUNCERS];
	u8 n_ann;
	u8 next;
	u32 deadline;
};

/**
 * struct pmesh_tr_missing - the ids a node was told of and lacks
 * @n: entries in @e
 * @share: per slot, the entries it announced first, at most
 *	PMESH_TR_MISSING_SHARE
 * @e: the entries, unordered
 */
struct pmesh_tr_missing {
	unsigned int n;
	u16 share[PMESH_TR_SLOTS];
	struct pmesh_tr_miss e[PMESH_TR_MISSING];
};

/**
 * struct pmesh_tr_graft - a GRAFT to send
 * @id: the datagram asked for
 * @slot: the neighbour asked
 */
struct pmesh_tr_graft {
	struct pmesh_tr_id id;
	u8 slot;
};

struct pmesh_tr_fwd pmesh_tr_first(u64 *lazy, u64 up, int from);
bool pmesh_tr_duplicate(u64 *lazy, int from);
bool pmesh_tr_strike(u64 *lazy, u64 *strike, int from);
void pmesh_tr_clear_strike(u64 *strike, int from);
void pmesh_tr_prune(u64 *lazy, int from);
void pmesh_tr_graft(u64 *lazy, int from);

void pmesh_tr_missing_init(struct pmesh_tr_missing *m);
bool pmesh_tr_ihave(struct pmesh_tr_missing *m, u32 now,
		    const struct pmesh_tr_id *id, u8 slot, u32 wait);
unsigned int pmesh_tr_got(struct pmesh_tr_missing *m,
			  const struct pmesh_tr_id *id);
void pmesh_tr_neigh_down(struct pmesh_tr_missing *m, u8 slot);
unsigned int pmesh_tr_expire(struct pmesh_tr_missing *m, u32 now,
			     struct pmesh_tr_graft *out, unsigned int max);

#endif /* _PMESH_CORE_TREE_H */
