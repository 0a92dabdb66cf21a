// SPDX-License-Identifier: GPL-2.0
/*
 * ticker: a publish/subscribe feed (stock quotes) over pmesh.
 *
 *   ticker pub MESH CHANNEL [rate N] [count N] [size BYTES] [quiet]
 *   ticker sub MESH CHANNEL [count N] [timeout SEC] [wait NODE] [quiet]
 *
 * The publisher floods quotes to a channel of a mesh; every subscriber bound
 * to that channel, on every node, gets each quote once. There is no broker
 * and no subscription message: binding the channel is subscribing, and the
 * kernel of every node forwards each quote to its neighbours and delivers it
 * to its own subscribers. A subscriber prints each quote with its latency
 * and reports what the transport's sequence numbers (PMESH_SEQ) tell: gaps
 * and duplicates.
 *
 * Wire format: one quote per datagram, ASCII, fields separated by one space:
 *
 *   TICK <publisher> <n> <symbol> <price> <time>[ padding]
 *
 *   publisher  16 hex digits, random for each run of the publisher, so that
 *              a restarted publisher is told apart
 *   n          the quote's number in the run: 1, 2, 3, ...
 *   symbol     1 to 8 capital letters
 *   price      a decimal number with 4 decimals
 *   time       when it was sent: CLOCK_REALTIME in nanoseconds since the
 *              epoch (latency = receive time - time: exact between network
 *              namespaces of one machine, as good as the clocks' sync
 *              between machines)
 *   padding    spaces, up to the size asked for with "size"
 *
 * Text costs a few bytes over a binary record and makes the feed readable
 * with "pmesh recv". A datagram on the channel that is not a quote is
 * reported as a warning and skipped.
 *
 * Counting, in a subscriber:
 * - received: distinct quotes;
 * - duplicates: a datagram whose (origin node, PMESH_SEQ) was seen before,
 *   among the newest SEEN_WINDOW of a publisher run. pmesh delivers each
 *   datagram at most once per socket, so this must be 0; it is counted to
 *   show it. (A node whose mesh restarts numbers from 1 again: a new
 *   publisher run on numbers seen before starts its origin afresh.)
 * - gaps: jumps in an origin's PMESH_SEQ. The sequence is the origin node's,
 *   shared by all its channels, so a gap is a datagram lost or one the
 *   origin sent elsewhere (another channel, another publisher);
 * - lost: quotes missing by their number n (and, with "count", quotes short
 *   of the count).
 * Memory is fixed: MAX_SOURCES publisher runs and as many origins, the
 * least recently heard forgotten for a new one.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "pmapp.h"

#define QUOTE_TAG	"TICK"
#define SYMBOL_MAX	8
/*
 * Tracking state per origin and per publisher: a bounded number of each
 * (the least recently heard is forgotten for a new one), so that what
 * arrives on the channel cannot make a subscriber grow.
 */
#define MAX_SOURCES	256
/* Numbers remembered per source, the newest, for duplicate detection. */
#define SEEN_WINDOW	8192

static const char *const symbols[] = {
	"ACME", "GLOBEX", "INITECH", "UMBRELLA", "HOOLI", "STARK", "WAYNE",
	"TYRELL",
};

#define NSYMBOLS	(sizeof(symbols) / sizeof(symbols[0]))

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static void usage(FILE *f)
{
	fputs("Usage: ticker pub MESH CHANNEL [ rate N ] [ count N ] [ size BYTES ] [ quiet ]\n"
	      "       ticker sub MESH CHANNEL [ count N ] [ timeout SEC ] [ wait NODE ] [ quiet ]\n"
	      "\n"
	      "pub floods stock quotes to CHANNEL of mesh MESH: N a second (rate,\n"
	      "10 by default, 0 for as fast as it can), COUNT of them (0, the\n"
	      "default, until interrupted), each padded to BYTES (size).\n"
	      "sub prints every quote that arrives with its latency, the gaps in\n"
	      "its origin's sequence numbers and any duplicate, and a summary at\n"
	      "the end: after COUNT quotes, after SEC seconds (timeout), or when\n"
	      "interrupted. It fails if fewer than COUNT quotes came. With wait,\n"
	      "it subscribes once node NODE (the publisher's, in hex) is in the\n"
	      "mesh, so that it gets the feed from its first quote.\n"
	      "quiet prints only the first and the last line.\n",
	      f);
}

/* The options after MESH CHANNEL: "NAME VALUE" pairs and the flag "quiet". */
struct opts {
	uint64_t rate, count, size, timeout, wait;
	bool quiet;
};

