// SPDX-License-Identifier: GPL-2.0
/*
 * The pmesh frame codec. All fields are big-endian and read byte by byte,
 * so that no alignment of the packet is assumed.
 *
 *   0      1      2      3      4      5      6             8
 *   +------+------+------+------+------+------+-------------+
 *   | ver  | type | flags| words| ttl  | hops |  channel    |
 *   +------+------+------+------+------+------+-------------+
 *   8                           12            14            16
 *   +---------------------------+-------------+-------------+
 *   |          mesh id          | payload len |  reserved   |
 *   +---------------------------+-------------+-------------+
 *   16: origin node id (8)      24: epoch (4)  28: reserved (4)
 *   32: sequence number (8)     40: sender node id (8)
 *   48: payload (payload len bytes)
 */
#include "bytes.h"
#include "frame.h"

/**
 * pmesh_frame_parse() - check a frame and read its header
 * @buf: the frame, from its first header byte
 * @len: bytes in @buf: the whole UDP payload
 * @f: the header, filled when the frame is good
 *
 * Return: PMESH_FRAME_OK, or why the frame must be dropped.
 */
enum pmesh_frame_error pmesh_frame_parse(const u8 *buf, size_t len,
					 struct pmesh_frame *f)
{
	if (len < PMESH_HDR_LEN)
		return PMESH_FRAME_SHORT;

	f->version = buf[0];
	f->type = buf[1];
	f->flags = buf[2];
	f->hdr_len = buf[3] * 4;
	f->ttl = buf[4];
	f->hops = buf[5];
	f->channel = get16(buf + 6);
	f->mesh = get32(buf + 8);
	f->len = get16(buf + 12);
	f->origin = get64(buf + 16);
	f->epoch = get32(buf + 24);
	f->seq = get64(buf + 32);
	f->sender = get64(buf + 40);

	if (f->version != PMESH_VERSION)
		return PMESH_FRAME_VERSION;
	if (f->hdr_len < PMESH_HDR_LEN || f->hdr_len > len)
		return PMESH_FRAME_HDR_LEN;
	if (f->type >= PMESH_TYPES)
		return PMESH_FRAME_TYPE;
	if (f->flags & ~PMESH_FLAGS_KNOWN)
		return PMESH_FRAME_FLAGS;
	if ((size_t)f->hdr_len + f->len != len)
		return PMESH_FRAME_LENGTH;
	if (!f->ttl || !f->hops || f->ttl + f->hops > 256)
		return PMESH_FRAME_HOPS;
	if (!f->origin || !f->sender)
		return PMESH_FRAME_NODE;
	return PMESH_FRAME_OK;
}

/**
 * pmesh_frame_build() - write a version 1 header
 * @buf: PMESH_HDR_LEN bytes
 * @f: the fields; @f->version, @f->hdr_len and the reserved fields are
 *	written as version 1 wants them, whatever @f says
 */
void pmesh_frame_build(u8 *buf, const struct pmesh_frame *f)
{
	memset(buf, 0, PMESH_HDR_LEN);
	buf[0] = PMESH_VERSION;
	buf[1] = f->type;
	buf[2] = f->flags;
	buf[3] = PMESH_HDR_LEN / 4;
	buf[4] = f->ttl;
	buf[5] = f->hops;
	put16(buf + 6, f->channel);
	put32(buf + 8, f->mesh);
	put16(buf + 12, f->len);
	put64(buf + 16, f->origin);
	put32(buf + 24, f->epoch);
	put64(buf + 32, f->seq);
	put64(buf + 40, f->sender);
}

/**
 * pmesh_frame_set_hop() - rewrite the per-hop fields of a header
 * @buf: the header
 * @ttl: new ttl
 * @hops: new hop count
 * @sender: this node, the new last hop
 */
