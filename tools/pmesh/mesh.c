// SPDX-License-Identifier: GPL-2.0
/*
 * pmesh mesh { add | del | set | show | help }
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>

#include <linux/pmesh_netlink.h>

#include "pmesh.h"

/*
 * What starts a line of "mesh show": the settings of duplicate suppression
 * and hellos, of membership, of the overlay (and, on a line of its own,
 * how datagrams spread); the counters of data, of drops, of links and
 * membership, of control traffic, of keys and peer exchange, of the
 * broadcast tree (ids and grafts; prunes, repairs and their drops).
 */
static const bool mesh_line_start[PMESH_A_MESH_MAX + 1] = {
	[PMESH_A_MESH_MAX_ORIGINS] = true,
	[PMESH_A_MESH_ANNOUNCE_INTERVAL] = true,
	[PMESH_A_MESH_MIN_NEIGH] = true,
};

static const bool stat_line_start[PMESH_A_STATS_MAX + 1] = {
	[PMESH_A_STATS_SENT] = true,
	[PMESH_A_STATS_MALFORMED] = true,
	[PMESH_A_STATS_TOO_BIG] = true,
	[PMESH_A_STATS_CTL_TX_FRAMES] = true,
	[PMESH_A_STATS_AUTH_FAIL] = true,
	[PMESH_A_STATS_IHAVE_TX] = true,
	[PMESH_A_STATS_PRUNES_TX] = true,
};

