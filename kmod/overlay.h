/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The self-building overlay of a mesh: learned UDP neighbours, peer
 * exchange and the target degree (Documentation/design/
 * self-building-mesh.md). kmod/core/overlay.c decides; this file feeds it
 * and carries out what it decides.
 */
#ifndef _PMESH_OVERLAY_H
#define _PMESH_OVERLAY_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "core/px.h"
#include "neigh.h"

struct pmesh_mesh;
struct pmesh_ov;
struct pmesh_ov_action;
struct pmesh_ov_neigh;

/*
 * Strangers whose hello opened, and exchange frames taken, waiting for the
 * overlay's work: a softirq only queues, and a full queue drops (counted).
 */
#define PMESH_OV_STRANGERS	4
#define PMESH_OV_RX_QUEUE	16

/**
 * struct pmesh_ov_stranger - a node whose hello opened, from an unknown address
 * @addr: its endpoint
 * @node_id: the node its hello proves
 */
struct pmesh_ov_stranger {
	union pmesh_addr addr;
	u64 node_id;
};

/**
 * struct pmesh_ov_rx - an exchange frame taken
 * @addr: the endpoint it came from
 * @from: its origin
 * @px: its payload, parsed
 */
struct pmesh_ov_rx {
	union pmesh_addr addr;
	u64 from;
	struct pmesh_px px;
};

/**
 * struct pmesh_overlay - the overlay of a mesh
 * @lock: the queues (@strangers, @n_strangers, @rx, @n_rx); softirq
 * @strangers: strangers to admit or not
 * @n_strangers: how many
 * @rx: exchange frames to act on, PMESH_OV_RX_QUEUE of them
 * @n_rx: how many
 * @core: the decisions' state; only the work touches it, under the
 *	namespace's &pmesh_net.lock
 * @snap: the work's snapshot of the neighbours
 * @acts: the work's actions
 * @work: takes the queues, runs the rounds
 * @next_round: jiffies of the next round
 * @min_neigh: the setting (READ_ONCE)
 * @max_neigh: the setting (READ_ONCE)
 * @open: the setting (READ_ONCE)
 */
struct pmesh_overlay {
	spinlock_t lock; /* the queues */
	struct pmesh_ov_stranger strangers[PMESH_OV_STRANGERS];
	unsigned int n_strangers;
	struct pmesh_ov_rx *rx;
	unsigned int n_rx;
	struct pmesh_ov *core;
	struct pmesh_ov_neigh *snap;
	struct pmesh_ov_action *acts;
	struct delayed_work work;
	unsigned long next_round;
	u8 min_neigh;
	u8 max_neigh;
	bool open;
};

int pmesh_overlay_init(struct pmesh_mesh *mesh, u8 min_neigh, u8 max_neigh,
		       bool open);
void pmesh_overlay_start(struct pmesh_mesh *mesh);
void pmesh_overlay_stop(struct pmesh_mesh *mesh);
void pmesh_overlay_destroy(struct pmesh_mesh *mesh);
void pmesh_overlay_set(struct pmesh_mesh *mesh, u8 min_neigh, u8 max_neigh,
		       bool open);
bool pmesh_overlay_learns(struct pmesh_mesh *mesh);
u8 pmesh_overlay_min_neigh(struct pmesh_mesh *mesh);
bool pmesh_overlay_stranger(struct pmesh_mesh *mesh,
			    const union pmesh_addr *addr, u64 node_id);
bool pmesh_overlay_rx(struct pmesh_mesh *mesh, const union pmesh_addr *addr,
		      u64 from, const struct pmesh_px *px);

#endif /* _PMESH_OVERLAY_H */
