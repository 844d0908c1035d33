#!/usr/bin/env bats
# Topologies: up, check, status, graph, down — on the real kernel, with real
# clients, injected failures, kill -9 and concurrent runs.
load helpers

EX="$TESTS_DIR/../examples"
BAD="$TESTS_DIR/data/topo-bad"

setup() {
	PFX=$(make_prefix 4x)
	export PFX
}

teardown() {
	local d
	for d in /run/netns-labs/"$PFX"* /run/netns-labs/t4bad*; do
		[ -d "$d" ] && "$NETNS" down "$(basename "$d")" >/dev/null 2>&1 || true
	done
	cleanup_prefix "$PFX"
}

# A copy of example $1 named lab $2.
example_as() {
	sed "s/^name: .*/name: $2/" "$EX/$1.yaml" >"$BATS_TEST_TMPDIR/$2.yaml"
	echo "$BATS_TEST_TMPDIR/$2.yaml"
}

# Nothing of lab $1 remains: namespaces, state, mounts, processes.
assert_gone() {
	! ls /run/netns | grep -q "^$1-"
	[ ! -e "/run/netns-labs/$1" ]
	! grep -q "/run/netns/$1-" /proc/self/mountinfo
}

# On a kernel without a feature: `up FILE` of lab $2 fails saying $3, leaves
# nothing behind, and the test is reported skipped with reason $4.
refused_then_skip() {
	run "$NETNS" up "$1"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$3"* ]]
	assert_gone "$2"
	skip "$4"
}

@test "every example comes up, check passes, and down leaves nothing" {
	for ex in router star leaf-spine; do
		f=$(example_as "$ex" "${PFX}$ex")
		run "$NETNS" up "$f"
		echo "$output"
		[ "$status" -eq 0 ]
		[[ "$output" == "lab ${PFX}$ex is up: "* ]]
		run "$NETNS" check "${PFX}$ex"
		echo "$output"
		[ "$status" -eq 0 ]
		[[ "$output" == *", 0 failed" ]]
		run "$NETNS" down "$f"
		[ "$status" -eq 0 ]
		assert_gone "${PFX}$ex"
	done
	"$EX/chain" 12 "${PFX}c" >"$BATS_TEST_TMPDIR/c.yaml"
	"$NETNS" up "$BATS_TEST_TMPDIR/c.yaml"
	run "$NETNS" check "${PFX}c"
	[ "$status" -eq 0 ]
	"$NETNS" down "${PFX}c"
	assert_gone "${PFX}c"
}

@test "the router example: iproute2 sees the wiring, marked as the lab's" {
	f=$(example_as router "${PFX}r")
	"$NETNS" up "$f"
	run ip -n "${PFX}r-r1" -d link show eth1
	[[ "$output" == *"mtu 9000"* && "$output" == *"alias netns:${PFX}r"* ]]
	run ip -n "${PFX}r-h1" -d link show eth0
	[[ "$output" == *"addrgenmode none"* ]] # no IPv6 address: no link-local set-up
	run ip -n "${PFX}r-h2" -6 addr show dev eth0
	[[ "$output" == *"fd00:2::2/64"* ]]
	run ip -n "${PFX}r-h1" route show default
	[ "$output" = "default via 10.0.1.1 dev eth0 " ]
	run ip netns exec "${PFX}r-r1" cat /proc/sys/net/ipv4/ip_forward
	[ "$output" = 1 ]
	run ip -n "${PFX}r-h1" link show lo
	[[ "$output" == *"UP"* ]]
	# Nothing in the root namespace.
	run ip -o link show
	[[ "$output" != *"${PFX}"* ]]
	"$NETNS" down "${PFX}r"
	assert_gone "${PFX}r"
}

@test "HTTP from h2 to h1's server across the router, with a real client" {
	f=$(example_as router "${PFX}w")
	"$NETNS" up "$f"
	for i in $(seq 50); do
		ip netns exec "${PFX}w-h2" curl -sf -o /dev/null http://10.0.1.2:8000/ && break
		sleep 0.1
	done
	run ip netns exec "${PFX}w-h2" curl -sf http://10.0.1.2:8000/
	[ "$status" -eq 0 ]
	[[ "$output" == *"Directory listing"* ]]
	run "$NETNS" status "${PFX}w"
	echo "$output"
	[[ "$output" == *"run h1[0] pid "*": running, log /run/netns-labs/${PFX}w/h1.run0.log"* ]]
	[[ "$output" == *"exec h2[0] pid "*": exited 0"* ]]
	[[ "$output" == *"link r1:eth1 -- h2:eth0 up"* ]]
	grep -q "GET / " "/run/netns-labs/${PFX}w/h1.run0.log"
	run "$NETNS" down "${PFX}w"
	[[ "$output" == *"3 namespaces removed"* ]]
	assert_gone "${PFX}w"
	! pgrep -f "http.server 8000 --bind 10.0.1.2" >/dev/null
}

