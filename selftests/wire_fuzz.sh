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
	at "n$1" "$PMESH" -j neigh show 1 | grep -o '"node":"[0-9a-f]*"[^}]*"state":"up"' |
		sed 's/"node":"0*\([0-9a-f]*\)".*/\1/' | sort -u | tr '\n' ' '
}

all_up() {
	eq "$(up_nodes 1)" "2 3 "
	eq "$(up_nodes 2)" "1 3 "
	eq "$(up_nodes 3)" "1 2 "
}

veth_udp() {
	local a=$1 b=$2 aa=$3 ba=$4
	ip link add "u$a$b" netns "${NS_PREFIX}$a" type veth \
		peer name "u$b$a" netns "${NS_PREFIX}$b" || fail "veth $a-$b"
	ip -n "${NS_PREFIX}$a" addr add "$aa/24" dev "u$a$b"
	ip -n "${NS_PREFIX}$b" addr add "$ba/24" dev "u$b$a"
	ip -n "${NS_PREFIX}$a" link set "u$a$b" up
	ip -n "${NS_PREFIX}$b" link set "u$b$a" up
}

topology() {
	local n
	ns br
	ip -n "${NS_PREFIX}br" link add br0 type bridge || fail "cannot create a bridge"
	ip -n "${NS_PREFIX}br" link set br0 up
	for n in 1 2 3; do
		ns "n$n"
		ok at "n$n" "$PMESH" mesh add 1 node "$n" $SETTINGS
		ip link add e0 netns "${NS_PREFIX}n$n" address "02:00:00:00:00:0$n" \
			type veth peer name "p$n" netns "${NS_PREFIX}br" || fail "veth $n"
		ip -n "${NS_PREFIX}br" link set "p$n" master br0 up
		ip -n "${NS_PREFIX}n$n" link set e0 up
		ok at "n$n" "$PMESH" link add 1 dev e0
	done
	ns x
	ip link add vx netns "${NS_PREFIX}x" address 02:00:00:00:00:99 type veth \
		peer name px netns "${NS_PREFIX}br" || fail "veth x"
	ip -n "${NS_PREFIX}br" link set px master br0 up
	# A fresh source address a frame: the bridge must not learn a million.
	ip -n "${NS_PREFIX}br" link set px type bridge_slave learning off ||
		fail "cannot turn learning off"
	ip -n "${NS_PREFIX}x" link set vx up
	veth_udp n1 n2 10.1.2.1 10.1.2.2
	veth_udp n2 n3 10.2.3.2 10.2.3.3
	veth_udp x n2 10.9.2.1 10.9.2.2
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
	local objs m out=
	objs=$(at "n$1" "$PMESH" -j neigh show 1 | grep -o '{[^{}]*}' | grep '"state":"up"')
	for m in 1 2 3; do
		grep -q "\"lladdr\":\"02:00:00:00:00:0$m\"" <<<"$objs" && out+="$m "
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
