/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a node sends: its sequence numbers and epoch.
 */
#ifndef _PMESH_SEND_H
#define _PMESH_SEND_H

#include <linux/atomic.h>
#include <linux/types.h>

#include "core/frame.h"

/**
 * struct pmesh_tx - the sending side of a mesh
 * @epoch: this node's epoch in the mesh, newer each time the mesh is
 *	created
 * @seq: per frame type, the last sequence number this node sent in @epoch:
 *	datagrams, hellos and announcements each count in their own space
 * @salt: random, drawn with @epoch: with the origin and a sequence number,
 *	the nonce of every frame this node seals (core/auth.c)
 * @floor: the clock of sealed frames, in ns, from which the mesh takes
 *	them (pmesh_tx_young())
 */
struct pmesh_tx {
	u32 epoch;
	atomic64_t seq[PMESH_TYPES];
	u64 salt;
	atomic64_t floor;
};

struct pmesh_mesh;

u32 pmesh_clock(void);
void pmesh_tx_restart(struct pmesh_mesh *mesh);
void pmesh_tx_stopped(void);
bool pmesh_tx_young(struct pmesh_mesh *mesh, u32 window, u32 *floor);

#endif /* _PMESH_SEND_H */
