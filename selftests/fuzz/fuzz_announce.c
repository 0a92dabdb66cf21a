// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: pmesh_announce_parse() over arbitrary bytes, an
 * announcement's payload.
 *
 * Asserted: a payload is good if and only if it is 12 bytes, no flag but
 * PMESH_ANNOUNCE_GOODBYE, the three reserved bytes zero, an interval in
 * [PMESH_ANNOUNCE_INTERVAL_MIN, PMESH_ANNOUNCE_STRETCH_MAX] and a timeout
 * longer than the interval and at most four of them; what it reads are its
 * bytes; pmesh_announce_build() writes the same bytes back.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct pmesh_announce a, want = { 0 };
	enum pmesh_frame_error err;
	u8 out[PMESH_ANNOUNCE_LEN];
	bool good = false;

	memset(&a, 0xa5, sizeof(a));
	err = pmesh_announce_parse(data, size, &a);
	if (size == PMESH_ANNOUNCE_LEN) {
		want.interval_ms = fuzz_be(data, 4);
		want.timeout_ms = fuzz_be(data + 4, 4);
		want.flags = data[8];
		good = !(data[8] & ~PMESH_ANNOUNCE_GOODBYE) &&
		       !data[9] && !data[10] && !data[11] &&
		       want.interval_ms >= PMESH_ANNOUNCE_INTERVAL_MIN &&
		       want.interval_ms <= PMESH_ANNOUNCE_STRETCH_MAX &&
		       want.timeout_ms > want.interval_ms &&
		       want.timeout_ms / 4 + !!(want.timeout_ms % 4) <=
		       want.interval_ms;
	}
	if (!good) {
		FUZZ_ASSERT(err == PMESH_FRAME_ANNOUNCE, "verdict %d", err);
		return 0;
	}
	FUZZ_ASSERT(err == PMESH_FRAME_OK, "a good announcement refused: %d",
		    err);
	FUZZ_ASSERT(a.interval_ms == want.interval_ms &&
		    a.timeout_ms == want.timeout_ms && a.flags == want.flags,
		    "read %u %u %#x", a.interval_ms, a.timeout_ms, a.flags);
	pmesh_announce_build(out, &a);
	FUZZ_ASSERT(!memcmp(out, data, sizeof(out)), "built again differs");
	return 0;
}
