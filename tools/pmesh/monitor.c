// SPDX-License-Identifier: GPL-2.0
/*
 * pmesh monitor: print the events of the "events" group as they happen, one
 * line each with a timestamp (UTC), or one JSON object a line with -j.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <netlink/attr.h>

#include <linux/pmesh_netlink.h>

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
static void event_open(const char *ev)
{
	char when[40];

	timestamp(when, sizeof(when));
	new_json_obj(false);
	open_json_object(NULL);
	print_string(PRINT_ANY, "time", "%s", when);
	print_string(PRINT_ANY, "event", " %s", ev);
}

static void event_mesh(struct nlattr *attr)
{
	print_uint(PRINT_ANY, "mesh", " mesh %" PRIu64, nla_get_u32(attr));
}

static void event_node(const struct nlattr *attr)
{
	char node[17] = "-";

	if (attr)
		node_hex(nla_get_u64((struct nlattr *)attr), node);
	print_string(PRINT_ANY, "node", " node %s", node);
}

static void event_close(void)
{
	close_json_object();
	print_nl();
	delete_json_obj();
}

static void print_mesh_event(const char *ev, struct nlmsghdr *nlh)
{
	struct nlattr *tb[PMESH_A_MESH_MAX + 1];

	if (pmnl_parse(nlh, tb, PMESH_A_MESH_MAX) || !tb[PMESH_A_MESH_ID])
		return;
	event_open(ev);
	event_mesh(tb[PMESH_A_MESH_ID]);
	event_node(tb[PMESH_A_MESH_NODE_ID]);
	event_close();
}

static void print_neigh_event(const char *ev, struct nlmsghdr *nlh)
{
	struct nlattr *tb[PMESH_A_NEIGH_MAX + 1];
	struct bearer b;

	if (pmnl_parse(nlh, tb, PMESH_A_NEIGH_MAX) ||
	    !tb[PMESH_A_NEIGH_MESH_ID] || bearer_parse(tb, &b))
		return;
	event_open(ev);
	event_mesh(tb[PMESH_A_NEIGH_MESH_ID]);
	print_bearer(&b);
	event_node(tb[PMESH_A_NEIGH_NODE_ID]);
	event_close();
}

static void print_link_event(const char *ev, struct nlmsghdr *nlh)
{
	struct nlattr *tb[PMESH_A_LINK_MAX + 1];
	char dev[IF_NAMESIZE];

	if (pmnl_parse(nlh, tb, PMESH_A_LINK_MAX) ||
	    !tb[PMESH_A_LINK_MESH_ID] || !tb[PMESH_A_LINK_IFINDEX])
		return;
	event_open(ev);
	event_mesh(tb[PMESH_A_LINK_MESH_ID]);
	print_string(PRINT_ANY, "dev", " dev %s", link_dev(tb, dev));
	print_uint(PRINT_JSON, "ifindex", NULL,
		   nla_get_u32(tb[PMESH_A_LINK_IFINDEX]));
	event_close();
}

static void print_node_event(const char *ev, struct nlmsghdr *nlh)
{
	struct nlattr *tb[PMESH_A_NODE_MAX + 1];
	char num[12];

	if (pmnl_parse(nlh, tb, PMESH_A_NODE_MAX) ||
	    !tb[PMESH_A_NODE_MESH_ID] || !tb[PMESH_A_NODE_NODE_ID])
		return;
	event_open(ev);
	event_mesh(tb[PMESH_A_NODE_MESH_ID]);
	event_node(tb[PMESH_A_NODE_NODE_ID]);
	if (tb[PMESH_A_NODE_HOPS])
		print_uint(PRINT_ANY, "hops", " hops %" PRIu64,
			   nla_get_u8(tb[PMESH_A_NODE_HOPS]));
	if (tb[PMESH_A_NODE_REASON])
		print_string(PRINT_ANY, "reason", " reason %s",
			     enum_name(pmnl_leave_reason_names,
				       ARRAY_SIZE(pmnl_leave_reason_names),
				       nla_get_u8(tb[PMESH_A_NODE_REASON]),
				       num));
	event_close();
}

static int monitor_event(struct nlmsghdr *nlh, void *arg)
{
	uint8_t cmd = pmnl_cmd(nlh);
	const char *ev = PMNL_NAME(pmnl_event_names, cmd);

	if (!ev)
		return 0;
	switch (cmd) {
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
	return 0;
}

int monitor_main(int argc, char **argv)
{
	struct pmnl ev;
	int err;

	if (argc > 0 && !strcmp(argv[0], "help")) {
		monitor_usage();
		return 0;
	}
	if (argc > 0)
		return error("unknown argument \"%s\"; try \"pmesh monitor help\"",
			     argv[0]);
	err = pmnl_events_open(&ev);
	if (err == -ENOENT)
		return error("%s", pmnl_open_error(err));
	if (err == -EIO)
		return error("cannot join the events group");
	if (err)
		return error("cannot open a generic netlink socket");
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (;;) {
		err = pmnl_events_wait(&ev, -1);
		if (err >= 0)
			err = pmnl_events_process(&ev, monitor_event, NULL);
		if (err < 0 && err != -EINTR) {
			pmnl_close(&ev);
			return error("receiving events: %s", strerror(-err));
		}
	}
}
