#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run cmocka unit-test binaries and print one TAP stream for all of them:
#
#   ok <binary>.<test>        for each passing test
#   not ok <binary>.<test>    for each failing one
#   not ok <binary>           when a binary crashes, hangs, is missing, or
#                             runs fewer tests than it planned
#
# cmocka's own diagnostics are kept as "#" comment lines. Ends with the plan
# and "# N passed, M failed"; exits 1 if anything failed.
#
# usage: tests/unit/run.sh BINARY...
#        UNIT_TIMEOUT=<seconds per binary> (default 120)

set -u

timeout_s=${UNIT_TIMEOUT:-120}
pass=0
fail=0

for bin in "$@"; do
	name=$(basename "$bin")
	if [ ! -x "$bin" ]; then
		echo "not ok $name # missing or not executable: $bin"
		fail=$((fail + 1))
		continue
	fi
	out=$(CMOCKA_MESSAGE_OUTPUT=TAP timeout "$timeout_s" "$bin" 2>&1)
	rc=$?
	planned=
	ran=0
	failed_here=0
	while IFS= read -r line; do
		case $line in
		1..*)
			planned=${line#1..}
			;;
		"ok "*)
			# cmocka: "ok 3 - test_name"
			echo "ok $name.${line#ok * - }"
			pass=$((pass + 1))
			ran=$((ran + 1))
			;;
		"not ok "*)
			echo "not ok $name.${line#not ok * - }"
			fail=$((fail + 1))
			failed_here=$((failed_here + 1))
			ran=$((ran + 1))
			;;
		"#"*)
			echo "$line"
			;;
		"")
			;;
		*)
			echo "# $line"
			;;
		esac
	done <<EOT
$out
EOT
	if [ "$rc" = 124 ]; then
		echo "not ok $name # timed out after ${timeout_s}s"
		fail=$((fail + 1))
	elif [ -z "$planned" ] || [ "$planned" != "$ran" ]; then
		echo "not ok $name # planned ${planned:-no} tests, ran $ran (exit status $rc)"
		fail=$((fail + 1))
	elif [ "$rc" != 0 ] && [ "$failed_here" = 0 ]; then
		echo "not ok $name # exit status $rc with no failing test"
		fail=$((fail + 1))
	fi
done

echo "1..$((pass + fail))"
echo "# $pass passed, $fail failed"
[ "$fail" = 0 ]