@test "status -j, graph and dry-run describe the lab" {
	f=$(example_as router "${PFX}g")
	run "$NETNS" up --dry-run "$f"
	[ "$status" -eq 0 ]
	[[ "$output" == *"namespace ${PFX}g-r1"* && "$output" == *"veth ${PFX}g-h1:eth0 <-> ${PFX}g-r1:eth0"* ]]
	! ls /run/netns | grep -q "^${PFX}g-"
	run "$NETNS" graph "$f"
	[[ "$output" == "graph \"${PFX}g\" {"* && "$output" == *'"h1" -- "r1" [taillabel="eth0\n10.0.1.2/24"'* ]]
	"$NETNS" up "$f"
	run "$NETNS" status "${PFX}g" -j
	python3 -c 'import json,sys; d=json.loads(sys.argv[1])[0]; assert d["complete"] and all(n["present"] for n in d["nodes"]) and all(l["up"] for l in d["links"])' "$output"
	run "$NETNS" up "$f"
	[ "$status" -eq 0 ]
	[[ "$output" == "lab ${PFX}g is already up from "*": nothing to do" ]]
	sed 's/mtu: 9000/mtu: 1400/' "$f" >"$BATS_TEST_TMPDIR/other.yaml"
	run "$NETNS" up "$BATS_TEST_TMPDIR/other.yaml"
	[ "$status" -eq 1 ]
	[[ "$output" == *"already up from a different file"* ]]
	"$NETNS" down "${PFX}g"
	run "$NETNS" down "${PFX}g"
	[ "$status" -eq 0 ]
	[ "$output" = "lab ${PFX}g is not up: nothing to do" ]
}

