#!/usr/bin/env bats
# Smoke test of the store: add, list, delete, as seen by iproute2 too.
load helpers

setup() { PFX=$(make_prefix 00); }
teardown() { cleanup_prefix "$PFX"; }

@test "add several names in one call; ip netns sees them; delete removes them" {
	run "$NETNS" add "${PFX}a" "${PFX}b" "${PFX}c"
	[ "$status" -eq 0 ]
	run ip netns list
	[[ "$output" == *"${PFX}a"* && "$output" == *"${PFX}b"* && "$output" == *"${PFX}c"* ]]
	run ip netns exec "${PFX}b" ip -o link show
	[ "$status" -eq 0 ]
	[[ "$output" == "1: lo:"* ]]
	[ "$(echo "$output" | wc -l)" -eq 1 ]
	run "$NETNS" delete "${PFX}a" "${PFX}b" "${PFX}c"
	[ "$status" -eq 0 ]
	run ip netns list
	[[ "$output" != *"${PFX}"* ]]
}

@test "a namespace from ip netns add is listed with its id and deleted by netns" {
	ip netns add "${PFX}ip"
	ip netns set "${PFX}ip" auto
	id=$(ip -j netns list | python3 -c "import json,sys; print([e['id'] for e in json.load(sys.stdin) if e['name']=='${PFX}ip'][0])")
	run "$NETNS" list
	[[ "$output" == *"${PFX}ip (id: $id)"* ]]
	run "$NETNS" delete "${PFX}ip"
	[ "$status" -eq 0 ]
	[ ! -e "/run/netns/${PFX}ip" ]
}

@test "adding an existing name fails with iproute2's message and exit 1" {
	"$NETNS" add "${PFX}x"
	run "$NETNS" add "${PFX}x"
	[ "$status" -eq 1 ]
	[ "$output" = "Cannot create namespace file \"/run/netns/${PFX}x\": File exists" ]
	[ "$(ls /run/netns | grep -c "^${PFX}x$")" -eq 1 ]
}
