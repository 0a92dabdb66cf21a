/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pmesh tool: shared declarations of its objects and helpers.
 */
#ifndef PMESH_H
#define PMESH_H

#include <stdbool.h>
#include <stdint.h>

#include "nl.h"

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
int neigh_main(int argc, char **argv);
void neigh_usage(void);
int send_main(int argc, char **argv);
void send_usage(void);
int recv_main(int argc, char **argv);
int monitor_main(int argc, char **argv);
void monitor_usage(void);
void recv_usage(void);

extern const char *const neigh_attr_names[];

/* Helpers: each prints "Error: ..." and returns -1 on bad input. */
int parse_u64(const char *what, const char *s, int base, uint64_t max,
	      uint64_t *val);
int nl_open_or_complain(struct pmesh_nl *nl);
int nl_complain(const struct pmesh_nl_err *err, const char *const *names,
		int n_names);
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int show(const char *what, uint8_t cmd, int id_attr, int argc, char **argv,
	 pmesh_nl_cb print, bool dump, const char *const *names, int n_names);

#endif