/* The ranges and defaults are the YNL spec's, through the uapi header. */
void mesh_usage(void)
{
	printf("Usage: pmesh mesh add ID [ node HEX ] [ port UDPPORT ] [ hoplimit N ]\n"
	       "                         [ max-dgram BYTES ] [ max-origins N ]\n"
	       "                         [ origin-timeout SEC ] [ hello-interval MS ]\n"
	       "                         [ dead-interval MS ] [ announce-interval MS ]\n"
	       "                         [ max-nodes N ] [ key FILE ]\n"
	       "                         [ key-switch SEC ] [ min-neigh N ]\n"
	       "                         [ max-neigh N ] [ open { on | off } ]\n"
	       "                         [ broadcast { flood | tree } ]\n"
	       "       pmesh mesh set ID [ hoplimit N ] [ max-dgram BYTES ]\n"
	       "                         [ max-origins N ] [ origin-timeout SEC ]\n"
	       "                         [ hello-interval MS ] [ dead-interval MS ]\n"
	       "                         [ announce-interval MS ] [ max-nodes N ]\n"
	       "                         [ key { FILE | none } ] [ key-switch SEC ]\n"
	       "                         [ min-neigh N ] [ max-neigh N ]\n"
	       "                         [ open { on | off } ]\n"
	       "                         [ broadcast { flood | tree } ]\n"
	       "       pmesh mesh del ID\n"
	       "       pmesh mesh show [ ID ]\n"
	       "\n"
	       "ID is the mesh id (1..4294967295), unique in the network namespace.\n"
	       "node is this node's 64-bit id in hex (random if not given).\n"
	       "port is the UDP port of the mesh's UDP bearer (default %d).\n"
	       "hoplimit is how far datagrams travel by default (1..255, default %d).\n"
	       "max-dgram is the largest datagram payload (1..%d, default %d).\n"
	       "max-origins caps the origins tracked for duplicate suppression\n"
	       "(%d..%d, default %d); origin-timeout is how long an origin\n"
	       "is remembered after its last datagram (1..%d s, default %d).\n"
	       "hello-interval is how often hellos go to each neighbour (%d..%d\n"
	       "ms, default %d); a neighbour silent for dead-interval (longer,\n"
	       "up to %d ms, default %d) is down.\n"
	       "announce-interval is how often this node announces itself to the\n"
	       "mesh at the least (%d..%d ms, default %d; longer in large\n"
	       "meshes); max-nodes caps the membership table (%d..%d, default\n"
	       "%d).\n"
	       "key seals every frame with the key in FILE (\"-\": standard input;\n"
	       "\"pmesh genkey\" makes one); \"key none\" removes it. \"mesh show\"\n"
	       "shows the key's fingerprint, never the key. A new key on a keyed\n"
	       "mesh is opened at once and sealed with key-switch seconds later\n"
	       "(1..%d, default %d): give it to every node within that time.\n"
	       "A keyed mesh learns as neighbours the nodes whose hellos open with\n"
	       "its key, so one \"peer add\" to any member joins it; a key-less one\n"
	       "only with \"open on\" (then anyone who reaches its port joins).\n"
	       "Under min-neigh neighbours (0..%d, default %d) a node connects to\n"
	       "nodes it learned of; at max-neigh (1..%d, default %d) it admits\n"
	       "no more. Configured peers and Ethernet stations always stay.\n"
	       "broadcast flood (the default) sends every datagram to every\n"
	       "neighbour but the one it came from; broadcast tree sends it along\n"
	       "a tree and only its id to the other UDP neighbours, which repair\n"
	       "the tree where it breaks.\n",
	       PMESH_DEFAULT_PORT, PMESH_DEFAULT_HOPLIMIT,
	       PMESH_MAX_DGRAM_CEILING, PMESH_DEFAULT_MAX_DGRAM,
	       PMESH_MAX_ORIGINS_FLOOR, PMESH_MAX_ORIGINS_CEILING,
	       PMESH_DEFAULT_MAX_ORIGINS,
	       PMESH_ORIGIN_TIMEOUT_CEILING, PMESH_DEFAULT_ORIGIN_TIMEOUT,
	       PMESH_HELLO_INTERVAL_MIN, PMESH_HELLO_INTERVAL_MAX,
	       PMESH_DEFAULT_HELLO_INTERVAL,
	       PMESH_DEAD_INTERVAL_MAX, PMESH_DEFAULT_DEAD_INTERVAL,
	       PMESH_ANNOUNCE_INTERVAL_MIN, PMESH_ANNOUNCE_INTERVAL_MAX,
	       PMESH_DEFAULT_ANNOUNCE_INTERVAL,
	       PMESH_MAX_NODES_FLOOR, PMESH_MAX_NODES_CEILING,
	       PMESH_DEFAULT_MAX_NODES, PMESH_KEY_SWITCH_MAX,
	       PMESH_DEFAULT_KEY_SWITCH, PMESH_MAX_NEIGH_CEILING - 1,
	       PMESH_DEFAULT_MIN_NEIGH, PMESH_MAX_NEIGH_CEILING,
	       PMESH_DEFAULT_MAX_NEIGH);
}

/*
 * A request built from "ID [KEYWORD VALUE]..." on the command line: the
 * numbers, and "key FILE" (a key read from FILE) or "key none".
 */
struct mesh_args {
	uint32_t id;
	uint64_t val[PMESH_A_MESH_MAX + 1];
	bool has[PMESH_A_MESH_MAX + 1];
	uint8_t key[KEY_LEN];
};

/**
 * struct mesh_keyword - a "KEYWORD VALUE" of mesh add and set
 * @word: the keyword
 * @attr: the attribute it sets
 * @base: the base the value is written in
 * @size: the attribute's size in bytes, which bounds the value
 */
struct mesh_keyword {
	const char *word;
	int attr;
	int base;
	int size;
};

