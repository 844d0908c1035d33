#!/usr/bin/env bats
# Hostile names and paths: names that try to leave /run/netns, control
# characters, over-long names, leading dashes; symlinks planted in
# /run/netns and in the state directory; modes of state files; nothing
bats_require_minimum_version 1.5.0
# outside /run/netns and /run/netns-labs is ever unlinked or unmounted.
load helpers

setup() {
	PFX=$(make_prefix 6x)
	export PFX
	VICTIM=$BATS_TEST_TMPDIR/victim
	mkdir -p "$VICTIM"
	echo precious >"$VICTIM/file"
}

teardown() {
	local d
	for d in /run/netns-labs/"$PFX"* /run/netns-labs/-"$PFX"*; do
		[ -L "$d" ] && rm -f "$d"
		[ -d "$d" ] && "$NETNS" down -- "$(basename "$d")" >/dev/null 2>&1
		[ -d "$d" ] && rm -rf "$d" # a planted lock stops down: ours to remove
	done
	for d in /run/netns/-"$PFX"*; do
		[ -e "$d" ] || [ -L "$d" ] || continue
		umount -l "$d" 2>/dev/null || true
		rm -f "$d"
	done
	mountpoint -q "$VICTIM/mnt" 2>/dev/null && umount "$VICTIM/mnt"
	cleanup_prefix "$PFX"
}

victim_untouched() {
	[ "$(cat "$VICTIM/file")" = precious ]
	[ "$(stat -c %a "$VICTIM/file")" = 644 ]
}

