// SPDX-License-Identifier: GPL-2.0
/*
 * The wire fuzzer: mutated frames into a running three-node mesh, over both
 * bearers, with every frame's fate predicted and the nodes' counters held
 * to the prediction. wire_fuzz.sh builds the topology and checks afterwards
 * that real traffic still flows; Documentation/fuzzing.md explains both.
 *
 * The topology (wire_fuzz.sh): nodes 1, 2 and 3 (namespaces NS1..NS3, mesh
 * 1, node ids 1..3) on one bridged segment (device e0 each), with UDP peers
 * 1-2 and 2-3 besides; the attacker, namespace NSX, has a port on the same
 * bridge (vx, learning off) and the UDP address 10.9.2.1, port 7788, which
 * node 2 (10.9.2.2) has as a peer.
 *
 * Each frame is built from a template (data, hello, announcement) or a seed
 * of the corpus, with fields drawn from values at and around every limit
 * the receiver checks, then mutated (bits, bytes, length fields, header
 * words, truncation, trailing bytes), and sent one of four ways:
 *
 *   udp      from the configured peer 10.9.2.1:7788 to node 2
 *   stranger from 10.9.2.1 on another port, not a peer (unknown-peer)
 *   eth      from an AF_PACKET socket on vx, linear skbs
 *   ring     from a PACKET_TX_RING on vx: the receivers get the frame in
 *            page fragments, after a linear part of the 14-byte Ethernet
 *            header only (net/packet/af_packet.c, tpacket_fill_skb())
 *
 * An Ethernet frame comes from station K (02:00:00:00:aa:01), which beacons
 * first and stays known (every node's dead interval is 600 s, K is heard
 * all the time and is never sent a goodbye), or from a fresh address used
 * once, which every node sees as a stranger: discovery for a hello,
 * unknown-peer otherwise.
 *
 * The prediction uses kmod/core/frame.c, the module's own parser: for each
 * node it counts what must end as malformed, auth-fail (a sealed frame:
 * the nodes have no key), unknown-mesh, unknown-peer,
 * a new station or a neigh-drop, and the frames that station K and the UDP
 * peer hand to pmesh_receive(). What the nodes send each other (hellos,
 * announcements, forwarded copies) is good and adds to none of these, so
 * the counters must equal the prediction exactly. To keep that so, a frame
 * whose origin is a real node (1..3) is given ttl 1: its forwarded copy
 * would be a forgery at that node, by the rules of protocol.md. At every
 * checkpoint the fuzzer waits for the nodes to catch up, then compares; the
 * first difference fails the run, naming the frames since the last
 * checkpoint, which the seed regenerates (-D).
 *
 * With -k FP the nodes hold a key whose fingerprint is FP (hex) and the
 * fuzzer plays an outsider who knows the fingerprint but not the key: half
 * the frames it builds look sealed (the flag, the 80-byte header, FP most
 * of the time, a random hop tag), so that they reach the hop tag's check.
 * Every frame that parses must then end as auth-fail, or as malformed for
 * a sealed header that is not well formed, before it changes any state:
 * no station is learned (so station K, which cannot beacon its way in, is
 * a stranger to every node and wire_fuzz.sh starts the links afresh), no
 * datagram is taken in (received stays where it was).
 *
 * Prints "# " lines only, and exits 0 if every checkpoint held, 1 at the
 * first that did not; wire_fuzz.sh says ok or not ok. -n (or
 * PMESH_FUZZ_FRAMES) is the number of frames, -s (or PMESH_FUZZ_SEED) the
 * seed, which is printed first; -c a directory of seed frames
 * (selftests/fuzz/corpus/frame); -D prints frames FIRST to LAST of the
 * seed's run, with their bearers, and sends nothing.
 *
 * usage: wire_fuzz [-n FRAMES] [-s SEED] [-c CORPUS_DIR] [-D FIRST:LAST]
 *                  [-k FP] NS1 NS2 NS3 NSX
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "tree.h"
#include "px.h"
#include "frame.h"
#include "pmnl.h"
#include "fuzz_rand.h"

#define NODES		3
#define MESH		1
#define FRAME_MAX	1500		/* the segment's MTU */
#define CHECK_EVERY	1000		/* frames between checkpoints */
#define RING_SLOTS	(2 * CHECK_EVERY)	/* a slot is reused a checkpoint late */
#define RING_SLOT_SIZE	2048
#define CATCH_UP_MS	30000
/* Stations are exact until the first fresh one could time out (600 s). */
#define EXACT_STATIONS_S 590

static const uint8_t station_k[ETH_ALEN] = { 0x02, 0, 0, 0, 0xaa, 0x01 };
#define K_NODE		0xaa01ULL
#define X_ADDR		"10.9.2.1"
#define N2_ADDR		"10.9.2.2"
#define PORT		7788

enum how { HOW_UDP, HOW_STRANGER, HOW_ETH, HOW_RING, HOWS };
static const char *const how_name[HOWS] = { "udp", "stranger", "eth", "ring" };

