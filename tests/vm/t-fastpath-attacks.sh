#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 360
# Attacks on the SRTP receive path, for AES_CM_128_HMAC_SHA1_80 and
# AEAD_AES_128_GCM over IPv4: every bad packet is counted under its own cause
# and none of them reaches an output.
#
#   n1 srtp-send --(subnet 1)-- n2 herald --(subnet 2)-- n3 capture
#
# Per suite, four streams in n2, each with one plain output to the capture
# (srtp-recv --plain --out: the payload bytes of everything forwarded):
#   main    window 128 (default), any SSRC, all payload types
#   w64     window 64
#   mki     its key has MKI 1, 4 bytes
#   filter  ssrc 0x1234, pt 0,8
# Each srtp-send (or rtp-junk) run is one case; its sequence numbers go on from the
# previous run's (same key and SSRC), so the streams' replay state carries
# over exactly as it would for one long call. Runs are batched into groups
# (one shell in n1 per group, one counter dump in n2 per group) to keep the
# number of processes down on TCG; every counter of every stream and output
# is compared with what the group must have done to it (a counter not
# named must not move). At the end the capture is cut into the runs'
# forwarded packets (160 payload bytes each, in order): each run's piece
# must hash to srtp-send's valid_sha256 (everything but the tampered
# packets), and nothing may follow.
#
# Expected causes (kmod/stream.c herald_stream_rcv, in its order):
#   - a duplicate or a re-sent packet inside the window: drop_replay; one
#     behind the window (top - index >= window): drop_too_old. The edge is
#     probed exactly: with the highest index T, T - W is too old and
#     T - W + 1 a replay.
#   - one flipped bit (srtp-send --tamper flips bit 0x01 of one byte in
#     every 5th packet):
#       header byte 0  CC 0 -> 1: still parses (160 payload bytes cover a
#                      CSRC), so drop_auth. srtp-send never flips the
#                      version bits (0x80/0x40), so drop_malformed cannot
#                      happen here; t-fastpath-malformed.sh covers them.
#       header byte 1  payload type 0 -> 1: accepted type, drop_auth
#       header byte 2  seq ^ 0x100: if that is 256 behind, it is behind
#                      the window: drop_too_old; if 256 ahead, drop_auth
#       header byte 3  seq ^ 1: for an odd seq the packet before, already
#                      accepted: drop_replay; for an even one the next,
#                      not yet seen: drop_auth
#       header 4..7    timestamp: drop_auth
#       header 8..11   SSRC: an unknown SSRC gets no slot before it
#                      authenticates: drop_auth
#       payload, tag   drop_auth (srtp-send flips the first and last
#                      byte; rtp-junk flip:payload / flip:tag flips every
#                      byte of both, a different bit each, in one run)
#   - a wrong key: drop_auth.
#   - MKI: the mki stream's key has MKI 1 (4 bytes). MKI 2 (4 bytes):
#     drop_unknown_mki. An MKI of 2 bytes, or none, cannot be parsed as a
#     4-byte one: the module reads the 4 bytes where its MKI would be (the
#     sender's MKI plus 2 bytes of ciphertext or tag, or 4 bytes of them),
#     which name no key: drop_unknown_mki (the keys here are fixed, so this
#     is deterministic; with random ones 1 packet in 2^16 could match). The
#     other way round, an MKI sent to a stream without MKI is taken as part
#     of the payload (AES-CM: MKI || tag at the end, so the HMAC covers it;
#     GCM: tag || MKI, so the tag is read 4 bytes off): drop_auth.
#   - the filter stream: another SSRC: drop_ssrc (checked first); the right
#     SSRC with payload type 9: drop_payload_type; with 8: accepted.
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

herald_loaded || herald_load
T=$VM_TOP/build/tests/tools
H=$HERALDCTL
TOP_TMP=/tmp/fp-attacks

netns_add 1 2 3
netns_link 1 2
netns_link 2 3
GW=$(addr4 1 2)
CAP=$(addr4 2 3)
PLEN=160	# srtp-send's default payload size

