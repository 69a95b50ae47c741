#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
# 100 rmmod/insmod cycles of herald.ko: every cycle succeeds, the kernel
# logs no warning, and the kernel's unreclaimable memory (unreclaimable slab
# + vmalloc + per-CPU) does not grow by more than the tolerance, which is
# what idle noise needs but less than a leak of ~1.5 KiB per cycle.
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

CYCLES=100
WARMUP=10
TOLERANCE_KIB=${TOLERANCE_KIB:-160}

# From tmpfs: loading from the 9p share costs more per cycle than the test.
cp "$HERALD_KO" /tmp/herald.ko || exit 1
herald_loaded || herald_load || exit 1

cycle() {
	rmmod herald || return 1
	# shellcheck disable=SC2086 # parameters are split on purpose
	insmod /tmp/herald.ko $HERALD_PARAMS || return 1
}

# Unreclaimable kernel memory in KiB, once caches are dropped and RCU
# callbacks (kfree_rcu, module teardown) have had time to run. The minimum
# of three samples filters out transient allocations.
kmem() {
	best=
	for _s in 1 2 3; do
		sync
		echo 3 >/proc/sys/vm/drop_caches
		sleep 1
		v=$(awk '/^(SUnreclaim|VmallocUsed|Percpu):/ { s += $2 } END { print s }' /proc/meminfo)
		if [ -z "$best" ] || [ "$v" -lt "$best" ]; then best=$v; fi
	done
	echo "$best"
}

# Warm up: the first cycles fill slab caches and per-CPU lists for good.
i=0
while [ $i -lt $WARMUP ]; do
	cycle || break
	i=$((i + 1))
done
check "warm-up: $WARMUP cycles" test $i -eq $WARMUP

dmesg_mark
before=$(kmem)
slab_before=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
t0=$(date +%s)
i=0
while [ $i -lt $CYCLES ]; do
	cycle || break
	i=$((i + 1))
done
t1=$(date +%s)
after=$(kmem)
slab_after=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
diag "$i cycles in $((t1 - t0)) s"
check "$CYCLES rmmod/insmod cycles succeed" test $i -eq $CYCLES
check "herald is loaded after the cycles" herald_loaded

growth=$((after - before))
diag "unreclaimable kernel memory: $before KiB -> $after KiB ($growth KiB; slab $slab_before -> $slab_after KiB)"
if [ "$growth" -le "$TOLERANCE_KIB" ]; then
	ok "no memory growth over $CYCLES cycles (+$growth KiB <= $TOLERANCE_KIB KiB)"
else
	not_ok "no memory growth over $CYCLES cycles" \
		"+$growth KiB > $TOLERANCE_KIB KiB: about $((growth * 1024 / CYCLES)) bytes leaked per cycle"
fi
check_dmesg_clean "no kernel warnings during the cycles"
tap_done
