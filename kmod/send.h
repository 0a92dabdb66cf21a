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
 *	last read ahead: the clock of sealed frames is @real0 plus the
 *	boot-time clock (READ_ONCE; only ever moves forward)
 * @start: that clock when @epoch began, in 2^PMESH_CLOCK_SHIFT ns units
 */
struct pmesh_tx {
	u32 epoch;
	atomic64_t seq[PMESH_TYPES];
	u64 salt;
	u64 real0;
	u32 start;
};

struct pmesh_mesh;

u32 pmesh_tx_clock(struct pmesh_mesh *mesh);

#endif /* _PMESH_SEND_H */
