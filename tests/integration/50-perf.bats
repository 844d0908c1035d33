#!/usr/bin/env bats
# Behaviour that the speed-ups must keep: namespaces made by several threads
# still stop at the first failure in name order; large labs come up complete.
# No timing here: performance figures come from bench/ only.
load helpers
bats_require_minimum_version 1.5.0

setup() {
	PFX=$(make_prefix 5)
}
teardown() {
	[ -z "${LAB:-}" ] || "$NETNS" down "$LAB" >/dev/null 2>&1 || true
	cleanup_prefix "$PFX"
}

@test "bulk add from several threads keeps exactly the names before the failure" {
	"$NETNS" add "${PFX}n100"
	names=$(seq -f "${PFX}n%g" 0 199)
	run --separate-stderr "$NETNS" add $names
	[ "$status" -eq 1 ]
	[ "$stderr" = "Cannot create namespace file \"/run/netns/${PFX}n100\": File exists" ]
	for i in $(seq 0 99); do [ -e "/run/netns/${PFX}n$i" ]; done
	[ "$(stat -f -c %T "/run/netns/${PFX}n99")" = nsfs ]
	for i in $(seq 101 199); do [ ! -e "/run/netns/${PFX}n$i" ]; done
	# and no stray mount of a namespace made past the failure
	[ "$(grep -c " /run/netns/${PFX}n[0-9]* " /proc/self/mountinfo)" -eq 101 ]
}

# An N-node chain lab named $PFX, as the speed floor builds it.
chain_file() {
	"$TESTS_DIR/../examples/chain" "$1" "$PFX" --plain >"$BATS_TEST_TMPDIR/chain.yaml"
	echo "$BATS_TEST_TMPDIR/chain.yaml"
}

@test "up raises a low open-file limit, the hard one too, for a lab that needs more" {
	bash -c 'ulimit -n 100 && ulimit -Hn 200' 2>/dev/null ||
		skip "this root lacks CAP_SYS_RESOURCE: no hard limit can be raised"
	f=$(chain_file 200) # two fds per namespace: 464 > 100
	LAB=$PFX
	run bash -c "ulimit -n 100 && exec \"$NETNS\" up \"$f\""
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(ls /run/netns | grep -c "^$PFX-n")" -eq 200 ]
	run ip -n "$PFX-n200" -4 -o addr show l
	[[ $output == *"10.0.1.141/31"* ]]
}

@test "up without CAP_SYS_RESOURCE under a low hard limit says what it needs" {
	f=$(chain_file 200)
	run capsh --drop=cap_sys_resource -- -c "ulimit -n 100 && exec \"$NETNS\" up \"$f\""
	echo "$output"
	[ "$status" -eq 1 ]
	[[ $output == *"200 nodes need 464 open files; the hard limit is 100 (ulimit -Hn)"* ]]
	! ls /run/netns | grep -q "^$PFX-"
}

# A lab named $PFX: $1 hosts h0.. in 10.9.0.0/16 on bridge sw.
star_file() {
	{
		echo "name: $PFX"
		echo "nodes:"
		for i in $(seq 0 $(($1 - 1))); do
			echo "  h$i: {interfaces: {eth0: 10.9.$((i / 200)).$((i % 200 + 1))/16}}"
		done
		echo "bridges: {sw: {}}"
		echo "links:"
		for i in $(seq 0 $(($1 - 1))); do echo "  - [h$i:eth0, sw]"; done
	} >"$BATS_TEST_TMPDIR/star.yaml"
	echo "$BATS_TEST_TMPDIR/star.yaml"
}

@test "a 300-host star: every port enslaved and operational, no IPv6 link-local, hosts reach each other" {
	LAB=$PFX
	run "$NETNS" up "$(star_file 300)"
	[ "$status" -eq 0 ]
	# Operationally up when up returns, not when the kernel's linkwatch
	# (100 devices a second) gets to them: a dump does not hurry it.
	[ "$(ip -n "$PFX-sw" -br link show | grep -c " UP ")" -eq 301 ]
	[ "$(ip -n "$PFX-sw" -o link show master sw up | wc -l)" -eq 300 ]
	[ "$(ip -n "$PFX-h299" -o link show eth0 up | wc -l)" -eq 1 ]
	! ip -n "$PFX-sw" -6 -o addr show | grep -q fe80
	! ip -n "$PFX-h150" -6 -o addr show | grep -q fe80
	run "$NETNS" check "$PFX" --sample 40
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "a bridge with more ports than the kernel allows is refused before anything is made" {
	run "$NETNS" up "$(star_file 1024)"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ $output == *"bridge sw has 1024 ports; a Linux bridge takes at most 1023"* ]]
	! ls /run/netns | grep -q "^$PFX-"
}
