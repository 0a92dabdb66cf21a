# SPDX-License-Identifier: GPL-2.0
# Helpers for the pmesh shell selftests: KTAP output, assertions and
# network namespaces that are removed when the test program exits.
#
# A test is a function named test_*; run_tests runs each in a subshell, so a
# failed assertion ends that test only, and prints "ok N name" or
# "not ok N name" with the reasons as "# " lines.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PMESH=${PMESH:-$top/tools/pmesh/pmesh}
FAMILY_FILE=/sys/module/pmesh/parameters/family
NS_PREFIX=pmt$$-
# pmesh.ko needs the UDP tunnel helpers and the ChaCha20-Poly1305 library
# (which brings the ciphers it uses); insmod does not load them.
PMESH_DEPS="udp_tunnel ip6_udp_tunnel libchacha20poly1305"
[ -n "${PMESH_GUEST:-}" ] && modprobe -q -a $PMESH_DEPS veth
OUT=
ERR=
# Where run() keeps a command's stderr: one file for the whole program, as
# a test program runs one command at a time. In the test guest every
# process started costs a large fraction of a second (seconds on the debug
# kernel), so the helpers below start none of their own.
ERR_FILE=$(mktemp)

fail() {
	echo "# FAIL: $*"
	exit 1
}

# run CMD...: run it, keep stdout in $OUT and stderr in $ERR, return status.
run() {
	local rc
	OUT=$("$@" 2>"$ERR_FILE")
	rc=$?
	ERR=
	IFS= read -r -d '' ERR < "$ERR_FILE"
	# As $(...) would: without the trailing newlines.
	while [[ $ERR == *$'\n' ]]; do ERR=${ERR%$'\n'}; done
	return $rc
}

# ok CMD...: CMD must succeed.
ok() {
	run "$@" || fail "'$*' failed (status $?): $ERR"
}

# nok CMD...: CMD must fail with exit status 1.
nok() {
	run "$@"
	local rc=$?
	[ $rc -eq 1 ] || fail "'$*' exited $rc, expected 1; stdout: $OUT stderr: $ERR"
}

# has TEXT PATTERN: TEXT must contain the extended regex PATTERN.
has() {
	grep -Eq -- "$2" <<<"$1" || fail "expected /$2/ in: $1"
}

# hasnt TEXT PATTERN: TEXT must not contain PATTERN.
hasnt() {
	grep -Eq -- "$2" <<<"$1" && fail "unexpected /$2/ in: $1"
	return 0
}

# eq A B: A and B must be equal.
eq() {
	[ "$1" = "$2" ] || fail "expected '$2', got '$1'"
}

# eventually SECS CMD...: retry CMD (often a function of assertions) in a
# subshell until it passes or SECS run out, then run it once more here, for
# its verdict and what it leaves in OUT and ERR. For what happens on a
# timer, so that a slow machine waits longer rather than fails.
eventually() {
	local end=$((SECONDS + $1))
	shift
	while [ $SECONDS -lt "$end" ]; do
		("$@") >/dev/null 2>&1 && break
		sleep 0.2
	done
	"$@"
}

# ns NAME: create network namespace NAME (prefixed, removed at exit).
ns() {
	ip netns add "$NS_PREFIX$1" || fail "cannot create netns $1"
	ip -n "$NS_PREFIX$1" link set lo up
}

# at NAME CMD...: run CMD in namespace NAME; the pmesh tool enters it
# itself (pmesh -n), one program fewer.
at() {
	local n=$1
	shift
	if [ "$1" = "$PMESH" ]; then
		shift
		"$PMESH" -n "$NS_PREFIX$n" "$@"
	else
		ip netns exec "$NS_PREFIX$n" "$@"
	fi
}

# send_in_bursts NAME MESH CHANNEL FILE: each line of FILE as a datagram
# to CHANNEL of MESH from namespace NAME, a hundred lines to a "pmesh
# send", so that a program taking thousands of them keeps up (a test
# checks the receiver's sock-overflow to be sure).
send_in_bursts() {
	local part
	split -l 100 "$4" "$4."
	for part in "$4".*; do
		ok at "$1" "$PMESH" send "$2" "$3" < "$part"
	done
	rm -f "$4".*
}

# Receivers started in the background put their pids in PIDS.
PIDS=()

# has_socket PID: whether process PID has a socket open.
has_socket() {
	local f
	for f in "/proc/$1/fd/"*; do
		[ -S "$f" ] && return 0
	done
	return 1
}

# Wait until every receiver in PIDS has a socket (then a moment to bind it).
listening() {
	local p i
	for p in "${PIDS[@]}"; do
		for ((i = 0; i < 100; i++)); do
			has_socket "$p" && break
			sleep 0.05
		done
	done
	sleep 0.3
}

