// SPDX-License-Identifier: GPL-2.0
/*
 * game: a serverless multiplayer game over pmesh.
 *
 *   game play MESH CHANNEL NAME [players N] [size N] [auto] [seed S]
 *             [delay MS] [say TEXT] [chat CHANNEL] [timeout SEC] [quiet]
 *
 * The game is "claim": N players share a SIZE x SIZE board. In each turn
 * every player claims one empty cell: its first one anywhere, then one next
 * to (above, below, left or right of) a cell it owns; a player with no such
 * cell passes. The claims of a turn are applied together, in an order that
 * changes every turn (by a hash of the turn and the player's node); a claim
 * of a cell taken earlier in the same turn is lost (a clash). The game ends
 * after a turn in which nobody claimed a cell; the most cells win.
 *
 * There is no server and no host: every player keeps the board itself and
 * applies every move, all in the same order, so the boards stay identical
 * (each player prints a hash of its board at the end to show it). Play goes
 * in lockstep: a player sends its move for turn T, and applies turn T when
 * it holds the moves of all players for T, so no player is ever more than
 * one turn ahead of another. A player that leaves, because its node left
 * the mesh (the membership view says so, with the reason) or because it
 * quit (BYE), passes from the first turn it sent no move for: the moves it
 * sent travel the same links ahead of the news of its leaving (a BYE or a
 * goodbye; a node that times out was silent for seconds), so all agree on
 * where it stopped, and the others play on without it. Not so if the mesh
 * is cut in two: a move that reaches one side but not the other before
 * the sides see each other leave parts the boards (the hashes show it).
 * The process dying with no word (SIGKILL, a crash) while its node stays
 * holds the game up: nothing tells the others it is gone.
 *
 * The lobby is the mesh's membership view: every node, with the name of the
 * player on it, if any. The game starts when N of them are ready; the N
 * with the lowest node ids play, in that order (A, B, C, ...). If more than
 * N start at once, the others are turned away; start exactly N to be sure
 * that all agree. A player that comes when a game is on is told so and
 * leaves. Beside the moves, a chat runs on a second channel (CHANNEL + 1 by
 * default): lines typed that are not moves, and "say TEXT" at the start.
 *
 * With "auto" the program plays by itself: a random claimable cell, from a
 * generator seeded with "seed" (random by default), "delay" milliseconds
 * into each turn, to let people watch. Without it, moves are typed: a cell
 * ("c4": column letter, row number) or "pass"; "/who" shows the lobby,
 * "/board" the board, "/quit" leaves; any other line is said on the chat.
 * If the input ends, the program plays on by itself.
 *
 * Wire format: one message per datagram, ASCII, fields separated by one
 * space; the sender is the datagram's origin node (one player per node).
 * On CHANNEL:
 *   READY NAME	 a player is in the lobby. Sent on start, in answer to a
 *		 READY from a node not heard yet, and to a node that joins.
 *   PLAYING NAME NODE...  the answer to a READY from a player whose game
 *		 has started without it: NODE... are the players' node ids.
 *   MOVE TURN CELL  the sender's claim for turn TURN (1, 2, ...): a cell
 *		 such as "c4", or "pass".
 *   BYE	 the sender quits the game.
 * On the chat channel:
 *   SAY NAME: TEXT
 * NAME is 1 to 16 of A-Z a-z 0-9 _ . -; TEXT is printable ASCII. Anything
 * else is reported as a warning and skipped.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "pmapp.h"

#define NAME_MAX_LEN	16
#define NAME_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"
#define TEXT_MAX	512
#define PLAYERS_MAX	8	/* letters A to H on the board */
#define LOBBY_MAX	64	/* nodes heard from before the game starts */
#define BOARD_MIN	4
#define BOARD_MAX	26	/* columns a to z */
#define BOARD_DEFAULT	8
#define LOBBY_TIMEOUT	60
#define CELL_LEN	16	/* "z26" or "pass", and room */
#define PASS		(-1)
#define EMPTY		(-1)