static const struct mesh_keyword mesh_keywords[] = {
	{ "node", PMESH_A_MESH_NODE_ID, 16, 8 },
	{ "port", PMESH_A_MESH_PORT, 10, 2 },
	{ "hoplimit", PMESH_A_MESH_HOPLIMIT, 10, 1 },
	{ "max-dgram", PMESH_A_MESH_MAX_DGRAM, 10, 4 },
	{ "max-origins", PMESH_A_MESH_MAX_ORIGINS, 10, 4 },
	{ "origin-timeout", PMESH_A_MESH_ORIGIN_TIMEOUT, 10, 4 },
	{ "hello-interval", PMESH_A_MESH_HELLO_INTERVAL, 10, 4 },
	{ "dead-interval", PMESH_A_MESH_DEAD_INTERVAL, 10, 4 },
	{ "announce-interval", PMESH_A_MESH_ANNOUNCE_INTERVAL, 10, 4 },
	{ "max-nodes", PMESH_A_MESH_MAX_NODES, 10, 4 },
	{ "key-switch", PMESH_A_MESH_KEY_SWITCH, 10, 4 },
	{ "min-neigh", PMESH_A_MESH_MIN_NEIGH, 10, 1 },
	{ "max-neigh", PMESH_A_MESH_MAX_NEIGH, 10, 1 },
	{ NULL }
};

static const char *const mesh_open_names[] = { "off", "on" };

/**
 * struct mesh_choice - a "KEYWORD WORD" of mesh add and set
 * @word: the keyword
 * @attr: the attribute it sets, a u8: the index of WORD in @names
 * @names: the words it takes
 * @n: entries in @names
 * @need: what it takes, for the error message
 */
struct mesh_choice {
	const char *word;
	int attr;
	const char *const *names;
	int n;
	const char *need;
};

static const struct mesh_choice mesh_choices[] = {
	{ "open", PMESH_A_MESH_OPEN, mesh_open_names,
	  ARRAY_SIZE(mesh_open_names), "\"on\" or \"off\"" },
	{ "broadcast", PMESH_A_MESH_BROADCAST, pmnl_broadcast_names,
	  ARRAY_SIZE(pmnl_broadcast_names), "\"flood\" or \"tree\"" },
	{ NULL }
};

static bool mesh_allowed(const int *allowed, int attr)
{
	for (const int *p = allowed; *p; p++)
		if (*p == attr)
			return true;
	return false;
}

/* "key FILE" or, where @allowed has PMESH_A_MESH_KEY_CLEAR, "key none". */
static int mesh_key_arg(const char *val, const int *allowed,
			struct mesh_args *a)
{
	if (a->has[PMESH_A_MESH_KEY] || a->has[PMESH_A_MESH_KEY_CLEAR])
		return error("key is given twice");
	if (!val)
		return error("key needs a FILE (\"-\" for standard input)%s",
			     mesh_allowed(allowed, PMESH_A_MESH_KEY_CLEAR) ?
			     " or \"none\"" : "");
	if (!strcmp(val, "none")) {
		if (!mesh_allowed(allowed, PMESH_A_MESH_KEY_CLEAR))
			return error("a new mesh has no key to remove: leave out \"key none\"");
		a->has[PMESH_A_MESH_KEY_CLEAR] = true;
		return 0;
	}
	if (key_read(val, a->key))
		return -1;
	a->has[PMESH_A_MESH_KEY] = true;
	return 0;
}

/* "KEYWORD WORD" of @c, WORD @val (NULL when missing). */
static int mesh_choice_arg(const struct mesh_choice *c, const char *val,
			   struct mesh_args *a)
{
	if (a->has[c->attr])
		return error("%s is given twice", c->word);
	for (int v = 0; val && v < c->n; v++) {
		if (c->names[v] && !strcmp(val, c->names[v])) {
			a->val[c->attr] = v;
			a->has[c->attr] = true;
			return 0;
		}
	}
	return error("%s needs %s", c->word, c->need);
}

/* Parse "ID [KEYWORD VALUE]...", allowing the keywords for attrs in @allowed. */
static int mesh_parse_words(int argc, char **argv, const int *allowed,
			    struct mesh_args *a)
{
	uint64_t id;

