// SPDX-License-Identifier: GPL-2.0
/*
 * The self-building overlay's decisions (Documentation/design/
 * self-building-mesh.md): a passive view of candidates refreshed by
 * exchanges with neighbours, a degree kept between min-neigh and max-neigh
 * by trying candidates and shedding the least useful learned neighbour,
 * and joins spread by random walks (HyParView's, Leitão et al., DSN 2007).
 *
 * Every function takes the caller's snapshot of its neighbours and returns
 * what to do as actions; nothing here sends, allocates or sleeps. Times are
 * milliseconds on a clock that may wrap: compared by their difference.
 */
#include "overlay.h"

static bool after(u32 a, u32 b)
{
	return (s32)(a - b) >= 0;
}

/**
 * pmesh_ov_rand() - the next number of the overlay's generator
 * @ov: the overlay
 *
 * xorshift64*: decisions only (which candidate, which neighbour, when),
 * never anything an attacker gains by predicting beyond what it sees.
 *
 * Return: 32 random bits.
 */
u32 pmesh_ov_rand(struct pmesh_ov *ov)
{
	u64 x = ov->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	ov->rng = x;
	return (x * 0x2545f4914f6cdd1dULL) >> 32;
}

static unsigned int below(struct pmesh_ov *ov, unsigned int n)
{
	return n ? (u32)(((u64)pmesh_ov_rand(ov) * n) >> 32) : 0;
}

static u32 shuffle_ms(const struct pmesh_ov *ov)
{
	return ov->hello_ms * PMESH_OV_SHUFFLE_HELLOS;
}

/* A shuffle period drawn between 3/4 of it and the whole. */
static u32 shuffle_delay(struct pmesh_ov *ov)
{
	u32 p = shuffle_ms(ov);

	return p - p / 4 + below(ov, p / 4 + 1);
}

/**
 * pmesh_ov_init() - an overlay with the default settings
 * @ov: the overlay
 * @self: this node's id
 * @seed: the generator's seed
 * @now: the time
 */
void pmesh_ov_init(struct pmesh_ov *ov, u64 self, u64 seed, u32 now)
{
	memset(ov, 0, sizeof(*ov));
	ov->self = self;
	ov->rng = seed | 1;
	pmesh_ov_set(ov, PMESH_DEFAULT_MIN_NEIGH, PMESH_DEFAULT_MAX_NEIGH,
		     PMESH_DEFAULT_HELLO_INTERVAL);
	ov->join_backoff = 1;
	ov->join_window = now;
	ov->next_join = now;
	ov->next_shuffle = now + shuffle_delay(ov);
	ov->next_age = now + shuffle_ms(ov);
	ov->next_trim = now + shuffle_delay(ov);
	ov->last_quick = now - ov->hello_ms;
	ov->next_priority = now;
	ov->next_bridge = now + shuffle_delay(ov);
}

/**
 * pmesh_ov_set() - the settings, checked by the caller
 * @ov: the overlay
 * @min_neigh: below this degree, connect; less than @max_neigh
 * @max_neigh: the degree admissions stop at, up to PMESH_MAX_NEIGH_CEILING
 * @hello_ms: the hello interval
 */
void pmesh_ov_set(struct pmesh_ov *ov, u8 min_neigh, u8 max_neigh,
		  u32 hello_ms)
{
	ov->min_neigh = min_neigh;
	ov->max_neigh = max_neigh;
	ov->hello_ms = hello_ms;
}

static bool counts(const struct pmesh_ov_neigh *x)
{
	return x->up && (x->kind == PMESH_OV_CONFIGURED ||
			 x->kind == PMESH_OV_LEARNED || x->kind == PMESH_OV_LINK);
}

static bool udp(const struct pmesh_ov_neigh *x)
{
	return x->kind == PMESH_OV_CONFIGURED || x->kind == PMESH_OV_LEARNED;
}

/**
 * pmesh_ov_degree() - a node's degree
 * @nb: its neighbours
 * @n: how many
 *
 * Return: UDP neighbours up, configured and learned, plus the links with
 * a station up: one copy of a datagram goes to each.
 */
unsigned int pmesh_ov_degree(const struct pmesh_ov_neigh *nb, unsigned int n)
{
	unsigned int i, d = 0;

	for (i = 0; i < n; i++)
		d += counts(&nb[i]);
	return d;
}

/*
 * Neighbours on their way: learned ones not up yet, whether this node is
 * trying them or admitted them on a first hello and waits for the next (a
 * caller's table may lag its tries: the larger count holds). They count
 * against max-neigh, or admissions between two hellos would pile up.
 */
static unsigned int pending(const struct pmesh_ov *ov,
			    const struct pmesh_ov_neigh *nb, unsigned int n)
{
	unsigned int i, p = 0;

	for (i = 0; i < n; i++)
		p += nb[i].kind == PMESH_OV_LEARNED && !nb[i].up;
	return p > ov->n_try ? p : ov->n_try;
}

