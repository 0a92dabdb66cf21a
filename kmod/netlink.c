// SPDX-License-Identifier: GPL-2.0
/*
 * Handlers of the "pmesh" generic netlink family. The policies, the op table
 * and the family itself are generated from the YNL spec into pmesh_nl_gen.c;
 * this file holds the mesh handlers and what the others share, and
 * netlink_neigh.c, netlink_link.c and netlink_node.c the rest.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "hello.h"
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

static int pmesh_nl_put_stats(struct sk_buff *skb, const struct pmesh_mesh *mesh)
{
	u64 st[PMESH_A_STATS_MAX + 1];
	struct nlattr *nest;
	int i;

	pmesh_mesh_stats(mesh, st);
	nest = nla_nest_start(skb, PMESH_A_MESH_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 1; i <= PMESH_A_STATS_MAX; i++) {
		if (nla_put_uint(skb, i, st[i])) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int pmesh_nl_fill_mesh(struct sk_buff *skb, const struct pmesh_mesh *mesh,
			      u32 portid, u32 seq, int flags, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &pmesh_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;

	if (nla_put_u32(skb, PMESH_A_MESH_ID, mesh->id) ||
	    nla_put_u64_64bit(skb, PMESH_A_MESH_NODE_ID, mesh->node_id,
			      PMESH_A_MESH_PAD) ||
	    nla_put_u16(skb, PMESH_A_MESH_PORT, mesh->port) ||
	    nla_put_u8(skb, PMESH_A_MESH_HOPLIMIT, READ_ONCE(mesh->hoplimit)) ||
	    nla_put_u32(skb, PMESH_A_MESH_MAX_DGRAM, READ_ONCE(mesh->max_dgram)) ||
	    nla_put_u32(skb, PMESH_A_MESH_MAX_ORIGINS,
			READ_ONCE(mesh->origins.max)) ||
	    nla_put_u32(skb, PMESH_A_MESH_ORIGIN_TIMEOUT,
			READ_ONCE(mesh->origins.timeout)) ||
	    nla_put_u32(skb, PMESH_A_MESH_HELLO_INTERVAL,
			READ_ONCE(mesh->hello_ms)) ||
	    nla_put_u32(skb, PMESH_A_MESH_DEAD_INTERVAL,
			READ_ONCE(mesh->dead_ms)) ||
	    nla_put_u32(skb, PMESH_A_MESH_ANNOUNCE_INTERVAL,
			READ_ONCE(mesh->nodes.announce_ms)) ||
	    nla_put_u32(skb, PMESH_A_MESH_MAX_NODES, READ_ONCE(mesh->nodes.max)))
		goto cancel;
	if (cmd != PMESH_CMD_MESH_DEL_NTF && pmesh_nl_put_stats(skb, mesh))
		goto cancel;

	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* Report a mesh change on the "events" group of the mesh's namespace. */
static void pmesh_nl_notify(const struct pmesh_mesh *mesh, u8 cmd)
{
	struct sk_buff *skb;

	if (!pmesh_nl_listening(mesh->net))
		return;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (pmesh_nl_fill_mesh(skb, mesh, 0, 0, 0, cmd)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&pmesh_nl_family, mesh->net, skb, 0,
				PMESH_NLGRP_EVENTS, GFP_KERNEL);
}

/* A neighbour is down after the dead interval, which must outlast a hello. */
static int pmesh_nl_check_intervals(struct genl_info *info, u32 hello_ms,
				    u32 dead_ms)
{
	struct nlattr *attr = info->attrs[PMESH_A_MESH_DEAD_INTERVAL] ?:
			      info->attrs[PMESH_A_MESH_HELLO_INTERVAL];

	if (dead_ms > hello_ms)
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, attr,
			    "dead-interval must be longer than hello-interval");
	return -EINVAL;
}

