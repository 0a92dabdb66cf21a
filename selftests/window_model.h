/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A plain model of the duplicate window (kmod/core/window.c) that tests
 * compare it with, step by step: what window.h promises, said the slow and
 * obvious way. core_test.c and the window fuzzer (selftests/fuzz/) share it.
 *
 * The promise, for one origin:
 *  - an epoch that is not newer than the current one (serial numbers,
 *    RFC 1982) is STALE, whatever its seq;
 *  - a newer epoch starts the window again: that datagram is NEW and the
 *    only one seen in the epoch;
 *  - in the current epoch, top is the highest seq seen; a seq at least
 *    PMESH_WINDOW_SIZE behind top is OLD; any other seq is DUP if it was
 *    seen in this epoch and NEW (and now seen) if not.
 *
 * The model keeps the list of seqs seen in the current epoch that are less
 * than PMESH_WINDOW_SIZE behind top: older ones can only be OLD again, since
 * top never goes back within an epoch. The list therefore never holds more
 * than PMESH_WINDOW_SIZE numbers.
 */
#ifndef _PMESH_WINDOW_MODEL_H
#define _PMESH_WINDOW_MODEL_H

#include "window.h"

struct window_model {
	u32 epoch;
	u64 top;
	size_t n;
	u64 seen[PMESH_WINDOW_SIZE];
};

static inline void window_model_init(struct window_model *m, u32 epoch,
				     u64 seq)
{
	m->epoch = epoch;
	m->top = seq;
	m->n = 1;
	m->seen[0] = seq;
}

/* The verdict pmesh_window_check() must give; the model takes it in. */
static inline enum pmesh_window_verdict
window_model_check(struct window_model *m, u32 epoch, u64 seq)
{
	size_t i, kept;

	if (epoch != m->epoch) {
		if ((__s32)(epoch - m->epoch) <= 0)
			return PMESH_WINDOW_STALE;
		window_model_init(m, epoch, seq);
		return PMESH_WINDOW_NEW;
	}
	if (seq <= m->top && m->top - seq >= PMESH_WINDOW_SIZE)
		return PMESH_WINDOW_OLD;
	for (i = 0; i < m->n; i++)
		if (m->seen[i] == seq)
			return PMESH_WINDOW_DUP;
	if (seq > m->top) {
		m->top = seq;
		for (i = 0, kept = 0; i < m->n; i++)
			if (m->top - m->seen[i] < PMESH_WINDOW_SIZE)
				m->seen[kept++] = m->seen[i];
		m->n = kept;
	}
	m->seen[m->n++] = seq;
	return PMESH_WINDOW_NEW;
}

#endif /* _PMESH_WINDOW_MODEL_H */
