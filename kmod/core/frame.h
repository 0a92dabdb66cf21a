/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pmesh frame header: its layout on the wire, every value a receiver
 * checks, and the codec. Documentation/protocol.md explains each field.
 *
 * Plain logic with no kernel-only calls: built into the module and into
 * userspace tests and fuzzers alike.
 */
#ifndef _PMESH_CORE_FRAME_H
#define _PMESH_CORE_FRAME_H

#include "compat.h"
#include <linux/pmesh_netlink.h>	/* the limits, named once in the YNL spec */

#define PMESH_VERSION		1

/* Frame types. */
#define PMESH_TYPE_DATA		0
#define PMESH_TYPE_HELLO	1	/* liveness and beacons, never forwarded */
#define PMESH_TYPE_ANNOUNCE	2	/* a node announces itself, flooded */
#define PMESH_TYPE_PEERS	3	/* peer exchange (core/px.h), to one neighbour */
#define PMESH_TYPE_TREE		4	/* broadcast tree (core/tree.h), to one neighbour */
#define PMESH_TYPES		5

/*
 * A hello's payload: the sender's hello and dead intervals, in ms, within
 * PMESH_HELLO_INTERVAL_MIN..PMESH_HELLO_INTERVAL_MAX and up to
 * PMESH_DEAD_INTERVAL_MAX.
 */
#define PMESH_HELLO_LEN		8

/*
 * An announcement's payload: the sender's interval between announcements
 * (PMESH_ANNOUNCE_INTERVAL_MIN..PMESH_ANNOUNCE_STRETCH_MAX) and how long
 * others keep it without one, in ms, and flags.
 */
#define PMESH_ANNOUNCE_LEN	12
#define PMESH_ANNOUNCE_GOODBYE	0x01	/* the sender leaves the mesh */

/*
 * Flags a receiver must understand; a frame with any other bit set is
 * dropped. PMESH_FLAG_AUTH marks a sealed frame (core/auth.h): a keyed
 * mesh takes nothing else, a key-less one counts it as auth-fail.
 */
#define PMESH_FLAG_AUTH		0x01
#define PMESH_FLAGS_KNOWN	PMESH_FLAG_AUTH

/* Size of the version 1 header; hdr_words may announce a longer one. */
#define PMESH_HDR_LEN		48
#define PMESH_HDR_MAX_LEN	(255 * 4)

/**
 * struct pmesh_frame - a frame header in host byte order
 * @version: PMESH_VERSION
 * @type: PMESH_TYPE_*
 * @flags: PMESH_FLAG_*
 * @hdr_len: header length in bytes, a multiple of 4, at least PMESH_HDR_LEN
 * @ttl: links the frame may still cross, counting the one it is on (>= 1)
 * @hops: links the frame has crossed, counting the one it is on (>= 1)
 * @channel: the channel it is sent to
 * @mesh: the mesh id
 * @len: payload length in bytes
 * @origin: node id of the node that first sent it
 * @epoch: the origin's epoch: newer after the origin restarts
 * @seq: the origin's sequence number within @epoch
 * @sender: node id of the node that sent this copy (the last hop)
 */
struct pmesh_frame {
	u8 version;
	u8 type;
	u8 flags;
	u16 hdr_len;
	u8 ttl;
	u8 hops;
	u16 channel;
	u32 mesh;
	u16 len;
	u64 origin;
	u32 epoch;
	u64 seq;
	u64 sender;
};

/* Why a frame was refused; each is counted as malformed by the caller. */
enum pmesh_frame_error {
	PMESH_FRAME_OK = 0,
	PMESH_FRAME_SHORT,	/* shorter than a header */
	PMESH_FRAME_VERSION,	/* unknown version */
	PMESH_FRAME_HDR_LEN,	/* header length below the minimum or past the end */
	PMESH_FRAME_TYPE,	/* unknown type */
	PMESH_FRAME_FLAGS,	/* a flag this node does not understand */
	PMESH_FRAME_LENGTH,	/* payload length disagrees with the packet */
	PMESH_FRAME_HOPS,	/* ttl or hops zero, or their sum past 256 */
	PMESH_FRAME_NODE,	/* origin or sender 0 */
	PMESH_FRAME_HELLO,	/* a hello of the wrong size or absurd intervals */
	PMESH_FRAME_ANNOUNCE,	/* an announcement of the wrong size or absurd times */
	PMESH_FRAME_AUTH,	/* a sealed frame's header or payload too short or long */
	PMESH_FRAME_PX,		/* a peer-exchange payload with a bad size or value */
	PMESH_FRAME_TREE,	/* a tree frame with a bad size or value */
};

/**
 * struct pmesh_announce - an announcement's payload in host byte order
 * @interval_ms: the sender announces itself at least this often
 * @timeout_ms: forget the sender after this long without an announcement
 * @flags: PMESH_ANNOUNCE_*
 */
struct pmesh_announce {
	u32 interval_ms;
	u32 timeout_ms;
	u8 flags;
};

enum pmesh_frame_error pmesh_frame_parse(const u8 *buf, size_t len,
					 struct pmesh_frame *f);
void pmesh_frame_build(u8 *buf, const struct pmesh_frame *f);
void pmesh_frame_set_hop(u8 *buf, u8 ttl, u8 hops, u64 sender);
enum pmesh_frame_error pmesh_hello_parse(const u8 *payload, size_t len,
					 u32 *hello_ms, u32 *dead_ms);
void pmesh_hello_build(u8 *payload, u32 hello_ms, u32 dead_ms);
enum pmesh_frame_error pmesh_announce_parse(const u8 *payload, size_t len,
					    struct pmesh_announce *a);
void pmesh_announce_build(u8 *payload, const struct pmesh_announce *a);
u32 pmesh_frame_mesh(const u8 *buf);

#endif /* _PMESH_CORE_FRAME_H */
