#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
# The in-kernel sink playing G.722 (RTP payload type 9: RFC 3551 clocks it
# at 8 kHz, its audio is 16 kHz, one octet per 8 kHz unit): a known
# multi-tone signal at 16 kHz, encoded by ffmpeg's G.722 encoder, sent with
# libsrtp2 -> herald stream -> sink (48 kHz) on snd-aloop; the capture must
# match ffmpeg's own G.722 decode of the same octets, upsampled to 48 kHz by
# sox. What a page must show is in sink-lib.sh.
#
#   n1 srtp-send --(subnet 1)-- n2 herald (stream -> sink) -> aloop -> arecord
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"
W=/tmp/sink-g722
. "$VM_TOP/tests/vm/sink-lib.sh"

herald_loaded || herald_load

# 3 s of three tones at 16 kHz, one of them above what G.711 carries.
sox -n -r 16000 -c 1 -b 16 -e signed "$W/t1.wav" synth 3 sine 350 vol 0.3
sox -n -r 16000 -c 1 -b 16 -e signed "$W/t2.wav" synth 3 sine 1170 vol 0.3
sox -n -r 16000 -c 1 -b 16 -e signed "$W/t3.wav" synth 3 sine 5130 vol 0.3
sox -m -v 1 "$W/t1.wav" -v 1 "$W/t2.wav" -v 1 "$W/t3.wav" "$W/page.wav"
ffmpeg -nostdin -loglevel error -y -i "$W/page.wav" -c:a g722 -f g722 "$W/page.g722"
ffmpeg -nostdin -loglevel error -y -f g722 -i "$W/page.g722" -f s16le -ac 1 -ar 16000 \
	"$W/ref16.raw"
sox -t raw -e signed -b 16 -r 16000 -c 1 "$W/ref16.raw" -t raw -e signed -b 16 -r 48000 -c 1 \
	"$W/ref48.raw"
check "page signal made (24000 G.722 octets)" test "$(stat -c %s "$W/page.g722")" -eq 24000

sink_setup
sink_page G722 "$W/page.g722" "$W/ref48.raw" 9 0x3333
sink_done
tap_done
