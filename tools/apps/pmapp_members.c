// SPDX-License-Identifier: GPL-2.0
/*
 * pmapp_members: following the membership of a mesh over generic netlink.
 * See pmapp_members.h.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "pmapp_members.h"
#include "pmapp_proc.h"

/*
 * Generic netlink. Requests go on a socket of their own, one at a time;
 * events come on another, subscribed to the "events" group, so that an
 * event never lands in the middle of a reply.
 */

static struct nla_policy mesh_policy[PMESH_A_MESH_MAX + 1] = {
	[PMESH_A_MESH_ID] = { .type = NLA_U32 },
	[PMESH_A_MESH_NODE_ID] = { .type = NLA_U64 },
};

static struct nla_policy node_policy[PMESH_A_NODE_MAX + 1] = {
	[PMESH_A_NODE_MESH_ID] = { .type = NLA_U32 },
	[PMESH_A_NODE_NODE_ID] = { .type = NLA_U64 },
	[PMESH_A_NODE_HOPS] = { .type = NLA_U8 },
	[PMESH_A_NODE_STATE] = { .type = NLA_U8 },
	[PMESH_A_NODE_REASON] = { .type = NLA_U8 },
};

/* A connected generic netlink socket and the family's number, or -1. */
static struct nl_sock *nl_open(int *family)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (!sk) {
		pmapp_err("out of memory");
		return NULL;
	}
	if (genl_connect(sk)) {
		pmapp_err("cannot open a generic netlink socket");
		goto fail;
	}
	*family = genl_ctrl_resolve(sk, PMESH_FAMILY_NAME);
	if (*family < 0) {
		pmapp_err("the pmesh module is not loaded (no generic netlink family \"%s\")",
			  PMESH_FAMILY_NAME);
		goto fail;
	}
	return sk;
fail:
	nl_socket_free(sk);
	return NULL;
}

struct nl_req {
	int (*cb)(struct nlmsghdr *nlh, void *arg);
	void *arg;
	int error;
	bool done;
};

static int nl_req_valid(struct nl_msg *msg, void *arg)
{
	struct nl_req *req = arg;

	if (req->cb && !req->error)
		req->error = req->cb(nlmsg_hdr(msg), req->arg);
	return NL_OK;
}

static int nl_req_done(struct nl_msg *msg, void *arg)
{
	((struct nl_req *)arg)->done = true;
	return NL_STOP;
}

static int nl_req_err(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct nl_req *req = arg;

	if (!req->error)
		req->error = e->error;
	req->done = true;
	return NL_STOP;
}

/*
 * Send @cmd about @mesh (in attribute @attr), as a dump if @dump, and pass
 * every reply to @cb. Returns 0 or a negative errno (the kernel's, or @cb's).
 */
static int nl_call(struct nl_sock *sk, int family, uint8_t cmd, bool dump,
		   int attr, uint32_t mesh,
		   int (*cb)(struct nlmsghdr *nlh, void *arg), void *arg)
{
	struct nl_req req = { .cb = cb, .arg = arg };
	struct nl_msg *msg = nlmsg_alloc();
	struct nl_cb *ncb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret = -ENOMEM;

	if (!msg || !ncb)
		goto out;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			 dump ? NLM_F_DUMP : NLM_F_ACK, cmd, PMESH_FAMILY_VERSION) ||
	    nla_put_u32(msg, attr, mesh))
		goto out;
	nl_cb_set(ncb, NL_CB_VALID, NL_CB_CUSTOM, nl_req_valid, &req);
	nl_cb_set(ncb, NL_CB_FINISH, NL_CB_CUSTOM, nl_req_done, &req);
	nl_cb_set(ncb, NL_CB_ACK, NL_CB_CUSTOM, nl_req_done, &req);
	nl_cb_err(ncb, NL_CB_CUSTOM, nl_req_err, &req);
	ret = nl_send_auto(sk, msg);
	while (ret >= 0 && !req.done)
		ret = nl_recvmsgs(sk, ncb);
	if (ret < 0 && !req.error)
		req.error = -EIO;
	ret = req.error;
out:
	nlmsg_free(msg);
	nl_cb_put(ncb);
	return ret;
}

