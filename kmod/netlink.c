// SPDX-License-Identifier: GPL-2.0
/*
 * Handlers of the "pmesh" generic netlink family. The policies, the op table
 * and the family itself are generated from the YNL spec into pmesh_nl_gen.c;
 * this file holds only what the handlers do.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "mesh.h"
#include "netlink.h"
#include "pmesh_nl_gen.h"

static int pmesh_nl_put_stats(struct sk_buff *skb, const struct pmesh_mesh *mesh)
{
	struct pmesh_stats st;
	struct nlattr *nest;

	pmesh_mesh_stats(mesh, &st);
	nest = nla_nest_start(skb, PMESH_A_MESH_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_uint(skb, PMESH_A_STATS_SENT, st.sent) ||
	    nla_put_uint(skb, PMESH_A_STATS_RECEIVED, st.received) ||
	    nla_put_uint(skb, PMESH_A_STATS_DELIVERED, st.delivered) ||
	    nla_put_uint(skb, PMESH_A_STATS_FORWARDED, st.forwarded) ||
	    nla_put_uint(skb, PMESH_A_STATS_DUPLICATES, st.duplicates) ||
	    nla_put_uint(skb, PMESH_A_STATS_HOP_EXPIRED, st.hop_expired) ||
	    nla_put_uint(skb, PMESH_A_STATS_MALFORMED, st.malformed) ||
	    nla_put_uint(skb, PMESH_A_STATS_SOCK_OVERFLOW, st.sock_overflow) ||
	    nla_put_uint(skb, PMESH_A_STATS_ORIGINS, st.origins)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
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
	    nla_put_u32(skb, PMESH_A_MESH_MAX_DGRAM, READ_ONCE(mesh->max_dgram)))
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

	if (!genl_has_listeners(&pmesh_nl_family, mesh->net, PMESH_NLGRP_EVENTS))
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

/* Find the mesh named by the request's id; caller holds the table lock. */
static struct pmesh_mesh *pmesh_nl_mesh_locked(struct genl_info *info)
{
	struct pmesh_net *pn = pmesh_net(genl_info_net(info));
	struct nlattr *attr = info->attrs[PMESH_A_MESH_ID];
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
	mesh = pmesh_nl_mesh_locked(info);
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
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, PMESH_A_MESH_ID))
		return -EINVAL;
	if (!tb[PMESH_A_MESH_HOPLIMIT] && !tb[PMESH_A_MESH_MAX_DGRAM]) {
		NL_SET_ERR_MSG(info->extack, "no setting to change");
		return -EINVAL;
	}

	mutex_lock(&pn->lock);
	mesh = pmesh_nl_mesh_locked(info);
	if (mesh) {
		if (tb[PMESH_A_MESH_HOPLIMIT])
			WRITE_ONCE(mesh->hoplimit,
				   nla_get_u8(tb[PMESH_A_MESH_HOPLIMIT]));
		if (tb[PMESH_A_MESH_MAX_DGRAM])
			WRITE_ONCE(mesh->max_dgram,
				   nla_get_u32(tb[PMESH_A_MESH_MAX_DGRAM]));
		pmesh_nl_notify(mesh, PMESH_CMD_MESH_CHANGE_NTF);
	} else {
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

MODULE_ALIAS_GENL_FAMILY(PMESH_FAMILY_NAME);

int __init pmesh_nl_init(void)
{
	return genl_register_family(&pmesh_nl_family);
}

void pmesh_nl_exit(void)
{
	genl_unregister_family(&pmesh_nl_family);
}
