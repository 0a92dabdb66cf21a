/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "pmesh" generic netlink family.
 */
#ifndef _PMESH_NETLINK_H
#define _PMESH_NETLINK_H

int pmesh_nl_init(void);
void pmesh_nl_exit(void);

#endif /* _PMESH_NETLINK_H */
