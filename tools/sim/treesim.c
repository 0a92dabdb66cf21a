// SPDX-License-Identifier: GPL-2.0
/*
 * The broadcast simulator (a draft for issue 15): kmod/core/tree.c's rules
 * against flooding, over a random overlay of degree 4 to 5 (the one the
 * overlay simulator settles to), in steps of a millisecond.
 *
 * Each link takes 2 to 8 ms (drawn once for it, by a hash of its ends),
 * and each frame up to -j ms more (jitter, 1 by default: a frame on a
 * link overtakes the one before it only by as much); ids go to lazy
 * neighbours 20 ms after the payload arrived (their batching); a frame is lost with the chance -l
 * (percent); -f percent of the nodes die at once halfway through the
 * stream, and their neighbours find them down 3 s later. Senders (-S 1:
 * node 0; -S 0: every node) send -m datagrams each, one every -i ms.
 *
 * It prints, for flooding, a tree shared by all senders and a tree per
 * origin: payload copies received per delivery, the delivery ratio (of the
 * nodes alive at the end), the mean of each datagram's last delivery hop,
 * and ids, grafts and prunes sent per delivery; over the whole stream and
 * over its second half (the tree formed).
 *
 *   treesim [-n NODES] [-s SEED] [-S SENDERS] [-m MSGS] [-i MS] [-j MS]
 *	     [-l LOSS] [-f FAIL]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tree.h"

#define DEG_MIN		4
#define DEG_MAX		5
#define HORIZON		4096	/* ms of events ahead */
#define DEAD_MS		3000
#define BATCH_MS	20

enum { FLOOD, SHARED, PER_ORIGIN, MODES };
static const char *const mode_name[MODES] = {
	"flood", "tree, shared", "tree, per origin"
};

enum { E_PAYLOAD, E_IHAVE, E_GRAFT, E_PRUNE, E_REPAIR, E_REPAIRED };

struct ev {
	u8 type;
	u32 from, to, msg, hops;
	struct ev *next;
};

struct node {
	u32 nb[PMESH_TR_SLOTS];
	unsigned int deg;
	u64 up;			/* slots whose neighbour this node holds up */
	u64 shared_lazy;
	bool alive;
	struct pmesh_tr_missing *miss;
};

static struct node *nodes;
static unsigned int n_nodes, n_senders, n_msgs, interval = 10;
static unsigned int loss_pct, fail_pct, jitter = 1;
static u64 rng = 88172645463325252ULL;
static struct ev *wheel[HORIZON];
static u32 now;
static int mode;
static u8 *held;	/* [msg][node] */
static u8 *hop_of;	/* [msg][node]: hops of the first copy */
static u64 *origin_lazy;	/* [node][sender] */
static u32 *parent_rx;		/* [node][sender]: last first copy pushed */
static u8 *parent_slot;		/* [node][sender]: who pushed it */
static bool spare_parent;	/* -p: a fetched copy goes on, not to the parent */
static unsigned long needless, lost_frames, graft_why[3];
static bool repair_mode;
static bool two_strikes;
static bool ids_only;		/* -o: a fetched copy goes on as ids only */	/* -2: prune on a second duplicate in a row */
static u64 *strikes;		/* [node][sender] */	/* -r: REPAIR, not GRAFT, while the parent pushes */
static unsigned int depth_ms;	/* -d: the wait grows by this a hop of depth */
static u32 total_msgs;

/* Counters, whole stream [0] and second half [1]. */
static unsigned long payload_rx[2], deliveries[2], ids_tx[2], grafts[2],
	prunes[2], repairs[2];

static u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned int below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

static int slot_of(const struct node *x, u32 peer)
{
	unsigned int i;

	for (i = 0; i < x->deg; i++)
		if (x->nb[i] == peer)
			return i;
	return -1;
}

static bool linked(u32 a, u32 b)
{
	return a == b || slot_of(&nodes[a], b) >= 0;
}

