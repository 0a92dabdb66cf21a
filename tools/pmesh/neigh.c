// SPDX-License-Identifier: GPL-2.0
/*
 * pmesh neigh { show | help }: the neighbours of each mesh, with counters,
 * and how a neighbour's bearer is printed, here and by pmesh monitor.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>

#include <linux/pmesh_netlink.h>

#include "json.h"
#include "pmesh.h"

static const char *const neigh_stat_names[PMESH_A_NEIGH_STATS_MAX + 1] = {
	[PMESH_A_NEIGH_STATS_RX_FRAMES] = "rx_frames",
	[PMESH_A_NEIGH_STATS_RX_BYTES] = "rx_bytes",
	[PMESH_A_NEIGH_STATS_TX_FRAMES] = "tx_frames",
	[PMESH_A_NEIGH_STATS_TX_BYTES] = "tx_bytes",
	[PMESH_A_NEIGH_STATS_DUPLICATES] = "duplicates",
};

void neigh_usage(void)
{
	fputs("Usage: pmesh neigh show [ ID ]\n"
	      "\n"
	      "Lists the neighbours of mesh ID, or of every mesh: the bearer\n"
	      "(\"udp ADDR:PORT\" for a peer, \"dev IFNAME lladdr MAC\" for a\n"
	      "station found on a link), the node id last heard from it, its\n"
	      "state (up while heard within the mesh's dead-interval), how long\n"
	      "ago it was heard, frames and bytes in and out, and duplicates\n"
	      "from it. A station that goes down is forgotten until it beacons\n"
	      "again.\n",
	      stdout);
}

/**
 * bearer_parse() - how a neighbour is reached, from a neigh-get reply or a
 * neigh event: a UDP peer (addr, port) or an Ethernet station (ifindex,
 * lladdr)
 * @tb: the message's PMESH_A_NEIGH_* attributes
 * @b: filled in
 *
 * Return: 0, or -1 if neither is there whole.
 */
int bearer_parse(struct nlattr **tb, struct bearer *b)
{
	memset(b, 0, sizeof(*b));
	if (tb[PMESH_A_NEIGH_IFINDEX] && tb[PMESH_A_NEIGH_LLADDR] &&
	    nla_len(tb[PMESH_A_NEIGH_LLADDR]) == 6) {
		const unsigned char *m = nla_data(tb[PMESH_A_NEIGH_LLADDR]);

		b->eth = true;
		ifname(nla_get_u32(tb[PMESH_A_NEIGH_IFINDEX]), b->dev);
		snprintf(b->lladdr, sizeof(b->lladdr),
			 "%02x:%02x:%02x:%02x:%02x:%02x",
			 m[0], m[1], m[2], m[3], m[4], m[5]);
		snprintf(b->text, sizeof(b->text), "dev %s lladdr %s", b->dev,
			 b->lladdr);
		return 0;
	}
	if (tb[PMESH_A_NEIGH_ADDR] && tb[PMESH_A_NEIGH_PORT]) {
		int alen = nla_len(tb[PMESH_A_NEIGH_ADDR]);

		if ((alen != 4 && alen != 16) ||
		    !inet_ntop(alen == 4 ? AF_INET : AF_INET6,
			       nla_data(tb[PMESH_A_NEIGH_ADDR]), b->addr,
			       sizeof(b->addr)))
			return -1;
		b->port = nla_get_u16(tb[PMESH_A_NEIGH_PORT]);
		snprintf(b->text, sizeof(b->text),
			 alen == 4 ? "udp %s:%u" : "udp [%s]:%u", b->addr,
			 b->port);
		return 0;
	}
	return -1;
}

void bearer_json(struct json *j, const struct bearer *b)
{
	if (b->eth) {
		json_str(j, "bearer", "eth");
		json_str(j, "dev", b->dev);
		json_str(j, "lladdr", b->lladdr);
		return;
	}
	json_str(j, "bearer", "udp");
	json_str(j, "address", b->addr);
	json_uint(j, "port", b->port);
}