/* Tries of candidates not members (pmesh_ov_bridge()): likely dead. */
static unsigned int bridges(const struct pmesh_ov *ov)
{
	unsigned int i, b = 0;

	for (i = 0; i < ov->n_try; i++)
		b += ov->trying[i].bridge;
	return b;
}

static bool same_addr(const u8 *a, u16 ap, const u8 *b, u16 bp)
{
	return ap == bp && !memcmp(a, b, 16);
}

/* A UDP neighbour, up or tried, with this id or at this address. */
static const struct pmesh_ov_neigh *neigh_find(const struct pmesh_ov_neigh *nb,
					       unsigned int n, u64 id,
					       const u8 *addr, u16 port)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!udp(&nb[i]))
			continue;
		if ((id && nb[i].id == id) ||
		    (addr && same_addr(nb[i].addr, nb[i].port, addr, port)))
			return &nb[i];
	}
	return NULL;
}

static int try_find(const struct pmesh_ov *ov, const u8 *addr, u16 port)
{
	unsigned int i;

	for (i = 0; i < ov->n_try; i++)
		if (same_addr(ov->trying[i].addr, ov->trying[i].port, addr, port))
			return i;
	return -1;
}

/*
 * A deadline passed stays due only for 24.9 days of a u32 millisecond
 * clock: then after() finds it in the future again. Each round pulls the
 * ones passed up to now (still due), so none set only now and then (a
 * JOIN's, a trim's, a backoff's) is ever more than a round stale.
 */
static void pin(u32 now, u32 *at, u32 ahead)
{
	if (after(now, *at + ahead))
		*at = now - ahead;
}

static void pin_deadlines(struct pmesh_ov *ov, u32 now)
{
	unsigned int i;

	pin(now, &ov->next_join, 0);
	pin(now, &ov->next_shuffle, 0);
	pin(now, &ov->next_age, 0);
	pin(now, &ov->next_trim, 0);
	pin(now, &ov->next_priority, 0);
	pin(now, &ov->next_bridge, 0);
	pin(now, &ov->last_quick, ov->hello_ms);
	if (after(now, ov->join_window + 1000)) {
		ov->join_window = now;
		ov->joins = 0;
	}
	for (i = 0; i < PMESH_OV_BACKOFFS; i++)
		if (after(now, ov->backoff[i].until + 1))
			ov->backoff[i].until = now - 1;
}

static void try_remove(struct pmesh_ov *ov, unsigned int i)
{
	ov->trying[i] = ov->trying[--ov->n_try];
}

static bool backed_off(const struct pmesh_ov *ov, u32 now, u64 id)
{
	unsigned int i;

	for (i = 0; i < PMESH_OV_BACKOFFS; i++)
		if (ov->backoff[i].id == id && !after(now, ov->backoff[i].until))
			return true;
	return false;
}

/* Keep @id off for the backoff, in the slot that ends first. */
static void back_off(struct pmesh_ov *ov, u32 now, u64 id)
{
	struct pmesh_ov_backoff *b = &ov->backoff[0];
	unsigned int i;

	for (i = 0; i < PMESH_OV_BACKOFFS; i++) {
		if (ov->backoff[i].id == id) {
			b = &ov->backoff[i];
			break;
		}
		if ((s32)(ov->backoff[i].until - b->until) < 0)
			b = &ov->backoff[i];
	}
	b->id = id;
	b->until = now + PMESH_OV_BACKOFF_MS;
}

static int view_find(const struct pmesh_ov *ov, u64 id)
{
	unsigned int i;

	for (i = 0; i < ov->n_view; i++)
		if (ov->view[i].id == id)
			return i;
	return -1;
}

static void view_remove(struct pmesh_ov *ov, unsigned int i)
{
	ov->view[i] = ov->view[--ov->n_view];
}

/**
 * pmesh_ov_forget() - a node is gone: no longer a candidate
 * @ov: the overlay
 * @id: its node id
 */
void pmesh_ov_forget(struct pmesh_ov *ov, u64 id)
{
	int i = view_find(ov, id);

	if (i >= 0)
		view_remove(ov, i);
}

/**
 * pmesh_view_merge() - take candidates a neighbour offers
 * @ov: the overlay
 * @from: the neighbour (0: not one, as for a walk's joiner)
 * @e: its entries, checked by pmesh_px_parse()
 * @n_e: how many
 * @nb: this node's neighbours
 * @n: how many
 *
 * Skipped: this node, its neighbours and tries, nodes backed off. A known
 * id keeps the smaller age, and the address of the younger report. A new
 * one goes in if there is room, else in place of one this node last sent
 * @from (a swap: those now live in @from's view), else of the oldest if
 * older. No neighbour fills more than PMESH_OV_PER_SOURCE places: past
 * that, its entries replace only its own older ones.
 */