/* A random graph, every degree 4 or 5, connected with high probability. */
static void build(void)
{
	unsigned int i, tries;

	for (i = 0; i < n_nodes; i++) {
		while (nodes[i].deg < DEG_MIN) {
			u32 j;

			for (tries = 0; tries < 1000; tries++) {
				j = below(n_nodes);
				if (!linked(i, j) && nodes[j].deg < DEG_MAX)
					break;
			}
			if (tries == 1000)
				break;
			nodes[i].nb[nodes[i].deg++] = j;
			nodes[j].nb[nodes[j].deg++] = i;
		}
	}
	for (i = 0; i < n_nodes; i++) {
		nodes[i].up = nodes[i].deg == 64 ? ~0ULL :
			      (1ULL << nodes[i].deg) - 1;
		nodes[i].alive = true;
	}
}

static void send_ev(u8 type, u32 from, u32 to, u32 msg, u32 hops, u32 delay)
{
	struct ev *e;

	if (below(100) < loss_pct) {
		lost_frames += type == E_PAYLOAD;
		return;
	}
	e = malloc(sizeof(*e));
	if (!e) {
		perror("treesim");
		exit(2);
	}
	*e = (struct ev){ .type = type, .from = from, .to = to, .msg = msg,
			  .hops = hops };
	delay += 2 + (u32)(((u64)from * 2654435761u ^ (u64)to * 40503u) % 7) +
		 below(jitter + 1);
	e->next = wheel[(now + delay) % HORIZON];
	wheel[(now + delay) % HORIZON] = e;
}

static int half(u32 msg)
{
	return msg % n_msgs >= n_msgs / 2;
}

static void count(unsigned long *c, u32 msg, unsigned long v)
{
	c[0] += v;
	if (half(msg))
		c[1] += v;
}

static u32 sender_of(u32 msg)
{
	return n_senders == 1 ? 0 : msg / n_msgs;
}

static u64 *lazy_of(u32 node, u32 msg)
{
	if (mode == SHARED)
		return &nodes[node].shared_lazy;
	return &origin_lazy[(size_t)node * n_senders +
			    (n_senders == 1 ? 0 : sender_of(msg))];
}

static struct pmesh_tr_id id_of(u32 msg)
{
	return (struct pmesh_tr_id){ .origin = sender_of(msg) + 1, .epoch = 1,
				     .seq = msg };
}

/* A first copy at @x (or its own datagram, from -1): on it goes. */
static void forward(u32 x, int from, u32 msg, u32 hops)
{
	struct node *n = &nodes[x];
	struct pmesh_tr_fwd f;
	unsigned int i;

	if (mode == FLOOD) {
		f.eager = n->up & ~(from >= 0 ? 1ULL << from : 0);
		f.lazy = 0;
	} else {
		f = pmesh_tr_first(lazy_of(x, msg), n->up, from);
	}
	for (i = 0; i < n->deg; i++) {
		if (f.eager >> i & 1)
			send_ev(E_PAYLOAD, x, n->nb[i], msg, hops + 1, 0);
		if (f.lazy >> i & 1) {
			send_ev(E_IHAVE, x, n->nb[i], msg, hops + 1, BATCH_MS);
			count(ids_tx, msg, 1);
		}
	}
}

/* The hops of the last datagram of @msg's origin that @x holds. */
static u32 msg_depth(u32 x, u32 msg)
{
	u32 s = sender_of(msg), first = s * n_msgs, m;

	for (m = msg; m > first; m--)
		if (held[(size_t)(m - 1) * n_nodes + x])
			return hop_of[(size_t)(m - 1) * n_nodes + x];
	return 0;
}

