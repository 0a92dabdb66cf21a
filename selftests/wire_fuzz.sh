#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The wire fuzzer (wire_fuzz.c) against three nodes: mutated frames over
# UDP from a configured peer and from a stranger, and over Ethernet from an
# AF_PACKET socket, linear and from a PACKET_TX_RING (page fragments), with
# each node's counters held to the fuzzer's prediction; then the fuzzed
# state times out, and real datagrams from every node reach every node once.
# Then the same against the three nodes keyed: the fuzzer knows the key's
# fingerprint but not the key, and nothing it sends may change any state.
#
# PMESH_FUZZ_FRAMES frames (default 200000, about 7 s in the test guest;
# see run_tests.sh for the debug kernel), and half as many against the
# keyed nodes; PMESH_FUZZ_SEED to replay a run (the seed is printed).
#
#   n1 e0 -.            .- e0 n3        one bridged segment (br0 in br),
#           br0 --- vx x                x's port learns no addresses
#   n2 e0 -'                            UDP peers: n1-n2, n2-n3, and
#   n1 =udp= n2 =udp= n3, x =udp= n2    x (10.9.2.1:7788) at n2 only
. "$(dirname "$0")/lib.sh"

[ -n "${PMESH_GUEST:-}" ] && modprobe -q -a bridge

FRAMES=${PMESH_FUZZ_FRAMES:-200000}
FUZZ=$top/selftests/wire_fuzz
CORPUS=$top/selftests/fuzz/corpus/frame
DIR=$(mktemp -d)
PIDS=()

# Dead interval at its ceiling: no station the fuzzer made known times out
# during a run (the prediction counts on it); origins forgotten in 5 s.
SETTINGS="hello-interval 1000 dead-interval 600000 origin-timeout 5 max-origins 65536"