	memset(a, 0, sizeof(*a));
	if (argc < 1)
		return error("mesh id is missing; try \"pmesh mesh help\"");
	if (parse_u64("mesh id", argv[0], 10, UINT32_MAX, &id))
		return -1;
	a->id = id;

	for (int i = 1; i < argc; i += 2) {
		const struct mesh_choice *c;
		const struct mesh_keyword *k;
		bool ok = false;

		for (c = mesh_choices; c->word; c++)
			if (!strcmp(argv[i], c->word) &&
			    mesh_allowed(allowed, c->attr))
				break;
		if (c->word) {
			if (mesh_choice_arg(c, i + 1 < argc ? argv[i + 1] : NULL,
					    a))
				return -1;
			continue;
		}
		if (!strcmp(argv[i], "key") &&
		    mesh_allowed(allowed, PMESH_A_MESH_KEY)) {
			if (mesh_key_arg(i + 1 < argc ? argv[i + 1] : NULL,
					 allowed, a))
				return -1;
			continue;
		}
		for (k = mesh_keywords; k->word; k++)
			if (!strcmp(k->word, argv[i]))
				break;
		for (const int *p = allowed; k->word && *p; p++)
			ok |= *p == k->attr;
		if (!ok)
			return error("unknown argument \"%s\"; try \"pmesh mesh help\"",
				     argv[i]);
		if (a->has[k->attr])
			return error("%s is given twice", k->word);
		if (parse_u64(k->word, i + 1 < argc ? argv[i + 1] : NULL,
			      k->base, UINT64_MAX >> (64 - 8 * k->size),
			      &a->val[k->attr]))
			return -1;
		a->has[k->attr] = true;
	}
	return 0;
}

/* The same; a key read before a later word was refused is wiped. */
static int mesh_parse(int argc, char **argv, const int *allowed,
		      struct mesh_args *a)
{
	if (!mesh_parse_words(argc, argv, allowed, a))
		return 0;
	explicit_bzero(a->key, sizeof(a->key));
	return -1;
}

/* Put the mesh id and every setting given into @msg. */
static int mesh_put(struct nl_msg *msg, const struct mesh_args *a)
{
	int err = nla_put_u32(msg, PMESH_A_MESH_ID, a->id);

	for (const struct mesh_keyword *k = mesh_keywords; !err && k->word; k++) {
		uint64_t v = a->val[k->attr];

		if (!a->has[k->attr])
			continue;
		if (k->size == 1)
			err = nla_put_u8(msg, k->attr, v);
		else if (k->size == 2)
			err = nla_put_u16(msg, k->attr, v);
		else if (k->size == 4)
			err = nla_put_u32(msg, k->attr, v);
		else
			err = nla_put_u64(msg, k->attr, v);
	}
	if (!err && a->has[PMESH_A_MESH_KEY])
		err = nla_put(msg, PMESH_A_MESH_KEY, KEY_LEN, a->key);
	if (!err && a->has[PMESH_A_MESH_KEY_CLEAR])
		err = nla_put_flag(msg, PMESH_A_MESH_KEY_CLEAR);
	for (const struct mesh_choice *c = mesh_choices; !err && c->word; c++)
		if (a->has[c->attr])
			err = nla_put_u8(msg, c->attr, a->val[c->attr]);
	return err;
}

static int mesh_request(uint8_t cmd, struct mesh_args *a)
{
	struct pmnl nl;
	struct nl_msg *msg;
	int ret;

	if (nl_open_or_complain(&nl)) {
		explicit_bzero(a->key, sizeof(a->key));
		return -1;
	}
	msg = pmnl_msg(&nl, cmd, 0);
	/* One more reference: the request is wiped, then freed, after. */
	if (msg)
		nlmsg_get(msg);
	ret = request(&nl, msg, !msg || mesh_put(msg, a), &mesh_words);
	if (msg) {
		explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
	}
	explicit_bzero(a->key, sizeof(a->key));
	return ret;
}

