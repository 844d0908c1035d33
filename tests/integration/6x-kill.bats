#!/usr/bin/env bats
# kill -9 of `down` (and of `up` then `down`) at random moments: a later
# `down` removes everything, and `up` works again. 4x-topo.bats already
# kills `up` alone; this extends it to the teardown. TEST_LONG=1: 50 runs.
load helpers

setup() {
	PFX=$(make_prefix 6x)
	export PFX
	LAB=${PFX}k
	MARK=$((RANDOM + 300000))
	"$TESTS_DIR/../examples/chain" 300 "$LAB" --plain >"$BATS_TEST_TMPDIR/k.yaml"
	sed -i "s|^  n1:\$|  n1:\n    run: [[sleep, \"$MARK\"]]|; s|^  n300:\$|  n300:\n    run: [[sleep, \"$MARK\"]]|" \
		"$BATS_TEST_TMPDIR/k.yaml"
	RUNS=10
	[ "${TEST_LONG:-0}" = 1 ] && RUNS=50
	return 0
}

teardown() {
	"$NETNS" down "$LAB" >/dev/null 2>&1 || true
	pkill -f "^sleep $MARK\$" 2>/dev/null || true
	cleanup_prefix "$PFX"
}

assert_gone() {
	! ls /run/netns | grep -q "^$LAB-"
	[ ! -e "/run/netns-labs/$LAB" ]
	! grep -q " /run/netns/$LAB-" /proc/self/mountinfo
	! pgrep -f "^sleep $MARK\$" >/dev/null
	# No netns process of this lab is left waiting either.
	! pgrep -f "netns (up|down) .*$LAB" >/dev/null
}

# Run netns "$@" in the background and kill -9 it after 0-$1 ms.
kill_after() {
	local max=$1
	shift
	"$NETNS" "$@" >/dev/null 2>&1 &
	local pid=$!
	sleep "$(printf '0.%03d' $((RANDOM % max)))"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

@test "kill -9 of down at random moments: the next down finishes the job, up works again" {
	for i in $(seq "$RUNS"); do
		"$NETNS" up "$BATS_TEST_TMPDIR/k.yaml" >/dev/null
		kill_after 25 down "$LAB"
		left=$(ls /run/netns | grep -c "^$LAB-" || true)
		run "$NETNS" down "$LAB"
		echo "run $i: $left namespaces were left: $output"
		[ "$status" -eq 0 ]
		assert_gone
	done
	echo "kills of down survived: $RUNS"
}

@test "kill -9 of up, then kill -9 of the down that cleans it: a third down leaves nothing" {
	for i in $(seq "$RUNS"); do
		kill_after 400 up "$BATS_TEST_TMPDIR/k.yaml"
		kill_after 25 down "$LAB"
		run "$NETNS" down "$LAB"
		echo "run $i: $output"
		[ "$status" -eq 0 ]
		assert_gone
	done
	run "$NETNS" up "$BATS_TEST_TMPDIR/k.yaml"
	[ "$status" -eq 0 ]
	[ "$(pgrep -c -f "^sleep $MARK\$")" -eq 2 ]
	"$NETNS" down "$LAB"
	assert_gone
}