@test "a rate on a link caps a measured transfer" {
	dir=$BATS_TEST_TMPDIR/www
	mkdir -p "$dir"
	head -c 2500000 /dev/zero >"$dir/blob"
	cat >"$BATS_TEST_TMPDIR/rate.yaml" <<-EOF
	name: ${PFX}t
	nodes:
	  a:
	    interfaces: {eth0: 10.9.0.1/24}
	    run: [[python3, -m, http.server, "8000", --bind, 10.9.0.1, --directory, "$dir"]]
	  b: {interfaces: {eth0: 10.9.0.2/24}}
	links:
	  - endpoints: [a:eth0, b:eth0]
	    rate: 8mbit
	EOF
	"$NETNS" up "$BATS_TEST_TMPDIR/rate.yaml"
	run ip netns exec "${PFX}t-a" tc qdisc show dev eth0
	[[ "$output" == *"qdisc tbf"*"rate 8Mbit"* ]]
	for i in $(seq 50); do
		ip netns exec "${PFX}t-b" curl -sf -o /dev/null http://10.9.0.1:8000/ && break
		sleep 0.1
	done
	bps=$(ip netns exec "${PFX}t-b" curl -sf -o /dev/null -w '%{speed_download}' http://10.9.0.1:8000/blob)
	echo "measured ${bps} bytes/s"
	# 8 Mbit/s is 1e6 bytes/s; allow the bucket's burst, refuse anything near line rate.
	python3 -c "import sys; b=float(sys.argv[1]); sys.exit(0 if 0.5e6 < b < 1.3e6 else 1)" "$bps"
	"$NETNS" down "${PFX}t"
}

@test "netem: RTT follows the configured delay, or up refuses clearly and creates nothing" {
	f=$(example_as wan "${PFX}n")
	ip netns add "${PFX}probe"
	ip -n "${PFX}probe" link set lo up
	has_netem=1
	ip netns exec "${PFX}probe" tc qdisc add dev lo root netem delay 1ms 2>/dev/null || has_netem=0
	ip netns del "${PFX}probe"
	[ "$has_netem" = 1 ] ||
		refused_then_skip "$f" "${PFX}n" "kernel has no netem qdisc (sch_netem)" \
			"kernel has no netem qdisc: checked that up refuses and creates nothing"
	"$NETNS" up "$f"
	rtt=$(ip netns exec "${PFX}n-site-a" ping -c 5 -i 0.2 192.168.100.2 | awk -F/ '/^rtt/ {print $5}')
	echo "avg rtt $rtt ms"
	python3 -c "import sys; r=float(sys.argv[1]); sys.exit(0 if 70 < r < 110 else 1)" "$rtt"
	"$NETNS" down "${PFX}n"
}

@test "validation corpus: exact FILE:LINE:COL messages, exit 2, nothing created" {
	for f in "$BAD"/*.yaml; do
		run "$NETNS" up "$f"
		echo "== $f"
		echo "$output"
		[ "$status" -eq 2 ]
		expected=$(sed "s|^|$f:|" "${f%.yaml}.expect")
		[ "$output" = "$expected" ]
	done
	! ls /run/netns | grep -q '^t4bad'
	! ls /run/netns-labs 2>/dev/null | grep -q '^t4bad'
}

@test "a namespace that is not the lab's, planted on the 50th node, is refused before anything is created" {
	"$EX/chain" 100 "${PFX}v" --plain >"$BATS_TEST_TMPDIR/v.yaml"
	ip netns add "${PFX}v-n50"
	run "$NETNS" up "$BATS_TEST_TMPDIR/v.yaml"
	echo "$output"
	[ "$status" -eq 2 ]
	line=$(grep -n '^  n50:$' "$BATS_TEST_TMPDIR/v.yaml" | cut -d: -f1)
	[[ "$output" == *":$line:3: namespace \"${PFX}v-n50\" already exists and is not part of lab \"${PFX}v\""* ]]
	[ "$(ls /run/netns | grep -c "^${PFX}v-")" -eq 1 ]
	[ ! -e "/run/netns-labs/${PFX}v" ]
	run "$NETNS" up --dry-run "$BATS_TEST_TMPDIR/v.yaml"
	[ "$status" -eq 2 ]
	[[ "$output" == *":$line:3: namespace \"${PFX}v-n50\" already exists and is not part of lab"* ]]
	ip netns del "${PFX}v-n50"
}

@test "a kernel refusal on the 50th node of 100 rolls everything back" {
	"$EX/chain" 100 "${PFX}b" --plain >"$BATS_TEST_TMPDIR/b.yaml"
	# A gateway outside every subnet: only the kernel can say no.
	sed -i 's|^  n50:$|  n50:\n    routes: {default: 192.0.2.1}|' "$BATS_TEST_TMPDIR/b.yaml"
	run "$NETNS" up "$BATS_TEST_TMPDIR/b.yaml"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"namespace ${PFX}b-n50"*"route"*"192.0.2.1"* ]]
	assert_gone "${PFX}b"
	[ "$(ls /run/netns | grep -c "^${PFX}b-" || true)" -eq 0 ]
}

@test "kill -9 of up at random moments: down removes everything, up works again" {
	runs=${TEST_KILL_RUNS:-10}
	[ "${TEST_LONG:-0}" = 1 ] && runs=50
	"$EX/chain" 300 "${PFX}k" --plain >"$BATS_TEST_TMPDIR/k.yaml"
	marker=$((RANDOM + 200000))
	sed -i "s|^  n1:\$|  n1:\n    run: [[sleep, \"$marker\"]]|; s|^  n300:\$|  n300:\n    run: [[sleep, \"$marker\"]]|" "$BATS_TEST_TMPDIR/k.yaml"
	for i in $(seq "$runs"); do
		"$NETNS" up "$BATS_TEST_TMPDIR/k.yaml" >/dev/null 2>&1 &
		pid=$!
		sleep "0.$((RANDOM % 40))"
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" || true
		run "$NETNS" down "${PFX}k"
		echo "run $i: $output"
		[ "$status" -eq 0 ]
		assert_gone "${PFX}k"
		! pgrep -x -f "sleep $marker" >/dev/null
	done
	run "$NETNS" up "$BATS_TEST_TMPDIR/k.yaml"
	[ "$status" -eq 0 ]
	[ "$(pgrep -c -x -f "sleep $marker")" -eq 2 ]
	"$NETNS" down "${PFX}k"
	assert_gone "${PFX}k"
	! pgrep -x -f "sleep $marker" >/dev/null
}

# Start `up` of $1.yaml and $2.yaml at the same time; outputs in $3 and $4.
up_together() {
	"$NETNS" up "$BATS_TEST_TMPDIR/$1.yaml" >"$BATS_TEST_TMPDIR/$3" 2>&1 &
	local a=$!
	"$NETNS" up "$BATS_TEST_TMPDIR/$2.yaml" >"$BATS_TEST_TMPDIR/$4" 2>&1 &
	local b=$!
	wait "$a" || true
	wait "$b" || true
	cat "$BATS_TEST_TMPDIR/$3" "$BATS_TEST_TMPDIR/$4"
}

@test "two different labs at once both come up; the same lab twice: one wins" {
	"$EX/chain" 150 "${PFX}p" --plain >"$BATS_TEST_TMPDIR/p.yaml"
	"$EX/chain" 150 "${PFX}q" --plain >"$BATS_TEST_TMPDIR/q.yaml"
	up_together p q p.out q.out
	[ "$(ls /run/netns | grep -c "^${PFX}p-")" -eq 150 ]
	[ "$(ls /run/netns | grep -c "^${PFX}q-")" -eq 150 ]
	"$NETNS" down "${PFX}p"
	"$NETNS" down "${PFX}q"

	up_together p p 1.out 2.out
	[ "$(cat "$BATS_TEST_TMPDIR"/[12].out | grep -c "is up: ")" -eq 1 ]
	grep -Eq "is busy: another netns up or down|already up from" "$BATS_TEST_TMPDIR"/[12].out
	[ "$(ls /run/netns | grep -c "^${PFX}p-")" -eq 150 ]
	"$NETNS" down "${PFX}p"
	assert_gone "${PFX}p"
}

@test "a failing exec: command rolls the lab back and quotes its output" {
	marker=$((RANDOM + 300000))
	cat >"$BATS_TEST_TMPDIR/e.yaml" <<-EOF
	name: ${PFX}e
	nodes:
	  a:
	    interfaces: {eth0: 10.7.0.1/24}
	    run: ["sleep $marker & sleep $marker; true"]
	  b:
	    interfaces: {eth0: 10.7.0.2/24}
	    exec: ["echo probing; ip link show nosuchif"]
	links:
	  - [a:eth0, b:eth0]
	EOF
	run "$NETNS" up "$BATS_TEST_TMPDIR/e.yaml"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"exec on node b failed with status 1: echo probing; ip link show nosuchif; its output: probing"* ]]
	assert_gone "${PFX}e"
	# The shell's children too: found by their namespace, not only the journal.
	! pgrep -x -f "sleep $marker" >/dev/null
	sed -i 's|exec: .*|exec: [[/nonexistent/prog]]|' "$BATS_TEST_TMPDIR/e.yaml"
	run "$NETNS" up "$BATS_TEST_TMPDIR/e.yaml"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *'node b: cannot start exec program "/nonexistent/prog": No such file or directory'* ]]
	assert_gone "${PFX}e"
	# Here the rollback races the run: shell forking its sleeps; none may survive.
	! pgrep -x -f "sleep $marker" >/dev/null
}

@test "macvlan and vxlan interfaces on nodes; expect unreachable; check --from/--to/--sample" {
	cat >"$BATS_TEST_TMPDIR/m.yaml" <<-EOF
	name: ${PFX}m
	nodes:
	  a:
	    interfaces:
	      eth0: 10.5.0.1/24
	      mv0: {type: macvlan, parent: eth0, addresses: 10.5.1.1/24}
	      vx0: {type: vxlan, vni: 42, remote: 10.5.0.2, parent: eth0, addresses: 10.6.0.1/24}
	  b:
	    interfaces:
	      eth0: 10.5.0.2/24
	      mv0: {type: macvlan, parent: eth0, mode: private, addresses: 10.5.1.2/24}
	      vx0: {type: vxlan, vni: 42, remote: 10.5.0.1, addresses: 10.6.0.2/24}
	  lonely: {interfaces: {eth0: 10.8.0.1/24}}
	  peer: {interfaces: {eth0: 10.8.0.2/24}}
	links:
	  - [a:eth0, b:eth0]
	  - [lonely:eth0, peer:eth0]
	expect:
	  unreachable: [[a, lonely], [a, peer], [b, lonely], [b, peer]]
	EOF
	"$NETNS" up "$BATS_TEST_TMPDIR/m.yaml"
	run ip -n "${PFX}m-b" -d link show vx0
	[[ "$output" == *"vxlan id 42 remote 10.5.0.1"*"dstport 4789"* ]]
	run ip -n "${PFX}m-b" -d link show mv0
	[[ "$output" == *"macvlan mode private"* ]]
	run "$NETNS" check "${PFX}m"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"a            "*"x"* ]]
	run "$NETNS" check "${PFX}m" --from a --to b -j
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["probes"] == 3 and d["failed"] == 0' "$output"
	run "$NETNS" check "${PFX}m" --sample 5
	[ "$status" -eq 0 ]
	# An expected-unreachable pair that answers is a failure.
	sed -i 's/unreachable: .*/unreachable: [[a, b]]/' "$BATS_TEST_TMPDIR/m.yaml"
	run "$NETNS" check "$BATS_TEST_TMPDIR/m.yaml" --from a --to b
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL a -> b (10.5.0.2/24): answered, expected unreachable"* ]]
	"$NETNS" down "${PFX}m"
	assert_gone "${PFX}m"
}

@test "state paths: a planted symlink is never followed; down FILE works after the file broke" {
	f=$(example_as star "${PFX}y")
	mkdir -p /run/netns-labs
	target=$BATS_TEST_TMPDIR/elsewhere
	mkdir -p "$target"
	ln -s "$target" "/run/netns-labs/${PFX}y"
	run "$NETNS" up "$f"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"/run/netns-labs/${PFX}y"* ]]
	[ -z "$(ls -A "$target")" ]
	! ls /run/netns | grep -q "^${PFX}y-"
	rm "/run/netns-labs/${PFX}y"

	"$NETNS" up "$f"
	[ "$(stat -c %a "/run/netns-labs/${PFX}y")" = 700 ]
	[ "$(stat -c %a "/run/netns-labs/${PFX}y/journal")" = 600 ]
	echo "links: [" >>"$f"
	run "$NETNS" down "$f"
	echo "$output"
	[ "$status" -eq 0 ]
	assert_gone "${PFX}y"
}