static int mesh_node_id(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[PMESH_A_MESH_MAX + 1];

	if (genlmsg_parse(nlh, 0, tb, PMESH_A_MESH_MAX, mesh_policy) ||
	    !tb[PMESH_A_MESH_NODE_ID])
		return -EBADMSG;
	*(uint64_t *)arg = nla_get_u64(tb[PMESH_A_MESH_NODE_ID]);
	return 0;
}

/* pmapp_node_id() on an open socket. */
static int node_id_on(struct nl_sock *sk, int family, uint32_t mesh,
		      uint64_t *node)
{
	int err;

	*node = 0;
	err = nl_call(sk, family, PMESH_CMD_MESH_GET, false, PMESH_A_MESH_ID,
		      mesh, mesh_node_id, node);
	if (err == -ENONET)
		return pmapp_err("mesh %u does not exist", mesh);
	if (err || !*node)
		return pmapp_err("cannot read mesh %u: %s", mesh,
				 strerror(err ? -err : EBADMSG));
	return 0;
}

int pmapp_node_id(uint32_t mesh, uint64_t *node)
{
	struct nl_sock *sk;
	int family, ret;

	sk = nl_open(&family);
	if (!sk)
		return -1;
	ret = node_id_on(sk, family, mesh, node);
	nl_socket_free(sk);
	return ret;
}

/* The membership follower. */

struct member {
	uint64_t node;
	int hops;
	bool self;
};

/* A set of members, sorted by node id. */
struct mset {
	struct member *v;
	size_t n, cap;
};

struct pmapp_members {
	uint32_t mesh;
	pmapp_member_cb cb;
	void *arg;
	struct nl_sock *req;	/* requests: mesh-get, node-get */
	struct nl_sock *ev;	/* the "events" group */
	int family;
	struct mset set;
	uint64_t self;
	bool gone;		/* the mesh was deleted */
	bool resync;		/* take the table again after this batch */
	bool failed;
};

/* Index of @node in @s, or of where it would go; @found says which. */
static size_t mset_find(const struct mset *s, uint64_t node, bool *found)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].node < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < s->n && s->v[lo].node == node;
	return lo;
}

static int mset_add(struct mset *s, const struct member *m)
{
	bool found;
	size_t i = mset_find(s, m->node, &found);

	if (found) {
		s->v[i] = *m;
		return 0;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct member *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(*s->v));
	s->v[i] = *m;
	s->n++;
	return 0;
}

static void mset_del(struct mset *s, size_t i)
{
	memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(*s->v));
	s->n--;
}

static void member_call(struct pmapp_members *f, enum pmapp_member_event ev,
			const struct member *m, int reason)
{
	struct pmapp_member pm = {
		.node = m ? m->node : 0,
		.hops = m ? m->hops : 0,
		.self = m ? m->self : false,
		.reason = reason,
	};

	if (f->cb)
		f->cb(f->arg, ev, &pm);
}

static int table_row(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[PMESH_A_NODE_MAX + 1];
	struct member m = {};
	void **a = arg;
	struct mset *s = a[0];
	uint32_t mesh = *(uint32_t *)a[1];

	if (genlmsg_parse(nlh, 0, tb, PMESH_A_NODE_MAX, node_policy) ||
	    !tb[PMESH_A_NODE_MESH_ID] || !tb[PMESH_A_NODE_NODE_ID] ||
	    !tb[PMESH_A_NODE_STATE])
		return -EBADMSG;
	if (nla_get_u32(tb[PMESH_A_NODE_MESH_ID]) != mesh)
		return 0;
	m.node = nla_get_u64(tb[PMESH_A_NODE_NODE_ID]);
	m.hops = tb[PMESH_A_NODE_HOPS] ? nla_get_u8(tb[PMESH_A_NODE_HOPS]) : 0;
	m.self = nla_get_u8(tb[PMESH_A_NODE_STATE]) == PMESH_NODE_STATE_SELF;
	return mset_add(s, &m);
}

/*
 * The membership table of the mesh now, into @s. An empty table (not even
 * this node) means the mesh does not exist.
 */
