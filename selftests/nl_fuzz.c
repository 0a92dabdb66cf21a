// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink fuzzer: random and mutated requests to every operation of
 * the "pmesh" generic netlink family, in the caller's network namespace.
 *
 * A request is a command (every operation, each notification's number,
 * numbers no command has), do or dump flags, and attributes drawn from the
 * operation's set in the YNL spec (Documentation/netlink/specs/pmesh.yaml):
 * mostly well-formed values at and around every limit the policy and the
 * handlers check, mesh ids, ports, addresses and devices from small pools
 * so that requests meet existing objects; then attributes of the wrong
 * width, with the nested or byte-order flag, of unknown types, nested
 * garbage, duplicates, required ones left out; and, now and then, the bytes
 * themselves cut, flipped or given impossible lengths, or a broken genetlink
 * header. Sockets come from libpmesh (pmnl_open()); the bytes are appended
 * raw with libnl.
 *
 * As root (default): each request is answered, with success or an errno;
 * every reply parses; every few thousand requests full dumps of meshes,
 * neighbours, links and nodes parse and agree with each other and with the
 * limits.
 *
 * With -u nobody or -u userns: the requests are sent by a child that is
 * uid 65534 without capabilities, or root of a user namespace of its own
 * (so without CAP_NET_ADMIN over this network namespace). No change
 * operation may succeed, and one sent as a do request with a header that
 * genetlink takes must fail with EPERM (genetlink refuses reserved
 * nlmsg_flags bits, a short header or dump flags first, with EINVAL or
 * EOPNOTSUPP, before it looks at the capability); afterwards, full dumps
 * (less counters, times and states) are what they were before.
 *
 * The kernel's log is checked by the runner (selftests/guest/run.sh).
 *
 * usage: nl_fuzz [-n MESSAGES] [-s SEED] [-u nobody|userns]
 * (or PMESH_FUZZ_MSGS, PMESH_FUZZ_SEED); prints "# " lines, exits 0 or 1.
 */
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <netlink/msg.h>

#include "pmnl.h"
#include "fuzz_rand.h"

#define MESH_POOL	6
#define CHECK_EVERY	2000
#define PM_MAX_MESHES	1024	/* kmod/limits.h */
#define PM_MAX_LINKS	16
#define PM_MAX_PEERS	256

static uint64_t seed, n_msgs = 100000;
static struct pmnl nl;
static uint64_t errs[4][200];	/* [do, dump, change-unpriv, other][errno] */
static uint64_t n_ok, n_fail;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# FAIL: ");
	vprintf(fmt, ap);
	printf("\n# replay: PMESH_FUZZ_SEED=%" PRIu64 "\n", seed);
	va_end(ap);
	exit(1);
}


/* The kinds of attribute the spec has. */
enum kind { K_U8, K_U16, K_U32, K_U64, K_MESH, K_ADDR, K_IFNAME, K_IFINDEX,
	    K_NEST, K_PAD };

struct attr { int type; enum kind kind; };

static const struct attr mesh_attrs[] = {
	{ PMESH_A_MESH_PAD, K_PAD }, { PMESH_A_MESH_ID, K_MESH },
	{ PMESH_A_MESH_NODE_ID, K_U64 }, { PMESH_A_MESH_PORT, K_U16 },
	{ PMESH_A_MESH_HOPLIMIT, K_U8 }, { PMESH_A_MESH_MAX_DGRAM, K_U32 },
	{ PMESH_A_MESH_STATS, K_NEST }, { PMESH_A_MESH_MAX_ORIGINS, K_U32 },
	{ PMESH_A_MESH_ORIGIN_TIMEOUT, K_U32 },
	{ PMESH_A_MESH_HELLO_INTERVAL, K_U32 },
	{ PMESH_A_MESH_DEAD_INTERVAL, K_U32 },
	{ PMESH_A_MESH_ANNOUNCE_INTERVAL, K_U32 },
	{ PMESH_A_MESH_MAX_NODES, K_U32 },
	{ PMESH_A_MESH_MIN_NEIGH, K_U8 }, { PMESH_A_MESH_MAX_NEIGH, K_U8 },
	{ PMESH_A_MESH_OPEN, K_U8 }, { PMESH_A_MESH_BROADCAST, K_U8 },
};

static const struct attr neigh_attrs[] = {
	{ PMESH_A_NEIGH_PAD, K_PAD }, { PMESH_A_NEIGH_MESH_ID, K_MESH },
	{ PMESH_A_NEIGH_ADDR, K_ADDR }, { PMESH_A_NEIGH_PORT, K_U16 },
	{ PMESH_A_NEIGH_NODE_ID, K_U64 }, { PMESH_A_NEIGH_LAST_HEARD, K_U32 },
	{ PMESH_A_NEIGH_STATE, K_U8 }, { PMESH_A_NEIGH_STATS, K_NEST },
	{ PMESH_A_NEIGH_IFINDEX, K_IFINDEX }, { PMESH_A_NEIGH_LLADDR, K_ADDR },
	{ PMESH_A_NEIGH_KIND, K_U8 },
};