void pmesh_frame_set_hop(u8 *buf, u8 ttl, u8 hops, u64 sender)
{
	buf[4] = ttl;
	buf[5] = hops;
	put64(buf + 40, sender);
}

/**
 * pmesh_hello_parse() - read and check a hello's payload
 * @payload: the payload
 * @len: its length
 * @hello_ms: the sender's hello interval
 * @dead_ms: the sender's dead interval
 *
 * Return: PMESH_FRAME_OK, or PMESH_FRAME_HELLO for a payload of the wrong
 * size or intervals no node would use.
 */
enum pmesh_frame_error pmesh_hello_parse(const u8 *payload, size_t len,
					 u32 *hello_ms, u32 *dead_ms)
{
	if (len != PMESH_HELLO_LEN)
		return PMESH_FRAME_HELLO;
	*hello_ms = get32(payload);
	*dead_ms = get32(payload + 4);
	if (*hello_ms < PMESH_HELLO_INTERVAL_MIN ||
	    *hello_ms > PMESH_HELLO_INTERVAL_MAX ||
	    *dead_ms <= *hello_ms || *dead_ms > PMESH_DEAD_INTERVAL_MAX)
		return PMESH_FRAME_HELLO;
	return PMESH_FRAME_OK;
}

/**
 * pmesh_hello_build() - write a hello's payload
 * @payload: PMESH_HELLO_LEN bytes
 * @hello_ms: this node's hello interval
 * @dead_ms: this node's dead interval
 */
void pmesh_hello_build(u8 *payload, u32 hello_ms, u32 dead_ms)
{
	put32(payload, hello_ms);
	put32(payload + 4, dead_ms);
}

/**
 * pmesh_announce_parse() - read and check an announcement's payload
 * @payload: the payload
 * @len: its length
 * @a: the announcement, filled when it is good
 *
 * Return: PMESH_FRAME_OK, or PMESH_FRAME_ANNOUNCE for a payload of the wrong
 * size, unknown flags, or times no node would announce: an interval out of
 * [PMESH_ANNOUNCE_INTERVAL_MIN, PMESH_ANNOUNCE_STRETCH_MAX], or a timeout
 * not longer than the interval or more than four times it.
 */
enum pmesh_frame_error pmesh_announce_parse(const u8 *payload, size_t len,
					    struct pmesh_announce *a)
{
	if (len != PMESH_ANNOUNCE_LEN)
		return PMESH_FRAME_ANNOUNCE;
	a->interval_ms = get32(payload);
	a->timeout_ms = get32(payload + 4);
	a->flags = payload[8];
	if (a->flags & ~PMESH_ANNOUNCE_GOODBYE || payload[9] || payload[10] ||
	    payload[11])
		return PMESH_FRAME_ANNOUNCE;
	if (a->interval_ms < PMESH_ANNOUNCE_INTERVAL_MIN ||
	    a->interval_ms > PMESH_ANNOUNCE_STRETCH_MAX ||
	    a->timeout_ms <= a->interval_ms ||
	    a->timeout_ms > (u64)a->interval_ms * 4)
		return PMESH_FRAME_ANNOUNCE;
	return PMESH_FRAME_OK;
}

/**
 * pmesh_announce_build() - write an announcement's payload
 * @payload: PMESH_ANNOUNCE_LEN bytes
 * @a: the announcement
 */
void pmesh_announce_build(u8 *payload, const struct pmesh_announce *a)
{
	put32(payload, a->interval_ms);
	put32(payload + 4, a->timeout_ms);
	payload[8] = a->flags;
	payload[9] = 0;
	payload[10] = 0;
	payload[11] = 0;
}

/**
 * pmesh_frame_mesh() - the mesh id of a frame not yet parsed
 * @buf: at least PMESH_HDR_LEN bytes of the frame
 *
 * Return: the mesh id field, to find the mesh that will parse the frame.
 */
u32 pmesh_frame_mesh(const u8 *buf)
{
	return get32(buf + 8);
}
