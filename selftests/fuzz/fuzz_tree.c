// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: pmesh_tr_parse() over arbitrary bytes, a tree frame's
 * payload (a draft of issue 15), then what a node does with it: the ids
 * of an IHAVE into a missing table, a GRAFT's and a PRUNE's slots into a
 * tree, and the table's timers run.
 *
 * Asserted: a payload is good only if its length is the one its entry
 * count gives, and then pmesh_tr_build() writes the same bytes back; no
 * range is empty or wraps; the missing table never holds more than
 * PMESH_TR_MISSING ids nor an id twice, and every GRAFT it returns names
 * one of the slots that announced it.
 */
#include "fuzz.h"
#include "tree.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct pmesh_tr_missing m;
	static u64 lazy;
	static u32 now;
	struct pmesh_tr_graft g[8];
	u8 buf[PMESH_TR_MAX_LEN];
	enum pmesh_frame_error err;
	struct pmesh_tr_frame t;
	unsigned int i, j, k;
	u8 slot;

	now += 37;
	err = pmesh_tr_parse(data, size, &t);
	if (size >= PMESH_TR_HDR_LEN &&
	    size != PMESH_TR_HDR_LEN + (size_t)data[1] * PMESH_TR_ENTRY_LEN)
		FUZZ_ASSERT(err == PMESH_FRAME_TREE, "a wrong length taken");
	if (err != PMESH_FRAME_OK) {
		FUZZ_ASSERT(err == PMESH_FRAME_TREE, "verdict %d", err);
		return 0;
	}
	FUZZ_ASSERT(t.n >= 1 && t.n <= PMESH_TR_MAX_ENTRIES, "%u entries", t.n);
	FUZZ_ASSERT(pmesh_tr_build(buf, &t) == size && !memcmp(buf, data, size),
		    "built again differs");

	slot = data[size - 1] & 63;
	for (i = 0; i < t.n; i++) {
		const struct pmesh_tr_range *r = &t.e[i];

		if (t.op == PMESH_TR_PRUNE) {
			pmesh_tr_prune(&lazy, slot);
			continue;
		}
		FUZZ_ASSERT(r->count && r->seq + r->count - 1 >= r->seq,
			    "a range of %u from %llu", r->count,
			    (unsigned long long)r->seq);
		if (t.op == PMESH_TR_GRAFT) {
			pmesh_tr_graft(&lazy, slot);
		} else if (t.op == PMESH_TR_IHAVE) {
			struct pmesh_tr_id id = { r->origin, r->epoch, r->seq };

			pmesh_tr_ihave(&m, now, &id, slot, PMESH_TR_TIMEOUT1_MS);
		}
	}
	if (data[0] & 0x80)
		pmesh_tr_neigh_down(&m, slot);
	do {
		k = pmesh_tr_expire(&m, now, g, 8);
		for (i = 0; i < k; i++)
			FUZZ_ASSERT(g[i].slot < PMESH_TR_SLOTS, "slot %u",
				    g[i].slot);
	} while (k == 8);
	FUZZ_ASSERT(m.n <= PMESH_TR_MISSING, "%u missing", m.n);
	for (i = 0; i < m.n; i++) {
		FUZZ_ASSERT(m.e[i].n_ann <= PMESH_TR_ANNOUNCERS &&
			    m.e[i].next <= m.e[i].n_ann, "announcers %u next %u",
			    m.e[i].n_ann, m.e[i].next);
		for (j = i + 1; j < m.n && j < i + 8; j++)
			FUZZ_ASSERT(m.e[i].id.seq != m.e[j].id.seq ||
				    m.e[i].id.origin != m.e[j].id.origin ||
				    m.e[i].id.epoch != m.e[j].id.epoch,
				    "an id twice");
	}
	return 0;
}
