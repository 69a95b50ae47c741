#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
# Three streams feed one sink (uapi: "a higher priority takes the sink at
# once (the page it cuts is dropped, not resumed), an equal or lower one is
# counted as DROP_BUSY"; emergency pages play at the emergency volume), and
# the sink is idle (PCM closed) between pages. Each talker sends its own
# tone, so the capture tells who was heard, when and how loud:
#   A  normal,    600 Hz         takes the idle sink, talks until stopped
#   C  normal,   2200 Hz,  1 s   while A plays: ignored (drop_busy), unheard
#   B  emergency, 1400 Hz, 2 s   while A plays: takes the sink (holder,
#                                preemptions); A stops within a period of
#                                B's arrival (the card's queued audio of A
#                                is dropped); B at the emergency volume
#   B ends while A still talks:  the sink goes silent and the PCM closes; A
#                                is not resumed (drop_busy until it pauses)
#   A again after a pause, 1 s:  a new page reopens the PCM and plays
#
#   n1 talkers --(subnet 1)-- n2 herald (3 streams -> sink) -> aloop -> arecord
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"
W=/tmp/sink-priority
. "$VM_TOP/tests/vm/sink-lib.sh"

herald_loaded || herald_load

# Tones on multiples of 100 Hz: whole cycles in tone-levels' 10 ms windows.
FA=600 FB=1400 FC=2200
VOL=-9 EVOL=-1
sink_signal_ulaw a 60 $FA
sink_signal_ulaw b 2 $FB
sink_signal_ulaw c 1 $FC

sink_setup volume $VOL emergency-volume $EVOL
stB=$(sink_stream 5006 priority emergency label B)
stC=$(sink_stream 5008 priority normal label C)
check "emergency stream B and normal stream C feed the sink" test -n "$stB" -a -n "$stC"

holder_is() { has "$(sink_stats)" "\"holder\":$1[,}]"; }
pcm_open() { has "$(sink_stats)" '"pcm_open":true'; }
busy_past() { [ "$(stat_of "$(sink_stats)" drop_busy)" -gt "$1" ]; }
accepted_all() { echo $(($(stream_accepted "$st") + $(stream_accepted "$stB") + $(stream_accepted "$stC"))); }

# One run of A, C and B; what it saw is kept (r_* flags), judged below.
cut_run() {
	s0=$(sink_stats)
	in0=$(accepted_all)
	capture_start "$1"
	talk_bg "$1.a" 5004 --ssrc "0xa$2" --payload-file "$W/a.ul" --payload-size 160 --rate 50
	wait_for 30 holder_is "$st" && r_a_holds=1
	pcm_open && r_open=1
	talk "$1.c" 5008 --ssrc "0xc$2" --payload-file "$W/c.ul" --payload-size 160 --rate 50
	holder_is "$st" && r_a_kept=1
	s1=$(sink_stats)
	talk "$1.b" 5006 --ssrc "0xb$2" --payload-file "$W/b.ul" --payload-size 160 --rate 50 &
	bpid=$!
	wait_for 30 holder_is "$stB" && r_b_holds=1
	wait $bpid
	talking "$1.a" && r_a_after_b=1
	# B's audio plays out, then the sink must close although A talks on,
	# and A's packets must go on being refused.
	wait_for 60 sink_idle && r_idle=1
	talking "$1.a" && r_idle_while_a=1
	idle_a=$(sink_stats)
	wait_for 30 busy_past "$(stat_of "$idle_a" drop_busy)" && r_busy_after=1
	has "$(sink_stats)" '"pcm_open":false' && r_still_idle=1
	talk_stop "$1.a"
	s2=$(sink_stats)
	capture_stop "$1"
	in1=$(accepted_all)
	diag "$1: sink during A/C/B: $s2"
}
r_a_holds=0 r_open=0 r_a_kept=0 r_b_holds=0 r_a_after_b=0 r_idle=0 r_idle_while_a=0
r_busy_after=0 r_still_idle=0
cut_run cut1 1
# A guest stalled by its host for longer than the sink's end of page
# (250 ms without packets) ends A's page under C's feet: the counters show
# it as a gap or an underrun. Such a run is reported and made once more.
if [ "$(stat_diff "$s0" "$s2" gap)" -gt 0 ] || [ "$(stat_diff "$s0" "$s2" underruns)" -gt 0 ]; then
	diag "cut1: the guest stalled (gap or underrun counted): once more"
	r_a_holds=0 r_open=0 r_a_kept=0 r_b_holds=0 r_a_after_b=0 r_idle=0 r_idle_while_a=0
	r_busy_after=0 r_still_idle=0
	cut_run cut2 2
	cap=cut2
else
	cap=cut1
fi
check "A held the sink" test $r_a_holds = 1
check "the PCM was open while A played" test $r_open = 1
check "C (equal priority) did not take the sink" test $r_a_kept = 1
check "C's 50 packets counted busy" test "$(stat_diff "$s0" "$s1" drop_busy)" -eq 50
check "no preemption by C" test "$(stat_diff "$s0" "$s1" preemptions)" -eq 0
check "B (emergency) held the sink" test $r_b_holds = 1
check "A still talking when B's talker was done" test $r_a_after_b = 1
check "the sink went idle after B" test $r_idle = 1
check "A was still talking when the sink went idle" test $r_idle_while_a = 1
check "A's packets after B ended counted busy (not resumed)" test $r_busy_after = 1
check "the sink stayed idle while A talked on" test $r_still_idle = 1

