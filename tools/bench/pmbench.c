// SPDX-License-Identifier: GPL-2.0
/*
 * pmbench - blast datagrams for a while, or count those that arrive, over
 * pmesh or over plain UDP, for side-by-side benchmarks (bench.sh).
 *
 *   pmbench send pmesh MESH CHANNEL SIZE SECONDS
 *   pmbench send udp ADDR PORT SIZE SECONDS
 *   pmbench recv pmesh MESH CHANNEL SECONDS
 *   pmbench recv udp PORT SECONDS
 *   pmbench forge SRC DST PORT MESH IDS N SEQ ROUNDS SECONDS
 *   pmbench slab CACHE
 *   pmbench teardown PID CACHE COUNT SECONDS
 *
 * send prints the datagrams it sent; recv prints the datagrams that arrived
 * between the first one and SECONDS later, and their rate.
 *
 * forge is a forger with no mesh: from a plain UDP socket bound to SRC port
 * 7788 (a configured peer of the mesh at DST) it sends prebuilt data frames
 * of mesh MESH to DST:PORT, ttl 1, channel 3, 8-byte payload, from N
 * distinct origins: IDS "collide" picks ids that all share one bucket of
 * the unkeyed table the module once had (hash_64(id, 10), 1024 buckets),
 * "random" ids from a fixed pseudo-random sequence. Round r sends one frame
 * per origin with sequence number SEQ + r, so after the first round every
 * frame is a lookup of a known origin and a new datagram. It stops after
 * ROUNDS rounds or SECONDS seconds, whichever is first, and prints "FRAMES
 * BUSY TOTAL NEXT": frames sent, the busy and the whole CPU time of all
 * CPUs while sending, in seconds (jiffies of /proc/stat), and the sequence
 * number to go on from.
 *
 * slab prints the active objects of the slab cache CACHE, its per-CPU slabs
 * flushed first (/sys/kernel/slab/CACHE/shrink): without that, the free
 * objects of a CPU's current slab count as active in /proc/slabinfo.
 *
 * teardown kills PID (the last process in a network namespace), then polls
 * like slab every 2 ms until CACHE has at most COUNT active objects, and
 * prints the milliseconds from the kill to the first poll that saw it and
 * the polls made; it fails after SECONDS.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/types.h>

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
	      "       pmbench recv udp PORT SECONDS\n"
	      "       pmbench forge SRC DST PORT MESH {collide|random} N SEQ ROUNDS SECONDS\n"
	      "       pmbench slab CACHE\n"
	      "       pmbench teardown PID CACHE COUNT SECONDS\n", stderr);
	return 2;
}

/* Busy and all jiffies of all CPUs so far, from the "cpu" line of /proc/stat. */
static void cpu_jiffies(unsigned long long *busy, unsigned long long *total)
{
	unsigned long long v[10] = {};
	FILE *f = fopen("/proc/stat", "r");

	*busy = *total = 0;
	if (!f)
		return;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
		   &v[8], &v[9]) >= 8) {
		/* user nice system idle iowait irq softirq steal; guest is in user */
		*busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
		*total = *busy + v[3] + v[4];
	}
	fclose(f);
}

#define GOLDEN_RATIO_64 0x61C8864680B583EBull
#define FORGE_HDR 48
#define FORGE_PAYLOAD 8
#define FORGE_BATCH 64

static void put_be(unsigned char *p, uint64_t v, int n)
{
	while (n--) {
		p[n] = v & 0xff;
		v >>= 8;
	}
}

