/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keyed meshes on the wire: the layout of a sealed frame's header, and the
 * pure pieces of sealing and opening that need no cipher: the nonce, the
 * associated data, the bytes the hop tag covers, and whether a frame is
 * fresh. Documentation/protocol.md ("Keyed meshes") is the specification.
 *
 * A sealed frame has PMESH_FLAG_AUTH set and a header of exactly
 * PMESH_AUTH_HDR_LEN bytes: the version 1 header, whose reserved word at
 * 28 carries the origin's clock ("sent at"), then
 *
 *   48  key fingerprint (8): which of the mesh's keys sealed it
 *   56  salt (8): random, drawn when the origin's sending state started
 *   64  hop tag (16): keyed BLAKE2s-128 of bytes 0..63 and the AEAD tag,
 *       written by every sender, the origin included
 *   80  the payload, XChaCha20-Poly1305 ciphertext, then its 16-byte tag;
 *       the header's payload length counts both
 *
 * Plain logic with no kernel-only calls: built into the module and into
 * userspace tests and fuzzers alike.
 */
#ifndef _PMESH_CORE_AUTH_H
#define _PMESH_CORE_AUTH_H

#include "frame.h"

#define PMESH_KEY_LEN		32
#define PMESH_KEY_FP_LEN	8
#define PMESH_AUTH_TAG_LEN	16	/* the AEAD's, after the ciphertext */
#define PMESH_HOP_TAG_LEN	16
#define PMESH_HOP_TAG_OFF	64	/* the hop tag covers the bytes before */
#define PMESH_AUTH_HDR_LEN	(PMESH_HOP_TAG_OFF + PMESH_HOP_TAG_LEN)
/* What sealing adds to a frame: the extension and the AEAD's tag. */
#define PMESH_AUTH_OVERHEAD	(PMESH_AUTH_HDR_LEN - PMESH_HDR_LEN + \
				 PMESH_AUTH_TAG_LEN)
#define PMESH_NONCE_LEN		24	/* XChaCha20-Poly1305 */
#define PMESH_AUTH_AD_LEN	PMESH_HOP_TAG_OFF
/*
 * A sealed frame's sequence number stops short of the nonce's type byte:
 * an origin seals nothing past 2^56 - 1 in one epoch.
 */
#define PMESH_AUTH_SEQ_BITS	56

/*
 * The clock of "sent at", as the epoch's: the wall clock in units of 2^26
 * ns (about 67 ms), truncated to 32 bits, compared as a serial number.
 */
#define PMESH_CLOCK_SHIFT	26

/**
 * struct pmesh_auth - a sealed frame's extension, in host byte order
 * @sent_at: the origin's clock when it sealed the frame
 * @key_fp: the fingerprint of the key it is sealed with
 * @salt: the origin's salt: with origin and sequence number, the nonce
 */
struct pmesh_auth {
	u32 sent_at;
	u64 key_fp;
	u64 salt;
};

enum pmesh_frame_error pmesh_auth_parse(const u8 *buf,
					const struct pmesh_frame *f,
					struct pmesh_auth *a);
void pmesh_auth_build(u8 *buf, const struct pmesh_auth *a);
void pmesh_auth_nonce(u8 *nonce, const struct pmesh_frame *f, u64 salt);
void pmesh_auth_ad(u8 *ad, const u8 *hdr);
bool pmesh_auth_fresh(u32 sent_at, u32 now, u32 window, u32 skew,
		      const u32 *floor);

#endif /* _PMESH_CORE_AUTH_H */
