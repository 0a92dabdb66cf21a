// SPDX-License-Identifier: GPL-2.0
/*
 * pmesh mesh { add | del | set | show | help }
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>

#include <linux/pmesh_netlink.h>

#include "json.h"
#include "pmesh.h"

/* Attribute names as the user types them, for error messages. */
static const char *const mesh_attr_names[PMESH_A_MESH_MAX + 1] = {
	[PMESH_A_MESH_ID] = "id",
	[PMESH_A_MESH_NODE_ID] = "node",
	[PMESH_A_MESH_PORT] = "port",
	[PMESH_A_MESH_HOPLIMIT] = "hoplimit",
	[PMESH_A_MESH_MAX_DGRAM] = "max-dgram",
	[PMESH_A_MESH_STATS] = "stats",
	[PMESH_A_MESH_MAX_ORIGINS] = "max-origins",
	[PMESH_A_MESH_ORIGIN_TIMEOUT] = "origin-timeout",
	[PMESH_A_MESH_HELLO_INTERVAL] = "hello-interval",
	[PMESH_A_MESH_DEAD_INTERVAL] = "dead-interval",
};

static const char *const stat_names[PMESH_A_STATS_MAX + 1] = {
	[PMESH_A_STATS_SENT] = "sent",
	[PMESH_A_STATS_RECEIVED] = "received",
	[PMESH_A_STATS_DELIVERED] = "delivered",
	[PMESH_A_STATS_FORWARDED] = "forwarded",
	[PMESH_A_STATS_DUPLICATES] = "duplicates",
	[PMESH_A_STATS_HOP_EXPIRED] = "hop-expired",
	[PMESH_A_STATS_MALFORMED] = "malformed",
	[PMESH_A_STATS_SOCK_OVERFLOW] = "sock-overflow",
	[PMESH_A_STATS_ORIGINS] = "origins",
	[PMESH_A_STATS_ORIGIN_DROPS] = "origin-drops",
	[PMESH_A_STATS_UNKNOWN_PEER] = "unknown-peer",
};

void mesh_usage(void)
{
	fputs("Usage: pmesh mesh add ID [ node HEX ] [ port UDPPORT ] [ hoplimit N ]\n"
	      "                         [ max-dgram BYTES ] [ max-origins N ]\n"
	      "                         [ origin-timeout SEC ] [ hello-interval MS ]\n"
	      "                         [ dead-interval MS ]\n"
	      "       pmesh mesh set ID [ hoplimit N ] [ max-dgram BYTES ]\n"
	      "                         [ max-origins N ] [ origin-timeout SEC ]\n"
	      "                         [ hello-interval MS ] [ dead-interval MS ]\n"
	      "       pmesh mesh del ID\n"
	      "       pmesh mesh show [ ID ]\n"
	      "\n"
	      "ID is the mesh id (1..4294967295), unique in the network namespace.\n"
	      "node is this node's 64-bit id in hex (random if not given).\n"
	      "port is the UDP port of the mesh's UDP bearer (default 7788).\n"
	      "hoplimit is how far datagrams travel by default (1..255, default 16).\n"
	      "max-dgram is the largest datagram payload (1..65000, default 1200).\n"
	      "max-origins caps the origins tracked for duplicate suppression\n"
	      "(16..65536, default 4096); origin-timeout is how long an origin\n"
	      "is remembered after its last datagram (1..3600 s, default 30).\n"
	      "hello-interval is how often hellos go to each neighbour (100..60000\n"
	      "ms, default 1000); a neighbour silent for dead-interval (longer,\n"
	      "up to 600000 ms, default 3000) is down.\n",
	      stdout);
}

/* A request built from "ID [KEYWORD VALUE]..." on the command line. */
struct mesh_args {
	uint32_t id;
	uint64_t val[PMESH_A_MESH_MAX + 1];
	bool has[PMESH_A_MESH_MAX + 1];
};