# up_nodes N: the ids (hex) of nN's neighbours that are up, sorted.
up_nodes() {
	local o out=
	local -A up=()
	js "$1" neigh show 1
	for o in "${OBJS[@]}"; do
		[[ $o =~ \"node\":\"0*([0-9a-f]+)\".*\"state\":\"up\" ]] &&
			up[${BASH_REMATCH[1]}]=1
	done
	for o in 1 2 3; do
		[ -n "${up[$o]:-}" ] && out+="$o "
	done
	echo "$out"
}

all_up() {
	eq "$(up_nodes 1)" "2 3 "
	eq "$(up_nodes 2)" "1 3 "
	eq "$(up_nodes 3)" "1 2 "
}

# The namespaces and their devices, an ip run each: a program started
# costs a tenth of a second in the test guest, and seconds on the debug
# kernel. n1, n2, n3 and the fuzzer's x are ports of br0 in br; n2 has UDP
# subnets with n1, n3 and x.
topology() {
	local n
	{
		for n in br n1 n2 n3 x; do
			echo "netns add ${NS_PREFIX}$n"
		done
		for n in 1 2 3; do
			echo "link add e0 netns ${NS_PREFIX}n$n address 02:00:00:00:00:0$n type veth peer name p$n netns ${NS_PREFIX}br"
		done
		echo "link add vx netns ${NS_PREFIX}x address 02:00:00:00:00:99 type veth peer name px netns ${NS_PREFIX}br"
		echo "link add u12 netns ${NS_PREFIX}n1 type veth peer name u21 netns ${NS_PREFIX}n2"
		echo "link add u23 netns ${NS_PREFIX}n2 type veth peer name u32 netns ${NS_PREFIX}n3"
		echo "link add ux2 netns ${NS_PREFIX}x type veth peer name u2x netns ${NS_PREFIX}n2"
	} | ip -b - || fail "cannot create the namespaces"
	# A fresh source address a frame: the bridge must not learn a million.
	printf '%s\n' "link set lo up" "link add br0 type bridge" "link set br0 up" \
		"link set p1 master br0 up" "link set p2 master br0 up" \
		"link set p3 master br0 up" "link set px master br0 up" \
		"link set px type bridge_slave learning off" |
		ip -n "${NS_PREFIX}br" -b - || fail "cannot make the bridge"
	printf '%s\n' "link set lo up" "link set e0 up" \
		"addr add 10.1.2.1/24 dev u12" "link set u12 up" |
		ip -n "${NS_PREFIX}n1" -b - || fail "cannot set up n1"
	printf '%s\n' "link set lo up" "link set e0 up" \
		"addr add 10.1.2.2/24 dev u21" "link set u21 up" \
		"addr add 10.2.3.2/24 dev u23" "link set u23 up" \
		"addr add 10.9.2.2/24 dev u2x" "link set u2x up" |
		ip -n "${NS_PREFIX}n2" -b - || fail "cannot set up n2"
	printf '%s\n' "link set lo up" "link set e0 up" \
		"addr add 10.2.3.3/24 dev u32" "link set u32 up" |
		ip -n "${NS_PREFIX}n3" -b - || fail "cannot set up n3"
	printf '%s\n' "link set lo up" "link set vx up" \
		"addr add 10.9.2.1/24 dev ux2" "link set ux2 up" |
		ip -n "${NS_PREFIX}x" -b - || fail "cannot set up x"
	for n in 1 2 3; do
		ok at "n$n" "$PMESH" mesh add 1 node "$n" $SETTINGS
		ok at "n$n" "$PMESH" link add 1 dev e0
	done
	ok at n1 "$PMESH" peer add 1 10.1.2.2 7788
	ok at n2 "$PMESH" peer add 1 10.1.2.1 7788
	ok at n2 "$PMESH" peer add 1 10.2.3.3 7788
	ok at n3 "$PMESH" peer add 1 10.2.3.2 7788
	ok at n2 "$PMESH" peer add 1 10.9.2.1 7788
	eventually 30 all_up
}

# fuzz FRAMES [ARG...]: the fuzzer from x, ARGs before the namespaces.
fuzz() {
	local frames=$1 backlog rc
	shift
	# Frames queue between the fuzzer and the nodes: none may be lost.
	backlog=$(sysctl -n net.core.netdev_max_backlog)
	sysctl -qw net.core.netdev_max_backlog=100000
	ip netns exec "${NS_PREFIX}x" "$FUZZ" -n "$frames" -c "$CORPUS" \
		${PMESH_FUZZ_SEED:+-s "$PMESH_FUZZ_SEED"} "$@" \
		"${NS_PREFIX}n1" "${NS_PREFIX}n2" "${NS_PREFIX}n3" "${NS_PREFIX}x"
	rc=$?
	sysctl -qw net.core.netdev_max_backlog="$backlog"
	[ $rc -eq 0 ] || fail "the fuzzer stopped (status $rc)"
}

test_frames_as_predicted() {
	fuzz "$FRAMES"
}

# real_up N: the real nodes whose stations nN has up on the segment, by
# their addresses (the fuzzer's stations stay up too, for the dead
# interval, under any node id).
real_up() {
	local o m out=
	js "$1" neigh show 1
	for m in 1 2 3; do
		for o in "${OBJS[@]}"; do
			if [[ $o == *'"state":"up"'* &&
			      $o == *"\"lladdr\":\"02:00:00:00:00:0$m\""* ]]; then
				out+="$m "
				break
			fi
		done
	done
	echo "$out"
}

test_fuzzed_state_forgotten() {
	# Forged origins (real nodes' ids among them) time out, and no real
	# node lost another.
	forgotten() {
		local n
		for n in 1 2 3; do eq "$(stat $n origins)" 0; done
	}
	eventually 30 forgotten
	eq "$(real_up 1)" "2 3 "
	eq "$(real_up 2)" "1 3 "
	eq "$(real_up 3)" "1 2 "
}

test_real_traffic_flows() {
	local n i before=()
	for n in 1 2 3; do
		before[n]=$(stat $n delivered)
		"$PMESH" -n "${NS_PREFIX}n$n" recv 1 9 count 3 timeout 60 \
			> "$DIR/got.$n" 2>&1 &
		PIDS+=($!)
	done
	for n in 1 2 3; do
		for i in $(seq 100); do
			ls -l /proc/"${PIDS[n - 1]}"/fd 2>/dev/null | grep -q socket: && break
			sleep 0.05
		done
	done
	sleep 0.3
	for n in 1 2 3; do ok at "n$n" "$PMESH" send 1 9 "from $n"; done
	wait "${PIDS[@]}" || fail "a receiver did not get three datagrams: $(cat "$DIR"/got.*)"
	PIDS=()
	sleep 1
	for n in 1 2 3; do
		eq "$(sed 's/^origin 0*\([0-9a-f]*\) .*: \(.*\)$/\1 \2/' "$DIR/got.$n" | sort | tr '\n' ,)" \
			"1 from 1,2 from 2,3 from 3,"
		# Once each: no copy was delivered twice.
		eq "$(($(stat $n delivered) - before[n]))" 3
	done
}

# The three nodes take one key. Their links start afresh, so that no
# station is known but theirs: station K, which the fuzzer made known
# before, cannot make itself known again without the key.
test_keyed_frames_as_predicted() {
	local n fp
	ok "$PMESH" genkey
	echo "$OUT" > "$DIR/key"
	for n in 1 2 3; do
		ok at "n$n" "$PMESH" link del 1 dev e0
		ok at "n$n" "$PMESH" mesh set 1 origin-timeout 10 key "$DIR/key"
		ok at "n$n" "$PMESH" link add 1 dev e0
	done
	# The fuzzer's peer afresh too: its fuzzed hellos kept it up.
	ok at n2 "$PMESH" peer del 1 10.9.2.1 7788
	ok at n2 "$PMESH" peer add 1 10.9.2.1 7788
	eventually 30 all_up
	ok at n1 "$PMESH" -j mesh show 1
	[[ $OUT =~ \"key\":\"([0-9a-f]{16})\" ]] || fail "no key fingerprint in: $OUT"
	fp=${BASH_REMATCH[1]}
	fuzz "$((FRAMES / 2))" -k "$fp"
}

test_keyed_nothing_changed() {
	local n
	# The origins the nodes track are the other two nodes (keyed, their
	# control frames are tracked too), none of the fuzzer's.
	for n in 1 2 3; do eq "$(stat $n origins)" 2; done
	eq "$(real_up 1)" "2 3 "
	eq "$(real_up 2)" "1 3 "
	eq "$(real_up 3)" "1 2 "
	# Where the forgeries came from is counted, and they made nothing
	# up: the UDP peer at n2 (added afresh with the key) is down.
	ok at n2 "$PMESH" -j neigh show 1
	ok python3 -c '
import json, sys
x = [n for n in json.loads(sys.argv[1]) if n.get("address") == "10.9.2.1"]
assert len(x) == 1 and x[0]["auth_fail"] > 0 and x[0]["state"] == "down", x
' "$OUT"
}

echo "TAP version 13"
tests="frames_as_predicted fuzzed_state_forgotten real_traffic_flows"
tests+=" keyed_frames_as_predicted keyed_nothing_changed real_traffic_flows"
echo "1..$(wc -w <<<"$tests")"
trap ns_cleanup EXIT
if ! (topology); then
	echo "# the topology could not be built"
	i=0
	for t in $tests; do i=$((i + 1)); echo "not ok $i $t"; done
	exit 1
fi
i=0 failed=0
for t in $tests; do
	i=$((i + 1))
	echo "# $i $t"
	if (set +e; "test_$t"); then
		echo "ok $i $t"
	else
		echo "not ok $i $t"
		failed=$((failed + 1))
	fi
done
rm -rf "$DIR"
[ $failed -eq 0 ]
