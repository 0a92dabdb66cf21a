/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Liveness: hellos to every neighbour, and neighbours up or down.
 */
#ifndef _PMESH_HELLO_H
#define _PMESH_HELLO_H

struct pmesh_mesh;

void pmesh_hello_start(struct pmesh_mesh *mesh);
void pmesh_hello_reschedule(struct pmesh_mesh *mesh);
void pmesh_hello_kick(struct pmesh_mesh *mesh);
void pmesh_hello_stop(struct pmesh_mesh *mesh);

#endif /* _PMESH_HELLO_H */
