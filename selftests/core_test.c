// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the pure core (kmod/core/): the frame codec, the sealed
 * header's pieces, the duplicate window, the peer-exchange codec and the
 * overlay's decisions, built from the module's own sources into a userspace
 * program that runs on the host in milliseconds.
 */
#include <stdlib.h>

#include "kselftest_harness.h"
#include "auth.h"
#include "beacon.h"
#include "frame.h"
#include "overlay.h"
#include "px.h"
#include "tree.h"
#include "window.h"
#include "window_model.h"

static struct pmesh_frame sample(void)
{
	struct pmesh_frame f = {
		.type = PMESH_TYPE_DATA,
		.ttl = 16,
		.hops = 1,
		.channel = 0xbeef,
		.mesh = 0x01020304,
		.len = 5,
		.origin = 0x1122334455667788ULL,
		.epoch = 0xa1b2c3d4,
		.seq = 0x0102030405060708ULL,
		.sender = 0x99aabbccddeeff00ULL,
	};

	return f;
}

/* A whole frame: header and a 5-byte payload. */
static size_t build(u8 *buf, const struct pmesh_frame *f)
{
	pmesh_frame_build(buf, f);
	memcpy(buf + PMESH_HDR_LEN, "hello", 5);
	return PMESH_HDR_LEN + f->len;
}

TEST(frame_round_trip)
{
	struct pmesh_frame f = sample(), g;
	u8 buf[128];
	size_t n = build(buf, &f);

	ASSERT_EQ(PMESH_FRAME_OK, pmesh_frame_parse(buf, n, &g));
	EXPECT_EQ(PMESH_VERSION, g.version);
	EXPECT_EQ(PMESH_HDR_LEN, g.hdr_len);
	EXPECT_EQ(f.ttl, g.ttl);
	EXPECT_EQ(f.hops, g.hops);
	EXPECT_EQ(f.channel, g.channel);
	EXPECT_EQ(f.mesh, g.mesh);
	EXPECT_EQ(f.len, g.len);
	EXPECT_EQ(f.origin, g.origin);
	EXPECT_EQ(f.epoch, g.epoch);
	EXPECT_EQ(f.seq, g.seq);
	EXPECT_EQ(f.sender, g.sender);
}

TEST(frame_bytes_are_big_endian)
{
	struct pmesh_frame f = sample();
	u8 buf[128];

	build(buf, &f);
	EXPECT_EQ(1, buf[0]);
	EXPECT_EQ(12, buf[3]);
	EXPECT_EQ(0xbe, buf[6]);
	EXPECT_EQ(0xef, buf[7]);
	EXPECT_EQ(0x01, buf[8]);
	EXPECT_EQ(0x04, buf[11]);
	EXPECT_EQ(0x11, buf[16]);
	EXPECT_EQ(0x88, buf[23]);
	EXPECT_EQ(0xa1, buf[24]);
	EXPECT_EQ(0x08, buf[39]);
	EXPECT_EQ(0x99, buf[40]);
}

TEST(frame_refusals)
{
	struct pmesh_frame f = sample(), g;
	u8 buf[128];
	size_t n;

	n = build(buf, &f);
	EXPECT_EQ(PMESH_FRAME_SHORT, pmesh_frame_parse(buf, PMESH_HDR_LEN - 1, &g));
	EXPECT_EQ(PMESH_FRAME_SHORT, pmesh_frame_parse(buf, 0, &g));
	/* Payload length one more, and one less, than the packet holds. */
	EXPECT_EQ(PMESH_FRAME_LENGTH, pmesh_frame_parse(buf, n - 1, &g));
	EXPECT_EQ(PMESH_FRAME_LENGTH, pmesh_frame_parse(buf, n + 1, &g));

	build(buf, &f);
	buf[0] = 2;
	EXPECT_EQ(PMESH_FRAME_VERSION, pmesh_frame_parse(buf, n, &g));
	build(buf, &f);
	buf[1] = 7;
	EXPECT_EQ(PMESH_FRAME_TYPE, pmesh_frame_parse(buf, n, &g));
	buf[1] = PMESH_TYPE_HELLO;
	EXPECT_EQ(PMESH_FRAME_OK, pmesh_frame_parse(buf, n, &g));
	buf[1] = PMESH_TYPE_ANNOUNCE;
	EXPECT_EQ(PMESH_FRAME_OK, pmesh_frame_parse(buf, n, &g));
	buf[1] = PMESH_TYPE_PEERS;
	EXPECT_EQ(PMESH_FRAME_OK, pmesh_frame_parse(buf, n, &g));
	buf[1] = PMESH_TYPE_TREE;
	EXPECT_EQ(PMESH_FRAME_OK, pmesh_frame_parse(buf, n, &g));
	buf[1] = PMESH_TYPES;
	EXPECT_EQ(PMESH_FRAME_TYPE, pmesh_frame_parse(buf, n, &g));
	build(buf, &f);
	buf[2] = PMESH_FLAG_AUTH;	/* sealed: the receiver decides */
	EXPECT_EQ(PMESH_FRAME_OK, pmesh_frame_parse(buf, n, &g));
	EXPECT_EQ(PMESH_FLAG_AUTH, g.flags);
	for (int i = 1; i < 8; i++) {
		buf[2] = 1 << i;
		EXPECT_EQ(PMESH_FRAME_FLAGS, pmesh_frame_parse(buf, n, &g));
	}
	build(buf, &f);
	buf[3] = 11;
	EXPECT_EQ(PMESH_FRAME_HDR_LEN, pmesh_frame_parse(buf, n, &g));
	buf[3] = 100;
	EXPECT_EQ(PMESH_FRAME_HDR_LEN, pmesh_frame_parse(buf, n, &g));
}

TEST(frame_hop_refusals)
{
	struct pmesh_frame f = sample(), g;
	u8 buf[128];
	size_t n;

	f.ttl = 0;
	n = build(buf, &f);
	EXPECT_EQ(PMESH_FRAME_HOPS, pmesh_frame_parse(buf, n, &g));
	f.ttl = 1;
	f.hops = 0;
	build(buf, &f);
	EXPECT_EQ(PMESH_FRAME_HOPS, pmesh_frame_parse(buf, n, &g));
	f.ttl = 200;
	f.hops = 57;
	build(buf, &f);
	EXPECT_EQ(PMESH_FRAME_HOPS, pmesh_frame_parse(buf, n, &g));
	f.hops = 56;
	build(buf, &f);
	EXPECT_EQ(PMESH_FRAME_OK, pmesh_frame_parse(buf, n, &g));
	f.origin = 0;
	build(buf, &f);
	EXPECT_EQ(PMESH_FRAME_NODE, pmesh_frame_parse(buf, n, &g));
}

/* A longer header from a later minor layout is skipped, not refused. */
TEST(frame_longer_header)
{
	struct pmesh_frame f = sample(), g;
	u8 buf[128];

	pmesh_frame_build(buf, &f);
	buf[3] = 14;
	memset(buf + 48, 0xee, 8);
	memcpy(buf + 56, "hello", 5);
	ASSERT_EQ(PMESH_FRAME_OK, pmesh_frame_parse(buf, 61, &g));
	EXPECT_EQ(56, g.hdr_len);
}

TEST(frame_set_hop)
{
	struct pmesh_frame f = sample(), g;
	u8 buf[128];
	size_t n = build(buf, &f);

	pmesh_frame_set_hop(buf, 15, 2, 42);
	ASSERT_EQ(PMESH_FRAME_OK, pmesh_frame_parse(buf, n, &g));
	EXPECT_EQ(15, g.ttl);
	EXPECT_EQ(2, g.hops);
	EXPECT_EQ(42, g.sender);
	EXPECT_EQ(f.seq, g.seq);
}

/* Random bytes never crash the parser, and what it accepts is consistent. */
TEST(frame_random_input)
{
	struct pmesh_frame g;
	u8 buf[256];

	srandom(1);
	for (int i = 0; i < 200000; i++) {
		size_t n = random() % sizeof(buf);

		for (size_t j = 0; j < n; j++)
			buf[j] = random();
		if (i % 2) {		/* often plausible, to get deeper */
			buf[0] = 1;
			buf[1] = 0;
			buf[2] = 0;
			buf[3] = 12;
		}
		if (pmesh_frame_parse(buf, n, &g) == PMESH_FRAME_OK) {
			ASSERT_EQ(n, g.hdr_len + g.len);
			ASSERT_LE(g.ttl + g.hops, 256);
		}
	}
}

TEST(hello_payload)
{
	u32 hello, dead;
	u8 p[PMESH_HELLO_LEN];

	pmesh_hello_build(p, 1000, 3000);
	ASSERT_EQ(PMESH_FRAME_OK, pmesh_hello_parse(p, sizeof(p), &hello, &dead));
	EXPECT_EQ(1000, hello);
	EXPECT_EQ(3000, dead);
	EXPECT_EQ(PMESH_FRAME_HELLO, pmesh_hello_parse(p, sizeof(p) - 1, &hello, &dead));
	pmesh_hello_build(p, 99, 3000);
	EXPECT_EQ(PMESH_FRAME_HELLO, pmesh_hello_parse(p, sizeof(p), &hello, &dead));
	pmesh_hello_build(p, 60001, 70000);
	EXPECT_EQ(PMESH_FRAME_HELLO, pmesh_hello_parse(p, sizeof(p), &hello, &dead));
	pmesh_hello_build(p, 1000, 1000);
	EXPECT_EQ(PMESH_FRAME_HELLO, pmesh_hello_parse(p, sizeof(p), &hello, &dead));
	pmesh_hello_build(p, 1000, 600001);
	EXPECT_EQ(PMESH_FRAME_HELLO, pmesh_hello_parse(p, sizeof(p), &hello, &dead));
	pmesh_hello_build(p, 0xffffffff, 0xffffffff);
	EXPECT_EQ(PMESH_FRAME_HELLO, pmesh_hello_parse(p, sizeof(p), &hello, &dead));
}

/*
 * A station's beacons on a segment of n: every hello interval up to
 * PMESH_BEACONS_PER_HELLO stations, then stretched so that each station
 * hears about that many a hello interval; what they announce is always
 * a hello a receiver takes, and keeps the sender up past the wait.
 */
