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
