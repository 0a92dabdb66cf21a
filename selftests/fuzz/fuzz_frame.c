// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: pmesh_frame_parse() over arbitrary bytes, the whole of what
 * a UDP datagram or an Ethernet frame of PMESH_ETHERTYPE may carry.
 *
 * Asserted for every input: the verdict agrees with the receiver's rules of
 * Documentation/protocol.md, said again here field by field (a frame is
 * good if and only if it breaks none of them, and a refusal names a rule
 * the frame breaks); the fields it reads are the bytes at their offsets;
 * and a good frame written again by pmesh_frame_build() with its payload
 * parses to the same fields, byte for byte the same header when it was a
 * 48-byte one.
 */
#include "fuzz.h"

/* The rules a frame of @size bytes breaks, one bit per enum pmesh_frame_error. */
static unsigned int frame_faults(const u8 *buf, size_t size)
{
	unsigned int ttl, hops, hdr_len, faults = 0;

	if (size < PMESH_HDR_LEN)
		return 1u << PMESH_FRAME_SHORT;
	ttl = buf[4];
	hops = buf[5];
	hdr_len = buf[3] * 4u;
	if (buf[0] != 1)
		faults |= 1u << PMESH_FRAME_VERSION;
	if (hdr_len < 48 || hdr_len > size)
		faults |= 1u << PMESH_FRAME_HDR_LEN;
	if (buf[1] > 4)	/* data, hello, announce, peers, tree */
		faults |= 1u << PMESH_FRAME_TYPE;
	if (buf[2] & ~PMESH_FLAG_AUTH)
		faults |= 1u << PMESH_FRAME_FLAGS;
	if (hdr_len + fuzz_be(buf + 12, 2) != size)
		faults |= 1u << PMESH_FRAME_LENGTH;
	if (!ttl || !hops || ttl + hops > 256)
		faults |= 1u << PMESH_FRAME_HOPS;
	if (!fuzz_be(buf + 16, 8) || !fuzz_be(buf + 40, 8))
		faults |= 1u << PMESH_FRAME_NODE;
	return faults;
}

static void assert_fields(const u8 *buf, const struct pmesh_frame *f)
{
	FUZZ_ASSERT(f->version == buf[0], "%u", f->version);
	FUZZ_ASSERT(f->type == buf[1], "%u", f->type);
	FUZZ_ASSERT(f->flags == buf[2], "%u", f->flags);
	FUZZ_ASSERT(f->hdr_len == buf[3] * 4, "%u", f->hdr_len);
	FUZZ_ASSERT(f->ttl == buf[4], "%u", f->ttl);
	FUZZ_ASSERT(f->hops == buf[5], "%u", f->hops);
	FUZZ_ASSERT(f->channel == fuzz_be(buf + 6, 2), "%u", f->channel);
	FUZZ_ASSERT(f->mesh == fuzz_be(buf + 8, 4), "%u", f->mesh);
	FUZZ_ASSERT(f->len == fuzz_be(buf + 12, 2), "%u", f->len);
	FUZZ_ASSERT(f->origin == fuzz_be(buf + 16, 8), "%llx",
		    (unsigned long long)f->origin);
	FUZZ_ASSERT(f->epoch == fuzz_be(buf + 24, 4), "%x", f->epoch);
	FUZZ_ASSERT(f->seq == fuzz_be(buf + 32, 8), "%llx",
		    (unsigned long long)f->seq);
	FUZZ_ASSERT(f->sender == fuzz_be(buf + 40, 8), "%llx",
		    (unsigned long long)f->sender);
}

/* Build the frame again, as a version 1 header and the same payload. */
static void assert_round_trip(const u8 *buf,
			      const struct pmesh_frame *f)
{
	size_t n = PMESH_HDR_LEN + f->len;
	u8 *out = malloc(n), hdr[PMESH_HDR_LEN];
	struct pmesh_frame g;

	FUZZ_ASSERT(out, "out of memory");
	pmesh_frame_build(out, f);
	memcpy(out + PMESH_HDR_LEN, buf + f->hdr_len, f->len);
	FUZZ_ASSERT(pmesh_frame_parse(out, n, &g) == PMESH_FRAME_OK,
		    "a built frame is refused");
	assert_fields(out, &g);
	FUZZ_ASSERT(g.hdr_len == PMESH_HDR_LEN, "%u", g.hdr_len);
	FUZZ_ASSERT(g.type == f->type && g.flags == f->flags &&
		    g.ttl == f->ttl && g.hops == f->hops &&
		    g.channel == f->channel && g.mesh == f->mesh &&
		    g.len == f->len && g.origin == f->origin &&
		    g.epoch == f->epoch && g.seq == f->seq &&
		    g.sender == f->sender, "fields changed on the way");
	if (f->hdr_len == PMESH_HDR_LEN) {
		/* The same bytes, but the reserved ones, which build zeroes. */
		memcpy(hdr, buf, sizeof(hdr));
		memset(hdr + 14, 0, 2);
		memset(hdr + 28, 0, 4);
		FUZZ_ASSERT(!memcmp(hdr, out, sizeof(hdr)), "header bytes differ");
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	unsigned int faults = frame_faults(data, size);
	enum pmesh_frame_error err;
	struct pmesh_frame f;

	memset(&f, 0xa5, sizeof(f));
	err = pmesh_frame_parse(data, size, &f);
	if (faults) {
		FUZZ_ASSERT(err != PMESH_FRAME_OK && err <= PMESH_FRAME_NODE &&
			    faults & 1u << err,
			    "verdict %d, rules broken %#x", err, faults);
		if (size >= PMESH_HDR_LEN)
			FUZZ_ASSERT(pmesh_frame_mesh(data) == fuzz_be(data + 8, 4),
				    "mesh id");
		return 0;
	}
	FUZZ_ASSERT(err == PMESH_FRAME_OK, "a good frame refused: %d", err);
	FUZZ_ASSERT(f.hdr_len >= PMESH_HDR_LEN && f.hdr_len % 4 == 0 &&
		    f.hdr_len <= size, "hdr_len %u of %zu", f.hdr_len, size);
	FUZZ_ASSERT((size_t)f.hdr_len + f.len == size, "len %u", f.len);
	FUZZ_ASSERT(f.ttl >= 1 && f.hops >= 1 && f.ttl + f.hops <= 256,
		    "ttl %u hops %u", f.ttl, f.hops);
	FUZZ_ASSERT(f.origin && f.sender, "node 0");
	FUZZ_ASSERT(pmesh_frame_mesh(data) == f.mesh, "mesh id");
	assert_fields(data, &f);
	assert_round_trip(data, &f);
	return 0;
}
