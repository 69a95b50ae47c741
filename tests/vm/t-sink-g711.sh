#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
# The in-kernel sink, end to end, for both G.711 laws: a known multi-tone
# signal encoded PCMU (one page), then PCMA (a second page, another
# talker), each sent with libsrtp2 -> herald stream -> sink on snd-aloop's
# playback side (the card named by its id, "Loopback"); arecord on the
# loopback's capture side records what the module played. Each capture must
# match sox's own decode of the same payload, upsampled to 48 kHz; what a
# page must show besides is in sink-lib.sh.
#
#   n1 srtp-send --(subnet 1)-- n2 herald (stream -> sink) -> aloop -> arecord
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"
W=/tmp/sink-g711
. "$VM_TOP/tests/vm/sink-lib.sh"

herald_loaded || herald_load

# The signal: 3 s of three tones (not harmonics of each other) at 8 kHz.
sox -n -r 8000 -c 1 -b 16 -e signed "$W/t1.wav" synth 3 sine 350 vol 0.3
sox -n -r 8000 -c 1 -b 16 -e signed "$W/t2.wav" synth 3 sine 1170 vol 0.3
sox -n -r 8000 -c 1 -b 16 -e signed "$W/t3.wav" synth 3 sine 2630 vol 0.3
sox -m -v 1 "$W/t1.wav" -v 1 "$W/t2.wav" -v 1 "$W/t3.wav" "$W/page.wav"
for law in mu-law:ul a-law:al; do
	enc=${law%:*} ext=${law#*:}
	sox "$W/page.wav" -t raw -e "$enc" -b 8 -r 8000 -c 1 "$W/page.$ext"
	sox -t raw -e "$enc" -b 8 -r 8000 -c 1 "$W/page.$ext" -t raw -e signed -b 16 -r 48000 \
		-c 1 "$W/ref48.$ext"
done
check "page signals made (24000 octets each)" \
	test "$(stat -c %s "$W/page.ul")" -eq 24000 -a "$(stat -c %s "$W/page.al")" -eq 24000

sink_setup
sink_page PCMU "$W/page.ul" "$W/ref48.ul" 0 0x1111
sink_page PCMA "$W/page.al" "$W/ref48.al" 8 0x2222
sink_done
tap_done
