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

run_step() {
	local name=$1 log=$logdir/$1.log rc t0 p f
	shift
	t0=$(date +%s)
	echo "=== $name: $*"
	set -o pipefail
	"$@" 2>&1 | tee "$log"
	rc=$?
	set +o pipefail
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

run_step deps tools/deps.sh

# Module: one build per supported kernel series, W=1, warnings fail.
kernels=$(tools/kernels.sh)
if [ "$(echo "$kernels" | grep -c .)" -lt 2 ]; then
	echo "not ok kernels: need both 6.1 and 6.12 images and headers, have: ${kernels:-none}"
	fail=$((fail + 1))
fi
while read -r series rel; do
	[ -n "$rel" ] || continue
	run_step "build-module-$series" make --no-print-directory kmod-one REL="$rel"
done <<< "$kernels"

run_step build-userspace make --no-print-directory -j2 userspace
run_step unit make --no-print-directory unit
run_step fuzz-bounded make --no-print-directory fuzz FUZZ_SECONDS=${FUZZ_SECONDS:-20}
for t in tests/host/t-*.sh; do
	[ -e "$t" ] || continue
	run_step "host-$(basename "$t" .sh)" "$t"
done
while read -r series rel; do
	[ -n "$rel" ] || continue
	run_step "vm-$series" tests/vm/run-all.sh -k "$series" -t 3600
done <<< "$kernels"
run_step dkms tests/dkms-check.sh

echo
echo "make check took $(( $(date +%s) - t_start )) s; logs in $logdir"
for n in "${failed_names[@]}"; do echo "FAILED: $n"; done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
