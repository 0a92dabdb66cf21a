// SPDX-License-Identifier: GPL-2.0
/*
 * The "pmesh" generic netlink family: what its handlers share. The
 * policies, the op table and the family itself are generated from the YNL
 * spec into pmesh_nl_gen.c; the handlers are in netlink_mesh.c,
 * netlink_neigh.c, netlink_link.c and netlink_node.c. Every change runs
 * under the namespace's lock (and RTNL where devices are involved), taken
 * with the mesh lookup by the pre-doit hooks here and dropped by the
 * post-doit hook.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <linux/rtnetlink.h>
#include <net/sock.h>

#include "mesh.h"
#include "netlink.h"
#include "pmesh_nl_gen.h"

/* Cleared at module unload, before the family goes: no more events. */
static bool pmesh_nl_ready;

/**
 * pmesh_nl_listening() - whether an event is worth building
 * @net: the namespace it happens in
 *
 * Return: true while the family is registered and someone in @net listens.
 */
bool pmesh_nl_listening(struct net *net)
{
	return READ_ONCE(pmesh_nl_ready) &&
	       genl_has_listeners(&pmesh_nl_family, net, PMESH_NLGRP_EVENTS);
}

/* The attribute that names the mesh of a request, by command. */
static int pmesh_nl_mesh_attr(u8 cmd)
{
	switch (cmd) {
	case PMESH_CMD_PEER_NEW:
	case PMESH_CMD_PEER_DEL:
		return PMESH_A_NEIGH_MESH_ID;
	case PMESH_CMD_LINK_NEW:
	case PMESH_CMD_LINK_DEL:
		return PMESH_A_LINK_MESH_ID;
	default:
		return PMESH_A_MESH_ID;
	}
}

/* Requests about devices take RTNL before the namespace's lock. */
static bool pmesh_nl_needs_rtnl(u8 cmd)
{
	return cmd == PMESH_CMD_LINK_NEW || cmd == PMESH_CMD_LINK_DEL;
}

/*
 * A request that carries a key has it wiped when it is done, whatever
 * became of it: taken, refused by the command, or its mesh not found.
 * (One the policy refused never reaches here; its key attribute, if it
 * had one of the right length, is freed with the request unwiped.)
 */
static void pmesh_nl_wipe_key(const struct genl_split_ops *ops,
			      struct genl_info *info)
{
	struct nlattr *attr;

	if (ops->cmd != PMESH_CMD_MESH_NEW && ops->cmd != PMESH_CMD_MESH_SET)
		return;
	attr = info->attrs[PMESH_A_MESH_KEY];
	if (attr)
		memzero_explicit(nla_data(attr), nla_len(attr));
}

/**
 * pmesh_nl_pre_doit_lock() - take the namespace's lock
 * @ops: the operation
 * @skb: the request
 * @info: the request's attributes
 *
 * Return: 0; pmesh_nl_post_doit() unlocks.
 */
int pmesh_nl_pre_doit_lock(const struct genl_split_ops *ops,
			   struct sk_buff *skb, struct genl_info *info)
{
	if (pmesh_nl_needs_rtnl(ops->cmd))
		rtnl_lock();
	pmesh_net_lock(genl_info_net(info));
	return 0;
}

/**
 * pmesh_nl_pre_doit() - lock, and find the mesh the request names
 * @ops: the operation
 * @skb: the request
 * @info: the request's attributes; info->user_ptr[0] becomes the mesh
 *
 * Return: 0, or a negative errno with the extack saying why; nothing is
 * held then.
 */
int pmesh_nl_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		      struct genl_info *info)
{
	int type = pmesh_nl_mesh_attr(ops->cmd);
	struct nlattr *attr = info->attrs[type];
	struct pmesh_mesh *mesh;

	if (GENL_REQ_ATTR_CHECK(info, type)) {
		pmesh_nl_wipe_key(ops, info);
		return -EINVAL;
	}
	pmesh_nl_pre_doit_lock(ops, skb, info);
	mesh = xa_load(&pmesh_net(genl_info_net(info))->meshes,
		       nla_get_u32(attr));
	if (!mesh) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, attr,
					"mesh %u does not exist",
					nla_get_u32(attr));
		pmesh_nl_post_doit(ops, skb, info);
		return -ENONET;
	}
	info->user_ptr[0] = mesh;
	return 0;
}

