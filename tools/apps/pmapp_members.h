/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pmapp_members: the nodes of a mesh, followed as they join and leave, for
 * the programs that fail over or show who is there. The kernel keeps the
 * table and reports changes on pmesh's "events" netlink group; the follower
 * reads both through libpmesh (tools/lib/pmnl.h).
 */
#ifndef PMAPP_MEMBERS_H
#define PMAPP_MEMBERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/pmesh_netlink.h>

/*
 * Following the membership of a mesh.
 *
 * pmapp_members_follow() subscribes to the "events" group first and then
 * dumps the membership table (node-get), so no change is lost in between;
 * it calls back PMAPP_MEMBER_PRESENT for every node in the table, this
 * node included, before it returns. From then on, pmapp_members_process()
 * (call it when pmapp_members_fd() polls readable) calls back JOIN and
 * LEAVE as the kernel reports node-join-ntf and node-leave-ntf for the
 * mesh. The follower keeps the member set itself: an event that changes
 * nothing (a join of a node present, a leave of one absent, as happens for
 * events queued before the dump) is not passed on, so the callbacks always
 * describe the set that pmapp_members_list() returns.
 *
 * If the event socket overflows (a burst of events while the program was
 * busy), the follower takes the table again and calls back the difference
 * (reason PMAPP_REASON_RESYNC for the leaves). When the mesh is deleted it
 * calls back PMAPP_MESH_GONE once (node 0) and empties the set; if a mesh
 * of the same id is created again, the follower takes its table and calls
 * back its nodes as JOIN.
 */
enum pmapp_member_event {
	PMAPP_MEMBER_PRESENT,	/* in the table when following began */
	PMAPP_MEMBER_JOIN,	/* joined since */
	PMAPP_MEMBER_LEAVE,	/* left; see @reason */
	PMAPP_MESH_GONE,	/* the mesh was deleted */
};

/* A leave noticed by taking the table again, not from an event. */
#define PMAPP_REASON_RESYNC	(-1)

/**
 * struct pmapp_member - a node of the mesh, as a callback sees it
 * @node: its id
 * @hops: links its latest announcement crossed (0 for this node; in a
 *	LEAVE, as last known)
 * @self: it is this node
 * @reason: for a LEAVE, enum pmesh_leave_reason (goodbye, timeout, restart,
 *	unreachable) or PMAPP_REASON_RESYNC
 */
struct pmapp_member {
	uint64_t node;
	int hops;
	bool self;
	int reason;
};

typedef void (*pmapp_member_cb)(void *arg, enum pmapp_member_event ev,
				const struct pmapp_member *m);

struct pmapp_members;

/*
 * @cb may be NULL, for a follower that only keeps the set.
 * Return: the follower, or NULL after a message ("mesh N does not exist",
 * "the pmesh module is not loaded").
 */
struct pmapp_members *pmapp_members_follow(uint32_t mesh, pmapp_member_cb cb,
					   void *arg);

/* The descriptor to poll for POLLIN. */
int pmapp_members_fd(const struct pmapp_members *f);

/*
 * Take the pending events and call back the changes. Never blocks.
 * Return: 0, or -1 after a message if the netlink socket failed.
 */
int pmapp_members_process(struct pmapp_members *f);

/*
 * The members, this node included, in ascending order of node id: at most
 * @max ids into @ids. Returns how many members there are (which may be
 * more than @max).
 */
size_t pmapp_members_list(const struct pmapp_members *f, uint64_t *ids,
			  size_t max);

/* Whether @node is a member now. */
bool pmapp_members_has(const struct pmapp_members *f, uint64_t node);

/* This node's id, as the table says (0 while the mesh is gone). */
uint64_t pmapp_members_self(const struct pmapp_members *f);

/* The name of a leave reason: "goodbye", "timeout", ..., "resync". */
const char *pmapp_reason_name(int reason);

void pmapp_members_close(struct pmapp_members *f);

#endif /* PMAPP_MEMBERS_H */
