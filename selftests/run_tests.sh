#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every pmesh selftest, in the test guest, as KTAP: one line per test
# program, each program's own KTAP indented beneath it. The results are also
# written to $PMESH_OUT/results.ktap for the host to count.
#
# The example programs' tests live beside the programs, in $apps; a
# program is named by its file name wherever it lives.
#
# usage: run_tests.sh [PROGRAM...]   (default: every program, in order)
cd "$(dirname "$0")" || exit 1
out=${PMESH_OUT:-/run}
apps=../tools/apps/tests

progs=(
	"./module_test.sh"
	"./socket_test"
	"./netlink_test"
	"./datapath_test"
	"./tool_test.sh"
	"./flood_test.sh"
	"./link_test.sh"
	"./events_test"
	"$apps/apps_test.sh"
	"$apps/workq_test.sh"
	"$apps/game_test.sh"
	"./module_test.sh --final"
)
if [ $# -gt 0 ]; then
	progs=()
	for p in "$@"; do
		p=${p#./}
		if [ -e "$apps/${p%% *}" ]; then
			progs+=("$apps/$p")
		else
			progs+=("./$p")
		fi
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
			echo "ok $i ${p##*/}"
		else
			echo "not ok $i ${p##*/} # exit status $rc"
			failed=1
		fi
	done
	return $failed
}

run_all | tee "$out/results.ktap"
exit "${PIPESTATUS[0]}"
