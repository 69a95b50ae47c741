#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 300
# Arbitration of one output between the streams that feed it (uapi: "the one
# of the highest priority holds it; an equal priority does not take it from
# the holder; a holder that has sent nothing for HERALD_HOLD_TIMEOUT_MS
# lets go"). Each talker's payload is one repeated byte, so the zone
# receiver's payload file tells who was heard, in which order:
#   A (normal, 0xaa) talks throughout              -> heard
#   B (normal, 0xbb) talks 1 s while A holds        -> not heard: drop_busy
#   C (emergency, 0xcc) talks 1 s while A holds     -> heard at once, fully
#   after C: A is kept out for ~1 s (hold timeout), then heard again
#   later B alone, > 1 s after everyone stopped     -> heard (zone free)
# The receiver (libsrtp2, re-encrypted zone) must see one SSRC, the
# output's, with sequence numbers continuous across every talker change
# (lost 0, nothing reordered), and the counters must add up exactly.
#
#   n1 senders --(subnet 1)-- n2 herald --(subnet 2)-- n3 zone receiver
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

herald_loaded || herald_load
T=$VM_TOP/build/tests/tools
H=$HERALDCTL
SUITE=AES_CM_128_HMAC_SHA1_80
RATE=100
NA=6000	# up to 60 s: stopped once the scenario is over
NB=100	# 1 s
NC=400	# 4 s: the holder poll (heraldctl in a netns, up to ~1 s each on a loaded TCG guest) must see it
NB2=50
PS=160
TMP=/tmp/priority
mkdir -p $TMP

netns_add 1 2 3
netns_link 1 2
netns_link 2 3
GW=$(addr4 1 2)
RX=$(addr4 2 3)

first_id() { sed -n 's/^\[{"id":\([0-9]*\),.*/\1/p'; }
field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1; }
stats_of() { sed -n 's/.*"stats":{\([^}]*\)}.*/\1/p'; }
# payload FILE OCTAL N: N frames of one byte value
payload() { head -c $(($3 * PS)) /dev/zero | tr '\0' "\\$2" >"$1"; }
holder() { n2 "$H" -j output show id "$O" | sed -n 's/.*"holder":\([0-9a-z]*\).*/\1/p'; }

payload $TMP/a 252 $NA	# 0xaa
payload $TMP/b 273 $NB	# 0xbb
payload $TMP/c 314 $NC	# 0xcc
payload $TMP/b2 273 $NB2

dmesg_mark
KA=$(openssl rand -base64 30)
KB=$(openssl rand -base64 30)
KC=$(openssl rand -base64 30)
KZ=$(openssl rand -base64 30)
O=$(n2 "$H" -j output add dst "$RX" port 7601 suite $SUITE key "inline:$KZ" | first_id)
SA=$(n2 "$H" -j stream add local "$GW" port 5004 label A priority normal suite $SUITE key "inline:$KA" output "$O" | first_id)
SB=$(n2 "$H" -j stream add local "$GW" port 5006 label B priority normal suite $SUITE key "inline:$KB" output "$O" | first_id)
SC=$(n2 "$H" -j stream add local "$GW" port 5008 label C priority emergency suite $SUITE key "inline:$KC" output "$O" | first_id)
[ -n "$O" ] && [ -n "$SA" ] && [ -n "$SB" ] && [ -n "$SC" ] || { not_ok "set up output and streams"; tap_done; }
OSSRC=$(n2 "$H" -j output show id "$O" | field ssrc)
# A plain twin of the zone, captured with time stamps, to time the hold.
OP=$(n2 "$H" -j output add dst "$RX" port 7602 plaintext | first_id)
for st in $SA $SB $SC; do n2 "$H" stream set id "$st" output "$O" output "$OP"; done
# Kernel receive time stamps (SO_TIMESTAMPNS) and the first payload byte
# of every packet, until told to stop.
cat >$TMP/stamp.py <<'EOF'
import os, socket, struct, sys
TSNS = getattr(socket, "SO_TIMESTAMPNS", 35)	# asm-generic/socket.h
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
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
    t = None
    for lvl, typ, val in anc:
        if lvl == socket.SOL_SOCKET and typ == TSNS:
            sec, nsec = struct.unpack("qq", val[:16])
            t = sec * 1000000000 + nsec
    if len(data) > 12 and t is not None:
        out.write("%d %02x\n" % (t, data[12]))
