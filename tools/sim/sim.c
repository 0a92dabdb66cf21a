// SPDX-License-Identifier: GPL-2.0
/*
 * The overlay simulator: kmod/core/overlay.c, the module's own decisions,
 * run for thousands of nodes in steps of a tenth of a hello interval
 * (Documentation/design/self-building-mesh.md, "The simulator").
 *
 * Each node has a struct pmesh_ov and a neighbour table that follows the
 * module's rules: a neighbour is up while heard within the dead interval;
 * a learned one that falls silent is removed; a hello from a stranger is
 * put to pmesh_ov_admit(); an exchange frame is taken from a neighbour up,
 * a SAMPLE also from a configured peer, a JOIN from anyone. Every frame
 * arrives the step after it is sent; a dead node sends and takes nothing.
 * Nodes join through node 0 (their one configured peer), RATE a second.
 * A node's membership table is taken to hold exactly the nodes of its
 * component, as of the last whole hello interval (announcements flood it;
 * the module's tables lag by their timeouts); the nodes it lost, those of
 * its component before the last failure or split that are not now.
 *
 * It prints the degree distribution, the diameter and mean path, the
 * passive views' health and the control frames a node sends, then for
 * 10, 30 and 50 % of the nodes failing at once: the largest component
 * left, the survivors cut off, and the hello intervals until the survivors
 * are connected again and until every one with a neighbour left is back
 * to min-neigh. It exits 1 if an invariant breaks: a degree past max-neigh
 * by anything but configured peers, a view past its caps, or the survivors
 * of 30 % not connected within 10 hello intervals of the failure's
 * detection. Last, the network splits into two halves for a minute (each
 * heals on its own, and forgets the other), then joins again: the hello
 * intervals until the overlay is one again.
 *
 *   sim [-n NODES] [-s SEED] [-r JOINS_A_SECOND] [-m MIN] [-M MAX] [-q]
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "beacon.h"
#include "overlay.h"

#define HELLO_MS	PMESH_DEFAULT_HELLO_INTERVAL
#define DEAD_MS		PMESH_DEFAULT_DEAD_INTERVAL
#define STEP_MS		(HELLO_MS / 10)
#define PORT		PMESH_DEFAULT_PORT
#define MAX_NB		(PMESH_OV_MAX_LEARNED + 1)

struct snb {
	u32 idx;
	u8 kind;
	bool up;
	u32 heard;
	u32 up_ms;
	u32 created;
	u8 degree;
};

struct node {
	struct pmesh_ov ov;
	struct snb nb[MAX_NB];
	unsigned int n_nb;
	bool alive;
	bool joined;
	u32 join_at;
	u32 settled;	/* ms after join_at that its degree reached min-neigh, +1 */
};

enum { M_HELLO, M_PX };

struct msg {
	u8 type;
	u32 from, to;
	struct pmesh_px px;
};

/* Frames sent, by kind, while counting is on. */
enum { C_HELLO, C_JOIN, C_WALK, C_SHUFFLE, C_SAMPLE, C_DISCONNECT, C_KINDS };
static const char *const cname[C_KINDS] = {
	"hello", "join", "walk", "shuffle", "sample", "disconnect"
};

static struct node *nodes;
static unsigned int n_nodes;
static bool split;	/* frames between the two halves are lost */
static struct msg *q[2];
static size_t qn[2], qcap[2];
static int cur;
static u32 now;
static unsigned long sent[C_KINDS];
static unsigned int max_learned_seen;
static int broken;

static void addr_of(u32 idx, u8 *a)
{
	const u8 v4[4] = { 10, idx >> 16, idx >> 8, idx };

	pmesh_px_addr_set_v4(a, v4);
}

static u32 idx_of(const u8 *a)
{
	return (u32)a[13] << 16 | (u32)a[14] << 8 | a[15];
}

static struct msg *enqueue(u8 type, u32 from, u32 to)
{
	int w = !cur;
	struct msg *m;

	if (qn[w] == qcap[w]) {
		qcap[w] = qcap[w] ? 2 * qcap[w] : 4096;
		q[w] = realloc(q[w], qcap[w] * sizeof(*q[w]));
		if (!q[w]) {
			perror("sim");
			exit(2);
		}
	}
	m = &q[w][qn[w]++];
	m->type = type;
	m->from = from;
	m->to = to;
	return m;
}

