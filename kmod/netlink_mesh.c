// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink handlers of meshes: mesh-new, mesh-del, mesh-set, mesh-get and
 * the mesh-add, mesh-del and mesh-change events. The lock and the mesh a
 * request names come from the pre-doit hook in netlink.c.
 */
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "mesh.h"
#include "netlink.h"
#include "pmesh_nl_gen.h"

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

static int pmesh_nl_fill_mesh(struct sk_buff *skb, struct pmesh_mesh *mesh,
			      u32 portid, u32 seq, int flags, u8 cmd)
{
	struct pmesh_key_fps fps;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &pmesh_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;

	pmesh_key_fps(mesh, &fps);
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
			READ_ONCE(mesh->hello.ms)) ||
	    nla_put_u32(skb, PMESH_A_MESH_DEAD_INTERVAL,
			READ_ONCE(mesh->hello.dead_ms)) ||
	    nla_put_u32(skb, PMESH_A_MESH_ANNOUNCE_INTERVAL,
			READ_ONCE(mesh->nodes.announce_ms)) ||
	    nla_put_u32(skb, PMESH_A_MESH_MAX_NODES, READ_ONCE(mesh->nodes.max)) ||
	    nla_put_u32(skb, PMESH_A_MESH_KEY_SWITCH,
			READ_ONCE(mesh->keys.switch_secs)) ||
	    nla_put_u8(skb, PMESH_A_MESH_MIN_NEIGH,
		       READ_ONCE(mesh->overlay.min_neigh)) ||
	    nla_put_u8(skb, PMESH_A_MESH_MAX_NEIGH,
		       READ_ONCE(mesh->overlay.max_neigh)) ||
	    nla_put_u8(skb, PMESH_A_MESH_OPEN, READ_ONCE(mesh->overlay.open)) ||
	    nla_put_u8(skb, PMESH_A_MESH_BROADCAST,
		       READ_ONCE(mesh->broadcast)) ||
	    (fps.cur && nla_put_u64_64bit(skb, PMESH_A_MESH_KEY_FP, fps.cur,
					  PMESH_A_MESH_PAD)) ||
	    (fps.next && nla_put_u64_64bit(skb, PMESH_A_MESH_KEY_NEXT_FP,
					   fps.next, PMESH_A_MESH_PAD)) ||
	    (fps.prev && nla_put_u64_64bit(skb, PMESH_A_MESH_KEY_PREV_FP,
					   fps.prev, PMESH_A_MESH_PAD)))
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
static void pmesh_nl_notify(struct pmesh_mesh *mesh, u8 cmd)
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

/*
 * A keyed mesh takes a frame until its origin could be forgotten, less the
 * clock skew: its origins must be remembered longer than the skew.
 */
static int pmesh_nl_check_keyed(struct genl_info *info, bool keyed,
				u32 origin_timeout)
{
	struct nlattr *attr = info->attrs[PMESH_A_MESH_ORIGIN_TIMEOUT];

	BUILD_BUG_ON(2 * PMESH_CLOCK_SKEW != 10);
	if (!keyed || origin_timeout >= 2 * PMESH_CLOCK_SKEW)
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack,
			    attr ?: info->attrs[PMESH_A_MESH_KEY],
			    "a keyed mesh needs an origin-timeout of 10 s or more");
	return -EINVAL;
}

/* The key of a request; pmesh_nl_post_doit() wipes it from the request. */
static const u8 *pmesh_nl_key(struct genl_info *info)
{
	return info->attrs[PMESH_A_MESH_KEY] ?
	       nla_data(info->attrs[PMESH_A_MESH_KEY]) : NULL;
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

/* A node connects under min-neigh and admits up to max-neigh: min < max. */
static int pmesh_nl_check_neigh(struct genl_info *info, u8 min_neigh,
				u8 max_neigh)
{
	struct nlattr *attr = info->attrs[PMESH_A_MESH_MIN_NEIGH] ?:
			      info->attrs[PMESH_A_MESH_MAX_NEIGH];

	if (min_neigh < max_neigh)
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, attr,
			    "min-neigh must be less than max-neigh");
	return -EINVAL;
}

/* The new value of a u8 setting, or its value now. */
static u8 pmesh_nl_u8_or(struct genl_info *info, int type, u8 now)
{
	return info->attrs[type] ? nla_get_u8(info->attrs[type]) : now;
}

