#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 240
# Key rotation by MKI without losing a packet (RFC 3711 §3.2.1, RFC 4568).
#
# (a) ingress: a stream holds key 1 (MKI 1, 4 bytes); key 2 (MKI 2) is
#     added live; a libsrtp2 sender switches from key 1 to key 2 mid-stream.
#     Every packet is accepted and reaches a plain capture and a
#     re-encrypted zone; the stream reports MKI 2 in use. After
#     `key del ... mki 1`, packets under key 1 are counted drop_unknown_mki
#     (and nothing else), while key 2 still works.
# (b) egress: an output sends under key A (MKI 1); mid-stream key B (MKI 2)
#     is added "active". A libsrtp2 receiver holding both keys decrypts every
#     packet; receivers holding only A or only B decrypt complementary parts
#     (so the switch really happened on the wire, once). Deleting the active
#     key is refused with a clear message; deleting the old one works.
#
#   n1 sender --(subnet 1)-- n2 herald --(lan, subnet 2)-- n3 receivers
. "${VM_TOP:-$(dirname "$0")/../..}/tests/vm/netns.sh"

herald_loaded || herald_load
T=$VM_TOP/build/tests/tools
H=$HERALDCTL
SUITE=AES_CM_128_HMAC_SHA1_80
OSUITE=AEAD_AES_128_GCM	# egress: AEAD with MKI (tag | MKI on the wire)
COUNT=300
SWITCH=150
OCOUNT=600	# (b): the first $OFIRST before the key is added
OFIRST=150
TMP=/tmp/keys
mkdir -p $TMP

netns_add 1 2 3
netns_link 1 2
netns_lan 2 3
for i in 2 3; do netns_mcast_route "$i" lan2; done
GW=$(addr4 1 2)
CAP=$(addr4 2 3)

first_id() { sed -n 's/^\[{"id":\([0-9]*\),.*/\1/p'; }
field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1; }
stats_of() { sed -n 's/.*"stats":{\([^}]*\)}.*/\1/p'; }
wait_ready() {
	for f in "$@"; do
		i=0
		while [ ! -s "$f" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	done
}
# expect_stats NAME JSON "packets=N drop_x=M ...": those counters exactly,
# every other drop_* counter 0.
expect_stats() {
	_n=$1 _st=$(printf '%s\n' "$2" | stats_of) _bad=
	[ -n "$_st" ] || _bad="no stats"
	for _kv in $3; do
		_v=$(printf '%s\n' "$_st" | field "${_kv%%=*}")
		[ "$_v" = "${_kv#*=}" ] || _bad="$_bad ${_kv%%=*}=$_v (want ${_kv#*=})"
	done
	for _kv in $(printf '%s\n' "$_st" | tr ',' '\n' | grep '"drop_' | tr -d '"' | tr ':' '='); do
		case " $3 " in *" ${_kv%%=*}="*) continue ;; esac
		[ "${_kv#*=}" = 0 ] || _bad="$_bad $_kv (want 0)"
	done
	if [ -z "$_bad" ]; then
		ok "$_n"
	else
		not_ok "$_n" "$_bad; $2"
	fi
}

dmesg_mark

# ---- (a) stream: two keys, the sender switches ------------------------------------
K1=$(openssl rand -base64 30)
K2=$(openssl rand -base64 30)
KZ=$(openssl rand -base64 30)
op=$(n2 "$H" -j output add dst "$CAP" port 7001 plaintext | first_id)
oz=$(n2 "$H" -j output add dst 239.3.3.1 port 7002 dev lan2 suite $SUITE key "inline:$KZ" | first_id)
s=$(n2 "$H" -j stream add local "$GW" port 5004 suite $SUITE key "inline:$K1|2^31|1:4" \
	output "$op" output "$oz" | first_id)
[ -n "$op" ] && [ -n "$oz" ] && [ -n "$s" ] || { not_ok "stream: set up"; tap_done; }
check "stream: key add stream $s (MKI 2)" n2 "$H" key add stream "$s" "inline:$K2|2^31|2:4"
js=$(n2 "$H" -j stream show id "$s")
check "stream: holds keys MKI 1 and MKI 2 (len 4)" has "$js" \
	'"keys":\[\{"mki":1,"mki_len":4[^]]*\},\{"mki":2,"mki_len":4'

n3 "$T/srtp-recv" --plain --count $COUNT --expect $COUNT --timeout 3 --start-timeout 60 \
	--ready-file $TMP/cap.ready "0.0.0.0:7001" >$TMP/cap 2>&1 &
