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
 * @real0: the wall clock, in ns, when the boot-time clock was zero, as
 *	last seen ahead: the clock of sealed frames is @real0 plus the
 *	boot-time clock; it only ever moves forward
 * @boot0: the boot-time clock, in ns, when @epoch began: with @real0, the
 *	floor of the frames this node takes (pmesh_tx_floor())
 */
struct pmesh_tx {
	u32 epoch;
	atomic64_t seq[PMESH_TYPES];
	u64 salt;
	atomic64_t real0;
	u64 boot0;
};

struct pmesh_mesh;

u32 pmesh_tx_clock(struct pmesh_mesh *mesh);
u32 pmesh_tx_floor(struct pmesh_mesh *mesh);

#endif /* _PMESH_SEND_H */