static int take_table(struct pmapp_members *f, struct mset *s)
{
	void *a[2] = { s, &f->mesh };
	int err;

	s->n = 0;
	err = nl_call(f->req, f->family, PMESH_CMD_NODE_GET, true,
		      PMESH_A_NODE_MESH_ID, f->mesh, table_row, a);
	if (!err && !s->n)
		err = -ENONET;
	return err;
}

/*
 * Make the set the table @t, calling back each difference: a leave for
 * every node gone, @ev for every node new.
 */
static void apply_table(struct pmapp_members *f, struct mset *t,
			enum pmapp_member_event ev)
{
	struct member m;
	bool found;
	size_t i;

	for (i = 0; i < f->set.n;) {
		mset_find(t, f->set.v[i].node, &found);
		if (found) {
			i++;
			continue;
		}
		m = f->set.v[i];
		mset_del(&f->set, i);
		member_call(f, PMAPP_MEMBER_LEAVE, &m, PMAPP_REASON_RESYNC);
	}
	f->self = 0;
	for (i = 0; i < t->n; i++) {
		m = t->v[i];
		if (m.self)
			f->self = m.node;
		mset_find(&f->set, m.node, &found);
		if (mset_add(&f->set, &m))
			f->failed = true;
		else if (!found)
			member_call(f, ev, &m, 0);
	}
}

static void resync(struct pmapp_members *f)
{
	struct mset t = {};
	int err;

	f->resync = false;
	err = take_table(f, &t);
	if (err == -ENONET) {
		/* Deleted meanwhile: its mesh-del event is on its way. */
	} else if (err) {
		pmapp_err("cannot read the nodes of mesh %u: %s", f->mesh,
			  strerror(-err));
		f->failed = true;
	} else {
		f->gone = false;
		apply_table(f, &t, PMAPP_MEMBER_JOIN);
	}
	free(t.v);
}

static void on_node_event(struct pmapp_members *f, uint8_t cmd,
			  struct nlmsghdr *nlh)
{
	struct nlattr *tb[PMESH_A_NODE_MAX + 1];
	struct member m = {};
	bool found;
	size_t i;

	if (genlmsg_parse(nlh, 0, tb, PMESH_A_NODE_MAX, node_policy) ||
	    !tb[PMESH_A_NODE_MESH_ID] || !tb[PMESH_A_NODE_NODE_ID] ||
	    nla_get_u32(tb[PMESH_A_NODE_MESH_ID]) != f->mesh || f->gone)
		return;
	m.node = nla_get_u64(tb[PMESH_A_NODE_NODE_ID]);
	m.hops = tb[PMESH_A_NODE_HOPS] ? nla_get_u8(tb[PMESH_A_NODE_HOPS]) : 0;
	m.self = m.node == f->self;
	i = mset_find(&f->set, m.node, &found);
	if (cmd == PMESH_CMD_NODE_JOIN_NTF) {
		if (mset_add(&f->set, &m))
			f->failed = true;
		else if (!found)
			member_call(f, PMAPP_MEMBER_JOIN, &m, 0);
	} else if (found) {
		m = f->set.v[i];
		mset_del(&f->set, i);
		member_call(f, PMAPP_MEMBER_LEAVE, &m,
			    tb[PMESH_A_NODE_REASON] ?
			    nla_get_u8(tb[PMESH_A_NODE_REASON]) : PMAPP_REASON_RESYNC);
	}
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct pmapp_members *f = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *tb[PMESH_A_MESH_MAX + 1];

	if (nlh->nlmsg_type != f->family)
		return NL_OK;
	switch (g->cmd) {
	case PMESH_CMD_NODE_JOIN_NTF:
	case PMESH_CMD_NODE_LEAVE_NTF:
		on_node_event(f, g->cmd, nlh);
		break;
	case PMESH_CMD_MESH_DEL_NTF:
	case PMESH_CMD_MESH_ADD_NTF:
		if (genlmsg_parse(nlh, 0, tb, PMESH_A_MESH_MAX, mesh_policy) ||
		    !tb[PMESH_A_MESH_ID] || nla_get_u32(tb[PMESH_A_MESH_ID]) != f->mesh)
			break;
		if (g->cmd == PMESH_CMD_MESH_ADD_NTF) {
			if (f->gone)
				f->resync = true;
			break;
		}
		if (f->gone)
			break;
		f->gone = true;
		f->self = 0;
		f->set.n = 0;
		member_call(f, PMAPP_MESH_GONE, NULL, 0);
		break;
	}
	return NL_OK;
}

