#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check, after the build: the host-side checks, then every selftest in
# the test guest, then one summary line, "N passed, N failed". Fails if any
# test fails, the guest dies or times out, or the kernel logs a warning.
#
# With --debug DIR, the guest boots the debug kernel DIR/bzImage and loads
# DIR/pmesh.ko (scripts/debug-kernel.sh builds both; make check-debug): the
# same tests, under KASAN, lockdep, kmemleak and the rest, whose reports
# fail the run (selftests/guest/run.sh, run_tests.sh).
#
# PROGRAMS (program names, as run_tests.sh takes them) runs only those;
# PMESH_TESTS (test names of the shell programs), PMESH_FUZZ_FRAMES,
# PMESH_FUZZ_MSGS, PMESH_FUZZ_SEED, PMESH_OVERLAY_NODES and
# PMESH_SEGMENT_NODES reach the programs in the guest
# (Documentation/testing.md).
#
# Counting: every leaf result counts once (the tests inside each program),
# and a program that failed without a failing leaf (it crashed, or its plan
# went unfinished) counts as one failure more.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
out=$top/build/guest/out
# Every test program has 20 minutes (run_tests.sh); the whole run, 40.
guest_args=(-t 2400)
if [ "${1:-}" = "--debug" ]; then
	# run_tests.sh gives each program eight times as long there; the
	# whole suite, with the full fuzzer counts, takes hours.
	out=$top/build/guest/out-debug
	guest_args=(-t 28800 -k "$2/bzImage" -m "$2/pmesh.ko")
fi
host=$top/build/host.ktap
mkdir -p "$out"
rm -f "$out/results.ktap"

# Host-side checks, as KTAP in the guest's layout: a line per program, its
# own results indented beneath it.
genl_check() {
	echo "TAP version 13"
	echo "1..1"
	if scripts/genl.sh "$KSRC" --check >&2; then
		echo "ok 1 generated netlink code matches the YNL spec"
	else
		echo "not ok 1 generated netlink code matches the YNL spec (run make genl)"
		return 1
	fi
}

names_check() {
	echo "TAP version 13"
	echo "1..1"
	if scripts/pmnl-names.py --check >&2; then
		echo "ok 1 libpmesh's names tables match the YNL spec"
	else
		echo "not ok 1 libpmesh's names tables match the YNL spec (run make -C tools/lib names)"
		return 1
	fi
}

# Every fuzz target of the pure core, a short run that is the same each
# time: a parser regression fails here (selftests/fuzz, make fuzz for more).
fuzz_check() {
	make -s -j2 -C selftests/fuzz check
}

# The overlay's decisions over a thousand simulated nodes: exits non-zero
# if an invariant breaks (tools/sim/sim.c; make sim for 10,000).
sim_check() {
	tools/sim/sim -n 1000
}

host_progs() {
	local i=0 p rc
	echo "KTAP version 1"
	echo "1..5"
	for p in genl_check names_check selftests/core_test fuzz_check sim_check; do
		i=$((i + 1))
		$p 2>&1 | sed 's/^/  /'
		rc=${PIPESTATUS[0]}
		if [ "$rc" -eq 0 ]; then
			echo "ok $i ${p##*/}"
		else
			echo "not ok $i ${p##*/} # exit status $rc"
		fi
	done
}
host_progs | tee "$host"

# The guest runs a script by its path alone: what this run chose (the
# programs, the fuzzers' counts) goes in a script of its own.
script=selftests/run_tests.sh
if [ -n "${PROGRAMS:-}${PMESH_TESTS:-}${PMESH_FUZZ_FRAMES:-}${PMESH_FUZZ_MSGS:-}${PMESH_FUZZ_SEED:-}${PMESH_OVERLAY_NODES:-}${PMESH_SEGMENT_NODES:-}" ]; then
	script=$out/run.sh
	{
		echo "#!/bin/bash"
		for v in PMESH_TESTS PMESH_FUZZ_FRAMES PMESH_FUZZ_MSGS PMESH_FUZZ_SEED \
			PMESH_OVERLAY_NODES PMESH_SEGMENT_NODES; do
			[ -n "${!v:-}" ] && printf 'export %s=%q\n' "$v" "${!v}"
		done
		printf 'exec %q' "$top/selftests/run_tests.sh"
		# shellcheck disable=SC2086
		[ -n "${PROGRAMS:-}" ] && printf ' %q' ${PROGRAMS}
		echo
	} > "$script.tmp"
	chmod +x "$script.tmp"
	mv "$script.tmp" "$script"
fi
selftests/guest/run.sh "${guest_args[@]}" -o "$out" "$script"
guest=$?

# pass fail skip of a guest results file
count() {
	awk '
	/^  not ok / { fail++; leaf_failed++; next }
	/^  ok .*# SKIP/ { skip++; next }
	/^  ok / { pass++; next }
	/^not ok / { if (!leaf_failed) fail++ }
	/^(not )?ok / { leaf_failed = 0 }
	END { printf "%d %d %d\n", pass, fail, skip }
	' "$1"
}

read -r pass fail skip < <(count "$host")
if [ -f "$out/results.ktap" ]; then
	read -r p f s < <(count "$out/results.ktap")
	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + s))
fi

if [ ! -f "$out/results.ktap" ]; then
	echo "# the guest left no results"
	fail=$((fail + 1))
elif [ $guest -ne 0 ] && [ "$fail" -eq 0 ]; then
	echo "# the guest failed (status $guest) though every test passed: see above"
	fail=$((fail + 1))
fi

echo
line="$pass passed, $fail failed"
[ "$skip" -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ "$fail" -eq 0 ]
