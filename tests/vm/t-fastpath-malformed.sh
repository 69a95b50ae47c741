#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 300
# Crafted and malformed datagrams (build/tests/tools/rtp-junk) against three
# streams: plain RTP, AES_CM_128_HMAC_SHA1_80 and AEAD_AES_128_GCM, each with
# one plain output to a capture in n3.
#
#   n1 rtp-junk --(subnet 1)-- n2 herald --(subnet 2)-- n3 capture
#
# Every group of kinds must land under exactly the counter the code
# documents, with every other counter of the stream (and of its output)
# unchanged; only the well-formed "pad-ok" packets may reach an output and
# the capture; no oops.
#
# What the demux (kmod/rtp.c herald_rtp_demux, RFC 7983 + RFC 5761) leaves
# to the socket, counted as "passed", without parsing further:
#   - datagrams under 2 bytes (herald_stream_rcv cannot pull 2 bytes):
#     trunc:0 and trunc:1;
#   - first byte 0..3 (STUN), 16..19 (ZRTP), 20..63 (DTLS), any other first
#     byte outside 128..191, and RTP-range packets whose payload type is
#     64..95 (RTCP): so "version 0, 1 and 3" never reach the RTP parser
#     (0x00 is STUN, 0x40 and 0xc0 are "other");
# everything else is parsed and refused as drop_malformed:
#   - 2..11 bytes, CSRC list or extension past the end, the P bit on a
#     packet without payload (all before authentication);
#   - with a valid tag (rtp-junk protects them with the stream's key, so
#     they get past authentication): a padding count of 0, one larger than
#     the payload, and a packet that is only padding or has no payload at
#     all (kmod/stream.c: nothing to forward; the index is still consumed).
# Random bytes: the RTP-range ones that parse fail authentication (a random
# SSRC, a random tag), the rest are malformed or passed; the sum of every
# counter must equal what was sent, also for 10,000 at full speed.
#
# To keep the number of processes down on TCG, one rtp-junk run sends a
# group of kinds with the same expected outcome to all streams at once, and
# one heraldctl dump per group reads every counter.
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

herald_loaded || herald_load
T=$VM_TOP/build/tests/tools
H=$HERALDCTL
TMP=/tmp/fp-malformed
mkdir -p "$TMP"

netns_add 1 2 3
netns_link 1 2
netns_link 2 3
GW=$(addr4 1 2)
CAP=$(addr4 2 3)
CAPPORT=7000

# ---- counters (counters.sh): snapshots of every stream and output of n2
CTR_NS=n2
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/counters.sh"

