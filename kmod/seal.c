// SPDX-License-Identifier: GPL-2.0
/*
 * Sealing and opening the frames of a keyed mesh.
 *
 * End to end, the origin seals the payload with XChaCha20-Poly1305 under
 * the mesh's seal key: nonce and associated data come from core/auth.c.
 * From hop to hop, every sender writes a hop tag, keyed BLAKE2s-128 under
 * the hop key over the header before the tag and the AEAD's tag: it covers
 * the fields a relay rewrites (ttl, hops, sender), which the end-to-end
 * seal leaves out.
 *
 * XChaCha20-Poly1305 is ChaCha20-Poly1305 under a subkey, HChaCha20 of the
 * key and the nonce's first 16 bytes, with the nonce's last 8 as its
 * counter-side nonce: that is how a frame in pages is sealed and opened in
 * place, with the library's scatterlist functions, as WireGuard does. A
 * relay that delivers nothing only verifies: it computes the Poly1305 tag
 * without decrypting, and forwards the ciphertext.
 */
#include <crypto/algapi.h>
#include <crypto/blake2s.h>
#include <crypto/chacha.h>
#include <crypto/chacha20poly1305.h>
#include <crypto/poly1305.h>
#include <linux/scatterlist.h>
#include <linux/unaligned.h>

#include "key.h"
#include "seal.h"

/*
 * The scatterlist of a frame lives on the stack, in softirq. skb_cow_data()
 * leaves one piece, or one per skb of a frag list: a frame in more pieces
 * than this is made linear first.
 */
#define PMESH_SEAL_MAX_SG	4

/**
 * struct pmesh_seal_ctx - what sealing or opening one frame needs
 * @subkey: HChaCha20 of the seal key and the nonce's first 16 bytes
 * @nonce: the nonce's last 8 bytes, as the library takes them
 * @ad: the associated data
 */
struct pmesh_seal_ctx {
	u8 subkey[CHACHA20POLY1305_KEY_SIZE];
	u64 nonce;
	u8 ad[PMESH_AUTH_AD_LEN];
};

static void pmesh_seal_ctx_init(struct pmesh_seal_ctx *c,
				const struct pmesh_key *key, const u8 *hdr,
				const struct pmesh_frame *f, u64 salt)
{
	u32 state[CHACHA_STATE_WORDS];
	u8 nonce[PMESH_NONCE_LEN];
	u32 k[CHACHA_KEY_SIZE / 4];
	int i;

	pmesh_auth_nonce(nonce, f, salt);
	for (i = 0; i < ARRAY_SIZE(k); i++)
		k[i] = get_unaligned_le32(key->seal + 4 * i);
	chacha_init(state, k, nonce);
	hchacha_block(state, k, 20);
	for (i = 0; i < ARRAY_SIZE(k); i++)
		put_unaligned_le32(k[i], c->subkey + 4 * i);
	c->nonce = get_unaligned_le64(nonce + 16);
	pmesh_auth_ad(c->ad, hdr);

	memzero_explicit(state, sizeof(state));
	memzero_explicit(k, sizeof(k));
}

static void pmesh_seal_ctx_wipe(struct pmesh_seal_ctx *c)
{
	memzero_explicit(c, sizeof(*c));
}

/*
 * Map @len bytes of @skb from @off, which its owner may write, for the
 * library's in-place functions; @tail more bytes are added at its end
 * first. Return: the number of entries, or a negative errno.
 */
static int pmesh_seal_map(struct sk_buff *skb, struct scatterlist *sg,
			  int off, int len, int tail)
{
	struct sk_buff *trailer;
	int n;

	n = skb_cow_data(skb, tail, &trailer);
	if (n < 0)
		return n;
	if (n > PMESH_SEAL_MAX_SG) {
		if (skb_linearize(skb))
			return -ENOMEM;
		n = skb_cow_data(skb, tail, &trailer);
		if (n < 0)
			return n;
		if (WARN_ON_ONCE(n > PMESH_SEAL_MAX_SG))
			return -EINVAL;
	}
	if (tail)
		pskb_put(skb, trailer, tail);
	sg_init_table(sg, n);
	return skb_to_sgvec(skb, sg, off, len);
}

/**
 * pmesh_seal() - seal a frame of this node's
 * @key: the key to seal with
 * @skb: the frame, skb->data at its header of PMESH_AUTH_HDR_LEN bytes, as
 *	pmesh_frame_build() and pmesh_auth_build() wrote it, then the
 *	plaintext; not shared with anyone
 * @f: the header, @f->len counting the tag this adds
 * @salt: this node's salt
 *
 * The plaintext is encrypted in place and its tag appended. The hop tag is
 * not written: pmesh_seal_hop() does, for this hop.
 *
 * Context: BH disabled.
 * Return: 0, or a negative errno (out of memory); @skb is then the
 * caller's to free.
 */