/*
 * A node heard from on the channel: a player in the lobby, and once the
 * game starts, one of its players. Its moves for this turn and the next
 * are kept in [turn & 1]: no player is more than one turn ahead.
 */
struct player {
	uint64_t node;
	char name[NAME_MAX_LEN + 1];
	bool ready;		/* said READY: in the lobby */
	bool gone;		/* left the mesh, or said BYE */
	uint32_t move_turn[2];
	int move[2];		/* a cell index, or PASS */
	unsigned int cells;
};

struct game {
	uint32_t mesh;
	uint16_t channel, chat_channel;
	const char *name, *say;
	unsigned int size, want;
	uint64_t timeout;	/* for the lobby, seconds */
	uint64_t delay;		/* of automatic moves, ms */
	bool autoplay, quiet, input;
	uint64_t rng;
	int fd, chat_fd;
	struct pmapp_members *members;
	uint64_t self;

	/* Before the start, everyone heard; after, the players, in order. */
	struct player p[LOBBY_MAX];
	unsigned int np;
	int me;			/* my index in p[] once started */
	bool started, over, lobby_changed, lobby_full_warned;
	uint32_t turn;
	uint64_t turn_began;	/* pmapp_mono_ms() */
	bool moved;		/* my move for @turn is sent */
	bool prompted;
	signed char board[BOARD_MAX * BOARD_MAX];

	bool quit;
	bool silent;		/* leave without a BYE: it would not be ours */
	int status;
};

static void usage(FILE *f)
{
	fputs("Usage: game play MESH CHANNEL NAME [ players N ] [ size N ] [ auto ] [ seed S ]\n"
	      "                 [ delay MS ] [ say TEXT ] [ chat CHANNEL ] [ timeout SEC ]\n"
	      "                 [ quiet ]\n"
	      "\n"
	      "Plays \"claim\" as NAME on CHANNEL of mesh MESH: the players (2 by\n"
	      "default, at most 8) claim the cells of a board (size: 8 x 8, from\n"
	      "4 to 26), each one a turn, next to its own; a turn with no claim\n"
	      "ends the game, the most cells win. It starts when the lobby has\n"
	      "all the players (waiting SEC seconds, 60 by default). Type a cell\n"
	      "(c4) or pass to move, /who, /board or /quit, or anything else to\n"
	      "chat (on CHANNEL + 1, or the chat CHANNEL). auto plays by itself,\n"
	      "from a generator seeded with S, MS milliseconds into each turn\n"
	      "(delay); say sends TEXT on the chat as the game starts; quiet\n"
	      "leaves out the turns.\n",
	      f);
}

static unsigned int rnd(struct game *g, unsigned int n)
{
	g->rng = g->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return pmapp_mix64(g->rng) % n;
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= NAME_MAX_LEN && strspn(s, NAME_CHARS) == n;
}

/* Sending. */

