#!/usr/bin/env bats
# Features this machine's kernel may lack (netem, vlan, dummy): probe and
# SKIP with the reason where missing; and always compare, attribute by
# attribute, the request netns builds with the one tc/ip send for the same
# settings (captured with strace; see ../../KERNEL.md in the team notes).
load helpers

setup() {
	PFX=$(make_prefix 3x)
	A="${PFX}a" B="${PFX}b"
	NT="$BUILD/tests/tools/nettool"
	ip netns add "$A"
	ip netns add "$B"
	ip -n "$A" link add "${PFX}p" type veth peer name "${PFX}q" netns "$B"
}
teardown() { cleanup_prefix "$PFX"; }

# capture FILE CMD... : the netlink requests CMD sends (its own verdict ignored).
capture() {
	local out=$1
	shift
	strace -f -qq -e trace=sendmsg,sendto -e write=all -o "$out" "$@" >/dev/null 2>&1 || true
}

# same_request MSGTYPE KIND "ORACLE CMD" "NETNS CMD": decoded requests equal.
same_request() {
	local t=$BATS_TEST_TMPDIR
	capture "$t/oracle" $3
	capture "$t/netns" $4
	"$BATS_TEST_DIRNAME/nlreq.py" "$t/oracle" "$1" "$2" >"$t/oracle.txt"
	"$BATS_TEST_DIRNAME/nlreq.py" "$t/netns" "$1" "$2" >"$t/netns.txt"
	cat "$t/netns.txt"
	[ "$(wc -l <"$t/netns.txt")" -ge 4 ] # a real request, not "no message ..."
	diff -u "$t/oracle.txt" "$t/netns.txt"
}

RTM_NEWLINK=16
RTM_NEWQDISC=36

@test "netem requests equal tc's, attribute by attribute" {
	for spec in "delay 50ms" "loss 100%" "delay 20ms 5ms loss 1% duplicate 2% reorder 25% corrupt 0.1% rate 1mbit" \
		"delay 100ms limit 5000" "duplicate 0.5% corrupt 3%"; do
		echo "--- netem $spec"
		same_request $RTM_NEWQDISC netem "tc -n $A qdisc add dev ${PFX}p root netem $spec" \
			"$NT $A netem ${PFX}p add $spec"
		ip netns exec "$A" tc qdisc del dev "${PFX}p" root 2>/dev/null || true
	done
	same_request $RTM_NEWQDISC netem "tc -n $A qdisc change dev ${PFX}p root netem delay 10ms" \
		"$NT $A netem ${PFX}p change delay 10ms"
	same_request $RTM_NEWQDISC netem "tc -n $A qdisc replace dev ${PFX}p root netem delay 10ms" \
		"$NT $A netem ${PFX}p replace delay 10ms"
}

@test "tbf requests equal tc's, attribute by attribute" {
	for spec in "rate 1mbit burst 32kbit latency 50ms" "rate 10mbit burst 64kb latency 100ms" \
		"rate 500kbit burst 5000 latency 20ms"; do
		echo "--- tbf $spec"
		same_request $RTM_NEWQDISC tbf "tc -n $A qdisc add dev ${PFX}p root tbf $spec" \
			"$NT $A tbf ${PFX}p add $spec"
		ip netns exec "$A" tc qdisc del dev "${PFX}p" root 2>/dev/null || true
	done
}

@test "vlan requests equal ip's, attribute by attribute" {
	same_request $RTM_NEWLINK vlan "ip -n $A link add ${PFX}v link ${PFX}p type vlan id 10" \
		"$NT $A vlan ${PFX}v ${PFX}p 10"
	ip -n "$A" link del "${PFX}v" 2>/dev/null || true
	same_request $RTM_NEWLINK vlan "ip -n $A link add ${PFX}v link ${PFX}p type vlan protocol 802.1ad id 4094" \
		"$NT $A vlan ${PFX}v ${PFX}p 4094 qinq"
}