static void deliver(const struct ev *e)
{
	struct node *n = &nodes[e->to];
	size_t k = (size_t)e->msg * n_nodes + e->to;
	int s = slot_of(n, e->from);
	struct pmesh_tr_id id = id_of(e->msg);

	if (!n->alive || !nodes[e->from].alive || s < 0)
		return;
	switch (e->type) {
	case E_REPAIRED:
		/* Fetched: it changes no tree. */
		count(payload_rx, e->msg, 1);
		if (held[k]) {
			needless++;
			return;
		}
		held[k] = 1;
		hop_of[k] = e->hops > 255 ? 255 : e->hops;
		count(deliveries, e->msg, 1);
		pmesh_tr_got(n->miss, &id);
		if (ids_only) {
			/* Its id to every other neighbour: each fetches. */
			unsigned int i;

			for (i = 0; i < n->deg; i++) {
				if ((int)i == s || !(n->up >> i & 1))
					continue;
				send_ev(E_IHAVE, e->to, n->nb[i], e->msg,
					e->hops + 1, 0);
				count(ids_tx, e->msg, 1);
			}
			return;
		}
		{
			u64 *lz = lazy_of(e->to, e->msg), was = *lz;
			size_t o = (size_t)e->to * n_senders +
				   (n_senders == 1 ? 0 : sender_of(e->msg));
			u64 up = n->up;

			/* Not back up to the parent: it holds it, or will. */
			if (spare_parent && parent_slot[o] != 0xff)
				n->up &= ~(1ULL << parent_slot[o]);
			forward(e->to, s, e->msg, e->hops);
			n->up = up;
			*lz = was;
		}
		return;
	case E_REPAIR:
		if (held[k])
			send_ev(E_REPAIRED, e->to, e->from, e->msg,
				hop_of[k] + 1, 0);
		return;
	case E_PAYLOAD:
		count(payload_rx, e->msg, 1);
		if (held[k]) {
			u64 *st = &strikes[(size_t)e->to * n_senders +
					   (n_senders == 1 ? 0 : sender_of(e->msg))];

			if (two_strikes && mode != FLOOD &&
			    !(*lazy_of(e->to, e->msg) >> s & 1) &&
			    !(*st >> s & 1)) {
				*st |= 1ULL << s;
				return;
			}
			*st &= ~(1ULL << s);
			if (mode != FLOOD && pmesh_tr_duplicate(lazy_of(e->to, e->msg), s)) {
				send_ev(E_PRUNE, e->to, e->from, e->msg, 0, 0);
				count(prunes, e->msg, 1);
			}
			return;
		}
		held[k] = 1;
		hop_of[k] = e->hops > 255 ? 255 : e->hops;
		count(deliveries, e->msg, 1);
		parent_rx[(size_t)e->to * n_senders +
			  (n_senders == 1 ? 0 : sender_of(e->msg))] = now;
		parent_slot[(size_t)e->to * n_senders +
			    (n_senders == 1 ? 0 : sender_of(e->msg))] = s;
		strikes[(size_t)e->to * n_senders +
			(n_senders == 1 ? 0 : sender_of(e->msg))] &= ~(1ULL << s);
		if (mode != FLOOD)
			pmesh_tr_got(n->miss, &id);
		forward(e->to, s, e->msg, e->hops);
		return;
	case E_IHAVE:
		if (!held[k]) {
			/* This node's depth: the hops of its last copy. */
			u32 d = msg_depth(e->to, e->msg);

			pmesh_tr_ihave(n->miss, now, &id, s,
				       PMESH_TR_TIMEOUT1_MS + d * depth_ms);
		}
		return;
	case E_GRAFT:
		pmesh_tr_graft(lazy_of(e->to, e->msg), s);
		if (held[k])
			send_ev(E_PAYLOAD, e->to, e->from, e->msg,
				hop_of[k] + 1, 0);
		return;
	case E_PRUNE:
		pmesh_tr_prune(lazy_of(e->to, e->msg), s);
		return;
	}
}

static void step(void)
{
	struct pmesh_tr_graft g[64];
	struct ev *e, *next;
	unsigned int i, k, j;

	e = wheel[now % HORIZON];
	wheel[now % HORIZON] = NULL;
	for (; e; e = next) {
		next = e->next;
		deliver(e);
		free(e);
	}
	if (mode == FLOOD)
		goto out;
	for (i = 0; i < n_nodes; i++) {
		if (!nodes[i].alive || !nodes[i].miss->n)
			continue;
		do {
			k = pmesh_tr_expire(nodes[i].miss, now, g, 64);
			for (j = 0; j < k; j++) {
				u32 msg = g[j].id.seq;
				u32 last = parent_rx[(size_t)i * n_senders +
					(n_senders == 1 ? 0 : sender_of(msg))];

				if (repair_mode && now - last < 10 * interval) {
					send_ev(E_REPAIR, i, nodes[i].nb[g[j].slot],
						msg, 0, 0);
					count(repairs, msg, 1);
					continue;
				}
				if (!(nodes[i].up & ~*lazy_of(i, msg)))
					graft_why[0]++;	/* no eager link left */
				else if (now - last > 1000)
					graft_why[1]++;	/* silent for long */
				else
					graft_why[2]++;
				pmesh_tr_graft(lazy_of(i, msg), g[j].slot);
				send_ev(E_GRAFT, i, nodes[i].nb[g[j].slot], msg,
					0, 0);
				count(grafts, msg, 1);
			}
		} while (k == 64);
	}
out:
	now++;
}

