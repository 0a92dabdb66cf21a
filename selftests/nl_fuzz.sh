#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The netlink fuzzer (nl_fuzz.c) in a namespace with two meshes, peers and
# links: first without CAP_NET_ADMIN (as nobody, then as root of a user
# namespace of its own), where no change may succeed, a well-formed one
# must fail with EPERM, and the dumps must not change; then as root, where every request is answered and
# the dumps keep parsing and agreeing. Then the tool still works there.
#
# PMESH_FUZZ_MSGS requests as root and as many without the capability,
# half as nobody and half in a user namespace (default 100000, about 20 s
# in the test guest; see run_tests.sh for the debug kernel); PMESH_FUZZ_SEED
# replays a run.
. "$(dirname "$0")/lib.sh"

[ -n "${PMESH_GUEST:-}" ] && modprobe -q -a bridge dummy

MSGS=${PMESH_FUZZ_MSGS:-100000}
FUZZ=$top/selftests/nl_fuzz

fuzz() {
	at f "$FUZZ" ${PMESH_FUZZ_SEED:+-s "$PMESH_FUZZ_SEED"} "$@" ||
		fail "the fuzzer stopped (status $?)"
}

populate() {
	local d
	ns f
	# One ip run: a program started costs seconds on the debug kernel.
	{
		for d in d0 d1 d2 d3; do
			echo "link add $d type dummy"
			echo "link set $d up"
		done
		echo "link add v0 type veth peer name v1"
		echo "link add br0 type bridge"
		echo "link set v0 up"
	} | ip -n "${NS_PREFIX}f" -b - || fail "cannot make the devices"
	ok at f "$PMESH" mesh add 1 node 1
	ok at f "$PMESH" mesh add 2 node 2 port 7789 hello-interval 100
	ok at f "$PMESH" peer add 1 10.0.0.1 7788
	ok at f "$PMESH" peer add 1 2001:db8::1 7788
	ok at f "$PMESH" peer add 2 10.0.0.2 7789
	ok at f "$PMESH" link add 1 dev d0
	ok at f "$PMESH" link add 2 dev v0
}

test_unprivileged_as_nobody() {
	populate
	fuzz -n $((MSGS / 2)) -u nobody
}

test_unprivileged_in_a_user_namespace() {
	populate
	fuzz -n $((MSGS - MSGS / 2)) -u userns
}

test_as_root() {
	populate
	fuzz -n "$MSGS"
	# The tool still reads and changes what the fuzzer left.
	ok at f "$PMESH" mesh show
	ok at f "$PMESH" neigh show
	ok at f "$PMESH" link show
	ok at f "$PMESH" node show
	run at f "$PMESH" mesh del 1
	ok at f "$PMESH" mesh add 1 node 1 port 40000
	ok at f "$PMESH" peer add 1 10.0.0.4 7788
	ok at f "$PMESH" mesh del 1
}

run_tests
