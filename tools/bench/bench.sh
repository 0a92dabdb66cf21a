#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmarks, run in the test guest by "make bench", side by side in one
# guest run so that the machine's noise hits both sides alike:
#
# 1. rate: datagrams/s delivered at the far end of a 5-namespace veth chain:
#    pmesh flooding hop by hop, against plain UDP forwarded by the kernel's
#    IP routing along the same chain (the ceiling for a hop-by-hop relay),
#    and the same chain keyed (every frame sealed, checked at each relay,
#    opened at the end), for 64- and 1200-byte payloads; then the mean
#    time per call of the module's send, receive, seal and open functions
#    on that chain, key-less and keyed (the function_graph tracer).
# 2. dups: duplicates on a ring of 6 and a full mesh of 5, against the
#    flooding bound: a datagram crosses each link at most twice, so a mesh of
#    N nodes and E links receives at most 2E - (N - 1) duplicates per datagram.
# 3. neigh: how long after a neighbour's last frame it is reported
#    neigh-down, two nodes over UDP on a veth whose far end is set down (no
#    goodbye), against the hello interval H and dead interval D: expected in
#    [D, D + H] from the last frame (a round every H looks), so in
#    [D - H, D + H] from the cut.
# 4. leave: how long after a node leaves the far end of a 5-node line sees
#    node-leave: (a) a clean leave (mesh deleted: goodbye), expected within
#    milliseconds; (b) a vanishing node (its veth set down), expected the
#    timeout it announced (3 x its announcement interval) after its last
#    announcement, plus up to one hello round.
# 5. ctl: control frames and bytes (hellos, announcements, their relays)
#    sent and received per node per second on rings of 5, 20 and 50 nodes,
#    default intervals (hop limit 32, as a ring of 50 is 25 hops across),
#    once every table holds every node; by design constant as N grows once
#    the mesh-wide announcement rate is capped (10/s, from 20 nodes on).
# 6. rekey: a change of key on a line of three nodes, key-switch
#    REKEY_SWITCH s: n0 and n1 are given the new key, n2 keeps the old one
#    and goes on sealing with it; from n1's switch to its first refusal of
#    the old key (auth-fail), against the documented bound 2 x key-switch
#    + 5 s (Documentation/protocol.md, "Keyed meshes").
# 7. collide (not by default): CPU time per data frame at a node whose
#    origins table holds 4096 origins whose ids all share one bucket of the
#    unkeyed hash the module once had (hash_64(id, 10)), against 4096 random
#    ids: a forger with no mesh (pmbench forge, a plain UDP socket at a
#    configured peer's address and port) sends one round that inserts the
#    origins, then rounds of new sequence numbers, each frame a lookup; busy
#    jiffies of all CPUs (/proc/stat) over frames received (the mesh's
#    counter), alternated. With the keyed table expected about 1. Takes
#    45 s.
# 8. teardown (not by default): from the exit of the last process in a
#    namespace with 1, 64 and 1024 meshes (each on its own UDP port) to its
#    meshes freed: the active objects of the pmesh_mesh slab cache (never
#    merged) back to the count before, polled every 2 ms by pmbench
#    teardown, which kills that process. The namespace is already unmounted
#    ("ip netns del"), so the time starts with no program to start. Takes
#    30 s, and 200 s with a module from before the batched pernet exit.
#    Neither is in the default list: their point is the comparison with an
#    older build of the module (BENCH_KO below), one guest run each.
# 9. overlay: a mesh that builds itself (Documentation/design/
#    self-building-mesh.md): BENCH_OVERLAY_NODES (40) namespaces on one
#    bridged subnet, keyed, UDP only, each told node 1's address. The time
#    from the meshes' creation until every degree is within [min-neigh,
#    max-neigh] and every table lists every node; the degrees then and a
#    minute later; control frames and bytes a node sends and receives a
#    second over BENCH_CTL_SECS, and what node 1 receives (its unknown-peer
#    drops: the nodes told of it that it did not admit); then a third of the nodes cut at once
#    (bridge ports down, no goodbye): the time until every survivor has
#    found its dead neighbours down and is back within the bounds, and
#    until every table lists the survivors alone.
# 10. segment: control frames a node receives a second on one bridged
#    Ethernet segment of BENCH_SEGMENT_SIZES stations ("20 50 200"),
#    keyed, once every node knows every other, against the beacon a
#    station each hello interval and the announcements of the others that
#    unstretched beacons would give (Documentation/protocol.md, "Large
#    segments").
# 11. tree (not by default yet): broadcast along a tree against flooding (Documentation/
#    protocol.md, "Broadcast along a tree"), key-less, on a full mesh of 5
#    and a random graph of 20 (a ring and 20 chords, degree 4; tree_test's),
#    the two modes alternated BENCH_TREE_ROUNDS (3) times on the same
#    namespaces (mesh-set broadcast), medians: payload copies received a
#    delivery ((received) / (received - duplicates), all nodes) and control
#    bytes sent a delivery, over 200 quotes at 100 a second from n0 after
#    30 that form the trees; datagrams/s of 64 bytes delivered at the node
#    farthest from n0 while n0 blasts (SECS); the latency to that node,
#    median and 99th percentile, of 300 quotes at 100 a second (ticker sub:
#    one clock in the guest).
#
# The namespaces are built, and the meshes configured and read, in batches
# (ip -b, and pmctl, which sends many pmesh netlink requests from one
# process): each program started in the test guest costs up to a second.
# Times come from the programs that saw the events: tcpdump -tt for frames,
# pmesh monitor -j for events, pmctl for the requests it made.
#
# BENCH_PARTS picks the parts ("rate dups neigh leave ctl rekey overlay
# segment", the default; "collide", "teardown" and "tree" on request:
# tree is new and not yet run in the guest);
# BENCH_SECS the rate windows (3 s), BENCH_TRIALS the neigh-down trials per
# setting (5), BENCH_NEIGH the H/D settings in ms ("200/1000 1000/3000"),
# BENCH_LEAVE_TRIALS the trials of each leave (3), BENCH_CTL_SIZES the rings
# ("5 20 50"), BENCH_CTL_SECS the traffic window (20 s),
# BENCH_REKEY_SWITCH the key-switch of rekey (5 s),
# BENCH_COLLIDE_ORIGINS the origins (4096, also the mesh's max-origins),
# BENCH_COLLIDE_TRIALS the alternations (5), BENCH_COLLIDE_SECS each window
# (3 s), BENCH_TEARDOWN_MESHES the mesh counts ("1 64 1024"),
# BENCH_TEARDOWN_TRIALS the trials of each (3), BENCH_OVERLAY_NODES the
# nodes of overlay (40), BENCH_SEGMENT_SIZES the segments ("20 50 200"),
# BENCH_TREE_ROUNDS the alternations of tree (3). BENCH_KO is the module to
# load (kmod/pmesh.ko of this tree), to measure another build with the same
# script. The guest runs the script with an empty environment: set them in
# a wrapper script.
cd "$(dirname "$0")/../.." || exit 1
. selftests/lib.sh
B=$top/tools/bench/pmbench
PMCTL=$top/tools/bench/pmctl
STAT="python3 -S -E $top/tools/bench/benchstat.py"
SECS=${BENCH_SECS:-3}
PARTS=${BENCH_PARTS:-rate dups neigh leave ctl rekey overlay segment}
TREE_ROUNDS=${BENCH_TREE_ROUNDS:-3}
TICKER=$top/tools/apps/ticker
OVERLAY_NODES=${BENCH_OVERLAY_NODES:-40}
SEGMENT_SIZES=${BENCH_SEGMENT_SIZES:-20 50 200}
TRIALS=${BENCH_TRIALS:-5}
NEIGH=${BENCH_NEIGH:-200/1000 1000/3000}
LEAVE_TRIALS=${BENCH_LEAVE_TRIALS:-3}
CTL_SIZES=${BENCH_CTL_SIZES:-5 20 50}
CTL_SECS=${BENCH_CTL_SECS:-20}
REKEY_SWITCH=${BENCH_REKEY_SWITCH:-5}
KO=${BENCH_KO:-kmod/pmesh.ko}
COLLIDE_ORIGINS=${BENCH_COLLIDE_ORIGINS:-4096}
COLLIDE_TRIALS=${BENCH_COLLIDE_TRIALS:-5}
COLLIDE_SECS=${BENCH_COLLIDE_SECS:-3}
TEARDOWN_MESHES=${BENCH_TEARDOWN_MESHES:-1 64 1024}
TEARDOWN_TRIALS=${BENCH_TEARDOWN_TRIALS:-3}
WORK=${TMPDIR:-/tmp}/bench.$$
BG=()

