/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Liveness: when a hello round runs.
 */
#ifndef _PMESH_HELLO_H
#define _PMESH_HELLO_H

#include <linux/types.h>
#include <linux/workqueue.h>

struct pmesh_mesh;

/**
 * struct pmesh_hellos - the hello rounds of a mesh
 * @ms: milliseconds between rounds (READ_ONCE)
 * @dead_ms: milliseconds of silence after which a neighbour is down
 *	(READ_ONCE)
 * @work: the round
 */
struct pmesh_hellos {
	u32 ms;
	u32 dead_ms;
	struct delayed_work work;
};

void pmesh_hello_init(struct pmesh_mesh *mesh, u32 hello_ms, u32 dead_ms);
void pmesh_hello_start(struct pmesh_mesh *mesh);
void pmesh_hello_set(struct pmesh_mesh *mesh, u32 hello_ms, u32 dead_ms);
void pmesh_hello_kick(struct pmesh_mesh *mesh);
void pmesh_hello_stop(struct pmesh_mesh *mesh);

#endif /* _PMESH_HELLO_H */