/**
 * pmesh_nl_mesh_locked() - the mesh a request names
 * @info: the request
 * @type: the attribute that holds the mesh id, present
 *
 * Context: with the namespace's &pmesh_net.lock held.
 * Return: the mesh, or NULL with the extack saying so.
 */
struct pmesh_mesh *pmesh_nl_mesh_locked(struct genl_info *info, int type)
{
	struct pmesh_net *pn = pmesh_net(genl_info_net(info));
	struct nlattr *attr = info->attrs[type];
	struct pmesh_mesh *mesh;

	lockdep_assert_held(&pn->lock);

	mesh = xa_load(&pn->meshes, nla_get_u32(attr));
	if (!mesh)
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, attr, "mesh %u does not exist",
					nla_get_u32(attr));
	return mesh;
}

int pmesh_nl_mesh_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct pmesh_net *pn = pmesh_net(net);
	struct pmesh_mesh_config cfg = {
		.port = PMESH_DEFAULT_PORT,
		.hoplimit = PMESH_DEFAULT_HOPLIMIT,
		.max_dgram = PMESH_DEFAULT_MAX_DGRAM,
		.max_origins = PMESH_DEFAULT_MAX_ORIGINS,
		.origin_timeout = PMESH_DEFAULT_ORIGIN_TIMEOUT,
		.hello_ms = PMESH_DEFAULT_HELLO_INTERVAL,
		.dead_ms = PMESH_DEFAULT_DEAD_INTERVAL,
		.announce_ms = PMESH_DEFAULT_ANNOUNCE_INTERVAL,
		.max_nodes = PMESH_DEFAULT_MAX_NODES,
	};
	struct nlattr **tb = info->attrs;
	struct pmesh_mesh *mesh;

	if (GENL_REQ_ATTR_CHECK(info, PMESH_A_MESH_ID))
		return -EINVAL;

	cfg.id = nla_get_u32(tb[PMESH_A_MESH_ID]);
	if (tb[PMESH_A_MESH_NODE_ID])
		cfg.node_id = nla_get_u64(tb[PMESH_A_MESH_NODE_ID]);
	if (tb[PMESH_A_MESH_PORT])
		cfg.port = nla_get_u16(tb[PMESH_A_MESH_PORT]);
	if (tb[PMESH_A_MESH_HOPLIMIT])
		cfg.hoplimit = nla_get_u8(tb[PMESH_A_MESH_HOPLIMIT]);
	if (tb[PMESH_A_MESH_MAX_DGRAM])
		cfg.max_dgram = nla_get_u32(tb[PMESH_A_MESH_MAX_DGRAM]);
	if (tb[PMESH_A_MESH_MAX_ORIGINS])
		cfg.max_origins = nla_get_u32(tb[PMESH_A_MESH_MAX_ORIGINS]);
	if (tb[PMESH_A_MESH_ORIGIN_TIMEOUT])
		cfg.origin_timeout = nla_get_u32(tb[PMESH_A_MESH_ORIGIN_TIMEOUT]);
	if (tb[PMESH_A_MESH_HELLO_INTERVAL])
		cfg.hello_ms = nla_get_u32(tb[PMESH_A_MESH_HELLO_INTERVAL]);
	if (tb[PMESH_A_MESH_DEAD_INTERVAL])
		cfg.dead_ms = nla_get_u32(tb[PMESH_A_MESH_DEAD_INTERVAL]);
	if (tb[PMESH_A_MESH_ANNOUNCE_INTERVAL])
		cfg.announce_ms = nla_get_u32(tb[PMESH_A_MESH_ANNOUNCE_INTERVAL]);
	if (tb[PMESH_A_MESH_MAX_NODES])
		cfg.max_nodes = nla_get_u32(tb[PMESH_A_MESH_MAX_NODES]);
	if (pmesh_nl_check_intervals(info, cfg.hello_ms, cfg.dead_ms))
		return -EINVAL;

	mutex_lock(&pn->lock);
	mesh = pmesh_mesh_create(net, &cfg, info->extack);
	if (!IS_ERR(mesh))
		pmesh_nl_notify(mesh, PMESH_CMD_MESH_ADD_NTF);
	mutex_unlock(&pn->lock);

	return PTR_ERR_OR_ZERO(mesh);
}

