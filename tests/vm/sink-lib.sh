# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The sink tests' common part (t-sink-*.sh), sourced after netns.sh:
#
#   sink_signal_ulaw NAME SECONDS HZ...
#                           $W/NAME.ul: the tones mixed (0.3 each), PCMU at
#                           8 kHz; $W/NAME.ref: sox's decode of it at 48 kHz
#   sink_setup [ARGS]       snd-aloop card present, hosts n1 -- n2, a sink on
#                           the Loopback card (by id; ARGS added to "sink
#                           add") and an SRTP stream feeding it on n2; sets
#                           card, capt, sink, st, key, gw
#   sink_find_card          card and capt for the Loopback card now
#   sink_stream PORT [ARGS] one more stream feeding the sink; prints its id
#   talk NAME PORT ARGS     srtp-send from n1 to PORT at real-time priority,
#                           JSON summary in $W/sent.NAME
#   talk_bg NAME PORT ARGS, talking NAME, talk_stop NAME
#                           the same in the background
#   capture_start NAME / capture_stop NAME
#                           arecord of the loopback's capture side into
#                           $W/cap.NAME; the stop waits for the PCM's release
#                           and a second of silence after it
#   sink_stats, stat_diff BEFORE AFTER COUNTER, stream_accepted ID
#   sink_page NAME PAYLOAD REF PT SSRC [PORT]
#                           one page: PAYLOAD (3 s: 24000 octets, one per
#                           8 kHz unit) sent as payload type PT under SSRC by
#                           libsrtp2 at 50 packets/s (to PORT, default 5004:
#                           stream st), captured from the loopback and judged
#                           against REF (the reference decode at 48 kHz, s16
#                           mono) and the counters: sink_play, then sink_judge
#   sink_play NAME PAYLOAD PT SSRC [PORT]
#                           the page played and captured ($W/cap.NAME), its
#                           counters checked; sets packets, late, concealed,
#                           gap, corrections, underruns, idle_at, trig
#   sink_counters NAME PREV NOW PACKETS
#                           a page's counters (NOW less PREV, two `sink
#                           show -j` answers) checked for PACKETS sent;
#                           sets packets, late, concealed, gap, corrections,
#                           underruns (what sink_judge reads)
#   sink_judge NAME REF CAP [SKIP]
#                           CAP (the capture, or its part from sample SKIP
#                           on) against REF, as far as the counters allow;
#                           sets corr, lag; silence after sample idle_at
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

sink_signal_ulaw() {
	_name=$1 _len=$2
	shift 2
	_mix=
	for _hz in "$@"; do
		sox -n -r 8000 -c 1 -b 16 -e signed "$W/$_name.$_hz.wav" synth "$_len" sine "$_hz" vol 0.3
		_mix="$_mix -v 1 $W/$_name.$_hz.wav"
	done
	if [ $# -gt 1 ]; then
		# shellcheck disable=SC2086
		sox -m $_mix "$W/$_name.wav"
	else
		cp "$W/$_name.$1.wav" "$W/$_name.wav"
	fi
	sox "$W/$_name.wav" -t raw -e mu-law -b 8 -r 8000 -c 1 "$W/$_name.ul"
	sox -t raw -e mu-law -b 8 -r 8000 -c 1 "$W/$_name.ul" -t raw -e signed -b 16 -r 48000 -c 1 \
		"$W/$_name.ref"
}

sink_find_card() {
	card=$(sed -n 's/^ *\([0-9]*\) \[Loopback *\].*/\1/p' /proc/asound/cards | head -n 1)
	capt=/proc/asound/card$card/pcm1c/sub0/status
	[ -n "$card" ]
}

sink_setup() {
	if ! sink_find_card; then
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
		label aloop "$@" | first_id)
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
}

sink_stream() {
	_port=$1
	shift
	n2 "$H" -j stream add local "$gw" port "$_port" suite AES_CM_128_HMAC_SHA1_80 \
		key "inline:$key" sink "$sink" "$@" | first_id
}

# The sender runs at a real-time priority above the sink's writer: the
# guest has other work (arecord, the tests' own tools) that could delay it,
# and when the whole guest was stalled by its host the sender sends what it
# owes before the writer drains the buffer.
talk() {
	_name=$1 _port=$2
	shift 2
	n1 chrt -f 50 "$T/srtp-send" --suite AES_CM_128_HMAC_SHA1_80 --key "$key" "$@" \
		"$gw:$_port" >"$W/sent.$_name" 2>&1
}