static const struct attr link_attrs[] = {
	{ PMESH_A_LINK_MESH_ID, K_MESH }, { PMESH_A_LINK_IFINDEX, K_IFINDEX },
	{ PMESH_A_LINK_IFNAME, K_IFNAME }, { PMESH_A_LINK_MTU, K_U32 },
	{ PMESH_A_LINK_NEIGHS, K_U32 }, { PMESH_A_LINK_OPER_UP, K_U8 },
	{ PMESH_A_LINK_TX_FRAMES, K_U64 }, { PMESH_A_LINK_TX_BYTES, K_U64 },
};

static const struct attr node_attrs[] = {
	{ PMESH_A_NODE_PAD, K_PAD }, { PMESH_A_NODE_MESH_ID, K_MESH },
	{ PMESH_A_NODE_NODE_ID, K_U64 }, { PMESH_A_NODE_HOPS, K_U8 },
	{ PMESH_A_NODE_LAST_HEARD, K_U32 }, { PMESH_A_NODE_STATE, K_U8 },
	{ PMESH_A_NODE_INTERVAL, K_U32 }, { PMESH_A_NODE_TIMEOUT, K_U32 },
	{ PMESH_A_NODE_REASON, K_U8 },
};

#define SET(a) a, sizeof(a) / sizeof((a)[0])

/* Every operation of the spec: its attribute set, and what it may do. */
static const struct op {
	int cmd;
	const char *name;
	const struct attr *attrs;
	int n_attrs;
	int max;
	int change;	/* uns-admin-perm */
	int do_ok, dump_ok;
} ops[] = {
	{ PMESH_CMD_MESH_NEW, "mesh-new", SET(mesh_attrs), PMESH_A_MESH_MAX, 1, 1, 0 },
	{ PMESH_CMD_MESH_DEL, "mesh-del", SET(mesh_attrs), PMESH_A_MESH_MAX, 1, 1, 0 },
	{ PMESH_CMD_MESH_SET, "mesh-set", SET(mesh_attrs), PMESH_A_MESH_MAX, 1, 1, 0 },
	{ PMESH_CMD_MESH_GET, "mesh-get", SET(mesh_attrs), PMESH_A_MESH_MAX, 0, 1, 1 },
	{ PMESH_CMD_PEER_NEW, "peer-new", SET(neigh_attrs), PMESH_A_NEIGH_MAX, 1, 1, 0 },
	{ PMESH_CMD_PEER_DEL, "peer-del", SET(neigh_attrs), PMESH_A_NEIGH_MAX, 1, 1, 0 },
	{ PMESH_CMD_NEIGH_GET, "neigh-get", SET(neigh_attrs), PMESH_A_NEIGH_MAX, 0, 0, 1 },
	{ PMESH_CMD_LINK_NEW, "link-new", SET(link_attrs), PMESH_A_LINK_MAX, 1, 1, 0 },
	{ PMESH_CMD_LINK_DEL, "link-del", SET(link_attrs), PMESH_A_LINK_MAX, 1, 1, 0 },
	{ PMESH_CMD_LINK_GET, "link-get", SET(link_attrs), PMESH_A_LINK_MAX, 0, 0, 1 },
	{ PMESH_CMD_NODE_GET, "node-get", SET(node_attrs), PMESH_A_NODE_MAX, 0, 0, 1 },
};
#define N_OPS ((int)(sizeof(ops) / sizeof(ops[0])))

static const struct op *op_of(int cmd)
{
	int i;

	for (i = 0; i < N_OPS; i++)
		if (ops[i].cmd == cmd)
			return &ops[i];
	return NULL;
}

/* Per operation: requests sent, answered with success. */
static uint64_t op_sent[N_OPS + 1], op_ok[N_OPS + 1];

/* An attribute stream under construction. */
struct blob {
	uint8_t b[8192];
	size_t len;
};

