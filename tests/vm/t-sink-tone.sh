#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
# The sink's pre-announce tone, per-stream volume offset and page events:
#  1. stream st with "tone on" -> sink on snd-aloop: the capture starts with
#     the built-in chime (correlated with what kmod/tone.c makes, through
#     tests/tools/tone-gen), and the whole page follows it, not cut
#     (correlated with sox's decode over the part after the tone);
#  2. a second stream st2 with "volume-offset -6" and no tone, the same
#     page: 6 +- 0.5 dB quieter than the first page's audio;
#  3. "heraldctl monitor" saw page-start and page-end of each page, with
#     the sink's and the stream's ids;
#  and the tone's settings: an uploaded 16 kHz WAV (its length in sink
#  show), a 48 kHz WAV refused by heraldctl, "builtin" back to the chime.
# What each page must show besides (counters, PCM released, silence after)
# is in sink-lib.sh.
#
#   n1 srtp-send --(subnet 1)-- n2 herald (st, st2 -> sink) -> aloop -> arecord
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"
W=/tmp/sink-tone
. "$VM_TOP/tests/vm/sink-lib.sh"

herald_loaded || herald_load

sink_signal_ulaw page 3 350 1170 2630
check "page signal made (24000 octets)" test "$(stat -c %s "$W/page.ul")" -eq 24000
"$T/tone-gen" 48000 >"$W/chime48.raw"
CHIME=$(($(stat -c %s "$W/chime48.raw") / 2))
check "chime reference made (0.8 s at 48 kHz)" test "$CHIME" -eq 38400

sink_setup
n2 "$H" -j monitor >"$W/events" 2>&1 &
mon=$!
on_exit "kill $mon 2>/dev/null"

check "sink shows its tone: the chime, 800 ms" \
	has "$(n2 "$H" -j sink show id "$sink")" '"tone_ms":800[,}]'
# A tone of another rate is refused before it reaches the module.
sox -n -r 48000 -c 1 -b 16 -e signed "$W/t48.wav" synth 0.5 sine 1000 vol 0.3
check_fails "a 48 kHz WAV is refused" n2 "$H" sink set id "$sink" tone "$W/t48.wav"
check "saying what it holds" has "$(n2 "$H" sink set id "$sink" tone "$W/t48.wav" 2>&1)" \
	'16 kHz mono 16-bit PCM; this WAV is PCM, 48000 Hz'
sox -n -r 16000 -c 1 -b 16 -e signed "$W/t16.wav" synth 0.5 sine 1000 vol 0.3
check "a 16 kHz mono WAV is taken" n2 "$H" sink set id "$sink" tone "$W/t16.wav"
check "its length shown: 500 ms" has "$(n2 "$H" -j sink show id "$sink")" '"tone_ms":500[,}]'
check "builtin: the chime again" n2 "$H" sink set id "$sink" tone builtin
check "800 ms again" has "$(n2 "$H" -j sink show id "$sink")" '"tone_ms":800[,}]'

check "stream st: tone on" n2 "$H" stream set id "$st" tone on
check "stream st shows it" has "$(n2 "$H" -j stream show id "$st")" \
	'"volume_offset":0,"tone":true'
st2=$(n2 "$H" -j stream add local "$gw" port 5006 suite AES_CM_128_HMAC_SHA1_80 \
	key "inline:$key" sink "$sink" volume-offset -6 | first_id)
check "stream st2 with volume-offset -6 added" test -n "$st2"
check "stream st2 shows it, tone off" has "$(n2 "$H" -j stream show id "$st2")" \
	'"volume_offset":-6,"tone":false'

# Page 1: the chime, then the page.
sink_play TONE "$W/page.ul" 0 0x1111 5004
res=$("$T/pcm-corr" "$W/chime48.raw" "$W/cap.TONE")
diag "TONE: the chime: pcm-corr: $res"
tcorr=$(printf '%s\n' "$res" | field corr)
tlag=$(printf '%s\n' "$res" | field lag)
check "TONE: the capture starts with the chime: correlation $tcorr >= 0.99" \
	awk -v c="$tcorr" 'BEGIN { exit !(c != "" && c >= 0.99) }'
# The page from the end of the chime on: sink_judge finds it there, whole
# (its correlation is taken over the whole 3 s reference).
skip=$((tlag + CHIME))
tail -c +$((2 * skip + 1)) "$W/cap.TONE" >"$W/cap.TONE.page"
sink_judge TONE "$W/page.ref" "$W/cap.TONE.page" "$skip"
lag1=$((skip + lag))

# Page 2: another stream, 6 dB down, no tone.
sink_play OFFSET "$W/page.ul" 0 0x2222 5006
sink_judge OFFSET "$W/page.ref" "$W/cap.OFFSET"
lag2=$lag
res=$("$T/pcm-corr" "$W/chime48.raw" "$W/cap.OFFSET")
ocorr=$(printf '%s\n' "$res" | field corr)
check "OFFSET: no chime before a page of a stream without tone (correlation $ocorr < 0.5)" \
	awk -v c="$ocorr" 'BEGIN { exit !(c != "" && c < 0.5) }'
# The level of each page over its 3 s, aligned on it.
rms() {
	sox -t raw -e signed -b 16 -r 48000 -c 1 "$1" -n trim "${2}s" 144000s stat 2>&1 |
		sed -n 's/^RMS *amplitude: *//p'
}
r1=$(rms "$W/cap.TONE" "$lag1") r2=$(rms "$W/cap.OFFSET" "$lag2")
db=$(awk -v a="$r1" -v b="$r2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", 20 * log(a / b) / log(10) }')
diag "RMS: page 1 $r1, page 2 $r2: ${db} dB"
check "OFFSET: the page with volume-offset -6 is 6 +- 0.5 dB quieter: ${db} dB" \
	awk -v d="$db" 'BEGIN { exit !(d != "" && d >= 5.5 && d <= 6.5) }'

# Page events, sent by the sink's thread; give the last one its moment.
ev_seen() { [ "$(grep -c "\"sink\":$sink,\"type\":\"$1\",\"stream\":$2[,}]" "$W/events")" -eq 1 ]; }
check "monitor: page-start of st" wait_for 10 ev_seen page-start "$st"
check "monitor: page-end of st" wait_for 10 ev_seen page-end "$st"
check "monitor: page-start of st2" wait_for 10 ev_seen page-start "$st2"
check "monitor: page-end of st2" wait_for 10 ev_seen page-end "$st2"
check "monitor: four page events, no preemption" \
	test "$(grep -c '"event":"sink"' "$W/events")" -eq 4
diag "events: $(cat "$W/events")"

check "stream st2 deleted" n2 "$H" stream del id "$st2"
sink_done
tap_done