int pmesh_nl_mesh_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct pmesh_mesh_config cfg = {
		.port = PMESH_DEFAULT_PORT,
		.hoplimit = PMESH_DEFAULT_HOPLIMIT,
		.max_dgram = PMESH_DEFAULT_MAX_DGRAM,
		.max_origins = PMESH_DEFAULT_MAX_ORIGINS,
		.origin_timeout = PMESH_DEFAULT_ORIGIN_TIMEOUT,
		.key_switch = PMESH_DEFAULT_KEY_SWITCH,
		.hello_ms = PMESH_DEFAULT_HELLO_INTERVAL,
		.dead_ms = PMESH_DEFAULT_DEAD_INTERVAL,
		.announce_ms = PMESH_DEFAULT_ANNOUNCE_INTERVAL,
		.max_nodes = PMESH_DEFAULT_MAX_NODES,
		.min_neigh = PMESH_DEFAULT_MIN_NEIGH,
		.max_neigh = PMESH_DEFAULT_MAX_NEIGH,
		.broadcast = PMESH_BROADCAST_FLOOD,
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
	if (tb[PMESH_A_MESH_KEY_SWITCH])
		cfg.key_switch = nla_get_u32(tb[PMESH_A_MESH_KEY_SWITCH]);
	cfg.min_neigh = pmesh_nl_u8_or(info, PMESH_A_MESH_MIN_NEIGH,
				       cfg.min_neigh);
	cfg.max_neigh = pmesh_nl_u8_or(info, PMESH_A_MESH_MAX_NEIGH,
				       cfg.max_neigh);
	cfg.open = pmesh_nl_u8_or(info, PMESH_A_MESH_OPEN, 0);
	cfg.broadcast = pmesh_nl_u8_or(info, PMESH_A_MESH_BROADCAST,
				       cfg.broadcast);
	if (pmesh_nl_check_intervals(info, cfg.hello_ms, cfg.dead_ms) ||
	    pmesh_nl_check_neigh(info, cfg.min_neigh, cfg.max_neigh) ||
	    pmesh_nl_check_keyed(info, tb[PMESH_A_MESH_KEY],
				 cfg.origin_timeout))
		return -EINVAL;
	cfg.key = pmesh_nl_key(info);

	mesh = pmesh_mesh_create(net, &cfg, info->extack);
	if (IS_ERR(mesh))
		return PTR_ERR(mesh);
	pmesh_nl_notify(mesh, PMESH_CMD_MESH_ADD_NTF);
	return 0;
}

int pmesh_nl_mesh_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pmesh_mesh *mesh = info->user_ptr[0];

	pmesh_nl_notify(mesh, PMESH_CMD_MESH_DEL_NTF);
	pmesh_mesh_delete(mesh);
	return 0;
}

/* The new value of a u32 setting, or its value now. */
static u32 pmesh_nl_u32_or(struct genl_info *info, int type, u32 now)
{
	return info->attrs[type] ? nla_get_u32(info->attrs[type]) : now;
}