TEST(beacon_plan_bounds_the_load)
{
	static const unsigned int ns[] = { 0, 1, 16, 17, 40, 200, 960, 2000, 65536 };
	static const u32 hellos[][2] = { { 1000, 3000 }, { 100, 101 },
					 { 60000, 600000 }, { 250, 10000 } };
	struct pmesh_beacon_plan b;
	u32 hello, dead;
	u8 p[PMESH_HELLO_LEN];

	for (unsigned int h = 0; h < sizeof(hellos) / sizeof(hellos[0]); h++) {
		for (unsigned int i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
			u32 ms = hellos[h][0], dm = hellos[h][1];
			unsigned int n = ns[i];

			pmesh_beacon_plan(&b, ms, dm, n, 0);
			pmesh_hello_build(p, b.hello_ms, b.dead_ms);
			ASSERT_EQ(PMESH_FRAME_OK,
				  pmesh_hello_parse(p, sizeof(p), &hello, &dead));
			EXPECT_GE(b.hello_ms, ms);
			EXPECT_EQ(b.hello_ms - b.hello_ms / 4, b.wait_ms);
			pmesh_beacon_plan(&b, ms, dm, n, 0xffffffff);
			EXPECT_LE(b.wait_ms, b.hello_ms);
			EXPECT_GE(b.wait_ms, b.hello_ms - b.hello_ms / 4);
			/* Kept up a dead interval past the longest wait. */
			EXPECT_GT(b.dead_ms, b.hello_ms);
			if (n <= PMESH_BEACONS_PER_HELLO) {
				EXPECT_EQ(ms, b.hello_ms);
				EXPECT_EQ(dm, b.dead_ms);
			} else if (b.hello_ms < PMESH_HELLO_INTERVAL_MAX) {
				/*
				 * n stations, each beaconing every hello_ms:
				 * at most PMESH_BEACONS_PER_HELLO heard in
				 * each of this node's hello intervals.
				 */
				EXPECT_LE((u64)n * ms, (u64)PMESH_BEACONS_PER_HELLO *
						       (b.hello_ms + 1));
				EXPECT_GT((u64)n * ms, (u64)PMESH_BEACONS_PER_HELLO *
						       (b.hello_ms - 1));
				/* The dead interval keeps its multiple. */
				if (b.dead_ms < PMESH_DEAD_INTERVAL_MAX)
					EXPECT_LE((u64)b.dead_ms * ms,
						  (u64)dm * b.hello_ms);
			}
		}
	}
	pmesh_beacon_plan(&b, 1000, 3000, 200, 0);
	EXPECT_EQ(12500, b.hello_ms);
	EXPECT_EQ(37500, b.dead_ms);
}

/* A newcomer on a large segment is answered at once by about 16. */
TEST(beacon_answer_is_bounded)
{
	unsigned int n, answered, r;
	u32 x = 1;

	for (n = 1; n <= PMESH_BEACONS_PER_HELLO; n++)
		EXPECT_TRUE(pmesh_beacon_answer(n, 0xffffffff));
	for (n = 17; n <= 4096; n *= 3) {
		answered = 0;
		for (r = 0; r < n; r++) {
			x = x * 1664525 + 1013904223;
			answered += pmesh_beacon_answer(n, x);
		}
		EXPECT_LE(answered, 3 * PMESH_BEACONS_PER_HELLO) TH_LOG("n %u", n);
		EXPECT_GE(answered, PMESH_BEACONS_PER_HELLO / 3) TH_LOG("n %u", n);
	}
	EXPECT_TRUE(pmesh_beacon_answer(200, 0));
	EXPECT_FALSE(pmesh_beacon_answer(200, 0xffffffff));
}

TEST(announce_payload)
{
	struct pmesh_announce a = {
		.interval_ms = 2000, .timeout_ms = 6000,
		.flags = PMESH_ANNOUNCE_GOODBYE,
	}, b;
	u8 p[PMESH_ANNOUNCE_LEN];

	pmesh_announce_build(p, &a);
	/* Big-endian interval and timeout, then the flags and zeroes. */
	EXPECT_EQ(0, memcmp(p, "\x00\x00\x07\xd0\x00\x00\x17\x70\x01\0\0\0",
			    sizeof(p)));
	ASSERT_EQ(PMESH_FRAME_OK, pmesh_announce_parse(p, sizeof(p), &b));
	EXPECT_EQ(2000, b.interval_ms);
	EXPECT_EQ(6000, b.timeout_ms);
	EXPECT_EQ(PMESH_ANNOUNCE_GOODBYE, b.flags);

	EXPECT_EQ(PMESH_FRAME_ANNOUNCE, pmesh_announce_parse(p, sizeof(p) - 1, &b));
	p[8] = 0x02;	/* a flag nobody defined */
	EXPECT_EQ(PMESH_FRAME_ANNOUNCE, pmesh_announce_parse(p, sizeof(p), &b));
	p[8] = 0;
	p[11] = 1;	/* reserved */
	EXPECT_EQ(PMESH_FRAME_ANNOUNCE, pmesh_announce_parse(p, sizeof(p), &b));

	a.flags = 0;
	a.interval_ms = 99;
	a.timeout_ms = 300;
	pmesh_announce_build(p, &a);
	EXPECT_EQ(PMESH_FRAME_ANNOUNCE, pmesh_announce_parse(p, sizeof(p), &b));
	a.interval_ms = 3600001;
	a.timeout_ms = 3600002;
	pmesh_announce_build(p, &a);
	EXPECT_EQ(PMESH_FRAME_ANNOUNCE, pmesh_announce_parse(p, sizeof(p), &b));
	/* The timeout must exceed the interval and not exceed four of them. */
	a.interval_ms = 1000;
	a.timeout_ms = 1000;
	pmesh_announce_build(p, &a);
	EXPECT_EQ(PMESH_FRAME_ANNOUNCE, pmesh_announce_parse(p, sizeof(p), &b));
	a.timeout_ms = 4001;
	pmesh_announce_build(p, &a);
	EXPECT_EQ(PMESH_FRAME_ANNOUNCE, pmesh_announce_parse(p, sizeof(p), &b));
	a.timeout_ms = 4000;
	pmesh_announce_build(p, &a);
	EXPECT_EQ(PMESH_FRAME_OK, pmesh_announce_parse(p, sizeof(p), &b));
	a.interval_ms = 0xffffffff;
	a.timeout_ms = 0xffffffff;
	pmesh_announce_build(p, &a);
	EXPECT_EQ(PMESH_FRAME_ANNOUNCE, pmesh_announce_parse(p, sizeof(p), &b));
}

TEST(frame_mesh_peek)
{
	struct pmesh_frame f = sample();
	u8 buf[128];

	build(buf, &f);
	EXPECT_EQ(0x01020304, pmesh_frame_mesh(buf));
}

TEST(window_new_then_dup)
{
	struct pmesh_window w;

	pmesh_window_init(&w, 5, 100);
	EXPECT_EQ(PMESH_WINDOW_DUP, pmesh_window_check(&w, 5, 100));
	EXPECT_EQ(PMESH_WINDOW_NEW, pmesh_window_check(&w, 5, 101));
	EXPECT_EQ(PMESH_WINDOW_DUP, pmesh_window_check(&w, 5, 101));
	/* Behind the first one seen, but within the window: still new. */
	EXPECT_EQ(PMESH_WINDOW_NEW, pmesh_window_check(&w, 5, 99));
	EXPECT_EQ(PMESH_WINDOW_DUP, pmesh_window_check(&w, 5, 99));
}

TEST(window_out_of_order_and_edges)
{
	struct pmesh_window w;

	pmesh_window_init(&w, 1, 1);
	EXPECT_EQ(PMESH_WINDOW_NEW, pmesh_window_check(&w, 1, 2000));
	/* Exactly the window size behind the top is too old... */
	EXPECT_EQ(PMESH_WINDOW_OLD,
		  pmesh_window_check(&w, 1, 2000 - PMESH_WINDOW_SIZE));
	/* ...one less is still tracked. */
	EXPECT_EQ(PMESH_WINDOW_NEW,
		  pmesh_window_check(&w, 1, 2000 - PMESH_WINDOW_SIZE + 1));
	EXPECT_EQ(PMESH_WINDOW_DUP,
		  pmesh_window_check(&w, 1, 2000 - PMESH_WINDOW_SIZE + 1));
	/* A jump far ahead forgets everything behind. */
	EXPECT_EQ(PMESH_WINDOW_NEW, pmesh_window_check(&w, 1, 1000000));
	EXPECT_EQ(PMESH_WINDOW_OLD, pmesh_window_check(&w, 1, 2000));
	EXPECT_EQ(PMESH_WINDOW_NEW, pmesh_window_check(&w, 1, 999999));
}

TEST(window_epochs)
{
	struct pmesh_window w;

	pmesh_window_init(&w, 10, 500);
	/* The origin restarted: a newer epoch starts over at seq 1. */
	EXPECT_EQ(PMESH_WINDOW_NEW, pmesh_window_check(&w, 11, 1));
	EXPECT_EQ(PMESH_WINDOW_DUP, pmesh_window_check(&w, 11, 1));
	EXPECT_EQ(PMESH_WINDOW_NEW, pmesh_window_check(&w, 11, 2));
	/* Late copies of the old life are stale. */
	EXPECT_EQ(PMESH_WINDOW_STALE, pmesh_window_check(&w, 10, 501));
	/* Epochs are serial numbers: past the wrap is still newer. */
	pmesh_window_init(&w, 0xfffffff0, 1);
	EXPECT_EQ(PMESH_WINDOW_NEW, pmesh_window_check(&w, 5, 1));
	EXPECT_EQ(PMESH_WINDOW_STALE, pmesh_window_check(&w, 0xfffffff0, 2));
}

/* Keyed meshes' windows of hellos and announcements: 64 wide. */
TEST(ctl_window)
{
	struct pmesh_ctl_window w;

	pmesh_ctl_window_init(&w, 7);
	/* Empty: anything of the epoch is new, and seq 0 is never taken. */
	EXPECT_EQ(PMESH_WINDOW_DUP, pmesh_ctl_window_check(&w, 7, 0, true));
	EXPECT_EQ(PMESH_WINDOW_NEW, pmesh_ctl_window_check(&w, 7, 5, false));
	/* Looking remembers nothing. */
	EXPECT_EQ(PMESH_WINDOW_NEW, pmesh_ctl_window_check(&w, 7, 5, true));
	EXPECT_EQ(PMESH_WINDOW_DUP, pmesh_ctl_window_check(&w, 7, 5, false));
	EXPECT_EQ(PMESH_WINDOW_DUP, pmesh_ctl_window_check(&w, 7, 5, true));
	/* Out of order within the window, each once. */
	EXPECT_EQ(PMESH_WINDOW_NEW, pmesh_ctl_window_check(&w, 7, 3, true));
	EXPECT_EQ(PMESH_WINDOW_NEW, pmesh_ctl_window_check(&w, 7, 68, true));
	EXPECT_EQ(PMESH_WINDOW_DUP, pmesh_ctl_window_check(&w, 7, 5, true));
	EXPECT_EQ(PMESH_WINDOW_NEW, pmesh_ctl_window_check(&w, 7, 6, true));
	EXPECT_EQ(PMESH_WINDOW_DUP, pmesh_ctl_window_check(&w, 7, 6, true));
	/* 64 behind the newest: too old to tell. */
	EXPECT_EQ(PMESH_WINDOW_OLD, pmesh_ctl_window_check(&w, 7, 4, true));
	/* A jump of more than the window forgets the rest. */
	EXPECT_EQ(PMESH_WINDOW_NEW, pmesh_ctl_window_check(&w, 7, 1000, true));
	EXPECT_EQ(PMESH_WINDOW_OLD, pmesh_ctl_window_check(&w, 7, 68, true));
	EXPECT_EQ(PMESH_WINDOW_NEW, pmesh_ctl_window_check(&w, 7, 999, true));
	/* A newer epoch starts over; the older one is stale, even looked at. */
	EXPECT_EQ(PMESH_WINDOW_NEW, pmesh_ctl_window_check(&w, 8, 1, false));
	EXPECT_EQ(PMESH_WINDOW_DUP, pmesh_ctl_window_check(&w, 7, 1000, false));
	EXPECT_EQ(PMESH_WINDOW_NEW, pmesh_ctl_window_check(&w, 8, 1, true));
	EXPECT_EQ(PMESH_WINDOW_DUP, pmesh_ctl_window_check(&w, 8, 1, true));
	EXPECT_EQ(PMESH_WINDOW_STALE, pmesh_ctl_window_check(&w, 7, 1001, true));
	EXPECT_EQ(PMESH_WINDOW_NEW, pmesh_ctl_window_check(&w, 8, 2, true));
}