struct mesh_keyword {
	const char *word;
	int attr;
	int base;
	uint64_t max;
};

static const struct mesh_keyword mesh_keywords[] = {
	{ "node", PMESH_A_MESH_NODE_ID, 16, UINT64_MAX },
	{ "port", PMESH_A_MESH_PORT, 10, UINT16_MAX },
	{ "hoplimit", PMESH_A_MESH_HOPLIMIT, 10, UINT8_MAX },
	{ "max-dgram", PMESH_A_MESH_MAX_DGRAM, 10, UINT32_MAX },
	{ "max-origins", PMESH_A_MESH_MAX_ORIGINS, 10, UINT32_MAX },
	{ "origin-timeout", PMESH_A_MESH_ORIGIN_TIMEOUT, 10, UINT32_MAX },
	{ "hello-interval", PMESH_A_MESH_HELLO_INTERVAL, 10, UINT32_MAX },
	{ "dead-interval", PMESH_A_MESH_DEAD_INTERVAL, 10, UINT32_MAX },
	{ NULL }
};

/* Parse "ID [KEYWORD VALUE]...", allowing the keywords for attrs in @allowed. */
static int mesh_parse(int argc, char **argv, const int *allowed,
		      struct mesh_args *a)
{
	uint64_t id;

	memset(a, 0, sizeof(*a));
	if (argc < 1)
		return error("mesh id is missing; try \"pmesh mesh help\"");
	if (parse_u64("mesh id", argv[0], 10, UINT32_MAX, &id))
		return -1;
	a->id = id;

	for (int i = 1; i < argc; i += 2) {
		const struct mesh_keyword *k;
		bool ok = false;

		for (k = mesh_keywords; k->word; k++)
			if (!strcmp(k->word, argv[i]))
				break;
		for (const int *p = allowed; k->word && *p; p++)
			ok |= *p == k->attr;
		if (!ok)
			return error("unknown argument \"%s\"; try \"pmesh mesh help\"",
				     argv[i]);
		if (a->has[k->attr])
			return error("%s is given twice", k->word);
		if (parse_u64(k->word, i + 1 < argc ? argv[i + 1] : NULL,
			      k->base, k->max, &a->val[k->attr]))
			return -1;
		a->has[k->attr] = true;
	}
	return 0;
}

static int mesh_request(uint8_t cmd, const struct mesh_args *a)
{
	struct pmesh_nl_err err;
	struct pmesh_nl nl;
	struct nl_msg *msg;
	int ret = -1;

	if (nl_open_or_complain(&nl))
		return -1;
	msg = pmesh_nl_msg(&nl, cmd, 0);
	if (!msg)
		goto out;
	if (nla_put_u32(msg, PMESH_A_MESH_ID, a->id))
		goto nomem;
	if (a->has[PMESH_A_MESH_NODE_ID] &&
	    nla_put_u64(msg, PMESH_A_MESH_NODE_ID, a->val[PMESH_A_MESH_NODE_ID]))
		goto nomem;
	if (a->has[PMESH_A_MESH_PORT] &&
	    nla_put_u16(msg, PMESH_A_MESH_PORT, a->val[PMESH_A_MESH_PORT]))
		goto nomem;
	if (a->has[PMESH_A_MESH_HOPLIMIT] &&
	    nla_put_u8(msg, PMESH_A_MESH_HOPLIMIT, a->val[PMESH_A_MESH_HOPLIMIT]))
		goto nomem;
	for (int t = PMESH_A_MESH_MAX_DGRAM; t <= PMESH_A_MESH_MAX; t++)
		if ((t == PMESH_A_MESH_MAX_DGRAM || t == PMESH_A_MESH_MAX_ORIGINS ||
		     t == PMESH_A_MESH_ORIGIN_TIMEOUT ||
		     t == PMESH_A_MESH_HELLO_INTERVAL ||
		     t == PMESH_A_MESH_DEAD_INTERVAL) && a->has[t] &&
		    nla_put_u32(msg, t, a->val[t]))
			goto nomem;

	if (pmesh_nl_run(&nl, msg, NULL, NULL, &err))
		nl_complain(&err, mesh_attr_names, PMESH_A_MESH_MAX + 1);
	else
		ret = 0;
	goto out;
nomem:
	nlmsg_free(msg);
	error("out of memory");
out:
	pmesh_nl_close(&nl);
	return ret;
}

