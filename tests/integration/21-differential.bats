#!/usr/bin/env bats
# Differential: the 40 cases of shared/reference/iproute2-netns.md §9, each
# run once with `ip netns` and once with `netns` in a private mount and
# network namespace with an empty /run/netns (so readdir order is the same for both and other
# people's namespaces are never seen), comparing stdout and exit status.
load helpers
bats_require_minimum_version 1.5.0

setup() {
	PFX=$(make_prefix 2x)
	cd "$BATS_TEST_TMPDIR" # the scripts' scratch files land here
}
teardown() {
	cleanup_prefix "$PFX"
	[ -z "${ETC_DIR:-}" ] || rm -rf "$ETC_DIR"
	rmdir /etc/netns 2>/dev/null || true
}

# The script prelude: N runs the tool's netns command, G takes global options
# first (`G -j list` = `ip -j netns list` / `netns -j list`), BIN is the
# absolute command for `env -i`.
prelude() {
	if [ "$1" = ip ]; then
		cat <<'EOF'
N() { ip netns "$@"; }
BIN="/usr/sbin/ip netns"
G() {
	local o=()
	while [[ ${1:-} == -* ]]; do
		o+=("$1"); shift
		case ${o[-1]} in -n|-batch) o+=("$1"); shift ;; esac
	done
	if (($#)); then ip "${o[@]}" netns "$@"; else ip "${o[@]}"; fi
}
EOF
	else
		printf 'N() { "%s" "$@"; }\nBIN="%s"\nG() { "%s" "$@"; }\n' "$NETNS" "$NETNS" "$NETNS"
	fi
	printf 'TOOL=%s\nT=%q\nR=/run/netns\nset +e\n' "$1" "$PFX"
}

# both [-s] [-r] SCRIPT: run SCRIPT (bash) with each tool in isolation and
# compare stdout and exit status. -s: compare sorted lines; -r: no /run/netns
# directory at all (a tmpfs hides /run).
both() {
	local sort=cat where=/run/netns
	while [[ $1 == -* ]]; do
		case $1 in -s) sort="sort" ;; -r) where=/run ;; esac
		shift
	done
	local tool out=() rc=()
	for tool in ip netns; do
		# A network namespace of its own too: nsids are per namespace.
		run --separate-stderr unshare --mount --net --propagation private \
			bash -c "mount -t tmpfs t2-diff $where && exec bash -c \"\$1\"" _ \
			"$(prelude $tool)
$1"
		out+=("$(printf '%s\n' "$output" | $sort)")
		rc+=("$status")
		echo "== $tool: status $status" >&2
		echo "$output" >&2
		echo "-- stderr:" >&2
		echo "$stderr" >&2
	done
	[ "${out[0]}" = "${out[1]}" ] || { echo "stdout differs" >&2; return 1; }
	[ "${rc[0]}" = "${rc[1]}" ] || { echo "status differs" >&2; return 1; }
	BOTH_OUT=${out[1]}
}

@test "1: no run directory: list prints nothing, even with -j" {
	both -r 'N; echo "rc $?"; G -j list; echo "rc $?"; [ -e $R ] && echo created'
	[ "$BOTH_OUT" = $'rc 0\nrc 0' ]
}

@test "2: empty run directory: -j list is []" {
	both 'G -j list; echo "rc $?"'
	[ "$BOTH_OUT" = $'[]\nrc 0' ]
}

