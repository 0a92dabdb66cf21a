#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmarks, run in the test guest by "make bench", side by side in one
# guest run so that the machine's noise hits both sides alike:
#
# 1. Datagrams/s delivered at the far end of a 5-namespace veth chain: pmesh
#    flooding hop by hop, against plain UDP forwarded by the kernel's IP
#    routing along the same chain (the ceiling for a hop-by-hop relay), for
#    64- and 1200-byte payloads.
# 2. Duplicates on a ring of 6 and a full mesh of 5, against the flooding
#    bound: a datagram crosses each link at most twice, so a mesh of N nodes
#    and E links receives at most 2E - (N - 1) duplicates per datagram.
cd "$(dirname "$0")/../.." || exit 1
. selftests/lib.sh
B=$top/tools/bench/pmbench
SECS=${BENCH_SECS:-3}
trap ns_cleanup EXIT

insmod kmod/pmesh.ko || exit 1
sysctl -qw net.core.rmem_max=8388608

node() {
	ns "n$1"
	at "n$1" "$PMESH" mesh add 1 node "$(printf %x $(($1 + 1)))" || exit 1
}

link() {
	local a=$1 b=$2
	ip link add "v$a-$b" netns "${NS_PREFIX}n$a" type veth \
		peer name "v$b-$a" netns "${NS_PREFIX}n$b"
	ip -n "${NS_PREFIX}n$a" addr add "10.$a.$b.1/30" dev "v$a-$b"
	ip -n "${NS_PREFIX}n$b" addr add "10.$a.$b.2/30" dev "v$b-$a"
	ip -n "${NS_PREFIX}n$a" link set "v$a-$b" up
	ip -n "${NS_PREFIX}n$b" link set "v$b-$a" up
	at "n$a" "$PMESH" peer add 1 "10.$a.$b.2" 7788
	at "n$b" "$PMESH" peer add 1 "10.$a.$b.1" 7788
}

# rate KIND SIZE: datagrams/s at n4 while n0 blasts for longer than we count.
rate() {
	local out=/run/bench.$$ r
	if [ "$1" = udp ]; then
		at n4 "$B" recv udp 9000 "$SECS" > "$out" &
		sleep 0.5
		at n0 "$B" send udp 10.3.4.2 9000 "$2" $((SECS + 2)) >/dev/null
	else
		at n4 "$B" recv pmesh 1 5 "$SECS" > "$out" &
		sleep 0.5
		at n0 "$B" send pmesh 1 5 "$2" $((SECS + 2)) >/dev/null
	fi
	wait
	r=$(awk '{print $2}' "$out")
	rm -f "$out"
	echo "${r:-0}"
}

echo "# 5-node chain, ${SECS}s windows: datagrams/s delivered at the far end"
for i in 0 1 2 3 4; do node $i; done
for i in 0 1 2 3; do link $i $((i + 1)); done
for i in 1 2 3; do at "n$i" sysctl -qw net.ipv4.ip_forward=1; done
at n0 ip route add 10.3.4.0/30 via 10.0.1.2
at n1 ip route add 10.3.4.0/30 via 10.1.2.2
at n2 ip route add 10.3.4.0/30 via 10.2.3.2

printf "%-8s %14s %14s %8s\n" payload "udp-forward/s" "pmesh/s" ratio
for size in 64 1200; do
	u=$(rate udp $size)
	p=$(rate pmesh $size)
	printf "%-8s %14s %14s %8s\n" "${size}B" "$u" "$p" \
		"$(awk -v p="$p" -v u="$u" 'BEGIN { printf "%.2f", u ? p / u : 0 }')"
done
ns_cleanup

# dups TOPOLOGY N E: send 200 datagrams from n0, report duplicates.
dups() {
	local i d total=0 per=""
	seq 200 | at n0 "$PMESH" send 1 5
	sleep 2
	for i in $(seq 0 $(($2 - 1))); do
		d=$(at "n$i" "$PMESH" -j mesh show 1 |
			python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats"]["duplicates"])')
		per="$per $d"
		total=$((total + d))
	done
	printf "%-10s %5s %5s %12s %12s   per node:%s\n" "$1" "$2" "$3" \
		"$(awk -v t=$total 'BEGIN { printf "%.2f", t / 200 }')" \
		$((2 * $3 - ($2 - 1))) "$per"
}

echo
echo "# duplicates per datagram (200 datagrams from node 0) against the bound 2E-(N-1)"
printf "%-10s %5s %5s %12s %12s\n" topology N E "dups/dgram" bound
for i in 0 1 2 3 4 5; do node $i; done
for i in 0 1 2 3 4 5; do link $i $(((i + 1) % 6)); done
dups ring 6 6
ns_cleanup
for i in 0 1 2 3 4; do node $i; done
for i in 0 1 2 3 4; do
	for j in $(seq $((i + 1)) 4); do link $i $j; done
done
dups full-mesh 5 10
ns_cleanup
rmmod pmesh