static void hello(u32 from, u32 to)
{
	enqueue(M_HELLO, from, to);
	sent[C_HELLO]++;
}

static void px_send(u32 from, u32 to, const struct pmesh_px *px)
{
	struct msg *m = enqueue(M_PX, from, to);

	m->px = *px;
	sent[px->op]++;	/* C_JOIN .. C_DISCONNECT are the ops */
}

static struct snb *nb_find(struct node *x, u32 idx)
{
	unsigned int i;

	for (i = 0; i < x->n_nb; i++)
		if (x->nb[i].idx == idx)
			return &x->nb[i];
	return NULL;
}

static void nb_remove(struct node *x, struct snb *s)
{
	*s = x->nb[--x->n_nb];
}

static unsigned int snapshot(const struct node *x, struct pmesh_ov_neigh *o)
{
	unsigned int i;

	for (i = 0; i < x->n_nb; i++) {
		const struct snb *s = &x->nb[i];

		memset(&o[i], 0, sizeof(o[i]));
		o[i].id = s->up ? s->idx + 1 : 0;
		addr_of(s->idx, o[i].addr);
		o[i].port = PORT;
		o[i].kind = s->kind;
		o[i].up = s->up;
		o[i].up_ms = s->up_ms;
		o[i].degree = s->degree;
	}
	return x->n_nb;
}

static void check(struct node *x)
{
	unsigned int i, learned = 0, cand_from[MAX_NB] = { 0 };

	for (i = 0; i < x->n_nb; i++)
		learned += x->nb[i].kind == PMESH_OV_LEARNED;
	if (learned > max_learned_seen)
		max_learned_seen = learned;
	if (learned > x->ov.max_neigh) {
		fprintf(stderr, "sim: node %ld has %u learned neighbours\n",
			(long)(x - nodes), learned);
		broken = 1;
	}
	if (x->ov.n_view > PMESH_OV_PASSIVE_MAX) {
		fprintf(stderr, "sim: a view of %u\n", x->ov.n_view);
		broken = 1;
	}
	(void)cand_from;
}

static void act(u32 self, const struct pmesh_ov_action *a, unsigned int n)
{
	struct node *x = &nodes[self];
	struct snb *s;
	unsigned int i;

	for (i = 0; i < n; i++, a++) {
		u32 to = idx_of(a->addr);

		switch (a->act) {
		case PMESH_OV_TRY:
			if (nb_find(x, to) || x->n_nb == MAX_NB || to == self)
				break;
			s = &x->nb[x->n_nb++];
			memset(s, 0, sizeof(*s));
			s->idx = to;
			s->kind = PMESH_OV_LEARNED;
			s->created = now;
			hello(self, to);
			break;
		case PMESH_OV_GIVE_UP:
			s = nb_find(x, to);
			if (s && s->kind == PMESH_OV_LEARNED && !s->up)
				nb_remove(x, s);
			break;
		case PMESH_OV_SHED:
			px_send(self, to, &a->px);
			/* fall through */
		case PMESH_OV_DROP:
			s = nb_find(x, to);
			if (s && s->kind == PMESH_OV_LEARNED)
				nb_remove(x, s);
			break;
		case PMESH_OV_SEND:
			px_send(self, to, &a->px);
			break;
		}
	}
	check(x);
}