static int send_on(struct game *g, int fd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int send_on(struct game *g, int fd, const char *fmt, ...)
{
	char buf[TEXT_MAX + 64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (pmapp_send(fd, buf, n)) {
		g->quit = true;
		g->silent = true;	/* nothing more goes out */
		g->status = 1;
		return -1;
	}
	return 0;
}

/* READY before the start; after it, PLAYING and who plays. */
static void send_ready(struct game *g)
{
	char buf[TEXT_MAX];
	size_t n;

	if (!g->started) {
		send_on(g, g->fd, "READY %s", g->name);
		return;
	}
	n = snprintf(buf, sizeof(buf), "PLAYING %s", g->name);
	for (unsigned int i = 0; i < g->np; i++)
		n += snprintf(buf + n, sizeof(buf) - n, " " PMAPP_NODE_FMT,
			      g->p[i].node);
	send_on(g, g->fd, "%s", buf);
}

static void say(struct game *g, const char *text)
{
	send_on(g, g->chat_fd, "SAY %s: %s", g->name, text);
}

/* The board. */

static void cell_name(const struct game *g, int cell, char *buf, size_t len)
{
	if (cell == PASS)
		snprintf(buf, len, "pass");
	else
		snprintf(buf, len, "%c%u", 'a' + cell % g->size, cell / g->size + 1);
}

/* "c4" or "pass" into a cell index or PASS; -2 if it is neither. */
static int parse_cell(const struct game *g, const char *s)
{
	unsigned int row;
	char col, end;

	if (!strcmp(s, "pass"))
		return PASS;
	if (sscanf(s, "%c%u%c", &col, &row, &end) != 2 || col < 'a' ||
	    col >= 'a' + (int)g->size || row < 1 || row > g->size ||
	    s[1] == '0' || s[1] == '+')
		return -2;
	return (row - 1) * g->size + (col - 'a');
}

static bool owns_next_to(const struct game *g, const signed char *b, int who,
			 int cell)
{
	int n = g->size, r = cell / n, c = cell % n;

	return (r > 0 && b[cell - n] == who) || (r < n - 1 && b[cell + n] == who) ||
	       (c > 0 && b[cell - 1] == who) || (c < n - 1 && b[cell + 1] == who);
}

/* Whether player @who may claim @cell on board @b. */
static bool claimable(const struct game *g, const signed char *b, int who,
		      int cell)
{
	return b[cell] == EMPTY &&
	       (!g->p[who].cells || owns_next_to(g, b, who, cell));
}

static void print_board(const struct game *g)
{
	unsigned int r, c;

	printf("   ");
	for (c = 0; c < g->size; c++)
		putchar('a' + c);
	putchar('\n');
	for (r = 0; r < g->size; r++) {
		printf("%2u ", r + 1);
		for (c = 0; c < g->size; c++) {
			int v = g->board[r * g->size + c];

			putchar(v == EMPTY ? '.' : 'A' + v);
		}
		putchar('\n');
	}
}

/* FNV-1a over the size and the owner of every cell. */
static uint64_t board_hash(const struct game *g)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = (h ^ g->size) * 0x100000001b3ULL;
	for (unsigned int i = 0; i < g->size * g->size; i++)
		h = (h ^ (unsigned char)(g->board[i] + 1)) * 0x100000001b3ULL;
	return h;
}

/* The lobby and the players. */

static struct player *player_of(struct game *g, uint64_t node)
{
	for (unsigned int i = 0; i < g->np; i++)
		if (g->p[i].node == node)
			return &g->p[i];
	return NULL;
}

/* The entry of @node, made if new (before the start only). */
static struct player *heard_from(struct game *g, uint64_t node)
{
	struct player *p = player_of(g, node);

	if (p || g->started)
		return p;
	if (g->np == LOBBY_MAX) {
		if (!g->lobby_full_warned)
			pmapp_warn("more than %d nodes in the lobby: " PMAPP_NODE_FMT
				   " and any further ones ignored", LOBBY_MAX, node);
		g->lobby_full_warned = true;
		return NULL;
	}
	p = &g->p[g->np++];
	*p = (struct player){ .node = node };
	return p;
}

static void forget(struct game *g, struct player *p)
{
	*p = g->p[--g->np];
	g->lobby_changed = true;
}

static void print_lobby(struct game *g)
{
	uint64_t ids[LOBBY_MAX];
	size_t n = pmapp_members_list(g->members, ids, LOBBY_MAX);

	printf("lobby: %zu node%s:", n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n && i < LOBBY_MAX; i++) {
		struct player *p = player_of(g, ids[i]);

		printf("%s " PMAPP_NODE_FMT " %s", i ? "," : "", ids[i],
		       ids[i] == g->self ? g->name : p && p->ready ? p->name : "-");
	}
	putchar('\n');
}

static int cmp_node(const void *a, const void *b)
{
	const struct player *x = a, *y = b;

	return x->node < y->node ? -1 : x->node > y->node;
}

static bool in_lobby(struct game *g, const struct player *p)
{
	return p->ready && pmapp_members_has(g->members, p->node);
}

/*
 * When @want players of the lobby are ready: the @want with the lowest node
 * ids play, in the order of their ids.
 */
static void try_start(struct game *g)
{
	unsigned int n = 0, i;

	for (i = 0; i < g->np; i++)
		n += in_lobby(g, &g->p[i]);
	if (n < g->want)
		return;
	for (i = 0; i < g->np;) {
		if (in_lobby(g, &g->p[i]))
			i++;
		else
			g->p[i] = g->p[--g->np];
	}
	qsort(g->p, g->np, sizeof(*g->p), cmp_node);
	g->np = g->want;
	g->me = -1;
	printf("players:");
	for (i = 0; i < g->np; i++) {
		if (g->p[i].node == g->self)
			g->me = i;
		printf("%s %c %s " PMAPP_NODE_FMT, i ? "," : "", 'A' + i,
		       g->p[i].name, g->p[i].node);
	}
	putchar('\n');
	g->started = true;
	g->turn_began = pmapp_mono_ms();
	if (g->me < 0) {
		pmapp_err("the game is full: %u players", g->want);
		g->quit = true;
		g->status = 1;
		return;
	}
	if (!g->autoplay && !g->quiet)
		print_board(g);
	if (g->say)
		say(g, g->say);
}

/* Play. */

static void send_move(struct game *g, int cell)
{
	char c[CELL_LEN];

	cell_name(g, cell, c, sizeof(c));
	if (send_on(g, g->fd, "MOVE %u %s", g->turn, c))
		return;
	g->p[g->me].move_turn[g->turn & 1] = g->turn;
	g->p[g->me].move[g->turn & 1] = cell;
	g->moved = true;
}

/* A random cell this player may claim, or PASS. */
static int auto_move(struct game *g)
{
	int cells[BOARD_MAX * BOARD_MAX], n = 0;

	for (unsigned int i = 0; i < g->size * g->size; i++)
		if (claimable(g, g->board, g->me, i))
			cells[n++] = i;
	return n ? cells[rnd(g, n)] : PASS;
}

static bool has_move(const struct player *p, uint32_t turn)
{
	return p->move_turn[turn & 1] == turn;
}

/* Every player's move for the turn is in (or it is gone without one). */
static bool turn_complete(const struct game *g)
{
	for (unsigned int i = 0; i < g->np; i++)
		if (!has_move(&g->p[i], g->turn) && !g->p[i].gone)
			return false;
	return true;
}

/*
 * Apply the turn: every move, in the turn's order, checked against the
 * board as the turn began; a cell already taken in this turn is a clash.
 */
static void apply_turn(struct game *g)
{
	signed char before[BOARD_MAX * BOARD_MAX];
	unsigned int order[PLAYERS_MAX], i, j, claims = 0;
	uint64_t key[PLAYERS_MAX];
	char line[PLAYERS_MAX * 32] = "", c[CELL_LEN];

	memcpy(before, g->board, sizeof(before));
	for (i = 0; i < g->np; i++) {
		key[i] = pmapp_mix64(g->turn ^ pmapp_mix64(g->p[i].node));
		for (j = i; j > 0 && key[order[j - 1]] > key[i]; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (j = 0; j < g->np; j++) {
		struct player *p = &g->p[order[j]];
		int cell = has_move(p, g->turn) ? p->move[g->turn & 1] : PASS;
		const char *what = "";

		if (cell != PASS && !claimable(g, before, order[j], cell)) {
			what = " invalid";
		} else if (cell != PASS && g->board[cell] != EMPTY) {
			what = " clash";
		} else if (cell != PASS) {
			g->board[cell] = order[j];
			claims++;
		}
		cell_name(g, cell, c, sizeof(c));
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
			 "%s %c %s%s", j ? "," : "", 'A' + order[j], c, what);
	}
	for (i = 0; i < g->np; i++)
		g->p[i].cells = 0;
	for (i = 0; i < g->size * g->size; i++)
		if (g->board[i] != EMPTY)
			g->p[(int)g->board[i]].cells++;
	if (!g->quiet)
		printf("turn %u:%s\n", g->turn, line);
	if (!g->autoplay && !g->quiet)
		print_board(g);
	g->over = !claims;
	g->turn++;
	g->turn_began = pmapp_mono_ms();
	g->moved = false;
	g->prompted = false;
}

static void game_over(struct game *g)
{
	unsigned int best = 0, nbest = 0, i;

	printf("game over after %u turns:", g->turn - 1);
	for (i = 0; i < g->np; i++) {
		printf("%s %c %s %u", i ? "," : "", 'A' + i, g->p[i].name,
		       g->p[i].cells);
		if (g->p[i].cells > best)
			best = g->p[i].cells;
	}
	for (i = 0; i < g->np; i++)
		nbest += g->p[i].cells == best;
	printf("; %s", nbest > 1 ? "draw between" : "winner");
	for (i = 0; i < g->np; i++)
		if (g->p[i].cells == best)
			printf(" %s", g->p[i].name);
	putchar('\n');
	print_board(g);
	printf("board " PMAPP_NODE_FMT "\n", board_hash(g));
}

/* Receiving. */

/* READY or PLAYING NAME [NODE...] from @d's origin. */
static void on_ready(struct game *g, bool playing, char *buf,
		     const struct pmapp_dgram *d)
{
	char name[NAME_MAX_LEN + 1];
	struct player *p;
	uint64_t node;
	bool mine = false;
	int n = -1, m;

	/* The name, then nothing, or for PLAYING a space and node ids. */
	if (sscanf(buf, "%*[A-Z] %16s%n", name, &n) != 1 || n < 0 ||
	    !valid_name(name) || (buf[n] && (!playing || buf[n] != ' '))) {
		pmapp_foreign(d, "not a game message");
		return;
	}
	if (d->origin == g->self) {
		if (strcmp(name, g->name)) {
			pmapp_err("player %s is on this node already: one player per node",
				  name);
			g->quit = true;
			g->silent = true;
			g->status = 1;
		}
		return;
	}
	if (playing) {
		/* Is this node one of the players of that game? */
		for (buf += n; sscanf(buf, " %16" SCNx64 "%n", &node, &m) == 1; buf += m)
			mine |= node == g->self;
		if (!g->started && !mine) {
			pmapp_err("a game is on without us on mesh %u channel %u",
				  g->mesh, g->channel);
			g->quit = true;
			g->status = 1;
		}
		return;
	}
	p = heard_from(g, d->origin);
	if (!p) {
		/* Started: PLAYING, so they know. (Else the lobby is full.) */
		if (g->started)
			send_ready(g);
		return;
	}
	if (p->ready && !strcmp(p->name, name))
		return;
	/* News: tell them about us too. */
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->ready = true;
	g->lobby_changed = true;
	send_ready(g);
}

static void on_move_msg(struct game *g, char *buf, const struct pmapp_dgram *d)
{
	char what[8], cellbuf[8];
	struct player *p;
	unsigned int turn;
	int n = -1, cell;

	if (sscanf(buf, "%7[A-Z]%n", what, &n) != 1)
		goto foreign;
	if (!strcmp(what, "READY") || !strcmp(what, "PLAYING")) {
		on_ready(g, what[0] == 'P', buf, d);
	} else if (!strcmp(what, "MOVE")) {
		if (sscanf(buf, "MOVE %u %7s%n", &turn, cellbuf, &n) != 2 || buf[n])
			goto foreign;
		cell = parse_cell(g, cellbuf);
		if (cell == -2)
			goto foreign;
		if (d->origin == g->self)
			return;
		p = heard_from(g, d->origin);
		if (!p) {
			pmapp_foreign(d, "a move from a node not in the game");
			return;
		}
		/* Lockstep: a move is for this turn or the next. */
		if (turn != g->turn && turn != g->turn + 1) {
			pmapp_foreign(d, "a move for another turn");
			return;
		}
		/* A move, once taken, stands: another would part the boards. */
		if (has_move(p, turn)) {
			pmapp_foreign(d, "a second move for a turn");
			return;
		}
		p->move_turn[turn & 1] = turn;
		p->move[turn & 1] = cell;
	} else if (!strcmp(what, "BYE") && !buf[n]) {
		p = player_of(g, d->origin);
		if (!p || d->origin == g->self)
			return;
		if (g->started) {
			printf("%s left the game: bye\n", p->name);
			p->gone = true;
		} else {
			forget(g, p);
		}
	} else {
		goto foreign;
	}
	return;
foreign:
	pmapp_foreign(d, "not a game message");
}

static void on_chat_msg(struct game *g, char *buf, const struct pmapp_dgram *d)
{
	char name[NAME_MAX_LEN + 1];
	int n = -1;

	if (sscanf(buf, "SAY %16[" NAME_CHARS "]%n", name, &n) != 1 || n < 0 ||
	    strncmp(buf + n, ": ", 2) || !valid_name(name) ||
	    !pmapp_printable(buf + n + 2) || strlen(buf + n + 2) > TEXT_MAX) {
		pmapp_foreign(d, "not a chat line");
		return;
	}
	if (d->origin != g->self || strcmp(name, g->name))
		printf("chat %s: %s\n", name, buf + n + 2);
}

/* Take what @fd has queued. Returns -1 if the socket failed. */
static int drain(struct game *g, int fd)
{
	static char buf[PMAPP_MAX_DGRAM + 1];
	struct pmapp_dgram d;
	ssize_t len;

	while (!g->quit) {
		len = pmapp_recv(fd, buf, sizeof(buf) - 1, &d, MSG_DONTWAIT);
		if (len < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		if (d.truncated || memchr(buf, 0, len)) {
			pmapp_foreign(&d, fd == g->fd ? "not a game message" :
				      "not a chat line");
			continue;
		}
		buf[len] = 0;
		if (fd == g->fd)
			on_move_msg(g, buf, &d);
		else
			on_chat_msg(g, buf, &d);
	}
	return 0;
}

static void on_member(void *arg, enum pmapp_member_event ev,
		      const struct pmapp_member *m)
{
	struct game *g = arg;
	struct player *p;

	switch (ev) {
	case PMAPP_MEMBER_PRESENT:
		break;
	case PMAPP_MEMBER_JOIN:
		/* It may have been apart, and have lost us from its lobby. */
		g->lobby_changed = true;
		if (!m->self && !g->started)
			send_ready(g);
		break;
	case PMAPP_MEMBER_LEAVE:
		g->lobby_changed = true;
		p = player_of(g, m->node);
		if (!p)
			break;
		if (!g->started) {
			forget(g, p);
		} else if (!p->gone) {
			printf("%s left the game: %s\n", p->name,
			       pmapp_reason_name(m->reason));
			p->gone = true;
		}
		break;
	case PMAPP_MESH_GONE:
		pmapp_err("mesh %u was deleted", g->mesh);
		g->quit = true;
		g->silent = true;
		g->status = 1;
		break;
	}
}

/* Input. */

static void on_input(struct game *g, char *s)
{
	int cell;

	s[strcspn(s, "\r\n")] = 0;
	if (!*s)
		return;
	if (!strcmp(s, "/quit")) {
		g->quit = true;
		return;
	}
	if (!strcmp(s, "/who")) {
		print_lobby(g);
		return;
	}
	if (!strcmp(s, "/board")) {
		print_board(g);
		return;
	}
	cell = parse_cell(g, s);
	if (cell == -2) {
		if (strlen(s) > TEXT_MAX || !pmapp_printable(s))
			printf("* not said: at most %d printable characters\n", TEXT_MAX);
		else
			say(g, s);
		return;
	}
	if (g->autoplay || !g->started || g->over)
		printf("* no move of yours is wanted now\n");
	else if (g->moved)
		printf("* you moved already in turn %u\n", g->turn);
	else if (cell != PASS && !claimable(g, g->board, g->me, cell))
		printf("* %s cannot be claimed: take an empty cell next to yours\n", s);
	else
		send_move(g, cell);
}

/* Read what standard input has, line by line; at its end, play on alone. */
static void read_input(struct game *g)
{
	static char buf[TEXT_MAX + 2];
	static size_t have;
	char *nl;
	ssize_t n;

	n = read(STDIN_FILENO, buf + have, sizeof(buf) - 1 - have);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n > 0)
		have += n;
	buf[have] = 0;
	while ((nl = strchr(buf, '\n'))) {
		*nl = 0;
		on_input(g, buf);
		have -= nl + 1 - buf;
		memmove(buf, nl + 1, have + 1);
	}
	if (have == sizeof(buf) - 1 || (n <= 0 && have)) {
		on_input(g, buf);	/* too long, or the last line */
		have = 0;
		buf[0] = 0;
	}
	if (n > 0)
		return;
	g->input = false;
	if (!g->autoplay) {
		printf("* input ended: playing on by myself\n");
		g->autoplay = true;
	}
}

static int parse_args(struct game *g, int argc, char **argv)
{
	uint64_t players = 2, size = BOARD_DEFAULT, chat = 0, seed = 0;
	bool seeded = false;

	if (argc < 3)
		return pmapp_err("a mesh id, a channel and a name are needed; try \"game help\"");
	if (pmapp_parse_mesh(argv[0], &g->mesh) ||
	    pmapp_parse_channel(argv[1], &g->channel))
		return -1;
	if (!valid_name(argv[2]))
		return pmapp_err("name \"%s\" is not 1 to %d of A-Z a-z 0-9 _ . -",
				 argv[2], NAME_MAX_LEN);
	g->name = argv[2];
	g->timeout = LOBBY_TIMEOUT;
	for (int i = 3; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		int err;

		if (!strcmp(argv[i], "auto")) {
			g->autoplay = true;
			continue;
		}
		if (!strcmp(argv[i], "quiet")) {
			g->quiet = true;
			continue;
		}
		if (!strcmp(argv[i], "players")) {
			err = pmapp_parse_uint("players", val, 2, PLAYERS_MAX, &players);
		} else if (!strcmp(argv[i], "size")) {
			err = pmapp_parse_uint("size", val, BOARD_MIN, BOARD_MAX, &size);
		} else if (!strcmp(argv[i], "seed")) {
			err = pmapp_parse_uint("seed", val, 0, UINT64_MAX, &seed);
			seeded = true;
		} else if (!strcmp(argv[i], "chat")) {
			err = pmapp_parse_channel(val, &g->chat_channel);
			chat = 1;
		} else if (!strcmp(argv[i], "delay")) {
			err = pmapp_parse_uint("delay", val, 0, 60000, &g->delay);
		} else if (!strcmp(argv[i], "timeout")) {
			err = pmapp_parse_uint("timeout", val, 1, 86400, &g->timeout);
		} else if (!strcmp(argv[i], "say")) {
			if (!val || !*val || strlen(val) > TEXT_MAX || !pmapp_printable(val))
				return pmapp_err("say needs 1 to %d printable characters",
						 TEXT_MAX);
			g->say = val;
			err = 0;
		} else {
			return pmapp_err("unknown argument \"%s\"; try \"game help\"",
					 argv[i]);
		}
		if (err)
			return -1;
		i++;
	}
	g->want = players;
	g->size = size;
	g->rng = seeded ? seed : pmapp_random64();
	if (!chat) {
		if (g->channel == UINT16_MAX)
			return pmapp_err("channel 65535 has no next one for the chat: give chat CHANNEL");
		g->chat_channel = g->channel + 1;
	}
	if (g->chat_channel == g->channel)
		return pmapp_err("the chat needs a channel of its own, not %u", g->channel);
	return 0;
}

int main(int argc, char **argv)
{
	static struct game g;
	struct player *me;
	uint64_t deadline;

	pmapp_init(argv[0]);
	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2;
	}
	if (strcmp(argv[1], "play"))
		return pmapp_err("unknown command \"%s\": play; try \"game help\"",
				 argv[1]), 1;
	if (parse_args(&g, argc - 2, argv + 2))
		return 1;
	pmapp_catch_signals();
	g.fd = pmapp_open(g.mesh, g.channel, 0);
	if (g.fd < 0)
		return 1;
	g.chat_fd = pmapp_open(g.mesh, g.chat_channel, 0);
	if (g.chat_fd < 0)
		return 1;
	g.members = pmapp_members_follow(g.mesh, on_member, &g);
	if (!g.members)
		return 1;
	g.self = pmapp_members_self(g.members);
	g.input = true;
	g.turn = 1;
	memset(g.board, EMPTY, sizeof(g.board));
	me = heard_from(&g, g.self);
	snprintf(me->name, sizeof(me->name), "%s", g.name);
	me->ready = true;

	printf("%s on mesh %u channel %u (chat %u), node " PMAPP_NODE_FMT
	       ", waiting for %u players\n", g.name, g.mesh, g.channel,
	       g.chat_channel, g.self, g.want);
	print_lobby(&g);
	send_ready(&g);
	deadline = pmapp_mono_ms() + g.timeout * 1000;

	while (!g.quit && !pmapp_stop) {
		struct pollfd p[4] = {
			{ .fd = g.fd, .events = POLLIN },
			{ .fd = g.chat_fd, .events = POLLIN },
			{ .fd = pmapp_members_fd(g.members), .events = POLLIN },
			{ .fd = g.input ? STDIN_FILENO : -1, .events = POLLIN },
		};
		uint64_t now = pmapp_mono_ms(), until = 0;

		if (g.started) {
			if (!g.moved && g.autoplay && now >= g.turn_began + g.delay)
				send_move(&g, auto_move(&g));
			if (g.quit)
				break;
			if (turn_complete(&g)) {
				apply_turn(&g);
				if (g.over) {
					game_over(&g);
					break;
				}
				continue;
			}
			if (!g.moved && g.autoplay)
				until = g.turn_began + g.delay;
			if (!g.moved && !g.autoplay && !g.prompted) {
				printf("turn %u: your move (a cell such as c4, or pass)?\n",
				       g.turn);
				g.prompted = true;
			}
		} else {
			if (now >= deadline) {
				pmapp_err("the lobby has not %u players after %" PRIu64 " s",
					  g.want, g.timeout);
				g.status = 1;
				break;
			}
			until = deadline;
		}
		if (pmapp_wait(p, 4, until ? (int)(until - now) : -1) < 0 &&
		    errno != EINTR)
			break;
		/*
		 * Membership first: a move sent before a goodbye is queued
		 * before the leave is reported, and is taken before it counts.
		 */
		if (pmapp_members_process(g.members) || drain(&g, g.fd) ||
		    drain(&g, g.chat_fd)) {
			g.status = 1;
			break;
		}
		if (p[3].revents && !g.quit)
			read_input(&g);
		if (!g.started && !g.quit) {
			if (g.lobby_changed)
				print_lobby(&g);
			g.lobby_changed = false;
			try_start(&g);
		}
	}
	/*
	 * Said whenever we leave unfinished, so that nobody waits for us: in
	 * their lobby, we are ready, and in a game, a player they wait for.
	 */
	if (!g.over && !g.silent)
		send_on(&g, g.fd, "BYE");
	if (!g.over)
		printf("%s left%s\n", g.name, g.started ? " the game" : "");
	pmapp_members_close(g.members);
	close(g.chat_fd);
	close(g.fd);
	return g.status;
}
