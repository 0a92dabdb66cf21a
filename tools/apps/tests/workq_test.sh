#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# workq, the compute cluster with no server, across network namespaces:
# four workers and a submitter (a node with no worker) on one Ethernet
# segment. A worker is killed in the middle of a task, by deleting its
# namespace or its mesh; every task must still complete exactly once (or
# k times, with the same value). Also: a faulty worker caught by k, tasks
# given before any worker runs, and bad input.
#
# "Exactly once", as asserted: the submitter receives, for every task,
# results from exactly k distinct workers, and no more (duplicates 0); the
# workers between them ran exactly tasks * k runs to the end (the "done"
# lines of all of them, the killed one's included), so no task was computed
# twice; every result the killed worker reported before it died stands,
# attributed to it; the task it was running when killed was completed by
# another worker; and the values agree with "workq calc".
. "$(dirname "$0")/../../../selftests/lib.sh"
. "$(dirname "$0")/apps_lib.sh"

WORKQ=${WORKQ:-$top/tools/apps/workq}
TASKS=${WORKQ_TASKS:-40}
# Rounds of work per task: half a second of the test guest's CPU, so that
# a worker spends most of its time in the middle of a task.
COST=${WORKQ_COST:-100000000}

# workers N...: a worker on mesh 1 channel 9 in each nN, output in wN;
# returns when each has heard all the others.
workers() {
	local n
	WPIDS=()
	for n; do
		spawn "n$n" "w$n" "$WORKQ" run 1 9
		WPIDS[n]=$PID
	done
	for n; do
		eventually 60 printed "w$n" "^workers: $#:"
	done
}

# busy N: worker N has reported a task and is in the middle of another.
# Bash alone, no program: this is looked at while the worker is frozen.
busy() {
	local line last="" done=""
	while IFS= read -r line; do
		[[ $line == "done "* ]] && done=1
		last=$line
	done < "$DIR/w$1"
	[ -n "$done" ] && [[ $last == "run "* ]]
}

# freeze_mid_task N: wait until worker N is busy and freeze it there
# (SIGSTOP), so that what the test does next happens in the middle of a
# task, however slow the machine. (It could be frozen between sending a
# result and printing "done": a window of two system calls in a task of
# half a second.)
freeze_mid_task() {
	local pid=${WPIDS[$1]} end=$((SECONDS + 300))
	while :; do
		kill -STOP "$pid"
		busy "$1" && return
		kill -CONT "$pid"
		[ $SECONDS -lt $end ] || fail "worker $1 was never in the middle of a task"
		sleep 0.2
	done
}

# stop_worker N: SIGTERM to worker N, which must end well, having seen
# TASKS complete tasks and no duplicate and no disagreement.
stop_worker() {
	kill -TERM "${WPIDS[$1]}"
	finished "${WPIDS[$1]}"
	printed "w$1" "^summary: ran [0-9]+, dropped 0, tasks $TASKS, complete $TASKS, duplicates 0, inconsistent 0$"
	eq "$(cat "$DIR/w$1.err")" ""
}

# runs N: how many tasks worker N ran to the end.
runs() {
	grep -c '^done ' "$DIR/w$1"
}

# check_victim N: the tasks worker N reported are its in the submitter's
# list; the one it was running when it was killed was done by another.
check_victim() {
	local task value last
	# (A here-string: the test guest has no /dev/fd for "< <(...)".)
	while read -r _ _ task value _; do
		printed sub "^task $task ok $value by .*$(hexid "$1")"
	done <<<"$(grep '^done ' "$DIR/w$1")"
	last=$(grep -E '^(run|done) ' "$DIR/w$1" | tail -n 1)
	[[ $last =~ ^run\ [0-9a-f]{16}\ ([0-9]+)$ ]] || fail "w$1 was not running a task: $last"
	task=${BASH_REMATCH[1]}
	last=$(grep "^task $task " "$DIR/sub")
	hasnt "$last" "$(hexid "$1")"
	# Done by others, and right: "workq calc" gives the same value.
	has "$last" "^task $task ok $("$WORKQ" calc "$COST" "task-$task") by"
}

