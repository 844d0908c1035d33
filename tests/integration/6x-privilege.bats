#!/usr/bin/env bats
# Least privilege: without CAP_SYS_ADMIN / CAP_NET_ADMIN every command fails
# with a clear error and leaves nothing; run:/exec: programs start with a
# clean environment and no inherited file descriptors.
# (20-lifecycle covers add, delete and exec with no capabilities at all.)
load helpers

setup() {
	command -v setpriv >/dev/null || skip "setpriv missing"
	PFX=$(make_prefix 6x)
	export PFX
}

teardown() {
	down_labs "$PFX"
	cleanup_prefix "$PFX"
}

# netns "$@" as root without the capabilities in $DROP (setpriv syntax).
without() {
	setpriv --inh-caps="$DROP" --bounding-set="$DROP" "$NETNS" "$@"
}

# `up` of a 5-node chain named $1 without $DROP fails clearly, leaves nothing.
up_refused() {
	"$TESTS_DIR/../examples/chain" 5 "$1" >"$BATS_TEST_TMPDIR/$1.yaml"
	run without up "$BATS_TEST_TMPDIR/$1.yaml"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ $output == "netns: up $1: "*"Operation not permitted"* ]]
	assert_lab_gone "$1"
}

@test "up without any capability: a clear error, nothing created" {
	DROP=-all up_refused "${PFX}a"
}

@test "up without CAP_NET_ADMIN only: namespaces can be made, the wiring cannot; all rolled back" {
	DROP=-net_admin up_refused "${PFX}n"
	# The step and its object are named: a sysctl of a node, or a request in a namespace.
	[[ $output == *"node n"[0-9]* || $output == *"${PFX}n-n"[0-9]* ]]
}

@test "connect and add without capabilities: clear errors, namespaces unchanged" {
	"$NETNS" add "${PFX}x" "${PFX}y"
	DROP=-net_admin run without connect "${PFX}x" "${PFX}y"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ $output == *"Operation not permitted"* ]]
	[ "$(ip -n "${PFX}x" -o link | wc -l)" -eq 1 ]
	[ "$(ip -n "${PFX}y" -o link | wc -l)" -eq 1 ]
	DROP=-sys_admin run without connect "${PFX}x" "${PFX}y"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ $output == *"Operation not permitted"* ]]
	[ "$(ip -n "${PFX}x" -o link | wc -l)" -eq 1 ]
	DROP=-sys_admin run without add "${PFX}z"
	[ "$status" -eq 1 ]
	[[ $output == *"Operation not permitted"* ]]
	[ ! -e "/run/netns/${PFX}z" ]
	DROP=-sys_admin run without exec "${PFX}x" true
	[ "$status" -eq 255 ]
	[[ $output == *"Operation not permitted"* ]]
}

@test "run: and exec: programs get a clean environment, no inherited fds, / as cwd" {
	cat >"$BATS_TEST_TMPDIR/e.yaml" <<-EOF
	name: ${PFX}e
	nodes:
	  a:
	    run: [[/usr/bin/env]]
	    exec: [[/bin/ls, -l, /proc/self/fd/], [/bin/sh, -c, 'env; pwd']]
	links: []
	EOF
	# Secrets in the caller's environment and open fds that must not leak.
	(
		export T6_SECRET=leak LD_PRELOAD= PYTHONPATH=/x
		exec 7>"$BATS_TEST_TMPDIR/held" 9<"$BATS_TEST_TMPDIR/e.yaml"
		cd "$BATS_TEST_TMPDIR"
		"$NETNS" up "$BATS_TEST_TMPDIR/e.yaml"
	)
	d=/run/netns-labs/${PFX}e
	for _ in $(seq 50); do [ -s "$d/a.run0.log" ] && break; sleep 0.1; done
	ls -l "$d"
	cat "$d"/*.log
	run sort "$d/a.run0.log"
	[ "$output" = "$(printf 'HOME=/\nLANG=C.UTF-8\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')" ]
	! grep -q T6_SECRET "$d"/*.log
	# ls sees 0-2 and the directory it is listing; nothing else.
	run grep -c -- '->' "$d/a.exec0.log"
	[ "$output" -eq 4 ]
	grep -q ' 0 -> /dev/null' "$d/a.exec0.log"
	grep -q " 1 -> $d/a.exec0.log" "$d/a.exec0.log"
	grep -q " 2 -> $d/a.exec0.log" "$d/a.exec0.log"
	grep -q ' 3 -> /proc/.*/fd' "$d/a.exec0.log"
	tail -1 "$d/a.exec1.log" | grep -qx /
	"$NETNS" down "${PFX}e"
	assert_lab_gone "${PFX}e"
}