# Stop what we started in the background, by pid.
bg_kill() {
	local p
	for p in "${BG[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${BG[@]}"; do wait "$p" 2>/dev/null; done
	BG=()
}


cleanup() {
	bg_kill
	ns_cleanup
	rm -rf "$WORK" "$ERR_FILE"
}
trap cleanup EXIT

want() {
	case " $PARTS " in *" $1 "*) return 0 ;; esac
	return 1
}

# nsx NAME CMD...: run CMD in namespace NAME; cheaper than "ip netns exec",
# which also remounts /sys.
nsx() {
	local n=$1
	shift
	nsenter --net="/run/netns/$NS_PREFIX$n" "$@"
}

# wait_count FILE REGEX N SECS: wait until N lines of FILE match REGEX.
wait_count() {
	local end=$((SECONDS + $4)) c
	while :; do
		c=$(grep -Ec -- "$2" "$1" 2>/dev/null)
		[ "${c:-0}" -ge "$3" ] && return 0
		if [ $SECONDS -ge $end ]; then
			echo "# timed out after $4 s waiting for $3 lines /$2/ in ${1##*/}"
			return 1
		fi
		sleep 0.05
	done
}

# sleep_ms MS
sleep_ms() {
	sleep "$(($1 / 1000)).$(printf %03d $(($1 % 1000)))"
}

# The cut: a node vanishes without a goodbye when its end of the veth is set
# down. pmctl, kept running as a coprocess, does it and stamps the request,
# so the moment is known to the microsecond, not to the second a program
# takes to start in the guest. cut and heal leave in CUT_T0 and CUT_T1 when
# the request was sent and when it was done (setting a device down waits
# for RCU: long in the guest). Not in a subshell: it has not the coprocess.
cut_start() {
	coproc "$PMCTL"
	BG+=("$COPROC_PID")
}

# cut NAME DEV, heal NAME DEV
cut() {
	local ns
	echo "$NS_PREFIX$1 down $2" >&"${COPROC[1]}"
	read -r -t 60 ns CUT_T0 CUT_T1 <&"${COPROC[0]}"
}

heal() {
	local ns
	echo "$NS_PREFIX$1 up $2" >&"${COPROC[1]}"
	read -r -t 60 ns CUT_T0 CUT_T1 <&"${COPROC[0]}"
}

# capture NAME DEV FILTER FILE: tcpdump in NAME, stamps in epoch seconds,
# from when it listens.
capture() {
	nsx "$1" tcpdump -i "$2" -n -tt -l "$3" >"$4" 2>"$4.err" &
	BG+=($!)
	wait_count "$4.err" "listening on" 1 60
}

# monitor NAME FILE: pmesh monitor -j in NAME, once it listens: mesh 1 is
# changed (to what it is) until the monitor tells.
monitor() {
	local i
	nsx "$1" "$PMESH" -j monitor >"$2" &
	BG+=($!)
	for i in $(seq 30); do
		nsx "$1" "$PMESH" mesh set 1 hoplimit "$3"
		wait_count "$2" '"mesh-change"' 1 2 >/dev/null && return 0
	done
	echo "# pmesh monitor in $1 did not start"
	return 1
}

part_start() {
	PART_T0=$SECONDS
	echo
	echo "# $*"
}

part_end() {
	echo "# (took $((SECONDS - PART_T0)) s)"
}

modprobe -q -a udp_tunnel ip6_udp_tunnel libchacha20poly1305
insmod "$KO" || exit 1
sum=$(md5sum <"$KO")
echo "# module: $KO (md5 ${sum:0:12})"
sysctl -qw net.core.rmem_max=8388608
mkdir -p "$WORK"

