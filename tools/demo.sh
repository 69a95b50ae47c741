#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: what herald does today, end to end, in a guest running a
# Debian kernel: load herald.ko with its self-tests, show `heraldctl info`,
# then page through the kernel fast path (tests/vm/demo-page.sh).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/demo
mkdir -p "$out"
series=${DEMO_KERNEL:-6.1}
echo "herald demo: booting Debian $series under QEMU (TCG); output in $out"
"$top/tests/vm/run.sh" -k "$series" -m "selftest=1" -o "$out" "$top/tests/vm/demo.sh"