/* What a node's counters must show, from the snapshot on. */
struct expect {
	uint64_t malformed;
	uint64_t auth_fail;	/* sealed frames, which key-less nodes refuse */
	uint64_t unknown_mesh;
	uint64_t unknown_peer;
	uint64_t px_drops;	/* peer exchanges at key-less nodes, not open */
	uint64_t tree_drops;	/* tree frames at nodes in flood mode */
	uint64_t good_fresh;	/* good beacons from fresh stations */
	uint64_t k_rx;		/* frames station K handed to pmesh_receive() */
	uint64_t x_rx;		/* frames the UDP peer handed over (node 2) */
};

/* What a node's counters show. */
struct seen {
	uint64_t malformed;
	uint64_t auth_fail;
	uint64_t unknown_mesh;
	uint64_t unknown_peer;
	uint64_t px_drops;
	uint64_t tree_drops;
	uint64_t neigh_drops;
	uint64_t stations;
	uint64_t k_rx;
	uint64_t x_rx;
	uint64_t received, ctl_rx, duplicates, forwarded;
	int k_found, x_found;
};

static struct pmnl nl[NODES];
static struct seen base[NODES];
static struct expect want[NODES];
static uint64_t sent[HOWS];
static uint64_t seed, n_frames = 200000;
/* -k: the nodes are keyed, and this is the fingerprint of their key. */
static int keyed;
static uint64_t key_fp;
static struct timespec t_start;

static int pkt_fd, udp_fd, stranger_fd, ring_fd, vx_ifindex;
static uint8_t *ring;
static unsigned int ring_next, ring_pending;
static struct sockaddr_in n2_sa;

/* Seeds from the corpus (-c), whole frames. */
static struct { uint8_t *buf; size_t len; } seeds[64];
static int n_seeds;

static double elapsed(void);

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# FAIL: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	if (t_start.tv_sec)
		printf("# %.1f s into the run\n", elapsed());
	printf("# replay: PMESH_FUZZ_SEED=%" PRIu64 " PMESH_FUZZ_FRAMES=%" PRIu64
	       " (wire_fuzz -s %" PRIu64 "%s -D FIRST:LAST prints frames)\n",
	       seed, n_frames, seed, keyed ? " -k FP" : "");
	exit(1);
}

static double elapsed(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec - t_start.tv_sec + (t.tv_nsec - t_start.tv_nsec) / 1e9;
}


static void put_be(uint8_t *p, uint64_t v, int bytes)
{
	while (bytes--) {
		p[bytes] = v;
		v >>= 8;
	}
}

static uint64_t get_be(const uint8_t *p, int bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | *p++;
	return v;
}

/* Values at and around what the receiver checks. */
static const uint32_t hello_ms[] = { 0, 1, 99, 100, 101, 200, 1000, 59999,
	60000, 60001, 600000, 600001, 0x7fffffff, 0xffffffff };
static const uint32_t announce_ms[] = { 0, 99, 100, 101, 1000, 60000,
	180000, 600000, 3600000, 3600001, 14400000, 0xffffffff };
static const uint32_t epochs[] = { 0, 1, 2, 0x7fffffff, 0x80000000,
	0x80000001, 0xfffffffe, 0xffffffff };
static const uint64_t seqs[] = { 0, 1, 2, 959, 960, 961, 1023, 1024, 1025,
	0x7fffffffffffffffULL, 0xffffffffffffffffULL };
static const uint8_t ttls[] = { 0, 1, 2, 16, 128, 254, 255 };
static const uint8_t words[] = { 0, 1, 11, 13, 14, 16, 32, 64, 128, 255 };

/* An origin: mostly a small pool (so windows and nodes see repeats). */
static uint64_t pick_node(void)
{
	switch (below(10)) {
	case 0:
		return 1 + below(NODES);	/* a real node: forged */
	case 1:
		return rnd();
	case 2:
		return PICK(seqs);
	default:
		return 0x1000 + below(64);
	}
}