static int mesh_add(int argc, char **argv)
{
	static const int allowed[] = { PMESH_A_MESH_NODE_ID, PMESH_A_MESH_PORT,
				       PMESH_A_MESH_HOPLIMIT,
				       PMESH_A_MESH_MAX_DGRAM,
				       PMESH_A_MESH_MAX_ORIGINS,
				       PMESH_A_MESH_ORIGIN_TIMEOUT,
				       PMESH_A_MESH_HELLO_INTERVAL,
				       PMESH_A_MESH_DEAD_INTERVAL, 0 };
	struct mesh_args a;

	if (mesh_parse(argc, argv, allowed, &a))
		return -1;
	return mesh_request(PMESH_CMD_MESH_NEW, &a);
}

static int mesh_set(int argc, char **argv)
{
	static const int allowed[] = { PMESH_A_MESH_HOPLIMIT,
				       PMESH_A_MESH_MAX_DGRAM,
				       PMESH_A_MESH_MAX_ORIGINS,
				       PMESH_A_MESH_ORIGIN_TIMEOUT,
				       PMESH_A_MESH_HELLO_INTERVAL,
				       PMESH_A_MESH_DEAD_INTERVAL, 0 };
	struct mesh_args a;

	if (mesh_parse(argc, argv, allowed, &a))
		return -1;
	if (argc < 2)
		return error("nothing to set; try \"pmesh mesh help\"");
	return mesh_request(PMESH_CMD_MESH_SET, &a);
}

static int mesh_del(int argc, char **argv)
{
	static const int allowed[] = { 0 };
	struct mesh_args a;

	if (mesh_parse(argc, argv, allowed, &a))
		return -1;
	return mesh_request(PMESH_CMD_MESH_DEL, &a);
}

