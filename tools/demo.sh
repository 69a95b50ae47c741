#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: what herald does today, end to end, in a guest running a
# Debian kernel: load herald.ko with its self-tests, show `heraldctl info`,
# then a real encrypted page call through SIP (tests/vm/demo.sh): baresip
# calls heraldd through Kamailio over TLS, herald.ko plays the SRTP on the
# local speaker (snd-aloop) and sends it on, re-encrypted, to a multicast
# zone. The heard page is left as WAV and PNG in build/demo/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/demo
mkdir -p "$out"
series=${DEMO_KERNEL:-6.1}
echo "herald demo: booting Debian $series under QEMU (TCG); output in $out"
"$top/tests/vm/run.sh" -k "$series" -t 900 -m "selftest=1" -o "$out" "$top/tests/vm/demo.sh"
