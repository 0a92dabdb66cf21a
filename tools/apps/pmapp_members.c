// SPDX-License-Identifier: GPL-2.0
/*
 * pmapp_members: following the membership of a mesh: its table taken with
 * a node-get dump, kept current from the "events" group, both through
 * libpmesh's netlink client (tools/lib/pmnl.h). See pmapp_members.h.
 *
 * Requests go on a socket of their own, one at a time; events come on
 * another, so that an event never lands in the middle of a reply.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pmapp_members.h"
#include "pmapp_proc.h"
#include "pmnl.h"

/*
 * The message for a request about @mesh that failed with @err: "mesh N
 * does not exist", or "cannot read WHAT N: " and what the kernel said, its
 * extack naming the attribute (@names: the request's attribute names).
 * Returns -1.
 */
static int request_failed(uint32_t mesh, const char *what,
			  const struct pmnl_err *err,
			  const char *const *names, int n_names)
{
	char buf[512];

	if (err->error == -ENONET)
		return pmapp_err("mesh %u does not exist", mesh);
	return pmapp_err("cannot read %s %u: %s", what, mesh,
			 pmnl_err_format(err, names, n_names, buf, sizeof(buf)));
}

static int mesh_node_id(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[PMESH_A_MESH_MAX + 1];

	if (pmnl_parse(nlh, tb, PMESH_A_MESH_MAX) || !tb[PMESH_A_MESH_NODE_ID])
		return -EBADMSG;
	*(uint64_t *)arg = pmnl_get_uint(tb[PMESH_A_MESH_NODE_ID]);
	return 0;
}

/* This node's id in @mesh (mesh-get), on an open request socket. */
static int node_id_on(struct pmnl *nl, uint32_t mesh, uint64_t *node)
{
	struct pmnl_err err;
	int ret;

	*node = 0;
	ret = pmnl_request(nl, PMESH_CMD_MESH_GET, 0, PMESH_A_MESH_ID, mesh,
			   mesh_node_id, node, &err);
	if (!ret && !*node)
		ret = -EBADMSG;
	err.error = ret;	/* the kernel's, or mesh_node_id()'s */
	if (ret)
		return request_failed(mesh, "mesh", &err, pmnl_mesh_attr_names,
				      PMESH_A_MESH_MAX + 1);
	return 0;
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
	struct pmnl req;	/* requests: mesh-get, node-get */
	struct pmnl ev;		/* the "events" group */
	struct mset set;
	uint64_t self;
	bool gone;		/* the mesh was deleted */
	bool resync;		/* take the table again before the next event */
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

/*
 * A node message, a row of the table or an event, into @tb and @m (but
 * @m->self). Return: 0; 1 if it is about another mesh; or -EBADMSG.
 */
static int node_msg(struct nlmsghdr *nlh, uint32_t mesh, struct nlattr **tb,
		    struct member *m)
{
	if (pmnl_parse(nlh, tb, PMESH_A_NODE_MAX) ||
	    !tb[PMESH_A_NODE_MESH_ID] || !tb[PMESH_A_NODE_NODE_ID])
		return -EBADMSG;
	if (pmnl_get_uint(tb[PMESH_A_NODE_MESH_ID]) != mesh)
		return 1;
	m->node = pmnl_get_uint(tb[PMESH_A_NODE_NODE_ID]);
	m->hops = tb[PMESH_A_NODE_HOPS] ? pmnl_get_uint(tb[PMESH_A_NODE_HOPS]) : 0;
	return 0;
}

struct table {
	struct mset *s;
	uint32_t mesh;
};

static int table_row(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[PMESH_A_NODE_MAX + 1];
	struct table *t = arg;
	struct member m = {};
	int ret = node_msg(nlh, t->mesh, tb, &m);

	if (ret)
		return ret < 0 ? ret : 0;
	if (!tb[PMESH_A_NODE_STATE])
		return -EBADMSG;
	m.self = pmnl_get_uint(tb[PMESH_A_NODE_STATE]) == PMESH_NODE_STATE_SELF;
	return mset_add(t->s, &m);
}

/*
 * The membership table of the mesh now, into @s, and in @err what went
 * wrong. An empty table (not even this node) means the mesh does not exist.
 * Return: 0 or a negative errno.
 */
static int take_table(struct pmapp_members *f, struct mset *s,
		      struct pmnl_err *err)
{
	struct table t = { s, f->mesh };
	int ret;

	s->n = 0;
	ret = pmnl_request(&f->req, PMESH_CMD_NODE_GET, NLM_F_DUMP,
			   PMESH_A_NODE_MESH_ID, f->mesh, table_row, &t, err);
	if (!ret && !s->n)
		ret = -ENONET;
	err->error = ret;	/* the kernel's, or table_row()'s */
	return ret;
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
	struct pmnl_err err;
	struct mset t = {};

	f->resync = false;
	if (!take_table(f, &t, &err)) {
		f->gone = false;
		apply_table(f, &t, PMAPP_MEMBER_JOIN);
	} else if (err.error != -ENONET) {
		/* (ENONET: deleted meanwhile; its mesh-del event is on its way.) */
		request_failed(f->mesh, "the nodes of mesh", &err,
			       pmnl_node_attr_names, PMESH_A_NODE_MAX + 1);
		f->failed = true;
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

	if (f->gone || node_msg(nlh, f->mesh, tb, &m))
		return;
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
			    (int)pmnl_get_uint(tb[PMESH_A_NODE_REASON]) :
			    PMAPP_REASON_RESYNC);
	}
}