# Start `up` of a 400-node chain named $1 in the background (pid in $pid)
# and return once its journal exists: it is then creating namespaces.
start_up_of_chain() {
	"$EX/chain" 400 "$1" --plain >"$BATS_TEST_TMPDIR/$1.yaml"
	"$NETNS" up "$BATS_TEST_TMPDIR/$1.yaml" >"$BATS_TEST_TMPDIR/$1.out" 2>&1 &
	pid=$!
	for _ in $(seq 100); do [ -e "/run/netns-labs/$1/journal" ] && break; sleep 0.01; done
}

@test "down while up holds the lab's lock fails cleanly; the lab stays whole" {
	start_up_of_chain "${PFX}d"
	run "$NETNS" down "${PFX}d"
	echo "$output"
	wait "$pid"
	# The journal appears before the ~0.3 s of namespace creation starts.
	[ "$status" -eq 1 ]
	[[ "$output" == *"lab \"${PFX}d\" is busy"* ]]
	[ "$(ls /run/netns | grep -c "^${PFX}d-")" -eq 400 ]
	"$NETNS" down "${PFX}d"
	assert_gone "${PFX}d"
}

@test "TERM during up rolls back on its own: nothing remains, no down needed" {
	start_up_of_chain "${PFX}i"
	sleep 0.05
	kill -TERM "$pid"
	st=0
	wait "$pid" || st=$?
	cat "$BATS_TEST_TMPDIR/${PFX}i.out"
	[ "$st" -eq 143 ] # the signal strikes once the rollback is done
	assert_gone "${PFX}i"
}

