// SPDX-License-Identifier: GPL-2.0
/*
 * The AF_PMESH socket API: create, bind, getsockname, release, and what
 * happens to a bound socket when its mesh or its namespace goes away.
 *
 * Every test runs in a network namespace of its own (the harness forks a
 * child per test, and the fixture unshares) with mesh 1 already created.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "pmesh_test.h"

#define MESH	1

FIXTURE(sock) {
	int fam;
	int fd;
	struct pmnl nl;
	struct pmesh_mesh_info mesh;
};

FIXTURE_SETUP(sock)
{
	self->fam = pmesh_family();
	ASSERT_GT(self->fam, 0) TH_LOG("pmesh module not loaded");
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, pmnl_open(&self->nl));
	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, MESH, 0));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, MESH, &self->mesh));
	self->fd = socket(self->fam, SOCK_DGRAM, 0);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(sock)
{
	if (self->fd >= 0)
		close(self->fd);
	pmnl_close(&self->nl);
}

static struct sockaddr_pmesh addr(int fam, __u32 mesh, __u16 chan)
{
	struct sockaddr_pmesh a = {
		.spm_family = fam,
		.spm_port = chan,
		.spm_mesh = mesh,
	};

	return a;
}

static int do_bind(int fd, struct sockaddr_pmesh a)
{
	return bind(fd, (struct sockaddr *)&a, sizeof(a));
}

TEST(family_parameter_read_only)
{
	struct stat st;

	ASSERT_EQ(0, stat("/sys/module/pmesh/parameters/family", &st));
	EXPECT_EQ(0444, st.st_mode & 0777);
	EXPECT_GT(pmesh_family(), 0);
}

TEST(create_dgram)
{
	int fd = socket(pmesh_family(), SOCK_DGRAM, 0);

	ASSERT_LE(0, fd);
	close(fd);
}

TEST(create_other_types_rejected)
{
	int types[] = { SOCK_STREAM, SOCK_SEQPACKET, SOCK_RAW, SOCK_RDM };

	for (unsigned int i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		EXPECT_EQ(-1, socket(pmesh_family(), types[i], 0));
		EXPECT_EQ(ESOCKTNOSUPPORT, errno);
	}
}

TEST(create_bad_protocol)
{
	EXPECT_EQ(-1, socket(pmesh_family(), SOCK_DGRAM, 1));
	EXPECT_EQ(EPROTONOSUPPORT, errno);
}

TEST_F(sock, bind_and_getsockname)
{
	struct sockaddr_pmesh got;
	socklen_t len = sizeof(got);

	ASSERT_EQ(0, do_bind(self->fd, addr(self->fam, MESH, 42)));
	ASSERT_EQ(0, getsockname(self->fd, (struct sockaddr *)&got, &len));
	EXPECT_EQ(sizeof(got), len);
	EXPECT_EQ(self->fam, got.spm_family);
	EXPECT_EQ(42, got.spm_port);
	EXPECT_EQ(MESH, got.spm_mesh);
	EXPECT_EQ(self->mesh.node_id, got.spm_node);
}

TEST_F(sock, getsockname_unbound)
{
	struct sockaddr_pmesh got;
	socklen_t len = sizeof(got);

	memset(&got, 0xff, sizeof(got));
	ASSERT_EQ(0, getsockname(self->fd, (struct sockaddr *)&got, &len));
	EXPECT_EQ(self->fam, got.spm_family);
	EXPECT_EQ(0, got.spm_port);
	EXPECT_EQ(0, got.spm_mesh);
	EXPECT_EQ(0, got.spm_node);
}

TEST_F(sock, getpeername_not_connected)
{
	struct sockaddr_pmesh got;
	socklen_t len = sizeof(got);

	EXPECT_EQ(-1, getpeername(self->fd, (struct sockaddr *)&got, &len));
	EXPECT_EQ(ENOTCONN, errno);
}

TEST_F(sock, bind_short_address)
{
	struct sockaddr_pmesh a = addr(self->fam, MESH, 42);

	EXPECT_EQ(-1, bind(self->fd, (struct sockaddr *)&a, sizeof(a) - 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, bind(self->fd, (struct sockaddr *)&a, sizeof(sa_family_t)));
	EXPECT_EQ(EINVAL, errno);
	/* Nothing changed: a correct bind still works. */
	EXPECT_EQ(0, do_bind(self->fd, a));
}

