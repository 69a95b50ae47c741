#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
# The sink's card unplugged mid-page and plugged back (uapi: "a PCM that
# cannot be opened is retried once a second while the page lasts;
# HERALD_SINK_A_ERROR says why"): snd-aloop's platform device is unbound
# from its driver while a page plays on it (the sink holds the PCM open),
# then bound again. The unbind must return (ALSA waits for every opener of
# the card to let go: the sink's thread must close its PCM), the stream
# keeps counting the talker's packets, the sink reports the error, and
# reopens the card (named by its id, "Loopback") while the page goes on;
# the next page plays normally (sink-lib.sh judges it: capture against
# sox's decode). The rig fails the run on any WARN, oops or hung task.
#
#   n1 srtp-send --(subnet 1)-- n2 herald (stream -> sink) -> aloop
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"
W=/tmp/sink-unplug
. "$VM_TOP/tests/vm/sink-lib.sh"

herald_loaded || herald_load
DRV=/sys/bus/platform/drivers/snd_aloop

sink_signal_ulaw long 60 600
sink_signal_ulaw page 3 350 1170 2630
sink_setup

pcm_open() { has "$(sink_stats)" '"pcm_open":true'; }
sink_error() { ! has "$(sink_stats)" '"error":0[,}]'; }
no_card() { ! sink_find_card; }
unbind_done() { ! kill -0 "$ubpid" 2>/dev/null; }
accepted_past() { [ "$(stream_accepted "$st")" -gt "$1" ]; }

talk_bg long 5004 --ssrc 0x7701 --payload-file "$W/long.ul" --payload-size 160 --rate 50
check "the page opened the PCM" wait_for 30 pcm_open
echo snd_aloop.0 >"$DRV/unbind" &
ubpid=$!
check "unbind returned while the sink held the PCM" wait_for 30 unbind_done
check "the Loopback card is gone" no_card
check "the sink reports the error" wait_for 10 sink_error
gone=$(sink_stats)
diag "card gone: $gone"
check "PCM not held while the card is gone" has "$gone" '"pcm_open":false'
n=$(stream_accepted "$st")
check "the stream keeps counting the talker's packets" wait_for 10 accepted_past "$n"
check "the sink still holds the page" has "$(sink_stats)" "\"holder\":$st[,}]"
echo snd_aloop.0 >"$DRV/bind"
check "the Loopback card is back" wait_for 10 sink_find_card
sink_find_card
diag "aloop is card $card now"
check "the sink reopened the card while the page lasts" wait_for 30 pcm_open
check "the error cleared" has "$(sink_stats)" '"error":0[,}]'
check "the talker was still talking" talking long
talk_stop long
check "the page ends" wait_for 60 sink_idle

# The next page, judged in full.
sink_page after "$W/page.ul" "$W/page.ref" 0 0x7702
sink_done
tap_done
