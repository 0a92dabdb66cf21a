// SPDX-License-Identifier: GPL-2.0
/*
 * Beacons on a large segment (core/beacon.h). A node that knows n stations
 * on a link beacons there every max(1, n / B) hello intervals, B being
 * PMESH_BEACONS_PER_HELLO: each of the n + 1 stations of the segment hears
 * about B beacons a hello interval, not n. Its beacons announce the
 * stretched interval and a dead interval stretched alike, so that the
 * others keep it up as long, relative to its beacons, as a small segment
 * keeps a station. A segment of B stations or fewer beacons as it always
 * did; one of 200 hears 16 beacons a hello interval, not 200, and learns
 * of a station gone silent after 12.5 hello intervals times the dead
 * interval's multiple (37.5 s at the defaults), not 3 s: the price of a
 * bounded load. On a key-less mesh its datagrams keep a station heard
 * between its beacons; on a keyed one a station forgotten meanwhile is
 * known again by its next sealed datagram (protocol.md).
 */
#include "beacon.h"
#include "frame.h"

/**
 * pmesh_beacon_plan() - plan a beacon on a link
 * @b: the plan
 * @hello_ms: the mesh's hello interval (checked: within the uapi's range)
 * @dead_ms: the mesh's dead interval (checked: longer than @hello_ms, at
 *	most PMESH_DEAD_INTERVAL_MAX)
 * @stations: the stations the link knows
 * @rnd: a random number, for the wait's draw
 *
 * The intervals announced stay within what a receiver takes (a hello
 * interval of at most PMESH_HELLO_INTERVAL_MAX, a dead interval longer and
 * at most PMESH_DEAD_INTERVAL_MAX): past PMESH_BEACONS_PER_HELLO times
 * PMESH_HELLO_INTERVAL_MAX / @hello_ms stations (960 at the default hello
 * interval) the load grows again, slowly.
 */
void pmesh_beacon_plan(struct pmesh_beacon_plan *b, u32 hello_ms, u32 dead_ms,
		       unsigned int stations, u32 rnd)
{
	u64 ms = hello_ms, dead = dead_ms;

	if (stations > PMESH_BEACONS_PER_HELLO) {
		ms = (u64)hello_ms * stations / PMESH_BEACONS_PER_HELLO;
		if (ms > PMESH_HELLO_INTERVAL_MAX)
			ms = PMESH_HELLO_INTERVAL_MAX;
		dead = (u64)dead_ms * ms / hello_ms;
		if (dead > PMESH_DEAD_INTERVAL_MAX)
			dead = PMESH_DEAD_INTERVAL_MAX;
	}
	b->hello_ms = ms;
	b->dead_ms = dead;
	/* 3/4 of the interval, and a quarter more drawn from @rnd. */
	b->wait_ms = ms - ms / 4 + (u32)(((u64)rnd * (ms / 4 + 1)) >> 32);
}

/**
 * pmesh_beacon_answer() - whether to answer a new station's beacon at once
 * @stations: the stations the link knows, the new one included
 * @rnd: a random number
 *
 * On a small segment every station answers a newcomer's first beacon with
 * its own, so that it learns them within a round trip; on a large one
 * about PMESH_BEACONS_PER_HELLO of them do (each with that chance in
 * @stations), and it learns the rest as their beacons come: no newcomer
 * brings down a burst of a beacon from every station.
 */
bool pmesh_beacon_answer(unsigned int stations, u32 rnd)
{
	if (stations <= PMESH_BEACONS_PER_HELLO)
		return true;
	return ((u64)rnd * stations >> 32) < PMESH_BEACONS_PER_HELLO;
}