/* A frame from a template. Returns its length. */
static size_t build(uint8_t *buf)
{
	struct pmesh_frame f = { 0 };
	size_t hdr = PMESH_HDR_LEN, len, i;
	int sealed;
	uint8_t *p;

	f.type = below(PMESH_TYPES);
	f.ttl = chance(70) ? (f.type == PMESH_TYPE_HELLO ? 1 : 1 + below(16))
			   : PICK(ttls);
	f.hops = chance(70) ? 1 + below(3) : PICK(ttls);
	f.channel = chance(70) ? (f.type == PMESH_TYPE_DATA ? below(8) : 0)
			       : rnd();
	f.mesh = chance(90) ? MESH : PICK(epochs);
	f.origin = pick_node();
	f.sender = chance(70) ? f.origin : pick_node();
	f.epoch = chance(50) ? 5 + below(3) : PICK(epochs);
	f.seq = chance(60) ? 1 + below(2000) : PICK(seqs);

	switch (f.type) {
	case PMESH_TYPE_HELLO:
		len = chance(90) ? PMESH_HELLO_LEN : below(16);
		break;
	case PMESH_TYPE_ANNOUNCE:
		len = chance(90) ? PMESH_ANNOUNCE_LEN : below(24);
		break;
	case PMESH_TYPE_PEERS:
		len = chance(80) ? PMESH_PX_HDR_LEN + PMESH_PX_ENTRY_LEN * below(9)
				 : below(PMESH_PX_MAX_LEN + 32);
		break;
	default:
		len = chance(50) ? below(64) : below(FRAME_MAX - PMESH_HDR_LEN);
	}
	/* A longer header, as a later layout would send. */
	if (chance(15)) {
		hdr = (size_t)(chance(50) ? 13 + below(8) : 13 + below(243)) * 4;
		if (hdr + len > FRAME_MAX)
			len = FRAME_MAX - hdr;
	}
	/* An outsider's try at a sealed frame: everything but the tags. */
	sealed = keyed && chance(50);
	if (sealed) {
		hdr = PMESH_AUTH_HDR_LEN;
		len += PMESH_AUTH_TAG_LEN;
		if (hdr + len > FRAME_MAX)
			len = FRAME_MAX - hdr;
		f.seq &= chance(90) ? 0xffffffffffffffULL : ~0ULL;
	}
	f.len = len;
	pmesh_frame_build(buf, &f);
	buf[3] = hdr / 4;
	for (i = PMESH_HDR_LEN; i < hdr; i++)
		buf[i] = chance(80) ? 0 : rnd();
	if (sealed) {
		struct pmesh_auth a = {
			.sent_at = rnd(),
			.key_fp = chance(80) ? key_fp : rnd(),
			.salt = rnd(),
		};

		pmesh_auth_build(buf, &a);
		for (i = PMESH_HOP_TAG_OFF; i < PMESH_AUTH_HDR_LEN; i++)
			buf[i] = rnd();
	}
	p = buf + hdr;
	for (i = 0; i < len; i++)
		p[i] = rnd();

	if (f.type == PMESH_TYPE_HELLO && len >= 8) {
		put_be(p, chance(60) ? 100 + below(59901) : PICK(hello_ms), 4);
		put_be(p + 4, chance(60) ? 1000 + below(599001) : PICK(hello_ms), 4);
	} else if (f.type == PMESH_TYPE_ANNOUNCE && len >= 12) {
		uint32_t interval = chance(60) ? 100 + below(3599901) : PICK(announce_ms);

		put_be(p, interval, 4);
		put_be(p + 4, chance(60) ? interval + 1 + below(3 * (uint64_t)interval + 1)
					 : PICK(announce_ms), 4);
		p[8] = chance(80) ? (chance(20) ? PMESH_ANNOUNCE_GOODBYE : 0) : rnd();
		put_be(p + 9, chance(90) ? 0 : rnd(), 3);
	}
	return hdr + len;
}

/* A few mutations of the bytes. Returns the new length. */
static size_t mutate(uint8_t *buf, size_t len)
{
	int n = below(4), k;
	size_t at, add;

	for (k = 0; k < n; k++) {
		switch (below(12)) {
		case 0:	/* a bit */
			if (len)
				buf[below(len)] ^= 1 << below(8);
			break;
		case 1:	/* a byte */
			if (len)
				buf[below(len)] = rnd();
			break;
		case 2:	/* a header byte: version, type, flags, words, ttl, hops */
			if (len > 6)
				buf[below(6)] = chance(50) ? rnd() : below(4);
			break;
		case 3:	/* header words */
			if (len > 3)
				buf[3] = PICK(words);
			break;
		case 4:	/* payload length */
			if (len > 13)
				put_be(buf + 12, chance(50) ? rnd() : len - PMESH_HDR_LEN +
				       (int)below(5) - 2, 2);
			break;
		case 5:	/* truncated */
			len = below(len + 1);
			break;
		case 6:	/* trailing bytes */
			add = 1 + below(16);
			if (len + add <= FRAME_MAX) {
				for (at = len; at < len + add; at++)
					buf[at] = rnd();
				len += add;
			}
			break;
		case 7:	/* flags */
			if (len > 2)
				buf[2] = 1 << below(8);
			break;
		case 8:	/* ttl and hops at the limit */
			if (len > 5) {
				buf[4] = PICK(ttls);
				buf[5] = 256 - buf[4] + (int)below(3) - 1;
			}
			break;
		case 9:	/* origin or sender zero, or each other */
			if (len >= PMESH_HDR_LEN)
				memcpy(buf + (chance(50) ? 16 : 40),
				       buf + (chance(50) ? 40 : 16), 8);
			break;
		case 10: /* an interesting word anywhere */
			if (len >= 4) {
				at = below(len - 3);
				put_be(buf + at, PICK(hello_ms), 4);
			}
			break;
		case 11: /* payload length consistent again */
			if (len >= PMESH_HDR_LEN && buf[3] * 4 <= len)
				put_be(buf + 12, len - buf[3] * 4, 2);
			break;
		}
	}
	return len;
}