static void put_attr(struct blob *bl, int type, const void *data, size_t len)
{
	struct nlattr *a;

	if (bl->len + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(bl->b))
		return;
	a = (struct nlattr *)(bl->b + bl->len);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(bl->b + bl->len + NLA_HDRLEN, data, len);
	memset(bl->b + bl->len + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	bl->len += NLA_HDRLEN + NLA_ALIGN(len);
}

static const uint32_t u32s[] = { 0, 1, 2, 15, 16, 17, 99, 100, 101, 199, 200,
	201, 1000, 3000, 3600, 3601, 59999, 60000, 60001, 65000, 65001, 65535,
	65536, 65537, 599999, 600000, 600001, 3600000, 0x7fffffff, 0x80000000,
	0xffffffff };
static const uint16_t ports[] = { 0, 1, 7788, 7789, 7790, 7791, 65535 };
static const char *const names[] = { "d0", "d1", "d2", "d3", "v0", "lo",
	"br0", "nosuch", "", "aaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa", "d0 ",
	"%s%s%s", "../d0" };

static uint32_t mesh_id(void)
{
	return chance(90) ? 1 + below(MESH_POOL) : PICK(u32s);
}

/* A well-formed value of @kind into @v; returns its length. */
static size_t value(enum kind kind, uint8_t *v)
{
	uint64_t x;
	uint32_t w;
	uint16_t h;
	const char *s;

	switch (kind) {
	case K_U8:
		v[0] = chance(50) ? below(4) : rnd();
		return 1;
	case K_U16:
		h = chance(80) ? PICK(ports) : rnd();
		memcpy(v, &h, 2);
		return 2;
	case K_U32:
		w = chance(80) ? PICK(u32s) : rnd();
		memcpy(v, &w, 4);
		return 4;
	case K_MESH:
		w = mesh_id();
		memcpy(v, &w, 4);
		return 4;
	case K_IFINDEX:
		w = chance(80) ? below(12) : PICK(u32s);
		memcpy(v, &w, 4);
		return 4;
	case K_U64:
		x = chance(50) ? 1 + below(4) : chance(50) ? rnd() : PICK(u32s);
		memcpy(v, &x, 8);
		return 8;
	case K_ADDR:
		switch (below(4)) {
		case 0:
		case 1:	/* 10.0.0.1..4 */
			v[0] = 10; v[1] = 0; v[2] = 0; v[3] = 1 + below(4);
			return 4;
		case 2:	/* 2001:db8::1..4, ::1, :: */
			memset(v, 0, 16);
			if (chance(80)) {
				v[0] = 0x20; v[1] = 0x01; v[2] = 0x0d; v[3] = 0xb8;
				v[15] = 1 + below(4);
			} else {
				v[15] = below(2);
			}
			return 16;
		default: {
			size_t n = below(24), i;

			for (i = 0; i < n; i++)
				v[i] = rnd();
			return n;
		}
		}
	case K_IFNAME:
		s = PICK(names);
		strcpy((char *)v, s);
		if (chance(10))
			return strlen(s);	/* unterminated */
		return strlen(s) + 1;
	case K_NEST: {
		/* A nest of numbers, or garbage. */
		struct blob in = { .len = 0 };
		int n = below(4), i;

		for (i = 0; i < n; i++) {
			x = rnd();
			put_attr(&in, below(24), &x, chance(80) ? 8 : below(9));
		}
		if (chance(20))
			in.b[in.len++] = rnd();
		memcpy(v, in.b, in.len);
		return in.len;
	}
	case K_PAD:
	default:
		return below(2) ? 0 : 4;
	}
}

/* One attribute, well-formed or not. */
static void attribute(struct blob *bl, const struct op *op)
{
	uint8_t v[512] = { 0 };
	size_t len, i;
	int type;
	enum kind kind;

	if (op && chance(90)) {
		const struct attr *a = &op->attrs[below(op->n_attrs)];

		type = a->type;
		kind = a->kind;
	} else {
		type = chance(50) ? below(20) : rnd() & 0xffff;
		kind = below(K_PAD + 1);
	}
	len = value(kind, v);
	if (chance(15)) {
		switch (below(6)) {
		case 0:	/* the wrong width */
			len = PICK(((const size_t[]){ 0, 1, 2, 3, 5, 7, 9, 16, 64, 300 }));
			for (i = 0; i < len; i++)
				v[i] = rnd();
			break;
		case 1:
			type |= NLA_F_NESTED;
			break;
		case 2:
			type |= NLA_F_NET_BYTEORDER;
			break;
		case 3:	/* nested where a number goes */
			len = value(K_NEST, v);
			break;
		case 4:	/* all ones */
			memset(v, 0xff, len);
			break;
		case 5:	/* type 0 or past the set */
			type = chance(50) ? 0 : (op ? op->max : 12) + 1 + below(4);
			break;
		}
	}
	put_attr(bl, type, v, len);
	if (chance(5))	/* the same again */
		put_attr(bl, type, v, len);
}

/* The bytes themselves broken. */
static void corrupt(struct blob *bl)
{
	struct nlattr *a;

	if (!bl->len)
		return;
	switch (below(4)) {
	case 0:
		bl->b[below(bl->len)] ^= 1 << below(8);
		break;
	case 1:	/* cut short: the last attribute runs past the end */
		bl->len -= 1 + below(bl->len);
		break;
	case 2:	/* an impossible length at the first attribute */
		a = (struct nlattr *)bl->b;
		a->nla_len = chance(50) ? below(4) : 0xffff - below(8);
		break;
	case 3:	/* trailing bytes that are no attribute */
		bl->len += 1 + below(3);
		break;
	}
}

/* A value within what the policy and the handler take, for @type of @op. */
static size_t good_value(const struct op *op, int type, uint8_t *v)
{
	static const struct { int type; uint32_t lo, hi; } ranges[] = {
		{ PMESH_A_MESH_HOPLIMIT, 1, 255 },
		{ PMESH_A_MESH_MAX_DGRAM, 1, PMESH_MAX_DGRAM_CEILING },
		{ PMESH_A_MESH_MAX_ORIGINS, PMESH_MAX_ORIGINS_FLOOR, PMESH_MAX_ORIGINS_CEILING },
		{ PMESH_A_MESH_ORIGIN_TIMEOUT, 1, PMESH_ORIGIN_TIMEOUT_CEILING },
		{ PMESH_A_MESH_HELLO_INTERVAL, PMESH_HELLO_INTERVAL_MIN, 2000 },
		{ PMESH_A_MESH_DEAD_INTERVAL, 2001, PMESH_DEAD_INTERVAL_MAX },
		{ PMESH_A_MESH_ANNOUNCE_INTERVAL, PMESH_ANNOUNCE_INTERVAL_MIN,
		  PMESH_ANNOUNCE_INTERVAL_MAX },
		{ PMESH_A_MESH_MAX_NODES, PMESH_MAX_NODES_FLOOR, PMESH_MAX_NODES_CEILING },
		{ PMESH_A_MESH_MIN_NEIGH, 0, PMESH_MAX_NEIGH_CEILING - 1 },
		{ PMESH_A_MESH_MAX_NEIGH, 1, PMESH_MAX_NEIGH_CEILING },
		{ PMESH_A_MESH_OPEN, 0, 1 },
		{ PMESH_A_MESH_BROADCAST, PMESH_BROADCAST_FLOOD, PMESH_BROADCAST_TREE },
	};
	unsigned int i;
	uint32_t w;
	uint16_t h;
	uint8_t b;

	if (op->attrs == mesh_attrs) {
		for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
			if (ranges[i].type != type)
				continue;
			w = ranges[i].lo + below(ranges[i].hi - ranges[i].lo + 1);
			if (type == PMESH_A_MESH_HOPLIMIT ||
			    type == PMESH_A_MESH_MIN_NEIGH ||
			    type == PMESH_A_MESH_MAX_NEIGH ||
			    type == PMESH_A_MESH_OPEN ||
			    type == PMESH_A_MESH_BROADCAST) {
				b = w;
				memcpy(v, &b, 1);
				return 1;
			}
			memcpy(v, &w, 4);
			return 4;
		}
		if (type == PMESH_A_MESH_PORT) {
			h = 7788 + below(8);
			memcpy(v, &h, 2);
			return 2;
		}
	}
	if (type == PMESH_A_NEIGH_PORT && op->attrs == neigh_attrs) {
		h = 7788 + below(2);
		memcpy(v, &h, 2);
		return 2;
	}
	if (type == PMESH_A_LINK_IFNAME && op->attrs == link_attrs) {
		strcpy((char *)v, PICK(names));
		return strlen((char *)v) + 1;
	}
	for (i = 0; i < (unsigned int)op->n_attrs; i++)
		if (op->attrs[i].type == type)
			return value(op->attrs[i].kind, v);
	return 0;
}

