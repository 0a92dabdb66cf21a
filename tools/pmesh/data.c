// SPDX-License-Identifier: GPL-2.0
/*
 * pmesh send and pmesh recv: datagrams from the command line, through the
 * socket API like any application.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include <linux/pmesh.h>

#include "family.h"
#include "pmesh.h"

void send_usage(void)
{
	fputs("Usage: pmesh send ID CHANNEL [ TEXT ]\n"
	      "\n"
	      "Floods TEXT as one datagram to CHANNEL of mesh ID; without TEXT,\n"
	      "each line of standard input is one datagram.\n",
	      stdout);
}

void recv_usage(void)
{
	fputs("Usage: pmesh recv ID CHANNEL [ count N ] [ timeout SEC ]\n"
	      "\n"
	      "Binds to CHANNEL of mesh ID and prints each datagram: its origin,\n"
	      "the hops it travelled, its sequence number and its payload. Stops\n"
	      "after N datagrams, or after SEC seconds (an error if fewer than N\n"
	      "arrived by then).\n",
	      stdout);
}

static int open_socket(void)
{
	int fd = socket(pmesh_family(), SOCK_DGRAM, 0);

	if (fd < 0 && errno == EAFNOSUPPORT)
		return error("the pmesh module is not loaded");
	if (fd < 0)
		return error("socket: %s", strerror(errno));
	return fd;
}

static int parse_dest(int argc, char **argv, struct sockaddr_pmesh *a)
{
	uint64_t id, ch;

	if (argc < 2)
		return error("mesh id and channel are needed; try \"pmesh %s help\"",
			     "send");
	if (parse_u64("mesh id", argv[0], 10, UINT32_MAX, &id) ||
	    parse_u64("channel", argv[1], 10, UINT16_MAX, &ch))
		return -1;
	if (!ch)
		return error("channel 0 is not a channel (1..65535)");
	memset(a, 0, sizeof(*a));
	a->spm_family = pmesh_family();
	a->spm_mesh = id;
	a->spm_port = ch;
	return 0;
}

static int send_one(int fd, const struct sockaddr_pmesh *to, const char *buf,
		    size_t len)
{
	if (sendto(fd, buf, len, 0, (const struct sockaddr *)to, sizeof(*to)) >= 0)
		return 0;
	if (errno == ENONET)
		return error("mesh %u does not exist", to->spm_mesh);
	if (errno == EMSGSIZE)
		return error("a datagram of %zu bytes is larger than mesh %u allows (max-dgram)",
			     len, to->spm_mesh);
	return error("send: %s", strerror(errno));
}

int send_main(int argc, char **argv)
{
	struct sockaddr_pmesh to;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int fd, ret = 0;

	if (argc > 0 && !strcmp(argv[0], "help")) {
		send_usage();
		return 0;
	}
	if (argc > 3)
		return error("send takes one TEXT; quote it");
	if (parse_dest(argc, argv, &to))
		return -1;
	fd = open_socket();
	if (fd < 0)
		return -1;
	if (argc == 3) {
		ret = send_one(fd, &to, argv[2], strlen(argv[2]));
	} else {
		while (!ret && (n = getline(&line, &cap, stdin)) >= 0) {
			if (n && line[n - 1] == '\n')
				line[--n] = 0;
			ret = send_one(fd, &to, line, n);
		}
		free(line);
	}
	close(fd);
	return ret;
}

/* Print a payload readably: printable ASCII as is, the rest as \xNN. */
static void print_payload(FILE *f, const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
			fputc(p[i], f);
		else
			fprintf(f, "\\x%02x", p[i]);
	}
}

/*
 * "origin NODE hops N seq N: PAYLOAD", or the same as a JSON object. The
 * kernel gives every caller with room for them both PMESH_HOPS and PMESH_SEQ.
 */
static void print_datagram(const struct sockaddr_pmesh *from,
			   unsigned int hops, uint64_t seq,
			   const unsigned char *buf, size_t n)
{
	char node[17], *text = NULL;
	size_t tlen = 0;
	FILE *t = open_memstream(&text, &tlen);

	if (!t)
		return;
	print_payload(t, buf, n);
	fclose(t);
	new_json_obj(false);
	open_json_object(NULL);
	print_string(PRINT_ANY, "origin", "origin %s",
		     node_hex(from->spm_node, node));
	print_uint(PRINT_ANY, "hops", " hops %" PRIu64, hops);
	print_uint(PRINT_ANY, "seq", " seq %" PRIu64, seq);
	print_uint(PRINT_JSON, "channel", NULL, from->spm_port);
	print_string(PRINT_ANY, "payload", ": %s", text);
	close_json_object();
	print_nl();
	delete_json_obj();
	free(text);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int recv_main(int argc, char **argv)
{
	static unsigned char buf[65536];
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(uint64_t))];
	} ctl;
	uint64_t count = 0, timeout = 0, got = 0;
	struct sockaddr_pmesh at;
	double deadline = 0;
	int fd, ret = 0;

	if (argc > 0 && !strcmp(argv[0], "help")) {
		recv_usage();
		return 0;
	}
	if (parse_dest(argc, argv, &at))
		return -1;
	for (int i = 2; i < argc; i += 2) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "count")) {
			if (parse_u64("count", val, 10, UINT32_MAX, &count))
				return -1;
		} else if (!strcmp(argv[i], "timeout")) {
			if (parse_u64("timeout", val, 10, 86400, &timeout))
				return -1;
		} else {
			return error("unknown argument \"%s\"; try \"pmesh recv help\"",
				     argv[i]);
		}
	}

	fd = open_socket();
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&at, sizeof(at))) {
		ret = errno == ENONET ? error("mesh %u does not exist", at.spm_mesh) :
					error("bind: %s", strerror(errno));
		close(fd);
		return ret;
	}
	if (timeout)
		deadline = now() + timeout;
	setvbuf(stdout, NULL, _IOLBF, 0);

	while (!count || got < count) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct iovec iov = { buf, sizeof(buf) };
		struct sockaddr_pmesh from;
		struct msghdr msg = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
		};
		int wait = -1, hops = -1;
		uint64_t seq = 0;
		ssize_t n;

		if (timeout) {
			double left = deadline - now();

			if (left <= 0)
				break;
			wait = left * 1000 + 1;
		}
		if (poll(&pfd, 1, wait) == 0)
			continue;
		n = recvmsg(fd, &msg, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = errno == ENONET ?
			      error("mesh %u was deleted", at.spm_mesh) :
			      error("recv: %s", strerror(errno));
			break;
		}
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			if (c->cmsg_level != SOL_PMESH)
				continue;
			if (c->cmsg_type == PMESH_HOPS)
				memcpy(&hops, CMSG_DATA(c), sizeof(hops));
			else if (c->cmsg_type == PMESH_SEQ)
				memcpy(&seq, CMSG_DATA(c), sizeof(seq));
		}
		got++;
		print_datagram(&from, hops, seq, buf, n);
	}
	if (!ret && count && got < count)
		ret = error("timed out after %" PRIu64 " of %" PRIu64 " datagrams",
			    got, count);
	close(fd);
	return ret;
}
