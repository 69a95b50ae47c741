#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 240
# Notifications on the "events" group, as `heraldctl -j monitor` prints them
# (one JSON object per line): the policy event and the stream events of
# uapi/linux/herald.h (HERALD_CMD_STREAM_EVENT / HERALD_A_EVENT):
#   policy set on/off           -> {"event":"policy","require_encryption":..}
#   first packets of a stream   -> "active", "new-ssrc" with the SSRC
#   the sender switches MKI 1->2 -> one "key-switched" with SSRC and MKI 2
#   traffic stops               -> "idle", about HERALD_IDLE_MS (1 s) later
#   a burst of tampered packets -> "rejections" whose drop counters add up
#                                  to exactly the tampered packets, all
#                                  drop_auth; no "active" (nothing accepted)
# Each event must name the right stream (and label); a second stream that
# gets no traffic must get no event at all.
#
#   n1 sender --(subnet 1)-- n2 herald (+ monitor)
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

herald_loaded || herald_load
T=$VM_TOP/build/tests/tools
H=$HERALDCTL
SUITE=AES_CM_128_HMAC_SHA1_80
SSRC=0x11223344
TAMPERED=20
TMP=/tmp/events
mkdir -p $TMP

netns_add 1 2
netns_link 1 2
GW=$(addr4 1 2)

first_id() { sed -n 's/^\[{"id":\([0-9]*\),.*/\1/p'; }
field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1; }
now() { date +%s.%N; }
# ev_lines TYPE: the monitor lines ("TIME JSON") of stream $S of that type
ev_lines() { grep "\"event\":\"stream\",\"stream\":$S," $TMP/mon | grep "\"type\":\"$1\""; }
ev_count() { ev_lines "$1" | wc -l; }
# secs_between T0 T1: T1 - T0 in milliseconds
ms_between() { echo "$1 $2" | awk '{ printf "%d", ($2 - $1) * 1000 }'; }

dmesg_mark
# The monitor, each line stamped with the time it arrived.
(
	# Not through n2 (a shell function): $! must be heraldctl's pid.
	ip netns exec herald-n2 "$H" -j monitor 2>$TMP/mon.err &
	echo $! >$TMP/mon.pid
	wait
) | /usr/bin/python3 -u -c '
import sys, time
for l in sys.stdin:
    print("%.6f %s" % (time.time(), l), end="", flush=True)
