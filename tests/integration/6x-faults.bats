#!/usr/bin/env bats
# Fault injection: every step of `up` of a 20-node lab fails in turn (netlink
# requests, namespace creations, sysctls, journal and state writes, program
# starts); after each, nothing of the lab remains and the error is clear.
# Needs the test-only binary built by `make fault` (build-fault/netns).
load helpers

setup() {
	PFX=$(make_prefix 6x)
	export PFX
	FAULTY=${NETNS_FAULT:-$(dirname "$BUILD")/build-fault/netns}
	[ -x "$FAULTY" ] || skip "no fault-injection binary: run 'make fault' (build-fault/netns)"
	MARK=$((RANDOM + 300000))
	LAB=${PFX}f
	"$TESTS_DIR/data/lab20" "$LAB" "$MARK" >"$BATS_TEST_TMPDIR/lab.yaml"
}

teardown() {
	[ -n "${LAB:-}" ] && "$NETNS" down "$LAB" >/dev/null 2>&1 || true
	pkill -f "^sleep $MARK\$" 2>/dev/null || true
	cleanup_prefix "$PFX"
}

# Nothing of lab $1 remains: namespaces, mounts, state, processes, root links.
assert_gone() {
	! ls /run/netns | grep -q "^$1-"
	[ ! -e "/run/netns-labs/$1" ]
	! grep -q " /run/netns/$1-" /proc/self/mountinfo
	! pgrep -f "^sleep $MARK\$" >/dev/null
	! ip -o link show | grep -q ": $PFX"
}

@test "the normal binary has no fault injection in it" {
	! nm "$NETNS" 2>/dev/null | grep -q fault_point
	! grep -q NNS_FAULT_AT "$NETNS"
	grep -q NNS_FAULT_AT "$FAULTY"
}

@test "every step of up of a 20-node lab fails in turn: nothing remains, the error says what" {
	trace=$BATS_TEST_TMPDIR/trace
	NNS_FAULT_TRACE=$trace "$FAULTY" up "$BATS_TEST_TMPDIR/lab.yaml"
	steps=$(wc -l <"$trace")
	echo "steps: $steps"
	[ "$steps" -ge 200 ]
	"$NETNS" down "$LAB"
	assert_gone "$LAB"
	tolerated=0
	for n in $(seq "$steps"); do
		what=$(sed -n "${n}p" "$trace" | cut -d' ' -f3-)
		st=0
		out=$(NNS_FAULT_AT=$n timeout 30 "$FAULTY" up "$BATS_TEST_TMPDIR/lab.yaml" 2>&1) || st=$?
		if [ "$st" -eq 0 ]; then
			# Only the best-effort record of a finished exec: may fail unnoticed.
			echo "step $n ($what) tolerated: $out"
			[ "$what" = "writing the journal" ]
			[ "$(ls /run/netns | grep -c "^$LAB-")" -eq 22 ]
			tolerated=$((tolerated + 1))
			"$NETNS" down "$LAB" >/dev/null
		else
			[ "$st" -eq 1 ] || { echo "step $n ($what): exit $st: $out"; false; }
			[[ "$out" == "netns: up $LAB: "*"Input/output error"* ]] ||
				{ echo "step $n ($what): unclear error: $out"; false; }
		fi
		assert_gone "$LAB" || { echo "step $n ($what) left something: $out"; false; }
	done
	echo "faults injected: $steps, tolerated: $tolerated"
	[ "$tolerated" -le 1 ]
	# The lab still comes up afterwards.
	"$NETNS" up "$BATS_TEST_TMPDIR/lab.yaml"
	"$NETNS" down "$LAB"
	assert_gone "$LAB"
}

@test "an injected netlink refusal names the step, the object and the namespace" {
	trace=$BATS_TEST_TMPDIR/trace
	NNS_FAULT_TRACE=$trace "$FAULTY" up "$BATS_TEST_TMPDIR/lab.yaml" >/dev/null
	"$NETNS" down "$LAB" >/dev/null
	n=$(grep -m1 ' creating veth ' "$trace" | cut -d' ' -f1)
	run env NNS_FAULT_AT="$n" "$FAULTY" up "$BATS_TEST_TMPDIR/lab.yaml"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"in namespace $LAB-"*"creating veth"*"Input/output error (injected fault at step $n)"* ]]
	assert_gone "$LAB"
}
