// SPDX-License-Identifier: GPL-2.0
/*
 * The duplicate window (RFC 6479). The bitmap is a ring of 64-bit words;
 * moving the top forward clears whole words, so a check costs O(1) however
 * far the window moves, and the word at the top is never compared against
 * a sequence number more than PMESH_WINDOW_SIZE behind.
 */
#include "window.h"

#define BIT_OF(seq)	((seq) % PMESH_WINDOW_BITS)
#define WORD_OF(seq)	(BIT_OF(seq) / 64)
#define MASK_OF(seq)	((u64)1 << ((seq) % 64))

/**
 * pmesh_window_init() - start a window with its first sequence number
 * @w: the window
 * @epoch: the origin's epoch
 * @seq: the first sequence number seen, marked seen
 */
void pmesh_window_init(struct pmesh_window *w, u32 epoch, u64 seq)
{
	memset(w->bits, 0, sizeof(w->bits));
	w->epoch = epoch;
	w->top = seq;
	w->bits[WORD_OF(seq)] |= MASK_OF(seq);
}

/**
 * pmesh_window_check() - tell whether a datagram is new, and remember it
 * @w: the origin's window
 * @epoch: the datagram's epoch
 * @seq: the datagram's sequence number
 *
 * A newer epoch means the origin restarted: the window starts again there.
 *
 * Return: PMESH_WINDOW_NEW if the datagram had not been seen (it is now
 * marked), otherwise why it is to be dropped.
 */
enum pmesh_window_verdict pmesh_window_check(struct pmesh_window *w,
					     u32 epoch, u64 seq)
{
	if (epoch != w->epoch) {
		if (!pmesh_epoch_after(epoch, w->epoch))
			return PMESH_WINDOW_STALE;
		pmesh_window_init(w, epoch, seq);
		return PMESH_WINDOW_NEW;
	}

	if (seq > w->top) {
		u64 words = seq / 64 - w->top / 64;

		if (words >= PMESH_WINDOW_WORDS) {
			memset(w->bits, 0, sizeof(w->bits));
		} else {
			for (u64 i = 1; i <= words; i++)
				w->bits[(w->top / 64 + i) % PMESH_WINDOW_WORDS] = 0;
		}
		w->top = seq;
	} else if (w->top - seq >= PMESH_WINDOW_SIZE) {
		return PMESH_WINDOW_OLD;
	}

	if (w->bits[WORD_OF(seq)] & MASK_OF(seq))
		return PMESH_WINDOW_DUP;
	w->bits[WORD_OF(seq)] |= MASK_OF(seq);
	return PMESH_WINDOW_NEW;
}

/**
 * pmesh_window_peek() - what pmesh_window_check() would say, changing nothing
 * @w: the origin's window
 * @epoch: the datagram's epoch
 * @seq: the datagram's sequence number
 *
 * For keyed meshes, which look before they authenticate a frame and mark
 * only after: a frame that fails to open leaves the window as it was.
 *
 * Return: the verdict pmesh_window_check() would give now.
 */
enum pmesh_window_verdict pmesh_window_peek(const struct pmesh_window *w,
					    u32 epoch, u64 seq)
{
	if (epoch != w->epoch)
		return pmesh_epoch_after(epoch, w->epoch) ? PMESH_WINDOW_NEW :
							     PMESH_WINDOW_STALE;
	if (seq > w->top)
		return PMESH_WINDOW_NEW;
	if (w->top - seq >= PMESH_WINDOW_SIZE)
		return PMESH_WINDOW_OLD;
	return w->bits[WORD_OF(seq)] & MASK_OF(seq) ? PMESH_WINDOW_DUP :
						       PMESH_WINDOW_NEW;
}

/**
 * pmesh_ctl_window_init() - an empty control window
 * @w: the window
 * @epoch: the epoch of the origin's first frame seen
 */
void pmesh_ctl_window_init(struct pmesh_ctl_window *w, u32 epoch)
{
	w->epoch = epoch;
	w->top = 0;
	w->bits = 1;	/* sequence number 0, which no origin sends */
}

/**
 * pmesh_ctl_window_check() - whether a control frame is new
 * @w: the origin's window for the frame's type
 * @epoch: the frame's epoch
 * @seq: its sequence number
 * @mark: remember it if it is new; false only looks
 *
 * Sixty-four frames wide: a control frame that far behind the newest is
 * refused as old.
 *
 * Return: PMESH_WINDOW_NEW for a frame not seen, or why it is refused.
 */
enum pmesh_window_verdict pmesh_ctl_window_check(struct pmesh_ctl_window *w,
						 u32 epoch, u64 seq,
						 bool mark)
{
	u64 d;

	if (epoch != w->epoch) {
		if (!pmesh_epoch_after(epoch, w->epoch))
			return PMESH_WINDOW_STALE;
		if (mark) {
			pmesh_ctl_window_init(w, epoch);
			return pmesh_ctl_window_check(w, epoch, seq, true);
		}
		return PMESH_WINDOW_NEW;
	}
	if (seq > w->top) {
		if (mark) {
			d = seq - w->top;
			w->bits = d >= 64 ? 1 : w->bits << d | 1;
			w->top = seq;
		}
		return PMESH_WINDOW_NEW;
	}
	d = w->top - seq;
	if (d >= 64)
		return PMESH_WINDOW_OLD;
	if (w->bits & (u64)1 << d)
		return PMESH_WINDOW_DUP;
	if (mark)
		w->bits |= (u64)1 << d;
	return PMESH_WINDOW_NEW;
}
