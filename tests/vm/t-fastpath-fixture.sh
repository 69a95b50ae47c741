#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 240
# A real capture nobody here produced: ../shared/fixtures/marseillaise-srtp.pcap
# (11,888 AES_CM_128_HMAC_SHA1_80 packets, SSRC 0xdeadbeef, seq 0..11887;
# see the fixture's README) replayed into a stream, paced ~20x faster than
# real time. Every packet must be accepted, and the plain output's payload
# bytes must hash to what libsrtp2 decrypts from the capture offline
# (pcap-replay --decrypt).
#
#   n1 pcap-replay --(subnet 1)-- n2 herald --(subnet 2)-- n3 plain capture
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

PCAP=${FIXTURE_PCAP:-$VM_TOP/../shared/fixtures/marseillaise-srtp.pcap}
KEY=aSBrbm93IGFsbCB5b3VyIGxpdHRsZSBzZWNyZXRz
SUITE=AES_CM_128_HMAC_SHA1_80
N=11888
# pcap-replay's --speed multiplies the capture's time line: 0.05 plays the
# 238 s capture in ~12 s (~1,000 packets/s).
SPEED=${SPEED:-0.05}

if [ ! -r "$PCAP" ]; then
	ok "marseillaise fixture replay # SKIP $PCAP is absent"
	tap_done
fi

herald_loaded || herald_load
T=$VM_TOP/build/tests/tools
H=$HERALDCTL
TMP=/tmp/fixture
mkdir -p $TMP

netns_add 1 2 3
netns_link 1 2
netns_link 2 3
GW=$(addr4 1 2)
CAP=$(addr4 2 3)

first_id() { sed -n 's/^\[{"id":\([0-9]*\),.*/\1/p'; }
field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1; }
stats_of() { sed -n 's/.*"stats":{\([^}]*\)}.*/\1/p'; }

# The reference: libsrtp2 decrypting the capture offline.
"$T/pcap-replay" --decrypt --suite $SUITE --key "$KEY" "$PCAP" >$TMP/ref 2>&1
ref=$(field payload_sha256 <$TMP/ref)
if [ "$(field decrypted <$TMP/ref)" = $N ] && [ -n "$ref" ]; then
	ok "reference: libsrtp2 decrypts all $N packets of the capture"
else
	not_ok "reference decryption" "$(cat $TMP/ref)"
fi

dmesg_mark
o=$(n2 "$H" -j output add dst "$CAP" port 10002 plaintext | first_id)
s=$(n2 "$H" -j stream add local "$GW" port 10000 suite $SUITE key "inline:$KEY" output "$o" | first_id)
[ -n "$o" ] && [ -n "$s" ] || { not_ok "set up stream and output"; tap_done; }

# srtp-recv forces a 32 MB receive buffer: the capture does not drop.
n3 "$T/srtp-recv" --plain --count $N --expect $N --timeout 5 --start-timeout 60 \
	--ready-file $TMP/ready "0.0.0.0:10002" >$TMP/cap 2>&1 &
rpid=$!
i=0
while [ ! -s $TMP/ready ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
start=$(date +%s)
n1 "$T/pcap-replay" --to "$GW:10000" --speed "$SPEED" "$PCAP" >$TMP/replay 2>&1
diag "replayed in $(($(date +%s) - start)) s: $(cat $TMP/replay)"
wait $rpid
rrc=$?

js=$(n2 "$H" -j stream show id "$s")
st=$(printf '%s\n' "$js" | stats_of)
pk=$(printf '%s\n' "$st" | field packets)
if [ "$pk" = $N ]; then
	ok "stream accepted all $N packets"
else
	not_ok "stream accepted '$pk' packets, want $N" "$js"
fi
drops=$(printf '%s\n' "$st" | tr ',' '\n' | grep '"drop_' | grep -v ':0$')
if [ -n "$st" ] && [ -z "$drops" ]; then
	ok "stream dropped nothing"
else
	not_ok "stream drops" "${drops:-no stats: $js}"
fi
ss=$(printf '%s\n' "$js" | sed -n 's/.*"ssrcs":\[\(.*\)\].*/\1/p')
if [ "$(printf '%s\n' "$ss" | field ssrc)" = $((0xdeadbeef)) ] &&
	[ "$(printf '%s\n' "$ss" | field ext_highest_seq)" = $((N - 1)) ] &&
	[ "$(printf '%s\n' "$ss" | grep -o '"ssrc":' | wc -l)" = 1 ]; then
	ok "one SSRC 0xdeadbeef, ext_highest_seq $((N - 1)) (ROC 0)"
else
	not_ok "stream SSRCs" "$ss"
fi
if [ "$rrc" = 0 ] && [ "$(field received <$TMP/cap)" = $N ] && [ "$(field lost <$TMP/cap)" = 0 ]; then
	ok "capture received all $N packets"
else
	not_ok "capture (status $rrc)" "$(cat $TMP/cap)"
fi
got=$(field payload_sha256 <$TMP/cap)
if [ -n "$ref" ] && [ "$got" = "$ref" ] &&
	[ "$(field payload_bytes <$TMP/cap)" = "$(field payload_bytes <$TMP/ref)" ]; then
	ok "plain output payload SHA-256 equals libsrtp2's decryption ($got)"
else
	not_ok "payload SHA-256 '$got', libsrtp2 '$ref'" "$(cat $TMP/cap)"
fi
if [ "$(field first_payload <$TMP/cap)" = "$(field first_payload <$TMP/ref)" ]; then
	ok "first payload $(field first_payload <$TMP/cap)"
else
	not_ok "first payload" "$(field first_payload <$TMP/cap) vs $(field first_payload <$TMP/ref)"
fi
check_dmesg_clean "no kernel warnings"
tap_done