TEST_F(sock, bind_wrong_family)
{
	EXPECT_EQ(-1, do_bind(self->fd, addr(AF_INET, MESH, 42)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, do_bind(self->fd, addr(AF_UNSPEC, MESH, 42)));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(sock, bind_unknown_mesh)
{
	EXPECT_EQ(-1, do_bind(self->fd, addr(self->fam, MESH + 1, 42)));
	EXPECT_EQ(ENONET, errno);
}

TEST_F(sock, bind_channel_zero)
{
	EXPECT_EQ(-1, do_bind(self->fd, addr(self->fam, MESH, 0)));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(sock, bind_node_must_be_ours)
{
	struct sockaddr_pmesh a = addr(self->fam, MESH, 42);

	a.spm_node = self->mesh.node_id + 1;
	EXPECT_EQ(-1, do_bind(self->fd, a));
	EXPECT_EQ(EADDRNOTAVAIL, errno);
	a.spm_node = self->mesh.node_id;
	EXPECT_EQ(0, do_bind(self->fd, a));
}

TEST_F(sock, bind_twice)
{
	struct sockaddr_pmesh got;
	socklen_t len = sizeof(got);

	ASSERT_EQ(0, do_bind(self->fd, addr(self->fam, MESH, 42)));
	EXPECT_EQ(-1, do_bind(self->fd, addr(self->fam, MESH, 43)));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, getsockname(self->fd, (struct sockaddr *)&got, &len));
	EXPECT_EQ(42, got.spm_port);
}

TEST_F(sock, many_sockets_one_channel)
{
	int fds[64];

	for (int i = 0; i < 64; i++) {
		fds[i] = socket(self->fam, SOCK_DGRAM, 0);
		ASSERT_LE(0, fds[i]);
		ASSERT_EQ(0, do_bind(fds[i], addr(self->fam, MESH, 7)));
	}
	for (int i = 0; i < 64; i++)
		close(fds[i]);
}

TEST_F(sock, mesh_delete_with_bound_socket)
{
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	struct sockaddr_pmesh got;
	socklen_t len = sizeof(got);
	int soerr = 0;
	int other;

	ASSERT_EQ(0, do_bind(self->fd, addr(self->fam, MESH, 42)));
	ASSERT_EQ(0, pmesh_mesh_del(&self->nl, MESH));

	/* The socket is told, at once: poll wakes with an error, ENONET. */
	ASSERT_EQ(1, poll(&pfd, 1, 1000));
	EXPECT_TRUE(pfd.revents & POLLERR);
	len = sizeof(soerr);
	ASSERT_EQ(0, getsockopt(self->fd, SOL_SOCKET, SO_ERROR, &soerr, &len));
	EXPECT_EQ(ENONET, soerr);

	/* Its name stays what it was bound to. */
	len = sizeof(got);
	ASSERT_EQ(0, getsockname(self->fd, (struct sockaddr *)&got, &len));
	EXPECT_EQ(MESH, got.spm_mesh);

	/* Nobody binds to the deleted mesh; a new mesh of that id is new. */
	other = socket(self->fam, SOCK_DGRAM, 0);
	ASSERT_LE(0, other);
	EXPECT_EQ(-1, do_bind(other, addr(self->fam, MESH, 42)));
	EXPECT_EQ(ENONET, errno);
	EXPECT_EQ(-1, do_bind(self->fd, addr(self->fam, MESH, 42)));
	EXPECT_EQ(ENONET, errno);
	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, MESH, 0));
	EXPECT_EQ(0, do_bind(other, addr(self->fam, MESH, 42)));
	close(other);
}

/* After its mesh is deleted, a socket may bind again: failover. */
TEST_F(sock, rebind_after_mesh_delete)
{
	struct pmesh_mesh_info again;
	struct sockaddr_pmesh got;
	socklen_t len = sizeof(got);
	int soerr = -1;

	ASSERT_EQ(0, do_bind(self->fd, addr(self->fam, MESH, 42)));
	ASSERT_EQ(0, pmesh_mesh_del(&self->nl, MESH));
	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, MESH, 0));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, MESH, &again));
	ASSERT_EQ(0, do_bind(self->fd, addr(self->fam, MESH, 43)));
	ASSERT_EQ(0, getsockname(self->fd, (struct sockaddr *)&got, &len));
	EXPECT_EQ(43, got.spm_port);
	EXPECT_EQ(again.node_id, got.spm_node);
	/* The old mesh's error does not stick to the new binding. */
	len = sizeof(soerr);
	ASSERT_EQ(0, getsockopt(self->fd, SOL_SOCKET, SO_ERROR, &soerr, &len));
	EXPECT_EQ(0, soerr);
	/* Bound to a live mesh, it may not bind again. */
	EXPECT_EQ(-1, do_bind(self->fd, addr(self->fam, MESH, 44)));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(sock, meshes_are_per_namespace)
{
	int fd;

	/* Mesh 1 exists here; in a new namespace it does not. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	fd = socket(self->fam, SOCK_DGRAM, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, do_bind(fd, addr(self->fam, MESH, 42)));
	EXPECT_EQ(ENONET, errno);
	close(fd);
}

TEST_F(sock, namespace_gone_with_socket_open)
{
	int home = open("/proc/self/ns/net", O_RDONLY);
	struct sockaddr_pmesh got;
	socklen_t len = sizeof(got);
	struct pmnl nl;
	int fd;

	ASSERT_LE(0, home);
	/* A namespace of its own, a mesh and a bound socket in it... */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, pmnl_open(&nl));
	ASSERT_EQ(0, pmesh_mesh_add(&nl, 5, 0));
	pmnl_close(&nl);
	fd = socket(self->fam, SOCK_DGRAM, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, do_bind(fd, addr(self->fam, 5, 42)));

	/* ...then leave it: only the socket holds it now. */
	ASSERT_EQ(0, setns(home, CLONE_NEWNET));
	close(home);
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&got, &len));
	EXPECT_EQ(5, got.spm_mesh);
	/* Closing it tears the namespace and its mesh down. */
	EXPECT_EQ(0, close(fd));
}

TEST_F(sock, release_unbound_and_bound)
{
	int fd = socket(self->fam, SOCK_DGRAM, 0);

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, close(fd));
	ASSERT_EQ(0, do_bind(self->fd, addr(self->fam, MESH, 1)));
	EXPECT_EQ(0, close(self->fd));
	self->fd = -1;
	/* The mesh is untouched and can be deleted. */
	EXPECT_EQ(0, pmesh_mesh_del(&self->nl, MESH));
}

TEST_HARNESS_MAIN