@test "3: add then list" {
	both 'N add $T-1; echo "rc $?"; N list'
	[ "$BOTH_OUT" = $"rc 0
$PFX-1" ]
}

@test "4: add without a name, add an existing name" {
	both 'N add; echo "rc $?"; N add $T-1; N add $T-1; echo "rc $?"; ls $R'
}

@test "5: invalid names are usage errors (255)" {
	both 'for x in "" . .. a/b; do N add "$x"; echo "rc $?"; done; ls -A $R | wc -l'
}

@test "6: a 255-byte name works, 256 bytes is invalid" {
	both 'n=$(printf "x%.0s" $(seq 255)); N add $n; echo "rc $?"; N del $n; echo "rc $?";
		N add ${n}y; echo "rc $?"'
}

@test "7: spaces and a leading dash are allowed" {
	both -s 'N add "$T sp"; echo "rc $?"; N add -Tdash; echo "rc $?"; N list'
}

@test "8: unknown commands and the pre-dispatch name check" {
	both 'N bogus; echo "rc $?"; N bogus ""; echo "rc $?"; N ""; echo "rc $?"'
}

@test "9: help is a usage exit (255), nothing on stdout" {
	both 'N help; echo "rc $?"'
}

@test "10: s, sh, lst are list" {
	both 'N add $T-1; for w in s sh lst; do N $w; echo "rc $?"; done'
}

@test "11: identify inside exec" {
	both 'N add $T-1; N exec $T-1 $BIN identify; echo "rc $?"'
	[ "$BOTH_OUT" = "$PFX-1"$'\nrc 0' ]
}

@test "12: exec passes the exit status and signal deaths through" {
	both 'N add $T-1; N exec $T-1 sh -c "exit 42"; echo "rc $?";
		N exec $T-1 sh -c "kill -9 \$\$"; echo "rc $?"'
	[ "$BOTH_OUT" = $'rc 42\nrc 137' ]
}

@test "13: exec of a missing program is exit 1" {
	both 'N add $T-1; N exec $T-1 /nonexistent; echo "rc $?"'
}

@test "14: exec with a missing namespace or missing arguments" {
	both 'N add $T-1; N exec $T-missing true; echo "rc $?"; N exec; echo "rc $?";
		N exec $T-1; echo "rc $?"'
	[ "$BOTH_OUT" = $'rc 255\nrc 1\nrc 1' ]
}

@test "15: -- is not special for exec" {
	both 'N add $T-1; N exec $T-1 -- true; echo "rc $?"'
}

@test "16: /sys/class/net inside exec shows the namespace's devices" {
	both 'N add $T-1; N exec $T-1 ls /sys/class/net; echo "rc $?"'
	[ "$BOTH_OUT" = $'lo\nrc 0' ]
}

@test "17: exec keeps the environment as it is" {
	both 'N add $T-1; env -i FOO=bar $BIN exec $T-1 env; echo "rc $?"'
	[ "$BOTH_OUT" = $'FOO=bar\nrc 0' ]
}

@test "18: a stale placeholder file: exec fails with 255, list shows it" {
	both 'touch $R/$T-plain; N exec $T-plain true; echo "rc $?"; N list; echo "rc $?"'
}

@test "19: delete of a missing name" {
	both 'N delete $T-missing; echo "rc $?"'
}

@test "20: a stacked bind mount: netns deletes it at once (deliberate difference)" {
	run --separate-stderr isolated bash -c "
		ip netns add $PFX-1; mount --bind /run/netns/$PFX-1 /run/netns/$PFX-1
		ip netns del $PFX-1; echo \"ip \$?\"; ip netns del $PFX-1; echo \"ip \$?\"
		ip netns add $PFX-1; mount --bind /run/netns/$PFX-1 /run/netns/$PFX-1
		$NETNS del $PFX-1; echo \"netns \$?\"; ls /run/netns; grep -c $PFX /proc/self/mountinfo"
	[ "$output" = $'ip 1\nip 0\nnetns 0\n0' ]
}

@test "21: set, then list, -j list and list-id show the id" {
	both 'N add $T-1; N set $T-1 7; echo "rc $?"; N list; G -j list; N list-id'
	[ "$BOTH_OUT" = "rc 0
$PFX-1 (id: 7)
[{\"name\":\"$PFX-1\",\"id\":7}]
nsid 7 (iproute2 netns name: $PFX-1)" ]
}

@test "22: kernel refusals of set are exit 2" {
	both 'N add $T-1; N add $T-2; N set $T-1 7; N set $T-1 8; echo "rc $?";
		N set $T-2 7; echo "rc $?"; N set $T-2 auto; echo "rc $?"; N list-id'
}

@test "23: bad nsid values" {
	both 'N add $T-2; N set $T-2 -1; echo "rc $?"; N set $T-2 abc; echo "rc $?";
		N set $T-2; echo "rc $?"; N set $T-2 0x10; echo "rc $?"; N list'
}

@test "24: set on a missing name is exit 1" {
	both 'N set $T-missing 5; echo "rc $?"'
}

@test "25: list-id lookups and bad arguments" {
	both 'N add $T-1; N set $T-1 7; N list-id nsid 99; echo "rc $?"; N list-id foo; echo "rc $?";
		N list-id nsid x; echo "rc $?"; N list-id nsid; echo "rc $?"; N list-id nsid 7;
		echo "rc $?"; N list-id nsid 7 nsid 7; echo "rc $?"'
}

@test "25b: list-id target-nsid shows the target's ids and ours" {
	both 'N add $T-1; N add $T-2; N set $T-1 7; ip netns exec $T-1 ip netns set $T-2 3;
		N list-id target-nsid 7; echo "rc $?"; G -j list-id target-nsid 7;
		N list-id target-nsid 9; echo "rc $?"'
}

@test "26: identify in an unnamed namespace prints an empty line" {
	both 'N identify; echo "rc $?"'
	[ "$BOTH_OUT" = $'\nrc 0' ]
}

@test "27: identify errors" {
	both 'N identify abc; echo "rc $?"; N identify 1 2; echo "rc $?";
		N identify 999999999; echo "rc $?"'
}

@test "28: pids lists the process running in the namespace" {
	both 'N add $T-1; $BIN exec $T-1 sleep 30 & p=$!; sleep 0.3;
		[ "$(N pids $T-1)" = "$p" ] && echo found; echo "rc $?"; kill $p'
	[ "$BOTH_OUT" = $'found\nrc 0' ]
}

@test "29: pids errors" {
	both 'N add $T-1; N pids; echo "rc $?"; N pids $T-missing; echo "rc $?";
		N pids $T-1 x; echo "rc $?"'
}

@test "30: attach names a process's namespace, identify finds it" {
	both 'sleep 30 & p=$!; N attach $T-c $p; echo "rc $?"; N identify $p; echo "rc $?";
		N identify; kill $p'
	[ "$BOTH_OUT" = "rc 0
$PFX-c
rc 0
$PFX-c" ]
}

@test "31: attach errors leave nothing behind" {
	both 'N attach $T-c; echo "rc $?"; N attach $T-c abc; echo "rc $?";
		N attach $T-c 0; echo "rc $?"; N attach $T-c 999999999; echo "rc $?"; ls $R'
}

@test "32: -all exec prints a header per namespace and exits 0" {
	both 'N add $T-1; N add $T-2; G -all exec sh -c "echo hi; exit 3"; echo "rc $?"'
	[ "$BOTH_OUT" = "
netns: $PFX-2
hi

netns: $PFX-1
hi
rc 0" ]
}

@test "33: -all exec stops when a command is killed by a signal" {
	both 'N add $T-1; N add $T-2; G -all exec sh -c "kill -9 \$\$"; echo "rc $?"'
	[ "$BOTH_OUT" = $"
netns: $PFX-2
rc 1" ]
}

@test "34: -all delete ignores its name and deletes everything" {
	both 'N add $T-1; N add $T-2; G -all delete $T-1; echo "rc $?"; ls -A $R | wc -l'
	[ "$BOTH_OUT" = $'rc 0\n0' ]
}

@test "35: monitor reports add and delete" {
	both 'N add $T-1; if [ $TOOL = ip ]; then
			stdbuf -oL $BIN monitor > mon.$$ & else $BIN monitor > mon.$$ & fi
		m=$!; sleep 0.3; N add $T-9; N del $T-9; sleep 0.3; kill $m; wait $m; cat mon.$$; rm mon.$$'
	[ "$BOTH_OUT" = "add $PFX-9
delete $PFX-9" ]
}

@test "36: -n NAME runs the command inside NAME" {
	both 'N add $T-1; G -n $T-1 identify; echo "rc $?"'
	[ "$BOTH_OUT" = "$PFX-1"$'\nrc 0' ]
}

@test "37: -n with a missing namespace is exit 255" {
	both 'G -n $T-missing identify; echo "rc $?"'
}

@test "38: -batch stops at the first failure, -force goes on" {
	both 'printf "netns add $T-4\nnetns exec $T-4 sh -c \"exit 5\"\nnetns exec $T-4 echo after\n" > b.$$
		G -batch b.$$; echo "rc $?"; N del $T-4; G -force -batch b.$$; echo "rc $?"; rm b.$$'
	[ "$BOTH_OUT" = $'rc 1\nafter\nrc 1' ]
}

@test "39: a usage error ends a -force batch with 255" {
	both 'printf "netns add $T-5\nnetns bogus\nnetns del $T-5\n" > b.$$
		G -force -batch b.$$; echo "rc $?"; ls $R; rm b.$$'
	[ "$BOTH_OUT" = "rc 255
$PFX-5" ]
}

@test "40: /etc/netns/NAME files are bound over /etc inside exec" {
	ETC_DIR=/etc/netns/$PFX-1
	mkdir -p "$ETC_DIR"
	echo "nameserver 192.0.2.53 # $PFX" >"$ETC_DIR/resolv.conf"
	echo x >"$ETC_DIR/$PFX-new.conf"
	both 'N add $T-1; N exec $T-1 cat /etc/resolv.conf; echo "rc $?"; grep -c "$T" /etc/resolv.conf'
	[ "$BOTH_OUT" = "nameserver 192.0.2.53 # $PFX
rc 0
0" ]
	[[ $stderr == *"Bind $ETC_DIR/$PFX-new.conf -> /etc/$PFX-new.conf failed: No such file or directory"* ]]
}
