// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the seed corpus, one small file per seed, with the core's own
 * builders: the frames a node sends (data of several sizes, hellos,
 * announcements and a goodbye, a forwarded copy), a longer version 1 header
 * as a later layout would send, and the near misses a fuzzer learns most
 * from (truncated, trailing bytes, limits hit exactly); the payloads alone
 * for the payload targets; and operation sequences for the window target.
 *
 * usage: seeds DIR    (writes DIR/frame, DIR/receive, DIR/hello, ...)
 */
#include <errno.h>
#include <sys/stat.h>

#include "auth.h"
#include "fuzz.h"
#include "px.h"
#include "tree.h"
#include "window.h"

static const char *dir;

static void put(const char *target, const char *name, const void *buf,
		size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, target);
	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s", dir, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* A whole frame goes to both the header and the receive targets. */
static void put_frame(const char *name, const void *buf, size_t n)
{
	put("frame", name, buf, n);
	put("receive", name, buf, n);
}

static struct pmesh_frame header(u8 type, u16 len)
{
	struct pmesh_frame f = {
		.type = type,
		.ttl = type == PMESH_TYPE_HELLO ? 1 : 16,
		.hops = 1,
		.channel = type == PMESH_TYPE_DATA ? 7 : 0,
		.mesh = 1,
		.len = len,
		.origin = 0x0a0a0a0a0a0a0a01ULL,
		.epoch = 0x5f5e1000,
		.seq = 1,
		.sender = 0x0a0a0a0a0a0a0a01ULL,
	};

	return f;
}

/* Header with @words 4-byte words (12 for version 1's own), then payload. */
static size_t frame(u8 *buf, const struct pmesh_frame *f, unsigned int words,
		    const void *payload)
{
	size_t hdr_len = words * 4;

	pmesh_frame_build(buf, f);
	buf[3] = words;
	memset(buf + PMESH_HDR_LEN, 0xee, hdr_len - PMESH_HDR_LEN);
	memcpy(buf + hdr_len, payload, f->len);
	return hdr_len + f->len;
}

