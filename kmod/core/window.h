/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Duplicate suppression for one origin: a sliding window over its sequence
 * numbers, in the manner of RFC 6479 (the window of IPsec anti-replay, as
 * WireGuard uses it), plus epochs for origins that restart.
 *
 * Plain logic with no kernel-only calls; the caller serialises access.
 */
#ifndef _PMESH_CORE_WINDOW_H
#define _PMESH_CORE_WINDOW_H

#include "compat.h"

/* Bits in the window; the last word is a buffer, as in RFC 6479. */
#define PMESH_WINDOW_BITS	1024
#define PMESH_WINDOW_WORDS	(PMESH_WINDOW_BITS / 64)
/* How far behind the newest seq a datagram may be and still be accepted. */
#define PMESH_WINDOW_SIZE	(PMESH_WINDOW_BITS - 64)

/**
 * struct pmesh_window - which sequence numbers of one origin were seen
 * @epoch: the origin's current epoch
 * @top: the highest sequence number seen in @epoch
 * @bits: one bit per sequence number, modulo PMESH_WINDOW_BITS
 */
struct pmesh_window {
	u32 epoch;
	u64 top;
	u64 bits[PMESH_WINDOW_WORDS];
};

enum pmesh_window_verdict {
	PMESH_WINDOW_NEW,	/* first time seen: deliver and forward */
	PMESH_WINDOW_DUP,	/* seen before */
	PMESH_WINDOW_OLD,	/* too far behind the window to tell: dropped */
	PMESH_WINDOW_STALE,	/* from an epoch older than the current one */
};

void pmesh_window_init(struct pmesh_window *w, u32 epoch, u64 seq);
enum pmesh_window_verdict pmesh_window_check(struct pmesh_window *w,
					     u32 epoch, u64 seq);
enum pmesh_window_verdict pmesh_window_peek(const struct pmesh_window *w,
					    u32 epoch, u64 seq);

/**
 * struct pmesh_ctl_window - the control frames one origin sent, in a keyed
 *	mesh: hellos or announcements, a few a second, seldom out of order
 * @epoch: the epoch of @top
 * @top: the highest sequence number seen in @epoch; 0 when none was
 *	(origins number their frames from 1)
 * @bits: bit n set if @top - n was seen
 */
struct pmesh_ctl_window {
	u32 epoch;
	u64 top;
	u64 bits;
};

void pmesh_ctl_window_init(struct pmesh_ctl_window *w, u32 epoch);
enum pmesh_window_verdict pmesh_ctl_window_check(struct pmesh_ctl_window *w,
						 u32 epoch, u64 seq,
						 bool mark);

/* Epochs compare as serial numbers (RFC 1982): newer if a - b is positive. */
static inline bool pmesh_epoch_after(u32 a, u32 b)
{
	return (s32)(a - b) > 0;
}

#endif /* _PMESH_CORE_WINDOW_H */
