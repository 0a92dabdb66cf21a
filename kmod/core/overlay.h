/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The self-building overlay's decisions: which candidates a node keeps and
 * offers, when it connects to one, whom it admits and whom it sheds
 * (Documentation/design/self-building-mesh.md).
 *
 * Plain logic with no kernel call, clock or random source: time comes in
 * as milliseconds, randomness from a generator seeded by the caller. The
 * module (kmod/overlay.c) snapshots its neighbours, calls these under its
 * overlay lock and carries out the actions returned; the simulator
 * (tools/sim) runs the same code over thousands of nodes.
 */
#ifndef _PMESH_CORE_OVERLAY_H
#define _PMESH_CORE_OVERLAY_H

#include "compat.h"
#include "px.h"

/* min-neigh and max-neigh's defaults and ceiling are in the YNL spec. */
#define PMESH_OV_MAX_LEARNED		64	/* learned neighbours, up and trying */
#define PMESH_OV_PASSIVE_MAX		32	/* candidates */
#define PMESH_OV_PER_SOURCE		8	/* candidates from one neighbour */
#define PMESH_OV_MAX_TRYING		4
#define PMESH_OV_BACKOFFS		16
#define PMESH_OV_BACKOFF_MS		60000	/* after a shed, both ways */
#define PMESH_OV_WALK_PASSIVE		3	/* a walk leaves its joiner here */
#define PMESH_OV_JOIN_RATE		50	/* JOINs answered a second */
#define PMESH_OV_SHUFFLE_HELLOS		10	/* a shuffle period, in hellos */
#define PMESH_OV_MAX_AGE		64	/* shuffle periods */
#define PMESH_OV_TRY_HELLOS		3	/* an unanswered try fails */
#define PMESH_OV_JOIN_BACKOFF_MAX	64	/* hello intervals */
#define PMESH_OV_SHUFFLE_NEIGH		3	/* neighbours in a shuffle */
#define PMESH_OV_SHUFFLE_VIEW		5	/* candidates in a shuffle */

/* What a neighbour is to the overlay. */
enum pmesh_ov_kind {
	PMESH_OV_CONFIGURED = 1,	/* a UDP peer from "peer add": never shed */
	PMESH_OV_LEARNED,		/* a UDP neighbour the overlay made */
	PMESH_OV_LINK,			/* an Ethernet link with a station up */
};

/**
 * struct pmesh_ov_neigh - one neighbour, as the caller snapshots it
 * @id: its node id, 0 until its first hello
 * @addr: its address (UDP), IPv6 or IPv4-mapped
 * @port: its UDP port
 * @kind: enum pmesh_ov_kind
 * @up: a configured or learned neighbour heard within its dead interval; a
 *	learned one not up is being tried
 * @degree: the degree its last exchange frame gave, 0 if none
 * @up_ms: when it came up
 * @firsts: first copies it has delivered since it came up
 */
struct pmesh_ov_neigh {
	u64 id;
	u8 addr[16];
	u16 port;
	u8 kind;
	bool up;
	u8 degree;
	u32 up_ms;
	u32 firsts;
};

/**
 * struct pmesh_ov_cand - one candidate of the passive view
 * @id: its node id
 * @src: the neighbour that told of it (0: a walk's end or this node)
 * @sent: the neighbour last sent it in a sample: a swap target (0: none)
 * @addr: its address
 * @port: its port
 * @age: shuffle periods since it was heard of
 * @fails: tries of it that went unanswered
 */
struct pmesh_ov_cand {
	u64 id;
	u64 src;
	u64 sent;
	u8 addr[16];
	u16 port;
	u8 age;
	u8 fails;
};

/**
 * struct pmesh_ov_try - an address being tried
 * @id: the node id it was offered as
 * @addr: its address
 * @port: its port
 * @since: when the try began
 * @bridge: a candidate the membership table lost (pmesh_ov_bridge()):
 *	kept when the try fails, for a split may last a while
 */
struct pmesh_ov_try {
	u64 id;
	u8 addr[16];
	u16 port;
	u32 since;
	bool bridge;
};

/* A node shed or shedding this one: not admitted, not tried until @until. */
struct pmesh_ov_backoff {
	u64 id;
	u32 until;
};

