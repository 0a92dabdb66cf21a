// SPDX-License-Identifier: GPL-2.0
/*
 * The "events" group of the "pmesh" family, watched from one namespace (A)
 * while a script runs there and in a second namespace (B) joined to it by a
 * veth pair: a mesh added, put on the device, a node on the segment found by
 * its beacons and joining, leaving with a goodbye, the link and the mesh
 * removed; and the device taken down and up again. Every event is checked,
 * in order, with its attributes, and no other event may come between.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "pmesh_test.h"

#define NODE_A	0xa1a2a3a4a5a6a7a8ULL
#define NODE_B	0xb1b2b3b4b5b6b7b8ULL
#define MESH	7

/* Each wait for an event gives up after this long. */
#define EVENT_WAIT_MS	10000

static const unsigned char mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };

/**
 * struct event - one message of the "events" group, whatever its kind
 * @cmd: PMESH_CMD_*_NTF
 * @mesh: the mesh id (PMESH_A_MESH_ID, PMESH_A_NEIGH_MESH_ID, ...)
 * @node: the node id, or 0 if absent
 * @ifindex: the device of a link or a station, or 0 if absent
 * @ifname: a link's device name, or "" if absent
 * @mtu: a link's MTU, or 0 if absent
 * @oper_up: a link's oper-up, or -1 if absent
 * @lladdr: a station's MAC address
 * @lladdr_len: its length, 0 if absent
 * @has_addr: a UDP address came along
 * @hops: a node's hops, or -1 if absent
 * @reason: a node's leave reason, or -1 if absent
 */
struct event {
	__u8 cmd;
	__u32 mesh;
	__u64 node;
	__u32 ifindex;
	char ifname[IFNAMSIZ];
	__u32 mtu;
	int oper_up;
	unsigned char lladdr[6];
	int lladdr_len;
	int has_addr;
	int hops;
	int reason;
};

static const char *event_name(__u8 cmd)
{
	static char num[16];

	switch (cmd) {
	case PMESH_CMD_MESH_ADD_NTF: return "mesh-add";
	case PMESH_CMD_MESH_DEL_NTF: return "mesh-del";
	case PMESH_CMD_MESH_CHANGE_NTF: return "mesh-change";
	case PMESH_CMD_NEIGH_UP_NTF: return "neigh-up";
	case PMESH_CMD_NEIGH_DOWN_NTF: return "neigh-down";
	case PMESH_CMD_LINK_ADD_NTF: return "link-add";
	case PMESH_CMD_LINK_DEL_NTF: return "link-del";
	case PMESH_CMD_NODE_JOIN_NTF: return "node-join";
	case PMESH_CMD_NODE_LEAVE_NTF: return "node-leave";
	}
	snprintf(num, sizeof(num), "cmd %u", cmd);
	return num;
}

