# Shared by the bats files. Every test file sets PFX (unique name prefix);
# cleanup_prefix removes whatever carries it, even after a failure.

: "${NETNS:?NETNS must point at the netns binary}"

# A prefix unique to this file and run, short enough for interface names.
make_prefix() {
	printf 't%s%04x' "$1" $((RANDOM % 65536))
}

cleanup_prefix() {
	local p=$1 n
	for n in $(ls -A /run/netns 2>/dev/null); do
		case "$n" in "$p"*)
			umount -l "/run/netns/$n" 2>/dev/null || true
			rm -f "/run/netns/$n"
			;;
		esac
	done
	ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | while read -r l; do
		case "$l" in "$p"*) ip link del "$l" 2>/dev/null || true ;; esac
	done
}

# Run inside a private mount namespace with an empty tmpfs on /run/netns, so
# tests of -all and monitor only ever see their own namespaces.
isolated() {
	unshare --mount --propagation private sh -c 'mount -t tmpfs netns-test /run/netns && exec "$@"' isolated "$@"
}

# Teardown for topology tests: bring down every lab named $1*, and remove
# what a test planted in a lab's state directory (a symlink, a bad lock).
down_labs() {
	local d
	for d in /run/netns-labs/"$1"*; do
		[ -L "$d" ] && rm -f "$d"
		[ -d "$d" ] && "$NETNS" down -- "${d##*/}" >/dev/null 2>&1
		[ -d "$d" ] && rm -rf "$d"
	done
	return 0
}

# Nothing of lab $1 remains: namespaces, nsfs mounts, state directory.
assert_lab_gone() {
	! ls /run/netns | grep -q "^$1-"
	[ ! -e "/run/netns-labs/$1" ]
	! grep -q " /run/netns/$1-" /proc/self/mountinfo
}
