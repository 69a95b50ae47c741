#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The benchmark itself, inside one guest boot (started by tests/bench/run.sh
# through tests/vm/run.sh). Writes $VM_OUT/results.jsonl (one line per
# measurement), $VM_OUT/mem-*.txt (memory snapshots), $VM_OUT/perf-*.txt.
#
#   n1 bench-send (CPU 0) --veth--> n2: herald.ko or a relay (CPU 1, RPS)
#                                    \--> outputs to 10.9.0.x via dummy0
#
# Delivered packets are dummy0's tx_packets in n2, read over a fixed window
# while the sender keeps offering more than the path can take: the same
# counter for the kernel and the relays. The sender's veth lands on CPU 1
# by RPS, so every path gets CPU 1 for its receive and relay work while the
# sender has CPU 0 to itself.
#
# Knobs (environment): BENCH_WARM (s, 1), BENCH_WIN (s, 3), BENCH_POOL
# (packets, 200000; at most 8 * 32768 per stream: bench-send.c), BENCH_SUITES, BENCH_OUTPUTS ("1 4 16 64"),
# BENCH_STREAMS ("100 1000"), BENCH_PATHS ("kernel evp libsrtp"),
# BENCH_STREAM_PATHS (paths of the streams sweep: "kernel evp"),
# BENCH_REPEAT (2: rounds over every point; report.py keeps the best run of
# a point, since a busy host only ever slows a run down),
# BENCH_PERF (0; 1: profile one extra run per path at 4 outputs, AES-CM; not
# counted in the results: sampling costs CPU time; perf needs a minute or
# more to start under TCG, so this adds several minutes).
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

B=$VM_TOP/build/bench/bin
OUT=$VM_OUT
RES=$OUT/results.jsonl
WARM=${BENCH_WARM:-1}
WIN=${BENCH_WIN:-3}
POOL=${BENCH_POOL:-200000}
SUITES=${BENCH_SUITES:-AES_CM_128_HMAC_SHA1_80 AEAD_AES_128_GCM}
OUTPUTS=${BENCH_OUTPUTS:-1 4 16 64}
STREAMS=${BENCH_STREAMS:-100 1000}
PATHS=${BENCH_PATHS:-kernel evp libsrtp}
STREAM_PATHS=${BENCH_STREAM_PATHS:-kernel evp}
PERF=${BENCH_PERF:-0}
REPEAT=${BENCH_REPEAT:-2}
IN_PORT=20000
OUT_PORT=30000
RUN_ID=0
: >"$RES"
rm -f "$OUT/window"

T0=$(date +%s)
log() { echo "bench: [$(($(date +%s) - T0))s] $*" >&2; }
now_ns() { date +%s%N; }

herald_loaded || herald_load || exit 1
modprobe dummy 2>/dev/null
netns_add 1 2
netns_link 1 2
n2 ip link add dummy0 type dummy
n2 ip addr add 10.9.0.1/24 dev dummy0
n2 ip link set dummy0 up
n2 sh -c 'echo 2 > /sys/class/net/to_n1/queues/rx-0/rps_cpus' || log "RPS not available"
sysctl -qw net.core.netdev_max_backlog=2000
IN_ADDR=$(addr4 1 2)
netns_ping 1 "$IN_ADDR" >/dev/null || log "ping n1 -> n2 failed"
log "network ready"

# Environment facts for the report.
{
	printf '{"kind":"env","kernel":"%s","cpus":%s' "$(uname -r)" "$(nproc)"
	printf ',"crypto_modules":"%s"' "$(lsmod | awk '$1 ~ /aesni|ghash|sha1_ssse3/ {printf "%s ", $1}')"
	printf ',"cpu_flags":"%s"' "$(grep -m1 -o -w -E 'aes|avx2|pclmulqdq|vaes|sha_ni' /proc/cpuinfo | sort -u | tr '\n' ' ')"
	printf ',"herald_drivers":"%s"' "$("$HERALDCTL" info 2>/dev/null | grep -E 'AES_CM_128_HMAC_SHA1_80|AEAD_AES_128_GCM' | tr -s ' ' | tr '\n' ';' | sed 's/"//g')"
	printf ',"openssl":"%s","libsrtp2":"%s"}\n' "$(openssl version | cut -d' ' -f1-2)" \
		"$(dpkg-query -W -f='${Version}' libsrtp2-1 2>/dev/null)"
} >>"$RES"
log "environment recorded"


# The sender for one suite: a coprocess fed through a FIFO.
start_sender() {
	mkfifo /tmp/send.in
	ip netns exec herald-n1 taskset -c 0 "$B/bench-send" --suite "$1" --key "$KIN" --dst "$IN_ADDR:$IN_PORT" \
		--pool "$POOL" </tmp/send.in >/tmp/send.out 2>/tmp/send.err &
	SENDER=$!
	PREPARED=1
	exec 3>/tmp/send.in
	i=0
	while ! grep -q ready /tmp/send.out 2>/dev/null; do
		sleep 0.2
		i=$((i + 1))
		if [ $i -gt 900 ] || ! kill -0 $SENDER 2>/dev/null; then
			log "sender did not start: $(cat /tmp/send.err)"
			return 1
		fi
	done
}

