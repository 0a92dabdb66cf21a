/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every fuzz target of the pure core shares: an assertion that stays
 * on whatever the build flags (libFuzzer saves the input that aborts), the
 * field readers of a frame written again apart from frame.c's, so that a
 * target does not check the codec against itself, and a reader of the
 * input as a stream of numbers for targets that decode operations from it.
 */
#ifndef _PMESH_FUZZ_H
#define _PMESH_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "frame.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#define FUZZ_ASSERT(cond, fmt, ...)					\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: %s: " fmt "\n",		\
				__FILE__, __LINE__, #cond, ##__VA_ARGS__); \
			abort();					\
		}							\
	} while (0)

static inline u64 fuzz_be(const u8 *p, int bytes)
{
	u64 v = 0;

	while (bytes--)
		v = v << 8 | *p++;
	return v;
}

/* The input as a stream; past its end every number reads as 0. */
struct fuzz_stream {
	const u8 *p;
	size_t left;
};

static inline u64 fuzz_take(struct fuzz_stream *s, int bytes)
{
	u64 v = 0;

	while (bytes--) {
		v <<= 8;
		if (s->left) {
			v |= *s->p++;
			s->left--;
		}
	}
	return v;
}

#endif /* _PMESH_FUZZ_H */
