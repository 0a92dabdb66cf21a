/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pmesh tool: shared declarations of its objects and helpers.
 */
#ifndef PMESH_H
#define PMESH_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "json.h"
#include "pmnl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

extern bool json_output;
extern bool pretty_output;

/**
 * struct cmd - one word of the command line and what it runs
 * @name: the word; any unambiguous prefix of it is accepted
 * @run: the handler, given the words after @name
 * @help: one line for the help text
 */
struct cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
};

int run_cmd(const char *what, const struct cmd *cmds, int argc, char **argv,
	    void (*usage)(void));

int mesh_main(int argc, char **argv);
void mesh_usage(void);
int peer_main(int argc, char **argv);
void peer_usage(void);
int link_main(int argc, char **argv);
void link_usage(void);
int neigh_main(int argc, char **argv);
void neigh_usage(void);
int node_main(int argc, char **argv);
void node_usage(void);
int send_main(int argc, char **argv);
void send_usage(void);
int recv_main(int argc, char **argv);
int monitor_main(int argc, char **argv);
void monitor_usage(void);
void recv_usage(void);

extern const char *const neigh_attr_names[];

/**
 * struct bearer - how a neighbour is reached, from its PMESH_A_NEIGH_* attrs
 * @text: "udp ADDR:PORT" or "dev IFNAME lladdr MAC", for text output
 * @eth: a station on an Ethernet link, not a UDP peer
 * @addr: the UDP peer's address
 * @port: the UDP peer's port
 * @dev: the link's device
 * @lladdr: the station's MAC address
 */
struct bearer {
	char text[96];
	bool eth;
	char addr[46];
	uint16_t port;
	char dev[IF_NAMESIZE];
	char lladdr[18];
};

int bearer_parse(struct nlattr **tb, struct bearer *b);
void bearer_json(struct json *j, const struct bearer *b);
const char *link_dev(struct nlattr **tb, char *buf);
const char *node_reason(struct nlattr *attr, char *buf);

/* Helpers: each prints "Error: ..." and returns -1 on bad input. */
int parse_u64(const char *what, const char *s, int base, uint64_t max,
	      uint64_t *val);
int nl_open_or_complain(struct pmnl *nl);
int nl_complain(const struct pmnl_err *err, const char *const *names,
		int n_names);
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int parse_ifname(const char *s, char *buf);
int request(struct pmnl *nl, struct nl_msg *msg, bool put_failed,
	    const char *const *names, int n_names);
int show(const char *what, uint8_t cmd, int id_attr, int argc, char **argv,
	 pmnl_cb print, bool dump, const char *const *names, int n_names);

/* The name of device @ifindex here, or "ifN" when it has none (any more). */
const char *ifname(uint32_t ifindex, char *buf);

#endif
