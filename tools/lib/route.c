// SPDX-License-Identifier: GPL-2.0
/*
 * The two rtnetlink requests the benchmark controller makes, a device up or
 * down and an IPv4 address, here so that libpmesh is the one userspace code
 * that opens a netlink socket. pmnl_run() takes their acks: it needs only a
 * socket, whatever its protocol.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>

#include "pmnl.h"

/* Send @msg on a new rtnetlink socket and wait for its ack; frees @msg. */
static int pmnl_route_run(struct nl_msg *msg)
{
	struct pmnl rt = { .sk = nl_socket_alloc() };
	int err;

	if (!rt.sk || nl_connect(rt.sk, NETLINK_ROUTE)) {
		nlmsg_free(msg);
		err = rt.sk ? -ENOTCONN : -ENOMEM;
	} else {
		err = pmnl_run(&rt, msg, NULL, NULL, NULL);
	}
	pmnl_close(&rt);
	return err;
}

int pmnl_route_set_up(const char *ifname, bool up)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = if_nametoindex(ifname),
		.ifi_change = IFF_UP,
		.ifi_flags = up ? IFF_UP : 0,
	};
	struct nl_msg *msg;

	if (!ifi.ifi_index)
		return -ENODEV;
	msg = nlmsg_alloc_simple(RTM_NEWLINK, 0);
	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return pmnl_route_run(msg);
}

int pmnl_route_addr4_add(const char *ifname, const char *cidr)
{
	struct ifaddrmsg ifa = {
		.ifa_family = AF_INET,
		.ifa_index = if_nametoindex(ifname),
	};
	const char *slash = strchr(cidr, '/');
	char addr[INET_ADDRSTRLEN];
	struct nl_msg *msg;
	struct in_addr in;

	if (!ifa.ifa_index)
		return -ENODEV;
	if (!slash || slash - cidr >= (long)sizeof(addr))
		return -EINVAL;
	memcpy(addr, cidr, slash - cidr);
	addr[slash - cidr] = 0;
	if (inet_pton(AF_INET, addr, &in) != 1)
		return -EINVAL;
	ifa.ifa_prefixlen = atoi(slash + 1);
	msg = nlmsg_alloc_simple(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	if (!msg || nlmsg_append(msg, &ifa, sizeof(ifa), NLMSG_ALIGNTO) ||
	    nla_put(msg, IFA_LOCAL, sizeof(in), &in) ||
	    nla_put(msg, IFA_ADDRESS, sizeof(in), &in)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return pmnl_route_run(msg);
}