static int forge(int argc, char **argv)
{
	unsigned long long b0, t0, b1, t1;
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = htons(7788) };
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct mmsghdr msg[FORGE_BATCH];
	struct iovec iov[FORGE_BATCH];
	unsigned char (*frame)[FORGE_HDR + FORGE_PAYLOAD];
	uint64_t id, x = 0x9E3779B97F4A7C15ull, seq, rounds, r;
	long hz = sysconf(_SC_CLK_TCK);
	uint32_t mesh;
	bool collide;
	long n, i, sent = 0;
	double end;
	int fd;

	if (argc != 11)
		return usage();
	if (inet_pton(AF_INET, argv[2], &src.sin_addr) != 1 ||
	    inet_pton(AF_INET, argv[3], &dst.sin_addr) != 1)
		return usage();
	dst.sin_port = htons(atoi(argv[4]));
	mesh = strtoul(argv[5], NULL, 10);
	collide = !strcmp(argv[6], "collide");
	if (!collide && strcmp(argv[6], "random"))
		return usage();
	n = atol(argv[7]);
	seq = strtoull(argv[8], NULL, 10);
	rounds = strtoull(argv[9], NULL, 10);
	end = now() + atof(argv[10]);
	if (n < 1)
		return usage();

	frame = calloc(n, sizeof(*frame));
	if (!frame)
		return 1;
	/* Ids 0 (none) and 1 (the receiver's own) are not origins a peer may use. */
	id = 1;
	for (i = 0; i < n; i++) {
		unsigned char *f = frame[i];

		if (collide) {
			/* The next id in bucket 0 of hash_64(id, 10). */
			do
				id++;
			while ((id * GOLDEN_RATIO_64) >> 54);
		} else {
			do {
				/* xorshift64 */
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				id = x;
			} while (id < 2);
		}
		f[0] = 1;			/* version */
		f[1] = 0;			/* data */
		f[2] = 0;			/* flags */
		f[3] = FORGE_HDR / 4;		/* header words */
		f[4] = 1;			/* ttl: goes no further */
		f[5] = 1;			/* hops */
		put_be(f + 6, 3, 2);		/* channel */
		put_be(f + 8, mesh, 4);
		put_be(f + 12, FORGE_PAYLOAD, 2);
		put_be(f + 16, id, 8);		/* origin */
		put_be(f + 24, 5, 4);		/* epoch */
		put_be(f + 40, 0x77, 8);	/* sender */
	}

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&src, sizeof(src))) {
		perror("forge: socket");
		return 1;
	}
	memset(msg, 0, sizeof(msg));
	for (i = 0; i < FORGE_BATCH; i++) {
		msg[i].msg_hdr.msg_name = &dst;
		msg[i].msg_hdr.msg_namelen = sizeof(dst);
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
		iov[i].iov_len = FORGE_HDR + FORGE_PAYLOAD;
	}

	cpu_jiffies(&b0, &t0);
	for (r = 0; r < rounds && now() < end; r++, seq++) {
		for (i = 0; i < n; ) {
			long k, b = n - i < FORGE_BATCH ? n - i : FORGE_BATCH;
			int m;

			for (k = 0; k < b; k++) {
				put_be(frame[i + k] + 32, seq, 8);
				iov[k].iov_base = frame[i + k];
			}
			m = sendmmsg(fd, msg, b, 0);
			if (m < 0) {
				if ((errno == ENOBUFS || errno == EAGAIN) && now() < end)
					continue;
				perror("forge: sendmmsg");
				return 1;
			}
			sent += m;
			i += m;
			/* Past the time: this round stops here. */
			if (now() >= end)
				break;
		}
	}
	cpu_jiffies(&b1, &t1);
	printf("%ld %.2f %.2f %" PRIu64 "\n", sent, (double)(b1 - b0) / hz,
	       (double)(t1 - t0) / hz, seq);
	return 0;
}

/* Active objects of slab cache @cache, its per-CPU slabs flushed first; -1 if none. */
static long slab_active(const char *cache)
{
	char path[256], line[512], name[128];
	long active = -1, a;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink", cache);
	f = fopen(path, "w");
	if (f) {
		fputs("1", f);
		fclose(f);
	}
	f = fopen("/proc/slabinfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %ld", name, &a) == 2 && !strcmp(name, cache)) {
			active = a;
			break;
		}
	fclose(f);
	return active;
}

static int teardown(int argc, char **argv)
{
	long count, polls = 0, a;
	double t0, end;
	pid_t pid;

	if (argc != 6)
		return usage();
	pid = atoi(argv[2]);
	count = atol(argv[4]);
	t0 = now();
	end = t0 + atof(argv[5]);
	if (kill(pid, SIGKILL)) {
		perror("teardown: kill");
		return 1;
	}
	for (;;) {
		a = slab_active(argv[3]);
		polls++;
		if (a >= 0 && a <= count)
			break;
		if (now() >= end) {
			fprintf(stderr, "teardown: %s still has %ld objects\n", argv[3], a);
			return 1;
		}
		usleep(2000);
	}
	printf("%.1f %ld\n", (now() - t0) * 1e3, polls);
	return 0;
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

	if (argc >= 2 && !strcmp(argv[1], "forge"))
		return forge(argc, argv);
	if (argc == 3 && !strcmp(argv[1], "slab")) {
		printf("%ld\n", slab_active(argv[2]));
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "teardown"))
		return teardown(argc, argv);
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