/* What each operation's request may carry (the spec's request lists). */
static const int mesh_new_req[] = { PMESH_A_MESH_NODE_ID, PMESH_A_MESH_PORT,
	PMESH_A_MESH_HOPLIMIT, PMESH_A_MESH_MAX_DGRAM, PMESH_A_MESH_MAX_ORIGINS,
	PMESH_A_MESH_ORIGIN_TIMEOUT, PMESH_A_MESH_HELLO_INTERVAL,
	PMESH_A_MESH_DEAD_INTERVAL, PMESH_A_MESH_ANNOUNCE_INTERVAL,
	PMESH_A_MESH_MAX_NODES, PMESH_A_MESH_MIN_NEIGH, PMESH_A_MESH_MAX_NEIGH,
	PMESH_A_MESH_OPEN, PMESH_A_MESH_BROADCAST, 0 };
static const int peer_req[] = { PMESH_A_NEIGH_ADDR, PMESH_A_NEIGH_PORT, 0 };
static const int link_req[] = { PMESH_A_LINK_IFINDEX, PMESH_A_LINK_IFNAME, 0 };
static const int none_req[] = { 0 };

static const int *request_attrs(int cmd)
{
	switch (cmd) {
	case PMESH_CMD_MESH_NEW:
	case PMESH_CMD_MESH_SET:
		return mesh_new_req + (cmd == PMESH_CMD_MESH_SET ? 2 : 0);
	case PMESH_CMD_PEER_NEW:
	case PMESH_CMD_PEER_DEL:
		return peer_req;
	case PMESH_CMD_LINK_NEW:
	case PMESH_CMD_LINK_DEL:
		return link_req;
	}
	return none_req;
}