# talk_bg NAME PORT ARGS: the same in the background, until it is done or
# talk_stop NAME; talking NAME: it still is
talk_bg() {
	_name=$1 _port=$2
	shift 2
	rm -f "$W/pid.$_name"
	n1 sh -c 'echo $$ >"$0"; exec chrt -f 50 "$@"' "$W/pid.$_name" "$T/srtp-send" \
		--suite AES_CM_128_HMAC_SHA1_80 --key "$key" "$@" "$gw:$_port" >"$W/sent.$_name" 2>&1 &
	wait_for 10 test -s "$W/pid.$_name"
}
talking() { kill -0 "$(cat "$W/pid.$1")" 2>/dev/null; }
talk_stop() {
	_tn=$1
	kill "$(cat "$W/pid.$_tn")" 2>/dev/null
	wait_for 10 eval '! talking "$_tn"'
}

sink_stats() { n2 "$H" -j sink show id "$sink"; }
stat_diff() { echo $(($(stat_of "$2" "$3") - $(stat_of "$1" "$3"))); }
# Packets a stream took in (its "packets" counter, the first in its stats).
stream_accepted() {
	n2 "$H" -j stream show id "$1" | sed -n 's/.*"stats":{"packets":\([0-9]*\).*/\1/p'
}

hwptr() { sed -n 's/^hw_ptr *: *//p' "$capt"; }
sink_idle() { has "$(n2 "$H" -j sink show id "$sink")" '"pcm_open":false'; }
capture_past() { _p=$(hwptr); [ -n "$_p" ] && [ "$_p" -ge "$1" ]; }

capture_start() {
	# Capture side of the loopback: same rate, format and channels as the
	# sink plays (aloop ties both ends together), the same period (aloop
	# moves both ends on their periods' timers), and a 2 s buffer so that
	# a stalled arecord loses nothing. Stopped with SIGINT once the page is
	# over and a second of silence after it was captured.
	arecord -q -D "hw:$card,1,0" -f S16_LE -r 48000 -c 1 --period-size=960 \
		--buffer-size=96000 -t raw "$W/cap.$1" 2>"$W/arecord.$1.err" &
	arec=$!
	wait_for 60 grep -q RUNNING "$capt" || not_ok "$1: capture running" "$(cat "$capt")"
	# Capture frame 0 was taken at trigger_time (CLOCK_MONOTONIC);
	# srtp-send reports its first datagram's send on the same clock.
	trig=$(sed -n 's/^trigger_time *: *//p' "$capt")
}

capture_stop() {
	# The page ends once its audio played out of the card and the
	# talker was silent for HERALD_SINK_END_MS.
	check "$1: PCM released after the page" wait_for 60 sink_idle
	idle_at=$(hwptr)
	check "$1: a second of silence captured after it" \
		wait_for 60 capture_past $((idle_at + 48000))
	kill -INT $arec
	wait $arec
	[ -s "$W/arecord.$1.err" ] && diag "$1: arecord: $(cat "$W/arecord.$1.err")"
	check "$1: aloop playback closed after the page" \
		has "$(cat /proc/asound/card"$card"/pcm0p/sub0/status)" '^closed'
}

sink_page() {
	sink_play "$1" "$2" "$4" "$5" "${6:-5004}"
	sink_judge "$1" "$3" "$W/cap.$1"
}

sink_play() {
	name=$1 payload=$2 pt=$3 ssrc=$4 port=${5:-5004} ext=$1
	prev=$(sink_stats)
	capture_start "$ext"
	# Each page is another talker (SSRC): the stream's replay window
	# would refuse a second run of the same packets under the same key.
	talk "$ext" "$port" --pt "$pt" --ssrc "$ssrc" --payload-file "$payload" \
		--payload-size 160 --rate 50
	check "$name: srtp-send sent 150 packets" has "$(cat "$W/sent.$ext")" '"sent":150[,}]'
	capture_stop "$name"

	now=$(sink_stats)
	diag "$name: sink after the page: $now"
	sink_counters "$name" "$prev" "$now" 150
	prev=$now
}