# k = 1: worker 4 is killed with SIGKILL in the middle of a task and its
# namespace deleted (its mesh says goodbye); the others take over.
test_failover_namespace_deleted() {
	local sub n total=0

	segment 1 2 3 4 5
	workers 1 2 3 4
	seq -f 'task-%g' "$TASKS" > "$DIR/tasks"
	spawn n5 sub "$WORKQ" submit 1 9 cost "$COST" wait 300 < "$DIR/tasks"
	sub=$PID
	freeze_mid_task 4
	kill -KILL "${WPIDS[4]}"
	wait "${WPIDS[4]}" 2>/dev/null	# quietly: bash would say "Killed"
	ip netns del "${NS_PREFIX}n4"
	finished "$sub"
	printed sub "^submitted $TASKS tasks as job [0-9a-f]{16} \(k 1, cost $COST\)$"
	printed sub "^summary: job [0-9a-f]{16}: tasks $TASKS, complete $TASKS, results $TASKS, duplicates 0, inconsistent 0, missing 0$"
	printed sub "^task [0-9]+ ok [0-9a-f]{16} by [0-9a-f]{16}$" "$TASKS"
	eq "$(cat "$DIR/sub.err")" ""
	check_victim 4
	for n in 1 2 3; do
		printed "w$n" "^worker $(hexid 4) left: goodbye$"
		eq "$(grep '^workers:' "$DIR/w$n" | tail -n 1)" \
			"workers: 3: $(hexid 1) $(hexid 2) $(hexid 3)"
	done
	for n in 1 2 3; do
		stop_worker "$n"
	done
	for n in 1 2 3 4; do
		total=$((total + $(runs "$n")))
	done
	eq "$total" "$TASKS"
}

# k = 2: worker 3's mesh is deleted in the middle of a task; it says so and
# fails; every task still gets two results, from two workers, that agree.
test_failover_k2_mesh_deleted() {
	local sub n total=0

	segment 1 2 3 4 5
	workers 1 2 3 4
	seq -f 'task-%g' "$TASKS" > "$DIR/tasks"
	spawn n5 sub "$WORKQ" submit 1 9 k 2 cost "$COST" wait 300 < "$DIR/tasks"
	sub=$PID
	freeze_mid_task 3
	ok at n3 "$PMESH" mesh del 1
	kill -CONT "${WPIDS[3]}"
	finished "${WPIDS[3]}" 1
	printed w3.err "^workq: mesh 1 was deleted$"
	finished "$sub"
	printed sub "^summary: job [0-9a-f]{16}: tasks $TASKS, complete $TASKS, results $((2 * TASKS)), duplicates 0, inconsistent 0, missing 0$"
	printed sub "^task [0-9]+ ok [0-9a-f]{16} by ([0-9a-f]{16}) ([0-9a-f]{16})$" "$TASKS"
	hasnt "$(cat "$DIR/sub")" " by ([0-9a-f]{16}) \1$"
	check_victim 3
	for n in 1 2 4; do
		printed "w$n" "^worker $(hexid 3) left: goodbye$"
		stop_worker "$n"
	done
	for n in 1 2 3 4; do
		total=$((total + $(runs "$n")))
	done
	eq "$total" $((2 * TASKS))
	# The same work gives the same values, whoever runs it.
	has "$(cat "$DIR/sub")" "^task 1 ok $("$WORKQ" calc "$COST" task-1) by"
}

# k = 3 on three workers, one of which reports wrong values: every task is
# found inconsistent, and the submitter fails.
test_faulty_worker_caught() {
	local n

	segment 1 2 3
	spawn n1 w1 "$WORKQ" run 1 9
	WPIDS[1]=$PID
	spawn n2 w2 "$WORKQ" run 1 9
	WPIDS[2]=$PID
	spawn n3 w3 "$WORKQ" run 1 9 faulty
	WPIDS[3]=$PID
	for n in 1 2 3; do
		eventually 60 printed "w$n" "^workers: 3:"
	done
	nok at n1 "$WORKQ" submit 1 9 k 3 cost 1000 wait 300 a b c d
	has "$OUT" "^summary: job [0-9a-f]{16}: tasks 4, complete 4, results 12, duplicates 0, inconsistent 4, missing 0$"
	eq "$(grep -Ec "^task [1-4] inconsistent( [0-9a-f]{16}=[0-9a-f]{16}){3}$" <<<"$OUT")" 4
	eq "$ERR" "workq: 4 tasks have results that differ"
}

