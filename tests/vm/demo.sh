#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make demo`, inside the guest: a real encrypted page call through SIP,
# heard on the local speaker and sent on to a paging zone.
#
#   baresip --SIP/UDP--> Kamailio --SIP/TLS--> heraldd --netlink--> herald.ko
#      `--------------------- SRTP ------------------------------> stream
#                                             sink -> snd-aloop -> arecord (speaker.wav)
#                                             output (SRTP, its own key) -> 239.10.0.1
#                                                  -> srtp-recv in namespace n3 (zone.wav)
#
# The call is tests/vm/sip-page.sh's (what tests/vm/t-sip-page.sh checks):
# heraldd registered over TLS (a test CA made here) answers baresip's
# mediaenc=srtp-mand call; herald.ko decrypts it, plays it on the sink
# heraldd made from audio.*, and re-encrypts it to the zone output named in
# media.outputs, which a libsrtp2 receiver on the zone's LAN decrypts. The
# audio of both is left as WAV and PNG spectrogram in the demo folder.
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

herald_loaded || herald_load
W=/tmp/demo
OUT=${VM_OUT:-/tmp}
mkdir -p $W
. "$VM_TOP/tests/vm/sip-page.sh"
SECS=6

section() { printf '\n== %s\n' "$*"; }
# The status file, whole and indented (every area heraldd reports, those
# added later too), an object of plain values on one line.
show_status() {	# [FILE], default heraldd's status file now
	_f=${1:-$W/status.json}
	python3 - "$_f" <<'PY' || cat "$_f"
import json, sys

def nested(o):
    vals = o.values() if isinstance(o, dict) else o
    return any(isinstance(v, (dict, list)) for v in vals)

def fmt(o, ind):
    pad = " " * (ind + 2)
    if isinstance(o, dict) and nested(o):
        items = ",\n".join(pad + json.dumps(k) + ": " + fmt(v, ind + 2) for k, v in o.items())
        return "{\n" + items + "\n" + " " * ind + "}"
    if isinstance(o, list) and nested(o):
        return "[\n" + ",\n".join(pad + fmt(v, ind + 2) for v in o) + "\n" + " " * ind + "]"
    return json.dumps(o)

print(fmt(json.load(open(sys.argv[1])), 0))
PY
}

section "herald.ko"
dmesg | grep -E "herald: .*(self-tests|uses)" | sed 's/^\[[^]]*\] //' 
$H info

page_prereq || exit 1
page_card || { echo "no snd-aloop card: $(cat /proc/asound/cards)"; exit 1; }

# n2 is the paging gateway (caller, registrar and heraldd on its loopback,
# as on one host); n3 a speaker on the zone's LAN.
netns_add 2 3
netns_lan 2 3
LAN=lan$NETNS_NET
for i in 2 3; do netns_mcast_route "$i" $LAN; done

section "the zone: an encrypted multicast output, made with heraldctl"
KZ=$(openssl rand -base64 30)
n2 $H output add dst 239.10.0.1 port 5001 dev $LAN label zone-lobby \
	suite AES_CM_128_HMAC_SHA1_80 key "inline:$KZ|2^31|1:4" >/dev/null
n2 $H output show
ip netns exec herald-n3 "$T/srtp-recv" --suite AES_CM_128_HMAC_SHA1_80 --key "inline:$KZ|2^31|1:4" \
	--group 239.10.0.1 --iface $LAN --start-timeout 180 --timeout 5 --order seq \
	--out $W/zone.ul --ready-file $W/zone.ready 0.0.0.0:5001 >$W/zone.json 2>&1 &
ZONE=$!
wait_for 20 test -s $W/zone.ready

section "Kamailio (registrar and proxy, TLS) and heraldd"
page_certs || { echo "cannot make the test certificates"; exit 1; }
page_kamailio || { echo "kamailio did not start:"; tail -5 $W/kamailio.log; exit 1; }
page_heraldd "media.outputs = 1"
wait_for 60 page_registered
echo "registration of 1000 over TLS: $(_reg_status)"
grep -E 'TLS flow|registration' $W/heraldd.log | sed 's/^heraldd: [a-z]*: /  /'