static void fail_some(void)
{
	unsigned int c = 0, target = n_nodes * fail_pct / 100;

	while (c < target) {
		u32 v = below(n_nodes);

		if (v && nodes[v].alive) {	/* not a sender of -S 1 */
			nodes[v].alive = false;
			c++;
		}
	}
}

/* Dead neighbours found down: out of the up masks and missing tables. */
static void find_dead(void)
{
	unsigned int i, s;

	for (i = 0; i < n_nodes; i++) {
		for (s = 0; s < nodes[i].deg; s++) {
			if (nodes[nodes[i].nb[s]].alive || !(nodes[i].up >> s & 1))
				continue;
			nodes[i].up &= ~(1ULL << s);
			if (nodes[i].miss)
				pmesh_tr_neigh_down(nodes[i].miss, s);
		}
	}
}

static void run(int m)
{
	u32 msg, t_fail = UINT32_MAX, t_dead = UINT32_MAX, end;
	unsigned int i, alive = 0, h;
	double ldh[2] = { 0, 0 };
	unsigned long got[2] = { 0, 0 }, want[2] = { 0, 0 }, nm[2] = { 0, 0 };
	struct node *saved = malloc(n_nodes * sizeof(*saved));
	int w;

	mode = m;
	memcpy(saved, nodes, n_nodes * sizeof(*saved));
	memset(held, 0, (size_t)total_msgs * n_nodes);
	memset(payload_rx, 0, sizeof(payload_rx));
	memset(deliveries, 0, sizeof(deliveries));
	memset(ids_tx, 0, sizeof(ids_tx));
	memset(grafts, 0, sizeof(grafts));
	memset(prunes, 0, sizeof(prunes));
	memset(repairs, 0, sizeof(repairs));
	memset(parent_rx, 0, (size_t)n_nodes * n_senders * sizeof(u32));
	memset(parent_slot, 0xff, (size_t)n_nodes * n_senders);
	memset(strikes, 0, (size_t)n_nodes * n_senders * sizeof(u64));
	memset(origin_lazy, 0, (size_t)n_nodes * n_senders * sizeof(u64));
	for (i = 0; i < n_nodes; i++) {
		nodes[i].shared_lazy = 0;
		pmesh_tr_missing_init(nodes[i].miss);
	}
	now = 0;
	if (fail_pct) {
		t_fail = n_msgs / 2 * interval;
		t_dead = t_fail + DEAD_MS;
	}
	/* Datagram j of every sender goes at j * interval, senders in turn. */
	for (end = n_msgs * interval + 2 * DEAD_MS; now < end;) {
		if (now % interval == 0 && now / interval < n_msgs) {
			u32 j = now / interval, s;

			for (s = 0; s < n_senders; s++) {
				u32 src = n_senders == 1 ? 0 : s;

				msg = s * n_msgs + j;
				if (!nodes[src].alive)
					continue;
				held[(size_t)msg * n_nodes + src] = 1;
				hop_of[(size_t)msg * n_nodes + src] = 0;
				forward(src, -1, msg, 0);
			}
		}
		if (now == t_fail)
			fail_some();
		if (now == t_dead)
			find_dead();
		step();
	}
	for (i = 0; i < n_nodes; i++)
		alive += nodes[i].alive;
	for (msg = 0; msg < total_msgs; msg++) {
		u32 src = sender_of(msg);

		if (!nodes[src].alive)
			continue;
		h = 0;
		for (i = 0; i < n_nodes; i++) {
			size_t k = (size_t)msg * n_nodes + i;

			if (!nodes[i].alive || i == src)
				continue;
			for (w = 0; w < 2; w++) {
				if (w && !half(msg))
					continue;
				want[w]++;
				got[w] += held[k];
			}
			if (held[k] && hop_of[k] > h)
				h = hop_of[k];
		}
		for (w = 0; w < 2; w++) {
			if (w && !half(msg))
				continue;
			ldh[w] += h;
			nm[w]++;
		}
	}
	for (w = 0; w < 2; w++) {
		double d = deliveries[w] ? deliveries[w] : 1;

		printf("  %-17s %-6s %8.3f %9.4f %6.2f %8.3f %8.4f %8.4f %8.4f\n",
		       w ? "" : mode_name[m], w ? "half 2" : "all",
		       payload_rx[w] / d - 1, want[w] ? (double)got[w] / want[w] : 0,
		       nm[w] ? ldh[w] / nm[w] : 0, ids_tx[w] / d, grafts[w] / d,
		       prunes[w] / d, repairs[w] / d);
	}
	if (repair_mode && m != FLOOD)
		printf("  %-17s payloads lost %lu, fetched copies already held %lu; grafts: no eager link %lu, silent > 1 s %lu, else %lu\n",
		       "", lost_frames, needless, graft_why[0], graft_why[1],
		       graft_why[2]);
	lost_frames = needless = 0;
	memset(graft_why, 0, sizeof(graft_why));
	memcpy(nodes, saved, n_nodes * sizeof(*saved));
	free(saved);
}

