#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every pmesh selftest, in the test guest, as KTAP: one line per test
# program, each program's own KTAP indented beneath it. The results are also
# written to $PMESH_OUT/results.ktap for the host to count.
#
# usage: run_tests.sh [PROGRAM...]   (default: every program, in order)
cd "$(dirname "$0")" || exit 1
out=${PMESH_OUT:-/run}

# The fuzzers' counts (wire_fuzz.sh, nl_fuzz.sh; Documentation/fuzzing.md):
# make check's by default (200,000 frames, 100,000 requests: half a minute
# here); on the debug kernel of make check-debug, known by its kmemleak,
# 10^6 frames and 200,000 requests (about 29 and 8 minutes there). Set
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
	"./events_test"
	"./apps_test.sh"
	"./workq_test.sh"
	"./game_test.sh"
	"./wire_fuzz.sh"
	"./nl_fuzz.sh"
	"./module_test.sh --final"
)
if [ $# -gt 0 ]; then
	progs=()
	for p in "$@"; do
		progs+=("./${p#./}")
	done
fi

run_all() {
	local i=0 failed=0 p rc
	echo "KTAP version 1"
	echo "1..${#progs[@]}"
	for p in "${progs[@]}"; do
		i=$((i + 1))
		# shellcheck disable=SC2086
		timeout 1200 $p 2>&1 | sed -u 's/^/  /'
		rc=${PIPESTATUS[0]}
		if [ "$rc" -eq 0 ]; then
			echo "ok $i ${p#./}"
		else
			echo "not ok $i ${p#./} # exit status $rc"
			failed=1
		fi
	done
	return $failed
}

run_all | tee "$out/results.ktap"
exit "${PIPESTATUS[0]}"