/* Against the plain model of window_model.h, which the fuzzer uses too. */
TEST(window_matches_model)
{
	static struct window_model m;
	struct pmesh_window w;
	u64 top = 1000;

	pmesh_window_init(&w, 1, top);
	window_model_init(&m, 1, top);
	srandom(2);
	for (int i = 0; i < 300000; i++) {
		/* Mostly near the top, behind or ahead, sometimes far ahead. */
		long delta = (long)(random() % 2200) - 1500;
		enum pmesh_window_verdict want, got;
		u64 seq;

		if (random() % 1000 == 0)
			delta = 3000;
		if ((long)top + delta < 1)
			continue;
		seq = top + delta;
		want = window_model_check(&m, 1, seq);
		got = pmesh_window_check(&w, 1, seq);
		ASSERT_EQ(want, got) TH_LOG("seq %llu top %llu",
					    (unsigned long long)seq,
					    (unsigned long long)top);
		top = m.top;
	}
}

/* A peek says what a check would, and changes nothing. */
TEST(window_peek_is_check_without_marking)
{
	static struct window_model m;
	struct pmesh_window w, before;
	u64 top = 1000;
	u32 epoch = 7;

	pmesh_window_init(&w, epoch, top);
	window_model_init(&m, epoch, top);
	srandom(3);
	for (int i = 0; i < 300000; i++) {
		long delta = (long)(random() % 2200) - 1500;
		enum pmesh_window_verdict peeked, got;
		u32 e = epoch;
		u64 seq;

		if (random() % 1000 == 0)
			delta = 3000;
		if (random() % 5000 == 0)
			e = epoch + (random() % 2 ? 1 : -1);
		if ((long)top + delta < 1)
			continue;
		seq = top + delta;
		memcpy(&before, &w, sizeof(w));
		peeked = pmesh_window_peek(&w, e, seq);
		ASSERT_EQ(0, memcmp(&before, &w, sizeof(w)));
		got = pmesh_window_check(&w, e, seq);
		ASSERT_EQ(window_model_check(&m, e, seq), got);
		ASSERT_EQ(peeked, got) TH_LOG("epoch %u seq %llu", e,
					      (unsigned long long)seq);
		epoch = m.epoch;
		top = m.top;
	}
}

/* A sealed frame: the header with its extension, and @len payload bytes. */
static size_t build_sealed(u8 *buf, struct pmesh_frame *f,
			   const struct pmesh_auth *a, size_t len)
{
	f->len = len;
	f->flags = PMESH_FLAG_AUTH;
	/* Below 2^56: the nonce's top byte is the type's. */
	f->seq &= (1ULL << 56) - 1;
	pmesh_frame_build(buf, f);
	pmesh_auth_build(buf, a);
	memset(buf + PMESH_AUTH_HDR_LEN, 0x5a, len);
	return PMESH_AUTH_HDR_LEN + len;
}

static const struct pmesh_auth sample_auth = {
	.sent_at = 0x01020304,
	.key_fp = 0xf1f2f3f4f5f6f7f8ULL,
	.salt = 0x5152535455565758ULL,
};

TEST(auth_round_trip)
{
	struct pmesh_frame f = sample(), g;
	struct pmesh_auth a;
	u8 buf[256];
	size_t n = build_sealed(buf, &f, &sample_auth, 20);

	ASSERT_EQ(PMESH_AUTH_HDR_LEN, 80);
	ASSERT_EQ(PMESH_AUTH_OVERHEAD, 48);
	ASSERT_EQ(PMESH_FRAME_OK, pmesh_frame_parse(buf, n, &g));
	EXPECT_EQ(PMESH_AUTH_HDR_LEN, g.hdr_len);
	EXPECT_EQ(20, g.len);
	ASSERT_EQ(PMESH_FRAME_OK, pmesh_auth_parse(buf, &g, &a));
	EXPECT_EQ(sample_auth.sent_at, a.sent_at);
	EXPECT_EQ(sample_auth.key_fp, a.key_fp);
	EXPECT_EQ(sample_auth.salt, a.salt);
	/* Big-endian, where the layout says. */
	EXPECT_EQ(0x01, buf[28]);
	EXPECT_EQ(0xf1, buf[48]);
	EXPECT_EQ(0x58, buf[63]);
	/* The hop tag starts zeroed, for the sender to write. */
	for (int i = PMESH_HOP_TAG_OFF; i < PMESH_AUTH_HDR_LEN; i++)
		EXPECT_EQ(0, buf[i]);
}

TEST(auth_refusals)
{
	struct pmesh_frame f = sample(), g;
	struct pmesh_auth a;
	u8 buf[256];
	size_t n;

	/* A payload shorter than its AEAD tag. */
	n = build_sealed(buf, &f, &sample_auth, PMESH_AUTH_TAG_LEN - 1);
	ASSERT_EQ(PMESH_FRAME_OK, pmesh_frame_parse(buf, n, &g));
	EXPECT_EQ(PMESH_FRAME_AUTH, pmesh_auth_parse(buf, &g, &a));
	n = build_sealed(buf, &f, &sample_auth, PMESH_AUTH_TAG_LEN);
	ASSERT_EQ(PMESH_FRAME_OK, pmesh_frame_parse(buf, n, &g));
	EXPECT_EQ(PMESH_FRAME_OK, pmesh_auth_parse(buf, &g, &a));
	/* A longer header: words the hop tag would not cover. */
	g.hdr_len = PMESH_AUTH_HDR_LEN + 4;
	EXPECT_EQ(PMESH_FRAME_AUTH, pmesh_auth_parse(buf, &g, &a));
	/* The version 1 header alone. */
	g.hdr_len = PMESH_HDR_LEN;
	EXPECT_EQ(PMESH_FRAME_AUTH, pmesh_auth_parse(buf, &g, &a));
	/* Not flagged. */
	g.hdr_len = PMESH_AUTH_HDR_LEN;
	g.flags = 0;
	EXPECT_EQ(PMESH_FRAME_AUTH, pmesh_auth_parse(buf, &g, &a));
	/* A sequence number into the nonce's type byte. */
	g.flags = PMESH_FLAG_AUTH;
	g.seq = 1ULL << 56;
	EXPECT_EQ(PMESH_FRAME_AUTH, pmesh_auth_parse(buf, &g, &a));
	g.seq = (1ULL << 56) - 1;
	EXPECT_EQ(PMESH_FRAME_OK, pmesh_auth_parse(buf, &g, &a));
}

TEST(auth_nonce)
{
	struct pmesh_frame f = sample();
	u8 n1[PMESH_NONCE_LEN], n2[PMESH_NONCE_LEN];
	static const u8 want[PMESH_NONCE_LEN] = {
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
		0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
		/* le64(2 << 56 | 0x0000030405060708) */
		0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x00, 0x02,
	};

	f.type = PMESH_TYPE_ANNOUNCE;
	f.seq = 0x0000030405060708ULL;
	pmesh_auth_nonce(n1, &f, sample_auth.salt);
	EXPECT_EQ(0, memcmp(want, n1, sizeof(want)));
	/* Every input changes it: type, sequence number, origin, salt. */
	f.type = PMESH_TYPE_HELLO;
	pmesh_auth_nonce(n2, &f, sample_auth.salt);
	EXPECT_NE(0, memcmp(n1, n2, sizeof(n1)));
	f.type = PMESH_TYPE_ANNOUNCE;
	f.seq++;
	pmesh_auth_nonce(n2, &f, sample_auth.salt);
	EXPECT_NE(0, memcmp(n1, n2, sizeof(n1)));
	f.seq--;
	f.origin++;
	pmesh_auth_nonce(n2, &f, sample_auth.salt);
	EXPECT_NE(0, memcmp(n1, n2, sizeof(n1)));
	f.origin--;
	pmesh_auth_nonce(n2, &f, sample_auth.salt + 1);
	EXPECT_NE(0, memcmp(n1, n2, sizeof(n1)));
	/* ttl, hops, sender and epoch are not in it. */
	f.ttl = 1;
	f.hops = 9;
	f.sender = 42;
	f.epoch = 1;
	pmesh_auth_nonce(n2, &f, sample_auth.salt);
	EXPECT_EQ(0, memcmp(n1, n2, sizeof(n1)));
}

TEST(auth_ad_leaves_out_what_hops_rewrite)
{
	struct pmesh_frame f = sample();
	u8 buf[256], ad1[PMESH_AUTH_AD_LEN], ad2[PMESH_AUTH_AD_LEN];

	build_sealed(buf, &f, &sample_auth, 20);
	pmesh_auth_ad(ad1, buf);
	EXPECT_EQ(0, ad1[4]);
	EXPECT_EQ(0, ad1[5]);
	for (int i = 40; i < 48; i++)
		EXPECT_EQ(0, ad1[i]);
	/* A relay's rewrite changes nothing in it... */
	pmesh_frame_set_hop(buf, 3, 7, 0x4242);
	memset(buf + PMESH_HOP_TAG_OFF, 0xee, PMESH_HOP_TAG_LEN);
	pmesh_auth_ad(ad2, buf);
	EXPECT_EQ(0, memcmp(ad1, ad2, sizeof(ad1)));
	/* ...and any other byte of the header up to the hop tag does. */
	for (int i = 0; i < PMESH_AUTH_AD_LEN; i++) {
		if (i == 4 || i == 5 || (i >= 40 && i < 48))
			continue;
		buf[i] ^= 0x01;
		pmesh_auth_ad(ad2, buf);
		EXPECT_NE(0, memcmp(ad1, ad2, sizeof(ad1))) TH_LOG("byte %d", i);
		buf[i] ^= 0x01;
	}
}

