#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the VM tests (tests/vm/t-*.sh) in one guest boot per kernel.
#
#   tests/vm/run-all.sh [-k 6.1|6.12|<release>]... [-t total_timeout_s]
#                       [-T test_timeout_s] [-m "herald params"] [regex]
#
#   -k  kernel(s) to test, repeatable; default every kernel tools/kernels.sh
#       lists (6.1 and 6.12)
#   -t  limit for the whole guest run per kernel; default 900 s
#   -T  default limit per test (a test may say "# vm-timeout: N"); 120 s
#   -m  parameters for herald.ko (passed to run.sh -m)
#   regex  run only the tests whose name (t-foo) matches this extended regex
#
# A test that exercises heraldd more than the module (its kernel-facing
# code is the same calls the t-fastpath-*/t-sink-* tests make on every
# kernel) may name the one series it runs on, "# vm-kernels: 6.12", to
# keep make check's two guests near the same length; it is skipped, with a
# diagnostic, on the others.
#
# Prints one TAP line per test and kernel on stdout, "ok t-name [6.1]" or
# "not ok t-name [6.1]", with the tests' output as "# " lines, then
# "ok vm-kernel-clean [6.1]" when the guest shut down cleanly (no kernel
# warning, oops or panic on the console, herald.ko unloaded at the end).
# When the guest crashes or times out, the test that was running and every
# test not yet run are reported "not ok". Each kernel's files (console log,
# per-test logs) are in build/vm/<release>/all/. Exit status 0 when every
# line is "ok".

set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
VMDIR=$TOP/tests/vm

usage() {
	sed -n '/^#   tests\/vm\/run-all.sh/,/^#   regex/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

kernels=()
total=900
per_test=120
params=
while getopts k:t:T:m:h opt; do
	case $opt in
	k) kernels+=("$OPTARG") ;;
	t) total=$OPTARG ;;
	T) per_test=$OPTARG ;;
	m) params=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -le 1 ] || usage
regex=${1:-.}

if [ ${#kernels[@]} -eq 0 ]; then
	mapfile -t kernels < <("$TOP/tools/kernels.sh" | awk '{ print $1 }')
	[ ${#kernels[@]} -gt 0 ] || { echo "run-all: no supported kernel installed" >&2; exit 1; }
fi

all_tests=()
for t in "$VMDIR"/t-*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	[[ $name =~ $regex ]] && all_tests+=("$name")
done
[ ${#all_tests[@]} -gt 0 ] || { echo "run-all: no test matches '$regex'" >&2; exit 1; }

# tests_for SERIES: the selected tests that run on SERIES (see above).
tests_for() {
	local name only
	tests=()
	for name in "${all_tests[@]}"; do
		only=$(sed -n 's/^# vm-kernels: *//p' "$VMDIR/$name.sh" | head -n 1)
		if [ -n "$only" ] && ! [[ " $only " == *" $1 "* ]]; then
			echo "# $name: runs on $only only (# vm-kernels), not on $1"
			continue
		fi
		tests+=("$name")
	done
}

failed=0
for k in "${kernels[@]}"; do
	if [ -f "/boot/vmlinuz-$k" ]; then
		rel=$k
	else
		rel=$("$TOP/tools/kernels.sh" | awk -v s="$k" '$1 == s { print $2 }')
	fi
	if [ -z "$rel" ]; then
		echo "not ok vm-kernel-clean [$k]"
		echo "# no kernel '$k' installed"
		failed=$((failed + 1))
		continue
	fi
	tag=$k
	series=$("$TOP/tools/kernels.sh" | awk -v r="$rel" '$2 == r { print $1 }')
	tests_for "${series:-$k}"
	[ ${#tests[@]} -gt 0 ] || { echo "# kernel $rel: no selected test runs on it"; continue; }
	out=$TOP/build/vm/$rel/all
	rm -rf "$out"
	mkdir -p "$out"
	echo "# kernel $rel: ${#tests[@]} tests, one boot"
	start=$(date +%s)

	declare -A seen=()
	rc=
	# run.sh's own messages (stderr) become diagnostics; its exit status
	# arrives as the last line.
	while IFS= read -r line; do
		case $line in
		"ok t-"* | "not ok t-"*)
			name=${line#ok }
			name=${name#not ok }
			name=${name%% *}
			seen[$name]=1
			echo "$line [$tag]"
			case $line in "not ok"*) failed=$((failed + 1)) ;; esac
			;;
		"vm-run-status "*) rc=${line#vm-run-status } ;;
		"#"*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done < <("$VMDIR/run.sh" -k "$rel" -t "$total" -o "$out" -m "$params" \
		"$VMDIR/guest-run-all.sh" -T "$per_test" "${tests[@]}" 2>&1
		echo "vm-run-status $?")

	for name in "${tests[@]}"; do
		if [ -z "${seen[$name]:-}" ]; then
			# The test that was running: what it wrote before the end.
			if [ -s "$out/$name.log" ]; then
				echo "# $name wrote before the guest ended:"
				sed 's/^/#   /' "$out/$name.log"
			fi
			echo "not ok $name [$tag]"
			echo "# not run or unfinished: the guest crashed or timed out (run.sh status $rc)"
			failed=$((failed + 1))
		fi
	done
	unset seen

	# The guest itself: no crash, timeout or setup error (run.sh 124-126),
	# an exit status reported, no error marker (e.g. herald would not unload).
	if [ "${rc:-1}" -lt 124 ] && grep -q '^exit ' "$out/vm-status.log" 2>/dev/null &&
		! grep -q '^error' "$out/vm-status.log"; then
		echo "ok vm-kernel-clean [$tag]"
	else
		echo "not ok vm-kernel-clean [$tag]"
		echo "# the guest did not end cleanly (run.sh status ${rc:-?}); see $out/vm-console.log"
		failed=$((failed + 1))
	fi
	echo "# kernel $rel: run-all took $(($(date +%s) - start)) s"
done
exit $((failed > 0))