int pmesh_nl_mesh_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pmesh_net *pn = pmesh_net(genl_info_net(info));
	struct pmesh_mesh *mesh;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, PMESH_A_MESH_ID))
		return -EINVAL;

	mutex_lock(&pn->lock);
	mesh = pmesh_nl_mesh_locked(info, PMESH_A_MESH_ID);
	if (mesh) {
		pmesh_nl_notify(mesh, PMESH_CMD_MESH_DEL_NTF);
		pmesh_mesh_delete(mesh);
	} else {
		err = -ENONET;
	}
	mutex_unlock(&pn->lock);
	return err;
}

int pmesh_nl_mesh_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pmesh_net *pn = pmesh_net(genl_info_net(info));
	struct nlattr **tb = info->attrs;
	struct pmesh_mesh *mesh;
	u32 hello_ms, dead_ms;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, PMESH_A_MESH_ID))
		return -EINVAL;
	if (!tb[PMESH_A_MESH_HOPLIMIT] && !tb[PMESH_A_MESH_MAX_DGRAM] &&
	    !tb[PMESH_A_MESH_MAX_ORIGINS] && !tb[PMESH_A_MESH_ORIGIN_TIMEOUT] &&
	    !tb[PMESH_A_MESH_HELLO_INTERVAL] && !tb[PMESH_A_MESH_DEAD_INTERVAL] &&
	    !tb[PMESH_A_MESH_ANNOUNCE_INTERVAL] && !tb[PMESH_A_MESH_MAX_NODES]) {
		NL_SET_ERR_MSG(info->extack, "no setting to change");
		return -EINVAL;
	}

	mutex_lock(&pn->lock);
	mesh = pmesh_nl_mesh_locked(info, PMESH_A_MESH_ID);
	if (mesh) {
		hello_ms = tb[PMESH_A_MESH_HELLO_INTERVAL] ?
			   nla_get_u32(tb[PMESH_A_MESH_HELLO_INTERVAL]) :
			   mesh->hello_ms;
		dead_ms = tb[PMESH_A_MESH_DEAD_INTERVAL] ?
			  nla_get_u32(tb[PMESH_A_MESH_DEAD_INTERVAL]) :
			  mesh->dead_ms;
		err = pmesh_nl_check_intervals(info, hello_ms, dead_ms);
	}
	if (mesh && !err) {
		WRITE_ONCE(mesh->dead_ms, dead_ms);
		if (hello_ms != mesh->hello_ms) {
			WRITE_ONCE(mesh->hello_ms, hello_ms);
			pmesh_hello_reschedule(mesh);
		}
		if (tb[PMESH_A_MESH_HOPLIMIT])
			WRITE_ONCE(mesh->hoplimit,
				   nla_get_u8(tb[PMESH_A_MESH_HOPLIMIT]));
		if (tb[PMESH_A_MESH_MAX_DGRAM])
			WRITE_ONCE(mesh->max_dgram,
				   nla_get_u32(tb[PMESH_A_MESH_MAX_DGRAM]));
		if (tb[PMESH_A_MESH_MAX_ORIGINS] ||
		    tb[PMESH_A_MESH_ORIGIN_TIMEOUT])
			pmesh_origins_set(&mesh->origins,
					  tb[PMESH_A_MESH_MAX_ORIGINS] ?
					  nla_get_u32(tb[PMESH_A_MESH_MAX_ORIGINS]) :
					  mesh->origins.max,
					  tb[PMESH_A_MESH_ORIGIN_TIMEOUT] ?
					  nla_get_u32(tb[PMESH_A_MESH_ORIGIN_TIMEOUT]) :
					  mesh->origins.timeout);
		if (tb[PMESH_A_MESH_ANNOUNCE_INTERVAL] ||
		    tb[PMESH_A_MESH_MAX_NODES])
			pmesh_nodes_set(mesh,
					tb[PMESH_A_MESH_MAX_NODES] ?
					nla_get_u32(tb[PMESH_A_MESH_MAX_NODES]) :
					mesh->nodes.max,
					tb[PMESH_A_MESH_ANNOUNCE_INTERVAL] ?
					nla_get_u32(tb[PMESH_A_MESH_ANNOUNCE_INTERVAL]) :
					mesh->nodes.announce_ms);
		pmesh_nl_notify(mesh, PMESH_CMD_MESH_CHANGE_NTF);
	} else if (!mesh) {
		err = -ENONET;
	}
	mutex_unlock(&pn->lock);
	return err;
}