static int parse_event(struct nlmsghdr *nlh, struct event *e)
{
	struct nlattr *tb[32] = {};
	int max, err;

	memset(e, 0, sizeof(*e));
	e->oper_up = e->hops = e->reason = -1;
	e->cmd = ((struct genlmsghdr *)nlmsg_data(nlh))->cmd;

	switch (e->cmd) {
	case PMESH_CMD_MESH_ADD_NTF:
	case PMESH_CMD_MESH_DEL_NTF:
	case PMESH_CMD_MESH_CHANGE_NTF:
		max = PMESH_A_MESH_MAX;
		err = genlmsg_parse(nlh, 0, tb, max, NULL);
		if (err || !tb[PMESH_A_MESH_ID])
			return -EBADMSG;
		e->mesh = nla_get_u32(tb[PMESH_A_MESH_ID]);
		if (tb[PMESH_A_MESH_NODE_ID])
			e->node = nla_get_u64(tb[PMESH_A_MESH_NODE_ID]);
		return 0;
	case PMESH_CMD_NEIGH_UP_NTF:
	case PMESH_CMD_NEIGH_DOWN_NTF:
		max = PMESH_A_NEIGH_MAX;
		err = genlmsg_parse(nlh, 0, tb, max, NULL);
		if (err || !tb[PMESH_A_NEIGH_MESH_ID])
			return -EBADMSG;
		e->mesh = nla_get_u32(tb[PMESH_A_NEIGH_MESH_ID]);
		if (tb[PMESH_A_NEIGH_NODE_ID])
			e->node = nla_get_u64(tb[PMESH_A_NEIGH_NODE_ID]);
		if (tb[PMESH_A_NEIGH_IFINDEX])
			e->ifindex = nla_get_u32(tb[PMESH_A_NEIGH_IFINDEX]);
		if (tb[PMESH_A_NEIGH_LLADDR]) {
			e->lladdr_len = nla_len(tb[PMESH_A_NEIGH_LLADDR]);
			memcpy(e->lladdr, nla_data(tb[PMESH_A_NEIGH_LLADDR]),
			       e->lladdr_len < 6 ? e->lladdr_len : 6);
		}
		e->has_addr = tb[PMESH_A_NEIGH_ADDR] || tb[PMESH_A_NEIGH_PORT];
		return 0;
	case PMESH_CMD_LINK_ADD_NTF:
	case PMESH_CMD_LINK_DEL_NTF:
		max = PMESH_A_LINK_MAX;
		err = genlmsg_parse(nlh, 0, tb, max, NULL);
		if (err || !tb[PMESH_A_LINK_MESH_ID])
			return -EBADMSG;
		e->mesh = nla_get_u32(tb[PMESH_A_LINK_MESH_ID]);
		if (tb[PMESH_A_LINK_IFINDEX])
			e->ifindex = nla_get_u32(tb[PMESH_A_LINK_IFINDEX]);
		if (tb[PMESH_A_LINK_IFNAME])
			snprintf(e->ifname, sizeof(e->ifname), "%s",
				 nla_get_string(tb[PMESH_A_LINK_IFNAME]));
		if (tb[PMESH_A_LINK_MTU])
			e->mtu = nla_get_u32(tb[PMESH_A_LINK_MTU]);
		if (tb[PMESH_A_LINK_OPER_UP])
			e->oper_up = nla_get_u8(tb[PMESH_A_LINK_OPER_UP]);
		return 0;
	case PMESH_CMD_NODE_JOIN_NTF:
	case PMESH_CMD_NODE_LEAVE_NTF:
		max = PMESH_A_NODE_MAX;
		err = genlmsg_parse(nlh, 0, tb, max, NULL);
		if (err || !tb[PMESH_A_NODE_MESH_ID])
			return -EBADMSG;
		e->mesh = nla_get_u32(tb[PMESH_A_NODE_MESH_ID]);
		if (tb[PMESH_A_NODE_NODE_ID])
			e->node = nla_get_u64(tb[PMESH_A_NODE_NODE_ID]);
		if (tb[PMESH_A_NODE_HOPS])
			e->hops = nla_get_u8(tb[PMESH_A_NODE_HOPS]);
		if (tb[PMESH_A_NODE_REASON])
			e->reason = nla_get_u8(tb[PMESH_A_NODE_REASON]);
		return 0;
	}
	return -EBADMSG;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Take one event into the struct event at @arg, and stop there. */
static int take_event(struct nlmsghdr *nlh, void *arg)
{
	int err = parse_event(nlh, arg);

	return err ? err : 1;
}

/* The next event within @wait_ms: 0, -ETIMEDOUT, or another -errno. */
static int next_event(struct pmnl *q, int wait_ms, struct event *e)
{
	long end = now_ms() + wait_ms;

	for (;;) {
		long left;
		int ret = pmnl_events_process(q, take_event, e);

		if (ret)
			return ret == 1 ? 0 : ret;
		left = end - now_ms();
		if (left <= 0 || pmnl_events_wait(q, left) == 0)
			return -ETIMEDOUT;
	}
}

/* The next event must come within EVENT_WAIT_MS and be a @want. */
#define NEXT_EVENT(want) do {						\
	int __ret = next_event(&self->q, EVENT_WAIT_MS, &e);		\
									\
	ASSERT_EQ(0, __ret)						\
		TH_LOG("no %s event within %d ms (%s)", event_name(want), \
		       EVENT_WAIT_MS, strerror(-__ret));		\
	ASSERT_EQ(want, e.cmd)						\
		TH_LOG("expected %s, got %s (node %llx)", event_name(want), \
		       event_name(e.cmd), (unsigned long long)e.node); \
} while (0)

/* No event at all for @ms. */
#define NO_EVENT(ms) do {						\
	int __ret = next_event(&self->q, (ms), &e);			\
									\
	EXPECT_EQ(-ETIMEDOUT, __ret)					\
		TH_LOG("unexpected %s (node %llx)", __ret ? "error" :	\
		       event_name(e.cmd), (unsigned long long)e.node);	\
} while (0)

