#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every pmesh selftest, in the test guest, as KTAP: one line per test
# program, each program's own KTAP indented beneath it. The results are also
# written to $PMESH_OUT/results.ktap for the host to count.
#
# The example programs' tests live beside the programs, in $apps; a
# program is named by its file name wherever it lives.
#
# On a kernel with kmemleak (the debug kernel of make check-debug), the
# objects leaked while a program ran fail its line, and are printed beneath
# it: kmemleak is scanned after each program and cleared before the next.
#
# usage: run_tests.sh [PROGRAM...]   (default: every program, in order)
#
# Each program's line is preceded by the time it took, as a "#" line.
cd "$(dirname "$0")" || exit 1
out=${PMESH_OUT:-/run}
apps=../tools/apps/tests

# The fuzzers' counts (wire_fuzz.sh, nl_fuzz.sh; Documentation/fuzzing.md):
# make check's by default (200,000 frames, 100,000 requests: half a minute
# here); on the debug kernel of make check-debug, known by its kmemleak,
# 10^6 frames and 200,000 requests (about 34 and 11 minutes there). Set
# either in the guest's environment to choose.
if [ -e /sys/kernel/debug/kmemleak ]; then
	export PMESH_FUZZ_FRAMES=${PMESH_FUZZ_FRAMES:-1000000}
	export PMESH_FUZZ_MSGS=${PMESH_FUZZ_MSGS:-200000}
fi

progs=(
	"./module_test.sh"
	"./socket_test"
	"./netlink_test"
	"./datapath_test"
	"./tool_test.sh"
	"./flood_test.sh"
	"./link_test.sh"
	"./keyed_test.sh"
	"./overlay_test.sh"
	"./segment_test.sh"
	"./tree_test.sh"
	"./events_test"
	"$apps/apps_test.sh"
	"$apps/workq_test.sh"
	"$apps/game_test.sh"
	"./wire_fuzz.sh"
	"./nl_fuzz.sh"
	"./module_test.sh --final"
)
# A subset runs between the same two: module_test.sh loads the module the
# others use, and its --final unloads it and checks nothing was left.
if [ $# -gt 0 ]; then
	progs=("./module_test.sh")
	for p in "$@"; do
		p=${p#./}
		case $p in
		module_test.sh | "module_test.sh --final") continue ;;
		esac
		if [ -e "$apps/${p%% *}" ]; then
			progs+=("$apps/$p")
		else
			progs+=("./$p")
		fi
	done
	progs+=("./module_test.sh --final")
fi

# Every program has 20 minutes; on the debug kernel, whose checkers slow
# everything down (the shell programs, which start thousands of processes,
# 5 to 15 times), eight times as long.
limit=1200
kmemleak=/sys/kernel/debug/kmemleak
if [ -w $kmemleak ]; then
	limit=$((limit * 8))
else
	kmemleak=
fi

# The objects kmemleak finds unreferenced since the last call, then none.
# An object is reported from the second scan that finds it unreferenced
# (the first may catch a pointer in flight), and at least 5 s old.
leaks() {
	sleep 5
	echo scan > $kmemleak
	echo scan > $kmemleak
	cat $kmemleak
	echo clear > $kmemleak
}

run_all() {
	local i=0 failed=0 p rc leaked why start env
	echo "KTAP version 1"
	echo "1..${#progs[@]}"
	# What the kernel leaked while booting is not the tests'.
	[ -n "$kmemleak" ] && leaks > /dev/null
	for p in "${progs[@]}"; do
		i=$((i + 1))
		start=$SECONDS
		# module_test.sh loads the module every other program uses:
		# PMESH_TESTS, which picks those programs' tests, is not for it.
		env=
		[[ $p == ./module_test.sh* ]] && env="env -u PMESH_TESTS"
		# shellcheck disable=SC2086
		$env timeout $limit $p 2>&1 | sed -u 's/^/  /'
		rc=${PIPESTATUS[0]}
		echo "# ${p##*/}: $((SECONDS - start)) s"
		why=
		[ "$rc" -ne 0 ] && why="exit status $rc"
		leaked=
		[ -n "$kmemleak" ] && leaked=$(leaks)
		if [ -n "$leaked" ]; then
			sed 's/^/  # /' <<< "$leaked"
			why="${why:+$why; }kmemleak: $(grep -c '^unreferenced object' <<< "$leaked") objects leaked"
		fi
		if [ -z "$why" ]; then
			echo "ok $i ${p##*/}"
		else
			echo "not ok $i ${p##*/} # $why"
			failed=1
		fi
	done
	return $failed
}

run_all | tee "$out/results.ktap"
exit "${PIPESTATUS[0]}"
