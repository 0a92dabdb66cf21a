// SPDX-License-Identifier: GPL-2.0
/*
 * pmctl - many pmesh generic netlink requests, in many network namespaces,
 * from one process: what bench.sh needs to build and read rings of dozens
 * of nodes in the test guest, where each exec of pmesh (through nsenter,
 * over 9p, under TCG) costs a good part of a second. Plain netlink, no
 * libnl; the same requests and attributes as the pmesh tool.
 *
 * Reads commands from stdin, one a line; NETNS is a name in /run/netns:
 *
 *   NETNS mesh-add MESH NODEHEX [KEYWORD VALUE]...
 *                      KEYWORD: hoplimit, hello-interval, dead-interval,
 *                      announce-interval (as in "pmesh mesh add")
 *   NETNS mesh-del MESH  prints "NETNS TIME0 TIME1", like down below
 *   NETNS peer-add MESH IPV4ADDR PORT
 *   NETNS stats MESH   prints "NETNS TIME" and each statistic as "NAME N",
 *                      named as in "pmesh -j mesh show" (ctl_tx_frames...);
 *                      TIME is the wall clock (s) of the request
 *   NETNS nodes MESH   prints "NETNS TIME total N self N up N stale N"
 *   NETNS neighs MESH  prints "NETNS TIME total N up N"
 *   NETNS node MESH NODEHEX   prints "NETNS TIME hops N last_heard_ms N
 *                      interval N timeout N" of that node of the table
 *   NETNS addr DEV A.B.C.D/LEN   adds an IPv4 address to DEV
 *   NETNS up DEV, NETNS down DEV   sets DEV up or down; prints "NETNS
 *                      TIME0 TIME1": when the request was sent, and when the
 *                      kernel had done it
 *
 * Kept running as a coprocess, it makes a change at a known moment, without
 * the cost of starting a program.
 *
 * Exits 1 if any request failed (each failure is told on stderr).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <net/if.h>
#include <linux/genetlink.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <linux/pmesh_netlink.h>

static const char *const stat_names[PMESH_A_STATS_MAX + 1] = {
	[PMESH_A_STATS_SENT] = "sent",
	[PMESH_A_STATS_RECEIVED] = "received",
	[PMESH_A_STATS_DELIVERED] = "delivered",
	[PMESH_A_STATS_FORWARDED] = "forwarded",
	[PMESH_A_STATS_DUPLICATES] = "duplicates",
	[PMESH_A_STATS_HOP_EXPIRED] = "hop_expired",
	[PMESH_A_STATS_MALFORMED] = "malformed",
	[PMESH_A_STATS_SOCK_OVERFLOW] = "sock_overflow",
	[PMESH_A_STATS_ORIGINS] = "origins",
	[PMESH_A_STATS_ORIGIN_DROPS] = "origin_drops",
	[PMESH_A_STATS_UNKNOWN_PEER] = "unknown_peer",
	[PMESH_A_STATS_TOO_BIG] = "too_big",
	[PMESH_A_STATS_UNKNOWN_MESH] = "unknown_mesh",
	[PMESH_A_STATS_NEIGH_DROPS] = "neigh_drops",
	[PMESH_A_STATS_NODES] = "nodes",
	[PMESH_A_STATS_NODE_DROPS] = "node_drops",
	[PMESH_A_STATS_CTL_TX_FRAMES] = "ctl_tx_frames",
	[PMESH_A_STATS_CTL_TX_BYTES] = "ctl_tx_bytes",
	[PMESH_A_STATS_CTL_RX_FRAMES] = "ctl_rx_frames",
	[PMESH_A_STATS_CTL_RX_BYTES] = "ctl_rx_bytes",
};

/* The "KEYWORD VALUE" settings of mesh-add: attribute and size. */
static const struct {
	const char *word;
	int attr, size;
} mesh_words[] = {
	{ "hoplimit", PMESH_A_MESH_HOPLIMIT, 1 },
	{ "hello-interval", PMESH_A_MESH_HELLO_INTERVAL, 4 },
	{ "dead-interval", PMESH_A_MESH_DEAD_INTERVAL, 4 },
	{ "announce-interval", PMESH_A_MESH_ANNOUNCE_INTERVAL, 4 },
};

static char buf[65536];
static uint16_t family;
static unsigned int seq;

struct req {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char attrs[512];
};