/*
 * A direct neighbour's neigh-up and node-join, in either order, into @up
 * and @join: its announcement may arrive between the beacon that makes it
 * a station and the hello round that reports the station up (on a slow
 * kernel, the debug one, it sometimes does).
 */
#define NEXT_UP_AND_JOIN(up, join) do {					\
	int __i, __ret;							\
									\
	(up).cmd = 0;							\
	(join).cmd = 0;							\
	for (__i = 0; __i < 2; __i++) {					\
		__ret = next_event(&self->q, EVENT_WAIT_MS, &e);	\
		ASSERT_EQ(0, __ret)					\
			TH_LOG("no neigh-up or node-join within %d ms (%s)", \
			       EVENT_WAIT_MS, strerror(-__ret));	\
		if (e.cmd == PMESH_CMD_NEIGH_UP_NTF && !(up).cmd) {	\
			(up) = e;					\
		} else if (e.cmd == PMESH_CMD_NODE_JOIN_NTF && !(join).cmd) { \
			(join) = e;					\
		} else {						\
			ASSERT_EQ(0, e.cmd)				\
				TH_LOG("expected neigh-up and node-join, got %s (node %llx)", \
				       event_name(e.cmd),		\
				       (unsigned long long)e.node);	\
		}							\
	}								\
} while (0)

/*
 * Mesh @id with node id @node, hellos every 200 ms, the dead and announce
 * intervals given; 0 or -errno.
 */
static int mesh_new(struct pmnl *nl, __u32 id, __u64 node, __u32 dead_ms,
		    __u32 announce_ms)
{
	struct nl_msg *msg = pmnl_msg(nl, PMESH_CMD_MESH_NEW, 0);
	struct pmnl_err err;

	if (!msg || nla_put_u32(msg, PMESH_A_MESH_ID, id) ||
	    nla_put_u64(msg, PMESH_A_MESH_NODE_ID, node) ||
	    nla_put_u32(msg, PMESH_A_MESH_HELLO_INTERVAL, 200) ||
	    nla_put_u32(msg, PMESH_A_MESH_DEAD_INTERVAL, dead_ms) ||
	    nla_put_u32(msg, PMESH_A_MESH_ANNOUNCE_INTERVAL, announce_ms))
		return -ENOMEM;
	return pmnl_run(nl, msg, NULL, NULL, &err);
}

/* link-new or link-del of mesh @id on a device, by @ifindex or else @ifname. */
static int link_op(struct pmnl *nl, __u8 cmd, __u32 id, __u32 ifindex,
		   const char *ifname)
{
	struct nl_msg *msg = pmnl_msg(nl, cmd, 0);
	struct pmnl_err err;

	if (!msg || nla_put_u32(msg, PMESH_A_LINK_MESH_ID, id) ||
	    (ifindex && nla_put_u32(msg, PMESH_A_LINK_IFINDEX, ifindex)) ||
	    (!ifindex && nla_put_string(msg, PMESH_A_LINK_IFNAME, ifname)))
		return -ENOMEM;
	return pmnl_run(nl, msg, NULL, NULL, &err);
}

/**
 * struct link_info - what a link-get dump said of one device
 * @ifindex: the device to look for
 * @found: how many replies named it
 * @oper_up: its oper-up
 * @total: replies in all
 */
struct link_info {
	__u32 ifindex;
	int found;
	int oper_up;
	int total;
};

static int link_cb(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[PMESH_A_LINK_MAX + 1];
	struct link_info *l = arg;

	if (genlmsg_parse(nlh, 0, tb, PMESH_A_LINK_MAX, NULL) ||
	    !tb[PMESH_A_LINK_IFINDEX])
		return -EBADMSG;
	l->total++;
	if (nla_get_u32(tb[PMESH_A_LINK_IFINDEX]) != l->ifindex)
		return 0;
	l->found++;
	l->oper_up = tb[PMESH_A_LINK_OPER_UP] ?
		     nla_get_u8(tb[PMESH_A_LINK_OPER_UP]) : -1;
	return 0;
}

/* Dump the links of mesh @id, or of every mesh if @id is 0. */
static int link_get(struct pmnl *nl, __u32 id, struct link_info *l)
{
	struct nl_msg *msg = pmnl_msg(nl, PMESH_CMD_LINK_GET, NLM_F_DUMP);
	struct pmnl_err err;

	l->found = l->total = 0;
	l->oper_up = -1;
	if (!msg || (id && nla_put_u32(msg, PMESH_A_LINK_MESH_ID, id)))
		return -ENOMEM;
	return pmnl_run(nl, msg, link_cb, l, &err);
}