int pmesh_nl_mesh_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pmesh_mesh *mesh;
	struct sk_buff *msg;
	u32 id;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PMESH_A_MESH_ID))
		return -EINVAL;
	id = nla_get_u32(info->attrs[PMESH_A_MESH_ID]);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	mesh = pmesh_mesh_lookup_rcu(genl_info_net(info), id);
	if (mesh)
		err = pmesh_nl_fill_mesh(msg, mesh, info->snd_portid,
					 info->snd_seq, 0, PMESH_CMD_MESH_GET);
	rcu_read_unlock();

	if (!mesh) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, info->attrs[PMESH_A_MESH_ID],
					"mesh %u does not exist", id);
		nlmsg_free(msg);
		return -ENONET;
	}
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/**
 * struct pmesh_nl_dump_ctx - where a mesh dump goes on
 * @next_id: the id to start the next batch at
 */
struct pmesh_nl_dump_ctx {
	unsigned long next_id;
};

int pmesh_nl_mesh_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct pmesh_nl_dump_ctx *ctx = (void *)cb->ctx;
	struct pmesh_net *pn = pmesh_net(sock_net(skb->sk));
	struct pmesh_mesh *mesh;
	unsigned long id;
	int err = 0;

	NL_ASSERT_DUMP_CTX_FITS(struct pmesh_nl_dump_ctx);

	rcu_read_lock();
	xa_for_each_start(&pn->meshes, id, mesh, ctx->next_id) {
		err = pmesh_nl_fill_mesh(skb, mesh, NETLINK_CB(cb->skb).portid,
					 cb->nlh->nlmsg_seq, NLM_F_MULTI,
					 PMESH_CMD_MESH_GET);
		if (err)
			break;
		ctx->next_id = id + 1;
	}
	rcu_read_unlock();

	/* A full skb ends this batch; the dump goes on from next_id. */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err;
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
 * @index: the position in what the mesh lists
 */
struct pmesh_nl_mesh_ctx {
	unsigned long mesh_id;
	unsigned int index;
};

/**
 * pmesh_nl_dump_meshes() - dump something of every mesh, or of one
 * @skb: the reply
 * @cb: the dump
 * @filter: the request's mesh id attribute, or NULL for every mesh
 * @dump: puts a mesh's entries from *@index on into @skb, under RCU,
 *	moving *@index past each entry it puts; returns 0 when the mesh is
 *	done, -EMSGSIZE when @skb is full
 *
 * The walk every listing of neighbours, links and nodes shares: a full skb
 * ends a batch, and the next one goes on from the same mesh and entry.
 *
 * Return: as a dumpit callback returns.
 */
int pmesh_nl_dump_meshes(struct sk_buff *skb, struct netlink_callback *cb,
			 const struct nlattr *filter,
			 int (*dump)(struct sk_buff *skb,
				     struct netlink_callback *cb,
				     struct pmesh_mesh *mesh,
				     unsigned int *index))
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
		ctx->mesh_id = id;
		err = dump(skb, cb, mesh, &ctx->index);
		if (err)
			break;
		ctx->index = 0;
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
