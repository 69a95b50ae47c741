#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 300
# vm-kernels: 6.1
#
# A page call heard end to end (tests/vm/sip-page.sh draws it): heraldd
# registered over TLS to Kamailio (test CA made here), its playback sink
# made from audio.* on snd-aloop; baresip dials 1000 through Kamailio with
# mediaenc=srtp-mand and a WAV of three tones as its source; heraldd
# answers, the module decrypts the caller's SRTP and plays it; arecord
# records the loopback's capture side. Checked: the registration, the sink
# heraldd made, the call's stream (an SRTP suite, playing on that sink),
# packets accepted with no authentication failure, the caller's BYE at the
# end of the file removing the stream, the capture matching sox's own
# decode of the same PCMU (correlation after alignment) with no underrun
# or late packet, the PCM released after the page, and heraldd deleting
# its sink on SIGTERM.
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

herald_loaded || herald_load
W=/tmp/sip-page
mkdir -p $W
. "$VM_TOP/tests/vm/sip-page.sh"
SECS=4			# the tones; baresip sends 20 ms packets
EXPECT=$(((SECS * 10 + 15) * 5))	# with the lead-in and the tail
dmesg_mark

page_prereq || tap_done
page_card || { not_ok "snd-aloop card present" "$(cat /proc/asound/cards)"; tap_done; }
diag "aloop is card $CARD"
netns_add 2

check "test CA and a certificate for 127.0.0.1" page_certs
page_kamailio
KAM_PID=$(cat $W/kam.pid 2>/dev/null)
check "kamailio starts (UDP/TCP $P_KAM, TLS $P_TLS)" [ -n "$KAM_PID" ]

page_heraldd
on_exit "kill $HD 2>/dev/null"
check "heraldd registers 1000 over TLS (status Successful, binding in Kamailio)" \
	wait_for 60 page_registered

sink_up() { has "$(sink_json)" '"label":"speaker"'; }
wait_for 20 sink_up
sj=$(sink_json)
diag "sink: $sj"
SINK=$(printf '%s\n' "$sj" | first_id)
check "heraldd made its sink from audio.* (label speaker)" is_num "$SINK"
check "the sink is on card Loopback (audio.card by id) device 0" has "$sj" '"card_id":"Loopback","device":0,'
check "the sink plays 48000 Hz, 960-frame periods, 7680-frame buffer" \
	has "$sj" '"rate":48000,"period":960,"buffer":7680'
check "the sink's target delay is audio.delay_ms ($PAGE_DELAY)" has "$sj" "\"delay\":$PAGE_DELAY[,}]"
check "idle sink keeps the PCM closed" has "$sj" '"pcm_open":false'

check "page signal made (${SECS} s of tones, 8 kHz WAV)" page_signal $SECS
# Long enough for set-up and page on a slow host; stopped once the page is over.
page_record 100
capt=/proc/asound/card$CARD/pcm1c/sub0/status
wait_for 30 grep -q RUNNING "$capt"

# The module's events: the call's stream lives only as long as the call,
# which a slow guest may not even see with heraldctl; its "active" and
# "rejections" events are pushed as they happen.
ip netns exec herald-n2 "$H" -j monitor >$W/events.json 2>$W/monitor.err &
MON=$!
on_exit "kill $MON 2>/dev/null"

t_dial=$(date +%s.%N)
page_dial
# The dump that showed it is kept in js: on a slow guest the call may be
# over by the time another heraldctl has started.
stream_up() { js=$(stream_json); has "$js" '"label":"u1-1"'; }
stream_gone_now() { ! stream_up; }
# Seconds from $t_dial to $1 (date +%s.%N), one decimal.
since() { awk -v a="$t_dial" -v b="$1" 'BEGIN { if (b != "") printf "%.1f", b - a; else printf "never" }'; }
answered_or_dead() { stream_up || ! kill -0 $BS 2>/dev/null; }
wait_for 60 answered_or_dead
check "heraldd answered: a stream for the call (label u1-1)" stream_up
t_stream=$(date +%s.%N)
diag "stream: $js"
check "the stream plays on heraldd's sink" has "$js" "\"sink\":$SINK"
check "the stream decrypts SRTP (an AES suite)" has "$js" '"suite":"(AES|AEAD)_[A-Z0-9_]*"'