static int mesh_add(int argc, char **argv)
{
	static const int allowed[] = { PMESH_A_MESH_NODE_ID, PMESH_A_MESH_PORT,
				       PMESH_A_MESH_HOPLIMIT,
				       PMESH_A_MESH_MAX_DGRAM,
				       PMESH_A_MESH_MAX_ORIGINS,
				       PMESH_A_MESH_ORIGIN_TIMEOUT,
				       PMESH_A_MESH_HELLO_INTERVAL,
				       PMESH_A_MESH_DEAD_INTERVAL,
				       PMESH_A_MESH_ANNOUNCE_INTERVAL,
				       PMESH_A_MESH_MAX_NODES, PMESH_A_MESH_KEY,
				       PMESH_A_MESH_KEY_SWITCH,
				       PMESH_A_MESH_MIN_NEIGH,
				       PMESH_A_MESH_MAX_NEIGH,
				       PMESH_A_MESH_OPEN,
				       PMESH_A_MESH_BROADCAST, 0 };
	struct mesh_args a;

	if (mesh_parse(argc, argv, allowed, &a))
		return -1;
	return mesh_request(PMESH_CMD_MESH_NEW, &a);
}

static int mesh_set(int argc, char **argv)
{
	static const int allowed[] = { PMESH_A_MESH_HOPLIMIT,
				       PMESH_A_MESH_MAX_DGRAM,
				       PMESH_A_MESH_MAX_ORIGINS,
				       PMESH_A_MESH_ORIGIN_TIMEOUT,
				       PMESH_A_MESH_HELLO_INTERVAL,
				       PMESH_A_MESH_DEAD_INTERVAL,
				       PMESH_A_MESH_ANNOUNCE_INTERVAL,
				       PMESH_A_MESH_MAX_NODES, PMESH_A_MESH_KEY,
				       PMESH_A_MESH_KEY_CLEAR,
				       PMESH_A_MESH_KEY_SWITCH,
				       PMESH_A_MESH_MIN_NEIGH,
				       PMESH_A_MESH_MAX_NEIGH,
				       PMESH_A_MESH_OPEN,
				       PMESH_A_MESH_BROADCAST, 0 };
	struct mesh_args a;

	if (argc < 2)
		return error("nothing to set; try \"pmesh mesh help\"");
	if (mesh_parse(argc, argv, allowed, &a))
		return -1;
	return mesh_request(PMESH_CMD_MESH_SET, &a);
}

static int mesh_del(int argc, char **argv)
{
	static const int allowed[] = { 0 };
	struct mesh_args a;

	if (mesh_parse(argc, argv, allowed, &a))
		return -1;
	return mesh_request(PMESH_CMD_MESH_DEL, &a);
}

/*
 * Print the unsigned attributes @first..@last of @tb that have a name: as
 * "name value" words, a new line at each in @line_start, or as JSON members
 * named like them with '_' for '-'.
 */
static void mesh_print_uints(struct nlattr **tb, int first, int last,
			     const char *const *names, const bool *line_start)
{
	for (int i = first; i <= last; i++) {
		char key[32], fmt[48];

		if (!tb[i] || !names[i])
			continue;
		snprintf(fmt, sizeof(fmt), "%s%s %%" PRIu64,
			 line_start[i] ? "\n    " : " ", names[i]);
		print_uint(PRINT_ANY, pmnl_json_key(names[i], key, sizeof(key)),
			   fmt, pmnl_get_uint(tb[i]));
	}
}

/* A key's fingerprint, or @none (nothing when NULL) without one. */
static void mesh_print_fp(const struct nlattr *attr, const char *json,
			  const char *fmt, const char *none)
{
	char fp[17];

	if (attr)
		print_string(PRINT_ANY, json, fmt,
			     node_hex(nla_get_u64(attr), fp));
	else if (none)
		print_string(PRINT_ANY, json, fmt, none);
}

