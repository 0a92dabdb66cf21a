// SPDX-License-Identifier: GPL-2.0
/*
 * chat: a line chat for a small group over pmesh.
 *
 *   chat MESH CHANNEL NICK [history N] [linger SEC]
 *
 * Each line read from standard input (a terminal, a pipe or a file) is
 * flooded to CHANNEL of mesh MESH; what the others say is printed as
 * "NICK: TEXT". Nodes joining and leaving the mesh are shown as they happen,
 * from the membership view the kernel keeps ("* node X joined"). A chat that
 * starts late asks the others for the last lines said, and prints them once,
 * in order, before anything else. "/who" lists the nodes of the mesh,
 * "/quit" or the end of the input leaves (after SEC seconds with "linger",
 * to hear the replies to what a script said).
 *
 * There is no server: every participant keeps the last N lines it saw (20
 * by default) and answers a request for history; the asker takes each line
 * once, whoever answered it. A chat asks as it starts if another node is in
 * the mesh, else when the first one joins, and waits for answers 2.5 s, or
 * until 1 s after the latest (10 s at most); lines said meanwhile are shown
 * after the history. Every chat answers every request, a datagram a line:
 * right for a small group; a chat open to strangers would rate-limit that.
 * A chat does not print its own lines back (those from its node with its
 * nick).
 *
 * Wire format: one message per datagram, ASCII, fields separated by one
 * space, a line of text last:
 *
 *   say TIME NICK: TEXT
 *	a line said. TIME is the sender's CLOCK_REALTIME in milliseconds; it
 *	orders lines from different senders in a history.
 *   history? REQUEST
 *	a late joiner asks for history. REQUEST is 16 hex digits, random.
 *   history REQUEST ORIGIN SEQ TIME NICK: TEXT
 *	one line of history, in answer to REQUEST: the line that node ORIGIN
 *	(16 hex digits) said as its datagram SEQ (its PMESH_SEQ), at TIME.
 *	(ORIGIN, SEQ) names a line everywhere in the mesh, so the asker drops
 *	the copies other nodes send of the same line.
 *
 * NICK is 1 to 32 characters of A-Z a-z 0-9 _ . -; TEXT is what follows
 * "NICK: " to the end of the datagram. Anything else on the channel is
 * reported as a warning and skipped.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "pmapp.h"

#define NICK_MAX	32
/* A nick, for scanf: NICK_MAX characters of the set. */
#define NICK_SCAN	"%32[A-Za-z0-9_.-]"
#define TEXT_MAX	1024
#define HISTORY_DEFAULT	20
#define HISTORY_MAX	200
/* Lines remembered to drop copies: history from several nodes, and live. */
#define SEEN_MAX	1024
/* Nodes whose nick is remembered, for join and leave lines. */
#define NICKS_MAX	256
/* After asking for history: wait this long for answers, ... */
#define HISTORY_WAIT_MS		2500
/* ... this long after the latest answer, ... */
#define HISTORY_QUIET_MS	1000
/* ... and no longer than this in all. */
#define HISTORY_LIMIT_MS	10000

struct line {
	uint64_t origin, seq, time;
	char nick[NICK_MAX + 1];
	char text[TEXT_MAX + 1];
};

struct chat {
	uint32_t mesh;
	uint16_t channel;
	const char *nick;
	uint64_t self;
	int fd;
	struct pmapp_members *members;

	/* The last lines seen, oldest first from @hist_head: for answers. */
	struct line *hist;
	size_t hist_max, hist_n, hist_head;

	/* (origin, seq) of lines taken, a ring. */
	struct { uint64_t origin, seq; } seen[SEEN_MAX];
	size_t seen_n, seen_next;

	struct { uint64_t node; char nick[NICK_MAX + 1]; } nicks[NICKS_MAX];
	size_t nicks_n;

	/* Asking for history. */
	bool asked, collecting;
	uint64_t request, asked_at, collect_until;
	struct line *answers, *held;	/* history answers; lines said meanwhile */
	size_t answers_n, held_n;

	uint64_t leave_at;	/* after the input ended, with "linger" */
	bool quit;
	int status;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = 1;
}