struct req {
	int cmd, flags;
	const struct op *op;
	int raw_hdr;
	struct blob bl;
};

static void make_request(struct req *r)
{
	int n, i, pick = below(100);

	memset(r, 0, sizeof(*r));
	if (pick < 88)
		r->cmd = ops[below(N_OPS)].cmd;
	else if (pick < 94)
		r->cmd = PMESH_CMD_MESH_ADD_NTF + below(9);
	else
		r->cmd = chance(50) ? 0 : 20 + below(236);
	r->op = op_of(r->cmd);
	if (r->op && r->op->dump_ok && (!r->op->do_ok || chance(50)))
		r->flags = NLM_F_DUMP;
	else if (chance(5))
		r->flags = NLM_F_DUMP;
	if (chance(5))
		r->flags |= PICK(((const int[]){ NLM_F_ECHO, NLM_F_EXCL,
			NLM_F_CREATE, NLM_F_REPLACE, NLM_F_APPEND, NLM_F_ATOMIC }));
	/* Usually the mesh first, as a real request names it. */
	if (r->op && chance(80)) {
		uint32_t id = mesh_id();

		put_attr(&r->bl, r->op->attrs == mesh_attrs ? PMESH_A_MESH_ID :
			 r->op->attrs[0].type == PMESH_A_NEIGH_PAD ?
			 PMESH_A_NEIGH_MESH_ID : r->op->attrs == link_attrs ?
			 PMESH_A_LINK_MESH_ID : PMESH_A_NODE_MESH_ID, &id, 4);
	}
	if (r->op && chance(50)) {
		/* Well-formed: the request's attributes, each present or not. */
		const int *t = request_attrs(r->cmd);
		uint8_t v[64];

		for (; *t; t++) {
			if (chance(r->cmd == PMESH_CMD_PEER_NEW ||
				   r->cmd == PMESH_CMD_PEER_DEL ? 90 : 40))
				put_attr(&r->bl, *t, v, good_value(r->op, *t, v));
		}
		n = below(3) == 0;
	} else {
		n = below(6);
	}
	for (i = 0; i < n; i++)
		attribute(&r->bl, r->op);
	if (chance(4))
		corrupt(&r->bl);
	r->raw_hdr = chance(2);
}

static void hex(const char *what, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	printf("# %s (%zu bytes):", what, n);
	for (i = 0; i < n; i++)
		printf("%s%02x", i % 16 ? " " : "\n#   ", b[i]);
	printf("\n");
}

/* The attribute set's last type for a message of @cmd, events included. */
static int set_max(int cmd)
{
	switch (cmd) {
	case PMESH_CMD_MESH_ADD_NTF:
	case PMESH_CMD_MESH_DEL_NTF:
	case PMESH_CMD_MESH_CHANGE_NTF:
		return PMESH_A_MESH_MAX;
	case PMESH_CMD_NEIGH_UP_NTF:
	case PMESH_CMD_NEIGH_DOWN_NTF:
		return PMESH_A_NEIGH_MAX;
	case PMESH_CMD_LINK_ADD_NTF:
	case PMESH_CMD_LINK_DEL_NTF:
		return PMESH_A_LINK_MAX;
	case PMESH_CMD_NODE_JOIN_NTF:
	case PMESH_CMD_NODE_LEAVE_NTF:
		return PMESH_A_NODE_MAX;
	}
	return op_of(cmd) ? op_of(cmd)->max : -1;
}

/*
 * A reply (or, with NLM_F_ECHO, an event) must be a pmesh message whose
 * attributes parse, the stats nest included.
 */
static int on_reply(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[32], *stats[PMESH_A_STATS_MAX + 1];
	int max = set_max(pmnl_cmd(nlh));

	(void)arg;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN || max < 0 ||
	    pmnl_parse(nlh, tb, max)) {
		hex("a reply that does not parse", nlh, nlh->nlmsg_len);
		return -EBADMSG;
	}
	/* (libnl's nla_validate() takes no NULL policy; nla_parse() does.) */
	if (max == PMESH_A_MESH_MAX && tb[PMESH_A_MESH_STATS] &&
	    nla_parse_nested(stats, PMESH_A_STATS_MAX, tb[PMESH_A_MESH_STATS], NULL)) {
		hex("a reply whose stats do not parse", nlh, nlh->nlmsg_len);
		return -EBADMSG;
	}
	return 0;
}