void pmesh_view_merge(struct pmesh_ov *ov, u64 from,
		      const struct pmesh_px_entry *e, unsigned int n_e,
		      const struct pmesh_ov_neigh *nb, unsigned int n)
{
	unsigned int i, j, mine;
	u8 age;
	int k;

	for (i = 0; i < n_e; i++, e++) {
		struct pmesh_ov_cand *c = NULL;

		if (e->id == ov->self || neigh_find(nb, n, e->id, e->addr, e->port) ||
		    try_find(ov, e->addr, e->port) >= 0)
			continue;
		age = e->age < 255 ? e->age + 1 : 255;
		if (age > PMESH_OV_MAX_AGE)
			continue;
		k = view_find(ov, e->id);
		if (k >= 0) {
			c = &ov->view[k];
			if (age < c->age) {
				c->age = age;
				memcpy(c->addr, e->addr, sizeof(c->addr));
				c->port = e->port;
				c->fails = 0;
			}
			continue;
		}
		for (j = 0, mine = 0; j < ov->n_view; j++)
			mine += from && ov->view[j].src == from;
		if (mine >= PMESH_OV_PER_SOURCE) {
			for (j = 0; j < ov->n_view; j++)
				if (ov->view[j].src == from &&
				    (!c || ov->view[j].age > c->age))
					c = &ov->view[j];
			if (c->age <= age)
				continue;
		} else if (ov->n_view < PMESH_OV_PASSIVE_MAX) {
			c = &ov->view[ov->n_view++];
		} else {
			for (j = 0; j < ov->n_view && from; j++)
				if (ov->view[j].sent == from) {
					c = &ov->view[j];
					break;
				}
			if (!c) {
				for (j = 0; j < ov->n_view; j++)
					if (!c || ov->view[j].age > c->age)
						c = &ov->view[j];
				if (c->age <= age)
					continue;
			}
		}
		c->id = e->id;
		c->src = from;
		c->sent = 0;
		memcpy(c->addr, e->addr, sizeof(c->addr));
		c->port = e->port;
		c->age = age;
		c->fails = 0;
	}
}

static void entry_of_neigh(struct pmesh_px_entry *x,
			   const struct pmesh_ov_neigh *nb)
{
	x->id = nb->id;
	memcpy(x->addr, nb->addr, sizeof(x->addr));
	x->port = nb->port;
	x->age = 0;
	x->flags = PMESH_PX_NEIGH;
}

/**
 * pmesh_view_sample() - what to tell a neighbour of
 * @ov: the overlay
 * @to: the neighbour it is for: neither it nor what it sent is offered
 * @nb: this node's neighbours
 * @n: how many
 * @n_neigh: at most this many neighbours up, picked at random
 * @n_view: and this many candidates, picked at random, marked sent to @to
 * @out: room for @n_neigh + @n_view entries, at most PMESH_PX_MAX_ENTRIES
 *
 * Return: the entries written.
 */
unsigned int pmesh_view_sample(struct pmesh_ov *ov, u64 to,
			       const struct pmesh_ov_neigh *nb, unsigned int n,
			       unsigned int n_neigh, unsigned int n_view,
			       struct pmesh_px_entry *out)
{
	unsigned int i, k = 0, seen = 0, taken = 0;

	/* Reservoir sampling of the neighbours up that can be offered. */
	for (i = 0; i < n && n_neigh; i++) {
		if (!nb[i].up || !udp(&nb[i]) || !nb[i].id || nb[i].id == to ||
		    !pmesh_px_addr_ok(nb[i].addr) || !nb[i].port)
			continue;
		if (taken < n_neigh) {
			entry_of_neigh(&out[taken++], &nb[i]);
		} else {
			unsigned int r = below(ov, seen + 1);

			if (r < n_neigh)
				entry_of_neigh(&out[r], &nb[i]);
		}
		seen++;
	}
	k = taken;
	seen = 0;
	taken = 0;
	for (i = 0; i < ov->n_view && n_view; i++) {
		struct pmesh_ov_cand *c = &ov->view[i];
		unsigned int r;

		if (c->id == to)
			continue;
		r = taken < n_view ? taken++ : below(ov, seen + 1);
		seen++;
		if (r >= n_view)
			continue;
		out[k + r].id = c->id;
		memcpy(out[k + r].addr, c->addr, sizeof(c->addr));
		out[k + r].port = c->port;
		out[k + r].age = c->age;
		out[k + r].flags = 0;
	}
	for (i = 0; i < taken; i++) {
		int j = view_find(ov, out[k + i].id);

		if (j >= 0)
			ov->view[j].sent = to;
	}
	return k + taken;
}

/**
 * pmesh_ov_admit() - may a stranger whose hello opened become a neighbour?
 * @ov: the overlay
 * @now: the time
 * @nb: this node's neighbours
 * @n: how many
 * @id: the node id its hello proves
 * @addr: its address
 * @port: its port
 *
 * Yes for an address this node is trying (it asked). Otherwise yes while
 * the degree is under max-neigh, the learned neighbours under their cap,
 * @id no neighbour already (a second edge to one node only adds
 * duplicates) and not backed off. Every path that adds a neighbour comes
 * here or to a try, both bounded by max-neigh under the caller's lock: no
 * number of joins through one node takes it past max-neigh.
 *
 * Return: true to admit.
 */
