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
	local d
	for d in /run/netns-labs/"$PFX"*; do
		[ -d "$d" ] && "$NETNS" down "$(basename "$d")" >/dev/null 2>&1 || true
	done
	cleanup_prefix "$PFX"
}

assert_gone() {
	! ls /run/netns | grep -q "^$1-"
	[ ! -e "/run/netns-labs/$1" ]
	! grep -q " /run/netns/$1-" /proc/self/mountinfo
}

# netns "$@" as root without the capabilities in $DROP (setpriv syntax).
without() {
	setpriv --inh-caps="$DROP" --bounding-set="$DROP" "$NETNS" "$@"
}

@test "up without any capability: a clear error, nothing created" {
	"$TESTS_DIR/../examples/chain" 5 "${PFX}a" >"$BATS_TEST_TMPDIR/a.yaml"
	DROP=-all run without up "$BATS_TEST_TMPDIR/a.yaml"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ $output == "netns: up ${PFX}a: "*"Operation not permitted"* ]]
	assert_gone "${PFX}a"
}

@test "up without CAP_NET_ADMIN only: namespaces can be made, the wiring cannot; all rolled back" {
	"$TESTS_DIR/../examples/chain" 5 "${PFX}n" >"$BATS_TEST_TMPDIR/n.yaml"
	DROP=-net_admin run without up "$BATS_TEST_TMPDIR/n.yaml"
	echo "$output"
	[ "$status" -eq 1 ]
	# The step and its object are named: a sysctl of a node, or a request in a namespace.
	[[ $output == "netns: up ${PFX}n: "*"Operation not permitted"* ]]
	[[ $output == *"node n"[0-9]* || $output == *"${PFX}n-n"[0-9]* ]]
	assert_gone "${PFX}n"
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
	assert_gone "${PFX}e"
}
