// SPDX-License-Identifier: GPL-2.0
/*
 * The socket API of the data path on one node: send, receive, the address
 * and control messages a receiver gets, the socket options, the flags and
 * the errors. Local sockets of the sender's own node get its datagrams
 * (PMESH_LOOP), so all of it can be checked without a network; flooding
 * between nodes is tested over namespaces by flood_test.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/sockios.h>

#include "kselftest_harness.h"
#include "pmesh_test.h"

#define MESH	1
#define CHAN	100

FIXTURE(dp) {
	int fam;
	int tx, rx;
	struct pmnl nl;
	struct pmesh_mesh_info mesh;
	struct sockaddr_pmesh to;
};

FIXTURE_SETUP(dp)
{
	self->fam = pmesh_family();
	ASSERT_GT(self->fam, 0) TH_LOG("pmesh module not loaded");
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, pmnl_open(&self->nl));
	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, MESH, 0));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, MESH, &self->mesh));
	memset(&self->to, 0, sizeof(self->to));
	self->to.spm_family = self->fam;
	self->to.spm_mesh = MESH;
	self->to.spm_port = CHAN;
	self->tx = socket(self->fam, SOCK_DGRAM, 0);
	self->rx = socket(self->fam, SOCK_DGRAM, 0);
	ASSERT_LE(0, self->tx);
	ASSERT_LE(0, self->rx);
	ASSERT_EQ(0, bind(self->rx, (struct sockaddr *)&self->to, sizeof(self->to)));
}

FIXTURE_TEARDOWN(dp)
{
	close(self->tx);
	close(self->rx);
	pmnl_close(&self->nl);
}

static ssize_t send_to(int fd, const struct sockaddr_pmesh *to, const void *buf,
		       size_t len)
{
	return sendto(fd, buf, len, 0, (const struct sockaddr *)to, sizeof(*to));
}

/* One datagram, its address and control messages. */
struct got {
	ssize_t n;
	int flags;
	char buf[2048];
	struct sockaddr_pmesh from;
	socklen_t fromlen;
	int hops;
	__u64 seq;
	int n_cmsg;
};