int pmesh_seal(const struct pmesh_key *key, struct sk_buff *skb,
	       const struct pmesh_frame *f, u64 salt)
{
	struct scatterlist sg[PMESH_SEAL_MAX_SG];
	unsigned int len = f->len - PMESH_AUTH_TAG_LEN;
	struct pmesh_seal_ctx c;
	int n;

	if (WARN_ON_ONCE(skb->len != PMESH_AUTH_HDR_LEN + len))
		return -EINVAL;
	n = pmesh_seal_map(skb, sg, PMESH_AUTH_HDR_LEN, f->len,
			   PMESH_AUTH_TAG_LEN);
	if (n < 0)
		return n;
	pmesh_seal_ctx_init(&c, key, skb->data, f, salt);
	chacha20poly1305_encrypt_sg_inplace(sg, len, c.ad, sizeof(c.ad),
					    c.nonce, c.subkey);
	pmesh_seal_ctx_wipe(&c);
	return 0;
}

/* The hop tag of a frame as it is now, into @tag. */
static void pmesh_seal_hop_tag(const struct pmesh_key *key,
			       const struct sk_buff *skb,
			       const struct pmesh_frame *f, u8 *tag)
{
	u8 in[PMESH_HOP_TAG_OFF + PMESH_AUTH_TAG_LEN];

	memcpy(in, skb->data, PMESH_HOP_TAG_OFF);
	/* Within the frame: the caller checked f->len and pulled the header. */
	if (skb_copy_bits(skb, f->hdr_len + f->len - PMESH_AUTH_TAG_LEN,
			  in + PMESH_HOP_TAG_OFF, PMESH_AUTH_TAG_LEN))
		memset(in + PMESH_HOP_TAG_OFF, 0, PMESH_AUTH_TAG_LEN);
	blake2s(tag, in, key->hop, PMESH_HOP_TAG_LEN, sizeof(in),
		sizeof(key->hop));
}

/**
 * pmesh_seal_hop() - write the hop tag of a frame this node sends
 * @key: the key the frame is sealed with
 * @skb: the sealed frame, its header in the linear part and writable, with
 *	this hop's ttl, hops and sender
 * @f: its header
 */
void pmesh_seal_hop(const struct pmesh_key *key, struct sk_buff *skb,
		    const struct pmesh_frame *f)
{
	pmesh_seal_hop_tag(key, skb, f, skb->data + PMESH_HOP_TAG_OFF);
}

/**
 * pmesh_seal_hop_ok() - whether a received frame's hop tag is good
 * @key: the key the frame names
 * @skb: the frame, its header in the linear part
 * @f: its header, parsed, PMESH_FLAG_AUTH set and its length checked
 *
 * Return: true if the last hop holds @key and wrote the header as it is.
 */
bool pmesh_seal_hop_ok(const struct pmesh_key *key, const struct sk_buff *skb,
		       const struct pmesh_frame *f)
{
	u8 tag[PMESH_HOP_TAG_LEN];
	bool ok;

	pmesh_seal_hop_tag(key, skb, f, tag);
	ok = !crypto_memneq(tag, skb->data + PMESH_HOP_TAG_OFF, sizeof(tag));
	memzero_explicit(tag, sizeof(tag));
	return ok;
}

/* Feed @len bytes of @skb from @off to @poly, wherever they lie. */
static void pmesh_seal_poly_skb(struct poly1305_desc_ctx *poly,
				const struct sk_buff *skb, int off, int len)
{
	u8 buf[256];
	const u8 *p;
	int n;

	if (off + len <= skb_headlen(skb)) {
		poly1305_update(poly, skb->data + off, len);
		return;
	}
	while (len > 0) {
		n = min_t(int, len, sizeof(buf));
		p = skb_header_pointer(skb, off, n, buf);
		if (WARN_ON_ONCE(!p))
			return;
		poly1305_update(poly, p, n);
		off += n;
		len -= n;
	}
}

/**
 * pmesh_seal_verify() - whether a received frame's payload is the origin's
 * @key: the key the frame names
 * @skb: the frame, its header in the linear part
 * @f: its header, its length checked
 * @salt: the salt of its extension
 *
 * Computes the AEAD's Poly1305 tag without decrypting (what
 * chacha20poly1305_decrypt() computes before it decrypts), for a relay
 * that forwards the ciphertext and delivers nothing.
 *
 * Return: true if the tag matches.
 */
