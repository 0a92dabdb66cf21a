// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the duplicate window, driven by a sequence of (origin,
 * epoch, seq) decoded from the input and compared at every step with the
 * reference model of selftests/window_model.h.
 *
 * Each step is an opcode byte and the operands it asks for:
 *   bits 0-1  which of four origins; the first datagram of an origin
 *             starts its window (pmesh_window_init), as origin.c does
 *   bits 2-4  the epoch: 0-3 the origin's current one, 4 newer by 1 + a
 *             byte, 5 older by 1 + a byte, 6 four bytes as they are,
 *             7 half the epoch space away, +/- a byte (where serial
 *             comparison turns)
 *   bits 5-7  the seq: 0 top + 1, 1 top - 2 bytes, 2 top + 2 bytes,
 *             3 the edge of the window (top - PMESH_WINDOW_SIZE + 2 - a
 *             byte % 4), 4 eight bytes as they are, 5 top + a byte of
 *             whole words, 6 top - a byte, 7 top itself
 * so that the fuzzer reaches the window's edges and word boundaries, near
 * seq 0 and 2^64 - 1, and epoch wrap, without guessing 8-byte numbers.
 *
 * Asserted at every step: the verdict is the model's; the window's epoch
 * and top are the model's; a datagram found NEW is DUP when checked again
 * at once; an epoch older than the current one is never NEW. After the
 * last step, every seq the model holds as seen is DUP in the window.
 */
#include "fuzz.h"
#include "window_model.h"

#define ORIGINS		4

struct origin {
	bool live;
	struct pmesh_window w;
	struct window_model m;
};

static struct origin origins[ORIGINS];

static u32 next_epoch(struct fuzz_stream *s, unsigned int kind, u32 epoch)
{
	switch (kind) {
	case 4:
		return epoch + 1 + fuzz_take(s, 1);
	case 5:
		return epoch - 1 - fuzz_take(s, 1);
	case 6:
		return fuzz_take(s, 4);
	case 7:
		return epoch + 0x80000000u + (u32)fuzz_take(s, 1) - 128;
	}
	return epoch;
}

static u64 next_seq(struct fuzz_stream *s, unsigned int kind, u64 top)
{
	switch (kind) {
	case 0:
		return top + 1;
	case 1:
		return top - fuzz_take(s, 2);
	case 2:
		return top + fuzz_take(s, 2);
	case 3:
		return top - PMESH_WINDOW_SIZE + 2 - fuzz_take(s, 1) % 4;
	case 4:
		return fuzz_take(s, 8);
	case 5:
		return top + (fuzz_take(s, 1) << 6);
	case 6:
		return top - fuzz_take(s, 1);
	}
	return top;
}

static void step(struct origin *o, u32 epoch, u64 seq)
{
	enum pmesh_window_verdict want, got;
	bool fresh = !o->live;
	u32 was = o->m.epoch;

	if (fresh) {
		pmesh_window_init(&o->w, epoch, seq);
		window_model_init(&o->m, epoch, seq);
		o->live = true;
		want = PMESH_WINDOW_NEW;
		got = want;
	} else {
		want = window_model_check(&o->m, epoch, seq);
		got = pmesh_window_check(&o->w, epoch, seq);
	}
	FUZZ_ASSERT(got == want, "epoch %#x seq %llu: got %d, want %d",
		    epoch, (unsigned long long)seq, got, want);
	FUZZ_ASSERT(o->w.epoch == o->m.epoch && o->w.top == o->m.top,
		    "window at %#x/%llu, model at %#x/%llu", o->w.epoch,
		    (unsigned long long)o->w.top, o->m.epoch,
		    (unsigned long long)o->m.top);
	if (!fresh && epoch != was && !pmesh_epoch_after(epoch, was))
		FUZZ_ASSERT(got == PMESH_WINDOW_STALE,
			    "older epoch %#x after %#x: %d", epoch, was, got);
	if (got == PMESH_WINDOW_NEW)
		FUZZ_ASSERT(pmesh_window_check(&o->w, epoch, seq) ==
			    PMESH_WINDOW_DUP, "NEW twice: %#x %llu", epoch,
			    (unsigned long long)seq);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_stream s = { data, size };
	struct origin *o;
	size_t i;

	for (i = 0; i < ORIGINS; i++)
		origins[i].live = false;
	while (s.left) {
		unsigned int op = fuzz_take(&s, 1);
		u32 epoch;
		u64 seq;

		o = &origins[op & 3];
		/* An origin not yet seen is at epoch 0, seq 0 to decode from. */
		if (!o->live)
			window_model_init(&o->m, 0, 0);
		epoch = next_epoch(&s, op >> 2 & 7, o->m.epoch);
		seq = next_seq(&s, op >> 5, o->m.top);
		step(o, epoch, seq);
	}
	for (o = origins; o < origins + ORIGINS; o++) {
		if (!o->live)
			continue;
		for (i = 0; i < o->m.n; i++)
			FUZZ_ASSERT(pmesh_window_check(&o->w, o->m.epoch,
						       o->m.seen[i]) ==
				    PMESH_WINDOW_DUP, "forgot %llu",
				    (unsigned long long)o->m.seen[i]);
	}
	return 0;
}
