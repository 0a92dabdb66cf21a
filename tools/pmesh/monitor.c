// SPDX-License-Identifier: GPL-2.0
/*
 * pmesh monitor: print the events of the "events" group as they happen, one
 * line each with a timestamp (UTC), or one JSON object a line with -j.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>

#include <linux/pmesh_netlink.h>

#include "json.h"
#include "pmesh.h"

void monitor_usage(void)
{
	fputs("Usage: pmesh monitor\n"
	      "\n"
	      "Prints, as they happen, the events of the namespace's meshes: a\n"
	      "mesh added, changed or deleted; a neighbour up or down; a mesh put\n"
	      "on a device or taken off it (link-add, link-del); a node joining\n"
	      "or leaving the mesh (node-join, node-leave, with the reason:\n"
	      "goodbye, timeout, restart or unreachable). With -j, one JSON\n"
	      "object a line. Runs until interrupted.\n",
	      stdout);
}

static const char *const event_names[PMESH_CMD_MAX + 1] = {
	[PMESH_CMD_MESH_ADD_NTF] = "mesh-add",
	[PMESH_CMD_MESH_DEL_NTF] = "mesh-del",
	[PMESH_CMD_MESH_CHANGE_NTF] = "mesh-change",
	[PMESH_CMD_NEIGH_UP_NTF] = "neigh-up",
	[PMESH_CMD_NEIGH_DOWN_NTF] = "neigh-down",
	[PMESH_CMD_LINK_ADD_NTF] = "link-add",
	[PMESH_CMD_LINK_DEL_NTF] = "link-del",
	[PMESH_CMD_NODE_JOIN_NTF] = "node-join",
	[PMESH_CMD_NODE_LEAVE_NTF] = "node-leave",
};

static void timestamp(char *buf, size_t len)
{
	struct timeval tv;
	struct tm tm;
	size_t n;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%03ldZ", (long)tv.tv_usec / 1000);
}

/*
 * An event is "TIME EVENT key value..." on one line, or a JSON object with
 * the same keys on one line.
 */
static void event_open(struct json *j, const char *ev)
{
	char when[40];

	timestamp(when, sizeof(when));
	if (!json_output) {
		printf("%s %s", when, ev);
		return;
	}
	json_init(j, stdout, false);
	json_obj_open(j, NULL);
	json_str(j, "time", when);
	json_str(j, "event", ev);
}

static void event_str(struct json *j, const char *key, const char *val)
{
	if (json_output)
		json_str(j, key, val);
	else
		printf(" %s %s", key, val);
}

static void event_uint(struct json *j, const char *key, uint64_t val)
{
	if (json_output)
		json_uint(j, key, val);
	else
		printf(" %s %" PRIu64, key, val);
}

static void event_node(struct json *j, const struct nlattr *attr)
{
	char node[17] = "-";

	if (attr)
		snprintf(node, sizeof(node), "%016" PRIx64,
			 nla_get_u64((struct nlattr *)attr));
	event_str(j, "node", node);
}

static void event_close(struct json *j)
{
	if (!json_output) {
		putchar('\n');
		return;
	}
	json_obj_close(j);
	json_end(j);
}

static void print_mesh_event(const char *ev, struct nlmsghdr *nlh)
{
	struct nlattr *tb[PMESH_A_MESH_MAX + 1];
	struct json j;

	if (genlmsg_parse(nlh, 0, tb, PMESH_A_MESH_MAX, NULL) ||
	    !tb[PMESH_A_MESH_ID])
		return;
	event_open(&j, ev);
	event_uint(&j, "mesh", nla_get_u32(tb[PMESH_A_MESH_ID]));
	event_node(&j, tb[PMESH_A_MESH_NODE_ID]);
	event_close(&j);
}

static void print_neigh_event(const char *ev, struct nlmsghdr *nlh)
{
	struct nlattr *tb[PMESH_A_NEIGH_MAX + 1];
	struct bearer b;
	struct json j;

	if (genlmsg_parse(nlh, 0, tb, PMESH_A_NEIGH_MAX, NULL) ||
	    !tb[PMESH_A_NEIGH_MESH_ID] || bearer_parse(tb, &b))
		return;
	event_open(&j, ev);
	event_uint(&j, "mesh", nla_get_u32(tb[PMESH_A_NEIGH_MESH_ID]));
	if (json_output)
		bearer_json(&j, &b);
	else
		printf(" %s", b.text);
	event_node(&j, tb[PMESH_A_NEIGH_NODE_ID]);
	event_close(&j);
}

