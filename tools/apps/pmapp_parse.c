// SPDX-License-Identifier: GPL-2.0
/*
 * pmapp_parse: what a user gives an example program, checked strictly.
 * See pmapp_parse.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pmapp_parse.h"
#include "pmapp_proc.h"

/*
 * @s as a decimal number, digits only: false if it is not one. A number
 * too big for 64 bits is UINT64_MAX, out of any range.
 */
static bool parse_decimal(const char *s, uint64_t *val)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return false;
	*val = errno ? UINT64_MAX : v;
	return true;
}

int pmapp_parse_uint(const char *what, const char *s, uint64_t min,
		     uint64_t max, uint64_t *val)
{
	uint64_t v;

	if (!s)
		return pmapp_err("%s needs a value", what);
	if (!parse_decimal(s, &v))
		return pmapp_err("%s \"%s\" is not a number (%" PRIu64 "..%" PRIu64 ")",
				 what, s, min, max);
	if (v < min || v > max)
		return pmapp_err("%s %s is out of range (%" PRIu64 "..%" PRIu64 ")",
				 what, s, min, max);
	*val = v;
	return 0;
}

/*
 * An id from 1 to @max, named @what in messages: "a mesh id is needed",
 * "channel 0 is not a channel (1..65535)".
 */
static int parse_id(const char *what, const char *s, uint64_t max,
		    uint64_t *val)
{
	if (!s)
		return pmapp_err("a %s is needed", what);
	if (!parse_decimal(s, val))
		return pmapp_err("%s \"%s\" is not a number (1..%" PRIu64 ")",
				 what, s, max);
	if (*val < 1 || *val > max)
		return pmapp_err("%s %s is not a %s (1..%" PRIu64 ")", what, s,
				 what, max);
	return 0;
}

int pmapp_parse_mesh(const char *s, uint32_t *mesh)
{
	uint64_t v;

	if (parse_id("mesh id", s, UINT32_MAX, &v))
		return -1;
	*mesh = v;
	return 0;
}

int pmapp_parse_channel(const char *s, uint16_t *channel)
{
	uint64_t v;

	if (parse_id("channel", s, UINT16_MAX, &v))
		return -1;
	*channel = v;
	return 0;
}

int pmapp_parse_node(const char *s, uint64_t *node)
{
	unsigned long long v;
	char *end;

	if (!s)
		return pmapp_err("a node id is needed");
	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
		s += 2;
	errno = 0;
	v = strtoull(s, &end, 16);
	if (!*s || strlen(s) > 16 || strspn(s, "0123456789abcdefABCDEF") != strlen(s) ||
	    *end || errno)
		return pmapp_err("node id \"%s\" is not 1 to 16 hex digits", s);
	if (!v)
		return pmapp_err("node id 0 is not a node");
	*node = v;
	return 0;
}

bool pmapp_printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}