section "the local speaker: heraldd's sink (audio.* settings)"
sink_up() { has "$(sink_json)" '"label":"speaker"'; }
wait_for 20 sink_up
n2 $H sink show

section "paging: baresip calls 1000 with SRTP (mediaenc=srtp-mand), ${SECS} s of tones"
page_signal $SECS || { echo "cannot make the page signal"; exit 1; }
page_record 150
wait_for 30 grep -q RUNNING /proc/asound/card$CARD/pcm1c/sub0/status
page_dial
# The human dump that showed it is kept: the call may be over by the next.
stream_up() { js=$(n2 $H stream show 2>/dev/null); has "$js" 'label "u1-1"'; }
if wait_for 90 stream_up; then
	echo "heraldd answered; the call's stream in herald.ko:"
	printf '%s\n' "$js"
	# The status while the page plays: the call, and its SRTP leg.
	wait_for 20 grep -q '"call:u1-1"' $W/status.json && cp $W/status.json $W/status-call.json
else
	echo "no call came up; baresip said:"
	tail -20 $W/baresip.out
fi
grep -E 'call u1-1' $W/heraldd.log | sed 's/^heraldd: [a-z]*: /  /'
gone() { ! has "$(n2 $H stream show 2>/dev/null)" 'label "u1-1"'; }
wait_for 120 gone
grep -E 'call u1-1: ended' $W/heraldd.log | sed 's/^heraldd: [a-z]*: /  /'
pcm_closed() { has "$(sink_json)" '"pcm_open":false'; }
wait_for 30 pcm_closed
kill -INT $AREC 2>/dev/null
wait $AREC
wait $ZONE

section "kernel counters after the call"
n2 $H sink show
n2 $H output show
n2 $H stream show
echo "(the call's stream went with the call: the caller's BYE)"

section "the zone's speaker (libsrtp2 decrypting the multicast zone)"
cat $W/zone.json

if [ -s $W/status-call.json ]; then
	section "heraldd's status file during the call (encryption: every live leg)"
	show_status $W/status-call.json
fi
section "heraldd's status file after the call ($W/status.json)"
show_status

section "what was heard"
sox -t raw -r 48000 -e signed -b 16 -c 1 $W/cap.raw $W/cap.wav
# The page, without the capture's silence before and after it.
sox $W/cap.wav "$OUT/speaker.wav" silence 1 0.02 0.1% reverse silence 1 0.02 0.1% reverse &&
	sox "$OUT/speaker.wav" -n rate 16k spectrogram -o "$OUT/speaker.png" \
		-t "herald demo: the local speaker (sink on snd-aloop)" &&
	echo "speaker: $OUT/speaker.wav, spectrogram $OUT/speaker.png"
# A guest starved by a busy host (TCG) plays gaps where the sender or the
# guest stalled: the sink's counters above (pages, late, underruns) say so.
echo "match with the source (pcm-corr, 1.0 = identical): $("$T/pcm-corr" --track 960 $W/ref48.raw $W/cap.raw)"
for band in 290-410:350 1110-1230:1170 2570-2690:2630; do
	echo "  ${band#*:} Hz tone: $(band_db $W/cap.raw "${band%:*}") dB (source $(band_db $W/ref48.raw "${band%:*}") dB)"
done
if [ -s $W/zone.ul ]; then
	sox -t raw -r 8000 -e mu-law -b 8 -c 1 $W/zone.ul "$OUT/zone.wav" &&
		sox "$OUT/zone.wav" -n rate 16k spectrogram -o "$OUT/zone.png" \
			-t "herald demo: zone 239.10.0.1 (re-encrypted, decrypted by libsrtp2)" &&
		echo "zone: $OUT/zone.wav, spectrogram $OUT/zone.png"
fi
kill -TERM $HD
wait $HD
echo "heraldd stopped (exit $?); its sink is deleted: $(n2 $H sink show | grep -c speaker) left"