static void deliver(const struct msg *m)
{
	struct pmesh_ov_neigh snap[MAX_NB];
	struct pmesh_ov_action out[PMESH_OV_MAX_ACTIONS];
	struct node *x = &nodes[m->to];
	struct snb *s;
	unsigned int n, k;
	u8 a[16];

	if (!x->alive || !x->joined || !nodes[m->from].alive)
		return;
	if (split && (m->from < n_nodes / 2) != (m->to < n_nodes / 2))
		return;
	s = nb_find(x, m->from);
	addr_of(m->from, a);
	if (m->type == M_HELLO) {
		if (s) {
			s->heard = now;
			if (!s->up) {
				s->up = true;
				s->up_ms = now;
			}
			return;
		}
		n = snapshot(x, snap);
		if (x->n_nb == MAX_NB ||
		    !pmesh_ov_admit(&x->ov, now, snap, n, m->from + 1, a, PORT))
			return;
		/* As in the module: up at its next hello, which this one's asks. */
		s = &x->nb[x->n_nb++];
		memset(s, 0, sizeof(*s));
		s->idx = m->from;
		s->kind = PMESH_OV_LEARNED;
		s->created = now;
		hello(m->to, m->from);
		check(x);
		return;
	}
	/* The module's policy: a JOIN from anyone, a SAMPLE also from a
	 * configured peer, the rest from a neighbour up; addressed here.
	 */
	if (m->px.op != PMESH_PX_JOIN && m->px.to != m->to + 1)
		return;
	if (m->px.op != PMESH_PX_JOIN && !(s && s->up) &&
	    !(m->px.op == PMESH_PX_SAMPLE && s && s->kind == PMESH_OV_CONFIGURED))
		return;
	if (s)
		s->degree = m->px.degree;
	n = snapshot(x, snap);
	k = pmesh_ov_rx(&x->ov, now, snap, n, m->from + 1, a, PORT, &m->px,
			out, PMESH_OV_MAX_ACTIONS);
	act(m->to, out, k);
}

/*
 * Component labels, for the membership tables (label_components()), and
 * as they were before the last failure or split.
 */
static u32 *comp, *comp_ref;
static unsigned long sent_bridges;

static bool lost(void *self, u64 id)
{
	u32 a = *(u32 *)self, b = (u32)(id - 1);

	return b < n_nodes && comp_ref[b] == comp_ref[a] &&
	       (comp[b] == UINT32_MAX || comp[b] != comp[a]);
}

static void round_of(u32 i)
{
	struct pmesh_ov_neigh snap[MAX_NB];
	struct pmesh_ov_action out[PMESH_OV_MAX_ACTIONS];
	struct node *x = &nodes[i];
	unsigned int j, n, k;

	for (j = 0; j < x->n_nb;) {
		struct snb *s = &x->nb[j];

		if (s->up && now - s->heard > DEAD_MS) {
			if (s->kind == PMESH_OV_LEARNED) {
				nb_remove(x, s);
				continue;
			}
			s->up = false;
		}
		/* The module's prune: never heard back within the grace. */
		if (s->kind == PMESH_OV_LEARNED && !s->up &&
		    now - s->created > DEAD_MS + 2 * HELLO_MS) {
			nb_remove(x, s);
			continue;
		}
		j++;
	}
	for (j = 0; j < x->n_nb; j++)
		hello(i, x->nb[j].idx);
	n = snapshot(x, snap);
	k = pmesh_ov_round(&x->ov, now, snap, n, out, PMESH_OV_MAX_ACTIONS);
	act(i, out, k);
	n = snapshot(x, snap);
	k = pmesh_ov_bridge(&x->ov, now, snap, n, lost, &i, out,
			    PMESH_OV_MAX_ACTIONS);
	sent_bridges += k;
	act(i, out, k);
}

static void label_components(void);

static void step(void)
{
	size_t i;
	u32 j;

	if (!(now % HELLO_MS))
		label_components();
	cur = !cur;
	for (i = 0; i < qn[cur]; i++)
		deliver(&q[cur][i]);
	qn[cur] = 0;
	for (j = 0; j < n_nodes; j++) {
		struct node *x = &nodes[j];

		if (!x->alive)
			continue;
		if (!x->joined) {
			if (now < x->join_at)
				continue;
			x->joined = true;
		}
		if (j % 10 == (now / STEP_MS) % 10)
			round_of(j);
	}
	now += STEP_MS;
}

static unsigned int degree(u32 i);