static int parse_opts(int argc, char **argv, bool pub, struct opts *o)
{
	for (int i = 0; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		int err;

		if (!strcmp(argv[i], "quiet")) {
			o->quiet = true;
			continue;
		}
		if (pub && !strcmp(argv[i], "rate"))
			err = pmapp_parse_uint("rate", val, 0, 1000000, &o->rate);
		else if (!strcmp(argv[i], "count"))
			err = pmapp_parse_uint("count", val, 0, UINT32_MAX, &o->count);
		else if (pub && !strcmp(argv[i], "size"))
			err = pmapp_parse_uint("size", val, 0, PMAPP_MAX_DGRAM, &o->size);
		else if (!pub && !strcmp(argv[i], "timeout"))
			err = pmapp_parse_uint("timeout", val, 0, 86400, &o->timeout);
		else if (!pub && !strcmp(argv[i], "wait"))
			err = pmapp_parse_node(val, &o->wait);
		else
			return pmapp_err("unknown argument \"%s\"; try \"ticker help\"",
					 argv[i]);
		if (err)
			return -1;
		i++;
	}
	return 0;
}

/* A small, fast generator for prices (xorshift64*); quality is no concern. */
static uint64_t rnd_state;

static double rnd_unit(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return (rnd_state * 0x2545F4914F6CDD1DULL >> 11) * (1.0 / (1ULL << 53));
}

static void sleep_until(const struct timespec *t)
{
	while (!stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, t, NULL) == EINTR)
		;
}

static int publish(uint32_t mesh, uint16_t channel, const struct opts *o)
{
	static char buf[PMAPP_MAX_DGRAM + 1];
	double price[NSYMBOLS];
	struct timespec next;
	uint64_t pub = pmapp_random64(), n, start;
	int fd;

	fd = pmapp_open(mesh, channel, PMAPP_SEND_ONLY);
	if (fd < 0)
		return -1;
	rnd_state = pub | 1;
	for (size_t i = 0; i < NSYMBOLS; i++)
		price[i] = 20 + 180 * rnd_unit();
	printf("publishing on mesh %u channel %u (publisher " PMAPP_NODE_FMT
	       "), %" PRIu64 " a second\n", mesh, channel, pub, o->rate);

	start = pmapp_mono_ms();
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (n = 1; !stop && (!o->count || n <= o->count); n++) {
		size_t s = (n - 1) % NSYMBOLS;
		int len;

		/* A random walk, 0.1% steps at most. */
		price[s] *= 1 + (rnd_unit() - 0.5) / 500;
		len = snprintf(buf, sizeof(buf), QUOTE_TAG " " PMAPP_NODE_FMT
			       " %" PRIu64 " %s %.4f %" PRIu64, pub, n, symbols[s],
			       price[s], pmapp_wall_ns());
		if ((uint64_t)len < o->size) {
			memset(buf + len, ' ', o->size - len);
			len = o->size;
		}
		if (pmapp_send(fd, buf, len)) {
			close(fd);
			return -1;
		}
		if (!o->quiet)
			printf("sent %" PRIu64 " %s %.4f\n", n, symbols[s], price[s]);
		if (o->rate) {
			next.tv_nsec += 1000000000 / o->rate;
			while (next.tv_nsec >= 1000000000) {
				next.tv_nsec -= 1000000000;
				next.tv_sec++;
			}
			sleep_until(&next);
		}
	}
	n--;
	start = pmapp_mono_ms() - start;
	printf("published %" PRIu64 " quotes on mesh %u channel %u in %.2f s (%.1f a second)\n",
	       n, mesh, channel, start / 1000.0, start ? n * 1000.0 / start : 0.0);
	close(fd);
	return 0;
}

/*
 * Which numbers of a sequence were seen: the newest SEEN_WINDOW of them,
 * a bit each, number v at bit v % SEEN_WINDOW.
 */
struct seen {
	uint64_t top;		/* the highest seen, 0 if none */
	uint64_t bits[SEEN_WINDOW / 64];
};

enum seen_what { SEEN_NEW, SEEN_AGAIN, SEEN_TOO_OLD };

static void seen_bit(struct seen *s, uint64_t v, bool set)
{
	uint64_t mask = 1ull << (v % 64);

	if (set)
		s->bits[v % SEEN_WINDOW / 64] |= mask;
	else
		s->bits[v % SEEN_WINDOW / 64] &= ~mask;
}

/* Mark @v seen; say whether it is new, seen before, or too old to tell. */
static enum seen_what seen_mark(struct seen *s, uint64_t v)
{
	if (v > s->top) {
		/* The window moves on: numbers it passes were not seen. */
		if (!s->top || v - s->top >= SEEN_WINDOW)
			memset(s->bits, 0, sizeof(s->bits));
		else
			for (uint64_t i = s->top + 1; i < v; i++)
				seen_bit(s, i, false);
		s->top = v;
		seen_bit(s, v, true);
		return SEEN_NEW;
	}
	if (s->top - v >= SEEN_WINDOW)
		return SEEN_TOO_OLD;
	if (s->bits[v % SEEN_WINDOW / 64] & (1ull << (v % 64)))
		return SEEN_AGAIN;
	seen_bit(s, v, true);
	return SEEN_NEW;
}