/* Send @r; returns the result, 0 or a negative errno. */
static int send_request(struct req *r, struct nl_msg **copy)
{
	struct nl_msg *msg;
	struct pmnl_err err;

	if (r->raw_hdr) {
		/* A genetlink header that is short, or names another version. */
		uint8_t h[GENL_HDRLEN];
		size_t hl = below(GENL_HDRLEN + 1);

		msg = nlmsg_alloc_simple(nl.family, r->flags);
		h[0] = r->cmd;
		h[1] = rnd();
		h[2] = rnd();
		h[3] = rnd();
		if (msg && nlmsg_append(msg, h, hl, 0))
			die("nlmsg_append");
		if (hl < GENL_HDRLEN)
			r->bl.len = 0;
	} else {
		msg = pmnl_msg(&nl, r->cmd, r->flags);
	}
	if (!msg)
		die("no memory for a message");
	if (r->bl.len && nlmsg_append(msg, r->bl.b, r->bl.len, 0))
		die("nlmsg_append of %zu bytes", r->bl.len);
	if (copy) {
		*copy = nlmsg_alloc_size(nlmsg_hdr(msg)->nlmsg_len + 64);
		if (*copy)
			nlmsg_append(*copy, nlmsg_data(nlmsg_hdr(msg)),
				     nlmsg_datalen(nlmsg_hdr(msg)), 0);
	}
	return pmnl_run(&nl, msg, on_reply, NULL, &err);
}

/* Dumps: what the namespace holds. */
struct state {
	uint32_t meshes[PM_MAX_MESHES + 1];
	int n_meshes;
	int bad;
	char *text;		/* canonical, for comparing */
	size_t len, cap;
	int peers[PM_MAX_MESHES + 1], links[PM_MAX_MESHES + 1];
};

static int mesh_index(struct state *s, uint32_t id)
{
	int i;

	for (i = 0; i < s->n_meshes; i++)
		if (s->meshes[i] == id)
			return i;
	return -1;
}

static void text_add(struct state *s, const char *line)
{
	size_t n = strlen(line);

	if (s->len + n + 2 > s->cap) {
		s->cap = (s->cap + n + 2) * 2;
		s->text = realloc(s->text, s->cap);
	}
	memcpy(s->text + s->len, line, n);
	s->len += n;
	s->text[s->len++] = '\n';
	s->text[s->len] = 0;
}

/* Attributes that move by themselves: counters and times. */
static int volatile_attr(int cmd, int type)
{
	switch (cmd) {
	case PMESH_CMD_MESH_GET:
		return type == PMESH_A_MESH_STATS;
	case PMESH_CMD_NEIGH_GET:
		return type == PMESH_A_NEIGH_STATS || type == PMESH_A_NEIGH_LAST_HEARD ||
		       type == PMESH_A_NEIGH_STATE || type == PMESH_A_NEIGH_NODE_ID;
	case PMESH_CMD_LINK_GET:
		return type == PMESH_A_LINK_TX_FRAMES || type == PMESH_A_LINK_TX_BYTES ||
		       type == PMESH_A_LINK_NEIGHS;
	case PMESH_CMD_NODE_GET:
		return type == PMESH_A_NODE_LAST_HEARD || type == PMESH_A_NODE_STATE;
	}
	return 0;
}

struct dump_arg {
	struct state *s;
	int cmd;
};

static int on_dump(struct nlmsghdr *nlh, void *arg)
{
	struct dump_arg *d = arg;
	struct state *s = d->s;
	const struct op *op = op_of(d->cmd);
	struct nlattr *tb[32], *a;
	char line[4096];
	size_t n = 0;
	int type, mesh_attr, i;
	uint32_t mesh;

	if (on_reply(nlh, NULL) || pmnl_parse(nlh, tb, op->max)) {
		s->bad++;
		return 0;
	}
	mesh_attr = d->cmd == PMESH_CMD_MESH_GET ? PMESH_A_MESH_ID :
		    d->cmd == PMESH_CMD_NEIGH_GET ? PMESH_A_NEIGH_MESH_ID :
		    d->cmd == PMESH_CMD_LINK_GET ? PMESH_A_LINK_MESH_ID :
		    PMESH_A_NODE_MESH_ID;
	if (!tb[mesh_attr] || nla_len(tb[mesh_attr]) != 4) {
		printf("# a %s reply without its mesh id\n", op->name);
		s->bad++;
		return 0;
	}
	mesh = nla_get_u32(tb[mesh_attr]);
	if (d->cmd == PMESH_CMD_MESH_GET) {
		if (!tb[PMESH_A_MESH_NODE_ID] || !tb[PMESH_A_MESH_PORT] ||
		    s->n_meshes >= PM_MAX_MESHES || mesh_index(s, mesh) >= 0) {
			printf("# mesh %u: incomplete, repeated or one too many\n", mesh);
			s->bad++;
			return 0;
		}
		s->meshes[s->n_meshes++] = mesh;
	} else {
		i = mesh_index(s, mesh);
		if (i < 0) {
			printf("# a %s reply names mesh %u, which the mesh dump has not\n",
			       op->name, mesh);
			s->bad++;
			return 0;
		}
		if (d->cmd == PMESH_CMD_NEIGH_GET && tb[PMESH_A_NEIGH_ADDR])
			s->peers[i]++;
		if (d->cmd == PMESH_CMD_LINK_GET)
			s->links[i]++;
	}
	n += snprintf(line + n, sizeof(line) - n, "%s", op->name);
	for (type = 1; type <= op->max && n < sizeof(line) - 8; type++) {
		a = tb[type];
		if (!a || volatile_attr(d->cmd, type))
			continue;
		n += snprintf(line + n, sizeof(line) - n, " %d=", type);
		for (i = 0; i < nla_len(a) && n < sizeof(line) - 4; i++)
			n += snprintf(line + n, sizeof(line) - n, "%02x",
				      ((uint8_t *)nla_data(a))[i]);
	}
	text_add(s, line);
	return 0;
}

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of s->text in order, so that dump order does not matter. */
static void sort_text(struct state *s)
{
	char **lines = NULL, *p, *out;
	size_t n = 0, i, at = 0;

	if (!s->text)
		return;
	for (p = strtok(s->text, "\n"); p; p = strtok(NULL, "\n")) {
		lines = realloc(lines, (n + 1) * sizeof(*lines));
		lines[n++] = p;
	}
	qsort(lines, n, sizeof(*lines), cmp_lines);
	out = malloc(s->len + 2);
	for (i = 0; i < n; i++)
		at += sprintf(out + at, "%s\n", lines[i]);
	out[at] = 0;
	free(lines);
	free(s->text);
	s->text = out;
	s->len = at;
}