static void print_link_event(const char *ev, struct nlmsghdr *nlh)
{
	struct nlattr *tb[PMESH_A_LINK_MAX + 1];
	char dev[IF_NAMESIZE];
	struct json j;

	if (genlmsg_parse(nlh, 0, tb, PMESH_A_LINK_MAX, NULL) ||
	    !tb[PMESH_A_LINK_MESH_ID] || !tb[PMESH_A_LINK_IFINDEX])
		return;
	event_open(&j, ev);
	event_uint(&j, "mesh", nla_get_u32(tb[PMESH_A_LINK_MESH_ID]));
	event_str(&j, "dev", link_dev(tb, dev));
	if (json_output)
		json_uint(&j, "ifindex", nla_get_u32(tb[PMESH_A_LINK_IFINDEX]));
	event_close(&j);
}

static void print_node_event(const char *ev, struct nlmsghdr *nlh)
{
	struct nlattr *tb[PMESH_A_NODE_MAX + 1];
	char num[4];
	struct json j;

	if (genlmsg_parse(nlh, 0, tb, PMESH_A_NODE_MAX, NULL) ||
	    !tb[PMESH_A_NODE_MESH_ID] || !tb[PMESH_A_NODE_NODE_ID])
		return;
	event_open(&j, ev);
	event_uint(&j, "mesh", nla_get_u32(tb[PMESH_A_NODE_MESH_ID]));
	event_node(&j, tb[PMESH_A_NODE_NODE_ID]);
	if (tb[PMESH_A_NODE_HOPS])
		event_uint(&j, "hops", nla_get_u8(tb[PMESH_A_NODE_HOPS]));
	if (tb[PMESH_A_NODE_REASON])
		event_str(&j, "reason", node_reason(tb[PMESH_A_NODE_REASON], num));
	event_close(&j);
}

static int monitor_event(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *g = nlmsg_data(nlh);
	const char *ev;

	if (g->cmd > PMESH_CMD_MAX || !event_names[g->cmd])
		return NL_OK;
	ev = event_names[g->cmd];
	switch (g->cmd) {
	case PMESH_CMD_NEIGH_UP_NTF:
	case PMESH_CMD_NEIGH_DOWN_NTF:
		print_neigh_event(ev, nlh);
		break;
	case PMESH_CMD_LINK_ADD_NTF:
	case PMESH_CMD_LINK_DEL_NTF:
		print_link_event(ev, nlh);
		break;
	case PMESH_CMD_NODE_JOIN_NTF:
	case PMESH_CMD_NODE_LEAVE_NTF:
		print_node_event(ev, nlh);
		break;
	default:
		print_mesh_event(ev, nlh);
	}
	return NL_OK;
}

int monitor_main(int argc, char **argv)
{
	struct nl_sock *sk;
	int grp;

	if (argc > 0 && !strcmp(argv[0], "help")) {
		monitor_usage();
		return 0;
	}
	if (argc > 0)
		return error("unknown argument \"%s\"; try \"pmesh monitor help\"",
			     argv[0]);
	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk))
		return error("cannot open a generic netlink socket");
	grp = genl_ctrl_resolve_grp(sk, PMESH_FAMILY_NAME, PMESH_MCGRP_EVENTS);
	if (grp < 0) {
		nl_socket_free(sk);
		return error("the pmesh module is not loaded (no \"pmesh\" generic netlink family; try \"modprobe pmesh\")");
	}
	if (nl_socket_add_membership(sk, grp)) {
		nl_socket_free(sk);
		return error("cannot join the events group");
	}
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, monitor_event, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (;;) {
		int err = nl_recvmsgs_default(sk);

		if (err < 0 && err != -NLE_INTR && err != -NLE_AGAIN) {
			nl_socket_free(sk);
			return error("receiving events: %s", nl_geterror(err));
		}
	}
}