static void mesh_print(struct nlattr **tb)
{
	struct nlattr *st[PMESH_A_STATS_MAX + 1] = {};
	char node[17], num[12];

	node_hex(tb[PMESH_A_MESH_NODE_ID] ?
		 nla_get_u64(tb[PMESH_A_MESH_NODE_ID]) : 0, node);
	if (tb[PMESH_A_MESH_STATS])
		nla_parse_nested(st, PMESH_A_STATS_MAX, tb[PMESH_A_MESH_STATS],
				 NULL);

	open_json_object(NULL);
	print_uint(PRINT_ANY, "id", "mesh %" PRIu64,
		   nla_get_u32(tb[PMESH_A_MESH_ID]));
	print_string(PRINT_ANY, "node", " node %s", node);
	/* The settings, around the nested stats. */
	mesh_print_uints(tb, PMESH_A_MESH_PORT, PMESH_A_MESH_MAX_DGRAM,
			 pmnl_mesh_attr_names, mesh_line_start);
	/*
	 * Whether a key is set, by its fingerprint, never the key; during a
	 * change of key, the next key and the previous one too.
	 */
	mesh_print_fp(tb[PMESH_A_MESH_KEY_FP], "key", " key %s", "off");
	mesh_print_fp(tb[PMESH_A_MESH_KEY_NEXT_FP], "key_next", " next %s",
		      NULL);
	mesh_print_fp(tb[PMESH_A_MESH_KEY_PREV_FP], "key_previous",
		      " previous %s", NULL);
	mesh_print_uints(tb, PMESH_A_MESH_MAX_ORIGINS, PMESH_A_MESH_MAX_NODES,
			 pmnl_mesh_attr_names, mesh_line_start);
	mesh_print_uints(tb, PMESH_A_MESH_KEY_SWITCH, PMESH_A_MESH_MAX_NEIGH,
			 pmnl_mesh_attr_names, mesh_line_start);
	if (tb[PMESH_A_MESH_OPEN])
		print_string(PRINT_ANY, "open", " open %s",
			     nla_get_u8(tb[PMESH_A_MESH_OPEN]) ? "on" : "off");
	if (tb[PMESH_A_MESH_BROADCAST])
		print_string(PRINT_ANY, "broadcast", "\n    broadcast %s",
			     enum_name(pmnl_broadcast_names,
				       ARRAY_SIZE(pmnl_broadcast_names),
				       nla_get_u8(tb[PMESH_A_MESH_BROADCAST]),
				       num));
	open_json_object("stats");
	mesh_print_uints(st, 1, PMESH_A_STATS_MAX, pmnl_stats_names,
			 stat_line_start);
	close_json_object();
	close_json_object();
	print_nl();
}

static int mesh_show_one(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[PMESH_A_MESH_MAX + 1];

	if (pmnl_parse(nlh, tb, PMESH_A_MESH_MAX) || !tb[PMESH_A_MESH_ID])
		return error("malformed reply from the kernel");
	mesh_print(tb);
	return 0;
}

static int mesh_show(int argc, char **argv)
{
	return show("mesh", PMESH_CMD_MESH_GET, PMESH_A_MESH_ID, argc, argv,
		    mesh_show_one, false, &mesh_words);
}

static int mesh_help(int argc, char **argv)
{
	mesh_usage();
	return 0;
}

static const struct cmd mesh_cmds[] = {
	{ "add", mesh_add, "create a mesh" },
	{ "set", mesh_set, "change a mesh's settings" },
	{ "del", mesh_del, "delete a mesh" },
	{ "delete", mesh_del, "delete a mesh" },
	{ "show", mesh_show, "show meshes, their settings and counters" },
	{ "list", mesh_show, "same as show" },
	{ "help", mesh_help, "this text" },
	{ NULL }
};

int mesh_main(int argc, char **argv)
{
	return run_cmd("mesh ", mesh_cmds, argc, argv, mesh_usage);
}