static void snapshot(struct state *s, const char *when)
{
	static const int cmds[] = { PMESH_CMD_MESH_GET, PMESH_CMD_NEIGH_GET,
				    PMESH_CMD_LINK_GET, PMESH_CMD_NODE_GET };
	unsigned int c;
	int i;

	memset(s, 0, sizeof(*s));
	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
		struct dump_arg d = { .s = s, .cmd = cmds[c] };
		struct pmnl_err err;
		struct nl_msg *msg = pmnl_msg(&nl, cmds[c], NLM_F_DUMP);
		int ret;

		if (!msg)
			die("no memory");
		ret = pmnl_run(&nl, msg, on_dump, &d, &err);
		if (ret)
			die("%s: the %s dump failed: %s", when, op_of(cmds[c])->name,
			    strerror(-ret));
	}
	for (i = 0; i < s->n_meshes; i++) {
		if (s->peers[i] > PM_MAX_PEERS || s->links[i] > PM_MAX_LINKS) {
			printf("# mesh %u: %d peers, %d links\n", s->meshes[i],
			       s->peers[i], s->links[i]);
			s->bad++;
		}
	}
	if (s->bad)
		die("%s: the dumps do not parse or do not agree (%d bad)", when,
		    s->bad);
	sort_text(s);
}

static void tally(int ret, int kind)
{
	int e = -ret;

	if (!ret) {
		n_ok++;
		return;
	}
	n_fail++;
	errs[kind][e > 0 && e < 200 ? e : 0]++;
}

static void print_tally(void)
{
	static const char *const kinds[] = { "do", "dump", "change", "other" };
	int k, e, i;

	for (i = 0; i < N_OPS; i++)
		printf("# %-9s %8" PRIu64 " sent, %8" PRIu64 " succeeded\n",
		       ops[i].name, op_sent[i], op_ok[i]);
	printf("# other commands %" PRIu64 " sent, %" PRIu64 " succeeded\n",
	       op_sent[N_OPS], op_ok[N_OPS]);
	for (k = 0; k < 4; k++) {
		char line[2048];
		size_t n = 0;

		for (e = 0; e < 200; e++)
			if (errs[k][e])
				n += snprintf(line + n, sizeof(line) - n, " %s %" PRIu64 ",",
					      e ? strerrorname_np(e) : "?", errs[k][e]);
		if (n)
			printf("# errors of %s requests:%s\n", kinds[k], line);
	}
}

/* What errors mean something went wrong on our side or the kernel's. */
static void check_result(struct req *r, int ret, int unpriv, uint64_t i,
			 struct nl_msg *copy)
{
	int idx = r->op ? (int)(r->op - ops) : N_OPS;
	int bad = 0;