# Tasks given before any worker runs wait in the submitter, which gives
# them to the first worker that says hello; a second worker on a node
# that has one is refused.
test_tasks_before_workers() {
	local sub

	segment 1 2
	spawn n1 sub "$WORKQ" submit 1 9 cost 1000 wait 300 one two three
	sub=$PID
	eventually 60 printed sub "^submitted 3 tasks"
	spawn n2 w2 "$WORKQ" run 1 9
	WPIDS[2]=$PID
	finished "$sub"
	printed sub "^summary: job [0-9a-f]{16}: tasks 3, complete 3, results 3, duplicates 0, inconsistent 0, missing 0$"
	printed sub "^task [123] ok [0-9a-f]{16} by $(hexid 2)$" 3
	printed w2 "^done " 3
	nok at n2 "$WORKQ" run 1 9
	has "$ERR" "^workq: a worker runs on node $(hexid 2) already: one worker per node$"
	TASKS=3
	stop_worker 2
}

# Duplicates and disagreements are reported, not hidden: results forged
# with "pmesh send" for a job no worker runs, two for task 1 (the same
# value), one for task 2.
test_duplicates_reported() {
	local job

	segment 1 2
	spawn n1 sub "$WORKQ" submit 1 9 wait 120 one two
	eventually 60 printed sub "^submitted 2 tasks as job [0-9a-f]{16} \(k 1, cost 1000000\)$"
	job=$(sed -n 's/^submitted 2 tasks as job \([0-9a-f]*\) .*/\1/p' "$DIR/sub")
	ok at n2 "$PMESH" send 1 9 "RESULT $job 1 0000000000000098 00000000000000aa"
	ok at n2 "$PMESH" send 1 9 "RESULT $job 1 0000000000000099 00000000000000aa"
	ok at n2 "$PMESH" send 1 9 "RESULT $job 2 0000000000000099 00000000000000bb"
	finished "$PID"
	printed sub "^task 1 duplicate 00000000000000aa by 0000000000000098 0000000000000099$"
	printed sub "^task 2 ok 00000000000000bb by 0000000000000099$"
	printed sub "^summary: job $job: tasks 2, complete 2, results 3, duplicates 1, inconsistent 0, missing 0$"
}

# Results for 4200 tasks no one submitted do not fill a worker's table
# (4096 tasks) for good: they make room for a real task, which runs.
test_forged_results_make_room() {
	local i

	segment 1 2
	spawn n1 w1 "$WORKQ" run 1 9 quiet
	WPIDS[1]=$PID
	eventually 60 printed w1 "^worker on mesh 1"
	for i in $(seq 1 4200); do
		printf 'RESULT %016x 1 0000000000000009 0000000000000001\n' "$i"
	done > "$DIR/forged"
	send_in_bursts n2 1 9 "$DIR/forged"
	ok at n1 "$PMESH" mesh show 1
	has "$OUT" " sock-overflow 0 "
	ok at n2 "$WORKQ" submit 1 9 cost 1000 wait 120 real
	has "$OUT" "^task 1 ok [0-9a-f]{16} by $(hexid 1)$"
	kill -TERM "$PID"
	finished "$PID"
	eq "$(cat "$DIR/w1.err")" ""
}

# A burst of HELLOs (a node sending them on purpose, or many workers
# starting at once) costs the submitter one resend of its tasks now and
# one when a second is up, not one each: it sends 3 tasks, then 3 more
# once or twice, not 50 times.
test_hello_burst_is_answered_once() {
	local sub sent

	segment 1 2
	spawn n1 sub "$WORKQ" submit 1 9 cost 1000 wait 300 one two three
	sub=$PID
	eventually 60 printed sub "^submitted 3 tasks"
	seq -f 'HELLO %016g' 50 > "$DIR/hellos"
	ok at n2 "$PMESH" send 1 9 < "$DIR/hellos"
	sleep 2
	sent=$(stat 1 sent)
	# (A third resend if the HELLOs took over a second to send.)
	[ "$sent" -ge 6 ] && [ "$sent" -le 12 ] ||
		fail "the submitter sent $sent datagrams for 3 tasks and 50 HELLOs"
	# And the tasks still reach a worker that says hello.
	spawn n2 w2 "$WORKQ" run 1 9
	finished "$sub"
	printed sub "^summary: job [0-9a-f]{16}: tasks 3, complete 3, results 3, duplicates 0, inconsistent 0, missing 0$"
	kill -TERM "$PID"
	finished "$PID"
}