static size_t next_frame(uint8_t *buf)
{
	size_t len;

	if (n_seeds && chance(20)) {
		int s = below(n_seeds);

		len = seeds[s].len > FRAME_MAX ? FRAME_MAX : seeds[s].len;
		memcpy(buf, seeds[s].buf, len);
		if (len >= 12 && chance(90))
			put_be(buf + 8, MESH, 4);
	} else {
		len = build(buf);
	}
	if (chance(70))
		len = mutate(buf, len);
	/*
	 * A real node's id as origin: only with ttl 1, so that no node sends
	 * it on to the node it names, where it is a forgery (malformed).
	 */
	if (len > 23 && buf[4] > 1) {
		uint64_t origin = get_be(buf + 16, 8);

		if (origin >= 1 && origin <= NODES)
			buf[4] = 1;
	}
	return len;
}

enum verdict { GOOD, MALFORMED, AUTH_FAIL, PX_DROP, TREE_DROP };

/*
 * The verdict of pmesh_receive() at node @node: whether the frame ends as
 * malformed, or as auth-fail (a sealed frame at a key-less node; at a
 * keyed one, any frame: the fuzzer has no key). For a hello from a
 * station not known yet, pmesh_receive_stranger() decides the same (its
 * checks are these).
 */
static enum verdict verdict_at(const uint8_t *buf, size_t len, uint64_t node,
			       bool udp)
{
	struct pmesh_announce a;
	struct pmesh_auth auth;
	struct pmesh_frame f;
	uint32_t h, d;

	if (pmesh_frame_parse(buf, len, &f) != PMESH_FRAME_OK || f.mesh != MESH)
		return MALFORMED;
	if (keyed && f.flags & PMESH_FLAG_AUTH &&
	    pmesh_auth_parse(buf, &f, &auth) != PMESH_FRAME_OK)
		return MALFORMED;
	if (keyed || f.flags & PMESH_FLAG_AUTH)
		return AUTH_FAIL;
	/* Never an echo: the fuzzer does not know the nodes' epochs. */
	if (f.origin == node)
		return MALFORMED;
	if (f.type == PMESH_TYPE_HELLO)
		return pmesh_hello_parse(buf + f.hdr_len, f.len, &h, &d) !=
			PMESH_FRAME_OK || f.sender != f.origin ? MALFORMED : GOOD;
	if (f.type == PMESH_TYPE_ANNOUNCE)
		return pmesh_announce_parse(buf + f.hdr_len, f.len, &a) !=
			PMESH_FRAME_OK ? MALFORMED : GOOD;
	/* A key-less mesh that is not open takes no peer exchange. */
	if (f.type == PMESH_TYPE_PEERS)
		return PX_DROP;
	/*
	 * A tree frame: one hop from its origin, then, over UDP, dropped
	 * by the nodes, which are in flood mode (tree-drops); over a link,
	 * malformed whatever its payload.
	 */
	if (f.type == PMESH_TYPE_TREE)
		return f.sender != f.origin || f.ttl != 1 || f.hops != 1 ||
		       f.len > PMESH_TR_MAX_LEN || !udp ? MALFORMED : TREE_DROP;
	return GOOD;
}

/* Count a frame's verdict at node @node; true if it was good. */
static bool predict_at(struct expect *e, const uint8_t *buf, size_t len,
		       uint64_t node, bool udp)
{
	switch (verdict_at(buf, len, node, udp)) {
	case MALFORMED:
		e->malformed++;
		return false;
	case AUTH_FAIL:
		e->auth_fail++;
		return false;
	case PX_DROP:
		e->px_drops++;
		return false;
	case TREE_DROP:
		e->tree_drops++;
		return false;
	default:
		return true;
	}
}

/* A goodbye K would say of itself somewhere: it would make K a stranger. */
static int goodbye_of_sender(const uint8_t *buf, size_t len)
{
	struct pmesh_announce a;
	struct pmesh_frame f;

	return pmesh_frame_parse(buf, len, &f) == PMESH_FRAME_OK &&
	       f.type == PMESH_TYPE_ANNOUNCE && f.sender == f.origin &&
	       pmesh_announce_parse(buf + f.hdr_len, f.len, &a) == PMESH_FRAME_OK &&
	       a.flags & PMESH_ANNOUNCE_GOODBYE;
}

/*
 * A UDP frame from an address that is no peer (pmesh_receive_unknown()): a
 * key-less node, not open, takes none; a keyed one looks at hellos and
 * exchanges, which end as malformed or auth-fail (the fuzzer has no key).
 */
static void predict_stranger(struct expect *e, const uint8_t *buf, size_t len)
{
	if (!keyed)
		e->unknown_peer++;
	else if (len < PMESH_HDR_LEN)
		e->malformed++;
	else if (buf[1] != PMESH_TYPE_HELLO && buf[1] != PMESH_TYPE_PEERS)
		e->unknown_peer++;
	else
		predict_at(e, buf, len, 2, true);
}

static void predict_eth(const uint8_t *buf, size_t len, int fresh)
{
	int i;

	for (i = 0; i < NODES; i++) {
		struct expect *e = &want[i];

		if (len < PMESH_HDR_LEN) {
			e->malformed++;
			continue;
		}
		if (get_be(buf + 8, 4) != MESH) {
			e->unknown_mesh++;
			continue;
		}
		if (!fresh && !keyed) {
			e->k_rx++;
			predict_at(e, buf, len, i + 1, false);
		} else if (buf[1] != PMESH_TYPE_HELLO) {
			e->unknown_peer++;
		} else if (predict_at(e, buf, len, i + 1, false)) {
			e->good_fresh++;
		}
	}
}