@test "names that leave /run/netns, control characters, 256 bytes: refused by every command, exit 255" {
	long=$PFX$(printf 'x%.0s' $(seq $((256 - ${#PFX}))))
	for bad in "../$PFX" "$PFX/x" "." ".." "$PFX"$'\t' "$PFX"$'\x7f' "$PFX"$'\e[31m' "$long" ""; do
		for cmd in add delete pids "exec" attach set; do
			run --separate-stderr "$NETNS" $cmd "$bad" 1
			[ "$status" -eq 255 ] || { echo "$cmd '$bad': $status $stderr"; false; }
			[[ $stderr == "Invalid netns name"* ]]
		done
		run --separate-stderr "$NETNS" -n "$bad" list
		[ "$status" -eq 255 ]
	done
	[ ! -e "/run/$PFX" ]
	! ls -A /run/netns | grep -q "^$PFX"
}

@test "connect and up refuse hostile names with a clear message and create nothing" {
	run --separate-stderr "$NETNS" connect "../$PFX:eth0" "${PFX}b"
	[ "$status" -ne 0 ]
	[[ $stderr == *"../$PFX"* ]]
	for name in "../$PFX" "$PFX/x" "$PFX..x/.." "${PFX}$(printf 'y%.0s' $(seq 250))"; do
		printf 'name: "%s"\nnodes: {a: {}}\nlinks: []\n' "$name" >"$BATS_TEST_TMPDIR/bad.yaml"
		run --separate-stderr "$NETNS" up "$BATS_TEST_TMPDIR/bad.yaml"
		echo "$name: $stderr"
		[ "$status" -eq 2 ]
		[[ $stderr == *"bad.yaml:1:"*"lab name"* ]]
	done
	printf 'name: %s\nnodes: {"a/../../x": {}, "b\\tc": {}}\nlinks: []\n' "$PFX" >"$BATS_TEST_TMPDIR/bad.yaml"
	run --separate-stderr "$NETNS" up "$BATS_TEST_TMPDIR/bad.yaml"
	echo "$stderr"
	[ "$status" -eq 2 ]
	[[ $stderr == *"bad.yaml:2:"*"a/../../x"* ]]
	! ls -A /run/netns | grep -q "^$PFX"
	[ ! -e "/run/netns-labs/$PFX" ]
	[ ! -e "/run/x" ]
}

@test "a leading dash is a name like any other: add, exec, pids, delete, and a lab with up/status/down" {
	n=-${PFX}d
	"$NETNS" add -- "$n"
	run "$NETNS" exec "$n" ip -o link show lo
	[ "$status" -eq 0 ]
	run "$NETNS" pids "$n"
	[ "$status" -eq 0 ]
	run "$NETNS" connect "$n:eth0" "$n:eth1"
	[ "$status" -eq 255 ] # an option as iproute2 would take it...
	"$NETNS" connect -- "$n:eth0" "$n:eth1" # ...unless after --
	run "$NETNS" inspect "$n"
	[[ $output == *eth0* && $output == *eth1* ]]
	"$NETNS" delete -- "$n"
	[ ! -e "/run/netns/$n" ]

	printf 'name: "%s"\nnodes:\n  "-a": {interfaces: {eth0: 10.9.0.1/24}}\n  b: {interfaces: {eth0: 10.9.0.2/24}}\nlinks: [["-a:eth0", "b:eth0"]]\n' \
		"-${PFX}l" >"$BATS_TEST_TMPDIR/dash.yaml"
	run "$NETNS" up "$BATS_TEST_TMPDIR/dash.yaml"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -e "/run/netns/-${PFX}l--a" ]
	run "$NETNS" check -- "-${PFX}l"
	echo "$output"
	[ "$status" -eq 0 ]
	run "$NETNS" down -- "-${PFX}l"
	echo "$output"
	[ "$status" -eq 0 ]
	[ ! -e "/run/netns/-${PFX}l--a" ] && [ ! -e "/run/netns-labs/-${PFX}l" ]
}

# Run the rest of the test's commands in a private mount namespace with a
# tmpfs on /run/netns: planted entries never reach colleagues' commands.
in_private_rundir() {
	isolated bash -c "$1" _ "$NETNS" "$PFX" "$VICTIM"
}

@test "symlinks planted in /run/netns are never followed: add, exec, delete, list, identify, -all" {
	mkdir -p "$VICTIM/mnt"
	mount -t tmpfs t6victim "$VICTIM/mnt"
	mkfifo "$VICTIM/fifo"
	run in_private_rundir '
		set -e
		N=$1 P=$2 V=$3
		ln -s "$V/file" /run/netns/${P}f
		ln -s "$V/mnt" /run/netns/${P}m
		ln -s "$V/fifo" /run/netns/${P}p
		ln -s / /run/netns/${P}r
		$N add ${P}f && exit 10 || true
		$N exec ${P}f true && exit 11 || true
		$N exec ${P}m true && exit 12 || true
		timeout 10 $N list >/dev/null || exit 13
		timeout 10 $N identify $$ || exit 14
		timeout 10 $N list-id >/dev/null || exit 15
		timeout 10 $N -all exec true >/dev/null 2>&1 || true
		$N delete ${P}f ${P}m ${P}p
		$N delete ${P}r
		[ -z "$(ls -A /run/netns)" ] || exit 16
	'
	echo "$output"
	[ "$status" -eq 0 ]
	victim_untouched
	[ -p "$VICTIM/fifo" ]
	mountpoint -q "$VICTIM/mnt"
	[ -d / ] && [ -d /run ]
}

@test "symlinks planted in a lab's state directory are never followed; state files 0600 in 0700" {
	lab=${PFX}s
	printf 'name: %s\nnodes:\n  a:\n    run: ["sleep 3600"]\nlinks: []\n' "$lab" >"$BATS_TEST_TMPDIR/s.yaml"
	# Planted before up: a state directory of the lab with symlinked files.
	mkdir -m 0700 -p "/run/netns-labs/$lab"
	for f in lock journal topology.yaml source a.run0.log; do
		ln -s "$VICTIM/file" "/run/netns-labs/$lab/$f"
	done
	run "$NETNS" up "$BATS_TEST_TMPDIR/s.yaml"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ $output == *"lab \"$lab\""*"symbolic links"* ]]
	victim_untouched
	! ls /run/netns | grep -q "^$lab-"
	rm -rf "/run/netns-labs/$lab"

	# A clean up, done with umask 0: modes are still private.
	(umask 0 && "$NETNS" up "$BATS_TEST_TMPDIR/s.yaml")
	[ "$(stat -c %a /run/netns-labs)" = 700 ] || [ "$(stat -c %a /run/netns-labs)" = 711 ] ||
		[ "$(stat -c %a /run/netns-labs)" = 755 ]
	[ "$(stat -c %a "/run/netns-labs/$lab")" = 700 ]
	run find "/run/netns-labs/$lab" -mindepth 1 ! -perm 600
	echo "$output"
	[ -z "$output" ]
	# Planted after up: down unlinks the links themselves, never their targets.
	ln -s "$VICTIM/file" "/run/netns-labs/$lab/planted"
	rm -f "/run/netns-labs/$lab/topology.yaml"
	ln -s "$VICTIM/file" "/run/netns-labs/$lab/topology.yaml"
	run "$NETNS" down "$lab"
	echo "$output"
	victim_untouched
	[ ! -e "/run/netns-labs/$lab" ] && [ ! -L "/run/netns-labs/$lab" ]
	! ls /run/netns | grep -q "^$lab-"
}

@test "the state directory itself planted as a symlink is refused (private /run)" {
	printf 'name: %s\nnodes: {a: {}}\nlinks: []\n' "${PFX}p" >"$BATS_TEST_TMPDIR/p.yaml"
	run unshare --mount --propagation private bash -c '
		mount -t tmpfs t6run /run && ln -s "$3" /run/netns-labs && "$1" up "$2"' _ \
		"$NETNS" "$BATS_TEST_TMPDIR/p.yaml" "$VICTIM"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ $output == *"/run/netns-labs"* ]]
	[ "$(ls -A "$VICTIM")" = file ]
	victim_untouched
}

# Every unlink, rmdir and umount netns makes, by absolute path or dirfd.
removals() {
	strace -f -y -qq -e trace=unlink,unlinkat,rmdir,umount2 -o "$BATS_TEST_TMPDIR/strace" "$@" \
		>/dev/null 2>&1 || true
	grep -oE '(unlink|unlinkat|rmdir|umount2)\((AT_FDCWD|[0-9]+<[^>]*>), *"[^"]*"|(unlink|rmdir|umount2)\("[^"]*"' \
		"$BATS_TEST_TMPDIR/strace" || true
}

@test "nothing outside /run/netns and /run/netns-labs is unlinked or unmounted (strace)" {
	command -v strace >/dev/null || skip "strace missing"
	"$TESTS_DIR/../examples/chain" 4 "${PFX}t" --plain >"$BATS_TEST_TMPDIR/t.yaml"
	{
		removals "$NETNS" up "$BATS_TEST_TMPDIR/t.yaml"
		removals "$NETNS" down "${PFX}t"
		"$NETNS" add "${PFX}a"
		removals "$NETNS" delete "${PFX}a"
		# A failed up rolls back: a gateway only the kernel refuses.
		sed -i 's|^  n3:$|  n3:\n    routes: {default: 192.0.2.1}|' "$BATS_TEST_TMPDIR/t.yaml"
		removals "$NETNS" up "$BATS_TEST_TMPDIR/t.yaml"
	} >"$BATS_TEST_TMPDIR/calls"
	cat "$BATS_TEST_TMPDIR/calls"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/calls")" -gt 10 ]
	run grep -vE '\((AT_FDCWD, *)?"/run/netns(-labs)?/|\([0-9]+</run/netns(-labs)?(/[^>]*)?>, *"[^"/]+"' \
		"$BATS_TEST_TMPDIR/calls"
	echo "outside: $output"
	[ -z "$output" ]
	[ ! -e "/run/netns-labs/${PFX}t" ]
	! ls /run/netns | grep -q "^${PFX}"
}
