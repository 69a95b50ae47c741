#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: herald.ko against two userspace relays in one guest boot.
#
#   tests/bench/run.sh [-k 6.1|6.12] [-q] [-o outdir]
#
#   -k  guest kernel series (default 6.1)
#   -q  quick: shorter windows, fewer points (a smoke test, ~5 min)
#   -o  output directory (default build/bench/<release>; emptied first)
#
# Builds the benchmark programs (build/bench/bin/), boots the guest with
# tests/vm/run.sh, runs tests/bench/guest.sh there and turns its raw output
# into build/bench/<release>/results.json and bench.png (tests/bench/report.py).
# Knobs for guest.sh pass through the environment (BENCH_*; see guest.sh).
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
kernel=6.1
quick=0
outopt=
while getopts k:qo: opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	q) quick=1 ;;
	o) outopt=$OPTARG ;;
	*) sed -n '3,14p' "$0" >&2; exit 2 ;;
	esac
done
rel=$("$TOP/tools/kernels.sh" | awk -v s="$kernel" '$1 == s { print $2 }')
[ -n "$rel" ] || rel=$kernel
"$TOP/tests/bench/build.sh"
# Debian's python3 has python3-matplotlib; a python3 earlier in PATH (pyenv,
# a venv) may not.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
if ! $PY -c 'import matplotlib' 2>/dev/null; then
	echo "bench: python3-matplotlib missing (make deps); the plot will be skipped" >&2
fi
out=${outopt:-$TOP/build/bench/$rel}
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out"
mkdir -p "$out"
if [ "$quick" = 1 ]; then
	export BENCH_WARM=${BENCH_WARM:-1} BENCH_WIN=${BENCH_WIN:-2} BENCH_POOL=${BENCH_POOL:-150000}
	export BENCH_OUTPUTS=${BENCH_OUTPUTS:-1 16} BENCH_STREAMS=${BENCH_STREAMS:-1000}
	export BENCH_PERF=${BENCH_PERF:-0}
fi
# The job file of tests/vm/run.sh carries no environment: hand the knobs
# over in a file in the output directory.
env | grep '^BENCH_' | sed "s/^\([^=]*\)=\(.*\)$/export \1='\2'/" >"$out/bench.env" || true
rc=0
# Host CPU time of the vCPUs around every window (see hostcpu.py).
$PY "$TOP/tests/bench/hostcpu.py" "$out" &
hostcpu=$!
"$TOP/tests/vm/run.sh" -k "$kernel" -t 2400 -o "$out" "$TOP/tests/bench/guest-env.sh" || rc=$?
wait $hostcpu || true
$PY "$TOP/tests/bench/report.py" "$out" || rc=$?
exit $rc
