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

#include "json.h"
#include "pmesh.h"

/* Attribute names as the user types them, for error messages. */
static const char *const link_attr_names[PMESH_A_LINK_MAX + 1] = {
	[PMESH_A_LINK_MESH_ID] = "id",
	[PMESH_A_LINK_IFINDEX] = "dev",
	[PMESH_A_LINK_IFNAME] = "dev",
};

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
		       link_attr_names, PMESH_A_LINK_MAX + 1);
}

static int link_add(int argc, char **argv)
{
	return link_request(PMESH_CMD_LINK_NEW, argc, argv);
}

static int link_del(int argc, char **argv)
{
	return link_request(PMESH_CMD_LINK_DEL, argc, argv);
}

/**
 * link_dev() - the device of a link-get reply or link event
 * @tb: its PMESH_A_LINK_* attributes
 * @buf: IF_NAMESIZE bytes for the name
 *
 * The kernel's name when it sent one: the device of a link-del event may be
 * gone already. Otherwise the name of the ifindex here.
 */
const char *link_dev(struct nlattr **tb, char *buf)
{
	if (tb[PMESH_A_LINK_IFNAME]) {
		snprintf(buf, IF_NAMESIZE, "%s",
			 nla_get_string(tb[PMESH_A_LINK_IFNAME]));
		return buf;
	}
	return ifname(nla_get_u32(tb[PMESH_A_LINK_IFINDEX]), buf);
}

static int link_print(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[PMESH_A_LINK_MAX + 1];
	uint64_t frames = 0, bytes = 0;
	uint32_t mtu = 0, stations = 0;
	const char *state = "down";
	char dev[IF_NAMESIZE];
	struct json *j = arg;

	if (genlmsg_parse(nlh, 0, tb, PMESH_A_LINK_MAX, NULL) ||
	    !tb[PMESH_A_LINK_MESH_ID] || !tb[PMESH_A_LINK_IFINDEX])
		return error("malformed reply from the kernel");
	link_dev(tb, dev);
	if (tb[PMESH_A_LINK_MTU])
		mtu = nla_get_u32(tb[PMESH_A_LINK_MTU]);
	if (tb[PMESH_A_LINK_NEIGHS])
		stations = nla_get_u32(tb[PMESH_A_LINK_NEIGHS]);
	if (tb[PMESH_A_LINK_OPER_UP] && nla_get_u8(tb[PMESH_A_LINK_OPER_UP]))
		state = "up";
	if (tb[PMESH_A_LINK_TX_FRAMES])
		frames = pmnl_get_uint(tb[PMESH_A_LINK_TX_FRAMES]);
	if (tb[PMESH_A_LINK_TX_BYTES])
		bytes = pmnl_get_uint(tb[PMESH_A_LINK_TX_BYTES]);

	if (json_output) {
		json_obj_open(j, NULL);
		json_uint(j, "mesh", nla_get_u32(tb[PMESH_A_LINK_MESH_ID]));
		json_str(j, "dev", dev);
		json_uint(j, "ifindex", nla_get_u32(tb[PMESH_A_LINK_IFINDEX]));
		json_uint(j, "mtu", mtu);
		json_uint(j, "stations", stations);
		json_str(j, "state", state);
		json_uint(j, "tx_frames", frames);
		json_uint(j, "tx_bytes", bytes);
		json_obj_close(j);
		return 0;
	}
	printf("mesh %u dev %s ifindex %u mtu %u stations %u %s\n"
	       "    tx %" PRIu64 " frames %" PRIu64 " bytes\n",
	       nla_get_u32(tb[PMESH_A_LINK_MESH_ID]), dev,
	       nla_get_u32(tb[PMESH_A_LINK_IFINDEX]), mtu, stations, state,
	       frames, bytes);
	return 0;
}

static int link_show(int argc, char **argv)
{
	return show("link", PMESH_CMD_LINK_GET, PMESH_A_LINK_MESH_ID, argc, argv,
		    link_print, true, link_attr_names, PMESH_A_LINK_MAX + 1);
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
