#!/usr/bin/env bats
# Races and repetition: two writers on the same names, and many add/delete
# cycles in one process, leave /run/netns, the mount table and fds exact.
load helpers
bats_require_minimum_version 1.5.0

setup() { PFX=$(make_prefix 2x); }
teardown() { cleanup_prefix "$PFX"; }

names() { for i in $(seq "$1" "$2"); do printf '%s%03d\n' "$PFX" "$i"; done; }
mounts_of_prefix() { grep -c " /run/netns/${PFX}" /proc/self/mountinfo || true; }

# Every one of the 100 names exists once, as a real namespace, mounted once.
check_hundred() {
	[ "$(ls -A /run/netns | grep -c "^${PFX}")" -eq 100 ]
	[ "$(mounts_of_prefix)" -eq 100 ]
	for n in $(names 1 100); do
		[ "$(stat -f -c %T "/run/netns/$n")" = nsfs ] || { echo "$n not nsfs"; return 1; }
	done
}

# Only "File exists" failures, each naming one of our names.
check_losers() {
	local f
	for f in "$@"; do
		if [ -s "$f" ]; then
			grep -v "^Cannot create namespace file \"/run/netns/${PFX}[0-9]*\": File exists$" "$f" && return 1
		fi
	done
	return 0
}

@test "two bulk adds of the same 100 names at once" {
	"$NETNS" add $(names 1 100) 2>"$BATS_TEST_TMPDIR/e1" &
	a=$!
	"$NETNS" add $(names 1 100) 2>"$BATS_TEST_TMPDIR/e2" &
	b=$!
	ra=0 rb=0
	wait $a || ra=$?
	wait $b || rb=$?
	# One wins the first name and makes them all; the other stops there.
	[ $((ra + rb)) -eq 1 ]
	check_losers "$BATS_TEST_TMPDIR/e1" "$BATS_TEST_TMPDIR/e2"
	[ "$(cat "$BATS_TEST_TMPDIR/e1" "$BATS_TEST_TMPDIR/e2" | wc -l)" -eq 1 ]
	check_hundred
	"$NETNS" delete $(names 1 100)
	[ "$(mounts_of_prefix)" -eq 0 ]
}

@test "two processes adding the same 100 names one by one at once" {
	for w in 1 2; do
		(for n in $(names 1 100); do "$NETNS" add "$n" 2>>"$BATS_TEST_TMPDIR/e$w" || true; done) &
	done
	wait
	check_losers "$BATS_TEST_TMPDIR/e1" "$BATS_TEST_TMPDIR/e2"
	# Exactly 100 losses in total: each name was won once and lost once.
	[ $(cat "$BATS_TEST_TMPDIR/e1" "$BATS_TEST_TMPDIR/e2" | wc -l) -eq 100 ]
	check_hundred
	"$NETNS" delete $(names 1 100)
	[ "$(mounts_of_prefix)" -eq 0 ]
	[ "$(ls -A /run/netns | grep -c "^${PFX}")" -eq 0 ]
}

@test "1000 add/delete cycles in one process leave mounts, fds and /run/netns as before" {
	n=${PFX}c
	mounts_before=$(grep -c . /proc/self/mountinfo)
	{
		printf 'add %s\n' "$n"
		printf 'exec %s sh -c "ls /proc/$PPID/fd | wc -l"\n' "$n"
		printf 'delete %s\n' "$n"
		for i in $(seq 1000); do printf 'add %s\ndelete %s\n' "$n" "$n"; done
		printf 'add %s\n' "$n"
		printf 'exec %s sh -c "ls /proc/$PPID/fd | wc -l"\n' "$n"
		printf 'delete %s\n' "$n"
	} >"$BATS_TEST_TMPDIR/cycles"
	run --separate-stderr "$NETNS" -batch "$BATS_TEST_TMPDIR/cycles"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "${lines[1]}" ]  # the batch process holds no more fds
	[ ! -e "/run/netns/$n" ]
	[ "$(mounts_of_prefix)" -eq 0 ]
	# Other people's tests mount and unmount too: allow their noise, not ours.
	! grep -q "${PFX}" /proc/self/mountinfo
	[ "$(grep -c ' /run/netns /run/netns ' /proc/self/mountinfo)" -le 1 ]
	echo "mountinfo lines before $mounts_before after $(grep -c . /proc/self/mountinfo)"
}