TEST(auth_freshness)
{
	const u32 w = 400, s = 75, floor = 1000, wrap = 0xffffff00;

	/* From the skew ahead to the window behind. */
	EXPECT_TRUE(pmesh_auth_fresh(5000, 5000, w, s, NULL));
	EXPECT_TRUE(pmesh_auth_fresh(5000 - w, 5000, w, s, NULL));
	EXPECT_FALSE(pmesh_auth_fresh(5000 - w - 1, 5000, w, s, NULL));
	EXPECT_TRUE(pmesh_auth_fresh(5000 + s, 5000, w, s, NULL));
	EXPECT_FALSE(pmesh_auth_fresh(5000 + s + 1, 5000, w, s, NULL));
	/*
	 * With a floor (a mesh that began, or a clock that stepped back, less
	 * than the window and the skew ago): only frames sealed more than the
	 * skew after it. What the node took before was sealed no later.
	 */
	EXPECT_FALSE(pmesh_auth_fresh(floor, floor + 10, w, s, &floor));
	EXPECT_FALSE(pmesh_auth_fresh(floor + s, floor + s, w, s, &floor));
	EXPECT_TRUE(pmesh_auth_fresh(floor + s + 1, floor + s, w, s, &floor));
	EXPECT_TRUE(pmesh_auth_fresh(floor + s + 1, floor + 2 * s, w, s, &floor));
	/* A floor ahead of the clock, after a step back: nothing before it. */
	EXPECT_FALSE(pmesh_auth_fresh(floor - 200, floor - 200, w, s, &floor));
	EXPECT_FALSE(pmesh_auth_fresh(floor + s + 1, floor - 10, w, s, &floor));
	/* The window and the skew hold with a floor too. */
	EXPECT_FALSE(pmesh_auth_fresh(floor + 2 * s + 1, floor + s, w, s, &floor));
	/* Serial numbers: across the wrap of the clock. */
	EXPECT_TRUE(pmesh_auth_fresh(0xfffffff0, 0x10, w, s, NULL));
	EXPECT_FALSE(pmesh_auth_fresh(0x10, 0xfffffff0, 0x10, 0x10, NULL));
	EXPECT_TRUE(pmesh_auth_fresh(wrap + s + 1, 0x10, w, s, &wrap));
	EXPECT_FALSE(pmesh_auth_fresh(wrap + s, 0x10, w, s, &wrap));
	/* Far in the past or future by half the clock: never. */
	EXPECT_FALSE(pmesh_auth_fresh(5000 + 0x80000000u, 5000, w, s, NULL));
}

/* Peer exchange and the overlay. Node ids and 10.0.0.ID addresses. */
static void v4(u8 *a, u32 id)
{
	const u8 a4[4] = { 10, id >> 16, id >> 8, id };

	pmesh_px_addr_set_v4(a, a4);
}

static struct pmesh_px_entry ent(u64 id, u8 age)
{
	struct pmesh_px_entry e = { .id = id, .port = 7788, .age = age };

	v4(e.addr, id);
	return e;
}

static struct pmesh_px px_of(u8 op, u64 to, unsigned int n, u64 first)
{
	struct pmesh_px px = { .op = op, .to = to, .n = n, .degree = 4,
			       .max_neigh = 7 };
	unsigned int i;

	if (op == PMESH_PX_WALK)
		px.walk = PMESH_PX_MAX_WALK;
	for (i = 0; i < n; i++)
		px.e[i] = ent(first + i, i);
	return px;
}

static struct pmesh_ov_neigh nbr(u64 id, u8 kind, bool up)
{
	struct pmesh_ov_neigh x = { .id = id, .port = 7788, .kind = kind,
				    .up = up, .degree = 5 };

	v4(x.addr, id);
	return x;
}

TEST(px_round_trip)
{
	static const u8 ops[] = { PMESH_PX_JOIN, PMESH_PX_WALK, PMESH_PX_SHUFFLE,
				  PMESH_PX_SAMPLE, PMESH_PX_DISCONNECT };
	u8 p[PMESH_PX_MAX_LEN];
	struct pmesh_px a, b;
	unsigned int i, j;
	size_t len;

	for (i = 0; i < sizeof(ops); i++) {
		unsigned int n = ops[i] <= PMESH_PX_WALK ? 1 : 8;

		a = px_of(ops[i], 0x0102030405060708ULL, n, 100);
		len = pmesh_px_build(p, &a);
		EXPECT_EQ(ops[i] == PMESH_PX_JOIN ? PMESH_PX_MAX_LEN :
			  PMESH_PX_HDR_LEN + n * PMESH_PX_ENTRY_LEN, len);
		ASSERT_EQ(PMESH_FRAME_OK, pmesh_px_parse(p, len, &b));
		EXPECT_EQ(a.op, b.op);
		EXPECT_EQ(a.walk, b.walk);
		EXPECT_EQ(n, b.n);
		EXPECT_EQ(a.to, b.to);
		EXPECT_EQ(4, b.degree);
		EXPECT_EQ(7, b.max_neigh);
		for (j = 0; j < n; j++) {
			/* Field by field: the struct has padding. */
			EXPECT_EQ(a.e[j].id, b.e[j].id);
			EXPECT_EQ(0, memcmp(a.e[j].addr, b.e[j].addr, 16));
			EXPECT_EQ(a.e[j].port, b.e[j].port);
			EXPECT_EQ(a.e[j].age, b.e[j].age);
			EXPECT_EQ(a.e[j].flags, b.e[j].flags);
		}
	}
	/* Big-endian on the wire. */
	EXPECT_EQ(0x01, p[8]);
	EXPECT_EQ(0x08, p[15]);
	EXPECT_EQ(100 + 0, p[16 + 7]);
	EXPECT_EQ(7788 >> 8, p[16 + 24]);
	/* A SAMPLE may be empty. */
	a = px_of(PMESH_PX_SAMPLE, 1, 0, 0);
	EXPECT_EQ(PMESH_PX_HDR_LEN, pmesh_px_build(p, &a));
	EXPECT_EQ(PMESH_FRAME_OK, pmesh_px_parse(p, PMESH_PX_HDR_LEN, &b));
}

/* Build @a, let @mangle change a byte, expect it refused. */
static int px_refused(struct pmesh_px a, int byte, u8 value, int len_delta)
{
	u8 p[PMESH_PX_MAX_LEN + PMESH_PX_ENTRY_LEN];
	struct pmesh_px b;
	size_t len;

	memset(p, 0, sizeof(p));
	len = pmesh_px_build(p, &a);
	if (byte >= 0)
		p[byte] = value;
	return pmesh_px_parse(p, len + len_delta, &b) == PMESH_FRAME_PX;
}

TEST(px_refusals)
{
	struct pmesh_px join = px_of(PMESH_PX_JOIN, 0, 1, 5);
	struct pmesh_px walk = px_of(PMESH_PX_WALK, 2, 1, 5);
	struct pmesh_px sh = px_of(PMESH_PX_SHUFFLE, 2, 3, 5);
	const int e = PMESH_PX_HDR_LEN;	/* first entry */
	u8 p[PMESH_PX_MAX_LEN];
	struct pmesh_px b;

	EXPECT_TRUE(px_refused(sh, -1, 0, -1));		/* short */
	EXPECT_TRUE(px_refused(sh, -1, 0, 1));		/* long */
	EXPECT_TRUE(px_refused(sh, -1, 0, PMESH_PX_ENTRY_LEN)); /* count */
	EXPECT_TRUE(px_refused(sh, 0, 0, 0));		/* op 0 */
	EXPECT_TRUE(px_refused(sh, 0, 6, 0));		/* op 6 */
	EXPECT_TRUE(px_refused(sh, 1, 1, 0));		/* walk on a shuffle */
	EXPECT_TRUE(px_refused(walk, 1, PMESH_PX_MAX_WALK + 1, 0));
	EXPECT_TRUE(px_refused(sh, 2, 9, 0));		/* 9 entries */
	EXPECT_TRUE(px_refused(sh, 3, PMESH_PX_PRIORITY, 0)); /* JOIN's flag */
	EXPECT_TRUE(px_refused(join, 3, 2, 0));		/* unknown flag */
	EXPECT_TRUE(px_refused(sh, 6, 1, 0));		/* reserved */
	EXPECT_TRUE(px_refused(sh, 7, 1, 0));
	EXPECT_TRUE(px_refused(sh, 15, 0, 0));		/* no recipient */
	EXPECT_TRUE(px_refused(walk, 2, 2, PMESH_PX_ENTRY_LEN)); /* 2 walked */
	EXPECT_TRUE(px_refused(join, PMESH_PX_MAX_LEN - 1, 1, 0)); /* padding */
	EXPECT_TRUE(px_refused(join, -1, 0, -PMESH_PX_ENTRY_LEN));
	EXPECT_TRUE(px_refused(sh, e + 7, 0, 0));	/* node id 0 */
	sh.e[1].port = 0;
	EXPECT_TRUE(px_refused(sh, -1, 0, 0));		/* port 0 */
	sh.e[1].port = 7788;
	EXPECT_TRUE(px_refused(sh, e + 27, 2, 0));	/* entry flag */
	EXPECT_TRUE(px_refused(sh, e + 20, 0, 0));	/* 0.0.0.5 */
	EXPECT_TRUE(px_refused(sh, e + 20, 127, 0));	/* loopback */
	EXPECT_TRUE(px_refused(sh, e + 20, 224, 0));	/* multicast */
	EXPECT_TRUE(px_refused(sh, e + 20, 255, 0));	/* broadcast */
	/* IPv6: ::1, ff02::1, fe80::1 refused; 2001:db8::1 taken. */
	sh.n = 1;
	memset(sh.e[0].addr, 0, 16);
	sh.e[0].addr[15] = 1;
	EXPECT_TRUE(px_refused(sh, -1, 0, 0));
	sh.e[0].addr[0] = 0xff;
	sh.e[0].addr[1] = 0x02;
	EXPECT_TRUE(px_refused(sh, -1, 0, 0));
	sh.e[0].addr[0] = 0xfe;
	sh.e[0].addr[1] = 0x80;
	EXPECT_TRUE(px_refused(sh, -1, 0, 0));
	sh.e[0].addr[0] = 0x20;
	sh.e[0].addr[1] = 0x01;
	sh.e[0].addr[2] = 0x0d;
	sh.e[0].addr[3] = 0xb8;
	EXPECT_EQ(PMESH_FRAME_OK,
		  pmesh_px_parse(p, pmesh_px_build(p, &sh), &b));
	EXPECT_EQ(PMESH_FRAME_PX, pmesh_px_parse(p, 3, &b));
}

/* An overlay whose round timers are due: now = 0, view @n_view from 7. */
static void ov_with_view(struct pmesh_ov *ov, unsigned int n_view)
{
	struct pmesh_px_entry e[PMESH_PX_MAX_ENTRIES];
	unsigned int i;

	pmesh_ov_init(ov, 1, 42, 0);
	for (i = 0; i < n_view; i++)
		e[i] = ent(100 + i, 1);
	pmesh_view_merge(ov, 0, e, n_view, NULL, 0);
}

static unsigned int count_act(const struct pmesh_ov_action *a, unsigned int k,
			      u8 act)
{
	unsigned int i, n = 0;

	for (i = 0; i < k; i++)
		n += a[i].act == act;
	return n;
}