# ---- counters (counters.sh): snapshots of every stream and output of n2
CTR_NS=n2
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/counters.sh"

# ---- groups of srtp-send runs
# grp_begin: start a group.  run NAME STREAM FWD SENT SEQ ARGS...: queue a
# srtp-send run (count, faults in ARGS) to stream tag STREAM (main, w64, mki,
# filter) starting at sequence number SEQ; FWD packets of it must reach the
# output, SENT datagrams the stream.  grp_end: send them all, snapshot.
grp_begin() {
	: >"$TMP/grp.sh"
	GRP_TOTALS=
}

run() {
	_name=$1 _st=$2 _fwd=$3 _sent=$4 _seq=$5
	shift 5
	eval "_id=\$ID_$_st _port=\$PORT_$_st _key=\$KEY_$_st"
	echo "$_fwd $SUITE $_name" >>"$TMP/runs"
	echo "$T/srtp-send --suite $SUITE --key '$_key' --rate 0 --seq $_seq $* $GW:$_port ||" \
		"echo '{\"error\":\"srtp-send $_name failed\"}'" >>"$TMP/grp.sh"
	# Running datagram totals per stream id, for settle.
	eval "_t=\${GRP_T_$_id:-0}"
	case " $GRP_TOTALS " in *" $_id "*) ;; *) GRP_TOTALS="$GRP_TOTALS $_id" ;; esac
	eval "GRP_T_$_id=$((_t + _sent))"
}

# junk_run STREAM SENT SPECS: queue an rtp-junk run of SPECS (with the
# stream's key, its own SSRC) sending SENT datagrams in all; what it
# reports as payload_bytes/payload_sha256 must reach the output.
junk_run() {
	eval "_id=\$ID_$1 _port=\$PORT_$1 _key=\$KEY_$1"
	for _sp in $(echo "$3" | tr ',' ' '); do
		echo "junk $SUITE rtp-junk $_sp" >>"$TMP/runs"
	done
	echo "$T/rtp-junk --seq 100 '$3' '$GW:$_port,$SUITE,$_key' ||" \
		"echo '{\"error\":\"rtp-junk failed\"}'" >>"$TMP/grp.sh"
	eval "_t=\${GRP_T_$_id:-0}"
	case " $GRP_TOTALS " in *" $_id "*) ;; *) GRP_TOTALS="$GRP_TOTALS $_id" ;; esac
	eval "GRP_T_$_id=$((_t + $2))"
}

grp_end() {
	n1 sh "$TMP/grp.sh" >>"$TMP/sendlog" 2>"$TMP/grp.err"
	_w=
	for _id in $GRP_TOTALS; do
		eval "_w=\"\$_w $_id:\$GRP_T_$_id\"; GRP_T_$_id=0"
	done
	# shellcheck disable=SC2086
	settle $_w
	if [ -s "$TMP/grp.err" ]; then
		diag "srtp-send said:"
		sed 's/^/#   /' "$TMP/grp.err"
	fi
}

# next_group: the "after" of one group is the "before" of the next
next_group() { snapshot_as B; }

# tamper_expect OFF SEQ COUNT EVERY: the counter a header bit flip at byte
# OFF lands in, for each tampered packet of a run from SEQ (see the top);
# adds to EXP_AUTH, EXP_REPLAY, EXP_OLD
tamper_expect() {
	_i=$(($4 - 1))
	while [ $_i -lt "$3" ]; do
		_s=$(($2 + _i))
		case $1 in
		2) if [ $((_s & 256)) -ne 0 ]; then EXP_OLD=$((EXP_OLD + 1)); else EXP_AUTH=$((EXP_AUTH + 1)); fi ;;
		3) if [ $((_s & 1)) -ne 0 ]; then EXP_REPLAY=$((EXP_REPLAY + 1)); else EXP_AUTH=$((EXP_AUTH + 1)); fi ;;
		*) EXP_AUTH=$((EXP_AUTH + 1)) ;;
		esac
		_i=$((_i + $4))
	done
}