# topo N "A-B ..." [MESH SETTINGS]: namespaces n0..nN-1, each in mesh 1 as
# node i + 1; for each link A-B a veth vA-B/vB-A, addresses 10.A.B.1 and
# 10.A.B.2, and UDP peers both ways (port 7788). In few processes: the ip
# commands in batches, the pmesh requests by pmctl. Returns once every
# node has all its neighbours up.
topo() {
	local n=$1 links=$2 l a b i t=$SECONDS t1 t2 t3
	local p=$NS_PREFIX

	{
		for ((i = 0; i < n; i++)); do echo "netns add ${p}n$i"; done
		for l in $links; do
			a=${l%-*} b=${l#*-}
			echo "link add v$a-$b netns ${p}n$a type veth" \
				"peer name v$b-$a netns ${p}n$b"
		done
	} | ip -b - || return
	t1=$SECONDS
	{
		for ((i = 0; i < n; i++)); do echo "${p}n$i up lo"; done
		for l in $links; do
			a=${l%-*} b=${l#*-}
			echo "${p}n$a addr v$a-$b 10.$a.$b.1/30"
			echo "${p}n$a up v$a-$b"
			echo "${p}n$b addr v$b-$a 10.$a.$b.2/30"
			echo "${p}n$b up v$b-$a"
		done
	} | "$PMCTL" >/dev/null || return
	t2=$SECONDS
	{
		for ((i = 0; i < n; i++)); do
			echo "${p}n$i mesh-add 1 $(printf %x $((i + 1))) $3"
		done
		for l in $links; do
			a=${l%-*} b=${l#*-}
			echo "${p}n$a peer-add 1 10.$a.$b.2 7788"
			echo "${p}n$b peer-add 1 10.$a.$b.1 7788"
		done
	} | "$PMCTL" || return
	t3=$SECONDS
	ALL_NODES=$(for ((i = 0; i < n; i++)); do echo "${p}n$i"; done)
	poll "$(sed 's/$/ neighs 1/' <<<"$ALL_NODES")" \
		'$4 > 0 && $4 == $6 { c++ } END { print c + 0 }' "$n" 60 ||
		echo "# not every neighbour came up"
	echo "#   set up in $((SECONDS - t)) s (namespaces, veths $((t1 - t)) s;" \
		"addresses $((t2 - t1)) s; meshes, peers $((t3 - t2)) s;" \
		"neighbours up $((SECONDS - t3)) s)"
}

# An awk function: get("name") is the value after "name" on a pmctl line.
GET='function get(k, i) { for (i = 3; i < NF; i += 2) if ($i == k) return $(i + 1); return -1 }'

# poll REQUESTS AWK WANT SECS: run pmctl's REQUESTS until AWK, reading their
# answers, prints WANT.
poll() {
	local end=$((SECONDS + $4)) c
	while :; do
		c=$("$PMCTL" <<<"$1" | awk "$2")
		[ "$c" = "$3" ] && return 0
		[ $SECONDS -ge $end ] && return 1
		sleep 0.2
	done
}

# rate KIND SIZE: datagrams/s at n4 while n0 blasts for longer than we count.
rate() {
	local out=$WORK/rate r
	if [ "$1" = udp ]; then
		nsx n4 "$B" recv udp 9000 "$SECS" > "$out" &
		sleep 0.5
		nsx n0 "$B" send udp 10.3.4.2 9000 "$2" $((SECS + 2)) >/dev/null
	else
		nsx n4 "$B" recv pmesh 1 5 "$SECS" > "$out" &
		sleep 0.5
		nsx n0 "$B" send pmesh 1 5 "$2" $((SECS + 2)) >/dev/null
	fi
	wait $!
	r=$(awk '{print $2}' "$out")
	rm -f "$out"
	echo "${r:-0}"
}

# The functions whose time per call "costs" measures: what every data frame
# goes through at a sender and a receiver, and the sealing of a keyed mesh.
COST_FUNCS="pmesh_send pmesh_receive pmesh_seal pmesh_seal_hop pmesh_seal_hop_ok pmesh_seal_verify pmesh_seal_open"
TRACEFS=/sys/kernel/tracing

# costs LABEL SIZE: while n0 blasts SIZE-byte datagrams along the chain for
# 2 s, trace COST_FUNCS with function_graph, and print for each the calls
# and the mean microseconds a call (what the tracer adds to each call of a
# traced function is in the time of its traced caller too).
costs() {
	local t=$TRACEFS out=$WORK/trace
	[ -e "$t/current_tracer" ] || mount -t tracefs nodev "$t" 2>/dev/null
	if [ ! -w "$t/current_tracer" ]; then
		echo "# no tracefs: no costs"
		return 1
	fi
	echo nop >"$t/current_tracer"
	echo "$COST_FUNCS" >"$t/set_ftrace_filter" || return
	echo 1 >"$t/options/funcgraph-tail"
	echo 8192 >"$t/buffer_size_kb"
	: >"$t/trace"
	echo function_graph >"$t/current_tracer"
	nsx n4 "$B" recv pmesh 1 5 1 >/dev/null &
	sleep 0.5
	nsx n0 "$B" send pmesh 1 5 "$2" 2 >/dev/null
	wait $!
	# Stopped, then read: a change of tracer empties the buffer.
	echo 0 >"$t/tracing_on"
	cat "$t/trace" >"$out"
	echo nop >"$t/current_tracer"
	echo 1 >"$t/tracing_on"
	: >"$t/set_ftrace_filter"
	awk -v label="$1" -v size="$2" '
		match($0, /[0-9]+\.[0-9]+ us/) {
			d = substr($0, RSTART, RLENGTH - 3) + 0
			if (!match($0, /pmesh_[a-z_]+/))
				next
			f = substr($0, RSTART, RLENGTH)
			n[f]++
			s[f] += d
		}
		END {
			for (f in n)
				printf "%-8s %-7s %-20s %9d %10.2f\n", label, size "B", f, n[f], s[f] / n[f]
		}' "$out" | sort -k3,3 -k2,2n
	rm -f "$out"
}

if want rate; then
	part_start "5-node chain, ${SECS}s windows: datagrams/s delivered at the far end"
	topo 5 "0-1 1-2 2-3 3-4" >/dev/null
	for i in 1 2 3; do nsx "n$i" sysctl -qw net.ipv4.ip_forward=1; done
	ip -n "${NS_PREFIX}n0" route add 10.3.4.0/30 via 10.0.1.2
	ip -n "${NS_PREFIX}n1" route add 10.3.4.0/30 via 10.1.2.2
	ip -n "${NS_PREFIX}n2" route add 10.3.4.0/30 via 10.2.3.2

	declare -A U P K
	for size in 64 1200; do
		U[$size]=$(rate udp $size)
		P[$size]=$(rate pmesh $size)
	done
	for size in 64 1200; do costs key-less $size; done >"$WORK/costs"
	# The same chain keyed (Documentation/protocol.md, "Keyed meshes"):
	# every frame sealed at n0, checked and re-tagged at n1..n3, opened
	# at n4.
	"$PMESH" genkey > "$WORK/key"
	for i in 0 1 2 3 4; do nsx "n$i" "$PMESH" mesh set 1 key "$WORK/key"; done
	poll "$(sed 's/$/ neighs 1/' <<<"$ALL_NODES")" \
		'$4 > 0 && $4 == $6 { c++ } END { print c + 0 }' 5 60 ||
		echo "# not every neighbour came up keyed"
	for size in 64 1200; do
		K[$size]=$(rate pmesh $size)
	done
	for size in 64 1200; do costs keyed $size; done >>"$WORK/costs"
	printf "%-8s %14s %14s %8s %14s %12s\n" payload "udp-forward/s" \
		"pmesh/s" ratio "keyed/s" "keyed/pmesh"
	for size in 64 1200; do
		printf "%-8s %14s %14s %8s %14s %12s\n" "${size}B" "${U[$size]}" \
			"${P[$size]}" \
			"$(awk -v p="${P[$size]}" -v u="${U[$size]}" 'BEGIN { printf "%.2f", u ? p / u : 0 }')" \
			"${K[$size]}" \
			"$(awk -v k="${K[$size]}" -v p="${P[$size]}" 'BEGIN { printf "%.2f", p ? k / p : 0 }')"
	done
	echo "# time per call on the chain, n0 blasting for 2 s (function_graph tracer)"
	printf "%-8s %-7s %-20s %9s %10s\n" mesh payload function calls "us/call"
	cat "$WORK/costs"
	ns_cleanup
	part_end
fi

# dups TOPOLOGY N E: send 200 datagrams from n0, report duplicates.
dups() {
	local i d total=0 per="" stats
	seq 200 | nsx n0 "$PMESH" send 1 5
	sleep 2
	stats=$("$PMCTL" <<<"$(sed 's/$/ stats 1/' <<<"$ALL_NODES")")
	for i in $(seq 0 $(($2 - 1))); do
		d=$(awk -v ns="${NS_PREFIX}n$i" "$GET"'$1 == ns { print get("duplicates") }' <<<"$stats")
		per="$per $d"
		total=$((total + d))
	done
	printf "%-10s %5s %5s %12s %12s   per node:%s\n" "$1" "$2" "$3" \
		"$(awk -v t=$total 'BEGIN { printf "%.2f", t / 200 }')" \
		$((2 * $3 - ($2 - 1))) "$per"
}

if want dups; then
	part_start "duplicates per datagram (200 datagrams from node 0) against the bound 2E-(N-1)"
	printf "%-10s %5s %5s %12s %12s\n" topology N E "dups/dgram" bound
	topo 6 "0-1 1-2 2-3 3-4 4-5 5-0" >/dev/null
	dups ring 6 6
	ns_cleanup
	topo 5 "$(for i in 0 1 2 3 4; do
		for j in $(seq $((i + 1)) 4); do echo "$i-$j"; done; done)" >/dev/null
	dups full-mesh 5 10
	ns_cleanup
	part_end
fi

# neigh_down H D: n0 watches n1, which is cut off TRIALS times, at a random
# point of its hello cycle, and healed after each neigh-down.
neigh_down() {
	local h=$1 d=$2 dir=$WORK/neigh-$1-$2 i

	: >"$dir/trials"
	topo 2 "0-1" "hello-interval $h dead-interval $d" || return
	cut_start
	capture n0 v0-1 "udp and src host 10.0.1.2" "$dir/cap" || return
	monitor n0 "$dir/mon" 16 || return
	for i in $(seq "$TRIALS"); do
		sleep_ms $((300 + RANDOM % h))
		cut n1 v1-0
		echo "$i $CUT_T0 $CUT_T1" >>"$dir/trials"
		wait_count "$dir/mon" '"neigh-down"' "$i" $((d / 1000 + 30)) || break
		heal n1 v1-0
		wait_count "$dir/mon" '"neigh-up"' "$i" 30 || break
	done
}

if want neigh; then
	for hd in $NEIGH; do mkdir -p "$WORK/neigh-${hd%/*}-${hd#*/}"; done
	part_start "neigh-down latency: far end's veth set down; stamps: tcpdump (last frame), pmesh monitor -j (event)"
	args=()
	for hd in $NEIGH; do
		neigh_down "${hd%/*}" "${hd#*/}" >>"$WORK/neigh-${hd%/*}-${hd#*/}/notes"
		bg_kill
		ns_cleanup
		args+=(neigh "$WORK/neigh-${hd%/*}-${hd#*/}" "${hd%/*}" "${hd#*/}")
	done
	$STAT "${args[@]}"
	part_end
fi

# node-leave of n4 seen at n0, 4 hops away on a line: LEAVE_TRIALS clean
# leaves (mesh deleted and added again), then as many cuts (and heals).
leave() {
	local dir=$WORK/leave i ns t0 t1 n5=0000000000000005 k=$LEAVE_TRIALS

	: >"$dir/clean"
	: >"$dir/cut"
	: >"$dir/nodes"
	echo "# 5-node line n0-n4, UDP peers, defaults: hello 1000 ms, dead 3000 ms," \
		"announce-interval 2000 ms"
	topo 5 "0-1 1-2 2-3 3-4" || return
	cut_start
	capture n4 v4-3 "udp and src host 10.3.4.2" "$dir/cap" || return
	monitor n0 "$dir/mon" 16 || return
	poll "${NS_PREFIX}n0 stats 1" "$GET"'{ print get("nodes") }' 4 60 ||
		echo "# n0 does not count 4 other nodes"

	for i in $(seq "$k"); do
		sleep 1
		echo "${NS_PREFIX}n4 mesh-del 1" >&"${COPROC[1]}"
		read -r -t 60 ns t0 t1 <&"${COPROC[0]}"
		echo "$i $t0 $t1" >>"$dir/clean"
		wait_count "$dir/mon" "node-leave.*$n5" "$i" 30 || return
		echo "${NS_PREFIX}n4 mesh-add 1 5
${NS_PREFIX}n4 peer-add 1 10.3.4.1 7788" | "$PMCTL"
		wait_count "$dir/mon" "node-join.*$n5" "$i" 30 || return
	done
	for i in $(seq "$k"); do
		sleep_ms $((1000 + RANDOM % 2000))
		cut n4 v4-3
		echo "$i $CUT_T0 $CUT_T1" >>"$dir/cut"
		"$PMCTL" <<<"${NS_PREFIX}n0 node 1 5" >>"$dir/nodes"
		wait_count "$dir/mon" "node-leave.*$n5" $((k + i)) 60 || return
		heal n4 v4-3
		wait_count "$dir/mon" "node-join.*$n5" $((k + i)) 30 || return
	done
}

if want leave; then
	part_start "node-leave latency at n0 for n4 of the line n0-n1-n2-n3-n4; stamps: tcpdump at n4, pmesh monitor -j at n0"
	mkdir -p "$WORK/leave"
	leave >"$WORK/leave/notes"
	bg_kill
	ns_cleanup
	$STAT leave "$WORK/leave" 1000
	part_end
fi

# ring N: N namespaces in a ring of veths, UDP peers, default intervals, hop
# limit 32 (with the default 16 the far side of a ring of 50 goes unheard:
# announcements travel the hop limit); once every node counts N - 1 others,
# the control counters of every node are read twice, CTL_SECS apart.
ring() {
	local n=$1 dir=$WORK/ctl-$1 i t all

	topo "$n" "$(for ((i = 0; i < n; i++)); do echo "$i-$(((i + 1) % n))"; done)" \
		"hoplimit 32" || return
	t=$SECONDS
	all=$(sed 's/$/ stats 1/' <<<"$ALL_NODES")
	if poll "$all" "$GET"'get("nodes") == '$((n - 1))' { c++ } END { print c + 0 }' "$n" 120; then
		echo "#   every node counts $((n - 1)) others $((SECONDS - t)) s later"
	else
		echo "#   NOT SETTLED: after $((SECONDS - t)) s, nodes counted:" \
			"$("$PMCTL" <<<"$all" | awk "$GET"'{ printf " %s", get("nodes") }')"
	fi
	"$PMCTL" <<<"$all" >"$dir/s1"
	sleep "$CTL_SECS"
	"$PMCTL" <<<"$all" >"$dir/s2"
	"$PMCTL" <<<"${all// stats / nodes }" >"$dir/nodes"
	# The pmesh tool's view of one node, to check pmctl's against.
	nsx n0 "$PMESH" -j mesh show 1 >"$dir/n0.mesh"
	nsx n0 "$PMESH" -j node show 1 >"$dir/n0.nodes"
}

if want ctl; then
	part_start "control traffic per node per second, rings (degree 2), UDP peers, defaults" \
		"(hello 1000 ms, announce-interval 2000 ms), hop limit 32, ${CTL_SECS}s window"
	rm -f "$WORK/ctl.results"
	args=()
	for n in $CTL_SIZES; do
		mkdir -p "$WORK/ctl-$n"
		ring "$n" >"$WORK/ctl-$n/notes"
		ns_cleanup
		args+=(ctl "$WORK/ctl-$n" "$n" 1000)
	done
	$STAT "${args[@]}" ctl-table "$WORK/ctl.results"
	part_end
fi

# rekey: the line n0-n1-n2 keyed with A, key-switch REKEY_SWITCH; n0 then
# n1 are given B, n2 keeps A. n1's auth-fail (n2's frames are the only
# ones sealed with A by then) is polled from a pmctl coprocess.
rekey() {
	local s=$REKEY_SWITCH t0 t1 t line af base=-1 i
	topo 3 "0-1 1-2" "hello-interval 100 dead-interval 1000" >/dev/null || return
	"$PMESH" genkey >"$WORK/key-a"
	"$PMESH" genkey >"$WORK/key-b"
	for i in 0 1 2; do
		nsx "n$i" "$PMESH" mesh set 1 key "$WORK/key-a" key-switch "$s" || return
	done
	poll "$(sed 's/$/ neighs 1/' <<<"$ALL_NODES")" \
		'$4 > 0 && $4 == $6 { c++ } END { print c + 0 }' 3 60 ||
		echo "# not every neighbour came up keyed"
	nsx n0 "$PMESH" mesh set 1 key "$WORK/key-b" || return
	sleep 1
	coproc POLL { "$PMCTL"; }
	BG+=("$POLL_PID")
	t0=$EPOCHREALTIME
	nsx n1 "$PMESH" mesh set 1 key "$WORK/key-b" || return
	t1=$EPOCHREALTIME
	for ((i = 0; i < (2 * s + 30) * 20; i++)); do
		echo "${NS_PREFIX}n1 stats 1" >&"${POLL[1]}"
		read -r -t 60 line <&"${POLL[0]}" || break
		read -r _ t _ <<<"$line"
		af=$(awk "$GET"'{ print get("auth_fail") }' <<<"$line")
		[ "$base" = -1 ] && base=$af
		if [ "$af" != "$base" ]; then
			awk -v a="$t0" -v b="$t1" -v t="$t" -v s="$s" 'BEGIN {
				printf "%-12s %16s %16s %12s\n", "key-switch", "from-given-s", "from-set-end-s", "bound-s"
				printf "%-12s %16.2f %16.2f %12d\n", s, t - a, t - b, 2 * s + 5 }'
			nsx n1 "$PMESH" mesh show 1 | sed 's/^/#   n1: /'
			"$PMCTL" <<<"${NS_PREFIX}n0 neighs 1" | sed 's/^/#   n0 neighbours: /'
			return 0
		fi
		sleep 0.05
	done
	echo "# n1 never refused the old key"
	return 1
}

if want rekey; then
	part_start "change of key on the line n0-n1-n2: from n1's switch to its refusal of the old key," \
		"which n2 still seals with (from before and after the request to give n1 the new key)"
	rekey
	bg_kill
	ns_cleanup
	part_end
fi

# bridged N...: a bridge br0 in namespace br and, for each N, a namespace
# nN whose e0 (MAC 02:00:00:00:HI:LO of N) is a port of it, up, with
# 10.77.HI.LO/16. Batched: ip for the namespaces and the bridge, pmctl for
# the devices in the namespaces.
bridged() {
	local n p=$NS_PREFIX
	{
		echo "netns add ${p}br"
		for n in "$@"; do echo "netns add ${p}n$n"; done
		for n in "$@"; do
			printf 'link add e0 netns %sn%d address 02:00:00:00:%02x:%02x type veth peer name p%d netns %sbr\n' \
				"$p" "$n" $((n >> 8)) $((n & 255)) "$n" "$p"
		done
	} | ip -b - || return
	{
		echo "link add br0 type bridge"
		echo "link set br0 up"
		for n in "$@"; do echo "link set p$n master br0 up"; done
	} | ip -n "${p}br" -b - || return
	for n in "$@"; do
		echo "${p}n$n up lo"
		echo "${p}n$n addr e0 10.77.$((n >> 8)).$((n & 255))/16"
		echo "${p}n$n up e0"
	done | "$PMCTL" >/dev/null
}

# degrees NODES...: "DEGREE:COUNT ..." of mesh 1's neighbours up.
degrees() {
	local n
	for n in "$@"; do echo "${NS_PREFIX}n$n neighs 1"; done | "$PMCTL" |
		awk "$GET"'{ d[get("up")]++ } END { for (k in d) printf "%s:%d ", k, d[k] }' |
		tr ' ' '\n' | sort -n | xargs
}

# overlay_state NODES...: whether every node's degree is within the bounds
# and its table lists exactly the nodes given.
overlay_state() {
	local n want=$#
	{
		for n in "$@"; do echo "${NS_PREFIX}n$n neighs 1"; done | "$PMCTL"
		for n in "$@"; do echo "${NS_PREFIX}n$n nodes 1"; done | "$PMCTL"
	} | awk -v min="$OV_MIN" -v max="$OV_MAX" -v want="$want" "$GET"'
		$3 == "total" && NF == 6 { if (get("up") < min || get("up") > max) bad++; next }
		$3 == "total" { if (get("total") != want) bad++ }
		END { exit bad > 0 }'
}

# ctl_window NODES...: control frames and bytes a node sends and receives a
# second over BENCH_CTL_SECS, the mean over NODES and the largest.
ctl_window() {
	local n all
	all=$(for n in "$@"; do echo "${NS_PREFIX}n$n stats 1"; done)
	"$PMCTL" <<<"$all" >"$WORK/ctl.a"
	sleep "$CTL_SECS"
	"$PMCTL" <<<"$all" >"$WORK/ctl.b"
	awk "$GET"'
		NR == FNR { t0[$1] = $2; f0[$1] = get("ctl_tx_frames"); b0[$1] = get("ctl_tx_bytes")
			    r0[$1] = get("ctl_rx_frames"); rb0[$1] = get("ctl_rx_bytes"); next }
		{ dt = $2 - t0[$1]; n++
		  v = (get("ctl_tx_frames") - f0[$1]) / dt; tf += v; if (v > mtf) mtf = v
		  v = (get("ctl_tx_bytes") - b0[$1]) / dt; tb += v; if (v > mtb) mtb = v
		  v = (get("ctl_rx_frames") - r0[$1]) / dt; rf += v; if (v > mrf) mrf = v
		  v = (get("ctl_rx_bytes") - rb0[$1]) / dt; rb += v; if (v > mrb) mrb = v }
		END { printf "%-10s %12s %12s %12s %12s\n", "per node/s", "tx-frames", "tx-bytes", "rx-frames", "rx-bytes"
		      printf "%-10s %12.1f %12.0f %12.1f %12.0f\n", "mean", tf / n, tb / n, rf / n, rb / n
		      printf "%-10s %12.1f %12.0f %12.1f %12.0f\n", "largest", mtf, mtb, mrf, mrb }' \
		"$WORK/ctl.a" "$WORK/ctl.b"
}

# healed_degrees: whether every survivor ($WORK/ov.q) has no node of
# OV_DEAD (" ID ID ... ", ids as the tool prints them) up as a neighbour,
# and a degree within the bounds: its dead neighbours found and replaced.
healed_degrees() {
	"$PMESH" -j -b "$WORK/ov.q" 2>/dev/null |
		awk -v min="$OV_MIN" -v max="$OV_MAX" -v dead="$OV_DEAD" '
		{ n = split($0, o, "}"); up = 0
		  for (j = 1; j <= n; j++) {
			if (o[j] !~ /"state":"up"/)
				continue
			up++
			if (match(o[j], /"node":"[0-9a-f]+"/) &&
			    index(dead, " " substr(o[j], RSTART + 8, RLENGTH - 9) " "))
				bad++
		  }
		  if (up < min || up > max) bad++ }
		END { exit bad > 0 || NR == 0 }'
}

# overlay: see 9. above.
overlay() {
	local n=$OVERLAY_NODES all i t0 t dead survivors
	OV_MIN=$(awk '$2 == "PMESH_DEFAULT_MIN_NEIGH" {print $3}' uapi/linux/pmesh_netlink.h)
	OV_MAX=$(awk '$2 == "PMESH_DEFAULT_MAX_NEIGH" {print $3}' uapi/linux/pmesh_netlink.h)
	all=$(seq "$n" | xargs)
	# shellcheck disable=SC2086
	bridged $all || return
	"$PMESH" genkey >"$WORK/ov.key" || return
	for i in $all; do
		echo "-n ${NS_PREFIX}n$i mesh add 1 node $(printf %x "$i") key $WORK/ov.key"
		[ "$i" != 1 ] && echo "-n ${NS_PREFIX}n$i peer add 1 10.77.0.1 7788"
	done >"$WORK/ov.setup"
	t0=$EPOCHREALTIME
	"$PMESH" -b "$WORK/ov.setup" || return
	t=$EPOCHREALTIME
	echo "#   $n meshes created and told node 1 in $(awk -v a="$t0" -v b="$t" 'BEGIN { printf "%.1f", b - a }') s"
	# shellcheck disable=SC2086
	until overlay_state $all; do
		if awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { exit b - a < 300 ? 1 : 0 }'; then
			# shellcheck disable=SC2086
			echo "#   NOT SETTLED after 300 s: degrees $(degrees $all)"
			return 1
		fi
		sleep 0.2
	done
	t=$EPOCHREALTIME
	printf '%-22s %10s  %s\n' "" "seconds" "degrees (degree:nodes)"
	# shellcheck disable=SC2086
	printf '%-22s %10.1f  %s\n' "converged" "$(awk -v a="$t0" -v b="$t" 'BEGIN { print b - a }')" "$(degrees $all)"
	sleep 60
	# shellcheck disable=SC2086
	printf '%-22s %10s  %s\n' "a minute later" "" "$(degrees $all)"
	# shellcheck disable=SC2086
	ctl_window $all | sed 's/^/  /'
	# Node 1, the seed every node was told of, over the same window: the
	# frames of nodes it did not admit come as unknown-peer, not control.
	awk -v seed="${NS_PREFIX}n1" "$GET"'
		$1 != seed { next }
		NR == FNR { t0 = $2; r0 = get("ctl_rx_frames"); u0 = get("unknown_peer"); next }
		{ dt = $2 - t0
		  printf "  node 1 (the seed) rx/s: control %.1f, unknown-peer %.1f\n",
			 (get("ctl_rx_frames") - r0) / dt, (get("unknown_peer") - u0) / dt }' \
		"$WORK/ctl.a" "$WORK/ctl.b"

	dead=$(seq 2 "$n" | shuf -n $((n / 3)) | xargs)
	survivors=$(for i in $all; do [[ " $dead " == *" $i "* ]] || echo "$i"; done | xargs)
	for i in $dead; do echo "link set p$i down"; done >"$WORK/ov.cut"
	for i in $survivors; do echo "-n ${NS_PREFIX}n$i neigh show 1"; done >"$WORK/ov.q"
	OV_DEAD=" $(for i in $dead; do printf '%016x ' "$i"; done)"
	t0=$EPOCHREALTIME
	ip -n "${NS_PREFIX}br" -b "$WORK/ov.cut" || return
	local bounds= tables=
	while :; do
		t=$EPOCHREALTIME
		if [ -z "$bounds" ] && healed_degrees; then
			bounds=$(awk -v a="$t0" -v b="$t" 'BEGIN { printf "%.1f", b - a }')
		fi
		# shellcheck disable=SC2086
		if [ -n "$bounds" ] && overlay_state $survivors; then
			tables=$(awk -v a="$t0" -v b="$t" 'BEGIN { printf "%.1f", b - a }')
			break
		fi
		if awk -v a="$t0" -v b="$t" 'BEGIN { exit b - a < 180 ? 1 : 0 }'; then
			# shellcheck disable=SC2086
			echo "#   NOT HEALED after 180 s: degrees $(degrees $survivors)"
			return 1
		fi
		sleep 0.2
	done
	printf '%-22s %10s  %s\n' "$(echo $dead | wc -w) of $n cut" "" ""
	printf '%-22s %10s  %s\n' "  healed" "$bounds" ""
	# shellcheck disable=SC2086
	printf '%-22s %10s  %s\n' "  tables exact" "$tables" "$(degrees $survivors)"
}

if want overlay; then
	part_start "a mesh that builds itself: $OVERLAY_NODES nodes on one subnet, keyed, UDP only, each" \
		"told node 1; defaults (hello 1000 ms, dead 3000 ms, min-neigh and max-neigh)"
	overlay
	ns_cleanup
	part_end
fi

# segment N: N keyed stations on one bridge; control frames each receives
# a second once all know each other.
segment() {
	local n=$1 all i t0
	all=$(seq "$n" | xargs)
	# shellcheck disable=SC2086
	bridged $all || return
	"$PMESH" genkey >"$WORK/seg.key" || return
	for i in $all; do
		echo "-n ${NS_PREFIX}n$i mesh add 1 node $(printf %x "$i") key $WORK/seg.key"
		echo "-n ${NS_PREFIX}n$i link add 1 dev e0"
	done >"$WORK/seg.setup"
	t0=$SECONDS
	"$PMESH" -b "$WORK/seg.setup" || return
	poll "$(for i in $all; do echo "${NS_PREFIX}n$i neighs 1"; done)" \
		'$6 == '$((n - 1))' { c++ } END { print c + 0 }' "$n" 300 ||
		echo "#   NOT every node knows every other after $((SECONDS - t0)) s"
	echo "# $n stations: every node knows every other $((SECONDS - t0)) s after the first link"
	# Settled into stretched beacons: a stretched interval or two.
	sleep $((n / 16 + 5))
	# shellcheck disable=SC2086
	ctl_window $all >"$WORK/seg.$n"
	# One beacon a station each hello interval, and the others announcing
	# every (N + 1) x 114 ms (protocol.md, "Announcements").
	awk -v n="$n" '$1 == "mean" { mean = $4 } $1 == "largest" { most = $4 }
		END { a = 1000 * (n - 1) / ((n + 1) * 114)
		      printf "%-10s %12.1f %12.1f %26.1f %16.1f\n", n, mean, most, n - 1 + a, a }' \
		"$WORK/seg.$n"
}

if want segment; then
	part_start "one Ethernet segment, keyed, defaults: control frames a node receives a second (mean)," \
		"against one beacon a station each hello interval, and the announcements alone"
	printf '%-10s %12s %12s %26s %16s\n' "stations" "rx-frames/s" "largest" "unstretched beacons+ann." "announcements"
	for n in $SEGMENT_SIZES; do
		segment "$n"
		ns_cleanup
	done
	part_end
fi

# median N...: the median of the numbers (the mean of the middle two of an
# even count).
median() {
	printf "%s\n" "$@" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR) printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# received NETNS MESH: the mesh's "received" counter.
received() {
	"$PMCTL" <<<"$NS_PREFIX$1 stats $2" | awk "$GET"'{ print get("received") }'
}

# forge KIND MESH PORT SEQ ROUNDS SECS: the forger in x sends KIND frames to
# n0's mesh MESH; leaves "FRAMES BUSY TOTAL NEXT RECEIVED" in FORGED.
forge() {
	local r0 r1 out
	r0=$(received n0 "$2")
	out=$(nsx x "$B" forge 10.9.9.2 10.9.9.1 "$3" "$2" "$1" "$COLLIDE_ORIGINS" \
		"$4" "$5" "$6") || return
	r1=$(received n0 "$2")
	FORGED="$out $((r1 - r0))"
}

# us_per BUSY FRAMES: microseconds of CPU per frame.
us_per() {
	awk -v b="$1" -v n="$2" 'BEGIN { printf "%.1f", n ? b * 1e6 / n : 0 }'
}

# Two meshes at n0, one for each set of ids, so that both tables stay
# filled; the forger x (no mesh, 10.9.9.2) is a UDP peer of both.
collide() {
	local n=$COLLIDE_ORIGINS kind mesh port i f b c r
	local -A seq cost rest
	local ratios=() cs=() rs=()

	ip netns add "${NS_PREFIX}x" && ip netns add "${NS_PREFIX}n0" || return
	ip link add vx netns "${NS_PREFIX}x" type veth peer name v0x netns "${NS_PREFIX}n0"
	ip -n "${NS_PREFIX}x" addr add 10.9.9.2/24 dev vx
	ip -n "${NS_PREFIX}n0" addr add 10.9.9.1/24 dev v0x
	ip -n "${NS_PREFIX}x" link set vx up
	ip -n "${NS_PREFIX}n0" link set v0x up
	nsx n0 "$PMESH" mesh add 1 node 1 max-origins "$n" origin-timeout 3600 &&
	nsx n0 "$PMESH" mesh add 2 node 1 port 7789 max-origins "$n" origin-timeout 3600 &&
	nsx n0 "$PMESH" peer add 1 10.9.9.2 7788 &&
	nsx n0 "$PMESH" peer add 2 10.9.9.2 7788 || return

	echo "# insertion round: $n new origins each"
	printf "%-8s %8s %10s %12s\n" ids frames "cpu-s" "us/frame"
	for kind in collide random; do
		mesh=1 port=7788
		[ $kind = random ] && mesh=2 port=7789
		forge $kind $mesh $port 1 1 600 || return
		read -r f b _ seq[$kind] r <<<"$FORGED"
		printf "%-8s %8s %10s %12s\n" $kind "$r" "$b" "$(us_per "$b" "$r")"
		c=$("$PMCTL" <<<"${NS_PREFIX}n0 stats $mesh" | awk "$GET"'{ print get("origins") }')
		[ "$c" = "$n" ] || echo "# $kind: $c origins tracked, not $n"
	done

	echo "# lookups: ${COLLIDE_SECS}s windows of new sequence numbers from the same origins, alternated"
	printf "%-6s %9s %9s %11s %11s %7s\n" trial collide random "collide-us" "random-us" ratio
	for ((i = 1; i <= COLLIDE_TRIALS; i++)); do
		for kind in collide random; do
			mesh=1 port=7788
			[ $kind = random ] && mesh=2 port=7789
			forge $kind $mesh $port "${seq[$kind]}" 1000000000 "$COLLIDE_SECS" || return
			read -r f b _ seq[$kind] r <<<"$FORGED"
			[ "$f" = "$r" ] || echo "# $kind: $f frames sent, $r received"
			cost[$kind]=$(us_per "$b" "$r")
			rest[$kind]=$r
		done
		c=${cost[collide]} r=${cost[random]}
		cs+=("$c")
		rs+=("$r")
		ratios+=("$(awk -v c="$c" -v r="$r" 'BEGIN { printf "%.2f", r ? c / r : 0 }')")
		printf "%-6s %9s %9s %11s %11s %7s\n" "$i" "${rest[collide]}" "${rest[random]}" \
			"$c" "$r" "${ratios[-1]}"
	done
	printf "%-6s %9s %9s %11s %11s %7s\n" median "" "" "$(median "${cs[@]}")" \
		"$(median "${rs[@]}")" "$(median "${ratios[@]}")"
}

if want collide; then
	part_start "origins table: CPU per data frame, $COLLIDE_ORIGINS origins with colliding ids" \
		"(one bucket of hash_64(id, 10)) against random ids; busy jiffies of all CPUs / frames received"
	collide
	ns_cleanup
	part_end
fi

# teardown_one N: prints the milliseconds from the kill of the last process
# of a namespace with N meshes to the meshes freed.
teardown_one() {
	local t=${NS_PREFIX}t before have out pid

	before=$("$B" slab pmesh_mesh)
	ip netns add "$t" || return
	# The namespace's last process, whose end the clock starts at.
	nsenter --net="/run/netns/$t" sleep 100000 &
	pid=$!
	BG+=("$pid")
	seq "$1" | awk -v t="$t" '{ printf "%s mesh-add %d %x port %d\n", t, $1, $1, 20000 + $1 }' |
		"$PMCTL" || return
	have=$("$B" slab pmesh_mesh)
	[ "$have" = $((before + $1)) ] || echo "# $have meshes in the slab, not $before + $1" >&2
	ip netns del "$t"
	out=$("$B" teardown "$pid" pmesh_mesh "$before" 600) || return
	wait "$pid" 2>/dev/null
	echo "${out%% *}"
}

# tree_stats: received, duplicates and ctl_tx_bytes summed over ALL_NODES.
tree_stats() {
	"$PMCTL" <<<"$(sed 's/$/ stats 1/' <<<"$ALL_NODES")" |
		awk "$GET"'{ r += get("received"); d += get("duplicates")
			c += get("ctl_tx_bytes") } END { print r, d, c }'
}