# jfield NAME TEXT: the value of "NAME": in TEXT (first occurrence)
jfield() {
	_v=${2#*\"$1\":}
	[ "$_v" != "$2" ] || return 0
	_v=${_v#\"}
	echo "${_v%%[\",\}]*}"
}

first_id() { sed -n 's/^\[{"id":\([0-9]*\),.*/\1/p'; }

# ---- set-up
K_AES=$(openssl rand -base64 30)
K_GCM=$(openssl rand -base64 28)
S_P=1 S_A=2 S_G=3
n2 sh -e -c "
	$H output add id $S_P dst $CAP port $CAPPORT plaintext label junk-plain
	$H output add id $S_A dst $CAP port $CAPPORT plaintext label junk-aes
	$H output add id $S_G dst $CAP port $CAPPORT plaintext label junk-gcm
	$H stream add id $S_P local $GW port 5004 plaintext output $S_P
	$H stream add id $S_A local $GW port 5006 suite AES_CM_128_HMAC_SHA1_80 key inline:$K_AES output $S_A
	$H stream add id $S_G local $GW port 5008 suite AEAD_AES_128_GCM key inline:$K_GCM output $S_G
" >"$TMP/setup" 2>&1 || {
	not_ok "set up three streams, each with its own plain output" "$(cat "$TMP/setup")"
	tap_done
}
ok "set up three streams, each with its own plain output"
D_P=$GW:5004
D_A=$GW:5006,AES_CM_128_HMAC_SHA1_80,$K_AES
D_G=$GW:5008,AEAD_AES_128_GCM,$K_GCM

# The capture: everything any output sends, until told to stop.
n3 "$T/srtp-recv" --plain --timeout 900 --start-timeout 900 --allow-fail \
	--ready-file "$TMP/cap.ready" "0.0.0.0:$CAPPORT" >"$TMP/cap" 2>"$TMP/cap.err" &
CAP_PID=$!
i=0
while [ ! -s "$TMP/cap.ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done

# group NAME KINDS PER_STREAM WANT [OUTWANT]: rtp-junk sends KINDS to all
# three streams (PER_STREAM datagrams each); every stream's counters must
# move by WANT, every output's by OUTWANT (default: not at all).
group() {
	snapshot B
	n1 "$T/rtp-junk" --seq "$SEQ" "$2" "$D_P" "$D_A" "$D_G" >"$TMP/junk" 2>&1
	SEQ=$((SEQ + $3 + 10))
	settle "$S_P:$3" "$S_A:$3" "$S_G:$3"
	for _t in plain:$S_P aes:$S_A gcm:$S_G; do
		expect "${_t%%:*}: $1: $4" s "${_t#*:}" "$4"
		expect "${_t%%:*}: $1: output ${5:-unchanged}" o "${_t#*:}" "${5:-}"
	done
}
SEQ=1000

dmesg_mark
group "demux passes trunc:0/1, version 0/1/3 to the socket" \
	'trunc:0*3,trunc:1*3,version:0*3,version:1*3,version:3*3' 15 "passed=15"
group "2..11 header bytes are malformed" \
	'trunc:2*2,trunc:3*2,trunc:4*2,trunc:5*2,trunc:6*2,trunc:7*2,trunc:8*2,trunc:9*2,trunc:10*2,trunc:11*2' \
	20 "drop_malformed=20"
group "CSRC or extension past the end, P without payload are malformed" \
	'csrc*15,ext*5,ext-short*3,pad-nopayload*3' 26 "drop_malformed=26"
group "bad padding and empty payload are malformed (after auth)" \
	'pad-long*5,pad-zero*3,pad-only*3,empty*3' 14 "drop_malformed=14"
# The positive control: the same path with a valid padding count
# forwards the 16 audio bytes of each packet.
group "valid padding is stripped and forwarded" 'pad-ok*4' 4 \
	"packets=4 bytes=64" "packets=4 bytes=64"
FWD_PKTS=12 FWD_BYTES=192

# random NAME COUNT ID DEST: random datagrams; the demux classes rtp-junk
# reports (RFC 7983 / 5761 by the first two bytes) are what may be passed,
# the RTP-looking rest is malformed or fails authentication; nothing else.
random_check() {
	_name=$1 _n=$2 _id=$3
	snapshot B
	n1 "$T/rtp-junk" --seed "$_n" "random:300*$_n" "$4" >"$TMP/junk" 2>&1
	settle "$_id:$_n"
	_out=$(cat "$TMP/junk")
	_rtp=$(jfield rtp "$_out")
	eval "_mal=\$((A_s${_id}_drop_malformed - B_s${_id}_drop_malformed))"
	_tot=$(($(stream_total A "$_id") - $(stream_total B "$_id")))
	if [ "$(jfield sent "$_out")" != "$_n" ] || [ -z "$_rtp" ]; then
		not_ok "$_name: $_n random datagrams" "rtp-junk: $_out"
		return
	fi
	_m=$(moved s "$_id" "passed=$((_n - _rtp)) drop_malformed=$_mal drop_auth=$((_rtp - _mal))")
	if [ "$_tot" = "$_n" ] && [ -z "$_m" ] && [ "$_mal" -le "$_rtp" ]; then
		ok "$_name: $_n random datagrams all counted: $((_n - _rtp)) passed, $_mal malformed, $((_rtp - _mal)) auth"
	else
		not_ok "$_name: $_n random datagrams all counted" "counted $_tot;$_m ($_out)"
	fi
	expect "$_name: random datagrams: output unchanged" o "$_id" ""
}
random_check aes 500 "$S_A" "$D_A"
random_check gcm 500 "$S_G" "$D_G"
# At full speed (rtp-junk does not pace without --rate).
random_check aes 10000 "$S_A" "$D_A"

# The capture saw the pad-ok packets and nothing else. srtp-recv prints
# its summary on SIGTERM; it is the only process in n3.
for p in $(ip netns pids herald-n3); do kill -TERM "$p"; done
wait "$CAP_PID"
cap=$(cat "$TMP/cap")
if [ "$(jfield received "$cap")" = "$FWD_PKTS" ] && [ "$(jfield payload_bytes "$cap")" = "$FWD_BYTES" ]; then
	ok "the capture received only the $FWD_PKTS well-formed packets ($FWD_BYTES bytes)"
else
	not_ok "the capture received only the $FWD_PKTS well-formed packets ($FWD_BYTES bytes)" \
		"$cap $(cat "$TMP/cap.err")"
fi
check_dmesg_clean "no kernel warnings from malformed traffic"
rm -rf "$TMP"
tap_done
