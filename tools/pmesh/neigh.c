// SPDX-License-Identifier: GPL-2.0
/*
 * pmesh neigh { show | help }: the neighbours of each mesh, with counters.
 */
#include <inttypes.h>
#include <stdio.h>
#include <netlink/attr.h>

#include <linux/pmesh_netlink.h>

#include "pmesh.h"

void neigh_usage(void)
{
	fputs("Usage: pmesh neigh show [ ID ]\n"
	      "\n"
	      "Lists the neighbours of mesh ID, or of every mesh: the bearer\n"
	      "(\"udp ADDR:PORT\" for a peer, \"dev IFNAME lladdr MAC\" for a\n"
	      "station found on a link), the node id last heard from it, its\n"
	      "state (up while heard within the mesh's dead-interval), how long\n"
	      "ago it was heard, frames and bytes in and out, and duplicates\n"
	      "and frames that did not open with the mesh's key (auth-fail)\n"
	      "from it, the datagrams it delivered first (firsts: the\n"
	      "overlay sheds the learned neighbour with the fewest a second\n"
	      "first), and what it sent of the broadcast trees: ids it\n"
	      "announced (ihave), ids it asked for (grafts) and PRUNE entries\n"
	      "(prunes). A station that goes down is forgotten until it beacons\n"
	      "again. A UDP neighbour the mesh learned (its hello opened with the\n"
	      "mesh's key, or any on an open mesh) is marked \"learned\"; one\n"
	      "being tried is down until it answers.\n",
	      stdout);
}

/* The counters' words in text, in the order of PMESH_A_NEIGH_STATS_*. */
static const char *const neigh_stat_fmt[PMESH_A_NEIGH_STATS_MAX + 1] = {
	[PMESH_A_NEIGH_STATS_RX_FRAMES] = "\n    rx %" PRIu64 " frames",
	[PMESH_A_NEIGH_STATS_RX_BYTES] = " %" PRIu64 " bytes",
	[PMESH_A_NEIGH_STATS_TX_FRAMES] = "  tx %" PRIu64 " frames",
	[PMESH_A_NEIGH_STATS_TX_BYTES] = " %" PRIu64 " bytes",
	[PMESH_A_NEIGH_STATS_DUPLICATES] = "  duplicates %" PRIu64,
	[PMESH_A_NEIGH_STATS_AUTH_FAIL] = "  auth-fail %" PRIu64,
	[PMESH_A_NEIGH_STATS_FIRSTS] = "  firsts %" PRIu64,
	[PMESH_A_NEIGH_STATS_IHAVE] = "  ihave %" PRIu64,
	[PMESH_A_NEIGH_STATS_GRAFTS] = "  grafts %" PRIu64,
	[PMESH_A_NEIGH_STATS_PRUNES] = "  prunes %" PRIu64,
};

static int neigh_print(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[PMESH_A_NEIGH_MAX + 1];
	struct nlattr *st[PMESH_A_NEIGH_STATS_MAX + 1] = {};
	const char *state, *kind;
	char node[17], num[12], knum[12];
	struct bearer b;

	if (pmnl_parse(nlh, tb, PMESH_A_NEIGH_MAX) ||
	    !tb[PMESH_A_NEIGH_MESH_ID] || bearer_parse(tb, &b))
		return error("malformed reply from the kernel");
	if (tb[PMESH_A_NEIGH_STATS])
		nla_parse_nested(st, PMESH_A_NEIGH_STATS_MAX,
				 tb[PMESH_A_NEIGH_STATS], NULL);
	state = enum_name(pmnl_neigh_state_names,
			  ARRAY_SIZE(pmnl_neigh_state_names),
			  tb[PMESH_A_NEIGH_STATE] ?
			  nla_get_u8(tb[PMESH_A_NEIGH_STATE]) :
			  PMESH_NEIGH_STATE_DOWN, num);

	kind = enum_name(pmnl_neigh_kind_names,
			 ARRAY_SIZE(pmnl_neigh_kind_names),
			 tb[PMESH_A_NEIGH_KIND] ?
			 nla_get_u8(tb[PMESH_A_NEIGH_KIND]) :
			 PMESH_NEIGH_KIND_CONFIGURED, knum);

	open_json_object(NULL);
	print_uint(PRINT_ANY, "mesh", "mesh %" PRIu64,
		   nla_get_u32(tb[PMESH_A_NEIGH_MESH_ID]));
	print_bearer(&b);
	/* The bearer says configured or station; text names learned ones. */
	print_string(PRINT_JSON, "kind", NULL, kind);
	if (tb[PMESH_A_NEIGH_KIND] &&
	    nla_get_u8(tb[PMESH_A_NEIGH_KIND]) == PMESH_NEIGH_KIND_LEARNED)
		print_string(PRINT_FP, NULL, " %s", kind);
	if (tb[PMESH_A_NEIGH_NODE_ID])
		print_string(PRINT_ANY, "node", " node %s",
			     node_hex(nla_get_u64(tb[PMESH_A_NEIGH_NODE_ID]),
				      node));
	else
		print_string(PRINT_FP, NULL, " node %s", "-");
	/* Text says the state before when it was heard, JSON after. */
	print_string(PRINT_FP, NULL, " %s", state);
	if (tb[PMESH_A_NEIGH_LAST_HEARD])
		print_uint(PRINT_ANY, "last_heard_ms", " heard %" PRIu64 "ms ago",
			   nla_get_u32(tb[PMESH_A_NEIGH_LAST_HEARD]));
	else
		print_string(PRINT_FP, NULL, " never heard", NULL);
	print_string(PRINT_JSON, "state", NULL, state);
	for (int i = 1; i <= PMESH_A_NEIGH_STATS_MAX; i++) {
		char key[32];

		print_uint(PRINT_ANY,
			   pmnl_json_key(pmnl_neigh_stats_names[i], key,
					 sizeof(key)),
			   neigh_stat_fmt[i], st[i] ? pmnl_get_uint(st[i]) : 0);
	}
	close_json_object();
	print_nl();
	return 0;
}

static int neigh_show(int argc, char **argv)
{
	return show("neigh", PMESH_CMD_NEIGH_GET, PMESH_A_NEIGH_MESH_ID, argc,
		    argv, neigh_print, true, &neigh_words);
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
