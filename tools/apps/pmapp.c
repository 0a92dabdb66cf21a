// SPDX-License-Identifier: GPL-2.0
/*
 * pmapp: what the example programs share. See pmapp.h for the interface;
 * the comments here say how it is done.
 */
#define _GNU_SOURCE	/* ppoll() */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "family.h"
#include "pmapp.h"

const char *pmapp_prog = "pmapp";

void pmapp_init(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

	if (argv0)
		pmapp_prog = slash ? slash + 1 : argv0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
}

static void vmessage(const char *kind, const char *fmt, va_list ap)
{
	/* One write, so that lines of programs sharing a terminal stay whole. */
	char line[1024];
	size_t len;
	int n;

	/* The prefix, the message, cut to leave room for the newline. */
	n = snprintf(line, sizeof(line) - 1, "%s: %s", pmapp_prog, kind);
	if (n < 0)
		n = 0;
	len = strlen(line);
	vsnprintf(line + len, sizeof(line) - 1 - len, fmt, ap);
	len = strlen(line);
	line[len] = '\n';
	line[len + 1] = 0;
	fflush(stdout);
	fputs(line, stderr);
}

int pmapp_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
	return -1;
}

void pmapp_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("warning: ", fmt, ap);
	va_end(ap);
}

bool pmapp_printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

uint64_t pmapp_mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

volatile sig_atomic_t pmapp_stop;
static sigset_t pmapp_unblocked;	/* the mask, the stopping signals let in */

static void on_stop_signal(int sig)
{
	pmapp_stop = 1;
}

void pmapp_catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	sigset_t block;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &pmapp_unblocked);
}

int pmapp_wait(struct pollfd *p, nfds_t n, int ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	return ppoll(p, n, ms < 0 ? NULL : &ts, &pmapp_unblocked);
}

/*
 * @s as a decimal number, digits only: false if it is not one. A number
 * too big for 64 bits is UINT64_MAX, out of any range.
 */
static bool parse_decimal(const char *s, uint64_t *val)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return false;
	*val = errno ? UINT64_MAX : v;
	return true;
}

int pmapp_parse_uint(const char *what, const char *s, uint64_t min,
		     uint64_t max, uint64_t *val)
{
	uint64_t v;

	if (!s)
		return pmapp_err("%s needs a value", what);
	if (!parse_decimal(s, &v))
		return pmapp_err("%s \"%s\" is not a number (%" PRIu64 "..%" PRIu64 ")",
				 what, s, min, max);
	if (v < min || v > max)
		return pmapp_err("%s %s is out of range (%" PRIu64 "..%" PRIu64 ")",
				 what, s, min, max);
	*val = v;
	return 0;
}

int pmapp_parse_mesh(const char *s, uint32_t *mesh)
{
	uint64_t v;

	if (!s)
		return pmapp_err("a mesh id is needed");
	if (!parse_decimal(s, &v))
		return pmapp_err("mesh id \"%s\" is not a number (1..%u)", s, UINT32_MAX);
	if (v < 1 || v > UINT32_MAX)
		return pmapp_err("mesh id %s is not a mesh id (1..%u)", s, UINT32_MAX);
	*mesh = v;
	return 0;
}

int pmapp_parse_channel(const char *s, uint16_t *channel)
{
	uint64_t v;

	if (!s)
		return pmapp_err("a channel is needed");
	if (!parse_decimal(s, &v))
		return pmapp_err("channel \"%s\" is not a number (1..65535)", s);
	if (v < 1 || v > UINT16_MAX)
		return pmapp_err("channel %s is not a channel (1..65535)", s);
	*channel = v;
	return 0;
}

int pmapp_parse_node(const char *s, uint64_t *node)
{
	unsigned long long v;
	char *end;

	if (!s)
		return pmapp_err("a node id is needed");
	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
		s += 2;
	errno = 0;
	v = strtoull(s, &end, 16);
	if (!*s || strlen(s) > 16 || strspn(s, "0123456789abcdefABCDEF") != strlen(s) ||
	    *end || errno)
		return pmapp_err("node id \"%s\" is not 1 to 16 hex digits", s);
	if (!v)
		return pmapp_err("node id 0 is not a node");
	*node = v;
	return 0;
}

