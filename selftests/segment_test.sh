#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Large Ethernet segments (Documentation/design/self-building-mesh.md,
# "Large Ethernet segments"): two hundred nodes on one bridge, Ethernet
# only, one key. Every node knows every other as a station, hears a
# bounded number of beacons a second (core/beacon.h), and every datagram
# of one publisher reaches every subscriber once, with no station going
# down meanwhile. The cap on a link's stations follows max-nodes.
#
# Every node is configured in one "pmesh -b" run and the subscribers are
# one process (ns_recv): in the test guest each program started costs a
# tenth of a second.
. "$(dirname "$0")/lib.sh"

[ -n "${PMESH_GUEST:-}" ] && modprobe -q -a bridge

DIR=$(mktemp -d)
NS_RECV=$(dirname "$0")/ns_recv
N=${PMESH_SEGMENT_NODES:-200}
# kmod/core/beacon.h
BEACONS=$(awk '$2 == "PMESH_BEACONS_PER_HELLO" {print $3}' \
	"$(dirname "$0")/../kmod/core/beacon.h")
MONS=()

stop_monitors() {
	[ ${#MONS[@]} -gt 0 ] && kill "${MONS[@]}" 2>/dev/null
	MONS=()
}

# segment N...: a bridge br0 in namespace br; for each N a namespace sN
# whose e0 is a port of it (pN in br). In one ip run, one for the bridge,
# and one a namespace to set e0 up (a veth cannot be created up), two at
# a time.
segment() {
	local n pids=()
	{
		echo "netns add ${NS_PREFIX}br"
		for n in "$@"; do
			echo "netns add ${NS_PREFIX}s$n"
		done
		for n in "$@"; do
			printf 'link add e0 netns %ss%d address 02:00:00:00:%02x:%02x type veth peer name p%d netns %sbr\n' \
				"$NS_PREFIX" "$n" $((n >> 8)) $((n & 255)) "$n" "$NS_PREFIX"
		done
	} | ip -b - || fail "cannot create the namespaces"
	{
		echo "link add br0 type bridge"
		echo "link set br0 up"
		for n in "$@"; do
			echo "link set p$n master br0 up"
		done
	} | ip -n "${NS_PREFIX}br" -b - || fail "cannot create the bridge"
	for n in "$@"; do
		ip -n "${NS_PREFIX}s$n" link set e0 up &
		pids+=($!)
		if [ ${#pids[@]} -ge 2 ]; then
			wait "${pids[@]}" || fail "cannot set up e0"
			pids=()
		fi
	done
	[ ${#pids[@]} -eq 0 ] || wait "${pids[@]}" || fail "cannot set up e0"
}

# stat_s N MESH KEY: a counter of mesh MESH in sN.
stat_s() {
	local j
	j=$(at "s$1" "$PMESH" -j mesh show "$2") || fail "mesh show in s$1 failed"
	[[ ${j#*\"stats\":\{} =~ \"$3\":([0-9]+) ]] || fail "no counter $3 in: $j"
	echo "${BASH_REMATCH[1]}"
}

# softnet_drops: packets the kernel's per-CPU backlogs dropped, all CPUs.
softnet_drops() {
	local d=0 dropped
	while read -r _ dropped _; do
		d=$((d + 16#$dropped))
	done < /proc/net/softnet_stat
	echo "$d"
}

# every WORDS...: "pmesh -j WORDS" in each node of $ALL, one pmesh run;
# one line of JSON a node, in the order of $ALL.
every() {
	local n
	for n in $ALL; do
		echo "-n ${NS_PREFIX}s$n $*"
	done > "$DIR/every"
	ok "$PMESH" -j -b "$DIR/every"
	echo "$OUT"
}

# stations: per node of $ALL, "N STATIONS" (mesh 1's stations on e0).
stations() {
	local line i=0 nodes
	read -ra nodes <<<"$ALL"
	while IFS= read -r line; do
		[[ $line =~ \"stations\":([0-9]+) ]] || fail "no stations in: $line"
		echo "${nodes[i]} ${BASH_REMATCH[1]}"
		i=$((i + 1))
	done <<<"$(every link show 1)"
	[ "$i" -eq ${#nodes[@]} ] || fail "$i links listed, not ${#nodes[@]}"
}

# counters KEY: per node of $ALL, "N VALUE" of mesh 1's counter KEY.
counters() {
	local line i=0 nodes
	read -ra nodes <<<"$ALL"
	while IFS= read -r line; do
		[[ ${line#*\"stats\":\{} =~ \"$1\":([0-9]+) ]] || fail "no $1 in: $line"
		echo "${nodes[i]} ${BASH_REMATCH[1]}"
		i=$((i + 1))
	done <<<"$(every mesh show 1)"
}

# all_know K: every node of $ALL has K stations.
all_know() {
	local n k
	while read -r n k; do
		[ "$k" -eq "$1" ] || fail "s$n knows $k stations, not $1"
	done <<<"$(stations)"
}

# station_ids: per node of $ALL, its stations up by node id, a line each.
station_ids() {
	local line o ids
	while IFS= read -r line; do
		ids=
		while [[ $line =~ \{([^{}]*)\} ]]; do
			o=${BASH_REMATCH[1]}
			line=${line#*"${BASH_REMATCH[0]}"}
			[[ $o =~ \"state\":\"up\" ]] || continue
			[[ $o =~ \"node\":\"([0-9a-f]+)\" ]] || fail "no node in: $o"
			ids+=" ${BASH_REMATCH[1]}"
		done
		echo "$ids"
	done <<<"$(every neigh show 1)"
}

# configure ARGS...: in each node of $ALL, mesh 1 with ARGS and a link on e0.
configure() {
	local n
	for n in $ALL; do
		echo "-n ${NS_PREFIX}s$n mesh add 1 node $(printf %x "$n") $*"
		echo "-n ${NS_PREFIX}s$n link add 1 dev e0"
	done > "$DIR/setup"
	ok "$PMESH" -b "$DIR/setup"
}

test_two_hundred_on_a_segment() {
	local n t0 t1 a b max=0 maxn subs pid rc secs=20 backlog drops
	ALL=$(seq "$N" | xargs)
	segment $ALL
	ok "$PMESH" genkey
	echo "$OUT" > "$DIR/key"
	configure key "$DIR/key"
	t0=$SECONDS
	eventually 300 all_know $((N - 1))
	echo "# $N nodes know each other as stations in $((SECONDS - t0)) s"

	# The control frames each node receives, over $secs seconds: the
	# beacons of N - 1 stations, each every N / BEACONS hello intervals
	# (of 1 s) or so, and the announcements of N - 1 nodes, each every
	# (N + 1) x 114 ms. Without the stretching, a node hears N - 1
	# beacons a second; the bound is twice the beacons stretched
	# intervals give, and the announcements.
	local bound=$((2 * BEACONS + 1000 * (N - 1) / ((N + 1) * 114) + 1))
	[ "$N" -le "$BEACONS" ] && bound=$((2 * N + 1000 * (N - 1) / ((N + 1) * 114) + 1))
	counters ctl_rx_frames > "$DIR/rx0"
	t0=$SECONDS
	sleep "$secs"
	counters ctl_rx_frames > "$DIR/rx1"
	t1=$SECONDS
	while read -r n a && read -r _ b <&3; do
		b=$(((b - a) / (t1 - t0)))
		[ "$b" -gt "$max" ] && max=$b maxn=$n
	done < "$DIR/rx0" 3< "$DIR/rx1"
	echo "# control frames received a second: at most $max (s$maxn), the bound $bound"
	[ "$max" -le "$bound" ] || fail "s$maxn received $max control frames a second"

	# No station goes down, at the publisher or at two subscribers.
	for n in 1 2 "$N"; do
		"$PMESH" -n "${NS_PREFIX}s$n" -j monitor > "$DIR/mon.$n" 2>&1 &
		MONS+=($!)
	done
	trap stop_monitors EXIT

	# A thousand datagrams from s1, each to all the others, once. Each
	# broadcast crosses the bridge into N - 1 veths, a packet each in the
	# kernel's per-CPU backlog (netdev_max_backlog, 1000 by default): a
	# burst from the publisher overflowed it once, under pmesh, and one
	# datagram was lost for every subscriber. Room for the burst; what the
	# backlogs still drop is reported.
	backlog=$(sysctl -n net.core.netdev_max_backlog)
	sysctl -qw net.core.netdev_max_backlog=100000 || fail "cannot raise the backlog"
	drops=$(softnet_drops)
	subs=$(for n in $(seq 2 "$N"); do echo "${NS_PREFIX}s$n"; done)
	# shellcheck disable=SC2086
	"$NS_RECV" 1 5 1000 300 $subs > "$DIR/recv" 2>&1 &
	pid=$!
	ready() { grep -q '^ready$' "$DIR/recv"; }
	eventually 60 ready
	seq 1000 > "$DIR/pub"
	ok at s1 "$PMESH" send 1 5 < "$DIR/pub"
	wait "$pid"
	rc=$?
	drops=$(($(softnet_drops) - drops))
	sysctl -qw net.core.netdev_max_backlog="$backlog"
	echo "# $(tail -n 1 "$DIR/recv"); the kernel's backlogs dropped $drops packets"
	[ "$rc" -eq 0 ] || fail "not every subscriber got every datagram once ($drops packets dropped by the backlogs): $(grep -v ready "$DIR/recv" | head -n 5 | xargs -d '\n')"

	stop_monitors
	for n in 1 2 "$N"; do
		! grep -q '"event":"neigh-down"' "$DIR/mon.$n" ||
			fail "s$n saw a station go down: $(grep '"neigh-down"' "$DIR/mon.$n" | head -n 3)"
	done
	all_know $((N - 1))
	while read -r n a; do
		[ "$a" -eq 0 ] || fail "s$n dropped $a stations"
	done <<<"$(counters neigh_drops)"
	while read -r n a; do
		[ "$a" -eq 0 ] || fail "s$n overflowed its socket $a times"
	done <<<"$(counters sock_overflow)"
}

# With max-nodes below the segment's size, each link knows max-nodes
# stations, refuses the others (neigh-drops), and evicts none of those it
# has while they are up.
test_station_cap_follows_max_nodes() {
	local n a first
	ALL=$(seq 20 | xargs)
	segment $ALL
	configure max-nodes 16
	eventually 60 all_know 16
	while read -r n a; do
		[ "$a" -gt 0 ] || fail "s$n refused no station"
	done <<<"$(counters neigh_drops)"
	first=$(station_ids)
	while read -r a; do
		eq "$(wc -w <<<"$a")" 16
	done <<<"$first"
	# Twice the dead interval: a station evicted or timed out would show.
	sleep 6
	all_know 16
	eq "$(station_ids)" "$first"
}

# On a keyed mesh a station's sealed datagram proves it as its beacon
# would: s2 forgets s1 (its device goes down and up), s1 beacons once a
# minute or so (and announces itself every ten), and s1's next datagram
# reaches s2 all the same, and makes s1 its station again. Key-less, the
# same datagram is dropped (unknown-peer).
test_sealed_frame_proves_a_station() {
	local n m try slow
	ALL="1 2"
	segment 1 2
	ok "$PMESH" genkey
	echo "$OUT" > "$DIR/key"
	for n in 1 2; do
		slow=
		[ "$n" = 1 ] &&
			slow="hello-interval 60000 dead-interval 180000 announce-interval 600000"
		# shellcheck disable=SC2086
		ok at "s$n" "$PMESH" mesh add 1 node "$n" key "$DIR/key" $slow
		# shellcheck disable=SC2086
		ok at "s$n" "$PMESH" mesh add 2 node "$n" port 7789 $slow
		ok at "s$n" "$PMESH" link add 1 dev e0
		ok at "s$n" "$PMESH" link add 2 dev e0
	done
	both() {
		for n in 1 2; do
			for m in 1 2; do
				[[ $(at "s$n" "$PMESH" link show "$m") == *" stations 1 up"* ]] ||
					fail "s$n mesh $m has no station"
			done
		done
	}
	eventually 30 both
	for try in 1 2 3; do
		ip -n "${NS_PREFIX}s2" link set e0 down
		ip -n "${NS_PREFIX}s2" link set e0 up
		forgot() {
			for m in 1 2; do
				[[ $(at s2 "$PMESH" link show "$m") == *" stations 0 up"* ]] ||
					fail "s2 mesh $m still knows s1"
			done
		}
		eventually 10 forgot
		for m in 1 2; do
			"$PMESH" -n "${NS_PREFIX}s2" recv "$m" 7 count 1 timeout 5 \
				> "$DIR/proof.$m" 2>&1 &
			PIDS+=($!)
		done
		listening
		# s1's beacon may have come meanwhile: then again.
		[[ $(at s2 "$PMESH" link show 1) == *" stations 0 up"* ]] &&
			[[ $(at s2 "$PMESH" link show 2) == *" stations 0 up"* ]] && break
		finish
	done
	ok at s1 "$PMESH" send 1 7 "sealed"
	ok at s1 "$PMESH" send 2 7 "clear"
	finish
	has "$(cat "$DIR/proof.1")" "sealed"
	[[ $(at s2 "$PMESH" link show 1) == *" stations 1 up"* ]] ||
		fail "s2 did not take s1 back as a station of mesh 1"
	hasnt "$(cat "$DIR/proof.2")" "clear"
	[ "$(stat_s 2 2 unknown_peer)" -ge 1 ] || fail "s2 counted no unknown-peer on mesh 2"
	[[ $(at s2 "$PMESH" link show 2) == *" stations 0 up"* ]] ||
		fail "s2 took s1 back as a station of key-less mesh 2"
}

run_tests