TEST(ov_admit_stops_at_max_neigh)
{
	struct pmesh_ov_neigh nb[PMESH_DEFAULT_MAX_NEIGH];
	struct pmesh_ov ov;
	unsigned int i;
	u8 a[16];

	pmesh_ov_init(&ov, 1, 42, 0);
	for (i = 0; i < PMESH_DEFAULT_MAX_NEIGH - 1; i++)
		nb[i] = nbr(10 + i, PMESH_OV_LEARNED, true);
	v4(a, 50);
	EXPECT_TRUE(pmesh_ov_admit(&ov, 0, nb, i, 50, a, 7788));
	/* A second edge to a neighbour, this node itself, id 0: no. */
	EXPECT_FALSE(pmesh_ov_admit(&ov, 0, nb, i, 10, a, 7788));
	EXPECT_FALSE(pmesh_ov_admit(&ov, 0, nb, i, 1, a, 7788));
	EXPECT_FALSE(pmesh_ov_admit(&ov, 0, nb, i, 0, a, 7788));
	nb[i] = nbr(10 + i, PMESH_OV_CONFIGURED, true);
	EXPECT_FALSE(pmesh_ov_admit(&ov, 0, nb, i + 1, 50, a, 7788));
	/* A configured peer down does not count. */
	nb[i].up = false;
	EXPECT_TRUE(pmesh_ov_admit(&ov, 0, nb, i + 1, 50, a, 7788));
}

