# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The sink tests' common part (t-sink-*.sh), sourced after netns.sh:
#
#   sink_setup              snd-aloop card present, hosts n1 -- n2, a sink on
#                           the Loopback card (by id) and an SRTP stream
#                           feeding it on n2; sets card, sink, st, key, gw
#   sink_page NAME PAYLOAD REF PT SSRC
#                           one page: PAYLOAD (3 s: 24000 octets, one per
#                           8 kHz unit) sent as payload type PT under SSRC by
#                           libsrtp2 at 50 packets/s, captured from the
#                           loopback and judged against REF (the reference
#                           decode at 48 kHz, s16 mono) and the counters
#   sink_judge NAME REF CAP PREV NOW PACKETS IDLE_AT
#                           a captured page judged (what sink_page does
#                           after the capture; t-zones judges its
#                           receivers' sinks with it)
#   sink_done               deletes the sink; the stream forgets it
#
# What a page must show, whatever the load on the host:
#  - every packet sent is in the jitter buffer or counted late;
#  - audio a late packet carried is counted missing (concealed or gap);
#  - nothing missing: the capture matches at >= 0.99 and its alignment
#    moved by no more than the drift corrections counted (a frame lost
#    anywhere between the sink and the capture moves it);
#  - something missing (the sender inside a TCG guest on a loaded host can
#    stall for longer than the target delay), or the card ran dry (the
#    whole guest stalled for longer than the card's buffer: counted as an
#    underrun): the match may fall only as far as the share the counters
#    explain;
#  - the PCM is released after the page and the capture reads silence.
# The delay from the page's first packet to its sound is reported.
T=$VM_TOP/build/tests/tools
H=$HERALDCTL
W=${W:-/tmp/sink-test}
mkdir -p "$W"