p1=$!
n3 "$T/srtp-recv" --suite $SUITE --key "$KZ" --group 239.3.3.1 --iface lan2 --count $COUNT \
	--expect $COUNT --timeout 3 --start-timeout 60 --ready-file $TMP/zone.ready \
	"0.0.0.0:7002" >$TMP/zone 2>&1 &
p2=$!
wait_ready $TMP/cap.ready $TMP/zone.ready
n1 "$T/srtp-send" --suite $SUITE --key "$K1" --mki 1:4 --key2 "$K2" --mki2 2:4 \
	--switch-at $SWITCH --ssrc 0x5eed0001 --seq 1000 --count $COUNT --rate 300 \
	"$GW:5004" >$TMP/sent 2>&1
wait $p1; r1=$?
wait $p2; r2=$?
want=$(field valid_sha256 <$TMP/sent)
js=$(n2 "$H" -j stream show id "$s")
expect_stats "stream: all $COUNT packets accepted across the key switch, no drops" "$js" "packets=$COUNT"
mki=$(printf '%s\n' "$js" | sed -n 's/.*"ssrcs":\[\(.*\)\].*/\1/p' | field mki)
if [ "$mki" = 2 ]; then
	ok "stream: the SSRC's packets now use MKI 2"
else
	not_ok "stream: SSRC key MKI '$mki', want 2" "$js"
fi
if [ $r1 = 0 ] && [ "$(field payload_sha256 <$TMP/cap)" = "$want" ]; then
	ok "stream: plain output received all $COUNT payloads intact"
else
	not_ok "stream: plain output (status $r1)" "$(cat $TMP/cap $TMP/sent)"
fi
if [ $r2 = 0 ] && [ "$(field payload_sha256 <$TMP/zone)" = "$want" ] && [ "$(field lost <$TMP/zone)" = 0 ]; then
	ok "stream: encrypted zone received all $COUNT payloads intact"
else
	not_ok "stream: encrypted zone (status $r2)" "$(cat $TMP/zone)"
fi

check "stream: key del stream $s mki 1" n2 "$H" key del stream "$s" mki 1
js=$(n2 "$H" -j stream show id "$s")
if has "$js" '"keys":\[\{"mki":2,"mki_len":4[^]]*\}\]'; then
	ok "stream: only MKI 2 left"
else
	not_ok "stream: keys after deleting MKI 1" "$js"
fi
# The old key, later indexes (no replay question): every packet unknown MKI.
n1 "$T/srtp-send" --suite $SUITE --key "$K1" --mki 1:4 --ssrc 0x5eed0001 --seq $((1000 + COUNT)) \
	--count 50 --rate 300 "$GW:5004" >/dev/null 2>&1
js=$(n2 "$H" -j stream show id "$s")
expect_stats "stream: 50 packets under the deleted key are drop_unknown_mki" "$js" \
	"packets=$COUNT drop_unknown_mki=50"
n1 "$T/srtp-send" --suite $SUITE --key "$K2" --mki 2:4 --ssrc 0x5eed0001 --seq $((1050 + COUNT)) \
	--count 50 --rate 300 "$GW:5004" >/dev/null 2>&1
js=$(n2 "$H" -j stream show id "$s")
expect_stats "stream: key 2 still accepted afterwards" "$js" \
	"packets=$((COUNT + 50)) drop_unknown_mki=50"
expect_stats "stream: plain output sent every accepted packet" "$(n2 "$H" -j output show id "$op")" \
	"packets=$((COUNT + 50))"
n2 "$H" stream del id "$s"

# ---- (b) output: key B becomes active mid-stream ----------------------------------
KI=$(openssl rand -base64 30)
KA=$(openssl rand -base64 28)
KB=$(openssl rand -base64 28)
o=$(n2 "$H" -j output add dst 239.3.3.2 port 7003 dev lan2 suite $OSUITE key "inline:$KA|2^31|1:4" | first_id)
s=$(n2 "$H" -j stream add local "$GW" port 5006 suite $SUITE key "inline:$KI" output "$o" | first_id)
[ -n "$o" ] && [ -n "$s" ] || { not_ok "output: set up"; tap_done; }
for r in both a b; do
	case $r in
	both) keys="--key inline:$KA|2^31|1:4 --key inline:$KB|2^31|2:4 --check-pattern" ;;
	a) keys="--key inline:$KA|2^31|1:4 --allow-fail" ;;
	b) keys="--key inline:$KB|2^31|2:4 --allow-fail" ;;
	esac
	# shellcheck disable=SC2086 # $keys is a list of options
	n3 "$T/srtp-recv" --suite $OSUITE $keys --group 239.3.3.2 --iface lan2 --count $OCOUNT \
		--timeout 10 --start-timeout 60 --ready-file $TMP/o-$r.ready "0.0.0.0:7003" \
		>$TMP/o-$r 2>&1 &
	echo $! >$TMP/o-$r.pid