bool pmesh_ov_admit(struct pmesh_ov *ov, u32 now,
		    const struct pmesh_ov_neigh *nb, unsigned int n, u64 id,
		    const u8 *addr, u16 port)
{
	unsigned int i, learned = 0;

	if (try_find(ov, addr, port) >= 0)
		return true;
	if (!id || id == ov->self || backed_off(ov, now, id) ||
	    neigh_find(nb, n, id, NULL, 0))
		return false;
	for (i = 0; i < n; i++)
		learned += nb[i].kind == PMESH_OV_LEARNED;
	return learned < PMESH_OV_MAX_LEARNED &&
	       pmesh_ov_degree(nb, n) + pending(ov, nb, n) < ov->max_neigh;
}

static struct pmesh_ov_action *push(struct pmesh_ov_action *out,
				    unsigned int max, unsigned int *k, u8 act)
{
	struct pmesh_ov_action *a;

	if (*k >= max)
		return NULL;
	a = &out[(*k)++];
	memset(a, 0, sizeof(*a));
	a->act = act;
	return a;
}

static void px_head(struct pmesh_px *px, u8 op, u64 to,
		    const struct pmesh_ov *ov, unsigned int d)
{
	px->op = op;
	px->to = to;
	px->degree = d < 255 ? d : 255;
	px->max_neigh = ov->max_neigh;
}

/* A random UDP neighbour up with an id, not @a nor @b; NULL if none. */
static const struct pmesh_ov_neigh *random_neigh(struct pmesh_ov *ov,
						 const struct pmesh_ov_neigh *nb,
						 unsigned int n, u64 a, u64 b)
{
	const struct pmesh_ov_neigh *pick = NULL;
	unsigned int i, seen = 0;

	for (i = 0; i < n; i++) {
		if (!nb[i].up || !udp(&nb[i]) || !nb[i].id ||
		    nb[i].id == a || nb[i].id == b)
			continue;
		if (!below(ov, ++seen))
			pick = &nb[i];
	}
	return pick;
}

static void send_to(struct pmesh_ov_action *a, const struct pmesh_ov_neigh *x)
{
	a->id = x->id;
	memcpy(a->addr, x->addr, sizeof(a->addr));
	a->port = x->port;
}

static void shuffle(struct pmesh_ov *ov, const struct pmesh_ov_neigh *nb,
		    unsigned int n, unsigned int d,
		    struct pmesh_ov_action *out, unsigned int max,
		    unsigned int *k)
{
	const struct pmesh_ov_neigh *x = random_neigh(ov, nb, n, 0, 0);
	struct pmesh_ov_action *a;

	if (!x)
		return;
	a = push(out, max, k, PMESH_OV_SEND);
	if (!a)
		return;
	send_to(a, x);
	px_head(&a->px, PMESH_PX_SHUFFLE, x->id, ov, d);
	a->px.n = pmesh_view_sample(ov, x->id, nb, n, PMESH_OV_SHUFFLE_NEIGH,
				    PMESH_OV_SHUFFLE_VIEW, a->px.e);
}

/* The best candidate to try: fewest failures, then youngest. */
static int best_cand(struct pmesh_ov *ov, u32 now,
		     const struct pmesh_ov_neigh *nb, unsigned int n)
{
	unsigned int i;
	int best = -1;

	for (i = 0; i < ov->n_view; i++) {
		const struct pmesh_ov_cand *c = &ov->view[i];

		if (neigh_find(nb, n, c->id, c->addr, c->port) ||
		    try_find(ov, c->addr, c->port) >= 0 ||
		    backed_off(ov, now, c->id))
			continue;
		if (best < 0 || c->fails < ov->view[best].fails ||
		    (c->fails == ov->view[best].fails &&
		     c->age < ov->view[best].age))
			best = i;
	}
	return best;
}

static bool start_try(struct pmesh_ov *ov, u32 now, u64 id, const u8 *addr,
		      u16 port, struct pmesh_ov_action *out, unsigned int max,
		      unsigned int *k)
{
	struct pmesh_ov_try *t;
	struct pmesh_ov_action *a;

	if (ov->n_try >= PMESH_OV_MAX_TRYING)
		return false;
	a = push(out, max, k, PMESH_OV_TRY);
	if (!a)
		return false;
	t = &ov->trying[ov->n_try++];
	t->id = id;
	memcpy(t->addr, addr, sizeof(t->addr));
	t->port = port;
	t->since = now;
	t->bridge = false;
	a->id = id;
	memcpy(a->addr, addr, sizeof(a->addr));
	a->port = port;
	return true;
}

/*
 * The least useful learned neighbour: fewest first copies a second since
 * it came up; those up under two shuffle periods last (they have had no
 * time to be useful), ties to the higher advertised degree.
 */
