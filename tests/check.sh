#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: install what is needed, build for every supported kernel,
# run the unit, host, VM and DKMS tests, and end with "N passed, N failed".
#
# Every step prints TAP-style lines ("ok <name>" / "not ok <name>"); they are
# counted here. A step that fails without saying which test failed counts as
# one failure under the step's own name, so nothing fails silently.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
logdir=$top/build/check
mkdir -p "$logdir"
pass=0
fail=0
failed_names=()
t_start=$(date +%s)

# count_step NAME RC T0: count the TAP lines of NAME's log (see above).
count_step() {
	local name=$1 rc=$2 t0=$3 log=$logdir/$1.log p f
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "not ok $name (exit status $rc)"
		f=1
		failed_names+=("$name")
	elif [ "$rc" = 0 ] && [ "$p" = 0 ] && [ "$f" = 0 ]; then
		echo "ok $name"
		p=1
	fi
	while read -r line; do failed_names+=("${line#not ok }"); done < <(grep '^not ok ' "$log")
	pass=$((pass + p))
	fail=$((fail + f))
	echo "=== $name: $p passed, $f failed, $(( $(date +%s) - t0 )) s"
}

# run_step NAME CMD...: run a step now, its output shown as it comes.
run_step() {
	local name=$1 rc t0
	shift
	t0=$(date +%s)
	echo "=== $name: $*"
	set -o pipefail
	"$@" 2>&1 | tee "$logdir/$name.log"
	rc=$?
	set +o pipefail
	count_step "$name" "$rc" "$t0"
}

# Steps that mostly wait (a guest under TCG, a test waiting for SIP timers)
# run side by side in lanes: start_lane NAME CMD... runs the command in the
# background, its output in NAME's log; finish_lanes waits for them in the
# order they were started, shows each log and counts it.
lanes=()
start_lane() {
	local name=$1
	shift
	echo "=== $name: started: $*"
	( t0=$(date +%s); "$@" > "$logdir/$name.log" 2>&1; echo "$? $t0" > "$logdir/$name.rc" ) &
	lanes+=("$name:$!")
}
finish_lanes() {
	local l name pid rc t0
	for l in "${lanes[@]}"; do
		name=${l%%:*} pid=${l##*:}
		wait "$pid"
		read -r rc t0 < "$logdir/$name.rc"
		echo "=== $name"
		cat "$logdir/$name.log"
		count_step "$name" "$rc" "$t0"
	done
	lanes=()
}

run_step deps tools/deps.sh

# Module: one build per supported kernel series, W=1, warnings fail.
kernels=$(tools/kernels.sh)
if [ "$(echo "$kernels" | grep -c .)" -lt 2 ]; then
	echo "not ok kernels: need both 6.1 and 6.12 images and headers, have: ${kernels:-none}"
	fail=$((fail + 1))
fi
while read -r series rel; do
	[ -n "$rel" ] || continue
	run_step "build-module-$series" make --no-print-directory -j2 kmod-one REL="$rel"
done <<< "$kernels"

run_step build-userspace make --no-print-directory -j2 userspace
run_step unit make --no-print-directory unit
# Two fuzzers at a time: each is one process, the machine has two cores.
run_step fuzz-bounded make --no-print-directory -j2 fuzz FUZZ_SECONDS=${FUZZ_SECONDS:-20}

# The host tests in one lane (one after another: they start servers on
# loopback), each kernel's VM run in a lane of its own. DKMS comes after the
# lanes, alone: its depmod rewrites /lib/modules/<release>, which the
# guests read live over 9p (a guest's modprobe of bridge failed with
# "Unknown device type" while dkms ran beside it).
host_tests() {
	local t n out rc=0 trc t0
	for t in tests/host/t-*.sh; do
		[ -e "$t" ] || continue
		n=host-$(basename "$t" .sh) out=$logdir/$n.out
		echo "# $n"
		t0=$(date +%s)
		"$t" > "$out" 2>&1
		trc=$?
		cat "$out"
		echo "# $n took $(( $(date +%s) - t0 )) s"
		# A failure that names no test still counts, under the test's name.
		if [ "$trc" != 0 ]; then
			rc=1
			grep -q '^not ok ' "$out" || echo "not ok $n (exit status $trc)"
		fi
	done
	return $rc
}
while read -r series rel; do
	[ -n "$rel" ] || continue
	start_lane "vm-$series" tests/vm/run-all.sh -k "$series" -t 3600
done <<< "$kernels"
start_lane host host_tests
finish_lanes
run_step dkms tests/dkms-check.sh

echo
echo "make check took $(( $(date +%s) - t_start )) s; logs in $logdir"
for n in "${failed_names[@]}"; do echo "FAILED: $n"; done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
