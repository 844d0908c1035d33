#!/usr/bin/env bats
# Every lifecycle command against the real kernel: success and failure paths,
# exec's /etc and /sys views, exit codes, interop with iproute2, non-root.
load helpers
bats_require_minimum_version 1.5.0

setup() {
	PFX=$(make_prefix 2x)
	cd "$BATS_TEST_TMPDIR" # scratch files of the isolated scripts land here
}
teardown() {
	cleanup_prefix "$PFX"
	[ -z "${ETC_DIR:-}" ] || rm -rf "$ETC_DIR"
	rmdir /etc/netns 2>/dev/null || true
}

is_nsfs() { [ "$(stat -f -c %T "$1")" = nsfs ]; }

@test "add makes an nsfs mount under a shared /run/netns; delete removes both" {
	run "$NETNS" add "${PFX}a"
	[ "$status" -eq 0 ] && [ -z "$output" ]
	is_nsfs "/run/netns/${PFX}a"
	grep -q " /run/netns/${PFX}a .*shared:" /proc/self/mountinfo
	grep -q " /run/netns /run/netns .*shared:" /proc/self/mountinfo
	run "$NETNS" delete "${PFX}a"
	[ "$status" -eq 0 ] && [ -z "$output" ]
	[ ! -e "/run/netns/${PFX}a" ]
	! grep -q "/run/netns/${PFX}a " /proc/self/mountinfo
}

@test "bulk add stops at the first failure and keeps what it made" {
	"$NETNS" add "${PFX}b"
	run --separate-stderr "$NETNS" add "${PFX}a" "${PFX}b" "${PFX}c"
	[ "$status" -eq 1 ]
	[ "$stderr" = "Cannot create namespace file \"/run/netns/${PFX}b\": File exists" ]
	is_nsfs "/run/netns/${PFX}a"
	[ ! -e "/run/netns/${PFX}c" ]
	run "$NETNS" delete "${PFX}a" "${PFX}b"
	[ "$status" -eq 0 ]
}

@test "interop: ip netns uses what netns made, netns uses what ip made" {
	"$NETNS" add "${PFX}n"
	ip netns add "${PFX}i"
	run ip netns exec "${PFX}n" ip -o link show
	[ "$status" -eq 0 ] && [[ $output == "1: lo:"* ]] && [ "${#lines[@]}" -eq 1 ]
	run "$NETNS" exec "${PFX}i" ip -o link show
	[ "$status" -eq 0 ] && [[ $output == "1: lo:"* ]] && [ "${#lines[@]}" -eq 1 ]
	ip netns set "${PFX}n" auto
	"$NETNS" set "${PFX}i" auto
	[ "$("$NETNS" list | grep -c "^${PFX}[ni] (id: [0-9]*)$")" -eq 2 ]
	[ "$(ip netns list | grep -c "^${PFX}[ni] (id: [0-9]*)$")" -eq 2 ]
	ip netns delete "${PFX}n"
	"$NETNS" delete "${PFX}i"
	[ ! -e "/run/netns/${PFX}n" ] && [ ! -e "/run/netns/${PFX}i" ]
}

