// SPDX-License-Identifier: GPL-2.0
/*
 * The "pmesh" generic netlink family: mesh new, del, set and get/dump,
 * defaults, validation with extack messages that point at the attribute,
 * permissions, namespaces, limits and the "events" group.
 *
 * Every test runs in a network namespace of its own.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "kselftest_harness.h"
#include "pmesh_test.h"

FIXTURE(nl) {
	struct pmnl nl;
	struct pmnl_err err;
};

FIXTURE_SETUP(nl)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, pmnl_open(&self->nl)) TH_LOG("pmesh module not loaded");
}

FIXTURE_TEARDOWN(nl)
{
	pmnl_close(&self->nl);
}

#define PMESH_KEY_LEN_TEST 32

static struct nl_msg *msg_new(struct pmnl *nl, __u8 cmd)
{
	return pmnl_msg(nl, cmd, 0);
}

/* Send @msg and keep what the kernel said in self->err. */
#define RUN(msg) pmnl_run(&self->nl, (msg), NULL, NULL, &self->err)

static int count_cb(struct nlmsghdr *nlh, void *arg)
{
	struct pmesh_mesh_info m;
	int *n = arg;

	if (pmesh_parse_mesh(nlh, &m))
		return -EINVAL;
	/* Ids come in order, each once: n counts up 1, 2, 3, ... */
	if (m.id != (__u32)*n + 1)
		return -EBADMSG;
	(*n)++;
	return 0;
}

static int dump_count(struct pmnl *nl)
{
	struct nl_msg *msg = pmnl_msg(nl, PMESH_CMD_MESH_GET, NLM_F_DUMP);
	struct pmnl_err err;
	int n = 0, ret;

	ret = pmnl_run(nl, msg, count_cb, &n, &err);
	return ret ? ret : n;
}

TEST_F(nl, new_with_defaults)
{
	struct pmesh_mesh_info m;

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 7, 0));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 7, &m));
	EXPECT_EQ(7, m.id);
	EXPECT_NE(0, m.node_id);
	EXPECT_EQ(PMESH_DEFAULT_PORT, m.port);
	EXPECT_EQ(PMESH_DEFAULT_HOPLIMIT, m.hoplimit);
	EXPECT_EQ(PMESH_DEFAULT_MAX_DGRAM, m.max_dgram);
	EXPECT_EQ(PMESH_A_STATS_MAX, m.n_stats);
	EXPECT_EQ(PMESH_DEFAULT_MAX_ORIGINS, m.max_origins);
	EXPECT_EQ(PMESH_DEFAULT_ORIGIN_TIMEOUT, m.origin_timeout);
	EXPECT_EQ(PMESH_DEFAULT_HELLO_INTERVAL, m.hello_ms);
	EXPECT_EQ(PMESH_DEFAULT_DEAD_INTERVAL, m.dead_ms);
	for (int i = 1; i <= PMESH_A_STATS_MAX; i++)
		EXPECT_EQ(0, m.stats[i]);
}

TEST_F(nl, new_with_every_setting)
{
	struct nl_msg *msg = msg_new(&self->nl, PMESH_CMD_MESH_NEW);
	struct pmesh_mesh_info m;

	nla_put_u32(msg, PMESH_A_MESH_ID, 9);
	nla_put_u64(msg, PMESH_A_MESH_NODE_ID, 0x1122334455667788ULL);
	nla_put_u16(msg, PMESH_A_MESH_PORT, 9999);
	nla_put_u8(msg, PMESH_A_MESH_HOPLIMIT, 3);
	nla_put_u32(msg, PMESH_A_MESH_MAX_DGRAM, PMESH_MAX_DGRAM_CEILING);
	ASSERT_EQ(0, RUN(msg));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 9, &m));
	EXPECT_EQ(0x1122334455667788ULL, m.node_id);
	EXPECT_EQ(9999, m.port);
	EXPECT_EQ(3, m.hoplimit);
	EXPECT_EQ(PMESH_MAX_DGRAM_CEILING, m.max_dgram);
}

TEST_F(nl, random_node_ids_differ)
{
	struct pmesh_mesh_info a, b;

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 1000));
	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 2, 1001));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 1, &a));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 2, &b));
	EXPECT_NE(a.node_id, b.node_id);
}

TEST_F(nl, new_without_id)
{
	struct nl_msg *msg = msg_new(&self->nl, PMESH_CMD_MESH_NEW);

	nla_put_u16(msg, PMESH_A_MESH_PORT, 9999);
	EXPECT_EQ(-EINVAL, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_ID, self->err.miss_attr);
	EXPECT_EQ(0, dump_count(&self->nl));
}

/*
 * Each out-of-range value is refused with ERANGE, as the kernel's policy
 * checks do for every family, with the attribute pointed at.
 */
TEST_F(nl, new_out_of_range)
{
	struct {
		int attr;
		int len;
		__u64 val;
	} bad[] = {
		{ PMESH_A_MESH_ID, 4, 0 },
		{ PMESH_A_MESH_NODE_ID, 8, 0 },
		{ PMESH_A_MESH_PORT, 2, 0 },
		{ PMESH_A_MESH_HOPLIMIT, 1, 0 },
		{ PMESH_A_MESH_MAX_DGRAM, 4, 0 },
		{ PMESH_A_MESH_MAX_DGRAM, 4, PMESH_MAX_DGRAM_CEILING + 1 },
		{ PMESH_A_MESH_BROADCAST, 1, PMESH_BROADCAST_TREE + 1 },
	};

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nl_msg *msg = msg_new(&self->nl, PMESH_CMD_MESH_NEW);

		if (bad[i].attr != PMESH_A_MESH_ID)
			nla_put_u32(msg, PMESH_A_MESH_ID, 1);
		nla_put(msg, bad[i].attr, bad[i].len, &bad[i].val);
		EXPECT_EQ(-ERANGE, RUN(msg)) TH_LOG("case %u", i);
		EXPECT_EQ(bad[i].attr, self->err.bad_attr) TH_LOG("case %u", i);
		EXPECT_STRNE("", self->err.msg) TH_LOG("case %u", i);
	}
	EXPECT_EQ(0, dump_count(&self->nl));
}