out.close()
EOF
n3 /usr/bin/python3 $TMP/stamp.py 7602 $TMP/stamps &
i=0
while [ ! -s $TMP/stamps.ready ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done

# Ended by SIGTERM once the last talker is done (not through n3: $! must
# be srtp-recv's pid); the idle timeout is only a safety net.
ip netns exec herald-n3 "$T/srtp-recv" --suite $SUITE --key "$KZ" --timeout 60 --start-timeout 60 --out $TMP/heard \
	--ready-file $TMP/ready "0.0.0.0:7601" >$TMP/recv 2>&1 &
rpid=$!
i=0
while [ ! -s $TMP/ready ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done

send() { # send PORT KEY FILE SSRC
	n1 "$T/srtp-send" --suite $SUITE --key "$2" --payload-file "$3" --ssrc "$4" --rate $RATE "$GW:$1"
}
# wait_holder ID: until the output is held by stream ID (senders start
# slowly on a loaded TCG host; the order of talkers is what counts).
# HELD: the holder seen last.
wait_holder() {
	_end=$(($(date +%s) + 20))
	HELD=$(holder)
	while [ "$HELD" != "$1" ] && [ "$(date +%s)" -lt $_end ]; do
		sleep 0.05
		HELD=$(holder)
	done
	diag "$(date +%T.%N | cut -c1-12) holder $HELD (waited for $1)"
}
# A talks until stopped (its payload file would last 60 s); not through
# n1 (a shell function), so that $! is srtp-send's pid.
ip netns exec herald-n1 "$T/srtp-send" --suite $SUITE --key "$KA" --payload-file $TMP/a \
	--ssrc 0xaaaa0001 --rate $RATE "$GW:5004" >$TMP/sent-a 2>&1 &
apid=$!
wait_holder "$SA"
sleep 0.5
send 5006 "$KB" $TMP/b 0xbbbb0001 >$TMP/sent-b 2>&1
h_b=$(holder)
diag "$(date +%T.%N | cut -c1-12) B done, holder $h_b"

send 5008 "$KC" $TMP/c 0xcccc0001 >$TMP/sent-c 2>&1 &
cpid=$!
wait_holder "$SC"
h_c=$HELD
wait $cpid
# After the hold timeout A gets the zone back; let it talk a little more.
wait_holder "$SA"
h_a=$HELD
sleep 1
kill $apid 2>/dev/null
wait $apid 2>/dev/null
diag "$(date +%T.%N | cut -c1-12) A stopped"
sleep 1.5	# everyone quiet for more than HERALD_HOLD_TIMEOUT_MS
send 5006 "$KB" $TMP/b2 0xbbbb0002 >$TMP/sent-b2 2>&1
h_b2=$(holder)
sleep 1
kill -TERM $rpid
wait $rpid
rrc=$?
: >$TMP/stamps.stop
wait

# ---- what was heard, in order: one line "BYTE PACKETS" per talk spurt ----
od -An -v -tx1 -w$PS $TMP/heard | awk '{ print $1 }' | uniq -c | awk '{ print $2, $1 }' >$TMP/runs
awk '{ print $2 }' $TMP/stamps | uniq -c | awk '{ print $2, $1 }' >$TMP/runs-plain
diag "heard (byte packets): $(tr '\n' ' ' <$TMP/runs)"
runs=$(cut -d' ' -f1 $TMP/runs | tr '\n' ' ')
# A loaded TCG host can stall a sender for more than the hold timeout, and
# then another talker may rightly take the zone: the talk spurts are judged
# by the rules, on the time-stamped plain twin, not by one fixed script.
case $runs in
"aa cc aa bb ") ok "heard A, then C, then A again, then B" ;;
aa\ cc\ *aa\ bb\ ) ok "heard A, C (interrupted by stalls: $runs), A, then B" ;;
*) not_ok "talk spurts heard: '$runs', want 'aa cc aa bb '" ;;
esac
if cmp -s $TMP/runs $TMP/runs-plain; then
	ok "the encrypted zone and its plain twin heard the same talk spurts"
else
	not_ok "zone and plain twin differ" "$(tr '\n' ' ' <$TMP/runs-plain)"
fi
nc=$(awk '$1 == "cc" { n += $2 } END { print n + 0 }' $TMP/runs)
nb=$(awk '$1 == "bb" { n += $2 } END { print n + 0 }' $TMP/runs)
if [ "$nc" = $NC ]; then
	ok "emergency C was never held back: all $NC of its packets heard"
else
	not_ok "emergency C: $nc of $NC packets heard"
fi
if [ "$nb" = $NB2 ] && [ "$(tail -n 1 $TMP/runs)" = "bb $NB2" ]; then
	ok "B never heard while A held the zone; its later talk ($NB2 packets) heard in full"
else
	not_ok "B: $nb packets heard, want only the $NB2 of its later talk, at the end"