# Wait for every receiver in PIDS to end.
finish() {
	[ ${#PIDS[@]} -gt 0 ] && wait "${PIDS[@]}"
	PIDS=()
}

# veth_peers A IF_A ADDR_A B IF_B ADDR_B: a veth pair, IF_A in namespace A
# and IF_B in namespace B, both up, with the addresses ADDR_A and ADDR_B
# (IPv4 or IPv6, with their prefix length), and mesh 1's UDP peers both
# ways on port 7788.
veth_peers() {
	local a=$1 ia=$2 xa=$3 b=$4 ib=$5 xb=$6 dad=
	[[ $xa == *:* ]] && dad=nodad
	ip link add "$ia" netns "$NS_PREFIX$a" type veth \
		peer name "$ib" netns "$NS_PREFIX$b" || fail "veth $a-$b"
	# shellcheck disable=SC2086
	ip -n "$NS_PREFIX$a" addr add "$xa" dev "$ia" $dad
	# shellcheck disable=SC2086
	ip -n "$NS_PREFIX$b" addr add "$xb" dev "$ib" $dad
	ip -n "$NS_PREFIX$a" link set "$ia" up
	ip -n "$NS_PREFIX$b" link set "$ib" up
	ok at "$a" "$PMESH" peer add 1 "${xb%/*}" 7788
	ok at "$b" "$PMESH" peer add 1 "${xa%/*}" 7788
}

# subnet N...: a bridge br0 in namespace br, and for each N a namespace nN
# whose e0, 10.77.0.N/24, is a port of it (pN in br). In batches, an ip
# run a namespace: each program started costs a tenth of a second here.
subnet() {
	local n
	{
		echo "netns add ${NS_PREFIX}br"
		for n in "$@"; do
			echo "netns add ${NS_PREFIX}n$n"
		done
		for n in "$@"; do
			echo "link add e0 netns ${NS_PREFIX}n$n type veth peer name p$n netns ${NS_PREFIX}br"
		done
	} | ip -b - || fail "cannot create the namespaces"
	{
		echo "link set lo up"
		echo "link add br0 type bridge"
		echo "link set br0 up"
		for n in "$@"; do
			echo "link set p$n master br0 up"
		done
	} | ip -n "${NS_PREFIX}br" -b - || fail "cannot create the bridge"
	for n in "$@"; do
		printf '%s\n' "link set lo up" "addr add 10.77.0.$n/24 dev e0" \
			"link set e0 up" | ip -n "${NS_PREFIX}n$n" -b - ||
			fail "cannot set up n$n"
	done
}

# random_graph N: a connected graph of nodes 1..N of degree about four: a
# ring and N chords drawn with a fixed seed, "A B" a line, A < B, no edge
# twice (tree_test.sh, and the bench's tree part).
random_graph() {
	awk -v n="$1" 'BEGIN {
		srand(15)
		for (i = 1; i <= n; i++) {
			a = i; b = i % n + 1
			if (a > b) { t = a; a = b; b = t }
			e[a " " b] = 1
		}
		for (k = 0; k < n;) {
			a = 1 + int(rand() * n); b = 1 + int(rand() * n)
			if (a == b) continue
			if (a > b) { t = a; a = b; b = t }
			if ((a " " b) in e) continue
			e[a " " b] = 1; k++
		}
		for (x in e) print x
	}' | sort -n -k1,1 -k2,2
}

# JSON is read with bash's regular expressions, not Python: in the test
# guest, starting Python takes seconds.
#
# js N WORDS...: "pmesh -j WORDS" in nN, kept in J, its flat objects in
# the array OBJS.
js() {
	local n=$1 s
	shift
	J=$(at "n$n" "$PMESH" -j "$@") || fail "'pmesh -j $*' in n$n failed"
	OBJS=()
	s=$J
	while [[ $s =~ \{([^{}]*)\} ]]; do
		OBJS+=("${BASH_REMATCH[1]}")
		s=${s#*"${BASH_REMATCH[0]}"}
	done
}

# stat N KEY: a counter of mesh 1 in nN.
stat() {
	js "$1" mesh show 1
	[[ ${J#*\"stats\":\{} =~ \"$2\":([0-9]+) ]] || fail "no counter $2 in: $J"
	echo "${BASH_REMATCH[1]}"
}

# ups N: how many of nN's neighbours in mesh 1 are up.
ups() {
	local o c=0
	js "$1" neigh show 1
	for o in "${OBJS[@]}"; do
		[[ $o =~ \"state\":\"up\" ]] && c=$((c + 1))
	done
	echo "$c"
}

# neigh_sum N KEY: a counter of nN's neighbours in mesh 1, summed.
neigh_sum() {
	local o c=0
	js "$1" neigh show 1
	for o in "${OBJS[@]}"; do
		[[ $o =~ \"$2\":([0-9]+) ]] || fail "no counter $2 in: $o"
		c=$((c + BASH_REMATCH[1]))
	done
	echo "$c"
}

# ns_cleanup: delete this program's namespaces, in one ip run.
ns_cleanup() {
	ip netns list 2>/dev/null | awk -v p="$NS_PREFIX" \
		'index($1, p) == 1 { print "netns del " $1 }' | ip -force -b - 2>/dev/null
	return 0
}

# run_tests: run every test_* function of the calling script, in the order
# the script defines them.
run_tests() {
	local tests n=0 failed=0 t t0
	tests=$(sed -n 's/^\(test_[a-z0-9_]*\)() {$/\1/p' "$0")
	# PMESH_TESTS="NAME..." runs only those (by hand, while working).
	if [ -n "${PMESH_TESTS:-}" ]; then
		tests=$(for t in $tests; do
			[[ " $PMESH_TESTS " == *" ${t#test_} "* ]] && echo "$t"
		done)
	fi
	trap 'ns_cleanup; rm -f "$ERR_FILE"' EXIT
	echo "TAP version 13"
	echo "1..$(wc -w <<<"$tests")"
	for t in $tests; do
		n=$((n + 1))
		echo "# $n ${t#test_}"
		t0=$SECONDS
		if (set +e; "$t"); then
			echo "# ${t#test_}: $((SECONDS - t0)) s"
			echo "ok $n ${t#test_}"
		else
			echo "# ${t#test_}: $((SECONDS - t0)) s"
			echo "not ok $n ${t#test_}"
			failed=$((failed + 1))
		fi
		ns_cleanup
	done
	[ $failed -eq 0 ]
}