static const struct pmesh_ov_neigh *least_useful(const struct pmesh_ov *ov,
						 u32 now,
						 const struct pmesh_ov_neigh *nb,
						 unsigned int n, bool trim)
{
	const struct pmesh_ov_neigh *pick = NULL;
	u64 pick_rate = 0, rate;
	bool pick_young = true, young;
	unsigned int i;
	u32 up;

	for (i = 0; i < n; i++) {
		if (nb[i].kind != PMESH_OV_LEARNED || !nb[i].up || !nb[i].id)
			continue;
		up = now - nb[i].up_ms;
		young = up < 2 * shuffle_ms(ov);
		/* A trim takes only an edge both ends can spare. */
		if (trim && (young || nb[i].degree <= ov->min_neigh))
			continue;
		rate = (u64)nb[i].firsts * 1000000 / (up ? up : 1);
		if (pick && (young > pick_young ||
			     (young == pick_young &&
			      (rate > pick_rate ||
			       (rate == pick_rate && nb[i].degree <= pick->degree)))))
			continue;
		pick = &nb[i];
		pick_rate = rate;
		pick_young = young;
	}
	return pick;
}

/* Shed @x: a DISCONNECT with a sample, and no edge to it for a while. */
static void shed(struct pmesh_ov *ov, u32 now, const struct pmesh_ov_neigh *nb,
		 unsigned int n, const struct pmesh_ov_neigh *x, unsigned int d,
		 struct pmesh_ov_action *out, unsigned int max, unsigned int *k)
{
	struct pmesh_ov_action *a = push(out, max, k, PMESH_OV_SHED);

	if (!a)
		return;
	send_to(a, x);
	px_head(&a->px, PMESH_PX_DISCONNECT, x->id, ov, d - 1);
	a->px.n = pmesh_view_sample(ov, x->id, nb, n, PMESH_OV_SHUFFLE_NEIGH,
				    PMESH_OV_SHUFFLE_VIEW, a->px.e);
	back_off(ov, now, x->id);
}

/**
 * pmesh_ov_round() - the overlay's work, once a hello interval
 * @ov: the overlay
 * @now: the time
 * @nb: this node's neighbours
 * @n: how many
 * @out: the actions
 * @max: room in @out, PMESH_OV_MAX_ACTIONS is always enough
 *
 * Tries that came up end; tries unanswered for PMESH_OV_TRY_HELLOS hello
 * intervals fail and their candidate goes (but for a node with no
 * neighbour up, which keeps every candidate). The view ages. Under
 * min-neigh, candidates are tried, two a round (all that are missing with
 * no neighbour up); with none, a shuffle asks a neighbour for some, or
 * with no neighbour a JOIN goes to a configured peer, backing off to
 * PMESH_OV_JOIN_BACKOFF_MAX hello intervals. Over max-neigh, the least
 * useful learned neighbour is shed, one a round; over the ideal (min-neigh
 * + 1, or max-neigh - 1 if that is less), one a shuffle period of those
 * both ends can spare. A shuffle goes once a shuffle period, and out of
 * turn while the view is short.
 *
 * Return: the actions written.
 */
unsigned int pmesh_ov_round(struct pmesh_ov *ov, u32 now,
			    const struct pmesh_ov_neigh *nb, unsigned int n,
			    struct pmesh_ov_action *out, unsigned int max)
{
	unsigned int i, k = 0, d, p, want, ideal;
	const struct pmesh_ov_neigh *x;
	struct pmesh_ov_action *a;
	int c;

	pin_deadlines(ov, now);
	d = pmesh_ov_degree(nb, n);
	for (i = 0; i < ov->n_try;) {
		struct pmesh_ov_try *t = &ov->trying[i];

		x = neigh_find(nb, n, 0, t->addr, t->port);
		if (x && x->up) {
			pmesh_ov_forget(ov, t->id);
			pmesh_ov_forget(ov, x->id);
			try_remove(ov, i);
			continue;
		}
		if (after(now, t->since + PMESH_OV_TRY_HELLOS * ov->hello_ms)) {
			a = push(out, max, &k, PMESH_OV_GIVE_UP);
			if (!a)
				break;
			a->id = t->id;
			memcpy(a->addr, t->addr, sizeof(a->addr));
			a->port = t->port;
			/*
			 * A node cut off cannot tell a dead candidate from its
			 * own dead link: it keeps them all (tried again, fewest
			 * failures first) until they age out, and so rejoins
			 * when its link comes back.
			 */
			if (d && !t->bridge)
				pmesh_ov_forget(ov, t->id);
			try_remove(ov, i);
			continue;
		}
		i++;
	}

	/* Neighbours up are no candidates; those being tried stay ones. */
	for (i = 0; i < ov->n_view;) {
		struct pmesh_ov_cand *v = &ov->view[i];

		x = neigh_find(nb, n, v->id, v->addr, v->port);
		if (x && x->up)
			view_remove(ov, i);
		else
			i++;
	}
	if (after(now, ov->next_age)) {
		ov->next_age = now + shuffle_ms(ov);
		for (i = 0; i < ov->n_view;) {
			if (++ov->view[i].age > PMESH_OV_MAX_AGE)
				view_remove(ov, i);
			else
				i++;
		}
	}

