/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON writer for "-j" output: keys are stable, 64-bit ids are
 * written as hex strings because JSON numbers lose precision past 2^53.
 */
#ifndef PMESH_JSON_H
#define PMESH_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json {
	FILE *f;
	bool pretty;
	int depth;
	bool first[32];
};

void json_init(struct json *j, FILE *f, bool pretty);
void json_obj_open(struct json *j, const char *key);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j, const char *key);
void json_arr_close(struct json *j);
void json_uint(struct json *j, const char *key, uint64_t val);
void json_str(struct json *j, const char *key, const char *val);
void json_end(struct json *j);

#endif
