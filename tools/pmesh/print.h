/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output of the pmesh tool, text and JSON from one call per field, the way
 * iproute2's json_print does: print_uint(PRINT_ANY, "key", " key %" PRIu64,
 * v) prints " key 5" as text, or "key":5 with -j. PRINT_FP prints in text
 * only, PRINT_JSON in JSON only; a NULL format prints nothing as text.
 * JSON keys are stable; 64-bit ids are hex strings, as JSON numbers lose
 * precision past 2^53.
 */
#ifndef PMESH_PRINT_H
#define PMESH_PRINT_H

#include <stdbool.h>
#include <stdint.h>

enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = PRINT_FP | PRINT_JSON,
};

extern bool json_output;
extern bool pretty_output;

/* A top-level JSON value starts (indented if @pretty) and ends (newline). */
void new_json_obj(bool pretty);
void delete_json_obj(void);

/* Objects and arrays: JSON only; @key NULL inside an array. */
void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);

/* @fmt takes the value: PRIu64 or %s. */
void print_uint(enum output_type t, const char *key, const char *fmt,
		uint64_t val);
void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *val);
/* A new line, in text. */
void print_nl(void);

#endif