	if (d)
		ov->join_backoff = 1;
	/* A bridge under way is no reason not to try a likelier one. */
	p = pending(ov, nb, n);
	p -= p < bridges(ov) ? p : bridges(ov);
	if (d + p < ov->min_neigh) {
		want = ov->min_neigh - d - p;
		if (d && want > 2)
			want = 2;
		while (want && (c = best_cand(ov, now, nb, n)) >= 0) {
			struct pmesh_ov_cand *v = &ov->view[c];

			if (!start_try(ov, now, v->id, v->addr, v->port, out, max, &k))
				break;
			if (v->fails < U8_MAX)
				v->fails++;
			want--;
		}
		if (!ov->n_try && !d && after(now, ov->next_join)) {
			unsigned int peers = 0, pick;

			for (i = 0; i < n; i++)
				peers += nb[i].kind == PMESH_OV_CONFIGURED;
			pick = peers ? ov->join_next++ % peers : 0;
			for (i = 0; i < n && peers; i++) {
				if (nb[i].kind != PMESH_OV_CONFIGURED || pick--)
					continue;
				a = push(out, max, &k, PMESH_OV_SEND);
				if (!a)
					break;
				send_to(a, &nb[i]);
				px_head(&a->px, PMESH_PX_JOIN, nb[i].id, ov, 0);
				a->px.flags = PMESH_PX_PRIORITY;
				a->px.n = 1;
				a->px.e[0].id = ov->self;
				memcpy(a->px.e[0].addr, nb[i].addr, 16);
				a->px.e[0].port = nb[i].port;
				break;
			}
			ov->next_join = now + ov->join_backoff * ov->hello_ms;
			if (ov->join_backoff < PMESH_OV_JOIN_BACKOFF_MAX)
				ov->join_backoff *= 2;
		}
	}

	/*
	 * Over max-neigh, shed one a round. Over the ideal, min-neigh + 1 but
	 * under max-neigh, trim one a shuffle period, of those past min-neigh
	 * themselves: admissions fill nodes up to max-neigh, and a mesh of
	 * full nodes has no room for a newcomer, a node healing or a bridge
	 * (with max-neigh at min-neigh + 1, two full cliques would stay
	 * apart for good).
	 */
	ideal = ov->min_neigh + 1 < ov->max_neigh ? ov->min_neigh + 1 :
						    ov->max_neigh - 1;
	x = NULL;
	if (d > ov->max_neigh) {
		x = least_useful(ov, now, nb, n, false);
	} else if (d > ideal && after(now, ov->next_trim)) {
		ov->next_trim = now + shuffle_delay(ov);
		x = least_useful(ov, now, nb, n, true);
	}
	if (x)
		shed(ov, now, nb, n, x, d, out, max, &k);

	if (after(now, ov->next_shuffle) ||
	    (d && ov->n_view < ov->min_neigh &&
	     after(now, ov->last_quick + ov->hello_ms))) {
		if (!after(now, ov->next_shuffle))
			ov->last_quick = now;
		else
			ov->next_shuffle = now + shuffle_delay(ov);
		shuffle(ov, nb, n, d, out, max, &k);
	}
	return k;
}

/**
 * pmesh_ov_bridge() - try a candidate the membership table lost
 * @ov: the overlay
 * @now: the time
 * @nb: this node's neighbours
 * @n: how many
 * @lost: whether a node id left this node's membership table lately by
 *	falling silent (not by a goodbye), and is not back in it
 * @ctx: @lost's argument
 * @out: the actions
 * @max: room in @out
 *
 * A mesh split in two heals each half, and each stays whole on its own:
 * no rule makes a node between min-neigh and max-neigh try a candidate.
 * So once a shuffle period a node with min-neigh neighbours up (under it,
 * it tries candidates anyway) and room under max-neigh tries one
 * candidate its membership table lost, fewest failed tries first: a live
 * one is across a split and joins the halves, the trims taking the edge
 * away later if it turns out spare; a dead one fails. A failed try leaves
 * the candidate in the view (the split may last a while) until it ages
 * out. A candidate that never was a member (made up by a member, to turn
 * every node's tries on an address) is never tried so.
 *
 * Return: the actions written, 0 or 1.
 */
unsigned int pmesh_ov_bridge(struct pmesh_ov *ov, u32 now,
			     const struct pmesh_ov_neigh *nb, unsigned int n,
			     bool (*lost)(void *ctx, u64 id), void *ctx,
			     struct pmesh_ov_action *out, unsigned int max)
{
	unsigned int i, k = 0, d = pmesh_ov_degree(nb, n);
	const struct pmesh_ov_cand *c;
	int pick = -1;

