#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# game, the serverless multiplayer game, across network namespaces: four
# players on one Ethernet segment play an automatic game to the end and
# every one ends with the same board, having seen the same turns; the lobby
# lists every player from the membership view; chat lines reach the others.
# A player whose mesh is deleted mid-game is dropped by the others, who
# finish together; a player at a terminal moves and chats; bad input.
. "$(dirname "$0")/../../../selftests/lib.sh"
. "$(dirname "$0")/apps_lib.sh"

GAME=${GAME:-$top/tools/apps/game}
NAMES=(- alice bob carol dave)

# play N ARGS...: player N (named from NAMES) on mesh 1 channel 20 in nN,
# output in gN; pid in GPIDS[N].
play() {
	local n=$1
	shift
	spawn "n$n" "g$n" "$GAME" play 1 20 "${NAMES[n]}" "$@"
	GPIDS[n]=$PID
}

# typist N NAME ARGS...: player N as NAME, with no "auto": what the test
# writes to fd 3 is its typing, the end of its input when fd 3 is closed.
# (fd 3 opens the fifo for reading and writing, so that neither open
# waits for the other end.)
typist() {
	local n=$1
	shift
	rm -f "$DIR/in$n"
	mkfifo "$DIR/in$n"
	exec 3<> "$DIR/in$n"
	spawn "n$n" "g$n" "$GAME" play 1 20 "$@" < "$DIR/in$n"
	GPIDS[n]=$PID
}

# same WHAT PATTERN N...: the lines matching PATTERN are the same for
# every player N (and there are some).
same() {
	local what=$1 pattern=$2 first=$3 n
	shift 2
	grep -Eq -- "$pattern" "$DIR/g$first" || fail "g$first has no $what"
	for n; do
		eq "$(grep -E -- "$pattern" "$DIR/g$n")" "$(grep -E -- "$pattern" "$DIR/g$first")"
	done
}

# Four players play to the end: the same players, turns and board
# everywhere; each saw the full lobby and everybody else's hello.
test_four_players() {
	local n m lobby

	segment 1 2 3 4
	for n in 1 2 3 4; do
		play "$n" players 4 auto seed "$n" say "hello from ${NAMES[n]}"
	done
	for n in 1 2 3 4; do
		finished "${GPIDS[n]}"
	done
	lobby="^lobby: 4 nodes: $(hexid 1) alice, $(hexid 2) bob, $(hexid 3) carol, $(hexid 4) dave$"
	for n in 1 2 3 4; do
		printed "g$n" "^${NAMES[n]} on mesh 1 channel 20 \(chat 21\), node $(hexid "$n"), waiting for 4 players$"
		printed "g$n" "$lobby"
		printed "g$n" "^players: A alice $(hexid 1), B bob $(hexid 2), C carol $(hexid 3), D dave $(hexid 4)$"
		printed "g$n" "^game over after [0-9]+ turns: A alice [0-9]+, B bob [0-9]+, C carol [0-9]+, D dave [0-9]+; (winner|draw between)( [a-z]+)+$"
		printed "g$n" "^board [0-9a-f]{16}$"
		for m in 1 2 3 4; do
			[ "$m" = "$n" ] && continue
			printed "g$n" "^chat ${NAMES[m]}: hello from ${NAMES[m]}$"
		done
		printed "g$n" "^chat " 3
		eq "$(cat "$DIR/g$n.err")" ""
	done
	same turns "^turn [0-9]+: [A-H] " 1 2 3 4
	same "final board" "^(game over|board|   [a-h]+$| ?[0-9]+ [.A-D]+$)" 1 2 3 4
	# Every cell was claimed: the game ends when nobody can claim any.
	hasnt "$(grep -E '^ ?[0-9]+ [.A-D]+$' "$DIR/g1")" '\.'
	# The last turn is the one with no claim.
	has "$(grep '^turn ' "$DIR/g1" | tail -n 1)" "^turn [0-9]+:( [A-D] pass,?){4}$"
}

# Carol's mesh is deleted in the middle of the game: she says so and
# fails; the others see her leave, pass for her, and finish together.
test_player_leaves() {
	local n

	segment 1 2 3
	# A turn takes 300 ms or more: time to delete a mesh mid-game.
	for n in 1 2 3; do
		play "$n" players 3 auto seed "$n" delay 300
	done
	eventually 120 printed g3 "^turn 3:"
	ok at n3 "$PMESH" mesh del 1
	finished "${GPIDS[3]}" 1
	printed g3.err "^game: mesh 1 was deleted$"
	finished "${GPIDS[1]}"
	finished "${GPIDS[2]}"
	for n in 1 2; do
		printed "g$n" "^carol left the game: goodbye$"
		printed "g$n" "^board [0-9a-f]{16}$"
		eq "$(cat "$DIR/g$n.err")" ""
	done
	same turns "^turn [0-9]+: [A-H] " 1 2
	same "final board" "^(game over|board|   [a-h]+$| ?[0-9]+ [.A-C]+$)" 1 2
	# Carol passes once gone; her cells stay.
	has "$(grep '^turn ' "$DIR/g1" | tail -n 2 | head -n 1)" " C pass"
	has "$(cat "$DIR/g1")" "^game over after [0-9]+ turns: A alice [0-9]+, B bob [0-9]+, C carol [1-9][0-9]*;"
}

