#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo, in the test guest: a keyed mesh of five nodes (network
# namespaces) in a ring with a chord, over UDP (IPv4 and IPv6) and one
# Ethernet segment; a node with another key, refused;
# a ticker publisher and five subscribers; a short chat with a late joiner;
# a work queue whose worker on n6 dies mid-task; a game of three players;
# then the mesh's counters, membership and neighbours, and one summary
# line. Exits non-zero if anything did not arrive as it should.
#
#        n1 ---------udp--------- n2
#        | \                      |
#       udp  udp (the chord)     udp
#        |     \                  |
#        n5      `------------- n3 ---udp--- n6 (joins late)
#         \                     ||
#         udp6                 eth (a bridge)
#            \                  ||
#             `---------------- n4
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
export PATH=$top/tools/pmesh:$top/tools/apps:$PATH
P=demo-
DIR=$(mktemp -d)
QUOTES=100
RATE=20
TASKS=30
# Rounds of work a task: a few tenths of a second in the test guest.
COST=30000000
PIDS=()

cleanup() {
	local n
	[ ${#PIDS[@]} -gt 0 ] && kill "${PIDS[@]}" 2>/dev/null
	for n in sw 1 2 3 4 5 6; do
		ip netns del "$P$n" 2>/dev/null
	done
	rm -rf "$DIR"
}
trap cleanup EXIT

say() {
	printf '%s\n' "$*"
}

title() {
	printf '\n== %s\n' "$*"
}

die() {
	say "demo: FAILED: $*"
	exit 1
}

at() {
	local n=$1
	shift
	ip netns exec "$P$n" "$@"
}

# until SECS CMD...: wait for CMD to succeed, at most SECS seconds.
until_ok() {
	local end=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.2
	done
}

# shown FILE REGEX: FILE has a line matching REGEX.
shown() {
	grep -Eq -- "$2" "$1"
}

# freeze6: n6's worker stopped (SIGSTOP) in the middle of a task, its last
# line saying which; fails, leaving it running, if it is not in one.
freeze6() {
	kill -STOP "${workers[6]}"
	tail -n 1 "$DIR/w6" | grep -q '^run ' && return
	kill -CONT "${workers[6]}"
	return 1
}

# indent: the input, indented, for reading.
indent() {
	sed 's/^/    /'
}

if [ ! -d /sys/module/pmesh ]; then
	modprobe -q -a udp_tunnel ip6_udp_tunnel libchacha20poly1305 veth bridge
	insmod "$top/kmod/pmesh.ko" || die "cannot load kmod/pmesh.ko"
fi
modprobe -q -a veth bridge

# node N [KEYFILE]: namespace nN with mesh 1, node id N, keyed with the
# mesh's key (or KEYFILE).
node() {
	ip netns add "$P$1" && ip -n "$P$1" link set lo up &&
		at "$1" pmesh mesh add 1 node "$1" key "${2:-$KEY}" >/dev/null ||
		die "cannot create node n$1"
}

# udp A B NET [6]: a veth pair between nA and nB with UDP peers both ways,
# over IPv4 10.0.NET.0/24, or IPv6 fd00::NET:0/112 with "6".
udp() {
	local a=$1 b=$2 net=$3 v6=${4:-} x y
	ip link add "to$b" netns "$P$a" type veth peer name "to$a" netns "$P$b" ||
		die "veth n$a-n$b"
	if [ -n "$v6" ]; then
		x=fd00::$net:1 y=fd00::$net:2
		ip -n "$P$a" addr add "$x/112" dev "to$b" nodad
		ip -n "$P$b" addr add "$y/112" dev "to$a" nodad
	else
		x=10.0.$net.1 y=10.0.$net.2
		ip -n "$P$a" addr add "$x/24" dev "to$b"
		ip -n "$P$b" addr add "$y/24" dev "to$a"
	fi
	ip -n "$P$a" link set "to$b" up
	ip -n "$P$b" link set "to$a" up
	at "$a" pmesh peer add 1 "$y" 7788 && at "$b" pmesh peer add 1 "$x" 7788 ||
		die "peers n$a-n$b"
}

# eth N...: an Ethernet segment, a bridge in namespace sw, with nodes N on it.
eth() {
	local n
	ip netns add "${P}sw" && ip -n "${P}sw" link add br0 type bridge &&
		ip -n "${P}sw" link set br0 up || die "cannot create the bridge"
	for n; do
		ip link add e0 netns "$P$n" type veth peer name "p$n" netns "${P}sw" &&
			ip -n "${P}sw" link set "p$n" master br0 up &&
			ip -n "$P$n" link set e0 up &&
			at "$n" pmesh link add 1 dev e0 || die "cannot put n$n on the segment"
	done
}

# members N: how many nodes nN's membership table of mesh 1 has.
members() {
	at "$1" pmesh node show 1 | grep -c " node "
}

all_know() {
	local n
	for n in "$@"; do
		[ "$(members "$n")" -eq $# ] || return 1
	done
}

# spawn N OUT CMD...: CMD in nN in the background, its input from $IN
# (/dev/null if unset), its output in $DIR/OUT; not given the descriptors
# the chats' input is written with, so that closing them ends that input.
spawn() {
	local n=$1 out=$2
	shift 2
	ip netns exec "$P$n" "$@" < "${IN:-/dev/null}" > "$DIR/$out" 2>&1 \
		3>&- 4>&- 5>&- &
	PID=$!
	PIDS+=("$PID")
}

title "pmesh demo: a keyed mesh of six nodes, each a network namespace"
cat <<'EOF' | indent
n1 --udp-- n2 --udp-- n3 ==ethernet== n4 --udp6-- n5 --udp-- n1   (a ring)
n1 --udp-- n3                                                     (a chord)
n6 --udp-- n3                (a node that joins late, leaves, comes back)
n7 --udp-- n1                (a node with another key: refused)
EOF

start=$SECONDS
# One key for the mesh: every frame sealed with it.
KEY=$DIR/mesh.key
pmesh genkey > "$KEY" || die "pmesh genkey"
for n in 1 2 3 4 5; do node $n; done
udp 1 2 1
udp 2 3 2
eth 3 4
udp 4 5 4 6
udp 5 1 5
udp 1 3 6
built=$SECONDS
until_ok 120 all_know 1 2 3 4 5 || die "the five nodes did not all learn of each other"
say "    built in $((built - start)) s; every node knew the other four $((SECONDS - built)) s later"
say "    keyed: $(at 1 pmesh mesh show 1 | head -n 1 | sed 's/.* key /key /') on every node (pmesh mesh show 1)"

# A node with another key: n1 counts its frames as auth-fail, it never
# becomes a neighbour or a member.
title "n7, with another key, on a UDP link to n1: refused"
pmesh genkey > "$DIR/other.key" || die "pmesh genkey"
node 7 "$DIR/other.key"
udp 1 7 8
refused() {
	at 1 pmesh -j neigh show 1 | python3 -c '
import json, sys
n = [x for x in json.load(sys.stdin) if x.get("address") == "10.0.8.2"]
sys.exit(0 if n and n[0]["auth_fail"] >= 3 and n[0]["state"] == "down" else 1)'
}
until_ok 30 refused || die "n7 was not refused"
at 1 pmesh neigh show 1 | grep -A1 "10.0.8.2" | indent
say "    n1 knows $(members 1) nodes: n7 is not one of them"
wrong=$(at 1 pmesh -j mesh show 1 | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["stats"]["auth_fail"])')
[ "$(members 1)" -eq 5 ] || die "n7 got into the mesh"
at 1 pmesh peer del 1 10.0.8.2 7788 && ip netns del "${P}7" || die "cannot remove n7"

# The ticker.
title "ticker: n1 publishes $QUOTES quotes on channel 100, $RATE a second; every node subscribes"
for n in 1 2 3 4 5; do
	spawn $n sub$n ticker sub 1 100 count $QUOTES timeout 120
	subs[n]=$PID
done
for n in 1 2 3 4 5; do
	until_ok 60 shown "$DIR/sub$n" "^subscribed" || die "subscriber n$n did not start"
done
at 1 ticker pub 1 100 rate $RATE count $QUOTES quiet | indent ||
	die "the publisher failed"
bad=0
for n in 1 2 3 4 5; do
	wait "${subs[n]}" || bad=$((bad + 1))
done
say "    what n4 printed first (two hops from n1 either way round):"
grep "^quote" "$DIR/sub4" | head -3 | indent | indent
say
printf '    %-5s %-9s %-5s %-5s %-11s %-5s %s\n' node received lost gaps duplicates hops "latency ms min/avg/max"
for n in 1 2 3 4 5; do
	line=$(grep "^summary:" "$DIR/sub$n")
	[[ $line =~ received\ ([0-9]+).*lost\ ([0-9]+),\ gaps\ ([0-9]+),\ duplicates\ ([0-9]+).*hops\ ([0-9.]+),\ latency\ ms\ min\ ([0-9.]+)\ avg\ ([0-9.]+)\ max\ ([0-9.]+) ]] ||
		die "n$n's subscriber printed no summary: $(cat "$DIR/sub$n")"
	printf '    %-5s %-9s %-5s %-5s %-11s %-5s %s/%s/%s\n' "n$n" "${BASH_REMATCH[1]}" \
		"${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}" "${BASH_REMATCH[4]}" \
		"${BASH_REMATCH[5]}" "${BASH_REMATCH[6]}" "${BASH_REMATCH[7]}" \
		"${BASH_REMATCH[8]}"
	got[n]=${BASH_REMATCH[1]}
	dups[n]=${BASH_REMATCH[4]}
	lost[n]=${BASH_REMATCH[2]}
done
say "    (hops 0 at n1: its own quotes, delivered locally)"

# The chat.
title "chat on channel 7: alice on n2 and bob on n5 talk; n6 joins, carol on it gets the history"
# chat_start N NICK: chat as NICK in nN, its input the pipe $DIR/NICK.in,
# which the caller opens next.
chat_start() {
	mkfifo "$DIR/$2.in"
	IN=$DIR/$2.in spawn "$1" "$2" chat 1 7 "$2"
	chat[${#chat[@]}]=$PID
}
chat=()
chat_start 2 alice
exec 3> "$DIR/alice.in"
chat_start 5 bob
exec 4> "$DIR/bob.in"
until_ok 60 shown "$DIR/alice" "^\* (no history|end of history)" &&
	until_ok 60 shown "$DIR/bob" "^\* (no history|end of history)" ||
	die "the chats did not start"
echo "anyone trading ACME today?" >&3
until_ok 60 shown "$DIR/bob" "^alice: anyone" || die "bob did not hear alice"
echo "watching it; n1's feed shows it at every node" >&4
until_ok 60 shown "$DIR/alice" "^bob: watching" || die "alice did not hear bob"
echo "same here, no gaps" >&3
until_ok 60 shown "$DIR/bob" "^alice: same here" || die "bob did not hear alice"

node 6
udp 6 3 7
until_ok 60 shown "$DIR/alice" "^\* node 0000000000000006 joined" ||
	die "alice did not see n6 join"
chat_start 6 carol
exec 5> "$DIR/carol.in"
until_ok 60 shown "$DIR/carol" "^\* (no history|end of history)" || die "carol got no history"
echo "hello, just joined" >&5
until_ok 60 shown "$DIR/alice" "^carol: hello" && until_ok 60 shown "$DIR/bob" "^carol: hello" ||
	die "carol was not heard"
echo "/quit" >&5
at 6 pmesh mesh del 1
until_ok 60 shown "$DIR/bob" "^\* node 0000000000000006 .*left" || die "bob did not see n6 leave"
exec 3>&- 4>&- 5>&-
wait "${chat[@]}"
for nick in alice bob carol; do
	say "    -- $nick's screen --"
	indent < "$DIR/$nick" | indent
done
history=$(grep -c '^\[history\]' "$DIR/carol")

# The work queue.
title "workq on channel 9: workers on n2..n6, n1 submits $TASKS tasks; n6 dies in the middle of one"
at 6 pmesh mesh add 1 node 6 key "$KEY" >/dev/null &&
	at 6 pmesh peer add 1 10.0.7.2 7788 ||
	die "n6 cannot rejoin"
until_ok 60 all_know 1 2 3 4 5 6 || die "n6 did not rejoin"
for n in 2 3 4 5 6; do
	spawn $n w$n workq run 1 9
	workers[n]=$PID
done
for n in 2 3 4 5 6; do
	until_ok 60 shown "$DIR/w$n" "^workers: 5:" || die "worker n$n did not hear the others"
done
seq -f 'task-%g' $TASKS > "$DIR/tasks"
IN=$DIR/tasks spawn 1 sub workq submit 1 9 cost $COST wait 120
submit=$PID
# n6's worker is killed in the middle of a task (the rule gives it one in
# five; with 30 tasks it has none once in a thousand runs), and its
# namespace deleted: its mesh says goodbye, the others take over.
until_ok 60 freeze6 || die "n6's worker was given no task"
victim=$(grep '^run ' "$DIR/w6" | tail -n 1 | cut -d' ' -f3)
kill -KILL "${workers[6]}"
wait "${workers[6]}" 2>/dev/null
ip netns del "${P}6"
wait "$submit"
qstatus=$?
for n in 2 3 4 5; do
	kill -TERM "${workers[n]}"
done
for n in 2 3 4 5; do
	wait "${workers[n]}"
done
say "    n1 (submit, no worker of its own):"
grep -E "^(submitted|summary)" "$DIR/sub" | indent | indent
grep -E "^task " "$DIR/sub" | head -4 | indent | indent
say "        ..."
say "    n6 ran $(grep -c '^done ' "$DIR/w6") tasks, was killed running task $victim, which n1 got as:"
grep "^task $victim " "$DIR/sub" | indent | indent
# (Frozen between sending a result and printing "done", it reported it.)
taken=0
grep -q "^task $victim ok .* by 000000000000000[2-5]$" "$DIR/sub" && taken=1
[ $taken -eq 1 ] || say "    (n6 had sent that result just before it was frozen)"
printf '    %-5s %s\n' node "worker's summary (ran = tasks run to the end)"
for n in 2 3 4 5; do
	printf '    %-5s %s\n' "n$n" "$(grep '^summary:' "$DIR/w$n")"
	say "          $(grep -c "^worker 0000000000000006 left: goodbye" "$DIR/w$n") goodbye from n6 heard"
done
qline=$(grep '^summary:' "$DIR/sub")

# The game.
title "game on channel 20 (chat 21): alice on n2, bob on n4, carol on n5 play \"claim\" on a 6 x 6 board"
names=([2]=alice [4]=bob [5]=carol)
for n in 2 4 5; do
	name=${names[n]}
	spawn $n g$n game play 1 20 "$name" players 3 size 6 auto seed $n say "good luck from $name"
	games[n]=$PID
done
gstatus=0
for n in 2 4 5; do
	wait "${games[n]}" || gstatus=1
done
say "    -- alice's screen --"
indent < "$DIR/g2" | indent
for n in 4 5; do
	say "    -- ${names[n]}'s screen ends --"
	tail -n 2 "$DIR/g$n" | indent | indent
done
boards=$(grep -h '^board ' "$DIR/g2" "$DIR/g4" "$DIR/g5" | sort -u | wc -l)
[ "$boards" -eq 1 ] || gstatus=1

title "mesh counters (pmesh mesh show 1)"
for n in 1 2 3 4 5; do
	say "    n$n:"
	at $n pmesh mesh show 1 | indent | indent
done

title "membership and neighbours seen from n3 (pmesh node show 1, pmesh neigh show 1)"
at 3 pmesh node show 1 | indent
at 3 pmesh neigh show 1 | indent

summary="a keyed mesh; n7 with another key refused ($wrong frames auth-fail at n1);"
summary="$summary 5 subscribers"
ok=1
for n in 1 2 3 4 5; do
	[ "${got[n]}" -eq $QUOTES ] && [ "${dups[n]}" -eq 0 ] && [ "${lost[n]}" -eq 0 ] || ok=0
done
[ $bad -eq 0 ] || ok=0
[ "$history" -eq 3 ] || ok=0
summary="$summary got ${got[1]}, ${got[2]}, ${got[3]}, ${got[4]}, ${got[5]} of $QUOTES quotes"
summary="$summary ($(( lost[1] + lost[2] + lost[3] + lost[4] + lost[5] )) lost,"
summary="$summary $(( dups[1] + dups[2] + dups[3] + dups[4] + dups[5] )) duplicates);"
summary="$summary the late chatter got $history of 3 lines of history;"
# Each task's result came once, from one worker: none was lost with n6
# and none was run twice.
[[ $qline =~ tasks\ $TASKS,\ complete\ $TASKS,\ results\ $TASKS,\ duplicates\ 0,\ inconsistent\ 0,\ missing\ 0$ ]] ||
	qstatus=1
[ $qstatus -eq 0 ] || ok=0
if [ $qstatus -eq 0 ]; then
	summary="$summary $TASKS tasks done once each"
	[ $taken -eq 1 ] && summary="$summary, n6's last one by another node"
	summary="$summary;"
else
	summary="$summary workq went wrong ($qline);"
fi
if [ $gstatus -eq 0 ]; then
	summary="$summary 3 players ended on the same board"
else
	summary="$summary the game went wrong ($boards final boards)"
fi
summary="$summary; in $((SECONDS - start)) s"
echo
if [ $ok -eq 1 ]; then
	say "demo: OK: $summary"
else
	say "demo: FAILED: $summary"
	exit 1
fi