# ---- the capture: srtp-recv --plain --out, one per suite (port CAPPORT)
capture_start() {
	n3 "$T/srtp-recv" --plain --timeout 900 --start-timeout 900 --allow-fail --out "$TMP/cap.bin" \
		--ready-file "$TMP/cap.ready" "0.0.0.0:$CAPPORT" >"$TMP/cap" 2>"$TMP/cap.err" &
	CAP_PID=$!
	_i=0
	while [ ! -s "$TMP/cap.ready" ] && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
}

# capture_check: stop the capture (srtp-recv prints its summary on SIGTERM)
# and cut it into the runs' forwarded packets
capture_check() {
	for _p in $(ip netns pids herald-n3); do
		case " $(tr '\0' ' ' <"/proc/$_p/cmdline" 2>/dev/null) " in
		*" 0.0.0.0:$CAPPORT "*) kill -TERM "$_p" ;;
		esac
	done
	wait "$CAP_PID"
	if _out=$(python3 - "$TMP/runs" "$TMP/sendlog" "$TMP/cap.bin" "$PLEN" 2>&1 <<'PY'
import hashlib, json, sys
runs = [l.split(None, 2) for l in open(sys.argv[1]).read().splitlines()]
sends = [json.loads(l) for l in open(sys.argv[2]).read().splitlines() if l.strip()]
data = open(sys.argv[3], "rb").read()
plen = int(sys.argv[4])
bad = []
if len(runs) != len(sends):
    bad.append("%d runs but %d srtp-send reports" % (len(runs), len(sends)))
pos = 0
for (fwd, suite, name), s in zip(runs, sends):
    if "error" in s:
        bad.append("%s %s: %s" % (suite, name, s["error"]))
        continue
    if fwd == "junk":
        # rtp-junk: the bytes and digest of what may be forwarded
        nbytes, want = s["payload_bytes"], s["payload_sha256"]
    else:
        fwd = int(fwd)
        if fwd == 0:
            continue
        valid = s["packets"] - s["tampered"]
        if fwd != valid:
            bad.append("%s %s: test expects %d forwarded, srtp-send sent %d valid" % (suite, name, fwd, valid))
        nbytes, want = fwd * plen, s["valid_sha256"]
    piece = data[pos:pos + nbytes]
    pos += nbytes
    if hashlib.sha256(piece).hexdigest() != want:
        bad.append("%s %s: captured payload differs from the sender's digest" % (suite, name))
if pos != len(data):
    bad.append("the capture holds %d bytes, the runs account for %d" % (len(data), pos))
print("\n".join(bad) if bad else "%d runs, %d bytes" % (len(runs), pos))
sys.exit(1 if bad else 0)
PY
	); then
		ok "$SUITE: capture: every run's forwarded payload matches the sender's digest, nothing else arrived ($_out)"
	else
		not_ok "$SUITE: capture: every run's forwarded payload matches the sender's digest, nothing else arrived" \
			"$_out"
		sed 's/^/#   /' "$TMP/cap" "$TMP/cap.err"
	fi
}

# Fixed keys for the MKI stream (see the top); the others are random.
MKI_KEY_AES_CM_128_HMAC_SHA1_80=aSBrbm93IGFsbCB5b3VyIGxpdHRsZSBzZWNyZXRz
MKI_KEY_AEAD_AES_128_GCM=jUlxvhe8DqtkZa5bA1SckhC2ZR2slcxj62FvrA==