TEST_F(nl, new_wrong_attribute_size)
{
	struct nl_msg *msg = msg_new(&self->nl, PMESH_CMD_MESH_NEW);
	__u16 id = 1;

	nla_put(msg, PMESH_A_MESH_ID, sizeof(id), &id);
	EXPECT_EQ(-EINVAL, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_ID, self->err.bad_attr);
	EXPECT_EQ(0, dump_count(&self->nl));
}

TEST_F(nl, new_unknown_attribute)
{
	struct nl_msg *msg = msg_new(&self->nl, PMESH_CMD_MESH_NEW);

	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u32(msg, PMESH_A_MESH_MAX + 5, 1);
	EXPECT_EQ(-EINVAL, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_MAX + 5, self->err.bad_attr);
	EXPECT_EQ(0, dump_count(&self->nl));
}

TEST_F(nl, new_stats_not_settable)
{
	struct nl_msg *msg = msg_new(&self->nl, PMESH_CMD_MESH_NEW);
	struct nlattr *nest;

	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nest = nla_nest_start(msg, PMESH_A_MESH_STATS);
	nla_put_u32(msg, PMESH_A_STATS_SENT, 5);
	nla_nest_end(msg, nest);
	EXPECT_EQ(-EINVAL, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_STATS, self->err.bad_attr);
}

TEST_F(nl, new_duplicate_id)
{
	struct pmesh_mesh_info before, after;
	struct nl_msg *msg;

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 3, 0));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 3, &before));
	msg = msg_new(&self->nl, PMESH_CMD_MESH_NEW);
	nla_put_u32(msg, PMESH_A_MESH_ID, 3);
	nla_put_u16(msg, PMESH_A_MESH_PORT, 4000);
	EXPECT_EQ(-EEXIST, RUN(msg));
	EXPECT_STREQ("mesh 3 already exists", self->err.msg);
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 3, &after));
	EXPECT_EQ(before.node_id, after.node_id);
	EXPECT_EQ(before.port, after.port);
}

TEST_F(nl, new_port_in_use)
{
	struct nl_msg *msg;

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 5000));
	msg = msg_new(&self->nl, PMESH_CMD_MESH_NEW);
	nla_put_u32(msg, PMESH_A_MESH_ID, 2);
	nla_put_u16(msg, PMESH_A_MESH_PORT, 5000);
	EXPECT_EQ(-EADDRINUSE, RUN(msg));
	EXPECT_STREQ("port 5000 is used by another mesh", self->err.msg);
	EXPECT_EQ(1, dump_count(&self->nl));
}

TEST_F(nl, del)
{
	struct pmesh_mesh_info m;

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 0));
	ASSERT_EQ(0, pmesh_mesh_del(&self->nl, 1));
	EXPECT_EQ(-ENONET, pmesh_mesh_get(&self->nl, 1, &m));
	/* Its id and port are free again. */
	EXPECT_EQ(0, pmesh_mesh_add(&self->nl, 1, 0));
}

TEST_F(nl, del_unknown)
{
	struct nl_msg *msg = msg_new(&self->nl, PMESH_CMD_MESH_DEL);

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 0));
	nla_put_u32(msg, PMESH_A_MESH_ID, 2);
	EXPECT_EQ(-ENONET, RUN(msg));
	EXPECT_STREQ("mesh 2 does not exist", self->err.msg);
	EXPECT_EQ(PMESH_A_MESH_ID, self->err.bad_attr);
	EXPECT_EQ(1, dump_count(&self->nl));
}

TEST_F(nl, del_without_id)
{
	EXPECT_EQ(-EINVAL, RUN(msg_new(&self->nl, PMESH_CMD_MESH_DEL)));
	EXPECT_EQ(PMESH_A_MESH_ID, self->err.miss_attr);
}

TEST_F(nl, get_unknown)
{
	struct nl_msg *msg = msg_new(&self->nl, PMESH_CMD_MESH_GET);

	nla_put_u32(msg, PMESH_A_MESH_ID, 42);
	EXPECT_EQ(-ENONET, RUN(msg));
	EXPECT_STREQ("mesh 42 does not exist", self->err.msg);
}

TEST_F(nl, set)
{
	struct nl_msg *msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	struct pmesh_mesh_info m;

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 0));
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u8(msg, PMESH_A_MESH_HOPLIMIT, 1);
	nla_put_u32(msg, PMESH_A_MESH_MAX_DGRAM, 100);
	ASSERT_EQ(0, RUN(msg));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 1, &m));
	EXPECT_EQ(1, m.hoplimit);
	EXPECT_EQ(100, m.max_dgram);
}

TEST_F(nl, set_refusals)
{
	struct pmesh_mesh_info m;
	struct nl_msg *msg;

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 0));

	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	EXPECT_EQ(-EINVAL, RUN(msg));
	EXPECT_STREQ("no setting to change", self->err.msg);

	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 2);
	nla_put_u8(msg, PMESH_A_MESH_HOPLIMIT, 5);
	EXPECT_EQ(-ENONET, RUN(msg));

	/* The port and node are fixed for the life of a mesh. */
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u16(msg, PMESH_A_MESH_PORT, 1234);
	EXPECT_EQ(-EINVAL, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_PORT, self->err.bad_attr);

	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u8(msg, PMESH_A_MESH_HOPLIMIT, 0);
	EXPECT_EQ(-ERANGE, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_HOPLIMIT, self->err.bad_attr);

	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 1, &m));
	EXPECT_EQ(PMESH_DEFAULT_HOPLIMIT, m.hoplimit);
	EXPECT_EQ(PMESH_DEFAULT_PORT, m.port);
}

/*
 * Keys: bytes 0..31 and 1..32, and their fingerprints, the first 8 bytes of
 * keyed BLAKE2s-64 of "pmesh fingerprint v1" (Python's hashlib.blake2s(
 * b"pmesh fingerprint v1", key=bytes(range(32)), digest_size=8)).
 */
