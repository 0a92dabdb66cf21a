/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pmapp_sock: an AF_PMESH socket bound to one channel of a mesh, sending
 * and receiving datagrams with their origin, hops and sequence number, with
 * error messages a user can act on.
 */
#ifndef PMAPP_SOCK_H
#define PMAPP_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/pmesh.h>

/*
 * The largest payload a mesh can carry (PMESH_MAX_DGRAM_CEILING); a
 * receive buffer this big never truncates.
 */
#define PMAPP_MAX_DGRAM	65000

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

#endif /* PMAPP_SOCK_H */
