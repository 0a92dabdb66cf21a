/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "pmesh" generic netlink family. The rest of the module calls it only
 * to report events.
 */
#ifndef _PMESH_NETLINK_H
#define _PMESH_NETLINK_H

#include <linux/types.h>

struct genl_info;
struct net;
struct netlink_callback;
struct nlattr;
struct sk_buff;
struct pmesh_link;
struct pmesh_mesh;
struct pmesh_neigh;
struct pmesh_node_event;

void pmesh_nl_notify_neigh(struct pmesh_mesh *mesh, struct pmesh_neigh *n,
			   bool up);
void pmesh_nl_notify_link(struct pmesh_link *link, u8 cmd);
void pmesh_nl_notify_node(struct pmesh_mesh *mesh,
			  const struct pmesh_node_event *ev, gfp_t gfp);
bool pmesh_nl_listening(struct net *net);
/**
 * struct pmesh_nl_cursor - where a dump of a mesh's entries goes on
 * @group: the group of the last entry dumped (a link, a hash bucket)
 * @id: the key of the last entry dumped, within @group
 *
 * A dump walks a mesh's entries in increasing (@group, @id) order and
 * goes on after the last one it put, whatever was added or removed in
 * between: no entry is skipped or repeated for that. Keys start at 1, so
 * that the zeroed cursor is before every entry.
 */
struct pmesh_nl_cursor {
	u64 group;
	u64 id;
};

/* Whether the entry (@group, @id) was dumped already. */
static inline bool pmesh_nl_cursor_done(const struct pmesh_nl_cursor *c,
					u64 group, u64 id)
{
	return group < c->group || (group == c->group && id <= c->id);
}

/* The entry (@group, @id) is dumped. */
static inline void pmesh_nl_cursor_set(struct pmesh_nl_cursor *c, u64 group,
				       u64 id)
{
	c->group = group;
	c->id = id;
}

int pmesh_nl_dump_meshes(struct sk_buff *skb, struct netlink_callback *cb,
			 const struct nlattr *filter,
			 int (*dump)(struct sk_buff *skb,
				     struct netlink_callback *cb,
				     struct pmesh_mesh *mesh,
				     struct pmesh_nl_cursor *cur));
int pmesh_nl_init(void);
void pmesh_nl_exit(void);

#endif /* _PMESH_NETLINK_H */
