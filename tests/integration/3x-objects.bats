#!/usr/bin/env bats
# Each object made through the library (tests/tools/nettool), verified with
# ip/tc as independent oracles, and traffic only between our namespaces.
load helpers

setup() {
	PFX=$(make_prefix 3x)
	A="${PFX}a" B="${PFX}b" C="${PFX}c" R="${PFX}r"
	NT="$BUILD/tests/tools/nettool"
	for n in "$A" "$B" "$C"; do ip netns add "$n"; done
}
teardown() {
	[ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null
	cleanup_prefix "$PFX"
}

link_json() { ip -n "$1" -d -j link show "$2"; }

# address_up NS DEV CIDR: address, then up, through the library.
address_up() {
	"$NT" "$1" addr add "$2" "$3"
	"$NT" "$1" set "$2" up
}

# tcp_carries SERVER_NS SERVER_IP PORT CLIENT_NS TEXT: TEXT arrives over TCP.
tcp_carries() {
	ip netns exec "$1" timeout 5 socat -u "TCP-LISTEN:$3,bind=$2,reuseaddr" OPEN:"$BATS_TEST_TMPDIR/got",creat &
	SERVER_PID=$!
	sleep 0.3
	echo "$5" | ip netns exec "$4" timeout 5 socat -u - "TCP:$2:$3"
	wait "$SERVER_PID"
	[ "$(cat "$BATS_TEST_TMPDIR/got")" = "$5" ]
}

@test "veth with both ends placed in namespaces, explicit ifindexes, alias and addrgenmode none" {
	"$NT" "$A" veth "${PFX}1" "$B" "${PFX}2" ifindex 42 peer_ifindex 43 alias "netns:lab" noll mtu 9000
	link_json "$A" "${PFX}1" | jq -e '.[0] | .ifindex == 42 and .ifalias == "netns:lab" and .mtu == 9000 and .linkinfo.info_kind == "veth" and .inet6_addr_gen_mode == "none"'
	link_json "$B" "${PFX}2" | jq -e '.[0] | .ifindex == 43 and .mtu == 9000'
	"$NT" "$A" set "${PFX}1" up
	"$NT" "$B" set "${PFX}2" up noll alias "netns:lab"
	link_json "$B" "${PFX}2" | jq -e '.[0] | .inet6_addr_gen_mode == "none" and .ifalias == "netns:lab"'
	sleep 0.3
	# addrgenmode none: no link-local address ever appears.
	[ "$(ip -n "$A" -j addr show "${PFX}1" | jq '[.[0].addr_info[]] | length')" -eq 0 ]
	[ "$(ip -n "$B" -j addr show "${PFX}2" | jq '[.[0].addr_info[]] | length')" -eq 0 ]
	# The namespace-wide default does the same for every later link.
	"$NT" "$C" sysctl net.ipv6.conf.default.addr_gen_mode=1
	"$NT" "$C" bridge "${PFX}br" up
	link_json "$C" "${PFX}br" | jq -e '.[0].inet6_addr_gen_mode == "none"'
	run "$NT" "$A" veth "${PFX}5" "$B" "${PFX}6" netns "$C" noll
	[ "$status" -ne 0 ]
	[[ "$output" == *"addrgenmode none for a link placed in another namespace"* ]]
	run "$NT" "$A" veth "${PFX}3" "$B" "${PFX}4" up
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot be created up"* ]]
}

@test "link changes: mtu, mac, rename, master/nomaster, move to another namespace, down, delete" {
	"$NT" "$A" veth "${PFX}1" "$A" "${PFX}2"
	"$NT" "$A" bridge "${PFX}br"
	"$NT" "$A" set "${PFX}1" mtu 1300 mac 02:00:00:00:31:01 master "${PFX}br" up
	link_json "$A" "${PFX}1" | jq -e '.[0] | .mtu == 1300 and .address == "02:00:00:00:31:01" and .master == "'"${PFX}br"'"'
	"$NT" "$A" set "${PFX}1" nomaster down
	link_json "$A" "${PFX}1" | jq -e '.[0] | .master == null and (.flags | index("UP") == null)'
	"$NT" "$A" set "${PFX}1" name "${PFX}r1"
	ip -n "$A" link show "${PFX}r1"
	"$NT" "$A" set "${PFX}2" netns "$C"
	ip -n "$C" link show "${PFX}2"
	! ip -n "$A" link show "${PFX}2"
	"$NT" "$A" del "${PFX}r1"
	! ip -n "$A" link show "${PFX}r1"
	! ip -n "$C" link show "${PFX}2"
	run "$NT" "$A" set "${PFX}nope" up
	[ "$status" -ne 0 ]
	[[ "$output" == *"${PFX}nope does not exist"* ]]
}

@test "bridge vlan_filtering (probe: kernels without CONFIG_BRIDGE_VLAN_FILTERING refuse it)" {
	run "$NT" "$A" bridge "${PFX}br" vlan_filtering
	if [ "$status" -ne 0 ]; then
		[[ "$output" == *"kernel bridge has no vlan filtering (CONFIG_BRIDGE_VLAN_FILTERING)"* ]]
		[ "$(ip -n "$A" -j link show | jq length)" -eq 1 ]
		skip "kernel bridge has no vlan filtering (checked the error in words)"
	fi
	link_json "$A" "${PFX}br" | jq -e '.[0].linkinfo.info_data.vlan_filtering == 1'
}

@test "bridge: STP off by default, ageing, alias; three namespaces on a bridge ping each other" {
	"$NT" "$A" bridge "${PFX}br" ageing 120 noll up alias "netns:t3"
	link_json "$A" "${PFX}br" | jq -e '.[0] | (.linkinfo.info_data | .stp_state == 0 and .ageing_time == 12000) and .ifalias == "netns:t3" and .inet6_addr_gen_mode == "none" and (.flags | index("UP") != null)'
	"$NT" "$A" bridge "${PFX}b2" stp
	link_json "$A" "${PFX}b2" | jq -e '.[0].linkinfo.info_data.stp_state == 1'
	"$NT" "$A" del "${PFX}b2"
	"$NT" "$A" del "${PFX}br"
	ip netns add "$R"
	"$NT" "$R" bridge "${PFX}br" up noll
	i=1
	for n in "$A" "$B" "$C"; do
		"$NT" "$R" veth "${PFX}p$i" "$n" "${PFX}e0" noll
		"$NT" "$R" set "${PFX}p$i" master "${PFX}br" up
		"$NT" "$n" addr add "${PFX}e0" "10.37.0.$i/24"
		"$NT" "$n" set "${PFX}e0" up
		i=$((i + 1))
	done
	ip -n "$R" -j link show master "${PFX}br" | jq -e 'length == 3'
	ip netns exec "$A" ping -c1 -W2 10.37.0.2
	ip netns exec "$A" ping -c1 -W2 10.37.0.3
	ip netns exec "$B" ping -c1 -W2 10.37.0.3
}

@test "addresses: IPv4 with broadcast, IPv6 nodad usable at once, delete, flush" {
	"$NT" "$A" veth "${PFX}1" "$B" "${PFX}2"
	"$NT" "$A" addr add "${PFX}1" 10.38.0.1/24 brd
	"$NT" "$A" addr add "${PFX}1" fd38::1/64 nodad
	"$NT" "$A" addr add "${PFX}1" fd39::1/64
	"$NT" "$A" set "${PFX}1" up
	ip -n "$A" -j addr show "${PFX}1" | jq -e '[.[0].addr_info[] | select(.local=="10.38.0.1")][0] | .prefixlen == 24 and .broadcast == "10.38.0.255"'
	ip -n "$A" -j addr show "${PFX}1" | jq -e '[.[0].addr_info[] | select(.local=="fd38::1")][0] | .prefixlen == 64 and .tentative == null'
	"$NT" "$A" addr del "${PFX}1" fd39::1/64
	! ip -n "$A" addr show "${PFX}1" | grep -q fd39::1
	"$NT" "$A" addr flush "${PFX}1"
	[ "$(ip -n "$A" -j addr show "${PFX}1" | jq '[.[0].addr_info[]] | length')" -eq 0 ]
	run "$NT" "$A" addr add "${PFX}1" 10.38.0.1/40
	[ "$status" -ne 0 ]
	[[ "$output" == *"prefix length"* ]]
}

@test "routes: default, prefix via, metric, table, blackhole, unreachable, IPv6; gateway not on-link refused" {
	"$NT" "$A" veth "${PFX}1" "$B" "${PFX}2"
	"$NT" "$A" addr add "${PFX}1" 10.39.0.1/24
	"$NT" "$A" addr add "${PFX}1" fd39::1/64 nodad
	"$NT" "$A" set "${PFX}1" up
	"$NT" "$A" route add default via 10.39.0.254
	"$NT" "$A" route add 192.0.2.0/24 via 10.39.0.2 metric 50
	"$NT" "$A" route add 198.51.100.0/24 dev "${PFX}1" table 1000
	"$NT" "$A" route add 203.0.113.0/24 blackhole
	"$NT" "$A" route add 203.0.113.128/25 unreachable
	"$NT" "$A" route add fd40::/64 via fd39::2
	"$NT" "$A" route add default via fd39::fe -6
	ip -n "$A" -j route show default | jq -e '.[0].gateway == "10.39.0.254"'
	ip -n "$A" -j route show 192.0.2.0/24 | jq -e '.[0] | .gateway == "10.39.0.2" and .metric == 50'
	ip -n "$A" -j route show table 1000 | jq -e '.[0] | .dst == "198.51.100.0/24" and .dev == "'"${PFX}1"'"'
	ip -n "$A" -j route show 203.0.113.0/24 | jq -e '.[0].type == "blackhole"'
	ip -n "$A" -j route show 203.0.113.128/25 | jq -e '.[0].type == "unreachable"'
	ip -n "$A" -6 -j route show fd40::/64 | jq -e '.[0].gateway == "fd39::2"'
	ip -n "$A" -6 -j route show default | jq -e '.[0].gateway == "fd39::fe"'
	"$NT" "$A" route del 192.0.2.0/24 via 10.39.0.2 metric 50
	[ "$(ip -n "$A" -j route show 192.0.2.0/24 | jq length)" -eq 0 ]
	before=$(ip -n "$A" -j route show table all | jq -c .)
	run "$NT" "$A" route add 192.0.2.0/24 via 172.16.9.9
	[ "$status" -ne 0 ]
	[[ "$output" == *"adding route 192.0.2.0/24 via 172.16.9.9"*"Network is unreachable"* ]]
	[ "$(ip -n "$A" -j route show table all | jq -c .)" = "$before" ]
}

@test "router namespace: sysctl forwarding on, two subnets reach each other through it" {
	ip netns add "$R"
	"$NT" "$R" sysctl net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 net.ipv4.conf.all.rp_filter=2
	[ "$(ip netns exec "$R" sysctl -n net.ipv4.ip_forward)" = 1 ]
	[ "$(ip netns exec "$R" sysctl -n net.ipv6.conf.all.forwarding)" = 1 ]
	[ "$(ip netns exec "$R" sysctl -n net.ipv4.conf.all.rp_filter)" = 2 ]
	[ "$("$NT" "$R" sysctl-get net.ipv4.ip_forward)" = 1 ]
	[ "$("$NT" "$A" sysctl-get net.ipv4.ip_forward)" = 0 ]
	"$NT" "$R" veth "${PFX}ra" "$A" "${PFX}a"
	"$NT" "$R" veth "${PFX}rb" "$B" "${PFX}b"
	"$NT" "$R" addr add "${PFX}ra" 10.40.1.1/24
	"$NT" "$R" addr add "${PFX}rb" 10.40.2.1/24
	"$NT" "$R" set "${PFX}ra" up
	"$NT" "$R" set "${PFX}rb" up
	"$NT" "$A" addr add "${PFX}a" 10.40.1.2/24
	"$NT" "$A" set "${PFX}a" up
	"$NT" "$A" route add default via 10.40.1.1
	"$NT" "$B" addr add "${PFX}b" 10.40.2.2/24
	"$NT" "$B" set "${PFX}b" up
	"$NT" "$B" route add 10.40.1.0/24 via 10.40.2.1
	ip netns exec "$A" ping -c1 -W2 10.40.2.2
	run "$NT" "$R" sysctl kernel.hostname=x
	[ "$status" -ne 0 ]
	[[ "$output" == *"only net.* keys"* ]]
}

@test "tbf rate 1mbit caps a measured TCP transfer near 1 Mbit/s" {
	"$NETNS" connect "$A:${PFX}1" "$B:${PFX}2" --addr 10.41.0.1/24,10.41.0.2/24
	"$NT" "$A" tbf "${PFX}1" add rate 1mbit
	tc -n "$A" -j qdisc show dev "${PFX}1" | jq -e '.[0].kind == "tbf" and .[0].options.rate == 125000'
	# Receiver counts bytes between 0.5 s and 2.5 s after the first byte.
	ip netns exec "$B" timeout 10 python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.41.0.2", 5301)); s.listen(1); c, _ = s.accept()
t0 = None; n = 0
while True:
    d = c.recv(65536); now = time.monotonic()
    if not d: break
    if t0 is None: t0 = now
    if now - t0 >= 2.5: break
    if now - t0 >= 0.5: n += len(d)
print(int(n * 8 / 2.0))' >"$BATS_TEST_TMPDIR/rate" &
	SERVER_PID=$!
	sleep 0.3
	ip netns exec "$A" timeout 4 python3 -c '
import socket
s = socket.create_connection(("10.41.0.2", 5301)); b = b"x" * 65536
try:
    while True: s.sendall(b)
except Exception: pass' || true
	wait "$SERVER_PID"
	rate=$(cat "$BATS_TEST_TMPDIR/rate")
	echo "measured $rate bit/s"
	[ "$rate" -gt 800000 ] && [ "$rate" -lt 1150000 ]
	"$NT" "$A" tbf "${PFX}1" change rate 2mbit
	tc -n "$A" -j qdisc show dev "${PFX}1" | jq -e '.[0].options.rate == 250000'
	"$NT" "$A" qdisc-del "${PFX}1"
	tc -n "$A" -j qdisc show dev "${PFX}1" | jq -e '.[0].kind != "tbf"'
}

@test "macvlan (bridge mode) between two namespaces carries TCP" {
	ip netns add "$R"
	"$NT" "$R" veth "${PFX}l0" "$R" "${PFX}l1"
	"$NT" "$R" set "${PFX}l0" up
	"$NT" "$R" set "${PFX}l1" up
	"$NT" "$R" macvlan "${PFX}m1" "${PFX}l0" bridge netns "$A"
	"$NT" "$R" macvlan "${PFX}m2" "${PFX}l0" bridge netns "$B"
	link_json "$A" "${PFX}m1" | jq -e '.[0].linkinfo | .info_kind == "macvlan" and .info_data.mode == "bridge"'
	address_up "$A" "${PFX}m1" 10.42.0.1/24
	address_up "$B" "${PFX}m2" 10.42.0.2/24
	tcp_carries "$B" 10.42.0.2 5302 "$A" "over macvlan $PFX"
	run "$NT" "$R" macvlan "${PFX}m3" "${PFX}l0" sideways
	[ "$status" -ne 0 ]
	[[ "$output" == *"unknown macvlan mode"* ]]
}

@test "vxlan (VNI, local, remote, dstport, dev) between two namespaces carries TCP" {
	"$NETNS" connect "$A:${PFX}u" "$B:${PFX}u" --addr 10.43.0.1/24,10.43.0.2/24
	"$NT" "$A" vxlan "${PFX}vx" 4242 local 10.43.0.1 remote 10.43.0.2 port 4790 dev "${PFX}u"
	"$NT" "$B" vxlan "${PFX}vx" 4242 local 10.43.0.2 remote 10.43.0.1 port 4790 dev "${PFX}u"
	link_json "$A" "${PFX}vx" | jq -e '.[0].linkinfo.info_data | .id == 4242 and .remote == "10.43.0.2" and .local == "10.43.0.1" and .port == 4790'
	address_up "$A" "${PFX}vx" 10.44.0.1/24
	address_up "$B" "${PFX}vx" 10.44.0.2/24
	tcp_carries "$B" 10.44.0.2 5303 "$A" "over vxlan $PFX"
	"$NT" "$A" vxlan "${PFX}vg" 7 group 239.1.1.1 dev "${PFX}u"
	link_json "$A" "${PFX}vg" | jq -e '.[0].linkinfo.info_data | .group == "239.1.1.1" and .port == 4789'
}

@test "name over 15 bytes and missing namespace: clear errors" {
	run "$NT" "$A" bridge "${PFX}-0123456789"
	[ "$status" -ne 0 ]
	[[ "$output" == *"is too long"* ]]
	run "$NT" "$A" veth "${PFX}1" "${PFX}nope" "${PFX}2"
	[ "$status" -ne 0 ]
	[[ "$output" == *"${PFX}nope"* ]]
	[ "$(ip -n "$A" -j link show | jq length)" -eq 1 ]
}
