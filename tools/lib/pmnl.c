// SPDX-License-Identifier: GPL-2.0
/*
 * libpmesh's netlink client: requests, dumps, extack and the events group
 * of the "pmesh" generic netlink family (see pmnl.h).
 *
 * Requests are sent with NLM_F_ACK; the socket asks for extended acks
 * (NETLINK_EXT_ACK) and for capped ones (NETLINK_CAP_ACK), so an error
 * carries the kernel's message and the offset of the offending attribute in
 * our request, which pmnl_run() turns back into an attribute type.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/msg.h>

#include "pmnl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* A connected generic netlink socket and the family's id in @nl. */
static int pmnl_connect(struct pmnl *nl)
{
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	if (genl_connect(nl->sk)) {
		pmnl_close(nl);
		return -ENOTCONN;
	}
	nl->family = genl_ctrl_resolve(nl->sk, PMESH_FAMILY_NAME);
	if (nl->family < 0) {
		pmnl_close(nl);
		return -ENOENT;
	}
	return 0;
}

int pmnl_open(struct pmnl *nl)
{
	int one = 1, err;

	err = pmnl_connect(nl);
	if (err)
		return err;
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	return 0;
}

void pmnl_close(struct pmnl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

const char *pmnl_open_error(int err)
{
	if (err == -ENOENT)
		return "the pmesh module is not loaded (no \"pmesh\" generic netlink family; try \"modprobe pmesh\")";
	return strerror(-err);
}

struct nl_msg *pmnl_msg(struct pmnl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, PMESH_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

uint64_t pmnl_get_uint(const struct nlattr *attr)
{
	switch (nla_len(attr)) {
	case sizeof(uint8_t):
		return nla_get_u8((struct nlattr *)attr);
	case sizeof(uint16_t):
		return nla_get_u16((struct nlattr *)attr);
	case sizeof(uint32_t):
		return nla_get_u32((struct nlattr *)attr);
	}
	return nla_get_u64((struct nlattr *)attr);
}

int pmnl_parse(struct nlmsghdr *nlh, struct nlattr **tb, int max)
{
	return genlmsg_parse(nlh, 0, tb, max, NULL) ? -EBADMSG : 0;
}

uint8_t pmnl_cmd(const struct nlmsghdr *nlh)
{
	return ((const struct genlmsghdr *)nlmsg_data(nlh))->cmd;
}

const char *pmnl_name(const char *const *table, size_t n, long i)
{
	return i >= 0 && (size_t)i < n ? table[i] : NULL;
}

char *pmnl_json_key(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s", name);
	for (char *c = buf; *c; c++)
		if (*c == '-')
			*c = '_';
	return buf;
}

char *pmnl_err_format(const struct pmnl_err *err, const char *const *names,
		      int n_names, char *buf, size_t len)
{
	const char *msg = err->msg[0] ? err->msg : strerror(-err->error);
	const char *bad = pmnl_name(names, n_names, err->bad_attr);
	const char *miss = pmnl_name(names, n_names, err->miss_attr);

	if (bad)
		snprintf(buf, len, "%s (attribute \"%s\")", msg, bad);
	else if (miss)
		snprintf(buf, len, "%s (attribute \"%s\" is missing)", msg, miss);
	else
		snprintf(buf, len, "%s", msg);
	return buf;
}

struct pmnl_req {
	struct nl_msg *msg;
	pmnl_cb cb;
	void *arg;
	struct pmnl_err *err;
	int cb_error;
	int done;
};

/* The top-level attribute of our request that byte @off falls in. */
static int pmnl_attr_at(struct nl_msg *msg, uint32_t off)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *attr;
	int rem;

	nlmsg_for_each_attr(attr, nlh, GENL_HDRLEN, rem) {
		uint32_t start = (char *)attr - (char *)nlh;

		if (off >= start && off < start + attr->nla_len)
			return nla_type(attr);
	}
	return -1;
}

/* Read the extended ack attributes at @attrs into the request's error. */
static void pmnl_extack(struct pmnl_req *req, struct nlattr *attrs, int len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};

	if (len <= 0 || nla_parse(tb, NLMSGERR_ATTR_MAX, attrs, len, NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(req->err->msg, sizeof(req->err->msg), "%s",
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS])
		req->err->bad_attr =
			pmnl_attr_at(req->msg, nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		req->err->miss_attr = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
}

static int pmnl_on_error(struct sockaddr_nl *who, struct nlmsgerr *e,
			 void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct pmnl_req *req = arg;
	size_t skip = sizeof(*e);

	req->err->error = e->error;
	req->done = 1;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		skip += e->msg.nlmsg_len - sizeof(e->msg);
	pmnl_extack(req, (struct nlattr *)((char *)e + skip),
		    nlh->nlmsg_len - NLMSG_HDRLEN - skip);
	return NL_STOP;
}

static int pmnl_on_valid(struct nl_msg *msg, void *arg)
{
	struct pmnl_req *req = arg;

	if (req->cb && !req->cb_error)
		req->cb_error = req->cb(nlmsg_hdr(msg), req->arg);
	return NL_OK;
}

/*
 * The end of a dump, or an ack. A dump the kernel ended in error (a filter
 * naming a mesh that does not exist, say) says so in its NLMSG_DONE: the
 * errno, then the extended ack.
 */
static int pmnl_on_done(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct pmnl_req *req = arg;
	int *errp = nlmsg_data(nlh);

	req->done = 1;
	if (nlh->nlmsg_type != NLMSG_DONE ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(int)) || *errp >= 0)
		return NL_STOP;
	req->err->error = *errp;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		pmnl_extack(req, (struct nlattr *)(errp + 1),
			    nlh->nlmsg_len - NLMSG_LENGTH(sizeof(int)));
	return NL_STOP;
}

int pmnl_run(struct pmnl *nl, struct nl_msg *msg, pmnl_cb cb, void *arg,
	     struct pmnl_err *err)
{
	struct pmnl_err local;
	struct pmnl_req req = { .msg = msg, .cb = cb, .arg = arg,
				.err = err ? err : &local };
	struct nl_cb *nlcb;
	int ret;

	err = req.err;
	memset(err, 0, sizeof(*err));
	err->bad_attr = -1;
	err->miss_attr = -1;

	nlcb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nlcb) {
		nlmsg_free(msg);
		return err->error = -ENOMEM;
	}
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, pmnl_on_valid, &req);
	nl_cb_set(nlcb, NL_CB_FINISH, NL_CB_CUSTOM, pmnl_on_done, &req);
	nl_cb_set(nlcb, NL_CB_ACK, NL_CB_CUSTOM, pmnl_on_done, &req);
	nl_cb_err(nlcb, NL_CB_CUSTOM, pmnl_on_error, &req);

	ret = nl_send_auto(nl->sk, msg);
	while (ret >= 0 && !req.done)
		ret = nl_recvmsgs(nl->sk, nlcb);
	nl_cb_put(nlcb);
	nlmsg_free(msg);

	if (!err->error && ret < 0)
		err->error = -EIO;
	if (err->error)
		return err->error;
	return req.cb_error;
}