/* The Ethernet header: broadcast, from @src. */
static size_t eth_frame(uint8_t *out, const uint8_t *src, const uint8_t *buf,
			size_t len)
{
	memset(out, 0xff, ETH_ALEN);
	memcpy(out + ETH_ALEN, src, ETH_ALEN);
	out[12] = 0x88;
	out[13] = 0xb5;
	memcpy(out + ETH_HLEN, buf, len);
	return ETH_HLEN + len;
}

static void fresh_mac(uint8_t *mac, uint64_t i)
{
	mac[0] = 0x02;
	mac[1] = 0x5e;
	put_be(mac + 2, i, 4);
}

static void ring_flush(void)
{
	if (!ring_pending)
		return;
	while (send(ring_fd, NULL, 0, 0) < 0) {
		if (errno != EINTR && errno != EAGAIN && errno != ENOBUFS)
			die("send on the TX ring: %s", strerror(errno));
		usleep(1000);
	}
	ring_pending = 0;
}

static void ring_put(const uint8_t *frame, size_t len)
{
	struct tpacket2_hdr *h = (void *)(ring + (size_t)ring_next * RING_SLOT_SIZE);
	int tries = 0;

	while (h->tp_status != TP_STATUS_AVAILABLE) {
		ring_flush();
		if (++tries > 10000)
			die("TX ring slot %u never came back", ring_next);
		usleep(100);
	}
	memcpy((uint8_t *)h + TPACKET2_HDRLEN - sizeof(struct sockaddr_ll),
	       frame, len);
	h->tp_len = len;
	__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
	ring_next = (ring_next + 1) % RING_SLOTS;
	if (++ring_pending >= 64)
		ring_flush();
}

/*
 * Frame @index of the run: its bytes, its bearer and, on Ethernet, whether
 * a fresh station sends it. Everything follows from the seed, so -D prints
 * exactly what a run sent.
 */
static size_t draw(uint8_t *buf, enum how *how, int *fresh)
{
	size_t len = next_frame(buf);
	uint64_t r = below(100);

	*how = r < 25 ? HOW_UDP : r < 28 ? HOW_STRANGER : r < 64 ? HOW_ETH : HOW_RING;
	*fresh = 0;
	if (*how == HOW_ETH || *how == HOW_RING)
		*fresh = chance(30) || goodbye_of_sender(buf, len);
	return len;
}

static void send_frame(enum how how, int fresh, const uint8_t *buf,
		       size_t len, uint64_t index)
{
	uint8_t frame[ETH_HLEN + FRAME_MAX], mac[ETH_ALEN];

	switch (how) {
	case HOW_UDP:
		want[1].x_rx++;
		predict_at(&want[1], buf, len, 2, true);
		if (sendto(udp_fd, buf, len, 0, (void *)&n2_sa, sizeof(n2_sa)) < 0)
			die("UDP send: %s", strerror(errno));
		break;
	case HOW_STRANGER:
		predict_stranger(&want[1], buf, len);
		if (sendto(stranger_fd, buf, len, 0, (void *)&n2_sa,
			   sizeof(n2_sa)) < 0)
			die("UDP send: %s", strerror(errno));
		break;
	case HOW_ETH:
	case HOW_RING:
		if (fresh)
			fresh_mac(mac, index);
		else
			memcpy(mac, station_k, ETH_ALEN);
		predict_eth(buf, len, fresh);
		len = eth_frame(frame, mac, buf, len);
		if (how == HOW_RING) {
			ring_put(frame, len);
		} else if (send(pkt_fd, frame, len, 0) < 0) {
			die("AF_PACKET send: %s", strerror(errno));
		}
		break;
	default:
		break;
	}
	sent[how]++;
}

/* Netlink: the counters of mesh 1 on one node. */
static int on_mesh(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[PMESH_A_MESH_MAX + 1], *a;
	struct seen *s = arg;
	int rem;

	if (pmnl_parse(nlh, tb, PMESH_A_MESH_MAX) || !tb[PMESH_A_MESH_STATS])
		return -EBADMSG;
	nla_for_each_nested(a, tb[PMESH_A_MESH_STATS], rem) {
		uint64_t v = pmnl_get_uint(a);

		switch (nla_type(a)) {
		case PMESH_A_STATS_MALFORMED: s->malformed = v; break;
		case PMESH_A_STATS_AUTH_FAIL: s->auth_fail = v; break;
		case PMESH_A_STATS_UNKNOWN_MESH: s->unknown_mesh = v; break;
		case PMESH_A_STATS_UNKNOWN_PEER: s->unknown_peer = v; break;
		case PMESH_A_STATS_PX_DROPS: s->px_drops = v; break;
		case PMESH_A_STATS_TREE_DROPS: s->tree_drops = v; break;
		case PMESH_A_STATS_NEIGH_DROPS: s->neigh_drops = v; break;
		case PMESH_A_STATS_RECEIVED: s->received = v; break;
		case PMESH_A_STATS_CTL_RX_FRAMES: s->ctl_rx = v; break;
		case PMESH_A_STATS_DUPLICATES: s->duplicates = v; break;
		case PMESH_A_STATS_FORWARDED: s->forwarded = v; break;
		}
	}
	return 0;
}

