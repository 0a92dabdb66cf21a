// SPDX-License-Identifier: GPL-2.0
/*
 * pmesh neigh { show | help }: the neighbours of each mesh, with counters.
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
	      "(UDP address and port), the node id last heard from it, its state\n"
	      "(up while heard within the mesh's dead-interval), how long ago it\n"
	      "was heard, frames and bytes in and out, and duplicates from it.\n",
	      stdout);
}

static int neigh_print(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[PMESH_A_NEIGH_MAX + 1];
	struct nlattr *st[PMESH_A_NEIGH_STATS_MAX + 1] = {};
	char addr[INET6_ADDRSTRLEN], bearer[INET6_ADDRSTRLEN + 16];
	char node[17] = "-";
	const char *state = "down";
	struct json *j = arg;
	uint64_t val[PMESH_A_NEIGH_STATS_MAX + 1] = {};
	int alen;

	if (genlmsg_parse(nlh, 0, tb, PMESH_A_NEIGH_MAX, NULL) ||
	    !tb[PMESH_A_NEIGH_MESH_ID] || !tb[PMESH_A_NEIGH_ADDR] ||
	    !tb[PMESH_A_NEIGH_PORT])
		return error("malformed reply from the kernel");
	alen = nla_len(tb[PMESH_A_NEIGH_ADDR]);
	inet_ntop(alen == 4 ? AF_INET : AF_INET6, nla_data(tb[PMESH_A_NEIGH_ADDR]),
		  addr, sizeof(addr));
	snprintf(bearer, sizeof(bearer), alen == 4 ? "%s:%u" : "[%s]:%u", addr,
		 nla_get_u16(tb[PMESH_A_NEIGH_PORT]));
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
			val[i] = pmesh_nl_get_uint(st[i]);

	if (json_output) {
		json_obj_open(j, NULL);
		json_uint(j, "mesh", nla_get_u32(tb[PMESH_A_NEIGH_MESH_ID]));
		json_str(j, "bearer", "udp");
		json_str(j, "address", addr);
		json_uint(j, "port", nla_get_u16(tb[PMESH_A_NEIGH_PORT]));
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

	printf("mesh %u udp %s node %s %s", nla_get_u32(tb[PMESH_A_NEIGH_MESH_ID]),
	       bearer, node, state);
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