static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/*
 * The test process is in A (unshared), where it listens; B is a named
 * namespace, configured through a netlink socket opened there. A's va
 * (02:00:00:00:00:0a) and B's vb (02:00:00:00:00:0b) are a veth pair.
 */
FIXTURE(ev) {
	char b_name[32];
	int a_ns;
	int a_ifindex;
	struct pmnl a;
	struct pmnl b;
	struct pmnl q;
};

FIXTURE_SETUP(ev)
{
	char path[64];
	int b_ns;

	self->a.sk = self->b.sk = self->q.sk = NULL;
	snprintf(self->b_name, sizeof(self->b_name), "pmev%d", getpid());
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	self->a_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->a_ns);
	ASSERT_EQ(0, sh("ip link set lo up && ip netns add %s", self->b_name));
	ASSERT_EQ(0, sh("ip link add va address 02:00:00:00:00:0a type veth "
			"peer name vb address 02:00:00:00:00:0b netns %s && "
			"ip link set va up && ip -n %s link set vb up",
			self->b_name, self->b_name));
	self->a_ifindex = if_nametoindex("va");
	ASSERT_NE(0, self->a_ifindex);

	snprintf(path, sizeof(path), "/var/run/netns/%s", self->b_name);
	b_ns = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, b_ns);
	ASSERT_EQ(0, setns(b_ns, CLONE_NEWNET));
	close(b_ns);
	ASSERT_EQ(0, pmnl_open(&self->b)) TH_LOG("pmesh module not loaded");
	ASSERT_EQ(0, setns(self->a_ns, CLONE_NEWNET));
	ASSERT_EQ(0, pmnl_open(&self->a));
	ASSERT_EQ(0, pmnl_events_open(&self->q));
}

FIXTURE_TEARDOWN(ev)
{
	pmnl_close(&self->q);
	if (self->a.sk)
		pmnl_close(&self->a);
	if (self->b.sk)
		pmnl_close(&self->b);
	sh("ip netns del %s 2>/dev/null", self->b_name);
}

/*
 * mesh add, link add; B's mesh and link: its first beacon makes it a
 * neighbour, its announcement a member; B deletes its mesh: its goodbye
 * makes it leave at once, and, straight from a neighbour, go down; link
 * del; mesh del.
 */
TEST_F_TIMEOUT(ev, scripted_sequence, 90)
{
	struct event e, up = {}, join = {};

	ASSERT_EQ(0, mesh_new(&self->a, MESH, NODE_A, 3000, 500));
	NEXT_EVENT(PMESH_CMD_MESH_ADD_NTF);
	EXPECT_EQ(MESH, e.mesh);
	EXPECT_EQ(NODE_A, e.node);

	ASSERT_EQ(0, link_op(&self->a, PMESH_CMD_LINK_NEW, MESH, self->a_ifindex, NULL));
	NEXT_EVENT(PMESH_CMD_LINK_ADD_NTF);
	EXPECT_EQ(MESH, e.mesh);
	EXPECT_EQ(self->a_ifindex, e.ifindex);
	EXPECT_STREQ("va", e.ifname);
	EXPECT_EQ(1500, e.mtu);
	EXPECT_EQ(1, e.oper_up);

	/* B's side says nothing here but what A hears of B. */
	ASSERT_EQ(0, mesh_new(&self->b, MESH, NODE_B, 3000, 500));
	ASSERT_EQ(0, link_op(&self->b, PMESH_CMD_LINK_NEW, MESH, 0, "vb"));
	NEXT_UP_AND_JOIN(up, join);
	EXPECT_EQ(MESH, up.mesh);
	EXPECT_EQ(NODE_B, up.node);
	EXPECT_EQ(self->a_ifindex, up.ifindex);
	ASSERT_EQ(6, up.lladdr_len);
	EXPECT_EQ(0, memcmp(mac_b, up.lladdr, 6));
	EXPECT_FALSE(up.has_addr);
	EXPECT_EQ(MESH, join.mesh);
	EXPECT_EQ(NODE_B, join.node);
	EXPECT_EQ(1, join.hops);
	EXPECT_EQ(-1, join.reason);

	ASSERT_EQ(0, pmesh_mesh_del(&self->b, MESH));
	NEXT_EVENT(PMESH_CMD_NODE_LEAVE_NTF);
	EXPECT_EQ(MESH, e.mesh);
	EXPECT_EQ(NODE_B, e.node);
	EXPECT_EQ(PMESH_LEAVE_REASON_GOODBYE, e.reason);
	NEXT_EVENT(PMESH_CMD_NEIGH_DOWN_NTF);
	EXPECT_EQ(MESH, e.mesh);
	EXPECT_EQ(NODE_B, e.node);
	EXPECT_EQ(self->a_ifindex, e.ifindex);
	ASSERT_EQ(6, e.lladdr_len);
	EXPECT_EQ(0, memcmp(mac_b, e.lladdr, 6));

	ASSERT_EQ(0, link_op(&self->a, PMESH_CMD_LINK_DEL, MESH, self->a_ifindex, NULL));
	NEXT_EVENT(PMESH_CMD_LINK_DEL_NTF);
	EXPECT_EQ(MESH, e.mesh);
	EXPECT_EQ(self->a_ifindex, e.ifindex);

	ASSERT_EQ(0, pmesh_mesh_del(&self->a, MESH));
	NEXT_EVENT(PMESH_CMD_MESH_DEL_NTF);
	EXPECT_EQ(MESH, e.mesh);
	EXPECT_EQ(NODE_A, e.node);

	NO_EVENT(1000);
}