#define KEY_A_FP 0x26de11f7036d8663ULL
#define KEY_B_FP 0xee69e0d21ad618b7ULL

static void test_key(__u8 *key, __u8 first)
{
	for (int i = 0; i < PMESH_KEY_LEN_TEST; i++)
		key[i] = first + i;
}

/* mesh-new (@cmd) or mesh-set of mesh @id with @key (NULL: key-clear). */
static struct nl_msg *key_msg(struct pmnl *nl, __u8 cmd, __u32 id,
			      const __u8 *key, int len)
{
	struct nl_msg *msg = pmnl_msg(nl, cmd, 0);

	nla_put_u32(msg, PMESH_A_MESH_ID, id);
	if (key)
		nla_put(msg, PMESH_A_MESH_KEY, len, key);
	else
		nla_put_flag(msg, PMESH_A_MESH_KEY_CLEAR);
	return msg;
}

TEST_F(nl, key_shows_its_fingerprint_only)
{
	__u8 a[PMESH_KEY_LEN_TEST], b[PMESH_KEY_LEN_TEST];
	struct pmesh_mesh_info m;
	struct nl_msg *msg;

	test_key(a, 0);
	test_key(b, 1);
	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 0));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 1, &m));
	EXPECT_EQ(0, m.key_fp);

	msg = key_msg(&self->nl, PMESH_CMD_MESH_NEW, 2, a, sizeof(a));
	nla_put_u16(msg, PMESH_A_MESH_PORT, 7790);
	ASSERT_EQ(0, RUN(msg));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 2, &m));
	EXPECT_EQ(KEY_A_FP, m.key_fp);
	EXPECT_EQ(0, m.key_next_fp);
	EXPECT_EQ(0, m.key_prev_fp);
	EXPECT_EQ(PMESH_DEFAULT_KEY_SWITCH, m.key_switch);

	/* A new key: sealed with after key-switch; then none, at once. */
	ASSERT_EQ(0, RUN(key_msg(&self->nl, PMESH_CMD_MESH_SET, 2, b, sizeof(b))));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 2, &m));
	EXPECT_EQ(KEY_A_FP, m.key_fp);
	EXPECT_EQ(KEY_B_FP, m.key_next_fp);
	/* A third key waits for the change under way. */
	EXPECT_EQ(-EBUSY, RUN(key_msg(&self->nl, PMESH_CMD_MESH_SET, 2, a,
				      sizeof(a))));
	EXPECT_EQ(PMESH_A_MESH_KEY, self->err.bad_attr);
	ASSERT_EQ(0, RUN(key_msg(&self->nl, PMESH_CMD_MESH_SET, 2, NULL, 0)));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 2, &m));
	EXPECT_EQ(0, m.key_fp);
	EXPECT_EQ(0, m.key_next_fp);
	/* The same key on another mesh: the same fingerprint. */
	ASSERT_EQ(0, RUN(key_msg(&self->nl, PMESH_CMD_MESH_SET, 1, a, sizeof(a))));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 1, &m));
	EXPECT_EQ(KEY_A_FP, m.key_fp);
}

/*
 * key-switch: set with a mesh, alone, or with the key it times; refused
 * out of range; a keyed mesh's origin-timeout is 10 s or more.
 */
TEST_F(nl, key_switch_and_timeout_floor)
{
	__u8 a[PMESH_KEY_LEN_TEST], b[PMESH_KEY_LEN_TEST];
	struct pmesh_mesh_info m;
	struct nl_msg *msg;

	test_key(a, 0);
	test_key(b, 1);
	msg = key_msg(&self->nl, PMESH_CMD_MESH_NEW, 1, a, sizeof(a));
	nla_put_u32(msg, PMESH_A_MESH_KEY_SWITCH, 5);
	ASSERT_EQ(0, RUN(msg));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 1, &m));
	EXPECT_EQ(5, m.key_switch);
	EXPECT_EQ(KEY_A_FP, m.key_fp);

	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u32(msg, PMESH_A_MESH_KEY_SWITCH, PMESH_KEY_SWITCH_MAX + 1);
	EXPECT_NE(0, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_KEY_SWITCH, self->err.bad_attr);
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u32(msg, PMESH_A_MESH_KEY_SWITCH, 0);
	EXPECT_NE(0, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_KEY_SWITCH, self->err.bad_attr);

	/* The key and the time of its change, in one request. */
	msg = key_msg(&self->nl, PMESH_CMD_MESH_SET, 1, b, sizeof(b));
	nla_put_u32(msg, PMESH_A_MESH_KEY_SWITCH, 7);
	ASSERT_EQ(0, RUN(msg));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 1, &m));
	EXPECT_EQ(7, m.key_switch);
	EXPECT_EQ(KEY_A_FP, m.key_fp);
	EXPECT_EQ(KEY_B_FP, m.key_next_fp);
	/* The key being switched to, again: nothing changes. */
	ASSERT_EQ(0, RUN(key_msg(&self->nl, PMESH_CMD_MESH_SET, 1, b,
				 sizeof(b))));
	/* Back to the old one, while the change is on: refused. */
	EXPECT_EQ(-EBUSY, RUN(key_msg(&self->nl, PMESH_CMD_MESH_SET, 1, a,
				      sizeof(a))));
	EXPECT_STREQ("a change of key is under way: the mesh still opens its old key",
		     self->err.msg);
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 1, &m));
	EXPECT_EQ(KEY_A_FP, m.key_fp);
	EXPECT_EQ(KEY_B_FP, m.key_next_fp);

	/* The origin-timeout floor, on a keyed mesh only. */
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u32(msg, PMESH_A_MESH_ORIGIN_TIMEOUT, 9);
	EXPECT_EQ(-EINVAL, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_ORIGIN_TIMEOUT, self->err.bad_attr);
	EXPECT_STREQ("a keyed mesh needs an origin-timeout of 10 s or more",
		     self->err.msg);
	msg = key_msg(&self->nl, PMESH_CMD_MESH_NEW, 2, a, sizeof(a));
	nla_put_u16(msg, PMESH_A_MESH_PORT, 7790);
	nla_put_u32(msg, PMESH_A_MESH_ORIGIN_TIMEOUT, 9);
	EXPECT_EQ(-EINVAL, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_ORIGIN_TIMEOUT, self->err.bad_attr);
	ASSERT_EQ(0, RUN(key_msg(&self->nl, PMESH_CMD_MESH_SET, 1, NULL, 0)));
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u32(msg, PMESH_A_MESH_ORIGIN_TIMEOUT, 9);
	EXPECT_EQ(0, RUN(msg));
	EXPECT_EQ(1, dump_count(&self->nl));
}

