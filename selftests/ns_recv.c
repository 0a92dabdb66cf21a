// SPDX-License-Identifier: GPL-2.0
/*
 * ns_recv - one subscriber socket in each of many network namespaces, in
 * one process: what a test of hundreds of nodes needs, where each program
 * started in the test guest costs a tenth of a second and more.
 *
 *   ns_recv MESH CHANNEL COUNT TIMEOUT NETNS...
 *
 * Binds an AF_PMESH socket to MESH and CHANNEL in each NETNS (a name in
 * /run/netns), prints "ready" once all are bound, and reads until each has
 * received the datagrams "1" to "COUNT" or TIMEOUT seconds have passed.
 * Prints a line for each socket that missed one, got one twice, or got
 * something else, then "N sockets: M got all COUNT once". Exits 0 if every
 * socket got every datagram exactly once and nothing else, 1 otherwise.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "../tools/lib/family.h"

struct sub {
	const char *ns;
	int fd;
	unsigned int got, dups, bad;
	unsigned char *seen;
};

static int fail(const char *what, const char *ns)
{
	fprintf(stderr, "ns_recv: %s%s%s: %s\n", what, ns ? " in " : "",
		ns ? ns : "", strerror(errno));
	exit(1);
}

static void sub_open(struct sub *s, int fam, unsigned int mesh,
		     unsigned int chan, int home)
{
	struct sockaddr_pmesh a = { .spm_family = fam, .spm_port = chan,
				    .spm_mesh = mesh };
	int fd, size = 8 << 20;
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/run/netns/%s", s->ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		fail("cannot enter the namespace", s->ns);
	close(fd);
	/* A socket stays in the namespace it was made in. */
	s->fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		fail("socket", s->ns);
	/* Room for every datagram, should this process fall behind. */
	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		fail("SO_RCVBUFFORCE", s->ns);
	if (bind(s->fd, (struct sockaddr *)&a, sizeof(a)))
		fail("bind", s->ns);
	if (setns(home, CLONE_NEWNET))
		fail("cannot return to the first namespace", NULL);
}

/* Read what @s has; count each datagram "1".."count" once. */
static void sub_read(struct sub *s, unsigned int count)
{
	char buf[64], *end;
	unsigned long v;
	ssize_t n;

	while ((n = recv(s->fd, buf, sizeof(buf) - 1, 0)) >= 0) {
		buf[n] = '\0';
		errno = 0;
		v = strtoul(buf, &end, 10);
		if (errno || *end || end == buf || buf[0] < '1' || buf[0] > '9' ||
		    v > count) {
			s->bad++;
		} else if (s->seen[v - 1]) {
			s->dups++;
		} else {
			s->seen[v - 1] = 1;
			s->got++;
		}
	}
	if (errno != EAGAIN)
		fail("recv", s->ns);
}

/* A whole number in [@min, @max], or the program ends. */
static unsigned long number(const char *arg, unsigned long min,
			    unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || arg[0] == '+' ||
	    v < min || v > max) {
		fprintf(stderr, "ns_recv: \"%s\" is not a number in %lu..%lu\n",
			arg, min, max);
		exit(2);
	}
	return v;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned int mesh, chan, count, n, i, done, perfect = 0;
	struct pollfd *pfd;
	double deadline;
	struct sub *s;
	int home, fam;

	if (argc < 6) {
		fprintf(stderr, "usage: ns_recv MESH CHANNEL COUNT TIMEOUT NETNS...\n");
		return 2;
	}
	mesh = number(argv[1], 1, UINT32_MAX);
	chan = number(argv[2], 1, UINT16_MAX);
	count = number(argv[3], 1, 1 << 24);
	deadline = now() + number(argv[4], 1, 86400);
	n = argc - 5;
	s = calloc(n, sizeof(*s));
	pfd = calloc(n, sizeof(*pfd));
	if (!s || !pfd)
		fail("out of memory", NULL);
	fam = pmesh_family();
	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0)
		fail("cannot open this namespace", NULL);
	for (i = 0; i < n; i++) {
		s[i].ns = argv[5 + i];
		s[i].seen = calloc(count, 1);
		if (!s[i].seen)
			fail("out of memory", NULL);
		sub_open(&s[i], fam, mesh, chan, home);
		pfd[i] = (struct pollfd){ .fd = s[i].fd, .events = POLLIN };
	}
	printf("ready\n");
	fflush(stdout);

	do {
		if (poll(pfd, n, 100) < 0 && errno != EINTR)
			fail("poll", NULL);
		done = 0;
		for (i = 0; i < n; i++) {
			if (pfd[i].revents & (POLLERR | POLLHUP | POLLNVAL)) {
				errno = EIO;
				fail("the socket failed", s[i].ns);
			}
			if (pfd[i].revents & POLLIN)
				sub_read(&s[i], count);
			done += s[i].got == count;
		}
	} while (done < n && now() < deadline);
	/* Anything more that came: a late duplicate counts too. */
	for (i = 0; i < n; i++) {
		sub_read(&s[i], count);
		if (s[i].got == count && !s[i].dups && !s[i].bad)
			perfect++;
		else
			printf("%s: %u of %u, %u twice, %u not ours\n",
			       s[i].ns, s[i].got, count, s[i].dups, s[i].bad);
	}
	printf("%u sockets: %u got all %u once\n", n, perfect, count);
	return perfect == n ? 0 : 1;
}
