#!/usr/bin/env bats
# Races: concurrent add/delete of the same names, several ups of the same
# lab, up and down racing at random offsets, concurrent downs, and the first
# shared mount of /run/netns made by several processes at once. 22-concurrency
# (adds) and 4x-topo (two ups, down while up holds the lock) cover the rest.
load helpers

setup() {
	PFX=$(make_prefix 6x)
	export PFX
}

teardown() {
	down_labs "$PFX"
	cleanup_prefix "$PFX"
}

# Lab $1 (a chain of $2 nodes) is whole: every namespace, and sampled
# middle nodes have both their addresses, up.
assert_whole_chain() {
	[ "$(ls /run/netns | grep -c "^$1-n")" -eq "$2" ]
	for _ in 1 2 3 4 5; do
		k=$((2 + RANDOM % ($2 - 2)))
		[ "$(ip -n "$1-n$k" -o -4 addr show up scope global | wc -l)" -eq 2 ]
	done
}

# No mount and no file of prefix $1 in /run/netns.
assert_no_names() {
	! ls -A /run/netns | grep -q "^$1"
	! grep -q " /run/netns/$1" /proc/self/mountinfo
}

@test "4 processes adding and deleting the same 20 names 50 times: only honest errors, no stray mount" {
	names=$(for i in $(seq 20); do printf '%sr%02d ' "$PFX" "$i"; done)
	for w in 1 2 3 4; do
		(
			for _ in $(seq 50); do
				for n in $names; do
					"$NETNS" add "$n" 2>>"$BATS_TEST_TMPDIR/err.$w" || true
					"$NETNS" delete "$n" 2>>"$BATS_TEST_TMPDIR/err.$w" || true
				done
			done
		) &
	done
	wait
	cat "$BATS_TEST_TMPDIR"/err.* | sed "s/$PFX"'r[0-9]*/NAME/g' | sort | uniq -c
	# Every failure is one of the two honest answers to losing a race.
	# A delete between another's create and bind makes that bind fail; a
	# bind between a delete's umount and unlink makes the unlink fail (EBUSY).
	run grep -vhE 'Cannot create namespace file "/run/netns/NAME": File exists|Cannot remove namespace file "/run/netns/NAME": (No such file or directory|Device or resource busy)|Bind /proc/thread-self/ns/net -> /run/netns/NAME failed: No such file or directory' \
		<(sed "s/$PFX"'r[0-9]*/NAME/g' "$BATS_TEST_TMPDIR"/err.*)
	[ -z "$output" ]
	for n in $names; do "$NETNS" delete "$n" 2>/dev/null || true; done
	assert_no_names "${PFX}r"
}

@test "a name deleted while another process enters it: exec fails cleanly or runs, nothing stays mounted" {
	for i in $(seq 30); do
		"$NETNS" add "${PFX}e"
		"$NETNS" exec "${PFX}e" true 2>/dev/null &
		"$NETNS" delete "${PFX}e"
		wait $! || true
	done
	assert_no_names "${PFX}e"
}

@test "four ups of the same lab at once: one builds it, the others fail cleanly, the lab is whole" {
	"$TESTS_DIR/../examples/chain" 100 "${PFX}s" --plain >"$BATS_TEST_TMPDIR/s.yaml"
	for w in 1 2 3 4; do
		"$NETNS" up "$BATS_TEST_TMPDIR/s.yaml" >"$BATS_TEST_TMPDIR/out.$w" 2>&1 &
	done
	wait || true
	cat "$BATS_TEST_TMPDIR"/out.*
	[ "$(cat "$BATS_TEST_TMPDIR"/out.* | grep -c "is up: ")" -eq 1 ]
	[ "$(cat "$BATS_TEST_TMPDIR"/out.* | grep -cE "is busy: another netns up or down|already up from")" -eq 3 ]
	[ "$(ls /run/netns | grep -c "^${PFX}s-")" -eq 100 ]
	# The journal names each namespace exactly once.
	[ "$(grep -c '^ns ' "/run/netns-labs/${PFX}s/journal")" -eq 100 ]
	assert_whole_chain "${PFX}s" 100
	"$NETNS" down "${PFX}s"
	assert_no_names "${PFX}s"
}

@test "up and down racing at random offsets: the lab ends whole or gone, never half" {
	"$TESTS_DIR/../examples/chain" 100 "${PFX}u" --plain >"$BATS_TEST_TMPDIR/u.yaml"
	for i in $(seq 10); do
		"$NETNS" up "$BATS_TEST_TMPDIR/u.yaml" >"$BATS_TEST_TMPDIR/up.out" 2>&1 &
		up=$!
		sleep "$(printf '0.%03d' $((RANDOM % 80)))"
		"$NETNS" down "${PFX}u" >"$BATS_TEST_TMPDIR/down.out" 2>&1 || true
		st=0
		wait "$up" || st=$?
		have=$(ls /run/netns | grep -c "^${PFX}u-" || true)
		echo "run $i: up $st ($(cat "$BATS_TEST_TMPDIR/up.out")), down: $(cat "$BATS_TEST_TMPDIR/down.out"), $have left"
		if [ "$st" -eq 0 ] && [ "$have" -eq 100 ]; then
			assert_whole_chain "${PFX}u" 100
		else
			[ "$have" -eq 0 ]
		fi
		"$NETNS" down "${PFX}u" >/dev/null
		assert_no_names "${PFX}u"
		[ ! -e "/run/netns-labs/${PFX}u" ]
	done
}

@test "two downs of the same lab at once: one removes it, the other is busy or finds nothing" {
	"$TESTS_DIR/../examples/chain" 200 "${PFX}w" --plain >"$BATS_TEST_TMPDIR/w.yaml"
	"$NETNS" up "$BATS_TEST_TMPDIR/w.yaml" >/dev/null
	"$NETNS" down "${PFX}w" >"$BATS_TEST_TMPDIR/1.out" 2>&1 &
	"$NETNS" down "${PFX}w" >"$BATS_TEST_TMPDIR/2.out" 2>&1 &
	wait || true
	cat "$BATS_TEST_TMPDIR"/[12].out
	[ "$(cat "$BATS_TEST_TMPDIR"/[12].out | grep -c "is down: 200 namespaces removed")" -eq 1 ]
	grep -Eq "is busy|is not up" "$BATS_TEST_TMPDIR"/[12].out
	assert_no_names "${PFX}w"
	[ ! -e "/run/netns-labs/${PFX}w" ]
}

@test "the first use of a fresh /run/netns by 8 processes at once mounts it exactly once" {
	run unshare --mount --propagation private bash -c '
		mount -t tmpfs t6run /run || exit 3
		for i in 1 2 3 4 5 6 7 8; do "$1" add "$2$i" & done
		wait
		grep -c " /run/netns .* - tmpfs t6run " /proc/self/mountinfo
		ls /run/netns | wc -l' _ "$NETNS" "${PFX}m"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" -eq 1 ] # one bind of /run/netns onto itself, not eight
	[ "${lines[1]}" -eq 8 ]
}