static void frames(void)
{
	static u8 buf[PMESH_HDR_MAX_LEN + 2048], payload[1024];
	struct pmesh_announce a = { .interval_ms = 2000, .timeout_ms = 6000 };
	u8 hello[PMESH_HELLO_LEN], ann[PMESH_ANNOUNCE_LEN];
	struct pmesh_frame f;
	size_t n;

	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = i * 7;

	f = header(PMESH_TYPE_DATA, 0);
	put_frame("data-0", buf, frame(buf, &f, 12, payload));
	f = header(PMESH_TYPE_DATA, 5);
	n = frame(buf, &f, 12, "hello");
	put_frame("data-5", buf, n);
	put_frame("data-5-truncated", buf, n - 2);
	memset(buf + n, 0, 3);
	put_frame("data-5-trailing", buf, n + 3);
	put_frame("header-47", buf, PMESH_HDR_LEN - 1);
	f = header(PMESH_TYPE_DATA, 64);
	put_frame("data-64", buf, frame(buf, &f, 12, payload));
	f = header(PMESH_TYPE_DATA, 1000);
	put_frame("data-1000", buf, frame(buf, &f, 12, payload));
	/* A copy three hops on, forwarded by another node. */
	f = header(PMESH_TYPE_DATA, 16);
	f.ttl = 13;
	f.hops = 4;
	f.seq = 0xfffffffffffffffeULL;
	f.sender = 0x0b0b0b0b0b0b0b02ULL;
	put_frame("data-forwarded", buf, frame(buf, &f, 12, payload));
	/* ttl + hops at 256 exactly, the most a receiver takes. */
	f.ttl = 2;
	f.hops = 254;
	put_frame("data-hops-254", buf, frame(buf, &f, 12, payload));
	/* Longer version 1 headers, as a later layout may send them. */
	f = header(PMESH_TYPE_DATA, 5);
	put_frame("data-hdr14", buf, frame(buf, &f, 14, "hello"));
	f = header(PMESH_TYPE_DATA, 32);
	put_frame("data-hdr255", buf, frame(buf, &f, 255, payload));

	pmesh_hello_build(hello, 1000, 3000);
	f = header(PMESH_TYPE_HELLO, sizeof(hello));
	n = frame(buf, &f, 12, hello);
	put_frame("hello", buf, n);
	put_frame("hello-truncated", buf, PMESH_HDR_LEN);
	f = header(PMESH_TYPE_HELLO, sizeof(hello));
	put_frame("hello-hdr16", buf, frame(buf, &f, 16, hello));

	/* A peer exchange: a SHUFFLE of one entry, 16 + 28 bytes. */
	{
		struct pmesh_px px = { .op = PMESH_PX_SHUFFLE, .to = 1, .n = 1,
				       .degree = 4, .max_neigh = 7 };
		u8 pxb[PMESH_PX_MAX_LEN];
		size_t pn;

		px.e[0].id = 0x0c0c0c0c0c0c0c03ULL;
		pmesh_px_addr_set_v4(px.e[0].addr, (u8 [4]){ 10, 0, 0, 3 });
		px.e[0].port = 7788;
		pn = pmesh_px_build(pxb, &px);
		f = header(PMESH_TYPE_PEERS, pn);
		f.ttl = 1;
		put_frame("peers-shuffle", buf, frame(buf, &f, 12, pxb));
	}

	/* A tree frame: an IHAVE of one range, 4 + 24 bytes, one hop. */
	{
		struct pmesh_tr_frame t = { .op = PMESH_TR_IHAVE, .n = 1 };
		u8 tb[PMESH_TR_HDR_LEN + PMESH_TR_ENTRY_LEN];
		size_t tn;

		t.e[0] = (struct pmesh_tr_range){ .origin = 0x0c0c0c0c0c0c0c03ULL,
						  .epoch = 1, .seq = 1,
						  .count = 8, .hops = 2 };
		tn = pmesh_tr_build(tb, &t);
		f = header(PMESH_TYPE_TREE, tn);
		f.ttl = 1;
		put_frame("tree-ihave", buf, frame(buf, &f, 12, tb));
	}

	pmesh_announce_build(ann, &a);
	f = header(PMESH_TYPE_ANNOUNCE, sizeof(ann));
	n = frame(buf, &f, 12, ann);
	put_frame("announce", buf, n);
	memset(buf + n, 0, 1);
	put_frame("announce-trailing", buf, n + 1);
	a.flags = PMESH_ANNOUNCE_GOODBYE;
	pmesh_announce_build(ann, &a);
	put_frame("announce-goodbye", buf, frame(buf, &f, 12, ann));
	f.sender = 0x0b0b0b0b0b0b0b02ULL;
	f.ttl = 15;
	f.hops = 2;
	put_frame("announce-forwarded", buf, frame(buf, &f, 13, ann));
}

/* Sealed frames, for the auth target: as an origin and a relay send them. */
static void sealed(void)
{
	static u8 buf[PMESH_AUTH_HDR_LEN + 1024], payload[1024];
	struct pmesh_auth a = {
		.sent_at = 0x5f5e1000,
		.key_fp = 0x26de11f7036d8663ULL,
		.salt = 0x0123456789abcdefULL,
	};
	struct pmesh_frame f;
	size_t n;

	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = i * 13;
	f = header(PMESH_TYPE_DATA, 5 + PMESH_AUTH_TAG_LEN);
	f.flags = PMESH_FLAG_AUTH;
	pmesh_frame_build(buf, &f);
	pmesh_auth_build(buf, &a);
	memcpy(buf + PMESH_AUTH_HDR_LEN, payload, f.len);
	n = PMESH_AUTH_HDR_LEN + f.len;
	put("auth", "data-5", buf, n);
	put("auth", "data-5-truncated", buf, n - 1);
	/* Exactly the tag, and one byte short of it. */
	f.len = PMESH_AUTH_TAG_LEN;
	pmesh_frame_build(buf, &f);
	pmesh_auth_build(buf, &a);
	put("auth", "data-tag-only", buf, PMESH_AUTH_HDR_LEN + f.len);
	f.len = PMESH_AUTH_TAG_LEN - 1;
	pmesh_frame_build(buf, &f);
	pmesh_auth_build(buf, &a);
	put("auth", "data-short", buf, PMESH_AUTH_HDR_LEN + f.len);
	/* A relay's copy of an announcement, seq at its ceiling. */
	f = header(PMESH_TYPE_ANNOUNCE, PMESH_ANNOUNCE_LEN + PMESH_AUTH_TAG_LEN);
	f.flags = PMESH_FLAG_AUTH;
	f.ttl = 14;
	f.hops = 3;
	f.seq = (1ULL << 56) - 1;
	f.sender = 0x0b0b0b0b0b0b0b02ULL;
	pmesh_frame_build(buf, &f);
	pmesh_auth_build(buf, &a);
	memset(buf + PMESH_HOP_TAG_OFF, 0xa5, PMESH_HOP_TAG_LEN);
	memcpy(buf + PMESH_AUTH_HDR_LEN, payload, f.len);
	put("auth", "announce-relayed", buf, PMESH_AUTH_HDR_LEN + f.len);
}

