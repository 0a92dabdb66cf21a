// SPDX-License-Identifier: GPL-2.0
/*
 * Output of the pmesh tool, text and JSON from one call per field (see
 * print.h), on stdout: a small JSON writer and the print_*() on top.
 */
#include <inttypes.h>
#include <stdio.h>

#include "print.h"

/**
 * struct json - the JSON value being written
 * @pretty: indent, two spaces a level
 * @depth: objects and arrays open
 * @first: at each depth, no member written yet
 */
static struct json {
	bool pretty;
	int depth;
	bool first[32];
} j;

static void json_indent(void)
{
	if (!j.pretty)
		return;
	putchar('\n');
	for (int i = 0; i < j.depth; i++)
		fputs("  ", stdout);
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* Separator, indentation and key before a value. */
static void json_key(const char *key)
{
	if (!j.first[j.depth])
		putchar(',');
	j.first[j.depth] = false;
	if (j.depth)
		json_indent();
	if (key) {
		json_string(key);
		fputs(j.pretty ? ": " : ":", stdout);
	}
}

static void json_open(const char *key, char c)
{
	if (!json_output)
		return;
	json_key(key);
	putchar(c);
	j.depth++;
	j.first[j.depth] = true;
}

static void json_close(char c)
{
	bool empty = j.first[j.depth];

	if (!json_output)
		return;
	j.depth--;
	if (!empty)
		json_indent();
	putchar(c);
}

void new_json_obj(bool pretty)
{
	j.pretty = pretty;
	j.depth = 0;
	j.first[0] = true;
}

void delete_json_obj(void)
{
	if (json_output)
		putchar('\n');
}

void open_json_object(const char *key)
{
	json_open(key, '{');
}

void close_json_object(void)
{
	json_close('}');
}

void open_json_array(const char *key)
{
	json_open(key, '[');
}

void close_json_array(void)
{
	json_close(']');
}

/* A member @key of the JSON being written, if @t prints there: its key. */
static bool json_member(enum output_type t, const char *key)
{
	if (!json_output || !(t & PRINT_JSON))
		return false;
	json_key(key);
	return true;
}

/* Text with @fmt, if @t prints there. */
static bool text_field(enum output_type t, const char *fmt)
{
	return !json_output && (t & PRINT_FP) && fmt;
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		uint64_t val)
{
	if (json_member(t, key))
		printf("%" PRIu64, val);
	else if (text_field(t, fmt))
		printf(fmt, val);
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *val)
{
	if (json_member(t, key))
		json_string(val);
	else if (text_field(t, fmt))
		printf(fmt, val);
}

void print_nl(void)
{
	if (!json_output)
		putchar('\n');
}
