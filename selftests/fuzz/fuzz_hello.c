// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: pmesh_hello_parse() over arbitrary bytes, a hello's payload.
 *
 * Asserted: a payload is good if and only if it is 8 bytes with a hello
 * interval in [PMESH_HELLO_INTERVAL_MIN, PMESH_HELLO_INTERVAL_MAX] and a
 * dead interval longer than it and at most PMESH_DEAD_INTERVAL_MAX; the
 * intervals read are its big-endian words; pmesh_hello_build() writes the
 * same bytes back.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u32 hello = 0, dead = 0, h, d;
	enum pmesh_frame_error err;
	u8 out[PMESH_HELLO_LEN];
	bool good = false;

	err = pmesh_hello_parse(data, size, &hello, &dead);
	if (size == PMESH_HELLO_LEN) {
		h = fuzz_be(data, 4);
		d = fuzz_be(data + 4, 4);
		good = h >= PMESH_HELLO_INTERVAL_MIN &&
		       h <= PMESH_HELLO_INTERVAL_MAX && d > h &&
		       d <= PMESH_DEAD_INTERVAL_MAX;
	}
	if (!good) {
		FUZZ_ASSERT(err == PMESH_FRAME_HELLO, "verdict %d", err);
		return 0;
	}
	FUZZ_ASSERT(err == PMESH_FRAME_OK, "a good hello refused: %d", err);
	FUZZ_ASSERT(hello == h && dead == d, "read %u %u", hello, dead);
	pmesh_hello_build(out, hello, dead);
	FUZZ_ASSERT(!memcmp(out, data, sizeof(out)), "built again differs");
	return 0;
}