static void payloads(void)
{
	struct pmesh_announce a = { .interval_ms = 2000, .timeout_ms = 6000 };
	u8 p[PMESH_ANNOUNCE_LEN + 1] = { 0 };

	pmesh_hello_build(p, 1000, 3000);
	put("hello", "default", p, PMESH_HELLO_LEN);
	put("hello", "short", p, PMESH_HELLO_LEN - 1);
	put("hello", "long", p, PMESH_HELLO_LEN + 1);
	pmesh_hello_build(p, PMESH_HELLO_INTERVAL_MIN, PMESH_HELLO_INTERVAL_MIN + 1);
	put("hello", "fastest", p, PMESH_HELLO_LEN);
	pmesh_hello_build(p, PMESH_HELLO_INTERVAL_MAX, PMESH_DEAD_INTERVAL_MAX);
	put("hello", "slowest", p, PMESH_HELLO_LEN);

	pmesh_announce_build(p, &a);
	put("announce", "default", p, PMESH_ANNOUNCE_LEN);
	put("announce", "short", p, PMESH_ANNOUNCE_LEN - 1);
	put("announce", "long", p, PMESH_ANNOUNCE_LEN + 1);
	a.flags = PMESH_ANNOUNCE_GOODBYE;
	pmesh_announce_build(p, &a);
	put("announce", "goodbye", p, PMESH_ANNOUNCE_LEN);
	a.flags = 0;
	a.interval_ms = PMESH_ANNOUNCE_INTERVAL_MIN;
	a.timeout_ms = 4 * a.interval_ms;
	pmesh_announce_build(p, &a);
	put("announce", "fastest", p, PMESH_ANNOUNCE_LEN);
	a.interval_ms = PMESH_ANNOUNCE_STRETCH_MAX;
	a.timeout_ms = a.interval_ms + 1;
	pmesh_announce_build(p, &a);
	put("announce", "slowest", p, PMESH_ANNOUNCE_LEN);
}

/* Opcodes of fuzz_window.c: origin | epoch kind << 2 | seq kind << 5. */
#define OP(origin, epoch, seq)	((origin) | (epoch) << 2 | (seq) << 5)

static void windows(void)
{
	u8 in_order[64], four[64];
	const u8 reorder[] = {
		OP(0, 0, 4), 0, 0, 0, 0, 0, 0, 0x10, 0,	/* seq 4096 */
		OP(0, 0, 0), OP(0, 0, 0), OP(0, 0, 6), 1, OP(0, 0, 6), 5,
		OP(0, 0, 2), 0x01, 0x00, OP(0, 0, 1), 0x01, 0x02,
		OP(0, 0, 7), OP(0, 0, 6), 5, OP(0, 0, 1), 0x03, 0xc0,
	};
	const u8 edges[] = {
		OP(1, 0, 5), 40, OP(1, 0, 3), 0, OP(1, 0, 3), 1,
		OP(1, 0, 3), 2, OP(1, 0, 3), 3, OP(1, 0, 5), 1,
		OP(1, 0, 5), 15, OP(1, 0, 5), 16, OP(1, 0, 3), 1,
		OP(1, 0, 4), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf0,
		OP(1, 0, 0), OP(1, 0, 2), 0x00, 0x20, OP(1, 0, 1), 0x00, 0x30,
	};
	const u8 restart[] = {
		OP(2, 6, 0), 0xff, 0xff, 0xff, 0xf0, OP(2, 0, 0), OP(2, 0, 0),
		OP(2, 4, 7), 0x20, OP(2, 0, 0), OP(2, 5, 0), 0,
		OP(2, 7, 0), 128, OP(2, 7, 0), 127, OP(2, 7, 0), 129,
		OP(2, 4, 1), 0, 0, 1,
	};
	size_t i;

	for (i = 0; i < sizeof(in_order); i++)
		in_order[i] = OP(0, 0, 0);
	put("window", "in-order", in_order, sizeof(in_order));
	for (i = 0; i < sizeof(four); i++)
		four[i] = OP(i % 4, 0, i % 8 == 3 ? 7 : 0);
	put("window", "four-origins", four, sizeof(four));
	put("window", "reorder", reorder, sizeof(reorder));
	put("window", "edges", edges, sizeof(edges));
	put("window", "restart", restart, sizeof(restart));
}

