// SPDX-License-Identifier: GPL-2.0
/*
 * The formatters that several of the tool's objects share: how a node id,
 * an enum value, a device, a neighbour's bearer look, and the words the
 * command line uses for attributes in error messages.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>

#include "pmesh.h"

/*
 * The words the command line uses for attributes, where they are not the
 * spec's names: the user typed "dev", not "ifname".
 */
const struct attr_words mesh_words = {
	pmnl_mesh_attr_names, PMESH_A_MESH_MAX + 1,
	(const char *const[PMESH_A_MESH_MAX + 1]) {
		[PMESH_A_MESH_NODE_ID] = "node",
	},
};

const struct attr_words neigh_words = {
	pmnl_neigh_attr_names, PMESH_A_NEIGH_MAX + 1,
	(const char *const[PMESH_A_NEIGH_MAX + 1]) {
		[PMESH_A_NEIGH_MESH_ID] = "id",
		[PMESH_A_NEIGH_ADDR] = "address",
	},
};

const struct attr_words link_words = {
	pmnl_link_attr_names, PMESH_A_LINK_MAX + 1,
	(const char *const[PMESH_A_LINK_MAX + 1]) {
		[PMESH_A_LINK_MESH_ID] = "id",
		[PMESH_A_LINK_IFINDEX] = "dev",
		[PMESH_A_LINK_IFNAME] = "dev",
	},
};

const struct attr_words node_words = {
	pmnl_node_attr_names, PMESH_A_NODE_MAX + 1,
	(const char *const[PMESH_A_NODE_MAX + 1]) {
		[PMESH_A_NODE_MESH_ID] = "id",
	},
};

const char *node_hex(uint64_t id, char *buf)
{
	snprintf(buf, 17, "%016" PRIx64, id);
	return buf;
}

const char *enum_name(const char *const *names, size_t n, unsigned int v,
		      char *buf)
{
	const char *name = pmnl_name(names, n, v);

	if (name)
		return name;
	sprintf(buf, "%u", v);
	return buf;
}

const char *ifname(uint32_t ifindex, char *buf)
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "if%u", ifindex);
	return buf;
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

/**
 * bearer_parse() - how a neighbour is reached, from a neigh-get reply or a
 * neigh event: a UDP peer (addr, port) or an Ethernet station (ifindex,
 * lladdr)
 * @tb: the message's PMESH_A_NEIGH_* attributes
 * @b: filled in
 *
 * Return: 0, or -1 if neither is there whole.
 */
int bearer_parse(struct nlattr **tb, struct bearer *b)
{
	memset(b, 0, sizeof(*b));
	if (tb[PMESH_A_NEIGH_IFINDEX] && tb[PMESH_A_NEIGH_LLADDR] &&
	    nla_len(tb[PMESH_A_NEIGH_LLADDR]) == 6) {
		const unsigned char *m = nla_data(tb[PMESH_A_NEIGH_LLADDR]);

		b->eth = true;
		ifname(nla_get_u32(tb[PMESH_A_NEIGH_IFINDEX]), b->dev);
		snprintf(b->lladdr, sizeof(b->lladdr),
			 "%02x:%02x:%02x:%02x:%02x:%02x",
			 m[0], m[1], m[2], m[3], m[4], m[5]);
		return 0;
	}
	if (tb[PMESH_A_NEIGH_ADDR] && tb[PMESH_A_NEIGH_PORT]) {
		int alen = nla_len(tb[PMESH_A_NEIGH_ADDR]);

		if ((alen != 4 && alen != 16) ||
		    !inet_ntop(alen == 4 ? AF_INET : AF_INET6,
			       nla_data(tb[PMESH_A_NEIGH_ADDR]), b->addr,
			       sizeof(b->addr)))
			return -1;
		b->v6 = alen == 16;
		b->port = nla_get_u16(tb[PMESH_A_NEIGH_PORT]);
		return 0;
	}
	return -1;
}

/*
 * " udp ADDR:PORT" ("[ADDR]" for IPv6) or " dev IFNAME lladdr MAC" as text;
 * "bearer" ("udp" or "eth") and the same as members in JSON.
 */
void print_bearer(const struct bearer *b)
{
	if (b->eth) {
		print_string(PRINT_JSON, "bearer", NULL, "eth");
		print_string(PRINT_ANY, "dev", " dev %s", b->dev);
		print_string(PRINT_ANY, "lladdr", " lladdr %s", b->lladdr);
		return;
	}
	print_string(PRINT_JSON, "bearer", NULL, "udp");
	print_string(PRINT_ANY, "address", b->v6 ? " udp [%s]" : " udp %s",
		     b->addr);
	print_uint(PRINT_ANY, "port", ":%" PRIu64, b->port);
}