static uint64_t rx_frames(struct nlattr *stats)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, stats, rem)
		if (nla_type(a) == PMESH_A_NEIGH_STATS_RX_FRAMES)
			return pmnl_get_uint(a);
	return 0;
}

static int on_neigh(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[PMESH_A_NEIGH_MAX + 1];
	struct seen *s = arg;
	struct in_addr x;

	if (pmnl_parse(nlh, tb, PMESH_A_NEIGH_MAX) || !tb[PMESH_A_NEIGH_STATS])
		return -EBADMSG;
	inet_pton(AF_INET, X_ADDR, &x);
	if (tb[PMESH_A_NEIGH_LLADDR] &&
	    nla_len(tb[PMESH_A_NEIGH_LLADDR]) == ETH_ALEN &&
	    !memcmp(nla_data(tb[PMESH_A_NEIGH_LLADDR]), station_k, ETH_ALEN)) {
		s->k_rx = rx_frames(tb[PMESH_A_NEIGH_STATS]);
		s->k_found = 1;
	}
	if (tb[PMESH_A_NEIGH_ADDR] && nla_len(tb[PMESH_A_NEIGH_ADDR]) == 4 &&
	    !memcmp(nla_data(tb[PMESH_A_NEIGH_ADDR]), &x, 4)) {
		s->x_rx = rx_frames(tb[PMESH_A_NEIGH_STATS]);
		s->x_found = 1;
	}
	return 0;
}

static int on_link(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[PMESH_A_LINK_MAX + 1];
	struct seen *s = arg;

	if (pmnl_parse(nlh, tb, PMESH_A_LINK_MAX))
		return -EBADMSG;
	if (tb[PMESH_A_LINK_NEIGHS])
		s->stations += nla_get_u32(tb[PMESH_A_LINK_NEIGHS]);
	return 0;
}

static void look(int i, struct seen *s)
{
	int err;

	memset(s, 0, sizeof(*s));
	err = pmnl_request(&nl[i], PMESH_CMD_MESH_GET, 0, PMESH_A_MESH_ID, MESH,
			   on_mesh, s, NULL);
	if (!err)
		err = pmnl_request(&nl[i], PMESH_CMD_NEIGH_GET, NLM_F_DUMP,
				   PMESH_A_NEIGH_MESH_ID, MESH, on_neigh, s, NULL);
	if (!err)
		err = pmnl_request(&nl[i], PMESH_CMD_LINK_GET, NLM_F_DUMP,
				   PMESH_A_LINK_MESH_ID, MESH, on_link, s, NULL);
	if (err)
		die("node %d: cannot read its counters: %s", i + 1, strerror(-err));
}

/*
 * Whether node @i shows what was predicted; @final: say what differs.
 * Returns 1 if equal, 0 if not yet, -1 if past the prediction (a count can
 * only grow, so that is final).
 */
static int compare(int i, int final, int exact_stations)
{
	const struct expect *e = &want[i];
	const struct seen *b = &base[i];
	uint64_t created, drops;
	struct seen s;
	int verdict = 1;

	look(i, &s);
	created = s.stations - b->stations;
	drops = s.neigh_drops - b->neigh_drops;
#define CMP(name, have, expected)						\
	do {									\
		uint64_t h_ = (have), x_ = (expected);				\
		if (h_ != x_) {							\
			if (final)						\
				printf("# node %d: %s %" PRIu64 ", predicted %" PRIu64 "\n", \
				       i + 1, name, h_, x_);			\
			if (h_ > x_)						\
				verdict = -1;					\
			else if (verdict > 0)					\
				verdict = 0;					\
		}								\
	} while (0)
	CMP("malformed", s.malformed - b->malformed, e->malformed);
	CMP("auth-fail", s.auth_fail - b->auth_fail, e->auth_fail);
	CMP("unknown-mesh", s.unknown_mesh - b->unknown_mesh, e->unknown_mesh);
	CMP("unknown-peer", s.unknown_peer - b->unknown_peer, e->unknown_peer);
	CMP("px-drops", s.px_drops - b->px_drops, e->px_drops);
	CMP("tree-drops", s.tree_drops - b->tree_drops, e->tree_drops);
	CMP("station K rx-frames", s.k_rx - b->k_rx, e->k_rx);
	if (i == 1)
		CMP("UDP peer rx-frames", s.x_rx - b->x_rx, e->x_rx);
	if (exact_stations)
		CMP("new stations + neigh-drops", created + drops, e->good_fresh);
	else if (created + drops > e->good_fresh)
		CMP("new stations + neigh-drops (at most)", created + drops,
		    e->good_fresh);
	if (keyed) {
		/*
		 * No datagram is taken in (the nodes send none during the
		 * run; their control frames move the other counters).
		 */
		CMP("received", s.received - b->received, 0);
	}
#undef CMP
	if (s.k_found != !keyed)
		verdict = -1;
	if (final && s.k_found != !keyed)
		printf("# node %d: station K is %s\n", i + 1,
		       keyed ? "known" : "gone");
	return verdict;
}

