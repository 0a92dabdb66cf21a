// SPDX-License-Identifier: GPL-2.0
/*
 * pmbench - blast datagrams for a while, or count those that arrive, over
 * pmesh or over plain UDP, for side-by-side benchmarks (bench.sh).
 *
 *   pmbench send pmesh MESH CHANNEL SIZE SECONDS
 *   pmbench send udp ADDR PORT SIZE SECONDS
 *   pmbench recv pmesh MESH CHANNEL SECONDS
 *   pmbench recv udp PORT SECONDS
 *
 * send prints the datagrams it sent; recv prints the datagrams that arrived
 * between the first one and SECONDS later, and their rate.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include <linux/pmesh.h>

#include "family.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fputs("usage: pmbench send pmesh MESH CHANNEL SIZE SECONDS\n"
	      "       pmbench send udp ADDR PORT SIZE SECONDS\n"
	      "       pmbench recv pmesh MESH CHANNEL SECONDS\n"
	      "       pmbench recv udp PORT SECONDS\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	static char buf[65536];
	struct sockaddr_storage ss = {};
	struct sockaddr_pmesh *pm = (void *)&ss;
	struct sockaddr_in *in = (void *)&ss;
	socklen_t alen;
	bool pmesh, sending;
	double secs, end;
	long count = 0;
	size_t size = 0;
	int fd;

	if (argc < 5)
		return usage();
	sending = !strcmp(argv[1], "send");
	pmesh = !strcmp(argv[2], "pmesh");
	if (pmesh) {
		pm->spm_family = pmesh_family();
		pm->spm_mesh = atoi(argv[3]);
		pm->spm_port = atoi(argv[4]);
		alen = sizeof(*pm);
		fd = socket(pm->spm_family, SOCK_DGRAM, 0);
	} else {
		in->sin_family = AF_INET;
		if (sending) {
			inet_pton(AF_INET, argv[3], &in->sin_addr);
			in->sin_port = htons(atoi(argv[4]));
		} else {
			in->sin_port = htons(atoi(argv[3]));
		}
		alen = sizeof(*in);
		fd = socket(AF_INET, SOCK_DGRAM, 0);
	}
	if (fd < 0) {
		perror("socket");
		return 1;
	}

	if (sending) {
		int off = 0;

		if (argc != 7)
			return usage();
		size = atoi(argv[5]);
		secs = atof(argv[6]);
		if (pmesh)
			setsockopt(fd, SOL_PMESH, PMESH_LOOP, &off, sizeof(off));
		end = now() + secs;
		while (now() < end) {
			for (int i = 0; i < 64; i++)
				if (sendto(fd, buf, size, 0, (struct sockaddr *)&ss, alen) >= 0)
					count++;
		}
		printf("%ld\n", count);
		return 0;
	}

	secs = atof(argv[pmesh ? 5 : 4]);
	if (bind(fd, (struct sockaddr *)&ss, alen)) {
		perror("bind");
		return 1;
	}
	{
		int big = 4 << 20;

		setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	}
	/* Wait up to 30 s for the first datagram, then count for secs. */
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (poll(&pfd, 1, 30000) <= 0) {
		printf("0 0\n");
		return 1;
	}
	end = now() + secs;
	while (now() < end) {
		pfd.revents = 0;
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
			count++;
	}
	printf("%ld %.0f\n", count, count / secs);
	return 0;
}
