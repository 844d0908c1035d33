#!/usr/bin/env bats
# netns connect / disconnect / inspect, checked with ip as the oracle.
load helpers

setup() {
	PFX=$(make_prefix 3x)
	A="${PFX}a" B="${PFX}b"
	ip netns add "$A"
	ip netns add "$B"
}
teardown() { cleanup_prefix "$PFX"; }

# Everything a namespace holds, for "left exactly as before" checks.
state() {
	ip -n "$1" -j link show | jq -c '[.[] | {ifname, flags, mtu}]'
	ip -n "$1" -j addr show | jq -c '[.[] | .addr_info[] | .local]'
	ip -n "$1" -j route show table all | jq -c 'length'
}

@test "connect: veth between two namespaces, addresses set, both ends up, IPv4 and IPv6 ping" {
	run "$NETNS" connect "$A:${PFX}1" "$B:${PFX}2" --addr 10.31.0.1/24,10.31.0.2/24 --mtu 1400
	[ "$status" -eq 0 ]
	run ip -n "$A" -j link show "${PFX}1"
	[ "$(echo "$output" | jq -r '.[0].link_type + " " + (.[0].mtu|tostring) + " " + (.[0].flags|index("UP")|tostring)')" != "" ]
	[ "$(echo "$output" | jq -r '.[0].mtu')" -eq 1400 ]
	echo "$output" | jq -e '.[0].flags | index("UP")'
	[ "$(ip -n "$B" -j addr show "${PFX}2" | jq -r '.[0].addr_info[] | select(.family=="inet") | .local + "/" + (.prefixlen|tostring)')" = "10.31.0.2/24" ]
	[ "$(ip -n "$A" -j link show "${PFX}1" | jq -r '.[0].link_netnsid')" != "null" ]
	ip netns exec "$A" ping -c1 -W2 10.31.0.2
	"$NETNS" connect "$A:${PFX}61" "$B:${PFX}62" --addr fd31::1/64,fd31::2/64
	ip -n "$A" -j addr show "${PFX}61" | jq -e '[.[0].addr_info[] | select(.local=="fd31::1") | .tentative] == [null]'
	ip netns exec "$A" ping -6 -c1 -W2 fd31::2
}

@test "connect: default names veth-<peer> cut to 15 bytes" {
	long="${PFX}peer-with-long-name"
	ip netns add "$long"
	run "$NETNS" connect "$A" "$long"
	[ "$status" -eq 0 ]
	want=$(printf 'veth-%s' "$long" | cut -c1-15)
	ip -n "$A" link show "$want"
	ip -n "$long" link show "veth-$A"
	ip netns del "$long"
}

@test "inspect: interfaces with state, MTU, addresses, veth peer ns:ifname, bridge ports, routes; -j" {
	"$NETNS" connect "$A:${PFX}1" "$B:${PFX}2" --addr 10.32.0.1/24,10.32.0.2/24
	"$BUILD/tests/tools/nettool" "$B" bridge "${PFX}br" up
	"$BUILD/tests/tools/nettool" "$B" set "${PFX}2" master "${PFX}br"
	run "$NETNS" inspect "$A" "$B"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$A"* ]]
	[[ "$output" == *"${PFX}1 (veth) UP mtu 1500"*"peer $B:${PFX}2"* ]]
	[[ "$output" == *"10.32.0.1/24"* ]]
	[[ "$output" == *"${PFX}br (bridge)"*"ports: ${PFX}2"* ]]
	[[ "$output" == *"10.32.0.0/24 dev ${PFX}1"* ]]
	run "$NETNS" inspect -j "$B"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e ".[0].interfaces[] | select(.ifname==\"${PFX}2\") | .peer == \"$A:${PFX}1\" and .master == \"${PFX}br\""
	echo "$output" | jq -e ".[0].interfaces[] | select(.ifname==\"${PFX}br\") | .ports[0].ifname == \"${PFX}2\""
}

@test "disconnect removes both ends" {
	"$NETNS" connect "$A:${PFX}1" "$B:${PFX}2"
	run "$NETNS" disconnect "$B:${PFX}2"
	[ "$status" -eq 0 ]
	! ip -n "$A" link show "${PFX}1"
	! ip -n "$B" link show "${PFX}2"
	run "$NETNS" disconnect "$B:${PFX}2"
	[ "$status" -ne 0 ]
	[[ "$output" == *"$B"*"${PFX}2"* ]]
}

@test "connect failures: clear error, non-zero exit, namespaces unchanged" {
	"$NETNS" connect "$A:eth0" "$B:${PFX}x"
	before_a=$(state "$A") before_b=$(state "$B")

	run "$NETNS" connect "$A:${PFX}1" "${PFX}missing:${PFX}2"
	[ "$status" -ne 0 ]
	[[ "$output" == *"${PFX}missing"* ]]

	ip -n "$B" link add eth0 type veth peer name "${PFX}y"
	before_b=$(state "$B")
	run "$NETNS" connect "$A:${PFX}1" "$B:eth0"
	[ "$status" -ne 0 ]
	[ "$output" = "netns: connect $A:${PFX}1 ↔ $B:eth0: $B: File exists (interface eth0 already exists)" ]

	run "$NETNS" connect "$A:${PFX}-name-too-long" "$B:${PFX}2"
	[ "$status" -ne 0 ]
	[[ "$output" == *"too long"* ]]

	run "$NETNS" connect "$A:${PFX}1" "$B:${PFX}2" --addr 10.33.0.1/24,10.33.0.300/24
	[ "$status" -ne 0 ]
	[[ "$output" == *'bad address "10.33.0.300/24"'* ]]

	run "$NETNS" connect "$A:${PFX}1" "$B:${PFX}2" --addr 10.33.0.1/33,10.33.0.2/24
	[ "$status" -ne 0 ]

	[ "$(state "$A")" = "$before_a" ]
	[ "$(state "$B")" = "$before_b" ]
}

@test "connect --netem: netem where the kernel has it, a clear error where not; rate-only uses tbf" {
	run "$NETNS" connect "$A:${PFX}1" "$B:${PFX}2" --addr 10.35.0.1/24,10.35.0.2/24 --netem "rate 5mbit"
	[ "$status" -eq 0 ]
	tc -n "$A" -j qdisc show dev "${PFX}1" | jq -e '.[0].kind == "tbf"'
	before_a=$(state "$A")
	run "$NETNS" connect "$A:${PFX}3" "$B:${PFX}4" --addr 10.36.0.1/24,10.36.0.2/24 --netem "delay 50ms"
	if [ "$status" -ne 0 ]; then
		[[ "$output" == *"kernel has no netem qdisc (sch_netem): delay/loss impairments unavailable; rate limits still work via tbf"* ]]
		[ "$(state "$A")" = "$before_a" ]
		skip "kernel has no sch_netem: checked the error and the rollback"
	fi
	tc -n "$A" -j qdisc show dev "${PFX}3" | jq -e '.[0].kind == "netem"'
	rtt=$(ip netns exec "$A" ping -c3 -i0.2 -W2 10.36.0.2 | awk -F/ '/^rtt/ {print int($5)}')
	[ "$rtt" -ge 50 ]
}