static void usage(FILE *f)
{
	fputs("Usage: chat MESH CHANNEL NICK [ history N ] [ linger SEC ]\n"
	      "\n"
	      "Sends each line of standard input to CHANNEL of mesh MESH as NICK,\n"
	      "and prints what the others say, and the nodes that join and leave\n"
	      "the mesh. On start, asks the others for the last lines said. Keeps\n"
	      "the last N lines (20) to answer others; /who lists the nodes,\n"
	      "/quit or the end of the input leaves (SEC seconds later with\n"
	      "linger).\n",
	      f);
}

/* Print @s with anything but printable ASCII as '?': text is untrusted. */
static void put_clean(const char *s)
{
	char buf[TEXT_MAX + 1];
	size_t i;

	for (i = 0; s[i] && i < TEXT_MAX; i++)
		buf[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	buf[i] = 0;
	fputs(buf, stdout);
}

static const char *nick_of(struct chat *c, uint64_t node)
{
	for (size_t i = 0; i < c->nicks_n; i++)
		if (c->nicks[i].node == node)
			return c->nicks[i].nick;
	return NULL;
}

static void learn_nick(struct chat *c, uint64_t node, const char *nick)
{
	size_t i;

	for (i = 0; i < c->nicks_n; i++)
		if (c->nicks[i].node == node)
			break;
	if (i == c->nicks_n) {
		if (c->nicks_n == NICKS_MAX)
			return;
		c->nicks_n++;
	}
	c->nicks[i].node = node;
	snprintf(c->nicks[i].nick, sizeof(c->nicks[i].nick), "%s", nick);
}

/* "node X", or "node X (nick)" once it has said something. */
static void put_node(struct chat *c, uint64_t node)
{
	const char *nick = nick_of(c, node);

	printf("node " PMAPP_NODE_FMT, node);
	if (node == c->self)
		printf(" (you)");
	else if (nick)
		printf(" (%s)", nick);
}

/* Whether the line (@origin, @seq) was taken before; marks it taken. */
static bool seen_before(struct chat *c, uint64_t origin, uint64_t seq)
{
	for (size_t i = 0; i < c->seen_n; i++)
		if (c->seen[i].origin == origin && c->seen[i].seq == seq)
			return true;
	c->seen[c->seen_next].origin = origin;
	c->seen[c->seen_next].seq = seq;
	c->seen_next = (c->seen_next + 1) % SEEN_MAX;
	if (c->seen_n < SEEN_MAX)
		c->seen_n++;
	return false;
}

/*
 * Forget the lines taken from @origin: a node that comes back after a
 * restart numbers its datagrams from 1 again.
 */
static void forget_lines_of(struct chat *c, uint64_t origin)
{
	for (size_t i = 0; i < c->seen_n; i++)
		if (c->seen[i].origin == origin)
			c->seen[i].origin = 0;	/* no node has id 0 */
}

static void remember(struct chat *c, const struct line *l)
{
	size_t i = (c->hist_head + c->hist_n) % c->hist_max;

	c->hist[i] = *l;
	if (c->hist_n < c->hist_max)
		c->hist_n++;
	else
		c->hist_head = (c->hist_head + 1) % c->hist_max;
}

/* A line taken for good: remembered, and shown unless this chat said it. */
static void take(struct chat *c, const struct line *l, const char *prefix)
{
	remember(c, l);
	if (l->origin == c->self && !strcmp(l->nick, c->nick) && !*prefix)
		return;
	fputs(prefix, stdout);
	put_clean(l->nick);
	fputs(": ", stdout);
	put_clean(l->text);
	putchar('\n');
}

static int cmp_line(const void *a, const void *b)
{
	const struct line *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	if (x->origin != y->origin)
		return x->origin < y->origin ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The history answers are in: print them in order, then what came meanwhile. */
static void end_history(struct chat *c)
{
	c->collecting = false;
	qsort(c->answers, c->answers_n, sizeof(*c->answers), cmp_line);
	if (c->answers_n) {
		printf("* history: %zu line%s\n", c->answers_n,
		       c->answers_n == 1 ? "" : "s");
		for (size_t i = 0; i < c->answers_n; i++)
			take(c, &c->answers[i], "[history] ");
		printf("* end of history\n");
	} else {
		printf("* no history\n");
	}
	for (size_t i = 0; i < c->held_n; i++)
		if (!seen_before(c, c->held[i].origin, c->held[i].seq))
			take(c, &c->held[i], "");
	c->answers_n = 0;
	c->held_n = 0;
}

__attribute__((format(printf, 2, 3)))
static int send_text(struct chat *c, const char *fmt, ...)
{
	char buf[PMAPP_MAX_DGRAM];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return pmapp_err("message too long");
	if (pmapp_send(c->fd, buf, n)) {
		if (errno == ENONET) {
			c->quit = true;
			c->status = 1;
		}
		return -1;
	}
	return 0;
}

static void ask_history(struct chat *c)
{
	c->asked = true;
	c->collecting = true;
	c->request = pmapp_random64();
	c->asked_at = pmapp_mono_ms();
	c->collect_until = c->asked_at + HISTORY_WAIT_MS;
	printf("* asking for history\n");
	send_text(c, "history? " PMAPP_NODE_FMT, c->request);
}

static void answer_history(struct chat *c, uint64_t request)
{
	for (size_t k = 0; k < c->hist_n; k++) {
		const struct line *l = &c->hist[(c->hist_head + k) % c->hist_max];

		if (send_text(c, "history " PMAPP_NODE_FMT " " PMAPP_NODE_FMT
			      " %" PRIu64 " %" PRIu64 " %s: %s", request,
			      l->origin, l->seq, l->time, l->nick, l->text))
			return;
	}
}

/* "NICK: TEXT" at @s into @l; false if it is not that. */
static bool parse_said(const char *s, struct line *l)
{
	int n = -1;

	if (sscanf(s, NICK_SCAN "%n", l->nick, &n) != 1 || n < 0 ||
	    strncmp(s + n, ": ", 2))
		return false;
	snprintf(l->text, sizeof(l->text), "%s", s + n + 2);
	return true;
}

/* A line said, live (not history): show it, or hold it while collecting. */
static void on_say(struct chat *c, const struct line *l)
{
	learn_nick(c, l->origin, l->nick);
	if (c->collecting) {
		for (size_t i = 0; i < c->held_n; i++)
			if (c->held[i].origin == l->origin && c->held[i].seq == l->seq)
				return;
		if (c->held_n < 2 * c->hist_max)
			c->held[c->held_n++] = *l;
		return;
	}
	if (!seen_before(c, l->origin, l->seq))
		take(c, l, "");
}

/* One line of history for our request; duplicates from other nodes dropped. */
static void on_answer(struct chat *c, const struct line *l)
{
	uint64_t now = pmapp_mono_ms();

	learn_nick(c, l->origin, l->nick);
	if (seen_before(c, l->origin, l->seq))
		return;
	/* A line held as said live meanwhile is history too: not twice. */
	for (size_t i = 0; i < c->held_n; i++) {
		if (c->held[i].origin == l->origin && c->held[i].seq == l->seq) {
			memmove(&c->held[i], &c->held[i + 1],
				(c->held_n - i - 1) * sizeof(*c->held));
			c->held_n--;
			break;
		}
	}
	if (c->answers_n < 2 * c->hist_max)
		c->answers[c->answers_n++] = *l;
	if (now + HISTORY_QUIET_MS > c->collect_until)
		c->collect_until = now + HISTORY_QUIET_MS;
	if (c->collect_until > c->asked_at + HISTORY_LIMIT_MS)
		c->collect_until = c->asked_at + HISTORY_LIMIT_MS;
}

static void on_datagram(struct chat *c, char *buf, size_t len,
			const struct pmapp_dgram *d)
{
	struct line l = { .origin = d->origin, .seq = d->seq };
	uint64_t request;
	int n = -1;

	if (d->truncated || memchr(buf, 0, len))
		goto foreign;
	buf[len] = 0;
	if (!strncmp(buf, "say ", 4)) {
		if (sscanf(buf, "say %" SCNu64 " %n", &l.time, &n) != 1 || n < 0 ||
		    !parse_said(buf + n, &l))
			goto foreign;
		on_say(c, &l);
	} else if (!strncmp(buf, "history? ", 9)) {
		if (sscanf(buf, "history? %16" SCNx64 "%n", &request, &n) != 1 ||
		    n != (int)len)
			goto foreign;
		/* Not our own request, and not while we know nothing yet. */
		if (request != c->request && !c->collecting)
			answer_history(c, request);
	} else if (!strncmp(buf, "history ", 8)) {
		if (sscanf(buf, "history %16" SCNx64 " %16" SCNx64 " %" SCNu64 " %"
			   SCNu64 " %n", &request, &l.origin, &l.seq, &l.time, &n) != 4 ||
		    n < 0 || !parse_said(buf + n, &l))
			goto foreign;
		if (c->collecting && request == c->request)
			on_answer(c, &l);
	} else {
		goto foreign;
	}
	return;
foreign:
	pmapp_foreign(d, "not a chat message");
}

static void on_member(void *arg, enum pmapp_member_event ev,
		      const struct pmapp_member *m)
{
	struct chat *c = arg;

	switch (ev) {
	case PMAPP_MEMBER_PRESENT:
		break;
	case PMAPP_MEMBER_JOIN:
		printf("* ");
		put_node(c, m->node);
		printf(" joined\n");
		/* Someone to ask, at last. */
		if (!c->asked && !m->self)
			ask_history(c);
		break;
	case PMAPP_MEMBER_LEAVE:
		printf("* ");
		put_node(c, m->node);
		printf(" left: %s\n", pmapp_reason_name(m->reason));
		forget_lines_of(c, m->node);
		break;
	case PMAPP_MESH_GONE:
		printf("* mesh %u was deleted\n", c->mesh);
		c->quit = true;
		c->status = 1;
		break;
	}
}

static void who(struct chat *c)
{
	uint64_t ids[64];
	size_t n = pmapp_members_list(c->members, ids, 64);

	printf("* %zu node%s in mesh %u:", n, n == 1 ? "" : "s", c->mesh);
	for (size_t i = 0; i < n && i < 64; i++) {
		fputs(i ? ", " : " ", stdout);
		put_node(c, ids[i]);
	}
	if (n > 64)
		printf(" ...");
	putchar('\n');
}

/* A line of input: a command, or something to say. */
static void on_input(struct chat *c, char *s)
{
	size_t len = strlen(s);

	if (len && s[len - 1] == '\r')
		s[--len] = 0;
	if (!len)
		return;
	if (!strcmp(s, "/quit")) {
		c->quit = true;
		return;
	}
	if (!strcmp(s, "/who")) {
		who(c);
		return;
	}
	if (s[0] == '/') {
		printf("* unknown command %s: /who, /quit\n", s);
		return;
	}
	if (len > TEXT_MAX) {
		pmapp_warn("line cut to %d bytes", TEXT_MAX);
		s[TEXT_MAX] = 0;
	}
	send_text(c, "say %" PRIu64 " %s: %s", pmapp_wall_ns() / 1000000,
		  c->nick, s);
}

/* Read what standard input has; false at its end. */
static bool read_input(struct chat *c)
{
	static char buf[4 * TEXT_MAX];
	static size_t have;
	char *nl;
	ssize_t n;

	n = read(STDIN_FILENO, buf + have, sizeof(buf) - 1 - have);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	have += n;
	buf[have] = 0;
	while (!c->quit && (nl = memchr(buf, '\n', have))) {
		*nl = 0;
		on_input(c, buf);
		have -= nl + 1 - buf;
		memmove(buf, nl + 1, have);
		buf[have] = 0;
	}
	/* A line longer than the buffer, or the last one without a newline. */
	if (!c->quit && have && (n == 0 || have == sizeof(buf) - 1)) {
		on_input(c, buf);
		have = 0;
	}
	return n > 0;
}

static bool valid_nick(const char *s)
{
	char nick[NICK_MAX + 1];
	int n = -1;

	return sscanf(s, NICK_SCAN "%n", nick, &n) == 1 && n == (int)strlen(s);
}

static int parse_args(struct chat *c, int argc, char **argv, uint64_t *linger)
{
	uint64_t hist = HISTORY_DEFAULT;

	if (argc < 4)
		return pmapp_err("a mesh id, a channel and a nick are needed; try \"chat help\"");
	if (pmapp_parse_mesh(argv[1], &c->mesh) ||
	    pmapp_parse_channel(argv[2], &c->channel))
		return -1;
	if (!valid_nick(argv[3]))
		return pmapp_err("nick \"%s\" is not 1 to %d of A-Z a-z 0-9 _ . -",
				 argv[3], NICK_MAX);
	c->nick = argv[3];
	for (int i = 4; i < argc; i += 2) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "history")) {
			if (pmapp_parse_uint("history", val, 1, HISTORY_MAX, &hist))
				return -1;
		} else if (!strcmp(argv[i], "linger")) {
			if (pmapp_parse_uint("linger", val, 0, 3600, linger))
				return -1;
		} else {
			return pmapp_err("unknown argument \"%s\"; try \"chat help\"",
					 argv[i]);
		}
	}
	c->hist_max = hist;
	c->hist = calloc(hist, sizeof(*c->hist));
	c->answers = calloc(2 * hist, sizeof(*c->answers));
	c->held = calloc(2 * hist, sizeof(*c->held));
	if (!c->hist || !c->answers || !c->held)
		return pmapp_err("out of memory");
	return 0;
}