static int neigh_print(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[PMESH_A_NEIGH_MAX + 1];
	struct nlattr *st[PMESH_A_NEIGH_STATS_MAX + 1] = {};
	uint64_t val[PMESH_A_NEIGH_STATS_MAX + 1] = {};
	const char *state = "down";
	char node[17] = "-";
	struct json *j = arg;
	struct bearer b;

	if (genlmsg_parse(nlh, 0, tb, PMESH_A_NEIGH_MAX, NULL) ||
	    !tb[PMESH_A_NEIGH_MESH_ID] || bearer_parse(tb, &b))
		return error("malformed reply from the kernel");
	if (tb[PMESH_A_NEIGH_NODE_ID])
		snprintf(node, sizeof(node), "%016" PRIx64,
			 nla_get_u64(tb[PMESH_A_NEIGH_NODE_ID]));
	if (tb[PMESH_A_NEIGH_STATS])
		nla_parse_nested(st, PMESH_A_NEIGH_STATS_MAX,
				 tb[PMESH_A_NEIGH_STATS], NULL);
	if (tb[PMESH_A_NEIGH_STATE] &&
	    nla_get_u8(tb[PMESH_A_NEIGH_STATE]) == PMESH_NEIGH_STATE_UP)
		state = "up";
	for (int i = 1; i <= PMESH_A_NEIGH_STATS_MAX; i++)
		if (st[i])
			val[i] = pmnl_get_uint(st[i]);

	if (json_output) {
		json_obj_open(j, NULL);
		json_uint(j, "mesh", nla_get_u32(tb[PMESH_A_NEIGH_MESH_ID]));
		bearer_json(j, &b);
		if (tb[PMESH_A_NEIGH_NODE_ID])
			json_str(j, "node", node);
		if (tb[PMESH_A_NEIGH_LAST_HEARD])
			json_uint(j, "last_heard_ms",
				  nla_get_u32(tb[PMESH_A_NEIGH_LAST_HEARD]));
		json_str(j, "state", state);
		for (int i = 1; i <= PMESH_A_NEIGH_STATS_MAX; i++)
			json_uint(j, neigh_stat_names[i], val[i]);
		json_obj_close(j);
		return 0;
	}

	printf("mesh %u %s node %s %s", nla_get_u32(tb[PMESH_A_NEIGH_MESH_ID]),
	       b.text, node, state);
	if (tb[PMESH_A_NEIGH_LAST_HEARD])
		printf(" heard %ums ago", nla_get_u32(tb[PMESH_A_NEIGH_LAST_HEARD]));
	else
		printf(" never heard");
	printf("\n    rx %" PRIu64 " frames %" PRIu64 " bytes  tx %" PRIu64
	       " frames %" PRIu64 " bytes  duplicates %" PRIu64 "\n",
	       val[PMESH_A_NEIGH_STATS_RX_FRAMES], val[PMESH_A_NEIGH_STATS_RX_BYTES],
	       val[PMESH_A_NEIGH_STATS_TX_FRAMES], val[PMESH_A_NEIGH_STATS_TX_BYTES],
	       val[PMESH_A_NEIGH_STATS_DUPLICATES]);
	return 0;
}

static int neigh_show(int argc, char **argv)
{
	return show("neigh", PMESH_CMD_NEIGH_GET, PMESH_A_NEIGH_MESH_ID, argc,
		    argv, neigh_print, true, neigh_attr_names,
		    PMESH_A_NEIGH_MAX + 1);
}

static int neigh_help(int argc, char **argv)
{
	neigh_usage();
	return 0;
}

static const struct cmd neigh_cmds[] = {
	{ "show", neigh_show, "list neighbours and their counters" },
	{ "list", neigh_show, "same as show" },
	{ "help", neigh_help, "this text" },
	{ NULL }
};

int neigh_main(int argc, char **argv)
{
	return run_cmd("neigh ", neigh_cmds, argc, argv, neigh_usage);
}
