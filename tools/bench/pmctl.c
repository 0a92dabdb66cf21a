// SPDX-License-Identifier: GPL-2.0
/*
 * pmctl - many pmesh generic netlink requests, in many network namespaces,
 * from one process: what bench.sh needs to build and read rings of dozens
 * of nodes in the test guest, where each exec of pmesh (through nsenter,
 * over 9p, under TCG) costs a good part of a second. The same requests and
 * attributes as the pmesh tool, through the same client, libpmesh.
 *
 * Reads commands from stdin, one a line; NETNS is a name in /run/netns:
 *
 *   NETNS mesh-add MESH NODEHEX [KEYWORD VALUE]...
 *                      KEYWORD: port, hoplimit, max-dgram, max-origins,
 *                      origin-timeout, hello-interval, dead-interval,
 *                      announce-interval, max-nodes (as in "pmesh mesh add");
 *                      broadcast flood|tree
 *   NETNS mesh-set MESH KEYWORD VALUE...   as mesh-add's keywords
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
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pmnl.h"

/* The "KEYWORD VALUE" settings of mesh-add: attribute and size. */
static const struct {
	const char *word;
	int attr, size;
} mesh_words[] = {
	{ "port", PMESH_A_MESH_PORT, 2 },
	{ "hoplimit", PMESH_A_MESH_HOPLIMIT, 1 },
	{ "max-dgram", PMESH_A_MESH_MAX_DGRAM, 4 },
	{ "max-origins", PMESH_A_MESH_MAX_ORIGINS, 4 },
	{ "origin-timeout", PMESH_A_MESH_ORIGIN_TIMEOUT, 4 },
	{ "hello-interval", PMESH_A_MESH_HELLO_INTERVAL, 4 },
	{ "dead-interval", PMESH_A_MESH_DEAD_INTERVAL, 4 },
	{ "announce-interval", PMESH_A_MESH_ANNOUNCE_INTERVAL, 4 },
	{ "max-nodes", PMESH_A_MESH_MAX_NODES, 4 },
	{ "broadcast", PMESH_A_MESH_BROADCAST, 1 },
};

/* The value of a mesh-add keyword: a number, or broadcast's word. */
static uint32_t mesh_value(int attr, const char *s)
{
	for (size_t e = 0; attr == PMESH_A_MESH_BROADCAST &&
	     e < sizeof(pmnl_broadcast_names) / sizeof(pmnl_broadcast_names[0]); e++)
		if (pmnl_broadcast_names[e] && !strcmp(s, pmnl_broadcast_names[e]))
			return e;
	return strtoul(s, NULL, 10);
}

static int stats_cb(struct nlmsghdr *n, void *arg)
{
	struct nlattr *tb[PMESH_A_MESH_MAX + 1], *st[PMESH_A_STATS_MAX + 1];
	uint64_t *v = arg;

	if (pmnl_parse(n, tb, PMESH_A_MESH_MAX) || !tb[PMESH_A_MESH_STATS] ||
	    nla_parse_nested(st, PMESH_A_STATS_MAX, tb[PMESH_A_MESH_STATS], NULL))
		return 0;
	for (int i = 1; i <= PMESH_A_STATS_MAX; i++)
		if (st[i])
			v[i] = pmnl_get_uint(st[i]);
	return 0;
}

static int nodes_cb(struct nlmsghdr *n, void *arg)
{
	struct nlattr *tb[PMESH_A_NODE_MAX + 1];
	unsigned int *count = arg;
	uint64_t state;

	count[3]++;
	if (pmnl_parse(n, tb, PMESH_A_NODE_MAX) || !tb[PMESH_A_NODE_STATE])
		return 0;
	state = pmnl_get_uint(tb[PMESH_A_NODE_STATE]);
	if (state < 3)
		count[state]++;
	return 0;
}

