// SPDX-License-Identifier: GPL-2.0
/*
 * pmesh node { show | help }: the membership table of each mesh, and the
 * names of its states and leave reasons, here and for pmesh monitor.
 */
#include <inttypes.h>
#include <stdio.h>
#include <netlink/attr.h>

#include <linux/pmesh_netlink.h>

#include "json.h"
#include "pmesh.h"

static const char *const node_attr_names[PMESH_A_NODE_MAX + 1] = {
	[PMESH_A_NODE_MESH_ID] = "id",
};

static const char *const node_states[] = {
	[PMESH_NODE_STATE_SELF] = "self",
	[PMESH_NODE_STATE_UP] = "up",
	[PMESH_NODE_STATE_STALE] = "stale",
};

static const char *const leave_reasons[] = {
	[PMESH_LEAVE_REASON_GOODBYE] = "goodbye",
	[PMESH_LEAVE_REASON_TIMEOUT] = "timeout",
	[PMESH_LEAVE_REASON_RESTART] = "restart",
	[PMESH_LEAVE_REASON_UNREACHABLE] = "unreachable",
};

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

/* The name of enum value @v in @names, or its number in @buf. */
static const char *enum_name(const char *const *names, unsigned int n,
			     unsigned int v, char *buf)
{
	if (v < n && names[v])
		return names[v];
	sprintf(buf, "%u", v);
	return buf;
}

/* @buf: 4 bytes at least */
const char *node_reason(struct nlattr *attr, char *buf)
{
	return enum_name(leave_reasons, ARRAY_SIZE(leave_reasons),
			 nla_get_u8(attr), buf);
}

static int node_print(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[PMESH_A_NODE_MAX + 1];
	char node[17], num[4];
	const char *state;
	struct json *j = arg;

	if (genlmsg_parse(nlh, 0, tb, PMESH_A_NODE_MAX, NULL) ||
	    !tb[PMESH_A_NODE_MESH_ID] || !tb[PMESH_A_NODE_NODE_ID] ||
	    !tb[PMESH_A_NODE_STATE])
		return error("malformed reply from the kernel");
	snprintf(node, sizeof(node), "%016" PRIx64,
		 nla_get_u64(tb[PMESH_A_NODE_NODE_ID]));
	state = enum_name(node_states, ARRAY_SIZE(node_states),
			  nla_get_u8(tb[PMESH_A_NODE_STATE]), num);

	if (json_output) {
		json_obj_open(j, NULL);
		json_uint(j, "mesh", nla_get_u32(tb[PMESH_A_NODE_MESH_ID]));
		json_str(j, "node", node);
		json_str(j, "state", state);
		if (tb[PMESH_A_NODE_HOPS])
			json_uint(j, "hops", nla_get_u8(tb[PMESH_A_NODE_HOPS]));
		if (tb[PMESH_A_NODE_LAST_HEARD])
			json_uint(j, "last_heard_ms",
				  nla_get_u32(tb[PMESH_A_NODE_LAST_HEARD]));
		if (tb[PMESH_A_NODE_INTERVAL])
			json_uint(j, "interval",
				  nla_get_u32(tb[PMESH_A_NODE_INTERVAL]));
		if (tb[PMESH_A_NODE_TIMEOUT])
			json_uint(j, "timeout", nla_get_u32(tb[PMESH_A_NODE_TIMEOUT]));
		json_obj_close(j);
		return 0;
	}
	printf("mesh %u node %s %s", nla_get_u32(tb[PMESH_A_NODE_MESH_ID]), node,
	       state);
	if (tb[PMESH_A_NODE_HOPS])
		printf(" hops %u", nla_get_u8(tb[PMESH_A_NODE_HOPS]));
	if (tb[PMESH_A_NODE_LAST_HEARD])
		printf(" heard %ums ago", nla_get_u32(tb[PMESH_A_NODE_LAST_HEARD]));
	else
		printf(" heard -");
	if (tb[PMESH_A_NODE_INTERVAL])
		printf(" interval %u", nla_get_u32(tb[PMESH_A_NODE_INTERVAL]));
	if (tb[PMESH_A_NODE_TIMEOUT])
		printf(" timeout %u", nla_get_u32(tb[PMESH_A_NODE_TIMEOUT]));
	putchar('\n');
	return 0;
}

static int node_show(int argc, char **argv)
{
	return show("node", PMESH_CMD_NODE_GET, PMESH_A_NODE_MESH_ID, argc, argv,
		    node_print, true, node_attr_names, PMESH_A_NODE_MAX + 1);
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
