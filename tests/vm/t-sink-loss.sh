#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
# The sink under packet loss and reordering within its jitter window: a 3 s
# multi-tone PCMU page sent by libsrtp2 with 5% of its packets lost (chosen
# by srtp-send's seeded PRNG: seed 3 loses 8 of 150, two of them in a row,
# the same 8 on every run) and every 10th packet held back and sent 10
# packets (200 ms) later, well inside the 500 ms target delay. The sink must
# play it without an underrun, conceal exactly the lost packets' audio
# (160 units each), play the page continuously (the capture's sound lasts
# the page's 3 s, within a period), and match sox's decode everywhere but
# at the concealed spots.
#
# The threshold outside those spots is 0.99, the same as for a clean page
# (t-sink-g711): there the path is the clean one (G.711 has no state), and
# the resampler's 32-tap filter (4 ms at 8 kHz) spreads a spot by less than
# the 5 ms margin left out on each side of it.
#
#   n1 srtp-send --loss --hold --(subnet 1)-- n2 herald (stream -> sink) -> aloop
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"
W=/tmp/sink-loss
. "$VM_TOP/tests/vm/sink-lib.sh"

herald_loaded || herald_load

sink_signal_ulaw page 3 350 1170 2630
check "page signal made (24000 octets)" test "$(stat -c %s "$W/page.ul")" -eq 24000
sink_setup

# One page; sets the figures judged below. A guest stalled by its host for
# longer than the card's buffer underruns whatever the loss: that run is
# reported and the page sent once more (another talker), at most twice.
loss_page() {
	ext=$1
	prev=$(sink_stats)
	capture_start "$1"
	talk "$1" 5004 --ssrc "$2" --payload-file "$W/page.ul" --payload-size 160 --rate 50 \
		--loss 5 --seed 3 --hold 10:10
	capture_stop "$1"
	now=$(sink_stats)
	diag "$1: sent $(cat "$W/sent.$1")"
	diag "$1: sink $now"
	for c in packets late concealed gap underruns drift_corrections pages; do
		eval "$c=\$(stat_diff \"\$prev\" \"\$now\" $c)"
	done
	sent=$(field sent <"$W/sent.$1")
	lost=$(field lost <"$W/sent.$1")
	lost_idx=$(sed -n 's/.*"lost_idx":\[\([0-9,]*\)\].*/\1/p' "$W/sent.$1" | tr , ' ')
	diag "$1: packets $packets, late $late, concealed $concealed, gap $gap, underruns $underruns, drift corrections $drift_corrections"
}

loss_page loss1 0x5101
if [ "$underruns" -ne 0 ]; then
	diag "loss1: $underruns underruns: the guest stalled longer than the card's buffer; once more"
	loss_page loss2 0x5102
fi
check "8 of 150 packets lost (seeded), 142 sent" test "$lost" -eq 8 -a "$sent" -eq 142
check "12 packets held back 10 packets (200 ms)" has "$(cat "$W/sent.$ext")" '"held":12,'
check "one page" test "$pages" -eq 1
check "no underrun" test "$underruns" -eq 0
check "every packet sent stored or late ($packets + $late = $sent)" test $((packets + late)) -eq "$sent"
if [ "$late" -eq 0 ] && [ "$gap" -eq 0 ]; then
	check "the lost packets' audio concealed: $concealed = 160 * $lost" \
		test "$concealed" -eq $((160 * lost))
else
	# A held packet that still came after its time (a stalled sender):
	# its audio is concealed too, or read dry as a gap.
	check "the lost and late packets' audio concealed or a gap: $concealed + $gap >= 160 * ($lost + $late)" \
		test $((concealed + gap)) -ge $((160 * (lost + late)))
fi

[ -n "${VM_OUT:-}" ] && cp "$W/cap.$ext" "$VM_OUT/cap-loss.raw"
# Continuous: the sound lasts the page, 3 s at 48 kHz, within a period
# (a gap would lengthen it, a dropped stretch shorten it); 2 ms windows.
lv=$("$T/tone-levels" --window 96 "$W/cap.$ext" 1000)
span=$((($(printf '%s\n' "$lv" | field last_sound) - $(printf '%s\n' "$lv" | field first_sound) + 1) * 96))
check "sound for $span frames: 144000 +- a period (960) and a window" \
	test "$span" -ge $((144000 - 960 - 96)) -a "$span" -le $((144000 + 960 + 96))
# The match outside the lost packets (5 ms margin each side).
skips=
for i in $lost_idx; do
	skips="$skips --skip $((i * 960 - 240)):$((960 + 480))"
done
# shellcheck disable=SC2086
res=$("$T/pcm-corr" $skips "$W/page.ref" "$W/cap.$ext")
diag "pcm-corr: $res"
corr=$(printf '%s\n' "$res" | field corr_outside)
if [ "$late" -eq 0 ] && [ "$gap" -eq 0 ] && [ "$drift_corrections" -eq 0 ]; then
	check "capture matches the reference outside the concealed spots: $corr >= 0.99" \
		awk -v c="$corr" 'BEGIN { exit !(c != "" && c >= 0.99) }'
else
	check "capture matches the reference outside the concealed spots but for what the counters explain: $corr" \
		awk -v c="$corr" -v m=$((gap + 160 * late)) \
		'BEGIN { exit !(c != "" && c >= 0.99 * sqrt(1 - m / 24000) - 0.02) }'
fi
diag "whole page, concealed spots included: correlation $(printf '%s\n' "$res" | field corr)"
sink_done
tap_done
