// SPDX-License-Identifier: GPL-2.0
/*
 * pmesh monitor: print the events of the "events" group as they happen, one
 * line each with a timestamp (UTC), or one JSON object a line with -j.
 */
#include <arpa/inet.h>
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
	      "mesh added, changed or deleted, a neighbour up or down. With -j,\n"
	      "one JSON object a line. Runs until interrupted.\n",
	      stdout);
}

static const char *const event_names[PMESH_CMD_MAX + 1] = {
	[PMESH_CMD_MESH_ADD_NTF] = "mesh-add",
	[PMESH_CMD_MESH_DEL_NTF] = "mesh-del",
	[PMESH_CMD_MESH_CHANGE_NTF] = "mesh-change",
	[PMESH_CMD_NEIGH_UP_NTF] = "neigh-up",
	[PMESH_CMD_NEIGH_DOWN_NTF] = "neigh-down",
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

static void print_mesh_event(const char *ev, const char *when,
			     struct nlmsghdr *nlh)
{
	struct nlattr *tb[PMESH_A_MESH_MAX + 1];
	char node[17] = "";
	struct json j;

	if (genlmsg_parse(nlh, 0, tb, PMESH_A_MESH_MAX, NULL) ||
	    !tb[PMESH_A_MESH_ID])
		return;
	if (tb[PMESH_A_MESH_NODE_ID])
		snprintf(node, sizeof(node), "%016" PRIx64,
			 nla_get_u64(tb[PMESH_A_MESH_NODE_ID]));
	if (json_output) {
		json_init(&j, stdout, false);
		json_obj_open(&j, NULL);
		json_str(&j, "time", when);
		json_str(&j, "event", ev);
		json_uint(&j, "mesh", nla_get_u32(tb[PMESH_A_MESH_ID]));
		json_str(&j, "node", node);
		json_obj_close(&j);
		json_end(&j);
		return;
	}
	printf("%s %s mesh %u node %s\n", when, ev,
	       nla_get_u32(tb[PMESH_A_MESH_ID]), node);
}

static void print_neigh_event(const char *ev, const char *when,
			      struct nlmsghdr *nlh)
{
	struct nlattr *tb[PMESH_A_NEIGH_MAX + 1];
	char addr[INET6_ADDRSTRLEN], node[17] = "-";
	struct json j;
	int alen;

	if (genlmsg_parse(nlh, 0, tb, PMESH_A_NEIGH_MAX, NULL) ||
	    !tb[PMESH_A_NEIGH_MESH_ID] || !tb[PMESH_A_NEIGH_ADDR] ||
	    !tb[PMESH_A_NEIGH_PORT])
		return;
	alen = nla_len(tb[PMESH_A_NEIGH_ADDR]);
	inet_ntop(alen == 4 ? AF_INET : AF_INET6, nla_data(tb[PMESH_A_NEIGH_ADDR]),
		  addr, sizeof(addr));
	if (tb[PMESH_A_NEIGH_NODE_ID])
		snprintf(node, sizeof(node), "%016" PRIx64,
			 nla_get_u64(tb[PMESH_A_NEIGH_NODE_ID]));
	if (json_output) {
		json_init(&j, stdout, false);
		json_obj_open(&j, NULL);
		json_str(&j, "time", when);
		json_str(&j, "event", ev);
		json_uint(&j, "mesh", nla_get_u32(tb[PMESH_A_NEIGH_MESH_ID]));
		json_str(&j, "bearer", "udp");
		json_str(&j, "address", addr);
		json_uint(&j, "port", nla_get_u16(tb[PMESH_A_NEIGH_PORT]));
		json_str(&j, "node", node);
		json_obj_close(&j);
		json_end(&j);
		return;
	}
	printf(alen == 4 ? "%s %s mesh %u udp %s:%u node %s\n" :
			   "%s %s mesh %u udp [%s]:%u node %s\n",
	       when, ev, nla_get_u32(tb[PMESH_A_NEIGH_MESH_ID]), addr,
	       nla_get_u16(tb[PMESH_A_NEIGH_PORT]), node);
}

static int monitor_event(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *g = nlmsg_data(nlh);
	const char *ev;
	char when[40];

	if (g->cmd > PMESH_CMD_MAX || !event_names[g->cmd])
		return NL_OK;
	ev = event_names[g->cmd];
	timestamp(when, sizeof(when));
	if (g->cmd == PMESH_CMD_NEIGH_UP_NTF || g->cmd == PMESH_CMD_NEIGH_DOWN_NTF)
		print_neigh_event(ev, when, nlh);
	else
		print_mesh_event(ev, when, nlh);
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