TEST(ov_round_tries_candidates_under_min_neigh)
{
	struct pmesh_ov_action out[PMESH_OV_MAX_ACTIONS];
	struct pmesh_ov_neigh nb[2], four[4];
	struct pmesh_ov ov;
	unsigned int i, k;

	/* No neighbour: all that are missing at once. */
	ov_with_view(&ov, 8);
	k = pmesh_ov_round(&ov, 1, nb, 0, out, PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(PMESH_DEFAULT_MIN_NEIGH, count_act(out, k, PMESH_OV_TRY));
	EXPECT_EQ(PMESH_DEFAULT_MIN_NEIGH, ov.n_try);
	/* One neighbour: two a round. */
	ov_with_view(&ov, 8);
	nb[0] = nbr(2, PMESH_OV_CONFIGURED, true);
	k = pmesh_ov_round(&ov, 1, nb, 1, out, PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(2, count_act(out, k, PMESH_OV_TRY));
	/* A try answered ends; one unanswered for PMESH_OV_TRY_HELLOS fails. */
	nb[1] = nbr(out[0].id, PMESH_OV_LEARNED, true);
	k = pmesh_ov_round(&ov, PMESH_OV_TRY_HELLOS * PMESH_DEFAULT_HELLO_INTERVAL + 1,
			   nb, 2,
			   out, PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(1, count_act(out, k, PMESH_OV_GIVE_UP));
	/* Degree 2 + a new pair of tries. */
	EXPECT_EQ(2, ov.n_try);
	/* At min-neigh nothing is tried. */
	ov_with_view(&ov, 8);
	for (i = 0; i < 4; i++)
		four[i] = nbr(10 + i, PMESH_OV_LEARNED, true);
	k = pmesh_ov_round(&ov, 1, four, 4, out, PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(0, count_act(out, k, PMESH_OV_TRY));
}

TEST(ov_cut_off_node_keeps_its_candidates)
{
	struct pmesh_ov_action out[PMESH_OV_MAX_ACTIONS];
	struct pmesh_ov_neigh nb[1] = { nbr(2, PMESH_OV_CONFIGURED, false) };
	struct pmesh_ov_neigh tried[1 + PMESH_OV_MAX_TRYING];
	struct pmesh_ov ov;
	unsigned int k, round;
	u32 now = 1;

	/* Being tried, as the caller's table shows: still candidates. */
	ov_with_view(&ov, 8);
	tried[0] = nb[0];
	k = pmesh_ov_round(&ov, now, nb, 1, out, PMESH_OV_MAX_ACTIONS);
	ASSERT_EQ(PMESH_OV_MAX_TRYING, k);
	for (round = 0; round < k; round++) {
		tried[1 + round] = nbr(out[round].id, PMESH_OV_LEARNED, false);
		tried[1 + round].id = 0;	/* no hello yet */
	}
	pmesh_ov_round(&ov, now + 10, tried, 1 + k, out, PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(8, ov.n_view);

	/* No neighbour up: failed tries leave the candidates in place. */
	ov_with_view(&ov, 8);
	for (round = 0; round < 10; round++, now += PMESH_DEFAULT_HELLO_INTERVAL)
		pmesh_ov_round(&ov, now, nb, 1, out, PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(8, ov.n_view);
	/* Each has been tried: the next tries go by fewest failures. */
	for (k = 0; k < ov.n_view; k++)
		EXPECT_GE(ov.view[k].fails, 1);
	/* With a neighbour up, a failed try takes its candidate away. */
	nb[0].up = true;
	for (round = 0; round < 2 * PMESH_OV_TRY_HELLOS; round++,
	     now += PMESH_DEFAULT_HELLO_INTERVAL)
		pmesh_ov_round(&ov, now, nb, 1, out, PMESH_OV_MAX_ACTIONS);
	EXPECT_LT(ov.n_view, 8);
}

TEST(ov_joins_with_no_neighbour_and_no_candidate)
{
	struct pmesh_ov_action out[PMESH_OV_MAX_ACTIONS];
	struct pmesh_ov_neigh nb[1] = { nbr(2, PMESH_OV_CONFIGURED, false) };
	struct pmesh_ov ov;
	unsigned int k;
	u8 p[PMESH_PX_MAX_LEN];
	struct pmesh_px b;

	pmesh_ov_init(&ov, 1, 42, 0);
	k = pmesh_ov_round(&ov, 1, nb, 1, out, PMESH_OV_MAX_ACTIONS);
	ASSERT_EQ(1, k);
	EXPECT_EQ(PMESH_OV_SEND, out[0].act);
	EXPECT_EQ(PMESH_PX_JOIN, out[0].px.op);
	EXPECT_EQ(0, memcmp(out[0].addr, nb[0].addr, 16));
	EXPECT_EQ(PMESH_FRAME_OK,
		  pmesh_px_parse(p, pmesh_px_build(p, &out[0].px), &b));
	/* Then it backs off: 1, 2, 4 ... hello intervals. */
	EXPECT_EQ(0, pmesh_ov_round(&ov, 500, nb, 1, out, PMESH_OV_MAX_ACTIONS));
	EXPECT_EQ(1, pmesh_ov_round(&ov, 1001, nb, 1, out, PMESH_OV_MAX_ACTIONS));
	EXPECT_EQ(0, pmesh_ov_round(&ov, 2500, nb, 1, out, PMESH_OV_MAX_ACTIONS));
	EXPECT_EQ(1, pmesh_ov_round(&ov, 3001, nb, 1, out, PMESH_OV_MAX_ACTIONS));
}

TEST(ov_sheds_only_learned_over_max_neigh)
{
	struct pmesh_ov_action out[PMESH_OV_MAX_ACTIONS];
	struct pmesh_ov_neigh nb[9];
	struct pmesh_ov ov;
	unsigned int i, k;
	u32 now = 100000;

	pmesh_ov_init(&ov, 1, 42, 0);
	for (i = 0; i < 5; i++)
		nb[i] = nbr(10 + i, PMESH_OV_CONFIGURED, true);
	nb[5] = nbr(20, PMESH_OV_LINK, true);
	nb[6] = nbr(30, PMESH_OV_LEARNED, true);
	nb[7] = nbr(31, PMESH_OV_LEARNED, true);
	nb[7].firsts = 1000;	/* useful */
	k = pmesh_ov_round(&ov, now, nb, 8, out, PMESH_OV_MAX_ACTIONS);
	ASSERT_EQ(1, count_act(out, k, PMESH_OV_SHED));
	for (i = 0; out[i].act != PMESH_OV_SHED; i++)
		;
	EXPECT_EQ(30, out[i].id);
	EXPECT_EQ(PMESH_PX_DISCONNECT, out[i].px.op);
	EXPECT_EQ(30, out[i].px.to);
	/* The shed one is backed off: not admitted again. */
	EXPECT_FALSE(pmesh_ov_admit(&ov, now, nb, 0, 30, nb[6].addr, 7788));
	EXPECT_TRUE(pmesh_ov_admit(&ov, now + PMESH_OV_BACKOFF_MS + 1, nb, 0, 30,
				   nb[6].addr, 7788));
	/* Configured peers and links alone past max-neigh: none shed. */
	for (i = 0; i < 8; i++)
		nb[i] = nbr(10 + i, i < 7 ? PMESH_OV_CONFIGURED : PMESH_OV_LINK,
			    true);
	k = pmesh_ov_round(&ov, now + 1000, nb, 8, out, PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(0, count_act(out, k, PMESH_OV_SHED));
}

TEST(ov_trims_only_edges_both_ends_can_spare)
{
	struct pmesh_ov_action out[PMESH_OV_MAX_ACTIONS];
	struct pmesh_ov_neigh nb[6];
	struct pmesh_ov ov;
	unsigned int i, k;
	u32 now = 100000;

	/* Degree 6, past the ideal of min-neigh + 1, all at min-neigh. */
	pmesh_ov_init(&ov, 1, 42, 0);
	for (i = 0; i < 6; i++) {
		nb[i] = nbr(10 + i, PMESH_OV_LEARNED, true);
		nb[i].degree = PMESH_DEFAULT_MIN_NEIGH;
	}
	k = pmesh_ov_round(&ov, now, nb, 6, out, PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(0, count_act(out, k, PMESH_OV_SHED));
	/* One with an edge to spare, but up for only a moment. */
	nb[3].degree = 6;
	nb[3].up_ms = now + 19000;
	k = pmesh_ov_round(&ov, now + 20000, nb, 6, out, PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(0, count_act(out, k, PMESH_OV_SHED));
	/* Up long enough: trimmed. */
	nb[3].up_ms = 0;
	k = pmesh_ov_round(&ov, now + 40000, nb, 6, out, PMESH_OV_MAX_ACTIONS);
	ASSERT_EQ(1, count_act(out, k, PMESH_OV_SHED));
}

/*
 * With max-neigh at min-neigh + 1 the ideal is under max-neigh: a full
 * node trims, so that full cliques make room for one another.
 */
TEST(ov_full_node_trims_when_max_is_min_plus_one)
{
	struct pmesh_ov_action out[PMESH_OV_MAX_ACTIONS];
	struct pmesh_ov_neigh nb[3];
	struct pmesh_ov ov;
	unsigned int i, k;
	u32 now = 100000;

	pmesh_ov_init(&ov, 1, 42, 0);
	pmesh_ov_set(&ov, 2, 3, PMESH_DEFAULT_HELLO_INTERVAL);
	for (i = 0; i < 3; i++) {
		nb[i] = nbr(10 + i, PMESH_OV_LEARNED, true);
		nb[i].degree = 3;
	}
	k = pmesh_ov_round(&ov, now, nb, 3, out, PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(1, count_act(out, k, PMESH_OV_SHED));
	/* At min-neigh + 1 with room to spare, none. */
	pmesh_ov_init(&ov, 1, 42, 0);
	pmesh_ov_set(&ov, 2, 4, PMESH_DEFAULT_HELLO_INTERVAL);
	k = pmesh_ov_round(&ov, now, nb, 3, out, PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(0, count_act(out, k, PMESH_OV_SHED));
}

TEST(ov_join_walks_and_samples)
{
	struct pmesh_ov_action out[PMESH_OV_MAX_ACTIONS];
	struct pmesh_ov_neigh nb[7];
	struct pmesh_ov ov;
	unsigned int i, j, k, walks = 0;
	struct pmesh_px join = px_of(PMESH_PX_JOIN, 0, 1, 1);
	u8 src[16];

	ov_with_view(&ov, 8);
	for (i = 0; i < 7; i++)
		nb[i] = nbr(10 + i, PMESH_OV_LEARNED, true);
	v4(src, 99);
	k = pmesh_ov_rx(&ov, 0, nb, 7, 99, src, 7788, &join, out,
			PMESH_OV_MAX_ACTIONS);
	for (i = 0; i < k; i++) {
		ASSERT_EQ(PMESH_OV_SEND, out[i].act);
		if (out[i].px.op == PMESH_PX_WALK) {
			walks++;
			EXPECT_EQ(PMESH_PX_MAX_WALK, out[i].px.walk);
			EXPECT_EQ(99, out[i].px.e[0].id);
			EXPECT_EQ(0, memcmp(out[i].px.e[0].addr, src, 16));
			for (j = 0; j < i; j++) {
				EXPECT_NE(out[j].id, out[i].id);
			}
		} else {
			EXPECT_EQ(PMESH_PX_SAMPLE, out[i].px.op);
			EXPECT_EQ(99, out[i].px.to);
			EXPECT_EQ(PMESH_PX_MAX_ENTRIES, out[i].px.n);
		}
	}
	EXPECT_EQ(PMESH_DEFAULT_MIN_NEIGH, walks);
	EXPECT_EQ(walks + 1, k);
	/* At most PMESH_OV_JOIN_RATE a second. */
	for (i = 1; i < PMESH_OV_JOIN_RATE; i++)
		EXPECT_NE(0, pmesh_ov_rx(&ov, 10, nb, 7, 99, src, 7788, &join,
					 out, PMESH_OV_MAX_ACTIONS));
	EXPECT_EQ(0, pmesh_ov_rx(&ov, 20, nb, 7, 99, src, 7788, &join, out,
				 PMESH_OV_MAX_ACTIONS));
	EXPECT_NE(0, pmesh_ov_rx(&ov, 1001, nb, 7, 99, src, 7788, &join, out,
				 PMESH_OV_MAX_ACTIONS));
}

TEST(ov_priority_join_makes_room_once_a_shuffle_period)
{
	struct pmesh_ov_action out[PMESH_OV_MAX_ACTIONS];
	struct pmesh_ov_neigh nb[PMESH_DEFAULT_MAX_NEIGH];
	struct pmesh_px join = px_of(PMESH_PX_JOIN, 0, 1, 1);
	struct pmesh_ov ov;
	unsigned int i, k, walks;
	u32 now = 100000;
	u8 src[16];

	/* Full, every neighbour learned and up long; 13 the least useful. */
	pmesh_ov_init(&ov, 1, 42, 0);
	for (i = 0; i < PMESH_DEFAULT_MAX_NEIGH; i++) {
		nb[i] = nbr(10 + i, PMESH_OV_LEARNED, true);
		nb[i].firsts = i == 3 ? 1 : 1000;
	}
	v4(src, 99);
	/* A plain JOIN: walks and a sample, no room made. */
	k = pmesh_ov_rx(&ov, now, nb, i, 99, src, 7788, &join, out,
			PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(0, count_act(out, k, PMESH_OV_SHED));
	EXPECT_EQ(0, count_act(out, k, PMESH_OV_TRY));
	EXPECT_EQ(PMESH_DEFAULT_MIN_NEIGH + 1, k);
	/* From a node with no neighbour: 13 is shed, 99 tried. */
	join.flags = PMESH_PX_PRIORITY;
	k = pmesh_ov_rx(&ov, now + 1, nb, i, 99, src, 7788, &join, out,
			PMESH_OV_MAX_ACTIONS);
	ASSERT_EQ(1, count_act(out, k, PMESH_OV_SHED));
	ASSERT_EQ(1, count_act(out, k, PMESH_OV_TRY));
	for (walks = 0, i = 0; i < k; i++) {
		if (out[i].act == PMESH_OV_SHED) {
			EXPECT_EQ(13, out[i].id);
			EXPECT_EQ(PMESH_PX_DISCONNECT, out[i].px.op);
		} else if (out[i].act == PMESH_OV_TRY) {
			EXPECT_EQ(99, out[i].id);
			EXPECT_EQ(0, memcmp(out[i].addr, src, 16));
		} else {
			walks += out[i].px.op == PMESH_PX_WALK;
		}
	}
	/* Admitted, it needs one walk fewer. */
	EXPECT_EQ(PMESH_DEFAULT_MIN_NEIGH - 1, walks);
	/* Another within the shuffle period: no second shed. */
	v4(src, 98);
	k = pmesh_ov_rx(&ov, now + 2, nb, PMESH_DEFAULT_MAX_NEIGH, 98, src,
			7788, &join, out, PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(0, count_act(out, k, PMESH_OV_SHED));
	EXPECT_EQ(0, count_act(out, k, PMESH_OV_TRY));
	/*
	 * After it, yes; but never with room to spare, nor for the one it
	 * shed (backed off). 13 gone, 20 in its place is the least useful.
	 */
	nb[3] = nbr(20, PMESH_OV_LEARNED, true);
	nb[3].firsts = 1;
	now += PMESH_OV_SHUFFLE_HELLOS * PMESH_DEFAULT_HELLO_INTERVAL + 3;
	k = pmesh_ov_rx(&ov, now, nb, PMESH_DEFAULT_MAX_NEIGH - 2, 98, src,
			7788, &join, out, PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(0, count_act(out, k, PMESH_OV_SHED));
	v4(src, 13);
	k = pmesh_ov_rx(&ov, now, nb, PMESH_DEFAULT_MAX_NEIGH, 13, src, 7788,
			&join, out, PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(0, count_act(out, k, PMESH_OV_SHED));
	v4(src, 98);
	k = pmesh_ov_rx(&ov, now, nb, PMESH_DEFAULT_MAX_NEIGH, 98, src, 7788,
			&join, out, PMESH_OV_MAX_ACTIONS);
	ASSERT_EQ(1, count_act(out, k, PMESH_OV_SHED));
	for (i = 0; out[i].act != PMESH_OV_SHED; i++)
		;
	EXPECT_EQ(20, out[i].id);
}

/* The nodes the membership table lost, for the bridge tests. */
static u64 lost_a, lost_b;

static bool lost_ones(void *ctx, u64 id)
{
	return id && (id == lost_a || id == lost_b);
}

TEST(ov_bridge_tries_a_candidate_the_table_lost)
{
	struct pmesh_ov_action out[PMESH_OV_MAX_ACTIONS];
	struct pmesh_ov_neigh nb[PMESH_DEFAULT_MAX_NEIGH];
	u32 now = 100000, period;
	struct pmesh_ov ov;
	unsigned int i, k;

	period = PMESH_OV_SHUFFLE_HELLOS * PMESH_DEFAULT_HELLO_INTERVAL;
	for (i = 0; i < PMESH_DEFAULT_MAX_NEIGH; i++)
		nb[i] = nbr(10 + i, PMESH_OV_LEARNED, true);
	/* No candidate (100..107) lost: nothing is tried. */
	ov_with_view(&ov, 8);
	lost_a = lost_b = 0;
	EXPECT_EQ(0, pmesh_ov_bridge(&ov, now, nb, PMESH_DEFAULT_MIN_NEIGH,
				     lost_ones, NULL, out,
				     PMESH_OV_MAX_ACTIONS));
	/*
	 * 103 and 105 lost, 103 tried once already: 105 is tried first, 103
	 * not before a shuffle period.
	 */
	ov_with_view(&ov, 8);
	lost_a = 105;
	lost_b = 103;
	for (i = 0; i < ov.n_view; i++)
		if (ov.view[i].id == 103)
			ov.view[i].fails = 1;
	k = pmesh_ov_bridge(&ov, now, nb, PMESH_DEFAULT_MIN_NEIGH,
			    lost_ones, NULL, out, PMESH_OV_MAX_ACTIONS);
	ASSERT_EQ(1, k);
	EXPECT_EQ(PMESH_OV_TRY, out[0].act);
	EXPECT_EQ(105, out[0].id);
	EXPECT_EQ(1, ov.n_try);
	EXPECT_EQ(0, pmesh_ov_bridge(&ov, now + 1, nb, PMESH_DEFAULT_MIN_NEIGH,
				     lost_ones, NULL, out,
				     PMESH_OV_MAX_ACTIONS));
	/* A period on, 105 being tried, 103 is. */
	k = pmesh_ov_bridge(&ov, now + period + 1, nb, PMESH_DEFAULT_MIN_NEIGH,
			    lost_ones, NULL, out, PMESH_OV_MAX_ACTIONS);
	ASSERT_EQ(1, k);
	EXPECT_EQ(103, out[0].id);
	/*
	 * A node dropping under min-neigh with bridges under way still tries
	 * a candidate: a bridge is likely dead.
	 */
	k = pmesh_ov_round(&ov, now + period + 2, nb,
			   PMESH_DEFAULT_MIN_NEIGH - 1, out,
			   PMESH_OV_MAX_ACTIONS);
	EXPECT_GE(count_act(out, k, PMESH_OV_TRY), 1);
	/* Unanswered, a bridge's candidate stays (across a split, it may). */
	ov_with_view(&ov, 8);
	lost_a = 103;
	lost_b = 0;
	k = pmesh_ov_bridge(&ov, now, nb, PMESH_DEFAULT_MIN_NEIGH,
			    lost_ones, NULL, out, PMESH_OV_MAX_ACTIONS);
	ASSERT_EQ(1, k);
	k = pmesh_ov_round(&ov, now + PMESH_OV_TRY_HELLOS *
			   PMESH_DEFAULT_HELLO_INTERVAL + 1, nb,
			   PMESH_DEFAULT_MIN_NEIGH, out, PMESH_OV_MAX_ACTIONS);
	ASSERT_EQ(1, count_act(out, k, PMESH_OV_GIVE_UP));
	EXPECT_EQ(0, ov.n_try);
	for (i = 0; i < ov.n_view && ov.view[i].id != 103; i++)
		;
	ASSERT_LT(i, ov.n_view);
	EXPECT_EQ(1, ov.view[i].fails);
	/* Not at max-neigh, nor under min-neigh (it tries candidates). */
	ov_with_view(&ov, 8);
	EXPECT_EQ(0, pmesh_ov_bridge(&ov, now, nb, PMESH_DEFAULT_MAX_NEIGH,
				     lost_ones, NULL, out,
				     PMESH_OV_MAX_ACTIONS));
	ov_with_view(&ov, 8);
	EXPECT_EQ(0, pmesh_ov_bridge(&ov, now, nb, PMESH_DEFAULT_MIN_NEIGH - 1,
				     lost_ones, NULL, out,
				     PMESH_OV_MAX_ACTIONS));
}

/*
 * A JOIN's walks never crowd out its SAMPLE, and min-neigh 0 starts none
 * (one admitted by PRIORITY included).
 */
TEST(ov_join_actions_fit)
{
	struct pmesh_ov_action out[PMESH_OV_MAX_ACTIONS];
	struct pmesh_ov_neigh nb[PMESH_MAX_NEIGH_CEILING];
	struct pmesh_px join = px_of(PMESH_PX_JOIN, 0, 1, 1);
	struct pmesh_ov ov;
	unsigned int i, k;
	u8 src[16];

	for (i = 0; i < PMESH_MAX_NEIGH_CEILING; i++)
		nb[i] = nbr(10 + i, PMESH_OV_LEARNED, true);
	v4(src, 99);
	pmesh_ov_init(&ov, 1, 42, 0);
	pmesh_ov_set(&ov, 31, 32, PMESH_DEFAULT_HELLO_INTERVAL);
	k = pmesh_ov_rx(&ov, 100000, nb, 31, 99, src, 7788, &join, out,
			PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(PMESH_OV_MAX_ACTIONS, k);
	EXPECT_EQ(PMESH_PX_SAMPLE, out[k - 1].px.op);
	/* Full, and PRIORITY: shed, try, walks and the SAMPLE still. */
	join.flags = PMESH_PX_PRIORITY;
	for (i = 0; i < PMESH_MAX_NEIGH_CEILING; i++)
		nb[i].degree = 32;
	pmesh_ov_init(&ov, 1, 42, 0);
	pmesh_ov_set(&ov, 31, 32, PMESH_DEFAULT_HELLO_INTERVAL);
	k = pmesh_ov_rx(&ov, 100000, nb, 32, 99, src, 7788, &join, out,
			PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(PMESH_OV_MAX_ACTIONS, k);
	EXPECT_EQ(1, count_act(out, k, PMESH_OV_SHED));
	EXPECT_EQ(PMESH_PX_SAMPLE, out[k - 1].px.op);
	/* min-neigh 0: no walk, admitted or not. */
	pmesh_ov_init(&ov, 1, 42, 0);
	pmesh_ov_set(&ov, 0, 7, PMESH_DEFAULT_HELLO_INTERVAL);
	for (i = 0; i < 7; i++)
		nb[i].degree = 5;
	k = pmesh_ov_rx(&ov, 100000, nb, 7, 99, src, 7788, &join, out,
			PMESH_OV_MAX_ACTIONS);
	for (i = 0; i < k; i++)
		EXPECT_NE(PMESH_PX_WALK, out[i].px.op);
}

/* Deadlines set now and then hold across the u32 clock's half turn. */
TEST(ov_deadlines_survive_a_long_uptime)
{
	struct pmesh_ov_action out[PMESH_OV_MAX_ACTIONS];
	struct pmesh_ov_neigh nb[1] = { nbr(2, PMESH_OV_CONFIGURED, true) };
	struct pmesh_ov ov;
	u32 now = 1;
	unsigned int k, day;

	/* Thirty days with a neighbour up: no JOIN is needed or sent. */
	pmesh_ov_init(&ov, 1, 42, 0);
	for (day = 0; day < 30 * 24; day++, now += 3600000)
		pmesh_ov_round(&ov, now, nb, 1, out, PMESH_OV_MAX_ACTIONS);
	/* Then it is alone: it JOINs at once, not 24.9 days on. */
	nb[0].up = false;
	k = pmesh_ov_round(&ov, now, nb, 1, out, PMESH_OV_MAX_ACTIONS);
	ASSERT_EQ(1, k);
	EXPECT_EQ(PMESH_PX_JOIN, out[0].px.op);
}

TEST(ov_walk_never_connects_at_max_neigh)
{
	struct pmesh_ov_action out[PMESH_OV_MAX_ACTIONS];
	struct pmesh_ov_neigh nb[7];
	struct pmesh_px walk = px_of(PMESH_PX_WALK, 1, 1, 99);
	struct pmesh_ov ov;
	unsigned int i, k;

	pmesh_ov_init(&ov, 1, 42, 0);
	for (i = 0; i < 7; i++)
		nb[i] = nbr(10 + i, PMESH_OV_LEARNED, true);
	walk.walk = 0;
	k = pmesh_ov_rx(&ov, 0, nb, 7, 10, nb[0].addr, 7788, &walk, out,
			PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(0, count_act(out, k, PMESH_OV_TRY));
	EXPECT_EQ(1, ov.n_view);	/* the joiner, kept as a candidate */
	/* Passed on, one step shorter, never back to its sender. */
	walk.walk = 4;
	for (i = 0; i < 20; i++) {
		k = pmesh_ov_rx(&ov, 0, nb, 7, 10, nb[0].addr, 7788, &walk, out,
				PMESH_OV_MAX_ACTIONS);
		ASSERT_EQ(1, k);
		EXPECT_EQ(PMESH_OV_SEND, out[0].act);
		EXPECT_EQ(3, out[0].px.walk);
		EXPECT_NE(10, out[0].id);
	}
	/* With room at the walk's end: connects. */
	walk.walk = 0;
	k = pmesh_ov_rx(&ov, 0, nb, 5, 10, nb[0].addr, 7788, &walk, out,
			PMESH_OV_MAX_ACTIONS);
	EXPECT_EQ(1, count_act(out, k, PMESH_OV_TRY));
	EXPECT_EQ(99, out[0].id);
}

TEST(view_caps_sources_and_ages)
{
	struct pmesh_px_entry e[PMESH_PX_MAX_ENTRIES];
	struct pmesh_ov_neigh nb[1] = { nbr(5, PMESH_OV_LEARNED, true) };
	u32 now = 0, period = PMESH_OV_SHUFFLE_HELLOS * PMESH_DEFAULT_HELLO_INTERVAL;
	struct pmesh_ov_action out[PMESH_OV_MAX_ACTIONS];
	struct pmesh_ov ov;
	unsigned int i, j, from2 = 0;

	pmesh_ov_init(&ov, 1, 42, 0);
	/* This node, a neighbour: skipped. */
	e[0] = ent(1, 0);
	e[1] = ent(5, 0);
	pmesh_view_merge(&ov, 2, e, 2, nb, 1);
	EXPECT_EQ(0, ov.n_view);
	/* One source fills at most PMESH_OV_PER_SOURCE places. */
	for (j = 0; j < 3; j++) {
		for (i = 0; i < PMESH_PX_MAX_ENTRIES; i++)
			e[i] = ent(100 + 8 * j + i, 3);
		pmesh_view_merge(&ov, 2, e, PMESH_PX_MAX_ENTRIES, nb, 1);
	}
	EXPECT_EQ(PMESH_OV_PER_SOURCE, ov.n_view);
	/* Younger news of a known one: its age falls. */
	e[0] = ent(100, 0);
	pmesh_view_merge(&ov, 3, e, 1, nb, 1);
	for (i = 0; i < ov.n_view; i++) {
		if (ov.view[i].id == 100)
			EXPECT_EQ(1, ov.view[i].age);
	}
	/* Many sources: capped at PMESH_OV_PASSIVE_MAX. */
	for (j = 3; j < 10; j++) {
		for (i = 0; i < PMESH_PX_MAX_ENTRIES; i++)
			e[i] = ent(1000 * j + i, 0);
		pmesh_view_merge(&ov, j, e, PMESH_PX_MAX_ENTRIES, nb, 1);
	}
	EXPECT_EQ(PMESH_OV_PASSIVE_MAX, ov.n_view);
	for (i = 0; i < ov.n_view; i++)
		from2 += ov.view[i].src == 2;
	/* Source 2's entries were the oldest: replaced first. */
	EXPECT_LT(from2, PMESH_OV_PER_SOURCE);
	/* Aged once a shuffle period; gone past PMESH_OV_MAX_AGE. */
	for (i = 0; i <= PMESH_OV_MAX_AGE + 1; i++) {
		now += period;
		pmesh_ov_round(&ov, now, nb, 1, out, PMESH_OV_MAX_ACTIONS);
	}
	EXPECT_EQ(0, ov.n_view);
}

TEST(view_sample_offers_neighbours_and_candidates)
{
	struct pmesh_px_entry e[PMESH_PX_MAX_ENTRIES];
	struct pmesh_ov_neigh nb[5];
	struct pmesh_ov ov;
	unsigned int i, n, neigh = 0;

	ov_with_view(&ov, 8);
	for (i = 0; i < 5; i++)
		nb[i] = nbr(10 + i, PMESH_OV_LEARNED, true);
	nb[4].up = false;	/* tried: not offered */
	n = pmesh_view_sample(&ov, 10, nb, 5, 3, 5, e);
	EXPECT_EQ(8, n);
	for (i = 0; i < n; i++) {
		EXPECT_NE(10, e[i].id);	/* not the recipient */
		EXPECT_NE(14, e[i].id);
		neigh += !!(e[i].flags & PMESH_PX_NEIGH);
	}
	EXPECT_EQ(3, neigh);
}

static struct pmesh_tr_frame tr_of(u8 op, unsigned int n)
{
	struct pmesh_tr_frame t = { .op = op, .n = n };
	unsigned int i;

	for (i = 0; i < n; i++)
		t.e[i] = (struct pmesh_tr_range){
			.origin = 0x1000 + i, .epoch = 7,
			.seq = op == PMESH_TR_PRUNE ? 0 : 100 + i,
			.count = op == PMESH_TR_PRUNE ? 0 : 3,
			.hops = op == PMESH_TR_IHAVE ? 2 : 0 };
	return t;
}

TEST(tree_frame_round_trip)
{
	static const u8 ops[] = { PMESH_TR_IHAVE, PMESH_TR_GRAFT,
				  PMESH_TR_PRUNE, PMESH_TR_REPAIR };
	u8 p[PMESH_TR_MAX_LEN];
	struct pmesh_tr_frame t, b;
	unsigned int i, j;
	size_t len;

	for (i = 0; i < sizeof(ops); i++) {
		t = tr_of(ops[i], PMESH_TR_MAX_ENTRIES);
		len = pmesh_tr_build(p, &t);
		EXPECT_EQ(PMESH_TR_MAX_LEN, len);
		ASSERT_EQ(PMESH_FRAME_OK, pmesh_tr_parse(p, len, &b));
		EXPECT_EQ(t.op, b.op);
		ASSERT_EQ(t.n, b.n);
		for (j = 0; j < t.n; j++) {
			EXPECT_EQ(t.e[j].origin, b.e[j].origin);
			EXPECT_EQ(t.e[j].epoch, b.e[j].epoch);
			EXPECT_EQ(t.e[j].seq, b.e[j].seq);
			EXPECT_EQ(t.e[j].count, b.e[j].count);
			EXPECT_EQ(t.e[j].hops, b.e[j].hops);
		}
	}
	/* Big-endian: the first entry's origin, byte by byte. */
	t = tr_of(PMESH_TR_IHAVE, 1);
	pmesh_tr_build(p, &t);
	EXPECT_EQ(0x10, p[4 + 6]);
	EXPECT_EQ(0x00, p[4 + 7]);
}

/* Build @t, change byte @at (if >= 0) to @v, and parse: refused? */
static bool tr_refused(struct pmesh_tr_frame t, int at, u8 v, int extra)
{
	u8 p[PMESH_TR_MAX_LEN + 64] = { 0 };
	struct pmesh_tr_frame b;
	size_t len = pmesh_tr_build(p, &t);

	if (at >= 0)
		p[at] = v;
	return pmesh_tr_parse(p, len + extra, &b) == PMESH_FRAME_TREE;
}

TEST(tree_frame_refusals)
{
	struct pmesh_tr_frame ih = tr_of(PMESH_TR_IHAVE, 2);
	struct pmesh_tr_frame gr = tr_of(PMESH_TR_GRAFT, 1);
	struct pmesh_tr_frame pr = tr_of(PMESH_TR_PRUNE, 1);
	struct pmesh_tr_frame b;
	u8 p[8] = { 0 };

	EXPECT_FALSE(tr_refused(ih, -1, 0, 0));
	EXPECT_FALSE(tr_refused(gr, -1, 0, 0));
	EXPECT_FALSE(tr_refused(pr, -1, 0, 0));
	EXPECT_TRUE(tr_refused(ih, 0, 0, 0));		/* op 0 */
	EXPECT_TRUE(tr_refused(ih, 0, 5, 0));		/* op 5 */
	EXPECT_TRUE(tr_refused(ih, 1, 0, 0));		/* no entry */
	EXPECT_TRUE(tr_refused(ih, 1, 3, 0));		/* count past the length */
	EXPECT_TRUE(tr_refused(ih, 2, 1, 0));		/* reserved */
	EXPECT_TRUE(tr_refused(ih, 3, 1, 0));
	EXPECT_TRUE(tr_refused(ih, -1, 0, 1));		/* a byte more */
	EXPECT_TRUE(tr_refused(ih, -1, 0, -1));		/* a byte less */
	EXPECT_TRUE(tr_refused(ih, 4 + 23, 1, 0));	/* entry reserved */
	ih.e[1].origin = 0;
	EXPECT_TRUE(tr_refused(ih, -1, 0, 0));		/* origin 0 */
	ih.e[1].origin = 9;
	ih.e[1].count = 0;
	EXPECT_TRUE(tr_refused(ih, -1, 0, 0));		/* empty range */
	ih.e[1].count = 2;
	ih.e[1].seq = ~0ULL;
	EXPECT_TRUE(tr_refused(ih, -1, 0, 0));		/* wraps */
	ih.e[1].count = 1;
	EXPECT_FALSE(tr_refused(ih, -1, 0, 0));		/* the last one */
	ih.e[1].seq = 0;
	EXPECT_TRUE(tr_refused(ih, -1, 0, 0));		/* none sends 0 */
	ih.e[1].seq = 1;
	gr.e[0].count = PMESH_TR_MAX_RANGE + 1;
	EXPECT_TRUE(tr_refused(gr, -1, 0, 0));		/* too long to ask */
	gr.e[0].count = PMESH_TR_MAX_RANGE;
	EXPECT_FALSE(tr_refused(gr, -1, 0, 0));
	gr.e[0].hops = 1;
	EXPECT_TRUE(tr_refused(gr, -1, 0, 0));		/* hops: IHAVE only */
	pr.e[0].seq = 1;
	EXPECT_TRUE(tr_refused(pr, -1, 0, 0));		/* a PRUNE names origins */
	EXPECT_EQ(PMESH_FRAME_TREE, pmesh_tr_parse(p, 3, &b));
	EXPECT_EQ(PMESH_FRAME_TREE, pmesh_tr_parse(p, 0, &b));
}

TEST(tree_rules)
{
	struct pmesh_tr_fwd f;
	u64 lazy = 0, up = 0xf;	/* slots 0..3 up, all eager */

	/* A first copy from 1: payload to 0, 2, 3. */
	f = pmesh_tr_first(&lazy, up, 1);
	EXPECT_EQ(0xdULL, f.eager);
	EXPECT_EQ(0ULL, f.lazy);
	/* A duplicate from 2 (eager): 2 turns lazy, PRUNE; again: nothing. */
	EXPECT_TRUE(pmesh_tr_duplicate(&lazy, 2));
	EXPECT_FALSE(pmesh_tr_duplicate(&lazy, 2));
	f = pmesh_tr_first(&lazy, up, 1);
	EXPECT_EQ(0x9ULL, f.eager);
	EXPECT_EQ(0x4ULL, f.lazy);
	/* 3 pruned this node; 2's copy came first (it answered a GRAFT). */
	pmesh_tr_prune(&lazy, 3);
	f = pmesh_tr_first(&lazy, up, 2);
	EXPECT_EQ(0x3ULL, f.eager);
	EXPECT_EQ(0x8ULL, f.lazy);
	EXPECT_EQ(0x8ULL, lazy);
	pmesh_tr_graft(&lazy, 3);
	EXPECT_EQ(0ULL, lazy);
	/* This node's own datagram, and a slot out of range: all eager. */
	f = pmesh_tr_first(&lazy, up, -1);
	EXPECT_EQ(0xfULL, f.eager);
	EXPECT_FALSE(pmesh_tr_duplicate(&lazy, 64));
}

TEST(tree_two_strikes)
{
	u64 lazy = 0, strike = 0;

	/* The first duplicate from 2 is a strike; a first copy clears it. */
	EXPECT_FALSE(pmesh_tr_strike(&lazy, &strike, 2));
	EXPECT_EQ(0x4ULL, strike);
	pmesh_tr_clear_strike(&strike, 2);
	EXPECT_FALSE(pmesh_tr_strike(&lazy, &strike, 2));
	EXPECT_EQ(0ULL, lazy);
	/* Two in a row: lazy, pruned once. */
	EXPECT_TRUE(pmesh_tr_strike(&lazy, &strike, 2));
	EXPECT_EQ(0x4ULL, lazy);
	EXPECT_EQ(0ULL, strike);
	EXPECT_FALSE(pmesh_tr_strike(&lazy, &strike, 2));
	EXPECT_FALSE(pmesh_tr_strike(&lazy, &strike, 2));
	/* No slot (a link, or past 64): never pruned. */
	EXPECT_FALSE(pmesh_tr_strike(&lazy, &strike, -1));
	EXPECT_FALSE(pmesh_tr_strike(&lazy, &strike, 64));
	EXPECT_FALSE(pmesh_tr_strike(&lazy, &strike, 64));
	EXPECT_EQ(0x4ULL, lazy);
}

TEST(tree_missing_grafts_announcers_in_turn)
{
	static struct pmesh_tr_missing m, copy;
	struct pmesh_tr_id a = { .origin = 5, .epoch = 1, .seq = 10 };
	struct pmesh_tr_id b = { .origin = 5, .epoch = 1, .seq = 11 };
	struct pmesh_tr_graft g[4];

	pmesh_tr_missing_init(&m);
	EXPECT_TRUE(pmesh_tr_ihave(&m, 0, &a, 3, PMESH_TR_TIMEOUT1_MS));
	EXPECT_TRUE(pmesh_tr_ihave(&m, 10, &a, 3, PMESH_TR_TIMEOUT1_MS));
	EXPECT_TRUE(pmesh_tr_ihave(&m, 20, &a, 7, PMESH_TR_TIMEOUT1_MS));
	EXPECT_TRUE(pmesh_tr_ihave(&m, 20, &b, 7, PMESH_TR_TIMEOUT1_MS));
	EXPECT_EQ(2, m.n);
	/* Nothing before timeout1; then 3 (the first announcer) for a. */
	EXPECT_EQ(0, pmesh_tr_expire(&m, PMESH_TR_TIMEOUT1_MS - 1, g, 4));
	ASSERT_EQ(1, pmesh_tr_expire(&m, PMESH_TR_TIMEOUT1_MS, g, 4));
	EXPECT_EQ(10, g[0].id.seq);
	EXPECT_EQ(3, g[0].slot);
	/* b arrives unasked; a does not: 7 is asked timeout2 later. */
	EXPECT_EQ(0, pmesh_tr_got(&m, &b));
	EXPECT_EQ(1, m.n);
	ASSERT_EQ(1, pmesh_tr_expire(&m, PMESH_TR_TIMEOUT1_MS +
				     PMESH_TR_TIMEOUT2_MS, g, 4));
	EXPECT_EQ(7, g[0].slot);
	/* Asked twice, then a goes: its answer would be a repair of two. */
	copy = m;
	EXPECT_EQ(2, pmesh_tr_got(&copy, &a));
	EXPECT_EQ(0, copy.n);
	EXPECT_EQ(0, pmesh_tr_expire(&m, PMESH_TR_TIMEOUT1_MS +
				     2 * PMESH_TR_TIMEOUT2_MS, g, 4));
	EXPECT_EQ(0, m.n);
	/* A neighbour down takes its announcements along. */
	pmesh_tr_ihave(&m, 0, &a, 3, PMESH_TR_TIMEOUT1_MS);
	pmesh_tr_ihave(&m, 0, &b, 3, PMESH_TR_TIMEOUT1_MS);
	pmesh_tr_ihave(&m, 0, &b, 4, PMESH_TR_TIMEOUT1_MS);
	pmesh_tr_neigh_down(&m, 3);
	EXPECT_EQ(1, m.n);
	/* b is 4's now: it counts against 4's share, not 3's. */
	EXPECT_EQ(0, m.share[3]);
	EXPECT_EQ(1, m.share[4]);
	ASSERT_EQ(1, pmesh_tr_expire(&m, PMESH_TR_TIMEOUT1_MS, g, 4));
	EXPECT_EQ(4, g[0].slot);
}

TEST(tree_missing_shares_and_cap)
{
	static struct pmesh_tr_missing m;
	struct pmesh_tr_id a = { .origin = 5, .epoch = 1 };
	unsigned int i, s;

	/* One announcer fills its share, not the table. */
	pmesh_tr_missing_init(&m);
	for (a.seq = 1; a.seq <= PMESH_TR_MISSING_SHARE; a.seq++)
		EXPECT_TRUE(pmesh_tr_ihave(&m, 0, &a, 1, 100));
	EXPECT_FALSE(pmesh_tr_ihave(&m, 0, &a, 1, 100));
	EXPECT_EQ(PMESH_TR_MISSING_SHARE, m.n);
	/* It may still announce ids others hold a place for. */
	a.seq = 1000;
	EXPECT_TRUE(pmesh_tr_ihave(&m, 0, &a, 2, 100));
	EXPECT_TRUE(pmesh_tr_ihave(&m, 0, &a, 1, 100));
	EXPECT_EQ(1, m.share[2]);
	/* Its ids leave: its share with them. */
	for (a.seq = 1; a.seq <= PMESH_TR_MISSING_SHARE; a.seq++)
		pmesh_tr_got(&m, &a);
	EXPECT_EQ(0, m.share[1]);
	EXPECT_EQ(1, m.n);
	/* Many announcers fill the whole table: then it is full for all. */
	pmesh_tr_missing_init(&m);
	for (i = 0, a.seq = 1; i < PMESH_TR_MISSING; i++, a.seq++) {
		s = i / PMESH_TR_MISSING_SHARE;
		EXPECT_TRUE(pmesh_tr_ihave(&m, 0, &a, s, 100));
	}
	EXPECT_FALSE(pmesh_tr_ihave(&m, 0, &a, 9, 100));
	/* A slot past the slots is refused. */
	pmesh_tr_missing_init(&m);
	EXPECT_FALSE(pmesh_tr_ihave(&m, 0, &a, PMESH_TR_SLOTS, 100));
}

TEST_HARNESS_MAIN