	if (!after(now, ov->next_bridge))
		return 0;
	ov->next_bridge = now + shuffle_delay(ov);
	if (d < ov->min_neigh || d + pending(ov, nb, n) >= ov->max_neigh)
		return 0;
	for (i = 0; i < ov->n_view; i++) {
		c = &ov->view[i];
		if (neigh_find(nb, n, c->id, c->addr, c->port) ||
		    try_find(ov, c->addr, c->port) >= 0 ||
		    backed_off(ov, now, c->id) || !lost(ctx, c->id))
			continue;
		if (pick < 0 || c->fails < ov->view[pick].fails)
			pick = i;
	}
	if (pick < 0)
		return 0;
	c = &ov->view[pick];
	if (start_try(ov, now, c->id, c->addr, c->port, out, max, &k)) {
		ov->trying[ov->n_try - 1].bridge = true;
		if (ov->view[pick].fails < U8_MAX)
			ov->view[pick].fails++;
	}
	return k;
}

/*
 * A PRIORITY JOIN comes from a node with no neighbour at all. A full node
 * makes room for it (HyParView's high-priority join): it sheds its least
 * useful learned neighbour and tries the joiner, once a shuffle period at
 * most, so that a member cannot make it shed one after another.
 */
static bool make_room(struct pmesh_ov *ov, u32 now,
		      const struct pmesh_ov_neigh *nb, unsigned int n,
		      u64 from, const u8 *src, u16 sport, unsigned int d,
		      struct pmesh_ov_action *out, unsigned int max,
		      unsigned int *k)
{
	const struct pmesh_ov_neigh *x;

	if (d + pending(ov, nb, n) < ov->max_neigh ||
	    ov->n_try >= PMESH_OV_MAX_TRYING || !after(now, ov->next_priority) ||
	    backed_off(ov, now, from) || try_find(ov, src, sport) >= 0)
		return false;
	/* Only an edge both ends can spare, up for a while: no one is cut. */
	x = least_useful(ov, now, nb, n, true);
	if (!x || *k + 2 > max)
		return false;
	shed(ov, now, nb, n, x, d, out, max, k);
	start_try(ov, now, from, src, sport, out, max, k);
	pmesh_ov_forget(ov, from);
	ov->next_priority = now + shuffle_ms(ov);
	return true;
}

/* A JOIN's walks, and a SAMPLE back to the joiner. */
static unsigned int rx_join(struct pmesh_ov *ov, u32 now,
			    const struct pmesh_ov_neigh *nb, unsigned int n,
			    u64 from, const u8 *src, u16 sport, unsigned int d,
			    bool priority, struct pmesh_ov_action *out,
			    unsigned int max)
{
	const struct pmesh_ov_neigh *x, *joiner;
	struct pmesh_ov_action *a;
	unsigned int i, k = 0, walks;
	u64 sent[PMESH_MAX_NEIGH_CEILING];
	bool admitted;

	if (after(now, ov->join_window + 1000)) {
		ov->join_window = now;
		ov->joins = 0;
	}
	if (ov->joins >= PMESH_OV_JOIN_RATE || !pmesh_px_addr_ok(src))
		return 0;
	ov->joins++;

	joiner = neigh_find(nb, n, from, src, sport);
	admitted = joiner && joiner->up;
	if (priority && !joiner)
		admitted = make_room(ov, now, nb, n, from, src, sport, d, out,
				     max, &k);
	walks = ov->min_neigh > admitted ? ov->min_neigh - admitted : 0;
	if (walks > PMESH_MAX_NEIGH_CEILING)
		walks = PMESH_MAX_NEIGH_CEILING;
	/* Room for the SAMPLE after them: the joiner's own way in. */
	if (k + walks + 1 > max)
		walks = max > k + 1 ? max - k - 1 : 0;
	for (i = 0; i < walks; i++) {
		unsigned int j, tries;

		/* A different neighbour for each walk, as far as they go. */
		for (tries = 0, x = NULL; tries < 4 && !x; tries++) {
			x = random_neigh(ov, nb, n, from, 0);
			for (j = 0; x && j < i; j++)
				if (sent[j] == x->id)
					x = NULL;
		}
		if (!x)
			break;
		a = push(out, max, &k, PMESH_OV_SEND);
		if (!a)
			break;
		sent[i] = x->id;
		send_to(a, x);
		px_head(&a->px, PMESH_PX_WALK, x->id, ov, d);
		a->px.walk = PMESH_PX_MAX_WALK;
		a->px.n = 1;
		a->px.e[0].id = from;
		memcpy(a->px.e[0].addr, src, 16);
		a->px.e[0].port = sport;
	}

	a = push(out, max, &k, PMESH_OV_SEND);
	if (a) {
		a->id = from;
		memcpy(a->addr, src, sizeof(a->addr));
		a->port = sport;
		px_head(&a->px, PMESH_PX_SAMPLE, from, ov, d);
		a->px.n = pmesh_view_sample(ov, from, nb, n, PMESH_OV_SHUFFLE_NEIGH,
					    PMESH_PX_MAX_ENTRIES -
					    PMESH_OV_SHUFFLE_NEIGH, a->px.e);
	}
	return k;
}

/* A walk's step: connect to the joiner, pass the walk on, or keep it. */
static unsigned int rx_walk(struct pmesh_ov *ov, u32 now,
			    const struct pmesh_ov_neigh *nb, unsigned int n,
			    u64 from, const struct pmesh_px *px, unsigned int d,
			    struct pmesh_ov_action *out, unsigned int max)
{
	const struct pmesh_px_entry *j = &px->e[0];
	const struct pmesh_ov_neigh *x;
	struct pmesh_ov_action *a;
	unsigned int k = 0;
	bool mine;

