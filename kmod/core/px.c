// SPDX-License-Identifier: GPL-2.0
/*
 * The peer-exchange codec. All fields are big-endian and read byte by byte.
 *
 *   0      1      2       3      4       5          6             8
 *   +------+------+-------+------+-------+----------+-------------+
 *   |  op  | walk |entries| flags|degree |max-neigh | reserved (0)|
 *   +------+------+-------+------+-------+----------+-------------+
 *   8: recipient node id (8)
 *   16: entries, 28 bytes each:
 *       node id (8), IPv6 or IPv4-mapped address (16), port (2), age, flags
 *
 * A JOIN carries one entry, the address and port it was sent to, and is
 * padded with zeros to PMESH_PX_MAX_LEN: the SAMPLE it may earn from a node
 * that does not know its sender is never larger (as QUIC pads its Initial
 * packets, RFC 9000 section 8.1).
 */
#include "bytes.h"
#include "px.h"

static const u8 v4mapped[12] = { [10] = 0xff, [11] = 0xff };

/**
 * pmesh_px_addr_is_v4() - is an exchanged address IPv4?
 * @addr: 16 bytes, IPv6 or IPv4-mapped
 *
 * Return: true if @addr is ::ffff:a.b.c.d, its last 4 bytes the IPv4 address.
 */
bool pmesh_px_addr_is_v4(const u8 *addr)
{
	return !memcmp(addr, v4mapped, sizeof(v4mapped));
}

/**
 * pmesh_px_addr_set_v4() - write an IPv4 address as an exchanged one
 * @addr: 16 bytes to write, ::ffff:a.b.c.d
 * @v4: the IPv4 address, 4 bytes in network order
 */
void pmesh_px_addr_set_v4(u8 *addr, const void *v4)
{
	memcpy(addr, v4mapped, sizeof(v4mapped));
	memcpy(addr + sizeof(v4mapped), v4, 4);
}

/**
 * pmesh_px_addr_ok() - may an exchanged address be tried?
 * @addr: an IPv6 address, or IPv4 as ::ffff:a.b.c.d
 *
 * Refused: unspecified, loopback, multicast, IPv6 link-local (it names no
 * interface) and, for IPv4, 0/8, 127/8, 224/4 and up (multicast, reserved,
 * broadcast). A node told of such an address would send hellos where no
 * member can be.
 *
 * Return: true if @addr may name a member.
 */
bool pmesh_px_addr_ok(const u8 *addr)
{
	static const u8 zero[16];

	if (pmesh_px_addr_is_v4(addr))
		return addr[12] != 0 && addr[12] != 127 && addr[12] < 224;
	if (!memcmp(addr, zero, 15))
		return false;	/* :: and ::1 */
	if (addr[0] == 0xff)
		return false;	/* multicast */
	if (addr[0] == 0xfe && (addr[1] & 0xc0) == 0x80)
		return false;	/* link-local */
	return true;
}

static bool zeros(const u8 *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

/**
 * pmesh_px_parse() - check a peer-exchange payload and read it
 * @p: the payload
 * @len: its length
 * @px: filled when the payload is good; partly written otherwise
 *
 * Every op has its size: a JOIN exactly PMESH_PX_MAX_LEN with one entry and
 * zeros after it, a WALK one entry, the others up to PMESH_PX_MAX_ENTRIES.
 * Refused: an unknown op, a walk on another op than WALK or past
 * PMESH_PX_MAX_WALK, an unknown flag, a reserved byte set, no recipient
 * on anything but a JOIN, an entry with node id 0, port 0, an address
 * pmesh_px_addr_ok() refuses or an unknown flag.
 *
 * Return: PMESH_FRAME_OK, or PMESH_FRAME_PX.
 */
enum pmesh_frame_error pmesh_px_parse(const u8 *p, size_t len,
				      struct pmesh_px *px)
{
	const u8 *e;
	size_t want;
	unsigned int i;

	if (len < PMESH_PX_HDR_LEN)
		return PMESH_FRAME_PX;
	px->op = p[0];
	px->walk = p[1];
	px->n = p[2];
	px->flags = p[3];
	px->degree = p[4];
	px->max_neigh = p[5];
	px->to = get64(p + 8);

	if (px->op < PMESH_PX_JOIN || px->op > PMESH_PX_DISCONNECT)
		return PMESH_FRAME_PX;
	if (px->n > PMESH_PX_MAX_ENTRIES || p[6] || p[7])
		return PMESH_FRAME_PX;
	if (px->flags & ~(px->op == PMESH_PX_JOIN ? PMESH_PX_PRIORITY : 0))
		return PMESH_FRAME_PX;
	if (px->op == PMESH_PX_WALK ? px->walk > PMESH_PX_MAX_WALK : px->walk)
		return PMESH_FRAME_PX;
	if ((px->op == PMESH_PX_JOIN || px->op == PMESH_PX_WALK) && px->n != 1)
		return PMESH_FRAME_PX;
	if (px->op != PMESH_PX_JOIN && !px->to)
		return PMESH_FRAME_PX;

	want = PMESH_PX_HDR_LEN + (size_t)px->n * PMESH_PX_ENTRY_LEN;
	if (px->op == PMESH_PX_JOIN) {
		if (len != PMESH_PX_MAX_LEN || !zeros(p + want, len - want))
			return PMESH_FRAME_PX;
	} else if (len != want) {
		return PMESH_FRAME_PX;
	}

	for (i = 0, e = p + PMESH_PX_HDR_LEN; i < px->n;
	     i++, e += PMESH_PX_ENTRY_LEN) {
		struct pmesh_px_entry *x = &px->e[i];

		x->id = get64(e);
		memcpy(x->addr, e + 8, sizeof(x->addr));
		x->port = get16(e + 24);
		x->age = e[26];
		x->flags = e[27];
		if (!x->id || !x->port || x->flags & ~PMESH_PX_NEIGH ||
		    !pmesh_px_addr_ok(x->addr))
			return PMESH_FRAME_PX;
	}
	return PMESH_FRAME_OK;
}

/**
 * pmesh_px_build() - write a peer-exchange payload
 * @p: room for PMESH_PX_MAX_LEN bytes
 * @px: what to write, as pmesh_px_parse() would take it
 *
 * Return: the payload's length: PMESH_PX_MAX_LEN for a JOIN (padded).
 */
size_t pmesh_px_build(u8 *p, const struct pmesh_px *px)
{
	unsigned int i, n = px->n;
	u8 *e;

	if (n > PMESH_PX_MAX_ENTRIES)
		n = PMESH_PX_MAX_ENTRIES;
	p[0] = px->op;
	p[1] = px->walk;
	p[2] = n;
	p[3] = px->flags;
	p[4] = px->degree;
	p[5] = px->max_neigh;
	p[6] = 0;
	p[7] = 0;
	put64(p + 8, px->to);
	for (i = 0, e = p + PMESH_PX_HDR_LEN; i < n;
	     i++, e += PMESH_PX_ENTRY_LEN) {
		put64(e, px->e[i].id);
		memcpy(e + 8, px->e[i].addr, sizeof(px->e[i].addr));
		put16(e + 24, px->e[i].port);
		e[26] = px->e[i].age;
		e[27] = px->e[i].flags;
	}
	if (px->op != PMESH_PX_JOIN)
		return e - p;
	memset(e, 0, p + PMESH_PX_MAX_LEN - e);
	return PMESH_PX_MAX_LEN;
}
