#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The pmesh tool over network namespaces, with the module loaded: what an
# administrator types and what comes back.
. "$(dirname "$0")/lib.sh"

test_help() {
	ok "$PMESH" help
	has "$OUT" "^Usage: pmesh"
	ok "$PMESH" mesh help
	has "$OUT" "pmesh mesh add ID"
	has "$OUT" "pmesh mesh show"
	# No object at all: usage, and a failure.
	nok "$PMESH"
	has "$OUT" "^Usage: pmesh"
}

test_unknown_words() {
	nok "$PMESH" bogus
	has "$ERR" '^Error: unknown command "bogus"'
	nok "$PMESH" mesh bogus
	has "$ERR" '^Error: unknown command "bogus"'
	nok "$PMESH" -x mesh show
	has "$ERR" '^Error: unknown option "-x"'
}

test_abbreviations() {
	ns a
	ok at a "$PMESH" me a 1
	ok at a "$PMESH" me sh
	has "$OUT" "^mesh 1 "
	# "m" is mesh or monitor, "s" set or show: refused, not guessed.
	nok at a "$PMESH" m sh
	has "$ERR" '"m" is ambiguous'
	nok at a "$PMESH" mesh s
	has "$ERR" 'ambiguous'
}

test_mesh_lifecycle() {
	ns a
	ok at a "$PMESH" mesh show
	eq "$OUT" ""
	ok at a "$PMESH" mesh add 1 node 0xabcdef port 9001 hoplimit 5 max-dgram 900
	ok at a "$PMESH" mesh show 1
	has "$OUT" "^mesh 1 node 0000000000abcdef port 9001 hoplimit 5 max-dgram 900$"
	has "$OUT" "^    max-origins 4096 origin-timeout 30 hello-interval 1000 dead-interval 3000$"
	has "$OUT" "^    sent 0 received 0 delivered 0 forwarded 0 duplicates 0 hop-expired 0$"
	has "$OUT" "^    malformed 0 sock-overflow 0 origins 0 origin-drops 0 unknown-peer 0$"
	ok at a "$PMESH" mesh set 1 hoplimit 7
	ok at a "$PMESH" mesh show
	has "$OUT" "^mesh 1 node 0000000000abcdef port 9001 hoplimit 7 max-dgram 900$"
	ok at a "$PMESH" mesh del 1
	ok at a "$PMESH" mesh show
	eq "$OUT" ""
}

test_defaults() {
	ns a
	ok at a "$PMESH" mesh add 3
	ok at a "$PMESH" mesh show 3
	has "$OUT" "^mesh 3 node [0-9a-f]{16} port 7788 hoplimit 16 max-dgram 1200$"
	hasnt "$OUT" "node 0000000000000000"
}

test_json() {
	ns a
	ok at a "$PMESH" -j mesh show
	eq "$OUT" "[]"
	ok at a "$PMESH" mesh add 1 node 1f port 9001
	ok at a "$PMESH" mesh add 2 port 9002
	ok at a "$PMESH" -j mesh show
	ok python3 -c '
import json, sys
m = json.loads(sys.argv[1])
assert [x["id"] for x in m] == [1, 2], m
a = m[0]
assert a["node"] == "000000000000001f" and a["port"] == 9001, a
assert a["hoplimit"] == 16 and a["max_dgram"] == 1200, a
assert a["max_origins"] == 4096 and a["origin_timeout"] == 30, a
assert a["hello_interval"] == 1000 and a["dead_interval"] == 3000, a
keys = {"sent", "received", "delivered", "forwarded", "duplicates",
        "hop_expired", "malformed", "sock_overflow", "origins",
        "origin_drops", "unknown_peer"}
assert set(a["stats"]) == keys, a["stats"]
' "$OUT"
	ok at a "$PMESH" -j -p mesh show 2
	local pretty=$OUT
	has "$pretty" '^  \{$'
	ok python3 -c 'import json, sys; assert json.loads(sys.argv[1])[0]["id"] == 2' "$pretty"
}

test_kernel_errors_name_the_attribute() {
	ns a
	nok at a "$PMESH" mesh add 1 hoplimit 0
	has "$ERR" '^Error: .*\(attribute "hoplimit"\)$'
	nok at a "$PMESH" mesh add 1 max-dgram 65001
	has "$ERR" '^Error: .*\(attribute "max-dgram"\)$'
	nok at a "$PMESH" mesh add 0
	has "$ERR" '^Error: .*\(attribute "id"\)$'
	ok at a "$PMESH" mesh show
	eq "$OUT" ""
	ok at a "$PMESH" mesh add 1
	nok at a "$PMESH" mesh add 1 port 9000
	eq "$ERR" "Error: mesh 1 already exists"
	nok at a "$PMESH" mesh add 2
	eq "$ERR" "Error: port 7788 is used by another mesh"
	nok at a "$PMESH" mesh del 9
	eq "$ERR" 'Error: mesh 9 does not exist (attribute "id")'
	nok at a "$PMESH" mesh show 9
	eq "$ERR" 'Error: mesh 9 does not exist (attribute "id")'
}