static void checkpoint(uint64_t first, uint64_t last)
{
	int i, v, exact = elapsed() < EXACT_STATIONS_S;
	double end = elapsed() + CATCH_UP_MS / 1000.0;

	ring_flush();
	for (i = 0; i < NODES; i++) {
		while ((v = compare(i, 0, exact)) == 0 && elapsed() < end)
			usleep(20000);
		if (v != 1) {
			compare(i, 1, exact);
			die("node %d's counters differ from the prediction after frame %" PRIu64
			    " (frames %" PRIu64 " to %" PRIu64 " since the last checkpoint; -D %" PRIu64 ":%" PRIu64 " prints them)",
			    i + 1, last, first, last, first, last);
		}
	}
}

static int enter_ns(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		return -1;
	close(fd);
	return 0;
}

static void load_seeds(const char *dir)
{
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp)
		die("cannot read %s: %s", dir, strerror(errno));
	while ((d = readdir(dp)) && n_seeds < (int)(sizeof(seeds) / sizeof(seeds[0]))) {
		char path[1024];
		uint8_t buf[4096];
		FILE *f;
		size_t n;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		f = fopen(path, "rb");
		if (!f)
			continue;
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		seeds[n_seeds].buf = malloc(n ? n : 1);
		memcpy(seeds[n_seeds].buf, buf, n);
		seeds[n_seeds++].len = n;
	}
	closedir(dp);
}

static void open_attacker(void)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET };
	struct tpacket_req req = {
		.tp_block_size = RING_SLOT_SIZE * 2,
		.tp_block_nr = RING_SLOTS / 2,
		.tp_frame_size = RING_SLOT_SIZE,
		.tp_frame_nr = RING_SLOTS,
	};
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int v = TPACKET_V2, big = 4 << 20;

	vx_ifindex = if_nametoindex("vx");
	if (!vx_ifindex)
		die("no device vx in the attacker's namespace");
	ll.sll_ifindex = vx_ifindex;
	ll.sll_protocol = 0;	/* send only */

	pkt_fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (pkt_fd < 0 || bind(pkt_fd, (void *)&ll, sizeof(ll)))
		die("AF_PACKET socket on vx: %s", strerror(errno));
	setsockopt(pkt_fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));

	ring_fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (ring_fd < 0 ||
	    setsockopt(ring_fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) ||
	    setsockopt(ring_fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) ||
	    bind(ring_fd, (void *)&ll, sizeof(ll)))
		die("PACKET_TX_RING on vx: %s", strerror(errno));
	ring = mmap(NULL, (size_t)RING_SLOTS * RING_SLOT_SIZE,
		    PROT_READ | PROT_WRITE, MAP_SHARED, ring_fd, 0);
	if (ring == MAP_FAILED)
		die("mmap of the TX ring: %s", strerror(errno));

	udp_fd = socket(AF_INET, SOCK_DGRAM, 0);
	inet_pton(AF_INET, X_ADDR, &sa.sin_addr);
	sa.sin_port = htons(PORT);
	if (udp_fd < 0 || bind(udp_fd, (void *)&sa, sizeof(sa)))
		die("UDP socket on %s:%d: %s", X_ADDR, PORT, strerror(errno));
	stranger_fd = socket(AF_INET, SOCK_DGRAM, 0);
	sa.sin_port = htons(PORT + 1);
	if (stranger_fd < 0 || bind(stranger_fd, (void *)&sa, sizeof(sa)))
		die("UDP socket on %s:%d: %s", X_ADDR, PORT + 1, strerror(errno));
	n2_sa.sin_family = AF_INET;
	n2_sa.sin_port = htons(PORT);
	inet_pton(AF_INET, N2_ADDR, &n2_sa.sin_addr);
}

/* Station K beacons (dead interval 600 s) until every node knows it. */
static void introduce_k(void)
{
	struct pmesh_frame f = {
		.type = PMESH_TYPE_HELLO, .ttl = 1, .hops = 1, .mesh = MESH,
		.len = PMESH_HELLO_LEN, .origin = K_NODE, .epoch = 5, .seq = 1,
		.sender = K_NODE,
	};
	uint8_t buf[PMESH_HDR_LEN + PMESH_HELLO_LEN], frame[ETH_HLEN + sizeof(buf)];
	int i, tries;
	size_t len;

	pmesh_frame_build(buf, &f);
	pmesh_hello_build(buf + PMESH_HDR_LEN, 60000, PMESH_DEAD_INTERVAL_MAX);
	len = eth_frame(frame, station_k, buf, sizeof(buf));
	for (tries = 0; tries < 100; tries++) {
		struct seen s;
		int known = 0;

		if (send(pkt_fd, frame, len, 0) < 0)
			die("AF_PACKET send: %s", strerror(errno));
		usleep(100000);
		for (i = 0; i < NODES; i++) {
			look(i, &s);
			known += s.k_found;
		}
		if (known == NODES)
			return;
	}
	die("station K is not known to every node after 100 beacons");
}