attack_suite() {
	SUITE=$1 base=$2 taglen=$3 keylen=$4
	TMP=$TOP_TMP/$SUITE CAPPORT=$((7000 + base))
	mkdir -p "$TMP"
	: >"$TMP/runs"
	: >"$TMP/sendlog"
	capture_start
	ID_main=$((base + 1)) ID_w64=$((base + 2)) ID_mki=$((base + 3)) ID_filter=$((base + 4))
	PORT_main=$((5000 + base + 1)) PORT_w64=$((5000 + base + 2))
	PORT_mki=$((5000 + base + 3)) PORT_filter=$((5000 + base + 4))
	KEY_main=$(openssl rand -base64 "$keylen")
	KEY_w64=$(openssl rand -base64 "$keylen")
	eval "KEY_mki=\$MKI_KEY_$SUITE"
	KEY_filter=$(openssl rand -base64 "$keylen")
	if ! n2 sh -e -c "
		for o in $ID_main $ID_w64 $ID_mki $ID_filter; do
			$H output add id \$o dst $CAP port $CAPPORT plaintext
		done
		$H stream add id $ID_main local $GW port $PORT_main suite $SUITE key inline:$KEY_main \
			output $ID_main
		$H stream add id $ID_w64 local $GW port $PORT_w64 suite $SUITE key inline:$KEY_w64 \
			window 64 output $ID_w64
		$H stream add id $ID_mki local $GW port $PORT_mki suite $SUITE \
			key 'inline:$KEY_mki|1:4' output $ID_mki
		$H stream add id $ID_filter local $GW port $PORT_filter suite $SUITE key inline:$KEY_filter \
			ssrc 0x1234 pt 0,8 output $ID_filter
	" >"$TMP/setup" 2>&1; then
		not_ok "$SUITE: set up four streams and outputs" "$(cat "$TMP/setup")"
		return
	fi
	ok "$SUITE: set up four streams and outputs"
	snapshot B

	# -- replay and the windows
	grp_begin
	run duplicates main 20 24 100 --count 20 --duplicate 5
	run "300 packets" main 300 300 200 --count 300
	run "first 20 again" main 0 20 200 --count 20
	run "last 10 again" main 0 10 490 --count 10
	# top 499: 499 - 128 = 371 is too old, 372 a replay
	run "window edge" main 0 2 371 --count 2
	run "300 packets" w64 300 300 100 --count 300
	run "first 20 again" w64 0 20 100 --count 20
	# top 399: 399 - 64 = 335 is too old, 336 a replay
	run "window edge" w64 0 2 335 --count 2
	grp_end
	expect "$SUITE: window 128: 4 duplicates, first 20 of 300 and last 10 re-sent, the edge: replay 15, too old 21" \
		s "$ID_main" \
		"packets=320 bytes=$((320 * PLEN)) drop_replay=15 drop_too_old=21"
	expect "$SUITE: window 128: only the 320 good packets are forwarded" o "$ID_main" \
		"packets=320 bytes=$((320 * PLEN))"
	expect "$SUITE: window 64: first 20 of 300 re-sent and the edge: too old 21, replay 1" \
		s "$ID_w64" "packets=300 bytes=$((300 * PLEN)) drop_too_old=21 drop_replay=1"
	expect "$SUITE: window 64: only the 300 good packets are forwarded" o "$ID_w64" \
		"packets=300 bytes=$((300 * PLEN))"
	next_group

	# -- one bit flipped in the header, 2 of 10 packets per run: bytes 0, 1
	# and 3 (V/P/X/CC, M/PT, seq low), one of the timestamp (5) and two of
	# the SSRC (8, 11); byte 2 (seq high) last, from 1018, so that its first
	# flip (1022 = 0x3fe) goes 256 back and its second (1027 = 0x403) 256
	# ahead. Byte 3 flips an even seq (ahead) and an odd one (back) per run.
	EXP_AUTH=0 EXP_REPLAY=0 EXP_OLD=0 n=0 seq=900
	grp_begin
	for off in 0 1 3 5 8 11 2; do
		[ "$off" = 2 ] && seq=1018
		tamper_expect "$off" "$seq" 10 5
		run "header:$off" main 8 10 "$seq" --count 10 --tamper "header:$off:5"
		seq=$((seq + 10)) n=$((n + 1))
	done
	grp_end
	expect "$SUITE: header bit flips ($((n * 2))): auth $EXP_AUTH, replay $EXP_REPLAY, too old $EXP_OLD" \
		s "$ID_main" "packets=$((n * 8)) bytes=$((n * 8 * PLEN)) drop_auth=$EXP_AUTH drop_replay=$EXP_REPLAY drop_too_old=$EXP_OLD"
	expect "$SUITE: header bit flips: only the $((n * 8)) good packets are forwarded" o "$ID_main" \
		"packets=$((n * 8)) bytes=$((n * 8 * PLEN))"
	next_group

	# -- payload and tag bit flips, a wrong key, an MKI the stream has not.
	# srtp-send flips the first and last byte of each region; rtp-junk
	# (its own SSRC) flips every payload and tag byte once, one bit each,
	# in every second packet.
	seq=2000 n=0
	grp_begin
	for t in payload:0 payload:159 tag:0 "tag:$((taglen - 1))"; do
		run "$t" main 8 10 $seq --count 10 --tamper "$t:5"
		seq=$((seq + 10)) n=$((n + 1))
	done
	run "wrong key" main 0 10 $seq --count 10 --wrong-key
	run "MKI to a stream without" main 0 10 $((seq + 10)) --count 10 --mki 1:4
	junk_run main $((2 * PLEN + 2 * taglen)) "flip:payload*$((2 * PLEN)),flip:tag*$((2 * taglen))"
	grp_end
	good=$((n * 8 + PLEN + taglen)) bad=$((n * 2 + 20 + PLEN + taglen))
	expect "$SUITE: payload/tag bit flips ($((n * 2)) + every byte: $PLEN + $taglen), wrong key, unexpected MKI: auth $bad" \
		s "$ID_main" "packets=$good bytes=$((good * PLEN)) drop_auth=$bad"
	expect "$SUITE: payload/tag/key: only the $good good packets are forwarded" o "$ID_main" \
		"packets=$good bytes=$((good * PLEN))"
	next_group

	# -- MKI and filters
	grp_begin
	run "MKI 1:4" mki 10 10 100 --count 10 --mki 1:4
	run "MKI 2:4" mki 0 10 110 --count 10 --mki 2:4
	run "MKI 1:2" mki 0 10 120 --count 10 --mki 1:2
	run "no MKI" mki 0 10 130 --count 10
	run "other SSRC" filter 0 10 100 --count 10
	run "pt 9" filter 0 10 110 --count 10 --ssrc 0x1234 --pt 9
	run "pt 8" filter 10 10 120 --count 10 --ssrc 0x1234 --pt 8
	grp_end
	expect "$SUITE: MKI 2 (4 bytes), MKI 1 (2 bytes), no MKI: unknown MKI 30; MKI 1 accepted" \
		s "$ID_mki" "packets=10 bytes=$((10 * PLEN)) drop_unknown_mki=30"
	expect "$SUITE: MKI: only the 10 good packets are forwarded" o "$ID_mki" \
		"packets=10 bytes=$((10 * PLEN))"
	expect "$SUITE: ssrc 0x1234 pt 0,8: other SSRC -> ssrc 10, pt 9 -> payload type 10, pt 8 accepted" \
		s "$ID_filter" "packets=10 bytes=$((10 * PLEN)) drop_ssrc=10 drop_payload_type=10"
	expect "$SUITE: filter: only the 10 good packets are forwarded" o "$ID_filter" \
		"packets=10 bytes=$((10 * PLEN))"
	capture_check
}

# The suites run side by side (separate streams, outputs and captures; the
# counters are compared per object), each writing its TAP lines to a file.
dmesg_mark
attack_suite AES_CM_128_HMAC_SHA1_80 10 10 30 >"$TOP_TMP.aes" 2>&1 &
pid_aes=$!
attack_suite AEAD_AES_128_GCM 20 16 28 >"$TOP_TMP.gcm" 2>&1 &
pid_gcm=$!
wait "$pid_aes" "$pid_gcm"
for f in "$TOP_TMP.aes" "$TOP_TMP.gcm"; do
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "${line#ok }" ;;
		"not ok "*) not_ok "${line#not ok }" ;;
		*) printf '%s\n' "$line" ;;
		esac
	done <"$f"
done
check_dmesg_clean "no kernel warnings during the attacks"
rm -rf "$TOP_TMP" "$TOP_TMP.aes" "$TOP_TMP.gcm"
tap_done