int pmesh_nl_mesh_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pmesh_mesh *mesh = info->user_ptr[0];
	struct nlattr **tb = info->attrs;
	u8 min_neigh, max_neigh;
	u32 hello_ms, dead_ms;
	bool keyed;
	int err;

	if (!tb[PMESH_A_MESH_HOPLIMIT] && !tb[PMESH_A_MESH_MAX_DGRAM] &&
	    !tb[PMESH_A_MESH_MAX_ORIGINS] && !tb[PMESH_A_MESH_ORIGIN_TIMEOUT] &&
	    !tb[PMESH_A_MESH_HELLO_INTERVAL] && !tb[PMESH_A_MESH_DEAD_INTERVAL] &&
	    !tb[PMESH_A_MESH_ANNOUNCE_INTERVAL] && !tb[PMESH_A_MESH_MAX_NODES] &&
	    !tb[PMESH_A_MESH_KEY] && !tb[PMESH_A_MESH_KEY_CLEAR] &&
	    !tb[PMESH_A_MESH_KEY_SWITCH] && !tb[PMESH_A_MESH_MIN_NEIGH] &&
	    !tb[PMESH_A_MESH_MAX_NEIGH] && !tb[PMESH_A_MESH_OPEN] &&
	    !tb[PMESH_A_MESH_BROADCAST]) {
		NL_SET_ERR_MSG(info->extack, "no setting to change");
		return -EINVAL;
	}
	if (tb[PMESH_A_MESH_KEY] && tb[PMESH_A_MESH_KEY_CLEAR]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[PMESH_A_MESH_KEY_CLEAR],
				    "key and key-clear together");
		return -EINVAL;
	}

	hello_ms = pmesh_nl_u32_or(info, PMESH_A_MESH_HELLO_INTERVAL,
				   mesh->hello.ms);
	dead_ms = pmesh_nl_u32_or(info, PMESH_A_MESH_DEAD_INTERVAL,
				  mesh->hello.dead_ms);
	err = pmesh_nl_check_intervals(info, hello_ms, dead_ms);
	if (err)
		return err;
	min_neigh = pmesh_nl_u8_or(info, PMESH_A_MESH_MIN_NEIGH,
				   mesh->overlay.min_neigh);
	max_neigh = pmesh_nl_u8_or(info, PMESH_A_MESH_MAX_NEIGH,
				   mesh->overlay.max_neigh);
	err = pmesh_nl_check_neigh(info, min_neigh, max_neigh);
	if (err)
		return err;
	err = pmesh_nl_check_keyed(info, tb[PMESH_A_MESH_KEY] ||
				   (!tb[PMESH_A_MESH_KEY_CLEAR] &&
				    pmesh_keyed(mesh)),
				   pmesh_nl_u32_or(info,
						   PMESH_A_MESH_ORIGIN_TIMEOUT,
						   mesh->origins.timeout));
	if (err)
		return err;
	keyed = pmesh_keyed(mesh);
	/*
	 * Keyed from key-less: the origins are forgotten below, so the
	 * frames taken under a key before must be refused from now on.
	 */
	if (!keyed && tb[PMESH_A_MESH_KEY])
		pmesh_tx_restart(mesh);
	/* The only change that can fail goes first: all or nothing. */
	if (tb[PMESH_A_MESH_KEY]) {
		err = pmesh_key_set(mesh, pmesh_nl_key(info),
				    pmesh_nl_u32_or(info, PMESH_A_MESH_KEY_SWITCH,
						    mesh->keys.switch_secs));
		if (err == -EINVAL)
			NL_SET_ERR_MSG_ATTR(info->extack, tb[PMESH_A_MESH_KEY],
					    "this key cannot be used: generate another");
		if (err == -EBUSY)
			NL_SET_ERR_MSG_ATTR(info->extack, tb[PMESH_A_MESH_KEY],
					    "a change of key is under way: the mesh still opens its old key");
		if (err)
			return err;
	} else if (tb[PMESH_A_MESH_KEY_CLEAR]) {
		pmesh_key_clear(mesh);
	}
	/*
	 * Keyed or key-less now: forget what the other rule let in, once
	 * the frames it is taking are through.
	 */
	if (keyed != pmesh_keyed(mesh)) {
		synchronize_net();
		pmesh_origins_flush(&mesh->origins);
	}
	if (keyed && !pmesh_keyed(mesh))
		pmesh_tx_stopped();
	if (tb[PMESH_A_MESH_KEY_SWITCH] && !tb[PMESH_A_MESH_KEY])
		pmesh_keys_set_switch(mesh,
				      nla_get_u32(tb[PMESH_A_MESH_KEY_SWITCH]));

	pmesh_hello_set(mesh, hello_ms, dead_ms);
	pmesh_mesh_set(mesh,
		       tb[PMESH_A_MESH_HOPLIMIT] ?
		       nla_get_u8(tb[PMESH_A_MESH_HOPLIMIT]) : mesh->hoplimit,
		       pmesh_nl_u32_or(info, PMESH_A_MESH_MAX_DGRAM,
				       mesh->max_dgram),
		       pmesh_nl_u8_or(info, PMESH_A_MESH_BROADCAST,
				      mesh->broadcast));
	if (tb[PMESH_A_MESH_MAX_ORIGINS] || tb[PMESH_A_MESH_ORIGIN_TIMEOUT])
		pmesh_origins_set(&mesh->origins,
				  pmesh_nl_u32_or(info, PMESH_A_MESH_MAX_ORIGINS,
						  mesh->origins.max),
				  pmesh_nl_u32_or(info, PMESH_A_MESH_ORIGIN_TIMEOUT,
						  mesh->origins.timeout));
	if (tb[PMESH_A_MESH_ANNOUNCE_INTERVAL] || tb[PMESH_A_MESH_MAX_NODES])
		pmesh_nodes_set(mesh,
				pmesh_nl_u32_or(info, PMESH_A_MESH_MAX_NODES,
						mesh->nodes.max),
				pmesh_nl_u32_or(info, PMESH_A_MESH_ANNOUNCE_INTERVAL,
						mesh->nodes.announce_ms));
	if (tb[PMESH_A_MESH_MIN_NEIGH] || tb[PMESH_A_MESH_MAX_NEIGH] ||
	    tb[PMESH_A_MESH_OPEN])
		pmesh_overlay_set(mesh, min_neigh, max_neigh,
				  pmesh_nl_u8_or(info, PMESH_A_MESH_OPEN,
						 mesh->overlay.open));
	pmesh_nl_notify(mesh, PMESH_CMD_MESH_CHANGE_NTF);
	return 0;
}

int pmesh_nl_mesh_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pmesh_mesh *mesh = info->user_ptr[0];
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = pmesh_nl_fill_mesh(msg, mesh, info->snd_portid, info->snd_seq, 0,
				 PMESH_CMD_MESH_GET);
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