/* Whether @len bytes of @key appear anywhere in the message @nlh. */
static int has_key_cb(struct nlmsghdr *nlh, void *arg)
{
	const __u8 *key = arg;
	const __u8 *p = (const __u8 *)nlh;

	for (__u32 i = 0; i + 8 <= nlh->nlmsg_len; i++)
		if (!memcmp(p + i, key, 8))
			return -EEXIST;
	return 0;
}

TEST_F(nl, key_never_in_a_reply)
{
	__u8 a[PMESH_KEY_LEN_TEST];
	struct nl_msg *msg;

	test_key(a, 0x40);
	ASSERT_EQ(0, RUN(key_msg(&self->nl, PMESH_CMD_MESH_NEW, 1, a, sizeof(a))));
	/* Any 8 bytes of the key, in a get and in a dump. */
	for (int off = 0; off + 8 <= PMESH_KEY_LEN_TEST; off += 8) {
		msg = msg_new(&self->nl, PMESH_CMD_MESH_GET);
		nla_put_u32(msg, PMESH_A_MESH_ID, 1);
		EXPECT_EQ(0, pmnl_run(&self->nl, msg, has_key_cb, a + off,
				      &self->err)) TH_LOG("offset %d", off);
		msg = pmnl_msg(&self->nl, PMESH_CMD_MESH_GET, NLM_F_DUMP);
		EXPECT_EQ(0, pmnl_run(&self->nl, msg, has_key_cb, a + off,
				      &self->err)) TH_LOG("offset %d", off);
	}
}

TEST_F(nl, key_refusals)
{
	__u8 a[PMESH_KEY_LEN_TEST + 1];
	struct pmesh_mesh_info m;
	struct nl_msg *msg;

	test_key(a, 0);
	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 0));
	/* 31 and 33 bytes: the policy's exact length. */
	EXPECT_EQ(-ERANGE, RUN(key_msg(&self->nl, PMESH_CMD_MESH_NEW, 2, a,
				       PMESH_KEY_LEN_TEST - 1)));
	EXPECT_EQ(PMESH_A_MESH_KEY, self->err.bad_attr);
	EXPECT_EQ(-ERANGE, RUN(key_msg(&self->nl, PMESH_CMD_MESH_SET, 1, a,
				       PMESH_KEY_LEN_TEST + 1)));
	EXPECT_EQ(PMESH_A_MESH_KEY, self->err.bad_attr);
	/* A key and its removal at once. */
	msg = key_msg(&self->nl, PMESH_CMD_MESH_SET, 1, a, PMESH_KEY_LEN_TEST);
	nla_put_flag(msg, PMESH_A_MESH_KEY_CLEAR);
	EXPECT_EQ(-EINVAL, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_KEY_CLEAR, self->err.bad_attr);
	EXPECT_STREQ("key and key-clear together", self->err.msg);
	/* A new mesh has no key to clear. */
	EXPECT_EQ(-EINVAL, RUN(key_msg(&self->nl, PMESH_CMD_MESH_NEW, 3, NULL, 0)));
	EXPECT_EQ(PMESH_A_MESH_KEY_CLEAR, self->err.bad_attr);
	/* Nothing changed; mesh 2 and 3 were never made. */
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 1, &m));
	EXPECT_EQ(0, m.key_fp);
	EXPECT_EQ(1, dump_count(&self->nl));

	/* Without CAP_NET_ADMIN: refused. */
	ASSERT_EQ(0, setresuid(65534, 65534, 65534));
	EXPECT_EQ(-EPERM, RUN(key_msg(&self->nl, PMESH_CMD_MESH_SET, 1, a,
				      PMESH_KEY_LEN_TEST)));
	EXPECT_EQ(-EPERM, RUN(key_msg(&self->nl, PMESH_CMD_MESH_SET, 1, NULL, 0)));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 1, &m));
	EXPECT_EQ(0, m.key_fp);
}

/* Enough meshes that the dump needs several messages to carry them. */
TEST_F(nl, dump_many)
{
	for (int i = 1; i <= 300; i++)
		ASSERT_EQ(0, pmesh_mesh_add(&self->nl, i, 10000 + i));
	EXPECT_EQ(300, dump_count(&self->nl));
}

TEST_F(nl, dump_empty)
{
	EXPECT_EQ(0, dump_count(&self->nl));
}

TEST_F(nl, mesh_limit)
{
	struct nl_msg *msg;
	int i;

	for (i = 1; i <= 1024; i++)
		ASSERT_EQ(0, pmesh_mesh_add(&self->nl, i, 10000 + i));
	msg = msg_new(&self->nl, PMESH_CMD_MESH_NEW);
	nla_put_u32(msg, PMESH_A_MESH_ID, i);
	nla_put_u16(msg, PMESH_A_MESH_PORT, 10000 + i);
	EXPECT_EQ(-ENOSPC, RUN(msg));
	EXPECT_STREQ("too many meshes in this namespace (limit 1024)",
		     self->err.msg);
	/* Deleting one makes room again. */
	ASSERT_EQ(0, pmesh_mesh_del(&self->nl, 1));
	EXPECT_EQ(0, pmesh_mesh_add(&self->nl, i, 10000 + i));
}

