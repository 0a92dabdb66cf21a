/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pmesh tool: shared declarations of its objects and helpers.
 */
#ifndef PMESH_H
#define PMESH_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "pmnl.h"
#include "print.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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

/* pmesh.c: the objects, the help, -n; batch.c: -b. */
extern const struct cmd pmesh_objects[];
void pmesh_usage(void);
int netns_enter(const char *name);
int batch(const char *path);

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
int genkey_main(int argc, char **argv);
void genkey_usage(void);

/* A mesh key: 32 bytes, in a file as one line of base64 (key.c). */
#define KEY_LEN 32
int key_read(const char *path, uint8_t *key);
void recv_usage(void);

/**
 * struct attr_words - the names of an attribute set's attributes in errors
 * @spec: the spec's names (pmnl_*_attr_names)
 * @n: entries in @spec and @cli
 * @cli: the command line's word where it is not the spec's name
 */
struct attr_words {
	const char *const *spec;
	int n;
	const char *const *cli;
};

extern const struct attr_words mesh_words, neigh_words, link_words,
	node_words;

/**
 * struct bearer - how a neighbour is reached, from its PMESH_A_NEIGH_* attrs
 * @eth: a station on an Ethernet link, not a UDP peer
 * @v6: the UDP peer's address is IPv6
 * @addr: the UDP peer's address
 * @port: the UDP peer's port
 * @dev: the link's device
 * @lladdr: the station's MAC address
 */
struct bearer {
	bool eth;
	bool v6;
	char addr[46];
	uint16_t port;
	char dev[IF_NAMESIZE];
	char lladdr[18];
};

/* Shared formatters (format.c). */
int bearer_parse(struct nlattr **tb, struct bearer *b);
void print_bearer(const struct bearer *b);
const char *link_dev(struct nlattr **tb, char *buf);
/* @buf: 17 bytes */
const char *node_hex(uint64_t id, char *buf);
/* The name of value @v in @names, or its number in @buf (12 bytes). */
const char *enum_name(const char *const *names, size_t n, unsigned int v,
		      char *buf);
/* The name of device @ifindex here, or "ifN" when it has none (any more). */
const char *ifname(uint32_t ifindex, char *buf);

/* Helpers: each prints "Error: ..." and returns -1 on bad input. */
int parse_u64(const char *what, const char *s, int base, uint64_t max,
	      uint64_t *val);
int nl_open_or_complain(struct pmnl *nl);
int nl_complain(const struct pmnl_err *err, const struct attr_words *w);
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int parse_ifname(const char *s, char *buf);
int request(struct pmnl *nl, struct nl_msg *msg, bool put_failed,
	    const struct attr_words *w);
int show(const char *what, uint8_t cmd, int id_attr, int argc, char **argv,
	 pmnl_cb print, bool dump, const struct attr_words *w);

#endif