@test "dummy requests equal ip's, attribute by attribute" {
	same_request $RTM_NEWLINK dummy "ip -n $A link add ${PFX}d type dummy" "$NT $A dummy ${PFX}d"
	ip -n "$A" link del "${PFX}d" 2>/dev/null || true
	same_request $RTM_NEWLINK dummy "ip -n $A link add ${PFX}d mtu 1400 type dummy" "$NT $A dummy ${PFX}d mtu 1400"
}

@test "netem delay 50ms raises the RTT by at least 50 ms; loss 100% makes ping fail (probe)" {
	ip -n "$A" addr add 10.45.0.1/24 dev "${PFX}p"
	ip -n "$B" addr add 10.45.0.2/24 dev "${PFX}q"
	ip -n "$A" link set "${PFX}p" up
	ip -n "$B" link set "${PFX}q" up
	base=$(ip netns exec "$A" ping -c3 -i0.2 -W2 10.45.0.2 | awk -F/ '/^rtt/ {print $5}')
	run "$NT" "$A" netem "${PFX}p" add delay 50ms
	if [ "$status" -ne 0 ]; then
		[[ "$output" == *"kernel has no netem qdisc (sch_netem): delay/loss impairments unavailable; rate limits still work via tbf"* ]]
		skip "kernel has no netem qdisc (sch_netem)"
	fi
	tc -n "$A" -j qdisc show dev "${PFX}p" | jq -e '.[0].kind == "netem"'
	rtt=$(ip netns exec "$A" ping -c3 -i0.2 -W2 10.45.0.2 | awk -F/ '/^rtt/ {print $5}')
	python3 -c "import sys; sys.exit(0 if $rtt - $base >= 50 else 1)"
	"$NT" "$A" netem "${PFX}p" change loss 100%
	! ip netns exec "$A" ping -c2 -i0.2 -W1 10.45.0.2
	"$NT" "$A" qdisc-del "${PFX}p"
	ip netns exec "$A" ping -c1 -W2 10.45.0.2
}

@test "vlan carries TCP between two namespaces (probe)" {
	run "$NT" "$A" vlan "${PFX}v" "${PFX}p" 10
	if [ "$status" -ne 0 ]; then
		[[ "$output" == *"kernel has no vlan link type (8021q)"* ]]
		[ "$(ip -n "$A" -j link show | jq length)" -eq 2 ]
		skip "kernel has no 802.1Q vlan support (8021q)"
	fi
	"$NT" "$B" vlan "${PFX}v" "${PFX}q" 10
	ip -n "$A" -d -j link show "${PFX}v" | jq -e '.[0].linkinfo.info_data.id == 10'
	ip -n "$A" link set "${PFX}p" up
	ip -n "$B" link set "${PFX}q" up
	"$NT" "$A" addr add "${PFX}v" 10.46.0.1/24
	"$NT" "$B" addr add "${PFX}v" 10.46.0.2/24
	"$NT" "$A" set "${PFX}v" up
	"$NT" "$B" set "${PFX}v" up
	ip netns exec "$B" timeout 5 socat -u TCP-LISTEN:5304,bind=10.46.0.2,reuseaddr OPEN:"$BATS_TEST_TMPDIR/got",creat &
	sleep 0.3
	echo "over vlan" | ip netns exec "$A" timeout 5 socat -u - TCP:10.46.0.2:5304
	wait
	[ "$(cat "$BATS_TEST_TMPDIR/got")" = "over vlan" ]
}

@test "dummy link (probe)" {
	run "$NT" "$A" dummy "${PFX}d" up
	if [ "$status" -ne 0 ]; then
		[[ "$output" == *"kernel has no dummy link type (dummy)"* ]]
		skip "kernel has no dummy link type"
	fi
	ip -n "$A" -d -j link show "${PFX}d" | jq -e '.[0].linkinfo.info_kind == "dummy"'
}