TEST_F(nl, same_id_in_two_namespaces)
{
	struct pmesh_mesh_info a, b;
	struct pmnl other;

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 0));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 1, &a));
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, pmnl_open(&other));
	EXPECT_EQ(0, dump_count(&other));
	/* Same id, same port: no clash across namespaces. */
	ASSERT_EQ(0, pmesh_mesh_add(&other, 1, 0));
	ASSERT_EQ(0, pmesh_mesh_get(&other, 1, &b));
	EXPECT_NE(a.node_id, b.node_id);
	ASSERT_EQ(0, pmesh_mesh_del(&other, 1));
	pmnl_close(&other);
	/* The first namespace's mesh is untouched. */
	EXPECT_EQ(0, pmesh_mesh_get(&self->nl, 1, &a));
}

TEST_F(nl, changes_need_cap_net_admin)
{
	struct pmesh_mesh_info m;
	struct nl_msg *msg;

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 0));
	ASSERT_EQ(0, setresuid(65534, 65534, 65534));

	EXPECT_EQ(-EPERM, pmesh_mesh_add(&self->nl, 2, 0));
	EXPECT_EQ(-EPERM, pmesh_mesh_del(&self->nl, 1));
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u8(msg, PMESH_A_MESH_HOPLIMIT, 2);
	EXPECT_EQ(-EPERM, RUN(msg));
	/* Reads need nothing. */
	EXPECT_EQ(0, pmesh_mesh_get(&self->nl, 1, &m));
	EXPECT_EQ(PMESH_DEFAULT_HOPLIMIT, m.hoplimit);
	EXPECT_EQ(1, dump_count(&self->nl));
}

TEST(cap_net_admin_of_the_namespace_owner_suffices)
{
	struct pmnl nl;

	/* An unprivileged user, in a user namespace of its own... */
	ASSERT_EQ(0, setresuid(65534, 65534, 65534));
	ASSERT_EQ(0, unshare(CLONE_NEWUSER | CLONE_NEWNET));
	ASSERT_EQ(0, pmnl_open(&nl));
	/* ...configures the network namespace that namespace owns. */
	EXPECT_EQ(0, pmesh_mesh_add(&nl, 1, 0));
	EXPECT_EQ(0, pmesh_mesh_del(&nl, 1));
	pmnl_close(&nl);
}

struct mesh_event {
	__u8 cmd;
	__u32 id;
};

static int take_mesh_event(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[PMESH_A_MESH_MAX + 1];
	struct mesh_event *e = arg;

	e->cmd = pmnl_cmd(nlh);
	if (pmnl_parse(nlh, tb, PMESH_A_MESH_MAX) || !tb[PMESH_A_MESH_ID])
		return -EBADMSG;
	e->id = nla_get_u32(tb[PMESH_A_MESH_ID]);
	return 1;
}

/* The next event within two seconds: 0, -ETIMEDOUT or another -errno. */
static int recv_event(struct pmnl *ev, __u8 *cmd, __u32 *id)
{
	struct mesh_event e;
	int ret = pmnl_events_process(ev, take_mesh_event, &e);

	if (!ret && pmnl_events_wait(ev, 2000) > 0)
		ret = pmnl_events_process(ev, take_mesh_event, &e);
	if (ret != 1)
		return ret ? ret : -ETIMEDOUT;
	*cmd = e.cmd;
	*id = e.id;
	return 0;
}

TEST_F(nl, events)
{
	struct nl_msg *msg;
	struct pmnl ev;
	__u32 id;
	__u8 cmd;

	ASSERT_EQ(0, pmnl_events_open(&ev));

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 11, 0));
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 11);
	nla_put_u8(msg, PMESH_A_MESH_HOPLIMIT, 4);
	ASSERT_EQ(0, RUN(msg));
	/* A refused change says nothing on the group. */
	EXPECT_EQ(-EEXIST, pmesh_mesh_add(&self->nl, 11, 0));
	ASSERT_EQ(0, pmesh_mesh_del(&self->nl, 11));

	ASSERT_EQ(0, recv_event(&ev, &cmd, &id));
	EXPECT_EQ(PMESH_CMD_MESH_ADD_NTF, cmd);
	EXPECT_EQ(11, id);
	ASSERT_EQ(0, recv_event(&ev, &cmd, &id));
	EXPECT_EQ(PMESH_CMD_MESH_CHANGE_NTF, cmd);
	EXPECT_EQ(11, id);
	ASSERT_EQ(0, recv_event(&ev, &cmd, &id));
	EXPECT_EQ(PMESH_CMD_MESH_DEL_NTF, cmd);
	EXPECT_EQ(11, id);
	pmnl_close(&ev);
}

static int peer_op(struct pmnl *nl, __u8 cmd, __u32 mesh, const void *addr,
		   int alen, __u16 port, struct pmnl_err *err)
{
	struct nl_msg *msg = pmnl_msg(nl, cmd, 0);

	if (mesh)
		nla_put_u32(msg, PMESH_A_NEIGH_MESH_ID, mesh);
	if (addr)
		nla_put(msg, PMESH_A_NEIGH_ADDR, alen, addr);
	if (port)
		nla_put_u16(msg, PMESH_A_NEIGH_PORT, port);
	return pmnl_run(nl, msg, NULL, NULL, err);
}

