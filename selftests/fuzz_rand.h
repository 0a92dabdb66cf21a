/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzzers' random numbers (wire_fuzz.c, nl_fuzz.c): splitmix64, so
 * that a whole run follows from its seed (set rng_state to it).
 */
#ifndef _PMESH_FUZZ_RAND_H
#define _PMESH_FUZZ_RAND_H

#include <stdint.h>

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static int chance(int percent)
{
	return below(100) < (uint64_t)percent;
}

#define PICK(a) ((a)[below(sizeof(a) / sizeof((a)[0]))])

#endif /* _PMESH_FUZZ_RAND_H */