static ssize_t recv_one(int fd, struct got *g, size_t len, int flags, bool ctl)
{
	union {
		struct cmsghdr align;
		char buf[256];
	} c;
	struct iovec iov = { g->buf, len };
	struct msghdr msg = {
		.msg_name = &g->from, .msg_namelen = sizeof(g->from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl ? c.buf : NULL,
		.msg_controllen = ctl ? sizeof(c.buf) : 0,
	};
	struct cmsghdr *cm;

	memset(&g->from, 0, sizeof(g->from));
	g->hops = -1;
	g->seq = 0;
	g->n_cmsg = 0;
	g->n = recvmsg(fd, &msg, flags);
	g->flags = msg.msg_flags;
	g->fromlen = msg.msg_namelen;
	for (cm = ctl ? CMSG_FIRSTHDR(&msg) : NULL; cm; cm = CMSG_NXTHDR(&msg, cm)) {
		g->n_cmsg++;
		if (cm->cmsg_level == SOL_PMESH && cm->cmsg_type == PMESH_HOPS)
			memcpy(&g->hops, CMSG_DATA(cm), sizeof(int));
		if (cm->cmsg_level == SOL_PMESH && cm->cmsg_type == PMESH_SEQ)
			memcpy(&g->seq, CMSG_DATA(cm), sizeof(__u64));
	}
	return g->n;
}

TEST_F(dp, send_and_receive)
{
	struct got g;

	ASSERT_EQ(5, send_to(self->tx, &self->to, "hello", 5));
	ASSERT_EQ(5, recv_one(self->rx, &g, sizeof(g.buf), 0, true));
	EXPECT_EQ(0, memcmp(g.buf, "hello", 5));
	EXPECT_EQ(sizeof(struct sockaddr_pmesh), g.fromlen);
	EXPECT_EQ(self->fam, g.from.spm_family);
	EXPECT_EQ(CHAN, g.from.spm_port);
	EXPECT_EQ(MESH, g.from.spm_mesh);
	EXPECT_EQ(self->mesh.node_id, g.from.spm_node);
	/* A local copy crossed no link. */
	EXPECT_EQ(0, g.hops);
	EXPECT_EQ(1, g.seq);
	EXPECT_EQ(0, g.flags & MSG_CTRUNC);
}

TEST_F(dp, sequence_numbers_count_up)
{
	struct got g;

	for (int i = 1; i <= 5; i++)
		ASSERT_EQ(1, send_to(self->tx, &self->to, "x", 1));
	for (__u64 i = 1; i <= 5; i++) {
		ASSERT_EQ(1, recv_one(self->rx, &g, sizeof(g.buf), 0, true));
		EXPECT_EQ(i, g.seq);
	}
}

TEST_F(dp, no_control_messages_without_room)
{
	struct got g;

	ASSERT_EQ(2, send_to(self->tx, &self->to, "hi", 2));
	ASSERT_EQ(2, recv_one(self->rx, &g, sizeof(g.buf), 0, false));
	EXPECT_EQ(0, g.flags & MSG_CTRUNC);
	EXPECT_EQ(0, g.n_cmsg);
}

TEST_F(dp, every_socket_gets_its_copy)
{
	int more[4];
	struct got g;

	for (int i = 0; i < 4; i++) {
		more[i] = socket(self->fam, SOCK_DGRAM, 0);
		ASSERT_EQ(0, bind(more[i], (struct sockaddr *)&self->to,
				  sizeof(self->to)));
	}
	ASSERT_EQ(3, send_to(self->tx, &self->to, "abc", 3));
	for (int i = 0; i < 4; i++) {
		ASSERT_EQ(3, recv_one(more[i], &g, sizeof(g.buf), MSG_DONTWAIT, false));
		close(more[i]);
	}
	ASSERT_EQ(3, recv_one(self->rx, &g, sizeof(g.buf), MSG_DONTWAIT, false));
	/* Once each. */
	EXPECT_EQ(-1, recv_one(self->rx, &g, sizeof(g.buf), MSG_DONTWAIT, false));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(dp, other_channels_get_nothing)
{
	struct sockaddr_pmesh other = self->to;
	struct got g;
	int fd = socket(self->fam, SOCK_DGRAM, 0);

	other.spm_port = CHAN + 1;
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&other, sizeof(other)));
	ASSERT_EQ(1, send_to(self->tx, &self->to, "x", 1));
	EXPECT_EQ(-1, recv_one(fd, &g, sizeof(g.buf), MSG_DONTWAIT, false));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

TEST_F(dp, loop_off)
{
	int off = 0, val = -1;
	socklen_t len = sizeof(val);
	struct got g;

	ASSERT_EQ(0, getsockopt(self->tx, SOL_PMESH, PMESH_LOOP, &val, &len));
	EXPECT_EQ(1, val);
	ASSERT_EQ(0, setsockopt(self->tx, SOL_PMESH, PMESH_LOOP, &off, sizeof(off)));
	ASSERT_EQ(0, getsockopt(self->tx, SOL_PMESH, PMESH_LOOP, &val, &len));
	EXPECT_EQ(0, val);
	ASSERT_EQ(1, send_to(self->tx, &self->to, "x", 1));
	EXPECT_EQ(-1, recv_one(self->rx, &g, sizeof(g.buf), MSG_DONTWAIT, false));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(dp, hoplimit_option)
{
	int val = -2;
	socklen_t len = sizeof(val);

	/* Unset, it is the mesh's. */
	ASSERT_EQ(0, getsockopt(self->rx, SOL_PMESH, PMESH_HOPLIMIT, &val, &len));
	EXPECT_EQ(PMESH_DEFAULT_HOPLIMIT, val);
	val = 3;
	ASSERT_EQ(0, setsockopt(self->rx, SOL_PMESH, PMESH_HOPLIMIT, &val, sizeof(val)));
	ASSERT_EQ(0, getsockopt(self->rx, SOL_PMESH, PMESH_HOPLIMIT, &val, &len));
	EXPECT_EQ(3, val);
	val = -1;
	ASSERT_EQ(0, setsockopt(self->rx, SOL_PMESH, PMESH_HOPLIMIT, &val, sizeof(val)));
	ASSERT_EQ(0, getsockopt(self->rx, SOL_PMESH, PMESH_HOPLIMIT, &val, &len));
	EXPECT_EQ(PMESH_DEFAULT_HOPLIMIT, val);
	for (int bad = -5; bad < 300; bad += 1) {
		if (bad == -1 || (bad >= 1 && bad <= 255))
			continue;
		EXPECT_EQ(-1, setsockopt(self->rx, SOL_PMESH, PMESH_HOPLIMIT,
					 &bad, sizeof(bad)));
		EXPECT_EQ(EINVAL, errno);
	}
	EXPECT_EQ(-1, setsockopt(self->rx, SOL_PMESH, PMESH_HOPLIMIT, &val, 2));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, setsockopt(self->rx, SOL_PMESH, 99, &val, sizeof(val)));
	EXPECT_EQ(ENOPROTOOPT, errno);
	EXPECT_EQ(-1, setsockopt(self->rx, SOL_IP, PMESH_HOPLIMIT, &val, sizeof(val)));
	EXPECT_EQ(ENOPROTOOPT, errno);
}

TEST_F(dp, send_errors)
{
	struct sockaddr_pmesh bad = self->to;
	static char big[PMESH_DEFAULT_MAX_DGRAM + 1];

	EXPECT_EQ(-1, send(self->tx, "x", 1, 0));
	EXPECT_EQ(EDESTADDRREQ, errno);
	bad.spm_mesh = MESH + 1;
	EXPECT_EQ(-1, send_to(self->tx, &bad, "x", 1));
	EXPECT_EQ(ENONET, errno);
	bad = self->to;
	bad.spm_port = 0;
	EXPECT_EQ(-1, send_to(self->tx, &bad, "x", 1));
	EXPECT_EQ(EINVAL, errno);
	bad = self->to;
	bad.spm_node = 5;
	EXPECT_EQ(-1, send_to(self->tx, &bad, "x", 1));
	EXPECT_EQ(EINVAL, errno);
	bad = self->to;
	bad.spm_family = AF_INET;
	EXPECT_EQ(-1, send_to(self->tx, &bad, "x", 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, sendto(self->tx, "x", 1, 0, (struct sockaddr *)&self->to,
			     sizeof(self->to) - 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, send_to(self->tx, &self->to, big, sizeof(big)));
	EXPECT_EQ(EMSGSIZE, errno);
	/* The largest allowed goes, and nothing refused went anywhere. */
	EXPECT_EQ(sizeof(big) - 1, send_to(self->tx, &self->to, big, sizeof(big) - 1));
	EXPECT_EQ(PMESH_DEFAULT_MAX_DGRAM, recv(self->rx, big, sizeof(big), MSG_DONTWAIT));
	EXPECT_EQ(-1, recv(self->rx, big, sizeof(big), MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(dp, connect_then_send)
{
	struct sockaddr_pmesh peer;
	socklen_t len = sizeof(peer);
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	struct got g;

	ASSERT_EQ(0, connect(self->tx, (struct sockaddr *)&self->to, sizeof(self->to)));
	ASSERT_EQ(0, getpeername(self->tx, (struct sockaddr *)&peer, &len));
	EXPECT_EQ(CHAN, peer.spm_port);
	EXPECT_EQ(MESH, peer.spm_mesh);
	ASSERT_EQ(4, send(self->tx, "ping", 4, 0));
	ASSERT_EQ(4, recv_one(self->rx, &g, sizeof(g.buf), 0, false));
	ASSERT_EQ(0, connect(self->tx, &unspec, sizeof(unspec)));
	EXPECT_EQ(-1, send(self->tx, "ping", 4, 0));
	EXPECT_EQ(EDESTADDRREQ, errno);
	self->to.spm_mesh = 77;
	EXPECT_EQ(-1, connect(self->tx, (struct sockaddr *)&self->to, sizeof(self->to)));
	EXPECT_EQ(ENONET, errno);
}

TEST_F(dp, truncation_and_peek)
{
	struct got g;
	int inq = -1;

	ASSERT_EQ(10, send_to(self->tx, &self->to, "0123456789", 10));
	ASSERT_EQ(0, ioctl(self->rx, SIOCINQ, &inq));
	EXPECT_EQ(10, inq);
	ASSERT_EQ(4, recv_one(self->rx, &g, 4, MSG_PEEK, false));
	EXPECT_EQ(MSG_TRUNC, g.flags & MSG_TRUNC);
	/* MSG_TRUNC asks for the real length. */
	ASSERT_EQ(10, recv_one(self->rx, &g, 4, MSG_PEEK | MSG_TRUNC, false));
	ASSERT_EQ(10, recv_one(self->rx, &g, sizeof(g.buf), 0, false));
	EXPECT_EQ(0, memcmp(g.buf, "0123456789", 10));
	EXPECT_EQ(0, g.flags & MSG_TRUNC);
	ASSERT_EQ(0, ioctl(self->rx, SIOCINQ, &inq));
	EXPECT_EQ(0, inq);
	EXPECT_EQ(-1, recv_one(self->rx, &g, 4, MSG_OOB, false));
	EXPECT_EQ(EOPNOTSUPP, errno);
}

TEST_F(dp, zero_length_datagram)
{
	struct got g;

	ASSERT_EQ(0, send_to(self->tx, &self->to, "", 0));
	ASSERT_EQ(0, recv_one(self->rx, &g, sizeof(g.buf), MSG_DONTWAIT, true));
	EXPECT_EQ(1, g.seq);
}

TEST_F(dp, nonblocking_and_poll)
{
	struct pollfd pfd = { .fd = self->rx, .events = POLLIN };
	struct epoll_event ev = { .events = EPOLLIN }, out;
	int ep = epoll_create1(0);
	struct got g;

	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->rx, &ev));
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	EXPECT_EQ(0, epoll_wait(ep, &out, 1, 0));
	fcntl(self->rx, F_SETFL, O_NONBLOCK);
	EXPECT_EQ(-1, recv_one(self->rx, &g, sizeof(g.buf), 0, false));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(1, send_to(self->tx, &self->to, "x", 1));
	EXPECT_EQ(1, poll(&pfd, 1, 1000));
	EXPECT_TRUE(pfd.revents & POLLIN);
	EXPECT_EQ(1, epoll_wait(ep, &out, 1, 1000));
	EXPECT_EQ(1, recv_one(self->rx, &g, sizeof(g.buf), 0, false));
	close(ep);
}

static void *send_later(void *arg)
{
	int *fds = arg;

	usleep(200000);
	send(fds[0], "late", 4, 0);
	return NULL;
}

TEST_F(dp, blocking_recv_wakes)
{
	int fds[1] = { self->tx };
	struct got g;
	pthread_t t;

	ASSERT_EQ(0, connect(self->tx, (struct sockaddr *)&self->to, sizeof(self->to)));
	ASSERT_EQ(0, pthread_create(&t, NULL, send_later, fds));
	EXPECT_EQ(4, recv_one(self->rx, &g, sizeof(g.buf), 0, false));
	pthread_join(t, NULL);
}

static void *delete_later(void *arg)
{
	struct pmnl *nl = arg;

	usleep(200000);
	pmesh_mesh_del(nl, MESH);
	return NULL;
}

TEST_F(dp, mesh_delete_wakes_blocked_reader)
{
	struct got g;
	pthread_t t;

	ASSERT_EQ(0, pthread_create(&t, NULL, delete_later, &self->nl));
	EXPECT_EQ(-1, recv_one(self->rx, &g, sizeof(g.buf), 0, false));
	EXPECT_EQ(ENONET, errno);
	pthread_join(t, NULL);
	EXPECT_EQ(-1, send_to(self->tx, &self->to, "x", 1));
	EXPECT_EQ(ENONET, errno);
}

TEST_F(dp, receive_buffer_overflow_is_counted)
{
	int small = 4096, one = 1, sent = 0;
	struct pmesh_mesh_info m;
	char buf[1000] = {};
	union {
		struct cmsghdr align;
		char b[64];
	} c;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = c.b, .msg_controllen = sizeof(c.b),
	};
	struct cmsghdr *cm;
	__u32 dropped = 0;
	int got = 0, lost;

	ASSERT_EQ(0, setsockopt(self->rx, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)));
	ASSERT_EQ(0, setsockopt(self->rx, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one)));
	for (int i = 0; i < 50; i++)
		sent += send_to(self->tx, &self->to, buf, sizeof(buf)) == sizeof(buf);
	ASSERT_EQ(50, sent);
	while (recvmsg(self->rx, &msg, MSG_DONTWAIT) > 0) {
		got++;
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
			if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SO_RXQ_OVFL)
				memcpy(&dropped, CMSG_DATA(cm), sizeof(dropped));
		msg.msg_controllen = sizeof(c.b);
	}
	EXPECT_LT(0, got);
	EXPECT_GT(50, got);
	lost = 50 - got;
	/* A datagram carries the drops counted before it was queued. */
	ASSERT_EQ(1, send_to(self->tx, &self->to, buf, 1));
	ASSERT_EQ(1, recvmsg(self->rx, &msg, MSG_DONTWAIT));
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SO_RXQ_OVFL)
			memcpy(&dropped, CMSG_DATA(cm), sizeof(dropped));
	EXPECT_EQ(lost, dropped);
	got++;
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, MESH, &m));
	EXPECT_EQ(lost, m.stats[PMESH_A_STATS_SOCK_OVERFLOW]);
	EXPECT_EQ(got, m.stats[PMESH_A_STATS_DELIVERED]);
	EXPECT_EQ(51, m.stats[PMESH_A_STATS_SENT]);
}

TEST_F(dp, mesh_max_dgram_applies)
{
	struct nl_msg *msg = pmnl_msg(&self->nl, PMESH_CMD_MESH_SET, 0);
	struct pmnl_err err;
	char buf[101] = {};

	nla_put_u32(msg, PMESH_A_MESH_ID, MESH);
	nla_put_u32(msg, PMESH_A_MESH_MAX_DGRAM, 100);
	ASSERT_EQ(0, pmnl_run(&self->nl, msg, NULL, NULL, &err));
	EXPECT_EQ(-1, send_to(self->tx, &self->to, buf, 101));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(100, send_to(self->tx, &self->to, buf, 100));
}

TEST_HARNESS_MAIN
