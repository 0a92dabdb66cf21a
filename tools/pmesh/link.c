// SPDX-License-Identifier: GPL-2.0
/*
 * pmesh link { add | del | show | help }: the Ethernet bearer of a mesh on a
 * net device.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>

#include <linux/pmesh_netlink.h>

#include "pmesh.h"

void link_usage(void)
{
	fputs("Usage: pmesh link add ID dev IFNAME\n"
	      "       pmesh link del ID dev IFNAME\n"
	      "       pmesh link show [ ID ]\n"
	      "\n"
	      "A link puts mesh ID on the Ethernet device IFNAME: its frames are\n"
	      "broadcast there, and the nodes on the same segment are found by\n"
	      "their beacons, without configuration. A device may carry several\n"
	      "meshes, a mesh up to 16 devices. show lists the links of mesh ID,\n"
	      "or of every mesh: the device, its MTU, the stations found on it,\n"
	      "whether it is up, and the frames and bytes broadcast on it.\n",
	      stdout);
}

/* "ID dev IFNAME" of link add and del. */
static int link_request(uint8_t cmd, int argc, char **argv)
{
	char dev[IF_NAMESIZE] = "";
	struct pmnl nl;
	struct nl_msg *msg;
	uint64_t id;

	if (argc < 1)
		return error("mesh id is missing; try \"pmesh link help\"");
	if (parse_u64("mesh id", argv[0], 10, UINT32_MAX, &id))
		return -1;
	for (int i = 1; i < argc; i += 2) {
		if (strcmp(argv[i], "dev"))
			return error("unknown argument \"%s\"; try \"pmesh link help\"",
				     argv[i]);
		if (*dev)
			return error("dev is given twice");
		if (parse_ifname(i + 1 < argc ? argv[i + 1] : NULL, dev))
			return -1;
	}
	if (!*dev)
		return error("dev is missing; try \"pmesh link help\"");

	if (nl_open_or_complain(&nl))
		return -1;
	msg = pmnl_msg(&nl, cmd, 0);
	return request(&nl, msg,
		       !msg || nla_put_u32(msg, PMESH_A_LINK_MESH_ID, id) ||
		       nla_put_string(msg, PMESH_A_LINK_IFNAME, dev),
		       &link_words);
}

static int link_add(int argc, char **argv)
{
	return link_request(PMESH_CMD_LINK_NEW, argc, argv);
}

static int link_del(int argc, char **argv)
{
	return link_request(PMESH_CMD_LINK_DEL, argc, argv);
}

static uint64_t uint_or_0(struct nlattr *attr)
{
	return attr ? pmnl_get_uint(attr) : 0;
}

static int link_print(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[PMESH_A_LINK_MAX + 1];
	char dev[IF_NAMESIZE];

	if (pmnl_parse(nlh, tb, PMESH_A_LINK_MAX) ||
	    !tb[PMESH_A_LINK_MESH_ID] || !tb[PMESH_A_LINK_IFINDEX])
		return error("malformed reply from the kernel");

	open_json_object(NULL);
	print_uint(PRINT_ANY, "mesh", "mesh %" PRIu64,
		   nla_get_u32(tb[PMESH_A_LINK_MESH_ID]));
	print_string(PRINT_ANY, "dev", " dev %s", link_dev(tb, dev));
	print_uint(PRINT_ANY, "ifindex", " ifindex %" PRIu64,
		   nla_get_u32(tb[PMESH_A_LINK_IFINDEX]));
	print_uint(PRINT_ANY, "mtu", " mtu %" PRIu64,
		   uint_or_0(tb[PMESH_A_LINK_MTU]));
	print_uint(PRINT_ANY, "stations", " stations %" PRIu64,
		   uint_or_0(tb[PMESH_A_LINK_NEIGHS]));
	print_string(PRINT_ANY, "state", " %s",
		     uint_or_0(tb[PMESH_A_LINK_OPER_UP]) ? "up" : "down");
	print_uint(PRINT_ANY, "tx_frames", "\n    tx %" PRIu64 " frames",
		   uint_or_0(tb[PMESH_A_LINK_TX_FRAMES]));
	print_uint(PRINT_ANY, "tx_bytes", " %" PRIu64 " bytes",
		   uint_or_0(tb[PMESH_A_LINK_TX_BYTES]));
	print_uint(PRINT_ANY, "auth_fail", "  auth-fail %" PRIu64,
		   uint_or_0(tb[PMESH_A_LINK_AUTH_FAIL]));
	close_json_object();
	print_nl();
	return 0;
}

static int link_show(int argc, char **argv)
{
	return show("link", PMESH_CMD_LINK_GET, PMESH_A_LINK_MESH_ID, argc, argv,
		    link_print, true, &link_words);
}

static int link_help(int argc, char **argv)
{
	link_usage();
	return 0;
}

static const struct cmd link_cmds[] = {
	{ "add", link_add, "put a mesh on a device" },
	{ "del", link_del, "take a mesh off a device" },
	{ "delete", link_del, "take a mesh off a device" },
	{ "show", link_show, "list links and their counters" },
	{ "list", link_show, "same as show" },
	{ "help", link_help, "this text" },
	{ NULL }
};

int link_main(int argc, char **argv)
{
	return run_cmd("link ", link_cmds, argc, argv, link_usage);
}