sink_counters() {
	_cn=$1 _cprev=$2 _cnow=$3 _cpk=$4
	check "$_cn: sink idle after the page" has "$_cnow" '"holder":null'
	check "$_cn: no sink error" has "$_cnow" '"error":0[,}]'
	d() { stat_diff "$_cprev" "$_cnow" "$1"; }
	packets=$(d packets) late=$(d late) concealed=$(d concealed) gap=$(d gap)
	corrections=$(d drift_corrections) underruns=$(d underruns) pages=$(d pages)
	diag "$_cn: packets $packets, late $late, concealed $concealed, gap $gap, drift corrections $corrections, underruns $underruns"
	check "$_cn: one page" test "$pages" -eq 1
	check "$_cn: every packet in the buffer or counted late ($packets + $late = $_cpk)" \
		test $((packets + late)) -eq "$_cpk"
	check "$_cn: the audio of late packets counted missing ($concealed + $gap >= 160 * $late)" \
		test $((concealed + gap)) -ge $((160 * late))
}

sink_judge() {
	name=$1 ref=$2 cap=$3 skip=${4:-0} ext=$1

	if [ -n "${VM_OUT:-}" ]; then
		cp "$cap" "$VM_OUT/cap-$name.raw"
		cp "$ref" "$VM_OUT/ref-$name.raw"
	fi
	# Without drift corrections or underruns the alignment must not move
	# at all: one lag for the whole page (a single frame lost or added
	# anywhere costs the high tones their match from there on). Drift
	# corrections insert or drop single samples, an underrun restarts the
	# card later than the page's timeline: align 20 ms segments one after
	# the other, each within a step of the last (in a gap that tracker
	# may wander off: such a page is judged loosely).
	if [ "$corrections" -eq 0 ] && [ "$underruns" -eq 0 ]; then
		res=$("$T/pcm-corr" "$ref" "$cap")
	else
		res=$("$T/pcm-corr" --track 960 "$ref" "$cap")
	fi
	diag "$name: pcm-corr: $res"
	corr=$(printf '%s\n' "$res" | field corr)
	lag=$(printf '%s\n' "$res" | field lag)
	moved=$(printf '%s\n' "$res" | field lag_moved)
	# In 8 kHz units. An underrun costs up to a card buffer of audio,
	# and a card that wrapped round its buffer in a stalled guest
	# (snd-aloop does) replays up to a buffer of stale audio on top.
	missing=$((concealed + gap + underruns * 2 * BUFFER / 6))
	if [ "$missing" -eq 0 ]; then
		check "$name: capture matches the reference decode: correlation $corr >= 0.99" \
			awk -v c="$corr" 'BEGIN { exit !(c != "" && c >= 0.99) }'
		[ "$corrections" -eq 0 ] ||
			check "$name: alignment moved $moved samples, within the $corrections corrections" \
				awk -v m="$moved" -v n="$corrections" \
				'BEGIN { exit !(m != "" && (m < 0 ? -m : m) <= n) }'
	else
		# A missing share f of the signal, silent or concealed, leaves
		# at most sqrt(1 - f) of the correlation.
		check "$name: capture matches the reference decode but for the $missing units counters explain: correlation $corr" \
			awk -v c="$corr" -v m="$missing" \
			'BEGIN { exit !(c != "" && c >= 0.99 * sqrt(1 - m / 24000) - 0.02) }'
	fi
	# From the first datagram's send to its first sample in the capture,
	# both on CLOCK_MONOTONIC: reported, not judged (TCG).
	first=$(field first_sent_mono_s <"$W/sent.$ext" 2>/dev/null)
	if [ -n "$lag" ] && [ -n "$trig" ] && [ -n "$first" ]; then
		delay=$(awk -v l="$((lag + skip))" -v t="$trig" -v f="$first" \
			'BEGIN { printf "%.1f", (t + l / 48000 - f) * 1000 }')
		diag "$name: delay from the first packet to its sound: ${delay} ms (target $TARGET ms + period $PERIOD_MS ms)"
	fi
	# After the page: nothing but silence reached the capture.
	tail_rms=$(sox -t raw -e signed -b 16 -r 48000 -c 1 "$cap" -n \
		trim "$(awk -v p="$idle_at" -v s="$skip" 'BEGIN { print (p - s) / 48000 }')" stat 2>&1 |
		sed -n 's/^RMS *amplitude: *//p')
	check "$name: silence after the page (RMS $tail_rms)" \
		awk -v r="$tail_rms" 'BEGIN { exit !(r ~ /^[0-9.e+-]+$/ && r + 0 < 0.0001) }'
}

sink_done() {
	check "sink deleted" n2 "$H" sink del id "$sink"
	check "stream no longer names it" has "$(n2 "$H" -j stream show id "$st")" '"sink":null'
}
