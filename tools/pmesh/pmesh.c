// SPDX-License-Identifier: GPL-2.0
/*
 * pmesh - configure pmesh meshes, peers and links, iproute2 style:
 *
 *	pmesh [OPTIONS] OBJECT COMMAND [ARGS]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pmesh.h"

bool json_output;
bool pretty_output;

void pmesh_usage(void)
{
	fputs("Usage: pmesh [OPTIONS] OBJECT { COMMAND | help }\n"
	      "where  OBJECT := { mesh | peer | link | neigh | node | send | recv |\n"
	      "                   monitor | genkey }\n"
	      "       pmesh [OPTIONS] -b[atch] FILE\n"
	      "       OPTIONS := { -j[son] | -p[retty] | -n[etns] NAME | -h[elp] }\n"
	      "\n"
	      "Objects:\n"
	      "  mesh    a flooding domain: its settings and counters\n"
	      "  peer    a static neighbour on the mesh's UDP bearer\n"
	      "  link    the mesh's Ethernet bearer on a device\n"
	      "  neigh   the neighbours of each mesh, with counters\n"
	      "  node    the nodes known in each mesh\n"
	      "  send    flood a datagram to a channel\n"
	      "  recv    print the datagrams that arrive on a channel\n"
	      "  monitor print mesh, link, neighbour and node events as they happen\n"
	      "  genkey  print a new mesh key\n"
	      "\n"
	      "\"pmesh OBJECT help\" shows the commands of an object. -b runs the\n"
	      "commands of FILE (- for standard input), one a line, each perhaps\n"
	      "after \"-n NAME\", stopping at the first that fails.\n",
	      stdout);
}

static int help_main(int argc, char **argv)
{
	pmesh_usage();
	return 0;
}

const struct cmd pmesh_objects[] = {
	{ "mesh", mesh_main, "a flooding domain" },
	{ "peer", peer_main, "a static UDP neighbour" },
	{ "link", link_main, "an Ethernet bearer" },
	{ "neigh", neigh_main, "the neighbours of each mesh" },
	{ "node", node_main, "the nodes of each mesh" },
	{ "send", send_main, "flood a datagram" },
	{ "recv", recv_main, "print datagrams" },
	{ "monitor", monitor_main, "print events" },
	{ "genkey", genkey_main, "print a new mesh key" },
	{ "help", help_main, "this text" },
	{ NULL }
};

/*
 * -n NAME: act in the network namespace NAME of "ip netns", as "ip -n NAME"
 * does; the same as "ip netns exec NAME pmesh ...", one program fewer.
 */
int netns_enter(const char *name)
{
	char path[PATH_MAX];
	int fd, len;

	len = snprintf(path, sizeof(path), "/run/netns/%s", name);
	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..") || len >= (int)sizeof(path))
		return error("invalid network namespace name \"%s\"", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error("cannot open network namespace \"%s\": %s", name,
			     strerror(errno));
	if (setns(fd, CLONE_NEWNET)) {
		int err = errno;

		close(fd);
		return error("cannot enter network namespace \"%s\": %s", name,
			     strerror(err));
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	argc--;
	argv++;
	while (argc > 0 && argv[0][0] == '-' && argv[0][1]) {
		const char *opt = argv[0] + 1 + (argv[0][1] == '-');

		if (!strcmp(opt, "j") || !strcmp(opt, "json")) {
			json_output = true;
		} else if (!strcmp(opt, "p") || !strcmp(opt, "pretty")) {
			pretty_output = true;
		} else if (!strcmp(opt, "n") || !strcmp(opt, "netns")) {
			if (argc < 2) {
				error("%s needs a network namespace name", argv[0]);
				return 1;
			}
			if (netns_enter(argv[1]))
				return 1;
			argc--;
			argv++;
		} else if (!strcmp(opt, "b") || !strcmp(opt, "batch")) {
			if (argc != 2) {
				error("%s takes a file name, and nothing after it",
				      argv[0]);
				return 1;
			}
			return batch(argv[1]) ? 1 : 0;
		} else if (!strcmp(opt, "h") || !strcmp(opt, "help")) {
			pmesh_usage();
			return 0;
		} else {
			error("unknown option \"%s\"; try \"pmesh help\"",
			      argv[0]);
			return 1;
		}
		argc--;
		argv++;
	}
	if (argc < 1) {
		pmesh_usage();
		return 1;
	}
	return run_cmd("", pmesh_objects, argc, argv, pmesh_usage) ? 1 : 0;
}