test_bad_arguments() {
	ns a
	nok at a "$PMESH" mesh add
	has "$ERR" "^Error: mesh id is missing"
	nok at a "$PMESH" mesh add abc
	eq "$ERR" 'Error: invalid mesh id "abc"'
	nok at a "$PMESH" mesh add 4294967296
	eq "$ERR" 'Error: invalid mesh id "4294967296"'
	nok at a "$PMESH" mesh add 1 hoplimit 256
	eq "$ERR" 'Error: invalid hoplimit "256"'
	nok at a "$PMESH" mesh add 1 port -1
	eq "$ERR" 'Error: invalid port "-1"'
	nok at a "$PMESH" mesh add 1 port
	eq "$ERR" "Error: port needs a value"
	nok at a "$PMESH" mesh add 1 node xyz
	eq "$ERR" 'Error: invalid node "xyz"'
	nok at a "$PMESH" mesh add 1 colour blue
	has "$ERR" '^Error: unknown argument "colour"'
	nok at a "$PMESH" mesh add 1 port 5 port 6
	eq "$ERR" "Error: port is given twice"
	nok at a "$PMESH" mesh set 1
	has "$ERR" "^Error: nothing to set"
	nok at a "$PMESH" mesh set 1 port 5
	has "$ERR" '^Error: unknown argument "port"'
	nok at a "$PMESH" mesh show 1 2
	has "$ERR" '^Error: unknown argument "2"'
	# None of it created anything.
	ok at a "$PMESH" mesh show
	eq "$OUT" ""
}

test_namespaces_are_independent() {
	ns a
	ns b
	ok at a "$PMESH" mesh add 1 node aa
	ok at b "$PMESH" mesh add 1 node bb
	ok at a "$PMESH" mesh show
	has "$OUT" "^mesh 1 node 00000000000000aa "
	ok at b "$PMESH" mesh del 1
	ok at a "$PMESH" mesh show
	has "$OUT" "^mesh 1 node 00000000000000aa "
	ok at b "$PMESH" mesh show
	eq "$OUT" ""
}

test_reads_need_no_privilege() {
	ns a
	ok at a "$PMESH" mesh add 1
	ok at a setpriv --reuid=65534 --regid=65534 --clear-groups "$PMESH" mesh show
	has "$OUT" "^mesh 1 "
	nok at a setpriv --reuid=65534 --regid=65534 --clear-groups "$PMESH" mesh add 2 port 9
	eq "$ERR" "Error: Operation not permitted"
	nok at a setpriv --reuid=65534 --regid=65534 --clear-groups "$PMESH" mesh del 1
	eq "$ERR" "Error: Operation not permitted"
	ok at a "$PMESH" mesh show 1
}

test_user_namespace_owner_may_configure() {
	ok setpriv --reuid=65534 --regid=65534 --clear-groups \
		unshare -Urn sh -c "'$PMESH' mesh add 1 && '$PMESH' mesh show"
	has "$OUT" "^mesh 1 "
}

test_send_and_recv() {
	ns a
	ok at a "$PMESH" mesh add 1 node 42
	ip netns exec "${NS_PREFIX}a" "$PMESH" recv 1 5 count 3 timeout 10 > "$TMPDIR/recv.$$" 2>&1 &
	local pid=$!
	for i in $(seq 50); do
		ls -l "/proc/$pid/fd" 2>/dev/null | grep -q socket: && break
		sleep 0.05
	done
	sleep 0.2
	ok at a "$PMESH" send 1 5 "one"
	printf 'two\nthr\x01ee\n' | at a "$PMESH" send 1 5 || fail "send from stdin"
	wait $pid || fail "recv failed: $(cat "$TMPDIR/recv.$$")"
	eq "$(cat "$TMPDIR/recv.$$")" "origin 0000000000000042 hops 0 seq 1: one
origin 0000000000000042 hops 0 seq 2: two
origin 0000000000000042 hops 0 seq 3: thr\x01ee"
	rm -f "$TMPDIR/recv.$$"
	# JSON, one object a line.
	ip netns exec "${NS_PREFIX}a" "$PMESH" -j recv 1 6 count 1 timeout 10 > "$TMPDIR/recv.$$" &
	pid=$!
	sleep 0.5
	ok at a "$PMESH" send 1 6 'q"uote'
	wait $pid
	ok python3 -c '
import json, sys
m = json.loads(open(sys.argv[1]).read())
assert m == {"origin": "0000000000000042", "hops": 0, "seq": 4, "channel": 6,
             "payload": "q\"uote"}, m' "$TMPDIR/recv.$$"
	rm -f "$TMPDIR/recv.$$"
}