static int neigh_count_cb(struct nlmsghdr *nlh, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int neigh_count(struct pmnl *nl, __u32 mesh)
{
	struct nl_msg *msg = pmnl_msg(nl, PMESH_CMD_NEIGH_GET, NLM_F_DUMP);
	struct pmnl_err err;
	int n = 0, ret;

	if (mesh)
		nla_put_u32(msg, PMESH_A_NEIGH_MESH_ID, mesh);
	ret = pmnl_run(nl, msg, neigh_count_cb, &n, &err);
	return ret ? ret : n;
}

TEST_F(nl, peers)
{
	unsigned char v4[4] = { 10, 1, 2, 3 };
	unsigned char v6[16] = { 0xfd, 0, [15] = 1 };

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 0));
	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 2, 7000));
	EXPECT_EQ(0, peer_op(&self->nl, PMESH_CMD_PEER_NEW, 1, v4, 4, 7788, &self->err));
	EXPECT_EQ(0, peer_op(&self->nl, PMESH_CMD_PEER_NEW, 1, v6, 16, 7788, &self->err));
	/* Same address, another port: another peer. */
	EXPECT_EQ(0, peer_op(&self->nl, PMESH_CMD_PEER_NEW, 1, v4, 4, 7789, &self->err));
	EXPECT_EQ(0, peer_op(&self->nl, PMESH_CMD_PEER_NEW, 2, v4, 4, 7788, &self->err));
	EXPECT_EQ(3, neigh_count(&self->nl, 1));
	EXPECT_EQ(1, neigh_count(&self->nl, 2));
	EXPECT_EQ(4, neigh_count(&self->nl, 0));

	EXPECT_EQ(-EEXIST, peer_op(&self->nl, PMESH_CMD_PEER_NEW, 1, v4, 4, 7788, &self->err));
	EXPECT_STREQ("peer already exists", self->err.msg);
	EXPECT_EQ(0, peer_op(&self->nl, PMESH_CMD_PEER_DEL, 1, v4, 4, 7788, &self->err));
	EXPECT_EQ(-ENOENT, peer_op(&self->nl, PMESH_CMD_PEER_DEL, 1, v4, 4, 7788, &self->err));
	EXPECT_STREQ("no such peer", self->err.msg);
	EXPECT_EQ(2, neigh_count(&self->nl, 1));
	/* Deleting the mesh takes its peers along. */
	ASSERT_EQ(0, pmesh_mesh_del(&self->nl, 1));
	EXPECT_EQ(1, neigh_count(&self->nl, 0));
}

TEST_F(nl, peer_refusals)
{
	unsigned char zero[4] = {}, mcast[4] = { 224, 0, 0, 1 };
	unsigned char bcast[4] = { 255, 255, 255, 255 }, odd[6] = { 10 };
	unsigned char ll[16] = { 0xfe, 0x80, [15] = 1 }, any6[16] = {};
	unsigned char ok4[4] = { 10, 0, 0, 1 };
	struct {
		const void *addr;
		int len;
		const char *msg;
	} bad[] = {
		{ zero, 4, "not a unicast IPv4 address" },
		{ mcast, 4, "not a unicast IPv4 address" },
		{ bcast, 4, "not a unicast IPv4 address" },
		{ any6, 16, "not a unicast IPv6 address" },
		{ ll, 16, "link-local peers are not supported" },
		{ odd, 6, "address must be 4 (IPv4) or 16 (IPv6) bytes" },
	};

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 0));
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, peer_op(&self->nl, PMESH_CMD_PEER_NEW, 1,
					   bad[i].addr, bad[i].len, 7788,
					   &self->err)) TH_LOG("case %u", i);
		EXPECT_STREQ(bad[i].msg, self->err.msg);
		EXPECT_EQ(PMESH_A_NEIGH_ADDR, self->err.bad_attr);
	}
	EXPECT_EQ(-EINVAL, peer_op(&self->nl, PMESH_CMD_PEER_NEW, 1, ok4, 4, 0,
				   &self->err));
	EXPECT_EQ(PMESH_A_NEIGH_PORT, self->err.miss_attr);
	EXPECT_EQ(-EINVAL, peer_op(&self->nl, PMESH_CMD_PEER_NEW, 1, NULL, 0, 7788,
				   &self->err));
	EXPECT_EQ(PMESH_A_NEIGH_ADDR, self->err.miss_attr);
	EXPECT_EQ(-ENONET, peer_op(&self->nl, PMESH_CMD_PEER_NEW, 5, ok4, 4, 7788,
				   &self->err));
	EXPECT_STREQ("mesh 5 does not exist", self->err.msg);
	EXPECT_EQ(0, neigh_count(&self->nl, 0));
}

/* Peer @i of the 256 the tests below add: 10.0.(i / 250).(1 + i % 250). */
static void peer_addr(int i, unsigned char a[4])
{
	a[0] = 10;
	a[1] = 0;
	a[2] = i / 250;
	a[3] = 1 + i % 250;
}

TEST_F(nl, peer_limit)
{
	unsigned char a[4] = { 10, 0, 0, 0 };
	int i;

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 0));
	for (i = 0; i < 256; i++) {
		peer_addr(i, a);
		ASSERT_EQ(0, peer_op(&self->nl, PMESH_CMD_PEER_NEW, 1, a, 4, 7788,
				     &self->err));
	}
	a[2] = 9;
	EXPECT_EQ(-ENOSPC, peer_op(&self->nl, PMESH_CMD_PEER_NEW, 1, a, 4, 7788,
				   &self->err));
	EXPECT_STREQ("too many peers in mesh 1 (limit 256)", self->err.msg);
	/* The dump of 256 takes several messages and loses none. */
	EXPECT_EQ(256, neigh_count(&self->nl, 1));
}

/*
 * A dump goes on from the last entry it sent, not from a position: peers
 * deleted while it runs make it skip none of the others, nor repeat one.
 */
struct resume {
	struct pmnl *nl;	/* another socket than the dump's, to delete with */
	int seen[256];
	int deleted;
};

static int resume_cb(struct nlmsghdr *nlh, void *arg)
{
	unsigned char a[4] = { 10, 0, 0, 0 };
	struct nlattr *tb[PMESH_A_NEIGH_MAX + 1];
	struct resume *r = arg;
	struct pmnl_err err;
	unsigned char *p;
	int i;

	if (pmnl_parse(nlh, tb, PMESH_A_NEIGH_MAX) || !tb[PMESH_A_NEIGH_ADDR] ||
	    nla_len(tb[PMESH_A_NEIGH_ADDR]) != 4)
		return -EBADMSG;
	p = nla_data(tb[PMESH_A_NEIGH_ADDR]);
	i = p[2] * 250 + p[3] - 1;
	if (i < 0 || i >= 256)
		return -EBADMSG;
	r->seen[i]++;
	if (r->deleted)
		return 0;
	/* After the first entry: the first 100 go, sent already or not. */
	for (r->deleted = 0; r->deleted < 100; r->deleted++) {
		peer_addr(r->deleted, a);
		if (peer_op(r->nl, PMESH_CMD_PEER_DEL, 1, a, 4, 7788, &err))
			return -EIO;
	}
	return 0;
}