wait_for 90 stream_gone_now
t_gone=$(date +%s.%N)
diag "timeline (s after dial): stream seen $(since "$t_stream"), gone $(since "$t_gone")"
diag "baresip: $(grep -aE 'Call established|SRTP is Enabled|audio error|terminated' $W/baresip.out | tr -d '\033' | tr '\n' '|')"
check "the caller's BYE at the end of the page removed the stream" stream_gone_now
check "heraldd logged the call ended by the caller" grep -q 'call u1-1: ended by the caller' $W/heraldd.log
sleep 1		# the last events of the stream (every 250 ms)
ev() { grep '"label":"u1-1"' $W/events.json | grep "\"type\":\"$1\""; }
diag "events of the call's stream: $(grep '"label":"u1-1"' $W/events.json | tr '\n' ' ')"
check "the stream accepted the caller's SRTP (event \"active\")" ev active
check_fails "no packet rejected by the stream (no \"rejections\" event)" ev rejections

# The page has ended: the sink lets the PCM go HERALD_SINK_END_MS later.
pcm_closed() { has "$(sink_json)" '"pcm_open":false'; }
wait_for 30 pcm_closed
after=$(sink_json)
diag "sink after the page: $after"
kill -INT $AREC 2>/dev/null
wait $AREC
check "PCM released after the page" has "$after" '"pcm_open":false'
check "sink idle after the page" has "$after" '"holder":null'
# baresip sends the file, then a few packets more until its hang-up, so
# the exact count is not known. Packets that came after their time to play
# (the sender or the guest stalled) are counted apart, as "late": both
# reached the sink; whether the page was heard whole is judged below.
pk=$(printf '%s\n' "$after" | sed -n 's/.*"stats":{"packets":\([0-9]*\).*/\1/p')
late=$(printf '%s\n' "$after" | sed -n 's/.*"late":\([0-9]*\).*/\1/p')
check "the sink got at least the page's $EXPECT packets (stored ${pk:-?}, late ${late:-?})" \
	[ $((${pk:-0} + ${late:-0})) -ge $EXPECT ]
check "no sink error" has "$after" '"error":0[,}]'
# What the guest's timing did to the page, not judged by the counters: a
# stall of the sender or of the guest in the silent lead-in costs nothing
# audible (a page ended and a new one begun, an underrun), the same stall
# in the tones breaks the correlation below.
diag "sink counters: pages, underruns, late: $(printf '%s\n' "$after" |
	sed -n 's/.*"pages":\([0-9]*\).*"underruns":\([0-9]*\).*"late":\([0-9]*\).*/\1, \2, \3/p')"

[ -n "${VM_OUT:-}" ] && cp "$W/cap.raw" "$W/ref48.raw" "$W/heraldd.log" "$W/baresip.out" "$VM_OUT/" 2>/dev/null
check "arecord captured the loopback" test -s "$W/cap.raw"
res=$("$T/pcm-corr" --track 960 "$W/ref48.raw" "$W/cap.raw")
diag "pcm-corr: $res"
corr=$(printf '%s\n' "$res" | sed -n 's/.*"corr":\([^,}]*\).*/\1/p')
check "the page heard whole: capture matches sox's decode of the PCMU, correlation $corr >= 0.99" \
	awk -v c="$corr" 'BEGIN { exit !(c != "" && c >= 0.99) }'
# Each tone at its level (G.711 and the sink's upsampling keep it within a
# tenth of a dB; a gap or a wrong gain would not).
for band in 290-410:350 1110-1230:1170 2570-2690:2630; do
	c=$(band_db "$W/cap.raw" "${band%:*}") r=$(band_db "$W/ref48.raw" "${band%:*}")
	check "the ${band#*:} Hz tone heard at its level: $c dB (source $r dB, within 0.5)" \
		awk -v c="$c" -v r="$r" 'BEGIN { d = c - r; exit !(c != "" && r != "" && d < 0.5 && d > -0.5) }'
done
diag "level outside the tones (4-20 kHz): $(band_db "$W/cap.raw" 4000-20000) dB, source $(band_db "$W/ref48.raw" 4000-20000) dB"

kill $BS 2>/dev/null
kill -TERM $HD
wait $HD
check "heraldd exits 0 on SIGTERM" [ $? -eq 0 ]
check "heraldd deleted its sink on exit" sh -c "! n2 $H -j sink show | grep -q '\"id\":$SINK,'"
check "heraldd logged the sink's deletion" grep -q "audio: sink $SINK deleted" $W/heraldd.log
check_dmesg_clean "kernel log clean"
tap_done