/* An origin node (for PMESH_SEQ) or a publisher run (for quote numbers). */
struct source {
	uint64_t id;
	uint64_t last;		/* highest number seen */
	uint64_t distinct;	/* numbers seen, for publishers */
	uint64_t heard;		/* when, in datagrams received: for eviction */
	struct seen seen;
};

struct sources {
	struct source v[MAX_SOURCES];
	size_t n;
	uint64_t clock;
};

static struct source *source_get(struct sources *s, uint64_t id)
{
	struct source *x = NULL;

	s->clock++;
	for (size_t i = 0; i < s->n && !x; i++)
		if (s->v[i].id == id)
			x = &s->v[i];
	if (!x) {
		if (s->n < MAX_SOURCES) {
			x = &s->v[s->n++];
		} else {
			x = &s->v[0];
			for (size_t i = 1; i < s->n; i++)
				if (s->v[i].heard < x->heard)
					x = &s->v[i];
		}
		memset(x, 0, sizeof(*x));
		x->id = id;
	}
	x->heard = s->clock;
	return x;
}

struct quote {
	uint64_t pub, n, time;
	char symbol[SYMBOL_MAX + 1];
	char price[24];
};

/* Parse a quote; false if @buf is not one. */
static bool parse_quote(const char *buf, size_t len, struct quote *q)
{
	char text[128];
	size_t rec = len;
	int end = -1;

	while (rec && buf[rec - 1] == ' ')	/* the padding */
		rec--;
	if (rec >= sizeof(text) || memchr(buf, 0, rec))
		return false;
	memcpy(text, buf, rec);
	text[rec] = 0;
	/* No sign: scanf would take "-1" for a number. */
	if (strpbrk(text, "+-"))
		return false;
	if (sscanf(text, QUOTE_TAG " %16" SCNx64 " %" SCNu64 " %8[A-Z] %23[0-9.] %"
		   SCNu64 "%n", &q->pub, &q->n, q->symbol, q->price, &q->time,
		   &end) != 5)
		return false;
	return end == (int)rec && q->n > 0;
}

struct stats {
	uint64_t received, duplicates, gaps, reordered;
	uint64_t foreign;
	double lat_min, lat_max, lat_sum;
	int hops_min, hops_max;
};

static void on_datagram(const char *buf, size_t len, const struct pmapp_dgram *d,
			struct sources *origins, struct sources *pubs,
			struct stats *st, bool quiet)
{
	struct source *o, *p;
	enum seen_what seen;
	struct quote q;
	double lat;

	if (d->truncated || !parse_quote(buf, len, &q)) {
		st->foreign = pmapp_foreign(d, "not a quote");
		return;
	}
	o = source_get(origins, d->origin);
	p = source_get(pubs, q.pub);
	seen = seen_mark(&o->seen, d->seq);
	if (seen != SEEN_NEW && !p->distinct) {
		/*
		 * A new publisher run on numbers seen before: its node
		 * restarted its mesh, which numbers from 1 again.
		 */
		*o = (struct source){ .id = d->origin, .heard = o->heard };
		seen = seen_mark(&o->seen, d->seq);
	}
	if (seen == SEEN_AGAIN) {
		st->duplicates++;
		printf("duplicate: seq %" PRIu64 " from " PMAPP_NODE_FMT " again\n",
		       d->seq, d->origin);
		return;
	}
	if (o->last && d->seq > o->last + 1) {
		st->gaps++;
		printf("gap: %" PRIu64 " datagram%s missing from " PMAPP_NODE_FMT
		       " (seq %" PRIu64 " after %" PRIu64 ")\n",
		       d->seq - o->last - 1, d->seq - o->last == 2 ? "" : "s",
		       d->origin, d->seq, o->last);
	} else if (o->last && d->seq < o->last) {
		st->reordered++;
	}
	if (d->seq > o->last)
		o->last = d->seq;

	if (seen_mark(&p->seen, q.n) == SEEN_NEW)
		p->distinct++;
	if (q.n > p->last)
		p->last = q.n;

	lat = ((double)pmapp_wall_ns() - (double)q.time) / 1e6;
	if (!st->received || lat < st->lat_min)
		st->lat_min = lat;
	if (!st->received || lat > st->lat_max)
		st->lat_max = lat;
	if (!st->received || d->hops < st->hops_min)
		st->hops_min = d->hops;
	if (!st->received || d->hops > st->hops_max)
		st->hops_max = d->hops;
	st->lat_sum += lat;
	st->received++;
	if (!quiet)
		printf("quote %" PRIu64 " %s %s from " PMAPP_NODE_FMT " hops %d seq %"
		       PRIu64 " latency %.3f ms\n", q.n, q.symbol, q.price,
		       d->origin, d->hops, d->seq, lat);
}

