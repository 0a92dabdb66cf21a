/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every limit of pmesh in one place. Anything that a peer or an unprivileged
 * user can make the kernel allocate is capped here.
 */
#ifndef _PMESH_LIMITS_H
#define _PMESH_LIMITS_H

/*
 * Meshes per network namespace. Creating one needs CAP_NET_ADMIN, but in a
 * user namespace anyone has it, so the number is capped all the same.
 */
#define PMESH_MAX_MESHES_PER_NET	1024U

/* Buckets of the per-mesh table of bound sockets, by channel. */
#define PMESH_CHANNEL_HASH_BITS		6

#endif /* _PMESH_LIMITS_H */
