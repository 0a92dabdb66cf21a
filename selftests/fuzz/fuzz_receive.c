// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: a frame as pmesh_receive() (kmod/receive.c) takes it. The
 * header is parsed, then the payload goes to the parser of its type at
 * buf + hdr_len for len bytes, as the module hands it over; a frame that
 * goes on is rewritten the way pmesh_forward_prepare() does it (a longer
 * header cut to a version 1 one, ttl - 1, hops + 1, this node as sender).
 *
 * A tree frame, like an exchange, goes no further.
 *
 * The input is the frame alone, in a buffer of exactly its size, so that
 * AddressSanitizer reports any read past it. Asserted: a hello or an
 * announcement parses from the payload the header delimits, and the copy
 * a node forwards parses at the next node to the same frame, one hop on,
 * with the same payload verdict.
 */
#include "fuzz.h"
#include "px.h"
#include "tree.h"

#define THIS_NODE	0x5eed5eed5eed5eedULL

/* The payload's verdict, as the receiver of its type decides it. */
static enum pmesh_frame_error payload_verdict(const u8 *buf,
					      const struct pmesh_frame *f)
{
	const u8 *payload = buf + f->hdr_len;
	struct pmesh_announce a;
	static struct pmesh_tr_frame tree[1];
	struct pmesh_px px;
	enum pmesh_frame_error err;
	u32 hello_ms, dead_ms;

	switch (f->type) {
	case PMESH_TYPE_HELLO:
		err = pmesh_hello_parse(payload, f->len, &hello_ms, &dead_ms);
		if (err == PMESH_FRAME_OK)
			FUZZ_ASSERT(f->len == PMESH_HELLO_LEN &&
				    dead_ms > hello_ms, "hello %u %u",
				    hello_ms, dead_ms);
		return err;
	case PMESH_TYPE_ANNOUNCE:
		err = pmesh_announce_parse(payload, f->len, &a);
		if (err == PMESH_FRAME_OK)
			FUZZ_ASSERT(f->len == PMESH_ANNOUNCE_LEN &&
				    a.timeout_ms > a.interval_ms,
				    "announce %u %u", a.interval_ms,
				    a.timeout_ms);
		return err;
	case PMESH_TYPE_PEERS:
		err = pmesh_px_parse(payload, f->len, &px);
		if (err == PMESH_FRAME_OK)
			FUZZ_ASSERT(f->len >= PMESH_PX_HDR_LEN &&
				    f->len <= PMESH_PX_MAX_LEN, "px %u", f->len);
		return err;
	case PMESH_TYPE_TREE:
		err = pmesh_tr_parse(payload, f->len, tree);
		if (err == PMESH_FRAME_OK)
			FUZZ_ASSERT(f->len >= PMESH_TR_HDR_LEN +
					     PMESH_TR_ENTRY_LEN &&
				    f->len <= PMESH_TR_MAX_LEN, "tree %u",
				    f->len);
		return err;
	case PMESH_TYPE_DATA:
		return PMESH_FRAME_OK;
	}
	FUZZ_ASSERT(0, "type %u accepted", f->type);
	return PMESH_FRAME_TYPE;
}

/* What the next node receives when this one forwards the frame. */
static void assert_forward(const u8 *buf, size_t size,
			   const struct pmesh_frame *f,
			   enum pmesh_frame_error verdict)
{
	size_t cut = f->hdr_len - PMESH_HDR_LEN, n = size - cut;
	u8 *copy = malloc(size), *next;
	struct pmesh_frame g;

	FUZZ_ASSERT(copy, "out of memory");
	memcpy(copy, buf, size);
	memmove(copy + cut, copy, PMESH_HDR_LEN);
	next = copy + cut;
	next[3] = PMESH_HDR_LEN / 4;
	pmesh_frame_set_hop(next, f->ttl - 1, f->hops + 1, THIS_NODE);

	FUZZ_ASSERT(pmesh_frame_parse(next, n, &g) == PMESH_FRAME_OK,
		    "the forwarded copy is refused");
	FUZZ_ASSERT(g.hdr_len == PMESH_HDR_LEN && g.len == f->len &&
		    g.ttl == f->ttl - 1 && g.hops == f->hops + 1 &&
		    g.sender == THIS_NODE && g.type == f->type &&
		    g.channel == f->channel && g.mesh == f->mesh &&
		    g.origin == f->origin && g.epoch == f->epoch &&
		    g.seq == f->seq, "the forwarded copy changed");
	FUZZ_ASSERT(!memcmp(next + g.hdr_len, buf + f->hdr_len, f->len),
		    "the forwarded payload changed");
	FUZZ_ASSERT(payload_verdict(next, &g) == verdict,
		    "the next node judges the payload otherwise");
	free(copy);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	enum pmesh_frame_error verdict;
	struct pmesh_frame f;

	if (pmesh_frame_parse(data, size, &f) != PMESH_FRAME_OK)
		return 0;
	verdict = payload_verdict(data, &f);
	/* Hellos and exchanges go no further; a bad payload is dropped here. */
	if (f.type == PMESH_TYPE_HELLO || f.type == PMESH_TYPE_PEERS ||
	    f.type == PMESH_TYPE_TREE || verdict != PMESH_FRAME_OK ||
	    f.ttl <= 1)
		return 0;
	assert_forward(data, size, &f, verdict);
	return 0;
}