@test "vlan interfaces: traffic on 802.1Q, or a clear refusal and nothing left where the kernel lacks 8021q" {
	sed "s/^name: .*/name: ${PFX}l/" /dev/stdin >"$BATS_TEST_TMPDIR/l.yaml" <<-'EOF'
	name: x
	nodes:
	  a:
	    interfaces:
	      eth0:
	      v10: {type: vlan, parent: eth0, id: 10, addresses: 10.10.0.1/24}
	  b:
	    interfaces:
	      eth0:
	      v10: {type: vlan, parent: eth0, id: 10, addresses: 10.10.0.2/24}
	links: [[a:eth0, b:eth0]]
	EOF
	ip netns add "${PFX}probe"
	has_vlan=1
	ip -n "${PFX}probe" link add d0 type veth peer name d1 2>/dev/null
	ip -n "${PFX}probe" link add link d0 name d0.5 type vlan id 5 2>/dev/null || has_vlan=0
	ip netns del "${PFX}probe"
	[ "$has_vlan" = 1 ] ||
		refused_then_skip "$BATS_TEST_TMPDIR/l.yaml" "${PFX}l" \
			"creating vlan ${PFX}l-a:v10: kernel has no vlan link type (8021q)" \
			"kernel has no 8021q: checked that up refuses and rolls back"
	"$NETNS" up "$BATS_TEST_TMPDIR/l.yaml"
	run "$NETNS" check "${PFX}l"
	[ "$status" -eq 0 ]
	run ip -n "${PFX}l-a" -d link show v10
	[[ "$output" == *"vlan protocol 802.1Q id 10"* ]]
	"$NETNS" down "${PFX}l"
	assert_gone "${PFX}l"
}