/**
 * pmesh_nl_post_doit() - unlock what a pre-doit hook locked
 * @ops: the operation
 * @skb: the request
 * @info: the request's attributes; a key among them is wiped
 */
void pmesh_nl_post_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
			struct genl_info *info)
{
	pmesh_nl_wipe_key(ops, info);
	pmesh_net_unlock(genl_info_net(info));
	if (pmesh_nl_needs_rtnl(ops->cmd))
		rtnl_unlock();
}

/**
 * pmesh_nl_dump_filter() - check that a dump's mesh filter names a mesh
 * @skb: the dump's reply
 * @cb: the dump
 * @filter: the mesh-id attribute of the request, or NULL for every mesh
 *
 * Return: 0, or -ENONET with the extack saying so: an empty answer would
 * read as a mesh with nothing in it.
 */
static int pmesh_nl_dump_filter(struct sk_buff *skb,
				struct netlink_callback *cb,
				const struct nlattr *filter)
{
	u32 id;

	if (!filter)
		return 0;
	id = nla_get_u32(filter);
	if (xa_load(&pmesh_net(sock_net(skb->sk))->meshes, id))
		return 0;
	NL_SET_ERR_MSG_ATTR_FMT(cb->extack, filter, "mesh %u does not exist", id);
	return -ENONET;
}

/**
 * struct pmesh_nl_mesh_ctx - where a per-mesh dump goes on
 * @mesh_id: the mesh being dumped
 * @cur: the last entry of it dumped
 */
struct pmesh_nl_mesh_ctx {
	unsigned long mesh_id;
	struct pmesh_nl_cursor cur;
};

/**
 * pmesh_nl_dump_meshes() - dump something of every mesh, or of one
 * @skb: the reply
 * @cb: the dump
 * @filter: the request's mesh id attribute, or NULL for every mesh
 * @dump: puts a mesh's entries after @cur into @skb, under RCU, moving
 *	@cur to each entry it puts; returns 0 when the mesh is done,
 *	-EMSGSIZE when @skb is full
 *
 * The walk every listing of neighbours, links and nodes shares: a full skb
 * ends a batch, and the next one goes on from the same mesh, after the
 * last entry put.
 *
 * Return: as a dumpit callback returns.
 */
int pmesh_nl_dump_meshes(struct sk_buff *skb, struct netlink_callback *cb,
			 const struct nlattr *filter,
			 int (*dump)(struct sk_buff *skb,
				     struct netlink_callback *cb,
				     struct pmesh_mesh *mesh,
				     struct pmesh_nl_cursor *cur))
{
	struct pmesh_nl_mesh_ctx *ctx = (void *)cb->ctx;
	struct pmesh_net *pn = pmesh_net(sock_net(skb->sk));
	struct pmesh_mesh *mesh;
	unsigned long id;
	int err;

	NL_ASSERT_DUMP_CTX_FITS(struct pmesh_nl_mesh_ctx);

	err = pmesh_nl_dump_filter(skb, cb, filter);
	if (err)
		return err;
	rcu_read_lock();
	xa_for_each_start(&pn->meshes, id, mesh, ctx->mesh_id) {
		if (filter && id != nla_get_u32(filter))
			continue;
		if (ctx->mesh_id != id)
			ctx->cur = (struct pmesh_nl_cursor){};
		ctx->mesh_id = id;
		err = dump(skb, cb, mesh, &ctx->cur);
		if (err)
			break;
		ctx->cur = (struct pmesh_nl_cursor){};
		ctx->mesh_id = id + 1;
	}
	rcu_read_unlock();

	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err;
}

MODULE_ALIAS_GENL_FAMILY(PMESH_FAMILY_NAME);

int __init pmesh_nl_init(void)
{
	int err;

	err = genl_register_family(&pmesh_nl_family);
	if (!err)
		WRITE_ONCE(pmesh_nl_ready, true);
	return err;
}

void pmesh_nl_exit(void)
{
	/* Events are built under RCU or with BH off: wait for those begun. */
	WRITE_ONCE(pmesh_nl_ready, false);
	synchronize_rcu();
	genl_unregister_family(&pmesh_nl_family);
}