bool pmesh_seal_verify(const struct pmesh_key *key, const struct sk_buff *skb,
		       const struct pmesh_frame *f, u64 salt)
{
	static const u8 pad0[16];
	unsigned int len = f->len - PMESH_AUTH_TAG_LEN;
	struct poly1305_desc_ctx poly;
	u32 state[CHACHA_STATE_WORDS];
	u32 k[CHACHA_KEY_SIZE / 4];
	struct pmesh_seal_ctx c;
	__le64 iv[2];
	union {
		u8 block0[POLY1305_KEY_SIZE];
		u8 mac[POLY1305_DIGEST_SIZE];
		__le64 lens[2];
	} b = {};
	u8 tag[POLY1305_DIGEST_SIZE];
	bool ok;
	int i;

	pmesh_seal_ctx_init(&c, key, skb->data, f, salt);
	for (i = 0; i < ARRAY_SIZE(k); i++)
		k[i] = get_unaligned_le32(c.subkey + 4 * i);
	iv[0] = 0;
	iv[1] = cpu_to_le64(c.nonce);
	chacha_init(state, k, (u8 *)iv);
	chacha20_crypt(state, b.block0, b.block0, sizeof(b.block0));
	poly1305_init(&poly, b.block0);

	poly1305_update(&poly, c.ad, sizeof(c.ad));	/* a multiple of 16 */
	pmesh_seal_poly_skb(&poly, skb, f->hdr_len, len);
	if (len & 0xf)
		poly1305_update(&poly, pad0, 0x10 - (len & 0xf));
	b.lens[0] = cpu_to_le64(sizeof(c.ad));
	b.lens[1] = cpu_to_le64(len);
	poly1305_update(&poly, (u8 *)b.lens, sizeof(b.lens));
	poly1305_final(&poly, b.mac);

	ok = !skb_copy_bits(skb, f->hdr_len + len, tag, sizeof(tag)) &&
	     !crypto_memneq(b.mac, tag, sizeof(tag));

	memzero_explicit(&b, sizeof(b));
	memzero_explicit(state, sizeof(state));
	memzero_explicit(k, sizeof(k));
	pmesh_seal_ctx_wipe(&c);
	return ok;
}

/**
 * pmesh_seal_open() - open a received frame in place
 * @key: the key the frame names
 * @skb: the frame, its header in the linear part; this node's to write
 * @f: its header, its length checked
 * @salt: the salt of its extension
 *
 * On success the payload is the plaintext and the AEAD's tag is gone;
 * on failure the payload is garbage and the frame must be dropped.
 *
 * Return: 0, -EBADMSG if the frame is not the origin's, or another
 * negative errno (out of memory).
 */
int pmesh_seal_open(const struct pmesh_key *key, struct sk_buff *skb,
		    const struct pmesh_frame *f, u64 salt)
{
	struct scatterlist sg[PMESH_SEAL_MAX_SG];
	unsigned int len = f->len - PMESH_AUTH_TAG_LEN;
	struct pmesh_seal_ctx c;
	bool ok;
	int n;

	if (pskb_trim(skb, f->hdr_len + f->len))
		return -ENOMEM;
	n = pmesh_seal_map(skb, sg, f->hdr_len, f->len, 0);
	if (n < 0)
		return n;
	pmesh_seal_ctx_init(&c, key, skb->data, f, salt);
	ok = chacha20poly1305_decrypt_sg_inplace(sg, f->len, c.ad,
						 sizeof(c.ad), c.nonce,
						 c.subkey);
	pmesh_seal_ctx_wipe(&c);
	if (!ok)
		return -EBADMSG;
	return pskb_trim(skb, f->hdr_len + len) ? -ENOMEM : 0;
}

/**
 * pmesh_seal_open_small() - open a small received payload into a buffer
 * @key: the key the frame names
 * @skb: the frame, header and payload in the linear part
 * @f: its header, its length checked
 * @salt: the salt of its extension
 * @out: where the plaintext goes
 * @size: the size of @out; a plaintext of another size is refused
 *
 * For control frames (hellos, announcements), whose payloads are a few
 * bytes and go no further than this node's tables.
 *
 * Return: true if the frame opened, with @size bytes of plaintext.
 */
bool pmesh_seal_open_small(const struct pmesh_key *key,
			   const struct sk_buff *skb,
			   const struct pmesh_frame *f, u64 salt, u8 *out,
			   size_t size)
{
	u8 nonce[PMESH_NONCE_LEN];
	u8 ad[PMESH_AUTH_AD_LEN];

	if (f->len != size + PMESH_AUTH_TAG_LEN ||
	    skb_headlen(skb) < f->hdr_len + f->len)
		return false;
	pmesh_auth_nonce(nonce, f, salt);
	pmesh_auth_ad(ad, skb->data);
	return xchacha20poly1305_decrypt(out, skb->data + f->hdr_len, f->len,
					 ad, sizeof(ad), nonce, key->seal);
}
