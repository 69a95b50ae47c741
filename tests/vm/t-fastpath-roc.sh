#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 300
# Sequence number wrap (RFC 3711 §3.3.1, Appendix A): a libsrtp2 sender
# starts at sequence 65000 and runs ~1000 packets past 65535 -> 0, with
# packets swapped in pairs (--reorder 8 swaps packets 535 and 536: sequence
# 0 arrives before 65535, right at the wrap). The stream must accept every
# packet (no drop of any cause), report ROC 1 in ext_highest_seq, and the
# re-encrypting multicast zone must reach a libsrtp2 receiver that
# decrypts every packet with the payloads in sequence order unchanged.
# Variants: IPv4 with AES_CM_128_HMAC_SHA1_80, IPv6 with AEAD_AES_128_GCM.
#
#   n1 sender --(subnet 1)-- n2 herald --(lan, subnet 2)-- n3 zone receiver
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

herald_loaded || herald_load
T=$VM_TOP/build/tests/tools
H=$HERALDCTL
COUNT=1000
SEQ0=65000
REORDER=8

netns_add 1 2 3
netns_link 1 2
netns_lan 2 3
for i in 2 3; do netns_mcast_route "$i" lan2; done

first_id() { sed -n 's/^\[{"id":\([0-9]*\),.*/\1/p'; }
# field KEY: the first "KEY": value (number or string) of a JSON line
field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1; }
wait_ready() {
	for f in "$@"; do
		i=0
		while [ ! -s "$f" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	done
}
keylen() {
	case $1 in
	AES_CM_128_*) echo 30 ;;
	AES_256_CM_*) echo 46 ;;
	AEAD_AES_128_GCM) echo 28 ;;
	AEAD_AES_256_GCM) echo 44 ;;
	esac
}
# stream_stats JSON: the "stats" object of a stream show -j reply
stats_of() { sed -n 's/.*"stats":{\([^}]*\)}.*/\1/p'; }

run_variant() {
	fam=$1 suite=$2
	name="IPv$fam $suite"
	tmp=/tmp/roc.$fam
	mkdir -p "$tmp"
	if [ "$fam" = 6 ]; then
		gw=$(addr6 1 2) zone=ff15::2:1 any='[::]' dst="[$(addr6 1 2)]"
	else
		gw=$(addr4 1 2) zone=239.2.2.1 any=0.0.0.0 dst=$(addr4 1 2)
	fi
	port=$((7000 + fam * 10))
	kin=$(openssl rand -base64 "$(keylen "$suite")")
	kz=$(openssl rand -base64 "$(keylen "$suite")")
	o=$(n2 "$H" -j output add dst "$zone" port "$port" dev lan2 suite "$suite" key "inline:$kz" | first_id)
	s=$(n2 "$H" -j stream add local "$gw" port 5004 suite "$suite" key "inline:$kin" output "$o" | first_id)
	if [ -z "$o" ] || [ -z "$s" ]; then
		not_ok "$name: set up output and stream"
		return
	fi
	n3 "$T/srtp-recv" --suite "$suite" --key "$kz" --group "$zone" --iface lan2 \
		--order seq --count $COUNT --expect $COUNT --timeout 3 --start-timeout 60 \
		--ready-file "$tmp/ready" "$any:$port" >"$tmp/recv" 2>"$tmp/recv.err" &
	rpid=$!
	wait_ready "$tmp/ready"
	n1 "$T/srtp-send" --suite "$suite" --key "$kin" --ssrc 0x0c0ffee0 --seq $SEQ0 \
		--reorder $REORDER --count $COUNT --rate 500 "$dst:5004" >"$tmp/sent" 2>&1
	wait $rpid
	rrc=$?

	sent=$(field packets <"$tmp/sent")
	want=$(field payload_sha256 <"$tmp/sent")
	if [ "$sent" = $COUNT ] && [ "$(field last_seq <"$tmp/sent")" = $(((SEQ0 + COUNT - 1) % 65536)) ]; then
		ok "$name: sender crossed the wrap ($SEQ0 .. $(field last_seq <"$tmp/sent"))"
	else
		not_ok "$name: sender" "$(cat "$tmp/sent")"
	fi

	js=$(n2 "$H" -j stream show id "$s")
	st=$(printf '%s\n' "$js" | stats_of)
	pk=$(printf '%s\n' "$st" | field packets)
	if [ "$pk" = $COUNT ]; then
		ok "$name: stream accepted all $COUNT packets"
	else
		not_ok "$name: stream accepted '$pk' packets, want $COUNT" "$js"
	fi
	drops=$(printf '%s\n' "$st" | tr ',' '\n' | grep '"drop_' | grep -v ':0$')
	if [ -n "$st" ] && [ -z "$drops" ]; then
		ok "$name: stream dropped nothing"
	else
		not_ok "$name: stream drops" "${drops:-no stats in: $js}"
	fi
	# ROC 1 << 16 | highest sequence number (the last of the run).
	ext=$(printf '%s\n' "$js" | sed -n 's/.*"ssrcs":\[\(.*\)\].*/\1/p' | field ext_highest_seq)
	wext=$((65536 + (SEQ0 + COUNT - 1) % 65536))
	if [ "$ext" = "$wext" ]; then
		ok "$name: ext_highest_seq $ext is ROC 1, seq $((ext & 65535))"
	else
		not_ok "$name: ext_highest_seq '$ext', want $wext (ROC 1)" "$js"
	fi

	opk=$(n2 "$H" -j output show id "$o" | stats_of | field packets)
	if [ "$opk" = $COUNT ]; then
		ok "$name: output sent $COUNT packets"
	else
		not_ok "$name: output sent '$opk' packets, want $COUNT" "$(n2 "$H" -j output show id "$o")"
	fi

	got=$(field payload_sha256 <"$tmp/recv")
	dec=$(field decrypted <"$tmp/recv")
	if [ $rrc = 0 ] && [ "$dec" = $COUNT ] && [ -n "$want" ] && [ "$got" = "$want" ]; then
		ok "$name: zone receiver (libsrtp2) decrypted all $COUNT, payloads in sequence order match"
	else
		not_ok "$name: zone receiver (status $rrc)" "$(cat "$tmp/recv" "$tmp/recv.err")"
	fi
	# The swaps must have reached the receiver as swaps (the output keeps
	# the input's order) and nothing may be missing between first and last.
	reo=$(field reordered <"$tmp/recv")
	lost=$(field lost <"$tmp/recv")
	if [ "$lost" = 0 ] && [ -n "$reo" ] && [ "$reo" -ge $((COUNT / REORDER - 1)) ]; then
		ok "$name: zone receiver saw the reordering ($reo late packets), none lost"
	else
		not_ok "$name: zone receiver reordered '$reo' (want >= $((COUNT / REORDER - 1))), lost '$lost'" \
			"$(cat "$tmp/recv")"
	fi

	n2 "$H" stream del id "$s"
	n2 "$H" output del id "$o"
	rm -rf "$tmp"
}

dmesg_mark
run_variant 4 AES_CM_128_HMAC_SHA1_80
run_variant 6 AEAD_AES_128_GCM
check_dmesg_clean "no kernel warnings"
tap_done
