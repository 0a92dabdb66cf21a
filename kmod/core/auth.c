// SPDX-License-Identifier: GPL-2.0
/*
 * The parts of keyed meshes that need no cipher: the sealed header's
 * extension, the nonce, the associated data and freshness. The module
 * seals and opens with them (XChaCha20-Poly1305, keyed BLAKE2s); the
 * tests and fuzzers check them without a kernel.
 */
#include "auth.h"
#include "bytes.h"

/**
 * pmesh_auth_parse() - read and check a sealed frame's extension
 * @buf: the frame; its header was checked by pmesh_frame_parse(), so
 *	@f->hdr_len bytes are there
 * @f: the frame's header, with PMESH_FLAG_AUTH set
 * @a: the extension, filled when it is good
 *
 * Return: PMESH_FRAME_OK, or PMESH_FRAME_AUTH for a header of another
 * length than PMESH_AUTH_HDR_LEN (the hop tag must cover all of it), a
 * payload shorter than its tag, or a sequence number no origin seals.
 */
enum pmesh_frame_error pmesh_auth_parse(const u8 *buf,
					const struct pmesh_frame *f,
					struct pmesh_auth *a)
{
	if (!(f->flags & PMESH_FLAG_AUTH) || f->hdr_len != PMESH_AUTH_HDR_LEN ||
	    f->len < PMESH_AUTH_TAG_LEN || f->seq >> PMESH_AUTH_SEQ_BITS)
		return PMESH_FRAME_AUTH;
	a->sent_at = get32(buf + 28);
	a->key_fp = get64(buf + 48);
	a->salt = get64(buf + 56);
	return PMESH_FRAME_OK;
}

/**
 * pmesh_auth_build() - write a sealed frame's extension
 * @buf: a header written by pmesh_frame_build(), with room for
 *	PMESH_AUTH_HDR_LEN bytes; its flags and header length are set here
 * @a: the extension
 *
 * The hop tag is zeroed: each sender writes its own.
 */
void pmesh_auth_build(u8 *buf, const struct pmesh_auth *a)
{
	buf[2] |= PMESH_FLAG_AUTH;
	buf[3] = PMESH_AUTH_HDR_LEN / 4;
	put32(buf + 28, a->sent_at);
	put64(buf + 48, a->key_fp);
	put64(buf + 56, a->salt);
	memset(buf + PMESH_HOP_TAG_OFF, 0, PMESH_HOP_TAG_LEN);
}

static void put64le(u8 *p, u64 v)
{
	for (int i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

/**
 * pmesh_auth_nonce() - the nonce a frame is sealed with
 * @nonce: PMESH_NONCE_LEN bytes
 * @f: the frame's header
 * @salt: the origin's salt
 *
 * origin || salt || (type << 56 | seq), the last 8 bytes little-endian as
 * ChaCha20 reads its counter-side nonce. Unique under one key as long as
 * no origin draws the same salt twice: 64 random bits per start of its
 * sending state, which starts again before its sequence numbers reach
 * 2^56.
 */
void pmesh_auth_nonce(u8 *nonce, const struct pmesh_frame *f, u64 salt)
{
	put64(nonce, f->origin);
	put64(nonce + 8, salt);
	put64le(nonce + 16, (u64)f->type << PMESH_AUTH_SEQ_BITS | f->seq);
}

/**
 * pmesh_auth_ad() - the associated data of the end-to-end seal
 * @ad: PMESH_AUTH_AD_LEN bytes
 * @hdr: the sealed frame's header
 *
 * The header up to the hop tag, with the fields each hop rewrites (ttl,
 * hops, sender) zeroed: the origin's seal holds from end to end, and the
 * hop tag covers those fields from hop to hop.
 */
void pmesh_auth_ad(u8 *ad, const u8 *hdr)
{
	memcpy(ad, hdr, PMESH_AUTH_AD_LEN);
	ad[4] = 0;
	ad[5] = 0;
	memset(ad + 40, 0, 8);
}

/**
 * pmesh_auth_fresh() - whether a sealed frame is young enough to take
 * @sent_at: when its origin sealed it, by the origin's clock
 * @now: this node's clock
 * @window: the oldest a frame may be (origin-timeout less the skew)
 * @skew: how far two nodes' clocks may differ
 * @floor: NULL, or the floor: this node's clock when its mesh began to
 *	take sealed frames (or before its clock stepped back), while the
 *	mesh is younger than the window and the skew
 *
 * All in units of 2^PMESH_CLOCK_SHIFT ns, compared as serial numbers;
 * @window and @skew are below 2^30. A frame is taken from @skew ahead of
 * @now to @window behind it. With a floor, only if it was sealed more than
 * @skew after the floor: the frames this node took before, which a
 * restart made it forget, were sealed no later than the floor plus the
 * skew.
 */
bool pmesh_auth_fresh(u32 sent_at, u32 now, u32 window, u32 skew,
		      const u32 *floor)
{
	s32 age = (s32)(now - sent_at);

	if (age > (s32)window || age < -(s32)skew)
		return false;
	return !floor || (s32)(sent_at - *floor) > (s32)skew;
}
