/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pmapp: what the example programs (ticker, chat, workq, game) share.
 *
 * A pmesh application needs little: a socket bound to a channel of a mesh,
 * sending and receiving datagrams with their origin, hops and sequence
 * number, and, for those that react to nodes coming and going, the mesh's
 * membership. This file gives exactly that, with error messages a user can
 * act on, so that each program reads as the example of its kind of
 * application rather than as plumbing.
 *
 * Conventions:
 * - Every function that can fail prints one line to stderr, "PROG: what
 *   went wrong", and returns -1 (or NULL). Callers exit with status 1.
 *   pmapp_init() sets PROG.
 * - Node ids are printed as 16 hex digits (PMAPP_NODE_FMT), as pmesh does.
 * - Nothing here keeps global state but the program name and the warning
 *   budget; the membership follower is an object.
 */
#ifndef PMAPP_H
#define PMAPP_H

#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/pmesh.h>
#include <linux/pmesh_netlink.h>

#define PMAPP_NODE_FMT	"%016" PRIx64

/*
 * The largest payload a mesh can carry (PMESH_MAX_DGRAM_CEILING); a
 * receive buffer this big never truncates.
 */
#define PMAPP_MAX_DGRAM	65000

/* Program name, for messages; set by pmapp_init(). */
extern const char *pmapp_prog;

/**
 * pmapp_init() - start a program: its name for messages (the basename of
 * @argv0), stdout line-buffered so that output reaches a pipe or a file
 * line by line, and SIGPIPE ignored.
 */
void pmapp_init(const char *argv0);

/* "PROG: MESSAGE" on stderr. Returns -1. */
int pmapp_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "PROG: warning: MESSAGE" on stderr. */
void pmapp_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whether @s is printable ASCII only (no control characters). */
bool pmapp_printable(const char *s);

/* splitmix64's finalizer: a 64-bit mix, for hashes and generators. */
uint64_t pmapp_mix64(uint64_t x);

/*
 * Stopping, for programs that wait in ppoll(): pmapp_catch_signals() makes
 * SIGINT, SIGTERM and SIGHUP (a closed terminal) set pmapp_stop, and keeps
 * them blocked but while pmapp_wait() waits, so that one cannot come
 * between a look at pmapp_stop and the wait and be missed until the next
 * datagram. pmapp_wait() is poll() for @ms milliseconds (-1: no limit).
 */
extern volatile sig_atomic_t pmapp_stop;
void pmapp_catch_signals(void);
int pmapp_wait(struct pollfd *p, nfds_t n, int ms);

/*
 * Command-line numbers, strictly: decimal digits only, in range. Each prints
 * what is wrong ("channel 0 is not a channel (1..65535)") and returns -1.
 */
int pmapp_parse_mesh(const char *s, uint32_t *mesh);
int pmapp_parse_channel(const char *s, uint16_t *channel);
int pmapp_parse_uint(const char *what, const char *s, uint64_t min,
		     uint64_t max, uint64_t *val);
/* A node id: 1 to 16 hex digits, not 0, as pmesh prints and takes them. */
int pmapp_parse_node(const char *s, uint64_t *node);

/* pmapp_open() flags */
#define PMAPP_SEND_ONLY	1	/* connect but do not bind: receives nothing */

/**
 * pmapp_open() - a socket bound and connected to (@mesh, @channel)
 * @flags: 0, or PMAPP_SEND_ONLY for a socket that only sends
 *
 * Bound, so it receives every datagram sent to the channel; connected to the
 * same address, so that pmapp_send() (plain send()) floods to it. The
 * socket keeps pmesh's defaults: PMESH_LOOP on (its own datagrams come back
 * to it with hops 0, and reach every other socket of this node bound to
 * the channel) and the mesh's hop limit. A program that only sends should
 * not bind: its own datagrams would pile up unread in its receive buffer
 * and then be dropped, counted as sock-overflow.
 *
 * Return: the socket, or -1 after a message: "the pmesh module is not
 * loaded", "mesh N does not exist", ...
 */
int pmapp_open(uint32_t mesh, uint16_t channel, int flags);

/**
 * pmapp_send() - flood one datagram on the socket's channel
 *
 * Blocks while the socket's send buffer is full.
 * Return: 0, or -1 after a message ("a datagram of N bytes is larger than
 * mesh M carries", "mesh M was deleted", ...), errno kept.
 */
int pmapp_send(int fd, const void *buf, size_t len);

/**
 * struct pmapp_dgram - what came with a received datagram
 * @origin: the node that sent it first (spm_node)
 * @seq: its sequence number at @origin (PMESH_SEQ): 1, 2, ... per origin and
 *	mesh, shared by all of the origin's channels, so a jump is a datagram
 *	lost or one sent on another channel
 * @hops: links it crossed (PMESH_HOPS); 0 for one sent by this node
 * @channel: the channel it was sent to
 * @len: payload length; the whole datagram's, even if it was truncated
 * @truncated: it did not fit the buffer
 */
struct pmapp_dgram {
	uint64_t origin;
	uint64_t seq;
	int hops;
	uint16_t channel;
	size_t len;
	bool truncated;
};