test_bad_input() {
	local i

	ns a
	ok at a "$PMESH" mesh add 1 node 1
	nok at a "$WORKQ" run 9 9
	eq "$ERR" "workq: mesh 9 does not exist"
	nok at a "$WORKQ" submit 9 9 x
	eq "$ERR" "workq: mesh 9 does not exist"
	for i in 0 65536; do
		nok at a "$WORKQ" run 1 $i
		eq "$ERR" "workq: channel $i is not a channel (1..65535)"
		nok at a "$WORKQ" submit 1 $i x
		eq "$ERR" "workq: channel $i is not a channel (1..65535)"
	done
	nok at a "$WORKQ" run 1 nine
	eq "$ERR" "workq: channel \"nine\" is not a number (1..65535)"
	nok at a "$WORKQ" run x 9
	eq "$ERR" "workq: mesh id \"x\" is not a number (1..4294967295)"
	nok at a "$WORKQ" run 1
	eq "$ERR" "workq: a mesh id and a channel are needed; try \"workq help\""
	nok at a "$WORKQ" run 1 9 fast
	eq "$ERR" "workq: unknown argument \"fast\"; try \"workq help\""
	nok at a "$WORKQ" submit 1 9 k 9 x
	eq "$ERR" "workq: k 9 is out of range (1..8)"
	nok at a "$WORKQ" submit 1 9 cost 0 x
	eq "$ERR" "workq: cost 0 is out of range (1..100000000000)"
	nok at a "$WORKQ" submit 1 9 wait
	eq "$ERR" "workq: wait needs a value"
	nok at a "$WORKQ" submit 1 9 "$(printf 'a\tb')"
	has "$ERR" "^workq: task \"a.b\" is not 1 to 200 printable characters$"
	nok at a "$WORKQ" submit 1 9 < /dev/null
	eq "$ERR" "workq: no tasks: give them as arguments or lines of standard input"
	nok at a "$WORKQ" calc 10
	has "$ERR" "^workq: a cost and an input are needed"
	nok at a "$WORKQ" sweep 1 9
	eq "$ERR" "workq: unknown command \"sweep\": run, submit or calc; try \"workq help\""
	nok "$WORKQ"
	has "$ERR" "^Usage: workq run"
	ok "$WORKQ" help
	has "$OUT" "^Usage: workq run"
	ok "$WORKQ" calc 1000 task-1
	has "$OUT" "^[0-9a-f]{16}$"

	# What is not a workq message on the channel: a warning each, and the
	# worker goes on to run the next job.
	spawn a w "$WORKQ" run 1 9
	WPIDS[1]=$PID
	eventually 60 printed w "^workers: 1: $(hexid 1)$"
	ok at a "$PMESH" send 1 9 "$(printf 'garbage\001\377')"
	ok at a "$PMESH" send 1 9 "TASK 00000000000000aa 1 9 100 k is 9"
	ok at a "$PMESH" send 1 9 "TASK 00000000000000aa 1 1 100 "
	ok at a "$PMESH" send 1 9 "RESULT 00000000000000aa 1 0000000000000002"
	ok at a "$PMESH" send 1 9 "HELLO"
	ok at a "$PMESH" send 1 9 "BYE 12 extra"
	ok at a "$WORKQ" submit 1 9 cost 1000 wait 120 fine
	has "$OUT" "^task 1 ok [0-9a-f]{16} by $(hexid 1)$"
	printed w.err "^workq: warning: ignored [0-9]+ bytes from node $(hexid 1) \(hops 0, seq [0-9]+\) on channel 9: not a workq message$" 6
	kill -TERM "$PID"
	finished "$PID"
	printed w "^summary: ran 1, dropped 0, tasks 1, complete 1, duplicates 0, inconsistent 0$"
}

run_tests