TEST_F(nl, dump_resumes_after_deletions)
{
	unsigned char a[4] = { 10, 0, 0, 0 };
	struct resume r = { 0 };
	struct nl_msg *msg;
	struct pmnl small;
	int i;

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 0));
	for (i = 0; i < 256; i++) {
		peer_addr(i, a);
		ASSERT_EQ(0, peer_op(&self->nl, PMESH_CMD_PEER_NEW, 1, a, 4, 7788,
				     &self->err));
	}
	/*
	 * The dump on a socket of its own that reads 4 KiB at a time: the
	 * kernel fills each batch to what the reader takes (about 30 peers)
	 * and makes the next as the last is read, so the deletions, made
	 * while the first batch is read, fall in the part already sent when
	 * the third is made.
	 */
	small.family = self->nl.family;
	small.sk = nl_socket_alloc();
	ASSERT_NE(NULL, small.sk);
	ASSERT_EQ(0, genl_connect(small.sk));
	nl_socket_disable_msg_peek(small.sk);
	ASSERT_EQ(0, nl_socket_set_msg_buf_size(small.sk, 4096));
	r.nl = &self->nl;
	msg = pmnl_msg(&small, PMESH_CMD_NEIGH_GET, NLM_F_DUMP);
	nla_put_u32(msg, PMESH_A_NEIGH_MESH_ID, 1);
	EXPECT_EQ(0, pmnl_run(&small, msg, resume_cb, &r, &self->err));
	nl_socket_free(small.sk);
	EXPECT_EQ(100, r.deleted);
	for (i = 0; i < 256; i++) {
		/* A deleted peer may have been sent before it went. */
		if (i < 100) {
			EXPECT_GE(1, r.seen[i]) TH_LOG("peer %d", i);
		} else {
			EXPECT_EQ(1, r.seen[i]) TH_LOG("peer %d", i);
		}
	}
	EXPECT_EQ(156, neigh_count(&self->nl, 1));
}

TEST_F(nl, peer_changes_need_cap_net_admin)
{
	unsigned char a[4] = { 10, 0, 0, 1 };

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 0));
	ASSERT_EQ(0, peer_op(&self->nl, PMESH_CMD_PEER_NEW, 1, a, 4, 7788, &self->err));
	ASSERT_EQ(0, setresuid(65534, 65534, 65534));
	EXPECT_EQ(-EPERM, peer_op(&self->nl, PMESH_CMD_PEER_DEL, 1, a, 4, 7788,
				  &self->err));
	a[3] = 2;
	EXPECT_EQ(-EPERM, peer_op(&self->nl, PMESH_CMD_PEER_NEW, 1, a, 4, 7788,
				  &self->err));
	EXPECT_EQ(1, neigh_count(&self->nl, 1));
}

TEST_F(nl, mesh_origin_settings)
{
	struct nl_msg *msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	struct pmesh_mesh_info m;

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 0));
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u32(msg, PMESH_A_MESH_MAX_ORIGINS, 100);
	nla_put_u32(msg, PMESH_A_MESH_ORIGIN_TIMEOUT, 5);
	ASSERT_EQ(0, RUN(msg));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 1, &m));
	EXPECT_EQ(100, m.max_origins);
	EXPECT_EQ(5, m.origin_timeout);

	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u32(msg, PMESH_A_MESH_MAX_ORIGINS, 15);
	EXPECT_EQ(-ERANGE, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_MAX_ORIGINS, self->err.bad_attr);
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u32(msg, PMESH_A_MESH_ORIGIN_TIMEOUT, PMESH_ORIGIN_TIMEOUT_CEILING + 1);
	EXPECT_EQ(-ERANGE, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_ORIGIN_TIMEOUT, self->err.bad_attr);
}

TEST_F(nl, liveness_intervals)
{
	struct pmesh_mesh_info m;
	struct nl_msg *msg;

	msg = msg_new(&self->nl, PMESH_CMD_MESH_NEW);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u32(msg, PMESH_A_MESH_HELLO_INTERVAL, 3000);
	EXPECT_EQ(-EINVAL, RUN(msg));
	EXPECT_STREQ("dead-interval must be longer than hello-interval", self->err.msg);
	EXPECT_EQ(PMESH_A_MESH_HELLO_INTERVAL, self->err.bad_attr);
	EXPECT_EQ(0, dump_count(&self->nl));

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 0));
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u32(msg, PMESH_A_MESH_DEAD_INTERVAL, 500);
	EXPECT_EQ(-EINVAL, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_DEAD_INTERVAL, self->err.bad_attr);
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u32(msg, PMESH_A_MESH_HELLO_INTERVAL, 99);
	EXPECT_EQ(-ERANGE, RUN(msg));
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u32(msg, PMESH_A_MESH_HELLO_INTERVAL, 200);
	nla_put_u32(msg, PMESH_A_MESH_DEAD_INTERVAL, 500);
	ASSERT_EQ(0, RUN(msg));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 1, &m));
	EXPECT_EQ(200, m.hello_ms);
	EXPECT_EQ(500, m.dead_ms);
}