fi
# Every change of talker, from the time stamps: to C at once (emergency);
# from C to A, and to B at the end, only once the holder has been silent for
# HERALD_HOLD_TIMEOUT_MS (never earlier; later only by the sender's pacing).
awk '
	prev && $2 != prev {
		gap = ($1 - last[prev]) / 1000000
		printf "%s->%s %d\n", prev, $2, gap
	}
	{ last[$2] = $1; prev = $2 }' $TMP/stamps >$TMP/switches
diag "talker changes (ms since the previous talker last spoke): $(tr '\n' ' ' <$TMP/switches)"
bad=$(awk '$1 != "aa->cc" && ($2 < 950) { print }' $TMP/switches | tr '\n' ' ')
hold=$(awk '$1 == "cc->aa" { h = $2 } END { print h + 0 }' $TMP/switches)
if [ -s $TMP/switches ] && [ -z "$bad" ]; then
	ok "every change of talker but the emergency's came after >= the 1000 ms hold"
else
	not_ok "talker changes before the hold timeout: $bad"
fi
if [ "$hold" -ge 950 ] && [ "$hold" -le 3000 ]; then
	ok "after C's last packet, A was heard again ${hold} ms later (hold timeout 1000 ms)"
else
	not_ok "after C's last packet, A was heard again after '$hold' ms, want ~1000 ms"
fi
if [ "$h_b" = "$SA" ] && [ "$h_c" = "$SC" ] && [ "$h_a" = "$SA" ] && [ "$h_b2" = "$SB" ]; then
	ok "output holder: A while B talked, C during the emergency, A after it, B at the end"
else
	not_ok "output holder: '$h_b' (want A=$SA), '$h_c' (want C=$SC), '$h_a' (want A), '$h_b2' (want B=$SB)"
fi

# ---- one continuous RTP stream ----
heard=$(($(wc -c <$TMP/heard) / PS))
# Reordering is not judged: packets of two talkers reach the output on both
# vCPUs, each numbered and sent from its own softirq, so two may cross on
# the wire (seen once in a loaded make check: 2 of 1882); an SRTP receiver
# takes them in its replay window. Loss is judged: none.
if [ $rrc = 0 ] && [ "$(field lost <$TMP/recv)" = 0 ] &&
	[ "$(field decrypted <$TMP/recv)" = $heard ]; then
	ok "receiver: $heard packets decrypted, sequence continuous (lost 0, reordered $(field reordered <$TMP/recv))"
else
	not_ok "receiver (status $rrc)" "$(cat $TMP/recv)"
fi
ss=$(sed -n 's/.*"ssrcs":\[\([^]]*\)\].*/\1/p' $TMP/recv)
if [ -n "$OSSRC" ] && [ "$ss" = "$(printf '"0x%08x"' "$OSSRC")" ]; then
	ok "receiver: one SSRC, the output's ($ss)"
else
	not_ok "receiver SSRCs '$ss', want only the output's $(printf '0x%08x' "${OSSRC:-0}")"
fi

# ---- the counters add up ----
for x in b c b2; do
	if [ "$(field packets <$TMP/sent-$x)" = "" ]; then not_ok "sender $x" "$(cat $TMP/sent-$x)"; fi
done
ost=$(n2 "$H" -j output show id "$O" | stats_of)
opk=$(printf '%s\n' "$ost" | field packets)
obusy=$(printf '%s\n' "$ost" | field drop_busy)
pa=$(n2 "$H" -j stream show id "$SA" | stats_of | field packets)
pb=$(n2 "$H" -j stream show id "$SB" | stats_of | field packets)
pc=$(n2 "$H" -j stream show id "$SC" | stats_of | field packets)
# Every packet a stream accepted was offered to the output once: sent or busy.
want_busy=$((${pa:-0} + ${pb:-0} + ${pc:-0} - heard))
if [ "$opk" = "$heard" ] && [ "$obusy" = "$want_busy" ] && [ "$obusy" -ge $NB ]; then
	ok "output: sent $opk (= heard), drop_busy $obusy (= accepted by the streams - sent)"
else
	not_ok "output: packets '$opk' (want $heard), drop_busy '$obusy' (want $want_busy)" "$ost"
fi
if [ -n "$pa" ] && [ "$pa" -gt 0 ] && [ "$pb" = $((NB + NB2)) ] && [ "$pc" = $NC ] &&
	[ -z "$(n2 "$H" -j stream show id "$SA" | stats_of | tr ',' '\n' | grep '"drop_' | grep -v ':0$')" ]; then
	ok "streams accepted every packet (A $pa, B $pb, C $pc): busy is the output's drop, not the stream's"
else
	not_ok "streams accepted A '$pa' B '$pb' C '$pc', want >0 (no drops) $((NB + NB2)) $NC"
fi
check_dmesg_clean "no kernel warnings"
tap_done
