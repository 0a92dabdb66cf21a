// SPDX-License-Identifier: GPL-2.0
/*
 * pmesh peer { add | del | help }: static UDP neighbours of a mesh.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>

#include <linux/pmesh_netlink.h>

#include "pmesh.h"

void peer_usage(void)
{
	fputs("Usage: pmesh peer add ID ADDR PORT\n"
	      "       pmesh peer del ID ADDR PORT\n"
	      "\n"
	      "A peer is a neighbour on the mesh's UDP bearer: the node whose mesh\n"
	      "ID listens on UDP port PORT of address ADDR (IPv4 or IPv6). Frames\n"
	      "are accepted only from peers; add each peer on both sides.\n",
	      stdout);
}

static int peer_request(uint8_t cmd, int argc, char **argv)
{
	unsigned char addr[16];
	uint64_t id, port;
	struct pmnl nl;
	struct nl_msg *msg;
	int alen;

	if (argc != 3)
		return error("peer needs ID ADDR PORT; try \"pmesh peer help\"");
	if (parse_u64("mesh id", argv[0], 10, UINT32_MAX, &id) ||
	    parse_u64("port", argv[2], 10, UINT16_MAX, &port))
		return -1;
	if (inet_pton(AF_INET, argv[1], addr) == 1)
		alen = 4;
	else if (inet_pton(AF_INET6, argv[1], addr) == 1)
		alen = 16;
	else
		return error("invalid address \"%s\"", argv[1]);

	if (nl_open_or_complain(&nl))
		return -1;
	msg = pmnl_msg(&nl, cmd, 0);
	return request(&nl, msg,
		       !msg || nla_put_u32(msg, PMESH_A_NEIGH_MESH_ID, id) ||
		       nla_put(msg, PMESH_A_NEIGH_ADDR, alen, addr) ||
		       nla_put_u16(msg, PMESH_A_NEIGH_PORT, port),
		       &neigh_words);
}

static int peer_add(int argc, char **argv)
{
	return peer_request(PMESH_CMD_PEER_NEW, argc, argv);
}

static int peer_del(int argc, char **argv)
{
	return peer_request(PMESH_CMD_PEER_DEL, argc, argv);
}

static int peer_help(int argc, char **argv)
{
	peer_usage();
	return 0;
}

static const struct cmd peer_cmds[] = {
	{ "add", peer_add, "add a UDP peer" },
	{ "del", peer_del, "remove a UDP peer" },
	{ "delete", peer_del, "remove a UDP peer" },
	{ "help", peer_help, "this text" },
	{ NULL }
};

int peer_main(int argc, char **argv)
{
	return run_cmd("peer ", peer_cmds, argc, argv, peer_usage);
}