static void dump_frames(uint64_t first, uint64_t last)
{
	uint8_t buf[FRAME_MAX + 64];
	enum how how;
	uint64_t i;
	size_t len, j;
	int fresh;

	for (i = 0; i <= last; i++) {
		len = draw(buf, &how, &fresh);
		if (i < first)
			continue;
		printf("%" PRIu64 " %s%s %zu:", i, how_name[how],
		       fresh ? " fresh" : "", len);
		for (j = 0; j < len; j++)
			printf("%s%02x", j % 4 ? "" : " ", buf[j]);
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	uint8_t buf[FRAME_MAX + 64];
	uint64_t i, dump_first = 0, dump_last = 0, since = 0;
	const char *corpus = NULL;
	int opt, self, dump = 0;
	char *e;

	seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	if ((e = getenv("PMESH_FUZZ_SEED")) && *e)
		seed = strtoull(e, NULL, 0);
	if ((e = getenv("PMESH_FUZZ_FRAMES")) && *e)
		n_frames = strtoull(e, NULL, 0);
	while ((opt = getopt(argc, argv, "n:s:c:D:k:")) != -1) {
		switch (opt) {
		case 'n': n_frames = strtoull(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'c': corpus = optarg; break;
		case 'k': keyed = 1; key_fp = strtoull(optarg, NULL, 16); break;
		case 'D':
			dump = sscanf(optarg, "%" SCNu64 ":%" SCNu64,
				      &dump_first, &dump_last) == 2;
			break;
		default:
			fprintf(stderr, "usage: wire_fuzz [-n FRAMES] [-s SEED] [-c CORPUS] [-D FIRST:LAST] [-k FP] NS1 NS2 NS3 NSX\n");
			return 2;
		}
	}
	if (corpus)
		load_seeds(corpus);
	rng_state = seed;
	if (dump) {
		dump_frames(dump_first, dump_last);
		return 0;
	}
	if (argc - optind != 4) {
		fprintf(stderr, "usage: wire_fuzz [-n FRAMES] [-s SEED] [-c CORPUS] [-D FIRST:LAST] [-k FP] NS1 NS2 NS3 NSX\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# seed %" PRIu64 ", %" PRIu64 " frames (PMESH_FUZZ_SEED=%" PRIu64 " replays them)%s\n",
	       seed, n_frames, seed, keyed ? ", against keyed nodes" : "");

	self = open("/proc/self/ns/net", O_RDONLY);
	for (i = 0; i < NODES; i++) {
		int err;

		if (enter_ns(argv[optind + i]))
			die("cannot enter namespace %s: %s", argv[optind + i],
			    strerror(errno));
		err = pmnl_open(&nl[i]);
		if (err)
			die("node %d: %s", (int)i + 1, pmnl_open_error(err));
	}
	if (enter_ns(argv[optind + 3]))
		die("cannot enter namespace %s: %s", argv[optind + 3], strerror(errno));
	close(self);
	open_attacker();
	if (!keyed)
		introduce_k();

	for (i = 0; i < NODES; i++)
		look(i, &base[i]);
	if (!base[1].x_found)
		die("node 2 has no peer %s", X_ADDR);
	clock_gettime(CLOCK_MONOTONIC, &t_start);

	for (i = 0; i < n_frames; i++) {
		enum how how;
		int fresh;
		size_t len = draw(buf, &how, &fresh);

		send_frame(how, fresh, buf, len, i);
		if ((i + 1) % CHECK_EVERY == 0 || i + 1 == n_frames) {
			checkpoint(since, i);
			since = i + 1;
		}
		if ((i + 1) % 100000 == 0)
			printf("# %" PRIu64 " frames, %.0f s\n", i + 1, elapsed());
	}

	{
		double t = elapsed();
		struct seen s;

		printf("# %" PRIu64 " frames in %.1f s: %.0f frames/s (udp %" PRIu64
		       ", stranger %" PRIu64 ", eth %" PRIu64 ", ring %" PRIu64 ")\n",
		       n_frames, t, n_frames / t, sent[HOW_UDP], sent[HOW_STRANGER],
		       sent[HOW_ETH], sent[HOW_RING]);
		for (i = 0; i < NODES; i++) {
			const struct expect *w = &want[i];

			look(i, &s);
			printf("# node %d: malformed %" PRIu64 ", auth-fail %" PRIu64
			       ", unknown-mesh %" PRIu64
			       ", unknown-peer %" PRIu64 ", new stations + neigh-drops %" PRIu64
			       ", from K %" PRIu64 ", from the UDP peer %" PRIu64
			       ": as predicted; received %" PRIu64
			       ", control %" PRIu64 ", duplicates %" PRIu64 ", forwarded %" PRIu64 "\n",
			       (int)i + 1, w->malformed, w->auth_fail, w->unknown_mesh,
			       w->unknown_peer, w->good_fresh, w->k_rx, w->x_rx,
			       s.received - base[i].received, s.ctl_rx - base[i].ctl_rx,
			       s.duplicates - base[i].duplicates,
			       s.forwarded - base[i].forwarded);
		}
	}
	return 0;
}