# prep_sender STREAMS: protect the pool for that many streams before a run
# (bench-send would do it inside the run, eating into the window).
prep_sender() {
	[ "$1" = "$PREPARED" ] && return 0
	lines=$(wc -l </tmp/send.out)
	echo "prep $1" >&3
	while [ "$(wc -l </tmp/send.out)" -le "$lines" ]; do sleep 0.2; done
	PREPARED=$1
}

# Deleting an object waits for RCU grace periods (several per stream and
# per output, under the namespace's lock): minutes for 1,000 streams under
# TCG. Expedited grace periods make the flush tolerable; they do not touch
# the packet path.
flush() {
	echo 1 >/sys/kernel/rcu_expedited 2>/dev/null
	n2 "$B/bench-ctl" flush
	echo 0 >/sys/kernel/rcu_expedited 2>/dev/null
}

# snap NAME: /proc/meminfo and /proc/slabinfo after dropping caches.
snap() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 2
	{
		echo "## meminfo"
		cat /proc/meminfo
		echo "## slabinfo"
		cat /proc/slabinfo
	} >"$OUT/mem-$1.txt"
}

stop_sender() {
	exec 3>&-
	wait $SENDER 2>/dev/null
	rm -f /tmp/send.in
}

# measure PATH SUITE STREAMS OUTS [perf-name]
measure() {
	path=$1 suite=$2 ns=$3 no=$4 prof=$5
	relay_pid=
	RUN_ID=$((RUN_ID + 1))
	prep_sender "$ns"
	case $path in
	kernel)
		flush
		# The 1,000-stream point doubles as the memory measurement:
		# outputs, then streams, each after a snapshot.
		mem=
		[ "$ns" = 1000 ] && [ "$no" = 1 ] && [ -z "$prof" ] && mem=$suite
		[ -z "$mem" ] || snap "$mem-base"
		t0=$(now_ns)
		if [ -n "$mem" ]; then
			n2 "$B/bench-ctl" setup "$suite" "$KIN" "$KOUT" "$ns" "$no" "$IN_ADDR" $IN_PORT \
				10.9.0.2 $OUT_PORT outputs && snap "$mem-outputs1000" &&
			n2 "$B/bench-ctl" setup "$suite" "$KIN" "$KOUT" "$ns" "$no" "$IN_ADDR" $IN_PORT \
				10.9.0.2 $OUT_PORT streams && snap "$mem-streams1000" ||
				{ log "setup failed"; return 1; }
		else
			n2 "$B/bench-ctl" setup "$suite" "$KIN" "$KOUT" "$ns" "$no" "$IN_ADDR" $IN_PORT \
				10.9.0.2 $OUT_PORT || { log "setup failed"; return 1; }
		fi
		setup_ms=$((($(now_ns) - t0) / 1000000))
		;;
	*)
		setup_ms=0
		ip netns exec herald-n2 taskset -c 1 "$B/relay-$path" --suite "$suite" --in-key "$KIN" --out-key "$KOUT" \
			--in "$IN_ADDR:$IN_PORT" --streams "$ns" --out "10.9.0.2:$OUT_PORT" \
			--outputs "$no" >/tmp/relay.out 2>/tmp/relay.err &
		relay_pid=$!
		i=0
		while ! grep -q ready /tmp/relay.err 2>/dev/null; do
			sleep 0.1
			i=$((i + 1))
			if [ $i -gt 600 ] || ! kill -0 $relay_pid 2>/dev/null; then
				log "relay-$path did not start: $(cat /tmp/relay.err)"
				return 1
			fi
		done
		;;
	esac
	lines=$(wc -l </tmp/send.out)
	# Paced just below what the pool holds for the whole run: never
	# exhausted, and far above what any path here can take.
	blast=$((WARM + WIN + 2))
	rate=$(awk -v p="$POOL" -v t="$blast" 'BEGIN { printf "%d", p / t * 0.95 }')
	[ -n "$SOFTNET" ] || cat /proc/net/softnet_stat >"$OUT/softnet-before.txt"
	if [ -n "$prof" ]; then
		# perf takes a minute or more to start under TCG: start it
		# disabled, wait until it answers on its control FIFO, and
		# sample only the window.
		rm -f /tmp/perf.ctl /tmp/perf.ack
		mkfifo /tmp/perf.ctl /tmp/perf.ack
		perf record -q -N -B -a -C 1 -D -1 --control fifo:/tmp/perf.ctl,/tmp/perf.ack \
			-o "/tmp/perf-$prof.data" >/dev/null 2>&1 &
		perf_pid=$!
		exec 5<>/tmp/perf.ctl 6<>/tmp/perf.ack
		echo disable >&5
		if ! timeout 600 head -n 1 <&6 >/dev/null; then
			log "perf did not start; no profile"
			kill "$perf_pid" 2>/dev/null
			exec 5>&- 6<&-
			prof=
		fi
	fi
	echo "run $ns $blast $rate" >&3
	# The window is timed by a small sampler on CPU 0: a shell here would
	# be starved by the load and stretch it past the end of the blast.
	ip netns exec herald-n2 taskset -c 0 "$B/bench-ctl" sample \
		/sys/class/net/dummy0/statistics/tx_packets "$WARM" "$WIN" "$OUT/window" "$RUN_ID" \
		>/tmp/sample.out &
	sampler=$!
	if [ -n "$prof" ]; then
		sleep "$WARM"
		echo enable >&5
		timeout 60 head -n 1 <&6 >/dev/null
		sleep "$WIN"
		echo disable >&5
		timeout 60 head -n 1 <&6 >/dev/null
		kill -INT "$perf_pid"
		wait "$perf_pid"
		exec 5>&- 6<&-
	fi
	wait $sampler
	win=$(cat /tmp/sample.out)
	[ -n "$SOFTNET" ] || cat /proc/net/softnet_stat >"$OUT/softnet-after.txt"
	SOFTNET=1
	while [ "$(wc -l </tmp/send.out)" -le "$lines" ]; do sleep 0.2; done
	sent=$(tail -n 1 /tmp/send.out)
	extra='{}'
	kind=run
	[ -z "$prof" ] || kind=profile
	if [ "$path" = kernel ]; then
		extra=$(n2 "$B/bench-ctl" stats)
		flush
	else
		kill -TERM "$relay_pid"
		wait "$relay_pid"
		extra=$(cat /tmp/relay.out)
		[ -n "$extra" ] || extra='{}'
	fi
	[ -n "$win" ] || win='{}'
	c=$(echo "$win" | sed -n 's/.*"packets":\([0-9]*\).*/\1/p')
	dt=$(echo "$win" | sed -n 's/.*"window_s":\([0-9.]*\).*/\1/p')
	awk -v path="$path" -v suite="$suite" -v ns="$ns" -v no="$no" -v c="${c:-0}" -v dt="${dt:-1}" \
		-v setup="$setup_ms" -v sent="$sent" -v kind="$kind" -v extra="$extra" -v id="$RUN_ID" \
		-v win="$win" 'BEGIN {
		out_pps = c / dt; in_pps = out_pps / no
		printf "{\"kind\":\"%s\",\"id\":%d,", kind, id
		printf "\"path\":\"%s\",\"suite\":\"%s\",\"streams\":%d,\"outputs\":%d,", path, suite, ns, no
		printf "\"window_s\":%.3f,\"out_packets\":%d,\"out_pps\":%.0f,\"in_pps\":%.0f,\"setup_ms\":%d,", dt, c, out_pps, in_pps, setup
		printf "\"sender\":%s,\"counters\":%s,\"sampler\":%s}\n", sent, extra, win }' >>"$RES"
	log "$(tail -n 1 "$RES" | cut -c1-200)"
	if [ -n "$prof" ]; then
		perf report -q -i "/tmp/perf-$prof.data" --no-children --stdio --sort dso,sym \
			-g none --percent-limit 0.7 2>/dev/null | head -n 60 >"$OUT/perf-$prof.txt"
		rm -f "/tmp/perf-$prof.data"
	fi
}

