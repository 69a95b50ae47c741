#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In-guest half of tests/vm/run-all.sh: runs the named tests one after the
# other in this guest and prints one TAP line per test, "ok t-name" or
# "not ok t-name", after the test's own output as "# " lines.
#
#   guest-run-all.sh [-T default_timeout_s] t-name...
#
# Each test runs as its own process group under timeout(1): default 120 s,
# or the N of a "# vm-timeout: N" line in the test. Between tests, what a
# test left behind (processes, namespaces) is removed, and herald.ko is
# loaded again if the guest booted with it and the test unloaded it. A test
# also fails when the kernel log gained a warning, BUG, oops or call trace
# while it ran. The full output of each test is kept in $VM_OUT/<t-name>.log.

. "$VM_TOP/tests/vm/netns.sh"
trap - EXIT TERM INT # netns.sh's cleanup is for a single test, not for us

default_timeout=120
if [ "$1" = -T ]; then
	default_timeout=$2
	shift 2
fi

failed=0
for name in "$@"; do
	t=$VM_TOP/tests/vm/$name.sh
	log=$VM_OUT/$name.log
	if [ ! -f "$t" ]; then
		not_ok "$name" "no such test: $t"
		failed=$((failed + 1))
		continue
	fi
	limit=$(sed -n 's/^# vm-timeout: *\([0-9][0-9]*\).*/\1/p' "$t" | head -n 1)
	limit=${limit:-$default_timeout}

	why=
	: >"$log"
	if [ "$VM_HERALD" = loaded ] && ! herald_loaded; then
		if ! herald_load >>"$log" 2>&1; then
			why="herald.ko failed to load before the test"
			sed 's/^/#   /' "$log"
		fi
	fi

	if [ -z "$why" ]; then
		dmesg_mark
		diag "$name (timeout ${limit} s)"
		t0=$(date +%s)
		# timeout(1) puts the test in a process group of its own.
		if [ -x "$t" ]; then run=""; else run="sh"; fi
		# shellcheck disable=SC2086 # $run is empty or "sh"
		timeout -k 5 "$limit" $run "$t" </dev/null >>"$log" 2>&1 &
		tpid=$!
		wait "$tpid"
		rc=$?
		kill -KILL -- "-$tpid" 2>/dev/null
		ip -all netns delete 2>/dev/null
		sed 's/^/#   /' "$log"
		diag "$name took $(($(date +%s) - t0)) s"
		if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
			why="timed out after $limit s"
		elif [ "$rc" != 0 ]; then
			why="exit status $rc"
		fi
		bad=$(dmesg_since_mark | grep -E "$DMESG_BAD" | head -n 10)
		if [ -n "$bad" ]; then
			why="${why:+$why; }the kernel log has problems"
			printf '%s\n' "$bad" | sed 's/^/#   kernel: /'
		fi
	fi

	if [ -z "$why" ]; then
		ok "$name"
	else
		not_ok "$name" "$why"
		failed=$((failed + 1))
	fi
done
[ "$failed" -eq 0 ]
