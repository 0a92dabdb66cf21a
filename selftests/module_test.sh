#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Loading and unloading pmesh.ko: the family parameter, the tool without the
# module, and unload after meshes in several namespaces with nothing leaked.
# Starts with the module unloaded and leaves it loaded.
#
# With --final, only checks that the module unloads cleanly after the whole
# run (the runner calls it last).
. "$(dirname "$0")/lib.sh"

# The module built for the kernel the guest booted (run.sh -m), else the
# repository's, built for Debian's.
KO=${PMESH_KO:-$top/kmod/pmesh.ko}

AF_SOCKET=$(dirname "$0")/af_socket

# socket FAMILY: 0 if socket(FAMILY, SOCK_DGRAM, 0) works, else errno name.
sock() {
	"$AF_SOCKET" "$1"
}

loaded() {
	[ -d /sys/module/pmesh ]
}

# The kernel log since the mark, to check what one step printed.
mark() {
	dmesg | wc -l > /run/pmt-dmesg-mark
}

since_mark() {
	dmesg | tail -n +"$(($(cat /run/pmt-dmesg-mark) + 1))"
}

unload_clean() {
	mark
	ok rmmod pmesh
	loaded && fail "module still loaded after rmmod"
	# kmem_cache_destroy() names a cache that still has objects.
	hasnt "$(since_mark)" "pmesh_mesh|pmesh_neigh|PMESH|WARNING|BUG"
}

test_tool_without_module() {
	loaded && fail "module loaded before the test"
	nok "$PMESH" mesh show
	has "$ERR" "^Error: the pmesh module is not loaded"
	nok "$PMESH" mesh add 1
	has "$ERR" "^Error: the pmesh module is not loaded"
}

test_load_default_family() {
	ok insmod "$KO"
	eq "$(cat $FAMILY_FILE)" 18
	eq "$(sock 18)" 0
	# The number is the uapi's AF_PMESH.
	has "$(cat "$top/uapi/linux/pmesh.h")" "#define AF_PMESH	18"
	unload_clean
	eq "$(sock 18)" EAFNOSUPPORT
}

test_family_parameter() {
	ok insmod "$KO" family=19
	eq "$(cat $FAMILY_FILE)" 19
	eq "$(sock 19)" 0
	eq "$(sock 18)" EAFNOSUPPORT
	# Read-only: an administrator cannot move a live family.
	echo 20 > $FAMILY_FILE 2>/dev/null && fail "family parameter is writable"
	unload_clean
}

test_family_parameter_refused() {
	mark
	# AF_INET is taken: the load fails and says why.
	run insmod "$KO" family=2 && fail "loaded over AF_INET"
	has "$(since_mark)" "socket family 2 is taken; load with family=N"
	eq "$(sock 2)" 0
	run insmod "$KO" family=46 && fail "loaded with family 46 (NPROTO)"
	has "$(since_mark)" "family=46 is not a socket family number"
	run insmod "$KO" family=0 && fail "loaded with family 0"
	loaded && fail "module loaded after a refused load"
	# A failed load leaves nothing behind: the genl family is gone too.
	nok "$PMESH" mesh show
	has "$ERR" "not loaded"
}

test_unload_with_meshes_in_namespaces() {
	ok insmod "$KO"
	ns a
	ns b
	ns c
	for n in a b c; do
		ok at $n "$PMESH" mesh add 1
		ok at $n "$PMESH" mesh add 2 port 9002
	done
	ok at a "$PMESH" mesh del 2
	ok ip netns del "${NS_PREFIX}b"
	ok "$PMESH" mesh add 7 port 7007
	# Meshes left in a, c and the initial namespace: unload frees them.
	has "$(grep pmesh_mesh /proc/slabinfo)" "^pmesh_mesh "
	unload_clean
	grep -q pmesh_mesh /proc/slabinfo && fail "mesh cache outlived the module"
	return 0
}

# A device linked in one namespace whose peer's namespace is being
# dismantled as the module unloads: that dismantling unregisters the linked
# device and holds the pernet lock until its last reference goes, and the
# unload needs that lock. The link must still let go of the device, or
# rmmod and every later namespace teardown wait forever (the test then
# hangs, and the runner's timeout fails it).
test_unload_while_a_linked_device_goes() {
	local i
	for i in 1 2 3 4 5; do
		ok insmod "$KO"
		ns "a$i"
		ns "b$i"
		ok ip link add va netns "${NS_PREFIX}a$i" type veth \
			peer name vb netns "${NS_PREFIX}b$i"
		ok ip -n "${NS_PREFIX}b$i" link set vb up
		ok at "b$i" "$PMESH" mesh add 1
		ok at "b$i" "$PMESH" link add 1 dev vb
		ok ip netns del "${NS_PREFIX}a$i"
		unload_clean
	done
}

test_unload_refused_while_socket_open() {
	ok insmod "$KO"
	ok "$PMESH" mesh add 1
	# rmmod, with a socket of the family open, fails.
	nok "$AF_SOCKET" 18 rmmod pmesh
	loaded || fail "module gone"
	unload_clean
}

test_load_for_the_next_tests() {
	ok insmod "$KO"
	has "$(grep -E '^(PMESH|pmesh_mesh|pmesh_neigh) ' /proc/slabinfo | awk '{print $1}' | sort | xargs)" "^PMESH pmesh_mesh pmesh_neigh$"
}

final_unload() {
	echo "TAP version 13"
	echo "1..1"
	if (unload_clean); then
		echo "ok 1 final_unload"
	else
		echo "not ok 1 final_unload"
		return 1
	fi
}

if [ "${1:-}" = --final ]; then
	final_unload
else
	run_tests
fi