	if (j->id == ov->self)
		return 0;
	mine = neigh_find(nb, n, j->id, j->addr, j->port) ||
	       try_find(ov, j->addr, j->port) >= 0;
	if (!mine && (!px->walk || d <= 1 || d < ov->min_neigh) &&
	    d + pending(ov, nb, n) < ov->max_neigh &&
	    !backed_off(ov, now, j->id) &&
	    start_try(ov, now, j->id, j->addr, j->port, out, max, &k)) {
		pmesh_ov_forget(ov, j->id);
		return k;
	}
	if (!mine && (px->walk == PMESH_OV_WALK_PASSIVE || !px->walk))
		pmesh_view_merge(ov, 0, j, 1, nb, n);
	if (!px->walk)
		return k;
	x = random_neigh(ov, nb, n, from, j->id);
	if (!x) {
		if (!mine)
			pmesh_view_merge(ov, 0, j, 1, nb, n);
		return k;
	}
	a = push(out, max, &k, PMESH_OV_SEND);
	if (!a)
		return k;
	send_to(a, x);
	px_head(&a->px, PMESH_PX_WALK, x->id, ov, d);
	a->px.walk = px->walk - 1;
	a->px.n = 1;
	a->px.e[0] = *j;
	a->px.e[0].age = 0;
	a->px.e[0].flags = 0;
	return k;
}

/**
 * pmesh_ov_rx() - an exchange frame the caller took
 * @ov: the overlay
 * @now: the time
 * @nb: this node's neighbours
 * @n: how many
 * @from: its sender's node id (its origin)
 * @src: the address it came from
 * @sport: the port it came from
 * @px: the payload, parsed; the caller checked that the sender may send it
 * @out: the actions
 * @max: room in @out; with PMESH_OV_MAX_ACTIONS a JOIN starts at most
 *	as many walks as fit beside its SAMPLE (min-neigh 15 and up)
 *
 * A JOIN starts min-neigh random walks from here (one fewer if the joiner
 * is already this node's neighbour), each to another neighbour, and
 * answers with a SAMPLE, at most PMESH_OV_JOIN_RATE a second. A full node
 * makes room for a PRIORITY JOIN (its joiner has no neighbour), once a
 * shuffle period: it sheds its least useful learned neighbour and tries
 * the joiner. A WALK is
 * connected to here when it ends, or when this node has at most the
 * neighbour it came from or is under min-neigh, and has room; it leaves
 * its joiner in the view at PMESH_OV_WALK_PASSIVE steps left; otherwise it
 * goes on, to a neighbour other than its sender and joiner. A SHUFFLE is
 * answered with a SAMPLE and merged; a SAMPLE merged; a DISCONNECT merged,
 * its sender dropped and backed off.
 *
 * Return: the actions written.
 */
unsigned int pmesh_ov_rx(struct pmesh_ov *ov, u32 now,
			 const struct pmesh_ov_neigh *nb, unsigned int n,
			 u64 from, const u8 *src, u16 sport,
			 const struct pmesh_px *px,
			 struct pmesh_ov_action *out, unsigned int max)
{
	unsigned int d = pmesh_ov_degree(nb, n), k = 0;
	const struct pmesh_ov_neigh *x;
	struct pmesh_ov_action *a;

	if (from == ov->self)
		return 0;
	switch (px->op) {
	case PMESH_PX_JOIN:
		return rx_join(ov, now, nb, n, from, src, sport, d,
			       px->flags & PMESH_PX_PRIORITY, out, max);
	case PMESH_PX_WALK:
		return rx_walk(ov, now, nb, n, from, px, d, out, max);
	case PMESH_PX_SHUFFLE:
		x = neigh_find(nb, n, from, NULL, 0);
		a = x ? push(out, max, &k, PMESH_OV_SEND) : NULL;
		if (a) {
			send_to(a, x);
			px_head(&a->px, PMESH_PX_SAMPLE, from, ov, d);
			a->px.n = pmesh_view_sample(ov, from, nb, n,
						    PMESH_OV_SHUFFLE_NEIGH,
						    PMESH_OV_SHUFFLE_VIEW, a->px.e);
		}
		pmesh_view_merge(ov, from, px->e, px->n, nb, n);
		return k;
	case PMESH_PX_SAMPLE:
		pmesh_view_merge(ov, from, px->e, px->n, nb, n);
		return 0;
	case PMESH_PX_DISCONNECT:
		back_off(ov, now, from);
		pmesh_view_merge(ov, from, px->e, px->n, nb, n);
		x = neigh_find(nb, n, from, NULL, 0);
		if (x && x->kind == PMESH_OV_LEARNED) {
			a = push(out, max, &k, PMESH_OV_DROP);
			if (a)
				send_to(a, x);
		}
		return k;
	}
	return 0;
}