check "one preemption" test "$(stat_diff "$s0" "$s2" preemptions)" -eq 1
check "two pages (A, B)" test "$(stat_diff "$s0" "$s2" pages)" -eq 2
sum=$(($(stat_diff "$s0" "$s2" packets) + $(stat_diff "$s0" "$s2" drop_busy) + \
	$(stat_diff "$s0" "$s2" late) + $(stat_diff "$s0" "$s2" drop_codec)))
check "every packet the streams took is stored, busy, late or a codec drop ($sum = $((in1 - in0)))" \
	test "$sum" -eq $((in1 - in0))
for f in b c; do
	check "talker $f sent all it had" has "$(cat "$W/sent.$cap.$f")" '"lost":0,'
done

# Present: within 20 dB of the talkers' own levels (-30 dBFS); what a
# drift correction's one-sample stretch of the other tone leaks is far below.
res=$("$T/tone-levels" --min 1000 "$W/cap.$cap" $FA $FB $FC)
diag "tone-levels: $res"
[ -n "${VM_OUT:-}" ] && cp "$W/cap.$cap" "$VM_OUT/cap-priority.raw"
tone() { printf '%s\n' "$res" | sed -n "s/.*{\"hz\":$1,\"first\":\([-0-9]*\),\"last\":\([-0-9]*\),\"windows\":\([0-9]*\),\"level_dbfs\":\([-0-9.]*\)}.*/\\$2/p"; }
la=$(tone $FA 2) fb=$(tone $FB 1) lb=$(tone $FB 2)
last=$(printf '%s\n' "$res" | field last_sound)
check "A heard" test "$(tone $FA 3)" -gt 100
check "B heard" test "$(tone $FB 3)" -gt 150
check "C never heard" test "$(tone $FC 3)" -eq 0
check "A not heard once B started (A's last window $la < B's first $fb)" test "$la" -lt "$fb"
check "nothing heard after B (last sound window $last, B's last $lb)" test "$last" -le $((lb + 1))
# Levels: A at the sink volume, B at the emergency volume, same source level.
diff_db=$(awk -v a="$(tone $FA 4)" -v b="$(tone $FB 4)" 'BEGIN { printf "%.2f", b - a }')
check "B is $diff_db dB above A: the emergency volume ($EVOL dB) against the volume ($VOL dB), +-0.5 dB" \
	awk -v d="$diff_db" -v w=$((EVOL - VOL)) 'BEGIN { exit !(d >= w - 0.5 && d <= w + 0.5) }'
# The switch, from the capture: A's last sound against B's first packet's
# send (both CLOCK_MONOTONIC; 10 ms windows), and the silence between them
# (B's own target delay less what of A still played after it arrived).
b_sent=$(field first_sent_mono_s <"$W/sent.$cap.b")
a_after=$(awk -v t="$trig" -v l="$la" -v s="$b_sent" 'BEGIN { printf "%.0f", (t + (l + 1) / 100 - s) * 1000 }')
silence=$(((fb - la - 1) * 10))
diag "switch: A heard for ${a_after} ms after B's first packet was sent (period $PERIOD_MS ms, card buffer $((BUFFER / 48)) ms, 10 ms windows); silence between A and B ${silence} ms (target $TARGET ms + period)"
# Reported above; judged only against what a stalled guest cannot explain
# away: A's audio after the preemption is at most what the card held.
check "A heard after B arrived for no longer than the card's buffer ($a_after ms)" \
	test "$a_after" -le $((BUFFER / 48 + PERIOD_MS))

# Idle between pages, then the next page reopens the PCM.
check "loopback playback side closed while idle" \
	has "$(cat /proc/asound/card"$card"/pcm0p/sub0/status)" '^closed'
s3=$(sink_stats)
capture_start next
talk next 5004 --ssrc 0xa9 --count 50 --payload-file "$W/a.ul" --payload-size 160 --rate 50 &
npid=$!
wait $npid
capture_stop next
s4=$(sink_stats)
check "the next page counted (pages +1)" test "$(stat_diff "$s3" "$s4" pages)" -eq 1
# Judged by its counters, not by polling pcm_open: a loaded guest's
# heraldctl can take longer than the 1 s page holds the PCM.
check "the next page opened the PCM again (frames played +$(stat_diff "$s3" "$s4" frames_played))" \
	test "$(stat_diff "$s3" "$s4" frames_played)" -gt 0
check "its 50 packets stored" test "$(stat_diff "$s3" "$s4" packets)" -eq 50
res=$("$T/tone-levels" --min 1000 "$W/cap.next" $FA $FB)
diag "tone-levels: $res"
check "A heard on the next page (~1 s)" test "$(tone $FA 3)" -ge 90
check "nothing else" test "$(tone $FB 3)" -eq 0
sink_done
tap_done
