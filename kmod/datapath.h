/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data path: what the bearers, the flood and the sockets share, by the
 * file that implements each part.
 */
#ifndef _PMESH_DATAPATH_H
#define _PMESH_DATAPATH_H

#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/sock.h>

#include "core/auth.h"
#include "core/frame.h"

struct pmesh_link;
struct pmesh_mesh;
struct pmesh_neigh;

/* ---- receive.c: a frame from a neighbour, on any bearer ---- */

void pmesh_receive(struct pmesh_mesh *mesh, struct pmesh_neigh *from,
		   struct sk_buff *skb);
int pmesh_receive_stranger(struct pmesh_mesh *mesh, struct sk_buff *skb,
			   u64 *origin);
void pmesh_receive_unknown(struct pmesh_mesh *mesh, struct sk_buff *skb);

/* ---- send.c: every frame this node sends, and the flood ---- */

/* Room for the outer headers of any bearer in front of a frame we build. */
#define PMESH_HEADROOM		(MAX_HEADER + sizeof(struct ipv6hdr) + \
				 sizeof(struct udphdr))
/*
 * Room in front of a payload for the outer headers and the pmesh header,
 * sealed or not, and behind it for a sealed frame's tag.
 */
#define PMESH_SEND_HEADROOM	(PMESH_HEADROOM + PMESH_AUTH_HDR_LEN)
#define PMESH_SEND_TAILROOM	PMESH_AUTH_TAG_LEN

/* How pmesh_flood() and pmesh_send() count, and where copies go. */
#define PMESH_FLOOD_FWD		0x1	/* a data frame forwarded */
#define PMESH_FLOOD_CTL		0x2	/* a control frame */
#define PMESH_FLOOD_HELLO	0x4	/* UDP peers only, tried ones too */
#define PMESH_SEND_LOOP		0x8	/* a datagram: local sockets too */

int pmesh_send_init(void);
void pmesh_send_exit(void);
void pmesh_tx_init(struct pmesh_mesh *mesh);
void pmesh_send(struct pmesh_mesh *mesh, struct sk_buff *skb,
		struct pmesh_frame *f, unsigned int how);
void pmesh_send_ctl(struct pmesh_mesh *mesh, u8 type, u8 ttl,
		    const u8 *payload, unsigned int len, unsigned int how);
void pmesh_send_to(struct pmesh_mesh *mesh, struct pmesh_neigh *peer, u8 type,
		   const u8 *payload, unsigned int len);
bool pmesh_send_link(struct pmesh_mesh *mesh, struct pmesh_link *link, u8 type,
		     const u8 *payload, unsigned int len);
bool pmesh_send_peer(struct pmesh_mesh *mesh, struct pmesh_neigh *peer, u8 type,
		     const u8 *payload, unsigned int len);
void pmesh_send_frame(struct pmesh_mesh *mesh, struct pmesh_neigh *peer,
		      struct sk_buff *skb);
bool pmesh_send_is_echo(struct pmesh_mesh *mesh, const struct pmesh_frame *f);
void pmesh_flood_lazy(struct pmesh_mesh *mesh, struct sk_buff *skb,
		      struct pmesh_neigh *except, unsigned int how, u64 lazy);

/* Send a frame to every neighbour but one (pmesh_flood_lazy()). */
static inline void pmesh_flood(struct pmesh_mesh *mesh, struct sk_buff *skb,
			       struct pmesh_neigh *except, unsigned int how)
{
	pmesh_flood_lazy(mesh, skb, except, how, 0);
}

/* ---- udp.c and link.c: what every bearer does to a frame it sends ---- */

/*
 * Whatever a frame was before, received or sent by a local socket, it
 * leaves anew, as the bearer's own: no owner (an AF_PMESH socket is no inet
 * socket, which the IP output path would take it for), no device, no
 * receive timestamp (a qdisc would read it as a departure time), mark,
 * priority or checksum state, and a clean cb for the layers below.
 */
static inline void pmesh_skb_scrub(struct sk_buff *skb)
{
	skb_orphan(skb);
	skb_scrub_packet(skb, true);
	skb_clear_tstamp(skb);
	skb->dev = NULL;
	skb->priority = 0;
	skb->ip_summed = CHECKSUM_NONE;
	memset(skb->cb, 0, sizeof(skb->cb));
}

/* ---- socket.c: delivery to the sockets bound to a channel ---- */

/**
 * struct pmesh_skb_cb - what a datagram queued to a socket carries
 * @origin: the node that sent it first
 * @seq: the origin's sequence number
 * @mesh: the mesh id
 * @channel: the channel
 * @hops: links it crossed; 0 for a local loop copy
 *
 * Lives in skb->cb ahead of &struct sock_skb_cb, which the socket layer
 * keeps at the end of cb.
 */
struct pmesh_skb_cb {
	u64 origin;
	u64 seq;
	u32 mesh;
	u16 channel;
	u8 hops;
};

static inline struct pmesh_skb_cb *PMESH_SKB_CB(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct pmesh_skb_cb) > SOCK_SKB_CB_OFFSET);
	return (struct pmesh_skb_cb *)skb->cb;
}

/* Fill @skb's &struct pmesh_skb_cb from its header; @hops as delivered. */
static inline void pmesh_skb_cb_fill(struct sk_buff *skb,
				     const struct pmesh_frame *f, u8 hops)
{
	struct pmesh_skb_cb *cb = PMESH_SKB_CB(skb);

	cb->origin = f->origin;
	cb->seq = f->seq;
	cb->mesh = f->mesh;
	cb->channel = f->channel;
	cb->hops = hops;
}

bool pmesh_sock_deliver(struct pmesh_mesh *mesh, struct sk_buff *skb,
			unsigned int hdr_len, bool consume);
bool pmesh_sock_wanted(struct pmesh_mesh *mesh, u16 channel);

#endif /* _PMESH_DATAPATH_H */