' >$TMP/mon &
i=0
while [ ! -s $TMP/mon.pid ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
sleep 1	# joined the group

# ---- policy ----
check "policy set require-encryption on" n2 "$H" policy set require-encryption on
check "policy set require-encryption off" n2 "$H" policy set require-encryption off

# ---- a stream with two keys, and a silent one ----
K1=$(openssl rand -base64 30)
K2=$(openssl rand -base64 30)
# A plain output to n1, where the arrival of every packet is time-stamped:
# the last one is when the stream last accepted a packet.
o=$(n2 "$H" -j output add dst "$(addr4 1 1)" port 7501 plaintext | first_id)
cat >$TMP/stamp.py <<'EOF'
import os, socket, struct, sys
TSNS = getattr(socket, "SO_TIMESTAMPNS", 35)	# asm-generic/socket.h
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, TSNS, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.settimeout(0.5)
out = open(sys.argv[2], "w")
open(sys.argv[2] + ".ready", "w").write("1\n")
while not os.path.exists(sys.argv[2] + ".stop"):
    try:
        data, anc, _, _ = s.recvmsg(2048, 64)
    except socket.timeout:
        continue
    for lvl, typ, val in anc:
        if lvl == socket.SOL_SOCKET and typ == TSNS:
            sec, nsec = struct.unpack("qq", val[:16])
            out.write("%d.%09d\n" % (sec, nsec))
            out.flush()
EOF
n1 /usr/bin/python3 $TMP/stamp.py 7501 $TMP/stamps &
i=0
while [ ! -s $TMP/stamps.ready ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
S=$(n2 "$H" -j stream add local "$GW" port 5004 label lobby suite $SUITE key "inline:$K1|2^31|1:4" \
	output "$o" | first_id)
S2=$(n2 "$H" -j stream add local "$GW" port 5006 label quiet suite $SUITE key "inline:$K1" | first_id)
[ -n "$o" ] && [ -n "$S" ] && [ -n "$S2" ] || { not_ok "set up output and streams"; tap_done; }
check "key add stream $S (MKI 2)" n2 "$H" key add stream "$S" "inline:$K2|2^31|2:4"
sleep 0.5

t_start=$(now)
n1 "$T/srtp-send" --suite $SUITE --key "$K1" --mki 1:4 --key2 "$K2" --mki2 2:4 --switch-at 50 \
	--ssrc $SSRC --seq 100 --count 100 --rate 100 "$GW:5004" >$TMP/sent 2>&1
sleep 3	# idle after HERALD_IDLE_MS
t_stop=$(tail -n 1 $TMP/stamps)	# the last packet out, ~ the last one accepted
: >$TMP/stamps.stop
diag "$(grep -c . $TMP/stamps) packets through the output, the last at $t_stop"
t_tamper=$(now)
n1 "$T/srtp-send" --suite $SUITE --key "$K2" --mki 2:4 --ssrc $SSRC --seq 200 --count $TAMPERED \
	--rate 100 --tamper tag:0:1 "$GW:5004" >$TMP/tampered 2>&1
sleep 3	# rejection events come at most once a second
kill "$(cat $TMP/mon.pid)" 2>/dev/null
wait
diag "monitor output:"
sed 's/^/#   /' $TMP/mon
[ -s $TMP/mon.err ] && sed 's/^/# monitor stderr: /' $TMP/mon.err

if [ "$(field tampered <$TMP/tampered)" = $TAMPERED ]; then
	ok "sender tampered $TAMPERED packets"
else
	not_ok "sender --tamper" "$(cat $TMP/tampered)"
fi
js=$(n2 "$H" -j stream show id "$S")
if [ "$(printf '%s\n' "$js" | sed -n 's/.*"stats":{\([^}]*\)}.*/\1/p' | field drop_auth)" = $TAMPERED ] &&
	[ "$(printf '%s\n' "$js" | sed -n 's/.*"stats":{\([^}]*\)}.*/\1/p' | field packets)" = 100 ]; then
	ok "stream $S: 100 accepted, $TAMPERED drop_auth"
else
	not_ok "stream $S counters" "$js"
fi

# policy
if grep -q '"event":"policy","require_encryption":true' $TMP/mon &&
	grep -q '"event":"policy","require_encryption":false' $TMP/mon &&
	[ "$(grep -c '"event":"policy"' $TMP/mon)" = 2 ]; then
	ok "policy: one event for on, one for off"
else
	not_ok "policy events"
fi

# active: exactly once (the tampered burst accepts nothing), named right
if [ "$(ev_count active)" = 1 ] && ev_lines active | grep -q '"label":"lobby"'; then
	ok "active: one event for stream $S (label lobby)"
else
	not_ok "active: $(ev_count active) events for stream $S, want 1 with label lobby"
fi
# new-ssrc with the sender's SSRC
if [ "$(ev_count new-ssrc)" = 1 ] && ev_lines new-ssrc | grep -q "\"ssrc\":$((SSRC))[,}]"; then
	ok "new-ssrc: one event, ssrc $SSRC"
else
	not_ok "new-ssrc: want one event with ssrc $((SSRC))"
fi
# key-switched: once, to MKI 2, for that SSRC
if [ "$(ev_count key-switched)" = 1 ] &&
	ev_lines key-switched | grep -q "\"ssrc\":$((SSRC)),.*\"mki\":2[,}]"; then
	ok "key-switched: one event, ssrc $SSRC mki 2"
else
	not_ok "key-switched: want one event with ssrc $((SSRC)) and mki 2"
fi
# idle: once, about 1 s after the last packet
it=$(ev_lines idle | head -n 1 | cut -d' ' -f1)
if [ "$(ev_count idle)" = 1 ] && [ -n "$it" ]; then
	d=$(ms_between "$t_stop" "$it")
	if [ "$d" -ge 950 ] && [ "$d" -le 3000 ]; then
		ok "idle: one event, ${d} ms after the last packet"
	else
		not_ok "idle: ${d} ms after the last packet, want ~1000 (HERALD_IDLE_MS)"
	fi
else
	not_ok "idle: $(ev_count idle) events for stream $S, want 1"
fi
# order: active before new-ssrc's key switch before idle before rejections
at=$(ev_lines active | head -n 1 | cut -d' ' -f1)
if [ -n "$at" ] && [ -n "$it" ] && [ "$(ms_between "$t_start" "$at")" -ge 0 ] &&
	[ "$(ms_between "$at" "$it")" -gt 0 ] && [ "$(ms_between "$it" "$t_tamper")" -ge 0 ]; then
	ok "active came with the traffic, idle before the tampered burst"
else
	not_ok "event timing: start $t_start active '$at' idle '$it' tamper $t_tamper"
fi
# rejections: all drop_auth, adding up to the tampered packets
sum=0 other=
for l in $(ev_lines rejections | cut -d' ' -f2- | tr -d ' '); do
	v=$(printf '%s\n' "$l" | sed -n 's/.*"drop_auth":\([0-9]*\).*/\1/p')
	sum=$((sum + ${v:-0}))
	o2=$(printf '%s\n' "$l" | grep -o '"drop_[a-z_]*":[0-9]*' | grep -v '"drop_auth"' | grep -v ':0$')
	other="$other$o2"
done
if [ "$(ev_count rejections)" -ge 1 ] && [ "$sum" = $TAMPERED ] && [ -z "$other" ]; then
	ok "rejections: $(ev_count rejections) event(s), drop_auth adding up to $TAMPERED, nothing else"
else
	not_ok "rejections: $(ev_count rejections) events, drop_auth sum $sum (want $TAMPERED), other: '$other'"
fi
if [ -n "$(ev_lines rejections | head -n 1)" ] &&
	[ "$(ms_between "$t_tamper" "$(ev_lines rejections | head -n 1 | cut -d' ' -f1)")" -ge 0 ]; then
	ok "rejections: reported after the burst began"
else
	not_ok "rejections: no event after the burst"
fi
if grep -q "\"event\":\"stream\",\"stream\":$S2," $TMP/mon; then
	not_ok "stream $S2 (no traffic) got events"
else
	ok "stream $S2 (no traffic): no events"
fi
if grep -q '"event":"unknown"' $TMP/mon; then
	not_ok "monitor printed events it does not know"
else
	ok "monitor knew every event"
fi
check_dmesg_clean "no kernel warnings"
tap_done