static void mesh_print(struct nlattr **tb, struct json *j)
{
	struct nlattr *st[PMESH_A_STATS_MAX + 1] = {};
	char node[17];

	snprintf(node, sizeof(node), "%016" PRIx64,
		 tb[PMESH_A_MESH_NODE_ID] ? nla_get_u64(tb[PMESH_A_MESH_NODE_ID]) : 0);
	if (tb[PMESH_A_MESH_STATS])
		nla_parse_nested(st, PMESH_A_STATS_MAX, tb[PMESH_A_MESH_STATS],
				 NULL);

	if (json_output) {
		json_obj_open(j, NULL);
		json_uint(j, "id", nla_get_u32(tb[PMESH_A_MESH_ID]));
		json_str(j, "node", node);
		if (tb[PMESH_A_MESH_PORT])
			json_uint(j, "port", nla_get_u16(tb[PMESH_A_MESH_PORT]));
		if (tb[PMESH_A_MESH_HOPLIMIT])
			json_uint(j, "hoplimit", nla_get_u8(tb[PMESH_A_MESH_HOPLIMIT]));
		if (tb[PMESH_A_MESH_MAX_DGRAM])
			json_uint(j, "max_dgram", nla_get_u32(tb[PMESH_A_MESH_MAX_DGRAM]));
		if (tb[PMESH_A_MESH_MAX_ORIGINS])
			json_uint(j, "max_origins",
				  nla_get_u32(tb[PMESH_A_MESH_MAX_ORIGINS]));
		if (tb[PMESH_A_MESH_ORIGIN_TIMEOUT])
			json_uint(j, "origin_timeout",
				  nla_get_u32(tb[PMESH_A_MESH_ORIGIN_TIMEOUT]));
		if (tb[PMESH_A_MESH_HELLO_INTERVAL])
			json_uint(j, "hello_interval",
				  nla_get_u32(tb[PMESH_A_MESH_HELLO_INTERVAL]));
		if (tb[PMESH_A_MESH_DEAD_INTERVAL])
			json_uint(j, "dead_interval",
				  nla_get_u32(tb[PMESH_A_MESH_DEAD_INTERVAL]));
		json_obj_open(j, "stats");
		for (int i = 1; i <= PMESH_A_STATS_MAX; i++) {
			char key[32];

			if (!st[i])
				continue;
			snprintf(key, sizeof(key), "%s", stat_names[i]);
			for (char *c = key; *c; c++)
				if (*c == '-')
					*c = '_';
			json_uint(j, key, pmesh_nl_get_uint(st[i]));
		}
		json_obj_close(j);
		json_obj_close(j);
		return;
	}

	printf("mesh %u node %s", nla_get_u32(tb[PMESH_A_MESH_ID]), node);
	if (tb[PMESH_A_MESH_PORT])
		printf(" port %u", nla_get_u16(tb[PMESH_A_MESH_PORT]));
	if (tb[PMESH_A_MESH_HOPLIMIT])
		printf(" hoplimit %u", nla_get_u8(tb[PMESH_A_MESH_HOPLIMIT]));
	if (tb[PMESH_A_MESH_MAX_DGRAM])
		printf(" max-dgram %u", nla_get_u32(tb[PMESH_A_MESH_MAX_DGRAM]));
	if (tb[PMESH_A_MESH_MAX_ORIGINS] && tb[PMESH_A_MESH_ORIGIN_TIMEOUT])
		printf("\n    max-origins %u origin-timeout %u",
		       nla_get_u32(tb[PMESH_A_MESH_MAX_ORIGINS]),
		       nla_get_u32(tb[PMESH_A_MESH_ORIGIN_TIMEOUT]));
	if (tb[PMESH_A_MESH_HELLO_INTERVAL] && tb[PMESH_A_MESH_DEAD_INTERVAL])
		printf(" hello-interval %u dead-interval %u",
		       nla_get_u32(tb[PMESH_A_MESH_HELLO_INTERVAL]),
		       nla_get_u32(tb[PMESH_A_MESH_DEAD_INTERVAL]));
	for (int i = 1, n = 0; i <= PMESH_A_STATS_MAX; i++) {
		if (!st[i])
			continue;
		printf("%s%s %" PRIu64, n++ % 6 ? " " : "\n    ", stat_names[i],
		       pmesh_nl_get_uint(st[i]));
	}
	putchar('\n');
}

static int mesh_show_one(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[PMESH_A_MESH_MAX + 1];

	if (genlmsg_parse(nlh, 0, tb, PMESH_A_MESH_MAX, NULL) ||
	    !tb[PMESH_A_MESH_ID])
		return error("malformed reply from the kernel");
	mesh_print(tb, arg);
	return 0;
}

static int mesh_show(int argc, char **argv)
{
	return show("mesh", PMESH_CMD_MESH_GET, PMESH_A_MESH_ID, argc, argv,
		    mesh_show_one, false, mesh_attr_names, PMESH_A_MESH_MAX + 1);
}

static int mesh_help(int argc, char **argv)
{
	mesh_usage();
	return 0;
}

static const struct cmd mesh_cmds[] = {
	{ "add", mesh_add, "create a mesh" },
	{ "set", mesh_set, "change a mesh's settings" },
	{ "del", mesh_del, "delete a mesh" },
	{ "delete", mesh_del, "delete a mesh" },
	{ "show", mesh_show, "show meshes, their settings and counters" },
	{ "list", mesh_show, "same as show" },
	{ "help", mesh_help, "this text" },
	{ NULL }
};

int mesh_main(int argc, char **argv)
{
	return run_cmd("mesh ", mesh_cmds, argc, argv, mesh_usage);
}