# tree_round MODE FAR: one round of MODE on the topology up; appends to
# $WORK/tree.MODE "copies ctl-bytes rate p50 p99".
tree_round() {
	local mode=$1 far=$2 r0 d0 c0 r1 d1 c1 out=$WORK/tree.lat rate
	"$PMCTL" <<<"$(sed "s/\$/ mesh-set 1 broadcast $mode/" <<<"$ALL_NODES")" ||
		return
	nsx n0 "$TICKER" pub 1 5 rate 100 count 30 quiet >/dev/null
	sleep 1
	read -r r0 d0 c0 <<<"$(tree_stats)"
	nsx n0 "$TICKER" pub 1 5 rate 100 count 200 quiet >/dev/null
	sleep 1
	read -r r1 d1 c1 <<<"$(tree_stats)"
	nsx "n$far" "$B" recv pmesh 1 5 "$SECS" >"$out" &
	sleep 0.5
	nsx n0 "$B" send pmesh 1 5 64 $((SECS + 2)) >/dev/null
	wait $!
	rate=$(awk '{ print $2 }' "$out")
	nsx "n$far" "$TICKER" sub 1 5 count 300 timeout 60 >"$out" &
	sleep 1
	nsx n0 "$TICKER" pub 1 5 rate 100 count 300 quiet >/dev/null
	wait $!
	awk '/^quote / { for (i = 1; i < NF; i++) if ($i == "latency") print $(i + 1) }' \
		"$out" | sort -g | awk -v r=$((r1 - r0)) -v d=$((d1 - d0)) \
		-v c=$((c1 - c0)) -v rate="${rate:-0}" '
		{ l[++n] = $1 }
		END {
			printf "%.3f %.0f %s %.3f %.3f\n", r > d ? r / (r - d) : 0,
				r > d ? c / (r - d) : 0, rate,
				n ? l[int((n + 1) / 2)] : 0, n ? l[int(n * 0.99 + 0.5)] : 0
		}' >>"$WORK/tree.$mode"
}

