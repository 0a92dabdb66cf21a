// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink plumbing for the pmesh tool and the selftests.
 *
 * Requests are sent with NLM_F_ACK; the socket asks for extended acks
 * (NETLINK_EXT_ACK) and for capped ones (NETLINK_CAP_ACK), so an error
 * carries the kernel's message and the offset of the offending attribute in
 * our request, which pmesh_nl_run() turns back into an attribute type.
 */
#include <errno.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/msg.h>

#include <linux/pmesh_netlink.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int pmesh_nl_open(struct pmesh_nl *nl)
{
	int one = 1, err;

	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	err = genl_connect(nl->sk);
	if (err) {
		nl_socket_free(nl->sk);
		return -ENOTCONN;
	}
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sk, PMESH_FAMILY_NAME);
	if (nl->family < 0) {
		nl_socket_free(nl->sk);
		return -ENOENT;
	}
	return 0;
}

void pmesh_nl_close(struct pmesh_nl *nl)
{
	nl_socket_free(nl->sk);
}

struct nl_msg *pmesh_nl_msg(struct pmesh_nl *nl, uint8_t cmd, int flags)
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

/* The value of an unsigned attribute of any width: u8 to u64, or uint. */
uint64_t pmesh_nl_get_uint(const struct nlattr *attr)
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

struct pmesh_nl_req {
	struct nl_msg *msg;
	pmesh_nl_cb cb;
	void *arg;
	struct pmesh_nl_err *err;
	int cb_error;
	int done;
};

/* The top-level attribute of our request that byte @off falls in. */
static int pmesh_nl_attr_at(struct nl_msg *msg, uint32_t off)
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
static void pmesh_nl_extack(struct pmesh_nl_req *req, struct nlattr *attrs,
			    int len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};

	if (len <= 0 || nla_parse(tb, NLMSGERR_ATTR_MAX, attrs, len, NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(req->err->msg, sizeof(req->err->msg), "%s",
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS])
		req->err->bad_attr =
			pmesh_nl_attr_at(req->msg, nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		req->err->miss_attr = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
}

static int pmesh_nl_on_error(struct sockaddr_nl *who, struct nlmsgerr *e,
			     void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct pmesh_nl_req *req = arg;
	size_t skip = sizeof(*e);

	req->err->error = e->error;
	req->done = 1;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		skip += e->msg.nlmsg_len - sizeof(e->msg);
	pmesh_nl_extack(req, (struct nlattr *)((char *)e + skip),
			nlh->nlmsg_len - NLMSG_HDRLEN - skip);
	return NL_STOP;
}

static int pmesh_nl_on_valid(struct nl_msg *msg, void *arg)
{
	struct pmesh_nl_req *req = arg;
	int err;

	if (!req->cb || req->cb_error)
		return NL_OK;
	err = req->cb(nlmsg_hdr(msg), req->arg);
	if (err)
		req->cb_error = err;
	return NL_OK;
}

/*
 * The end of a dump, or an ack. A dump the kernel ended in error (a filter
 * naming a mesh that does not exist, say) says so in its NLMSG_DONE: the
 * errno, then the extended ack.
 */
static int pmesh_nl_on_done(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct pmesh_nl_req *req = arg;
	int *errp = nlmsg_data(nlh);

	req->done = 1;
	if (nlh->nlmsg_type != NLMSG_DONE ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(int)) || *errp >= 0)
		return NL_STOP;
	req->err->error = *errp;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		pmesh_nl_extack(req, (struct nlattr *)(errp + 1),
				nlh->nlmsg_len - NLMSG_LENGTH(sizeof(int)));
	return NL_STOP;
}

/**
 * pmesh_nl_run() - send a request and take its replies until the ack
 * @nl: the socket
 * @msg: the request; freed here
 * @cb: called for every reply message, may be NULL
 * @arg: passed to @cb
 * @err: filled with what the kernel said
 *
 * Return: 0, the kernel's negative errno, or the first error of @cb.
 */
int pmesh_nl_run(struct pmesh_nl *nl, struct nl_msg *msg, pmesh_nl_cb cb,
		 void *arg, struct pmesh_nl_err *err)
{
	struct pmesh_nl_req req = { .msg = msg, .cb = cb, .arg = arg, .err = err };
	struct nl_cb *nlcb;
	int ret;

	memset(err, 0, sizeof(*err));
	err->bad_attr = -1;
	err->miss_attr = -1;

	nlcb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nlcb) {
		nlmsg_free(msg);
		return err->error = -ENOMEM;
	}
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, pmesh_nl_on_valid, &req);
	nl_cb_set(nlcb, NL_CB_FINISH, NL_CB_CUSTOM, pmesh_nl_on_done, &req);
	nl_cb_set(nlcb, NL_CB_ACK, NL_CB_CUSTOM, pmesh_nl_on_done, &req);
	nl_cb_err(nlcb, NL_CB_CUSTOM, pmesh_nl_on_error, &req);

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