static int neighs_cb(struct nlmsghdr *n, void *arg)
{
	struct nlattr *tb[PMESH_A_NEIGH_MAX + 1];
	unsigned int *count = arg;

	count[0]++;
	if (!pmnl_parse(n, tb, PMESH_A_NEIGH_MAX) && tb[PMESH_A_NEIGH_STATE] &&
	    pmnl_get_uint(tb[PMESH_A_NEIGH_STATE]) == PMESH_NEIGH_STATE_UP)
		count[1]++;
	return 0;
}

struct node_q {
	uint64_t id;
	int found;
	uint64_t hops, heard, interval, timeout;
};

static uint64_t get_or_0(struct nlattr *attr)
{
	return attr ? pmnl_get_uint(attr) : 0;
}

static int node_cb(struct nlmsghdr *n, void *arg)
{
	struct nlattr *tb[PMESH_A_NODE_MAX + 1];
	struct node_q *q = arg;

	if (pmnl_parse(n, tb, PMESH_A_NODE_MAX) || !tb[PMESH_A_NODE_NODE_ID] ||
	    nla_get_u64(tb[PMESH_A_NODE_NODE_ID]) != q->id)
		return 0;
	q->found = 1;
	q->hops = get_or_0(tb[PMESH_A_NODE_HOPS]);
	q->heard = get_or_0(tb[PMESH_A_NODE_LAST_HEARD]);
	q->interval = get_or_0(tb[PMESH_A_NODE_INTERVAL]);
	q->timeout = get_or_0(tb[PMESH_A_NODE_TIMEOUT]);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The rtnetlink commands. */
static int route_command(const char *ns, char **w, int nw)
{
	double t0;
	int err;

	if (!strcmp(w[0], "addr"))
		return nw < 3 ? -EINVAL : pmnl_route_addr4_add(w[1], w[2]);
	t0 = now();
	err = pmnl_route_set_up(w[1], !strcmp(w[0], "up"));
	if (!err)
		printf("%s %.6f %.6f\n", ns, t0, now());
	return err;
}

static int command(struct pmnl *nl, const char *ns, char **w, int nw)
{
	uint32_t mesh = nw > 1 ? strtoul(w[1], NULL, 10) : 0;
	struct nl_msg *msg;
	double t;
	int err;

	if ((nw >= 3 && !strcmp(w[0], "mesh-add")) ||
	    (nw >= 4 && !strcmp(w[0], "mesh-set"))) {
		bool add = !strcmp(w[0], "mesh-add");

		msg = pmnl_msg(nl, add ? PMESH_CMD_MESH_NEW : PMESH_CMD_MESH_SET,
			       0);
		if (!msg || nla_put_u32(msg, PMESH_A_MESH_ID, mesh) ||
		    (add && nla_put_u64(msg, PMESH_A_MESH_NODE_ID,
					strtoull(w[2], NULL, 16))))
			goto nomem;
		for (int i = add ? 3 : 2; i + 1 < nw; i += 2) {
			uint32_t v;
			size_t k;

			for (k = 0; k < sizeof(mesh_words) / sizeof(mesh_words[0]); k++)
				if (!strcmp(w[i], mesh_words[k].word))
					break;
			if (k == sizeof(mesh_words) / sizeof(mesh_words[0])) {
				nlmsg_free(msg);
				return -EINVAL;
			}
			v = mesh_value(mesh_words[k].attr, w[i + 1]);
			if ((mesh_words[k].size == 1 &&
			     nla_put_u8(msg, mesh_words[k].attr, v)) ||
			    (mesh_words[k].size == 2 &&
			     nla_put_u16(msg, mesh_words[k].attr, v)) ||
			    (mesh_words[k].size == 4 &&
			     nla_put_u32(msg, mesh_words[k].attr, v)))
				goto nomem;
		}
		return pmnl_run(nl, msg, NULL, NULL, NULL);
	}
	if (nw >= 2 && !strcmp(w[0], "mesh-del")) {
		t = now();
		err = pmnl_request(nl, PMESH_CMD_MESH_DEL, 0, PMESH_A_MESH_ID,
				   mesh, NULL, NULL, NULL);
		if (!err)
			printf("%s %.6f %.6f\n", ns, t, now());
		return err;
	}
	if (nw >= 4 && !strcmp(w[0], "peer-add")) {
		struct in_addr in;

		if (inet_pton(AF_INET, w[2], &in) != 1)
			return -EINVAL;
		msg = pmnl_msg(nl, PMESH_CMD_PEER_NEW, 0);
		if (!msg || nla_put_u32(msg, PMESH_A_NEIGH_MESH_ID, mesh) ||
		    nla_put(msg, PMESH_A_NEIGH_ADDR, sizeof(in), &in) ||
		    nla_put_u16(msg, PMESH_A_NEIGH_PORT, atoi(w[3])))
			goto nomem;
		return pmnl_run(nl, msg, NULL, NULL, NULL);
	}
	if (nw >= 2 && !strcmp(w[0], "stats")) {
		uint64_t st[PMESH_A_STATS_MAX + 1] = {};
		char key[32];

		t = now();
		err = pmnl_request(nl, PMESH_CMD_MESH_GET, 0, PMESH_A_MESH_ID,
				   mesh, stats_cb, st, NULL);
		if (err)
			return err;
		printf("%s %.6f", ns, t);
		for (int i = 1; i <= PMESH_A_STATS_MAX; i++)
			if (pmnl_stats_names[i])
				printf(" %s %" PRIu64,
				       pmnl_json_key(pmnl_stats_names[i], key,
						     sizeof(key)), st[i]);
		putchar('\n');
		return 0;
	}
	if (nw >= 2 && !strcmp(w[0], "nodes")) {
		unsigned int count[4] = {};

		t = now();
		err = pmnl_request(nl, PMESH_CMD_NODE_GET, NLM_F_DUMP,
				   PMESH_A_NODE_MESH_ID, mesh, nodes_cb, count,
				   NULL);
		if (err)
			return err;
		printf("%s %.6f total %u self %u up %u stale %u\n", ns, t, count[3],
		       count[PMESH_NODE_STATE_SELF], count[PMESH_NODE_STATE_UP],
		       count[PMESH_NODE_STATE_STALE]);
		return 0;
	}
	if (nw >= 3 && !strcmp(w[0], "node")) {
		struct node_q q = { .id = strtoull(w[2], NULL, 16) };

		t = now();
		err = pmnl_request(nl, PMESH_CMD_NODE_GET, NLM_F_DUMP,
				   PMESH_A_NODE_MESH_ID, mesh, node_cb, &q, NULL);
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

		t = now();
		err = pmnl_request(nl, PMESH_CMD_NEIGH_GET, NLM_F_DUMP,
				   PMESH_A_NEIGH_MESH_ID, mesh, neighs_cb, count,
				   NULL);
		if (err)
			return err;
		printf("%s %.6f total %u up %u\n", ns, t, count[0], count[1]);
		return 0;
	}
	return -EINVAL;
nomem:
	nlmsg_free(msg);
	return -ENOMEM;
}

int main(void)
{
	char line[512], path[300], *w[16];
	int failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		struct pmnl nl = {};
		int nw = 0, nsfd, err;
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
		if (nw >= 3 && (!strcmp(w[1], "addr") || !strcmp(w[1], "up") ||
				!strcmp(w[1], "down"))) {
			err = route_command(w[0], w + 1, nw - 1);
		} else {
			/* A netlink socket belongs to the namespace it is made in. */
			err = pmnl_open(&nl);
			if (!err)
				err = command(&nl, w[0], w + 1, nw - 1);
			pmnl_close(&nl);
		}
		if (err) {
			fprintf(stderr, "pmctl: %s %s: %s\n", w[0], w[1],
				strerror(-err));
			failed = 1;
		}
	}
	return failed;
}