static void put(void *msg, int type, const void *data, int len)
{
	struct nlmsghdr *n = msg;
	struct nlattr *a = (void *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void init(struct req *r, uint16_t type, uint8_t cmd, int flags)
{
	memset(r, 0, sizeof(*r));
	r->n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->n.nlmsg_type = type;
	r->n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->n.nlmsg_seq = ++seq;
	r->g.cmd = cmd;
	r->g.version = 1;
}

typedef void (*reply_cb)(struct nlmsghdr *n, void *arg);

/* Send @msg and hand each reply to @cb; return 0 or -errno. */
static int talk(int fd, void *msg, reply_cb cb, void *arg)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *req = msg;

	if (sendto(fd, req, req->nlmsg_len, 0, (void *)&sa, sizeof(sa)) < 0)
		return -errno;
	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *n;

		if (len < 0)
			return -errno;
		for (n = (void *)buf; NLMSG_OK(n, len); n = NLMSG_NEXT(n, len)) {
			if (n->nlmsg_seq != req->nlmsg_seq)
				continue;
			if (n->nlmsg_type == NLMSG_DONE)
				return 0;
			if (n->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(n);

				return e->error;
			}
			if (cb)
				cb(n, arg);
		}
	}
}

/* Call @fn on each top-level attribute of genetlink message @n. */
#define for_each_attr(a, start, len)					\
	for (a = (struct nlattr *)(start);				\
	     (len) >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&	\
	     a->nla_len <= (len);					\
	     (len) -= NLA_ALIGN(a->nla_len),				\
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))

static uint64_t get_uint(const struct nlattr *a)
{
	const void *p = (const char *)a + NLA_HDRLEN;
	uint64_t v = 0;

	switch (a->nla_len - NLA_HDRLEN) {
	case 1: return *(const uint8_t *)p;
	case 2: return *(const uint16_t *)p;
	case 4: return *(const uint32_t *)p;
	}
	memcpy(&v, p, sizeof(v));
	return v;
}

static void family_cb(struct nlmsghdr *n, void *arg __attribute__((unused)))
{
	int len = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	struct nlattr *a;

	for_each_attr(a, (char *)NLMSG_DATA(n) + GENL_HDRLEN, len)
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			family = get_uint(a);
}

static int resolve(int fd)
{
	struct req r;

	init(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	put(&r, CTRL_ATTR_FAMILY_NAME, PMESH_FAMILY_NAME,
	    sizeof(PMESH_FAMILY_NAME));
	return talk(fd, &r, family_cb, NULL) ?: family ? 0 : -ENOENT;
}

static void stats_cb(struct nlmsghdr *n, void *arg)
{
	int len = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), slen;
	uint64_t *st = arg;
	struct nlattr *a, *s;

	for_each_attr(a, (char *)NLMSG_DATA(n) + GENL_HDRLEN, len) {
		if ((a->nla_type & NLA_TYPE_MASK) != PMESH_A_MESH_STATS)
			continue;
		slen = a->nla_len - NLA_HDRLEN;
		for_each_attr(s, (char *)a + NLA_HDRLEN, slen)
			if (s->nla_type <= PMESH_A_STATS_MAX)
				st[s->nla_type] = get_uint(s);
	}
}

static void nodes_cb(struct nlmsghdr *n, void *arg)
{
	int len = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	unsigned int *count = arg;
	struct nlattr *a;

	count[3]++;
	for_each_attr(a, (char *)NLMSG_DATA(n) + GENL_HDRLEN, len)
		if (a->nla_type == PMESH_A_NODE_STATE && get_uint(a) < 3)
			count[get_uint(a)]++;
}

static void neighs_cb(struct nlmsghdr *n, void *arg)
{
	int len = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	unsigned int *count = arg;
	struct nlattr *a;

	count[0]++;
	for_each_attr(a, (char *)NLMSG_DATA(n) + GENL_HDRLEN, len)
		if (a->nla_type == PMESH_A_NEIGH_STATE &&
		    get_uint(a) == PMESH_NEIGH_STATE_UP)
			count[1]++;
}

struct node_q {
	uint64_t id;
	int found;
	uint64_t hops, heard, interval, timeout;
};