static void settle_check(void)
{
	u32 j;

	for (j = 0; j < n_nodes; j++)
		if (nodes[j].joined && !nodes[j].settled && nodes[j].alive &&
		    degree(j) >= nodes[j].ov.min_neigh)
			nodes[j].settled = now - nodes[j].join_at + 1;
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static void report_joins(void)
{
	u32 *t = calloc(n_nodes, sizeof(*t));
	unsigned int j, k = 0;

	if (!t)
		return;
	for (j = 1; j < n_nodes; j++)
		if (nodes[j].settled)
			t[k++] = nodes[j].settled - 1;
	qsort(t, k, sizeof(*t), cmp_u32);
	if (k)
		printf("  join to min-neigh: median %.1f s, 99th percentile %.1f s, longest %.1f s; %u never\n",
		       t[k / 2] / 1000.0, t[k * 99 / 100] / 1000.0,
		       t[k - 1] / 1000.0, n_nodes - 1 - k);
	free(t);
}

/* Mutual edges up between live nodes: what a datagram is flooded over. */
static bool edge(u32 a, const struct snb *s)
{
	struct snb *back;

	if (!s->up || !nodes[s->idx].alive)
		return false;
	back = nb_find(&nodes[s->idx], a);
	return back && back->up;
}

static unsigned int degree(u32 i)
{
	unsigned int j, d = 0;

	for (j = 0; j < nodes[i].n_nb; j++)
		d += edge(i, &nodes[i].nb[j]);
	return d;
}

static u32 *dist, *bfsq;

/* Distances from @src over live edges; returns the farthest, *reached. */
static u32 bfs(u32 src, unsigned int *reached, double *sum)
{
	unsigned int h = 0, t = 0, j;
	u32 far = 0;

	for (j = 0; j < n_nodes; j++)
		dist[j] = UINT32_MAX;
	dist[src] = 0;
	bfsq[t++] = src;
	while (h < t) {
		u32 u = bfsq[h++];

		far = dist[u];
		if (sum)
			*sum += dist[u];
		for (j = 0; j < nodes[u].n_nb; j++) {
			const struct snb *s = &nodes[u].nb[j];

			if (dist[s->idx] != UINT32_MAX || !edge(u, s))
				continue;
			dist[s->idx] = dist[u] + 1;
			bfsq[t++] = s->idx;
		}
	}
	*reached = t;
	return far;
}

static unsigned int alive_count(void)
{
	unsigned int j, n = 0;

	for (j = 0; j < n_nodes; j++)
		n += nodes[j].alive;
	return n;
}

static u32 first_alive(void)
{
	u32 j;

	for (j = 0; j < n_nodes && !nodes[j].alive; j++)
		;
	return j;
}

/* Each live node's component, numbered; UINT32_MAX for a dead one. */
static void label_components(void)
{
	unsigned int j, r, k, c = 0;

	for (j = 0; j < n_nodes; j++)
		comp[j] = UINT32_MAX;
	for (j = 0; j < n_nodes; j++) {
		if (!nodes[j].alive || comp[j] != UINT32_MAX)
			continue;
		bfs(j, &r, NULL);
		for (k = 0; k < r; k++)
			comp[bfsq[k]] = c;
		c++;
	}
}

/* The largest component's size, by BFS from every node not yet reached. */
static unsigned int largest(unsigned int *components)
{
	static u8 *seen;
	unsigned int j, best = 0, r, c = 0, k;

	seen = realloc(seen, n_nodes);
	memset(seen, 0, n_nodes);
	for (j = 0; j < n_nodes; j++) {
		if (!nodes[j].alive || seen[j])
			continue;
		bfs(j, &r, NULL);
		for (k = 0; k < r; k++)
			seen[bfsq[k]] = 1;
		if (r > best)
			best = r;
		c++;
	}
	if (components)
		*components = c;
	return best;
}

static void report_shape(const char *when, int quiet)
{
	unsigned int hist[MAX_NB + 1] = { 0 }, j, r, dmax = 0, comps;
	u32 diam = 0, ecc;
	double sum = 0, paths = 0, views = 0, live = 0;
	unsigned int sources = n_nodes <= 2000 ? n_nodes : 1000, step_src;
	unsigned int alive = alive_count();

	for (j = 0; j < n_nodes; j++) {
		unsigned int d, k;

		if (!nodes[j].alive)
			continue;
		d = degree(j);
		hist[d]++;
		if (d > dmax)
			dmax = d;
		views += nodes[j].ov.n_view;
		for (k = 0; k < nodes[j].ov.n_view; k++)
			live += nodes[idx_of(nodes[j].ov.view[k].addr)].alive;
	}
	step_src = n_nodes / sources;
	for (j = 0; j < n_nodes; j += step_src) {
		if (!nodes[j].alive)
			continue;
		ecc = bfs(j, &r, &sum);
		paths += r - 1;
		if (ecc > diam)
			diam = ecc;
	}
	printf("%s: %u nodes, largest component %u of %u\n", when, alive,
	       largest(&comps), alive);
	printf("  degree:");
	for (j = 0; j <= dmax; j++)
		if (hist[j])
			printf(" %u:%u", j, hist[j]);
	printf("\n  diameter %u%s, mean path %.2f; views %.1f candidates, %.0f%% alive\n",
	       diam, sources < n_nodes ? " (from 1000 sources)" : "",
	       paths ? sum / paths : 0, views / alive,
	       views ? 100 * live / views : 0);
	(void)quiet;
}

static int usage(void)
{
	fprintf(stderr, "usage: sim [-n NODES] [-s SEED] [-r JOINS_A_SECOND] [-m MIN] [-M MAX]\n");
	return 2;
}

static void run_for(u32 ms)
{
	u32 end = now + ms;

	while (now < end) {
		step();
		if (!(now % 1000))
			settle_check();
	}
}

/* Steps until the survivors are one component, and all up to min-neigh. */
static void heal(unsigned int alive, int pct)
{
	u32 start = now, connected = 0, full = 0;
	unsigned int j, comps, low, isolated = 0;
	int limit_ok;

	while (now - start < 120000 && (!connected || !full)) {
		step();
		if (!connected && largest(&comps) == alive)
			connected = now - start;
		if (!full) {
			for (j = 0, low = 0; j < n_nodes; j++)
				low += nodes[j].alive &&
				       degree(j) < nodes[j].ov.min_neigh;
			if (!low)
				full = now - start;
		}
	}
	for (j = 0; j < n_nodes; j++)
		isolated += nodes[j].alive && !degree(j);
	printf("  connected again after %s%.1f s, every degree >= min-neigh after %s%.1f s; %u isolated at the end\n",
	       connected ? "" : ">", (connected ? connected : now - start) / 1000.0,
	       full ? "" : ">", (full ? full : now - start) / 1000.0, isolated);
	/* The failure is seen at the dead interval; 10 hello intervals on. */
	limit_ok = connected && connected <= DEAD_MS + HELLO_MS + 10 * HELLO_MS;
	if (pct == 30 && !limit_ok) {
		fprintf(stderr, "sim: 30%% failed and the survivors were not connected within 10 hello intervals of its detection\n");
		broken = 1;
	}
}

/* Two halves for a minute, then one network: until the overlay is one. */
static void rejoin(const struct node *saved)
{
	unsigned int comps, big;
	u32 start;

	memcpy(nodes, saved, n_nodes * sizeof(*nodes));
	qn[0] = qn[1] = 0;
	label_components();
	memcpy(comp_ref, comp, n_nodes * sizeof(*comp));
	split = true;
	run_for(60000);
	big = largest(&comps);
	split = false;
	start = now;
	while (now - start < 120000 && largest(NULL) < n_nodes)
		step();
	printf("split in halves for a minute: %u components, the largest %u; joined again, one overlay after %s%.1f s\n",
	       comps, big, largest(NULL) < n_nodes ? ">" : "",
	       (now - start) / 1000.0);
	if (largest(NULL) < n_nodes) {
		fprintf(stderr, "sim: the halves of a split never joined again\n");
		broken = 1;
	}
}

/*
 * Beacons on one Ethernet segment (core/beacon.c): each station, in hello
 * rounds of 1 s, beacons in the last round before its next is due; what
 * one station hears a second from the others, and for how long a silent
 * one stays up.
 */
static void report_beacons(void)
{
	static const unsigned int sizes[] = { 20, 200, 2000 };
	struct pmesh_beacon_plan b;
	struct pmesh_ov rng;
	unsigned int i;

	pmesh_ov_init(&rng, 1, 1, 0);
	printf("beacons a station hears a second on a segment of");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned int st = sizes[i], sent = 0;
		u32 t, next = 0;

		/*
		 * One station for an hour, the others alike: it beacons in
		 * the last round before its next is due (kmod/link.c).
		 */
		for (t = 0; t < 3600000; t += 1000) {
			if (next > t + 1000)
				continue;
			pmesh_beacon_plan(&b, 1000, 3000, st - 1,
					  pmesh_ov_rand(&rng));
			next = t + b.wait_ms;
			sent++;
		}
		printf("%s %u: %.1f (dead interval %.1f s)", i ? "," : "", st,
		       (st - 1) * sent / 3600.0, b.dead_ms / 1000.0);
	}
	printf("; one every hello interval would be 19, 199, 1999\n");
}