/* Peer exchange: each op as a node sends it, then the near misses. */
static void exchanges(void)
{
	static const u8 ops[] = { PMESH_PX_JOIN, PMESH_PX_WALK, PMESH_PX_SHUFFLE,
				  PMESH_PX_SAMPLE, PMESH_PX_DISCONNECT };
	static const char *const names[] = { "join", "walk", "shuffle",
					     "sample", "disconnect" };
	u8 p[PMESH_PX_MAX_LEN + 1];
	struct pmesh_px px;
	char name[32];
	unsigned int i, j;
	size_t len;

	for (i = 0; i < sizeof(ops); i++) {
		memset(&px, 0, sizeof(px));
		px.op = ops[i];
		px.degree = 4;
		px.max_neigh = 7;
		px.to = ops[i] == PMESH_PX_JOIN ? 0 : 1;
		px.walk = ops[i] == PMESH_PX_WALK ? PMESH_PX_MAX_WALK : 0;
		px.flags = ops[i] == PMESH_PX_JOIN ? PMESH_PX_PRIORITY : 0;
		px.n = ops[i] == PMESH_PX_JOIN || ops[i] == PMESH_PX_WALK ? 1 : 8;
		for (j = 0; j < px.n; j++) {
			px.e[j].id = 0x100 + 8 * i + j;
			pmesh_px_addr_set_v4(px.e[j].addr,
					     (u8 [4]){ 10, 0, 0, 16 + 8 * i + j });
			px.e[j].port = 7788;
			px.e[j].age = j;
			px.e[j].flags = j < 3 ? PMESH_PX_NEIGH : 0;
		}
		len = pmesh_px_build(p, &px);
		put("px", names[i], p, len);
		snprintf(name, sizeof(name), "%s-short", names[i]);
		put("px", name, p, len - 1);
	}
	p[len] = 0;
	put("px", "long", p, len + 1);
}

/* Tree frames: each op, then the near misses. */
static void trees(void)
{
	static const char *const names[] = { "ihave", "graft", "prune",
					     "repair" };
	u8 p[PMESH_TR_MAX_LEN + 1];
	struct pmesh_tr_frame t;
	unsigned int i, j;
	char name[32];
	size_t len = 0;

	for (i = 0; i < 4; i++) {
		memset(&t, 0, sizeof(t));
		t.op = PMESH_TR_IHAVE + i;
		t.n = 4;
		for (j = 0; j < t.n; j++) {
			t.e[j].origin = 0x200 + j;
			t.e[j].epoch = 1;
			if (t.op == PMESH_TR_PRUNE)
				continue;
			t.e[j].seq = 1 + 10 * j;
			t.e[j].count = 1 + j;
			t.e[j].hops = t.op == PMESH_TR_IHAVE ? 1 + j : 0;
		}
		len = pmesh_tr_build(p, &t);
		put("tree", names[i], p, len);
		snprintf(name, sizeof(name), "%s-short", names[i]);
		put("tree", name, p, len - 1);
	}
	p[len] = 0;
	put("tree", "long", p, len + 1);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 1;
	}
	dir = argv[1];
	if (mkdir(dir, 0755) && errno != EEXIST) {
		perror(dir);
		return 1;
	}
	frames();
	sealed();
	payloads();
	exchanges();
	trees();
	windows();
	return 0;
}
