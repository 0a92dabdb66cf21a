/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The peer-exchange payload: what a node tells one neighbour of the members
 * it knows, so that meshes build themselves (Documentation/design/
 * self-building-mesh.md, "The peer-exchange frame"). Its layout on the
 * wire, every value a receiver checks, and the codec.
 *
 * Plain logic with no kernel-only calls: built into the module, the
 * simulator, the userspace tests and the fuzzers alike.
 */
#ifndef _PMESH_CORE_PX_H
#define _PMESH_CORE_PX_H

#include "compat.h"
#include "frame.h"

/* Operations. */
#define PMESH_PX_JOIN		1	/* a newcomer asks a member in */
#define PMESH_PX_WALK		2	/* a JOIN's random walk, one hop on */
#define PMESH_PX_SHUFFLE	3	/* a periodic exchange of samples */
#define PMESH_PX_SAMPLE		4	/* the answer to a JOIN or a SHUFFLE */
#define PMESH_PX_DISCONNECT	5	/* the sender sheds the recipient */

#define PMESH_PX_PRIORITY	0x01	/* header flag, JOIN only: no neighbour up */
#define PMESH_PX_NEIGH		0x01	/* entry flag: the sender's neighbour, up */

#define PMESH_PX_HDR_LEN	16
#define PMESH_PX_ENTRY_LEN	28
#define PMESH_PX_MAX_ENTRIES	8
#define PMESH_PX_MAX_LEN	(PMESH_PX_HDR_LEN + \
				 PMESH_PX_MAX_ENTRIES * PMESH_PX_ENTRY_LEN)
#define PMESH_PX_MAX_WALK	6

/**
 * struct pmesh_px_entry - one member the sender knows
 * @id: its node id, not 0
 * @addr: its IPv6 address, or IPv4 as ::ffff:a.b.c.d
 * @port: its UDP port, not 0
 * @age: shuffle periods since the sender heard of it
 * @flags: PMESH_PX_NEIGH
 */
struct pmesh_px_entry {
	u64 id;
	u8 addr[16];
	u16 port;
	u8 age;
	u8 flags;
};

/**
 * struct pmesh_px - a peer-exchange payload in host byte order
 * @op: PMESH_PX_*
 * @walk: steps left, WALK only
 * @n: entries in @e
 * @flags: PMESH_PX_PRIORITY
 * @degree: the sender's degree
 * @max_neigh: the sender's max-neigh
 * @to: the node it is for, 0 when not known yet (a JOIN)
 * @e: the entries
 */
struct pmesh_px {
	u8 op;
	u8 walk;
	u8 n;
	u8 flags;
	u8 degree;
	u8 max_neigh;
	u64 to;
	struct pmesh_px_entry e[PMESH_PX_MAX_ENTRIES];
};

bool pmesh_px_addr_is_v4(const u8 *addr);
void pmesh_px_addr_set_v4(u8 *addr, const void *v4);
bool pmesh_px_addr_ok(const u8 *addr);
enum pmesh_frame_error pmesh_px_parse(const u8 *p, size_t len,
				      struct pmesh_px *px);
size_t pmesh_px_build(u8 *p, const struct pmesh_px *px);

#endif /* _PMESH_CORE_PX_H */