/* The overlay's settings: defaults, changes, and what is refused. */
TEST_F(nl, overlay_settings)
{
	struct pmesh_mesh_info m;
	struct nl_msg *msg;

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 0));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 1, &m));
	EXPECT_EQ(PMESH_DEFAULT_MIN_NEIGH, m.min_neigh);
	EXPECT_EQ(PMESH_DEFAULT_MAX_NEIGH, m.max_neigh);
	EXPECT_EQ(0, m.open);

	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u8(msg, PMESH_A_MESH_MIN_NEIGH, 2);
	nla_put_u8(msg, PMESH_A_MESH_MAX_NEIGH, 3);
	nla_put_u8(msg, PMESH_A_MESH_OPEN, 1);
	ASSERT_EQ(0, RUN(msg));

	/* min-neigh must stay under max-neigh, whichever of the two moves. */
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u8(msg, PMESH_A_MESH_MIN_NEIGH, 3);
	EXPECT_EQ(-EINVAL, RUN(msg));
	EXPECT_STREQ("min-neigh must be less than max-neigh", self->err.msg);
	EXPECT_EQ(PMESH_A_MESH_MIN_NEIGH, self->err.bad_attr);
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u8(msg, PMESH_A_MESH_MAX_NEIGH, 2);
	EXPECT_EQ(-EINVAL, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_MAX_NEIGH, self->err.bad_attr);
	/* The policy's bounds: max-neigh 1 .. the ceiling, open 0 or 1. */
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u8(msg, PMESH_A_MESH_MAX_NEIGH, PMESH_MAX_NEIGH_CEILING + 1);
	EXPECT_EQ(-ERANGE, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_MAX_NEIGH, self->err.bad_attr);
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u8(msg, PMESH_A_MESH_MAX_NEIGH, 0);
	EXPECT_EQ(-ERANGE, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_MAX_NEIGH, self->err.bad_attr);
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u8(msg, PMESH_A_MESH_OPEN, 2);
	EXPECT_EQ(-ERANGE, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_OPEN, self->err.bad_attr);
	/* A new mesh is checked the same way, and not made. */
	msg = msg_new(&self->nl, PMESH_CMD_MESH_NEW);
	nla_put_u32(msg, PMESH_A_MESH_ID, 2);
	nla_put_u16(msg, PMESH_A_MESH_PORT, 9002);
	nla_put_u8(msg, PMESH_A_MESH_MIN_NEIGH, PMESH_DEFAULT_MAX_NEIGH);
	EXPECT_EQ(-EINVAL, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_MIN_NEIGH, self->err.bad_attr);
	EXPECT_EQ(1, dump_count(&self->nl));

	/* Nothing refused changed anything. */
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 1, &m));
	EXPECT_EQ(2, m.min_neigh);
	EXPECT_EQ(3, m.max_neigh);
	EXPECT_EQ(1, m.open);
}

/*
 * How datagrams spread: flood by default, tree when asked, back to flood;
 * a value the enum does not have is refused by the policy, pointing at
 * the attribute, and changes nothing.
 */
TEST_F(nl, broadcast_setting)
{
	struct pmesh_mesh_info m;
	struct nl_msg *msg;

	ASSERT_EQ(0, pmesh_mesh_add(&self->nl, 1, 0));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 1, &m));
	EXPECT_EQ(PMESH_BROADCAST_FLOOD, m.broadcast);

	msg = msg_new(&self->nl, PMESH_CMD_MESH_NEW);
	nla_put_u32(msg, PMESH_A_MESH_ID, 2);
	nla_put_u16(msg, PMESH_A_MESH_PORT, 9002);
	nla_put_u8(msg, PMESH_A_MESH_BROADCAST, PMESH_BROADCAST_TREE);
	ASSERT_EQ(0, RUN(msg));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 2, &m));
	EXPECT_EQ(PMESH_BROADCAST_TREE, m.broadcast);
	/* The other mesh keeps its own. */
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 1, &m));
	EXPECT_EQ(PMESH_BROADCAST_FLOOD, m.broadcast);

	/* Alone, it is a setting to change. */
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 2);
	nla_put_u8(msg, PMESH_A_MESH_BROADCAST, PMESH_BROADCAST_FLOOD);
	ASSERT_EQ(0, RUN(msg));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 2, &m));
	EXPECT_EQ(PMESH_BROADCAST_FLOOD, m.broadcast);
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 2);
	nla_put_u8(msg, PMESH_A_MESH_BROADCAST, PMESH_BROADCAST_TREE);
	ASSERT_EQ(0, RUN(msg));

	/* The policy's bound is the enum's last entry. */
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 2);
	nla_put_u8(msg, PMESH_A_MESH_BROADCAST, 2);
	EXPECT_EQ(-ERANGE, RUN(msg));
	EXPECT_STREQ("integer out of range", self->err.msg);
	EXPECT_EQ(PMESH_A_MESH_BROADCAST, self->err.bad_attr);
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 2);
	nla_put_u8(msg, PMESH_A_MESH_BROADCAST, 255);
	EXPECT_EQ(-ERANGE, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_BROADCAST, self->err.bad_attr);
	/* A new mesh is checked the same way, and not made. */
	msg = msg_new(&self->nl, PMESH_CMD_MESH_NEW);
	nla_put_u32(msg, PMESH_A_MESH_ID, 3);
	nla_put_u16(msg, PMESH_A_MESH_PORT, 9003);
	nla_put_u8(msg, PMESH_A_MESH_BROADCAST, 2);
	EXPECT_EQ(-ERANGE, RUN(msg));
	EXPECT_EQ(PMESH_A_MESH_BROADCAST, self->err.bad_attr);
	EXPECT_EQ(2, dump_count(&self->nl));

	/* Nothing refused changed it, nor does another setting. */
	msg = msg_new(&self->nl, PMESH_CMD_MESH_SET);
	nla_put_u32(msg, PMESH_A_MESH_ID, 2);
	nla_put_u8(msg, PMESH_A_MESH_HOPLIMIT, 5);
	ASSERT_EQ(0, RUN(msg));
	ASSERT_EQ(0, pmesh_mesh_get(&self->nl, 2, &m));
	EXPECT_EQ(PMESH_BROADCAST_TREE, m.broadcast);
	EXPECT_EQ(5, m.hoplimit);
}

TEST_F(nl, udp_port_taken)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(7790) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct nl_msg *msg;

	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&a, sizeof(a)));
	msg = msg_new(&self->nl, PMESH_CMD_MESH_NEW);
	nla_put_u32(msg, PMESH_A_MESH_ID, 1);
	nla_put_u16(msg, PMESH_A_MESH_PORT, 7790);
	EXPECT_EQ(-EADDRINUSE, RUN(msg));
	EXPECT_STREQ("cannot open UDP port 7790", self->err.msg);
	EXPECT_EQ(0, dump_count(&self->nl));
	close(fd);
	EXPECT_EQ(0, pmesh_mesh_add(&self->nl, 1, 7790));
}

TEST_HARNESS_MAIN