	op_sent[idx]++;
	if (!ret)
		op_ok[idx]++;
	if (ret == -EIO || ret == -EBADMSG) {
		printf("# request %" PRIu64 ": %s: no answer, or one that does not parse\n",
		       i, strerror(-ret));
		bad = 1;
	} else if (!unpriv && ret == -EPERM) {
		printf("# request %" PRIu64 ": EPERM as root\n", i);
		bad = 1;
	} else if (unpriv && r->op && r->op->change && !ret) {
		printf("# request %" PRIu64 ": %s succeeded without CAP_NET_ADMIN\n",
		       i, r->op->name);
		bad = 1;
	} else if (unpriv && r->op && r->op->change && !r->raw_hdr &&
		   !(r->flags & ~NLM_F_ECHO) && ret != -EPERM) {
		/*
		 * A do request with a header genetlink takes: the permission
		 * is checked before anything of the pmesh family runs. (Flags
		 * other than ECHO, or dump ones, are refused before that.)
		 */
		printf("# request %" PRIu64 ": %s without CAP_NET_ADMIN answered %s, not EPERM\n",
		       i, r->op->name, strerror(-ret));
		bad = 1;
	}
	if (bad) {
		if (copy)
			hex("the request, after its netlink header", nlmsg_data(nlmsg_hdr(copy)),
			    nlmsg_datalen(nlmsg_hdr(copy)));
		die("request %" PRIu64 " (command %d, flags %#x)", i, r->cmd, r->flags);
	}
	tally(ret, unpriv && r->op && r->op->change ? 2 :
		   !r->op ? 3 : r->flags & NLM_F_DUMP ? 1 : 0);
}

static void open_socket(void)
{
	struct timeval tv = { .tv_sec = 10 };
	int err = pmnl_open(&nl);

	if (err)
		die("%s", pmnl_open_error(err));
	/* A request the kernel never answers fails rather than hangs. */
	setsockopt(nl_socket_get_fd(nl.sk), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	nl_socket_set_buffer_size(nl.sk, 1 << 20, 1 << 20);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void fuzz(int unpriv)
{
	struct state s;
	double t0 = now(), t;
	uint64_t i;

	for (i = 0; i < n_msgs; i++) {
		struct nl_msg *copy = NULL;
		struct req r;
		int ret;

		make_request(&r);
		ret = send_request(&r, &copy);
		check_result(&r, ret, unpriv, i, copy);
		nlmsg_free(copy);
		if (!unpriv && ((i + 1) % CHECK_EVERY == 0 || i + 1 == n_msgs)) {
			snapshot(&s, "after a batch");
			free(s.text);
		}
	}
	t = now() - t0;
	printf("# %" PRIu64 " requests in %.1f s: %.0f a second; %" PRIu64
	       " succeeded, %" PRIu64 " failed\n", n_msgs, t, n_msgs / t, n_ok, n_fail);
	print_tally();
}

static void drop_privileges(const char *how)
{
	if (!strcmp(how, "nobody")) {
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			die("cannot become nobody: %s", strerror(errno));
	} else if (!strcmp(how, "userns")) {
		if (unshare(CLONE_NEWUSER))
			die("cannot make a user namespace: %s", strerror(errno));
	} else {
		die("-u takes nobody or userns, not %s", how);
	}
}

int main(int argc, char **argv)
{
	const char *unpriv = NULL;
	struct state before, after;
	char *e;
	int opt, status;
	pid_t pid;

	seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	if ((e = getenv("PMESH_FUZZ_SEED")) && *e)
		seed = strtoull(e, NULL, 0);
	if ((e = getenv("PMESH_FUZZ_MSGS")) && *e)
		n_msgs = strtoull(e, NULL, 0);
	while ((opt = getopt(argc, argv, "n:s:u:")) != -1) {
		switch (opt) {
		case 'n': n_msgs = strtoull(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'u': unpriv = optarg; break;
		default:
			fprintf(stderr, "usage: nl_fuzz [-n MESSAGES] [-s SEED] [-u nobody|userns]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	rng_state = seed;
	printf("# seed %" PRIu64 ", %" PRIu64 " requests%s%s (PMESH_FUZZ_SEED=%" PRIu64
	       " replays them)\n", seed, n_msgs, unpriv ? " as " : " as root",
	       unpriv ? unpriv : "", seed);

	open_socket();
	if (!unpriv) {
		snapshot(&before, "before");
		printf("# before: %d meshes\n", before.n_meshes);
		fuzz(0);
		snapshot(&after, "at the end");
		printf("# at the end: %d meshes; every reply parsed, the dumps agree\n",
		       after.n_meshes);
		return 0;
	}

	snapshot(&before, "before");
	printf("# before: %d meshes, %zu bytes of dumps to compare\n",
	       before.n_meshes, before.len);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		pmnl_close(&nl);
		drop_privileges(unpriv);
		open_socket();
		fuzz(1);
		exit(0);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		die("the unprivileged requests failed");
	snapshot(&after, "after");
	if (before.len != after.len || memcmp(before.text, after.text, before.len)) {
		printf("# before:\n%s# after:\n%s", before.text, after.text);
		die("the state changed under requests without CAP_NET_ADMIN");
	}
	printf("# after: the same %d meshes, neighbours, links and nodes\n",
	       after.n_meshes);
	return 0;
}