done
wait_ready $TMP/o-both.ready $TMP/o-a.ready $TMP/o-b.ready
# One RTP stream in two runs of the sender (same SSRC, sequence going on):
# the key is added while the second run plays, or just before its first
# packet when the sender starts slowly; either way after the first run.
n1 "$T/srtp-send" --suite $SUITE --key "$KI" --ssrc 0x5eed0002 --seq 1000 --count $OFIRST \
	--rate 100 "$GW:5006" >$TMP/osent1 2>&1
n1 "$T/srtp-send" --suite $SUITE --key "$KI" --ssrc 0x5eed0002 --seq $((1000 + OFIRST)) \
	--count $((OCOUNT - OFIRST)) --rate 100 "$GW:5006" >$TMP/osent2 2>&1 &
spid=$!
check "output: key add output $o (MKI 2) active, mid-stream" \
	n2 "$H" key add output "$o" "inline:$KB|2^31|2:4" active
wait $spid
for r in both a b; do wait "$(cat $TMP/o-$r.pid)"; done
if [ "$(field decrypted <$TMP/o-both)" = $OCOUNT ] && [ "$(field lost <$TMP/o-both)" = 0 ] &&
	[ "$(field pattern_bad <$TMP/o-both)" = 0 ]; then
	ok "output: a receiver with both keys decrypted all $OCOUNT packets, none lost, payloads intact"
else
	not_ok "output: receiver with both keys" "$(cat $TMP/o-both)"
fi
da=$(field decrypted <$TMP/o-a)
ma=$(field bad_mki <$TMP/o-a)
db=$(field decrypted <$TMP/o-b)
mb=$(field bad_mki <$TMP/o-b)
if [ -n "$da" ] && [ -n "$db" ] && [ "$da" -ge $OFIRST ] && [ "$db" -gt 0 ] &&
	[ $((da + db)) = $OCOUNT ] && [ "$ma" = "$db" ] && [ "$mb" = "$da" ]; then
	ok "output: switched once on the wire: $da packets under MKI 1, then $db under MKI 2"
else
	not_ok "output: key A only: decrypted '$da' bad_mki '$ma'; key B only: decrypted '$db' bad_mki '$mb'" \
		"$(cat $TMP/o-a $TMP/o-b)"
fi
# Nothing under key A after the first packet under key B: the key-A-only
# receiver's packets are a prefix of the sequence.
la=$(field last_seq <$TMP/o-a)
fb=$(field first_seq <$TMP/o-b)
# (a receiver that got nothing says null: not a number to compute with)
if is_num "$la" && is_num "$fb" && [ $(((la + 1) % 65536)) = "$fb" ]; then
	ok "output: MKI 1 up to seq $la, MKI 2 from seq $fb"
else
	not_ok "output: last seq under MKI 1 '$la', first under MKI 2 '$fb'"
fi
expect_stats "output: sent all $OCOUNT, no errors" "$(n2 "$H" -j output show id "$o")" \
	"packets=$OCOUNT tx_errors=0"
js=$(n2 "$H" -j output show id "$o")
if has "$js" '\{"mki":1,"mki_len":4,"active":false\}' && has "$js" '\{"mki":2,"mki_len":4,"active":true\}'; then
	ok "output: shows MKI 1 inactive, MKI 2 active"
else
	not_ok "output: keys" "$js"
fi
err=$(n2 "$H" key del output "$o" mki 2 2>&1)
rc=$?
if [ $rc != 0 ] && has "$err" 'active key cannot be removed'; then
	ok "output: deleting the active key is refused: $err"
else
	not_ok "output: key del of the active key (status $rc)" "$err"
fi
check "output: deleting the inactive key works" n2 "$H" key del output "$o" mki 1
js=$(n2 "$H" -j output show id "$o")
if has "$js" '"keys":\[\{"mki":2,"mki_len":4,"active":true\}\]'; then
	ok "output: only MKI 2 left, active"
else
	not_ok "output: keys after deleting MKI 1" "$js"
fi

check_dmesg_clean "no kernel warnings"
tap_done
