#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the libFuzzer targets of the pure core, JOBS at a time, and report as
# TAP: a line per target with its executions and coverage, then the total.
# Fails if any target fails: a crash, an assertion, a sanitizer report, a
# leak or a hang. The input that did it is kept under build/fuzz/crashes/.
#
# usage: fuzz.sh -t SECONDS | -r RUNS  [-j JOBS] [-s SEED] TARGET...
#   -t  fuzz each target for SECONDS (make fuzz), growing its corpus under
#       build/fuzz/corpus/TARGET across runs
#   -r  run each target for RUNS inputs from a fresh corpus and seed 1,
#       the same run every time (make check)
# The committed seeds in corpus/TARGET are read, never written.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$here/../../build/fuzz}
bin=$out/bin
jobs=$(nproc)
seconds=
runs=
seed=

while getopts "t:r:j:s:" o; do
	case $o in
	t) seconds=$OPTARG ;;
	r) runs=$OPTARG; seed=${seed:-1} ;;
	j) jobs=$OPTARG ;;
	s) seed=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ -z "$seconds$runs" ] || [ $# -eq 0 ]; then
	echo "usage: $0 -t SECONDS | -r RUNS [-j JOBS] [-s SEED] TARGET..." >&2
	exit 2
fi

mkdir -p "$out/logs" "$out/crashes"

# One target, to its log; libFuzzer's exit status is the verdict.
fuzz_one() {
	local t=$1 work args

	if [ -n "$runs" ]; then
		work=$out/check/$t
		rm -rf "$work"
		args=(-runs="$runs")
	else
		work=$out/corpus/$t
		args=(-max_total_time="$seconds")
	fi
	[ -n "$seed" ] && args+=(-seed="$seed")
	mkdir -p "$work"
	"$bin/fuzz_$t" "${args[@]}" -print_final_stats=1 -timeout=10 \
		-artifact_prefix="$out/crashes/$t-" \
		"$work" "$here/corpus/$t" >"$out/logs/$t.log" 2>&1
	echo $? >"$out/logs/$t.rc"
}

start=$SECONDS
for t in "$@"; do
	rm -f "$out/logs/$t.rc"
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	fuzz_one "$t" &
done
wait

echo "TAP version 13"
echo "1..$#"
i=0
failed=0
total=0
for t in "$@"; do
	i=$((i + 1))
	log=$out/logs/$t.log
	rc=$(cat "$out/logs/$t.rc" 2>/dev/null || echo 1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -n 1)
	total=$((total + ${execs:-0}))
	[ "${rate:-0}" -gt 0 ] && rate=", $rate/s" || rate=
	echo "# $t: ${execs:-?} executions$rate${cov:+, $cov}"
	if [ "$rc" -eq 0 ] && ! grep -q '^SUMMARY: ' "$log"; then
		echo "ok $i $t"
		continue
	fi
	failed=$((failed + 1))
	# The report and its stack down to the target, not libFuzzer's own.
	grep -E -A 12 '^==[0-9]+== ?ERROR|runtime error|^[^ ]+:[0-9]+: .*: ' \
		"$log" | grep -Ev 'fuzzer::|sanitizer_print|libc\.so|/nptl/|stdlib/' |
		head -n 20 | sed 's/^/# /'
	crash=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
	[ -n "$crash" ] && echo "# input kept: $crash" &&
		echo "# replay it: $bin/replay_$t $crash"
	echo "not ok $i $t # exit status $rc, log $log"
done
echo "# total: $total executions in $((SECONDS - start)) s, $failed failed"
[ "$failed" -eq 0 ]
