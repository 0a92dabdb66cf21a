// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the pure core (kmod/core/): the frame codec, the sealed
 * header's pieces and the duplicate window, built from the module's own sources into a userspace
 * program that runs on the host in milliseconds.
 */
#include <stdlib.h>

#include "kselftest_harness.h"
#include "auth.h"
#include "frame.h"
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
	buf[1] = 3;
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

TEST_HARNESS_MAIN
