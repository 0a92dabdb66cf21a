#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Broadcast along a tree (Documentation/design/broadcast-tree.md): twenty
# nodes on one subnet, joined by configured UDP peers in a fixed random
# graph of degree about four, a steady stream from one node or from all.
# Once the trees have formed, almost no payload arrives twice, where
# flooding brings about two copies a delivery; every datagram still
# reaches every node once, through a tree link cut mid-stream too, and
# with every node sending on a keyed mesh.
. "$(dirname "$0")/lib.sh"

[ -n "${PMESH_GUEST:-}" ] && modprobe -q -a bridge

DIR=$(mktemp -d)
N=20
TICKER=$(dirname "$0")/../tools/apps/ticker

# degree N: nN's neighbours in the graph.
degree() {
	random_graph $N | awk -v n="$1" '$1 == n || $2 == n' | wc -l
}

# mesh ARGS...: the twenty nodes, mesh 1 with ARGS, peers along the graph.
mesh() {
	local n a b
	subnet $(seq $N)
	for n in $(seq $N); do
		ok at "n$n" "$PMESH" mesh add 1 node "$(printf %x "$n")" "$@"
	done
	# No process substitution: the guest has no /dev/fd.
	random_graph $N > "$DIR/edges"
	while read -r a b; do
		ok at "n$a" "$PMESH" peer add 1 "10.77.0.$b" 7788
		ok at "n$b" "$PMESH" peer add 1 "10.77.0.$a" 7788
	done < "$DIR/edges"
	# A keyed mesh learns more neighbours on the subnet: the overlay's.
	for n in $(seq $N); do
		eventually 60 at_least "$n" "$(degree "$n")"
	done
}

# at_least N D: nN has at least D neighbours up.
at_least() {
	local u
	u=$(ups "$1")
	[ "$u" -ge "$2" ] || fail "n$1 has $u neighbours up, not $2"
}

# totals: mesh 1's counters summed over the nodes, in T by name, and
# printed as a "# " line.
KEYS="delivered duplicates ihave_tx ihave_held grafts_tx grafts_rx repairs
      prunes_tx serve_drops missing_drops sock_overflow"
