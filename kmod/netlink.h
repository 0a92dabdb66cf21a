/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "pmesh" generic netlink family.
 */
#ifndef _PMESH_NETLINK_H
#define _PMESH_NETLINK_H

#include <linux/types.h>

struct pmesh_mesh;
struct pmesh_peer;

void pmesh_nl_notify_neigh(struct pmesh_mesh *mesh, struct pmesh_peer *peer,
			   bool up);
int pmesh_nl_init(void);
void pmesh_nl_exit(void);

#endif /* _PMESH_NETLINK_H */
