#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the benchmark's programs into build/bench/bin/ with the project's
# warning flags (the top Makefile does not include tests/bench/).
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
SRC=$TOP/tests/bench
OUT=$TOP/build/bench/bin
mkdir -p "$OUT"
CC=${CC:-cc}
CFLAGS="-std=gnu11 -D_GNU_SOURCE -I$TOP/uapi -Wall -Wextra -Wshadow -Wformat=2 \
-Wmissing-prototypes -Wstrict-prototypes -Wno-unused-parameter -Werror -O2 -g"
NL=$(pkg-config --cflags --libs libnl-genl-3.0)

build() { # out sources... -- libs...
	local out=$1; shift
	local srcs=() libs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do srcs+=("$SRC/$1"); shift; done
	[ $# -gt 0 ] && shift
	libs=("$@")
	local newest
	newest=$(ls -t "${srcs[@]}" "$SRC"/*.h "$0" | head -n 1)
	if [ -x "$OUT/$out" ] && [ "$OUT/$out" -nt "$newest" ]; then return 0; fi
	echo "  CC      build/bench/bin/$out"
	# shellcheck disable=SC2086 # flags are words
	$CC $CFLAGS -o "$OUT/$out" "${srcs[@]}" "${libs[@]}"
}

build relay-evp relay-evp.c relay.c srtp_evp.c srtp_evp_check.c bench_srtp.c -- -lsrtp2 -lcrypto
build relay-libsrtp relay-libsrtp.c relay.c bench_srtp.c -- -lsrtp2 -lcrypto
build bench-send bench-send.c srtp_evp.c srtp_evp_check.c bench_srtp.c -- -lsrtp2 -lcrypto
# shellcheck disable=SC2086
build bench-ctl bench-ctl.c -- $NL