/*
 * The device goes admin down: its station is down at once (long before the
 * dead interval of 20 s), and with no neighbour left, every node leaves as
 * unreachable; the link stays, not up. Up again: the station's next beacon
 * brings it back, its next announcement makes it a member. Deleting the
 * mesh says mesh-del and nothing else, its link included.
 */
TEST_F_TIMEOUT(ev, device_down_and_up, 90)
{
	struct link_info l = { .ifindex = self->a_ifindex };
	struct event e, up = {}, join = {};
	long t;

	ASSERT_EQ(0, mesh_new(&self->a, MESH, NODE_A, 20000, 500));
	ASSERT_EQ(0, link_op(&self->a, PMESH_CMD_LINK_NEW, MESH, self->a_ifindex, NULL));
	ASSERT_EQ(0, mesh_new(&self->b, MESH, NODE_B, 20000, 500));
	ASSERT_EQ(0, link_op(&self->b, PMESH_CMD_LINK_NEW, MESH, 0, "vb"));
	NEXT_EVENT(PMESH_CMD_MESH_ADD_NTF);
	NEXT_EVENT(PMESH_CMD_LINK_ADD_NTF);
	NEXT_UP_AND_JOIN(up, join);
	EXPECT_EQ(NODE_B, up.node);
	EXPECT_EQ(NODE_B, join.node);

	t = now_ms();
	ASSERT_EQ(0, sh("ip link set va down"));
	NEXT_EVENT(PMESH_CMD_NEIGH_DOWN_NTF);
	EXPECT_EQ(NODE_B, e.node);
	EXPECT_EQ(self->a_ifindex, e.ifindex);
	EXPECT_EQ(0, memcmp(mac_b, e.lladdr, 6));
	EXPECT_GT(5000, now_ms() - t) TH_LOG("neigh-down not at once");
	NEXT_EVENT(PMESH_CMD_NODE_LEAVE_NTF);
	EXPECT_EQ(NODE_B, e.node);
	EXPECT_EQ(PMESH_LEAVE_REASON_UNREACHABLE, e.reason);
	ASSERT_EQ(0, link_get(&self->a, MESH, &l));
	EXPECT_EQ(1, l.found);
	EXPECT_EQ(0, l.oper_up);

	ASSERT_EQ(0, sh("ip link set va up"));
	NEXT_UP_AND_JOIN(up, join);
	EXPECT_EQ(NODE_B, up.node);
	EXPECT_EQ(0, memcmp(mac_b, up.lladdr, 6));
	EXPECT_EQ(NODE_B, join.node);
	EXPECT_EQ(1, join.hops);
	ASSERT_EQ(0, link_get(&self->a, MESH, &l));
	EXPECT_EQ(1, l.oper_up);

	ASSERT_EQ(0, pmesh_mesh_del(&self->a, MESH));
	NEXT_EVENT(PMESH_CMD_MESH_DEL_NTF);
	EXPECT_EQ(MESH, e.mesh);
	NO_EVENT(1000);
	ASSERT_EQ(0, link_get(&self->a, 0, &l));
	EXPECT_EQ(0, l.total);
}

TEST_HARNESS_MAIN