struct pmapp_members *pmapp_members_follow(uint32_t mesh, pmapp_member_cb cb,
					   void *arg)
{
	struct pmapp_members *f = calloc(1, sizeof(*f));
	struct mset t = {};
	uint64_t self;
	int family, grp, err;

	if (!f) {
		pmapp_err("out of memory");
		return NULL;
	}
	f->mesh = mesh;
	f->cb = cb;
	f->arg = arg;
	f->req = nl_open(&f->family);
	if (!f->req)
		goto fail;
	/* Subscribe first: a change between the table and now is queued. */
	f->ev = nl_open(&family);
	if (!f->ev)
		goto fail;
	grp = genl_ctrl_resolve_grp(f->ev, PMESH_FAMILY_NAME, PMESH_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(f->ev, grp)) {
		pmapp_err("cannot subscribe to the \"%s\" events of pmesh",
			  PMESH_MCGRP_EVENTS);
		goto fail;
	}
	nl_socket_disable_seq_check(f->ev);	/* events are not replies */
	nl_socket_modify_cb(f->ev, NL_CB_VALID, NL_CB_CUSTOM, on_event, f);
	if (nl_socket_set_nonblocking(f->ev)) {
		pmapp_err("cannot make the event socket non-blocking");
		goto fail;
	}
	/* mesh-get first: it says "does not exist" plainly. */
	if (node_id_on(f->req, f->family, mesh, &self))
		goto fail;
	err = take_table(f, &t);
	if (err) {
		if (err == -ENONET)
			pmapp_err("mesh %u does not exist", mesh);
		else
			pmapp_err("cannot read the nodes of mesh %u: %s", mesh,
				  strerror(-err));
		goto fail;
	}
	apply_table(f, &t, PMAPP_MEMBER_PRESENT);
	free(t.v);
	if (f->failed) {
		pmapp_err("out of memory");
		goto fail;
	}
	return f;
fail:
	free(t.v);
	pmapp_members_close(f);
	return NULL;
}

int pmapp_members_fd(const struct pmapp_members *f)
{
	return nl_socket_get_fd(f->ev);
}

int pmapp_members_process(struct pmapp_members *f)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(f->ev), .events = POLLIN };
	int err;

	while (!f->failed && poll(&pfd, 1, 0) > 0) {
		err = nl_recvmsgs_default(f->ev);
		if (err == -NLE_NOMEM) {
			/* ENOBUFS: events were dropped; the table tells. */
			f->resync = true;
		} else if (err < 0 && err != -NLE_AGAIN && err != -NLE_INTR) {
			return pmapp_err("reading pmesh events: %s", nl_geterror(err));
		}
		if (f->resync && !f->failed)
			resync(f);
	}
	if (f->failed)
		return pmapp_err("following the nodes of mesh %u failed", f->mesh);
	return 0;
}

size_t pmapp_members_list(const struct pmapp_members *f, uint64_t *ids,
			  size_t max)
{
	for (size_t i = 0; i < f->set.n && i < max; i++)
		ids[i] = f->set.v[i].node;
	return f->set.n;
}

bool pmapp_members_has(const struct pmapp_members *f, uint64_t node)
{
	bool found;

	mset_find(&f->set, node, &found);
	return found;
}

uint64_t pmapp_members_self(const struct pmapp_members *f)
{
	return f->self;
}

const char *pmapp_reason_name(int reason)
{
	switch (reason) {
	case PMESH_LEAVE_REASON_GOODBYE:
		return "goodbye";
	case PMESH_LEAVE_REASON_TIMEOUT:
		return "timeout";
	case PMESH_LEAVE_REASON_RESTART:
		return "restart";
	case PMESH_LEAVE_REASON_UNREACHABLE:
		return "unreachable";
	case PMAPP_REASON_RESYNC:
		return "resync";
	}
	return "unknown";
}

void pmapp_members_close(struct pmapp_members *f)
{
	if (!f)
		return;
	if (f->ev)
		nl_socket_free(f->ev);
	if (f->req)
		nl_socket_free(f->req);
	free(f->set.v);
	free(f);
}