@test "names: control characters refused, leading dash after --, 255 bytes ok" {
	run --separate-stderr "$NETNS" add "${PFX}"$'a\nb'
	[ "$status" -eq 255 ]
	[[ $stderr == "Invalid netns name"* ]]
	run "$NETNS" add -- "-${PFX}d"
	[ "$status" -eq 0 ] && [ -e "/run/netns/-${PFX}d" ]
	run "$NETNS" delete -- "-${PFX}d"
	[ "$status" -eq 0 ] && [ ! -e "/run/netns/-${PFX}d" ]
	long=$PFX$(printf 'x%.0s' $(seq $((255 - ${#PFX}))))
	run "$NETNS" add "$long"
	[ "$status" -eq 0 ]
	"$NETNS" delete "$long"
}

@test "delete -- -all deletes a name, never everything" {
	"$NETNS" add "${PFX}k"
	run --separate-stderr "$NETNS" delete -- -all
	[ "$status" -eq 1 ]
	[[ $stderr == *'"/run/netns/-all": No such file or directory' ]]
	[ -e "/run/netns/${PFX}k" ]
}

@test "list -j after the subcommand, and -j -p" {
	"$NETNS" add "${PFX}j"
	"$NETNS" set "${PFX}j" auto
	run "$NETNS" list -j
	[ "$status" -eq 0 ]
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); e=[x for x in d if x["name"]==sys.argv[2]][0]; assert isinstance(e["id"], int)' "$output" "${PFX}j"
	run "$NETNS" -j -p list
	python3 -c 'import json,sys; json.loads(sys.argv[1])' "$output"
	run "$NETNS" list-id -j
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert any(x.get("name")==sys.argv[2] for x in d)' "$output" "${PFX}j"
}

@test "a stale placeholder is explained by list and exec, and delete removes it" {
	isolated bash -c "
		touch /run/netns/${PFX}s
		$NETNS list 2>err >out; echo \"list \$?\"
		$NETNS exec ${PFX}s true 2>exec_err; echo \"exec \$?\"
		cat out; grep -c 'not a network namespace' err; grep -c 'failed add' exec_err
		$NETNS delete ${PFX}s; echo \"delete \$?\"; ls -A /run/netns | wc -l" >"$BATS_TEST_TMPDIR/o"
	run cat "$BATS_TEST_TMPDIR/o"
	[ "$output" = "list 0
exec 255
${PFX}s
1
1
delete 0
0" ]
}

@test "exec: /etc/netns overlay is seen only inside, the host's /etc is untouched" {
	ETC_DIR=/etc/netns/${PFX}e
	mkdir -p "$ETC_DIR"
	echo "nameserver 192.0.2.1 # ${PFX}" >"$ETC_DIR/resolv.conf"
	"$NETNS" add "${PFX}e"
	run --separate-stderr "$NETNS" exec "${PFX}e" cat /etc/resolv.conf
	[ "$status" -eq 0 ] && [ "$output" = "nameserver 192.0.2.1 # ${PFX}" ] && [ -z "$stderr" ]
	! grep -q "$PFX" /etc/resolv.conf
	! grep -q "$ETC_DIR" /proc/self/mountinfo
	# A namespace without a directory sees the host's file.
	"$NETNS" add "${PFX}f"
	run "$NETNS" exec "${PFX}f" cat /etc/resolv.conf
	[ "$output" = "$(cat /etc/resolv.conf)" ]
}

@test "exec: a failed /etc bind only warns; the command still runs" {
	ETC_DIR=/etc/netns/${PFX}w
	mkdir -p "$ETC_DIR"
	touch "$ETC_DIR/${PFX}-absent.conf"
	"$NETNS" add "${PFX}w"
	run --separate-stderr "$NETNS" exec "${PFX}w" echo ran
	[ "$status" -eq 0 ] && [ "$output" = ran ]
	[ "$stderr" = "Bind $ETC_DIR/${PFX}-absent.conf -> /etc/${PFX}-absent.conf failed: No such file or directory" ]
}

@test "exec: /sys is a fresh sysfs named after the namespace showing its devices" {
	"$NETNS" add "${PFX}y"
	ip -n "${PFX}y" link add "${PFX}v0" type veth peer name "${PFX}v1"
	run "$NETNS" exec "${PFX}y" ls /sys/class/net
	[ "$output" = "lo
${PFX}v0
${PFX}v1" ]
	run "$NETNS" exec "${PFX}y" awk '$5 == "/sys" {print $9}' /proc/self/mountinfo
	[ "$output" = "${PFX}y" ]
	# The host's /sys is unchanged.
	[ ! -e "/sys/class/net/${PFX}v0" ]
}

@test "exec: the mount namespace is private, the process is not forked" {
	"$NETNS" add "${PFX}p"
	run "$NETNS" exec "${PFX}p" readlink /proc/self/ns/mnt
	[ "$status" -eq 0 ] && [ "$output" != "$(readlink /proc/self/ns/mnt)" ]
	# The command replaced netns: its parent is whoever ran netns.
	run "$NETNS" exec "${PFX}p" sh -c 'cat /proc/$PPID/comm'
	[ "$output" != netns ]
}

@test "exec: exit status and signals of the command are the result" {
	"$NETNS" add "${PFX}x"
	for code in 0 1 3 42 254; do
		run "$NETNS" exec "${PFX}x" sh -c "exit $code"
		[ "$status" -eq "$code" ]
	done
	run "$NETNS" exec "${PFX}x" sh -c 'kill -TERM $$'
	[ "$status" -eq 143 ]
	run --separate-stderr "$NETNS" exec "${PFX}x" "${PFX}-no-such-command"
	[ "$status" -eq 1 ] && [ "$stderr" = "exec of \"${PFX}-no-such-command\" failed: No such file or directory" ]
}

@test "-all exec: headers, failures ignored, child setup failure is exit 1 there" {
	run isolated bash -c "$NETNS add ${PFX}1 ${PFX}2; touch /run/netns/${PFX}0
		$NETNS -all exec sh -c 'echo in \$(\"$NETNS\" identify)'; echo \"rc \$?\""
	[ "$output" = "
netns: ${PFX}0
setting the network namespace \"${PFX}0\" failed: Invalid argument (/run/netns/${PFX}0 is not a namespace mount: left by a failed add, or mounted in another mount namespace only; 'netns delete ${PFX}0' removes it)

netns: ${PFX}2
in ${PFX}2

netns: ${PFX}1
in ${PFX}1
rc 0" ]
}

@test "-batch from stdin: exec forks, the batch goes on, options end with the line" {
	run --separate-stderr "$NETNS" -batch - <<EOF
add ${PFX}q
# a comment line
exec ${PFX}q sh -c 'echo "\$(netns_unused=1; echo first)"'
list -j
exec ${PFX}q \\
  echo second
delete ${PFX}q
EOF
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = first ]
	[[ ${lines[1]} == "["* ]]
	[ "${lines[2]}" = second ]
	[ ! -e "/run/netns/${PFX}q" ]
}

@test "-batch reports the failing line and exits 1" {
	printf 'add %s\nadd %s\ndelete %s\n' "${PFX}r" "${PFX}r" "${PFX}r" >"$BATS_TEST_TMPDIR/b"
	run --separate-stderr "$NETNS" -batch "$BATS_TEST_TMPDIR/b"
	[ "$status" -eq 1 ]
	[[ $stderr == *"Command failed $BATS_TEST_TMPDIR/b:2" ]]
	[ -e "/run/netns/${PFX}r" ]
	run --separate-stderr "$NETNS" -force -batch "$BATS_TEST_TMPDIR/b"
	[ "$status" -eq 1 ]
	[ ! -e "/run/netns/${PFX}r" ]
}

@test "monitor: line-buffered events for add and delete (also failed adds)" {
	run isolated bash -c "
		$NETNS monitor > mon & m=\$!; sleep 0.3
		$NETNS add ${PFX}m; $NETNS delete ${PFX}m
		$NETNS attach ${PFX}z 999999999 2>/dev/null
		sleep 0.3; cat mon; kill \$m"
	[ "$output" = "add ${PFX}m
delete ${PFX}m
add ${PFX}z
delete ${PFX}z" ]
}

@test "pids and identify agree with a process's namespace" {
	"$NETNS" add "${PFX}i"
	"$NETNS" exec "${PFX}i" sleep 20 &
	p=$!
	sleep 0.3
	run "$NETNS" pids "${PFX}i"
	[ "$output" = "$p" ]
	run "$NETNS" identify "$p"
	[ "$output" = "${PFX}i" ]
	# Two names for one namespace: identify prints one of them, pids both ways.
	"$NETNS" attach "${PFX}i2" "$p"
	run "$NETNS" identify "$p"
	[[ $output == "${PFX}i" || $output == "${PFX}i2" ]]
	[ "$("$NETNS" pids "${PFX}i2")" = "$p" ]
	kill "$p"
	wait "$p" || true
}

@test "set and list-id: ids appear in list, errors are exit 2" {
	"$NETNS" add "${PFX}s"
	run "$NETNS" set "${PFX}s" auto
	[ "$status" -eq 0 ]
	id=$("$NETNS" -j list | python3 -c "import json,sys; print([e['id'] for e in json.load(sys.stdin) if e['name']=='${PFX}s'][0])")
	run "$NETNS" list-id nsid "$id"
	[ "$output" = "nsid $id (iproute2 netns name: ${PFX}s)" ]
	run --separate-stderr "$NETNS" set "${PFX}s" auto
	[ "$status" -eq 2 ]
	[[ $stderr == "Error: "*"${PFX}s"*"Peer netns already has a nsid assigned"* ]]
}

@test "help for every subcommand, version" {
	for c in list list-id add set delete identify pids exec monitor attach; do
		run "$NETNS" "$c" --help
		[ "$status" -eq 0 ] && [[ $output == "Usage: netns "* ]]
	done
	run "$NETNS" -V
	[ "$status" -eq 0 ] && [[ $output == "netns "[0-9]* ]]
	run --separate-stderr "$NETNS" help
	[ "$status" -eq 255 ] && [ -z "$output" ] && [[ $stderr == "Usage: netns"* ]]
}

@test "without CAP_SYS_ADMIN: a clear error, non-zero exit, nothing created" {
	command -v setpriv >/dev/null || skip "setpriv missing"
	run --separate-stderr setpriv --inh-caps=-all --bounding-set=-all "$NETNS" add "${PFX}u"
	[ "$status" -eq 1 ]
	[[ $stderr == *"Operation not permitted"* ]]
	[ ! -e "/run/netns/${PFX}u" ]
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$NETNS" add "${PFX}u"
	[ "$status" -eq 1 ]
	[[ $stderr == *"Permission denied"* || $stderr == *"Operation not permitted"* ]]
	[ ! -e "/run/netns/${PFX}u" ]
	"$NETNS" add "${PFX}o"
	run --separate-stderr setpriv --inh-caps=-all --bounding-set=-all "$NETNS" delete "${PFX}o"
	[ "$status" -eq 1 ]
	run --separate-stderr setpriv --inh-caps=-all --bounding-set=-all "$NETNS" exec "${PFX}o" true
	[ "$status" -eq 255 ] && [[ $stderr == *"Operation not permitted"* ]]
	[ "$(grep -c "/run/netns/${PFX}" /proc/self/mountinfo)" -eq 1 ]
}