# tree_topo NAME N LINKS: the topology, TREE_ROUNDS rounds of each mode,
# and a line of medians a mode.
tree_topo() {
	local name=$1 n=$2 links=$3 far i m col
	topo "$n" "$links" "origin-timeout 600" >/dev/null || return
	far=$(awk -v links="$links" 'BEGIN {
		k = split(links, l, " ")
		for (i = 1; i <= k; i++) { split(l[i], e, "-"); adj[e[1]] = adj[e[1]] " " e[2]; adj[e[2]] = adj[e[2]] " " e[1] }
		d[0] = 0; q[0] = 0; h = 0; t = 1; far = 0
		while (h < t) {
			u = q[h++]; m = split(adj[u], a, " ")
			for (j = 1; j <= m; j++) if (!(a[j] in d)) { d[a[j]] = d[u] + 1; q[t++] = a[j]; if (d[a[j]] > d[far]) far = a[j] }
		}
		print far
	}')
	rm -f "$WORK/tree.flood" "$WORK/tree.tree"
	for ((i = 1; i <= TREE_ROUNDS; i++)); do
		for m in flood tree; do tree_round $m "$far"; done
	done
	for m in flood tree; do
		printf "%-12s %-6s" "$name" "$m"
		for col in 1 2 3 4 5; do
			# shellcheck disable=SC2046
			printf " %10s" "$(median $(awk -v c=$col '{ print $c }' "$WORK/tree.$m"))"
		done
		echo
	done
	ns_cleanup
}