# ---- throughput --------------------------------------------------------------
[ "$PERF" = 1 ] && { perf --version >/dev/null 2>&1 || PERF=0; }
log "perf usable: $PERF"
for suite in $SUITES; do
	case $suite in AEAD_AES_128_GCM) len=28 ;; *) len=30 ;; esac
	KIN=$(openssl rand -hex $len)
	KOUT=$(openssl rand -hex $len)
	log "$suite: protecting $POOL packets"
	start_sender "$suite" || exit 1
	# Outputs sweep at one stream; the paths alternate within each point.
	# shellcheck disable=SC2034 # rounds are counted, not used
	for round in $(seq "$REPEAT"); do
		for no in $OUTPUTS; do
			for path in $PATHS; do
				measure "$path" "$suite" 1 "$no"
			done
		done
	done
	# Streams sweep at one output per stream (each stream its own output:
	# an output is held by one talker at a time).
	# shellcheck disable=SC2034 # rounds are counted, not used
	for round in $(seq "$REPEAT"); do
		for ns in $STREAMS; do
			for path in $STREAM_PATHS; do
				measure "$path" "$suite" "$ns" 1
			done
		done
	done
	if [ "$PERF" = 1 ] && [ "$suite" = AES_CM_128_HMAC_SHA1_80 ]; then
		for path in $PATHS; do
			measure "$path" "$suite" 1 4 "$path-$suite-4out"
		done
	fi
	stop_sender
done

flush
echo '{"kind":"done"}' >>"$RES"
log "done"
exit 0
