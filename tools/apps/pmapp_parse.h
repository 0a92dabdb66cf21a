/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pmapp_parse: what a user gives an example program, checked strictly:
 * mesh ids, channels, numbers and node ids from the command line, and text
 * that must be printable.
 */
#ifndef PMAPP_PARSE_H
#define PMAPP_PARSE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Command-line numbers, strictly: decimal digits only, in range. Each prints
 * what is wrong ("channel 0 is not a channel (1..65535)") and returns -1.
 */
int pmapp_parse_mesh(const char *s, uint32_t *mesh);
int pmapp_parse_channel(const char *s, uint16_t *channel);
int pmapp_parse_uint(const char *what, const char *s, uint64_t min,
		     uint64_t max, uint64_t *val);
/* A node id: 1 to 16 hex digits, not 0, as pmesh prints and takes them. */
int pmapp_parse_node(const char *s, uint64_t *node);

/* Whether @s is printable ASCII only (no control characters). */
bool pmapp_printable(const char *s);

#endif /* PMAPP_PARSE_H */
