// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: pmesh_px_parse() over arbitrary bytes, a peer-exchange
 * payload, then what a node does with it: pmesh_ov_rx() on an overlay
 * with a few neighbours, as from one of them.
 *
 * Asserted: a payload is good only if its length is the one its op and
 * entry count give (a JOIN padded with zeros to PMESH_PX_MAX_LEN), and then
 * pmesh_px_build() writes the same bytes back; the overlay never holds more
 * than PMESH_OV_PASSIVE_MAX candidates nor more than PMESH_OV_PER_SOURCE
 * from one neighbour, never this node nor a neighbour, never more than
 * PMESH_OV_MAX_TRYING tries, and every action it returns sends a payload
 * that parses.
 */
#include "fuzz.h"
#include "overlay.h"

static void neigh(struct pmesh_ov_neigh *x, u64 id, u8 kind, bool up)
{
	memset(x, 0, sizeof(*x));
	x->id = id;
	pmesh_px_addr_set_v4(x->addr, (u8 [4]){ 10, 0, 0, id });
	x->port = 7788;
	x->kind = kind;
	x->up = up;
	x->degree = 4;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct pmesh_ov ov;
	static u32 now;
	static int calls;
	struct pmesh_ov_action out[PMESH_OV_MAX_ACTIONS];
	struct pmesh_ov_neigh nb[4];
	u8 buf[PMESH_PX_MAX_LEN];
	enum pmesh_frame_error err;
	struct pmesh_px px;
	unsigned int i, j, k, mine;
	size_t want;

	/* One overlay lives across inputs, so that its caps are hit. */
	if (!calls++)
		pmesh_ov_init(&ov, 1, 1, 0);
	now += 100;

	err = pmesh_px_parse(data, size, &px);
	if (size >= PMESH_PX_HDR_LEN) {
		want = PMESH_PX_HDR_LEN + (size_t)data[2] * PMESH_PX_ENTRY_LEN;
		if (data[0] == PMESH_PX_JOIN)
			want = PMESH_PX_MAX_LEN;
		if (size != want)
			FUZZ_ASSERT(err == PMESH_FRAME_PX, "a wrong length taken");
	}
	if (err != PMESH_FRAME_OK) {
		FUZZ_ASSERT(err == PMESH_FRAME_PX, "verdict %d", err);
		return 0;
	}
	FUZZ_ASSERT(size >= PMESH_PX_HDR_LEN && px.n <= PMESH_PX_MAX_ENTRIES,
		    "%zu bytes, %u entries", size, px.n);
	FUZZ_ASSERT(pmesh_px_build(buf, &px) == size && !memcmp(buf, data, size),
		    "built again differs");

	neigh(&nb[0], 2, PMESH_OV_CONFIGURED, true);
	neigh(&nb[1], 3, PMESH_OV_LEARNED, true);
	neigh(&nb[2], 4, PMESH_OV_LEARNED, false);
	neigh(&nb[3], 5, PMESH_OV_LINK, true);
	/* From neighbour 2 or 3 as the input's last byte says. */
	k = pmesh_ov_rx(&ov, now, nb, 4, 2 + (data[size - 1] & 1),
			nb[data[size - 1] & 1].addr, 7788, &px, out,
			PMESH_OV_MAX_ACTIONS);
	FUZZ_ASSERT(k <= PMESH_OV_MAX_ACTIONS, "%u actions", k);
	if (!(calls % 16))
		k = pmesh_ov_round(&ov, now, nb, 4, out, PMESH_OV_MAX_ACTIONS);
	for (i = 0; i < k; i++) {
		struct pmesh_px back;
		size_t len;

		if (out[i].act != PMESH_OV_SEND && out[i].act != PMESH_OV_SHED)
			continue;
		len = pmesh_px_build(buf, &out[i].px);
		FUZZ_ASSERT(pmesh_px_parse(buf, len, &back) == PMESH_FRAME_OK,
			    "an action's frame does not parse (op %u)",
			    out[i].px.op);
	}
	FUZZ_ASSERT(ov.n_view <= PMESH_OV_PASSIVE_MAX, "%u candidates", ov.n_view);
	FUZZ_ASSERT(ov.n_try <= PMESH_OV_MAX_TRYING, "%u tries", ov.n_try);
	for (i = 0; i < ov.n_view; i++) {
		FUZZ_ASSERT(ov.view[i].id != 1 && ov.view[i].id != 2 &&
			    ov.view[i].id != 3 && ov.view[i].id != 4,
			    "candidate %llu is this node or a neighbour",
			    (unsigned long long)ov.view[i].id);
		for (j = 0, mine = 0; j < ov.n_view; j++)
			mine += ov.view[j].src && ov.view[j].src == ov.view[i].src;
		FUZZ_ASSERT(mine <= PMESH_OV_PER_SOURCE, "%u from one source", mine);
	}
	return 0;
}
