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
 */
struct pmesh_tx {
	u32 epoch;
	atomic64_t seq[PMESH_TYPES];
};

#endif /* _PMESH_SEND_H */
