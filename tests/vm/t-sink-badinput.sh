#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
# The sink fed what a broken or hostile sender sends, case after case into
# one stream: payload
# sizes that do not match a 20 ms frame, payload types it cannot play,
# timestamps jumping hours forward and back, an SSRC change mid-page, and a
# flood of 10,000 packets/s for 2 s. No oops (the rig fails the run on any
# WARN or oops), and per case the counters explain every packet sent:
#   sent = what the stream took in + its drops + what the network stack
#          dropped before it (veth and backlog, for the flood)
#   taken in = sink packets (stored) + late (dropped) + drop_codec +
#              drop_busy - re-anchors on a jump back (stored, and counted
#              late too, as the uapi says); early = re-anchors forward
#
#   n1 srtp-send --(subnet 1)-- n2 herald (streams -> sink) -> aloop
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"
W=/tmp/sink-badinput
. "$VM_TOP/tests/vm/sink-lib.sh"

herald_loaded || herald_load
sink_setup

# bad_case NAME JUMPS_BACK EXPECT SENDER-ARGS...: one sender run into the
# stream, then the accounting; EXPECT "counter=delta ..." must hold too.
# Every run goes on under the stream's one SSRC with sequence numbers
# further on (the replay window would refuse a rerun); a run that stored
# audio is a page, which must end before the next run (an equal priority).
seq=1000
bad_case() {
	name=$1 back=$2 want=$3
	shift 3
	prev=$(sink_stats)
	s_prev=$(n2 "$H" -j stream show id "$st")
	[ "$name" = flood ] && drops0=$(stack_drops)
	talk "$name" 5004 --seq $seq "$@"
	seq=$((seq + 2000))
	sent=$(field sent <"$W/sent.$name")
	case " $want " in
	*" packets=0 "*) ;;
	*) check "$name: the page is over" wait_for 60 sink_idle ;;
	esac
	now=$(sink_stats)
	s_now=$(n2 "$H" -j stream show id "$st")
	stack=0
	[ "$name" = flood ] && stack=$(($(stack_drops) - drops0))
	d() { stat_diff "$prev" "$now" "$1"; }
	taken=$(($(counter "$s_now" packets) - $(counter "$s_prev" packets)))
	sdrops=0
	for c in $STREAM_DROPS; do
		sdrops=$((sdrops + $(counter "$s_now" "$c") - $(counter "$s_prev" "$c")))
	done
	diag "$name: sent $sent, stream took $taken (drops $sdrops), stack dropped $stack; sink: packets $(d packets), late $(d late), early $(d early), drop_codec $(d drop_codec), drop_busy $(d drop_busy), pages $(d pages), concealed $(d concealed), gap $(d gap)"
	check "$name: sent ($sent) = taken in ($taken) + stream drops ($sdrops) + stack drops ($stack)" \
		test "$sent" -eq $((taken + sdrops + stack))
	sum=$(($(d packets) + $(d late) + $(d drop_codec) + $(d drop_busy) - back))
	check "$name: the sink's counters explain every packet taken in ($sum = $taken)" \
		test "$sum" -eq "$taken"
	for w in $want; do
		check "$name: ${w%%=*} moved by ${w#*=}" test "$(d "${w%%=*}")" -eq "${w#*=}"
	done
	check "$name: no sink error" has "$now" '"error":0[,}]'
}
# counter JSON NAME: the stream's own counter (not its per-SSRC figures)
counter() {
	printf '%s\n' "$1" | sed -n 's/.*"stats":{\([^}]*\)}.*/\1/p' | tr , '\n' |
		sed -n "s/^\"$2\":\([0-9]*\)\$/\1/p"
}
STREAM_DROPS="drop_malformed drop_auth drop_replay drop_too_old drop_unknown_mki drop_no_key
	drop_ssrc drop_index_limit drop_payload_type drop_nomem"
# Datagrams dropped before herald saw them: n2's veth and the backlog.
stack_drops() {
	_d=$(n2 sh -c 'cat /sys/class/net/*/statistics/rx_dropped' | awk '{ s += $1 } END { print s + 0 }')
	for _x in $(awk '{ print $2 }' /proc/net/softnet_stat); do
		_d=$((_d + 0x$_x))
	done
	echo "$_d"
}

sink_signal_ulaw tone 1 1000
P="--payload-file $W/tone.ul --rate 50 --ts-step 160"
# Sizes: one octet, odd sizes, a packet longer than its timestamp step,
# the largest the jitter buffer takes (1024 units, 128 ms) and beyond it.
# shellcheck disable=SC2086
{
bad_case size-1 0 "packets=10" $P --payload-size 1 --count 10
bad_case size-7-g722 0 "packets=10" $P --payload-size 7 --count 10 --pt 9
bad_case size-161 0 "packets=10" $P --payload-size 161 --count 10 --pt 8
bad_case size-1024 0 "packets=7" $P --payload-size 1024 --count 7
# (srtp-send's own pattern: the payload file's last frame would be short)
bad_case size-1025 0 "drop_codec=10 packets=0 pages=0" --rate 50 --ts-step 160 \
	--payload-size 1025 --count 10
# Payload types no sink plays: G.729 and telephone-event.
bad_case pt-18 0 "drop_codec=10 packets=0" $P --payload-size 20 --count 10 --pt 18
bad_case pt-101 0 "drop_codec=10 packets=0" $P --payload-size 4 --count 10 --pt 101
# 2 hours forward at packet 20, 3 hours back at packet 40 (8 kHz units).
bad_case ts-jumps 1 "packets=60 early=1 late=1 pages=1" $P --payload-size 160 --count 60 \
	--ts-jump 20:57600000 --ts-jump 40:-86400000
# Another talker (SSRC) from packet 30 on, sequence numbers running on.
bad_case ssrc-change 0 "packets=60 pages=2" $P --payload-size 160 --count 60 \
	--ssrc 0x1111 --ssrc-at 30:0x2222
# A flood: 10,000 packets/s for 2 s, each 20 ms of audio.
bad_case flood 0 "" --rate 10000 --count 20000 --payload-size 160 --ts-step 160
}
sink_done
tap_done