# Bob plays at a terminal (here a pipe): he passes in turn 1, chats, and
# when his input ends the game plays on for him.
test_typed_moves() {
	segment 1 2
	play 1 auto seed 1
	typist 2 bob
	eventually 60 printed g2 "^turn 1: your move \(a cell such as c4, or pass\)\?$"
	echo "z9" >&3
	echo "pass" >&3
	echo "good luck" >&3
	echo "/who" >&3
	eventually 60 printed g1 "^chat bob: good luck$"
	eventually 60 printed g2 "^lobby: 2 nodes: $(hexid 1) alice, $(hexid 2) bob$" 2
	exec 3>&-
	finished "${GPIDS[1]}"
	finished "${GPIDS[2]}"
	printed g2 "^\* input ended: playing on by myself$"
	has "$(grep '^turn 1:' "$DIR/g1")" " B pass"
	same turns "^turn [0-9]+: [A-H] " 1 2
	same "final board" "^board " 1 2
	# z9 is no cell of an 8 x 8 board: it was said on the chat.
	printed g1 "^chat bob: z9$"
}

# A player that gives up waiting in the lobby says so (BYE): the others
# no longer count it as ready, so no game starts with it gone.
test_lobby_timeout_says_bye() {
	segment 1 2
	play 2 players 3
	eventually 60 printed g2 "^bob on mesh 1"
	play 1 players 3 timeout 10
	eventually 60 printed g2 "^lobby: 2 nodes: $(hexid 1) alice, $(hexid 2) bob$"
	finished "${GPIDS[1]}" 1
	printed g1.err "^game: the lobby has not 3 players after 10 s$"
	left() {
		eq "$(grep '^lobby:' "$DIR/g2" | tail -n 1)" \
			"lobby: 2 nodes: $(hexid 1) -, $(hexid 2) bob"
	}
	eventually 30 left
	kill -TERM "${GPIDS[2]}"
	finished "${GPIDS[2]}"
	printed g2 "^bob left$"
}

test_bad_input() {
	local i

	ns a
	ok at a "$PMESH" mesh add 1 node 1
	nok at a "$GAME" play 9 20 zed
	eq "$ERR" "game: mesh 9 does not exist"
	for i in 0 65536; do
		nok at a "$GAME" play 1 $i zed
		eq "$ERR" "game: channel $i is not a channel (1..65535)"
	done
	nok at a "$GAME" play 1 twenty zed
	eq "$ERR" "game: channel \"twenty\" is not a number (1..65535)"
	nok at a "$GAME" play 1 65535 zed
	eq "$ERR" "game: channel 65535 has no next one for the chat: give chat CHANNEL"
	nok at a "$GAME" play 1 20 zed chat 20
	eq "$ERR" "game: the chat needs a channel of its own, not 20"
	nok at a "$GAME" play 1 20 "two words"
	eq "$ERR" "game: name \"two words\" is not 1 to 16 of A-Z a-z 0-9 _ . -"
	nok at a "$GAME" play 1 20
	eq "$ERR" "game: a mesh id, a channel and a name are needed; try \"game help\""
	nok at a "$GAME" play 1 20 zed players 1
	eq "$ERR" "game: players 1 is out of range (2..8)"
	nok at a "$GAME" play 1 20 zed size 27
	eq "$ERR" "game: size 27 is out of range (4..26)"
	nok at a "$GAME" play 1 20 zed turbo
	eq "$ERR" "game: unknown argument \"turbo\"; try \"game help\""
	nok at a "$GAME" chess 1 20 zed
	eq "$ERR" "game: unknown command \"chess\": play; try \"game help\""
	nok "$GAME"
	has "$ERR" "^Usage: game play"
	ok "$GAME" help
	# Nobody comes: the lobby gives up.
	nok at a "$GAME" play 1 20 zed timeout 1 < /dev/null
	eq "$ERR" "game: the lobby has not 2 players after 1 s"

	# What is not the game's on its channels: a warning each, and the
	# game goes on.
	segment 1 2 3
	play 1 auto seed 1 timeout 120
	eventually 60 printed g1 "^lobby: 3 nodes: $(hexid 1) alice, $(hexid 2) -, $(hexid 3) -$"
	ok at n2 "$PMESH" send 1 20 "$(printf 'garbage\001\377')"
	ok at n2 "$PMESH" send 1 20 "READY two words"
	ok at n2 "$PMESH" send 1 20 "MOVE 1 q99"
	ok at n2 "$PMESH" send 1 21 "SAY bob hello"
	ok at n2 "$PMESH" send 1 21 "$(printf 'SAY bob: \033[2J')"
	play 2 auto seed 2
	finished "${GPIDS[1]}"
	finished "${GPIDS[2]}"
	printed g1.err "^game: warning: ignored [0-9]+ bytes from node $(hexid 2) \(hops 1, seq [0-9]+\) on channel 20: not a game message$" 3
	printed g1.err "^game: warning: ignored [0-9]+ bytes from node $(hexid 2) \(hops 1, seq [0-9]+\) on channel 21: not a chat line$" 2
	same "final board" "^board " 1 2

	# A third player, when a game of two is on (held at turn 1, where
	# Bob's move is awaited), is told so.
	play 1 auto seed 1
	typist 2 bob
	eventually 60 printed g2 "^turn 1: your move"
	nok at n3 "$GAME" play 1 20 carol
	eq "$ERR" "game: a game is on without us on mesh 1 channel 20"
	exec 3>&-
	finished "${GPIDS[1]}"
	finished "${GPIDS[2]}"
}

run_tests