int main(int argc, char **argv)
{
	unsigned long seed = 1;
	unsigned int i;
	int opt, m;

	n_nodes = 1000;
	n_senders = 1;
	n_msgs = 200;
	while ((opt = getopt(argc, argv, "n:s:S:m:i:j:l:f:rd:2op")) != -1) {
		switch (opt) {
		case 'n': n_nodes = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoul(optarg, NULL, 0); break;
		case 'S': n_senders = strtoul(optarg, NULL, 0); break;
		case 'm': n_msgs = strtoul(optarg, NULL, 0); break;
		case 'i': interval = strtoul(optarg, NULL, 0); break;
		case 'j': jitter = strtoul(optarg, NULL, 0); break;
		case 'r': repair_mode = true; break;
		case '2': two_strikes = true; break;
		case 'o': ids_only = true; break;
		case 'p': spare_parent = true; break;
		case 'd': depth_ms = strtoul(optarg, NULL, 0); break;
		case 'l': loss_pct = strtoul(optarg, NULL, 0); break;
		case 'f': fail_pct = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: treesim [-n NODES] [-s SEED] [-S 1|0] [-m MSGS] [-i MS] [-j MS] [-l LOSS] [-f FAIL]\n");
			return 2;
		}
	}
	if (n_nodes < 8 || !n_msgs || !interval || fail_pct > 90 || loss_pct > 50)
		return 2;
	if (n_senders != 1)
		n_senders = n_nodes;
	rng ^= seed * 0x9e3779b97f4a7c15ULL;
	total_msgs = n_senders * n_msgs;
	nodes = calloc(n_nodes, sizeof(*nodes));
	held = calloc((size_t)total_msgs, n_nodes);
	hop_of = calloc((size_t)total_msgs, n_nodes);
	origin_lazy = calloc((size_t)n_nodes * n_senders, sizeof(u64));
	parent_rx = calloc((size_t)n_nodes * n_senders, sizeof(u32));
	parent_slot = malloc((size_t)n_nodes * n_senders);
	strikes = calloc((size_t)n_nodes * n_senders, sizeof(u64));
	if (!nodes || !held || !hop_of || !origin_lazy || !parent_rx) {
		perror("treesim");
		return 2;
	}
	for (i = 0; i < n_nodes; i++) {
		nodes[i].miss = malloc(sizeof(*nodes[i].miss));
		if (!nodes[i].miss) {
			perror("treesim");
			return 2;
		}
	}
	build();
	printf("treesim: %u nodes, degree %d..%d, %s, %u datagrams each %u ms, jitter %u ms, loss %u%%, %u%% fail halfway; seed %lu\n",
	       n_nodes, DEG_MIN, DEG_MAX,
	       n_senders == 1 ? "one sender" : "every node sending",
	       n_msgs, interval, jitter, loss_pct, fail_pct, seed);
	printf("  %-17s %-6s %8s %9s %6s %8s %8s %8s %8s\n", "mode", "part",
	       "dups/dl", "delivered", "ldh", "ids/dl", "grafts", "prunes",
	       "repairs");
	for (m = 0; m < MODES; m++)
		run(m);
	return 0;
}
