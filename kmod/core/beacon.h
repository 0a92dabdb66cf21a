/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Beacons on a large segment: how often a node beacons on an Ethernet link,
 * and the intervals its beacons announce, so that each station hears a
 * bounded number of beacons whatever the segment's size (as RFC 3550 6.2
 * scales RTCP's report interval with the group, and as announcements
 * stretch theirs with the membership table).
 *
 * Plain logic with no kernel-only calls: built into the module, the
 * simulator and the userspace tests alike.
 */
#ifndef _PMESH_CORE_BEACON_H
#define _PMESH_CORE_BEACON_H

#include "compat.h"

/*
 * Beacons a station hears from a link in a hello interval, at most, once
 * it knows the link's stations: up to this many stations beacon every
 * hello interval; past it each waits stations / PMESH_BEACONS_PER_HELLO
 * hello intervals.
 */
#define PMESH_BEACONS_PER_HELLO	16

/**
 * struct pmesh_beacon_plan - one beacon: what it says and when the next goes
 * @hello_ms: the hello interval it announces: the longest a receiver waits
 *	for the next
 * @dead_ms: the dead interval it announces, scaled as @hello_ms is
 * @wait_ms: the time until the next is due, drawn in [3/4, 1] of
 *	@hello_ms so that stations started together spread out; it goes in
 *	the last hello round before then
 */
struct pmesh_beacon_plan {
	u32 hello_ms;
	u32 dead_ms;
	u32 wait_ms;
};

void pmesh_beacon_plan(struct pmesh_beacon_plan *b, u32 hello_ms, u32 dead_ms,
		       unsigned int stations, u32 rnd);
bool pmesh_beacon_answer(unsigned int stations, u32 rnd);

#endif /* _PMESH_CORE_BEACON_H */