/**
 * pmapp_recv() - receive one datagram
 * @fd: a socket from pmapp_open()
 * @buf: where the payload goes
 * @cap: size of @buf (PMAPP_MAX_DGRAM never truncates)
 * @d: filled with the origin, sequence number, hops and length
 * @flags: recvmsg() flags, MSG_DONTWAIT for instance
 *
 * Return: the bytes placed in @buf, or -1 with errno set. EAGAIN and EINTR
 * are left to the caller, silently; any other error is printed first
 * ("mesh N was deleted" for ENONET).
 */
ssize_t pmapp_recv(int fd, void *buf, size_t cap, struct pmapp_dgram *d,
		   int flags);

/**
 * pmapp_foreign() - warn about a datagram that is not the program's own
 * @d: the datagram, as pmapp_recv() described it
 * @why: what was wrong with it, e.g. "not a quote"
 *
 * Prints "PROG: warning: ignored N bytes from node X (hops H, seq S) on
 * channel C: WHY". Anyone in the mesh may send anything to any channel, so
 * a program meets such datagrams and goes on; after 10 warnings one line
 * says that further ones are not shown, so garbage cannot flood stderr.
 * Returns the number of foreign datagrams seen so far.
 */
unsigned long pmapp_foreign(const struct pmapp_dgram *d, const char *why);

/* Wall-clock time (CLOCK_REALTIME) in ns: what timestamps on the wire use. */
uint64_t pmapp_wall_ns(void);

/* Monotonic time in ms: for deadlines and intervals. */
uint64_t pmapp_mono_ms(void);

/* 64 random bits, for ids that tell runs and requests apart. */
uint64_t pmapp_random64(void);

/**
 * pmapp_node_id() - this node's id in @mesh (netlink mesh-get)
 * Return: 0, or -1 after a message ("mesh N does not exist").
 */
int pmapp_node_id(uint32_t mesh, uint64_t *node);

/*
 * Following the membership of a mesh.
 *
 * pmapp_members_follow() subscribes to the "events" group first and then
 * dumps the membership table (node-get), so no change is lost in between;
 * it calls back PMAPP_MEMBER_PRESENT for every node in the table, this
 * node included, before it returns. From then on, pmapp_members_process()
 * (call it when pmapp_members_fd() polls readable) calls back JOIN and
 * LEAVE as the kernel reports node-join-ntf and node-leave-ntf for the
 * mesh. The follower keeps the member set itself: an event that changes
 * nothing (a join of a node present, a leave of one absent, as happens for
 * events queued before the dump) is not passed on, so the callbacks always
 * describe the set that pmapp_members_list() returns.
 *
 * If the event socket overflows (a burst of events while the program was
 * busy), the follower takes the table again and calls back the difference
 * (reason PMAPP_REASON_RESYNC for the leaves). When the mesh is deleted it
 * calls back PMAPP_MESH_GONE once (node 0) and empties the set; if a mesh
 * of the same id is created again, the follower takes its table and calls
 * back its nodes as JOIN.
 */
enum pmapp_member_event {
	PMAPP_MEMBER_PRESENT,	/* in the table when following began */
	PMAPP_MEMBER_JOIN,	/* joined since */
	PMAPP_MEMBER_LEAVE,	/* left; see @reason */
	PMAPP_MESH_GONE,	/* the mesh was deleted */
};

/* A leave noticed by taking the table again, not from an event. */
#define PMAPP_REASON_RESYNC	(-1)

/**
 * struct pmapp_member - a node of the mesh, as a callback sees it
 * @node: its id
 * @hops: links its latest announcement crossed (0 for this node; in a
 *	LEAVE, as last known)
 * @self: it is this node
 * @reason: for a LEAVE, enum pmesh_leave_reason (goodbye, timeout, restart,
 *	unreachable) or PMAPP_REASON_RESYNC
 */
struct pmapp_member {
	uint64_t node;
	int hops;
	bool self;
	int reason;
};

typedef void (*pmapp_member_cb)(void *arg, enum pmapp_member_event ev,
				const struct pmapp_member *m);

struct pmapp_members;

/*
 * @cb may be NULL, for a follower that only keeps the set.
 * Return: the follower, or NULL after a message ("mesh N does not exist",
 * "the pmesh module is not loaded").
 */
struct pmapp_members *pmapp_members_follow(uint32_t mesh, pmapp_member_cb cb,
					   void *arg);

/* The descriptor to poll for POLLIN. */
int pmapp_members_fd(const struct pmapp_members *f);

/*
 * Take the pending events and call back the changes. Never blocks.
 * Return: 0, or -1 after a message if the netlink socket failed.
 */
int pmapp_members_process(struct pmapp_members *f);

/*
 * The members, this node included, in ascending order of node id: at most
 * @max ids into @ids. Returns how many members there are (which may be
 * more than @max).
 */
size_t pmapp_members_list(const struct pmapp_members *f, uint64_t *ids,
			  size_t max);

/* Whether @node is a member now. */
bool pmapp_members_has(const struct pmapp_members *f, uint64_t node);

/* This node's id, as the table says (0 while the mesh is gone). */
uint64_t pmapp_members_self(const struct pmapp_members *f);

/* The name of a leave reason: "goodbye", "timeout", ..., "resync". */
const char *pmapp_reason_name(int reason);

void pmapp_members_close(struct pmapp_members *f);

#endif /* PMAPP_H */