test_send_and_recv_errors() {
	ns a
	ok at a "$PMESH" mesh add 1 max-dgram 10
	nok at a "$PMESH" send 9 5 x
	eq "$ERR" "Error: mesh 9 does not exist"
	nok at a "$PMESH" send 1 0 x
	eq "$ERR" "Error: channel 0 is not a channel (1..65535)"
	nok at a "$PMESH" send 1 5 "eleven byte"
	eq "$ERR" "Error: a datagram of 11 bytes is larger than mesh 1 allows (max-dgram)"
	nok at a "$PMESH" send 1
	has "$ERR" "^Error: mesh id and channel are needed"
	nok at a "$PMESH" recv 9 5 timeout 1
	eq "$ERR" "Error: mesh 9 does not exist"
	nok at a "$PMESH" recv 1 5 count 1 timeout 1
	eq "$ERR" "Error: timed out after 0 of 1 datagrams"
	nok at a "$PMESH" recv 1 5 often 3
	has "$ERR" '^Error: unknown argument "often"'
	# A timeout with no count is just the end.
	ok at a "$PMESH" recv 1 5 timeout 1
	eq "$OUT" ""
}

test_peers_and_neighbours() {
	ns a
	ok at a "$PMESH" mesh add 1
	ok at a "$PMESH" peer add 1 10.0.0.2 7788
	ok at a "$PMESH" peer add 1 fd00::2 7799
	nok at a "$PMESH" peer add 1 10.0.0.2 7788
	eq "$ERR" "Error: peer already exists"
	nok at a "$PMESH" peer add 1 10.0.0.300 7788
	eq "$ERR" 'Error: invalid address "10.0.0.300"'
	nok at a "$PMESH" peer add 1 10.0.0.2
	has "$ERR" "^Error: peer needs ID ADDR PORT"
	nok at a "$PMESH" peer add 1 224.0.0.1 7788
	eq "$ERR" 'Error: not a unicast IPv4 address (attribute "address")'
	nok at a "$PMESH" peer add 2 10.0.0.2 7788
	eq "$ERR" 'Error: mesh 2 does not exist (attribute "id")'
	nok at a "$PMESH" peer del 1 10.0.0.3 7788
	eq "$ERR" "Error: no such peer"
	ok at a "$PMESH" neigh show
	has "$OUT" "^mesh 1 udp 10.0.0.2:7788 node - down never heard$"
	has "$OUT" "^mesh 1 udp \[fd00::2\]:7799 node - down never heard$"
	has "$OUT" "^    rx 0 frames 0 bytes  tx [0-9]+ frames [0-9]+ bytes  duplicates 0$"
	ok at a "$PMESH" -j neigh show 1
	ok python3 -c '
import json, sys
n = json.loads(sys.argv[1])
assert [(x["address"], x["port"]) for x in n] == [("10.0.0.2", 7788), ("fd00::2", 7799)], n
assert n[0]["bearer"] == "udp" and n[0]["rx_frames"] == 0 and "node" not in n[0], n
assert n[0]["state"] == "down", n
' "$OUT"
	ok at a "$PMESH" peer del 1 10.0.0.2 7788
	ok at a "$PMESH" neigh show
	hasnt "$OUT" "10.0.0.2"
}

test_monitor_mesh_events() {
	ns a
	ip netns exec "${NS_PREFIX}a" "$PMESH" monitor > "$TMPDIR/mon.$$" 2>&1 &
	local pid=$!
	sleep 0.5
	ok at a "$PMESH" mesh add 3 node 3
	ok at a "$PMESH" mesh set 3 hoplimit 2
	nok at a "$PMESH" mesh add 3
	ok at a "$PMESH" mesh del 3
	sleep 0.5
	kill $pid
	wait $pid 2>/dev/null
	eq "$(sed 's/^[^ ]* //' "$TMPDIR/mon.$$")" "mesh-add mesh 3 node 0000000000000003
mesh-change mesh 3 node 0000000000000003
mesh-del mesh 3 node 0000000000000003"
	has "$(cat "$TMPDIR/mon.$$")" "^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:.]+Z mesh-add "
	rm -f "$TMPDIR/mon.$$"
	nok at a "$PMESH" monitor extra
	has "$ERR" '^Error: unknown argument "extra"'
}

run_tests
