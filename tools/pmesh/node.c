// SPDX-License-Identifier: GPL-2.0
/*
 * pmesh node { show | help }: the membership table of each mesh.
 */
#include <inttypes.h>
#include <stdio.h>
#include <netlink/attr.h>

#include <linux/pmesh_netlink.h>

#include "pmesh.h"

void node_usage(void)
{
	fputs("Usage: pmesh node show [ ID ]\n"
	      "\n"
	      "Lists the nodes known in mesh ID, or in every mesh: this node\n"
	      "first (self), then every node whose announcements arrive, with\n"
	      "the hops its latest one crossed and how long ago it came. A node\n"
	      "is up while it announces itself every interval it announced,\n"
	      "stale when its announcement is overdue, and leaves the table when\n"
	      "none came within its timeout.\n",
	      stdout);
}

static int node_print(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[PMESH_A_NODE_MAX + 1];
	char node[17], num[12];

	if (pmnl_parse(nlh, tb, PMESH_A_NODE_MAX) ||
	    !tb[PMESH_A_NODE_MESH_ID] || !tb[PMESH_A_NODE_NODE_ID] ||
	    !tb[PMESH_A_NODE_STATE])
		return error("malformed reply from the kernel");

	open_json_object(NULL);
	print_uint(PRINT_ANY, "mesh", "mesh %" PRIu64,
		   nla_get_u32(tb[PMESH_A_NODE_MESH_ID]));
	print_string(PRINT_ANY, "node", " node %s",
		     node_hex(nla_get_u64(tb[PMESH_A_NODE_NODE_ID]), node));
	print_string(PRINT_ANY, "state", " %s",
		     enum_name(pmnl_node_state_names,
			       ARRAY_SIZE(pmnl_node_state_names),
			       nla_get_u8(tb[PMESH_A_NODE_STATE]), num));
	if (tb[PMESH_A_NODE_HOPS])
		print_uint(PRINT_ANY, "hops", " hops %" PRIu64,
			   nla_get_u8(tb[PMESH_A_NODE_HOPS]));
	if (tb[PMESH_A_NODE_LAST_HEARD])
		print_uint(PRINT_ANY, "last_heard_ms", " heard %" PRIu64 "ms ago",
			   nla_get_u32(tb[PMESH_A_NODE_LAST_HEARD]));
	else
		print_string(PRINT_FP, NULL, " heard -", NULL);
	if (tb[PMESH_A_NODE_INTERVAL])
		print_uint(PRINT_ANY, "interval", " interval %" PRIu64,
			   nla_get_u32(tb[PMESH_A_NODE_INTERVAL]));
	if (tb[PMESH_A_NODE_TIMEOUT])
		print_uint(PRINT_ANY, "timeout", " timeout %" PRIu64,
			   nla_get_u32(tb[PMESH_A_NODE_TIMEOUT]));
	close_json_object();
	print_nl();
	return 0;
}

static int node_show(int argc, char **argv)
{
	return show("node", PMESH_CMD_NODE_GET, PMESH_A_NODE_MESH_ID, argc, argv,
		    node_print, true, &node_words);
}

static int node_help(int argc, char **argv)
{
	node_usage();
	return 0;
}

static const struct cmd node_cmds[] = {
	{ "show", node_show, "list the nodes of each mesh" },
	{ "list", node_show, "same as show" },
	{ "help", node_help, "this text" },
	{ NULL }
};

int node_main(int argc, char **argv)
{
	return run_cmd("node ", node_cmds, argc, argv, node_usage);
}