/*
 * Wait until @node is in the mesh: its announcements reach this node, so
 * what it sends does too. The membership view says so without polling.
 */
static int wait_for_node(uint32_t mesh, uint64_t node, uint64_t deadline)
{
	struct pmapp_members *f = pmapp_members_follow(mesh, NULL, NULL);
	int ret = 0;

	if (!f)
		return -1;
	while (!pmapp_members_has(f, node)) {
		struct pollfd pfd = { .fd = pmapp_members_fd(f), .events = POLLIN };
		uint64_t now = pmapp_mono_ms();

		if (stop || (deadline && now >= deadline)) {
			ret = pmapp_err("%s waiting for node " PMAPP_NODE_FMT,
					stop ? "interrupted" : "timed out", node);
			break;
		}
		if (poll(&pfd, 1, deadline ? (int)(deadline - now) : -1) > 0 &&
		    pmapp_members_process(f)) {
			ret = -1;
			break;
		}
	}
	pmapp_members_close(f);
	return ret;
}

static int subscribe(uint32_t mesh, uint16_t channel, const struct opts *o)
{
	static char buf[PMAPP_MAX_DGRAM];
	static struct sources origins, pubs;
	struct sockaddr_pmesh self = {};
	socklen_t alen = sizeof(self);
	struct stats st = {};
	uint64_t deadline = 0, lost = 0;
	int fd, ret = 0;

	if (o->timeout)
		deadline = pmapp_mono_ms() + o->timeout * 1000;
	fd = pmapp_open(mesh, channel, 0);
	if (fd < 0)
		return -1;
	if (o->wait && wait_for_node(mesh, o->wait, deadline)) {
		close(fd);
		return -1;
	}
	getsockname(fd, (struct sockaddr *)&self, &alen);
	printf("subscribed to mesh %u channel %u on node " PMAPP_NODE_FMT "\n",
	       mesh, channel, (uint64_t)self.spm_node);

	while (!stop && (!o->count || st.received < o->count)) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct pmapp_dgram d;
		int wait = -1;
		ssize_t n;

		if (deadline) {
			uint64_t now = pmapp_mono_ms();

			if (now >= deadline)
				break;
			wait = deadline - now;
		}
		if (poll(&pfd, 1, wait) <= 0)
			continue;
		n = pmapp_recv(fd, buf, sizeof(buf), &d, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			ret = -1;
			break;
		}
		on_datagram(buf, n, &d, &origins, &pubs, &st, o->quiet);
	}

	for (size_t i = 0; i < pubs.n; i++)
		if (pubs.v[i].last > pubs.v[i].distinct)
			lost += pubs.v[i].last - pubs.v[i].distinct;
	if (o->count && st.received < o->count && o->count - st.received > lost)
		lost = o->count - st.received;
	printf("summary: received %" PRIu64, st.received);
	if (o->count)
		printf(" of %" PRIu64, o->count);
	printf(", lost %" PRIu64 ", gaps %" PRIu64 ", duplicates %" PRIu64
	       ", reordered %" PRIu64 ", foreign %" PRIu64,
	       lost, st.gaps, st.duplicates, st.reordered, st.foreign);
	if (st.received)
		printf(", hops %d..%d, latency ms min %.3f avg %.3f max %.3f",
		       st.hops_min, st.hops_max, st.lat_min,
		       st.lat_sum / st.received, st.lat_max);
	putchar('\n');
	if (!ret && o->count && st.received < o->count)
		ret = pmapp_err("%s after %" PRIu64 " of %" PRIu64 " quotes",
				stop ? "interrupted" : "timed out", st.received,
				o->count);
	close(fd);
	return ret;
}

int main(int argc, char **argv)
{
	struct opts o = { .rate = 10 };
	struct sigaction sa = { .sa_handler = on_signal };
	uint16_t channel;
	uint32_t mesh;
	bool pub;

	pmapp_init(argv[0]);
	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2;
	}
	if (strcmp(argv[1], "pub") && strcmp(argv[1], "sub")) {
		pmapp_err("unknown command \"%s\": pub or sub; try \"ticker help\"",
			  argv[1]);
		return 1;
	}
	pub = !strcmp(argv[1], "pub");
	if (argc < 4) {
		pmapp_err("a mesh id and a channel are needed; try \"ticker help\"");
		return 1;
	}
	if (pmapp_parse_mesh(argv[2], &mesh) ||
	    pmapp_parse_channel(argv[3], &channel) ||
	    parse_opts(argc - 4, argv + 4, pub, &o))
		return 1;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return (pub ? publish(mesh, channel, &o) : subscribe(mesh, channel, &o)) ? 1 : 0;
}