static void pmapp_addr(struct sockaddr_pmesh *a, uint32_t mesh, uint16_t channel)
{
	memset(a, 0, sizeof(*a));
	a->spm_family = pmesh_family();
	a->spm_mesh = mesh;
	a->spm_port = channel;
}

int pmapp_open(uint32_t mesh, uint16_t channel, int flags)
{
	struct sockaddr_pmesh a;
	const char *step;
	int fd, err;

	pmapp_addr(&a, mesh, channel);
	fd = socket(a.spm_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		if (errno == EAFNOSUPPORT)
			return pmapp_err("the pmesh module is not loaded (no socket family %d)",
					 a.spm_family);
		return pmapp_err("socket: %s", strerror(errno));
	}
	step = "bind";
	if (!(flags & PMAPP_SEND_ONLY) && bind(fd, (struct sockaddr *)&a, sizeof(a)))
		goto fail;
	step = "connect";
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
		goto fail;
	return fd;
fail:
	err = errno;
	close(fd);
	if (err == ENONET)
		return pmapp_err("mesh %u does not exist", mesh);
	return pmapp_err("cannot %s to mesh %u channel %u: %s", step, mesh,
			 channel, strerror(err));
}

/* The mesh a socket is bound to, for messages. */
static uint32_t pmapp_fd_mesh(int fd)
{
	struct sockaddr_pmesh a = {};
	socklen_t len = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &len))
		return 0;
	return a.spm_mesh;
}

int pmapp_send(int fd, const void *buf, size_t len)
{
	int err;

	while (send(fd, buf, len, 0) < 0) {
		err = errno;
		if (err == EINTR)
			continue;
		if (err == EMSGSIZE)
			pmapp_err("a datagram of %zu bytes is larger than mesh %u carries (its max-dgram, or a link's MTU less 48)",
				  len, pmapp_fd_mesh(fd));
		else if (err == ENONET)
			pmapp_err("mesh %u was deleted", pmapp_fd_mesh(fd));
		else
			pmapp_err("send: %s", strerror(err));
		errno = err;
		return -1;
	}
	return 0;
}

ssize_t pmapp_recv(int fd, void *buf, size_t cap, struct pmapp_dgram *d,
		   int flags)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(uint64_t))];
	} ctl;
	struct sockaddr_pmesh from = {};
	struct iovec iov = { buf, cap };
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	ssize_t n;
	int err;

	/* MSG_TRUNC: the datagram's real length, as for UDP. */
	n = recvmsg(fd, &msg, flags | MSG_TRUNC);
	if (n < 0) {
		err = errno;
		if (err == ENONET)
			pmapp_err("mesh %u was deleted", pmapp_fd_mesh(fd));
		else if (err != EAGAIN && err != EWOULDBLOCK && err != EINTR)
			pmapp_err("receive: %s", strerror(err));
		errno = err;
		return -1;
	}
	memset(d, 0, sizeof(*d));
	d->hops = -1;
	d->origin = from.spm_node;
	d->channel = from.spm_port;
	d->len = n;
	d->truncated = (msg.msg_flags & MSG_TRUNC) || (size_t)n > cap;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_PMESH)
			continue;
		if (c->cmsg_type == PMESH_HOPS)
			memcpy(&d->hops, CMSG_DATA(c), sizeof(d->hops));
		else if (c->cmsg_type == PMESH_SEQ)
			memcpy(&d->seq, CMSG_DATA(c), sizeof(d->seq));
	}
	return d->truncated ? (ssize_t)cap : n;
}

#define PMAPP_FOREIGN_SHOWN	10

unsigned long pmapp_foreign(const struct pmapp_dgram *d, const char *why)
{
	static unsigned long seen;

	seen++;
	if (seen <= PMAPP_FOREIGN_SHOWN)
		pmapp_warn("ignored %zu bytes from node " PMAPP_NODE_FMT
			   " (hops %d, seq %" PRIu64 ") on channel %u: %s%s",
			   d->len, d->origin, d->hops, d->seq, d->channel, why,
			   seen == PMAPP_FOREIGN_SHOWN ?
			   "; further ones are not shown" : "");
	return seen;
}

uint64_t pmapp_wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

uint64_t pmapp_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t pmapp_random64(void)
{
	uint64_t v;

	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = pmapp_wall_ns() ^ ((uint64_t)getpid() << 32);
	return v;
}

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