if want tree; then
	part_start "broadcast tree against flooding, key-less, $TREE_ROUNDS rounds alternated, medians"
	printf "%-12s %-6s %10s %10s %10s %10s %10s\n" topology mode copies/dlv \
		ctlB/dlv "far dg/s" "p50 ms" "p99 ms"
	tree_topo full-mesh-5 5 "$(for i in 0 1 2 3 4; do
		for j in $(seq $((i + 1)) 4); do echo "$i-$j"; done; done)"
	tree_topo random-20 20 "$(random_graph 20 | awk '{ print $1 - 1 "-" $2 - 1 }')"
	part_end
fi

if want teardown; then
	part_start "namespace teardown: ms from its last process's exit to its meshes freed" \
		"(pmesh_mesh slab back to its count, polled every 2 ms), $TEARDOWN_TRIALS trials, alternated"
	declare -A tdown
	for ((i = 1; i <= TEARDOWN_TRIALS; i++)); do
		for m in $TEARDOWN_MESHES; do
			tdown[$m]="${tdown[$m]} $(teardown_one "$m")"
		done
	done
	printf "%-7s %-30s %10s %12s\n" meshes "trials (ms)" median "per mesh"
	for m in $TEARDOWN_MESHES; do
		# shellcheck disable=SC2086
		med=$(median ${tdown[$m]})
		printf "%-7s %-30s %10s %12s\n" "$m" "${tdown[$m]# }" "$med" \
			"$(awk -v t="$med" -v m="$m" 'BEGIN { printf "%.2f", t / m }')"
	done
	bg_kill
	ns_cleanup
	part_end
fi
rmmod pmesh