int main(int argc, char **argv)
{
	unsigned long seed = 1, rate = 20;
	unsigned int min = PMESH_DEFAULT_MIN_NEIGH;
	unsigned int max = PMESH_DEFAULT_MAX_NEIGH;
	struct node *saved;
	static const int pcts[] = { 10, 30, 50 };
	unsigned int j, i, c;
	int opt;

	n_nodes = 1000;
	while ((opt = getopt(argc, argv, "n:s:r:m:M:")) != -1) {
		switch (opt) {
		case 'n': n_nodes = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoul(optarg, NULL, 0); break;
		case 'r': rate = strtoul(optarg, NULL, 0); break;
		case 'm': min = strtoul(optarg, NULL, 0); break;
		case 'M': max = strtoul(optarg, NULL, 0); break;
		default: return usage();
		}
	}
	if (n_nodes < 2 || n_nodes > 1 << 24 || !rate || min >= max ||
	    max > PMESH_MAX_NEIGH_CEILING)
		return usage();

	nodes = calloc(n_nodes, sizeof(*nodes));
	saved = calloc(n_nodes, sizeof(*nodes));
	dist = calloc(n_nodes, sizeof(*dist));
	bfsq = calloc(n_nodes, sizeof(*bfsq));
	comp = calloc(n_nodes, sizeof(*comp));
	comp_ref = calloc(n_nodes, sizeof(*comp_ref));
	if (!nodes || !saved || !dist || !bfsq || !comp || !comp_ref) {
		perror("sim");
		return 2;
	}
	for (j = 0; j < n_nodes; j++) {
		struct node *x = &nodes[j];

		pmesh_ov_init(&x->ov, j + 1, seed * 0x9e3779b97f4a7c15ULL + j, 0);
		comp_ref[j] = j;	/* no one lost before the first failure */
		pmesh_ov_set(&x->ov, min, max, HELLO_MS);
		x->alive = true;
		x->join_at = (u64)j * 1000 / rate;
		if (j) {
			x->nb[0].idx = 0;
			x->nb[0].kind = PMESH_OV_CONFIGURED;
			x->n_nb = 1;
		}
	}
	printf("sim: %u nodes join through node 0, %lu a second; min-neigh %u, max-neigh %u; seed %lu\n",
	       n_nodes, rate, min, max, seed);
	report_beacons();
	run_for(nodes[n_nodes - 1].join_at + 1);
	report_shape("all joined", 0);
	for (c = 0; c < C_KINDS; c++)
		sent[c] = 0;
	sent_bridges = 0;
	run_for(60000);
	printf("  over the next minute, frames a node sends a second:");
	for (c = 0; c < C_KINDS; c++)
		printf(" %s %.2f", cname[c], sent[c] / 60.0 / n_nodes);
	printf("; tries of candidates not members: %lu\n", sent_bridges);
	report_shape("a minute later", 0);
	report_joins();
	printf("  learned neighbours of a node, at most: %u\n", max_learned_seen);

	memcpy(saved, nodes, n_nodes * sizeof(*nodes));
	for (i = 0; i < sizeof(pcts) / sizeof(pcts[0]); i++) {
		u32 t0 = now;
		unsigned int alive, comps, cut;

		memcpy(nodes, saved, n_nodes * sizeof(*nodes));
		now = t0;
		qn[0] = qn[1] = 0;
		label_components();
		memcpy(comp_ref, comp, n_nodes * sizeof(*comp));
		for (j = 0, c = 0; c < n_nodes * pcts[i] / 100; j++) {
			u32 v = (u32)(((u64)pmesh_ov_rand(&nodes[0].ov) * n_nodes) >> 32);

			if (nodes[v].alive) {
				nodes[v].alive = false;
				c++;
			}
		}
		alive = alive_count();
		cut = alive - largest(&comps);
		printf("%d%% fail at once: %u survivors; at once, the largest component holds %u (%u components, %u cut off)\n",
		       pcts[i], alive, alive - cut, comps, cut);
		heal(alive, pcts[i]);
		if (!first_alive())
			continue;
	}
	rejoin(saved);
	return broken;
}