int main(int argc, char **argv)
{
	static char buf[PMAPP_MAX_DGRAM + 1];
	static struct chat c;
	struct sigaction sa = { .sa_handler = on_signal };
	uint64_t ids[2], linger = 0;
	bool input = true;
	size_t n;

	pmapp_init(argv[0]);
	if (argc == 2 && (!strcmp(argv[1], "help") || !strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (parse_args(&c, argc, argv, &linger))
		return 1;
	c.fd = pmapp_open(c.mesh, c.channel, 0);
	if (c.fd < 0)
		return 1;
	c.members = pmapp_members_follow(c.mesh, on_member, &c);
	if (!c.members)
		return 1;
	c.self = pmapp_members_self(c.members);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	n = pmapp_members_list(c.members, ids, 2);
	printf("* %s on mesh %u channel %u, node " PMAPP_NODE_FMT "\n", c.nick,
	       c.mesh, c.channel, c.self);
	who(&c);
	if (n > 1)
		ask_history(&c);

	while (!c.quit && !interrupted) {
		struct pollfd p[3] = {
			{ .fd = c.fd, .events = POLLIN },
			{ .fd = pmapp_members_fd(c.members), .events = POLLIN },
			{ .fd = input ? STDIN_FILENO : -1, .events = POLLIN },
		};
		uint64_t now = pmapp_mono_ms(), until = UINT64_MAX;
		struct pmapp_dgram d;
		ssize_t len;

		if (c.collecting && now >= c.collect_until)
			end_history(&c);
		if (c.leave_at && now >= c.leave_at)
			break;
		if (c.collecting)
			until = c.collect_until;
		if (c.leave_at && c.leave_at < until)
			until = c.leave_at;
		if (poll(p, 3, until == UINT64_MAX ? -1 : (int)(until - now)) <= 0)
			continue;
		if (p[0].revents) {
			len = pmapp_recv(c.fd, buf, sizeof(buf) - 1, &d, MSG_DONTWAIT);
			if (len >= 0) {
				on_datagram(&c, buf, len, &d);
			} else if (errno != EAGAIN && errno != EINTR) {
				c.status = 1;
				break;
			}
		}
		if (p[1].revents && pmapp_members_process(c.members)) {
			c.status = 1;
			break;
		}
		if (p[2].revents && !c.quit && !read_input(&c)) {
			/* End of input: leave, now or after lingering. */
			input = false;
			if (!linger)
				break;
			c.leave_at = pmapp_mono_ms() + linger * 1000;
		}
	}
	if (c.collecting)
		end_history(&c);
	printf("* %s left\n", c.nick);
	pmapp_members_close(c.members);
	close(c.fd);
	return c.status;
}
