// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: a sealed frame's header (kmod/core/auth.c) over arbitrary
 * bytes: pmesh_auth_parse() after pmesh_frame_parse(), and the nonce and
 * associated data of what parses.
 *
 * Asserted for every input whose version 1 header parses: the extension is
 * good if and only if the flag is set, the header is exactly
 * PMESH_AUTH_HDR_LEN bytes, the payload holds at least its AEAD tag and
 * the sequence number is below 2^56; the fields read are the bytes at
 * their offsets; pmesh_auth_build() writes them back byte for byte; the
 * nonce is origin, salt and the little-endian (type << 56 | seq); the
 * associated data is the header up to the hop tag with ttl, hops and
 * sender zeroed.
 */
#include "fuzz.h"
#include "auth.h"

static u8 buf[PMESH_HDR_MAX_LEN + 65536];

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u8 nonce[PMESH_NONCE_LEN], ad[PMESH_AUTH_AD_LEN], out[PMESH_AUTH_HDR_LEN];
	enum pmesh_frame_error err;
	struct pmesh_frame f;
	struct pmesh_auth a;
	bool flagged, good;

	if (size < PMESH_HDR_LEN || size > sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	if (pmesh_frame_parse(buf, size, &f) != PMESH_FRAME_OK)
		return 0;
	flagged = f.flags & PMESH_FLAG_AUTH;

	err = pmesh_auth_parse(buf, &f, &a);
	good = flagged && f.hdr_len == PMESH_AUTH_HDR_LEN &&
	       f.len >= PMESH_AUTH_TAG_LEN && !(f.seq >> 56);
	if (!good) {
		FUZZ_ASSERT(err == PMESH_FRAME_AUTH, "verdict %d", err);
		return 0;
	}
	FUZZ_ASSERT(err == PMESH_FRAME_OK, "a good extension refused: %d", err);
	FUZZ_ASSERT(a.sent_at == fuzz_be(data + 28, 4), "%x", a.sent_at);
	FUZZ_ASSERT(a.key_fp == fuzz_be(data + 48, 8), "%llx",
		    (unsigned long long)a.key_fp);
	FUZZ_ASSERT(a.salt == fuzz_be(data + 56, 8), "%llx",
		    (unsigned long long)a.salt);

	/* Built again on the same header: the same bytes, hop tag zeroed. */
	memcpy(out, data, PMESH_HDR_LEN);
	pmesh_auth_build(out, &a);
	FUZZ_ASSERT(!memcmp(out, data, PMESH_HOP_TAG_OFF),
		    "the extension built again differs");
	for (int i = PMESH_HOP_TAG_OFF; i < PMESH_AUTH_HDR_LEN; i++)
		FUZZ_ASSERT(!out[i], "hop tag byte %d not zeroed", i);

	pmesh_auth_nonce(nonce, &f, a.salt);
	FUZZ_ASSERT(fuzz_be(nonce, 8) == f.origin, "nonce origin");
	FUZZ_ASSERT(fuzz_be(nonce + 8, 8) == a.salt, "nonce salt");
	for (int i = 0; i < 8; i++) {
		u64 last = (u64)f.type << 56 | f.seq;

		FUZZ_ASSERT(nonce[16 + i] == (u8)(last >> (8 * i)),
			    "nonce byte %d", 16 + i);
	}

	pmesh_auth_ad(ad, data);
	for (int i = 0; i < PMESH_AUTH_AD_LEN; i++) {
		bool hop = i == 4 || i == 5 || (i >= 40 && i < 48);

		FUZZ_ASSERT(ad[i] == (hop ? 0 : data[i]), "ad byte %d", i);
	}
	return 0;
}
