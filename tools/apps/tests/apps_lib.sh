# SPDX-License-Identifier: GPL-2.0
# What the tests of the example programs that run on one Ethernet segment
# share (workq_test.sh, game_test.sh): programs in the background with
# their output in files, and the segment. Sourced after lib.sh.

[ -n "${PMESH_GUEST:-}" ] && modprobe -q -a bridge

DIR=$(mktemp -d)
PIDS=()

# Programs still running when a test ends (a failed one) are killed, and
# woken if a test froze one, so that their sockets do not keep meshes and
# the module alive.
stop_programs() {
	[ ${#PIDS[@]} -gt 0 ] && kill "${PIDS[@]}" 2>/dev/null &&
		kill -CONT "${PIDS[@]}" 2>/dev/null
	PIDS=()
}

# spawn NAME OUT CMD...: CMD in namespace NAME, in the background, stdin
# the caller's, stdout in $DIR/OUT and stderr in $DIR/OUT.err; its pid in
# PID and PIDS. (Without "<&0", bash gives a command put in the background
# /dev/null for stdin, whatever the function's caller redirected.) Not
# given fd 3, a test's end of a pipe to a program (game_test's typist).
spawn() {
	local n=$1 out=$2
	shift 2
	trap stop_programs EXIT
	ip netns exec "$NS_PREFIX$n" "$@" <&0 3>&- > "$DIR/$out" 2> "$DIR/$out.err" &
	PID=$!
	PIDS+=("$PID")
}

# printed FILE PATTERN [COUNT]: $DIR/FILE has COUNT (1) lines matching.
printed() {
	eq "$(grep -Ec -- "$2" "$DIR/$1")" "${3:-1}"
}

# finished PID [STATUS]: the program ended, with STATUS (0).
finished() {
	local rc
	wait "$1"
	rc=$?
	[ "$rc" -eq "${2:-0}" ] || fail "pid $1 exited $rc, expected ${2:-0}"
}

# hexid N: node N's id as programs print it.
hexid() {
	printf '%016x' "$1"
}

# segment N...: namespaces nN with mesh 1 as node N, on one bridge (in
# namespace br), each by a veth e0; returns when every node knows all the
# others. Namespaces and links are made in batches: in the test guest,
# starting a program takes up to a second.
segment() {
	local n batch=$DIR/batch
	{
		echo "netns add ${NS_PREFIX}br"
		for n; do echo "netns add ${NS_PREFIX}n$n"; done
	} > "$batch"
	ip -b "$batch" || fail "cannot create the namespaces"
	{
		echo "link add br0 type bridge"
		echo "link set br0 up"
		for n; do
			echo "link add p$n up master br0 type veth peer name e0 netns ${NS_PREFIX}n$n"
		done
	} > "$batch"
	ip -n "${NS_PREFIX}br" -b "$batch" || fail "cannot create the segment"
	for n; do
		# Not "peer ... up" above: a veth whose peer is not yet linked
		# to it cannot go up (ENOTCONN).
		ip -n "${NS_PREFIX}n$n" link set e0 up || fail "cannot set e0 up in n$n"
		ok at "n$n" "$PMESH" mesh add 1 node "$n"
		ok at "n$n" "$PMESH" link add 1 dev e0
	done
	for n; do
		eventually 60 knows "$n" $(($# - 1))
	done
}

# knows N COUNT: nN has COUNT other nodes up in mesh 1's table.
knows() {
	eq "$(at "n$1" "$PMESH" node show 1 | grep -Ec "node [0-9a-f]{16} up")" "$2"
}
