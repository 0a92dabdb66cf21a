#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The example programs across network namespaces: ticker with one publisher
# and 50 subscribers on an Ethernet segment, each getting every quote once;
# chat between three nodes, with lines both ways, a late joiner given the
# history once and in order, and joins and leaves from the membership view;
# and what both programs do with bad input.
. "$(dirname "$0")/../../../selftests/lib.sh"

[ -n "${PMESH_GUEST:-}" ] && modprobe -q -a bridge

TICKER=$top/tools/apps/ticker
CHAT=$top/tools/apps/chat
SUBS=${APPS_SUBS:-50}
DIR=$(mktemp -d)
PIDS=()
declare -A OUTS	# pid -> the name of its output files

# Programs still running when a test ends (a failed one) are killed, so
# that their sockets do not keep meshes and the module alive.
stop_programs() {
	[ ${#PIDS[@]} -gt 0 ] && kill "${PIDS[@]}" 2>/dev/null
	PIDS=()
}

# spawn NAME OUT CMD...: CMD in namespace NAME, in the background, its
# input from the file $IN (/dev/null if unset), stdout in $DIR/OUT and
# stderr in $DIR/OUT.err; its pid in PID and PIDS.
spawn() {
	local n=$1 out=$2
	shift 2
	trap stop_programs EXIT
	# Not through "at": $! must be the program itself. Without the
	# descriptors the test writes chats' input with, so that closing them
	# ends that input.
	ip netns exec "$NS_PREFIX$n" "$@" < "${IN:-/dev/null}" > "$DIR/$out" \
		2> "$DIR/$out.err" 3>&- 4>&- 5>&- &
	PID=$!
	PIDS+=("$PID")
	OUTS[$PID]=$out
}

# spawn_chat NAME NICK: chat as NICK on mesh 1 channel 7 in namespace NAME,
# reading its input from the pipe $DIR/NICK.in, which the test opens next
# (opening either end of a pipe waits for the other).
spawn_chat() {
	mkfifo "$DIR/$2.in"
	IN=$DIR/$2.in spawn "$1" "$2" "$CHAT" 1 7 "$2"
}

# printed FILE PATTERN [COUNT]: $DIR/FILE has COUNT (1) lines matching.
printed() {
	eq "$(grep -Ec -- "$2" "$DIR/$1")" "${3:-1}"
}

# all_printed PATTERN FILE...: every FILE has a line matching PATTERN.
all_printed() {
	local pattern=$1
	shift
	eq "$(grep -l -- "$pattern" "$@" | wc -l)" $#
}

# gone PID: the program has ended.
gone() {
	! kill -0 "$1" 2>/dev/null
}

# finished PID [SECS]: the program ends within SECS (60) seconds, with
# status 0.
finished() {
	local end=$((SECONDS + ${2:-60})) rc
	while kill -0 "$1" 2>/dev/null; do
		if [ $SECONDS -ge $end ]; then
			kill "$1"
			fail "${OUTS[$1]} still running after ${2:-60} s"
		fi
		sleep 0.2
	done
	wait "$1"
	rc=$?
	[ "$rc" -eq 0 ] ||
		fail "${OUTS[$1]} exited $rc: $(tail -n 3 "$DIR/${OUTS[$1]}.err" "$DIR/${OUTS[$1]}")"
}

# knows NAME NODE: namespace NAME has node NODE (hex) in mesh 1's table.
knows() {
	at "$1" "$PMESH" node show 1 | grep -Eq "node 0*$2 up"
}

# udp A B: a veth pair between namespaces A and B, 10.0.I.1 and .2 (I
# counting up), with UDP peers both ways.
NET=0
udp() {
	NET=$((NET + 1))
	veth_peers "$1" "to-$2" "10.0.$NET.1/24" "$2" "to-$1" "10.0.$NET.2/24"
}

# One publisher and $SUBS subscribers, every node on one bridge (the
# cheapest way to many nodes: no addresses, no peers, one veth each). Each
# quote crosses the segment once; every subscriber must get all of them,
# no gap, no duplicate.
#
# Starting a process takes a good part of a second in the test guest, so
# the work is shaped to start few: namespaces and veth pairs are made by
# two "ip -b" batches, each subscriber is one shell in its namespace that
# sets its node up and then becomes the subscriber, all at once, and each
# wait looks at every subscriber's output with one grep. Nothing polls in
# the namespaces: the subscribers wait for the publisher's node to join.
test_ticker_fifty_subscribers() {
	local quotes=200 n i batch=$DIR/batch pids=() subs=()
	local want="^summary: received $quotes of $quotes, lost 0, gaps 0, duplicates 0, reordered 0, foreign 0, hops 1\.\.1, latency"

	ns br
	for n in pub $(seq -f 's%g' "$SUBS"); do
		echo "netns add $NS_PREFIX$n"
	done > "$batch"
	ip -b "$batch" || fail "cannot create $SUBS namespaces"
	ip -n "${NS_PREFIX}br" link add br0 type bridge || fail "no bridge"
	ip -n "${NS_PREFIX}br" link set br0 up
	# (A veth cannot be set up as it is created: its peer is not there yet.)
	for n in pub $(seq -f 's%g' "$SUBS"); do
		echo "link add p$n master br0 type veth peer name e0 netns $NS_PREFIX$n"
		echo "link set p$n up"
	done > "$batch"
	ip -n "${NS_PREFIX}br" -b "$batch" || fail "cannot create the veth pairs"

	ok at pub ip link set e0 up
	# A long dead interval: a guest stalled for seconds must not forget
	# the publisher's station (and drop its quotes) while it catches up.
	ok at pub "$PMESH" mesh add 1 node aa dead-interval 30000
	ok at pub "$PMESH" link add 1 dev e0
	# A subscriber takes the publisher's frames once it has heard its
	# beacon: "wait aa" subscribes once the publisher's node is in the
	# mesh, which its announcement, sent like its quotes, says.
	for i in $(seq "$SUBS"); do
		# shellcheck disable=SC2016
		spawn "s$i" "s$i" sh -c '
			ip link set e0 up &&
			"$1" mesh add 1 node "$2" dead-interval 30000 &&
			"$1" link add 1 dev e0 &&
			exec "$3" sub 1 100 count "$4" timeout 300 wait aa quiet' \
			- "$PMESH" "$(printf %x "$i")" "$TICKER" $quotes
		pids+=("$PID")
		subs+=("$DIR/s$i")
	done
	eventually 300 all_printed "^subscribed to mesh 1 channel 100 on node" "${subs[@]}"

	ok at pub "$TICKER" pub 1 100 rate 50 count $quotes size 200 quiet
	has "$OUT" "^published $quotes quotes on mesh 1 channel 100"
	for i in "${!pids[@]}"; do
		finished "${pids[$i]}" 300
	done
	all_printed "$want" "${subs[@]}"
	eq "$(cat "$DIR"/s*.err)" ""
	# The segment carried each quote once: the publisher sent it once, no
	# subscriber forwarded it (it has one link, the one it came in on).
	ok at pub "$PMESH" mesh show 1
	has "$OUT" "sent $quotes "
	ok at s1 "$PMESH" mesh show 1
	has "$OUT" "received $quotes delivered $quotes forwarded 0 duplicates 0"
	# Fifty namespaces go faster in one batch than one by one.
	for n in pub $(seq -f 's%g' "$SUBS"); do
		echo "netns del $NS_PREFIX$n"
	done > "$batch"
	ip -b "$batch"
}

# The ticker's output, quote by quote, and its summary, over two hops.
test_ticker_output() {
	local i

	for i in a b c; do ns $i; done
	ok at a "$PMESH" mesh add 1 node 1
	ok at b "$PMESH" mesh add 1 node 2
	ok at c "$PMESH" mesh add 1 node 3
	udp a b
	udp b c
	# It waits until the publisher's node, two hops away, is in the mesh.
	spawn c sub "$TICKER" sub 1 5 count 5 timeout 120 wait 1
	eventually 60 printed sub "^subscribed to mesh 1 channel 5 on node 0000000000000003$"
	ok at a "$TICKER" pub 1 5 rate 20 count 5
	has "$OUT" "^publishing on mesh 1 channel 5 \(publisher [0-9a-f]{16}\), 20 a second$"
	has "$OUT" "^sent 5 HOOLI [0-9]+\.[0-9]{4}$"
	finished "$PID"
	for i in 1 2 3 4 5; do
		printed sub "^quote $i [A-Z]+ [0-9]+\.[0-9]{4} from 0000000000000001 hops 2 seq $i latency [0-9.]+ ms$"
	done
	printed sub "^summary: received 5 of 5, lost 0, gaps 0, duplicates 0, reordered 0, foreign 0, hops 2\.\.2, latency ms min [0-9.]+ avg [0-9.]+ max [0-9.]+$"
	# A datagram the publisher's node sends elsewhere is a gap in its
	# sequence (it is the node's, shared by channels), not a lost quote.
	spawn c sub2 "$TICKER" sub 1 5 count 2 timeout 120 quiet
	eventually 60 printed sub2 "^subscribed"
	ok at a "$TICKER" pub 1 5 count 1
	ok at a "$PMESH" send 1 6 "elsewhere"
	ok at a "$TICKER" pub 1 5 count 1
	finished "$PID"
	printed sub2 "^gap: 1 datagram missing from 0000000000000001 \(seq 8 after 6\)$"
	printed sub2 "^summary: received 2 of 2, lost 0, gaps 1, duplicates 0"
}

# Alice and Bob chat; Carol's node joins the mesh, then Carol starts and
# gets the three earlier lines once (both others answer) and in order; she
# leaves, and her node goes: Alice and Bob see it come and go.
test_chat_three_nodes() {
	local alice bob carol i

	for i in a b; do ns $i; done
	ok at a "$PMESH" mesh add 1 node 1
	ok at b "$PMESH" mesh add 1 node 2
	udp a b
	eventually 60 knows a 2
	eventually 60 knows b 1

	spawn_chat a alice
	alice=$PID
	exec 3> "$DIR/alice.in"
	spawn_chat b bob
	bob=$PID
	exec 4> "$DIR/bob.in"
	eventually 60 printed alice "^\* alice on mesh 1 channel 7, node 0000000000000001$"
	# Each asked the other for history, before anything was said.
	eventually 60 printed alice "^\* no history$"
	eventually 60 printed bob "^\* no history$"

	echo "hi bob" >&3
	eventually 60 printed bob "^alice: hi bob$"
	echo "hi alice" >&4
	eventually 60 printed alice "^bob: hi alice$"
	echo "how is the mesh?" >&3
	eventually 60 printed bob "^alice: how is the mesh\?$"

	ns c
	ok at c "$PMESH" mesh add 1 node 3
	udp b c
	eventually 60 printed alice "^\* node 0000000000000003 joined$"
	eventually 60 printed bob "^\* node 0000000000000003 joined$"

	spawn_chat c carol
	carol=$PID
	exec 5> "$DIR/carol.in"
	eventually 60 printed carol "^\* end of history$"
	eq "$(sed -n '/^\* history:/,/^\* end of history/p' "$DIR/carol")" \
"* history: 3 lines
[history] alice: hi bob
[history] bob: hi alice
[history] alice: how is the mesh?
* end of history"
	echo "hello all" >&5
	eventually 60 printed alice "^carol: hello all$"
	eventually 60 printed bob "^carol: hello all$"
	echo "/who" >&4
	eventually 60 printed bob "^\* 3 nodes in mesh 1: node 0000000000000001 \(alice\), node 0000000000000002 \(you\), node 0000000000000003 \(carol\)$"
	echo "/quit" >&5
	finished "$carol"
	printed carol "^\* carol left$"
	ok at c "$PMESH" mesh del 1
	eventually 60 printed alice "^\* node 0000000000000003 \(carol\) left: goodbye$"
	eventually 60 printed bob "^\* node 0000000000000003 \(carol\) left: goodbye$"

	# The end of the input leaves.
	exec 3>&- 4>&- 5>&-
	finished "$alice"
	finished "$bob"
	# Each line once, nothing said shown to its speaker, nothing foreign.
	printed alice "^(alice|bob|carol): " 2
	printed bob "^(alice|bob|carol): " 3
	printed carol "^(alice|bob|carol): " 0
	eq "$(cat "$DIR/alice.err" "$DIR/bob.err" "$DIR/carol.err")" ""
}

# A script's input ends at once; with linger the chat stays to hear answers.
test_chat_from_a_pipe() {
	ns a
	ok at a "$PMESH" mesh add 1 node 1
	spawn_chat a ann
	exec 3> "$DIR/ann.in"
	eventually 60 printed ann "^\* 1 node in mesh 1: node 0000000000000001 \(you\)$"
	printf 'one\ntwo\n' > "$DIR/bea.in"
	ok at a "$CHAT" 1 7 bea linger 2 < "$DIR/bea.in"
	has "$OUT" "^\* bea on mesh 1 channel 7, node 0000000000000001$"
	has "$OUT" "^\* bea left$"
	hasnt "$OUT" "bea: "
	eventually 60 printed ann "^bea: two$"
	printed ann "^bea: one$"
	exec 3>&-
	finished "$PID"
}

# two_nodes: namespaces a and b, mesh 1 as nodes 1 and 2, UDP peers.
two_nodes() {
	ns a
	ns b
	ok at a "$PMESH" mesh add 1 node 1
	ok at b "$PMESH" mesh add 1 node 2
	udp a b
}

# restart_a: node 1 (in a) deletes its mesh and makes it again, peered
# with b: a new epoch, its datagrams numbered from 1 again.
restart_a() {
	ok at a "$PMESH" mesh del 1
	ok at a "$PMESH" mesh add 1 node 1
	ok at a "$PMESH" peer add 1 "10.0.$NET.2" 7788
}

# A node that restarts its mesh numbers its datagrams from 1 again: its
# new lines are not taken for ones already shown.
test_chat_node_restarts() {
	two_nodes
	eventually 60 knows b 1
	spawn_chat b dan
	exec 3> "$DIR/dan.in"
	eventually 60 printed dan "^\* (no history|end of history)"
	echo before > "$DIR/eve.in"
	ok at a "$CHAT" 1 7 eve linger 2 < "$DIR/eve.in"
	eventually 60 printed dan "^eve: before$"
	restart_a
	eventually 60 printed dan "^\* node 0000000000000001 \(eve\) left: goodbye$"
	eventually 60 printed dan "^\* node 0000000000000001( \(eve\))? joined$"
	echo after > "$DIR/eve.in"
	ok at a "$CHAT" 1 7 eve linger 2 < "$DIR/eve.in"
	eventually 60 printed dan "^eve: after$"
	exec 3>&-
	finished "$PID"
}

# The publisher's node restarts its mesh, which numbers its datagrams
# from 1 again: the new publisher's quotes are new, not duplicates.
test_ticker_publisher_node_restarts() {
	two_nodes
	spawn b sub "$TICKER" sub 1 5 count 6 timeout 120 wait 1
	eventually 60 printed sub "^subscribed"
	ok at a "$TICKER" pub 1 5 count 3
	eventually 60 printed sub "^quote 3 .* seq 3 "
	restart_a
	eventually 60 knows b 1
	ok at a "$TICKER" pub 1 5 count 3
	finished "$PID"
	printed sub "^quote [123] .* seq [123] " 6
	printed sub "^summary: received 6 of 6, lost 0, gaps 0, duplicates 0, reordered 0, foreign 0,"
}

# A node that floods quotes of 1100 made-up publishers, each with a number
# near the top of a sequence: a subscriber's memory stays small (it keeps a
# fixed window for at most 256 publishers), and the real publisher's
# quotes still all count.
test_ticker_forged_publishers() {
	local i hwm

	ns a
	ok at a "$PMESH" mesh add 1 node 1
	spawn a sub "$TICKER" sub 1 5 count 2210 timeout 300
	eventually 60 printed sub "^subscribed"
	for i in $(seq 1 1100); do
		printf 'TICK %016x 1 FAKE 1.0000 1\n' "$i"
		printf 'TICK %016x 16777215 FAKE 1.0000 1\n' "$i"
	done > "$DIR/forged"
	send_in_bursts a 1 5 "$DIR/forged"
	eventually 60 printed sub "^quote 16777215 FAKE .* seq 2200 " 1
	hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$PID/status")
	[ "$hwm" -lt 65536 ] || fail "the subscriber grew to $hwm kB"
	ok at a "$TICKER" pub 1 5 count 10 quiet
	finished "$PID"
	eq "$(grep -E '^quote ' "$DIR/sub" | grep -vc ' FAKE ')" 10
	printed sub "^summary: received 2210 of 2210, lost [0-9]+, gaps 0, duplicates 0, reordered 0, foreign 0,"
	eq "$(cat "$DIR/sub.err")" ""
	ok at a "$PMESH" mesh show 1
	has "$OUT" " sock-overflow 0 "
}

test_bad_input() {
	local i

	ns a
	ok at a "$PMESH" mesh add 1 node 1

	# No such mesh, no such channel, not a number: status 1, and why.
	for i in "sub 9 5" "pub 9 5 count 1"; do
		# shellcheck disable=SC2086
		nok at a "$TICKER" $i
		eq "$ERR" "ticker: mesh 9 does not exist"
	done
	nok at a "$CHAT" 9 7 zed
	eq "$ERR" "chat: mesh 9 does not exist"
	for i in 0 65536 99999999999999999999; do
		nok at a "$TICKER" sub 1 $i
		eq "$ERR" "ticker: channel $i is not a channel (1..65535)"
		nok at a "$TICKER" pub 1 $i
		eq "$ERR" "ticker: channel $i is not a channel (1..65535)"
		nok at a "$CHAT" 1 $i zed
		eq "$ERR" "chat: channel $i is not a channel (1..65535)"
	done
	nok at a "$CHAT" 1 seven zed
	eq "$ERR" "chat: channel \"seven\" is not a number (1..65535)"
	nok at a "$TICKER" sub 0 5
	eq "$ERR" "ticker: mesh id 0 is not a mesh id (1..4294967295)"
	nok at a "$CHAT" 1 7 "two words"
	has "$ERR" "^chat: nick \"two words\" is not 1 to 32 of"
	nok at a "$CHAT" 1 7
	has "$ERR" "^chat: a mesh id, a channel and a nick are needed"
	nok at a "$TICKER" sub 1 5 speed 3
	eq "$ERR" "ticker: unknown argument \"speed\"; try \"ticker help\""
	nok at a "$TICKER" pub 1 5 rate
	eq "$ERR" "ticker: rate needs a value"
	nok at a "$TICKER" sub 1 5 wait 0
	eq "$ERR" "ticker: node id 0 is not a node"
	nok at a "$TICKER" sub 1 5 wait 12345678901234567
	eq "$ERR" "ticker: node id \"12345678901234567\" is not 1 to 16 hex digits"
	nok at a "$TICKER" sub 1 5 wait 99 timeout 1
	eq "$ERR" "ticker: timed out waiting for node 0000000000000099"
	nok at a "$TICKER" peek 1 5
	has "$ERR" "^ticker: unknown command \"peek\""
	nok "$TICKER"
	has "$ERR" "^Usage: ticker pub"
	ok "$TICKER" help
	ok "$CHAT" help

	# Datagrams on their channel that are not theirs: a warning each, at
	# most ten, and the program goes on.
	spawn a sub "$TICKER" sub 1 5 count 3 timeout 120 quiet
	eventually 60 printed sub "^subscribed"
	ok at a "$PMESH" send 1 5 "$(printf 'garbage\001\377')"
	ok at a "$PMESH" send 1 5 "TICK 00000000000000aa 1 ACME 1.0"
	seq -f 'junk %g' 12 > "$DIR/junk"
	ok at a "$PMESH" send 1 5 < "$DIR/junk"
	ok at a "$TICKER" pub 1 5 count 3 size 64
	finished "$PID"
	printed sub "^summary: received 3 of 3, lost 0, gaps 0, duplicates 0, reordered 0, foreign 14, hops 0\.\.0"
	printed sub.err "^ticker: warning: ignored 9 bytes from node 0000000000000001 \(hops 0, seq 1\) on channel 5: not a quote$"
	printed sub.err "^ticker: warning: ignored .* not a quote" 10
	printed sub.err "not a quote; further ones are not shown$"

	spawn_chat a zed
	exec 3> "$DIR/zed.in"
	eventually 60 printed zed "^\* 1 node in mesh 1"
	ok at a "$PMESH" send 1 7 "$(printf '\001\002\003')"
	ok at a "$PMESH" send 1 7 "say 1 bad nick: x"
	ok at a "$PMESH" send 1 7 "history? zz"
	ok at a "$PMESH" send 1 7 "say 1 eve: still here"
	eventually 60 printed zed "^eve: still here$"
	printed zed.err "^chat: warning: ignored .*: not a chat message$" 3
	exec 3>&-
	finished "$PID"

	# A program whose mesh is deleted says so and fails.
	spawn a sub3 "$TICKER" sub 1 5 timeout 120
	eventually 60 printed sub3 "^subscribed"
	ok at a "$PMESH" mesh del 1
	eventually 60 gone "$PID"
	wait "$PID"
	eq $? 1
	printed sub3.err "^ticker: mesh 1 was deleted$"
	printed sub3 "^summary: received 0, lost 0"
}

run_tests
