// SPDX-License-Identifier: GPL-2.0
/*
 * pmapp_sock: an AF_PMESH socket on one channel, and the datagrams it sends
 * and receives. See pmapp_sock.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "family.h"
#include "pmapp_proc.h"
#include "pmapp_sock.h"

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