int pmnl_request(struct pmnl *nl, uint8_t cmd, int flags, int id_attr,
		 uint32_t mesh, pmnl_cb cb, void *arg, struct pmnl_err *err)
{
	struct nl_msg *msg = pmnl_msg(nl, cmd, flags);

	if (!msg || (id_attr && nla_put_u32(msg, id_attr, mesh))) {
		nlmsg_free(msg);
		if (err) {
			memset(err, 0, sizeof(*err));
			err->error = -ENOMEM;
			err->bad_attr = err->miss_attr = -1;
		}
		return -ENOMEM;
	}
	return pmnl_run(nl, msg, cb, arg, err);
}

/* The events group. */

int pmnl_events_open(struct pmnl *ev)
{
	int grp, err;

	err = pmnl_connect(ev);
	if (err)
		return err;
	grp = genl_ctrl_resolve_grp(ev->sk, PMESH_FAMILY_NAME,
				    PMESH_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(ev->sk, grp) ||
	    nl_socket_set_nonblocking(ev->sk)) {
		pmnl_close(ev);
		return -EIO;
	}
	nl_socket_disable_seq_check(ev->sk);	/* events are not replies */
	return 0;
}

int pmnl_events_fd(const struct pmnl *ev)
{
	return nl_socket_get_fd(ev->sk);
}

int pmnl_events_wait(struct pmnl *ev, int timeout_ms)
{
	struct pollfd p = { .fd = pmnl_events_fd(ev), .events = POLLIN };
	int n = poll(&p, 1, timeout_ms);

	if (n < 0)
		return -errno;
	return n > 0;
}

struct pmnl_events {
	struct pmnl *ev;
	pmnl_cb cb;
	void *arg;
	int ret;
};

static int pmnl_on_event(struct nl_msg *msg, void *arg)
{
	struct pmnl_events *e = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (e->ret || nlh->nlmsg_type != e->ev->family)
		return NL_OK;
	e->ret = e->cb(nlh, e->arg);
	return e->ret ? NL_STOP : NL_OK;
}

int pmnl_events_process(struct pmnl *ev, pmnl_cb cb, void *arg)
{
	struct pmnl_events e = { .ev = ev, .cb = cb, .arg = arg };
	struct nl_cb *sk_cb = nl_socket_get_cb(ev->sk);
	struct nl_cb *nlcb = nl_cb_clone(sk_cb);
	bool lost = false;
	int ret = 0;

	nl_cb_put(sk_cb);
	if (!nlcb)
		return -ENOMEM;
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, pmnl_on_event, &e);
	while (!e.ret && pmnl_events_wait(ev, 0) > 0) {
		ret = nl_recvmsgs(ev->sk, nlcb);
		if (ret == -NLE_NOMEM)
			lost = true;	/* ENOBUFS: the kernel dropped events */
		else if (ret < 0 && ret != -NLE_AGAIN && ret != -NLE_INTR)
			break;
		ret = 0;
	}
	nl_cb_put(nlcb);
	if (lost)
		return -ENOBUFS;
	if (e.ret)
		return e.ret;
	return ret < 0 ? -EIO : 0;
}