/**
 * struct pmesh_ov - one node's overlay state, in one mesh
 * @self: this node's id
 * @rng: the random generator's state
 * @hello_ms: the hello interval: the overlay's round
 * @min_neigh: below this degree, connect to candidates
 * @max_neigh: above it, shed learned neighbours; admit no one at it
 * @n_view: candidates in @view
 * @n_try: entries in @trying
 * @join_backoff: hello intervals to the next JOIN
 * @join_next: which configured peer the next JOIN goes to
 * @joins: JOINs answered in the second from @join_window
 * @join_window: when that second began
 * @next_join: when the next JOIN may go
 * @next_shuffle: when the next shuffle goes
 * @next_age: when the view next ages
 * @next_trim: when a neighbour may next be trimmed
 * @last_quick: when the last shuffle out of turn went
 * @next_priority: when a PRIORITY JOIN may next make room
 * @next_bridge: when a candidate the membership table lost may next be
 *	tried
 * @view: the passive view
 * @trying: the tries under way
 * @backoff: nodes not to admit or try for a while
 */
struct pmesh_ov {
	u64 self;
	u64 rng;
	u32 hello_ms;
	u8 min_neigh;
	u8 max_neigh;
	u8 n_view;
	u8 n_try;
	u8 join_backoff;
	u8 join_next;
	u8 joins;
	u32 join_window;
	u32 next_join;
	u32 next_shuffle;
	u32 next_age;
	u32 next_trim;
	u32 last_quick;
	u32 next_priority;
	u32 next_bridge;
	struct pmesh_ov_cand view[PMESH_OV_PASSIVE_MAX];
	struct pmesh_ov_try trying[PMESH_OV_MAX_TRYING];
	struct pmesh_ov_backoff backoff[PMESH_OV_BACKOFFS];
};

/* What the caller must do. */
enum pmesh_ov_act {
	PMESH_OV_TRY = 1,	/* a learned neighbour, trying: hellos to it */
	PMESH_OV_GIVE_UP,	/* remove the trying neighbour at addr:port */
	PMESH_OV_SHED,		/* send px (a DISCONNECT) to id, then remove it */
	PMESH_OV_DROP,		/* remove learned neighbour id: it shed this node */
	PMESH_OV_SEND,		/* send px to addr:port */
};

/**
 * struct pmesh_ov_action - one thing for the caller to do
 * @act: enum pmesh_ov_act
 * @id: the node (TRY: as offered; SHED, DROP: the neighbour)
 * @addr: the address (TRY, GIVE_UP, SEND, SHED)
 * @port: the port
 * @px: the frame to send (SEND, SHED)
 */
struct pmesh_ov_action {
	u8 act;
	u64 id;
	u8 addr[16];
	u16 port;
	struct pmesh_px px;
};

/* At most this many actions from one call. */
#define PMESH_OV_MAX_ACTIONS	16

void pmesh_ov_init(struct pmesh_ov *ov, u64 self, u64 seed, u32 now);
void pmesh_ov_set(struct pmesh_ov *ov, u8 min_neigh, u8 max_neigh,
		  u32 hello_ms);
u32 pmesh_ov_rand(struct pmesh_ov *ov);
unsigned int pmesh_ov_degree(const struct pmesh_ov_neigh *nb, unsigned int n);
bool pmesh_ov_admit(struct pmesh_ov *ov, u32 now,
		    const struct pmesh_ov_neigh *nb, unsigned int n, u64 id,
		    const u8 *addr, u16 port);
unsigned int pmesh_ov_round(struct pmesh_ov *ov, u32 now,
			    const struct pmesh_ov_neigh *nb, unsigned int n,
			    struct pmesh_ov_action *out, unsigned int max);
unsigned int pmesh_ov_bridge(struct pmesh_ov *ov, u32 now,
			     const struct pmesh_ov_neigh *nb, unsigned int n,
			     bool (*lost)(void *ctx, u64 id), void *ctx,
			     struct pmesh_ov_action *out, unsigned int max);
unsigned int pmesh_ov_rx(struct pmesh_ov *ov, u32 now,
			 const struct pmesh_ov_neigh *nb, unsigned int n,
			 u64 from, const u8 *src, u16 sport,
			 const struct pmesh_px *px,
			 struct pmesh_ov_action *out, unsigned int max);
void pmesh_ov_forget(struct pmesh_ov *ov, u64 id);
void pmesh_view_merge(struct pmesh_ov *ov, u64 from,
		      const struct pmesh_px_entry *e, unsigned int n_e,
		      const struct pmesh_ov_neigh *nb, unsigned int n);
unsigned int pmesh_view_sample(struct pmesh_ov *ov, u64 to,
			       const struct pmesh_ov_neigh *nb, unsigned int n,
			       unsigned int n_neigh, unsigned int n_view,
			       struct pmesh_px_entry *out);

#endif /* _PMESH_CORE_OVERLAY_H */
