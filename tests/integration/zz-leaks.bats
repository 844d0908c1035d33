#!/usr/bin/env bats
# Runs last: the suite must leave the machine as it found it.

@test "no namespaces, root links or nsfs mounts leaked by the suite" {
	[ -n "${LEAK_SNAPSHOT:-}" ] || skip "run through tests/run-all"
	"$TESTS_DIR/integration/snapshot" >"$LEAK_SNAPSHOT/after"
	run diff -u "$LEAK_SNAPSHOT/before" "$LEAK_SNAPSHOT/after"
	echo "$output"
	[ "$status" -eq 0 ]
	rm -rf "$LEAK_SNAPSHOT"
}