field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"; }
stat_of() { printf '%s\n' "$1" | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"; }

sink_setup() {
	card=$(sed -n 's/^ *\([0-9]*\) \[Loopback *\].*/\1/p' /proc/asound/cards | head -n 1)
	if [ -z "$card" ]; then
		not_ok "snd-aloop card present" "$(cat /proc/asound/cards)"
		tap_done
	fi
	diag "aloop is card $card"

	netns_add 1 2
	netns_link 1 2
	gw=$(addr4 1 2)
	key=$(openssl rand -base64 30)

	# Under TCG on a shared host the guest stalls for tens, at times
	# hundreds, of milliseconds: 20 ms periods, a card buffer of 12 of
	# them (240 ms, near the 250 ms allowed; the writer is a real-time
	# thread, but a stalled guest stalls it too) and the longest target
	# delay (500 ms). Delay expected: 500 + 20 ms.
	TARGET=500 PERIOD_MS=20 BUFFER=11520
	# The card by its id, as a configuration names it: looked up when a
	# page opens the PCM.
	sink=$(n2 "$H" -j sink add card Loopback device 0 period 960 buffer $BUFFER delay $TARGET \
		label aloop | first_id)
	check "sink added" test -n "$sink"
	check "sink shows its card by id" has "$(n2 "$H" -j sink show id "$sink")" '"card_id":"Loopback"'
	check "a card id that names no card yet is taken (looked up at each page)" \
		n2 "$H" sink add card NoSuchCard id 99
	check "sink on no card deleted" n2 "$H" sink del id 99
	st=$(n2 "$H" -j stream add local "$gw" port 5004 suite AES_CM_128_HMAC_SHA1_80 \
		key "inline:$key" sink "$sink" | first_id)
	check "stream feeding the sink added" test -n "$st"
	check "stream shows its sink" has "$(n2 "$H" -j stream show id "$st")" "\"sink\":$sink"
	check "idle sink keeps the PCM closed" has "$(n2 "$H" -j sink show id "$sink")" '"pcm_open":false'
	check "aloop playback closed while idle" \
		has "$(cat /proc/asound/card"$card"/pcm0p/sub0/status)" '^closed'
	capt=/proc/asound/card$card/pcm1c/sub0/status
}

hwptr() { sed -n 's/^hw_ptr *: *//p' "$capt"; }
# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
	_n=$(($1 * 10))
	shift
	while [ "$_n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}
sink_idle() { has "$(n2 "$H" -j sink show id "$sink")" '"pcm_open":false'; }
capture_past() { _p=$(hwptr); [ -n "$_p" ] && [ "$_p" -ge "$1" ]; }

sink_page() {
	name=$1 payload=$2 ref=$3 pt=$4 ssrc=$5 ext=$1
	prev=$(n2 "$H" -j sink show id "$sink")
	# Capture side of the loopback: same rate, format and channels as the
	# sink plays (aloop ties both ends together), the same period (aloop
	# moves both ends on their periods' timers), and a 2 s buffer so that
	# a stalled arecord loses nothing. Stopped with SIGINT once the page is
	# over and a second of silence after it was captured.
	arecord -q -D "hw:$card,1,0" -f S16_LE -r 48000 -c 1 --period-size=960 \
		--buffer-size=96000 -t raw "$W/cap.$ext" 2>"$W/arecord.$ext.err" &
	arec=$!
	wait_for 60 grep -q RUNNING "$capt" || not_ok "$name: capture running" "$(cat "$capt")"
	# Capture frame 0 was taken at trigger_time (CLOCK_MONOTONIC);
	# srtp-send reports its first datagram's send on the same clock.
	trig=$(sed -n 's/^trigger_time *: *//p' "$capt")
	# The sender runs at a real-time priority above the sink's writer:
	# the guest has other work (arecord, the tests' own tools) that could
	# delay it, and when the whole guest was stalled by its host the
	# sender sends what it owes before the writer drains the buffer.
	# Each page is another talker (SSRC): the stream's replay window
	# would refuse a second run of the same packets under the same key.
	n1 chrt -f 50 "$T/srtp-send" --suite AES_CM_128_HMAC_SHA1_80 --key "$key" --pt "$pt" \
		--ssrc "$ssrc" \
		--payload-file "$payload" --payload-size 160 --rate 50 "$gw:5004" \
		>"$W/sent.$ext" 2>&1
	check "$name: srtp-send sent 150 packets" has "$(cat "$W/sent.$ext")" '"sent":150[,}]'
	# The page ends once its audio played out of the card and the
	# talker was silent for HERALD_SINK_END_MS.
	check "$name: PCM released after the page" wait_for 60 sink_idle
	idle_at=$(hwptr)
	check "$name: a second of silence captured after it" \
		wait_for 60 capture_past $((idle_at + 48000))
	kill -INT $arec
	wait $arec
	[ -s "$W/arecord.$ext.err" ] && diag "$name: arecord: $(cat "$W/arecord.$ext.err")"
	check "$name: aloop playback closed after the page" \
		has "$(cat /proc/asound/card"$card"/pcm0p/sub0/status)" '^closed'

	now=$(n2 "$H" -j sink show id "$sink")
	diag "$name: sink after the page: $now"
	if [ -n "${VM_OUT:-}" ]; then
		cp "$W/cap.$ext" "$VM_OUT/cap-$name.raw"
		cp "$ref" "$VM_OUT/ref-$name.raw"
	fi
	sink_judge "$name" "$ref" "$W/cap.$ext" "$prev" "$now" 150 "$idle_at"
	prev=$now
	# From the first datagram's send to its first sample in the capture,
	# both on CLOCK_MONOTONIC: reported, not judged (TCG).
	first=$(field first_sent_mono_s <"$W/sent.$ext")
	if [ -n "$lag" ] && [ -n "$trig" ] && [ -n "$first" ]; then
		delay=$(awk -v l="$lag" -v t="$trig" -v f="$first" \
			'BEGIN { printf "%.1f", (t + l / 48000 - f) * 1000 }')
		diag "$name: delay from the first packet to its sound: ${delay} ms (target $TARGET ms + period $PERIOD_MS ms)"
	fi
}

# sink_judge NAME REF CAP PREV NOW PACKETS IDLE_AT: one page of PACKETS
# packets of 160 units, captured in CAP (48 kHz, s16, mono, from the
# loopback's capture side), judged against REF (the reference decode at
# 48 kHz) with the sink's JSON before (PREV) and after (NOW) the page, as
# the top of this file says; after capture frame IDLE_AT (the PCM was
# released) only silence. The card's buffer is BUFFER frames. Sets corr
# and lag (capture frames before the reference starts).
sink_judge() {
	_jn=$1 _jref=$2 _jcap=$3 _jprev=$4 _jnow=$5 _jpk=$6 _jidle=$7
	check "$_jn: sink idle after the page" has "$_jnow" '"holder":null'
	check "$_jn: no sink error" has "$_jnow" '"error":0[,}]'
	d() { echo $(($(stat_of "$_jnow" "$1") - $(stat_of "$_jprev" "$1"))); }
	packets=$(d packets) late=$(d late) concealed=$(d concealed) gap=$(d gap)
	corrections=$(d drift_corrections) underruns=$(d underruns) pages=$(d pages)
	diag "$_jn: packets $packets, late $late, concealed $concealed, gap $gap, drift corrections $corrections, underruns $underruns"
	check "$_jn: one page" test "$pages" -eq 1
	check "$_jn: every packet in the buffer or counted late ($packets + $late = $_jpk)" \
		test $((packets + late)) -eq "$_jpk"
	check "$_jn: the audio of late packets counted missing ($concealed + $gap >= 160 * $late)" \
		test $((concealed + gap)) -ge $((160 * late))

	# Without drift corrections or underruns the alignment must not move
	# at all: one lag for the whole page (a single frame lost or added
	# anywhere costs the high tones their match from there on). Drift
	# corrections insert or drop single samples, an underrun restarts the
	# card later than the page's timeline: align 20 ms segments one after
	# the other, each within a step of the last (in a gap that tracker
	# may wander off: such a page is judged loosely).
	if [ "$corrections" -eq 0 ] && [ "$underruns" -eq 0 ]; then
		res=$("$T/pcm-corr" "$_jref" "$_jcap")
	else
		res=$("$T/pcm-corr" --track 960 "$_jref" "$_jcap")
	fi
	diag "$_jn: pcm-corr: $res"
	corr=$(printf '%s\n' "$res" | field corr)
	lag=$(printf '%s\n' "$res" | field lag)
	moved=$(printf '%s\n' "$res" | field lag_moved)
	# In 8 kHz units. An underrun costs up to a card buffer of audio,
	# and a card that wrapped round its buffer in a stalled guest
	# (snd-aloop does) replays up to a buffer of stale audio on top.
	missing=$((concealed + gap + underruns * 2 * BUFFER / 6))
	if [ "$missing" -eq 0 ]; then
		check "$_jn: capture matches the reference decode: correlation $corr >= 0.99" \
			awk -v c="$corr" 'BEGIN { exit !(c != "" && c >= 0.99) }'
		[ "$corrections" -eq 0 ] ||
			check "$_jn: alignment moved $moved samples, within the $corrections corrections" \
				awk -v m="$moved" -v n="$corrections" \
				'BEGIN { exit !(m != "" && (m < 0 ? -m : m) <= n) }'
	else
		# A missing share f of the signal, silent or concealed, leaves
		# at most sqrt(1 - f) of the correlation.
		check "$_jn: capture matches the reference decode but for the $missing units counters explain: correlation $corr" \
			awk -v c="$corr" -v m="$missing" -v n="$((_jpk * 160))" \
			'BEGIN { exit !(c != "" && c >= 0.99 * sqrt(1 - m / n) - 0.02) }'
	fi
	# After the page: nothing but silence reached the capture.
	tail_rms=$(sox -t raw -e signed -b 16 -r 48000 -c 1 "$_jcap" -n \
		trim "$(awk -v p="$_jidle" 'BEGIN { print p / 48000 }')" stat 2>&1 |
		sed -n 's/^RMS *amplitude: *//p')
	check "$_jn: silence after the page (RMS $tail_rms)" \
		awk -v r="$tail_rms" 'BEGIN { exit !(r ~ /^[0-9.e+-]+$/ && r + 0 < 0.0001) }'
}

sink_done() {
	check "sink deleted" n2 "$H" sink del id "$sink"
	check "stream no longer names it" has "$(n2 "$H" -j stream show id "$st")" '"sink":null'
}