static void node_cb(struct nlmsghdr *n, void *arg)
{
	int len = n->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), l2 = len;
	struct node_q *q = arg;
	struct nlattr *a;
	uint64_t id;

	for_each_attr(a, (char *)NLMSG_DATA(n) + GENL_HDRLEN, len)
		if (a->nla_type == PMESH_A_NODE_NODE_ID) {
			memcpy(&id, (char *)a + NLA_HDRLEN, sizeof(id));
			if (id != q->id)
				return;
			q->found = 1;
		}
	if (!q->found)
		return;
	for_each_attr(a, (char *)NLMSG_DATA(n) + GENL_HDRLEN, l2)
		switch (a->nla_type) {
		case PMESH_A_NODE_HOPS: q->hops = get_uint(a); break;
		case PMESH_A_NODE_LAST_HEARD: q->heard = get_uint(a); break;
		case PMESH_A_NODE_INTERVAL: q->interval = get_uint(a); break;
		case PMESH_A_NODE_TIMEOUT: q->timeout = get_uint(a); break;
		}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The rtnetlink commands, on a socket of their own. */
static int route_command(const char *ns, char **w, int nw)
{
	unsigned int ifindex = if_nametoindex(w[1]);
	struct {
		struct nlmsghdr n;
		union {
			struct ifinfomsg i;
			struct ifaddrmsg a;
		};
		char attrs[64];
	} r = {};
	double t0;
	int fd, err;

	if (!ifindex)
		return -ENODEV;
	r.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	r.n.nlmsg_seq = ++seq;
	if (!strcmp(w[0], "addr")) {
		char *slash = strchr(w[2], '/');
		struct in_addr in;

		if (nw < 3 || !slash)
			return -EINVAL;
		*slash = 0;
		if (inet_pton(AF_INET, w[2], &in) != 1)
			return -EINVAL;
		r.n.nlmsg_type = RTM_NEWADDR;
		r.n.nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
		r.n.nlmsg_len = NLMSG_LENGTH(sizeof(r.a));
		r.a.ifa_family = AF_INET;
		r.a.ifa_prefixlen = atoi(slash + 1);
		r.a.ifa_index = ifindex;
		put((void *)&r, IFA_LOCAL, &in, 4);
		put((void *)&r, IFA_ADDRESS, &in, 4);
	} else {
		r.n.nlmsg_type = RTM_NEWLINK;
		r.n.nlmsg_len = NLMSG_LENGTH(sizeof(r.i));
		r.i.ifi_family = AF_UNSPEC;
		r.i.ifi_index = ifindex;
		r.i.ifi_change = IFF_UP;
		r.i.ifi_flags = !strcmp(w[0], "up") ? IFF_UP : 0;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	t0 = now();
	err = talk(fd, (void *)&r, NULL, NULL);
	close(fd);
	if (!err && strcmp(w[0], "addr"))
		printf("%s %.6f %.6f\n", ns, t0, now());
	return err;
}

static int command(int fd, const char *ns, char **w, int nw)
{
	uint32_t mesh = nw > 1 ? strtoul(w[1], NULL, 10) : 0;
	struct req r;
	double t;
	int err;

	if (nw >= 3 && !strcmp(w[0], "mesh-add")) {
		uint64_t node = strtoull(w[2], NULL, 16);

		init(&r, family, PMESH_CMD_MESH_NEW, 0);
		put(&r, PMESH_A_MESH_ID, &mesh, 4);
		put(&r, PMESH_A_MESH_NODE_ID, &node, 8);
		for (int i = 3; i + 1 < nw; i += 2) {
			uint32_t v = strtoul(w[i + 1], NULL, 10);
			uint8_t v8 = v;
			size_t k;

			for (k = 0; k < sizeof(mesh_words) / sizeof(mesh_words[0]); k++)
				if (!strcmp(w[i], mesh_words[k].word))
					break;
			if (k == sizeof(mesh_words) / sizeof(mesh_words[0]))
				return -EINVAL;
			put(&r, mesh_words[k].attr,
			    mesh_words[k].size == 1 ? (void *)&v8 : (void *)&v,
			    mesh_words[k].size);
		}
		return talk(fd, &r, NULL, NULL);
	}
	if (nw >= 2 && !strcmp(w[0], "mesh-del")) {
		init(&r, family, PMESH_CMD_MESH_DEL, 0);
		put(&r, PMESH_A_MESH_ID, &mesh, 4);
		t = now();
		err = talk(fd, &r, NULL, NULL);
		if (!err)
			printf("%s %.6f %.6f\n", ns, t, now());
		return err;
	}
	if (nw >= 4 && !strcmp(w[0], "peer-add")) {
		uint16_t port = atoi(w[3]);
		struct in_addr in;

		if (inet_pton(AF_INET, w[2], &in) != 1)
			return -EINVAL;
		init(&r, family, PMESH_CMD_PEER_NEW, 0);
		put(&r, PMESH_A_NEIGH_MESH_ID, &mesh, 4);
		put(&r, PMESH_A_NEIGH_ADDR, &in, 4);
		put(&r, PMESH_A_NEIGH_PORT, &port, 2);
		return talk(fd, &r, NULL, NULL);
	}
	if (nw >= 2 && !strcmp(w[0], "stats")) {
		uint64_t st[PMESH_A_STATS_MAX + 1] = {};

		init(&r, family, PMESH_CMD_MESH_GET, 0);
		put(&r, PMESH_A_MESH_ID, &mesh, 4);
		t = now();
		err = talk(fd, &r, stats_cb, st);
		if (err)
			return err;
		printf("%s %.6f", ns, t);
		for (int i = 1; i <= PMESH_A_STATS_MAX; i++)
			if (stat_names[i])
				printf(" %s %" PRIu64, stat_names[i], st[i]);
		putchar('\n');
		return 0;
	}
	if (nw >= 2 && !strcmp(w[0], "nodes")) {
		unsigned int count[4] = {};

		init(&r, family, PMESH_CMD_NODE_GET, NLM_F_DUMP);
		put(&r, PMESH_A_NODE_MESH_ID, &mesh, 4);
		t = now();
		err = talk(fd, &r, nodes_cb, count);
		if (err)
			return err;
		printf("%s %.6f total %u self %u up %u stale %u\n", ns, t, count[3],
		       count[PMESH_NODE_STATE_SELF], count[PMESH_NODE_STATE_UP],
		       count[PMESH_NODE_STATE_STALE]);
		return 0;
	}
	if (nw >= 3 && !strcmp(w[0], "node")) {
		struct node_q q = { .id = strtoull(w[2], NULL, 16) };

		init(&r, family, PMESH_CMD_NODE_GET, NLM_F_DUMP);
		put(&r, PMESH_A_NODE_MESH_ID, &mesh, 4);
		t = now();
		err = talk(fd, &r, node_cb, &q);
		if (err)
			return err;
		if (!q.found)
			return -ENOENT;
		printf("%s %.6f hops %" PRIu64 " last_heard_ms %" PRIu64
		       " interval %" PRIu64 " timeout %" PRIu64 "\n", ns, t, q.hops,
		       q.heard, q.interval, q.timeout);
		return 0;
	}
	if (nw >= 2 && !strcmp(w[0], "neighs")) {
		unsigned int count[2] = {};

		init(&r, family, PMESH_CMD_NEIGH_GET, NLM_F_DUMP);
		put(&r, PMESH_A_NEIGH_MESH_ID, &mesh, 4);
		t = now();
		err = talk(fd, &r, neighs_cb, count);
		if (err)
			return err;
		printf("%s %.6f total %u up %u\n", ns, t, count[0], count[1]);
		return 0;
	}
	return -EINVAL;
}

int main(void)
{
	char line[512], path[300], *w[16];
	int failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		int nw = 0, fd, nsfd, err;
		char *save, *tok;

		for (tok = strtok_r(line, " \t\n", &save); tok && nw < 16;
		     tok = strtok_r(NULL, " \t\n", &save))
			w[nw++] = tok;
		if (nw < 2)
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", w[0]);
		nsfd = open(path, O_RDONLY | O_CLOEXEC);
		if (nsfd < 0 || setns(nsfd, CLONE_NEWNET)) {
			fprintf(stderr, "pmctl: %s: %s\n", path, strerror(errno));
			failed = 1;
			if (nsfd >= 0)
				close(nsfd);
			continue;
		}
		close(nsfd);
		fd = -1;
		if (nw >= 3 && (!strcmp(w[1], "addr") || !strcmp(w[1], "up") ||
				!strcmp(w[1], "down"))) {
			err = route_command(w[0], w + 1, nw - 1);
		} else {
			/* A netlink socket belongs to the namespace it is made in. */
			fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
				    NETLINK_GENERIC);
			err = fd < 0 ? -errno : family ? 0 : resolve(fd);
			if (!err)
				err = command(fd, w[0], w + 1, nw - 1);
		}
		if (err) {
			fprintf(stderr, "pmctl: %s %s: %s\n", w[0], w[1],
				strerror(-err));
			failed = 1;
		}
		if (fd >= 0)
			close(fd);
	}
	return failed;
}
