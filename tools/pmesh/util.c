// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of the pmesh tool: strict number parsing, command dispatch and
 * error messages in iproute2's manner ("Error: ...", exit status 1).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>

#include "pmesh.h"

int error(const char *fmt, ...)
{
	va_list ap;

	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

int parse_u64(const char *what, const char *s, int base, uint64_t max,
	      uint64_t *val)
{
	unsigned long long v;
	char *end;

	if (!s)
		return error("%s needs a value", what);
	errno = 0;
	if (base == 16 && (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2)))
		s += 2;
	v = strtoull(s, &end, base);
	if (!*s || *s == '-' || *s == '+' || *end || errno || v > max)
		return error("invalid %s \"%s\"", what, s);
	*val = v;
	return 0;
}

/*
 * Run the entry of @cmds that argv[0] names, exactly or by an unambiguous
 * prefix; "help" and no word at all print @usage.
 */
int run_cmd(const char *what, const struct cmd *cmds, int argc, char **argv,
	    void (*usage)(void))
{
	const struct cmd *found = NULL;
	size_t len;

	if (argc < 1 || !strcmp(argv[0], "help") || !strcmp(argv[0], "-h") ||
	    !strcmp(argv[0], "--help")) {
		usage();
		return argc < 1 ? -1 : 0;
	}
	len = strlen(argv[0]);
	for (const struct cmd *c = cmds; c->name; c++) {
		if (!strcmp(c->name, argv[0])) {
			found = c;
			break;
		}
		if (!strncmp(c->name, argv[0], len)) {
			if (found)
				return error("\"%s\" is ambiguous; try \"pmesh %shelp\"",
					     argv[0], what);
			found = c;
		}
	}
	if (!found)
		return error("unknown command \"%s\"; try \"pmesh %shelp\"",
			     argv[0], what);
	return found->run(argc - 1, argv + 1);
}

int nl_open_or_complain(struct pmnl *nl)
{
	int err = pmnl_open(nl);

	if (err == -ENOENT)
		return error("%s", pmnl_open_error(err));
	if (err)
		return error("cannot open a generic netlink socket: %s",
			     pmnl_open_error(err));
	return 0;
}

/**
 * request() - send a change and wait for its ack; closes @nl
 * @nl: the socket, open
 * @msg: the request, built on @nl; may be NULL if allocating it failed
 * @put_failed: @msg is NULL or could not take its attributes
 * @w: attribute names for errors
 *
 * Return: 0, or -1 after saying what went wrong.
 */
int request(struct pmnl *nl, struct nl_msg *msg, bool put_failed,
	    const struct attr_words *w)
{
	struct pmnl_err err;
	int ret = -1;

	if (put_failed) {
		nlmsg_free(msg);
		error("out of memory");
	} else if (pmnl_run(nl, msg, NULL, NULL, &err)) {
		nl_complain(&err, w);
	} else {
		ret = 0;
	}
	pmnl_close(nl);
	return ret;
}

/**
 * show() - the body of every "show [ ID ]": a get or dump, printed by @print
 * @what: the object's word, for error messages
 * @cmd: the get command
 * @id_attr: the attribute that names one mesh
 * @argc: 0, or 1 with the mesh id in @argv
 * @argv: the words after "show"
 * @print: prints one reply, as text or into the JSON array it is given
 * @dump: dump even when an id is given (the id then filters)
 * @w: attribute names for errors
 */
int show(const char *what, uint8_t cmd, int id_attr, int argc, char **argv,
	 pmnl_cb print, bool dump, const struct attr_words *w)
{
	struct pmnl_err err;
	struct pmnl nl;
	struct nl_msg *msg;
	uint64_t id;
	int ret;

	if (argc > 1)
		return error("unknown argument \"%s\"; try \"pmesh %s help\"",
			     argv[1], what);
	if (argc == 1 && parse_u64("mesh id", argv[0], 10, UINT32_MAX, &id))
		return -1;
	if (nl_open_or_complain(&nl))
		return -1;
	msg = pmnl_msg(&nl, cmd, argc && !dump ? 0 : NLM_F_DUMP);
	if (!msg || (argc && nla_put_u32(msg, id_attr, id))) {
		nlmsg_free(msg);
		pmnl_close(&nl);
		return error("out of memory");
	}

	new_json_obj(pretty_output);
	open_json_array(NULL);
	ret = pmnl_run(&nl, msg, print, NULL, &err);
	close_json_array();
	delete_json_obj();
	pmnl_close(&nl);
	if (ret && err.error)
		return nl_complain(&err, w);
	return ret ? -1 : 0;
}

/* Print what the kernel said about a failed request, naming the attribute. */
int nl_complain(const struct pmnl_err *err, const struct attr_words *w)
{
	const char *names[64] = {};
	int n = w->n < (int)ARRAY_SIZE(names) ? w->n : (int)ARRAY_SIZE(names);
	char msg[512];

	for (int i = 0; i < n; i++)
		names[i] = w->cli[i] ? w->cli[i] : w->spec[i];
	return error("%s", pmnl_err_format(err, names, n, msg, sizeof(msg)));
}

/* Check a device name given on the command line and copy it to @buf. */
int parse_ifname(const char *s, char *buf)
{
	if (!s)
		return error("dev needs a value");
	if (!*s || strlen(s) >= IF_NAMESIZE)
		return error("invalid device name \"%s\"", s);
	snprintf(buf, IF_NAMESIZE, "%s", s);
	return 0;
}