/*
 * One event of the "events" group. Returns 1, which leaves the events
 * after this one queued, when the table must be taken again before them.
 */
static int on_event(struct nlmsghdr *nlh, void *arg)
{
	struct pmapp_members *f = arg;
	struct nlattr *tb[PMESH_A_MESH_MAX + 1];
	uint8_t cmd = pmnl_cmd(nlh);

	switch (cmd) {
	case PMESH_CMD_NODE_JOIN_NTF:
	case PMESH_CMD_NODE_LEAVE_NTF:
		on_node_event(f, cmd, nlh);
		break;
	case PMESH_CMD_MESH_DEL_NTF:
	case PMESH_CMD_MESH_ADD_NTF:
		if (pmnl_parse(nlh, tb, PMESH_A_MESH_MAX) || !tb[PMESH_A_MESH_ID] ||
		    pmnl_get_uint(tb[PMESH_A_MESH_ID]) != f->mesh)
			break;
		if (cmd == PMESH_CMD_MESH_ADD_NTF) {
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
	return f->resync;
}

struct pmapp_members *pmapp_members_follow(uint32_t mesh, pmapp_member_cb cb,
					   void *arg)
{
	struct pmapp_members *f = calloc(1, sizeof(*f));
	struct pmnl_err err;
	struct mset t = {};
	uint64_t self;
	int ret;

	if (!f) {
		pmapp_err("out of memory");
		return NULL;
	}
	f->mesh = mesh;
	f->cb = cb;
	f->arg = arg;
	/* Subscribe first: a change between the table and now is queued. */
	ret = pmnl_open(&f->req);
	if (!ret)
		ret = pmnl_events_open(&f->ev);
	if (ret == -EIO) {
		pmapp_err("cannot subscribe to the \"%s\" events of pmesh",
			  PMESH_MCGRP_EVENTS);
		goto fail;
	}
	if (ret) {
		pmapp_err("%s", pmnl_open_error(ret));
		goto fail;
	}
	/* mesh-get first: it says "does not exist" plainly. */
	if (node_id_on(&f->req, mesh, &self))
		goto fail;
	if (take_table(f, &t, &err)) {
		request_failed(mesh, "the nodes of mesh", &err,
			       pmnl_node_attr_names, PMESH_A_NODE_MAX + 1);
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
	return pmnl_events_fd(&f->ev);
}

int pmapp_members_process(struct pmapp_members *f)
{
	int ret;

	while (!f->failed) {
		ret = pmnl_events_process(&f->ev, on_event, f);
		if (ret == -ENOBUFS)	/* events were dropped: the table tells */
			f->resync = true;
		else if (ret < 0)
			return pmapp_err("reading pmesh events: %s", strerror(-ret));
		if (f->resync && !f->failed)
			resync(f);
		if (!ret)
			break;
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
	const char *name = PMNL_NAME(pmnl_leave_reason_names, reason);

	if (reason == PMAPP_REASON_RESYNC)
		return "resync";
	return name ? name : "unknown";
}

void pmapp_members_close(struct pmapp_members *f)
{
	if (!f)
		return;
	pmnl_close(&f->ev);
	pmnl_close(&f->req);
	free(f->set.v);
	free(f);
}