declare -A T
totals() {
	local n k line="#"
	T=()
	for n in $(seq $N); do
		js "$n" mesh show 1
		for k in $KEYS; do
			[[ ${J#*\"stats\":\{} =~ \"$k\":([0-9]+) ]] ||
				fail "no counter $k in: $J"
			T[$k]=$((${T[$k]:-0} + BASH_REMATCH[1]))
		done
	done
	for k in $KEYS; do
		line="$line $k ${T[$k]}"
	done
	echo "$line"
}

# stream TAG COUNT RATE FROM...: each FROM node sends COUNT datagrams on
# channel 5 at RATE a second while every node receives them; the
# receivers' lines in $DIR/N.TAG.
stream() {
	local tag=$1 count=$2 rate=$3 n f
	shift 3
	for n in $(seq $N); do
		"$PMESH" -n "${NS_PREFIX}n$n" recv 1 5 count $((count * $#)) \
			timeout 120 > "$DIR/$n.$tag" 2>&1 &
		PIDS+=($!)
	done
	listening
	for f in "$@"; do
		at "n$f" "$TICKER" pub 1 5 rate "$rate" count "$count" quiet \
			> /dev/null 2>&1 &
	done
}

# delivered_once TAG COUNT SENDERS: every node got each datagram once.
delivered_once() {
	local n want=$(($2 * $3))
	for n in $(seq $N); do
		eq "$(grep -c '^origin' "$DIR/$n.$1")" "$want"
		eq "$(awk '/^origin/ { print $2, $6 }' "$DIR/$n.$1" | sort -u |
		      wc -l)" "$want"
	done
}

# ratio A B: A / B with three decimals.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b ? a / b : 0 }'
}

# below A B: whether A < B, decimals.
below() {
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'
}

# dups_under TAG SENT: the duplicates since the last totals, per delivery
# at the nodes other than the senders (whose sockets get their own), under
# 0.05. Updates T.
dups_under() {
	local d0=${T[duplicates]} r0=${T[delivered]} d r
	totals
	d=$((T[duplicates] - d0))
	r=$((T[delivered] - r0 - $2))
	echo "# $1: $d duplicates for $r deliveries, $(ratio "$d" "$r") a delivery"
	below "$(ratio "$d" "$r")" 0.05 ||
		fail "$1: $(ratio "$d" "$r") duplicates a delivery, not under 0.05"
}

# parent N: the neighbour nN got most of its first copies from, as its
# address's last byte.
parent() {
	local o best=0 who=
	js "$1" neigh show 1
	for o in "${OBJS[@]}"; do
		[[ $o =~ \"firsts\":([0-9]+) ]] || continue
		if [ "${BASH_REMATCH[1]}" -gt "$best" ]; then
			best=${BASH_REMATCH[1]}
			[[ $o =~ \"address\":\"10\.77\.0\.([0-9]+)\" ]] &&
				who=${BASH_REMATCH[1]}
		fi
	done
	echo "$who"
}

# One sender at a steady pace: once the trees have formed, almost no
# duplicate; a tree link cut mid-stream loses nothing and the trees mend;
# the same mesh switched to flooding brings two copies a redundant link.
# (Every node's origin-timeout is long enough that the trees outlive the
# checks between the streams: an origin forgotten takes its tree along.)
test_one_sender() {
	local far p n
	mesh broadcast tree origin-timeout 600
	# The trees form on the first datagrams.
	stream warm 30 100 1
	finish
	delivered_once warm 30 1
	totals
	stream steady 300 100 1
	finish
	delivered_once steady 300 1
	dups_under "tree, one sender" 300
	# The ids went to the lazy links; nobody had to ask for one.
	[ "${T[ihave_tx]}" -gt 0 ] || fail "no IHAVE was sent"
	[ "${T[prunes_tx]}" -gt 0 ] || fail "no PRUNE was sent"
	eq "${T[grafts_tx]}" 0

	# A node far from the sender, and the link its copies come over, cut
	# mid-stream: both ends stop hearing each other.
	far=11
	p=$(parent $far)
	[ -n "$p" ] || fail "n$far has no parent"
	stream cut 300 100 1
	sleep 1
	ok ip -n "${NS_PREFIX}n$far" route add blackhole "10.77.0.$p/32"
	ok ip -n "${NS_PREFIX}n$p" route add blackhole "10.77.0.$far/32"
	finish
	delivered_once cut 300 1
	totals
	[ "${T[grafts_tx]}" -gt 0 ] || fail "nobody grafted after the cut"
	[ "${T[repairs]}" -gt 0 ] || fail "no graft brought a datagram"
	# Each GRAFT taken is counted on the neighbour that sent it too.
	local g=0
	for n in $(seq $N); do
		g=$((g + $(neigh_sum "$n" grafts)))
	done
	eq "$g" "${T[grafts_rx]}"
	# Shortly after, the duplicates are back under the bound.
	stream after 200 100 1
	finish
	delivered_once after 200 1
	dups_under "tree, after the cut" 200

	# Flooding, on the same mesh: every link not in the first copies'
	# tree carries the datagram both ways.
	for n in $(seq $N); do
		ok at "n$n" "$PMESH" mesh set 1 broadcast flood
	done
	stream flood 100 100 1
	finish
	delivered_once flood 100 1
	local d0=${T[duplicates]} r0=${T[delivered]} i0=${T[ihave_tx]} d r
	totals
	d=$((T[duplicates] - d0))
	r=$((T[delivered] - r0 - 100))
	echo "# flood, one sender: $d duplicates for $r deliveries," \
		"$(ratio "$d" "$r") a delivery"
	below 1 "$(ratio "$d" "$r")" ||
		fail "$(ratio "$d" "$r") duplicates a delivery when flooding"
	eq "${T[ihave_tx]}" "$i0"
}

# Every node sending at once, on a keyed mesh (the tree frames sealed): a
# tree per origin, each as lean.
test_every_node_sending_keyed() {
	ok "$PMESH" genkey
	echo "$OUT" > "$DIR/key"
	mesh broadcast tree origin-timeout 600 key "$DIR/key"
	stream warm 10 10 $(seq $N)
	finish
	delivered_once warm 10 $N
	totals
	stream steady 50 10 $(seq $N)
	finish
	delivered_once steady 50 $N
	dups_under "tree, every node sending" $((N * 50))
}

run_tests
